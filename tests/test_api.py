"""The read-only JSON API on the loaded demo: it answers with the pages' own figures (the
programme's roll-up, each competition's monitoring, the ledger, the registry, section 4),
reads only what its token's owner reads, pages, filters, throttles per token, and says
every error as problem details. schemathesis then tries it against its own OpenAPI
document. (Route by route and role by role: the authorization matrix's API rows.)"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass

import pytest
import schemathesis
from sqlalchemy import select, update

from smallgrants.applications.models import ApplicantProfile, Application
from smallgrants.auth import services as auth_services
from smallgrants.auth.models import ApiToken, Role, User, UserRole
from smallgrants.competitions.models import Competition, CompetitionStatus
from smallgrants.demo import CONTEST_ENTRANTS
from smallgrants.extensions import db, limiter
from smallgrants.grants import queries as grant_queries
from smallgrants.grants.breakdowns import ALL_COLUMNS
from smallgrants.organisations.models import Organisation, Programme
from smallgrants.programmes import queries as programme_queries
from smallgrants.programmes.queries import FIGURES
from smallgrants.reporting import queries as reporting_queries
from smallgrants.reporting.models import Project
from tests.conftest import isolated
from tests.test_programmes import DEMO_PARTICIPANTS, DEMO_SECOND_HOLDER

PROBLEM = "application/problem+json"


@dataclass
class DemoWorld:
    tokens: dict[str, str]  # who → token
    programme_id: int
    holders: dict[str, int]  # short name → id
    competitions: dict[str, list[int]]  # holder short name → its competition ids
    project_id: int


def _build(f) -> DemoWorld:
    app = f.app
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    with app.test_request_context():
        people = {
            "operator": "operator@demo.kz",
            "coordinator": "coordinator@demo.kz",
            "coordinator2": "coordinator2@demo.kz",
            "member": "member1@demo.kz",
        }
        tokens = {}
        for who, email in people.items():
            user = db.session.scalars(select(User).where(User.email == email)).one()
            tokens[who] = auth_services.create_api_token(user, f"test {who}", 30)[1]
        holders = dict(db.session.execute(select(Organisation.short_name, Organisation.id)).all())
        competitions: dict[str, list[int]] = {name: [] for name in holders}
        for short_name, cid in db.session.execute(
            select(Organisation.short_name, Competition.id)
            .join(Competition, Competition.organisation_id == Organisation.id)
            .order_by(Competition.opens_at, Competition.id)
        ):
            competitions[short_name].append(cid)
        world = DemoWorld(
            tokens=tokens,
            programme_id=db.session.scalars(select(Programme.id)).one(),
            holders=holders,
            competitions=competitions,
            project_id=db.session.scalars(select(Project.id)).first(),
        )
        db.session.commit()
    return world


@pytest.fixture(scope="session")
def api_world(world_app):
    return world_app("api_demo", _build)


@pytest.fixture
def app(request, api_world):
    app, _world = api_world
    with isolated(app, request):
        yield app


@pytest.fixture
def world(api_world) -> DemoWorld:
    return api_world[1]


def _get(client, url: str, token: str | None, **headers):
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return client.get(url, headers=headers)


def _json(response, status: int = 200) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    return response.get_json()


# --- the figures --------------------------------------------------------------------------


def test_the_rollup_is_the_programmes_page_figures(app, client, world):
    """The operator's roll-up through the API is, figure by figure, the roll-up the page
    shows (`programmes.queries.rollup`) — and the demo's known figures."""
    body = _json(
        _get(client, f"/api/v1/programmes/{world.programme_id}/rollup", world.tokens["operator"])
    )
    with app.test_request_context():
        programme = db.session.get(Programme, world.programme_id)
        data = programme_queries.rollup(programme, programme_queries.Filter(), "ru")
        assert body["total"] == data.total.values
        assert body["reports_on_time"] == data.total.reports_on_time
        assert {h["short_name"]: h["figures"] for h in body["by_holder"]} == {
            o.short_name: f.values for o, f in data.by_holder
        }
        assert [(r["region_code"], r["figures"]) for r in body["by_region"]] == [
            (code, f.values) for code, f in data.by_region
        ]
        assert [c["competition_id"] for c in body["competitions"]] == [
            r.competition.id for r in data.rows
        ]
        assert [
            (p["region_code"], p["district_code"], p["participants"]) for p in body["places"]
        ] == [
            (p["region_code"], p["district_code"] or "", {c: p[c] for c in ALL_COLUMNS})
            for p in data.places
        ]
    by_holder = {h["short_name"]: h["figures"] for h in body["by_holder"]}
    seed, second = by_holder["zhogary"], by_holder["ontustik"]
    assert (seed["total"], second["total"], body["total"]["total"]) == DEMO_PARTICIPANTS
    assert {key: second[key] for key in DEMO_SECOND_HOLDER} == DEMO_SECOND_HOLDER
    for key in FIGURES:  # the programme is the sum of its two holders
        assert body["total"][key] == seed[key] + second[key], key
    base = f"/api/v1/programmes/{world.programme_id}/rollup"
    for narrowed, holders in (
        (f"?holder={world.holders['ontustik']}", ["ontustik"]),
        ("?region=KZ-61", ["zhogary", "ontustik"]),  # every holder, the region's figures
    ):
        one = _json(_get(client, base + narrowed, world.tokens["operator"]))
        assert one["total"] == second, narrowed
        assert [h["short_name"] for h in one["by_holder"]] == holders, narrowed


def test_a_competitions_figures_are_its_monitoring_and_its_ledger(app, client, world):
    (cid,) = world.competitions["ontustik"]
    token = world.tokens["operator"]
    body = _json(_get(client, f"/api/v1/competitions/{cid}", token))
    assert (body["id"], body["organisation"], body["region_code"]) == (cid, "ontustik", "KZ-61")
    assert (body["grant_amount"], body["grant_count"], body["pool"]) == (300_000, 4, 1_200_000)
    assert body["figures"]["received"] == 6
    assert body["figures"]["total"] == 1_160
    assert [c["ok"] for c in body["checks"]] == [True] * len(body["checks"])
    assert body["checks"], "the final report's checks on the competition"

    grants = _json(_get(client, f"/api/v1/competitions/{cid}/grants", token))
    with app.test_request_context():
        ledger = grant_queries.ledger(db.session.get(Competition, cid))
        assert (grants["pool"], grants["awarded"], grants["paid"], grants["remaining"]) == (
            ledger.pool,
            ledger.awarded,
            ledger.paid,
            ledger.remaining,
        )
        assert [g["id"] for g in grants["grants"]] == [r.grant.id for r in ledger.rows]
        for g in grants["grants"]:
            payments = grant_queries.payments_of(g["id"])
            assert [(p["paid_on"], p["amount"]) for p in g["payments"]] == [
                (p.paid_on.isoformat(), p.amount) for p in payments
            ]
            assert g["paid"] == sum(p.amount for p in payments)
    assert (grants["awarded"], grants["paid"], len(grants["grants"])) == (900_000, 900_000, 3)

    decisions = _json(_get(client, f"/api/v1/competitions/{cid}/decisions", token))
    assert decisions["meeting"]["signed_at"]
    assert [w["amount"] for w in decisions["winners"]] == [300_000] * 3
    assert decisions["awarded"] == 900_000
    assert sorted(w["number"] for w in decisions["winners"]) == sorted(
        g["application_number"] for g in grants["grants"]
    )


def test_the_registry_names_no_person_and_carries_no_identifier(app, client, world):
    (cid,) = world.competitions["ontustik"]
    body = _json(_get(client, f"/api/v1/competitions/{cid}/applications", world.tokens["operator"]))
    assert (body["total"], body["page"], body["pages"]) == (6, 1, 1)
    with app.test_request_context():
        rows = db.session.execute(
            select(Application.number, ApplicantProfile)
            .join(ApplicantProfile, ApplicantProfile.id == Application.profile_id)
            .where(Application.competition_id == cid)
            .order_by(Application.seq)
        ).all()
        assert [e["number"] for e in body["items"]] == [n for n, _p in rows]
        text = json.dumps(body, ensure_ascii=False)
        for _number, profile in rows:
            for secret in (profile.leader_iin, profile.bin, profile.phone, profile.email):
                if secret:
                    assert secret not in text
            if profile.kind.value == "individual":
                assert profile.name not in text
    for key in ("iin", "bin", "phone", "email", "address"):
        assert all(key not in entry for entry in body["items"])
    admitted = _json(
        _get(
            client,
            f"/api/v1/competitions/{cid}/applications?status=admissible&per_page=2",
            world.tokens["operator"],
        )
    )
    assert (admitted["total"], admitted["pages"], len(admitted["items"])) == (5, 3, 2)
    assert {e["status"] for e in admitted["items"]} == {"admissible"}


def test_section_4_is_the_final_reports(app, client, world):
    body = _json(
        _get(client, f"/api/v1/projects/{world.project_id}/section4", world.tokens["coordinator"])
    )
    with app.test_request_context():
        data = reporting_queries.rollup(db.session.get(Project, world.project_id))
        found = reporting_queries.checks(data, "kk")
        assert body["whole_project"] == {c: data.project_row[c] for c in ALL_COLUMNS}
        assert body["small_grants"] == {c: data.small_grants_row[c] for c in ALL_COLUMNS}
        assert [(c["title"], c["ok"]) for c in body["checks"]] == [(c.title, c.ok) for c in found]
    assert body["small_grants"]["total"] == 19_098
    assert body["failing"] == 0
    # the operator of the programme reads it too; the other holder's coordinator does not
    assert (
        _get(
            client, f"/api/v1/projects/{world.project_id}/section4", world.tokens["operator"]
        ).status_code
        == 200
    )
    refused = _get(
        client, f"/api/v1/projects/{world.project_id}/section4", world.tokens["coordinator2"]
    )
    assert (refused.status_code, refused.mimetype) == (403, PROBLEM)
    listed = _json(_get(client, "/api/v1/projects", world.tokens["coordinator2"]))
    assert listed["items"] == []


# --- what a token reads ---------------------------------------------------------------------


def test_each_token_reads_what_its_owner_reads(app, client, world):
    def ids(token, url="/api/v1/competitions?per_page=100"):
        return [c["id"] for c in _json(_get(client, url, token))["items"]]

    seed, second = world.competitions["zhogary"], world.competitions["ontustik"]
    assert ids(world.tokens["coordinator"]) == seed
    assert ids(world.tokens["coordinator2"]) == second
    assert sorted(ids(world.tokens["operator"])) == sorted(seed + second)
    assert (
        ids(
            world.tokens["operator"],
            f"/api/v1/competitions?organisation={world.holders['ontustik']}",
        )
        == second
    )
    assert ids(world.tokens["operator"], "/api/v1/competitions?region=KZ-61") == second
    orgs = _json(_get(client, "/api/v1/organisations", world.tokens["coordinator2"]))
    assert [o["short_name"] for o in orgs["items"]] == ["ontustik"]
    assert orgs["items"][0]["url"].endswith("/o/ontustik")
    # another holder's competition, in every route about it
    for suffix in ("", "/applications", "/decisions", "/grants"):
        response = _get(
            client, f"/api/v1/competitions/{second[0]}{suffix}", world.tokens["coordinator"]
        )
        assert (response.status_code, response.mimetype) == (403, PROBLEM), suffix
    listed = _json(_get(client, "/api/v1/programmes", world.tokens["operator"]))["items"]
    assert [(p["id"], p["holders"], p["starts_year"]) for p in listed] == [
        (world.programme_id, sorted(world.holders.values()), 2023)
    ]
    # the coordinator's programme list is empty, its roll-up refused
    assert _json(_get(client, "/api/v1/programmes", world.tokens["coordinator"]))["items"] == []
    assert (
        _get(
            client, f"/api/v1/programmes/{world.programme_id}/rollup", world.tokens["coordinator"]
        ).status_code
        == 403
    )
    # a draft is the holder's own: its coordinator lists it, the operator neither lists nor opens it
    with app.app_context():
        db.session.execute(
            update(Competition)
            .where(Competition.id == second[0])
            .values(status=CompetitionStatus.DRAFT)
        )
        db.session.commit()
    assert ids(world.tokens["coordinator2"]) == second
    assert ids(world.tokens["operator"]) == seed
    assert (
        _get(client, f"/api/v1/competitions/{second[0]}", world.tokens["operator"]).status_code
        == 403
    )


def test_without_a_usable_token_the_api_answers_401_as_problem_details(app, client, world):
    for token in (None, "", "sg_nonsense", world.tokens["operator"][:-2]):
        response = _get(client, "/api/v1/competitions", token)
        assert (response.status_code, response.mimetype) == (401, PROBLEM)
        assert response.headers["WWW-Authenticate"] == 'Bearer realm="smallgrants"'
        assert response.get_json()["title"] == "Аутентификация қажет"
    # a session is no token: a signed-in browser gets nothing from it, and no cookie is set
    response = client.get(
        "/api/v1/competitions", headers={"Authorization": f"Basic {world.tokens['operator']}"}
    )
    assert response.status_code == 401
    ok = _get(client, "/api/v1/competitions", world.tokens["operator"])
    assert ok.status_code == 200
    assert "Set-Cookie" not in ok.headers
    assert ok.headers["Cache-Control"] == "no-store"
    # revoked: refused at once
    with app.app_context():
        db.session.execute(
            update(ApiToken)
            .where(ApiToken.name == "test operator")
            .values(revoked_at=db.func.now())
        )
        db.session.commit()
    assert _get(client, "/api/v1/competitions", world.tokens["operator"]).status_code == 401


def test_a_token_whose_owner_lost_the_role_reads_nothing(app, client, world):
    token = world.tokens["member"]  # made while a commission member only: no API
    response = _get(client, "/api/v1/organisations", token)
    assert (response.status_code, response.mimetype) == (403, PROBLEM)
    assert response.get_json() == {
        "type": "about:blank",
        "title": "Рұқсат жоқ",
        "status": 403,
        "detail": "Бұл бетті ашуға құқығыңыз жоқ.",
    }
    assert _get(client, "/api/v1/organisations", world.tokens["coordinator2"]).status_code == 200
    with app.app_context():
        user = db.session.scalars(select(User).where(User.email == "coordinator2@demo.kz")).one()
        db.session.execute(
            UserRole.__table__.delete().where(
                UserRole.user_id == user.id, UserRole.role == Role.COORDINATOR
            )
        )
        db.session.commit()
    assert _get(client, "/api/v1/organisations", world.tokens["coordinator2"]).status_code == 403


def test_bad_query_parameters_answer_400_naming_each(client, world):
    response = _get(
        client, "/api/v1/competitions?page=0&per_page=500&region=Almaty", world.tokens["operator"]
    )
    assert (response.status_code, response.mimetype) == (400, PROBLEM)
    body = response.get_json()
    assert body["detail"] == "Параметр запроса недопустим."  # the operator reads Russian
    assert sorted(e["name"] for e in body["errors"]) == ["page", "per_page", "region"]
    for url in ("/api/v1/competitions/0", "/api/v1/competitions/99999999999", "/api/v1/nowhere"):
        response = _get(client, url, world.tokens["operator"])
        assert (response.status_code, response.mimetype) == (404, PROBLEM), url
        assert response.get_json()["status"] == 404
    response = client.post(
        "/api/v1/competitions", headers={"Authorization": f"Bearer {world.tokens['operator']}"}
    )
    assert (response.status_code, response.mimetype) == (405, PROBLEM)


def test_pages_of_a_list(client, world):
    token = world.tokens["operator"]
    everything = _json(_get(client, "/api/v1/competitions?per_page=100", token))
    n = everything["total"]
    assert n == len(everything["items"]) >= 3
    first = _json(_get(client, "/api/v1/competitions?per_page=2", token))
    second = _json(_get(client, "/api/v1/competitions?per_page=2&page=2", token))
    assert (first["pages"], first["total"]) == ((n + 1) // 2, n)
    assert [c["id"] for c in first["items"] + second["items"]] == [
        c["id"] for c in everything["items"][:4]
    ]
    beyond = _json(_get(client, f"/api/v1/competitions?per_page=2&page={n + 5}", token))
    assert (beyond["items"], beyond["total"]) == ([], n)


def test_requests_are_throttled_per_token(app, client, world):
    app.config["API_RATE_LIMIT"] = "3 per minute"
    limiter.reset()
    try:
        for _ in range(3):
            assert (
                _get(client, "/api/v1/organisations", world.tokens["operator"]).status_code == 200
            )
        response = _get(client, "/api/v1/organisations", world.tokens["operator"])
        assert (response.status_code, response.mimetype) == (429, PROBLEM)
        assert int(response.headers["Retry-After"]) > 0
        assert response.get_json()["title"] == "Әрекеттер тым көп"  # before the token is read
        # another token is counted on its own
        assert _get(client, "/api/v1/organisations", world.tokens["coordinator"]).status_code == 200
    finally:
        app.config["API_RATE_LIMIT"] = "120 per minute"
        limiter.reset()


def test_made_up_tokens_share_their_address_allowance(app, client, world):
    app.config["API_ADDRESS_RATE_LIMIT"] = "5 per minute"
    limiter.reset()
    try:
        statuses = [
            _get(client, "/api/v1/organisations", f"sg_made-up-{n}").status_code for n in range(6)
        ]
        assert statuses == [401] * 5 + [429]
        # the address is spent for a real token too, until the window passes
        assert _get(client, "/api/v1/organisations", world.tokens["operator"]).status_code == 429
    finally:
        app.config["API_ADDRESS_RATE_LIMIT"] = "600 per minute"
        limiter.reset()


# --- the document -----------------------------------------------------------------------------


def test_the_document_and_its_reference_page(client):
    document = _json(client.get("/api/v1/openapi.json"))
    assert document["openapi"] == "3.1.0"
    assert document["components"]["securitySchemes"]["token"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "A personal access token (sg_…) from the account page.",
    }
    assert sorted(document["paths"]) == [
        "/api/v1/competitions",
        "/api/v1/competitions/{competition_id}",
        "/api/v1/competitions/{competition_id}/applications",
        "/api/v1/competitions/{competition_id}/decisions",
        "/api/v1/competitions/{competition_id}/grants",
        "/api/v1/organisations",
        "/api/v1/programmes",
        "/api/v1/programmes/{programme_id}/rollup",
        "/api/v1/projects",
        "/api/v1/projects/{project_id}/section4",
    ]
    assert sorted(document["components"]["schemas"]["Figures"]["properties"]) == sorted(FIGURES)
    for path in document["paths"].values():
        responses = path["get"]["responses"]
        assert list(responses["401"]["content"]) == [PROBLEM]
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    text = html.unescape(page.get_data(as_text=True))
    assert "API анықтамалығы" in text
    assert text.count('data-operation="') == 10
    assert 'curl -H "Authorization: Bearer sg_…" http://localhost/api/v1/competitions' in text


schema = schemathesis.pytest.from_fixture("api_schema")
_OPERATOR_TOKEN: dict[str, str] = {}


@schemathesis.auth()
class OperatorToken:
    """schemathesis sends the operator's token where the document asks for one (and leaves
    it out, or spoils it, where it tests that the API refuses)."""

    def get(self, case, ctx):
        return _OPERATOR_TOKEN["token"]

    def set(self, case, data, ctx):
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


@pytest.fixture
def api_schema(request, app, world):
    # schemathesis 4.32 names its cases from `node._nodeid`, which pytest 9 no longer has
    request.node._nodeid = request.node.nodeid
    _OPERATOR_TOKEN["token"] = world.tokens["operator"]
    app.config["API_RATE_LIMIT"] = app.config["API_ADDRESS_RATE_LIMIT"] = "100000 per minute"
    found = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    yield found
    app.config["API_RATE_LIMIT"] = "120 per minute"
    app.config["API_ADDRESS_RATE_LIMIT"] = "600 per minute"


@schema.parametrize()
@pytest.mark.filterwarnings("ignore")
def test_the_api_keeps_its_own_document(case, world):
    """Every operation, with generated valid and invalid parameters, as the operator: no
    server error, every status, body and content type as the document says."""
    case.call_and_validate()


def test_statements_do_not_grow_with_the_items(client, count_queries, world):
    """A list, a registry and a ledger send as many statements for 1 item as for 10."""
    seed, second = world.competitions["zhogary"][0], world.competitions["ontustik"][0]

    def statements(token, url):
        with count_queries() as found:
            assert _get(client, url, token).status_code == 200, url
        return len(found)

    three = statements(world.tokens["coordinator"], "/api/v1/competitions")
    one = statements(world.tokens["coordinator2"], "/api/v1/competitions")
    assert three == one
    operator = world.tokens["operator"]
    grants = [statements(operator, f"/api/v1/competitions/{c}/grants") for c in (seed, second)]
    assert grants[0] == grants[1]
    registry = [
        statements(operator, f"/api/v1/competitions/{c}/applications") for c in (seed, second)
    ]
    assert registry[0] == registry[1]


def test_a_contests_prizes_and_their_payments(client, world):
    token = world.tokens["coordinator"]
    listed = _json(_get(client, "/api/v1/competitions", token))["items"]
    (contest,) = [c for c in listed if c["award_kind"] == "prize"]
    money = _json(_get(client, f"/api/v1/competitions/{contest['id']}/grants", token))
    assert money["grants"] == []
    assert [(p["amount"], p["paid"], p["paid_on"]) for p in money["prizes"]] == [
        (200_000, 200_000, "2023-10-03")
    ] * 5
    assert (money["awarded"], money["paid"], money["remaining"]) == (1_000_000, 1_000_000, 0)
    # the contest's entrants are persons: never named by the API
    assert [p["winner"] for p in money["prizes"]] == [None] * 5
    decisions = _json(_get(client, f"/api/v1/competitions/{contest['id']}/decisions", token))
    assert [(w["applicant"], w["applicant_kind"]) for w in decisions["winners"]] == [
        (None, "individual")
    ] * 5
    text = json.dumps([money, decisions], ensure_ascii=False)
    for name in CONTEST_ENTRANTS:
        assert name not in text
    figures = _json(_get(client, f"/api/v1/competitions/{contest['id']}", token))["figures"]
    assert (figures["money_awarded"], figures["paid"]) == (money["awarded"], money["paid"])
