"""What every DOCX builder shares: the page's font, a centred heading line, a table with a
bold header row, and the bytes of the finished document."""

from __future__ import annotations

from io import BytesIO

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt


def new_document():
    """A document in Times New Roman 12, as the forms of the grant agreement are."""
    doc = Document()
    doc.styles["Normal"].font.name = "Times New Roman"
    doc.styles["Normal"].font.size = Pt(12)
    return doc


def centered(doc, text: str, bold: bool = True) -> None:
    paragraph = doc.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.bold = bold


def add_table(doc, headers, rows):
    """A grid with `headers` in bold and one row per item of `rows` (None prints empty)."""
    grid = doc.add_table(rows=1, cols=len(headers))
    grid.style = "Table Grid"
    for cell, text in zip(grid.rows[0].cells, headers, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        cells = grid.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = "" if value is None else str(value)
    return grid


def to_bytes(doc) -> bytes:
    out = BytesIO()
    doc.save(out)
    return out.getvalue()
