"""The navigation bar (core/navigation.py) is kept per language, rights and name; the form
token and the way back after a change of language are this request's own."""

from __future__ import annotations

import re

from smallgrants.auth.models import Role

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
NEXT = re.compile(r'name="next" value="([^"]*)"')


def _bar(html: str) -> str:
    return html[html.index("<nav") : html.index("</nav>")]


def test_each_browser_gets_its_own_token_in_the_kept_bar(app, create_user):
    """Two visitors, the same kept bar: each token is the browser's own and works only
    there (CSRF on, as in production)."""
    app.config["WTF_CSRF_ENABLED"] = True
    one, two = app.test_client(), app.test_client()
    first = one.get("/competitions").text
    second = two.get("/competitions").text
    token_one, token_two = TOKEN.findall(_bar(first))[0], TOKEN.findall(_bar(second))[0]
    assert token_one != token_two
    assert "\x00" not in first and "\x00" not in second
    assert _bar(first).replace(token_one, "") == _bar(second).replace(token_two, "")
    # the language switch posts with the token of its page: the other browser's is refused
    assert two.post("/language", data={"csrf_token": token_one, "locale": "ru"}).status_code == 400
    answer = one.post(
        "/language", data={"csrf_token": token_one, "locale": "ru", "next": "/competitions"}
    )
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/competitions")
    assert 'lang="ru"' in one.get("/competitions").text
    assert 'lang="kk"' in two.get("/competitions").text


def test_the_way_back_is_this_page_with_its_query(client):
    html = client.get("/competitions?region=KZ-33&page=2").text
    assert NEXT.findall(_bar(html)) == ["/competitions?region=KZ-33&amp;page=2"]
    html = client.get("/auth/login").text
    assert NEXT.findall(_bar(html)) == ["/auth/login"]


def test_the_bar_follows_the_name_and_the_rights_of_whoever_reads_it(
    app, client, auth, create_user
):
    """A name is escaped; a coordinator sees Management and an applicant does not; a role
    taken away changes the bar on the next request."""
    from smallgrants.auth import services as auth_services
    from smallgrants.extensions import db

    applicant = create_user("a@example.kz", full_name="<b>Айгүл</b> & Co")
    coordinator = create_user("c@example.kz", full_name="Дина", roles=(Role.COORDINATOR,))
    auth.as_user(applicant)
    bar = _bar(client.get("/").text)
    assert "&lt;b&gt;Айгүл&lt;/b&gt; &amp; Co" in bar and "<b>Айгүл" not in bar
    assert 'data-testid="nav-manage"' not in bar
    auth.as_user(coordinator)
    bar = _bar(client.get("/").text)
    assert ">Дина</button>" in bar and 'data-testid="nav-manage"' in bar
    with app.app_context():
        from smallgrants.auth.models import User

        user = db.session.get(User, coordinator.id)
        assert auth_services.revoke_role(user, Role.COORDINATOR, actor=None)
        db.session.commit()
    bar = _bar(client.get("/").text)
    assert ">Дина</button>" in bar and 'data-testid="nav-manage"' not in bar


def test_signed_out_the_bar_has_sign_in_and_no_name(client, auth, create_user):
    user = create_user("d@example.kz", full_name="Ерлан")
    auth.as_user(user)
    assert "Ерлан" in _bar(client.get("/").text)
    client.post("/auth/logout")
    bar = _bar(client.get("/").text)
    assert "Ерлан" not in bar and 'href="/auth/login"' in bar
