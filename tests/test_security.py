"""Accounts an attacker cannot map or lock (issue 15): registration answers the same for a
taken address, a wrong address costs what a wrong password costs, weak passwords are
refused, throttling sees the client behind the proxy and never locks the owner out from
elsewhere, and production refuses per-process rate limits with several workers."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from smallgrants.auth.models import User
from smallgrants.core.models import AuditLog
from smallgrants.extensions import db
from tests.conftest import PASSWORD, body_text


def _register(client, email, password="жасыл-алма-2024"):  # noqa: S107
    return client.post(
        "/auth/register",
        data={
            "full_name": "Айгүл",
            "email": email,
            "password": password,
            "password_confirm": password,
            "consent": "y",
        },
        follow_redirects=True,
    )


def test_registration_answers_the_same_for_a_taken_address(app, client, create_user, mailbox):
    create_user("taken@example.kz", locale="ru")
    taken = _register(client, "Taken@example.kz")
    new = _register(app.test_client(), "new@example.kz")
    message = "{} мекенжайына растау сілтемесін жібердік. Тіркелгіні іске қосу үшін оны ашыңыз."
    assert message.format("taken@example.kz") in taken.text
    assert message.format("new@example.kz") in new.text
    assert taken.request.path == new.request.path == "/auth/login"
    # the owner hears of it, in their language; no second account
    [owner_mail] = mailbox.wait_for("taken@example.kz")
    assert owner_mail["Subject"] == "Кто-то пытался зарегистрироваться с вашим адресом"
    assert "/auth/reset" in body_text(owner_mail)
    with app.app_context():
        assert (
            db.session.scalar(select(func.count(User.id)).where(User.email == "taken@example.kz"))
            == 1
        )


def test_a_wrong_address_costs_a_password_check(app, client, create_user, monkeypatch):
    """Counted, not timed: an unknown address runs the same hash check as a known one."""
    from smallgrants.auth import services

    create_user("known@example.kz")
    calls = []
    real = services.check_password_hash
    monkeypatch.setattr(services, "check_password_hash", lambda h, p: calls.append(h) or real(h, p))
    client.post("/auth/login", data={"email": "known@example.kz", "password": "wrong-one"})
    client.post("/auth/login", data={"email": "nobody@example.kz", "password": "wrong-one"})
    assert len(calls) == 2
    method = app.config.get("PASSWORD_HASH_METHOD") or "scrypt"
    assert all(h.startswith(method.split(":")[0]) for h in calls)


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("12345678", "Құпиясөзде кемінде 10 таңба болуы керек."),
        ("password", "Құпиясөзде кемінде 10 таңба болуы керек."),
        ("1234567890", "Бұл құпиясөзді табу тым оңай"),
        ("qwertyuiop", "Бұл құпиясөзді табу тым оңай"),
        ("password123", "Бұл құпиясөзді табу тым оңай"),
        ("aigul@example.kz", "Бұл құпиясөзді табу тым оңай"),
    ],
)
def test_weak_passwords_are_refused_and_the_form_kept(app, client, password, message):
    response = client.post(
        "/auth/register",
        data={
            "full_name": "Айгүл",
            "email": "aigul@example.kz",
            "password": password,
            "password_confirm": password,
            "consent": "y",
        },
    )
    assert response.status_code == 200
    assert message in response.text
    assert 'value="aigul@example.kz"' in response.text
    assert 'value="Айгүл"' in response.text


def _bad_login(client, ip, email="owner@example.kz"):
    return client.post(
        "/auth/login",
        data={"email": email, "password": "wrong-password"},
        headers={"X-Forwarded-For": ip},
    )


def test_behind_a_proxy_an_attacker_cannot_lock_the_owner_out(app, client, create_user):
    app.config["TRUSTED_PROXIES"] = 1
    create_user("owner@example.kz")
    for _ in range(5):
        assert _bad_login(client, "203.0.113.9").status_code == 200
    assert _bad_login(client, "203.0.113.9").status_code == 429
    # the owner, from home, through the same proxy
    owner = app.test_client()
    response = owner.post(
        "/auth/login",
        data={"email": "owner@example.kz", "password": PASSWORD},
        headers={"X-Forwarded-For": "198.51.100.7"},
    )
    assert response.status_code == 302
    with app.app_context():
        ips = set(
            db.session.scalars(
                select(AuditLog.ip_address).where(AuditLog.action.like("auth.login%"))
            )
        )
    assert ips == {"203.0.113.9", "198.51.100.7"}


def test_the_per_address_limit_is_per_client_behind_the_proxy(app, create_user):
    app.config["TRUSTED_PROXIES"] = 1
    app.config["LOGIN_LIMIT_PER_IP"] = "3 per minute"
    client = app.test_client()
    for n in range(3):
        assert _bad_login(client, "203.0.113.9", f"u{n}@example.kz").status_code == 200
    assert _bad_login(client, "203.0.113.9", "u9@example.kz").status_code == 429
    assert _bad_login(client, "198.51.100.7", "u9@example.kz").status_code == 200


def test_without_trusted_proxies_the_header_is_ignored(app, client, create_user):
    app.config["TRUSTED_PROXIES"] = 0
    app.config["LOGIN_LIMIT_PER_IP"] = "3 per minute"
    for n in range(3):
        assert _bad_login(client, f"203.0.113.{n}", f"u{n}@example.kz").status_code == 200
    assert _bad_login(client, "203.0.113.99", "u9@example.kz").status_code == 429


def test_production_refuses_memory_rate_limits_with_several_workers(monkeypatch):
    import importlib

    import config

    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("WEB_CONCURRENCY", "4")
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "memory://")
    module = importlib.reload(config)
    try:
        with pytest.raises(RuntimeError, match="RATELIMIT_STORAGE_URI is memory:// with"):
            module.ProductionConfig.validate()
        monkeypatch.setenv("RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379")
        module = importlib.reload(config)
        module.ProductionConfig.validate()  # shared storage: fine
        monkeypatch.setenv("RATELIMIT_STORAGE_URI", "memory://")
        monkeypatch.setenv("WEB_CONCURRENCY", "1")
        module = importlib.reload(config)
        module.ProductionConfig.validate()  # one worker: fine
    finally:
        monkeypatch.undo()
        importlib.reload(config)
