"""Read side of the commission: a member's list, the progress matrix, the ranking.

The ranking reads every submitted point of non-conflicted members in one query and applies
the formulas of `scoring` (docs/scoring.md); nothing else computes a score.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date
from fractions import Fraction

from sqlalchemy import and_, case, exists, func, select
from sqlalchemy.orm import aliased, lazyload, raiseload

from smallgrants.applications.models import (
    ApplicantKind,
    ApplicantProfile,
    Application,
    ApplicationStatus,
)
from smallgrants.commission import conflicts, scoring
from smallgrants.commission.models import (
    Assignment,
    Commission,
    CommissionMember,
    ConflictDeclaration,
    Decision,
    Meeting,
    Outcome,
    Reaction,
    ScorePoint,
    ScoreSheet,
    SheetStatus,
    Stage,
    TieBreakRule,
    stage_of,
)
from smallgrants.competitions.models import Competition, Criterion
from smallgrants.core.search import contains_text
from smallgrants.extensions import db
from smallgrants.organisations.queries import held_by


def admitted(competition_id: int):
    """SQL: the application is admitted to scoring in this competition — what the commission
    scores, ranks and decides on (every query below filters with it)."""
    return and_(
        Application.competition_id == competition_id,
        Application.status == ApplicationStatus.ADMISSIBLE,
    )


@dataclass(frozen=True, slots=True)
class Entry:
    """What the commission's pages show of an admitted application, read as one row (no
    application graph: its activities, budget and documents are the application page's)."""

    id: int
    seq: int | None
    number: str
    title: str
    applicant: str  # the applicant profile's name
    kind: ApplicantKind
    district_code: str
    video_url: str


def entries(competition_id: int, application_id: int | None = None) -> list[Entry]:
    """The competition's admitted applications by registration number (or the one asked)."""
    query = (
        select(
            Application.id,
            Application.seq,
            Application.number,
            Application.title,
            ApplicantProfile.name,
            ApplicantProfile.kind,
            Application.district_code,
            Application.video_url,
        )
        .join(ApplicantProfile, ApplicantProfile.id == Application.profile_id)
        .where(admitted(competition_id))
        .order_by(Application.seq)
    )
    if application_id is not None:
        query = query.where(Application.id == application_id)
    return [Entry(*row) for row in db.session.execute(query)]


@dataclass
class Listed:
    """What a member's list shows of an application: its id, number and title."""

    id: int
    number: str
    title: str


@dataclass
class MemberRow:
    application: Listed
    declared: bool
    sheet_status: str | None  # None, "draft", "submitted"


def commission_of_id(competition_id: int) -> Commission | None:
    return db.session.get(Commission, competition_id)


def member_of(user, competition_id: int) -> CommissionMember | None:
    """The user's seat on the competition's commission, if any."""
    if not user.is_authenticated:
        return None
    return db.session.scalars(
        select(CommissionMember)
        .where(
            CommissionMember.competition_id == competition_id,
            CommissionMember.user_id == user.id,
        )
        # the account is the one asked about, already in the session: not joined again
        .options(lazyload(CommissionMember.user))
    ).first()


def declaration_of(member: CommissionMember, application_id: int) -> ConflictDeclaration | None:
    return db.session.scalars(
        select(ConflictDeclaration).where(
            ConflictDeclaration.member_id == member.id,
            ConflictDeclaration.application_id == application_id,
        )
    ).first()


def has_cleared(member: CommissionMember, application_id: int) -> bool:
    """Declared "no conflict". (Whether any conflict, declared or built in, closes the
    application is `visible_applications`' rule; the predicates ask both.)"""
    declaration = declaration_of(member, application_id)
    return declaration is not None and not declaration.conflict


def sheet_of(member: CommissionMember, application_id: int) -> ScoreSheet | None:
    return db.session.scalars(
        select(ScoreSheet).where(
            ScoreSheet.member_id == member.id, ScoreSheet.application_id == application_id
        )
    ).first()


def visible_applications(member: CommissionMember):
    """The one query of what a seat may see: the admitted applications of its competition,
    without those it is conflicted on (declared or built in: absent, not greyed out), and only
    the assigned ones when the coordinator assigns k members per application. Every list,
    search and page of a member is built on it (`policies.can_open_application` too)."""
    commission = db.session.get(Commission, member.competition_id)
    query = select(Application).where(
        admitted(member.competition_id), ~conflicts.conflicted(member.id, Application.id)
    )
    if commission is not None and commission.reviewers_per_application is not None:
        query = query.where(
            exists().where(
                Assignment.member_id == member.id, Assignment.application_id == Application.id
            )
        )
    return query


def is_visible(member: CommissionMember, application_id: int) -> bool:
    query = visible_applications(member).where(Application.id == application_id)
    return db.session.scalar(select(query.exists())) is True


def member_applications(member: CommissionMember, q: str = "") -> list[MemberRow]:
    """What a member works on (`visible_applications`), with their declaration and sheet."""
    visible = visible_applications(member).subquery()
    shown = aliased(Application, visible)
    query = (
        select(shown.id, shown.number, shown.title, ConflictDeclaration.id, ScoreSheet.status)
        .outerjoin(
            ConflictDeclaration,
            and_(
                ConflictDeclaration.application_id == shown.id,
                ConflictDeclaration.member_id == member.id,
            ),
        )
        .outerjoin(
            ScoreSheet,
            and_(ScoreSheet.application_id == shown.id, ScoreSheet.member_id == member.id),
        )
        .order_by(shown.seq)
    )
    if q:
        query = query.where(contains_text(q, shown.number, shown.title))

    return [  # columns, not Application graphs: the list shows three of them
        MemberRow(
            Listed(i, number, title), declaration_id is not None, status.value if status else None
        )
        for i, number, title, declaration_id, status in db.session.execute(query)
    ]


# --- progress ---------------------------------------------------------------------------


@dataclass
class Progress:
    members: list[CommissionMember]
    applications: list[Entry]
    cells: dict[tuple[int, int], str]  # (member, application) → state
    done: dict[int, int]
    total: dict[int, int]

    @property
    def unfinished(self) -> dict[int, int]:
        return {m: self.total[m] - self.done[m] for m in self.total}

    @property
    def overall(self) -> tuple[int, int]:
        return sum(self.done.values()), sum(self.total.values())

    def by_application(self) -> list[tuple[Entry, list[tuple[int, str]]]]:
        """The matrix a row per application: (application, [(member, state), …])."""
        member_ids = [m.id for m in self.members]
        return [(a, [(m, self.cells[(m, a.id)]) for m in member_ids]) for a in self.applications]


def progress(commission: Commission) -> Progress:
    """member × application: conflict, not_assigned, undeclared, todo, draft or submitted."""
    members = [m for m in commission.members if m.voting and not m.is_pending]
    applications = entries(commission.competition_id)
    member_ids = [m.id for m in members]
    conflicted = conflicts.conflicted_seats(commission.competition_id)
    declarations = {
        (member_id, application_id): conflict
        for member_id, application_id, conflict in db.session.execute(
            select(
                ConflictDeclaration.member_id,
                ConflictDeclaration.application_id,
                ConflictDeclaration.conflict,
            ).where(ConflictDeclaration.member_id.in_(member_ids))
        )
    }
    sheets = {
        (member_id, application_id): status
        for member_id, application_id, status in db.session.execute(
            select(ScoreSheet.member_id, ScoreSheet.application_id, ScoreSheet.status).where(
                ScoreSheet.member_id.in_(member_ids)
            )
        )
    }
    assigned = None
    if commission.reviewers_per_application is not None:
        assigned = set(
            db.session.execute(
                select(Assignment.member_id, Assignment.application_id).where(
                    Assignment.member_id.in_(member_ids)
                )
            )
        )
    cells, done, total = {}, dict.fromkeys(member_ids, 0), dict.fromkeys(member_ids, 0)
    for m in members:
        for a in applications:
            key = (m.id, a.id)
            if m.id in conflicted.get(a.id, ()):
                state = "conflict"
            elif assigned is not None and key not in assigned:
                state = "not_assigned"
            elif key not in declarations:
                state = "undeclared"
            elif key not in sheets:
                state = "todo"
            else:
                state = sheets[key].value
            cells[key] = state
            if state not in ("conflict", "not_assigned"):
                total[m.id] += 1
                done[m.id] += state == "submitted"
    return Progress(members, applications, cells, done, total)


# --- ranking ----------------------------------------------------------------------------


@dataclass
class SheetView:
    member_id: int
    points: dict[int, int]  # criterion → points; filled for one application's page only
    total: Fraction
    weighted: int = 0  # Σ fᵢ · sᵢ of `scoring.integer_weights`: total = 100 · weighted / D
    heaviest: int = 0  # the points on the heaviest criterion (its tie-break rule)


@dataclass(frozen=True, slots=True)
class Seat:
    """What the ranking shows of a seat: plain values, so that kept rows outlive the
    request that read them."""

    id: int
    full_name: str
    position: int


@dataclass
class RankRow:
    application: Entry
    stats: scoring.ScoreStats
    rank: int
    tied: bool
    sheets: list[SheetView] = field(default_factory=list)
    heaviest_mean: Fraction | None = None
    recused: list[Seat] = field(default_factory=list)
    decision: Decision | None = None
    likes: int | None = None  # the latest count of its public reactions (a contest)
    likes_on: date | None = None  # the day of that count
    final: Fraction | None = None  # commission and reactions weighted, when reactions score

    @property
    def score(self) -> Fraction | None:
        """What ranks it: the final score where reactions count, else the commission's mean."""
        return self.final if self.final is not None else self.stats.mean


def latest_likes(competition_id: int) -> dict[int, tuple[int, date]]:
    """Each entry's latest count of public reactions: application id → (likes, day)."""
    latest = (
        select(Reaction.application_id, func.max(Reaction.counted_on).label("day"))
        .join(Application, Application.id == Reaction.application_id)
        .where(Application.competition_id == competition_id)
        .group_by(Reaction.application_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Reaction.application_id, Reaction.likes, Reaction.counted_on).join(
            latest,
            (latest.c.application_id == Reaction.application_id)
            & (latest.c.day == Reaction.counted_on),
        )
    ).all()
    return {application_id: (likes, day) for application_id, likes, day in rows}


def final_scores(
    means: dict[int, Fraction | None], likes: dict[int, int], weight: int
) -> dict[int, Fraction | None]:
    """The score with public reactions in it: (100 − weight) % of the commission's mean and
    weight % of the reactions' points, the most liked entry 100 and the others in proportion
    (exact fractions). An entry without a mean (no sheet) has no final score."""
    most = max(likes.values(), default=0)
    return {
        key: None
        if mean is None
        else mean * (100 - weight) / 100
        + (Fraction(likes.get(key, 0) * 100, most) if most else Fraction(0)) * weight / 100
        for key, mean in means.items()
    }


def _counted(query, competition_id: int, conflicts_known: bool = False):
    """Only the sheets a score is computed from: submitted, on an admitted application of
    the competition, by a member not conflicted on it — in SQL (`conflicts.conflicted`), or,
    with `conflicts_known`, left to the caller, who drops the pairs of the competition's
    `conflicts.recusals` it has read anyway (the ranking: one query for both)."""
    query = query.join(Application, Application.id == ScoreSheet.application_id).where(
        admitted(competition_id), ScoreSheet.status == SheetStatus.SUBMITTED
    )
    if conflicts_known:
        return query
    return query.where(~conflicts.conflicted(ScoreSheet.member_id, ScoreSheet.application_id))


def submitted_points(
    competition_id: int, application_id: int | None = None
) -> list[tuple[int, int, int, int]]:
    """(application, sheet, criterion, points) of every counted sheet (`_counted`), or of
    one application's."""
    query = _counted(
        select(
            ScoreSheet.application_id,
            ScoreSheet.id,
            ScorePoint.criterion_id,
            ScorePoint.points,
        ).join(ScorePoint, ScorePoint.sheet_id == ScoreSheet.id),
        competition_id,
    )
    if application_id is not None:
        query = query.where(ScoreSheet.application_id == application_id)
    return list(
        db.session.execute(
            query.order_by(ScoreSheet.application_id, ScoreSheet.id, ScorePoint.criterion_id)
        )
    )


def denominator_of(criteria: list[Criterion]) -> int:
    """D of `scoring.integer_weights` for the competition's criteria (1 without any)."""
    if not criteria:
        return 1
    return scoring.integer_weights(
        [scoring.CriterionSpec(c.max_points, c.weight) for c in criteria]
    )[1]


def with_reactions(
    competition, means: dict[int, Fraction | None]
) -> tuple[dict[int, tuple[int, date]], dict[int, Fraction | None]]:
    """A contest's latest likes per entry and, where they are weighted in, the final scores
    (`final_scores`); for any other competition, nothing: the mean ranks."""
    if not competition.counts_reactions:
        return {}, {}
    latest = latest_likes(competition.id)
    if not competition.reaction_weight:
        return latest, {}
    likes = {key: n for key, (n, _day) in latest.items()}
    return latest, final_scores(means, likes, competition.reaction_weight)


def counted_sheets(
    competition,
    criteria: list[Criterion],
    application_id: int | None = None,
    recused: dict[int, set[int]] | None = None,
) -> dict[int, list[SheetView]]:
    """application → its counted sheets (`_counted`) by seat, each sheet's weighted points
    summed in SQL (Σ fᵢ · sᵢ, `scoring.integer_weights`) with its points on the heaviest
    criterion; with `application_id`, that application's sheets with every point too. Given
    `recused` (`conflicts.conflicted_seats` of the competition), the conflicted sheets are
    dropped by it instead of in SQL."""
    if not criteria:
        return {}
    specs = [scoring.CriterionSpec(c.max_points, c.weight) for c in criteria]
    factors, denominator = scoring.integer_weights(specs)
    heaviest = criteria[scoring.heaviest_criterion_index(specs)].id
    factor = case(
        *((ScorePoint.criterion_id == c.id, f) for c, f in zip(criteria, factors, strict=True)),
        else_=0,
    )
    query = _counted(
        select(
            ScoreSheet.application_id,
            ScoreSheet.id,
            ScoreSheet.member_id,
            func.sum(ScorePoint.points * factor),
            func.sum(case((ScorePoint.criterion_id == heaviest, ScorePoint.points), else_=0)),
        ).join(ScorePoint, ScorePoint.sheet_id == ScoreSheet.id),
        competition.id,
        conflicts_known=recused is not None,
    ).group_by(ScoreSheet.application_id, ScoreSheet.id, ScoreSheet.member_id)
    points: dict[int, dict[int, int]] = defaultdict(dict)
    if application_id is not None:
        query = query.where(ScoreSheet.application_id == application_id)
        for _a, sheet_id, criterion_id, value in submitted_points(competition.id, application_id):
            points[sheet_id][criterion_id] = value
    sheets: dict[int, list[SheetView]] = defaultdict(list)
    for app_id, sheet_id, member_id, weighted, on_heaviest in db.session.execute(query):
        if recused is not None and member_id in recused.get(app_id, ()):
            continue
        weighted = int(weighted)
        sheets[app_id].append(
            SheetView(
                member_id,
                points.get(sheet_id, {}),
                Fraction(100 * weighted, denominator),
                weighted,
                int(on_heaviest),
            )
        )
    for own in sheets.values():
        own.sort(key=lambda sheet: sheet.member_id)
    return sheets


def scored(commission: Commission) -> list[RankRow]:
    """Every admitted application with its statistics, rank and tie, recusals and reactions,
    without decisions (`ranking` adds them): a fixed number of queries whatever the number of
    applications, reading only the rows of `generations('commission:<id>')` and
    `generations('people')` (migration 0028), so that a worker may keep it."""
    competition = commission.competition
    criteria: list[Criterion] = list(competition.criteria)
    conflicted = conflicts.conflicted_seats(competition.id)
    sheets = counted_sheets(competition, criteria, recused=conflicted)
    denominator = denominator_of(criteria)
    applications = entries(competition.id)
    members = {m.id: Seat(m.id, m.full_name, m.position) for m in commission.members}
    recusals: dict[int, list[Seat]] = defaultdict(list)
    for application_id, seat_ids in conflicted.items():
        recusals[application_id] = sorted((members[i] for i in seat_ids), key=lambda m: m.position)
    threshold = Fraction(commission.dispute_threshold)
    stats = {
        a.id: scoring.weighted_stats(
            [s.weighted for s in sheets.get(a.id, ())], denominator, threshold
        )
        for a in applications
    }
    means = {a.id: stats[a.id].mean for a in applications}
    latest, finals = with_reactions(competition, means)
    likes = {key: n for key, (n, _day) in latest.items()}
    scores = finals or means
    ranks = {
        int(key): (position, tied)
        for key, position, tied in scoring.rank({str(a.id): scores[a.id] for a in applications})
    }
    rows = []
    for a in applications:
        own = sheets.get(a.id, [])
        heaviest_mean = Fraction(sum(s.heaviest for s in own), len(own)) if own else None
        position, tied = ranks[a.id]
        rows.append(
            RankRow(
                application=a,
                stats=stats[a.id],
                rank=position,
                tied=tied,
                sheets=own,
                heaviest_mean=heaviest_mean,
                recused=recusals.get(a.id, []),
                likes=likes.get(a.id, 0) if competition.counts_reactions else None,
                likes_on=latest[a.id][1] if a.id in latest else None,
                final=finals.get(a.id),
            )
        )
    rows.sort(key=lambda r: (r.rank == 0, r.rank, r.application.seq or 0))
    return rows


def ranking(commission: Commission, rows: list[RankRow] | None = None) -> list[RankRow]:
    """`scored` (or the `rows` it gave, which are only read) with each application's decision
    at the meeting: new rows where there is one."""
    rows = scored(commission) if rows is None else rows
    if commission.meeting is None:
        return list(rows)
    decisions = {
        d.application_id: d
        for d in db.session.scalars(
            select(Decision)
            .where(Decision.meeting_id == commission.meeting.id)
            .options(raiseload(Decision.application))
        )
    }
    return [
        replace(r, decision=decisions[r.application.id]) if r.application.id in decisions else r
        for r in rows
    ]


def scores(commission: Commission) -> dict[int, Fraction | None]:
    """What ranks each admitted application — the final score where reactions count, else
    the commission's mean — without the rest of the ranking (a decision's tie check, the
    results e-mails): the same sheets and formulas as `ranking`."""
    competition = commission.competition
    criteria: list[Criterion] = list(competition.criteria)
    ids = db.session.scalars(select(Application.id).where(admitted(competition.id))).all()
    means: dict[int, Fraction | None] = dict.fromkeys(ids)
    denominator = denominator_of(criteria)
    recused = conflicts.conflicted_seats(competition.id)  # cheaper than a condition per sheet
    for application_id, own in counted_sheets(competition, criteria, recused=recused).items():
        means[application_id] = scoring.weighted_mean([s.weighted for s in own], denominator)
    _latest, finals = with_reactions(competition, means)
    return finals or means


def is_tied(commission: Commission, application_id: int) -> bool:
    """The application shares its score with another (the ranking marks it tied)."""
    return scoring.is_tied(scores(commission), application_id)


def scores_of(commission: Commission, application_id: int) -> RankRow | None:
    """One application's sheets (every point) and statistics, for its page; its rank is the
    ranking's (0 here: a member's page does not rank)."""
    competition = commission.competition
    criteria: list[Criterion] = list(competition.criteria)
    found = entries(competition.id, application_id)
    if not found or not criteria:
        return None
    own = counted_sheets(competition, criteria, application_id).get(application_id, [])
    stats = scoring.weighted_stats(
        [s.weighted for s in own], denominator_of(criteria), Fraction(commission.dispute_threshold)
    )
    return RankRow(application=found[0], stats=stats, rank=0, tied=False, sheets=own)


def tie_break_hint(
    commission: Commission, row: RankRow, rows: list[RankRow]
) -> tuple[int, Fraction] | None:
    """What the competition's rule puts a tied application at (place, mean points on the
    heaviest criterion), for the meeting to record; None when the rule is a vote or the
    rule cannot separate them either."""
    if not row.tied or commission.tie_break_rule != TieBreakRule.HEAVIEST_CRITERION:
        return None
    group = [r for r in rows if r.rank == row.rank]
    means = [r.heaviest_mean for r in group]
    if means.count(row.heaviest_mean) > 1:
        return None
    return sorted(means, reverse=True).index(row.heaviest_mean) + row.rank, row.heaviest_mean


def decision_of(meeting_id: int, application_id: int) -> Decision | None:
    """The decision recorded on an application at a meeting, without its application."""
    return db.session.scalar(
        select(Decision)
        .where(Decision.meeting_id == meeting_id, Decision.application_id == application_id)
        .options(raiseload(Decision.application))
    )


def awarded(meeting_id: int | None, except_application: int | None = None) -> tuple[int, int]:
    """(total amount, number) of the awards recorded at a meeting, summed in SQL."""
    if meeting_id is None:
        return 0, 0
    query = select(func.coalesce(func.sum(Decision.amount), 0), func.count(Decision.id)).where(
        Decision.meeting_id == meeting_id, Decision.outcome == Outcome.AWARD
    )
    if except_application is not None:
        query = query.where(Decision.application_id != except_application)
    total, count = db.session.execute(query).one()
    return int(total), int(count)


def awarded_amounts(meeting_id: int | None, except_application: int | None = None) -> list[int]:
    """The amount of each award recorded at a meeting, largest first (prizes by place)."""
    if meeting_id is None:
        return []
    query = select(Decision.amount).where(
        Decision.meeting_id == meeting_id, Decision.outcome == Outcome.AWARD
    )
    if except_application is not None:
        query = query.where(Decision.application_id != except_application)
    return sorted((int(a) for a in db.session.scalars(query)), reverse=True)


def stages_of(competition_ids: list[int]) -> dict[int, Stage]:
    """The stage of each competition's commission (none: not in the answer), in one query."""
    rows = db.session.execute(
        select(
            Commission.competition_id,
            Commission.results_published_at.is_not(None),
            Meeting.signed_at.is_not(None),
            Commission.scoring_closed_at.is_not(None),
            Commission.is_approved,
        )
        .outerjoin(Meeting, Meeting.competition_id == Commission.competition_id)
        .where(Commission.competition_id.in_(competition_ids))
    ).all()
    return {
        cid: stage_of(
            published=bool(published),
            signed=bool(signed),
            scoring_closed=bool(closed),
            approved=bool(approved),
        )
        for cid, published, signed, closed, approved in rows
    }


def awarded_amounts_of(meeting_ids: list[int]) -> dict[int, list[int]]:
    """`awarded_amounts` of several meetings at once (the final report's competitions)."""
    found: dict[int, list[int]] = {m: [] for m in meeting_ids}
    for meeting_id, amount in db.session.execute(
        select(Decision.meeting_id, Decision.amount).where(
            Decision.meeting_id.in_(meeting_ids), Decision.outcome == Outcome.AWARD
        )
    ):
        found[meeting_id].append(int(amount))
    return {m: sorted(amounts, reverse=True) for m, amounts in found.items()}


@dataclass
class Winner:
    application_id: int
    number: str
    title: str
    applicant: str
    kind: str
    district_code: str
    amount: int


def winners(commission: Commission) -> list[Winner]:
    """The awards of the signed meeting, by registration number."""

    if commission.meeting is None:
        return []
    rows = db.session.execute(
        select(
            Application.id,
            Application.number,
            Application.title,
            ApplicantProfile.name,
            ApplicantProfile.kind,
            Application.district_code,
            Decision.amount,
        )
        .join(Decision, Decision.application_id == Application.id)
        .join(ApplicantProfile, ApplicantProfile.id == Application.profile_id)
        .where(Decision.meeting_id == commission.meeting.id, Decision.outcome == Outcome.AWARD)
        .order_by(Application.seq)
    )
    return [Winner(i, n, t, name, kind.value, d, amount) for i, n, t, name, kind, d, amount in rows]


def submitted_sheets(
    commission: Commission, chair: CommissionMember, application_id: int
) -> list[tuple]:
    """(sheet id, member name, application number) of an application's submitted sheets, for
    the chair to reopen on its page; none on an application the chair is conflicted on."""
    return list(
        db.session.execute(
            select(ScoreSheet.id, CommissionMember.full_name, Application.number)
            .join(CommissionMember, CommissionMember.id == ScoreSheet.member_id)
            .join(Application, Application.id == ScoreSheet.application_id)
            .where(
                CommissionMember.competition_id == commission.competition_id,
                ScoreSheet.application_id == application_id,
                ScoreSheet.status == SheetStatus.SUBMITTED,
                ~conflicts.conflicted(chair.id, ScoreSheet.application_id),
            )
            .order_by(CommissionMember.position)
        )
    )


def results_published(competition_id: int) -> bool:
    return (
        db.session.scalar(
            select(Commission.results_published_at).where(
                Commission.competition_id == competition_id
            )
        )
        is not None
    )


def work_of(user) -> list[tuple[Commission, int]]:
    """(commission, applications still to declare on or score) for each seat of the user on
    a commission that is scoring: the visible applications without a submitted sheet of
    theirs (`visible_applications`, so never a conflicted one)."""
    found = []
    for seat in db.session.scalars(
        select(CommissionMember).where(CommissionMember.user_id == user.id)
    ):
        commission = db.session.get(Commission, seat.competition_id)
        if commission is None or commission.stage != Stage.SCORING:
            continue
        visible = visible_applications(seat).subquery()
        left = db.session.scalar(
            select(func.count())
            .select_from(visible)
            .where(
                ~exists().where(
                    ScoreSheet.application_id == visible.c.id,
                    ScoreSheet.member_id == seat.id,
                    ScoreSheet.status == SheetStatus.SUBMITTED,
                )
            )
        )
        if left and seat.voting:
            found.append((commission, left))
    return found


def steps_waiting(organisation_ids: frozenset[int]) -> list[tuple[Commission, str]]:
    """(commission, its next step) for the coordinator, on their organisations' competitions:
    close scoring once every sheet is in, sign the protocol, publish the results."""
    steps = []
    unpublished = (
        select(Commission)
        .join(Competition, Competition.id == Commission.competition_id)
        .where(
            Commission.results_published_at.is_(None),
            held_by(organisation_ids, Competition.organisation_id),
        )
    )
    for commission in db.session.scalars(unpublished.order_by(Commission.competition_id)):
        stage = commission.stage
        if stage == Stage.SCORING_CLOSED:
            steps.append((commission, "meeting"))
        elif stage == Stage.SIGNED:
            steps.append((commission, "publish"))
        elif stage == Stage.SCORING:
            done, total = progress(commission).overall
            if total and done == total:
                steps.append((commission, "close"))
            elif total:
                steps.append((commission, "scoring"))
    return steps
