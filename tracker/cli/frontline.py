"""``tracker frontline stats``: occupied area, closest approach per date (DESIGN.md contract 6)."""

from __future__ import annotations

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

frontline_app = typer.Typer(
    help=(
        "Front-line snapshots (occupied-territory GeoJSON, one file per date): area, change, "
        "closest approach to a border and to cities.\n\n"
        "Example: tracker frontline stats snapshots/*.geojson --city Pokrovsk"
    ),
    no_args_is_help=True,
)
app.add_typer(frontline_app, name="frontline")


@frontline_app.command("stats")
def frontline_stats(
    files: Annotated[list[Path], typer.Argument(
        help="Snapshot files (*_YYYY-MM-DD.geojson, or a 'date' property) or folders.",
        show_default=False)],
    border: Annotated[str, typer.Option(
        "--border", help="Border A/B to measure against (either order), e.g. "
                         "Donetsk/Dnipropetrovsk or Ukraine/Russia.")] = "Donetsk/Dnipropetrovsk",
    city: Annotated[list[str] | None, typer.Option(
        "--city", help="City to measure the closest approach to (repeatable): a gazetteer "
                       "name, LAT,LON or NAME=LAT,LON.", show_default=False)] = None,
    fmt: FormatOption = OutputFormat.csv,
    chart: Annotated[Path | None, typer.Option(
        "--chart", help="Also draw area and closest approach over time to this PNG.",
        show_default=False)] = None,
) -> None:
    """Print one row per snapshot: area, change, closest approach, border km crossed.

    CSV columns: date, area_km2, area_change_km2, border, distance_km, occupied_latitude,
    occupied_longitude, border_latitude, border_longitude, border_crossed_km, kind, then
    <city>_km and its nearest occupied point for each --city. distance_km is measured
    to the part of the border not already inside occupied territory. Unreadable files
    are reported on stderr and the others still processed; exit code 1 if none loads.

    Example: tracker frontline stats deepstate_2025-05-20.geojson --city Pokrovsk --chart a.png
    """
    from tracker.charts_frontline import chart as draw_chart
    from tracker.frontline import load_snapshots, stats

    with exit_on_tracker_error():
        snapshots, problems = load_snapshots(files)
        for path, message in problems:
            # soft_wrap: a long path must stay on one line for grep and logs
            err_console.print(f"warning: {path}: {message}", markup=False, highlight=False,
                              soft_wrap=True)
        if not snapshots:
            err_console.print("error: no usable snapshot", markup=False, highlight=False)
            raise typer.Exit(code=1)
        table = stats(snapshots, border=border, cities=city or ())
        if chart is not None:
            draw_chart(table, chart)
            err_console.print(f"chart written to {chart}", markup=False, highlight=False)
    print_table(table, fmt)
