"""What every DOCX builder shares: the page's font, a centred heading line, a table with a
bold header row, and the bytes of the finished document."""

from __future__ import annotations

import re
from io import BytesIO
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
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
    if widths:
        grid.autofit = False
        for column, width in zip(grid.columns, widths, strict=True):
            column.width = Cm(width)
            for cell in column.cells:
                cell.width = Cm(width)
    twips = column_twips(grid)
    append_rows(
        grid,
        [
            [
                cell_xml("" if value is None else str(value), width)
                for width, value in zip(twips, row, strict=True)
            ]
            for row in rows
        ],
    )
    return grid


# --- table rows written as XML: python-docx's add_row and cell.text build each element in
# Python (a 3 000-row table took most of a report's second); the same elements, parsed once

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # no XML 1.0 has them
_BREAKS = re.compile("(\t|\r|\n)")


def column_twips(table) -> list[int | None]:
    """Each grid column's width in twips (what `add_row` gives a new row's cells)."""
    return [None if col.w is None else col.w.twips for col in table._tbl.tblGrid.gridCol_lst]


def _run_xml(text: str, bold: bool) -> str:
    """A run as python-docx's `cell.text` writes one: a tab is `w:tab`, each CR or LF a `w:br`."""
    if not text:
        return ""
    parts = []
    for piece in _BREAKS.split(_NOT_XML.sub("", text)):
        if piece == "\t":
            parts.append("<w:tab/>")
        elif piece in ("\r", "\n"):
            parts.append("<w:br/>")
        elif piece:
            parts.append(f'<w:t xml:space="preserve">{escape(piece)}</w:t>')
    props = "<w:rPr><w:b/></w:rPr>" if bold else ""
    return f"<w:r>{props}{''.join(parts)}</w:r>"


def cell_xml(text: str = "", width: int | None = None, merge: str | None = None, bold=False):
    """One `w:tc`: its width in twips, a vertical merge (`restart`, `continue`) and its text."""
    props = ""
    if width is not None:
        props += f'<w:tcW w:w="{width}" w:type="dxa"/>'
    if merge:
        props += f'<w:vMerge w:val="{merge}"/>'
    cell_props = f"<w:tcPr>{props}</w:tcPr>" if props else ""
    return f"<w:tc>{cell_props}<w:p>{_run_xml(text, bold)}</w:p></w:tc>"


def append_rows(table, rows: list[list[str]]) -> None:
    """Rows of `cell_xml` cells at the end of `table`, parsed in one go."""
    if not rows:
        return
    body = "".join(f"<w:tr>{''.join(cells)}</w:tr>" for cells in rows)
    parsed = parse_xml(f"<w:tbl {nsdecls('w')}>{body}</w:tbl>")
    table._tbl.extend(list(parsed))


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


def add_paragraphs(doc, texts, style_id: str | None = None) -> None:
    """A paragraph per text at the end of the document (as `doc.add_paragraph` would add
    each, in the paragraph style `style_id`), parsed in one go."""
    texts = list(texts)
    if not texts:
        return
    props = f'<w:pPr><w:pStyle w:val="{escape(style_id)}"/></w:pPr>' if style_id else ""
    body = "".join(f"<w:p>{props}{_run_xml(text, False)}</w:p>" for text in texts)
    parsed = list(parse_xml(f"<w:body {nsdecls('w')}>{body}</w:body>"))
    end = doc.element.body.sectPr  # paragraphs go before the last section's properties
    for paragraph in parsed:
        if end is not None:
            end.addprevious(paragraph)
        else:
            doc.element.body.append(paragraph)
