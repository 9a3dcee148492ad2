"""What every DOCX builder shares: the page's font, a centred heading line, a table with a
bold header row, and the bytes of the finished document."""

from __future__ import annotations

from io import BytesIO

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt


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


def landscape_section(doc):
    """From here on a landscape page (a wide table keeps its names and amounts whole)."""
    return _section(doc, WD_ORIENT.LANDSCAPE)


def portrait_section(doc):
    return _section(doc, WD_ORIENT.PORTRAIT)


def _section(doc, orientation):
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    width, height = section.page_width, section.page_height
    wide = orientation == WD_ORIENT.LANDSCAPE
    if (width > height) != wide:
        section.page_width, section.page_height = height, width
    section.orientation = orientation
    return section


def add_table(doc, headers, rows, widths=None):
    """A grid with `headers` in bold and one row per item of `rows` (None prints empty);
    `widths` in centimetres fixes the columns (no column squeezed to wrap a number)."""
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
    if widths:
        grid.autofit = False
        for column, width in zip(grid.columns, widths, strict=True):
            column.width = Cm(width)
            for cell in column.cells:
                cell.width = Cm(width)
    return grid


def add_hyperlink(paragraph, url: str) -> None:
    """The address as a link a reader can click (python-docx has no API for it: a
    w:hyperlink run pointing to an external relationship, styled as a link). Anything but an
    https address is written as plain text."""
    if not url.startswith("https://"):
        paragraph.add_run(url)
        return
    rel_id = paragraph.part.relate_to(url, RT.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel_id)
    run = OxmlElement("w:r")
    props = OxmlElement("w:rPr")
    style = OxmlElement("w:rStyle")
    style.set(qn("w:val"), "Hyperlink")
    colour = OxmlElement("w:color")
    colour.set(qn("w:val"), "0563C1")
    underline = OxmlElement("w:u")
    underline.set(qn("w:val"), "single")
    props.extend([style, colour, underline])
    text = OxmlElement("w:t")
    text.text = url
    run.extend([props, text])
    link.append(run)
    paragraph._p.append(link)


def to_bytes(doc) -> bytes:
    out = BytesIO()
    doc.save(out)
    return out.getvalue()
