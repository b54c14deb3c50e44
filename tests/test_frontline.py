"""Front-line snapshots: loading (and refusing), the front line, per-date stats, the chart."""

from __future__ import annotations

import datetime as dt
import json
import warnings

import geopandas as gpd
import numpy as np
import pytest
import shapely
from pyproj import Geod
from shapely.geometry import Point, Polygon, box, mapping

from tests.conftest import shared_path
from tracker.boundaries import border, ukraine
from tracker.distance import ExtentWarning, reference_distance
from tracker.errors import BorderError, GazetteerError
from tracker.frontline import (
    Snapshot,
    chart,
    front_line,
    load_snapshot,
    load_snapshots,
    resolve_city,
    stats,
)
from tracker.models import FRONTLINE_COLUMNS

GEOD = Geod(ellps="WGS84")
# A synthetic "occupied" block east of the Donetsk/Dnipropetrovsk border (not touching it)
EAST = box(37.0, 47.9, 37.6, 48.4)
# ... and one reaching across it into Dnipropetrovsk oblast
ACROSS = box(36.4, 47.9, 37.6, 48.4)


def _write(path, geometry=None, properties=None, raw=None):
    if raw is None:
        raw = json.dumps({"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": properties or {}, "geometry": mapping(geometry)}]})
    path.write_text(raw, encoding="utf-8")
    return path


def _snap(geom, day=20, kind="occupied"):
    return Snapshot(dt.date(2025, 5, day), f"synthetic_{day}.geojson", geom, kind)


# ----------------------------------------------------------------- loading


def test_dates_from_name_or_property_and_kinds(tmp_path):
    _write(tmp_path / "deepstate_2025-05-20.geojson", EAST)
    _write(tmp_path / "deepstatemap_data_20250521.geojson", EAST)
    _write(tmp_path / "snapshot.geojson", EAST, {"date": "2025-05-22"})
    _write(tmp_path / "deepstate_greyzone_2025-05-20.geojson", EAST)
    snaps, problems = load_snapshots([tmp_path])
    assert problems == []
    assert [(s.date.isoformat(), s.kind) for s in snaps] == [
        ("2025-05-20", "greyzone"), ("2025-05-20", "occupied"), ("2025-05-21", "occupied"),
        ("2025-05-22", "occupied")]
    assert all(s.geometry.equals(EAST) for s in snaps)


def test_broken_files_are_named_and_the_rest_still_load(tmp_path):
    good = _write(tmp_path / "ok_2025-05-20.geojson", EAST)
    files = [
        _write(tmp_path / "text_2025-05-21.geojson", raw="this is not json"),
        _write(tmp_path / "list_2025-05-22.geojson", raw="[1, 2]"),
        _write(tmp_path / "empty_2025-05-23.geojson",
               raw='{"type": "FeatureCollection", "features": []}'),
        _write(tmp_path / "points_2025-05-24.geojson", Point(37, 48)),
        _write(tmp_path / "nodate.geojson", EAST),
        _write(tmp_path / "badcoords_2025-05-25.geojson",
               raw='{"type": "Polygon", "coordinates": [[["a", 1]]]}'),
        tmp_path / "missing_2025-05-26.geojson",
    ]
    snaps, problems = load_snapshots([good, *files])
    assert [s.path for s in snaps] == [str(good)]
    by_file = {}
    for path, message in problems:
        by_file.setdefault(path, []).append(message)
    assert set(by_file) == {str(f) for f in files}
    assert "not valid JSON (line 1" in by_file[str(files[0])][0]
    assert "not GeoJSON" in by_file[str(files[1])][0]
    assert "no polygon geometry" in by_file[str(files[2])][-1]
    assert "no polygon geometry" in by_file[str(files[3])][-1]
    assert "no date" in by_file[str(files[4])][0]
    assert "unreadable geometry" in by_file[str(files[5])][0]
    assert "cannot read" in by_file[str(files[6])][0]


def test_invalid_rings_are_repaired_and_said_so(tmp_path):
    bowtie = Polygon([(37.0, 48.0), (37.5, 48.5), (37.5, 48.0), (37.0, 48.5), (37.0, 48.0)])
    assert not bowtie.is_valid
    path = _write(tmp_path / "bowtie_2025-05-20.geojson", bowtie)
    snap, notes = load_snapshot(path)
    assert snap is not None and snap.geometry.is_valid
    assert snap.geometry.area == pytest.approx(0.125, rel=1e-6)  # both triangles kept
    assert any("make_valid" in m for _, m in notes) and "make_valid" in snap.notes[0]


def test_a_second_file_for_the_same_date_is_left_out(tmp_path):
    _write(tmp_path / "a_2025-05-20.geojson", EAST)
    _write(tmp_path / "b_2025-05-20.geojson", ACROSS)
    snaps, problems = load_snapshots([tmp_path])
    assert len(snaps) == 1 and snaps[0].geometry.equals(EAST)
    assert "a second occupied snapshot for 2025-05-20" in problems[0][1]


# ----------------------------------------------------------------- the front line


def test_front_line_of_an_inland_block_is_its_whole_outline():
    inland = box(35.0, 49.0, 35.5, 49.3)  # Poltava/Kharkiv, far from coast and border
    line = front_line(inland)
    assert GEOD.geometry_length(line) == pytest.approx(GEOD.geometry_length(inland.boundary),
                                                       rel=1e-6)


def test_front_line_leaves_out_the_coast_and_the_international_border():
    # From the Azov coast up into Donetsk oblast: the southern edge is sea
    coastal = box(36.8, 46.6, 37.4, 47.6)
    line = front_line(_snap(coastal))
    assert line.intersection(box(36.7, 46.5, 37.5, 46.7)).is_empty  # the sea edge is not
    assert line.intersects(Point(37.1, 47.6).buffer(0.01))  # the northern edge is a front
    assert line.intersects(Point(37.4, 47.2).buffer(0.01))  # so are the sides, down to the coast
    # Across the Russian border north of Kharkiv: the part in Russia is no front line
    northern = box(36.2, 49.8, 37.0, 50.8)
    line = front_line(northern)
    assert not line.is_empty
    assert line.intersection(box(36.2, 50.6, 37.0, 50.8)).is_empty
    in_russia = line.difference(shapely.buffer(ukraine(), 0.05))
    assert in_russia.length == 0


# ----------------------------------------------------------------- stats


def test_stats_columns_area_and_change():
    frame = stats([_snap(ACROSS, 21), _snap(EAST, 20)])
    assert list(frame.columns[:len(FRONTLINE_COLUMNS)]) == FRONTLINE_COLUMNS
    assert frame["date"].tolist() == ["2025-05-20", "2025-05-21"]
    # geodesic area agrees with an equal-area projection
    equal_area = gpd.GeoSeries([EAST, ACROSS], crs=4326).to_crs("EPSG:6933").area / 1e6
    assert frame["area_km2"].tolist() == pytest.approx(equal_area.tolist(), rel=1e-4)
    assert np.isnan(frame.loc[0, "area_change_km2"])
    assert frame.loc[1, "area_change_km2"] == pytest.approx(
        frame.loc[1, "area_km2"] - frame.loc[0, "area_km2"], abs=0.11)


def test_closest_approach_to_the_free_border_matches_brute_force():
    row = stats([_snap(EAST)], border="Donetsk/Dnipropetrovsk").iloc[0]
    line = border("Donetsk", "Dnipropetrovsk")
    # every ~100 m: at ~20 km the sampling misses the minimum by well under a metre
    samples = shapely.get_coordinates(shapely.segmentize(line, 0.001))
    # brute force over the border samples that can matter (within ~0.3 degree of the block)
    samples = samples[shapely.distance(shapely.points(samples), EAST) < 0.3]
    expected = reference_distance(samples[:, 1], samples[:, 0], EAST, spacing_m=50).min()
    assert row["distance_km"] == pytest.approx(expected, abs=0.03)
    assert row["border"] == "Donetsk|Dnipropetrovsk" and row["border_crossed_km"] == 0
    # the two points are on their geometries and that far apart
    assert EAST.boundary.distance(Point(row["occupied_longitude"], row["occupied_latitude"])) \
        < 1e-6
    assert line.distance(Point(row["border_longitude"], row["border_latitude"])) < 1e-6
    km = GEOD.inv(row["occupied_longitude"], row["occupied_latitude"],
                  row["border_longitude"], row["border_latitude"])[2] / 1000
    assert km == pytest.approx(row["distance_km"], abs=0.002)


def test_a_crossed_border_is_measured_and_the_approach_is_zero():
    row = stats([_snap(ACROSS)], border="Dnipropetrovsk/Donetsk").iloc[0]
    line = border("Donetsk", "Dnipropetrovsk")
    inside_km = GEOD.geometry_length(line.intersection(ACROSS)) / 1000
    assert row["border"] == "Dnipropetrovsk|Donetsk"
    assert row["border_crossed_km"] == pytest.approx(inside_km, abs=0.001) and inside_km > 40
    assert row["distance_km"] == 0


def test_a_fully_occupied_border_has_no_distance():
    row = stats([_snap(box(35.5, 47.3, 38.0, 49.2))]).iloc[0]
    assert np.isnan(row["distance_km"]) and row["border_crossed_km"] > 140


def test_cities_by_name_or_coordinates():
    frame = stats([_snap(EAST)], cities=["Kramatorsk", "Dnipro=48.45,35.05", (
        "Inside", 48.0, 37.3)])
    row = frame.iloc[0]
    kramatorsk = resolve_city("Kramatorsk")
    assert row["kramatorsk_km"] == pytest.approx(
        GEOD.inv(kramatorsk[2], kramatorsk[1], kramatorsk[2], 48.4)[2] / 1000, abs=0.05)
    assert row["dnipro_km"] > 100
    assert row["inside_km"] == 0 and row["inside_occupied_latitude"] == 48.0


def test_unknown_border_and_city_are_errors():
    with pytest.raises(BorderError, match="valid borders"):
        stats([_snap(EAST)], border="Donetsk/Atlantis")
    with pytest.raises(GazetteerError, match="no place called 'Xqzzyvillezzz'"):
        stats([_snap(EAST)], cities=["Xqzzyvillezzz"])


def test_resolve_city_forms():
    assert resolve_city("48.5,37.1") == ("48.5,37.1", 48.5, 37.1)
    assert resolve_city(" Kramatorsk = 48.73, 37.56 ") == ("Kramatorsk", 48.73, 37.56)
    name, lat, lon = resolve_city("Pokrovsk")
    assert name == "Pokrovsk" and (lat, lon) == pytest.approx((48.28014, 37.17706), abs=1e-4)
    with pytest.raises(GazetteerError, match="out of range"):
        resolve_city("98,37")


def test_chart_is_a_png(tmp_path):
    frame = stats([_snap(EAST, 20), _snap(ACROSS, 21)], cities=["Pokrovsk"])
    path = chart(frame, tmp_path / "sub" / "front.png")
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000


def test_empty_input_gives_the_columns():
    assert list(stats([]).columns[:len(FRONTLINE_COLUMNS)]) == FRONTLINE_COLUMNS


# ----------------------------------------------------------------- the real snapshots


def test_real_snapshot_2025_05_20_reproduces_the_reference_facts():
    path = shared_path("frontline", "deepstate_2025-05-20.geojson")
    snaps, problems = load_snapshots([path])
    assert problems == []
    row = stats(snaps, border="Donetsk/Dnipropetrovsk").iloc[0]
    assert row["area_km2"] == pytest.approx(112_864, abs=5)
    assert row["distance_km"] == pytest.approx(3.34, abs=0.01)  # the seed's "less than 5 km"
    assert row["border_crossed_km"] == 0


def test_real_snapshot_2025_09_01_has_crossed_the_border():
    snaps, _ = load_snapshots([shared_path("frontline", "deepstate_2025-09-01.geojson")])
    row = stats(snaps).iloc[0]
    assert row["border_crossed_km"] > 5 and row["distance_km"] == 0


def test_real_greyzone_and_front_line():
    grey = shared_path("frontline", "deepstate_greyzone_2025-05-20.geojson")
    occupied = shared_path("frontline", "deepstate_2025-05-20.geojson")
    snaps, problems = load_snapshots([grey, occupied])
    assert problems == [] and [s.kind for s in snaps] == ["greyzone", "occupied"]
    line = front_line(snaps[1])
    km = GEOD.geometry_length(line) / 1000
    assert 900 < km < 1400  # the front is ~1,000-1,200 km; the coast (~2,000 km) is not in it
    with warnings.catch_warnings():
        warnings.simplefilter("error", ExtentWarning)
        from tracker.distance import distance

        # Pokrovsk, 2025-05-20: a few km from the front
        assert 2 < distance(48.28014, 37.17706, to=line).loc[0, "distance_km"] < 10


def test_real_monthly_series_loads_and_tells_the_story():
    folder = shared_path("frontline", "monthly")
    snaps, problems = load_snapshots([folder])
    assert problems == [] and len(snaps) == len(list(folder.glob("*.geojson")))
    frame = stats(snaps)
    assert frame["date"].is_monotonic_increasing
    assert frame["area_km2"].iloc[-1] > frame["area_km2"].iloc[0] + 5_000
    # the border is still free in 2024 and crossed by the autumn of 2025
    crossed = frame.loc[frame["border_crossed_km"] > 0, "date"]
    assert frame.set_index("date").loc["2024-08-01", "distance_km"] > 10
    assert "2025-05-01" < crossed.iloc[0] <= "2025-09-01"
    assert (frame.loc[frame["border_crossed_km"] > 0, "distance_km"] == 0).all()
