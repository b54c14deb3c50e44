"""English words and place names: which words are no names, and which names are words.

The word lists say what may stand before or after a name in a capitalised run,
shared by the finder (:mod:`tracker.geoparse_find`: "In Pokrovsk", "Kharkiv Region")
and the fuzzy matcher (:mod:`tracker.geoparse_fuzzy`: "Sunday" is not tried as a
misspelt village); :func:`is_common_word` says, from the word's English frequency
(``wordfreq``), when a place name is mostly an ordinary word ("Most", "Bar").
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

from tracker.names import normalize

__all__ = ["FUNCTION_WORDS", "GEO_SUFFIXES", "POSSESSIVE_RE", "is_common_word", "norm_token"]

#: Apostrophes, as regex class contents.
_APOS = "'\u2019\u02bc"
#: A possessive ending ("Pokrovsk's", "Kherson'").
POSSESSIVE_RE = re.compile(rf"[{_APOS}]s?$")

#: Zipf excess over the size-expected frequency above which a name is a common word.
COMMON_WORD_MARGIN = 0.5
#: ... and the Zipf frequency it must reach at least (3.5 = about 3 per million words;
#: "Lyman", a surname and a Donetsk town, is 3.1; "Lee" 4.7, "Bar" 4.9, "Most" 6.0).
COMMON_WORD_MIN_ZIPF = 3.5


# Words that may stand right before a place inside a capitalised run: sentence
# starts and title case ("In Pokrovsk", "Near Toretsk"), compass adjectives
# ("Eastern Donetsk"), months and weekdays.
FUNCTION_WORDS = frozenset("""
a about above across after against along also although amid among an and around as at
before behind below beside besides between beyond both but by despite down during each
either even ever every following for from further here however if in inside into just
later like meanwhile more most near nearby neither next nor now of off on once only onto
or other out outside over overnight past per since so still such than that the their then
there these this those though through throughout thus to today toward towards under
unlike until up upon via when where whereas whether which while with within without yet
yesterday tonight also according once again
will would can could should shall may might must does did do is are was were has have had
it he she they we you i his her its our their what why how who whom whose
north south east west northern southern eastern western central northeastern northwestern
southeastern southwestern northeast northwest southeast southwest greater upper lower
occupied liberated frontline front-line embattled besieged
january february march april may june july august september october november december
jan feb mar apr jun jul aug sep sept oct nov dec
monday tuesday wednesday thursday friday saturday sunday
""".split())
# Capitalised words that may follow a place inside a run without making it a name.
GEO_SUFFIXES = frozenset("""
oblast oblasts region regions raion rayon district districts hromada province krai
governorate direction axis sector front area city town village river reservoir
january february march april may june july august september october november december
monday tuesday wednesday thursday friday saturday sunday on in
""".split())


def is_common_word(word: str, population: int = 0, kind: str = "settlement") -> bool:
    """Whether a place name is, in English text, mostly an ordinary word or a person's name.

    The word's English frequency (Zipf scale, ``wordfreq``) is compared with the
    frequency a place of that size would explain (``log10(population) - 2.5``),
    and must also be at least 3.5 (a few uses per million words); countries and
    oblasts are never common words.

    Parameters
    ----------
    word : str
        The name, any case.
    population : int, optional
        Population of the largest place of that name.
    kind : str, optional
        The place kind.

    Returns
    -------
    bool

    Examples
    --------
    >>> is_common_word("Most", 63474), is_common_word("Bar", 15337)
    (True, True)
    >>> is_common_word("Kyiv", 2952301), is_common_word("Pokrovsk", 60127)
    (False, False)
    """
    if kind in ("country", "oblast"):
        return False
    zipf = _zipf(word.casefold())
    if zipf <= 0:
        return False
    expected = math.log10(max(population, 1)) - 2.5
    return zipf > max(expected + COMMON_WORD_MARGIN, COMMON_WORD_MIN_ZIPF)


@lru_cache(maxsize=200_000)
def _zipf(word: str) -> float:
    try:
        from wordfreq import zipf_frequency
    except ImportError:  # pragma: no cover - wordfreq is a dependency
        return 0.0
    return zipf_frequency(word, "en")


@lru_cache(maxsize=100_000)
def norm_token(token: str) -> str:
    """Return the index key of one word of a capitalised run, without a possessive ending."""
    return normalize(POSSESSIVE_RE.sub("", token)) if len(token) > 2 else normalize(token)
