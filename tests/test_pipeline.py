"""`tracker run` end to end: the seed reads as an analyst would read it."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest
from typer.testing import CliRunner

from tests.conftest import ROOT, shared_path
from tracker.cli import app
from tracker.models import PLACES_COLUMNS, TIMELINE_COLUMNS
from tracker.pipeline import run

PEOPLE_AND_INSTITUTIONS = {"Trump", "Putin", "Rubio", "Vance", "Lee", "Taylor", "Stanford",
                           "Carnegie", "Zelenskyy", "Ushakov", "Pifer", "Weiss", "Slezkine"}


@pytest.fixture(scope="module")
def seed_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("seed")
    result = run([ROOT / "seeds" / "2025-05-20_seed_trump_putin_call.md"], out_dir=out)
    return result, out


def _rows(timeline: pd.DataFrame, name: str) -> pd.DataFrame:
    return timeline[timeline["place_name"] == name]


def test_run_writes_every_output_with_contract_columns(seed_run):
    result, out = seed_run
    for name in ("map.html", "timeline.csv", "places.csv", "events.geojson", "places.geojson",
                 "tracker.gpkg"):
        assert (out / name).stat().st_size > 0, name
    timeline = pd.read_csv(out / "timeline.csv")
    assert timeline.columns[: len(TIMELINE_COLUMNS)].tolist() == TIMELINE_COLUMNS
    places = pd.read_csv(out / "places.csv")
    assert places.columns[: len(PLACES_COLUMNS)].tolist() == PLACES_COLUMNS
    assert len(timeline) == len(result.timeline)


def test_seed_battles_in_pokrovsk_and_toretsk(seed_run):
    timeline = seed_run[0].timeline
    for name in ("Pokrovsk", "Toretsk"):
        rows = _rows(timeline, name)
        assert "battle" in set(rows["event_type"]), name
        assert set(rows["admin1"]) == {"Donetsk"}
        assert set(rows["control"]) == {"contested"}


def test_seed_advance_toward_the_donetsk_dnipropetrovsk_border_under_5_km(seed_run):
    timeline = seed_run[0].timeline
    advances = timeline[(timeline["event_type"] == "advance") & (timeline["actor"] == "RU")]
    assert len(advances) >= 1
    relation = " ".join(advances["relation"].fillna(""))
    assert "<5 km" in relation
    assert "Donetsk" in relation and "Dnipropetrovsk" in relation


def test_seed_negotiations_in_istanbul_or_turkiye(seed_run):
    timeline = seed_run[0].timeline
    talks = timeline[timeline["event_type"] == "negotiation"]
    assert {"Istanbul", "Turkey", "Türkiye"} & set(talks["place_name"])
    assert set(talks["country"]) <= {"TR"}


def test_seed_has_no_capture_or_liberation_and_no_people(seed_run):
    timeline = seed_run[0].timeline
    assert not timeline["event_type"].isin(["capture", "liberation", "withdrawal"]).any()
    assert not set(timeline["place_name"]) & PEOPLE_AND_INSTITUTIONS


def test_seed_pokrovsk_is_19_6_km_from_the_dnipropetrovsk_border(seed_run):
    places = seed_run[0].places.set_index("place_name")
    assert places.loc["Pokrovsk", "dist_border_km"] == pytest.approx(19.6, abs=0.3)
    assert places.loc["Pokrovsk", "nearest_border"] == "Donetsk|Dnipropetrovsk"


def test_rerun_is_byte_identical(tmp_path):
    seeds = ROOT / "seeds"
    run([seeds], out_dir=tmp_path / "a")
    run([seeds], out_dir=tmp_path / "b")
    for name in ("timeline.csv", "places.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_a_bad_file_is_named_and_the_rest_of_the_batch_proceeds(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "good.md").write_text("---\ndate: 2025-06-01\nsource: test\n---\n"
                                   "Heavy battles continued in Pokrovsk.\n", encoding="utf-8")
    (inbox / "bad.md").write_text("---\ndate: 2025-13-01\n---\nBattles in Toretsk.\n",
                                  encoding="utf-8")
    (inbox / "binary.txt").write_bytes(b"\x00\x01\x02 not text")
    result = CliRunner().invoke(app, ["run", str(inbox), "--out", str(tmp_path / "out"), "-q"])
    assert result.exit_code == 1
    assert "bad.md" in result.output and "2025-13-01" in result.output
    assert "binary.txt" in result.output
    timeline = pd.read_csv(tmp_path / "out" / "timeline.csv")
    assert "Pokrovsk" in set(timeline["place_name"])
    assert "Toretsk" not in set(timeline["place_name"])


def test_run_with_a_real_frontline_snapshot_adds_frontline_distances(tmp_path):
    snapshot = shared_path("frontline", "deepstate_2025-05-20.geojson")
    result = run([ROOT / "seeds" / "2025-05-20_seed_trump_putin_call.md"], out_dir=tmp_path,
                 frontline=[snapshot])
    pokrovsk = _rows(result.timeline, "Pokrovsk").iloc[0]
    assert pokrovsk["frontline_date"] == "2025-05-20"
    assert pokrovsk["frontline_side"] == "free"
    # Pokrovsk was a few km from the front line in May 2025.
    assert 0 < pokrovsk["dist_frontline_km"] < 15


def test_tracker_run_as_a_real_process(tmp_path):
    completed = subprocess.run(
        [sys.executable, "-m", "tracker", "run", "--out", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert completed.returncode == 0, completed.stderr
    assert "reports" in completed.stderr
    assert (tmp_path / "map.html").exists()


def test_frontline_for_picks_the_latest_snapshot_on_or_before_the_date():
    import datetime as dt
    from dataclasses import dataclass

    from shapely.geometry import box

    from tracker.pipeline import frontline_for

    @dataclass
    class Snap:
        date: dt.date
        geometry: object
        kind: str = "occupied"

    early = Snap(dt.date(2025, 5, 1), box(37.5, 47.5, 38.5, 48.5))
    later = Snap(dt.date(2025, 6, 1), box(37.3, 47.5, 38.5, 48.5))
    grey = Snap(dt.date(2025, 5, 20), box(30.0, 45.0, 31.0, 46.0), "greyzone")
    snaps = [later, grey, early]
    assert frontline_for(dt.date(2025, 5, 20), []) is None
    west = frontline_for(dt.date(2025, 5, 20), snaps).bounds[0]
    assert west == pytest.approx(37.5)
    assert frontline_for(dt.date(2025, 6, 2), snaps).bounds[0] == pytest.approx(37.3)
    # Before every snapshot: the earliest one.
    assert frontline_for(dt.date(2025, 1, 1), snaps).bounds[0] == pytest.approx(37.5)
