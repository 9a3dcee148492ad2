"""Alphabetical order in the reader's language, in SQL, so that sorting and paging agree.

Kazakh order is А Ә Б В Г Ғ Д Е Ё Ж З И Й К Қ Л М Н Ң О Ө П Р С Т У Ұ Ү Ф Х Һ Ц Ч Ш Щ Ъ Ы І
Ь Э Ю Я; a byte order (PostgreSQL's C.UTF-8, SQLite's BINARY) puts every Kazakh letter after
Я. Both databases sort with the same ICU collations (PyICU's ICU on SQLite, PostgreSQL's
ICU): on PostgreSQL they are created by migration 0017 (`CREATE COLLATION … provider = icu`),
on SQLite registered on each connection (`register_sqlite`, called by `core.db`).
`collate(column)` is the one way a query asks for alphabetical order; `sort_key` orders
lists that never reach the database (districts from `core.geography`) the same way.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import icu
from sqlalchemy import ColumnElement

from smallgrants.core.i18n import current_locale

# interface language → ICU locale; the collation of each is named sg_<language>
ICU_LOCALES = {"kk": "kk-KZ", "ru": "ru-RU", "en": "en-US"}
DEFAULT = "kk"


def name_of(language: str) -> str:
    """The SQL name of a language's collation (the page's language, Kazakh if unknown)."""
    return f"sg_{language if language in ICU_LOCALES else DEFAULT}"


@functools.cache
def collator(language: str) -> icu.Collator:
    return icu.Collator.createInstance(icu.Locale.forLanguageTag(ICU_LOCALES[language]))


def sort_key(language: str) -> Callable[[str], bytes]:
    """A key for `sorted` in the same order as `collate` in SQL."""
    c = collator(language if language in ICU_LOCALES else DEFAULT)
    return lambda text: c.getSortKey(text or "")


def collate(column, language: str | None = None) -> ColumnElement:
    """`column COLLATE sg_<language>`, the page's language unless given."""
    return column.collate(name_of(current_locale() if language is None else language))


def register_sqlite(dbapi_connection) -> None:
    """Each language's ICU collator as an SQLite collation of the same name."""
    for language in ICU_LOCALES:
        c = collator(language)
        dbapi_connection.create_collation(
            name_of(language), lambda a, b, c=c: c.compare(a or "", b or "")
        )
