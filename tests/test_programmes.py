"""A regranting programme: the site administrator makes it, its operator reads every holder's
figures and changes nothing; the roll-up is the sum of each holder's own monitoring figures
(the route-by-route refusals are the authorization matrix's `operator` and `other_operator`
rows)."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select, update

from smallgrants.auth.models import Role, User
from smallgrants.competitions.models import Competition
from smallgrants.core.i18n import format_money, format_number
from smallgrants.core.timeutil import utcnow
from smallgrants.extensions import db
from smallgrants.grants import queries as grant_queries
from smallgrants.grants import services as grant_services
from smallgrants.grants.breakdowns import ALL_COLUMNS
from smallgrants.grants.models import EventFormat, Grant, Report, ReportPeriod
from smallgrants.organisations import services
from smallgrants.organisations.models import Organisation, Programme, ProgrammeOperator
from smallgrants.programmes import queries
from tests.conftest import EVENTS, default_organisation_id

# The loaded demo's roll-up: participants of the seed's holder, of the Turkistan one, in all;
# and the Turkistan holder's round (also `tests/test_api.py`: the API says the same)
DEMO_PARTICIPANTS = (19_098, 1_160, 20_258)
DEMO_SECOND_HOLDER = {
    "received": 6,
    "admitted": 5,
    "awarded": 3,
    "pool": 1_200_000,
    "money_awarded": 900_000,
    "paid": 900_000,
    "reports_overdue": 1,
    "reports_accepted": 5,
}


@dataclass
class Programmes:
    programme_id: int
    other_programme_id: int
    holder_a: int
    holder_b: int
    competition_a: int
    competition_b: int
    operator: object
    other_operator: object


def _organisation(short_name: str, name_kk: str, region: str) -> int:
    organisation = services.create_organisation(
        None, services.OrganisationInput(short_name=short_name, name_kk=name_kk, region_code=region)
    )
    return organisation.id


def _holder_b_competition(app, create_grant_case) -> int:
    """Holder B's round: 3 applications admitted, 2 grants of 300 000 ₸ (pool 900 000 ₸);
    grant 1's interim report accepted (100 participants) and 150 000 ₸ paid; grant 2's
    interim report not in and past its due date."""
    case = create_grant_case(3, awards=2, people="-b", grant_count=3)
    with app.test_request_context():
        coordinator = db.session.get(User, case.coordinator.id)
        first, second = (db.session.get(Grant, gid) for gid in case.grant_ids)
        interim = db.session.get(Report, case.reports[first.id][0])
        grantee = db.session.get(User, case.grantee_ids[0])
        grant_services.save_event(
            grantee,
            interim,
            grant_services.EventInput(
                "Семинар", date(2024, 3, 5), "", "", EventFormat.OFFLINE, "", EVENTS[0]
            ),
        )
        grant_services.save_narrative(grantee, interim, "Өтті", "", "")
        grant_services.submit_report(grantee, interim)
        grant_services.review_report(coordinator, interim, True, "")
        grant_services.record_payment(
            coordinator, first, grant_services.PaymentInput(1, date(2024, 2, 1), 150_000, "ПП-9")
        )
        late = db.session.get(Report, case.reports[second.id][0])
        db.session.get(ReportPeriod, late.period_id).due_at = utcnow() - timedelta(days=2)
        db.session.commit()
    return case.competition_id


@pytest.fixture
def programmes(app, report_case, create_grant_case, create_user) -> Programmes:
    competition_b = _holder_b_competition(app, create_grant_case)
    operator = create_user("operator@example.kz", full_name="Operator")
    other_operator = create_user("other-operator@example.kz", full_name="Other Operator")
    with app.test_request_context():
        holder_a = default_organisation_id()
        holder_b = _organisation("ekinshi", "«Екінші» қоғамдық қоры", "KZ-19")
        holder_c = _organisation("ushinshi", "«Үшінші» қоры", "KZ-61")
        db.session.execute(
            update(Competition)
            .where(Competition.id == competition_b)
            .values(organisation_id=holder_b, region_code="KZ-19")
        )
        programme = services.create_programme(
            None, services.ProgrammeInput("«Біргеміз» 2024", 2024, 2025, "«Біргеміз» 2024")
        )
        other = services.create_programme(None, services.ProgrammeInput("Басқа", 2024, 2024))
        for holder in (holder_a, holder_b):
            services.add_holder(None, programme, db.session.get(Organisation, holder))
        services.add_holder(None, other, db.session.get(Organisation, holder_c))
        services.add_operator(None, programme, operator.email)
        services.add_operator(None, other, other_operator.email)
        db.session.commit()
        return Programmes(
            programme.id,
            other.id,
            holder_a,
            holder_b,
            report_case.competition_id,
            competition_b,
            operator,
            other_operator,
        )


def _rollup(app, programme_id: int, **flt) -> queries.Rollup:
    with app.test_request_context():
        return queries.rollup(db.session.get(Programme, programme_id), queries.Filter(**flt), "kk")


def _monitoring_figures(competition_id: int) -> dict[str, int]:
    """What the holder's own monitoring page shows for one competition, asked the way that
    page asks it (one competition at a time)."""
    competition = db.session.get(Competition, competition_id)
    ledger = grant_queries.ledger(competition)
    participants = grant_queries.participants(grant_queries.EventFilter(competition_id))
    reports = grant_queries.report_counts(competition_id)
    return {
        "awarded": len(ledger.rows),
        "pool": ledger.pool,
        "money_awarded": ledger.awarded,
        "paid": ledger.paid,
        **{f"reports_{k}": v for k, v in reports.items()},
        **participants,
    }


MONITORED = (
    "awarded",
    "pool",
    "money_awarded",
    "paid",
    "reports_due",
    "reports_overdue",
    "reports_submitted",
    "reports_accepted",
    "events",
    *ALL_COLUMNS,
)


def test_rollup_equals_the_sum_of_the_holders_own_monitoring_figures(app, programmes):
    data = _rollup(app, programmes.programme_id)
    with app.test_request_context():
        own = {
            programmes.holder_a: _monitoring_figures(programmes.competition_a),
            programmes.holder_b: _monitoring_figures(programmes.competition_b),
        }
    by_holder = {organisation.id: figures for organisation, figures in data.by_holder}
    assert list(by_holder) == sorted(by_holder, key=lambda i: [o.id for o in data.holders].index(i))
    for holder, figures in own.items():
        assert {key: by_holder[holder][key] for key in MONITORED} == figures
    assert {key: data.total[key] for key in MONITORED} == {
        key: own[programmes.holder_a][key] + own[programmes.holder_b][key] for key in MONITORED
    }


def test_rollup_figures_are_the_records(app, programmes):
    data = _rollup(app, programmes.programme_id)
    t = data.total
    assert (t["competitions"], t["received"], t["admitted"], t["awarded"]) == (2, 5, 5, 4)
    assert (t["pool"], t["money_awarded"], t["paid"]) == (1_500_000, 1_200_000, 750_000)
    assert (
        t["reports_due"],
        t["reports_overdue"],
        t["reports_submitted"],
        t["reports_accepted"],
    ) == (2, 1, 0, 3)
    assert t.reports_on_time == 5
    assert (t["events"], t["total"], t["men"], t["women"], t["gender_unspecified"]) == (
        3,
        250,
        100,
        145,
        5,
    )
    assert [(code, f["total"], f["paid"]) for code, f in data.by_region] == [
        ("KZ-19", 100, 150_000),
        ("KZ-33", 150, 600_000),
    ]
    assert [(p["region_code"], p["district_code"], p["total"]) for p in data.places] == [
        ("KZ-19", "", 100),
        ("KZ-33", "aksu", 150),
    ]
    assert [row.stage for row in data.rows] == ["signed", "signed"]
    assert [row.competition.id for row, _check in data.failing] == [programmes.competition_b]


def test_rollup_checks_find_a_payment_short_of_the_award(app, programmes):
    data = _rollup(app, programmes.programme_id, holder_id=programmes.holder_b)
    assert [row.competition.id for row in data.rows] == [programmes.competition_b]
    failing = [(row.competition.id, check.group, check.ok) for row, check in data.failing]
    # holder B paid 150 000 of the 600 000 ₸ awarded: the final report's own check says so
    assert failing == [(programmes.competition_b, "money", False)]
    assert data.failing[0][1].detail == (
        "тоқтатылмаған гранттарға берілген 600\xa0000\xa0₸ сомасының 150\xa0000\xa0₸ төленді"
    )


def _figure(page: str, key: str) -> str:
    found = re.search(rf'data-figure="{key}">([^<]*)<', page)
    assert found, key
    return found.group(1)


def test_operator_reads_the_rollup_page_and_drills_down(app, client, auth, programmes):
    auth.as_user(programmes.operator)
    url = f"/programmes/{programmes.programme_id}"
    page = client.get(url)
    assert page.status_code == 200
    html = page.text
    with app.test_request_context():
        assert _figure(html, "total") == format_number(250, "kk")
        assert _figure(html, "paid") == format_money(750_000, "kk")
        assert _figure(html, "reports_overdue") == "1"
    assert re.findall(r'<tr data-holder="([\w-]+)">', html) == ["ekinshi", "test-holder"]
    assert f'href="/programmes/{programmes.programme_id}?holder={programmes.holder_b}"' in html
    assert f'href="/manage/competitions/{programmes.competition_b}/monitoring"' in html
    one = client.get(f"{url}?holder={programmes.holder_b}").text
    assert re.findall(r'<tr data-competition="(\d+)">', one) == [str(programmes.competition_b)]
    # the holder's own monitoring page opens read-only: no reminders, no grant pages
    monitoring = client.get(f"/manage/competitions/{programmes.competition_b}/monitoring")
    assert monitoring.status_code == 200
    assert 'data-testid="send-reminders"' not in monitoring.text
    assert "/manage/grants/" not in monitoring.text and "/grants/" not in re.sub(
        r"/manage/competitions/\d+/monitoring[^\"]*", "", monitoring.text
    )
    assert client.get(f"/manage/competitions/{programmes.competition_b}/grants").status_code == 403
    events = client.get(f"/manage/competitions/{programmes.competition_b}/monitoring/events")
    assert events.status_code == 200
    assert "/reports/" not in events.text
    assert (
        client.post(f"/manage/competitions/{programmes.competition_b}/reminders").status_code == 403
    )


def test_an_operator_reads_no_draft_of_a_holder(app, client, auth, programmes, create_competition):
    draft = create_competition(published=False)  # the suite's holder (A), not announced
    auth.as_user(programmes.operator)
    assert client.get(f"/manage/competitions/{draft.id}/monitoring").status_code == 403
    assert (
        client.get(f"/manage/competitions/{programmes.competition_a}/monitoring").status_code == 200
    )
    page = client.get(f"/programmes/{programmes.programme_id}").text
    assert f'data-competition="{draft.id}"' not in page


def test_an_operator_of_another_programme_sees_none_of_it(app, client, auth, programmes):
    auth.as_user(programmes.other_operator)
    assert client.get(f"/programmes/{programmes.programme_id}").status_code == 403
    assert client.get(f"/programmes/{programmes.programme_id}/rollup.xlsx").status_code == 403
    for competition in (programmes.competition_a, programmes.competition_b):
        assert client.get(f"/manage/competitions/{competition}/monitoring").status_code == 403
        assert client.get(f"/manage/competitions/{competition}/monitoring.xlsx").status_code == 403
    listed = client.get("/programmes").text
    assert re.findall(r'data-programme="(\d+)"', listed) == [str(programmes.other_programme_id)]


def test_rollup_workbook_holds_the_page_figures(app, client, auth, programmes):
    auth.as_user(programmes.operator)
    response = client.get(f"/programmes/{programmes.programme_id}/rollup.xlsx?lang=ru")
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.data))
    assert wb.sheetnames == [
        "Программа",
        "По обладателям гранта",
        "По регионам",
        "По районам",
        "Конкурсы",
        "Проверки",
    ]
    data = _rollup(app, programmes.programme_id)
    holders = wb["По обладателям гранта"]
    header = [c.value for c in holders[1]]
    rows = [[c.value for c in row] for row in holders.iter_rows(min_row=2)]
    assert [r[1] for r in rows] == [o.short_name for o, _f in data.by_holder] + [None]
    for row, (_organisation, figures) in zip(
        rows, [*data.by_holder, (None, data.total)], strict=True
    ):
        assert row[2:] == [figures[key] for key in queries.FIGURES]
    assert header[2 + queries.FIGURES.index("paid")] == "Выплачено"
    assert rows[-1][2 + queries.FIGURES.index("total")] == 250
    places = [[c.value for c in row] for row in wb["По районам"].iter_rows(min_row=2)]
    assert [(r[0], r[1], r[3]) for r in places] == [
        ("Алматинская область", "Район не указан", 100),
        ("область Жетысу", "Аксуский район", 150),
    ]


def test_admin_makes_a_programme_and_appoints_its_operator(app, client, auth, create_user):
    admin = create_user("admin@example.kz", roles=(Role.ADMIN,))
    person = create_user("op@example.kz")
    create_user("unconfirmed@example.kz", confirmed=False)
    auth.as_user(admin)
    bad = client.post(
        "/admin/programmes/new",
        data={
            "name_kk": "Бағдарлама",
            "name_ru": "Программа",
            "starts_year": "2025",
            "ends_year": "2024",
        },
    )
    assert bad.status_code == 400
    assert 'value="Бағдарлама"' in bad.text and 'value="Программа"' in bad.text
    assert 'data-testid="programme-error"' in bad.text
    created = client.post(
        "/admin/programmes/new",
        data={"name_kk": "Бағдарлама", "starts_year": "2024", "ends_year": "2025"},
    )
    assert created.status_code == 302
    programme_id = int(created.headers["Location"].rsplit("/", 1)[-1])
    holder = f"/admin/programmes/{programme_id}/holders"
    assert client.post(holder, data={"organisation_id": ""}).status_code == 400
    with app.app_context():
        organisation_id = default_organisation_id()
        db.session.commit()
    assert client.post(holder, data={"organisation_id": str(organisation_id)}).status_code == 302
    operators = f"/admin/programmes/{programme_id}/operators"
    refused = client.post(operators, data={"email": "unconfirmed@example.kz"})
    assert refused.status_code == 400 and 'value="unconfirmed@example.kz"' in refused.text
    assert client.post(operators, data={"email": "OP@example.kz"}).status_code == 302
    with app.app_context():
        user = db.session.get(User, person.id)
        assert user.has_role(Role.OPERATOR)
        assert db.session.scalars(
            select(ProgrammeOperator.programme_id).where(ProgrammeOperator.user_id == person.id)
        ).all() == [programme_id]
    page = client.get(f"/admin/programmes/{programme_id}").text
    assert 'data-testid="programme-operators"' in page and "op@example.kz" in page
    auth.as_user(person)
    assert client.get(f"/programmes/{programme_id}").status_code == 200
    auth.as_user(admin)
    remove = f"/admin/programmes/{programme_id}/operators/{person.id}/remove"
    assert client.post(remove).status_code == 302
    assert client.post(remove).status_code == 404
    auth.as_user(person)
    assert client.get(f"/programmes/{programme_id}").status_code == 403


def test_demo_rollup_equals_the_sum_of_its_two_holders_monitoring(app, runner, client, auth):
    """`flask demo load`: the programme over the seed's holder and the Turkistan one; its
    operator's roll-up is, figure by figure, the sum of every competition's own monitoring
    figures of each holder — and the records behind them."""
    from smallgrants.demo_programme import OPERATOR, PROGRAMME

    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    with app.test_request_context():
        programme = db.session.scalars(
            select(Programme).where(Programme.name_kk == PROGRAMME.name_kk)
        ).one()
        data = queries.rollup(programme, queries.Filter(), "kk")
        assert [o.short_name for o in data.holders] == ["zhogary", "ontustik"]
        by_holder = {o.short_name: figures for o, figures in data.by_holder}
        for organisation in data.holders:
            own = [
                _monitoring_figures(row.competition.id)
                for row in data.rows
                if row.holder.id == organisation.id and not row.competition.awards_prizes
            ]
            figures = by_holder[organisation.short_name]
            for key in ("events", *ALL_COLUMNS, *(k for k in MONITORED if k.startswith("reports"))):
                assert figures[key] == sum(f[key] for f in own), (organisation.short_name, key)
        for key in MONITORED:
            assert data.total[key] == sum(f[key] for f in by_holder.values()), key
        seed, second = by_holder["zhogary"], by_holder["ontustik"]
        assert (seed["total"], second["total"], data.total["total"]) == DEMO_PARTICIPANTS
        assert {key: second[key] for key in DEMO_SECOND_HOLDER} == DEMO_SECOND_HOLDER
        assert [(p["region_code"], p["district_code"]) for p in data.places][:2] == [
            ("KZ-33", "aksu"),
            ("KZ-33", "alakol"),
        ]
        assert {p["region_code"] for p in data.places} == {"KZ-33", "KZ-61"}
        operator = db.session.scalars(select(User).where(User.email == OPERATOR)).one()
        operator_id = operator.id
    auth.as_user(_detached(app, operator_id))
    assert client.get(f"/programmes/{programme.id}").status_code == 200


def _detached(app, user_id: int):
    from tests.conftest import detached

    with app.app_context():
        return detached(db.session.get(User, user_id))


def test_rollup_statements_do_not_grow_with_its_competitions(
    app, client, auth, count_queries, programmes, create_competition
):
    auth.as_user(programmes.operator)
    url = f"/programmes/{programmes.programme_id}"
    client.get(url)  # warm: the session, the translations
    with count_queries() as before:
        assert client.get(url).status_code == 200
    for _ in range(3):
        create_competition(published=True)  # the suite's holder (A) announces three more
    with count_queries() as after:
        page = client.get(url)
    assert len(re.findall(r'<tr data-competition="\d+">', page.text)) == 5
    assert len(after) == len(before)


def test_cli_exports_on_someones_behalf_follow_the_pages_rules(
    app, runner, programmes, report_case, tmp_path
):
    """`--as EMAIL`: the operator may write the roll-up and a holder's monitoring report, not
    its registry; the other programme's operator none of them; without `--as` the server's
    administrator writes any."""
    out = str(tmp_path / "out")
    ok = f"{programmes.operator.email}"
    other = f"{programmes.other_operator.email}"
    a = str(programmes.competition_a)
    cases = [
        (["export", "programme", str(programmes.programme_id), "--out", f"{out}.xlsx"], ok, 0),
        (["export", "programme", str(programmes.programme_id), "--out", f"{out}.xlsx"], other, 1),
        (["export", "monitoring", a, "--format", "xlsx", "--out", f"{out}.xlsx"], ok, 0),
        (["export", "monitoring", a, "--format", "xlsx", "--out", f"{out}.xlsx"], other, 1),
        (["export", "registry", a, "--out", f"{out}.xlsx"], ok, 1),
        (["export", "protocol", a, "--kind", "approval", "--out", f"{out}.docx"], ok, 1),
        (["export", "final-report", str(report_case.project_id), "--out", f"{out}.docx"], ok, 1),
    ]
    for args, email, code in cases:
        result = runner.invoke(args=[*args, "--as", email])
        assert result.exit_code == code, (args, email, result.output)
        if code:
            assert result.output == f"Error: {email} may not download this\n"
    result = runner.invoke(args=["export", "registry", a, "--out", f"{out}.xlsx"])
    assert (result.exit_code, result.output) == (0, f"wrote 2 applications to {out}.xlsx\n")
    result = runner.invoke(
        args=["export", "programme", str(programmes.programme_id), "--out", f"{out}.xlsx"]
    )
    assert result.exit_code == 0
    totals = {row[0].value: row[1].value for row in load_workbook(f"{out}.xlsx").active.iter_rows()}
    assert (totals["Қатысушылар, барлығы"], totals["Төленді"]) == (250, 750_000)
