"""URL converters: an `<int:…>` id in an address fits an INTEGER column, so that an address
typed with a 30-digit number is a 404, not a database overflow."""

from __future__ import annotations

from werkzeug.routing import IntegerConverter

INT_MAX = 2_147_483_647


class BoundedIntegerConverter(IntegerConverter):
    def __init__(self, map, fixed_digits=0, min=1, max=INT_MAX, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def init_app(app) -> None:
    """Before any blueprint: rules compile their converters when they are added."""
    app.url_map.converters["int"] = BoundedIntegerConverter
