"""What each place does in a sentence, besides being where something happened.

Used by :func:`tracker.events.extract_events`: :func:`governing_trigger` finds the
trigger that directly governs a place ("the capture of Avdiivka", "X was
liberated"); :func:`aside_roles` finds the places that only locate, frame, source
or name something else ("near Vovchansk in Kharkiv Oblast", "from the direction
of A", "the A–B highway"); :func:`share_relations` gives "near A, B and C" to B
and C; :func:`parenthetical` and :func:`relation_owner` tie a region in brackets
or a relative location ("Druzhba east of Toretsk") to the place they qualify.
"""

from __future__ import annotations

import re

from tracker.events_lexicon import CLAUSE_BREAK, CONTAINERS, REPORTING
from tracker.events_rules import Trigger
from tracker.models import Mention
from tracker.relations import Relation, parse_relation

__all__ = ["aside_roles", "governing_trigger", "parenthetical", "relation_owner", "share_relations"]

#: Words allowed between a trigger and the place it governs (besides other places).
_GOVERN_GAP = re.compile(
    r"^(?:[\s,()\-–—]|\b(?:of|over|for|in|into|on|at|to|the|a|an|and|or|also|both|"
    r"village|villages|town|towns|city|cities|settlement|settlements|hamlet|key|strategic|"
    r"stronghold|nearby|mining|front-?line|small|large|important|entire|whole|"
    r"\w+ern|part|parts|areas?|outskirts|direction|district|region|oblast|"
    r"all|regions|several|two|three|four|five|namely|including|particular|such|as|as\s+well|"
    r"fully|completely|partially|reportedly|allegedly|X|Y)\b)*$",
    re.I)
_DIRECT_GAP = re.compile(
    r"^\s*(?:(?:the\s+)?(?:village|town|city|settlement)\s+of\s+|(?:the\s+)?(?:village|town|"
    r"city)\s+)?$", re.I)
_LOCATED = re.compile(
    r"\b(?:village|villages|town|towns|settlements?|cities|areas?|positions?|territory|"
    r"districts?)\b", re.I)
_POST_GAP = re.compile(
    r"^(?:[\s,]|\([^)]{0,40}\)|\b(?:has|have|had|was|were|is|are|been|being|fully|"
    r"reportedly|allegedly|now|also|finally|completely|itself|city|town|village|Y)\b)*$",
    re.I)
_RELATION_OWNER_GAP = re.compile(
    r"^[\s,(]*(?:(?:lies|lie|is|are|was|located|situated|which|that|just|some|about|roughly|"
    r"approximately|both|all|each|all\s+three)\s*)*$", re.I)
_LOCATING_GAP = re.compile(
    r"\s*(?:,\s*|(?:,\s*(?:an?\s+|the\s+)?(?:[\w'’-]+\s+){0,3}?(?:town|city|village|settlement|"
    r"hub|stronghold|port|capital|centre|center))?\s(?:in|of)\s+(?:the\s+)?"
    r"(?:(?:\w+ern|central|occupied|neighbou?ring|temporarily\s+occupied)\s+)?)", re.I)
_DISTRICT_AFTER = re.compile(r"\s+(?:district|raion|region|oblast|province|hromada|community)\b",
                             re.I)
_FRAME_BEFORE = re.compile(
    r"^\W*(?:in|across|throughout)\s+(?:the\s+)?(?:(?:\w+ern|central|neighbou?ring)\s+)?$",
    re.I)
_ROUTE_AFTER = re.compile(
    r"^(?:\s*[–—-]\s*[A-Z][\w'’ -]{1,30}?)?\s+(?:highway|road|motorway|railway|rail\s+line|"
    r"route|reservoir|canal)\b")
_SPEAKER_CLAUSE = re.compile(r"\b(?:said|says|reported|reports|claimed|claims|stated|announced|"
                             r"told\s+\w+|wrote)\s+(?:on\s+\w+\s+)?that\b", re.I)
_SHARED_RELATION = {"near": "near", "toward": "toward", "outskirts": "outskirts of",
                    "approaches": "approaches to"}


def governing_trigger(sentence: str, mention: Mention, mentions: list[Mention],
                      triggers: list[Trigger]) -> Trigger | None:
    """Find the trigger directly governing a mention ("capture of X", "X was liberated"), if any.

    Parameters
    ----------
    sentence : str
        One sentence; mention offsets are relative to it.
    mention : Mention
        The place mention.
    mentions : list of Mention
        All mentions of the sentence (masked as "X"/"Y" in the gaps).
    triggers : list of Trigger
        The sentence's triggers.

    Returns
    -------
    Trigger or None
        The nearest preceding trigger whose gap to the mention is only filler words,
        else one right after it ("X was liberated"), else None.
    """
    best = None
    container = mention.place.kind in CONTAINERS
    for trigger in triggers:
        if trigger.kind == "casualty":
            continue  # "killed in X" only counts when nothing else happens in the sentence
        if trigger.end <= mention.start:
            gap = _mask(sentence, trigger.end, mention.start, mentions)
            if trigger.direct and not _DIRECT_GAP.match(gap):
                continue  # "left" counts in "left Vuhledar", not in "left three dead in X"
            gap = re.sub(r"\([^)]{0,60}\)", " ", gap).replace("’", "'").replace("'s ", " ")
            if container and (_LOCATED.search(gap) or " X " in f" {gap} "):
                continue  # "capture of two villages in eastern Ukraine": Ukraine locates them
            if len(gap.split()) <= 9 and _GOVERN_GAP.match(gap) and not CLAUSE_BREAK.search(
                    gap.replace("—", " ").replace("–", " ")):
                best = trigger  # the nearest preceding one wins
        elif trigger.start >= mention.end and best is None and not trigger.direct:
            gap = _mask(sentence, mention.end, trigger.start, mentions)
            if len(gap.split()) <= 5 and _POST_GAP.match(gap):
                return trigger
            break
    return best


def aside_roles(sentence: str, mentions: list[Mention],
                relations: dict[str, tuple[Relation | None, bool]],
                triggers: list[Trigger], unplaced: list[tuple[int, int]] = ()) -> set[int]:
    """Return the indices of the mentions that only locate, name or source something else.

    - a region (or "X district") that locates the settlement before it in the
      same phrase ("near Vovchansk in Kharkiv Oblast", "Olgovka in the Kursk
      region of Russia") or frames a clause that names settlements ("In
      Zaporizhzhia Oblast, Ukrainian forces attacked near A");
    - an origin and the places listed with it ("from the direction of A and B");
    - a place naming a road or reservoir ("the A–B highway");
    - a place in the speaker's own words before "reported that" when every
      event word comes after it ("a brigade in the Pokrovsk direction reported
      that ...").
    """
    roles: set[int] = set()
    for k, mention in enumerate(mentions):
        place = mention.place
        regional = place.kind in CONTAINERS or bool(
            _DISTRICT_AFTER.match(sentence, mention.end))
        previous_end, previous_kind, locates = None, "", False
        if k > 0:
            previous = mentions[k - 1]
            previous_end, previous_kind = previous.end, previous.place.kind
            locates = previous_kind not in CONTAINERS or (k - 1) in roles
        closer = [end for begin, end in unplaced if end <= mention.start and (
            previous_end is None or begin >= previous_end)]
        if closer:  # "the village of Olgovka (not placed) in the Kursk region"
            previous_end, previous_kind, locates = max(closer), "settlement", True
        if regional and previous_end is not None:
            gap = re.sub(r"\([^)]{0,60}\)", " ", sentence[previous_end:mention.start])
            if locates and _LOCATING_GAP.fullmatch(gap) and not (
                    gap.strip() == "," and place.kind != previous_kind and k + 1 < len(
                        mentions) and mentions[k + 1].place.kind == place.kind):
                roles.add(k)
                continue
        if regional and _FRAME_BEFORE.match(sentence[:mention.start]) and re.match(
                r"\s*,", sentence[mention.end:]):
            later = [m for m in mentions[k + 1:] if m.place.kind not in CONTAINERS]
            if later and not CLAUSE_BREAK.search(sentence[mention.end:later[0].start]):
                roles.add(k)
                continue
        relation = relations.get(place.place_id, (None, False))[0]
        if relation is not None and relation.kind == "origin":
            roles.add(k)
            continue
        if k > 0 and (k - 1) in roles and re.fullmatch(
                r"\s*(?:,|,?\s*and|,?\s*or)\s*", sentence[mentions[k - 1].end:mention.start]):
            previous_relation = relations.get(mentions[k - 1].place.place_id, (None, False))[0]
            if previous_relation is not None and previous_relation.kind == "origin":
                roles.add(k)  # "from the direction of Chasiv Yar and Toretsk"
                continue
        if _ROUTE_AFTER.match(sentence[mention.end:]) or (
                re.search(r"[–—-]\s*$", sentence[:mention.start])
                and _ROUTE_AFTER.match(" " + sentence[mention.end:].lstrip())):
            roles.add(k)
            continue
        speaker = _SPEAKER_CLAUSE.search(sentence, mention.end)
        if speaker is not None and triggers and all(t.start >= speaker.end() for t in triggers) \
                and not REPORTING.search(sentence, mention.end, speaker.start()):
            roles.add(k)
    return roles


def share_relations(sentence: str, mentions: list[Mention],
                    relations: dict[str, tuple[Relation | None, bool]]) -> None:
    """Give "near A, B and C" to B and C too (each listed place is near, not in).

    Parameters
    ----------
    sentence : str
        One sentence; mention offsets are relative to it.
    mentions : list of Mention
        The sentence's mentions, in order.
    relations : dict
        ``place_id -> (Relation or None, own)``; updated in place.
    """
    for previous, mention in zip(mentions, mentions[1:], strict=False):
        relation, own = relations.get(previous.place.place_id, (None, False))
        if relation is None or not own or relation.kind not in _SHARED_RELATION:
            continue
        if relations.get(mention.place.place_id, (None, False))[0] is not None:
            continue
        if not re.fullmatch(r"\s*(?:,|,?\s*and|,?\s*or)\s*",
                            re.sub(r"\([^)]{0,60}\)", " ", sentence[previous.end:mention.start])):
            continue
        name = mention.place.name
        relations[mention.place.place_id] = (
            Relation(relation.kind, f"{_SHARED_RELATION[relation.kind]} {name}", mention.start),
            True)


def parenthetical(sentence: str, mention: Mention, mentions: list[Mention]) -> bool:
    """Whether a region only qualifies the place before it ("Shebekino (Russian Federation)").

    Parameters
    ----------
    sentence : str
        One sentence; mention offsets are relative to it.
    mention : Mention
        The region's mention.
    mentions : list of Mention
        All mentions of the sentence.

    Returns
    -------
    bool
    """
    before = sentence[:mention.start]
    after = sentence[mention.end:mention.end + 3]
    if not (re.search(r"\(\s*$", before) and after.lstrip().startswith(")")):
        return False
    cut = before.rindex("(")
    return any(other.end <= cut and not re.sub(r"\([^)]{0,60}\)", "", sentence[other.end:cut]
                                                ).strip() for other in mentions
               if other.place.kind not in CONTAINERS)


def relation_owner(sentence: str, relation: Relation, anchor: Mention,
                   mentions: list[Mention]) -> Mention | None:
    """Find the place a relation describes when it is not the anchor ("Druzhba east of Toretsk").

    Parameters
    ----------
    sentence : str
        One sentence; mention offsets are relative to it.
    relation : Relation
        A relative location parsed from the sentence.
    anchor : Mention
        The place the relation is measured from.
    mentions : list of Mention
        All mentions of the sentence.

    Returns
    -------
    Mention or None
        The place right before the relation that it describes, if any.
    """
    for other in mentions:
        if other.place.place_id == anchor.place.place_id or other.end > relation.start:
            continue
        gap = sentence[other.end:relation.start]
        gap = re.sub(r"\([^)]{0,40}\)", " ", gap)
        if _RELATION_OWNER_GAP.match(gap):
            own = parse_relation(sentence, other.start, other.end, other.place.name)
            if own is not None and own.kind in ("offset", "direction", "distance", "near"):
                return None  # "northeast of Pokrovsk near Promin": Pokrovsk is an anchor too
            return other
    return None


def _mask(sentence: str, start: int, end: int, mentions: list[Mention]) -> str:
    """Text between two offsets with other place names replaced by "X" (or "Y" for regions)."""
    pieces, cursor = [], start
    for mention in mentions:
        if mention.start >= start and mention.end <= end:
            pieces.append(sentence[cursor:mention.start])
            pieces.append(" Y " if mention.place.kind in CONTAINERS else " X ")
            cursor = mention.end
    pieces.append(sentence[cursor:end])
    return "".join(pieces)
