"""A page's SQL statement count does not grow with the competition: the same for 10 and for
100 applications (or grants). Each size is a world of its own (`world_app`), built once per
worker; the requests run in a transaction that is rolled back."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from tests.conftest import AuthActions, counting_statements, isolated

SIZES = (10, 100)

# `make test` runs a module on one xdist worker (--dist loadscope): each world built once


@pytest.fixture(scope="session")
def meeting_worlds(world_app):
    """Scored by three members, scoring closed, the meeting open for decisions."""
    return {
        n: world_app(f"meeting{n}", lambda f, n=n: f.grant_case(n, until="meeting", grant_count=n))
        for n in SIZES
    }


@pytest.fixture(scope="session")
def report_worlds(world_app):
    """Every application awarded, the protocol signed, each grant's final report (one event)
    accepted and paid, and the competition attached to a project's task."""
    return {n: world_app(f"report{n}", lambda f, n=n: f.report_case(n)) for n in SIZES}


def _statements(request, world, user_id: int, url: str) -> tuple[list[str], str]:
    app, _case = world
    with isolated(app, request):
        client = app.test_client()
        AuthActions(client).as_user(SimpleNamespace(id=user_id))
        with counting_statements(app) as statements:
            response = client.get(url)
        assert response.status_code == 200, url
    return statements, response.text


APPLICATION_NUMBER = r"SG-\d{4}-\d{3}"
GRANT_LINK = r'data-grant="([^"]+)"'


def _assert_same(request, worlds, user_of, url_of, *, rows=APPLICATION_NUMBER) -> None:
    found, pages = {}, {}
    for n in SIZES:
        found[n], pages[n] = _statements(
            request, worlds[n], user_of(worlds[n][1]), url_of(worlds[n][1])
        )
        if rows:  # the page really shows every application (or grant)
            assert len(set(re.findall(rows, pages[n]))) == n
    small, large = (found[n] for n in SIZES)
    extra = [s[:200] for s in large if large.count(s) > small.count(s)]
    assert len(small) == len(large), (
        f"{len(small)} statements for {SIZES[0]}, {len(large)} for {SIZES[1]}; "
        f"repeated: {sorted(set(extra))[:5]}"
    )


MEETING_PAGES = {
    "ranking": "/manage/competitions/{c}/ranking",
    "meeting": "/manage/competitions/{c}/meeting",
    "registry": "/manage/competitions/{c}/applications",
    "scoring matrix": "/manage/competitions/{c}/scoring",
}


@pytest.mark.parametrize("page", sorted(MEETING_PAGES))
def test_coordinator_pages_before_the_decisions(request, meeting_worlds, page):
    _assert_same(
        request,
        meeting_worlds,
        lambda case: case.coordinator.id,
        lambda case: MEETING_PAGES[page].format(c=case.competition_id),
    )


def test_members_list_of_applications(request, meeting_worlds):
    _assert_same(
        request,
        meeting_worlds,
        lambda case: case.chair.id,
        lambda case: f"/commission/competitions/{case.competition_id}",
    )


# page → (url, the pattern of its rows: one per application or grant)
REPORT_PAGES = {
    "monitoring": ("/manage/competitions/{c}/monitoring", GRANT_LINK),
    "signed meeting": ("/manage/competitions/{c}/meeting", APPLICATION_NUMBER),
    "ranking after signing": ("/manage/competitions/{c}/ranking", APPLICATION_NUMBER),
    "grants": ("/manage/competitions/{c}/grants", GRANT_LINK),
    "final report": ("/manage/projects/{p}", None),  # the competition's totals, no rows
    "reconciliation": ("/manage/projects/{p}/reconciliation", None),
}


@pytest.mark.parametrize("page", sorted(REPORT_PAGES))
def test_coordinator_pages_after_the_grants(request, report_worlds, page):
    url, rows = REPORT_PAGES[page]
    _assert_same(
        request,
        report_worlds,
        lambda case: case.coordinator_id,
        lambda case: url.format(c=case.competition_id, p=case.project_id),
        rows=rows,
    )
