"""The public results page of a competition."""

from __future__ import annotations

from flask import (
    abort,
    render_template,
)

from smallgrants.commission import queries
from smallgrants.commission.models import (
    Commission,
    Stage,
)
from smallgrants.commission.views.blueprint import bp, load_competition
from smallgrants.competitions.models import CompetitionStatus
from smallgrants.core import geography
from smallgrants.core.i18n import current_locale
from smallgrants.extensions import db


@bp.get("/competitions/<int:competition_id>/results")
def results(competition_id: int):
    competition = load_competition(competition_id)
    commission = db.session.get(Commission, competition_id)
    if (
        competition.status != CompetitionStatus.PUBLISHED
        or commission is None
        or commission.stage != Stage.PUBLISHED
    ):
        abort(404)
    winners = queries.winners(commission)
    locale = current_locale()
    return render_template(
        "commission/results.html",
        c=competition,
        commission=commission,
        winners=winners,
        total=sum(w.amount for w in winners),
        districts={d.code: d.name(locale) for d in geography.districts_of(competition.region_code)},
    )
