"""The scripted daily update: take what is new, store it once, regenerate the outputs.

:func:`update` is what ``tracker update`` runs (from cron or a systemd timer):

1. load the report files of the inbox and the items of the RSS/Atom feeds
   (fetched with a timeout and a User-Agent; a failing feed is reported and the
   others proceed) and the front-line snapshots of a folder;
2. under an exclusive lock, in one SQLite transaction, skip what the store has
   already seen (same report id or same content hash, same snapshot hash),
   process only the new reports (:func:`tracker.pipeline.process_report`) and
   store them with their mentions and events;
3. bring the timeline and place tables up to date from the store (never from the
   inbox): only the places whose events changed are rebuilt, the rest comes from
   the store's output caches (:mod:`tracker.update_outputs`,
   :mod:`tracker.store_outputs`); then write the outputs atomically
   (:func:`tracker.pipeline.write_outputs`);
4. return an :class:`UpdateSummary`: new reports, new events by type, control
   changes, places within ``alert_km`` of a border or a watched city, refused
   inputs, and the exit code (0 fine, 1 some inputs refused).

``reprocess=True`` recomputes every mention and event from the stored texts
(after a gazetteer or rules upgrade). Running the same update twice adds
nothing and leaves the outputs byte-identical; a run killed at any moment leaves
the previous state, and the next run converges.

The helpers live beside it: :mod:`tracker.feeds` (feed list and HTTP),
:mod:`tracker.update_config` (``--config`` TOML), :mod:`tracker.update_inputs`
(changed inbox files, snapshots), :mod:`tracker.update_outputs` (tables from the
caches), :mod:`tracker.update_alerts` (control changes and alerts) and
:mod:`tracker.update_marker` (outputs' state).
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tracker.errors import ReportError, TrackerError
from tracker.feeds import load_feeds
from tracker.loaders.base import MAX_BYTES
from tracker.models import Report
from tracker.update_alerts import compare_places, find_alerts
from tracker.update_config import CONFIG_KEYS, load_config
from tracker.update_inputs import (
    changed_files,
    dedupe,
    front_line_for,
    geometry,
    ingest_snapshots,
    snapshot_files,
)
from tracker.update_marker import MARKER, outputs_current, remove_stale_temporaries, write_marker
from tracker.update_outputs import output_tables, outputs_stale

__all__ = ["CONFIG_KEYS", "Stages", "UpdateSummary", "default_stages", "load_config", "update"]

log = logging.getLogger("tracker.update")


@dataclass
class Stages:
    """The pipeline functions an update calls (swapped for fakes in tests).

    Attributes
    ----------
    process : callable
        ``(report, gazetteer) -> (mentions, events)``.
    build : callable
        ``(events, *, snapshots) -> (timeline, places)``; ``events`` is the
        table of :meth:`tracker.store.Store.events_frame`.
    write : callable
        ``(out_dir, timeline, places, *, snapshots, n_reports, exports) -> {name: path}``.
    gazetteer : callable
        ``() -> Gazetteer``, called only when there is something to process.
    load_snapshots : callable
        ``(paths) -> (snapshots, problems)``.
    snapshot : callable
        ``(date, path, geometry, kind) -> Snapshot`` rebuilt from the store.
    """

    process: Callable[[Report, Any], tuple[list, list]]
    build: Callable[..., tuple[Any, Any]]
    write: Callable[..., dict[str, Path]]
    gazetteer: Callable[[], Any]
    load_snapshots: Callable[[list[Path]], tuple[list, list]]
    snapshot: Callable[..., Any]


def default_stages() -> Stages:
    """Return the real pipeline stages (imported on first use)."""
    from tracker import pipeline

    def gazetteer():
        from tracker.gazetteer import Gazetteer

        return Gazetteer.load()

    def load_snapshots(paths):
        from tracker.frontline import load_snapshots

        return load_snapshots(paths)

    def snapshot(date, path, geometry, kind):
        from tracker.frontline import Snapshot

        return Snapshot(date=date, path=path, geometry=geometry, kind=kind)

    return Stages(process=pipeline.process_report, build=pipeline.build_outputs,
                  write=pipeline.write_outputs, gazetteer=gazetteer,
                  load_snapshots=load_snapshots, snapshot=snapshot)


@dataclass
class UpdateSummary:
    """What one update did (printed by ``tracker update``; ``exit_code`` for cron).

    Attributes
    ----------
    new_reports : int
        Reports stored by this run.
    known_reports : int
        Reports read again but skipped because the store had them (same id or text).
    unchanged_files : int
        Inbox files skipped unread: same size and modification time as when their
        reports were stored.
    duplicates : int
        Reports dropped because the same text came twice in this run's input.
    new_events : Counter
        New events by ``event_type``.
    control_changes : list of dict
        ``place_id, place_name, before, after`` for each place whose latest
        control changed.
    border_alerts : list of dict
        Places with new events within ``alert_km`` of a (watched) border.
    city_alerts : list of dict
        Places with new events within ``alert_km`` of a watched city.
    refused : list of (str, str)
        ``(path or URL, message)`` of each refused file, record, feed or snapshot.
    new_snapshots : int
        Front-line snapshots stored by this run.
    reprocessed : int
        Reports recomputed by ``reprocess``.
    outputs : dict
        Output name -> path written (empty when the outputs were already current).
    incremental : bool
        Whether the outputs were assembled from the store's caches, rebuilding only
        the places whose events changed (see :mod:`tracker.store_outputs`).
    rebuilt_places : int
        Places whose timeline and place rows this run computed.
    timings : dict
        Seconds spent per step: ``load`` (inputs), ``ingest`` (processing and
        storing), ``build`` (timeline from the store), ``write`` (outputs).
    """

    new_reports: int = 0
    known_reports: int = 0
    unchanged_files: int = 0
    duplicates: int = 0
    new_events: Counter = field(default_factory=Counter)
    control_changes: list[dict] = field(default_factory=list)
    border_alerts: list[dict] = field(default_factory=list)
    city_alerts: list[dict] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)
    new_snapshots: int = 0
    reprocessed: int = 0
    outputs: dict[str, Path] = field(default_factory=dict)
    incremental: bool = False
    rebuilt_places: int = 0
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        """0 when every input was used, 1 when some were refused."""
        return 1 if self.refused else 0

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (for ``--log-json``)."""
        return {
            "new_reports": self.new_reports, "known_reports": self.known_reports,
            "unchanged_files": self.unchanged_files,
            "duplicates": self.duplicates, "new_events": dict(sorted(self.new_events.items())),
            "control_changes": self.control_changes, "border_alerts": self.border_alerts,
            "city_alerts": self.city_alerts,
            "refused": [{"input": p, "message": m} for p, m in self.refused],
            "new_snapshots": self.new_snapshots, "reprocessed": self.reprocessed,
            "outputs": {k: str(v) for k, v in self.outputs.items()},
            "incremental": self.incremental, "rebuilt_places": self.rebuilt_places,
            "timings": {k: round(v, 3) for k, v in self.timings.items()},
            "exit_code": self.exit_code,
        }


def update(
    *,
    inbox: str | Path | None = None,
    feeds: str | Path | None = None,
    store: str | Path | None = None,
    out: str | Path = "maps",
    frontline_dir: str | Path | None = None,
    reprocess: bool = False,
    alert_km: float = 25.0,
    watch_borders: Sequence[str] = (),
    watch_cities: Sequence[str | dict] = (),
    exports: bool = False,
    feed_timeout: float = 20.0,
    wait: float = 30.0,
    max_bytes: int = MAX_BYTES,
    stages: Stages | None = None,
    on_progress: Callable[[list[Report]], Iterable[Report]] | None = None,
) -> UpdateSummary:
    """Run one incremental update: new inputs into the store, outputs from the store.

    Parameters
    ----------
    inbox : path, optional
        Folder (or file) of report files; walked recursively.
    feeds : path, optional
        Text file listing feed URLs or paths (relative to the file), one per line.
    store : path, optional
        The SQLite store (default :func:`tracker.store.default_store_path`).
    out : path
        Output folder (map.html, timeline.csv, places.csv, exports).
    frontline_dir : path, optional
        Folder of front-line snapshot GeoJSON files.
    reprocess : bool
        Recompute every stored report's mentions and events.
    alert_km : float
        Distance that makes a place with new events worth an alert.
    watch_borders : sequence of str
        Borders ``"A/B"`` to watch; default: every admin-1 border (nearest one).
    watch_cities : sequence of str or dict
        City names (resolved with the gazetteer) or ``{name, latitude, longitude}``.
    exports : bool
        Also write the GeoJSON and GeoPackage exports (off by default: for a
        large store they cost more than the rest of the outputs together);
        when off, exports an earlier run left in ``out`` are removed.
    feed_timeout : float
        Seconds per feed request.
    wait : float
        Seconds to wait for another update on the same store before giving up.
    max_bytes : int
        Refuse report files and feeds larger than this.
    stages : Stages, optional
        The pipeline functions (default :func:`default_stages`).
    on_progress : callable, optional
        Wraps the list of reports to process (the CLI passes a progress bar).

    Returns
    -------
    UpdateSummary

    Raises
    ------
    TrackerError
        When nothing could be done: the inbox is missing, the store is locked for
        longer than ``wait`` or unusable (:class:`~tracker.errors.StoreError`).
    """
    from tracker.reports import load_reports
    from tracker.store import Store, default_store_path, update_lock

    stages = stages or default_stages()
    store_path = Path(store) if store is not None else default_store_path()
    out = Path(out)
    summary = UpdateSummary()
    clock = _Clock(summary.timings)

    # 1. Feeds first, outside the lock: a slow feed never holds the store.
    if inbox is not None and not Path(inbox).exists():
        raise TrackerError(f"inbox {inbox} does not exist")
    snapshot_paths = snapshot_files(frontline_dir)
    reports: list[Report] = []
    if feeds is not None:
        reports, feed_refused = load_feeds(Path(feeds), timeout=feed_timeout,
                                           max_bytes=max_bytes)
        summary.refused.extend(feed_refused)

    # 2. Under the lock: the inbox files that changed since they were last taken in,
    # then one transaction for everything that is new.
    with update_lock(store_path, timeout=wait), Store(store_path, timeout=wait) as db:
        marker = out / MARKER
        remove_stale_temporaries(out)
        files = changed_files(db, inbox, summary) if inbox is not None else []
        loaded = load_reports([path for path, _ in files], max_bytes=max_bytes)
        summary.refused[:0] = loaded.refused
        summary.duplicates += len(loaded.duplicates)
        reports, repeated = dedupe(loaded.reports + reports)
        summary.duplicates += repeated
        for path, message in summary.refused:
            log.warning("refused: %s", message, extra={"input": path})
        clock.lap("load")
        with db.transaction():
            new = [r for r in reports if not db.is_known(r)]
            summary.known_reports = len(reports) - len(new)
            todo = db.reports() + new if reprocess else new
            if reprocess:
                db.clear_results()
            gazetteer = stages.gazetteer() if todo else None
            new_ids = {r.id for r in new}
            new_event_ids: set[str] = set()
            # Snapshots first: the front line of each report's date helps the geoparser
            # choose among same-name villages, as in `tracker run`.
            summary.new_snapshots = ingest_snapshots(db, snapshot_paths, stages, summary)
            stored = db.snapshots() if todo else []
            front = [stages.snapshot(s["date"], s["path"], geometry(s["geometry"]), s["kind"])
                     for s in stored if s["kind"] == "occupied"]
            for report in on_progress(todo) if on_progress else todo:
                try:
                    line = front_line_for(report.date, front)
                    mentions, events = (stages.process(report, gazetteer, frontline=line)
                                        if line is not None
                                        else stages.process(report, gazetteer))
                except Exception as exc:  # untrusted text never crashes a batch
                    summary.refused.append((report.path or report.id, str(ReportError(
                        f"report {report.id} could not be processed: "
                        f"{type(exc).__name__}: {exc}", path=report.path or report.id))))
                    log.warning("processing failed for %s: %s: %s", report.id,
                                type(exc).__name__, exc)
                    log.debug("traceback of %s", report.id, exc_info=True)
                    continue
                if report.id in new_ids:
                    db.add_report(report, mentions, events)
                    summary.new_reports += 1
                    summary.new_events.update(e.event_type for e in events)
                    new_event_ids.update(e.event_id for e in events)
                else:
                    db.replace_results(report.id, mentions, events)
                    summary.reprocessed += 1
            # Files whose every record was taken in are not read again until they change.
            refused_paths = {path for path, _ in summary.refused}
            db.record_input_files([(str(path), *stat) for path, stat in files
                                   if str(path) not in refused_paths])
            clock.lap("ingest")
            # Anything else that changed the stored events (`tracker run --store`) or
            # what the outputs are derived from counts as a change too.
            changed = bool(summary.new_reports or summary.new_snapshots or reprocess
                           or outputs_stale(db, stages.build))
            generation = int(db.get_meta("generation", "0")) + changed
            if not changed and outputs_current(marker, store_path, generation, exports):
                log.info("nothing new; outputs in %s are current", out)
                return summary
            snapshots = [stages.snapshot(s["date"], s["path"], geometry(s["geometry"]),
                                         s["kind"]) for s in db.snapshots()]
            n_reports = db.counts()["reports"]
            # Only the places with new events are rebuilt; the exports need whole tables.
            tables = output_tables(db, stages.build, snapshots, full=reprocess or exports,
                                   whole=exports)
            summary.incremental, summary.rebuilt_places = tables.incremental, tables.rebuilt_places
            places, place_ids = tables.changed or (tables.places, None)
            compare_places(db, places, summary, place_ids=place_ids)
            find_alerts(tables.fresh, new_event_ids, summary, alert_km=alert_km,
                        watch_borders=watch_borders, watch_cities=watch_cities,
                        gazetteer=gazetteer, stages=stages)
            db.set_meta("generation", str(generation))
        clock.lap("build")
        # 3. Outputs, after the commit: a failure here keeps the stored data, and
        # the marker (written last) makes the next run regenerate them.
        summary.outputs = stages.write(out, tables.timeline, tables.places, snapshots=snapshots,
                                       n_reports=n_reports, exports=exports,
                                       **tables.write_options)
        write_marker(marker, store_path, generation, exports)
        clock.lap("write")
    log.info("update done: %d new reports, %d new events", summary.new_reports,
             sum(summary.new_events.values()))
    return summary


class _Clock:
    def __init__(self, laps: dict[str, float]):
        self.laps = laps
        self.last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = self.laps.get(name, 0.0) + now - self.last
        self.last = now
