"""Conflicts of interest that nobody declares: a member of the commission who is the applicant
(or in the applicant group) is conflicted on that application by construction — refused on
the declaration, the sheet and the scores, left out of lists, quorums and assignments, and
listed as a recusal in the protocol. Runs on SQLite and on PostgreSQL alike."""

from __future__ import annotations

import io
from types import SimpleNamespace

import pytest
from docx import Document

from smallgrants.applications.models import ApplicantProfile, Application, GroupMember
from smallgrants.auth.models import Role, User
from smallgrants.commission import conflicts, queries
from smallgrants.commission import services as commission_services
from smallgrants.commission.models import Commission, CommissionMember, CommissionRole
from smallgrants.competitions.models import Competition
from smallgrants.extensions import db
from tests.test_commission import _close_scoring, _declare, _meeting, _score_all, _sheet


def _seat(app, coordinator, competition_id: int, user, role=CommissionRole.MEMBER) -> int:
    with app.test_request_context():
        commission = commission_services.commission_of(db.session.get(Competition, competition_id))
        seat = commission_services.add_member(
            db.session.get(User, coordinator.id),
            commission,
            email=user.email,
            full_name=user.full_name,
            job_title="",
            role=role,
            voting=True,
        )
        db.session.commit()
        return seat.id


@pytest.fixture
def self_case(app, create_commission_case, create_user):
    """Two admitted applications; the applicant of the first is seated as a fourth member."""
    case = create_commission_case(2)
    with app.app_context():
        applicant = db.session.get(User, case.applicant_ids[0])
    seat_id = _seat(app, case.coordinator, case.competition_id, applicant)
    return case, applicant, seat_id


def _number(app, application_id: int) -> str:
    with app.app_context():
        return db.session.get(Application, application_id).number


def test_self_review_applicant_is_refused_everywhere(app, client, auth, self_case):
    case, applicant, seat_id = self_case
    own, other = case.application_ids
    auth.as_user(applicant)
    listing = client.get(f"/commission/competitions/{case.competition_id}")
    assert listing.status_code == 200
    assert _number(app, other) in listing.text
    assert _number(app, own) not in listing.text
    assert client.get(f"/commission/applications/{own}").status_code == 403
    assert _declare(client, own).status_code == 403
    assert _sheet(client, app, case, own, (10, 5)).status_code == 403
    # the other application is theirs to score as usual
    assert _declare(client, other).status_code == 302
    assert _sheet(client, app, case, other, (8, 4)).status_code == 302

    # and behind the pages, the services refuse the same
    with app.test_request_context(method="POST"):
        actor = db.session.get(User, applicant.id)
        seat = db.session.get(CommissionMember, seat_id)
        application = db.session.get(Application, own)
        with pytest.raises(commission_services.CommissionError) as refused:
            commission_services.declare(actor, seat, application, conflict=False)
        assert str(refused.value.message) == (
            "App 0 өтініш беруші немесе оның тобында: мүдделер қақтығысы өзінен-өзі тіркелген."
        )
        with pytest.raises(commission_services.CommissionError):
            commission_services.save_sheet(
                actor,
                seat,
                application,
                {c.id: 1 for c in application.competition.criteria},
                "",
                submit=True,
            )
        db.session.rollback()


def test_self_review_is_a_recusal_in_progress_quorum_and_protocol(app, client, auth, self_case):
    case, _applicant, seat_id = self_case
    own, other = case.application_ids
    _score_all(client, auth, app, case, {"chair": [(8, 4), (6, 3)]})
    _close_scoring(client, auth, case)
    modes = {"chair": "in_person", "secretary": "online", "member": "online"}
    data_modes = {f"mode-{seat_id}": "in_person"}
    assert _meeting(client, case, modes).status_code == 302
    response = client.post(
        f"/manage/competitions/{case.competition_id}/meeting",
        data={
            "number": "2",
            "held_at": "2023-09-20T15:00",
            "online_link": "https://zoom.us/j/123",
            **{f"mode-{case.member_ids[r]}": m for r, m in modes.items()},
            **data_modes,
        },
    )
    assert response.status_code == 302
    with app.test_request_context():
        commission = db.session.get(Commission, case.competition_id)
        assert conflicts.conflicted_seats(case.competition_id) == {own: {seat_id}}
        assert [
            (r.member_id, r.application_id, r.ground)
            for r in conflicts.recusals(case.competition_id)
        ] == [(seat_id, own, conflicts.BUILT_IN)]
        # four voting members present; on their own application the applicant is not counted
        assert commission_services.quorum_for(commission).total == 4
        assert (
            commission_services.quorum_for(
                commission, conflicts.conflicted_member_ids(case.competition_id, own)
            ).total
            == 3
        )
        cells = queries.progress(commission).cells
        assert cells[(seat_id, own)] == "conflict"
        assert cells[(seat_id, other)] == "undeclared"
        rows = {r.application.id: r for r in queries.ranking(commission)}
        assert [m.id for m in rows[own].recused] == [seat_id]
        assert rows[other].recused == []

    page = client.get(f"/manage/competitions/{case.competition_id}/meeting").text
    assert "App 0" in page.split(_number(app, own), 1)[1].split(_number(app, other), 1)[0]

    docx = client.get(f"/manage/competitions/{case.competition_id}/meeting/protocol.docx?lang=ru")
    assert docx.status_code == 200
    tables = Document(io.BytesIO(docx.data)).tables
    recusal_rows = [
        [cell.text for cell in row.cells]
        for table in tables
        if [c.text for c in table.rows[0].cells] == ["Член", "Заявка", "Основание"]
        for row in table.rows[1:]
    ]
    assert recusal_rows == [
        [
            "App 0",
            _number(app, own),
            "Является заявителем или входит в его группу (встроенный конфликт)",
        ]
    ]


def _built_in(app, application_id: int, seat_id: int) -> bool:
    with app.app_context():
        return conflicts.is_built_in(db.session.get(CommissionMember, seat_id), application_id)


@pytest.mark.parametrize(
    "link",
    ["account", "profile_email", "group_member_email", "same_leader_iin", "same_bin", "nobody"],
)
def test_built_in_conflict_rules(
    app, link, create_user, create_competition, create_profile, create_application
):
    """Each way of being the applicant makes the conflict; an unrelated member has none."""
    coordinator = create_user("coord@example.kz", roles=(Role.COORDINATOR,))
    competition = create_competition(published=True)
    owner = create_user("owner@example.kz", full_name="Owner")
    kind = "ngo" if link == "same_bin" else "group"
    profile = create_profile(owner, kind=kind)
    application = create_application(owner, competition, profile, submit=True)
    person = owner if link == "account" else create_user("person@example.kz", full_name="P")
    with app.app_context():
        stored = db.session.get(ApplicantProfile, profile.id)
        if link == "profile_email":
            stored.email = "Person@Example.kz"
        elif link == "group_member_email":
            db.session.add(
                GroupMember(
                    profile_id=profile.id, position=9, full_name="P", email="person@example.kz"
                )
            )
        db.session.commit()
    if link in ("same_leader_iin", "same_bin"):
        create_profile(person, kind=kind)  # the same IIN / BIN on a profile of their own
    seat_id = _seat(app, coordinator, competition.id, person)
    assert _built_in(app, application.id, seat_id) is (link != "nobody")
    # the same answer from the one condition every list filters with
    with app.app_context():
        seat = db.session.get(CommissionMember, seat_id)
        assert conflicts.is_conflicted(seat, application.id) is (link != "nobody")


def test_group_member_email_from_the_profile_form_makes_the_conflict(
    app, client, auth, create_user, create_competition, create_application
):
    """Typed on the group's profile page (in capitals), the e-mail of a member is matched."""
    owner = create_user("leader@example.kz", full_name="Leader")
    auth.as_user(owner)
    response = client.post(
        "/profiles/new/group",
        data={
            "name": "«Жастар» тобы",
            "head_name": "Leader",
            "leader_iin": "791028302728",
            "phone": "+7 701 234 5678",
            "members-0-full_name": "Leader",
            "members-1-full_name": "Сәуле",
            "members-1-email": "SAULE@example.kz",
            "members-2-full_name": "Бауыржан",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        profile = db.session.scalars(
            db.select(ApplicantProfile).where(ApplicantProfile.owner_id == owner.id)
        ).one()
        assert [(m.full_name, m.email) for m in profile.members] == [
            ("Leader", ""),
            ("Сәуле", "saule@example.kz"),
            ("Бауыржан", ""),
        ]
        stored = SimpleNamespace(id=profile.id)
    competition = create_competition(published=True)
    application = create_application(owner, competition, stored, submit=True)
    coordinator = create_user("coord@example.kz", roles=(Role.COORDINATOR,))
    saule = create_user("saule@example.kz", full_name="Сәуле")
    seat_id = _seat(app, coordinator, competition.id, saule)
    assert _built_in(app, application.id, seat_id) is True
