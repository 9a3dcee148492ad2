"""Video contests (issue 17): a link must lead to one of the contest's sites; the link shows
in the registry (a clickable column in the XLSX, no "requested" amounts), in the application
copy and in the meeting protocol."""

from __future__ import annotations

import io

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlalchemy import select

from smallgrants.applications.models import Application
from smallgrants.auth.models import Role
from smallgrants.competitions.models import Competition, EntryKind, host_allowed
from smallgrants.extensions import db
from tests.conftest import TINY_PDF


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://www.youtube.com/watch?v=abc", True),
        ("https://youtu.be/abc", True),
        ("https://m.tiktok.com/@a/video/1", True),
        ("https://YouTube.com/watch?v=abc", True),
        ("http://youtube.com/watch?v=abc", False),  # https only
        ("https://youtube.com.evil.kz/watch", False),
        ("https://notyoutube.com/watch", False),
        ("https://example.com/youtube.com", False),
        ("javascript:alert(1)//youtube.com", False),
    ],
)
def test_a_link_must_lead_to_one_of_the_sites(url, allowed):
    hosts = ["youtube.com", "youtu.be", "tiktok.com"]
    assert host_allowed(url, hosts) is allowed


@pytest.fixture
def contest(create_competition):
    return create_competition(
        published=True,
        entry_kind=EntryKind.VIDEO,
        grant_amount=200_000,
        grant_count=5,
        number_prefix="VC",
        video_hosts="instagram.com youtube.com",
    )


def _entry(app, client, application_id, url):
    return client.post(
        f"/applications/{application_id}/edit",
        data={
            "title": "Денсаулықты сақта",
            "district_code": "aksu",
            "settlement": "Жансүгіров",
            "video_url": url,
            "problem": "Жастарға арналған ролик",
        },
    )


def test_the_entry_form_refuses_other_sites_and_keeps_what_was_typed(
    app, client, auth, create_user, create_profile, create_application, contest
):
    user = create_user("a@example.kz")
    application = create_application(user, contest, create_profile(user), complete=False)
    auth.as_user(user)
    response = _entry(app, client, application.id, "https://vimeo.com/123")
    assert response.status_code == 200
    assert (
        "Сілтеме байқау сайттарының біріне апаруы керек: instagram.com, youtube.com."
        in response.text
    )
    assert 'value="https://vimeo.com/123"' in response.text
    assert 'value="Денсаулықты сақта"' in response.text
    with app.app_context():
        assert db.session.get(Application, application.id).video_url == ""
    assert (
        _entry(app, client, application.id, "https://www.instagram.com/reel/x1").status_code == 302
    )
    with app.app_context():
        assert db.session.get(Application, application.id).video_url == (
            "https://www.instagram.com/reel/x1"
        )


def test_the_coordinator_names_the_sites(app, client, auth, create_user):
    from tests.test_competitions import _form

    auth.as_user(create_user("c@example.kz", roles=(Role.COORDINATOR,)))
    data = _form(entry_kind="video", video_hosts="YouTube.com, https://www.tiktok.com/ tiktok.com")
    assert client.post("/manage/competitions/new", data=data).status_code == 302
    with app.app_context():
        c = db.session.scalars(select(Competition)).one()
        assert c.video_hosts == "youtube.com tiktok.com"
    data = _form(entry_kind="video", video_hosts="youtube.com, не сайт")
    response = client.post("/manage/competitions/new", data=data)
    assert response.status_code == 200
    assert "«не» сайт атауы емес (мысалы, youtube.com)." in response.text
    assert 'value="youtube.com, не сайт"' in response.text


def _submitted_entry(app, client, auth, create_user, create_profile, create_application, contest):
    user = create_user("a@example.kz")
    application = create_application(user, contest, create_profile(user), complete=False)
    auth.as_user(user)
    assert _entry(app, client, application.id, "https://youtu.be/x1?si=1").status_code == 200
    assert (
        _entry(app, client, application.id, "https://www.youtube.com/watch?v=x1").status_code == 302
    )
    with app.app_context():
        for item in db.session.get(Application, application.id).competition.checklist:
            client.post(
                f"/applications/{application.id}/attachments",
                data={"file": (io.BytesIO(TINY_PDF), "id.pdf"), "checklist_item_id": item.id},
                content_type="multipart/form-data",
            )
    assert client.post(f"/applications/{application.id}/submit").status_code == 302
    return application.id


def test_the_registry_and_the_application_copy_show_the_link(
    app, client, auth, create_user, create_profile, create_application, contest
):
    application_id = _submitted_entry(
        app, client, auth, create_user, create_profile, create_application, contest
    )
    url = "https://www.youtube.com/watch?v=x1"
    auth.as_user(create_user("c@example.kz", roles=(Role.COORDINATOR,)))
    page = client.get(f"/manage/competitions/{contest.id}/applications").text
    assert (
        f'<td data-testid="registry-video"><a href="{url}" rel="noopener noreferrer" '
        f'target="_blank">{url}</a></td>' in page
    )
    assert 'data-count="requested"' not in page and "<th>Бейнеролик</th>" in page
    ws = load_workbook(
        io.BytesIO(client.get(f"/manage/competitions/{contest.id}/applications.xlsx").data)
    ).active
    assert [c.value for c in ws[2]][6:8] == ["Атауы", "Бейнеролик"]
    assert ws["H3"].value == url
    assert ws["H3"].hyperlink.target == url
    assert ws["G4"].value is None  # no "Total" row: nothing is requested
    doc = Document(io.BytesIO(client.get(f"/applications/{application_id}.docx").data))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings[-4:] == [
        "1. Жалпы мәліметтер",
        "2. Бейнеролик",
        "3. Бейнеролик туралы",
        "4. Құжаттар",
    ]
    links = [r.target_ref for r in doc.part.rels.values() if r.reltype.endswith("/hyperlink")]
    assert links == [url]
    assert "Атауы: Денсаулықты сақта" in [p.text for p in doc.paragraphs]


def test_the_meeting_protocol_lists_each_entry_s_video(app, client, auth, create_grant_case):
    case = create_grant_case(2, until="meeting")
    with app.app_context():
        db.session.get(Competition, case.competition_id).entry_kind = EntryKind.VIDEO
        for n, application_id in enumerate(case.application_ids, 1):
            db.session.get(Application, application_id).video_url = f"https://youtu.be/v{n}"
        db.session.commit()
        numbers = [db.session.get(Application, i).number for i in case.application_ids]
        titles = [db.session.get(Application, i).title for i in case.application_ids]
    auth.as_user(case.coordinator)
    response = client.get(f"/manage/competitions/{case.competition_id}/meeting/protocol.docx")
    doc = Document(io.BytesIO(response.data))
    texts = [p.text for p in doc.paragraphs]
    assert "Өтінімдердің бейнероликтері:" in texts
    videos = next(t for t in doc.tables if t.rows[0].cells[2].text == "Бейнеролик")
    rows = sorted([c.text for c in r.cells] for r in videos.rows[1:])
    assert rows == sorted(
        [
            [numbers[0], titles[0], "https://youtu.be/v1"],
            [numbers[1], titles[1], "https://youtu.be/v2"],
        ]
    )
