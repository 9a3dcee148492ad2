"""Sign-ins that end (issue 15): a copied session cookie, or the remember-me cookie alone,
opens nothing after its sign-in ended — by signing out, a password change or reset, or
"sign out on every other device"; coordinators have no remember-me and an idle timeout."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

from sqlalchemy import func, select

from smallgrants.auth.models import Role, UserSession
from smallgrants.extensions import db
from tests.conftest import PASSWORD
from tests.test_auth import _link_in

PROFILE = "/account/profile"


def _login(client, email, remember=False):
    data = {"email": email, "password": PASSWORD}
    if remember:
        data["remember"] = "y"
    response = client.post("/auth/login", data=data)
    assert response.status_code == 302, response.text
    return response


def _copy(app, client, *names):
    """A second browser holding copies of the first one's cookies."""
    thief = app.test_client()
    for name in names:
        cookie = client.get_cookie(name)
        assert cookie is not None, name
        thief.set_cookie(name, cookie.value)
    return thief


def _signed_in(client) -> bool:
    response = client.get(PROFILE)
    assert response.status_code in (200, 302)
    return response.status_code == 200


def _rows(app, user_id) -> int:
    with app.app_context():
        return db.session.scalar(
            select(func.count(UserSession.id)).where(UserSession.user_id == user_id)
        )


def test_copied_session_cookie_dies_at_logout(app, client, create_user):
    user = create_user("a@example.kz")
    _login(client, "a@example.kz")
    thief = _copy(app, client, "session")
    assert _signed_in(thief)
    assert client.post("/auth/logout").status_code == 302
    assert not _signed_in(client)
    assert not _signed_in(thief)
    assert _rows(app, user.id) == 0


def test_remember_cookie_alone_lasts_30_days_and_dies_at_logout(app, client, create_user):
    create_user("a@example.kz")
    response = _login(client, "a@example.kz", remember=True)
    remember = next(
        h for h in response.headers.getlist("Set-Cookie") if h.startswith("remember_token=")
    )
    expires = parsedate_to_datetime(re.search(r"Expires=([^;]+)", remember).group(1))
    assert abs(expires - (datetime.now(UTC) + timedelta(days=30))) < timedelta(minutes=2)
    thief = _copy(app, client, "remember_token")  # the remember-me cookie alone
    assert _signed_in(thief)
    assert client.post("/auth/logout").status_code == 302
    assert not _signed_in(thief)
    fresh = app.test_client()  # the cookie exactly as it was set, in a browser of its own
    fresh.set_cookie("remember_token", remember.split(";")[0].split("=", 1)[1])
    assert not _signed_in(fresh)


def test_password_change_ends_every_other_sign_in_and_keeps_this_one(app, client, create_user):
    user = create_user("a@example.kz")
    laptop = app.test_client()
    _login(laptop, "a@example.kz", remember=True)
    copied = _copy(app, laptop, "remember_token")
    _login(client, "a@example.kz")
    assert _rows(app, user.id) == 2
    response = client.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "password": "a-new-longer-secret",
            "password_confirm": "a-new-longer-secret",
        },
    )
    assert response.status_code == 302, response.text
    assert _signed_in(client)
    assert not _signed_in(laptop)
    assert not _signed_in(copied)
    assert _rows(app, user.id) == 1


def test_password_reset_ends_every_sign_in(app, client, create_user, mailbox):
    user = create_user("a@example.kz")
    phone = app.test_client()
    _login(phone, "a@example.kz", remember=True)
    assert client.post("/auth/reset", data={"email": "a@example.kz"}).status_code == 302
    [message] = mailbox.wait_for("a@example.kz")
    path = _link_in(message)
    response = client.post(
        path, data={"password": "a-new-longer-secret", "password_confirm": "a-new-longer-secret"}
    )
    assert response.status_code == 302, response.text
    assert not _signed_in(phone)
    assert _rows(app, user.id) == 0


def test_sign_out_everywhere_keeps_only_this_browser(app, client, create_user):
    user = create_user("a@example.kz")
    others = [app.test_client() for _ in range(2)]
    for other in others:
        _login(other, "a@example.kz")
    _login(client, "a@example.kz")
    page = client.get(PROFILE).text
    assert 'data-testid="sign-out-everywhere"' in page
    response = client.post("/account/sessions/end", follow_redirects=True)
    assert "Барлық басқа құрылғылардан шықтыңыз (2)." in response.text
    assert _signed_in(client)
    assert [_signed_in(o) for o in others] == [False, False]
    assert _rows(app, user.id) == 1


def test_coordinators_get_no_remember_me(app, client, create_user):
    create_user("c@example.kz", roles=(Role.COORDINATOR,))
    response = _login(client, "c@example.kz", remember=True)
    assert not any(h.startswith("remember_token=") for h in response.headers.getlist("Set-Cookie"))


def _idle(client, minutes: int) -> None:
    with client.session_transaction() as session:
        session["_seen"] = int(time.time()) - minutes * 60


def test_idle_coordinator_is_signed_out_after_two_hours(app, client, create_user):
    create_user("c@example.kz", roles=(Role.COORDINATOR,))
    _login(client, "c@example.kz")
    _idle(client, 119)
    assert client.get("/manage/outbox").status_code == 200  # and the clock starts again
    _idle(client, 121)
    response = client.get("/manage/outbox", follow_redirects=True)
    assert "120 минут әрекетсіз болғаннан кейін жүйеден шығарылдыңыз." in response.text
    assert not _signed_in(client)


def test_idle_timeout_for_everyone_is_configurable(app, client, create_user):
    create_user("a@example.kz")
    _login(client, "a@example.kz")
    _idle(client, 600)
    assert _signed_in(client)  # by default an applicant's sign-in does not idle out
    app.config["IDLE_TIMEOUT_MINUTES"] = 30
    _idle(client, 31)
    assert not _signed_in(client)
