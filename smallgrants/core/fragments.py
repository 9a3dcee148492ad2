"""Rendered fragments a worker keeps while what they show is unchanged.

A fragment (the body of the public list of competitions, a coordinator's list) is a pure
function of its key — the language, the address and its query string, whose list — of the
rows it reads, and of the clock (a competition opens, its deadline passes). It is kept
under the value `generations` holds for its kind of source rows when it is built; database
triggers (migration 0027) write a new random value in the very transaction that changes
one of those rows, whichever worker, command or SQL client made the change. A kept fragment
is used only while that value is the same and the clock is before the first moment its
rows change phase; otherwise it is built again. The value is read before the rows, so a
fragment is never kept under a value newer than what it shows. No row at all (a database
emptied by hand): nothing is kept.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app, request
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape
from sqlalchemy import bindparam, select

from smallgrants.core.i18n import current_locale
from smallgrants.core.models import Generation
from smallgrants.core.timeutil import utcnow
from smallgrants.extensions import db

# where a kept fragment's forms carry the request's form token (`with_form_token`); NUL never
# reaches a page from input (core/converters.py strips it), so it cannot be forged
CSRF_MARK = "\x00csrf\x00"
LISTINGS = "listings"  # competitions, their organisations' names, prize places
PEOPLE = "people"  # accounts' e-mails, applicant profiles, groups' members (migration 0028)


def commission(competition_id: int) -> str:
    """The generation of what a competition's commission pages read (migration 0028)."""
    return f"commission:{competition_id}"


def meeting(competition_id: int) -> str:
    """The generation of a competition's meeting and decisions (migration 0028)."""
    return f"meeting:{competition_id}"


def report(competition_id: int) -> str:
    """The generation of what a final report computes of a competition (migration 0029)."""
    return f"report:{competition_id}"


def intake(competition_id: int) -> str:
    """The generation of a competition's registry: the competition, its received applications
    and their budget lines (migration 0029)."""
    return f"intake:{competition_id}"


def project(project_id: int) -> str:
    """The generation of a final report's own rows: its project, tasks, activities, indicators,
    effects and lists (migration 0029)."""
    return f"project:{project_id}"


@dataclass(frozen=True)
class Kept:
    generation: tuple[str, ...]  # the values of its generations, in the order asked
    built_at: datetime
    until: datetime | None  # the first moment it may show something else; None: no end
    content: Any  # the rendered fragment (Markup), or a value kept the same way (`kept_value`)

    def holds(self, value: tuple[str, ...] | None, now: datetime) -> bool:
        """Still what its rows and the clock give: the same generation, and `now` between
        its building and the next phase change."""
        return (
            value == self.generation
            and self.built_at <= now
            and (self.until is None or now < self.until)
        )


class Fragments:
    """A bounded store of kept fragments (least recently used goes first), one per app and
    use (the lists' `Kept`, the navigation bar's HTML)."""

    def __init__(self, size: int):
        self.size = size
        self._kept: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Any:
        with self._lock:
            kept = self._kept.get(key)
            if kept is not None:
                self._kept.move_to_end(key)
            return kept

    def put(self, key: Hashable, kept: Any) -> None:
        with self._lock:
            self._kept[key] = kept
            self._kept.move_to_end(key)
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)

    def __len__(self) -> int:
        return len(self._kept)


def request_key(*parts) -> tuple:
    """What a kept fragment depends on besides its rows: the page and its arguments (a
    competition's id), the language, where the app is mounted, every query argument (a pager
    repeats them) and `parts`."""
    return (
        request.endpoint,
        tuple(sorted((request.view_args or {}).items())),
        current_locale(),
        request.script_root,
        tuple(request.args.items(multi=True)),
        *parts,
    )


def init_app(app) -> None:
    app.extensions["fragments"] = Fragments(app.config["FRAGMENT_CACHE_SIZE"])


def _markup(rendered: str) -> Markup:
    """A template's output (`render_template`), escaped as it was rendered."""
    return Markup(rendered)  # noqa: S704 - rendered by Jinja with autoescape on


_GENERATION = select(Generation.value).where(Generation.name == bindparam("name"))  # built once


_GENERATIONS = select(Generation.name, Generation.value).where(
    Generation.name.in_(bindparam("names", expanding=True))
)


def generation(name: str) -> str | None:
    return db.session.scalar(_GENERATION, {"name": name})


def generations(names: tuple[str, ...]) -> tuple[str, ...] | None:
    """The values of several generations in one statement; None if one has no row."""
    found = dict(db.session.execute(_GENERATIONS, {"names": list(names)}).all())
    if len(found) < len(names):
        return None
    return tuple(found[name] for name in names)


def kept_value(
    name: str | tuple[str, ...],
    key: Hashable,
    build: Callable[[datetime], tuple[Any, datetime | None]],
) -> Any:
    """What `build(now)` → (value, until) gives for `key` of the kind `name` (or read from the
    rows of several generations, kept while every one of them is unchanged): kept, or built.
    A kept value is shared by the requests that find it: they only read it."""
    fragments: Fragments = current_app.extensions["fragments"]
    if fragments.size <= 0:
        return build(utcnow())[0]
    names = (name,) if isinstance(name, str) else name
    value = generations(names)  # before the rows are read
    now = utcnow()
    found: Kept | None = fragments.get((name, key))
    if found is not None and found.holds(value, now):
        return found.content
    built, until = build(now)
    if value is not None:
        fragments.put((name, key), Kept(value, now, until, built))
    return built


def _kept_rendered(name, key, build, mark):
    """`kept_value` of what `build(now)` renders, marked safe by `mark` when it is built."""

    def rendered(now: datetime):
        content, until = build(now)
        return mark(content), until

    return kept_value(name, key, rendered)


def kept(
    name: str | tuple[str, ...],
    key: Hashable,
    build: Callable[[datetime], tuple[str, datetime | None]],
) -> Markup:
    """The rendered fragment `key` of the kind `name` (`kept_value`): kept, or
    `build(now)` → (html, until)."""
    return _kept_rendered(name, key, build, _markup)


def kept_parts(
    name: str | tuple[str, ...],
    key: Hashable,
    build: Callable[[datetime], tuple[dict[str, str], datetime | None]],
) -> dict[str, Markup]:
    """Several rendered fragments of one page built together (`kept`): kept, or
    `build(now)` → ({part: html}, until)."""
    return _kept_rendered(
        name, key, build, lambda parts: {part: _markup(html) for part, html in parts.items()}
    )


def with_form_token(fragment: str) -> Markup:
    """A kept fragment (a template's output) rendered with `csrf_value=CSRF_MARK`, with this
    request's form token in its forms."""
    token = str(escape(generate_csrf()))
    return Markup(str(fragment).replace(CSRF_MARK, token))  # noqa: S704 - escaped above
