"""Spellings of gazetteer places: Ukrainian, Russian, transliterated and colloquial forms.

Used by :mod:`build_steps.places` to fill the name index: the name forms of admin-1 units,
countries and Donbas, and the spellings derived from a place's Ukrainian name, its GeoNames
alternates, and a raion or hromada's adjective.
"""

from __future__ import annotations

import re

from tracker.names import (
    is_cyrillic,
    is_latin,
    normalize,
    translit_ru,
    translit_uk,
    uk_to_ru,
    ukrainised,
    variants,
)

HROMADA_TYPE = {"M": "міська", "K": "міська", "X": "селищна", "C": "сільська"}
HROMADA_TYPE_LAT = {"M": ("urban", "city"), "K": ("urban", "city"), "X": ("settlement",),
                    "C": ("rural", "village")}
# Colloquial and official name forms of the admin-1 units (beyond "<name> Oblast/region").
OBLAST_FORMS = {
    "Cherkasy": ["Cherkashchyna", "Черкащина", "Cherkassy region", "Черкасская область"],
    "Chernihiv": ["Chernihivshchyna", "Чернігівщина", "Chernigov region", "Черниговская область"],
    "Chernivtsi": ["Bukovyna", "Bukovina", "Буковина", "Chernovtsy region",
                   "Черновицкая область"],
    "Crimea": ["Autonomous Republic of Crimea", "Crimean peninsula", "Crimean Peninsula", "Krym",
               "Крим", "Крым", "Республіка Крим", "Republic of Crimea", "Республика Крым"],
    "Dnipropetrovsk": ["Dnipropetrovshchyna", "Dnipro region", "Dnipro Oblast",
                       "Дніпропетровщина", "Днепропетровская область", "Sicheslav region",
                       "Sicheslavska oblast"],
    "Donetsk": ["Donechchyna", "Донеччина", "DPR", "DNR", "Donetsk People's Republic",
                "Donetsk Peoples Republic", "ДНР", "Донецкая Народная Республика",
                "Донецька народна республіка", "Донецкая область"],
    "Ivano-Frankivsk": ["Prykarpattia", "Prykarpattya", "Прикарпаття",
                        "Ivano-Frankovsk region", "Ивано-Франковская область"],
    "Kharkiv": ["Kharkivshchyna", "Харківщина", "Kharkov region", "Kharkov Oblast",
                "Харьковская область", "Slobozhanshchyna"],
    "Kherson": ["Khersonshchyna", "Херсонщина", "Херсонская область"],
    "Khmelnytskyi": ["Khmelnychchyna", "Хмельниччина", "Khmelnitsky region",
                     "Хмельницкая область", "Podillia"],
    "Kirovohrad": ["Kirovohradshchyna", "Кіровоградщина", "Kirovograd region",
                   "Кировоградская область", "Kropyvnytskyi region"],
    "Kyiv": ["Kyivshchyna", "Київщина", "Kiev region", "Kiev Oblast", "Киевская область"],
    "Kyiv City": ["City of Kyiv", "Kyiv city", "Kiev city", "місто Київ"],
    "Luhansk": ["Luhanshchyna", "Луганщина", "LPR", "LNR", "Luhansk People's Republic",
                "Luhansk Peoples Republic", "Lugansk People's Republic", "ЛНР",
                "Луганская Народная Республика", "Луганська народна республіка",
                "Lugansk region", "Lugansk Oblast", "Луганская область"],
    "Lviv": ["Lvivshchyna", "Львівщина", "Lvov region", "Львовская область"],
    "Mykolaiv": ["Mykolaivshchyna", "Миколаївщина", "Nikolaev region", "Nikolayev region",
                 "Николаевская область"],
    "Odesa": ["Odeshchyna", "Одещина", "Odessa region", "Odessa Oblast", "Одесская область"],
    "Poltava": ["Poltavshchyna", "Полтавщина", "Полтавская область"],
    "Rivne": ["Rivnenshchyna", "Рівненщина", "Rovno region", "Ровенская область"],
    "Sevastopol": ["City of Sevastopol", "Sevastopol city", "місто Севастополь"],
    "Sumy": ["Sumshchyna", "Сумщина", "Сумская область"],
    "Ternopil": ["Ternopilshchyna", "Тернопільщина", "Ternopol region",
                 "Тернопольская область"],
    "Vinnytsia": ["Vinnychchyna", "Вінниччина", "Vinnitsa region", "Винницкая область"],
    "Volyn": ["Volhynia", "Волинь", "Volyn region", "Волынская область"],
    "Zakarpattia": ["Transcarpathia", "Transcarpathian region", "Zakarpattia region",
                    "Закарпаття", "Закарпатье", "Закарпатская область"],
    "Zaporizhzhia": ["Zaporizhzhia region", "Zaporizhia Oblast", "Zaporizhia region",
                     "Запоріжжя", "Zaporozhye region", "Zaporozhye Oblast",
                     "Запорожская область"],
    "Zhytomyr": ["Zhytomyrshchyna", "Житомирщина", "Zhitomir region", "Житомирская область"],
    "Belgorod": ["Belgorod Oblast", "Belgorod region", "Belgorodskaya oblast", "Bilhorod region",
                 "Белгородская область", "Бєлгородська область", "Belgorodshchina"],
    "Bryansk": ["Bryansk Oblast", "Bryansk region", "Bryanskaya oblast", "Брянская область",
                "Брянська область", "Bryanshchina"],
    "Kursk": ["Kursk Oblast", "Kursk region", "Kurskaya oblast", "Курская область",
              "Курська область", "Kurshchina"],
    "Rostov": ["Rostov Oblast", "Rostov region", "Rostovskaya oblast", "Ростовская область",
               "Ростовська область"],
    "Voronezh": ["Voronezh Oblast", "Voronezh region", "Voronezhskaya oblast",
                 "Воронежская область", "Воронезька область"],
    "Krasnodar": ["Krasnodar Krai", "Krasnodar region", "Krasnodarskiy kray", "Kuban",
                  "Краснодарский край", "Краснодарський край", "Кубань"],
}
# Older and Russian-style Latin spellings of the admin-1 names, each indexed with a region
# word ("Dnepropetrovsk Region", "Zaporozhye Oblast", "Kirovograd province"); bare, they
# are the cities' (a GeoNames alternate or a spelling of the capital).
OBLAST_OTHER_STEMS = {
    "Cherkasy": ["Cherkassy"], "Chernihiv": ["Chernigov"],
    "Chernivtsi": ["Chernovtsy", "Chernovtsi"],
    "Dnipropetrovsk": ["Dnepropetrovsk", "Dnipropetrovs'k", "Dnepr"],
    "Ivano-Frankivsk": ["Ivano-Frankovsk"], "Kharkiv": ["Kharkov"],
    "Khmelnytskyi": ["Khmelnitsky", "Khmelnitskiy", "Khmelnytsky", "Khmelnytskyy"],
    "Kirovohrad": ["Kirovograd", "Kropyvnytskyi"], "Kyiv": ["Kiev"], "Luhansk": ["Lugansk"],
    "Lviv": ["Lvov"], "Mykolaiv": ["Nikolaev", "Nikolayev", "Mykolayiv"], "Odesa": ["Odessa"],
    "Rivne": ["Rovno"], "Ternopil": ["Ternopol"], "Vinnytsia": ["Vinnitsa", "Vinnytsya"],
    "Zakarpattia": ["Zakarpatye", "Zakarpattya"],
    "Zaporizhzhia": ["Zaporozhye", "Zaporozhe", "Zaporizhia", "Zaporizhzhya", "Zaporozhzhia"],
    "Zhytomyr": ["Zhitomir"], "Belgorod": ["Bilhorod"], "Bryansk": ["Briansk"],
}
# Common names of countries the press uses beside GeoNames' English name.
COUNTRY_FORMS = {
    "UA": ["Україна", "Украина", "Ukraina"],
    "RU": ["Russian Federation", "Росія", "Россия", "Rossiya", "Rosiia", "RF"],
    "TR": ["Türkiye", "Turkiye", "Turkey", "Туреччина", "Турция"],
    "US": ["United States of America", "USA", "U.S.", "U.S.A.", "United States", "США"],
    "GB": ["UK", "U.K.", "Britain", "Great Britain", "Велика Британія", "Великобритания"],
    "BY": ["Білорусь", "Беларусь", "Belorussia", "Byelorussia", "Republic of Belarus"],
    "MD": ["Молдова", "Republic of Moldova", "Moldavia"],
    "PL": ["Польща", "Польша"],
    "DE": ["Німеччина", "Германия"],
    "FR": ["Франція", "Франция"],
    "CN": ["China", "PRC", "People's Republic of China", "Китай"],
    "KP": ["DPRK", "Democratic People's Republic of Korea", "Північна Корея", "КНДР"],
    "KR": ["Republic of Korea", "Південна Корея"],
    "IR": ["Islamic Republic of Iran", "Іран", "Иран"],
    "CZ": ["Czech Republic"],
    "NL": ["Holland"],
    "GE": ["Грузія", "Грузия", "Sakartvelo"],
    "RO": ["Румунія", "Румыния"],
    "HU": ["Угорщина", "Венгрия"],
    "SK": ["Словаччина", "Словакия"],
}
DONBAS_FORMS = ["Donbas", "Donbass", "Донбас", "Донбасс", "Donets Basin", "Donets Coal Basin"]

_UK_LETTERS = re.compile("[іїєґІЇЄҐ]")
_RU_LETTERS = re.compile("[ыэъёЫЭЪЁ]")
#: "-ский" read as "-sky" (Горьковский -> Gorkovsky).
_SKY = re.compile(r"(?<=[кК])ий\b")


def ua_spellings(uk: str, alts: list[str]) -> tuple[dict[str, str], list[str]]:
    """Spellings of a Ukrainian settlement from its KATOTTG name and GeoNames alternates."""
    uk_key = normalize(uk) if uk else ""
    cyr = [a for a in alts if is_cyrillic(a) and normalize(a) != uk_key]
    old_uk = [a for a in cyr if _UK_LETTERS.search(a)]
    ru_forms = [a for a in cyr if not _UK_LETTERS.search(a)]
    spellings = variants(uk, ru_forms) if uk else {}
    if not ru_forms and uk:
        # variants() guessed the Russian form by rule: mark those spellings as guesses.
        spellings = {k: ("guess" if v == "ru_latin" else v) for k, v in spellings.items()}
    for old in old_uk:  # former Ukrainian names (Красноармійськ, Артемівськ)
        for spelling, kind in variants(old, []).items():
            if kind in ("uk", "translit", "translit_y"):
                spellings.setdefault(spelling, "alt" if kind != "uk" else "uk")
    for alt in alts:
        if is_latin(alt):
            spellings.setdefault(alt, "alt")
    return spellings, ru_forms


def foreign_spellings(alts: list[str], *, romanise: bool) -> dict[str, str]:
    """Latin and Cyrillic alternates; for Russian and Belarusian places also romanisations
    of their Cyrillic names (never for far places: Нью-Йорк is not a spelling to index)."""
    out = {}
    for alt in alts:
        if is_latin(alt):
            out.setdefault(alt, "alt")
    for alt in alts:
        if is_cyrillic(alt):
            out.setdefault(alt, "uk" if _UK_LETTERS.search(alt) else "ru")
            if not romanise:
                continue
            # Ukrainian reports romanise Russian names the Ukrainian way (Глушково ->
            # Hlushkovo); Russian-style for the rest (Тёткино -> Tyotkino).
            out.setdefault(translit_uk(alt), "translit_y")
            if not _UK_LETTERS.search(alt):
                out.setdefault(translit_ru(alt), "ru_latin")
                out.setdefault(translit_ru(alt, yo="e", ye=False), "ru_latin")
                # adjective names as the press writes them: Severny, Politotdelsky
                out.setdefault(translit_ru(alt, simple_adj=True), "ru_latin")
                out.setdefault(translit_ru(_SKY.sub("ый", alt), simple_adj=True), "ru_latin")
                # Ukrainian reports give Russian villages Ukrainian endings (Martynovka ->
                # Martynivka, Kalinovoye -> Kalinove, Malaya Loknya -> Mala Loknya).
                out.setdefault(ukrainised(translit_ru(alt, yo="e", ye=False)), "hybrid")
    return out



def unit_spellings(adjective: str, seat_uk: str, kind: str, kat_cat: str) -> dict[str, str]:
    """Name forms of a raion or hromada: Pokrovskyi raion, Pokrovsk district, Покровський район."""
    out: dict[str, str] = {}
    adj_lat = translit_uk(adjective)
    seat_lat = translit_uk(seat_uk) if seat_uk else ""
    if kind == "raion":
        words_uk, words_lat = ["район"], ["raion", "district", "rayon"]
        ru_adj = uk_to_ru(adjective)
        out[f"{ru_adj} район"] = "ru"
        for form in (translit_ru(ru_adj), translit_ru(ru_adj, simple_adj=True)):
            out.setdefault(f"{form} raion", "ru_latin")
            out.setdefault(f"{form} rayon", "ru_latin")
            out.setdefault(f"{form} district", "ru_latin")
    else:
        words_uk = ["громада", f"{HROMADA_TYPE.get(kat_cat, 'сільська')} громада",
                    "територіальна громада"]
        kind_lat = HROMADA_TYPE_LAT.get(kat_cat, ("rural", "village"))
        words_lat = ["hromada", "community", "territorial community", "municipality",
                     *(f"{k} {w}" for k in kind_lat for w in ("hromada", "community"))]
    for word in words_uk:
        out.setdefault(f"{adjective} {word}", "uk")
    for word in words_lat:
        out.setdefault(f"{adj_lat} {word}", "translit")
        if seat_lat:
            out.setdefault(f"{seat_lat} {word}", "form")
    # The other romanisations of the seat and of the adjective: "Kupyansk district",
    # "Horodnyanska community".
    forms = [form for form, how in variants(adjective).items() if how == "translit_y"]
    if seat_uk:
        forms += [form for form, how in variants(seat_uk).items()
                  if how in ("translit_y", "ru_latin") and form != seat_lat]
    for form in forms:
        if form != adj_lat:
            for word in words_lat[:2]:
                out.setdefault(f"{form} {word}", "translit_y")
    return out


def oblast_spellings(admin1: str, uk_adj: str) -> dict[str, str]:
    # The bare name ("Donetsk") is first of all a city's: index it as a lesser spelling.
    out: dict[str, str] = {admin1: "name" if admin1 in ("Crimea", "Kyiv City") else "short"}
    if admin1 not in ("Kyiv City", "Sevastopol", "Crimea"):
        for word in ("Oblast", "region", "province", "oblast'"):
            out.setdefault(f"{admin1} {word}", "form")
    if uk_adj and admin1 not in ("Kyiv City", "Sevastopol", "Crimea"):
        lat = translit_uk(uk_adj)
        out.setdefault(f"{uk_adj} область", "uk")
        out.setdefault(f"{lat} oblast", "translit")
        out.setdefault(lat, "translit")
    for form in OBLAST_FORMS.get(admin1, []):
        out.setdefault(form, "form")
    for stem in OBLAST_OTHER_STEMS.get(admin1, []):
        for word in ("Oblast", "region", "province"):
            out.setdefault(f"{stem} {word}", "form")
    return out
