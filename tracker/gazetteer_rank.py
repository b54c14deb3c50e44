"""How the gazetteer orders the candidates of one spelling: prominence, then kind.

``log10(population + 10)`` minus ``TIER_WEIGHT`` per tier of the spelling that
matched (``NAME_TYPE_RANK``: a current name, a former or foreign one, one guessed by
rule; user places first), with places far outside the tracked area one tier lower
for their alternative spellings; ``KIND_ORDER`` breaks ties. The bundled name index
is stored in this order (``scripts/build_steps/places.py``), and
:meth:`tracker.gazetteer.Gazetteer.load` merges a user's extra places into it.
"""

from __future__ import annotations

import bisect

import numpy as np
import pandas as pd
import pyarrow as pa

__all__ = ["KIND_ORDER", "NAME_TYPE_RANK", "TIER_WEIGHT", "far_away", "merge_ranked",
           "prominence", "rank_names"]

#: Order of kinds among candidates of equal match quality and prominence.
KIND_ORDER = {"country": 0, "oblast": 1, "region": 2, "settlement": 3, "raion": 4,
              "hromada": 5, "water": 6, "other": 7}
#: Tier of a matched spelling: 0 a place's current name or a standard form of it ("Donetsk
#: region"), 1 a former, foreign-language or alternative spelling (Artemivsk, Kharkov, the bare
#: "Donetsk" for the oblast), 2 a spelling guessed by rule (``hybrid``: a Russian form with
#: Ukrainian endings, Novoaleksandrivka); user places come first.
NAME_TYPE_RANK = {"extra": -5, "name": 0, "translit": 0, "form": 0, "uk": 0, "short": 1,
                  "ru": 1, "alt": 1, "translit_y": 1, "ru_latin": 1, "guess": 2, "hybrid": 2}
#: Prominence lost per tier, in powers of ten of population (see :func:`prominence`).
TIER_WEIGHT = 2.0


def rank_names(names: pd.DataFrame, places: pd.DataFrame) -> pd.DataFrame:
    """Sort a name index by key, then by rank within each key (best candidate first).

    Parameters
    ----------
    names : pandas.DataFrame
        ``key, name, place_id, name_type`` rows.
    places : pandas.DataFrame
        Places indexed by ``place_id`` (for ``kind`` and ``population``).

    Returns
    -------
    pandas.DataFrame
        The same rows, sorted by ``key`` (code-point order, as ``numpy.searchsorted``
        needs), then name type (``NAME_TYPE_RANK``), kind (``KIND_ORDER``), population
        (largest first) and place id.
    """
    place_rows = places.reindex(names["place_id"])
    ranked = names.assign(
        _prom=prominence(place_rows["population"].fillna(0).to_numpy(),
                         names["name_type"].to_numpy(), place_rows["kind"].to_numpy(),
                         far_away(place_rows.fillna({"country": "", "kind": ""}))),
        _kind=place_rows["kind"].map(KIND_ORDER).fillna(9).to_numpy(),
    )
    ranked = ranked.sort_values(["key", "_prom", "_kind", "place_id"],
                                ascending=[True, False, True, True], kind="mergesort")
    return ranked[["key", "name", "place_id", "name_type"]].reset_index(drop=True)


def merge_ranked(ranked: pd.DataFrame, first: pd.DataFrame) -> pd.DataFrame:
    """Insert the (ranked) rows ``first`` before the rows of the same key in ``ranked``.

    Parameters
    ----------
    ranked : pandas.DataFrame
        A name index sorted by :func:`rank_names`.
    first : pandas.DataFrame
        Ranked rows (a user's extra places) that go before those of the same key.

    Returns
    -------
    pandas.DataFrame
        All rows, still sorted by ``key``.
    """
    keys = pa.array(ranked["key"], type=pa.string())
    at = [bisect.bisect_left(keys, k, key=lambda scalar: scalar.as_py()) for k in first["key"]]
    order = np.insert(np.arange(len(ranked)), at, len(ranked) + np.arange(len(first)))
    merged = pd.concat([ranked, first], ignore_index=True)
    return merged.iloc[order].reset_index(drop=True)


def prominence(population, name_type, kind=None, far=None) -> np.ndarray:
    """Prominence of candidates: ``log10(population + 10) - TIER_WEIGHT * tier``.

    Parameters
    ----------
    population : array-like of int
        The places' populations (0 when unknown).
    name_type : array-like of str
        The type of the spelling that matched (see ``NAME_TYPE_RANK``).
    kind : array-like of str, optional
        The places' kinds; the population of kind ``other`` (city districts, which share
        their names with villages) does not count.
    far : array-like of bool, optional
        Places outside the tracked area (see :func:`far_away`): their alternative
        spellings (other languages', historic names) are one tier lower, so "Moskva" is
        still Moscow but an alternate name of a far city does not beat a village's own.

    Returns
    -------
    numpy.ndarray
        Rounded to 6 decimals, so equal inputs tie exactly on every platform.

    Examples
    --------
    >>> prominence([470011, 630], ["ru_latin", "alt"]).round(2).tolist()
    [3.67, 0.81]
    """
    pop = np.asarray(population, dtype=float)
    if kind is not None:
        pop = np.where(np.asarray(kind, dtype=object) == "other", 0.0, pop)
    types = np.asarray(name_type, dtype=object)
    tier = pd.Series(types).map(NAME_TYPE_RANK).fillna(3).to_numpy()
    if far is not None:
        tier = tier + (np.asarray(far, dtype=bool) & (tier >= 1))
    return np.round(np.log10(np.maximum(pop, 0) + 10) - TIER_WEIGHT * tier, 6)


def far_away(places: pd.DataFrame) -> np.ndarray:
    """Whether places lie outside the tracked area.

    The tracked area is Ukraine, Belarus, Moldova and Russia's six border regions;
    countries are never far away.

    Parameters
    ----------
    places : pandas.DataFrame
        With columns ``country``, ``admin1`` and ``kind``.

    Returns
    -------
    numpy.ndarray of bool
    """
    near = (places["country"].isin(["UA", "BY", "MD"]) | (places["admin1"].fillna("") != "")
            | (places["kind"] == "country"))
    return ~near.to_numpy(dtype=bool)
