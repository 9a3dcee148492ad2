"""Personal data by purpose (issue 15): a commission member scores from a copy without IINs,
phones and e-mails; the audit log and the logs keep no phone numbers or e-mail addresses;
links in delivered e-mails do not stay in the outbox."""

from __future__ import annotations

import io

from docx import Document

from smallgrants.applications.models import Application
from smallgrants.demo import demo_iin
from smallgrants.extensions import db
from tests.test_commission import _declare


def _docx_text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    parts += [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_member_docx_has_no_iin_phone_or_email_and_the_coordinators_has(
    app, client, auth, create_commission_case
):
    case = create_commission_case(1)
    [application_id] = case.application_ids
    auth.as_user(case.chair)
    assert _declare(client, application_id).status_code == 302
    member_copy = client.get(f"/applications/{application_id}.docx")
    assert member_copy.status_code == 200
    member_text = _docx_text(member_copy.data)
    auth.as_user(case.coordinator)
    full_text = _docx_text(client.get(f"/applications/{application_id}.docx").data)
    with app.app_context():
        snapshot = db.session.get(Application, application_id).snapshot
    iin, phone, email = demo_iin(1), "+77012345678", "group@example.kz"
    assert snapshot["profile"]["leader_iin"] == iin
    for secret in (iin, phone, email):
        assert secret in full_text
        assert secret not in member_text
    # what the member needs to score is there: the group, its members' names, the plan
    assert "Топ 1" in member_text
    assert "Мүше 1" in member_text
    assert snapshot["title"] in member_text


def test_audit_log_records_that_a_phone_changed_not_the_phone(app, client, auth, create_user):
    from sqlalchemy import select

    from smallgrants.core.models import AuditLog

    user = create_user("a@example.kz")
    auth.as_user(user)
    response = client.post(
        "/account/profile",
        data={"full_name": "Айгүл Сейіт", "phone": "+7 701 234 56 78", "locale": "kk"},
    )
    assert response.status_code == 302
    with app.app_context():
        entry = db.session.scalars(
            select(AuditLog).where(AuditLog.action == "user.profile_update")
        ).one()
        assert entry.payload == {"full_name": "Айгүл Сейіт", "phone": "changed"}
        every = db.session.scalars(select(AuditLog.payload)).all()
    assert not any("7012345678" in str(p) or "@" in str(p) for p in every)


def test_logs_and_delivered_mail_keep_no_addresses_or_links(
    app, client, runner, mailbox, smtp_server, caplog
):
    import logging

    from sqlalchemy import select

    from smallgrants.core.models import OutboxMessage, OutboxStatus
    from tests.conftest import free_port

    caplog.set_level(logging.DEBUG)
    app.config["MAIL_PORT"] = free_port()  # the first try fails: nobody listens
    app.extensions["mail"].port = app.config["MAIL_PORT"]
    password = "жасыл-алма-2024"
    client.post(
        "/auth/register",
        data={
            "full_name": "Дана",
            "email": "dana@example.kz",
            "password": password,
            "password_confirm": password,
        },
    )
    with app.app_context():
        row = db.session.scalars(select(OutboxMessage)).one()
        assert row.status == OutboxStatus.PENDING
        assert "/auth/confirm/" in row.body_text  # kept while it waits
        row.next_attempt_at = None
        db.session.commit()
    app.extensions["mail"].port = smtp_server.port
    assert runner.invoke(args=["outbox", "send"]).output.strip() == "sent 1, failed 0"
    assert len(mailbox.wait_for("dana@example.kz")) == 1
    with app.app_context():
        row = db.session.scalars(select(OutboxMessage)).one()
        assert (row.status, row.recipient, row.body_text, row.body_html) == (
            OutboxStatus.SENT,
            "dana@example.kz",
            "",
            None,
        )
    # the product's own logs (the test SMTP server's are its own business)
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("smallgrants"))
    assert "e-mail" in logged  # the failure was logged …
    assert "dana@example.kz" not in logged  # … without the address
