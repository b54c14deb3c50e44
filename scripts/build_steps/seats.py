"""Where a raion or hromada sits: the settlement its adjective derives from.

KATOTTG names units by an adjective ("Лозівський район", "Новослобідська громада") and
lists their settlements; the seat is the one whose name the adjective comes from, a city
first (Лозова, not a village Лозівське). Raions and hromadas are placed at their seat and
get "Seat district" / "Seat hromada" spellings from it.
"""

from __future__ import annotations

import os
import re

import pandas as pd

from tracker.names import normalize

from .katottg import SETTLEMENT_CATEGORIES

__all__ = ["seat_of"]


def _stem(adjective: str) -> str:
    """``Покровський`` -> ``Покров``; ``Андріївська`` -> ``Андріїв``."""
    return re.sub(r"(ськ|цьк|зьк|к|н|)(ий|а|ої|е)$", "", adjective)


#: The adjective's stem has і where its town's name has о (Лозова -> Лозівський,
#: Курахове -> Курахівська).
_VOWEL_FOLD = str.maketrans({"і": "о"})


#: A two-word name joins into one adjective with "о" (Нова Слобода -> Новослобідська,
#: Велика Писарівка -> Великописарівська).
_JOIN = re.compile(r"(?:ий|ій|а|е|і)[\s-]+")
#: A town named with the adjective's suffix (Покровськ) or ending in -ка/a vowel
#: (Дружківка, Лозова): what is left begins the adjective.
_SUFFIXES = ("ськ", "цьк", "зьк")
_ENDING = re.compile(r"к?[аеиоуяюєії]+$")


def _fold_vowels(key: str) -> str:
    return key.translate(_VOWEL_FOLD)


def _derivation(key: str, stem: str) -> int:
    """How surely an adjective's stem comes from the settlement name ``key`` (normalised).

    2: the name without its ending (-ськ, -ка, final vowels), its words joined, begins
    the stem (Лозова, Лозівський; Дружківка; Нова Слобода, Новослобідська; Покровськ,
    Покровський); 1: they share all but the stem's last letter (a village named with
    the adjective itself, Новослобідське); 0: neither. і and о count as one letter.
    """
    folded = _fold_vowels(stem)
    joined = _fold_vowels(_JOIN.sub("о", key))
    base = joined[:-3] if joined.endswith(_SUFFIXES) else _ENDING.sub("", joined)
    # its last consonant may alternate (Новий Буг, Новобузька; Нова Одеса, Новоодеська)
    if any(len(b) >= max(4, len(folded) - 3) and folded.startswith(b) for b in (base, base[:-1])):
        return 2
    return int(len(os.path.commonprefix([_fold_vowels(key), folded])) >= max(3, len(stem) - 1))


def seat_of(members: pd.DataFrame, adjective: str, population: dict[str, int]) -> str | None:
    """KATOTTG code of the seat among ``members``: the name the adjective comes from."""
    if members.empty:
        return None
    stem = normalize(_stem(adjective))
    score = []
    for code, name, cat in zip(members["code"], members["name"], members["cat"], strict=True):
        key = normalize(name)
        common = len(os.path.commonprefix([key, stem]))
        match = _derivation(key, stem)
        rank = SETTLEMENT_CATEGORIES[cat]
        # Among the names the adjective may derive from: a city (Лозова before a village
        # Лозівське, Кам'янське before Кам'яне), the surer derivation, the bigger kind
        # of settlement. Else the longest shared beginning.
        if match:
            score.append((0, rank > 0, -match, rank, -common, -population.get(code, 0), code))
        else:
            score.append((1, 0, 0, -common, rank, -population.get(code, 0), code))
    return min(score)[-1]
