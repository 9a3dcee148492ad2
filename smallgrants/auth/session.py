"""Sign-ins that end: Flask-Login wiring on top of `UserSession` rows.

The session cookie and the remember-me cookie carry "<account id>:<sign-in key>"; a request
is signed in only while that row exists and has not expired. Signing out deletes the row,
a password change deletes the account's other rows, a reset or "sign out everywhere" all of
them — so a copied cookie (or the remember-me cookie alone) opens nothing afterwards. An
idle timeout (`IDLE_TIMEOUT_MINUTES`, shorter for coordinators and administrators:
`IDLE_TIMEOUT_PRIVILEGED_MINUTES`) signs a browser out after that long without a request.
"""

from __future__ import annotations

import hmac
import time

from flask import current_app, flash, request, session
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user

from smallgrants.auth import services
from smallgrants.auth.models import User
from smallgrants.extensions import login_manager

SEEN = "_seen"  # when this browser last made a request (epoch seconds), in the signed cookie


def init_login(app) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to open this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        account, _, key = (user_id or "").partition(":")
        if not account.isdigit() or not key:
            return None  # a cookie from before sign-ins had keys: sign in again
        row = services.live_session(key)
        if row is None or row.user_id != int(account) or not hmac.compare_digest(row.key, key):
            return None
        user = row.user
        user.session_key = key
        return user

    @app.before_request
    def enforce_idle_timeout():
        if request.endpoint == "static" or not current_user.is_authenticated:
            return None
        limit = idle_limit_minutes(current_user)
        now = time.time()
        seen = session.get(SEEN)
        if limit and isinstance(seen, int | float) and now - seen > limit * 60:
            sign_out(delete=False)  # a GET writes nothing: the row expires on its own
            flash(_("You were signed out after %(n)s minutes without activity.", n=limit), "info")
            return None
        session[SEEN] = int(now)
        return None


def idle_limit_minutes(user: User) -> int:
    config = current_app.config
    key = "IDLE_TIMEOUT_PRIVILEGED_MINUTES" if user.is_privileged else "IDLE_TIMEOUT_MINUTES"
    return int(config[key])


def sign_in(user: User, *, remember: bool = False) -> None:
    """Start a sign-in: its row, then Flask-Login's cookies (remember-me for 30 days, never
    for coordinators and administrators, whose sign-in ends with the browser or when idle)."""
    remember = remember and not user.is_privileged
    user.session_key = services.start_session(user, remember=remember)
    login_user(user, remember=remember, duration=current_app.config["REMEMBER_COOKIE_DURATION"])
    session[SEEN] = int(time.time())
    services.record_login(user)


def sign_out(*, delete: bool = True) -> None:
    """End this browser's sign-in: the row (so copies of the cookies die with it) and the
    cookies themselves."""
    if delete and current_user.is_authenticated and current_user.session_key:
        services.end_session(current_user.session_key)
    logout_user()
    session.pop(SEEN, None)
