"""The front-line chart: occupied area and closest approaches over time, as a PNG."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from tracker.models import FRONTLINE_COLUMNS

__all__ = ["chart"]


def chart(frame: pd.DataFrame, path: str | Path, *, title: str | None = None) -> Path:
    """Draw occupied area and closest approaches over time to a PNG.

    Parameters
    ----------
    frame : pandas.DataFrame
        The output of :func:`tracker.frontline.stats`.
    path : str or Path
        PNG to write (its folder is created).
    title : str, optional
        Figure title.

    Returns
    -------
    Path
        ``path``.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = frame[frame["kind"] == "occupied"] if "kind" in frame else frame
    dates = pd.to_datetime(rows["date"])
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(9, 6.5), sharex=True)
    top.plot(dates, rows["area_km2"], marker="o", color="firebrick")
    top.set_ylabel("occupied area (km²)")
    top.grid(alpha=0.3)
    border = str(rows["border"].iloc[0]).replace("|", "/") if len(rows) else ""
    bottom.plot(dates, rows["distance_km"], marker="o", label=f"{border} border (free part)")
    for column in [c for c in rows.columns if c.endswith("_km") and c not in FRONTLINE_COLUMNS]:
        bottom.plot(dates, rows[column], marker=".", label=column[:-3].replace("_", " ").title())
    bottom.set_ylabel("closest approach (km)")
    bottom.set_ylim(bottom=0)
    bottom.grid(alpha=0.3)
    bottom.legend(loc="best", fontsize="small")
    fig.suptitle(title or "Occupied territory over time (DeepStateMap-style snapshots)")
    fig.autofmt_xdate()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
