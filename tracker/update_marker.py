"""The outputs' state marker of ``tracker update`` and the leftovers of killed runs.

The marker (``.tracker-update.json`` in the output folder, written last) records the
store, its generation and whether the exports were written: an update with nothing
new leaves the outputs alone when the marker matches, and regenerates them otherwise.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

MARKER = ".tracker-update.json"


def remove_stale_temporaries(out: Path) -> None:
    """Delete temporary output files a killed run left behind (we hold the lock)."""
    import re

    from tracker.pipeline import OUTPUT_FILES

    if not out.is_dir():
        return
    patterns = [re.compile(re.escape(f".{Path(name).stem}.") + r"[a-z0-9_]{8}"
                           + re.escape(Path(name).suffix) + "(-journal|-wal|-shm)?$")
                for name in [*OUTPUT_FILES.values(), MARKER]]
    for path in out.iterdir():
        if path.name.startswith(".") and any(p.match(path.name) for p in patterns):
            path.unlink(missing_ok=True)


def outputs_current(marker: Path, store_path: Path, generation: int, exports: bool) -> bool:
    """Whether ``marker`` says the outputs were written from this store generation."""
    try:
        state = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return state == _marker_state(store_path, generation, exports)


def write_marker(marker: Path, store_path: Path, generation: int, exports: bool) -> None:
    """Write the marker atomically, after the outputs (the last step of an update)."""
    from tracker.pipeline import atomic_path

    marker.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(marker) as tmp:
        tmp.write_text(json.dumps(_marker_state(store_path, generation, exports)),
                       encoding="utf-8")


def _marker_state(store_path: Path, generation: int, exports: bool) -> dict[str, Any]:
    # Turning the exports on (or off) makes the next run regenerate the outputs.
    return {"store": str(store_path.resolve()), "generation": generation,
            "exports": bool(exports)}
