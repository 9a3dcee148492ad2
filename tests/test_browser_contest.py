"""A video contest for individuals, the whole way in real Chromium (issue 17): a young person
on a phone enters as themselves with an Instagram link (another site refused, nothing typed
lost); the chair scores it seeing the link; the coordinator on a desktop closes scoring,
holds the meeting, awards five prizes of 200 000 ₸ and is refused a sixth, signs, publishes
(the results say prizes), records each prize's payment; the final report's row for the
contest is computed and every one of its checks passes."""

from __future__ import annotations

import re

import pytest

from tests import test_browser
from tests.test_browser import _context, _shot, _sign_in

browser = test_browser.browser  # the session's Chromium and a live server, as fixtures here
live_server = test_browser.live_server

pytestmark = [pytest.mark.browser, pytest.mark.real_commits]


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
        desk.get_by_test_id(f"decide-{n}").click()
        desk.get_by_text(f"{n} бойынша шешім жазылды.").wait_for()
    desk.get_by_test_id(f"decide-{numbers[5]}").click()
    desk.get_by_text("5 жүлденің бәрі берілді.").wait_for()
    sixth = desk.locator(f'[data-application="{numbers[5]}"]')
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
