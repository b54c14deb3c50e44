"""Small deterministic stand-ins for the pipeline stages, for the update tests.

They exercise tracker.update and tracker.store without the gazetteer: a toy place
list, a keyword event classifier, the real timeline builder (places at
geo_precision 3, so no border distances are needed) and an atomic CSV writer.
``install()`` makes them the default stages in a child process, so the crash and
concurrency tests can kill real ``tracker update`` command processes.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from pathlib import Path
from types import SimpleNamespace

from tracker.models import Event, Mention, Place

PLACES = {
    name: Place(f"toy:{name.lower()}", name, "settlement", admin1, "UA", lat, lon, 1000, 3)
    for name, admin1, lat, lon in [
        ("Pokrovsk", "Donetsk", 48.28, 37.18), ("Toretsk", "Donetsk", 48.40, 37.85),
        ("Kupiansk", "Kharkiv", 49.71, 37.62), ("Vovchansk", "Kharkiv", 50.29, 36.94),
        ("Bakhmut", "Donetsk", 48.60, 38.00), ("Kharkiv", "Kharkiv", 49.99, 36.23),
    ]
}
KEYWORDS = [("captured", "capture", "RU", "RU"), ("liberated", "liberation", "UA", "UA"),
            ("battle", "battle", "unknown", "contested"), ("strike", "strike", "RU", "unknown")]


def gazetteer():
    return PLACES


def process(report, gazetteer):
    delay = float(os.environ.get("TRACKER_FAKE_DELAY", "0"))
    if delay:
        time.sleep(delay)
    if "EXPLODE" in report.text:
        raise RuntimeError("boom")
    mentions, events = [], []
    for sentence in re.finditer(r"[^.]+\.?", report.text):
        quote = sentence.group().strip()
        kind = next((k for k in KEYWORDS if k[0] in quote.lower()), ("", "mention", "unknown",
                                                                      "unknown"))
        for name, place in gazetteer.items():
            for hit in re.finditer(name, sentence.group()):
                start = sentence.start() + hit.start()
                mentions.append(Mention(start, start + len(name), name, place, 0.9))
                key = f"{report.id}|{place.place_id}|{sentence.start()}"
                events.append(Event(
                    event_id=hashlib.sha256(key.encode()).hexdigest()[:16],
                    event_date=report.date, report_id=report.id, source=report.source,
                    place=place, latitude=place.latitude, longitude=place.longitude,
                    geo_precision=place.geo_precision, event_type=kind[1], actor=kind[2],
                    claim="reported", control=kind[3], relation="", quote=quote,
                    confidence=0.8, url=report.url))
    return mentions, events


def build(events, *, snapshots=(), titles=None):
    """The real timeline table; a small place table (latest known control per place)."""
    import pandas as pd

    from tracker.timeline import build_timeline

    timeline = build_timeline(events, titles=titles)
    columns = ["place_id", "place_name", "latest_control", "dist_border_km", "nearest_border"]
    if timeline.empty:
        return timeline, pd.DataFrame(columns=columns)
    ordered = timeline.sort_values(["event_date", "event_id"], kind="stable")
    known = ordered[ordered["control"] != "unknown"].groupby("place_id")["control"].last()
    places = ordered.groupby("place_id", as_index=False).agg(
        place_name=("place_name", "first"), dist_border_km=("dist_border_km", "min"),
        nearest_border=("nearest_border", "first"))
    places["latest_control"] = places["place_id"].map(known).fillna("unknown")
    # ordered as the real place table (the store's caches put places back in this order)
    places = places.sort_values(["place_name", "place_id"], kind="stable")
    return timeline, places[columns].reset_index(drop=True)


def write(out_dir, timeline, places, *, snapshots=(), n_reports=None, exports=False,
          csv_text=None, payload=None):
    """pandas' CSV writer for whole tables; the text as given when it comes from the caches."""
    from tracker.pipeline import atomic_path

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {"timeline": out_dir / "timeline.csv", "places": out_dir / "places.csv"}
    for name, frame in (("timeline", timeline), ("places", places)):
        with atomic_path(paths[name]) as tmp:
            if csv_text is None:
                frame.to_csv(tmp, index=False, lineterminator="\n")
            else:
                text = csv_text[name]
                tmp.write_bytes(text if isinstance(text, bytes) else b"".join(text))
    return paths


def load_snapshots(paths):
    import shapely

    snapshots, problems = [], []
    for path in paths:
        match = re.search(r"(\d{4}-\d{2}-\d{2})", Path(path).name)
        try:
            data = json.loads(Path(path).read_text())
            geometry = shapely.union_all([shapely.from_geojson(json.dumps(f["geometry"]))
                                          for f in data["features"]])
        except (ValueError, KeyError) as exc:
            problems.append((str(path), f"not a GeoJSON FeatureCollection: {exc}"))
            continue
        if not match:
            problems.append((str(path), "no date in the file name"))
            continue
        import datetime as dt

        snapshots.append(snapshot(dt.date.fromisoformat(match.group(1)), str(path), geometry,
                                  "occupied"))
    return snapshots, problems


def snapshot(date, path, geometry, kind):
    return SimpleNamespace(date=date, path=path, geometry=geometry, kind=kind)


def stages():
    from tracker.update import Stages

    return Stages(process=process, build=build, write=write, gazetteer=gazetteer,
                  load_snapshots=load_snapshots, snapshot=snapshot)


def install():
    """Make these the default stages of tracker.update in this process."""
    import tracker.update

    tracker.update.default_stages = stages


def write_reports(folder: Path, start: int, count: int) -> list[Path]:
    """Write ``count`` small dated reports numbered from ``start`` (deterministic)."""
    folder.mkdir(parents=True, exist_ok=True)
    names = list(PLACES)
    verbs = ["Heavy battles near {}.", "Russian forces captured {}.",
             "Ukrainian forces liberated {}.", "A missile strike hit {}.", "People in {} wait."]
    paths = []
    for i in range(start, start + count):
        day = 1 + i % 28
        text = " ".join(verbs[(i + k) % len(verbs)].format(names[(i * 7 + k) % len(names)])
                        for k in range(2)) + f" Report number {i}."
        path = folder / f"r{i:05d}.md"
        path.write_text(f"---\ndate: 2025-05-{day:02d}\nsource: src{i % 3}\n---\n{text}\n",
                        encoding="utf-8")
        paths.append(path)
    return paths
