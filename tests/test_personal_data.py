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
            "consent": "y",
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


def test_registration_asks_consent_and_stores_its_time_and_version(app, client):
    from smallgrants.auth.consent import CONSENT_VERSION
    from smallgrants.auth.models import User

    data = {
        "full_name": "Дана",
        "email": "dana@example.kz",
        "password": "жасыл-алма-2024",
        "password_confirm": "жасыл-алма-2024",
    }
    refused = client.post("/auth/register", data=data)
    assert refused.status_code == 200
    assert "Бұл келісімсіз өтініміңізді сақтай алмаймыз." in refused.text
    assert 'value="dana@example.kz"' in refused.text
    assert 'href="/privacy"' in refused.text
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(User.id))) == 0
    assert client.post("/auth/register", data={**data, "consent": "y"}).status_code == 302
    with app.app_context():
        user = db.session.scalars(db.select(User)).one()
        assert user.consent_version == CONSENT_VERSION
        assert user.consent_at is not None
        assert abs((user.consent_at - user.created_at).total_seconds()) < 5


def test_the_privacy_notice_is_public_in_every_language(client):
    for lang, heading in (
        ("kk", "Дербес деректер: не сақтаймыз, не үшін, кім көреді және қанша уақыт"),
        ("ru", "Персональные данные: что мы храним, зачем, кто видит и как долго"),
        ("en", "Personal data: what we keep, why, who sees it and for how long"),
    ):
        client.post("/language", data={"locale": lang, "next": "/privacy"})
        page = client.get("/privacy")
        assert page.status_code == 200
        assert heading in page.text


def _applicant_with_history(
    app, create_user, create_competition, create_profile, create_application
):
    user = create_user("dana@example.kz", full_name="Дана Жұмабаева")
    competition = create_competition(published=True)
    profile = create_profile(user, name="«Жастар» тобы", leader_iin=demo_iin(3))
    submitted = create_application(user, competition, profile, submit=True)
    draft = create_application(
        user, create_competition(published=True), create_profile(user, leader_iin=demo_iin(4))
    )
    return user, submitted, draft


def test_my_data_downloads_everything_in_json_and_xlsx(
    app, client, auth, create_user, create_competition, create_profile, create_application
):
    import json

    from openpyxl import load_workbook

    user, submitted, _draft = _applicant_with_history(
        app, create_user, create_competition, create_profile, create_application
    )
    auth.as_user(user)
    page = client.get("/account/data")
    assert page.status_code == 200
    assert 'data-testid="download-json"' in page.text
    response = client.get("/account/data.json")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == "attachment; filename=my-data.json"
    data = json.loads(response.data)
    assert data["account"][0]["email"] == "dana@example.kz"
    assert [p["leader_iin"] for p in data["applicant_profiles"]] == [demo_iin(3), demo_iin(4)]
    assert data["applicant_profiles"][0]["phone"] == "+77012345678"
    with app.app_context():
        number = db.session.get(Application, submitted.id).number
    assert [(a["number"], a["status"]) for a in data["applications"]] == [
        (number, "submitted"),
        (None, "draft"),
    ]
    assert {e["subject"] for e in data["emails"]} >= {f"{number} өтінімі қабылданды"}
    xlsx = client.get("/account/data.xlsx")
    assert xlsx.status_code == 200
    wb = load_workbook(io.BytesIO(xlsx.data))
    assert {"account", "applicant_profiles", "applications", "emails"} <= set(wb.sheetnames)
    sheet = wb["applicant_profiles"]
    header = [c.value for c in sheet[1]]
    phone = sheet.cell(2, header.index("phone") + 1)
    assert (phone.value, phone.data_type) == ("+77012345678", "s")  # text, not a formula


def test_erasing_keeps_the_records_without_the_identity(
    app, client, auth, create_user, create_competition, create_profile, create_application
):
    from sqlalchemy import func, select

    from smallgrants.applications.models import ApplicantProfile
    from smallgrants.auth.models import User, UserSession
    from smallgrants.core.models import AuditLog, OutboxMessage

    user, submitted, draft = _applicant_with_history(
        app, create_user, create_competition, create_profile, create_application
    )
    auth.as_user(user)
    wrong = client.post("/account/erase", data={"password": "nope", "understood": "y"})
    assert wrong.status_code == 200
    assert "Құпиясөз қате." in wrong.text
    with app.app_context():
        assert db.session.get(User, user.id).email == "dana@example.kz"
    from tests.conftest import PASSWORD

    response = client.post("/account/erase", data={"password": PASSWORD, "understood": "y"})
    assert response.status_code == 302
    assert client.get("/account/profile").status_code == 302  # signed out
    assert (
        client.post(
            "/auth/login", data={"email": "dana@example.kz", "password": PASSWORD}
        ).status_code
        == 200
    )
    with app.app_context():
        erased = db.session.get(User, user.id)
        assert (erased.email, erased.full_name, erased.phone, erased.active) == (
            f"erased-{user.id}@erased.invalid",
            "",
            None,
            False,
        )
        assert erased.erased_at is not None
        assert db.session.get(Application, draft.id) is None  # the draft is gone
        kept = db.session.get(Application, submitted.id)
        assert kept.status.value == "submitted"  # the competition's record stays
        assert (kept.snapshot["profile"]["leader_iin"], kept.snapshot["profile"]["phone"]) == (
            "",
            "",
        )
        assert kept.snapshot["profile"]["name"] == "«Жастар» тобы"
        profile = db.session.get(ApplicantProfile, kept.profile_id)
        assert (profile.leader_iin, profile.phone, profile.email) == ("", None, "")
        assert (
            db.session.scalar(
                select(func.count(ApplicantProfile.id)).where(ApplicantProfile.owner_id == user.id)
            )
            == 1
        )  # the draft's own profile went with it
        assert (
            db.session.scalar(
                select(func.count(UserSession.id)).where(UserSession.user_id == user.id)
            )
            == 0
        )
        recipients = set(db.session.scalars(select(OutboxMessage.recipient)))
        assert "dana@example.kz" not in recipients
        assert (
            db.session.scalars(
                select(AuditLog.action).where(AuditLog.object_id == str(user.id))
            ).all()[-1]
            == "user.erase"
        )
        every = " ".join(str(p) for p in db.session.scalars(select(AuditLog.payload)))
    assert demo_iin(3) not in every


def test_the_only_administrator_cannot_erase_themself(app, client, auth, create_user):
    from smallgrants.auth.models import Role
    from tests.conftest import PASSWORD

    admin = create_user("admin@example.kz", roles=(Role.ADMIN,))
    auth.as_user(admin)
    response = client.post("/account/erase", data={"password": PASSWORD, "understood": "y"})
    assert response.status_code == 200
    assert "Сіз жалғыз әкімшісіз" in response.text
