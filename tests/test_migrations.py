"""The schema comes only from Alembic, and the models agree with it on this backend."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, select

from smallgrants import create_app
from smallgrants.extensions import db

# the schema inspector reads through the engine itself, not the test's transaction
pytestmark = pytest.mark.real_commits


def _differences(app):
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "render_as_batch": True}
        )
        return compare_metadata(context, db.metadata)


def test_models_and_migrations_agree(app):
    assert _differences(app) == []


def test_every_constraint_is_named_by_the_convention(app):
    with app.app_context():
        inspector = inspect(db.engine)
        for table in db.metadata.sorted_tables:
            for fk in inspector.get_foreign_keys(table.name):
                assert fk["name"] and fk["name"].startswith(f"fk_{table.name}_"), fk
            for uq in inspector.get_unique_constraints(table.name):
                assert uq["name"].startswith(f"uq_{table.name}_"), uq


def test_migrations_go_down_and_up_again(tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'roundtrip.sqlite'}"})
    with app.app_context():
        upgrade()
        assert "users" in inspect(db.engine).get_table_names()
        downgrade(revision="base")
        assert inspect(db.engine).get_table_names() == ["alembic_version"]
        upgrade()
    assert _differences(app) == []
    with app.app_context():
        db.engine.dispose()


def test_0011_gives_older_competitions_their_commission_and_terms(app, create_competition):
    """A competition from before 0011 (its rows deleted, the database stamped back) gets its
    commission, its grant terms and one tranche of 100 % from the migration, with the
    models' defaults."""
    from flask_migrate import stamp
    from sqlalchemy import text

    competition = create_competition(published=True)
    with app.app_context():
        with db.engine.begin() as conn:
            for table in ("commissions", "tranches", "grant_terms"):
                conn.execute(
                    text(f"DELETE FROM {table} WHERE competition_id = :id"),  # noqa: S608
                    {"id": competition.id},
                )
        stamp(revision="cfc4e52ad216")
        upgrade(revision="0011_rows_with_competition")
        stamp(revision="head")
        with db.engine.connect() as conn:
            commission = conn.execute(
                text(
                    "SELECT quorum_numerator, quorum_denominator, tie_break_rule, "
                    "dispute_threshold, show_score_in_results FROM commissions "
                    "WHERE competition_id = :id"
                ),
                {"id": competition.id},
            ).all()
            tranches = conn.execute(
                text(
                    "SELECT position, percent, condition FROM tranches WHERE competition_id = :id"
                ),
                {"id": competition.id},
            ).all()
            prefix = conn.execute(
                text("SELECT agreement_prefix FROM grant_terms WHERE competition_id = :id"),
                {"id": competition.id},
            ).scalar_one()
    assert [tuple(r) for r in commission] == [(2, 3, "vote", 25, False)]
    assert [tuple(r) for r in tranches] == [(1, 100, "on_agreement")]
    assert prefix == "ШГ"


def test_a_new_competition_comes_with_its_commission_and_terms(app, create_competition):
    from smallgrants.commission.models import Commission
    from smallgrants.grants.models import GrantTerms, Tranche

    competition = create_competition(published=False)
    with app.app_context():
        assert db.session.get(Commission, competition.id).quorum_numerator == 2
        assert db.session.get(GrantTerms, competition.id).agreement_prefix == "ШГ"
        tranches = db.session.scalars(
            select(Tranche).where(Tranche.competition_id == competition.id)
        ).all()
        assert [(t.position, t.percent) for t in tranches] == [(1, 100)]
