"""Kept lists (core/fragments.py): the database's triggers change `generations('listings')`
with every change of what the lists show and with nothing else; a kept list is shown only
while that value and the phases of its competitions are unchanged — on SQLite and on
PostgreSQL, whichever statement made the change."""

from __future__ import annotations

import importlib.util
import re
from datetime import timedelta
from pathlib import Path

from sqlalchemy import inspect, select, text

from smallgrants.competitions.models import Competition
from smallgrants.competitions.queries import LISTED
from smallgrants.core import fragments
from smallgrants.extensions import db
from smallgrants.organisations.models import Organisation

ROOT = Path(__file__).resolve().parent.parent
IDS = re.compile(r'data-competition="(\d+)"')


def _sources() -> dict:
    path = ROOT / "migrations" / "versions" / "0027_generations.py"
    spec = importlib.util.spec_from_file_location("migration_0027", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.SOURCES


def _value() -> str | None:
    return fragments.generation(fragments.LISTINGS)


def _loaded(instance) -> set[str]:
    state = inspect(instance)
    return {a.key for a in state.mapper.column_attrs} - set(state.unloaded)


def test_the_triggers_watch_every_column_a_list_reads(app, create_competition):
    """What a listed row loads (LISTED) is what the triggers watch, column for column: a
    column added to the lists without its trigger fails here."""
    competition = create_competition(published=True)
    sources = _sources()
    with app.app_context():
        listed = db.session.scalars(
            select(Competition).options(*LISTED).where(Competition.id == competition.id)
        ).one()
        assert _loaded(listed) - {"id"} == set(sources["competitions"])
        assert _loaded(listed.organisation) - {"id"} == set(sources["organisations"])
    assert sources["prize_places"] is None  # every column: a prize contest's pool is their sum


def test_each_change_of_a_listed_row_gives_a_new_value_and_nothing_else_does(
    app, create_competition
):
    competition = create_competition(published=True)
    with app.app_context():
        row = db.session.get(Competition, competition.id)
        organisation_id, closes_at = row.organisation_id, row.closes_at
        seen = [_value()]
        assert seen[0] is not None and len(seen[0]) >= 32

        def changed(sql: str, **params) -> bool:
            db.session.execute(text(sql), {"id": competition.id, **params})
            now = _value()
            new = now != seen[-1]
            seen.append(now)
            return new

        for column, value in (
            ("title_kk", "Жаңа атау"),
            ("title_ru", "Новое название"),
            ("grant_amount", 250_000),
            ("grant_count", 4),
            ("region_code", "KZ-19"),
            ("status", "draft"),
            ("closes_at", closes_at + timedelta(days=1)),
        ):
            assert changed(f"UPDATE competitions SET {column} = :v WHERE id = :id", v=value)  # noqa: S608
        # what no list shows: a new application's number, the description
        assert not changed("UPDATE competitions SET last_number = last_number + 1 WHERE id = :id")
        assert not changed("UPDATE competitions SET description_kk = 'Басқа' WHERE id = :id")
        assert changed(
            "UPDATE organisations SET name_kk = 'Жаңа ұйым' WHERE id = :o", o=organisation_id
        )
        assert not changed(
            "UPDATE organisations SET region_code = region_code WHERE id = :o", o=organisation_id
        )
        assert changed(
            "INSERT INTO prize_places (competition_id, place, amount) VALUES (:id, 1, 100000)"
        )
        assert changed("UPDATE prize_places SET amount = 90000 WHERE competition_id = :id")
        assert changed("DELETE FROM prize_places WHERE competition_id = :id")
        distinct = [v for i, v in enumerate(seen) if i == 0 or v != seen[i - 1]]
        assert len(set(distinct)) == len(distinct) == 12  # never the same value twice
        db.session.rollback()


def test_a_rolled_back_change_never_gives_a_value_seen_before(app, create_competition):
    competition = create_competition(published=True)
    with app.app_context():
        before = _value()
        values = set()
        for title in ("Бір", "Екі", "Үш"):
            with db.session.begin_nested():
                db.session.execute(
                    text("UPDATE competitions SET title_kk = :t WHERE id = :id"),
                    {"t": title, "id": competition.id},
                )
                values.add(_value())
                db.session.rollback()  # the savepoint only
            assert _value() == before
        assert len(values) == 3 and before not in values
        db.session.rollback()


def test_the_public_list_is_kept_and_shown_again_after_any_change(
    app, client, count_queries, create_competition
):
    """Kept: the second request reads one value, not the rows. A title changed by plain SQL
    (another worker, an administrator's client) shows at once."""
    competition = create_competition(published=True)
    first = client.get("/competitions").text
    assert f'data-competition="{competition.id}"' in first
    with count_queries() as statements:
        again = client.get("/competitions").text
    assert again == first
    assert [s for s in statements if "competitions" in s] == []
    assert len([s for s in statements if "generations" in s]) == 1

    with app.app_context():
        db.session.execute(
            text("UPDATE competitions SET title_kk = 'Өзгерген атау' WHERE id = :id"),
            {"id": competition.id},
        )
        db.session.commit()
    assert "Өзгерген атау" in client.get("/competitions").text


def test_the_list_changes_at_the_last_second_of_a_deadline(
    app, client, monkeypatch, create_competition
):
    """Kept at 10 s before the deadline, the competition is still open half a second after
    it (the deadline's last second counts) and past at the next whole second — without any
    write to the database."""
    competition = create_competition(published=True)
    with app.app_context():
        closes_at = db.session.get(Competition, competition.id).closes_at.replace(microsecond=0)

    def listed_at(moment) -> str:
        monkeypatch.setattr(fragments, "utcnow", lambda: moment)
        html = client.get("/competitions").text
        start = html.index('data-section="open"')
        end = html.index('data-section="upcoming"')
        return "open" if f'data-competition="{competition.id}"' in html[start:end] else "past"

    assert listed_at(closes_at - timedelta(seconds=10)) == "open"
    assert listed_at(closes_at + timedelta(milliseconds=500)) == "open"
    assert listed_at(closes_at + timedelta(seconds=1)) == "past"
    # and back before the deadline (a clock set back): never the later page
    assert listed_at(closes_at - timedelta(seconds=5)) == "open"


def test_a_competition_opens_on_the_kept_list_at_its_opening(
    app, client, monkeypatch, create_competition
):
    competition = create_competition(published=True, opens_in_days=1, closes_in_days=10)
    with app.app_context():
        opens_at = db.session.get(Competition, competition.id).opens_at

    def section_at(moment) -> str:
        monkeypatch.setattr(fragments, "utcnow", lambda: moment)
        html = client.get("/competitions").text
        place = html.index(f'data-competition="{competition.id}"')
        return re.findall(r'data-section="(\w+)"', html[:place])[-1]

    assert section_at(opens_at - timedelta(seconds=1)) == "upcoming"
    assert section_at(opens_at - timedelta(microseconds=1)) == "upcoming"
    assert section_at(opens_at) == "open"


def test_each_coordinator_sees_their_own_kept_list_in_their_language(
    app, client, auth, create_user, create_competition
):
    """The key holds whose organisations and the language: one coordinator's kept list is
    never another's."""
    from smallgrants.auth.models import Role

    competition = create_competition(published=False)
    with app.app_context():
        other = Organisation(short_name="other-ngo", name_kk="Басқа ұйым", region_code="KZ-33")
        db.session.add(other)
        db.session.commit()
        other_id = other.id
    ours = create_user("ours@example.kz", roles=(Role.COORDINATOR,))
    theirs = create_user("theirs@example.kz", roles=(Role.COORDINATOR,), organisation=other_id)
    auth.as_user(ours)
    assert IDS.findall(client.get("/manage/competitions").text) == [str(competition.id)]
    kazakh = client.get("/manage/competitions").text
    client.post("/language", data={"locale": "ru", "next": "/manage/competitions"})
    russian = client.get("/manage/competitions").text
    assert IDS.findall(russian) == [str(competition.id)]
    assert 'lang="ru"' in russian and 'lang="kk"' in kazakh
    assert russian.count("Профилактика синтетических") == 1
    assert "Профилактика синтетических" not in kazakh
    auth.as_user(theirs)
    assert IDS.findall(client.get("/manage/competitions").text) == []


def test_nothing_is_kept_without_the_generation_row(app, client, count_queries):
    with app.app_context():
        db.session.execute(text("DELETE FROM generations"))
        db.session.commit()
    client.get("/competitions")
    with count_queries() as statements:
        client.get("/competitions")
    assert [s for s in statements if "FROM competitions" in s] != []


def test_the_store_keeps_at_most_its_size_dropping_the_least_recently_used():
    store = fragments.Fragments(2)
    kept = [fragments.Kept(str(i), None, None, "") for i in range(3)]
    store.put("a", kept[0])
    store.put("b", kept[1])
    assert store.get("a") is kept[0]  # now the most recently used
    store.put("c", kept[2])
    assert len(store) == 2
    assert store.get("b") is None
    assert store.get("a") is kept[0] and store.get("c") is kept[2]
