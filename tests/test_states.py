"""Every state machine, every (state, move) pair: an allowed move succeeds through the
machine's one transition function and leaves an audit entry naming the move; any other is
refused and changes nothing. The objects live in one world built once per worker; each
pair puts its object in the starting state, moves it and is rolled back."""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy import select

from smallgrants.applications import services as application_services
from smallgrants.applications.models import Application, ApplicationStatus
from smallgrants.auth.models import Role, User
from smallgrants.commission import services as commission_services
from smallgrants.commission.models import Commission, ScoreSheet, SheetStatus, Stage
from smallgrants.competitions import services as competition_services
from smallgrants.competitions.models import Competition, CompetitionStatus
from smallgrants.core.models import AuditLog
from smallgrants.core.services import ServiceError
from smallgrants.core.states import MACHINES
from smallgrants.core.timeutil import utcnow
from smallgrants.extensions import db
from smallgrants.grants import services as grant_services
from smallgrants.grants.models import EventFormat, Grant, GrantStatus, Report, ReportStatus
from tests.conftest import EVENTS, Factories, isolated


def build_intake_world(f: Factories) -> dict:
    """A complete draft in an open competition, an upcoming competition, and a competition
    carried to its meeting (scoring closed, attendance and decisions recorded)."""
    coordinator = f.user("walker@example.kz", roles=(Role.COORDINATOR,), full_name="Walker")
    owner = f.user("owner@example.kz", full_name="Owner")
    open_competition = f.competition(published=True)
    draft = f.application(owner, open_competition, f.profile(owner), complete=True)
    upcoming = f.competition(published=False, opens_in_days=5, closes_in_days=30)
    meeting = f.grant_case(2, until="meeting")
    with f.app.test_request_context():
        from smallgrants.commission.models import Outcome

        commission = db.session.get(Commission, meeting.competition_id)
        for application_id in meeting.application_ids:  # decided: ready to be signed
            commission_services.decide(
                db.session.get(User, meeting.coordinator.id),
                commission,
                db.session.get(Application, application_id),
                commission_services.DecisionInput(
                    Outcome.REJECT, None, None, None, None, "", "тең балл: дауыс беру"
                ),
            )
        db.session.commit()
        sheet_id = db.session.scalar(
            select(ScoreSheet.id).where(
                ScoreSheet.application_id == meeting.application_ids[0],
                ScoreSheet.member_id == meeting.member_ids["member"],
            )
        )
    return {
        "coordinator": coordinator.id,
        "owner": owner.id,
        "draft_application": draft.id,
        "upcoming": upcoming.id,
        "meeting_competition": meeting.competition_id,
        "meeting_coordinator": meeting.coordinator.id,
        "chair": meeting.chair.id,
        "member": meeting.member.id,
        "sheet": sheet_id,
    }


def build_grant_world(f: Factories) -> dict:
    """One grant with its final report written (an event, the results) but not submitted."""
    from datetime import date

    granted = f.grant_case(1, periods=("final",), grant_count=1)
    with f.app.test_request_context():
        grantee = db.session.get(User, granted.grantee_ids[0])
        report = db.session.get(Report, granted.reports[granted.grant_ids[0]][0])
        grant_services.save_event(
            grantee,
            report,
            grant_services.EventInput(
                "Тренинг", date(2023, 10, 5), "aksu", "", EventFormat.OFFLINE, "", EVENTS[0]
            ),
        )
        grant_services.save_narrative(grantee, report, "Өтті", "", "")
        db.session.commit()
        report_id = report.id
    return {
        "grant": granted.grant_ids[0],
        "grantee": granted.grantee_ids[0],
        "report": report_id,
        "grant_coordinator": granted.coordinator.id,
    }


def _world(request, world_app, name, build):
    app, ids = world_app(name, build)
    with isolated(app, request), app.test_request_context(method="POST"):
        yield ids


@pytest.fixture
def world(request, world_app):
    yield from _world(request, world_app, "states_intake", build_intake_world)


@pytest.fixture
def grant_world(request, world_app):
    yield from _world(request, world_app, "states_grants", build_grant_world)


def _user(ids, name) -> User:
    return db.session.get(User, ids[name])


def _pairs(states):
    return list(itertools.product(states, states))


def _walk(machine_name, start, to, put, move, read, action):
    """Put the object in `start`, try `to`; check the outcome against the machine's table."""
    machine = MACHINES[machine_name]
    put(start)
    db.session.flush()
    audits_before = db.session.scalar(
        select(db.func.count(AuditLog.id)).where(AuditLog.action == action(to))
    )
    if machine.allows(start, to):
        move(to)
        db.session.flush()
        assert read() == to
        entry = db.session.scalars(
            select(AuditLog).where(AuditLog.action == action(to)).order_by(AuditLog.id.desc())
        ).first()
        assert entry is not None
        assert (
            db.session.scalar(
                select(db.func.count(AuditLog.id)).where(AuditLog.action == action(to))
            )
            == audits_before + 1
        )
        assert (entry.payload["from"], entry.payload["to"]) == (start.value, to.value)
    else:
        with pytest.raises(ServiceError):
            move(to)
        assert read() == start


def test_every_machine_is_walked():
    assert set(MACHINES) == {
        "competition",
        "application",
        "commission_stage",
        "score_sheet",
        "grant",
        "report",
    }


@pytest.mark.parametrize(("start", "to"), _pairs(list(CompetitionStatus)))
def test_competition_moves(world, start, to):
    competition = db.session.get(Competition, world["upcoming"])

    def put(state):
        competition.status = state

    _walk(
        "competition",
        start,
        to,
        put,
        lambda state: competition_services.transition(
            competition, state, _user(world, "coordinator")
        ),
        lambda: competition.status,
        lambda state: "competition.status",
    )


@pytest.mark.parametrize(("start", "to"), _pairs(list(ApplicationStatus)))
def test_application_moves(world, start, to):
    application = db.session.get(Application, world["draft_application"])
    owner = _user(world, "owner")
    if start != ApplicationStatus.DRAFT:  # a real submission first: number, frozen copy
        application_services.submit(owner, application)

    def put(state):
        application.status = state

    def move(state):
        actor = (
            owner
            if state in (ApplicationStatus.SUBMITTED, ApplicationStatus.WITHDRAWN)
            else (_user(world, "coordinator"))
        )
        application_services.transition(application, state, actor, reason="Құжат жоқ")

    _walk(
        "application",
        start,
        to,
        put,
        move,
        lambda: application.status,
        lambda state: "application.status",
    )


@pytest.mark.parametrize(("start", "to"), _pairs(list(SheetStatus)))
def test_score_sheet_moves(world, start, to):
    sheet = db.session.get(ScoreSheet, world["sheet"])
    commission = db.session.get(Commission, world["meeting_competition"])
    commission.scoring_closed_at = None  # scoring open: the member may submit again

    def put(state):
        sheet.status = state

    def move(state):
        if state == SheetStatus.SUBMITTED:
            commission_services.move_sheet(_user(world, "member"), sheet, state)
        else:
            commission_services.move_sheet(_user(world, "chair"), sheet, state, "Қате")

    _walk(
        "score_sheet",
        start,
        to,
        put,
        move,
        lambda: sheet.status,
        lambda state: "score.submit" if state == SheetStatus.SUBMITTED else "score.reopen",
    )


STAGE_ACTIONS = {
    Stage.SCORING: "commission.scoring_reopen",
    Stage.SCORING_CLOSED: "commission.scoring_close",
    Stage.SIGNED: "meeting.sign",
    Stage.PUBLISHED: "commission.publish",
    Stage.COMPOSITION: "commission.settings",
}


@pytest.mark.parametrize(("start", "to"), _pairs(list(Stage)))
def test_commission_stage_moves(world, start, to):
    commission = db.session.get(Commission, world["meeting_competition"])
    approval = commission.approval_number
    now = utcnow()

    def put(state):
        commission.approval_number = "" if state == Stage.COMPOSITION else approval
        commission.scoring_closed_at = None if state in (Stage.COMPOSITION, Stage.SCORING) else now
        commission.meeting.signed_at = now if state in (Stage.SIGNED, Stage.PUBLISHED) else None
        commission.results_published_at = now if state == Stage.PUBLISHED else None
        assert commission.stage == state

    _walk(
        "commission_stage",
        start,
        to,
        put,
        lambda state: commission_services.move_stage(
            _user(world, "meeting_coordinator"), commission, state, locale="kk"
        ),
        lambda: commission.stage,
        STAGE_ACTIONS.__getitem__,
    )


@pytest.mark.parametrize(("start", "to"), _pairs(list(GrantStatus)))
def test_grant_moves(grant_world, start, to):
    grant = db.session.get(Grant, grant_world["grant"])
    report = db.session.get(Report, grant_world["report"])
    if to == GrantStatus.COMPLETED:  # completing asks for every report accepted
        grant_services.submit_report(_user(grant_world, "grantee"), report)
        grant_services.review_report(_user(grant_world, "grant_coordinator"), report, True, "")

    def put(state):
        grant.status = state
        grant.status_reason = "Келісім бұзылды" if state == GrantStatus.TERMINATED else ""

    _walk(
        "grant",
        start,
        to,
        put,
        lambda state: grant_services.change_status(
            _user(grant_world, "grant_coordinator"), grant, state, "Келісім бұзылды"
        ),
        lambda: grant.status,
        lambda state: "grant.status",
    )


@pytest.mark.parametrize(("start", "to"), _pairs(list(ReportStatus)))
def test_report_moves(grant_world, start, to):
    report = db.session.get(Report, grant_world["report"])
    if start != ReportStatus.DRAFT:  # a version to review
        grant_services.submit_report(_user(grant_world, "grantee"), report)

    def put(state):
        report.status = state

    def move(state):
        if state == ReportStatus.SUBMITTED:
            grant_services.transition_report(_user(grant_world, "grantee"), report, state)
        else:
            grant_services.transition_report(
                _user(grant_world, "grant_coordinator"), report, state, "Түзетіңіз"
            )

    _walk(
        "report",
        start,
        to,
        put,
        move,
        lambda: report.status,
        lambda state: "report.submit" if state == ReportStatus.SUBMITTED else "report.review",
    )


def test_a_final_report_moves_its_grant_to_reporting_with_an_audit_entry(grant_world):
    grant = db.session.get(Grant, grant_world["grant"])
    assert grant.status == GrantStatus.ACTIVE
    grant_services.submit_report(
        _user(grant_world, "grantee"), db.session.get(Report, grant_world["report"])
    )
    db.session.flush()
    assert grant.status == GrantStatus.REPORTING
    entry = db.session.scalars(
        select(AuditLog).where(AuditLog.action == "grant.status").order_by(AuditLog.id.desc())
    ).first()
    assert (entry.actor_id, entry.payload) == (
        grant_world["grantee"],
        {"from": "active", "to": "reporting", "reason": "final report submitted"},
    )


def test_no_status_is_assigned_outside_a_transition_function():
    """Reading the code: `.status =` appears only inside the transition functions."""
    import ast
    from pathlib import Path

    allowed = {
        ("smallgrants/applications/services.py", "transition"),
        ("smallgrants/competitions/services.py", "transition"),
        ("smallgrants/commission/services.py", "move_sheet"),
        ("smallgrants/grants/services.py", "change_status"),
        ("smallgrants/grants/services.py", "_submit"),
        ("smallgrants/grants/services.py", "_review"),
        # the outbox's delivery states move by atomic conditional UPDATEs (claims) in
        # core/outbox, and this retry of a failed message; nowhere else
        ("smallgrants/core/outbox.py", "requeue"),
    }
    found = set()
    root = Path(__file__).resolve().parent.parent
    for path in sorted((root / "smallgrants").rglob("*.py")):
        if path.name in ("demo.py", "demo_project.py", "demo_programme.py"):
            continue  # the demo ages its data behind the services, on purpose
        tree = ast.parse(path.read_text())
        for func in ast.walk(tree):
            if not isinstance(func, ast.FunctionDef):
                continue
            for node in ast.walk(func):
                if isinstance(node, ast.Assign) and any(
                    isinstance(t, ast.Attribute) and t.attr == "status" for t in node.targets
                ):
                    found.add((str(path.relative_to(root)), func.name))
    assert found == allowed
