"""E-mail outbox: queued in the request's transaction, sent after its commit, kept on failure."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import Counter
from datetime import timedelta

import pytest
from flask import abort
from sqlalchemy import select

from smallgrants.auth.models import Role
from smallgrants.core.models import OutboxMessage, OutboxStatus
from smallgrants.core.outbox import CLAIM_LEASE, backoff, deliver
from smallgrants.core.services import queue_email
from smallgrants.core.timeutil import utcnow
from smallgrants.extensions import db
from smallgrants.organisations.models import Organisation
from tests.conftest import body_html, body_text, default_organisation_id, free_port

# the outbox worker commits each message's outcome after the request's own commit
pytestmark = pytest.mark.real_commits


@pytest.fixture
def app(fresh_app):
    """These tests add a route of their own."""
    return fresh_app


def _message(recipient: str, **fields) -> OutboxMessage:
    """A queued message as the outbox holds it (the body does not matter here)."""
    fields = {"locale": "kk", "template": "t", "subject": "s", "body_text": "b", **fields}
    return OutboxMessage(recipient=recipient, **fields)


def _make_due(app) -> None:
    """As if its back-off had passed."""
    with app.app_context():
        for message in db.session.scalars(select(OutboxMessage)):
            message.next_attempt_at = utcnow() - timedelta(seconds=1)
        db.session.commit()


def _outbox_id(app, recipient: str) -> int:
    with app.app_context():
        return db.session.scalar(
            select(OutboxMessage.id).where(OutboxMessage.recipient == recipient)
        )


def _outbox(app) -> list[OutboxMessage]:
    with app.app_context():
        return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def _add_queue_route(app, then_fail: bool):
    @app.post("/_test/queue")
    def _queue():
        queue_email(
            "x@example.kz",
            "kk",
            "confirm_email",
            "Subject",
            user=type("U", (), {"display_name": "X"})(),
            link="http://l",
        )
        if then_fail:
            abort(409)
        return "ok"


def test_mail_is_not_sent_when_the_request_fails(app, client, mailbox):
    _add_queue_route(app, then_fail=True)
    assert client.post("/_test/queue").status_code == 409
    assert _outbox(app) == []
    assert mailbox.messages == []


def test_mail_is_sent_after_commit_with_text_and_html(app, client, mailbox):
    _add_queue_route(app, then_fail=False)
    assert client.post("/_test/queue").status_code == 200
    [message] = mailbox.wait_for("x@example.kz")
    assert message["From"] == "smallgrants <noreply@example.kz>"
    assert "Сәлеметсіз бе, X!" in body_text(message)
    assert '<a href="http://l">http://l</a>' in body_html(message)
    [row] = _outbox(app)
    assert (row.status, row.attempts, row.last_error) == (OutboxStatus.SENT, 1, None)
    assert row.sent_at is not None


def test_failed_send_stays_queued_then_cli_retries(app, client, runner, mailbox, smtp_server):
    app.config["MAIL_PORT"] = free_port()  # nobody listens there
    app.extensions["mail"].port = app.config["MAIL_PORT"]
    response = client.post(
        "/auth/register",
        data={
            "full_name": "A",
            "email": "a@example.kz",
            "password": "long-enough-1",
            "password_confirm": "long-enough-1",
            "consent": "y",
        },
    )
    assert response.status_code == 302  # the user is registered even though mail failed
    [row] = _outbox(app)
    assert row.status == OutboxStatus.PENDING
    assert row.attempts == 1
    assert row.last_error.startswith("ConnectionRefusedError")
    assert mailbox.messages == []

    # it waits a minute before the next try
    assert row.next_attempt_at == row.last_attempt_at + timedelta(minutes=1)
    result = runner.invoke(args=["outbox", "send"])
    assert (result.exit_code, result.output.strip()) == (0, "sent 0, failed 0")

    _make_due(app)
    result = runner.invoke(args=["outbox", "send"])
    assert result.exit_code == 1
    assert result.output.strip() == "sent 0, failed 1"
    [row] = _outbox(app)
    assert row.next_attempt_at == row.last_attempt_at + timedelta(minutes=2)

    app.extensions["mail"].port = smtp_server.port
    _make_due(app)
    result = runner.invoke(args=["outbox", "send"])
    assert result.output.strip() == "sent 1, failed 0"
    [row] = _outbox(app)
    assert (row.status, row.attempts, row.last_error) == (OutboxStatus.SENT, 3, None)
    assert (row.claim_token, row.next_attempt_at) == (None, None)
    assert len(mailbox.wait_for("a@example.kz")) == 1


def test_message_is_given_up_after_max_attempts_and_can_be_requeued(app, runner):
    app.config["OUTBOX_MAX_ATTEMPTS"] = 2
    app.extensions["mail"].port = free_port()
    with app.app_context():
        db.session.add(
            OutboxMessage(
                recipient="z@example.kz", locale="kk", template="t", subject="s", body_text="b"
            )
        )
        db.session.commit()
        assert deliver().failed == 1
        assert deliver().failed == 0  # waiting for its back-off
        assert deliver(now=utcnow() + timedelta(minutes=1, seconds=1)).failed == 1
        assert deliver(now=utcnow() + timedelta(days=2)).failed == 0  # given up
    [row] = _outbox(app)
    assert (row.status, row.attempts) == (OutboxStatus.FAILED, 2)
    assert runner.invoke(args=["outbox", "status"]).output.split() == [
        "pending",
        "0",
        "sending",
        "0",
        "sent",
        "0",
        "failed",
        "1",
    ]
    assert runner.invoke(args=["outbox", "retry"]).output.strip() == "requeued 1"
    assert _outbox(app)[0].status == OutboxStatus.PENDING


def test_send_on_commit_can_be_switched_off(app, client, mailbox):
    app.config["MAIL_SEND_ON_COMMIT"] = False
    _add_queue_route(app, then_fail=False)
    client.post("/_test/queue")
    assert mailbox.messages == []
    assert _outbox(app)[0].status == OutboxStatus.PENDING


def test_console_backend_prints_instead_of_sending(app, capsys, mailbox):
    app.config["MAIL_BACKEND"] = "console"
    with app.app_context():
        db.session.add(
            OutboxMessage(
                recipient="c@example.kz",
                locale="ru",
                template="t",
                subject="Тема",
                body_text="Текст письма",
            )
        )
        db.session.commit()
        assert deliver().sent == 1
    out = capsys.readouterr().out
    assert "e-mail to c@example.kz (ru)" in out
    assert "Subject: Тема" in out
    assert "Текст письма" in out
    assert mailbox.messages == []


@pytest.mark.parametrize(
    ("locale", "subject"),
    [
        ("kk", "Құпиясөзді қалпына келтіру"),
        ("ru", "Восстановление пароля"),
        ("en", "Reset your password"),
    ],
)
def test_mail_is_in_the_recipients_language(client, create_user, mailbox, locale, subject):
    create_user("r@example.kz", locale=locale)
    client.post("/auth/reset", data={"email": "r@example.kz"}, headers={"Accept-Language": "kk"})
    [message] = mailbox.wait_for("r@example.kz")
    assert message["Subject"] == subject


def test_back_off_doubles_from_a_minute_to_a_day():
    waits = [backoff(n) for n in (1, 2, 3, 4, 10, 11, 12, 40)]
    minutes = [int(w.total_seconds() // 60) for w in waits]
    assert minutes == [1, 2, 4, 8, 512, 1024, 1440, 1440]


def test_a_claim_left_by_a_crashed_sender_expires(app, mailbox):
    with app.app_context():
        for n, age in ((1, CLAIM_LEASE - timedelta(minutes=1)), (2, CLAIM_LEASE + timedelta(1))):
            db.session.add(
                _message(
                    f"c{n}@example.kz",
                    status=OutboxStatus.SENDING,
                    claim_token="crashed",
                    claimed_at=utcnow() - age,
                    attempts=1,
                )
            )
        db.session.commit()
        assert deliver().sent == 1  # only the stale claim is taken over
    mailbox.wait_for("c2@example.kz")
    assert mailbox.to("c1@example.kz") == []
    rows = {r.recipient: r for r in _outbox(app)}
    assert (rows["c1@example.kz"].status, rows["c1@example.kz"].claim_token) == (
        OutboxStatus.SENDING,
        "crashed",
    )
    assert (rows["c2@example.kz"].status, rows["c2@example.kz"].attempts) == (OutboxStatus.SENT, 2)


def test_two_senders_at_once_send_each_message_once(app, smtp_server, mailbox):
    """Two `flask outbox send` processes at once over 50 pending messages, on a slow SMTP
    server: every recipient gets their message once, and the two runs' counts add up."""
    with app.app_context():
        for n in range(50):
            db.session.add(_message(f"r{n:02d}@example.kz", subject=f"s{n}"))
        db.session.commit()
    mailbox.delay = 0.02
    mailbox.gate = 2  # the first two messages wait for each other: one from each sender
    env = {
        **os.environ,
        "FLASK_APP": "smallgrants",
        "SMALLGRANTS_ENV": "development",
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "MAIL_BACKEND": "smtp",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(smtp_server.port),
    }
    senders = [
        subprocess.Popen(
            [sys.executable, "-m", "flask", "outbox", "send"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [sender.communicate(timeout=120) for sender in senders]
    assert [sender.returncode for sender in senders] == [0, 0], outputs
    sent = [int(re.fullmatch(r"sent (\d+), failed 0", out.strip()).group(1)) for out, _ in outputs]
    assert sum(sent) == 50
    assert min(sent) > 0, sent  # both really sent: they ran side by side
    received = Counter(m["To"] for m in mailbox.messages)
    assert received == Counter({f"r{n:02d}@example.kz": 1 for n in range(50)})
    assert {r.status for r in _outbox(app)} == {OutboxStatus.SENT}


def test_the_coordinator_sees_what_was_not_delivered_and_sends_it_again(
    app, client, auth, create_user, mailbox
):
    coordinator = create_user("coord@example.kz", roles=(Role.COORDINATOR,))
    with app.app_context():
        holder = default_organisation_id()
        other = Organisation(short_name="another", name_kk="Басқа ұйым")
        db.session.add(other)
        db.session.flush()
        # another holder's failure and an account's own failure: not this coordinator's
        for recipient, organisation_id in (("x1@example.kz", other.id), ("x2@example.kz", None)):
            db.session.add(
                _message(
                    recipient,
                    status=OutboxStatus.FAILED,
                    attempts=3,
                    last_error="SMTPRecipientsRefused",
                    last_attempt_at=utcnow(),
                    organisation_id=organisation_id,
                )
            )
        for n, status, error in (
            (1, OutboxStatus.SENT, None),
            (2, OutboxStatus.SENT, None),
            (3, OutboxStatus.PENDING, None),
            (4, OutboxStatus.PENDING, "SMTPServerDisconnected: Connection unexpectedly closed"),
            (5, OutboxStatus.FAILED, "SMTPRecipientsRefused: {'q5@example.kz': (550, 'no')}"),
        ):
            db.session.add(
                _message(
                    f"q{n}@example.kz",
                    subject=f"Тақырып {n}",
                    status=status,
                    attempts=0 if error is None else 3,
                    last_error=error,
                    last_attempt_at=None if error is None else utcnow(),
                    next_attempt_at=utcnow() + timedelta(minutes=4) if n == 4 else None,
                    organisation_id=holder,
                )
            )
        db.session.commit()
        failed_id = db.session.scalar(
            select(OutboxMessage.id).where(OutboxMessage.recipient == "q5@example.kz")
        )
    auth.as_user(coordinator)
    page = client.get("/manage/outbox").text
    counts = dict(re.findall(r'data-count="(\w+)">(\d+)<', page))
    assert counts == {"pending": "2", "sending": "0", "sent": "2", "failed": "1"}
    problems = re.findall(r'<tr data-message="(\d+)">\s*<td>([^<]+)</td>', page)
    # newest attempt first (q5 was tried after q4; equal times fall back to the newer id)
    assert [recipient for _id, recipient in problems] == ["q5@example.kz", "q4@example.kz"]
    assert "SMTPRecipientsRefused" in page and "келесі әрекет:" in page
    assert "q1@example.kz" not in page  # delivered mail is not listed
    assert "x1@example.kz" not in page and "x2@example.kz" not in page
    other_failure = _outbox_id(app, "x1@example.kz")
    assert client.post(f"/manage/outbox/{other_failure}/retry").status_code == 403
    response = client.post(f"/manage/outbox/{failed_id}/retry", follow_redirects=True)
    assert "Хат қайта кезекке қойылды, сәлден соң жіберіледі." in response.text
    assert len(mailbox.wait_for("q5@example.kz")) == 1  # sent after the response
    [row] = [r for r in _outbox(app) if r.recipient == "q5@example.kz"]
    assert (row.status, row.attempts) == (OutboxStatus.SENT, 1)
    again = client.post(f"/manage/outbox/{failed_id}/retry", follow_redirects=True)
    assert "Бұл хат қайта жіберуді күтіп тұрған жоқ." in again.text
    assert len(mailbox.to("q5@example.kz")) == 1
