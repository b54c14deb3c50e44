"""Relative locations: "5 km SW of Pokrovsk", "northern Toretsk", "less than 5 km from this border".

Reports rarely say exactly where something happened; they place it relative to a
named place. :func:`parse_relation` reads the words around a place mention and
returns a :class:`Relation` with a normalised text ("5 km SW of Pokrovsk",
"northern part of Toretsk", "near Soledar", "outskirts of Pokrovsk",
"approaches to Kupiansk", "border of Donetsk oblast") and, where the text gives a
distance and a compass direction, the bearing and distance needed to move the
point. :func:`offset` moves a point along the WGS84 ellipsoid (pyproj
``Geod.fwd``), so "5 km SW of X" lands 5 km from X at bearing 225 degrees.

Two phrases refer to borders rather than places: "the administrative edge (or
border) of the Donetsk region" names an oblast border (:func:`border_named`),
and "less than 5 km from this border" gives a distance to a border named before
(:func:`border_distance`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["Relation", "border_distance", "border_named", "offset", "parse_relation"]

#: Compass words and abbreviations -> (abbreviation, bearing in degrees clockwise from north).
_COMPASS = {
    "north": ("N", 0.0), "n": ("N", 0.0),
    "north-northeast": ("NNE", 22.5), "nne": ("NNE", 22.5),
    "northeast": ("NE", 45.0), "north-east": ("NE", 45.0), "ne": ("NE", 45.0),
    "east-northeast": ("ENE", 67.5), "ene": ("ENE", 67.5),
    "east": ("E", 90.0), "e": ("E", 90.0),
    "east-southeast": ("ESE", 112.5), "ese": ("ESE", 112.5),
    "southeast": ("SE", 135.0), "south-east": ("SE", 135.0), "se": ("SE", 135.0),
    "south-southeast": ("SSE", 157.5), "sse": ("SSE", 157.5),
    "south": ("S", 180.0), "s": ("S", 180.0),
    "south-southwest": ("SSW", 202.5), "ssw": ("SSW", 202.5),
    "southwest": ("SW", 225.0), "south-west": ("SW", 225.0), "sw": ("SW", 225.0),
    "west-southwest": ("WSW", 247.5), "wsw": ("WSW", 247.5),
    "west": ("W", 270.0), "w": ("W", 270.0),
    "west-northwest": ("WNW", 292.5), "wnw": ("WNW", 292.5),
    "northwest": ("NW", 315.0), "north-west": ("NW", 315.0), "nw": ("NW", 315.0),
    "north-northwest": ("NNW", 337.5), "nnw": ("NNW", 337.5),
}
_DIR_WORDS = sorted(_COMPASS, key=len, reverse=True)
_DIR = r"(?P<dir>" + "|".join(re.escape(w) for w in _DIR_WORDS) + r")"
_ADJ = (
    r"(?P<adj>(?:north|south)-?(?:east|west)ern|northern|southern|eastern|western|central)"
)
_NUM = r"(?P<num>\d+(?:[.,]\d+)?)"
_UNIT = r"(?P<unit>km|kms|kilomet(?:er|re)s?|mi|miles?)\b\.?"
_CMP = (
    r"(?:(?P<cmp>less than|under|fewer than|more than|over|about|around|approximately|"
    r"roughly|some|nearly|almost|up to|within|just|only)\s+)?"
)
_PAREN = r"(?:\([^)]{0,40}\)\s*)?"
#: Words that may stand between a relation phrase and the place name itself.
_LEAD = (
    r"(?:the\s+)?(?:(?:(?:key|strategic|front-?line|mining|industrial|small|large|nearby|"
    r"embattled|besieged|occupied|liberated)\s+)*"
    r"(?:village|town|city|settlement|hamlet|urban-type settlement|stronghold|hub)\s+of\s+)?"
    r"(?:(?:(?:russian|ukrainian)-)?(?:occupied|held|controlled)\s+|embattled\s+|besieged\s+)?"
)

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("offset", re.compile(
        _CMP + _NUM + r"\s*-?\s*" + _UNIT + r"\s*" + _PAREN + _DIR + r"(?:ward)?\s+of\s+" + _LEAD
        + r"$", re.I)),
    ("direction", re.compile(
        r"(?:(?:just|directly|immediately|slightly|further|farther|due)\s+)?" + _DIR
        + r"(?:ward)?\s+of\s+" + _LEAD + r"$", re.I)),
    ("distance", re.compile(
        _CMP + _NUM + r"\s*-?\s*" + _UNIT + r"\s*" + _PAREN
        + r"(?:from|of|outside|away from|short of|before)\s+" + _LEAD + r"$", re.I)),
    ("part", re.compile(
        _ADJ + r"\s+(?:part|parts|outskirts|districts?|edge|side|sector|section|neighbou?rhoods?|"
        r"areas?|approaches|flank)\s+of\s+" + _LEAD + r"$", re.I)),
    ("outskirts", re.compile(r"\boutskirts\s+of\s+" + _LEAD + r"$", re.I)),
    ("approaches", re.compile(r"\b(?:on\s+)?the\s+approach(?:es)?\s+to\s+" + _LEAD + r"$", re.I)),
    ("border", re.compile(
        r"\b(?:administrative\s+)?(?:edge|border|borders|boundary|boundaries|frontier)\s+"
        r"(?:of|with)\s+(?:the\s+)?$", re.I)),
    ("origin", re.compile(
        r"\bfrom\s+the\s+(?:direction|side)\s+of\s+" + _LEAD + r"$", re.I)),
    ("toward", re.compile(
        r"\b(?:toward|towards|on the way to|on their way to|in the direction of|"
        r"advance on|closer to)\s+" + _LEAD + r"$", re.I)),
    ("near", re.compile(
        r"\b(?:near|nearby|close to|next to|outside|around|in the vicinity of|in the area of|"
        r"not far from)\s+" + _LEAD + r"$", re.I)),
    ("part", re.compile(_ADJ + r"\s+$", re.I)),
]
_AFTER = re.compile(r"^\s+(?P<what>area|areas|direction|axis|outskirts|sector|front)\b", re.I)
_BORDER_NAMED = re.compile(
    r"\b(?:administrative\s+)?(?:edge|border|borders|boundary|boundaries)\s+between\s+"
    r"(?:the\s+)?(?P<a>[A-Z][\w'’-]+)\s+(?:(?:region|oblast)\s+)?and\s+(?:the\s+)?"
    r"(?P<b>[A-Z][\w'’-]+)\s+(?:regions|oblasts|region|oblast)\b"
    r"|\b(?:administrative\s+)?(?:edge|border|borders|boundary|boundaries)\s+of\s+(?:the\s+)?"
    r"(?P<name>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)\s+(?:region|oblast|province)\b"
    r"|\b(?P<name2>[A-Z][\w'’-]+)\s+(?:region|oblast)(?:'s|’s)?\s+(?:administrative\s+)?"
    r"(?:border|boundary|edge)\b",
    re.I,
)
_BORDER_DISTANCE = re.compile(
    _CMP + _NUM + r"\s*-?\s*" + _UNIT + r"\s*" + _PAREN
    + r"(?:from|of|to|short of)\s+(?P<ref>this|that|the|its)\s+(?:administrative\s+)?"
    r"(?P<what>border|boundary|edge)\b",
    re.I,
)
_COMPARATORS = {
    "less than": "<", "under": "<", "fewer than": "<", "within": "<", "up to": "<", "just": "<",
    "only": "<", "more than": ">", "over": ">", "about": "~", "around": "~",
    "approximately": "~", "roughly": "~", "some": "~", "nearly": "~", "almost": "~",
}


@dataclass(frozen=True, slots=True)
class Relation:
    """A relative location read around one place mention.

    Attributes
    ----------
    kind : str
        "offset" (distance and direction), "direction", "distance", "part",
        "outskirts", "approaches", "border", "toward", "near", "area", "direction_axis" or
        "origin" ("from the direction of X": where the attackers come from, not where the
        event is).
    text : str
        Normalised description using the place's name, e.g. "5 km SW of Pokrovsk".
    start : int
        Offset (in the searched text) where the relation phrase begins; lets the
        caller tell whether another place stands right before it ("Druzhba east of
        Toretsk" describes Druzhba, not Toretsk).
    distance_km : float or None
        Distance given in the text, in kilometres.
    bearing : float or None
        Compass bearing in degrees for "offset" and "direction" relations.
    comparator : str
        "<", ">", "~" or "" (exact) for the distance.
    """

    kind: str
    text: str
    start: int
    distance_km: float | None = None
    bearing: float | None = None
    comparator: str = ""

    @property
    def moves_point(self) -> bool:
        """Whether the event should be moved from the place by ``distance_km`` at ``bearing``."""
        return self.kind == "offset" and self.distance_km is not None and self.bearing is not None

    @property
    def short_of(self) -> bool:
        """Whether the relation places the event around or before the place, not in it."""
        return self.kind not in {"border", "direction_axis"} and self.kind != ""

    @property
    def approximate(self) -> bool:
        """Whether the relation puts the event near or in part of the place (ACLED precision 2)."""
        return self.kind in {"offset", "direction", "distance", "part", "outskirts", "approaches",
                             "near", "area"}


def parse_relation(text: str, start: int, end: int, name: str) -> Relation | None:
    """Read the relative location of the place mentioned at ``text[start:end]``.

    Parameters
    ----------
    text : str
        The sentence (or any text) holding the mention.
    start, end : int
        Offsets of the mention in ``text``.
    name : str
        The place's name, used in the normalised relation text.

    Returns
    -------
    Relation or None
        The relation, or None when the mention stands on its own.

    Examples
    --------
    >>> s = "Fighting was reported 5 km southwest of Pokrovsk."
    >>> r = parse_relation(s, s.index("Pokrovsk"), s.index("Pokrovsk") + 8, "Pokrovsk")
    >>> r.text, r.distance_km, r.bearing
    ('5 km SW of Pokrovsk', 5.0, 225.0)
    >>> s = "heavy battles raged in northern Totretsk"
    >>> parse_relation(s, s.index("Totretsk"), len(s), "Toretsk").text
    'northern part of Toretsk'
    >>> s = "Russian forces were 10 kilometers (6 miles) from the outskirts of Pokrovsk"
    >>> parse_relation(s, s.index("Pokrovsk"), len(s), "Pokrovsk").text
    'outskirts of Pokrovsk'
    >>> parse_relation("Battles in Pokrovsk.", 11, 19, "Pokrovsk") is None
    True
    """
    before = text[max(0, start - 160):start]
    shift = max(0, start - 160)
    for kind, pattern in _PATTERNS:
        match = pattern.search(before)
        if match is None:
            continue
        groups = match.groupdict()
        phrase_start = shift + match.start()
        if kind in ("offset", "distance"):
            distance = _kilometres(groups["num"], groups["unit"])
            cmp_ = _COMPARATORS.get((groups.get("cmp") or "").lower(), "")
            if kind == "offset":
                abbr, bearing = _COMPASS[groups["dir"].lower()]
                return Relation(kind, f"{cmp_}{_fmt(distance)} km {abbr} of {name}", phrase_start,
                                distance, bearing, cmp_)
            return Relation(kind, f"{cmp_}{_fmt(distance)} km from {name}", phrase_start,
                            distance, None, cmp_)
        if kind == "direction":
            abbr, bearing = _COMPASS[groups["dir"].lower()]
            if len(groups["dir"]) <= 3 and groups["dir"].upper() != groups["dir"]:
                continue  # "e of", "s of": not a compass abbreviation
            return Relation(kind, f"{abbr} of {name}", phrase_start, None, bearing)
        if kind == "part":
            adjective = groups["adj"].lower()
            return Relation(kind, f"{adjective} part of {name}", phrase_start)
        if kind == "border":
            return Relation(kind, f"border of {name}", phrase_start)
        label = {"outskirts": "outskirts of", "approaches": "approaches to", "toward": "toward",
                 "near": "near", "origin": "from the direction of"}[kind]
        return Relation(kind, f"{label} {name}", phrase_start)
    after = _AFTER.match(text[end:end + 20])
    if after is not None:
        what = after.group("what").lower()
        if what in {"direction", "axis", "front"}:
            return Relation("direction_axis", f"{name} direction", start)
        if what == "outskirts":
            return Relation("outskirts", f"outskirts of {name}", start)
        return Relation("area", f"{name} area", start)
    return None


def offset(latitude: float, longitude: float, distance_km: float, bearing: float
           ) -> tuple[float, float]:
    """Move a point ``distance_km`` along ``bearing`` on the WGS84 ellipsoid.

    Parameters
    ----------
    latitude, longitude : float
        Start point, decimal degrees.
    distance_km : float
        Distance to move, in kilometres.
    bearing : float
        Azimuth in degrees clockwise from north (225 = south-west).

    Returns
    -------
    tuple of float
        ``(latitude, longitude)`` of the moved point.

    Examples
    --------
    >>> lat, lon = offset(48.28, 37.18, 5, 225)
    >>> round(lat, 4), round(lon, 4)
    (48.2482, 37.1324)
    """
    lon, lat, _ = _geod().fwd(longitude, latitude, bearing, distance_km * 1000.0)
    return float(lat), float(lon)


def border_named(text: str) -> list[tuple[str, int]]:
    """Find oblast borders named in ``text``: "the administrative edge of the Donetsk region".

    Parameters
    ----------
    text : str
        A sentence.

    Returns
    -------
    list of tuple
        ``(name as written, offset)`` for each border phrase, e.g. ``("Donetsk", 40)``;
        a border between two named regions gives ``"A|B"``.

    Examples
    --------
    >>> border_named("troops approached the administrative edge of the Donetsk region")
    [('Donetsk', 22)]
    >>> border_named("near the Dnipropetrovsk oblast border")
    [('Dnipropetrovsk', 9)]
    >>> border_named("5 km from the border between the Donetsk and Dnipropetrovsk regions")
    [('Donetsk|Dnipropetrovsk', 14)]
    """
    found = []
    for match in _BORDER_NAMED.finditer(text):
        if match.group("a"):
            found.append((f"{match.group('a')}|{match.group('b')}", match.start()))
        else:
            found.append((match.group("name") or match.group("name2"), match.start()))
    return found


def border_distance(text: str) -> tuple[str, float, str] | None:
    """Find "less than 5 km from this border" and return ``(comparator, km, reference)``.

    Parameters
    ----------
    text : str
        A sentence.

    Returns
    -------
    tuple or None
        Comparator ("<", ">", "~" or ""), the distance in km and the reference
        word ("this", "that", "the", "its"), or None.

    Examples
    --------
    >>> border_distance("shows the Russians less than 5 km from this border")
    ('<', 5.0, 'this')
    >>> border_distance("no distance here") is None
    True
    """
    match = _BORDER_DISTANCE.search(text)
    if match is None:
        return None
    cmp_ = _COMPARATORS.get((match.group("cmp") or "").lower(), "")
    return cmp_, _kilometres(match.group("num"), match.group("unit")), match.group("ref").lower()


def _kilometres(number: str, unit: str) -> float:
    """Convert a number and a unit word to kilometres."""
    value = float(number.replace(",", "."))
    if unit.lower().startswith("mi"):
        value *= 1.609344
    return round(value, 3)


def _fmt(value: float) -> str:
    """Format a distance without a trailing ``.0``."""
    return f"{round(value, 1):g}"


@lru_cache(maxsize=1)
def _geod():
    """Return the WGS84 ``pyproj.Geod`` (built once)."""
    from pyproj import Geod

    return Geod(ellps="WGS84")
