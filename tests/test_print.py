"""Documents people print (issue 16): every workbook is print-ready (A4, one page wide,
landscape when wide, header rows repeated) and shows money as "7 000 000 ₸" whatever the
reader's locale; LibreOffice turns each into a PDF whose text has the amounts whole."""

from __future__ import annotations

import io
import subprocess

import pytest
from openpyxl import load_workbook

from smallgrants.auth.models import User
from smallgrants.documents import xlsx
from smallgrants.extensions import db

pytestmark = pytest.mark.usefixtures("soffice")  # a required tool: missing, the tests fail


def _pdf_text(tmp_path, name: str, data: bytes) -> str:
    from pypdf import PdfReader

    source = tmp_path / name
    source.write_bytes(data)
    done = subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/lo-profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    reader = PdfReader(str(source.with_suffix(".pdf")))
    return "\n".join(page.extract_text() for page in reader.pages)


def _assert_print_ready(data: bytes) -> None:
    for ws in load_workbook(io.BytesIO(data)).worksheets:
        setup = ws.page_setup
        assert (setup.paperSize, setup.fitToWidth, setup.fitToHeight) == (9, 1, 0), ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage is True
        assert setup.orientation == ("landscape" if ws.max_column > 5 else "portrait")
        assert ws.print_title_rows, ws.title


def test_money_format_shows_spaces_between_thousands():
    assert xlsx.MONEY_FORMAT == '[>=1000000]# ### ##0" ₸";[>=1000]# ##0" ₸";0" ₸"'


def test_workbooks_print_on_a4_with_whole_amounts(app, client, auth, report_case, tmp_path):
    with app.app_context():
        coordinator = db.session.get(User, report_case.coordinator_id)
    auth.as_user(coordinator)
    c, project = report_case.competition_id, report_case.project_id
    files = {
        "registry.xlsx": f"/manage/competitions/{c}/applications.xlsx",
        "monitoring.xlsx": f"/manage/competitions/{c}/monitoring.xlsx?lang=ru",
        "report.xlsx": f"/manage/projects/{project}/report.xlsx?lang=ru",
    }
    texts = {}
    for name, url in files.items():
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_print_ready(response.data)
        texts[name] = _pdf_text(tmp_path, name, response.data)
    # the two grants of 300 000 ₸ and their total, whole, in the registry's PDF
    assert "300 000 ₸" in texts["registry.xlsx"].replace("\u00a0", " ")
    assert "600 000 ₸" in texts["registry.xlsx"].replace("\u00a0", " ")
    assert "300 000 ₸" in texts["monitoring.xlsx"].replace("\u00a0", " ")
    assert "7,000" not in "".join(texts.values())


def test_the_signed_protocol_prints_its_table_landscape_with_amounts_whole(
    app, client, auth, create_grant_case, tmp_path
):
    from pypdf import PdfReader

    case = create_grant_case(3)  # signed, three awards of 300 000 ₸
    auth.as_user(case.coordinator)
    for lang, decision in (("kk", "Грант"), ("ru", "Выделить")):
        docx = client.get(
            f"/manage/competitions/{case.competition_id}/meeting/protocol.docx?lang={lang}"
        )
        assert docx.status_code == 200
        text = _pdf_text(tmp_path, f"protocol-{lang}.docx", docx.data).replace("\u00a0", " ")
        lines = [line.strip() for line in text.splitlines()]
        # every amount of the table on one line, whole
        assert sum("300 000 ₸" in line for line in lines) >= 3, lang
        assert not any(line.endswith(("300 0", "300")) for line in lines), lang
        assert decision in text
        pages = PdfReader(str(tmp_path / f"protocol-{lang}.pdf")).pages
        shapes = [page.mediabox.width > page.mediabox.height for page in pages]
        assert shapes[0] is False and True in shapes, shapes  # portrait, then the table landscape
