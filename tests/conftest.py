"""Shared fixtures: tiny hand-made places and oblasts, and the real data beside the repo.

Real data in ../shared (corpus, front-line snapshots) is used when present; its
tests skip with a message otherwise, unless CI is set (then missing data fails).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from shapely.geometry import box

from tracker.models import Place

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


def shared_path(*parts: str) -> Path:
    """Path under ../shared; skip the test when it is missing (fail in CI)."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but {path} is missing")
        pytest.skip(f"{path} not present")
    return path


@pytest.fixture
def toy_places() -> list[Place]:
    """Five places, two of them villages called Novoselivka in different oblasts."""
    return [
        Place("t:pokrovsk", "Pokrovsk", "settlement", "Donetsk", "UA", 48.28014, 37.17706, 60127),
        Place("t:toretsk", "Toretsk", "settlement", "Donetsk", "UA", 48.39776, 37.84700, 30914),
        Place("t:novoselivka-dn", "Novoselivka", "settlement", "Donetsk", "UA", 48.0500, 37.5500,
              600),
        Place("t:novoselivka-kh", "Novoselivka", "settlement", "Kharkiv", "UA", 49.8000, 37.7000,
              400),
        Place("admin1:Donetsk", "Donetsk", "oblast", "Donetsk", "UA", 48.0, 37.8, 0, 3),
    ]


@pytest.fixture
def toy_oblasts():
    """Two adjacent square 'oblasts' sharing the meridian 37E."""
    import geopandas as gpd

    return gpd.GeoDataFrame(
        {"admin1": ["West", "East"], "country": ["UA", "UA"]},
        geometry=[box(36.0, 47.0, 37.0, 49.0), box(37.0, 47.0, 38.0, 49.0)],
        crs="EPSG:4326",
    )


@pytest.fixture
def seed_path() -> Path:
    """The project's own copy of the seed article."""
    return ROOT / "seeds" / "2025-05-20_seed_trump_putin_call.md"


@pytest.fixture(autouse=True)
def _doctest_namespace(doctest_namespace):
    import numpy as np
    import pandas as pd

    doctest_namespace["np"] = np
    doctest_namespace["pd"] = pd
