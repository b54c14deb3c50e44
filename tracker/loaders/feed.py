"""RSS and Atom feeds (files or URLs), parsed with feedparser; HTML becomes text.

Each entry becomes one Report: its ``id``/``guid`` (else a content hash), its
published (else updated) date, the feed's title as source, the entry's title and
link, and its content (else summary) with the HTML turned into plain text.
URLs are fetched with :func:`fetch` (timeout, User-Agent, size limit).
"""

from __future__ import annotations

import datetime as dt
import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import feedparser

from tracker.errors import ReportError
from tracker.loaders.base import MAX_BYTES, Item, Loader, make_report

#: Sent with every feed request.
USER_AGENT = "tracker/0.1 (front-line tracker; +https://pypi.org/project/feedparser/)"

_BLOCK = {"p", "br", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr",
          "blockquote", "section", "article", "header", "footer", "table", "pre", "hr"}
_SKIP = {"script", "style", "noscript", "template", "iframe", "object", "svg", "head"}


class FeedLoader(Loader):
    """Load an RSS or Atom feed, one report per entry."""

    name = "feed"
    suffixes = (".rss", ".atom", ".xml")

    def load(self, path: str | Path) -> Iterator[Item]:
        """Yield the entries of a feed file (bytes go to feedparser, which sniffs encodings)."""
        path = Path(path)
        try:
            size = path.stat().st_size
            if size > self.max_bytes:
                raise ReportError(
                    f"file is {size:,} bytes, larger than the {self.max_bytes:,}-byte limit",
                    path=path)
            data = path.read_bytes()
        except OSError as exc:
            raise ReportError(f"cannot read file: {exc.strerror or exc}", path=path) from None
        yield from self.load_bytes(data, str(path))

    def load_text(self, text: str, origin: str) -> Iterator[Item]:
        """Yield the entries of a feed given as text."""
        yield from self.load_bytes(text.encode("utf-8"), origin)

    def load_bytes(self, data: bytes, origin: str) -> Iterator[Item]:
        """Yield the entries of a feed document.

        A document that is not a feed (malformed XML with nothing recoverable)
        yields one ReportError; entries recovered from a malformed document load
        and the problem is reported as well.
        """
        parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
        entries = parsed.get("entries", [])
        problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
        malformed = problem is not None and not isinstance(
            problem, feedparser.CharacterEncodingOverride)
        if malformed or (not entries and not parsed.get("version")):
            line = getattr(problem, "getLineNumber", lambda: None)() if problem else None
            what = f"{problem}" if problem else "no RSS/Atom feed found"
            suffix = f" ({len(entries)} entries recovered)" if entries else ""
            yield ReportError(f"malformed feed: {what}{suffix}", path=origin, line=line)
        source = html_to_text(parsed.get("feed", {}).get("title", "")) or origin
        for number, entry in enumerate(entries, start=1):
            try:
                yield _report(entry, source, origin, number)
            except ReportError as exc:
                yield exc


def fetch(url: str, *, timeout: float = 20.0, max_bytes: int = MAX_BYTES,
          user_agent: str = USER_AGENT) -> bytes:
    """Fetch a feed over HTTP(S) with a timeout, a User-Agent and a size limit.

    Parameters
    ----------
    url : str
        The feed URL.
    timeout : float
        Seconds to wait for the connection and for each read.
    max_bytes : int
        Refuse responses larger than this.
    user_agent : str
        The ``User-Agent`` header.

    Returns
    -------
    bytes
        The response body.

    Raises
    ------
    ReportError
        Naming the URL and the HTTP status, timeout or network error.
    """
    request = urllib.request.Request(url, headers={"User-Agent": user_agent,
                                                   "Accept": "application/rss+xml, "
                                                   "application/atom+xml, application/xml, */*"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            data = response.read(max_bytes + 1)
    except urllib.error.HTTPError as exc:
        raise ReportError(f"feed fetch failed: HTTP {exc.code} {exc.reason}", path=url) from None
    except (TimeoutError, urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        if isinstance(reason, TimeoutError) or isinstance(exc, TimeoutError):
            reason = f"timed out after {timeout:g} s"
        raise ReportError(f"feed fetch failed: {reason}", path=url) from None
    if len(data) > max_bytes:
        raise ReportError(f"feed is larger than the {max_bytes:,}-byte limit", path=url)
    return data


def html_to_text(markup: str) -> str:
    r"""Turn an HTML fragment into plain text: tags dropped, entities decoded, scripts removed.

    Examples
    --------
    >>> html_to_text("<p>Battles in <b>Pokrovsk</b> &amp; Toretsk.</p><script>alert(1)</script>")
    'Battles in Pokrovsk & Toretsk.'
    >>> html_to_text("<p>One.</p><p>Two.</p>")
    'One.\nTwo.'
    """
    if "<" not in markup and "&" not in markup:
        return markup.strip()
    parser = _TextParser()
    parser.feed(markup)
    parser.close()
    lines = (re.sub(r"[ \t\r\f\v\u00a0]+", " ", line).strip()
             for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in _SKIP:
            self.skipping += 1
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:  # HTML whitespace (newlines included) is one space
            self.parts.append(re.sub(r"\s+", " ", data))


def _report(entry, source: str, origin: str, number: int):
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    raw_date = entry.get("published") or entry.get("updated") or entry.get("date")
    if stamp is not None:
        date: object = dt.date(stamp.tm_year, stamp.tm_mon, stamp.tm_mday)
    else:
        date = raw_date  # parse_date names it in the error (or says it is missing)
    content = entry.get("content") or []
    body = content[0].get("value", "") if content else entry.get("summary", "")
    title = html_to_text(entry.get("title", ""))
    fields = {
        "date": date,
        "source": source,
        "title": title,
        "url": entry.get("link", ""),
        "id": entry.get("id", ""),
    }
    text = html_to_text(body) or title
    return make_report(fields, origin=origin, line=number, text=text)
