"""The grant agreement («шағын грант беру туралы шарт») as a Word document in Kazakh or
Russian, from the competition's grant terms and the grantee's frozen application."""

from __future__ import annotations

from docx.enum.text import WD_ALIGN_PARAGRAPH
from flask_babel import force_locale
from flask_babel import gettext as _

from smallgrants.applications.models import ApplicantKind
from smallgrants.commission.models import Commission
from smallgrants.core.i18n import format_date, format_datetime, format_money, format_number
from smallgrants.documents.docx import add_table, centered, new_document, to_bytes
from smallgrants.documents.words import money_in_words
from smallgrants.extensions import db
from smallgrants.grants import queries, services
from smallgrants.grants.labels import CONDITION_LABELS, PERIOD_LABELS
from smallgrants.grants.models import Grant


def build_agreement_docx(grant: Grant, locale: str) -> bytes:
    competition = grant.competition
    terms = services.terms_of(competition)
    application = grant.application
    profile = application.profile
    meeting = db.session.get(Commission, competition.id).meeting
    is_ngo = profile.kind == ApplicantKind.NGO
    with force_locale(locale):
        doc = new_document()
        centered(doc, _("Small grant agreement No. %(number)s", number=grant.agreement_number))
        place = doc.add_paragraph(
            f"{terms.signing_place or '—'}    {format_date(grant.agreement_date, locale) or '—'}"
        )
        place.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        doc.add_paragraph(
            _(
                "%(grantor)s, represented by its head %(head)s (the Grantor), and %(grantee)s, "
                "represented by %(leader)s (the Grantee), have concluded this agreement.",
                grantor=terms.grantor_name or "—",
                head=terms.grantor_head or "—",
                grantee=profile.name,
                leader=profile.head_name
                if is_ngo and profile.head_name
                else application.applicant.full_name,
            )
        )

        doc.add_heading(_("1. Subject"), level=2)
        doc.add_paragraph(
            _(
                "The Grantor gives the Grantee a small grant for the project «%(project)s» "
                "(application %(number)s) in the competition «%(competition)s», by the decision "
                "of the commission recorded in protocol No. %(protocol)s of %(date)s.",
                project=application.title,
                number=application.number,
                competition=competition.title(locale),
                protocol=meeting.number if meeting else "—",
                date=format_date(meeting.held_at, locale) if meeting else "—",
            )
        )

        doc.add_heading(_("2. Amount"), level=2)
        doc.add_paragraph(
            _(
                "The amount of the grant is %(amount)s (%(words)s).",
                amount=format_money(grant.amount, locale),
                words=money_in_words(grant.amount, locale),
            )
        )

        doc.add_heading(_("3. Implementation period"), level=2)
        doc.add_paragraph(
            _(
                "From %(start)s to %(end)s.",
                start=format_date(grant.starts_on, locale) or "—",
                end=format_date(grant.ends_on, locale) or "—",
            )
        )

        doc.add_heading(_("4. Payment schedule"), level=2)
        tranches = terms.tranches
        amounts = queries.tranche_amounts(grant.amount, [t.percent for t in tranches])
        add_table(
            doc,
            [_("Tranche"), _("Share"), _("Amount"), _("Condition")],
            [
                (
                    t.position,
                    f"{t.percent}%",
                    format_money(a, locale),
                    str(CONDITION_LABELS[t.condition]),
                )
                for t, a in zip(tranches, amounts, strict=True)
            ],
        )

        doc.add_heading(_("5. Reporting"), level=2)
        if terms.periods:
            add_table(
                doc,
                [_("Report"), _("Due (Almaty time)")],
                [
                    (str(PERIOD_LABELS[p.kind]), format_datetime(p.due_at, locale))
                    for p in terms.periods
                ],
            )
        doc.add_paragraph(
            terms.duties(locale)
            or _(
                "The Grantee reports on every event (participants by gender, social status and "
                "age), publications and expenses against the approved budget, with receipts and "
                "photos, by the due dates above."
            )
        )

        doc.add_heading(_("6. Approved budget"), level=2)
        lines = application.budget
        add_table(
            doc,
            [_("No."), _("Item"), _("Unit"), _("Quantity"), _("Unit cost"), _("Total")],
            [
                *(
                    (
                        n,
                        line.item,
                        line.unit,
                        format_number(line.quantity, locale),
                        format_money(line.unit_cost, locale),
                        format_money(line.total, locale),
                    )
                    for n, line in enumerate(lines, 1)
                ),
                ("", _("Total"), "", "", "", format_money(sum(x.total for x in lines), locale)),
            ],
        )

        doc.add_heading(_("7. Parties"), level=2)
        identifier = profile.bin if is_ngo else profile.leader_iin
        add_table(
            doc,
            ["", _("Grantor"), _("Grantee")],
            [
                (_("Name"), terms.grantor_name, profile.name),
                (_("BIN / IIN"), terms.grantor_bin, identifier),
                (_("Address"), terms.grantor_address, profile.legal_address),
                (_("Phone"), "", profile.phone or ""),
                (_("Signature"), terms.grantor_head, ""),
            ],
        )
        return to_bytes(doc)
