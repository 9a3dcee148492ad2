"""The operator's pages: the programmes they read, and each one's roll-up (page and XLSX)."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_login import current_user

from smallgrants.core import geography
from smallgrants.core.access import require
from smallgrants.core.converters import db_id
from smallgrants.core.downloads import document_locale, document_response
from smallgrants.core.i18n import current_locale
from smallgrants.documents.programme import build_rollup_xlsx
from smallgrants.extensions import db
from smallgrants.grants.breakdowns import BREAKDOWNS
from smallgrants.grants.labels import BREAKDOWN_LABELS, COLUMN_LABELS
from smallgrants.organisations import policies
from smallgrants.organisations import queries as organisation_queries
from smallgrants.organisations.models import Programme
from smallgrants.programmes import queries
from smallgrants.programmes.labels import FIGURE_LABELS, STAGE_LABELS

bp = Blueprint("programmes", __name__, url_prefix="/programmes")


def _load(programme_id: int) -> Programme:
    programme = db.session.get(Programme, programme_id) or abort(404)
    if not policies.can_see_programme(current_user, programme.id):
        abort(403)
    return programme


def _filter() -> queries.Filter:
    region = request.args.get("region") or None
    return queries.Filter(
        holder_id=request.args.get("holder", type=db_id),
        region_code=region if region and geography.region(region) else None,
    )


def region_name(code: str) -> str:
    place = geography.region(code)
    return place.name(current_locale()) if place else code


def district_name(region_code: str, code: str) -> str:
    place = geography.district(region_code, code) if code else None
    return place.name(current_locale()) if place else ""


@bp.get("")
@require(policies.can_read_programmes)
def index():
    return render_template(
        "programmes/index.html",
        programmes=organisation_queries.programmes_by_id(policies.visible_programmes(current_user)),
    )


@bp.get("/<int:programme_id>")
@require(policies.can_read_programmes)
def rollup(programme_id: int):
    programme = _load(programme_id)
    data = queries.rollup(programme, _filter(), current_locale())
    return render_template(
        "programmes/rollup.html",
        data=data,
        programme=programme,
        stage_labels=STAGE_LABELS,
        figure_labels=FIGURE_LABELS,
        column_labels=COLUMN_LABELS,
        breakdown_labels=BREAKDOWN_LABELS,
        breakdowns=BREAKDOWNS,
        region_name=region_name,
        district_name=district_name,
        regions=geography.named(geography.REGIONS, current_locale()),
    )


@bp.get("/<int:programme_id>/rollup.xlsx")
@require(policies.can_read_programmes)
def rollup_xlsx(programme_id: int):
    programme = _load(programme_id)
    lang = document_locale()
    data = queries.rollup(programme, _filter(), lang)
    return document_response(build_rollup_xlsx(data, lang), f"programme-{programme.id}-{lang}.xlsx")
