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
