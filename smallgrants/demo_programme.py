"""A second grant holder and a programme over both, so that one installation shows what a
regranting programme looks like: «Оңтүстік жастар бастамалары» in Turkistan oblast ran its
own round in 2024 (6 applications, 5 admitted, 3 grants of 300 000 ₸ out of 4, one final
report still missing past its date), and the «Біргеміз» programme's operator reads both
holders' figures. Idempotent, like `demo.load`, which runs first."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

from sqlalchemy import select

from smallgrants.auth import services as auth_services
from smallgrants.auth.models import User
from smallgrants.competitions import services as competition_services
from smallgrants.competitions.models import Competition, CompetitionStatus
from smallgrants.core.timeutil import local_to_utc
from smallgrants.demo import (
    SEED_HOLDER,
    decide_ranking,
    demo_bin,
    demo_budget,
    demo_profile,
    hold_meeting,
    score_in_order,
    seat_commission,
    seed_competition,
    sign_and_publish,
    submit_demo_application,
)
from smallgrants.extensions import db
from smallgrants.organisations import queries as organisation_queries
from smallgrants.organisations import services as organisation_services
from smallgrants.organisations.models import Programme

COORDINATOR = "coordinator2@demo.kz"
OPERATOR = "operator@demo.kz"

SECOND_HOLDER = organisation_services.OrganisationInput(
    short_name="ontustik",
    name_kk="«Оңтүстік жастар бастамалары» қоғамдық қоры",
    name_ru="Общественный фонд «Молодёжные инициативы Юга»",
    bin=demo_bin(77),
    head_name="Мұсаев Ерлан Бақытұлы",
    address="Түркістан қ., Тәуке хан даңғылы, 12",
    phone="+7 705 412 33 18",
    region_code="KZ-61",
)

PROGRAMME = organisation_services.ProgrammeInput(
    name_kk="«Біргеміз» жастар бастамалары бағдарламасы",
    name_ru="Программа молодёжных инициатив «Біргеміз»",
    starts_year=2023,
    ends_year=2024,
)

SECOND_TITLE_KK = "Түркістан облысы жастарының салауатты өмір бастамаларына шағын гранттар"

SECOND_APPLICATIONS = [
    # (kind, name, leader, district, settlement, title, participants)
    ("group", "«Сарыағаш жастары» бастамашыл тобы", "Айдана Серікбаева", "saryagash",
     "Сарыағаш қ.", "«Таза ауыл»: спорт арқылы есірткіге қарсы", 400),
    ("ngo", "«Кентау жастар орталығы» қоғамдық бірлестігі", "Ғалым Тұрсынов", "kentau",
     "Кентау қ.", "Мектеп жастарына арналған профилактикалық тренингтер", 600),
    ("group", "«Ленгір еріктілері» бастамашыл тобы", "Жанерке Әлімова", "tolebi",
     "Ленгір қ.", "Еріктілер мектебі: құрдастан құрдасқа", 300),
    ("group", "«Түркістан медиа» бастамашыл тобы", "Нұрбол Қалиев", "turkistan",
     "Түркістан қ.", "Жастарға арналған бейнесабақтар сериясы", 500),
    ("group", "«Жігер» бастамашыл тобы", "Мөлдір Ахметова", "turkistan",
     "Түркістан қ.", "Ата-аналарға арналған кездесулер", 250),
    ("group", "«Арай» бастамашыл тобы", "Бекжан Омаров", "kentau",
     "Кентау қ.", "Қала жастарына арналған турнир", 200),
]  # fmt: skip

# participants of each grant's events: (interim, final); the third grant's final is missing
SECOND_EVENTS = [(180, 230), (260, 340), (150, None)]


def second_competition() -> competition_services.CompetitionInput:
    """The seed's criteria and checklist; Turkistan oblast, 4 × 300 000 ₸, February 2024."""
    return replace(
        seed_competition(),
        title_kk=SECOND_TITLE_KK,
        title_ru=(
            "Малые гранты на молодёжные инициативы здорового образа жизни Туркестанской области"
        ),
        description_kk=(
            "Түркістан облысының бастамашыл топтары мен ҮЕҰ-ларына жастар арасында салауатты "
            "өмір салтын насихаттайтын іс-шараларға шағын гранттар беріледі."
        ),
        description_ru=(
            "Инициативные группы и НПО Туркестанской области получают малые гранты на "
            "мероприятия, пропагандирующие здоровый образ жизни среди молодёжи."
        ),
        region_code="KZ-61",
        district_codes=["turkistan", "kentau", "saryagash", "tolebi"],
        grant_count=4,
        opens_at=local_to_utc(datetime(2024, 2, 1, 9, 0)),
        closes_at=local_to_utc(datetime(2024, 2, 20, 23, 59, 59)),
        rules_kk=(
            "1. Түркістан облысында тіркелген ҮЕҰ-лар мен кемінде 3 адамнан тұратын "
            "бастамашыл топтар қатыса алады.\n2. Бір грант – 300 000 теңге, гранттар саны – 4."
        ),
        rules_ru=(
            "1. Участвуют НПО Туркестанской области и инициативные группы не менее чем из "
            "3 человек.\n2. Один грант – 300 000 тенге, количество грантов – 4."
        ),
        number_prefix="TG",
    )


def event_counts(total: int) -> dict[str, int]:
    """Participant columns of one event, every breakdown summing to `total`."""
    men = total * 45 // 100
    children, elderly = total // 10, total // 20
    teens, adults = total * 3 // 10, total // 4
    return {
        "total": total,
        "men": men,
        "women": total - men,
        "s_children": children,
        "s_elderly": elderly,
        "s_youth": total - children - elderly,
        "a_13_16": teens,
        "a_23_27": adults,
        "a_17_22": total - teens - adults,
    }


def _user(email: str) -> User:
    return db.session.scalars(select(User).where(User.email == email)).one()


def load(password: str) -> None:
    """The second holder with its coordinator, its round carried to grants and reports, the
    programme over both holders and its operator."""
    holder = organisation_queries.by_short_name(SECOND_HOLDER.short_name)
    if holder is None:
        holder = organisation_services.create_organisation(None, SECOND_HOLDER)
    organisation_services.add_coordinator(None, holder, COORDINATOR)
    db.session.flush()
    if db.session.scalar(select(Competition.id).where(Competition.title_kk == SECOND_TITLE_KK)):
        _load_programme(holder)
        return
    coordinator = _user(COORDINATOR)
    competition = competition_services.create_competition(coordinator, second_competition())
    competition.status = CompetitionStatus.PUBLISHED
    competition.published_at = competition.opens_at
    db.session.flush()
    _load_applications(competition, password)
    _load_commission(competition, coordinator)
    _load_grants(competition, coordinator, holder)
    _load_programme(holder)


def _load_applications(competition: Competition, password: str) -> None:
    from smallgrants.applications import services as s

    opens = competition.opens_at
    for n, (kind, name, leader, district, settlement, title, people) in enumerate(
        SECOND_APPLICATIONS, 1
    ):
        email = f"applicant-t{n}@demo.kz"
        user = auth_services.find_user_by_email(email) or auth_services.create_user(
            email, password, full_name=leader, locale="kk", confirmed=True
        )
        profile = demo_profile(
            user, kind, name, leader, settlement, 60 + n, f"+7705{2000000 + n * 7919:07d}"
        )
        submit_demo_application(
            user,
            competition,
            profile,
            s.ApplicationInput(
                title=title,
                district_code=district,
                settlement=settlement,
                problem="Жастардың бос уақыты аз ұйымдастырылған, зиянды әдеттер таралуда.",
                goal="Жастарды салауатты өмір салтына тарту.",
                tasks="1. Іс-шараларды дайындау.\n2. Жастарды тарту.\n3. Нәтижені тарату.",
                target_group="14–29 жас аралығындағы жастар",
                planned_participants=people,
                sustainability="Топ жұмысын еріктілер клубы ретінде жалғастырады.",
                team=f"{leader} — жетекші; екі ерікті.",
                activities=[s.ActivityInput(title, "2024 ж. наурыз–мамыр", settlement, people)],
                budget=demo_budget(n),
                results=[s.ResultInput("Жастар тартылды", "қатысушылар саны", str(people))],
            ),
            opens + timedelta(days=2, hours=n),
        )


def _load_commission(competition: Competition, coordinator: User) -> None:
    """Five admitted (the last without its leader's ID), scored, the meeting of 27 February
    2024: three grants of 300 000 ₸, two not supported; protocol signed, results published."""
    from smallgrants.applications import services as application_services
    from smallgrants.applications.models import Application
    from smallgrants.commission import services as cs

    applications = db.session.scalars(
        select(Application)
        .where(Application.competition_id == competition.id)
        .order_by(Application.seq)
    ).all()
    for application in applications[:-1]:
        application_services.screen(coordinator, application, True)
    application_services.screen(
        coordinator, applications[-1], False, "Жетекшінің жеке куәлігінің көшірмесі жоқ"
    )
    commission = cs.commission_of(competition)
    seats = seat_commission(coordinator, commission, "1", date(2024, 2, 22))
    admitted = applications[:-1]
    score_in_order(seats, admitted, competition.criteria, 92, 5)
    hold_meeting(
        coordinator,
        commission,
        seats,
        "2",
        datetime(2024, 2, 27, 11, 0),
        "Түркістан қ., облыстық жастар ресурстық орталығы",
    )
    decide_ranking(
        coordinator,
        commission,
        {a.id for a in admitted[:3]},
        competition.grant_amount,
        "Жоба өзекті",
        "Балы грант беру шегінен төмен",
    )
    sign_and_publish(
        coordinator,
        competition,
        datetime(2024, 2, 26, 18, 0),
        datetime(2024, 2, 27, 13, 0),
        datetime(2024, 2, 28, 10, 0),
    )


def _load_grants(competition: Competition, coordinator: User, holder) -> None:
    """Three grants paid in full; every interim report accepted, two final reports accepted,
    the third grantee's final report not in, past its date of 31 May 2024."""
    from smallgrants.grants import queries as grant_queries
    from smallgrants.grants import services as gs
    from smallgrants.grants.models import EventFormat, PeriodKind

    terms = gs.terms_of(competition)
    gs.save_terms(
        coordinator,
        terms,
        gs.TermsInput(
            grantor_name=holder.name_kk,
            grantor_head=holder.head_name,
            grantor_bin=holder.bin,
            grantor_address=holder.address,
            signing_place="Түркістан қ.",
            agreement_prefix="ТГ",
            starts_on=date(2024, 3, 1),
            ends_on=date(2024, 5, 25),
            duties_kk="",
            duties_ru="",
        ),
    )
    gs.add_period(
        coordinator, terms, PeriodKind.INTERIM, local_to_utc(datetime(2024, 4, 15, 23, 59, 59))
    )
    gs.add_period(
        coordinator, terms, PeriodKind.FINAL, local_to_utc(datetime(2024, 5, 31, 23, 59, 59))
    )
    grants = gs.create_grants(coordinator, competition)
    for n, (grant, sizes) in enumerate(zip(grants, SECOND_EVENTS, strict=True)):
        grant.agreement_date = date(2024, 2, 29)
        gs.record_payment(
            coordinator, grant, gs.PaymentInput(1, date(2024, 3, 5), grant.amount, f"ТП-{n + 1}")
        )
        grantee = db.session.get(User, grant.application.applicant_id)
        reports = grant_queries.reports_of(grant.id)
        for i, (report, size) in enumerate(zip(reports, sizes, strict=True)):
            if size is None:
                continue  # not in: overdue since 1 June 2024
            gs.save_event(
                grantee,
                report,
                gs.EventInput(
                    title="Жастармен кездесу" if i == 0 else "Қорытынды іс-шара",
                    held_on=date(2024, 4, 5 + n) if i == 0 else date(2024, 5, 20 + n),
                    district_code=grant.application.district_code,
                    settlement=grant.application.settlement,
                    format=EventFormat.OFFLINE,
                    description="",
                    counts=event_counts(size),
                ),
            )
            gs.save_narrative(grantee, report, "Іс-шара жоспар бойынша өтті.", "", "")
            version = gs.submit_report(grantee, report)
            gs.review_report(coordinator, report, True, "")
            due = report.period.due_at
            version.submitted_at = report.submitted_at = due - timedelta(days=2, hours=n)
            version.reviewed_at = report.reviewed_at = due - timedelta(days=1, hours=n)


def _load_programme(second_holder) -> None:
    programme = db.session.scalars(
        select(Programme).where(Programme.name_kk == PROGRAMME.name_kk)
    ).first()
    if programme is None:
        programme = organisation_services.create_programme(None, PROGRAMME)
    for holder in (organisation_queries.by_short_name(SEED_HOLDER.short_name), second_holder):
        organisation_services.add_holder(None, programme, holder)
    organisation_services.add_operator(None, programme, OPERATOR)
    db.session.flush()
