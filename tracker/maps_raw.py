"""Folium layers whose rendered script goes into the page as is.

branca's :meth:`~branca.element.MacroElement.render` wraps each rendered script
in an ``Element``, which compiles it as a Jinja template: for a layer holding a
thousand places that means lexing hundreds of kilobytes of GeoJSON (a tenth of
a second) for nothing, since the text is final. :class:`PlaceLayer` is
``folium.GeoJson`` rendered without that step (as :class:`~tracker.maps_layers.EventData`
is); its page output is the same.
"""

from __future__ import annotations

from typing import Any

import folium
from folium.features import GeoJsonStyleMapper
from folium.map import Layer
from folium.utilities import get_obj_in_upper_tree

from tracker.maps_layers import RawElement


class PlaceLayer(folium.GeoJson):
    """``folium.GeoJson`` whose script is added to the page without a Jinja pass.

    Takes the arguments of :class:`folium.GeoJson`; the data must already be
    escaped (see :func:`tracker.maps_geo.place_features`).
    """

    def render(self, **kwargs: Any) -> None:
        """Render as ``folium.GeoJson`` does, adding the script text as it is."""
        # folium.GeoJson.render: the style and highlight maps
        self.parent_map = get_obj_in_upper_tree(self, folium.Map)
        if (self.style or self.highlight) and self.data["features"]:
            mapper = GeoJsonStyleMapper(self.data, self.feature_identifier, self)
            if self.style:
                self.style_map = mapper.get_style_map(self.style_function)
            if self.highlight:
                self.highlight_map = mapper.get_highlight_map(self.highlight_function)
        # folium.map.Layer.render: add the layer to the map when shown
        if self.show:
            self.add_child(folium.map.ElementAddToElement(
                element_name=self.get_name(), element_parent_name=self._parent.get_name()),
                name=self.get_name() + "_add")
        render_raw(self, **kwargs)


def render_raw(element: Layer, **kwargs: Any) -> None:
    """:meth:`branca.element.MacroElement.render`, with the rendered text added as is."""
    figure = element.get_root()
    macros = element._template.module.__dict__
    for part in ("header", "html", "script"):
        macro = macros.get(part)
        if macro is not None:
            getattr(figure, part).add_child(RawElement(macro(element, kwargs)),
                                            name=element.get_name())
    for child in element._children.values():
        child.render(**kwargs)
