"""Reading the context of a found name: its kind, its precision, whether it is a place.

:func:`read_context` looks at the words around one hit of
:func:`tracker.geoparse_find.find_hits` with small regexes:

- what they say about the kind: ``X Oblast``, ``the X region``,
  ``regions of X, Y and Z``, ``all parts of X``, ``X governor`` (oblast);
  ``the city of X``, ``shelling of X``, ``X direction`` (settlement);
  ``X district`` (raion); ``the X`` / ``X River`` (water);
- how precise it is: ``near X``, ``north of X``, ``the X area`` (precision 2);
- whether it is a place at all: an organisation word after it ("Khortytsia
  group", "Kharkiv military administration"), a name in quotes (a unit or a
  brand), a river named like a town ("across the Dnipro"), a capital or country
  used for its government ("Kyiv announced", "Kyiv's attempts",
  "Kiev-controlled"), a place name that is an ordinary English word ("Most",
  "Bar") without a locative cue, a foreign village that is a surname.

What hits say together (lists, "A in the X region", "A, west of C") is read by
:mod:`tracker.geoparse_lists`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from tracker.geoparse_index import (
    _UP,
    FUZZY_MIN_POPULATION,
    NameIndex,
    memoised,
)
from tracker.geoparse_metonymy import METONYMIC, metonymy, names_a_body
from tracker.geoparse_words import is_common_word

if TYPE_CHECKING:
    from tracker.geoparse_find import Hit

__all__ = ["read_context", "DATELINE", "DATELINE_RE", "ENTITY", "REGIONAL_BODY",
           "DIRECTION_OF_OBLAST", "DIRECTION_OF_TOWN", "COMMUNITY", "NEAR_NOTE", "NEAR_POINT",
           "OBLAST_CAPITAL", "oblast_capitals"]

#: Why a direction named after an oblast's capital is the oblast (it does not make the
#: report call that name a region elsewhere: "Kharkiv direction" and "shelling of Kharkiv").
DIRECTION_OF_OBLAST = "operational direction named after an oblast"
#: Why "the Lyman direction" is a settlement (and a town rather than a village).
DIRECTION_OF_TOWN = "operational direction named after a town"

#: Note on a name that is part of its oblast's administration ("the Kherson RMA", "Sumy
#: Regional Military Administration"): no place itself, but the report is about that oblast.
REGIONAL_BODY = "an oblast's administration"
_POST_REGIONAL_BODY = re.compile(
    r"^[\s-]+(?:(?i:regional|oblast)\s+(?:[\w-]+\s+){0,2}(?i:administration|council)"
    r"|RMA|OVA|ODA|RSA|OMA)\b")

#: Why "the DPR" or "the Lugansk People's Republic" is its oblast.
ENTITY = "name of a Russian-installed entity"
#: Why an ALL-CAPS name opening a paragraph before a comma ("BELGOROD, August 22. /TASS/")
#: is the city: a dateline names where the story was filed, never a region.
DATELINE = "dateline"
_DATELINE_AFTER = re.compile(r",\s*(?:[A-Z]|\d)")
#: A dateline whose name capitals alone would not make a hit (only well-known names fire
#: in capitals): at a line's start, a comma, then a date ("LUGANSK, July 1. /TASS/",
#: "DONETSK, 17 January"). The finder adds these hits; the cue above then applies.
DATELINE_RE = re.compile(
    r"\s*([A-Z][A-Z'’]+(?:[ -][A-Z][A-Z'’]+)*),[ \t]*(?:[A-Z][a-z]{2,}\.?[ \t]+\d|\d)")

#: Note on a hit after "near", "north of", "10 km from": it lies outside that place.
NEAR_NOTE = "near/direction of"
#: Note on a hit after "near", "north of", "outside" (not "the border with", "the edge
#: of"): a point to measure from, so a bare oblast capital is the city ("north of Kharkiv").
NEAR_POINT = "near a point"
_PRE_EDGE = re.compile(r"\b(?:borders?\s+with|edge\s+of|direction\s+of)\s+(?:the\s+)?$")
_CTX = 48
#: Windows after a hit are cut to this many characters before a list pattern sees them
#: (crafted text cannot make it backtrack for long; see :mod:`tracker.geoparse_lists`).
_MAX_AFTER = 300
#: Kinds a "the X" never turns into a river ("the Pokrovsk district", "the Donetsk region").
_NOT_WATER = frozenset({"country", "oblast", "raion", "hromada"})
_PART_OF = "part of a longer name ("
#: Note on a hit whose district word is a community one: the resolver gives the hromada.
COMMUNITY = "community"
_COMMUNITY_WORD = re.compile(r"(?i:hromada|communit|municipalit)")
_PRE_OBLAST = re.compile(
    r"(?:\b(?:all|whole|entire|most|much|parts?|rest|remainder)\s+of\s+(?:the\s+)?"
    r"|\bentire\s+|\bneighbou?ring\s+|\bwhole\s+"
    r"|\b(?:regions?|oblasts?|provinces?)\s+of\s+(?:the\s+)?(?:[a-z]+ern\s+)?"
    # "the regional governor of Odessa"
    r"|\bgovernor\s+of\s+(?:the\s+)?"
    # "the borders of three regions - Dnipropetrovsk, Zaporizhzhia and Donetsk"
    r"|\b(?:regions|oblasts|provinces)(?:\s*[:(]|\s+[-–—]|,?\s+including)\s*"
    # "a village in Donetsk", "villages in northeastern Sumy": a village lies in a region
    r"|\b(?:villages?|settlements?|hamlets?)\s+in\s+(?:the\s+)?(?:[a-z]+ern\s+)?)$")
_PRE_SETTLEMENT = re.compile(
    r"(?:\b(?:city|town|village|settlement|hamlet)\s+of\s+(?:the\s+)?"
    r"|\b(?:outskirts|suburbs?|cent(?:re|er)|downtown"
    r"|residents|mayor|shelling|bombardment|streets|neighbou?rhoods?)"
    r"\s+(?:of|in)\s+(?:the\s+)?"
    r"|\b(?:strikes?|attacks?|shelling)\s+on\s+|\b(?:hit|struck|shelled|bombed|pounded)\s+"
    # a distance is measured to a point: "the distance to Sumy"
    r"|\bdistance\s+(?:to|from)\s+)$")
_PRE_NEAR = re.compile(
    r"(?:\b(?:near|nearby|outside|around|close\s+to|vicinity\s+of|outskirts\s+of|approach(?:es)?"
    r"\s+to|edge\s+of|direction\s+of|borders?\s+with"
    r"|(?:north|south|east|west|northeast|northwest|southeast|southwest)(?:ern)?(?:\s+outskirts)?"
    r"\s+of|\d+\s*(?:km|kilomet(?:er|re)s?|miles?)\s+(?:\w+\s+)?(?:of|from))\s+(?:the\s+)?)$")
_PRE_LOCATIVE = re.compile(
    r"(?:\b(?:in|near|outside|around|from|into|toward|towards|to|at|of|village\s+of|town\s+of"
    r"|city\s+of)\s+(?:the\s+)?)$")
_PRE_THE = re.compile(r"\bthe\s+$")
#: The last word of every match of the five ``_PRE_*`` patterns above (spaces
#: stripped): a window ending otherwise matches none of them (a fast pre-check).
#: The same, pattern by pattern: a window may skip a pattern whose tails it lacks.
_NEAR_TAILS = ("near", "nearby", "outside", "around", "to", "of", "from", "the", "with")
_LOCATIVE_TAILS = ("in", "near", "outside", "around", "from", "into", "toward", "towards",
                   "to", "at", "of", "the")
_OBLAST_TAILS = ("of", "the", "entire", "neighbouring", "neighboring", "whole", "ern",
                 ":", "(", "-", "–", "—", "including", "in")
_SETTLEMENT_TAILS = ("of", "in", "the", "on", "hit", "struck", "shelled", "bombed", "pounded",
                     "to", "from")
#: Every word a before-the-name cue pattern ends in (then spaces): the union of the above.
_PRE_TAILS = tuple(dict.fromkeys(_NEAR_TAILS + _LOCATIVE_TAILS + _OBLAST_TAILS
                                 + _SETTLEMENT_TAILS))
_POST_ORG = re.compile(
    r"^[\s-]+(?:(?:regional|city|oblast|state|military|civil|civilian|municipal|district"
    r"|raion|village|settlement|community|hromada|[a-z]+-)+[\s-]+)*"
    r"(?:military|administration|group|grouping|battlegroup|brigade|battalion|regiment|corps"
    r"|fleet|council"
    r"|university|institute|endowment|independent|post|times|news|oblenergo|operational"
    r"|nuclear|power\s+plant|npp|tpp|hpp|hydropower|hydroelectric|hydro-electric)\b",
    re.IGNORECASE)
_POST_OBLAST = re.compile(
    r"^\s+(?:oblast|region|province|governor|governorate|krai)s?\b|^\s+regional\b",
    re.IGNORECASE)
_SUFFIX_OBLAST = re.compile(r"\s+(?:[Oo]blast|[Rr]egion|[Pp]rovince)\b(?![-'’])")
#: "the Kherson-Mykolaiv region border": the first of two regions joined by a hyphen.
_POST_HYPHEN_REGION = re.compile(rf"^-[{_UP}][\w'’]*\s+(?i:oblast|region|province)s?\b")
#: "Kursk and Oryol regions": a list ending in a plural region word, other members unknown.
_POST_LIST_REGIONS = re.compile(
    rf"(?:\s*,\s*[{_UP}][\w'’-]*)*,?\s+and\s+[{_UP}][\w'’-]*\s+(?:oblasts|regions|provinces"
    # "the Luhansk and Donetsk “people’s republics”"
    r"|[\"“”]?[Pp]eople['’]?s\s+[Rr]epublics)\b")
_POST_RAION = re.compile(r"^\s+(?:raion|rayon|district|hromada|community|municipality)\b",
                         re.IGNORECASE)
_POST_SETTLEMENT = re.compile(r"^\s+(?:city|town|village|mayor|residents|itself)\b",
                              re.IGNORECASE)
_POST_DIRECTION = re.compile(r"^[\s-]+(?:direction|axis|sector|front|area|outskirts|suburbs)\b",
                             re.IGNORECASE)
#: "the South Donetsk area": a part of the oblast's front, not of the city.
_PRE_COMPASS = re.compile(r"\b(?:south|north|east|west)(?:ern)?(?:-?(?:east|west)(?:ern)?)?\s+$")
_POST_FRONT_SECTOR = re.compile(r"^[\s-]+(?:direction|axis|sector|front|area)s?\b", re.IGNORECASE)
_POST_RIVER = re.compile(
    r"^(?:-[\w'’]+)?\s+(?:[Rr]ivers?|[Rr]eservoir|[Ee]stuary|[Ll]agoon|[Ff]orest|[Ww]oods|[Ff]orestry)\b")
#: "the Dnipro's western bank", "the Oskil's left bank": a river's banks.
_POST_BANK = re.compile(r"^['’]s\s+(?:\w+\s+)?(?:banks?|shores?|coast|delta|mouth)\b")
#: "the Sea of Azov", "the left bank of the Dnipro": water, not a place named like it.
_WATER_TAILS = ("sea of", "sea of the", "gulf of", "bay of", "bank of", "bank of the",
                "banks of", "banks of the", "shore of", "shore of the",
                # "bridges across the Dnipro", "the rail bridge crossing the Dnipro"
                "across the", "crossing the")
#: "Novyi and Kanal neighborhoods": parts of a town named like villages elsewhere.
_POST_QUARTER = re.compile(
    rf"(?:(?:\s*,\s*|,?\s+(?:and|or)\s+)[{_UP}][\w'’-]*)*\s+(?i:neighbou?rhoods?"
    r"|micro-?districts?|quarters?)\b")
#: Neuter adjective endings of village names ("the Russkoye Porechnoye" of a translated
#: Russian text): a river's name is a noun or a feminine or masculine adjective.
_NEUTER_END = re.compile(r"(?:oye|oe|ske|tske|ne|ove|eve|ino|ovo|evo)$")
_POST_BARE = re.compile(r"^(?:\s*[,.;:!?)]|\s+(?:and|or|river|[Rr]iver)\b|\s*$)")
#: "the Krasnohorivka and Vodiane areas", "the Esman, Bilopillia and Krasnopillia
#: communities": "the" opens a list of towns, not a river.
_POST_LIST_HEAD = re.compile(
    rf"(?:\s*,\s*[{_UP}][\w'’-]*(?:[\s-][{_UP}][\w'’-]*)?)*,?"
    rf"\s+(?:and|or)\s+(?:the\s+)?[{_UP}][\w'’-]*(?:[\s-][{_UP}][\w'’-]*)?\s+(?:directions"
    r"|areas|axes|sectors|fronts|districts|raions|hromadas|communities|villages|settlements"
    r"|regions|oblasts|provinces"
    r"|towns|outskirts)\b")
_POST_WATER = re.compile(r"^\s+(?:river|reservoir|lake|estuary|bay|sea)\b", re.IGNORECASE)



def read_context(text: str, hit: Hit, index: NameIndex) -> None:
    """Set a hit's kind cue, precision and locative flag, or reject it, from its context.

    Parameters
    ----------
    text : str
        The report text.
    hit : Hit
        One hit of :func:`tracker.geoparse_find.find_hits`, changed in place:
        ``cue`` and ``cue_why``, ``precision``, ``locative``, ``notes``, and
        ``reject`` with the reason when the name is no place here (an
        organisation, a unit in quotes, a river, a metonymic capital, a common
        word, a foreign surname); ``candidates`` may lose small foreign places.
    index : NameIndex
        From :func:`tracker.geoparse_index.name_index`.
    """
    before = text[max(0, hit.start - _CTX):hit.start]
    before_l = before.lower()
    after = text[hit.end:hit.end + _CTX]
    cols = index.py
    kinds = _kinds(hit.candidates, index)
    span_text = text[hit.start:hit.end]
    possessive = after[:2] in {"'s", "’s"} or after[:1] in {"'", "’"}

    # The cue patterns before a hit all end in one of a few words (then spaces): a
    # window that does not cannot match any of them, and most windows do not.
    stripped = before_l.rstrip()
    pre = stripped.endswith(_PRE_TAILS)
    if pre and stripped.endswith(_NEAR_TAILS) and _PRE_NEAR.search(before_l):
        hit.precision = 2
        hit.notes.append(NEAR_NOTE)
        if not _PRE_EDGE.search(before_l):
            hit.notes.append(NEAR_POINT)
    # "according to X" quotes a person or an office, it does not place anything.
    hit.locative = pre and stripped.endswith(_LOCATIVE_TAILS) and bool(
        _PRE_LOCATIVE.search(before_l)) and not stripped.endswith("according to")
    pre_the = pre and stripped.endswith("the")

    if ("oblast" in kinds or OBLAST_CAPITAL in kinds) and _POST_REGIONAL_BODY.match(after):
        hit.notes.append(REGIONAL_BODY)
    if not hit.reject and _POST_ORG.search(after) and hit.match != "alias":
        hit.reject = ("organisation or unit named after a place "
                      f"({span_text}{_short(after.split(',')[0])})")
        return
    if hit.cue_why == ENTITY and names_a_body(text, hit.start, after):
        hit.reject = f"'{span_text}' names the Russian-installed entity's bodies, not ground"
        return
    if not hit.cue and hit.base != hit.key:
        hit.cue, hit.cue_why = "oblast", "region word in the name"
    if not hit.cue and span_text.isupper() and _DATELINE_AFTER.match(after) and (
            not before.strip() or before.rstrip(" \t").endswith("\n")):
        hit.cue, hit.cue_why = "settlement", DATELINE
    if not hit.cue:
        if (("oblast" in kinds or OBLAST_CAPITAL in kinds or has_oblast_form(hit.base, index))
                and (_POST_OBLAST.search(after) or _POST_HYPHEN_REGION.match(after)
                                   or (pre and stripped.endswith(_OBLAST_TAILS)
                                       and _PRE_OBLAST.search(before_l))
                                   or _POST_LIST_REGIONS.match(text, hit.end, hit.end + _MAX_AFTER))
                or _SUFFIX_OBLAST.match(after)):
            hit.cue, hit.cue_why = "oblast", "region word next to it"
            m = _SUFFIX_OBLAST.match(after)
            if m and not possessive:
                hit.end += m.end()
                hit.text = text[hit.start:hit.end]
        elif m := _POST_RAION.search(after):
            hit.cue, hit.cue_why = "raion", "district word after it"
            _mark_community(hit, m.group(0))
        elif (pre and stripped.endswith(_SETTLEMENT_TAILS)
              and _PRE_SETTLEMENT.search(before_l)) or _POST_SETTLEMENT.search(after):
            hit.cue, hit.cue_why = "settlement", "city/town/village word next to it"
            if stripped.endswith("city of") or after[:5] in (" city", " City"):
                # "the city of Poltava" is no village of that name.
                towns = tuple(c for c in hit.candidates
                              if cols.population[c] >= FUZZY_MIN_POPULATION)
                if towns:
                    hit.candidates = towns
        elif _POST_DIRECTION.search(after):
            if ("oblast" in kinds or has_oblast_form(hit.base, index)) and (
                    _POST_FRONT_SECTOR.match(after) or _PRE_COMPASS.search(before_l)):
                # "the Zaporizhzhia direction", "south Donetsk direction": the front in
                # that oblast (the General Staff's sectors), not the regional capital.
                hit.cue, hit.cue_why = "oblast", DIRECTION_OF_OBLAST
            else:
                hit.cue, hit.cue_why = "settlement", DIRECTION_OF_TOWN
                hit.precision = 2
        elif "water" in kinds and (_POST_WATER.search(after)
                                   or (pre_the and _PRE_THE.search(before_l))):
            hit.cue, hit.cue_why = "water", "'the X' / 'X River'"
    # National Guard "Azov", the "Tsentr" battlegroup: a quoted name is a unit or a brand.
    if before[-1:] in {'"', "“", "«"} and after[:1] in {'"', "”", "»"}:
        hit.reject = f"'{span_text}' in quotes names a unit or a brand, not a place"
        return
    # "across the Dnipro", "the Dnipro River": a river named like a town, not the town.
    if not hit.cue and kinds.isdisjoint(_NOT_WATER) and (
            _POST_RIVER.search(after) or (possessive and _POST_BANK.search(after))
            or (pre and stripped.endswith(_WATER_TAILS))
            or (pre_the and _PRE_THE.search(before_l) and _POST_BARE.search(after)
                and not _NEUTER_END.search(hit.key)
                and not _POST_LIST_HEAD.match(text, hit.end, hit.end + _MAX_AFTER))):
        hit.reject = (f"'{span_text}' here names a river, forest or another feature, "
                      "not a settlement")
        return
    # "Novyi and Kanal neighborhoods" of Chasiv Yar: parts of a town (not "a Kharkiv
    # neighbourhood").
    if (not hit.cue and _POST_QUARTER.match(text, hit.end, hit.end + _MAX_AFTER)
            and all(cols.population[c] < FUZZY_MIN_POPULATION for c in hit.candidates)):
        hit.reject = f"'{span_text}' here names a part of a town, not a settlement"
        return
    # Metonymy: a capital or a country standing for its government.
    cand = hit.candidates
    if cand and not hit.cue and ("country" in kinds or not cols.capitals.isdisjoint(cand)):
        why = metonymy(before, stripped, after, possessive=possessive, locative=hit.locative)
        if why:
            hit.reject = f"{METONYMIC} '{span_text}' stands for its government ({why})"
            return
    # Common English words and people's names ("Most", "Bar", "Lee") need a locative cue.
    if not hit.reject and hit.match == "exact" and " " not in hit.key and not hit.cue:
        best = max(cand, key=cols.population.__getitem__) if cand else -1  # first of equals
        if best >= 0 and is_common_word(hit.key, cols.population[best], cols.kind[best]):
            if not (hit.locative or hit.precision):
                hit.reject = f"'{span_text}' is a common English word or name here"
                hit.notes.append("common-word")
    # Foreign towns too small to be in the news are people's names (Taylor, Vance).
    if not hit.reject and cand and not cols.small_abroad.isdisjoint(cand):
        kept = tuple(c for c in cand if cols.keep_abroad[c])
        if not kept:
            hit.reject = "only small places outside Ukraine and its border regions have this name"
        elif len(kept) < len(cand):
            hit.candidates = kept


#: Pseudo-kind in :func:`_kinds` of a tuple holding a settlement named like its oblast
#: (the oblast's capital): "Odessa", "Zaporizhia", spellings only the capital has, which
#: a region word or a list of regions turns into the oblast
#: (:func:`tracker.geoparse_kinds.narrow`).
OBLAST_CAPITAL = "oblast-capital"


def oblast_capitals(index: NameIndex) -> frozenset[int]:
    """Positions of the settlements named like their oblast (built once per index)."""
    capitals = index.__dict__.get("_oblast_capitals")
    if capitals is None:  # a few dozen places
        cols = index.py
        capitals = index.__dict__["_oblast_capitals"] = frozenset(
            c for c, (kind, name, admin1)
            in enumerate(zip(cols.kind, cols.names, cols.admin1, strict=True))
            if kind == "settlement" and name == admin1)
    return capitals


def has_oblast_form(base: str, index: NameIndex) -> bool:
    """Whether "<base> region" names an oblast ("Dnepropetrovsk", "Kirovograd": old names)."""
    bases = index.__dict__.get("_oblast_form_bases")
    if bases is None:  # once per index: a pass over the keys ending in " region"
        kind = index.py.kind
        bases = index.__dict__["_oblast_form_bases"] = frozenset(
            key[:-len(" region")] for key, cands in index.tkeys.items()
            if key.endswith(" region") and any(kind[c] == "oblast" for c in cands))
    return base in bases


def _kinds(cands: tuple[int, ...], index: NameIndex) -> frozenset[str]:
    """Return the kinds of a candidate tuple (memoised: the same tuples recur in every report)."""
    def kinds() -> frozenset[str]:
        found = {index.py.kind[c] for c in cands}
        if not oblast_capitals(index).isdisjoint(cands):
            found.add(OBLAST_CAPITAL)
        return frozenset(found)

    return memoised(index, "_kinds", cands, kinds)








def _mark_community(hit: Hit, words: str) -> None:
    """Note that the district word was a community one ("X hromada", "A and B communities")."""
    if _COMMUNITY_WORD.search(words):
        hit.notes.append(COMMUNITY)








def _short(word: str, limit: int = 30) -> str:
    return word if len(word) <= limit else word[:limit] + "…"
