"""The final report: the roll-up of a fixture project with exact values, the reconciliation
(each kind of check failing with its numbers, then passing), the forms, the documents read
back cell by cell, the CLI, the demo reproducing the seed, and property tests."""

from __future__ import annotations

import io
import subprocess
from datetime import date

import pytest
from docx import Document
from flask_babel import force_locale
from openpyxl import load_workbook
from sqlalchemy import func, select

from smallgrants.auth.models import User
from smallgrants.extensions import db
from smallgrants.grants.breakdowns import ALL_COLUMNS
from smallgrants.grants.models import Grant, Payment
from smallgrants.reporting import present, queries, services
from smallgrants.reporting.models import (
    EffectKey,
    Indicator,
    IndicatorSource,
    Project,
    ProjectActivity,
)
from tests.conftest import APPLICANTS, EVENTS, TRAINING

NBSP = "\xa0"


def _rollup(project_id: int):
    project = db.session.get(Project, project_id)
    return project, queries.rollup(project)


def test_rollup_rows_and_competition_facts_are_exact(app, report_case):
    with app.test_request_context():
        _project, data = _rollup(report_case.project_id)
        assert data.project_row == {
            "activities": 2,
            **{c: TRAINING[c] + APPLICANTS[c] for c in ALL_COLUMNS},
        }
        assert data.small_grants_row == {
            "events": 2,
            **{c: EVENTS[0][c] + EVENTS[1][c] for c in ALL_COLUMNS},
        }
        assert (data.project_row["total"], data.small_grants_row["total"]) == (32, 150)
        assert data.small_grants_by_grant == 150
        facts = data.competitions[report_case.competition_activity_id]
        assert facts.facts == {
            IndicatorSource.RULES: 1,
            IndicatorSource.ANNOUNCEMENT: 1,
            IndicatorSource.OUTREACH: 0,
            IndicatorSource.APPLICATIONS: 2,
            IndicatorSource.APPROVAL_PROTOCOL: 1,
            IndicatorSource.MEMBERS: 3,
            IndicatorSource.MEETING_PROTOCOL: 1,
            IndicatorSource.GRANTEES: 2,
            IndicatorSource.MONITORING_REPORT: 1,
            IndicatorSource.PRIZES: 0,  # a grants round pays no prizes
        }
        assert facts.kinds == {"ngo": 0, "group": 2, "individual": 0}
        assert (facts.awards, facts.awarded_in_protocol) == (2, 600_000)
        assert (facts.ledger.awarded, facts.ledger.paid, facts.amount_each) == (
            600_000,
            600_000,
            300_000,
        )
        with force_locale("en"):
            assert queries.narrative(facts, "en") == (
                "From 2 applications from NGOs and initiative groups, the commission chose 2 "
                "grantees (NGOs: 0, initiative groups: 2). Each received a grant of 300,000"
                f"{NBSP}₸. In all, 150 people took part in the grantees' events."
            )
        with force_locale("kk"):
            assert queries.narrative(facts, "kk") == (
                "Үкіметтік емес ұйымдар мен бастамашыл топтардан келіп түскен 2 өтінімнің "
                "арасынан комиссия 2 шағын грант иегерін анықтады (ҮЕҰ: 0, бастамашыл топтар: "
                f"2). Әрқайсысы 300{NBSP}000{NBSP}₸ грантқа ие болды. Шағын гранттардың "
                "нәтижесі бойынша барлығы 150 адам іс-шараларға қатысты."
            )
        with force_locale("en"):
            found = queries.checks(data, "en")
        assert queries.failing(found) == []
        assert [c.group for c in found].count("breakdowns") == 7  # activities + 2 rows × 3
        # the plan of a competition's indicators: one each, and as many grantees as planned
        plans = {
            i.source: i.plan
            for i in db.session.get(ProjectActivity, report_case.competition_activity_id).indicators
        }
        assert plans[IndicatorSource.GRANTEES] == 2  # the competition's grant count
        assert plans[IndicatorSource.RULES] == 1
        assert plans[IndicatorSource.APPLICATIONS] is None


def _failing(project_id: int, locale="en") -> list[tuple[str, str, str]]:
    _project, data = _rollup(project_id)
    with force_locale(locale):
        found = queries.checks(data, locale)
    return [(c.group, c.title, c.detail) for c in queries.failing(found)]


def test_an_inconsistent_breakdown_recorded_as_given_is_named(app, report_case):
    with app.test_request_context():
        activity = db.session.get(ProjectActivity, report_case.training_id)
        coordinator = db.session.get(User, report_case.coordinator_id)
        # the seed's kind of slip: social status counts 216 more people than came
        off = {**TRAINING, "s_youth": 30 + 216}
        with pytest.raises(services.ActivityBreakdownError) as refused:
            services.save_activity(
                coordinator,
                activity.task,
                services.ActivityInput(activity.title, counts=off),
                activity,
            )
        assert [(m.breakdown, m.counted, m.total) for m in refused.value.mismatches] == [
            ("social", 246, 30)
        ]
        services.save_activity(
            coordinator,
            activity.task,
            services.ActivityInput(activity.title, counts=off, as_given=True),
            activity,
        )
        assert activity.as_given is True
        assert _failing(report_case.project_id) == [
            (
                "breakdowns",
                "Activity «Колледждегі тренинг»: Social status",
                "counts 246 of 30 participants (216 more)",
            ),
            (
                "breakdowns",
                "Section 4, row «whole project»: Social status",
                "counts 248 of 32 participants (216 more)",
            ),
        ]
        # fixed: nothing fails, and the flag goes with the mismatch
        services.save_activity(
            coordinator,
            activity.task,
            services.ActivityInput(activity.title, counts=TRAINING, as_given=True),
            activity,
        )
        assert activity.as_given is False
        assert _failing(report_case.project_id) == []


def test_a_shortfall_needs_a_justification_and_the_report_lists_it(app, report_case):
    with app.test_request_context():
        coordinator = db.session.get(User, report_case.coordinator_id)
        activity = db.session.get(ProjectActivity, report_case.training_id)
        indicator = activity.indicators[0]
        services.save_indicator(
            coordinator, activity, services.IndicatorInput("Посттар", 10, True, 8), indicator
        )
        assert _failing(report_case.project_id) == [
            (
                "deviations",
                "Indicator «Посттар» (Колледждегі тренинг)",
                "plan 10, fact 8, and no justification of the shortfall",
            )
        ]
        services.save_indicator(
            coordinator,
            activity,
            services.IndicatorInput("Посттар", 10, True, 8, "Екі пост жойылды"),
            indicator,
        )
        assert _failing(report_case.project_id) == []
        _project, data = _rollup(report_case.project_id)
        assert present.deviation_notes(data, "kk") == [
            "Посттар: жоспар 10, факт 8. Екі пост жойылды"
        ]
        # a computed fact cannot be typed
        computed = db.session.scalars(
            select(Indicator).where(Indicator.source == IndicatorSource.MEMBERS)
        ).one()
        with pytest.raises(services.ProjectError):
            services.save_indicator(
                coordinator,
                computed.activity,
                services.IndicatorInput(computed.name, 5, False, 5),
                computed,
            )


def test_beneficiaries_grants_and_money_checks_name_their_numbers(app, report_case):
    with app.test_request_context():
        coordinator = db.session.get(User, report_case.coordinator_id)
        project = db.session.get(Project, report_case.project_id)
        services.save_effects(coordinator, project, {EffectKey.DIRECT: (20, 40, "")})
        assert _failing(report_case.project_id) == [
            (
                "participants",
                "Direct beneficiaries of the project",
                "section 1: 32; effect table: 40; section 4: 32",
            )
        ]
        services.save_effects(coordinator, project, {EffectKey.DIRECT: (20, 32, "")})
        # a grant paid only in part, another dropped from the ledger
        first, second = report_case.grant_ids
        payment = db.session.scalars(select(Payment).where(Payment.grant_id == first)).one()
        payment.amount = 100_000
        db.session.execute(Payment.__table__.delete().where(Payment.grant_id == second))
        db.session.delete(db.session.get(Grant, second))
        db.session.flush()
        name = "Жастар арасында синтетикалық есірткінің алдын алу"
        assert _failing(report_case.project_id) == [
            (
                "deviations",
                f"Indicator «Grantees» ({name})",
                "plan 2, fact 1, and no justification of the shortfall",
            ),
            (
                "grants",
                f"Grants in the text and in the ledger: {name}",
                "the text (signed protocol) says 2; the ledger holds 1",
            ),
            (
                "money",
                f"Amounts awarded: {name}",
                f"protocol: 600,000{NBSP}₸; ledger: 300,000{NBSP}₸",
            ),
            (
                "money",
                f"Amounts paid: {name}",
                f"paid 100,000{NBSP}₸ of 300,000{NBSP}₸ awarded to grants not terminated",
            ),
        ]
        # the dropped grant's events went with it: section 4 and section 1 agree on 100
        _project, data = _rollup(report_case.project_id)
        assert (data.small_grants_row["total"], data.small_grants_by_grant) == (100, 100)
        db.session.rollback()


def _activity_form(**overrides) -> dict:
    data = {
        "title": "Колледждегі тренинг",
        "starts_on": "2023-11-10",
        "ends_on": "2023-11-11",
        "place": "Талдықорған",
        "participants_note": "студент білім алды.",
        "results": "Тренинг өтті.",
        "effectiveness": "Жақсы",
        "counted": "y",
        **{c: str(v) for c, v in TRAINING.items()},
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_activity_form_says_which_breakdown_is_off_and_keeps_every_value(
    app, client, auth, report_case
):
    with app.app_context():
        coordinator = db.session.get(User, report_case.coordinator_id)
    auth.as_user(coordinator)
    url = f"/manage/activities/{report_case.training_id}/edit"
    response = client.post(url, data=_activity_form(men="12", results="Жаңа мәтін"))
    assert response.status_code == 200
    assert "Гендер: топтардың қосындысы 32, барлығы 30 — 2 артық." in response.text
    assert 'value="12"' in response.text
    assert "Жаңа мәтін" in response.text
    with app.app_context():
        assert db.session.get(ProjectActivity, report_case.training_id).men == 10  # unsaved
    # recorded as the source gives it: saved, flagged on the page and the reconciliation
    response = client.post(url, data=_activity_form(men="12", as_given="y"))
    assert response.status_code == 302
    with app.app_context():
        activity = db.session.get(ProjectActivity, report_case.training_id)
        assert (activity.men, activity.as_given) == (12, True)
    page = client.get(f"/manage/projects/{report_case.project_id}/reconciliation").text
    assert "«Колледждегі тренинг» іс-шарасы: Гендер" in page
    assert "30 қатысушының 32 санады (2 артық)" in page
    assert f'href="/manage/activities/{report_case.training_id}/edit"' in page


def _activity_rows(table) -> list[list[str]]:
    """Section 1's table with one list per activity: the indicator rows under an activity's
    merged cells joined back into one cell each (names, plans, facts)."""
    blocks: list[list] = []
    for row in table.rows[2:]:
        cells = [c.text for c in row.cells]
        key = cells[:6] + cells[9:]
        if blocks and blocks[-1][0] == key:
            blocks[-1][1].append(cells[6:9])
        else:
            blocks.append((key, [cells[6:9]]))
    return [
        [*key[:6], *("\n".join(i[k] for i in indicators) for k in range(3)), key[6]]
        for key, indicators in blocks
    ]


def _docx(data: bytes):
    doc = Document(io.BytesIO(data))
    return doc, [p.text for p in doc.paragraphs]


def test_final_report_docx_reads_back_cell_by_cell(app, client, auth, report_case):
    with app.app_context():
        coordinator = db.session.get(User, report_case.coordinator_id)
    auth.as_user(coordinator)
    with client.get(f"/manage/projects/{report_case.project_id}/report.docx?lang=kk") as response:
        assert response.status_code == 200
        assert response.headers["Content-Disposition"].endswith(
            f"final-report-{report_case.project_id}-kk.docx"
        )
        doc, paragraphs = _docx(response.data)
    # every check passes: the first page starts with the form, not a warning
    assert paragraphs[:3] == [
        "2023\u202fж. 24 шілде күнгі № 7",
        "Грант беру жөніндегі Келісімшарттың № 8 Қосымшасы",
        "Әлеуметтік жобаны және (немесе) әлеуметтік бағдарламаны іске асыру қорытындылары "
        "бойынша қорытынды есеп",
    ]
    assert (
        f"6. Грантты іске асыруға бөлінген қаражаттың жалпы сомасы: 7{NBSP}000{NBSP}000{NBSP}₸ "
        "(жеті миллион теңге)" in paragraphs
    )
    activities, effects, gender, social, age, partners, proposals, recommendations = doc.tables
    header = [c.text for c in activities.rows[1].cells]
    assert header[7:9] == ["жоспар", "факт"]
    rows = _activity_rows(activities)
    assert [r[0] for r in rows] == [
        "1 міндет. Жастарды ақпараттандыру",
        "2 міндет. Шағын гранттар",
        "Ақпараттық жұмыс",
    ]
    training, competition, reach = rows
    assert training[4] == "30 студент білім алды."
    assert (training[6], training[7], training[8]) == ("Посттар", "кемінде 10", "12")
    assert competition[4] == "2 өтінім берушілер үйренді.\nШағын гранттар бойынша: 150 қатысушы"
    assert competition[5].startswith(
        "Үкіметтік емес ұйымдар мен бастамашыл топтардан келіп түскен 2 "
    )
    assert competition[6].split("\n") == [
        "Байқау ережесі",
        "Гранттық байқауды жариялау",
        "Грантты жазу және байқауға дайындалу бойынша түсіндіру жұмыстары "
        "(жауап берілген сұрақтар)",
        "Гранттық байқауға келіп түскен өтінімдер саны",
        "Гранттық байқаудың комиссия мүшелерін бекіту хаттамасы",
        "Комиссия мүшелерінің саны",
        "Комиссия отырысының хаттамасы",
        "Шағын грант иегерлерінің саны",
        "Шағын гранттардың жүзеге асырылуы бойынша мониторинг есебі",
    ]
    assert competition[7].split("\n") == ["1", "1", "—", "—", "1", "—", "1", "2", "1"]
    assert competition[8].split("\n") == [
        "1",
        "1",
        "0",
        "2",
        "1",
        "3",
        "1",
        "2 (ҮЕҰ: 0, бастамашыл топтар: 2)",
        "1",
    ]
    assert reach[4] == f"5{NBSP}000"
    effect_rows = [[c.text for c in r.cells] for r in effects.rows]
    assert effect_rows[0] == [
        "№",
        "Көрсеткіш",
        "Өлшем бірлігі",
        "Жоспарланып отырған деңгей",
        "Нақты деңгей",
    ]
    assert effect_rows[1] == [
        "1.",
        "Тікелей бенефициарлар саны, оның ішінде:",
        "адам",
        "20",
        "жоба бойынша 32\nшағын гранттар бойынша – 150",
    ]
    assert effect_rows[7][3:] == ["—", "—"]  # NGOs: neither planned nor entered
    assert effect_rows[8][3:] == [f"2{NBSP}000{NBSP}000", f"2{NBSP}000{NBSP}000"]
    assert effect_rows[11] == [
        "9.",
        "Әлеуметтік жоба серіктестерінің саны (заңды және / немесе жеке тұлғалар)",
        "ұйым/адам",
        "1",
        "1",
    ]
    assert [[c.text for c in r.cells] for r in gender.rows] == [
        ["Қатысушылар, барлығы", "Ерлер", "Әйелдер", "Көрсетілмеген"],
        ["Жалпы жоба бойынша – 32", "11", "21", "0"],
        ["Шағын гранттар бойынша – 150", "60", "85", "5"],
    ]
    assert [c.text for c in social.rows[1].cells] == [
        "Жалпы жоба бойынша – 32",
        "0",
        "30",
        "0",
        "0",
        "0",
        "0",
        "0",
        "2",
        "0",
        "0",
    ]
    assert [c.text for c in social.rows[2].cells] == [
        "Шағын гранттар бойынша – 150",
        "0",
        "145",
        "0",
        "0",
        "0",
        "0",
        "0",
        "0",
        "0",
        "5",
    ]
    assert [c.text for c in age.rows[2].cells] == [
        "Шағын гранттар бойынша – 150",
        "50",
        "70",
        "30",
        "0",
        "0",
        "0",
        "0",
    ]
    assert [c.text for c in partners.rows[1].cells] == ["Жастар орталығы", "Қолдау", "", ""]
    assert [c.text for c in proposals.rows[1].cells] == ["—"] * 7
    assert [c.text for c in recommendations.rows[1].cells] == ["—"] * 3


def test_final_report_xlsx_has_every_table_on_its_own_sheet(app, client, auth, report_case):
    with app.app_context():
        coordinator = db.session.get(User, report_case.coordinator_id)
    auth.as_user(coordinator)
    with client.get(f"/manage/projects/{report_case.project_id}/report.xlsx?lang=ru") as response:
        assert response.status_code == 200
        wb = load_workbook(io.BytesIO(response.data))
    assert wb.sheetnames == [
        "Отчёт",
        "Мероприятия",
        "Эффекты",
        "Пол",
        "Социальный статус",
        "Возраст",
        "Партнеры",
        "Предложения",
        "Рекомендации",
        "Проверки",
    ]
    header = wb.worksheets[0]
    assert header["A1"].value == (
        "Итоговый отчет по итогам реализации социального проекта и (или) социальной программы"
    )
    assert [header.cell(7, 1).value, header.cell(7, 2).value] == [
        "Общая сумма средств, выделенных на реализацию гранта:",
        7_000_000,
    ]
    rows = list(wb["Мероприятия"].iter_rows(min_row=2, values_only=True))
    # one row per indicator; the competition's nine, the training's one, the campaign's none
    assert len(rows) == 1 + 9 + 1
    assert rows[0][:2] == ("Задача 1. Жастарды ақпараттандыру", "Колледждегі тренинг")
    assert (rows[0][4], rows[0][5], rows[0][7], rows[0][8], rows[0][9], rows[0][10]) == (
        30,
        None,
        "Посттар",
        10,
        "не менее 10",
        12,
    )
    grantees = rows[8]
    assert (grantees[4], grantees[5], grantees[8], grantees[10]) == (2, 150, 2, 2)
    assert rows[10][4] == 5000
    effects = list(wb["Эффекты"].iter_rows(min_row=2, values_only=True))
    assert effects[0][:6] == (
        "1.",
        "Количество прямых благополучателей, в том числе:",
        "человек",
        20,
        32,
        150,
    )
    assert effects[-1][3:5] == (1, 1)  # partners: the table's one row
    gender = list(wb["Пол"].iter_rows(values_only=True))
    assert gender == [
        ("Строка", "Участников, всего", "Мужчины", "Женщины", "Не указано"),
        ("По всему проекту – 32", 32, 11, 21, 0),
        ("По малым грантам – 150", 150, 60, 85, 5),
    ]
    age = list(wb["Возраст"].iter_rows(values_only=True))
    assert age[2] == ("По малым грантам – 150", 150, 50, 70, 30, 0, 0, 0, 0)
    checks = list(wb["Проверки"].iter_rows(min_row=2, values_only=True))
    assert {row[2] for row in checks} == {"пройдена"}


def test_export_with_a_failing_check_says_so_on_the_first_page(app, runner, report_case, tmp_path):
    with app.test_request_context():
        coordinator = db.session.get(User, report_case.coordinator_id)
        project = db.session.get(Project, report_case.project_id)
        services.save_effects(coordinator, project, {EffectKey.DIRECT: (20, 31, "")})
        db.session.commit()
    out = tmp_path / "report.docx"
    result = runner.invoke(
        args=["export", "final-report", str(report_case.project_id), "--lang", "ru", "--out", out]
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"wrote the final report (docx, ru) to {out}",
        "1 reconciliation checks fail:",
        "  Прямые благополучатели проекта: раздел 1: 32; таблица эффектов: 31; раздел 4: 32",
    ]
    doc, paragraphs = _docx(out.read_bytes())
    assert paragraphs[:2] == [
        "Этот отчет не сходится: не пройдено проверок — 1. Он выгружен как есть; непройденные "
        "проверки:",
        "Прямые благополучатели проекта: раздел 1: 32; таблица эффектов: 31; раздел 4: 32",
    ]
    # the competition's row follows the report's language: its title and indicator names
    activities = doc.tables[0]
    competition_row = next(r for r in _activity_rows(activities) if "По малым грантам" in r[4])
    assert competition_row[1] == "Профилактика синтетических наркотиков среди молодёжи"
    assert competition_row[6].split("\n")[0] == "Правила конкурса"
    assert competition_row[6].split("\n")[7] == "Количество грантополучателей"
    assert competition_row[8].split("\n")[7] == ("2 (НПО: 0, инициативные группы: 2)")
    xlsx = tmp_path / "report.xlsx"
    result = runner.invoke(
        args=[
            "export",
            "final-report",
            str(report_case.project_id),
            "--format",
            "xlsx",
            "--out",
            xlsx,
        ]
    )
    assert result.exit_code == 0, result.output
    first = load_workbook(xlsx).worksheets[0]
    assert first["A1"].value.startswith("Бұл есеп салыстырудан өтпейді: 1 тексеру өтпеді.")
    assert first["A2"].value == (
        "Жобаның тікелей бенефициарлары: 1-бөлім: 32; әсерлер кестесі: 31; 4-бөлім: 32"
    )
    result = runner.invoke(args=["export", "final-report", "999", "--out", str(xlsx)])
    assert result.exit_code == 1
    assert "no project 999" in result.output


def test_documents_open_in_libreoffice(app, report_case, tmp_path, soffice):
    """LibreOffice converts both files without complaint, and the converted text carries
    the Kazakh letters and the computed figures."""
    from smallgrants.documents.final_report import build_final_report

    with app.test_request_context():
        project = db.session.get(Project, report_case.project_id)
        with force_locale("kk"):
            for fmt in ("docx", "xlsx"):
                data, _failing = build_final_report(project, fmt, "kk")
                (tmp_path / f"report.{fmt}").write_bytes(data)
    for name, target in (
        ("report.docx", "txt:Text"),
        ("report.xlsx", "csv:Text - txt - csv (StarCalc):44,34,76,1"),
    ):
        done = subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation=file://{tmp_path}/lo-profile",
                "--headless",
                "--convert-to",
                target,
                "--outdir",
                str(tmp_path),
                str(tmp_path / name),
            ],
            capture_output=True,
            text=True,
            timeout=180,
        )
        assert done.returncode == 0, done.stderr
    text = (tmp_path / "report.txt").read_text(encoding="utf-8-sig")
    assert "Әлеуметтік жобаны және (немесе) әлеуметтік бағдарламаны іске асыру" in text
    assert "Шағын гранттар бойынша – 150" in text
    assert "Үкіметтік емес ұйымдар мен бастамашыл топтардан келіп түскен 2 өтінімнің" in text
    csv = (tmp_path / "report.csv").read_text(encoding="utf-8")
    assert "«Таза өмір» жобасы" in csv


def test_demo_reproduces_the_seed_report_with_small_grants_computed(app, runner, tmp_path):
    from smallgrants.demo_project import PROJECT_TITLE, SEED_PROJECT_ROW

    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    with app.test_request_context():
        project = db.session.scalars(select(Project).where(Project.title == PROJECT_TITLE)).one()
        project_id = project.id
        data = queries.rollup(project)
        seed_row = {
            "total": 778,
            **SEED_PROJECT_ROW["gender"],
            **SEED_PROJECT_ROW["social"],
            **SEED_PROJECT_ROW["age"],
        }
        assert {c: data.project_row[c] for c in seed_row} == seed_row
        assert (data.project_row["activities"], data.small_grants_row["events"]) == (8, 30)
        small = data.small_grants_row
        assert (small["total"], small["men"], small["women"]) == (19_098, 5_686, 13_412)
        with force_locale("kk"):
            assert queries.failing(queries.checks(data, "kk")) == []
        assert [t.title for t in project.tasks][3] == (
            "Жастар арасында синтетикалық есірткінің алдын алу бойынша жұмыстарды ұйымдастыру"
        )
        # idempotent: a second load adds nothing
        assert runner.invoke(args=["demo", "load"]).exit_code == 0
        assert db.session.scalar(select(func.count(Project.id))) == 1
    out = tmp_path / "narcostop.docx"
    result = runner.invoke(
        args=["export", "final-report", str(project_id), "--lang", "kk", "--out", out]
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == "every reconciliation check passes"
    doc, paragraphs = _docx(out.read_bytes())
    assert paragraphs[0] == "2023\u202fж. 24 шілде күнгі № 105"
    assert (
        "1. Үкіметтік емес ұйымның толық атауы: «Жоғары жастар кеңесі» қоғамдық бірлестігі"
        in paragraphs
    )
    tables = doc.tables
    gender, social, age = tables[2], tables[3], tables[4]
    assert [[c.text for c in r.cells] for r in gender.rows] == [
        ["Қатысушылар, барлығы", "Ерлер", "Әйелдер"],
        ["Жалпы жоба бойынша – 778", "379", "399"],
        [f"Шағын гранттар бойынша – 19{NBSP}098", f"5{NBSP}686", f"13{NBSP}412"],
    ]
    assert [c.text for c in social.rows[1].cells][1:] == [
        "0",
        "250",
        "89",
        "30",
        "0",
        "58",
        "85",
        "75",
        "175",
        "16",
    ]
    assert [c.text for c in age.rows[1].cells][1:] == ["400", "110", "93", "100", "29", "46", "0"]
    assert [c.text for c in age.rows[2].cells][1:] == [
        "519",
        f"1{NBSP}599",
        f"7{NBSP}017",
        f"5{NBSP}184",
        f"3{NBSP}481",
        f"1{NBSP}126",
        "172",
    ]
    effects = [[c.text for c in r.cells] for r in tables[1].rows]
    assert effects[1][3:] == ["685", f"жоба бойынша 778\nшағын гранттар бойынша – 19{NBSP}098"]
    task4 = [r for r in _activity_rows(tables[0]) if "Шағын гранттар бойынша" in r[4]]
    assert len(task4) == 1
    assert task4[0][0].startswith("4 міндет.")
    assert task4[0][8].split("\n")[3] == "15"  # applications received, from the registry
    assert task4[0][8].split("\n")[7] == "10 (ҮЕҰ: 1, бастамашыл топтар: 9)"
    # task 3's video contest: computed from the demo contest (20 entries, 5 × 200 000 ₸)
    contest = [r for r in _activity_rows(tables[0]) if "бейнероликтер байқауы" in r[1]]
    assert len(contest) == 1
    assert contest[0][0].startswith("3 міндет.")
    assert contest[0][6].split("\n") == [
        "Байқаудың ережесі",
        "Байқаудың басталғандығын жариялау туралы пост",
        "Байқауға келіп түскен жұмыстар саны",
        "Комиссия мүшелерін бекіту хаттамасы",
        "Комиссия мүшелерінің саны",
        "Комиссия отырысының хаттамасы",
        "Жеңімпаздарға сыйлықтар",
        "Жарияланған үздік бейнероликтер саны",
    ]
    assert contest[0][8].split("\n") == [
        "1",
        "1",
        "20",
        "1",
        "3",
        "1",
        f"5 (1{NBSP}000{NBSP}000{NBSP}₸)",
        "9",
    ]
    assert contest[0][5].startswith(
        f"20 жұмыс келіп түсті; комиссия 5 жеңімпазды анықтады. Әр жеңімпаз 200{NBSP}000{NBSP}₸"
    )


def test_property_project_row_is_the_sum_of_counted_activities(app, report_case):
    """Whatever activities the coordinator enters, section 4's project row equals the sum of
    the counted ones, each breakdown of it equals its total, and the reconciliation's
    breakdown checks pass exactly when every activity reconciles."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from smallgrants.grants.breakdowns import BREAKDOWNS

    @st.composite
    def activity(draw):
        total = draw(st.integers(0, 2000))
        values = {"total": total}
        for b in BREAKDOWNS:
            cuts = sorted(
                draw(
                    st.lists(
                        st.integers(0, total),
                        min_size=len(b.columns) - 1,
                        max_size=len(b.columns) - 1,
                    )
                )
            )
            parts = [hi - lo for lo, hi in zip([0, *cuts], [*cuts, total], strict=True)]
            values.update(zip(b.columns, parts, strict=True))
        off = draw(st.booleans()) and total > 0
        if off:
            values["men"] += 1  # the gender breakdown counts one more
        return draw(st.booleans()), off, values

    @settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(st.lists(activity(), max_size=6))
    def check(activities):
        with app.test_request_context():
            coordinator = db.session.get(User, report_case.coordinator_id)
            project = db.session.get(Project, report_case.project_id)
            task = project.tasks[0]
            for row in list(task.activities):
                services.delete_activity(coordinator, row)
            saved = []
            for counted, off, values in activities:
                saved.append(
                    services.save_activity(
                        coordinator,
                        task,
                        services.ActivityInput("a", counted=counted, as_given=off, counts=values),
                    )
                )
            row = queries.project_row(project.id)
            counted_rows = [v for c, _o, v in activities if c] + [APPLICANTS]
            assert row["activities"] == len(counted_rows)
            for column in ALL_COLUMNS:
                assert row[column] == sum(v[column] for v in counted_rows)
            bad = {a.id for a in saved if a.as_given}
            assert {a.id for a, _k, _n in queries.activity_mismatches(project.id)} == bad
            assert bad == {a.id for a, (c, o, _v) in zip(saved, activities, strict=True) if c and o}
            for b in BREAKDOWNS:
                difference = sum(row[c] for c in b.columns) - row["total"]
                assert difference == (len(bad) if b.key == "gender" else 0)
            db.session.rollback()

    check()


def test_a_competition_row_may_keep_the_competitions_own_title_and_names(
    app, client, auth, report_case
):
    """Left empty, the competition's activity title and its indicators' names are the
    competition's and the sources', in whichever language the report is read."""
    with app.app_context():
        coordinator = db.session.get(User, report_case.coordinator_id)
        members = db.session.scalars(
            select(Indicator).where(Indicator.source == IndicatorSource.MEMBERS)
        ).one()
        members_id = members.id
    auth.as_user(coordinator)
    url = f"/manage/activities/{report_case.competition_activity_id}/edit"
    form = _activity_form(title="", **{c: str(v) for c, v in APPLICANTS.items()})
    assert client.post(url, data=form).status_code == 302
    edit = f"/manage/indicators/{members_id}/edit"
    response = client.post(edit, data={"name": "", "plan": "4", "fact": "9"})
    assert response.status_code == 200  # a computed fact is not typed
    assert "Бұл көрсеткіштің фактісі байқаудың жазбаларынан есептеледі." in response.text
    assert client.post(edit, data={"name": "", "plan": "4"}).status_code == 302
    with app.test_request_context():
        activity = db.session.get(ProjectActivity, report_case.competition_activity_id)
        indicator = db.session.get(Indicator, members_id)
        assert (activity.title, indicator.name, indicator.plan, indicator.fact) == ("", "", 4, None)
        assert (
            activity.display_title("ru") == "Профилактика синтетических наркотиков среди молодёжи"
        )
        assert activity.display_title("kk") == "Жастар арасында синтетикалық есірткінің алдын алу"
    page = client.get(url).text
    assert "Комиссия мүшелерінің саны" in page  # the members' indicator, named in Kazakh
    # a typed activity still needs its title
    response = client.post(
        f"/manage/activities/{report_case.training_id}/edit", data=_activity_form(title="")
    )
    assert response.status_code == 200
    assert "Бұл өрісті толтыру міндетті." in response.text


def test_coordinator_fills_the_report_through_the_forms(
    app, client, auth, create_grant_case, create_user
):
    """Header (an error keeps every value), a task, a competition attached (only once), an
    activity, the effect table, the narrative sections and a partner — each form saves what
    was typed and the report page shows it."""
    from smallgrants.auth.models import Role

    case = create_grant_case(1, periods=("final",))
    coordinator = create_user("reports@example.kz", roles=(Role.COORDINATOR,))
    auth.as_user(coordinator)
    header = {
        "organisation": "«Жастар» ҚБ",
        "head_name": "Әлиева Әсел",
        "title": "",
        "grant_sum": "7 000 000",
        "starts_on": "2023-08-01",
        "ends_on": "2023-07-01",
    }
    response = client.post("/manage/projects/new", data=header)
    assert response.status_code == 200
    assert 'value="«Жастар» ҚБ"' in response.text
    assert 'value="7 000 000"' in response.text
    assert "Бұл өрісті толтыру міндетті." in response.text
    response = client.post("/manage/projects/new", data={**header, "title": "Жоба"})
    assert response.status_code == 200  # ends before it starts
    assert "Жоба басталмай тұрып аяқтала алмайды." in response.text
    response = client.post(
        "/manage/projects/new", data={**header, "title": "Жоба", "ends_on": "2023-11-30"}
    )
    assert response.status_code == 302
    project_url = response.headers["Location"]
    with app.app_context():
        project = db.session.scalars(select(Project)).one()
        project_id = project.id
        assert (project.grant_sum, project.ends_on, len(project.effects)) == (
            7_000_000,
            date(2023, 11, 30),
            11,
        )
    assert (
        client.post(f"{project_url}/tasks", data={"title": "", "kind": "task"}).status_code == 302
    )
    client.post(f"{project_url}/tasks", data={"title": "Шағын гранттар", "kind": "task"})
    with app.app_context():
        task_id = db.session.get(Project, project_id).tasks[0].id
    attach = {"competition_id": str(case.competition_id), "title": ""}
    response = client.post(f"/manage/tasks/{task_id}/competition", data=attach)
    assert response.status_code == 302
    assert "/manage/activities/" in response.headers["Location"]
    again = client.post(f"/manage/tasks/{task_id}/competition", data=attach, follow_redirects=True)
    assert "Әлі қосылмаған жарияланған байқауды таңдаңыз." in again.text
    response = client.post(
        f"/manage/tasks/{task_id}/activities/new",
        data=_activity_form(title="Тренинг", **{c: str(v) for c, v in TRAINING.items()}),
    )
    assert response.status_code == 302
    effects = {"plan_direct": "20", "fact_direct": "30", "plan_partners": "1", "fact_partners": "9"}
    assert client.post(f"{project_url}/effects", data=effects).status_code == 302
    texts = {"goal": "Салауатты өмір салтын насихаттау", "deviations": "Ауытқу жоқ."}
    assert client.post(f"{project_url}/texts", data=texts).status_code == 302
    partner = {"name": "Жастар ресурстық орталығы", "role": "Ақпарат", "contacts": "+7 700"}
    assert client.post(f"{project_url}/partners", data=partner).status_code == 302
    assert client.post(f"{project_url}/proposals", data={"sphere": ""}).status_code == 200
    with app.app_context():
        project = db.session.get(Project, project_id)
        effect = {row.key: (row.plan, row.fact) for row in project.effects}
        assert effect[EffectKey.DIRECT] == (20, 30)
        assert effect[EffectKey.PARTNERS] == (1, None)  # computed: the partners table
        assert (project.goal, project.deviations) == (
            "Салауатты өмір салтын насихаттау",
            "Ауытқу жоқ.",
        )
        assert [p.name for p in project.partners] == ["Жастар ресурстық орталығы"]
        assert [a.title for a in project.activities] == ["", "Тренинг"]
        partner_id = project.partners[0].id
    page = client.get(project_url).text
    assert "1 міндет. Шағын гранттар" in page
    assert "Жастар арасында синтетикалық есірткінің алдын алу" in page  # the competition's title
    assert "Салауатты өмір салтын насихаттау" in page
    assert client.post(f"{project_url}/partners/{partner_id}/delete").status_code == 302
    with app.app_context():
        assert db.session.get(Project, project_id).partners == []


def test_a_computed_indicator_is_named_in_the_language_asked_whatever_the_pages(app):
    """The names are remembered per language: asked for Russian while a Kazakh page renders
    (a Russian report downloaded from it), the name is Russian, and stays so for later
    reports (a cache filled in the request's language gave a Russian export Kazakh names)."""
    from smallgrants.reporting.labels import _source_name, indicator_name
    from smallgrants.reporting.models import Indicator, IndicatorSource

    _source_name.cache_clear()
    rules = Indicator(source=IndicatorSource.RULES, name="")
    with app.test_request_context("/"), force_locale("kk"):
        assert indicator_name(rules, "ru") == "Правила конкурса"
        assert indicator_name(rules, "kk") == "Байқау ережесі"
        assert indicator_name(rules) == "Байқау ережесі"
    with app.test_request_context("/"), force_locale("ru"):
        assert indicator_name(rules, "kk") == "Байқау ережесі"
        assert indicator_name(rules) == "Правила конкурса"
    assert _source_name.cache_info().misses == 2  # each language translated once
