"""Reference data: the 20 top-level units of Kazakhstan (since 8 June 2022) and the
districts of Zhetisu region, with their names in Kazakh, Russian and English.

Names are data in three languages, not interface texts, so they are not in the catalogues.
Source: ../shared/GLOSSARY.md.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from smallgrants.core.collation import sort_key


@dataclass(frozen=True)
class Place:
    code: str
    kk: str
    ru: str
    en: str
    centre_kk: str = ""
    centre_ru: str = ""

    @property
    def is_city(self) -> bool:
        """A city (of regional significance): «… қ.» in Kazakh."""
        return self.kk.endswith(" қ.")

    def name(self, locale: str) -> str:
        return getattr(self, locale if locale in ("kk", "ru", "en") else "kk")


REGIONS: tuple[Place, ...] = (
    Place("KZ-71", "Астана қ.", "г. Астана", "Astana"),
    Place("KZ-75", "Алматы қ.", "г. Алматы", "Almaty"),
    Place("KZ-79", "Шымкент қ.", "г. Шымкент", "Shymkent"),
    Place("KZ-10", "Абай облысы", "область Абай", "Abai Region", "Семей", "Семей"),
    Place("KZ-11", "Ақмола облысы", "Акмолинская область", "Akmola Region", "Көкшетау", "Кокшетау"),
    Place("KZ-15", "Ақтөбе облысы", "Актюбинская область", "Aktobe Region", "Ақтөбе", "Актобе"),
    Place("KZ-19", "Алматы облысы", "Алматинская область", "Almaty Region", "Қонаев", "Конаев"),
    Place("KZ-23", "Атырау облысы", "Атырауская область", "Atyrau Region", "Атырау", "Атырау"),
    Place(
        "KZ-27",
        "Батыс Қазақстан облысы",
        "Западно-Казахстанская область",
        "West Kazakhstan Region",
        "Орал",
        "Уральск",
    ),
    Place("KZ-31", "Жамбыл облысы", "Жамбылская область", "Zhambyl Region", "Тараз", "Тараз"),
    Place(
        "KZ-33", "Жетісу облысы", "область Жетысу", "Zhetisu Region", "Талдықорған", "Талдыкорган"
    ),
    Place(
        "KZ-35",
        "Қарағанды облысы",
        "Карагандинская область",
        "Karaganda Region",
        "Қарағанды",
        "Караганда",
    ),
    Place(
        "KZ-39",
        "Қостанай облысы",
        "Костанайская область",
        "Kostanay Region",
        "Қостанай",
        "Костанай",
    ),
    Place(
        "KZ-43",
        "Қызылорда облысы",
        "Кызылординская область",
        "Kyzylorda Region",
        "Қызылорда",
        "Кызылорда",
    ),
    Place(
        "KZ-47", "Маңғыстау облысы", "Мангистауская область", "Mangystau Region", "Ақтау", "Актау"
    ),
    Place(
        "KZ-55",
        "Павлодар облысы",
        "Павлодарская область",
        "Pavlodar Region",
        "Павлодар",
        "Павлодар",
    ),
    Place(
        "KZ-59",
        "Солтүстік Қазақстан облысы",
        "Северо-Казахстанская область",
        "North Kazakhstan Region",
        "Петропавл",
        "Петропавловск",
    ),
    Place(
        "KZ-61",
        "Түркістан облысы",
        "Туркестанская область",
        "Turkistan Region",
        "Түркістан",
        "Туркестан",
    ),
    Place("KZ-62", "Ұлытау облысы", "область Ұлытау", "Ulytau Region", "Жезқазған", "Жезказган"),
    Place(
        "KZ-63",
        "Шығыс Қазақстан облысы",
        "Восточно-Казахстанская область",
        "East Kazakhstan Region",
        "Өскемен",
        "Усть-Каменогорск",
    ),
)

# Districts and cities of regional significance, by region code.
DISTRICTS: dict[str, tuple[Place, ...]] = {
    "KZ-33": (
        Place("taldykorgan", "Талдықорған қ.", "г. Талдыкорган", "Taldykorgan city"),
        Place("tekeli", "Текелі қ.", "г. Текели", "Tekeli city"),
        Place("aksu", "Ақсу ауданы", "Аксуский район", "Aksu District", "Жансүгіров", "Жансугуров"),
        Place(
            "alakol", "Алакөл ауданы", "Алакольский район", "Alakol District", "Үшарал", "Ушарал"
        ),
        Place(
            "eskeldi",
            "Ескелді ауданы",
            "Ескельдинский район",
            "Eskeldi District",
            "Қарабұлақ",
            "Карабулак",
        ),
        Place(
            "karatal",
            "Қаратал ауданы",
            "Каратальский район",
            "Karatal District",
            "Үштөбе",
            "Уштобе",
        ),
        Place(
            "kerbulak",
            "Кербұлақ ауданы",
            "Кербулакский район",
            "Kerbulak District",
            "Сарыөзек",
            "Сарыозек",
        ),
        Place(
            "koksu", "Көксу ауданы", "Коксуский район", "Koksu District", "Балпық би", "Балпык би"
        ),
        Place(
            "panfilov",
            "Панфилов ауданы",
            "Панфиловский район",
            "Panfilov District",
            "Жаркент",
            "Жаркент",
        ),
        Place(
            "sarkan", "Сарқан ауданы", "Саркандский район", "Sarkand District", "Сарқан", "Саркан"
        ),
    ),
    # Turkistan oblast (centre Түркістан since 2018): its three cities of regional
    # significance and fourteen districts with their centres
    "KZ-61": (
        Place("turkistan", "Түркістан қ.", "г. Туркестан", "Turkistan city"),
        Place("arys", "Арыс қ.", "г. Арыс", "Arys city"),
        Place("kentau", "Кентау қ.", "г. Кентау", "Kentau city"),
        Place(
            "baidibek", "Бәйдібек ауданы", "Байдибекский район", "Baidibek District", "Шаян", "Шаян"
        ),
        Place(
            "zhetisai",
            "Жетісай ауданы",
            "Жетысайский район",
            "Zhetisai District",
            "Жетісай",
            "Жетысай",
        ),
        Place(
            "kazygurt",
            "Қазығұрт ауданы",
            "Казыгуртский район",
            "Kazygurt District",
            "Қазығұрт",
            "Казыгурт",
        ),
        Place("keles", "Келес ауданы", "Келесский район", "Keles District", "Абай", "Абай"),
        Place(
            "maktaaral",
            "Мақтаарал ауданы",
            "Мактааральский район",
            "Maktaaral District",
            "Мырзакент",
            "Мырзакент",
        ),
        Place(
            "ordabasy",
            "Ордабасы ауданы",
            "Ордабасинский район",
            "Ordabasy District",
            "Темірлан",
            "Темирлан",
        ),
        Place(
            "otyrar", "Отырар ауданы", "Отырарский район", "Otyrar District", "Шәуілдір", "Шаульдер"
        ),
        Place(
            "saryagash",
            "Сарыағаш ауданы",
            "Сарыагашский район",
            "Saryagash District",
            "Сарыағаш",
            "Сарыагаш",
        ),
        Place(
            "sairam", "Сайрам ауданы", "Сайрамский район", "Sairam District", "Ақсукент", "Аксукент"
        ),
        Place("sauran", "Сауран ауданы", "Сауранский район", "Sauran District", "Шорнақ", "Шорнак"),
        Place(
            "sozak",
            "Созақ ауданы",
            "Созакский район",
            "Sozak District",
            "Шолаққорған",
            "Шолаккорган",
        ),
        Place(
            "tolebi", "Төлеби ауданы", "Толебийский район", "Tolebi District", "Ленгір", "Ленгер"
        ),
        Place(
            "tulkibas",
            "Түлкібас ауданы",
            "Тюлькубасский район",
            "Tulkibas District",
            "Т. Рысқұлов",
            "Т. Рыскулов",
        ),
        Place(
            "shardara",
            "Шардара ауданы",
            "Шардаринский район",
            "Shardara District",
            "Шардара",
            "Шардара",
        ),
    ),
}

REGIONS_BY_CODE = {r.code: r for r in REGIONS}


def region(code: str) -> Place | None:
    return REGIONS_BY_CODE.get(code)


def districts_of(region_code: str) -> tuple[Place, ...]:
    return DISTRICTS.get(region_code, ())


def district(region_code: str, code: str) -> Place | None:
    return next((d for d in districts_of(region_code) if d.code == code), None)


def named(places: Iterable[Place], locale: str) -> list[tuple[str, str]]:
    """(code, name) pairs for lists people read: cities first, as official lists have them
    («Талдықорған қ.», «г. Текели»), then the districts, each in the reader's alphabet
    (`core.collation`)."""
    key = sort_key(locale)
    ordered = sorted(places, key=lambda p: (not p.is_city, key(p.name(locale))))
    return [(p.code, p.name(locale)) for p in ordered]
