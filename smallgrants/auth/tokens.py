"""Signed, time-limited tokens for e-mailed links."""

from __future__ import annotations

import hashlib

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from smallgrants.auth.models import User
from smallgrants.extensions import db

CONFIRM = "email-confirm"
RESET = "password-reset"


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=purpose)


def _fingerprint(user: User, purpose: str) -> str:
    # A reset link dies once the password changes; a confirm link once the e-mail changes.
    source = user.password_hash if purpose == RESET else user.email
    return hashlib.sha256(source.encode()).hexdigest()[:16]


def make_token(user: User, purpose: str) -> str:
    return _serializer(purpose).dumps({"uid": user.id, "fp": _fingerprint(user, purpose)})


def load_token(token: str, purpose: str, max_age: int) -> User | None:
    """The user the token was made for, or None when forged, expired or already used."""
    try:
        data = _serializer(purpose).loads(token, max_age=max_age)
    except BadSignature:  # SignatureExpired is a BadSignature
        return None
    if not isinstance(data, dict):
        return None
    user = db.session.get(User, data.get("uid"))
    if user is None or data.get("fp") != _fingerprint(user, purpose):
        return None
    return user
