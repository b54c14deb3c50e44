"""``tracker geocode``: in-process (CliRunner) over every report format, and once as a process."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pandas as pd
import pytest
from typer.testing import CliRunner

from tracker.cli import app
from tracker.models import GEOCODE_COLUMNS

from .conftest import ROOT

runner = CliRunner()

MD = """---
date: 2025-05-21
source: ISW
id: isw-0521
---
Russian forces attacked near Pokrovsk and Kotliarivka, in the Donetsk region.
"""
JSONL = ('{"date": "2025-05-22", "id": "gs-1", "text": "Fighting near Kupiansk-Vuzlovyi and '
         'in the Kupyansk direction."}\n'
         '{"date": "2025-05-22", "text": "Taras Shevchenko said Russia shelled Kharkiv."}\n')
CSV = ("date,text,source\n"
       '2025-05-23,"Drones hit Sumy and the Sumy region, officials said.",regional\n')


@pytest.fixture
def reports(tmp_path):
    (tmp_path / "a.md").write_text(MD, encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(JSONL, encoding="utf-8")
    (tmp_path / "c.csv").write_text(CSV, encoding="utf-8")
    return tmp_path


def _csv(text: str) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(text), keep_default_na=False)


def test_every_format_in_a_folder(reports):
    result = runner.invoke(app, ["geocode", str(reports)])
    assert result.exit_code == 0, result.output
    frame = _csv(result.stdout)
    assert list(frame.columns) == GEOCODE_COLUMNS
    by_report = frame.groupby("report_id")["name"].apply(list).to_dict()
    assert by_report["isw-0521"] == ["Pokrovsk", "Kotliarivka", "Donetsk Oblast"]
    assert by_report["gs-1"] == ["Kupiansk-Vuzlovyi", "Kupiansk"]
    csv_rows = frame[frame["mention"].isin(["Sumy", "Sumy region"])]
    assert csv_rows[["mention", "kind"]].values.tolist() == [["Sumy", "settlement"],
                                                            ["Sumy region", "oblast"]]
    assert "Shevchenko" not in set(frame["mention"])
    assert set(frame.loc[frame["mention"] == "Kharkiv", "kind"]) == {"settlement"}


def test_rows_keep_their_report_across_reports_without_places(tmp_path):
    lines = [{"id": "first", "date": "2025-05-20", "text": "Shelling hit Pokrovsk."},
             {"id": "empty", "date": "2025-05-20", "text": "Nothing to see here."},
             {"id": "last", "date": "2025-05-20", "text": "Drones hit Sumy and Kharkiv."}]
    path = tmp_path / "r.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    for extra in ([], ["--explain"]):
        frame = _csv(runner.invoke(app, ["geocode", str(path), *extra]).stdout)
        placed = frame[frame["place_id"].notna()]
        assert placed[["report_id", "mention"]].values.tolist() == [
            ["first", "Pokrovsk"], ["last", "Sumy"], ["last", "Kharkiv"]]
    (tmp_path / "n.jsonl").write_text(json.dumps(lines[1]) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["geocode", str(tmp_path / "n.jsonl")])
    assert result.exit_code == 0 and result.stdout.strip() == ",".join(GEOCODE_COLUMNS)


def test_offsets_point_into_the_report_text(reports):
    result = runner.invoke(app, ["geocode", str(reports / "a.md")])
    frame = _csv(result.stdout)
    body = MD.split("---\n", 2)[2]
    for row in frame.itertuples():
        assert body[row.start:row.end] == row.mention


def test_unreadable_file_is_named_and_the_rest_is_processed(reports, tmp_path):
    bad = tmp_path / "bad.md"
    bad.write_text("---\ndate: someday\n---\nPokrovsk.\n", encoding="utf-8")
    missing = tmp_path / "missing.txt"
    result = runner.invoke(app, ["geocode", str(reports / "a.md"), str(bad), str(missing)])
    assert result.exit_code == 1
    assert "bad.md" in result.stderr and "missing.txt" in result.stderr
    assert set(_csv(result.stdout)["report_id"]) == {"isw-0521"}


def test_json_and_explain(reports):
    result = runner.invoke(app, ["geocode", str(reports / "b.jsonl"), "--format", "json",
                                 "--explain"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert set(rows[0]) == {*GEOCODE_COLUMNS, "reason"}
    person = [r for r in rows if r["mention"] == "Shevchenko"]
    assert person and person[0]["place_id"] == "" and "longer name" in person[0]["reason"]
    kupiansk = [r for r in rows if r["name"] == "Kupiansk"][0]
    assert "direction" in kupiansk["reason"] and kupiansk["geo_precision"] == 2


def test_help_has_an_example():
    result = runner.invoke(app, ["geocode", "--help"])
    assert result.exit_code == 0 and "Example: tracker geocode" in result.stdout


def test_real_process_on_the_seed():
    seed = ROOT / "seeds" / "2025-05-20_seed_trump_putin_call.md"
    done = subprocess.run([sys.executable, "-m", "tracker", "geocode", str(seed)],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    frame = _csv(done.stdout)
    assert {"Pokrovsk", "Toretsk", "Donetsk Oblast", "Kyiv", "Istanbul"} <= set(frame["name"])
    assert not {"Trump", "Putin", "Taylor", "Lee"} & set(frame["mention"])
