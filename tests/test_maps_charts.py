"""The PNG charts written beside the map."""

from __future__ import annotations

import matplotlib.image as mpimg
import numpy as np
import pandas as pd
import pytest

from tests.browser import synthetic_timeline
from tracker.charts import CHART_FILES, render_charts

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _pixels(path):
    return mpimg.imread(path)[..., :3]


def test_both_charts_are_written_as_png(tmp_path):
    timeline = synthetic_timeline(300, seed=21, days=30)
    paths = render_charts(timeline, tmp_path / "out")
    assert set(paths) == set(CHART_FILES)
    for name, path in paths.items():
        assert path.name == CHART_FILES[name]
        assert path.read_bytes()[:8] == PNG_SIGNATURE
        height, width, _ = _pixels(path).shape
        assert (width, height) == (900, 400)


def test_events_per_day_uses_the_event_type_colours(tmp_path):
    timeline = synthetic_timeline(200, seed=22, days=10)
    timeline["event_type"] = "battle"  # all red bars: #d62728
    path = render_charts(timeline, tmp_path)["events_per_day"]
    pixels = _pixels(path)
    red = np.all(np.abs(pixels - np.array([0xD6, 0x27, 0x28]) / 255) < 0.02, axis=-1)
    assert red.sum() > 2000
    timeline["event_type"] = "negotiation"  # green: #2ca02c, and no red bars left
    pixels = _pixels(render_charts(timeline, tmp_path)["events_per_day"])
    red = np.all(np.abs(pixels - np.array([0xD6, 0x27, 0x28]) / 255) < 0.02, axis=-1)
    green = np.all(np.abs(pixels - np.array([0x2C, 0xA0, 0x2C]) / 255) < 0.02, axis=-1)
    assert red.sum() < 50 < green.sum()


@pytest.mark.parametrize("frame", [
    synthetic_timeline(0),
    pd.DataFrame({"event_date": ["not a date"], "event_type": ["battle"]}),
])
def test_charts_without_usable_events_still_render(tmp_path, frame):
    paths = render_charts(frame, tmp_path)
    assert all(path.stat().st_size > 1000 for path in paths.values())


def test_border_distance_chart_differs_when_places_move(tmp_path):
    timeline = synthetic_timeline(100, seed=23, days=20)
    near = render_charts(timeline, tmp_path / "a")["border_distance"]
    moved = timeline.assign(dist_border_km=timeline["dist_border_km"] * 0.1)
    far = render_charts(moved, tmp_path / "b")["border_distance"]
    assert not np.array_equal(_pixels(near), _pixels(far))
