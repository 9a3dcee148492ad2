"""The NarcoSTOP demonstration data (../shared/seed): accounts and the small-grants competition.

Idempotent: running it twice changes nothing. Later issues add the applications, the
commission, the grants and the reports.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from smallgrants.auth import services as auth_services
from smallgrants.auth.models import Role, User
from smallgrants.competitions import services as competition_services
from smallgrants.competitions.models import AwardKind, Competition, CompetitionStatus, EntryKind
from smallgrants.core import geography
from smallgrants.core.timeutil import local_to_utc, to_local, utcnow
from smallgrants.demo_project import CONTEST_TITLE_KK, apportion, load_project
from smallgrants.extensions import db
from smallgrants.organisations import queries as organisation_queries
from smallgrants.organisations import services as organisation_services

DEMO_USERS = [
    # email, full name, locale, roles
    ("admin@demo.kz", "Әкімші Демо", "kk", (Role.ADMIN,)),
    ("coordinator@demo.kz", "Айгүл Сапарова", "kk", (Role.COORDINATOR,)),
    ("coordinator2@demo.kz", "Ерлан Мұсаев", "kk", (Role.COORDINATOR,)),
    ("operator@demo.kz", "Гүлнар Оспанова", "ru", (Role.OPERATOR,)),  # demo_programme
    ("member1@demo.kz", "Нұрлан Қасымов", "kk", (Role.COMMISSION_MEMBER,)),
    ("member2@demo.kz", "Елена Ким", "ru", (Role.COMMISSION_MEMBER,)),
    ("member3@demo.kz", "Бауыржан Әлиев", "kk", (Role.COMMISSION_MEMBER,)),
    ("applicant1@demo.kz", "Дана Жұмабаева", "kk", ()),
    ("applicant2@demo.kz", "Сергей Петров", "ru", ()),
]

SEED_TITLE_KK = "Жастар арасында синтетикалық есірткінің алдын алуға арналған шағын гранттар"

C = competition_services.CriterionInput


def seed_competition() -> competition_services.CompetitionInput:
    """The seed's competition, announced 23 August 2023 (times in Almaty)."""
    return competition_services.CompetitionInput(
        title_kk=SEED_TITLE_KK,
        title_ru="Малые гранты на профилактику синтетических наркотиков среди молодёжи",
        description_kk=(
            "«NarcoSTOP» жобасы аясында Жетісу облысының үкіметтік емес ұйымдары мен "
            "бастамашыл топтарына жастар арасында синтетикалық есірткінің алдын алу бойынша "
            "іс-шараларды өткізуге шағын гранттар беріледі."
        ),
        description_ru=(
            "В рамках проекта «NarcoSTOP» НПО и инициативные группы области Жетісу получают "
            "малые гранты на мероприятия по профилактике синтетических наркотиков среди молодёжи."
        ),
        direction_kk="Салауатты өмір салтын насихаттау, нашақорлықтың алдын алу",
        direction_ru="Пропаганда здорового образа жизни, профилактика наркомании",
        region_code="KZ-33",
        district_codes=[d.code for d in geography.districts_of("KZ-33")],
        grant_amount=300_000,
        grant_count=10,
        accepts_ngo=True,
        accepts_group=True,
        min_group_members=3,
        opens_at=local_to_utc(datetime(2023, 8, 23, 9, 0)),
        closes_at=local_to_utc(datetime(2023, 9, 6, 23, 59, 59)),
        rules_kk=(
            "1. Байқауға Жетісу облысында тіркелген ҮЕҰ-лар мен кемінде 3 адамнан тұратын "
            "бастамашыл топтар қатыса алады.\n"
            "2. Бір грант сомасы – 300 000 теңге, гранттар саны – 10.\n"
            "3. Жоба 2023 жылғы 30 қарашаға дейін іске асырылуы тиіс.\n"
            "4. Өтінімдерді конкурстық комиссия бағалау өлшемшарттары бойынша бағалайды."
        ),
        rules_ru=(
            "1. Участвуют НПО, зарегистрированные в области Жетісу, и инициативные группы "
            "не менее чем из 3 человек.\n"
            "2. Сумма одного гранта – 300 000 тенге, количество грантов – 10.\n"
            "3. Проект должен быть реализован до 30 ноября 2023 года.\n"
            "4. Заявки оценивает конкурсная комиссия по критериям оценки."
        ),
        number_prefix="SG",
        criteria=[
            C("Мәселенің өзектілігі", "Актуальность проблемы", "", 10, 3),
            C("Мақсат пен міндеттердің нақтылығы", "Чёткость цели и задач", "", 10, 2),
            C("Іс-шаралар жоспарының орындылығы", "Реалистичность плана мероприятий", "", 10, 2),
            C("Бюджеттің негізділігі", "Обоснованность бюджета", "", 10, 2),
            C("Нәтижелердің тұрақтылығы", "Устойчивость результатов", "", 10, 1),
        ],
        checklist=[
            competition_services.ChecklistInput(
                "Жеке куәліктің көшірмесі (жетекші)",
                "Копия удостоверения личности (руководитель)",
                True,
            ),
            competition_services.ChecklistInput(
                "ҮЕҰ тіркеу туралы анықтама", "Справка о регистрации НПО", False
            ),
            competition_services.ChecklistInput(
                "Серіктестердің қолдау хаты", "Письмо поддержки партнёров", False
            ),
        ],
    )


SEED_HOLDER = organisation_services.OrganisationInput(
    short_name="zhogary",
    name_kk="«Жоғары жастар кеңесі» қоғамдық бірлестігі",
    name_ru="Общественное объединение «Высший молодёжный совет»",
    head_name="Жақсыбай Жұлдыз Әбілсейітқызы",
    address="Қазақстан, Алматы қаласы, мкр Жас Қанат 1/48",
    phone="+7 702 862 97 92",
    region_code="KZ-75",
)


def load_holders() -> None:
    """The seed's grant holder, with the demo coordinator working for it (idempotent)."""
    holder = organisation_queries.by_short_name(SEED_HOLDER.short_name)
    if holder is None:
        holder = organisation_services.create_organisation(None, SEED_HOLDER)
    organisation_services.add_coordinator(None, holder, "coordinator@demo.kz")
    db.session.flush()


def load(password: str) -> None:
    for email, full_name, locale, roles in DEMO_USERS:
        if auth_services.find_user_by_email(email) is None:
            auth_services.create_user(
                email, password, full_name=full_name, locale=locale, confirmed=True, roles=roles
            )
    db.session.flush()
    load_holders()
    exists = db.session.scalar(select(Competition.id).where(Competition.title_kk == SEED_TITLE_KK))
    if exists is None:
        coordinator = db.session.scalars(
            select(User).where(User.email == "coordinator@demo.kz")
        ).one()
        competition = competition_services.create_competition(coordinator, seed_competition())
        # announced on 23 August 2023, as in the seed: the window is long closed
        competition.status = CompetitionStatus.PUBLISHED
        competition.published_at = local_to_utc(datetime(2023, 8, 23, 9, 0))
        db.session.flush()
    competition = db.session.scalars(
        select(Competition).where(Competition.title_kk == SEED_TITLE_KK)
    ).one()
    load_applications(competition, password)
    load_commission(competition)
    load_grants(competition)
    load_contest(password)
    load_project(competition)
    load_open_competition()


# --- a competition open now, so that a newcomer can apply at once -----------------------

OPEN_TITLE_KK = "Жастар бастамаларына арналған шағын гранттар (ашық байқау)"


def open_competition() -> competition_services.CompetitionInput:
    """The seed's rules and criteria, its window open from yesterday for thirty days."""
    data = seed_competition()
    today = to_local(utcnow()).date()
    data.title_kk = OPEN_TITLE_KK
    data.title_ru = "Малые гранты на молодёжные инициативы (открытый конкурс)"
    data.number_prefix = "YI"
    data.opens_at = local_to_utc(datetime.combine(today - timedelta(days=1), time(9, 0)))
    data.closes_at = local_to_utc(datetime.combine(today + timedelta(days=30), time(23, 59, 59)))
    return data


def load_open_competition() -> None:
    """Published through the service (idempotent); applicant1 (a group) and applicant2 (an
    NGO) get a profile each, so they can start an application right after `make run`."""
    from smallgrants.applications import services as s
    from smallgrants.applications.models import ApplicantKind, ApplicantProfile

    coordinator = db.session.scalars(select(User).where(User.email == "coordinator@demo.kz")).one()
    if (
        db.session.scalar(select(Competition.id).where(Competition.title_kk == OPEN_TITLE_KK))
        is None
    ):
        competition = competition_services.create_competition(coordinator, open_competition())
        db.session.flush()
        competition_services.transition(competition, CompetitionStatus.PUBLISHED, coordinator)
    for email, kind, name in (
        ("applicant1@demo.kz", ApplicantKind.GROUP, "«Жас толқын» бастамашыл тобы"),
        ("applicant2@demo.kz", ApplicantKind.NGO, "ОФ «Молодёжный центр Текели»"),
    ):
        user = auth_services.find_user_by_email(email)
        if db.session.scalar(
            select(ApplicantProfile.id).where(ApplicantProfile.owner_id == user.id)
        ):
            continue
        s.save_profile(
            user,
            s.ProfileInput(
                kind=kind,
                name=name,
                bin=demo_bin(90) if kind == ApplicantKind.NGO else None,
                leader_iin=demo_iin(90) if kind == ApplicantKind.GROUP else None,
                head_name=user.full_name if kind == ApplicantKind.NGO else "",
                legal_address="Текелі қ., Абай к-сі 5" if kind == ApplicantKind.NGO else "",
                phone="+77015550190",
                email=email,
                members=[]
                if kind == ApplicantKind.NGO
                else [
                    s.MemberInput(user.full_name, None),
                    s.MemberInput("Әлия Серікова", None),
                    s.MemberInput("Тимур Ахметов", None),
                ],
            ),
        )


# --- the 15 applications of the seed (1 NGO + 9 groups won; 15 applied) ---------------------

DEMO_APPLICATIONS = [
    # (kind, organisation, leader, district, settlement, title, participants)
    (
        "ngo",
        "«Жарқын болашақ» қоғамдық бірлестігі",
        "Әсем Тұрсынова",
        "taldykorgan",
        "Талдықорған қ.",
        "«Ақпараттық қалқан»: синтетикалық есірткі туралы бейнеблогтар",
        3000,
    ),
    (
        "group",
        "«Таза өмір» бастамашыл тобы",
        "Ержан Сәрсенбаев",
        "aksu",
        "Жансүгіров а.",
        "Мектеп оқушыларына арналған «Таза өмір» профилактикалық тренингтері",
        1200,
    ),
    (
        "group",
        "«Спорт — өмір» бастамашыл тобы",
        "Айдос Мұратов",
        "alakol",
        "Үшарал қ.",
        "«Спорт — есірткіге қарсы» жастар турнирі",
        2500,
    ),
    (
        "group",
        "«Сана» бастамашыл тобы",
        "Гүлнар Әбенова",
        "tekeli",
        "Текелі қ.",
        "Ата-аналарға арналған «Сана» кездесулері",
        800,
    ),
    (
        "group",
        "«Жасыл аула» бастамашыл тобы",
        "Дәулет Қалиев",
        "karatal",
        "Үштөбе қ.",
        "Есірткі жарнамасы жазылған қабырғаларды бояу акциясы",
        1500,
    ),
    (
        "group",
        "«Ерікті жастар» бастамашыл тобы",
        "Мадина Серікова",
        "eskeldi",
        "Қарабұлақ а.",
        "«Ерікті жастар» волонтерлік ақпараттық рейдтері",
        2000,
    ),
    (
        "group",
        "«Сау ұрпақ» бастамашыл тобы",
        "Нұржан Омаров",
        "kerbulak",
        "Сарыөзек а.",
        "Колледж студенттеріне арналған «Сау ұрпақ» семинарлары",
        1100,
    ),
    (
        "group",
        "«Бірге күштіміз» бастамашыл тобы",
        "Жанар Ахметова",
        "koksu",
        "Балпық би а.",
        "«Бірге күштіміз» жастар квест ойыны",
        900,
    ),
    (
        "ngo",
        "«Панфилов жастары» қоғамдық бірлестігі",
        "Ринат Исмаилов",
        "panfilov",
        "Жаркент қ.",
        "«Жарқын болашақ» психологиялық қолдау клубы",
        1400,
    ),
    (
        "group",
        "«Дала жастары» бастамашыл тобы",
        "Бекзат Ержанов",
        "sarkan",
        "Сарқан қ.",
        "Ауыл жастарының «Дала жастары» форумы",
        1700,
    ),
    (
        "group",
        "«Қауіпсіз желі» бастамашыл тобы",
        "Алина Ким",
        "taldykorgan",
        "Талдықорған қ.",
        "«Қауіпсіз желі»: интернеттегі есірткі сатудан сақтану сабақтары",
        1300,
    ),
    (
        "group",
        "«Өмір таңдау» бастамашыл тобы",
        "Самал Жақсылықова",
        "aksu",
        "Қапал а.",
        "«Өмір таңдау» театрландырылған қойылымдары",
        1000,
    ),
    (
        "ngo",
        "«Денсаулық» қоғамдық қоры",
        "Асқар Бекмұханов",
        "panfilov",
        "Жаркент қ.",
        "«Денсаулық — байлық» жастар марафоны",
        2600,
    ),
    (
        "group",
        "«Жастар үні» бастамашыл тобы",
        "Дариға Нұрланқызы",
        "tekeli",
        "Текелі қ.",
        "«Жастар үні» подкаст сериясы",
        1800,
    ),
    (
        "group",
        "«Бір қадам» бастамашыл тобы",
        "Ілияс Тоқтаров",
        "alakol",
        "Қабанбай а.",
        "Тәуелділіктің алдын алу бойынша «Бір қадам» тренингі",
        700,
    ),
]

DEMO_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _with_check_digit(first11: str) -> str | None:
    from smallgrants.core.identifiers import check_digit

    c = check_digit(first11)
    return None if c is None else first11 + str(c)


def demo_iin(n: int) -> str:
    """A valid IIN of a person born in 1995–1999 (deterministic for demo n; distinct for
    n < 2100: the serial repeats every 100, the birth date only every 420)."""
    start = 100 * (n % 100)
    for serial in range(start + 1, start + 99):
        number = _with_check_digit(f"9{5 + n % 5}{1 + n % 12:02d}{1 + n % 28:02d}3{serial:04d}")
        if number:
            return number
    raise ValueError(n)


def demo_bin(n: int) -> str:
    """A valid BIN of a resident head office registered in 2015 (deterministic)."""
    for serial in range(100 * n + 1, 100 * n + 99):
        number = _with_check_digit(f"15{1 + n % 12:02d}40{serial:05d}")
        if number:
            return number
    raise ValueError(n)


def demo_budget(n: int):
    from smallgrants.applications import services as s

    return [
        s.BudgetInput("Баннерлер мен үнпарақтар", "дана", 4, 25_000),
        s.BudgetInput("Тренерлердің қызметі", "сағат", 10, 10_000),
        s.BudgetInput("Қатысушыларға кофе-брейк", "адам", 50, 1_500 + 100 * (n % 5)),
    ]


def demo_profile(user, kind: str, name: str, leader: str, settlement: str, n: int, phone: str):
    """The applicant's profile: an NGO with demo BIN n, or a group of three with its leader's
    demo IIN n."""
    from smallgrants.applications import services as s
    from smallgrants.applications.models import ApplicantKind

    ngo = kind == "ngo"
    return s.save_profile(
        user,
        s.ProfileInput(
            kind=ApplicantKind(kind),
            name=name,
            bin=demo_bin(n) if ngo else None,
            leader_iin=None if ngo else demo_iin(n),
            head_name=leader if ngo else "",
            legal_address=settlement if ngo else "",
            phone=phone,
            email=user.email,
            members=[]
            if ngo
            else [
                s.MemberInput(leader, None),
                s.MemberInput("Қатысушы Бір", None),
                s.MemberInput("Қатысушы Екі", None),
            ],
        ),
    )


def submit_demo_application(user, competition: Competition, profile, data, when) -> None:
    """Started when the window opened, filled in, its required files attached, submitted."""
    import io

    from smallgrants.applications import services as s

    application = s.start_application_at(user, competition, profile, competition.opens_at)
    s.save_draft(user, application, data)
    for item in competition.checklist:
        if item.required:
            s.add_attachment(user, application, io.BytesIO(DEMO_PDF), "kuelik.pdf", item.id)
    s.submit(user, application, now=when)


def load_applications(competition: Competition, password: str) -> None:
    """Fifteen submitted applications in the seed's districts (idempotent)."""

    from smallgrants.applications import services as s
    from smallgrants.applications.models import Application

    if (
        db.session.scalar(
            select(Application.id).where(Application.competition_id == competition.id).limit(1)
        )
        is not None
    ):
        return
    opens = competition.opens_at
    for n, (kind, org, leader, district, settlement, title, people) in enumerate(
        DEMO_APPLICATIONS, 1
    ):
        email = f"applicant{n + 2:02d}@demo.kz"
        user = auth_services.find_user_by_email(email) or auth_services.create_user(
            email, password, full_name=leader, locale="kk", confirmed=True
        )
        profile = demo_profile(
            user, kind, org, leader, settlement, n, f"+7701{1000000 + n * 7919:07d}"
        )
        submit_demo_application(
            user,
            competition,
            profile,
            s.ApplicationInput(
                title=title,
                district_code=district,
                settlement=settlement,
                problem=(
                    "Аудан жастары арасында синтетикалық есірткіге қатысты хабардарлық төмен, "
                    "әлеуметтік желілер арқылы тарату жағдайлары кездеседі."
                ),
                goal="Жастардың синтетикалық есірткінің зияны туралы білімін арттыру.",
                tasks="1. Іс-шараларды дайындау.\n2. Жастарды тарту.\n3. Нәтижелерді тарату.",
                target_group="14–29 жас аралығындағы жастар",
                planned_participants=people,
                sustainability="Бастама аяқталған соң волонтерлер клубы жұмысын жалғастырады.",
                team=f"{leader} — жетекші; екі волонтер.",
                activities=[s.ActivityInput(title, "2023 ж. қыркүйек–қазан", settlement, people)],
                budget=demo_budget(n),
                results=[
                    s.ResultInput("Жастардың хабардарлығы артты", "қатысушылар саны", str(people))
                ],
            ),
            opens + timedelta(days=1, hours=n),
        )


# --- the commission of the seed: approved, scored, met on Zoom, 10 winners ------------------

DEMO_COMMISSION = [
    # email, role, position and organisation
    ("member1@demo.kz", "chair", "«NarcoSTOP» жобасының жетекшісі"),
    ("member2@demo.kz", "secretary", "Жастар ресурстық орталығының маманы"),
    ("member3@demo.kz", "member", "Облыстық денсаулық сақтау басқармасының өкілі"),
]


def points_for(total: int, criteria) -> dict[int, int]:
    """Points on the seed's criteria (weights 3, 2, 2, 2, 1, maximum 10 each, so a sheet's
    total is Σ weight × points) that add up to `total` exactly."""
    points = {c.id: c.max_points for c in criteria}
    deficit = 100 - total
    for c in criteria:
        take = min(c.max_points, deficit // c.weight)
        points[c.id] -= take
        deficit -= take * c.weight
    if deficit:
        raise ValueError(total)
    return points


def seat_commission(coordinator, commission, approval_number: str, approval_day: date) -> list:
    """The demo's three members seated (all voting) and approved by a protocol of that
    number and day: quorum two thirds, ties by the heaviest criterion, scores shown."""
    from smallgrants.commission import services as cs
    from smallgrants.commission.models import CommissionRole, TieBreakRule

    seats = []
    for email, role, job_title in DEMO_COMMISSION:
        user = auth_services.find_user_by_email(email)
        seats.append(
            cs.add_member(
                coordinator,
                commission,
                email=email,
                full_name=user.full_name,
                job_title=job_title,
                role=CommissionRole(role),
                voting=True,
            )
        )
    cs.save_settings(
        coordinator,
        commission,
        cs.SettingsInput(
            approval_number=approval_number,
            approval_date=approval_day,
            approval_place="Талдықорған қ.",
            quorum_numerator=2,
            quorum_denominator=3,
            tie_break_rule=TieBreakRule.HEAVIEST_CRITERION,
            dispute_threshold=25,
            show_score_in_results=True,
        ),
    )
    return seats


def score_in_order(seats, applications, criteria, top: int, step: int) -> None:
    """Every seated member declares no conflict and submits a sheet on each application: the
    k-th gets `top − step·k` (a point more or less by member), so the ranking keeps the order."""
    from smallgrants.commission import services as cs

    for rank, application in enumerate(applications):
        for m, seat in enumerate(seats):
            user = db.session.get(User, seat.user_id)
            cs.declare(user, seat, application, conflict=False)
            total = top - step * rank + (m - 1)
            cs.save_sheet(user, seat, application, points_for(total, criteria), "", submit=True)


def decide_ranking(
    coordinator, commission, winners: set[int], amount: int | None, award: str, reject: str
) -> None:
    """The meeting's decisions in ranking order: the winners awarded `amount` (None: the prize
    of their place), the rest not supported, each by every member present and not recused."""
    from smallgrants.applications.models import Application
    from smallgrants.commission import queries as commission_queries
    from smallgrants.commission import services as cs
    from smallgrants.commission.conflicts import conflicted_member_ids
    from smallgrants.commission.models import Outcome

    for row in commission_queries.ranking(commission):
        application = db.session.get(Application, row.application.id)
        won = application.id in winners
        conflicted = conflicted_member_ids(commission.competition_id, application.id)
        present = cs.quorum_for(commission, conflicted).present
        cs.decide(
            coordinator,
            commission,
            application,
            cs.DecisionInput(
                outcome=Outcome.AWARD if won else Outcome.REJECT,
                amount=amount if won else None,
                votes_for=present if won else 0,
                votes_against=0 if won else present,
                votes_abstain=0,
                rationale=award if won else reject,
                tie_break="",
            ),
        )


def hold_meeting(
    coordinator, commission, seats, number: str, held_at: datetime, place: str, link: str = ""
) -> None:
    """Scoring closed and the meeting held (Almaty time): every member online when there is
    a link, in person otherwise."""
    from smallgrants.commission import services as cs
    from smallgrants.commission.models import AttendanceMode

    mode = AttendanceMode.ONLINE if link else AttendanceMode.IN_PERSON
    cs.close_scoring(coordinator, commission)
    cs.save_meeting(
        coordinator,
        commission,
        cs.MeetingInput(
            number=number,
            held_at=local_to_utc(held_at),
            place=place,
            online_link=link,
            attendance={seat.id: mode for seat in seats},
        ),
    )


def sign_and_publish(
    coordinator, competition: Competition, closed: datetime, signed: datetime, published: datetime
) -> None:
    """The protocol signed (in Kazakh) and the results published, dated when the demo's story
    says (Almaty times), not on the day the demo was loaded."""
    from smallgrants.commission import services as cs

    commission = cs.commission_of(competition)
    cs.sign(coordinator, commission, "kk")
    cs.publish_results(coordinator, commission)
    commission.scoring_closed_at = local_to_utc(closed)
    commission.meeting.signed_at = local_to_utc(signed)
    commission.results_published_at = local_to_utc(published)


def load_commission(competition: Competition) -> None:
    """Screening, the commission approved by protocol No. 1, scores, the meeting on Zoom and
    its signed protocol No. 2: 10 winners (1 NGO, 9 initiative groups) of 300 000 ₸, results
    published. Idempotent."""
    from smallgrants.applications import services as application_services
    from smallgrants.applications.models import ApplicantKind, Application, ApplicationStatus
    from smallgrants.commission import services as cs
    from smallgrants.commission.models import (
        ConflictGround,
    )

    commission = cs.commission_of(competition)
    if commission.meeting is not None:
        return
    coordinator = db.session.scalars(select(User).where(User.email == "coordinator@demo.kz")).one()
    applications = db.session.scalars(
        select(Application)
        .where(Application.competition_id == competition.id)
        .order_by(Application.seq)
    ).all()
    for application in applications:
        if application.status == ApplicationStatus.SUBMITTED:
            application_services.screen(coordinator, application, True)

    seats = seat_commission(coordinator, commission, "1", date(2023, 9, 7))

    # the order the commission arrives at: the NGO that won, nine groups, then the rest
    ngos = [a for a in applications if a.profile.kind == ApplicantKind.NGO]
    groups = [a for a in applications if a.profile.kind == ApplicantKind.GROUP]
    order = [ngos[0], *groups[:9], *ngos[1:], *groups[9:]]
    criteria = competition.criteria
    conflicted = {(seats[2].id, ngos[-1].id)}  # a relative works there: recused
    for rank, application in enumerate(order):
        for m, seat in enumerate(seats):
            user = db.session.get(User, seat.user_id)
            if (seat.id, application.id) in conflicted:
                cs.declare(
                    user,
                    seat,
                    application,
                    conflict=True,
                    ground=ConflictGround.RELATIVE,
                    reason="Жақын туысы ұйымда жұмыс істейді",
                )
                continue
            cs.declare(user, seat, application, conflict=False)
            total = 94 - 3 * rank + (m - 1)
            cs.save_sheet(user, seat, application, points_for(total, criteria), "", submit=True)
    hold_meeting(
        coordinator,
        commission,
        seats,
        "2",
        datetime(2023, 9, 12, 15, 0),
        "ZOOM платформасы",
        "https://zoom.us/j/8123456789",
    )
    decide_ranking(
        coordinator,
        commission,
        {a.id for a in order[:10]},
        competition.grant_amount,
        "Жоба өзекті, бюджеті негізделген",
        "Балы грант беру шегінен төмен",
    )
    sign_and_publish(
        coordinator,
        competition,
        datetime(2023, 9, 11, 18, 0),
        datetime(2023, 9, 12, 17, 0),
        datetime(2023, 9, 13, 10, 0),
    )


# --- grants and monitoring: the seed's 19 098 participants --------------------------------

# The seed's section 4, small-grants row. Its gender row adds up (5 686 + 13 412 = 19 098);
# its social-status row adds up to 19 314 and its age row to 19 108 — hand-typed. The demo
# takes the differences from the largest bucket (youth −216, 23–27 −10) so that every
# breakdown reconciles to 19 098, which is what the product guarantees (docs/monitoring.md).
SEED_SMALL_GRANTS = {
    "total": 19_098,
    "gender": {"men": 5_686, "women": 13_412},
    "social": {
        "s_children": 420,
        "s_youth": 14_218 - 216,
        "s_civil_servants": 600,
        "s_budget_employees": 700,
        "s_disabled": 0,
        "s_elderly": 1_134,
        "s_unemployed": 1_030,
        "s_ngo": 1_020,
        "s_business": 175,
        "s_other": 17,
    },
    "age": {
        "a_13_16": 519,
        "a_17_22": 1_599,
        "a_23_27": 7_027 - 10,
        "a_28_32": 5_184,
        "a_33_45": 3_481,
        "a_46_58": 1_126,
        "a_59_plus": 172,
    },
}

# (title, district, format, share of the grant's participants in ‰) — three events per grant:
# the first goes in the interim report, the other two in the final one.
DEMO_EVENTS = [
    ("Есірткіге жол жоқ: ақпараттық-түсіндіру кездесуі", "offline", 300),
    ("«Салауатты ұрпақ» флешмобы", "offline", 450),
    ("Синтетикалық есірткінің зияны туралы онлайн-вебинар", "online", 250),
]
DEMO_GRANT_TOTALS = [2_214, 1_876, 2_093, 1_652, 2_431, 1_508, 1_987, 1_744, 2_126, 1_467]


def demo_event_counts() -> list[dict[str, int]]:
    """The 30 events' participant columns: they add up to the seed's row exactly."""
    sizes = []
    for grant_total in DEMO_GRANT_TOTALS:
        first = grant_total * DEMO_EVENTS[0][2] // 1000
        second = grant_total * DEMO_EVENTS[1][2] // 1000
        sizes += [first, second, grant_total - first - second]
    cuts = [sum(sizes[: i + 1]) for i in range(len(sizes))]
    total = SEED_SMALL_GRANTS["total"]
    assert cuts[-1] == total, cuts[-1]
    parts = [apportion(total, SEED_SMALL_GRANTS[key], cuts) for key in ("gender", "social", "age")]
    events = []
    for size, gender, social, age in zip(sizes, *parts, strict=True):
        events.append({"total": size, **gender, **social, **age})
    return events


def load_grants(competition: Competition) -> None:
    """Grant terms, the 10 grants with their agreements and payments, each grantee's interim
    and final reports (accepted) with three events, publications and expenses, a monitoring
    visit. Idempotent."""
    from smallgrants.applications.models import Application
    from smallgrants.grants import queries as grant_queries
    from smallgrants.grants import services as gs
    from smallgrants.grants.models import EventFormat, Grant, GrantStatus, PeriodKind

    if db.session.scalar(select(Grant.id).where(Grant.competition_id == competition.id)):
        return
    coordinator = db.session.scalars(select(User).where(User.email == "coordinator@demo.kz")).one()
    terms = gs.terms_of(competition)
    gs.save_terms(
        coordinator,
        terms,
        gs.TermsInput(
            grantor_name="«Жоғары жастар кеңесі» қоғамдық бірлестігі",
            grantor_head="Жақсыбай Жұлдыз Әбілсейітқызы",
            grantor_bin="",
            grantor_address="Қазақстан, Алматы қаласы, мкр Жас Қанат 1/48",
            signing_place="Талдықорған қ.",
            agreement_prefix="ШГ",
            starts_on=date(2023, 9, 15),
            ends_on=date(2023, 11, 15),
            duties_kk="",
            duties_ru="",
        ),
    )
    gs.add_period(
        coordinator, terms, PeriodKind.INTERIM, local_to_utc(datetime(2023, 10, 15, 23, 59, 59))
    )
    gs.add_period(
        coordinator, terms, PeriodKind.FINAL, local_to_utc(datetime(2023, 11, 20, 23, 59, 59))
    )
    grants = gs.create_grants(coordinator, competition)
    events = demo_event_counts()
    event_dates = [date(2023, 10, 2), date(2023, 10, 27), date(2023, 11, 8)]
    for n, grant in enumerate(grants):
        grant.agreement_date = date(2023, 9, 14)
        gs.record_payment(
            coordinator,
            grant,
            gs.PaymentInput(1, date(2023, 9, 20), grant.amount, f"ПП-{n + 1:03d}"),
        )
        application: Application = grant.application
        grantee = db.session.get(User, application.applicant_id)
        interim, final = grant_queries.reports_of(grant.id)
        for i, (title, fmt, _share) in enumerate(DEMO_EVENTS):
            report = interim if i == 0 else final
            gs.save_event(
                grantee,
                report,
                gs.EventInput(
                    title=title,
                    held_on=event_dates[i] + timedelta(days=n % 5),
                    district_code=application.district_code,
                    settlement=application.settlement,
                    format=EventFormat(fmt),
                    description="",
                    counts=events[3 * n + i],
                ),
            )
        gs.add_publication(
            grantee,
            final,
            f"https://www.instagram.com/p/narcostop-{n + 1:02d}/",
            "Instagram",
            date(2023, 11, 9) + timedelta(days=n % 5),
            1_500 + 250 * n,
        )
        for line in application.budget:
            gs.add_expense(
                grantee,
                final if line.position % 2 else interim,
                gs.ExpenseInput(
                    line.id,
                    date(2023, 10, 1) + timedelta(days=line.position),
                    line.total,
                    f"Чек № {100 * (n + 1) + line.position}",
                ),
            )
        for report, text in (
            (interim, "Алғашқы іс-шара өтті, жастар есірткінің зияны туралы хабардар болды."),
            (
                final,
                "Жоспарланған барлық іс-шаралар өтті; жастар салауатты өмір салтын насихаттады.",
            ),
        ):
            gs.save_narrative(grantee, report, text, "", "")
            version = gs.submit_report(grantee, report)
            gs.review_report(coordinator, report, True, "")
            # the dates of the seed's autumn, not of the day the demo was loaded
            due = report.period.due_at
            version.submitted_at = report.submitted_at = due - timedelta(days=3, hours=n)
            version.reviewed_at = report.reviewed_at = due - timedelta(days=1, hours=n)

        if n % 3 == 0:
            gs.add_visit(
                coordinator,
                grant,
                date(2023, 10, 27) + timedelta(days=n % 5),
                "Жоба үйлестірушісі",
                "Іс-шара жоспар бойынша өтті, қатысушылар тізімі бар.",
            )
        gs.change_status(coordinator, grant, GrantStatus.COMPLETED)


# --- the seed's task 3: a video contest for young people, five prizes of 200 000 ₸ ---------

CONTEST_ENTRANTS = [
    "Айгерім Сапарова",
    "Нұрсұлтан Бекенов",
    "Дана Әбдіқалықова",
    "Ерасыл Нұрланұлы",
    "Мадина Оспанова",
    "Әлихан Төлеуов",
    "Аружан Қасымова",
    "Бекзат Жұмабаев",
    "Томирис Серікқызы",
    "Алмас Ермеков",
    "Жансая Бақытжанова",
    "Ислам Құдайбергенов",
    "Амина Мұратова",
    "Дәулет Сейітов",
    "Гүлназ Ахметова",
    "Темірлан Оразбаев",
    "Іңкәр Баймұханова",
    "Асылжан Әміров",
    "Балнұр Жақыпова",
    "Санжар Ілиясов",
]


def contest_competition() -> competition_services.CompetitionInput:
    """«Денсаулықты сақта»: individuals aged 14–29 enter a link to their Instagram video;
    five equal prizes of 200 000 ₸ (the seed: 24 August – 3 October 2023)."""
    return competition_services.CompetitionInput(
        title_kk=CONTEST_TITLE_KK,
        title_ru="Конкурс видеороликов «Береги здоровье»",
        description_kk=(
            "Жетісу облысы жастары арасында әлеуметтік желілерде бейнероликтер байқауы: "
            "есірткі мәселесін шешу жолдарын бейнеролик арқылы көрсетіңіз."
        ),
        description_ru=(
            "Конкурс видеороликов в социальных сетях среди молодёжи области Жетісу: покажите "
            "в ролике, как решить проблему наркотиков."
        ),
        direction_kk="Салауатты өмір салтын насихаттау",
        direction_ru="Пропаганда здорового образа жизни",
        region_code="KZ-33",
        district_codes=[],
        grant_amount=200_000,
        grant_count=5,
        accepts_ngo=False,
        accepts_group=False,
        accepts_individual=True,
        min_age=14,
        max_age=29,
        min_group_members=3,
        opens_at=local_to_utc(datetime(2023, 8, 24, 9, 0)),
        closes_at=local_to_utc(datetime(2023, 9, 24, 23, 59, 59)),
        rules_kk=(
            "1. Байқауға 14–29 жастағы Жетісу облысының жастары қатыса алады.\n"
            "2. Бейнеролик Instagram желісінде жарияланып, сілтемесі өтінімде беріледі.\n"
            "3. Жүлде – 200 000 теңгеден 5 жеңімпазға."
        ),
        rules_ru=(
            "1. Участвуют жители области Жетісу в возрасте 14–29 лет.\n"
            "2. Ролик публикуется в Instagram, ссылка указывается в заявке.\n"
            "3. Призы – по 200 000 тенге пятерым победителям."
        ),
        number_prefix="VC",
        entry_kind=EntryKind.VIDEO,
        award_kind=AwardKind.PRIZE,
        video_hosts="instagram.com",
        criteria=[
            C("Тақырыпқа сәйкестігі", "Соответствие теме", "", 10, 3),
            C("Идеяның тереңдігі", "Глубина идеи", "", 10, 2),
            C("Шығармашылық", "Творческий подход", "", 10, 2),
            C("Түсірілім сапасы", "Качество съёмки", "", 10, 2),
            C("Әлеуметтік әсері", "Социальный эффект", "", 10, 1),
        ],
        checklist=[],
    )


def load_contest(password: str) -> None:
    """The seed's video contest, idempotent: 20 young people enter as themselves, the
    commission (approved by protocol No. 3) scores on Zoom, protocol No. 4 awards five
    prizes of 200 000 ₸, each paid on 3 October 2023; the final report's task 3 row is
    computed from it."""
    from smallgrants.applications import services as s
    from smallgrants.applications.models import ApplicantKind
    from smallgrants.commission import services as cs
    from smallgrants.grants import queries as grant_queries
    from smallgrants.grants import services as grant_services

    if db.session.scalar(select(Competition.id).where(Competition.title_kk == CONTEST_TITLE_KK)):
        return
    coordinator = db.session.scalars(select(User).where(User.email == "coordinator@demo.kz")).one()
    contest = competition_services.create_competition(coordinator, contest_competition())
    contest.status = CompetitionStatus.PUBLISHED
    contest.published_at = local_to_utc(datetime(2023, 8, 24, 10, 0))
    db.session.flush()
    districts = [d.code for d in geography.districts_of("KZ-33")]
    applications = []
    for n, name in enumerate(CONTEST_ENTRANTS, 1):
        email = f"entrant{n:02d}@demo.kz"
        user = auth_services.find_user_by_email(email) or auth_services.create_user(
            email, password, full_name=name, locale="kk", confirmed=True
        )
        profile = s.save_profile(
            user,
            s.ProfileInput(
                kind=ApplicantKind.INDIVIDUAL,
                name=name,
                leader_iin=demo_iin(100 + n),
                phone=f"+7747{2000000 + n * 7919:07d}",
                email=email,
            ),
        )
        application = s.start_application_at(user, contest, profile, contest.opens_at)
        s.save_draft(
            user,
            application,
            s.ApplicationInput(
                title=f"«Денсаулықты сақта» — {n}-бейнеролик",
                district_code=districts[n % len(districts)],
                settlement="Талдықорған қ." if n % 2 else "Текелі қ.",
                problem="Синтетикалық есірткінің зияны және одан бас тарту жолдары туралы ролик.",
                video_url=f"https://www.instagram.com/reel/DenSaulyq{n:02d}/",
            ),
        )
        s.submit(user, application, now=contest.opens_at + timedelta(days=2, hours=n))
        applications.append(application)
    for application in applications:
        s.screen(coordinator, application, True)

    commission = cs.commission_of(contest)
    seats = seat_commission(coordinator, commission, "3", date(2023, 9, 25))
    score_in_order(seats, applications, contest.criteria, 96, 3)
    hold_meeting(
        coordinator,
        commission,
        seats,
        "4",
        datetime(2023, 10, 2, 15, 0),
        "ZOOM платформасы",
        "https://zoom.us/j/8123456790",
    )
    decide_ranking(
        coordinator,
        commission,
        {a.id for a in applications[:5]},
        None,
        "Тақырыпты терең ашқан, көп лайк жинаған",
        "",
    )
    sign_and_publish(
        coordinator,
        contest,
        datetime(2023, 10, 1, 18, 0),
        datetime(2023, 10, 2, 17, 0),
        datetime(2023, 10, 2, 18, 0),
    )
    for n, row in enumerate(grant_queries.prize_winners(contest.id), 1):
        grant_services.record_prize_payment(
            coordinator, row.decision, date(2023, 10, 3), f"ПП-В{n}"
        )
