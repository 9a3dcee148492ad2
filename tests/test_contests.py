"""Video contests (issue 17): a link must lead to one of the contest's sites; the link shows
in the registry (a clickable column in the XLSX, no "requested" amounts), in the application
copy and in the meeting protocol."""

from __future__ import annotations

import io
import re

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlalchemy import func, select

from smallgrants.applications.models import Application
from smallgrants.auth.models import Role
from smallgrants.competitions.models import AwardKind, Competition, EntryKind, host_allowed
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
    form = client.get(f"/applications/{application.id}/edit").text
    assert '<label class="form-label" for="title">Атауы</label>' in form  # not "project title"
    assert "Байқау сайттарының біріндегі ашық сілтеме: instagram.com, youtube.com." in form
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


# --- prizes ----------------------------------------------------------------------------


def _decide(client, competition_id, application_id, outcome="award", amount=""):
    return client.post(
        f"/manage/competitions/{competition_id}/meeting/decisions/{application_id}",
        data={
            f"d{application_id}-outcome": outcome,
            f"d{application_id}-amount": amount,
            f"d{application_id}-tie_break": "тең балл: дауыс беру",  # the case's scores tie
        },
        follow_redirects=True,
    )


def _words(html: str) -> str:
    import html as html_lib
    import re

    return re.sub(r"[ \t\r\n]+", " ", html_lib.unescape(re.sub(r"<[^>]+>", " ", html)))


def test_a_contest_awards_five_prizes_refuses_a_sixth_and_pays_each_once(
    app, client, auth, mailbox, create_grant_case
):
    from datetime import date

    from smallgrants.competitions.models import AwardKind
    from smallgrants.grants.models import PrizePayment
    from tests.conftest import body_text

    case = create_grant_case(
        6, until="meeting", award_kind=AwardKind.PRIZE, grant_amount=200_000, grant_count=5
    )
    cid = case.competition_id
    auth.as_user(case.coordinator)
    meeting = client.get(f"/manage/competitions/{cid}/meeting").text
    assert '<option selected value="award">Жүлде беру</option>' in meeting
    for application_id in case.application_ids[:5]:
        page = _decide(client, cid, application_id)
        assert "Жүлде беру 200\xa0000\xa0₸" in _words(page.text)
    sixth = case.application_ids[5]
    refused = _decide(client, cid, sixth)
    assert "5 жүлденің бәрі берілді." in _words(refused.text)
    assert (
        "Берілді: 5 жүлденің 5, 1\xa0000\xa0000\xa0₸ жүлде қорының 1\xa0000\xa0000\xa0₸."
        in _words(refused.text)
    )
    _decide(client, cid, sixth, outcome="reject")
    assert (
        client.post(f"/manage/competitions/{cid}/meeting/sign", data={"locale": "kk"}).status_code
        == 302
    )
    doc = Document(io.BytesIO(client.get(f"/manage/competitions/{cid}/meeting/protocol.docx").data))
    texts = [p.text for p in doc.paragraphs]
    assert (
        "Берілді: 5 жүлденің 5, 1\xa0000\xa0000\xa0₸ жүлде қорының 1\xa0000\xa0000\xa0₸." in texts
    )
    decisions = [c.text for t in doc.tables for r in t.rows for c in r.cells[9:10]]
    assert decisions.count("Жүлде беру") == 5 and "Грант беру" not in decisions
    assert client.post(f"/manage/competitions/{cid}/results/publish").status_code == 302
    results = _words(client.get(f"/competitions/{cid}/results").text)
    assert "5 жүлде берілді, барлығы 1\xa0000\xa0000\xa0₸." in results
    with app.app_context():
        first = db.session.get(Application, case.application_ids[0])
        owner, number = first.applicant.email, first.number
    message = body_text(mailbox.wait_for(owner)[0])
    assert "өтініміңізге 200\xa0000\xa0₸ жүлде берілді." in message and number in message
    # no grants: the prizes are paid, each once
    grants = client.post(f"/manage/competitions/{cid}/grants", follow_redirects=True).text
    assert "Жүлделі байқауда грант жоқ: әр жеңімпаздың жүлдесінің төленгенін тіркеңіз." in _words(
        grants
    )
    prizes = client.get(f"/manage/competitions/{cid}/prizes").text
    assert prizes.count('data-testid="pay-prize"') == 5
    start = client.get("/").text  # the coordinator's start page counts the prizes to pay
    assert f'<a href="/manage/competitions/{cid}/prizes">Төленетін жүлделер: 5</a>' in start
    with app.app_context():
        from smallgrants.commission.models import Decision

        decision_id = db.session.scalars(
            select(Decision.id).where(Decision.application_id == case.application_ids[0])
        ).one()
    url = f"/manage/competitions/{cid}/prizes/{decision_id}"
    paid = {"paid_on": "2023-11-20", "document_number": "ПП-17"}
    assert client.post(url, data=paid).status_code == 302
    again = client.post(url, data={**paid, "document_number": "ПП-18"}, follow_redirects=True)
    assert f"{number} жүлдесі төленіп қойған (ПП-17)." in _words(again.text)
    page = client.get(f"/manage/competitions/{cid}/prizes").text
    assert page.count('data-testid="pay-prize"') == 4
    assert "Төленетін жүлделер: 4</a>" in client.get("/").text
    assert '<dd class="col-6 col-md-3" data-testid="prizes-paid">200\xa0000\xa0₸</dd>' in page
    with app.app_context():
        payments = db.session.scalars(select(PrizePayment)).all()
        assert [(p.amount, p.paid_on, p.document_number) for p in payments] == [
            (200_000, date(2023, 11, 20), "ПП-17")
        ]


def test_prizes_by_place_are_given_in_order_and_never_twice(app, client, auth, create_grant_case):
    from smallgrants.competitions.models import AwardKind

    case = create_grant_case(
        4,
        until="meeting",
        award_kind=AwardKind.PRIZE,
        grant_amount=300_000,
        grant_count=3,
        place_amounts=[300_000, 200_000, 100_000],
    )
    cid = case.competition_id
    auth.as_user(case.coordinator)
    a, b, c, d = case.application_ids
    for application_id in (a, b, c):  # no amount typed: the largest place still free
        _decide(client, cid, application_id)
    with app.app_context():
        from smallgrants.commission.models import Decision

        amounts = dict(db.session.execute(select(Decision.application_id, Decision.amount)).all())
    assert [amounts[a], amounts[b], amounts[c]] == [300_000, 200_000, 100_000]
    page = _words(_decide(client, cid, c, amount="200 000").text)
    assert (
        "200\xa0000\xa0₸ жүлдесі бар бос орын қалмады: жүлделер — 300\xa0000\xa0₸, "
        "200\xa0000\xa0₸, 100\xa0000\xa0₸." in page
    )
    assert "3 жүлденің бәрі берілді." in _words(_decide(client, cid, d).text)
    announcement = _words(client.get(f"/competitions/{cid}").text)
    assert "1-орын: 300\xa0000\xa0₸ 2-орын: 200\xa0000\xa0₸ 3-орын: 100\xa0000\xa0₸" in announcement
    assert "Жүлде қоры 600\xa0000\xa0₸" in announcement


def test_the_competition_form_takes_prizes_by_place(app, client, auth, create_user):
    from tests.test_competitions import _form

    auth.as_user(create_user("c@example.kz", roles=(Role.COORDINATOR,)))
    data = _form(grant_amount=None, grant_count=None)
    page = client.post("/manage/competitions/new", data=data)
    assert page.status_code == 200  # equal awards need their amount and number
    assert page.text.count("Бұл өрісті толтыру міндетті.") == 2
    data = _form(
        award_kind="prize",
        grant_amount=None,
        grant_count=None,
        **{"place_amounts-0": "100 000", "place_amounts-1": "200 000"},
    )
    page = client.post("/manage/competitions/new", data=data)
    assert "Орынның жүлдесі одан жоғары орынның жүлдесінен үлкен болмауы керек." in page.text
    assert 'value="200 000"' in page.text
    data.update({"place_amounts-0": "300 000", "place_amounts-1": "200 000"})
    data["place_amounts-2"] = "200 000"
    assert client.post("/manage/competitions/new", data=data).status_code == 302
    with app.app_context():
        c = db.session.scalars(select(Competition)).one()
        assert (c.award_kind, c.place_amounts, c.grant_count, c.grant_amount, c.pool) == (
            AwardKind.PRIZE,
            [300_000, 200_000, 200_000],
            3,
            300_000,
            700_000,
        )
    form = client.get(f"/manage/competitions/{c.id}/edit").text
    assert 'id="place_amounts-2"' in form and 'id="place_amounts-5"' in form


def test_the_final_report_computes_the_contest_s_row(app, create_grant_case):
    """The contest attached to a task carries its own indicators — rules, announcement,
    entries, the commission and its protocols, the prizes paid — and its own checks: the
    prizes of the protocol are paid, in number and in money."""
    from datetime import date

    from smallgrants.auth.models import User
    from smallgrants.commission import services as cs
    from smallgrants.commission.models import Outcome
    from smallgrants.grants import services as gs
    from smallgrants.reporting import labels
    from smallgrants.reporting import queries as rq
    from smallgrants.reporting import services as rs
    from smallgrants.reporting.models import IndicatorSource

    case = create_grant_case(
        6, until="meeting", award_kind=AwardKind.PRIZE, grant_amount=200_000, grant_count=5
    )
    with app.test_request_context():
        coordinator = db.session.get(User, case.coordinator.id)
        competition = db.session.get(Competition, case.competition_id)
        commission = cs.commission_of(competition)
        for n, application_id in enumerate(case.application_ids):
            award = n < 5
            cs.decide(
                coordinator,
                commission,
                db.session.get(Application, application_id),
                cs.DecisionInput(
                    Outcome.AWARD if award else Outcome.REJECT,
                    None,
                    None,
                    None,
                    None,
                    "",
                    "тең балл: дауыс беру",
                ),
            )
        cs.sign(coordinator, cs.commission_of(competition), "kk")
        project = rs.create_project(coordinator, rs.ProjectInput("ҚБ «Жастар»", "NarcoSTOP"))
        task = rs.add_task(coordinator, project, "Бейнероликтер байқауы")
        activity = rs.attach_competition(coordinator, task, competition)
        db.session.commit()
        assert [labels.indicator_name(i) for i in activity.indicators] == [
            "Байқаудың ережесі",
            "Байқаудың басталғандығын жариялау",
            "Байқауға келіп түскен жұмыстар",
            "Байқаудың комиссия мүшелерін бекіту хаттамасы",
            "Комиссия мүшелерінің саны",
            "Комиссия отырысының хаттамасы",
            "Жеңімпаздарға сыйлықтар",
        ]
        assert [(i.source, i.plan) for i in activity.indicators][-1] == (
            IndicatorSource.PRIZES,
            5,
        )

        def contest_checks():
            data = rq.rollup(db.session.get(type(project), project.id))
            facts = data.facts_for(db.session.get(type(activity), activity.id))
            found = [
                (c.title, c.ok, c.detail)
                for c in rq.checks(data, "kk")
                if c.group in ("grants", "money")
            ]
            return facts, found

        from smallgrants.commission.models import Decision

        decisions = db.session.scalars(
            select(Decision).where(Decision.outcome == Outcome.AWARD).order_by(Decision.id)
        ).all()
        for n, decision in enumerate(decisions[:4], 1):
            gs.record_prize_payment(coordinator, decision, date(2023, 10, 3), f"ПП-{n}")
        facts, found = contest_checks()
        title = competition.title("kk")
        assert facts.facts[IndicatorSource.APPLICATIONS] == 6
        assert facts.facts[IndicatorSource.PRIZES] == 4
        assert found == [
            (
                f"Хаттамадағы және төленген жүлделер: {title}",
                False,
                "қол қойылған хаттама 5 жүлде береді; 4 төленді",
            ),
            (
                f"Жүлде қаражаты: {title}",
                False,
                "хаттама: 1\xa0000\xa0000\xa0₸; төленді: 800\xa0000\xa0₸",
            ),
        ]
        gs.record_prize_payment(coordinator, decisions[4], date(2023, 10, 3), "ПП-5")
        facts, found = contest_checks()
        assert facts.facts[IndicatorSource.PRIZES] == 5
        assert [ok for _title, ok, _detail in found] == [True, True]
        from smallgrants.reporting import present

        prizes = db.session.get(type(activity), activity.id).indicators[-1]
        assert present.fact_text(prizes, facts, "kk") == "5 (1\xa0000\xa0000\xa0₸)"
        assert rq.narrative(facts, "kk") == (
            "6 жұмыс келіп түсті; комиссия 5 жеңімпазды анықтады. "
            "Әр жеңімпаз 200\xa0000\xa0₸ сыйақы алды."
        )


# --- public reactions (likes) ------------------------------------------------------------


def test_final_scores_weigh_the_commission_and_the_reactions_exactly():
    from fractions import Fraction

    from smallgrants.commission.queries import final_scores

    means = {1: Fraction(80), 2: Fraction(90), 3: Fraction(70), 4: None}
    likes = {1: 500, 2: 100}  # 3 has none counted
    assert final_scores(means, likes, 30) == {
        1: Fraction(86),  # 80 × 0.7 + 100 × 0.3
        2: Fraction(69),  # 90 × 0.7 + 20 × 0.3
        3: Fraction(49),  # 70 × 0.7
        4: None,
    }
    assert final_scores(means, {}, 30) == {1: 56, 2: 63, 3: 49, 4: None}  # nobody liked yet
    assert final_scores({1: Fraction(200, 3)}, {1: 3}, 0) == {1: Fraction(200, 3)}


def test_the_coordinator_records_likes_by_day_and_they_rank_the_entries(
    app, client, auth, create_grant_case
):
    from smallgrants.commission.models import Reaction

    case = create_grant_case(
        3,
        until="meeting",
        award_kind=AwardKind.PRIZE,
        grant_amount=200_000,
        grant_count=2,
        counts_reactions=True,
        reaction_weight=100,  # the likes alone decide: exact figures
    )
    cid = case.competition_id
    a, b, c = case.application_ids
    with app.app_context():
        numbers = {i: db.session.get(Application, i).number for i in (a, b, c)}
    auth.as_user(case.coordinator)
    url = f"/manage/competitions/{cid}/reactions"
    page = client.get(url).text
    assert 'data-testid="tab-reactions"' in page
    bad = client.post(
        url, data={"counted_on": "2023-10-01", f"likes-{a}": "12а", f"likes-{b}": "40"}
    )
    assert bad.status_code == 400
    assert "Лайк санын бүтін санмен енгізіңіз, мысалы 125." in bad.text
    assert f'name="likes-{a}" inputmode="numeric" value="12а"' in bad.text
    assert f'name="likes-{b}" inputmode="numeric" value="40"' in bad.text
    future = client.post(url, data={"counted_on": "2099-01-01", f"likes-{a}": "1"})
    assert "Реакциялар келген күнге ғана есептеледі." in future.text
    ok = {"counted_on": "2023-10-01", f"likes-{a}": "50", f"likes-{b}": "200", f"likes-{c}": "0"}
    assert client.post(url, data=ok).status_code == 302
    # a later count replaces the earlier one for the ranking; the same day overwrites
    later = {"counted_on": "2023-10-02", f"likes-{a}": "400", f"likes-{b}": "200"}
    assert client.post(url, data=later).status_code == 302
    assert client.post(url, data={**later, f"likes-{b}": "100"}).status_code == 302
    page = client.get(url).text
    order = re.findall(r'<tr data-entry="([^"]+)">', page)
    assert order == [numbers[a], numbers[b], numbers[c]]
    assert f'data-testid="final-{numbers[a]}">100<' in page
    assert f'data-testid="final-{numbers[b]}">25<' in page  # 100 of 400 likes
    assert f'data-testid="final-{numbers[c]}">0<' in page  # its last count: 0 on 1 October
    with app.app_context():
        assert db.session.scalar(select(func.count(Reaction.id))) == 5
    # signed: the reactions are part of the protocol and frozen
    for application_id in (a, b):
        _decide(client, cid, application_id)
    _decide(client, cid, c, outcome="reject")
    assert (
        client.post(f"/manage/competitions/{cid}/meeting/sign", data={"locale": "kk"}).status_code
        == 302
    )
    frozen = client.post(url, data={"counted_on": "2023-10-03", f"likes-{c}": "999"})
    assert "Отырыс хаттамасына қол қойылған: түзетулер тек қосымша арқылы." in _words(frozen.text)
    doc = Document(io.BytesIO(client.get(f"/manage/competitions/{cid}/meeting/protocol.docx").data))
    table = next(t for t in doc.tables if t.rows[0].cells[-1].text == "Қорытынды балл")
    assert [[cell.text for cell in row.cells] for row in table.rows[1:]] == [
        [numbers[a], "400", table.rows[1].cells[2].text, "100"],
        [numbers[b], "100", table.rows[2].cells[2].text, "25"],
        [numbers[c], "0", table.rows[3].cells[2].text, "0"],
    ]


def test_a_competition_without_reactions_refuses_them(app, client, auth, create_grant_case):
    case = create_grant_case(1, until="meeting")
    auth.as_user(case.coordinator)
    url = f"/manage/competitions/{case.competition_id}/reactions"
    assert "Бұл байқау көрермен реакциясын есептемейді." in client.get(url).text
    a = case.application_ids[0]
    response = client.post(url, data={"counted_on": "2023-10-01", f"likes-{a}": "5"})
    assert response.status_code == 400
    assert "Бұл байқау көрермен реакциясын есептемейді." in response.text


def test_likes_typed_as_people_type_them_and_odd_digits_are_refused(
    app, client, auth, create_grant_case
):
    """ "1 250" is 1 250 likes; "²" (a digit to str.isdigit) is refused with the message, not
    a server error."""
    from smallgrants.commission.models import Reaction

    case = create_grant_case(1, until="meeting", award_kind=AwardKind.PRIZE, counts_reactions=True)
    a = case.application_ids[0]
    auth.as_user(case.coordinator)
    url = f"/manage/competitions/{case.competition_id}/reactions"
    odd = client.post(url, data={"counted_on": "2023-10-01", f"likes-{a}": "²"})
    assert odd.status_code == 400
    assert "Лайк санын бүтін санмен енгізіңіз, мысалы 125." in odd.text
    assert (
        client.post(url, data={"counted_on": "2023-10-01", f"likes-{a}": "1 250"}).status_code
        == 302
    )
    with app.app_context():
        assert db.session.scalars(select(Reaction.likes)).all() == [1250]
