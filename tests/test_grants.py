"""Grants and monitoring: grants from the signed protocol, agreements, tranches and payments,
grantees' reports with breakdown checks, review with versions, reminders, dashboards."""

from __future__ import annotations

import io
from datetime import date, timedelta
from itertools import pairwise

import pytest
from docx import Document
from sqlalchemy import func, select

from smallgrants.auth.models import User
from smallgrants.core.models import OutboxMessage
from smallgrants.extensions import db
from smallgrants.grants import queries, services
from smallgrants.grants.breakdowns import ALL_COLUMNS
from smallgrants.grants.models import (
    Event,
    Grant,
    GrantStatus,
    Payment,
    Report,
    ReportStatus,
    ReportVersion,
)
from tests.conftest import TINY_PDF

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def event_form(**overrides) -> dict:
    """A valid event: 10 people, 4 men and 6 women, youth, ages 17–22."""
    data = {
        "title": "Тренинг «Есірткіге жол жоқ»",
        "held_on": "2023-10-05",
        "district_code": "aksu",
        "settlement": "Жансүгіров",
        "format": "offline",
        "description": "Мектепте өтті",
        **dict.fromkeys(ALL_COLUMNS, "0"),
        "total": "10",
        "men": "4",
        "women": "6",
        "s_youth": "10",
        "a_17_22": "10",
    }
    data.update(overrides)
    return data


def test_create_grants_from_signed_protocol(app, create_grant_case):
    case = create_grant_case(3, awards=2)
    with app.app_context():
        grants = [db.session.get(Grant, gid) for gid in case.grant_ids]
        assert [g.agreement_number for g in grants] == ["ШГ-01", "ШГ-02"]
        assert [g.amount for g in grants] == [300_000, 300_000]
        assert all(g.status == GrantStatus.ACTIVE for g in grants)
        assert [len(case.reports[g.id]) for g in grants] == [2, 2]


def _user(app, user_id):
    with app.app_context():
        return db.session.get(User, user_id)


def test_event_breakdown_off_says_which_and_by_how_much_and_keeps_values(
    app, client, auth, create_grant_case
):
    case = create_grant_case(1)
    report_id = case.reports[case.grant_ids[0]][0]
    auth.as_user(_user(app, case.grantee_ids[0]))
    page = client.get(f"/reports/{report_id}/events/new")
    assert page.status_code == 200
    bad = event_form(total="12", men="5", women="6", s_youth="13", a_17_22="12")
    response = client.post(f"/reports/{report_id}/events/new", data=bad)
    assert response.status_code == 200
    html = response.text
    assert "Гендер: топтардың қосындысы 11, барлығы 12 — 1 жетпейді." in html
    assert "Әлеуметтік мәртебе: топтардың қосындысы 13, барлығы 12 — 1 артық." in html
    assert 'data-testid="breakdown-error-age"' not in html
    for name, value in bad.items():
        if name not in ("format", "district_code", "description"):
            assert f'name="{name}"' in html and f'value="{value}"' in html, name
    assert "Мектепте өтті" in html
    with app.app_context():
        assert db.session.scalar(select(func.count(Event.id))) == 0


def test_event_in_russian_and_english_messages(app, client, auth, create_grant_case):
    case = create_grant_case(1, locales=("ru",))
    report_id = case.reports[case.grant_ids[0]][0]
    auth.as_user(_user(app, case.grantee_ids[0]))
    client.post("/language", data={"locale": "ru"})
    bad = event_form(a_17_22="7")
    html = client.post(f"/reports/{report_id}/events/new", data=bad).text
    assert "Возраст: сумма групп 7, всего 10 — не хватает 3." in html
    client.post("/language", data={"locale": "en"})
    html = client.post(f"/reports/{report_id}/events/new", data=bad).text
    assert "Age: the groups add up to 7, the total is 10 — 3 missing." in html


def test_database_refuses_an_event_whose_breakdown_is_off(app, create_grant_case):
    from sqlalchemy.exc import IntegrityError

    case = create_grant_case(1)
    report_id = case.reports[case.grant_ids[0]][0]
    with app.app_context():
        db.session.add(
            Event(
                report_id=report_id,
                position=1,
                title="x",
                held_on=date(2023, 10, 1),
                total=5,
                men=2,
                women=2,
                s_youth=5,
                a_13_16=5,
            )
        )
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()


def _add_event(client, report_id, **overrides):
    response = client.post(f"/reports/{report_id}/events/new", data=event_form(**overrides))
    assert response.status_code == 302, response.text[:2000]


def test_grantee_reports_coordinator_returns_then_accepts_and_every_version_is_kept(
    app, client, auth, create_grant_case, mailbox
):
    case = create_grant_case(1)
    grant_id = case.grant_ids[0]
    report_id = case.reports[grant_id][0]
    grantee = _user(app, case.grantee_ids[0])
    auth.as_user(grantee)
    # submit refused while empty; nothing changes
    client.post(f"/reports/{report_id}/submit")
    with app.app_context():
        assert db.session.get(Report, report_id).status == ReportStatus.DRAFT
    _add_event(client, report_id)
    _add_event(
        client,
        report_id,
        title="Онлайн вебинар",
        format="online",
        total="25",
        men="5",
        women="15",
        gender_unspecified="5",
        s_youth="20",
        s_other="5",
        a_17_22="0",
        a_23_27="25",
    )
    assert (
        client.post(
            f"/reports/{report_id}/narrative",
            data={"results": "35 жас хабардар болды", "difficulties": "", "success_story": ""},
        ).status_code
        == 302
    )
    assert (
        client.post(
            f"/reports/{report_id}/publications",
            data={"url": "https://instagram.com/p/1", "media_name": "Instagram", "reach": "1200"},
        ).status_code
        == 302
    )
    with app.app_context():
        line_id = db.session.get(Grant, grant_id).application.budget[0].id
    response = client.post(
        f"/reports/{report_id}/expenses",
        data={
            "budget_line_id": str(line_id),
            "spent_on": "2023-10-06",
            "amount": "60 000",
            "document": "Чек №15",
            "receipt": (io.BytesIO(TINY_PDF), "chek.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    response = client.post(
        f"/reports/{report_id}/files",
        data={"purpose": "photo", "caption": "Тренинг", "file": (io.BytesIO(PNG), "foto.png")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    page = client.get(f"/reports/{report_id}").text
    # the banner line is 2 × 50 000 = 100 000 approved: 60 000 spent, not overspent
    assert 'data-testid="spent-total">60\xa0000\xa0₸<' in page
    assert "асыра жұмсалды" not in page
    assert "Тренинг" in page and "foto.png" in page and "chek.pdf" not in page

    assert client.post(f"/reports/{report_id}/submit").status_code == 302

    coordinator = _user(app, case.coordinator.id)
    auth.as_user(coordinator)
    # returning needs a comment
    response = client.post(f"/manage/reports/{report_id}/review", data={"decision": "return"})
    assert response.status_code == 200
    assert "Не түзету керегін жазыңыз" in response.text
    response = client.post(
        f"/manage/reports/{report_id}/review",
        data={"decision": "return", "comment": "Фото жеткіліксіз"},
    )
    assert response.status_code == 302
    message = mailbox.wait_for(grantee.email)[0]
    assert "Фото жеткіліксіз" in message.get_body(("plain",)).get_content()

    auth.as_user(grantee)
    page = client.get(f"/reports/{report_id}").text
    assert "Фото жеткіліксіз" in page
    _add_event(
        client, report_id, title="Акция", total="3", men="3", women="0", s_youth="3", a_17_22="3"
    )
    assert client.post(f"/reports/{report_id}/submit").status_code == 302

    auth.as_user(coordinator)
    assert (
        client.post(
            f"/manage/reports/{report_id}/review", data={"decision": "accept", "comment": ""}
        ).status_code
        == 302
    )
    with app.app_context():
        report = db.session.get(Report, report_id)
        assert report.status == ReportStatus.ACCEPTED
        versions = db.session.scalars(
            select(ReportVersion)
            .where(ReportVersion.report_id == report_id)
            .order_by(ReportVersion.number)
        ).all()
        assert [(v.number, v.outcome) for v in versions] == [
            (1, ReportStatus.RETURNED),
            (2, ReportStatus.ACCEPTED),
        ]
        assert [e["total"] for e in versions[0].snapshot["events"]] == [10, 25]
        assert [e["total"] for e in versions[1].snapshot["events"]] == [10, 25, 3]
        totals = queries.participants(queries.EventFilter(case.competition_id))
        assert (totals["total"], totals["men"], totals["women"], totals["gender_unspecified"]) == (
            38,
            12,
            21,
            5,
        )
    v1 = client.get(f"/reports/{report_id}/versions/1").text
    assert "Онлайн вебинар" in v1 and "Акция" not in v1
    dashboard = client.get(f"/manage/competitions/{case.competition_id}/monitoring")
    assert dashboard.status_code == 200
    assert 'data-testid="participants-total">38<' in dashboard.text
    events_page = client.get(f"/manage/competitions/{case.competition_id}/monitoring/events")
    assert 'data-testid="events-total">38<' in events_page.text


# --- amounts in words and the agreement -------------------------------------------------


@pytest.mark.parametrize(
    ("n", "kk", "ru"),
    [
        (300_000, "үш жүз мың", "триста тысяч"),
        (7_000_000, "жеті миллион", "семь миллионов"),
        (200_000, "екі жүз мың", "двести тысяч"),
        (1_000, "бір мың", "одна тысяча"),
        (2_000, "екі мың", "две тысячи"),
        (11_000, "он бір мың", "одиннадцать тысяч"),
        (21_500, "жиырма бір мың бес жүз", "двадцать одна тысяча пятьсот"),
        (150_000, "жүз елу мың", "сто пятьдесят тысяч"),
        (
            1_234_567,
            "бір миллион екі жүз отыз төрт мың бес жүз алпыс жеті",
            "один миллион двести тридцать четыре тысячи пятьсот шестьдесят семь",
        ),
        (0, "нөл", "ноль"),
    ],
)
def test_number_in_words(n, kk, ru):
    from smallgrants.documents.words import money_in_words, number_in_words

    assert number_in_words(n, "kk") == kk
    assert number_in_words(n, "ru") == ru
    assert money_in_words(n, "ru") == f"{ru} тенге"


def _docx_text(data: bytes) -> tuple[str, list]:
    document = Document(io.BytesIO(data))
    text = "\n".join(p.text for p in document.paragraphs)
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
    return text, tables


def test_agreement_docx_in_kazakh_and_russian(app, client, auth, create_grant_case):
    case = create_grant_case(1, tranches=[(50, "on_agreement"), (50, "interim_accepted")])
    grant_id = case.grant_ids[0]
    auth.as_user(_user(app, case.coordinator.id))
    response = client.post(
        f"/manage/competitions/{case.competition_id}/grant-terms",
        data={
            "grantor_name": "«Жоғары жастар кеңесі» ҚБ",
            "grantor_head": "Ә. Мұратов",
            "grantor_bin": "940140000385",
            "grantor_address": "Талдықорған қ.",
            "signing_place": "Талдықорған қ.",
            "agreement_prefix": "ШГ",
            "starts_on": "2023-09-15",
            "ends_on": "2023-11-15",
            "duties_kk": "",
            "duties_ru": "",
        },
    )
    assert response.status_code == 302
    response = client.post(
        f"/manage/grants/{grant_id}/agreement",
        data={
            "agreement_number": "ШГ-01",
            "agreement_date": "2023-09-14",
            "starts_on": "2023-09-15",
            "ends_on": "2023-11-15",
        },
    )
    assert response.status_code == 302
    kk = client.get(f"/grants/{grant_id}/agreement.docx?lang=kk")
    assert kk.status_code == 200
    text, tables = _docx_text(kk.data)
    assert "Шағын грант беру туралы № ШГ-01 шарт" in text
    assert "Грант сомасы 300\xa0000\xa0₸ (үш жүз мың теңге)." in text
    assert "«Жоғары жастар кеңесі» ҚБ атынан басшысы Ә. Мұратов" in text
    schedule = tables[0]
    assert schedule[1][1:3] == ["50%", "150\xa0000\xa0₸"]
    assert schedule[2][1:4] == ["50%", "150\xa0000\xa0₸", "Аралық есеп қабылданғаннан кейін"]
    assert [row[0] for row in tables[1][1:]] == ["Аралық есеп", "Қорытынды есеп"]
    budget = tables[2]
    assert budget[-1][-1] == "300\xa0000\xa0₸"
    parties = tables[3]
    from smallgrants.demo import demo_iin

    assert parties[2] == ["БСН / ЖСН", "940140000385", demo_iin(1)]

    ru = client.get(f"/grants/{grant_id}/agreement.docx?lang=ru")
    text, tables = _docx_text(ru.data)
    assert "Договор о предоставлении малого гранта № ШГ-01" in text
    assert "Сумма гранта составляет 300\xa0000\xa0₸ (триста тысяч тенге)." in text


# --- tranches and payments --------------------------------------------------------------


def _pay(client, grant_id, tranche, amount, document="ПП-1", paid_on="2023-09-20"):
    return client.post(
        f"/manage/grants/{grant_id}/payments",
        data={
            "tranche": str(tranche),
            "paid_on": paid_on,
            "amount": amount,
            "document_number": document,
        },
    )


def test_tranche_against_interim_report_waits_for_acceptance_and_payments_never_exceed(
    app, client, auth, create_grant_case
):
    case = create_grant_case(1, tranches=[(50, "on_agreement"), (50, "interim_accepted")])
    grant_id = case.grant_ids[0]
    interim = case.reports[grant_id][0]
    coordinator = _user(app, case.coordinator.id)
    auth.as_user(coordinator)
    response = _pay(client, grant_id, 1, "150 001")
    assert response.status_code == 200
    assert (
        "1-транш 150\xa0000\xa0₸, оның 0\xa0₸ төленген: тағы ең көбі 150\xa0000\xa0₸."
        in response.text
    )
    assert 'value="150 001"' in response.text  # the typed amount is kept
    assert _pay(client, grant_id, 1, "150 000").status_code == 302
    response = _pay(client, grant_id, 2, "150 000")
    assert response.status_code == 200
    assert "2-транш қабылданған есеп бойынша төленеді" in response.text
    # the grantee reports, the coordinator accepts: the second tranche is due
    auth.as_user(_user(app, case.grantee_ids[0]))
    _add_event(client, interim)
    client.post(f"/reports/{interim}/narrative", data={"results": "Өтті"})
    client.post(f"/reports/{interim}/submit")
    auth.as_user(coordinator)
    client.post(f"/manage/reports/{interim}/review", data={"decision": "accept"})
    assert _pay(client, grant_id, 2, "100 000", "ПП-2").status_code == 302
    assert _pay(client, grant_id, 2, "50 000", "ПП-3").status_code == 302
    response = _pay(client, grant_id, 2, "1", "ПП-4")
    assert response.status_code == 200
    page = client.get(f"/manage/competitions/{case.competition_id}/grants").text
    assert 'data-testid="ledger-awarded">300\xa0000\xa0₸<' in page
    assert 'data-testid="ledger-paid">300\xa0000\xa0₸<' in page
    assert 'data-testid="ledger-remaining">0\xa0₸<' in page
    with app.app_context():
        assert db.session.scalar(select(func.sum(Payment.amount))) == 300_000
        # the schedule is fixed once paid
        from smallgrants.competitions.models import Competition
        from smallgrants.grants.models import TrancheCondition

        terms = services.terms_of(db.session.get(Competition, case.competition_id))
        with pytest.raises(services.GrantError):
            services.save_tranches(coordinator, terms, [(100, TrancheCondition.ON_AGREEMENT)])


@pytest.mark.real_commits  # threads on connections of their own
def test_concurrent_payments_never_exceed_the_award(app, create_grant_case):
    """Eight coordinators pay 50 000 at once on a 300 000 grant: six succeed, two are refused."""
    import threading

    case = create_grant_case(1)
    grant_id = case.grant_ids[0]
    barrier = threading.Barrier(8)
    paid, refused, errors = [], [], []

    def worker(n):
        with app.test_request_context(method="POST"):  # as the form posts it
            # all at once, before any of them reads (on SQLite the first read takes the lock)
            barrier.wait()
            grant = db.session.get(Grant, grant_id)
            actor = db.session.get(User, case.coordinator.id)
            data = services.PaymentInput(1, date(2023, 9, 20), 50_000, f"ПП-{n}")
            try:
                services.record_payment(actor, grant, data)
                db.session.commit()
                paid.append(n)
            except services.GrantError as error:
                refused.append(str(error.message))
                db.session.rollback()
            except Exception as exc:  # collected and asserted below
                errors.append(repr(exc))
                db.session.rollback()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    assert len(paid) == 6
    assert len(refused) == 2
    assert all(
        r.startswith("1-транш 300\xa0000\xa0₸, оның 300\xa0000\xa0₸ төленген") for r in refused
    )
    with app.app_context():
        assert services.paid_total(grant_id) == 300_000


# --- status, permissions, reminders -----------------------------------------------------


def test_status_moves_and_termination_needs_a_reason(app, client, auth, create_grant_case):
    case = create_grant_case(2, periods=("final",))
    first, second = case.grant_ids
    auth.as_user(_user(app, case.coordinator.id))
    response = client.post(f"/manage/grants/{first}/status", data={"status": "completed"})
    assert response.status_code == 200
    assert "Бұл грантты бұл мәртебеге ауыстыруға болмайды." in response.text
    response = client.post(f"/manage/grants/{second}/status", data={"status": "terminated"})
    assert "Грантты тоқтату себебін көрсетіңіз." in response.text
    response = client.post(
        f"/manage/grants/{second}/status",
        data={"status": "terminated", "reason": "Топ жобадан бас тартты"},
    )
    assert response.status_code == 302
    # the final report moves the grant to reporting; completed once it is accepted
    report = case.reports[first][0]
    auth.as_user(_user(app, case.grantee_ids[0]))
    _add_event(client, report)
    client.post(f"/reports/{report}/narrative", data={"results": "Өтті"})
    client.post(f"/reports/{report}/submit")
    with app.app_context():
        assert db.session.get(Grant, first).status == GrantStatus.REPORTING
    auth.as_user(_user(app, case.coordinator.id))
    response = client.post(f"/manage/grants/{first}/status", data={"status": "completed"})
    assert "Алдымен барлық есепті қабылдаңыз (1 әлі қабылданбаған)." in response.text
    client.post(f"/manage/reports/{report}/review", data={"decision": "accept"})
    assert (
        client.post(f"/manage/grants/{first}/status", data={"status": "completed"}).status_code
        == 302
    )
    with app.app_context():
        assert db.session.get(Grant, first).status == GrantStatus.COMPLETED
        assert db.session.get(Grant, second).status == GrantStatus.TERMINATED
        counts = queries.status_counts(case.competition_id)
        assert counts == {"active": 0, "reporting": 0, "completed": 1, "terminated": 1}
    # a terminated grant's reports are closed to its grantee
    auth.as_user(_user(app, case.grantee_ids[1]))
    other = case.reports[second][0]
    response = client.post(f"/reports/{other}/events/new", data=event_form())
    assert response.status_code == 302
    with app.app_context():
        assert (
            db.session.scalar(
                select(func.count(Event.id)).join(Report).where(Report.grant_id == second)
            )
            == 0
        )


def test_a_grantee_sees_only_their_own_grant(app, client, auth, create_grant_case):
    case = create_grant_case(2)
    first, second = case.grant_ids
    auth.as_user(_user(app, case.grantee_ids[0]))
    assert client.get(f"/grants/{first}").status_code == 200
    assert client.get(f"/grants/{second}").status_code == 403
    assert client.get(f"/reports/{case.reports[second][0]}").status_code == 403
    assert (
        client.post(f"/reports/{case.reports[second][0]}/events/new", data=event_form()).status_code
        == 403
    )
    page = client.get("/grants").text
    assert page.count('data-testid="grant-card"') == 1
    # a commission member sees no monitoring data
    auth.as_user(case.commission.chair)
    assert client.get(f"/grants/{first}").status_code == 403
    assert client.get(f"/manage/competitions/{case.competition_id}/monitoring").status_code == 403


def test_reminders_before_the_due_date_and_when_overdue_once_each(app, create_grant_case, mailbox):
    case = create_grant_case(1, periods=("interim",))
    grantee = _user(app, case.grantee_ids[0])
    with app.test_request_context():
        from smallgrants.grants.models import ReportPeriod

        period = db.session.get(ReportPeriod, case.period_ids[0])
        due = period.due_at  # 10 days from now
        assert services.send_reminders(now=due - timedelta(days=5), days=3) == 0
        assert services.send_reminders(now=due - timedelta(days=2), days=3) == 1
        assert services.send_reminders(now=due - timedelta(days=1), days=3) == 0
        assert services.send_reminders(now=due + timedelta(hours=1), days=3) == 1
        assert services.send_reminders(now=due + timedelta(days=2), days=3) == 0
        db.session.commit()
        messages = db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.recipient == grantee.email)
            .order_by(OutboxMessage.id)
        ).all()
        assert [m.subject for m in messages] == [
            "Есеп тапсыру мерзімі жақындады",
            "Есеп тапсыру мерзімі өтіп кетті",
        ]
        assert "Аралық есеп" in messages[0].body_text
        assert "әлі тапсырылған жоқ" in messages[1].body_text


def test_demo_grants_add_up_to_the_seed_and_every_breakdown_reconciles(app, runner):
    from smallgrants.competitions.models import Competition
    from smallgrants.demo import SEED_TITLE_KK

    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        competition = db.session.scalars(
            select(Competition).where(Competition.title_kk == SEED_TITLE_KK)
        ).one()
        totals = queries.participants(queries.EventFilter(competition.id))
        assert totals["events"] == 30
        assert (totals["total"], totals["men"], totals["women"]) == (19_098, 5_686, 13_412)
        assert [totals[c] for c in ALL_COLUMNS if c.startswith("s_")] == [
            420,
            14_002,
            600,
            700,
            0,
            1_134,
            1_030,
            1_020,
            175,
            17,
        ]
        assert [totals[c] for c in ALL_COLUMNS if c.startswith("a_")] == [
            519,
            1_599,
            7_017,
            5_184,
            3_481,
            1_126,
            172,
        ]
        assert totals["gender_unspecified"] == totals["social_unspecified"] == 0
        assert totals["age_unspecified"] == 0
        ledger = queries.ledger(competition)
        assert (ledger.pool, ledger.awarded, ledger.paid, ledger.remaining) == (
            3_000_000,
            3_000_000,
            3_000_000,
            0,
        )
        assert queries.kind_counts(competition.id) == {"ngo": 1, "group": 9, "individual": 0}
        assert queries.status_counts(competition.id)["completed"] == 10
        per_grant = queries.participants_by_grant(competition.id)
        from smallgrants.demo import DEMO_GRANT_TOTALS

        grants = queries.grants_of(competition.id)
        assert [per_grant[g.id]["total"] for g in grants] == DEMO_GRANT_TOTALS
        for row in per_grant.values():  # each grant's breakdowns reconcile too
            assert row["men"] + row["women"] + row["gender_unspecified"] == row["total"]
    second = runner.invoke(args=["demo", "load"])
    assert second.exit_code == 0
    with app.app_context():
        # loaded again, nothing is added: the seed's 10 grants and the second holder's 3
        assert db.session.scalar(select(func.count(Grant.id))) == 13


# --- the monitoring report ------------------------------------------------------------------


def test_monitoring_report_docx_and_xlsx_read_back_from_the_demo(app, runner, tmp_path):
    from openpyxl import load_workbook

    from smallgrants.competitions.models import Competition
    from smallgrants.demo import DEMO_GRANT_TOTALS, SEED_TITLE_KK

    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    with app.app_context():
        competition_id = db.session.scalars(
            select(Competition.id).where(Competition.title_kk == SEED_TITLE_KK)
        ).one()
    docx_path, xlsx_path = tmp_path / "m.docx", tmp_path / "m.xlsx"
    result = runner.invoke(
        args=[
            "export",
            "monitoring",
            str(competition_id),
            "--format",
            "docx",
            "--lang",
            "kk",
            "--out",
            str(docx_path),
        ]
    )
    assert result.exit_code == 0, result.output
    text, tables = _docx_text(docx_path.read_bytes())
    assert "Шағын гранттардың жүзеге асырылуы бойынша мониторинг есебі" in text
    summary = dict(row for row in tables[0][1:])
    assert summary["Гранттар"] == "10"
    assert summary["оның ішінде ҮЕҰ-ға"] == "1"
    assert summary["оның ішінде бастамашыл топтарға"] == "9"
    assert summary["Қатысушылар, барлығы"] == "19\xa0098"
    assert summary["Берілді"] == summary["Төленді"] == "3\xa0000\xa0000\xa0₸"
    gender = tables[1]
    assert [row[:3] for row in gender[1:]] == [
        ["Ерлер", "5\xa0686", "29.8%"],
        ["Әйелдер", "13\xa0412", "70.2%"],
        ["Көрсетілмеген", "0", "0.0%"],
        ["Барлығы", "19\xa0098", ""],
    ]
    assert gender[2][3] == "█" * 20  # the longest bar
    social, age = tables[2], tables[3]
    assert social[2][:2] == ["Жастар", "14\xa0002"]
    assert [row[1] for row in age[1:-1]] == [
        "519",
        "1\xa0599",
        "7\xa0017",
        "5\xa0184",
        "3\xa0481",
        "1\xa0126",
        "172",
        "0",
    ]
    by_grant = tables[5]
    assert [row[4] for row in by_grant[1:]] == [
        format(n, ",").replace(",", "\xa0") for n in DEMO_GRANT_TOTALS
    ]

    result = runner.invoke(
        args=[
            "export",
            "monitoring",
            str(competition_id),
            "--format",
            "xlsx",
            "--lang",
            "ru",
            "--out",
            str(xlsx_path),
        ]
    )
    assert result.exit_code == 0, result.output
    wb = load_workbook(xlsx_path)
    assert wb.sheetnames == [
        "Сводка",
        "Гранты",
        "Мероприятия",
        "Публикации",
        "Расходы",
        "Мониторинговые визиты",
    ]
    summary = {
        row[0]: row[1] for row in wb["Сводка"].iter_rows(min_row=5, max_row=16, values_only=True)
    }
    assert summary["Участников, всего"] == 19_098
    assert summary["Выплачено"] == 3_000_000
    assert len(wb["Сводка"]._charts) == 3
    events = list(wb["Мероприятия"].iter_rows(min_row=2, values_only=True))
    rows, total_row = events[:-1], events[-1]
    assert len(rows) == 30
    assert sum(r[6] for r in rows) == 19_098  # the traced rows add up to the figure
    assert sum(r[7] for r in rows) == 5_686
    assert total_row[6] == "=SUM(G2:G31)"
    grants = list(wb["Гранты"].iter_rows(min_row=2, values_only=True))
    assert [g[10] for g in grants] == DEMO_GRANT_TOTALS
    assert {g[2] for g in grants} == {"НПО", "Инициативная группа"}


# --- properties ---------------------------------------------------------------------------


def _partition(draw, st, total: int, parts: int) -> list[int]:
    """`parts` non-negative integers adding up to `total`."""
    cuts = sorted(draw(st.lists(st.integers(0, total), min_size=parts - 1, max_size=parts - 1)))
    edges = [0, *cuts, total]
    return [b - a for a, b in pairwise(edges)]


def test_property_breakdown_check_finds_exactly_the_breakdowns_that_are_off():
    from hypothesis import given
    from hypothesis import strategies as st

    from smallgrants.grants.breakdowns import BREAKDOWNS, mismatches

    @given(st.data())
    def check(data):
        total = data.draw(st.integers(0, 5000))
        values = {"total": total}
        expected = {}
        for b in BREAKDOWNS:
            counts = _partition(data.draw, st, total, len(b.columns))
            shift = data.draw(st.integers(-3, 3))
            counts[0] = max(0, counts[0] + shift)
            values.update(zip(b.columns, counts, strict=True))
            if sum(counts) != total:
                expected[b.key] = sum(counts) - total
        found = {m.breakdown: m.difference for m in mismatches(values)}
        assert found == expected

    check()


def test_property_tranches_always_add_up_to_the_award():
    from hypothesis import given
    from hypothesis import strategies as st

    @given(st.integers(1, 10_000_000), st.data())
    def check(amount, data):
        n = data.draw(st.integers(1, 3))
        percents = [p + 1 for p in _partition(data.draw, st, 100 - n, n)]
        amounts = queries.tranche_amounts(amount, percents)
        assert sum(amounts) == amount
        assert all(a >= 0 for a in amounts)
        for p, a in zip(percents[:-1], amounts[:-1], strict=True):
            assert a == amount * p // 100

    check()


def test_property_every_aggregate_is_the_sum_of_its_events(app, create_grant_case):
    """Whatever events the grantees enter, the SQL totals (overall, per grant, per district)
    equal the sums of the rows, and every breakdown of a total adds up to that total."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from smallgrants.grants.breakdowns import BREAKDOWNS
    from smallgrants.grants.models import EventFormat

    case = create_grant_case(2, periods=("final",))
    report_ids = [case.reports[g][0] for g in case.grant_ids]
    districts = ["aksu", "karatal", ""]

    @st.composite
    def event(draw):
        total = draw(st.integers(0, 3000))
        counts = {"total": total}
        for b in BREAKDOWNS:
            counts.update(zip(b.columns, _partition(draw, st, total, len(b.columns)), strict=True))
        return draw(st.sampled_from(range(2))), draw(st.sampled_from(districts)), counts

    @settings(
        max_examples=20,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(st.lists(event(), max_size=8))
    def check(events):
        with app.test_request_context():
            db.session.execute(Event.__table__.delete())
            for which, district, counts in events:
                report = db.session.get(Report, report_ids[which])
                grantee = db.session.get(User, case.grantee_ids[which])
                services.save_event(
                    grantee,
                    report,
                    services.EventInput(
                        "e", date(2023, 10, 1), district, "", EventFormat.OFFLINE, "", counts
                    ),
                )
            # count every report as accepted for the figures
            db.session.execute(Report.__table__.update().values(status=ReportStatus.ACCEPTED))
            totals = queries.participants(queries.EventFilter(case.competition_id))
            assert totals["events"] == len(events)
            for column in ALL_COLUMNS:
                assert totals[column] == sum(c[column] for _w, _d, c in events)
            for b in BREAKDOWNS:
                assert sum(totals[c] for c in b.columns) == totals["total"]
            per_grant = queries.participants_by_grant(case.competition_id)
            for which, grant_id in enumerate(case.grant_ids):
                mine = [c for w, _d, c in events if w == which]
                got = per_grant.get(grant_id, {"total": 0, "events": 0})
                assert got["total"] == sum(c["total"] for c in mine)
                assert got["events"] == len(mine)
            by_district = {
                code: (n, t) for code, n, t in queries.participants_by_district(case.competition_id)
            }
            for code in districts:
                mine = [c for _w, d, c in events if d == code]
                assert by_district.get(code, (0, 0)) == (
                    (len(mine), sum(c["total"] for c in mine)) if mine else (0, 0)
                )
            db.session.rollback()

    check()


def test_uploads_overspend_and_visits(app, client, auth, create_grant_case):
    case = create_grant_case(1)
    grant_id = case.grant_ids[0]
    report_id = case.reports[grant_id][0]
    auth.as_user(_user(app, case.grantee_ids[0]))
    response = client.post(
        f"/reports/{report_id}/files",
        data={"purpose": "photo", "caption": "", "file": (io.BytesIO(b"hello"), "note.txt")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    assert "Тек PDF, DOCX, XLSX, JPG және PNG файлдары қабылданады." in response.text
    response = client.post(
        f"/reports/{report_id}/files",
        data={"purpose": "photo", "caption": "", "file": (io.BytesIO(TINY_PDF), "a.pdf")},
        content_type="multipart/form-data",
    )
    assert "Фото JPG немесе PNG файлы болуы керек." in response.text
    with app.app_context():
        line = db.session.get(Grant, grant_id).application.budget[0]
        line_id, approved = line.id, line.total
    for amount in ("90 000", "20 000"):
        client.post(
            f"/reports/{report_id}/expenses",
            data={
                "budget_line_id": str(line_id),
                "spent_on": "2023-10-06",
                "amount": amount,
                "document": "Чек",
            },
        )
    page = client.get(f"/reports/{report_id}").text
    assert approved == 100_000
    assert 'data-testid="spent-total">110\xa0000\xa0₸<' in page
    assert page.count("асыра жұмсалды") == 1  # the banner line, not the total row's badge
    # a visit with a photo: the coordinator's, not the grantee's
    auth.as_user(_user(app, case.coordinator.id))
    response = client.post(
        f"/manage/grants/{grant_id}/visits",
        data={
            "visited_on": "2023-10-20",
            "visitors": "Үйлестіруші",
            "findings": "Тізім бар",
            "photos": [(io.BytesIO(PNG), "v1.png"), (io.BytesIO(PNG), "v2.png")],
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    page = client.get(f"/grants/{grant_id}").text
    assert "Тізім бар" in page and "v1.png" in page and "v2.png" in page
    with app.app_context():
        from smallgrants.grants.models import GrantFile

        photo = db.session.scalars(
            select(GrantFile).where(GrantFile.visit_id.is_not(None)).order_by(GrantFile.id)
        ).first()
        assert photo.sha256 == __import__("hashlib").sha256(PNG).hexdigest()
    with client.get(f"/grant-files/{photo.id}") as response:
        assert response.data == PNG
        assert response.mimetype == "image/png"

    auth.as_user(_user(app, case.grantee_ids[0]))
    assert client.get(f"/grant-files/{photo.id}").status_code == 403
    assert "Тізім бар" not in client.get(f"/grants/{grant_id}").text
