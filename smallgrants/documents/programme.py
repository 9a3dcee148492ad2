"""A programme's roll-up as an Excel workbook: the whole programme, then by holder, by region,
by district (participants with every breakdown), each competition, and the checks. Every
figure is the page's (`programmes.queries.rollup`); the competitions sheet is the rows the
others sum, so each total can be traced to them."""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from smallgrants.core import geography
from smallgrants.documents import xlsx
from smallgrants.grants.breakdowns import ALL_COLUMNS
from smallgrants.grants.labels import COLUMN_LABELS
from smallgrants.programmes.labels import FIGURE_LABELS, STAGE_LABELS
from smallgrants.programmes.queries import FIGURES, Rollup

MONEY = ("pool", "money_awarded", "paid")


def _header(ws, values: list) -> None:
    ws.append([str(v) for v in values])
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)


def _figure_names() -> list[str]:
    return [str(FIGURE_LABELS.get(key) or COLUMN_LABELS[key]) for key in FIGURES]


def _append_figures(ws, lead: list, figures) -> None:
    ws.append([*lead, *(figures[key] for key in FIGURES)])
    for i, key in enumerate(FIGURES, len(lead) + 1):
        if key in MONEY:
            ws.cell(ws.max_row, i).number_format = xlsx.MONEY_FORMAT


def _widths(ws, first: list[int], rest: int = 12) -> None:
    for i in range(1, ws.max_column + 1):
        width = first[i - 1] if i <= len(first) else rest
        ws.column_dimensions[get_column_letter(i)].width = width


def _region(code: str, locale: str) -> str:
    place = geography.region(code)
    return place.name(locale) if place else code


def _district(region_code: str, code: str, locale: str) -> str:
    place = geography.district(region_code, code) if code else None
    return place.name(locale) if place else _("District not given")


def build_rollup_xlsx(data: Rollup, locale: str) -> bytes:
    with force_locale(locale):
        wb = Workbook()
        ws = wb.active
        ws.title = _("Programme")[:31]
        ws.append([data.programme.name(locale)])
        ws["A1"].font = Font(bold=True, size=13)
        ws.append([f"{data.programme.starts_year}–{data.programme.ends_year}"])
        ws.append([])
        _header(ws, [_("Figure"), _("Value")])
        for name, key in zip(_figure_names(), FIGURES, strict=True):
            ws.append([name, data.total[key]])
            if key in MONEY:
                ws.cell(ws.max_row, 2).number_format = xlsx.MONEY_FORMAT
        _widths(ws, [40, 16])

        holders = wb.create_sheet(_("By holder")[:31])
        _header(holders, [_("Grant holder"), _("Short name"), *_figure_names()])
        for organisation, figures in data.by_holder:
            _append_figures(holders, [organisation.name(locale), organisation.short_name], figures)
        _append_figures(holders, [_("Total"), ""], data.total)
        holders.freeze_panes = "C2"
        _widths(holders, [40, 16])
        if data.by_holder:
            chart = BarChart()
            chart.type = "bar"
            chart.title = str(COLUMN_LABELS["total"])
            chart.legend = None
            column = 3 + FIGURES.index("total")
            last = 1 + len(data.by_holder)
            chart.add_data(Reference(holders, min_col=column, min_row=2, max_row=last))
            chart.set_categories(Reference(holders, min_col=1, min_row=2, max_row=last))
            chart.height, chart.width = 8, 16
            ws.add_chart(chart, "D4")

        regions = wb.create_sheet(_("By region")[:31])
        _header(regions, [_("Region"), *_figure_names()])
        for code, figures in data.by_region:
            _append_figures(regions, [_region(code, locale)], figures)
        _append_figures(regions, [_("Total")], data.total)
        _widths(regions, [36])

        places = wb.create_sheet(_("By district")[:31])
        _header(
            places,
            [_("Region"), _("District"), _("Events"), *(COLUMN_LABELS[c] for c in ALL_COLUMNS)],
        )
        for row in data.places:
            places.append(
                [
                    _region(row["region_code"], locale),
                    _district(row["region_code"], row["district_code"], locale),
                    row["events"],
                    *(row[c] for c in ALL_COLUMNS),
                ]
            )
        _widths(places, [30, 30])

        competitions = wb.create_sheet(_("Competitions")[:31])
        _header(
            competitions,
            [_("Grant holder"), _("Competition"), _("Region"), _("Stage"), *_figure_names()],
        )
        for row in data.rows:
            c = row.competition
            _append_figures(
                competitions,
                [
                    row.holder.name(locale),
                    c.title(locale),
                    _region(c.region_code, locale),
                    str(STAGE_LABELS[row.stage]),
                ],
                row.figures,
            )
        competitions.freeze_panes = "C2"
        _widths(competitions, [36, 44, 24, 22])

        checks = wb.create_sheet(_("Checks")[:31])
        _header(checks, [_("Competition"), _("Check"), _("Result"), _("Details")])
        for row in data.rows:
            for check in row.checks:
                checks.append(
                    [
                        row.competition.title(locale),
                        check.title,
                        _("agrees") if check.ok else _("does not agree"),
                        check.detail,
                    ]
                )
        _widths(checks, [40, 50, 16, 60])
        return xlsx.to_bytes(wb)
