"""What every workbook shares: text that looks like a formula stays text.

A cell holding what a person typed — a group's name `=HYPERLINK("http://…?"&A1,"click")`, a
title `=1+2`, `@SUM(…)`, `+7 701…`, `-`, a leading tab or carriage return — is written as a
string with Excel's quote prefix, so no spreadsheet program runs it, now or when the cell is
edited. Only the formulas a builder means stay formulas: it says so with `keep_formula` for
the cell (its totals). Every builder saves through `to_bytes`, the one place this is done.
"""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

# whole tenge with spaces between thousands in every spreadsheet program and locale
# (a "#,##0" separator follows the reader's locale: "7,000,000 ₸" in an English one)
MONEY_FORMAT = '[>=1000000]# ### ##0" ₸";[>=1000]# ##0" ₸";0" ₸"'
_HEADER_ROWS = "_smallgrants_header_rows"


def header_rows(ws, rows: str) -> None:
    """The rows printed again on every page of the sheet ("1:1", "1:2")."""
    setattr(ws, _HEADER_ROWS, rows)


def print_setup(ws) -> None:
    """Print-ready: A4, landscape when the sheet is wider than five columns, one page wide
    (as many pages down as it needs), the header rows repeated, cells wrapped."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if ws.max_column > 5 else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.gridLines = True
    ws.print_title_rows = getattr(ws, _HEADER_ROWS, "1:1")
    wrapped: dict = {}  # one Alignment per horizontal alignment, not one per cell
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and len(cell.value) > 20:
                horizontal = cell.alignment.horizontal
                if horizontal not in wrapped:
                    wrapped[horizontal] = Alignment(
                        wrap_text=True, vertical="top", horizontal=horizontal
                    )
                cell.alignment = wrapped[horizontal]


def link(cell) -> None:
    """The cell's text, an https address a person typed, becomes a clickable link to it (an
    attribute of the cell, not a HYPERLINK formula, so nothing typed is ever run)."""
    url = cell.value
    if isinstance(url, str) and url.startswith("https://"):
        cell.hyperlink = url
        cell.style = "Hyperlink"


_KEPT = "_smallgrants_formulas"


def keep_formula(ws, row: int, column: int) -> None:
    """The formula the builder wrote in this cell is meant (a total): it stays a formula."""
    kept = getattr(ws, _KEPT, None)
    if kept is None:
        kept = set()
        setattr(ws, _KEPT, kept)
    kept.add((row, column))


def neutralise(wb: Workbook) -> int:
    """Every string cell starting with a trigger becomes quoted text, except the formulas
    kept with `keep_formula`; returns how many cells were changed."""
    changed = 0
    for ws in wb.worksheets:
        kept = getattr(ws, _KEPT, set())
        for row in ws.iter_rows():
            for cell in row:
                value = cell.value
                if not isinstance(value, str) or (cell.row, cell.column) in kept:
                    continue
                if value.startswith(TRIGGERS):
                    cell.data_type = "s"
                    cell.quotePrefix = True
                    changed += 1
    return changed


def to_bytes(wb: Workbook) -> bytes:
    neutralise(wb)
    for ws in wb.worksheets:
        print_setup(ws)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
