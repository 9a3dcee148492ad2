"""The reference page's words: each operation's name, by its operationId (the document
itself is in English, as API documents are)."""

from flask_babel import lazy_gettext as _l

OPERATION_LABELS = {
    "organisations": _l("Grant holders the token reads"),
    "competitions": _l("Competitions, with their stage"),
    "competition": _l("A competition and its monitoring figures"),
    "registry": _l("The registry of received applications"),
    "decisions": _l("The commission's decisions and winners"),
    "grants": _l("Grants and their payments"),
    "programmes": _l("Programmes"),
    "rollup": _l("A programme's roll-up"),
    "projects": _l("Projects with a final report"),
    "section4": _l("Section 4 of the final report, with its checks"),
}
