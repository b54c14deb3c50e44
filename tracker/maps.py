"""Render the timeline as one self-contained folium HTML map.

The map shows, as separate layers in the layer control:

- base layers OpenStreetMap, CartoDB light and none (providers from xyzservices);
- admin-1 borders with their names, the four oblasts Russia claims since 2022 and
  Crimea/Sevastopol (occupied since 2014) marked, and Ukraine's internationally
  recognised border drawn as a thick line;
- every event as a marker coloured by event type (legend), clustered, with a
  popup: date, type, place, actor, claim, the quoted sentence, the source as a
  link (http and https URLs only);
- a time slider with a play button over the event and snapshot dates, driving
  the events of the last ``window_days`` days, the front-line snapshots
  (occupied and grey zone as separate layers) and the closest-approach lines;
- the latest control status of each place, and dashed lines from each place
  within ``border_range_km`` of a border to its nearest border point, labelled
  "19.6 km to the Dnipropetrovsk oblast border";
- fullscreen, measure, minimap, a title with the date range and report count,
  and links to the charts written beside the map (:mod:`tracker.charts`).

Every report-derived string is HTML-escaped before it reaches the page (see
:mod:`tracker.maps_data`).  Events are embedded once, column-wise, and turned
into markers by the browser, so 50,000 events stay a few megabytes of HTML.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import folium
import folium.plugins
import pandas as pd
import xyzservices.providers as xyz
from xyzservices import TileProvider

from tracker import maps_geo
from tracker.errors import TrackerError
from tracker.maps_controls import BlankBaseLayer, FitBounds, Legend, Registry, TitleBox
from tracker.maps_data import CONTROL_COLORS, EVENT_COLORS, escape_text, event_payload
from tracker.maps_layers import (
    EventClusterLayer,
    EventData,
    EventWindowLayer,
    LinesLayer,
    SnapshotLayer,
    TimeSlider,
)
from tracker.maps_raw import PlaceLayer

#: Map extent when there is nothing to fit to: Ukraine.
UKRAINE_BOUNDS = [[44.3, 22.1], [52.4, 40.3]]
#: Events outside this box do not count when fitting the view (Ukraine and its neighbours).
REGION_BOUNDS = [[43.0, 20.0], [53.5, 42.0]]
#: Labels of distance lines are shown permanently up to this many lines.
MAX_PERMANENT_LABELS = 40


def render_map(
    timeline: pd.DataFrame,
    places: pd.DataFrame,
    out_path: str | Path,
    *,
    snapshots: Sequence[Any] = (),
    title: str | None = None,
    border_range_km: float = 25,
    n_reports: int | None = None,
    approaches: pd.DataFrame | None = None,
    window_days: int = 7,
    charts: bool = True,
    payload: dict[str, Any] | None = None,
) -> Path:
    r"""Write the map HTML (and the charts beside it).

    Parameters
    ----------
    timeline : pandas.DataFrame
        ``models.TIMELINE_COLUMNS`` plus optional ``url`` and ``title``.
    places : pandas.DataFrame
        ``models.PLACES_COLUMNS`` plus ``nearest_latitude``/``nearest_longitude``
        (the nearest border point).
    out_path : str or Path
        The HTML file to write; its folder is created if missing.
    snapshots : sequence, optional
        Front-line snapshots with ``date``, ``geometry`` (EPSG:4326) and
        ``kind`` (``"occupied"`` or ``"greyzone"``), as from
        ``tracker.frontline.load_snapshots``.
    title : str, optional
        Title of the map (default "Front-line tracker").
    border_range_km : float, optional
        Places this close to a border get a dashed line to it (default 25).
    n_reports : int, optional
        Report count for the title (default: distinct ``report_id`` values).
    approaches : pandas.DataFrame, optional
        Closest-approach rows (``tracker frontline stats`` columns) to draw per
        date; by default computed from the occupied snapshots with
        ``tracker.frontline.stats`` when that is available.
    window_days : int, optional
        The slider shows the events of this many days up to its date (default 7).
    charts : bool, optional
        Also write the charts of :mod:`tracker.charts` beside the map and link them.
    payload : dict, optional
        ``maps_data.event_payload(timeline)`` when already at hand (``tracker
        update`` assembles it from the store's caches); ``timeline`` then only
        feeds the charts and the event count.

    Returns
    -------
    Path
        ``out_path``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> events = pd.DataFrame({"event_date": ["2025-05-20"], "report_id": ["r1"],
    ...     "place_name": ["Pokrovsk"], "latitude": [48.28], "longitude": [37.18],
    ...     "event_type": ["battle"], "quote": ["<script>x</script>"], "url": ["javascript:x"]})
    >>> out = render_map(events, pd.DataFrame(), pathlib.Path(tempfile.mkdtemp()) / "map.html")
    >>> page = out.read_text()
    >>> "<script>x</script>" in page, "&lt;script&gt;x" in page.replace("\\u0026", "&")
    (False, True)
    """
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    snapshots = list(snapshots)
    payload = event_payload(timeline) if payload is None else payload
    fmap = folium.Map(location=[48.5, 31.5], zoom_start=6, tiles=None, control_scale=True)
    fmap.add_child(FitBounds(_bounds(payload)))
    _add_base_layers(fmap)
    admin = maps_geo.admin1_frame()
    layers: dict[str, Any] = {}
    layers.update(_add_borders(fmap, admin))

    if approaches is None:
        approaches = _approaches(snapshots)
    occupied = maps_geo.snapshot_items(snapshots, "occupied")
    grey = maps_geo.snapshot_items(snapshots, "greyzone")
    approach = maps_geo.approach_items(approaches)
    dates = sorted(set(payload["dates"]) | {item["date"] for item in occupied + grey + approach})
    if dates:
        # start at the latest report, with the front line as it was then
        start = payload["dates"][-1] if payload["dates"] else None
        fmap.add_child(TimeSlider(dates, current=start))
    layers.update(_add_snapshots(fmap, occupied, grey, approach))
    layers.update(_add_places(fmap, places, border_range_km))

    data = EventData(payload)
    fmap.add_child(data)
    layers["events"] = EventClusterLayer(data, name="Events (all, clustered)",
                                         radius=40 if payload["n"] > 200 else 20)
    fmap.add_child(layers["events"])
    if dates and payload["nd"]:
        layers["events_window"] = EventWindowLayer(
            data, name=f"Events in the {window_days} days to the slider date", days=window_days)
        fmap.add_child(layers["events_window"])

    links = []
    if charts:
        from tracker.charts import CHART_TITLES, render_charts

        written = render_charts(timeline, out_path.parent)
        links = [(escape_text(path.name), escape_text(CHART_TITLES[name]))
                 for name, path in written.items()]
    fmap.add_child(TitleBox(escape_text(title or "Front-line tracker"),
                            escape_text(_summary(timeline, payload, n_reports, len(snapshots))),
                            links))
    fmap.add_child(Legend(_legend_sections(payload, bool(occupied), bool(grey))))
    folium.plugins.Fullscreen(position="topleft").add_to(fmap)
    folium.plugins.MeasureControl(position="topleft", primary_length_unit="kilometers",
                                  secondary_length_unit="miles",
                                  primary_area_unit="sqkilometers").add_to(fmap)
    folium.plugins.MiniMap(toggle_display=True, position="bottomright").add_to(fmap)
    folium.LayerControl(collapsed=True, position="topright").add_to(fmap)
    fmap.add_child(Registry(layers, data))
    fmap.save(str(out_path))
    return out_path


def _add_base_layers(fmap: folium.Map) -> None:
    folium.TileLayer(xyz.OpenStreetMap.Mapnik, name="OpenStreetMap", show=True).add_to(fmap)
    folium.TileLayer(_carto_light(), name="CartoDB light", show=False).add_to(fmap)
    fmap.add_child(BlankBaseLayer("none"))


def _carto_light() -> TileProvider:
    """CartoDB Positron, with ``$CARTO_API_KEY`` when set (xyzservices now asks for one).

    Without a key the URL is used without its ``key`` parameter, as Carto's
    basemaps have long been served.
    """
    provider = xyz.CartoDB.Positron
    key = os.environ.get("CARTO_API_KEY")
    if key:
        return provider(apikey=key)
    if provider.requires_token():
        return TileProvider({**provider, "url": provider["url"].replace("?key={apikey}", ""),
                             "apikey": ""})
    return provider


def _add_borders(fmap: folium.Map, admin: Any) -> dict[str, Any]:
    oblasts = folium.GeoJson(
        maps_geo.admin1_geojson(admin), name="Oblast borders (admin-1)",
        style_function=maps_geo.admin1_style,
        highlight_function=lambda _: {"weight": 3},
        tooltip=folium.GeoJsonTooltip(fields=["label"], labels=False, sticky=True),
    )
    oblasts.add_to(fmap)
    names = folium.FeatureGroup(name="Oblast names", show=True)
    for lat, lon, name in maps_geo.label_points(admin):
        folium.Marker(
            [lat, lon],
            icon=folium.DivIcon(
                html=f'<div style="font:11px sans-serif;color:#444;white-space:nowrap;'
                     f'transform:translate(-50%,-50%);text-shadow:0 0 3px #fff">{name}</div>',
                icon_size=(0, 0)),
            interactive=False,
        ).add_to(names)
    names.add_to(fmap)
    border = LinesLayer(maps_geo.international_border(admin), name="International border",
                        style={"color": "#111111", "weight": 4, "opacity": 0.85})
    fmap.add_child(border)
    return {"admin1": oblasts, "oblast_names": names, "international_border": border}


def _add_snapshots(fmap: folium.Map, occupied: list, grey: list, approach: list) -> dict[str, Any]:
    layers: dict[str, Any] = {}
    if occupied:
        layers["occupied"] = SnapshotLayer(
            occupied, name="Front line: occupied (slider date)",
            style={"color": "#8b0000", "weight": 1.5, "fillColor": "#c0392b", "fillOpacity": 0.25})
    if grey:
        layers["greyzone"] = SnapshotLayer(
            grey, name="Front line: grey zone (slider date)",
            style={"color": "#555555", "weight": 1, "fillColor": "#7f8c8d", "fillOpacity": 0.35})
    if approach:
        layers["approach"] = SnapshotLayer(
            approach, name="Closest approach to the border (slider date)", permanent=True,
            style={"color": "#000000", "weight": 2.5, "dashArray": "2 6"})
    for layer in layers.values():
        fmap.add_child(layer)
    return layers


def _add_places(fmap: folium.Map, places: pd.DataFrame, border_range_km: float) -> dict[str, Any]:
    layers: dict[str, Any] = {}
    if places is None or len(places) == 0:
        return layers
    features = maps_geo.place_features(places)
    if features["features"]:
        layers["control"] = PlaceLayer(
            features, name="Latest control per place",
            marker=folium.CircleMarker(radius=5, weight=1, color="#222222", fill=True,
                                       fill_opacity=0.9),
            style_function=lambda f: {"fillColor": f["properties"]["color"]},
            popup=folium.GeoJsonPopup(fields=["popup"], labels=False),
        )
        layers["control"].add_to(fmap)
    lines = maps_geo.distance_items(places, border_range_km)
    layers["distance"] = LinesLayer(
        lines, name=f"Distance to the nearest border (places within {border_range_km:g} km)",
        style={"color": "#222222", "weight": 2, "dashArray": "6 6", "opacity": 0.8},
        permanent=len(lines) <= MAX_PERMANENT_LABELS)
    fmap.add_child(layers["distance"])
    return layers


def _approaches(snapshots: list[Any]) -> pd.DataFrame | None:
    occupied = [s for s in snapshots if getattr(s, "kind", "occupied") == "occupied"]
    if not occupied:
        return None
    try:
        from tracker.frontline import stats
    except ImportError:
        return None
    try:
        return stats(occupied)
    except (TrackerError, ValueError) as exc:
        warnings.warn(f"closest-approach lines left out: {exc}", stacklevel=3)
        return None


def _summary(timeline: pd.DataFrame, payload: dict[str, Any], n_reports: int | None,
             n_snapshots: int) -> str:
    if n_reports is None:
        n_reports = int(timeline["report_id"].nunique()) if "report_id" in timeline else 0
    dates = payload["dates"]
    span = f"{dates[0]} to {dates[-1]}" if dates else "no dated events"
    text = f"{span} · {n_reports} reports · {len(timeline)} events"
    if payload["n"] != len(timeline):
        text += f" ({payload['n']} on the map)"
    if n_snapshots:
        text += f" · {n_snapshots} front-line snapshots"
    return text


def _legend_sections(payload: dict[str, Any], occupied: bool, grey: bool) -> list:
    types = [("dot", EVENT_COLORS.get(t, "#bcbd22"), escape_text(t)) for t in EVENT_COLORS]
    control = [("dot", color, escape_text(name)) for name, color in CONTROL_COLORS.items()]
    areas = [
        ("box", "#e74c3c", "Oblast claimed by Russia (2022)"),
        ("box", "#8e44ad", "Occupied since 2014 (Crimea)"),
        ("line", "#111111", "International border"),
        ("dash", "#222222", "Distance to the nearest border"),
    ]
    if occupied:
        areas.append(("box", "#c0392b", "Occupied (front-line snapshot)"))
        areas.append(("dash", "#000000", "Closest approach to the border"))
    if grey:
        areas.append(("box", "#7f8c8d", "Grey zone"))
    return [("Event type", types), ("Latest control", control), ("Borders and areas", areas)]


def _bounds(payload: dict[str, Any]) -> list[list[float]]:
    """Bounds of the events in and around Ukraine, or Ukraine's when there are none.

    Events far away (talks abroad) stay on the map but do not zoom it out to the world.
    """
    import numpy as np

    (south, west), (north, east) = REGION_BOUNDS
    lats = np.asarray(payload["lat"], dtype=float)
    lons = np.asarray(payload["lon"], dtype=float)
    inside = (south <= lats) & (lats <= north) & (west <= lons) & (lons <= east)
    if not inside.any():
        return UKRAINE_BOUNDS
    lats, lons = lats[inside], lons[inside]
    pad = 0.3
    return [[float(lats.min()) - pad, float(lons.min()) - pad],
            [float(lats.max()) + pad, float(lons.max()) + pad]]
