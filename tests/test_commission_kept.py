"""Kept commission tables (the ranking, the scoring progress; core/fragments.py): the database's
triggers (migration 0028) change `generations('commission:<id>')` with every row of that
competition the pages read, and `generations('people')` with what a built-in conflict or an
applicant's name is read from; a kept table is shown only while both are unchanged — on
SQLite and on PostgreSQL, whichever statement made the change."""

from __future__ import annotations

import importlib.util
import re
from datetime import date
from pathlib import Path

from flask import render_template
from sqlalchemy import select, text

from smallgrants.applications.models import ApplicantProfile, Application, GroupMember
from smallgrants.commission import queries
from smallgrants.commission.models import Assignment, Commission, Reaction
from smallgrants.core import fragments
from smallgrants.extensions import db
from tests.conftest import counting_statements
from tests.test_commission import _close_scoring, _decide, _declare, _meeting, _score_all, _sheet

ROOT = Path(__file__).resolve().parent.parent
# loaded with their parent rows (a competition's pool, an account's roles, a commission's
# meeting), never read by these scores and tables: they need no trigger
LOADED_NOT_SHOWN = {"prize_places", "user_roles", "meetings"}
COLUMN = re.compile(r"\b([a-z_]+?)(?:_\d+)?\.([a-z_]+)\b")


def _migration():
    path = ROOT / "migrations" / "versions" / "0028_commission_generations.py"
    spec = importlib.util.spec_from_file_location("migration_0028", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _values(competition_ids) -> dict[str, str | None]:
    names = [fragments.commission(i) for i in competition_ids] + [fragments.PEOPLE]
    names += [fragments.meeting(i) for i in competition_ids]
    return {name: fragments.generation(name) for name in names}


def _read(statements: list[str], conditions_only: bool = False) -> dict[str, set[str]]:
    """table → the columns the statements name (aliases such as `applications_1` folded);
    with `conditions_only`, those their joins and conditions name (after the first FROM)."""
    tables = set(db.metadata.tables)
    read: dict[str, set[str]] = {}
    for statement in statements:
        if conditions_only:
            statement = statement[statement.find("FROM ") :]
        for table, column in COLUMN.findall(statement):
            if table in tables:
                read.setdefault(table, set()).add(column)
    return read


def _scored(app, client, auth, create_commission_case, **fields):
    """A commission case of three applications: the chair has scored all three, the member
    two, and declared a conflict on the third."""
    case = create_commission_case(3, **fields)
    _score_all(client, auth, app, case, {"chair": [(8, 4), (6, 3), (9, 5)]})
    auth.as_user(case.member)
    for application_id in case.application_ids[:2]:
        assert _declare(client, application_id).status_code == 302
        assert _sheet(client, app, case, application_id, (7, 4)).status_code == 302
    response = _declare(client, case.application_ids[2], conflict=True, ground="relative")
    assert response.status_code == 302
    return case


def test_the_triggers_watch_every_table_the_kept_tables_read(
    app, client, auth, create_commission_case
):
    """What the kept scores, ranking, progress and members' lists read — from the
    commission's own row on — is what the triggers watch, table for table (and, for the
    people, column for column): a table added to these pages without its trigger fails."""
    case = _scored(app, client, auth, create_commission_case)
    migration = _migration()
    with app.test_request_context("/"), counting_statements(app) as statements:
        commission = db.session.get(Commission, case.competition_id)
        rows = queries.scored(commission)
        hints = {r.application.id: queries.tie_break_hint(commission, r, rows) for r in rows}
        render_template("commission/_ranking_body.html", rows=rows, hints=hints)
        render_template("commission/_progress_body.html", p=queries.progress(commission))
        for seat in commission.members:
            rows = queries.member_applications(seat)
            render_template("commission/_member_list_body.html", rows=rows)
    read = _read(statements)
    watched = set(migration.COMMISSION_SOURCES) | set(migration.PEOPLE_SOURCES)
    assert set(read) - watched == LOADED_NOT_SHOWN
    assert {"score_sheets", "score_points", "applicant_profiles", "users"} <= set(read)
    # an account is loaded whole with its seat, but only its e-mail decides anything; the
    # profile's name is shown; what a built-in conflict matches on is in the conditions
    compared = _read(statements, conditions_only=True)
    assert compared["users"] - {"id"} == {"email"}
    assert compared["applicant_profiles"] - {"id"} <= set(
        migration.PEOPLE_SOURCES["applicant_profiles"]
    )
    assert {"email", "bin", "leader_iin", "owner_id"} <= compared["applicant_profiles"]
    assert "name" in migration.PEOPLE_SOURCES["applicant_profiles"]  # the applicant shown


def test_each_change_of_a_competitions_rows_gives_it_a_new_value_and_no_other(
    app, client, auth, create_commission_case
):
    case = _scored(app, client, auth, create_commission_case)
    _close_scoring(client, auth, case)
    modes = {"chair": "online", "secretary": "online", "member": "online"}
    assert _meeting(client, case, modes).status_code == 302
    assert _decide(client, case, case.application_ids[0]).status_code == 302
    other = create_commission_case(1, people="-other")
    mine, theirs = (
        fragments.commission(case.competition_id),
        fragments.commission(other.competition_id),
    )
    migration = _migration()
    with app.app_context():
        # the two rows no case writes: an assignment and a contest's reactions
        seat = case.member_ids["secretary"]
        db.session.add(Assignment(member_id=seat, application_id=case.application_ids[1]))
        db.session.add(
            Reaction(application_id=case.application_ids[1], counted_on=date(2023, 9, 1), likes=4)
        )
        db.session.flush()
        seen = _values([case.competition_id, other.competition_id])
        mine_met = fragments.meeting(case.competition_id)
        assert None not in (seen[mine], seen[theirs], seen[fragments.PEOPLE], seen[mine_met])
        assert seen[fragments.meeting(other.competition_id)] is None  # no meeting yet

        def changed(sql: str, **params) -> set[str]:
            db.session.execute(text(sql), {"a": case.competition_id, **params})
            now = _values([case.competition_id, other.competition_id])
            new = {name for name in now if now[name] != seen[name]}
            seen.update(now)
            return new

        for table, (competition, _condition) in migration.COMMISSION_SOURCES.items():
            column = next(iter(db.metadata.tables[table].columns)).name
            where = f"{competition.format(row=table)} = :a"
            count_sql = f"SELECT count(*) FROM {table} WHERE {where}"  # noqa: S608 - our names
            count = db.session.scalar(text(count_sql), {"a": case.competition_id})
            assert count, table  # the case has rows of every table
            update = f"UPDATE {table} SET {column} = {column} WHERE {where}"  # noqa: S608
            assert changed(update) == {mine}, table
        # an application counts while it is admissible: a draft being typed changes nothing
        draft = db.session.scalar(
            select(Application.id).where(Application.competition_id == case.competition_id)
        )
        assert changed("UPDATE applications SET status = 'draft' WHERE id = :d", d=draft) == {mine}
        assert changed("UPDATE applications SET title = 'Жаңа' WHERE id = :d", d=draft) == set()
        assert changed("UPDATE applications SET status = 'admissible' WHERE id = :d", d=draft) == {
            mine
        }
        assert changed("DELETE FROM reviewer_assignments WHERE member_id = :s", s=seat) == {mine}
        assert changed("DELETE FROM entry_reactions WHERE likes = 4") == {mine}
        # the meeting and its decisions change the meeting's value, never the scores'
        met = fragments.meeting(case.competition_id)
        for table, (competition, _condition) in migration.MEETING_SOURCES.items():
            column = next(iter(db.metadata.tables[table].columns)).name
            where = f"{competition.format(row=table)} = :a"
            update = f"UPDATE {table} SET {column} = {column} WHERE {where}"  # noqa: S608
            assert changed(update) == {met}, table
        assert changed("DELETE FROM decisions") == {met}
        assert seen[theirs] is not None
        # the people: what a built-in conflict or a name is read from, and nothing else
        profile = db.session.get(ApplicantProfile, db.session.get(Application, draft).profile_id)
        assert changed("UPDATE users SET email = email WHERE id = :u", u=case.chair.id) == {
            fragments.PEOPLE
        }
        assert changed("UPDATE users SET full_name = 'Жаңа' WHERE id = :u", u=case.chair.id) == (
            set()
        )
        for column in migration.PEOPLE_SOURCES["applicant_profiles"]:
            sql = f"UPDATE applicant_profiles SET {column} = {column} WHERE id = :p"  # noqa: S608
            assert changed(sql, p=profile.id) == {fragments.PEOPLE}, column
        phone = "UPDATE applicant_profiles SET phone = phone WHERE id = :p"
        assert changed(phone, p=profile.id) == set()
        db.session.add(
            GroupMember(profile_id=profile.id, position=9, full_name="Ж", email="j@x.kz")
        )
        db.session.flush()
        assert _values([case.competition_id])[fragments.PEOPLE] != seen[fragments.PEOPLE]
        db.session.rollback()


def test_rolled_back_changes_never_repeat_a_value(app, create_commission_case):
    case = create_commission_case(1)
    name = fragments.commission(case.competition_id)
    with app.app_context():
        values = {fragments.generation(name)}
        for _ in range(5):
            with db.session.begin_nested() as savepoint:
                db.session.execute(
                    text(
                        "UPDATE commissions SET competition_id = competition_id"
                        " WHERE competition_id = :a"
                    ),
                    {"a": case.competition_id},
                )
                values.add(fragments.generation(name))
                savepoint.rollback()
        assert len(values) == 6
        db.session.rollback()


def _ranking(client, case) -> str:
    response = client.get(f"/manage/competitions/{case.competition_id}/ranking")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    return html[html.index('data-testid="ranking"') : html.index("</table>")]


def _row(html: str, number: str) -> str:
    start = html.index(f'<tr data-application="{number}">')
    return html[start : html.index("</tr>", start)]


def test_a_kept_ranking_shows_every_change_at_once(app, client, auth, create_commission_case):
    case = _scored(app, client, auth, create_commission_case)
    with app.app_context():
        numbers = [db.session.get(Application, i).number for i in case.application_ids]
    auth.as_user(case.coordinator)
    first = _ranking(client, case)
    with counting_statements(app) as statements:
        again = _ranking(client, case)
    assert again == first
    assert not [s for s in statements if "score_sheets" in s]  # kept: no sheet read
    # the third application: the chair's sheet only (the member is conflicted on it)
    assert '<td class="text-end">1</td>' in _row(first, numbers[2])
    assert "Сәуле Мүше" in _row(first, numbers[2])  # recused

    # the secretary submits a sheet through the app: the next request shows it
    auth.as_user(case.secretary)
    assert _declare(client, case.application_ids[2]).status_code == 302
    assert _sheet(client, app, case, case.application_ids[2], (1, 1)).status_code == 302
    auth.as_user(case.coordinator)
    html = _ranking(client, case)
    assert '<td class="text-end">2</td>' in _row(html, numbers[2])

    # a plain-SQL rename of the applicant, and a built-in conflict made by a profile's e-mail
    with app.app_context():
        profile_id = db.session.get(Application, case.application_ids[0]).profile_id
        db.session.execute(
            text("UPDATE applicant_profiles SET name = 'Жаңа топ', email = :e WHERE id = :p"),
            {"e": case.secretary.email, "p": profile_id},
        )
        db.session.commit()
    html = _ranking(client, case)
    assert "Жаңа топ" in _row(html, numbers[0])
    assert "Бауыржан Хатшы" in _row(html, numbers[0])  # recused now: the applicant's e-mail


def test_kept_progress_follows_a_draft_and_languages_never_share(
    app, client, auth, create_commission_case
):
    case = create_commission_case(2)
    auth.as_user(case.coordinator)
    path = f"/manage/competitions/{case.competition_id}/scoring"
    cell = f'data-cell="{case.member_ids["chair"]}-{case.application_ids[0]}" data-state="'

    def state(html: str) -> str:
        start = html.index(cell) + len(cell)
        return html[start : html.index('"', start)]

    assert state(client.get(path).get_data(as_text=True)) == "undeclared"
    auth.as_user(case.chair)
    assert _declare(client, case.application_ids[0]).status_code == 302
    auth.as_user(case.coordinator)
    assert state(client.get(path).get_data(as_text=True)) == "todo"
    auth.as_user(case.chair)
    response = _sheet(client, app, case, case.application_ids[0], (5, 2), action="save")
    assert response.status_code == 302
    auth.as_user(case.coordinator)
    kk = client.get(path).get_data(as_text=True)
    assert state(kk) == "draft"
    assert "қаралама" in kk
    assert client.post("/language", data={"locale": "ru"}).status_code == 302
    ru = client.get(path).get_data(as_text=True)
    assert state(ru) == "draft"
    assert "черновик" in ru
    assert "черновик" not in kk


def test_nothing_is_kept_without_the_rows_values(app, client, auth, create_commission_case):
    case = create_commission_case(1)
    auth.as_user(case.coordinator)
    names = (fragments.commission(case.competition_id), fragments.PEOPLE)
    with app.app_context():
        db.session.execute(text("DELETE FROM generations WHERE name = 'people'"))
        db.session.commit()
        assert fragments.generations(names) is None
    store = app.extensions["fragments"]
    before = dict(store._kept)  # earlier tests' (rolled back) entries may be there
    assert _ranking(client, case) == _ranking(client, case)
    added = {key for key, kept in store._kept.items() if before.get(key) is not kept}
    assert [key for key in added if key[0] == names] == []


def test_the_meeting_shows_each_decision_at_once_from_the_kept_scores(
    app, client, auth, create_commission_case
):
    case = _scored(app, client, auth, create_commission_case)
    _close_scoring(client, auth, case)
    modes = {"chair": "online", "secretary": "online", "member": "online"}
    assert _meeting(client, case, modes).status_code == 302
    path = f"/manage/competitions/{case.competition_id}/meeting"
    with app.app_context():
        number = db.session.get(Application, case.application_ids[0]).number
    before = client.get(path).get_data(as_text=True)
    assert before.count('data-testid="decided"') == 0
    assert _decide(client, case, case.application_ids[0], amount="250 000").status_code == 302
    with counting_statements(app) as statements:
        html = client.get(path).get_data(as_text=True)
    assert not [s for s in statements if "score_sheets" in s]  # the scores were kept
    assert html.count('data-testid="decided"') == 1
    start = html.index(f'data-application="{number}"')
    row = html[start : html.index('data-testid="decided"', start) + 200]
    assert "250" in row and "000" in row


def test_a_members_kept_list_follows_their_sheets_and_conflicts(
    app, client, auth, create_commission_case
):
    """The member's own list: their declaration and sheet show at once, and an application
    they become the applicant of (a group member's e-mail, typed by its applicant) is gone
    from it on the next request."""
    case = create_commission_case(2)
    with app.app_context():
        numbers = [db.session.get(Application, i).number for i in case.application_ids]
        profile_id = db.session.get(Application, case.application_ids[1]).profile_id
    path = f"/commission/competitions/{case.competition_id}"
    auth.as_user(case.member)

    def listed() -> dict[str, str]:
        html = client.get(path).get_data(as_text=True)
        found = {}
        for number in numbers:
            marker = f'data-application="{number}"'
            if marker in html:
                start = html.index(marker)
                found[number] = html[start : html.index("</li>", start)]
        return found

    first = listed()
    assert set(first) == set(numbers)
    assert "text-bg-warning" in first[numbers[0]]  # declare first
    assert _declare(client, case.application_ids[0]).status_code == 302
    assert _sheet(client, app, case, case.application_ids[0], (5, 2)).status_code == 302
    rows = listed()
    assert "text-bg-success" in rows[numbers[0]]  # submitted
    with counting_statements(app) as statements:
        assert listed() == rows
    assert not [s for s in statements if "conflict_declarations" in s]  # kept
    with app.app_context():
        db.session.add(
            GroupMember(
                profile_id=profile_id, position=7, full_name="Сәуле", email=case.member.email
            )
        )
        db.session.commit()
    assert set(listed()) == {numbers[0]}


def test_the_kept_public_results_follow_their_rows(app, client, auth, create_commission_case):
    """Anonymous visitors read the kept results; a decision's amount, an applicant's name
    and the competition's status changed by plain SQL show (or hide the page) at once."""
    from tests.test_commission import _full_meeting

    case = create_commission_case(3)
    _full_meeting(client, auth, app, case)
    path = f"/competitions/{case.competition_id}/results"
    assert client.get(path).status_code == 404  # signed, not yet published
    response = client.post(f"/manage/competitions/{case.competition_id}/results/publish")
    assert response.status_code == 302
    auth.logout()
    page = client.get(path).text
    assert "Топ 1" in page and "Топ 3" not in page
    with counting_statements(app) as statements:
        again = client.get(path).text
    table = page[page.index('data-testid="winners"') : page.index("</table>")]
    assert table in again and page.count("Топ 1") == again.count("Топ 1") == 1
    assert not [s for s in statements if "decisions" in s]  # kept
    with app.app_context():
        profile_id = db.session.get(Application, case.application_ids[0]).profile_id
        db.session.execute(
            text("UPDATE decisions SET amount = 123456 WHERE application_id = :a"),
            {"a": case.application_ids[0]},
        )
        db.session.execute(
            text("UPDATE applicant_profiles SET name = 'Жаңа атау' WHERE id = :p"),
            {"p": profile_id},
        )
        db.session.commit()
    page = client.get(path).text
    assert "123\xa0456\xa0₸" in page and "Жаңа атау" in page and "Топ 1<" not in page
    with app.app_context():
        db.session.execute(
            text("UPDATE competitions SET status = 'draft' WHERE id = :c"),
            {"c": case.competition_id},
        )
        db.session.commit()
    assert client.get(path).status_code == 404


def _met(app, client, auth, create_commission_case):
    """The `_scored` case after scoring, met by everyone online: the member recuses the third
    application."""
    case = _scored(app, client, auth, create_commission_case)
    _close_scoring(client, auth, case)
    modes = {"chair": "online", "secretary": "online", "member": "online"}
    assert _meeting(client, case, modes).status_code == 302
    with app.app_context():
        numbers = [db.session.get(Application, i).number for i in case.application_ids]
    return case, numbers


def _block(html: str, number: str) -> str:
    start = html.index(f'data-application="{number}"')
    end = html.find('<div class="border rounded', start)
    return html[start : end if end > 0 else html.index("</section>", start)]


def test_the_triggers_watch_every_table_the_kept_meeting_blocks_read(
    app, client, auth, create_commission_case
):
    """The meeting's decision blocks are kept under the commission's, the meeting's and the
    people's values and the attendance read with the meeting: what building them reads is
    what those triggers watch."""
    from smallgrants.commission.views.manage import _meeting_rows

    case, _numbers = _met(app, client, auth, create_commission_case)
    assert _decide(client, case, case.application_ids[0]).status_code == 302
    migration = _migration()
    with app.test_request_context("/"):
        app.extensions["fragments"] = fragments.Fragments(app.config["FRAGMENT_CACHE_SIZE"])
        commission = db.session.get(Commission, case.competition_id)
        meeting = commission.meeting
        assert [row.mode.value for row in meeting.attendance] == ["online"] * 3
        with counting_statements(app) as statements:
            kept = _meeting_rows(commission, meeting)
    read = _read(statements)
    watched = (
        set(migration.COMMISSION_SOURCES)
        | set(migration.MEETING_SOURCES)
        | set(migration.PEOPLE_SOURCES)
        | {"generations"}
    )
    assert set(read) - watched == {"user_roles"}  # loaded with a seat's account
    assert {"decisions", "score_sheets", "applicant_profiles"} <= set(read)
    # in ranking order: the chair's 9 and 5 put the third first
    assert list(kept.numbers) == [case.application_ids[i] for i in (2, 0, 1)]
    assert kept.undecided == (case.application_ids[2], case.application_ids[1])
    assert kept.awarded == (300_000, 1)


def test_the_kept_meeting_blocks_follow_decisions_attendance_and_signing(
    app, client, auth, create_commission_case
):
    """Kept: the page again reads no sheets and no list of decisions, and opens the form asked
    for with the decision recorded on it; a decision, the attendance and the signing changed
    by plain SQL show at the next request."""
    case, numbers = _met(app, client, auth, create_commission_case)
    first_id, second_id, third_id = case.application_ids
    assert _decide(client, case, first_id, amount="250 000", votes_for="2").status_code == 302
    path = f"/manage/competitions/{case.competition_id}/meeting"
    first = client.get(path).text
    assert first.count('data-testid="decision-form"') == 1
    # the next undecided one in ranking order: the chair's 9 and 5 put the third first
    assert re.findall(r'data-application="([^"]+)"', first) == [numbers[i] for i in (2, 0, 1)]
    assert f'data-testid="decide-{numbers[2]}"' in _block(first, numbers[2])
    assert f'data-testid="open-{numbers[2]}"' not in first
    assert f'data-testid="open-{numbers[0]}"' in first
    assert "осы өтінім бойынша кворум: 2 мүшеден 2" in _block(first, numbers[2])

    with counting_statements(app) as statements:
        asked = client.get(f"{path}?decide={first_id}").text
    assert not [s for s in statements if "score_sheets" in s]
    assert not [s for s in statements if "FROM decisions" in s and "application_id =" not in s]
    block = _block(asked, numbers[0])
    assert f'data-testid="decide-{numbers[0]}"' in block
    assert re.findall(rf'name="d{first_id}-(\w+)" type="\w+" value="([^"]*)"', block) == [
        ("amount", "250 000"),
        ("votes_for", "2"),
        ("votes_against", ""),
        ("votes_abstain", ""),
    ]
    assert f'data-testid="open-{numbers[2]}"' in asked  # closed again
    assert asked.count('data-testid="decision-form"') == 1

    def sql(statement: str, **params) -> None:
        with app.app_context():
            db.session.execute(text(statement), params)
            db.session.commit()

    sql("UPDATE decisions SET amount = 123456 WHERE application_id = :a", a=first_id)
    assert "123\xa0456\xa0₸" in _block(client.get(path).text, numbers[0])
    sql(
        "UPDATE meeting_attendance SET mode = 'absent' WHERE member_id = :m",
        m=case.member_ids["chair"],
    )
    assert "осы өтінім бойынша кворум: 2 мүшеден 1" in _block(client.get(path).text, numbers[2])
    sql("UPDATE meetings SET signed_at = CURRENT_TIMESTAMP")
    signed = client.get(f"{path}?decide={second_id}").text
    assert 'data-testid="decision-form"' not in signed and 'data-testid="open-' not in signed
    assert third_id and numbers[2] in signed
