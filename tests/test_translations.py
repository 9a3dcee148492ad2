"""Every visible string is translated: catalogues complete and current, templates clean."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from jinja2 import Environment

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "smallgrants" / "translations"
TEMPLATES = ROOT / "templates"
LOCALES = ("kk", "ru")
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None}
METHOD_MAP = [
    ("smallgrants/**.py", "python"),
    ("config.py", "python"),
    ("templates/**.html", "jinja2"),
    ("templates/**.txt", "jinja2"),
]
# Attributes a person reads (or hears from a screen reader).
VISIBLE_ATTRIBUTES = {"title", "alt", "placeholder", "aria-label", "label"}


def _catalog(locale: str):
    with open(TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po", "rb") as f:
        return read_po(f, locale=locale)


def _source_messages() -> set[str]:
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), METHOD_MAP, keywords=KEYWORDS
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


@pytest.mark.parametrize("locale", LOCALES)
def test_catalog_has_no_untranslated_or_fuzzy_message(locale):
    bad = [
        m.id
        for m in _catalog(locale)
        if m.id and (m.fuzzy or not (all(m.string) if isinstance(m.string, tuple) else m.string))
    ]
    assert bad == []


@pytest.mark.parametrize("locale", LOCALES)
def test_catalog_contains_every_message_in_the_sources(locale):
    catalog = {m.id if isinstance(m.id, str) else m.id[0] for m in _catalog(locale) if m.id}
    missing = sorted(_source_messages() - catalog)
    assert missing == [], "run `make extract-messages` and translate the new strings"


@pytest.mark.parametrize("locale", LOCALES)
def test_translations_keep_their_placeholders(locale):
    placeholder = re.compile(r"%\(\w+\)s")
    for m in _catalog(locale):
        if m.id and isinstance(m.id, str):
            assert sorted(placeholder.findall(m.id)) == sorted(placeholder.findall(m.string)), m.id


class _VisibleText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_data(self, data):
        if any(ch.isalpha() for ch in data):
            self.found.append(data.strip())

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in VISIBLE_ATTRIBUTES and value and any(ch.isalpha() for ch in value):
                self.found.append(f"{name}={value}")


def _template_literal_text(path: Path) -> list[str]:
    """Text a template shows that does not come from an expression or a tag."""
    env = Environment(extensions=["jinja2.ext.i18n"], autoescape=True)
    source = path.read_text(encoding="utf-8")
    pieces = []
    for _lineno, token_type, value in env.lex(source):
        if token_type == "data":
            pieces.append(value)
        else:
            pieces.append(" ")  # an expression or tag: its output is not literal
    text = "".join(pieces)
    if path.suffix == ".txt":
        return [line.strip() for line in text.splitlines() if any(ch.isalpha() for ch in line)]
    parser = _VisibleText()
    parser.feed(text)
    return parser.found


TEMPLATE_FILES = sorted(p for p in TEMPLATES.rglob("*") if p.suffix in {".html", ".txt"})


@pytest.mark.parametrize("path", TEMPLATE_FILES, ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_template_has_no_untranslated_text(path):
    assert _template_literal_text(path) == []


def test_template_check_catches_plain_text(tmp_path):
    sample = tmp_path / "sample.html"
    sample.write_text('<p>Hello</p><input placeholder="Name"><p>{{ _("Fine") }}</p>')
    assert _template_literal_text(sample) == ["Hello", "placeholder=Name"]


def test_no_gettext_call_hides_inside_an_f_string():
    """Babel's extractor does not look inside f-strings: `f"{_('Date')}: …"` would reach the
    reader untranslated while every catalogue check passes. Name the text first."""
    pattern = re.compile(r"\{\s*(_|gettext|_l|lazy_gettext)\(")
    offenders = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in sorted((ROOT / "smallgrants").rglob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert offenders == []
