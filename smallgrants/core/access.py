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


def authorize(allowed: bool) -> None:
    """The object-level half of a route's check: `authorize(policies.can_x(user, obj))`
    answers 403 when the predicate says no."""
    if not allowed:
        abort(403)


class Can:
    """`can` in templates: `can.score(application)` calls `can_score(current_user,
    application)` of the policy modules it was built with, so a template asks the same
    predicate as the route and the service instead of comparing statuses and ids."""

    def __init__(self, *modules) -> None:
        self._predicates: dict[str, Callable[..., bool]] = {}
        for module in modules:
            for name in dir(module):
                if name.startswith("can_"):
                    key = name.removeprefix("can_")
                    if key in self._predicates:
                        raise ValueError(f"two policy predicates are named {name}")
                    self._predicates[key] = getattr(module, name)

    def __getattr__(self, name: str) -> Callable[..., bool]:
        try:
            predicate = self._predicates[name]
        except KeyError:
            raise AttributeError(f"no policy predicate can_{name}") from None
        return lambda *args: bool(predicate(current_user, *args))
