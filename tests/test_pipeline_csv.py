"""pipeline.write_csv: byte-identical to pandas' to_csv for the tables tracker writes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tracker.pipeline import write_csv

TRICKY = ['x\ry', 'p\nq', 'say "hi"', ' lead ', '', 'a,b', '\u2028z', 'tab\there', 'Київ',
          '"', ',', '\n', 'plain']


def _pandas(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False, encoding="utf-8", lineterminator="\n").encode("utf-8")


def _check(frame: pd.DataFrame, tmp_path) -> bytes:
    path = tmp_path / "out.csv"
    write_csv(frame, path)
    assert path.read_bytes() == _pandas(frame)
    return path.read_bytes()


def test_quoting_floats_ints_and_missing_values_match_pandas(tmp_path):
    n = len(TRICKY)
    frame = pd.DataFrame({
        "text": TRICKY,
        "object": pd.Series(TRICKY[::-1], dtype=object).where(np.arange(n) % 3 != 0, None),
        "float": [1.0, 2.5, np.nan, 1e-7, 1e20, 123456789.123, -0.0, 3.0, 0.1 + 0.2, 48.28,
                  37.18, 19.6, np.inf],
        "int": np.arange(n) - 5,
        'odd "name", here': ["v"] * n,
    })
    frame.loc[4, "text"] = np.nan
    written = _check(frame, tmp_path)
    assert b'"say ""hi"""' in written and b'"p\nq"' in written and b"x\ry" in written


def test_empty_frames_and_fallbacks_match_pandas(tmp_path):
    _check(pd.DataFrame({"a": pd.Series(dtype=object), "b": pd.Series(dtype=float)}), tmp_path)
    _check(pd.DataFrame({"only": ["", "x"]}), tmp_path)  # a lone empty field is quoted
    _check(pd.DataFrame({"when": pd.to_datetime(["2025-05-20"]), "ok": [True]}), tmp_path)
    _check(pd.DataFrame({"mixed": ["a", 1.5], "b": [1, 2]}), tmp_path)


def test_real_timeline_and_places_of_a_seed_run_match_pandas(tmp_path):
    from tests.conftest import ROOT
    from tracker.pipeline import run

    result = run([ROOT / "seeds"], out_dir=tmp_path / "out")
    assert len(result.timeline) > 20
    assert (tmp_path / "out" / "timeline.csv").read_bytes() == _pandas(result.timeline)
    assert (tmp_path / "out" / "places.csv").read_bytes() == _pandas(result.places)


@pytest.mark.parametrize("seed", range(5))
def test_random_text_matches_pandas(tmp_path, seed):
    rng = np.random.default_rng(seed)
    alphabet = list('ab ,"\n\r;\'\t\\é') + ["\u2028", "—"]
    texts = ["".join(rng.choice(alphabet, rng.integers(0, 6))) for _ in range(200)]
    frame = pd.DataFrame({"t": texts, "x": rng.normal(size=200) * 10.0 ** rng.integers(-8, 9, 200)})
    _check(frame, tmp_path)
