"""The final report's rows as people read them — one function per part of the form, used by
the project page and by the Word and Excel files alike, so the screen and the documents say
the same thing. Figures come from `reporting.queries.Rollup`; nothing is counted here.

Callers choose the language with `force_locale`; `locale` formats the numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _

from smallgrants.core import geography
from smallgrants.core.i18n import format_date, format_money, format_number, translator
from smallgrants.grants.breakdowns import BREAKDOWNS
from smallgrants.grants.labels import COLUMN_LABELS
from smallgrants.reporting import queries
from smallgrants.reporting.labels import (
    EFFECT_LABELS,
    EFFECT_NUMBERS,
    EFFECT_UNITS,
    indicator_name,
)
from smallgrants.reporting.models import (
    EffectKey,
    Indicator,
    IndicatorSource,
    ProjectActivity,
    ProjectTask,
    TaskKind,
)


def task_label(task: ProjectTask, number: int | None) -> str:
    if task.kind == TaskKind.TASK and number is not None:
        return _("Task %(n)s. %(title)s", n=number, title=task.title)
    return task.title


def task_numbers(tasks: list[ProjectTask]) -> dict[int, int]:
    """Numbered tasks count 1, 2, 3…; blocks the agreement requires are not numbered."""
    numbers, n = {}, 0
    for task in tasks:
        if task.kind == TaskKind.TASK:
            n += 1
            numbers[task.id] = n
    return numbers


def date_range(starts, ends, locale: str) -> str:
    if starts is None and ends is None:
        return ""
    if starts is None or ends is None or starts == ends:
        return format_date(starts or ends, locale)
    return f"{format_date(starts, locale)} – {format_date(ends, locale)}"


def plan_text(indicator: Indicator, locale: str) -> str:
    if indicator.plan is None:
        return "—"
    n = format_number(indicator.plan, locale)
    return _("at least %(n)s", n=n) if indicator.plan_at_least else n


def fact_text(indicator: Indicator, facts: queries.CompetitionFacts | None, locale: str) -> str:
    value = queries.indicator_fact(indicator, facts)
    if value is None:
        return "—"
    text = format_number(value, locale)
    if indicator.source == IndicatorSource.GRANTEES and facts is not None:
        text += " " + _(
            "(NGOs: %(ngo)s, initiative groups: %(groups)s)",
            ngo=format_number(facts.kinds.get("ngo", 0), locale),
            groups=format_number(facts.kinds.get("group", 0), locale),
        )
    if indicator.source == IndicatorSource.PRIZES and facts is not None:
        text += f" ({format_money(facts.prizes_paid_total, locale)})"
    return text


@dataclass
class IndicatorRow:
    indicator: Indicator
    name: str
    plan: str
    fact: str


@dataclass
class ActivityRow:
    activity: ProjectActivity
    title: str
    task: ProjectTask
    task_label: str
    task_span: int  # rows the task's cell spans; 0 on rows after the task's first
    dates: str
    place: str
    participants: str
    results: str
    indicators: list[IndicatorRow]
    effectiveness: str
    facts: queries.CompetitionFacts | None = None
    small_grants: int | None = None


def _district_names(facts: queries.CompetitionFacts, locale: str) -> str:
    region = facts.competition.region_code
    names = []
    for code in facts.district_codes:
        place = geography.district(region, code)
        names.append(place.name(locale) if place else code)
    return ", ".join(sorted(names))


def section1(data: queries.Rollup, locale: str) -> list[ActivityRow]:
    _ = translator()  # many texts: the catalogue looked up once
    numbers = task_numbers(data.project.tasks)
    rows = []
    for task in data.project.tasks:
        label = task_label(task, numbers.get(task.id))
        for i, activity in enumerate(task.activities):
            facts = data.facts_for(activity)
            participants = ""
            if activity.total or not facts:
                participants = (
                    f"{format_number(activity.total, locale)} {activity.participants_note}"
                )
            place, results = activity.place, activity.results
            dates = date_range(activity.starts_on, activity.ends_on, locale)
            small = None
            grants_round = facts is not None and not facts.competition.awards_prizes
            if grants_round:  # a contest has no grantees' events: its entrants are typed
                small = facts.participants["total"]
                line = _("Small grants: %(n)s participants", n=format_number(small, locale))
                participants = f"{participants}\n{line}".strip()
            if facts is not None:
                districts = _district_names(facts, locale) if grants_round else ""
                if districts:
                    place = "\n".join(
                        p
                        for p in (place, _("Districts of the small grants: %(d)s", d=districts))
                        if p
                    )
                results = "\n".join(p for p in (queries.narrative(facts, locale), results) if p)
                dates = dates or date_range(facts.starts_on, facts.ends_on, locale)
            rows.append(
                ActivityRow(
                    activity=activity,
                    title=activity.display_title(locale),
                    task=task,
                    task_label=label,
                    task_span=len(task.activities) if i == 0 else 0,
                    dates=dates,
                    place=place,
                    participants=participants.strip(),
                    results=results,
                    indicators=[
                        IndicatorRow(
                            ind,
                            indicator_name(ind, locale, activity),
                            plan_text(ind, locale),
                            fact_text(ind, facts, locale),
                        )
                        for ind in activity.indicators
                    ],
                    effectiveness=activity.effectiveness,
                    facts=facts,
                    small_grants=small,
                )
            )
    return rows


@dataclass
class EffectLine:
    key: EffectKey
    number: str
    label: str
    unit: str
    plan: str
    fact: str
    justification: str


def effects(data: queries.Rollup, locale: str) -> list[EffectLine]:
    lines = []
    small = data.small_grants_row["total"]
    for row in data.project.effects:
        fact_value = queries.effect_fact(data.project, row.key, row.fact)
        fact = "—" if fact_value is None else format_number(fact_value, locale)
        if row.key == EffectKey.DIRECT and data.competitions:
            fact = "\n".join(
                (
                    _("%(n)s for the project", n=fact),
                    _("small grants: %(n)s", n=format_number(small, locale)),
                )
            )
        lines.append(
            EffectLine(
                key=row.key,
                number=EFFECT_NUMBERS.get(row.key, ""),
                label=str(EFFECT_LABELS[row.key]),
                unit=str(EFFECT_UNITS[row.key]),
                plan="—" if row.plan is None else format_number(row.plan, locale),
                fact=fact,
                justification=row.justification,
            )
        )
    return lines


def deviation_notes(data: queries.Rollup, locale: str) -> list[str]:
    """The justified shortfalls, for the form's "deviations" paragraph."""
    notes = []
    for activity in data.project.activities:
        facts = data.facts_for(activity)
        for ind in activity.indicators:
            fact = queries.indicator_fact(ind, facts)
            if ind.plan is not None and fact is not None and fact < ind.plan and ind.justification:
                notes.append(
                    _(
                        "%(name)s: plan %(plan)s, fact %(fact)s. %(justification)s",
                        name=indicator_name(ind, locale, activity),
                        plan=format_number(ind.plan, locale),
                        fact=format_number(fact, locale),
                        justification=ind.justification,
                    )
                )
    for row in data.project.effects:
        fact = queries.effect_fact(data.project, row.key, row.fact)
        if row.plan is not None and fact is not None and fact < row.plan and row.justification:
            notes.append(
                _(
                    "%(name)s: plan %(plan)s, fact %(fact)s. %(justification)s",
                    name=EFFECT_LABELS[row.key],
                    plan=format_number(row.plan, locale),
                    fact=format_number(fact, locale),
                    justification=row.justification,
                )
            )
    return notes


@dataclass
class StatisticsTable:
    key: str
    headers: list[str]
    rows: list[list[str]]
    values: list[list[int]] = field(default_factory=list)  # the same, as numbers


def section4(data: queries.Rollup, locale: str) -> list[StatisticsTable]:
    """Gender, social status and age, two rows each: the whole project and the small grants.
    A "not specified" column appears whenever either row has people in it — never hidden."""
    project, small = data.project_row, data.small_grants_row
    tables = []
    for breakdown in BREAKDOWNS:
        columns = list(breakdown.buckets)
        if project[breakdown.unspecified] or small[breakdown.unspecified]:
            columns.append(breakdown.unspecified)
        first = (
            _("Participants, total")
            if breakdown.key == "gender"
            else _("Participants of the whole project")
        )
        headers = [first, *(str(COLUMN_LABELS[c]) for c in columns)]
        values, rows = [], []
        for label, row in (
            (_("Whole project – %(n)s", n=format_number(project["total"], locale)), project),
            (_("Small grants – %(n)s", n=format_number(small["total"], locale)), small),
        ):
            numbers = [row[c] for c in columns]
            values.append([row["total"], *numbers])
            rows.append([label, *(format_number(n, locale) for n in numbers)])
        tables.append(StatisticsTable(breakdown.key, headers, rows, values))
    return tables


def section5_results(data: queries.Rollup, locale: str) -> list[str]:
    """The form's list of concrete results: each activity's participants, as section 1 says."""
    lines = []
    for activity in data.project.activities:
        if activity.total:
            lines.append(f"{format_number(activity.total, locale)} {activity.participants_note}")
        facts = data.facts_for(activity)
        if facts is not None:
            lines.append(
                _(
                    "%(n)s participants took part in the small grants' events.",
                    n=format_number(facts.participants["total"], locale),
                )
            )
    return lines
