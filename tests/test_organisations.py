"""Grant holders kept apart: each coordinator's lists, start page, forms and services hold
their own organisations' competitions, projects and e-mail only (the route-by-route refusals
are the authorization matrix's `other_coordinator` row)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from smallgrants.auth.models import Role
from smallgrants.competitions import services as competition_services
from smallgrants.competitions.models import CompetitionStatus
from smallgrants.extensions import db
from smallgrants.organisations import services
from smallgrants.organisations.models import Organisation, OrganisationMember
from tests.conftest import BIN_VALID, default_organisation_id


def _organisation(app, short_name: str, name_kk: str) -> int:
    with app.app_context():
        organisation = services.create_organisation(
            None, services.OrganisationInput(short_name=short_name, name_kk=name_kk)
        )
        db.session.commit()
        return organisation.id


def _competition_of(app, create_competition, organisation_id: int, coordinator, title: str):
    """A competition of `organisation_id`, made through the service by its coordinator."""
    from smallgrants.auth.models import User

    template = create_competition(published=True)  # the suite's holder's, open now
    with app.test_request_context():
        actor = db.session.get(User, coordinator.id)
        source = competition_services.CompetitionInput(
            **{
                **_input_fields(),
                "title_kk": title,
                "region_code": template.region_code,
                "opens_at": template.opens_at,
                "closes_at": template.closes_at,
            },
            organisation_id=organisation_id,
        )
        competition = competition_services.create_competition(actor, source)
        competition.status = CompetitionStatus.PUBLISHED  # as the factory does
        competition.published_at = template.opens_at
        db.session.commit()
        return competition.id, template.id


def _listed(page: str) -> set[int]:
    return {int(n) for n in re.findall(r'<tr data-competition="(\d+)">', page)}


def test_each_coordinator_lists_only_their_organisations_competitions(
    app, client, auth, create_user, create_competition
):
    other = _organisation(app, "other-holder", "Басқа ұйым")
    ours = create_user("ours@example.kz", roles=(Role.COORDINATOR,))
    theirs = create_user("theirs@example.kz", roles=(Role.COORDINATOR,), organisation=other)
    their_competition, our_competition = _competition_of(
        app, create_competition, other, theirs, "Басқа ұйымның байқауы"
    )
    auth.as_user(ours)
    assert _listed(client.get("/manage/competitions").text) == {our_competition}
    auth.as_user(theirs)
    page = client.get("/manage/competitions").text
    assert _listed(page) == {their_competition}
    assert client.get(f"/manage/competitions/{our_competition}/edit").status_code == 403
    assert client.get(f"/manage/competitions/{their_competition}/edit").status_code == 200


def test_a_coordinator_without_an_organisation_sees_nothing_and_cannot_create(
    app, client, auth, create_user, create_competition
):
    create_competition(published=True)
    loose = create_user("loose@example.kz", roles=(Role.COORDINATOR,), organisation=False)
    auth.as_user(loose)
    assert _listed(client.get("/manage/competitions").text) == set()
    assert client.get("/manage/projects").status_code == 200
    with app.test_request_context():
        from smallgrants.auth.models import User

        actor = db.session.get(User, loose.id)
        with pytest.raises(competition_services.CompetitionError) as refused:
            competition_services.create_competition(
                actor,
                competition_services.CompetitionInput(
                    **{**_input_fields(), "title_kk": "Ешкімнің байқауы"}
                ),
            )
        assert str(refused.value.message) == "Байқауды өткізетін ұйымды таңдаңыз."


def _input_fields() -> dict:
    from datetime import timedelta

    from smallgrants.core.timeutil import utcnow

    now = utcnow().replace(second=0, microsecond=0)
    return {
        "title_kk": "Байқау",
        "title_ru": "",
        "description_kk": "",
        "description_ru": "",
        "direction_kk": "",
        "direction_ru": "",
        "region_code": "KZ-33",
        "district_codes": [],
        "grant_amount": 300_000,
        "grant_count": 5,
        "accepts_ngo": True,
        "accepts_group": True,
        "min_group_members": 3,
        "opens_at": now + timedelta(days=1),
        "closes_at": now + timedelta(days=30),
        "rules_kk": "",
        "rules_ru": "",
        "number_prefix": "SG",
        "criteria": [competition_services.CriterionInput("Өзектілігі", "", "", 10, 1)],
    }


def test_a_coordinator_of_two_organisations_chooses_one_of_theirs(app, client, auth, create_user):
    second = _organisation(app, "second-holder", "Екінші ұйым")
    foreign = _organisation(app, "foreign-holder", "Бөгде ұйым")
    both = create_user("both@example.kz", roles=(Role.COORDINATOR,))
    with app.app_context():
        db.session.add(OrganisationMember(organisation_id=second, user_id=both.id))
        db.session.commit()
        ours = default_organisation_id()
    auth.as_user(both)
    form = client.get("/manage/competitions/new").text
    offered = re.findall(r'<option value="(\d+)"[^>]*>([^<]+)</option>', form)
    assert {int(v) for v, _ in offered if int(v) in (ours, second, foreign)} == {ours, second}
    with app.test_request_context():
        from smallgrants.auth.models import User

        actor = db.session.get(User, both.id)
        with pytest.raises(competition_services.CompetitionError):
            competition_services.create_competition(
                actor, competition_services.CompetitionInput(**_input_fields())
            )  # two organisations: it does not guess
        with pytest.raises(competition_services.CompetitionError):
            competition_services.create_competition(
                actor,
                competition_services.CompetitionInput(**_input_fields(), organisation_id=foreign),
            )
        made = competition_services.create_competition(
            actor, competition_services.CompetitionInput(**_input_fields(), organisation_id=second)
        )
        assert made.organisation_id == second


def test_a_project_attaches_only_its_organisations_competitions(
    app, client, auth, create_user, create_competition
):
    from smallgrants.auth.models import User
    from smallgrants.competitions.models import Competition
    from smallgrants.reporting import services as reporting_services

    other = _organisation(app, "other-holder", "Басқа ұйым")
    theirs = create_user("theirs@example.kz", roles=(Role.COORDINATOR,), organisation=other)
    ours = create_user("ours@example.kz", roles=(Role.COORDINATOR,))
    their_competition, our_competition = _competition_of(
        app, create_competition, other, theirs, "Басқа ұйымның байқауы"
    )
    with app.test_request_context():
        actor = db.session.get(User, ours.id)
        project = reporting_services.create_project(
            actor, reporting_services.ProjectInput(organisation="«Тест» ҚБ", title="Жоба")
        )
        task = reporting_services.add_task(actor, project, "Шағын гранттар")
        db.session.commit()
        project_id, task_id = project.id, task.id
        assert project.organisation_id == default_organisation_id()
    auth.as_user(ours)
    page = client.get(f"/manage/projects/{project_id}").text
    options = {int(v) for v in re.findall(r'<option value="(\d+)"', page)}
    assert our_competition in options and their_competition not in options
    with app.test_request_context():
        actor = db.session.get(User, ours.id)
        task = db.session.get(reporting_services.ProjectTask, task_id)
        with pytest.raises(reporting_services.ProjectError) as refused:
            reporting_services.attach_competition(
                actor, task, db.session.get(Competition, their_competition)
            )
        assert str(refused.value.message) == "Жоба тек өз ұйымының байқауларын ғана есепке алады."
    auth.as_user(theirs)
    assert client.get(f"/manage/projects/{project_id}").status_code == 403
    listing = client.get("/manage/projects").text
    assert (
        f"/manage/projects/{project_id}" not in listing and 'data-testid="no-projects"' in listing
    )
    auth.as_user(ours)
    assert f"/manage/projects/{project_id}" in client.get("/manage/projects").text


def test_the_start_page_counts_only_the_coordinators_organisations(
    app, client, auth, create_user, create_competition, create_profile, create_application
):
    """Applications to screen of another holder's competition never reach this
    coordinator's start page; their own do."""
    other = _organisation(app, "other-holder", "Басқа ұйым")
    competition = create_competition(published=True)
    applicant = create_user("applicant@example.kz")
    create_application(applicant, competition, create_profile(applicant), submit=True)
    ours = create_user("ours@example.kz", roles=(Role.COORDINATOR,))
    theirs = create_user("theirs@example.kz", roles=(Role.COORDINATOR,), organisation=other)
    link = f"/manage/competitions/{competition.id}/applications?status=submitted"
    auth.as_user(ours)
    assert client.get("/").text.count('data-testid="todo-screening"') == 1
    assert link in client.get("/").text
    auth.as_user(theirs)
    page = client.get("/").text
    assert 'data-testid="todo-screening"' not in page and link not in page


def test_organisation_input_is_checked(app):
    with app.app_context():
        for short_name, name_kk, bin_, message in (
            ("A", "Ұйым", "", "Қысқа атау — 3–40 кіші латын әрпі, цифр және дефис."),
            ("ok-name", " ", "", "Ұйымның атауын қазақша жазыңыз."),
            ("ok-name", "Ұйым", "123", "БСН жарамсыз: оның 12 цифрын тексеріңіз."),
        ):
            with pytest.raises(services.OrganisationError) as refused:
                services.create_organisation(
                    None,
                    services.OrganisationInput(short_name=short_name, name_kk=name_kk, bin=bin_),
                )
            assert str(refused.value.message) == message
        made = services.create_organisation(
            None,
            services.OrganisationInput(short_name="Good-One", name_kk="Ұйым", bin=BIN_VALID),
        )
        assert (made.short_name, made.bin) == ("good-one", BIN_VALID)
        with pytest.raises(services.OrganisationError):
            services.create_organisation(
                None, services.OrganisationInput(short_name="good-one", name_kk="Тағы")
            )
        db.session.rollback()


def test_adding_a_coordinator_needs_a_confirmed_account_and_gives_the_role(app, create_user):
    from smallgrants.auth.models import User

    person = create_user("person@example.kz")
    create_user("unconfirmed@example.kz", confirmed=False)
    with app.test_request_context():
        organisation = db.session.get(Organisation, default_organisation_id())
        for email in ("nobody@example.kz", "unconfirmed@example.kz"):
            with pytest.raises(services.OrganisationError):
                services.add_coordinator(None, organisation, email)
        services.add_coordinator(None, organisation, "Person@Example.kz")
        services.add_coordinator(None, organisation, "person@example.kz")  # twice: once
        rows = db.session.scalars(
            select(OrganisationMember.user_id).where(
                OrganisationMember.organisation_id == organisation.id
            )
        ).all()
        assert rows == [person.id]
        assert db.session.get(User, person.id).has_role(Role.COORDINATOR)
        assert services.remove_coordinator(None, organisation, person.id) is True
        assert services.remove_coordinator(None, organisation, person.id) is False
        db.session.rollback()


def test_the_admin_creates_an_organisation_and_appoints_its_coordinator(
    app, client, auth, create_user
):
    admin = create_user("root@example.kz", roles=(Role.ADMIN,))
    person = create_user("aigul@example.kz", full_name="Айгүл")
    auth.as_user(admin)
    form = {
        "short_name": "Zhastar",
        "name_kk": "«Жастар» орталығы",
        "name_ru": "",
        "bin": "123",
        "region_code": "KZ-33",
    }
    refused = client.post("/admin/organisations/new", data=form)
    assert refused.status_code == 400
    assert "БСН жарамсыз: оның 12 цифрын тексеріңіз." in refused.text
    assert 'value="«Жастар» орталығы"' in refused.text  # nothing typed is lost
    created = client.post("/admin/organisations/new", data={**form, "bin": BIN_VALID})
    assert created.status_code == 302
    with app.app_context():
        organisation = db.session.scalars(
            select(Organisation).where(Organisation.short_name == "zhastar")
        ).one()
        assert (organisation.name_kk, organisation.bin, organisation.region_code) == (
            "«Жастар» орталығы",
            BIN_VALID,
            "KZ-33",
        )
        organisation_id = organisation.id
    assert created.headers["Location"].endswith(f"/admin/organisations/{organisation_id}")
    listing = client.get("/admin/organisations").text
    assert f'<tr data-organisation="{organisation_id}">' in listing
    unknown = client.post(
        f"/admin/organisations/{organisation_id}/coordinators", data={"email": "x@example.kz"}
    )
    assert unknown.status_code == 400
    assert "Бұл e-mail-мен расталған тіркелгі жоқ" in unknown.text
    added = client.post(
        f"/admin/organisations/{organisation_id}/coordinators",
        data={"email": "aigul@example.kz"},
        follow_redirects=True,
    )
    assert "aigul@example.kz енді осы ұйымда жұмыс істейді." in added.text
    assert f'data-user="{person.id}"' in added.text
    auth.as_user(person)  # now a coordinator of this holder: its (empty) list
    assert client.get("/manage/competitions").status_code == 200
    assert _listed(client.get("/manage/competitions").text) == set()
    auth.as_user(admin)
    removed = client.post(
        f"/admin/organisations/{organisation_id}/coordinators/{person.id}/remove",
        follow_redirects=True,
    )
    assert "Үйлестіруші енді бұл ұйымда жұмыс істемейді." in removed.text
    assert f'data-user="{person.id}"' not in removed.text


def _cards(page: str) -> dict[str, set[int]]:
    """Section → the competitions its cards show."""
    found: dict[str, set[int]] = {}
    for key, body in re.findall(
        r'<section class="mb-4" data-section="(\w+)">(.*?)</section>', page, re.S
    ):
        found[key] = {
            int(n) for n in re.findall(r'<div class="card" data-competition="(\d+)">', body)
        }
    return found


def test_the_public_list_filters_by_region_and_holder_and_each_holder_has_a_page(
    app, client, create_user, create_competition
):
    other = _organisation(app, "zhastar", "«Жастар» орталығы")
    theirs = create_user("theirs@example.kz", roles=(Role.COORDINATOR,), organisation=other)
    their_open, our_open = _competition_of(app, create_competition, other, theirs, "Жастар байқауы")
    ours_elsewhere = create_competition(published=True, region_code="KZ-75", district_codes=[])
    assert _cards(client.get("/competitions").text)["open"] == {
        their_open,
        our_open,
        ours_elsewhere.id,
    }
    assert _cards(client.get("/competitions?holder=zhastar").text)["open"] == {their_open}
    assert _cards(client.get("/competitions?holder=test-holder").text)["open"] == {
        our_open,
        ours_elsewhere.id,
    }
    assert _cards(client.get("/competitions?region=KZ-75").text)["open"] == {ours_elsewhere.id}
    assert _cards(client.get("/competitions?region=KZ-75&holder=zhastar").text)["open"] == set()
    filtered = client.get("/competitions?region=KZ-75&holder=zhastar").text
    assert '<option value="KZ-75" selected>' in filtered
    assert '<option value="zhastar" selected>' in filtered
    # an unknown region is no filter; an unknown holder has nothing
    assert len(_cards(client.get("/competitions?region=XX").text)["open"]) == 3
    assert _cards(client.get("/competitions?holder=nobody").text)["open"] == set()
    page = client.get("/o/zhastar")
    assert page.status_code == 200
    assert '<h1 class="h3 mb-2" data-testid="holder-name">«Жастар» орталығы</h1>' in page.text
    assert _cards(page.text)["open"] == {their_open}
    assert 'href="/o/zhastar" data-testid="card-holder">«Жастар» орталығы</a>' in page.text
    assert client.get("/o/ZHASTAR").status_code == 200
    assert client.get("/o/nobody").status_code == 404


def test_a_coordinator_of_two_organisations_makes_a_project_for_the_one_chosen(
    app, client, auth, create_user
):
    from smallgrants.reporting.models import Project

    second = _organisation(app, "second-holder", "Екінші ұйым")
    foreign = _organisation(app, "foreign-holder", "Бөгде ұйым")
    both = create_user("both@example.kz", roles=(Role.COORDINATOR,))
    with app.app_context():
        db.session.add(OrganisationMember(organisation_id=second, user_id=both.id))
        db.session.commit()
    auth.as_user(both)
    header = {"organisation": "«Екінші» ҚБ", "title": "Екінші жоба", "grant_sum": "0"}
    refused = client.post("/manage/projects/new", data={**header, "organisation_id": foreign})
    assert refused.status_code == 200  # a choice it does not offer: the form again
    assert 'value="Екінші жоба"' in refused.text
    made = client.post("/manage/projects/new", data={**header, "organisation_id": second})
    assert made.status_code == 302
    with app.app_context():
        project = db.session.scalars(select(Project).where(Project.title == "Екінші жоба")).one()
        assert project.organisation_id == second
