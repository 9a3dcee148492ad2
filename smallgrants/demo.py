"""The NarcoSTOP demonstration data (../shared/seed): accounts and the small-grants competition.

Idempotent: running it twice changes nothing. Later issues add the applications, the
commission, the grants and the reports.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from smallgrants.auth import services as auth_services
from smallgrants.auth.models import Role, User
from smallgrants.competitions import services as competition_services
from smallgrants.competitions.models import Competition, CompetitionStatus
from smallgrants.core import geography
from smallgrants.core.timeutil import local_to_utc
from smallgrants.extensions import db

DEMO_USERS = [
    # email, full name, locale, roles
    ("admin@demo.kz", "Әкімші Демо", "kk", (Role.ADMIN,)),
    ("coordinator@demo.kz", "Айгүл Сапарова", "kk", (Role.COORDINATOR,)),
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


def load(password: str) -> None:
    for email, full_name, locale, roles in DEMO_USERS:
        if auth_services.find_user_by_email(email) is None:
            auth_services.create_user(
                email, password, full_name=full_name, locale=locale, confirmed=True, roles=roles
            )
    db.session.flush()
    exists = db.session.scalar(select(Competition.id).where(Competition.title_kk == SEED_TITLE_KK))
    if exists is None:
        coordinator = db.session.scalars(
            select(User).where(User.email == "coordinator@demo.kz")
        ).one()
        competition = competition_services.create_competition(coordinator, seed_competition())
        # announced on 23 August 2023, as in the seed: the window is long closed
        competition.status = CompetitionStatus.PUBLISHED
        competition.published_at = local_to_utc(datetime(2023, 8, 23, 9, 0))
