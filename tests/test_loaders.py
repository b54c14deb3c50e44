"""Each report format: what loads, what is refused and how the message reads."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tracker.errors import ReportError
from tracker.loaders import LOADERS, AcledLoader, CsvLoader, loader_for
from tracker.loaders.base import parse_date
from tracker.loaders.feed import FeedLoader, html_to_text
from tracker.reports import load_reports


def _write(path, text, encoding="utf-8"):
    path.write_text(text, encoding=encoding)
    return path


def test_registry_names_every_format():
    assert set(LOADERS) == {"text", "jsonl", "csv", "acled", "feed"}
    assert all(LOADERS[name].name == name for name in LOADERS)


def test_text_front_matter(tmp_path):
    f = _write(tmp_path / "a.md", "---\ndate: 2025-05-20\nsource: \"ISW\"\ntitle: Assessment\n"
               "url: https://example.org/a\nid: isw-1\n---\nHeavy battles raged in Pokrovsk.\n")
    [r] = load_reports([f]).reports
    assert (r.id, r.date, r.source, r.title, r.url) == (
        "isw-1", dt.date(2025, 5, 20), "ISW", "Assessment", "https://example.org/a")
    assert r.text == "Heavy battles raged in Pokrovsk."
    assert r.path == str(f)


def test_text_iso_datetime_and_bom(tmp_path):
    f = _write(tmp_path / "a.txt", "\ufeff---\ndate: 2025-05-20T22:15:00+03:00\n---\nText.\n")
    [r] = load_reports([f]).reports
    assert r.date == dt.date(2025, 5, 20)
    assert r.id.startswith("r") and len(r.id) == 17


@pytest.mark.parametrize(
    ("header", "line", "message"),
    [
        ("source: x\ndate: 2025-13-01\n", 3, "date '2025-13-01' is not a valid YYYY-MM-DD date"),
        ("date: yesterday\n", 2, "date 'yesterday' is not YYYY-MM-DD or an ISO 8601 datetime"),
        ("source: x\n", 1, "no date"),
        ("date: 2025-02-30\n", 2, "day is out of range for month"),
    ],
)
def test_text_bad_date_names_file_and_line(tmp_path, header, line, message):
    f = _write(tmp_path / "bad.md", f"---\n{header}---\nText.\n")
    result = load_reports([f])
    assert result.reports == []
    [(path, text)] = result.refused
    assert path == str(f)
    assert text.startswith(f"{f}:{line}: ")
    assert message in text


def test_text_without_front_matter_is_refused(tmp_path):
    f = _write(tmp_path / "plain.txt", "Just text, no date.\n")
    [(_, message)] = load_reports([f]).refused
    assert message == f"{f}:1: no front matter: start the file with '---', " \
                      "'date: YYYY-MM-DD', '---'"


def test_text_bad_yaml(tmp_path):
    f = _write(tmp_path / "y.md", "---\ndate: 2025-05-20\ntitle: [unclosed\n---\nText.\n")
    [(_, message)] = load_reports([f]).refused
    assert message.startswith(f"{f}:") and "not valid YAML" in message


def test_jsonl_loads_good_lines_and_refuses_bad_ones(tmp_path):
    lines = [
        {"date": "2025-05-20", "text": "Battles in Toretsk.", "source": "ISW", "id": "j1"},
        "not json",
        {"date": "2025-13-01", "text": "Bad month."},
        {"text": "No date."},
        {"date": "2025-05-21", "text": "Strike on Kharkiv.", "url": "https://x.org/2"},
        [1, 2],
    ]
    body = "\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n\n"
    f = _write(tmp_path / "r.jsonl", body)
    result = load_reports([f])
    assert [r.text for r in result.reports] == ["Battles in Toretsk.", "Strike on Kharkiv."]
    assert result.reports[0].id == "j1"
    assert result.reports[1].url == "https://x.org/2"
    messages = [m for _, m in result.refused]
    assert messages[0].startswith(f"{f}:2: not valid JSON")
    assert messages[1] == (f"{f}:3: date '2025-13-01' is not a valid YYYY-MM-DD date "
                           "(month must be in 1..12)")
    assert messages[2].startswith(f"{f}:4: no date")
    assert messages[3] == f"{f}:6: expected a JSON object, got list"


def test_csv_with_optional_columns_and_multiline_text(tmp_path):
    f = _write(tmp_path / "r.csv",
               'date,text,source,title\n2025-05-20,"Battles in\nPokrovsk.",ISW,T1\n'
               "2025-99-01,Bad.,ISW,T2\n,No date.,ISW,T3\n")
    result = load_reports([f])
    assert isinstance(loader_for(f), CsvLoader)
    [r] = result.reports
    assert (r.source, r.title, r.text) == ("ISW", "T1", "Battles in\nPokrovsk.")
    # the bad row starts on line 4 because the first record spans lines 2-3
    assert [m for _, m in result.refused] == [
        f"{f}:4: date '2025-99-01' is not a valid YYYY-MM-DD date (month must be in 1..12)",
        f"{f}:5: no date: every report needs a date (YYYY-MM-DD)",
    ]


def test_csv_without_text_column_is_refused(tmp_path):
    f = _write(tmp_path / "r.csv", "date,body\n2025-05-20,x\n")
    [(_, message)] = load_reports([f]).refused
    assert message == f"{f}:1: CSV header lacks column(s) text; found: date, body"


ACLED_HEADER = ("event_id_cnty,event_date,year,disorder_type,event_type,sub_event_type,actor1,"
                "actor2,country,admin1,location,latitude,longitude,geo_precision,source,notes\n")


def test_acled_export_rows_keep_their_fields(tmp_path):
    f = _write(tmp_path / "acled.csv", ACLED_HEADER
               + 'UKR123,2024-05-15,2024,Political violence,Battles,Armed clash,'
               'Military Forces of Russia (2000-),Military Forces of Ukraine (2019-),Ukraine,'
               'Donetsk,Pokrovsk,48.2833,37.1833,1,Ukrinform,"On 15 May 2024, clashes near '
               'Pokrovsk."\n'
               "UKR124,15 May 2024,2024,Political violence,Explosions/Remote violence,"
               "Shelling/artillery/missile attack,Military Forces of Russia (2000-),,Ukraine,"
               "Kharkiv,Vovchansk,50.29,36.94,1,Suspilne,\n"
               "UKR125,2024-05-16,2024,x,Battles,Armed clash,a,b,Ukraine,Donetsk,X,north,37.1,1,"
               "s,n\n")
    assert isinstance(loader_for(f), AcledLoader)
    result = load_reports([f])
    first, second = result.reports
    assert first.id == "acled:UKR123"
    assert first.date == dt.date(2024, 5, 15)
    assert first.source == "Ukrinform"
    assert first.text == "On 15 May 2024, clashes near Pokrovsk."
    assert first.extra["latitude"] == "48.2833" and first.extra["event_type"] == "Battles"
    assert first.extra["actor1"] == "Military Forces of Russia (2000-)"
    assert first.extra["acled"] is True  # the pipeline's marker for rows that are events
    # empty notes fall back to a title built from type and place
    assert second.text == "Explosions/Remote violence / Shelling/artillery/missile attack in " \
                          "Vovchansk, Kharkiv"
    assert second.date == dt.date(2024, 5, 15)
    assert result.refused == [(str(f), f"{f}:4: latitude 'north' is not a number")]


RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Front News</title><link>https://news.example</link>
<item><guid>n-1</guid><title>Battles near Pokrovsk</title><link>https://news.example/1</link>
<pubDate>Tue, 20 May 2025 08:00:00 GMT</pubDate>
<description>&lt;p&gt;Heavy battles raged in &lt;b&gt;Pokrovsk&lt;/b&gt;
&amp;amp; Toretsk.&lt;/p&gt;
&lt;script&gt;alert(1)&lt;/script&gt;</description></item>
<item><guid>n-2</guid><title>Undated</title><description>No date here.</description></item>
</channel></rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Front</title><id>urn:x</id>
<updated>2025-05-21T10:00:00Z</updated>
<entry><id>urn:a1</id><title>Strike</title><updated>2025-05-21T10:00:00Z</updated>
<link href="https://atom.example/a1"/>
<content type="html">&lt;div&gt;A drone strike hit Kharkiv.&lt;/div&gt;</content></entry>
</feed>
"""


def test_rss_entries_become_reports_with_html_as_text(tmp_path):
    f = _write(tmp_path / "news.rss", RSS)
    result = load_reports([f])
    [r] = result.reports
    assert (r.id, r.date, r.source, r.title, r.url) == (
        "n-1", dt.date(2025, 5, 20), "Front News", "Battles near Pokrovsk", "https://news.example/1")
    assert r.text == "Heavy battles raged in Pokrovsk & Toretsk."
    [(_, message)] = result.refused
    assert message.startswith(f"{f}:2: no date")


def test_atom_feed(tmp_path):
    f = _write(tmp_path / "feed.atom", ATOM)
    [r] = load_reports([f]).reports
    assert (r.id, r.date, r.text, r.url) == (
        "urn:a1", dt.date(2025, 5, 21), "A drone strike hit Kharkiv.", "https://atom.example/a1")


def test_malformed_feed_is_refused():
    items = list(FeedLoader().load_bytes(b"<rss><channel><item><title>x</ti", "http://h/f"))
    errors = [i for i in items if isinstance(i, ReportError)]
    assert errors and str(errors[0]).startswith("http://h/f")
    assert "malformed feed" in str(errors[0])


def test_not_a_feed_is_refused():
    [error] = list(FeedLoader().load_bytes(b"hello world", "notes.xml"))
    assert isinstance(error, ReportError) and "malformed feed" in str(error)


def test_html_to_text_drops_markup_and_scripts():
    assert html_to_text("<style>p{}</style><p>A&nbsp;b</p><ul><li>c</li><li>d</li></ul>") \
        == "A b\nc\nd"


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2025-05-20", dt.date(2025, 5, 20)), ("2025-05-20T01:02:03Z", dt.date(2025, 5, 20)),
     ("2025-05-20 23:59", dt.date(2025, 5, 20)), ("20 May 2025", dt.date(2025, 5, 20)),
     (dt.datetime(2025, 5, 20, 3), dt.date(2025, 5, 20))],
)
def test_parse_date_accepts(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", ["2025-13-01", "2025-00-10", "20250520x", "May", "0000-01-01"])
def test_parse_date_rejects_with_value(value):
    with pytest.raises(ReportError, match=f"'{value}'"):
        parse_date(value, path="a.md", line=2)


def test_binary_file_is_refused_with_line(tmp_path):
    f = tmp_path / "img.md"
    f.write_bytes(b"---\ndate: 2025-05-20\n---\n\x89PNG\x00\x00")
    [(_, message)] = load_reports([f]).refused
    assert message == f"{f}:4: binary file (NUL byte at offset 29), not UTF-8 text"


def test_non_utf8_file_is_refused(tmp_path):
    f = tmp_path / "latin.txt"
    f.write_bytes("---\ndate: 2025-05-20\n---\nKiïv\n".encode("latin-1"))
    [(_, message)] = load_reports([f]).refused
    assert message.startswith(f"{f}:4: not UTF-8 text (byte 0xef")


def test_oversized_file_is_refused_and_the_rest_proceed(tmp_path):
    big = _write(tmp_path / "big.md", "---\ndate: 2025-05-20\n---\n" + "x" * 5000)
    ok = _write(tmp_path / "ok.md", "---\ndate: 2025-05-20\n---\nSmall.\n")
    result = load_reports([tmp_path], max_bytes=1000)
    assert [r.text for r in result.reports] == ["Small."]
    assert result.refused == [(str(big), f"{big}: file is 5,025 bytes, larger than the "
                                          "1,000-byte limit")]
    assert ok.exists()


def test_missing_and_unsupported_files(tmp_path):
    doc = tmp_path / "a.docx"
    doc.write_bytes(b"PK")
    result = load_reports([tmp_path / "missing.md", doc])
    messages = [m for _, m in result.refused]
    assert messages[0].startswith(f"{tmp_path / 'missing.md'}: cannot read file")
    assert messages[1].startswith(f"{doc}: unsupported file type '.docx'")


def test_lone_surrogates_are_refused_not_stored(tmp_path):
    f = _write(tmp_path / "s.jsonl", '{"date": "2025-05-20", "text": "bad \\ud800 text"}\n'
               '{"date": "2025-05-20", "text": "good text", "source": "\\udfff"}\n'
               '{"date": "2025-05-20", "text": "fine"}\n')
    result = load_reports([f])
    assert [r.text for r in result.reports] == ["fine"]
    assert [m for _, m in result.refused] == [
        f"{f}:1: text is not valid Unicode (lone surrogate at character 4)",
        f"{f}:2: source is not valid Unicode (lone surrogate at character 0)"]
