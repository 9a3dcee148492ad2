"""E-mail outbox: queued in the request's transaction, sent after its commit, kept on failure."""

from __future__ import annotations

import pytest
from flask import abort
from sqlalchemy import select

from smallgrants.core.models import OutboxMessage, OutboxStatus
from smallgrants.core.outbox import deliver
from smallgrants.core.services import queue_email
from smallgrants.extensions import db
from tests.conftest import body_html, body_text, free_port

# the outbox worker commits each message's outcome after the request's own commit
pytestmark = pytest.mark.real_commits


@pytest.fixture
def app(fresh_app):
    """These tests add a route of their own."""
    return fresh_app


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
        },
    )
    assert response.status_code == 302  # the user is registered even though mail failed
    [row] = _outbox(app)
    assert row.status == OutboxStatus.PENDING
    assert row.attempts == 1
    assert row.last_error.startswith("ConnectionRefusedError")
    assert mailbox.messages == []

    result = runner.invoke(args=["outbox", "send"])
    assert result.exit_code == 1
    assert result.output.strip() == "sent 0, failed 1"

    app.extensions["mail"].port = smtp_server.port
    result = runner.invoke(args=["outbox", "send"])
    assert result.output.strip() == "sent 1, failed 0"
    [row] = _outbox(app)
    assert (row.status, row.attempts, row.last_error) == (OutboxStatus.SENT, 3, None)
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
        assert deliver().failed == 1
        assert deliver().failed == 0  # nothing pending any more
    [row] = _outbox(app)
    assert (row.status, row.attempts) == (OutboxStatus.FAILED, 2)
    assert runner.invoke(args=["outbox", "status"]).output.split() == [
        "pending",
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
