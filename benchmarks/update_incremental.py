"""Incremental update cost: add 10 reports to a store holding N (default 20,000) vs an empty one.

Both updates run the real pipeline (gazetteer, geoparser, events, timeline,
outputs) in this process, after a warm-up update into a throwaway store (so lazy
imports and caches are paid by neither), and the two timings differ only by what
the store already holds. The big store is built once (it
takes a while) and kept in --work for later runs; before timing, an update with
no inputs brings it up to date (migrations, output caches) as the previous
daily run would have.

    python benchmarks/update_incremental.py [--reports 20000] [--work DIR] [--command] [--repeat 3]

Prints the time of each update, split into load, ingest (processing and storing),
build (timeline from the store) and write (outputs), and the ratio big/empty
(goal: <= 3x). Each update runs ``--repeat`` times (on a fresh copy of its store,
the two stores alternating) and the median counts: the machine is shared.
With --command each update is timed as a whole ``tracker update`` process
instead (start-up and imports included: what cron waits for).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import tempfile
import time
from pathlib import Path

PLACES = ["Pokrovsk", "Toretsk", "Chasiv Yar", "Kostiantynivka", "Kupiansk", "Vovchansk",
          "Lyman", "Siversk", "Kurakhove", "Velyka Novosilka", "Huliaipole", "Orikhiv",
          "Robotyne", "Kherson", "Kharkiv", "Sumy", "Myrnohrad", "Avdiivka", "Bakhmut",
          "Vuhledar", "Klishchiivka", "Kramatorsk", "Sloviansk", "Druzhkivka", "Zaporizhzhia",
          "Nikopol", "Marhanets", "Borova", "Izium", "Dnipro"]
PATTERNS = ["Heavy battles raged near {a} on day {n}.",
            "Russian forces advanced toward {a}, {k} km from {b}, according to report {n}.",
            "Ukrainian forces repelled {k} attacks near {a} and {b} (report {n}).",
            "A Russian drone strike hit {a} overnight; report {n} says {k} people were hurt.",
            "Russia's defence ministry claimed its forces captured {a} (statement {n}).",
            "The General Staff said the situation near {b} remains difficult (update {n})."]


def place_names(limit: int = 400) -> list[str]:
    """The most populous Ukrainian settlements of the gazetteer (plus the fixed list)."""
    from tracker.gazetteer import Gazetteer

    places = Gazetteer.load().places
    towns = places[(places["kind"] == "settlement") & (places["country"] == "UA")]
    names = towns.sort_values("population", ascending=False)["name"].drop_duplicates()
    return sorted(set(PLACES) | set(names.head(limit)))


def write_reports(folder: Path, start: int, count: int, seed: int = 0,
                  names: list[str] = PLACES) -> None:
    rng = random.Random(seed + start)
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / f"batch_{start:06d}.jsonl").open("w", encoding="utf-8") as handle:
        import json

        for n in range(start, start + count):
            text = " ".join(rng.choice(PATTERNS).format(a=rng.choice(names), b=rng.choice(names),
                                                        k=rng.randint(2, 40), n=n)
                            for _ in range(3))
            day = 1 + n % 28
            handle.write(json.dumps({"date": f"2025-{1 + n // 28 % 12:02d}-{day:02d}",
                                     "source": f"bench-{n % 7}", "text": text}) + "\n")


def timed_update(inbox: Path | None, store: Path, out: Path) -> tuple[float, object]:
    from tracker.update import update

    started = time.perf_counter()
    summary = update(inbox=inbox, store=store, out=out)
    return time.perf_counter() - started, summary


def timed_command(inbox: Path, store: Path, out: Path) -> float:
    import subprocess
    import sys

    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "tracker", "update", "--inbox", str(inbox), "--store",
                    str(store), "--out", str(out), "--quiet"], check=True,
                   stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=20_000)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "tracker-bench")
    parser.add_argument("--command", action="store_true",
                        help="time whole tracker update processes")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of each update; the median counts (default 3)")
    args = parser.parse_args()

    import datetime as dt

    from tracker.gazetteer import Gazetteer
    from tracker.models import Report
    from tracker.pipeline import process_report

    # Warm the gazetteer, the geoparser's index and the sentence splitter for both runs.
    process_report(Report("warm-up", dt.date(2025, 1, 1), "bench", PATTERNS[0].format(
        a="Pokrovsk", b="Toretsk", k=1, n=0)), Gazetteer.load())
    names = place_names()
    work = args.work
    base = work / f"store_{args.reports}.sqlite"
    if not base.exists():
        print(f"building a store of {args.reports:,} reports in {base} (once) ...", flush=True)
        shutil.rmtree(work / "base_inbox", ignore_errors=True)
        write_reports(work / "base_inbox", 0, args.reports, names=names)
        started = time.perf_counter()
        timed_update(work / "base_inbox", work / "building.sqlite", work / "base_out")
        (work / "building.sqlite").rename(base)
        print(f"  built in {time.perf_counter() - started:.1f} s", flush=True)
    # Bring the kept store up to date as the previous daily run would have left it:
    # schema migrations and the output caches (a no-op when they are current).
    started = time.perf_counter()
    timed_update(None, base, work / "base_out")
    print(f"base store current (migrations, output caches) in "
          f"{time.perf_counter() - started:.1f} s", flush=True)
    shutil.rmtree(work / "new_inbox", ignore_errors=True)
    write_reports(work / "new_inbox", 10_000_000, 10, seed=1, names=names)

    if not args.command:  # warm every lazy import and cache (borders, map, charts) for both runs
        shutil.rmtree(work / "warm", ignore_errors=True)
        write_reports(work / "warm" / "inbox", 20_000_000, 10, seed=2, names=names)
        timed_update(work / "warm" / "inbox", work / "warm" / "store.sqlite", work / "warm" / "out")

    import statistics

    runs: dict[str, list[tuple[float, object]]] = {}
    stores = (("empty", None), (f"{args.reports:,}", base))
    for _ in range(args.repeat):
        for label, source in stores:
            run_dir = work / f"run_{label.replace(',', '')}"
            shutil.rmtree(run_dir, ignore_errors=True)
            run_dir.mkdir(parents=True)
            store = run_dir / "store.sqlite"
            if source is not None:
                shutil.copy(source, store)
            os.sync()  # the copy's writes are flushed now, not during the timed update
            if args.command:
                runs.setdefault(label, []).append(
                    (timed_command(work / "new_inbox", store, run_dir / "out"), None))
                continue
            seconds, summary = timed_update(work / "new_inbox", store, run_dir / "out")
            assert summary.new_reports == 10, summary
            runs.setdefault(label, []).append((seconds, summary))
    results = {}
    for label, _ in stores:
        times = [seconds for seconds, _ in runs[label]]
        results[label] = seconds = statistics.median(times)
        each = ", ".join(f"{t:.2f}" for t in times)
        if args.command:
            print(f"store with {label:>7} reports: tracker update +10 reports in "
                  f"{seconds:6.2f} s (median of {each})", flush=True)
            continue
        # the step split of the median run
        summary = min(runs[label], key=lambda run: abs(run[0] - seconds))[1]
        steps = ", ".join(f"{k} {v:.2f}" for k, v in summary.timings.items())
        print(f"store with {label:>7} reports: +10 reports in {seconds:6.2f} s "
              f"(median of {each}; {sum(summary.new_events.values())} new events; {steps})",
              flush=True)
    empty, big = results["empty"], results[f"{args.reports:,}"]
    print(f"ratio ({args.reports:,} / empty): {big / empty:.2f}x (goal <= 3x)")


if __name__ == "__main__":
    main()
