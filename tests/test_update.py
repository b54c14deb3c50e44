"""tracker update: incremental, idempotent, summaries, config, exit codes, feeds."""

from __future__ import annotations

import http.server
import json
import sqlite3
import threading
import time

import pytest
from typer.testing import CliRunner

from tests import test_update_fakes as fakes
from tracker.cli import app
from tracker.errors import TrackerError
from tracker.store import Store
from tracker.update import load_config, update


@pytest.fixture
def run(tmp_path):
    def run_update(**kwargs):
        kwargs.setdefault("inbox", tmp_path / "inbox")
        kwargs.setdefault("store", tmp_path / "store.sqlite")
        kwargs.setdefault("out", tmp_path / "out")
        return update(stages=fakes.stages(), **kwargs)

    return run_update


def test_first_update_stores_reports_and_writes_outputs(tmp_path, run):
    fakes.write_reports(tmp_path / "inbox", 0, 12)
    summary = run()
    assert summary.new_reports == 12 and summary.known_reports == 0
    assert summary.exit_code == 0
    timeline = (tmp_path / "out" / "timeline.csv").read_text()
    assert timeline.startswith("event_id,event_date,report_id,source,place_id")
    with Store(tmp_path / "store.sqlite") as db:
        counts = db.counts()
    assert counts["reports"] == 12
    assert counts["events"] == sum(summary.new_events.values()) == timeline.count("\n") - 1
    assert set(summary.new_events) <= {"battle", "capture", "liberation", "strike", "mention"}


def test_same_update_twice_adds_nothing_and_keeps_outputs_byte_identical(tmp_path, run):
    fakes.write_reports(tmp_path / "inbox", 0, 20)
    run()
    before = (tmp_path / "out" / "timeline.csv").read_bytes()
    mtime = (tmp_path / "out" / "timeline.csv").stat().st_mtime_ns
    with Store(tmp_path / "store.sqlite") as db:
        counts = db.counts()
    again = run()
    assert (again.new_reports, again.known_reports, sum(again.new_events.values())) == (0, 0, 0)
    assert again.unchanged_files == 20  # not even read again
    assert again.outputs == {}  # nothing new: outputs already current, not rewritten
    assert (tmp_path / "out" / "timeline.csv").read_bytes() == before
    assert (tmp_path / "out" / "timeline.csv").stat().st_mtime_ns == mtime
    with Store(tmp_path / "store.sqlite") as db:
        assert db.counts() == counts


def test_only_new_reports_are_processed(tmp_path, run, monkeypatch):
    fakes.write_reports(tmp_path / "inbox", 0, 10)
    run()
    fakes.write_reports(tmp_path / "inbox", 10, 3)
    seen = []
    original = fakes.process
    monkeypatch.setattr(fakes, "process", lambda r, g: seen.append(r.id) or original(r, g))
    summary = run()
    assert summary.new_reports == 3 and summary.unchanged_files == 10
    assert len(seen) == 3


def test_incremental_equals_all_at_once(tmp_path, run):
    fakes.write_reports(tmp_path / "a", 0, 30)
    run(inbox=tmp_path / "a", store=tmp_path / "one.sqlite", out=tmp_path / "one")
    for start in range(0, 30, 7):
        fakes.write_reports(tmp_path / "b", start, min(7, 30 - start))
        run(inbox=tmp_path / "b", store=tmp_path / "inc.sqlite", out=tmp_path / "inc")
    assert (tmp_path / "one" / "timeline.csv").read_bytes() == \
        (tmp_path / "inc" / "timeline.csv").read_bytes()


def test_outputs_regenerate_from_the_store_when_missing(tmp_path, run):
    fakes.write_reports(tmp_path / "inbox", 0, 5)
    run()
    before = (tmp_path / "out" / "timeline.csv").read_bytes()
    (tmp_path / "out" / "timeline.csv").unlink()
    (tmp_path / "out" / ".tracker-update.json").unlink()
    for f in (tmp_path / "inbox").iterdir():  # the inbox is gone too
        f.unlink()
    summary = run()
    assert summary.new_reports == 0
    assert (tmp_path / "out" / "timeline.csv").read_bytes() == before


def test_same_text_under_another_name_is_known(tmp_path, run):
    [path] = fakes.write_reports(tmp_path / "inbox", 0, 1)
    run()
    path.rename(tmp_path / "inbox" / "copy.md")
    text = (tmp_path / "inbox" / "copy.md").read_text().replace("source: src0", "source: other")
    (tmp_path / "inbox" / "copy.md").write_text(text)
    summary = run()
    assert (summary.new_reports, summary.known_reports) == (0, 1)


def test_refused_inputs_give_exit_code_1_and_the_rest_proceed(tmp_path, run):
    fakes.write_reports(tmp_path / "inbox", 0, 3)
    (tmp_path / "inbox" / "bad.md").write_text("---\ndate: 2025-13-01\n---\nBattle.\n")
    (tmp_path / "inbox" / "crash.md").write_text("---\ndate: 2025-05-01\n---\nEXPLODE\n")
    summary = run()
    assert summary.new_reports == 3
    assert summary.exit_code == 1
    messages = [m for _, m in summary.refused]
    assert any(m.endswith("bad.md:2: date '2025-13-01' is not a valid YYYY-MM-DD date "
                          "(month must be in 1..12)") for m in messages)
    assert any("crash.md: report" in m and "could not be processed: RuntimeError: boom" in m
               for m in messages)


def test_control_changes_are_reported(tmp_path, run):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.md").write_text("---\ndate: 2025-05-01\n---\nUkrainian forces liberated "
                                "Kupiansk.\n")
    first = run()
    assert {(c["place_name"], c["before"], c["after"]) for c in first.control_changes} == {
        ("Kupiansk", "unknown", "UA")}
    (inbox / "b.md").write_text("---\ndate: 2025-05-09\n---\nRussian forces captured "
                                "Kupiansk.\n")
    second = run()
    assert [(c["place_name"], c["before"], c["after"]) for c in second.control_changes] == [
        ("Kupiansk", "UA", "RU")]
    assert second.new_events == {"capture": 1}


def test_border_and_city_alerts(tmp_path, run, monkeypatch):
    import pandas as pd

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.md").write_text("---\ndate: 2025-05-01\n---\nHeavy battles near Pokrovsk. "
                                "People in Toretsk wait.\n")

    def build(events, *, snapshots=(), titles=None):  # precise points with border distances
        timeline, places = fakes.build(events, titles=titles)
        timeline["geo_precision"] = 1
        timeline["dist_border_km"] = timeline["place_name"].map({"Pokrovsk": 19.6,
                                                                  "Toretsk": 5.0})
        timeline["nearest_border"] = "Donetsk|Dnipropetrovsk"
        return timeline, places

    stages = fakes.stages()
    stages.build = build
    summary = update(inbox=inbox, store=tmp_path / "s.sqlite", out=tmp_path / "o",
                     stages=stages, alert_km=20,
                     watch_cities=[{"name": "Myrnohrad", "latitude": 48.30,
                                    "longitude": 37.26}])
    # Toretsk is only mentioned: alerts are for places where something happened
    assert [(a["place_name"], a["distance_km"], a["to"]) for a in summary.border_alerts] == [
        ("Pokrovsk", 19.6, "Donetsk|Dnipropetrovsk")]
    [city] = summary.city_alerts
    assert city["place_name"] == "Pokrovsk" and city["to"] == "Myrnohrad"
    assert 5 < city["distance_km"] < 8
    assert isinstance(pd.read_csv(tmp_path / "o" / "timeline.csv"), pd.DataFrame)


def test_reprocess_recomputes_from_stored_texts(tmp_path, run, monkeypatch):
    fakes.write_reports(tmp_path / "inbox", 0, 6)
    run()
    for f in (tmp_path / "inbox").iterdir():
        f.unlink()
    monkeypatch.setitem(fakes.PLACES, "Report", fakes.PLACES["Kharkiv"].__class__(
        "toy:report", "Report", "other", "", "UA", 50.0, 30.0, 0, 3))
    summary = run(reprocess=True)
    assert summary.reprocessed == 6 and summary.new_reports == 0
    assert "Report" in (tmp_path / "out" / "timeline.csv").read_text()


def test_missing_inbox_is_fatal(tmp_path, run):
    with pytest.raises(TrackerError, match="inbox .*missing.* does not exist"):
        run(inbox=tmp_path / "missing")


def test_config_file_and_flags(tmp_path):
    (tmp_path / "cfg").mkdir()
    config = tmp_path / "cfg" / "tracker.toml"
    config.write_text('[update]\ninbox = "in"\nstore = "/abs/s.sqlite"\nalert_km = 12.5\n'
                      'watch_borders = ["Donetsk/Dnipropetrovsk"]\n')
    settings = load_config(config)
    assert settings["inbox"] == tmp_path / "cfg" / "in"
    assert str(settings["store"]) == "/abs/s.sqlite"
    assert settings["alert_km"] == 12.5
    config.write_text('inbox = "in"\nalert_distance = 3\n')
    with pytest.raises(TrackerError, match="unknown config key.*alert_distance; valid keys: "
                                           "inbox, feeds"):
        load_config(config)
    config.write_text('inbox = "in\n')
    with pytest.raises(TrackerError, match="not valid TOML"):
        load_config(config)


# -- the command, in process -------------------------------------------------------------


@pytest.fixture
def cli(monkeypatch):
    fakes.install.__globals__  # noqa: B018 - the module is imported
    import tracker.update

    monkeypatch.setattr(tracker.update, "default_stages", fakes.stages)
    return CliRunner()


def test_cli_summary_and_exit_codes(tmp_path, cli):
    fakes.write_reports(tmp_path / "inbox", 0, 4)
    args = ["update", "--inbox", str(tmp_path / "inbox"), "--store", str(tmp_path / "s.sqlite"),
            "--out", str(tmp_path / "out")]
    result = cli.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "new reports: 4 (already known: 0, duplicates: 0, unchanged files not read: 0)" \
        in result.stdout
    assert "refused inputs: 0" in result.stdout
    assert "Processing reports" not in result.output  # no progress bar without a terminal
    (tmp_path / "inbox" / "bad.md").write_text("---\ndate: 2025-13-01\n---\nx\n")
    result = cli.invoke(app, args)
    assert result.exit_code == 1
    assert "new reports: 0 (already known: 0, duplicates: 0, unchanged files not read: 4)" \
        in result.stdout
    assert "bad.md:2: date '2025-13-01'" in result.stdout
    assert "outputs: unchanged" in result.stdout


def test_cli_quiet_log_file_json_and_config_override(tmp_path, cli):
    fakes.write_reports(tmp_path / "inbox", 0, 2)
    config = tmp_path / "t.toml"
    config.write_text(f'inbox = "inbox"\nstore = "s.sqlite"\nout = "ignored"\n'
                      f'log_json = true\nlog_file = "{tmp_path / "log.jsonl"}"\n')
    result = cli.invoke(app, ["update", "--config", str(config), "--out",
                              str(tmp_path / "out"), "--quiet"])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert (tmp_path / "out" / "timeline.csv").exists()  # the flag won over the config
    assert not (tmp_path / "ignored").exists()
    records = [json.loads(line) for line in (tmp_path / "log.jsonl").read_text().splitlines()]
    summary = next(r["summary"] for r in records if "summary" in r)
    assert summary["new_reports"] == 2 and summary["exit_code"] == 0


def test_cli_nothing_to_read_and_bad_config_exit_2(tmp_path, cli):
    result = cli.invoke(app, ["update", "--store", str(tmp_path / "s.sqlite")])
    assert result.exit_code == 2
    assert "nothing to read" in result.output
    (tmp_path / "bad.toml").write_text("nonsense = 1\n")
    result = cli.invoke(app, ["update", "--config", str(tmp_path / "bad.toml")])
    assert result.exit_code == 2
    assert "unknown config key(s) nonsense" in result.output


def test_cli_locked_store_exits_2_with_a_clear_message(tmp_path, cli):
    from tracker.store import update_lock

    fakes.write_reports(tmp_path / "inbox", 0, 2)
    store = tmp_path / "s.sqlite"
    with update_lock(store):
        result = cli.invoke(app, ["update", "--inbox", str(tmp_path / "inbox"), "--store",
                                  str(store), "--out", str(tmp_path / "out"), "--wait", "0.3"])
    assert result.exit_code == 2
    assert "is in use by another tracker update" in result.output
    assert "waited 0.3 s" in result.output
    assert not (tmp_path / "out").exists()


# -- feeds over HTTP ---------------------------------------------------------------------

GOOD = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Good</title>
<item><guid>g-1</guid><title>One</title><pubDate>Tue, 20 May 2025 08:00:00 GMT</pubDate>
<description>&lt;p&gt;Heavy battles near &lt;b&gt;Toretsk&lt;/b&gt;.&lt;/p&gt;</description></item>
<item><guid>g-2</guid><title>Two</title><pubDate>Wed, 21 May 2025 08:00:00 GMT</pubDate>
<description>A missile strike hit Kharkiv.</description></item></channel></rss>"""


class _Handler(http.server.BaseHTTPRequestHandler):
    agents: list[str] = []

    def do_GET(self):  # noqa: N802
        type(self).agents.append(self.headers.get("User-Agent", ""))
        if self.path == "/good.rss":
            body, status = GOOD, 200
        elif self.path == "/slow.rss":
            time.sleep(2)
            body, status = GOOD, 200
        elif self.path == "/broken.rss":
            body, status = b"<rss><channel><item><title>cut off", 200
        else:
            body, status = b"server error", 500
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/rss+xml")
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, *args):
        pass


@pytest.fixture
def feed_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_feeds_good_slow_500_and_malformed(tmp_path, run, feed_server):
    listing = tmp_path / "feeds.txt"
    listing.write_text(f"# morning feeds\n{feed_server}/good.rss  # the good one\n"
                       f"{feed_server}/slow.rss\n{feed_server}/error.rss\n\n"
                       f"{feed_server}/broken.rss\nsaved/local.rss\n")
    (tmp_path / "saved").mkdir()
    (tmp_path / "saved" / "local.rss").write_bytes(GOOD.replace(b"g-1", b"l-1").replace(
        b"Toretsk", b"Bakhmut").replace(b"g-2", b"l-2").replace(b"Kharkiv", b"Vovchansk"))
    (tmp_path / "inbox").mkdir()
    started = time.monotonic()
    summary = run(feeds=listing, feed_timeout=0.5)
    assert time.monotonic() - started < 10
    assert summary.new_reports == 4  # the good feed's two items and the local file's two
    refused: dict[str, list[str]] = {}
    for feed, message in summary.refused:
        refused.setdefault(feed, []).append(message)
    assert refused[f"{feed_server}/slow.rss"] == [
        f"{feed_server}/slow.rss: feed fetch failed: timed out after 0.5 s"]
    assert refused[f"{feed_server}/error.rss"] == [
        f"{feed_server}/error.rss: feed fetch failed: HTTP 500 Internal Server Error"]
    assert "malformed feed" in refused[f"{feed_server}/broken.rss"][0]
    assert f"{feed_server}/good.rss" not in refused
    assert summary.exit_code == 1
    assert all(agent.startswith("tracker/") for agent in _Handler.agents)
    with Store(tmp_path / "store.sqlite") as db:
        assert {r.id for r in db.reports()} == {"g-1", "g-2", "l-1", "l-2"}
        assert [r.title for r in db.reports()] == ["One", "Two", "One", "Two"]
        assert db.reports()[0].text == "Heavy battles near Toretsk."
    again = run(feeds=listing, feed_timeout=0.5)
    assert (again.new_reports, again.known_reports) == (0, 4)


def test_store_file_is_sqlite_with_wal(tmp_path, run):
    fakes.write_reports(tmp_path / "inbox", 0, 2)
    run()
    conn = sqlite3.connect(tmp_path / "store.sqlite")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_readme_config_example_uses_exactly_the_documented_keys(tmp_path):
    import re

    import tomllib

    from tests.conftest import ROOT
    from tracker.update import CONFIG_KEYS

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("<!-- section: update -->")[1].split("<!-- /section: update -->")[0]
    [example] = re.findall(r"```toml\n(.*?)```", section, flags=re.S)
    assert set(tomllib.loads(example)) == set(CONFIG_KEYS)
    (tmp_path / "t.toml").write_text(example)
    settings = load_config(tmp_path / "t.toml")
    assert settings["inbox"] == tmp_path / "inbox"
    assert "tracker update --config" in section and "OnCalendar" in section


def _square(path, west, south, size=0.5):
    ring = [[west, south], [west + size, south], [west + size, south + size],
            [west, south + size], [west, south]]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": {"type": "Polygon",
                                                           "coordinates": [ring]}}]}))


def test_frontline_snapshots_are_stored_once_and_used_from_the_store(tmp_path):
    import shapely

    from tracker.update import default_stages

    fakes.write_reports(tmp_path / "inbox", 0, 3)
    folder = tmp_path / "frontline"
    folder.mkdir()
    _square(folder / "occupied_2025-05-01.geojson", 37.5, 48.0)
    _square(folder / "occupied_2025-05-10.geojson", 37.4, 48.0, 0.6)
    (folder / "broken_2025-05-11.geojson").write_text("{not json")
    received = []
    stages = fakes.stages()
    real = default_stages()
    stages.load_snapshots, stages.snapshot = real.load_snapshots, real.snapshot

    def build(events, *, snapshots=(), titles=None):
        received.append(list(snapshots))
        return fakes.build(events, titles=titles)

    stages.build = build
    kwargs = dict(inbox=tmp_path / "inbox", store=tmp_path / "s.sqlite", out=tmp_path / "out",
                  stages=stages, frontline_dir=folder)
    first = update(**kwargs)
    assert first.new_snapshots == 2
    assert [m for p, m in first.refused if "broken" in p][0].startswith(
        f"{folder / 'broken_2025-05-11.geojson'}: ")
    assert [s.date.isoformat() for s in received[-1]] == ["2025-05-01", "2025-05-10"]
    (folder / "broken_2025-05-11.geojson").unlink()
    assert update(**kwargs).new_snapshots == 0
    # the store keeps the geometry: outputs rebuild without the folder's files
    for f in folder.iterdir():
        f.unlink()
    (tmp_path / "out" / ".tracker-update.json").unlink()
    update(**kwargs)
    rebuilt = received[-1]
    assert [s.date.isoformat() for s in rebuilt] == ["2025-05-01", "2025-05-10"]
    assert abs(shapely.area(rebuilt[1].geometry) - 0.36) < 1e-9


def test_exports_are_written_only_when_asked_and_never_left_stale(tmp_path):
    import dataclasses

    import geopandas as gpd
    import pandas as pd

    from tracker.pipeline import build_outputs, write_outputs

    stages = dataclasses.replace(fakes.stages(), build=build_outputs, write=write_outputs)
    out = tmp_path / "out"
    exports = [out / name for name in ("events.geojson", "places.geojson", "tracker.gpkg")]
    fakes.write_reports(tmp_path / "inbox", 0, 4)
    settings = {"inbox": tmp_path / "inbox", "store": tmp_path / "store.sqlite", "out": out}

    first = update(stages=stages, **settings)
    assert first.new_reports == 4
    assert {"map", "timeline", "places"} <= set(first.outputs)
    assert not set(first.outputs) & {"events_geojson", "places_geojson", "geopackage"}
    assert not any(path.exists() for path in exports)

    # Asking for the exports regenerates the outputs even with nothing new.
    (tmp_path / "t.toml").write_text("exports = true\n")
    asked = update(stages=stages, **settings, **load_config(tmp_path / "t.toml"))
    assert asked.new_reports == 0 and asked.outputs["events_geojson"] == exports[0]
    timeline = pd.read_csv(out / "timeline.csv")
    events = gpd.read_file(exports[0])
    assert sorted(events["event_id"]) == sorted(timeline.dropna(subset=["latitude"])["event_id"])
    assert set(gpd.list_layers(exports[2])["name"]) == {"events", "places"}
    assert update(stages=stages, exports=True, **settings).outputs == {}  # current

    # Off again, the next regeneration removes them rather than leave them behind.
    fakes.write_reports(tmp_path / "inbox", 4, 1)
    later = update(stages=stages, **settings)
    assert later.new_reports == 1 and not any(path.exists() for path in exports)


def test_exports_flag_writes_the_geo_exports(tmp_path):
    from typer.testing import CliRunner

    from tests.conftest import ROOT
    from tracker.cli import app

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.md").write_text((ROOT / "seeds" / "2025-05-20_seed_trump_putin_call.md")
                                .read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "out"
    args = ["update", "--inbox", str(inbox), "--store", str(tmp_path / "s.sqlite"),
            "--out", str(out), "--quiet"]
    assert CliRunner().invoke(app, args).exit_code == 0
    assert not (out / "tracker.gpkg").exists()
    assert CliRunner().invoke(app, [*args, "--exports"]).exit_code == 0
    assert (out / "tracker.gpkg").stat().st_size > 0
    assert (out / "events.geojson").stat().st_size > 0
