"""Locale choice and the formats people read: numbers, money, dates in Asia/Almaty."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache

from babel.dates import format_date as babel_format_date
from babel.dates import format_datetime as babel_format_datetime
from babel.numbers import format_decimal
from flask import current_app, has_request_context, request, session, url_for
from flask_babel import get_locale, get_translations
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from jinja2 import pass_context

from smallgrants.core.timeutil import local_zone, utcnow

NBSP = "\u00a0"
CURRENCY_SIGN = "₸"

# Each language is named in itself: a person looks for their own language's name.
LANGUAGE_NAMES = {"kk": "Қазақша", "ru": "Русский", "en": "English"}


def select_locale() -> str:
    """Session choice, then the profile, then Accept-Language, then Kazakh."""
    languages = current_app.config["LANGUAGES"]
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    if not has_request_context():
        return default
    chosen = session.get("locale")
    if chosen in languages:
        return chosen
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    return match_accept_language(request.accept_languages, languages) or default


def match_accept_language(accepted, languages) -> str | None:
    """The visitor's most preferred language we have, by primary tag (`kk-KZ` → kk).

    Werkzeug's best_match prefers any exact match over a regional one, so
    `kk-KZ,ru;q=0.5` would give Russian to a Kazakh phone.
    """
    for value, quality in accepted:  # already sorted by quality
        primary = value.split("-")[0].split("_")[0].lower()
        if quality > 0 and primary in languages:
            return primary
    return None


def select_timezone() -> str:
    return current_app.config["TIMEZONE"]


def translator():
    """flask_babel's `gettext` bound to the current language's catalogue, for code that
    translates hundreds of texts in one go (a report's checks): the same translation and
    formatting, without looking the request's language up again for each text. Bind it as
    `_ = translator()` so that the texts are still extracted."""
    translations = get_translations()

    def gettext(string: str, **variables) -> str:
        text = translations.ugettext(string)
        return text % variables if variables else text

    return gettext


def current_locale() -> str:
    return str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])


def format_number(value: int | Decimal | float | None, locale: str | None = None) -> str:
    """`19098` → `19 098` in kk/ru (no-break space), `19,098` in en."""
    if value is None:
        return ""
    if isinstance(value, int):  # amounts and counts repeat down a list: remembered
        return _decimal_text(value, locale or current_locale())
    return format_decimal(value, locale=locale or current_locale())


@lru_cache(maxsize=8192)
def _decimal_text(value: float | int, locale: str) -> str:
    return format_decimal(value, locale=locale)


def format_score(value, locale: str | None = None) -> str:
    """A score as the pages and protocols show it: at most two decimals (`76.67`, kk
    `76,67`), `—` when there is none (docs/scoring.md: exact until shown). Remembered per
    value: a ranking shows thousands of them."""
    if value is None:
        return "—"
    return _decimal_text(round(float(value), 2), locale or current_locale())


def format_money(value: int | None, locale: str | None = None) -> str:
    """Whole tenge: `300000` → `300 000 ₸` (no-break spaces, so it never wraps)."""
    if value is None:
        return ""
    if isinstance(value, float | Decimal) and value != int(value):
        raise ValueError("money is whole tenge")
    return f"{format_number(int(value), locale)}{NBSP}{CURRENCY_SIGN}"


def format_datetime(value: datetime | None, locale: str | None = None) -> str:
    """An aware UTC datetime in Almaty time, e.g. kk `23.08.2023, 14:05`."""
    if value is None:
        return ""
    loc = locale or current_locale()
    if loc != "en":  # digits only: no need for Babel's pattern machinery (a list has 1 000)
        return value.astimezone(local_zone()).strftime("%d.%m.%Y, %H:%M")
    return babel_format_datetime(value, "d MMM y, HH:mm", tzinfo=local_zone(), locale=loc)


def format_date(value: date | datetime | None, locale: str | None = None) -> str:
    """A date as people in the locale write it: kk `2023 ж. 23 тамыз`, ru `23 августа 2023 г.`."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(local_zone()).date()
    return _date_text(value, locale or current_locale())


@lru_cache(maxsize=4096)
def _date_text(value: date, locale: str) -> str:
    """Remembered: a list of events repeats its dates, and Babel's long pattern is slow."""
    return babel_format_date(value, "long", locale=locale)


ROLE_LABELS = {
    "applicant": _l("Applicant"),
    "commission_member": _l("Commission member"),
    "coordinator": _l("Coordinator"),
    "admin": _l("Administrator"),
    "operator": _l("Programme operator"),
}


def page_url(number: int) -> str:
    """The current page with its filters and another page number."""
    args = {**(request.view_args or {}), **request.args.to_dict(), "page": number}
    return url_for(request.endpoint, **args)


def _in_page_locale(format_value):
    """A formatting filter in the page's language: the `current_locale` the page was
    rendered with (`inject_i18n`, looked up once per page) unless a locale is given — a
    table of a thousand numbers does not ask the request for its language a thousand
    times. A macro imported without the context asks for it (`current_locale()`)."""

    @pass_context
    def formatted(context, value, locale: str | None = None) -> str:
        return format_value(value, locale or context.get("current_locale"))

    return formatted


def register_template_helpers(app) -> None:
    app.add_template_filter(_in_page_locale(format_number), "number")
    app.add_template_filter(_in_page_locale(format_money), "money")
    app.add_template_filter(_in_page_locale(format_score), "score")
    app.add_template_filter(_in_page_locale(format_datetime), "datetime")
    app.add_template_filter(_in_page_locale(format_date), "date")
    # a global, not a context value: the pager macro is imported without the context
    app.jinja_env.globals["page_url"] = page_url
    app.jinja_env.globals["now_utc"] = utcnow
    app.add_template_filter(quoted, "quoted")

    @app.context_processor
    def inject_i18n():
        return {
            "current_locale": current_locale(),
            "language_names": LANGUAGE_NAMES,
            "role_labels": ROLE_LABELS,
        }


OPENING_QUOTES = ("«", '"', "“", "„", "'")


def quoted(text: str) -> str:
    """A name in the page language's quotes («…» in Kazakh and Russian, “…” in English),
    unless it already opens with a quote of its own — «Жастар үні» тобы stays as typed,
    never ««Жастар үні» тобы»."""
    text = str(text or "")
    if text.startswith(OPENING_QUOTES):
        return text
    return f"“{text}”" if current_locale() == "en" else f"«{text}»"
