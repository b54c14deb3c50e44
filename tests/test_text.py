"""Sentence and paragraph spans."""

from __future__ import annotations

import pytest

from tracker.text import paragraphs, sentences


def split(text: str) -> list[str]:
    return [text[s:e] for s, e in sentences(text)]


def test_abbreviations_and_dates_do_not_split():
    text = ("A Ukrainian official on Aug. 6 denied it. Officials told the U.S.-funded Radio "
            "Liberty about Boarding School No. 38. Fighting continues.")
    assert split(text) == [
        "A Ukrainian official on Aug. 6 denied it.",
        "Officials told the U.S.-funded Radio Liberty about Boarding School No. 38.",
        "Fighting continues.",
    ]


def test_headlines_and_paragraphs_are_their_own_sentences():
    text = ("Russian offensive on Kharkiv region\nOn May 10, Russia launched an offensive. "
            "Battles continue.\n\nSecond paragraph without a full stop")
    assert split(text) == [
        "Russian offensive on Kharkiv region",
        "On May 10, Russia launched an offensive.",
        "Battles continue.",
        "Second paragraph without a full stop",
    ]


def test_hard_wrapped_lines_stay_one_sentence():
    text = ("The Russian army has established control over the village of Stepova Novoselivka\n"
            "in Kharkiv Oblast and over Novopokrovske in Donetsk Oblast, the statement said.\n")
    assert split(text) == [text.strip()]  # offsets keep the original line break


def test_spans_point_into_the_original_text_without_whitespace():
    text = "  First one.   Second one!\r\n\r\n  Third? \n"
    spans = sentences(text)
    assert [text[s:e] for s, e in spans] == ["First one.", "Second one!", "Third?"]
    assert all(not text[s].isspace() and not text[e - 1].isspace() for s, e in spans)
    assert spans == sorted(spans)


@pytest.mark.parametrize("text", ["", "   ", "\n\n\n"])
def test_empty_text(text):
    assert sentences(text) == []
    assert paragraphs(text) == []


def test_a_very_long_paragraph_is_cut_and_still_covered():
    sentence = "Heavy battles raged in Pokrovsk and northern Toretsk on Monday. "
    text = sentence * 400  # ~26 KB on one line
    spans = sentences(text)
    assert len(spans) == 400
    assert all(text[s:e] == sentence.strip() for s, e in spans)


def test_quotes_keep_their_closing_mark():
    text = '"As of now, Niu-York has not been taken," Kovalenko said. Fighting continues.'
    assert split(text)[-1] == "Fighting continues."


def test_blank_lines_end_a_headline_without_a_full_stop():
    text = ("\nThe Russian Defense Ministry announced the capture of two villages in eastern "
            "Ukraine\n\nThe army took control of them\n")
    assert split(text) == [
        "The Russian Defense Ministry announced the capture of two villages in eastern Ukraine",
        "The army took control of them"]


def test_paragraphs_break_on_blank_lines_and_sentence_ends():
    text = "One line ends here.\nNext line.\nwrapped continuation\n\n# Heading\nBody"
    assert [text[s:e] for s, e in paragraphs(text)] == [
        "One line ends here.", "Next line.\nwrapped continuation", "# Heading", "Body"]


def test_markdown_list_items_and_headings_are_separate():
    text = ("## Key takeaways\n"
            "Russian forces continued offensive operations along the whole front line\n"
            "- Russian forces captured Novoolenivka after weeks of fighting in the area west of "
            "it\n- Ukrainian forces counterattacked near Toretsk")
    assert split(text) == [
        "## Key takeaways",
        "Russian forces continued offensive operations along the whole front line",
        "- Russian forces captured Novoolenivka after weeks of fighting in the area west of it",
        "- Ukrainian forces counterattacked near Toretsk",
    ]
