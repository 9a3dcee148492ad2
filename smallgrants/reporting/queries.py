"""Read side of the final report: the section 4 rows, a competition activity's computed facts,
and the reconciliation.

Every number is one SQL aggregate over its source rows — the project's activities, the
accepted grantee events, applications, commission members, decisions, grants, payments —
and every check says where its numbers come from (`Check.links`), so a page can link each
figure to the records behind it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import lazyload, selectinload

from smallgrants.applications.models import Application, ApplicationStatus
from smallgrants.commission import queries as commission_queries
from smallgrants.commission.models import Commission, CommissionMember, Meeting
from smallgrants.competitions.models import (
    BilingualTitle,
    Competition,
    CompetitionStatus,
    Question,
)
from smallgrants.core.i18n import format_money, format_number, translator
from smallgrants.core.timeutil import to_local
from smallgrants.extensions import db
from smallgrants.grants import queries as grant_queries
from smallgrants.grants.breakdowns import ALL_COLUMNS, BREAKDOWNS
from smallgrants.grants.labels import BREAKDOWN_LABELS
from smallgrants.grants.models import (
    Event,
    Grant,
    GrantStatus,
    PeriodKind,
    Report,
    ReportPeriod,
    ReportStatus,
)
from smallgrants.organisations.queries import held_by
from smallgrants.reporting.labels import EFFECT_LABELS, indicator_name
from smallgrants.reporting.models import (
    EffectKey,
    Indicator,
    IndicatorSource,
    Partner,
    Project,
    ProjectActivity,
    ProjectTask,
)


def projects(organisation_ids: frozenset[int]) -> list[Project]:
    """The final reports of the coordinator's organisations, newest first."""
    return list(
        db.session.scalars(
            select(Project)
            .where(held_by(organisation_ids, Project.organisation_id))
            .order_by(Project.id.desc())
        )
    )


@dataclass(frozen=True)
class Attachable(BilingualTitle):
    """A competition as a choice of the attach form: its id and titles, not a loaded row."""

    id: int
    title_kk: str
    title_ru: str


def attachable(organisation_id: int) -> list[Attachable]:
    """The organisation's published competitions not yet attached to any project's task."""
    taken = select(ProjectActivity.competition_id).where(
        ProjectActivity.competition_id.is_not(None)
    )
    rows = db.session.execute(
        select(Competition.id, Competition.title_kk, Competition.title_ru)
        .where(
            Competition.organisation_id == organisation_id,
            Competition.status == CompetitionStatus.PUBLISHED,
            Competition.id.not_in(taken),
        )
        .order_by(Competition.opens_at.desc())
    )
    return [Attachable(*row) for row in rows]


def _sums(model) -> list:
    return [func.coalesce(func.sum(getattr(model, c)), 0).label(c) for c in ALL_COLUMNS]


# --- section 4 -------------------------------------------------------------------------------


def project_row(project_id: int) -> dict[str, int]:
    """The whole project's row: SUM over its counted activities (`activities` = how many)."""
    row = db.session.execute(
        select(func.count(ProjectActivity.id).label("activities"), *_sums(ProjectActivity))
        .join(ProjectTask, ProjectTask.id == ProjectActivity.task_id)
        .where(ProjectTask.project_id == project_id, ProjectActivity.counted.is_(True))
    ).one()
    return {key: int(value) for key, value in row._mapping.items()}


def _small_grant_events(query, project_id: int):
    return (
        query.join(Report, Report.id == Event.report_id)
        .join(Grant, Grant.id == Report.grant_id)
        .join(ProjectActivity, ProjectActivity.competition_id == Grant.competition_id)
        .join(ProjectTask, ProjectTask.id == ProjectActivity.task_id)
        .where(ProjectTask.project_id == project_id, Report.status == ReportStatus.ACCEPTED)
    )


def small_grants_row(project_id: int) -> dict[str, int]:
    """The small grants' row: SUM over the accepted events of every attached competition."""
    row = db.session.execute(
        _small_grant_events(select(func.count(Event.id).label("events"), *_sums(Event)), project_id)
    ).one()
    return {key: int(value) for key, value in row._mapping.items()}


def small_grants_by_grant_total(project_id: int) -> int:
    """Section 1's small-grants figure, added up grant by grant (a different path to the same
    rows as `small_grants_row`, so the reconciliation compares two computations)."""
    per_grant = _small_grant_events(
        select(Grant.id, func.sum(Event.total).label("total")), project_id
    ).group_by(Grant.id)
    return int(
        db.session.scalar(select(func.coalesce(func.sum(per_grant.subquery().c.total), 0))) or 0
    )


def activity_mismatches(project_id: int) -> list[tuple[ProjectActivity, str, int]]:
    """(activity, breakdown key, sum of its buckets) for every counted activity's breakdown
    that does not sum to the activity's total — found by SQL, in report order."""
    found = []
    for breakdown in BREAKDOWNS:
        counted = sum(
            (getattr(ProjectActivity, c) for c in breakdown.columns[1:]),
            start=getattr(ProjectActivity, breakdown.columns[0]),
        )
        rows = db.session.execute(
            select(ProjectActivity, counted.label("counted"))
            .join(ProjectTask, ProjectTask.id == ProjectActivity.task_id)
            .where(
                ProjectTask.project_id == project_id,
                ProjectActivity.counted.is_(True),
                counted != ProjectActivity.total,
            )
            .order_by(ProjectTask.position, ProjectActivity.position)
        ).all()
        found += [(activity, breakdown.key, int(n)) for activity, n in rows]
    order = {b.key: i for i, b in enumerate(BREAKDOWNS)}
    found.sort(key=lambda f: (f[0].task.position, f[0].position, order[f[1]]))
    return found


# --- a competition as an activity ----------------------------------------------------------


@dataclass
class CompetitionFacts:
    """What a competition's row in the report says, every figure from the records."""

    competition: Competition
    facts: dict[IndicatorSource, int]
    kinds: dict[str, int]  # grants to NGOs / initiative groups
    awards: int  # awards in the signed protocol
    awarded_in_protocol: int
    ledger: grant_queries.Ledger
    participants: dict[str, int]  # accepted events of its grants
    open_grants: int
    final_accepted: int
    admitted: int  # applications found admissible in screening
    starts_on: date | None
    ends_on: date | None
    district_codes: list[str] = field(default_factory=list)
    award_amounts: list[int] = field(default_factory=list)  # the signed protocol's awards
    prizes_paid: int = 0  # a contest: prizes paid, and their sum
    prizes_paid_total: int = 0

    @property
    def amount_each(self) -> int | None:
        """The one award amount when every award is the same, else None (a grants round:
        its grants; a contest: its protocol's prizes)."""
        if self.competition.awards_prizes:
            amounts = set(self.award_amounts)
        else:
            amounts = {row.awarded for row in self.ledger.rows}
        return amounts.pop() if len(amounts) == 1 else None


def competition_facts(competition: Competition) -> CompetitionFacts:
    return competition_facts_of([competition])[competition.id]


def _counts(query, key, competition_ids: list[int]) -> dict[int, int]:
    """competition → COUNT of the query's rows, grouped by `key` (0 where it has none)."""
    rows = db.session.execute(
        query.add_columns(key).where(key.in_(competition_ids)).group_by(key)
    ).all()
    found = {cid: int(n or 0) for n, cid in rows}
    return {cid: found.get(cid, 0) for cid in competition_ids}


def competition_facts_of(competitions: list[Competition]) -> dict[int, CompetitionFacts]:
    """The facts of each competition, in a fixed number of queries (one per figure, grouped
    by competition) whatever the number of competitions attached to a report."""
    ids = [c.id for c in competitions]
    if not ids:
        return {}
    # columns, not the commission and meeting objects (their members, attendance, protocols)
    approved = dict(
        db.session.execute(
            select(Commission.competition_id, Commission.is_approved).where(
                Commission.competition_id.in_(ids)
            )
        ).all()
    )
    signed_meetings = dict(
        db.session.execute(
            select(Meeting.id, Meeting.competition_id).where(
                Meeting.competition_id.in_(ids), Meeting.is_signed
            )
        ).all()
    )
    received = _counts(
        select(func.count(Application.id)).where(
            Application.status.not_in([ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN])
        ),
        Application.competition_id,
        ids,
    )
    admitted = _counts(
        select(func.count(Application.id)).where(
            Application.status == ApplicationStatus.ADMISSIBLE
        ),
        Application.competition_id,
        ids,
    )
    answered = _counts(
        select(func.count(Question.id)).where(Question.answered_at.is_not(None)),
        Question.competition_id,
        ids,
    )
    members = _counts(select(func.count(CommissionMember.id)), CommissionMember.competition_id, ids)
    grants = _counts(select(func.count(Grant.id)), Grant.competition_id, ids)
    open_grants = _counts(
        select(func.count(Grant.id)).where(Grant.status != GrantStatus.TERMINATED),
        Grant.competition_id,
        ids,
    )
    final_accepted = _counts(
        select(func.count(Report.id))
        .join(Grant, Grant.id == Report.grant_id)
        .join(ReportPeriod, ReportPeriod.id == Report.period_id)
        .where(
            Grant.status != GrantStatus.TERMINATED,
            ReportPeriod.kind == PeriodKind.FINAL,
            Report.status == ReportStatus.ACCEPTED,
        ),
        Grant.competition_id,
        ids,
    )
    last_grant_day = dict(
        db.session.execute(
            select(Grant.competition_id, func.max(Grant.ends_on))
            .where(Grant.competition_id.in_(ids))
            .group_by(Grant.competition_id)
        ).all()
    )
    award_amounts = {cid: [] for cid in ids}
    for meeting_id, amounts in commission_queries.awarded_amounts_of(list(signed_meetings)).items():
        award_amounts[signed_meetings[meeting_id]] = amounts
    signed_competitions = set(signed_meetings.values())
    prizes = grant_queries.prizes_paid_by_competition(ids)
    kinds = grant_queries.kind_counts_by_competition(ids)
    ledgers = grant_queries.ledgers(competitions, lean=True)
    participants = grant_queries.participants_by_competition(ids)
    districts = grant_queries.districts_by_competition(ids)
    found = {}
    for competition in competitions:
        cid = competition.id
        signed = cid in signed_competitions
        amounts = award_amounts[cid]
        prizes_paid, prizes_paid_total = prizes[cid]
        facts = {
            IndicatorSource.RULES: int(
                bool(competition.rules_kk or competition.rules_ru or competition.rules_stored_name)
            ),
            IndicatorSource.ANNOUNCEMENT: int(competition.published_at is not None),
            IndicatorSource.OUTREACH: answered[cid],
            IndicatorSource.APPLICATIONS: received[cid],
            IndicatorSource.APPROVAL_PROTOCOL: int(bool(approved.get(cid))),
            IndicatorSource.MEMBERS: members[cid],
            IndicatorSource.MEETING_PROTOCOL: int(signed),
            IndicatorSource.GRANTEES: grants[cid],
            IndicatorSource.MONITORING_REPORT: int(
                open_grants[cid] > 0 and final_accepted[cid] >= open_grants[cid]
            ),
            IndicatorSource.PRIZES: prizes_paid,
        }
        people = dict(participants[cid])
        last_event_day = people.pop("last_day")
        announced = competition.published_at or competition.opens_at
        ends = max((d for d in (last_grant_day.get(cid), last_event_day) if d), default=None)
        found[cid] = CompetitionFacts(
            competition=competition,
            facts=facts,
            kinds=kinds[cid],
            awards=len(amounts),
            awarded_in_protocol=sum(amounts),
            ledger=ledgers[cid],
            participants=people,
            open_grants=open_grants[cid],
            final_accepted=final_accepted[cid],
            admitted=admitted[cid],
            starts_on=to_local(announced).date() if announced else None,
            ends_on=ends or to_local(competition.closes_at).date(),
            district_codes=[code for code, _n, _t in districts[cid] if code],
            award_amounts=amounts,
            prizes_paid=prizes_paid,
            prizes_paid_total=prizes_paid_total,
        )
    return found


def narrative(facts: CompetitionFacts, locale: str) -> str:
    """The sentence the report writes about a competition — in the current locale (callers
    wrap it in `force_locale`): from N applications, M grants of X ₸ were awarded…"""
    _ = translator()  # many texts: the catalogue looked up once
    c = facts.competition
    received = format_number(facts.facts[IndicatorSource.APPLICATIONS], locale)
    awards = format_number(facts.awards, locale)
    each = facts.amount_each
    if c.awards_prizes or c.takes_videos:
        text = _(
            "%(received)s entries were received; the commission chose %(awards)s winners.",
            received=received,
            awards=awards,
        )
        if each is not None:
            text += " " + _("Each winner received %(amount)s.", amount=format_money(each, locale))
        return text
    text = _(
        "From %(received)s applications from NGOs and initiative groups, the commission chose "
        "%(awards)s grantees (NGOs: %(ngo)s, initiative groups: %(groups)s).",
        received=received,
        awards=awards,
        ngo=format_number(facts.kinds.get("ngo", 0), locale),
        groups=format_number(facts.kinds.get("group", 0), locale),
    )
    if each is not None:
        text += " " + _("Each received a grant of %(amount)s.", amount=format_money(each, locale))
    else:
        text += " " + _(
            "The grants total %(amount)s.", amount=format_money(facts.ledger.awarded, locale)
        )
    text += " " + _(
        "In all, %(participants)s people took part in the grantees' events.",
        participants=format_number(facts.participants["total"], locale),
    )
    return text


def indicator_fact(indicator: Indicator, facts: CompetitionFacts | None) -> int | None:
    """A typed fact, or the computed one for a competition's indicator."""
    if indicator.source is None:
        return indicator.fact
    return None if facts is None else facts.facts[indicator.source]


def effect_fact(project: Project, key: EffectKey, typed: int | None) -> int | None:
    if key == EffectKey.PARTNERS:
        return int(
            db.session.scalar(
                select(func.count(Partner.id)).where(Partner.project_id == project.id)
            )
            or 0
        )
    return typed


# --- reconciliation ------------------------------------------------------------------------


@dataclass
class Link:
    label: str
    endpoint: str
    args: dict


@dataclass
class Check:
    group: str  # breakdowns | participants | deviations | grants | money
    title: str
    ok: bool
    detail: str
    links: list[Link] = field(default_factory=list)


def _difference(counted: int, total: int, locale: str) -> str:
    diff = counted - total
    if diff > 0:
        return _("%(n)s more", n=format_number(diff, locale))
    return _("%(n)s fewer", n=format_number(-diff, locale))


@dataclass
class Rollup:
    """Everything the report computes, gathered once for the page, the checks and the files."""

    project: Project
    project_row: dict[str, int]
    small_grants_row: dict[str, int]
    small_grants_by_grant: int
    competitions: dict[int, CompetitionFacts]  # activity id → facts

    def facts_for(self, activity: ProjectActivity) -> CompetitionFacts | None:
        return self.competitions.get(activity.id)


def attached_competitions(project_id: int) -> list[int]:
    """The ids of the competitions attached to a project's activities, in order."""
    return list(
        db.session.scalars(
            select(ProjectActivity.competition_id)
            .join(ProjectTask, ProjectTask.id == ProjectActivity.task_id)
            .where(
                ProjectTask.project_id == project_id,
                ProjectActivity.competition_id.is_not(None),
            )
            .distinct()
            .order_by(ProjectActivity.competition_id)
        )
    )


def report_project(project_id: int) -> Project | None:
    """A project for its report pages: its own row only — its tasks, lists and activities'
    graph are read when a kept page is built (`load_activities`), not at each request."""
    return db.session.get(Project, project_id, options=[lazyload("*")])


def load_activities(project: Project) -> None:
    """Load the project's tasks with their activities (and, by their defaults, the
    activities' indicators and competitions) in one go, for a project loaded without them
    (`lazyload`): a task's activities would otherwise be loaded one task at a time."""
    db.session.execute(
        select(Project)
        .where(Project.id == project.id)
        .options(selectinload(Project.tasks).selectinload(ProjectTask.activities))
        .execution_options(populate_existing=True)
    ).scalar_one()


def rollup(project: Project) -> Rollup:
    attached = [a for a in project.activities if a.competition is not None]
    facts = competition_facts_of([a.competition for a in attached])
    competitions = {activity.id: facts[activity.competition_id] for activity in attached}
    return Rollup(
        project=project,
        project_row=project_row(project.id),
        small_grants_row=small_grants_row(project.id),
        small_grants_by_grant=small_grants_by_grant_total(project.id),
        competitions=competitions,
    )


def _activity_link(activity: ProjectActivity, locale: str) -> Link:
    return Link(
        activity.display_title(locale)[:60], "reporting.edit_activity", {"activity_id": activity.id}
    )


def checks(data: Rollup, locale: str) -> list[Check]:
    """Every check of the report, in the order of the reconciliation page."""
    _ = translator()  # many texts: the catalogue looked up once
    project = data.project
    found: list[Check] = []
    fmt = lambda n: format_number(n, locale)  # noqa: E731

    # 1. each breakdown sums to its total: every activity, then both rows of section 4
    activities_link = Link(_("Activities"), "reporting.project", {"project_id": project.id})
    bad = activity_mismatches(project.id)
    for activity, key, counted in bad:
        found.append(
            Check(
                "breakdowns",
                _(
                    "Activity «%(title)s»: %(breakdown)s",
                    title=activity.display_title(locale),
                    breakdown=BREAKDOWN_LABELS[key],
                ),
                False,
                _(
                    "counts %(counted)s of %(total)s participants (%(difference)s)",
                    counted=fmt(counted),
                    total=fmt(activity.total),
                    difference=_difference(counted, activity.total, locale),
                ),
                [_activity_link(activity, locale)],
            )
        )
    if not bad:
        found.append(
            Check(
                "breakdowns",
                _("Breakdowns of the project's activities"),
                True,
                _(
                    "each breakdown of the %(n)s counted activities sums to its total",
                    n=fmt(data.project_row["activities"]),
                ),
                [activities_link],
            )
        )
    events_links = [
        Link(
            facts.competition.title(locale)[:60],
            "grants.events",
            {"competition_id": facts.competition.id},
        )
        for facts in data.competitions.values()
    ]
    for row_key, row, links in (
        ("project", data.project_row, [activities_link]),
        ("small_grants", data.small_grants_row, events_links),
    ):
        row_title = (
            _("Section 4, row «whole project»")
            if row_key == "project"
            else _("Section 4, row «small grants»")
        )
        for breakdown in BREAKDOWNS:
            counted = sum(row[c] for c in breakdown.columns)
            found.append(
                Check(
                    "breakdowns",
                    f"{row_title}: {BREAKDOWN_LABELS[breakdown.key]}",
                    counted == row["total"],
                    _(
                        "counts %(counted)s of %(total)s participants",
                        counted=fmt(counted),
                        total=fmt(row["total"]),
                    )
                    + (
                        ""
                        if counted == row["total"]
                        else f" ({_difference(counted, row['total'], locale)})"
                    ),
                    links,
                )
            )

    # 2. section 1, the effect table and section 4 agree on the participants
    effects = {row.key: row for row in project.effects}
    direct = effects.get(EffectKey.DIRECT)
    section1 = sum(a.total for a in project.activities if a.counted)
    section4 = data.project_row["total"]
    effects_link = Link(
        _("Effect table"), "reporting.effects", {"project_id": project.id, "back": "reconciliation"}
    )
    typed = direct.fact if direct is not None else None
    found.append(
        Check(
            "participants",
            _("Direct beneficiaries of the project"),
            typed is not None and section1 == section4 == typed,
            _(
                "section 1: %(section1)s; effect table: %(table)s; section 4: %(section4)s",
                section1=fmt(section1),
                table="—" if typed is None else fmt(typed),
                section4=fmt(section4),
            ),
            [activities_link, effects_link],
        )
    )
    if data.competitions:
        grants_total = data.small_grants_by_grant
        rows_total = data.small_grants_row["total"]
        facts_total = sum(f.participants["total"] for f in data.competitions.values())
        found.append(
            Check(
                "participants",
                _("Participants of the small grants"),
                grants_total == rows_total == facts_total,
                _(
                    "section 1 (grant by grant): %(section1)s; effect table: %(table)s; "
                    "section 4: %(section4)s",
                    section1=fmt(grants_total),
                    table=fmt(facts_total),
                    section4=fmt(rows_total),
                ),
                events_links,
            )
        )

    # 3. plan vs fact: a shortfall needs a justification
    for activity in project.activities:
        facts = data.facts_for(activity)
        for indicator in activity.indicators:
            if indicator.plan is None:
                continue
            fact = indicator_fact(indicator, facts)
            link = Link(
                indicator_name(indicator, locale, activity)[:60],
                "reporting.edit_indicator",
                {"indicator_id": indicator.id, "back": "reconciliation"},
            )
            title = _(
                "Indicator «%(name)s» (%(activity)s)",
                name=indicator_name(indicator, locale, activity),
                activity=activity.display_title(locale)[:60],
            )
            found.append(
                _plan_check(title, indicator.plan, fact, indicator.justification, link, locale, _)
            )
    for row in project.effects:
        if row.plan is None:
            continue
        fact = effect_fact(project, row.key, row.fact)
        found.append(
            _plan_check(
                _("Effect table: %(indicator)s", indicator=EFFECT_LABELS[row.key]),
                row.plan,
                fact,
                row.justification,
                effects_link,
                locale,
                _,
            )
        )

    # 4. grants in the text = grants in the ledger; 5. money matches the protocol
    for facts in data.competitions.values():
        found.extend(competition_checks(facts, locale))
    return found


def competition_checks(facts: CompetitionFacts, locale: str) -> list[Check]:
    """A competition's own checks — the final report's and a programme's roll-up: the
    awards of the signed protocol are the grants in the ledger (or the prizes paid), in
    number and in money, and what was awarded to open grants is paid."""
    _ = translator()  # many texts: the catalogue looked up once
    fmt = lambda n: format_number(n, locale)  # noqa: E731
    c = facts.competition
    name = c.title(locale)
    if c.awards_prizes:
        return _prize_checks(facts, locale)
    ledger_link = Link(_("Grants and payments"), "grants.manage", {"competition_id": c.id})
    meeting_link = Link(_("Meeting protocol"), "commission.meeting", {"competition_id": c.id})
    grants = facts.facts[IndicatorSource.GRANTEES]
    due = sum(r.awarded for r in facts.ledger.rows if r.grant.status != GrantStatus.TERMINATED)
    paid = sum(r.paid for r in facts.ledger.rows if r.grant.status != GrantStatus.TERMINATED)
    return [
        Check(
            "grants",
            _("Grants in the text and in the ledger: %(name)s", name=name),
            facts.awards == grants,
            _(
                "the text (signed protocol) says %(awards)s; the ledger holds %(grants)s",
                awards=fmt(facts.awards),
                grants=fmt(grants),
            ),
            [meeting_link, ledger_link],
        ),
        Check(
            "money",
            _("Amounts awarded: %(name)s", name=name),
            facts.awarded_in_protocol == facts.ledger.awarded,
            _(
                "protocol: %(protocol)s; ledger: %(ledger)s",
                protocol=format_money(facts.awarded_in_protocol, locale),
                ledger=format_money(facts.ledger.awarded, locale),
            ),
            [meeting_link, ledger_link],
        ),
        Check(
            "money",
            _("Amounts paid: %(name)s", name=name),
            paid == due,
            _(
                "paid %(paid)s of %(awarded)s awarded to grants not terminated",
                paid=format_money(paid, locale),
                awarded=format_money(due, locale),
            ),
            [ledger_link],
        ),
    ]


def _prize_checks(facts: CompetitionFacts, locale: str) -> list[Check]:
    """A contest's checks: the prizes of the signed protocol are the prizes paid, in number
    and in money."""
    _ = translator()  # many texts: the catalogue looked up once
    c = facts.competition
    name = c.title(locale)
    prizes_link = Link(_("Prizes and their payment"), "grants.prizes", {"competition_id": c.id})
    meeting_link = Link(_("Meeting protocol"), "commission.meeting", {"competition_id": c.id})
    return [
        Check(
            "grants",
            _("Prizes in the protocol and paid: %(name)s", name=name),
            facts.awards == facts.prizes_paid,
            _(
                "the signed protocol awards %(awards)s; %(paid)s are paid",
                awards=format_number(facts.awards, locale),
                paid=format_number(facts.prizes_paid, locale),
            ),
            [meeting_link, prizes_link],
        ),
        Check(
            "money",
            _("Prize money: %(name)s", name=name),
            facts.awarded_in_protocol == facts.prizes_paid_total,
            _(
                "protocol: %(protocol)s; paid: %(paid)s",
                protocol=format_money(facts.awarded_in_protocol, locale),
                paid=format_money(facts.prizes_paid_total, locale),
            ),
            [meeting_link, prizes_link],
        ),
    ]


def _plan_check(
    title: str, plan: int, fact: int | None, justification: str, link, locale, _=_
) -> Check:
    """A plan against its fact; `_` the caller's translator (`checks` asks for ~600)."""
    fmt = lambda n: format_number(n, locale)  # noqa: E731
    if fact is None:
        return Check(
            "deviations", title, False, _("plan %(plan)s, no fact entered", plan=fmt(plan)), [link]
        )
    if fact >= plan:
        return Check(
            "deviations",
            title,
            True,
            _("plan %(plan)s, fact %(fact)s", plan=fmt(plan), fact=fmt(fact)),
            [link],
        )
    if justification.strip():
        return Check(
            "deviations",
            title,
            True,
            _(
                "plan %(plan)s, fact %(fact)s — justified: %(justification)s",
                plan=fmt(plan),
                fact=fmt(fact),
                justification=justification.strip(),
            ),
            [link],
        )
    return Check(
        "deviations",
        title,
        False,
        _(
            "plan %(plan)s, fact %(fact)s, and no justification of the shortfall",
            plan=fmt(plan),
            fact=fmt(fact),
        ),
        [link],
    )


def failing(found: list[Check]) -> list[Check]:
    return [c for c in found if not c.ok]
