"""Track a war's front line from dated reports.

The public API is small: :func:`geocode` (places in a text), :func:`distance`
(geodesic distances to borders and the front line), :class:`Gazetteer` (the
bundled offline gazetteer) and :class:`Report` (one dated report). The
``tracker`` command line is built on the same functions.

Heavy modules (GeoPandas, the gazetteer index) load on first use, so
``import tracker`` and ``tracker --help`` stay fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from tracker.models import Report

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from tracker.distance import distance
    from tracker.gazetteer import Gazetteer
    from tracker.geoparse import geocode

__all__ = ["Gazetteer", "Report", "distance", "geocode"]
__version__ = "0.1.0"

_LAZY = {
    "geocode": ("tracker.geoparse", "geocode"),
    "distance": ("tracker.distance", "distance"),
    "Gazetteer": ("tracker.gazetteer", "Gazetteer"),
}


def __getattr__(name: str) -> Any:
    """Import the public functions on first access (PEP 562)."""
    if name in _LAZY:
        module, attr = _LAZY[name]
        value = getattr(import_module(module), attr)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'tracker' has no attribute {name!r}")
