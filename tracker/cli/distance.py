"""``tracker distance``: geodesic distance to a border or the front line (DESIGN.md contract 3)."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Annotated

import typer

from tracker.cli import app
from tracker.cli.common import (
    FormatOption,
    OutputFormat,
    err_console,
    exit_on_tracker_error,
    print_table,
)
from tracker.errors import TrackerError

TARGET_HELP = ("admin1 (nearest oblast border), country (Ukraine's international border), "
               "border:A/B (e.g. border:Donetsk/Dnipropetrovsk, border:Ukraine/Russia), or "
               "frontline:FILE (front line of an occupied-territory GeoJSON snapshot).")


@app.command("distance")
def distance_command(
    lat: Annotated[float | None, typer.Option("--lat", min=-90, max=90,
                                              help="Latitude, WGS84 decimal degrees.",
                                              show_default=False)] = None,
    lon: Annotated[float | None, typer.Option("--lon", min=-180, max=180,
                                              help="Longitude, WGS84 decimal degrees.",
                                              show_default=False)] = None,
    points: Annotated[Path | None, typer.Option(
        "--points", help="CSV with latitude,longitude columns (other columns are ignored).",
        show_default=False)] = None,
    to: Annotated[str, typer.Option("--to", help=TARGET_HELP)] = "admin1",
    fmt: FormatOption = OutputFormat.csv,
) -> None:
    """Print the geodesic distance (km, WGS84 ellipsoid) to a border and its nearest point.

    CSV columns: latitude, longitude, distance_km, border, nearest_latitude,
    nearest_longitude. Points outside the data's extent are reported on stderr.

    Example: tracker distance --lat 48.28014 --lon 37.17706 --to border:Donetsk/Dnipropetrovsk
    """
    from tracker.distance import ExtentWarning, distance, read_points

    with exit_on_tracker_error():
        if points is not None:
            if lat is not None or lon is not None:
                raise TrackerError("give either --points FILE or --lat/--lon, not both")
            table = read_points(points)
            latitudes, longitudes = table["latitude"], table["longitude"]
        elif lat is None or lon is None:
            raise TrackerError("give --lat and --lon, or --points FILE.csv")
        else:
            latitudes, longitudes = [lat], [lon]
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", ExtentWarning)
            result = distance(latitudes, longitudes, to=to)
    for item in caught:
        if issubclass(item.category, ExtentWarning):
            message = str(item.message)
            if points is not None:  # '#i' is a row number; name the CSV line instead
                message = f"{points}: {message} (#N counts data rows from 0)"
            # soft_wrap: a long path must stay on one line for grep and logs
            err_console.print(f"warning: {message}", markup=False, highlight=False,
                              soft_wrap=True)
    # 1 m and ~0.1 m: far below the boundaries' own accuracy
    result = result.round({"distance_km": 3, "nearest_latitude": 6, "nearest_longitude": 6})
    print_table(result, fmt)
