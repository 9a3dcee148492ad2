"""The test harness itself: a rolled-back test leaves nothing in its database, while inside it
a request's commit is seen by the next request and a failed request loses only its own work;
a `real_commits` test reaches the database for real."""

from __future__ import annotations

import pytest
from flask import abort
from sqlalchemy import create_engine, func, select

from smallgrants.auth import services as auth_services
from smallgrants.auth.models import User
from smallgrants.extensions import db
from tests.conftest import isolated

# `make test` runs a module's tests on one xdist worker, in order (--dist loadscope): the
# later tests look at what the earlier left


def _emails_seen_from_outside(app) -> list[str]:
    """Read on a driver connection of its own, outside any transaction (so that on SQLite it
    does not wait for the test's write lock): only what was committed."""
    engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("SELECT email FROM users ORDER BY email")
        emails = [row[0] for row in cursor.fetchall()]
        raw.rollback()
    finally:
        raw.close()
        engine.dispose()
    return emails


def _emails(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(User.email).order_by(User.email)))


def _add_user_then(app, email: str, status: int):
    def view():
        auth_services.create_user(email, "long-enough-password")
        if status >= 400:
            abort(status)
        return "ok"

    app.add_url_rule(f"/_test/add/{status}", f"_test_add_{status}", view, methods=["POST"])


@pytest.fixture(scope="module")
def own_app(world_app):
    """An app on a database of its own holding one committed user."""
    app, _world = world_app("isolation", lambda f: f.user("kept@example.kz"))
    _add_user_then(app, "committed@example.kz", 200)
    _add_user_then(app, "refused@example.kz", 409)
    return app


def test_a_rolled_back_test_leaves_nothing_behind(request, own_app):
    with isolated(own_app, request):
        client = own_app.test_client()
        assert client.post("/_test/add/200").status_code == 200
        assert client.post("/_test/add/409").status_code == 409
        # the request's commit is the next request's data; the refused one left nothing
        assert _emails(own_app) == ["committed@example.kz", "kept@example.kz"]
        assert client.get("/healthz").status_code == 200
        # nothing of it was committed for real
        assert _emails_seen_from_outside(own_app) == ["kept@example.kz"]
    assert _emails(own_app) == ["kept@example.kz"]
    assert _emails_seen_from_outside(own_app) == ["kept@example.kz"]


def test_every_test_starts_from_the_same_world(request, own_app):
    """Run after the one above (same module, same worker): its user is not here."""
    with isolated(own_app, request):
        assert _emails(own_app) == ["kept@example.kz"]


@pytest.mark.real_commits
def test_a_real_commits_test_commits_for_real(app, create_user):
    create_user("real@example.kz")
    assert _emails_seen_from_outside(app) == ["real@example.kz"]


def test_an_ordinary_test_sees_an_empty_database(app):
    """Whatever ran before on this worker (the real commits above too) is gone."""
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == 0
