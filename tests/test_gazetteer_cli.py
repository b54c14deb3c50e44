"""``tracker gazetteer lookup`` in-process (CliRunner) and as a real process."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import pandas as pd
import pytest
from typer.testing import CliRunner

from tracker.cli import app
from tracker.models import LOOKUP_COLUMNS

runner = CliRunner()


def lookup(*args, env=None):
    return runner.invoke(app, ["gazetteer", "lookup", *args], env=env)


def table(result) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(result.stdout), dtype={"place_id": str})


def test_csv_contract():
    result = lookup("Pokrovsk", "Kup'iansk", "--limit", "2")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == ",".join(LOOKUP_COLUMNS)
    frame = table(result)
    assert frame["query"].tolist() == ["Pokrovsk"] * 2 + ["Kup'iansk"] * 2
    assert frame["rank"].tolist() == [1, 2, 1, 2]
    best = frame[frame["rank"] == 1].set_index("query")
    assert best.loc["Pokrovsk", "name"] == "Pokrovsk"
    assert best.loc["Pokrovsk", "admin1"] == "Donetsk"
    assert best.loc["Kup'iansk", "name"] == "Kupiansk"
    assert (best["country"] == "UA").all() and (best["geo_precision"] == 1).all()


def test_json_has_the_same_columns():
    result = lookup("Sudzha", "--format", "json", "-n", "1")
    assert result.exit_code == 0, result.output
    records = json.loads(result.stdout)
    assert [list(r) for r in records] == [LOOKUP_COLUMNS]
    assert records[0]["admin1"] == "Kursk" and records[0]["country"] == "RU"


def test_unknown_name_goes_to_stderr_and_others_still_print():
    result = lookup("Qqxzzywv", "Toretsk", "-n", "1")
    assert result.exit_code == 0
    assert "no candidate for 'Qqxzzywv'" in result.stderr
    assert table(result)["query"].tolist() == ["Toretsk"]


def test_only_unknown_names_exit_1_with_header_only():
    result = lookup("Qqxzzywv")
    assert result.exit_code == 1
    assert result.stdout.strip() == ",".join(LOOKUP_COLUMNS)
    assert "no candidate for 'Qqxzzywv'" in result.stderr


@pytest.mark.parametrize("name", ["", "   ", "--"])
def test_empty_name_is_a_clear_error(name):
    result = lookup("Pokrovsk", name) if name != "--" else lookup("Pokrovsk", "--", "'")
    assert result.exit_code == 1
    assert "error: empty place name" in result.stderr
    assert "Traceback" not in result.output


def test_missing_name_and_bad_limit_are_usage_errors():
    assert lookup().exit_code == 2
    assert lookup("Pokrovsk", "--limit", "0").exit_code == 2
    assert lookup("Pokrovsk", "--format", "xml").exit_code == 2


def test_gazetteer_extra_option(tmp_path):
    extra = tmp_path / "mine.csv"
    extra.write_text("name,latitude,longitude,aliases\nHill 214.9,48.31,37.90,Height 214.9\n",
                     encoding="utf-8")
    result = lookup("Height 214.9", "--gazetteer-extra", str(extra))
    assert result.exit_code == 0, result.output
    best = table(result).iloc[0]
    assert (best["name"], best["source"], best["admin1"]) == ("Hill 214.9", "extra", "Donetsk")


def test_bad_extra_file_names_file_and_line(tmp_path):
    extra = tmp_path / "bad.csv"
    extra.write_text("name,latitude,longitude\nA,48,37\nB,forty,37\n", encoding="utf-8")
    result = lookup("Pokrovsk", "--gazetteer-extra", str(extra))
    assert result.exit_code == 1
    assert f"error: {extra}:3: latitude 'forty' is not a number" in " ".join(
        result.stderr.split())
    assert "Traceback" not in result.output
    missing = lookup("Pokrovsk", "--gazetteer-extra", str(tmp_path / "none.csv"))
    assert missing.exit_code == 1 and "extra places file not found" in missing.stderr


def test_extra_file_from_environment(tmp_path):
    extra = tmp_path / "env.csv"
    extra.write_text("name,latitude,longitude\nQuarry Zzyx,48.5,37.5\n", encoding="utf-8")
    result = lookup("Quarry Zzyx", env={"TRACKER_GAZETTEER_EXTRA": str(extra)})
    assert result.exit_code == 0, result.output
    assert table(result).iloc[0]["source"] == "extra"


def test_real_process_from_another_directory(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "TRACKER_GAZETTEER_EXTRA"}
    proc = subprocess.run(
        [sys.executable, "-m", "tracker", "gazetteer", "lookup", "Dzerzhynsk", "Qqxzzywv",
         "-n", "2"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120, env=env,
    )
    assert proc.returncode == 0, proc.stderr
    frame = pd.read_csv(io.StringIO(proc.stdout))
    assert list(frame.columns) == LOOKUP_COLUMNS
    assert frame.iloc[0][["name", "admin1"]].tolist() == ["Toretsk", "Donetsk"]
    assert "no candidate for 'Qqxzzywv'" in proc.stderr
    assert "Traceback" not in proc.stderr
