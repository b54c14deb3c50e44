"""load_reports: folders, ids, duplicates, mixed batches."""

from __future__ import annotations

import datetime as dt
import json

from tracker.reports import load_reports, report_id


def _md(path, date, text, **fields):
    head = "".join(f"{k}: {v}\n" for k, v in fields.items())
    path.write_text(f"---\ndate: {date}\n{head}---\n{text}\n", encoding="utf-8")
    return path


def test_folders_are_walked_sorted_and_hidden_files_skipped(tmp_path):
    (tmp_path / "sub").mkdir()
    _md(tmp_path / "sub" / "b.md", "2025-05-21", "Second.")
    _md(tmp_path / "a.md", "2025-05-20", "First.")
    _md(tmp_path / ".hidden.md", "2025-05-20", "Hidden.")
    (tmp_path / "notes.docx").write_bytes(b"PK")
    result = load_reports(tmp_path)
    assert [r.text for r in result.reports] == ["First.", "Second."]
    assert result.skipped == [str(tmp_path / "notes.docx")]
    assert result.refused == []


def test_report_id_is_stable_and_given_ids_win(tmp_path):
    a = _md(tmp_path / "a.md", "2025-05-20", "Battles in Pokrovsk.", source="ISW")
    b = _md(tmp_path / "b.md", "2025-05-20", "Other text.", id="given-1")
    first = load_reports([a, b]).reports
    again = load_reports([a, b]).reports
    assert [r.id for r in first] == [r.id for r in again]
    assert first[0].id == report_id("ISW", dt.date(2025, 5, 20), "Battles in Pokrovsk.")
    assert first[1].id == "given-1"


def test_same_text_counted_once_across_formats(tmp_path):
    _md(tmp_path / "a.md", "2025-05-20", "Heavy battles raged in Pokrovsk.", source="A")
    (tmp_path / "b.jsonl").write_text(json.dumps(
        {"date": "2025-05-21", "source": "B", "text": "Heavy  battles raged\nin Pokrovsk."})
        + "\n" + json.dumps({"date": "2025-05-21", "text": "New text.", "id": "x"}) + "\n")
    _md(tmp_path / "c.md", "2025-05-22", "Another text.", id="x")
    result = load_reports([tmp_path])
    assert [r.text for r in result.reports] == ["Heavy battles raged in Pokrovsk.", "New text."]
    assert len(result.duplicates) == 2
    assert "repeats the text" in result.duplicates[0][1]
    assert "repeats the id" in result.duplicates[1][1]
    assert result.refused == []


def test_one_bad_file_does_not_stop_the_batch(tmp_path):
    _md(tmp_path / "a.md", "2025-05-20", "Good.")
    _md(tmp_path / "b.md", "2025-13-01", "Bad month.")
    (tmp_path / "c.md").write_bytes(b"\x00\x01")
    _md(tmp_path / "d.md", "2025-05-21", "Also good.")
    result = load_reports(tmp_path)
    assert [r.text for r in result.reports] == ["Good.", "Also good."]
    assert [p for p, _ in result.refused] == [str(tmp_path / "b.md"), str(tmp_path / "c.md")]


def test_real_corpus_loads_when_present():
    import pathlib

    import pytest

    corpus = pathlib.Path(__file__).resolve().parents[2] / "shared" / "corpus"
    if not corpus.is_dir():
        pytest.skip("../shared/corpus not present")
    result = load_reports(corpus)
    n_md = len(list(corpus.glob("*.md")))
    assert len(result.reports) + len(result.refused) + len(result.duplicates) >= n_md
    assert len(result.reports) >= n_md - 1
    assert all(r.date.year >= 2014 for r in result.reports)
