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
("captur", "liberat", "withdr", "advanc", "shell", "negotiat"...). Each match is
then checked in its own clause: negation ("did not capture", "has not been
taken"), modality and intention ("would", "could", "if", "aim of capturing",
"threatening to", "conditional on the withdrawal") drop it; attempts and
defence ("failed to take", "attempting to take control", "prevent further
advances", "at risk of encirclement") turn it into a battle. A trigger directly
governing a place ("the capture of Avdiivka", "control over X and over Y",
"battles for Vovchansk") decides that place's type; other places take the
strongest trigger of the sentence. Captures only apply to settlements: an
oblast or country that merely locates a captured village gets the sentence's
next event or "mention", and a capture "near X" is an advance near X.

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
from dataclasses import dataclass, replace

from tracker.acled import acled_types
from tracker.models import Event, Mention, Place, Report
from tracker.relations import Relation, border_distance, border_named, offset, parse_relation
from tracker.text import sentences

__all__ = ["extract_events"]

# --------------------------------------------------------------------------- lexicon
#: Stem patterns per event type; the longest match wins where they overlap.
_TRIGGERS: list[tuple[str, str]] = [
    # capture
    ("capture", r"captur\w*|seiz\w*|occup(?:y|ies|ied|ying|ation)|overr[au]n\w*|"
                r"(?:took|take|takes|taken|taking|gained|gain|established|establish(?:es|ing)?|"
                r"establishment\s+of|assumed)\s+(?:full\s+|complete\s+)?control|"
                r"control\s+(?:over|of)|fell\s+to|fall(?:en)?\s+to|fall\s+of(?!\s+(?:\d|the\s+year))|"
                r"(?:took|taken)(?!\s+(?:place|part|steps?|measures?|advantage|time|care|off|"
                r"effect|action|into|over\s+as|responsibility|a\s+toll|shelter|cover))"),
    # liberation (and Russian/Ukrainian retaking); turned into capture by actor/country below
    ("liberation", r"liberat\w*|recaptur\w*|retak\w*|retook|regain\w*|de-?occup\w*|freed|"
                   r"(?:drove|driven|drive|drives|driving|pushed|push|forced|knocked|kicked)\b"
                   r"[^.;]{0,50}?\bout\s+of|expel\w*|ousted|clear(?:ed|ing)\s+(?:the\s+)?"
                   r"(?:village|town|city|settlement)"),
    # withdrawal
    ("withdrawal", r"withdr[ae]w\w*|retreat\w*|pull(?:ed|ing|s)?\s+(?:back|out)|"
                   r"fell\s+back|fall(?:ing)?\s+back|abandon\w*|surrender\w*"),
    # advance
    ("advance", r"advanc\w*|approach(?:ed|es|ing)|push(?:ed|es|ing)?\s+(?:through|forward|toward|"
                r"towards|into|deeper|closer)|break\s*through\w*|broke\s+through|"
                r"breach\w*|(?:operational|territorial|tactical)\s+gains|made\s+gains|"
                r"gains\s+(?:in|near|around)|crossed|invaded|incursion|infiltrat\w*|penetrat\w*|"
                r"wedged|entered|(?:gain\w*|establish\w*|secur\w*)\s+(?:a\s+)?foothold|(?:established|establish)\s+(?:a\s+)?presence|"
                r"expand\w*\s+the\s+(?:front|bridgehead|foothold|zone|buffer)|"
                r"moved?\s+(?:forward|closer|toward|towards)|"
                r"rais\w*\s+(?:a|the|their)\s+(?:russian|ukrainian)\s+flag"),
    # battle
    ("battle", r"battl\w*|fight(?:s|ing)?\b|fought|clash\w*|attack\w*|assault\w*|combat|"
               r"(?:counter-?)?offensive\w*|counter-?attack\w*|repel\w*|repuls\w*|storm(?:ed|ing)|"
               r"encircl\w*|surround\w*|hostilities|skirmish\w*|firefights?|engagements?|"
               r"under\s+(?:heavy\s+|intense\s+|constant\s+)?pressure|"
               r"press(?:es|ed|ing)?\s+(?:on|against|toward|towards)|"
               r"(?:heavy|serious|significant)\s+losses|main\s+strike|"
               r"(?:heavy|intense|fierce)\s+fire"),
    # strike
    ("strike", r"shell(?:ed|ing|s)\b|drones?|uavs?|missil\w*|air ?strikes?|airstrikes?|"
               r"air\s+raids?|glide\s+bombs?|guided\s+bombs?|bomb(?:s|ed|ing|ings)?\b|"
               r"artiller\w*|rockets?|strikes?|struck|shaheds?|kamikaze|ballistic|mlrs|himars|"
               r"explosions?|hit\s+by"),
    # civil: evacuations and aid name a place without a military event
    ("civil", r"evacuat\w*|humanitarian|relocat\w*"),
    # negotiation
    ("negotiation", r"talks|negotiat\w*|cease-?fires?|truce|memorandum|summit|"
                    r"peace\s+(?:deal|agreement|plan|process|talks|proposal)|agreement|"
                    r"delegations?|prisoner\s+exchange|mediat\w*|diplomat\w*|"
                    r"(?:phone\s+)?call\s+(?:with|between)"),
]
_TRIGGER_RE = [(kind, re.compile(rf"\b(?:{pattern})\b", re.I)) for kind, pattern in _TRIGGERS]
#: Sentence-level strength of each type (higher wins).
_PRIORITY = {"civil": 0, "capture": 7, "liberation": 7, "withdrawal": 6, "advance": 5, "battle": 4,
             "strike": 3, "negotiation": 2, "mention": 0}
_TERRITORIAL = {"capture", "liberation", "withdrawal"}
_MOVEMENT = _TERRITORIAL | {"advance"}
_CONTAINERS = {"oblast", "country", "region", "raion", "hromada"}
_DEFENCE_TRIGGER = re.compile(r"^(?:repel|repuls)", re.I)

_NEGATION = re.compile(
    r"\b(?:not|never|no|neither|nor|without|n't)\b(?!\s+(?:only|longer|doubt|later|less|more))"
    r"|n't\b", re.I)
_HYPOTHETICAL = re.compile(
    r"\b(?:would|could|might|may|can|cannot|will|shall|should|if|unless|whether|aim\w*|goals?|"
    r"objectives?|plan(?:s|ned|ning)?|intend\w*|intention|want\w*|wish\w*|hop(?:e|es|ed|ing)|"
    r"threat(?:en|ens|ened|ening)|conditional|condition|demand\w*|ready|prepar\w*|possible|"
    r"possibly|potential\w*|expected|likely\s+to|unlikely|need\w*|must|order(?:ed|s)?\s+to|calls?\s+for|"
    r"called\s+for|ambition\w*|bid|allow\w*|avoid\w*|to\s+ensure|request\w*|"
    r"to\s+(?:stop|end|halt|cease))\b", re.I)
_ATTEMPT = re.compile(
    r"\b(?:tr(?:y|ies|ied|ying)|attempt\w*|fail\w*|struggl\w*|seek\w*|sought|striv\w*|"
    r"unsuccessful\w*|risk|threat|danger|pressing\s+to)\b", re.I)
_DEFENCE = re.compile(
    r"\b(?:prevent\w*|stop(?:ped|ping|s)?|halt\w*|hold(?:ing)?\s+back|held\s+back|contain\w*|"
    r"repel\w*|repuls\w*|fend\w*\s+off|thwart\w*|foil\w*|deter\w*|resist\w*|"
    r"defend\w*|defen[cs]e\s+against)\b", re.I)
_MONTH_MAY = re.compile(r"(?<=\d\s)May\b|\bMay(?=\s+\d)|(?<=[a-z,]\s)May\b")
_GOAL_AFTER = re.compile(r"\b(?:objective|goal|aim|target|ambition|priority|plan)\b", re.I)
_MODAL_AFTER = re.compile(r"^\W*(?:\w+\W+){0,4}?(?:would|could|might|may|will)\b", re.I)
_CLAUSE_BREAK = re.compile(
    r"[.!?](?=[\"”’']?\s+[\"“A-Z])|[;:]|\s[–—]\s|"
    r"\b(?:but|while|whereas|although|however|though)\b", re.I)
_REPORTING = re.compile(
    r"\b(?:said|says|say|saying|told|tells|stated|states|announced|announces|announcing|"
    r"reported|reports|reporting|claimed|claims|claiming|declared|declares|denied|denies|"
    r"denying|acknowledged|acknowledges|admitted|insisted|noted|added|"
    r"warned|wrote|writes|writing\s+about|assessed|assesses|pointing\s+to|according\s+to|"
    r"confirmed\s+that|"
    r"citing|described)\b(?:\s+(?:on\s+)?\w+day)?(?:\s+that)?",
    re.I)
_DENIAL = re.compile(
    r"\b(?:den(?:y|ied|ies|ying)|refut\w*|rebut\w*|reject\w*\s+(?:the\s+|these\s+|those\s+)?"
    r"(?:claims?|reports?)|dismiss\w*\s+(?:the\s+)?(?:claims?|reports?)|not\s+true|"
    r"false\s+claims?)\b",
    re.I)
_ASSESSED = re.compile(
    r"\b(?:isw|institute\s+for\s+the\s+study\s+of\s+war|assess\w*|geolocat\w*|"
    r"satellite\s+(?:imagery|images|photos)|deep\s?state\w*|osint|open-source|"
    r"monitoring\s+(?:group|service|project)|think[- ]tank|analysts?)\b",
    re.I)
_MEDIA = re.compile(
    r"\b(?:reuters|ap|afp|bta|tass|ria|interfax|ukrinform|media|channel|newspaper|agency|"
    r"outlet|news|radio|tv|television|website|publication|bbc|cnn|press)\b",
    re.I)

# Side cues. Adjectives count only when they are not a speaker ("Ukrainian official").
_RU_CUE = (r"russian|russians|russia(?:'s|’s)?|moscow(?:'s|’s)?|kremlin|occupiers?|invaders?|"
           r"occupying|putin(?:'s|’s)?|wagner|akhmat|rf|rf\s+armed\s+forces")
_UA_CUE = (r"ukrainian|ukrainians|ukraine(?:'s|’s)?|kyiv(?:'s|’s)?|kiev(?:'s|’s)?|afu|zsu|"
           r"defen[cs]e\s+forces|armed\s+forces\s+of\s+ukraine|defenders|syrskyi(?:'s|’s)?")
_CUE_RE = re.compile(rf"\b(?:(?P<ru>{_RU_CUE})|(?P<ua>{_UA_CUE})|(?P<enemy>enemy(?:'s|’s)?))\b",
                     re.I)
_SPEAKER_NOUN = re.compile(
    r"^\s+(?:\w+\s+)?(?:officials?|president|presidents|ministry|ministries|mod|defen[cs]e\s+"
    r"ministry|government|propagandists?|bloggers?|commanders?|spokes(?:person|man|woman)|"
    r"media|state|telegram|channels?|sources?|authorities|embassy|ambassadors?|leaders?|"
    r"analysts?|service|envoys?|foreign|prime|parliament|lawmakers?|journalists?|monitoring|"
    r"news|agency|general\s+staff|administration|correspondents?|side\s+(?:said|claimed)|"
    r"people|citizens|residents|civilians|war\s+correspondents?|deepstate|court|"
    r"language|name|flag's)\b"
    r"|^\s+(?:[\w-]+\s+){0,2}?(?:said|says|reported|reports|claimed|claims|announced|stated|"
    r"told|declared|denied|confirmed|warned|wrote)\b",
    re.I)
_BY_AGENT = re.compile(rf"^\W*(?:\w+\W+){{0,3}}?by\s+(?:the\s+)?(?:{_RU_CUE}|"
                       rf"{_UA_CUE}|enemy)\b", re.I)
_PASSIVE_BEFORE = re.compile(
    r"\b(?:was|were|is|are|been|being|be|got|get|gets|themselves|remain|remains)\s+"
    r"(?:\w+ly\s+)?$", re.I)
_RU_SOURCES = re.compile(
    r"tass\.|ria\.ru|sputnik|pravda\.ru|news-pravda|rt\.com|mil\.ru|interfax\.ru|"
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
_LOCATED = re.compile(
    r"\b(?:village|villages|town|towns|settlements?|cities|areas?|positions?|territory|"
    r"districts?)\b", re.I)
_POST_GAP = re.compile(
    r"^(?:[\s,]|\([^)]{0,40}\)|\b(?:has|have|had|was|were|is|are|been|being|fully|"
    r"reportedly|allegedly|now|also|finally|completely|itself|city|town|village|Y)\b)*$",
    re.I)
_RELATION_OWNER_GAP = re.compile(
    r"^[\s,(]*(?:(?:lies|lie|is|are|was|located|situated|which|that|just|some|about|roughly|"
    r"approximately)\s*)*$", re.I)
_METONYM_CAPITALS = {"kyiv", "kiev", "moscow", "minsk", "washington", "london", "paris", "berlin",
                     "beijing", "brussels", "warsaw"}
_LOCATIVE_BEFORE = re.compile(
    r"(?:\b(?:in|into|inside|within|across|throughout|from|toward|towards|near|at|over|through|"
    r"entered|invaded|invade|border\s+between|border\s+with|soil\s+of|territory\s+of|"
    r"(?:region|oblast|parts?|areas?|invasion|regions)\s+of)\s+(?:the\s+)?"
    r"(?:(?:\w+ern|central|occupied|mainland|whole|entire|all\s+of)\s+)?|\(\s*)$",
    re.I)
_LOCATIVE_AFTER = re.compile(
    r"^(?:'s|’s)\s+(?:[\w-]+\s+){0,2}?(?:region|oblast|territory|soil|border|borders|side|"
    r"province|city|town|village|capital|frontier)\b",
    re.I)


@dataclass
class _Trigger:
    """One stem match in a sentence, with its checks."""

    kind: str
    start: int
    end: int
    status: str = "valid"  # valid | negated | hypothetical | attempt | defended
    actor: str = "unknown"

    @property
    def effective(self) -> str | None:
        """Event type after negation/modality, or None when the trigger does not count."""
        if self.kind == "negotiation":
            return "negotiation"
        if self.kind == "civil":
            return None
        if self.status in ("negated", "hypothetical"):
            return None
        if self.status in ("attempt", "defended"):
            return "battle" if self.kind in _MOVEMENT or self.kind == "battle" else None
        return self.kind


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

    enemy_side = "UA" if _RU_SOURCES.search(f"{report.source} {report.url}") else "RU"
    events: list[Event] = []
    border_name = ""  # "Donetsk", "Donetsk|Dnipropetrovsk" or "Ukraine|Russia"
    border_events: list[int] = []
    for index, (s_start, s_end) in enumerate(spans):
        sentence = text[s_start:s_end]
        local = [replace(m, start=m.start - s_start, end=min(m.end, s_end) - s_start)
                 for m in by_sentence.get(index, [])]
        named = _named_border(sentence, local)
        distance = border_distance(sentence)
        if not local:
            # "The map shows the Russians less than 5 km from this border": no place here, so
            # the distance goes to the events that named the border.
            if distance and border_name and border_events:
                relation = _border_relation(distance, border_name, resolved)
                for position in border_events:
                    events[position] = replace(
                        events[position], relation=_join(events[position].relation, relation))
            continue
        new = _sentence_events(report, sentence, (s_start, s_end), local, enemy_side)
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


def _join(existing: str, border: str) -> str:
    """Add a border distance to a relation (replacing a bare "border of X")."""
    if not existing or existing.startswith("border"):
        return border
    return f"{existing}; {border}"


# --------------------------------------------------------------------------- sentences
def _sentence_events(report: Report, sentence: str, span: tuple[int, int],
                     mentions: list[Mention], enemy_side: str) -> list[Event]:
    """Build the events of one sentence."""
    mentions = [m for m in mentions if _is_place_use(sentence, m, mentions)]
    if not mentions:
        return []
    triggers = _triggers(sentence, mentions, enemy_side)
    claim = _claim(sentence)
    speaker_side = _speaker_side(sentence)

    # Which triggers govern which mentions, and which relations belong to whom.
    governed: dict[int, _Trigger] = {}
    governing: set[int] = set()
    for k, mention in enumerate(mentions):
        trigger = _governing_trigger(sentence, mention, mentions, triggers)
        if trigger is not None:
            governed[k] = trigger
            if trigger.kind in _TERRITORIAL:
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
        if owner is not None:
            references.add(place.place_id)
            if "(" in sentence[owner.end:relation.start]:
                asides.add(place.place_id)  # "Novoolenivka (southwest of Kostyantynivka)"
            if relations.get(owner.place.place_id, (None, False))[0] is None:
                relations[owner.place.place_id] = (relation, False)
        elif relations.get(place.place_id, (None, False))[0] is None:
            relations[place.place_id] = (relation, True)

    sentence_level = [t for t in triggers if t.effective and id(t) not in governing]
    events: list[Event] = []
    seen: dict[str, int] = {}
    for k, mention in enumerate(mentions):
        place = mention.place
        relation, own = relations.get(place.place_id, (None, False))
        if place.place_id in asides and k not in governed:
            event_type, actor, strength = "mention", "unknown", 0.6
        elif place.kind in _CONTAINERS and _parenthetical(sentence, mention, mentions):
            event_type, actor, strength = "mention", "unknown", 0.7  # "Shebekino (Russia)"
        else:
            candidates = sentence_level
            if place.kind in _CONTAINERS:  # a region takes only the events of its own clause
                candidates = [t for t in sentence_level
                              if not _CLAUSE_BREAK.search(_between(sentence, t, mention))]
            event_type, actor, strength = _classify(
                place, governed.get(k), candidates, relation, own,
                place.place_id in references, speaker_side)
        event = _event(report, sentence, span, mention, event_type, actor, claim, relation,
                       own, strength)
        if place.place_id in seen:  # the same place twice in a sentence: keep the stronger
            previous = events[seen[place.place_id]]
            if _PRIORITY[event.event_type] > _PRIORITY[previous.event_type]:
                events[seen[place.place_id]] = event
            continue
        seen[place.place_id] = len(events)
        events.append(event)
    return events


def _classify(place: Place, governed: _Trigger | None, sentence_level: list[_Trigger],
              relation: Relation | None, own: bool, is_reference: bool, speaker_side: str
              ) -> tuple[str, str, float]:
    """Return (event_type, actor, strength) for one place in one sentence."""
    container = place.kind in _CONTAINERS
    if place.kind == "country" and relation is not None and relation.kind == "border":
        return "mention", "unknown", 0.6  # "5 km from the border with Russia": a reference
    if governed is not None and governed.effective:
        event_type, actor, strength = governed.effective, governed.actor, 0.9
    elif governed is not None and governed.kind != "battle":
        # the place's own predicate is negated, hypothetical or civil ("evacuation of X",
        # "aim of capturing X"): it is named, nothing happened there
        return "mention", "unknown", 0.7
    elif is_reference and any(t.effective in _TERRITORIAL for t in sentence_level):
        return "mention", "unknown", 0.6  # "Shumi, near the town of Toretsk" was captured
    else:
        ranked = sorted(sentence_level, key=lambda t: -_PRIORITY[t.effective])
        if container or is_reference:
            non_territorial = [t for t in ranked if t.effective not in _TERRITORIAL]
            if ranked and ranked[0].effective in _TERRITORIAL:
                ranked = non_territorial
        if not ranked:
            return "mention", "unknown", 0.6
        best = ranked[0]
        same = [t for t in ranked if t.effective == best.effective]
        actor = next((t.actor for t in same if t.actor != "unknown"), "unknown")
        event_type, strength = best.effective, 0.75
    if event_type in _MOVEMENT and actor == "unknown" and speaker_side:
        actor = speaker_side  # "the Russian Defense Ministry announced the capture of ..."
    if event_type in _TERRITORIAL and relation is not None and own and relation.short_of:
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


# --------------------------------------------------------------------------- triggers
def _triggers(sentence: str, mentions: list[Mention], enemy_side: str) -> list[_Trigger]:
    """Find the event triggers of a sentence, check negation/modality and find their actors."""
    found: list[_Trigger] = []
    for kind, pattern in _TRIGGER_RE:
        for match in pattern.finditer(sentence):
            if any(m.start <= match.start() < m.end for m in mentions):
                continue  # inside a place name ("Peace Street" is not a negotiation)
            found.append(_Trigger(kind, match.start(), match.end()))
    found.sort(key=lambda t: (t.start, -(t.end - t.start)))
    kept: list[_Trigger] = []
    for trigger in found:  # drop overlaps, keeping the longer (earlier-sorted) match
        if kept and trigger.start < kept[-1].end:
            continue
        kept.append(trigger)
    for trigger in kept:
        trigger.status = _status(sentence, trigger)
        trigger.actor = _actor(sentence, trigger, mentions, enemy_side)
    _drone_attacks(kept)
    return kept


def _drone_attacks(triggers: list[_Trigger]) -> None:
    """Merge "drone attack" / "missile strikes": an attack word right after a weapon is a strike."""
    for previous, current in zip(triggers, triggers[1:], strict=False):
        adjacent = current.start - previous.end <= 2
        if previous.kind == "strike" and current.kind == "battle" and adjacent:
            current.kind = "strike"


def _clause_window(sentence: str, trigger_start: int, limit: int = 60) -> str:
    """Text before a trigger back to the last clause break (at most ``limit`` characters)."""
    window = sentence[max(0, trigger_start - limit):trigger_start]
    breaks = list(_CLAUSE_BREAK.finditer(window))
    if breaks:
        window = window[breaks[-1].end():]
    return window


def _status(sentence: str, trigger: _Trigger) -> str:
    """Classify a trigger as valid, negated, hypothetical, attempt or defended."""
    sentence = _MONTH_MAY.sub("Mai", sentence)  # "on 20 May", "May 10": the month, not a modal
    before = _clause_window(sentence, trigger.start, 70)
    words = before.split()
    near = " ".join(words[-4:])
    wider = " ".join(words[-8:])
    after = sentence[trigger.end:trigger.end + 40]
    if _NEGATION.search(near):
        return "negated"
    if _HYPOTHETICAL.search(wider) or _MODAL_AFTER.match(after):
        return "hypothetical"
    nominal = re.match(r"(?:captur|liberat|withdraw|occupation|establishment)", sentence[
        trigger.start:trigger.end], re.I) and not re.search(r"(?:ed|ing)\b", sentence[
            trigger.start:trigger.end], re.I)
    if nominal and _GOAL_AFTER.search(sentence[trigger.end:]):
        return "hypothetical"  # "the capture of the whole region remains a key objective"
    if _ATTEMPT.search(wider):
        return "attempt"
    if trigger.kind in _MOVEMENT and _DEFENCE.search(wider):
        return "defended"
    return "valid"


def _actor(sentence: str, trigger: _Trigger, mentions: list[Mention], enemy_side: str) -> str:
    """Find the side carrying out a trigger."""
    after = sentence[trigger.end:trigger.end + 50]
    words = sentence[trigger.start:trigger.end]
    if re.search(r"\blosses\b", words, re.I):
        return "unknown"  # who suffers losses says little about who attacks
    inside = _CUE_RE.search(words) if re.search(r"flag$", words, re.I) else None
    if inside is not None:  # "raising a Russian flag"
        return _side_of(inside.group(0), enemy_side)
    agent = _BY_AGENT.match(after)
    if agent is None and re.search(r"\b(?:to|into)$", words, re.I):  # "fell to Russian hands"
        agent = re.match(rf"^\s+(?:the\s+)?(?:{_RU_CUE}|{_UA_CUE}|enemy)\b", after, re.I)
    if agent is not None:
        return _side_of(agent.group(0).split()[-1], enemy_side)
    flip = bool(_DEFENCE_TRIGGER.match(sentence[trigger.start:trigger.end]))
    start = _content_start(sentence, trigger.start)
    window = sentence[start:trigger.start]
    if _DEFENCE.search(window):
        flip = True
    passive = bool(_PASSIVE_BEFORE.search(window)) and sentence[trigger.start:trigger.end].lower(
        ).endswith(("ed", "en"))
    side = ""
    for cue in reversed(list(_CUE_RE.finditer(window))):
        if not _is_actor_cue(sentence, start + cue.start(), start + cue.end(), mentions):
            continue
        side = _side_of(cue.group(0), enemy_side)
        break
    if not side:
        of_enemy = re.match(r"^\W*(?:\w+\W+){0,2}?of\s+the\s+enemy\b", after, re.I)
        if of_enemy:
            return enemy_side
        return _forward_actor(sentence, trigger, mentions, enemy_side)
    if flip or passive:
        return "UA" if side == "RU" else "RU"
    return side


def _forward_actor(sentence: str, trigger: _Trigger, mentions: list[Mention], enemy_side: str
                   ) -> str:
    """Agent named after a nominal trigger ("After the liberation of X, the Russian forces ...")."""
    rest = sentence[trigger.end:trigger.end + 100]
    for stop in (_REPORTING.search(rest), _CLAUSE_BREAK.search(rest)):
        if stop is not None:
            rest = rest[:stop.start()]
    for cue in _CUE_RE.finditer(rest):
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
    for match in _REPORTING.finditer(sentence, 0, position):
        start = match.end()
    window_start = max(start, position - 250)
    for match in _CLAUSE_BREAK.finditer(sentence, window_start, position):
        if match.group(0) in ".;:!?":
            window_start = max(window_start, match.end())
    return window_start


def _is_actor_cue(sentence: str, start: int, end: int, mentions: list[Mention]) -> bool:
    """Whether a side word names an acting force (not a speaker, nor a place used as a place)."""
    for mention in mentions:
        if mention.start <= start < mention.end and _is_place_use(sentence, mention, mentions):
            return False
    if _SPEAKER_NOUN.match(sentence[end:end + 40]):
        return False
    if re.match(r"^(?:'s|’s)\s+(?:[\w-]+\s+)?(?:region|oblast|territory|soil|border)", sentence[
            end - 2 if sentence[end - 2:end] in ("'s", "’s") else end:end + 30], re.I):
        return False
    return True


def _side_of(word: str, enemy_side: str) -> str:
    """Map a cue word to RU or UA."""
    word = word.lower()
    if word.startswith("enemy"):
        return enemy_side
    return "RU" if _CUE_RE.fullmatch(word) and _CUE_RE.fullmatch(word).group("ru") else (
        "UA" if _CUE_RE.fullmatch(word) else "unknown")


def _governing_trigger(sentence: str, mention: Mention, mentions: list[Mention],
                       triggers: list[_Trigger]) -> _Trigger | None:
    """Find the trigger directly governing a mention ("capture of X", "X was liberated"), if any."""
    best = None
    container = mention.place.kind in _CONTAINERS
    for trigger in triggers:
        if trigger.end <= mention.start:
            gap = _mask(sentence, trigger.end, mention.start, mentions)
            gap = re.sub(r"\([^)]{0,60}\)", " ", gap).replace("’", "'").replace("'s ", " ")
            if container and (_LOCATED.search(gap) or " X " in f" {gap} "):
                continue  # "capture of two villages in eastern Ukraine": Ukraine locates them
            if len(gap.split()) <= 9 and _GOVERN_GAP.match(gap) and not _CLAUSE_BREAK.search(
                    gap.replace("—", " ").replace("–", " ")):
                best = trigger  # the nearest preceding one wins
        elif trigger.start >= mention.end and best is None:
            gap = _mask(sentence, mention.end, trigger.start, mentions)
            if len(gap.split()) <= 5 and _POST_GAP.match(gap):
                return trigger
            break
    return best


def _between(sentence: str, trigger: _Trigger, mention: Mention) -> str:
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
               if other.place.kind not in _CONTAINERS)


def _mask(sentence: str, start: int, end: int, mentions: list[Mention]) -> str:
    """Text between two offsets with other place names replaced by "X" (or "Y" for regions)."""
    pieces, cursor = [], start
    for mention in mentions:
        if mention.start >= start and mention.end <= end:
            pieces.append(sentence[cursor:mention.start])
            pieces.append(" Y " if mention.place.kind in _CONTAINERS else " X ")
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
            return other
    return None


# --------------------------------------------------------------------------- claims
def _claim(sentence: str) -> str:
    """Sentence-level claim status: denied, assessed, claimed or reported."""
    if _DENIAL.search(sentence):
        return "denied"
    for clause in _CLAUSE_BREAK.split(sentence):
        if clause and _ASSESSED.search(clause) and not _NEGATION.search(clause):
            return "assessed"
    for match in _REPORTING.finditer(sentence):
        speaker = _speaker(sentence, match)
        if speaker and _MEDIA.search(speaker) and not re.search(
                r"\b(?:officials?|ministry|spokes\w+|commanders?|military)\b", speaker, re.I):
            continue
        return "claimed"
    if re.search(r"\bclaim(?:s|ed)?\b", sentence, re.I):
        return "claimed"
    return "reported"


def _speaker(sentence: str, match: re.Match[str]) -> str:
    """Return the words naming who says something ("Kovalenko said", "according to the channel")."""
    verb = match.group(0).lower()
    if verb.startswith(("according to", "citing")) or verb.startswith("reported") and re.match(
            r"\s+by\b", sentence[match.end():match.end() + 4]):
        return sentence[match.end():match.end() + 60].split(",")[0]
    before = sentence[max(0, match.start() - 80):match.start()]
    parts = re.split(r"[,\"“”]", before)
    speaker = parts[-1] if parts else ""
    if not speaker.strip():
        speaker = sentence[match.end():match.end() + 40].split(",")[0]
    return speaker


def _speaker_side(sentence: str) -> str:
    """Return the side of the party speaking ("the Russian Defense Ministry announced")."""
    for match in _REPORTING.finditer(sentence):
        speaker = _speaker(sentence, match)
        if re.search(r"\b(?:russian|russia(?:'s|’s)?|moscow|kremlin)\b", speaker, re.I) and \
                re.search(r"\b(?:ministry|mod|army|military|forces|officials?|commanders?|"
                          r"command|government|president|kremlin|moscow|defen[cs]e)\b",
                          speaker, re.I):
            return "RU"
        if re.search(r"\b(?:ukrainian|ukraine(?:'s|’s)?|kyiv|kiev)\b", speaker, re.I) and \
                re.search(r"\b(?:general\s+staff|ministry|army|military|forces|officials?|"
                          r"commanders?|command|government|president|defen[cs]e)\b",
                          speaker, re.I):
            return "UA"
    return ""


# --------------------------------------------------------------------------- places
def _is_place_use(sentence: str, mention: Mention, mentions: list[Mention]) -> bool:
    """Drop countries and capitals used for their governments ("Russia launched", "Kyiv said")."""
    place = mention.place
    if place.kind != "country" and place.name.lower() not in _METONYM_CAPITALS:
        return True
    if _locative(sentence, mention.start, mention.end):
        return True
    # "between Russia and Ukraine", "Kursk, Belgorod and Bryansk": follow a list back
    before = sentence[:mention.start]
    joined = re.search(r"(?:,|\band\b|\bor\b)\s*$", before)
    if joined:
        for other in mentions:
            if other is not mention and other.end <= joined.start() and not sentence[
                    other.end:joined.start()].strip(" ()"):
                prone = other.place.kind == "country" or (
                    other.place.name.lower() in _METONYM_CAPITALS)
                return _is_place_use(sentence, other, mentions) if prone else True
    return False


def _locative(sentence: str, start: int, end: int) -> bool:
    """Whether the words around a name use it as a location ("in eastern Ukraine")."""
    before = sentence[max(0, start - 40):start]
    after = sentence[end:end + 40]
    if _LOCATIVE_BEFORE.search(before):
        preceding = re.search(r"(\w+)\s+(?:of|to)\s+(?:the\s+)?$", before)
        if preceding and preceding.group(1).lower() in {
                "president", "ambassador", "government", "people", "forces", "army", "ministry",
                "embassy", "parliament", "leader", "leaders", "citizens", "minister", "navy",
                "bank", "envoy", "friends", "enemies", "allies", "war", "invasion_"}:
            return False
        return True
    return bool(_LOCATIVE_AFTER.match(after))


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
