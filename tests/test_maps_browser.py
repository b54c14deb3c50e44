"""The map in a real headless Chromium, offline (harness: tests/browser.py).

Skipped with a message when Chromium, Playwright or npm is missing, unless
TRACKER_REQUIRE_BROWSER=1 (CI), which turns the skip into a failure.
Screenshots go to ``$TRACKER_ARTIFACTS`` (default: pytest's temporary folder,
``.../artifacts``).
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from shapely.geometry import Polygon, box

from tests.browser import (
    HOSTILE,
    browser_available,
    check_html,
    ensure_assets,
    launch,
    synthetic_places,
    synthetic_timeline,
)
from tests.conftest import shared_path
from tracker import maps_geo
from tracker.maps import render_map

pytestmark = pytest.mark.browser


def _unavailable(reason: str) -> None:
    if os.environ.get("TRACKER_REQUIRE_BROWSER") == "1":
        pytest.fail(f"TRACKER_REQUIRE_BROWSER=1 but the browser check cannot run: {reason}")
    pytest.skip(f"browser check skipped: {reason}")


@pytest.fixture(scope="session")
def chromium():
    """One headless Chromium for the whole session."""
    reason = browser_available()
    if reason:
        _unavailable(reason)
    try:
        ensure_assets()
    except (subprocess.SubprocessError, OSError) as exc:
        _unavailable(f"npm could not install the CDN mirror ({exc})")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def artifacts(tmp_path_factory) -> Path:
    folder = Path(os.environ.get("TRACKER_ARTIFACTS") or tmp_path_factory.mktemp("artifacts"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@dataclass(frozen=True)
class FakeSnapshot:
    """Same attributes as tracker.frontline.Snapshot."""

    date: dt.date
    path: str
    geometry: Any
    kind: str


def _hostile_timeline() -> pd.DataFrame:
    timeline = synthetic_timeline(120, seed=11, days=40, start="2025-04-15")
    row = timeline.iloc[0].to_dict()
    row.update(HOSTILE, event_id="hostile", report_id="r-hostile", event_date="2025-05-20")
    return pd.concat([timeline, pd.DataFrame([row])], ignore_index=True)


def _snapshots() -> list[FakeSnapshot]:
    east = box(37.5, 47.2, 40.0, 49.8)
    return [
        FakeSnapshot(dt.date(2025, 4, 20), "a.geojson", east, "occupied"),
        FakeSnapshot(dt.date(2025, 5, 10), "b.geojson", east.union(box(37.2, 47.8, 37.5, 48.6)),
                     "occupied"),
        FakeSnapshot(dt.date(2025, 5, 10), "g.geojson",
                     Polygon([(37.1, 47.8), (37.2, 47.8), (37.2, 48.6), (37.1, 48.6)]),
                     "greyzone"),
    ]


def _approaches() -> pd.DataFrame:
    return pd.DataFrame({
        "date": ["2025-04-20", "2025-05-10"], "border": ["Donetsk|Dnipropetrovsk"] * 2,
        "distance_km": [30.1, 9.8], "occupied_latitude": [48.0, 48.0],
        "occupied_longitude": [37.5, 37.2], "border_latitude": [48.0, 48.0],
        "border_longitude": [37.1, 37.07],
    })


@pytest.fixture(scope="module")
def full_map(tmp_path_factory) -> tuple[Path, pd.DataFrame, pd.DataFrame]:
    timeline = _hostile_timeline()
    places = synthetic_places(timeline)
    out = tmp_path_factory.mktemp("map") / "map.html"
    render_map(timeline, places, out, snapshots=_snapshots(), approaches=_approaches())
    return out, timeline, places


def test_map_initialises_with_every_part(chromium, full_map, artifacts):
    path, timeline, places = full_map
    result = check_html(path, browser=chromium, screenshot=artifacts / "map_full.png")
    assert result.ok, result.explain()
    probe = result.probe
    assert probe["leaflet"] and probe["registry"]
    assert probe["eventCount"] == probe["eventMarkers"] == len(timeline)
    assert probe["admin1Features"] == 33
    expected_border = len(maps_geo.international_border(maps_geo.admin1_frame()))
    assert probe["borderLines"] == expected_border > 0
    assert probe["overlayPaths"] >= 33 + expected_border
    assert probe["slider"] and probe["layerControl"] and probe["legend"]
    assert probe["minimap"] and probe["fullscreen"] and probe["measure"]
    assert probe["times"] == len(set(timeline["event_date"]) | {"2025-04-20", "2025-05-10"})
    assert probe["controlPlaces"] == len(places)
    within = (places["dist_border_km"] <= 25).sum()
    assert probe["distanceLines"] == within
    assert all(" km to the " in label for label in probe["distanceLabels"])
    assert "reports" in probe["title"] and timeline["event_date"].min() in probe["title"]
    # the slider starts at the latest report: the snapshots and approach line as of then
    assert probe["sliderDate"] == timeline["event_date"].max()
    assert probe["occupiedDate"] == "2025-05-10" == probe["greyDate"] == probe["approachDate"]
    assert probe["pwned"] is None
    assert result.screenshot.stat().st_size > 10_000


def test_hostile_report_renders_as_text_and_never_runs(chromium, full_map):
    path, timeline, _ = full_map
    # open every event's popup and every place popup: escaped text must stay text
    open_all = """() => {
        const t = window.tracker, D = t.events;
        const texts = [];
        for (let i = 0; i < D.n; i++) {
            D.openPopup(t.map, [D.lat[i], D.lon[i]], i);
            texts.push(document.querySelector('.leaflet-popup-content').innerText);
        }
        t.layers.control.eachLayer(l => { l.openPopup(); });
        window.__popupTexts = texts;
    }"""
    result = check_html(path, browser=chromium, before_probe=open_all)
    assert result.ok, result.explain()
    assert result.probe["pwned"] is None
    assert not result.dialogs


def test_hostile_popup_shows_the_literal_text(chromium, full_map, artifacts):
    path, _, _ = full_map
    show = """() => {
        const t = window.tracker, D = t.events, S = D.s;
        const i = D.source.findIndex(k => S[k].includes('onerror'));
        D.openPopup(t.map, [D.lat[i], D.lon[i]], i);
        const content = document.querySelector('.leaflet-popup-content');
        window.__popup = {text: content.innerText, links: content.querySelectorAll('a').length,
                          imgs: content.querySelectorAll('img, script, svg, iframe').length};
    }"""
    result = check_html(path, browser=chromium, before_probe=show, collect="() => window.__popup",
                        screenshot=artifacts / "map_hostile_popup.png")
    assert result.ok, result.explain()
    popup = result.collected
    assert HOSTILE["quote"] in popup["text"]
    assert HOSTILE["source"] in popup["text"]
    assert popup["links"] == 0  # its URL is javascript:, so no link
    assert popup["imgs"] == 0


def test_slider_moves_events_and_snapshots(chromium, full_map):
    path, timeline, _ = full_map
    move = """() => {
        const td = window.tracker.map.timeDimension;
        td.setCurrentTime(Date.parse('2025-04-25T00:00:00Z'));
    }"""
    result = check_html(path, browser=chromium, before_probe=move)
    assert result.ok, result.explain()
    # the slider snaps to the first event or snapshot date on or after the one asked for
    shown = pd.Timestamp(result.probe["sliderDate"])
    assert shown == min(pd.Timestamp(d) for d in timeline["event_date"] if d >= "2025-04-25")
    dates = pd.to_datetime(timeline["event_date"])
    in_window = (dates > shown - pd.Timedelta(days=7)) & (dates <= shown)
    assert result.probe["windowShown"] == in_window.sum() > 0
    assert result.probe["occupiedDate"] == "2025-04-20"
    assert result.probe["greyDate"] is None  # no grey-zone snapshot before 2025-05-10


def test_play_button_and_layer_control_work(chromium, full_map):
    path, _, _ = full_map
    use = """async () => {
        const t = window.tracker, td = t.map.timeDimension;
        const markers = () => document.querySelectorAll(
            '.leaflet-marker-pane .tracker-ev, .leaflet-marker-pane .marker-cluster').length;
        td.setCurrentTimeIndex(0);
        const first = td.getCurrentTime();
        document.querySelector('.timecontrol-play').click();
        await new Promise(r => setTimeout(r, 2500));
        document.querySelector('.timecontrol-play').click();
        const after = td.getCurrentTime();
        const label = [...document.querySelectorAll('.leaflet-control-layers-overlays label')]
            .find(l => l.textContent.includes('Events (all, clustered)'));
        const before = markers();
        label.querySelector('input').click();
        window.__ui = {first, after, before, off: markers(),
                       onMap: t.map.hasLayer(t.layers.events)};
    }"""
    result = check_html(path, browser=chromium, before_probe=use, collect="() => window.__ui")
    assert result.ok, result.explain()
    ui = result.collected
    assert ui["after"] > ui["first"], "play did not advance the slider"
    assert ui["before"] > 0 and ui["off"] == 0 and ui["onMap"] is False


def test_fifty_thousand_events_interactive(chromium, tmp_path, artifacts):
    timeline = synthetic_timeline(50_000, seed=12)
    path = render_map(timeline, synthetic_places(timeline), tmp_path / "map.html", charts=False)
    result = check_html(path, browser=chromium, screenshot=artifacts / "map_50k.png")
    assert result.ok, result.explain()
    assert result.probe["eventMarkers"] == 50_000
    # printed, not asserted: timings belong to benchmarks/map_scale.py
    print(f"50k events: load {result.load_s:.2f} s, interactive {result.interactive_s:.2f} s, "
          f"{path.stat().st_size / 1e6:.1f} MB")


def test_real_frontline_snapshots(chromium, tmp_path):
    folder = shared_path("frontline")
    import geopandas as gpd
    import shapely

    snaps = []
    for name, kind in (("deepstate_2025-05-19.geojson", "occupied"),
                       ("deepstate_2025-05-20.geojson", "occupied"),
                       ("deepstate_greyzone_2025-05-20.geojson", "greyzone")):
        geometry = shapely.union_all(gpd.read_file(folder / name).geometry.to_numpy())
        date = dt.date.fromisoformat(name[-18:-8])
        snaps.append(FakeSnapshot(date, str(folder / name), geometry, kind))
    timeline = synthetic_timeline(200, seed=13, days=3, start="2025-05-18")
    path = render_map(timeline, synthetic_places(timeline), tmp_path / "map.html",
                      snapshots=snaps, charts=False)
    result = check_html(path, browser=chromium)
    assert result.ok, result.explain()
    assert result.probe["occupiedDate"] == "2025-05-20" == result.probe["greyDate"]
    assert path.stat().st_size < 3e6


def test_a_broken_page_fails_the_check(chromium, tmp_path):
    """The check itself can fail: a JS error, an unknown URL and an executed payload are seen."""
    page = tmp_path / "broken.html"
    page.write_text(
        "<html><head><script src='https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js'>"
        "</script><script src='https://unknown.example/x.js'></script></head><body>"
        "<img src=x onerror=\"window.__pwned='img'\"><script>window.tracker = {layers: {}};"
        "undefinedFunction();</script></body></html>"
    )
    result = check_html(page, browser=chromium, ready_timeout_s=5)
    assert not result.ok
    assert any("unknown.example" in url for url in result.unmapped)
    assert any("undefinedFunction" in error for error in result.page_errors)
    assert result.probe["pwned"] == "img"

