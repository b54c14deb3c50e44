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


@pytest.mark.slow
def test_real_update_killed_three_times_converges(tmp_path, inbox):
    import random
    import signal
    import time

    for n in range(30):
        (inbox / f"extra_{n:02d}.md").write_text(
            f"---\ndate: 2025-06-{1 + n % 28:02d}\nsource: test\n---\nHeavy battles raged near "
            f"{['Pokrovsk', 'Toretsk', 'Kupiansk'][n % 3]} (report {n}). Russian forces "
            f"advanced toward Kostiantynivka.\n", encoding="utf-8")
    store, out = tmp_path / "store.sqlite", tmp_path / "out"
    rng = random.Random(7)
    kills = 0
    for _ in range(3):
        child = subprocess.Popen([sys.executable, "-m", "tracker", "update", "--inbox", str(inbox),
                                  "--store", str(store), "--out", str(out), "--quiet"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        lock = tmp_path / "store.sqlite.lock"
        deadline = time.monotonic() + 60
        while child.poll() is None and time.monotonic() < deadline and not (
                lock.exists() and lock.read_text().strip() == str(child.pid)):
            time.sleep(0.01)
        time.sleep(rng.uniform(0.0, 3.0))  # inside the update: ingesting, building, writing
        if child.poll() is None:
            child.send_signal(signal.SIGKILL)
            kills += 1
        child.wait()
    final = _tracker("update", "--inbox", inbox, "--store", store, "--out", out)
    assert final.returncode == 0, final.stderr
    assert not [p.name for p in out.iterdir() if p.name.startswith(".") and
                not p.name == ".tracker-update.json"]
    reference = _tracker("update", "--inbox", inbox, "--store", tmp_path / "ref.sqlite", "--out",
                         tmp_path / "ref")
    assert reference.returncode == 0, reference.stderr
    assert (out / "timeline.csv").read_bytes() == (tmp_path / "ref" / "timeline.csv").read_bytes()
    assert (out / "places.csv").read_bytes() == (tmp_path / "ref" / "places.csv").read_bytes()
    assert kills >= 2
    print(f"{kills} of 3 runs killed inside an update")


def test_update_with_a_frontline_folder_matches_run_with_the_same_snapshot(tmp_path):
    from tests.conftest import shared_path
    from tracker.pipeline import run
    from tracker.update import update

    snapshot = shared_path("frontline", "deepstate_2025-05-20.geojson")
    folder = tmp_path / "frontline"
    folder.mkdir()
    shutil.copy(snapshot, folder / snapshot.name)
    run([ROOT / "seeds"], out_dir=tmp_path / "run", frontline=[folder / snapshot.name])
    update(inbox=ROOT / "seeds", frontline_dir=folder, store=tmp_path / "s.sqlite",
           out=tmp_path / "upd")
    assert ((tmp_path / "run" / "timeline.csv").read_bytes()
            == (tmp_path / "upd" / "timeline.csv").read_bytes())
