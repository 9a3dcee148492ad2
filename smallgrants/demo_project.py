"""The NarcoSTOP project itself (../shared/seed): header, goal, four tasks and the two blocks
the agreement requires, their activities with plan/fact indicators, the effect table, the
narrative sections, partners and proposals — as the seed's final report has them — with the
small-grants competition attached to task 4, so `flask export final-report` reproduces the
seed with its small-grants rows computed.

The seed gives each activity's participants but only the project's section 4 row for the
breakdowns (778: 379 men, 399 women; social status and age as in the seed, each summing to
778). The demo shares each breakdown out over the eight counted activities in proportion
(`apportion`), so every activity and the row reconcile.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from smallgrants.auth.models import User
from smallgrants.competitions.models import Competition
from smallgrants.extensions import db
from smallgrants.reporting import services as rs
from smallgrants.reporting.models import EffectKey, IndicatorSource, Project, TaskKind

PROJECT_TITLE = "«NarcoSTOP» жобасы"

SEED_PROJECT_ROW = {
    "total": 778,
    "gender": {"men": 379, "women": 399},
    "social": {
        "s_children": 0,
        "s_youth": 250,
        "s_civil_servants": 89,
        "s_budget_employees": 30,
        "s_disabled": 0,
        "s_elderly": 58,
        "s_unemployed": 85,
        "s_ngo": 75,
        "s_business": 175,
        "s_other": 16,
    },
    "age": {
        "a_13_16": 400,
        "a_17_22": 110,
        "a_23_27": 93,
        "a_28_32": 100,
        "a_33_45": 29,
        "a_46_58": 46,
        "a_59_plus": 0,
    },
}

GOAL = (
    "Салауатты өмір салтын насихаттау; Зиянды әдеттердің ағзаға тигізетін зияны туралы "
    "білімдерін тереңдете отырып, өз денсаулығына құндылық көзқарасын қалыптастыру. Дәрілердің "
    "адам өміріне әсерін көрсету; Жастар арасында нашақорлық пен ЖИТС-тің таралу себептері мен "
    "механизмдерін талдау, олардың алдын алу факторларын анықтау; жақсы және жаман әдеттер, "
    "өмір салты туралы білімдерін жүйелеу және жалпылау; Балалардың салауатты өмір сүруге деген "
    "құштарлығын қалыптастыру."
)
ACHIEVEMENTS = (
    "1) облыстың орта, орта арнаулы және жоғары оқу орындарында ақпараттық-профилактикалық "
    "кездесулер, студенттер арасында синтетикалық есірткіні қолданудың зияны мен зардаптары "
    "туралы ақпараттық-түсіндіру іс-шаралары өткізілді;\n"
    "2) Жастардың әлеуметтік осал санаттары үшін облыстық деңгейде профилактикалық іс-шаралар "
    "ұйымдастырылды;\n"
    "3) Жетісу облысы жастары арасында әрқайсысына 200 мың теңгеден 5 адамға ақшалай сыйлық "
    "тағайындау арқылы әлеуметтік желілерде бейнероликтер байқауы өткізілді;\n"
    "4) Қабырғалардағы есірткі орындарының мекен-жайы көрсетілген граффити жазуларын бояу "
    "бойынша іс-шаралар ұйымдастырылды;\n"
    "5) Синтетикалық есірткіні пайдалану немесе тарату фактілері туралы келіп түскен "
    "өтініштерге жедел жауап беру мақсатында telegram және whatsapp мессенджерлерінде анонимді "
    "сервис құрылды;\n"
    "6) Жастар арасында синтетикалық есірткінің алдын алу үшін 300 мың теңгеден 10 шағын грант "
    "іске асырылды;\n"
    "7) Облыстың 8 ауданы мен 2 қаласында жастар арасында заманауи әдістер мен кейстерді "
    "пайдалана отырып, нашақорлықтың алдын алу бойынша тренингтер өткізілді."
)
TEXTS = {
    "goal": GOAL,
    "results_summary": (
        "Мақсатты индикатор бойынша жоба аясында тиісті өңірдегі жастардың жалпы санынан "
        "(128 000) 100% адам (202 595) тікелей және жанама тұрғыда қамтылды. Жобаны іске "
        "асырудан қол жеткізілген нәтижелер келесідей:\n" + ACHIEVEMENTS
    ),
    "deviations": "Жобаны жүзеге асыру барысында ауытқулар орын алған жоқ.",
    "goal_achievement": (
        "Жобаның нәтижесі бойынша көзделген жобаның мақсатына толығымен қол жеткізілді. Жоба "
        "аясында салауатты өмір салты насихатталды. Балалардың салауатты өмір сүруге деген "
        "құштарлығы қалыптастырылды.\nЖоба аясында мақсатқа қол жеткізілгендігін келесі "
        "жүзеге асырылған іс-шаралардың нәтижесінен байқауға болады:\n" + ACHIEVEMENTS
    ),
    "changes": (
        "Жоба аясындағы табыс тарихы туралы нақты ақпаратты айту мүмкін емес. Алайда, жоба "
        "аясында әлеуметтік бейнероликтер байқауына қатысқан қатысушылар өз қабілеттерін "
        "бейнероликтер жасау арқылы шыңдады. Шағын гранттарды жүзеге асыру үшін облыста "
        "есірткі мәселесімен күрес жүргізетін 5-тен астам бастамашыл топтар құрылды."
    ),
    "success_stories": (
        "Жастармен жұмыс жасайтын үкіметтік емес ұйымдар мен бастамашыл топтардың жастар "
        "арасында синтетикалық есірткінің алдын алуға бағытталған өз жұмыстарын ұйымдастыруға "
        "қолдау көрсетілді. Өңірдегі үкіметтік емес ұйымдар мен бастамашыл топтар белсендірілді."
    ),
    "long_term_effect": (
        "Жоба аясында ұйымдастырылған семинар-тренингтер аясында білім алған жастардың алған "
        "білімдері олардың болашақ өмірлеріне оң әсерін тигізетін болады. Жоба аясында шағын "
        "гранттарды ұйымдастырған бастамашыл топтар болашақта да салауатты өмір салты бағыты "
        "бойынша жұмыстарын жалғастыратын болады."
    ),
    "sustainability": (
        "Жоба аясында салауатты өмір салты насихатталды. Жастар арасында зиянды әдеттердің "
        "ағзаға тигізетін зияны туралы білімдерін тереңдете отырып, өз денсаулығына құндылық "
        "көзқарасы қалыптастырылды."
    ),
    "socio_economic_effect": (
        "Жобаның әлеуметтік әсері ретінде жүргізілген ақпараттық жұмыстардың нәтижесінде "
        "есірткі мәселесінің өзектілігіне қоғам назарын бұру болып табылса, экономикалық әсері "
        "жоба аясында 3 (үш) адам жұмыспен қамтылды, 10 (он) бастамашыл топ әлеуметтік-қаржылай "
        "қолдауға ие болды."
    ),
    "partners_analysis": (
        "Жобаны жүзеге асыру барысында Жетісу облысының Жастар ресурстық орталығы мен Полиция "
        "департаменті Есірткі қылмысына қарсы іс-қимыл басқармасы тарапынан әдістемелік қолдау "
        "көрсетілді және іс-шараларды ұйымдастыруға көмек берілді."
    ),
}

CONTEST_ACTIVITY = (
    "«Денсаулық сақта» бейнероликтер байқауы: әрқайсысына 200 мың теңгеден 5 адамға ақшалай сыйлық"
)

# task kind, task title, [activity: (title, start, end, place, counted, total, note,
#                                     results, effectiveness, [indicators])]
TASKS = [
    (
        TaskKind.TASK,
        "Жоба бойынша жұмыс тобын құрып, ақпараттық жұмыстар жүргізу",
        [
            (
                "Жастар арасында есірткі және олардың прекурсорларының таралуы мен "
                "қолданылуының алдын алу. Жетісу облысында NarcoSTOP жұмыс тобын құру.",
                date(2023, 8, 1),
                date(2023, 11, 30),
                "Алматы қаласы, Жандарбеков көшесі 238/91, 208 кабинет",
                False,
                5,
                "азамат жобаның жүзеге асырылуына тартылды. Оның үшеуі жұмыспен қамтамасыз "
                "етілді. Екеуі ұйымның құрылтайшылары болып табылады.",
                "Жобаның тиімді және сапалы жүзеге асырылуы үшін білікті мамандарды тарту "
                "арқылы 5 адамнан тұратын жұмыс тобы құрылды.",
                "Жобаға білікті мамандарды тарту арқылы жоба тиісті деңгейде жүзеге асырылды.",
                [
                    ("Жұмыс тобының мүшелері", 3, False, 5),
                    ("Жұмыс тобының тізімі", 1, False, 1),
                    ("Әлеуметтік желілерде жарияланымдар (жоба туралы)", 10, False, 36),
                    ("Жоба туралы мақалалар", 2, True, 8),
                ],
            ),
            (
                "Облыстың орта, орта арнаулы және жоғары оқу орындарында "
                "ақпараттық-профилактикалық кездесулер өткізу: «Есірткінің зияны туралы», "
                "«Нашақорлық пен алкоголизмнің алдын алу», «Нарко STOP».",
                date(2023, 11, 10),
                date(2023, 11, 11),
                "Талдықорған агро-техникалық колледжі, Талдықорған политехникалық колледжі, "
                "Талдықорған заң колледжі",
                True,
                304,
                "студент ақпараттық-профилактикалық мақсаттарда есірткіні қолданудың зияны мен "
                "зардаптары туралы ақпараттарға ие болды.",
                "2023 жылғы 10-11 қараша күндері Жетісу облысының колледждерінде білікті "
                "мамандардың қатысуымен кездесулер өткізілді. Өткізілген кездесулерге барлығы "
                "304 студент қатысты.",
                "«Sober Road» kenes clinic» орталығының білікті мамандарының тартылуымен "
                "облыстың 304 студенті құнды білімдерге ие болды.",
                [
                    ("Кездесулердің басталғандығы туралы хабарландырулар", 3, False, 3),
                    ("Кездесу тұжырымдамасы", 3, False, 3),
                    ("Кездесу бағдарламасы", 3, False, 3),
                    ("Жалпы кездесуге қатысушылар саны", 300, True, 304),
                    ("Фотосуреттер (әр кездесуден 5)", 15, False, 15),
                    ("Посттар мен мақалалар саны", 10, True, 17),
                ],
            ),
        ],
    ),
    (
        TaskKind.TASK,
        "Жастардың әлеуметтік осал санаттары үшін облыстық деңгейде профилактикалық "
        "іс-шаралар өткізу",
        [
            (
                "Облыстың 8 ауданы мен 2 қаласында жастар арасында заманауи әдістер мен "
                "кейстерді пайдалана отырып, нашақорлықтың алдын алу бойынша тренингтер өткізу.",
                date(2023, 9, 28),
                date(2023, 9, 29),
                "Қарабұлақ, Жансүгіров, Текелі, Сарқанд, Үшарал, Талдықорған, Балпық би, "
                "Үштөбе, Сарыөзек, Панфилов",
                True,
                253,
                "облыстың аудандарындағы қала және ауыл жастары есірткі, алкоголь және құмар "
                "ойындардың қауіптілігі туралы тиісті ақпараттарға ие болды.",
                "«Өмірді мағынаға толтыру», «Мен денсаулығыма жауаптымын» тақырыптарында 10 "
                "семинар-тренинг өткізілді. Жалпы қатысқандар саны – 253.",
                "Заманауи әдістер мен кейстердің негізінде облыстың жастары нашақорлықтың алдын "
                "алу бойынша пайдалы ақпараттарға ие болды.",
                [
                    ("Семинар-тренингтердің басталғандығы туралы хабарландырулар", 2, False, 2),
                    ("Жалпы іс-шараларға қатысушылар саны", 200, True, 253),
                    ("Семинарлар саны", 10, False, 10),
                    ("Фотосуреттер", 10, False, 10),
                    ("Спикерлер", 2, True, 2),
                    ("Видеолар саны", 5, False, 5),
                    ("Посттар мен мақалалар", 10, False, 13),
                ],
            ),
        ],
    ),
    (
        TaskKind.TASK,
        "Жастарды репродуктивті денсаулық туралы ақпараттандыру",
        [
            (
                "«Денсаулық сақта» акциясы. Жастарды репродуктивті денсаулық туралы "
                "ақпараттандыру акциясын ұйымдастыру және өткізу.",
                date(2023, 11, 7),
                date(2023, 11, 8),
                "Жетісу облысы, Талдықорған қаласындағы Арбат және Орталық саябағы",
                True,
                54,
                "облыстың жас азаматтары мен қала тұрғындары репродуктивті денсаулық туралы "
                "ақпараттарға ие болды.",
                "Жетісу облысының саябақтарында «Денсаулық сақта» акциясы өткізілді. Акция "
                "барысында 54 жас тиісті ақпараттармен қамтамасыз етілді.",
                "Жастарды репродуктивті денсаулық туралы және нашақорлықтың алдын алу "
                "мақсатында түсіндірме жұмыстары жүргізілді.",
                [
                    ("Акцияның басталғандығы туралы хабарландырулар", 2, False, 2),
                    ("Акцияның тұжырымдамасы", 2, False, 2),
                    ("Жалпы іс-шараларға қатысушылар саны", 50, True, 54),
                    ("Фотосуреттер", 5, False, 5),
                    ("Видеолар саны", 1, False, 1),
                    ("Посттар мен мақалалар", 5, False, 5),
                ],
            ),
            (
                "«Есірткіге ЖОЛ ЖОҚ!» және «Есірткіге қарсымыз» атты қабырғалардағы есірткі "
                "орындарының мекен-жайы көрсетілген граффити жазуларын бояу",
                date(2023, 11, 8),
                date(2023, 11, 8),
                "Жетісу облысы, Талдықорған қаласының аумағы",
                True,
                46,
                "граффити жазуларын бояу шарасына қатысу арқылы құқық бұзушы ұйымдарды құрықтау "
                "жұмыстарына белсенді қатысты.",
                "Іс-шара Жетісу облысы Полиция департаменті Есірткі қылмысына қарсы іс-қимыл "
                "басқармасының қолдауымен өткізілді. Іс-шараға облыстың 46 белсендісі қатысты.",
                "Қабырғаларда заңсыз түрде жарияланған граффити жарнамалар өшірілді.",
                [
                    ("Іс-шараның тұжырымдамасы", 2, False, 2),
                    ("Іс-шара туралы хабарландыру", 2, False, 2),
                    ("Жалпы іс-шараларға қатысушылар саны", 20, True, 46),
                    ("Фотосуреттер", 10, False, 10),
                    ("Видеолар саны", 2, False, 2),
                    ("Посттар мен мақалалар", 10, False, 10),
                ],
            ),
            (
                CONTEST_ACTIVITY,
                date(2023, 8, 24),
                date(2023, 10, 3),
                "Онлайн форматта инстаграм әлеуметтік желісінде; комиссия отырысы ZOOM "
                "платформасында",
                True,
                20,
                "жас есірткі мәселесін шешу жолдарын өздерінің бейнероликтеріне ұсынған жұмыстары "
                "арқылы көрсетті.",
                "Байқау екі кезеңде жүргізілді, үздік деп танылған 9 жұмыс әлеуметтік желіде "
                "жарияланды, 5 жұмыс 200 000 теңгелік сыйақыға ие болды.",
                "Жастар арасында салауатты өмір салты насихатталды.",
                [
                    ("Байқаудың ережесі", 1, False, 1),
                    ("Байқаудың басталғандығын жариялау туралы пост", 1, False, 1),
                    ("Байқауға келіп түскен жұмыстар саны", 10, True, 20),
                    ("Комиссия мүшелерін бекіту хаттамасы", 1, False, 1),
                    ("Жарияланған үздік бейнероликтер саны", None, False, 9),
                    ("Комиссия отырысының хаттамасы", 1, False, 1),
                    ("Жеңімпаздарға сыйлықтар", 5, False, 5),
                ],
            ),
        ],
    ),
    (
        TaskKind.TASK,
        "Жастар арасында синтетикалық есірткінің алдын алу бойынша жұмыстарды ұйымдастыру",
        [
            "competition",
            (
                "Синтетикалық есірткіні пайдалану немесе тарату фактілері туралы келіп түскен "
                "өтініштерге жедел жауап беру мақсатында telegram және whatsapp "
                "мессенджерлерінде анонимді сервис құру",
                date(2023, 10, 4),
                date(2023, 11, 24),
                "Онлайн форматта: telegram және whatsapp мессенджерлері",
                True,
                56,
                "жас синтетикалық есірткіні пайдалану немесе тарату фактілері туралы сұрақтарға "
                "қатысты қажетті ақпараттарға ие болды.",
                "Жоба аясында анонимді желі жұмыс жасады. Желінің жұмысы барысында 56 жас "
                "өздерін мазалаған сұрақтарын қойды.",
                "Хабарласушылардың арыз-шағымдарына жедел мән беру және оның жан-жақты "
                "қаралуына ықпал жасалынды.",
                [
                    ("Құрылған сервистер саны", 2, False, 2),
                    ("Жедел желіге келген өтінімдер саны", None, False, 56),
                ],
            ),
        ],
    ),
    (
        TaskKind.CONTRACTUAL,
        "Шарт талаптарына сәйкес жоба нәтижелерінің қорытынды жария тұсаукесері",
        [
            (
                "Жобаның нәтижелері бойынша қорытынды онлайн есептік кездесу",
                date(2023, 11, 20),
                date(2023, 11, 20),
                "@jas_kenes инстаграм парақшасы",
                True,
                30,
                "жас жоба аясында жүзеге асырылған мәліметтермен танысты.",
                "Кездесу барысында жоба жетекшісі, жоба сарапшысы, жоба аясындағы шағын грант "
                "иегері жобаның жүзеге асырылу барысымен таныстырды.",
                "Жоба нәтижелерімен бұқара халық таныстырылды. Жобаның қорытындысы шығарылды.",
                [
                    ("Өткізілген іс-шара саны", 1, False, 1),
                    ("Спикерлер саны", 3, False, 3),
                    ("Қатысушылар саны", None, False, 30),
                    ("Қорытынды презентация", 1, False, 1),
                ],
            ),
        ],
    ),
    (
        TaskKind.CONTRACTUAL,
        "Шарт талаптарына сәйкес жобаның орындалу барысы туралы ақпараттық жұмыс",
        [
            (
                "Жобаны жүзеге асырылу барысын ақпараттық қамту",
                date(2023, 7, 24),
                date(2023, 11, 20),
                "Онлайн форматта әлеуметтік желілер мен бұқаралық ақпарат құралдары",
                False,
                202_595,
                "адам жобаның жүзеге асырылу барысымен танысты.",
                "Жобаның жүзеге асырылу барысы бойынша барлық іс-шаралар бұқаралық ақпарат "
                "құралдары мен әлеуметтік желілерде жарияланды.",
                "Бұқара халық арасында есірткі мәселесіне қатысты ақпараттар ұсынылды.",
                [("Қамту саны", 200_000, True, 202_595)],
            ),
        ],
    ),
]

# the demo's video contest (demo.load_contest) is attached to task 3 in place of the typed
# row: its indicators are computed, named as the seed names them, with the seed's plans
CONTEST_TITLE_KK = "«Денсаулықты сақта» бейнероликтер байқауы"
CONTEST_INDICATORS = {
    IndicatorSource.RULES: ("Байқаудың ережесі", 1, False),
    IndicatorSource.ANNOUNCEMENT: ("Байқаудың басталғандығын жариялау туралы пост", 1, False),
    IndicatorSource.APPLICATIONS: ("Байқауға келіп түскен жұмыстар саны", 10, True),
    IndicatorSource.APPROVAL_PROTOCOL: ("Комиссия мүшелерін бекіту хаттамасы", 1, False),
    IndicatorSource.MEMBERS: ("Комиссия мүшелерінің саны", 3, False),
    IndicatorSource.MEETING_PROTOCOL: ("Комиссия отырысының хаттамасы", 1, False),
    IndicatorSource.PRIZES: ("Жеңімпаздарға сыйлықтар", 5, False),
}
CONTEST_TYPED = ("Жарияланған үздік бейнероликтер саны", None, False, 9)  # not in the records

COMPETITION_ACTIVITY = (
    "Жастар арасында синтетикалық есірткінің алдын алуға арналған 300 мың теңге 10 шағын "
    "грантты жүзеге асыру"
)
COMPETITION_OWN = {
    "total": 15,
    "place": "Жетісу облысы",
    "note": "өтінім жолдаушы үкіметтік емес ұйымдар мен бастамашыл топтар жобаға өтінім жолдау "
    "қабілеттерін арттырды.",
    "effectiveness": (
        "Жастармен жұмыс жасайтын үкіметтік емес ұйымдар мен бастамашыл топтардың жастар "
        "арасында синтетикалық есірткінің алдын алуға бағытталған өз жұмыстарын ұйымдастыруға "
        "қолдау көрсетілді; өңірдегі үкіметтік емес ұйымдар мен бастамашыл топтар белсендірілді."
    ),
}
# plans the coordinator sets for the computed indicators (the rest keep their defaults)
COMPETITION_PLANS = {IndicatorSource.APPLICATIONS: 10, IndicatorSource.MEMBERS: 3}

EFFECTS = {
    EffectKey.DIRECT: (685, 778),
    EffectKey.INDIRECT: (200_000, 202_500),
    EffectKey.STAFF: (3, 3),
    EffectKey.SPECIALISTS: (5, 5),
    EffectKey.NGOS: (None, 1),
    EffectKey.PAYROLL: (2_000_000, 2_000_000),
    EffectKey.TAXES: (297_200, 297_200),
    EffectKey.PURCHASES: (4_752_800, 4_752_800),
    EffectKey.PARTNERS: (5, None),
}

PARTNERS = [
    (
        "«Сұңқар» студенттер мен магистранттар кәсіподағы» ҚБ төрағасы Нұрқияс Аяна Айтуғанқызы",
        "Жобаны жүзеге асыру барысында волонтерлермен қамтамасыз ету",
        "+77762662578",
    ),
    (
        "«Алматы студенттер Альянсы» корпоративтік қорының төрағасы Қуандық Жасұлан Бостандықұлы",
        "Жобаны жүзеге асыру барысын әдістемелік қолдау",
        "+77756731050",
    ),
    (
        "«Bugin Assosation» ҚБ төрағасы Қызайбай Әлібек Қайратұлы",
        "Жобаны жүзеге асыру барысын әдістемелік қолдау",
        "+77081114196",
    ),
    (
        "«Dauletten.kz» ақпараттық танымдық порталы",
        "Жобаны жүзеге асыру барысын ақпараттық қолдау",
        "+77756731050",
    ),
    (
        "«Dauletten» қайырымдылық қоры",
        "Жобаны жүзеге асыру барысын әдістемелік қолдау",
        "+77756731050",
    ),
    (
        "Искакова Меруерт Сеитовна – Жетісу облысы Полиция департаменті Есірткі қылмысына "
        "қарсы іс-қимыл басқармасының жедел уәкілі, полиция подполковнигі",
        "Жоба барысында іс-шараларды ұйымдастыруға қолдау",
        "+77472529373",
    ),
    (
        "Жетісу облыстық Жастар ресурстық орталығы; Ақболатов Еркебұлан Ешмұхамбетұлы – Жетісу "
        "облыстық мәслихатының депутаты",
        "Жоба барысында іс-шараларды ұйымдастыруға қолдау",
        "+7 777 806 1199",
    ),
]

PROPOSAL = {
    "sphere": "Жастар және балалар бастамаларын қолдау",
    "priority": "Жастар арасында есірткі және олардың прекурсорларының таралуы мен "
    "қолданылуының алдын алу басым бағыты аясында «Сауатты денсаулық» жобасы",
    "problem": "Жоба аясында Жетісу облысының жастары арасында денсаулыққа қатысты білімдерін "
    "дамыту мақсатында баттл ұйымдастыру және спорттық жарыстар өткізу. Жоба ауылдық, "
    "аудандық, облыстық деңгейде ұйымдастырылады.",
    "amount": 30_000_000,
    "grant_type": "Орта мерзімді",
    "expected_results": "Жоба аясында жүзеге асырылатын іс-шаралардың нәтижесінде мәселені "
    "шешудің позитивті жолдары ұсынылады.",
}


def apportion(total_size: int, buckets: dict[str, int], cuts: list[int]) -> list[dict[str, int]]:
    """Split a breakdown of `total_size` people into consecutive slices ending at `cuts`, each
    slice getting every bucket in proportion; the largest bucket takes the rounding, so every
    slice sums to its length and every bucket to its total."""
    largest = max(buckets, key=buckets.get)

    def cumulative(x: int) -> dict[str, int]:
        counts = {b: x * n // total_size for b, n in buckets.items() if b != largest}
        counts[largest] = x - sum(counts.values())
        return counts

    slices, previous = [], cumulative(0)
    for cut in cuts:
        current = cumulative(cut)
        slices.append({b: current[b] - previous[b] for b in buckets})
        previous = current
    return slices


def project_activity_counts() -> list[dict[str, int]]:
    """Participant columns of the eight counted activities, in report order: each breakdown
    of the seed's project row shared out in proportion, so each activity sums to its total."""
    sizes = []
    for _kind, _title, activities in TASKS:
        for activity in activities:
            if activity == "competition":
                sizes.append(COMPETITION_OWN["total"])
            elif activity[4]:
                sizes.append(activity[5])
    cuts = [sum(sizes[: i + 1]) for i in range(len(sizes))]
    total = SEED_PROJECT_ROW["total"]
    assert cuts[-1] == total, cuts[-1]
    parts = [apportion(total, SEED_PROJECT_ROW[key], cuts) for key in ("gender", "social", "age")]
    return [
        {"total": size, **gender, **social, **age}
        for size, gender, social, age in zip(sizes, *parts, strict=True)
    ]


def load_project(competition: Competition) -> Project:
    """The NarcoSTOP project, idempotent."""
    existing = db.session.scalar(select(Project).where(Project.title == PROJECT_TITLE))
    if existing is not None:
        return existing
    coordinator = db.session.scalars(select(User).where(User.email == "coordinator@demo.kz")).one()
    project = rs.create_project(
        coordinator,
        rs.ProjectInput(
            organisation="«Жоғары жастар кеңесі» қоғамдық бірлестігі",
            title=PROJECT_TITLE,
            head_name="Жақсыбай Жұлдыз Әбілсейітқызы",
            legal_address="Қазақстан, Алматы қаласы, мкр Жас Қанат 1/48",
            phone="+7 702 862 97 92",
            direction="Жастар арасында есірткі және олардың прекурсорларының таралуы мен "
            "қолданылуының алдын алу",
            agreement_number="105",
            agreement_date=date(2023, 7, 24),
            starts_on=date(2023, 8, 1),
            ends_on=date(2023, 11, 30),
            grant_sum=7_000_000,
        ),
    )
    rs.save_texts(coordinator, project, TEXTS)
    contest = db.session.scalar(select(Competition).where(Competition.title_kk == CONTEST_TITLE_KK))
    counts = iter(project_activity_counts())
    for kind, title, activities in TASKS:
        task = rs.add_task(coordinator, project, title, kind)
        for activity in activities:
            if activity == "competition":
                row = rs.attach_competition(coordinator, task, competition, COMPETITION_ACTIVITY)
                rs.save_activity(
                    coordinator,
                    task,
                    rs.ActivityInput(
                        title=COMPETITION_ACTIVITY,
                        starts_on=date(2023, 8, 23),
                        ends_on=date(2023, 11, 30),
                        place=COMPETITION_OWN["place"],
                        participants_note=COMPETITION_OWN["note"],
                        effectiveness=COMPETITION_OWN["effectiveness"],
                        counts=next(counts),
                    ),
                    row,
                )
                for indicator in row.indicators:
                    if indicator.source in COMPETITION_PLANS:
                        rs.save_indicator(
                            coordinator,
                            row,
                            rs.IndicatorInput(
                                indicator.name, COMPETITION_PLANS[indicator.source], True
                            ),
                            indicator,
                        )
                continue
            (name, starts, ends, place, counted, total, note, results, effect, indicators) = (
                activity
            )
            data = rs.ActivityInput(
                title=name,
                starts_on=starts,
                ends_on=ends,
                place=place,
                participants_note=note,
                results=results,
                effectiveness=effect,
                counted=counted,
                counts=next(counts) if counted else {"total": total},
            )
            if name == CONTEST_ACTIVITY and contest is not None:  # computed from the contest
                row = rs.attach_competition(coordinator, task, contest, name)
                rs.save_activity(coordinator, task, data, row)
                for indicator in row.indicators:
                    ind_name, plan, at_least = CONTEST_INDICATORS[indicator.source]
                    rs.save_indicator(
                        coordinator, row, rs.IndicatorInput(ind_name, plan, at_least), indicator
                    )
                rs.save_indicator(coordinator, row, rs.IndicatorInput(*CONTEST_TYPED))
                continue
            row = rs.save_activity(coordinator, task, data)
            for ind_name, plan, at_least, fact in indicators:
                rs.save_indicator(
                    coordinator, row, rs.IndicatorInput(ind_name, plan, at_least, fact)
                )
    rs.save_effects(
        coordinator,
        project,
        {key: (plan, fact, "") for key, (plan, fact) in EFFECTS.items()},
    )
    for name, role, contacts in PARTNERS:
        rs.save_list_row(
            coordinator,
            project,
            "partners",
            {"name": name, "role": role, "contacts": contacts, "note": ""},
        )
    rs.save_list_row(coordinator, project, "proposals", PROPOSAL)
    return project
