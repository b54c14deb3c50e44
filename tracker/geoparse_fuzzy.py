"""Near spellings: a capitalised token that matches no gazetteer name exactly.

"Totretsk" is Toretsk (Damerau-Levenshtein distance over the gazetteer's keys, from
rapidfuzz), "Belopol" a transliteration variant of Bilopillia (the sound-folded
keys of :func:`tracker.geoparse_index.loose_key`), "Novhorod-Siversk" a two-word
name matched whole. Only tokens shaped like place names are tried (a toponymic
ending, a word English does not know, not a surname ending), and every answer is
memoised: the same tokens come back report after report.
"""

from __future__ import annotations

import re
from functools import lru_cache

from tracker.geoparse_index import NameIndex, loose_key
from tracker.geoparse_words import FUNCTION_WORDS, _zipf

__all__: list[str] = []

#: Two words joined by a hyphen or a space ("Novhorod-Siversk", "Velyka Novoselka").
_TWO_WORDS = re.compile(r"[^\W\d_]+[-\u2011 ][^\W\d_]+")
_FUZZY_SHAPE = re.compile(
    r"(?:sk|tsk|ka|ke|ne|ve|ye|ino|ovo|evo|pil|pol|pole|hrad|grad|horod|gorod|yar|dar|ets"
    r"|iv|ov|ove|ivske|iia|dy|ny|ky|ki|tsi|chi)$")
#: Endings Russian surnames share with Russian place forms (Gladkov, Kharkov) ...
_SURNAME_ENDINGS = ("ov", "ev")
#: ... and the endings of the place names those forms may be near spellings of.
_PLACE_ENDINGS_OF_OV = ("ov", "ev", "iv", "yiv")
#: Match score of a transliteration variant (the sound-folded key matched, not the spelling).
VARIANT_SCORE = 0.85
_NOT_FUZZY = re.compile(r"(?:enko|chuk|iuk|yuk|ych|vich|ski|sky|skyi|skiy|ova|eva|ina|yn|in)$")


def _fuzzy_compound(word: str, norms: list[str], index: NameIndex
                    ) -> tuple[str, tuple[int, ...], float] | None:
    """Match a misspelt two-word name as a whole ("Novhorod-Siversk", "Velyka Novoselka").

    Tried before its parts are read as two places, and kept only when the nearest
    spelling is itself a two-word name. Only for words shaped like a place name's end
    (so "Vladimir Putin" costs no search).
    """
    key = " ".join(norms)
    if (not _TWO_WORDS.fullmatch(word) or key in index.tkeys or len(key) < 10
            or not key.replace(" ", "").isascii() or not _FUZZY_SHAPE.search(norms[-1])):
        return None
    found = _nearest(key, index)
    return found if found is not None and " " in found[0] else None


def _how(key: str, token: str) -> str:
    """``"variant"`` when only the transliteration-folded key matched, else ``"fuzzy"``.

    A variant (Belopol for Bilopillia, Shumi for Shumy) spells the same sounds and is
    trusted like an exact name; an edit-distance match may be another word.
    """
    return "variant" if key == token else "fuzzy"


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
    if token.endswith(_SURNAME_ENDINGS):
        # "Gladkov" (a governor) is not the village Gladkoye or Gladkovo: a garbled place
        # name keeps its -ov/-ev ending (Chernigov, Kharkov); a surname's is what the
        # edit changes.
        best = [b for b in best if b[0].endswith(_PLACE_ENDINGS_OF_OV)]
    if not best:
        return None
    top = min(d for _, d, _ in best)
    keys = tuple(sorted(k for k, _, _ in best))
    # Names equally close all compete; the resolver picks by context.
    cands = tuple(sorted({pos for k in keys for pos in index.tkeys[k]}))
    return keys[0], cands, 1.0 - top / max(len(token), 1)


_FUZZY_INDEX: dict[int, NameIndex] = {}


def _nearest(key: str, index: NameIndex) -> tuple[str, tuple[int, ...], float] | None:
    """:func:`_fuzzy_cached` for ``index`` (registered so the cache can be keyed by its id)."""
    _FUZZY_INDEX[id(index)] = index
    return _fuzzy_cached(key, id(index))


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
        return (token, loose, VARIANT_SCORE) if loose is not None and len(loose) else None
    result = _nearest(token, index)
    if loose is not None and len(loose):
        if result is None:
            return token, loose, VARIANT_SCORE
        return result[0], tuple(sorted(set(result[1]) | set(loose))), result[2]
    return result
