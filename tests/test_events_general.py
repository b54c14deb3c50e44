"""General event rules beyond the tuning corpus: Russian MoD phrasing, agentless strikes, states
that are not triggers, locating regions, relative anchors, coordinated clauses, further stems and
unit names. Every sentence here is written for the test (none is copied from a report)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from tracker.events import extract_events
from tracker.models import Mention, Place, Report


def _place(name: str, kind: str = "settlement", admin1: str = "Donetsk", country: str = "UA",
           lat: float = 48.0, lon: float = 37.5) -> Place:
    return Place(f"t:{name.lower().replace(' ', '-')}", name, kind, admin1, country, lat, lon)


PLACES = {name: _place(name) for name in (
    "Siversk", "Lyman", "Bakhmut", "Kostiantynivka", "Kurdiumivka", "Petrivka", "Hryhorivka",
    "Kalynove", "Sofiivka", "Yampil", "Zvanivka")}
PLACES.update({
    "Vovchansk": _place("Vovchansk", admin1="Kharkiv", lat=50.29, lon=36.94),
    "Kupiansk": _place("Kupiansk", admin1="Kharkiv", lat=49.71, lon=37.61),
    "Melitopol": _place("Melitopol", admin1="Zaporizhzhia", lat=46.85, lon=35.37),
    "Kherson": _place("Kherson", admin1="Kherson", lat=46.64, lon=32.61),
    "Shostka": _place("Shostka", admin1="Sumy", lat=51.86, lon=33.48),
    "Tetkino": _place("Tetkino", admin1="Kursk", country="RU", lat=51.27, lon=34.28),
    "Shostka hromada": _place("Shostka hromada", "hromada", "Sumy", lat=51.86, lon=33.48),
    "Kharkiv Oblast": _place("Kharkiv Oblast", "oblast", "Kharkiv", lat=49.5, lon=36.5),
    "Sumy Oblast": _place("Sumy Oblast", "oblast", "Sumy", lat=51.0, lon=34.0),
    "Kursk region": _place("Kursk Oblast", "oblast", "Kursk", "RU", 51.5, 36.0),
    "Ukraine": Place("country:UA", "Ukraine", "country", "", "UA", 49.0, 32.0, 0, 4),
})


def run(text: str, source: str = "test") -> list:
    """Events of ``text`` with every name of PLACES turned into a mention by hand."""
    mentions: list[Mention] = []
    for name in sorted(PLACES, key=len, reverse=True):
        for match in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text):
            if any(match.start() < m.end and m.start < match.end() for m in mentions):
                continue
            mentions.append(Mention(match.start(), match.end(), name, PLACES[name], 0.9))
    report = Report("r", dt.date(2025, 6, 1), source, text)
    return extract_events(report, sorted(mentions, key=lambda m: m.start))


def of(text: str, source: str = "test") -> dict[str, tuple[str, str]]:
    """Place name -> (event_type, actor) of ``text``."""
    return {e.place.name: (e.event_type, e.actor) for e in run(text, source)}


TASS = "TASS, citing the Russian Defence Ministry"
GENSTAFF = "General Staff of the Armed Forces of Ukraine"


# ------------------------------------------------------------------ E1 Russian MoD phrasing
def test_russian_group_of_forces_is_a_russian_actor_and_not_a_battle_word():
    events = of("Units of the Zapad battlegroup struck Ukrainian manpower near Kupiansk.", TASS)
    assert events["Kupiansk"] == ("strike", "RU")
    events = of("Troops of the Vostok group of forces inflicted losses on the enemy near Petrivka.",
                TASS)
    assert events["Petrivka"] == ("battle", "RU")


def test_repelled_attacks_by_a_named_side_belong_to_that_side():
    text = ("Units of the Sever battlegroup repelled five attacks by assault detachments of the "
            "Ukrainian army near Tetkino, the ministry said.")
    assert of(text, TASS)["Tetkino"] == ("battle", "UA")
    # no attacker named: the side opposite the subject
    assert of("Units of the Yug battlegroup repulsed two counterattacks near Siversk.",
              TASS)["Siversk"] == ("battle", "UA")


def test_the_enemy_is_the_side_opposite_the_source_named_in_the_source_field():
    text = "The enemy attacked near Lyman."
    assert of(text, TASS)["Lyman"] == ("battle", "UA")
    assert of(text, GENSTAFF)["Lyman"] == ("battle", "RU")


# --------------------------------------------------------------------------- E2 agentless strikes
def test_came_under_fire_is_a_strike():
    assert of("Yampil and Zvanivka came under fire in the evening.")["Zvanivka"] == (
        "strike", "unknown")


def test_agentless_strike_inherits_the_previous_sentence_actor_in_its_paragraph():
    text = ("Russian aircraft dropped 40 glide bombs overnight. Kalynove and Sofiivka came under "
            "air strikes.\n\nSiversk came under shelling.")
    events = of(text)
    assert events["Sofiivka"] == ("strike", "RU")
    assert events["Siversk"] == ("strike", "unknown")  # a new paragraph: no inheritance


def test_attacks_on_settlements_are_strikes_and_hromada_headings_take_their_clause():
    assert of("Russian troops carried out 40 attacks on 12 settlements of Sumy Oblast.")[
        "Sumy Oblast"] == ("strike", "RU")
    events = of("Shostka hromada: an FPV drone attack on a farm, 4 explosions.")
    assert events["Shostka hromada"][0] == "strike"


# ------------------------------------------------------------------ E3 states, not triggers
def test_occupied_before_a_place_is_a_state():
    events = of("Occupied Melitopol was struck by Ukrainian drones overnight.")
    assert events["Melitopol"] == ("strike", "UA")
    events = of("A fuel depot in Melitopol was hit by a Ukrainian strike, occupation officials "
                "said.")
    assert events["Melitopol"] == ("strike", "UA")
    # a verb with a subject still captures
    assert of("Russian troops occupied Vovchansk and pressed on toward Kupiansk.")[
        "Vovchansk"] == ("capture", "RU")


def test_capturing_people_is_not_capturing_ground():
    assert of("Russian troops captured three Ukrainian soldiers near Siversk.")["Siversk"][0] != (
        "capture")
    assert of("Marines captured in Kherson in 2022 were released in a swap.")["Kherson"] == (
        "mention", "unknown")


# --------------------------------------------------------------------------- E4 locating regions
def test_region_that_locates_a_settlement_is_a_mention():
    events = of("Russian forces attacked near Vovchansk in Kharkiv Oblast.")
    assert events["Vovchansk"] == ("battle", "RU")
    assert events["Kharkiv Oblast"] == ("mention", "unknown")
    # a region that is itself the scene keeps the event
    assert of("Russian forces attacked in Kharkiv Oblast.")["Kharkiv Oblast"] == ("battle", "RU")


# --------------------------------------------------------------------------- E5 relative anchors
def test_relative_anchors_are_mentions():
    events = of("Russian forces attacked near Petrivka and Hryhorivka (both east of Siversk).")
    assert events["Hryhorivka"] == ("battle", "RU")
    assert events["Siversk"] == ("mention", "unknown")
    events = of("Russian troops keep pressing on Kostiantynivka from the direction of Bakhmut "
                "and Kurdiumivka.")
    assert events["Kostiantynivka"] == ("battle", "RU")
    assert events["Bakhmut"] == ("mention", "unknown")
    assert events["Kurdiumivka"] == ("mention", "unknown")
    events = of("Ukrainian forces advanced at Petrivka, close to Lyman.")
    assert events["Petrivka"] == ("advance", "UA")
    assert events["Lyman"] == ("mention", "unknown")


# --------------------------------------------------------------------------- E6 coordinated clauses
def test_each_place_takes_the_verb_of_its_own_coordinated_clause():
    events = of("Russian units tried to retake positions near Lyman and shelled Siversk and "
                "Yampil.")
    assert events["Lyman"] == ("battle", "RU")
    assert events["Siversk"] == ("strike", "RU")
    assert events["Yampil"] == ("strike", "RU")


# --------------------------------------------------------------------------- E7 further stems
@pytest.mark.parametrize(
    ("text", "place", "expected"),
    [
        ("Russian forces keep pressing Kupiansk from the north.", "Kupiansk", ("battle", "RU")),
        ("Ukrainian units are clearing Vovchansk street by street.", "Vovchansk",
         ("battle", "UA")),
        ("Russian assault groups were seen moving toward Siversk.", "Siversk", ("advance", "RU")),
        ("Russian troops reached the outskirts of Lyman.", "Lyman", ("advance", "RU")),
        ("Ukrainian forces dislodged Russian troops from Kurdiumivka.", "Kurdiumivka",
         ("liberation", "UA")),
        ("Two civilians were killed and five injured in Kherson overnight.", "Kherson",
         ("strike", "unknown")),
    ],
)
def test_further_stems(text, place, expected):
    assert of(text)[place] == expected


def test_reaching_an_agreement_is_no_advance():
    assert of("The delegations reached an agreement in Kherson.")["Kherson"][0] != "advance"


# --------------------------------------------------------------------------- E8 speakers and units
def test_speaker_side_carries_to_his_troops():
    text = ("The Ukrainian commander said on Friday that his troops had advanced 10 km into "
            "Russian territory near Tetkino during the incursion.")
    assert of(text)["Tetkino"] == ("advance", "UA")


def test_unit_names_give_the_side_and_are_not_battles():
    text = "Elements of the 27th Guards Motor Rifle Division seized Kalynove."
    assert of(text)["Kalynove"] == ("capture", "RU")
    text = "The 93rd Assault Brigade recaptured Sofiivka, Ukrainian officials said."
    assert of(text)["Sofiivka"] == ("liberation", "UA")
    # holding a bridgehead is a defence: the battle belongs to the attacker (as "repelled")
    text = "Ukrainian marines hold a bridgehead near Kherson under constant artillery fire."
    assert of(text)["Kherson"] == ("battle", "RU")


def test_coordinated_verbs_keep_the_shared_subject_and_their_own_places():
    text = ("Russian troops repelled Ukrainian counterattacks near Lyman and struck Ukrainian "
            "manpower near Siversk.")
    events = of(text, TASS)
    assert events["Lyman"] == ("battle", "UA")
    assert events["Siversk"] == ("strike", "RU")


def test_weapons_decide_strikes_and_whose_they_are():
    assert of("Russian forces attacked Kherson with Shahed drones overnight.")["Kherson"] == (
        "strike", "RU")
    # shot down over a region: the drones are the other side's (TASS: the enemy is UA)
    assert of("Drones were destroyed over the Kursk region overnight.", TASS)["Kursk Oblast"] == (
        "strike", "UA")
    assert of("Air defences shot down 14 drones over the Kursk region.", TASS)["Kursk Oblast"] == (
        "strike", "UA")


def test_losses_formula_of_the_russian_ministry_is_a_battle_by_the_other_side():
    text = "Ukrainian forces lost up to 150 servicemen near Kalynove, the ministry said."
    assert of(text, TASS)["Kalynove"] == ("battle", "RU")


def test_hyphenated_occupied_is_a_state_too():
    text = "Ukrainian drones hit a depot near the Russian-occupied Melitopol overnight."
    assert of(text)["Melitopol"] == ("strike", "UA")


def test_region_in_an_apposition_of_a_settlement_only_locates_it():
    text = "A missile strike hit Kherson, a port city in southern Ukraine, killing two people."
    events = of(text)
    assert events["Kherson"][0] == "strike"
    assert events["Ukraine"] == ("mention", "unknown")


def test_region_after_a_name_the_geoparser_could_not_place_still_only_locates_it():
    text = "Russian forces attacked near Krasnyi Lyman in Kharkiv Oblast."
    start = text.index("Krasnyi Lyman")
    oblast = text.index("Kharkiv Oblast")
    mentions = [Mention(start, start + 13, "Krasnyi Lyman", None, 0.0, "ambiguous"),
                Mention(oblast, oblast + 14, "Kharkiv Oblast", PLACES["Kharkiv Oblast"], 0.9)]
    [event] = extract_events(Report("r", dt.date(2025, 6, 1), "test", text), mentions)
    assert (event.place.name, event.event_type) == ("Kharkiv Oblast", "mention")


def test_russian_ministry_formulas():
    text = ("Units of Battlegroup South took more advantageous lines and positions and defeated "
            "formations of the AFU near Siversk and Yampil.")
    events = of(text, TASS)
    assert events["Siversk"] == ("battle", "RU")
    assert events["Yampil"] == ("battle", "RU")
    assert of("Units of the Zapad group improved their tactical position near Petrivka.", TASS)[
        "Petrivka"] == ("advance", "RU")


def test_pushed_back_and_defenders():
    assert of("Ukrainian defenders pushed Russian troops out of Hryhorivka.")["Hryhorivka"] == (
        "liberation", "UA")
    assert of("Russian troops were pushed back from Kalynove, the brigade said.")["Kalynove"] == (
        "liberation", "UA")


def test_a_coordinated_clause_with_its_own_subject():
    text = ("Russian forces are advancing toward Lyman, DeepState said, and Ukrainian units are "
            "counterattacking near Yampil.")
    events = of(text)
    assert events["Lyman"] == ("advance", "RU")
    assert events["Yampil"] == ("battle", "UA")


def test_listed_places_share_near():
    events = {e.place.name: e for e in run("Russian forces captured positions near Siversk and "
                                           "Yampil.")}
    assert (events["Yampil"].event_type, events["Yampil"].relation) == ("advance", "near Yampil")
    assert events["Yampil"].geo_precision == 2


def test_repelled_in_the_passive_belongs_to_the_subject():
    text = "Russian troops attempted to storm Lyman five times but were repelled."
    assert of(text)["Lyman"] == ("battle", "RU")
    assert of("Storm Shadow missiles struck a depot in Melitopol.")["Melitopol"][0] == "strike"


def test_a_capital_that_is_struck_is_a_place():
    kyiv = Place("t:kyiv", "Kyiv", "settlement", "Kyiv City", "UA", 50.45, 30.52)
    text = "Russian strikes on Kyiv killed two people."
    at = text.index("Kyiv")
    [event] = extract_events(Report("r", dt.date(2025, 6, 1), "test", text),
                             [Mention(at, at + 4, "Kyiv", kyiv, 0.9)])
    assert (event.event_type, event.actor) == ("strike", "RU")
