"""Which alternate (often former) names keep their places in the name index.

GeoNames lists other names of a place beside its own: old names ("Stanislav" for
Ivano-Frankivsk, "Pervomaiske" for Avdiivske, renamed in 2024), foreign and Russian
forms. Many are some other place's current name. :func:`kept_names` decides which
alternates still find their place; :func:`alt_cities` lists the cities matched only
through an alternate, which the resolver weighs a little less than a namesake's own name.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["kept_names", "alt_cities", "COMMON_NAME_HOLDERS", "FORMER_NAME_RIVAL"]

#: A former name held by this many places as their current name is theirs, not a town's.
COMMON_NAME_HOLDERS = 3
#: A former name is dropped for the current name of a place this many times bigger
#: (twice was too few: a village's former name fell to a small town's name far away).
FORMER_NAME_RIVAL = 10


def kept_names(keys: np.ndarray, positions: np.ndarray, ok: np.ndarray, alt: np.ndarray, *,
               in_scope: np.ndarray, kind: np.ndarray, population: np.ndarray,
               town_min: int) -> np.ndarray:
    """Narrow ``ok`` (rows of the names table that are kept) by the alternate names' rules.

    Parameters
    ----------
    keys, positions : numpy.ndarray
        Each name row's key and its place's position (-1 for none).
    ok : numpy.ndarray of bool
        The rows kept so far.
    alt : numpy.ndarray of bool
        The rows that are GeoNames alternates.
    in_scope, kind, population : numpy.ndarray
        Per-place columns.
    town_min : int
        From this population a place is a town: its former name yields to the current
        name of several villages.
    """
    at = np.where(ok, positions, 0)
    # Alternate names of foreign places are noisy ("White House" is Casablanca, "Anfa",
    # "CMN"): abroad, only the main name and the Cyrillic forms count.
    ok = ok & ~(~in_scope[at] & (kind[at] != "country") & alt)
    # A former name that is the current name of several other places (Donetsk was once
    # "Aleksandrovka", the Russian form of a hundred Oleksandrivkas) means those; one
    # namesake is not enough ("Rostov" is Rostov-on-Don, not a village). A village keeps
    # its former name (Avdiivske near Avdiivka was Pervomaiske until 2024, and reports
    # before then say so): among the namesakes, the report's geography decides.
    holders = pd.DataFrame({"key": keys[ok & ~alt], "pos": positions[ok & ~alt]})
    counts = holders.drop_duplicates().groupby("key").size()
    common = set(counts.index[counts >= COMMON_NAME_HOLDERS].tolist())
    town = population[at] >= town_min
    ok = ok & ~(alt & town & pd.Series(keys).isin(common).to_numpy())
    # A former name yields to the current name of a place in scope ten times as big
    # ("Kremennaya" is Kreminna, not an Oleksandrivka once so named); it stays when its own
    # place is the bigger ("Rostov" is Rostov-on-Don, not a village), about as big
    # (Pervomaisk of Luhansk, renamed in 2024, beside Pervomaisk of Mykolaiv) or a few times
    # smaller (Avdiivske beside a Crimean Pervomaiske of 8,000 people).
    return ok & ~_yields_to_current(keys, positions, ok, alt,
                                    in_scope & (kind == "settlement"), population)


def alt_cities(keys: np.ndarray, positions: np.ndarray, ok: np.ndarray, alt: np.ndarray,
               population: np.ndarray, city_min: int) -> dict[str, frozenset[int]]:
    """Key -> the cities (``city_min`` people or more) it finds only through an alternate.

    "Stanislav" is Ivano-Frankivsk's former name and a Kherson village's own name.
    """
    own = set(zip(keys[ok & ~alt].tolist(), positions[ok & ~alt].tolist(), strict=True))
    out: dict[str, set[int]] = {}
    for key, pos in zip(keys[ok & alt].tolist(), positions[ok & alt].tolist(), strict=True):
        if population[pos] >= city_min and (key, pos) not in own:
            out.setdefault(key, set()).add(pos)
    return {key: frozenset(found) for key, found in out.items()}


def _yields_to_current(keys, positions, ok, alt, rivals, population) -> np.ndarray:
    """Rows of former names dropped for a much bigger place's current name (see above).

    ``rivals`` marks the places whose current names count (settlements in scope: an
    oblast's bare name is no town's).
    """
    alt_rows = np.flatnonzero(ok & alt)
    alt_keys = set(keys[alt_rows].tolist())
    named = np.fromiter((key in alt_keys for key in keys.tolist()), dtype=bool, count=len(keys))
    current = np.flatnonzero(ok & ~alt & rivals[np.where(ok, positions, 0)] & named)
    biggest: dict[str, int] = {}
    for key, size in zip(keys[current].tolist(), population[positions[current]].tolist(),
                         strict=True):
        if size > biggest.get(key, -1):
            biggest[key] = size
    drop = np.zeros(len(keys), dtype=bool)
    for row, key, size in zip(alt_rows.tolist(), keys[alt_rows].tolist(),
                              population[positions[alt_rows]].tolist(), strict=True):
        drop[row] = biggest.get(key, -1) >= FORMER_NAME_RIVAL * size
    return drop
