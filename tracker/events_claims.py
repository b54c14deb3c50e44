"""Attribution of a sentence: its claim status and the side that speaks.

:func:`sentence_claim` reads denied, assessed (ISW, geolocation, OSINT), claimed
(a person or party says so) or reported (the report itself, or the media it
quotes); :func:`speaker_side` names the side of an official speaker ("the Russian
Defense Ministry announced"), whose words are not the trigger's actor. Used by
:mod:`tracker.events_rules` and :mod:`tracker.events`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from tracker.events_lexicon import ASSESSED, CLAUSE_BREAK, DENIAL, MEDIA, NEGATION, REPORTING

__all__ = ["sentence_claim", "speaker_side"]


def sentence_claim(sentence: str) -> str:
    """Return the claim status of a sentence: denied, assessed, claimed or reported.

    Parameters
    ----------
    sentence : str
        One sentence.

    Returns
    -------
    str
        "denied" (a denial), "assessed" (ISW, geolocated footage, OSINT maps;
        not when negated), "claimed" (a person, official or party says so) or
        "reported" (the report itself, or the media it quotes).

    Examples
    --------
    >>> sentence_claim("A Ukrainian official denied that Russia captured the village.")
    'denied'
    >>> sentence_claim("ISW assessed that Russian forces advanced.")
    'assessed'
    >>> sentence_claim("Russia's defence ministry said its forces had liberated the village.")
    'claimed'
    >>> sentence_claim("Heavy fighting continues, Reuters reported.")
    'reported'
    """
    if DENIAL.search(sentence):
        return "denied"
    for clause in CLAUSE_BREAK.split(sentence):
        if clause and ASSESSED.search(clause) and not NEGATION.search(clause):
            return "assessed"
    for speaker in _speakers(sentence):
        if speaker and MEDIA.search(speaker) and not re.search(
                r"\b(?:officials?|ministry|spokes\w+|commanders?|military)\b", speaker, re.I):
            continue
        return "claimed"
    if re.search(r"\bclaim(?:s|ed)?\b", sentence, re.I):
        return "claimed"
    return "reported"


def speaker_side(sentence: str) -> str:
    """Return the side of the party speaking ("the Russian Defense Ministry announced").

    Parameters
    ----------
    sentence : str
        One sentence.

    Returns
    -------
    str
        "RU" or "UA" when a ministry, army, official or leader of that side is
        the speaker, else "".

    Examples
    --------
    >>> speaker_side("The Russian Defense Ministry announced the capture of two villages.")
    'RU'
    >>> speaker_side("Heavy battles raged, a journalist said.")
    ''
    """
    for speaker in _speakers(sentence):
        if re.search(r"\b(?:russian|russia(?:'s|’s)?|moscow|kremlin)\b", speaker, re.I) and \
                re.search(r"\b(?:ministry|mod|army|military|forces|officials?|commanders?|"
                          r"command|government|president|kremlin|moscow|defen[cs]e)\b",
                          speaker, re.I):
            return "RU"
        if re.search(r"\boperational[- ](?:tactical|strategic)\s+group\b", speaker, re.I):
            return "UA"  # Ukraine's OTG/OSG commands ("the Kharkiv Operational-Tactical Group")
        if re.search(r"\b(?:battle\s*group|group\s+of\s+forces)\b", speaker, re.I):
            return "RU"  # the Russian MoD's groups of forces ("the Tsentr battlegroup said")
        if re.search(r"\b(?:ukrainian|ukraine(?:'s|’s)?|kyiv|kiev)\b", speaker, re.I) and \
                re.search(r"\b(?:general\s+staff|ministry|army|military|forces|officials?|"
                          r"commanders?|command|government|president|defen[cs]e|kyiv|kiev)\b",
                          speaker, re.I):
            return "UA"
    return ""


def _speakers(sentence: str) -> Iterator[str]:
    """Yield who says something, per reporting verb of the sentence, in order."""
    for match in REPORTING.finditer(sentence):
        yield _speaker(sentence, match)


def _speaker(sentence: str, match: re.Match[str]) -> str:
    """Return the words naming who says something ("Kovalenko said", "according to the channel")."""
    verb = match.group(0).lower()
    if verb.startswith(("according to", "citing")) or verb.startswith("reported") and re.match(
            r"\s+by\b", sentence[match.end():match.end() + 4]):
        return sentence[match.end():match.end() + 60].split(",")[0]
    before = sentence[max(0, match.start() - 80):match.start()]
    parts = re.split(r"[,\"“”]", before)
    speaker = parts[-1] if parts else ""
    if not speaker.strip():
        speaker = sentence[match.end():match.end() + 40].split(",")[0]
    return speaker
