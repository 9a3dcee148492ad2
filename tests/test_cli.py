"""`flask users …` and `flask demo load`."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import func, select

from smallgrants.applications.models import Application
from smallgrants.auth.models import User
from smallgrants.commission import queries
from smallgrants.commission.models import Commission
from smallgrants.competitions.models import Competition
from smallgrants.core import uploads
from smallgrants.demo import CONTEST_ENTRANTS, DEMO_USERS
from smallgrants.demo_programme import SECOND_APPLICATIONS
from smallgrants.extensions import db

# commands commit as they do from a shell
pytestmark = pytest.mark.real_commits


def test_users_create_grant_revoke(app, runner):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "coord@example.kz",
            "--role",
            "coordinator",
            "--name",
            "Айгүл",
            "--password",
            "long-password",
        ]
    )
    assert result.exit_code == 0, result.output
    assert result.output == "created coord@example.kz with roles applicant, coordinator\n"

    result = runner.invoke(args=["users", "grant", "COORD@example.kz", "admin"])
    assert result.output == "coord@example.kz: admin granted\n"
    result = runner.invoke(args=["users", "grant", "coord@example.kz", "admin"])
    assert result.output == "coord@example.kz: admin already held\n"
    result = runner.invoke(args=["users", "revoke", "coord@example.kz", "coordinator"])
    assert result.output == "coord@example.kz: coordinator revoked\n"
    result = runner.invoke(args=["users", "revoke", "coord@example.kz", "admin"])
    assert result.exit_code == 1
    assert result.output == "Error: Соңғы әкімшіден бұл рөлді алуға болмайды.\n"

    with app.app_context():
        user = db.session.scalars(select(User)).one()
        assert {r.value for r in user.roles} == {"applicant", "admin"}
        assert user.email_confirmed_at is not None
        assert user.full_name == "Айгүл"


def test_users_create_generates_a_password_when_none_given(runner, client):
    result = runner.invoke(args=["users", "create", "x@example.kz"])
    password = result.output.splitlines()[1].removeprefix("password: ")
    assert len(password) >= 16
    response = client.post("/auth/login", data={"email": "x@example.kz", "password": password})
    assert response.status_code == 302


def test_users_commands_refuse_unknown_users_and_roles(runner, create_user):
    create_user("a@example.kz")
    result = runner.invoke(args=["users", "grant", "ghost@example.kz", "admin"])
    assert result.exit_code == 1
    assert "no user with e-mail ghost@example.kz" in result.output
    result = runner.invoke(args=["users", "grant", "a@example.kz", "superuser"])
    assert result.exit_code == 2
    result = runner.invoke(args=["users", "create", "a@example.kz"])
    assert result.exit_code == 1
    assert result.output == "Error: Бұл электрондық поштамен тіркелгі бар.\n"


def test_demo_load_is_idempotent_and_accounts_work(app, runner, client):
    first = runner.invoke(args=["demo", "load"])
    assert first.exit_code == 0, first.output
    second = runner.invoke(args=["demo", "load"])
    assert second.output == first.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == (
            # the seed's applicants, the contest's, the second holder's
            len(DEMO_USERS) + 15 + len(CONTEST_ENTRANTS) + len(SECOND_APPLICATIONS)
        )
        roles = {
            u.email: sorted(r.value for r in u.roles) for u in db.session.scalars(select(User))
        }
    assert roles["admin@demo.kz"] == ["admin", "applicant"]
    assert roles["coordinator@demo.kz"] == ["applicant", "coordinator"]
    assert roles["coordinator2@demo.kz"] == ["applicant", "coordinator"]
    assert roles["operator@demo.kz"] == ["applicant", "operator"]
    assert [e for e, r in roles.items() if "commission_member" in r] == [
        "member1@demo.kz",
        "member2@demo.kz",
        "member3@demo.kz",
    ]
    assert roles["applicant2@demo.kz"] == ["applicant"]
    with app.app_context():
        from smallgrants.applications.models import ApplicantProfile
        from smallgrants.demo import OPEN_TITLE_KK, SEED_TITLE_KK

        competition = db.session.scalars(
            select(Competition).where(Competition.title_kk == SEED_TITLE_KK)
        ).one()
        # and one open now, that the demo applicants can apply to at once
        open_now = db.session.scalars(
            select(Competition).where(Competition.title_kk == OPEN_TITLE_KK)
        ).one()
        assert (open_now.phase.value, open_now.status.value) == ("open", "published")
        assert [
            (email, kind.value)
            for email, kind in db.session.execute(
                select(User.email, ApplicantProfile.kind)
                .join(User, User.id == ApplicantProfile.owner_id)
                .where(User.email.in_(["applicant1@demo.kz", "applicant2@demo.kz"]))
                .order_by(User.email)
            )
        ] == [("applicant1@demo.kz", "group"), ("applicant2@demo.kz", "ngo")]
        assert (competition.grant_amount, competition.grant_count, competition.pool) == (
            300_000,
            10,
            3_000_000,
        )
        assert competition.phase.value == "closed"
        assert len(competition.district_codes) == 10
        assert len(competition.criteria) == 5
        numbers = list(
            db.session.scalars(
                select(Application.number)
                .where(Application.competition_id == competition.id)
                .order_by(Application.seq)
            )
        )
        assert numbers == [f"SG-2023-{n:03d}" for n in range(1, 16)]
        kinds = dict(
            db.session.execute(
                select(ApplicantProfile.kind, func.count())
                .join(Application, Application.profile_id == ApplicantProfile.id)
                .group_by(ApplicantProfile.kind)
            ).all()
        )
        # the seed's 15 applications, the 20 entrants of its video contest, and the second
        # holder's 6 (1 NGO, 5 groups)
        assert {k.value: v for k, v in kinds.items()} == {"ngo": 4, "group": 17, "individual": 20}
        statuses = dict(
            db.session.execute(
                select(Application.status, func.count()).group_by(Application.status)
            ).all()
        )
        # every application admitted but the second holder's one without its leader's ID
        assert {s.value: n for s, n in statuses.items()} == {"admissible": 40, "inadmissible": 1}
        # the commission of the seed: approved by protocol No. 1, met on Zoom (protocol No. 2),
        # 10 winners — 1 NGO and 9 initiative groups — at 300 000 ₸, signed and published
        commission = db.session.get(Commission, competition.id)
        assert commission.stage.value == "published"
        assert (commission.approval_number, commission.meeting.number) == ("1", "2")
        assert commission.meeting.online_link.startswith("https://zoom.us/")
        assert [m.role.value for m in commission.members] == ["chair", "secretary", "member"]
        winners = queries.winners(commission)
        assert [w.amount for w in winners] == [300_000] * 10
        assert sorted(w.kind for w in winners).count("ngo") == 1
        assert queries.awarded(commission.meeting.id) == (3_000_000, 10)
        path = uploads.path_of(commission.meeting.protocol_stored_name)
        assert hashlib.sha256(path.read_bytes()).hexdigest() == commission.meeting.protocol_sha256
        ranking = queries.ranking(commission)
        assert [r.rank for r in ranking] == list(range(1, 16))  # no ties in the seed
        assert sum(len(r.recused) for r in ranking) == 1
    assert client.get(f"/competitions/{competition.id}/results").status_code == 200

    response = client.post(
        "/auth/login", data={"email": "admin@demo.kz", "password": app.config["DEMO_PASSWORD"]}
    )
    assert response.status_code == 302


def test_organisations_create_and_appoint_a_coordinator(app, runner):
    from tests.conftest import BIN_VALID

    result = runner.invoke(
        args=["users", "create", "aigul@example.kz", "--password", "long-password"]
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        args=["organisations", "create", "zhastar", "«Жастар» орталығы", "--bin", "12"]
    )
    assert (result.exit_code, result.output) == (
        1,
        "Error: БСН жарамсыз: оның 12 цифрын тексеріңіз.\n",
    )
    result = runner.invoke(
        args=[
            "organisations",
            "create",
            "zhastar",
            "«Жастар» орталығы",
            "--bin",
            BIN_VALID,
            "--region",
            "KZ-33",
        ]
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith("created organisation zhastar (id ")
    result = runner.invoke(args=["organisations", "add-coordinator", "zhastar", "aigul@example.kz"])
    assert result.output == "aigul@example.kz works for zhastar\n"
    result = runner.invoke(args=["organisations", "list"])
    assert result.output == "zhastar\t«Жастар» орталығы\taigul@example.kz\n"
    with app.app_context():
        user = db.session.scalars(select(User).where(User.email == "aigul@example.kz")).one()
        assert sorted(user.roles) == ["applicant", "coordinator"]
    result = runner.invoke(
        args=["organisations", "remove-coordinator", "zhastar", "aigul@example.kz"]
    )
    assert result.output == "aigul@example.kz no longer works for zhastar\n"
    result = runner.invoke(args=["organisations", "add-coordinator", "nowhere", "a@example.kz"])
    assert (result.exit_code, result.output) == (
        1,
        "Error: no organisation with short name nowhere\n",
    )


def test_programmes_create_add_a_holder_and_an_operator(app, runner):
    for email in ("gulnar@example.kz", "aigul@example.kz"):
        runner.invoke(args=["users", "create", email, "--password", "long-password"])
    runner.invoke(args=["organisations", "create", "zhastar", "«Жастар» орталығы"])
    result = runner.invoke(args=["programmes", "create", "Біргеміз", "2025", "2024"])
    assert (result.exit_code, result.output) == (
        1,
        "Error: Бағдарламаның бірінші және соңғы жылын көрсетіңіз (2000–2100); біріншісі "
        "соңғысынан кейін болмауы керек.\n",
    )
    result = runner.invoke(args=["programmes", "create", "Біргеміз", "2024", "2025"])
    assert result.exit_code == 0, result.output
    programme_id = int(result.output.removeprefix("created programme ").strip())
    result = runner.invoke(args=["programmes", "add-holder", str(programme_id), "zhastar"])
    assert result.output == f"zhastar is a holder of programme {programme_id}\n"
    result = runner.invoke(
        args=["programmes", "add-operator", str(programme_id), "gulnar@example.kz"]
    )
    assert result.output == f"gulnar@example.kz operates programme {programme_id}\n"
    result = runner.invoke(args=["programmes", "list"])
    assert result.output == f"{programme_id}\tБіргеміз\t2024–2025\tzhastar\tgulnar@example.kz\n"
    with app.app_context():
        user = db.session.scalars(select(User).where(User.email == "gulnar@example.kz")).one()
        assert sorted(user.roles) == ["applicant", "operator"]
    result = runner.invoke(
        args=["programmes", "remove-operator", str(programme_id), "aigul@example.kz"]
    )
    assert (result.exit_code, result.output) == (
        1,
        f"Error: aigul@example.kz does not operate programme {programme_id}\n",
    )
    result = runner.invoke(args=["programmes", "add-holder", "999", "zhastar"])
    assert (result.exit_code, result.output) == (1, "Error: no programme 999\n")
