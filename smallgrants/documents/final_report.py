"""The final report (Appendix 8 to the grant agreement) as Word, laid out like the official
form — header, numbered sections, the tables with the seed's columns — and as Excel, every
table on its own sheet. Both are built from `reporting.present`, the same rows the project
page shows; when a reconciliation check fails, the first page (and the first sheet) says so.
"""

from __future__ import annotations

from dataclasses import dataclass

from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt, RGBColor
from flask_babel import force_locale
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from smallgrants.core.i18n import format_date, format_money
from smallgrants.documents import xlsx
from smallgrants.documents.docx import (
    add_paragraphs,
    add_table,
    append_rows,
    cell_xml,
    centered,
    column_twips,
    new_document,
    to_bytes,
)
from smallgrants.documents.words import money_in_words
from smallgrants.reporting import present, queries
from smallgrants.reporting.labels import CHECK_GROUP_LABELS, MONEY_EFFECTS, TEXT_LABELS
from smallgrants.reporting.models import Project

LOCALES = ("kk", "ru")
ACTIVITY_WIDTHS_MM = (24, 32, 20, 25, 28, 46, 32, 14, 14, 22)  # 257 mm between the margins


@dataclass
class FinalReport:
    data: queries.Rollup
    checks: list[queries.Check]
    activities: list[present.ActivityRow]
    effects: list[present.EffectLine]
    deviations: list[str]
    statistics: list[present.StatisticsTable]
    results: list[str]

    @property
    def failing(self) -> list[queries.Check]:
        return queries.failing(self.checks)


def collect(project: Project, locale: str) -> FinalReport:
    """Everything the report says, in `locale` (call inside `force_locale(locale)`)."""
    data = queries.rollup(project)
    return FinalReport(
        data=data,
        checks=queries.checks(data, locale),
        activities=present.section1(data, locale),
        effects=present.effects(data, locale),
        deviations=present.deviation_notes(data, locale),
        statistics=present.section4(data, locale),
        results=present.section5_results(data, locale),
    )


def _page(section, landscape: bool) -> None:
    """A4, as documents are filed in Kazakhstan; the wide activities table gets landscape."""
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    long, short = Mm(297), Mm(210)
    section.page_width, section.page_height = (long, short) if landscape else (short, long)
    section.left_margin = section.right_margin = Mm(20)


def _widths(table, millimetres) -> None:
    """Column widths for Word (cells) and LibreOffice (the grid) alike. Set on each row's
    `w:tc` elements directly: python-docx's `row.cells` walks every vertical merge above a
    cell, quadratic in a long table."""
    table.autofit = False
    for column, width in zip(table.columns, millimetres, strict=True):
        column.width = Mm(width)
    for tr in table._tbl.tr_lst:
        column = 0
        for tc in tr.tc_lst:  # a cell spanning columns is as wide as they are together
            span = tc.grid_span
            tc.width = Mm(sum(millimetres[column : column + span]))
            column += span


def _spanning(body: list, rows: list[int], column: int, text: str) -> None:
    """`text` in `column` spanning `rows` of `body`: a vertical merge, the first cell
    restarting it and the others continuing it, as python-docx's `merge` writes one."""
    body[rows[0]][column][0] = text
    if len(rows) > 1:
        body[rows[0]][column][1] = "restart"
        for index in rows[1:]:
            body[index][column][1] = "continue"


def _right(doc, text: str) -> None:
    paragraph = doc.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    paragraph.add_run(text)


def _labelled(doc, label: str, text: str) -> None:
    paragraph = doc.add_paragraph()
    paragraph.add_run(label).bold = True
    if text:
        paragraph.add_run(" " + text)


def _section(doc, heading: str, text: str = "") -> None:
    paragraph = doc.add_paragraph()
    paragraph.add_run(heading).bold = True
    add_paragraphs(doc, text.splitlines())


def _agreement_line(project: Project, locale: str) -> str:
    if not (project.agreement_number or project.agreement_date):
        return ""
    return _(
        "Agreement of %(date)s No. %(number)s",
        date=format_date(project.agreement_date, locale) if project.agreement_date else "—",
        number=project.agreement_number or "—",
    )


def _grant_sum(project: Project, locale: str) -> str:
    return (
        f"{format_money(project.grant_sum, locale)} ({money_in_words(project.grant_sum, locale)})"
    )


def _header_items(project: Project, locale: str, grant_sum) -> list[tuple[str, object]]:
    """Items 1–6 of the form's header; the grant sum as the caller shows it."""
    direction = f" ({project.direction})" if project.direction else ""
    return [
        (_("Full name of the non-governmental organisation:"), project.organisation),
        (_("Surname, first name and patronymic (if any) of its head:"), project.head_name),
        (
            _("Legal address, contact phone:"),
            ", ".join(p for p in (project.legal_address, project.phone) if p),
        ),
        (
            _("Name of the social project or programme implemented with the grant (direction):"),
            project.title + direction,
        ),
        (
            _("Start and end dates of the social project and/or programme:"),
            present.date_range(project.starts_on, project.ends_on, locale),
        ),
        (_("Total sum allocated for the grant:"), grant_sum),
    ]


def _headers(kind: str) -> list[str]:
    """The columns of the partners, proposals and recommendations tables, as in the form."""
    return {
        "partners": [
            _("Organisation / partner's full name"),
            _("Role in the project"),
            _("Contact details"),
            _("Note"),
        ],
        "proposals": [
            "№",
            _("Sphere of the state grant"),
            _("Proposed priority direction"),
            _("Short description of the problem the grant should solve"),
            _("Amount of funding"),
            _("Type of grant"),
            _("Expected results"),
        ],
        "recommendations": [
            _("State bodies"),
            _("Recommendations"),
            _("Number and date of the letter sending the recommendations"),
        ],
    }[kind]


def _failing_notice(doc, report: FinalReport) -> None:
    paragraph = doc.add_paragraph()
    run = paragraph.add_run(_not_reconciled(report))
    run.bold = True
    run.font.color.rgb = RGBColor(0xB0, 0x00, 0x20)
    bullet = doc.styles["List Bullet"].style_id  # looked up once: by name it scans every style
    add_paragraphs(doc, (f"{check.title}: {check.detail}" for check in report.failing), bullet)


def _activities_table(doc, report: FinalReport):
    headers = [
        _("Task"),
        _("Activities within the task"),
        _("Dates"),
        _("Place"),
        _("Number of participants"),
        _("Short-term results achieved (for the activities)"),
        _("Quantitative and qualitative indicators"),
        _("Indicator"),
        "",
        _("Effectiveness"),
    ]
    table = doc.add_table(rows=2, cols=len(headers))
    table.style = "Table Grid"
    for i, text in enumerate(headers):
        table.rows[0].cells[i].text = text
    table.rows[1].cells[7].text = _("plan")
    table.rows[1].cells[8].text = _("fact")
    for i in (0, 1, 2, 3, 4, 5, 6, 9):  # a two-row header, as in the form
        merged = table.cell(0, i).merge(table.cell(1, i))
        merged.text = headers[i]
    table.cell(0, 7).merge(table.cell(0, 8)).text = _("Indicator")
    for row in table.rows[:2]:
        for cell in row.cells:
            for run in cell.paragraphs[0].runs:
                run.bold = True
    _widths(table, ACTIVITY_WIDTHS_MM)
    # a row per indicator, so each plan and fact stands beside its name; the activity's cells
    # span its rows, the task's cell the rows of all its activities (vertical merges: the
    # first cell restarts one, the others continue it and stay empty)
    body: list[list[list]] = []  # row → column → [text, merge]
    task_rows: dict[int, list[int]] = {}
    for line in report.activities:
        start = len(body)
        for indicator in line.indicators or [None]:
            row = [["", None] for _ in headers]
            if indicator is not None:
                for column, text in ((6, indicator.name), (7, indicator.plan), (8, indicator.fact)):
                    row[column][0] = text
            body.append(row)
        rows = list(range(start, len(body)))
        for column, text in (
            (1, line.title),
            (2, line.dates),
            (3, line.place),
            (4, line.participants),
            (5, line.results),
            (9, line.effectiveness),
        ):
            _spanning(body, rows, column, text)
        if line.task_span:
            task_rows[line.task.id] = []
        task_rows[line.task.id] += rows
    for line in report.activities:  # each task's cell over all its activities' rows
        if line.task_span:
            _spanning(body, task_rows[line.task.id], 0, line.task_label)
    twips = column_twips(table)
    append_rows(
        table,
        [
            [cell_xml(str(text), twips[i], merge) for i, (text, merge) in enumerate(row)]
            for row in body
        ],
    )
    return table


def build_final_report(project: Project, fmt: str, locale: str) -> tuple[bytes, list]:
    """The report as `fmt` (docx | xlsx) in `locale`, and its failing checks — gathered once."""
    with force_locale(locale):
        report = collect(project, locale)
        build = _docx if fmt == "docx" else _xlsx
        return build(project, report, locale), report.failing


def _not_reconciled(report: FinalReport) -> str:
    return _(
        "This report does not reconcile: %(n)s checks fail. It was exported as it stands; "
        "the failing checks are:",
        n=len(report.failing),
    )


def _docx(project: Project, report: FinalReport, locale: str) -> bytes:
    doc = new_document()
    doc.styles["Normal"].font.size = Pt(11)
    bullet = doc.styles["List Bullet"].style_id  # looked up once: by name it scans every style
    _page(doc.sections[0], landscape=False)
    if report.failing:
        _failing_notice(doc, report)
    agreement = _agreement_line(project, locale)
    if agreement:
        _right(doc, agreement)
    _right(doc, _("Appendix No. 8 to the Grant Agreement"))
    centered(
        doc,
        _(
            "Final report on the results of implementing the social project and (or) the "
            "social programme"
        ),
    )
    for n, (label, value) in enumerate(
        _header_items(project, locale, _grant_sum(project, locale)),
        start=1,
    ):
        _labelled(doc, f"{n}. {label}", value)

    _section(doc, _("1. Describe the activities within the social project"))
    _section(doc, str(TEXT_LABELS["goal"]) + ":", project.goal)
    _section(doc, str(TEXT_LABELS["results_summary"]) + ":", project.results_summary)
    _page(doc.add_section(WD_SECTION.NEW_PAGE), landscape=True)
    _activities_table(doc, report)
    _page(doc.add_section(WD_SECTION.NEW_PAGE), landscape=False)

    _section(doc, _("Table of the social and economic effects of the social project"))
    effects = add_table(
        doc,
        ["№", _("Indicator"), _("Unit"), _("Planned level"), _("Actual level")],
        [(e.number, e.label, e.unit, e.plan, e.fact) for e in report.effects],
    )
    _widths(effects, (10, 80, 25, 27, 28))
    _section(doc, str(TEXT_LABELS["deviations"]) + ":", project.deviations)
    add_paragraphs(doc, report.deviations, bullet)

    _section(doc, str(TEXT_LABELS["goal_achievement"]) + ":", project.goal_achievement)
    _section(doc, str(TEXT_LABELS["changes"]) + ":", project.changes)
    _section(doc, str(TEXT_LABELS["success_stories"]) + ":", project.success_stories)

    _section(
        doc,
        _("4. Statistical information by participants of the social project:"),
    )
    for table, title in zip(
        report.statistics,
        (_("Gender:"), _("Social status by category:"), _("Age:")),
        strict=True,
    ):
        doc.add_paragraph(title)
        add_table(doc, table.headers, table.rows)

    _section(doc, _("5. Results of the social project:"))
    doc.add_paragraph(_("concrete results the target groups obtained during the project:"))
    add_paragraphs(doc, report.results, bullet)
    for name in ("long_term_effect", "sustainability", "socio_economic_effect"):
        _section(doc, str(TEXT_LABELS[name]) + ":", getattr(project, name))

    _section(doc, str(TEXT_LABELS["partners_analysis"]) + ":", project.partners_analysis)
    doc.add_paragraph(_("Partners of the social project"))
    add_table(
        doc,
        _headers("partners"),
        [(p.name, p.role, p.contacts, p.note) for p in project.partners] or [("—",) * 4],
    )
    doc.add_paragraph(_("Proposals for future social projects that could continue this one:"))
    add_table(
        doc,
        _headers("proposals"),
        [
            (
                str(i),
                p.sphere,
                p.priority,
                p.problem,
                ""
                if p.amount is None
                else f"{format_money(p.amount, locale)} ({money_in_words(p.amount, locale)})",
                p.grant_type,
                p.expected_results,
            )
            for i, p in enumerate(project.proposals, start=1)
        ]
        or [("—",) * 7],
    )
    doc.add_paragraph(_("Practical recommendations to state bodies on the results of the project:"))
    add_table(
        doc,
        _headers("recommendations"),
        [(r.body, r.recommendation, r.letter) for r in project.recommendations] or [("—",) * 3],
    )
    doc.add_paragraph("")
    doc.add_paragraph(_("Total number of pages in the report: ____________"))
    doc.add_paragraph("__________________ / ____________ / ____________________")
    doc.add_paragraph(_("I have read the appendix:"))
    doc.add_paragraph(_("Grant recipient:"))
    return to_bytes(doc)


# --- Excel ---------------------------------------------------------------------------------

NUMBER_FORMAT = "#,##0"


def _sheet(wb, title: str, headers: list[str], rows: list[list], widths=None):
    ws = wb.create_sheet(title[:31])
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        ws.append(row)
    for i, width in enumerate(widths or [], start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, int):
                cell.number_format = NUMBER_FORMAT
            else:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    return ws


def _xlsx(project: Project, report: FinalReport, locale: str) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = _("Report")[:31]
    if report.failing:
        ws.append([_not_reconciled(report)])
        ws["A1"].font = Font(bold=True, color="B00020")
        for check in report.failing:
            ws.append([f"{check.title}: {check.detail}"])
        ws.append([])
    ws.append(
        [
            _(
                "Final report on the results of implementing the social project and (or) "
                "the social programme"
            )
        ]
    )
    for label, value in _header_items(project, locale, project.grant_sum):
        ws.append([label, value])
    ws.cell(ws.max_row, 2).number_format = xlsx.MONEY_FORMAT
    ws.column_dimensions["A"].width = 60
    ws.column_dimensions["B"].width = 60

    rows = []
    for line in report.activities:
        indicators = line.indicators or [None]
        for ind in indicators:
            fact_value = None if ind is None else queries.indicator_fact(ind.indicator, line.facts)
            rows.append(
                [
                    line.task_label,
                    line.title,
                    line.dates,
                    line.place,
                    line.activity.total,
                    line.small_grants,
                    line.results,
                    None if ind is None else ind.name,
                    None if ind is None else ind.indicator.plan,
                    None if ind is None else (ind.plan if ind.indicator.plan_at_least else ""),
                    fact_value,
                    line.effectiveness,
                ]
            )
    _sheet(
        wb,
        _("Activities"),
        [
            _("Task"),
            _("Activities within the task"),
            _("Dates"),
            _("Place"),
            _("Number of participants"),
            _("Small grants' participants"),
            _("Short-term results achieved (for the activities)"),
            _("Quantitative and qualitative indicators"),
            _("plan"),
            _("Plan as worded"),
            _("fact"),
            _("Effectiveness"),
        ],
        rows,
        [30, 40, 20, 25, 12, 12, 50, 35, 10, 14, 10, 40],
    )
    effect_rows = []
    for line, row in zip(report.effects, project.effects, strict=True):
        fact = queries.effect_fact(project, row.key, row.fact)
        effect_rows.append(
            [
                line.number,
                line.label,
                line.unit,
                row.plan,
                fact,
                report.data.small_grants_row["total"]
                if row.key.value == "direct" and report.data.competitions
                else None,
                line.justification,
            ]
        )
    ws = _sheet(
        wb,
        _("Effects"),
        [
            "№",
            _("Indicator"),
            _("Unit"),
            _("Planned level"),
            _("Actual level"),
            _("Small grants' participants"),
            _("Justification"),
        ],
        effect_rows,
        [5, 60, 15, 16, 16, 16, 40],
    )
    for cells, row in zip(ws.iter_rows(min_row=2), project.effects, strict=True):
        if row.key in MONEY_EFFECTS:
            cells[3].number_format = cells[4].number_format = xlsx.MONEY_FORMAT
    for table, title in zip(
        report.statistics, (_("Gender"), _("Social status"), _("Age")), strict=True
    ):
        labels = [row[0] for row in table.rows]  # "Whole project – 32", as the form
        _sheet(
            wb,
            title,
            [_("Row"), _("Participants, total"), *table.headers[1:]],
            [[label, *values] for label, values in zip(labels, table.values, strict=True)],
            [20, 14, *([14] * (len(table.headers) - 1))],
        )
    _sheet(
        wb,
        _("Partners"),
        _headers("partners"),
        [[p.name, p.role, p.contacts, p.note] for p in project.partners],
        [50, 40, 20, 20],
    )
    ws = _sheet(
        wb,
        _("Proposals"),
        _headers("proposals"),
        [
            [i, p.sphere, p.priority, p.problem, p.amount, p.grant_type, p.expected_results]
            for i, p in enumerate(project.proposals, start=1)
        ],
        [5, 30, 40, 50, 16, 16, 40],
    )
    for cells in ws.iter_rows(min_row=2):
        cells[4].number_format = xlsx.MONEY_FORMAT
    _sheet(
        wb,
        _("Recommendations"),
        _headers("recommendations"),
        [[r.body, r.recommendation, r.letter] for r in project.recommendations],
        [40, 60, 30],
    )
    _sheet(
        wb,
        _("Checks"),
        [_("Check"), _("What is checked"), _("Result"), _("Details")],
        [
            [
                str(CHECK_GROUP_LABELS[c.group]),
                c.title,
                _("passes") if c.ok else _("fails"),
                c.detail,
            ]
            for c in report.checks
        ],
        [40, 60, 12, 60],
    )
    return xlsx.to_bytes(wb)
