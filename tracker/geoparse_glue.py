"""Whether a capitalised word next to a place name makes one longer name with it.

A name glued to a capitalised word that is not itself a place is part of a longer
name ("Bill Taylor", "OTU Luhansk", "Stanford University"), not a place
(:mod:`tracker.geoparse_find`). Closed-class and very frequent English words do not
glue ("In Pokrovsk", "The Kharkiv"), and in a title-case headline
(:class:`Headlines`) neither do ordinary English words ("Russians Attack
Dnipropetrovsk Region With ...").
"""

from __future__ import annotations

import re
from functools import lru_cache

from tracker.geoparse_words import FUNCTION_WORDS, _zipf, norm_token

__all__ = ["glues", "glues_in_headline", "Headlines", "HEADLINE_WORD_ZIPF"]


@lru_cache(maxsize=20_000)
def glues(token: str) -> bool:
    """Whether a capitalised word next to a name makes one longer name with it.

    Closed-class words and words as frequent in English as "The" or "Near" do not.
    """
    norm = norm_token(token)
    return not (norm in FUNCTION_WORDS or _zipf(norm) >= 5.5)


#: In a title-case headline, a capitalised word at least this frequent in English
#: (Zipf) is an ordinary word ("Attack", "Drones", "Shell"), not part of a name;
#: surnames and given names ("Zelensky", "Oleh") are far below.
HEADLINE_WORD_ZIPF = 3.0


@lru_cache(maxsize=20_000)
def glues_in_headline(token: str) -> bool:
    """:func:`glues` in a title-case headline."""
    return glues(token) and _zipf(norm_token(token)) < HEADLINE_WORD_ZIPF


_LONG_WORD_RE = re.compile(r"[^\W\d_]{4,}")


class Headlines:
    """Tell whether an offset lies on a title-case line of a text (a headline).

    A headline here: a line of at most 200 characters, not ending in a full stop,
    with at least three words of four letters or more, of which at least 70% are
    capitalised ("Russians Attack Dnipropetrovsk Region With Guided Bombs").
    Lines are judged when first asked about, once each.
    """

    def __init__(self, text: str):
        self.text = text
        self.lines: dict[int, bool] = {}

    def holds(self, offset: int) -> bool:
        """Whether the line holding ``offset`` is a headline."""
        text = self.text
        start = text.rfind("\n", 0, offset) + 1
        known = self.lines.get(start)
        if known is None:
            end = text.find("\n", offset)
            line = text[start:end if end >= 0 else len(text)].strip()
            words = _LONG_WORD_RE.findall(line) if len(line) <= 200 else []
            capitals = sum(w[0].isupper() for w in words)
            known = self.lines[start] = (len(words) >= 3 and capitals >= 0.7 * len(words)
                                         and not line.endswith("."))
        return known
