"""Whole numbers in words, as agreements write amounts: kk «үш жүз мың», ru «триста тысяч»."""

from __future__ import annotations

KK_ONES = ("", "бір", "екі", "үш", "төрт", "бес", "алты", "жеті", "сегіз", "тоғыз")
KK_TENS = ("", "он", "жиырма", "отыз", "қырық", "елу", "алпыс", "жетпіс", "сексен", "тоқсан")
KK_SCALES = ("", "мың", "миллион", "миллиард")

RU_ONES_M = ("", "один", "два", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять")
RU_ONES_F = ("", "одна", "две", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять")
RU_TEENS = (
    "десять",
    "одиннадцать",
    "двенадцать",
    "тринадцать",
    "четырнадцать",
    "пятнадцать",
    "шестнадцать",
    "семнадцать",
    "восемнадцать",
    "девятнадцать",
)
RU_TENS = (
    "",
    "",
    "двадцать",
    "тридцать",
    "сорок",
    "пятьдесят",
    "шестьдесят",
    "семьдесят",
    "восемьдесят",
    "девяносто",
)
RU_HUNDREDS = (
    "",
    "сто",
    "двести",
    "триста",
    "четыреста",
    "пятьсот",
    "шестьсот",
    "семьсот",
    "восемьсот",
    "девятьсот",
)
# (one, few, many) and whether the scale word is feminine
RU_SCALES = (
    (("", "", ""), False),
    (("тысяча", "тысячи", "тысяч"), True),
    (("миллион", "миллиона", "миллионов"), False),
    (("миллиард", "миллиарда", "миллиардов"), False),
)


def _groups(n: int) -> list[int]:
    """Three-digit groups, lowest first."""
    groups = []
    while n:
        groups.append(n % 1000)
        n //= 1000
    return groups


def _kk_triple(n: int) -> list[str]:
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    words = []
    if hundreds:
        words += [KK_ONES[hundreds], "жүз"] if hundreds > 1 else ["жүз"]
    if tens:
        words.append(KK_TENS[tens])
    if ones:
        words.append(KK_ONES[ones])
    return words


def _ru_plural(n: int, forms: tuple[str, str, str]) -> str:
    if n % 100 in range(11, 20):
        return forms[2]
    return forms[0] if n % 10 == 1 else forms[1] if n % 10 in (2, 3, 4) else forms[2]


def _ru_triple(n: int, feminine: bool) -> list[str]:
    hundreds, rest = divmod(n, 100)
    words = [RU_HUNDREDS[hundreds]] if hundreds else []
    if 10 <= rest < 20:
        words.append(RU_TEENS[rest - 10])
    else:
        tens, ones = divmod(rest, 10)
        if tens:
            words.append(RU_TENS[tens])
        if ones:
            words.append((RU_ONES_F if feminine else RU_ONES_M)[ones])
    return words


def number_in_words(n: int, locale: str) -> str:
    """0 ≤ n < 10¹²; Kazakh unless `locale` is "ru"."""
    if not 0 <= n < 10**12:
        raise ValueError("out of range")
    if n == 0:
        return "нөл" if locale != "ru" else "ноль"
    words: list[str] = []
    for scale, group in reversed(list(enumerate(_groups(n)))):
        if not group:
            continue
        if locale == "ru":
            forms, feminine = RU_SCALES[scale]
            words += _ru_triple(group, feminine)
            if scale:
                words.append(_ru_plural(group, forms))
        else:
            # «мың» alone is «бір мың» in agreements; «жүз» stays «жүз»
            words += _kk_triple(group)
            if scale:
                words.append(KK_SCALES[scale])
    return " ".join(words)


def money_in_words(amount: int, locale: str) -> str:
    """`300000` → kk «үш жүз мың теңге», ru «триста тысяч тенге»."""
    return f"{number_in_words(amount, locale)} {'тенге' if locale == 'ru' else 'теңге'}"
