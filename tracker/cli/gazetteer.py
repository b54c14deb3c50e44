"""``tracker gazetteer lookup``: candidate places of names, best first (DESIGN.md contract 1)."""

from __future__ import annotations

from typing import Annotated

import pandas as pd
import typer

from tracker.cli import app
from tracker.cli.common import (
    FormatOption,
    GazetteerExtraOption,
    OutputFormat,
    err_console,
    exit_on_tracker_error,
    print_table,
)
from tracker.models import LOOKUP_COLUMNS

gazetteer_app = typer.Typer(
    help=(
        "Look names up in the bundled gazetteer (every Ukrainian settlement, raion, hromada, "
        "oblast; Russia's border regions; countries; world capitals).\n\n"
        "Example: tracker gazetteer lookup Pokrovsk Kupyansk"
    ),
    no_args_is_help=True,
)
app.add_typer(gazetteer_app, name="gazetteer")


@gazetteer_app.command("lookup")
def gazetteer_lookup(
    names: Annotated[list[str], typer.Argument(help="Place names, in any spelling or script.",
                                               show_default=False)],
    limit: Annotated[int, typer.Option("--limit", "-n", min=1,
                                       help="Most candidates per name.")] = 10,
    fmt: FormatOption = OutputFormat.csv,
    gazetteer_extra: GazetteerExtraOption = None,
) -> None:
    """Print each name's candidate places, best first.

    CSV columns: query, rank, place_id, name, kind, admin1, country, latitude, longitude,
    population, geo_precision, source. A name with no candidate prints no row and is
    reported on stderr; the exit code is 1 when no name has a candidate.

    Example: tracker gazetteer lookup Pokrovsk "Kup'iansk" Totretsk --limit 3
    """
    from tracker.gazetteer import Gazetteer

    with exit_on_tracker_error():
        gaz = Gazetteer.load(extra=gazetteer_extra)
        frames = []
        for name in names:
            found = gaz.lookup(name, limit=limit)
            if found.empty:
                err_console.print(f"no candidate for {name!r}", markup=False, highlight=False)
                continue
            frames.append(found.assign(query=name)[LOOKUP_COLUMNS])
    table = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(
        columns=LOOKUP_COLUMNS)
    print_table(table, fmt)
    if not frames:
        raise typer.Exit(code=1)
