"""``tracker update``: the scripted daily update over the SQLite store (cron-friendly)."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from tracker.cli import app
from tracker.cli.common import err_console

EXAMPLE = """Example: tracker update --inbox ~/tracker/inbox --feeds ~/tracker/feeds.txt \
--out ~/tracker/maps --frontline-dir ~/tracker/frontline --quiet --log-file ~/tracker/update.log"""


@app.command("update", epilog=EXAMPLE)
def update_command(
    inbox: Annotated[Path | None, typer.Option(
        "--inbox", help="Folder of new report files (walked; every report format).")] = None,
    feeds: Annotated[Path | None, typer.Option(
        "--feeds", help="File listing RSS/Atom feed URLs or paths, one per line.")] = None,
    store: Annotated[Path | None, typer.Option(
        "--store", help="SQLite store. Default: $TRACKER_STORE, else "
                        "$XDG_DATA_HOME/tracker/tracker.sqlite "
                        "(~/.local/share/tracker/tracker.sqlite).")] = None,
    out: Annotated[Path | None, typer.Option(
        "--out", help="Output folder for map.html, timeline.csv, places.csv. "
                      "Default: maps.")] = None,
    frontline_dir: Annotated[Path | None, typer.Option(
        "--frontline-dir", help="Folder of front-line snapshot GeoJSON files.")] = None,
    config: Annotated[Path | None, typer.Option(
        "--config", help="TOML settings (keys: inbox, feeds, store, out, frontline_dir, "
                         "alert_km, watch_borders, watch_cities, feed_timeout, wait, exports, "
                         "quiet, log_file, log_json); flags override it.")] = None,
    reprocess: Annotated[bool, typer.Option(
        "--reprocess", help="Recompute all mentions and events from the stored texts.")] = False,
    alert_km: Annotated[float | None, typer.Option(
        "--alert-km", help="Report places with new events within this many km of a border "
                           "or watched city. Default: 25.")] = None,
    wait: Annotated[float | None, typer.Option(
        "--wait", help="Seconds to wait for another update on the same store. "
                       "Default: 30.")] = None,
    quiet: Annotated[bool | None, typer.Option(
        "--quiet", "-q", help="Print only warnings and errors (no summary).")] = None,
    log_file: Annotated[Path | None, typer.Option(
        "--log-file", help="Append the log (and the summary) to this file.")] = None,
    log_json: Annotated[bool | None, typer.Option(
        "--log-json", help="Write log lines as JSON objects (one per line).")] = None,
    exports: Annotated[bool | None, typer.Option(
        "--exports/--no-exports", help="Also write events.geojson, places.geojson and "
                                       "tracker.gpkg. Default: off (config key exports).")] = None,
) -> None:
    """Add what is new in the inbox, feeds and front-line folder to the store; rebuild outputs.

    Reports the store has already seen are skipped; only new ones are processed,
    then map.html, timeline.csv and places.csv are regenerated from the store and
    moved into place atomically. Exit code 0: all fine; 1: done, but some inputs
    were refused (each is named); 2: nothing done (e.g. the store is locked).
    """
    from tracker.errors import TrackerError
    from tracker.update import load_config, update

    try:
        settings: dict[str, Any] = load_config(config) if config else {}
    except TrackerError as exc:
        err_console.print(f"error: {exc}", markup=False, highlight=False)
        raise typer.Exit(code=2) from None
    flags = {"inbox": inbox, "feeds": feeds, "store": store, "out": out,
             "frontline_dir": frontline_dir, "alert_km": alert_km, "wait": wait,
             "quiet": quiet, "log_file": log_file, "log_json": log_json, "exports": exports}
    settings.update({k: v for k, v in flags.items() if v is not None})
    quiet = bool(settings.pop("quiet", False))
    handlers = _logging(quiet=quiet, log_file=settings.pop("log_file", None),
                        as_json=bool(settings.pop("log_json", False)))
    try:
        if settings.get("inbox") is None and settings.get("feeds") is None and not reprocess:
            err_console.print("error: nothing to read: give --inbox and/or --feeds "
                              "(or set them in --config)", markup=False, highlight=False)
            raise typer.Exit(code=2)
        show_progress = not quiet and sys.stderr.isatty()
        try:
            summary = update(reprocess=reprocess, on_progress=_progress if show_progress
                             else None, **settings)
        except TrackerError as exc:
            logging.getLogger("tracker.update").error("%s", exc)
            raise typer.Exit(code=2) from None
        except Exception as exc:  # a bug must not look like success to cron
            logging.getLogger("tracker.update").exception("update failed: %s", exc)
            raise typer.Exit(code=2) from None
        logging.getLogger("tracker.update").info(
            "summary", extra={"summary": summary.to_dict()})
        if not quiet:
            sys.stdout.write(format_summary(summary))
        raise typer.Exit(code=summary.exit_code)
    finally:
        for handler in handlers:
            logging.getLogger("tracker").removeHandler(handler)
            handler.close()


def format_summary(summary) -> str:
    """Plain-text summary of an update (what cron mails to its owner)."""
    lines = [f"new reports: {summary.new_reports} (already known: {summary.known_reports}, "
             f"duplicates: {summary.duplicates}, unchanged files not read: "
             f"{summary.unchanged_files})"]
    if summary.reprocessed:
        lines.append(f"reprocessed reports: {summary.reprocessed}")
    events = ", ".join(f"{k} {v}" for k, v in sorted(summary.new_events.items())) or "none"
    lines.append(f"new events: {sum(summary.new_events.values())} ({events})")
    lines.append(f"new front-line snapshots: {summary.new_snapshots}")
    lines.append(f"control changes: {len(summary.control_changes)}")
    lines += [f"  {c['place_name']} ({c['place_id']}): {c['before']} -> {c['after']}"
              for c in summary.control_changes]
    for title, alerts in (("near a border", summary.border_alerts),
                          ("near a watched city", summary.city_alerts)):
        lines.append(f"places with new events {title}: {len(alerts)}")
        lines += [f"  {a['place_name']} ({a['place_id']}): {a['distance_km']:g} km from "
                  f"{a['to']} [{', '.join(a['event_types'])}]" for a in alerts]
    lines.append(f"refused inputs: {len(summary.refused)}")
    lines += [f"  {message}" for _, message in summary.refused]
    if summary.outputs:
        lines.append("outputs: " + ", ".join(str(p) for p in summary.outputs.values()))
    else:
        lines.append("outputs: unchanged")
    return "\n".join(lines) + "\n"


def _progress(reports):
    from rich.progress import track

    return track(reports, description="Processing reports", console=err_console,
                 transient=True)


class _JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {"time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
                 "level": record.levelname.lower(), "message": record.getMessage()}
        for key in ("input", "summary"):
            if hasattr(record, key):
                entry[key] = getattr(record, key)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class _TextFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        if hasattr(record, "summary"):
            record = logging.makeLogRecord({**record.__dict__, "msg": "summary %s",
                                            "args": (json.dumps(record.summary),)})
        return super().format(record)


class _Lower(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return super().format(record).replace(record.levelname, record.levelname.lower(), 1)


def _logging(*, quiet: bool, log_file: Path | None, as_json: bool) -> list[logging.Handler]:
    """Route the ``tracker`` logger to stderr (and a file), plain or JSON lines."""
    logger = logging.getLogger("tracker")
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    text = _TextFormatter("%(asctime)s %(levelname)s %(message)s", "%Y-%m-%dT%H:%M:%S")
    stderr = logging.StreamHandler(sys.stderr)
    stderr.setLevel(logging.WARNING)  # the summary on stdout says the rest
    stderr.setFormatter(_JsonFormatter() if as_json else _Lower("%(levelname)s: %(message)s"))
    handlers: list[logging.Handler] = [stderr]
    if as_json and not quiet:
        stderr.setLevel(logging.INFO)
    if log_file is not None:
        Path(log_file).parent.mkdir(parents=True, exist_ok=True)
        to_file = logging.FileHandler(log_file, encoding="utf-8")
        to_file.setLevel(logging.DEBUG)  # tracebacks of failed reports go here
        to_file.setFormatter(_JsonFormatter() if as_json else text)
        handlers.append(to_file)
    for handler in handlers:
        logger.addHandler(handler)
    return handlers
