"""The build step that finds the seat of a raion or hromada from its adjective."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

from build_steps.seats import seat_of  # noqa: E402


def members(*rows: tuple[str, str, str]) -> pd.DataFrame:
    """(code, name, KATOTTG category) rows of a unit's settlements."""
    return pd.DataFrame(rows, columns=["code", "name", "cat"])


@pytest.mark.parametrize(("adjective", "rows", "seat"), [
    # the stem's і is the town's о, and the city comes before a village named after it
    ("Лозівський", [("v", "Лозівське", "C"), ("c", "Лозова", "M")], "c"),
    # two words joined into one adjective; the village named with the adjective is not it
    ("Новослобідська", [("a", "Новослобідське", "X"), ("b", "Нова Слобода", "C")], "b"),
    # the last consonant alternates (Новий Буг -> Новобузька)
    ("Новобузька", [("v", "Новоантонівка", "C"), ("c", "Новий Буг", "M")], "c"),
    # nothing derives clearly: the longest shared beginning, then the bigger settlement
    ("Білоцерківський", [("v", "Біліївка", "C"), ("c", "Біла Церква", "M")], "c"),
    ("Покровська", [("v", "Покровське", "C"), ("c", "Покровськ", "M")], "c"),
])
def test_the_seat_is_the_settlement_the_adjective_derives_from(adjective, rows, seat):
    assert seat_of(members(*rows), adjective, {}) == seat


def test_no_members_no_seat():
    assert seat_of(members(), "Лозівський", {}) is None
