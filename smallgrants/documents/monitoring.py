"""The monitoring report on the small grants («шағын гранттардың жүзеге асырылуы бойынша
мониторинг есебі») as Word (kk / ru) and Excel: a summary across all grants with the three
participant breakdowns as charts, then each grant — events, participants, publications, spend
against the budget, status, visit findings.

Every number comes from `grants.queries` (SQL sums over accepted reports' event rows); the
Excel workbook lists those event rows, so each figure can be traced to them.
"""

from __future__ import annotations

from dataclasses import dataclass

from docx.shared import Pt
from flask_babel import force_locale
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from smallgrants.applications.models import ApplicantKind
from smallgrants.competitions.models import Competition
from smallgrants.core import geography
from smallgrants.core.i18n import format_date, format_money, format_number
from smallgrants.core.timeutil import to_local, utcnow
from smallgrants.documents import xlsx
from smallgrants.documents.docx import add_table, centered, new_document, to_bytes
from smallgrants.grants import queries
from smallgrants.grants.breakdowns import ALL_COLUMNS, BREAKDOWNS
from smallgrants.grants.labels import (
    BREAKDOWN_LABELS,
    COLUMN_LABELS,
    FORMAT_LABELS,
    GRANT_STATUS_LABELS,
)
from smallgrants.grants.models import Grant

BAR_WIDTH = 20  # characters of the longest bar in the Word charts


@dataclass
class GrantSection:
    grant: Grant
    paid: int
    totals: dict[str, int]
    events: list
    publications: list
    spend: list
    visits: list


@dataclass
class MonitoringData:
    competition: Competition
    ledger: queries.Ledger
    totals: dict[str, int]
    by_district: list[tuple]
    publications: dict[str, int]
    kinds: dict[str, int]
    spend: dict[int, tuple[int, int]]
    sections: list[GrantSection]


def collect(competition: Competition) -> MonitoringData:
    """Everything the monitoring report shows, in a fixed number of queries whatever the
    number of grants (each grant's figures grouped by grant, not asked grant by grant)."""
    ledger = queries.ledger(competition)
    grants = [row.grant for row in ledger.rows]
    totals = queries.participants_by_grant(competition.id)
    events: dict[int, list] = {}
    for event, grant in queries.events(queries.EventFilter(competition.id)):
        events.setdefault(grant.id, []).append(event)
    publications = queries.publications_by_grant(competition.id)
    spend = queries.spend_by_line_of(grants, accepted_only=True)
    visits = queries.visits_by_grant([g.id for g in grants])
    none = {"events": 0, **dict.fromkeys(ALL_COLUMNS, 0)}
    sections = [
        GrantSection(
            grant=row.grant,
            paid=row.paid,
            totals=totals.get(row.grant.id, none),
            events=events.get(row.grant.id, []),
            publications=publications.get(row.grant.id, []),
            spend=spend[row.grant.id],
            visits=visits[row.grant.id],
        )
        for row in ledger.rows
    ]
    return MonitoringData(
        competition=competition,
        ledger=ledger,
        totals=queries.participants(queries.EventFilter(competition.id)),
        by_district=queries.participants_by_district(competition.id),
        publications=queries.publications_summary(competition.id),
        kinds=queries.kind_counts(competition.id),
        spend=queries.spend_by_grant(competition.id),
        sections=sections,
    )


def _district(competition: Competition, code: str, locale: str) -> str:
    place = geography.district(competition.region_code, code) if code else None
    return place.name(locale) if place else _("District not given")


def _bar(value: int, largest: int) -> str:
    """A bar of block characters: the Word report's chart, readable in any viewer."""
    if not largest or not value:
        return ""
    return "█" * max(1, round(BAR_WIDTH * value / largest))


def _share(value: int, total: int) -> str:
    return f"{100 * value / total:.1f}%" if total else "0.0%"


def _breakdown_rows(totals: dict[str, int], breakdown, locale: str) -> list[tuple]:
    largest = max((totals[c] for c in breakdown.columns), default=0)
    return [
        (
            str(COLUMN_LABELS[c]),
            format_number(totals[c], locale),
            _share(totals[c], totals["total"]),
            _bar(totals[c], largest),
        )
        for c in breakdown.columns
    ]


def build_monitoring_docx(competition: Competition, locale: str) -> bytes:
    data = collect(competition)
    totals = data.totals
    with force_locale(locale):
        doc = new_document()
        centered(doc, _("Monitoring report on the implementation of the small grants"))
        centered(doc, competition.title(locale), bold=False)
        doc.add_paragraph(
            _("Prepared on %(date)s.", date=format_date(to_local(utcnow()).date(), locale))
        )

        doc.add_heading(_("1. Summary"), level=2)
        add_table(
            doc,
            [_("Indicator"), _("Value")],
            [
                (_("Grants"), format_number(len(data.sections), locale)),
                (_("of them to NGOs"), format_number(data.kinds["ngo"], locale)),
                (_("of them to initiative groups"), format_number(data.kinds["group"], locale)),
                (_("Pool"), format_money(data.ledger.pool, locale)),
                (_("Awarded"), format_money(data.ledger.awarded, locale)),
                (_("Paid"), format_money(data.ledger.paid, locale)),
                (_("Left to pay"), format_money(data.ledger.remaining, locale)),
                (_("Events"), format_number(totals["events"], locale)),
                (_("Participants, total"), format_number(totals["total"], locale)),
                (_("Publications"), format_number(data.publications["count"], locale)),
                (_("Views / reach"), format_number(data.publications["reach"], locale)),
                (
                    _("Spent"),
                    format_money(sum(s for _a, s in data.spend.values()), locale),
                ),
            ],
        )
        doc.add_paragraph(
            _(
                "Participants are counted from the events of accepted reports; every breakdown "
                "includes a “Not specified” row, shown even when it is zero."
            )
        )
        for breakdown in BREAKDOWNS:
            doc.add_paragraph(str(BREAKDOWN_LABELS[breakdown.key])).runs[0].bold = True
            table = add_table(
                doc,
                ["", _("Participants"), _("Share"), _("Chart")],
                [
                    *_breakdown_rows(totals, breakdown, locale),
                    (_("Total"), format_number(totals["total"], locale), "", ""),
                ],
            )
            for row in table.rows:
                for run in row.cells[3].paragraphs[0].runs:
                    run.font.size = Pt(8)

        doc.add_heading(_("2. By district"), level=2)
        add_table(
            doc,
            [_("District"), _("Events"), _("Participants")],
            [
                (
                    _district(competition, code, locale),
                    format_number(n, locale),
                    format_number(total, locale),
                )
                for code, n, total in data.by_district
            ],
        )

        doc.add_heading(_("3. By grant"), level=2)
        add_table(
            doc,
            [
                _("Agreement"),
                _("Grantee"),
                _("Status"),
                _("Events"),
                _("Participants"),
                _("Men"),
                _("Women"),
                _("Approved"),
                _("Spent"),
            ],
            [
                (
                    s.grant.agreement_number,
                    s.grant.grantee_name,
                    str(GRANT_STATUS_LABELS[s.grant.status]),
                    format_number(s.totals["events"], locale),
                    format_number(s.totals["total"], locale),
                    format_number(s.totals["men"], locale),
                    format_number(s.totals["women"], locale),
                    format_money(data.spend.get(s.grant.id, (0, 0))[0], locale),
                    format_money(data.spend.get(s.grant.id, (0, 0))[1], locale),
                )
                for s in data.sections
            ],
        )

        for n, s in enumerate(data.sections, 1):
            grant = s.grant
            doc.add_heading(f"3.{n}. {grant.agreement_number} — {grant.grantee_name}", level=3)
            kind = (
                _("NGO")
                if grant.application.profile.kind == ApplicantKind.NGO
                else _("Initiative group")
            )
            doc.add_paragraph(
                _(
                    "%(kind)s; project «%(title)s»; %(district)s; status: %(status)s; awarded "
                    "%(amount)s, paid %(paid)s.",
                    kind=kind,
                    title=grant.application.title,
                    district=_district(competition, grant.application.district_code, locale),
                    status=GRANT_STATUS_LABELS[grant.status],
                    amount=format_money(grant.amount, locale),
                    paid=format_money(s.paid, locale),
                )
            )
            add_table(
                doc,
                [
                    _("Event"),
                    _("Date"),
                    _("Place"),
                    _("Format"),
                    _("Participants"),
                    _("Men"),
                    _("Women"),
                ],
                [
                    *(
                        (
                            e.title,
                            format_date(e.held_on, locale),
                            ", ".join(
                                x
                                for x in (
                                    _district(competition, e.district_code, locale),
                                    e.settlement,
                                )
                                if x
                            ),
                            str(FORMAT_LABELS[e.format]),
                            format_number(e.total, locale),
                            format_number(e.men, locale),
                            format_number(e.women, locale),
                        )
                        for e in s.events
                    ),
                    (
                        _("Total"),
                        "",
                        "",
                        "",
                        format_number(s.totals["total"], locale),
                        format_number(s.totals["men"], locale),
                        format_number(s.totals["women"], locale),
                    ),
                ],
            )
            for breakdown in BREAKDOWNS[1:]:
                doc.add_paragraph(
                    f"{BREAKDOWN_LABELS[breakdown.key]}: "
                    + "; ".join(
                        f"{COLUMN_LABELS[c]} — {format_number(s.totals[c], locale)}"
                        for c in breakdown.columns
                    )
                )
            if s.publications:
                doc.add_paragraph(
                    _("Publications")
                    + ": "
                    + "; ".join(
                        f"{p.media_name or p.url} ({format_number(p.reach or 0, locale)})"
                        for p in s.publications
                    )
                )
            add_table(
                doc,
                [_("Budget line"), _("Approved"), _("Spent"), _("Left")],
                [
                    (
                        r.line.item + (" ⚠ " + _("overspent") if r.overspent else ""),
                        format_money(r.approved, locale),
                        format_money(r.spent, locale),
                        format_money(r.left, locale),
                    )
                    for r in s.spend
                ],
            )
            for v in s.visits:
                doc.add_paragraph(
                    _(
                        "Monitoring visit %(date)s (%(who)s): %(findings)s",
                        date=format_date(v.visited_on, locale),
                        who=v.visitors,
                        findings=v.findings,
                    )
                )
        return to_bytes(doc)


def _header(ws, values: list) -> None:
    ws.append(values)
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)


def _widths(ws, widths: list[int]) -> None:
    for i, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = width


def build_monitoring_xlsx(competition: Competition, locale: str) -> bytes:
    data = collect(competition)
    totals = data.totals
    with force_locale(locale):
        wb = Workbook()
        ws = wb.active
        ws.title = _("Summary")[:31]
        ws.append([_("Monitoring report on the implementation of the small grants")])
        ws["A1"].font = Font(bold=True, size=13)
        ws.append([competition.title(locale)])
        ws.append([])
        _header(ws, [_("Indicator"), _("Value")])
        for label, value, money in (
            (_("Grants"), len(data.sections), False),
            (_("of them to NGOs"), data.kinds["ngo"], False),
            (_("of them to initiative groups"), data.kinds["group"], False),
            (_("Pool"), data.ledger.pool, True),
            (_("Awarded"), data.ledger.awarded, True),
            (_("Paid"), data.ledger.paid, True),
            (_("Left to pay"), data.ledger.remaining, True),
            (_("Events"), totals["events"], False),
            (_("Participants, total"), totals["total"], False),
            (_("Publications"), data.publications["count"], False),
            (_("Views / reach"), data.publications["reach"], False),
            (_("Spent"), sum(s for _a, s in data.spend.values()), True),
        ):
            ws.append([label, value])
            if money:
                ws.cell(ws.max_row, 2).number_format = xlsx.MONEY_FORMAT
        chart_anchor_row = 4
        for breakdown in BREAKDOWNS:
            ws.append([])
            _header(ws, [str(BREAKDOWN_LABELS[breakdown.key]), _("Participants")])
            first = ws.max_row + 1
            for c in breakdown.columns:
                ws.append([str(COLUMN_LABELS[c]), totals[c]])
            last = ws.max_row
            ws.append([_("Total"), f"=SUM(B{first}:B{last})"])
            xlsx.keep_formula(ws, ws.max_row, 2)
            chart = BarChart()
            chart.type = "bar"
            chart.title = str(BREAKDOWN_LABELS[breakdown.key])
            chart.legend = None
            chart.add_data(Reference(ws, min_col=2, min_row=first, max_row=last))
            chart.set_categories(Reference(ws, min_col=1, min_row=first, max_row=last))
            chart.height, chart.width = 7, 14
            ws.add_chart(chart, f"D{chart_anchor_row}")
            chart_anchor_row += 15
        _widths(ws, [44, 16])

        grants_ws = wb.create_sheet(_("Grants")[:31])
        _header(
            grants_ws,
            [
                _("Agreement"),
                _("Grantee"),
                _("Applicant kind"),
                _("District"),
                _("Status"),
                _("Awarded"),
                _("Paid"),
                _("Approved"),
                _("Spent"),
                _("Events"),
                *(str(COLUMN_LABELS[c]) for c in ALL_COLUMNS),
            ],
        )
        for s in data.sections:
            g = s.grant
            approved, spent = data.spend.get(g.id, (0, 0))
            grants_ws.append(
                [
                    g.agreement_number,
                    g.grantee_name,
                    _("NGO")
                    if g.application.profile.kind == ApplicantKind.NGO
                    else _("Initiative group"),
                    _district(competition, g.application.district_code, locale),
                    str(GRANT_STATUS_LABELS[g.status]),
                    g.amount,
                    s.paid,
                    approved,
                    spent,
                    s.totals["events"],
                    *(s.totals[c] for c in ALL_COLUMNS),
                ]
            )
            for col in (6, 7, 8, 9):
                grants_ws.cell(grants_ws.max_row, col).number_format = xlsx.MONEY_FORMAT
        _widths(grants_ws, [12, 36, 18, 22, 16, 14, 14, 14, 14, 10])

        events_ws = wb.create_sheet(_("Events")[:31])
        _header(
            events_ws,
            [
                _("Agreement"),
                _("Event"),
                _("Date"),
                _("District"),
                _("Settlement"),
                _("Format"),
                *(str(COLUMN_LABELS[c]) for c in ALL_COLUMNS),
            ],
        )
        for s in data.sections:
            for e in s.events:
                events_ws.append(
                    [
                        s.grant.agreement_number,
                        e.title,
                        e.held_on,
                        _district(competition, e.district_code, locale),
                        e.settlement,
                        str(FORMAT_LABELS[e.format]),
                        *(getattr(e, c) for c in ALL_COLUMNS),
                    ]
                )
                events_ws.cell(events_ws.max_row, 3).number_format = "DD.MM.YYYY"
        if events_ws.max_row > 1:
            last = events_ws.max_row
            events_ws.append(
                [
                    _("Total"),
                    "",
                    "",
                    "",
                    "",
                    "",
                    *(
                        f"=SUM({get_column_letter(7 + i)}2:{get_column_letter(7 + i)}{last})"
                        for i in range(len(ALL_COLUMNS))
                    ),
                ]
            )
            for i in range(len(ALL_COLUMNS)):
                xlsx.keep_formula(events_ws, events_ws.max_row, 7 + i)
        _widths(events_ws, [12, 44, 12, 22, 18, 10])

        pubs_ws = wb.create_sheet(_("Publications")[:31])
        _header(
            pubs_ws,
            [_("Agreement"), _("Media or page"), _("Link"), _("Published on"), _("Views / reach")],
        )
        for s in data.sections:
            for p in s.publications:
                pubs_ws.append(
                    [s.grant.agreement_number, p.media_name, p.url, p.published_on, p.reach]
                )
        _widths(pubs_ws, [12, 20, 50, 14, 14])

        spend_ws = wb.create_sheet(_("Expenses")[:31])
        _header(spend_ws, [_("Agreement"), _("Budget line"), _("Approved"), _("Spent"), _("Left")])
        for s in data.sections:
            for r in s.spend:
                spend_ws.append(
                    [s.grant.agreement_number, r.line.item, r.approved, r.spent, r.left]
                )
                for col in (3, 4, 5):
                    spend_ws.cell(spend_ws.max_row, col).number_format = xlsx.MONEY_FORMAT
        _widths(spend_ws, [12, 40, 14, 14, 14])

        visits_ws = wb.create_sheet(_("Monitoring visits")[:31])
        _header(
            visits_ws, [_("Agreement"), _("Date of the visit"), _("Who visited"), _("Findings")]
        )
        for s in data.sections:
            for v in s.visits:
                visits_ws.append([s.grant.agreement_number, v.visited_on, v.visitors, v.findings])
        _widths(visits_ws, [12, 14, 30, 80])

        return xlsx.to_bytes(wb)
