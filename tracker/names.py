"""Place-name normalisation, transliteration and spelling variants.

Reports spell one place many ways: ``Kupiansk`` (Ukraine's national
transliteration), ``Kup'iansk`` and ``Kup’yans’k`` (older transliterations
with apostrophes), ``Kupyansk`` (from the Russian ``Купянск``), ``Куп'янськ``
(Ukrainian Cyrillic). This module turns all of them into the same key and
generates the spellings the gazetteer indexes. The build script
(``scripts/build_steps/places.py``) and the runtime lookup both use it, so the
keys of the bundled name index and of a user's query always agree.

- :func:`normalize` is the key of the name index: case-folded, Latin
  diacritics removed, apostrophes dropped, hyphens and spaces folded to one
  space. Cyrillic letters keep their identity (``й``, ``ї``), except that
  Russian ``ё`` folds to ``е``.
- :func:`translit_uk` is Ukraine's national transliteration (Cabinet of
  Ministers resolution No. 55 of 27 January 2010), the spelling the English
  press uses: ``Кліщіївка`` -> ``Klishchiivka``.
- :func:`translit_ru` is the Russian-style romanisation the press used for
  decades: ``Харьков`` -> ``Kharkov``, ``Артёмовск`` -> ``Artyomovsk``.
- :func:`variants` lists all spellings of a name to index, with the Russian forms
  guessed by rule in :mod:`tracker.names_ru` where GeoNames has none.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# Re-exported: the Russian forms guessed by rule belong to the names API.
from tracker.names_ru import uk_to_ru, uk_to_ru_forms, ukrainised

__all__ = [
    "normalize",
    "translit_uk",
    "translit_ru",
    "uk_to_ru",
    "uk_to_ru_forms",
    "ukrainised",
    "variants",
    "is_cyrillic",
    "is_latin",
]

#: Apostrophe-like characters folded away by :func:`normalize`.
APOSTROPHES = "'\u2019\u02bc\u2018`\u00b4\u02b9\u2032\u02bb\u201b"
_APOS_RE = re.compile(f"[{re.escape(APOSTROPHES)}]")
# Hyphens, dashes, underscores and any other punctuation become a space.
_SEP_RE = re.compile(r"[\s\-\u2010-\u2015_/.,;:!?()\[\]{}\"«»„“”]+")
# Combining marks kept after these Cyrillic letters (й = и + breve, ї = і + diaeresis).
_KEEP_MARK = {("\u0438", "\u0306"), ("\u0456", "\u0308")}


def normalize(text: str) -> str:
    """Return the index key of a place name.

    Parameters
    ----------
    text : str
        A place name in any script.

    Returns
    -------
    str
        Case-folded; Latin diacritics removed; apostrophes (``'`` ``’`` ``ʼ`` ...)
        removed; hyphens, dashes, punctuation and runs of spaces folded to one
        space; Russian ``ё`` folded to ``е``. Empty for a name with no letters.

    Examples
    --------
    >>> normalize("Kup’iansk") == normalize("Kup'iansk") == normalize("KUPIANSK")
    True
    >>> normalize("Türkiye")
    'turkiye'
    >>> normalize("  Ivano-Frankivsk ")
    'ivano frankivsk'
    >>> normalize("Куп’янськ"), normalize("Артёмовск"), normalize("Київ")
    ('купянськ', 'артемовск', 'київ')
    >>> normalize("---")
    ''
    """
    text = text.casefold().replace("\u0451", "\u0435")
    text = _APOS_RE.sub("", text)
    decomposed = unicodedata.normalize("NFD", text)
    out: list[str] = []
    base = ""
    for char in decomposed:
        if unicodedata.combining(char):
            if (base, char) in _KEEP_MARK:
                out.append(char)
            continue
        base = char
        out.append(char)
    text = unicodedata.normalize("NFC", "".join(out))
    return _SEP_RE.sub(" ", text).strip()


# --- Ukrainian national transliteration (KMU resolution 55, 2010) -------------------------

_UK_TABLE = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ie", "ж": "zh",
    "з": "z", "и": "y", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n",
    "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ь": "", "ю": "iu", "я": "ia",
    # Letters of other Cyrillic alphabets that turn up in Ukrainian names.
    "ы": "y", "э": "e", "ё": "io", "ъ": "",
}
# At the start of a word these letters are spelled with a leading y.
_UK_INITIAL = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}
# The Russian-style spelling of Ukrainian names uses the initial forms everywhere.
_UK_Y_EVERYWHERE = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}


def _is_letter(char: str) -> bool:
    return char.isalpha()


def _cased(out: str, src: str, nxt: str) -> str:
    """Give ``out`` the case of the source letter ``src`` (all caps if the word is caps)."""
    if not out or not src.isupper():
        return out
    if nxt and nxt.isupper():
        return out.upper()
    return out[0].upper() + out[1:]


def _translit(text: str, table: dict, initial: dict, *, zgh: bool, drop_apos: bool = True) -> str:
    chars = list(text)
    out = []
    for i, char in enumerate(chars):
        low = char.lower()
        prev = chars[i - 1] if i else ""
        # An apostrophe inside a word is not a word boundary.
        j = i - 1
        while j >= 0 and chars[j] in APOSTROPHES:
            j -= 1
        word_start = j < 0 or not _is_letter(chars[j])
        nxt = chars[i + 1] if i + 1 < len(chars) else ""
        if low in table:
            if zgh and low == "г" and prev.lower() == "з":
                latin = "gh"
            elif word_start and low in initial:
                latin = initial[low]
            else:
                latin = table[low]
            out.append(_cased(latin, char, nxt))
        elif char in APOSTROPHES and drop_apos:
            continue
        else:
            out.append(char)
    return "".join(out)


def translit_uk(text: str) -> str:
    """Transliterate Ukrainian Cyrillic with Ukraine's national system (KMU 55/2010).

    The official table, with its position rules: ``Є Ї Й Ю Я`` are ``Ye Yi Y
    Yu Ya`` at the start of a word and ``ie i i iu ia`` elsewhere; ``зг`` is
    ``zgh``; the soft sign and the apostrophe are not written.

    Parameters
    ----------
    text : str
        Ukrainian Cyrillic text (Latin characters pass through).

    Returns
    -------
    str
        The Latin spelling, keeping capitals, spaces and hyphens.

    Examples
    --------
    >>> translit_uk("Кліщіївка"), translit_uk("Котлярівка"), translit_uk("Роботине")
    ('Klishchiivka', 'Kotliarivka', 'Robotyne')
    >>> translit_uk("Куп'янськ"), translit_uk("Згурівка"), translit_uk("Яготин")
    ('Kupiansk', 'Zghurivka', 'Yahotyn')
    >>> translit_uk("Знам’янка"), translit_uk("Їжакевич"), translit_uk("Стрийська")
    ('Znamianka', 'Yizhakevych', 'Stryiska')
    >>> translit_uk("Івано-Франківськ"), translit_uk("ЄНАКІЄВЕ")
    ('Ivano-Frankivsk', 'YENAKIIEVE')
    """
    return _translit(text, _UK_TABLE, _UK_INITIAL, zgh=True)


def _translit_uk_y(text: str) -> str:
    """Ukrainian with the ``y`` forms everywhere (``Куп'янськ`` -> ``Kupyansk``)."""
    table = {**_UK_TABLE, **_UK_Y_EVERYWHERE}
    return _translit(text, table, _UK_INITIAL, zgh=True)


def _translit_uk_g(text: str) -> str:
    """Ukrainian with Russian-style ``g``/``y`` (``Горлівка`` -> ``Gorlivka``)."""
    table = {**_UK_TABLE, **_UK_Y_EVERYWHERE, "г": "g"}
    return _translit(text, table, _UK_INITIAL, zgh=False)


# --- Russian-style romanisation ----------------------------------------------------------

_RU_TABLE = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
    # Ukrainian letters in a Russian-looking name.
    "і": "i", "ї": "yi", "є": "ye", "ґ": "g",
}
_RU_VOWELS = set("аеёиоуыэюяьъйієї")


def translit_ru(text: str, *, yo: str = "yo", ye: bool = True, simple_adj: bool = False) -> str:
    """Romanise Russian Cyrillic the way the press long did (BGN/PCGN without marks).

    Parameters
    ----------
    text : str
        Russian Cyrillic text.
    yo : str, default "yo"
        Spelling of ``ё`` (``"yo"`` -> Artyomovsk, ``"e"`` -> Artemovsk).
    ye : bool, default True
        Write ``е`` as ``ye`` at the start of a word and after a vowel or a
        soft/hard sign (Avdeyevka, Zaporozhye); ``False`` gives plain ``e``.
    simple_adj : bool, default False
        Shorten adjective endings ``-ый``/``-ий`` to ``-y`` (Krasny Liman).

    Returns
    -------
    str

    Examples
    --------
    >>> translit_ru("Харьков"), translit_ru("Запорожье"), translit_ru("Николаев")
    ('Kharkov', 'Zaporozhye', 'Nikolayev')
    >>> translit_ru("Артёмовск"), translit_ru("Артёмовск", yo="e")
    ('Artyomovsk', 'Artemovsk')
    >>> translit_ru("Купянск"), translit_ru("Авдеевка"), translit_ru("Угледар")
    ('Kupyansk', 'Avdeyevka', 'Ugledar')
    >>> translit_ru("Красный Лиман"), translit_ru("Красный Лиман", simple_adj=True)
    ('Krasnyy Liman', 'Krasny Liman')
    """
    if simple_adj:
        text = re.sub(r"([ыи])й\b", r"\1", text)
        text = re.sub(r"([ЫИ])Й\b", r"\1", text)
    chars = list(text)
    out = []
    for i, char in enumerate(chars):
        low = char.lower()
        nxt = chars[i + 1] if i + 1 < len(chars) else ""
        if low not in _RU_TABLE:
            if char not in APOSTROPHES:
                out.append(char)
            continue
        prev = chars[i - 1].lower() if i else ""
        if low == "е" and ye and (not prev or not prev.isalpha() or prev in _RU_VOWELS):
            latin = "ye"
        elif low == "ё":
            latin = "o" if yo == "yo" and prev in ("ж", "ч", "ш", "щ") else yo
        else:
            latin = _RU_TABLE[low]
        out.append(_cased(latin, char, nxt))
    return "".join(out)


def variants(uk: str = "", ru: Iterable[str] = ()) -> dict[str, str]:
    """Spellings of a Ukrainian place name to index, with their name type.

    Parameters
    ----------
    uk : str
        The Ukrainian Cyrillic name (may be empty).
    ru : iterable of str
        Russian Cyrillic forms (from GeoNames); when empty, they are guessed with
        :func:`uk_to_ru_forms`.

    Returns
    -------
    dict
        Spelling -> name type: ``"uk"`` (Cyrillic), ``"ru"`` (Cyrillic),
        ``"translit"`` (national system), ``"translit_y"`` (Kupyansk style),
        ``"ru_latin"`` (Kharkov style), ``"hybrid"`` (a Russian form with Ukrainian
        endings, Novoaleksandrivka). The first spelling of each type wins.

    Examples
    --------
    >>> v = variants("Куп'янськ", ["Купянск"])
    >>> sorted(k for k, t in v.items() if t != "uk")
    ['Kupiansk', 'Kupyansk', 'Купянск']
    >>> "Artyomovsk" in variants("Бахмут", ["Артёмовск"])
    True
    """
    out: dict[str, str] = {}

    def add(name: str, kind: str) -> None:
        name = name.strip()
        if name and name not in out:
            out[name] = kind

    if uk:
        add(uk, "uk")
        add(translit_uk(uk), "translit")
        add(_translit_uk_y(uk), "translit_y")
        add(_translit_uk_g(uk), "translit_y")
    ru = [r for r in ru if r]
    if not ru and uk:
        ru = uk_to_ru_forms(uk)
        guessed = True
    else:
        guessed = False
    for form in ru:
        if not guessed:
            add(form, "ru")
        for yo in ("yo", "e"):
            for ye in (True, False):
                for simple in (False, True):
                    add(translit_ru(form, yo=yo, ye=ye, simple_adj=simple), "ru_latin")
    for form in ru:  # the Russian form with Ukrainian endings: Novoaleksandrivka
        add(ukrainised(translit_ru(form, yo="e", ye=False)), "hybrid")
    return out


def is_cyrillic(text: str) -> bool:
    """Whether ``text`` contains Cyrillic letters and no Latin ones.

    Examples
    --------
    >>> is_cyrillic("Київ"), is_cyrillic("Kyiv")
    (True, False)
    """
    has_cyr = any("\u0400" <= c <= "\u04ff" for c in text)
    return has_cyr and not any("a" <= c.lower() <= "z" for c in text)


def is_latin(text: str) -> bool:
    """Whether ``text`` is written in the Latin script (letters with marks allowed).

    Examples
    --------
    >>> is_latin("Kup'iansk"), is_latin("Türkiye"), is_latin("Київ"), is_latin("東京")
    (True, True, False, False)
    """
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return False
    return all(unicodedata.name(c, "").startswith("LATIN") for c in letters)
