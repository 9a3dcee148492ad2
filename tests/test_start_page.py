"""The start page per role (issue 16): what needs the person now, each item counted by a
query — the applicant's drafts with their deadline, the grantee's reports, the member's
applications to score, the coordinator's screening, questions, next commission step,
reviews and undelivered e-mail — and, for everyone, the competitions open now."""

from __future__ import annotations

import re

from smallgrants.auth.models import Role
from smallgrants.competitions import services as competition_services
from smallgrants.extensions import db


def _items(html: str, testid: str) -> list[str]:
    return [
        re.sub(r"\s+", " ", m).strip()
        for m in re.findall(rf'data-testid="{testid}">\s*<a href="[^"]+">([^<]+)</a>', html)
    ]


def test_a_visitor_sees_the_competitions_open_now(client, create_competition):
    open_now = create_competition(published=True)
    create_competition(published=True, opens_in_days=5, closes_in_days=20)
    page = client.get("/").text
    assert f'href="/competitions/{open_now.id}"' in page
    assert '<h2 class="h6">Жақында</h2>' in page
    assert 'data-testid="needs-you"' not in page


def test_the_applicant_sees_their_draft_and_its_deadline(
    client, auth, create_user, create_competition, create_profile, create_application
):
    user = create_user("a@example.kz")
    competition = create_competition(published=True)
    create_application(user, competition, create_profile(user), complete=False)
    auth.as_user(user)
    page = client.get("/").text
    assert _items(page, "todo-draft") == ["«Атаусыз» өтініміңізді толтырып, жіберіңіз"]


def test_the_member_and_the_coordinator_see_their_work(app, client, auth, create_commission_case):
    case = create_commission_case(2)
    auth.as_user(case.chair)
    assert _items(client.get("/").text, "todo-scoring") == ["2 өтінімді мәлімдеп, бағалаңыз"]
    auth.as_user(case.coordinator)
    page = client.get("/").text
    assert _items(page, "todo-commission-scoring") == [
        "Бағалауды қадағалаңыз: кейбір парақтар әлі түскен жоқ"
    ]
    assert _items(page, "todo-screening") == []  # all admitted already


def test_the_coordinator_sees_questions_and_screening(
    app, client, auth, create_user, create_competition, create_profile, create_application
):
    coordinator = create_user("c@example.kz", roles=(Role.COORDINATOR,))
    competition = create_competition(published=True)
    for i in range(3):
        owner = create_user(f"a{i}@example.kz")
        from smallgrants.demo import demo_iin

        create_application(
            owner, competition, create_profile(owner, leader_iin=demo_iin(i + 1)), submit=True
        )
    with app.test_request_context():
        from smallgrants.auth.models import User
        from smallgrants.competitions.models import Competition

        asker = db.session.get(User, create_user("q@example.kz").id)
        competition_services.ask_question(
            asker, db.session.get(Competition, competition.id), "Кім қатыса алады?"
        )
        db.session.commit()
    auth.as_user(coordinator)
    page = client.get("/").text
    assert _items(page, "todo-screening") == ["Жіберілген 3 өтінімді іріктеңіз"]
    assert _items(page, "todo-questions") == ["1 сұраққа жауап беріңіз"]


def test_the_coordinator_sees_the_tranches_due_for_payment(app, client, auth, create_grant_case):
    """Two grants of 50 % on the agreement and 50 % against the interim report: the first
    tranches are due at once; paying one in full leaves one; the second waits for the report."""
    from datetime import date

    from smallgrants.grants import services as grant_services
    from smallgrants.grants.models import Grant

    case = create_grant_case(2, tranches=[(50, "on_agreement"), (50, "interim_accepted")])
    auth.as_user(case.coordinator)
    assert _items(client.get("/").text, "todo-payments") == ["Төлеуге тиіс транштар: 2"]
    with app.test_request_context():
        from smallgrants.auth.models import User

        coordinator = db.session.get(User, case.coordinator.id)
        first = db.session.get(Grant, case.grant_ids[0])
        grant_services.record_payment(
            coordinator, first, grant_services.PaymentInput(1, date(2026, 12, 1), 100_000, "ПП-1")
        )
        db.session.commit()
    assert _items(client.get("/").text, "todo-payments") == ["Төлеуге тиіс транштар: 2"]
    with app.test_request_context():
        coordinator = db.session.get(User, case.coordinator.id)
        first = db.session.get(Grant, case.grant_ids[0])
        grant_services.record_payment(
            coordinator, first, grant_services.PaymentInput(1, date(2026, 12, 1), 50_000, "ПП-2")
        )
        db.session.commit()
    page = client.get("/").text
    assert _items(page, "todo-payments") == ["Төлеуге тиіс транштар: 1"]
    assert f'href="/manage/competitions/{case.competition_id}/grants"' in page
    auth.as_user(case.commission.chair)  # not a coordinator: no payments
    assert 'data-testid="todo-payments"' not in client.get("/").text


def test_the_coordinator_sees_overdue_reports(app, client, auth, create_grant_case):
    """The interim period's due date moved a day back: both grantees' interim reports are
    overdue; one submitted is no longer counted."""
    from datetime import timedelta

    from smallgrants.core.timeutil import utcnow
    from smallgrants.grants.models import ReportPeriod

    case = create_grant_case(2)
    auth.as_user(case.coordinator)
    assert 'data-testid="todo-overdue"' not in client.get("/").text
    with app.app_context():
        db.session.get(ReportPeriod, case.period_ids[0]).due_at = utcnow() - timedelta(days=1)
        db.session.commit()
    page = client.get("/").text
    assert _items(page, "todo-overdue") == ["Мерзімі өткен есептер: 2"]
    assert f'href="/manage/competitions/{case.competition_id}/monitoring"' in page
    interim = case.reports[case.grant_ids[0]][0]
    auth.as_user(_grantee(app, case.grantee_ids[0]))
    from tests.test_grants import event_form

    assert client.post(f"/reports/{interim}/events/new", data=event_form()).status_code == 302
    client.post(f"/reports/{interim}/narrative", data={"results": "Өтті"})
    assert client.post(f"/reports/{interim}/submit").status_code == 302
    auth.as_user(case.coordinator)
    assert _items(client.get("/").text, "todo-overdue") == ["Мерзімі өткен есептер: 1"]


def _grantee(app, user_id):
    from smallgrants.auth.models import User

    with app.app_context():
        return db.session.get(User, user_id)
