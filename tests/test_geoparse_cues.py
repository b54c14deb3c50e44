"""What a name's surroundings say it is: datelines, an entity's bodies, district lists,
a government standing for its capital, and an oblast capital among its namesakes."""

from __future__ import annotations

import pytest

from tracker.geoparse import find_places


def _by_text(text: str) -> dict[str, list]:
    out: dict[str, list] = {}
    for m in find_places(text):
        out.setdefault(m.text, []).append(m)
    return out


def _placed(mentions) -> list[tuple[str, str]]:
    return [(m.place.kind, m.place.admin1) for m in mentions if m.place is not None]


def test_a_dateline_in_capitals_is_the_city_even_in_a_russian_spelling():
    found = _by_text("LUGANSK, July 1. /TASS/. The allied forces launched an offensive "
                     "towards Seversk, a source told TASS.")
    (dateline,) = found["LUGANSK"]
    assert dateline.place.kind == "settlement" and dateline.place.name == "Luhansk"


def test_a_dateline_does_not_make_the_body_call_the_name_a_city():
    found = _by_text("BELGOROD, August 22. /TASS/. Drones attacked villages in the Belgorod "
                     "Region overnight, the governor said.\n\nThe situation in Belgorod remains "
                     "tense.")
    assert _placed(found["BELGOROD"]) == [("settlement", "Belgorod")]
    # The body calls the bare name a region and never a city: the dateline does not
    # change that.
    assert _placed(found["Belgorod"]) == [("oblast", "Belgorod")]


def test_capitals_inside_a_sentence_are_no_dateline():
    found = _by_text("Officials in KYIV, Ukraine said nothing new.")
    assert found["KYIV"] and all("dateline" not in m.reason for m in found["KYIV"])


@pytest.mark.parametrize("text", [
    "Denis Pushilin, the head of the Donetsk People's Republic (DPR), said the town held.",
    "Donetsk People's Republic (DPR) head Denis Pushilin said on Monday that troops "
    "were encircled.",
    "Units of the Lugansk People's Republic (LPR) People's Militia took the plant.",
    "The territorial defense headquarters of the Donetsk People's Republic (DPR) "
    "confirmed it.",
    "The plant came under the control of the LPR forces.",
])
def test_the_entitys_head_forces_and_headquarters_are_no_ground(text):
    assert not [m for m in find_places(text) if m.place is not None and m.place.kind == "oblast"]


@pytest.mark.parametrize("text", [
    "Troops drove Ukrainian forces out of Novopole in the Donetsk People's Republic (DPR).",
    "Russian troops have liberated Soledar on DPR territory, the headquarters said.",
])
def test_the_entity_as_ground_is_its_oblast(text):
    kinds = {(m.place.kind, m.place.admin1) for m in find_places(text) if m.place}
    assert ("oblast", "Donetsk") in kinds


def test_a_list_after_a_plural_district_word_and_a_dash_or_including():
    hromadas = _by_text("Russian artillery shelled the Nikopol district all night. They have "
                        "hit four hromadas - Nikopol, Marhanets, Chervonohryhorivka, and Myrove "
                        "- nine times.")
    for name in ("Marhanets", "Chervonohryhorivka", "Myrove"):
        assert [m.place.kind for m in hromadas[name]] == ["hromada"], name
    raions = _by_text("Shelling damaged homes in the Donetsk region, in several districts, "
                      "including Volnovakha, Pokrovsk, Kramatorsk and Bakhmut.")
    for name in ("Volnovakha", "Pokrovsk", "Kramatorsk", "Bakhmut"):
        assert [m.place.kind for m in raions[name]] == ["raion"], name


def test_the_same_towns_listed_without_a_district_word_stay_towns():
    found = _by_text("Russian artillery hit Nikopol, Marhanets, Chervonohryhorivka and Myrove "
                     "in the Dnipropetrovsk region.")
    for name in ("Marhanets", "Chervonohryhorivka", "Myrove"):
        assert [m.place.kind for m in found[name]] == ["settlement"], name


@pytest.mark.parametrize("text", [
    "Kiev disputes the town's capture but admitted the situation is difficult.",
    "The Kiev militants were partially eliminated and partially withdrew.",
    "Fighting has gone on in the Kursk region since August, when Kyiv surprised Moscow.",
    "Putin accused Kyiv of carrying out a large-scale provocation.",
    "Direct talks resumed between Moscow and Kiev in Istanbul in May.",
    "Syrsky said that Kyiv had pulled back from three villages in the Donetsk region.",
    "DeepState estimates that Kyiv still controls 428 square kilometers of the region.",
])
def test_a_capital_standing_for_its_government(text):
    assert not [m for m in find_places(text) if m.text in {"Kiev", "Kyiv"} and m.place]


@pytest.mark.parametrize("text", [
    "Drones struck Kyiv overnight, and Kyiv suffered blackouts.",
    "The border between Russia and Ukraine runs through the Kharkiv region.",
])
def test_the_capital_or_country_as_ground_stays(text):
    assert [m for m in find_places(text) if m.text in {"Kyiv", "Russia", "Ukraine"} and m.place]


def test_an_oblast_capital_outweighs_a_namesake_village_of_an_oblast_named_elsewhere():
    # The Luhansk report names its oblast; Poltava, where the wounded are taken, is the
    # city of 280,000, not the Luhansk village of that name.
    text = ("Russian troops shelled Sievierodonetsk and Lysychansk in the Luhansk region, the "
            "head of the regional administration said.\n\n\"A resident of Sievierodonetsk who "
            "was wounded yesterday was taken to a hospital in Poltava,\" he wrote.")
    (poltava,) = _by_text(text)["Poltava"]
    assert (poltava.place.admin1, poltava.place.population > 100_000) == ("Poltava", True)
    # An oblast named in the same sentence still places the village.
    village = _by_text("Shelling hit the village of Poltava in the Luhansk region.")["Poltava"]
    assert _placed(village) == [("settlement", "Luhansk")]


def test_a_quoted_oblast_administration_says_which_oblast_the_report_is_about():
    text = ("Russian troops attacked Kherson with a drone, the Kherson RMA reported.\n\n"
            "According to Oleksandr Prokudin, head of the Kherson RMA, Antonivka, Bilozerka, "
            "Tiahynka, Mykhaylivka and Zmiivka came under fire over the past day.")
    found = _by_text(text)
    assert _placed(found["Mykhaylivka"]) == [("settlement", "Kherson")]
    # The administration itself is no place.
    assert all(m.place is None for m in found["Kherson"] if m.reason.startswith("part of"))


def test_a_villages_former_name_stays_beside_a_bigger_namesakes_current_name():
    # Avdiivske was Pervomaiske until 2024; a Crimean Pervomaiske of 8,000 people does
    # not take the name away from the village by Avdiivka.
    text = ("Russian forces attacked around Avdiivka, south of Novokalynove, east of "
            "Pervomaiske and near Novobakhmutivka.")
    (village,) = _by_text(text)["Pervomaiske"]
    assert (village.place.name, village.place.admin1) == ("Avdiivske", "Donetsk")


def test_an_oblast_in_brackets_places_the_name_before_it_only():
    text = ("People from Sievierodonetsk, Lysychansk, Popasna, and the village of Hirske are "
            "being evacuated to Bakhmut (Donetsk Oblast).")
    found = _by_text(text)
    assert _placed(found["Bakhmut"]) == [("settlement", "Donetsk")]
    # Hirske is the Luhansk town beside Popasna, not left unresolved for want of a
    # Hirske in the Donetsk Oblast of the bracket.
    assert _placed(found["Hirske"]) == [("settlement", "Luhansk")]
    text = ("The allied forces liberated the Spornoye settlement (in the Donetsk region - "
            "TASS), the Zolotarevka and Belaya Gora settlements (located south and southwest "
            "of the city of Lisichansk), a source said.")
    found = _by_text(text)
    assert _placed(found["Zolotarevka"]) == [("settlement", "Luhansk")]
    assert _placed(found["Belaya Gora"]) == [("settlement", "Luhansk")]


def test_an_oblast_listed_beside_towns_does_not_hold_them():
    text = ("He threw his infantry into frontal battles. This happened in Bakhmut, Avdiivka, "
            "Vuhledar, and the Kursk region, where many troops perished.")
    assert _placed(_by_text(text)["Avdiivka"]) == [("settlement", "Donetsk")]
    # A name whose places all lie far from the sentence's other places is still held
    # by the oblast the sentence names.
    text = "Russian shelling hit Mykolaivka and Sudzha in the Kursk region."
    assert all(m.place is None or m.place.admin1 == "Kursk"
               for m in _by_text(text).get("Mykolaivka", []))


def test_the_cities_of_a_and_b_are_the_towns():
    text = ("Shelling hit villages of the Sumy region and the Sumy district.\n\nBackground: "
            "On the morning of 8 September, the Russians struck the cities of Sumy and "
            "Zaporizhzhia, injuring five people.")
    found = _by_text(text)
    assert _placed(found["Sumy"]) == [("settlement", "Sumy")]
    assert _placed(found["Zaporizhzhia"]) == [("settlement", "Zaporizhzhia")]


def test_a_citys_former_name_yields_to_a_villages_own_name():
    # Stanislav is a Kherson village, and Ivano-Frankivsk's name until 1962.
    text = ("\"The occupiers attacked a civilian with a drone on the highway between "
            "Stanislav and Oleksandrivka. The man was fatally wounded,\" said Prokudin, the "
            "head of the Kherson Regional Military Administration.")
    assert {(m.place.name, m.place.admin1) for m in _by_text(text)["Stanislav"]} == {
        ("Stanislav", "Kherson")}


@pytest.mark.parametrize("text", [
    "Kyiv forces badly damaged three bridges across the Dnipro using long-range missiles.",
    "Traffic over the rail bridge crossing the Dnipro is not possible.",
    "Ochakiv lies on the northern coast of the Dnipro-Buzka estuary.",
])
def test_a_river_named_like_a_city_is_no_city(text):
    assert not [m for m in find_places(text) if m.text == "Dnipro" and m.place]


def test_a_hydropower_plant_is_no_town():
    text = "Officials fear flooding if forces attack the Kakhovka hydropower plant."
    assert not [m for m in find_places(text) if m.text.startswith("Kakhovka") and m.place]


def test_the_city_of_x_is_no_village_of_that_name():
    text = ("Shelling hit villages of the Kharkiv region overnight.\n\nA Russian missile strike "
            "hit an apartment building in the city of Poltava, killing seven people.")
    assert _placed(_by_text(text)["Poltava"]) == [("settlement", "Poltava")]
    text = ("A strike on a building in the southeastern city of Zaporizhzhia killed four, and a "
            "woman died in an attack on a village in the Dnipropetrovsk region.")
    assert _placed(_by_text(text)["Zaporizhzhia"]) == [("settlement", "Zaporizhzhia")]


@pytest.mark.parametrize(("text", "name"), [
    ("Russia said it seized Malynivka, a village in Donetsk known in Russia as Ulyanovka.",
     "Donetsk"),
    ("Troops retook Andriivka village in northeastern Sumy.", "Sumy"),
    ("Missile strikes caused power outages in seven Ukrainian regions, including Poltava.",
     "Poltava"),
])
def test_a_region_by_its_bare_name(text, name):
    assert _placed(_by_text(text)[name]) == [("oblast", name)]


def test_the_area_of_an_oblasts_name_is_its_front_and_a_towns_area_the_town():
    found = _by_text("\"In the Zaporozhye area, units of the battlegroup repelled three attacks,\" "
                     "the ministry said. In the Pokrovsk area, fighting went on.")
    assert _placed(found["Zaporozhye"]) == [("oblast", "Zaporizhzhia")]
    assert _placed(found["Pokrovsk"]) == [("settlement", "Donetsk")]
