"""Throughput of ``tracker.geocode`` against geotext on the same ~1.5 MB of text.

The text is the project's seed reports plus the real corpus bodies (when
``../shared/corpus`` is present), repeated until about 1.5 MB, kept as separate
reports (each system is called once per report, as a pipeline would). Both
systems are warmed up first (the gazetteer index and geotext's tables are built
once per process and not timed). Prints MB/s of each (median of the runs, by wall
and by CPU time, as the machine may be shared) and the ratio.

Usage: ``python benchmarks/geoparse_speed.py [--mb 1.5] [--repeat 3]``
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import DEFAULT_CORPUS, read_corpus, split_front_matter  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def sample_texts() -> list[str]:
    """Report bodies from seeds/ (.md/.txt, .jsonl, .csv) and the corpus, if present."""
    import pandas as pd

    texts = []
    for path in sorted((ROOT / "seeds").glob("*")):
        if path.suffix in {".md", ".txt"}:
            texts.append(split_front_matter(path.read_text(encoding="utf-8"))[1])
        elif path.suffix == ".jsonl":
            texts.extend(pd.read_json(path, lines=True)["text"].dropna().astype(str))
        elif path.suffix == ".csv":
            frame = pd.read_csv(path)
            if "text" in frame:
                texts.extend(frame["text"].dropna().astype(str))
    if DEFAULT_CORPUS.exists():
        texts.extend(t.text for t in read_corpus(DEFAULT_CORPUS))
    return [t for t in texts if t.strip()]


def build_batch(mb: float) -> list[str]:
    """Repeat the sample reports until their total UTF-8 size reaches ``mb`` megabytes."""
    texts = sample_texts()
    batch, size, goal = [], 0, int(mb * 1_000_000)
    while size < goal:
        for text in texts:
            batch.append(text)
            size += len(text.encode("utf-8"))
            if size >= goal:
                break
    return batch


def run_tracker(batch: list[str]) -> int:
    from tracker.geoparse import geocode

    return sum(len(geocode(text)) for text in batch)


def run_find_places(batch: list[str]) -> int:
    from tracker.gazetteer import Gazetteer
    from tracker.geoparse import find_places

    gazetteer = Gazetteer.load()
    return sum(sum(m.place is not None for m in find_places(text, gazetteer=gazetteer))
               for text in batch)


def run_geotext(batch: list[str]) -> int:
    from geotext import GeoText

    total = 0
    for text in batch:
        found = GeoText(text)
        total += len(found.cities) + len(found.countries)
    return total


def frames_only(batch: list[str]) -> list:
    """The mentions of each report, found once and untimed, for timing the frames alone."""
    from tracker.gazetteer import Gazetteer
    from tracker.geoparse import find_places

    gazetteer = Gazetteer.load()
    return [find_places(text, gazetteer=gazetteer) for text in batch]


def run_frames(found: list) -> int:
    """Only the DataFrame per report that ``tracker.geocode`` returns (DESIGN.md's contract)."""
    from tracker.geoparse import mentions_frame

    return sum(len(mentions_frame(mentions)) for mentions in found)


def run_empty_frames(found: list) -> int:
    """pandas' own floor: an empty ``pd.DataFrame()`` per report."""
    import pandas as pd

    return sum(len(pd.DataFrame()) for _ in found)


def timed(func, batch: list[str], repeat: int) -> tuple[float, float, int]:
    """Median wall and CPU seconds of ``repeat`` runs, and what the last run found.

    CPU time (this process only) is steadier than wall time on a shared machine.
    """
    walls, cpus, found = [], [], 0
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        found = func(batch)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus), found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=1.5)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    batch = build_batch(args.mb)
    megabytes = sum(len(t.encode("utf-8")) for t in batch) / 1e6
    run_tracker(batch[:5])
    run_geotext(batch[:5])
    t_ours, c_ours, n_ours = timed(run_tracker, batch, args.repeat)
    t_find, c_find, n_find = timed(run_find_places, batch, args.repeat)
    t_peer, c_peer, n_peer = timed(run_geotext, batch, args.repeat)
    found = frames_only(batch)
    t_frame, c_frame, _ = timed(run_frames, found, args.repeat)
    t_empty, c_empty, _ = timed(run_empty_frames, found, args.repeat)
    print(f"text: {megabytes:.2f} MB in {len(batch)} reports ({len(set(batch))} distinct), "
          f"median of {args.repeat} runs; MB/s by wall time, then by CPU time")
    print(f"tracker.geocode : {megabytes / t_ours:7.2f} MB/s  cpu {megabytes / c_ours:7.2f} MB/s"
          f"  ({t_ours:.2f} s, {n_ours} mentions)")
    print(f"  find_places   : {megabytes / t_find:7.2f} MB/s  cpu {megabytes / c_find:7.2f} MB/s"
          f"  ({t_find:.2f} s, {n_find} mentions; the same work without a DataFrame per report)")
    print(f"geotext         : {megabytes / t_peer:7.2f} MB/s  cpu {megabytes / c_peer:7.2f} MB/s"
          f"  ({t_peer:.2f} s, {n_peer} names)")
    print(f"  frames alone   : {c_frame:.3f} s cpu (mentions found beforehand; the DataFrame per "
          f"report alone is {c_frame / c_peer:.1f}x geotext's whole time)")
    print(f"  pd.DataFrame() : {c_empty:.3f} s cpu (pandas' floor: an empty frame per report)")
    print(f"ratio tracker/geotext: {t_peer / t_ours:.3f}x wall, {c_peer / c_ours:.3f}x cpu")
    return 0


if __name__ == "__main__":
    sys.exit(main())
