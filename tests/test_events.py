"""Events from hand-built mentions: types, actors, claims, negation, modality, relations."""

from __future__ import annotations

import datetime as dt
import importlib.util
import re

import pytest
from pyproj import Geod

from tests.conftest import ROOT, shared_path
from tracker.events import extract_events
from tracker.models import Mention, Place, Report

PLACES = {
    "Pokrovsk": Place("t:pokrovsk", "Pokrovsk", "settlement", "Donetsk", "UA", 48.28014, 37.17706,
                      60127),
    "Toretsk": Place("t:toretsk", "Toretsk", "settlement", "Donetsk", "UA", 48.39776, 37.847),
    "Druzhba": Place("t:druzhba", "Druzhba", "settlement", "Donetsk", "UA", 48.38, 37.89),
    "Novoselivka": Place("t:novoselivka", "Novoselivka", "settlement", "Donetsk", "UA", 48.05,
                         37.55),
    "Sudzha": Place("t:sudzha", "Sudzha", "settlement", "Kursk", "RU", 51.19, 35.27),
    "Istanbul": Place("t:istanbul", "Istanbul", "settlement", "", "TR", 41.01, 28.95),
    "Türkiye": Place("country:TR", "Turkey", "country", "", "TR", 39.0, 35.0, 0, 4),
    "Ukraine": Place("country:UA", "Ukraine", "country", "", "UA", 49.0, 32.0, 0, 4),
    "Russia": Place("country:RU", "Russia", "country", "", "RU", 60.0, 100.0, 0, 4),
    "Donetsk region": Place("admin1:Donetsk", "Donetsk Oblast", "oblast", "Donetsk", "UA", 48.0,
                            37.8, 0, 3),
    "Donetsk": Place("admin1:Donetsk", "Donetsk Oblast", "oblast", "Donetsk", "UA", 48.0, 37.8, 0,
                     3),
}


def run(text: str, *, report_id: str = "r1", source: str = "test", url: str = ""):
    """Events of ``text`` with every known place name turned into a mention by hand."""
    mentions = []
    taken: list[tuple[int, int]] = []
    for name in sorted(PLACES, key=len, reverse=True):
        for match in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text):
            if any(match.start() < e and s < match.end() for s, e in taken):
                continue
            taken.append((match.start(), match.end()))
            mentions.append(Mention(match.start(), match.end(), name, PLACES[name], 0.9))
    report = Report(report_id, dt.date(2025, 5, 20), source, text, url=url)
    return extract_events(report, sorted(mentions, key=lambda m: m.start))


def one(text: str, place: str = "Pokrovsk", **kwargs):
    """The single event of ``place`` in ``text``."""
    events = [e for e in run(text, **kwargs) if e.place.name == PLACES[place].name]
    assert len(events) == 1, events
    return events[0]


# --------------------------------------------------------------------------- event types
@pytest.mark.parametrize(
    ("text", "place", "event_type", "actor", "control"),
    [
        ("Heavy battles raged in Pokrovsk.", "Pokrovsk", "battle", "unknown", "contested"),
        ("Russian forces attacked Ukrainian positions near Toretsk.", "Toretsk", "battle", "RU",
         "contested"),
        ("Russian troops advanced toward Pokrovsk.", "Pokrovsk", "advance", "RU", "unknown"),
        ("Russian forces captured Novoselivka.", "Novoselivka", "capture", "RU", "RU"),
        ("The Russian army has established control over Novoselivka.", "Novoselivka", "capture",
         "RU", "RU"),
        ("Ukrainian forces liberated Novoselivka.", "Novoselivka", "liberation", "UA", "UA"),
        ("Ukrainian troops recaptured Novoselivka after a week of fighting.", "Novoselivka",
         "liberation", "UA", "UA"),
        ("Ukrainian troops withdrew from Novoselivka to better positions.", "Novoselivka",
         "withdrawal", "UA", "RU"),
        ("Russian drones struck Pokrovsk overnight.", "Pokrovsk", "strike", "RU", "unknown"),
        ("As a result of Russian shelling in Pokrovsk, 22 people were injured.", "Pokrovsk",
         "strike", "RU", "unknown"),
        ("Delegations continued negotiations in Istanbul on Friday.", "Istanbul", "negotiation",
         "unknown", "unknown"),
        ("Pokrovsk is a key logistics hub.", "Pokrovsk", "mention", "unknown", "unknown"),
    ],
)
def test_event_types(text, place, event_type, actor, control):
    event = one(text, place)
    assert (event.event_type, event.actor, event.control) == (event_type, actor, control)


def test_country_in_negotiation_sentence_is_a_negotiation():
    event = one("In talks with Ukrainian officials in Türkiye last week, Russia made a cease-fire "
                "conditional on the withdrawal of Kyiv's forces.", "Türkiye")
    assert event.event_type == "negotiation"
    assert event.acled_event_type == "Strategic developments"


def test_evacuation_is_a_mention_even_beside_a_capture():
    events = {e.place.name: e for e in run(
        "Officials said Russian troops had occupied a number of settlements and announced the "
        "evacuation of Pokrovsk.")}
    assert events["Pokrovsk"].event_type == "mention"


# --------------------------------------------------------------------------- Russian framing
def test_russian_mod_liberated_in_ukraine_is_a_russian_capture():
    event = one("Russia's defence ministry said its forces had liberated Novoselivka.",
                "Novoselivka")
    assert (event.event_type, event.actor, event.claim, event.control) == (
        "capture", "RU", "claimed", "RU")
    assert event.acled_sub_event_type == "Non-state actor overtakes territory"


def test_russian_liberation_of_russian_village_is_a_liberation():
    event = one("On October 11, the Russian forces liberated the village of Sudzha.", "Sudzha")
    assert (event.event_type, event.actor, event.control) == ("liberation", "RU", "RU")
    assert event.acled_sub_event_type == "Government regains territory"


def test_capture_announced_by_the_ministry_takes_its_side_as_actor():
    event = one("The Russian Defense Ministry announced the capture of Novoselivka.",
                "Novoselivka")
    assert (event.event_type, event.actor, event.claim) == ("capture", "RU", "claimed")


def test_ukrainian_capture_in_ukraine_is_a_liberation():
    event = one("Ukrainian forces captured Novoselivka back.", "Novoselivka")
    assert event.event_type == "liberation"
    assert event.acled_sub_event_type == "Government regains territory"


# --------------------------------------------------------------------------- negation, modality
@pytest.mark.parametrize(
    "text",
    [
        "Russian forces did not capture Pokrovsk.",
        "As of now, Pokrovsk has not been taken by Russia.",
        "Russia never captured Pokrovsk.",
    ],
)
def test_negated_captures_are_not_captures(text):
    assert one(text).event_type not in ("capture", "liberation")


def test_failed_capture_is_a_battle():
    event = one("Russian forces failed to capture Pokrovsk.")
    assert (event.event_type, event.actor) == ("battle", "RU")


@pytest.mark.parametrize(
    "text",
    [
        "Russia can therefore try to grasp as much territory as possible around Pokrovsk.",
        "Its capture would compromise Ukraine's defence of Pokrovsk.",
        "If Russian forces capture Pokrovsk, the road to the west opens.",
        "Russia wants control of all parts of Donetsk.",
        "Russia could capture Pokrovsk this summer.",
        "The capture of Pokrovsk remains a key military objective for Moscow.",
    ],
)
def test_hypothetical_captures_are_not_captures(text):
    for event in run(text):
        assert event.event_type not in ("capture", "liberation", "advance"), event


def test_conditional_withdrawal_is_not_a_withdrawal():
    events = run("Russia made a cease-fire conditional on the withdrawal of Kyiv's forces from "
                 "the Donetsk region.")
    [event] = [e for e in events if e.place.kind == "oblast"]
    assert event.event_type in ("negotiation", "mention")


def test_threat_of_measures_is_not_a_capture():
    events = run("Trump threatened to impose new measures on Russia if it did not implement a "
                 "cease-fire in Ukraine.")
    assert all(e.event_type not in ("capture", "withdrawal", "strike") for e in events)


def test_date_may_is_not_a_modal():
    event = one("On May 10, Russia launched a new offensive near Pokrovsk.")
    assert (event.event_type, event.actor) == ("battle", "RU")


# --------------------------------------------------------------------------- claims
def test_denied_capture_keeps_the_type_and_marks_control_contested():
    event = one("A Ukrainian official denied that Russia captured the village of Novoselivka.",
                "Novoselivka")
    assert (event.event_type, event.actor, event.claim, event.control) == (
        "capture", "RU", "denied", "contested")


@pytest.mark.parametrize(
    "text",
    [
        "ISW assessed that Russian forces advanced in Toretsk.",
        "Geolocated footage indicates that Russian forces advanced in Toretsk.",
    ],
)
def test_assessed(text):
    event = one(text, "Toretsk")
    assert (event.event_type, event.actor, event.claim) == ("advance", "RU", "assessed")


def test_reported_by_the_media_stays_reported_and_a_spokesperson_claims():
    assert one("Heavy fighting continues in Pokrovsk, Reuters reported.").claim == "reported"
    assert one("Heavy fighting continues in Pokrovsk, a military spokesperson said.").claim == (
        "claimed")
    assert one("Moscow claims its troops entered Pokrovsk.").claim == "claimed"


# --------------------------------------------------------------------------- conflicting actors
def test_repelled_attacks_belong_to_the_attacker():
    event = one("Ukrainian troops repelled 11 Russian attacks near Toretsk.", "Toretsk")
    assert (event.event_type, event.actor) == ("battle", "RU")


def test_object_side_is_not_the_actor():
    event = one("The Russians carried out 30 attacks on Ukrainian positions in Toretsk.",
                "Toretsk")
    assert event.actor == "RU"


def test_passive_agent_wins():
    event = one("Ukrainian soldiers near Pokrovsk are at risk of encirclement by Russian forces.")
    assert (event.event_type, event.actor) == ("battle", "RU")


def test_enemy_depends_on_the_source_side():
    ua = one("The enemy attacked Pokrovsk.", source="Ukrainian General Staff")
    ru = one("The enemy attacked Pokrovsk.", source="https://tass.com/defense/1")
    assert (ua.actor, ru.actor) == ("RU", "UA")


# --------------------------------------------------------------------------- places and relations
def test_metonymic_country_gets_no_event_but_locative_one_does():
    events = run("Russia launched an offensive in eastern Ukraine.")
    names = {e.place.name for e in events}
    assert names == {"Ukraine"}
    assert events[0].relation == "eastern part of Ukraine"


def test_offset_relation_moves_the_point_geodesically():
    event = one("Fighting was reported 5 km southwest of Pokrovsk.")
    assert event.relation == "5 km SW of Pokrovsk"
    assert event.geo_precision == 2
    azimuth, _, metres = Geod(ellps="WGS84").inv(37.17706, 48.28014, event.longitude,
                                                 event.latitude)
    assert metres == pytest.approx(5000, abs=1)
    assert azimuth % 360 == pytest.approx(225, abs=0.01)


def test_relation_of_a_named_place_describes_it_and_does_not_move_the_anchor():
    events = {e.place.name: e for e in run(
        "ISW pointed to geolocated footage of Russian forces in Druzhba east of Toretsk.")}
    assert events["Druzhba"].relation == "E of Toretsk"
    assert events["Toretsk"].relation == ""
    assert (events["Toretsk"].latitude, events["Toretsk"].longitude) == (48.39776, 37.847)


def test_capture_near_a_place_is_an_advance_near_it():
    event = one("Russian forces captured positions near Pokrovsk.")
    assert (event.event_type, event.relation, event.geo_precision) == (
        "advance", "near Pokrovsk", 2)


def test_this_border_refers_to_the_border_named_before():
    events = run("Russian troops approached the administrative edge of the Donetsk region. "
                 "The map shows the Russians less than 5 km from this border.")
    [event] = events
    assert event.event_type == "advance" and event.actor == "RU"
    assert event.relation.startswith("<5 km from the Donetsk")
    assert event.relation.endswith("border")


def test_this_border_is_named_with_its_neighbour_when_the_report_has_a_settlement():
    events = run("Heavy battles raged in Pokrovsk. Russian troops approached the administrative "
                 "edge of the Donetsk region. The map shows them less than 5 km from this border.")
    [border] = [e for e in events if e.place.kind == "oblast"]
    assert border.relation == "<5 km from the Donetsk|Dnipropetrovsk border"


def test_one_event_per_sentence_and_place_with_stable_ids():
    text = "Battles for Pokrovsk continue. Pokrovsk and Pokrovsk again. Russian drones hit Toretsk."
    first, second = run(text), run(text)
    assert [e.event_id for e in first] == [e.event_id for e in second]
    assert len({e.event_id for e in first}) == len(first) == 3
    assert {e.event_id for e in run(text, report_id="other")}.isdisjoint(
        {e.event_id for e in first})
    assert first[0].quote == "Battles for Pokrovsk continue."


def test_unresolved_and_out_of_range_mentions_are_ignored():
    report = Report("r", dt.date(2025, 5, 20), "s", "Battles in Pokrovsk.")
    mentions = [Mention(11, 19, "Pokrovsk", None, 0.0, "ambiguous"),
                Mention(50, 58, "Pokrovsk", PLACES["Pokrovsk"], 0.9)]
    assert extract_events(report, mentions) == []


def test_hostile_text_is_quoted_verbatim_and_does_not_break_anything():
    text = ("<script>alert(1)</script> Russian forces, the ministry said in a long statement,\n"
            "captured   Novoselivka.")
    event = one(text, "Novoselivka")
    assert event.quote == ("<script>alert(1)</script> Russian forces, the ministry said in a long "
                           "statement, captured Novoselivka.")
    assert event.event_type == "capture"


# --------------------------------------------------------------------------- real text
def test_seed_article_reads_as_an_analyst_would(seed_path):
    if not seed_path.exists():
        pytest.skip("seed article not in seeds/")
    from tracker.geoparse import find_places
    from tracker.reports import load_reports

    [report] = load_reports([seed_path]).reports
    events = extract_events(report, find_places(report.text, date=report.date))
    by_place = {}
    for event in events:
        by_place.setdefault(event.place.name, []).append(event)
    assert {e.event_type for e in by_place["Pokrovsk"]} == {"battle"}
    assert {e.event_type for e in by_place["Toretsk"]} == {"battle"}
    assert "northern part of Toretsk" in {e.relation for e in by_place["Toretsk"]}
    [border] = [e for e in events if "km from the Donetsk" in e.relation]
    assert (border.event_type, border.actor) == ("advance", "RU")
    assert border.relation == "<5 km from the Donetsk|Dnipropetrovsk border"
    negotiation_places = {e.place.name for e in events if e.event_type == "negotiation"}
    assert {"Istanbul"} <= negotiation_places
    assert negotiation_places & {"Turkey", "Türkiye"}
    assert not [e for e in events if e.event_type in ("capture", "liberation", "withdrawal")]


def test_corpus_accuracy_meets_the_goal(capsys):
    shared_path("corpus")
    spec = importlib.util.spec_from_file_location("events_eval",
                                                  ROOT / "benchmarks" / "events_eval.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main(["--mentions", "gold"])
    out = capsys.readouterr().out
    [all_row] = [line for line in out.splitlines() if line.startswith("ALL")]
    labels, found, type_acc, actor_acc, _ = all_row.split()[1:]
    assert int(labels) >= 100 and found == labels
    assert float(type_acc) >= 0.85 and float(actor_acc) >= 0.85


def test_isw_hedges():
    likely = one("ISW assesses that Russian forces likely seized Novoselivka.", "Novoselivka")
    assert (likely.event_type, likely.claim) == ("capture", "assessed")
    assert one("Russian forces are unlikely to seize Pokrovsk soon.").event_type == "mention"


def test_parenthetical_reference_place_is_a_mention():
    events = {e.place.name: e for e in run(
        "Geolocated footage indicates that Russian forces advanced in Druzhba (east of Toretsk).")}
    assert events["Druzhba"].event_type == "advance"
    assert events["Toretsk"].event_type == "mention"


def test_random_text_and_mentions_never_crash():
    hypothesis = pytest.importorskip("hypothesis")
    from hypothesis import strategies as st

    words = st.sampled_from(["Russian", "forces", "captured", "not", "near", "Pokrovsk", "5", "km",
                             "SW", "of", "(", ")", ",", ".", "\n", "liberated", "this", "border",
                             "denied", "ISW", "would", "the", "Donetsk", "region", "edge", "said"])

    @hypothesis.given(st.lists(words, max_size=40), st.lists(st.tuples(
        st.integers(-5, 300), st.integers(0, 20)), max_size=6))
    @hypothesis.settings(max_examples=60, deadline=None)
    def check(tokens, spans):
        text = " ".join(tokens)
        mentions = [Mention(s, s + n, "x", PLACES["Pokrovsk"], 0.5) for s, n in spans]
        report = Report("fuzz", dt.date(2025, 5, 20), "s", text)
        for event in extract_events(report, mentions):
            assert event.event_type in ("battle", "advance", "capture", "liberation",
                                        "withdrawal", "strike", "negotiation", "mention")
            assert 0.0 <= event.confidence <= 1.0

    check()


@pytest.mark.parametrize(
    ("text", "place", "event_type", "actor", "claim", "control"),
    [
        ("Ukrainian Defense Forces continue to hold back the enemy near Pokrovsk.", "Pokrovsk",
         "battle", "RU", "reported", "contested"),
        ("Kyiv says its forces repelled an attack on Pokrovsk.", "Pokrovsk", "battle", "RU",
         "claimed", "contested"),
        ("Moscow claims to have taken Novoselivka, which Kyiv denies.", "Novoselivka", "capture",
         "RU", "denied", "contested"),
        ("Ukrainian units left Novoselivka to preserve personnel.", "Novoselivka", "withdrawal",
         "UA", "reported", "RU"),
        ("Ukrainian forces withdrew from Sudzha in March.", "Sudzha", "withdrawal", "UA",
         "reported", "RU"),
        ("The Russian command has not yet seized Pokrovsk despite months of fighting.", "Pokrovsk",
         "battle", "RU", "reported", "contested"),
        ("Russian milbloggers claimed that Russian forces captured Novoselivka, but ISW has not "
         "observed confirmation of this claim.", "Novoselivka", "capture", "RU", "claimed", "RU"),
    ],
)
def test_general_phrasings(text, place, event_type, actor, claim, control):
    event = one(text, place)
    assert (event.event_type, event.actor, event.claim, event.control) == (
        event_type, actor, claim, control)


def test_generic_verbs_only_count_right_before_a_place():
    assert one("The strike left three dead in Pokrovsk.").event_type == "strike"
    assert one("Residents left Pokrovsk by train.").event_type == "mention"
    assert one("Russian troops left Pokrovsk.").event_type == "withdrawal"
