"""The word tables of :mod:`tracker.events_rules`: trigger stems, cues and patterns.

Everything here is data: per event type the stem patterns of its triggers
(``TRIGGERS``, compiled in ``TRIGGER_RE``), each type's strength (``PRIORITY``),
and the patterns the rules read clauses with: negation, modality, attempts and
defence, reporting verbs, denials, assessments, media, side cues ("Russian
forces", "the AFU"), speakers, and the words that use a country or capital as a
place ("in eastern Ukraine", "Russia's Kursk region").
"""

from __future__ import annotations

import re

__all__ = [
    "ASSESSED", "ATTEMPT", "BY_AGENT", "CLAUSE_BREAK", "CONTAINERS", "CUE_RE", "DEFENCE",
    "DEFENCE_TRIGGER", "DENIAL", "DIRECT", "GOAL_AFTER", "HYPOTHETICAL", "LOCATIVE_AFTER",
    "LOCATIVE_BEFORE", "MEDIA", "METONYM_CAPITALS", "MODAL_AFTER", "MONTH_MAY", "MOVEMENT",
    "NEGATION", "OWN_FORCES", "PASSIVE_BEFORE", "PRIORITY", "REPORTING", "RU_CUE",
    "SPEAKER_NOUN", "TERRITORIAL", "TRIGGERS", "TRIGGER_RE", "UA_CUE",
]

#: Stem patterns per event type; the longest match wins where they overlap.
TRIGGERS: list[tuple[str, str]] = [
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
                   r"(?:village|town|city|settlement)|dislodg\w*|"
                   r"cleared\b(?!\s+(?:the\s+)?(?:mines|rubble|debris|roads?|snow))[^.;]{0,40}?"
                   r"\bfrom|(?:pushed|driven|drove|forced|thrown|threw|knocked)\s+(?:[\w-]+\s+){0,3}?"
                   r"back\s+(?:from|out\s+of)"),
    # withdrawal
    ("withdrawal", r"withdr[ae]w\w*|retreat\w*|pull(?:ed|ing|s)?\s+(?:back|out)|"
                   r"fell\s+back|fall(?:ing)?\s+back|abandon\w*|surrender\w*"),
    # advance
    ("advance", r"advanc\w*|approach(?:ed|es|ing)|push(?:ed|es|ing)?\s+"
                r"(?:[\w,.-]+\s+){0,4}?(?:through|forward|toward|"
                r"towards|into|deeper|closer)|break\s*through\w*|broke\s+through|"
                r"breach\w*|(?:operational|territorial|tactical)\s+gains|made\s+gains|"
                r"gains\s+(?:in|near|around)|crossed|invaded|incursion|infiltrat\w*|penetrat\w*|"
                r"wedged|entered|(?:gain\w*|establish\w*|secur\w*)\s+(?:a\s+)?foothold|(?:established|establish)\s+(?:a\s+)?presence|"
                r"expand\w*\s+the\s+(?:front|bridgehead|foothold|zone|buffer)|"
                r"mov(?:e|es|ed|ing)\s+(?:forward|closer|toward|towards|into|deeper)|"
                r"(?:took|taken|take|takes|taking|occupied)\s+(?:up\s+)?(?:more\s+)?"
                r"(?:advantageous|favou?rable|better)\s+(?:lines|positions|frontiers)|"
                r"improv\w*\s+(?:the(?:ir)?\s+|its\s+)?(?:tactical\s+|operational\s+)?"
                r"(?:positions?|situation)|"
                r"reach(?:ed|es|ing)?\b(?!\s+(?:of|out|an?\s+(?:\w+\s+)?(?:agreement|deal|"
                r"accord|compromise|consensus|understanding|decision|conclusion)))|"
                r"rais\w*\s+(?:a|the|their)\s+(?:russian|ukrainian)\s+flag"),
    # battle
    ("battle", r"battl(?!egroups?\b)\w*|fight(?:s|ing)?\b|fought|clash\w*|attack\w*|"
               r"assault\w*(?!\s+(?:brigades?|regiments?|battalions?|divisions?|corps|company|"
               r"companies))|combat|"
               r"(?:counter-?)?offensive\w*|counter-?attack\w*|repel\w*|repuls\w*|storm(?:ed|ing|s)?(?!\s+shadows?)|"
               r"encircl\w*|surround\w*|hostilities|skirmish\w*|firefights?|engagements?|"
               r"under\s+(?:heavy\s+|intense\s+|constant\s+)?pressure|"
               r"press(?:es|ed|ing)?\s+(?:on|against|toward|towards|ahead)|"
               r"pressing(?!\s+(?:issues?|questions?|matters?|concerns?|needs?|problems?|for|"
               r"conference|service|release))|"
               r"inflict\w*\s+(?:heavy\s+|significant\s+|serious\s+)?(?:losses|casualties|"
               r"damage|defeat)|defeat(?:ed|ing|s)?\s+(?:[\w-]+\s+){0,2}?(?:formations|units|"
               r"forces|manpower|troops|brigades?|groups?)|lost\s+(?:up\s+to\s+|over\s+|about\s+|more\s+than\s+)?[\d,]+\s+"
               r"(?:servicem[ae]n|soldiers|troops|personnel|fighters)|clearing(?!\s+(?:the\s+)?(?:mines|rubble|debris|roads?|snow))|"
               r"(?:heavy|serious|significant)\s+losses|main\s+strike|"
               r"(?:heavy|intense|fierce)\s+fire|hold(?:s|ing)?\s+back|held\s+back|"
               r"(?<!ministry\sof\s)defen[cs]e\s+of|defend(?:s|ed|ing)?|hold(?:s|ing)?\s+(?:the\s+)?"
               r"(?:\w+\s+)?(?:line|positions?|defen[cs]es?|bridgeheads?)"),
    # strike
    ("strike", r"shell(?:ed|ing|s)\b|drones?|uavs?|missil\w*|air ?strikes?|airstrikes?|"
               r"air\s+raids?|glide\s+bombs?|guided\s+bombs?|bomb(?:s|ed|ing|ings)?\b|"
               r"artiller\w*|rockets?|strikes?|struck|shaheds?|kamikaze|ballistic|mlrs|himars|"
               r"explosions?|hit\s+by|(?:came|come|comes|coming)\s+under\s+(?:\w+\s+)?"
               r"(?:fire|shelling|bombardment)"),
    # casualties: a strike when the sentence reports no other event ("two people were killed")
    ("casualty", r"kill(?:ed|ing|s)|wound(?:ed|ing)|injur(?:ed|ing|ies)|casualties"),
    # civil: evacuations and aid name a place without a military event
    ("civil", r"evacuat\w*|humanitarian|relocat\w*"),
    # negotiation
    ("negotiation", r"talks|negotiat\w*|cease-?fires?|truce|memorandum|summit|"
                    r"peace\s+(?:deal|agreement|plan|process|talks|proposal)|agreement|"
                    r"delegations?|prisoner\s+exchange|mediat\w*|diplomat\w*|"
                    r"(?:phone\s+)?call\s+(?:with|between)"),
]
TRIGGER_RE = [(kind, re.compile(rf"\b(?:{pattern})\b", re.I)) for kind, pattern in TRIGGERS]
#: Generic verbs that only count right before a place ("left Vuhledar", "entered Kurakhove").
DIRECT = [
    ("withdrawal", re.compile(r"\b(?:left|leaving)\b", re.I)),
    ("advance", re.compile(r"\b(?:entering|enter|enters)\b", re.I)),
]
#: Sentence-level strength of each type (higher wins).
PRIORITY = {"civil": 0, "casualty": 1, "capture": 7, "liberation": 7, "withdrawal": 6,
            "advance": 5, "battle": 4, "strike": 3, "negotiation": 2, "mention": 0}
TERRITORIAL = {"capture", "liberation", "withdrawal"}
MOVEMENT = TERRITORIAL | {"advance"}
CONTAINERS = {"oblast", "country", "region", "raion", "hromada"}
DEFENCE_TRIGGER = re.compile(r"^(?:repel|repuls|hold|held|defen|lost\s)", re.I)

NEGATION = re.compile(
    r"\b(?:not|never|no|neither|nor|without|n't)\b(?!\s+(?:only|longer|doubt|later|less|more))"
    r"|n't\b", re.I)
HYPOTHETICAL = re.compile(
    r"\b(?:would|could|might|may|can|cannot|will|shall|should|if|unless|whether|aim\w*|goals?|"
    r"objectives?|plan(?:s|ned|ning)?|intend\w*|intention|want\w*|wish\w*|hop(?:e|es|ed|ing)|"
    r"threat(?:en|ens|ened|ening)|conditional|condition|demand\w*|ready|prepar\w*|possible|"
    r"possibly|potential\w*|expected|likely\s+to|unlikely|need\w*|must|order(?:ed|s)?\s+to|calls?\s+for|"
    r"called\s+for|ambition\w*|bid|allow\w*|avoid\w*|to\s+ensure|request\w*|"
    r"to\s+(?:stop|end|halt|cease))\b", re.I)
ATTEMPT = re.compile(
    r"\b(?:tr(?:y|ies|ied|ying)|attempt\w*|fail\w*|struggl\w*|seek\w*|sought|striv\w*|"
    r"unsuccessful\w*|risk|threat|danger|pressing\s+to)\b", re.I)
DEFENCE = re.compile(
    r"\b(?:prevent\w*|stop(?:ped|ping|s)?|halt\w*|hold(?:ing)?\s+back|held\s+back|contain\w*|"
    r"repel\w*|repuls\w*|fend\w*\s+off|thwart\w*|foil\w*|deter\w*|resist\w*|"
    r"defend(?!ers?\b)\w*|defen[cs]e\s+against)\b", re.I)
MONTH_MAY = re.compile(r"(?<=\d\s)May\b|\bMay(?=\s+\d)|(?<=[a-z,]\s)May\b")
GOAL_AFTER = re.compile(r"\b(?:objective|goal|aim|target|ambition|priority|plan)\b", re.I)
MODAL_AFTER = re.compile(r"^\W*(?:\w+\W+){0,4}?(?:would|could|might|may|will)\b", re.I)
CLAUSE_BREAK = re.compile(
    r"[.!?](?=[\"”’']?\s+[\"“A-Z])|[;:]|\s[–—]\s|"
    r"\b(?:but|while|whereas|although|however|though)\b", re.I)
REPORTING = re.compile(
    r"\b(?:said|says|say|saying|told|tells|stated|states|announced|announces|announcing|"
    r"reported|reports|reporting|claimed|claims|claiming|declared|declares|denied|denies|"
    r"denying|acknowledged|acknowledges|admitted|insisted|noted|added|"
    r"warned|wrote|writes|writing\s+about|assessed|assesses|pointing\s+to|according\s+to|"
    r"confirmed\s+that|"
    r"citing|described)\b(?:\s+(?:on\s+)?\w+day)?(?:\s+that)?",
    re.I)
DENIAL = re.compile(
    r"\b(?:den(?:y|ied|ies|ying)|refut\w*|rebut\w*|reject\w*\s+(?:the\s+|these\s+|those\s+)?"
    r"(?:claims?|reports?)|dismiss\w*\s+(?:the\s+)?(?:claims?|reports?)|not\s+true|"
    r"false\s+claims?)\b",
    re.I)
ASSESSED = re.compile(
    r"\b(?:isw|institute\s+for\s+the\s+study\s+of\s+war|assess\w*|geolocat\w*|"
    r"satellite\s+(?:imagery|images|photos)|deep\s?state\w*|osint|open-source|"
    r"monitoring\s+(?:group|service|project)|think[- ]tank|analysts?)\b",
    re.I)
MEDIA = re.compile(
    r"\b(?:reuters|ap|afp|bta|tass|ria|interfax|ukrinform|media|channel|newspaper|agency|"
    r"outlet|news|radio|tv|television|website|publication|bbc|cnn|press)\b",
    re.I)

# Side cues. Adjectives count only when they are not a speaker ("Ukrainian official").
RU_CUE = (r"russian|russians|russia(?:'s|’s)?|moscow(?:'s|’s)?|kremlin|occupiers?|invaders?|"
           r"occupying|putin(?:'s|’s)?|wagner|akhmat|rf|rf\s+armed\s+forces|"
           # the Russian MoD's groups of forces and Guards units
           r"(?:tsentr|center|centre|yug|zapad|vostok|sever|dnepr)\s+(?:battle\s*)?"
           r"(?:group(?:ing)?|battlegroup)(?:\s+of\s+(?:forces|troops))?|"
           r"battle\s*group\s+(?:tsentr|center|centre|yug|south|zapad|west|vostok|east|sever|"
           r"north|dnepr)|guards\s+(?:tank|motor(?:ized|ised)?\s+rifle|airborne|air\s+assault|"
           r"combined\s+arms|rifle|naval|artillery)")
UA_CUE = (r"ukrainian|ukrainians|ukraine(?:'s|’s)?|kyiv(?:'s|’s)?|kiev(?:'s|’s)?|afu|zsu|"
           r"defen[cs]e\s+forces|armed\s+forces\s+of\s+ukraine|defenders|syrskyi(?:'s|’s)?")
CUE_RE = re.compile(rf"\b(?:(?P<ru>{RU_CUE})|(?P<ua>{UA_CUE})|(?P<enemy>enemy(?:'s|’s)?))\b",
                     re.I)
SPEAKER_NOUN = re.compile(
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
BY_AGENT = re.compile(rf"^\W*(?:\w+\W+){{0,3}}?by\s+(?:the\s+|an?\s+)?(?:[\w-]+\s+){{0,3}}?"
                       rf"(?:of\s+(?:the\s+)?)?(?:{RU_CUE}|{UA_CUE}|enemy)\b", re.I)
OWN_FORCES = re.compile(
    r"\b(?:its|their|our|his|her)\s+(?:own\s+)?(?:forces|troops|army|units|soldiers|military|"
    r"defenders|servicemen|fighters)\b", re.I)
PASSIVE_BEFORE = re.compile(
    r"\b(?:was|were|is|are|been|being|be|got|get|gets|themselves|remain|remains)\s+"
    r"(?:\w+ly\s+)?$", re.I)
METONYM_CAPITALS = {"kyiv", "kiev", "moscow", "minsk", "washington", "london", "paris", "berlin",
                     "beijing", "brussels", "warsaw"}
LOCATIVE_BEFORE = re.compile(
    r"(?:\b(?:(?:strikes?|attacks?|assaults?|shelling|bombing|raids?|offensive|advance|march)\s+"
    r"(?:on|against)|hit|hits|hitting|struck|striking|shelled|bombed|targeted|targeting|"
    r"in|into|inside|within|across|throughout|from|toward|towards|near|at|over|through|"
    r"entered|invaded|invade|border\s+between|border\s+with|soil\s+of|territory\s+of|"
    r"(?:region|oblast|parts?|areas?|invasion|regions)\s+of)\s+(?:the\s+)?"
    r"(?:(?:\w+ern|central|occupied|mainland|whole|entire|all\s+of)\s+)?|\(\s*)$",
    re.I)
LOCATIVE_AFTER = re.compile(
    r"^(?:'s|’s)\s+(?:[\w-]+\s+){0,2}?(?:region|oblast|territory|soil|border|borders|side|"
    r"province|city|town|village|capital|frontier)\b",
    re.I)
