"""Word-level rules behind :mod:`tracker.events`: stems, negation, modality, actors, claims.

A sentence is read with small tables instead of a parser (no model download):

- ``TRIGGERS`` (in :mod:`tracker.events_lexicon`, with the other word tables)
  maps each event type to stem patterns ("captur", "liberat", "withdr",
  "advanc", "battl", "shell", "negotiat"...); :func:`find_triggers`
  finds them and checks each in its own clause: negated ("did not capture"),
  hypothetical ("would", "if", "aim of capturing", "conditional on"), an
  attempt ("failed to take") or a defence ("prevent further advances").
- The actor of a trigger is the side named as its agent in the reported content
  (after "said that"), by "by Russian forces", or the other side of a defence
  verb ("Ukrainian troops repelled attacks" -> RU); speakers are not actors.
- :func:`sentence_claim` (in :mod:`tracker.events_claims`) reads the attribution:
  denied, assessed (ISW, geolocation, OSINT), claimed (a person or party) or
  reported (the report or the media).
- :func:`is_place_use` (in :mod:`tracker.events_places`) keeps countries and
  capitals only where they are used as places ("in eastern Ukraine"), not for
  their governments ("Russia launched").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tracker.events_claims import sentence_claim, speaker_side
from tracker.events_lexicon import (
    ATTEMPT,
    BY_AGENT,
    CLAUSE_BREAK,
    CUE_RE,
    DEFENCE,
    DEFENCE_TRIGGER,
    DIRECT,
    GOAL_AFTER,
    HYPOTHETICAL,
    MODAL_AFTER,
    MONTH_MAY,
    MOVEMENT,
    NEGATION,
    OWN_FORCES,
    PASSIVE_BEFORE,
    REPORTING,
    RU_CUE,
    SPEAKER_NOUN,
    TRIGGER_RE,
    UA_CUE,
)
from tracker.events_places import is_place_use
from tracker.models import Mention

__all__ = ["Trigger", "coordinated_verb", "find_triggers", "is_place_use", "new_subject_clause",
           "sentence_claim", "speaker_side"]


@dataclass
class Trigger:
    """One stem match in a sentence, with its checks."""

    kind: str
    start: int
    end: int
    status: str = "valid"  # valid | negated | hypothetical | attempt | defended
    actor: str = "unknown"
    direct: bool = False  # counts only for the place right after it

    @property
    def effective(self) -> str | None:
        """Event type after negation/modality, or None when the trigger does not count."""
        if self.kind == "negotiation":
            return "negotiation"
        if self.kind == "civil" or (self.direct and self.actor == "unknown"):
            return None  # "residents left Pokrovsk" is no withdrawal
        if self.status in ("negated", "hypothetical"):
            return None
        if self.status in ("attempt", "defended"):
            return "battle" if self.kind in MOVEMENT or self.kind == "battle" else None
        if self.kind == "casualty":
            return "strike"  # "two people were killed": a strike unless something else happened
        return self.kind



# --------------------------------------------------------------------------- triggers
def find_triggers(sentence: str, mentions: list[Mention], enemy_side: str) -> list[Trigger]:
    """Find the event triggers of a sentence, check negation and modality, find their actors.

    Parameters
    ----------
    sentence : str
        One sentence.
    mentions : list of Mention
        Place mentions with offsets into ``sentence`` (words inside a place name
        are not triggers, and places used as places are not actors).
    enemy_side : str
        The side "the enemy" stands for in this report ("RU" or "UA").

    Returns
    -------
    list of Trigger
        In text order; ``Trigger.effective`` is the event type that counts
        (None for a negated or hypothetical one).

    Examples
    --------
    >>> [(t.kind, t.status, t.actor, t.effective) for t in find_triggers(
    ...     "Russian forces failed to capture the town.", [], "RU")]
    [('capture', 'attempt', 'RU', 'battle')]
    >>> [(t.kind, t.status) for t in find_triggers("Its capture would open the road.", [], "RU")]
    [('capture', 'hypothetical')]
    """
    found: list[Trigger] = []
    patterns = [(kind, pattern, False) for kind, pattern in TRIGGER_RE]
    patterns += [(kind, pattern, True) for kind, pattern in DIRECT]
    for kind, pattern, direct in patterns:
        for match in pattern.finditer(sentence):
            if any(m.start <= match.start() < m.end for m in mentions):
                continue  # inside a place name ("Peace Street" is not a negotiation)
            found.append(Trigger(kind, match.start(), match.end(), direct=direct))
    found.sort(key=lambda t: (t.start, -(t.end - t.start)))
    kept: list[Trigger] = []
    for trigger in found:  # drop overlaps, keeping the longer (earlier-sorted) match
        if kept and trigger.start < kept[-1].end:
            continue
        kept.append(trigger)
    for trigger in kept:
        _states_and_captives(sentence, trigger, mentions)
    kept = [t for t in kept if t.kind != "state"]
    speaker = speaker_side(sentence)
    for trigger in kept:
        trigger.status = _status(sentence, trigger)
        trigger.actor = _actor(sentence, trigger, mentions, enemy_side, speaker)
    _drone_attacks(kept)
    _attacks_on_settlements(sentence, kept)
    return kept


_STATE_BEFORE = re.compile(
    r"(?:^\W*|[,(\"“]\s*|-|\b(?:the|in|of|on|from|into|at|near|and|or|over|across|"
    r"temporarily|now|still|currently|partially|partly|russian|ukrainian)\s+)$", re.I)
_STATE_NOUN = re.compile(
    r"^\s+(?:authorit\w*|officials?|administrations?|forces|troops|army|regime|zone|power|"
    r"government|territor\w*|areas?|lands?|regions?|parts?|city|cities|towns?|villages?|"
    r"settlements?|side|status|bodies|heads?|governors?|leaders?|courts?|police|media)\b", re.I)
_PEOPLE = (r"(?:fighters|soldiers|servicem[ae]n|troops|prisoners|pows?|members|marines|"
           r"paratroopers|personnel|militants|mercenaries|civilians|people|defenders|"
           r"commanders?|officers?|pilots?|crews?)")
_CAPTIVE_AFTER = re.compile(
    rf"^\s+(?:(?:about|around|over|more\s+than|at\s+least|some|several|dozens\s+of|"
    rf"hundreds\s+of|\d[\d,]*|two|three|four|five|six|seven|eight|nine|ten)\s+)*"
    rf"(?:[\w-]+\s+){{0,2}}?{_PEOPLE}\b", re.I)
_CAPTIVE_BEFORE = re.compile(
    rf"\b{_PEOPLE}(?:\s+of\s+(?:the\s+)?(?:[\w'’\"“”-]+\s+){{1,4}}?)?\s*(?:who\s+)?"
    rf"(?:(?:were|was|had\s+been|have\s+been|been)\s+)?$", re.I)


def _states_and_captives(sentence: str, trigger: Trigger, mentions: list[Mention]) -> None:
    """Demote triggers that name a state or a captive, not a territorial event.

    "Occupied Oleshky", "in occupied Kherson Oblast", "occupation authorities"
    describe who holds a place (the sentence's own verb, e.g. "struck", decides);
    "captured three soldiers" and "fighters captured in 2022" capture people, not
    ground. Such triggers become "state" and are dropped: the sentence's other verbs decide.
    """
    words = sentence[trigger.start:trigger.end].lower()
    after = sentence[trigger.end:]
    if trigger.kind == "capture" and words in ("occupied", "occupation", "occupying"):
        place_next = any(m.start == trigger.end + len(after) - len(after.lstrip())
                         for m in mentions) or bool(re.match(r"\s+[A-Z]", after))
        if words != "occupied" and _STATE_NOUN.match(after):
            trigger.kind = "state"  # "occupation authorities", "occupying forces"
        elif words == "occupied" and (place_next or _STATE_NOUN.match(after)) and \
                _STATE_BEFORE.search(sentence[:trigger.start]):
            trigger.kind = "state"  # "Occupied Oleshky was struck", "in occupied territories"
    elif trigger.kind == "capture" and words.startswith("captur"):
        if re.match(r"\s+by\b", after, re.I):
            return  # "captured by Russian troops"
        passive = re.match(r"\s*(?:$|[,.;]|(?:in|at|near|during|on|from|after|while|when|"
                           r"since|last|earlier)\b)", after, re.I)
        if _CAPTIVE_AFTER.match(after) or (passive and _CAPTIVE_BEFORE.search(
                sentence[:trigger.start])):
            trigger.kind = "state"


def _drone_attacks(triggers: list[Trigger]) -> None:
    """Merge "drone attack" / "missile strikes": an attack word right after a weapon is a strike."""
    for previous, current in zip(triggers, triggers[1:], strict=False):
        adjacent = current.start - previous.end <= 2
        if previous.kind == "strike" and current.kind == "battle" and adjacent:
            current.kind = "strike"


_WITH_WEAPONS = re.compile(
    r"^[^.;:,]{0,40}?\bwith\s+(?:[\w-]+\s+){0,3}?(?:drones?|missiles?|rockets?|bombs?|"
    r"artillery|shaheds?|mortars?|mlrs|uavs?)\b", re.I)
_ON_SETTLEMENTS = re.compile(
    r"^\s+(?:on|against)\s+(?:the\s+)?(?:\d[\d,]*\s+)?(?:[\w-]+\s+)?(?:settlements|towns|"
    r"villages|cities|communities|hromadas|civilians|civilian\s+\w+|residential\s+\w+|"
    r"infrastructure|energy\s+\w+|houses|homes|hospitals?|schools?)\b", re.I)


def _attacks_on_settlements(sentence: str, triggers: list[Trigger]) -> None:
    """Turn "97 attacks on 38 settlements" into strikes (attacks on places, not positions)."""
    for trigger in triggers:
        if trigger.kind == "battle" and re.match(r"attack", sentence[trigger.start:trigger.end],
                                                 re.I) and _ON_SETTLEMENTS.match(
                sentence[trigger.end:trigger.end + 80]) or _WITH_WEAPONS.match(
                sentence[trigger.end:trigger.end + 80]):
            trigger.kind = "strike"  # "attacked Kharkiv with Shahed drones"


def _clause_window(sentence: str, trigger_start: int, limit: int = 60) -> str:
    """Text before a trigger back to the last clause break (at most ``limit`` characters)."""
    window = sentence[max(0, trigger_start - limit):trigger_start]
    breaks = list(CLAUSE_BREAK.finditer(window))
    if breaks:
        window = window[breaks[-1].end():]
    return window


_PAST_IRREGULAR = {"struck", "hit", "fought", "took", "broke", "drove", "seized", "retook",
                   "overran", "shot", "withdrew", "fell"}


_NEW_SUBJECT = re.compile(
    r"(?:,\s*|\s)(?:and|while|whereas)\s+(?:the\s+)?(?:[\w'’-]+\s+){0,2}?(?:forces|troops|units|"
    r"army|defenders|soldiers|enemy|russians|ukrainians|occupiers|military|brigades?|groups?)\s+"
    r"(?:(?:are|were|is|was|have|has|had|been|also|still|reportedly|now)\s+){0,3}$", re.I)


def new_subject_clause(sentence: str, trigger: Trigger) -> int | None:
    """Where a coordinated clause with its own subject starts before a trigger, if it does.

    "Russian forces are advancing toward A, and Ukrainian units are counterattacking
    near B": the second verb's clause starts at ", and".

    Examples
    --------
    >>> s = "Russian forces advanced near A, and Ukrainian units are counterattacking near B."
    >>> [new_subject_clause(s, t) for t in find_triggers(s, [], "RU")]
    [None, 30]
    """
    match = _NEW_SUBJECT.search(sentence, 0, trigger.start)
    return match.start() if match is not None else None


def coordinated_verb(sentence: str, trigger: Trigger) -> bool:
    """Whether a trigger is a finite past verb coordinated by "and" ("... and shelled B").

    Examples
    --------
    >>> s = "Russian forces tried to retake Lyman and shelled Siversk."
    >>> [coordinated_verb(s, t) for t in find_triggers(s, [], "RU")]
    [False, True]
    """
    word = sentence[trigger.start:trigger.end].split()[0].lower()
    return bool(re.search(r"\band\s+(?:also\s+|then\s+)?$", sentence[:trigger.start])) and (
        word.endswith("ed") or word in _PAST_IRREGULAR)


def _status(sentence: str, trigger: Trigger) -> str:
    """Classify a trigger as valid, negated, hypothetical, attempt or defended."""
    sentence = MONTH_MAY.sub("Mai", sentence)  # "on 20 May", "May 10": the month, not a modal
    before = _clause_window(sentence, trigger.start, 70)
    if coordinated_verb(sentence, trigger):
        # "tried to regain positions near A and shelled B": a coordinated finite verb has
        # its own clause; the attempt (or negation) belongs to the first verb
        return "valid"
    words = before.split()
    near = " ".join(words[-4:])
    wider = " ".join(words[-8:])
    after = sentence[trigger.end:trigger.end + 40]
    if NEGATION.search(near):
        return "negated"
    if HYPOTHETICAL.search(wider) or MODAL_AFTER.match(after):
        return "hypothetical"
    nominal = re.match(r"(?:captur|liberat|withdraw|occupation|establishment)", sentence[
        trigger.start:trigger.end], re.I) and not re.search(r"(?:ed|ing)\b", sentence[
            trigger.start:trigger.end], re.I)
    if nominal and GOAL_AFTER.search(sentence[trigger.end:]):
        return "hypothetical"  # "the capture of the whole region remains a key objective"
    if ATTEMPT.search(wider):
        return "attempt"
    if trigger.kind in MOVEMENT and DEFENCE.search(wider):
        return "defended"
    return "valid"


def _actor(sentence: str, trigger: Trigger, mentions: list[Mention], enemy_side: str,
           speaker: str = "") -> str:
    """Find the side carrying out a trigger."""
    after = sentence[trigger.end:trigger.end + 50]
    words = sentence[trigger.start:trigger.end]
    if re.search(r"\blosses\b", words, re.I) and not re.match(r"inflict", words, re.I):
        return "unknown"  # who suffers losses says little about who attacks
    inside = CUE_RE.search(words) if re.search(r"flag$", words, re.I) else None
    if inside is not None:  # "raising a Russian flag"
        return _side_of(inside.group(0), enemy_side)
    agent = BY_AGENT.match(after)
    if agent is None and re.search(r"\b(?:to|into)$", words, re.I):  # "fell to Russian hands"
        agent = re.match(rf"^\s+(?:the\s+)?(?:{RU_CUE}|{UA_CUE}|enemy)\b", after, re.I)
    if agent is not None:
        return _side_of(agent.group(0), enemy_side)
    flip = bool(DEFENCE_TRIGGER.match(sentence[trigger.start:trigger.end]))
    start = _content_start(sentence, trigger.start)
    clause = new_subject_clause(sentence, trigger)
    if clause is not None and clause > start:
        start = clause  # "..., and Ukrainian units are counterattacking": their own subject
    window = sentence[start:trigger.start]
    coordinated = coordinated_verb(sentence, trigger)
    if DEFENCE.search(window) and not coordinated:
        flip = True
    if trigger.kind == "strike" and _SHOT_DOWN_AFTER.match(after):
        # "drones were destroyed over the Kursk region": the drones' side, else the enemy
        weapon = CUE_RE.search(_clause_window(sentence, trigger.start, 40))
        return _side_of(weapon.group(0), enemy_side) if weapon else enemy_side
    shot = _SHOT_DOWN.search(window) if trigger.kind == "strike" else None
    if shot is not None:  # "air defence shot down 12 rockets": the rockets are the other side's
        weapon = CUE_RE.search(window[shot.start():])
        if weapon is not None:
            return _side_of(weapon.group(0), enemy_side)  # "shot down 12 Ukrainian drones"
        shooter = [c for c in CUE_RE.finditer(window[:shot.start()])
                   if _is_actor_cue(sentence, start + c.start(), start + c.end(), mentions)]
        if not shooter:
            return enemy_side
        return "UA" if _side_of(shooter[-1].group(0), enemy_side) == "RU" else "RU"
    passive = bool(PASSIVE_BEFORE.search(window)) and sentence[trigger.start:trigger.end].split(
        )[0].lower().endswith(("ed", "en"))  # "were pushed back from X"
    side = ""
    cues = list(CUE_RE.finditer(window))
    # "Russian troops repelled Ukrainian attacks and struck ...": the shared subject comes first
    for cue in (cues if coordinated else reversed(cues)):
        if not _is_actor_cue(sentence, start + cue.start(), start + cue.end(), mentions):
            continue
        if not passive and _PLACE_NOUN_AFTER.match(sentence, start + cue.end()):
            continue  # "control of the Russian town of Sudzha ... incursion": a place, not an agent
        side = _side_of(cue.group(0), enemy_side)
        break
    if not side and speaker and OWN_FORCES.search(window):
        side = speaker  # "Kyiv says its forces repelled an attack"
    if not side:
        of_enemy = re.match(r"^\W*(?:\w+\W+){0,2}?of\s+the\s+enemy\b", after, re.I)
        if of_enemy:
            return enemy_side
        return _forward_actor(sentence, trigger, mentions, enemy_side)
    if flip != passive:  # "Russian attacks were repelled": both flips cancel out
        return "UA" if side == "RU" else "RU"
    return side


_SHOT_DOWN = re.compile(
    r"\b(?:shot\s+down|shoot(?:s|ing)?\s+down|intercept\w*|downed|destroyed|neutrali[sz]ed)\s+"
    r"(?:[\w-]+\s+){0,4}$", re.I)
_SHOT_DOWN_AFTER = re.compile(
    r"^\s+(?:were|was|have\s+been|had\s+been|has\s+been|being)\s+(?:\w+ly\s+)?(?:shot\s+down|"
    r"destroyed|intercepted|downed|neutrali[sz]ed)\b", re.I)
_PLACE_NOUN_AFTER = re.compile(
    r"\s+(?:[\w-]+\s+)?(?:town|village|city|settlement|cities|towns|villages|settlements|region|"
    r"oblast|territory|territories|soil|border|side\s+of)\b", re.I)


def _forward_actor(sentence: str, trigger: Trigger, mentions: list[Mention], enemy_side: str
                   ) -> str:
    """Agent named after a nominal trigger ("After the liberation of X, the Russian forces ...")."""
    rest = sentence[trigger.end:trigger.end + 100]
    for stop in (REPORTING.search(rest), CLAUSE_BREAK.search(rest),
                 re.search(r",\s*(?:which|who|whom|where|whose)\b", rest)):
        if stop is not None:
            rest = rest[:stop.start()]
    for cue in CUE_RE.finditer(rest):
        start = trigger.end + cue.start()
        if re.search(r"\b(?:on|against|of|at|from|with|for|to|into|than)\s+(?:the\s+)?"
                     r"(?:\w+\s+)?$", sentence[max(0, start - 30):start], re.I):
            continue  # an object: "attacks on Ukrainian positions"
        if not _is_actor_cue(sentence, start, trigger.end + cue.end(), mentions):
            continue
        return _side_of(cue.group(0), enemy_side)
    return "unknown"


def _content_start(sentence: str, position: int) -> int:
    """Start of the reported content before ``position`` (after "said that", a clause break)."""
    start = 0
    for match in REPORTING.finditer(sentence, 0, position):
        start = match.end()
    window_start = max(start, position - 250)
    for match in CLAUSE_BREAK.finditer(sentence, window_start, position):
        if match.group(0) in ".;:!?":
            window_start = max(window_start, match.end())
    return window_start


def _is_actor_cue(sentence: str, start: int, end: int, mentions: list[Mention]) -> bool:
    """Whether a side word names an acting force (not a speaker, nor a place used as a place)."""
    for mention in mentions:
        if mention.start <= start < mention.end and is_place_use(sentence, mention, mentions):
            return False
    if SPEAKER_NOUN.match(sentence[end:end + 40]):
        return False
    if re.match(r"^(?:'s|’s)\s+(?:[\w-]+\s+)?(?:region|oblast|territory|soil|border)", sentence[
            end - 2 if sentence[end - 2:end] in ("'s", "’s") else end:end + 30], re.I):
        return False
    return True


def _side_of(words: str, enemy_side: str) -> str:
    """Map the last side word in ``words`` ("by the Armed Forces of Ukraine") to RU or UA."""
    cues = list(CUE_RE.finditer(words))
    if not cues:
        return "unknown"
    cue = cues[-1]
    if cue.group("enemy"):
        return enemy_side
    return "RU" if cue.group("ru") else "UA"
