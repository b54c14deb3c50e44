"""``tracker distance``: in-process (CliRunner) and once as a real process."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from tracker.cli import app
from tracker.models import DISTANCE_COLUMNS

runner = CliRunner()
POKROVSK = ["--lat", "48.28014", "--lon", "37.17706"]


def _csv(text: str) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(text), keep_default_na=False)


def test_single_point_prints_the_contract_columns():
    result = runner.invoke(app, ["distance", *POKROVSK, "--to", "border:Donetsk/Dnipropetrovsk"])
    assert result.exit_code == 0, result.output
    frame = _csv(result.stdout)
    assert list(frame.columns) == DISTANCE_COLUMNS
    row = frame.iloc[0]
    assert row["border"] == "Donetsk|Dnipropetrovsk"
    assert row["distance_km"] == pytest.approx(19.597, abs=0.001)
    assert (row["nearest_latitude"], row["nearest_longitude"]) == pytest.approx(
        (48.254229, 36.91596), abs=1e-5)


def test_json_format_and_default_target():
    result = runner.invoke(app, ["distance", *POKROVSK, "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert rows[0]["border"] == "Donetsk|Dnipropetrovsk" and rows[0]["distance_km"] > 19


def test_points_file_with_thousands_of_rows(tmp_path):
    rng = np.random.default_rng(5)
    points = pd.DataFrame({"name": [f"p{i}" for i in range(3000)],
                           "latitude": rng.uniform(46.5, 50.5, 3000),
                           "longitude": rng.uniform(25.0, 38.0, 3000)})
    points.loc[7, "latitude"] = np.nan
    path = tmp_path / "points.csv"
    points.to_csv(path, index=False)
    result = runner.invoke(app, ["distance", "--points", str(path), "--to", "country"])
    assert result.exit_code == 0, result.output
    frame = _csv(result.stdout)
    assert len(frame) == 3000 and list(frame.columns) == DISTANCE_COLUMNS
    assert frame.loc[7, "distance_km"] == "" and frame.loc[7, "border"] == ""
    assert set(frame["border"].drop(7)) <= {"Ukraine|Russia", "Ukraine|Belarus",
                                            "Ukraine|Moldova", "Ukraine|Romania",
                                            "Ukraine|Poland", "Ukraine|Hungary",
                                            "Ukraine|Slovakia"}


@pytest.mark.parametrize(("content", "message"), [
    ("latitude,longitude\n48.2,37.1\n48.3,abc\n", r"points.csv:3: longitude 'abc' is not a number"),
    ("lat,lng\n48.2,37.1\n", r"points.csv:1: missing column\(s\) latitude, longitude; found lat"),
    ("latitude,longitude\n95,37.1\n", r"points.csv:2: latitude '95' is not a number in"),
    ("latitude,longitude\n48.2,37.1,5\n", r"points.csv:2: 3 fields, the header has 2"),
    ("latitude,longitude\n\n48.2,37.1\n\n48,\n48,x\n", r"points.csv:6: longitude 'x'"),
    ("", r"points.csv:1: empty file"),
])
def test_bad_csv_names_the_file_and_line(tmp_path, content, message):
    path = tmp_path / "points.csv"
    path.write_text(content, encoding="utf-8")
    result = runner.invoke(app, ["distance", "--points", str(path)])
    assert result.exit_code == 1
    assert result.stdout == ""
    import re

    assert re.search(message, "".join(result.stderr.splitlines())), result.stderr


def test_unknown_border_lists_the_valid_ones():
    result = runner.invoke(app, ["distance", *POKROVSK, "--to", "border:Donetsk/Narnia"])
    assert result.exit_code == 1
    text = " ".join(result.stderr.split())
    assert "unknown unit 'Narnia'" in text and "Dnipropetrovsk/Donetsk" in text


def test_missing_or_conflicting_inputs_are_errors(tmp_path):
    result = runner.invoke(app, ["distance", "--lat", "48.2"])
    assert result.exit_code == 1 and "give --lat and --lon" in result.stderr
    path = tmp_path / "p.csv"
    path.write_text("latitude,longitude\n48,37\n")
    result = runner.invoke(app, ["distance", *POKROVSK, "--points", str(path)])
    assert result.exit_code == 1 and "not both" in result.stderr


def test_points_outside_the_extent_are_reported(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("latitude,longitude\n48.28014,37.17706\n52.2297,21.0122\n")
    result = runner.invoke(app, ["distance", "--points", str(path)])
    assert result.exit_code == 0
    assert "outside the data's extent" in result.stderr and "#1 (52.2297, 21.0122)" in (
        result.stderr)


def test_help_ends_with_an_example():
    result = runner.invoke(app, ["distance", "--help"])
    assert result.exit_code == 0
    assert "Example: tracker distance --lat 48.28014" in " ".join(result.output.split())


def test_real_process():
    result = subprocess.run(
        [sys.executable, "-m", "tracker", "distance", *POKROVSK,
         "--to", "border:Donetsk/Dnipropetrovsk"],
        capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[0] == ",".join(DISTANCE_COLUMNS)
    assert lines[1].startswith("48.28014,37.17706,19.597,Donetsk|Dnipropetrovsk,")
