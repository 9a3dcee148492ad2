"""Operations of the commission: composition and invitations, conflict declarations, score
sheets, the meeting and its decisions, signing, results. They flush and audit; the request
(or the CLI command) commits once.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from io import BytesIO

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, lazyload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from smallgrants.applications.models import Application, ApplicationStatus
from smallgrants.auth import services as auth_services
from smallgrants.auth.consent import CONSENT_VERSION
from smallgrants.auth.models import Role, User
from smallgrants.commission import conflicts, policies, queries, rules
from smallgrants.commission.labels import ROLE_LABELS
from smallgrants.commission.models import (
    Addendum,
    Assignment,
    Attendance,
    AttendanceMode,
    Commission,
    CommissionMember,
    CommissionRole,
    ConflictDeclaration,
    ConflictGround,
    Decision,
    Meeting,
    Outcome,
    Reaction,
    ScorePoint,
    ScoreSheet,
    SheetStatus,
    SignedProtocol,
    Stage,
    TieBreakRule,
)
from smallgrants.competitions.models import Competition
from smallgrants.competitions.services import competition_created
from smallgrants.core import states, uploads
from smallgrants.core.i18n import format_money
from smallgrants.core.services import ServiceError, queue_email, record_audit
from smallgrants.core.timeutil import to_local, utcnow
from smallgrants.extensions import db

INVITATION = "commission-invitation"
INVITATION_MAX_AGE = 14 * 24 * 3600


class CommissionError(ServiceError):
    pass


# --- the commission and its settings ----------------------------------------------------


@competition_created.connect
def _make_commission(competition: Competition, **_) -> None:
    """Every competition has its commission, with the default rules, from its creation."""
    db.session.add(Commission(competition_id=competition.id))


# the competition is the one given (set below: no join, no second load), the meeting in the
# same statement as the commission; a member's account is read for its e-mail and name,
# never its roles
_COMMISSION_LOAD = (
    lazyload(Commission.competition),
    joinedload(Commission.meeting),  # one at most: in the same statement
    selectinload(Commission.members).joinedload(CommissionMember.user).lazyload(User.role_rows),
)


def commission_of(competition: Competition) -> Commission:
    """The competition's commission (made with the competition: `_make_commission`, and
    migration 0011 for competitions older than that)."""
    commission = db.session.get(Commission, competition.id, options=_COMMISSION_LOAD)
    if commission is None:
        raise LookupError(f"competition {competition.id} has no commission")
    if "competition" not in commission.__dict__:  # the one given: not loaded again
        set_committed_value(commission, "competition", competition)
    return commission


def _refuse_when_signed(commission: Commission) -> None:
    if commission.stage in (Stage.SIGNED, Stage.PUBLISHED):
        raise CommissionError(
            _l("The meeting protocol is signed: corrections only by an addendum.")
        )


@dataclass
class SettingsInput:
    approval_number: str
    approval_date: date | None
    approval_place: str
    quorum_numerator: int
    quorum_denominator: int
    tie_break_rule: TieBreakRule
    dispute_threshold: int
    show_score_in_results: bool


SETTINGS_FIELDS = tuple(SettingsInput.__dataclass_fields__)


def save_settings(actor, commission: Commission, data: SettingsInput) -> dict:
    _refuse_when_signed(commission)
    if not 0 < data.quorum_numerator <= data.quorum_denominator:
        raise CommissionError(_l("The quorum must be a fraction between 0 and 1, e.g. 2/3."))
    if not 1 <= data.dispute_threshold <= 100:
        raise CommissionError(_l("The disagreement threshold must be between 1 and 100."))
    changes = {}
    for name in SETTINGS_FIELDS:
        new = getattr(data, name)
        if getattr(commission, name) != new:
            changes[name] = new.isoformat() if isinstance(new, date) else str(new)
            setattr(commission, name, new)
    if changes:
        record_audit(
            actor,
            "commission.settings",
            object_type="commissions",
            object_id=commission.competition_id,
            payload=changes,
        )
    return changes


# --- members and invitations ------------------------------------------------------------


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=INVITATION)


def invitation_token(member: CommissionMember) -> str:
    return _serializer().dumps({"m": member.id, "e": member.email})


def load_invitation(token: str) -> CommissionMember | None:
    """The seat the token invites to, while it is still open; None otherwise."""
    try:
        data = _serializer().loads(token, max_age=INVITATION_MAX_AGE)
    except BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    member = db.session.get(CommissionMember, data.get("m"))
    if member is None or member.email != data.get("e") or not member.is_pending:
        return None
    return member


def _grant_member_role(user: User, actor) -> None:
    if not user.has_role(Role.COMMISSION_MEMBER):
        auth_services.grant_role(user, Role.COMMISSION_MEMBER, actor=actor)


def _seat_taken(commission: Commission, role: CommissionRole, except_id: int | None) -> bool:
    return role != CommissionRole.MEMBER and any(
        m.role == role and m.id != except_id for m in commission.members
    )


def add_member(
    actor,
    commission: Commission,
    *,
    email: str,
    full_name: str,
    job_title: str,
    role: CommissionRole,
    voting: bool,
) -> CommissionMember:
    """Seat an existing user at once, or invite by e-mail (the account is made on accepting)."""
    _refuse_when_signed(commission)
    email = auth_services.normalize_email(email)
    if any(m.email == email for m in commission.members):
        raise CommissionError(_l("This person is already on the commission."))
    if _seat_taken(commission, role, None):
        raise CommissionError(_l("The commission already has a chair or a secretary."))
    user = auth_services.find_user_by_email(email)
    competition = commission.competition
    member = CommissionMember(
        competition_id=commission.competition_id,
        email=email,
        full_name=full_name.strip() or (user.full_name if user else ""),
        job_title=job_title.strip(),
        role=role,
        voting=voting,
        position=max((m.position for m in commission.members), default=0) + 1,
        invited_at=utcnow(),
    )
    if not member.full_name:
        raise CommissionError(_l("Give the member’s full name."))
    db.session.add(member)
    if user is not None:
        member.user_id = user.id
        member.joined_at = utcnow()
        _grant_member_role(user, actor)
    db.session.flush()
    record_audit(
        actor,
        "commission.member_add",
        member,
        {"email": email, "role": role.value, "voting": voting, "invited": user is None},
    )
    if user is not None:
        queue_email(
            user.email,
            user.locale,
            "commission_added",
            _l("You are on a competition commission"),
            organisation_id=competition.organisation_id,
            member=member,
            role=ROLE_LABELS[member.role],
            competition=competition,
            link=url_for("commission.competition", competition_id=competition.id, _external=True),
        )
    else:
        queue_email(
            email,
            current_app.config["BABEL_DEFAULT_LOCALE"],
            "commission_invitation",
            _l("Invitation to a competition commission"),
            organisation_id=competition.organisation_id,
            member=member,
            role=ROLE_LABELS[member.role],
            competition=competition,
            link=url_for("commission.invitation", token=invitation_token(member), _external=True),
        )
    db.session.expire(commission, ["members"])
    return member


def update_member(
    actor, member: CommissionMember, *, job_title: str, role: CommissionRole, voting: bool
) -> None:
    commission = db.session.get(Commission, member.competition_id)
    _refuse_when_signed(commission)
    if _seat_taken(commission, role, member.id):
        raise CommissionError(_l("The commission already has a chair or a secretary."))
    before = {"job_title": member.job_title, "role": member.role.value, "voting": member.voting}
    member.job_title, member.role, member.voting = job_title.strip(), role, voting
    after = {"job_title": member.job_title, "role": role.value, "voting": voting}
    if before != after:
        record_audit(actor, "commission.member_update", member, {"from": before, "to": after})


def remove_member(actor, member: CommissionMember) -> None:
    commission = db.session.get(Commission, member.competition_id)
    _refuse_when_signed(commission)
    has_work = db.session.scalar(
        select(func.count()).select_from(ScoreSheet).where(ScoreSheet.member_id == member.id)
    )
    if has_work:
        raise CommissionError(
            _l("This member has score sheets and cannot be removed; mark them non-voting.")
        )
    record_audit(actor, "commission.member_remove", member, {"email": member.email})
    db.session.delete(member)
    db.session.flush()
    db.session.expire(commission, ["members"])


def accept_invitation(member: CommissionMember, user: User) -> None:
    """The invited person (signed in with the invited e-mail) takes the seat."""
    if user.email != member.email:
        raise CommissionError(
            _l(
                "This invitation was sent to %(email)s; sign in with that address.",
                email=member.email,
            )
        )
    if db.session.scalar(
        select(CommissionMember.id).where(
            CommissionMember.competition_id == member.competition_id,
            CommissionMember.user_id == user.id,
        )
    ):
        raise CommissionError(_l("This person is already on the commission."))
    member.user_id = user.id
    member.joined_at = utcnow()
    if not member.full_name:
        member.full_name = user.full_name
    _grant_member_role(user, user)
    record_audit(user, "commission.invitation_accept", member, {"email": user.email})


def accept_invitation_new_account(
    member: CommissionMember, *, full_name: str, password: str, locale: str
) -> User:
    """The account is made on acceptance; the e-mail is proven by the invitation link."""
    user = auth_services.create_user(
        member.email,
        password,
        full_name=full_name,
        locale=locale,
        confirmed=True,
        consent_version=CONSENT_VERSION,
    )
    member.full_name = full_name.strip() or member.full_name
    accept_invitation(member, user)
    return user


# --- conflicts of interest --------------------------------------------------------------


def _scorable(application: Application) -> None:
    if application.status != ApplicationStatus.ADMISSIBLE:
        raise CommissionError(_l("Only admitted applications go to the commission."))


def declare(
    actor,
    member: CommissionMember,
    application: Application,
    *,
    conflict: bool,
    ground: ConflictGround | None = None,
    reason: str = "",
) -> ConflictDeclaration:
    """A member's own declaration, or one recorded by the coordinator or the chair.

    "No conflict" can be turned into a conflict later (the member's sheet on it is then
    deleted); a conflict is never taken back, so a recusal cannot be undone quietly.
    """
    _scorable(application)
    commission = db.session.get(Commission, member.competition_id)
    _refuse_when_signed(commission)
    if member.competition_id != application.competition_id:
        raise CommissionError(_l("This member is not on this competition’s commission."))
    if conflicts.is_built_in(member, application.id):
        raise CommissionError(
            _l(
                "%(name)s is the applicant or in its group: the conflict is built in and "
                "recorded already.",
                name=member.full_name,
            )
        )
    by_self = actor.id == member.user_id
    allowed = (
        policies.can_open_application(actor, application)
        if by_self
        else policies.can_record_conflict_on(actor, application)
    )
    if not allowed:
        raise CommissionError(_l("You may not declare on this application."))
    reason = reason.strip()
    if conflict and ground is None:
        raise CommissionError(_l("Choose the ground of the conflict."))
    if conflict and ground == ConflictGround.OTHER and not reason:
        raise CommissionError(_l("Describe the conflict."))
    declaration = queries.declaration_of(member, application.id)
    if declaration is not None and declaration.conflict:
        raise CommissionError(_l("A declared conflict stays on record and cannot be withdrawn."))
    if declaration is None:
        declaration = ConflictDeclaration(member_id=member.id, application_id=application.id)
        db.session.add(declaration)
    elif not conflict:
        return declaration  # "no conflict" again: nothing changes
    declaration.conflict = conflict
    declaration.ground = ground if conflict else None
    declaration.reason = reason if conflict else ""
    declaration.declared_by_id = actor.id
    declaration.declared_at = utcnow()
    if conflict:
        sheet = queries.sheet_of(member, application.id)
        if sheet is not None:
            db.session.delete(sheet)
    db.session.flush()
    record_audit(
        actor,
        "commission.conflict" if conflict else "commission.no_conflict",
        declaration,
        {
            "member": member.id,
            "application": application.number,
            "ground": ground.value if conflict and ground else None,
            "by_self": by_self,
        },
    )
    return declaration


# --- assignment (k members per application, least loaded first) --------------------------


def assign_reviewers(actor, commission: Commission, k: int | None) -> int:
    """k members per admitted application, each time the least-loaded eligible one (ties by
    seat order); None: every voting member scores every application. Returns the rows made."""
    _refuse_when_signed(commission)
    if commission.scoring_closed_at is not None:
        raise CommissionError(_l("Scoring is closed."))
    voting = commission.voting_members
    if k is not None and not 1 <= k <= len(voting):
        raise CommissionError(
            _l("Choose between 1 and %(n)s members per application.", n=len(voting))
        )
    application_ids = list(
        db.session.scalars(
            select(Application.id)
            .where(queries.admitted(commission.competition_id))
            .order_by(Application.seq)
        )
    )
    member_ids = [m.id for m in commission.members]
    db.session.execute(Assignment.__table__.delete().where(Assignment.member_id.in_(member_ids)))
    commission.reviewers_per_application = k
    made = 0
    if k is not None:
        conflicted = conflicts.conflicted_seats(commission.competition_id)
        plan = rules.least_loaded(
            [m.id for m in voting],
            application_ids,
            k,
            lambda m, a: m in conflicted.get(a, ()),
        )
        for application_id, chosen in plan.items():
            for member_id in chosen:
                db.session.add(Assignment(member_id=member_id, application_id=application_id))
                made += 1
    db.session.flush()
    record_audit(
        actor,
        "commission.assign",
        object_type="commissions",
        object_id=commission.competition_id,
        payload={"k": k, "rows": made},
    )
    return made


# --- score sheets -----------------------------------------------------------------------


def save_sheet(
    actor,
    member: CommissionMember,
    application: Application,
    points: dict[int, int | None],
    comment: str,
    *,
    submit: bool,
) -> ScoreSheet:
    """Save a draft (blanks allowed) or submit (every criterion scored): then it is locked."""
    _scorable(application)
    commission = db.session.get(Commission, member.competition_id)
    if commission.stage != Stage.SCORING:
        raise CommissionError(_l("Scoring is not open."))
    if actor.id != member.user_id or not policies.can_open_application(actor, application):
        raise CommissionError(_l("This application is not assigned to you."))
    if not queries.has_cleared(member, application.id):
        raise CommissionError(_l("Declare whether you have a conflict of interest first."))
    if not policies.can_score(actor, application):
        raise CommissionError(_l("Only voting members score."))
    sheet = queries.sheet_of(member, application.id)
    if sheet is not None and sheet.is_submitted:
        raise CommissionError(_l("The sheet is submitted and locked; the chair can reopen it."))
    criteria = application.competition.criteria
    for criterion in criteria:
        value = points.get(criterion.id)
        if value is not None and not 0 <= value <= criterion.max_points:
            raise CommissionError(
                _l(
                    "“%(criterion)s”: give from 0 to %(max)s points.",
                    criterion=criterion.title_kk,
                    max=criterion.max_points,
                )
            )
    if sheet is None:
        sheet = ScoreSheet(
            member_id=member.id, application_id=application.id, status=SheetStatus.DRAFT
        )
        db.session.add(sheet)
    sheet.comment = comment.strip()
    sheet.points = [
        ScorePoint(criterion_id=c.id, points=points[c.id])
        for c in criteria
        if points.get(c.id) is not None
    ]
    db.session.flush()
    if submit:
        move_sheet(actor, sheet, SheetStatus.SUBMITTED)
    return sheet


def reopen_sheet(actor, sheet: ScoreSheet, reason: str) -> None:
    """The chair's audited action: the sheet goes back to draft for its member."""
    move_sheet(actor, sheet, SheetStatus.DRAFT, reason)


SHEET_MACHINE = states.machine(
    "score_sheet",
    {SheetStatus.DRAFT: {SheetStatus.SUBMITTED}, SheetStatus.SUBMITTED: {SheetStatus.DRAFT}},
)
SHEET_REFUSALS = {
    SheetStatus.SUBMITTED: _l("The sheet is submitted and locked; the chair can reopen it."),
    SheetStatus.DRAFT: _l("The sheet is not submitted."),
}


def move_sheet(actor, sheet: ScoreSheet, to: SheetStatus, reason: str = "") -> None:
    """The one place a score sheet changes status. Submitting (its member, while scoring is
    open): every criterion is scored, and the sheet is locked. Reopening (the chair, not
    conflicted, before signing): with a reason, back to draft for its member."""
    commission = db.session.get(Commission, sheet.member.competition_id)
    _refuse_when_signed(commission)
    SHEET_MACHINE.check(sheet.status, to, CommissionError, SHEET_REFUSALS[to])
    before = sheet.status
    if to == SheetStatus.SUBMITTED:
        application = db.session.get(Application, sheet.application_id)
        if actor.id != sheet.member.user_id or not policies.can_score(actor, application):
            raise CommissionError(_l("Scoring is not open."))
        scored = sheet.points_by_criterion()
        if any(c.id not in scored for c in application.competition.criteria):
            raise CommissionError(_l("Score every criterion before submitting."))
        sheet.status = SheetStatus.SUBMITTED
        sheet.submitted_at = utcnow()
        payload = {
            "application": application.number,
            "points": {str(k): v for k, v in sorted(scored.items())},
        }
    else:
        if not policies.can_reopen_sheet(actor, sheet):
            raise CommissionError(_l("Only the chair reopens a sheet."))
        if not reason.strip():
            raise CommissionError(_l("Give the reason for reopening the sheet."))
        sheet.status = SheetStatus.DRAFT
        sheet.submitted_at = None
        payload = {
            "member": sheet.member_id,
            "application": sheet.application_id,
            "reason": reason,
        }
    db.session.flush()
    record_audit(
        actor,
        "score.submit" if to == SheetStatus.SUBMITTED else "score.reopen",
        sheet,
        {**payload, "from": before.value, "to": to.value},
    )


STAGE_MACHINE = states.machine(
    "commission_stage",
    {
        # approving the composition (the approval protocol's number and date, `save_settings`)
        # opens scoring: the stage is read from what is recorded, not moved to
        Stage.COMPOSITION: set(),
        Stage.SCORING: {Stage.SCORING_CLOSED},
        Stage.SCORING_CLOSED: {Stage.SCORING, Stage.SIGNED},
        Stage.SIGNED: {Stage.PUBLISHED},
        Stage.PUBLISHED: set(),
    },
)
STAGE_REFUSALS = {
    Stage.SCORING_CLOSED: _l("Scoring is not open."),
    Stage.SCORING: _l("Scoring is not closed."),
    Stage.SIGNED: _l("Record the meeting and its attendance first."),
    Stage.PUBLISHED: _l("Sign the meeting protocol before publishing the results."),
}


def move_stage(actor, commission: Commission, to: Stage, *, locale: str = "kk"):
    """The one place the commission's work moves on: close scoring, reopen it, sign the
    meeting's protocol (in `locale`), publish the results. The move must be in
    `STAGE_MACHINE`; its guards, its writes, the audit entry and the e-mails are below.
    Returns the signed meeting or the number of result e-mails."""
    current = commission.stage
    if current in (Stage.SIGNED, Stage.PUBLISHED) and to != Stage.PUBLISHED:
        _refuse_when_signed(commission)
    STAGE_MACHINE.check(current, to, CommissionError, STAGE_REFUSALS.get(to))
    if to == Stage.SIGNED:
        return _sign(actor, commission, locale)
    if to == Stage.PUBLISHED:
        return _publish(actor, commission)
    commission.scoring_closed_at = utcnow() if to == Stage.SCORING_CLOSED else None
    record_audit(
        actor,
        "commission.scoring_close" if to == Stage.SCORING_CLOSED else "commission.scoring_reopen",
        object_type="commissions",
        object_id=commission.competition_id,
        payload={"from": current.value, "to": to.value},
    )
    return None


def close_scoring(actor, commission: Commission) -> None:
    move_stage(actor, commission, Stage.SCORING_CLOSED)


def reopen_scoring(actor, commission: Commission) -> None:
    move_stage(actor, commission, Stage.SCORING)


def remind(actor, commission: Commission) -> int:
    """E-mail each member with unfinished sheets (how many, from `queries.progress`);
    returns the number of members reminded."""
    if commission.stage != Stage.SCORING:
        raise CommissionError(_l("Scoring is not open."))
    unfinished = queries.progress(commission).unfinished
    competition = commission.competition
    sent = 0
    for member in commission.members:
        left = unfinished.get(member.id, 0)
        if left == 0 or member.user is None:
            continue
        queue_email(
            member.user.email,
            member.user.locale,
            "scoring_reminder",
            _l("Reminder: %(n)s applications are waiting for your scores", n=left),
            organisation_id=competition.organisation_id,
            member=member,
            competition=competition,
            left=left,
            link=url_for("commission.competition", competition_id=competition.id, _external=True),
        )
        sent += 1
    record_audit(
        actor,
        "commission.remind",
        object_type="commissions",
        object_id=commission.competition_id,
        payload={"members": sent},
    )
    return sent


# --- the meeting ------------------------------------------------------------------------


@dataclass
class MeetingInput:
    number: str
    held_at: datetime
    place: str
    online_link: str
    attendance: dict[int, AttendanceMode]


def save_meeting(actor, commission: Commission, data: MeetingInput) -> Meeting:
    _refuse_when_signed(commission)
    if commission.scoring_closed_at is None:
        raise CommissionError(_l("Close scoring before the meeting."))
    if not data.number.strip():
        raise CommissionError(_l("Give the protocol number."))
    if not (data.place.strip() or data.online_link.strip()):
        raise CommissionError(_l("Give the place or the online link."))
    meeting = commission.meeting
    if meeting is None:
        meeting = Meeting(competition_id=commission.competition_id)
        db.session.add(meeting)
    meeting.number = data.number.strip()
    meeting.held_at = data.held_at
    meeting.place = data.place.strip()
    meeting.online_link = data.online_link.strip()
    seated = {m.id for m in commission.members if not m.is_pending}
    meeting.attendance = [
        Attendance(member_id=member_id, mode=mode)
        for member_id, mode in sorted(data.attendance.items())
        if member_id in seated
    ]
    db.session.flush()
    record_audit(
        actor,
        "meeting.save",
        meeting,
        {
            "number": meeting.number,
            "attendance": {str(k): v.value for k, v in sorted(data.attendance.items())},
        },
    )
    db.session.expire(commission, ["meeting"])
    return meeting


def quorum_for(commission: Commission, conflicted: set[int] = frozenset()) -> rules.Quorum:
    """Present voting members over voting members; for one application, pass the seats
    conflicted on it (`conflicts.conflicted_member_ids`, or the ranking's recusals): they
    are left out of both."""
    meeting = commission.meeting
    voting = [m for m in commission.voting_members if m.id not in conflicted]
    present = [
        m
        for m in voting
        if meeting is not None
        and meeting.mode_of(m.id) in (AttendanceMode.IN_PERSON, AttendanceMode.ONLINE)
    ]
    return rules.quorum(
        len(present), len(voting), commission.quorum_numerator, commission.quorum_denominator
    )


@dataclass
class DecisionInput:
    outcome: Outcome
    amount: int | None
    votes_for: int | None
    votes_against: int | None
    votes_abstain: int | None
    rationale: str
    tie_break: str


def _lock_commission(competition_id: int) -> Commission:
    """Row lock on the commission: decisions of one competition are recorded one at a time,
    so the pool check below sees every award committed before it (PostgreSQL FOR UPDATE;
    SQLite serialises writers anyway)."""
    db.session.execute(
        select(Commission.competition_id)
        .where(Commission.competition_id == competition_id)
        .with_for_update()
    ).one()
    commission = db.session.get(Commission, competition_id)
    db.session.expire(commission)  # read what was committed before the lock was ours
    return commission


MAX_LIKES = 2_000_000_000  # an INTEGER column's range, with room


def record_reactions(
    actor, commission: Commission, counted_on: date, likes: dict[int, int | None]
) -> int:
    """The entries' public reactions as counted on a day (one number per admitted entry; an
    empty one is left out); a second count on the same day replaces the first. Until the
    protocol is signed. Returns how many were recorded."""
    commission = _lock_commission(commission.competition_id)
    _refuse_when_signed(commission)
    competition = commission.competition
    if not competition.counts_reactions:
        raise CommissionError(_l("This competition does not count public reactions."))
    if counted_on > to_local(utcnow()).date():
        raise CommissionError(_l("Reactions are counted on a day that has come."))
    entries = {a.id: a for a in queries.entries(competition.id)}
    that_day = {  # the counts of that day already recorded, read once
        r.application_id: r
        for r in db.session.scalars(
            select(Reaction).where(
                Reaction.application_id.in_(entries), Reaction.counted_on == counted_on
            )
        )
    }
    recorded = 0
    for application_id, n in likes.items():
        if n is None:
            continue
        if application_id not in entries:
            raise CommissionError(_l("Only admitted entries of this competition are counted."))
        if not 0 <= n <= MAX_LIKES:
            raise CommissionError(
                _l(
                    "%(number)s: the number of likes must be from 0 to %(max)s.",
                    number=entries[application_id].number,
                    max=MAX_LIKES,
                )
            )
        row = that_day.get(application_id)
        if row is None:
            row = Reaction(application_id=application_id, counted_on=counted_on)
            db.session.add(row)
        row.likes, row.recorded_by_id, row.recorded_at = n, actor.id, utcnow()
        recorded += 1
    db.session.flush()
    record_audit(
        actor,
        "commission.reactions",
        object_type="competitions",
        object_id=competition.id,
        payload={"day": counted_on.isoformat(), "entries": recorded},
    )
    return recorded


def fits_the_places(competition, amounts: list[int]) -> bool:
    """Awards of a contest whose prizes differ by place: each is one place's prize, and no
    prize is given more often than there are places with it (equal awards: always true)."""
    if not competition.place_amounts:
        return True
    places = Counter(competition.place_amounts)
    return all(places[amount] >= n for amount, n in Counter(amounts).items())


def _next_award(competition, taken: list[int]) -> int:
    """The amount an award gets when none is typed: the largest place the other awards
    (`taken`) leave free (prizes by place), else the competition's one amount."""
    if not competition.place_amounts:
        return competition.grant_amount
    free = Counter(competition.place_amounts) - Counter(taken)
    return max(free.elements(), default=competition.place_amounts[-1])


def decide(
    actor, commission: Commission, application: Application, data: DecisionInput
) -> Decision:
    """Record (or change) the meeting's decision on one admitted application: quorum without
    its conflicted members, votes, the tie-break when it shares its score (from the ranking),
    and the pool and number of grants under the commission's lock."""
    _scorable(application)
    if application.competition_id != commission.competition_id:
        raise CommissionError(_l("This application is not in this competition."))
    commission = _lock_commission(commission.competition_id)
    _refuse_when_signed(commission)
    meeting = commission.meeting
    if meeting is None:
        raise CommissionError(_l("Record the meeting and its attendance first."))
    if not quorum_for(commission).met:
        raise CommissionError(_l("There is no quorum: decisions cannot be recorded."))
    application_quorum = quorum_for(
        commission, conflicts.conflicted_member_ids(commission.competition_id, application.id)
    )
    if not application_quorum.met:
        raise CommissionError(
            _l("Without the conflicted members there is no quorum for this application.")
        )
    competition = commission.competition
    rationale, tie_break = data.rationale.strip(), data.tie_break.strip()
    # a rejection needs no tie-break: the ranking's scores are computed only for the others
    if (
        data.outcome != Outcome.REJECT
        and not tie_break
        and queries.is_tied(commission, application.id)
    ):
        raise CommissionError(
            _l("This application shares its score with another: record how the tie was broken.")
        )
    votes = (data.votes_for, data.votes_against, data.votes_abstain)
    if any(v is not None and v < 0 for v in votes):
        raise CommissionError(_l("Votes cannot be negative."))
    present = application_quorum.present
    if sum(v or 0 for v in votes) > present:
        raise CommissionError(_l("More votes than voting members present (%(n)s).", n=present))
    amount = None
    if data.outcome == Outcome.AWARD:
        others = queries.awarded_amounts(meeting.id, application.id)  # the other awards
        amount = data.amount
        if amount is None:
            amount = _next_award(competition, others)
        if not 0 < amount <= competition.grant_amount:
            raise CommissionError(
                _l(
                    "The amount must be from 1 to %(max)s.",
                    max=format_money(competition.grant_amount),
                )
            )
        awarded_total = sum(others)
        if len(others) + 1 > competition.grant_count:
            raise CommissionError(
                _l("All %(n)s prizes are already awarded.", n=competition.grant_count)
                if competition.awards_prizes
                else _l("All %(n)s grants are already awarded.", n=competition.grant_count)
            )
        if not fits_the_places(competition, [*others, amount]):
            raise CommissionError(
                _l(
                    "No place is left with a prize of %(amount)s: the prizes are %(places)s.",
                    amount=format_money(amount),
                    places=", ".join(format_money(a) for a in competition.place_amounts),
                )
            )
        if awarded_total + amount > competition.pool:
            raise CommissionError(
                _l(
                    "This award would exceed the pool: %(left)s is left.",
                    left=format_money(competition.pool - awarded_total),
                )
            )
    decision = db.session.scalars(
        select(Decision).where(Decision.application_id == application.id)
    ).first()
    if decision is None:
        decision = Decision(meeting_id=meeting.id, application_id=application.id)
        db.session.add(decision)
    decision.outcome = data.outcome
    decision.amount = amount
    decision.votes_for, decision.votes_against, decision.votes_abstain = votes
    decision.rationale = rationale
    decision.tie_break = tie_break
    decision.decided_at = utcnow()
    decision.decided_by_id = actor.id
    db.session.flush()
    record_audit(
        actor,
        "meeting.decision",
        decision,
        {
            "application": application.number,
            "outcome": data.outcome.value,
            "amount": amount,
            "votes": list(votes),
        },
    )
    return decision


_protocol_builders: list = []
PROTOCOL_LOCALES = ("kk", "ru")  # the languages a protocol is signed in


def protocol_builder(build):
    """Registers the function that writes the meeting protocol (`documents.protocols`; the
    documents sit above the contexts, so they register themselves here instead of being
    imported). `sign` builds the protocol with it; nothing passes a builder in."""
    _protocol_builders[:] = [build]
    return build


def sign(actor, commission: Commission, locale: str) -> Meeting:
    """Sign the meeting's protocol (`move_stage`)."""
    return move_stage(actor, commission, Stage.SIGNED, locale=locale)


def _sign(actor, commission: Commission, locale: str) -> Meeting:
    """Finalise: the protocol is generated once, stored with its SHA-256, and everything it
    shows (meeting, attendance, scores, decisions) is frozen from now on.

    Under the same lock as the decisions, the pool, the number of grants and each decided
    application's quorum are checked again: what reached the table by any path is signed
    only if it holds."""
    commission = _lock_commission(commission.competition_id)
    _refuse_when_signed(commission)
    meeting = commission.meeting
    if meeting is None:
        raise CommissionError(_l("Record the meeting and its attendance first."))
    if not quorum_for(commission).met:
        raise CommissionError(_l("There is no quorum: decisions cannot be recorded."))
    competition = commission.competition
    amounts = queries.awarded_amounts(meeting.id)
    total, count = sum(amounts), len(amounts)
    if (
        count > competition.grant_count
        or total > competition.pool
        or not fits_the_places(competition, amounts)
    ):
        figures = {
            "count": count,
            "total": format_money(total),
            "grants": competition.grant_count,
            "pool": format_money(competition.pool),
        }
        if competition.awards_prizes:
            raise CommissionError(
                _l(
                    "The decisions award %(count)s prizes for %(total)s; the contest has "
                    "%(grants)s prizes (%(places)s) and a prize fund of %(pool)s. Correct the "
                    "decisions before signing.",
                    places=", ".join(format_money(a) for a in competition.place_amounts)
                    or format_money(competition.grant_amount),
                    **figures,
                )
            )
        raise CommissionError(
            _l(
                "The decisions award %(count)s grants for %(total)s; the competition has "
                "%(grants)s grants and a pool of %(pool)s. Correct the decisions before "
                "signing.",
                **figures,
            )
        )
    decided = db.session.execute(
        select(Decision.application_id, Application.number)
        .join(Application, Application.id == Decision.application_id)
        .where(Decision.meeting_id == meeting.id)
        .order_by(Application.number)
    ).all()
    conflicted = conflicts.conflicted_seats(commission.competition_id)
    without = [
        number
        for application_id, number in decided
        if not quorum_for(commission, conflicted.get(application_id, set())).met
    ]
    if without:
        raise CommissionError(
            _l(
                "Without their conflicted members there is no quorum for %(numbers)s: "
                "those decisions cannot be signed.",
                numbers=", ".join(without),
            )
        )
    admitted = db.session.scalar(
        select(func.count(Application.id)).where(queries.admitted(commission.competition_id))
    )
    if len(decided) != admitted:
        raise CommissionError(
            _l(
                "Record a decision on every admitted application first (%(done)s of %(all)s).",
                done=len(decided),
                all=admitted,
            )
        )
    meeting.signed_at = utcnow()
    meeting.signed_by_id = actor.id
    meeting.protocol_locale = locale
    if not _protocol_builders:
        raise LookupError("no protocol builder: import smallgrants.documents.protocols")
    hashes = {}
    for language in PROTOCOL_LOCALES:  # each language signed at once, each its own file
        stored = uploads.store(BytesIO(_protocol_builders[0](commission, language)), "docx")
        db.session.add(
            SignedProtocol(
                meeting_id=meeting.id,
                locale=language,
                stored_name=stored.stored_name,
                sha256=stored.sha256,
            )
        )
        hashes[language] = stored.sha256
        if language == locale:  # the language the coordinator signed in
            meeting.protocol_stored_name = stored.stored_name
            meeting.protocol_sha256 = stored.sha256
    db.session.flush()
    db.session.expire(meeting, ["signed_protocols"])
    record_audit(
        actor,
        "meeting.sign",
        meeting,
        {
            "sha256": hashes[locale],
            "locale": locale,
            "sha256_by_locale": hashes,
            "from": "scoring_closed",
            "to": "signed",
        },
    )
    return meeting


def add_addendum(actor, commission: Commission, text: str) -> Addendum:
    meeting = commission.meeting
    if meeting is None or not meeting.is_signed:
        raise CommissionError(_l("An addendum is for a signed protocol; edit the meeting instead."))
    text = text.strip()
    if not text:
        raise CommissionError(_l("Write the text of the addendum."))
    addendum = Addendum(
        meeting_id=meeting.id,
        number=len(meeting.addenda) + 1,
        text=text,
        sha256=hashlib.sha256(text.encode()).hexdigest(),
        created_by_id=actor.id,
    )
    db.session.add(addendum)
    db.session.flush()
    record_audit(actor, "meeting.addendum", addendum, {"number": addendum.number})
    db.session.expire(meeting, ["addenda"])
    return addendum


def publish_results(actor, commission: Commission) -> int:
    """Publish the results (`move_stage`); returns the number of e-mails queued."""
    return move_stage(actor, commission, Stage.PUBLISHED)


def _publish(actor, commission: Commission) -> int:
    """The public page opens and every admitted applicant hears the result in their language
    (winner, reserve or not selected; with their score when the competition says so)."""
    commission.results_published_at = utcnow()
    competition = commission.competition
    scores = queries.scores(commission) if commission.show_score_in_results else {}
    outcomes = {
        d.application_id: d
        for d in db.session.scalars(
            select(Decision).where(Decision.meeting_id == commission.meeting.id)
        )
    }
    applications = db.session.scalars(
        select(Application).where(queries.admitted(competition.id)).order_by(Application.seq)
    ).all()
    for application in applications:
        decision = outcomes.get(application.id)
        applicant = application.applicant
        queue_email(
            applicant.email,
            applicant.locale,
            "results",
            _l("Competition results: application %(number)s", number=application.number),
            organisation_id=competition.organisation_id,
            application=application,
            competition=competition,
            outcome=decision.outcome.value if decision else Outcome.REJECT.value,
            amount=decision.amount if decision else None,
            score=scores.get(application.id),
            link=url_for("commission.results", competition_id=competition.id, _external=True),
        )
    record_audit(
        actor,
        "commission.publish",
        object_type="commissions",
        object_id=competition.id,
        payload={"emails": len(applications), "from": "signed", "to": "published"},
    )
    return len(applications)


# --- the person's data (`auth.services.personal_data`, `erase_account`) -----------------


@auth_services.personal_data_requested.connect
def _seats_data(user, **_):
    seats = db.session.scalars(
        select(CommissionMember).where(CommissionMember.user_id == user.id)
    ).all()
    return "commission_seats", [
        {
            "competition": db.session.get(Competition, s.competition_id).title_kk,
            "full_name": s.full_name,
            "email": s.email,
            "job_title": s.job_title,
            "role": s.role.value,
            "voting": s.voting,
        }
        for s in seats
    ]


@auth_services.account_erasing.connect
def _erase_seats(user, **_):
    """A seat keeps the name the approval and meeting protocols show (signed documents of
    the competition); its e-mail and job title go. Invitations still waiting for the
    address go too."""
    for seat in db.session.scalars(
        select(CommissionMember).where(CommissionMember.user_id == user.id)
    ):
        seat.email = auth_services.erased_email(user)
        seat.job_title = ""
    db.session.execute(
        CommissionMember.__table__.delete().where(
            CommissionMember.user_id.is_(None), CommissionMember.email == user.email
        )
    )
