"""Borders named in a sentence, for relations such as "less than 5 km from the border".

"The administrative edge of the Donetsk region" names one side, "the border
between the Donetsk and Dnipropetrovsk regions" both, "the border with Russia" a
state border; a one-sided name is completed with the admin-1 border nearest to
the report's settlements (:func:`tracker.distance.distance`).
"""

from __future__ import annotations

import re

from tracker.models import Mention
from tracker.relations import border_named

__all__ = ["border_relation", "named_border"]


def named_border(sentence: str, mentions: list[Mention]) -> str:
    """Return the border named in a sentence: "Donetsk", "Donetsk|Dnipropetrovsk", "Ukraine|Russia".

    "The administrative edge of the Donetsk region" names one side (the other is
    found later from distances); "the border between the Donetsk and
    Dnipropetrovsk regions" names both; "the border with Russia" names a state border.
    """
    for name, position in border_named(sentence):
        sides = []
        for part in name.split("|"):
            at = sentence.find(part, position)
            side = part.strip().title()
            for mention in mentions:
                if mention.start <= at < mention.end and mention.place.admin1:
                    side = mention.place.admin1
            sides.append(side)
        return "|".join(sides)
    match = re.search(r"\bborder\s+with\s+(?:the\s+)?", sentence, re.I)
    if match:
        for mention in mentions:
            if mention.start == match.end() and mention.place.kind == "country":
                other = mention.place.name
                return f"Ukraine|{other}" if other != "Ukraine" else "Ukraine|Russia"
    return ""


def border_relation(distance: tuple[str, float, str], name: str, mentions: list[Mention]
                    ) -> str:
    """Relation text for "less than 5 km from this border" once the border is known.

    Parameters
    ----------
    distance : tuple
        ``(comparator, km, text)`` from :func:`tracker.relations.border_distance`.
    name : str
        The border named in the report (one side or ``"A|B"``).
    mentions : list of Mention
        The report's resolved mentions (a one-sided name is completed from them).

    Returns
    -------
    str
        E.g. ``"<5 km from the Donetsk|Dnipropetrovsk border"``.
    """
    comparator, km, _ = distance
    pair = name if "|" in name else _border_pair(name, mentions)
    border = f"the {pair} border" if pair else f"the {name} oblast border"
    return f"{comparator}{km:g} km from {border}"


def _border_pair(admin1: str, mentions: list[Mention]) -> str:
    """Name the border "A|B" nearest to the report's settlements in ``admin1`` (needs distance)."""
    points = {(m.place.latitude, m.place.longitude) for m in mentions
              if m.place.kind == "settlement" and m.place.admin1 == admin1}
    if not points:
        return ""
    try:
        from tracker.distance import distance
    except ImportError:
        return ""
    try:
        latitudes, longitudes = zip(*sorted(points), strict=True)
        table = distance(list(latitudes), list(longitudes), to="admin1")
    except Exception:  # noqa: BLE001 - the border name is a nicety; never fail the batch
        return ""
    best = ""
    best_km = float("inf")
    for row in table.itertuples(index=False):
        sides = str(row.border).split("|")
        if admin1 in sides and row.distance_km < best_km:
            best_km = float(row.distance_km)
            others = [s for s in sides if s != admin1]
            best = "|".join([admin1, *others])
    return best
