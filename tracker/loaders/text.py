"""Plain-text and Markdown reports with YAML front matter.

::

    ---
    date: 2025-05-20
    source: ISW
    title: Russian Offensive Campaign Assessment
    url: https://example.org/a
    id: isw-2025-05-20
    ---
    Russian forces advanced near Pokrovsk...
"""

from __future__ import annotations

from collections.abc import Iterator

import yaml

from tracker.errors import ReportError
from tracker.loaders.base import Item, Loader, make_report

_FENCE = "---"
#: libyaml's parser when PyYAML was built with it (20x faster), else the pure-Python one;
#: BaseLoader keeps every value a string, so dates are parsed (and checked) by us.
_YAML_LOADER = getattr(yaml, "CBaseLoader", yaml.BaseLoader)


class TextLoader(Loader):
    """Load one ``.txt``/``.md`` report whose front matter carries its date."""

    name = "text"
    suffixes = (".txt", ".md", ".markdown")

    def load_text(self, text: str, origin: str) -> Iterator[Item]:
        """Yield the one report of the file, or the error that refused it."""
        try:
            fields, lines, body = _front_matter(text, origin)
            yield make_report(fields, origin=origin, line=lines.get("date", 1), text=body)
        except ReportError as exc:
            yield exc


def _front_matter(text: str, origin: str) -> tuple[dict, dict, str]:
    """Split ``text`` into (front-matter fields, their 1-based lines, body)."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != _FENCE:
        raise ReportError(
            "no front matter: start the file with '---', 'date: YYYY-MM-DD', '---'",
            path=origin, line=1,
        )
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in (_FENCE, "...")), None)
    if end is None:
        raise ReportError("front matter is not closed by a '---' line", path=origin, line=1)
    header = "".join(lines[1:end])
    try:
        node = yaml.compose(header, Loader=_YAML_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc)
        raise ReportError(f"front matter is not valid YAML: {problem}", path=origin,
                          line=line) from None
    if node is None:
        return {}, {}, "".join(lines[end + 1:])
    if not isinstance(node, yaml.MappingNode):
        raise ReportError("front matter is not a mapping of 'key: value' lines", path=origin,
                          line=2)
    fields: dict[str, object] = {}
    where: dict[str, int] = {}
    for key, value in node.value:
        name = str(key.value).strip().lower()
        where[name] = key.start_mark.line + 2  # +1 for 1-based, +1 for the opening fence
        fields[name] = value.value if isinstance(value, yaml.ScalarNode) else None
    return fields, where, "".join(lines[end + 1:])
