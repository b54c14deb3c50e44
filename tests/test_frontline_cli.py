"""``tracker frontline stats``: in-process and once as a real process."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pandas as pd
import pytest
from shapely.geometry import box, mapping
from typer.testing import CliRunner

from tests.conftest import shared_path
from tracker.cli import app
from tracker.models import FRONTLINE_COLUMNS

runner = CliRunner()


@pytest.fixture
def snapshot_dir(tmp_path):
    for name, geom in (("front_2025-05-20.geojson", box(37.0, 47.9, 37.6, 48.4)),
                       ("front_2025-05-27.geojson", box(36.4, 47.9, 37.6, 48.4))):
        (tmp_path / name).write_text(json.dumps({"type": "Feature", "properties": {},
                                                 "geometry": mapping(geom)}))
    (tmp_path / "broken_2025-05-30.geojson").write_text("{oops")
    return tmp_path


def test_stats_rows_and_broken_file_reported(snapshot_dir):
    result = runner.invoke(app, ["frontline", "stats", str(snapshot_dir), "--city",
                                 "Kramatorsk=48.73106,37.56779"])
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(io.StringIO(result.stdout))
    assert list(frame.columns[:len(FRONTLINE_COLUMNS)]) == FRONTLINE_COLUMNS
    assert frame["date"].tolist() == ["2025-05-20", "2025-05-27"]
    assert frame["border"].tolist() == ["Donetsk|Dnipropetrovsk"] * 2
    assert frame.loc[0, "border_crossed_km"] == 0 and frame.loc[1, "border_crossed_km"] > 40
    assert frame.loc[1, "area_change_km2"] > 0
    assert "kramatorsk_km" in frame.columns
    assert "broken_2025-05-30.geojson: not valid JSON" in " ".join(result.stderr.split())


def test_json_border_option_and_chart(snapshot_dir, tmp_path):
    png = tmp_path / "chart.png"
    result = runner.invoke(app, ["frontline", "stats",
                                 str(snapshot_dir / "front_2025-05-20.geojson"),
                                 "--border", "Dnipropetrovsk/Donetsk", "--format", "json",
                                 "--chart", str(png)])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert rows[0]["border"] == "Dnipropetrovsk|Donetsk" and rows[0]["distance_km"] > 0
    assert png.read_bytes()[:4] == b"\x89PNG"


def test_errors_exit_1(snapshot_dir):
    broken = str(snapshot_dir / "broken_2025-05-30.geojson")
    result = runner.invoke(app, ["frontline", "stats", broken])
    assert result.exit_code == 1 and "no usable snapshot" in result.stderr
    result = runner.invoke(app, ["frontline", "stats", str(snapshot_dir),
                                 "--border", "Kyiv/Donetsk"])
    assert result.exit_code == 1 and "do not touch" in " ".join(result.stderr.split())


def test_help_ends_with_an_example():
    for args in (["frontline", "--help"], ["frontline", "stats", "--help"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 0 and "Example: tracker frontline stats" in " ".join(
            result.output.split())


def test_real_process_on_the_real_snapshot():
    path = shared_path("frontline", "deepstate_2025-05-20.geojson")
    result = subprocess.run([sys.executable, "-m", "tracker", "frontline", "stats", str(path),
                             "--city", "Pokrovsk"],
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    frame = pd.read_csv(io.StringIO(result.stdout))
    row = frame.iloc[0]
    assert row["date"] == "2025-05-20"
    assert row["area_km2"] == pytest.approx(112_864, abs=5)
    assert row["distance_km"] == pytest.approx(3.34, abs=0.01)
    assert 0 < row["pokrovsk_km"] < 10
