"""tracker update killed with SIGKILL at random moments, and two updates at once.

The children are real ``tracker update`` command processes (the Typer app, the
store, the lock, the atomic outputs), with the pipeline stages replaced by the
deterministic fakes of ``test_update_fakes`` so that each run is short.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time

import pandas as pd
import pytest

from tests import test_update_fakes as fakes
from tests.conftest import ROOT
from tracker.update import update

CHILD = ("import sys; sys.path.insert(0, sys.argv.pop(1)); "
         "from tests import test_update_fakes as f; f.install(); "
         "from tracker.cli import main; sys.argv = ['tracker', *sys.argv[1:]]; main()")


def _start(tmp_path, *extra, delay="0.01"):
    env = {**os.environ, "TRACKER_FAKE_DELAY": delay}
    args = [sys.executable, "-c", CHILD, str(ROOT), "update", "--inbox", str(tmp_path / "inbox"),
            "--store", str(tmp_path / "store.sqlite"), "--out", str(tmp_path / "out"), *extra]
    return subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def _integrity(path) -> str:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


@pytest.mark.slow
def test_sigkill_at_random_moments_then_converges(tmp_path):
    rng = random.Random(20250520)
    total, chunk, kills, runs, inside = 300, 12, 0, 0, 0
    lock = tmp_path / "store.sqlite.lock"
    written = 0
    while written < total or kills < 20:
        if written < total:
            fakes.write_reports(tmp_path / "inbox", written, min(chunk, total - written))
            written = min(total, written + chunk)
        child = _start(tmp_path)
        if rng.random() < 0.25:  # anywhere, start-up and input loading included
            time.sleep(rng.uniform(0.1, 1.5))
        else:  # once it holds the store: ingesting, building or writing outputs
            deadline = time.monotonic() + 10
            while child.poll() is None and time.monotonic() < deadline and not (
                    lock.exists() and lock.read_text().strip() == str(child.pid)):
                time.sleep(0.005)
            time.sleep(rng.uniform(0.0, 0.5))
        runs += 1
        if child.poll() is None:
            holding = lock.exists() and lock.read_text().strip() == str(child.pid)
            child.send_signal(signal.SIGKILL)
            kills += 1
            inside += holding  # killed while it held the store: mid-update
        child.communicate()
        store = tmp_path / "store.sqlite"
        if store.exists():
            assert _integrity(store) == "ok"
        timeline = tmp_path / "out" / "timeline.csv"
        if timeline.exists():  # atomic: always a whole file
            frame = pd.read_csv(timeline)
            assert frame["event_id"].is_unique
        assert runs < 60, "too few kills landed"
    assert kills >= 20
    assert inside >= 10, f"only {inside} of {kills} kills landed inside an update"
    print(f"{runs} runs, {kills} SIGKILLs, {inside} of them inside an update")
    final = _start(tmp_path, delay="0")
    out, err = final.communicate(timeout=120)
    assert final.returncode == 0, err
    assert _integrity(tmp_path / "store.sqlite") == "ok"
    leftovers = [p.name for p in (tmp_path / "out").iterdir() if p.name.startswith(".timeline")]
    assert leftovers == []

    reference = update(inbox=tmp_path / "inbox", store=tmp_path / "ref.sqlite",
                       out=tmp_path / "ref", stages=fakes.stages())
    assert reference.new_reports == total
    # the outputs come from the store's caches, refreshed run by run between the kills
    for name in ("timeline.csv", "places.csv"):
        assert (tmp_path / "out" / name).read_bytes() == (tmp_path / "ref" / name).read_bytes()
    conn = sqlite3.connect(tmp_path / "store.sqlite")
    assert conn.execute("SELECT count(*) FROM dirty_places").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM reports").fetchone()[0] == total


@pytest.mark.slow
def test_a_second_update_waits_or_exits_clearly_and_never_ingests_twice(tmp_path):
    fakes.write_reports(tmp_path / "inbox", 0, 60)
    first = _start(tmp_path, delay="0.1")  # holds the lock for about six seconds
    lock = tmp_path / "store.sqlite.lock"
    deadline = time.monotonic() + 10
    while not (lock.exists() and lock.read_text().strip() == str(first.pid)):
        assert time.monotonic() < deadline, "the first update never took the lock"
        time.sleep(0.02)
    impatient = _start(tmp_path, "--wait", "0.2")
    patient = _start(tmp_path, "--wait", "60")
    out, err = impatient.communicate(timeout=30)
    assert impatient.returncode == 2
    assert f"is in use by another tracker update (pid {first.pid}); waited 0.2 s" in err
    first_out, _ = first.communicate(timeout=60)
    patient_out, _ = patient.communicate(timeout=60)
    assert first.returncode == 0 and patient.returncode == 0
    assert "new reports: 60 (already known: 0" in first_out
    assert "new reports: 0 (already known: 0, duplicates: 0, unchanged files not read: 60)" \
        in patient_out
    conn = sqlite3.connect(tmp_path / "store.sqlite")
    assert conn.execute("SELECT count(*) FROM reports").fetchone()[0] == 60
