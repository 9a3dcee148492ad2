"""Operations on accounts. They flush, audit and queue e-mail; the request commits."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from blinker import Namespace
from flask import current_app, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, delete, func, select, update
from sqlalchemy.orm import joinedload
from werkzeug.security import check_password_hash, generate_password_hash

from smallgrants.auth import tokens
from smallgrants.auth.models import (
    ASSIGNABLE_ROLES,
    ApiToken,
    Role,
    User,
    UserRole,
    UserSession,
)
from smallgrants.core.models import OutboxMessage
from smallgrants.core.services import ServiceError, queue_email, record_audit
from smallgrants.core.timeutil import utcnow
from smallgrants.extensions import db


class AccountError(ServiceError):
    pass


_signals = Namespace()
# The contexts that hold a person's data answer these (their services connect to them), so
# this module, below them, never imports them:
# - `personal_data_requested.send(user)`: each receiver returns (section, [rows as dicts]);
# - `account_erasing.send(user)`: each receiver scrubs what it holds (see `erase_account`).
personal_data_requested = _signals.signal("personal-data-requested")
account_erasing = _signals.signal("account-erasing")


def normalize_email(email: str) -> str:
    return (email or "").strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalars(select(User).where(User.email == normalize_email(email))).first()


def hash_password(password: str) -> str:
    method = current_app.config.get("PASSWORD_HASH_METHOD")
    return generate_password_hash(password, method) if method else generate_password_hash(password)


def create_user(
    email: str,
    password: str,
    *,
    full_name: str = "",
    locale: str | None = None,
    phone: str | None = None,
    confirmed: bool = False,
    roles: tuple[Role, ...] = (),
    actor: User | None = None,
    consent_version: str | None = None,
) -> User:
    email = normalize_email(email)
    if find_user_by_email(email) is not None:
        raise AccountError(_l("An account with this e-mail already exists."))
    user = User(
        email=email,
        password_hash=hash_password(password),
        full_name=full_name.strip(),
        phone=phone,
        locale=locale or current_app.config["BABEL_DEFAULT_LOCALE"],
        email_confirmed_at=utcnow() if confirmed else None,
        consent_at=utcnow() if consent_version else None,
        consent_version=consent_version,
    )
    db.session.add(user)
    db.session.flush()
    record_audit(
        actor or user,
        "user.create",
        user,
        {"confirmed": confirmed, "consent": consent_version},
    )
    for role in roles:
        grant_role(user, role, actor=actor)
    return user


def register(
    email: str, password: str, full_name: str, locale: str, *, consent_version: str
) -> User | None:
    """A new account and its confirmation link. When the address has an account already,
    nothing is made and its owner is told instead (the page answers the same either way, so
    nobody learns from it whose address is registered); returns None then."""
    existing = find_user_by_email(email)
    if existing is not None:
        queue_email(
            existing.email,
            existing.locale,
            "account_exists",
            _l("Someone tried to register with your e-mail"),
            user=existing,
            login=url_for("auth.login", _external=True),
            reset=url_for("auth.forgot_password", _external=True),
        )
        record_audit(None, "auth.register_existing", existing)
        return None
    user = create_user(
        email, password, full_name=full_name, locale=locale, consent_version=consent_version
    )
    send_confirmation(user)
    return user


def send_confirmation(user: User) -> None:
    if user.email_confirmed:
        return
    link = url_for(
        "auth.confirm_email", token=tokens.make_token(user, tokens.CONFIRM), _external=True
    )
    queue_email(
        user.email, user.locale, "confirm_email", _l("Confirm your e-mail"), user=user, link=link
    )


def confirm_email(token: str) -> User | None:
    user = tokens.load_token(token, tokens.CONFIRM, current_app.config["EMAIL_TOKEN_MAX_AGE"])
    if user is None:
        return None
    if not user.email_confirmed:
        user.email_confirmed_at = utcnow()
        record_audit(user, "user.confirm_email", user)
    return user


_DUMMY_HASH: list[str] = []


def _dummy_hash() -> str:
    """A hash made the same way as the accounts' (and made once), checked for an unknown
    address so that a wrong address costs the same time as a wrong password."""
    if not _DUMMY_HASH:
        _DUMMY_HASH.append(hash_password(secrets.token_urlsafe(16)))
    return _DUMMY_HASH[0]


def authenticate(email: str, password: str) -> User | None:
    """The user when the password is right; a failure on an account is audited (on the
    account, without the address typed)."""
    user = find_user_by_email(email)
    if user is None:
        check_password_hash(_dummy_hash(), password)
        return None
    if not check_password_hash(user.password_hash, password):
        record_audit(None, "auth.login_failed", user)
        return None
    return user


# --- sign-ins (the rows behind the cookies, `auth.session`) ------------------------------


def start_session(user: User, *, remember: bool) -> str:
    """A new sign-in of the account; returns its key. Expired rows of the account go."""
    now = utcnow()
    db.session.execute(
        delete(UserSession).where(UserSession.user_id == user.id, UserSession.expires_at <= now)
    )
    key = secrets.token_urlsafe(32)
    db.session.add(
        UserSession(
            key=key,
            user_id=user.id,
            created_at=now,
            expires_at=now + current_app.config["REMEMBER_COOKIE_DURATION"],
            remember=remember,
        )
    )
    db.session.flush()
    return key


# built once: every signed-in request asks it (no statement to build, its cache key kept)
_LIVE_SESSION = (
    select(UserSession)
    .options(joinedload(UserSession.user).joinedload(User.role_rows))
    .where(UserSession.key == bindparam("key"), UserSession.expires_at > bindparam("now"))
)


def live_session(key: str) -> UserSession | None:
    """The sign-in behind a cookie while it lasts, with its account and the account's roles
    (one query for every signed-in request, no write)."""
    return db.session.scalars(_LIVE_SESSION, {"key": key, "now": utcnow()}).unique().first()


def end_session(key: str) -> None:
    db.session.execute(delete(UserSession).where(UserSession.key == key))


def end_sessions(user: User, *, keep: str | None = None) -> int:
    """End every sign-in of the account but `keep` (this browser's, when it stays)."""
    query = delete(UserSession).where(UserSession.user_id == user.id)
    if keep:
        query = query.where(UserSession.key != keep)
    return db.session.execute(query).rowcount or 0


def sign_out_everywhere(user: User) -> int:
    """The account's other browsers are signed out; this one stays."""
    ended = end_sessions(user, keep=user.session_key)
    record_audit(user, "auth.logout_everywhere", user, {"sessions": ended})
    return ended


def record_login(user: User) -> None:
    user.last_login_at = utcnow()
    record_audit(user, "auth.login", user)


def record_logout(user: User) -> None:
    record_audit(user, "auth.logout", user)


def request_password_reset(email: str) -> None:
    """Queue a reset link when the account exists; say nothing either way (no enumeration)."""
    user = find_user_by_email(email)
    if user is None or not user.active:
        return
    link = url_for(
        "auth.reset_password", token=tokens.make_token(user, tokens.RESET), _external=True
    )
    minutes = current_app.config["PASSWORD_RESET_MAX_AGE"] // 60
    queue_email(
        user.email,
        user.locale,
        "reset_password",
        _l("Reset your password"),
        user=user,
        link=link,
        minutes=minutes,
    )
    record_audit(None, "auth.reset_requested", user)


def user_for_reset_token(token: str) -> User | None:
    return tokens.load_token(token, tokens.RESET, current_app.config["PASSWORD_RESET_MAX_AGE"])


def set_password(
    user: User, password: str, *, actor: User | None = None, action: str = "user.password_change"
) -> None:
    user.password_hash = hash_password(password)
    # a new password ends every other sign-in (a reset: all of them, none is this one's)
    end_sessions(user, keep=user.session_key if actor is None or actor is user else None)
    record_audit(actor or user, action, user)


def reset_password(token: str, password: str) -> User | None:
    user = user_for_reset_token(token)
    if user is None:
        return None
    user.session_key = None  # the link is followed signed out: every sign-in ends
    set_password(user, password, action="user.password_reset")
    # Following the e-mailed link proves the address too.
    if not user.email_confirmed:
        user.email_confirmed_at = utcnow()
    return user


def change_password(user: User, current: str, new: str) -> None:
    if not check_password_hash(user.password_hash, current):
        raise AccountError(_l("The current password is wrong."))
    set_password(user, new)


def update_profile(user: User, *, full_name: str, phone: str | None, locale: str) -> None:
    changes = {}
    for field, value in (("full_name", full_name.strip()), ("phone", phone), ("locale", locale)):
        if getattr(user, field) != value:
            changes[field] = value
            setattr(user, field, value)
    if changes:
        record_audit(user, "user.profile_update", user, changes)


def grant_role(user: User, role: Role, *, actor: User | None) -> bool:
    """Give a role; False when the user already had it."""
    if role not in ASSIGNABLE_ROLES:
        raise AccountError(_l("This role cannot be granted."))
    if user.has_role(role):
        return False
    user.role_rows.append(UserRole(role=role, granted_by_id=getattr(actor, "id", None)))
    db.session.flush()
    record_audit(actor, "user.role_grant", user, {"role": role.value})
    return True


def revoke_role(user: User, role: Role, *, actor: User | None) -> bool:
    """Take a role away; False when the user did not have it. The last admin stays."""
    row = next((r for r in user.role_rows if r.role == role), None)
    if row is None:
        return False
    if role == Role.ADMIN and count_admins() <= 1:
        raise AccountError(_l("The last administrator cannot lose the role."))
    user.role_rows.remove(row)
    db.session.flush()
    record_audit(actor, "user.role_revoke", user, {"role": role.value})
    return True


def count_admins() -> int:
    return (
        db.session.scalar(
            select(func.count()).select_from(UserRole).where(UserRole.role == Role.ADMIN)
        )
        or 0
    )


def all_users() -> list[User]:
    return list(db.session.scalars(select(User).order_by(User.id)))


# --- the person's own data: download, erase --------------------------------------------


def personal_data(user: User) -> dict[str, list[dict[str, Any]]]:
    """Everything the product holds about the person, by section (the account here, the
    rest from the contexts that hold it)."""
    data: dict[str, list[dict[str, Any]]] = {
        "account": [
            {
                "email": user.email,
                "full_name": user.full_name,
                "phone": user.phone,
                "locale": user.locale,
                "roles": sorted(r.value for r in user.roles),
                "created_at": user.created_at.isoformat(),
                "last_login_at": user.last_login_at.isoformat() if user.last_login_at else None,
                "consent_version": user.consent_version,
                "consent_at": user.consent_at.isoformat() if user.consent_at else None,
            }
        ],
        "sign_ins": [
            {"created_at": row.created_at.isoformat(), "remember": row.remember}
            for row in db.session.scalars(
                select(UserSession).where(UserSession.user_id == user.id).order_by(UserSession.id)
            )
        ],
        "api_tokens": [
            {
                "name": t.name,
                "prefix": t.prefix,
                "created_at": t.created_at.isoformat(),
                "expires_at": t.expires_at.isoformat(),
                "revoked_at": t.revoked_at.isoformat() if t.revoked_at else None,
            }
            for t in api_tokens_of(user.id)
        ],
        "emails": [
            {"subject": m.subject, "created_at": m.created_at.isoformat(), "status": m.status.value}
            for m in db.session.scalars(
                select(OutboxMessage)
                .where(OutboxMessage.recipient == user.email)
                .order_by(OutboxMessage.id)
            )
        ],
    }
    for _receiver, section in personal_data_requested.send(user):
        if section:
            name, rows = section
            data[name] = rows
    return data


def erased_email(user: User) -> str:
    return f"erased-{user.id}@erased.invalid"


def erase_account(user: User, password: str) -> None:
    """Erase the account (the person's right under the law, and withdrawing consent):
    - drafts and everything only the person used go;
    - what the competition's and the grant's accounts must keep (submitted applications,
      decisions, protocols, agreements, payments, reports) stays without identity: the
      account's e-mail, name, phone and password are replaced, the applicant profiles lose
      the leader's IIN, phones and e-mails (also in the frozen copies), seats on a
      commission keep the name the signed protocol shows but not the e-mail;
    - every sign-in ends; e-mail to the old address is emptied.
    The contexts scrub their part (`account_erasing`); the audit log keeps ids only."""
    if not check_password_hash(user.password_hash, password):
        raise AccountError(_l("The password is wrong."))
    if user.has_role(Role.ADMIN) and count_admins() <= 1:
        raise AccountError(
            _l("You are the only administrator: make someone else one before erasing.")
        )
    old_email = user.email
    account_erasing.send(user)
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.recipient == old_email)
        .values(recipient=erased_email(user), body_text="", body_html=None)
        .execution_options(synchronize_session=False)
    )
    end_sessions(user)
    db.session.execute(delete(ApiToken).where(ApiToken.user_id == user.id))
    db.session.execute(delete(UserRole).where(UserRole.user_id == user.id))
    user.email = erased_email(user)
    user.full_name = ""
    user.phone = None
    user.password_hash = hash_password(secrets.token_urlsafe(24))
    user.active = False
    user.email_confirmed_at = None
    user.erased_at = utcnow()
    db.session.flush()
    db.session.expire(user, ["role_rows"])
    record_audit(None, "user.erase", user)


# --- personal access tokens (the read-only API) ----------------------------------------

TOKEN_PREFIX = "sg_"  # noqa: S105 - the visible start of every token, not a secret
TOKEN_DAYS = (30, 90, 365)  # how long a token may live; the form offers these


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_api_token(user: User, name: str, days: int) -> tuple[ApiToken, str]:
    """A new token of the user's, and the token itself — the one time it exists outside the
    owner's hands (only its hash is stored)."""
    name = name.strip()
    if not name:
        raise AccountError(_l("Name the token (what it is for)."))
    if days not in TOKEN_DAYS:
        raise AccountError(_l("Choose how long the token lives."))
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(
        user_id=user.id,
        name=name[:100],
        token_hash=_token_hash(token),
        prefix=token[: len(TOKEN_PREFIX) + 6],
        expires_at=utcnow() + timedelta(days=days),
    )
    db.session.add(row)
    db.session.flush()
    record_audit(user, "api_token.create", row)
    return row, token


def revoke_api_token(user: User, token_id: int) -> bool:
    """The owner revokes one of their tokens (False: not theirs, or revoked already)."""
    revoked = db.session.execute(
        update(ApiToken)
        .where(ApiToken.id == token_id, ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    if revoked:
        record_audit(user, "api_token.revoke", None, {"token": token_id})
    return bool(revoked)


def api_tokens_of(user_id: int) -> list[ApiToken]:
    return list(
        db.session.scalars(
            select(ApiToken).where(ApiToken.user_id == user_id).order_by(ApiToken.id.desc())
        )
    )


def user_for_token(token: str) -> User | None:
    """The active account a usable token belongs to, else None."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 100:
        return None
    row = db.session.scalars(
        select(ApiToken).where(ApiToken.token_hash == _token_hash(token))
    ).first()
    if row is None or not row.is_usable(utcnow()) or not row.user.active:
        return None
    return row.user
