"""Front-line snapshot files: occupied-territory GeoJSON, dated, checked and repaired.

A *snapshot* is one GeoJSON file of occupied territory (polygons or multipolygons,
as DeepStateMap's are published), dated by its file name (``*_YYYY-MM-DD.geojson``)
or a ``date`` property. Files whose name says ``greyzone`` hold DeepState's grey
zone instead and load with ``kind="greyzone"``. Invalid rings are repaired with
``make_valid``; what was repaired, ignored or refused comes back as ``(path,
message)`` problems, so a batch reports a bad file and carries on.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import shapely

from tracker.geometry import flatten

__all__ = ["Problem", "Snapshot", "load_snapshot", "load_snapshots"]

_DATE_IN_NAME = re.compile(r"(\d{4})-?(\d{2})-?(\d{2})(?:[^\d].*)?$")
_GREY = re.compile(r"gr[ae]y[ _-]?zone|unknown status", re.IGNORECASE)

Problem = tuple[str, str]


@dataclass(frozen=True)
class Snapshot:
    """One dated snapshot of occupied territory (or of the grey zone).

    Attributes
    ----------
    date : datetime.date
    path : str
        The file it came from.
    geometry : shapely.Polygon or shapely.MultiPolygon
        WGS84 longitude/latitude, valid.
    kind : {"occupied", "greyzone"}
    notes : tuple of str
        What was repaired or ignored while reading it.
    """

    date: dt.date
    path: str
    geometry: shapely.Geometry
    kind: Literal["occupied", "greyzone"] = "occupied"
    notes: tuple[str, ...] = field(default=(), compare=False)


def load_snapshots(paths: Iterable[str | Path]) -> tuple[list[Snapshot], list[Problem]]:
    """Read snapshot files; bad ones are reported, the rest still load.

    Parameters
    ----------
    paths : iterable of str or Path
        GeoJSON files, or folders (their ``*.geojson`` files, sorted).

    Returns
    -------
    snapshots : list of Snapshot
        Sorted by date, then kind. A second file for the same date and kind is
        left out (and reported).
    problems : list of (path, message)
        Refused files (not GeoJSON, no polygon, empty, no date) and notes on the
        loaded ones (rings repaired with ``make_valid``, features ignored).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "occupied_2025-05-20.geojson").write_text(
    ...     '{"type": "Polygon", "coordinates": [[[37, 48], [38, 48], [38, 49], [37, 48]]]}')
    >>> _ = (folder / "broken_2025-05-21.geojson").write_text("{not json")
    >>> snaps, problems = load_snapshots([folder])
    >>> [(s.date.isoformat(), s.kind) for s in snaps]
    [('2025-05-20', 'occupied')]
    >>> problems[0][0].endswith("broken_2025-05-21.geojson"), problems[0][1][:14]
    (True, 'not valid JSON')
    """
    files: list[Path] = []
    for item in paths:
        item = Path(item)
        if item.is_dir():
            files.extend(sorted(item.glob("*.geojson")))
        else:
            files.append(item)
    loaded: list[Snapshot] = []
    problems: list[Problem] = []
    for path in files:
        snapshot, notes = load_snapshot(path)
        problems.extend(notes)
        if snapshot is not None:
            loaded.append(snapshot)
    loaded.sort(key=lambda s: (s.date, s.kind, s.path))
    kept: list[Snapshot] = []
    for snap in loaded:
        if kept and (kept[-1].date, kept[-1].kind) == (snap.date, snap.kind):
            problems.append((snap.path, f"a second {snap.kind} snapshot for {snap.date}; "
                                        f"left out in favour of {kept[-1].path}"))
            continue
        kept.append(snap)
    return kept, problems


def load_snapshot(path: str | Path) -> tuple[Snapshot | None, list[Problem]]:
    """Read one snapshot file.

    Parameters
    ----------
    path : str or Path
        A GeoJSON FeatureCollection, Feature or bare geometry with polygons.

    Returns
    -------
    snapshot : Snapshot or None
        None when the file cannot be used.
    problems : list of (path, message)
        Why it was refused, or what was repaired or ignored.
    """
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [(name, f"cannot read the file ({exc.__class__.__name__}: {exc})")]
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return None, [(name, f"not valid JSON (line {exc.lineno}: {exc.msg})")]
    if not isinstance(data, dict):
        return None, [(name, "not GeoJSON (expected an object)")]
    features = _features(data)
    if features is None:
        return None, [(name, f"not GeoJSON (type {data.get('type')!r})")]
    notes: list[Problem] = []
    polygons, skipped, repaired, broken = [], 0, 0, 0
    for feature in features:
        try:
            geom = shapely.geometry.shape(feature["geometry"])
        except (KeyError, TypeError, ValueError, AttributeError, IndexError,
                shapely.errors.GEOSException):
            broken += 1
            continue
        if not shapely.is_valid(geom):
            geom = shapely.make_valid(geom)
            repaired += 1
        parts = [p for p in shapely.get_parts(flatten(geom))
                 if shapely.get_type_id(p) == 3 and not p.is_empty]
        if not parts:
            skipped += 1
        polygons.extend(parts)
    if broken:
        notes.append((name, f"ignored {broken} feature(s) with unreadable geometry"))
    if skipped:
        notes.append((name, f"ignored {skipped} feature(s) without polygons"))
    if repaired:
        notes.append((name, f"repaired {repaired} invalid geometr{'y' if repaired == 1 else 'ies'}"
                            " (self-intersecting or badly nested rings) with make_valid"))
    geometry = shapely.union_all(polygons) if polygons else shapely.MultiPolygon()
    if geometry.is_empty or shapely.area(geometry) == 0:
        return None, [*notes, (name, "no polygon geometry (empty or no polygons)")]
    date = _date(Path(path), data, features)
    if date is None:
        return None, [*notes, (name, "no date: name the file *_YYYY-MM-DD.geojson or give "
                                     "the features a 'date' property (YYYY-MM-DD)")]
    kind = "greyzone" if _is_grey(Path(path), data, features) else "occupied"
    return Snapshot(date, name, geometry, kind, tuple(m for _, m in notes)), notes


def _features(data: dict) -> list[dict] | None:
    kind = data.get("type")
    if kind == "FeatureCollection":
        feats = data.get("features")
        return [f for f in feats if isinstance(f, dict)] if isinstance(feats, list) else None
    if kind == "Feature":
        return [data]
    if kind in {"Polygon", "MultiPolygon", "GeometryCollection"}:
        return [{"type": "Feature", "properties": {}, "geometry": data}]
    return None


def _date(path: Path, data: dict, features: list[dict]) -> dt.date | None:
    match = _DATE_IN_NAME.search(path.name)
    if match and path.name.endswith((".geojson", ".json")):
        try:
            return dt.date(*map(int, match.groups()))
        except ValueError:
            pass
    candidates = [data.get("date")] + [(f.get("properties") or {}).get("date") for f in features]
    for value in candidates:
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip()[:10])
            except ValueError:
                continue
    return None


def _is_grey(path: Path, data: dict, features: list[dict]) -> bool:
    if _GREY.search(path.name):
        return True
    for props in [data.get("properties") or {}] + [f.get("properties") or {} for f in features]:
        for key in ("kind", "status", "name"):
            value = props.get(key) if isinstance(props, dict) else None
            if isinstance(value, str) and _GREY.search(value):
                return True
    return False
