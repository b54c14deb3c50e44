"""Events: what each sentence says happened at each place it names.

:func:`extract_events` turns a report and its resolved place mentions into one
:class:`~tracker.models.Event` per (sentence, place), with

- ``event_type``: battle, advance, capture, liberation, withdrawal, strike,
  negotiation or mention (a place named without an event);
- ``actor``: RU, UA or unknown: the side that carries the event out;
- ``claim``: reported (the report says so itself, or quotes the media),
  claimed (a person, official or party says so), denied, or assessed (ISW,
  geolocated footage, OSINT maps);
- ``control``: the control the event implies: a capture by RU -> RU, a
  liberation by UA -> UA, a withdrawal by one side -> the other, a battle ->
  contested, a denied capture -> contested, anything else -> unknown;
- ``relation``: the relative location as written and parsed (see
  :mod:`tracker.relations`); "5 km SW of X" moves the point geodesically;
- ``quote``: the sentence, whitespace-normalised; ``confidence`` in [0, 1].

How it reads a sentence
-----------------------
Words are matched against a small table of verb and noun stems per event type
("captur", "liberat", "withdr", "advanc", "shell", "negotiat"...; the tables live in
:mod:`tracker.events_lexicon`, the checks in :mod:`tracker.events_rules`, and this
module assembles events). Each match is then checked in its own clause: negation
("did not capture", "has not been taken"), modality and intention ("would", "could",
"if", "aim of capturing", "threatening to", "conditional on the withdrawal") drop
it; attempts and defence ("failed to take", "attempting to take control", "prevent
further advances", "at risk of encirclement") turn it into a battle. A trigger
directly governing a place ("the capture of Avdiivka", "control over X and over Y",
"battles for Vovchansk") decides that place's type; other places take the strongest
trigger of the sentence. Captures only apply to settlements: an oblast or country
that merely locates a captured village gets the sentence's next event or "mention",
and a capture "near X" is an advance near X.

Places that only locate, anchor or source something else are mentions: a region
right after the settlement it locates ("near Vovchansk in Kharkiv Oblast"), a
relation anchor ("Dalne (south of Kurakhove)"), an origin ("from the direction
of X"), a road name, a place in the speaker's words before "reported that". A
place takes the events of its own clause (and of its own coordinated verb
phrase: "tried to regain A and shelled B"), a "X hromada:" heading those of its
clause, and an agentless strike sentence the strike actor of the previous
sentence in its paragraph.

The actor is the side named as the trigger's agent inside the reported content
(after "said that"), by "by Russian forces" after it, or, for a defence verb
("Ukrainian troops repelled 11 attacks"), the other side. Russian framing is
normalised: "liberated" by Russian forces in Ukraine is a capture by RU, and
"liberated" by Russia in Kursk is a liberation; a Ukrainian "capture" in Ukraine
is a liberation.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from dataclasses import replace

from tracker.acled import acled_types
from tracker.events_lexicon import (
    CLAUSE_BREAK,
    CONTAINERS,
    CUE_RE,
    MOVEMENT,
    PRIORITY,
    REPORTING,
    TERRITORIAL,
)
from tracker.events_rules import (
    Trigger,
    coordinated_verb,
    find_triggers,
    is_place_use,
    new_subject_clause,
    sentence_claim,
    speaker_side,
)
from tracker.models import Event, Mention, Place, Report
from tracker.relations import Relation, border_distance, border_named, offset, parse_relation
from tracker.text import paragraphs, sentences

__all__ = ["extract_events"]

_RU_SOURCES = re.compile(
    r"tass\.|\btass\b|ria\.ru|sputnik|pravda\.ru|news-pravda|rt\.com|mil\.ru|interfax\.ru|"
    r"kommersant|izvestia|\brt\b|ria novosti", re.I)
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

def extract_events(report: Report, mentions: list[Mention]) -> list[Event]:
    """Classify, per sentence and resolved place, what the report says happened there.

    Parameters
    ----------
    report : Report
        The dated report; its ``text`` is what the mentions' offsets point into.
    mentions : list of Mention
        Place mentions found in ``report.text``; unresolved ones (``place`` is
        None) are ignored.

    Returns
    -------
    list of Event
        One event per (sentence, place), in text order. ``event_id`` is a stable
        hash of the report id, the place id and the sentence span. ACLED types
        are filled in; distances are not (the timeline adds them).

    Examples
    --------
    >>> import datetime as dt
    >>> from tracker.models import Place, Report, Mention
    >>> pokrovsk = Place("gn:1", "Pokrovsk", "settlement", "Donetsk", "UA", 48.28, 37.18)
    >>> text = "Russian forces captured Pokrovsk, the defence ministry claimed."
    >>> report = Report("r1", dt.date(2025, 5, 20), "test", text)
    >>> i = text.index("Pokrovsk")
    >>> [event] = extract_events(report, [Mention(i, i + 8, "Pokrovsk", pokrovsk, 0.9)])
    >>> event.event_type, event.actor, event.claim, event.control
    ('capture', 'RU', 'claimed', 'RU')
    >>> extract_events(report, [Mention(i, i + 8, "Pokrovsk", None, 0.0, "unknown")])
    []
    """
    text = report.text
    resolved = sorted(
        (m for m in mentions if m.place is not None and 0 <= m.start < m.end <= len(text)),
        key=lambda m: (m.start, m.end),
    )
    if not resolved:
        return []
    spans = sentences(text)
    starts = [s for s, _ in spans]
    by_sentence: dict[int, list[Mention]] = {}
    for mention in resolved:
        index = bisect.bisect_right(starts, mention.start) - 1
        if index >= 0 and mention.start < spans[index][1]:
            by_sentence.setdefault(index, []).append(mention)
    unresolved: dict[int, list[tuple[int, int]]] = {}  # names the geoparser could not place
    for mention in mentions:
        if mention.place is None and 0 <= mention.start < mention.end <= len(text):
            index = bisect.bisect_right(starts, mention.start) - 1
            if index >= 0 and mention.end <= spans[index][1]:
                unresolved.setdefault(index, []).append(
                    (mention.start - spans[index][0], mention.end - spans[index][0]))

    enemy_side = "UA" if _RU_SOURCES.search(f"{report.source} {report.url}") else "RU"
    blocks = [start for start, _ in paragraphs(text)]
    block = -1
    previous_actors: dict[str, str] = {}  # event type -> actor of the previous sentence
    events: list[Event] = []
    border_name = ""  # "Donetsk", "Donetsk|Dnipropetrovsk" or "Ukraine|Russia"
    border_events: list[int] = []
    for index, (s_start, s_end) in enumerate(spans):
        sentence = text[s_start:s_end]
        local = [replace(m, start=m.start - s_start, end=min(m.end, s_end) - s_start)
                 for m in by_sentence.get(index, [])]
        named = _named_border(sentence, local)
        distance = border_distance(sentence)
        here = bisect.bisect_right(blocks, s_start) - 1
        if here != block:
            block, previous_actors = here, {}
        if not local:
            previous_actors = _actors(find_triggers(sentence, [], enemy_side))
            # "The map shows the Russians less than 5 km from this border": no place here, so
            # the distance goes to the events that named the border.
            if distance and border_name and border_events:
                relation = _border_relation(distance, border_name, resolved)
                for position in border_events:
                    events[position] = replace(
                        events[position], relation=_join(events[position].relation, relation))
            continue
        new, previous_actors = _sentence_events(report, sentence, (s_start, s_end), local,
                                                enemy_side, previous_actors,
                                                unresolved.get(index, []))
        first = len(events)
        events.extend(new)
        if named:
            border_name = named
            border_events = [first + k for k, e in enumerate(new)
                             if e.relation.startswith("border")]
        if distance and border_name:
            relation = _border_relation(distance, border_name, resolved)
            targets = [first + k for k, e in enumerate(new) if e.place.kind == "settlement"]
            if named:
                targets = sorted(set(targets) | set(border_events))
            targets = targets or list(range(first, len(events)))
            for position in targets:
                events[position] = replace(
                    events[position], relation=_join(events[position].relation, relation))
    return events


def _actors(triggers: list[Trigger]) -> dict[str, str]:
    """Event type -> the first known actor of the triggers of that type."""
    actors: dict[str, str] = {}
    for trigger in triggers:
        if trigger.effective and trigger.actor != "unknown":
            actors.setdefault(trigger.effective, trigger.actor)
    return actors


def _join(existing: str, border: str) -> str:
    """Add a border distance to a relation (replacing a bare "border of X")."""
    if not existing or existing.startswith("border"):
        return border
    return f"{existing}; {border}"


# --------------------------------------------------------------------------- sentences
def _sentence_events(report: Report, sentence: str, span: tuple[int, int],
                     mentions: list[Mention], enemy_side: str,
                     inherited: dict[str, str] | None = None,
                     unplaced: list[tuple[int, int]] = ()
                     ) -> tuple[list[Event], dict[str, str]]:
    """Build the events of one sentence; also return its actors per event type.

    ``inherited`` holds the previous sentence's actors (same paragraph): an
    agentless sentence ("Lyptsi came under air strikes") of the same event type
    takes that actor. ``unplaced`` are the spans of names the geoparser could not
    resolve: a region right after one still only locates it.
    """
    mentions = [m for m in mentions if is_place_use(sentence, m, mentions)]
    if not mentions:
        return [], _actors(find_triggers(sentence, [], enemy_side))
    triggers = find_triggers(sentence, mentions, enemy_side)
    actors = _actors(triggers)
    agentless = not actors and not _has_side_cue(sentence, mentions)
    claim = sentence_claim(sentence)
    side_of_speaker = speaker_side(sentence)

    # Which triggers govern which mentions, and which relations belong to whom.
    governed: dict[int, Trigger] = {}
    governing: set[int] = set()
    for k, mention in enumerate(mentions):
        trigger = _governing_trigger(sentence, mention, mentions, triggers)
        if trigger is not None:
            governed[k] = trigger
            if trigger.kind in TERRITORIAL:
                governing.add(id(trigger))
    relations: dict[str, tuple[Relation | None, bool]] = {}
    references: set[str] = set()
    asides: set[str] = set()
    for mention in mentions:
        place = mention.place
        relation = parse_relation(sentence, mention.start, mention.end, place.name)
        if relation is None:
            relations.setdefault(place.place_id, (None, False))
            continue
        owner = _relation_owner(sentence, relation, mention, mentions)
        if relation.kind == "origin":
            owner = None  # "pressing on X from the direction of Y": Y is where they come from
        if owner is not None:
            references.add(place.place_id)
            if "(" in sentence[owner.end:relation.start]:
                asides.add(place.place_id)  # "Novoolenivka (southwest of Kostyantynivka)"
            if relations.get(owner.place.place_id, (None, False))[0] is None:
                relations[owner.place.place_id] = (relation, False)
        elif relations.get(place.place_id, (None, False))[0] is None:
            relations[place.place_id] = (relation, True)

    _share_relations(sentence, mentions, relations)
    sentence_level = [t for t in triggers
                      if t.effective and id(t) not in governing and not t.direct]
    aside_roles = _aside_roles(sentence, mentions, relations, sentence_level, unplaced)
    # "repelled attacks near A and struck manpower near B": each coordinated verb has its clause
    splits = [t.start for t in triggers if t.effective and coordinated_verb(sentence, t)]
    splits += [position for t in triggers if t.effective
               and (position := new_subject_clause(sentence, t)) is not None]
    source_side = "RU" if enemy_side == "UA" else "UA"
    events: list[Event] = []
    seen: dict[str, int] = {}
    for k, mention in enumerate(mentions):
        place = mention.place
        relation, own = relations.get(place.place_id, (None, False))
        heading = _heading(sentence, mention)
        if (place.place_id in asides and k not in governed) or k in aside_roles:
            event_type, actor, strength = "mention", "unknown", 0.6
        elif place.kind in CONTAINERS and _parenthetical(sentence, mention, mentions):
            event_type, actor, strength = "mention", "unknown", 0.7  # "Shebekino (Russia)"
        else:
            candidates = sentence_level
            clause = [t for t in sentence_level
                      if not CLAUSE_BREAK.search(_between(sentence, t, mention))]
            segment = _segment(splits, mention.start, sentence_level)
            if heading:
                pass  # "Khotin hromada: the enemy dropped bombs ...": the heading takes the clause
            elif segment and place.kind not in CONTAINERS:
                candidates = segment
            elif place.kind in CONTAINERS:  # a region takes only the events of its own clause
                candidates = clause
            elif clause:  # a place takes the events of its own clause first
                candidates = clause
            beside = [t for t in sentence_level
                      if not re.search(r"[,;:()—–]", _between(sentence, t, mention))
                      and not CLAUSE_BREAK.search(_between(sentence, t, mention))]
            event_type, actor, strength = _classify(
                place, governed.get(k), candidates, relation, own,
                place.place_id in references, side_of_speaker, beside, source_side,
                bool(_APPOSITION.match(sentence, mention.end)))
            if actor == "unknown" and agentless and inherited and event_type == "strike" and \
                    inherited.get(event_type):
                actor = inherited[event_type]  # "The enemy launched 61 air strikes. X came under"
                actors.setdefault(event_type, actor)
        event = _event(report, sentence, span, mention, event_type, actor, claim, relation,
                       own, strength)
        if place.place_id in seen:  # the same place twice in a sentence: keep the stronger
            previous = events[seen[place.place_id]]
            if PRIORITY[event.event_type] > PRIORITY[previous.event_type]:
                events[seen[place.place_id]] = event
            continue
        seen[place.place_id] = len(events)
        events.append(event)
    return events, actors


def _classify(place: Place, governed: Trigger | None, sentence_level: list[Trigger],
              relation: Relation | None, own: bool, is_reference: bool, speaker_side: str,
              beside: list[Trigger] = (), source_side: str = "", described: bool = False
              ) -> tuple[str, str, float]:
    """Return (event_type, actor, strength) for one place in one sentence.

    ``beside`` holds the sentence-level triggers in the place's own clause (no
    comma or clause break between them). ``source_side`` is the side of the
    report's source: an agentless "recaptured X" is that side's retaking.
    ``described``: an apposition follows the place ("Toretsk, a town that has
    become a focal point of the offensive"), so a reference keeps the events.
    """
    container = place.kind in CONTAINERS
    if place.kind == "country" and relation is not None and relation.kind == "border":
        return "mention", "unknown", 0.6  # "5 km from the border with Russia": a reference
    if governed is not None and governed.effective:
        event_type, actor, strength = governed.effective, governed.actor, 0.9
    elif governed is not None and governed.kind != "battle":
        # The place's own predicate is negated, hypothetical or civil ("evacuation of X", "aim
        # of capturing X"): nothing happened there, unless fighting is reported in the same
        # clause ("has not yet seized X despite months of fighting").
        fighting = [t for t in beside if t.effective in ("battle", "strike", "advance")]
        if not fighting:
            return "mention", "unknown", 0.7
        return _classify(place, None, fighting, relation, own, is_reference, speaker_side,
                         source_side=source_side)
    elif is_reference and not (described and any(t.effective for t in sentence_level)):
        return "mention", "unknown", 0.6  # "Shumi, near the town of Toretsk": Toretsk locates
    else:
        ranked = sorted(sentence_level, key=lambda t: -PRIORITY[t.effective])
        if container or is_reference:
            non_territorial = [t for t in ranked if t.effective not in TERRITORIAL]
            if ranked and ranked[0].effective in TERRITORIAL:
                ranked = non_territorial
        if not ranked:
            return "mention", "unknown", 0.6
        best = ranked[0]
        same = [t for t in ranked if t.effective == best.effective]
        actor = next((t.actor for t in same if t.actor != "unknown"), "unknown")
        event_type, strength = best.effective, 0.75
    if event_type in MOVEMENT and actor == "unknown" and speaker_side:
        actor = speaker_side  # "the Russian Defense Ministry announced the capture of ..."
    if event_type == "liberation" and actor == "unknown" and source_side:
        actor = source_side  # "the brigade recaptured X" in a Ukrainian (or Western) report
    if event_type in TERRITORIAL and relation is not None and own and relation.short_of:
        event_type = "advance"  # "recapturing areas near Soledar": ground near X, not X
    if event_type in ("capture", "liberation") and actor in ("RU", "UA") and place.country:
        own_ground = place.country == actor
        event_type = "liberation" if own_ground else "capture"
    if event_type in ("mention", "negotiation"):
        actor = "unknown"  # talks involve both sides
    return event_type, actor, strength


def _event(report: Report, sentence: str, span: tuple[int, int], mention: Mention,
           event_type: str, actor: str, claim: str, relation: Relation | None, own: bool,
           strength: float) -> Event:
    """Assemble the Event record for one place."""
    place = mention.place
    latitude, longitude, precision = place.latitude, place.longitude, place.geo_precision
    relation_text = relation.text if relation is not None else ""
    if relation is not None and own:
        if relation.moves_point:
            latitude, longitude = offset(latitude, longitude, relation.distance_km,
                                         relation.bearing)
        if relation.approximate:
            precision = max(precision, 2)
    if relation is not None and relation.kind == "border":
        relation_text = (f"border with {place.name}" if place.kind == "country"
                         else f"border of {place.admin1 or place.name} oblast")
    control = _control(event_type, actor, claim)
    key = f"{report.id}|{place.place_id}|{span[0]}|{span[1]}"
    acled_type, acled_sub = acled_types(event_type, actor, place.country, sentence)
    return Event(
        event_id=hashlib.sha1(key.encode("utf-8")).hexdigest()[:16],
        event_date=report.date,
        report_id=report.id,
        source=report.source,
        place=place,
        latitude=float(latitude),
        longitude=float(longitude),
        geo_precision=int(precision),
        event_type=event_type,
        actor=actor,
        claim=claim,
        control=control,
        relation=relation_text,
        quote=" ".join(sentence.split()),
        confidence=round(max(0.0, min(1.0, strength * (mention.confidence or 0.0))), 3),
        url=report.url,
        acled_event_type=acled_type,
        acled_sub_event_type=acled_sub,
    )


def _control(event_type: str, actor: str, claim: str) -> str:
    """Control implied by one event."""
    if event_type in ("capture", "liberation"):
        if claim == "denied":
            return "contested"
        return actor if actor in ("RU", "UA") else "unknown"
    if event_type == "withdrawal" and actor in ("RU", "UA") and claim != "denied":
        return "UA" if actor == "RU" else "RU"
    if event_type == "battle":
        return "contested"
    return "unknown"


def _governing_trigger(sentence: str, mention: Mention, mentions: list[Mention],
                       triggers: list[Trigger]) -> Trigger | None:
    """Find the trigger directly governing a mention ("capture of X", "X was liberated"), if any."""
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


_APPOSITION = re.compile(
    r"\s*,\s*(?:a|an|the)\s+(?:[\w-]+\s+){0,3}?(?:that|which|where|whose)\b", re.I)
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


def _aside_roles(sentence: str, mentions: list[Mention],
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


_SHARED_RELATION = {"near": "near", "toward": "toward", "outskirts": "outskirts of",
                    "approaches": "approaches to"}


def _share_relations(sentence: str, mentions: list[Mention],
                     relations: dict[str, tuple[Relation | None, bool]]) -> None:
    """Give "near A, B and C" to B and C too (each listed place is near, not in)."""
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


def _segment(splits: list[int], position: int, triggers: list[Trigger]) -> list[Trigger]:
    """Triggers of the coordinated verb phrase holding ``position`` (empty without splits)."""
    if not splits:
        return []
    start = max((s for s in splits if s <= position), default=0)
    end = min((s for s in splits if s > position), default=10**9)
    return [t for t in triggers if start <= t.start < end]


def _heading(sentence: str, mention: Mention) -> bool:
    """Whether a place heads the sentence as a label ("Khotin hromada: ...")."""
    return not sentence[:mention.start].strip(" *#-–—•\t") and bool(re.match(
        r"\s*(?:(?:hromada|community|district|raion|oblast|region|city|village)\s*)?:",
        sentence[mention.end:], re.I))


def _has_side_cue(sentence: str, mentions: list[Mention]) -> bool:
    """Whether a side word ("Russian", "the enemy", ...) appears outside the place names."""
    return any(not any(m.start <= cue.start() < m.end for m in mentions)
               for cue in CUE_RE.finditer(sentence))


def _between(sentence: str, trigger: Trigger, mention: Mention) -> str:
    """Text between a trigger and a mention, whichever comes first."""
    if trigger.end <= mention.start:
        return sentence[trigger.end:mention.start]
    return sentence[mention.end:trigger.start]


def _parenthetical(sentence: str, mention: Mention, mentions: list[Mention]) -> bool:
    """Whether a region only qualifies the place before it ("Shebekino (Russian Federation)")."""
    before = sentence[:mention.start]
    after = sentence[mention.end:mention.end + 3]
    if not (re.search(r"\(\s*$", before) and after.lstrip().startswith(")")):
        return False
    cut = before.rindex("(")
    return any(other.end <= cut and not re.sub(r"\([^)]{0,60}\)", "", sentence[other.end:cut]
                                                ).strip() for other in mentions
               if other.place.kind not in CONTAINERS)


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


def _relation_owner(sentence: str, relation: Relation, anchor: Mention,
                    mentions: list[Mention]) -> Mention | None:
    """Find the place a relation describes when it is not the anchor ("Druzhba east of Toretsk")."""
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


def _named_border(sentence: str, mentions: list[Mention]) -> str:
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


def _border_relation(distance: tuple[str, float, str], name: str, mentions: list[Mention]
                     ) -> str:
    """Relation text for "less than 5 km from this border" once the border is known."""
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
