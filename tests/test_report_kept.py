"""Kept final report sections (the report page's computed parts, the reconciliation) and kept
registries (core/fragments.py): the database's triggers (migration 0029) change
`generations('report:<competition id>')` with every row of an attached competition the
report reads, `generations('project:<project id>')` with the project's own rows and
`generations('intake:<competition id>')` with a competition's received applications and
their budgets; a kept section is shown only while every one of them (and
`generations('people')`) is unchanged — on SQLite and on PostgreSQL, whichever statement
made the change."""

from __future__ import annotations

import importlib.util
import io
import re
from datetime import date, timedelta
from pathlib import Path

from docx import Document
from flask_babel import gettext as _
from openpyxl import load_workbook
from sqlalchemy import select, text

from smallgrants.applications.models import Application, BudgetLine
from smallgrants.auth.models import User
from smallgrants.commission.models import Decision, Meeting
from smallgrants.competitions.models import PrizePlace, Question
from smallgrants.core import fragments
from smallgrants.core.i18n import format_money, format_number
from smallgrants.core.timeutil import utcnow
from smallgrants.documents.final_report import build_final_report
from smallgrants.extensions import db
from smallgrants.grants.models import Expense, Grant, PrizePayment, Publication, Report
from smallgrants.reporting import services
from smallgrants.reporting.models import Project, Proposal, Recommendation
from smallgrants.reporting.views import reconciliation_body, report_parts
from tests.conftest import counting_statements
from tests.test_commission_kept import _read

ROOT = Path(__file__).resolve().parent.parent


def _migration(name: str):
    path = ROOT / "migrations" / "versions" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _every_kind_of_row(app, case) -> None:
    """The rows the report case has none of: a public question answered, a prize place, a
    prize payment, a publication, an expense, a proposal and a recommendation."""
    with app.app_context():
        decision = db.session.scalars(
            select(Decision)
            .join(Meeting, Meeting.id == Decision.meeting_id)
            .where(Meeting.competition_id == case.competition_id)
        ).first()
        grant = db.session.get(Grant, case.grant_ids[0])
        report = db.session.scalars(select(Report).where(Report.grant_id == grant.id)).first()
        line = db.session.scalar(
            select(BudgetLine.id).where(BudgetLine.application_id == grant.application_id)
        )
        db.session.add_all(
            [
                Question(
                    competition_id=case.competition_id,
                    text="Қалай?",
                    answer="Былай.",
                    answered_at=utcnow(),
                ),
                PrizePlace(competition_id=case.competition_id, place=1, amount=100_000),
                PrizePayment(
                    decision_id=decision.id,
                    amount=100_000,
                    paid_on=date(2023, 9, 1),
                    document_number="ПП-9",
                ),
                Publication(report_id=report.id, url="https://example.kz/a", reach=40),
                Expense(
                    report_id=report.id,
                    budget_line_id=line,
                    spent_on=date(2023, 9, 2),
                    amount=1_000,
                    document="Чек-1",
                ),
                Proposal(project_id=case.project_id, position=1, sphere="Білім"),
                Recommendation(project_id=case.project_id, position=1, body="Әкімдік"),
            ]
        )
        db.session.commit()


def test_the_triggers_watch_every_table_the_kept_report_reads(app, report_case):
    """What the kept sections, the reconciliation and the report's files read, from the
    project's own row on, is what the triggers watch, table for table (the applicant's
    profile: its kind, through the people's value): a table added to the report without its
    trigger fails."""
    _every_kind_of_row(app, report_case)
    report, people = (
        _migration("0029_report_generations"),
        _migration("0028_commission_generations"),
    )
    with app.test_request_context("/"), counting_statements(app) as statements:
        project = db.session.get(Project, report_case.project_id)
        report_parts(project, "kk")
        reconciliation_body(project, "ru")
        build_final_report(project, "docx", "kk")
        build_final_report(project, "xlsx", "ru")
    read = _read(statements)
    watched = set(report.REPORT_SOURCES) | set(report.PROJECT_SOURCES)
    assert set(read) - watched == {"applicant_profiles"}
    assert {"grant_events", "grant_payments", "questions", "prize_payments", "decisions"} <= set(
        read
    )
    assert read["applicant_profiles"] - {"id"} == {"kind"}
    assert "kind" in people.PEOPLE_SOURCES["applicant_profiles"]
    assert not set(report.REPORT_SOURCES) & set(report.PROJECT_SOURCES)


def _values(names) -> dict[str, str | None]:
    return {name: fragments.generation(name) for name in names}


def test_each_change_gives_its_competition_or_project_a_new_value_and_no_other(
    app, report_case, create_competition
):
    _every_kind_of_row(app, report_case)
    case = report_case
    migration = _migration("0029_report_generations")
    other_competition = create_competition(title_kk="Басқа байқау")
    with app.test_request_context():
        coordinator = db.session.get(User, case.coordinator_id)
        other_project = services.create_project(
            coordinator, services.ProjectInput(organisation="Басқа", title="Басқа жоба")
        )
        db.session.commit()
        mine = {
            "report": fragments.report(case.competition_id),
            "project": fragments.project(case.project_id),
            "intake": fragments.intake(case.competition_id),
        }
        names = [
            *mine.values(),
            fragments.report(other_competition.id),
            fragments.intake(other_competition.id),
            fragments.project(other_project.id),
            fragments.PEOPLE,
        ]
        seen = _values(names)
        assert None not in seen.values()
        owners = {"report": case.competition_id, "project": case.project_id}
        owners["intake"] = case.competition_id

        def changed(sql: str, **params) -> set[str]:
            db.session.execute(text(sql), params)
            now = _values(names)
            new = {name for name in now if now[name] != seen[name]}
            seen.update(now)
            return new

        for kind, sources in migration.KINDS.items():
            for table, (owner, _condition) in sources.items():
                column = next(iter(db.metadata.tables[table].columns)).name
                where = f"{owner.format(row=table)} = :o"
                count_sql = f"SELECT count(*) FROM {table} WHERE {where}"  # noqa: S608
                assert db.session.scalar(text(count_sql), {"o": owners[kind]}), table
                update = f"UPDATE {table} SET {column} = {column} WHERE {where}"  # noqa: S608
                # a table two kinds read (a competition, its applications) changes both
                expected = {mine[k] for k, read in migration.KINDS.items() if table in read}
                assert changed(update, o=owners[kind]) == expected, table
        # an application counts once submitted: a draft being typed changes no report or
        # registry, nor do its budget lines
        application = db.session.scalar(
            select(Application.id).where(Application.competition_id == case.competition_id)
        )
        status = db.session.get(Application, application).status.value
        received = {mine["report"], mine["intake"]}
        to_draft = "UPDATE applications SET status = 'draft' WHERE id = :i"
        assert changed(to_draft, i=application) == received
        typed = "UPDATE applications SET title = 'Жаңа' WHERE id = :i"
        assert changed(typed, i=application) == set()
        budget = "UPDATE budget_lines SET quantity = quantity WHERE application_id = :i"
        assert db.session.scalar(
            text("SELECT count(*) FROM budget_lines WHERE application_id = :i"), {"i": application}
        )
        assert changed(budget, i=application) == set()
        back = "UPDATE applications SET status = :s WHERE id = :i"
        assert changed(back, s=status, i=application) == received
        assert changed(budget, i=application) == received  # its registry, its grant's budget
        # deleting rows: the owner's value changes too
        delete_events = "DELETE FROM grant_events"
        assert changed(delete_events) == {mine["report"]}
        assert changed("DELETE FROM project_indicators") == {mine["project"]}
        # an applicant's kind: the people's value
        kind = "UPDATE applicant_profiles SET kind = kind"
        assert changed(kind) == {fragments.PEOPLE}
        db.session.rollback()


def _sign_in_coordinator(app, auth, case) -> None:
    with app.app_context():
        coordinator = db.session.get(User, case.coordinator_id)
    auth.as_user(coordinator)


def _delete_first_event(app) -> tuple[int, int]:
    """Delete a grantee's first event by plain SQL: (participants before, the event's)."""
    with app.app_context():
        total = db.session.scalar(text("SELECT sum(total) FROM grant_events"))
        event_id, gone = db.session.execute(
            text("SELECT id, total FROM grant_events ORDER BY id LIMIT 1")
        ).one()
        db.session.execute(text("DELETE FROM grant_events WHERE id = :e"), {"e": event_id})
        db.session.commit()
    assert gone > 0
    return total, gone


_TOKEN = re.compile(r'(name="csrf_token" value=")([^"]*)(")')


def _page(client, path: str) -> str:
    """The page as a reader gets it, its form tokens masked: a token's signature carries
    the second it was made, so two requests straddling a second differ there and only
    there (a whole-page comparison failed on that in CI)."""
    response = client.get(path)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert all(len(token) > 40 for _, token, _ in _TOKEN.findall(html))
    return _TOKEN.sub(r"\1(token)\3", html)


def _built(app, client, page: str) -> tuple[str, dict[str, set[str]]]:
    """The page built afresh (nothing kept), and the tables and columns building it read."""
    app.extensions["fragments"] = fragments.Fragments(app.config["FRAGMENT_CACHE_SIZE"])
    with counting_statements(app) as statements:
        html = _page(client, page)
    return html, _read(statements)


def _cell(html: str, testid: str) -> str:
    start = html.index(f'data-testid="{testid}"')
    return html[start : html.index("</", start)]


def test_a_kept_report_shows_every_change_at_once(app, client, auth, report_case):
    case = report_case
    report = f"/manage/projects/{case.project_id}"
    _sign_in_coordinator(app, auth, case)
    first = _page(client, report)
    with counting_statements(app) as statements:
        again = _page(client, report)
    assert again == first
    assert not [s for s in statements if "grant_events" in s]  # kept: no event read
    participants = f"small-grants-participants-{case.competition_activity_id}"
    before = _cell(first, participants)

    # a grantee's event deleted by plain SQL: the next request shows the new count
    total, gone = _delete_first_event(app)
    after = _cell(_page(client, report), participants)
    assert format_number(total, "kk") in before
    assert format_number(total - gone, "kk") in after
    # the competition renamed by plain SQL: section 4 links the new title
    with app.app_context():
        db.session.execute(
            text("UPDATE competitions SET title_kk = 'Жаңа атау' WHERE id = :c"),
            {"c": case.competition_id},
        )
        db.session.commit()
    assert "Жаңа атау" in _page(client, report)
    # an activity renamed through the form: section 1 shows it
    with app.app_context():
        db.session.execute(
            text("UPDATE project_activities SET title = 'Жаңа тренинг' WHERE id = :a"),
            {"a": case.training_id},
        )
        db.session.commit()
    assert "Жаңа тренинг" in _cell(_page(client, report), f"activity-{case.training_id}")


def test_a_kept_reconciliation_follows_the_payments(app, client, auth, report_case):
    case = report_case
    page = f"/manage/projects/{case.project_id}/reconciliation"
    _sign_in_coordinator(app, auth, case)
    first = _page(client, page)
    failing = first.count('data-ok="no"')
    with counting_statements(app) as statements:
        assert _page(client, page) == first
    assert not [s for s in statements if "grant_payments" in s]
    with app.app_context():
        db.session.execute(
            text("UPDATE grant_payments SET amount = amount - 1 WHERE grant_id = :g"),
            {"g": case.grant_ids[0]},
        )
        db.session.commit()
    html = _page(client, page)
    assert html.count('data-ok="no"') > failing


# what any signed-in page reads for its visitor (the sign-in, the account, its roles and
# organisations) and the generations themselves: never part of a kept body
REQUEST_TABLES = {"user_sessions", "users", "user_roles", "organisation_members", "generations"}
# loaded with the competition (its pool), never shown by the registry: no trigger needed
LOADED_NOT_SHOWN = {"prize_places"}


def test_the_triggers_watch_every_table_the_kept_registry_reads(app, client, auth, report_case):
    case = report_case
    migration = _migration("0029_report_generations")
    people = _migration("0028_commission_generations")
    _sign_in_coordinator(app, auth, case)
    page = f"/manage/competitions/{case.competition_id}/applications"
    _html, read = _built(app, client, page + "?sort=name")
    watched = set(migration.INTAKE_SOURCES) | set(people.PEOPLE_SOURCES)
    assert set(read) - watched - REQUEST_TABLES == LOADED_NOT_SHOWN
    assert {"applications", "budget_lines", "applicant_profiles", "competitions"} <= set(read)
    assert read["applicant_profiles"] - {"id"} <= set(people.PEOPLE_SOURCES["applicant_profiles"])


def _registry_row(html: str, application_id: int) -> str:
    start = html.index(f'<tr data-application="{application_id}">')
    return html[start : html.index("</tr>", start)]


def test_a_kept_registry_shows_every_change_at_once(app, client, auth, report_case):
    case = report_case
    with app.app_context():
        coordinator = db.session.get(User, case.coordinator_id)
        application = db.session.get(Grant, case.grant_ids[0]).application
        application_id, profile_id = application.id, application.profile_id
    auth.as_user(coordinator)
    page = f"/manage/competitions/{case.competition_id}/applications"
    first = _page(client, page)
    with counting_statements(app) as statements:
        assert _page(client, page) == first
    assert not [s for s in statements if "budget_lines" in s]  # kept: no budget read

    def sql(statement: str, **params) -> None:
        with app.app_context():
            db.session.execute(text(statement), params)
            db.session.commit()

    sql("UPDATE applications SET title = 'Жаңа жоба' WHERE id = :a", a=application_id)
    assert "Жаңа жоба" in _registry_row(_page(client, page), application_id)
    sql("UPDATE applicant_profiles SET name = 'Жаңа ұйым' WHERE id = :p", p=profile_id)
    assert "Жаңа ұйым" in _registry_row(_page(client, page), application_id)
    with app.app_context():
        requested = db.session.scalar(
            text("SELECT sum(quantity * unit_cost) FROM budget_lines WHERE application_id = :a"),
            {"a": application_id},
        )
    line = "SELECT min(id) FROM budget_lines WHERE application_id = :a"
    sql(f"DELETE FROM budget_lines WHERE id = ({line})", a=application_id)  # noqa: S608
    with app.app_context():
        left = db.session.scalar(
            text(
                "SELECT coalesce(sum(quantity * unit_cost), 0) FROM budget_lines"
                " WHERE application_id = :a"
            ),
            {"a": application_id},
        )
    assert left < requested
    with app.test_request_context():
        shown = format_money(left, "kk")
    assert shown in _registry_row(_page(client, page), application_id)
    # a filter is a page of its own: withdrawn ones only, none yet
    assert f'data-application="{application_id}"' not in _page(client, page + "?status=withdrawn")


def test_kept_events_follow_their_rows_and_read_only_watched_tables(app, client, auth, report_case):
    """The events behind the figures are kept under the competition's report value: what
    building them reads is watched, and a plain-SQL change shows at the next request."""
    case = report_case
    migration = _migration("0029_report_generations")
    _sign_in_coordinator(app, auth, case)
    page = f"/manage/competitions/{case.competition_id}/monitoring/events"
    first, read = _built(app, client, page)
    assert set(read) - set(migration.REPORT_SOURCES) - REQUEST_TABLES == set()
    assert {"grant_events", "grant_reports", "grants"} <= set(read)
    with counting_statements(app) as statements:
        assert _page(client, page) == first
    assert not [s for s in statements if "grant_events" in s]
    total, gone = _delete_first_event(app)
    shown = 'data-testid="events-total">{}</th>'
    assert shown.format(format_number(total, "kk")) in first
    assert shown.format(format_number(total - gone, "kk")) in _page(client, page)
    # a report sent back: its events leave the accepted-only list
    with app.app_context():
        db.session.execute(text("UPDATE grant_reports SET status = 'submitted'"))
        db.session.commit()
    assert shown.format(0) in _page(client, page)


def test_kept_monitoring_follows_its_rows_and_the_clock(
    app, client, auth, report_case, monkeypatch
):
    """The monitoring page is kept under the competition's report value and the people's:
    what building it reads is watched; a payment changed by SQL shows at the next request,
    and a report turns overdue just past its due date's last second, with no write."""
    case = report_case
    _every_kind_of_row(app, case)
    report_migration = _migration("0029_report_generations")
    people = _migration("0028_commission_generations")
    _sign_in_coordinator(app, auth, case)
    page = f"/manage/competitions/{case.competition_id}/monitoring"
    first, read = _built(app, client, page)
    watched = set(report_migration.REPORT_SOURCES) | set(people.PEOPLE_SOURCES)
    assert set(read) - watched - REQUEST_TABLES == set()
    assert {"grant_payments", "grant_expenses", "grant_publications", "budget_lines"} <= set(read)
    with counting_statements(app) as statements:
        again = _page(client, page)
    assert not [s for s in statements if "grant_payments" in s]
    # the form token is this request's, never the kept page's mark
    assert "\x00" not in again
    assert again.count('name="csrf_token"') == first.count('name="csrf_token"') > 0

    with app.app_context():
        paid = db.session.scalar(text("SELECT sum(amount) FROM grant_payments"))
        db.session.execute(
            text("UPDATE grant_payments SET amount = amount - 1000 WHERE grant_id = :g"),
            {"g": case.grant_ids[0]},
        )
        db.session.commit()
    with app.test_request_context():
        before = f"{_('Paid')}: {format_money(paid, 'kk')}"
        after = f"{_('Paid')}: {format_money(paid - 1000, 'kk')}"
    assert before in first
    html = _page(client, page)
    assert after in html
    assert before not in html

    # a report not in yet, due in an hour: due until its last second, then overdue
    due_at = utcnow().replace(microsecond=0) + timedelta(hours=1)
    with app.app_context():
        report = db.session.scalars(
            select(Report).where(Report.grant_id == case.grant_ids[0])
        ).first()
        db.session.execute(
            text("UPDATE grant_reports SET status = 'draft' WHERE id = :r"), {"r": report.id}
        )
        db.session.execute(
            text("UPDATE report_periods SET due_at = :d WHERE id = :p"),
            {"d": due_at, "p": report.period_id},
        )
        db.session.commit()

    def counts_at(moment) -> str:
        monkeypatch.setattr(fragments, "utcnow", lambda: moment)
        html = _page(client, page)
        start = html.index('data-testid="report-counts"')
        return html[start : html.index("</ul>", start)]

    with app.test_request_context():
        due, overdue = _("due: %(n)s", n=1), _("overdue: %(n)s", n=1)
    assert due in counts_at(due_at - timedelta(minutes=5))
    with counting_statements(app) as statements:
        assert due in counts_at(due_at + timedelta(seconds=0.5))  # its last second: kept
    assert not [s for s in statements if "grant_payments" in s]
    assert overdue in counts_at(due_at + timedelta(seconds=1))


def _docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_kept_report_files_follow_their_rows(app, client, auth, report_case):
    """The final report's DOCX and the registry's XLSX are kept like their pages: the same
    bytes while the rows are unchanged, the new figures at the next download."""
    case = report_case
    _sign_in_coordinator(app, auth, case)
    docx = f"/manage/projects/{case.project_id}/report.docx?lang=kk"
    first = client.get(docx)
    assert first.status_code == 200
    with counting_statements(app) as statements:
        assert client.get(docx).data == first.data
    assert not [s for s in statements if "grant_events" in s]
    total, gone = _delete_first_event(app)
    row = "Шағын гранттар бойынша – {}"  # section 4's small grants row, as the seed words it
    assert row.format(format_number(total, "kk")) in _docx_text(first.data)
    again = _docx_text(client.get(docx).data)
    assert row.format(format_number(total - gone, "kk")) in again
    assert row.format(format_number(total, "kk")) not in again

    xlsx = f"/manage/competitions/{case.competition_id}/applications.xlsx"
    before = client.get(xlsx)
    assert before.status_code == 200
    with counting_statements(app) as statements:
        assert client.get(xlsx).data == before.data
    assert not [s for s in statements if "budget_lines" in s]
    with app.app_context():
        db.session.execute(
            text("UPDATE applications SET title = 'Жаңа жоба' WHERE competition_id = :c"),
            {"c": case.competition_id},
        )
        db.session.commit()
    sheet = load_workbook(io.BytesIO(client.get(xlsx).data)).active
    titles = {cell.value for row in sheet.iter_rows() for cell in row}
    assert "Жаңа жоба" in titles


def _attach_options(html: str) -> list[str]:
    if 'data-testid="attach-competition"' not in html:
        return []
    start = html.index('data-testid="attach-competition"')
    block = html[start : html.index("</select>", start)]
    return re.findall(r"<option [^>]*>([^<]*)</option>", block)


def test_the_kept_report_page_follows_what_may_be_attached_and_carries_this_requests_token(
    app, client, auth, report_case, create_competition
):
    """The whole report page is kept, forms included; what may be attached (the
    organisation's published competitions no project has) is read at each request, so a
    competition published, or withdrawn, shows in the attach form at once — without building
    the report's sections again; each form carries this request's token."""
    case = report_case
    _sign_in_coordinator(app, auth, case)
    page = f"/manage/projects/{case.project_id}"
    first = client.get(page).get_data(as_text=True)
    assert "Жаңа байқау" not in first
    with counting_statements(app) as statements:
        again = client.get(page).get_data(as_text=True)
    assert not [s for s in statements if "grant_payments" in s]  # kept
    assert "\x00" not in again
    tokens = re.findall(r'name="csrf_token" value="([^"]+)"', again)
    assert len(tokens) == first.count('name="csrf_token"') > 3
    assert len(set(tokens)) == 1 and len(tokens[0]) > 40

    new = create_competition(published=True, title_kk="Жаңа байқау", title_ru="Новый конкурс")
    with counting_statements(app) as statements:
        shown = client.get(page).get_data(as_text=True)
    assert not [s for s in statements if "grant_payments" in s]  # its sections still kept
    assert "Жаңа байқау" in _attach_options(shown)
    with app.app_context():
        db.session.execute(
            text("UPDATE competitions SET status = 'draft' WHERE id = :c"), {"c": new.id}
        )
        db.session.commit()
    assert "Жаңа байқау" not in _attach_options(client.get(page).get_data(as_text=True))
