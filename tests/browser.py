"""Offline headless-Chromium check of folium HTML maps (Playwright + Debian's chromium).

How it works (see ../shared/browser_test_recipe.md): the page is opened from its
``file://`` URL (Chromium reads it from disk, as a user's browser would); one
``page.route("**/*")`` answers every other request: folium's CDN
URLs with files of the same versions from npm packages (installed on first use
into ``$FOLIUM_ASSETS_DIR``, default ``~/.cache/folium-cdn-mirror``; nothing is
vendored into the repo), map tiles with a blank PNG, and anything else is
aborted and listed in ``unmapped`` (which fails the check).  After ``load`` a
probe reads ``window.tracker`` (the registry the map writes) and the DOM.

Used by tests/test_maps_browser.py (one browser per session) and
benchmarks/map_scale.py.  Never runs ``playwright install``: the browser is
``/usr/bin/chromium`` (``$CHROMIUM``).
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ASSETS_DIR = Path(os.environ.get("FOLIUM_ASSETS_DIR", Path.home() / ".cache/folium-cdn-mirror"))

#: npm packages (exact versions) that stand in for folium 0.20's CDN files.
NPM_PACKAGES = {
    "leaflet": "1.9.3",
    "jquery": "3.7.1",
    "bootstrap": "5.2.2",
    "@fortawesome/fontawesome-free": "6.2.0",
    "drmonty-leaflet-awesome-markers": "2.0.2",
    "@neos21/bootstrap3-glyphicons": "1.0.7",
    "jquery-ui-dist": "1.12.1",
    "iso8601-js-period": "0.2.1",
    "leaflet-timedimension": "1.1.1",
    "moment": "2.18.1",
    "highlight.js": "8.4.0",
    "leaflet.markercluster": "1.5.3",
    "leaflet.markercluster-1.1.0": "npm:leaflet.markercluster@1.1.0",
    "leaflet.fullscreen": "3.0.0",
    "leaflet-minimap": "3.6.1",
    "leaflet-measure": "2.1.7",
}

#: URL prefix -> folder under node_modules (the rest of the URL path follows).
PREFIXES = [
    ("https://cdn.jsdelivr.net/npm/leaflet@1.9.3/", "leaflet/"),
    ("https://cdn.jsdelivr.net/npm/bootstrap@5.2.2/", "bootstrap/"),
    ("https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@6.2.0/",
     "@fortawesome/fontawesome-free/"),
    ("https://cdnjs.cloudflare.com/ajax/libs/Leaflet.awesome-markers/2.0.2/images/",
     "drmonty-leaflet-awesome-markers/css/images/"),
    ("https://netdna.bootstrapcdn.com/bootstrap/3.0.0/fonts/",
     "@neos21/bootstrap3-glyphicons/dist/fonts/"),
    ("https://cdn.jsdelivr.net/npm/iso8601-js-period@0.2.1/", "iso8601-js-period/"),
    ("https://cdn.jsdelivr.net/npm/leaflet-timedimension@1.1.1/", "leaflet-timedimension/"),
    ("https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/",
     "leaflet.markercluster-1.1.0/dist/"),
    ("https://cdn.jsdelivr.net/npm/leaflet.markercluster@1.5.3/", "leaflet.markercluster/"),
    ("https://cdn.jsdelivr.net/npm/leaflet.fullscreen@3.0.0/", "leaflet.fullscreen/"),
    ("https://cdnjs.cloudflare.com/ajax/libs/leaflet-minimap/3.6.1/", "leaflet-minimap/src/"),
    ("https://cdn.jsdelivr.net/gh/ljagis/leaflet-measure@2.1.7/dist/", "leaflet-measure/dist/"),
]
#: Exact URL -> file under node_modules.
FILES = {
    "https://code.jquery.com/jquery-3.7.1.min.js": "jquery/dist/jquery.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/jquery/3.7.1/jquery.min.js":
        "jquery/dist/jquery.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/Leaflet.awesome-markers/2.0.2/leaflet.awesome-markers.js":
        "drmonty-leaflet-awesome-markers/js/leaflet.awesome-markers.js",
    "https://cdnjs.cloudflare.com/ajax/libs/Leaflet.awesome-markers/2.0.2/leaflet.awesome-markers.css":
        "drmonty-leaflet-awesome-markers/css/leaflet.awesome-markers.css",
    "https://netdna.bootstrapcdn.com/bootstrap/3.0.0/css/bootstrap-glyphicons.css":
        "@neos21/bootstrap3-glyphicons/dist/css/bootstrap3-glyphicons.css",
    "https://cdnjs.cloudflare.com/ajax/libs/jqueryui/1.10.2/jquery-ui.min.js":
        "jquery-ui-dist/jquery-ui.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/moment.js/2.18.1/moment.min.js":
        "moment/min/moment.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/highlight.js/8.4/styles/default.min.css":
        "highlight.js/styles/default.css",
}
#: folium's rotate CSS is not on npm: these are its rules.
ROTATE_CSS_URL = (
    "https://cdn.jsdelivr.net/gh/python-visualization/folium/folium/templates/"
    "leaflet.awesome.rotate.min.css"
)
#: Tile hosts answered with a blank PNG.
TILE_HOSTS = ("tile.openstreetmap.org", "basemaps.cartocdn.com")
BLANK_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/x8AAwMCAO+ip1sAAAAASUVORK5CYII="
)
_TYPES = {".js": "application/javascript", ".css": "text/css", ".png": "image/png",
          ".svg": "image/svg+xml", ".woff": "font/woff", ".woff2": "font/woff2",
          ".ttf": "font/ttf", ".eot": "application/vnd.ms-fontobject", ".gif": "image/gif",
          ".html": "text/html"}

#: True once a tracker map is usable: its events are clustered.
READY = ("() => window.tracker && (!window.tracker.layers.events"
         " || window.tracker.layers.events.ready)")
#: The probe run in the page once it has loaded: what a user would see.
PROBE = """
() => {
  const out = {leaflet: typeof L !== 'undefined' && !!L.version, registry: !!window.tracker};
  out.pwned = window.__pwned === undefined ? null : String(window.__pwned);
  out.slider = !!document.querySelector('.leaflet-bar-timecontrol')
    && !!document.querySelector('.timecontrol-play');
  out.layerControl = !!document.querySelector('.leaflet-control-layers');
  out.legend = !!document.querySelector('#tracker-legend');
  out.title = (document.querySelector('#tracker-title') || {}).innerText || '';
  out.minimap = !!document.querySelector('.leaflet-control-minimap');
  out.fullscreen = !!document.querySelector('.leaflet-control-fullscreen, .fullscreen-icon');
  out.measure = !!document.querySelector('.leaflet-control-measure');
  out.overlayPaths = document.querySelectorAll('.leaflet-overlay-pane path').length;
  if (window.tracker) {
    const t = window.tracker, layers = t.layers;
    out.eventCount = t.eventCount;
    out.eventMarkers = layers.events ? layers.events.getLayers().length : null;
    out.visibleMarkers = document.querySelectorAll('.leaflet-marker-pane > *').length;
    out.eventsReady = layers.events ? !!layers.events.ready : null;
    out.windowShown = layers.events_window ? layers.events_window.shown : null;
    out.admin1Features = layers.admin1 ? layers.admin1.getLayers().length : null;
    out.borderLines = layers.international_border
      ? layers.international_border.getLayers().length : null;
    out.distanceLines = layers.distance ? layers.distance.getLayers().length : null;
    out.distanceLabels = layers.distance ? layers.distance.getLayers()
      .map(l => l.getTooltip() ? l.getTooltip().getContent() : '') : [];
    out.occupiedDate = layers.occupied ? layers.occupied.shownDate : null;
    out.greyDate = layers.greyzone ? layers.greyzone.shownDate : null;
    out.approachDate = layers.approach ? layers.approach.shownDate : null;
    out.controlPlaces = layers.control ? layers.control.getLayers().length : null;
    const td = t.map && t.map.timeDimension;
    out.times = td ? td.getAvailableTimes().length : 0;
    out.sliderDate = td ? new Date(td.getCurrentTime()).toISOString().slice(0, 10) : null;
  }
  return out;
}
"""


@dataclass
class CheckResult:
    """What the browser saw: probe values, console errors, unmapped URLs, timings."""

    probe: dict[str, Any] = field(default_factory=dict)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    unmapped: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    collected: Any = None
    load_s: float = float("nan")
    interactive_s: float = float("nan")
    screenshot: Path | None = None

    @property
    def ok(self) -> bool:
        """No console error, no page error, no unmapped URL, no dialog, Leaflet up."""
        return (not self.console_errors and not self.page_errors and not self.unmapped
                and not self.dialogs and bool(self.probe.get("leaflet")))

    def explain(self) -> str:
        """A one-paragraph description for assertion messages."""
        return json.dumps({"console_errors": self.console_errors, "page_errors": self.page_errors,
                           "unmapped": self.unmapped, "dialogs": self.dialogs,
                           "probe": {k: v for k, v in self.probe.items() if k != "distanceLabels"}},
                          indent=1)[:4000]


def browser_available() -> str | None:
    """Return why the browser check cannot run here, or None when it can."""
    if not Path(CHROMIUM).exists():
        return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install playwright)"
    if shutil.which("npm") is None and not _assets_installed():
        return "npm is not installed and the CDN mirror is empty (apt-get install npm)"
    return None


def ensure_assets(directory: Path = ASSETS_DIR) -> Path:
    """Install the pinned npm packages into ``directory`` unless they already are.

    Returns the ``node_modules`` folder.
    """
    directory.mkdir(parents=True, exist_ok=True)
    manifest = {"name": "folium-cdn-mirror", "private": True, "dependencies": NPM_PACKAGES}
    pins = directory / "pins.json"
    wanted = json.dumps(manifest, indent=1, sort_keys=True)
    if not _assets_installed(directory) or not pins.is_file() or pins.read_text() != wanted:
        (directory / "package.json").write_text(wanted)
        subprocess.run(
            ["npm", "install", "--ignore-scripts", "--no-audit", "--no-fund", "--legacy-peer-deps",
             "--loglevel=error"],
            cwd=directory, check=True, capture_output=True, text=True, timeout=600,
        )
        pins.write_text(wanted)
    return directory / "node_modules"


def launch(playwright: Any) -> Any:
    """Launch headless Chromium (Debian's) with Playwright."""
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True)


def check_html(
    html_path: Path,
    *,
    browser: Any,
    screenshot: Path | None = None,
    ready_timeout_s: float = 30.0,
    viewport: tuple[int, int] = (1280, 800),
    before_probe: str | None = None,
    collect: str | None = None,
    ready: str = READY,
) -> CheckResult:
    """Open ``html_path`` in ``browser`` offline and probe it.

    Parameters
    ----------
    html_path : Path
        The map HTML.
    browser : playwright Browser
        From :func:`launch` (one per session).
    screenshot : Path, optional
        Where to save a PNG of the page once it is ready.
    ready_timeout_s : float
        How long to wait for the event layer to finish clustering.
    before_probe : str, optional
        JavaScript (a function expression) run before the probe, e.g. to move the slider.
    collect : str, optional
        JavaScript (a function expression) whose value is returned as ``collected``.
    ready : str
        JavaScript predicate that is true once the page is usable (default: the
        tracker map's events are clustered).

    Returns
    -------
    CheckResult
        ``load_s`` is the time to the ``load`` event; ``interactive_s`` the time
        until the events are clustered and the page answers a script call.
    """
    modules = ensure_assets()
    result = CheckResult()
    page_url = Path(html_path).resolve().as_uri()
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
    page = context.new_page()
    page.on("console",
            lambda m: result.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: result.page_errors.append(f"{e}\n{e.stack or ''}"[:1500]))

    def _dialog(dialog: Any) -> None:
        result.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", _dialog)
    page.route("**/*", lambda route: _answer(route, modules, result))
    try:
        start = time.perf_counter()
        page.goto(page_url, wait_until="load", timeout=60_000)
        result.load_s = time.perf_counter() - start
        page.wait_for_function(ready, timeout=ready_timeout_s * 1000)
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => r(true)))")
        result.interactive_s = time.perf_counter() - start
        if before_probe:
            page.evaluate(before_probe)
        try:
            page.wait_for_load_state("networkidle", timeout=5_000)
        except Exception:  # noqa: BLE001 - tiles may keep the network busy; the probe still runs
            pass
        result.probe = page.evaluate(PROBE)
        if collect:
            result.collected = page.evaluate(collect)
        if screenshot is not None:
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(screenshot))
            result.screenshot = screenshot
    finally:
        context.close()
    return result


def _answer(route: Any, modules: Path, result: CheckResult) -> None:
    url = route.request.url
    if url.startswith(("file:", "data:")):
        route.continue_()
        return
    host = urlsplit(url).hostname or ""
    if any(host.endswith(tile) for tile in TILE_HOSTS):
        route.fulfill(status=200, body=BLANK_PNG, content_type="image/png")
        return
    if url.split("?")[0] == ROTATE_CSS_URL:
        route.fulfill(status=200, body=_rotate_css(), content_type="text/css")
        return
    path = _npm_file(url.split("?")[0].split("#")[0], modules)
    if path is None:
        result.unmapped.append(url)
        route.abort()
        return
    route.fulfill(status=200, body=path.read_bytes(),
                  content_type=_TYPES.get(path.suffix, "application/octet-stream"))


def _npm_file(url: str, modules: Path) -> Path | None:
    relative = FILES.get(url)
    if relative is None:
        for prefix, folder in PREFIXES:
            if url.startswith(prefix):
                relative = folder + url[len(prefix):]
                break
    if relative is None:
        return None
    path = modules / relative
    if not path.is_file() and ".min." in path.name:
        path = path.with_name(path.name.replace(".min.", "."))
    return path if path.is_file() else None


def _rotate_css() -> str:
    return "".join(
        f".fa-rotate-{d}{{-webkit-transform:rotate({d}deg);transform:rotate({d}deg)}}"
        for d in range(0, 360)
    )


def _assets_installed(directory: Path = ASSETS_DIR) -> bool:
    modules = directory / "node_modules"
    return all((modules / name / "package.json").is_file() for name in NPM_PACKAGES)


# --- synthetic inputs for the map tests and benchmarks ------------------------------------------

#: Strings a hostile report could carry; none of them may execute in the map.
HOSTILE = {
    "quote": "Shelling near <script>window.__pwned='quote'</script> the school.",
    "source": "<img src=x onerror=\"window.__pwned='source'\">",
    "title": "</script><script>window.__pwned='title'</script>",
    "url": "javascript:window.__pwned='url'",
    "place_name": "Pwnivka `${window.__pwned='place'}` <svg onload=\"window.__pwned='svg'\">",
    "relation": "<iframe src=\"javascript:window.__pwned='relation'\"></iframe>",
}
EVENT_TYPES = ["battle", "advance", "capture", "liberation", "withdrawal", "strike",
               "negotiation", "mention"]


def synthetic_timeline(n: int, *, seed: int = 0, days: int = 365, n_places: int = 2000,
                       start: str = "2025-01-01") -> Any:
    """A timeline of ``n`` events at ``n_places`` places in eastern Ukraine, over ``days`` days."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    place_lat = rng.uniform(46.8, 50.2, n_places)
    place_lon = rng.uniform(34.8, 39.2, n_places)
    at = rng.integers(0, n_places, n)
    report = rng.integers(0, max(n // 4, 1), n)
    dates = pd.Timestamp(start) + pd.to_timedelta(rng.integers(0, days, n), unit="D")
    sources = np.array(["ISW", "Ukrinform", "DeepState", "General Staff of the AFU", "TASS"])
    return pd.DataFrame({
        "event_id": [f"e{i:06d}" for i in range(n)],
        "event_date": dates.strftime("%Y-%m-%d"),
        "report_id": [f"r{r:06d}" for r in report],
        "source": sources[report % len(sources)],
        "place_id": [f"gn:{100000 + p}" for p in at],
        "place_name": [f"Novoselivka {p}" for p in at],
        "place_kind": "settlement",
        "admin1": np.where(place_lat[at] > 48.5, "Kharkiv", "Donetsk"),
        "country": "UA",
        "latitude": place_lat[at],
        "longitude": place_lon[at],
        "geo_precision": 1,
        "event_type": rng.choice(EVENT_TYPES, n),
        "actor": rng.choice(["RU", "UA", "unknown"], n),
        "claim": rng.choice(["reported", "claimed", "denied", "assessed"], n),
        "control": rng.choice(["RU", "UA", "contested", "unknown"], n),
        "relation": "",
        "quote": [f"Russian forces attacked near Novoselivka {p} and advanced about"
                  f" {1 + p % 5} km toward the settlement, according to report {r}."
                  for p, r in zip(at, report, strict=True)],
        "confidence": 0.8,
        "dist_border_km": rng.uniform(0.5, 80, n_places)[at].round(1),
        "nearest_border": "Donetsk|Dnipropetrovsk",
        "acled_event_type": "Battles",
        "acled_sub_event_type": "Armed clash",
        "url": [f"https://example.org/report/{r}" for r in report],
        "title": [f"Situation report {r}" for r in report],
        "place_latitude": place_lat[at],
        "place_longitude": place_lon[at],
    })


def synthetic_places(timeline: Any) -> Any:
    """A places table (PLACES_COLUMNS + nearest point) consistent with ``timeline``."""
    import numpy as np

    grouped = timeline.sort_values("event_date").groupby("place_id")
    places = grouped.agg(
        place_name=("place_name", "first"), admin1=("admin1", "first"),
        country=("country", "first"), latitude=("latitude", "first"),
        longitude=("longitude", "first"), first_seen=("event_date", "min"),
        last_seen=("event_date", "max"), n_reports=("report_id", "nunique"),
        n_events=("event_id", "count"), latest_event_type=("event_type", "last"),
        latest_control=("control", "last"), dist_border_km=("dist_border_km", "first"),
        nearest_border=("nearest_border", "first"),
    ).reset_index()
    places.insert(2, "kind", "settlement")
    # the nearest border point: due west by the stated distance (good enough for drawing)
    places["nearest_latitude"] = places["latitude"]
    places["nearest_longitude"] = places["longitude"] - places["dist_border_km"] / (
        111.32 * np.cos(np.radians(places["latitude"])))
    return places
