"""The analyses of issue #11: territory control, displacement waves, diplomacy as data.

Each table loads against its schema, every row is sourced, dates are in range,
the map is drawn from the data (one set of traces per period), every wave has a
base (or is declared as having none, with the reason), and meeting formats come
from the schema's enum.
"""
from __future__ import annotations

import pandas as pd
import pytest

import kbook
from kbook import analyses

TABLES = ["territory_units", "territory_control", "displacement_waves", "meetings", "displacement_2023"]
TODAY = pd.Timestamp("2026-12-02")


@pytest.mark.parametrize("name", TABLES)
def test_tables_load_and_every_row_is_sourced(name):
    df = kbook.load(name)
    assert len(df) > 0
    for col in ("source_publisher", "source_url", "accessed", "verification"):
        assert df[col].notna().all(), f"{name}: a row without {col}"
    assert (df["accessed"] <= TODAY).all(), f"{name}: a source read in the future"
    weak = df[df["verification"] != "verified"]
    assert weak["note"].notna().all(), f"{name}: a row not fully verified has no note"
    if name != "territory_units" and name != "meetings":
        assert df["source_says"].notna().all(), f"{name}: a row does not say what its source says"


def test_territory_units_are_the_oblast_shusha_and_seven_districts():
    units = kbook.load("territory_units")
    districts = units[units["kind"] == "district"]
    assert len(districts) == 7
    assert {"nkao", "shusha"} <= set(units["unit_id"])
    # both names at first use, where a second name was read
    assert districts["name_en"].str.contains(" / ").sum() >= 6


def test_territory_periods_are_in_range_and_do_not_overlap():
    per = analyses.territory_periods()
    assert set(per["unit_id"]) == set(kbook.load("territory_units")["unit_id"])
    assert (per["start_day"] >= pd.Timestamp("1988-01-01")).all()
    assert (per["start_day"] <= TODAY).all()
    ended = per.dropna(subset=["end_day"])
    assert (ended["end_day"] > ended["start_day"]).all()
    for unit, part in per.sort_values("seq").groupby("unit_id"):
        part = part.sort_values("seq")
        # each period ends the day the next begins; only the last is open
        assert list(part["end_day"].iloc[:-1]) == list(part["start_day"].iloc[1:]), unit
        assert pd.isna(part["end_day"].iloc[-1]), unit


def test_every_unit_has_a_controller_in_every_period():
    for _, day in analyses.PERIODS:
        snap = analyses.control_snapshot(day)
        assert len(snap) == len(kbook.load("territory_units"))


def test_map_is_drawn_from_the_data_with_traces_per_period():
    fig = analyses.territory_map()
    named = [t.name for t in fig.data if t.name and ":" in t.name]
    for label, day in analyses.PERIODS:
        traces = [t for t in fig.data if t.name and t.name.startswith(label + ":")]
        assert traces, f"no trace for period {label!r}"
        drawn = sorted(n for t in traces for n in t.hovertext)
        expected = sorted(analyses.control_snapshot(day)["name_en"])
        assert drawn == expected, label
    units = kbook.load("territory_units").set_index("name_en")
    for t in fig.data:
        if t.name in named:
            for name, x, y in zip(t.hovertext, t.x, t.y):
                assert (units.at[name, "lon"], units.at[name, "lat"]) == (x, y)
    buttons = fig.layout.updatemenus[-1].buttons
    assert [b.label for b in buttons] == [label for label, _ in analyses.PERIODS]


def test_every_wave_has_a_base_or_says_why_not():
    rows = kbook.load("displacement_waves")
    for wid, part in rows.groupby("wave_id"):
        counts = part[(part["role"] == "count") & (part["primary"] == "yes")]
        bases = part[(part["role"] == "base") & (part["primary"] == "yes")]
        assert len(counts) == 1, f"{wid}: needs exactly one primary count"
        if wid in analyses.BASE_NOT_FOUND:
            assert bases.empty
        else:
            assert len(bases) == 1, f"{wid}: needs exactly one primary base with its own source"
            assert bases["source_url"].iloc[0] != counts["source_url"].iloc[0], (
                f"{wid}: the base must have its own source")
    waves = analyses.waves()
    assert set(waves["wave_id"]) == set(rows["wave_id"])
    shares = waves.dropna(subset=["share"])
    assert (shares["base_scope"] == "full").all(), "a share was computed on a partial or missing base"


def test_displacement_chart_draws_a_count_and_base_per_wave():
    fig = analyses.displacement_chart()
    waves = analyses.waves()
    assert [t.name for t in fig.data] == ["People reported displaced", "Population it came from (base)"]
    assert list(fig.data[0].y) == list(waves["count"])
    missing = waves[waves["base_scope"] == "missing"]
    notes = [a.text for a in fig.layout.annotations]
    assert notes.count("base not found") == len(missing)


def test_meetings_formats_dates_and_attendance():
    m = kbook.load("meetings")
    enum = next(f for f in kbook.resource("meetings")["schema"]["fields"] if f["name"] == "format")
    assert set(m["format"]) <= set(enum["constraints"]["enum"])
    assert set(m["format"]) <= set(analyses.FORMAT_LABELS)
    assert (m["date"] >= pd.Timestamp("2020-11-10")).all() and (m["date"] <= TODAY).all()
    ended = m.dropna(subset=["end_date"])
    assert (ended["end_date"] >= ended["date"]).all()
    # a summit one leader did not attend is never counted as a meeting of the two sides
    absent = m[m["both_present"] == "no"]
    assert (absent["azerbaijan"].str.startswith("none") | absent["armenia"].str.startswith("none")).all()
    counted = analyses.meetings()
    assert not set(absent["meeting_id"]) & set(counted["meeting_id"])
    assert (counted["level"] == "leader").all()


def test_meetings_chart_and_table_agree():
    fig = analyses.meetings_chart()
    total = sum(sum(t.y) for t in fig.data)
    table = analyses.meetings_by_format()
    assert total == table["Meetings"].sum() == len(analyses.meetings())
    outcome_cols = table.columns[2:]
    assert (table[outcome_cols].sum(axis=1) == table["Meetings"]).all()
