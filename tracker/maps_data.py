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
_SCRIPT_UNSAFE = re.compile("[<>&{\u2028\u2029]")
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
    if isinstance(payload, dict) and all(isinstance(key, str) for key in payload) and any(
            isinstance(value, np.ndarray) for value in payload.values()):
        # Member by member (the same text): integer arrays are joined by Arrow, and
        # only members holding text need the escapes below.
        return "{" + ",".join(f"{_script_json(key)}:{_member_json(value)}"
                              for key, value in payload.items()) + "}"
    return _script_json(payload)


def _member_json(value: Any) -> str:
    if isinstance(value, np.ndarray) and value.dtype.kind in "iu":
        import pyarrow as pa
        import pyarrow.compute as pc

        text = pa.array(value).cast(pa.string())
        joined = pc.binary_join(pa.ListArray.from_arrays(
            pa.array([0, len(text)], type=pa.int32()), text), ",")[0].as_py()
        return f"[{joined}]"
    if isinstance(value, np.ndarray):
        value = value.tolist()
    return _script_json(value)


def _script_json(payload: Any) -> str:
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    if not _SCRIPT_UNSAFE.search(text):
        return text
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

    Notes
    -----
    Two steps: :func:`payload_rows` (each row on its own: escaping, labels) and
    :func:`assemble_payload` (the tables over all rows), so that ``tracker
    update`` can keep the rows of unchanged events and only assemble.
    """
    return assemble_payload(payload_rows(timeline))


#: Columns of :func:`payload_rows`: string columns in the order they fill the string table.
PAYLOAD_STRINGS = ["place", "admin1", "actor", "claim", "control", "relation", "source", "title",
                   "quote", "url", "dist"]
PAYLOAD_COLUMNS = ["lat", "lon", "date", "type", *PAYLOAD_STRINGS]


def payload_rows(timeline: pd.DataFrame) -> pd.DataFrame:
    """Each timeline row's share of the payload, computed from that row alone.

    Parameters
    ----------
    timeline : pandas.DataFrame
        As for :func:`event_payload`.

    Returns
    -------
    pandas.DataFrame
        :data:`PAYLOAD_COLUMNS`, aligned with ``timeline``: ``lat``/``lon``
        rounded to 5 decimals (NaN when missing), ``date`` as ``YYYY-MM-DD``
        (None when missing or unreadable), ``type`` (``mention`` when empty) and
        the escaped strings (quotes shortened, URLs only when http(s)).
    """
    frame = timeline
    rows: dict[str, Any] = {}
    for key, column in (("lat", "latitude"), ("lon", "longitude")):
        values = (pd.to_numeric(frame[column], errors="coerce") if column in frame
                  else pd.Series(np.nan, index=frame.index))
        rows[key] = np.round(values.to_numpy(float), 5)
    dates = pd.to_datetime(_column(frame, "event_date"), errors="coerce", format="ISO8601")
    rows["date"] = dates.dt.strftime("%Y-%m-%d").astype(object).where(dates.notna(), None)
    rows["type"] = _column(frame, "event_type").replace("", "mention")
    for key, column in (
        ("place", "place_name"), ("admin1", "admin1"), ("actor", "actor"), ("claim", "claim"),
        ("control", "control"), ("relation", "relation"), ("source", "source"),
        ("title", "title"),
    ):
        rows[key] = _per_value(_column(frame, column), escape_text)
    rows["quote"] = _per_value(_column(frame, "quote"), lambda text: escape_text(_shorten(text)))
    rows["url"] = _per_value(_column(frame, "url"), safe_url)
    rows["dist"] = _distance_labels(frame)
    return pd.DataFrame(rows, index=frame.index)[PAYLOAD_COLUMNS]


def assemble_payload(rows: pd.DataFrame, *, arrays: bool = False) -> dict[str, Any]:
    """Build the payload of :func:`event_payload` from :func:`payload_rows` (in timeline order).

    Parameters
    ----------
    rows : pandas.DataFrame
        :data:`PAYLOAD_COLUMNS`, one row per timeline row, in timeline order.
    arrays : bool
        Give the index columns (``d``, ``t`` and the string-table indices) as
        NumPy integer arrays instead of lists: :func:`to_script_json` writes
        them three times faster, as the same text.

    Returns
    -------
    dict
        The payload; the string table holds each distinct string once, in the
        order of first appearance column by column (:data:`PAYLOAD_STRINGS`).
    """
    located = (rows["lat"].notna() & rows["lon"].notna()).to_numpy()
    # (copies of every column only when needed: a timeline is usually located and sorted)
    frame = rows if located.all() else rows[located]
    order = np.argsort(frame["date"].fillna("~").to_numpy(str), kind="stable")  # undated last
    if (order != np.arange(len(order))).any():
        frame = frame.iloc[order]
    dates = frame["date"]
    date_values = sorted(dates.dropna().unique().tolist())
    date_index = {value: i for i, value in enumerate(date_values)}
    types = frame["type"].astype(str)
    type_values = list(EVENT_COLORS) + sorted(set(types.unique()) - set(EVENT_COLORS))
    type_index = {value: i for i, value in enumerate(type_values)}
    payload: dict[str, Any] = {
        "n": len(frame),
        "nd": int(dates.notna().sum()),
        "dates": date_values,
        "types": [escape_text(value) for value in type_values],
        "colors": [EVENT_COLORS.get(value, OTHER_COLOR) for value in type_values],
        "lat": frame["lat"].to_numpy(float).tolist(),
        "lon": frame["lon"].to_numpy(float).tolist(),
        "d": _mapped(dates.fillna(""), lambda value: date_index.get(value, -1)),
        "t": _mapped(types, type_index.__getitem__),
    }
    # One dictionary encoding over every string column, "" first: Arrow numbers
    # the strings in order of first appearance, so this is the table that
    # interning the columns one after the other, row by row, would give.
    import pyarrow as pa
    import pyarrow.compute as pc

    parts = [pa.array([""], type=pa.large_string())]
    parts += [_arrow_text(frame[key]) for key in PAYLOAD_STRINGS]
    encoded = pc.dictionary_encode(pa.concat_arrays(parts))
    codes = encoded.indices.to_numpy()
    n = len(frame)
    for i, key in enumerate(PAYLOAD_STRINGS):
        payload[key] = codes[1 + i * n: 1 + (i + 1) * n]
    payload["s"] = encoded.dictionary.to_pylist()
    if not arrays:
        for key in ("d", "t", *PAYLOAD_STRINGS):
            payload[key] = payload[key].tolist()
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


def _arrow_text(values: pd.Series) -> Any:
    """Return a text column as one Arrow ``large_string`` array (no copy if it is one)."""
    import pyarrow as pa

    if isinstance(values.dtype, pd.StringDtype) and values.dtype.storage == "pyarrow":
        array = pa.array(values.array)
    else:
        array = pa.array(values.to_numpy(dtype=object), type=pa.large_string(), from_pandas=True)
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    return array.cast(pa.large_string()).fill_null("")


def _mapped(values: pd.Series, function: Any) -> np.ndarray:
    """``function(v)`` (an integer) for each of ``values``, called once per distinct value."""
    codes, uniques = pd.factorize(values, sort=False)
    return np.array([function(value) for value in uniques], dtype=np.int64)[codes]


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
