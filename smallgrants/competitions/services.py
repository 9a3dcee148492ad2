"""Operations on competitions: create, edit, publish, withdraw the announcement.

Amounts, counts and criteria are frozen once the application window opens; every change
after publishing is audited with the fields it changed.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from datetime import datetime

from blinker import Namespace
from flask import current_app, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from smallgrants.auth.services import personal_data_requested
from smallgrants.competitions.models import (
    DEFAULT_VIDEO_HOSTS,
    AwardKind,
    ChecklistItem,
    Competition,
    CompetitionDistrict,
    CompetitionStatus,
    Criterion,
    EntryKind,
    Phase,
    PrizePlace,
    Question,
)
from smallgrants.core import geography, states, uploads
from smallgrants.core.services import ServiceError, queue_email, record_audit
from smallgrants.core.timeutil import utcnow, within_deadline
from smallgrants.extensions import db
from smallgrants.organisations import policies as organisation_policies


class CompetitionError(ServiceError):
    pass


@dataclass
class CriterionInput:
    title_kk: str
    title_ru: str
    description: str
    max_points: int
    weight: int


@dataclass
class ChecklistInput:
    title_kk: str
    title_ru: str
    required: bool


@dataclass
class CompetitionInput:
    title_kk: str
    title_ru: str
    description_kk: str
    description_ru: str
    direction_kk: str
    direction_ru: str
    region_code: str
    district_codes: list[str]
    grant_amount: int
    grant_count: int
    accepts_ngo: bool
    accepts_group: bool
    min_group_members: int
    opens_at: datetime  # aware UTC
    closes_at: datetime
    rules_kk: str
    rules_ru: str
    number_prefix: str
    criteria: list[CriterionInput] = field(default_factory=list)
    checklist: list[ChecklistInput] = field(default_factory=list)
    entry_kind: EntryKind = EntryKind.PROJECT
    accepts_individual: bool = False
    award_kind: AwardKind = AwardKind.GRANT
    place_amounts: list[int] = field(default_factory=list)  # prizes by place, 1st first
    video_hosts: str = DEFAULT_VIDEO_HOSTS  # the sites a video entry's link may lead to
    counts_reactions: bool = False  # public reactions (likes) recorded for each entry
    reaction_weight: int = 0  # percent of the final score from them
    min_age: int | None = None  # an individual entrant's age on the closing day
    max_age: int | None = None
    # the grant holder that will run it (a new competition only; None: the coordinator's
    # one organisation when they work for exactly one)
    organisation_id: int | None = None


SCALARS = (
    "title_kk",
    "title_ru",
    "description_kk",
    "description_ru",
    "direction_kk",
    "direction_ru",
    "region_code",
    "grant_amount",
    "grant_count",
    "accepts_ngo",
    "accepts_group",
    "accepts_individual",
    "video_hosts",
    "counts_reactions",
    "reaction_weight",
    "min_age",
    "max_age",
    "min_group_members",
    "opens_at",
    "closes_at",
    "rules_kk",
    "rules_ru",
    "number_prefix",
    "entry_kind",
    "award_kind",
)
# What applicants rely on once they may apply.
FROZEN_WHEN_OPEN = (
    "grant_amount",
    "grant_count",
    "criteria",
    "number_prefix",
    "entry_kind",
    "award_kind",
    "place_amounts",
    "counts_reactions",
    "reaction_weight",
)


# Allowed moves between stored states; the guard of each move is in `transition`.
MACHINE = states.machine(
    "competition",
    {
        CompetitionStatus.DRAFT: {CompetitionStatus.PUBLISHED},
        CompetitionStatus.PUBLISHED: {CompetitionStatus.DRAFT},
    },
)


HOST = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


def video_hosts_of(text: str) -> str:
    """The sites typed as "youtube.com, https://www.tiktok.com/" → "youtube.com tiktok.com"."""
    hosts = []
    for item in re.split(r"[\s,;]+", text.strip().lower()):
        host = re.sub(r"^(https?://)?(www\.)?", "", item).split("/")[0].rstrip(".")
        if not host:
            continue
        if not HOST.match(host):
            raise CompetitionError(
                _l("“%(host)s” is not a site's name, such as youtube.com.", host=item[:100])
            )
        if host not in hosts:
            hosts.append(host)
    return " ".join(hosts) or DEFAULT_VIDEO_HOSTS


def _validate(data: CompetitionInput) -> None:
    data.video_hosts = video_hosts_of(data.video_hosts)
    amounts = data.place_amounts
    if amounts and data.award_kind != AwardKind.PRIZE:
        raise CompetitionError(_l("Prizes by place are for a contest with prizes."))
    if any(a is None or a <= 0 for a in amounts):
        raise CompetitionError(_l("Every place's prize must be more than zero."))
    if any(later > earlier for earlier, later in itertools.pairwise(amounts)):
        raise CompetitionError(_l("A place's prize may not be larger than the place above it."))
    if not 0 <= (data.reaction_weight or 0) <= 100:
        raise CompetitionError(_l("The reactions' weight is a percent: from 0 to 100."))
    data.reaction_weight = data.reaction_weight or 0
    if data.reaction_weight and not data.counts_reactions:
        raise CompetitionError(_l("Reactions can weigh in the score only if they are counted."))
    if amounts:  # the places decide how many awards and the largest of them
        data.grant_count, data.grant_amount = len(amounts), max(amounts)
    if len(data.video_hosts) > 500:
        raise CompetitionError(_l("Name fewer sites: at most 500 characters."))
    if geography.region(data.region_code) is None:
        raise CompetitionError(_l("Choose a region from the list."))
    known = {d.code for d in geography.districts_of(data.region_code)}
    if not set(data.district_codes) <= known:
        raise CompetitionError(_l("A chosen district is not in the chosen region."))
    if data.closes_at <= data.opens_at:
        raise CompetitionError(_l("The application window must close after it opens."))
    if not (data.accepts_ngo or data.accepts_group or data.accepts_individual):
        raise CompetitionError(_l("Accept NGOs, initiative groups or individuals."))
    if data.min_age is not None and data.max_age is not None and data.min_age > data.max_age:
        raise CompetitionError(_l("The lowest age must not be above the highest."))


def _criteria_snapshot(items) -> list[tuple]:
    return [(c.title_kk, c.title_ru, c.description, c.max_points, c.weight) for c in items]


def _checklist_snapshot(items) -> list[tuple]:
    return [(c.title_kk, c.title_ru, c.required) for c in items]


def _jsonable(value):
    return value.isoformat() if isinstance(value, datetime) else value


def _apply(competition: Competition, data: CompetitionInput) -> dict:
    """Write the input onto the competition; return {field: new value} for what changed."""
    changes = {}
    for name in SCALARS:
        new = getattr(data, name)
        if getattr(competition, name) != new:
            changes[name] = _jsonable(new)
            setattr(competition, name, new)
    if sorted(competition.district_codes) != sorted(data.district_codes):
        changes["districts"] = sorted(data.district_codes)
        competition.district_rows = [
            CompetitionDistrict(district_code=code) for code in sorted(set(data.district_codes))
        ]
    if _criteria_snapshot(competition.criteria) != _criteria_snapshot(data.criteria):
        changes["criteria"] = [c.__dict__ for c in data.criteria]
        competition.criteria = [
            Criterion(position=i, **c.__dict__) for i, c in enumerate(data.criteria, 1)
        ]
    if competition.place_amounts != list(data.place_amounts):
        changes["place_amounts"] = list(data.place_amounts)
        competition.prize_places = [
            PrizePlace(place=i, amount=a) for i, a in enumerate(data.place_amounts, 1)
        ]
    if _checklist_snapshot(competition.checklist) != _checklist_snapshot(data.checklist):
        changes["checklist"] = [c.__dict__ for c in data.checklist]
        competition.checklist = [
            ChecklistItem(position=i, **c.__dict__) for i, c in enumerate(data.checklist, 1)
        ]
    return changes


# Sent, inside the creating transaction, once a new competition has its id: the contexts
# that keep one row per competition (its commission, its grant terms) make theirs then, so
# that no page load ever has to.
competition_created = Namespace().signal("competition-created")


def _holder(actor, organisation_id: int | None) -> int:
    found = organisation_policies.holder_for(actor, organisation_id)
    if found is None:
        raise CompetitionError(_l("Choose the organisation that runs the competition."))
    return found


def create_competition(actor, data: CompetitionInput) -> Competition:
    _validate(data)
    competition = Competition(
        status=CompetitionStatus.DRAFT,
        created_by_id=actor.id,
        organisation_id=_holder(actor, data.organisation_id),
    )
    db.session.add(competition)
    _apply(competition, data)
    db.session.flush()
    competition_created.send(competition)
    db.session.flush()
    record_audit(actor, "competition.create", competition, {"title": data.title_kk})
    return competition


def _frozen(source) -> dict:
    """The FROZEN_WHEN_OPEN values of a competition or of an input, comparable."""

    return {
        name: _criteria_snapshot(source.criteria) if name == "criteria" else getattr(source, name)
        for name in FROZEN_WHEN_OPEN
    }


def update_competition(actor, competition: Competition, data: CompetitionInput) -> dict:
    _validate(data)
    phase = competition.phase
    if phase in (Phase.OPEN, Phase.CLOSED) and _frozen(competition) != _frozen(data):
        raise CompetitionError(
            _l(
                "Amounts, the number of awards, the prizes and the criteria cannot change "
                "once applications are open."
            )
        )
    changes = _apply(competition, data)
    if changes:
        db.session.flush()
        record_audit(
            actor, "competition.update", competition, {"phase": phase.value, "changes": changes}
        )
    return changes


def transition(competition: Competition, to: CompetitionStatus, actor) -> None:
    """The one place a competition changes state: check, write, audit."""
    MACHINE.check(competition.status, to, CompetitionError)
    now = utcnow()
    if to == CompetitionStatus.PUBLISHED:
        if not competition.criteria:
            raise CompetitionError(_l("Add at least one scoring criterion before publishing."))
        if not within_deadline(competition.closes_at, now):
            raise CompetitionError(_l("The application window has already closed."))
        competition.published_at = now
    if to == CompetitionStatus.DRAFT and competition.phase_at(now) != Phase.UPCOMING:
        raise CompetitionError(
            _l("Only an announcement whose window has not opened can go back to draft.")
        )
    before = competition.status
    competition.status = to
    record_audit(actor, "competition.status", competition, {"from": before.value, "to": to.value})


def ask_question(author, competition: Competition, text: str) -> Question:
    if competition.status != CompetitionStatus.PUBLISHED:
        raise CompetitionError(_l("Questions can be asked only about published competitions."))
    question = Question(competition_id=competition.id, author_id=author.id, text=text.strip())
    db.session.add(question)
    db.session.flush()
    record_audit(author, "question.ask", question, {"competition": competition.id})
    return question


def answer_question(actor, question: Question, answer: str) -> None:
    """Publish (or correct) the answer; the person who asked is told in their language."""
    first_answer = question.answer is None
    question.answer = answer.strip()
    question.answered_at = utcnow()
    question.answered_by_id = actor.id
    record_audit(actor, "question.answer", question, {"first": first_answer})
    author = question.author
    if first_answer and author is not None:
        competition = db.session.get(Competition, question.competition_id)
        queue_email(
            author.email,
            author.locale,
            "question_answered",
            _l("Your question has been answered"),
            organisation_id=competition.organisation_id,
            user=author,
            question=question,
            competition=competition,
            link=url_for(
                "competitions.announcement",
                competition_id=competition.id,
                _anchor="questions",
                _external=True,
            ),
        )


RULES_KINDS = ("pdf", "docx")


def attach_rules(actor, competition: Competition, stream, filename: str) -> None:
    """The rules as a document (PDF or DOCX) next to the rules text."""
    kind = uploads.detect_kind(stream)
    if kind not in RULES_KINDS:
        raise CompetitionError(_l("The rules document must be a PDF or DOCX file."))
    limit = current_app.config["UPLOAD_MAX_FILE_BYTES"]
    if uploads.stream_size(stream) > limit:
        raise CompetitionError(_l("The file is larger than %(mb)s MB.", mb=limit // 2**20))
    stored = uploads.store(stream, kind)
    if competition.rules_stored_name:  # the document it replaces
        uploads.discard_after_commit(competition.rules_stored_name)
    competition.rules_file_name = (filename or f"rules.{kind}")[:255]
    competition.rules_stored_name = stored.stored_name
    competition.rules_kind = kind
    competition.rules_sha256 = stored.sha256
    record_audit(
        actor,
        "competition.rules_file",
        competition,
        {"name": competition.rules_file_name, "sha256": stored.sha256},
    )


# --- the person's data (`auth.services.personal_data`) ----------------------------------


@personal_data_requested.connect
def _questions_data(user, **_):
    questions = db.session.scalars(
        select(Question).where(Question.author_id == user.id).order_by(Question.id)
    ).all()
    return "questions", [
        {
            "competition": db.session.get(Competition, q.competition_id).title_kk,
            "text": q.text,
            "asked_at": q.asked_at.isoformat(),
            "answer": q.answer,
        }
        for q in questions
    ]
