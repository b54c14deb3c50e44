"""The schema of the SQLite store: its migrations and the column lists the store reads.

:data:`MIGRATIONS` are applied in order by :class:`tracker.store.Store` when it opens
a file, and each applied one is recorded in ``schema_migrations`` with its version
(as in sqlite-utils' migrations); a new schema change is a new migration at the end.

Migration 4 adds the output caches of :mod:`tracker.store_outputs`: one row per place
with its derived timeline and place rows, and triggers that mark a place dirty whenever
one of its events, its own record or a report title it shows changes, whatever wrote it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

#: Schema migrations, applied in order; the store records each one it applied.
MIGRATIONS: list[tuple[int, str, str]] = [
    (1, "core tables", """
        CREATE TABLE reports (
            id TEXT PRIMARY KEY,
            content_hash TEXT NOT NULL UNIQUE,
            date TEXT NOT NULL,
            source TEXT NOT NULL DEFAULT '',
            title TEXT NOT NULL DEFAULT '',
            url TEXT NOT NULL DEFAULT '',
            path TEXT NOT NULL DEFAULT '',
            text TEXT NOT NULL,
            extra TEXT NOT NULL DEFAULT '{}',
            added_at TEXT NOT NULL
        );
        CREATE INDEX reports_date ON reports(date);
        CREATE TABLE places (
            place_id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            kind TEXT NOT NULL,
            admin1 TEXT NOT NULL DEFAULT '',
            country TEXT NOT NULL DEFAULT '',
            latitude REAL,
            longitude REAL,
            population INTEGER NOT NULL DEFAULT 0,
            geo_precision INTEGER NOT NULL DEFAULT 1,
            source TEXT NOT NULL DEFAULT '',
            raion TEXT NOT NULL DEFAULT '',
            hromada TEXT NOT NULL DEFAULT ''
        );
        CREATE TABLE mentions (
            report_id TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
            ord INTEGER NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            text TEXT NOT NULL,
            place_id TEXT REFERENCES places(place_id),
            confidence REAL NOT NULL,
            reason TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (report_id, ord)
        );
        CREATE TABLE events (
            event_id TEXT PRIMARY KEY,
            report_id TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
            ord INTEGER NOT NULL,
            event_date TEXT NOT NULL,
            source TEXT NOT NULL DEFAULT '',
            place_id TEXT NOT NULL REFERENCES places(place_id),
            latitude REAL,
            longitude REAL,
            geo_precision INTEGER NOT NULL,
            event_type TEXT NOT NULL,
            actor TEXT NOT NULL,
            claim TEXT NOT NULL,
            control TEXT NOT NULL,
            relation TEXT NOT NULL DEFAULT '',
            quote TEXT NOT NULL DEFAULT '',
            confidence REAL NOT NULL,
            url TEXT NOT NULL DEFAULT '',
            acled_event_type TEXT NOT NULL DEFAULT '',
            acled_sub_event_type TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX events_report ON events(report_id, ord);
        CREATE INDEX events_place ON events(place_id);
        CREATE TABLE snapshots (
            content_hash TEXT PRIMARY KEY,
            date TEXT NOT NULL,
            kind TEXT NOT NULL DEFAULT 'occupied',
            path TEXT NOT NULL,
            geometry TEXT NOT NULL,
            added_at TEXT NOT NULL
        );
    """),
    (2, "update bookkeeping", """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE place_status (
            place_id TEXT PRIMARY KEY,
            latest_control TEXT NOT NULL,
            dist_border_km REAL,
            nearest_border TEXT NOT NULL DEFAULT ''
        );
    """),
    (3, "inbox files taken in", """
        CREATE TABLE input_files (
            path TEXT PRIMARY KEY,
            size INTEGER NOT NULL,
            mtime_ns INTEGER NOT NULL,
            taken_at TEXT NOT NULL
        );
    """),
    (4, "output caches", """
        CREATE TABLE output_parts (
            place_id TEXT PRIMARY KEY,
            events BLOB NOT NULL,
            place BLOB NOT NULL
        );
        CREATE TABLE dirty_places (place_id TEXT PRIMARY KEY);
        CREATE TRIGGER events_dirty_insert AFTER INSERT ON events BEGIN
            INSERT INTO dirty_places SELECT NEW.place_id WHERE NOT EXISTS
                (SELECT 1 FROM dirty_places WHERE place_id = NEW.place_id);
        END;
        CREATE TRIGGER events_dirty_delete AFTER DELETE ON events BEGIN
            INSERT INTO dirty_places SELECT OLD.place_id WHERE NOT EXISTS
                (SELECT 1 FROM dirty_places WHERE place_id = OLD.place_id);
        END;
        CREATE TRIGGER events_dirty_update AFTER UPDATE ON events BEGIN
            INSERT INTO dirty_places SELECT OLD.place_id WHERE NOT EXISTS
                (SELECT 1 FROM dirty_places WHERE place_id = OLD.place_id);
            INSERT INTO dirty_places SELECT NEW.place_id WHERE NOT EXISTS
                (SELECT 1 FROM dirty_places WHERE place_id = NEW.place_id);
        END;
        CREATE TRIGGER places_dirty_update AFTER UPDATE ON places
        WHEN (OLD.name, OLD.kind, OLD.admin1, OLD.country, OLD.latitude, OLD.longitude,
              OLD.population, OLD.geo_precision, OLD.source, OLD.raion, OLD.hromada)
          IS NOT (NEW.name, NEW.kind, NEW.admin1, NEW.country, NEW.latitude, NEW.longitude,
                  NEW.population, NEW.geo_precision, NEW.source, NEW.raion, NEW.hromada)
        BEGIN
            INSERT INTO dirty_places SELECT NEW.place_id WHERE NOT EXISTS
                (SELECT 1 FROM dirty_places WHERE place_id = NEW.place_id);
        END;
        CREATE TRIGGER reports_dirty_title AFTER UPDATE OF title ON reports
        WHEN OLD.title IS NOT NEW.title BEGIN
            INSERT INTO dirty_places SELECT DISTINCT place_id FROM events
                WHERE report_id = NEW.id AND place_id NOT IN (SELECT place_id FROM dirty_places);
        END;
    """),
]

#: Columns of the ``events`` table, in the order the store writes and reads them.
EVENT_COLUMNS = (
    "event_id", "report_id", "ord", "event_date", "source", "place_id", "latitude", "longitude",
    "geo_precision", "event_type", "actor", "claim", "control", "relation", "quote", "confidence",
    "url", "acled_event_type", "acled_sub_event_type",
)
#: Columns of :meth:`tracker.store.Store.events_frame` read as floats.
FLOAT_FIELDS = {"latitude", "longitude", "confidence", "place_latitude", "place_longitude"}
#: Columns of the ``places`` table.
PLACE_COLUMNS = ("place_id", "name", "kind", "admin1", "country", "latitude", "longitude",
                 "population", "geo_precision", "source", "raion", "hromada")


def statements(script: str) -> Iterator[str]:
    """Split an SQL script into whole statements (trigger bodies hold semicolons).

    Examples
    --------
    >>> [s.split()[0] for s in statements("CREATE TABLE t (a); CREATE TRIGGER x AFTER "
    ...  "INSERT ON t BEGIN SELECT 1; SELECT 2; END; ")]
    ['CREATE', 'CREATE']
    """
    pending = ""
    for piece in script.split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            if pending.strip(" \n;"):
                yield pending.strip()
            pending = ""
    if pending.strip(" \n;"):
        yield pending.strip()
