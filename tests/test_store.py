"""The SQLite store: schema, migrations, WAL, idempotent writes, round trips, locking."""

from __future__ import annotations

import datetime as dt
import math
import sqlite3
import threading
import time

import pandas as pd
import pytest

import tracker.store as store_module
import tracker.store_lock as store_lock_module
from tracker.errors import StoreError
from tracker.models import Event, Mention, Place, Report
from tracker.store import Store, default_store_path, update_lock

POKROVSK = Place("gn:704508", "Pokrovsk", "settlement", "Donetsk", "UA", 48.28, 37.18, 60127)
NOWHERE = Place("x:1", "Somewhere", "other", "", "UA", math.nan, math.nan, 0, 4)


def _report(i=1, text="Heavy battles raged in Pokrovsk.", **kw):
    return Report(kw.pop("id", f"r{i}"), dt.date(2025, 5, 20), "ISW", text, title="T",
                  url="https://x.org", path="in/a.md", **kw)


def _event(report, place=POKROVSK, n=0, **kw):
    return Event(f"{report.id}-e{n}", report.date, report.id, report.source, place,
                 place.latitude, place.longitude, 1, kw.pop("event_type", "battle"), "RU",
                 "reported", "contested", "", report.text, 0.9, **kw)


def test_schema_tables_pragmas_and_version(tmp_path):
    with Store(tmp_path / "s.sqlite") as db:
        tables = {r[0] for r in db.conn.execute("SELECT name FROM sqlite_master "
                                                "WHERE type = 'table'")}
        assert {"reports", "mentions", "events", "places", "snapshots",
                "schema_migrations"} <= tables
        assert db.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert db.schema_version == store_module.MIGRATIONS[-1][0]
        assert db.integrity_check() == "ok"


def test_round_trip_keeps_everything_needed_for_the_outputs(tmp_path):
    report = _report(extra={"acled": True, "latitude": "48.28"})
    mentions = [Mention(23, 31, "Pokrovsk", POKROVSK, 0.95),
                Mention(0, 5, "Heavy", None, 0.1, reason="not a place")]
    events = [_event(report, acled_event_type="Battles"), _event(report, NOWHERE, 1)]
    with Store(tmp_path / "s.sqlite") as db:
        assert db.add_report(report, mentions, events)
    with Store(tmp_path / "s.sqlite") as db:
        [back] = db.reports()
        assert (back.id, back.date, back.source, back.text, back.title, back.url, back.path) == (
            report.id, report.date, report.source, report.text, "T", "https://x.org", "in/a.md")
        assert back.extra == {"acled": True, "latitude": "48.28"}
        assert db.mentions("r1") == mentions
        stored = db.events()
        assert stored[0] == events[0]
        assert math.isnan(stored[1].latitude) and stored[1].place.name == "Somewhere"


def test_known_reports_are_skipped_by_id_or_by_text(tmp_path):
    with Store(tmp_path / "s.sqlite") as db:
        first = _report(1)
        assert db.add_processed([(first, [], [_event(first)])]) == 1
        same_id = _report(1, text="Different text.")
        same_text = _report(2, text="Heavy  battles raged in POKROVSK.")
        assert db.add_processed([(same_id, [], []), (same_text, [], [])]) == 0
        assert db.counts()["reports"] == 1 and db.counts()["events"] == 1


def test_a_failing_transaction_leaves_the_previous_state(tmp_path):
    with Store(tmp_path / "s.sqlite") as db:
        db.add_report(_report(1))
        with pytest.raises(RuntimeError), db.transaction():
            db.add_report(_report(2, text="Second."))
            raise RuntimeError("killed")
        assert [r.id for r in db.reports()] == ["r1"]


def test_foreign_keys_are_enforced(tmp_path):
    with Store(tmp_path / "s.sqlite") as db, pytest.raises(sqlite3.IntegrityError):
        db.conn.execute("INSERT INTO mentions VALUES ('nope', 0, 0, 1, 'x', NULL, 1.0, '')")


def test_migrations_upgrade_an_old_store_and_refuse_a_newer_one(tmp_path, monkeypatch):
    path = tmp_path / "s.sqlite"
    monkeypatch.setattr(store_module, "MIGRATIONS", store_module.MIGRATIONS[:1])
    with Store(path) as db:
        assert db.schema_version == 1
        db.add_report(_report(1))
        assert "meta" not in {r[0] for r in db.conn.execute("SELECT name FROM sqlite_master")}
    monkeypatch.undo()
    with Store(path) as db:
        assert db.schema_version == 4
        assert [r.id for r in db.reports()] == ["r1"]
        db.set_meta("generation", "3")
        applied = db.conn.execute("SELECT version, name FROM schema_migrations").fetchall()
        assert applied == [(1, "core tables"), (2, "update bookkeeping"),
                           (3, "inbox files taken in"), (4, "output caches")]
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO schema_migrations VALUES (99, 'future', 'x')")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="schema version 99 is newer than this tracker "
                                         r"understands \(4\); upgrade tracker"):
        Store(path)


def test_not_a_database_is_a_clear_error(tmp_path):
    path = tmp_path / "notes.sqlite"
    path.write_text("this is not sqlite " * 100)
    with pytest.raises(StoreError, match="notes.sqlite"):
        Store(path)


def test_second_writer_waits_then_fails_clearly(tmp_path):
    path = tmp_path / "s.sqlite"
    holder = Store(path)
    other = Store(path, timeout=0.2)
    with holder.transaction():
        holder.add_report(_report(1))
        started = time.monotonic()
        with pytest.raises(StoreError, match="is locked by another writer \\(waited 0.2 s\\)"):
            with other.transaction():
                pass
        assert time.monotonic() - started >= 0.19
        assert other.reports() == []  # WAL: readers see the last committed state
    assert [r.id for r in other.reports()] == ["r1"]
    holder.close()
    other.close()


def test_update_lock_waits_for_the_holder(tmp_path):
    path = tmp_path / "s.sqlite"
    released = []

    def hold():
        with update_lock(path):
            time.sleep(0.3)
            released.append(time.monotonic())

    thread = threading.Thread(target=hold)
    thread.start()
    time.sleep(0.1)
    with update_lock(path, timeout=5):
        acquired = time.monotonic()
    thread.join()
    assert acquired >= released[0]


def test_snapshots_are_stored_once_with_geometry(tmp_path):
    with Store(tmp_path / "s.sqlite") as db:
        geometry = '{"type":"Point","coordinates":[37.1,48.2]}'
        assert db.add_snapshot(date=dt.date(2025, 5, 20), path="a.geojson", digest="h1",
                               geometry=geometry)
        assert not db.add_snapshot(date=dt.date(2025, 5, 20), path="b.geojson", digest="h1",
                                   geometry=geometry)
        [snap] = db.snapshots()
        assert snap["date"] == dt.date(2025, 5, 20) and snap["geometry"] == geometry


def test_default_location(monkeypatch, tmp_path):
    monkeypatch.delenv("TRACKER_STORE", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_store_path() == tmp_path / "xdg" / "tracker" / "tracker.sqlite"
    monkeypatch.setenv("TRACKER_STORE", str(tmp_path / "env.sqlite"))
    assert default_store_path() == tmp_path / "env.sqlite"
    monkeypatch.delenv("TRACKER_STORE")
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.setenv("HOME", str(tmp_path))
    if store_lock_module.sys.platform.startswith("linux"):
        assert default_store_path() == tmp_path / ".local" / "share" / "tracker" / \
            "tracker.sqlite"


def test_events_frame_gives_the_same_timeline_as_the_events(tmp_path):
    from tracker.timeline import build_timeline, place_table

    toretsk = Place("gn:691535", "Toretsk", "settlement", "Donetsk", "UA", 48.3981, 37.8477, 30000)
    first = _report(1)
    second = Report("r2", dt.date(2025, 5, 20), "ISW", "Russia says it holds Toretsk now.",
                    title="Second <b>title</b>")
    later = Report("r3", dt.date(2025, 5, 21), "MoD", "Toretsk was captured.", url="")
    events = {
        first: [_event(first), _event(first, place=NOWHERE, n=1, event_type="mention"),
                _event(first, place=toretsk, n=2, url="https://x.org/1")],
        second: [Event("r2-e0", second.date, "r2", "ISW", toretsk, 48.39, 37.84, 2, "capture",
                       "RU", "claimed", "RU", "2 km E of Toretsk", second.text, 0.87654)],
        later: [Event("r3-e0", later.date, "r3", "MoD", toretsk, toretsk.latitude,
                      toretsk.longitude, 1, "capture", "UA", "reported", "UA", "", later.text,
                      0.5)],
    }
    with Store(tmp_path / "s.sqlite") as db:
        for report, report_events in events.items():
            db.add_report(report, [], report_events)
        from_objects = build_timeline(db.events(), titles=db.report_titles())
        from_table = build_timeline(db.events_frame())
        assert list(db.events_frame().columns[:3]) == ["event_id", "event_date", "report_id"]
    assert len(from_table) == 5
    assert set(from_table["control"]) >= {"contested"}  # RU and UA claims a day apart
    assert from_table.loc[from_table["event_id"] == "r2-e0", "title"].item() == \
        "Second <b>title</b>"
    pd.testing.assert_frame_equal(from_table, from_objects)
    assert from_table.to_csv(index=False) == from_objects.to_csv(index=False)
    assert place_table(from_table).to_csv(index=False) == \
        place_table(from_objects).to_csv(index=False)


def test_events_frame_of_an_empty_store_gives_an_empty_timeline(tmp_path):
    from tracker.timeline import build_timeline

    with Store(tmp_path / "s.sqlite") as db:
        frame = db.events_frame()
    assert frame.empty
    assert build_timeline(frame).columns.tolist() == build_timeline([]).columns.tolist()
