"""How applicant kinds are called on every page and document (one table, one function)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from smallgrants.applications.models import ApplicantKind

KIND_LABELS = {
    ApplicantKind.NGO: _l("NGO"),
    ApplicantKind.GROUP: _l("Initiative group"),
    ApplicantKind.INDIVIDUAL: _l("Individual"),
}


def kind_label(kind: str) -> str:
    """The applicant kind in the reader's language ("ngo", "group", "individual")."""
    return str(KIND_LABELS[ApplicantKind(kind)])
