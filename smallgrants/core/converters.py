"""What comes in from an address or a form, made safe for the database in one place: an
`<int:…>` id in an address and an id in a form fit an INTEGER column (a 30-digit number is
a 404 or ignored, not an overflow), and no text carries a NUL character (PostgreSQL refuses
it in any text column; SQLite would store it)."""

from __future__ import annotations

from flask import Request
from werkzeug.datastructures import ImmutableMultiDict, iter_multi_items
from werkzeug.routing import IntegerConverter

INT_MAX = 2_147_483_647


class BoundedIntegerConverter(IntegerConverter):
    def __init__(self, map, fixed_digits=0, min=1, max=INT_MAX, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def db_id(value: str) -> int:
    """For `request.form.get(name, type=db_id)`: an id that fits its column; anything else
    raises ValueError, which makes `.get` return its default."""
    number = int(value)
    if not 1 <= number <= INT_MAX:
        raise ValueError(value)
    return number


def _without_nul(value):
    return value.replace("\x00", "") if isinstance(value, str) else value


class CleanMultiDict(ImmutableMultiDict):
    """Query and form values (and their names) without NUL characters."""

    def __init__(self, mapping=None):
        if mapping is not None:
            mapping = [(_without_nul(k), _without_nul(v)) for k, v in iter_multi_items(mapping)]
        super().__init__(mapping)


class CleanRequest(Request):
    parameter_storage_class = CleanMultiDict


def init_app(app) -> None:
    """Before any blueprint: rules compile their converters when they are added."""
    app.url_map.converters["int"] = BoundedIntegerConverter
    app.request_class = CleanRequest
