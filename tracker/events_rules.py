"""Word-level rules behind :mod:`tracker.events`: stems, negation, modality, actors, claims.

A sentence is read with small tables instead of a parser (no model download):

- ``_TRIGGERS`` maps each event type to stem patterns ("captur", "liberat",
  "withdr", "advanc", "battl", "shell", "negotiat"...); :func:`find_triggers`
  finds them and checks each in its own clause: negated ("did not capture"),
  hypothetical ("would", "if", "aim of capturing", "conditional on"), an
  attempt ("failed to take") or a defence ("prevent further advances").
- The actor of a trigger is the side named as its agent in the reported content
  (after "said that"), by "by Russian forces", or the other side of a defence
  verb ("Ukrainian troops repelled attacks" -> RU); speakers are not actors.
- :func:`sentence_claim` reads the attribution: denied, assessed (ISW,
  geolocation, OSINT), claimed (a person or party) or reported (the report or
  the media).
- :func:`is_place_use` keeps countries and capitals only where they are used as
  places ("in eastern Ukraine"), not for their governments ("Russia launched").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tracker.models import Mention

__all__ = [
    "CLAUSE_BREAK", "CONTAINERS", "MOVEMENT", "PRIORITY", "TERRITORIAL", "Trigger",
    "find_triggers", "is_place_use", "sentence_claim", "speaker_side",
]

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
    ("advance", r"advanc\w*|approach(?:ed|es|ing)|push(?:ed|es|ing)?\s+"
                r"(?:(?:north|south|east|west)\w*\s+)?(?:through|forward|toward|"
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
               r"(?:heavy|intense|fierce)\s+fire|hold(?:s|ing)?\s+back|held\s+back|"
               r"(?<!ministry\sof\s)defen[cs]e\s+of|defend(?:s|ed|ing)?|hold(?:s|ing)?\s+(?:the\s+)?(?:line|"
               r"positions?|defen[cs]es?)"),
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
#: Generic verbs that only count right before a place ("left Vuhledar", "entered Kurakhove").
_DIRECT = [
    ("withdrawal", re.compile(r"\b(?:left|leaving)\b", re.I)),
    ("advance", re.compile(r"\b(?:entering|enter|enters)\b", re.I)),
]
#: Sentence-level strength of each type (higher wins).
PRIORITY = {"civil": 0, "capture": 7, "liberation": 7, "withdrawal": 6, "advance": 5, "battle": 4,
             "strike": 3, "negotiation": 2, "mention": 0}
TERRITORIAL = {"capture", "liberation", "withdrawal"}
MOVEMENT = TERRITORIAL | {"advance"}
CONTAINERS = {"oblast", "country", "region", "raion", "hromada"}
_DEFENCE_TRIGGER = re.compile(r"^(?:repel|repuls|hold|held|defen)", re.I)

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
CLAUSE_BREAK = re.compile(
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
    r"|^\s+(?:[\w-]+\s+){0,2}?(?:said|says|say|reported|reports|claimed|claims|claim|announced|"
    r"announces|stated|states|told|tells|declared|denied|denies|deny|confirmed|warned|wrote)\b",
    re.I)
_BY_AGENT = re.compile(rf"^\W*(?:\w+\W+){{0,3}}?by\s+(?:the\s+)?(?:{_RU_CUE}|"
                       rf"{_UA_CUE}|enemy)\b", re.I)
_OWN_FORCES = re.compile(
    r"\b(?:its|their|our)\s+(?:own\s+)?(?:forces|troops|army|units|soldiers|military|"
    r"defenders|servicemen|fighters)\b", re.I)
_PASSIVE_BEFORE = re.compile(
    r"\b(?:was|were|is|are|been|being|be|got|get|gets|themselves|remain|remains)\s+"
    r"(?:\w+ly\s+)?$", re.I)
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
    patterns = [(kind, pattern, False) for kind, pattern in _TRIGGER_RE]
    patterns += [(kind, pattern, True) for kind, pattern in _DIRECT]
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
    speaker = speaker_side(sentence)
    for trigger in kept:
        trigger.status = _status(sentence, trigger)
        trigger.actor = _actor(sentence, trigger, mentions, enemy_side, speaker)
    _drone_attacks(kept)
    return kept


def _drone_attacks(triggers: list[Trigger]) -> None:
    """Merge "drone attack" / "missile strikes": an attack word right after a weapon is a strike."""
    for previous, current in zip(triggers, triggers[1:], strict=False):
        adjacent = current.start - previous.end <= 2
        if previous.kind == "strike" and current.kind == "battle" and adjacent:
            current.kind = "strike"


def _clause_window(sentence: str, trigger_start: int, limit: int = 60) -> str:
    """Text before a trigger back to the last clause break (at most ``limit`` characters)."""
    window = sentence[max(0, trigger_start - limit):trigger_start]
    breaks = list(CLAUSE_BREAK.finditer(window))
    if breaks:
        window = window[breaks[-1].end():]
    return window


def _status(sentence: str, trigger: Trigger) -> str:
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
    if trigger.kind in MOVEMENT and _DEFENCE.search(wider):
        return "defended"
    return "valid"


def _actor(sentence: str, trigger: Trigger, mentions: list[Mention], enemy_side: str,
           speaker: str = "") -> str:
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
        return _side_of(agent.group(0), enemy_side)
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
    if not side and speaker and _OWN_FORCES.search(window):
        side = speaker  # "Kyiv says its forces repelled an attack"
    if not side:
        of_enemy = re.match(r"^\W*(?:\w+\W+){0,2}?of\s+the\s+enemy\b", after, re.I)
        if of_enemy:
            return enemy_side
        return _forward_actor(sentence, trigger, mentions, enemy_side)
    if flip or passive:
        return "UA" if side == "RU" else "RU"
    return side


def _forward_actor(sentence: str, trigger: Trigger, mentions: list[Mention], enemy_side: str
                   ) -> str:
    """Agent named after a nominal trigger ("After the liberation of X, the Russian forces ...")."""
    rest = sentence[trigger.end:trigger.end + 100]
    for stop in (_REPORTING.search(rest), CLAUSE_BREAK.search(rest),
                 re.search(r",\s*(?:which|who|whom|where|whose)\b", rest)):
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
    for match in CLAUSE_BREAK.finditer(sentence, window_start, position):
        if match.group(0) in ".;:!?":
            window_start = max(window_start, match.end())
    return window_start


def _is_actor_cue(sentence: str, start: int, end: int, mentions: list[Mention]) -> bool:
    """Whether a side word names an acting force (not a speaker, nor a place used as a place)."""
    for mention in mentions:
        if mention.start <= start < mention.end and is_place_use(sentence, mention, mentions):
            return False
    if _SPEAKER_NOUN.match(sentence[end:end + 40]):
        return False
    if re.match(r"^(?:'s|’s)\s+(?:[\w-]+\s+)?(?:region|oblast|territory|soil|border)", sentence[
            end - 2 if sentence[end - 2:end] in ("'s", "’s") else end:end + 30], re.I):
        return False
    return True


def _side_of(words: str, enemy_side: str) -> str:
    """Map the last side word in ``words`` ("by the Armed Forces of Ukraine") to RU or UA."""
    cues = list(_CUE_RE.finditer(words))
    if not cues:
        return "unknown"
    cue = cues[-1]
    if cue.group("enemy"):
        return enemy_side
    return "RU" if cue.group("ru") else "UA"


# --------------------------------------------------------------------------- claims
def sentence_claim(sentence: str) -> str:
    """Return the claim status of a sentence: denied, assessed, claimed or reported.

    Parameters
    ----------
    sentence : str
        One sentence.

    Returns
    -------
    str
        "denied" (a denial), "assessed" (ISW, geolocated footage, OSINT maps;
        not when negated), "claimed" (a person, official or party says so) or
        "reported" (the report itself, or the media it quotes).

    Examples
    --------
    >>> sentence_claim("A Ukrainian official denied that Russia captured the village.")
    'denied'
    >>> sentence_claim("ISW assessed that Russian forces advanced.")
    'assessed'
    >>> sentence_claim("Russia's defence ministry said its forces had liberated the village.")
    'claimed'
    >>> sentence_claim("Heavy fighting continues, Reuters reported.")
    'reported'
    """
    if _DENIAL.search(sentence):
        return "denied"
    for clause in CLAUSE_BREAK.split(sentence):
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


def speaker_side(sentence: str) -> str:
    """Return the side of the party speaking ("the Russian Defense Ministry announced").

    Parameters
    ----------
    sentence : str
        One sentence.

    Returns
    -------
    str
        "RU" or "UA" when a ministry, army, official or leader of that side is
        the speaker, else "".

    Examples
    --------
    >>> speaker_side("The Russian Defense Ministry announced the capture of two villages.")
    'RU'
    >>> speaker_side("Heavy battles raged, a journalist said.")
    ''
    """
    for match in _REPORTING.finditer(sentence):
        speaker = _speaker(sentence, match)
        if re.search(r"\b(?:russian|russia(?:'s|’s)?|moscow|kremlin)\b", speaker, re.I) and \
                re.search(r"\b(?:ministry|mod|army|military|forces|officials?|commanders?|"
                          r"command|government|president|kremlin|moscow|defen[cs]e)\b",
                          speaker, re.I):
            return "RU"
        if re.search(r"\b(?:ukrainian|ukraine(?:'s|’s)?|kyiv|kiev)\b", speaker, re.I) and \
                re.search(r"\b(?:general\s+staff|ministry|army|military|forces|officials?|"
                          r"commanders?|command|government|president|defen[cs]e|kyiv|kiev)\b",
                          speaker, re.I):
            return "UA"
    return ""


# --------------------------------------------------------------------------- places
def is_place_use(sentence: str, mention: Mention, mentions: list[Mention]) -> bool:
    """Whether a mention is used as a place (not a country or capital standing for its government).

    Parameters
    ----------
    sentence : str
        One sentence.
    mention : Mention
        The mention to check (offsets into ``sentence``).
    mentions : list of Mention
        All mentions of the sentence (a list "between Russia and Ukraine" is
        followed back to its first member).

    Returns
    -------
    bool
        False for "Russia launched", "leaving Moscow and Kyiv to..."; True for
        "in eastern Ukraine", "Russia's Kursk region" and every other place kind.

    Examples
    --------
    >>> from tracker.models import Mention, Place
    >>> russia = Place("country:RU", "Russia", "country", "", "RU", 60.0, 100.0)
    >>> is_place_use("Russia launched an offensive.", Mention(0, 6, "Russia", russia, 1.0), [])
    False
    >>> text = "an incursion into Russia's Kursk region"
    >>> is_place_use(text, Mention(18, 24, "Russia", russia, 1.0), [])
    True
    """
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
                return is_place_use(sentence, other, mentions) if prone else True
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
                "bank", "envoy", "friends", "enemies", "allies", "war"}:
            return False
        return True
    return bool(_LOCATIVE_AFTER.match(after))

