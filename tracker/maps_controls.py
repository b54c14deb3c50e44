"""Map furniture: initial view, empty base layer, title, legend, ``window.tracker`` registry.

These render static HTML/CSS (title, legend) or a few lines of script; every
text they show arrives already escaped (see :mod:`tracker.maps_data`).
"""

from __future__ import annotations

from typing import Any

import folium
from branca.element import MacroElement
from jinja2 import Template

from tracker.maps_layers import EventData


class FitBounds(MacroElement):
    """Fit the map to ``bounds`` at once (no animation), before any layer is added.

    folium's ``fit_bounds`` runs after every layer and animates the zoom, which
    races the chunked clustering of many events.
    """

    _template = Template(
        """
{% macro script(this, kwargs) %}
{{ this._parent.get_name() }}.fitBounds({{ this.bounds|tojson }}, {animate: false});
{% endmacro %}
"""
    )

    def __init__(self, bounds: list[list[float]]):
        super().__init__()
        self._name = "FitBounds"
        self.bounds = bounds


class BlankBaseLayer(folium.map.Layer):
    """A base layer with no tiles ("none" in the layer control)."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = L.layerGroup();
{% if this.show %}{{ this.get_name() }}.addTo({{ this._parent.get_name() }});{% endif %}
{% endmacro %}
"""  # noqa: E501
    )

    def __init__(self, name: str = "none", show: bool = False):
        super().__init__(name=name, overlay=False, control=True, show=show)
        self._name = "BlankBaseLayer"


class TitleBox(MacroElement):
    """The map's title box: escaped title, summary line and links to the charts."""

    _template = Template(
        """
{% macro header(this, kwargs) %}
<style>
.tracker-title { position: fixed; top: 10px; left: 60px; z-index: 1000; max-width: 46%;
  background: rgba(255,255,255,0.92); padding: 6px 10px; border-radius: 4px;
  box-shadow: 0 1px 4px rgba(0,0,0,0.35); font: 13px/1.35 sans-serif; }
.tracker-title h1 { font-size: 16px; margin: 0 0 2px 0; }
.tracker-title a { margin-right: 0.8em; }
.tracker-popup { font: 12px/1.4 sans-serif; }
.tracker-popup .tp-type { color: #fff; padding: 1px 5px; border-radius: 3px; }
.tracker-popup .tp-quote { margin: 4px 0; padding-left: 6px; border-left: 3px solid #ccc;
  font-style: italic; }
</style>
{% endmacro %}
{% macro html(this, kwargs) %}
<div class="tracker-title" id="tracker-title">
  <h1>{{ this.title }}</h1>
  <div>{{ this.summary }}</div>
  {% if this.links %}<div>{% for href, text in this.links %}<a href="{{ href }}" target="_blank">{{ text }}</a>{% endfor %}</div>{% endif %}
</div>
{% endmacro %}
"""  # noqa: E501
    )

    def __init__(self, title: str, summary: str, links: list[tuple[str, str]]):
        super().__init__()
        self._name = "TitleBox"
        self.title = title
        self.summary = summary
        self.links = links


class Legend(MacroElement):
    """A legend box (branca element): event types, control status, claimed oblasts, lines."""

    _template = Template(
        """
{% macro header(this, kwargs) %}
<style>
.tracker-legend { position: fixed; top: 64px; right: 10px; z-index: 1000;
  background: rgba(255,255,255,0.92); padding: 6px 10px; border-radius: 4px;
  box-shadow: 0 1px 4px rgba(0,0,0,0.35); font: 12px/1.4 sans-serif; max-height: calc(100% - 260px);
  overflow-y: auto; }
.tracker-legend h4 { margin: 4px 0 2px 0; font-size: 12px; }
.tracker-legend i { display: inline-block; width: 11px; height: 11px; margin-right: 5px;
  vertical-align: middle; border: 1px solid #333; }
.tracker-legend i.dot { border-radius: 50%; }
.tracker-legend i.line { height: 0; border: 0; border-top: 3px solid; width: 18px; }
.tracker-legend i.dash { height: 0; border: 0; border-top: 2px dashed; width: 18px; }
</style>
{% endmacro %}
{% macro html(this, kwargs) %}
<div class="tracker-legend" id="tracker-legend">
{% for section, rows in this.sections %}<h4>{{ section }}</h4>
{% for kind, color, text in rows %}<div><i class="{{ kind }}" style="{{ 'border-color' if kind in ('line', 'dash') else 'background' }}:{{ color }}"></i>{{ text }}</div>
{% endfor %}{% endfor %}
</div>
{% endmacro %}
"""  # noqa: E501
    )

    def __init__(self, sections: list[tuple[str, list[tuple[str, str, str]]]]):
        super().__init__()
        self._name = "Legend"
        self.sections = sections


class Registry(MacroElement):
    """Expose the map and its named layers as ``window.tracker`` (for tests and scripts)."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
window.tracker = {
    map: {{ this._parent.get_name() }},
    layers: { {% for key, layer in this.layers.items() %}{{ key|tojson }}: {{ layer.get_name() }},{% endfor %} },
    eventCount: {{ this.event_count }},
    events: {{ this.data.get_name() }}
};
{% endmacro %}
"""  # noqa: E501
    )

    def __init__(self, layers: dict[str, Any], data: EventData):
        super().__init__()
        self._name = "Registry"
        self.layers = layers
        self.data = data
        self.event_count = int(data.payload["n"])
