"""The coordinator's registry: filters, search with Kazakh letters, sort, counts, XLSX,
admissibility screening with an e-mail in the applicant's language."""

from __future__ import annotations

from io import BytesIO

import pytest
from openpyxl import load_workbook

from smallgrants.applications.models import Application, ApplicationStatus
from smallgrants.auth.models import Role
from smallgrants.extensions import db
from tests.conftest import body_text


@pytest.fixture
def intake(create_user, create_profile, create_competition, create_application):
    """Three received applications (two groups, one NGO), one withdrawn, one draft."""
    c = create_competition(published=True)
    made = {}
    for key, kind, iin, name, budget in (
        ("group1", "group", "791028302728", "«Жастар үні» тобы", 300_000),
        ("group2", "group", "061211600012", "Ерікті жүрек", 200_000),
        ("ngo", "ngo", None, "«Жарқын болашақ» ҚБ", 250_000),
    ):
        user = create_user(f"{key}@example.kz", locale="ru" if key == "ngo" else "kk")
        profile = create_profile(user, kind=kind, name=name, **({"leader_iin": iin} if iin else {}))
        made[key] = create_application(user, c, profile, submit=True, budget_total=budget)
    draft_user = create_user("draft@example.kz")
    create_application(draft_user, c, create_profile(draft_user, leader_iin="791028302728"))
    return c, made


@pytest.fixture
def coordinator(create_user, auth):
    user = create_user("coord@example.kz", roles=(Role.COORDINATOR,))
    auth.as_user(user)
    return user


def _numbers(html: str) -> list[str]:
    import re

    return re.findall(r'<td class="text-nowrap"><a href="/applications/\d+">([^<]+)</a></td>', html)


def test_registry_lists_received_applications_with_computed_amounts(client, coordinator, intake):
    c, made = intake
    html = client.get(f"/manage/competitions/{c.id}/applications").text
    assert _numbers(html) == [made["group1"].number, made["group2"].number, made["ngo"].number]
    assert '<div class="h4 mb-0" data-count="total">3</div>' in html
    assert '<div class="h4 mb-0" data-count="kinds">1 / 2</div>' in html
    # 300 000 + 200 000 + 250 000, summed in SQL
    assert '<div class="h5 mb-0" data-count="requested">750\u00a0000\u00a0₸</div>' in html


def test_registry_filters_searches_and_sorts(client, coordinator, intake):
    c, made = intake
    url = f"/manage/competitions/{c.id}/applications"
    assert _numbers(client.get(url, query_string={"kind": "ngo"}).text) == [made["ngo"].number]
    # Kazakh letters, any case
    assert _numbers(client.get(url, query_string={"q": "ЖҮРЕК"}).text) == [made["group2"].number]
    assert _numbers(client.get(url, query_string={"sort": "amount", "dir": "desc"}).text) == [
        made["group1"].number,
        made["ngo"].number,
        made["group2"].number,
    ]


@pytest.mark.parametrize(
    "args",
    [
        {"status": "bogus"},
        {"status": "draft"},  # drafts are never in the registry
        {"kind": "company"},
        {"sort": "password_hash"},
        {"sort": "1; DROP TABLE applications"},
        {"status": ["submitted", "x"], "kind": "ngo' OR 1=1"},
        {"q": "ж" * 5000, "district": "%"},
    ],
)
def test_unknown_filter_values_are_ignored(client, coordinator, intake, args):
    c, made = intake
    everyone = [made["group1"].number, made["group2"].number, made["ngo"].number]
    page = client.get(f"/manage/competitions/{c.id}/applications", query_string=args)
    assert page.status_code == 200
    # the long search and the '%' district find nothing (literally), and say so: no error
    expected = [] if "q" in args else everyone
    assert _numbers(page.text) == expected
    xlsx = client.get(f"/manage/competitions/{c.id}/applications.xlsx", query_string=args)
    assert xlsx.status_code == 200
    ws = load_workbook(BytesIO(xlsx.data)).active
    assert [row[1].value for row in ws.iter_rows(min_row=3, max_row=2 + len(expected))] == (
        expected
    )


def test_registry_xlsx_reads_back(client, coordinator, intake):
    c, made = intake
    response = client.get(
        f"/manage/competitions/{c.id}/applications.xlsx", query_string={"sort": "amount"}
    )
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == (f"attachment; filename=registry-{c.id}.xlsx")
    ws = load_workbook(BytesIO(response.data)).active
    assert ws["A1"].value == c.title_kk
    assert [cell.value for cell in ws[2]] == [
        "№",
        "Тіркеу нөмірі",
        "Қабылданған уақыты (Алматы)",
        "Өтініш беруші түрі",
        "Ұйым",
        "Аудан",
        "Жобаның атауы",
        "Сұралған сома, ₸",
        "Мәртебесі",
        "Себебі",
    ]
    rows = [[cell.value for cell in row] for row in ws.iter_rows(min_row=3, max_row=5)]
    assert [r[1] for r in rows] == [
        made["group2"].number,
        made["ngo"].number,
        made["group1"].number,
    ]
    assert [r[7] for r in rows] == [200_000, 250_000, 300_000]
    assert rows[1][3:6] == ["ҮЕҰ", "«Жарқын болашақ» ҚБ", "Ақсу ауданы"]
    assert ws["H6"].value == "=SUM(H3:H5)"
    assert ws["H3"].number_format == '[>=1000000]# ### ##0" ₸";[>=1000]# ##0" ₸";0" ₸"'


def test_cli_exports_the_same_registry(app, runner, intake, tmp_path):
    c, made = intake
    out = tmp_path / "registry.xlsx"
    result = runner.invoke(
        args=["export", "registry", str(c.id), "--out", str(out), "--lang", "ru"]
    )
    assert result.output == f"wrote 3 applications to {out}\n"
    ws = load_workbook(out).active
    assert ws["B2"].value == "Регистрационный номер"
    assert [ws.cell(row=r, column=2).value for r in (3, 4, 5)] == [
        made["group1"].number,
        made["group2"].number,
        made["ngo"].number,
    ]


def test_screening_tells_the_applicant_in_their_language(app, client, coordinator, intake, mailbox):
    c, made = intake
    ngo = made["ngo"]
    response = client.post(
        f"/manage/applications/{ngo.id}/screening",
        data={"decision": "inadmissible"},
        follow_redirects=True,
    )
    assert "Өтінімнің неге жіберілмегенін көрсетіңіз." in response.text
    client.post(
        f"/manage/applications/{ngo.id}/screening",
        data={"decision": "inadmissible", "reason": "Нет справки о регистрации"},
    )
    with app.app_context():
        saved = db.session.get(Application, ngo.id)
        assert (saved.status, saved.screening_reason) == (
            ApplicationStatus.INADMISSIBLE,
            "Нет справки о регистрации",
        )
    [message] = mailbox.wait_for("ngo@example.kz")
    assert message["Subject"] == f"Заявка {ngo.number}: результат проверки"
    assert "Причина: Нет справки о регистрации" in body_text(message)

    client.post(
        f"/manage/applications/{made['group1'].id}/screening", data={"decision": "admissible"}
    )
    html = client.get(f"/manage/competitions/{c.id}/applications").text
    assert '<div class="h4 mb-0" data-count="screened">1 / 1</div>' in html


KAZAKH_ORDER = [  # first letters А Ә Г Ғ К Қ Н О Ө Ұ Ү Х Һ Ы І Я, in the Kazakh alphabet
    "Айгүл",
    "Әсем",
    "Гүлнар",
    "Ғалым",
    "Кенжебек",
    "Қанат",
    "Нұрлан",
    "Оразбек",
    "Өмірзақ",
    "Ұлан",
    "Үміт",
    "Хамит",
    "Һарун",
    "Ынтымақ",
    "Іңкәр",
    "Ясауи",
]


@pytest.fixture
def alphabet(app, create_user, create_profile, create_competition, create_application):
    """16 received applications whose applicants and titles start with the letters of
    `KAZAKH_ORDER`, made in a shuffled order (the number order is not the alphabet)."""
    from smallgrants.demo import demo_iin

    c = create_competition(published=True)
    shuffled = KAZAKH_ORDER[7:] + KAZAKH_ORDER[:7]
    shuffled.reverse()
    for i, word in enumerate(shuffled):
        user = create_user(f"a{i}@example.kz")
        profile = create_profile(user, name=f"{word} тобы", leader_iin=demo_iin(i + 1))
        made = create_application(user, c, profile, submit=True)
        with app.app_context():
            db.session.get(Application, made.id).title = f"{word} жобасы"
            db.session.commit()
    return c


def _registry_column(client, c, sort, column, language="kk"):
    """The page's and the XLSX's values of one column, sorted by `sort`."""
    import re

    with client.session_transaction() as session:
        session["locale"] = language
    args = {"sort": sort}
    html = client.get(f"/manage/competitions/{c.id}/applications", query_string=args).text
    cells = re.findall(r'<td data-testid="registry-' + column + r'">([^<]*)</td>', html)
    ws = load_workbook(
        BytesIO(
            client.get(f"/manage/competitions/{c.id}/applications.xlsx", query_string=args).data
        )
    ).active
    index = {"name": 4, "title": 6}[column]
    sheet = [row[index].value for row in ws.iter_rows(min_row=3, max_row=2 + len(cells))]
    return cells, sheet


@pytest.mark.parametrize("column", ["name", "title"])
def test_registry_sorts_in_the_kazakh_alphabet_on_the_page_and_in_the_xlsx(
    client, coordinator, alphabet, column
):
    suffix = " тобы" if column == "name" else " жобасы"
    expected = [word + suffix for word in KAZAKH_ORDER]
    cells, sheet = _registry_column(client, alphabet, column, column)
    assert cells == expected
    assert sheet == expected
    # descending is the same order reversed
    html = client.get(
        f"/manage/competitions/{alphabet.id}/applications",
        query_string={"sort": column, "dir": "desc"},
    ).text
    import re

    assert re.findall(rf'<td data-testid="registry-{column}">([^<]*)</td>', html) == expected[::-1]


def test_registry_sorts_in_the_russian_alphabet_in_russian(
    app, client, coordinator, create_user, create_profile, create_competition, create_application
):
    """Ё sorts with Е in Russian (a byte order puts it before А)."""
    from smallgrants.demo import demo_iin

    c = create_competition(published=True)
    names = ["Яковлев", "Ёлкин", "Жуков", "Елисеев", "Алексеев"]
    for i, name in enumerate(names):
        user = create_user(f"r{i}@example.kz")
        create_application(
            user, c, create_profile(user, name=name, leader_iin=demo_iin(i + 1)), submit=True
        )
    cells, sheet = _registry_column(client, c, "name", "name", language="ru")
    assert cells == ["Алексеев", "Елисеев", "Ёлкин", "Жуков", "Яковлев"]
    assert sheet == cells


def test_the_grants_ledger_sorts_by_grantee_in_the_kazakh_alphabet(
    app, client, auth, create_grant_case
):
    from smallgrants.applications.models import ApplicantProfile

    case = create_grant_case(3)
    with app.app_context():
        for application_id, name in zip(
            case.commission.application_ids, ["Ұлан", "Айгүл", "Қанат"], strict=True
        ):
            db.session.get(
                ApplicantProfile, db.session.get(Application, application_id).profile_id
            ).name = name
        db.session.commit()
    auth.as_user(case.coordinator)
    import re

    url = f"/manage/competitions/{case.competition_id}/grants"
    by_number = re.findall(r"</a></td>\s*<td>([^<]+)</td>", client.get(url).text)
    by_name = re.findall(
        r"</a></td>\s*<td>([^<]+)</td>", client.get(url, query_string={"sort": "name"}).text
    )
    assert by_number == ["Ұлан", "Айгүл", "Қанат"]
    assert by_name == ["Айгүл", "Қанат", "Ұлан"]  # Қ after К, Ұ after У: not after Я


def test_the_commission_lists_chair_secretary_then_members_in_the_kazakh_alphabet(
    app, client, auth, create_commission_case
):
    """Members added as Ұлан, Әлия, Қанат, Кенжебек after the chair and the secretary: the
    composition page and the approval protocol list them Әлия, Кенжебек, Қанат, Ұлан."""
    import io

    from docx import Document

    from smallgrants.auth.models import User
    from smallgrants.commission import services as cs
    from smallgrants.commission.models import CommissionRole
    from smallgrants.competitions.models import Competition

    case = create_commission_case(1)
    with app.test_request_context():
        coordinator = db.session.get(User, case.coordinator.id)
        commission = cs.commission_of(db.session.get(Competition, case.competition_id))
        for n, name in enumerate(["Ұлан Өмірұлы", "Әлия Серікқызы", "Қанат Әлиев", "Кенжебек Ли"]):
            cs.add_member(
                coordinator,
                commission,
                email=f"m{n}@example.kz",
                full_name=name,
                job_title="маман",
                role=CommissionRole.MEMBER,
                voting=True,
            )
        db.session.commit()
    auth.as_user(case.coordinator)
    doc = Document(
        io.BytesIO(
            client.get(
                f"/manage/competitions/{case.competition_id}/commission/approval.docx?lang=kk"
            ).data
        )
    )
    names = [row.cells[1].text for row in doc.tables[0].rows[1:]]
    assert names == [
        "Айгүл Төраға",  # the chair
        "Бауыржан Хатшы",  # the secretary
        "Әлия Серікқызы",
        "Кенжебек Ли",
        "Қанат Әлиев",
        "Сәуле Мүше",
        "Ұлан Өмірұлы",
    ]
