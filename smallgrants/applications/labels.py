"""How applicant kinds are called on every page and document (one table, one function)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from smallgrants.applications.models import ApplicantKind, ApplicationStatus

KIND_LABELS = {
    ApplicantKind.NGO: _l("NGO"),
    ApplicantKind.GROUP: _l("Initiative group"),
    ApplicantKind.INDIVIDUAL: _l("Individual"),
}


def kind_label(kind: str) -> str:
    """The applicant kind in the reader's language ("ngo", "group", "individual")."""
    return str(KIND_LABELS[ApplicantKind(kind)])


STATUS_LABELS = {
    ApplicationStatus.DRAFT: _l("Draft"),
    ApplicationStatus.SUBMITTED: _l("Submitted"),
    ApplicationStatus.WITHDRAWN: _l("Withdrawn"),
    ApplicationStatus.ADMISSIBLE: _l("Admitted to scoring"),
    ApplicationStatus.INADMISSIBLE: _l("Not admitted"),
}
STATUS_BADGES = {  # Bootstrap's text-bg-… of each status
    "draft": "secondary",
    "submitted": "primary",
    "withdrawn": "dark",
    "admissible": "success",
    "inadmissible": "danger",
}


def status_labels() -> dict[str, str]:
    """Each application status in the reader's language, translated once for a whole list."""
    return {status.value: str(label) for status, label in STATUS_LABELS.items()}


def kind_labels() -> dict[str, str]:
    """Each applicant kind in the reader's language (`kind_label` of every kind)."""
    return {kind.value: str(label) for kind, label in KIND_LABELS.items()}
