"""A non-editable install ships the data: build the wheel, install it into a fresh virtual
environment and run ``tracker gazetteer lookup Pokrovsk`` from another directory."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from tracker.models import LOOKUP_COLUMNS

ROOT = Path(__file__).resolve().parent.parent


def _run(cmd, **kwargs):
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600, **kwargs)
    return proc


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """Build the wheel from a copy of the sources (the checkout stays clean)."""
    src = tmp_path_factory.mktemp("src")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, src / name)
    for folder in ("tracker", "data"):
        shutil.copytree(ROOT / folder, src / folder,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    out = tmp_path_factory.mktemp("dist")
    # PyPI supplies the build backend in an isolated environment; without it, fall back to
    # the setuptools already installed (offline machines).
    proc = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out),
                 str(src)])
    if proc.returncode != 0:
        proc = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                     "--quiet", "-w", str(out), str(src)])
    if proc.returncode != 0:
        message = f"cannot build the wheel:\n{proc.stderr[-2000:]}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return next(out.glob("tracker-*.whl"))


def test_wheel_contains_the_data(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    for data in ("places.parquet", "names.parquet", "admin1.geojson", "PROVENANCE.md"):
        assert f"tracker/_data/{data}" in names, data
    assert not any(n.startswith(("tests/", "scripts/", "data/")) for n in names)


def test_installed_wheel_looks_up_pokrovsk_from_elsewhere(wheel, tmp_path):
    venv = tmp_path / "venv"
    proc = _run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    assert proc.returncode == 0, proc.stderr
    bindir = venv / ("Scripts" if os.name == "nt" else "bin")
    python = bindir / ("python.exe" if os.name == "nt" else "python")
    # The dependencies come from this environment's site-packages (a plain path entry, so
    # the editable install of the checkout stays inactive); the wheel goes into the venv.
    site = Path(_run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()"
                                         "['purelib'])"]).stdout.strip())
    (site / "_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    proc = _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
                 "--quiet", str(wheel)])
    assert proc.returncode == 0, proc.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "TRACKER_GAZETTEER_EXTRA")}
    where = _run([str(python), "-c", "import tracker.gazetteer as g; print(g.__file__)"],
                 cwd=elsewhere, env=env)
    assert Path(where.stdout.strip()).is_relative_to(venv), where.stdout + where.stderr
    proc = _run([str(bindir / "tracker"), "gazetteer", "lookup", "Pokrovsk", "--limit", "1"],
                cwd=elsewhere, env=env)
    assert proc.returncode == 0, proc.stderr
    frame = pd.read_csv(io.StringIO(proc.stdout))
    assert list(frame.columns) == LOOKUP_COLUMNS
    best = frame.iloc[0]
    assert (best["name"], best["admin1"], best["country"]) == ("Pokrovsk", "Donetsk", "UA")
