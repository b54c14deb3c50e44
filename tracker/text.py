"""Sentence and paragraph spans of a report's text.

Events are classified per sentence, so the sentence boundaries must be right on
news prose full of abbreviations ("Aug. 6", "U.S.-funded", "No. 38"), quotes
and headlines without a full stop. The splitting itself is done by pysbd, a
maintained rule-based sentence boundary detector (the Golden Rules of sentence
segmentation), which needs no model download.

pysbd is slow on very long blocks (its regexes are superlinear), so the text is
first cut into paragraphs (blank lines, and line breaks after a full stop or
after a heading-like line), over-long paragraphs are cut again at obvious
sentence ends, and one cached segmenter is reused. Offsets always point into
the original text, so ``text[start:end]`` is the sentence.
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["paragraphs", "sentences"]

#: Paragraphs longer than this are pre-cut at obvious sentence ends before pysbd sees them
#: (pysbd slows down on long blocks: 600 instead of 2000 characters saves ~40% per MB).
_MAX_BLOCK = 600

_TERMINAL = re.compile(r"[.!?:;\"'”’»)\]]\s*$")
_MARKUP_START = re.compile(r"^\s*(?:[#>*+-]|\d+[.)]\s|[A-Z\"“«(\[])")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+•>]|\d+[.)])\s")
_LOWER_START = re.compile(r"^\s*[a-z]")
_HARD_CUT = re.compile(r"(?<=[.!?])[\"'”’»)]?\s+(?=[\"“«(\[]?[A-Z0-9])")


def sentences(text: str) -> list[tuple[int, int]]:
    r"""Return the character spans of the sentences of ``text``.

    Parameters
    ----------
    text : str
        Report text (plain text or Markdown body).

    Returns
    -------
    list of tuple of int
        ``(start, end)`` offsets into ``text``, in order, not overlapping, with
        surrounding whitespace excluded; empty sentences are dropped.

    Examples
    --------
    >>> text = "Heavy battles raged in Pokrovsk. ISW said on Aug. 5 that Russia advanced."
    >>> [text[s:e] for s, e in sentences(text)]
    ['Heavy battles raged in Pokrovsk.', 'ISW said on Aug. 5 that Russia advanced.']
    >>> text = "Russian offensive on Kharkiv region\nOn May 10, Russia launched an offensive."
    >>> [text[s:e] for s, e in sentences(text)]
    ['Russian offensive on Kharkiv region', 'On May 10, Russia launched an offensive.']
    >>> sentences("")
    []
    """
    spans: list[tuple[int, int]] = []
    for block_start, block_end in paragraphs(text):
        for start, end in _chunks(text, block_start, block_end):
            spans.extend(_segment(text, start, end))
    return spans


def paragraphs(text: str) -> list[tuple[int, int]]:
    r"""Return the character spans of the paragraphs (blocks) of ``text``.

    A blank line always ends a paragraph. A single line break ends one when the
    line before ends a sentence (full stop, quote, colon...) or looks like a
    heading (a short line), and the next line does not start in lower case;
    otherwise the break is a hard wrap inside a sentence and the lines are kept
    together.

    Parameters
    ----------
    text : str
        Report text.

    Returns
    -------
    list of tuple of int
        ``(start, end)`` offsets, surrounding whitespace excluded.

    Examples
    --------
    >>> text = "Title line\nFirst para\ncontinues here.\n\nSecond para."
    >>> [text[s:e] for s, e in paragraphs(text)]
    ['Title line', 'First para\ncontinues here.', 'Second para.']
    """
    spans: list[tuple[int, int]] = []
    lines = []
    cursor = 0
    for line in text.split("\n"):
        lines.append((cursor, cursor + len(line)))
        cursor += len(line) + 1
    block: list[tuple[int, int]] = []

    def flush() -> None:
        if block:
            start, end = _strip(text, block[0][0], block[-1][1])
            if end > start:
                spans.append((start, end))
            block.clear()

    previous = ""
    for start, end in lines:
        line = text[start:end]
        if not line.strip():
            flush()
            previous = ""
            continue
        if block and _breaks(previous, line):
            flush()
        block.append((start, end))
        previous = line
    flush()
    return spans


def _breaks(previous: str, line: str) -> bool:
    """Whether a single line break between ``previous`` and ``line`` ends a paragraph."""
    if _LIST_ITEM.match(line) or previous.lstrip().startswith("#"):
        return True  # a Markdown list item or the line after a heading
    if _LOWER_START.match(line):
        return False
    if _TERMINAL.search(previous):
        return True
    heading_like = len(previous.strip()) < 60 and not previous.rstrip().endswith(
        (",", "-", "–", "—"))
    return heading_like and bool(_MARKUP_START.match(line))


def _chunks(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Cut an over-long paragraph at obvious sentence ends into pieces of bounded length."""
    if end - start <= _MAX_BLOCK:
        return [(start, end)]
    pieces: list[tuple[int, int]] = []
    piece_start = start
    last_cut = None
    for match in _HARD_CUT.finditer(text, start, end):
        cut = match.start()
        if cut - piece_start > _MAX_BLOCK and last_cut is not None and last_cut > piece_start:
            pieces.append((piece_start, last_cut))
            piece_start = last_cut
        last_cut = match.end()
    pieces.append((piece_start, end))
    return pieces


def _segment(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split ``text[start:end]`` with pysbd and map its segments back to offsets."""
    # Line breaks left inside a paragraph are hard wraps (paragraphs() decided), and pysbd
    # would split at each one; spaces keep every offset in place.
    chunk = text[start:end].replace("\r", " ").replace("\n", " ")
    spans: list[tuple[int, int]] = []
    cursor = 0
    for segment in _segmenter().segment(chunk):
        stripped = segment.strip()
        if not stripped:
            continue
        found = chunk.find(stripped, cursor)
        if found < 0:  # pysbd altered the text (should not happen with clean=False)
            return [_strip(text, start, end)]
        spans.append((start + found, start + found + len(stripped)))
        cursor = found + len(stripped)
    return spans


@lru_cache(maxsize=1)
def _segmenter():
    """Return the process-wide pysbd segmenter (building one costs ~10 ms)."""
    import pysbd

    return pysbd.Segmenter(language="en", clean=False, char_span=False)


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink ``(start, end)`` so the span has no leading or trailing whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
