"""Route guards built on policy predicates (`<context>/policies.py`)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import abort
from flask_login import current_user

from smallgrants.extensions import login_manager


def require(predicate: Callable[..., bool]):
    """Anonymous → sign-in page; signed in but not allowed → 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not predicate(current_user):
                abort(403)
            return view(*args, **kwargs)

        wrapped.access_predicate = predicate  # type: ignore[attr-defined]
        return wrapped

    return decorator
