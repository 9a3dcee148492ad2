"""Operations on the grant holder's project: its header and narrative sections, tasks,
activities (with participants), indicators, the effect table, partners, proposals and
recommendations; attaching a competition the project ran to one of its tasks.

Services flush and audit; the request (or the CLI command) commits once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from smallgrants.competitions.models import Competition
from smallgrants.core.services import ServiceError, record_audit
from smallgrants.extensions import db
from smallgrants.grants import breakdowns
from smallgrants.organisations import policies as organisation_policies
from smallgrants.reporting.models import (
    TEXT_FIELDS,
    EffectKey,
    EffectRow,
    Indicator,
    IndicatorSource,
    Partner,
    Project,
    ProjectActivity,
    ProjectTask,
    Proposal,
    Recommendation,
    TaskKind,
)


class ProjectError(ServiceError):
    pass


class ActivityBreakdownError(ProjectError):
    """Breakdowns that do not sum to the total, not marked as recorded as given."""

    def __init__(self, found: list[breakdowns.Mismatch]):
        super().__init__(_l("The participants' breakdowns do not add up to the total."))
        self.mismatches = found


def _next_position(rows) -> int:
    return 1 + max((r.position for r in rows), default=0)


# --- the project --------------------------------------------------------------------------


@dataclass
class ProjectInput:
    organisation: str
    title: str
    head_name: str = ""
    legal_address: str = ""
    phone: str = ""
    direction: str = ""
    agreement_number: str = ""
    agreement_date: date | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    grant_sum: int | None = 0
    # a new project only (None: the coordinator's one organisation)
    organisation_id: int | None = None


def _apply_header(project: Project, data: ProjectInput) -> None:
    if not data.organisation.strip():
        raise ProjectError(_l("Enter the organisation's full name."))
    if not data.title.strip():
        raise ProjectError(_l("Enter the project's name."))
    if data.grant_sum is None or data.grant_sum < 0:
        raise ProjectError(_l("Enter the grant sum in whole tenge."))
    if data.starts_on and data.ends_on and data.starts_on > data.ends_on:
        raise ProjectError(_l("The project cannot end before it starts."))
    project.organisation = data.organisation.strip()[:300]
    project.title = data.title.strip()[:300]
    project.head_name = data.head_name.strip()[:200]
    project.legal_address = data.legal_address.strip()[:500]
    project.phone = data.phone.strip()[:32]
    project.direction = data.direction.strip()[:300]
    project.agreement_number = data.agreement_number.strip()[:32]
    project.agreement_date = data.agreement_date
    project.starts_on = data.starts_on
    project.ends_on = data.ends_on
    project.grant_sum = data.grant_sum


def _holder(actor, organisation_id: int | None) -> int:
    found = organisation_policies.holder_for(actor, organisation_id)
    if found is None:
        raise ProjectError(_l("Choose the organisation whose project it is."))
    return found


def create_project(actor, data: ProjectInput) -> Project:
    """A project with the effect table's rows in the form's order, plan and fact empty."""
    project = Project(
        created_by_id=getattr(actor, "id", None),
        organisation_id=_holder(actor, data.organisation_id),
    )
    _apply_header(project, data)
    db.session.add(project)
    for position, key in enumerate(EffectKey, start=1):
        project.effects.append(EffectRow(position=position, key=key))
    db.session.flush()
    record_audit(actor, "project.create", project, {"title": project.title})
    return project


def update_project(actor, project: Project, data: ProjectInput) -> None:
    _apply_header(project, data)
    db.session.flush()
    record_audit(actor, "project.update", project)


def save_texts(actor, project: Project, texts: dict[str, str]) -> None:
    changed = []
    for name in TEXT_FIELDS:
        if name in texts:
            value = (texts[name] or "").strip()
            if value != getattr(project, name):
                setattr(project, name, value)
                changed.append(name)
    db.session.flush()
    record_audit(actor, "project.texts", project, {"changed": changed})


# --- tasks ---------------------------------------------------------------------------------


def add_task(actor, project: Project, title: str, kind: TaskKind = TaskKind.TASK) -> ProjectTask:
    if not title.strip():
        raise ProjectError(_l("Enter the task's wording."))
    task = ProjectTask(
        project_id=project.id,
        position=_next_position(project.tasks),
        kind=kind,
        title=title.strip(),
    )
    db.session.add(task)
    db.session.flush()
    db.session.expire(project, ["tasks"])
    record_audit(actor, "project.task", project, {"task": task.id})
    return task


def update_task(actor, task: ProjectTask, title: str, kind: TaskKind) -> None:
    if not title.strip():
        raise ProjectError(_l("Enter the task's wording."))
    task.title = title.strip()
    task.kind = kind
    db.session.flush()
    record_audit(actor, "project.task", task.project, {"task": task.id})


def delete_task(actor, task: ProjectTask) -> None:
    project = task.project
    record_audit(actor, "project.task_delete", project, {"task": task.id, "title": task.title})
    db.session.delete(task)
    db.session.flush()
    db.session.expire(project, ["tasks"])


# --- activities ----------------------------------------------------------------------------


@dataclass
class ActivityInput:
    title: str
    starts_on: date | None = None
    ends_on: date | None = None
    place: str = ""
    participants_note: str = ""
    results: str = ""
    effectiveness: str = ""
    counted: bool = True
    as_given: bool = False
    counts: dict[str, int | None] = field(default_factory=dict)


def save_activity(
    actor, task: ProjectTask, data: ActivityInput, activity: ProjectActivity | None = None
) -> ProjectActivity:
    """Counted activities carry the three breakdowns; they must sum to the total unless the
    coordinator records them as a source document gives them (`as_given`), in which case
    the reconciliation names every breakdown that is off. Uncounted ones keep a total only."""
    if activity is not None and activity.task_id != task.id:
        raise ProjectError(_l("This activity belongs to another task."))
    if not data.title.strip() and (activity is None or activity.competition_id is None):
        raise ProjectError(_l("Enter the activity's title."))
    if data.starts_on and data.ends_on and data.starts_on > data.ends_on:
        raise ProjectError(_l("The activity cannot end before it starts."))
    counts = {column: data.counts.get(column) or 0 for column in breakdowns.ALL_COLUMNS}
    if any(value < 0 for value in counts.values()):
        raise ProjectError(_l("Numbers of participants cannot be negative."))
    if not data.counted:
        counts = dict.fromkeys(breakdowns.ALL_COLUMNS, 0) | {"total": counts["total"]}
        for breakdown in breakdowns.BREAKDOWNS:
            counts[breakdown.unspecified] = counts["total"]
    found = breakdowns.mismatches(counts)
    if found and not data.as_given:
        raise ActivityBreakdownError(found)
    if activity is None:
        activity = ProjectActivity(task_id=task.id, position=_next_position(task.activities))
        db.session.add(activity)
    activity.title = data.title.strip()
    activity.starts_on = data.starts_on
    activity.ends_on = data.ends_on
    activity.place = data.place.strip()
    activity.participants_note = data.participants_note.strip()
    activity.results = data.results.strip()
    activity.effectiveness = data.effectiveness.strip()
    activity.counted = data.counted
    activity.as_given = bool(found) and data.as_given
    for column, value in counts.items():
        setattr(activity, column, value)
    db.session.flush()
    db.session.expire(task, ["activities"])
    record_audit(
        actor,
        "project.activity",
        task.project,
        {"activity": activity.id, "total": counts["total"], "as_given": activity.as_given},
    )
    return activity


def delete_activity(actor, activity: ProjectActivity) -> None:
    task = activity.task
    record_audit(actor, "project.activity_delete", task.project, {"activity": activity.id})
    db.session.delete(activity)
    db.session.flush()
    db.session.expire(task, ["activities"])


# The indicators a competition's row carries, in the seed's order, with their default plan:
# one set of rules, one announcement… and as many grantees as the competition awards; a
# contest with prizes (the seed's task 3): rules, announcement, entries, the commission,
# the meeting protocol and the prizes paid to its winners.
CONTEST_PLANS = (
    (IndicatorSource.RULES, lambda c: 1),
    (IndicatorSource.ANNOUNCEMENT, lambda c: 1),
    (IndicatorSource.APPLICATIONS, lambda c: None),
    (IndicatorSource.APPROVAL_PROTOCOL, lambda c: 1),
    (IndicatorSource.MEMBERS, lambda c: None),
    (IndicatorSource.MEETING_PROTOCOL, lambda c: 1),
    (IndicatorSource.PRIZES, lambda c: c.grant_count),
)
COMPETITION_PLANS = (
    (IndicatorSource.RULES, lambda c: 1),
    (IndicatorSource.ANNOUNCEMENT, lambda c: 1),
    (IndicatorSource.OUTREACH, lambda c: None),
    (IndicatorSource.APPLICATIONS, lambda c: None),
    (IndicatorSource.APPROVAL_PROTOCOL, lambda c: 1),
    (IndicatorSource.MEMBERS, lambda c: None),
    (IndicatorSource.MEETING_PROTOCOL, lambda c: 1),
    (IndicatorSource.GRANTEES, lambda c: c.grant_count),
    (IndicatorSource.MONITORING_REPORT, lambda c: 1),
)


def attach_competition(
    actor, task: ProjectTask, competition: Competition, title: str = ""
) -> ProjectActivity:
    """The competition becomes an activity of the task whose indicators' facts and small-grant
    participants are computed. Left without a title, the activity and its indicators are
    named in the report's language. A competition belongs to one project's task only."""
    taken = db.session.scalar(
        select(ProjectActivity.id).where(ProjectActivity.competition_id == competition.id)
    )
    if taken is not None:
        raise ProjectError(_l("This competition is already attached to a task."))
    if competition.organisation_id != task.project.organisation_id:
        raise ProjectError(_l("A project reports on its own organisation's competitions only."))
    activity = ProjectActivity(
        task_id=task.id,
        position=_next_position(task.activities),
        competition_id=competition.id,
        title=title.strip(),
        counted=True,
    )
    db.session.add(activity)
    db.session.flush()
    plans = CONTEST_PLANS if competition.awards_prizes else COMPETITION_PLANS
    for position, (source, plan) in enumerate(plans, start=1):
        db.session.add(
            Indicator(
                activity_id=activity.id,
                position=position,
                name="",
                source=source,
                plan=plan(competition),
            )
        )
    db.session.flush()
    db.session.expire(task, ["activities"])
    record_audit(
        actor,
        "project.competition",
        task.project,
        {"activity": activity.id, "competition": competition.id},
    )
    return activity


# --- indicators ----------------------------------------------------------------------------


@dataclass
class IndicatorInput:
    name: str
    plan: int | None = None
    plan_at_least: bool = False
    fact: int | None = None
    justification: str = ""


def save_indicator(
    actor, activity: ProjectActivity, data: IndicatorInput, indicator: Indicator | None = None
) -> Indicator:
    if indicator is not None and indicator.activity_id != activity.id:
        raise ProjectError(_l("This indicator belongs to another activity."))
    if not data.name.strip() and (indicator is None or indicator.source is None):
        raise ProjectError(_l("Enter the indicator's name."))
    if (data.plan is not None and data.plan < 0) or (data.fact is not None and data.fact < 0):
        raise ProjectError(_l("Plan and fact cannot be negative."))
    if indicator is None:
        indicator = Indicator(activity_id=activity.id, position=_next_position(activity.indicators))
        db.session.add(indicator)
    if indicator.source is not None and data.fact is not None:
        raise ProjectError(_l("This indicator's fact is computed from the competition's records."))
    indicator.name = data.name.strip()
    indicator.plan = data.plan
    indicator.plan_at_least = data.plan_at_least
    indicator.fact = data.fact
    indicator.justification = data.justification.strip()
    db.session.flush()
    db.session.expire(activity, ["indicators"])
    record_audit(
        actor,
        "project.indicator",
        activity.task.project,
        {"indicator": indicator.id, "plan": data.plan, "fact": data.fact},
    )
    return indicator


def delete_indicator(actor, indicator: Indicator) -> None:
    activity = indicator.activity
    record_audit(actor, "project.indicator_delete", activity.task.project, {"id": indicator.id})
    db.session.delete(indicator)
    db.session.flush()
    db.session.expire(activity, ["indicators"])


# --- the effect table ----------------------------------------------------------------------

COMPUTED_EFFECT_FACTS = frozenset({EffectKey.PARTNERS})


def save_effects(
    actor, project: Project, values: dict[EffectKey, tuple[int | None, int | None, str]]
) -> None:
    """Plan, fact and justification per row; a computed fact (partners) is not typed."""
    for row in project.effects:
        if row.key not in values:
            continue
        plan, fact, justification = values[row.key]
        if (plan is not None and plan < 0) or (fact is not None and fact < 0):
            raise ProjectError(_l("Plan and fact cannot be negative."))
        row.plan = plan
        row.fact = None if row.key in COMPUTED_EFFECT_FACTS else fact
        row.justification = (justification or "").strip()
    db.session.flush()
    record_audit(actor, "project.effects", project)


# --- partners, proposals, recommendations --------------------------------------------------

# kind → (model, the field that must not be empty, its message, the fields a form fills)
LIST_KINDS = {
    "partners": (
        Partner,
        "name",
        _l("Enter the partner's name."),
        ("name", "role", "contacts", "note"),
    ),
    "proposals": (
        Proposal,
        "sphere",
        _l("Enter the sphere of the state grant."),
        ("sphere", "priority", "problem", "amount", "grant_type", "expected_results"),
    ),
    "recommendations": (
        Recommendation,
        "body",
        _l("Enter the state body."),
        ("body", "recommendation", "letter"),
    ),
}


def save_list_row(actor, project: Project, kind: str, values: dict, row=None):
    model, required, message, fields = LIST_KINDS[kind]
    if not str(values.get(required) or "").strip():
        raise ProjectError(message)
    if values.get("amount") is not None and values["amount"] < 0:
        raise ProjectError(_l("The amount cannot be negative."))
    if row is None:
        row = model(project_id=project.id, position=_next_position(getattr(project, kind)))
        db.session.add(row)
    elif row.project_id != project.id:
        raise ProjectError(_l("This row belongs to another project."))
    for name in fields:
        value = values.get(name)
        setattr(row, name, value.strip() if isinstance(value, str) else value)
    db.session.flush()
    db.session.expire(project, [kind])
    record_audit(actor, f"project.{kind}", project, {"row": row.id})
    return row


def delete_list_row(actor, project: Project, kind: str, row) -> None:
    record_audit(actor, f"project.{kind}_delete", project, {"row": row.id})
    db.session.delete(row)
    db.session.flush()
    db.session.expire(project, [kind])
