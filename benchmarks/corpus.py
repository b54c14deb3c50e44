"""Read the real-report corpus with gold place annotations (``../shared/corpus``).

Each text is ``NN_slug.md`` (YAML front matter ``date``, ``source``, ``id``, then
the body) beside ``NN_slug.gold.csv`` (``mention,kind,name,admin1,lat,lon,note``,
one row per distinct place; mention variants joined by `` | ``). The corpus
README gives the conventions; this module only parses them. The same reader
serves a held-out folder laid out the same way (``--corpus /tmp/heldout``).
"""

from __future__ import annotations

import csv
import datetime as dt
import math
from dataclasses import dataclass, field
from pathlib import Path

import yaml

#: Default location, relative to the repository root.
DEFAULT_CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


@dataclass(frozen=True)
class GoldPlace:
    """One gold row: a distinct place named in a text."""

    mentions: tuple[str, ...]
    kind: str
    name: str
    admin1: str
    latitude: float
    longitude: float
    note: str

    @property
    def verified(self) -> bool:
        """Coordinates checked against GeoNames (the only rows scored for acc@10km)."""
        return self.note.lower().startswith("verified")

    @property
    def withheld(self) -> bool:
        """No coordinates: the row is matched by name."""
        return math.isnan(self.latitude) or math.isnan(self.longitude)

    @property
    def optional(self) -> bool:
        """A lenient row: a prediction of it is not a false positive, a miss is not a miss."""
        return "optional" in self.note.lower()


@dataclass(frozen=True)
class CorpusText:
    """One dated text of the corpus and its gold places."""

    id: str
    date: dt.date | None
    source: str
    text: str
    path: Path
    gold: tuple[GoldPlace, ...] = field(default=())


def read_corpus(folder: str | Path = DEFAULT_CORPUS) -> list[CorpusText]:
    """Read every ``*.md`` with a ``*.gold.csv`` beside it, sorted by file name.

    Parameters
    ----------
    folder : str or Path
        The corpus folder.

    Returns
    -------
    list of CorpusText
    """
    folder = Path(folder)
    texts = []
    for path in sorted(folder.glob("*.md")):
        gold_path = path.with_name(path.stem + ".gold.csv")
        if not gold_path.exists():
            continue
        meta, body = split_front_matter(path.read_text(encoding="utf-8"))
        date = meta.get("date")
        if isinstance(date, str):
            date = dt.date.fromisoformat(date)
        texts.append(CorpusText(
            id=str(meta.get("id") or path.stem), date=date, source=str(meta.get("source", "")),
            text=body, path=path, gold=tuple(read_gold(gold_path)),
        ))
    return texts


def read_gold(path: str | Path) -> list[GoldPlace]:
    """Parse one ``.gold.csv`` file; admin1 ``Kursk (RU)`` becomes ``Kursk``."""
    rows = []
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            rows.append(GoldPlace(
                mentions=tuple(m.strip() for m in row["mention"].split(" | ") if m.strip()),
                kind=row["kind"].strip(),
                name=row["name"].strip(),
                admin1=row["admin1"].replace("(RU)", "").strip(),
                latitude=_float(row["lat"]),
                longitude=_float(row["lon"]),
                note=row.get("note", "") or "",
            ))
    return rows


def split_front_matter(raw: str) -> tuple[dict, str]:
    """Split ``---`` YAML front matter from the body (the body keeps its own characters)."""
    if raw.startswith("---"):
        end = raw.find("\n---", 3)
        if end != -1:
            meta = yaml.safe_load(raw[3:end]) or {}
            body = raw[end + 4:]
            return meta, body[1:] if body.startswith("\n") else body
    return {}, raw


def _float(value: str) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan
