"""The product as it runs in production — gunicorn with four worker processes on loopback —
on the test database (SQLite or PostgreSQL): twenty coordinators' award requests arrive at
the same moment with room for one grant in the pool; exactly one is recorded."""

from __future__ import annotations

import http.client
import os
import re
import subprocess
import sys
import threading
import time
from urllib.parse import urlencode

import pytest
from sqlalchemy import select

from smallgrants.commission.models import Decision, Outcome
from smallgrants.extensions import db
from tests.conftest import AuthActions, free_port

# four processes, each with connections of its own
pytestmark = pytest.mark.real_commits


@pytest.fixture
def gunicorn(app, tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "SMALLGRANTS_ENV": "development",
        "SECRET_KEY": app.config["SECRET_KEY"],  # so that the test's session cookie holds
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "UPLOAD_DIR": app.config["UPLOAD_DIR"],
        "MAIL_BACKEND": "console",
        "MAIL_SEND_ON_COMMIT": "false",
        "RATELIMIT_ENABLED": "false",
    }
    log = open(tmp_path / "gunicorn.log", "w+")  # noqa: SIM115 - closed below
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-w",
            "4",
            "-b",
            f"127.0.0.1:{port}",
            "smallgrants:create_app()",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            if _request(port, "GET", "/healthz")[0] == 200:
                break
        except OSError:
            pass
        if time.monotonic() > deadline or server.poll() is not None:
            log.seek(0)
            pytest.fail(f"gunicorn did not start: {log.read()[-2000:]}")
        time.sleep(0.2)
    yield port
    server.terminate()
    server.wait(timeout=20)
    log.close()


def _request(port, method, path, body=None, cookie=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Content-Type": "application/x-www-form-urlencoded"} if body else {}
    if cookie:
        headers["Cookie"] = f"session={cookie}"
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    text = response.read().decode()
    set_cookie = response.getheader("Set-Cookie") or ""
    conn.close()
    return response.status, text, set_cookie


def test_twenty_simultaneous_awards_with_room_for_one(app, gunicorn, create_grant_case):
    case = create_grant_case(20, until="meeting", grant_count=1)
    client = app.test_client()
    AuthActions(client).as_user(case.coordinator)
    cookie = client.get_cookie("session").value
    meeting = f"/manage/competitions/{case.competition_id}/meeting"
    status, page, set_cookie = _request(gunicorn, "GET", meeting, cookie=cookie)
    assert status == 200
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        r'name="csrf_token" value="([^"]+)"', page
    )
    cookie = re.search(r"session=([^;]+)", set_cookie).group(1) if set_cookie else cookie
    # every worker has served the meeting page before the race (no first-request warm-up
    # to stagger them)
    warm = [
        threading.Thread(target=_request, args=(gunicorn, "GET", meeting, None, cookie))
        for _ in range(16)
    ]
    for t in warm:
        t.start()
    for t in warm:
        t.join(60)
    for round_ in range(3):  # after each round the award is freed again, and raced for
        statuses = _race(gunicorn, meeting, case.application_ids, token.group(1), cookie)
        assert len(statuses) == 20 and all(s in (200, 302) for s in statuses), statuses
        with app.app_context():
            awards = (
                db.session.execute(select(Decision).where(Decision.outcome == Outcome.AWARD))
                .scalars()
                .all()
            )
            assert [(len(awards), sum(a.amount for a in awards))] == [(1, 300_000)], round_
            assert statuses.count(302) == 1  # the other 19 are told the grants are gone
            awards[0].outcome, awards[0].amount = Outcome.REJECT, None  # freed
            db.session.commit()


def _race(port, meeting, application_ids, token, cookie) -> list[int]:
    barrier = threading.Barrier(len(application_ids))
    statuses = []

    def award(application_id):
        body = urlencode(
            {
                "csrf_token": token,
                f"d{application_id}-outcome": "award",
                f"d{application_id}-amount": "300 000",
                f"d{application_id}-tie_break": "дауыс беру",
            }
        )
        barrier.wait()
        statuses.append(
            _request(port, "POST", f"{meeting}/decisions/{application_id}", body, cookie)[0]
        )

    threads = [threading.Thread(target=award, args=(a,)) for a in application_ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join(90)
    return statuses
