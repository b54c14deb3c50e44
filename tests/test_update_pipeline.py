"""tracker update with the real pipeline (gazetteer, geoparser, events, timeline, map)."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pandas as pd
import pytest

from tests.conftest import ROOT
from tracker.models import TIMELINE_COLUMNS
from tracker.reports import load_reports
from tracker.store import Store


@pytest.fixture
def inbox(tmp_path):
    folder = tmp_path / "inbox"
    shutil.copytree(ROOT / "seeds", folder)
    return folder


def _tracker(*args, env=None):
    return subprocess.run([sys.executable, "-m", "tracker", *map(str, args)], capture_output=True,
                          text=True, timeout=300, env=env)


@pytest.mark.slow
def test_real_update_twice_then_one_new_report(tmp_path, inbox):
    store, out = tmp_path / "store.sqlite", tmp_path / "out"
    first = _tracker("update", "--inbox", inbox, "--store", store, "--out", out)
    assert first.returncode == 0, first.stderr
    assert "refused inputs: 0" in first.stdout
    timeline = pd.read_csv(out / "timeline.csv")
    assert list(timeline.columns[:len(TIMELINE_COLUMNS)]) == TIMELINE_COLUMNS
    assert {"Pokrovsk", "Toretsk"} <= set(timeline["place_name"])
    for name in ("map.html", "places.csv"):
        assert (out / name).stat().st_size > 0
    before = (out / "timeline.csv").read_bytes()
    with Store(store) as db:
        counts = db.counts()
    assert counts["reports"] == len(load_reports(inbox).reports) >= 10

    second = _tracker("update", "--inbox", inbox, "--store", store, "--out", out)
    assert second.returncode == 0, second.stderr
    assert "new reports: 0" in second.stdout and "outputs: unchanged" in second.stdout
    assert (out / "timeline.csv").read_bytes() == before
    with Store(store) as db:
        assert db.counts() == counts

    (inbox / "new.md").write_text("---\ndate: 2025-05-25\nsource: test\n---\nHeavy battles "
                                  "raged near Kostiantynivka.\n", encoding="utf-8")
    third = _tracker("update", "--inbox", inbox, "--store", store, "--out", out)
    assert third.returncode == 0, third.stderr
    assert "new reports: 1 (already known:" in third.stdout
    timeline = pd.read_csv(out / "timeline.csv")
    assert "Kostiantynivka" in set(timeline["place_name"])
    assert len(timeline) > len(pd.read_csv(pd.io.common.BytesIO(before)))
    current = (out / "timeline.csv").read_bytes()

    # --reprocess rebuilds everything from the stored texts, without the inbox
    shutil.rmtree(inbox)
    again = _tracker("update", "--store", store, "--out", out, "--reprocess")
    assert again.returncode == 0, again.stderr
    assert (out / "timeline.csv").read_bytes().decode().splitlines() == \
        current.decode().splitlines()
