"""Benchmark datasets, written quickly through the models' tables (bulk INSERTs of the rows the
services would write: submitted and admitted applications with their activities, budget and
results, seated members who declared no conflict, submitted sheets, a meeting with everyone
present, decisions, grants, reports and their events).

`build_commission(n, members)` is what `benchmarks/run.py` times and what
`tests/test_statement_counts.py` counts statements on; `build_national(...)` is the national
programme's year; `build_project(k)` a final report with k attached competitions.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, insert, select

from smallgrants.applications.models import (
    ActivityRow,
    ApplicantKind,
    ApplicantProfile,
    Application,
    ApplicationStatus,
    BudgetLine,
    ResultRow,
)
from smallgrants.auth.models import Role, User, UserRole
from smallgrants.commission.models import (
    Attendance,
    AttendanceMode,
    Commission,
    CommissionMember,
    CommissionRole,
    ConflictDeclaration,
    Decision,
    Meeting,
    Outcome,
    ScorePoint,
    ScoreSheet,
    SheetStatus,
)
from smallgrants.competitions.models import (
    Competition,
    CompetitionDistrict,
    CompetitionStatus,
    Criterion,
)
from smallgrants.core import geography
from smallgrants.core.timeutil import utcnow
from smallgrants.extensions import db
from smallgrants.grants.models import (
    Event,
    Grant,
    GrantStatus,
    GrantTerms,
    PeriodKind,
    Report,
    ReportPeriod,
    ReportStatus,
)
from smallgrants.organisations.models import Organisation, OrganisationMember

PASSWORD = "benchmark-password"  # noqa: S105 - every account of a benchmark dataset
REGION = "KZ-33"
CRITERIA = ((10, 3), (10, 2), (10, 1))  # (maximum, weight): three weighted criteria
CHUNK = 5000


@dataclass
class Built:
    """Ids and sign-ins of one built competition."""

    competition_id: int
    application_ids: list[int]
    coordinator: str
    members: list[str]  # e-mails; the first is the chair
    chair: str
    decided: int = 0
    extra: dict = field(default_factory=dict)


def _bulk(model, rows: list[dict]) -> None:
    for start in range(0, len(rows), CHUNK):
        db.session.execute(insert(model), rows[start : start + CHUNK])


def _ids(model, column, values) -> dict:
    """value of `column` → id, for rows just inserted."""
    found = {}
    values = list(values)
    for start in range(0, len(values), CHUNK):
        part = values[start : start + CHUNK]
        found.update(db.session.execute(select(column, model.id).where(column.in_(part))).all())
    return found


_hash_cache: dict[str, str] = {}


def _password_hash() -> str:
    if PASSWORD not in _hash_cache:
        from werkzeug.security import generate_password_hash

        _hash_cache[PASSWORD] = generate_password_hash(PASSWORD)
    return _hash_cache[PASSWORD]


def users(emails: list[str], names: list[str], roles=()) -> dict[str, int]:
    now = utcnow()
    _bulk(
        User,
        [
            {
                "email": e,
                "password_hash": _password_hash(),
                "full_name": n,
                "locale": "kk",
                "active": True,
                "email_confirmed_at": now,
                "created_at": now,
                "consent_at": now,
                "consent_version": "2024-01",
            }
            for e, n in zip(emails, names, strict=True)
        ],
    )
    ids = _ids(User, User.email, emails)
    if roles:
        _bulk(
            UserRole,
            [{"user_id": ids[e], "role": r, "granted_at": now} for e in emails for r in roles],
        )
    if Role.COORDINATOR in roles:
        _bulk(
            OrganisationMember,
            [{"organisation_id": holder_id(), "user_id": ids[e], "added_at": now} for e in emails],
        )
    return ids


def holder_id() -> int:
    """The one grant holder of the dataset: every competition and project is its."""
    found = db.session.scalar(select(Organisation.id).where(Organisation.short_name == "bench"))
    if found is None:
        db.session.execute(
            insert(Organisation),
            [
                {
                    "short_name": "bench",
                    "name_kk": "«Бенчмарк» қоғамдық бірлестігі",
                    "name_ru": "",
                    "bin": "",
                    "head_name": "",
                    "address": "",
                    "phone": "",
                    "region_code": REGION,
                    "created_at": utcnow(),
                }
            ],
        )
        found = db.session.scalar(select(Organisation.id).where(Organisation.short_name == "bench"))
    return found


def _iin(n: int) -> str:
    """A 12-digit IIN-shaped key, unique per n (no check digit needed by the tables)."""
    return f"9{n:011d}"


def competition(tag: str, coordinator_id: int, *, grant_count: int = 10) -> int:
    now = utcnow()
    db.session.execute(
        insert(Competition),
        [
            {
                "status": CompetitionStatus.PUBLISHED,
                "title_kk": f"Шағын гранттар байқауы {tag}",
                "title_ru": f"Конкурс малых грантов {tag}",
                "description_kk": "Бенчмарк",
                "region_code": REGION,
                "grant_amount": 300_000,
                "grant_count": grant_count,
                "opens_at": now - timedelta(days=40),
                "closes_at": now - timedelta(days=20),
                "number_prefix": "SG",
                "created_by_id": coordinator_id,
                "organisation_id": holder_id(),
                "published_at": now - timedelta(days=40),
            }
        ],
    )
    competition_id = db.session.scalar(select(func.max(Competition.id)))
    _bulk(
        Criterion,
        [
            {
                "competition_id": competition_id,
                "position": i,
                "title_kk": f"Өлшемшарт {i}",
                "title_ru": f"Критерий {i}",
                "max_points": most,
                "weight": weight,
            }
            for i, (most, weight) in enumerate(CRITERIA, 1)
        ],
    )
    db.session.execute(
        insert(GrantTerms),
        [
            {
                "competition_id": competition_id,
                "grantor_name": "«Бенчмарк» ҚБ",
                "signing_place": "Алматы",
            }
        ],
    )
    _bulk(
        CompetitionDistrict,
        [
            {"competition_id": competition_id, "district_code": d.code}
            for d in geography.districts_of(REGION)
        ],
    )
    return competition_id


def applications(competition_id: int, n: int, first: int) -> list[int]:
    """n submitted, admitted applications of initiative groups, one applicant account each,
    numbered SG-…-001 on, each with 3 activities, 4 budget lines and 2 expected results."""
    now = utcnow()
    districts = [d.code for d in geography.districts_of(REGION)]
    emails = [f"applicant{first + i}@bench.kz" for i in range(n)]
    owner = users(emails, [f"Өтініш беруші {first + i}" for i in range(n)])
    _bulk(
        ApplicantProfile,
        [
            {
                "owner_id": owner[e],
                "kind": ApplicantKind.GROUP,
                "name": f"«Бастама {first + i}» бастамашыл тобы",
                "leader_iin": _iin(first + i),
                "head_name": f"Жетекші {first + i}",
                "email": e,
                "created_at": now,
                "updated_at": now,
            }
            for i, e in enumerate(emails)
        ],
    )
    profile = dict(
        db.session.execute(
            select(ApplicantProfile.owner_id, ApplicantProfile.id).where(
                ApplicantProfile.owner_id.in_(owner.values())
            )
        ).all()
    )
    rows = []
    for i, e in enumerate(emails, 1):
        rows.append(
            {
                "competition_id": competition_id,
                "profile_id": profile[owner[e]],
                "applicant_id": owner[e],
                "status": ApplicationStatus.ADMISSIBLE,
                "title": f"Жастар арасында салауатты өмір салтын насихаттау № {first + i - 1}",
                "district_code": districts[i % len(districts)],
                "settlement": "Талдықорған",
                "problem": "Мәселе " * 40,
                "goal": "Мақсат " * 20,
                "tasks": "Міндеттер " * 20,
                "target_group": "Жастар",
                "planned_participants": 50 + i % 50,
                "sustainability": "Тұрақтылық " * 20,
                "team": "Команда " * 10,
                "created_at": now,
                "updated_at": now,
                "seq": i,
                "number": f"SG-{competition_id:04d}-{i:03d}",
                "submitted_at": now - timedelta(days=25),
                "identity_key": f"iin:{_iin(first + i - 1)}",
                "snapshot": {"title": "…", "budget_total": 300_000},
            }
        )
    _bulk(Application, rows)
    ids = list(
        db.session.scalars(
            select(Application.id)
            .where(Application.competition_id == competition_id)
            .order_by(Application.seq)
        )
    )
    _bulk(
        ActivityRow,
        [
            {
                "application_id": a,
                "position": p,
                "activity": f"Іс-шара {p}",
                "dates": "қазан",
                "place": "мектеп",
                "planned_participants": 20,
            }
            for a in ids
            for p in (1, 2, 3)
        ],
    )
    _bulk(
        BudgetLine,
        [
            {
                "application_id": a,
                "position": p,
                "item": f"Шығын {p}",
                "unit": "дана",
                "quantity": 1,
                "unit_cost": 75_000,
            }
            for a in ids
            for p in (1, 2, 3, 4)
        ],
    )
    _bulk(
        ResultRow,
        [
            {"application_id": a, "position": p, "result": f"Нәтиже {p}", "indicator": "адам"}
            for a in ids
            for p in (1, 2)
        ],
    )
    return ids


def commission(
    competition_id: int, member_ids: list[int], names: list[str], emails: list[str]
) -> list[int]:
    now = utcnow()
    db.session.execute(
        insert(Commission),
        [
            {
                "competition_id": competition_id,
                "approval_number": "1",
                "approval_date": (now - timedelta(days=19)).date(),
                "approval_place": "Талдықорған",
                "quorum_numerator": 2,
                "quorum_denominator": 3,
                "dispute_threshold": 25,
                "show_score_in_results": False,
            }
        ],
    )
    roles = [CommissionRole.CHAIR, CommissionRole.SECRETARY] + [CommissionRole.MEMBER] * (
        len(member_ids) - 2
    )
    _bulk(
        CommissionMember,
        [
            {
                "competition_id": competition_id,
                "user_id": user_id,
                "email": email,
                "full_name": name,
                "job_title": "сарапшы",
                "role": role,
                "voting": True,
                "position": position,
                "invited_at": now,
                "joined_at": now,
            }
            for position, (user_id, name, email, role) in enumerate(
                zip(member_ids, names, emails, roles, strict=True), 1
            )
        ],
    )
    return list(
        db.session.scalars(
            select(CommissionMember.id)
            .where(CommissionMember.competition_id == competition_id)
            .order_by(CommissionMember.position)
        )
    )


def scores(
    seats: list[int], application_ids: list[int], competition_id: int, rng: random.Random
) -> None:
    """Every seat declares no conflict and submits a sheet on every application."""
    now = utcnow()
    criteria = list(
        db.session.scalars(
            select(Criterion)
            .where(Criterion.competition_id == competition_id)
            .order_by(Criterion.position)
        )
    )
    _bulk(
        ConflictDeclaration,
        [
            {"member_id": s, "application_id": a, "conflict": False, "declared_at": now}
            for s in seats
            for a in application_ids
        ],
    )
    _bulk(
        ScoreSheet,
        [
            {
                "member_id": s,
                "application_id": a,
                "status": SheetStatus.SUBMITTED,
                "comment": "",
                "updated_at": now,
                "submitted_at": now,
            }
            for s in seats
            for a in application_ids
        ],
    )
    sheet_ids = list(
        db.session.scalars(
            select(ScoreSheet.id).where(ScoreSheet.member_id.in_(seats)).order_by(ScoreSheet.id)
        )
    )
    _bulk(
        ScorePoint,
        [
            {"sheet_id": sheet, "criterion_id": c.id, "points": rng.randint(3, c.max_points)}
            for sheet in sheet_ids
            for c in criteria
        ],
    )


def meeting(competition_id: int, seats: list[int], *, signed: bool = False) -> int:
    now = utcnow()
    db.session.execute(
        insert(Meeting),
        [
            {
                "competition_id": competition_id,
                "number": "2",
                "held_at": now - timedelta(days=5),
                "place": "Талдықорған",
                "created_at": now,
                "signed_at": now - timedelta(days=4) if signed else None,
                "protocol_locale": "kk" if signed else None,
            }
        ],
    )
    meeting_id = db.session.scalar(
        select(Meeting.id).where(Meeting.competition_id == competition_id)
    )
    _bulk(
        Attendance,
        [
            {"meeting_id": meeting_id, "member_id": s, "mode": AttendanceMode.IN_PERSON}
            for s in seats
        ],
    )
    return meeting_id


def decisions(meeting_id: int, application_ids: list[int], awards: int, votes: int) -> list[int]:
    """Awards for the first `awards` applications, rejections for the rest given."""
    now = utcnow()
    _bulk(
        Decision,
        [
            {
                "meeting_id": meeting_id,
                "application_id": a,
                "outcome": Outcome.AWARD if i < awards else Outcome.REJECT,
                "amount": 300_000 if i < awards else None,
                "votes_for": votes,
                "votes_against": 0,
                "votes_abstain": 0,
                "rationale": "",
                "tie_break": "",
                "decided_at": now,
            }
            for i, a in enumerate(application_ids)
        ],
    )
    return list(
        db.session.scalars(
            select(Decision.id).where(Decision.meeting_id == meeting_id).order_by(Decision.id)
        )
    )


def build_commission(
    n: int = 1000,
    members: int = 5,
    *,
    tag: str = "A",
    decided: int = 0,
    published_winners: int = 0,
    seed: int = 2023,
    first_applicant: int = 1,
) -> Built:
    """One competition with n admitted applications, `members` voting members who submitted a
    sheet on each, scoring closed and the meeting open with everyone present; `decided`
    decisions already recorded. With `published_winners`, the protocol is signed and the
    results published with that many awards (the public results page)."""
    rng = random.Random(seed)
    coordinator = f"coordinator-{tag.lower()}@bench.kz"
    member_emails = [f"member{i}-{tag.lower()}@bench.kz" for i in range(1, members + 1)]
    member_names = [f"Мүше {chr(0x410 + i)} {tag}" for i in range(members)]
    ids = users([coordinator], [f"Үйлестіруші {tag}"], roles=(Role.COORDINATOR,))
    member_user = users(member_emails, member_names, roles=(Role.COMMISSION_MEMBER,))
    competition_id = competition(tag, ids[coordinator])
    application_ids = applications(competition_id, n, first_applicant)
    seats = commission(
        competition_id, [member_user[e] for e in member_emails], member_names, member_emails
    )
    scores(seats, application_ids, competition_id, rng)
    now = utcnow()
    db.session.execute(
        Commission.__table__.update()
        .where(Commission.__table__.c.competition_id == competition_id)
        .values(scoring_closed_at=now - timedelta(days=6))
    )
    meeting_id = meeting(competition_id, seats, signed=bool(published_winners))
    if published_winners:
        decisions(meeting_id, application_ids[:published_winners], published_winners, members)
        db.session.execute(
            Commission.__table__.update()
            .where(Commission.__table__.c.competition_id == competition_id)
            .values(results_published_at=now - timedelta(days=3))
        )
    elif decided:
        decisions(meeting_id, application_ids[:decided], min(decided, 5), members)
    db.session.commit()
    return Built(
        competition_id,
        application_ids,
        coordinator,
        member_emails,
        member_emails[0],
        decided,
        {"meeting_id": meeting_id, "seats": seats},
    )


def grants(
    built: Built, *, events_per_report: int = 0, rng: random.Random | None = None
) -> list[int]:
    """Grants for the built competition's awards, an interim and a final period, a submitted
    (accepted) interim report with `events_per_report` events per grant."""
    rng = rng or random.Random(7)
    now = utcnow()
    c = built.competition_id
    _bulk(
        ReportPeriod,
        [
            {
                "competition_id": c,
                "position": 1,
                "kind": PeriodKind.INTERIM,
                "due_at": now - timedelta(days=2),
            },
            {
                "competition_id": c,
                "position": 2,
                "kind": PeriodKind.FINAL,
                "due_at": now + timedelta(days=30),
            },
        ],
    )
    periods = list(
        db.session.scalars(
            select(ReportPeriod.id)
            .where(ReportPeriod.competition_id == c)
            .order_by(ReportPeriod.position)
        )
    )
    awards = db.session.execute(
        select(Decision.id, Decision.application_id)
        .join(Meeting, Meeting.id == Decision.meeting_id)
        .where(Meeting.competition_id == c, Decision.outcome == Outcome.AWARD)
        .order_by(Decision.id)
    ).all()
    _bulk(
        Grant,
        [
            {
                "competition_id": c,
                "application_id": application_id,
                "decision_id": decision_id,
                "agreement_number": f"ШГ-{c}-{i}",
                "agreement_date": (now - timedelta(days=2)).date(),
                "starts_on": (now - timedelta(days=2)).date(),
                "ends_on": (now + timedelta(days=60)).date(),
                "status": GrantStatus.ACTIVE,
                "status_reason": "",
                "created_at": now,
            }
            for i, (decision_id, application_id) in enumerate(awards, 1)
        ],
    )
    grant_ids = list(
        db.session.scalars(select(Grant.id).where(Grant.competition_id == c).order_by(Grant.id))
    )
    if not events_per_report:
        return grant_ids
    _bulk(
        Report,
        [
            {
                "grant_id": g,
                "period_id": periods[0],
                "status": ReportStatus.ACCEPTED,
                "results": "Нәтижелер",
                "version": 1,
                "updated_at": now,
                "submitted_at": now - timedelta(days=1),
                "reviewed_at": now,
            }
            for g in grant_ids
        ],
    )
    reports = list(
        db.session.scalars(
            select(Report.id).where(Report.grant_id.in_(grant_ids)).order_by(Report.id)
        )
    )
    districts = [d.code for d in geography.districts_of(REGION)]
    rows = []
    for r in reports:
        for p in range(1, events_per_report + 1):
            total = rng.randint(10, 60)
            men = total // 2
            rows.append(
                {
                    "report_id": r,
                    "position": p,
                    "title": f"Тренинг {p}",
                    "held_on": (now - timedelta(days=3)).date(),
                    "district_code": districts[p % len(districts)],
                    "total": total,
                    "men": men,
                    "women": total - men,
                    "s_youth": total,
                    "a_17_22": total,
                }
            )
    _bulk(Event, rows)
    return grant_ids


def build_national(
    competitions: int = 500,
    per_competition: int = 50,
    members: int = 6,
    member_pool: int = 300,
    grants_per_competition: int = 10,
    events_per_report: int = 20,
    *,
    first_applicant: int = 1_000_001,  # after any other dataset's applicants
    progress=print,
) -> list[Built]:
    """A national programme's year: 500 competitions × 50 applications (25 000), 300 members
    (6 seats on each commission: 150 000 sheets), 10 grants each (5 000), 20 events in each
    grant's accepted interim report (100 000). Published results, grants running."""
    rng = random.Random(2025)
    pool_emails = [f"expert{i}@bench.kz" for i in range(1, member_pool + 1)]
    pool_names = [f"Сарапшы {i}" for i in range(1, member_pool + 1)]
    pool = users(pool_emails, pool_names, roles=(Role.COMMISSION_MEMBER,))
    coordinator = "coordinator@bench.kz"
    coordinator_id = users([coordinator], ["Үйлестіруші"], roles=(Role.COORDINATOR,))[coordinator]
    built = []
    for k in range(competitions):
        c = competition(f"N{k + 1}", coordinator_id, grant_count=grants_per_competition)
        application_ids = applications(c, per_competition, first_applicant + k * per_competition)
        chosen = rng.sample(range(member_pool), members)
        emails = [pool_emails[i] for i in chosen]
        seats = commission(c, [pool[e] for e in emails], [pool_names[i] for i in chosen], emails)
        scores(seats, application_ids, c, rng)
        now = utcnow()
        meeting_id = meeting(c, seats, signed=True)
        decisions(
            meeting_id,
            application_ids[: grants_per_competition * 2],
            grants_per_competition,
            members,
        )
        db.session.execute(
            Commission.__table__.update()
            .where(Commission.__table__.c.competition_id == c)
            .values(
                scoring_closed_at=now - timedelta(days=6),
                results_published_at=now - timedelta(days=3),
            )
        )
        one = Built(c, application_ids, coordinator, emails, emails[0])
        grants(one, events_per_report=events_per_report, rng=rng)
        db.session.commit()
        built.append(one)
        if (k + 1) % 50 == 0:
            progress(f"  {k + 1} of {competitions} competitions")
    return built


def build_project(built: list[Built], coordinator_email: str) -> int:
    """A project whose one task has every built competition attached (the final report of a
    programme's grant holder), through the reporting services."""
    from smallgrants.reporting import services as rs

    actor = db.session.scalars(select(User).where(User.email == coordinator_email)).one()
    project = rs.create_project(
        actor,
        rs.ProjectInput(
            organisation="«Бенчмарк» қоғамдық бірлестігі",
            title=f"Бағдарлама: {len(built)} байқау",
            agreement_number="1",
            agreement_date=date(2026, 1, 10),
            starts_on=date(2026, 1, 10),
            ends_on=date(2026, 12, 20),
            grant_sum=sum(300_000 * 10 for _ in built),
        ),
    )
    task = rs.add_task(actor, project, "Шағын гранттар беру")
    for one in built:
        competition_row = db.session.get(Competition, one.competition_id)
        rs.attach_competition(actor, task, competition_row)
    db.session.commit()
    return project.id
