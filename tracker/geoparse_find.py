"""Finding place-name mentions in report text (the first half of :mod:`tracker.geoparse`).

One pass of a compiled regex collects runs of capitalised words ("Velyka
Novosilka", "Kupiansk-Vuzlovyi", "Bill Taylor"); inside each run the longest
sequence of words whose normalised form is a gazetteer key wins. Only these hits
are looked at further, which keeps the finder as fast as a capitalised-word
regex plus set look-ups. A hit glued to a capitalised word that is not itself a
place ("Bill Taylor", "OTU Luhansk", "Stanford University") is part of a longer
name, not a place. The words around each hit (its kind, its precision, whether
it names an organisation, a government or an ordinary English word) are read by
:mod:`tracker.geoparse_filters`.

Tokens that match nothing but look like place names (a toponymic ending, a
word English does not know) are tried fuzzily (:mod:`tracker.geoparse_fuzzy`):
"Totretsk" -> Toretsk.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache

from tracker.geoparse_filters import _PART_OF, DATELINE_RE, ENTITY, _short, read_context
from tracker.geoparse_fuzzy import VARIANT_SCORE, _fuzzy, _fuzzy_compound, _how
from tracker.geoparse_glue import Headlines, glues, glues_in_headline
from tracker.geoparse_index import (
    _UP,
    NameIndex,
    index_memo,
    key_spans,
    loose_key,
)
from tracker.geoparse_lists import link_relations, propagate_lists
from tracker.geoparse_words import (
    _APOS,
    FUNCTION_WORDS,
    GEO_SUFFIXES,
    POSSESSIVE_RE,
    norm_token,
)

__all__ = ["Hit", "find_hits"]

_CAP = rf"[{_UP}][\w{_APOS}]*"
#: Runs of capitalised words joined by one space or a hyphen (Rostov-on-Don too).
#: The look-behinds (no word character, hyphen or "x'" before the run) stand after the
#: first capital so that the pattern starts with a character class, which lets the
#: regex engine skip straight to capital letters (twice as fast as leading look-behinds).
RUN_RE = re.compile(
    rf"[{_UP}](?<![\w-].)(?<!\w[{_APOS}].)[\w{_APOS}]*"
    rf"(?:(?: |-|\u2011)(?:(?:on|na|nad|upon)-)?{_CAP})*")
_TAIL_RE = re.compile(r" (oblast|region|province|raion|district|hromada|community)\b(?![-'’])")
#: Maximal runs of ASCII lowercase letters: a superset of the lowercase keys written as
#: whole words (the word-boundary check is :func:`_word_re`'s).
_LOWER_WORD_RE = re.compile(r"[a-z]{4,}")
TOKEN_RE = re.compile(rf"[\w{_APOS}]+")
_PARA_RE = re.compile(r"\n\s*\n|\n(?=\s*[#*-])")
#: Sentence breaks (only ``end()`` is used: the start of the next sentence).
_SENT_RE = re.compile(r"[.!?][\"'”’»)]?\s+(?=[\"“«(]?[A-ZА-Я0-9])|\n")


_BASE_RE = re.compile(r" (?:oblast|region|province)$")

#: Names of self-proclaimed entities and their abbreviations -> the oblast they claim.
ALIASES = {
    "donetsk peoples republic": "Donetsk", "donetsk people republic": "Donetsk",
    "luhansk peoples republic": "Luhansk", "luhansk people republic": "Luhansk",
    "lugansk peoples republic": "Luhansk", "lugansk people republic": "Luhansk",
    "dpr": "Donetsk", "dnr": "Donetsk", "lpr": "Luhansk", "lnr": "Luhansk",
    # "the Luhansk and Donetsk People's Republics"
    "donetsk peoples republics": "Donetsk", "donetsk people republics": "Donetsk",
    "luhansk peoples republics": "Luhansk", "luhansk people republics": "Luhansk",
    "lugansk peoples republics": "Luhansk", "lugansk people republics": "Luhansk",
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
    #: The country the text puts it in ("the Russian village of A" -> "RU").
    country: str = ""
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
    hits = _runs(text, index, index_memo(index, "_runs"))
    for key in set(_LOWER_WORD_RE.findall(text)) & index.lowercase:
        for m in _word_re(key).finditer(text):
            hits.append(Hit(m.start(), m.end(), key, key, index.tkeys.get(key, ()),
                            match="lowercase", match_score=0.9))
    _add_datelines(text, sentences, hits, index)
    hits.sort(key=lambda h: h.start)
    for hit in hits:
        hit.sentence = bisect.bisect_right(sentences, hit.start) - 1
        hit.paragraph = bisect.bisect_right(paragraphs, hit.start) - 1
        read_context(text, hit, index)
    propagate_lists(text, hits, index)
    link_relations(text, hits, index)
    return hits


def _add_datelines(text: str, sentences: list[int], hits: list[Hit], index: NameIndex) -> None:
    """Add the dateline cities that capitals alone did not make a hit.

    A word in capitals fires only when well known ("KYIV"), as capitals are mostly
    abbreviations; in a dateline's place any gazetteer spelling is a city ("LUGANSK").
    """
    starts = None
    # Tried where sentences start (every line starts one): a pattern anchored by ^ in
    # multiline mode would be tried at every character.
    for m in filter(None, (DATELINE_RE.match(text, p) for p in sentences)):
        if starts is None:
            starts = {h.start for h in hits}
        if m.start(1) in starts:
            continue
        key = " ".join(norm_token(t) for t in TOKEN_RE.findall(m.group(1)))
        cands = index.tkeys.get(key)
        if cands:
            hits.append(Hit(m.start(1), m.end(1), m.group(1), key, cands))


# ----------------------------------------------------------------------------- runs

def _runs(text: str, index: NameIndex, memo: dict | None) -> list[Hit]:
    """Find the hits of every capitalised run of ``text`` (:func:`_run_hits`), in text order.

    What a run yields depends only on its words and on the region word after it
    ("Kharkiv region"), so with a ``memo`` each distinct (run, region word) is
    worked out once and its hits are rebuilt at the run's offset afterwards: the
    same runs ("Russian", "Pokrovsk", "The") recur from report to report.
    """
    hits: list[Hit] = []
    headlines = Headlines(text)
    for run in RUN_RE.finditer(text):
        if memo is None:
            found = _run_hits(text, run, index)
            # A headline's capitals only matter where a name was glued to a neighbour.
            if _glued(found) and headlines.holds(run.start()):
                found = _run_hits(text, run, index, headline=True)
            hits.extend(found)
            continue
        end = run.end()
        tail = _TAIL_RE.match(text, end) if text[end:end + 1] == " " else None
        # A run holds no newline, so the region word is appended after one (and a
        # headline's run is told apart by a second line).
        mkey = run.group(0) if tail is None else f"{run.group(0)}\n{tail.group(1)}"
        base = run.start()
        found = memo.get(mkey)
        if found is None:
            found = _memo_hits(memo, mkey, text, run, index, headline=False)
        if found[1] and headlines.holds(base):
            found = _memo_hits(memo, mkey + "\nheadline", text, run, index, headline=True)
        for start, stop, surface, key, cands, how, score, cue, why, reject in found[0]:
            hits.append(Hit(base + start, base + stop, surface, key, cands, match=how,
                            match_score=score, cue=cue, cue_why=why, reject=reject))
    return hits


def _memo_hits(memo: dict, mkey: str, text: str, run: re.Match, index: NameIndex, *,
               headline: bool) -> tuple[tuple, bool]:
    """:func:`_run_hits` of a run relative to its start, memoised under ``mkey``.

    Also says whether a name was glued to a neighbour (then a headline would matter).
    """
    found = memo.get(mkey)
    if found is None:
        base = run.start()
        hits = _run_hits(text, run, index, headline=headline)
        found = memo[mkey] = (
            tuple((h.start - base, h.end - base, h.text, h.key, h.candidates, h.match,
                   h.match_score, h.cue, h.cue_why, h.reject) for h in hits),
            _glued(hits))
    return found


def _glued(hits: list[Hit]) -> bool:
    """Whether a name of the run was glued to a capitalised neighbour (a longer name)."""
    return any(h.reject.startswith(_PART_OF) for h in hits)


def _run_hits(text: str, run: re.Match, index: NameIndex, *, shortcut: bool = True,
              headline: bool = False) -> list[Hit]:
    """Find the hits of one capitalised run: the longest gazetteer names, left to right.

    A name glued to a capitalised word that is not a place is part of a longer name
    ("Bill Taylor"), except in a title-case ``headline``, where ordinary English
    words are capitalised too ("Russians Attack Dnipropetrovsk Region With ...").
    """
    glues_here = glues_in_headline if headline else glues
    word = run.group(0)
    if shortcut and " " not in word and "-" not in word and "\u2011" not in word:
        return _word_hits(text, run, word, index)
    base = run.start()
    tokens = [(base + m.start(), base + m.end(), m.group(0))
              for m in TOKEN_RE.finditer(run.group(0))]
    norms = [norm_token(t[2]) for t in tokens]
    n_tok = len(tokens)
    compound = _fuzzy_compound(word, norms, index) if n_tok == 2 else None
    if compound is not None:
        key, cands, score = compound
        return [Hit(base, run.end(), word, key, cands, match="fuzzy", match_score=score)]
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
            longest = min(longest, max(spans.get(norms[i], 0),
                                       index.loose_spans.get(loose_key(norms[i]), 0)))
        for n in range(longest, 0, -1):
            key = " ".join(norms[i:i + n])
            if not key:
                continue
            if n == 1 and key in FUNCTION_WORDS:
                break
            cands = index.tkeys.get(key)
            how = "exact"
            if cands is None and n > 1:
                # "Chervonyi Mayak", "Staraya Buda": spelling systems mixed word by word.
                cands = index.loose.get(loose_key(key)) or None
                how = "variant"
            if tail_key and i + n == n_tok and (key + tail_key) in index.tkeys:
                # "Kharkiv region": the lowercase region word is part of the indexed name.
                key, cands, how = key + tail_key, index.tkeys[key + tail_key], "exact"
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
            found = (n, key, cands, "alias" if alias is not None else how)
            break
        if found is None:
            i += 1
            continue
        n, key, cands, how = found
        start, end = tokens[i][0], tokens[i + n - 1][1]
        last = tokens[i + n - 1][2]
        if tail_key and key.endswith(tail_key) and i + n == n_tok:
            end, last = tail.end(), tail.group(1)
        possessive = POSSESSIVE_RE.search(last)
        if possessive and how != "alias":
            end -= len(possessive.group(0))
        hit = Hit(start, end, text[start:end], key, cands, match=how,
                  match_score=VARIANT_SCORE if how == "variant" else 1.0)
        if how == "alias":
            hit.cue, hit.cue_why = "oblast", ENTITY
        prev_tok = tokens[i - 1][2] if i > 0 and not matched[i - 1] else None
        next_tok = tokens[i + n][2] if i + n < n_tok else None
        if prev_tok is not None and text[tokens[i - 1][1]:start] == " ":
            if glues_here(prev_tok) and not prev_tok.isdigit():
                hit.reject = f"{_PART_OF}{_short(prev_tok)} {hit.text})"
        if next_tok is not None and not hit.reject and not possessive:
            if (text[end:tokens[i + n][0]] == " " and (not headline or glues_here(next_tok))
                    and norm_token(next_tok) not in GEO_SUFFIXES
                    and norm_token(next_tok) not in index.tkeys):
                hit.reject = f"{_PART_OF}{hit.text} {_short(next_tok)})"
        for k in range(i, i + n):
            matched[k] = True
        out.append(hit)
        i += n
    # "Lozovaya Rudka": two village names side by side with no comma are one name the
    # gazetteer lacks, not two places (lists always separate their members).
    if (len(out) == 2 and n_tok == 2 and not any(h.reject for h in out)
            and text[out[0].end:out[1].start] == " "
            and all(index.kind[c] == "settlement" for h in out for c in h.candidates)):
        for h in out:
            h.reject = f"part of a name the gazetteer lacks ({word})"
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
            out.append(Hit(start, end, surface, key, cands, match=_how(key, norms[k]),
                           match_score=score))
    return out


def _word_hits(text: str, run: re.Match, word: str, index: NameIndex) -> list[Hit]:
    """:func:`_run_hits` for a run of one word ("The", "Russian", "Pokrovsk"), most runs.

    The same steps as the general loop with one token (no neighbours to check).
    """
    norm = norm_token(word)
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
            possessive = POSSESSIVE_RE.search(last)
            if possessive and alias is None:
                end -= len(possessive.group(0))
            hit = Hit(start, end, text[start:end], key, cands,
                      match="alias" if alias is not None else "exact")
            if alias is not None:
                hit.cue, hit.cue_why = "oblast", ENTITY
            return [hit]
    if norm.endswith(_UNIT_ADJECTIVE_ENDS) and (units := index.tkeys.get(f"{norm} hromada")):
        # "Makarivska, Buchanska, Irpin": a community's adjective alone names the community.
        return [Hit(start, end, text[start:end], f"{norm} hromada", units, cue="raion",
                    cue_why="a community's name without the word")]
    fuzzy = _fuzzy(norm, index)
    if fuzzy is None:
        return []
    key, cands, score = fuzzy
    return [Hit(run.start(), run.end(), word, key, cands, match=_how(key, norm),
                match_score=score)]


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


#: Endings of a hromada's adjective (Makarivska, Horodnianska, Snovska).
_UNIT_ADJECTIVE_ENDS = ("ska", "tska", "zka")


@lru_cache(maxsize=4096)
def _word_re(word: str) -> re.Pattern:
    return re.compile(rf"(?<![\w{_APOS}-]){re.escape(word)}(?![\w-])")
