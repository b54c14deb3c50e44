"""Map scale: generation time, HTML size and browser load time for 1k, 10k and 50k events.

Compares ``tracker.maps.render_map`` (events embedded once, column-wise, markers
built and clustered in the browser) with the naive folium approach (one
``folium.Marker`` with an escaped popup per event, as most folium tutorials do),
and prints the ratios.  The naive map runs at 1k and 10k only (at 50k it takes
minutes and hundreds of megabytes).

The browser is Debian's headless Chromium driven offline by tests/browser.py
(CDN files from npm packages, blank tiles).  "load" is the time to the page's
``load`` event; "interactive" is the time until the events are clustered and
the page answers a script call.  Each browser figure is the median of
``--repeat`` runs.

Usage::

    .venv/bin/python benchmarks/map_scale.py [--sizes 1000 10000 50000] [--repeat 3]
                                             [--naive-max 10000] [--no-browser]
"""

from __future__ import annotations

import argparse
import html
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import folium  # noqa: E402

from tests.browser import (  # noqa: E402
    browser_available,
    check_html,
    launch,
    synthetic_places,
    synthetic_timeline,
)
from tracker.maps import render_map  # noqa: E402

NAIVE_READY = "() => document.readyState === 'complete'"


def naive_map(timeline, out: Path) -> Path:
    """One folium.Marker per event with an escaped HTML popup (the baseline)."""
    fmap = folium.Map(location=[48.5, 37.5], zoom_start=7)
    for row in timeline.itertuples(index=False):
        popup = (f"<b>{html.escape(row.place_name)}</b> {html.escape(row.event_date)}<br>"
                 f"{html.escape(row.event_type)} · {html.escape(row.actor)} · "
                 f"{html.escape(row.claim)}<br><i>{html.escape(row.quote)}</i><br>"
                 f"<a href=\"{html.escape(row.url)}\">{html.escape(row.source)}</a>")
        folium.Marker([row.latitude, row.longitude], popup=folium.Popup(popup, max_width=380),
                      ).add_to(fmap)
    fmap.save(str(out))
    return out


def measure(build, browser, repeat: int, ready: str | None) -> dict:
    start = time.perf_counter()
    path = build()
    row = {"generate_s": time.perf_counter() - start, "size_mb": path.stat().st_size / 1e6}
    if browser is not None:
        loads, interactives, ok = [], [], True
        for _ in range(repeat):
            kwargs = {"ready": ready} if ready else {}
            result = check_html(path, browser=browser, ready_timeout_s=300, **kwargs)
            ok = ok and result.ok
            loads.append(result.load_s)
            interactives.append(result.interactive_s)
        row.update(load_s=statistics.median(loads), interactive_s=statistics.median(interactives),
                   ok=ok)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 50_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--naive-max", type=int, default=10_000)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()

    reason = None if not args.no_browser else "--no-browser"
    reason = reason or browser_available()
    if reason:
        print(f"browser figures left out: {reason}", file=sys.stderr)
    tmp = Path(tempfile.mkdtemp(prefix="map_scale_"))
    rows = []
    playwright = None
    browser = None
    try:
        if not reason:
            from playwright.sync_api import sync_playwright

            playwright = sync_playwright().start()
            browser = launch(playwright)
        for n in args.sizes:
            timeline = synthetic_timeline(n, seed=n)
            places = synthetic_places(timeline)
            ours = measure(lambda t=timeline, p=places, n=n: render_map(
                t, p, tmp / f"tracker_{n}.html", charts=False), browser, args.repeat, None)
            naive = None
            if n <= args.naive_max:
                naive = measure(lambda t=timeline, n=n: naive_map(t, tmp / f"naive_{n}.html"),
                                browser, args.repeat, NAIVE_READY)
            rows.append((n, ours, naive))
    finally:
        if browser is not None:
            browser.close()
        if playwright is not None:
            playwright.stop()
    _print(rows)


def _print(rows) -> None:
    def cell(row, key, fmt):
        return fmt.format(row[key]) if row and key in row else "-"

    def ratio(naive, ours, key):
        if not naive or key not in naive or key not in ours:
            return "-"
        return f"{naive[key] / ours[key]:.1f}x"

    print("| events | map | generate (s) | HTML (MB) | load (s) | interactive (s) | browser ok |")
    print("| ---: | --- | ---: | ---: | ---: | ---: | --- |")
    for n, ours, naive in rows:
        for name, row in (("tracker", ours), ("naive folium.Marker", naive)):
            if row is None:
                continue
            print(f"| {n:,} | {name} | {cell(row, 'generate_s', '{:.2f}')} | "
                  f"{cell(row, 'size_mb', '{:.1f}')} | {cell(row, 'load_s', '{:.2f}')} | "
                  f"{cell(row, 'interactive_s', '{:.2f}')} | {cell(row, 'ok', '{}')} |")
    print()
    print("| events | generate: naive/tracker | HTML: naive/tracker | interactive: naive/tracker |")
    print("| ---: | ---: | ---: | ---: |")
    for n, ours, naive in rows:
        if naive:
            print(f"| {n:,} | {ratio(naive, ours, 'generate_s')} | {ratio(naive, ours, 'size_mb')} "
                  f"| {ratio(naive, ours, 'interactive_s')} |")


if __name__ == "__main__":
    main()
