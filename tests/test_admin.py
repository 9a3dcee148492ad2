"""Administration: role changes in the UI, the audit log page and its filters, user search."""

from __future__ import annotations

import re

from sqlalchemy import select

from smallgrants.auth.models import Role, User
from smallgrants.core.models import AuditLog
from smallgrants.extensions import db


def _roles(app, user_id: int) -> set[str]:
    with app.app_context():
        return {r.value for r in db.session.get(User, user_id).roles}


def test_admin_grants_and_revokes_a_role(app, client, auth, users):
    auth.as_user(users["admin"])
    target = users["applicant"]
    response = client.post(
        f"/admin/users/{target.id}/roles",
        data={"role": "coordinator", "action": "grant"},
        follow_redirects=True,
    )
    assert "Applicant@Example.Kz" not in response.text
    assert "applicant@example.kz пайдаланушысына «Үйлестіруші» рөлі берілді." in response.text
    assert _roles(app, target.id) == {"applicant", "coordinator"}

    client.post(f"/admin/users/{target.id}/roles", data={"role": "coordinator", "action": "revoke"})
    assert _roles(app, target.id) == {"applicant"}

    with app.app_context():
        entries = db.session.scalars(
            select(AuditLog)
            .where(AuditLog.action.like("user.role_%"), AuditLog.object_id == str(target.id))
            .order_by(AuditLog.id)
        ).all()
        assert [(e.action, e.actor_id, e.object_id, e.payload) for e in entries] == [
            ("user.role_grant", users["admin"].id, str(target.id), {"role": "coordinator"}),
            ("user.role_revoke", users["admin"].id, str(target.id), {"role": "coordinator"}),
        ]


def test_the_last_admin_keeps_the_role(app, client, auth, users):
    admin = users["admin"]
    auth.as_user(admin)
    response = client.post(
        f"/admin/users/{admin.id}/roles",
        data={"role": "admin", "action": "revoke"},
        follow_redirects=True,
    )
    assert "Соңғы әкімшіден бұл рөлді алуға болмайды." in response.text
    assert _roles(app, admin.id) == {"applicant", "admin"}


def test_applicant_role_cannot_be_granted_or_revoked(client, auth, users):
    auth.as_user(users["admin"])
    response = client.post(
        f"/admin/users/{users['member'].id}/roles", data={"role": "applicant", "action": "revoke"}
    )
    assert response.status_code == 400


def test_user_search_finds_kazakh_names_case_insensitively(client, auth, users, create_user):
    create_user("aigul@example.kz", full_name="Айгүл Сапарова")
    create_user("nurlan@example.kz", full_name="Нұрлан Қасымов")
    auth.as_user(users["admin"])
    page = client.get("/admin/users", query_string={"q": "ҚАСЫМ"}).text
    assert "nurlan@example.kz" in page
    assert "aigul@example.kz" not in page
    page = client.get("/admin/users", query_string={"q": "айгүл"}).text
    assert "aigul@example.kz" in page
    assert "Табылды: 1" in page


def test_user_list_pages_keep_the_filter(client, auth, users, create_user):
    for n in range(55):
        create_user(f"page{n:02d}@example.kz", full_name=f"Бет {n:02d}")
    auth.as_user(users["admin"])
    first = client.get("/admin/users", query_string={"q": "page"})
    assert first.status_code == 200
    assert "Табылды: 55" in first.text
    assert 'href="/admin/users?q=page&amp;page=2"' in first.text
    second = client.get("/admin/users", query_string={"q": "page", "page": 2}).text
    on_first = set(re.findall(r"page\d\d@example\.kz", first.text))
    on_second = set(re.findall(r"page\d\d@example\.kz", second))
    assert (len(on_first), len(on_second), on_first & on_second) == (50, 5, set())
    assert sorted(on_first | on_second) == [f"page{n:02d}@example.kz" for n in range(55)]


def test_user_list_filters_by_role(client, auth, users):
    auth.as_user(users["admin"])
    page = client.get("/admin/users", query_string={"role": "commission_member"}).text
    assert "member@example.kz" in page
    assert "coordinator@example.kz" not in page
    assert "Табылды: 1" in page


def test_audit_log_filters_by_action_actor_and_object(client, auth, users):
    auth.as_user(users["admin"])
    client.post(
        f"/admin/users/{users['member'].id}/roles", data={"role": "coordinator", "action": "grant"}
    )
    page = client.get("/admin/audit", query_string={"action": "user.role_grant"}).text
    assert "Табылды: 4" in page  # three by the factory (no actor), one by the admin
    assert '<td><code>{"role": "coordinator"}</code></td>' in page
    page = client.get("/admin/audit", query_string={"actor": "ADMIN@"}).text
    assert "Табылды: 2" in page  # the admin's own sign-up and the grant
    page = client.get(
        "/admin/audit", query_string={"object_type": "users", "object_id": str(users["member"].id)}
    ).text
    # created, made a member (by the factory), made a coordinator (by the admin)
    assert "Табылды: 3" in page


def test_audit_log_date_filter_uses_almaty_days(app, client, auth, users):
    auth.as_user(users["admin"])
    page = client.get("/admin/audit", query_string={"since": "2000-01-01", "until": "2000-01-02"})
    assert "Табылды: 0" in page.text
    page = client.get("/admin/audit", query_string={"since": "not-a-date"})
    assert page.status_code == 200
    # the bad filter is ignored: four sign-ups and three role grants are listed
    assert "Табылды: 7" in page.text


def test_navigation_for_roles(client, auth, users):
    auth.as_user(users["member"])
    home = client.get("/").text
    assert 'href="/commission"' in home  # a member's menu
    assert 'data-testid="nav-manage"' not in home  # no coordinator's
    assert 'data-testid="needs-you"' in home
    assert users["member"].email == "member@example.kz"
    assert Role.COMMISSION_MEMBER.value == "commission_member"


def test_user_search_takes_wildcards_literally(client, auth, users):
    auth.as_user(users["admin"])
    assert "Табылды: 0" in client.get("/admin/users", query_string={"q": "%"}).text
    assert "Табылды: 0" in client.get("/admin/users", query_string={"q": "_"}).text
    assert "Табылды: 1" in client.get("/admin/users", query_string={"q": "MEMBER@"}).text


def test_user_list_is_in_the_kazakh_alphabet_across_pages(client, auth, users, create_user):
    """55 accounts: the 16 names of the registry's alphabet test and 39 «Ясауи» after them —
    the first page holds the 16 in Kazakh order, the second only the last of «Ясауи»."""
    from tests.test_registry import KAZAKH_ORDER

    for n, word in enumerate(reversed(KAZAKH_ORDER)):
        create_user(f"abc{n:02d}@example.kz", full_name=f"{word} Ерлан")
    for n in range(39):
        create_user(f"abc{16 + n:02d}@example.kz", full_name=f"Ясауи Ы{n:02d}")
    auth.as_user(users["admin"])
    first = client.get("/admin/users", query_string={"q": "abc"}).text
    names = re.findall(r"<tr>\s*<td>([^<]+)</td>", first)
    assert names[:16] == [f"{word} Ерлан" for word in KAZAKH_ORDER]
    assert len(names) == 50
    second = client.get("/admin/users", query_string={"q": "abc", "page": 2}).text
    assert re.findall(r"<tr>\s*<td>([^<]+)</td>", second) == [
        f"Ясауи Ы{n:02d}" for n in range(34, 39)
    ]
