"""What one event means for one place: its type, actor and implied control.

:func:`classify` weighs the triggers of a sentence for one place mentioned in it
(the one that governs the place, else the strongest of its clause or sentence) and
normalises each side's framing ("liberated" by Russian forces in Ukraine is a
capture); :func:`implied_control` turns the result into control of the place.
Used by :mod:`tracker.events`, which assembles the events.
"""

from __future__ import annotations

from tracker.events_lexicon import CONTAINERS, MOVEMENT, PRIORITY, TERRITORIAL
from tracker.events_rules import Trigger
from tracker.models import Place
from tracker.relations import Relation

__all__ = ["classify", "implied_control"]


def classify(place: Place, governed: Trigger | None, sentence_level: list[Trigger],
              relation: Relation | None, own: bool, is_reference: bool, speaker_side: str,
              beside: list[Trigger] = (), source_side: str = "", described: bool = False
              ) -> tuple[str, str, float]:
    """Return (event_type, actor, strength) for one place in one sentence.

    ``governed`` is the trigger whose predicate takes the place itself ("the capture
    of X"), ``sentence_level`` the sentence's other triggers, ``own`` whether the
    relation belongs to this place, ``is_reference`` whether the place only locates
    another one, and ``speaker_side`` the side of the party speaking.

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
        return classify(place, None, fighting, relation, own, is_reference, speaker_side,
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


def implied_control(event_type: str, actor: str, claim: str) -> str:
    """Return the control one event implies: RU, UA, contested or unknown.

    A capture or liberation gives the place to its actor (contested when denied), a
    withdrawal to the other side, a battle makes it contested.

    Examples
    --------
    >>> implied_control("capture", "RU", "claimed")
    'RU'
    >>> implied_control("withdrawal", "UA", "reported")
    'RU'
    >>> implied_control("capture", "RU", "denied")
    'contested'
    """
    if event_type in ("capture", "liberation"):
        if claim == "denied":
            return "contested"
        return actor if actor in ("RU", "UA") else "unknown"
    if event_type == "withdrawal" and actor in ("RU", "UA") and claim != "denied":
        return "UA" if actor == "RU" else "RU"
    if event_type == "battle":
        return "contested"
    return "unknown"
