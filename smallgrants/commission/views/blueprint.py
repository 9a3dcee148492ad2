"""The commission's blueprint and what its pages share: labels, loading a competition or its
commission, showing a refusal."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
)
from flask_login import current_user

from smallgrants.commission import policies, queries, services
from smallgrants.commission.labels import (
    GROUND_LABELS,
    MODE_LABELS,
    OUTCOME_LABELS,
    PRIZE_OUTCOME_LABELS,
    ROLE_LABELS,
    STAGE_LABELS,
    TIE_BREAK_LABELS,
)
from smallgrants.commission.models import (
    Commission,
)
from smallgrants.competitions import queries as competition_queries
from smallgrants.competitions.models import Competition
from smallgrants.core import fragments
from smallgrants.core.access import authorize

bp = Blueprint("commission", __name__)

LABELS = {
    "roles": ROLE_LABELS,
    "grounds": GROUND_LABELS,
    "modes": MODE_LABELS,
    "outcomes": OUTCOME_LABELS,
    "prize_outcomes": PRIZE_OUTCOME_LABELS,
    "tie_rules": TIE_BREAK_LABELS,
}


@bp.app_template_global()
def commission_stage_label(stage) -> str:
    """The name of a commission's stage, for every page that shows one."""
    return str(STAGE_LABELS[stage])


@bp.app_template_global()
def results_published(competition_id: int) -> bool:
    """For pages of the contexts below (the competition's announcement)."""
    return queries.results_published(competition_id)


def refused(error: services.CommissionError) -> None:
    flash(str(error.message), "danger")


def load_competition(competition_id: int) -> Competition:
    return competition_queries.competition_for_page(competition_id) or abort(404)


def load_commission(competition_id: int) -> Commission:
    """A competition's commission, for its members' pages (their seat is checked there)."""
    return services.commission_of(load_competition(competition_id))


def managed_commission(competition_id: int) -> Commission:
    """The commission of a competition of the coordinator's organisation (another's: 403)."""
    competition = load_competition(competition_id)
    authorize(policies.can_manage_commission_of(current_user, competition))
    return services.commission_of(competition)


def commission_sources(competition_id: int) -> tuple[str, str]:
    """What a commission's kept tables and scores are read from: its competition's rows and
    the people its built-in conflicts come from (`fragments.commission`, migration 0028)."""
    return fragments.commission(competition_id), fragments.PEOPLE


def kept_table(competition_id: int, build, *parts):
    """A commission page's table, kept while its rows are unchanged (`commission_sources`):
    `build(now)` → (html, until), under this page's address, language and `parts`."""
    return fragments.kept(commission_sources(competition_id), fragments.request_key(*parts), build)
