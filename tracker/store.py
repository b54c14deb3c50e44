"""The SQLite store: every report, mention, event, place and front-line snapshot.

One file, no server (stdlib :mod:`sqlite3`), in WAL mode with foreign keys on.
It holds everything needed to regenerate the outputs without the inbox: the
reports with their full text and content hash, the mentions and events found in
them, the places those point to, and the front-line snapshots with their
geometry as GeoJSON text.

Writes are idempotent: a report whose id or content hash is already stored is
skipped. :meth:`Store.transaction` takes SQLite's write lock up front
(``BEGIN IMMEDIATE``), so an update is one transaction, a crash leaves the
previous state, and a second writer waits (``timeout`` seconds) and then fails
with a :class:`~tracker.errors.StoreError` that says so.
:func:`update_lock` is the coarser lock ``tracker update`` holds for a whole run.

The schema version lives in ``schema_migrations`` (as in sqlite-utils'
migrations); opening a store applies the missing migrations in order
(:mod:`tracker.store_schema`).

Default location: :func:`default_store_path` (in :mod:`tracker.store_lock`, with
:func:`update_lock`): ``$TRACKER_STORE`` if set, else
``$XDG_DATA_HOME/tracker/tracker.sqlite``, else the user data folder.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import math
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tracker.errors import StoreError
from tracker.loaders.base import content_hash
from tracker.models import Event, Mention, Place, Report
from tracker.store_lock import default_store_path, update_lock
from tracker.store_schema import (
    EVENT_COLUMNS,
    MIGRATIONS,
    PLACE_COLUMNS,
    statements,
)

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["MIGRATIONS", "Store", "default_store_path", "update_lock"]


class Store:
    """The SQLite store of reports, mentions, events, places and snapshots.

    Parameters
    ----------
    path : str or Path, optional
        The database file (created with its folder if missing). Default:
        :func:`default_store_path`.
    timeout : float, optional
        Seconds a writer waits for another writer's lock before failing.

    Raises
    ------
    StoreError
        When the file is not a SQLite database, its schema is newer than this
        version of tracker, or it stays locked longer than ``timeout``.

    Examples
    --------
    >>> import tempfile, datetime as dt
    >>> from tracker.models import Report
    >>> store = Store(tempfile.mkdtemp() + "/t.sqlite")
    >>> report = Report("r1", dt.date(2025, 5, 20), "ISW", "Battles in Pokrovsk.")
    >>> store.add_processed([(report, [], [])]), store.add_processed([(report, [], [])])
    (1, 0)
    >>> store.schema_version, store.counts()["reports"]
    (4, 1)
    >>> store.close()
    """

    def __init__(self, path: str | Path | None = None, *, timeout: float = 30.0):
        self.path = Path(path) if path is not None else default_store_path()
        self.timeout = timeout
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.conn = sqlite3.connect(self.path, timeout=timeout, isolation_level=None)
            self.conn.execute("PRAGMA foreign_keys = ON")
            self.conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
            mode = self.conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            self.conn.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: cannot open the store: {exc}") from None
        if mode.lower() != "wal":
            raise StoreError(f"{self.path}: cannot switch the store to WAL mode (got {mode})")
        self._migrate()

    # -- life cycle -------------------------------------------------------------------------

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection (an open transaction is rolled back)."""
        self.conn.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Store]:
        """Run a block as one write transaction (``BEGIN IMMEDIATE``); roll back on error.

        Nested calls join the outer transaction.

        Raises
        ------
        StoreError
            When another writer holds the lock for longer than ``timeout``.
        """
        if self.conn.in_transaction:
            yield self
            return
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise self._locked(exc) from None
        try:
            yield self
        except BaseException:
            self.conn.rollback()
            raise
        try:
            self.conn.commit()
        except sqlite3.OperationalError as exc:
            self.conn.rollback()
            raise self._locked(exc) from None

    def _locked(self, exc: sqlite3.OperationalError) -> StoreError:
        if "locked" in str(exc) or "busy" in str(exc):
            return StoreError(f"{self.path} is locked by another writer (waited "
                              f"{self.timeout:g} s); is another tracker update running?")
        return StoreError(f"{self.path}: {exc}")

    @property
    def schema_version(self) -> int:
        """The highest migration applied to this store."""
        row = self.conn.execute("SELECT max(version) FROM schema_migrations").fetchone()
        return row[0] or 0

    def _migrate(self) -> None:
        latest = MIGRATIONS[-1][0]
        try:  # an up-to-date store needs no write lock (another update may hold it)
            if self.schema_version == latest:
                return
        except sqlite3.OperationalError:
            pass  # a new file: no schema_migrations table yet
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: not a tracker store: {exc}") from None
        try:
            with self.transaction():
                self.conn.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER "
                                  "PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)")
                current = self.schema_version
                if current > latest:
                    raise StoreError(
                        f"{self.path}: schema version {current} is newer than this tracker "
                        f"understands ({latest}); upgrade tracker")
                for version, name, sql in MIGRATIONS:
                    if version <= current:
                        continue
                    for statement in statements(sql):
                        self.conn.execute(statement)
                    self.conn.execute("INSERT INTO schema_migrations VALUES (?, ?, ?)",
                                      (version, name, _now()))
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: not a tracker store: {exc}") from None

    # -- reports ----------------------------------------------------------------------------

    def is_known(self, report: Report, digest: str | None = None) -> bool:
        """Whether a report with this id or this content hash is already stored."""
        digest = digest or content_hash(report)
        row = self.conn.execute("SELECT 1 FROM reports WHERE id = ? OR content_hash = ? LIMIT 1",
                                (report.id, digest)).fetchone()
        return row is not None

    def add_report(self, report: Report, mentions: Sequence[Mention] = (),
                   events: Sequence[Event] = ()) -> bool:
        """Store a report with its mentions and events unless it is already known.

        Returns
        -------
        bool
            True when the report was new and stored, False when it was skipped.
        """
        digest = content_hash(report)
        with self.transaction():
            if self.is_known(report, digest):
                return False
            self.conn.execute(
                "INSERT INTO reports (id, content_hash, date, source, title, url, path, text, "
                "extra, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (report.id, digest, report.date.isoformat(), report.source, report.title,
                 report.url, report.path, report.text,
                 json.dumps(report.extra, ensure_ascii=False, sort_keys=True, default=str),
                 _now()))
            self._insert_results(report.id, mentions, events)
        return True

    def add_processed(self, processed: Iterable[tuple[Report, Sequence[Mention],
                                                      Sequence[Event]]]) -> int:
        """Store processed reports in one transaction, skipping known ones; return how many."""
        with self.transaction():
            return sum(self.add_report(r, m, e) for r, m, e in processed)

    def replace_results(self, report_id: str, mentions: Sequence[Mention],
                        events: Sequence[Event]) -> None:
        """Replace the mentions and events of a stored report (``--reprocess``)."""
        with self.transaction():
            self.conn.execute("DELETE FROM mentions WHERE report_id = ?", (report_id,))
            self.conn.execute("DELETE FROM events WHERE report_id = ?", (report_id,))
            self._insert_results(report_id, mentions, events)

    def _insert_results(self, report_id: str, mentions: Sequence[Mention],
                        events: Sequence[Event]) -> None:
        places = {m.place.place_id: m.place for m in mentions if m.place is not None}
        places.update((e.place.place_id, e.place) for e in events)
        self._upsert_places(places.values())
        self.conn.executemany(
            'INSERT INTO mentions (report_id, ord, start, "end", text, place_id, confidence, '
            "reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(report_id, i, m.start, m.end, m.text, m.place.place_id if m.place else None,
              float(m.confidence), m.reason) for i, m in enumerate(mentions)])
        self.conn.executemany(
            f"INSERT OR IGNORE INTO events ({', '.join(EVENT_COLUMNS)}) "
            f"VALUES ({', '.join('?' * len(EVENT_COLUMNS))})",
            [(e.event_id, report_id, i, e.event_date.isoformat(), e.source, e.place.place_id,
              _num(e.latitude), _num(e.longitude), int(e.geo_precision), e.event_type, e.actor,
              e.claim, e.control, e.relation, e.quote, float(e.confidence), e.url,
              e.acled_event_type, e.acled_sub_event_type) for i, e in enumerate(events)])

    def _upsert_places(self, places: Iterable[Place]) -> None:
        updates = ", ".join(f"{c} = excluded.{c}" for c in PLACE_COLUMNS[1:])
        self.conn.executemany(
            f"INSERT INTO places ({', '.join(PLACE_COLUMNS)}) VALUES "
            f"({', '.join('?' * len(PLACE_COLUMNS))}) ON CONFLICT(place_id) DO UPDATE SET "
            f"{updates}",
            [(p.place_id, p.name, p.kind, p.admin1, p.country, _num(p.latitude),
              _num(p.longitude), int(p.population or 0), int(p.geo_precision), p.source,
              p.raion, p.hromada) for p in places])

    def reports(self) -> list[Report]:
        """Every stored report, in the order they were added."""
        rows = self.conn.execute("SELECT id, date, source, text, title, url, path, extra "
                                 "FROM reports ORDER BY rowid")
        return [Report(id=r[0], date=dt.date.fromisoformat(r[1]), source=r[2], text=r[3],
                       title=r[4], url=r[5], path=r[6], extra=json.loads(r[7])) for r in rows]

    def report_titles(self) -> dict[str, str]:
        """Report id -> title, for the map's popups."""
        return dict(self.conn.execute("SELECT id, title FROM reports"))

    def report_ids(self) -> set[str]:
        """Return the ids of every stored report."""
        return {row[0] for row in self.conn.execute("SELECT id FROM reports")}

    # -- results ----------------------------------------------------------------------------

    def events(self) -> list[Event]:
        """Every stored event (report by report, in the order each report gave them)."""
        places = self._places()
        rows = self.conn.execute(
            f"SELECT {', '.join(EVENT_COLUMNS)} FROM events ORDER BY report_id, ord")
        return [Event(
            event_id=r[0], report_id=r[1], event_date=dt.date.fromisoformat(r[3]), source=r[4],
            place=places[r[5]], latitude=_float(r[6]), longitude=_float(r[7]),
            geo_precision=r[8], event_type=r[9], actor=r[10], claim=r[11], control=r[12],
            relation=r[13], quote=r[14], confidence=r[15], url=r[16], acled_event_type=r[17],
            acled_sub_event_type=r[18]) for r in rows]

    def events_frame(self, place_ids: Iterable[str] | None = None) -> pd.DataFrame:
        """Every stored event as one table, in the order of :meth:`events`.

        Three plain queries (events, places, report titles) joined in memory,
        column by column: for 66k events this takes a fraction of the time of
        building :class:`~tracker.models.Event` objects, and of an SQL join
        (which reads each event's report row, full text included).
        :func:`tracker.timeline.build_timeline` accepts the frame.

        Parameters
        ----------
        place_ids : iterable of str, optional
            Only the events of these places (the output caches refresh a few).

        Returns
        -------
        pandas.DataFrame
            :data:`tracker.timeline.EVENT_FRAME_COLUMNS`; ``event_date`` is ISO
            text, ``title`` the report's title, ``place_*`` the place's own fields.
        """
        from tracker.store_frames import events_frame

        return events_frame(self.conn, place_ids)

    def mentions(self, report_id: str) -> list[Mention]:
        """Return the mentions stored for one report, in text order."""
        places = self._places()
        rows = self.conn.execute('SELECT start, "end", text, place_id, confidence, reason '
                                 "FROM mentions WHERE report_id = ? ORDER BY ord", (report_id,))
        return [Mention(start=r[0], end=r[1], text=r[2], place=places.get(r[3]),
                        confidence=r[4], reason=r[5]) for r in rows]

    def _places(self) -> dict[str, Place]:
        rows = self.conn.execute(f"SELECT {', '.join(PLACE_COLUMNS)} FROM places")
        return {r[0]: Place(*r[:5], _float(r[5]), _float(r[6]), *r[7:]) for r in rows}

    # -- snapshots --------------------------------------------------------------------------

    def add_snapshot(self, *, date: dt.date, path: str, digest: str, geometry: str,
                     kind: str = "occupied") -> bool:
        """Store a front-line snapshot (geometry as GeoJSON text) unless its hash is known."""
        with self.transaction():
            cursor = self.conn.execute(
                "INSERT OR IGNORE INTO snapshots (content_hash, date, kind, path, geometry, "
                "added_at) VALUES (?, ?, ?, ?, ?, ?)",
                (digest, date.isoformat(), kind, str(path), geometry, _now()))
            return cursor.rowcount == 1

    def snapshot_hashes(self) -> set[str]:
        """Content hashes of the stored snapshots."""
        return {row[0] for row in self.conn.execute("SELECT content_hash FROM snapshots")}

    def snapshots(self) -> list[dict[str, Any]]:
        """Return the stored snapshots as dicts (date, kind, path, geometry GeoJSON), by date."""
        rows = self.conn.execute("SELECT date, kind, path, geometry, content_hash FROM snapshots "
                                 "ORDER BY date, kind, path")
        return [{"date": dt.date.fromisoformat(r[0]), "kind": r[1], "path": r[2],
                 "geometry": r[3], "content_hash": r[4]} for r in rows]

    # -- bookkeeping ------------------------------------------------------------------------

    def get_meta(self, key: str, default: str = "") -> str:
        """Return a bookkeeping value (e.g. ``generation``)."""
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str) -> None:
        """Set a bookkeeping value."""
        with self.transaction():
            self.conn.execute("INSERT INTO meta VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET "
                              "value = excluded.value", (key, value))

    def place_status(self) -> dict[str, tuple[str, float | None, str]]:
        """Place id -> (latest control, distance to border km, nearest border) at last update."""
        rows = self.conn.execute("SELECT place_id, latest_control, dist_border_km, "
                                 "nearest_border FROM place_status")
        return {r[0]: (r[1], r[2], r[3]) for r in rows}

    def set_place_status(self, rows: Iterable[tuple[str, str, float | None, str]],
                         place_ids: Iterable[str] | None = None) -> None:
        """Replace the per-place status remembered for the next update's comparison.

        With ``place_ids``, only the status of those places is replaced.
        """
        with self.transaction():
            if place_ids is None:
                self.conn.execute("DELETE FROM place_status")
            else:
                self.conn.execute("DELETE FROM place_status WHERE place_id IN "
                                  "(SELECT value FROM json_each(?))",
                                  (json.dumps(sorted(set(place_ids))),))
            self.conn.executemany("INSERT INTO place_status VALUES (?, ?, ?, ?)",
                                  [(p, c, _num(d), b) for p, c, d, b in rows])

    def input_files(self) -> dict[str, tuple[int, int]]:
        """Return the inbox files taken in: path -> (size, mtime in ns) at the time."""
        rows = self.conn.execute("SELECT path, size, mtime_ns FROM input_files")
        return {r[0]: (r[1], r[2]) for r in rows}

    def record_input_files(self, rows: Iterable[tuple[str, int, int]]) -> None:
        """Remember inbox files whose every record was taken in (path, size, mtime_ns)."""
        with self.transaction():
            self.conn.executemany(
                "INSERT INTO input_files VALUES (?, ?, ?, ?) ON CONFLICT(path) DO UPDATE SET "
                "size = excluded.size, mtime_ns = excluded.mtime_ns, "
                "taken_at = excluded.taken_at", [(p, s, m, _now()) for p, s, m in rows])

    def clear_results(self) -> None:
        """Delete every mention and event (before ``--reprocess`` recomputes them)."""
        with self.transaction():
            self.conn.execute("DELETE FROM mentions")
            self.conn.execute("DELETE FROM events")

    def counts(self) -> dict[str, int]:
        """Row counts of the main tables."""
        return {table: self.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                for table in ("reports", "mentions", "events", "places", "snapshots")}

    def integrity_check(self) -> str:
        """``PRAGMA integrity_check`` (``'ok'`` for a sound file)."""
        return self.conn.execute("PRAGMA integrity_check").fetchone()[0]


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def _num(value: Any) -> float | None:
    if value is None:
        return None
    value = float(value)
    return None if math.isnan(value) else value


def _float(value: Any) -> float:
    return math.nan if value is None else float(value)
