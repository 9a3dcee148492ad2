"""Operations on grants: terms, tranche schedule and report periods of a competition; grants
made from the signed protocol; payments; the grantees' reports (events, publications,
expenses, files), their submission, review and versions; visits; reminders.

Services flush and audit; the request (or the CLI command) commits once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, BinaryIO

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from smallgrants.applications.models import Application
from smallgrants.auth.models import User
from smallgrants.auth.services import personal_data_requested
from smallgrants.commission.models import Commission, Decision, Meeting, Outcome
from smallgrants.competitions.models import Competition
from smallgrants.competitions.services import competition_created
from smallgrants.core import geography, states, uploads
from smallgrants.core.i18n import format_money
from smallgrants.core.services import ServiceError, queue_email, record_audit
from smallgrants.core.timeutil import to_local, utcnow, within_deadline
from smallgrants.extensions import db
from smallgrants.grants import breakdowns, policies, queries
from smallgrants.grants.labels import PERIOD_LABELS
from smallgrants.grants.models import (
    Event,
    EventFormat,
    Expense,
    FilePurpose,
    Grant,
    GrantFile,
    GrantStatus,
    GrantTerms,
    MonitoringVisit,
    Payment,
    PeriodKind,
    PrizePayment,
    Publication,
    ReminderKind,
    Report,
    ReportPeriod,
    ReportReminder,
    ReportStatus,
    ReportVersion,
    Tranche,
    TrancheCondition,
)


class GrantError(ServiceError):
    pass


class BreakdownError(GrantError):
    """An event whose breakdowns do not sum to its total; `mismatches` says which and how."""

    def __init__(self, found: list[breakdowns.Mismatch]):
        super().__init__(_l("The participants' breakdowns do not add up to the total."))
        self.mismatches = found


# --- terms, tranches and report periods of a competition ------------------------------


@competition_created.connect
def _make_terms(competition: Competition, **_) -> None:
    """Every competition has its grant terms, with one tranche of 100 %, from its creation."""
    db.session.add(GrantTerms(competition_id=competition.id))
    db.session.add(Tranche(competition_id=competition.id, position=1, percent=100))


def terms_of(competition: Competition) -> GrantTerms:
    """The competition's grant terms (made with the competition: `_make_terms`, and
    migration 0011 for competitions older than that)."""
    terms = db.session.get(GrantTerms, competition.id)
    if terms is None:
        raise LookupError(f"competition {competition.id} has no grant terms")
    return terms


@dataclass
class TermsInput:
    grantor_name: str
    grantor_head: str
    grantor_bin: str
    grantor_address: str
    signing_place: str
    agreement_prefix: str
    starts_on: date | None
    ends_on: date | None
    duties_kk: str
    duties_ru: str


def save_terms(actor, terms: GrantTerms, data: TermsInput) -> dict[str, Any]:
    if data.starts_on and data.ends_on and data.starts_on > data.ends_on:
        raise GrantError(_l("The implementation period ends before it starts."))
    changed = {}
    for name, value in vars(data).items():
        value = value.strip() if isinstance(value, str) else value
        if getattr(terms, name) != value:
            changed[name] = value.isoformat() if isinstance(value, date) else value
            setattr(terms, name, value)
    if changed:
        record_audit(
            actor,
            "grant_terms.update",
            object_type="competitions",
            object_id=terms.competition_id,
            payload={"changed": sorted(changed)},
        )
    return changed


def _has_payments(competition_id: int) -> bool:
    return bool(
        db.session.scalar(
            select(func.count(Payment.id))
            .join(Grant, Grant.id == Payment.grant_id)
            .where(Grant.competition_id == competition_id)
        )
    )


def save_tranches(
    actor, terms: GrantTerms, schedule: list[tuple[int, TrancheCondition]]
) -> list[Tranche]:
    """Replace the schedule. Shares are whole percents adding up to 100; once a payment is
    recorded the schedule is fixed."""
    if not schedule:
        raise GrantError(_l("The schedule needs at least one tranche."))
    if any(not 1 <= percent <= 100 for percent, _ in schedule):
        raise GrantError(_l("Each tranche is from 1 to 100 percent."))
    total = sum(percent for percent, _ in schedule)
    if total != 100:
        raise GrantError(_l("The tranches add up to %(n)s%%, not 100%%.", n=total))
    if _has_payments(terms.competition_id):
        raise GrantError(_l("Payments are recorded: the schedule can no longer change."))
    for row in list(terms.tranches):
        db.session.delete(row)
    db.session.flush()
    rows = [
        Tranche(
            competition_id=terms.competition_id, position=i, percent=percent, condition=condition
        )
        for i, (percent, condition) in enumerate(schedule, 1)
    ]
    db.session.add_all(rows)
    db.session.flush()
    db.session.expire(terms, ["tranches"])
    record_audit(
        actor,
        "grant_terms.tranches",
        object_type="competitions",
        object_id=terms.competition_id,
        payload={"schedule": [[p, c.value] for p, c in schedule]},
    )
    return rows


def add_period(actor, terms: GrantTerms, kind: PeriodKind, due_at: datetime) -> ReportPeriod:
    if kind == PeriodKind.FINAL and any(p.kind == PeriodKind.FINAL for p in terms.periods):
        raise GrantError(_l("There is already a final report."))
    position = 1 + max((p.position for p in terms.periods), default=0)
    period = ReportPeriod(
        competition_id=terms.competition_id, position=position, kind=kind, due_at=due_at
    )
    db.session.add(period)
    db.session.flush()
    for grant in db.session.scalars(
        select(Grant).where(Grant.competition_id == terms.competition_id)
    ):
        db.session.add(Report(grant_id=grant.id, period_id=period.id))
    db.session.flush()
    db.session.expire(terms, ["periods"])
    record_audit(
        actor,
        "report_period.add",
        period,
        {"kind": kind.value, "due_at": due_at.isoformat()},
    )
    return period


def update_period(actor, period: ReportPeriod, due_at: datetime) -> None:
    old = period.due_at
    period.due_at = due_at
    # a new due date earns new reminders
    db.session.execute(
        ReportReminder.__table__.delete().where(
            ReportReminder.report_id.in_(select(Report.id).where(Report.period_id == period.id))
        )
    )
    record_audit(
        actor,
        "report_period.update",
        period,
        {"due_at": [old.isoformat(), due_at.isoformat()]},
    )


def remove_period(actor, period: ReportPeriod) -> None:
    started = db.session.scalar(
        select(func.count(Report.id)).where(
            Report.period_id == period.id,
            (Report.version > 0) | (Report.status != ReportStatus.DRAFT),
        )
    )
    has_content = db.session.scalar(
        select(func.count(Event.id))
        .join(Report, Report.id == Event.report_id)
        .where(Report.period_id == period.id)
    )
    if started or has_content:
        raise GrantError(_l("Grantees have already reported for this period: it stays."))
    db.session.execute(Report.__table__.delete().where(Report.period_id == period.id))
    record_audit(actor, "report_period.remove", period, {"kind": period.kind.value})
    db.session.delete(period)
    db.session.flush()


# --- grants ---------------------------------------------------------------------------


def _signed_meeting(competition: Competition) -> Meeting:
    commission = db.session.get(Commission, competition.id)
    meeting = commission.meeting if commission else None
    if meeting is None or not meeting.is_signed:
        raise GrantError(_l("Grants are made from a signed meeting protocol: sign it first."))
    return meeting


def create_grants(actor, competition: Competition) -> list[Grant]:
    """One grant per award of the signed protocol (again: only those still missing)."""
    if competition.awards_prizes:
        raise GrantError(
            _l("A contest with prizes has no grants: record each winner's prize payment.")
        )
    meeting = _signed_meeting(competition)
    terms = terms_of(competition)
    awards = db.session.scalars(
        select(Decision)
        .where(Decision.meeting_id == meeting.id, Decision.outcome == Outcome.AWARD)
        .order_by(Decision.application_id)
    ).all()
    awards = sorted(awards, key=lambda d: d.application.seq)
    have = set(
        db.session.scalars(select(Grant.decision_id).where(Grant.competition_id == competition.id))
    )
    today = to_local(utcnow()).date()
    made = []
    for index, decision in enumerate(awards, 1):
        if decision.id in have:
            continue
        prefix = terms.agreement_prefix.strip()
        grant = Grant(
            competition_id=competition.id,
            application_id=decision.application_id,
            decision_id=decision.id,
            agreement_number=f"{prefix}-{index:02d}" if prefix else f"{index:02d}",
            agreement_date=today,
            starts_on=terms.starts_on,
            ends_on=terms.ends_on,
            created_by_id=actor.id,
        )
        db.session.add(grant)
        db.session.flush()
        for period in terms.periods:
            db.session.add(Report(grant_id=grant.id, period_id=period.id))
        record_audit(
            actor,
            "grant.create",
            grant,
            {"application": decision.application.number, "amount": decision.amount},
        )
        made.append(grant)
    db.session.flush()
    return made


@dataclass
class AgreementInput:
    agreement_number: str
    agreement_date: date | None
    starts_on: date | None
    ends_on: date | None


def update_agreement(actor, grant: Grant, data: AgreementInput) -> None:
    number = data.agreement_number.strip()
    if not number:
        raise GrantError(_l("Enter the agreement number."))
    if data.starts_on and data.ends_on and data.starts_on > data.ends_on:
        raise GrantError(_l("The implementation period ends before it starts."))
    taken = db.session.scalar(
        select(func.count(Grant.id)).where(
            Grant.competition_id == grant.competition_id,
            Grant.agreement_number == number,
            Grant.id != grant.id,
        )
    )
    if taken:
        raise GrantError(_l("Another grant of this competition has number %(n)s.", n=number))
    before = (grant.agreement_number, grant.agreement_date, grant.starts_on, grant.ends_on)
    grant.agreement_number = number
    grant.agreement_date = data.agreement_date
    grant.starts_on, grant.ends_on = data.starts_on, data.ends_on
    record_audit(
        actor,
        "grant.agreement",
        grant,
        {"before": [str(v) if v else None for v in before]},
    )


GRANT_MACHINE = states.machine(
    "grant",
    {
        GrantStatus.ACTIVE: {GrantStatus.REPORTING, GrantStatus.TERMINATED},
        GrantStatus.REPORTING: {GrantStatus.ACTIVE, GrantStatus.COMPLETED, GrantStatus.TERMINATED},
        GrantStatus.COMPLETED: set(),
        GrantStatus.TERMINATED: set(),
    },
)
ALLOWED_STATUS = GRANT_MACHINE.moves


def change_status(actor, grant: Grant, status: GrantStatus, reason: str = "") -> None:
    """The one place a grant changes status (the coordinator's page, and the grantee's final
    report moving it to reporting): the move, its guard, the audit entry."""
    reason = reason.strip()
    GRANT_MACHINE.check(
        grant.status, status, GrantError, _l("This grant cannot move to that status.")
    )
    if status == GrantStatus.TERMINATED and not reason:
        raise GrantError(_l("Give the reason for terminating the grant."))
    if status == GrantStatus.COMPLETED:
        open_reports = db.session.scalar(
            select(func.count(Report.id)).where(
                Report.grant_id == grant.id, Report.status != ReportStatus.ACCEPTED
            )
        )
        if open_reports:
            raise GrantError(
                _l("Accept every report first (%(n)s not accepted yet).", n=open_reports)
            )
    old = grant.status
    grant.status = status
    grant.status_reason = reason
    grant.status_changed_at = utcnow()
    record_audit(
        actor, "grant.status", grant, {"from": old.value, "to": status.value, "reason": reason}
    )


# --- payments -------------------------------------------------------------------------


def _lock_grant(grant_id: int) -> Grant:
    """Row lock on the grant: its payments are recorded one at a time, so the sum checked
    below includes every payment committed before (PostgreSQL FOR UPDATE; SQLite serialises
    writers anyway)."""
    db.session.execute(select(Grant.id).where(Grant.id == grant_id).with_for_update()).one()
    grant = db.session.get(Grant, grant_id)
    db.session.expire(grant)
    return grant


def paid_total(grant_id: int, tranche_position: int | None = None) -> int:
    query = select(func.coalesce(func.sum(Payment.amount), 0)).where(Payment.grant_id == grant_id)
    if tranche_position is not None:
        query = query.where(Payment.tranche_position == tranche_position)
    return int(db.session.scalar(query))


def tranche_is_due(grant: Grant, tranche: Tranche) -> bool:
    """Whether the tranche may be paid now (`queries.tranche_payable`, the start page's rule)."""
    return bool(
        db.session.scalar(
            select(queries.tranche_payable())
            .select_from(Grant)
            .join(Tranche, Tranche.competition_id == Grant.competition_id)
            .where(Grant.id == grant.id, Tranche.id == tranche.id)
        )
    )


def record_prize_payment(
    actor, decision: Decision, paid_on: date, document_number: str
) -> PrizePayment:
    """The prize of one winner paid, whole and once: the contest awards prizes, its protocol
    is signed, the decision is an award, and no payment is recorded for it yet — checked
    under a lock on the decision (the unique decision guards it too)."""
    db.session.execute(
        select(Decision.id).where(Decision.id == decision.id).with_for_update()
    ).one()
    competition = decision.application.competition
    if not competition.awards_prizes:
        raise GrantError(_l("This competition awards grants: pay them by tranches."))
    meeting = _signed_meeting(competition)
    if decision.meeting_id != meeting.id or decision.outcome != Outcome.AWARD:
        raise GrantError(_l("Only an award of the signed protocol is paid."))
    document = document_number.strip()
    if not document:
        raise GrantError(_l("Enter the number of the payment document."))
    paid = db.session.scalar(select(PrizePayment).where(PrizePayment.decision_id == decision.id))
    if paid is not None:
        raise GrantError(
            _l(
                "The prize of %(number)s is already paid (%(document)s).",
                number=decision.application.number,
                document=paid.document_number,
            )
        )
    payment = PrizePayment(
        decision_id=decision.id,
        amount=decision.amount,
        paid_on=paid_on,
        document_number=document,
        recorded_by_id=actor.id,
    )
    db.session.add(payment)
    db.session.flush()
    record_audit(
        actor,
        "prize.payment",
        object_type="decisions",
        object_id=decision.id,
        payload={"amount": decision.amount, "document": document},
    )
    return payment


@dataclass
class PaymentInput:
    tranche_position: int
    paid_on: date
    amount: int
    document_number: str


def record_payment(actor, grant: Grant, data: PaymentInput) -> Payment:
    """A payment of one tranche. Never more than the tranche, never more than the award —
    checked under a lock on the grant, so two coordinators cannot overpay together."""
    grant = _lock_grant(grant.id)
    if grant.status == GrantStatus.TERMINATED:
        raise GrantError(_l("The grant is terminated: no more payments."))
    if data.amount is None or data.amount <= 0:
        raise GrantError(_l("The amount must be more than zero."))
    document = data.document_number.strip()
    if not document:
        raise GrantError(_l("Enter the number of the payment document."))
    tranches = terms_of(grant.competition).tranches
    by_position = {t.position: t for t in tranches}
    tranche = by_position.get(data.tranche_position)
    if tranche is None:
        raise GrantError(_l("Choose a tranche of the schedule."))
    if not tranche_is_due(grant, tranche):
        raise GrantError(
            _l(
                "Tranche %(n)s is paid against an accepted report: accept it first.",
                n=tranche.position,
            )
        )
    amounts = queries.tranche_amounts(grant.amount, [t.percent for t in tranches])
    tranche_amount = amounts[tranches.index(tranche)]
    tranche_paid = paid_total(grant.id, tranche.position)
    if tranche_paid + data.amount > tranche_amount:
        raise GrantError(
            _l(
                "Tranche %(n)s is %(amount)s and %(paid)s is paid: at most %(left)s more.",
                n=tranche.position,
                amount=format_money(tranche_amount),
                paid=format_money(tranche_paid),
                left=format_money(tranche_amount - tranche_paid),
            )
        )
    total_paid = paid_total(grant.id)
    if total_paid + data.amount > grant.amount:
        raise GrantError(
            _l(
                "Payments would exceed the award: %(left)s is left to pay.",
                left=format_money(grant.amount - total_paid),
            )
        )
    payment = Payment(
        grant_id=grant.id,
        tranche_position=tranche.position,
        paid_on=data.paid_on,
        amount=data.amount,
        document_number=document,
        recorded_by_id=actor.id,
    )
    db.session.add(payment)
    db.session.flush()
    record_audit(
        actor,
        "grant.payment",
        grant,
        {"payment": payment.id, "tranche": tranche.position, "amount": data.amount},
    )
    return payment


# --- reports --------------------------------------------------------------------------


def _editable(actor, report: Report) -> None:
    """`policies.can_edit_report`, asserted again, with the reason when it says no."""
    if not report.grant.is_open:
        raise GrantError(_l("The grant is closed: its reports cannot change."))
    if report.status not in (ReportStatus.DRAFT, ReportStatus.RETURNED):
        raise GrantError(_l("A submitted report cannot be changed."))
    if not policies.can_edit_report(actor, report):
        raise GrantError(_l("Only the grantee writes the report."))


def save_narrative(actor, report: Report, results: str, difficulties: str, story: str) -> None:
    _editable(actor, report)
    report.results = results.strip()
    report.difficulties = difficulties.strip()
    report.success_story = story.strip()
    report.updated_at = utcnow()
    record_audit(actor, "report.narrative", report)


@dataclass
class EventInput:
    title: str
    held_on: date | None
    district_code: str
    settlement: str
    format: EventFormat
    description: str
    counts: dict[str, int] = field(default_factory=dict)  # breakdowns.ALL_COLUMNS


def save_event(actor, report: Report, data: EventInput, event: Event | None = None) -> Event:
    _editable(actor, report)
    if event is not None and event.report_id != report.id:
        raise GrantError(_l("This event belongs to another report."))
    if not data.title.strip():
        raise GrantError(_l("Enter the event's title."))
    if data.held_on is None:
        raise GrantError(_l("Enter the date of the event."))
    region = report.grant.competition.region_code
    if data.district_code and geography.district(region, data.district_code) is None:
        raise GrantError(_l("Choose a district of the competition's region."))
    counts = {column: data.counts.get(column) or 0 for column in breakdowns.ALL_COLUMNS}
    if any(value < 0 for value in counts.values()):
        raise GrantError(_l("Numbers of participants cannot be negative."))
    found = breakdowns.mismatches(counts)
    if found:
        raise BreakdownError(found)
    if event is None:
        position = 1 + max((e.position for e in report.events), default=0)
        event = Event(report_id=report.id, position=position)
        db.session.add(event)
    event.title = data.title.strip()
    event.held_on = data.held_on
    event.district_code = data.district_code
    event.settlement = data.settlement.strip()
    event.format = data.format
    event.description = data.description.strip()
    for column, value in counts.items():
        setattr(event, column, value)
    report.updated_at = utcnow()
    db.session.flush()
    db.session.expire(report, ["events"])
    record_audit(actor, "report.event", report, {"event": event.id, "total": counts["total"]})
    return event


def delete_event(actor, event: Event) -> None:
    report = db.session.get(Report, event.report_id)
    _editable(actor, report)
    record_audit(actor, "report.event_delete", report, {"event": event.id})
    db.session.delete(event)
    db.session.flush()
    db.session.expire(report, ["events"])


def add_publication(
    actor, report: Report, url: str, media_name: str, published_on: date | None, reach: int | None
) -> Publication:
    _editable(actor, report)
    url = url.strip()
    if not url.startswith(("http://", "https://")):
        raise GrantError(_l("Enter a link that starts with https://."))
    if reach is not None and reach < 0:
        raise GrantError(_l("Reach cannot be negative."))
    publication = Publication(
        report_id=report.id,
        url=url[:500],
        media_name=media_name.strip()[:200],
        published_on=published_on,
        reach=reach,
    )
    db.session.add(publication)
    db.session.flush()
    db.session.expire(report, ["publications"])
    record_audit(actor, "report.publication", report, {"publication": publication.id})
    return publication


def delete_publication(actor, publication: Publication) -> None:
    report = db.session.get(Report, publication.report_id)
    _editable(actor, report)
    record_audit(actor, "report.publication_delete", report, {"publication": publication.id})
    db.session.delete(publication)
    db.session.flush()
    db.session.expire(report, ["publications"])


def _store_file(
    actor,
    grant: Grant,
    stream: BinaryIO,
    filename: str,
    purpose: FilePurpose,
    *,
    report: Report | None = None,
    visit: MonitoringVisit | None = None,
    caption: str = "",
) -> GrantFile:
    """The application's upload rules: kind read from the content, a limit per file and per
    report (or visit)."""
    owner = GrantFile.report_id == report.id if report else GrantFile.visit_id == visit.id
    used = db.session.scalar(select(func.coalesce(func.sum(GrantFile.size), 0)).where(owner))
    kind = uploads.checked_kind(
        stream,
        used,
        lambda mb: _l("All files of one report may take at most %(mb)s MB.", mb=mb),
        GrantError,
    )
    if purpose in (FilePurpose.PHOTO, FilePurpose.VISIT) and kind not in ("jpg", "png"):
        raise GrantError(_l("A photo must be a JPG or PNG file."))
    stored = uploads.store(stream, kind)

    row = GrantFile(
        grant_id=grant.id,
        report_id=report.id if report else None,
        visit_id=visit.id if visit else None,
        purpose=purpose,
        caption=caption.strip()[:300],
        original_name=(filename or f"file.{kind}")[:255],
        stored_name=stored.stored_name,
        kind=kind,
        size=stored.size,
        sha256=stored.sha256,
        uploaded_by_id=actor.id,
    )
    db.session.add(row)
    db.session.flush()
    if report is not None:
        db.session.expire(report, ["files"])
    if visit is not None:
        db.session.expire(visit, ["photos"])
    record_audit(
        actor,
        "grant.file",
        grant,
        {"file": row.id, "purpose": purpose.value, "sha256": stored.sha256, "size": stored.size},
    )
    return row


def add_report_file(
    actor, report: Report, stream: BinaryIO, filename: str, purpose: FilePurpose, caption: str
) -> GrantFile:
    _editable(actor, report)
    if purpose not in (FilePurpose.PHOTO, FilePurpose.EVIDENCE):
        raise GrantError(_l("Choose whether it is a photo or another evidence file."))
    return _store_file(
        actor, report.grant, stream, filename, purpose, report=report, caption=caption
    )


def delete_file(actor, row: GrantFile) -> None:
    if row.report_id is not None:
        _editable(actor, db.session.get(Report, row.report_id))
        used = db.session.scalar(select(func.count(Expense.id)).where(Expense.receipt_id == row.id))
        if used:
            raise GrantError(_l("This receipt belongs to an expense: delete the expense."))
    record_audit(
        actor,
        "grant.file_delete",
        object_type="grants",
        object_id=row.grant_id,
        payload={"file": row.id},
    )
    uploads.discard_after_commit(row.stored_name)
    db.session.delete(row)
    db.session.flush()


@dataclass
class ExpenseInput:
    budget_line_id: int | None
    spent_on: date | None
    amount: int | None
    document: str


def add_expense(
    actor,
    report: Report,
    data: ExpenseInput,
    receipt: BinaryIO | None = None,
    receipt_name: str = "",
) -> Expense:
    _editable(actor, report)
    lines = {line.id for line in report.grant.application.budget}
    if data.budget_line_id not in lines:
        raise GrantError(_l("Choose a line of the approved budget."))
    if data.spent_on is None:
        raise GrantError(_l("Enter the date of the expense."))
    if data.amount is None or data.amount <= 0:
        raise GrantError(_l("The amount must be more than zero."))
    if not data.document.strip():
        raise GrantError(_l("Enter the document (receipt, invoice, act) number."))
    expense = Expense(
        report_id=report.id,
        budget_line_id=data.budget_line_id,
        spent_on=data.spent_on,
        amount=data.amount,
        document=data.document.strip()[:200],
    )
    if receipt is not None:
        expense.receipt_id = _store_file(
            actor, report.grant, receipt, receipt_name, FilePurpose.RECEIPT, report=report
        ).id
    db.session.add(expense)
    db.session.flush()
    db.session.expire(report, ["expenses"])
    record_audit(actor, "report.expense", report, {"expense": expense.id, "amount": data.amount})
    return expense


def delete_expense(actor, expense: Expense) -> None:
    report = db.session.get(Report, expense.report_id)
    _editable(actor, report)
    receipt = expense.receipt
    record_audit(actor, "report.expense_delete", report, {"expense": expense.id})
    db.session.delete(expense)
    db.session.flush()
    if receipt is not None:
        uploads.discard_after_commit(receipt.stored_name)
        db.session.delete(receipt)
    db.session.flush()
    db.session.expire(report, ["expenses", "files"])


def snapshot(report: Report) -> dict[str, Any]:
    """Everything the coordinator reviews, as it was submitted."""
    return {
        "results": report.results,
        "difficulties": report.difficulties,
        "success_story": report.success_story,
        "events": [
            {
                "title": e.title,
                "held_on": e.held_on.isoformat(),
                "district_code": e.district_code,
                "settlement": e.settlement,
                "format": e.format.value,
                "description": e.description,
                **e.counts(),
            }
            for e in report.events
        ],
        "publications": [
            {
                "url": p.url,
                "media_name": p.media_name,
                "published_on": p.published_on.isoformat() if p.published_on else None,
                "reach": p.reach,
            }
            for p in report.publications
        ],
        "expenses": [
            {
                "budget_line": x.budget_line.item,
                "spent_on": x.spent_on.isoformat(),
                "amount": x.amount,
                "document": x.document,
                "receipt": x.receipt.original_name if x.receipt else None,
            }
            for x in report.expenses
        ],
        "files": [
            {
                "purpose": f.purpose.value,
                "name": f.original_name,
                "caption": f.caption,
                "sha256": f.sha256,
            }
            for f in report.files
        ],
    }


REPORT_MACHINE = states.machine(
    "report",
    {
        ReportStatus.DRAFT: {ReportStatus.SUBMITTED},
        ReportStatus.SUBMITTED: {ReportStatus.ACCEPTED, ReportStatus.RETURNED},
        ReportStatus.RETURNED: {ReportStatus.SUBMITTED},
        ReportStatus.ACCEPTED: set(),
    },
)
REPORT_REFUSALS = {
    ReportStatus.SUBMITTED: _l("A submitted report cannot be changed."),
    ReportStatus.ACCEPTED: _l("Only a submitted report can be reviewed."),
    ReportStatus.RETURNED: _l("Only a submitted report can be reviewed."),
}


def submit_report(actor, report: Report) -> ReportVersion:
    """The grantee sends the report (again, after a return) to the coordinator."""
    return transition_report(actor, report, ReportStatus.SUBMITTED)


def review_report(actor, report: Report, accept: bool, comment: str) -> ReportVersion:
    """Accept, or return with comments for the grantee to correct and resubmit."""
    to = ReportStatus.ACCEPTED if accept else ReportStatus.RETURNED
    return transition_report(actor, report, to, comment)


def transition_report(actor, report: Report, to: ReportStatus, comment: str = "") -> ReportVersion:
    """The one place a report changes status. Submitting (the grantee): the grant is open, the
    results are described, an event is listed; a new frozen version; a final report moves an
    active grant to reporting (`change_status`). Reviewing (a coordinator): a return says
    what to correct; the version keeps the outcome; the grantee is told by e-mail."""
    REPORT_MACHINE.check(report.status, to, GrantError, REPORT_REFUSALS.get(to))
    before = report.status
    if to == ReportStatus.SUBMITTED:
        version = _submit(actor, report)
    else:
        version = _review(actor, report, to, comment.strip())
    record_audit(
        actor,
        "report.submit" if to == ReportStatus.SUBMITTED else "report.review",
        report,
        {
            "version": version.number,
            "from": before.value,
            "to": to.value,
            **({} if to == ReportStatus.SUBMITTED else {"outcome": to.value}),
        },
    )
    if to != ReportStatus.SUBMITTED:
        _tell_grantee(report, to, comment.strip())
    return version


def _submit(actor, report: Report) -> ReportVersion:
    if not policies.is_grantee(actor, report.grant):
        raise GrantError(_l("Only the grantee writes the report."))
    if not report.grant.is_open:
        raise GrantError(_l("The grant is closed: its reports cannot change."))
    if not report.results.strip():
        raise GrantError(_l("Describe the results achieved before submitting."))
    if not report.events:
        raise GrantError(_l("Add at least one event before submitting."))
    report.version += 1
    report.status = ReportStatus.SUBMITTED
    report.submitted_at = utcnow()
    version = ReportVersion(
        report_id=report.id,
        number=report.version,
        snapshot=snapshot(report),
        submitted_at=report.submitted_at,
        submitted_by_id=actor.id,
    )
    db.session.add(version)
    grant = report.grant
    if report.period.kind == PeriodKind.FINAL and grant.status == GrantStatus.ACTIVE:
        change_status(actor, grant, GrantStatus.REPORTING, "final report submitted")
    db.session.flush()
    db.session.expire(report, ["versions"])
    return version


def _review(actor, report: Report, outcome: ReportStatus, comment: str) -> ReportVersion:
    if not policies.can_review_report(actor, report):
        raise GrantError(_l("Only a coordinator reviews a report."))
    if outcome == ReportStatus.RETURNED and not comment:
        raise GrantError(_l("Say what to correct: a returned report needs a comment."))
    version = report.versions[-1]
    now = utcnow()
    report.status = outcome
    report.reviewed_at = now
    report.review_comment = comment
    version.outcome = outcome
    version.comment = comment
    version.reviewed_at = now
    version.reviewed_by_id = actor.id
    return version


def _tell_grantee(report: Report, outcome: ReportStatus, comment: str) -> None:
    accepted = outcome == ReportStatus.ACCEPTED
    grantee = db.session.get(User, report.grant.application.applicant_id)
    queue_email(
        grantee.email,
        grantee.locale,
        "report_reviewed",
        _l("Your report was accepted")
        if accepted
        else _l("Your report was returned for corrections"),
        organisation_id=report.grant.competition.organisation_id,
        grantee=grantee,
        report=report,
        labels=PERIOD_LABELS,
        accepted=accepted,
        comment=comment,
        link=_absolute("grants.report", report_id=report.id),
    )


def _absolute(endpoint: str, **values) -> str:
    from flask import has_request_context

    if has_request_context():
        return url_for(endpoint, _external=True, **values)
    base = current_app.config["BASE_URL"].rstrip("/")
    with current_app.test_request_context(base_url=base):
        return url_for(endpoint, _external=True, **values)


# --- monitoring visits ----------------------------------------------------------------


def add_visit(
    actor,
    grant: Grant,
    visited_on: date | None,
    visitors: str,
    findings: str,
    photos: list[tuple[BinaryIO, str]] = (),
) -> MonitoringVisit:
    if visited_on is None:
        raise GrantError(_l("Enter the date of the visit."))
    if not visitors.strip() or not findings.strip():
        raise GrantError(_l("Say who visited and what they found."))
    visit = MonitoringVisit(
        grant_id=grant.id,
        visited_on=visited_on,
        visitors=visitors.strip()[:300],
        findings=findings.strip(),
        created_by_id=actor.id,
    )
    db.session.add(visit)
    db.session.flush()
    for stream, name in photos:
        _store_file(actor, grant, stream, name, FilePurpose.VISIT, visit=visit)
    record_audit(actor, "grant.visit", grant, {"visit": visit.id})
    return visit


# --- reminders ------------------------------------------------------------------------


def send_reminders(
    now: datetime | None = None, days: int | None = None, competition_id: int | None = None
) -> int:
    """E-mail the grantee of every unsubmitted report due within `days` (REPORT_REMINDER_DAYS)
    and of every overdue one — each kind once per report (and due date)."""
    now = now or utcnow()
    days = current_app.config["REPORT_REMINDER_DAYS"] if days is None else days
    rows = db.session.execute(
        select(Report, ReportPeriod)
        .join(ReportPeriod, ReportPeriod.id == Report.period_id)
        .join(Grant, Grant.id == Report.grant_id)
        .where(
            Report.status.in_([ReportStatus.DRAFT, ReportStatus.RETURNED]),
            Grant.status.in_([GrantStatus.ACTIVE, GrantStatus.REPORTING]),
            ReportPeriod.due_at <= now + timedelta(days=days),
            True if competition_id is None else Grant.competition_id == competition_id,
        )
        .order_by(ReportPeriod.due_at, Report.id)
    ).all()
    sent = 0
    for report, period in rows:
        kind = (
            ReminderKind.DUE_SOON if within_deadline(period.due_at, now) else ReminderKind.OVERDUE
        )
        done = db.session.scalar(
            select(func.count(ReportReminder.id)).where(
                ReportReminder.report_id == report.id, ReportReminder.kind == kind
            )
        )
        if done:
            continue
        grantee = db.session.get(User, report.grant.application.applicant_id)
        message = queue_email(
            grantee.email,
            grantee.locale,
            "report_reminder",
            _l("Your report is overdue")
            if kind == ReminderKind.OVERDUE
            else _l("Your report is due soon"),
            organisation_id=report.grant.competition.organisation_id,
            grantee=grantee,
            report=report,
            labels=PERIOD_LABELS,
            period=period,
            overdue=kind == ReminderKind.OVERDUE,
            link=_absolute("grants.report", report_id=report.id),
        )
        db.session.add(ReportReminder(report_id=report.id, kind=kind, outbox_id=message.id))
        sent += 1
    db.session.flush()
    if sent:
        record_audit(None, "report.reminders", payload={"sent": sent})
    return sent


# --- the person's data (`auth.services.personal_data`) ----------------------------------


@personal_data_requested.connect
def _grants_data(user, **_):
    grants = db.session.scalars(
        select(Grant)
        .join(Application, Application.id == Grant.application_id)
        .where(Application.applicant_id == user.id)
        .order_by(Grant.id)
    ).all()
    return "grants", [
        {
            "agreement_number": g.agreement_number,
            "amount": g.amount,
            "status": g.status.value,
            "reports": [
                {"period": r.period.kind.value, "status": r.status.value, "version": r.version}
                for r in db.session.scalars(select(Report).where(Report.grant_id == g.id))
            ],
        }
        for g in grants
    ]
