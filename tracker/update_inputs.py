"""The inputs of ``tracker update``: changed inbox files, duplicates and front-line snapshots."""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from tracker.errors import TrackerError
from tracker.loaders.base import content_hash
from tracker.models import Report

if TYPE_CHECKING:
    from tracker.update import Stages, UpdateSummary

log = logging.getLogger("tracker.update")


def changed_files(db, inbox: str | Path, summary: UpdateSummary) -> list[tuple[Path, tuple]]:
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


def dedupe(reports: list[Report]) -> tuple[list[Report], int]:
    """Drop reports whose id or text came earlier in the list; return them and the count dropped."""
    seen: set[str] = set()
    kept = []
    for report in reports:
        keys = {report.id, content_hash(report)}
        if keys & seen:
            continue
        seen |= keys
        kept.append(report)
    return kept, len(reports) - len(kept)


def snapshot_files(folder: str | Path | None) -> list[Path]:
    """Return the snapshot GeoJSON files of a front-line folder (none without a folder)."""
    if folder is None:
        return []
    folder = Path(folder)
    if not folder.is_dir():
        raise TrackerError(f"front-line folder {folder} does not exist")
    return sorted(p for p in folder.rglob("*.geojson") if not p.name.startswith("."))


def ingest_snapshots(db, files: list[Path], stages: Stages, summary: UpdateSummary) -> int:
    """Store the snapshots whose content hash is new; refused ones go to the summary."""
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


def front_line_for(date, snapshots: list):
    """Return the front line of a report's date (see :func:`tracker.pipeline.frontline_for`)."""
    if not snapshots:
        return None
    from tracker.pipeline import frontline_for

    return frontline_for(date, snapshots)


def geometry(text: str):
    """Return a shapely geometry from the GeoJSON text the store keeps."""
    import shapely

    return shapely.from_geojson(text)
