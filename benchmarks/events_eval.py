"""Accuracy of event_type, actor and claim against hand labels of the shared corpus.

Usage::

    .venv/bin/python benchmarks/events_eval.py [--corpus ../shared/corpus]
        [--seed ../shared/seed_article.md] [--mentions auto|geoparse|gold] [--show-errors]

Labels (``benchmarks/events_labels.csv``, our own work; the texts stay in
../shared and are never committed) give, per place occurrence, the event an
analyst reads in its sentence: ``report_id, mention, occurrence`` (the n-th
occurrence of the literal mention in the body, counted after longer names took
their share, e.g. "Donetsk" inside "Donetsk region" does not count), ``place,
kind, country`` and the expected ``event_type, actor, claim``.

Labelling rules: the actor is the side carrying the event out, "unknown" when
the sentence does not say (and for mentions and negotiations between both
sides); a place that only locates a settlement in the same phrase, whatever
happened there (an oblast or country: "near Vovchansk in Kharkiv Oblast"; a
relation anchor: "Andriivka south of Bakhmut"; an origin: "from the direction of
X"), is a mention; negated, hypothetical or intended actions are
not events; an attempt or a defence against an advance is a battle; the claim is
read from the sentence's own attribution (a person, official or party ->
claimed; ISW, DeepState, geolocation -> assessed; a denial -> denied; the
report or the media itself -> reported).

Mentions come from the real geoparser (``tracker.geoparse.find_places``) when it
is installed (``--mentions auto``), else from the gold CSVs' literal mention
strings (``--mentions gold``), so the event rules can be measured on their own.
A label whose place the geoparser missed counts as "not found" (coverage), not
as a wrong type.
"""

from __future__ import annotations

import argparse
import collections
import csv
import datetime as dt
import hashlib
import re
import sys
from pathlib import Path

import yaml

from tracker.events import extract_events
from tracker.models import Mention, Place, Report
from tracker.text import sentences

HERE = Path(__file__).resolve().parent
LABELS = HERE / "events_labels.csv"
KINDS = {"settlement": "settlement", "oblast": "oblast", "country": "country", "river": "water",
         "raion": "raion", "region": "region", "other": "other"}
PRECISION = {"settlement": 1, "oblast": 3, "raion": 3, "region": 3, "country": 4}
COUNTRIES = {"russia": "RU", "russian federation": "RU", "ukraine": "UA", "türkiye": "TR",
             "turkey": "TR"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", default=str(HERE.parent.parent / "shared" / "corpus"))
    parser.add_argument("--seed", default=str(HERE.parent.parent / "shared" / "seed_article.md"))
    parser.add_argument("--mentions", choices=["auto", "geoparse", "gold"], default="auto")
    parser.add_argument("--show-errors", action="store_true")
    parser.add_argument("--speed", action="store_true",
                        help="also time sentence splitting and event extraction on a 1.5 MB batch")
    args = parser.parse_args(argv)

    labels = list(csv.DictReader(LABELS.open(encoding="utf-8")))
    reports = load_reports(Path(args.corpus), Path(args.seed))
    if not reports:
        print(f"no reports found in {args.corpus}; nothing to measure")
        return 0
    mode = args.mentions
    find_places = None
    if mode in ("auto", "geoparse"):
        try:
            from tracker.geoparse import find_places
            mode = "geoparse"
        except ImportError:
            if args.mentions == "geoparse":
                print("tracker.geoparse is not available", file=sys.stderr)
                return 1
            mode = "gold"
    print(f"mentions from: {mode}")

    by_report = collections.defaultdict(list)
    for label in labels:
        by_report[label["report_id"]].append(label)

    totals = collections.Counter()
    errors = []
    confusion = collections.Counter()
    print(f"{'report':52s} {'labels':>6s} {'found':>6s} {'type':>6s} {'actor':>6s} {'claim':>6s}")
    for report_id, rows in sorted(by_report.items()):
        if report_id not in reports:
            continue
        report, gold_rows = reports[report_id]
        variants = literal_variants(gold_rows, rows)
        occurrences = find_occurrences(report.text, variants)
        if mode == "geoparse":
            mentions = find_places(report.text, date=report.date)
        else:
            mentions = gold_mentions(occurrences, variants)
        events = {e.event_id: e for e in extract_events(report, mentions)}
        spans = sentences(report.text)
        counts = collections.Counter()
        for row in rows:
            counts["labels"] += 1
            span = nth_occurrence(occurrences, row["mention"], int(row["occurrence"]))
            event = None if span is None else find_event(report, spans, mentions, events, span)
            if event is None:
                errors.append((report_id, row, None))
                continue
            counts["found"] += 1
            confusion[(row["event_type"], event.event_type)] += 1
            for field in ("event_type", "actor", "claim"):
                if getattr(event, field) == row[field]:
                    counts[field] += 1
            if (event.event_type, event.actor) != (row["event_type"], row["actor"]):
                errors.append((report_id, row, event))
        totals.update(counts)
        print(f"{report_id[:52]:52s} {counts['labels']:6d} {counts['found']:6d} "
              f"{ratio(counts['event_type'], counts['found']):>6s} "
              f"{ratio(counts['actor'], counts['found']):>6s} "
              f"{ratio(counts['claim'], counts['found']):>6s}")
    print(f"{'ALL':52s} {totals['labels']:6d} {totals['found']:6d} "
          f"{ratio(totals['event_type'], totals['found']):>6s} "
          f"{ratio(totals['actor'], totals['found']):>6s} "
          f"{ratio(totals['claim'], totals['found']):>6s}")
    print(f"coverage (labels with an event): {ratio(totals['found'], totals['labels'])}; "
          f"goal: event_type and actor accuracy >= 0.85")
    types = sorted({t for pair in confusion for t in pair})
    print("\nconfusion (rows = label, columns = predicted):")
    print(" " * 12 + "".join(f"{t[:10]:>11s}" for t in types))
    for gold in types:
        print(f"{gold[:11]:12s}" + "".join(f"{confusion[(gold, p)]:11d}" for p in types))
    if args.speed:
        speed([r for r, _ in reports.values()], find_places if mode == "geoparse" else None)
    if args.show_errors:
        print("\nerrors:")
        for report_id, row, event in errors:
            got = ("NOT FOUND" if event is None
                   else f"{event.event_type}/{event.actor}/{event.claim}")
            print(f"  {report_id[:30]} {row['mention']}#{row['occurrence']}: want "
                  f"{row['event_type']}/{row['actor']}/{row['claim']} got {got}")
    return 0


def speed(reports: list[Report], find_places) -> None:
    """Time tracker.text.sentences against plain pysbd on the same ~1.5 MB, then events."""
    import time

    import pysbd

    body = "\n\n".join(r.text for r in reports)
    batch = (body + "\n\n") * max(1, 1_500_000 // (len(body) + 2))
    start = time.perf_counter()
    ours = sentences(batch)
    ours_s = time.perf_counter() - start
    segmenter = pysbd.Segmenter(language="en", clean=False)
    start = time.perf_counter()
    theirs = sum(len(segmenter.segment(p)) for p in batch.split("\n\n") if p.strip())
    peer_s = time.perf_counter() - start
    print(f"\nsentences on {len(batch) / 1e6:.2f} MB: tracker.text {ours_s:.2f} s "
          f"({len(ours)} sentences), pysbd per blank-line paragraph {peer_s:.2f} s ({theirs}); "
          f"ratio {ours_s / peer_s:.2f}")
    line = " ".join(batch.split())[:150_000]  # one 150 KB paragraph (a feed item without breaks)
    start = time.perf_counter()
    ours_n = len(sentences(line))
    ours_s = time.perf_counter() - start
    start = time.perf_counter()
    theirs = len(segmenter.segment(line))
    peer_s = time.perf_counter() - start
    print(f"one 150 KB paragraph: tracker.text {ours_s:.2f} s ({ours_n} sentences), pysbd "
          f"{peer_s:.2f} s ({theirs}); ratio {ours_s / peer_s:.2f}")
    if find_places is None:
        return
    start = time.perf_counter()
    mentions = [(r, find_places(r.text, date=r.date)) for r in reports]
    parse_s = time.perf_counter() - start
    start = time.perf_counter()
    n_events = sum(len(extract_events(r, m)) for r, m in mentions)
    events_s = time.perf_counter() - start
    print(f"events for {len(reports)} reports: geoparse {parse_s:.2f} s, extract_events "
          f"{events_s:.2f} s ({n_events} events)")


def ratio(numerator: int, denominator: int) -> str:
    return f"{numerator / denominator:.2f}" if denominator else "-"


def load_reports(corpus: Path, seed: Path) -> dict[str, tuple[Report, list[dict]]]:
    """Read the corpus reports (and the seed) with their gold rows, keyed by report id."""
    out = {}
    paths = sorted(corpus.glob("*.md")) if corpus.is_dir() else []
    if seed.is_file():
        paths.append(seed)
    for path in paths:
        if path.name.lower() == "readme.md":
            continue
        raw = path.read_text(encoding="utf-8")
        match = re.match(r"^---\n(.*?)\n---\n", raw, re.S)
        if not match:
            continue
        meta = yaml.safe_load(match.group(1)) or {}
        text = raw[match.end():]
        date = meta.get("date")
        if isinstance(date, str):
            date = dt.date.fromisoformat(date)
        report_id = str(meta.get("id") or path.stem)
        report = Report(report_id, date, str(meta.get("source", "")), text, url="", path=str(path))
        gold_path = path.with_name(path.stem + ".gold.csv")
        gold = list(csv.DictReader(gold_path.open(encoding="utf-8"))) if gold_path.exists() else []
        out[report_id] = (report, gold)
    return out


def literal_variants(gold_rows: list[dict], label_rows: list[dict]) -> dict[str, Place]:
    """Map each literal mention string to the Place it stands for (from gold rows and labels)."""
    variants: dict[str, Place] = {}
    for row in gold_rows:
        for variant in row["mention"].split(" | "):
            variants[variant.strip()] = gold_place(row["name"], row["kind"], row["admin1"],
                                                   row["lat"], row["lon"], "")
    for row in label_rows:
        if row["mention"] not in variants:
            variants[row["mention"]] = gold_place(row["place"], row["kind"], "", "", "",
                                                  row["country"])
    return variants


def gold_place(name: str, kind: str, admin1: str, lat: str, lon: str, country: str) -> Place:
    kind = KINDS.get(kind, "other")
    if kind == "other" and re.search(r"\b(?:raion|district)$", name, re.I):
        kind = "raion"
    if name.lower() in COUNTRIES:
        country, kind = COUNTRIES[name.lower()], "country"
    if not country:
        country = "RU" if "(RU)" in admin1 else "UA"
    admin1 = admin1.replace("(RU)", "").strip()
    if kind == "oblast" and not admin1:
        admin1 = re.sub(r"\s+(?:Oblast|Region)$", "", name)
    key = hashlib.sha1(f"{name}|{kind}|{admin1}".encode()).hexdigest()[:10]
    return Place(f"gold:{key}", name, kind, admin1, country, float(lat or 0), float(lon or 0),
                 0, PRECISION.get(kind, 2), "gold")


def find_occurrences(text: str, variants: dict[str, Place]) -> list[tuple[int, int, str]]:
    """All literal occurrences of the variants, longest first, without overlaps."""
    taken: list[tuple[int, int, str]] = []
    for variant in sorted(variants, key=len, reverse=True):
        for match in re.finditer(r"(?<!\w)" + re.escape(variant) + r"(?!\w)", text):
            if any(match.start() < e and s < match.end() for s, e, _ in taken):
                continue
            taken.append((match.start(), match.end(), variant))
    return sorted(taken)


def gold_mentions(occurrences, variants) -> list[Mention]:
    return [Mention(s, e, v, variants[v], 1.0) for s, e, v in occurrences]


def nth_occurrence(occurrences, mention: str, n: int) -> tuple[int, int] | None:
    hits = [(s, e) for s, e, v in occurrences if v == mention]
    return hits[n - 1] if 0 < n <= len(hits) else None


def find_event(report, spans, mentions, events, occurrence):
    """The event of the sentence holding ``occurrence`` for the place mentioned there."""
    start, end = occurrence
    span = next(((s, e) for s, e in spans if s <= start < e), None)
    if span is None:
        return None
    for mention in mentions:
        if mention.place is not None and mention.start < end and start < mention.end:
            key = f"{report.id}|{mention.place.place_id}|{span[0]}|{span[1]}"
            event_id = hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]
            if event_id in events:
                return events[event_id]
    return None


if __name__ == "__main__":
    raise SystemExit(main())
