"""The registry of received applications as an Excel workbook."""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from smallgrants.applications.labels import kind_labels, status_labels
from smallgrants.core import geography
from smallgrants.core.timeutil import to_local
from smallgrants.documents import xlsx


def build_registry_xlsx(competition, rows, locale: str) -> bytes:
    """rows: (Application, ApplicantProfile, requested amount) as the registry query gives."""
    with force_locale(locale):
        wb = Workbook()
        ws = wb.active
        ws.title = _("Registry")[:31]
        ws.append([competition.title(locale)])
        ws["A1"].font = Font(bold=True, size=13)
        video = competition.takes_videos
        headers = [
            _("No."),
            _("Registration number"),
            _("Received (Almaty time)"),
            _("Applicant kind"),
            _("Organisation"),
            _("District"),
            _("Title") if video else _("Project title"),
            _("Video") if video else _("Requested amount, ₸"),
            _("Status"),
            _("Reason"),
        ]
        ws.append(headers)
        for cell in ws[2]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        statuses, kinds = status_labels(), kind_labels()  # translated once, not per row
        for n, (application, profile, requested) in enumerate(rows, 1):
            row = n + 2  # the title and the headers above
            district = geography.district(competition.region_code, application.district_code)
            ws.append(
                [
                    n,
                    application.number,
                    to_local(application.submitted_at).replace(tzinfo=None),
                    kinds[profile.kind.value],
                    profile.name,
                    district.name(locale) if district else application.district_code,
                    application.title,
                    application.video_url if video else int(requested),
                    statuses[application.status.value],
                    application.screening_reason or "",
                ]
            )
            ws.cell(row=row, column=3).number_format = "dd.mm.yyyy hh:mm:ss"
            if video:
                xlsx.link(ws.cell(row=row, column=8))
            else:
                ws.cell(row=row, column=8).number_format = xlsx.MONEY_FORMAT
        if rows and not video:
            total_row = len(rows) + 3
            ws.cell(row=total_row, column=7, value=_("Total")).font = Font(bold=True)
            total = ws.cell(row=total_row, column=8, value=f"=SUM(H3:H{total_row - 1})")
            xlsx.keep_formula(ws, total_row, 8)
            total.number_format = xlsx.MONEY_FORMAT
            total.font = Font(bold=True)
        widths = (5, 16, 20, 18, 36, 22, 44, 44 if video else 18, 20, 30)
        for index, width in enumerate(widths, 1):
            ws.column_dimensions[get_column_letter(index)].width = width
        ws.freeze_panes = "A3"
        xlsx.header_rows(ws, "2:2")
        return xlsx.to_bytes(wb)
