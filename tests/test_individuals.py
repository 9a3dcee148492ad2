"""People entering a contest as themselves (issue 17): an individual's profile with their IIN,
the competition's setting for who may enter and its age range read from the IIN on the
closing day, checked when the entry starts and again at submission; one entry per IIN."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from smallgrants.applications.models import (
    ApplicantKind,
    ApplicantProfile,
    Application,
    ApplicationStatus,
)
from smallgrants.competitions.models import Competition, EntryKind
from smallgrants.core.identifiers import has_valid_check_digit
from smallgrants.core.timeutil import to_local
from smallgrants.extensions import db
from tests.conftest import TINY_PDF


def body_text(html: str) -> str:
    """The page's words: tags dropped, entities read, spaces collapsed."""
    import html as html_lib

    return re.sub(r"[ \t\r\n]+", " ", html_lib.unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def iin_born(day: date, serial: int = 1, female: bool = False) -> str:
    """A valid IIN of a person born on `day` (the first serial from `serial` that has a check
    digit)."""
    century = {1900: 3, 2000: 5}[day.year // 100 * 100] + int(female)
    for n in range(serial, serial + 100):
        head = f"{day:%y%m%d}{century}{n:04d}"
        for digit in range(10):
            if has_valid_check_digit(head + str(digit)):
                return head + str(digit)
    raise ValueError(day)


def _years_before(day: date, years: int) -> date:
    return day.replace(year=day.year - years)


@pytest.fixture
def contest(app, create_competition):
    """A video contest only for individuals aged 14 to 29 on its closing day."""
    c = create_competition(
        published=True,
        entry_kind=EntryKind.VIDEO,
        grant_amount=200_000,
        grant_count=5,
        accepts_ngo=False,
        accepts_group=False,
        accepts_individual=True,
        min_age=14,
        max_age=29,
        number_prefix="VC",
    )
    with app.app_context():
        closing_day = to_local(db.session.get(Competition, c.id).closes_at).date()
    return c, closing_day


def _individual(client, name: str, iin: str) -> int:
    response = client.post(
        "/profiles/new/individual",
        data={"name": name, "leader_iin": iin, "phone": "8 701 234 56 78"},
    )
    assert response.status_code == 302, body_text(response.text)[:500]
    return db.session.scalars(
        select(ApplicantProfile.id).where(ApplicantProfile.name == name)
    ).one()


def test_an_individual_profile_checks_the_iin_and_keeps_what_was_typed(
    app, client, auth, create_user
):
    auth.as_user(create_user("p@example.kz"))
    page = client.get("/profiles/new/individual").text
    assert '<h1 class="h3 mb-3">Жеке қатысушы</h1>' in page
    assert 'name="head_name"' not in page and 'name="members-0-full_name"' not in page
    data = {"name": "Айгерім Сапарова", "leader_iin": "791028302729", "phone": "8 701 234 56 78"}
    response = client.post("/profiles/new/individual", data=data)
    assert response.status_code == 200
    assert "Бақылау цифры сәйкес келмейді: қате терілген цифрды іздеңіз." in response.text
    assert 'value="Айгерім Сапарова"' in response.text and 'value="791028302729"' in response.text
    data["leader_iin"] = "791028302728"
    assert client.post("/profiles/new/individual", data=data).status_code == 302
    with app.app_context():
        profile = db.session.scalars(select(ApplicantProfile)).one()
        assert (profile.kind, profile.name, profile.leader_iin, profile.bin, profile.members) == (
            ApplicantKind.INDIVIDUAL,
            "Айгерім Сапарова",
            "791028302728",
            None,
            [],
        )
    listing = body_text(client.get("/profiles").text)
    assert "Айгерім Сапарова Жеке тұлға · ЖСН 791028302728" in listing


def test_the_age_is_read_from_the_iin_on_the_closing_day(app, client, auth, create_user, contest):
    c, closing_day = contest
    auth.as_user(create_user("p@example.kz"))
    announcement = client.get(f"/competitions/{c.id}").text
    assert "Қабылдаудың соңғы күні 14–29 жастағы жеке тұлғалар" in announcement
    assert 'data-testid="new-individual"' in announcement
    cases = [  # (born, may enter): 30 on the closing day is too old, 29 is not
        (_years_before(closing_day, 30), False),
        (_years_before(closing_day, 30) + timedelta(days=1), True),
        (_years_before(closing_day, 14), True),
        (_years_before(closing_day, 14) + timedelta(days=1), False),
    ]
    from smallgrants.core.i18n import format_date

    with app.test_request_context():
        day = format_date(closing_day, "kk")  # «2026 ж. 31 желтоқсан»
    for n, (born, allowed) in enumerate(cases):
        with app.app_context():
            profile_id = _individual(client, f"Қатысушы {n}", iin_born(born, serial=n * 10 + 1))
        response = client.post(f"/competitions/{c.id}/apply", data={"profile_id": profile_id})
        assert response.status_code == 302
        if allowed:
            assert "/applications/" in response.headers["Location"]
        else:
            age = 30 if n == 0 else 13
            message = (
                f"Қатысушылардың жасы {day} күні 14 мен 29 аралығында болуы керек; ЖСН бойынша "
                f"сіз {age} жастасыз."
            )
            page = client.get(response.headers["Location"]).text
            assert message in body_text(page), body_text(page)[:800]


def test_an_individual_enters_a_video_contest_and_the_registry_says_so(
    app, client, auth, create_user, contest
):
    c, closing_day = contest
    user = create_user("p@example.kz")
    auth.as_user(user)
    with app.app_context():
        profile_id = _individual(
            client, "Ерасыл Нұрланұлы", iin_born(_years_before(closing_day, 19))
        )
    response = client.post(f"/competitions/{c.id}/apply", data={"profile_id": profile_id})
    application_id = int(re.search(r"/applications/(\d+)", response.headers["Location"]).group(1))
    data = {
        "title": "Денсаулықты сақта",
        "district_code": "aksu",
        "settlement": "Жансүгіров",
        "video_url": "https://www.youtube.com/watch?v=abc123",
        "problem": "Жастарға арналған ролик",
    }
    assert client.post(f"/applications/{application_id}/edit", data=data).status_code == 302
    with app.app_context():
        for item in db.session.get(Application, application_id).competition.checklist:
            client.post(
                f"/applications/{application_id}/attachments",
                data={"file": (io.BytesIO(TINY_PDF), "id.pdf"), "checklist_item_id": item.id},
                content_type="multipart/form-data",
            )
    assert client.post(f"/applications/{application_id}/submit").status_code == 302
    with app.app_context():
        entry = db.session.get(Application, application_id)
        assert (entry.status, entry.number[:3]) == (ApplicationStatus.SUBMITTED, "VC-")
    from smallgrants.auth.models import Role

    auth.as_user(create_user("c@example.kz", roles=(Role.COORDINATOR,)))
    registry = client.get(f"/manage/competitions/{c.id}/applications").text
    assert '<div class="small" data-count="individuals">Жеке тұлғалар: 1</div>' in registry
    assert '<option value="individual" >Жеке тұлға</option>' in registry
    assert '<option value="ngo"' not in registry  # the contest takes no NGOs
    assert "<td>Жеке тұлға</td>" in registry
    filtered = client.get(
        f"/manage/competitions/{c.id}/applications", query_string={"kind": "individual"}
    ).text
    assert 'data-testid="registry-name">Ерасыл Нұрланұлы<' in filtered


def test_one_entry_per_person_and_other_kinds_refused(
    app, client, auth, create_user, create_profile, create_application, contest
):
    c, closing_day = contest
    iin = iin_born(_years_before(closing_day, 20))
    first = create_user("first@example.kz")
    auth.as_user(first)
    with app.app_context():
        first_profile = _individual(client, "Дана Бекова", iin)
    with app.app_context():
        profile = db.session.get(ApplicantProfile, first_profile)
        db.session.expunge(profile)
    entry = create_application(first, c, profile, complete=False)
    from smallgrants.applications import services

    with app.test_request_context():
        from smallgrants.auth.models import User

        user = db.session.get(User, first.id)
        a = db.session.get(Application, entry.id)
        a.title, a.district_code, a.settlement = "Бейне", "aksu", "Текелі"
        a.video_url, a.problem = "https://youtu.be/x1", "Ролик"
        for item in a.competition.checklist:
            services.add_attachment(user, a, io.BytesIO(TINY_PDF), "id.pdf", item.id)
        services.submit(user, a)
        db.session.commit()
        number = a.number
    # the same person from a second account: refused at submission, naming the entry
    second = create_user("second@example.kz")
    auth.as_user(second)
    with app.app_context():
        second_profile = _individual(client, "Дана Бекова (2)", iin)
    response = client.post(f"/competitions/{c.id}/apply", data={"profile_id": second_profile})
    application_id = int(re.search(r"/applications/(\d+)", response.headers["Location"]).group(1))
    client.post(
        f"/applications/{application_id}/edit",
        data={
            "title": "Бейне 2",
            "district_code": "aksu",
            "settlement": "Текелі",
            "video_url": "https://youtu.be/x2",
            "problem": "Ролик",
        },
    )
    with app.app_context():
        for item in db.session.get(Application, application_id).competition.checklist:
            client.post(
                f"/applications/{application_id}/attachments",
                data={"file": (io.BytesIO(TINY_PDF), "id.pdf"), "checklist_item_id": item.id},
                content_type="multipart/form-data",
            )
    page = client.post(f"/applications/{application_id}/submit", follow_redirects=True).text
    assert f"ЖСН {iin} адамның өтінімі бұл байқауда бар ({number})." in body_text(page)
    # an initiative group may not enter a contest for individuals
    third = create_user("group@example.kz")
    group = create_profile(third)
    auth.as_user(third)
    response = client.post(f"/competitions/{c.id}/apply", data={"profile_id": group.id})
    page = client.get(response.headers["Location"]).text
    assert "Бұл байқау мұндай өтініш берушілерді қабылдамайды." in body_text(page)


def test_the_competition_form_sets_who_may_enter_and_the_ages(app, client, auth, create_user):
    from smallgrants.auth.models import Role
    from tests.test_competitions import _form as competition_form

    auth.as_user(create_user("c@example.kz", roles=(Role.COORDINATOR,)))
    data = competition_form(accepts_ngo=None, accepts_group=None, accepts_individual="y")
    data.update(min_age="30", max_age="14")
    response = client.post("/manage/competitions/new", data=data)
    assert response.status_code == 200
    assert "Ең төменгі жас ең жоғарғыдан аспауы керек." in response.text
    assert re.search(r'<input[^>]*name="min_age"[^>]*value="30"', response.text)
    del data["accepts_individual"]
    response = client.post("/manage/competitions/new", data=data)
    assert "ҮЕҰ-ны, бастамашыл топтарды немесе жеке тұлғаларды қабылдаңыз." in response.text
    data.update(accepts_individual="y", min_age="14", max_age="29")
    assert client.post("/manage/competitions/new", data=data).status_code == 302
    with app.app_context():
        c = db.session.scalars(select(Competition)).one()
        assert (c.accepts_ngo, c.accepts_group, c.accepts_individual, c.min_age, c.max_age) == (
            False,
            False,
            True,
            14,
            29,
        )
