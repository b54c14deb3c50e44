"""Incremental outputs: what the store's caches give equals a full rebuild, byte for byte.

The fakes of ``test_update_fakes`` keep these fast; the last test runs the real
pipeline (gazetteer, geoparser, distances, map) over the seed reports with a
front-line snapshot.
"""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
import sqlite3

from tests import test_update_fakes as fakes
from tests.conftest import ROOT
from tracker.pipeline import build_outputs, csv_lines, write_outputs
from tracker.store import Store
from tracker.update import update


def _run(tmp_path, name, inbox, stages=None, **kwargs):
    return update(inbox=inbox, store=tmp_path / f"{name}.sqlite", out=tmp_path / name,
                  stages=stages or fakes.stages(), **kwargs)


def _csv(frame) -> bytes:
    header, rows = csv_lines(frame)
    return (header + "\n" + "".join(row + "\n" for row in rows)).encode()


def _from_scratch(store, stages):
    """timeline.csv and places.csv of a full build over the store's events (no caches)."""
    with Store(store) as db:
        snapshots = [stages.snapshot(s["date"], s["path"], _geometry(s["geometry"]), s["kind"])
                     for s in db.snapshots()]
        timeline, places = stages.build(db.events_frame(), snapshots=snapshots)
    return _csv(timeline), _csv(places)


def _geometry(text):
    import shapely

    return shapely.from_geojson(text)


def _outputs(out) -> tuple[bytes, bytes]:
    return (out / "timeline.csv").read_bytes(), (out / "places.csv").read_bytes()


def _payload_text(page: str) -> str:
    """The events payload embedded in map.html, as written."""
    return re.search(r"var tracker_events_[0-9a-f]+ = (\{.*?\});\n", page).group(1)


def test_each_incremental_update_equals_a_full_rebuild(tmp_path):
    for start in range(0, 48, 12):
        fakes.write_reports(tmp_path / "inbox", start, 12)
        if start == 24:  # report 1 (first run) says Russia captured Toretsk on May 2
            (tmp_path / "inbox" / "claim.md").write_text(
                "---\ndate: 2025-05-03\nsource: other\n---\nUkrainian forces liberated "
                "Toretsk.\n")
        summary = _run(tmp_path, "inc", tmp_path / "inbox")
        assert summary.new_reports == 12 + (start == 24)
        # the first run builds everything; later ones only the places with new events
        assert summary.incremental == (start > 0)
        assert _outputs(tmp_path / "inc") == _from_scratch(tmp_path / "inc.sqlite",
                                                           fakes.stages())
    # claims a day apart settled as contested across runs, as in one build
    timeline = (tmp_path / "inc" / "timeline.csv").read_text()
    assert "conflicting claims" in timeline
    _run(tmp_path, "all", tmp_path / "inbox")
    assert _outputs(tmp_path / "inc") == _outputs(tmp_path / "all")
    # the status remembered for the next run's control changes: only dirty places rewrote it
    with Store(tmp_path / "inc.sqlite") as inc, Store(tmp_path / "all.sqlite") as full:
        assert inc.place_status() == full.place_status() and len(full.place_status()) == 6
    reprocessed = _run(tmp_path, "inc", tmp_path / "inbox", reprocess=True)
    assert not reprocessed.incremental and reprocessed.reprocessed == 49
    assert _outputs(tmp_path / "inc") == _outputs(tmp_path / "all")


def test_only_the_places_with_new_events_are_rebuilt(tmp_path):
    fakes.write_reports(tmp_path / "inbox", 0, 30)
    _run(tmp_path, "s", tmp_path / "inbox")
    (tmp_path / "inbox" / "new.md").write_text(
        "---\ndate: 2025-05-02\nsource: src9\n---\nRussian forces captured Bakhmut.\n")
    summary = _run(tmp_path, "s", tmp_path / "inbox")
    assert summary.incremental and summary.rebuilt_places == 1
    assert _outputs(tmp_path / "s") == _from_scratch(tmp_path / "s.sqlite", fakes.stages())
    again = _run(tmp_path, "s", tmp_path / "inbox")
    assert again.outputs == {} and again.rebuilt_places == 0  # nothing new: untouched


def test_a_place_record_that_changes_rebuilds_all_its_rows(tmp_path, monkeypatch):
    fakes.write_reports(tmp_path / "inbox", 0, 20)
    _run(tmp_path, "s", tmp_path / "inbox")
    # a gazetteer upgrade renames a place: the old events now show the new name too
    renamed = dataclasses.replace(fakes.PLACES["Toretsk"], name="Dzerzhynsk", latitude=48.41)
    monkeypatch.setitem(fakes.PLACES, "Toretsk", renamed)
    (tmp_path / "inbox" / "new.md").write_text(
        "---\ndate: 2025-05-03\nsource: src1\n---\nHeavy battles near Toretsk.\n")
    summary = _run(tmp_path, "s", tmp_path / "inbox")
    assert summary.incremental
    timeline, places = _outputs(tmp_path / "s")
    assert b"Toretsk,settlement" not in timeline and b"Dzerzhynsk" in places
    assert (timeline, places) == _from_scratch(tmp_path / "s.sqlite", fakes.stages())


def test_events_stored_by_other_writers_are_picked_up(tmp_path):
    fakes.write_reports(tmp_path / "inbox", 0, 10)
    _run(tmp_path, "s", tmp_path / "inbox")
    # `tracker run --store` adds reports without touching the outputs
    from tracker.reports import load_reports

    extra = fakes.write_reports(tmp_path / "other", 10, 5)
    with Store(tmp_path / "s.sqlite") as db:
        db.add_processed([(r, *fakes.process(r, fakes.PLACES))
                          for r in load_reports(extra).reports])
    summary = _run(tmp_path, "s", tmp_path / "inbox")
    assert summary.new_reports == 0 and summary.incremental and summary.outputs
    fakes.write_reports(tmp_path / "inbox", 10, 5)
    _run(tmp_path, "all", tmp_path / "inbox")
    assert _outputs(tmp_path / "s") == _outputs(tmp_path / "all")


def _snapshot(folder, day, west=37.0):
    folder.mkdir(exist_ok=True)
    (folder / f"occupied_{day}.geojson").write_text(json.dumps({
        "type": "FeatureCollection", "features": [{"type": "Feature", "properties": {},
        "geometry": {"type": "Polygon", "coordinates": [[[west, 48], [39, 48], [39, 49],
                                                         [west, 48]]]}}]}))


def _places_dated(store, start, end="9999"):
    with sqlite3.connect(store) as conn:
        return conn.execute("SELECT count(DISTINCT place_id) FROM events WHERE event_date >= ? "
                            "AND event_date < ?", (start, end)).fetchone()[0]


def test_a_new_snapshot_rebuilds_the_places_it_governs_changed_code_all(tmp_path, monkeypatch):
    import tracker.store_outputs as store_outputs

    fakes.write_reports(tmp_path / "inbox", 0, 12)  # dated 2025-05-01 to 2025-05-12
    _run(tmp_path, "s", tmp_path / "inbox")
    store, front = tmp_path / "s.sqlite", tmp_path / "front"
    _snapshot(front, "2025-05-10")
    summary = _run(tmp_path, "s", tmp_path / "inbox", frontline_dir=front)
    # the events from May 10 on now measure to it: only their places are rebuilt
    assert summary.new_snapshots == 1 and summary.incremental
    assert summary.rebuilt_places == _places_dated(store, "2025-05-10") < 6
    assert _outputs(tmp_path / "s") == _from_scratch(store, fakes.stages())
    _snapshot(front, "2025-05-07", west=36.5)  # an older one governs May 7 to 9
    summary = _run(tmp_path, "s", tmp_path / "inbox", frontline_dir=front)
    assert summary.incremental
    assert summary.rebuilt_places == _places_dated(store, "2025-05-07", "2025-05-10")
    monkeypatch.setattr(store_outputs, "CACHE_FORMAT", store_outputs.CACHE_FORMAT + 1)
    summary = _run(tmp_path, "s", tmp_path / "inbox", frontline_dir=front)
    assert summary.outputs and not summary.incremental  # regenerated though nothing is new
    assert _outputs(tmp_path / "s") == _from_scratch(store, fakes.stages())


def test_triggers_mark_exactly_the_changed_places(tmp_path):
    fakes.write_reports(tmp_path / "inbox", 0, 6)
    _run(tmp_path, "s", tmp_path / "inbox")
    conn = sqlite3.connect(tmp_path / "s.sqlite")
    conn.execute("PRAGMA foreign_keys = ON")  # (outside a transaction, or it is ignored)
    dirty = lambda: {r[0] for r in conn.execute("SELECT place_id FROM dirty_places")}  # noqa: E731
    assert dirty() == set()
    # the same record upserted again changes nothing
    conn.execute("UPDATE places SET name = name WHERE place_id = 'toy:kharkiv'")
    assert dirty() == set()
    conn.execute("UPDATE places SET latitude = 50.0 WHERE place_id = 'toy:kharkiv'")
    assert dirty() == {"toy:kharkiv"}
    report = conn.execute("SELECT report_id, place_id FROM events LIMIT 1").fetchone()
    conn.execute("UPDATE reports SET title = 'New title' WHERE id = ?", (report[0],))
    assert report[1] in dirty()
    conn.execute("DELETE FROM dirty_places")
    places = {r[0] for r in conn.execute("SELECT place_id FROM events WHERE report_id = ?",
                                         (report[0],))}
    conn.execute("DELETE FROM reports WHERE id = ?", (report[0],))  # cascades to its events
    assert dirty() == places
    conn.rollback()


def test_real_pipeline_incremental_equals_full_with_a_front_line(tmp_path):
    """Seeds in three updates (real geoparser, distances, map) vs one full build."""
    from tracker.frontline import load_snapshots
    from tracker.maps_data import event_payload, to_script_json
    from tracker.update import default_stages

    stages = default_stages()
    front = tmp_path / "front"
    front.mkdir()
    (front / "occupied_2025-05-21.geojson").write_text(json.dumps({
        "type": "Polygon", "coordinates": [[[37.5, 47.8], [38.6, 47.8], [38.6, 48.9],
                                            [37.5, 48.9], [37.5, 47.8]]]}))
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    seeds = sorted(ROOT.joinpath("seeds").iterdir())
    for n, batch in enumerate((seeds[:2], seeds[2:4], seeds[4:])):
        for path in batch:
            shutil.copy(path, inbox / path.name)
        if n == 2:  # a later snapshot: the events from May 23 on measure to it instead
            (front / "occupied_2025-05-23.geojson").write_text(json.dumps({
                "type": "Polygon", "coordinates": [[[37.2, 47.8], [38.6, 47.8], [38.6, 48.9],
                                                    [37.2, 48.9], [37.2, 47.8]]]}))
        last = _run(tmp_path, "inc", inbox, stages=stages, frontline_dir=front)
    assert last.incremental and last.new_reports > 0
    full = _run(tmp_path, "full", inbox, stages=stages, frontline_dir=front)
    assert not full.incremental
    assert _outputs(tmp_path / "inc") == _outputs(tmp_path / "full")
    # and both are what the pipeline's own writer gives for the whole store
    snapshots, _ = load_snapshots([front])
    with Store(tmp_path / "inc.sqlite") as db:
        timeline, places = build_outputs(db.events_frame(), snapshots=snapshots)
        n_reports = db.counts()["reports"]
    write_outputs(tmp_path / "ref", timeline, places, snapshots=snapshots,
                  n_reports=n_reports, exports=False)
    assert _outputs(tmp_path / "inc") == _outputs(tmp_path / "ref")
    assert set(timeline["frontline_date"]) >= {"2025-05-21", "2025-05-23"}  # both were used
    pages = [(tmp_path / name / "map.html").read_text() for name in ("inc", "full")]
    assert _payload_text(pages[0]) == _payload_text(pages[1]) == to_script_json(
        event_payload(timeline))
    assert all(re.search(rf"{n_reports} reports · {len(timeline)} events", p) for p in pages)
    for chart in ("events_per_day.png", "border_distance.png"):  # drawn from the cached columns
        assert (tmp_path / "inc" / chart).read_bytes() == (tmp_path / "full" / chart).read_bytes()


def test_real_build_and_writer_over_the_fakes_events(tmp_path):
    # the real timeline, place table and writer (charts, map) on the caches' path
    from tracker.timeline import place_table

    stages = dataclasses.replace(fakes.stages(), build=build_outputs, write=write_outputs)
    fakes.write_reports(tmp_path / "inbox", 0, 8)
    _run(tmp_path, "s", tmp_path / "inbox", stages=stages)
    fakes.write_reports(tmp_path / "inbox", 8, 4)
    summary = _run(tmp_path, "s", tmp_path / "inbox", stages=stages)
    assert summary.incremental
    with Store(tmp_path / "s.sqlite") as db:
        expected = place_table(build_outputs(db.events_frame())[0])
    assert (tmp_path / "s" / "places.csv").read_bytes() == _csv(expected)
    assert {"map.html", "events_per_day.png", "border_distance.png"} <= {
        p.name for p in (tmp_path / "s").iterdir()}


def test_an_exports_run_keeps_the_caches_current(tmp_path):
    stages = dataclasses.replace(fakes.stages(), build=build_outputs, write=write_outputs)
    fakes.write_reports(tmp_path / "inbox", 0, 8)
    _run(tmp_path, "s", tmp_path / "inbox", stages=stages)
    fakes.write_reports(tmp_path / "inbox", 8, 4)
    with_exports = _run(tmp_path, "s", tmp_path / "inbox", stages=stages, exports=True)
    assert not with_exports.incremental and (tmp_path / "s" / "tracker.gpkg").exists()
    fakes.write_reports(tmp_path / "inbox", 12, 4)
    summary = _run(tmp_path, "s", tmp_path / "inbox", stages=stages)
    assert summary.incremental and not (tmp_path / "s" / "tracker.gpkg").exists()
    assert _outputs(tmp_path / "s") == _from_scratch(tmp_path / "s.sqlite", stages)
