"""The code stays ruff-clean (pyflakes, pycodestyle, isort, bugbear, numpydoc docstrings...)."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def _ruff(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ruff", *args], capture_output=True, text=True,
                          timeout=120, cwd=ROOT)


def test_ruff_check_passes():
    completed = _ruff("check", "--no-cache", str(ROOT))
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_ruff_would_notice_an_unused_import(tmp_path):
    # The check above can fail: ruff flags a module with an unused import.
    bad = tmp_path / "bad.py"
    bad.write_text('"""Module."""\n\nimport os\n', encoding="utf-8")
    completed = _ruff("check", "--no-cache", "--isolated", "--select", "F401", str(bad))
    assert completed.returncode == 1
    assert "F401" in completed.stdout
