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
import csv
import dataclasses
import math
import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from tracker.errors import GazetteerError
from tracker.models import LOOKUP_COLUMNS, Place
from tracker.names import normalize
from tracker.resources import data_path

__all__ = ["Gazetteer", "ENV_EXTRA", "KIND_ORDER", "NAME_TYPE_RANK", "FUZZY_CUTOFF", "prominence"]

#: Environment variable naming the default extra-places CSV.
ENV_EXTRA = "TRACKER_GAZETTEER_EXTRA"
#: Order of kinds among candidates of equal match quality and prominence.
KIND_ORDER = {"country": 0, "oblast": 1, "region": 2, "settlement": 3, "raion": 4,
              "hromada": 5, "water": 6, "other": 7}
#: Tier of a matched spelling: 0 a place's current name or a standard form of it ("Donetsk
#: region"), 1 a former, foreign-language or alternative spelling (Artemivsk, Kharkov, the bare
#: "Donetsk" for the oblast), 2 a spelling guessed by rule; user places come first.
NAME_TYPE_RANK = {"extra": -5, "name": 0, "translit": 0, "form": 0, "uk": 0, "short": 1,
                  "ru": 1, "alt": 1, "translit_y": 1, "ru_latin": 1, "guess": 2}
#: Prominence lost per tier, in powers of ten of population (see :func:`prominence`).
TIER_WEIGHT = 2.0
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
        (romanisations of a Russian form guessed by rule) or ``extra`` (user places).

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
                more_places, more_names = read_extra(Path(extra).expanduser(), known=places)
                places = pd.concat([places, more_places])
                names = _merge_ranked(names, rank_names(more_names, more_places))
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
                found.setdefault(pid, (float(score), "fuzzy", gaz.names["name"].iat[row],
                                       gaz.names["name_type"].iat[row]))
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


def _merge_ranked(ranked: pd.DataFrame, first: pd.DataFrame) -> pd.DataFrame:
    """Insert the (ranked) rows ``first`` before the rows of the same key in ``ranked``."""
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


# --- extra places ---------------------------------------------------------------------------

_REQUIRED = ("name", "latitude", "longitude")
_OPTIONAL = ("admin1", "aliases", "kind", "country", "population")


def read_extra(path: Path, *, known: pd.DataFrame | None = None
               ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read a CSV of extra places into ``places`` and ``names`` frames.

    Parameters
    ----------
    path : Path
        UTF-8 CSV with a header row: ``name, latitude, longitude`` and optionally ``admin1``
        (one of DESIGN.md's admin-1 names; found from the coordinates when empty),
        ``aliases`` (separated by ``;``), ``kind`` (default ``settlement``), ``country``
        (ISO alpha-2; default from ``admin1``), ``population``.
    known : pandas.DataFrame, optional
        The bundled places (to look up the admin-1 names and their countries).

    Returns
    -------
    tuple of pandas.DataFrame
        ``(places, names)`` shaped like :attr:`Gazetteer.places` and :attr:`Gazetteer.names`;
        ids are ``extra:<normalised name>``, source ``extra``, geo_precision 1.

    Raises
    ------
    GazetteerError
        ``file: ...`` for a missing file or column, ``file:line: ...`` for a bad row.
    """
    from tracker.models import Kind  # noqa: F401  (documents the valid kinds)

    valid_admin1 = _admin1_countries(known)
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise GazetteerError(f"{path}: cannot read extra places file ({exc.strerror})") from None
    places, names, seen = [], [], set()
    with handle:
        try:
            reader = csv.DictReader(handle)
            header = [h.strip().lower() for h in (reader.fieldnames or [])]
            missing = [c for c in _REQUIRED if c not in header]
            if missing:
                raise GazetteerError(
                    f"{path}:1: missing column(s) {', '.join(missing)}; expected "
                    f"{', '.join(_REQUIRED)} and optionally {', '.join(_OPTIONAL)}")
            reader.fieldnames = header
            for row in reader:
                line = reader.line_num
                place, spellings = _extra_row(row, path, line, valid_admin1)
                pid = "extra:" + place["name_key"].replace(" ", "-")
                n = 2
                while pid in seen:
                    pid = f"extra:{place['name_key'].replace(' ', '-')}-{n}"
                    n += 1
                seen.add(pid)
                place["place_id"] = pid
                places.append(place)
                names.extend((normalize(s), s, pid, "extra") for s in spellings)
        except UnicodeDecodeError:
            raise GazetteerError(f"{path}: not UTF-8 text") from None
        except csv.Error as exc:
            raise GazetteerError(f"{path}:{reader.line_num}: {exc}") from None
    places_df = pd.DataFrame(places, columns=["place_id", *_PLACE_COLUMNS])
    if not places_df.empty and (places_df["admin1"] == "").any():
        _fill_admin1(places_df)
    places_df = places_df.set_index("place_id")
    places_df["geo_precision"] = places_df["geo_precision"].astype("int8")
    names_df = pd.DataFrame(names, columns=["key", "name", "place_id", "name_type"])
    return places_df, names_df


def _extra_row(row: dict, path: Path, line: int, valid_admin1: dict[str, str]):
    def fail(message: str) -> GazetteerError:
        return GazetteerError(f"{path}:{line}: {message}")

    if None in row:
        raise fail(f"more fields than the header has: {row[None]!r}")
    name = (row.get("name") or "").strip()
    if not normalize(name):
        raise fail(f"empty place name {name!r}")
    coords = []
    for col, bound in (("latitude", 90), ("longitude", 180)):
        text = (row.get(col) or "").strip()
        try:
            value = float(text)
        except ValueError:
            raise fail(f"{col} {text!r} is not a number") from None
        if not math.isfinite(value) or abs(value) > bound:
            raise fail(f"{col} {text!r} is outside -{bound}..{bound}")
        coords.append(value)
    admin1 = (row.get("admin1") or "").strip()
    if admin1:
        match = {a.casefold(): a for a in valid_admin1}.get(
            re.sub(r"\s+(oblast|region)$", "", admin1, flags=re.I).casefold())
        if match is None:
            raise fail(f"admin1 {admin1!r} is not one of {', '.join(sorted(valid_admin1))}")
        admin1 = match
    kind = (row.get("kind") or "").strip().lower() or "settlement"
    if kind not in KIND_ORDER:
        raise fail(f"kind {kind!r} is not one of {', '.join(KIND_ORDER)}")
    country_text = (row.get("country") or "").strip()
    country = country_text.upper() or valid_admin1.get(admin1, "")
    if country and not re.fullmatch(r"[A-Z]{2}", country):
        raise fail(f"country {country_text!r} is not an ISO 3166-1 alpha-2 code such as UA")
    pop_text = (row.get("population") or "").strip()
    try:
        population = int(float(pop_text)) if pop_text else 0
    except ValueError:
        raise fail(f"population {pop_text!r} is not a number") from None
    aliases = [a.strip() for a in (row.get("aliases") or "").split(";") if normalize(a)]
    place = {
        "name": name, "kind": kind, "admin1": admin1, "country": country,
        "latitude": coords[0], "longitude": coords[1], "population": population,
        "geo_precision": 1, "source": "extra", "raion": "", "hromada": "",
        "name_key": normalize(name),
    }
    return place, [name, *aliases]


def _admin1_countries(known: pd.DataFrame | None) -> dict[str, str]:
    if known is None:
        known = _read_bundled()[0]
    oblasts = known[known["kind"] == "oblast"]
    return dict(zip(oblasts["admin1"], oblasts["country"], strict=True))


def _fill_admin1(places: pd.DataFrame) -> None:
    """Set the admin-1 (and country) of extra places given without one, from the polygons."""
    import json

    import shapely
    from shapely.geometry import shape

    admin = json.loads(data_path("admin1.geojson").read_text(encoding="utf-8"))
    todo = places["admin1"] == ""
    lon = places.loc[todo, "longitude"].to_numpy()
    lat = places.loc[todo, "latitude"].to_numpy()
    found = np.full(len(lon), "", dtype=object)
    country = np.full(len(lon), "", dtype=object)
    for feature in admin["features"]:
        inside = shapely.contains_xy(shape(feature["geometry"]), lon, lat)
        found[inside] = feature["properties"]["admin1"]
        country[inside] = feature["properties"]["country"]
    places.loc[todo, "admin1"] = found
    no_country = todo & (places["country"] == "")
    places.loc[no_country, "country"] = country[no_country[todo].to_numpy()]
