"""The build step that places villages cities500 lacks at their post office's position."""

from __future__ import annotations

import sys
from pathlib import Path

from shapely.geometry import box

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

from build_steps.postal import (  # noqa: E402
    district_seat,
    place_russian_villages,
    place_villages,
    read_postal,
    read_russian_villages,
)

# GeoNames postal rows: country, code, place, admin1 name, admin1 code, admin2, code2,
# admin3, code3, lat, lon, accuracy.
ROWS = [
    "UA\t63746\tКрохмальне\tKharkivska\t07\tKupianskyi\t\t\t\t49.5742\t37.9167\t4",
    "UA\t63747\tКрохмальне\tKharkivska\t07\tKupianskyi\t\t\t\t49.5742\t37.9167\t4",  # 2nd office
    "UA\t41350\tЕсмань (Есманська селищна рада)\tSumska\t21\tShostkynskyi\t\t\t\t51.7597\t"
    "34.0317\t4",
    "UA\t62744\tБерестове\tKharkivska\t07\tDvorichanskyi\t\t\t\t49.8578\t37.9447\t1",  # a guess
    "RU\t307000\tКрохмальне\tKurskaya\t41\t\t\t\t\t51.0\t35.0\t4",
    # Kursk region: a village by Sudzha, a namesake's point 400 km off, a guessed row,
    # a village cities500 has already, one in a district whose seat is unknown.
    "RU\t307811\tЗамостье\tКурская Область\t41\tСУДЖАНСКИЙ РАЙОН\t\t\t\t51.1867\t"
    "35.3028\t4",
    "RU\t307812\tДарьино\tКурская Область\t41\tСУДЖАНСКИЙ РАЙОН\t\t\t\t55.6844\t"
    "37.1094\t4",
    "RU\t307813\tКазачья Локня\tКурская Область\t41\tСУДЖАНСКИЙ РАЙОН\t\t\t\t52.0173\t"
    "35.3634\t1",
    "RU\t307800\tСуджа\tКурская Область\t41\tСУДЖАНСКИЙ РАЙОН\t\t\t\t51.1917\t"
    "35.2720\t4",
    "RU\t307900\tПоляна\tКурская Область\t41\tФАТЕЖСКИЙ РАЙОН\t\t\t\t52.09\t"
    "35.85\t4",
    "UA\t63001\tВільне\tKharkivska\t07\tA\t\t\t\t49.60\t37.90\t4",
    "UA\t63002\tВільне\tKharkivska\t07\tB\t\t\t\t49.62\t37.92\t4",
]


def _postal(tmp_path):
    path = tmp_path / "postal.tsv"
    path.write_text("\n".join(ROWS) + "\n", encoding="utf-8")
    return read_postal(path)


def test_read_postal_keeps_gazetteer_positions_of_ukrainian_villages(tmp_path):
    postal = _postal(tmp_path)
    assert postal[("Kharkiv", "крохмальне")] == [(49.5742, 37.9167)]  # two offices, one point
    assert postal[("Sumy", "есмань")] == [(51.7597, 34.0317)]  # the council's name dropped
    assert ("Kharkiv", "берестове") not in postal  # accuracy 1 is a guess from other codes
    assert all(admin1 != "" for admin1, _ in postal)  # Russian rows are not read


def test_place_villages_nearest_first_each_point_once_within_reach(tmp_path):
    postal = _postal(tmp_path)
    polygons = {"Kharkiv": box(35.0, 48.5, 38.9, 50.5), "Sumy": box(32.0, 50.0, 35.8, 52.5)}
    todo = [
        ("A", "Kharkiv", "Крохмальне", 49.60, 37.95),  # hromada seat 4 km away: placed
        ("B", "Sumy", "Есмань", 52.30, 34.03),  # 60 km away: another Esman, not placed
        ("C", "Kharkiv", "Вільне", 49.61, 37.91),  # two homonyms, two points: one each
        ("D", "Kharkiv", "Вільне", 49.62, 37.93),
        ("E", "Kharkiv", "Берестове", 49.86, 37.94),  # only a guessed row: not placed
    ]
    placed = place_villages(todo, postal, polygons)
    assert placed["A"] == (49.5742, 37.9167)
    assert "B" not in placed and "E" not in placed
    assert {placed["C"], placed["D"]} == {(49.60, 37.90), (49.62, 37.92)}
    assert placed["D"] == (49.62, 37.92)  # the nearer pair is settled first


def test_place_villages_drops_points_outside_the_oblast(tmp_path):
    postal = _postal(tmp_path)
    far_away = {"Kharkiv": box(30.0, 45.0, 31.0, 46.0)}  # a mislabelled row would land here
    assert place_villages([("A", "Kharkiv", "Крохмальне", 49.60, 37.95)], postal,
                          far_away) == {}


SUDZHA_TOWNS = {"Kursk": [(["Суджа"], 5700, 51.1917, 35.2720),
                          (["Суджанское"], 100, 50.0, 30.0)]}  # a village: not the seat


def test_district_seat_is_the_town_its_adjective_comes_from():
    towns = SUDZHA_TOWNS["Kursk"]
    assert district_seat("СУДЖАНСКИЙ РАЙОН", towns) == (51.1917, 35.2720)
    assert district_seat("ФАТЕЖСКИЙ РАЙОН", towns) is None
    assert district_seat("", towns) is None


def test_russian_villages_at_their_point_or_their_district_seat_and_new_to_cities500(
        tmp_path):
    path = tmp_path / "postal.tsv"
    path.write_text("\n".join(ROWS) + "\n", encoding="utf-8")
    villages = read_russian_villages(path)
    assert {v[1]: v[6] for v in villages} == {  # gazetteer points (accuracy 4) marked
        "Замостье": True, "Дарьино": True, "Казачья Локня": False, "Суджа": True,
        "Поляна": True}
    kept = place_russian_villages(villages, SUDZHA_TOWNS)
    # Замостье keeps its point; Дарьино's point is a namesake's near Moscow and Казачья
    # Локня's row is approximate: both go to Суджа, their district's seat, at precision
    # 2; Суджа is cities500's already; Поляна's district seat is not known.
    sudzha = (51.1917, 35.2720)
    assert kept == [("307811", "Замостье", "Kursk", 51.1867, 35.3028, 1),
                    ("307812", "Дарьино", "Kursk", *sudzha, 2),
                    ("307813", "Казачья Локня", "Kursk", *sudzha, 2)]
    # A village served by two post offices is one village, at its own point.
    twice = [*villages, ("307899", "Замостье", "Kursk", "СУДЖАНСКИЙ РАЙОН", 55.0, 37.0, False)]
    assert [v for v in place_russian_villages(twice, SUDZHA_TOWNS) if v[1] == "Замостье"] == [
        ("307811", "Замостье", "Kursk", 51.1867, 35.3028, 1)]
