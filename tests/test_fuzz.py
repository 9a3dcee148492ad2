"""Every form of the product, fuzzed: Hypothesis posts random and malformed values (huge,
negative, empty, unicode, control characters, repeated keys, unknown names) to every POST
route as a person allowed to use it, on the authorization matrix's world. No input of any
size or shape may give a server error. Each route's examples run in one transaction that
is rolled back."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
import wtforms
from flask_wtf import FlaskForm
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from tests.conftest import AuthActions
from tests.test_authorization import MATRIX, ROLES, _cases

ALLOWED = (200, 302, 400)  # the person may use the route (400: the empty form is refused)
# who posts, in this order of preference: the owner of the objects first
POSTERS = ("applicant", "coordinator", "member", "admin")


def _field_names(app) -> list[str]:
    """Every field name of every form class, FieldList rows included."""

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    names: set[str] = set()
    with app.test_request_context():
        for cls in subclasses(FlaskForm):
            try:
                form = cls(meta={"csrf": False})
            except TypeError:  # a form that needs arguments (ProfileForm: its kind)
                form = cls(meta={"csrf": False}, kind="group")
            for field in form:
                names.add(field.name)
                if isinstance(field, wtforms.FieldList):
                    for entry in field.entries:  # rows of sub-forms, or of single fields
                        if isinstance(entry, wtforms.FormField):
                            names.update(sub.name for sub in entry)
                        else:
                            names.add(entry.name)
    return sorted(names)


ODD_VALUES = [
    "",
    " ",
    "0",
    "-1",
    "2147483647",
    "2147483648",
    "9" * 40,
    "-9" * 20,
    "1e309",
    "NaN",
    "0x1F",
    "²",
    "٣",
    "1_000",
    "300 000,00",
    "2023-13-45",
    "2023-09-30T23:59",
    "9999-12-31T23:59",
    "0001-01-01",
    "\x00",
    "\u202e",
    "ж" * 5000,
    "<script>alert(1)</script>",
    "'; DROP TABLE users; --",
    "on",
    "yes",
    "submit",
    "save",
    "delete",
    "award",
    "reject",
    "admissible",
    "in_person",
    "kk",
    "ru",
    "en",
    "ngo",
    "group",
    "other",
]


def _key(names):
    """A field of the form (again: keys may repeat), or a name no form has."""
    return st.one_of(st.sampled_from(names), st.text(max_size=12))


def _value():
    return st.one_of(
        st.sampled_from(ODD_VALUES),
        st.text(max_size=40),
        st.integers(min_value=-(10**30), max_value=10**30).map(str),
    )


POST_CASES = []
for key in sorted(MATRIX):
    if key[1] != "POST":
        continue
    for url_template, statuses in _cases(key):
        poster = next((r for r in POSTERS if statuses[r] in ALLOWED), None)
        if poster is not None:
            POST_CASES.append((key[0], url_template, poster))
            break


class _Forms(HTMLParser):
    """The forms of a page: action → [(name, value)] as the browser would post them."""

    def __init__(self, page_path: str):
        super().__init__()
        self.page_path = page_path  # a form without an action posts to its own page
        self.forms: dict[str, list[tuple[str, str]]] = {}
        self._action: str | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "get").lower() == "post":
            self._action = urlsplit(a.get("action") or "").path or self.page_path
            self.forms.setdefault(self._action, [])
        elif self._action is None or ("name" not in a and tag != "option"):
            return
        elif tag == "input" and a.get("type") not in ("submit", "button", "file", "hidden"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.forms[self._action].append((a["name"], a.get("value") or ""))
        elif tag == "input" and a.get("type") == "hidden" and a["name"] != "csrf_token":
            self.forms[self._action].append((a["name"], a.get("value") or ""))
        elif tag == "select":
            self._select = a["name"]
        elif tag == "option" and self._select is not None:
            self.forms[self._action].append((self._select, a.get("value") or ""))
            self._select = None  # the first option, as a browser would send by default
        elif tag == "textarea":
            self._textarea = a["name"]
            self.forms[self._action].append((a["name"], ""))
        elif tag == "button" and a.get("name"):
            self.forms[self._action].append((a["name"], a.get("value") or ""))

    def handle_data(self, data):
        if self._textarea is not None and self._action is not None:
            name, _ = self.forms[self._action][-1]
            self.forms[self._action][-1] = (name, data)

    def handle_endtag(self, tag):
        if tag == "form":
            self._action = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


@pytest.fixture
def app(matrix_app):
    """The matrix's world, each route's examples in a transaction rolled back afterwards."""
    return matrix_app


@pytest.fixture(scope="session")
def page_forms(matrix_world):
    """(role, action path) → the fields of that form as its page shows them: the baseline
    each example starts from, so that a mutation reaches the field it hits."""
    app, built = matrix_world
    found: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for role in POSTERS:
        client = app.test_client()
        AuthActions(client).as_user(built.users[role])
        for key in sorted(MATRIX):
            if key[1] != "GET":
                continue
            for template, statuses in _cases(key):
                if statuses[role] != 200:
                    continue
                url = template.format(**{n: built.ids[n] for n in re.findall(r"{(\w+)}", template)})
                response = client.get(url)
                if "text/html" not in response.content_type:
                    continue
                parser = _Forms(urlsplit(url).path)
                parser.feed(response.text)
                for action, fields in parser.forms.items():
                    found.setdefault((role, action), fields)
    return found


def test_every_post_route_is_fuzzed():
    posted = {endpoint for endpoint, _url, _role in POST_CASES}
    every = {key[0] for key in MATRIX if key[1] == "POST"}
    # routes nobody signed in may use with a form are the anonymous ones (sign-in, …)
    anonymous_only = {
        key[0]
        for key in MATRIX
        if key[1] == "POST"
        and all(statuses[r] not in ALLOWED for _u, statuses in _cases(key) for r in POSTERS)
    }
    assert every - posted == anonymous_only
    # the other organisation's coordinator posts as a coordinator; operators post nothing
    assert len(ROLES) == 12


def test_the_forms_are_read_from_their_pages(page_forms):
    """The baselines are real: the application form, the budget rows and the sheet."""
    names = {name for fields in page_forms.values() for name, _ in fields}
    assert {"title", "budget-0-quantity", "budget-0-unit_cost", "grant_amount"} <= names


@pytest.mark.parametrize(
    ("endpoint", "url_template", "role"), POST_CASES, ids=[c[0] for c in POST_CASES]
)
def test_no_input_gives_a_server_error(
    app, client, auth, matrix_world, page_forms, endpoint, url_template, role
):
    users, ids = matrix_world[1].users, matrix_world[1].ids
    url = url_template.format(**{n: ids[n] for n in re.findall(r"{(\w+)}", url_template)})
    auth.as_user(users[role])
    baseline = page_forms.get((role, urlsplit(url).path), [])
    names = [name for name, _ in baseline] or _field_names(app)

    @settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        database=None,
    )
    @given(
        st.dictionaries(st.sampled_from(names), _value(), max_size=4),
        st.lists(st.tuples(_key(names), _value()), max_size=4),
    )
    def post(changes, extra):
        pairs = [(name, changes.get(name, value)) for name, value in baseline]
        pairs += [(n, v) for n, v in changes.items() if n not in dict(baseline)]
        response = client.post(url, data=MultiDict(pairs + extra))
        assert response.status_code < 500, (url, pairs + extra)

    post()
