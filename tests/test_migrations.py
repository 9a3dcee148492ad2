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


def test_0024_puts_todays_rows_in_one_organisation(app, create_user, create_competition):
    """Rows from before 0024 (the database taken back to 0023 and up again) belong to one
    grant holder, named after the first project's, and every coordinator works for it; an
    account's own e-mail belongs to none."""
    from sqlalchemy import text

    from smallgrants.auth.models import Role

    coordinator = create_user("before@example.kz", roles=(Role.COORDINATOR,))
    create_competition(published=True)
    with app.app_context():
        with db.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO projects (organisation_id, organisation, head_name, "
                    "legal_address, phone, title, direction, agreement_number, grant_sum, goal, "
                    "results_summary, deviations, goal_achievement, changes, success_stories, "
                    "long_term_effect, sustainability, socio_economic_effect, "
                    "partners_analysis, created_at, updated_at) "
                    "SELECT id, '«Жоғары жастар кеңесі» ҚБ', 'Жақсыбай Ж.', 'Алматы', "
                    "'+7 702 862 97 92', 'Жоба', '', '', 0, '', '', '', '', '', '', '', '', '', "
                    "'', created_at, created_at FROM organisations"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO outbox_messages (created_at, recipient, locale, template, "
                    "subject, body_text, status, attempts) SELECT created_at, 'a@example.kz', "
                    "'kk', t, 's', 'b', 'pending', 0 FROM organisations, "
                    "(SELECT 'confirm_email' AS t UNION ALL SELECT 'results') AS k"
                )
            )
        downgrade(revision="0023_status_index")
        upgrade()
        with db.engine.connect() as conn:
            holders = conn.execute(
                text("SELECT id, short_name, name_kk, head_name, phone FROM organisations")
            ).all()
            competitions = conn.execute(text("SELECT DISTINCT organisation_id FROM competitions"))
            projects = conn.execute(text("SELECT DISTINCT organisation_id FROM projects"))
            members = conn.execute(
                text("SELECT organisation_id, user_id FROM organisation_members")
            )
            mail = conn.execute(
                text("SELECT template, organisation_id FROM outbox_messages ORDER BY template")
            ).all()
            member_rows = [tuple(r) for r in members]
            competition_rows = [r[0] for r in competitions]
            project_rows = [r[0] for r in projects]
    assert [tuple(r) for r in holders] == [
        (1, "holder", "«Жоғары жастар кеңесі» ҚБ", "Жақсыбай Ж.", "+77028629792")
    ]
    assert competition_rows == [1] and project_rows == [1]
    assert (
        sorted(member_rows) == sorted((1, user_id) for user_id in _coordinator_ids(app))
        and (1, coordinator.id) in member_rows
    )
    assert [tuple(r) for r in mail] == [("confirm_email", None), ("results", 1)]


def _coordinator_ids(app) -> list[int]:
    from sqlalchemy import text

    with app.app_context(), db.engine.connect() as conn:
        return [
            r[0]
            for r in conn.execute(text("SELECT user_id FROM user_roles WHERE role = 'coordinator'"))
        ]


def test_0025_allows_the_operator_role_and_taking_it_back_removes_it(app, create_user):
    """After 0025 the roles' CHECK takes `operator`; going back to 0024 removes the operators'
    role rows first (the old CHECK refuses them) and the CHECK refuses the role again."""
    from sqlalchemy import text
    from sqlalchemy.exc import IntegrityError

    from smallgrants.auth.models import Role

    operator = create_user("operator@example.kz", roles=(Role.OPERATOR,))
    coordinator = create_user("coordinator@example.kz", roles=(Role.COORDINATOR,))
    with app.app_context():
        downgrade(revision="0024_organisations")
        with db.engine.connect() as conn:
            rows = conn.execute(text("SELECT user_id, role FROM user_roles ORDER BY user_id")).all()
        assert [tuple(r) for r in rows] == [(coordinator.id, "coordinator")]
        with pytest.raises(IntegrityError), db.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO user_roles (user_id, role, granted_at) VALUES (:u, 'operator', :t)"
                ),
                {"u": operator.id, "t": "2026-01-01 00:00:00"},
            )
        upgrade()
        with db.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO user_roles (user_id, role, granted_at) VALUES (:u, 'operator', :t)"
                ),
                {"u": operator.id, "t": "2026-01-01 00:00:00"},
            )
            assert conn.execute(text("SELECT count(*) FROM programmes")).scalar() == 0
