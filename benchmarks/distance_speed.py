"""Speed and accuracy of ``tracker.distance`` against a naive per-point loop, in one run.

Input: N random points (default 200,000) uniformly over Ukraine (rejection-sampled
inside the union of its admin-1 units), target ``admin1`` (every line shared by two
admin-1 units).

- **tracker**: one vectorised ``distance(lat, lon, to="admin1")`` call. The
  per-process setup (border lines, index, transformers; measured on one point) is
  printed separately; the per-cell candidate lists the 200k points need are built
  inside the timed call. A second batch of fresh random points is timed too.
- **naive**: for each point, project it (pyproj, UTM zone 36N, the zone of central
  Ukraine) and call ``shapely.distance`` against all border lines, keep the minimum.
  Run on a subsample (``--naive``) and extrapolated: its rate does not depend on N.
- **accuracy**: on ``--ref`` of the points, both against a brute-force geodesic
  reference (``tracker.distance.reference_distance``: every border sampled every
  10 m, ``Geod.inv`` to each sample). The naive loop's error is the planar UTM error.

Times are CPU seconds of this process (``time.process_time``): both sides are
single-threaded, and CPU time stays comparable when other jobs share the machine.

Usage: ``python benchmarks/distance_speed.py [--n 200000] [--naive 2000] [--ref 60]``
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import shapely
from pyproj import Transformer


def random_points(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """N points uniformly (in degrees) over Ukraine's admin-1 units."""
    from tracker.boundaries import ukraine

    outline = ukraine()
    shapely.prepare(outline)
    rng = np.random.default_rng(seed)
    lon_min, lat_min, lon_max, lat_max = outline.bounds
    lats, lons = [], []
    have = 0
    while have < n:
        lat = rng.uniform(lat_min, lat_max, n)
        lon = rng.uniform(lon_min, lon_max, n)
        keep = shapely.contains_xy(outline, lon, lat)
        lats.append(lat[keep])
        lons.append(lon[keep])
        have += int(keep.sum())
    return np.concatenate(lats)[:n], np.concatenate(lons)[:n]


def naive(lat: np.ndarray, lon: np.ndarray, lines) -> np.ndarray:
    """Per point: project it, then shapely.distance to every border line (km)."""
    to_utm = Transformer.from_crs("EPSG:4326", "EPSG:32636", always_xy=True)
    projected = shapely.transform(lines, lambda xy: np.column_stack(
        to_utm.transform(xy[:, 0], xy[:, 1])))
    out = np.empty(lat.shape[0])
    for i in range(lat.shape[0]):
        x, y = to_utm.transform(lon[i], lat[i])
        out[i] = shapely.distance(shapely.Point(x, y), projected).min() / 1000.0
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200_000, help="points for tracker")
    parser.add_argument("--naive", type=int, default=2_000, help="points for the naive loop")
    parser.add_argument("--ref", type=int, default=60, help="points checked against brute force")
    parser.add_argument("--seed", type=int, default=20250520)
    args = parser.parse_args()

    from tracker.boundaries import border_lines
    from tracker.distance import distance, reference_distance

    lat, lon = random_points(args.n, args.seed)
    lines = border_lines().query("kind == 'admin1'").geometry.to_numpy()

    # per-process setup, not per point: border lines, index, transformers, prepared
    # polygons (one call on one point; the cells the 200k points need are still cold)
    start = time.process_time()
    distance(48.28014, 37.17706, to="admin1")
    setup = time.process_time() - start

    start = time.process_time()
    result = distance(lat, lon, to="admin1")
    fast_s = time.process_time() - start
    fast_rate = args.n / fast_s
    # a second batch of fresh points in the same process (as the daily pipeline runs)
    lat2, lon2 = random_points(args.n, args.seed + 1)
    start = time.process_time()
    distance(lat2, lon2, to="admin1")
    warm_s = time.process_time() - start
    warm_rate = args.n / warm_s

    sub = slice(0, args.naive)
    start = time.process_time()
    naive_km = naive(lat[sub], lon[sub], lines)
    naive_s = time.process_time() - start
    naive_rate = args.naive / naive_s

    ref = slice(0, args.ref)
    start = time.process_time()
    reference = reference_distance(lat[ref], lon[ref], shapely.union_all(lines), spacing_m=10)
    ref_s = time.process_time() - start
    fast_err = np.abs(result["distance_km"].to_numpy()[ref] - reference) * 1000
    naive_err = np.abs(naive_km[: args.ref] - reference) * 1000 if args.ref <= args.naive else None

    print(f"points over Ukraine: {args.n:,}; target: admin1 ({len(lines)} border lines); "
          f"distances {result['distance_km'].min():.2f}-{result['distance_km'].max():.1f} km")
    print(f"tracker.distance (vectorised, geodesic): {fast_s:8.2f} s  {fast_rate:>10,.0f} points/s"
          f"   (setup, once per process: {setup:.2f} s)")
    print(f"naive loop (UTM 36N, planar), {args.naive:,} pts: {naive_s:8.2f} s  "
          f"{naive_rate:>10,.0f} points/s   (extrapolated to {args.n:,}: "
          f"{args.n / naive_rate:,.0f} s)")
    print(f"tracker.distance, 2nd batch of fresh points: {warm_s:8.2f} s  "
          f"{warm_rate:>10,.0f} points/s")
    print(f"ratio: {fast_rate / naive_rate:.1f}x first batch, {warm_rate / naive_rate:.1f}x "
          "second batch (goal >= 30x)")
    print(f"worst error vs brute-force geodesic reference ({args.ref} points, 10 m sampling, "
          f"{ref_s:.0f} s): tracker {fast_err.max():.3f} m", end="")
    if naive_err is not None:
        print(f", naive planar {naive_err.max():.0f} m (median {np.median(naive_err):.0f} m)")
    else:
        print()


if __name__ == "__main__":
    main()
