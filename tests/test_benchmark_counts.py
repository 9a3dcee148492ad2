"""Every page the benchmark times (`benchmarks/run.py` PAGES) sends the same number of SQL
statements at N = 100 and at N = 1 000 applications (5 members, every sheet submitted), and
the final report the same with 3 and with 30 attached competitions; recording a decision the
same with none and with 960 decisions already recorded. The worlds are the benchmark's own
datasets (`benchmarks/dataset.py`), each built once per worker on a database of its own.
Timings are the benchmark's business, never a test's."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import select

from benchmarks import dataset
from benchmarks.run import PAGES
from smallgrants.auth.models import User
from smallgrants.extensions import db
from tests.conftest import AuthActions, counting_statements, isolated

SIZES = (100, 1000)
PROJECT_SIZES = {100: 3, 1000: 30}  # competitions attached to the final report


def _build(app, n: int) -> dict:
    with app.app_context():
        a = dataset.build_commission(n, 5, tag="A")
        d = dataset.build_commission(n, 5, tag="D", decided=n - 40, first_applicant=n + 1)
        b = dataset.build_commission(n, 5, tag="B", published_winners=10, first_applicant=2 * n + 1)
        small = []
        for k in range(PROJECT_SIZES[n]):
            one = dataset.build_commission(
                10, 3, tag=f"P{k}", published_winners=5, first_applicant=3 * n + 1 + k * 10
            )
            dataset.grants(one, events_per_report=2)
            small.append(one)
        db.session.commit()
        project = dataset.build_project(small, small[0].coordinator)
        users = dict(db.session.execute(select(User.email, User.id)).all())
        return {
            "ids": {
                "meeting": a.competition_id,
                "decided": d.competition_id,
                "published": b.competition_id,
                "project": project,
            },
            "who": {
                None: None,
                "coordinator": users[a.coordinator],
                "chair": users[a.chair],
                "member": users[a.members[1]],
                "project": users[small[0].coordinator],
            },
            "undecided": a.application_ids[0],
            "next": d.application_ids[n - 40],
            "meeting_coordinator": users[a.coordinator],
        }


@pytest.fixture(scope="session")
def bench_worlds(world_app):
    return {n: world_app(f"bench{n}", lambda f, n=n: _build(f.app, n)) for n in SIZES}


def _count(request, world, who, method: str, url: str, data=None) -> tuple[list[str], int]:
    app, w = world
    with isolated(app, request):
        client = app.test_client()
        if w["who"][who] is not None:
            AuthActions(client).as_user(SimpleNamespace(id=w["who"][who]))
        with counting_statements(app) as statements:
            response = client.open(url, method=method, data=data)
    return statements, response.status_code


@pytest.mark.parametrize(("name", "who", "path"), [(p[0], p[1], p[2]) for p in PAGES])
def test_the_benchmarks_pages_send_as_many_statements_at_1000_as_at_100(
    request, bench_worlds, name, who, path
):
    found = {}
    for n in SIZES:
        world = bench_worlds[n]
        statements, status = _count(request, world, who, "GET", path.format(**world[1]["ids"]))
        assert status == 200, (name, n)
        found[n] = statements
    small, large = found[SIZES[0]], found[SIZES[1]]
    extra = sorted({s[:160] for s in large if large.count(s) > small.count(s)})
    assert len(small) == len(large), f"{name}: {len(small)} → {len(large)}; repeated {extra[:3]}"


def test_recording_a_decision_sends_as_many_statements_after_960_decisions_as_after_none(
    request, bench_worlds
):
    found = {}
    for n in SIZES:
        world = bench_worlds[n]
        w = world[1]
        for key, competition, application in (
            ("first", w["ids"]["meeting"], w["undecided"]),
            ("later", w["ids"]["decided"], w["next"]),
        ):
            p = f"d{application}"
            statements, status = _count(
                request,
                world,
                "coordinator",
                "POST",
                f"/manage/competitions/{competition}/meeting/decisions/{application}",
                {f"{p}-outcome": "reject", f"{p}-votes_against": "3", f"{p}-rationale": "x"},
            )
            assert status == 302, (n, key)
            found[(n, key)] = len(statements)
    assert len(set(found.values())) == 1, found
