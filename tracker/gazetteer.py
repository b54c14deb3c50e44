"""The bundled gazetteer: places, their name index, exact and fuzzy lookup.

The data (``data/places.parquet`` and ``data/names.parquet``, built by
``scripts/build_data.py``; see ``data/PROVENANCE.md``) holds every Ukrainian
settlement of the official codifier KATOTTG joined to GeoNames, raions,
hromadas, oblasts (with Russia's six border regions), Donbas, countries, and
GeoNames places in Russia's border regions, Belarus, Moldova and the world's
capitals and million cities.

Every spelling of every place is indexed under its :func:`tracker.names.normalize`
key, so ``Kup'iansk``, ``Kupiansk``, ``Kupyansk`` and ``Куп'янськ`` all find
Kupiansk. :meth:`Gazetteer.lookup` falls back to fuzzy matching (rapidfuzz's
normalised Levenshtein ratio) for misspellings such as ``Totretsk``.

Candidates are ranked by match quality (exact before fuzzy, then the fuzzy
score), then by prominence: ``log10(population + 10)`` minus 2 for a former,
foreign-language or alternative spelling (Artemivsk, Kharkov) and minus 4 for a
spelling guessed by rule; so "Nikolaev" finds the city of Mykolaiv (470,000
people, Russian spelling) before a village of 630 in Rostov region whose current
name it is, while "Krasnyi Lyman" finds the village that bears that name today
before Lyman, the town's former name. Kind breaks ties (country, oblast,
region, settlement, raion, hromada, water, other).

Users add their own places with a CSV file (columns ``name, latitude,
longitude`` and optionally ``admin1, aliases, kind, country, population``;
``aliases`` separated by ``;``), given to :meth:`Gazetteer.load` or through the
``TRACKER_GAZETTEER_EXTRA`` environment variable. Their names rank before the
bundled ones of the same match quality.
"""

from __future__ import annotations

import bisect
import dataclasses
import math
import os
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from tracker.errors import GazetteerError
from tracker.gazetteer_rank import (
    KIND_ORDER,
    NAME_TYPE_RANK,
    far_away,
    merge_ranked,
    prominence,
    rank_names,
)
from tracker.models import LOOKUP_COLUMNS, Place
from tracker.names import normalize
from tracker.resources import data_path

__all__ = ["Gazetteer", "ENV_EXTRA", "KIND_ORDER", "NAME_TYPE_RANK", "FUZZY_CUTOFF", "prominence",
           "rank_names"]

#: Environment variable naming the default extra-places CSV.
ENV_EXTRA = "TRACKER_GAZETTEER_EXTRA"
#: Fuzzy score points a match on a tier-1 (tier-2) spelling loses when ranking.
FUZZY_TIER_POINTS = 3.0
#: Lowest fuzzy score (0-100, rapidfuzz ``fuzz.ratio`` on normalised keys) a candidate needs.
FUZZY_CUTOFF = 80.0
#: Columns of :meth:`Gazetteer.lookup` (``LOOKUP_COLUMNS`` without ``query``, plus these).
RESULT_COLUMNS = [c for c in LOOKUP_COLUMNS if c != "query"] + ["score", "match", "matched_name"]

_PLACE_COLUMNS = ["name", "kind", "admin1", "country", "latitude", "longitude", "population",
                  "geo_precision", "source", "raion", "hromada"]
_CACHE: dict[object, Gazetteer] = {}


class Gazetteer:
    """Places and their name index; build with :meth:`load`.

    Attributes
    ----------
    places : pandas.DataFrame
        Indexed by ``place_id``; columns ``name, kind, admin1, country, latitude, longitude,
        population, geo_precision, source, raion, hromada`` (and ``name_uk, name_ru,
        katottg`` for the bundled places).
    names : pandas.DataFrame
        The name index, sorted by ``key`` (then best candidate first): ``key, name,
        place_id, name_type``. ``name_type`` is ``name`` (GeoNames' or the unit's own
        name), ``translit`` (national transliteration of the KATOTTG name), ``form``
        (standard forms: "Donetsk region", "DPR", "USA"), ``uk`` / ``ru`` (Ukrainian /
        Russian Cyrillic), ``alt`` (GeoNames' Latin alternates: former and foreign
        spellings), ``translit_y`` (Kupyansk-style spellings), ``ru_latin`` (romanised
        Russian forms: Kharkov), ``short`` (an oblast's bare name, "Donetsk"), ``guess``
        (romanisations of a Russian form guessed by rule), ``hybrid`` (a romanised
        Russian form with Ukrainian endings: Novoaleksandrivka, Mala Loknya) or
        ``extra`` (user places).

    Examples
    --------
    >>> gaz = Gazetteer.load()
    >>> gaz.lookup("Kup'yansk").iloc[0][["name", "admin1", "match"]].tolist()
    ['Kupiansk', 'Kharkiv', 'exact']
    >>> gaz.place(gaz.exact("krasnoarmiisk")[0]).name
    'Pokrovsk'
    """

    def __init__(self, places: pd.DataFrame, names: pd.DataFrame, *, ranked: bool = False):
        self.places = places
        # The bundled index is stored ranked (scripts/build_steps/places.py calls rank_names).
        self.names = names if ranked else rank_names(names, places)
        # The key -> rows index is built on first use (load() stays fast; a lookup after it
        # is a dict access).
        self._blocks: tuple[list[str], np.ndarray, np.ndarray] | None = None
        self._pids: pa.Array | None = None
        self._unique: np.ndarray | None = None
        self._unique_len: np.ndarray | None = None

    @classmethod
    def load(cls, extra: str | os.PathLike | None = None) -> Gazetteer:
        """Load the bundled gazetteer, merged with a CSV of extra places (cached per process).

        Parameters
        ----------
        extra : str or PathLike, optional
            CSV of the user's own places (``name, latitude, longitude`` and optionally
            ``admin1, aliases, kind, country, population``). Defaults to the file named by
            the ``TRACKER_GAZETTEER_EXTRA`` environment variable, if set.

        Returns
        -------
        Gazetteer
            The same object for the same inputs (until the extra file changes).

        Raises
        ------
        GazetteerError
            When the extra file is missing or has a bad row (the message names ``file:line``).

        Examples
        --------
        >>> Gazetteer.load() is Gazetteer.load()
        True
        """
        if extra is None:
            extra = os.environ.get(ENV_EXTRA) or None
        key: object = None
        if extra is not None:
            path = Path(extra).expanduser()
            try:
                stat = path.stat()
            except OSError:
                raise GazetteerError(f"{path}: extra places file not found") from None
            key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
        if key not in _CACHE:
            places, names = _read_bundled()
            if extra is None:
                _CACHE[key] = cls(places, names, ranked=True)
            else:
                from tracker.gazetteer_extra import read_extra

                more_places, more_names = read_extra(Path(extra).expanduser(), known=places)
                places = pd.concat([places, more_places])
                names = merge_ranked(names, rank_names(more_names, more_places))
                _CACHE[key] = cls(places, names, ranked=True)
        return _CACHE[key]

    @classmethod
    def from_places(cls, places: Iterable[Place], *,
                    aliases: Mapping[str, Iterable[str]] | None = None) -> Gazetteer:
        """Build a small gazetteer from Place records (for tests and notebooks).

        Parameters
        ----------
        places : iterable of Place
            The places; each is indexed under its ``name``.
        aliases : mapping, optional
            ``place_id`` -> more spellings of that place (indexed as alternates).

        Returns
        -------
        Gazetteer

        Examples
        --------
        >>> from tracker.models import Place
        >>> gaz = Gazetteer.from_places(
        ...     [Place("t:1", "Toretsk", "settlement", "Donetsk", "UA", 48.4, 37.8, 30914)],
        ...     aliases={"t:1": ["Dzerzhynsk"]})
        >>> gaz.exact("dzerzhynsk")
        ['t:1']
        """
        rows = [dataclasses.asdict(p) for p in places]
        frame = pd.DataFrame(rows, columns=["place_id", *_PLACE_COLUMNS]).set_index("place_id")
        names = [(normalize(p["name"]), p["name"], p["place_id"], "name") for p in rows]
        for pid, spellings in (aliases or {}).items():
            names.extend((normalize(s), s, pid, "alt") for s in spellings)
        return cls(frame, pd.DataFrame(names, columns=["key", "name", "place_id", "name_type"]))

    def place(self, place_id: str) -> Place:
        """Return the :class:`~tracker.models.Place` of a place id.

        Parameters
        ----------
        place_id : str
            E.g. ``"gn:704422"``, ``"ua:UA14160270010049838"``, ``"admin1:Donetsk"``.

        Returns
        -------
        Place

        Raises
        ------
        KeyError
            For an unknown id.

        Examples
        --------
        >>> Gazetteer.load().place("admin1:Donetsk").kind
        'oblast'
        """
        row = self.places.loc[place_id]
        return Place(
            place_id=place_id, name=row["name"], kind=row["kind"], admin1=row["admin1"],
            country=row["country"], latitude=float(row["latitude"]),
            longitude=float(row["longitude"]), population=int(row["population"]),
            geo_precision=int(row["geo_precision"]), source=row["source"],
            raion=row["raion"] or "", hromada=row["hromada"] or "",
        )

    def exact(self, key: str) -> list[str]:
        """Place ids indexed under a normalised key, best first.

        Parameters
        ----------
        key : str
            A :func:`tracker.names.normalize` key (pass ``normalize(name)`` for raw text).

        Returns
        -------
        list of str
            Ranked by how telling the spelling is, then kind, then population; empty when
            the key is unknown.

        Examples
        --------
        >>> gaz = Gazetteer.load()
        >>> gaz.place(gaz.exact("bakhmut")[0]).admin1
        'Donetsk'
        >>> gaz.exact("no such place")
        []
        """
        rows = _rows_of(self, key)
        if not rows:
            return []
        return list(dict.fromkeys(self._pids[rows.start:rows.stop].to_pylist()))

    def lookup(self, name: str, *, limit: int = 10) -> pd.DataFrame:
        """Candidate places of a name, best first: exact matches, then fuzzy ones.

        Parameters
        ----------
        name : str
            A place name in any spelling or script.
        limit : int, default 10
            Most candidates to return.

        Returns
        -------
        pandas.DataFrame
            Columns ``rank, place_id, name, kind, admin1, country, latitude, longitude,
            population, geo_precision, source, score, match, matched_name``; ``score`` is 100
            for an exact match, else the fuzzy score (``FUZZY_CUTOFF`` to 100); ``match`` is
            ``"exact"`` or ``"fuzzy"``. Empty when nothing matches.

        Raises
        ------
        GazetteerError
            When ``name`` is not text or has no letters.

        Examples
        --------
        >>> gaz = Gazetteer.load()
        >>> gaz.lookup("Totretsk").iloc[0][["name", "match"]].tolist()
        ['Toretsk', 'fuzzy']
        >>> gaz.lookup("Washington").iloc[0]["country"]
        'US'
        >>> gaz.lookup("")
        Traceback (most recent call last):
        ...
        tracker.errors.GazetteerError: empty place name ''
        """
        return lookup_frame(self, name, limit=limit)

    # -- internals --------------------------------------------------------------------------

    def _index(self) -> tuple[list[str], np.ndarray, np.ndarray]:
        """Sorted distinct keys and their row blocks ``[start, end)`` (built on first use)."""
        if self._blocks is None:
            keys = pa.array(self.names["key"], type=pa.string())
            n = len(keys)
            if n:
                change = pc.not_equal(keys[1:], keys[:-1]).to_numpy(zero_copy_only=False)
                starts = np.concatenate([[0], np.flatnonzero(change) + 1])
            else:
                starts = np.zeros(0, dtype=np.int64)
            ends = np.append(starts[1:], n)
            unique = keys.take(pa.array(starts, type=pa.int64())).to_pylist()
            self._blocks = (unique, starts, ends)
            self._pids = pa.array(self.names["place_id"], type=pa.string())
        return self._blocks

    def _fuzzy_keys(self) -> tuple[np.ndarray, np.ndarray]:
        if self._unique is None:
            unique = np.asarray(self._index()[0], dtype=object)
            self._unique = unique
            self._unique_len = np.fromiter((len(k) for k in unique), dtype=np.int32,
                                           count=len(unique))
        return self._unique, self._unique_len


def lookup_frame(gaz: Gazetteer, name: str, *, limit: int = 10) -> pd.DataFrame:
    """Rank the candidates of one name (the shared body of ``lookup`` and the CLI).

    Parameters
    ----------
    gaz : Gazetteer
        The gazetteer to search.
    name : str
        A place name.
    limit : int, default 10
        Most candidates to return.

    Returns
    -------
    pandas.DataFrame
        See :meth:`Gazetteer.lookup`.
    """
    if not isinstance(name, str):
        raise GazetteerError(f"place name must be text, got {type(name).__name__} {name!r}")
    if not isinstance(limit, int) or limit < 1:
        raise GazetteerError(f"limit must be a positive integer, got {limit!r}")
    key = normalize(name)
    if not key:
        raise GazetteerError(f"empty place name {name!r}")
    found: dict[str, tuple[float, str, str, str]] = {}  # place_id -> (score, match, spelling, type)
    if not _rows_of(gaz, key) and key.startswith("the ") and _rows_of(gaz, key[4:]):
        key = key[4:]  # "the Kupiansk raion", "the Donbas"
    for row in _rows_of(gaz, key):
        pid = gaz.names["place_id"].iat[row]
        found.setdefault(pid, (100.0, "exact", gaz.names["name"].iat[row],
                               gaz.names["name_type"].iat[row]))
    if len(found) < limit and len(key) >= 4:
        for fkey, score in _fuzzy(gaz, key, limit=max(limit, 10) * 3):
            if fkey == key:
                continue
            for row in _rows_of(gaz, fkey):
                pid = gaz.names["place_id"].iat[row]
                entry = (float(score), "fuzzy", gaz.names["name"].iat[row],
                         gaz.names["name_type"].iat[row])
                # Per place, the spelling that ranks best: its own name before an equally
                # close guessed or former one.
                if pid not in found or _fuzzy_quality(entry) > _fuzzy_quality(found[pid]):
                    found[pid] = entry
    if not found:
        return pd.DataFrame(columns=RESULT_COLUMNS)
    ids = list(found)
    frame = gaz.places.loc[ids, _PLACE_COLUMNS].reset_index(names="place_id")
    frame["score"] = [round(found[p][0], 1) for p in ids]
    frame["match"] = [found[p][1] for p in ids]
    frame["matched_name"] = [found[p][2] for p in ids]
    types = [found[p][3] for p in ids]
    frame["_prom"] = prominence(frame["population"].to_numpy(), types, frame["kind"].to_numpy(),
                                far_away(frame))
    frame["_kind"] = frame["kind"].map(KIND_ORDER).fillna(9)
    # A fuzzy match on a place's own name beats an equally close one on a former or foreign
    # spelling of a bigger place (Novoaleksandrivka: the villages, not Melitopol's old name).
    tier = pd.Series(types).map(NAME_TYPE_RANK).fillna(3).clip(lower=0).to_numpy()
    frame["_quality"] = np.where(frame["match"] == "exact", 100.0,
                                 frame["score"] - FUZZY_TIER_POINTS * tier)
    frame = frame.sort_values(["_quality", "_prom", "_kind", "place_id"],
                              ascending=[False, False, True, True], kind="mergesort")
    frame = frame.head(limit).reset_index(drop=True)
    frame["rank"] = np.arange(1, len(frame) + 1)
    return frame[RESULT_COLUMNS]


def _fuzzy_quality(entry: tuple[float, str, str, str]) -> float:
    """Score of a fuzzy spelling less the points its name type loses (as in the ranking)."""
    tier = min(max(NAME_TYPE_RANK.get(entry[3], 3), 0), 3)
    return entry[0] - FUZZY_TIER_POINTS * tier if entry[1] == "fuzzy" else 100.0


def _rows_of(gaz: Gazetteer, key: str) -> np.ndarray:
    unique, starts, ends = gaz._index()
    i = bisect.bisect_left(unique, key)
    if i < len(unique) and unique[i] == key:
        return range(int(starts[i]), int(ends[i]))
    return range(0)


def _fuzzy(gaz: Gazetteer, key: str, *, limit: int) -> list[tuple[str, float]]:
    from rapidfuzz import fuzz, process

    keys, lengths = gaz._fuzzy_keys()
    slack = max(2, math.ceil(len(key) * 0.25))
    near = keys[np.abs(lengths - len(key)) <= slack]
    hits = process.extract(key, near, scorer=fuzz.ratio, limit=limit,
                           score_cutoff=FUZZY_CUTOFF)
    return [(hit[0], hit[1]) for hit in hits]


def _read_bundled() -> tuple[pd.DataFrame, pd.DataFrame]:
    import pyarrow.parquet as pq

    # ParquetFile.read() skips the pyarrow.dataset machinery read_table() imports.
    places = pq.ParquetFile(data_path("places.parquet")).read().to_pandas()
    names = pq.ParquetFile(data_path("names.parquet")).read().to_pandas()
    return places.set_index("place_id"), names
