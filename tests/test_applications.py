"""Applicant profiles, drafts, budget, submission with gapless numbers, receipts, withdrawal."""

from __future__ import annotations

import io
import re
import threading
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select
from wtforms import Form

from smallgrants.applications import services
from smallgrants.applications.models import ApplicantProfile, Application, ApplicationStatus
from smallgrants.auth.models import User
from smallgrants.competitions.models import Competition
from smallgrants.core.forms import MoneyField
from smallgrants.core.timeutil import local_to_utc, to_local
from smallgrants.demo import demo_iin
from smallgrants.extensions import db
from tests.conftest import IIN_VALID, body_text


def _get(app, model, ident):
    with app.app_context():
        obj = db.session.get(model, ident)
        db.session.expunge(obj)
        return obj


# --- profiles ---------------------------------------------------------------------------


def test_group_profile_with_a_mistyped_iin_keeps_everything(app, client, auth, create_user):
    auth.as_user(create_user("a@example.kz"))
    data = {
        "name": "Жастар үні",
        "head_name": "Әлия Серікқызы",
        "leader_iin": "791028302729",
        "phone": "8 701 234 56 78",
        "members-0-full_name": "Әлия Серікқызы",
        "members-0-phone": "+7 747 111 22 33",
        "members-1-full_name": "Ерлан Бекұлы",
    }
    response = client.post("/profiles/new/group", data=data)
    assert response.status_code == 200
    assert "Бақылау цифры сәйкес келмейді: қате терілген цифрды іздеңіз." in response.text
    assert 'value="Әлия Серікқызы"' in response.text
    assert 'value="791028302729"' in response.text
    data["leader_iin"] = "7910 2830 2728"
    response = client.post("/profiles/new/group", data=data)
    assert response.status_code == 302
    with app.app_context():
        profile = db.session.scalars(select(ApplicantProfile)).one()
        assert (profile.leader_iin, profile.phone, profile.bin) == (IIN_VALID, "+77012345678", None)
        assert [(m.full_name, m.phone) for m in profile.members] == [
            ("Әлия Серікқызы", "+77471112233"),
            ("Ерлан Бекұлы", None),
        ]


@pytest.mark.parametrize(
    ("bin_", "message"),
    [
        ("94014000038", "12 цифр болуы керек."),
        ("940170000385", "5-ші және 6-шы цифрлар ұйымды білдірмейді."),
        ("940140000386", "Бақылау цифры сәйкес келмейді"),
    ],
)
def test_ngo_profile_bin_errors(client, auth, create_user, bin_, message):
    auth.as_user(create_user("a@example.kz"))
    response = client.post(
        "/profiles/new/ngo",
        data={"name": "Жарқын", "bin": bin_, "head_name": "Асқар", "phone": "+77012345678"},
    )
    assert response.status_code == 200
    assert message in response.text


def test_profile_of_someone_else_is_refused(app, client, auth, create_user, create_profile):
    owner = create_user("owner@example.kz")
    profile = create_profile(owner)
    auth.as_user(create_user("other@example.kz"))
    assert client.get(f"/profiles/{profile.id}/edit").status_code == 403


# --- drafts and budget ------------------------------------------------------------------


def test_applicant_starts_fills_and_sees_computed_totals(
    app, client, auth, create_user, create_profile, create_competition
):
    c = create_competition(published=True)
    user = create_user("a@example.kz")
    profile = create_profile(user)
    auth.as_user(user)
    page = client.get(f"/competitions/{c.id}").text
    assert 'data-testid="start-application"' in page
    response = client.post(f"/competitions/{c.id}/apply", data={"profile_id": profile.id})
    application_id = int(response.headers["Location"].split("/")[2])
    data = {
        "title": "Жастар акциясы",
        "district_code": "aksu",
        "settlement": "Жансүгіров",
        "budget-0-item": "Баннер",
        "budget-0-unit": "дана",
        "budget-0-quantity": "2",
        "budget-0-unit_cost": "50 000",
        "budget-1-item": "Кофе-брейк",
        "budget-1-quantity": "100",
        "budget-1-unit_cost": "1500",
        "budget-2-item": "Сыйлықтар",
        "budget-2-quantity": "",
        "budget-2-unit_cost": "10000",
    }
    response = client.post(f"/applications/{application_id}/edit", data=data)
    assert response.status_code == 200  # the third line has no quantity
    assert "Бұл өрісті толтыру міндетті." in response.text
    assert 'value="Сыйлықтар"' in response.text
    data["budget-2-quantity"] = "5"
    response = client.post(f"/applications/{application_id}/edit", data=data)
    assert response.status_code == 302
    view = client.get(f"/applications/{application_id}").text
    # 2 × 50 000 + 100 × 1 500 + 5 × 10 000 = 300 000
    assert 'data-testid="budget-total">300\u00a0000\u00a0₸</td>' in view
    assert 'data-testid="missing"' in view
    assert "2. Мәселе" in view
    assert 'data-testid="submit"' not in view


def _start(client, competition, profile) -> int:
    """Start an application through the page, as the applicant does; its id."""
    response = client.post(f"/competitions/{competition.id}/apply", data={"profile_id": profile.id})
    return int(response.headers["Location"].split("/")[2])


@pytest.mark.parametrize(
    ("quantity", "unit_cost", "message"),
    [
        ("9999999999999999999", "1", "Ең көбі 2\u00a0147\u00a0483\u00a0647."),
        ("2147483648", "1", "Ең көбі 2\u00a0147\u00a0483\u00a0647."),  # PostgreSQL's limit + 1
        ("1", "9 999 999 999 999 999 999", "Ең көбі 2\u00a0147\u00a0483\u00a0647."),
        ("²", "1", "Бүтін сан енгізіңіз."),
        ("1e3", "1", "Бүтін сан енгізіңіз."),
        ("1", "5²", "Теңгенің бүтін санын енгізіңіз, мысалы 300 000."),
        ("-5", "1", "Кемінде 1."),
    ],
)
def test_numbers_beyond_their_column_are_told_and_everything_typed_is_kept(
    app,
    client,
    auth,
    create_user,
    create_profile,
    create_competition,
    quantity,
    unit_cost,
    message,
):
    c = create_competition(published=True)
    user = create_user("a@example.kz")
    profile = create_profile(user)
    auth.as_user(user)
    application_id = _start(client, c, profile)
    data = {
        "title": "Жастар акциясы",
        "budget-0-item": "Баннер",
        "budget-0-quantity": quantity,
        "budget-0-unit_cost": unit_cost,
    }
    response = client.post(f"/applications/{application_id}/edit", data=data)
    assert response.status_code == 200
    assert message in response.text
    assert f'value="{quantity}"' in response.text
    assert f'value="{unit_cost}"' in response.text
    assert 'value="Жастар акциясы"' in response.text
    with app.app_context():
        assert db.session.get(Application, application_id).budget == []


def test_a_line_whose_product_passes_two_billion_is_summed_in_64_bits(
    app, client, auth, create_user, create_profile, create_competition
):
    """Each column fits, their product does not fit 32 bits: the registry and the view still
    add it up (PostgreSQL refused the 32-bit product)."""
    c = create_competition(published=True)
    user = create_user("a@example.kz")
    auth.as_user(user)
    application_id = _start(client, c, create_profile(user))
    data = {
        "title": "Жастар акциясы",
        "budget-0-item": "Баннер",
        "budget-0-quantity": "100000",
        "budget-0-unit_cost": "100 000",
    }
    assert client.post(f"/applications/{application_id}/edit", data=data).status_code == 302
    from smallgrants.applications import queries

    with app.app_context():
        amounts = queries.requested_amounts(c.id)
        total = db.session.execute(
            select(amounts.c.requested).where(amounts.c.application_id == application_id)
        ).scalar_one()
    assert total == 10_000_000_000
    view = client.get(f"/applications/{application_id}").text
    assert "10\u00a0000\u00a0000\u00a0000\u00a0₸" in view


def test_budget_over_the_grant_is_flagged_and_refused(
    app, client, auth, create_user, create_profile, create_competition, create_application
):
    c = create_competition(published=True)
    user = create_user("a@example.kz")
    application = create_application(user, c, create_profile(user), budget_total=300_100)
    auth.as_user(user)
    view = client.get(f"/applications/{application.id}").text
    assert "Бюджет грант сомасынан (300\u00a0000\u00a0₸) 100\u00a0₸ артық." in view
    response = client.post(f"/applications/{application.id}/submit", follow_redirects=True)
    assert "Бюджет грант сомасынан асып кетті." in response.text
    assert _get(app, Application, application.id).status == ApplicationStatus.DRAFT


# --- submission -------------------------------------------------------------------------


def test_submit_numbers_freezes_and_sends_a_receipt(
    app, client, auth, create_user, create_profile, create_competition, create_application, mailbox
):
    c = create_competition(published=True)
    user = create_user("a@example.kz", full_name="Дана")
    application = create_application(user, c, create_profile(user))
    auth.as_user(user)
    response = client.post(f"/applications/{application.id}/submit", follow_redirects=True)
    with app.app_context():
        number = f"SG-{to_local(c.opens_at).year}-001"
    assert _get(app, Application, application.id).number == number
    assert f"Өтінім жіберілді. Оның нөмірі — {number}" in response.text
    saved = _get(app, Application, application.id)
    assert saved.status == ApplicationStatus.SUBMITTED
    assert saved.seq == 1
    assert saved.snapshot["budget_total"] == 300_000
    assert saved.snapshot["profile"]["leader_iin"] == IIN_VALID
    assert len(saved.snapshot["profile"]["members"]) == 3
    [message] = mailbox.wait_for("a@example.kz")
    assert message["Subject"] == f"{number} өтінімі қабылданды"
    assert f"Тіркеу нөмірі: {number}" in body_text(message)
    # frozen: the draft form is gone
    assert client.get(f"/applications/{application.id}/edit").status_code == 403


def test_numbers_follow_the_competition_prefix_and_year(
    app, create_user, create_profile, create_competition, create_application
):
    c = create_competition(published=True, number_prefix="VC")
    user = create_user("a@example.kz")
    first = create_application(user, c, create_profile(user), submit=True)
    second = create_application(
        user, c, create_profile(user, leader_iin="061211600012"), submit=True
    )
    with app.app_context():
        year = to_local(c.opens_at).year
    assert (first.number, second.number) == (f"VC-{year}-001", f"VC-{year}-002")


def test_a_group_below_the_minimum_cannot_submit(
    app, client, auth, create_user, create_profile, create_competition, create_application
):
    c = create_competition(published=True, min_group_members=5)
    user = create_user("a@example.kz")
    application = create_application(user, c, create_profile(user, members=3))
    auth.as_user(user)
    response = client.post(f"/applications/{application.id}/submit", follow_redirects=True)
    assert "Бастамашыл топта кемінде 5 мүше болуы керек." in response.text


def test_the_same_leader_cannot_apply_twice(
    app, client, auth, create_user, create_profile, create_competition, create_application
):
    c = create_competition(published=True)
    first_user = create_user("a@example.kz")
    first = create_application(first_user, c, create_profile(first_user), submit=True)
    second_user = create_user("b@example.kz")
    second = create_application(second_user, c, create_profile(second_user))  # same IIN
    auth.as_user(second_user)
    response = client.post(f"/applications/{second.id}/submit", follow_redirects=True)
    assert (
        f"ЖСН {IIN_VALID} басқаратын топтың өтінімі бұл байқауда бар ({first.number})."
        in response.text
    )


def _at(app, application_id, moment, locale="kk"):
    with app.test_request_context(headers={"Accept-Language": locale}):
        application = db.session.get(Application, application_id)
        user = db.session.get(User, application.applicant_id)
        try:
            return services.submit(user, application, now=moment)
        except services.ApplicationError as error:
            return str(error.message)
        finally:
            db.session.rollback()


def test_window_is_enforced_to_the_second_in_almaty(
    app, create_user, create_profile, create_competition, create_application
):
    c = create_competition(published=True)
    user = create_user("a@example.kz")
    application = create_application(user, c, create_profile(user))
    with app.app_context():
        competition = db.session.get(Competition, c.id)
        competition.opens_at = datetime(2030, 8, 22, 19, 0, tzinfo=UTC)  # 23.08 00:00:00
        competition.closes_at = datetime(2030, 9, 30, 18, 59, 59, tzinfo=UTC)  # 30.09 23:59:59
        db.session.commit()
    not_yet = "Қазір өтінімдер қабылданбайды."
    late = (
        "Өтінім қабылдау мерзімі — 30.09.2030, 23:59 (Алматы уақытымен) — өтіп кетті: "
        "өтінімдер енді қабылданбайды."
    )
    assert _at(app, application.id, datetime(2030, 8, 22, 18, 59, 59, tzinfo=UTC)) == not_yet
    assert _at(app, application.id, datetime(2030, 8, 22, 19, 0, tzinfo=UTC)) == "SG-2030-001"
    assert _at(app, application.id, datetime(2030, 9, 30, 18, 59, 59, tzinfo=UTC)) == (
        "SG-2030-001"
    )
    assert _at(app, application.id, datetime(2030, 9, 30, 19, 0, 0, tzinfo=UTC)) == late


@pytest.mark.parametrize(
    ("almaty", "expected"),
    [
        # the last millisecond and microsecond of the closing minute still count
        (datetime(2030, 9, 30, 23, 59, 59, 999000), "SG-2030-001"),
        (datetime(2030, 9, 30, 23, 59, 59, 999999), "SG-2030-001"),
        (datetime(2030, 10, 1, 0, 0, 0), "late"),
    ],
)
def test_the_deadlines_last_second_counts(
    app,
    monkeypatch,
    create_user,
    create_profile,
    create_competition,
    create_application,
    almaty,
    expected,
):
    """A window typed as closing at 23:59 Almaty, with the server's clock in UTC."""
    import time

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    c = create_competition(published=True)
    user = create_user("a@example.kz")
    application = create_application(user, c, create_profile(user))
    with app.test_request_context():
        competition = db.session.get(Competition, c.id)
        competition.opens_at = local_to_utc(datetime(2030, 8, 23, 0, 0))
        # what the form stores for "30.09.2030 23:59" (LocalDateTimeField, end of minute)
        competition.closes_at = local_to_utc(datetime(2030, 9, 30, 23, 59, 59))
        db.session.commit()
        assert competition.closes_at == datetime(2030, 9, 30, 18, 59, 59, tzinfo=UTC)
        moment = local_to_utc(almaty)
    messages = {
        "kk": "Өтінім қабылдау мерзімі — 30.09.2030, 23:59 (Алматы уақытымен) — өтіп кетті: "
        "өтінімдер енді қабылданбайды.",
        "ru": "Срок подачи — 30.09.2030, 23:59 (по времени Алматы) — истёк: заявки больше не "
        "принимаются.",
        "en": "The deadline, 30 Sep 2030, 23:59 (Almaty time), has passed: applications are "
        "no longer accepted.",
    }
    for locale, late in messages.items():
        found = _at(app, application.id, moment, locale)
        assert found == (late if expected == "late" else expected), locale
    monkeypatch.undo()
    time.tzset()


def test_withdraw_frees_the_applicant_and_never_reuses_a_number(
    app, client, auth, create_user, create_profile, create_competition, create_application
):
    c = create_competition(published=True)
    user = create_user("a@example.kz")
    profile = create_profile(user)
    first = create_application(user, c, profile, submit=True)
    auth.as_user(user)
    response = client.post(f"/applications/{first.id}/withdraw", follow_redirects=True)
    assert "Өтінім кері қайтарылды." in response.text
    assert _get(app, Application, first.id).status == ApplicationStatus.WITHDRAWN
    again = create_application(user, c, profile, submit=True)
    assert again.seq == 2
    assert again.number.endswith("-002")


def test_withdraw_after_the_deadline_is_refused(
    app, create_user, create_profile, create_competition, create_application
):
    c = create_competition(published=True)
    user = create_user("a@example.kz")
    application = create_application(user, c, create_profile(user), submit=True)
    with app.test_request_context():
        a = db.session.get(Application, application.id)
        with pytest.raises(services.ApplicationError) as error:
            services.withdraw(
                db.session.get(User, user.id), a, now=a.competition.closes_at + timedelta(seconds=1)
            )
    assert str(error.value) == ("Мерзім өтіп кетті: өтінімді енді кері қайтаруға болмайды.")


@pytest.mark.real_commits  # threads on connections of their own
def test_concurrent_submissions_get_gapless_unique_numbers(
    app, create_user, create_profile, create_competition, create_application
):
    c = create_competition(published=True)
    iins = ["791028302728", "061211600012"]
    ids = []
    for n, iin in enumerate(iins * 4):
        user = create_user(f"u{n}@example.kz")
        profile = create_profile(user, leader_iin=iin if n < 2 else demo_iin(n))
        ids.append(create_application(user, c, profile).id)
    barrier = threading.Barrier(len(ids))
    numbers, errors = [], []

    def worker(application_id):
        with app.test_request_context(method="POST"):  # as the form posts it
            # all at once, before any of them reads (on SQLite the first read takes the lock)
            barrier.wait()
            application = db.session.get(Application, application_id)
            user = db.session.get(User, application.applicant_id)
            try:
                numbers.append(services.submit(user, application))
                db.session.commit()
            except Exception as exc:  # collected and asserted below
                errors.append(repr(exc))
                db.session.rollback()

    threads = [threading.Thread(target=worker, args=(i,)) for i in ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    assert sorted(int(n.rsplit("-", 1)[1]) for n in numbers) == list(range(1, len(ids) + 1))


# --- properties -------------------------------------------------------------------------


@given(st.lists(st.tuples(st.integers(1, 10_000), st.integers(0, 1_000_000)), max_size=20))
def test_budget_total_is_the_sum_of_quantity_times_cost(lines):
    from smallgrants.applications.models import BudgetLine

    application = Application(
        budget=[BudgetLine(item="x", quantity=q, unit_cost=c) for q, c in lines]
    )
    assert services.budget_total(application) == sum(q * c for q, c in lines)


@given(st.integers(0, 10**12), st.sampled_from(["{:,}", "{:_}", "{}", "{} ₸", "{},00"]))
def test_money_field_reads_what_people_type(value, pattern):
    text = pattern.format(value).replace(",", " ").replace("_", "\u00a0")
    if pattern == "{},00":
        text = f"{value},00"

    class F(Form):
        amount = MoneyField()

    form = F()
    form.amount.process_formdata([text])
    assert form.amount.data == value


def test_submitted_application_downloads_as_docx(
    app, client, auth, create_user, create_profile, create_competition, create_application
):
    from io import BytesIO

    from docx import Document

    c = create_competition(published=True)
    user = create_user("a@example.kz")
    application = create_application(user, c, create_profile(user), submit=True)
    auth.as_user(user)
    response = client.get(f"/applications/{application.id}.docx")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == (
        f"attachment; filename={application.number}.docx"
    )
    doc = Document(BytesIO(response.data))
    assert doc.paragraphs[0].text == f"{application.number} өтінімі"
    texts = [p.text for p in doc.paragraphs]
    assert "Жобаның атауы: Синтетикалық есірткіге қарсы жастар акциясы" in texts
    assert "Аудан: Ақсу ауданы, Жансүгіров ауылы" in texts
    applicant = [[c.text for c in row.cells] for row in doc.tables[0].rows]
    assert applicant[1] == ["Өтініш беруші түрі", "Бастамашыл топ"]
    assert applicant[3] == ["Топ жетекшісі (аты-жөні)", "Асқар Бекұлы"]
    assert applicant[4] == ["Жетекшінің ЖСН", IIN_VALID]
    budget = next(t for t in doc.tables if t.rows[0].cells[1].text == "Шығыс бабы")
    rows = [[c.text for c in row.cells] for row in budget.rows]
    assert rows[1] == ["1", "Баннер", "дана", "2", "50\u00a0000\u00a0₸", "100\u00a0000\u00a0₸"]
    assert rows[-1] == ["", "Барлығы", "", "", "", "300\u00a0000\u00a0₸"]


def test_video_contest_entries_are_links(
    app, client, auth, create_user, create_profile, create_competition, create_application
):
    from smallgrants.competitions.models import AwardKind, EntryKind
    from tests.conftest import TINY_PDF

    c = create_competition(
        published=True,
        entry_kind=EntryKind.VIDEO,
        award_kind=AwardKind.PRIZE,
        grant_amount=200_000,
        grant_count=5,
        number_prefix="VC",
    )
    user = create_user("a@example.kz")
    application = create_application(user, c, create_profile(user), complete=False)
    auth.as_user(user)
    form = client.get(f"/applications/{application.id}/edit").text
    assert "Жүлде — 200\u00a0000\u00a0₸ дейін." in form
    assert 'name="budget-0-item"' not in form
    data = {
        "title": "Денсаулықты сақта",
        "district_code": "aksu",
        "settlement": "Жансүгіров",
        "video_url": "youtube",
        "problem": "Жастарға арналған ролик",
        "team": "Екі адам",
    }
    response = client.post(f"/applications/{application.id}/edit", data=data)
    assert response.status_code == 200
    assert "https:// деп басталатын сілтеме енгізіңіз." in response.text
    data["video_url"] = "https://www.youtube.com/watch?v=abc123"
    assert client.post(f"/applications/{application.id}/edit", data=data).status_code == 302
    with app.app_context():
        a = db.session.get(Application, application.id)
        assert services.missing_sections(a) == ["attachments"]
        item_id = a.competition.checklist[0].id
    client.post(
        f"/applications/{application.id}/attachments",
        data={"file": (io.BytesIO(TINY_PDF), "id.pdf"), "checklist_item_id": item_id},
        content_type="multipart/form-data",
    )
    client.post(f"/applications/{application.id}/submit")
    saved = _get(app, Application, application.id)
    assert saved.status == ApplicationStatus.SUBMITTED
    assert saved.number.startswith("VC-")
    assert saved.snapshot["video_url"] == "https://www.youtube.com/watch?v=abc123"
    view = client.get(f"/applications/{application.id}").text
    assert 'href="https://www.youtube.com/watch?v=abc123"' in view


def test_the_district_list_follows_the_competition_and_the_server_refuses_others(
    app, client, auth, create_user, create_competition, create_profile, create_application
):
    from smallgrants.competitions.models import Competition, CompetitionDistrict

    competition = create_competition(published=True)
    with app.app_context():
        stored = db.session.get(Competition, competition.id)
        db.session.execute(
            db.delete(CompetitionDistrict).where(
                CompetitionDistrict.competition_id == competition.id
            )
        )
        db.session.add_all(
            CompetitionDistrict(competition_id=competition.id, district_code=code)
            for code in ("taldykorgan", "tekeli")
        )
        db.session.commit()
        db.session.refresh(stored)
        assert [d.code for d in stored.eligible_districts] == ["taldykorgan", "tekeli"]
    user = create_user("a@example.kz")
    application = create_application(user, competition, create_profile(user), complete=False)
    auth.as_user(user)
    form = client.get(f"/applications/{application.id}/edit").text
    offered = re.findall(r'<option value="([a-z_]+)"', form.split('id="district_code"', 1)[1])
    assert offered[:2] == ["taldykorgan", "tekeli"]
    assert "aksu" not in offered
    response = client.post(
        f"/applications/{application.id}/edit",
        data={"title": "Жоба", "district_code": "aksu", "action": "save"},
    )
    assert response.status_code == 200
    with app.app_context():
        assert db.session.get(Application, application.id).district_code == ""


def test_start_again_opens_the_draft_and_after_submitting_is_not_offered(
    app, client, auth, create_user, create_competition, create_profile, create_application
):
    competition = create_competition(published=True)
    user = create_user("a@example.kz")
    profile = create_profile(user)
    auth.as_user(user)
    first = client.post(f"/competitions/{competition.id}/apply", data={"profile_id": profile.id})
    again = client.post(f"/competitions/{competition.id}/apply", data={"profile_id": profile.id})
    assert first.status_code == again.status_code == 302
    assert first.headers["Location"] == again.headers["Location"]
    with app.app_context():
        assert (
            db.session.scalar(
                db.select(db.func.count(Application.id)).where(Application.applicant_id == user.id)
            )
            == 1
        )
    page = client.get(f"/competitions/{competition.id}").text
    assert 'data-testid="start-application"' not in page  # the draft is listed instead


def test_the_whole_application_is_on_every_page_that_judges_it(
    app, client, auth, create_commission_case
):
    """The owner's, the coordinator's and the scoring member's pages show the plan, the
    results, sustainability and team, the budget and its total; the member's page shows no
    IIN, phone or e-mail."""
    from smallgrants.demo import demo_iin
    from tests.test_commission import _declare

    case = create_commission_case(1)
    [application_id] = case.application_ids
    expected = [
        "Жастар арасында синтетикалық есірткі таралып барады.",
        "Жастардың хабардарлығын арттыру.",
        "1. Тренинг. 2. Акция.",
        "14–29 жастағы жастар",
        "Тренинг",
        "2023 қыркүйек",
        "Жастар хабардар",
        "Волонтерлер клубы жұмысын жалғастырады.",
        "Үш волонтер.",
        "Баннер",
        'data-testid="budget-total">300\u00a0000\u00a0₸<',
        "Ақсу ауданы, Жансүгіров ауылы",
    ]
    auth.as_user(case.chair)
    assert _declare(client, application_id).status_code == 302
    pages = {"member": client.get(f"/commission/applications/{application_id}").text}
    auth.as_user(case.coordinator)
    pages["coordinator"] = client.get(f"/applications/{application_id}").text
    with app.app_context():
        owner = db.session.get(Application, application_id).applicant
    auth.as_user(owner)
    pages["owner"] = client.get(f"/applications/{application_id}").text
    for who, page in pages.items():
        missing = [text for text in expected if text not in page]
        assert missing == [], who
    for secret in (demo_iin(1), "+77012345678", "group@example.kz", "+7 701 234"):
        assert secret not in pages["member"]
    # the coordinator goes back to the registry, the owner to their applications
    assert (
        f'href="/manage/competitions/{case.competition_id}/applications">←'
        in (pages["coordinator"])
    )
    assert 'href="/applications">←' in pages["owner"]


def test_a_group_profile_has_its_leader_and_any_number_of_members(app, client, auth, create_user):
    from smallgrants.applications.models import ApplicantProfile

    user = create_user("a@example.kz")
    auth.as_user(user)
    data = {
        "name": "«Жас толқын» тобы",
        "leader_iin": "791028302728",
        "phone": "+7 701 234 5678",
        "members-0-full_name": "Дана",
        "members-1-full_name": "Әлия",
        "members-2-full_name": "Тимур",
    }
    # without the leader's name: refused, every value kept
    refused = client.post("/profiles/new/group", data=data)
    assert refused.status_code == 200
    assert "Group leader" not in refused.text  # the label is translated
    assert 'value="«Жас толқын» тобы"' in refused.text and 'value="Тимур"' in refused.text
    # one more row, no JavaScript: the typed rows stay, a fourth empty one appears
    more = client.post("/profiles/new/group", data={**data, "add_member": "1"})
    assert more.status_code == 200
    assert 'name="members-3-full_name"' in more.text
    assert 'value="Әлия"' in more.text
    saved = client.post(
        "/profiles/new/group",
        data={
            **data,
            "head_name": "Дана Жұмабаева",
            "members-3-full_name": "Ерлан",
            "members-4-full_name": "Гүлнар",
        },
    )
    assert saved.status_code == 302
    with app.app_context():
        profile = db.session.scalars(
            db.select(ApplicantProfile).where(ApplicantProfile.owner_id == user.id)
        ).one()
        assert profile.head_name == "Дана Жұмабаева"
        assert [m.full_name for m in profile.members] == [
            "Дана",
            "Әлия",
            "Тимур",
            "Ерлан",
            "Гүлнар",
        ]


def test_the_district_list_is_cities_first_then_the_reader_s_alphabet(
    client, auth, create_user, create_competition, create_profile, create_application
):
    import re

    user = create_user("d@example.kz")
    competition = create_competition(published=True, district_codes=[])  # the whole region
    application = create_application(user, competition, create_profile(user))
    auth.as_user(user)

    def options(language):
        with client.session_transaction() as session:
            session["locale"] = language
        page = client.get(f"/applications/{application.id}/edit").text
        select = re.search(r'<select[^>]*name="district_code"[^>]*>(.*?)</select>', page, re.S)
        return re.findall(r'<option[^>]*value="\w+"[^>]*>([^<]*)</option>', select.group(1))

    assert options("kk") == [
        "Талдықорған қ.",
        "Текелі қ.",
        "Ақсу ауданы",
        "Алакөл ауданы",
        "Ескелді ауданы",
        "Кербұлақ ауданы",
        "Көксу ауданы",
        "Қаратал ауданы",  # Қ after К, not among them as in a byte order
        "Панфилов ауданы",
        "Сарқан ауданы",
    ]
    assert options("ru")[:4] == [
        "г. Талдыкорган",
        "г. Текели",
        "Аксуский район",
        "Алакольский район",
    ]


def test_a_region_without_a_district_list_asks_for_no_district(
    app, create_user, create_competition, create_profile, create_application
):
    """Only Zhetisu and Turkistan oblasts have their districts in `core.geography`: in another
    region the form offers none, so the application is complete without one."""
    from dataclasses import replace

    from tests.conftest import complete_application_input

    elsewhere = create_competition(region_code="KZ-19", district_codes=[])
    zhetisu = create_competition(district_codes=[])
    user = create_user("a@example.kz")
    profile = create_profile(user)
    with app.test_request_context():
        found = {}
        for competition in (elsewhere, zhetisu):
            application = create_application(user, competition, profile, complete=False)
            a = db.session.get(Application, application.id)
            services.save_draft(
                db.session.get(type(user), user.id),
                a,
                replace(complete_application_input(), district_code=""),
            )
            found[competition.region_code] = "general" in services.missing_sections(a)
    assert found == {"KZ-19": False, "KZ-33": True}
