"""Flask-Login wiring: how a session finds its user, and where sign-in lives."""

from flask_babel import lazy_gettext as _l

from smallgrants.auth.models import User
from smallgrants.extensions import db, login_manager


def init_login(app) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to open this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        try:
            return db.session.get(User, int(user_id))
        except ValueError:
            return None
