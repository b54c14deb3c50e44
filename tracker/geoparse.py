"""Find and resolve every place a report names: villages, misspellings, old names, oblasts.

:func:`geocode` is the public door (``tracker.geocode(text)`` and ``tracker
geocode FILE...``); :func:`find_places` gives the full record, unresolved
mentions and their reasons included. The work is split in three modules:

- :mod:`tracker.geoparse_find` finds the spans: every gazetteer name on word
  boundaries, longest first, with possessives and hyphenated compounds
  ("Pokrovsk's", "the Pokrovsk-Kostiantynivka highway"), lowercase forms of
  well-known places ("kyiv"), fuzzy matches of garbled names ("Totretsk"), and
  rejects people and units whose name runs past a place name ("Bill Taylor",
  "OTU Luhansk");
- :mod:`tracker.geoparse_filters` reads the words around each span: the kind and
  precision they give, and whether the name is a place at all (organisations and
  units named after places, "Khortytsia group"; ordinary English
  words that are also village names, "Most", "Bar"; capitals that stand for
  their government, "Kyiv announced");
- :mod:`tracker.geoparse_resolve` picks one place per mention: the kind the
  context asks for ("the Donetsk region" is the oblast, "the city of Donetsk"
  the city), then the oblast named nearby, the other places of the report,
  and population.

The gazetteer's name index is built once per :class:`~tracker.gazetteer.Gazetteer`
(:mod:`tracker.geoparse_index`) and reused by every later call. What depends only on
the gazetteer (what a capitalised run yields, the kinds and columns of a candidate
tuple, the proximity points of places to each other) is memoised on the index, each
memo bounded (:func:`tracker.geoparse_index.index_memo`); the results do not depend
on what the memos hold.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from tracker.geoparse_find import find_hits
from tracker.geoparse_index import NameIndex, name_index
from tracker.geoparse_resolve import resolve_hits
from tracker.models import GEOCODE_COLUMNS, Mention, Place

__all__ = ["geocode", "find_places", "mentions_frame", "RESULT_COLUMNS"]

#: Columns of :func:`geocode` (``tracker geocode`` without ``report_id``).
RESULT_COLUMNS = [c for c in GEOCODE_COLUMNS if c != "report_id"]


def geocode(text: str, date: dt.date | str | None = None, *, gazetteer: Any = None,
            explain: bool = False) -> pd.DataFrame:
    """Return every resolved place mention of a text, one row per mention.

    Parameters
    ----------
    text : str
        A report's text.
    date : datetime.date or str, optional
        The report's date (see :func:`find_places`).
    gazetteer : Gazetteer, optional
        Defaults to the bundled one, ``Gazetteer.load()``.
    explain : bool, optional
        Add a ``reason`` column saying why each place won, and keep the
        unresolved mentions (empty place columns) with the reason they were left out.

    Returns
    -------
    pandas.DataFrame
        Columns ``start, end, mention, place_id, name, kind, admin1, country,
        latitude, longitude, geo_precision, confidence`` (``text[start:end] ==
        mention``), in text order.

    See Also
    --------
    find_places : the same mentions as :class:`tracker.models.Mention` records.

    Examples
    --------
    >>> import tracker
    >>> text = "Heavy battles raged in Pokrovsk and northern Totretsk, in the Donetsk region."
    >>> tracker.geocode(text)[["mention", "name", "kind", "admin1"]]
              mention            name        kind   admin1
    0        Pokrovsk        Pokrovsk  settlement  Donetsk
    1        Totretsk         Toretsk  settlement  Donetsk
    2  Donetsk region  Donetsk Oblast      oblast  Donetsk
    >>> tracker.geocode("Nothing to see here.").empty
    True
    """
    mentions = find_places(text, gazetteer=gazetteer, date=date)
    return mentions_frame(mentions, explain=explain)


def find_places(text: str, *, gazetteer: Any = None,
                date: dt.date | str | None = None, frontline: Any = None) -> list[Mention]:
    """Find every place mention of a text and resolve it, keeping the ones that fail.

    Parameters
    ----------
    text : str
        A report's text. Offsets of the mentions point into it.
    gazetteer : Gazetteer, optional
        Defaults to the bundled one, ``Gazetteer.load()``.
    date : datetime.date or str, optional
        The report's date. Accepted so callers pass it along with the text;
        resolution does not depend on it yet (renamed places carry all their
        names in the gazetteer, so "Artemivsk" in 2022 and "Bakhmut" in 2025
        both resolve to the same place).
    frontline : shapely geometry, optional
        The front line (or occupied territory) in lon/lat, e.g. from a snapshot of
        that date: among same-name villages, those within 30 km of it score higher.

    Returns
    -------
    list of Mention
        In text order. A resolved mention has ``place`` set, a ``confidence``
        in (0, 1] and in ``reason`` why that place won; an unresolved one has
        ``place=None``, confidence 0 and in ``reason`` why (a person's name, an
        organisation, a metonymic capital, a common word...).

    Examples
    --------
    >>> from tracker.geoparse import find_places
    >>> found = find_places("Taras Shevchenko said Kyiv was shelled. Kyiv denied it.")
    >>> for m in found:
    ...     print(m.text, m.place.admin1 if m.place else m.reason[:30], sep=" | ")
    Shevchenko | part of a longer name (Taras S
    Kyiv | Kyiv City
    Kyiv | metonymic use: 'Kyiv' stands f
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    if gazetteer is None:
        from tracker.gazetteer import Gazetteer

        gazetteer = Gazetteer.load()
    index = name_index(gazetteer)
    hits = find_hits(text, index)
    return resolve_hits(hits, index, _place_getter(gazetteer, index), frontline=frontline)


def mentions_frame(mentions: list[Mention], *, explain: bool = False) -> pd.DataFrame:
    """Tabulate mentions in the ``tracker geocode`` columns (without ``report_id``).

    Parameters
    ----------
    mentions : list of Mention
        From :func:`find_places`.
    explain : bool, optional
        Keep unresolved mentions and add a ``reason`` column.

    Returns
    -------
    pandas.DataFrame
    """
    rows = [m for m in mentions if explain or m.place is not None]
    if not rows:
        return _empty_frame(explain)
    # Built column-wise: the six text columns (and the reasons) go into one pandas
    # string array that each column slices, which halves the cost of a frame per report.
    n = len(rows)
    places = [m.place for m in rows]
    strings = [m.text for m in rows]
    for attr in _TEXT_ATTRS:
        strings += [getattr(p, attr) if p else "" for p in places]
    if explain:
        strings += [m.reason for m in rows]
    text = pd.array(strings, dtype=_STR_DTYPE)
    columns = {"start": np.array([m.start for m in rows], dtype=np.int64),
               "end": np.array([m.end for m in rows], dtype=np.int64)}
    for i, name in enumerate(("mention", *_TEXT_ATTRS)):
        columns[name] = text[i * n:(i + 1) * n]
    columns["latitude"] = np.array([p.latitude if p else np.nan for p in places], dtype=float)
    columns["longitude"] = np.array([p.longitude if p else np.nan for p in places], dtype=float)
    if explain:
        columns["geo_precision"] = pd.array(
            [p.geo_precision if p and p.place_id != "" else None for p in places], dtype="Int64")
    else:
        columns["geo_precision"] = np.array([p.geo_precision for p in places], dtype=np.int64)
    columns["confidence"] = np.array([m.confidence for m in rows], dtype=float)
    if explain:
        columns["reason"] = text[6 * n:]
    return _frame(columns)


#: Place attributes shown as text columns, in column order after ``mention``.
_TEXT_ATTRS = ("place_id", "name", "kind", "admin1", "country")
#: The dtype pandas infers for a list of str ("str" in pandas 3, object before).
_STR_DTYPE = pd.Series(["x"]).dtype


def _frame(columns: dict[str, Any]) -> pd.DataFrame:
    """Return ``pd.DataFrame(columns, copy=False)`` for columns already built to fit.

    The columns are 1-D NumPy or pandas arrays of one length, so pandas' checks and
    conversions of each column (a third of the cost of a frame per report) are
    skipped with ``DataFrame._from_arrays(..., verify_integrity=False)``, private
    but in pandas since 0.23; the test suite checks that both give equal frames
    (values, dtypes, labels) and the public constructor serves if it goes away.
    """
    from_arrays = getattr(pd.DataFrame, "_from_arrays", None)
    if from_arrays is None:  # pragma: no cover - depends on the pandas version
        return pd.DataFrame(columns, copy=False)
    labels = _LABELS.get(tuple(columns))
    if labels is None:
        labels = _LABELS[tuple(columns)] = pd.Index(list(columns))
    n = len(columns["start"])  # a copy of the labels: each frame may rename its own
    return from_arrays(list(columns.values()), columns=labels.copy(), index=pd.RangeIndex(n),
                       verify_integrity=False)


#: Column labels of :func:`_frame` by column names (two sets: with and without reasons).
_LABELS: dict[tuple[str, ...], pd.Index] = {}


def _empty_frame(explain: bool) -> pd.DataFrame:
    """Return the frame of no mentions, with the dtypes pandas infers for empty columns."""
    data = {name: [] for name in RESULT_COLUMNS}
    data["start"] = np.zeros(0, dtype=np.int64)
    data["end"] = np.zeros(0, dtype=np.int64)
    data["latitude"] = np.zeros(0, dtype=float)
    data["longitude"] = np.zeros(0, dtype=float)
    data["geo_precision"] = np.zeros(0, dtype=np.int64)
    data["confidence"] = np.zeros(0, dtype=float)
    if explain:
        data["reason"] = []
    frame = pd.DataFrame(data, copy=False)
    if explain:
        frame["geo_precision"] = frame["geo_precision"].astype("Int64")
    return frame


def _place_getter(gazetteer: Any, index: NameIndex):
    cache: dict[int, Place] = index.__dict__.setdefault("_places", {})
    make = _place_maker(gazetteer, index)

    def place_of(pos: int) -> Place:
        place = cache.get(pos)
        if place is None:
            place = make(pos)
            cache[pos] = place
        return place

    return place_of


#: Columns of ``Gazetteer.places`` that :meth:`Gazetteer.place` reads.
_PLACE_COLUMNS = ("name", "kind", "admin1", "country", "latitude", "longitude", "population",
                  "geo_precision", "source", "raion", "hromada")


def _place_maker(gazetteer: Any, index: NameIndex):
    """Place position -> Place, as ``gazetteer.place`` builds it, without a row look-up.

    ``Gazetteer.place`` reads one row with ``places.loc`` (about 0.1 ms); on new text
    that was most of the time per report. For the bundled gazetteer class the same
    fields are read from column lists taken once per index (the test suite checks the
    two agree); any other gazetteer object keeps its own ``place``.
    """
    from tracker.gazetteer import Gazetteer

    if type(gazetteer).place is not Gazetteer.place or not all(
            c in gazetteer.places for c in _PLACE_COLUMNS):
        return lambda pos: gazetteer.place(str(index.place_ids[pos]))
    columns = index.__dict__.get("_place_columns")
    if columns is None:
        frame = gazetteer.places
        columns = {c: frame[c].tolist() for c in _PLACE_COLUMNS}
        index.__dict__["_place_columns"] = columns
    name, kind, admin1, country = (columns[c] for c in ("name", "kind", "admin1", "country"))
    lat, lon, population = columns["latitude"], columns["longitude"], columns["population"]
    precision, source = columns["geo_precision"], columns["source"]
    raion, hromada = columns["raion"], columns["hromada"]

    def make(pos: int) -> Place:
        return Place(
            place_id=str(index.place_ids[pos]), name=name[pos], kind=kind[pos],
            admin1=admin1[pos], country=country[pos], latitude=float(lat[pos]),
            longitude=float(lon[pos]), population=int(population[pos]),
            geo_precision=int(precision[pos]), source=source[pos],
            raion=raion[pos] or "", hromada=hromada[pos] or "")

    return make
