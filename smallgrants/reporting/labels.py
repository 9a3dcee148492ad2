"""Names of the final report's parts for people (lazy, so each reader gets their language).
The Kazakh and Russian catalogues follow the wording of the official form (Appendix 8)."""

from functools import lru_cache

from flask_babel import force_locale, get_locale
from flask_babel import lazy_gettext as _l

from smallgrants.reporting.models import EffectKey, IndicatorSource, TaskKind

TASK_KIND_LABELS = {
    TaskKind.TASK: _l("Task of the project"),
    TaskKind.CONTRACTUAL: _l("Required by the agreement (not a numbered task)"),
}

# The effect table's rows: (indicator, unit), as the form words them.
EFFECT_LABELS = {
    EffectKey.DIRECT: _l("Number of direct beneficiaries, including:"),
    EffectKey.DIRECT_VULNERABLE: _l("from socially vulnerable groups of the population"),
    EffectKey.INDIRECT: _l("Number of indirect beneficiaries (through media coverage)"),
    EffectKey.STAFF: _l("Number of staff employees"),
    EffectKey.SPECIALISTS: _l("Number of specialists involved, including:"),
    EffectKey.SPECIALISTS_VULNERABLE: _l("from socially vulnerable groups of the population"),
    EffectKey.NGOS: _l("Number of NGOs involved"),
    EffectKey.PAYROLL: _l("Payroll fund out of the total grant sum"),
    EffectKey.TAXES: _l("Taxes (social tax, social contributions, health insurance of staff)"),
    EffectKey.PURCHASES: _l("Contribution to the economy (purchases of goods and services)"),
    EffectKey.PARTNERS: _l(
        "Number of partners of the social project (legal and/or natural persons)"
    ),
}
EFFECT_UNITS = {
    EffectKey.DIRECT: _l("people"),
    EffectKey.DIRECT_VULNERABLE: _l("people"),
    EffectKey.INDIRECT: _l("people"),
    EffectKey.STAFF: _l("people"),
    EffectKey.SPECIALISTS: _l("people"),
    EffectKey.SPECIALISTS_VULNERABLE: _l("people"),
    EffectKey.NGOS: _l("organisations"),
    EffectKey.PAYROLL: _l("tenge"),
    EffectKey.TAXES: _l("tenge"),
    EffectKey.PURCHASES: _l("tenge"),
    EffectKey.PARTNERS: _l("organisations / people"),
}
# Numbered rows of the table; the "including" sub-rows have no number.
EFFECT_NUMBERS = {
    EffectKey.DIRECT: "1.",
    EffectKey.INDIRECT: "2.",
    EffectKey.STAFF: "3.",
    EffectKey.SPECIALISTS: "4.",
    EffectKey.NGOS: "5.",
    EffectKey.PAYROLL: "6.",
    EffectKey.TAXES: "7.",
    EffectKey.PURCHASES: "8.",
    EffectKey.PARTNERS: "9.",
}
MONEY_EFFECTS = frozenset({EffectKey.PAYROLL, EffectKey.TAXES, EffectKey.PURCHASES})

# The default names of a competition's computed indicators, in the report's language (an
# indicator stored without a name of its own takes its source's).
SOURCE_NAMES = {
    IndicatorSource.RULES: _l("Rules of the competition"),
    IndicatorSource.ANNOUNCEMENT: _l("Announcement of the competition"),
    IndicatorSource.OUTREACH: _l("Explanations on writing an application (questions answered)"),
    IndicatorSource.APPLICATIONS: _l("Applications received"),
    IndicatorSource.APPROVAL_PROTOCOL: _l("Protocol approving the commission's members"),
    IndicatorSource.MEMBERS: _l("Members of the commission"),
    IndicatorSource.MEETING_PROTOCOL: _l("Protocol of the commission's meeting"),
    IndicatorSource.GRANTEES: _l("Grantees"),
    IndicatorSource.MONITORING_REPORT: _l(
        "Monitoring report on the implementation of the small grants"
    ),
    IndicatorSource.PRIZES: _l("Prizes to the winners"),
}
# a contest's words where they differ from a grants round's
CONTEST_SOURCE_NAMES = {
    IndicatorSource.RULES: _l("Rules of the contest"),
    IndicatorSource.ANNOUNCEMENT: _l("Announcement of the contest"),
    IndicatorSource.APPLICATIONS: _l("Entries received"),
    IndicatorSource.APPROVAL_PROTOCOL: _l("Protocol approving the contest commission's members"),
}


def indicator_name(indicator, locale: str | None = None, activity=None) -> str:
    """An indicator's own name, or its source's in `locale` (the current one by default; a
    report passes its own, and the activity it is iterating, naming thousands)."""
    if indicator.name or indicator.source is None:
        return indicator.name
    activity = activity if activity is not None else indicator.activity
    competition = activity.competition if activity is not None else None
    prizes = competition is not None and competition.awards_prizes
    return _source_name(indicator.source, prizes, locale or str(get_locale()))


@lru_cache(maxsize=512)
def _source_name(source: IndicatorSource, prizes: bool, locale: str) -> str:
    """A computed indicator's name in `locale`, whatever the request's language (translations
    never change while the app runs, so each is translated once — a report names thousands;
    translated in the request's instead, a Russian report after a Kazakh page kept Kazakh
    names)."""
    with force_locale(locale):
        if prizes:
            return str(CONTEST_SOURCE_NAMES.get(source) or SOURCE_NAMES[source])
        return str(SOURCE_NAMES[source])


SOURCE_LABELS = {
    IndicatorSource.RULES: _l("the competition's rules text or document"),
    IndicatorSource.ANNOUNCEMENT: _l("the published announcement"),
    IndicatorSource.OUTREACH: _l("public questions answered"),
    IndicatorSource.APPLICATIONS: _l("applications submitted and not withdrawn"),
    IndicatorSource.APPROVAL_PROTOCOL: _l("the commission's approval protocol"),
    IndicatorSource.MEMBERS: _l("members of the commission"),
    IndicatorSource.MEETING_PROTOCOL: _l("the signed meeting protocol"),
    IndicatorSource.GRANTEES: _l("grants in the ledger"),
    IndicatorSource.MONITORING_REPORT: _l("every grant's final report accepted"),
    IndicatorSource.PRIZES: _l("prize payments recorded"),
}

# The narrative sections, with the form's headings.
TEXT_LABELS = {
    "goal": _l("Goal of the project"),
    "results_summary": _l("Result achieved by implementing the project"),
    "deviations": _l("Justification of deviations from the plan"),
    "goal_achievement": _l(
        "2. Achievement of the goal (describe the facts and give evidence that the goal was "
        "achieved)"
    ),
    "changes": _l(
        "3. Social and other changes during or at the end of the project (the situation "
        "before and after, how far the problems and tasks were solved)"
    ),
    "success_stories": _l("Success stories"),
    "long_term_effect": _l("Long-term effect of the project on the problem it addresses"),
    "sustainability": _l("Sustainability of the social project / programme"),
    "socio_economic_effect": _l("Social and economic effect of the project"),
    "partners_analysis": _l(
        "6. Contribution of partners, authorities and structures that supported the project"
    ),
}

CHECK_GROUP_LABELS = {
    "breakdowns": _l("Each breakdown sums to its total"),
    "participants": _l("Section 1, the effect table and section 4 agree"),
    "deviations": _l("Deviations from the plan are justified"),
    "grants": _l("Grants in the text equal grants in the ledger"),
    "money": _l("Amounts awarded and paid match the protocol"),
}
