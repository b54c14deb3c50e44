"""Turn timeline, place and snapshot tables into compact, escaped map payloads.

Everything a report contributes (quote, source, title, place names as written,
URLs) passes through :func:`escape_text` or :func:`safe_url` here, once, before
it reaches any template; the JavaScript side only concatenates these already
escaped strings.  Payloads are embedded with :func:`to_script_json`, which also
escapes ``<``, ``>`` and ``&`` so nothing can close the ``<script>`` element.

Events are written column-wise with a shared string table (a report's source,
URL and sentence are stored once however many events cite them), which keeps
50,000 events to a few megabytes of HTML.
"""

from __future__ import annotations

import html
import json
import math
import re
from typing import Any

import numpy as np
import pandas as pd

#: Marker colour per event type (the legend lists them in this order).
EVENT_COLORS = {
    "battle": "#d62728",
    "advance": "#ff7f0e",
    "capture": "#8c1d40",
    "liberation": "#1f77b4",
    "withdrawal": "#9467bd",
    "strike": "#e377c2",
    "negotiation": "#2ca02c",
    "mention": "#7f7f7f",
}
#: Colour of any event type not listed above.
OTHER_COLOR = "#bcbd22"
#: Colour per latest control status of a place.
CONTROL_COLORS = {"RU": "#c0392b", "UA": "#1f5fbf", "contested": "#f39c12", "unknown": "#95a5a6"}
#: Longest quote (characters) put into a popup; longer ones end with an ellipsis.
MAX_QUOTE_CHARS = 600

#: Russia's regions in the admin-1 data: a border with one of them is the state border.
_RUSSIAN_REGIONS = {"Belgorod", "Bryansk", "Kursk", "Rostov", "Voronezh", "Krasnodar"}
_JINJA_OPEN = re.compile(r"\{(?=[{%#])")
_HTTP_URL = re.compile(r"^https?://[^\s<>\"'`]+$", re.IGNORECASE)


def escape_text(value: Any) -> str:
    """Return ``value`` as HTML-escaped text; missing values become ``""``.

    Parameters
    ----------
    value : object
        Any cell of a report-derived table (str, number, NaN, None).

    Returns
    -------
    str
        Text safe to place inside HTML elements and quoted attributes.

    Examples
    --------
    >>> escape_text('<img src=x onerror="alert(1)">')
    '&lt;img src=x onerror=&quot;alert(1)&quot;&gt;'
    >>> escape_text(float("nan"))
    ''
    >>> escape_text("{{ 7*7 }}")
    '&#123;&#123; 7*7 }}'
    """
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    # "{" too: folium/branca compile rendered elements as Jinja templates, where
    # "{{", "{%" and "{#" in report text would run as template code.
    return html.escape(str(value), quote=True).replace("{", "&#123;")


def safe_url(value: Any) -> str:
    """Return an escaped http(s) URL for an ``href``, or ``""`` for anything else.

    Parameters
    ----------
    value : object
        A report's URL as found in the timeline.

    Returns
    -------
    str
        The escaped URL when it is an absolute http or https URL without
        whitespace or quotes; otherwise the empty string (no link is drawn).

    Examples
    --------
    >>> safe_url("https://example.org/a?b=1&c=2")
    'https://example.org/a?b=1&amp;c=2'
    >>> safe_url("javascript:alert(1)")
    ''
    >>> safe_url("ftp://example.org/x")
    ''
    """
    if not isinstance(value, str):
        return ""
    url = value.strip()
    return html.escape(url, quote=True) if _HTTP_URL.match(url) else ""


def to_script_json(payload: Any) -> str:
    r"""Serialise ``payload`` as JSON that is safe inside an inline ``<script>``.

    Examples
    --------
    >>> to_script_json({"q": "</script><b>&"})
    '{"q":"\\u003c/script\\u003e\\u003cb\\u003e\\u0026"}'
    """
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    text = (
        text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    )
    # No Jinja block may start here (folium may compile the page text as a template):
    # "{" before "{", "%" or "#" is only ever inside a JSON string.
    return _JINJA_OPEN.sub("\\\\u007b", text)


def event_payload(timeline: pd.DataFrame) -> dict[str, Any]:
    """Build the column-wise event payload the map's JavaScript reads.

    Parameters
    ----------
    timeline : pandas.DataFrame
        ``TIMELINE_COLUMNS`` (plus optional ``url`` and ``title``). Rows without
        coordinates are left out.

    Returns
    -------
    dict
        ``n`` (number of events), ``nd`` (how many are dated; events are
        sorted by date, undated last), ``dates`` (sorted ISO dates), ``types`` and
        ``colors`` (lookup tables), ``s`` (the escaped string table) and one list
        per column: ``lat``, ``lon``, ``d`` (index into ``dates``, -1 when the
        date is missing), ``t`` (index into ``types``) and string-table indices
        ``place``, ``admin1``, ``actor``, ``claim``, ``control``, ``relation``,
        ``quote``, ``source``, ``url``, ``title``, ``dist``.
    """
    frame = timeline.copy()
    for column in ("latitude", "longitude"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce") if column in frame else np.nan
    frame = frame[frame["latitude"].notna() & frame["longitude"].notna()]
    dates = pd.to_datetime(_column(frame, "event_date"), errors="coerce", format="ISO8601")
    dates = dates.dt.strftime("%Y-%m-%d")
    order = np.argsort(dates.fillna("~").to_numpy(str), kind="stable")  # undated last
    frame, dates = frame.iloc[order], dates.iloc[order]
    date_values = sorted(dates.dropna().unique().tolist())
    date_index = {value: i for i, value in enumerate(date_values)}
    types = _column(frame, "event_type").replace("", "mention")
    type_values = list(EVENT_COLORS) + sorted(set(types) - set(EVENT_COLORS))
    type_index = {value: i for i, value in enumerate(type_values)}
    table = _StringTable()
    payload: dict[str, Any] = {
        "n": len(frame),
        "nd": int(dates.notna().sum()),
        "dates": date_values,
        "types": [escape_text(value) for value in type_values],
        "colors": [EVENT_COLORS.get(value, OTHER_COLOR) for value in type_values],
        "lat": np.round(frame["latitude"].to_numpy(float), 5).tolist(),
        "lon": np.round(frame["longitude"].to_numpy(float), 5).tolist(),
        "d": _per_value(dates.fillna(""), lambda value: date_index.get(value, -1)),
        "t": _per_value(types, type_index.__getitem__),
    }
    for key, column in (
        ("place", "place_name"), ("admin1", "admin1"), ("actor", "actor"), ("claim", "claim"),
        ("control", "control"), ("relation", "relation"), ("source", "source"),
        ("title", "title"),
    ):
        payload[key] = table.column(_column(frame, column), escape_text)
    payload["quote"] = table.column(_column(frame, "quote"),
                                    lambda text: escape_text(_shorten(text)))
    payload["url"] = table.column(_column(frame, "url"), safe_url)
    payload["dist"] = table.indices(_distance_labels(frame))
    payload["s"] = table.strings
    return payload


def distance_label(distance_km: float, border: str, *, admin1: str = "", country: str = "") -> str:
    """Phrase a place's distance to its nearest border, e.g. for a line's label.

    Parameters
    ----------
    distance_km : float
        Geodesic distance in kilometres.
    border : str
        The border's two sides, ``"A|B"`` (``"Donetsk|Dnipropetrovsk"``,
        ``"Ukraine|Russia"``).
    admin1, country : str, optional
        The place's own oblast and ISO country code; the side that is not the
        place's own names the border.

    Returns
    -------
    str
        Unescaped text; escape it before putting it into HTML.

    Examples
    --------
    >>> distance_label(19.61, "Donetsk|Dnipropetrovsk", admin1="Donetsk")
    '19.6 km to the Dnipropetrovsk oblast border'
    >>> distance_label(4.0, "Ukraine|Russia", admin1="Sumy", country="UA")
    '4.0 km to the international border with Russia'
    >>> distance_label(5.3, "Sumy|Kursk", admin1="Sumy")
    '5.3 km to the border with Russia (Kursk oblast)'
    >>> distance_label(2.25, "Kharkiv|Luhansk")
    '2.2 km to the Kharkiv/Luhansk oblast border'
    """
    sides = [side.strip() for side in str(border).split("|") if side.strip()]
    countries = {"UA": "Ukraine", "RU": "Russia", "BY": "Belarus", "PL": "Poland",
                 "SK": "Slovakia", "HU": "Hungary", "RO": "Romania", "MD": "Moldova"}
    own = {admin1, countries.get(country, country)} - {""}
    others = [side for side in sides if side not in own]
    international = any(side in countries.values() for side in sides)
    if international:
        if len(others) == 1 and len(sides) == 2:
            return f"{distance_km:.1f} km to the international border with {others[0]}"
        return f"{distance_km:.1f} km to the {'/'.join(sides)} international border"
    if len(others) == 1 and len(sides) == 2:
        if others[0] in _RUSSIAN_REGIONS and admin1 not in _RUSSIAN_REGIONS:
            return f"{distance_km:.1f} km to the border with Russia ({others[0]} oblast)"
        return f"{distance_km:.1f} km to the {others[0]} oblast border"
    return f"{distance_km:.1f} km to the {'/'.join(sides) or 'nearest'} oblast border"


def _distance_labels(frame: pd.DataFrame) -> list[str]:
    if "dist_border_km" not in frame.columns:
        return [""] * len(frame)
    distances = pd.to_numeric(frame["dist_border_km"], errors="coerce").tolist()
    borders = _column(frame, "nearest_border").tolist()
    admins = _column(frame, "admin1").tolist()
    countries = _column(frame, "country").tolist()
    labels = []
    known: dict[tuple, str] = {}  # a timeline repeats few places many times
    for key in zip(distances, borders, admins, countries, strict=True):
        label = known.get(key)
        if label is None:
            km, border, admin1, country = key
            if pd.isna(km) or not border:
                label = ""
            else:
                label = escape_text(distance_label(km, border, admin1=admin1, country=country))
            known[key] = label
        labels.append(label)
    return labels


def _per_value(values: pd.Series, function: Any) -> list:
    """``[function(v) for v in values]``, calling ``function`` once per distinct value."""
    codes, uniques = pd.factorize(values, sort=False)
    mapped = np.array([function(value) for value in uniques], dtype=object)
    return mapped[codes].tolist()


def _column(frame: pd.DataFrame, name: str) -> pd.Series:
    """Return column ``name`` as strings ("" for missing), or all "" when absent."""
    if name not in frame.columns:
        return pd.Series([""] * len(frame), index=frame.index, dtype=object)
    return frame[name].astype(object).where(frame[name].notna(), "").astype(str)


def _shorten(text: str) -> str:
    return text if len(text) <= MAX_QUOTE_CHARS else text[: MAX_QUOTE_CHARS - 1].rstrip() + "…"


class _StringTable:
    """Intern strings: each distinct string is stored once and referred to by index."""

    def __init__(self) -> None:
        self.strings: list[str] = [""]
        self._index: dict[str, int] = {"": 0}

    def indices(self, values: Any) -> list[int]:
        out = []
        for value in values:
            i = self._index.get(value)
            if i is None:
                i = self._index[value] = len(self.strings)
                self.strings.append(value)
            out.append(i)
        return out

    def column(self, values: pd.Series, transform: Any) -> list[int]:
        """Return the indices of ``transform(value)``, transforming each distinct value once.

        The distinct values come in order of first appearance, so the table is
        the same as interning the transformed column row by row.
        """
        codes, uniques = pd.factorize(values, sort=False)
        indices = np.array(self.indices(transform(value) for value in uniques), dtype=np.int64)
        return indices[codes].tolist()
