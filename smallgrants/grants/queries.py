"""Read side of grants and monitoring. Every figure is one SQL aggregate over its source rows
(payments, event rows, expenses), with the filter that produced it, so the pages can link a
figure to the rows behind it (`events`).

Monitoring figures count **accepted** reports unless `accepted_only=False`: what the
coordinator has accepted is what the final report will say.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import and_, case, exists, func, or_, select
from sqlalchemy.orm import Bundle

from smallgrants.applications.models import ApplicantKind, ApplicantProfile, Application, BudgetLine
from smallgrants.commission.models import Decision, Meeting, Outcome
from smallgrants.competitions.models import AwardKind, Competition
from smallgrants.core.collation import collate
from smallgrants.core.timeutil import deadline_second, past_deadline, utcnow, within_deadline
from smallgrants.extensions import db
from smallgrants.grants.breakdowns import ALL_COLUMNS
from smallgrants.grants.models import (
    Event,
    Expense,
    Grant,
    GrantStatus,
    MonitoringVisit,
    Payment,
    PeriodKind,
    PrizePayment,
    Publication,
    Report,
    ReportPeriod,
    ReportStatus,
    Tranche,
    TrancheCondition,
)
from smallgrants.organisations.queries import held_by


def grants_of(competition_id: int) -> list[Grant]:
    return list(
        db.session.scalars(
            select(Grant)
            .join(Application, Application.id == Grant.application_id)
            .where(Grant.competition_id == competition_id)
            .order_by(Application.seq)
        )
    )


def grants_of_user(user_id: int) -> list[Grant]:
    return list(
        db.session.scalars(
            select(Grant)
            .join(Application, Application.id == Grant.application_id)
            .where(Application.applicant_id == user_id)
            .order_by(Grant.id.desc())
        )
    )


# --- money ----------------------------------------------------------------------------


@dataclass(frozen=True)
class LeanGrant:
    """What a lean ledger row knows of its grant: the final report's totals need no more."""

    id: int
    competition_id: int
    status: GrantStatus


@dataclass
class LedgerRow:
    grant: Grant | LeanGrant
    awarded: int
    paid: int

    @property
    def remaining(self) -> int:
        return self.awarded - self.paid


@dataclass
class Ledger:
    pool: int
    awarded: int
    paid: int
    rows: list[LedgerRow]

    @property
    def remaining(self) -> int:
        """Awarded and not yet paid."""
        return self.awarded - self.paid

    @property
    def unawarded(self) -> int:
        return self.pool - self.awarded


def ledger(competition: Competition, by_name: bool = False) -> Ledger:
    """pool → awarded → paid → remaining, per grant and in total; the grants in agreement
    order, or by grantee in the reader's alphabet (`by_name`)."""
    return ledgers([competition], by_name)[competition.id]


def ledgers(
    competitions: list[Competition], by_name: bool = False, lean: bool = False
) -> dict[int, Ledger]:
    """`ledger` of each competition, in one query whatever their number; `lean` rows carry
    the grant's id, competition and status only (`LeanGrant`: the final report's totals), not
    the grant, its application, decision and competition a grant page shows."""
    paid = (
        select(Payment.grant_id, func.sum(Payment.amount).label("paid"))
        .group_by(Payment.grant_id)
        .subquery()
    )
    grant = (Grant.id, Grant.competition_id, Grant.status) if lean else (Grant,)
    rows = db.session.execute(
        select(*grant, Decision.amount, func.coalesce(paid.c.paid, 0))
        .join(Decision, Decision.id == Grant.decision_id)
        .join(Application, Application.id == Grant.application_id)
        .join(ApplicantProfile, ApplicantProfile.id == Application.profile_id)
        .outerjoin(paid, paid.c.grant_id == Grant.id)
        .where(Grant.competition_id.in_([c.id for c in competitions]))
        .order_by(
            *((collate(ApplicantProfile.name), Application.seq) if by_name else (Application.seq,))
        )
    ).all()
    by_competition: dict[int, list[LedgerRow]] = {c.id: [] for c in competitions}
    for *found, amount, p in rows:
        g = LeanGrant(*found) if lean else found[0]
        by_competition[g.competition_id].append(LedgerRow(g, int(amount), int(p)))
    return {
        c.id: Ledger(
            pool=c.pool,
            awarded=sum(r.awarded for r in by_competition[c.id]),
            paid=sum(r.paid for r in by_competition[c.id]),
            rows=by_competition[c.id],
        )
        for c in competitions
    }


def tranche_amounts(amount: int, percents: list[int]) -> list[int]:
    """Whole-tenge amounts of a schedule: each share rounded down, the last takes the rest, so
    the tranches always add up to the award exactly."""
    amounts = [amount * p // 100 for p in percents[:-1]]
    return [*amounts, amount - sum(amounts)]


def _accepted_report(kind: PeriodKind):
    return exists().where(
        Report.grant_id == Grant.id,
        ReportPeriod.id == Report.period_id,
        ReportPeriod.kind == kind,
        Report.status == ReportStatus.ACCEPTED,
    )


def tranche_payable():
    """The one SQL condition "this tranche of this grant may be paid" (a query with `Grant` and
    `Tranche`): on the agreement at once, otherwise once the interim (or final) report is
    accepted."""
    return or_(
        Tranche.condition == TrancheCondition.ON_AGREEMENT,
        and_(
            Tranche.condition == TrancheCondition.INTERIM_ACCEPTED,
            _accepted_report(PeriodKind.INTERIM),
        ),
        and_(
            Tranche.condition == TrancheCondition.FINAL_ACCEPTED,
            _accepted_report(PeriodKind.FINAL),
        ),
    )


def payments_due(organisation_ids: frozenset[int]) -> list[tuple[Competition, int]]:
    """The start page: per competition, the tranches of open grants that may be paid now and
    are not paid in full (one query over every grant and tranche; the amounts by
    `tranche_amounts`, as the grant page shows them), or a contest's prizes of the signed
    protocol not paid yet; of the coordinator's organisations' competitions."""
    mine = held_by(organisation_ids, Competition.organisation_id)
    paid = (
        select(
            Payment.grant_id,
            Payment.tranche_position,
            func.sum(Payment.amount).label("paid"),
        )
        .group_by(Payment.grant_id, Payment.tranche_position)
        .subquery()
    )
    rows = db.session.execute(
        select(
            Grant.competition_id,
            Grant.id,
            Decision.amount,
            Tranche.percent,
            tranche_payable(),
            func.coalesce(paid.c.paid, 0),
        )
        .join(Decision, Decision.id == Grant.decision_id)
        .join(Competition, Competition.id == Grant.competition_id)
        .join(Tranche, Tranche.competition_id == Grant.competition_id)
        .outerjoin(
            paid, and_(paid.c.grant_id == Grant.id, paid.c.tranche_position == Tranche.position)
        )
        .where(Grant.status.in_([GrantStatus.ACTIVE, GrantStatus.REPORTING]), mine)
        .order_by(Grant.competition_id, Grant.id, Tranche.position)
    ).all()
    schedules: dict[tuple[int, int], list] = {}
    for competition_id, grant_id, amount, percent, payable, paid_sum in rows:
        schedules.setdefault((competition_id, grant_id), []).append(
            (int(amount), percent, bool(payable), int(paid_sum))
        )
    counts: dict[int, int] = {}
    unpaid_prizes = db.session.execute(  # a contest's awards with no payment recorded
        select(Meeting.competition_id, func.count(Decision.id))
        .join(Decision, Decision.meeting_id == Meeting.id)
        .join(Competition, Competition.id == Meeting.competition_id)
        .outerjoin(PrizePayment, PrizePayment.decision_id == Decision.id)
        .where(
            Competition.award_kind == AwardKind.PRIZE,
            Meeting.signed_at.is_not(None),
            Decision.outcome == Outcome.AWARD,
            PrizePayment.id.is_(None),
            mine,
        )
        .group_by(Meeting.competition_id)
    ).all()
    for competition_id, n in unpaid_prizes:
        counts[competition_id] = int(n)
    for (competition_id, _grant), tranches in schedules.items():
        amounts = tranche_amounts(tranches[0][0], [t[1] for t in tranches])
        due = sum(
            1
            for (_, _, payable, paid_sum), amount in zip(tranches, amounts, strict=True)
            if payable and paid_sum < amount
        )
        if due:
            counts[competition_id] = counts.get(competition_id, 0) + due
    if not counts:
        return []
    competitions = db.session.scalars(
        select(Competition).where(Competition.id.in_(counts)).order_by(Competition.id)
    ).all()
    return [(c, counts[c.id]) for c in competitions]


def prizes_paid(competition_id: int) -> tuple[int, int]:
    """(how many, how much) of a contest's prizes are paid, summed in SQL."""
    return prizes_paid_by_competition([competition_id])[competition_id]


def prizes_paid_by_competition(competition_ids: list[int]) -> dict[int, tuple[int, int]]:
    rows = db.session.execute(
        select(
            Meeting.competition_id,
            func.count(PrizePayment.id),
            func.coalesce(func.sum(PrizePayment.amount), 0),
        )
        .join(Decision, Decision.id == PrizePayment.decision_id)
        .join(Meeting, Meeting.id == Decision.meeting_id)
        .where(Meeting.competition_id.in_(competition_ids))
        .group_by(Meeting.competition_id)
    ).all()
    found = {cid: (int(n), int(total)) for cid, n, total in rows}
    return {cid: found.get(cid, (0, 0)) for cid in competition_ids}


@dataclass
class PrizeRow:
    decision: Decision
    application: Application
    payment: PrizePayment | None


def prize_winners(competition_id: int) -> list[PrizeRow]:
    """The awards of the competition's signed protocol with their payment, if made: largest
    prize first, then by number (one query)."""
    rows = db.session.execute(
        select(Decision, Application, PrizePayment)
        .join(Application, Application.id == Decision.application_id)
        .join(Meeting, Meeting.id == Decision.meeting_id)
        .outerjoin(PrizePayment, PrizePayment.decision_id == Decision.id)
        .where(
            Meeting.competition_id == competition_id,
            Meeting.signed_at.is_not(None),
            Decision.outcome == Outcome.AWARD,
        )
        .order_by(Decision.amount.desc(), Application.seq)
    ).all()
    return [PrizeRow(d, a, p) for d, a, p in rows]


def payments_of(grant_id: int) -> list[Payment]:
    return list(
        db.session.scalars(
            select(Payment)
            .where(Payment.grant_id == grant_id)
            .order_by(Payment.paid_on, Payment.id)
        )
    )


def payments_by_grant(grant_ids: list[int]) -> dict[int, list[Payment]]:
    """`payments_of` each of these grants, in one query."""
    found: dict[int, list[Payment]] = {gid: [] for gid in grant_ids}
    if grant_ids:
        for payment in db.session.scalars(
            select(Payment)
            .where(Payment.grant_id.in_(grant_ids))
            .order_by(Payment.paid_on, Payment.id)
        ):
            found[payment.grant_id].append(payment)
    return found


# --- participants ---------------------------------------------------------------------


@dataclass
class EventFilter:
    """Which event rows a figure sums: the same filter lists them (`events`)."""

    competition_id: int | None
    grant_id: int | None = None
    district_code: str | None = None
    report_id: int | None = None
    accepted_only: bool = True
    competition_ids: tuple[int, ...] | None = None  # several competitions at once (a report)

    def where(self, query):
        query = query.join(Report, Report.id == Event.report_id).join(
            Grant, Grant.id == Report.grant_id
        )
        if self.competition_ids is not None:
            query = query.where(Grant.competition_id.in_(self.competition_ids))
        else:
            query = query.where(Grant.competition_id == self.competition_id)
        if self.accepted_only:
            query = query.where(Report.status == ReportStatus.ACCEPTED)
        if self.grant_id is not None:
            query = query.where(Grant.id == self.grant_id)
        if self.district_code is not None:
            query = query.where(Event.district_code == self.district_code)
        if self.report_id is not None:
            query = query.where(Report.id == self.report_id)
        return query

    def args(self) -> dict:
        """The same filter as URL arguments of the events list."""
        values = {
            "grant": self.grant_id,
            "district": self.district_code,
            "report": self.report_id,
            "all": None if self.accepted_only else 1,
        }
        return {k: v for k, v in values.items() if v is not None}


@cache
def _participant_sums() -> tuple:
    """SUM of each participant column (0 over no rows), labelled with the column's name:
    built once (SQL expressions are immutable), not 25 functions for every figure."""
    return tuple(func.coalesce(func.sum(getattr(Event, c)), 0).label(c) for c in ALL_COLUMNS)


def participants(flt: EventFilter) -> dict[str, int]:
    """SUM of every participant column over the filtered events, plus `events`."""
    columns = _participant_sums()
    row = db.session.execute(
        flt.where(select(func.count(Event.id).label("events"), *columns))
    ).one()
    return {key: int(value) for key, value in row._mapping.items()}


def participants_by_competition(
    competition_ids: list[int], accepted_only: bool = True
) -> dict[int, dict[str, int]]:
    """`participants` of each competition, with the day of its last event (`last_day`)."""
    flt = EventFilter(None, competition_ids=tuple(competition_ids), accepted_only=accepted_only)
    columns = _participant_sums()
    rows = db.session.execute(
        flt.where(
            select(
                Grant.competition_id.label("competition_id"),
                func.count(Event.id).label("events"),
                *columns,
                func.max(Event.held_on).label("last_day"),
            )
        ).group_by(Grant.competition_id)
    ).all()
    empty = {"events": 0, **dict.fromkeys(ALL_COLUMNS, 0), "last_day": None}
    found = {
        row.competition_id: {
            k: (v if k == "last_day" else int(v))
            for k, v in row._mapping.items()
            if k != "competition_id"
        }
        for row in rows
    }
    return {cid: found.get(cid, dict(empty)) for cid in competition_ids}


def participants_by_report(report_id: int) -> dict[str, int]:
    columns = _participant_sums()
    row = db.session.execute(
        select(func.count(Event.id).label("events"), *columns).where(Event.report_id == report_id)
    ).one()
    return {key: int(value) for key, value in row._mapping.items()}


def participants_by_grant(competition_id: int, accepted_only: bool = True) -> dict[int, dict]:
    flt = EventFilter(competition_id, accepted_only=accepted_only)
    columns = _participant_sums()
    rows = db.session.execute(
        flt.where(
            select(Grant.id.label("grant_id"), func.count(Event.id).label("events"), *columns)
        ).group_by(Grant.id)
    ).all()
    return {
        row.grant_id: {k: int(v) for k, v in row._mapping.items() if k != "grant_id"}
        for row in rows
    }


def participants_by_district(competition_id: int, accepted_only: bool = True) -> list[tuple]:
    """(district code, events, total) by district, largest first."""
    return districts_by_competition([competition_id], accepted_only)[competition_id]


def districts_by_competition(
    competition_ids: list[int], accepted_only: bool = True
) -> dict[int, list[tuple]]:
    """`participants_by_district` of each competition, in one query."""
    flt = EventFilter(None, competition_ids=tuple(competition_ids), accepted_only=accepted_only)
    rows = db.session.execute(
        flt.where(
            select(
                Grant.competition_id,
                Event.district_code,
                func.count(Event.id),
                func.sum(Event.total),
            )
        )
        .group_by(Grant.competition_id, Event.district_code)
        .order_by(Grant.competition_id, func.sum(Event.total).desc(), Event.district_code)
    ).all()
    found: dict[int, list[tuple]] = {cid: [] for cid in competition_ids}
    for cid, code, n, total in rows:
        found[cid].append((code, int(n), int(total)))
    return found


def participants_by_place(competition_ids: list[int]) -> list[dict]:
    """Accepted events' participants (every column) by region (the competition's) and
    district (the event's), in one query: a programme's table by place."""
    flt = EventFilter(None, competition_ids=tuple(competition_ids))
    rows = db.session.execute(
        flt.where(
            select(
                Competition.region_code.label("region_code"),
                Event.district_code.label("district_code"),
                func.count(Event.id).label("events"),
                *_participant_sums(),
            ).select_from(Event)
        )
        .join(Competition, Competition.id == Grant.competition_id)
        .group_by(Competition.region_code, Event.district_code)
        .order_by(Competition.region_code, Event.district_code)
    ).all()
    return [
        {k: (v if k.endswith("_code") else int(v)) for k, v in row._mapping.items()} for row in rows
    ]


# what an event's row names of its grant: columns, not the grant with its application,
# profile, decision and competition joined to every event
EVENT_GRANT = Bundle("grant", Grant.id, Grant.agreement_number)


def events(flt: EventFilter) -> list[tuple[Event, Any]]:
    """The rows a participants figure is the sum of: (event, its grant's id and agreement
    number)."""
    return list(
        db.session.execute(
            flt.where(select(Event, EVENT_GRANT)).order_by(Event.held_on, Event.id)
        ).all()
    )


# --- publications and spend -----------------------------------------------------------


def publications_summary(competition_id: int, accepted_only: bool = True) -> dict[str, int]:
    query = (
        select(func.count(Publication.id), func.coalesce(func.sum(Publication.reach), 0))
        .join(Report, Report.id == Publication.report_id)
        .join(Grant, Grant.id == Report.grant_id)
        .where(Grant.competition_id == competition_id)
    )
    if accepted_only:
        query = query.where(Report.status == ReportStatus.ACCEPTED)
    count, reach = db.session.execute(query).one()
    return {"count": int(count), "reach": int(reach)}


@dataclass
class SpendRow:
    line: BudgetLine
    approved: int
    spent: int

    @property
    def overspent(self) -> bool:
        return self.spent > self.approved

    @property
    def left(self) -> int:
        return self.approved - self.spent


def spend_by_line(grant: Grant, accepted_only: bool = False) -> list[SpendRow]:
    """Spent vs approved per line of the grant's approved budget (the application's)."""
    return spend_by_line_of([grant], accepted_only)[grant.id]


def spend_by_line_of(grants: list[Grant], accepted_only: bool = False) -> dict[int, list[SpendRow]]:
    """`spend_by_line` of each grant, in one query (a budget line is one grant's)."""
    spent = (
        select(Expense.budget_line_id, func.sum(Expense.amount).label("spent"))
        .join(Report, Report.id == Expense.report_id)
        .where(Report.grant_id.in_([g.id for g in grants]))
    )
    if accepted_only:
        spent = spent.where(Report.status == ReportStatus.ACCEPTED)
    spent = spent.group_by(Expense.budget_line_id).subquery()
    grant_of = {g.application_id: g.id for g in grants}
    rows = db.session.execute(
        select(
            BudgetLine,
            BudgetLine.total,
            func.coalesce(spent.c.spent, 0),
        )
        .outerjoin(spent, spent.c.budget_line_id == BudgetLine.id)
        .where(BudgetLine.application_id.in_(grant_of))
        .order_by(BudgetLine.application_id, BudgetLine.position)
    ).all()
    found: dict[int, list[SpendRow]] = {g.id: [] for g in grants}
    for line, approved, s in rows:
        found[grant_of[line.application_id]].append(SpendRow(line, int(approved), int(s)))
    return found


def publications_by_grant(competition_id: int) -> dict[int, list[Publication]]:
    """grant → the publications of its accepted reports, by period, as entered."""
    found: dict[int, list[Publication]] = {}
    for publication, grant_id in db.session.execute(
        select(Publication, Report.grant_id)
        .join(Report, Report.id == Publication.report_id)
        .join(Grant, Grant.id == Report.grant_id)
        .join(ReportPeriod, ReportPeriod.id == Report.period_id)
        .where(Grant.competition_id == competition_id, Report.status == ReportStatus.ACCEPTED)
        .order_by(Report.grant_id, ReportPeriod.position, Publication.id)
    ):
        found.setdefault(grant_id, []).append(publication)
    return found


def visits_by_grant(grant_ids: list[int]) -> dict[int, list[MonitoringVisit]]:
    """grant → the coordinator's monitoring visits, by date."""
    found: dict[int, list[MonitoringVisit]] = {g: [] for g in grant_ids}
    for visit in db.session.scalars(
        select(MonitoringVisit)
        .where(MonitoringVisit.grant_id.in_(grant_ids))
        .order_by(MonitoringVisit.grant_id, MonitoringVisit.visited_on, MonitoringVisit.id)
    ):
        found[visit.grant_id].append(visit)
    return found


def spend_by_grant(competition_id: int, accepted_only: bool = True) -> dict[int, tuple[int, int]]:
    """grant id → (approved budget, spent)."""
    approved = dict(
        db.session.execute(
            select(Grant.id, func.sum(BudgetLine.total))
            .join(BudgetLine, BudgetLine.application_id == Grant.application_id)
            .where(Grant.competition_id == competition_id)
            .group_by(Grant.id)
        ).all()
    )
    query = (
        select(Grant.id, func.sum(Expense.amount))
        .join(Report, Report.grant_id == Grant.id)
        .join(Expense, Expense.report_id == Report.id)
        .where(Grant.competition_id == competition_id)
        .group_by(Grant.id)
    )
    if accepted_only:
        query = query.where(Report.status == ReportStatus.ACCEPTED)
    spent = dict(db.session.execute(query).all())
    return {
        grant_id: (int(approved.get(grant_id) or 0), int(spent.get(grant_id) or 0))
        for grant_id in set(approved) | set(spent)
    }


# --- reports --------------------------------------------------------------------------


def reports_of(grant_id: int) -> list[Report]:
    return list(
        db.session.scalars(
            select(Report)
            .join(ReportPeriod, ReportPeriod.id == Report.period_id)
            .where(Report.grant_id == grant_id)
            .order_by(ReportPeriod.position)
        )
    )


def is_overdue(report: Report, now: datetime | None = None) -> bool:
    return report.status in (
        ReportStatus.DRAFT,
        ReportStatus.RETURNED,
    ) and not within_deadline(report.period.due_at, now)


WAITING = Report.status.in_([ReportStatus.DRAFT, ReportStatus.RETURNED])  # not in yet


def _overdue(second):
    """SQL: a report not in yet past its due date (which holds through its last second)."""
    return WAITING & (ReportPeriod.due_at < second)


def report_counts(competition_id: int, now: datetime | None = None) -> dict[str, int]:
    """Reports of open grants: due (not in yet, not late), overdue, awaiting review, accepted."""
    return report_counts_by_competition([competition_id], now)[competition_id]


REPORT_COUNTS = ("due", "overdue", "submitted", "accepted")


def report_counts_by_competition(
    competition_ids: list[int], now: datetime | None = None
) -> dict[int, dict[str, int]]:
    """`report_counts` of each competition, in one query."""
    second = deadline_second(now or utcnow())  # a due date holds through its last second
    rows = db.session.execute(
        select(
            Grant.competition_id,
            func.count(case((WAITING & (ReportPeriod.due_at >= second), 1))),
            func.count(case((_overdue(second), 1))),
            func.count(case((Report.status == ReportStatus.SUBMITTED, 1))),
            func.count(case((Report.status == ReportStatus.ACCEPTED, 1))),
        )
        .join(ReportPeriod, ReportPeriod.id == Report.period_id)
        .join(Grant, Grant.id == Report.grant_id)
        .where(Grant.competition_id.in_(competition_ids), Grant.status != GrantStatus.TERMINATED)
        .group_by(Grant.competition_id)
    ).all()
    found = {
        cid: dict(zip(REPORT_COUNTS, (int(v) for v in values), strict=True))
        for cid, *values in rows
    }
    return {cid: found.get(cid, dict.fromkeys(REPORT_COUNTS, 0)) for cid in competition_ids}


def next_due_change(competition_id: int, now: datetime) -> datetime | None:
    """The first moment after `now` at which one of the competition's reports may turn from
    due to overdue (`report_counts`): just past the nearest due date still ahead (its last
    second counts), or None when none is ahead."""
    due = db.session.scalar(
        select(func.min(ReportPeriod.due_at)).where(
            ReportPeriod.competition_id == competition_id,
            ReportPeriod.due_at >= deadline_second(now),
        )
    )
    return past_deadline(due) if due is not None else None


def status_counts(competition_id: int) -> dict[str, int]:
    rows = db.session.execute(
        select(Grant.status, func.count(Grant.id))
        .where(Grant.competition_id == competition_id)
        .group_by(Grant.status)
    ).all()
    found = {status.value: int(n) for status, n in rows}
    return {status.value: found.get(status.value, 0) for status in GrantStatus}


def kind_counts(competition_id: int) -> dict[str, int]:
    """Grants to NGOs and to initiative groups."""
    return kind_counts_by_competition([competition_id])[competition_id]


def kind_counts_by_competition(competition_ids: list[int]) -> dict[int, dict[str, int]]:
    rows = db.session.execute(
        select(Grant.competition_id, ApplicantProfile.kind, func.count(Grant.id))
        .join(Application, Application.id == Grant.application_id)
        .join(ApplicantProfile, ApplicantProfile.id == Application.profile_id)
        .where(Grant.competition_id.in_(competition_ids))
        .group_by(Grant.competition_id, ApplicantProfile.kind)
    ).all()
    found = {(cid, kind.value): int(n) for cid, kind, n in rows}
    return {
        cid: {kind.value: found.get((cid, kind.value), 0) for kind in ApplicantKind}
        for cid in competition_ids
    }


def awaiting_review(competition_id: int) -> list[Report]:
    return list(
        db.session.scalars(
            select(Report)
            .join(Grant, Grant.id == Report.grant_id)
            .where(Grant.competition_id == competition_id, Report.status == ReportStatus.SUBMITTED)
            .order_by(Report.submitted_at)
        )
    )


def reports_to_write(user_id: int) -> list[Report]:
    """The grantee's reports still to submit (draft or returned), by due date."""
    return list(
        db.session.scalars(
            select(Report)
            .join(Grant, Grant.id == Report.grant_id)
            .join(Application, Application.id == Grant.application_id)
            .join(ReportPeriod, ReportPeriod.id == Report.period_id)
            .where(
                Application.applicant_id == user_id,
                WAITING,
            )
            .order_by(ReportPeriod.due_at)
        )
    )


def overdue_reports(
    organisation_ids: frozenset[int], now: datetime | None = None
) -> list[tuple[Competition, int]]:
    """The start page: per competition of the coordinator's organisations, reports of open
    grants past their due date and not submitted (`_overdue`, as `report_counts` counts
    them)."""
    second = deadline_second(now or utcnow())
    rows = db.session.execute(
        select(Competition, func.count(Report.id))
        .join(Grant, Grant.competition_id == Competition.id)
        .join(Report, Report.grant_id == Grant.id)
        .join(ReportPeriod, ReportPeriod.id == Report.period_id)
        .where(
            Grant.status != GrantStatus.TERMINATED,
            _overdue(second),
            held_by(organisation_ids, Competition.organisation_id),
        )
        .group_by(Competition.id)
        .order_by(Competition.id)
    ).all()
    return [(c, int(n)) for c, n in rows]


def reviews_waiting(organisation_ids: frozenset[int]) -> int:
    """Submitted reports no coordinator has reviewed yet, over the competitions of the
    coordinator's organisations."""
    return db.session.scalar(
        select(func.count(Report.id))
        .join(Grant, Grant.id == Report.grant_id)
        .join(Competition, Competition.id == Grant.competition_id)
        .where(
            Report.status == ReportStatus.SUBMITTED,
            held_by(organisation_ids, Competition.organisation_id),
        )
    )
