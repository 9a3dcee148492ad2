"""A person in real Chromium (Debian's /usr/bin/chromium, driven by Playwright), on a phone
and on a desktop: register → confirm the e-mail from the SMTP server → sign in → switch to
Russian → sign out. Skips when Chromium is missing, unless REQUIRE_BROWSER=1."""

from __future__ import annotations

import os
import re
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.conftest import body_text

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

pytestmark = pytest.mark.browser


def _require_browser():
    if os.path.exists(CHROMIUM) or shutil.which(CHROMIUM):
        return
    message = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(message + " and REQUIRE_BROWSER=1")
    pytest.skip(message)


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


@pytest.fixture
def live_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(params=sorted(VIEWPORTS))
def page(request, browser, live_server):
    """A fresh browser tab; closed before the live server stops."""
    context = browser.new_context(locale="kk-KZ", **VIEWPORTS[request.param])
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.viewport_name = request.param
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    yield page
    context.close()
    assert errors == [], f"browser console errors: {errors}"


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{page.viewport_name}-{name}.png"), full_page=True)


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
    page.get_by_role("button", name="Тіркелгі жасау").click()
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
    assert page.locator("[data-role=applicant]").is_visible()
    _shot(page, "03-signed-in")

    # Switch to Russian: the page and the next ones are in Russian
    page.get_by_test_id("lang-ru").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Малые гранты"
    assert page.locator("html").get_attribute("lang") == "ru"
    _open_menu_if_collapsed(page)
    page.get_by_test_id("nav-profile").click()
    assert page.locator("h1").inner_text() == "Профиль"
    assert page.get_by_label("Предпочитаемый язык").input_value() == "ru"
    _shot(page, "04-profile-ru")

    # Sign out
    _open_menu_if_collapsed(page)
    page.get_by_test_id("logout").click()
    page.wait_for_url(live_server + "/")
    assert "Вы вышли из системы." in page.inner_text("main")
    page.goto(live_server + "/account/profile")
    assert page.url.startswith(live_server + "/auth/login")
