"""The public results page of a competition."""

from __future__ import annotations

from flask import (
    abort,
    render_template,
)
from markupsafe import Markup

from smallgrants.commission import queries
from smallgrants.commission.models import (
    Commission,
    Stage,
)
from smallgrants.commission.views.blueprint import bp, commission_sources, load_competition
from smallgrants.competitions.models import CompetitionStatus
from smallgrants.core import fragments, geography
from smallgrants.core.i18n import current_locale
from smallgrants.extensions import db


@bp.get("/competitions/<int:competition_id>/results")
def results(competition_id: int):
    """Public: kept while the competition's rows, its meeting and the people it names are
    unchanged (the first visitors after publication build it, the rest read it)."""

    def build(_now):
        competition = load_competition(competition_id)
        commission = db.session.get(Commission, competition_id)
        if (
            competition.status != CompetitionStatus.PUBLISHED
            or commission is None
            or commission.stage != Stage.PUBLISHED
        ):
            return None, None  # not published (yet): no page
        winners = queries.winners(commission)
        locale = current_locale()
        html = render_template(
            "commission/_results_body.html",
            c=competition,
            commission=commission,
            winners=winners,
            total=sum(w.amount for w in winners),
            districts={
                d.code: d.name(locale) for d in geography.districts_of(competition.region_code)
            },
        )
        return (competition.title(locale), Markup(html)), None  # noqa: S704 - rendered escaped

    names = (*commission_sources(competition_id), fragments.meeting(competition_id))
    kept = fragments.kept_value(names, fragments.request_key(), build)
    if kept is None:
        abort(404)
    title, body = kept
    return render_template("commission/results.html", title=title, body=body)
