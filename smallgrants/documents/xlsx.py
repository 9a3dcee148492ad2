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

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


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
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
