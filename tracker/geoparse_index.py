"""The geoparser's name index: built once per gazetteer, then only dictionary look-ups.

:func:`name_index` turns a :class:`~tracker.gazetteer.Gazetteer` into the
structures the finder and the resolver need and caches them on the gazetteer
object, so a batch of reports pays for the build once:

- ``keys``: normalised name (:func:`tracker.names.normalize`) -> row positions of
  the places of that name in the place arrays;
- place arrays (NumPy): latitude, longitude, population, kind, admin1, country,
  geo_precision, so scoring candidates is array arithmetic;
- ``lowercase``: keys that may fire in lowercase ("kyiv"): well-known places
  (oblasts, countries, cities of 100,000 or more in scope) whose name is not a
  common English word;
- fuzzy buckets: keys of in-scope places worth a fuzzy match, grouped by first
  letter, so a garbled token ("Totretsk") is compared with a few thousand keys,
  not all of them.

"Common English word" is measured, not listed
(:func:`tracker.geoparse_words.is_common_word`): ``Most`` (a Czech town of 63,000)
is used far more often than a town of that size would be, so it is a word; ``Kyiv``
is not.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from tracker.geoparse_alt_names import alt_cities, kept_names
from tracker.geoparse_words import is_common_word

__all__ = ["NameIndex", "name_index", "key_spans", "IN_SCOPE_ADMIN1"]

#: Russian regions that border Ukraine: their villages are in the news, so they
#: count as in scope like Ukraine's own.
IN_SCOPE_ADMIN1 = frozenset({"Belgorod", "Bryansk", "Kursk", "Rostov", "Voronezh", "Krasnodar"})
#: Population from which a settlement is well known enough to fire in lowercase.
LOWERCASE_MIN_POPULATION = 100_000
#: Population from which a place outside Ukraine and the Russian border regions is
#: kept at all (foreign towns of that name are far more often people: Taylor, Lee).
FOREIGN_MIN_POPULATION = 100_000
#: A fuzzy match to a settlement smaller than this (or of unknown size) needs support
#: from the context (its oblast named, or near other places of the report).
FUZZY_MIN_POPULATION = 5_000
#: An ambiguous name may resolve without support from the context only to a place this big.
WELL_KNOWN_POPULATION = 100_000
#: Prior points of an oblast's capital (the settlement named like its oblast): the log of
#: population alone (a city of 280,000 is 1.2 above a village of 300) let an oblast named
#: two paragraphs away (+1 or +2) make "a hospital in Poltava" a Luhansk village and "the
#: Dnipro HPP in Zaporizhzhia" a Dnipropetrovsk one. An oblast named in the same sentence
#: (+4) still outweighs it; other big cities get nothing more, as villages named like
#: them (the Luhansk Makiivka) are front-line places in their own right.
CAPITAL_PRIOR = 1.0
#: Population assumed for a village whose size the gazetteer does not know.
UNKNOWN_POPULATION = 300
#: Capital letters (Latin, accented Latin, Cyrillic) and apostrophes (``_APOS``, from
#: :mod:`tracker.geoparse_words`), as regex class contents: shared by the finder
#: (:mod:`tracker.geoparse_find`) and its context filters (:mod:`tracker.geoparse_filters`).
_UP = "A-ZÀ-ÖØ-ÞА-ЯЁЄІЇҐЎ"


@dataclass
class NameIndex:
    """Look-up structures derived from one gazetteer (see module docstring)."""

    keys: dict[str, np.ndarray]
    place_ids: np.ndarray
    names: np.ndarray
    kind: np.ndarray
    admin1: np.ndarray
    country: np.ndarray
    latitude: np.ndarray
    longitude: np.ndarray
    population: np.ndarray
    geo_precision: np.ndarray
    in_scope: np.ndarray
    capital: np.ndarray
    max_words: int
    lowercase: frozenset[str]
    fuzzy_buckets: dict[str, list[str]]
    loose: dict[str, tuple[int, ...]] = field(default_factory=dict)
    keep_abroad: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    raion: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=object))
    hromada: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=object))
    oblast_of: dict[str, int] = field(default_factory=dict)
    country_of: dict[str, int] = field(default_factory=dict)
    #: Plain-Python views for the per-hit code (candidate lists are short, so list
    #: and tuple look-ups beat NumPy fancy indexing there): ``tkeys`` maps a key to
    #: its sorted place positions as a tuple; ``py`` holds per-place columns.
    tkeys: dict[str, tuple[int, ...]] = field(default_factory=dict)
    #: Key -> the cities (``WELL_KNOWN_POPULATION``) it finds only through an alternate name
    #: (:func:`tracker.geoparse_alt_names.alt_cities`).
    alt_cities: dict[str, frozenset[int]] = field(default_factory=dict)
    #: First word of a key -> the most words of a key starting with it (see :func:`key_spans`).
    key_spans: dict[str, int] = field(default_factory=dict)
    #: :attr:`key_spans` of the sound-folded keys of :attr:`loose` ("staraia" -> 2).
    loose_spans: dict[str, int] = field(default_factory=dict)
    py: PlaceColumns | None = None

    def candidates(self, key: str) -> np.ndarray:
        """Place positions for a normalised key (empty array when unknown)."""
        return self.keys.get(key, _EMPTY)


@dataclass
class PlaceColumns:
    """Per-place values as Python lists (index = place position), precomputed once.

    ``score`` is the resolver's prior (+2 in scope, ``0.4 * log10(population + 1)``
    with unknown populations counted as ``UNKNOWN_POPULATION``, ``CAPITAL_PRIOR`` for an
    oblast's capital), computed with the
    same NumPy expression the resolver used per candidate, so values are identical.
    ``rlat``/``rlon`` are radians and ``coslat`` their cosine, for haversine distances
    (also as arrays, for the few large candidate-by-anchor matrices).
    """

    kind: list[str]
    admin1: list[str]
    country: list[str]
    raion: list
    hromada: list
    names: list[str]
    population: list[int]
    population_eff: list[float]
    score: list[float]
    latitude: list[float]
    longitude: list[float]
    rlat: list[float]
    rlon: list[float]
    coslat: list[float]
    in_scope: list[bool]
    capital: list[bool]
    keep_abroad: list[bool]
    #: Positions of national capitals, and of places dropped as too small abroad.
    capitals: frozenset[int]
    small_abroad: frozenset[int]
    rlat_array: np.ndarray
    rlon_array: np.ndarray
    coslat_array: np.ndarray


_EMPTY = np.zeros(0, dtype=np.int64)
_CACHE: weakref.WeakKeyDictionary[Any, NameIndex] = weakref.WeakKeyDictionary()
_CACHE_BY_ID: dict[int, tuple[Any, NameIndex]] = {}


def name_index(gazetteer: Any) -> NameIndex:
    """Return the (cached) :class:`NameIndex` of a gazetteer.

    Parameters
    ----------
    gazetteer : Gazetteer
        Any object with ``places`` (indexed by place_id; name, kind, admin1,
        country, latitude, longitude, population, geo_precision) and ``names``
        (key, name, place_id) DataFrames.

    Returns
    -------
    NameIndex
    """
    try:
        cached = _CACHE.get(gazetteer)
    except TypeError:  # not weak-referenceable or unhashable: cache by identity
        entry = _CACHE_BY_ID.get(id(gazetteer))
        cached = entry[1] if entry and entry[0] is gazetteer else None
    if cached is not None:
        return cached
    index = _build(gazetteer)
    try:
        _CACHE[gazetteer] = index
    except TypeError:
        _CACHE_BY_ID[id(gazetteer)] = (gazetteer, index)
    return index


#: Entries an :func:`index_memo` holds before it starts afresh (bounds its memory).
MEMO_SIZE = 50_000


def index_memo(index: NameIndex | PlaceColumns, name: str) -> dict:
    """Return the memo ``name`` kept on the index (for results that depend on the index only).

    The index's :class:`PlaceColumns` can hold memos too (for code that only has
    them). A memo is emptied once it holds ``MEMO_SIZE`` entries, so a long batch
    cannot grow it without bound.
    """
    memo = index.__dict__.get(name)
    if memo is None or len(memo) >= MEMO_SIZE:
        memo = index.__dict__[name] = {}
    return memo


def memoised(index: NameIndex | PlaceColumns, name: str, key: Any, compute: Callable[[], Any]):
    """Return ``compute()`` for ``key``, kept in the :func:`index_memo` ``name``.

    For values that depend on the index and the key only; callers must not mutate them.
    """
    memo = index_memo(index, name)
    found = memo.get(key)
    if found is None:
        found = memo[key] = compute()
    return found


def _build(gazetteer: Any) -> NameIndex:
    places = gazetteer.places
    names = gazetteer.names
    place_ids = places.index.to_numpy().astype(str)
    kind = places["kind"].to_numpy().astype(str)
    admin1 = places["admin1"].fillna("").to_numpy().astype(str)
    country = places["country"].fillna("").to_numpy().astype(str)
    population = places["population"].fillna(0).to_numpy().astype(np.int64)
    in_scope = (country == "UA") | np.isin(admin1, list(IN_SCOPE_ADMIN1)) | (
        (kind == "country") & np.isin(country, ["UA", "RU"]))

    positions = places.index.get_indexer(names["place_id"])
    keys_col = names["key"].to_numpy()
    ok = positions >= 0
    cities_by_alt: dict[str, frozenset[int]] = {}
    if "name_type" in names:
        alt = names["name_type"].to_numpy() == "alt"
        ok = kept_names(keys_col, positions, ok, alt, in_scope=in_scope, kind=kind,
                        population=population, town_min=FUZZY_MIN_POPULATION)
        cities_by_alt = alt_cities(keys_col, positions, ok, alt, population,
                                   WELL_KNOWN_POPULATION)
    pairs = pd.DataFrame({"key": keys_col[ok], "pos": positions[ok]}).drop_duplicates()
    pairs = pairs.sort_values(["key", "pos"], kind="stable")
    sorted_keys = pairs["key"].to_numpy(dtype=object)
    sorted_pos = pairs["pos"].to_numpy(dtype=np.int64)
    groups: dict[str, np.ndarray] = {}
    starts = np.zeros(0, dtype=np.int64)
    if len(sorted_keys):
        starts = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])
        ends = np.r_[starts[1:], len(sorted_keys)]
        for s, e in zip(starts.tolist(), ends.tolist(), strict=True):
            groups[sorted_keys[s]] = sorted_pos[s:e]
    max_words = max((k.count(" ") + 1 for k in groups), default=1)

    capital = _capitals(places, place_ids, kind, country, population)
    index = NameIndex(
        keys=groups, place_ids=place_ids, names=places["name"].to_numpy().astype(str),
        kind=kind, admin1=admin1, country=country,
        latitude=places["latitude"].to_numpy(dtype=float),
        longitude=places["longitude"].to_numpy(dtype=float),
        population=population,
        geo_precision=places["geo_precision"].fillna(1).to_numpy().astype(np.int64),
        in_scope=in_scope, capital=capital, max_words=min(max_words, 8),
        lowercase=frozenset(), fuzzy_buckets={},
    )
    index.__dict__["_table"] = (starts, sorted_keys, sorted_pos) if len(sorted_keys) else (
        np.zeros(0, dtype=np.int64), sorted_keys, sorted_pos)
    raion_col = places["raion"] if "raion" in places else pd.Series("", index=places.index)
    index.raion = raion_col.fillna("").to_numpy(dtype=object)
    hromada_col = places["hromada"] if "hromada" in places else pd.Series("", index=places.index)
    index.hromada = hromada_col.fillna("").to_numpy(dtype=object)
    index.oblast_of = {str(admin1[i]): int(i) for i in np.flatnonzero(kind == "oblast")}
    index.country_of = {str(country[i]): int(i) for i in np.flatnonzero(kind == "country")}
    if "name_type" in names:
        plain = names["name_type"].isin(["name", "translit", "translit_y", "ru_latin", "form"])
        plain_keys = set(names["key"].to_numpy(dtype=object)[plain.to_numpy()].tolist())
    else:
        plain_keys = set(groups)
    index.lowercase = _lowercase_keys(index, plain_keys)
    index.keep_abroad = in_scope | (population >= FOREIGN_MIN_POPULATION) | np.isin(
        kind, ["country", "oblast", "region", "water"])
    # A near spelling of a hybrid spelling (a Russian form given Ukrainian endings by
    # rule) is too weak a match: those are no targets unless another spelling has them.
    if "name_type" in names:
        hybrid = (names["name_type"] == "hybrid").to_numpy()
        keys_all = names["key"].to_numpy(dtype=object)
        guessed = set(keys_all[hybrid].tolist()) - set(keys_all[~hybrid].tolist())
    else:
        guessed = set()
    index.fuzzy_buckets = _fuzzy_buckets(index, guessed)
    index.loose = _loose_index(index)
    index.tkeys = {k: tuple(v.tolist()) for k, v in groups.items()}
    index.alt_cities = cities_by_alt
    index.py = _place_columns(index)
    index.key_spans = key_spans(index.tkeys)
    index.loose_spans = key_spans(index.loose)
    return index


def key_spans(keys) -> dict[str, int]:
    """Map the first word of each key to the most words of a key starting with it.

    The finder tries names longest first; no name starting with a word is longer
    than this, so longer spans need not be tried.

    Examples
    --------
    >>> key_spans(["velyka novosilka", "velyka", "kyiv"])
    {'velyka': 2, 'kyiv': 1}
    """
    spans: dict[str, int] = {}
    for key in keys:
        first = key.split(" ", 1)[0]
        words = key.count(" ") + 1
        if words > spans.get(first, 0):
            spans[first] = words
    return spans


def _place_columns(index: NameIndex) -> PlaceColumns:
    population = index.population.astype(float)
    population = np.where(population > 0, population, UNKNOWN_POPULATION)
    score = (np.where(index.in_scope, 2.0, 0.0) + 0.4 * np.log10(population + 1.0)
             + np.where((index.kind == "settlement") & (index.names == index.admin1)
                        & (population >= WELL_KNOWN_POPULATION), CAPITAL_PRIOR, 0.0))
    rlat, rlon = np.radians(index.latitude), np.radians(index.longitude)
    return PlaceColumns(
        kind=index.kind.tolist(), admin1=index.admin1.tolist(), country=index.country.tolist(),
        raion=index.raion.tolist(), hromada=index.hromada.tolist(), names=index.names.tolist(),
        population=index.population.tolist(), population_eff=population.tolist(),
        score=score.tolist(), latitude=index.latitude.tolist(),
        longitude=index.longitude.tolist(), rlat=rlat.tolist(), rlon=rlon.tolist(),
        coslat=np.cos(rlat).tolist(), in_scope=index.in_scope.tolist(),
        capital=index.capital.tolist(), keep_abroad=index.keep_abroad.tolist(),
        capitals=frozenset(np.flatnonzero(index.capital).tolist()),
        small_abroad=frozenset(np.flatnonzero(~index.keep_abroad).tolist()),
        rlat_array=rlat, rlon_array=rlon, coslat_array=np.cos(rlat))


def _capitals(places, place_ids, kind, country, population) -> np.ndarray:
    """National capitals (for metonymy: "Kyiv announced"), from the gazetteer's own flag.

    The ``capital`` column comes from GeoNames' country data at build time, so a plain
    install needs no GeoNames package at run time.
    """
    if "capital" in places:
        return places["capital"].to_numpy().astype(bool) & (kind == "settlement")
    # A hand-made gazetteer (Gazetteer.from_places) has no flag: take each country's
    # most populous settlement of at least 500,000 people as its capital.
    frame = pd.DataFrame({"country": country, "population": population,
                          "settlement": kind == "settlement"})
    towns = frame[frame["settlement"] & (frame["population"] >= 500_000)]
    capital = np.zeros(len(place_ids), dtype=bool)
    capital[towns.groupby("country")["population"].idxmax().to_numpy(dtype=int)] = True
    return capital


def _keys_with(index: NameIndex, flags: np.ndarray) -> list[str]:
    """Keys with at least one place where ``flags`` is true (vectorised over the key table)."""
    starts, sorted_keys, sorted_pos = index.__dict__["_table"]
    if not len(starts):
        return []
    hit = np.logical_or.reduceat(flags[sorted_pos], starts)
    return [str(k) for k in sorted_keys[starts[hit]]]


def _lowercase_keys(index: NameIndex, plain_keys: set[str]) -> frozenset[str]:
    well_known = index.in_scope & (
        np.isin(index.kind, ["oblast", "country"])
        | ((index.kind == "settlement") & (index.population >= LOWERCASE_MIN_POPULATION)))
    keys = set()
    for key in _keys_with(index, well_known):
        if " " in key or not key.isascii() or len(key) < 4 or key not in plain_keys:
            continue
        pos = index.keys[key]
        best = int(pos[np.argmax(index.population[pos])])
        if not is_common_word(key, int(index.population[best]), index.kind[best]):
            keys.add(key)
    return frozenset(keys)


def _fuzzy_buckets(index: NameIndex, guessed: set[str]) -> dict[str, list[str]]:
    target = index.in_scope & np.isin(index.kind, ["oblast", "country", "settlement"])
    buckets: dict[str, list[str]] = {}
    for key in _keys_with(index, target):
        if len(key) >= 5 and key.isascii() and key not in guessed:
            buckets.setdefault(key[0], []).append(key)
    return buckets


_LOOSE_STEPS = (("kh", "h"), ("zh", "z"), ("shch", "s"), ("sch", "s"), ("sh", "s"),
                ("ch", "c"), ("ts", "c"), ("tz", "c"), ("j", "i"), ("y", "i"), ("g", "h"),
                ("ovka", "ivka"), ("evka", "ivka"), ("skoe", "ske"), ("skoye", "ske"),
                ("oie", "e"), ("aia", "a"), ("oe", "e"), ("ie", "e"), ("ia", "a"), ("iu", "u"),
                ("ii", "i"))
_DOUBLE = re.compile(r"(.)\1+")


@lru_cache(maxsize=200_000)
def loose_key(key: str) -> str:
    """Fold a normalised Latin key to a rough sound key (y/i, kh/h, -ovka/-ivka ...).

    Examples
    --------
    >>> loose_key("shumi") == loose_key("shumy")
    True
    >>> loose_key("yablonovka") == loose_key("yablonivka")
    True
    """
    for old, new in _LOOSE_STEPS:
        key = key.replace(old, new)
    return _DOUBLE.sub(r"\1", key)


def _loose_index(index: NameIndex) -> dict[str, tuple[int, ...]]:
    """Sound-folded key -> settlements in scope spelt so (one word or several).

    Several words: reports mix the spelling systems word by word ("Chervonyi Mayak",
    "Veselyi Gai", "Staraya Buda"), which no single variant of the gazetteer spells.
    """
    target = index.in_scope & (index.kind == "settlement")
    out: dict[str, set[int]] = {}
    for key in _keys_with(index, target):
        if len(key) >= 4 and key.isascii():
            pos = index.keys[key]
            # No folding step spans a space, so a key folds word by word (memoised:
            # words recur, "nova", "velyka").
            folded = " ".join([loose_key(w) for w in key.split(" ")])
            out.setdefault(folded, set()).update(pos[target[pos]].tolist())
    return {k: tuple(sorted(v)) for k, v in out.items()}
