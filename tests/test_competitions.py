"""Competition set-up, announcement and the states draft → published (upcoming/open/closed)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from smallgrants.auth.models import Role
from smallgrants.competitions.models import Competition, CompetitionStatus, Phase
from smallgrants.core.models import AuditLog
from smallgrants.extensions import db


@pytest.fixture
def coordinator(create_user, auth):
    user = create_user("coord@example.kz", roles=(Role.COORDINATOR,))
    auth.as_user(user)
    return user


def _form(**overrides):
    data = {
        "title_kk": "Жастар арасында синтетикалық есірткінің алдын алу",
        "title_ru": "Профилактика синтетических наркотиков",
        "description_kk": "Сипаттама",
        "description_ru": "Описание",
        "direction_kk": "Жастар саясаты",
        "direction_ru": "Молодёжная политика",
        "region_code": "KZ-33",
        "district_codes": ["aksu", "panfilov"],
        "grant_amount": "300 000",
        "grant_count": "10",
        "accepts_ngo": "y",
        "accepts_group": "y",
        "min_group_members": "3",
        "opens_at": "2030-08-23T09:00",
        "closes_at": "2030-09-30T23:59",
        "rules_kk": "Ереже мәтіні",
        "rules_ru": "Текст правил",
        "number_prefix": "sg",
        "criteria-0-title_kk": "Өзектілігі",
        "criteria-0-title_ru": "Актуальность",
        "criteria-0-max_points": "10",
        "criteria-0-weight": "2",
        "criteria-1-title_kk": "Бюджеттің негізділігі",
        "criteria-1-max_points": "5",
        "criteria-1-weight": "1",
        "criteria-2-title_kk": "",
        "checklist-0-title_kk": "Жарғы",
        "checklist-0-title_ru": "Устав",
        "checklist-0-required": "y",
        "checklist-1-title_kk": "Хат",
        "checklist-1-title_ru": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def _only_competition(app) -> Competition:
    with app.app_context():
        competition = db.session.scalars(
            select(Competition).options(  # read after the context: loaded with it
                selectinload(Competition.criteria),
                selectinload(Competition.checklist),
                selectinload(Competition.district_rows),
            )
        ).one()
        db.session.expunge(competition)
        return competition


def test_coordinator_creates_a_draft_with_criteria_and_checklist(app, client, coordinator):
    response = client.post("/manage/competitions/new", data=_form())
    assert response.status_code == 302
    c = _only_competition(app)
    assert response.headers["Location"] == f"/competitions/{c.id}"
    assert c.status == CompetitionStatus.DRAFT
    assert (c.grant_amount, c.grant_count, c.pool) == (300_000, 10, 3_000_000)
    # typed in Almaty time (UTC+5 in 2030), stored in UTC
    assert c.opens_at == datetime(2030, 8, 23, 4, 0, tzinfo=UTC)
    # a deadline typed as 23:59 lasts until 23:59:59
    assert c.closes_at == datetime(2030, 9, 30, 18, 59, 59, tzinfo=UTC)
    assert c.number_prefix == "SG"
    assert sorted(c.district_codes) == ["aksu", "panfilov"]
    assert [(cr.position, cr.title_kk, cr.max_points, cr.weight) for cr in c.criteria] == [
        (1, "Өзектілігі", 10, 2),
        (2, "Бюджеттің негізділігі", 5, 1),
    ]
    assert [(i.title_kk, i.required) for i in c.checklist] == [("Жарғы", True), ("Хат", False)]


def test_form_errors_keep_every_value(app, client, coordinator):
    response = client.post(
        "/manage/competitions/new",
        data=_form(title_kk="", grant_amount="үш жүз", **{"criteria-1-max_points": ""}),
    )
    assert response.status_code == 200
    html = response.text
    assert "Бұл өрісті толтыру міндетті." in html
    assert "Теңгенің бүтін санын енгізіңіз, мысалы 300 000." in html
    assert 'value="үш жүз"' in html
    assert 'value="Бюджеттің негізділігі"' in html
    assert 'value="2030-09-30T23:59"' in html
    assert "Ереже мәтіні" in html
    with app.app_context():
        assert db.session.scalars(select(Competition)).all() == []


def test_window_must_close_after_it_opens(app, client, coordinator):
    response = client.post("/manage/competitions/new", data=_form(closes_at="2030-08-01T10:00"))
    assert response.status_code == 200
    assert "Өтінімдерді қабылдау мерзімі ашылғаннан кейін жабылуы керек." in response.text
    assert 'value="2030-08-01T10:00"' in response.text


def test_video_contest_is_configured_with_the_same_screens(app, client, coordinator):
    client.post(
        "/manage/competitions/new",
        data=_form(
            title_kk="Бейнеролик байқауы",
            grant_amount="200000",
            grant_count="5",
            accepts_group=None,
            district_codes=[],
            entry_kind="video",
        ),
    )
    c = _only_competition(app)
    assert c.entry_kind.value == "video"
    assert (c.grant_amount, c.grant_count, c.pool, c.accepts_group) == (
        200_000,
        5,
        1_000_000,
        False,
    )
    page = client.get(f"/competitions/{c.id}").text
    assert '<dd class="col-sm-8" data-fact="pool">1\u00a0000\u00a0000\u00a0₸</dd>' in page
    assert '<dd class="col-sm-8" data-fact="amount">200\u00a0000\u00a0₸</dd>' in page
    assert 'data-fact="entry-kind">Бейнероликтерге сілтемелер (бейнеролик байқауы)</dd>' in page


def test_publish_then_public_sees_it_in_the_right_section(app, client, coordinator):
    client.post("/manage/competitions/new", data=_form())
    c = _only_competition(app)
    assert app.test_client().get(f"/competitions/{c.id}").status_code == 404  # draft
    response = client.post(
        f"/manage/competitions/{c.id}/status", data={"to": "published"}, follow_redirects=True
    )
    assert "Байқау жарияланды." in response.text
    public = app.test_client()
    listing = public.get("/competitions").text
    upcoming = listing[
        listing.index('data-section="upcoming"') : listing.index('data-section="past"')
    ]
    assert f'data-competition="{c.id}"' in upcoming
    page = public.get(f"/competitions/{c.id}", headers={"Accept-Language": "ru"}).text
    assert "Профилактика синтетических наркотиков" in page
    assert '<dd class="col-sm-8" data-fact="closes">30.09.2030, 23:59' in page
    assert "Аксуский район, Панфиловский район" in page
    with app.app_context():
        actions = list(
            db.session.scalars(
                select(AuditLog.action).where(AuditLog.object_type == "competitions")
            )
        )
    assert actions == ["competition.create", "competition.status"]


def test_publish_needs_a_criterion(app, client, coordinator):
    client.post(
        "/manage/competitions/new",
        data=_form(**{"criteria-0-title_kk": "", "criteria-1-title_kk": ""}),
    )
    c = _only_competition(app)
    response = client.post(
        f"/manage/competitions/{c.id}/status", data={"to": "published"}, follow_redirects=True
    )
    assert "Жарияламас бұрын кемінде бір бағалау өлшемшартын қосыңыз." in response.text
    assert _only_competition(app).status == CompetitionStatus.DRAFT


def test_open_competition_freezes_amounts_and_criteria(
    app, client, coordinator, create_competition
):
    c = create_competition(published=True, opens_in_days=-1)
    edit = client.get(f"/manage/competitions/{c.id}/edit")
    assert edit.status_code == 200
    assert "Өтінімдер қабылдануда: сомалар, гранттар саны және өлшемшарттар өзгермейді." in (
        edit.text
    )
    form = _form(opens_at=None, closes_at=None)
    form["opens_at"] = edit.text.split('name="opens_at"')[1].split('value="')[1].split('"')[0]
    form["closes_at"] = edit.text.split('name="closes_at"')[1].split('value="')[1].split('"')[0]
    form.update({"district_codes": ["aksu", "karatal"], "grant_amount": "500000"})
    response = client.post(f"/manage/competitions/{c.id}/edit", data=form)
    assert response.status_code == 200
    assert "сомалар, марапаттар саны, жүлделер және өлшемшарттар өзгертілмейді" in response.text
    with app.app_context():
        assert db.session.get(Competition, c.id).grant_amount == 300_000


def test_changes_after_publishing_are_audited_with_the_fields(
    app, client, coordinator, create_competition
):
    c = create_competition(published=True, opens_in_days=-1)
    edit = client.get(f"/manage/competitions/{c.id}/edit").text

    def value(name):
        return edit.split(f'name="{name}"')[1].split('value="')[1].split('"')[0]

    form = {
        name: value(name)
        for name in (
            "title_kk",
            "title_ru",
            "direction_kk",
            "direction_ru",
            "grant_amount",
            "grant_count",
            "min_group_members",
            "opens_at",
            "closes_at",
            "number_prefix",
            "criteria-0-title_kk",
            "criteria-0-title_ru",
            "criteria-0-max_points",
            "criteria-0-weight",
            "criteria-1-title_kk",
            "criteria-1-title_ru",
            "criteria-1-max_points",
            "criteria-1-weight",
            "checklist-0-title_kk",
            "checklist-0-title_ru",
        )
    }
    form.update(
        {
            "region_code": "KZ-33",
            "district_codes": ["aksu", "karatal"],
            "accepts_ngo": "y",
            "accepts_group": "y",
            "checklist-0-required": "y",
            "description_kk": "Жаңа сипаттама",
            "description_ru": "Конкурс малых грантов",
            "rules_kk": "Ереже",
            "rules_ru": "Правила",
        }
    )
    response = client.post(f"/manage/competitions/{c.id}/edit", data=form)
    assert response.status_code == 302, response.text
    with app.app_context():
        entry = db.session.scalars(
            select(AuditLog).where(AuditLog.action == "competition.update")
        ).one()
        assert entry.payload == {"phase": "open", "changes": {"description_kk": "Жаңа сипаттама"}}


def test_withdraw_to_draft_only_before_the_window_opens(
    app, client, coordinator, create_competition
):
    upcoming = create_competition(published=True, opens_in_days=5)
    open_ = create_competition(published=True, opens_in_days=-1)
    client.post(f"/manage/competitions/{upcoming.id}/status", data={"to": "draft"})
    response = client.post(
        f"/manage/competitions/{open_.id}/status", data={"to": "draft"}, follow_redirects=True
    )
    assert "Тек өтінім қабылдау басталмаған хабарландыруды жобаға қайтаруға болады." in (
        response.text
    )
    with app.app_context():
        assert db.session.get(Competition, upcoming.id).status == CompetitionStatus.DRAFT
        assert db.session.get(Competition, open_.id).status == CompetitionStatus.PUBLISHED


def test_phase_boundaries_are_to_the_second(app, create_competition):
    c = create_competition(published=True)
    with app.app_context():
        c = db.session.get(Competition, c.id)
        c.opens_at = datetime(2030, 8, 22, 19, 0, tzinfo=UTC)  # 23 Aug 00:00 Almaty
        c.closes_at = datetime(2030, 9, 30, 18, 59, 59, tzinfo=UTC)  # 30 Sep 23:59:59 Almaty
        second = timedelta(seconds=1)
        assert c.phase_at(c.opens_at - second) is Phase.UPCOMING
        assert c.phase_at(c.opens_at) is Phase.OPEN
        assert c.phase_at(c.closes_at) is Phase.OPEN
        assert c.phase_at(c.closes_at + second) is Phase.CLOSED
        c.status = CompetitionStatus.DRAFT
        assert c.phase_at(c.opens_at) is Phase.DRAFT


def test_public_listing_sections(app, client, create_competition):
    past = create_competition(published=True, opens_in_days=-30, closes_in_days=-1)
    open_ = create_competition(published=True, opens_in_days=-1, closes_in_days=3)
    upcoming = create_competition(published=True, opens_in_days=2, closes_in_days=9)
    draft = create_competition(published=False)
    html = client.get("/competitions").text

    def section(name):
        start = html.index(f'data-section="{name}"')
        end = html.find("<section", start)
        return html[start : end if end != -1 else None]

    assert f'data-competition="{open_.id}"' in section("open")
    assert f'data-competition="{upcoming.id}"' in section("upcoming")
    assert f'data-competition="{past.id}"' in section("past")
    assert f'data-competition="{draft.id}"' not in html


def test_past_competitions_and_the_coordinators_list_come_a_page_at_a_time(
    app, client, auth, coordinator, create_competition
):
    """A national programme closes hundreds of competitions: the public list shows the 20
    that closed last and pages back; the coordinator's list pages by 50."""
    from smallgrants.competitions.queries import MANAGE_PER_PAGE, PAST_PER_PAGE

    past = [
        create_competition(published=True, opens_in_days=-60, closes_in_days=-1 - i)
        for i in range(PAST_PER_PAGE + 3)
    ]  # past[0] closed last
    ids = re.compile(r'data-competition="(\d+)"')

    first = client.get("/competitions").text
    assert ids.findall(first) == [str(c.id) for c in past[:PAST_PER_PAGE]]
    assert 'href="/competitions?page=2"' in first
    second = client.get("/competitions?page=2").text
    assert ids.findall(second) == [str(c.id) for c in past[PAST_PER_PAGE:]]
    assert ids.findall(client.get("/competitions?page=99").text) == []  # no error either
    assert client.get("/competitions?page=x").status_code == 200

    more = [create_competition(published=False) for _ in range(MANAGE_PER_PAGE - len(past) + 2)]
    auth.as_user(coordinator)
    listed = ids.findall(client.get("/manage/competitions").text)
    assert len(listed) == MANAGE_PER_PAGE
    rest = ids.findall(client.get("/manage/competitions?page=2").text)
    assert len(rest) == 2
    assert sorted(map(int, listed + rest)) == sorted(c.id for c in past + more)


def test_printable_version_has_the_facts_and_no_navigation(client, create_competition):
    c = create_competition(published=True)
    html = client.get(f"/competitions/{c.id}/print").text
    assert "navbar" not in html
    assert '<dd class="col-sm-8" data-fact="amount">300\u00a0000\u00a0₸</dd>' in html
    assert "data-print" in html


def test_questions_are_asked_answered_published_and_the_author_told(
    app, client, auth, create_user, create_competition, mailbox
):
    c = create_competition(published=True)
    asker = create_user("asker@example.kz", locale="ru", full_name="Асель")
    auth.as_user(asker)
    response = client.post(f"/competitions/{c.id}/questions", data={"text": ""})
    assert response.status_code == 200
    assert "Это поле обязательно." in response.text
    response = client.post(
        f"/competitions/{c.id}/questions", data={"text": "Можно ли купить ноутбук?"}
    )
    assert response.headers["Location"] == f"/competitions/{c.id}#questions"
    page = client.get(f"/competitions/{c.id}").text
    assert "Ваш вопрос ожидает ответа:" in page
    public = app.test_client()
    assert "Можно ли купить ноутбук?" not in public.get(f"/competitions/{c.id}").text

    coordinator = create_user("c@example.kz", roles=(Role.COORDINATOR,))
    auth.as_user(coordinator)
    listing = client.get(f"/manage/competitions/{c.id}/questions").text
    assert "Можно ли купить ноутбук?" in listing
    with app.app_context():
        from smallgrants.competitions.models import Question

        question_id = db.session.scalars(select(Question.id)).one()
    client.post(
        f"/manage/questions/{question_id}/answer",
        data={"answer": "Нет, оборудование дороже 100 000 ₸ не допускается."},
    )
    page = public.get(f"/competitions/{c.id}").text
    assert "Можно ли купить ноутбук?" in page
    assert "Нет, оборудование дороже 100 000 ₸ не допускается." in page

    [message] = mailbox.wait_for("asker@example.kz")
    assert message["Subject"] == "На ваш вопрос ответили"
    # a correction is published but not e-mailed again
    client.post(f"/manage/questions/{question_id}/answer", data={"answer": "Нет."})
    assert "Нет." in public.get(f"/competitions/{c.id}").text
    assert len(mailbox.to("asker@example.kz")) == 1


def test_rules_document_is_uploaded_and_public(app, client, coordinator):
    import io

    from docx import Document

    out = io.BytesIO()
    document = Document()
    document.add_paragraph("Ереже")
    document.save(out)
    data = _form()
    data["rules_file"] = (io.BytesIO(out.getvalue()), "Ереже.docx")
    response = client.post(
        "/manage/competitions/new", data=data, content_type="multipart/form-data"
    )
    assert response.status_code == 302
    c = _only_competition(app)
    assert (c.rules_file_name, c.rules_kind) == ("Ереже.docx", "docx")
    client.post(f"/manage/competitions/{c.id}/status", data={"to": "published"})
    public = app.test_client()
    assert 'data-testid="rules-file"' in public.get(f"/competitions/{c.id}").text
    with public.get(f"/competitions/{c.id}/rules") as download:
        assert download.status_code == 200
        assert Document(io.BytesIO(download.data)).paragraphs[0].text == "Ереже"


def test_a_wrong_rules_file_saves_nothing(app, client, coordinator):
    import io

    data = _form()
    data["rules_file"] = (io.BytesIO(b"MZ\x90\x00" * 8), "rules.pdf")
    response = client.post(
        "/manage/competitions/new", data=data, content_type="multipart/form-data"
    )
    assert response.status_code == 200
    assert "Ереже құжаты PDF немесе DOCX файлы болуы керек." in response.text
    assert 'value="Жастар арасында синтетикалық есірткінің алдын алу"' in response.text
    with app.app_context():
        assert db.session.scalars(select(Competition)).all() == []
