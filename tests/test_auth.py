"""Registration, e-mail confirmation, sign-in, sign-out, password reset, profile."""

from __future__ import annotations

import re

from itsdangerous.timed import TimestampSigner
from sqlalchemy import func, select

from smallgrants.auth.models import User
from smallgrants.core.models import AuditLog, OutboxMessage, OutboxStatus
from smallgrants.extensions import db
from tests.conftest import PASSWORD, body_text

LINK = re.compile(r"http://localhost(/auth/[^\s]+)")


def _register(client, **overrides):
    data = {
        "full_name": "Дана Жұмабаева",
        "email": "Dana@Example.kz",
        "password": PASSWORD,
        "password_confirm": PASSWORD,
        "consent": "y",
    }
    data.update(overrides)
    return client.post("/auth/register", data=data)


def _link_in(message) -> str:
    return LINK.search(body_text(message)).group(1)


def test_register_queues_and_sends_confirmation_in_kazakh(app, client, mailbox):
    response = _register(client)
    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/login"
    [message] = mailbox.wait_for("dana@example.kz")
    assert message["Subject"] == "Электрондық поштаңызды растаңыз"
    assert "Сәлеметсіз бе, Дана Жұмабаева!" in body_text(message)
    with app.app_context():
        user = db.session.scalars(select(User)).one()
        assert user.email == "dana@example.kz"
        assert user.locale == "kk"
        assert user.email_confirmed_at is None
        [queued] = db.session.scalars(select(OutboxMessage)).all()
        assert (queued.status, queued.attempts, queued.template) == (
            OutboxStatus.SENT,
            1,
            "confirm_email",
        )


def test_register_in_russian_sends_russian_mail(client, mailbox):
    client.post("/language", data={"locale": "ru", "next": "/"})
    _register(client)
    [message] = mailbox.wait_for("dana@example.kz")
    assert message["Subject"] == "Подтвердите электронную почту"
    assert "Здравствуйте, Дана Жұмабаева!" in body_text(message)


def test_register_with_errors_keeps_values_and_says_why(app, client, mailbox):
    response = _register(client, email="not-an-email", password_confirm="different-pass")
    assert response.status_code == 200
    html = response.text
    assert 'value="Дана Жұмабаева"' in html
    assert 'value="not-an-email"' in html
    assert "Дұрыс электрондық пошта мекенжайын енгізіңіз, мысалы name@example.kz." in html
    assert "Құпиясөздер сәйкес келмейді." in html
    assert "Енгізгендеріңіздің бәрі сақталды." in html
    with app.app_context():
        assert db.session.scalars(select(User)).all() == []
    assert mailbox.messages == []


def test_register_short_password_refused(client):
    response = _register(client, password="short", password_confirm="short")
    assert "Құпиясөзде кемінде 10 таңба болуы керек." in response.text


def test_register_duplicate_email_makes_no_second_account(app, client, create_user):
    """Case-insensitively the same address; the page answers as for a new one
    (tests/test_security.py), and the owner is told by e-mail."""
    create_user("dana@example.kz")
    response = _register(client, email="DANA@example.kz")
    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/login"
    with app.app_context():
        assert (
            db.session.scalar(select(func.count(User.id)).where(User.email == "dana@example.kz"))
            == 1
        )


def test_login_before_confirmation_refused_then_link_confirms(app, client, auth, mailbox):
    _register(client)
    response = auth.login("dana@example.kz")
    assert response.status_code == 200
    assert "Алдымен электрондық поштаңызды растаңыз" in response.text
    assert "/auth/confirm" in response.text  # offer to resend

    link = _link_in(mailbox.wait_for("dana@example.kz")[0])
    response = client.get(link)
    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/login"
    response = auth.login("dana@example.kz")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    home = client.get("/")
    assert 'data-testid="nav-account">Дана Жұмабаева<' in home.text
    with app.app_context():
        user = db.session.scalars(select(User)).one()
        assert user.email_confirmed_at is not None
        assert user.last_login_at is not None
        actions = list(db.session.scalars(select(AuditLog.action).order_by(AuditLog.id)))
    assert actions == ["user.create", "user.confirm_email", "auth.login"]


def test_confirm_link_forged_is_refused(client):
    response = client.get("/auth/confirm/not-a-token", follow_redirects=True)
    assert "Растау сілтемесі жарамсыз немесе мерзімі өтіп кеткен." in response.text


def test_resend_confirmation_sends_a_new_link(client, create_user, mailbox):
    create_user("new@example.kz", confirmed=False)
    response = client.post("/auth/confirm", data={"email": "new@example.kz"})
    assert response.status_code == 302
    [message] = mailbox.wait_for("new@example.kz")
    assert "/auth/confirm/" in body_text(message)


def test_resend_confirmation_for_unknown_address_says_the_same(client, mailbox):
    response = client.post(
        "/auth/confirm", data={"email": "ghost@example.kz"}, follow_redirects=True
    )
    assert "Егер бұл мекенжаймен расталмаған тіркелгі болса" in response.text
    assert mailbox.messages == []


def test_login_wrong_password_keeps_email_and_audits(app, client, auth, create_user):
    create_user("a@example.kz")
    response = auth.login("a@example.kz", "wrong-password")
    assert response.status_code == 200
    assert "Электрондық пошта немесе құпиясөз қате." in response.text
    assert 'value="a@example.kz"' in response.text
    with app.app_context():
        entry = db.session.scalars(select(AuditLog)).all()[-1]
        # on the account, without the address typed (no e-mail in the audit log)
        assert (entry.action, entry.object_id, entry.payload) == (
            "auth.login_failed",
            str(db.session.scalar(select(User.id).where(User.email == "a@example.kz"))),
            {},
        )


def test_login_blocked_account_refused(app, client, auth, create_user):
    user = create_user("blocked@example.kz")
    with app.app_context():
        db.session.get(User, user.id).active = False
        db.session.commit()
    response = auth.login("blocked@example.kz")
    assert "Бұл тіркелгі бұғатталған." in response.text


def test_login_follows_local_next_only(client, auth, create_user):
    create_user("a@example.kz")
    response = client.post(
        "/auth/login?next=/account/profile", data={"email": "a@example.kz", "password": PASSWORD}
    )
    assert response.headers["Location"] == "/account/profile"
    auth.logout()
    response = client.post(
        "/auth/login?next=https://evil.example/x",
        data={"email": "a@example.kz", "password": PASSWORD},
    )
    assert response.headers["Location"] == "/"


def test_protected_page_redirects_to_login_with_next(client):
    response = client.get("/account/profile")
    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/login?next=%2Faccount%2Fprofile"


def test_logout_ends_the_session(client, auth, create_user):
    create_user("a@example.kz")
    auth.login("a@example.kz")
    assert client.get("/account/profile").status_code == 200
    response = auth.logout()
    assert response.status_code == 302
    assert client.get("/account/profile").status_code == 302


def test_logout_by_get_is_not_allowed(client, auth, create_user):
    create_user("a@example.kz")
    auth.login("a@example.kz")
    assert client.get("/auth/logout").status_code == 405
    assert client.get("/account/profile").status_code == 200


def test_password_reset_full_flow(app, client, auth, create_user, mailbox):
    create_user("a@example.kz", locale="ru")
    response = client.post("/auth/reset", data={"email": "A@example.kz"})
    assert response.status_code == 302
    [message] = mailbox.wait_for("a@example.kz")
    assert message["Subject"] == "Восстановление пароля"
    assert "в течение 60 минут" in body_text(message)
    link = _link_in(message)

    form = client.get(link)
    assert form.status_code == 200
    response = client.post(link, data={"password": "a-new-password", "password_confirm": "x"})
    assert "Құпиясөздер сәйкес келмейді." in response.text
    response = client.post(
        link, data={"password": "a-new-password", "password_confirm": "a-new-password"}
    )
    assert response.headers["Location"] == "/auth/login"

    assert auth.login("a@example.kz", PASSWORD).status_code == 200  # old one is dead
    assert auth.login("a@example.kz", "a-new-password").status_code == 302
    # a used link does not work twice; the user's profile language (ru) now applies
    again = client.get(link, follow_redirects=True)
    assert "Ссылка недействительна или устарела. Запросите новую." in again.text


def test_password_reset_link_expires(app, client, create_user, mailbox, monkeypatch):
    create_user("a@example.kz")
    real = TimestampSigner.get_timestamp
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: real(self) - 3601)
    client.post("/auth/reset", data={"email": "a@example.kz"})
    monkeypatch.undo()
    link = _link_in(mailbox.wait_for("a@example.kz")[0])
    response = client.get(link)
    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/reset"


def test_password_reset_for_unknown_address_reveals_nothing(client, mailbox):
    response = client.post("/auth/reset", data={"email": "ghost@example.kz"}, follow_redirects=True)
    assert "Егер бұл мекенжаймен тіркелгі болса" in response.text
    assert mailbox.messages == []


def test_profile_update_normalises_phone_and_language(app, client, auth, create_user):
    user = create_user("a@example.kz")
    auth.login("a@example.kz")
    response = client.post(
        "/account/profile",
        data={"full_name": "  Асқар Нұрланұлы ", "phone": "8 (701) 234-56-78", "locale": "ru"},
    )
    assert response.status_code == 302
    with app.app_context():
        saved = db.session.get(User, user.id)
        assert (saved.full_name, saved.phone, saved.locale) == (
            "Асқар Нұрланұлы",
            "+77012345678",
            "ru",
        )
    page = client.get("/account/profile")
    assert 'value="+7 (701) 234-56-78"' in page.text
    assert '<h1 class="h3 mb-3">Профиль</h1>' in page.text  # the new language applies


def test_profile_bad_phone_keeps_every_value(app, client, auth, create_user):
    user = create_user("a@example.kz", full_name="Old Name")
    auth.login("a@example.kz")
    response = client.post(
        "/account/profile", data={"full_name": "Жаңа Есім", "phone": "12345", "locale": "en"}
    )
    assert response.status_code == 200
    assert "Қазақстандық телефон нөмірін енгізіңіз, мысалы +7 701 234 56 78." in response.text
    assert 'value="Жаңа Есім"' in response.text
    assert 'value="12345"' in response.text
    assert '<option selected value="en">' in response.text
    with app.app_context():
        assert db.session.get(User, user.id).full_name == "Old Name"


def test_change_password_checks_the_current_one(client, auth, create_user):
    create_user("a@example.kz")
    auth.login("a@example.kz")
    response = client.post(
        "/account/password",
        data={
            "current_password": "nope",
            "password": "another-pass",
            "password_confirm": "another-pass",
        },
    )
    assert "Қазіргі құпиясөз қате." in response.text
    response = client.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "password": "another-pass",
            "password_confirm": "another-pass",
        },
    )
    assert response.headers["Location"] == "/account/profile"
    auth.logout()
    assert auth.login("a@example.kz", "another-pass").status_code == 302
