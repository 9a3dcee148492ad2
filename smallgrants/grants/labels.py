"""Names of grant and monitoring enumerations and breakdown buckets for people (lazy, so each
reader gets their language). The social-status and age names follow section 4 of the final
report form (BRIEF)."""

from flask_babel import lazy_gettext as _l

from smallgrants.grants.breakdowns import Mismatch
from smallgrants.grants.models import (
    EventFormat,
    FilePurpose,
    GrantStatus,
    PeriodKind,
    ReportStatus,
    TrancheCondition,
)

GRANT_STATUS_LABELS = {
    GrantStatus.ACTIVE: _l("Active"),
    GrantStatus.REPORTING: _l("Reporting"),
    GrantStatus.COMPLETED: _l("Completed"),
    GrantStatus.TERMINATED: _l("Terminated"),
}
REPORT_STATUS_LABELS = {
    ReportStatus.DRAFT: _l("Draft"),
    ReportStatus.SUBMITTED: _l("Submitted, awaiting review"),
    ReportStatus.RETURNED: _l("Returned for corrections"),
    ReportStatus.ACCEPTED: _l("Accepted"),
}
PERIOD_LABELS = {
    PeriodKind.INTERIM: _l("Interim report"),
    PeriodKind.FINAL: _l("Final report"),
}
CONDITION_LABELS = {
    TrancheCondition.ON_AGREEMENT: _l("After the agreement is signed"),
    TrancheCondition.INTERIM_ACCEPTED: _l("After the interim report is accepted"),
    TrancheCondition.FINAL_ACCEPTED: _l("After the final report is accepted"),
}
FORMAT_LABELS = {
    EventFormat.OFFLINE: _l("Offline"),
    EventFormat.ONLINE: _l("Online"),
}
PURPOSE_LABELS = {
    FilePurpose.PHOTO: _l("Photo"),
    FilePurpose.EVIDENCE: _l("Other evidence"),
    FilePurpose.RECEIPT: _l("Receipt"),
    FilePurpose.VISIT: _l("Visit photo"),
}
BREAKDOWN_LABELS = {
    "gender": _l("Gender"),
    "social": _l("Social status"),
    "age": _l("Age"),
}
COLUMN_LABELS = {
    "total": _l("Participants, total"),
    "men": _l("Men"),
    "women": _l("Women"),
    "gender_unspecified": _l("Not specified"),
    "s_children": _l("Children (incl. children with disabilities)"),
    "s_youth": _l("Youth"),
    "s_civil_servants": _l("Civil servants"),
    "s_budget_employees": _l("Employees of budget organisations"),
    "s_disabled": _l("Persons with disabilities"),
    "s_elderly": _l("Older people (50 and over)"),
    "s_unemployed": _l("Unemployed"),
    "s_ngo": _l("Representatives of public organisations"),
    "s_business": _l("Business sector"),
    "s_other": _l("Other"),
    "social_unspecified": _l("Not specified"),
    "a_13_16": _l("13–16 years"),
    "a_17_22": _l("17–22 years"),
    "a_23_27": _l("23–27 years"),
    "a_28_32": _l("28–32 years"),
    "a_33_45": _l("33–45 years"),
    "a_46_58": _l("46–58 years"),
    "a_59_plus": _l("59 years and over"),
    "age_unspecified": _l("Not specified"),
}


def mismatch_message(m: Mismatch):
    """Which breakdown is off and by how much, e.g. "Gender: the groups add up to 12, the
    total is 10 — 2 too many"."""
    if m.difference > 0:
        return _l(
            "%(breakdown)s: the groups add up to %(counted)s, the total is %(total)s — "
            "%(n)s too many.",
            breakdown=BREAKDOWN_LABELS[m.breakdown],
            counted=m.counted,
            total=m.total,
            n=m.difference,
        )
    return _l(
        "%(breakdown)s: the groups add up to %(counted)s, the total is %(total)s — %(n)s missing.",
        breakdown=BREAKDOWN_LABELS[m.breakdown],
        counted=m.counted,
        total=m.total,
        n=-m.difference,
    )
