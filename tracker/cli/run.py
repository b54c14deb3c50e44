"""``tracker run``: the main job, reports in, map and tables out."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import track
from rich.table import Table

from tracker.cli import app
from tracker.cli.common import err_console, exit_on_tracker_error

DEFAULT_SEEDS = Path("seeds")


@app.command(
    "run",
    epilog="Example: tracker run seeds/ --out maps/ --frontline deepstate_2025-05-20.geojson",
)
def run_command(
    paths: Annotated[list[Path] | None, typer.Argument(
        help="Report files or folders (.md/.txt with front matter, .jsonl, .csv, ACLED csv, "
             "RSS/Atom). Default: seeds/.")] = None,
    out: Annotated[Path, typer.Option("--out", help="Output folder.")] = Path("maps"),
    store: Annotated[Path | None, typer.Option(
        "--store", help="Also add reports and events to this SQLite store.")] = None,
    frontline: Annotated[list[Path] | None, typer.Option(
        "--frontline", help="Occupied-territory snapshot (GeoJSON, one per date); repeatable.")
    ] = None,
    quiet: Annotated[bool, typer.Option(
        "--quiet", "-q", help="No progress bar or summary.")] = False,
) -> None:
    """Process reports into map.html, timeline.csv, places.csv and GeoJSON/GeoPackage exports.

    Exit code 0 when every input was used, 1 when some report files were refused
    (each is named on stderr; the others are processed).
    """
    from tracker.pipeline import run

    inputs = paths or [DEFAULT_SEEDS]
    missing = [p for p in inputs if not p.exists()]
    for path in missing:
        err_console.print(f"error: {path}: no such file or folder", markup=False, highlight=False,
                          soft_wrap=True)
    inputs = [p for p in inputs if p.exists()]
    if not inputs:
        raise typer.Exit(code=2)
    show_progress = not quiet and sys.stderr.isatty()

    def progress(reports: Iterable) -> Iterable:
        reports = list(reports)
        if not show_progress:
            return reports
        return track(reports, description="Reading reports", console=err_console,
                     transient=True)

    with exit_on_tracker_error():
        result = run(inputs, out_dir=out, store=store, frontline=frontline or [],
                     on_progress=progress)
    for path, message in result.refused:
        # Loader messages already read "path:line: what is wrong".
        text = message if message.startswith(str(path)) else f"{path}: {message}"
        err_console.print(f"refused: {text}", markup=False, highlight=False, soft_wrap=True)
    for path, message in result.snapshot_problems:
        err_console.print(f"snapshot: {path}: {message}", markup=False, highlight=False,
                          soft_wrap=True)
    if not quiet:
        err_console.print(_summary(result))
    raise typer.Exit(code=1 if (result.refused or missing) else 0)


def _summary(result) -> Table:
    table = Table(title="tracker run", show_header=True, header_style="bold")
    table.add_column("what")
    table.add_column("count", justify="right")
    table.add_row("reports", str(len(result.reports)))
    table.add_row("refused files", str(len(result.refused)))
    table.add_row("events", str(len(result.timeline)))
    for event_type, count in sorted(result.events_by_type.items()):
        table.add_row(f"  {event_type}", str(count))
    table.add_row("places", str(len(result.places)))
    for name, path in result.outputs.items():
        table.add_row(f"wrote {name}", str(path))
    return table
