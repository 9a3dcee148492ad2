"""Time the key pages under gunicorn on loopback and print the figures.

    python benchmarks/run.py                          # SQLite and PostgreSQL, N = 1 000 × 5
    python benchmarks/run.py --database sqlite:////tmp/b.sqlite --applications 100
    python benchmarks/run.py --national               # + the national dataset (minutes)
    python benchmarks/run.py --smoke                  # tiny N, seconds: CI runs this
    python benchmarks/run.py --reuse /tmp/n.json --only meeting  # build.py's dataset, some pages

For each database it builds the dataset (benchmarks/build.py), starts smallgrants and a bare
Flask + Jinja page (benchmarks/bare.py) under the same gunicorn (2 sync workers), signs in as
the coordinator, a member and the chair, and times every page: p50/p95/max over `--requests`
sequential requests after `--warmup`, the bytes, the SQL statements one request runs (counted
in-process through the test client), the ratio of its p50 to the bare page's of the same size,
and req/s with 10 and 20 concurrent clients on the lists. It prints the load average before
and after each run. It is a script that prints figures, never a timed test; `--smoke` only
fails when a page does not answer as it should.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_DATABASES = (
    "sqlite:////tmp/smallgrants-bench.sqlite",
    "postgresql+psycopg://postgres@127.0.0.1:5432/smallgrants_bench",
)
PASSWORD = "benchmark-password"  # noqa: S105 - benchmarks/dataset.py's accounts

# (name, who, path, kind): who signs in (None: a visitor); kind of answer expected
PAGES = (
    ("ranking", "coordinator", "/manage/competitions/{meeting}/ranking", "html"),
    ("scoring matrix", "coordinator", "/manage/competitions/{meeting}/scoring", "html"),
    ("meeting", "coordinator", "/manage/competitions/{meeting}/meeting", "html"),
    ("meeting, N−40 decided", "coordinator", "/manage/competitions/{decided}/meeting", "html"),
    ("registry", "coordinator", "/manage/competitions/{meeting}/applications", "html"),
    ("registry XLSX", "coordinator", "/manage/competitions/{meeting}/applications.xlsx", "xlsx"),
    ("public results", None, "/competitions/{published}/results", "html"),
    ("member's list", "member", "/commission/competitions/{meeting}", "html"),
    ("chair's list", "chair", "/commission/competitions/{meeting}", "html"),
    ("public competitions", None, "/competitions", "html"),
    ("coordinator's list", "coordinator", "/manage/competitions", "html"),
    ("final report", "project", "/manage/projects/{project}", "html"),
    ("reconciliation", "project", "/manage/projects/{project}/reconciliation", "html"),
    ("final report DOCX", "project", "/manage/projects/{project}/report.docx", "docx"),
)
NATIONAL_PAGES = (
    ("N: public competitions", None, "/competitions", "html"),
    ("N: coordinator's list", "national", "/manage/competitions", "html"),
    ("N: registry", "national", "/manage/competitions/{n_competition}/applications", "html"),
    ("N: monitoring", "national", "/manage/competitions/{n_competition}/monitoring", "html"),
    (
        "N: monitoring events",
        "national",
        "/manage/competitions/{n_competition}/monitoring/events",
        "html",
    ),
    (
        "N: monitoring XLSX",
        "national",
        "/manage/competitions/{n_competition}/monitoring.xlsx",
        "xlsx",
    ),
    ("N: ranking", "national", "/manage/competitions/{n_competition}/ranking", "html"),
    ("N: final report", "national", "/manage/projects/{n_project}", "html"),
    ("N: reconciliation", "national", "/manage/projects/{n_project}/reconciliation", "html"),
    ("N: final report DOCX", "national", "/manage/projects/{n_project}/report.docx", "docx"),
)
CONCURRENT = (
    ("public competitions", None, "/competitions"),
    ("coordinator's list", "coordinator", "/manage/competitions"),
)
TYPES = {
    "html": "text/html",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Browser:
    """Cookies, CSRF and a sign-in, with urllib only."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()
        )

    def get(self, path: str):
        return self.request(path)

    def request(self, path: str, data: dict | None = None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(  # noqa: S310 - http://127.0.0.1 only
            self.base + path, data=body, headers={"Accept-Language": "kk"}
        )
        try:
            with self.opener.open(req, timeout=300) as response:
                return response.status, response.headers.get("Content-Type", ""), response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers.get("Content-Type", ""), error.read()

    def csrf(self, path: str) -> str:
        _status, _type, body = self.get(path)
        found = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', body)
        return found.group(1).decode() if found else ""

    def sign_in(self, email: str) -> None:
        token = self.csrf("/auth/login")
        status, _type, _body = self.request(
            "/auth/login", {"csrf_token": token, "email": email, "password": PASSWORD}
        )
        if status != 302:
            raise SystemExit(f"bench: could not sign in as {email} ({status})")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None

    def http_error_302(self, req, fp, code, msg, headers):
        return fp

    http_error_303 = http_error_302


@dataclass
class Timing:
    name: str
    times: list[float] = field(default_factory=list)
    size: int = 0
    statements: int | None = None
    bare: float | None = None
    note: str = ""

    @property
    def p50(self) -> float:
        return statistics.median(self.times)

    @property
    def p95(self) -> float:
        ordered = sorted(self.times)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


class Server:
    """gunicorn on loopback with 2 sync workers."""

    def __init__(self, app: str, env: dict, workers: int = 2):
        self.port = free_port()
        self.process = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "--workers",
                str(workers),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--timeout",
                "600",
                "--log-level",
                "warning",
                app,
            ],
            cwd=ROOT,
            env={**os.environ, **env},
            start_new_session=True,
        )
        self.base = f"http://127.0.0.1:{self.port}"
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                if self.process.poll() is not None:
                    raise SystemExit(f"bench: gunicorn {app} did not start") from None
                time.sleep(0.2)
        raise SystemExit(f"bench: gunicorn {app} did not answer")

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)


def count_statements(url: str, manifest: dict, pages) -> dict[str, int]:
    """The SQL statements one request of each page runs, counted in-process."""
    os.environ["DATABASE_URL"] = url
    from sqlalchemy import event

    from smallgrants import create_app
    from smallgrants.extensions import db

    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False}
    )
    counts: dict[str, int] = {}
    with app.app_context():  # only to reach the engine: each request has a context of its own
        engine = db.engine
    seen = []

    def listener(*_args):
        seen.append(1)

    event.listen(engine, "before_cursor_execute", listener)
    clients = {}
    try:
        for name, who, path, _kind in pages:
            email = _email(manifest, who)
            if email not in clients:
                client = app.test_client()
                if email:
                    client.post("/auth/login", data={"email": email, "password": PASSWORD})
                clients[email] = client
            client = clients[email]
            target = path.format(**_ids(manifest))
            client.get(target)  # caches warm
            seen.clear()
            client.get(target)
            counts[name] = len(seen)
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return counts


def _ids(manifest: dict) -> dict:
    ids = {
        "meeting": manifest["meeting"]["competition"],
        "decided": manifest["decided"]["competition"],
        "published": manifest["published"]["competition"],
        "project": manifest.get("project", {}).get("id", 0),
    }
    if "national" in manifest:
        ids["n_competition"] = manifest["national"]["competition"]
        ids["n_project"] = manifest["national"]["project"]
    return ids


def _email(manifest: dict, who: str | None) -> str | None:
    return {
        None: None,
        "coordinator": manifest["meeting"]["coordinator"],
        "chair": manifest["meeting"]["chair"],
        "member": manifest["meeting"]["member"],
        "project": manifest.get("project", {}).get("coordinator"),
        "national": manifest.get("national", {}).get("coordinator"),
    }[who]


def time_pages(base, bare_base, manifest: dict, pages, requests: int, warmup: int, budget: float):
    browsers: dict[str | None, Browser] = {}
    bare = Browser(bare_base)
    results, failures = [], []
    for name, who, path, kind in pages:
        email = _email(manifest, who)
        if email not in browsers:
            browsers[email] = Browser(base)
            if email:
                browsers[email].sign_in(email)
        browser = browsers[email]
        target = path.format(**_ids(manifest))
        timing = Timing(name)
        page_started = time.perf_counter()
        for i in range(warmup + requests):
            if len(timing.times) >= 3 and time.perf_counter() - page_started > budget:
                timing.note = f"({len(timing.times)} requests: past the {budget:.0f} s budget)"
                break
            started = time.perf_counter()
            status, content_type, body = browser.get(target)
            elapsed = time.perf_counter() - started
            if status != 200 or not content_type.startswith(TYPES[kind]):
                failures.append(f"{name}: {target} answered {status} {content_type}")
                break
            if i >= warmup:
                timing.times.append(elapsed)
            timing.size = len(body)
        if timing.times:
            kb = max(timing.size // 1024, 1)
            bare_times = []
            for i in range(warmup + max(requests // 2, 3)):
                started = time.perf_counter()
                bare.get(f"/bare?kb={kb}")
                if i >= warmup:
                    bare_times.append(time.perf_counter() - started)
            timing.bare = statistics.median(bare_times)
            results.append(timing)
    return results, failures


def time_decisions(base: str, manifest: dict, key: str, count: int) -> Timing:
    """Recording a decision (a rejection, so the pool never refuses), POST only."""
    browser = Browser(base)
    browser.sign_in(manifest["meeting"]["coordinator"])
    competition = manifest[key]["competition"]
    token = browser.csrf(f"/manage/competitions/{competition}/meeting")
    already = manifest[key].get("already", 0)
    timing = Timing(f"record a decision ({already}+ recorded)")
    budget_end = time.perf_counter() + 120
    for application_id in manifest[key]["applications"][:count]:
        if len(timing.times) >= 3 and time.perf_counter() > budget_end:
            timing.note = f"({len(timing.times)} decisions: past the 120 s budget)"
            break
        prefix = f"d{application_id}"
        data = {
            "csrf_token": token,
            f"{prefix}-outcome": "reject",
            f"{prefix}-votes_for": "0",
            f"{prefix}-votes_against": "3",
            f"{prefix}-votes_abstain": "0",
            f"{prefix}-rationale": "Бенчмарк",
        }
        started = time.perf_counter()
        status, _type, _body = browser.request(
            f"/manage/competitions/{competition}/meeting/decisions/{application_id}", data
        )
        timing.times.append(time.perf_counter() - started)
        if status != 302:
            timing.note = f"answered {status}"
            break
    return timing


def concurrent(base: str, manifest: dict, clients: int, seconds: float) -> list[str]:
    lines = []
    for name, who, path in CONCURRENT:
        if who == "coordinator" and "national" in manifest:
            who = "national"  # the national dataset's coordinator: 500 competitions to page
        email = _email(manifest, who)
        browsers = []
        for _ in range(clients):
            b = Browser(base)
            if email:
                b.sign_in(email)
            browsers.append(b)
        times: list[float] = []
        errors = []
        stop = time.perf_counter() + seconds

        def work(b: Browser, stop=stop, path=path, times=times, errors=errors):
            while time.perf_counter() < stop:
                started = time.perf_counter()
                status, _t, _body = b.get(path)
                times.append(time.perf_counter() - started)
                if status != 200:
                    errors.append(status)

        threads = [threading.Thread(target=work, args=(b,)) for b in browsers]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - started
        ordered = sorted(times)
        p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))] if ordered else 0
        lines.append(
            f"| {name}, {clients} clients | {len(times) / elapsed:.0f} req/s | "
            f"p50 {statistics.median(ordered) * 1000:.0f} ms | p95 {p95 * 1000:.0f} ms | "
            f"{'errors ' + str(len(errors)) if errors else 'no errors'} |"
        )
    return lines


def table(title: str, timings: list[Timing], counts: dict[str, int]) -> str:
    out = [
        f"\n### {title}\n",
        "| page | p50 ms | p95 ms | max ms | KB | SQL | bare ms | × bare |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for t in timings:
        if not t.times:
            out.append(f"| {t.name} | – | – | – | – | – | – | – | {t.note}")
            continue
        ratio = f"{t.p50 / t.bare:.1f}" if t.bare else "–"
        bare = f"{t.bare * 1000:.1f}" if t.bare else "–"
        out.append(
            f"| {t.name} | {t.p50 * 1000:.1f} | {t.p95 * 1000:.1f} | {max(t.times) * 1000:.1f} | "
            f"{t.size / 1024:.0f} | {counts.get(t.name, '–')} | {bare} | {ratio} |"
            + (f" {t.note}" if t.note else "")
        )
    return "\n".join(out)


def run_one(url: str, args) -> bool:
    from benchmarks.build import build

    started = time.perf_counter()
    reused = args.reused
    n, members = (
        (reused["applications"], reused["members"]) if reused else (args.applications, args.members)
    )
    print(f"\n## {url.split('@')[-1]} — N = {n} × {members} members", flush=True)
    # a dataset build.py made and described, or a new one
    manifest = reused or build(
        url,
        args.applications,
        args.members,
        project=args.project,
        national=args.national,
        log=lambda line: print(line, flush=True),
    )
    print(
        f"bench: built in {time.perf_counter() - started:.0f} s; load average before "
        f"{'/'.join(f'{x:.2f}' for x in os.getloadavg())}",
        flush=True,
    )
    env = {
        "DATABASE_URL": url,
        "SMALLGRANTS_ENV": "production",
        "SECRET_KEY": "benchmark-secret-key-of-at-least-32-characters",
        "SESSION_COOKIE_SECURE": "0",
        "PREFERRED_URL_SCHEME": "http",
        "RATELIMIT_ENABLED": "0",
        "MAIL_BACKEND": "console",
        "UPLOAD_DIR": str(Path(tempfile.gettempdir()) / "smallgrants-bench-uploads"),
    }
    pages = PAGES if manifest.get("project") else tuple(p for p in PAGES if "{project}" not in p[2])
    if "national" in manifest:
        pages = pages + NATIONAL_PAGES
    if args.only:
        pages = tuple(p for p in pages if any(word in p[0] for word in args.only))
    counts = count_statements(url, manifest, pages)
    app = Server("smallgrants:create_app()", env)
    bare = Server("benchmarks.bare:app", {})
    try:
        timings, failures = time_pages(
            app.base, bare.base, manifest, pages, args.requests, args.warmup, args.budget
        )
        decisions = [
            time_decisions(app.base, manifest, "meeting", args.decisions),
            time_decisions(app.base, manifest, "decided", args.decisions),
        ]
        for d in decisions:
            if d.note:
                failures.append(f"{d.name}: {d.note}")
        print(table("pages", timings + decisions, counts), flush=True)
        if not args.smoke:
            print("\n| concurrent | throughput | p50 | p95 | |\n|---|---|---|---|---|")
            for clients in (10, 20):
                for line in concurrent(app.base, manifest, clients, args.seconds):
                    print(line, flush=True)
    finally:
        app.stop()
        bare.stop()
    print(
        f"\nbench: load average after {'/'.join(f'{x:.2f}' for x in os.getloadavg())}; "
        f"{time.perf_counter() - started:.0f} s",
        flush=True,
    )
    for line in failures:
        print(f"bench: FAILED {line}", flush=True)
    return not failures


def _without_databases(argv: list[str]) -> list[str]:
    out, skip = [], False
    for arg in argv:
        if skip:
            skip = False
        elif arg == "--database":
            skip = True
        elif not arg.startswith("--database="):
            out.append(arg)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--database", action="append", help="SQLAlchemy URL (re-created!); repeatable"
    )
    parser.add_argument("--applications", type=int, default=1000)
    parser.add_argument("--members", type=int, default=5)
    parser.add_argument("--project", type=int, default=100, help="competitions of the final report")
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--decisions", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=10, help="of each concurrent run")
    parser.add_argument("--budget", type=float, default=60, help="seconds a page may take in all")
    parser.add_argument("--national", action="store_true")
    parser.add_argument("--smoke", action="store_true", help="tiny N: does every page answer?")
    parser.add_argument(
        "--reuse",
        metavar="MANIFEST",
        help="time the database build.py described in MANIFEST (its JSON), not a new one",
    )
    parser.add_argument(
        "--only", action="append", help="time only the pages whose name contains this; repeatable"
    )
    args = parser.parse_args()
    if args.smoke:
        args.applications, args.project, args.requests, args.warmup, args.decisions = 12, 2, 2, 1, 3
    # a dataset build.py made and described: its database only
    args.reused = json.loads(Path(args.reuse).read_text(encoding="utf-8")) if args.reuse else None
    if args.reused:
        args.database = [args.reused["database"]]
    databases = args.database or list(DEFAULT_DATABASES)
    if len(databases) > 1:  # one process per database: the configuration is read at import
        codes = [
            subprocess.call(  # noqa: S603 - this script again, with one database
                [sys.executable, __file__, *_without_databases(sys.argv[1:]), "--database", url]
            )
            for url in databases
        ]
        sys.exit(max(codes))
    print(
        f"bench: {time.strftime('%Y-%m-%d %H:%M')} · {os.cpu_count()} cores · "
        f"{' '.join(os.uname()[2:3])} · Python {sys.version.split()[0]}"
    )
    results = [run_one(url, args) for url in databases]  # every database, even after a failure
    ok = all(results)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
