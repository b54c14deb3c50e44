"""A place name that stands for something else than ground: a government, an entity's bodies.

"Kyiv said", "Moscow's forces", "Kremlin-backed", "accused Kyiv of", "talks between Moscow and
Kiev": a capital or a country standing for its government (metonymy). "The head of the DPR",
"units of the LPR People's Militia": a Russian-installed entity's bodies, not its ground.
:func:`tracker.geoparse_filters.read_context` asks these questions of each hit.
"""

from __future__ import annotations

import re

__all__ = ["METONYMIC", "metonymy", "names_a_body"]

#: How a metonymic hit's reason starts (lists read it: a capital listed with one is one too).
METONYMIC = "metonymic use:"

_SPEECH = (r"(?:says|said|say|announced|announces|claims|claimed|wants|wanted|denied|denies|"
           r"understands|understood|insists|insisted|believes|believed|accused|accuses|demands|"
           r"demanded|agreed|agrees|refused|refuses|responded|warned|warns|hopes|sees|considers|"
           r"plans|planned|intends|needs|launched|sent|signed|continues|rejected|rejects|"
           r"expects|stated|confirmed|replied|threatened|vowed|urged|offered|proposed|"
           r"acknowledged|admitted|argued|called|commented|reacted|reported|blamed|retaliated|"
           # acts of war a state does: "which Kyiv captured", "Moscow deploys"
           r"captured|seized|took|retook|recaptured|lost|tried|attempted|attacked|deployed|"
           r"deploys|withdrew|mobilised|mobilized|"
           # more of a government's doings: "Kyiv refutes", "as Kyiv mounts an offensive"
           r"refutes|refuted|dismisses|dismissed|condemns|condemned|welcomes|welcomed|asks|"
           r"asked|mounts|mounted|launches|struck|"
           # "Kiev disputes the town's capture", "when Kyiv surprised Moscow"
           r"disputes|disputed|surprised|surprises|failed|fails|admits|ordered|orders|"
           # "Kyiv had pulled back from three villages", "Kyiv still controls 428 km²"
           r"pulled|struggled|controls|controlled|sustained|suffered\s+(?:losses|casualties))")
#: "Putin accused Kyiv of", "talks between Moscow and Kiev": the government as an object.
_PRE_METONYM = re.compile(
    r"\b(?:accused|accuses|accusing|blamed|blames|blaming|urged|urges|urging|warned|warns"
    r"|pressed|pressured|pressuring|called\s+on|calls\s+on"
    r"|(?<!border\s)(?<!frontier\s)(?<!line\s)between\s+[A-Z][\w'’-]+\s+and)\s+$")
#: The last words ``_PRE_METONYM`` and "between" windows end in (a cheap test first).
_PRE_METONYM_TAILS = ("accused", "accuses", "accusing", "blamed", "blames", "blaming", "urged",
                      "urges", "urging", "warned", "warns", "pressed", "pressured",
                      "pressuring", "on", "and", "between")
_POST_BETWEEN_PAIR = re.compile(r"^\s+and\s+(?:Moscow|Kyiv|Kiev|Washington|Minsk)\b(?!['’]s)")
#: "Kyiv said", "Moscow has demanded" (a capital speaking); not "Kyiv was shelled".
_POST_METONYM_VERB = re.compile(
    rf"^\s+(?:and\s+(?:its|their|the)\s+(?:[\w-]+\s+){{0,3}})?"
    rf"(?:(?:has|had|have|will|would|must|should|could|can|cannot|did|does|did\s+not"
    rf"|does\s+not)\s+)?(?:(?:not|also|already|repeatedly|again|then|later|now|reportedly"
    rf"|allegedly|still|even|recently|quickly|either|neither|since|long)\s+)?{_SPEECH}\b"
    # a headline's passive ("Kyiv attacked by drones") is the city itself
    r"(?!\s+by\b)")
_POST_METONYM_NOUN = re.compile(
    r"^\s+(?:regime|government|authorities|officials|leadership|forces|troops|army|soldiers"
    r"|junta|administration|militants|fighters|formations|nationalists|military|command"
    r"|negotiators|delegation)\b")
_POST_HYPHEN_ADJ = re.compile(r"^-(?:controlled|backed|held|installed|appointed|based|led|"
                              r"friendly|aligned|allied|imposed|sponsored|funded)\b")
_POST_GEO_NOUN = re.compile(
    r"^\s+(?:[A-Z]|outskirts|suburbs?|cent(?:re|er)|districts?|regions?|oblast|east|west|north|"
    r"south|border|borders|territory|territories|front|frontline|streets|skies|airspace|"
    r"coast|capital|city|towns?|villages?|soil)")

#: The entity as a body rather than ground: its head, forces, headquarters or envoys
#: ("the head of the DPR", "units of the LPR People's Militia", "DPR head Pushilin").
#: "In the DPR", "on DPR territory" stay the oblast.
_BODY = (r"(?:heads?|leaders?|chiefs?|advis[eo]rs?|forces|units|troops|militia|army|armed\s+forces"
         r"|headquarters|representatives?|envoys?|ambassadors?|government|authorities|ministry"
         r"|ministers?|parliament|people['’]s\s+council|officials?|spokes(?:man|woman|person)"
         r"|ombudsman|territorial\s+defen[cs]e)")
_PRE_ENTITY_BODY = re.compile(
    rf"\b{_BODY}\s+(?:to\s+the\s+head\s+)?of\s+(?:the\s+)?(?:so-called\s+)?[\"“]?"
    r"(?:(?:[\w'’-]+\s+){1,3}\()?$", re.IGNORECASE)
_POST_ENTITY_BODY = re.compile(
    rf"^\)?(?:\s*\([A-Z]{{2,4}}\))?(?:['’]s)?\s+(?:people['’]s\s+)?{_BODY}\b", re.IGNORECASE)


def metonymy(before: str, stripped: str, after: str, *, possessive: bool, locative: bool) -> str:
    """Say why a capital or country stands for its government here, or ``""`` if it does not.

    Parameters
    ----------
    before, after : str
        The windows of text before and after the name.
    stripped : str
        ``before`` lowercased without trailing spaces (the caller has it).
    possessive : bool
        The name is followed by 's or an apostrophe.
    locative : bool
        A locative preposition comes before the name ("in Kyiv").
    """
    if _POST_HYPHEN_ADJ.search(after):
        return "adjective (X-controlled)"
    if possessive and not _POST_GEO_NOUN.search(after[2:] if after[:2] in {"'s", "’s"}
                                                else after[1:]):
        return "possessive of a non-geographic noun"
    if not possessive and _POST_METONYM_VERB.search(after) and not locative:
        return "subject of a verb"
    if stripped.endswith(_PRE_METONYM_TAILS) and (
            _PRE_METONYM.search(before)
            or (before.endswith("between ") and _POST_BETWEEN_PAIR.match(after))):
        return "object of a government's act or party to talks"
    if not possessive and _POST_METONYM_NOUN.search(after):
        return "stands for its government"
    return ""


def names_a_body(text: str, start: int, after: str) -> bool:
    """Whether an entity's name at ``start`` names its head, forces or offices, not its ground."""
    return bool(_POST_ENTITY_BODY.match(after)
                or _PRE_ENTITY_BODY.search(text, max(0, start - 100), start))
