"""Reading lists and relations between the found names of a report.

After :func:`tracker.geoparse_filters.read_context` has read each hit's own
context, these look at hits together:

- :func:`propagate_lists` shares cues along lists ("Kursk and Oryol regions",
  "the Russian villages of A, B and C", "A, B and C communities"), un-rejects a
  common-word name listed with places, spreads metonymy to a capital listed with
  a metonymic one ("between Kyiv and Moscow's forces") and reads a surname where
  the person was named in full before ("Dmytro Zaporozhets ... Zaporozhets said");
- :func:`link_relations` ties "A, 10 km west of C" so the resolver places A near C,
  and "A in the Kursk region" so it looks for A there.

Every gap between two hits is cut to ``_MAX_GAP`` characters before a pattern sees
it, so crafted text cannot make a pattern backtrack for long.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from tracker.geoparse_filters import (
    _CTX,
    _MAX_AFTER,
    _PART_OF,
    OBLAST_CAPITAL,
    _kinds,
    _mark_community,
)
from tracker.geoparse_index import _UP, NameIndex
from tracker.geoparse_metonymy import METONYMIC
from tracker.geoparse_words import _zipf
from tracker.names import normalize

if TYPE_CHECKING:
    from tracker.geoparse_find import Hit

__all__ = ["propagate_lists", "link_relations", "IN_LIST", "BRACKETED"]

#: Note on the members of a list of three places or more ("A, B and C").
IN_LIST = "in a list"

#: "A in the Kursk region", "A” in occupied Kherson Oblast", "A of the southeastern ... region".
_IN_GAP = re.compile(r"[”\"»)]?,?\s+(?:in|of)\s+(?:the\s+)?(?:(?:occupied|Russian-occupied"
                     r"|(?:north|south)?(?:east|west)ern|southern|northern|central)\s+)?")
#: "the Russian settlements of A, B and C", "the Ukrainian village of A": their country.
_PRE_COUNTRY = re.compile(
    r"\b(russian|ukrainian|belarusian)\s+(?:border\s+|frontier\s+)?(?:settlements?|villages?"
    r"|towns?|cities|city|hamlets?)\s+(?:of\s+)?(?:the\s+)?$")
_COUNTRY_CODE = {"russian": "RU", "ukrainian": "UA", "belarusian": "BY"}
#: "Bakhmut (Donetsk Oblast)", "the Spornoye settlement (in the Donetsk region - TASS)": an
#: oblast in brackets says where the one place before it lies, and no more.
_PAREN_IN_GAP = re.compile(r"(?:\s+(?:settlement|village|town|city))?\s*\(\s*(?:in\s+)?(?:the\s+)?")
#: Note on an oblast in brackets after a place (see ``_PAREN_IN_GAP``).
BRACKETED = "in brackets after a place"
_REL_GAP = re.compile(
    r"[,;]?\s*(?:\(|\s)?(?:about\s+|some\s+|roughly\s+|just\s+|further\s+)?"
    r"(?:\d+(?:[.,]\d+)?\s*(?:km|kilomet(?:er|re)s?|miles?)\s+)?(?:\([^)]*\)\s+)?"
    r"(?:(?:north|south|east|west|northeast|northwest|southeast|southwest)(?:ern)?|outside|near)"
    r"(?:\s+of)?\s+(?:the\s+)?(?:(?:occupied|embattled|Russian-occupied|besieged)\s+)?"
    r"(?:(?:town|city|village|settlement)\s+of\s+)?")
#: Gaps between two hits and windows after one are cut to this many characters before a
#: regex sees them: no list or relation gap is longer, and a crafted run of spaces or
#: commas cannot make a pattern backtrack for long (reports come from the web).
_MAX_GAP = 120
#: A capitalised word rarer than this in English (Zipf scale) before a name may be a
#: given name ("Dmytro Zaporozhets"); "Russian", "Northern", "Occupied" are far above.
GIVEN_NAME_ZIPF = 4.0
_AND_GAP = re.compile(r"\s*(?:,?\s*and|,?\s*or|&)\s*")
#: A list gap that may hold names the gazetteer lacks: "A, Obod, 1st Knyazhy and B".
_SEP = r"(?:\s*,\s*(?:(?:and|or)\s+)?|\s+(?:and|or)\s+)"
_LOOSE_LIST_GAP = re.compile(
    rf"{_SEP}(?:(?:\d+(?:st|nd|rd|th)\s+)?[{_UP}][\w'’-]*{_SEP})*")
#: "the regions of Odessa (south) and Sumy (northeast)": a short aside may follow a member.
_LIST_GAP = re.compile(r"(?:\s*\([^()]{1,40}\))?\s*(?:,|,?\s*and|,?\s*or|&)\s*"
                       r"(?:neighbou?ring\s+)?")
_POST_OBLAST_PLURAL = re.compile(r"^\s+(?:oblasts|regions|provinces)\b", re.IGNORECASE)
_PRE_OBLAST_LIST = re.compile(r"\b(?:regions|oblasts|provinces)\s+of\s+(?:the\s+)?$")
#: "... and Snovsk communities", also past names that are no hits ("Krasnopillia and
#: Svesy communities", "Pervomaisk, Voznesenskyi and Bashtanskyi districts").
_POST_RAION_PLURAL = re.compile(
    rf"(?:(?:,\s*|\s+)(?:(?:and|or)\s+)?[{_UP}][\w'’-]*)*"
    r"\s+(?i:raions|rayons|districts|hromadas|communities|municipalities)\b")
#: "the communities of A, B", "four hromadas - A, B and C", "several districts, including A".
_PRE_RAION_LIST = re.compile(
    r"\b(?:raions|rayons|districts|hromadas|communities|municipalities)"
    r"(?:\s+of\s+(?:the\s+)?|,?\s+(?:including|namely)\s+|\s+[-–—]\s+)$")
#: The last words a district list's window can end in (a cheap test before the regex).
_DISTRICT_LIST_TAILS = ("of", "the", ":", "including", "namely", "-", "–", "—")
#: "the cities of A and B", "the villages of A, B and C" (not "the Russian villages of":
#: ``_PRE_COUNTRY`` reads those).
_PRE_TOWN_LIST = re.compile(r"\b(?:cities|towns)\s+of\s+(?:the\s+)?$")
#: "... shelled three border communities of Chernihiv region on September 15: A, B and C".
_PRE_RAION_COLON = re.compile(
    r"\b(?:raions|rayons|districts|hromadas|communities|municipalities)\b[^.:;!?]*:\s*$")


def link_relations(text: str, hits: list[Hit], index: NameIndex) -> None:
    """Link "near A and B, 10 km west of C" so that A and B are resolved close to C."""
    live = [h for h in hits if not h.reject]
    for j, target in enumerate(live):
        if j == 0:
            continue
        gap = _gap(text, live[j - 1].end, target.start) if (
            live[j - 1].sentence == target.sentence) else None
        if gap is not None and target.cue in ("oblast", "raion") and _PAREN_IN_GAP.fullmatch(gap):
            live[j - 1].located_in = target
            target.notes.append(BRACKETED)
        elif gap is not None and _IN_GAP.fullmatch(gap):
            k = j - 1
            live[k].located_in = target
            while k > 0 and live[k - 1].sentence == target.sentence and _LIST_GAP.fullmatch(
                    _gap(text, live[k - 1].end, live[k].start)):
                k -= 1
                live[k].located_in = target
        if _is_district(target, index) and _closes_segment(text, target):
            # "Kolodiazne, Dvorichna, Synkivka, Kupiansk district; Udy, Bohodukhiv district":
            # the villages before a district name that ends the segment lie in it.
            k = j - 1
            while (k >= 0 and live[k].sentence == target.sentence
                   and live[k].located_in is None and live[k].cue != "raion"
                   and _LIST_GAP.fullmatch(_gap(text, live[k].end,
                                                (live[k + 1] if k + 1 < j else target).start))):
                live[k].located_in = target
                k -= 1
        k = j - 1
        if live[k].sentence != target.sentence or not _REL_GAP.fullmatch(
                _gap(text, live[k].end, target.start)):
            continue
        live[k].relative_to = target
        while k > 0 and live[k - 1].sentence == target.sentence and _LIST_GAP.fullmatch(
                _gap(text, live[k - 1].end, live[k].start)):
            k -= 1
            live[k].relative_to = target


_UNIT_KINDS = frozenset({"raion", "hromada"})
#: What may follow a district's name that closes a list segment ("..., Kupiansk district;").
_SEGMENT_END = re.compile(r"(?:\s+(?:district|raion|rayon|hromada|community))?\s*(?:[;.)\n]|$)",
                          re.IGNORECASE)


def _is_district(hit: Hit, index: NameIndex) -> bool:
    """Whether a hit names a raion or hromada ("Kupiansk district", "Kupianskyi raion")."""
    if hit.cue == "raion":
        return True
    kind = index.py.kind
    cands = hit.candidates
    # the first candidate settles most hits (a settlement) without a loop
    return bool(cands) and kind[cands[0]] in _UNIT_KINDS and all(
        kind[c] in _UNIT_KINDS for c in cands)


def _closes_segment(text: str, hit: Hit) -> bool:
    """Whether a district's name ends its list segment (a ";", "." or line end after it)."""
    return _SEGMENT_END.match(text, hit.end, hit.end + _MAX_GAP) is not None


def propagate_lists(text: str, hits: list[Hit], index: NameIndex) -> None:
    """Give every member of "X, Y and Z regions" / "regions of X, Y and Z" the oblast cue.

    Every member of "the Russian villages of X, Y and Z" gets that country.

    A name that is also a common word ("Lyman") is a place after all when it is
    listed with other places ("Lyman, Siversk and Kostiantynivka").
    """
    for i, hit in enumerate(hits):
        if "common-word" not in hit.notes:
            continue
        for other in _neighbours(text, hits, i, _LIST_GAP):
            if not other.reject:
                hit.reject = ""
                hit.notes.append("listed with other places")
                break
    _share_metonymy(text, hits, index)
    _surnames(text, hits, index)
    groups: list[list[Hit]] = []
    for hit in hits:
        if hit.reject:
            groups.append([])
            continue
        if groups and groups[-1]:
            gap = text[groups[-1][-1].end:hit.start]
            if _LIST_GAP.fullmatch(gap if len(gap) <= _MAX_GAP else "\x00"):
                groups[-1].append(hit)
                continue
        groups.append([hit])
    for group in groups:
        if not group:
            continue
        if len(group) >= 3:
            for h in group:
                h.notes.append(IN_LIST)
        raw = text[max(0, group[0].start - _CTX):group[0].start]
        # Cheap tests first, as most windows match neither: a district list is announced
        # by "of"/"the" or a colon, the country cue needs a country word.
        district_list = raw.rstrip().endswith(_DISTRICT_LIST_TAILS)
        country_word = "ussian" in raw or "krainian" in raw or "elarusian" in raw
        if not (district_list or country_word or len(group) > 1):
            continue
        before = raw.lower()
        said_list = district_list and (_PRE_RAION_LIST.search(before) or (
            raw.rstrip().endswith(":") and _PRE_RAION_COLON.search(
                text, max(0, group[0].start - _MAX_GAP - _CTX), group[0].start)))
        if said_list:
            # "the communities of Esman, Novoslobid and Bilopol", "four communities of
            # Chernihiv region: A, B and C": districts, not towns.
            for h in _loose_list(text, hits, group[0]):
                if not h.cue:
                    h.cue, h.cue_why = "raion", "listed after a plural district word"
                    _mark_community(h, said_list.group(0))
        if district_list and ("ities" in raw or "owns" in raw) and _PRE_TOWN_LIST.search(
                before):
            # "struck the cities of Sumy and Zaporizhzhia": towns, whatever the report
            # calls a region elsewhere or names in the sentence.
            for h in group:
                if not h.cue:
                    h.cue, h.cue_why = "settlement", "listed after a plural town word"
        said = country_word and _PRE_COUNTRY.search(before)
        if said:
            # The list may run on past names the gazetteer lacks ("A, Obod, B and C").
            for h in _loose_list(text, hits, group[0]):
                h.country = _COUNTRY_CODE[said.group(1)]
        if len(group) < 2:
            continue
        after = text[group[-1].end:group[-1].end + _CTX]
        if (_PRE_OBLAST_LIST.search(before) or _POST_OBLAST_PLURAL.search(after)
                or any(h.cue == "oblast" for h in group)):
            for h in group:
                # also a spelling only the oblast's capital has ("Donetsk, Zaporizhia and
                # Dnipropetrovsk regions")
                if not h.cue and not _kinds(h.candidates, index).isdisjoint(
                        ("oblast", OBLAST_CAPITAL)):
                    h.cue, h.cue_why = "oblast", "listed with other regions"
        elif head := _POST_RAION_PLURAL.match(text, group[-1].end, group[-1].end + _MAX_AFTER):
            # "Semenivka, Novhorod-Siversk and Snovsk communities": districts, not towns.
            for h in group:
                if not h.cue:
                    h.cue, h.cue_why = "raion", "listed before a plural district word"
                    _mark_community(h, head.group(0))


def _share_metonymy(text: str, hits: list[Hit], index: NameIndex) -> None:
    """"Between Kyiv and Moscow's forces": a capital listed with a metonymic one is one too."""
    cols = index.py
    for i, hit in enumerate(hits):
        if not hit.reject.startswith(METONYMIC):
            continue
        for other in _neighbours(text, hits, i, _AND_GAP):
            if other.reject or other.cue or other.locative or not other.candidates:
                continue
            if "country" in _kinds(other.candidates, index) or not cols.capitals.isdisjoint(
                    other.candidates):
                other.reject = (f"{METONYMIC} '{other.text}' stands for its government "
                                f"(listed with '{hit.text}')")


def _neighbours(text: str, hits: list[Hit], i: int, gap: re.Pattern):
    """Yield the hits just before and after ``hits[i]`` whose gap to it ``gap`` matches whole."""
    for j in (i - 1, i + 1):
        if 0 <= j < len(hits):
            a, b = (hits[j], hits[i]) if j < i else (hits[i], hits[j])
            if gap.fullmatch(_gap(text, a.end, b.start)):
                yield hits[j]


def _gap(text: str, start: int, end: int) -> str:
    """Return the text between two hits, or a string no gap pattern matches if too long."""
    return text[start:end] if end - start <= _MAX_GAP else "\x00"


def _surnames(text: str, hits: list[Hit], index: NameIndex) -> None:
    """"Dmytro Zaporozhets, a spokesman ... Zaporozhets said": a person named in full once.

    A name first seen as the last word of a longer capitalised name is that person's
    surname where it recurs alone, unless a cue or a list says it is a place there.
    """
    full = {}
    for hit in hits:
        if hit.reject.startswith(_PART_OF) and hit.reject.endswith(f" {hit.text})"):
            name = hit.reject[len(_PART_OF):-1]
            first = normalize(name.rsplit(" ", 1)[0].split()[-1])
            # A given name (Dmytro, Oleg), not an English word ("Russian", "Occupied")
            # nor a place glued to another.
            if _zipf(first) < GIVEN_NAME_ZIPF and first not in index.tkeys:
                full.setdefault(hit.key, name)
    if not full:
        return
    for i, hit in enumerate(hits):
        if (hit.reject or hit.key not in full or hit.cue or hit.locative or hit.precision
                or hit.match != "exact"):
            continue
        if not any(not other.reject for other in _neighbours(text, hits, i, _LIST_GAP)):
            hit.reject = f"the surname of {full[hit.key]}, named earlier"


def _loose_list(text: str, hits: list[Hit], first: Hit) -> list[Hit]:
    """Return the hits of a list starting at ``first``, across capitalised non-hits."""
    out = [first]
    for hit in hits[hits.index(first) + 1:]:
        if hit.sentence != first.sentence or not _LOOSE_LIST_GAP.fullmatch(
                _gap(text, out[-1].end, hit.start)):
            break
        if not hit.reject:
            out.append(hit)
    return out
