"""``tracker map``: re-render the map (and its charts) from a timeline CSV or a store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer

from tracker.cli import app
from tracker.cli.common import err_console, exit_on_tracker_error, warn
from tracker.errors import TrackerError


@app.command(
    "map",
    epilog="Example: tracker map --timeline maps/timeline.csv --places maps/places.csv "
           "--out maps/ --frontline deepstate_2025-05-20.geojson  "
           "(or: tracker map --store tracker.sqlite --out maps/)",
)
def map_command(
    timeline: Annotated[Path | None, typer.Option(
        "--timeline", help="timeline.csv written by `tracker run`.", exists=True,
        dir_okay=False)] = None,
    store: Annotated[Path | None, typer.Option(
        "--store", help="Render from this SQLite store (`tracker run --store`, `tracker "
                        "update`) instead of a CSV; its front-line snapshots are drawn too.",
        exists=True, dir_okay=False)] = None,
    places: Annotated[Path | None, typer.Option(
        "--places", help="places.csv written by `tracker run` (default: built from the timeline).",
        exists=True, dir_okay=False)] = None,
    out: Annotated[Path, typer.Option("--out", help="Output folder (map.html and charts).")] = Path(
        "maps"),
    frontline: Annotated[list[Path] | None, typer.Option(
        "--frontline", help="Front-line snapshot GeoJSON (occupied or grey zone, one per date); "
                            "repeatable.")] = None,
    title: Annotated[str | None, typer.Option("--title", help="Title of the map.")] = None,
    border_range: Annotated[float, typer.Option(
        "--border-range", help="Draw distance lines for places this close to a border (km).")
    ] = 25.0,
) -> None:
    """Re-render DIR/map.html and its charts from a timeline CSV or a store (no report re-read).

    Give exactly one of --timeline and --store. Prints the paths written, one a line.
    """
    from tracker.maps import render_map

    if (timeline is None) == (store is None):
        err_console.print("error: give exactly one of --timeline FILE and --store FILE",
                          markup=False, highlight=False)
        raise typer.Exit(code=2)
    with exit_on_tracker_error():
        snapshots = _snapshots(frontline or [])
        if store is not None:
            frame, place_frame, stored = _from_store(store)
            snapshots = stored + snapshots
        else:
            frame = _read_csv(timeline)
            place_frame = _read_csv(places) if places is not None else _place_table(frame)
        path = render_map(frame, place_frame, out / "map.html", snapshots=snapshots, title=title,
                          border_range_km=border_range)
    for written in [path, *sorted(out.glob("*.png"))]:
        typer.echo(str(written))


def _read_csv(path: Path) -> pd.DataFrame:
    try:
        return pd.read_csv(path, dtype={"place_id": str, "report_id": str, "event_id": str},
                           keep_default_na=False, na_values=[""])
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise TrackerError(f"{path}: not a readable CSV ({exc})") from exc


def _from_store(path: Path) -> tuple[pd.DataFrame, pd.DataFrame, list[Any]]:
    """Timeline, places and snapshots rebuilt from a store, as ``tracker update`` does."""
    import shapely

    from tracker.frontline import Snapshot
    from tracker.pipeline import build_outputs
    from tracker.store import Store

    with Store(path) as db:
        snapshots = [Snapshot(date=s["date"], path=s["path"],
                              geometry=shapely.from_geojson(s["geometry"]), kind=s["kind"])
                     for s in db.snapshots()]
        # One table straight from the store, as `tracker update` reads it (fast at 66k events).
        timeline, places = build_outputs(db.events_frame(), snapshots=snapshots)
    return timeline, places, snapshots


def _place_table(timeline: pd.DataFrame) -> pd.DataFrame:
    from tracker.timeline import place_table

    return place_table(timeline)


def _snapshots(paths: list[Path]) -> list[Any]:
    if not paths:
        return []
    from tracker.frontline import load_snapshots

    snapshots, problems = load_snapshots(paths)
    for path, message in problems:
        warn(f"{path}: {message}")
    if not snapshots:
        err_console.print("warning: no usable front-line snapshot", markup=False)
    return list(snapshots)
