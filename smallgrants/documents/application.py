"""The frozen copy of a submitted application as a Word document."""

from __future__ import annotations

from io import BytesIO

from docx import Document
from docx.shared import Pt
from flask_babel import force_locale
from flask_babel import gettext as _

from smallgrants.applications.labels import kind_label
from smallgrants.core import geography
from smallgrants.core.i18n import format_datetime, format_money, format_number
from smallgrants.documents.docx import add_hyperlink, add_table


def build_application_docx(application, locale: str, *, personal: bool) -> bytes:
    """Everything comes from `application.snapshot`, the copy frozen at submission.

    `personal`: with the leader's IIN, the phones and e-mails (the applicant's and the
    coordinator's copy, `applications.policies.can_see_personal_data`); without them, the
    copy a commission member scores from."""
    snap = application.snapshot
    competition = application.competition
    profile = snap["profile"]
    with force_locale(locale):
        doc = Document()
        doc.styles["Normal"].font.name = "Times New Roman"
        doc.styles["Normal"].font.size = Pt(12)
        doc.add_heading(_("Application %(number)s", number=application.number), level=1)
        doc.add_paragraph(competition.title(locale))
        doc.add_paragraph(
            _(
                "Received: %(when)s (Almaty time)",
                when=format_datetime(application.submitted_at, locale),
            )
        )

        doc.add_heading(_("Applicant"), level=2)
        is_ngo = profile["kind"] == "ngo"
        facts = [
            (_("Applicant kind"), kind_label(profile["kind"])),
            (_("Name"), profile["name"]),
        ]
        if is_ngo:
            facts.append((_("BIN"), profile["bin"]))  # the organisation's public number
        elif profile["kind"] == "individual":
            if personal:
                facts.append((_("IIN"), profile["leader_iin"]))
        else:
            if profile.get("head_name"):
                facts.append((_("Group leader (full name)"), profile["head_name"]))
            if personal:
                facts.append((_("Leader’s IIN"), profile["leader_iin"]))
        if is_ngo:
            facts += [
                (_("Head (full name)"), profile["head_name"]),
                (_("Legal address"), profile["legal_address"]),
            ]
        if personal:
            facts += [(_("Phone"), profile["phone"] or ""), (_("E-mail"), profile["email"])]
        add_table(doc, [_("Field"), _("Value")], facts)
        if profile["members"]:
            doc.add_paragraph(_("Members of the group"))
            if personal:
                add_table(
                    doc,
                    [_("No."), _("Member’s full name"), _("Phone")],
                    [
                        (n, m["full_name"], m["phone"] or "")
                        for n, m in enumerate(profile["members"], 1)
                    ],
                )
            else:
                add_table(
                    doc,
                    [_("No."), _("Member’s full name")],
                    [(n, m["full_name"]) for n, m in enumerate(profile["members"], 1)],
                )

        district = geography.district(competition.region_code, snap["district_code"])
        place = f"{district.name(locale) if district else ''}, {snap['settlement']}"
        if competition.takes_videos:
            _video_sections(doc, snap, place)
            documents_heading = _("4. Documents")
        else:
            _project_sections(doc, snap, place, locale)
            documents_heading = _("9. Documents")
        doc.add_heading(documents_heading, level=2)
        add_table(
            doc,
            [_("No."), _("File"), _("Size, bytes"), "SHA-256"],
            [(n, f["name"], f["size"], f["sha256"]) for n, f in enumerate(snap["attachments"], 1)],
        )
        out = BytesIO()
        doc.save(out)
        return out.getvalue()


def _video_sections(doc, snap: dict, place: str) -> None:
    """A video entry: its title and place, the link, and what the video is about."""
    doc.add_heading(_("1. General"), level=2)
    title_label, district_label = _("Title"), _("District")
    doc.add_paragraph(f"{title_label}: {snap['title']}")
    doc.add_paragraph(f"{district_label}: {place}")
    doc.add_heading(_("2. Video"), level=2)
    add_hyperlink(doc.add_paragraph(), snap.get("video_url", ""))
    doc.add_heading(_("3. About the video"), level=2)
    doc.add_paragraph(snap["problem"])


def _project_sections(doc, snap: dict, place: str, locale: str) -> None:
    """A project: general facts, problem, goal and tasks, target group, plan, budget,
    results, sustainability and team."""
    doc.add_heading(_("1. General"), level=2)
    title_label, district_label = _("Project title"), _("District")
    doc.add_paragraph(f"{title_label}: {snap['title']}")
    doc.add_paragraph(f"{district_label}: {place}")
    for heading, key in (
        (_("2. Problem"), "problem"),
        (_("Goal"), "goal"),
        (_("Tasks"), "tasks"),
        (_("4. Target group"), "target_group"),
    ):
        doc.add_heading(heading, level=2)
        doc.add_paragraph(snap[key])
    participants_label = _("Planned number of participants")
    doc.add_paragraph(
        f"{participants_label}: {format_number(snap['planned_participants'], locale)}"
    )

    doc.add_heading(_("5. Activity plan"), level=2)
    add_table(
        doc,
        [_("No."), _("Activity"), _("Dates"), _("Place"), _("Participants")],
        [
            (
                n,
                r["activity"],
                r["dates"],
                r["place"],
                format_number(r["planned_participants"], locale),
            )
            for n, r in enumerate(snap["activities"], 1)
        ],
    )

    doc.add_heading(_("6. Budget"), level=2)
    rows = [
        (
            n,
            r["item"],
            r["unit"],
            format_number(r["quantity"], locale),
            format_money(r["unit_cost"], locale),
            format_money(r["total"], locale),
        )
        for n, r in enumerate(snap["budget"], 1)
    ]
    rows.append(("", _("Total"), "", "", "", format_money(snap["budget_total"], locale)))
    add_table(
        doc,
        [_("No."), _("Item"), _("Unit"), _("Quantity"), _("Unit cost, ₸"), _("Total")],
        rows,
    )

    doc.add_heading(_("7. Expected results"), level=2)
    add_table(
        doc,
        [_("No."), _("Expected result"), _("Indicator"), _("Planned value")],
        [
            (n, r["result"], r["indicator"], r["planned_value"])
            for n, r in enumerate(snap["results"], 1)
        ],
    )

    doc.add_heading(_("8. Sustainability and team"), level=2)
    doc.add_paragraph(snap["sustainability"])
    doc.add_paragraph(snap["team"])
