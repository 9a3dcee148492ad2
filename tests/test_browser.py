"""A person in real Chromium (Debian's /usr/bin/chromium, driven by Playwright), on a phone
and on a desktop: register → confirm the e-mail from the SMTP server → sign in → switch to
Russian → sign out. Chromium is a required tool of the suite: without it these tests fail
with the command that installs it, never skip."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.conftest import PASSWORD, body_text

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
VIEWPORTS = {
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "is_mobile": True,
        "has_touch": True,
        "device_scale_factor": 2,
    },
    "desktop": {"viewport": {"width": 1280, "height": 800}},
}

# a live server answers from its own threads and connections: real commits
pytestmark = [pytest.mark.browser, pytest.mark.real_commits]


CONSENT = "Байқауға қатысу үшін дербес деректерімді өңдеуге келісемін"


def _new_context(browser, **options):
    """A browser context whose pages say yes to the confirmation a destructive action asks
    (`data-confirm`, static/js/app.js); a test that says no registers its own handler."""
    context = browser.new_context(**options)
    context.on("page", lambda page: page.on("dialog", lambda dialog: dialog.accept()))
    return context


def _require_browser():
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        pytest.fail(f"Chromium is not installed at {CHROMIUM}: apt-get install -y chromium")


@pytest.fixture(scope="session")
def browser():
    _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


def _buffered(wsgi_app):
    """Each response read whole and its iterator closed before werkzeug writes it: when the
    browser drops a connection mid-file (a tab closed while the favicon streams), werkzeug's
    dev server skips closing the file, and the warning would fail a later test."""

    def wrapped(environ, start_response):
        iterable = wsgi_app(environ, start_response)
        try:
            return [b"".join(iterable)]
        finally:
            if hasattr(iterable, "close"):
                iterable.close()

    return wrapped


@pytest.fixture
def live_server(app):
    server = make_server("127.0.0.1", 0, _buffered(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(params=sorted(VIEWPORTS))
def page(request, browser, live_server):
    """A fresh browser tab; closed before the live server stops."""
    context = _new_context(browser, locale="kk-KZ", **VIEWPORTS[request.param])
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.viewport_name = request.param
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    yield page
    context.close()
    assert errors == [], f"browser console errors: {errors}"


_AXE = []


def _axe(page) -> list[str]:
    """axe-core (axe-playwright-python ships it) on the page as it is now: the serious and
    critical violations of WCAG 2.x A/AA rules, one line each."""
    if not _AXE:
        from axe_playwright_python.sync_playwright import Axe

        _AXE.append(Axe())
    results = _AXE[0].run(
        page,
        options={
            "resultTypes": ["violations"],
            "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"]},
        },
    )
    return [
        f"{page.url} [{page.viewport_name}] {v['id']} ({v['impact']}): "
        + "; ".join(f"{n['target'][0]} {n['html'][:120]}" for n in v["nodes"][:5])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def _open_decision(page, number: str):
    """The meeting page opens one decision form (the next application to decide); a row's
    link opens its own. Returns the row."""
    opener = page.get_by_test_id(f"open-{number}")
    if opener.count():
        opener.click()
        page.get_by_test_id(f"decide-{number}").wait_for()
    return page.locator(f'[data-application="{number}"]')


def _shot(page, name: str) -> None:
    """A screenshot of the page, and its accessibility checked: no serious or critical
    violation (`_axe`) on any page the browser tests look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{page.viewport_name}-{name}.png"), full_page=True)
    violations = _axe(page)
    assert violations == [], "\n".join(violations)


def _open_account_menu(page) -> None:
    """The account's menu (profile, applicant profiles, my data, sign out), after the
    collapsed navbar on a phone."""
    _open_menu_if_collapsed(page)
    page.get_by_test_id("nav-account").click()


def _open_management_menu(page) -> None:
    _open_menu_if_collapsed(page)
    page.get_by_test_id("nav-manage").click()


def _open_menu_if_collapsed(page) -> None:
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible():
        toggler.click()
        page.locator("#nav-main.show").wait_for()


def test_register_confirm_login_switch_language_logout(page, live_server, mailbox):
    page.goto(live_server + "/")
    assert page.locator("h1").inner_text() == "Шағын гранттар"
    _shot(page, "01-home")

    # Register, with one mistake first: everything typed is kept
    page.goto(live_server + "/auth/register")
    page.get_by_label("Аты-жөні").fill("Дана Жұмабаева")
    page.get_by_label("Электрондық пошта").fill("dana@example.kz")
    page.get_by_label("Құпиясөз", exact=True).fill("secret-pass-1")
    page.get_by_label("Құпиясөзді қайталаңыз").fill("secret-pass-2")
    page.get_by_label(CONSENT).check()
    page.get_by_role("button", name="Тіркелгі жасау").click()
    page.get_by_text("Құпиясөздер сәйкес келмейді.").wait_for()
    assert page.get_by_text("Құпиясөздер сәйкес келмейді.").is_visible()
    assert page.get_by_label("Аты-жөні").input_value() == "Дана Жұмабаева"
    assert page.get_by_label("Электрондық пошта").input_value() == "dana@example.kz"
    _shot(page, "02-register-error")
    page.get_by_label("Құпиясөз", exact=True).fill("secret-pass-1")
    page.get_by_label("Құпиясөзді қайталаңыз").fill("secret-pass-1")
    page.get_by_role("button", name="Тіркелгі жасау").click()
    page.wait_for_url(live_server + "/auth/login")
    assert "dana@example.kz мекенжайына растау сілтемесін жібердік." in page.inner_text("main")

    # Confirm through the link the SMTP server received
    [message] = mailbox.wait_for("dana@example.kz")
    link = re.search(r"(http://\S+/auth/confirm/\S+)", body_text(message)).group(1)
    page.goto(link)
    page.wait_for_url(live_server + "/auth/login")
    assert "Электрондық поштаңыз расталды." in page.inner_text("main")

    # Sign in
    page.get_by_label("Электрондық пошта").fill("dana@example.kz")
    page.get_by_label("Құпиясөз").fill("secret-pass-1")
    page.get_by_role("button", name="Кіру").click()
    page.wait_for_url(live_server + "/")
    page.get_by_test_id("needs-you").wait_for()
    assert page.get_by_test_id("needs-you").is_visible()
    _shot(page, "03-signed-in")

    # Switch to Russian: the page and the next ones are in Russian
    page.get_by_test_id("lang-ru").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Малые гранты"
    assert page.locator("html").get_attribute("lang") == "ru"
    _open_account_menu(page)
    page.get_by_test_id("nav-profile").click()
    assert page.locator("h1").inner_text() == "Профиль"
    # the page's language is this browser's; the account's stays until the profile changes it
    assert page.get_by_label("Предпочитаемый язык").input_value() == "kk"
    _shot(page, "04-profile-ru")

    # Sign out
    _open_account_menu(page)
    page.get_by_test_id("logout").click()
    page.wait_for_url(live_server + "/")
    assert "Вы вышли из системы." in page.inner_text("main")
    page.goto(live_server + "/account/profile")
    assert page.url.startswith(live_server + "/auth/login")


def test_first_time_applicant_on_a_phone_then_the_coordinator(
    browser, live_server, app, create_user, create_competition, tmp_path, mailbox
):
    from openpyxl import load_workbook

    from smallgrants.auth.models import Role
    from tests.conftest import TINY_PDF

    competition = create_competition(published=True)
    create_user("coord@example.kz", roles=(Role.COORDINATOR,))

    phone = _new_context(browser, locale="kk-KZ", **VIEWPORTS["phone"])
    phone.set_default_timeout(10_000)
    page = phone.new_page()
    page.viewport_name = "phone"
    # a first-timer registers from the announcement and confirms the e-mail
    page.goto(f"{live_server}/competitions/{competition.id}")
    page.get_by_test_id("apply").get_by_role("link", name="Тіркелу").click()
    page.get_by_label("Аты-жөні").fill("Дана Жұмабаева")
    page.get_by_label("Электрондық пошта").fill("dana@example.kz")
    page.get_by_label("Құпиясөз", exact=True).fill(PASSWORD)
    page.get_by_label("Құпиясөзді қайталаңыз").fill(PASSWORD)
    page.get_by_label(CONSENT).check()
    page.get_by_role("button", name="Тіркелгі жасау").click()
    page.wait_for_url(live_server + "/auth/login")
    [confirmation] = mailbox.wait_for("dana@example.kz")
    page.goto(re.search(r"(http://\S+/auth/confirm/\S+)", body_text(confirmation)).group(1))
    page.wait_for_url(live_server + "/auth/login")
    mailbox.clear()

    page.get_by_label("Электрондық пошта").fill("dana@example.kz")
    page.get_by_label("Құпиясөз").fill(PASSWORD)
    page.get_by_role("button", name="Кіру").click()
    page.wait_for_url(live_server + "/")

    # the announcement, then an initiative-group profile made on the way
    page.goto(f"{live_server}/competitions/{competition.id}")
    page.get_by_role("link", name="Жаңа бастамашыл топ").click()
    page.get_by_label("Атауы").fill("«Жастар үні» бастамашыл тобы")
    page.get_by_label("Топ жетекшісі (аты-жөні)").fill("Дана Жұмабаева")
    page.get_by_label("Жетекшінің ЖСН").fill("791028302728")
    page.get_by_label("Телефон", exact=True).first.fill("8 701 234 56 78")
    for i, name in enumerate(["Дана Жұмабаева", "Әлібек Серікұлы", "Айым Нұрқызы"]):
        page.locator(f'[name="members-{i}-full_name"]').fill(name)
    page.get_by_role("button", name="Сақтау").click()
    page.wait_for_url(f"{live_server}/competitions/{competition.id}#apply")
    page.get_by_test_id("start-application").click()
    page.wait_for_url(re.compile(r".*/applications/\d+/edit$"))
    application_url = page.url.removesuffix("/edit")

    # fill part of it and save the draft
    page.get_by_label("Жобаның атауы").fill("Жастар акциясы")
    page.get_by_label("Аудан").select_option("aksu")
    page.get_by_label("Елді мекен").fill("Жансүгіров")
    page.locator('[name="budget-0-item"]').fill("Баннер")
    page.locator('[name="budget-0-quantity"]').fill("2")
    page.locator('[name="budget-0-unit_cost"]').fill("50 000")
    page.get_by_test_id("save-draft").click()
    page.wait_for_url(application_url)
    page.get_by_test_id("missing").wait_for()
    assert page.get_by_test_id("missing").is_visible()
    _shot(page, "10-application-draft")

    # come back later: everything typed is there; finish the form
    page.goto(live_server + "/applications")
    page.get_by_role("link", name="Жастар акциясы").click()
    page.wait_for_url(application_url)
    page.get_by_role("link", name="Толтыруды жалғастыру").click()
    page.wait_for_url(application_url + "/edit")

    assert page.locator('[name="budget-0-unit_cost"]').input_value() == "50 000"
    page.get_by_label("Мәселе және оның өзектілігі").fill("Синтетикалық есірткі таралуда.")
    page.get_by_label("Мақсаты").fill("Хабардарлықты арттыру.")
    page.get_by_label("Міндеттері").fill("Тренинг өткізу.")
    page.get_by_label("Мақсатты топ", exact=True).fill("Жастар")
    page.get_by_label("Жоспарланған қатысушылар саны").fill("200")
    page.locator('[name="activities-0-activity"]').fill("Тренинг")
    page.locator('[name="results-0-result"]').fill("Жастар хабардар")
    page.get_by_label("Тұрақтылық: гранттан кейін не қалады").fill("Клуб жалғасады.")
    page.get_by_label("Команда").fill("Үш волонтер.")
    page.get_by_test_id("save-draft").click()
    page.wait_for_url(application_url)
    assert page.get_by_test_id("budget-total").inner_text() == "100\u00a0000\u00a0₸"

    # attach the required document, submit, see the number
    pdf = tmp_path / "kuelik.pdf"
    pdf.write_bytes(TINY_PDF)
    page.locator("#file").set_input_files(str(pdf))
    page.get_by_test_id("upload").click()
    page.wait_for_url(application_url + "#attachments")
    page.get_by_test_id("submit").click()
    page.wait_for_url(application_url)
    number = page.get_by_test_id("number").inner_text()
    assert re.fullmatch(r"SG-\d{4}-001", number)
    _shot(page, "11-application-submitted")
    [receipt] = mailbox.wait_for("dana@example.kz")
    assert number in receipt["Subject"]
    phone.close()

    # the coordinator finds it in the registry and downloads the XLSX
    desktop = _new_context(browser, locale="kk-KZ", accept_downloads=True, **VIEWPORTS["desktop"])
    desktop.set_default_timeout(10_000)
    page = desktop.new_page()
    page.viewport_name = "desktop"
    page.goto(live_server + "/auth/login")
    page.get_by_label("Электрондық пошта").fill("coord@example.kz")
    page.get_by_label("Құпиясөз").fill(PASSWORD)
    page.get_by_role("button", name="Кіру").click()
    page.goto(f"{live_server}/manage/competitions/{competition.id}/applications")
    page.get_by_label("Іздеу: нөмір, атау, ұйым").fill("жастар үні")
    page.get_by_role("button", name="Сүзу").click()
    page.wait_for_url(re.compile(r".*[?&]q=.*"))  # the filtered page, not the one before it
    assert page.get_by_test_id("registry").get_by_role("link", name=number).is_visible()
    _shot(page, "12-registry")
    with page.expect_download() as info:
        page.get_by_test_id("export-xlsx").click()
    path = tmp_path / "registry.xlsx"
    info.value.save_as(path)
    ws = load_workbook(path).active
    assert ws["B3"].value == number
    assert ws["E3"].value == "«Жастар үні» бастамашыл тобы"
    assert ws["H3"].value == 100_000
    desktop.close()


def _context(browser, kind: str):
    context = _new_context(browser, locale="kk-KZ", accept_downloads=True, **VIEWPORTS[kind])
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.viewport_name = kind
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.errors = errors
    return context, page


def _sign_in(page, live_server: str, email: str) -> None:
    page.goto(live_server + "/auth/login")
    page.get_by_label("Электрондық пошта").fill(email)
    page.get_by_label("Құпиясөз").fill(PASSWORD)
    page.get_by_role("button", name="Кіру").click()
    page.wait_for_url(live_server + "/")


def test_commission_declares_scores_meets_signs_and_publishes(
    app, browser, live_server, mailbox, create_commission_case
):
    """Three members on phones declare (one conflict) and score; the coordinator on a desktop
    closes scoring, holds the meeting, records decisions, signs and publishes; the applicants
    get their e-mails."""
    from smallgrants.applications.models import Application
    from smallgrants.competitions.models import Criterion
    from smallgrants.extensions import db

    case = create_commission_case(3, locales=("kk", "ru", "kk"))
    with app.app_context():
        criteria = [
            c.id
            for c in db.session.query(Criterion)
            .filter_by(competition_id=case.competition_id)
            .order_by(Criterion.position)
        ]
        numbers = [db.session.get(Application, a).number for a in case.application_ids]
    scores = {
        "chair@example.kz": [(9, 5), (7, 4), (5, 2)],
        "secretary@example.kz": [(8, 4), (6, 4), (4, 2)],
        "member1@example.kz": [(9, 4), (7, 3), None],  # a conflict on the third
    }
    for email, sheets in scores.items():
        context, page = _context(browser, "phone")
        _sign_in(page, live_server, email)
        _open_menu_if_collapsed(page)
        page.get_by_role("link", name="Комиссия").click()
        page.get_by_role("link", name="Жастар арасында синтетикалық есірткінің алдын алу").click()
        for number, points in zip(numbers, sheets, strict=True):
            page.get_by_role("link", name=number).click()
            if points is None:
                page.get_by_label("Менде мүдделер қақтығысы бар").check()
                page.get_by_label("Негізі").select_option("relative")
                page.get_by_label("Толығырақ").fill("Жиенім топта")
                page.get_by_test_id("declare").click()
                page.wait_for_url(re.compile(r".*/commission/competitions/\d+$"))
                assert page.locator(f'[data-application="{number}"]').count() == 0
                continue
            page.get_by_label("Бұл өтініш берушімен мүдделер қақтығысым жоқ").check()
            page.get_by_test_id("declare").click()
            for criterion_id, value in zip(criteria, points, strict=True):
                page.locator(f"#points-{criterion_id}").fill(str(value))
            page.get_by_label("Түсініктеме").fill("Жоба өзекті")
            if email.startswith("chair") and number == numbers[0]:
                _shot(page, "20-score-sheet")
            page.get_by_test_id("submit-sheet").click()
            page.get_by_text("Бағалау парағы жіберілді.").wait_for()
            page.get_by_text("жіберілді және құлыпталды").wait_for()
            assert page.get_by_text("жіберілді және құлыпталды").is_visible()
            page.get_by_role("link", name="Жастар арасында синтетикалық").first.click()
        assert page.errors == []
        context.close()

    context, page = _context(browser, "desktop")
    _sign_in(page, live_server, "coord@example.kz")
    page.goto(f"{live_server}/manage/competitions/{case.competition_id}/scoring")
    assert page.get_by_test_id("overall").inner_text() == "Жіберілген парақтар: 8 / 8."
    page.get_by_test_id("close-scoring").click()
    page.get_by_role("link", name="Отырыс және хаттама").click()
    page.get_by_label("Хаттама нөмірі").fill("2")
    page.get_by_label("Күні мен уақыты (Алматы)").fill("2023-09-12T15:00")
    page.get_by_label("Онлайн сілтеме (Zoom т.б.)").fill("https://zoom.us/j/8123456789")
    for seat in case.member_ids.values():
        page.locator(f"#mode-{seat}").select_option("online")
    page.get_by_test_id("save-meeting").click()
    assert "кворум (кемінде 2) бар" in page.get_by_test_id("quorum").inner_text()
    for number in numbers[:2]:
        _open_decision(page, number)
        page.get_by_test_id(f"decide-{number}").click()
        page.get_by_text(f"{number} бойынша шешім жазылды.").wait_for()
    third = _open_decision(page, numbers[2])
    third.get_by_label("Шешім").select_option("reject")
    third.get_by_label("Негіздеме").fill("Бюджеті негізсіз")
    page.get_by_test_id(f"decide-{numbers[2]}").click()
    page.get_by_text(f"{numbers[2]} бойынша шешім жазылды.").wait_for()
    assert "600\u00a0000\u00a0₸" in page.get_by_test_id("pool").inner_text()
    _shot(page, "21-meeting")
    page.get_by_test_id("sign").click()
    sha = page.get_by_test_id("sha256").inner_text()
    assert re.fullmatch(r"[0-9a-f]{64}", sha)
    with page.expect_download() as download:
        page.get_by_test_id("protocol-signed").click()
    assert hashlib.sha256(Path(download.value.path()).read_bytes()).hexdigest() == sha
    page.get_by_test_id("publish").click()
    page.wait_for_url(f"{live_server}/competitions/{case.competition_id}/results")
    assert page.get_by_test_id("total").inner_text() == "600\u00a0000\u00a0₸"
    _shot(page, "22-results")
    assert page.errors == []
    context.close()

    won = body_text(mailbox.wait_for("applicant1@example.kz")[0])
    assert "Құттықтаймыз!" in won and "300\u00a0000\u00a0₸ грант бөлінді" in won
    assert "Поздравляем!" in body_text(mailbox.wait_for("applicant2@example.kz")[0])
    assert "бұл жолы іріктелмеді" in body_text(mailbox.wait_for("applicant3@example.kz")[0])


def _fill_event(page, title: str, counts: dict[str, int], fmt: str = "offline") -> None:
    page.locator("#title").fill(title)
    page.locator("#held_on").fill("2023-10-05")
    page.locator("#format").select_option(fmt)
    page.locator("#district_code").select_option("aksu")
    page.locator("#settlement").fill("Жансүгіров")
    for column, value in counts.items():
        page.locator(f"#{column}").fill(str(value))


def test_grantee_reports_on_a_phone_coordinator_returns_then_accepts_and_downloads(
    app, browser, live_server, mailbox, create_grant_case, tmp_path
):
    """A grantee on a phone submits a report with two events (one breakdown typed wrong
    first), the coordinator returns it, the grantee fixes it, the coordinator accepts it and
    downloads the monitoring report."""
    import io

    from docx import Document

    case = create_grant_case(1, periods=("interim",))
    report_id = case.reports[case.grant_ids[0]][0]

    context, phone = _context(browser, "phone")
    _sign_in(phone, live_server, "applicant1@example.kz")
    _open_menu_if_collapsed(phone)
    phone.get_by_role("link", name="Менің гранттарым").click()
    phone.get_by_test_id("report-link").first.click()
    phone.get_by_test_id("add-event").click()
    _fill_event(
        phone, "Тренинг", {"total": 40, "men": 15, "women": 24, "s_youth": 40, "a_17_22": 40}
    )
    phone.get_by_test_id("save-event").click()
    error = phone.get_by_test_id("breakdown-error-gender")
    assert error.inner_text() == "Гендер: топтардың қосындысы 39, барлығы 40 — 1 жетпейді."
    assert phone.locator("#women").input_value() == "24"  # nothing typed is lost
    assert phone.locator("#title").input_value() == "Тренинг"
    hint = phone.locator('[data-sum-for="gender"]')
    from playwright.sync_api import expect

    expect(hint).to_have_text("Есептелді: 40 ішінен 39")  # the script runs after the load
    phone.locator("#women").fill("25")  # the live sum follows the typing
    expect(hint).to_have_text("Есептелді: 40 ішінен 40")
    phone.locator("#women").fill("24")

    _shot(phone, "30-event-breakdown-error")
    phone.locator("#gender_unspecified").fill("1")
    phone.get_by_test_id("save-event").click()
    phone.get_by_text("Іс-шара сақталды.").wait_for()
    phone.get_by_test_id("add-event").click()
    _fill_event(
        phone,
        "Онлайн вебинар",
        {"total": 60, "men": 20, "women": 40, "s_youth": 50, "s_other": 10, "a_23_27": 60},
        fmt="online",
    )
    phone.get_by_test_id("save-event").click()
    phone.get_by_text("Іс-шара сақталды.").wait_for()
    assert phone.get_by_test_id("event").count() == 2
    phone.locator("#results").fill("100 жас есірткінің зияны туралы білді")
    phone.get_by_test_id("save-narrative").click()
    phone.get_by_text("Сақталды.").wait_for()
    _shot(phone, "31-report")
    phone.get_by_test_id("submit-report").click()
    phone.get_by_text("Есеп тапсырылды. Үйлестіруші оны тексереді.").wait_for()
    assert phone.errors == []

    desk_context, desk = _context(browser, "desktop")
    _sign_in(desk, live_server, "coord@example.kz")
    desk.goto(f"{live_server}/manage/competitions/{case.competition_id}/monitoring")
    desk.get_by_test_id("awaiting-review").click()
    desk.get_by_label("Түзетуге қайтару").check()
    desk.get_by_label("Грант алушыға түсініктеме").fill("Вебинардың қатысушылар тізімін қосыңыз")
    desk.get_by_test_id("save-review").click()
    desk.get_by_text("Тексеру нәтижесі сақталды, грант алушыға хабарланды.").wait_for()
    returned = body_text(mailbox.wait_for("applicant1@example.kz")[0])
    assert "Вебинардың қатысушылар тізімін қосыңыз" in returned

    phone.goto(f"{live_server}/reports/{report_id}")
    assert (
        "Вебинардың қатысушылар тізімін қосыңыз"
        in phone.get_by_test_id("review-comment").inner_text()
    )
    phone.locator("#file").set_input_files(
        files=[
            {
                "name": "tizim.pdf",
                "mimeType": "application/pdf",
                "buffer": b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
            }
        ]
    )
    phone.locator("#purpose").select_option("evidence")
    phone.get_by_role("button", name="Жүктеу").click()
    phone.get_by_text("«tizim.pdf» файлы тіркелді.").or_(
        phone.get_by_text("tizim.pdf")
    ).first.wait_for()
    phone.get_by_test_id("submit-report").click()
    phone.get_by_text("Есеп тапсырылды. Үйлестіруші оны тексереді.").wait_for()
    assert phone.errors == []
    context.close()

    desk.goto(f"{live_server}/reports/{report_id}")
    desk.get_by_label("Есепті қабылдау").check()
    desk.get_by_test_id("save-review").click()
    desk.get_by_text("Тексеру нәтижесі сақталды, грант алушыға хабарланды.").wait_for()
    assert desk.get_by_test_id("version").count() == 2
    desk.goto(f"{live_server}/manage/competitions/{case.competition_id}/monitoring")
    assert desk.get_by_test_id("participants-total").inner_text() == "100"
    _shot(desk, "32-monitoring")
    with desk.expect_download() as download:
        desk.get_by_test_id("monitoring-docx-kk").click()
    document = Document(io.BytesIO(Path(download.value.path()).read_bytes()))
    summary = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert summary["Қатысушылар, барлығы"] == "100"
    assert summary["Іс-шаралар"] == "2"
    gender = [[c.text for c in row.cells][:2] for row in document.tables[1].rows[1:]]
    assert gender == [
        ["Ерлер", "35"],
        ["Әйелдер", "64"],
        ["Көрсетілмеген", "1"],
        ["Барлығы", "100"],
    ]
    assert desk.errors == []
    desk_context.close()


def test_coordinator_fixes_a_justification_on_the_reconciliation_page_and_downloads(
    app, browser, live_server, report_case
):
    """In Chromium: the report page warns that a check fails; the reconciliation page names
    the indicator whose fact is below plan; the coordinator follows its link, writes the
    justification, comes back to every check passing, and downloads the DOCX, which lists
    the justified deviation and no warning."""
    import io

    from docx import Document

    from smallgrants.auth.models import User
    from smallgrants.extensions import db
    from smallgrants.reporting import services
    from smallgrants.reporting.models import ProjectActivity

    with app.test_request_context():
        coordinator = db.session.get(User, report_case.coordinator_id)
        activity = db.session.get(ProjectActivity, report_case.training_id)
        services.save_indicator(
            coordinator,
            activity,
            services.IndicatorInput("Посттар", 10, True, 8),
            activity.indicators[0],
        )
        db.session.commit()
        email = coordinator.email

    context, page = _context(browser, "desktop")
    _sign_in(page, live_server, email)
    _open_management_menu(page)
    page.get_by_test_id("nav-projects").click()
    page.get_by_role("link", name="«Таза өмір» жобасы").click()
    summary = page.get_by_test_id("reconciliation-summary")
    assert "23 салыстыру тексеруінің 1 өтпеді." in summary.inner_text()
    _shot(page, "40-final-report-page")
    page.get_by_test_id("open-reconciliation").click()
    assert page.get_by_test_id("failing-count").inner_text() == "1 тексеру өтпеді."
    failing = page.locator('[data-testid="check"][data-ok="no"]')
    assert failing.count() == 1
    assert "«Посттар» көрсеткіші (Колледждегі тренинг)" in failing.inner_text()
    assert "жоспар 10, факт 8, ал кемшіліктің негіздемесі жоқ" in failing.inner_text()
    _shot(page, "41-reconciliation-failing")
    failing.get_by_test_id("check-link").click()
    page.get_by_label("Факт жоспардан төмен болса, негіздеме").fill(
        "Екі пост платформа ережесі бойынша жойылды"
    )
    page.get_by_test_id("save-indicator").click()
    page.wait_for_url(f"{live_server}/manage/projects/{report_case.project_id}/reconciliation")
    assert page.get_by_test_id("failing-count").inner_text() == "Барлық тексеру өтті."
    assert page.locator('[data-testid="check"][data-ok="no"]').count() == 0
    _shot(page, "42-reconciliation-passing")
    with page.expect_download() as download:
        page.get_by_test_id("report-docx-kk").click()
    assert download.value.suggested_filename == f"final-report-{report_case.project_id}-kk.docx"
    paragraphs = [
        p.text for p in Document(io.BytesIO(Path(download.value.path()).read_bytes())).paragraphs
    ]
    assert paragraphs[1] == "Грант беру жөніндегі Келісімшарттың № 8 Қосымшасы"
    assert "Посттар: жоспар 10, факт 8. Екі пост платформа ережесі бойынша жойылды" in paragraphs
    assert page.errors == []
    context.close()


# --- every role's pages, both widths, three languages: axe-core and no sideways scroll ----


def _signed_in_context(browser, app, live_server, user, locale, viewport):
    """A browser context signed in as `user` (a sign-in row and its cookie, as
    `AuthActions.as_user` makes) with the page language `locale` chosen."""
    from urllib.parse import urlsplit

    from tests.conftest import AuthActions

    client = app.test_client()
    if user is not None:
        AuthActions(client).as_user(user)
    with client.session_transaction() as session:
        session["locale"] = locale
    context = _new_context(browser, locale="kk-KZ", **VIEWPORTS[viewport])
    context.set_default_timeout(10_000)
    context.add_cookies(
        [
            {
                "name": "session",
                "value": client.get_cookie("session").value,
                "domain": urlsplit(live_server).hostname,
                "path": "/",
            }
        ]
    )
    return context


def _walk_pages(app, case):
    from smallgrants.auth import services as auth_services
    from smallgrants.auth.models import Role, User
    from smallgrants.extensions import db
    from smallgrants.grants.models import Grant
    from tests.conftest import PASSWORD, default_organisation_id, detached

    with app.app_context():
        admin = auth_services.create_user(
            "walk-admin@example.kz", PASSWORD, confirmed=True, roles=(Role.ADMIN,)
        )
        holder = default_organisation_id()
        operator = auth_services.create_user("walk-operator@example.kz", PASSWORD, confirmed=True)
        programme = _programme_over(holder, operator.email)
        db.session.commit()
        admin, operator = detached(admin), detached(operator)
        grant = db.session.get(Grant, case.grant_ids[0])
        application_id = grant.application_id
        grantee = db.session.get(User, case.grantee_ids[0])
    c = case.competition_id
    return {
        None: [
            "/",
            "/competitions",
            "/competitions?region=KZ-33&holder=test-holder",
            "/o/test-holder",
            f"/competitions/{c}",
            "/auth/login",
            "/auth/register",
            "/privacy",
            "/api/v1/docs",
        ],
        grantee: [
            "/",
            "/applications",
            f"/applications/{application_id}",
            "/grants",
            f"/grants/{case.grant_ids[0]}",
            f"/reports/{case.reports[case.grant_ids[0]][0]}",
            "/account/profile",
            "/account/data",
            "/profiles",
        ],
        case.commission.chair: [
            "/",
            "/commission",
            f"/commission/competitions/{c}",
            f"/commission/applications/{application_id}",
        ],
        case.coordinator: [
            "/",
            "/manage/competitions",
            f"/manage/competitions/{c}/applications",
            f"/manage/competitions/{c}/commission",
            f"/manage/competitions/{c}/scoring",
            f"/manage/competitions/{c}/ranking",
            f"/manage/competitions/{c}/meeting",
            f"/manage/competitions/{c}/grants",
            f"/manage/competitions/{c}/monitoring",
            f"/grants/{case.grant_ids[0]}",
            "/manage/outbox",
            "/manage/projects",
            "/account/tokens",
        ],
        operator: [
            "/programmes",
            f"/programmes/{programme}",
            f"/programmes/{programme}?holder={holder}&region=KZ-33",
            f"/manage/competitions/{c}/monitoring",
            f"/manage/competitions/{c}/monitoring/events",
        ],
        admin: [
            "/admin/organisations",
            "/admin/organisations/new",
            f"/admin/organisations/{holder}",
            "/admin/programmes",
            "/admin/programmes/new",
            f"/admin/programmes/{programme}",
        ],
    }


def _programme_over(holder_id: int, operator_email: str) -> int:
    """A programme over the suite's grant holder, read by that operator."""
    from smallgrants.extensions import db
    from smallgrants.organisations import services
    from smallgrants.organisations.models import Organisation

    programme = services.create_programme(None, services.ProgrammeInput("Бағдарлама", 2024, 2025))
    services.add_holder(None, programme, db.session.get(Organisation, holder_id))
    services.add_operator(None, programme, operator_email)
    return programme.id


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_every_roles_pages_pass_axe_and_fit_the_screen(
    app, browser, live_server, create_grant_case, viewport
):
    case = create_grant_case(2, periods=("final",))
    problems: list[str] = []
    for user, paths in _walk_pages(app, case).items():
        for locale in ("kk", "ru", "en"):
            context = _signed_in_context(browser, app, live_server, user, locale, viewport)
            page = context.new_page()
            page.viewport_name = f"{viewport}/{locale}"
            for path in paths:
                response = page.goto(live_server + path)
                assert response.status == 200, (path, locale)
                assert page.locator("html").get_attribute("lang") == locale, path
                problems += _axe(page)
                if locale in ("kk", "ru") and path.rstrip("/").count("/") <= 3:
                    ARTIFACTS.mkdir(exist_ok=True)
                    who = "visitor" if user is None else user.email.split("@")[0]
                    slug = path.strip("/").replace("/", "-") or "start"
                    page.screenshot(
                        path=str(ARTIFACTS / f"walk-{viewport}-{locale}-{who}-{slug}.png"),
                        full_page=True,
                    )
                overflow = page.evaluate(
                    "document.documentElement.scrollWidth - document.documentElement.clientWidth"
                )
                if overflow > 0:
                    problems.append(
                        f"{path} [{viewport}/{locale}] {overflow} px wider than the screen"
                    )
            context.close()
    assert problems == [], "\n".join(problems)


def test_a_destructive_action_asks_first(
    app, browser, live_server, create_user, create_competition, create_profile, create_application
):
    from smallgrants.applications.models import Application
    from smallgrants.extensions import db

    owner = create_user("dana@example.kz")
    competition = create_competition(published=True)
    application = create_application(owner, competition, create_profile(owner), submit=True)
    context = browser.new_context(locale="kk-KZ", **VIEWPORTS["phone"])
    page = context.new_page()
    page.viewport_name = "phone"
    _sign_in(page, live_server, "dana@example.kz")
    page.goto(f"{live_server}/applications/{application.id}")
    questions = []

    def answer(dialog, yes):
        questions.append(dialog.message)
        dialog.accept() if yes else dialog.dismiss()

    page.once("dialog", lambda d: answer(d, False))
    page.get_by_role("button", name="Өтінімді кері қайтару").click()
    page.wait_for_timeout(300)
    with app.app_context():
        assert db.session.get(Application, application.id).status.value == "submitted"
    page.once("dialog", lambda d: answer(d, True))
    page.get_by_role("button", name="Өтінімді кері қайтару").click()
    page.wait_for_load_state()
    page.wait_for_timeout(300)
    with app.app_context():
        assert db.session.get(Application, application.id).status.value == "withdrawn"
    assert questions == [WITHDRAW_QUESTION] * 2
    context.close()


WITHDRAW_QUESTION = (
    "Өтінімді кері қайтарып аласыз ба? Байқау ашық тұрғанда қайта өтінім бере аласыз."
)


# --- a video contest for individuals (issue 17) ---------------------------------------


def test_a_video_contest_for_individuals_runs_the_whole_way(
    app,
    browser,
    live_server,
    mailbox,
    create_user,
    create_competition,
    create_commission_case,
    tmp_path,
):
    """A young person on a phone enters as themselves with an Instagram link (another site
    refused, nothing typed lost); the chair scores it seeing the link; the coordinator on a
    desktop closes scoring, holds the meeting, awards five prizes of 200 000 ₸ and is refused
    a sixth, signs, publishes (the results say prizes), records each prize's payment; the
    final report's row for the contest is computed and its checks pass."""
    from datetime import date

    from smallgrants.applications import services as application_services
    from smallgrants.applications.models import Application
    from smallgrants.auth.models import User
    from smallgrants.commission import services as cs
    from smallgrants.commission.models import CommissionMember
    from smallgrants.competitions.models import AwardKind, Competition, EntryKind
    from smallgrants.extensions import db
    from smallgrants.reporting import services as rs
    from tests.conftest import TINY_PDF
    from tests.test_individuals import iin_born

    contest = create_competition(
        published=True,
        title_kk="«Денсаулықты сақта» бейнероликтер байқауы",
        entry_kind=EntryKind.VIDEO,
        award_kind=AwardKind.PRIZE,
        accepts_ngo=False,
        accepts_group=False,
        accepts_individual=True,
        min_age=14,
        max_age=29,
        grant_amount=200_000,
        grant_count=5,
        video_hosts="instagram.com",
        number_prefix="VC",
    )
    create_user("entrant@example.kz", full_name="Айгерім Сапарова")

    # a young person on a phone enters as themselves
    context, phone = _context(browser, "phone")
    _sign_in(phone, live_server, "entrant@example.kz")
    phone.goto(f"{live_server}/competitions/{contest.id}")
    assert "14–29 жастағы жеке тұлғалар" in phone.get_by_test_id("facts").inner_text()
    phone.get_by_test_id("new-individual").click()
    phone.get_by_label("Аты-жөні").fill("Айгерім Сапарова")
    phone.get_by_label("ЖСН").fill(iin_born(date(2004, 5, 17), female=True))
    phone.get_by_label("Телефон", exact=True).first.fill("8 747 123 45 67")
    phone.get_by_role("button", name="Сақтау").click()
    phone.wait_for_url(f"{live_server}/competitions/{contest.id}#apply")
    phone.get_by_test_id("start-application").click()
    phone.wait_for_url(re.compile(r".*/applications/\d+/edit$"))
    entry_url = phone.url.removesuffix("/edit")
    phone.locator("#title").fill("Таза өмір")
    phone.locator("#district_code").select_option("aksu")
    phone.locator("#settlement").fill("Жансүгіров")
    phone.locator("#video_url").fill("https://vimeo.com/123")
    phone.locator("#problem").fill("Есірткіден бас тарту туралы ролик")
    phone.get_by_test_id("save-draft").click()
    phone.get_by_text("Сілтеме байқау сайттарының біріне апаруы керек: instagram.com.").wait_for()
    assert phone.locator("#problem").input_value() == "Есірткіден бас тарту туралы ролик"
    phone.locator("#video_url").fill("https://www.instagram.com/reel/TazaOmir/")
    phone.get_by_test_id("save-draft").click()
    phone.wait_for_url(entry_url)
    pdf = tmp_path / "kuelik.pdf"
    pdf.write_bytes(TINY_PDF)
    while phone.locator("#file").count() and phone.get_by_test_id("missing").count():
        phone.locator("#file").set_input_files(str(pdf))
        phone.get_by_test_id("upload").click()
        phone.wait_for_url(entry_url + "#attachments")
    phone.get_by_test_id("submit").click()
    phone.wait_for_url(entry_url)
    number = phone.get_by_test_id("number").inner_text()
    assert phone.get_by_test_id("view-problem").inner_text() == (
        "3. Бейнеролик туралы\n\nЕсірткіден бас тарту туралы ролик"
    )
    assert re.fullmatch(r"VC-\d{4}-001", number)
    _shot(phone, "40-contest-entry")
    assert phone.errors == []
    context.close()

    # five more entrants; the window closes; the commission is seated
    case = create_commission_case(
        5,
        competition=contest,
        applicant_kind="individual",
        iins=[iin_born(date(2001 + n, 3, 1 + n), serial=10 * n + 1) for n in range(5)],
    )
    with app.test_request_context():
        coordinator = db.session.get(User, case.coordinator.id)
        entry = db.session.scalars(select_entry(Application, number)).one()
        application_services.screen(coordinator, entry, True)
        db.session.commit()
        entry_id = entry.id
        seats = db.session.scalars(
            db.select(CommissionMember).where(CommissionMember.competition_id == contest.id)
        ).all()
        criteria = db.session.get(Competition, contest.id).criteria
        ids = [entry_id, *case.application_ids]
        for rank, application_id in enumerate(ids):
            application = db.session.get(Application, application_id)
            for seat in seats:
                if seat.user_id == case.chair.id and application_id == entry_id:
                    continue  # the chair scores this one in the browser
                user = db.session.get(User, seat.user_id)
                cs.declare(user, seat, application, conflict=False)
                points = {c.id: c.max_points - rank for c in criteria}
                cs.save_sheet(user, seat, application, points, "", submit=True)
        db.session.commit()
        numbers = [db.session.get(Application, i).number for i in ids]
        seat_ids = [seat.id for seat in seats]
        maxima = [(c.id, c.max_points) for c in criteria]

    # the chair on a phone sees the link and scores
    context, phone = _context(browser, "phone")
    _sign_in(phone, live_server, "chair@example.kz")
    phone.goto(f"{live_server}/commission/competitions/{contest.id}")
    phone.get_by_role("link", name=number).click()
    phone.get_by_label("Бұл өтініш берушімен мүдделер қақтығысым жоқ").check()
    phone.get_by_test_id("declare").click()
    link = phone.get_by_test_id("video-url").get_by_role("link")
    assert link.get_attribute("href") == "https://www.instagram.com/reel/TazaOmir/"
    for criterion_id, max_points in maxima:
        phone.locator(f"#points-{criterion_id}").fill(str(max_points))
    phone.get_by_test_id("submit-sheet").click()
    phone.get_by_text("Бағалау парағы жіберілді.").wait_for()
    _shot(phone, "41-contest-scoring")
    context.close()

    # the coordinator: scoring closed, the meeting, five prizes and a sixth refused
    context, desk = _context(browser, "desktop")
    _sign_in(desk, live_server, "coord@example.kz")
    desk.goto(f"{live_server}/manage/competitions/{contest.id}/scoring")
    desk.get_by_test_id("close-scoring").click()
    desk.get_by_role("link", name="Отырыс және хаттама").click()
    desk.get_by_label("Хаттама нөмірі").fill("4")
    desk.get_by_label("Күні мен уақыты (Алматы)").fill("2023-10-02T15:00")
    desk.get_by_label("Онлайн сілтеме (Zoom т.б.)").fill("https://zoom.us/j/8123456790")
    for seat_id in seat_ids:
        desk.locator(f"#mode-{seat_id}").select_option("online")
    desk.get_by_test_id("save-meeting").click()
    for n in numbers[:5]:
        _open_decision(desk, n)
        desk.get_by_test_id(f"decide-{n}").click()
        desk.get_by_text(f"{n} бойынша шешім жазылды.").wait_for()
    _open_decision(desk, numbers[5])
    desk.get_by_test_id(f"decide-{numbers[5]}").click()
    desk.get_by_text("5 жүлденің бәрі берілді.").wait_for()
    sixth = _open_decision(desk, numbers[5])  # the refused award's form stays open
    sixth.get_by_label("Шешім").select_option("reject")
    desk.get_by_test_id(f"decide-{numbers[5]}").click()
    desk.get_by_text(f"{numbers[5]} бойынша шешім жазылды.").wait_for()
    assert desk.get_by_test_id("pool").inner_text() == (
        "Берілді: 5 жүлденің 5, 1\xa0000\xa0000\xa0₸ жүлде қорының 1\xa0000\xa0000\xa0₸."
    )
    _shot(desk, "42-contest-meeting")
    desk.get_by_test_id("sign").click()
    desk.get_by_test_id("sha256").wait_for()
    desk.get_by_test_id("publish").click()
    desk.wait_for_url(f"{live_server}/competitions/{contest.id}/results")
    assert (
        desk.get_by_test_id("summary")
        .inner_text()
        .startswith("5 жүлде берілді, барлығы 1\xa0000\xa0000\xa0₸.")
    )
    _shot(desk, "43-contest-results")

    # each prize paid once
    desk.goto(f"{live_server}/competitions/{contest.id}")
    desk.get_by_test_id("manage-prizes").click()
    for n in range(5):
        prize = desk.locator("[data-prize]").filter(has=desk.get_by_test_id("pay-prize")).first
        prize.get_by_label("Төлем күні").fill("2023-10-03")
        prize.get_by_label("Төлем құжатының нөмірі").fill(f"ПП-В{n + 1}")
        prize.get_by_test_id("pay-prize").click()
        desk.get_by_text("Жүлде төлемі тіркелді.").wait_for()
    assert desk.get_by_test_id("prize-paid").count() == 5
    assert desk.get_by_test_id("prizes-paid").inner_text() == "1\xa0000\xa0000\xa0₸"
    _shot(desk, "44-contest-prizes")

    # the final report: the contest attached to a task, its row computed, its checks pass
    with app.test_request_context():
        coordinator = db.session.get(User, case.coordinator.id)
        project = rs.create_project(coordinator, rs.ProjectInput("ҚБ «Жастар»", "NarcoSTOP"))
        task = rs.add_task(coordinator, project, "Бейнероликтер байқауы")
        rs.attach_competition(coordinator, task, db.session.get(Competition, contest.id))
        db.session.commit()
        project_id = project.id
    desk.goto(f"{live_server}/manage/projects/{project_id}/reconciliation")
    checks = desk.locator('[data-testid="check"]')
    contest_checks = [
        (checks.nth(i).get_attribute("data-ok"), checks.nth(i).inner_text())
        for i in range(checks.count())
        if "жүлде" in checks.nth(i).inner_text().lower()
    ]
    assert [ok for ok, _text in contest_checks] == ["yes", "yes"], contest_checks
    assert "қол қойылған хаттама 6 жүлде" not in desk.content()
    _shot(desk, "45-contest-reconciliation")
    assert desk.errors == []
    context.close()


def select_entry(model, number):
    from sqlalchemy import select

    return select(model).where(model.number == number)


def test_the_new_competition_form_suggests_a_contest_for_video_entries(
    browser, live_server, create_user
):
    """Choosing video entries ticks individuals, unticks NGOs and groups and picks prizes —
    except what the coordinator set by hand; no amount or number is filled in for them."""
    from smallgrants.auth.models import Role

    create_user("coord@example.kz", roles=(Role.COORDINATOR,))
    context, page = _context(browser, "desktop")
    _sign_in(page, live_server, "coord@example.kz")
    page.goto(f"{live_server}/manage/competitions/new")
    assert page.locator("#grant_amount").input_value() == ""
    assert page.locator("#grant_count").input_value() == ""
    page.locator("#accepts_group").uncheck()  # by hand: stays as set
    page.locator("#accepts_group").check()
    page.locator("#entry_kind").select_option("video")
    assert page.locator("#award_kind").input_value() == "prize"
    assert page.locator("#accepts_individual").is_checked()
    assert not page.locator("#accepts_ngo").is_checked()
    assert page.locator("#accepts_group").is_checked()
    page.locator("#entry_kind").select_option("project")
    assert page.locator("#award_kind").input_value() == "grant"
    assert page.locator("#accepts_ngo").is_checked()
    assert not page.locator("#accepts_individual").is_checked()
    assert page.errors == []
    context.close()
