"""The tables ``tracker update`` writes, rebuilt in full or refreshed from the store's caches.

:func:`output_tables` either builds the timeline and place tables from every
stored event (the first run, ``--reprocess``, ``--exports``, or when the cache key
of :mod:`tracker.store_outputs` changed) and refills the caches from them, or
rebuilds only the places the store marked dirty and assembles the outputs from
the cached parts. Both give the same files: the caches hold exactly what a full
build would put in each place's rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from tracker.store_outputs import LayoutChanged, OutputCache, cache_key, fronts


@dataclass
class Tables:
    """What the rest of an update needs from the tables.

    Attributes
    ----------
    timeline : pandas.DataFrame
        Handed to the write stage: the whole timeline, or (from the caches) the
        columns the charts read.
    places : pandas.DataFrame
        Every place's row.
    fresh : pandas.DataFrame
        Timeline rows that include every event added since the last update
        (for the alerts).
    write_options : dict
        Extra arguments of the write stage: ``csv_text`` and ``payload`` when
        the outputs were assembled from the caches.
    incremental : bool
        Whether the caches served (only the dirty places were rebuilt).
    rebuilt_places : int
        Places whose rows were computed (every place when not incremental).
    changed : tuple of (pandas.DataFrame, list of str), optional
        When incremental: the rows of the rebuilt places and their ids (the
        only places whose status can have changed).
    """

    timeline: pd.DataFrame
    places: pd.DataFrame
    fresh: pd.DataFrame
    write_options: dict[str, Any] = field(default_factory=dict)
    incremental: bool = False
    rebuilt_places: int = 0
    changed: tuple[pd.DataFrame, list[str]] | None = None


def outputs_stale(db: Any, build: Any) -> bool:
    """Whether the store changed since its caches were made (then the outputs did too)."""
    cache = OutputCache(db)
    return (bool(cache.dirty()) or not cache.is_current(cache_key(build))
            or cache.fronts_changed(fronts(db.snapshots())))


def output_tables(db: Any, build: Any, snapshots: Sequence[Any], *, full: bool = False,
                  whole: bool = False) -> Tables:
    """Build the output tables of the whole store, from the caches where they serve.

    Parameters
    ----------
    db : tracker.store.Store
        The store, inside the update's transaction.
    build : callable
        ``(events, *, snapshots) -> (timeline, places)`` (``Stages.build``).
    snapshots : sequence
        The stored front-line snapshots.
    full : bool
        Rebuild everything (and refill the caches) even when they are current.
    whole : bool
        The write stage needs the whole tables (for the exports), not the
        outputs assembled from the caches.

    Returns
    -------
    Tables
    """
    cache = OutputCache(db)
    key, current = cache_key(build), fronts(db.snapshots())
    assembled = None
    if not full and cache.is_current(key):
        cache.follow_fronts(current)  # a new snapshot: the places with events it governs
        dirty = cache.dirty()
        timeline, places = build(db.events_frame(place_ids=dirty), snapshots=snapshots) \
            if dirty else (pd.DataFrame(), pd.DataFrame())
        try:
            cache.refresh(dirty, timeline, places)
            assembled = cache.assemble()
        except LayoutChanged:  # e.g. a column typed otherwise: start over
            assembled = None
    if assembled is not None:
        return _assembled(assembled, timeline, incremental=True, rebuilt_places=len(dirty),
                          changed=(places, dirty))
    # No caches yet, not to be trusted, or whole tables wanted: everything from the events.
    timeline, places = build(db.events_frame(), snapshots=snapshots)
    _refill(cache, key, timeline, places, current)
    # (the caches now hold the CSV lines and payload rows: writing from them is quicker)
    assembled = None if whole else cache.assemble()
    if assembled is not None:
        return _assembled(assembled, timeline, rebuilt_places=len(places))
    return Tables(timeline=timeline, places=places, fresh=timeline, rebuilt_places=len(places))


def _assembled(assembled: Any, fresh: pd.DataFrame, **kwargs: Any) -> Tables:
    return Tables(timeline=assembled.timeline, places=assembled.places, fresh=fresh,
                  write_options={"csv_text": {"timeline": assembled.timeline_csv,
                                              "places": assembled.places_csv},
                                 "payload": assembled.payload}, **kwargs)


def _refill(cache: OutputCache, key: str, timeline: pd.DataFrame, places: pd.DataFrame,
            current: list[list[str]]) -> None:
    """Bring the caches up to date from whole tables: the dirty places only, when they serve."""
    if cache.is_current(key):
        cache.follow_fronts(current)
        dirty = cache.dirty()
        try:  # (the exports want whole tables; no need to rewrite every part for them)
            cache.refresh(dirty, timeline[timeline["place_id"].isin(dirty)],
                          places[places["place_id"].isin(dirty)])
            return
        except LayoutChanged:
            pass
    cache.rebuild(key, timeline, places, current)
