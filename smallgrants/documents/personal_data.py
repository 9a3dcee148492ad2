"""The person's own data as a workbook: one sheet per section, a row per item, a column per
field (lists inside a row are written as JSON text)."""

from __future__ import annotations

import json

from openpyxl import Workbook
from openpyxl.styles import Font

from smallgrants.documents import xlsx


def build_personal_data_xlsx(data: dict[str, list[dict]]) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for section, rows in data.items():
        ws = wb.create_sheet(section[:31])
        columns = list(dict.fromkeys(key for row in rows for key in row))
        ws.append(columns or ["—"])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in rows:
            ws.append([_cell(row.get(c)) for c in columns])
    return xlsx.to_bytes(wb)


def _cell(value):
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return value
