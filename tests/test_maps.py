"""The map HTML as a string: escaping, links, legend, title, distance labels, payload size.

The same maps are opened in a real browser in tests/test_maps_browser.py.
"""

from __future__ import annotations

import html
import json
import re

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.browser import HOSTILE, synthetic_places, synthetic_timeline
from tracker.maps import render_map
from tracker.maps_data import (
    EVENT_COLORS,
    distance_label,
    escape_text,
    event_payload,
    safe_url,
    to_script_json,
)


def _payload_from_html(page: str) -> dict:
    """The event payload the page embeds (``var tracker_events_... = {...};``)."""
    match = re.search(r"var tracker_events_\w+ = (\{.*?\});\n", page)
    assert match, "no event payload in the page"
    return json.loads(match.group(1))


@pytest.fixture(scope="module")
def hostile_timeline() -> pd.DataFrame:
    timeline = synthetic_timeline(30, seed=1, days=10)
    row = timeline.iloc[0].copy()
    for column, value in HOSTILE.items():
        row[column] = value
    row["event_id"], row["report_id"] = "hostile", "r-hostile"
    return pd.concat([timeline, pd.DataFrame([row.to_dict()])], ignore_index=True)


@pytest.fixture(scope="module")
def hostile_map(tmp_path_factory, hostile_timeline):
    places = synthetic_places(hostile_timeline)
    out = tmp_path_factory.mktemp("hostile") / "map.html"
    return render_map(hostile_timeline, places, out).read_text()


def test_hostile_strings_never_reach_the_page_raw(hostile_map):
    for value in HOSTILE.values():
        assert value not in hostile_map
    assert "window.__pwned" not in hostile_map.replace("\\u003c", "<").split("<script>")[0]
    for raw in ("<script>window.__pwned", "<img src=x onerror", "<svg onload", "<iframe",
                "href=\"javascript:"):
        assert raw not in hostile_map
    # a place name with `${...}` only ever sits inside JSON strings, never in a JS template literal
    for match in re.finditer(r"\$\{window\.__pwned", hostile_map):
        line = hostile_map[hostile_map.rfind("\n", 0, match.start()):match.start()]
        assert line.count('"') % 2 == 1, line[-200:]


def test_hostile_strings_are_kept_as_escaped_text(hostile_map):
    strings = _payload_from_html(hostile_map)["s"]
    assert escape_text(HOSTILE["quote"]) in strings
    assert escape_text(HOSTILE["source"]) in strings
    assert escape_text(HOSTILE["title"]) in strings
    assert any(s.startswith(escape_text(HOSTILE["place_name"])[:20]) for s in strings)


def test_links_only_for_http_urls(hostile_map):
    payload = _payload_from_html(hostile_map)
    urls = {payload["s"][i] for i in payload["url"]}
    assert "" in urls  # the javascript: URL of the hostile report gives no link
    assert all(u == "" or re.match(r"^https?://", u) for u in urls)
    assert len(urls) > 2


@pytest.mark.parametrize("url, expected", [
    ("https://www.understandingwar.org/a?b=1&c=2", "https://www.understandingwar.org/a?b=1&amp;c=2"),
    ("HTTP://Example.org/x", "HTTP://Example.org/x"),
    ("  https://example.org/padded  ", "https://example.org/padded"),
    ("javascript:alert(1)", ""),
    ("JaVaScRiPt:alert(1)", ""),
    ("data:text/html,<script>alert(1)</script>", ""),
    ("//example.org/protocol-relative", ""),
    ("https://example.org/\"onmouseover=\"alert(1)", ""),
    ("ftp://example.org/file", ""),
    (None, ""),
    (float("nan"), ""),
])
def test_safe_url(url, expected):
    assert safe_url(url) == expected


def test_script_json_cannot_close_the_script_element():
    text = to_script_json({"a": "</script><script>alert(1)</script>", "b": "\u2028"})
    assert "<" not in text and ">" not in text and "\u2028" not in text
    assert json.loads(text)["a"] == "</script><script>alert(1)</script>"


def test_legend_lists_every_event_type_with_its_colour(hostile_map):
    legend = hostile_map.split('id="tracker-legend"')[1].split("</div>\n</div>")[0]
    for event_type, color in EVENT_COLORS.items():
        assert f"background:{color}\"></i>{event_type}" in legend
    assert "Oblast claimed by Russia (2022)" in legend
    assert "International border" in legend


def test_title_shows_date_range_report_and_event_counts(tmp_path):
    timeline = synthetic_timeline(50, seed=2, days=20, start="2025-05-01")
    page = render_map(timeline, synthetic_places(timeline), tmp_path / "m.html",
                      title="Donbas <b>watch</b>").read_text()
    title = page.split('id="tracker-title"')[1].split("\n</div>")[0]
    first, last = timeline["event_date"].min(), timeline["event_date"].max()
    assert f"{first} to {last}" in title
    assert f"{timeline['report_id'].nunique()} reports" in title
    assert "50 events" in title
    assert "Donbas &lt;b&gt;watch&lt;/b&gt;" in title
    assert 'href="events_per_day.png"' in title and 'href="border_distance.png"' in title


def test_distance_lines_are_labelled_and_limited_to_the_range(tmp_path):
    timeline = synthetic_timeline(3, seed=3)
    timeline["place_id"] = ["a", "b", "c"]
    timeline["admin1"] = "Donetsk"
    places = synthetic_places(timeline)
    places["dist_border_km"] = [19.6, 24.9, 25.1]
    page = render_map(timeline, places, tmp_path / "m.html").read_text()
    labels = re.findall(r'"label":"([^"]*oblast border)"', page)
    assert len(labels) == 2
    assert any(label.endswith("19.6 km to the Dnipropetrovsk oblast border") for label in labels)
    page = render_map(timeline, places, tmp_path / "m.html", border_range_km=30).read_text()
    assert len(re.findall(r'"label":"([^"]*oblast border)"', page)) == 3


@pytest.mark.parametrize("km, border, admin1, country, expected", [
    (19.6, "Donetsk|Dnipropetrovsk", "Donetsk", "UA",
     "19.6 km to the Dnipropetrovsk oblast border"),
    (3.04, "Zaporizhzhia|Dnipropetrovsk", "Dnipropetrovsk", "UA",
     "3.0 km to the Zaporizhzhia oblast border"),
    (7.0, "Ukraine|Russia", "Sumy", "UA", "7.0 km to the international border with Russia"),
    (1.0, "Kharkiv|Belgorod", "Kharkiv", "UA",
     "1.0 km to the border with Russia (Belgorod oblast)"),
    (2.0, "Kharkiv|Belgorod", "Belgorod", "RU", "2.0 km to the Kharkiv oblast border"),
])
def test_distance_label(km, border, admin1, country, expected):
    assert distance_label(km, border, admin1=admin1, country=country) == expected


def test_approach_lines_say_when_the_border_is_reached(tmp_path):
    timeline = synthetic_timeline(5, seed=7, days=3, start="2026-07-30")
    approaches = pd.DataFrame({
        "date": ["2026-07-01", "2026-08-01"], "border": ["Donetsk|Dnipropetrovsk"] * 2,
        "distance_km": [4.25, 0.0], "border_crossed_km": [0.0, 20.662],
        "occupied_latitude": [47.9, 47.92], "occupied_longitude": [36.6, 36.63],
        "border_latitude": [47.9, 47.92], "border_longitude": [36.55, 36.63],
    })
    page = render_map(timeline, synthetic_places(timeline), tmp_path / "m.html",
                      approaches=approaches, charts=False).read_text()
    assert ("4.2 km from occupied territory to the Donetsk/Dnipropetrovsk border (2026-07-01)"
            in page)
    assert ("Occupied territory reaches the Donetsk/Dnipropetrovsk border: 20.7 km of it occupied"
            " (2026-08-01)") in page


def test_payload_interns_repeated_strings_and_sorts_by_date():
    timeline = synthetic_timeline(2000, seed=4, days=30)
    payload = event_payload(timeline)
    assert payload["n"] == payload["nd"] == 2000
    assert payload["d"] == sorted(payload["d"])
    assert payload["dates"] == sorted(timeline["event_date"].unique())
    strings = payload["s"]
    assert len(strings) == len(set(strings))
    assert strings.count("ISW") == 1
    reports = timeline["report_id"].nunique()
    assert len(set(payload["url"])) <= reports + 1


def test_rows_without_coordinates_or_dates(tmp_path):
    timeline = synthetic_timeline(10, seed=5)
    timeline.loc[0, "latitude"] = None
    timeline.loc[1, "event_date"] = "not a date"
    payload = event_payload(timeline)
    assert payload["n"] == 9 and payload["nd"] == 8
    assert payload["d"][-1] == -1  # undated events sort last
    page = render_map(timeline, synthetic_places(timeline), tmp_path / "m.html").read_text()
    assert "10 events (9 on the map)" in page


def test_empty_timeline_still_renders_a_map(tmp_path):
    timeline = synthetic_timeline(0)
    page = render_map(timeline, synthetic_places(timeline), tmp_path / "m.html").read_text()
    assert "no dated events · 0 reports · 0 events" in page
    assert _payload_from_html(page)["n"] == 0
    assert "L.Control.TrackerTime" not in page  # no dates, no slider


def test_layers_and_controls_are_declared(hostile_map):
    for name in ("OpenStreetMap", "CartoDB light", "none", "Oblast borders (admin-1)",
                 "International border", "Events (all, clustered)", "Latest control per place",
                 "Events in the 7 days to the slider date"):
        assert f'"{name}"' in hostile_map
    for plugin in ("L.control.fullscreen", "new L.Control.Measure(", "L.Control.MiniMap",
                   "L.control.layers", "L.markerClusterGroup", "L.timeDimension("):
        assert plugin in hostile_map


def test_fifty_thousand_events_stay_small(tmp_path):
    timeline = synthetic_timeline(50_000, seed=6)
    path = render_map(timeline, synthetic_places(timeline), tmp_path / "m.html", charts=False)
    size_mb = path.stat().st_size / 1e6
    assert size_mb < 30, f"{size_mb:.1f} MB"
    assert _payload_from_html(path.read_text())["n"] == 50_000


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("<>&\"'`/=$ {}()ajvscript:\u2028\n"))
               | st.characters(), max_size=60))
def test_escaped_text_in_script_json_is_inert(text):
    escaped = escape_text(text)
    assert not set("<>\"'") & set(escaped)
    embedded = to_script_json({"s": [escaped]})
    assert not set("<>&\u2028\u2029") & set(embedded)
    assert json.loads(embedded)["s"][0] == escaped
    assert html.unescape(escaped) == text


@given(st.text(max_size=40))
def test_safe_url_never_yields_anything_but_http(text):
    url = safe_url(text)
    assert url == "" or re.match(r"^https?://[^\s<>\"'`]+$", html.unescape(url), re.IGNORECASE)


def test_template_syntax_in_reports_is_shown_never_run_and_never_crashes(tmp_path):
    # folium compiles rendered elements as Jinja templates: "{{ 7*7 }}" would become "49",
    # an unbalanced "{% if %}" would abort the whole map.
    timeline = synthetic_timeline(6, seed=3, days=3)
    timeline.loc[0, "quote"] = "Shelling {{ 7*7 }} near {{ ''.__class__ }} the school."
    timeline.loc[1, "quote"] = "Broken {% if %} and {# comment"
    timeline.loc[2, "source"] = "{% for x in y %}"
    places = synthetic_places(timeline)
    places.loc[0, "place_name"] = "Place {{ 6*7 }}"
    page = render_map(timeline, places, tmp_path / "map.html").read_text()
    strings = _payload_from_html(page)["s"]
    for text in (timeline.loc[0, "quote"], timeline.loc[1, "quote"], timeline.loc[2, "source"]):
        assert html.unescape(escape_text(text)) == text and escape_text(text) in strings
    assert "Shelling 49 near" not in page and "Place 42" not in page
    assert "{{" not in page and "{%" not in page and "{#" not in page
