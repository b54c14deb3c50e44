"""``tracker map``: in-process and as a real process."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest
from typer.testing import CliRunner

from tests.browser import synthetic_places, synthetic_timeline
from tests.conftest import shared_path
from tracker.cli import app


@pytest.fixture
def csvs(tmp_path):
    timeline = synthetic_timeline(80, seed=31, days=15)
    places = synthetic_places(timeline)
    timeline_csv, places_csv = tmp_path / "timeline.csv", tmp_path / "places.csv"
    timeline.to_csv(timeline_csv, index=False)
    places.to_csv(places_csv, index=False)
    return timeline_csv, places_csv


def test_map_from_csvs(tmp_path, csvs):
    timeline_csv, places_csv = csvs
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["map", "--timeline", str(timeline_csv), "--places",
                                      str(places_csv), "--out", str(out)])
    assert result.exit_code == 0, result.output
    written = result.stdout.split()
    assert written[0] == str(out / "map.html")
    assert {str(out / "events_per_day.png"), str(out / "border_distance.png")} <= set(written)
    page = (out / "map.html").read_text()
    assert "80 events" in page and 'id="tracker-legend"' in page


def test_places_default_to_the_timeline_s(tmp_path, csvs):
    timeline_csv, places_csv = csvs
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["map", "--timeline", str(timeline_csv), "--out", str(out)])
    assert result.exit_code == 0, result.output
    page = (out / "map.html").read_text()
    assert '"Latest control per place"' in page
    n_places = pd.read_csv(places_csv)["place_id"].nunique()
    assert page.count('"popup": "\\u003cb\\u003eNovoselivka') == n_places


def test_map_with_a_title_and_range(tmp_path, csvs):
    timeline_csv, places_csv = csvs
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["map", "--timeline", str(timeline_csv), "--places",
                                      str(places_csv), "--out", str(out), "--title",
                                      "Pokrovsk <axis>", "--border-range", "5"])
    assert result.exit_code == 0, result.output
    page = (out / "map.html").read_text()
    assert "<h1>Pokrovsk &lt;axis&gt;</h1>" in page
    assert "(places within 5 km)" in page


def test_unreadable_timeline_is_an_error(tmp_path):
    bad = tmp_path / "timeline.csv"
    bad.write_bytes(b"\xff\xfe\x00garbage\x00")
    result = CliRunner().invoke(app, ["map", "--timeline", str(bad), "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert "error:" in result.stderr and "timeline.csv" in result.stderr


def test_missing_timeline_file(tmp_path):
    result = CliRunner().invoke(app, ["map", "--timeline", str(tmp_path / "nope.csv")])
    assert result.exit_code == 2
    assert "nope.csv" in result.output


def test_map_with_real_frontline_snapshots(tmp_path, csvs):
    folder = shared_path("frontline")
    timeline_csv, places_csv = csvs
    out = tmp_path / "out"
    result = CliRunner().invoke(app, [
        "map", "--timeline", str(timeline_csv), "--places", str(places_csv), "--out", str(out),
        "--frontline", str(folder / "deepstate_2025-05-20.geojson"),
        "--frontline", str(folder / "deepstate_greyzone_2025-05-20.geojson")])
    assert result.exit_code == 0, result.output
    page = (out / "map.html").read_text()
    assert "Front line: occupied (slider date)" in page
    assert "Front line: grey zone (slider date)" in page
    assert "2 front-line snapshots" in page


def test_map_help_as_a_real_process():
    result = subprocess.run([sys.executable, "-m", "tracker", "map", "--help"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    assert "--timeline" in result.stdout and "Example: tracker map" in result.stdout


def test_map_from_a_store_matches_the_run_that_filled_it(tmp_path):
    from tests.conftest import ROOT
    from tracker.pipeline import run

    store = tmp_path / "tracker.sqlite"
    run([ROOT / "seeds"], out_dir=tmp_path / "run", store=store)
    result = CliRunner().invoke(app, ["map", "--store", str(store), "--out", str(tmp_path / "m")])
    assert result.exit_code == 0, result.output
    page = (tmp_path / "m" / "map.html").read_text(encoding="utf-8")
    assert "Pokrovsk" in page and "Kotliarivka" in page


def test_map_needs_exactly_one_source(tmp_path):
    result = CliRunner().invoke(app, ["map", "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "exactly one of --timeline FILE and --store FILE" in result.output
