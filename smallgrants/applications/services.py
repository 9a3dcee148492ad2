"""Operations on applicant profiles and applications.

An application moves draft → submitted (→ withdrawn) here, and submitted → admissible /
inadmissible at screening; `transition` is the one place its status changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from smallgrants.applications import policies
from smallgrants.applications.models import (
    BY_IIN,
    ActivityRow,
    ApplicantKind,
    ApplicantProfile,
    Application,
    ApplicationStatus,
    Attachment,
    BudgetLine,
    GroupMember,
    ResultRow,
)
from smallgrants.auth.services import account_erasing, personal_data_requested
from smallgrants.competitions.models import Competition, CompetitionStatus, Phase
from smallgrants.core import states, uploads
from smallgrants.core.i18n import format_date, format_datetime
from smallgrants.core.identifiers import bin_error, iin_birth_date, iin_error
from smallgrants.core.services import ServiceError, queue_email, record_audit
from smallgrants.core.timeutil import to_local, utcnow
from smallgrants.extensions import db


class ApplicationError(ServiceError):
    pass


# --- profiles ---------------------------------------------------------------------------


@dataclass
class MemberInput:
    full_name: str
    phone: str | None
    email: str = ""


@dataclass
class ProfileInput:
    kind: ApplicantKind
    name: str
    bin: str | None = None
    leader_iin: str | None = None
    head_name: str = ""
    legal_address: str = ""
    phone: str | None = None
    email: str = ""
    members: list[MemberInput] = field(default_factory=list)


def _check_profile(data: ProfileInput) -> None:
    if data.kind == ApplicantKind.NGO and (not data.bin or bin_error(data.bin)):
        raise ApplicationError(_l("Enter a valid BIN."))
    if data.kind == ApplicantKind.GROUP and (not data.leader_iin or iin_error(data.leader_iin)):
        raise ApplicationError(_l("Enter a valid IIN of the group leader."))
    if data.kind == ApplicantKind.INDIVIDUAL and (
        not data.leader_iin or iin_error(data.leader_iin)
    ):
        raise ApplicationError(_l("Enter a valid IIN."))


def save_profile(owner, data: ProfileInput, profile: ApplicantProfile | None = None):
    _check_profile(data)
    created = profile is None
    if profile is None:
        profile = ApplicantProfile(owner_id=owner.id, kind=data.kind)
        db.session.add(profile)
    profile.name = data.name
    profile.bin = data.bin if data.kind == ApplicantKind.NGO else None
    profile.leader_iin = data.leader_iin if data.kind in BY_IIN else None
    profile.head_name = data.head_name
    profile.legal_address = data.legal_address
    profile.phone = data.phone
    profile.email = data.email
    profile.members = [
        GroupMember(position=i, full_name=m.full_name, phone=m.phone, email=m.email)
        for i, m in enumerate(data.members if data.kind == ApplicantKind.GROUP else [], 1)
    ]
    db.session.flush()
    record_audit(
        owner,
        "profile.create" if created else "profile.update",
        profile,
        {"kind": data.kind.value, "name": data.name},
    )
    return profile


# --- applications -----------------------------------------------------------------------


@dataclass
class ActivityInput:
    activity: str
    dates: str
    place: str
    planned_participants: int | None


@dataclass
class BudgetInput:
    item: str
    unit: str
    quantity: int
    unit_cost: int


@dataclass
class ResultInput:
    result: str
    indicator: str
    planned_value: str


@dataclass
class ApplicationInput:
    title: str = ""
    district_code: str = ""
    settlement: str = ""
    problem: str = ""
    goal: str = ""
    tasks: str = ""
    target_group: str = ""
    planned_participants: int | None = None
    video_url: str = ""
    sustainability: str = ""
    team: str = ""
    activities: list[ActivityInput] = field(default_factory=list)
    budget: list[BudgetInput] = field(default_factory=list)
    results: list[ResultInput] = field(default_factory=list)


TEXT_FIELDS = (
    "title",
    "district_code",
    "settlement",
    "problem",
    "goal",
    "tasks",
    "target_group",
    "planned_participants",
    "sustainability",
    "team",
    "video_url",
)

# Sections of the form, in order, with what makes each complete.
SECTIONS = (
    "general",
    "problem",
    "goal",
    "target",
    "activities",
    "budget",
    "results",
    "sustainability",
    "attachments",
)


VIDEO_SECTIONS = ("general", "video", "problem", "attachments")


def sections_of(application: Application) -> tuple[str, ...]:
    if application.competition.takes_videos:
        return VIDEO_SECTIONS
    return SECTIONS


def missing_sections(application: Application) -> list[str]:
    a = application
    checks = {
        "video": bool(a.video_url),
        # a district is asked where the region has districts to choose from
        "general": bool(
            a.title and (a.district_code or not a.competition.eligible_districts) and a.settlement
        ),
        "problem": bool(a.problem),
        "goal": bool(a.goal and a.tasks),
        "target": bool(a.target_group and a.planned_participants),
        "activities": bool(a.activities),
        "budget": bool(a.budget),
        "results": bool(a.results),
        "sustainability": bool(a.sustainability and a.team),
        "attachments": not missing_documents(a),
    }
    return [name for name in sections_of(a) if not checks[name]]


def missing_documents(application: Application) -> list:
    """Required checklist items that have no file yet."""
    answered = {att.checklist_item_id for att in application.attachments}
    return [
        item
        for item in application.competition.checklist
        if item.required and item.id not in answered
    ]


def budget_total(application: Application) -> int:
    return sum(line.quantity * line.unit_cost for line in application.budget)


def start_application(user, competition: Competition, profile: ApplicantProfile) -> Application:
    return start_application_at(user, competition, profile, utcnow())


def start_application_at(
    user, competition: Competition, profile: ApplicantProfile, now: datetime
) -> Application:
    if profile.owner_id != user.id:
        raise ApplicationError(_l("This profile is not yours."))
    if competition.status != CompetitionStatus.PUBLISHED or (
        competition.phase_at(now) == Phase.CLOSED
    ):
        raise ApplicationError(_l("This competition does not take applications."))
    check_eligibility(competition, profile)
    existing = db.session.scalars(
        select(Application)
        .where(
            Application.competition_id == competition.id,
            Application.applicant_id == user.id,
            Application.profile_id == profile.id,
            Application.status != ApplicationStatus.WITHDRAWN,
        )
        .order_by(Application.id)
    ).first()
    if existing is not None and existing.status == ApplicationStatus.DRAFT:
        return existing  # "Start" again opens the draft already begun
    if existing is not None:
        raise ApplicationError(
            _l(
                "%(name)s has already applied to this competition (%(number)s).",
                name=profile.name,
                number=existing.number,
            )
        )
    application = Application(
        competition_id=competition.id,
        profile_id=profile.id,
        applicant_id=user.id,
        status=ApplicationStatus.DRAFT,
    )
    db.session.add(application)
    db.session.flush()
    record_audit(user, "application.create", application, {"competition": competition.id})
    return application


def age_on(iin: str, day: date) -> int:
    """Full years on `day` of the person the IIN was issued to (its birth date)."""
    born = iin_birth_date(iin)
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def video_link_error(competition: Competition, url: str):
    """What is wrong with a video entry's link (it leads to none of the contest's sites,
    `Competition.allows_video`), or None; the entry form and `save_draft` both ask it."""
    url = (url or "").strip()
    if not url or competition.allows_video(url):
        return None
    return _l(
        "The link must lead to one of the contest's sites: %(hosts)s.",
        hosts=", ".join(competition.video_host_list),
    )


def check_eligibility(competition: Competition, profile: ApplicantProfile) -> None:
    """Whether this applicant may enter: the competition accepts its kind and, for a person
    entering as themselves, their age on the closing day is within the range — asked when
    the entry starts and again at submission."""
    if not competition.accepts(profile.kind):
        raise ApplicationError(_l("This competition does not accept applicants of this kind."))
    if profile.kind != ApplicantKind.INDIVIDUAL or not competition.has_age_range:
        return
    closing_day = to_local(competition.closes_at).date()
    age = age_on(profile.leader_iin, closing_day)
    low = competition.min_age if competition.min_age is not None else 0
    high = competition.max_age if competition.max_age is not None else 150
    if not low <= age <= high:
        raise ApplicationError(
            _l(
                "Entrants must be %(low)s to %(high)s years old on %(day)s; by the IIN you are "
                "%(age)s.",
                low=low,
                high=high,
                day=format_date(closing_day),
                age=age,
            )
        )


def save_draft(user, application: Application, data: ApplicationInput) -> None:
    if application.status != ApplicationStatus.DRAFT:
        raise ApplicationError(_l("A submitted application cannot be changed."))
    competition = application.competition
    if data.district_code and data.district_code not in {
        d.code for d in competition.eligible_districts
    }:
        raise ApplicationError(_l("Choose a district from the list."))
    video_error = video_link_error(competition, data.video_url)
    if video_error:
        raise ApplicationError(video_error)
    for name in TEXT_FIELDS:
        setattr(application, name, getattr(data, name))
    application.activities = [
        ActivityRow(position=i, **r.__dict__) for i, r in enumerate(data.activities, 1)
    ]
    application.budget = [
        BudgetLine(position=i, **r.__dict__) for i, r in enumerate(data.budget, 1)
    ]
    application.results = [
        ResultRow(position=i, **r.__dict__) for i, r in enumerate(data.results, 1)
    ]
    application.updated_at = utcnow()
    db.session.flush()
    record_audit(user, "application.save_draft", application)


def _next_number(competition: Competition) -> int:
    """Raise the competition's counter atomically: concurrent submissions queue on the row
    lock and each gets the next number; a rolled-back submission gives its number back."""
    return db.session.execute(
        update(Competition)
        .where(Competition.id == competition.id)
        .values(last_number=Competition.last_number + 1)
        .returning(Competition.last_number)
    ).scalar_one()


def profile_record(p: ApplicantProfile, *, member_emails: bool = False) -> dict:
    """A profile as plain data: in an application's frozen copy, and in the person's own
    download (`_profiles_data`, with the members' e-mails)."""
    return {
        "kind": p.kind.value,
        "name": p.name,
        "bin": p.bin,
        "leader_iin": p.leader_iin,
        "head_name": p.head_name,
        "legal_address": p.legal_address,
        "phone": p.phone,
        "email": p.email,
        "members": [
            {
                "full_name": m.full_name,
                "phone": m.phone,
                **({"email": m.email} if member_emails else {}),
            }
            for m in p.members
        ],
    }


def _snapshot(application: Application) -> dict:
    return {
        "profile": profile_record(application.profile),
        **{name: getattr(application, name) for name in TEXT_FIELDS},
        "activities": [
            {
                "activity": r.activity,
                "dates": r.dates,
                "place": r.place,
                "planned_participants": r.planned_participants,
            }
            for r in application.activities
        ],
        "budget": [
            {
                "item": r.item,
                "unit": r.unit,
                "quantity": r.quantity,
                "unit_cost": r.unit_cost,
                "total": r.total,
            }
            for r in application.budget
        ],
        "budget_total": budget_total(application),
        "results": [
            {"result": r.result, "indicator": r.indicator, "planned_value": r.planned_value}
            for r in application.results
        ],
        "attachments": [
            {
                "name": f.original_name,
                "sha256": f.sha256,
                "size": f.size,
                "checklist_item_id": f.checklist_item_id,
            }
            for f in application.attachments
        ],
    }


MACHINE = states.machine(
    "application",
    {
        ApplicationStatus.DRAFT: {ApplicationStatus.SUBMITTED},
        ApplicationStatus.SUBMITTED: {
            ApplicationStatus.WITHDRAWN,
            ApplicationStatus.ADMISSIBLE,
            ApplicationStatus.INADMISSIBLE,
        },
        ApplicationStatus.ADMISSIBLE: {ApplicationStatus.INADMISSIBLE},
        ApplicationStatus.INADMISSIBLE: {ApplicationStatus.ADMISSIBLE},
        ApplicationStatus.WITHDRAWN: set(),
    },
)
REFUSALS = {
    ApplicationStatus.SUBMITTED: _l("This application has already been submitted."),
    ApplicationStatus.WITHDRAWN: _l("Only a submitted application can be withdrawn."),
}


def submit(user, application: Application, now: datetime | None = None) -> str:
    """Check, number, freeze and acknowledge. Returns the registration number."""
    transition(application, ApplicationStatus.SUBMITTED, user, now=now)
    return application.number


def withdraw(user, application: Application, now: datetime | None = None) -> None:
    transition(application, ApplicationStatus.WITHDRAWN, user, now=now)


def screen(actor, application: Application, admissible: bool, reason: str = "") -> None:
    """Admissibility screening; the applicant is told in their language."""
    target = ApplicationStatus.ADMISSIBLE if admissible else ApplicationStatus.INADMISSIBLE
    transition(application, target, actor, reason=reason)


def transition(
    application: Application,
    to: ApplicationStatus,
    actor,
    *,
    now: datetime | None = None,
    reason: str = "",
) -> None:
    """The one place an application changes status: the move must be in `MACHINE`, then the
    move's guards, its effects (number and frozen copy, withdrawal, screening reason), the
    status, the audit entry and the applicant's e-mail."""
    now = now or utcnow()
    MACHINE.check(application.status, to, ApplicationError, REFUSALS.get(to))
    if to == ApplicationStatus.SUBMITTED:
        _check_submission(application, now)
        _number_and_freeze(application, now)
    elif to == ApplicationStatus.WITHDRAWN:
        if application.competition.phase_at(now) != Phase.OPEN:
            raise ApplicationError(
                _l("The deadline has passed: the application can no longer be withdrawn.")
            )
        application.withdrawn_at = now
        application.identity_key = None  # the applicant may apply again
    else:  # screening
        if policies.is_applicant(actor, application):
            raise ApplicationError(_l("You may not screen your own application."))
        reason = reason.strip()
        if to == ApplicationStatus.INADMISSIBLE and not reason:
            raise ApplicationError(_l("Give the reason why the application is not admitted."))
        application.screening_reason = reason or None
    before = application.status
    application.status = to
    record_audit(
        actor,
        "application.status",
        application,
        {"from": before.value, "to": to.value, "number": application.number},
    )
    _announce(application, to, reason)


def _check_submission(application: Application, now: datetime) -> None:
    competition = application.competition
    profile = application.profile
    phase = competition.phase_at(now)
    if competition.status == CompetitionStatus.PUBLISHED and phase == Phase.CLOSED:
        raise ApplicationError(
            _l(
                "The deadline, %(deadline)s (Almaty time), has passed: applications are no "
                "longer accepted.",
                deadline=format_datetime(competition.closes_at),
            )
        )
    if competition.status != CompetitionStatus.PUBLISHED or phase != Phase.OPEN:
        raise ApplicationError(_l("Applications are not being accepted now."))
    if missing_sections(application):
        raise ApplicationError(_l("Complete every section before submitting."))
    if not competition.awards_prizes and budget_total(application) > competition.grant_amount:
        raise ApplicationError(_l("The budget is larger than the grant amount."))
    check_eligibility(competition, profile)
    if profile.kind == ApplicantKind.GROUP and len(profile.members) < (
        competition.min_group_members
    ):
        raise ApplicationError(
            _l(
                "The initiative group needs at least %(n)s members.",
                n=competition.min_group_members,
            )
        )
    duplicate = db.session.scalar(
        select(Application.number).where(
            Application.competition_id == competition.id,
            Application.identity_key == profile.identity_key,
        )
    )
    if duplicate:
        if profile.kind == ApplicantKind.NGO:
            raise ApplicationError(
                _l(
                    "An application from the NGO with BIN %(bin)s is already in this competition "
                    "(%(number)s).",
                    bin=profile.bin,
                    number=duplicate,
                )
            )
        if profile.kind == ApplicantKind.INDIVIDUAL:
            raise ApplicationError(
                _l(
                    "An entry from the person with IIN %(iin)s is already in this competition "
                    "(%(number)s).",
                    iin=profile.leader_iin,
                    number=duplicate,
                )
            )
        raise ApplicationError(
            _l(
                "An application from the group led by IIN %(iin)s is already in this competition "
                "(%(number)s).",
                iin=profile.leader_iin,
                number=duplicate,
            )
        )


def _number_and_freeze(application: Application, now: datetime) -> None:
    competition = application.competition
    seq = _next_number(competition)
    year = to_local(competition.opens_at).year
    application.seq = seq
    application.number = f"{competition.number_prefix}-{year}-{seq:03d}"
    application.submitted_at = now
    application.identity_key = application.profile.identity_key
    application.snapshot = _snapshot(application)


def _announce(application: Application, to: ApplicationStatus, reason: str) -> None:
    """The applicant's e-mail for the move: received, or the screening result (a withdrawal
    sends none)."""
    if to == ApplicationStatus.SUBMITTED:
        template, subject, extra = (
            "application_received",
            _l("Application %(number)s received", number=application.number),
            {},
        )
    elif to in (ApplicationStatus.ADMISSIBLE, ApplicationStatus.INADMISSIBLE):
        template, subject, extra = (
            "application_screened",
            _l("Application %(number)s: screening result", number=application.number),
            {"admissible": to == ApplicationStatus.ADMISSIBLE, "reason": reason},
        )
    else:
        return
    applicant = application.applicant
    queue_email(
        applicant.email,
        applicant.locale,
        template,
        subject,
        organisation_id=application.competition.organisation_id,
        user=applicant,
        application=application,
        competition=application.competition,
        link=url_for("applications.view", application_id=application.id, _external=True),
        **extra,
    )


def add_attachment(
    user, application: Application, stream, filename: str, checklist_item_id: int | None
) -> Attachment:
    if application.status != ApplicationStatus.DRAFT:
        raise ApplicationError(_l("A submitted application cannot be changed."))
    if checklist_item_id is not None and checklist_item_id not in {
        item.id for item in application.competition.checklist
    }:
        raise ApplicationError(_l("Choose a document from the list."))
    kind = uploads.checked_kind(
        stream,
        sum(a.size for a in application.attachments),
        lambda mb: _l("All files of one application may take at most %(mb)s MB.", mb=mb),
        ApplicationError,
    )
    stored = uploads.store(stream, kind)

    attachment = Attachment(
        checklist_item_id=checklist_item_id,
        original_name=(filename or f"file.{kind}")[:255],
        stored_name=stored.stored_name,
        kind=kind,
        size=stored.size,
        sha256=stored.sha256,
        uploaded_by_id=user.id,
    )
    application.attachments.append(attachment)
    db.session.flush()
    record_audit(
        user,
        "attachment.add",
        application,
        {"attachment": attachment.id, "sha256": stored.sha256, "size": stored.size},
    )
    return attachment


def delete_attachment(user, attachment: Attachment) -> None:
    application = db.session.get(Application, attachment.application_id)
    if application.status != ApplicationStatus.DRAFT:
        raise ApplicationError(_l("A submitted application cannot be changed."))
    application.attachments.remove(attachment)
    uploads.discard_after_commit(attachment.stored_name)  # no other row names the file
    record_audit(
        user,
        "attachment.delete",
        application,
        {"attachment": attachment.id, "sha256": attachment.sha256},
    )


# --- the person's data (`auth.services.personal_data`, `erase_account`) -----------------


@personal_data_requested.connect
def _profiles_data(user, **_):
    profiles = db.session.scalars(
        select(ApplicantProfile).where(ApplicantProfile.owner_id == user.id)
    ).all()
    return "applicant_profiles", [profile_record(p, member_emails=True) for p in profiles]


@personal_data_requested.connect
def _applications_data(user, **_):
    applications = db.session.scalars(
        select(Application).where(Application.applicant_id == user.id).order_by(Application.id)
    ).all()
    return "applications", [
        {
            "number": a.number,
            "competition": a.competition.title_kk,
            "title": a.title,
            "status": a.status.value,
            "submitted_at": a.submitted_at.isoformat() if a.submitted_at else None,
            "attachments": [f.original_name for f in a.attachments],
        }
        for a in applications
    ]


def _scrub_snapshot(snapshot: dict | None) -> dict | None:
    if not snapshot or "profile" not in snapshot:
        return snapshot
    profile = dict(snapshot["profile"])
    profile.update(leader_iin="", phone="", email="")
    profile["members"] = [{**m, "phone": None, "email": ""} for m in profile.get("members", [])]
    return {**snapshot, "profile": profile}


@account_erasing.connect
def _erase_applicant_data(user, **_):
    """Drafts go with their files; submitted applications stay (the competition's record)
    with the profile's and the frozen copy's IIN, phones and e-mails removed; a profile no
    application uses any more goes."""
    for application in db.session.scalars(
        select(Application).where(
            Application.applicant_id == user.id, Application.status == ApplicationStatus.DRAFT
        )
    ).all():
        for attachment in application.attachments:
            uploads.discard_after_commit(attachment.stored_name)
        db.session.delete(application)
    db.session.flush()
    for application in db.session.scalars(
        select(Application).where(Application.applicant_id == user.id)
    ):
        application.snapshot = _scrub_snapshot(application.snapshot)
    for profile in db.session.scalars(
        select(ApplicantProfile).where(ApplicantProfile.owner_id == user.id)
    ).all():
        used = db.session.scalar(
            select(func.count(Application.id)).where(Application.profile_id == profile.id)
        )
        if not used:
            db.session.delete(profile)
            continue
        profile.phone = None
        profile.email = ""
        if profile.kind in BY_IIN:
            profile.leader_iin = ""
        if profile.kind == ApplicantKind.INDIVIDUAL:
            profile.name = "—"  # a person's own name is personal data; a group's name is not
        for member in profile.members:
            member.phone = None
            member.email = ""
    db.session.flush()
