"""Whether a country or capital named in a sentence is used as a place.

"In eastern Ukraine" and "Russia's Kursk region" use them as places; "Russia
launched" or "leaving Moscow and Kyiv to..." use them for their governments
(metonymy), and those mentions get no event.
"""

from __future__ import annotations

import re

from tracker.events_lexicon import LOCATIVE_AFTER, LOCATIVE_BEFORE, METONYM_CAPITALS
from tracker.models import Mention

__all__ = ["is_place_use"]


def is_place_use(sentence: str, mention: Mention, mentions: list[Mention]) -> bool:
    """Whether a mention is used as a place (not a country or capital standing for its government).

    Parameters
    ----------
    sentence : str
        One sentence.
    mention : Mention
        The mention to check (offsets into ``sentence``).
    mentions : list of Mention
        All mentions of the sentence (a list "between Russia and Ukraine" is
        followed back to its first member).

    Returns
    -------
    bool
        False for "Russia launched", "leaving Moscow and Kyiv to..."; True for
        "in eastern Ukraine", "Russia's Kursk region" and every other place kind.

    Examples
    --------
    >>> from tracker.models import Mention, Place
    >>> russia = Place("country:RU", "Russia", "country", "", "RU", 60.0, 100.0)
    >>> is_place_use("Russia launched an offensive.", Mention(0, 6, "Russia", russia, 1.0), [])
    False
    >>> text = "an incursion into Russia's Kursk region"
    >>> is_place_use(text, Mention(18, 24, "Russia", russia, 1.0), [])
    True
    """
    place = mention.place
    if place.kind != "country" and place.name.lower() not in METONYM_CAPITALS:
        return True
    if _locative(sentence, mention.start, mention.end):
        return True
    # "between Russia and Ukraine", "Kursk, Belgorod and Bryansk": follow a list back
    before = sentence[:mention.start]
    joined = re.search(r"(?:,|\band\b|\bor\b)\s*$", before)
    if joined:
        for other in mentions:
            if other is not mention and other.end <= joined.start() and not sentence[
                    other.end:joined.start()].strip(" ()"):
                prone = other.place.kind == "country" or (
                    other.place.name.lower() in METONYM_CAPITALS)
                return is_place_use(sentence, other, mentions) if prone else True
    return False


def _locative(sentence: str, start: int, end: int) -> bool:
    """Whether the words around a name use it as a location ("in eastern Ukraine")."""
    before = sentence[max(0, start - 40):start]
    after = sentence[end:end + 40]
    if LOCATIVE_BEFORE.search(before):
        preceding = re.search(r"(\w+)\s+(?:of|to)\s+(?:the\s+)?$", before)
        if preceding and preceding.group(1).lower() in {
                "president", "ambassador", "government", "people", "forces", "army", "ministry",
                "embassy", "parliament", "leader", "leaders", "citizens", "minister", "navy",
                "bank", "envoy", "friends", "enemies", "allies", "war"}:
            return False
        return True
    return bool(LOCATIVE_AFTER.match(after))

