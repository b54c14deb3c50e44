"""The scripted daily update: take what is new, store it once, regenerate the outputs.

:func:`update` is what ``tracker update`` runs (from cron or a systemd timer):

1. load the report files of the inbox and the items of the RSS/Atom feeds
   (fetched with a timeout and a User-Agent; a failing feed is reported and the
   others proceed) and the front-line snapshots of a folder;
2. under an exclusive lock, in one SQLite transaction, skip what the store has
   already seen (same report id or same content hash, same snapshot hash),
   process only the new reports (:func:`tracker.pipeline.process_report`) and
   store them with their mentions and events;
3. rebuild the timeline and place tables from the store (never from the inbox)
   and write the outputs atomically (:func:`tracker.pipeline.write_outputs`);
4. return an :class:`UpdateSummary`: new reports, new events by type, control
   changes, places within ``alert_km`` of a border or a watched city, refused
   inputs, and the exit code (0 fine, 1 some inputs refused).

``reprocess=True`` recomputes every mention and event from the stored texts
(after a gazetteer or rules upgrade). Running the same update twice adds
nothing and leaves the outputs byte-identical; a run killed at any moment leaves
the previous state, and the next run converges.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tracker.errors import ReportError, TrackerError
from tracker.loaders.base import MAX_BYTES, content_hash
from tracker.models import Report

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: the same parser, from PyPI
    import tomli as tomllib  # type: ignore[no-redef]

log = logging.getLogger("tracker.update")

#: Keys a ``--config`` TOML file may set (at top level or in an ``[update]`` table).
CONFIG_KEYS = {
    "inbox": "folder of new report files",
    "feeds": "file listing feed URLs or paths, one per line (# comments)",
    "store": "SQLite store file",
    "out": "output folder",
    "frontline_dir": "folder of front-line snapshot GeoJSON files",
    "alert_km": "alert distance in km (default 25)",
    "watch_borders": 'borders to watch, e.g. ["Donetsk/Dnipropetrovsk"]',
    "watch_cities": 'cities to watch: names or {name, latitude, longitude} tables',
    "exports": "also write events.geojson, places.geojson, tracker.gpkg (default false)",
    "feed_timeout": "seconds per feed request (default 20)",
    "wait": "seconds to wait for another running update (default 30)",
    "quiet": "print only warnings and errors",
    "log_file": "append the log to this file",
    "log_json": "log as JSON lines",
}
_PATH_KEYS = ("inbox", "feeds", "store", "out", "frontline_dir", "log_file")
_MARKER = ".tracker-update.json"


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
    snapshot_files = _snapshot_files(frontline_dir)
    reports: list[Report] = []
    if feeds is not None:
        reports, feed_refused = _load_feeds(Path(feeds), timeout=feed_timeout,
                                            max_bytes=max_bytes)
        summary.refused.extend(feed_refused)

    # 2. Under the lock: the inbox files that changed since they were last taken in,
    # then one transaction for everything that is new.
    with update_lock(store_path, timeout=wait), Store(store_path, timeout=wait) as db:
        marker = out / _MARKER
        _remove_stale_temporaries(out)
        files = _changed_files(db, inbox, summary) if inbox is not None else []
        loaded = load_reports([path for path, _ in files], max_bytes=max_bytes)
        summary.refused[:0] = loaded.refused
        summary.duplicates += len(loaded.duplicates)
        reports, repeated = _dedupe(loaded.reports + reports)
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
            summary.new_snapshots = _ingest_snapshots(db, snapshot_files, stages, summary)
            stored = db.snapshots() if todo else []
            front = [stages.snapshot(s["date"], s["path"], _geometry(s["geometry"]), s["kind"])
                     for s in stored if s["kind"] == "occupied"]
            for report in on_progress(todo) if on_progress else todo:
                try:
                    line = _front_line_for(report.date, front)
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
            changed = bool(summary.new_reports or summary.new_snapshots or reprocess)
            generation = int(db.get_meta("generation", "0")) + changed
            if not changed and _outputs_current(marker, store_path, generation, exports):
                log.info("nothing new; outputs in %s are current", out)
                return summary
            snapshots = [stages.snapshot(s["date"], s["path"], _geometry(s["geometry"]),
                                         s["kind"]) for s in db.snapshots()]
            n_reports = db.counts()["reports"]
            # The events as one table (with their places and report titles): for a
            # large store much cheaper than Event objects.
            timeline, places = stages.build(db.events_frame(), snapshots=snapshots)
            _compare_places(db, places, summary)
            _alerts(timeline, new_event_ids, summary, alert_km=alert_km,
                    watch_borders=watch_borders, watch_cities=watch_cities,
                    gazetteer=gazetteer, stages=stages)
            db.set_meta("generation", str(generation))
        clock.lap("build")
        # 3. Outputs, after the commit: a failure here keeps the stored data, and
        # the marker (written last) makes the next run regenerate them.
        summary.outputs = stages.write(out, timeline, places, snapshots=snapshots,
                                       n_reports=n_reports, exports=exports)
        _write_marker(marker, store_path, generation, exports)
        clock.lap("write")
    log.info("update done: %d new reports, %d new events", summary.new_reports,
             sum(summary.new_events.values()))
    return summary


def load_config(path: str | Path) -> dict[str, Any]:
    r"""Read an update settings file (TOML); relative paths are relative to the file.

    Keys (top level or in an ``[update]`` table): see ``CONFIG_KEYS``.

    Raises
    ------
    TrackerError
        Naming the file and the bad key or syntax error, and the valid keys.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "t.toml").write_text('inbox = "in"\nalert_km = 10\n')
    >>> settings = load_config(folder / "t.toml")
    >>> settings["inbox"] == folder / "in", settings["alert_km"]
    (True, 10)
    """
    path = Path(path)
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except OSError as exc:
        raise TrackerError(f"{path}: cannot read config: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise TrackerError(f"{path}: not valid TOML: {exc}") from None
    data = data.get("update", data)
    unknown = sorted(set(data) - set(CONFIG_KEYS))
    if unknown:
        raise TrackerError(f"{path}: unknown config key(s) {', '.join(unknown)}; valid keys: "
                           f"{', '.join(CONFIG_KEYS)}")
    settings = dict(data)
    for key in _PATH_KEYS:
        if key in settings:
            settings[key] = (path.parent / Path(settings[key]).expanduser()).resolve()
    return settings


class _Clock:
    def __init__(self, laps: dict[str, float]):
        self.laps = laps
        self.last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = self.laps.get(name, 0.0) + now - self.last
        self.last = now


# -- inputs ---------------------------------------------------------------------------------


def _load_feeds(listing: Path, *, timeout: float,
                max_bytes: int) -> tuple[list[Report], list[tuple[str, str]]]:
    """Fetch or read every feed named in ``listing``; one failing feed never stops the rest."""
    from tracker.loaders.feed import FeedLoader, fetch

    try:
        lines = listing.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        return [], [(str(listing), f"{listing}: cannot read feed list: {exc.strerror or exc}")]
    loader = FeedLoader(max_bytes=max_bytes)
    reports: list[Report] = []
    refused: list[tuple[str, str]] = []
    for line in lines:
        target = line.split("#", 1)[0].strip() if not line.lstrip().startswith("http") \
            else line.strip().split()[0]
        if not target:
            continue
        try:
            if target.startswith(("http://", "https://")):
                items = loader.load_bytes(fetch(target, timeout=timeout, max_bytes=max_bytes),
                                          target)
            else:
                items = loader.load(listing.parent / target)
            for item in items:
                if isinstance(item, ReportError):
                    refused.append((target, str(item)))
                else:
                    reports.append(item)
        except ReportError as exc:
            refused.append((target, str(exc)))
    return reports, refused


def _changed_files(db, inbox: str | Path, summary: UpdateSummary) -> list[tuple[Path, tuple]]:
    """Inbox files that are new or changed (size, mtime) since they were taken in."""
    from tracker.reports import iter_files

    seen = db.input_files()
    changed = []
    for path in iter_files([inbox]):
        path = path.resolve()
        try:
            info = path.stat()
        except OSError:
            changed.append((path, (-1, -1)))  # loading it reports the error
            continue
        stat = (info.st_size, info.st_mtime_ns)
        if seen.get(str(path)) == stat:
            summary.unchanged_files += 1
        else:
            changed.append((path, stat))
    return changed


def _dedupe(reports: list[Report]) -> tuple[list[Report], int]:
    seen: set[str] = set()
    kept = []
    for report in reports:
        keys = {report.id, content_hash(report)}
        if keys & seen:
            continue
        seen |= keys
        kept.append(report)
    return kept, len(reports) - len(kept)


def _snapshot_files(folder: str | Path | None) -> list[Path]:
    if folder is None:
        return []
    folder = Path(folder)
    if not folder.is_dir():
        raise TrackerError(f"front-line folder {folder} does not exist")
    return sorted(p for p in folder.rglob("*.geojson") if not p.name.startswith("."))


def _ingest_snapshots(db, files: list[Path], stages: Stages, summary: UpdateSummary) -> int:
    if not files:
        return 0
    known = db.snapshot_hashes()
    fresh = []
    for path in files:
        try:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError as exc:
            summary.refused.append((str(path), f"{path}: cannot read: {exc.strerror or exc}"))
            continue
        if digest not in known:
            fresh.append((path, digest))
    if not fresh:
        return 0
    import shapely

    snapshots, problems = stages.load_snapshots([p for p, _ in fresh])
    loaded = {str(s.path) for s in snapshots}
    for path, message in problems:
        if str(path) in loaded:  # a note on a loaded file (e.g. a repaired ring)
            log.info("snapshot %s: %s", path, message)
        else:
            summary.refused.append((str(path), f"{path}: {message}"))
    digests = {str(p): d for p, d in fresh}
    added = 0
    for snap in snapshots:
        digest = digests.get(str(snap.path)) or hashlib.sha256(
            Path(snap.path).read_bytes()).hexdigest()
        added += db.add_snapshot(date=snap.date, path=str(snap.path), digest=digest,
                                 geometry=shapely.to_geojson(snap.geometry),
                                 kind=getattr(snap, "kind", "occupied"))
    return added


def _front_line_for(date, snapshots: list):
    if not snapshots:
        return None
    from tracker.pipeline import frontline_for

    return frontline_for(date, snapshots)


def _geometry(text: str):
    import shapely

    return shapely.from_geojson(text)


# -- outputs and alerts ---------------------------------------------------------------------


def _remove_stale_temporaries(out: Path) -> None:
    """Delete temporary output files a killed run left behind (we hold the lock)."""
    import re

    from tracker.pipeline import OUTPUT_FILES

    if not out.is_dir():
        return
    patterns = [re.compile(re.escape(f".{Path(name).stem}.") + r"[a-z0-9_]{8}"
                           + re.escape(Path(name).suffix) + "(-journal|-wal|-shm)?$")
                for name in [*OUTPUT_FILES.values(), _MARKER]]
    for path in out.iterdir():
        if path.name.startswith(".") and any(p.match(path.name) for p in patterns):
            path.unlink(missing_ok=True)


def _outputs_current(marker: Path, store_path: Path, generation: int, exports: bool) -> bool:
    try:
        state = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return state == _marker_state(store_path, generation, exports)


def _marker_state(store_path: Path, generation: int, exports: bool) -> dict[str, Any]:
    # Turning the exports on (or off) makes the next run regenerate the outputs.
    return {"store": str(store_path.resolve()), "generation": generation,
            "exports": bool(exports)}


def _write_marker(marker: Path, store_path: Path, generation: int, exports: bool) -> None:
    from tracker.pipeline import atomic_path

    marker.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(marker) as tmp:
        tmp.write_text(json.dumps(_marker_state(store_path, generation, exports)),
                       encoding="utf-8")


def _compare_places(db, places, summary: UpdateSummary) -> None:
    """Record control changes against the last update and remember the new status."""
    before = db.place_status()
    rows = []
    for row in places.itertuples(index=False):
        control = str(row.latest_control)
        dist = _maybe_float(getattr(row, "dist_border_km", None))
        rows.append((row.place_id, control, dist, str(getattr(row, "nearest_border", "") or "")))
        old = before.get(row.place_id, ("unknown",))[0]
        if control != old and not (old == "unknown" and control == "unknown"):
            summary.control_changes.append({"place_id": row.place_id,
                                            "place_name": row.place_name,
                                            "before": old, "after": control})
    db.set_place_status(rows)


def _alerts(timeline, new_event_ids: set[str], summary: UpdateSummary, *, alert_km: float,
            watch_borders: Sequence[str], watch_cities: Sequence[str | dict], gazetteer,
            stages: Stages) -> None:
    """Places with new (non-mention) events within ``alert_km`` of a border or a city."""
    if timeline is None or timeline.empty or not new_event_ids:
        return
    fresh = timeline[timeline["event_id"].isin(new_event_ids)
                     & (timeline["event_type"] != "mention")
                     & timeline["latitude"].notna() & timeline["longitude"].notna()]
    fresh = fresh[fresh["geo_precision"].astype(float) <= 2]
    if fresh.empty:
        return
    per_place = fresh.groupby("place_id", sort=True).agg(
        place_name=("place_name", "first"), latitude=("latitude", "first"),
        longitude=("longitude", "first"), event_types=("event_type", lambda s: sorted(set(s))),
        dist_border_km=("dist_border_km", "min"), nearest_border=("nearest_border", "first"))
    if watch_borders:
        from tracker.distance import distance

        for border in watch_borders:
            result = distance(per_place["latitude"].to_numpy(float),
                              per_place["longitude"].to_numpy(float), to=f"border:{border}")
            for (place_id, row), km in zip(per_place.iterrows(), result["distance_km"],
                                           strict=True):
                if km <= alert_km:
                    summary.border_alerts.append(_alert(place_id, row, km, border))
    else:
        for place_id, row in per_place.iterrows():
            km = _maybe_float(row["dist_border_km"])
            if km is not None and km <= alert_km:
                summary.border_alerts.append(_alert(place_id, row, km, row["nearest_border"]))
    summary.border_alerts.sort(key=lambda a: (a["distance_km"], a["place_name"]))
    for city in _cities(watch_cities, gazetteer, stages):
        km = _geodesic_km(per_place["latitude"].to_numpy(float),
                          per_place["longitude"].to_numpy(float), city["latitude"],
                          city["longitude"])
        for (place_id, row), dist in zip(per_place.iterrows(), km, strict=True):
            if dist <= alert_km:
                summary.city_alerts.append(_alert(place_id, row, dist, city["name"]))
    summary.city_alerts.sort(key=lambda a: (a["distance_km"], a["place_name"]))


def _alert(place_id: str, row, km: float, target: str) -> dict:
    return {"place_id": place_id, "place_name": row["place_name"], "distance_km": round(km, 1),
            "to": str(target), "event_types": list(row["event_types"])}


def _cities(watch: Sequence[str | dict], gazetteer, stages: Stages) -> list[dict]:
    cities = []
    for city in watch:
        if isinstance(city, dict):
            cities.append({"name": city["name"], "latitude": float(city["latitude"]),
                           "longitude": float(city["longitude"])})
            continue
        gazetteer = gazetteer if gazetteer is not None else stages.gazetteer()
        found = gazetteer.lookup(city, limit=1)
        if len(found) == 0:
            raise TrackerError(f"watched city {city!r} is not in the gazetteer; give it as "
                               "{name, latitude, longitude}")
        best = found.iloc[0]
        cities.append({"name": city, "latitude": float(best["latitude"]),
                       "longitude": float(best["longitude"])})
    return cities


def _geodesic_km(lats, lons, lat: float, lon: float):
    import numpy as np
    from pyproj import Geod

    _, _, metres = Geod(ellps="WGS84").inv(lons, lats, np.full(len(lons), lon),
                                           np.full(len(lats), lat))
    return np.asarray(metres) / 1000.0


def _maybe_float(value: Any) -> float | None:
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(value) else value


