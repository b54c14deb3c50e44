"""The ``tracker`` command: a thin Typer shell over the pipeline stages.

Each command group lives in its own module and registers itself on ``app``;
the commands parse options, call one library function and format its result.
"""

from __future__ import annotations

import typer

app = typer.Typer(
    name="tracker",
    help=(
        "Track a war's front line from dated reports: find and place every place name, "
        "build a dated territorial timeline, measure distances to borders and the front "
        "line, and render a folium map.\n\nExample: tracker run seeds/ --out maps/"
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)



@app.callback()
def _root() -> None:
    """Track a war's front line from dated reports (see ``tracker COMMAND --help``)."""


# Registration: each module adds its commands to ``app`` when imported
# (one line per command group).
from tracker.cli import distance as _distance  # noqa: E402,F401
from tracker.cli import frontline as _frontline  # noqa: E402,F401
from tracker.cli import gazetteer as _gazetteer  # noqa: E402,F401
from tracker.cli import geocode as _geocode  # noqa: E402,F401
from tracker.cli import map as _map  # noqa: E402,F401
from tracker.cli import run as _run  # noqa: E402,F401
from tracker.cli import update as _update  # noqa: E402,F401


def main() -> None:
    """Run the ``tracker`` command line."""
    app()
