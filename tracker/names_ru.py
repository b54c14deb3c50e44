"""Russian forms of Ukrainian place names, guessed by rule, and the reverse in Latin letters.

GeoNames has a Russian form for the towns it knows; for the other villages Russian-style
spellings ("Novoaleksandrovka", "Stepovoye", "Vladimirovka") come from these rules, and
Ukrainian reports' hybrids of a Russian form with Ukrainian endings ("Mala Loknya",
"Martynivka") from :func:`ukrainised`. :func:`tracker.names.variants` uses both.
"""

from __future__ import annotations

import re

__all__ = ["uk_to_ru", "uk_to_ru_forms", "ukrainised"]

# Ukrainian -> Russian Cyrillic by rule, for names GeoNames has no Russian form of.
_UK_RU_SUFFIXES = [
    ("іївка", "еевка"), ("ївка", "евка"), ("івка", "овка"),
    ("іївське", "еевское"), ("ївське", "евское"), ("івське", "овское"),
    ("іївський", "еевский"), ("ївський", "евский"), ("івський", "овский"),
    ("ське", "ское"), ("цьке", "цкое"),
    ("ський", "ский"), ("цький", "цкий"), ("ськ", "ск"), ("цьк", "цк"), ("иний", "иный"),
    ("ине", "ино"),
    ("ове", "ово"), ("еве", "ево"), ("єве", "еево"), ("не", "ное"), ("ів", "ов"), ("їв", "ев"),
]
#: Endings whose Russian form the Ukrainian one does not settle: a noun (Петрове ->
#: Петрово) or a neuter adjective (Степове -> Степовое, Широке -> Широкое); -іївка after
#: a stem (Олексіївка -> Алексеевка) or inside one (Маліївка -> Малиевка). The second
#: guess of :func:`uk_to_ru_forms` takes these.
_UK_RU_SECOND = [(uk, {"іївка": "иевка", "ове": "овое", "еве": "евое", "єве": "еевое"}.get(uk, ru))
                 for uk, ru in _UK_RU_SUFFIXES] + [
    ("ке", "кое"), ("ле", "лое"), ("хе", "хое"), ("ре", "рое")]
#: Stems whose Russian form differs beyond the letters (after the letter mapping).
_UK_RU_STEMS = [("микола", "никола"), ("олекс", "алекс"), ("володимир", "владимир"),
                ("камян", "камен"), ("вильн", "вольн"), ("гирск", "горск"),
                ("микиль", "николь")]
_CONSONANTS = "бвгджзклмнпрстфхцчшщ"
_CLOSED_I = re.compile(rf"([{_CONSONANTS}])і([{_CONSONANTS}]ь?)$", re.IGNORECASE)
_UK_RU_LETTERS = str.maketrans({"і": "и", "ї": "и", "є": "е", "ґ": "г", "І": "И", "Ї": "И",
                                "Є": "Е", "Ґ": "Г", "'": "", "\u2019": "", "\u02bc": ""})


def uk_to_ru(text: str, *, second: bool = False) -> str:
    """Guess the Russian Cyrillic form of a Ukrainian name by rule.

    Only the regular patterns (``-івка`` -> ``-овка``, ``-ське`` -> ``-ское``,
    ``і`` -> ``и``); used to derive Russian-style spellings of
    villages GeoNames does not know.

    Parameters
    ----------
    text : str
        Ukrainian Cyrillic name.
    second : bool, optional
        Take the other reading of endings the Ukrainian form leaves open (see
        :func:`uk_to_ru_forms`).

    Returns
    -------
    str

    Examples
    --------
    >>> uk_to_ru("Новоселівка"), uk_to_ru("Покровське"), uk_to_ru("Миколаївка")
    ('Новоселовка', 'Покровское', 'Николаевка')
    >>> uk_to_ru("Біловоди"), uk_to_ru("Шуми"), uk_to_ru("Луки")
    ('Беловоды', 'Шумы', 'Луки')
    >>> uk_to_ru("Новомиколаївка"), uk_to_ru("Олексіївка"), uk_to_ru("Новопетрівське")
    ('Новониколаевка', 'Алексеевка', 'Новопетровское')
    >>> uk_to_ru("Степове", second=True), uk_to_ru("Маліївка", second=True)
    ('Степовое', 'Малиевка')
    >>> uk_to_ru("Сокіл", second=True), uk_to_ru("Кривий Ріг", second=True)
    ('Сокол', 'Кривий Рог')
    >>> uk_to_ru("Микільське"), uk_to_ru("Володимирівка"), uk_to_ru("Кам'янка")
    ('Никольское', 'Владимировка', 'Каменка')
    >>> uk_to_ru("Вільне"), uk_to_ru("Гірське")
    ('Вольное', 'Горское')
    """
    suffixes = _UK_RU_SECOND if second else _UK_RU_SUFFIXES
    words = []
    for word in re.split(r"(\s+|-)", text):
        low = word.lower()
        for uk, ru in suffixes:
            if low.endswith(uk) and len(low) > len(uk) + 1:
                word = word[: -len(uk)] + ru
                break
        else:
            # Plural ending: Ukrainian -и is Russian -ы except after к г х ж ч ш щ.
            if len(low) > 2 and low.endswith("и") and low[-2] not in "кгхжчшщаеиоуяюіїє":
                word = word[:-1] + ("Ы" if word[-1].isupper() else "ы")
        # Біл- (white) is Бел- in Russian: Біловоди -> Беловоды, Білозерка -> Белозерка.
        word = re.sub(r"^(Б|б)іл", r"\1ел", word)
        if second:
            # і of a closed last syllable is often о in Russian: Сокіл -> Сокол, Ріг -> Рог.
            word = _CLOSED_I.sub(r"\1о\2", word)
        words.append(word.translate(_UK_RU_LETTERS))
    out = "".join(words)
    # Common stems that differ, also inside compounds (Новомиколаївка -> Новониколаевка,
    # Новоолександрівка -> Новоалександровка): Микола- -> Никола-, Олекс- -> Алекс-,
    # Володимир- -> Владимир-, Кам'ян- -> Камен-, Вільн- -> Вольн-, Гірськ- -> Горск-,
    # Микіль- -> Николь- (і of a closed syllable is already и here).
    for uk, ru in _UK_RU_STEMS:
        out = re.sub(rf"(?:(?<=\b){uk[0].upper()}|(?<=[а-яіїєґ]){uk[0]}){uk[1:]}",
                     lambda m, ru=ru: ru.capitalize() if m.group(0)[0].isupper() else ru, out)
    return out


def uk_to_ru_forms(text: str) -> list[str]:
    """Return every Russian form :func:`uk_to_ru` guesses for a Ukrainian name.

    One, or two when an ending reads both ways (a noun or an adjective: Петрове ->
    Петрово, Степове -> Степовое).

    Examples
    --------
    >>> uk_to_ru_forms("Степове"), uk_to_ru_forms("Покровськ")
    (['Степово', 'Степовое'], ['Покровск'])
    """
    return list(dict.fromkeys((uk_to_ru(text), uk_to_ru(text, second=True))))


#: Russian endings in Latin letters -> the Ukrainian ones, word by word.
_UA_ENDINGS = [(re.compile(r"(?:yo|o|e)vka$"), "ivka"), (re.compile(r"(?<=[^aeiouy])oy?e$"), "e"),
               (re.compile(r"aya$"), "a"), (re.compile(r"(?<=[ov])o$"), "e"),
               (re.compile(r"ino$"), "ine")]


def ukrainised(latin: str) -> str:
    """Give a romanised Russian name the Ukrainian endings, as Ukrainian reports write it.

    Examples
    --------
    >>> ukrainised("Kalinovoe"), ukrainised("Malaya Loknya"), ukrainised("Novoaleksandrovka")
    ('Kalinove', 'Mala Loknya', 'Novoaleksandrivka')
    """
    words = []
    for word in re.split(r"([\s-]+)", latin):
        for pattern, ending in _UA_ENDINGS:
            if len(word) > 4 and pattern.search(word):
                word = pattern.sub(ending, word)
                break
        words.append(word)
    return "".join(words)
