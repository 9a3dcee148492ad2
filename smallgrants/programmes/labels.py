"""Names of the roll-up's stages and figures, for its page and its workbook."""

from flask_babel import lazy_gettext as _l

from smallgrants.commission.labels import STAGE_LABELS as COMMISSION_STAGE_LABELS

STAGE_LABELS = {
    "upcoming": _l("Applications not open yet"),
    "open": _l("Applications are open"),
    "closed": _l("Applications closed"),
    **{stage.value: label for stage, label in COMMISSION_STAGE_LABELS.items()},
}

FIGURE_LABELS = {
    "competitions": _l("Competitions"),
    "received": _l("Applications received"),
    "admitted": _l("Admitted"),
    "awarded": _l("Awarded"),
    "pool": _l("Pool"),
    "money_awarded": _l("Money awarded"),
    "paid": _l("Paid"),
    "reports_due": _l("Reports due, not late"),
    "reports_overdue": _l("Reports overdue"),
    "reports_submitted": _l("Reports awaiting review"),
    "reports_accepted": _l("Reports accepted"),
    "events": _l("Events"),
}
