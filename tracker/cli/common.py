"""Options and helpers shared by every command: output format, errors, progress."""

from __future__ import annotations

import contextlib
import enum
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from rich.console import Console

from tracker.errors import TrackerError

#: Messages, warnings and progress go to stderr so stdout stays clean CSV/JSON.
err_console = Console(stderr=True)


class OutputFormat(str, enum.Enum):
    """Table formats a command can print."""

    csv = "csv"
    json = "json"


#: ``--format/-f``: csv (default) or json, for every command that prints a table.
FormatOption = Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")]
#: ``--gazetteer-extra``: the user's extra-places CSV (read by :mod:`tracker.gazetteer_extra`).
GazetteerExtraOption = Annotated[Path | None, typer.Option(
    "--gazetteer-extra",
    help=("CSV of extra places (name,latitude,longitude[,admin1,aliases,kind,country,"
          "population]); default: the file named by $TRACKER_GAZETTEER_EXTRA."),
    show_default=False)]


def print_table(frame: pd.DataFrame, fmt: OutputFormat) -> None:
    """Print a DataFrame to stdout as CSV (UTF-8, header row) or JSON records."""
    if fmt is OutputFormat.json:
        sys.stdout.write(frame.to_json(orient="records", force_ascii=False, indent=1) + "\n")
    else:
        frame.to_csv(sys.stdout, index=False, lineterminator="\n")


def warn(message: str) -> None:
    """Print a warning line to stderr (markup in ``message`` is not interpreted)."""
    err_console.print(f"warning: {message}", markup=False, highlight=False, soft_wrap=True)


@contextlib.contextmanager
def exit_on_tracker_error() -> Iterator[None]:
    """Turn a :class:`TrackerError` into ``error: ...`` on stderr and exit code 1."""
    try:
        yield
    except TrackerError as exc:
        err_console.print(f"error: {exc}", markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(code=1) from None
