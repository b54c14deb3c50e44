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
from tracker.events_borders import border_relation, named_border
from tracker.events_classify import classify, implied_control
from tracker.events_lexicon import (
    CLAUSE_BREAK,
    CONTAINERS,
    CUE_RE,
    PRIORITY,
    TERRITORIAL,
)
from tracker.events_roles import (
    aside_roles,
    governing_trigger,
    parenthetical,
    relation_owner,
    share_relations,
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
from tracker.models import Event, Mention, Report
from tracker.relations import Relation, border_distance, offset, parse_relation
from tracker.text import paragraphs, sentences

__all__ = ["extract_events"]

_RU_SOURCES = re.compile(
    r"tass\.|\btass\b|ria\.ru|sputnik|pravda\.ru|news-pravda|rt\.com|mil\.ru|interfax\.ru|"
    r"kommersant|izvestia|\brt\b|ria novosti", re.I)

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
        named = named_border(sentence, local)
        distance = border_distance(sentence)
        here = bisect.bisect_right(blocks, s_start) - 1
        if here != block:
            block, previous_actors = here, {}
        if not local:
            previous_actors = _actors(find_triggers(sentence, [], enemy_side))
            # "The map shows the Russians less than 5 km from this border": no place here, so
            # the distance goes to the events that named the border.
            if distance and border_name and border_events:
                relation = border_relation(distance, border_name, resolved)
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
            relation = border_relation(distance, border_name, resolved)
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
        trigger = governing_trigger(sentence, mention, mentions, triggers)
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
        owner = relation_owner(sentence, relation, mention, mentions)
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

    share_relations(sentence, mentions, relations)
    sentence_level = [t for t in triggers
                      if t.effective and id(t) not in governing and not t.direct]
    only_aside = aside_roles(sentence, mentions, relations, sentence_level, unplaced)
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
        if (place.place_id in asides and k not in governed) or k in only_aside:
            event_type, actor, strength = "mention", "unknown", 0.6
        elif place.kind in CONTAINERS and parenthetical(sentence, mention, mentions):
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
            event_type, actor, strength = classify(
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
    control = implied_control(event_type, actor, claim)
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


_APPOSITION = re.compile(
    r"\s*,\s*(?:a|an|the)\s+(?:[\w-]+\s+){0,3}?(?:that|which|where|whose)\b", re.I)


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


