"""The schema comes only from Alembic, and the models agree with it on this backend."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

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
