"""Build a benchmark database: `python benchmarks/build.py --database URL [--applications 1000]
[--members 5] [--project 100] [--national]`. It empties (re-creates) the database, migrates it,
writes the dataset (benchmarks/dataset.py) and prints a manifest (JSON) of what it built, which
`benchmarks/run.py --reuse MANIFEST` reads. Accounts' password: `benchmark-password`.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def recreate(url: str) -> None:
    """An empty database at `url`: the SQLite file removed, the PostgreSQL database dropped
    and created again (through the server's `postgres` database)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(parsed.database + suffix).unlink(missing_ok=True)
        return
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    admin.dispose()


def make_app(url: str):
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("SMALLGRANTS_ENV", "development")
    from smallgrants import create_app

    app = create_app()
    if app.config["SQLALCHEMY_DATABASE_URI"] != url:  # config.py reads it once, at import
        raise SystemExit("build: one database per process (config.py read another one)")
    return app


def build(
    url: str,
    applications: int = 1000,
    members: int = 5,
    project: int = 0,
    national: bool = False,
    log=print,
) -> dict:
    """Re-create the database at `url` and fill it; returns the manifest."""
    recreate(url)
    app = make_app(url)
    from flask_migrate import upgrade

    from benchmarks import dataset

    started = time.perf_counter()
    manifest: dict = {"database": url, "applications": applications, "members": members}
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        log(f"build: migrated in {time.perf_counter() - started:.1f} s")
        a = dataset.build_commission(applications, members, tag="A")
        manifest["meeting"] = {
            "competition": a.competition_id,
            "applications": a.application_ids,
            "coordinator": a.coordinator,
            "chair": a.chair,
            "member": a.members[1],
        }
        d = dataset.build_commission(
            applications,
            members,
            tag="D",
            decided=max(applications - 40, 0),
            first_applicant=applications + 1,
        )
        manifest["decided"] = {
            "competition": d.competition_id,
            "applications": d.application_ids[max(applications - 40, 0) :],
            "already": max(applications - 40, 0),
        }
        b = dataset.build_commission(
            applications,
            members,
            tag="B",
            published_winners=min(10, applications),
            first_applicant=2 * applications + 1,
        )
        manifest["published"] = {"competition": b.competition_id}
        log(f"build: three competitions of {applications} in {time.perf_counter() - started:.1f} s")
        if project:
            built = []
            for k in range(project):
                one = dataset.build_commission(
                    10,
                    3,
                    tag=f"P{k + 1}",
                    published_winners=5,
                    first_applicant=3 * applications + 1 + k * 10,
                )
                dataset.grants(one, events_per_report=5)
                built.append(one)
            db_commit()
            manifest["project"] = {
                "id": dataset.build_project(built, built[0].coordinator),
                "competitions": project,
                "coordinator": built[0].coordinator,
            }
            log(
                f"build: a project of {project} competitions "
                f"in {time.perf_counter() - started:.1f} s"
            )
        if national:
            built = dataset.build_national(progress=log)
            manifest["national"] = {
                "competition": built[0].competition_id,
                "competitions": len(built),
                "coordinator": built[0].coordinator,
                "project": dataset.build_project(built[:100], built[0].coordinator),
            }
            log(f"build: the national dataset in {time.perf_counter() - started:.1f} s")
    manifest["seconds"] = round(time.perf_counter() - started, 1)
    return manifest


def db_commit() -> None:
    from smallgrants.extensions import db

    db.session.commit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", required=True, help="SQLAlchemy URL (it is re-created)")
    parser.add_argument("--applications", type=int, default=1000)
    parser.add_argument("--members", type=int, default=5)
    parser.add_argument("--project", type=int, default=0, help="a project of K competitions")
    parser.add_argument("--national", action="store_true", help="the national dataset too")
    parser.add_argument("--manifest", help="write the manifest to this file")
    args = parser.parse_args()
    manifest = build(args.database, args.applications, args.members, args.project, args.national)
    text = json.dumps(manifest, ensure_ascii=False)
    if args.manifest:
        Path(args.manifest).write_text(text)
    print(text[:2000])


if __name__ == "__main__":
    main()
