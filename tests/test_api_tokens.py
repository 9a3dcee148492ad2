"""Personal access tokens for the read-only API: made by coordinators and operators, shown
once, stored as their SHA-256 only, with an expiry and revocation; erased with the account."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

from sqlalchemy import select, update

from smallgrants.auth import services
from smallgrants.auth.models import ApiToken, Role, User
from smallgrants.core.timeutil import utcnow
from smallgrants.extensions import db
from tests.conftest import PASSWORD

TOKEN = re.compile(r'id="new-token-value" value="(sg_[A-Za-z0-9_-]{43})"')


def _make(client, name: str = "Дашборд", days: str = "90") -> str:
    response = client.post("/account/tokens", data={"name": name, "days": days})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"
    found = TOKEN.search(response.text)
    assert found, response.text
    return found.group(1)


def test_a_token_is_shown_once_and_kept_only_as_its_hash(app, client, auth, create_user):
    coordinator = create_user("c@example.kz", roles=(Role.COORDINATOR,))
    auth.as_user(coordinator)
    token = _make(client)
    page = client.get("/account/tokens").text
    assert token not in page
    assert f"<code>{token[:9]}…</code>" in page
    with app.app_context():
        row = db.session.scalars(select(ApiToken)).one()
        assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
        assert (row.user_id, row.name, row.prefix) == (coordinator.id, "Дашборд", token[:9])
        assert timedelta(days=89, hours=23) < row.expires_at - utcnow() <= timedelta(days=90)
        assert services.user_for_token(token).id == coordinator.id
        assert services.user_for_token(token[:-1] + ("A" if token[-1] != "A" else "B")) is None
        assert services.user_for_token("Bearer " + token) is None


def test_a_bad_form_keeps_the_values_and_makes_nothing(app, client, auth, create_user):
    auth.as_user(create_user("o@example.kz", roles=(Role.OPERATOR,)))
    response = client.post("/account/tokens", data={"name": "", "days": "7"})
    assert response.status_code == 400
    assert "new-token" not in response.text
    assert "Бұл өрісті толтыру міндетті." in response.text
    response = client.post("/account/tokens", data={"name": "x" * 101, "days": "365"})
    assert response.status_code == 400
    assert 'value="' + "x" * 101 + '"' in response.text
    with app.app_context():
        assert db.session.scalars(select(ApiToken)).all() == []


def test_an_expired_or_revoked_token_opens_nothing(app, client, auth, create_user):
    owner = create_user("c@example.kz", roles=(Role.COORDINATOR,))
    other = create_user("d@example.kz", roles=(Role.COORDINATOR,))
    auth.as_user(owner)
    first, second = _make(client, "Бір", "30"), _make(client, "Екі", "365")
    with app.app_context():
        ids = dict(db.session.execute(select(ApiToken.name, ApiToken.id)).all())
        db.session.execute(
            update(ApiToken)
            .where(ApiToken.id == ids["Бір"])
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )
        db.session.commit()
        assert services.user_for_token(first) is None
        assert services.user_for_token(second).id == owner.id
    auth.as_user(other)  # another's token is not there for them
    assert client.post(f"/account/tokens/{ids['Екі']}/revoke").status_code == 404
    auth.as_user(owner)
    assert client.post(f"/account/tokens/{ids['Екі']}/revoke").status_code == 302
    assert client.post(f"/account/tokens/{ids['Екі']}/revoke").status_code == 404
    page = client.get("/account/tokens").text
    assert "кері қайтарылды:" in page and "мерзімі өтті:" in page
    assert 'action="/account/tokens/' not in page  # nothing left to revoke
    with app.app_context():
        assert services.user_for_token(second) is None


def test_a_token_of_a_deactivated_or_erased_account_opens_nothing(app, client, auth, create_user):
    owner = create_user("c@example.kz", roles=(Role.COORDINATOR,))
    auth.as_user(owner)
    token = _make(client)
    with app.app_context():
        user = db.session.get(User, owner.id)
        user.active = False
        db.session.commit()
        assert services.user_for_token(token) is None
        user.active = True
        db.session.commit()
        assert services.user_for_token(token).id == owner.id
        assert services.personal_data(user)["api_tokens"][0]["prefix"] == token[:9]
        services.erase_account(user, PASSWORD)
        db.session.commit()
        assert db.session.scalars(select(ApiToken)).all() == []
        assert services.user_for_token(token) is None


def test_only_coordinators_and_operators_make_tokens(client, auth, create_user):
    auth.as_user(create_user("a@example.kz"))
    assert client.get("/account/tokens").status_code == 403
    assert 'data-testid="api-tokens"' not in client.get("/account/profile").text
    auth.as_user(create_user("o@example.kz", roles=(Role.OPERATOR,)))
    assert 'data-testid="api-tokens"' in client.get("/account/profile").text
