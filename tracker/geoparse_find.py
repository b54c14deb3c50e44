"""Finding place-name mentions in report text (the first half of :mod:`tracker.geoparse`).

One pass of a compiled regex collects runs of capitalised words ("Velyka
Novosilka", "Kupiansk-Vuzlovyi", "Bill Taylor"); inside each run the longest
sequence of words whose normalised form is a gazetteer key wins. Only these hits
are looked at further, which keeps the finder as fast as a capitalised-word
regex plus set look-ups. Around each hit, small regexes read the context:

- what the words around it say about the kind: ``X Oblast``, ``the X region``,
  ``regions of X, Y and Z``, ``all parts of X``, ``X governor`` (oblast);
  ``the city of X``, ``shelling of X``, ``X direction`` (settlement);
  ``X district`` (raion); ``the X`` / ``X River`` (water);
- how precise it is: ``near X``, ``north of X``, ``the X area`` (precision 2);
- whether it is a place at all: a capitalised word glued to the hit that is not
  itself a place ("Bill Taylor", "OTU Luhansk", "Stanford University"), an
  organisation word after it ("Khortytsia group", "Kharkiv military
  administration"), a capital or country used for its government ("Kyiv
  announced", "Kyiv's attempts", "Kiev-controlled"), a place name that is an
  ordinary English word ("Most", "Bar") without a locative cue.

Tokens that match nothing but look like place names (a toponymic ending, a
word English does not know) are tried fuzzily: "Totretsk" -> Toretsk.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache

from tracker.geoparse_index import NameIndex, _zipf, is_common_word, key_spans, loose_key
from tracker.names import normalize

__all__ = ["Hit", "find_hits"]

_UP = "A-ZÀ-ÖØ-ÞА-ЯЁЄІЇҐЎ"
_APOS = "'\u2019\u02bc"
_CAP = rf"[{_UP}][\w{_APOS}]*"
#: Runs of capitalised words joined by one space or a hyphen (Rostov-on-Don too).
#: The look-behinds (no word character, hyphen or "x'" before the run) stand after the
#: first capital so that the pattern starts with a character class, which lets the
#: regex engine skip straight to capital letters (twice as fast as leading look-behinds).
RUN_RE = re.compile(
    rf"[{_UP}](?<![\w-].)(?<!\w[{_APOS}].)[\w{_APOS}]*"
    rf"(?:(?: |-|\u2011)(?:(?:on|na|nad|upon)-)?{_CAP})*")
_TAIL_RE = re.compile(r" (oblast|region|province|raion|district|hromada)\b(?![-'’])")
#: Maximal runs of ASCII lowercase letters: a superset of the lowercase keys written as
#: whole words (the word-boundary check is :func:`_word_re`'s).
_LOWER_WORD_RE = re.compile(r"[a-z]{4,}")
TOKEN_RE = re.compile(rf"[\w{_APOS}]+")
_POSSESSIVE_RE = re.compile(rf"[{_APOS}]s?$")
_PARA_RE = re.compile(r"\n\s*\n|\n(?=\s*[#*-])")
#: Sentence breaks (only ``end()`` is used: the start of the next sentence).
_SENT_RE = re.compile(r"[.!?][\"'”’»)]?\s+(?=[\"“«(]?[A-ZА-Я0-9])|\n")

# Words that may stand right before a place inside a capitalised run: sentence
# starts and title case ("In Pokrovsk", "Near Toretsk"), compass adjectives
# ("Eastern Donetsk"), months and weekdays.
FUNCTION_WORDS = frozenset("""
a about above across after against along also although amid among an and around as at
before behind below beside besides between beyond both but by despite down during each
either even ever every following for from further here however if in inside into just
later like meanwhile more most near nearby neither next nor now of off on once only onto
or other out outside over overnight past per since so still such than that the their then
there these this those though through throughout thus to today toward towards under
unlike until up upon via when where whereas whether which while with within without yet
yesterday tonight also according once again
will would can could should shall may might must does did do is are was were has have had
it he she they we you i his her its our their what why how who whom whose
north south east west northern southern eastern western central northeastern northwestern
southeastern southwestern northeast northwest southeast southwest greater upper lower
occupied liberated frontline front-line embattled besieged
january february march april may june july august september october november december
jan feb mar apr jun jul aug sep sept oct nov dec
monday tuesday wednesday thursday friday saturday sunday
""".split())
# Capitalised words that may follow a place inside a run without making it a name.
GEO_SUFFIXES = frozenset("""
oblast oblasts region regions raion rayon district districts hromada province krai
governorate direction axis sector front area city town village river reservoir
january february march april may june july august september october november december
monday tuesday wednesday thursday friday saturday sunday on in
""".split())

_CTX = 48
_IN_GAP = re.compile(r",?\s+(?:in|of)\s+(?:the\s+)?(?:(?:occupied|Russian-occupied|southern|"
                     r"northern|eastern|western|central)\s+)?")
_REL_GAP = re.compile(
    r"[,;]?\s*(?:\(|\s)?(?:about\s+|some\s+|roughly\s+|just\s+|further\s+)?"
    r"(?:\d+(?:[.,]\d+)?\s*(?:km|kilomet(?:er|re)s?|miles?)\s+)?(?:\([^)]*\)\s+)?"
    r"(?:(?:north|south|east|west|northeast|northwest|southeast|southwest)(?:ern)?|outside|near)"
    r"(?:\s+of)?\s+(?:the\s+)?(?:(?:occupied|embattled|Russian-occupied|besieged)\s+)?")
_LIST_GAP = re.compile(r"\s*(?:,|,?\s*and|,?\s*or|&)\s*(?:neighbou?ring\s+)?")
_BASE_RE = re.compile(r" (?:oblast|region|province)$")
_PRE_OBLAST = re.compile(
    r"(?:\b(?:all|whole|entire|most|much|parts?|rest|remainder)\s+of\s+(?:the\s+)?"
    r"|\bentire\s+|\bneighbou?ring\s+|\bwhole\s+"
    r"|\b(?:regions?|oblasts?|provinces?)\s+of\s+(?:the\s+)?(?:[a-z]+ern\s+)?)$")
_PRE_SETTLEMENT = re.compile(
    r"(?:\b(?:city|town|village|settlement|hamlet|outskirts|suburbs?|cent(?:re|er)|downtown"
    r"|residents|mayor|shelling|bombardment|streets)\s+(?:of|in)\s+(?:the\s+)?"
    r"|\b(?:strikes?|attacks?|shelling)\s+on\s+|\b(?:hit|struck|shelled|bombed|pounded)\s+)$")
_PRE_NEAR = re.compile(
    r"(?:\b(?:near|nearby|outside|around|close\s+to|vicinity\s+of|outskirts\s+of|approach(?:es)?"
    r"\s+to|edge\s+of|direction\s+of"
    r"|(?:north|south|east|west|northeast|northwest|southeast|southwest)(?:ern)?(?:\s+outskirts)?"
    r"\s+of|\d+\s*(?:km|kilomet(?:er|re)s?|miles?)\s+(?:\w+\s+)?(?:of|from))\s+(?:the\s+)?)$")
_PRE_LOCATIVE = re.compile(
    r"(?:\b(?:in|near|outside|around|from|into|toward|towards|to|at|of|village\s+of|town\s+of"
    r"|city\s+of)\s+(?:the\s+)?)$")
_PRE_THE = re.compile(r"\bthe\s+$")
#: The last word of every match of the five ``_PRE_*`` patterns above (spaces
#: stripped): a window ending otherwise matches none of them (a fast pre-check).
_PRE_TAILS = ("near", "nearby", "outside", "around", "to", "of", "from", "the", "in", "into",
              "toward", "towards", "at", "entire", "neighbouring", "neighboring", "whole",
              "ern", "on", "hit", "struck", "shelled", "bombed", "pounded")
_POST_ORG = re.compile(
    r"^[\s-]+(?:(?:regional|city|oblast|state|military|civil|civilian|[a-z]+-)+[\s-]+)*"
    r"(?:military|administration|group|grouping|battlegroup|brigade|battalion|regiment|corps"
    r"|fleet|council"
    r"|university|institute|endowment|independent|post|times|news|oblenergo|operational"
    r"|nuclear|power\s+plant|npp|tpp|hpp)\b",
    re.IGNORECASE)
_POST_OBLAST = re.compile(
    r"^\s+(?:oblast|region|province|governor|governorate|krai)s?\b|^\s+regional\b",
    re.IGNORECASE)
_SUFFIX_OBLAST = re.compile(r"\s+(?:[Oo]blast|[Rr]egion|[Pp]rovince)\b(?![-'’])")
_POST_OBLAST_PLURAL = re.compile(r"^\s+(?:oblasts|regions|provinces)\b", re.IGNORECASE)
#: "Kursk and Oryol regions": a list ending in a plural region word, other members unknown.
_POST_LIST_REGIONS = re.compile(
    rf"(?:\s*,\s*[{_UP}][\w'’-]*)*,?\s+and\s+[{_UP}][\w'’-]*\s+(?:oblasts|regions|provinces)\b")
_PRE_OBLAST_LIST = re.compile(r"\b(?:regions|oblasts|provinces)\s+of\s+(?:the\s+)?$")
_POST_RAION = re.compile(r"^\s+(?:raion|rayon|district|hromada|community|municipality)\b",
                         re.IGNORECASE)
_POST_SETTLEMENT = re.compile(r"^\s+(?:city|town|village|mayor|residents)\b", re.IGNORECASE)
_POST_DIRECTION = re.compile(r"^[\s-]+(?:direction|axis|sector|front|area|outskirts|suburbs)\b",
                             re.IGNORECASE)
_POST_RIVER = re.compile(
    r"^\s+(?:[Rr]iver|[Rr]eservoir|[Ee]stuary|[Ll]agoon|[Ff]orest|[Ww]oods|[Ff]orestry)\b")
_POST_BARE = re.compile(r"^(?:\s*[,.;:!?)]|\s+(?:and|or|river|[Rr]iver)\b|\s*$)")
_POST_WATER = re.compile(r"^\s+(?:river|reservoir|lake|estuary|bay|sea)\b", re.IGNORECASE)
_SPEECH = (r"(?:says|said|say|announced|announces|claims|claimed|wants|wanted|denied|denies|"
           r"understands|understood|insists|insisted|believes|believed|accused|accuses|demands|"
           r"demanded|agreed|agrees|refused|refuses|responded|warned|warns|hopes|sees|considers|"
           r"plans|planned|intends|needs|launched|sent|signed|continues|rejected|rejects|"
           r"expects|stated|confirmed|replied|threatened|vowed|urged|offered|proposed|"
           r"acknowledged|admitted|argued|called|commented|reacted|reported|blamed|retaliated)")
#: "Kyiv said", "Moscow has demanded" (a capital speaking); not "Kyiv was shelled".
_POST_METONYM_VERB = re.compile(
    rf"^\s+(?:and\s+(?:its|their|the)\s+(?:[\w-]+\s+){{0,3}})?"
    rf"(?:(?:has|had|have|will|would|must|should|could|can|cannot|did|does|did\s+not"
    rf"|does\s+not)\s+(?:not\s+|also\s+|already\s+|repeatedly\s+)?)?{_SPEECH}\b")
_POST_METONYM_NOUN = re.compile(
    r"^\s+(?:regime|government|authorities|officials|leadership|forces|junta|administration)\b")
_POST_HYPHEN_ADJ = re.compile(r"^-(?:controlled|backed|held|installed|appointed|based|led|"
                              r"friendly|aligned|allied|imposed|sponsored|funded)\b")
_POST_GEO_NOUN = re.compile(
    r"^\s+(?:[A-Z]|outskirts|suburbs?|cent(?:re|er)|districts?|regions?|oblast|east|west|north|"
    r"south|border|borders|territory|territories|front|frontline|streets|skies|airspace|"
    r"coast|capital|city|towns?|villages?|soil)")
_FUZZY_SHAPE = re.compile(
    r"(?:sk|tsk|ka|ke|ne|ve|ye|ino|ovo|evo|pil|pol|pole|hrad|grad|horod|gorod|yar|dar|ets"
    r"|iv|ov|ove|ivske|iia|dy|ny|ky|ki|tsi|chi)$")
_NOT_FUZZY = re.compile(r"(?:enko|chuk|iuk|yuk|ych|vich|ski|sky|skyi|skiy|ova|eva|ina|yn|in)$")

#: Names of self-proclaimed entities and their abbreviations -> the oblast they claim.
ALIASES = {
    "donetsk peoples republic": "Donetsk", "donetsk people republic": "Donetsk",
    "luhansk peoples republic": "Luhansk", "luhansk people republic": "Luhansk",
    "lugansk peoples republic": "Luhansk", "lugansk people republic": "Luhansk",
    "dpr": "Donetsk", "dnr": "Donetsk", "lpr": "Luhansk", "lnr": "Luhansk",
}


@dataclass
class Hit:
    """A span of text that names one or more gazetteer places (before resolution)."""

    start: int
    end: int
    text: str
    key: str
    #: Sorted place positions (a tuple: candidate lists are short).
    candidates: tuple[int, ...]
    match: str = "exact"
    match_score: float = 1.0
    cue: str = ""
    cue_why: str = ""
    precision: int | None = None
    reject: str = ""
    sentence: int = 0
    paragraph: int = 0
    locative: bool = False
    notes: list[str] = field(default_factory=list)
    #: The place this one is said to lie relative to ("near A and B, west of C" -> C).
    relative_to: Hit | None = None
    #: The region it is said to be in ("Ivanivka in occupied Kherson Oblast" -> that hit).
    located_in: Hit | None = None
    #: Resolution group: mentions of one name resolved together (set by the resolver).
    group: str = ""

    @property
    def base(self) -> str:
        """The key without a trailing region word ("kursk oblast" -> "kursk")."""
        return _base_key(self.key)


@lru_cache(maxsize=100_000)
def _base_key(key: str) -> str:
    return _BASE_RE.sub("", key)


def find_hits(text: str, index: NameIndex) -> list[Hit]:
    """Find every span of ``text`` that names gazetteer places, with its context cues.

    Parameters
    ----------
    text : str
        The report text.
    index : NameIndex
        From :func:`tracker.geoparse_index.name_index`.

    Returns
    -------
    list of Hit
        In text order, not overlapping. Hits judged not to be places keep a
        ``reject`` reason (the caller reports them as unresolved).
    """
    paragraphs = [0] + [m.end() for m in _PARA_RE.finditer(text)]
    sentences = [0] + [m.end() for m in _SENT_RE.finditer(text)]
    hits: list[Hit] = []
    for run in RUN_RE.finditer(text):
        hits.extend(_run_hits(text, run, index))
    for key in set(_LOWER_WORD_RE.findall(text)) & index.lowercase:
        for m in _word_re(key).finditer(text):
            hits.append(Hit(m.start(), m.end(), key, key, index.tkeys.get(key, ()),
                            match="lowercase", match_score=0.9))
    hits.sort(key=lambda h: h.start)
    for hit in hits:
        hit.sentence = bisect.bisect_right(sentences, hit.start) - 1
        hit.paragraph = bisect.bisect_right(paragraphs, hit.start) - 1
        _read_context(text, hit, index)
    _propagate_lists(text, hits, index)
    _link_relations(text, hits)
    return hits


# ----------------------------------------------------------------------------- runs

def _run_hits(text: str, run: re.Match, index: NameIndex, *, shortcut: bool = True
              ) -> list[Hit]:
    word = run.group(0)
    if shortcut and " " not in word and "-" not in word and "\u2011" not in word:
        return _word_hits(text, run, word, index)
    base = run.start()
    tokens = [(base + m.start(), base + m.end(), m.group(0))
              for m in TOKEN_RE.finditer(run.group(0))]
    norms = [_norm_token(t[2]) for t in tokens]
    n_tok = len(tokens)
    tail = _TAIL_RE.match(text, run.end())
    tail_key = " " + tail.group(1).lower() if tail else ""
    out: list[Hit] = []
    matched = [False] * n_tok
    # Longest names first, but no longer than the longest key (or alias) that starts
    # with this word; when a token normalises to several words, no such shortcut.
    spans = _key_spans(index)
    exact_words = not any(" " in t for t in norms)
    i = 0
    while i < n_tok:
        found = None
        longest = min(index.max_words, n_tok - i)
        if exact_words:
            longest = min(longest, spans.get(norms[i], 0))
        for n in range(longest, 0, -1):
            key = " ".join(norms[i:i + n])
            if not key:
                continue
            if n == 1 and key in FUNCTION_WORDS:
                break
            cands = index.tkeys.get(key)
            if tail_key and i + n == n_tok and (key + tail_key) in index.tkeys:
                # "Kharkiv region": the lowercase region word is part of the indexed name.
                key, cands = key + tail_key, index.tkeys[key + tail_key]
            alias = ALIASES.get(key)
            if cands is None and alias is None:
                continue
            surface_tokens = [t[2] for t in tokens[i:i + n]]
            if all(t.isupper() and len(t) > 1 for t in surface_tokens):
                # ALL-CAPS: datelines and abbreviations fire only when well known.
                if alias is None and key not in index.lowercase:
                    continue
            if alias is not None:
                pos = index.oblast_of.get(alias)
                if pos is None:
                    continue
                cands = (pos,)
            found = (n, key, cands, "alias" if alias is not None else "exact")
            break
        if found is None:
            i += 1
            continue
        n, key, cands, how = found
        start, end = tokens[i][0], tokens[i + n - 1][1]
        last = tokens[i + n - 1][2]
        if tail_key and key.endswith(tail_key) and i + n == n_tok:
            end, last = tail.end(), tail.group(1)
        possessive = _POSSESSIVE_RE.search(last)
        if possessive and how != "alias":
            end -= len(possessive.group(0))
        hit = Hit(start, end, text[start:end], key, cands, match=how)
        if how == "alias":
            hit.cue, hit.cue_why = "oblast", "name of a Russian-installed entity"
        prev_tok = tokens[i - 1][2] if i > 0 and not matched[i - 1] else None
        next_tok = tokens[i + n][2] if i + n < n_tok else None
        if prev_tok is not None and text[tokens[i - 1][1]:start] == " ":
            if not _is_function_word(prev_tok) and not prev_tok.isdigit():
                hit.reject = f"part of a longer name ({_short(prev_tok)} {hit.text})"
        if next_tok is not None and not hit.reject and not possessive:
            if (text[end:tokens[i + n][0]] == " "
                    and _norm_token(next_tok) not in GEO_SUFFIXES
                    and _norm_token(next_tok) not in index.tkeys):
                hit.reject = f"part of a longer name ({hit.text} {_short(next_tok)})"
        for k in range(i, i + n):
            matched[k] = True
        out.append(hit)
        i += n
    # Fuzzy: lone unmatched tokens shaped like place names.
    for k in range(n_tok):
        if matched[k]:
            continue
        start, end, surface = tokens[k]
        if (k > 0 and not matched[k - 1]) or (k + 1 < n_tok and not matched[k + 1]):
            continue  # inside a multi-word proper name that is not a place
        fuzzy = _fuzzy(norms[k], index)
        if fuzzy is not None:
            key, cands, score = fuzzy
            out.append(Hit(start, end, surface, key, cands, match="fuzzy", match_score=score))
    return out


def _word_hits(text: str, run: re.Match, word: str, index: NameIndex) -> list[Hit]:
    """:func:`_run_hits` for a run of one word ("The", "Russian", "Pokrovsk"), most runs.

    The same steps as the general loop with one token (no neighbours to check).
    """
    norm = _norm_token(word)
    if not norm or norm in FUNCTION_WORDS:
        return []
    start, end = run.start(), run.end()
    # _TAIL_RE starts with a space: no need to try it elsewhere.
    tail = _TAIL_RE.match(text, end) if text[end:end + 1] == " " else None
    tail_key = " " + tail.group(1).lower() if tail else ""
    key, cands = norm, index.tkeys.get(norm)
    if tail_key and key + tail_key in index.tkeys:
        key, cands = key + tail_key, index.tkeys[key + tail_key]
    alias = ALIASES.get(key)
    if (cands is not None or alias is not None) and not (
            word.isupper() and len(word) > 1 and alias is None and key not in index.lowercase):
        if alias is not None:
            pos = index.oblast_of.get(alias)
            cands = (pos,) if pos is not None else None
        if cands is not None:
            last = word
            if tail_key and key.endswith(tail_key):
                end, last = tail.end(), tail.group(1)
            possessive = _POSSESSIVE_RE.search(last)
            if possessive and alias is None:
                end -= len(possessive.group(0))
            hit = Hit(start, end, text[start:end], key, cands,
                      match="alias" if alias is not None else "exact")
            if alias is not None:
                hit.cue, hit.cue_why = "oblast", "name of a Russian-installed entity"
            return [hit]
    fuzzy = _fuzzy(norm, index)
    if fuzzy is None:
        return []
    key, cands, score = fuzzy
    return [Hit(run.start(), run.end(), word, key, cands, match="fuzzy", match_score=score)]


def _key_spans(index: NameIndex) -> dict[str, int]:
    """First word of each gazetteer key and alias -> the most words such a key has.

    Built with the index (:func:`tracker.geoparse_index.key_spans`); the aliases
    are added here once.
    """
    spans = index.__dict__.get("_key_spans")
    if spans is None:
        spans = dict(index.key_spans) if index.key_spans else key_spans(index.tkeys)
        for key in ALIASES:
            first = key.split(" ", 1)[0]
            spans[first] = max(spans.get(first, 0), key.count(" ") + 1)
        index.__dict__["_key_spans"] = spans
    return spans


def _short(word: str, limit: int = 30) -> str:
    return word if len(word) <= limit else word[:limit] + "…"


@lru_cache(maxsize=20_000)
def _is_function_word(token: str) -> bool:
    """Tell whether a word is closed-class or so frequent in English it is no name part."""
    norm = _norm_token(token)
    return norm in FUNCTION_WORDS or _zipf(norm) >= 5.5


@lru_cache(maxsize=100_000)
def _norm_token(token: str) -> str:
    return normalize(_POSSESSIVE_RE.sub("", token)) if len(token) > 2 else normalize(token)


@lru_cache(maxsize=50_000)
def _fuzzy_cached(token: str, index_id: int) -> tuple[str, tuple[int, ...], float] | None:
    index = _FUZZY_INDEX.get(index_id)
    if index is None:
        return None
    from rapidfuzz import process
    from rapidfuzz.distance import DamerauLevenshtein

    bucket = index.fuzzy_buckets.get(token[0], ())
    limit = 1 if len(token) < 10 else 2
    best = process.extract(token, bucket, scorer=DamerauLevenshtein.distance,
                           score_cutoff=limit, limit=12)
    if not best:
        return None
    top = min(d for _, d, _ in best)
    keys = tuple(sorted(k for k, _, _ in best))
    # Names equally close all compete; the resolver picks by context.
    cands = tuple(sorted({pos for k in keys for pos in index.tkeys[k]}))
    return keys[0], cands, 1.0 - top / max(len(token), 1)


_FUZZY_INDEX: dict[int, NameIndex] = {}


def _fuzzy(token: str, index: NameIndex) -> tuple[str, tuple[int, ...], float] | None:
    """Memoised :func:`_fuzzy_match` (per index; tokens recur from report to report)."""
    memo = index.__dict__.get("_fuzzy_memo")
    if memo is None:
        memo = index.__dict__["_fuzzy_memo"] = {}
    try:
        return memo[token]
    except KeyError:
        pass
    result = _fuzzy_match(token, index)
    if len(memo) >= 100_000:
        memo.clear()
    memo[token] = result
    return result


def _fuzzy_match(token: str, index: NameIndex) -> tuple[str, tuple[int, ...], float] | None:
    if len(token) < 4 or not token.isascii() or not token.isalpha():
        return None
    if _NOT_FUZZY.search(token) or token in FUNCTION_WORDS or _zipf(token) >= 1.5:
        return None
    loose = index.loose.get(loose_key(token))  # a transliteration variant: Shumi/Shumy
    if len(token) < 6 or not _FUZZY_SHAPE.search(token):
        return (token, loose, 0.85) if loose is not None and len(loose) else None
    _FUZZY_INDEX[id(index)] = index
    result = _fuzzy_cached(token, id(index))
    if loose is not None and len(loose):
        if result is None:
            return token, loose, 0.85
        return result[0], tuple(sorted(set(result[1]) | set(loose))), result[2]
    return result


@lru_cache(maxsize=4096)
def _word_re(word: str) -> re.Pattern:
    return re.compile(rf"(?<![\w{_APOS}-]){re.escape(word)}(?![\w-])")


# -------------------------------------------------------------------------- context

def _read_context(text: str, hit: Hit, index: NameIndex) -> None:
    before = text[max(0, hit.start - _CTX):hit.start]
    before_l = before.lower()
    after = text[hit.end:hit.end + _CTX]
    cols = index.py
    kinds = {cols.kind[c] for c in hit.candidates}
    span_text = text[hit.start:hit.end]
    possessive = after[:2] in {"'s", "’s"} or after[:1] in {"'", "’"}

    # The cue patterns before a hit all end in one of a few words (then spaces): a
    # window that does not cannot match any of them, and most windows do not.
    pre = before_l.rstrip().endswith(_PRE_TAILS)
    if pre and _PRE_NEAR.search(before_l):
        hit.precision = 2
        hit.notes.append("near/direction of")
    hit.locative = pre and bool(_PRE_LOCATIVE.search(before_l))

    if not hit.reject and _POST_ORG.search(after) and hit.match != "alias":
        hit.reject = ("organisation or unit named after a place "
                      f"({span_text}{_short(after.split(',')[0])})")
        return
    if not hit.cue and hit.base != hit.key:
        hit.cue, hit.cue_why = "oblast", "region word in the name"
    if not hit.cue:
        if ("oblast" in kinds and (_POST_OBLAST.search(after)
                                   or (pre and _PRE_OBLAST.search(before_l))
                                   or _POST_LIST_REGIONS.match(text, hit.end))
                or _SUFFIX_OBLAST.match(after)):
            hit.cue, hit.cue_why = "oblast", "region word next to it"
            m = _SUFFIX_OBLAST.match(after)
            if m and not possessive:
                hit.end += m.end()
                hit.text = text[hit.start:hit.end]
        elif _POST_RAION.search(after):
            hit.cue, hit.cue_why = "raion", "district word after it"
        elif (pre and _PRE_SETTLEMENT.search(before_l)) or _POST_SETTLEMENT.search(after):
            hit.cue, hit.cue_why = "settlement", "city/town/village word next to it"
        elif _POST_DIRECTION.search(after):
            hit.cue, hit.cue_why = "settlement", "operational direction named after a town"
            hit.precision = 2
        elif "water" in kinds and (_POST_WATER.search(after)
                                   or (pre and _PRE_THE.search(before_l))):
            hit.cue, hit.cue_why = "water", "'the X' / 'X River'"
    # National Guard "Azov", the "Tsentr" battlegroup: a quoted name is a unit or a brand.
    if before[-1:] in {'"', "“", "«"} and after[:1] in {'"', "”", "»"}:
        hit.reject = f"'{span_text}' in quotes names a unit or a brand, not a place"
        return
    # "across the Dnipro", "the Dnipro River": a river named like a town, not the town.
    if not hit.cue and "country" not in kinds and "oblast" not in kinds and (
            _POST_RIVER.search(after)
            or (pre and _PRE_THE.search(before_l) and _POST_BARE.search(after))):
        hit.reject = (f"'{span_text}' here names a river, forest or another feature, "
                      "not a settlement")
        return
    # Metonymy: a capital or a country standing for its government.
    cand = hit.candidates
    if cand and not hit.cue and ("country" in kinds or not cols.capitals.isdisjoint(cand)):
        why = ""
        if _POST_HYPHEN_ADJ.search(after):
            why = "adjective (X-controlled)"
        elif possessive and not _POST_GEO_NOUN.search(after[2:] if after[:2] in {"'s", "’s"}
                                                     else after[1:]):
            why = "possessive of a non-geographic noun"
        elif not possessive and _POST_METONYM_VERB.search(after) and not hit.locative:
            why = "subject of a verb"
        elif not possessive and _POST_METONYM_NOUN.search(after):
            why = "stands for its government"
        if why:
            hit.reject = f"metonymic use: '{span_text}' stands for its government ({why})"
            return
    # Common English words and people's names ("Most", "Bar", "Lee") need a locative cue.
    if not hit.reject and hit.match == "exact" and " " not in hit.key and not hit.cue:
        best = max(cand, key=cols.population.__getitem__) if cand else -1  # first of equals
        if best >= 0 and is_common_word(hit.key, cols.population[best], cols.kind[best]):
            if not (hit.locative or hit.precision):
                hit.reject = f"'{span_text}' is a common English word or name here"
                hit.notes.append("common-word")
    # Foreign towns too small to be in the news are people's names (Taylor, Vance).
    if not hit.reject and cand and not cols.small_abroad.isdisjoint(cand):
        kept = tuple(c for c in cand if cols.keep_abroad[c])
        if not kept:
            hit.reject = "only small places outside Ukraine and its border regions have this name"
        elif len(kept) < len(cand):
            hit.candidates = kept


def _link_relations(text: str, hits: list[Hit]) -> None:
    """Link "near A and B, 10 km west of C" so that A and B are resolved close to C."""
    live = [h for h in hits if not h.reject]
    for j, target in enumerate(live):
        if j == 0:
            continue
        if live[j - 1].sentence == target.sentence and _IN_GAP.fullmatch(
                text[live[j - 1].end:target.start]):
            k = j - 1
            live[k].located_in = target
            while k > 0 and live[k - 1].sentence == target.sentence and _LIST_GAP.fullmatch(
                    text[live[k - 1].end:live[k].start]):
                k -= 1
                live[k].located_in = target
        k = j - 1
        if live[k].sentence != target.sentence or not _REL_GAP.fullmatch(
                text[live[k].end:target.start]):
            continue
        live[k].relative_to = target
        while k > 0 and live[k - 1].sentence == target.sentence and _LIST_GAP.fullmatch(
                text[live[k - 1].end:live[k].start]):
            k -= 1
            live[k].relative_to = target


def _propagate_lists(text: str, hits: list[Hit], index: NameIndex) -> None:
    """Give every member of "X, Y and Z regions" / "regions of X, Y and Z" the oblast cue.

    A name that is also a common word ("Lyman") is a place after all when it is
    listed with other places ("Lyman, Siversk and Kostiantynivka").
    """
    for i, hit in enumerate(hits):
        if "common-word" not in hit.notes:
            continue
        for j in (i - 1, i + 1):
            if 0 <= j < len(hits) and not hits[j].reject:
                a, b = (hits[j], hit) if j < i else (hit, hits[j])
                if _LIST_GAP.fullmatch(text[a.end:b.start]):
                    hit.reject = ""
                    hit.notes.append("listed with other places")
                    break
    groups: list[list[Hit]] = []
    for hit in hits:
        if hit.reject:
            groups.append([])
            continue
        if groups and groups[-1]:
            gap = text[groups[-1][-1].end:hit.start]
            if _LIST_GAP.fullmatch(gap):
                groups[-1].append(hit)
                continue
        groups.append([hit])
    for group in groups:
        if len(group) < 2:
            continue
        before = text[max(0, group[0].start - _CTX):group[0].start].lower()
        after = text[group[-1].end:group[-1].end + _CTX]
        if (_PRE_OBLAST_LIST.search(before) or _POST_OBLAST_PLURAL.search(after)
                or any(h.cue == "oblast" for h in group)):
            for h in group:
                if not h.cue and any(index.py.kind[c] == "oblast" for c in h.candidates):
                    h.cue, h.cue_why = "oblast", "listed with other regions"
