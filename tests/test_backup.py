"""`flask db backup` and `flask db restore` (issue 15): a round trip on the database the
suite runs on (SQLite's online backup; pg_dump/pg_restore on PostgreSQL) brings back
exactly what was there, and the app works on it afterwards."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from smallgrants.applications.models import Application
from smallgrants.auth.models import User
from smallgrants.extensions import db


def _state(app):
    with app.app_context():
        users = list(db.session.scalars(select(User.email).order_by(User.email)))
        numbers = list(db.session.scalars(select(Application.number).order_by(Application.id)))
        db.session.remove()
        return users, numbers


@pytest.mark.real_commits  # the backup reads what is committed, from its own connection
def test_backup_and_restore_round_trip(
    app,
    runner,
    client,
    tmp_path,
    create_user,
    create_competition,
    create_profile,
    create_application,
):
    owner = create_user("dana@example.kz")
    competition = create_competition(published=True)
    create_application(owner, competition, create_profile(owner), submit=True)
    before = _state(app)
    assert before[0] == ["dana@example.kz", "owner-coordinator@example.kz"]
    out = tmp_path / "backup.db"
    result = runner.invoke(args=["db", "backup", str(out)])
    assert result.exit_code == 0, result.output
    assert out.stat().st_size > 0

    # life goes on after the backup: a new account, the application withdrawn
    create_user("later@example.kz")
    with app.app_context():
        db.session.execute(db.delete(Application))
        db.session.commit()
    assert _state(app) != before

    result = runner.invoke(args=["db", "restore", str(out), "--yes"])
    assert result.exit_code == 0, result.output
    assert _state(app) == before
    # and the app serves from it
    from tests.conftest import PASSWORD

    response = client.post("/auth/login", data={"email": "dana@example.kz", "password": PASSWORD})
    assert response.status_code == 302


def test_restore_asks_before_replacing(app, runner, tmp_path):
    source = tmp_path / "any.db"
    source.write_bytes(b"")
    result = runner.invoke(args=["db", "restore", str(source)], input="n\n")
    assert result.exit_code == 1
    assert "Aborted" in result.output
