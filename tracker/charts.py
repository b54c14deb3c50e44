"""Charts beside the map (PNG, matplotlib's Agg backend, no display needed).

Two charts are written next to ``map.html`` and linked from its title box:

- ``events_per_day.png``: events per day, stacked by event type (same colours as
  the map's markers);
- ``border_distance.png``: for the places nearest to a border, the distance to
  that border on each date an event was reported there, plus the closest event
  to any border per day: how near to an oblast or state border the reported
  fighting is, over time.
"""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.collections import PolyCollection  # noqa: E402

from tracker.maps_data import EVENT_COLORS, OTHER_COLOR  # noqa: E402

#: File names of the charts, written beside the map.
CHART_FILES = {"events_per_day": "events_per_day.png", "border_distance": "border_distance.png"}
#: Link texts of the charts in the map's title box.
CHART_TITLES = {"events_per_day": "Chart: events per day",
                "border_distance": "Chart: distance to the nearest border"}


def render_charts(
    timeline: pd.DataFrame, out_dir: str | Path, *, nearest: int = 8
) -> dict[str, Path]:
    """Write the charts PNGs into ``out_dir``.

    Parameters
    ----------
    timeline : pandas.DataFrame
        ``TIMELINE_COLUMNS`` (``event_date``, ``event_type``, ``place_id``,
        ``place_name``, ``dist_border_km``, ``nearest_border`` are used).
    out_dir : str or Path
        Folder of the map; created if missing.
    nearest : int, optional
        How many places (those nearest to a border) get their own series.

    Returns
    -------
    dict
        Chart name (keys of :data:`CHART_FILES`) -> path written.

    Examples
    --------
    >>> import tempfile
    >>> frame = pd.DataFrame({"event_date": ["2025-05-19", "2025-05-20"],
    ...     "event_type": ["battle", "advance"], "place_id": ["a", "a"],
    ...     "place_name": ["Bahatyr", "Bahatyr"], "dist_border_km": [4.2, 4.2],
    ...     "nearest_border": ["Donetsk|Dnipropetrovsk"] * 2})
    >>> sorted(p.name for p in render_charts(frame, tempfile.mkdtemp()).values())
    ['border_distance.png', 'events_per_day.png']
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    frame = timeline.copy()
    frame["event_date"] = pd.to_datetime(frame.get("event_date"), errors="coerce", format="ISO8601")
    frame = frame.dropna(subset=["event_date"])
    paths = {name: out / filename for name, filename in CHART_FILES.items()}
    _events_per_day(frame, paths["events_per_day"])
    _border_distance(frame, paths["border_distance"], nearest=nearest)
    return paths


def _events_per_day(frame: pd.DataFrame, path: Path) -> None:
    fig, ax = plt.subplots(figsize=(9, 4), dpi=100)
    if frame.empty:
        ax.text(0.5, 0.5, "No dated events", ha="center", va="center", transform=ax.transAxes)
    else:
        types = frame["event_type"].fillna("mention").astype(str)
        counts = pd.crosstab(frame["event_date"].dt.normalize(), types)
        order = [t for t in EVENT_COLORS if t in counts] + sorted(set(counts) - set(EVENT_COLORS))
        _stacked_bars(ax, counts[order], _bar_width(counts.index))
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8, frameon=False)
        ax.yaxis.get_major_locator().set_params(integer=True)
        _date_axis(ax)
    ax.set_ylabel("events")
    ax.set_title("Events per day by type")
    _save(fig, path)


def _stacked_bars(ax: plt.Axes, counts: pd.DataFrame, width: float) -> None:
    """Draw ``counts`` (days x types) as stacked bars, one collection per type.

    The same rectangles as one ``ax.bar`` call per type, but each type is one
    :class:`~matplotlib.collections.PolyCollection` instead of one patch per
    day: a year of daily bars for eight types draws in a tenth of the time.
    """
    x = mdates.date2num(counts.index.to_pydatetime())
    bottom = np.zeros(len(counts))
    for event_type in counts.columns:
        heights = counts[event_type].to_numpy(dtype=float)
        keep = heights > 0
        left, right = x[keep] - width / 2, x[keep] + width / 2
        low, high = bottom[keep], bottom[keep] + heights[keep]
        corners = np.stack([np.column_stack(pair) for pair in
                            ((left, low), (left, high), (right, high), (right, low))], axis=1)
        ax.add_collection(PolyCollection(corners, facecolors=EVENT_COLORS.get(
            event_type, OTHER_COLOR), edgecolors="none", label=event_type))
        bottom += heights
    ax.xaxis_date()
    ax.autoscale_view()
    ax.set_ylim(bottom=0)


def _border_distance(frame: pd.DataFrame, path: Path, *, nearest: int) -> None:
    fig, ax = plt.subplots(figsize=(9, 4), dpi=100)
    distances = pd.to_numeric(frame.get("dist_border_km"), errors="coerce")
    rows = frame.assign(dist=distances).dropna(subset=["dist"])
    if rows.empty:
        ax.text(0.5, 0.5, "No event with a distance to a border", ha="center", va="center",
                transform=ax.transAxes)
    else:
        daily = rows.groupby(rows["event_date"].dt.normalize())["dist"].min()
        ax.step(daily.index, daily.to_numpy(), where="mid", color="black", linewidth=1.2,
                label="closest event to any border")
        key = "place_id" if "place_id" in rows else "place_name"
        closest = rows.groupby(key)["dist"].min().nsmallest(nearest).index
        for place in closest:
            sub = rows[rows[key] == place].sort_values("event_date")
            name = str(sub["place_name"].iloc[0]) if "place_name" in sub else str(place)
            border = str(sub["nearest_border"].iloc[0]) if "nearest_border" in sub else ""
            other = border.split("|")[-1] if border else ""
            ax.plot(sub["event_date"], sub["dist"], marker="o", markersize=4, linewidth=0.8,
                    label=f"{name} ({other} border)" if other else name)
        ax.set_ylim(bottom=0)
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=7, frameon=False)
        _date_axis(ax)
    ax.set_ylabel("km to nearest border")
    ax.set_title("Distance to the nearest border, places nearest to one")
    _save(fig, path)


def _save(fig: plt.Figure, path: Path) -> None:
    """Save atomically: readers of the folder see the old chart or the new one."""
    fig.tight_layout()
    tmp = path.with_name(f".{path.stem}.tmp{path.suffix}")
    try:
        fig.savefig(tmp)
        os.replace(tmp, path)
    finally:
        plt.close(fig)
        tmp.unlink(missing_ok=True)


def _bar_width(index: pd.DatetimeIndex) -> float:
    if len(index) < 2:
        return 0.8
    return max(0.8 * pd.Series(index).diff().dt.days.min(), 0.8)


def _date_axis(ax: plt.Axes) -> None:
    locator = mdates.AutoDateLocator(minticks=3, maxticks=8)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
