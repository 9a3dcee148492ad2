"""The programme's roll-up, computed from the same records and by the same queries as each
holder's own monitoring and final report: a competition's figures are
`reporting.queries.competition_facts_of` (applications, grants, ledger, participants of
accepted reports) and `grants.queries.report_counts_by_competition`, each one query grouped
by competition whatever their number; a holder's, a region's and the programme's rows are
the sums of their competitions' rows, so every figure traces to a competition and from
there to its rows. Participants by district are one more grouped query."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import raiseload, selectinload

from smallgrants.commission import queries as commission_queries
from smallgrants.competitions.models import Competition, CompetitionStatus, Phase
from smallgrants.core.i18n import format_money, format_number
from smallgrants.core.timeutil import utcnow
from smallgrants.extensions import db
from smallgrants.grants import breakdowns
from smallgrants.grants import queries as grant_queries
from smallgrants.grants.breakdowns import ALL_COLUMNS
from smallgrants.grants.labels import BREAKDOWN_LABELS
from smallgrants.organisations import queries as organisation_queries
from smallgrants.organisations.models import Organisation, Programme
from smallgrants.reporting import queries as reporting_queries
from smallgrants.reporting.models import IndicatorSource

FIGURES = (
    "competitions",
    "received",
    "admitted",
    "awarded",
    "pool",
    "money_awarded",
    "paid",
    *(f"reports_{key}" for key in grant_queries.REPORT_COUNTS),
    "events",
    *ALL_COLUMNS,
)


@dataclass
class Figures:
    """One row of the roll-up: a competition, or the sum of several."""

    values: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIGURES, 0))

    def __getitem__(self, key: str) -> int:
        return self.values[key]

    def add(self, other: Figures) -> None:
        for key in FIGURES:
            self.values[key] += other.values[key]

    @property
    def reports_on_time(self) -> int:
        """Reports of open grants not late: in and accepted, in awaiting review, or not due."""
        v = self.values
        return v["reports_due"] + v["reports_submitted"] + v["reports_accepted"]


@dataclass
class CompetitionRow:
    competition: Competition
    holder: Organisation
    stage: str  # a key of `labels.STAGE_LABELS`
    figures: Figures
    checks: list[reporting_queries.Check]


@dataclass
class Filter:
    """The drill-down: one holder, one region (the competition's), or the whole programme."""

    holder_id: int | None = None
    region_code: str | None = None

    def args(self) -> dict:
        values = {"holder": self.holder_id, "region": self.region_code}
        return {k: v for k, v in values.items() if v}


@dataclass
class Rollup:
    programme: Programme
    flt: Filter
    holders: list[Organisation]  # every holder of the programme (the filter's choices)
    rows: list[CompetitionRow]
    by_holder: list[tuple[Organisation, Figures]]
    by_region: list[tuple[str, Figures]]
    places: list[dict]  # participants by (region, district), every column
    total: Figures

    @property
    def failing(self) -> list[tuple[CompetitionRow, reporting_queries.Check]]:
        return [(row, check) for row in self.rows for check in row.checks if not check.ok]


def competitions_of(holder_ids: list[int], flt: Filter) -> list[Competition]:
    """The announced competitions of these holders (a draft is the holder's own), oldest
    first; only their columns and prize places are loaded."""
    if not holder_ids:
        return []
    query = (
        select(Competition)
        .where(
            Competition.organisation_id.in_(holder_ids),
            Competition.status != CompetitionStatus.DRAFT,
        )
        .options(selectinload(Competition.prize_places), raiseload("*"))
        .order_by(Competition.opens_at, Competition.id)
    )
    if flt.region_code:
        query = query.where(Competition.region_code == flt.region_code)
    return list(db.session.scalars(query))


def stage(competition: Competition, commission_stage, now) -> str:
    """Where a competition is: its window while applications are taken, then its commission's
    stage (`closed` when it has none yet)."""
    phase = competition.phase_at(now)
    if phase != Phase.CLOSED:
        return phase.value
    return commission_stage.value if commission_stage is not None else "closed"


def _figures(facts: reporting_queries.CompetitionFacts, reports: dict[str, int]) -> Figures:
    c = facts.competition
    prizes = c.awards_prizes
    values = {
        "competitions": 1,
        "received": facts.facts[IndicatorSource.APPLICATIONS],
        "admitted": facts.admitted,
        "awarded": facts.awards if prizes else facts.facts[IndicatorSource.GRANTEES],
        "pool": c.pool,
        "money_awarded": facts.awarded_in_protocol if prizes else facts.ledger.awarded,
        "paid": facts.prizes_paid_total if prizes else facts.ledger.paid,
        **{f"reports_{k}": v for k, v in reports.items()},
        **facts.participants,
    }
    return Figures({key: int(values[key]) for key in FIGURES})


def _own_checks(facts, figures: Figures, locale: str) -> list[reporting_queries.Check]:
    """The final report's checks of the competition, and the two the monitoring report
    rests on: each breakdown of its participants sums to their total, and the pool holds
    what was awarded."""
    fmt = lambda n: format_number(n, locale)  # noqa: E731
    name = facts.competition.title(locale)
    found = reporting_queries.competition_checks(facts, locale)
    for breakdown in breakdowns.BREAKDOWNS:
        counted = sum(figures[c] for c in breakdown.columns)
        found.append(
            reporting_queries.Check(
                "breakdowns",
                _(
                    "%(breakdown)s of the participants: %(name)s",
                    breakdown=BREAKDOWN_LABELS[breakdown.key],
                    name=name,
                ),
                counted == figures["total"],
                _(
                    "counts %(counted)s of %(total)s participants",
                    counted=fmt(counted),
                    total=fmt(figures["total"]),
                ),
            )
        )
    found.append(
        reporting_queries.Check(
            "money",
            _("Awards within the pool: %(name)s", name=name),
            figures["money_awarded"] <= figures["pool"],
            _(
                "awarded %(awarded)s of a pool of %(pool)s",
                awarded=format_money(figures["money_awarded"], locale),
                pool=format_money(figures["pool"], locale),
            ),
        )
    )
    return found


def competition_rows(
    competitions: list[Competition], holders: dict[int, Organisation], locale: str
) -> list[CompetitionRow]:
    """Each competition's figures, stage and checks, in a fixed number of queries (the
    roll-up's rows, and the API's figures of one competition)."""
    ids = [c.id for c in competitions]
    facts = reporting_queries.competition_facts_of(competitions)
    reports = grant_queries.report_counts_by_competition(ids) if ids else {}
    stages = commission_queries.stages_of(ids) if ids else {}
    now = utcnow()
    rows = []
    for c in competitions:
        figures = _figures(facts[c.id], reports[c.id])
        rows.append(
            CompetitionRow(
                competition=c,
                holder=holders[c.organisation_id],
                stage=stage(c, stages.get(c.id), now),
                figures=figures,
                checks=_own_checks(facts[c.id], figures, locale),
            )
        )
    return rows


def rollup(programme: Programme, flt: Filter, locale: str) -> Rollup:
    """The programme's roll-up (restricted by the filter), in a fixed number of queries."""
    holders = organisation_queries.holders_of(programme.id)
    by_id = {o.id: o for o in holders}
    chosen = [flt.holder_id] if flt.holder_id in by_id else list(by_id)
    competitions = competitions_of(chosen, flt)
    ids = [c.id for c in competitions]
    rows = competition_rows(competitions, by_id, locale)
    total = Figures()
    holder_sums: dict[int, Figures] = {}
    region_sums: dict[str, Figures] = {}
    for row in rows:
        total.add(row.figures)
        holder_sums.setdefault(row.holder.id, Figures()).add(row.figures)
        region_sums.setdefault(row.competition.region_code, Figures()).add(row.figures)
    return Rollup(
        programme=programme,
        flt=flt,
        holders=holders,
        rows=rows,
        by_holder=[(by_id[hid], holder_sums.get(hid, Figures())) for hid in chosen],
        by_region=sorted(region_sums.items()),
        places=grant_queries.participants_by_place(ids) if ids else [],
        total=total,
    )
