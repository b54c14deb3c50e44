"""Folium layers of the map that folium has no ready-made class for.

Each class renders one piece of Leaflet JavaScript from already-escaped payloads
(see :mod:`tracker.maps_data`): the shared time slider, the event data and its
two layers (all events, clustered; events in the slider's window), time-synced
front-line snapshots and closest-approach lines, and labelled static lines.
Layers subclass :class:`folium.map.Layer` so they appear in the layer control.
The title box, legend and registry are in :mod:`tracker.maps_controls`.
"""

from __future__ import annotations

from typing import Any

import folium
import pandas as pd
from branca.element import Element, MacroElement
from jinja2 import Template

from tracker.maps_data import to_script_json

_TIMEDIMENSION_JS = [
    ("iso8601", "https://cdn.jsdelivr.net/npm/iso8601-js-period@0.2.1/iso8601.min.js"),
    (
        "leaflet.timedimension",
        "https://cdn.jsdelivr.net/npm/leaflet-timedimension@1.1.1/dist/leaflet.timedimension.min.js",
    ),
]
_TIMEDIMENSION_CSS = [
    (
        "leaflet.timedimension_css",
        "https://cdn.jsdelivr.net/npm/leaflet-timedimension@1.1.1/dist/"
        "leaflet.timedimension.control.css",
    ),
]
# Leaflet.markercluster 1.5.3 rather than folium's 1.1.0: 1.1.0 throws in _zoomEnd when the map
# zooms while a large chunked addLayers is still running, and 1.5.3 clusters faster.
_CLUSTER = "https://cdn.jsdelivr.net/npm/leaflet.markercluster@1.5.3/dist/"
_CLUSTER_JS = [("markerclusterjs", _CLUSTER + "leaflet.markercluster.js")]
_CLUSTER_CSS = [
    ("markerclustercss", _CLUSTER + "MarkerCluster.css"),
    ("markerclusterdefaultcss", _CLUSTER + "MarkerCluster.Default.css"),
]


class TimeSlider(MacroElement):
    """One time dimension and its control (play button, slider) for the whole map.

    Parameters
    ----------
    dates : list of str
        ISO dates (``YYYY-MM-DD``), sorted; the slider steps through them.
    current : str, optional
        The date the slider starts at (default: the last one).
    """

    _template = Template(
        """
{% macro header(this, kwargs) %}
<style>
.leaflet-bar-timecontrol .timecontrol-date { min-width: 7em; }
</style>
{% endmacro %}
{% macro script(this, kwargs) %}
L.Control.TrackerTime = L.Control.TimeDimension.extend({
    _getDisplayDateFormat: function (date) { return date.toISOString().slice(0, 10); }
});
L.TrackerTimeLayer = L.LayerGroup.extend({
    initialize: function (build) {
        L.LayerGroup.prototype.initialize.call(this);
        this._build = build;
    },
    onAdd: function (map) {
        L.LayerGroup.prototype.onAdd.call(this, map);
        this._td = map.timeDimension;
        if (this._td) { this._td.on("timeload", this._update, this); }
        this._update();
    },
    onRemove: function (map) {
        if (this._td) { this._td.off("timeload", this._update, this); }
        L.LayerGroup.prototype.onRemove.call(this, map);
    },
    _update: function () {
        var t = this._td ? this._td.getCurrentTime() : null;
        this.clearLayers();
        this._build(this, t === null ? null : new Date(t).toISOString().slice(0, 10));
    }
});
{{ this._parent.get_name() }}.timeDimension = L.timeDimension({
    times: {{ this.times|tojson }},
    currentTime: {{ this.current|tojson }}
});
{{ this._parent.get_name() }}.addControl(new L.Control.TrackerTime({
    timeDimension: {{ this._parent.get_name() }}.timeDimension,
    position: "bottomleft",
    playButton: true,
    loopButton: true,
    autoPlay: false,
    speedSlider: false,
    timeSliderDragUpdate: true,
    timeZones: ["UTC"],
    playerOptions: {transitionTime: 800, loop: false, startOver: true}
}));
{% endmacro %}
"""  # noqa: E501
    )

    def __init__(self, dates: list[str], *, current: str | None = None):
        super().__init__()
        self._name = "TimeSlider"
        # milliseconds since the epoch (UTC midnight): the plugin compares numbers
        self.times = [_epoch_ms(date) for date in dates]
        self.current = _epoch_ms(current) if current else self.times[-1]

    def render(self, **kwargs: Any) -> None:
        """Add the plugin's JavaScript and CSS to the page, then render."""
        figure = self.get_root()
        for name, url in _TIMEDIMENSION_JS:
            figure.header.add_child(folium.JavascriptLink(url), name=name)
        for name, url in _TIMEDIMENSION_CSS:
            figure.header.add_child(folium.CssLink(url), name=name)
        super().render(**kwargs)


class EventData(MacroElement):
    """The events payload (column-wise, escaped) and the popup builder, defined once."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = {{ this.payload_json }};
{{ this.get_name() }}.popup = function (i) {
    var D = {{ this.get_name() }}, S = D.s;
    var date = D.d[i] >= 0 ? D.dates[D.d[i]] : "undated";
    var h = '<div class="tracker-popup"><div class="tp-head"><span class="tp-type" style="background:'
        + D.colors[D.t[i]] + '">' + D.types[D.t[i]] + '</span> ' + date + '</div>';
    h += '<div class="tp-place"><b>' + S[D.place[i]] + '</b>'
        + (S[D.admin1[i]] ? ', ' + S[D.admin1[i]] : '') + '</div>';
    h += '<div>Actor: ' + (S[D.actor[i]] || 'unknown') + ' &middot; ' + (S[D.claim[i]] || 'reported')
        + (S[D.control[i]] && S[D.control[i]] !== 'unknown' ? ' &middot; control: ' + S[D.control[i]] : '')
        + '</div>';
    if (S[D.relation[i]]) { h += '<div>Where: ' + S[D.relation[i]] + '</div>'; }
    if (S[D.dist[i]]) { h += '<div>' + S[D.dist[i]] + '</div>'; }
    if (S[D.quote[i]]) { h += '<blockquote class="tp-quote">' + S[D.quote[i]] + '</blockquote>'; }
    var label = S[D.source[i]] || 'source not given';
    if (S[D.title[i]]) { label += ': ' + S[D.title[i]]; }
    h += '<div class="tp-source">Source: ' + (S[D.url[i]]
        ? '<a href="' + S[D.url[i]] + '" target="_blank" rel="noopener noreferrer">' + label + '</a>'
        : label) + '</div></div>';
    return h;
};
{{ this.get_name() }}.openPopup = function (map, latlng, i) {
    L.popup({maxWidth: 380}).setLatLng(latlng).setContent({{ this.get_name() }}.popup(i)).openOn(map);
};
{% endmacro %}
"""  # noqa: E501
    )

    def __init__(self, payload: dict[str, Any]):
        super().__init__()
        self._name = "tracker_events"
        self.payload = payload
        self.payload_json = to_script_json(payload)

    def render(self, **kwargs: Any) -> None:
        """Add the script to the page as is.

        :class:`~branca.element.MacroElement` would wrap the rendered script
        in an ``Element``, which compiles it as a Jinja template: megabytes of
        payload through Jinja's lexer (0.5 s for 66k events), and report text
        read as template code.
        """
        script = self._template.module.__dict__["script"](self, kwargs)
        self.get_root().script.add_child(RawElement(script), name=self.get_name())


class RawElement(Element):
    """Already rendered HTML or JavaScript, emitted as it is (never parsed as a template)."""

    def __init__(self, text: str):
        super().__init__()
        self.text = text

    def render(self, **kwargs: Any) -> str:
        """Return the text unchanged."""
        return self.text


class EventClusterLayer(folium.map.Layer):
    """Every event as a coloured marker in one marker-cluster group.

    The markers are built in the browser from :class:`EventData` (one marker
    per event, never one Python object per event); a single popup is filled on
    click.  Clustering is chunked so the page stays responsive while it runs.
    """

    _template = Template(
        """
{% macro header(this, kwargs) %}
<style>
.tracker-ev span { display: block; width: 12px; height: 12px; border-radius: 50%;
                   border: 1px solid #222; box-sizing: border-box; }
</style>
{% endmacro %}
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = (function () {
    var D = {{ this.data.get_name() }}, map = {{ this._parent.get_name() }};
    var icons = D.colors.map(function (c) {
        return L.divIcon({className: "tracker-ev", html: '<span style="background:' + c + '"></span>',
                          iconSize: [12, 12]});
    });
    var group = L.markerClusterGroup({
        chunkedLoading: true, maxClusterRadius: {{ this.radius }}, showCoverageOnHover: false,
        spiderfyOnMaxZoom: true,
        chunkProgress: function (done, total) {
            if (done === total) { group.ready = true; }
        }
    });
    group.ready = D.n === 0;
    var markers = new Array(D.n);
    for (var i = 0; i < D.n; i++) {
        var m = L.marker([D.lat[i], D.lon[i]], {icon: icons[D.t[i]], keyboard: false});
        m._trackerIndex = i;
        markers[i] = m;
    }
    group.on("click", function (e) {
        if (e.layer && e.layer._trackerIndex !== undefined) {
            D.openPopup(map, e.layer.getLatLng(), e.layer._trackerIndex);
        }
    });
    {% if this.show %}group.addTo(map);{% endif %}
    group.addLayers(markers);
    if (!group._map) { group.ready = true; }
    return group;
})();
{% endmacro %}
"""  # noqa: E501
    )

    def __init__(self, data: EventData, *, name: str, radius: int = 40, show: bool = True):
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "EventClusterLayer"
        self.data = data
        self.radius = radius

    def render(self, **kwargs: Any) -> None:
        """Add marker-cluster's JavaScript and CSS to the page, then render."""
        figure = self.get_root()
        for name, url in _CLUSTER_JS:
            figure.header.add_child(folium.JavascriptLink(url), name=name)
        for name, url in _CLUSTER_CSS:
            figure.header.add_child(folium.CssLink(url), name=name)
        super().render(**kwargs)


class EventWindowLayer(folium.map.Layer):
    """Events dated within ``days`` days up to the slider's date, as rings on a canvas."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = (function () {
    var D = {{ this.data.get_name() }}, map = {{ this._parent.get_name() }};
    var renderer = L.canvas({padding: 0.3});
    var days = {{ this.days }};
    function lowerDate(iso) {
        var t = Date.parse(iso + "T00:00:00Z") - (days - 1) * 86400000;
        return new Date(t).toISOString().slice(0, 10);
    }
    function firstAtLeast(arr, value) {
        var lo = 0, hi = arr.length;
        while (lo < hi) { var mid = (lo + hi) >> 1; if (arr[mid] < value) { lo = mid + 1; } else { hi = mid; } }
        return lo;
    }
    var dd = D.d.slice(0, D.nd);
    var build = function (group, iso) {
        if (iso === null) { return; }
        var lo = firstAtLeast(D.dates, lowerDate(iso)), hi = firstAtLeast(D.dates, iso + "~") - 1;
        if (hi < lo) { group.shown = 0; return; }
        var start = firstAtLeast(dd, lo), stop = firstAtLeast(dd, hi + 1);
        for (var i = start; i < stop; i++) {
            var c = L.circleMarker([D.lat[i], D.lon[i]], {renderer: renderer, radius: 9,
                color: D.colors[D.t[i]], weight: 3, opacity: 0.9, fill: true, fillOpacity: 0.15});
            c._trackerIndex = i;
            group.addLayer(c);
        }
        group.shown = stop - start;
    };
    var layer = new L.TrackerTimeLayer(build);
    layer.on("click", function (e) {
        if (e.layer && e.layer._trackerIndex !== undefined) {
            D.openPopup(map, e.layer.getLatLng(), e.layer._trackerIndex);
        }
    });
    {% if this.show %}layer.addTo(map);{% endif %}
    return layer;
})();
{% endmacro %}
"""  # noqa: E501
    )

    def __init__(self, data: EventData, *, name: str, days: int = 7, show: bool = True):
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "EventWindowLayer"
        self.data = data
        self.days = int(days)


class _ItemsLayer(folium.map.Layer):
    """A layer whose script draws a list of JSON items with one path style and labels.

    The items go through :func:`to_script_json`, so labels (escaped HTML from
    reports) cannot close the script; subclasses only bring the template that draws
    them and read ``this.items_json``, ``this.style`` and ``this.permanent``.
    """

    def __init__(
        self,
        items: list[dict[str, Any]],
        *,
        name: str,
        style: dict[str, Any],
        permanent: bool = False,
        show: bool = True,
    ):
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = type(self).__name__
        self.items_json = to_script_json(items)
        self.style = style
        self.permanent = permanent


class SnapshotLayer(_ItemsLayer):
    """Time-synced shapes: at each slider date, the latest item dated on or before it.

    Parameters
    ----------
    items : list of dict
        ``{"date": "YYYY-MM-DD", "geojson": {...}, "label": escaped str}``,
        sorted by date.
    style : dict
        Leaflet path options for the shapes.
    permanent : bool
        Show the label permanently (closest-approach lines) or on hover.
    """

    _template = Template(
        """
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = (function () {
    var items = {{ this.items_json }}, style = {{ this.style|tojson }}, cache = {};
    var build = function (group, iso) {
        var k = -1;
        for (var j = 0; j < items.length; j++) { if (iso === null || items[j].date <= iso) { k = j; } }
        group.shownDate = k >= 0 ? items[k].date : null;
        if (k < 0) { return; }
        if (!cache[k]) {
            cache[k] = L.geoJson(items[k].geojson, {style: function () { return style; }});
            if (items[k].label) {
                cache[k].bindTooltip(items[k].label,
                    {sticky: {{ 'false' if this.permanent else 'true' }},
                     permanent: {{ 'true' if this.permanent else 'false' }},
                     direction: "right", offset: [10, 0], className: "tracker-line-label"});
            }
        }
        group.addLayer(cache[k]);
    };
    var layer = new L.TrackerTimeLayer(build);
    layer.itemCount = items.length;
    {% if this.show %}layer.addTo({{ this._parent.get_name() }});{% endif %}
    return layer;
})();
{% endmacro %}
"""  # noqa: E501
    )


def _epoch_ms(date: str) -> int:
    return int(pd.Timestamp(date, tz="UTC").value // 1_000_000)


class LinesLayer(_ItemsLayer):
    """Static polylines, each with its own (escaped) label as a tooltip.

    Parameters
    ----------
    items : list of dict
        ``{"coords": [[lat, lon], ...], "label": escaped str}``.
    style : dict
        Leaflet path options (``dashArray`` for dashed lines).
    permanent : bool
        Show every label permanently instead of on hover.
    """

    _template = Template(
        """
{% macro header(this, kwargs) %}
<style>
.tracker-line-label { background: rgba(255,255,255,0.85); border: 0; box-shadow: none;
  font: 11px sans-serif; padding: 0 3px; }
.tracker-lowzoom .tracker-dist-label.leaflet-tooltip { display: none; }
</style>
{% endmacro %}
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = (function () {
    var items = {{ this.items_json }}, style = {{ this.style|tojson }};
    var map = {{ this._parent.get_name() }};
    if (!map._trackerZoomClass) {
        // permanent line labels only from zoom 8 on, where they no longer pile up
        map._trackerZoomClass = function () {
            map.getContainer().classList.toggle("tracker-lowzoom", map.getZoom() < 8);
        };
        map.on("zoomend", map._trackerZoomClass);
        map.whenReady(map._trackerZoomClass);
    }
    var group = L.featureGroup(items.map(function (item) {
        return L.polyline(item.coords, style).bindTooltip(item.label, {
            permanent: {{ 'true' if this.permanent else 'false' }},
            sticky: {{ 'false' if this.permanent else 'true' }},
            direction: "center", className: "tracker-line-label tracker-dist-label"});
    }));
    {% if this.show %}group.addTo({{ this._parent.get_name() }});{% endif %}
    return group;
})();
{% endmacro %}
"""  # noqa: E501
    )
