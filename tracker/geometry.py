"""Shapely helpers shared by boundaries, distance and frontline: parts of mixed geometries.

Overlay results (``intersection``, ``difference``) and GeoJSON collections mix
points, lines and polygons, sometimes nested in collections; these helpers take
them apart the same way everywhere.
"""

from __future__ import annotations

import numpy as np
import shapely

__all__ = ["as_lines", "flatten", "lines_only"]

_POLYGON, _COLLECTION = 3, 7
_LINES = (1, 2)  # LineString, LinearRing


def flatten(geom: shapely.Geometry) -> shapely.Geometry:
    """Return the parts of a geometry as one flat collection (nested ones unpacked).

    Examples
    --------
    >>> from shapely.geometry import GeometryCollection, LineString, Point
    >>> inner = GeometryCollection([LineString([(0, 0), (1, 1)])])
    >>> [g.geom_type for g in flatten(GeometryCollection([Point(0, 0), inner])).geoms]
    ['Point', 'LineString']
    """
    parts = []
    for part in shapely.get_parts(geom):
        if shapely.get_type_id(part) == _COLLECTION:
            parts.extend(shapely.get_parts(flatten(part)))
        else:
            parts.append(part)
    return shapely.geometrycollections(parts) if parts else shapely.GeometryCollection()


def lines_only(geom: shapely.Geometry) -> shapely.Geometry:
    """Keep only the lines of a geometry (points and polygons dropped), as a MultiLineString.

    Examples
    --------
    >>> from shapely.geometry import GeometryCollection, LineString, Point
    >>> lines_only(GeometryCollection([Point(0, 0), LineString([(0, 0), (1, 1)])])).wkt
    'MULTILINESTRING ((0 0, 1 1))'
    >>> lines_only(Point(0, 0)).is_empty
    True
    """
    parts = shapely.get_parts(flatten(geom))
    parts = parts[np.isin(shapely.get_type_id(parts), _LINES)]
    return shapely.multilinestrings(parts) if len(parts) else shapely.MultiLineString()


def as_lines(geom: shapely.Geometry) -> shapely.Geometry:
    """Lines as they are, polygons by their boundary, points as points.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> [g.geom_type for g in as_lines(box(0, 0, 1, 1).union(box(2, 0, 3, 1))).geoms]
    ['LineString', 'LineString']
    """
    out = []
    for part in shapely.get_parts(flatten(geom)):
        if shapely.get_type_id(part) == _POLYGON:
            out.extend(shapely.get_parts(shapely.boundary(part)))
        elif not part.is_empty:
            out.append(part)
    return shapely.geometrycollections(out) if out else shapely.GeometryCollection()
