"""Locale choice, formats, time zone, security headers, error pages, health check, throttling."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from flask import abort
from hypothesis import given
from hypothesis import strategies as st

from config import ProductionConfig
from smallgrants import create_app
from smallgrants.core.i18n import format_date, format_datetime, format_money, format_number
from smallgrants.core.phone import format_phone, normalize_phone
from smallgrants.core.security import safe_next
from smallgrants.core.timeutil import local_to_utc, to_local
from smallgrants.extensions import db

# --- language ---------------------------------------------------------------------------


def _h1(html: str) -> str:
    start = html.index("<h1")
    return html[html.index(">", start) + 1 : html.index("</h1>", start)]


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "Кіру"),
        ("ru-RU,ru;q=0.9", "Войти"),
        ("en-US,en;q=0.8", "Sign in"),
        ("de-DE", "Кіру"),
        ("kk-KZ,ru;q=0.5", "Кіру"),
    ],
)
def test_accept_language_is_the_first_guess(client, accept, expected):
    headers = {"Accept-Language": accept} if accept else {}
    assert _h1(client.get("/auth/login", headers=headers).text) == expected


def test_language_choice_is_remembered_in_the_session(client):
    response = client.post("/language", data={"locale": "ru", "next": "/auth/login"})
    assert response.headers["Location"] == "/auth/login"
    page = client.get("/auth/login", headers={"Accept-Language": "en"}).text
    assert _h1(page) == "Войти"
    assert '<html lang="ru">' in page


def test_language_switch_is_the_browsers_and_the_profile_is_the_accounts(
    app, client, auth, create_user
):
    """Switching the page's language does not rewrite the account's (its e-mail language);
    a language chosen before signing in stays after it; the profile changes the account's."""
    from smallgrants.auth.models import User
    from smallgrants.extensions import db

    user = create_user("a@example.kz", locale="kk")
    client.post("/language", data={"locale": "ru", "next": "/"})  # before signing in
    auth.login("a@example.kz")
    assert '<html lang="ru">' in client.get("/account/profile").text
    client.post("/language", data={"locale": "en", "next": "/"})
    with app.app_context():
        assert db.session.get(User, user.id).locale == "kk"
    # a new browser with no choice of its own: the account's language after sign-in
    other = app.test_client()
    other.post("/auth/login", data={"email": "a@example.kz", "password": "correct-horse-battery"})
    page = other.get("/account/profile").text
    assert '<html lang="kk">' in page
    # the profile is where the account's language changes
    response = client.post("/account/profile", data={"full_name": "A", "phone": "", "locale": "en"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(User, user.id).locale == "en"


def test_language_switch_ignores_unknown_language_and_foreign_next(client):
    response = client.post("/language", data={"locale": "xx", "next": "//evil.example"})
    assert response.headers["Location"] == "/"
    assert _h1(client.get("/auth/login").text) == "Кіру"


# --- formats ----------------------------------------------------------------------------


def test_money_and_numbers_per_locale(app):
    with app.test_request_context():
        assert format_money(300000, "kk") == "300\u00a0000\u00a0₸"
        assert format_money(300000, "ru") == "300\u00a0000\u00a0₸"
        assert format_money(300000, "en") == "300,000\u00a0₸"
        assert format_money(7000000, "kk") == "7\u00a0000\u00a0000\u00a0₸"
        assert format_number(19098, "kk") == "19\u00a0098"
        assert format_number(19098, "en") == "19,098"
        assert format_money(None) == ""
        with pytest.raises(ValueError, match="whole tenge"):
            format_money(1.5)


def test_times_are_shown_in_almaty_with_the_2024_change(app):
    with app.test_request_context():
        # UTC+6 until 1 March 2024, UTC+5 since
        assert format_datetime(datetime(2023, 8, 23, 9, 5, tzinfo=UTC), "kk") == "23.08.2023, 15:05"
        assert format_datetime(datetime(2026, 9, 30, 18, 59, tzinfo=UTC), "ru") == (
            "30.09.2026, 23:59"
        )
        assert format_datetime(datetime(2026, 9, 30, 18, 59, tzinfo=UTC), "en") == (
            "30 Sep 2026, 23:59"
        )
        assert format_date(date(2023, 8, 23), "ru") == "23 августа 2023\u202fг."
        assert format_date(date(2023, 8, 23), "kk") == "2023\u202fж. 23 тамыз"
        # a deadline typed as 30 September 23:59 Almaty time
        deadline = local_to_utc(datetime(2026, 9, 30, 23, 59))
        assert deadline == datetime(2026, 9, 30, 18, 59, tzinfo=UTC)
        assert to_local(deadline).strftime("%H:%M %z") == "23:59 +0500"


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("+7 701 234 56 78", "+77012345678"),
        ("8 (701) 234-56-78", "+77012345678"),
        ("7012345678", "+77012345678"),
        ("+7 (747) 111 22 33", "+77471112233"),
        ("8 7282 12 34 56", "+77282123456"),
        ("+7 999 123 45 67", None),
        ("12345", None),
        ("+7 701 234 56 789", None),
        ("", None),
    ],
)
def test_phone_normalisation(raw, e164):
    assert normalize_phone(raw) == e164


@given(
    st.sampled_from(["700", "701", "702", "705", "707", "708", "747", "771", "775", "778"]),
    st.integers(min_value=0, max_value=9_999_999),
)
def test_phone_display_round_trips(prefix, rest):
    e164 = f"+7{prefix}{rest:07d}"
    shown = format_phone(e164)
    assert shown == f"+7 ({prefix}) {rest:07d}"[:9] + shown[9:]
    assert normalize_phone(shown) == e164


# --- security ---------------------------------------------------------------------------


def test_security_headers_on_every_page(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_pages_have_no_inline_script_or_style(client):
    html = client.get("/auth/register").text
    assert "<script>" not in html
    assert " style=" not in html
    assert "<style" not in html


def test_session_cookie_is_httponly_and_samesite(client, create_user):
    create_user("a@example.kz")
    response = client.post(
        "/auth/login", data={"email": "a@example.kz", "password": "correct-horse-battery"}
    )
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/account/profile", "/account/profile"),
        ("/admin/audit?action=x", "/admin/audit?action=x"),
        ("https://evil.example/", "/"),
        ("//evil.example", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
        ("", "/"),
        (None, "/"),
        ("relative/path", "/"),
    ],
)
def test_safe_next(app, target, expected):
    with app.test_request_context():
        assert safe_next(target) == expected


def test_csrf_is_enforced_on_forms(app_config, smtp_server):
    app = create_app({**app_config, "WTF_CSRF_ENABLED": True})
    client = app.test_client()
    response = client.post("/auth/login", data={"email": "a@example.kz", "password": "x"})
    with app.app_context():
        db.engine.dispose()
    assert response.status_code == 400
    assert "Форманың мерзімі өтіп кетті." in response.text


def test_login_is_throttled_per_account(client, create_user):
    create_user("a@example.kz")
    for _ in range(5):
        response = client.post("/auth/login", data={"email": "a@example.kz", "password": "bad"})
        assert response.status_code == 200
    response = client.post("/auth/login", data={"email": "a@example.kz", "password": "bad"})
    assert response.status_code == 429
    assert "Әрекеттер тым көп" in response.text
    # another account from the same address is not locked out by this one
    response = client.post("/auth/login", data={"email": "b@example.kz", "password": "bad"})
    assert response.status_code == 200


def test_login_is_throttled_per_ip(app, client):
    app.config["LOGIN_LIMIT_PER_IP"] = "3 per minute"
    for n in range(3):
        response = client.post("/auth/login", data={"email": f"u{n}@example.kz", "password": "x"})
        assert response.status_code == 200
    response = client.post("/auth/login", data={"email": "u9@example.kz", "password": "x"})
    assert response.status_code == 429


def test_successful_logins_do_not_count_against_the_limit(client, auth, create_user):
    create_user("a@example.kz")
    for _ in range(7):
        assert auth.login("a@example.kz").status_code == 302
        auth.logout()


# --- errors and health ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "kk_title"),
    [
        (400, "Қате сұрау"),
        (403, "Рұқсат жоқ"),
        (404, "Бет табылмады"),
        (413, "Файл тым үлкен"),
        (429, "Әрекеттер тым көп"),
        (500, "Бірдеңе дұрыс болмады"),
    ],
)
def test_error_pages_are_translated(fresh_app, code, kk_title):
    app, client = fresh_app, fresh_app.test_client()  # the test adds a route
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get("/_test/error")
    def _error():
        if code == 500:
            raise RuntimeError("boom")
        abort(code)

    response = client.get("/_test/error")
    assert response.status_code == code
    assert f'<h1 class="h3">{kk_title}</h1>' in response.text
    ru = client.get("/_test/error", headers={"Accept-Language": "ru"})
    assert 'data-testid="error-page"' in ru.text


def test_upload_over_the_limit_gets_413(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 1000
    response = client.post("/auth/login", data={"email": "x" * 2000})
    assert response.status_code == 413
    assert "Файл тым үлкен" in response.text


def test_healthz_reports_database(client, app):
    response = client.get("/healthz")
    assert response.status_code == 200
    from smallgrants.extensions import db

    with app.app_context():
        dialect = db.engine.dialect.name
    assert response.get_json() == {
        "status": "ok",
        "database": "ok",
        "dialect": dialect,
        "rate_limits": "per-process",
    }


def test_healthz_reports_a_broken_database(app_config, smtp_server, tmp_path):
    app = create_app(
        {**app_config, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/missing/dir/x.sqlite"}
    )
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "error", "database": "unavailable"}


def test_production_refuses_to_start_without_a_real_secret_key(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY must be set"):
        ProductionConfig.validate()
    monkeypatch.setenv("SECRET_KEY", "short")
    with pytest.raises(RuntimeError):
        ProductionConfig.validate()
    monkeypatch.setenv("SECRET_KEY", "x" * 64)
    ProductionConfig.validate()


def test_bootstrap_is_served_from_our_own_files(client):
    html = client.get("/").text
    assert "/static/vendor/bootstrap/bootstrap.min.css" in html
    assert "cdn" not in html.lower()
    for name in ("bootstrap.min.css", "bootstrap.bundle.min.js"):
        with client.get(f"/static/vendor/bootstrap/{name}") as response:
            assert response.status_code == 200
            assert b"Bootstrap" in response.data[:100]
            assert b"v5.3." in response.data[:100]


def test_every_deadline_holds_through_its_last_second():
    """One rule (`within_deadline`) for the application window, report due dates and
    reminders: 23:59:59.999999 Almaty is in time for 23:59(:59), 00:00:00 is late."""
    from smallgrants.core.timeutil import deadline_second, within_deadline
    from smallgrants.grants.models import Report, ReportPeriod, ReportStatus
    from smallgrants.grants.queries import is_overdue

    due = datetime(2030, 9, 30, 18, 59, 59, tzinfo=UTC)  # 30.09 23:59:59 Almaty
    last = datetime(2030, 9, 30, 18, 59, 59, 999999, tzinfo=UTC)
    midnight = datetime(2030, 9, 30, 19, 0, 0, tzinfo=UTC)
    assert (within_deadline(due, last), within_deadline(due, midnight)) == (True, False)
    assert deadline_second(last) == due
    report = Report(status=ReportStatus.DRAFT, period=ReportPeriod(due_at=due))
    assert (is_overdue(report, last), is_overdue(report, midnight)) == (False, True)
    report.status = ReportStatus.SUBMITTED
    assert is_overdue(report, midnight) is False


@pytest.mark.parametrize(
    "url",
    [
        "/competitions/99999999999999999999999999",
        "/competitions/2147483648",
        "/competitions/0",
        "/applications/99999999999999999999999999",
        "/grants/9223372036854775808",
    ],
)
def test_an_id_beyond_the_column_is_not_found(client, auth, create_user, url):
    auth.as_user(create_user("a@example.kz"))
    response = client.get(url)
    assert response.status_code == 404
    assert "Бет табылмады" in response.text


def test_nul_characters_never_reach_the_database(app, client):
    """PostgreSQL refuses NUL in text; every query and form value comes in without it."""
    response = client.post(
        "/auth/register",
        data={
            "full_name": "Дана\x00 Жұмабаева",
            "email": "dana@example.kz\x00",
            "password": "long-enough-1",
            "password_confirm": "long-enough-1",
            "consent": "y",
        },
    )
    assert response.status_code == 302
    from smallgrants.auth.models import User

    with app.app_context():
        user = db.session.scalars(db.select(User)).one()
        assert (user.full_name, user.email) == ("Дана Жұмабаева", "dana@example.kz")


def test_an_id_in_a_form_beyond_the_column_is_no_id(
    app, client, auth, create_user, create_competition
):
    competition = create_competition(published=True)
    auth.as_user(create_user("a@example.kz"))
    for value in ("1" + "0" * 30, "2147483648", "-1", "0", "x"):
        response = client.post(f"/competitions/{competition.id}/apply", data={"profile_id": value})
        assert response.status_code == 400, value


def test_a_refusal_rolls_the_request_back_by_itself(fresh_app):
    """A service that wrote, then refused: the view shows the refusal with 200 and calls
    nothing special, and what the service wrote is not committed."""
    from flask import flash

    from smallgrants.auth import services as auth_services
    from smallgrants.auth.models import User
    from smallgrants.core.services import ServiceError

    app = fresh_app

    @app.post("/_test/refuse")
    def _refuse():
        try:
            auth_services.create_user("half@example.kz", "long-enough-password")
            db.session.flush()
            raise ServiceError("refused after writing")
        except ServiceError as error:
            flash(str(error.message), "danger")
        return "shown with 200"

    response = app.test_client().post("/_test/refuse")
    assert (response.status_code, response.text) == (200, "shown with 200")
    with app.app_context():
        assert db.session.scalars(db.select(User.email)).all() == []


def test_names_are_quoted_once(app, client, auth, create_user):
    """A name that already has its quotes keeps them («Жастар үні» тобы), another gets the
    page language's; the profile's saved message shows it so."""
    from smallgrants.core.i18n import quoted

    with app.test_request_context():
        assert quoted("«Жастар үні» тобы") == "«Жастар үні» тобы"
        assert quoted("Жарқын") == "«Жарқын»"
        assert quoted('"Жарқын" ҚБ') == '"Жарқын" ҚБ'
    auth.as_user(create_user("a@example.kz"))
    response = client.post(
        "/profiles/new/group",
        data={
            "name": "«Жастар үні» тобы",
            "head_name": "Дана",
            "leader_iin": "791028302728",
            "phone": "+7 701 234 5678",
            "members-0-full_name": "Дана",
            "members-1-full_name": "Әлия",
            "members-2-full_name": "Тимур",
        },
        follow_redirects=True,
    )
    assert "«Жастар үні» тобы профилі сақталды." in response.text
    assert "««" not in response.text


def test_a_long_select_writes_the_same_html_as_wtforms(app):
    """`LongSelect` (a choice among hundreds) renders exactly what WTForms' Select does."""
    from wtforms import Form, SelectField
    from wtforms.fields.choices import SelectChoice
    from wtforms.widgets import Select

    from smallgrants.core.forms import LongSelect

    pairs = [("1", "«Жастар» & <b>"), ("2", 'Say "hi"'), ("30", ""), ("x&y", "Әй")]
    choices = [SelectChoice(value, label) for value, label in pairs]

    class Plain(Form):
        pick = SelectField(choices=choices, coerce=str, widget=Select())

    class Long(Form):
        pick = SelectField(choices=choices, coerce=str, widget=LongSelect())

    for data in ({}, {"pick": "2"}, {"pick": "x&y"}):
        plain, long = Plain(data=data), Long(data=data)
        assert str(long.pick(class_="form-select")) == str(plain.pick(class_="form-select"))
    assert 'selected value="2"' in str(Long(data={"pick": "2"}).pick())
    assert "&lt;b&gt;" in str(Long().pick())

    # plain (value, label) pairs, as the attach form gives them: WTForms' HTML, the choice
    # made each time
    numbered = [(1, "«Жастар» & <b>"), (2, 'Say "hi"'), (30, ""), (4, "Әй")]

    class PlainPairs(Form):
        pick = SelectField(choices=[], coerce=int, widget=Select())

    class LongPairs(Form):
        pick = SelectField(choices=[], coerce=int, widget=LongSelect())

    def pick(form_class, data=None, **kwargs) -> str:
        form = form_class(data=data or {})
        form.pick.choices = list(numbered)  # as the view sets them
        return str(form.pick(**kwargs))

    for data in ({}, {"pick": 2}, {"pick": 30}, {"pick": 2}, {}):
        expected = pick(PlainPairs, data, id="pick-7", class_="form-select")
        assert pick(LongPairs, data, id="pick-7", class_="form-select") == expected
    assert pick(LongPairs, {"pick": 30}).count("selected") == 1
    assert '<option selected value="30">30</option>' in pick(LongPairs, {"pick": 30})
    assert "selected" not in pick(LongPairs)
