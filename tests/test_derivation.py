"""The derived tables in data/ match the raw sources in ../shared/sources, value by value.

Runs whenever ../shared/sources exists (CI always has it). Elsewhere each test
says why it did not run; with CI=true a missing ../shared is a failure.
"""
from __future__ import annotations

import io

import pandas as pd
import pytest

from conftest import REPO, SHARED, need, tracked_files
from kbook.data import DATA_DIR, sha256

SOURCES = SHARED / "sources"


@pytest.fixture(scope="module")
def derive():
    need((SOURCES / "raw").is_dir(), f"{SOURCES}/raw is not here: the derivation cannot be re-run")
    import derive_data

    return derive_data


def _cell_differences(committed: str, fresh: str, limit: int = 10) -> list[str]:
    a = pd.read_csv(io.StringIO(committed), dtype=str, keep_default_na=False)
    b = pd.read_csv(io.StringIO(fresh), dtype=str, keep_default_na=False)
    if list(a.columns) != list(b.columns):
        return [f"columns differ: {list(a.columns)} vs {list(b.columns)}"]
    if len(a) != len(b):
        return [f"row counts differ: committed {len(a)}, re-derived {len(b)}"]
    diffs = []
    for col in a.columns:
        for i in a.index[a[col] != b[col]]:
            diffs.append(f"row {i + 2}, {col}: committed {a.at[i, col]!r}, re-derived {b.at[i, col]!r}")
            if len(diffs) >= limit:
                return diffs
    return diffs


@pytest.mark.parametrize("name", ["country_indicators", "ucdp_battle_deaths",
                                  "ucdp_conflict_years", "essay_paragraphs", "map_outlines"])
def test_committed_table_equals_rederived(derive, name):
    fresh = derive.DERIVED[name]().to_csv(index=False, lineterminator="\n")
    committed = (DATA_DIR / f"{name}.csv").read_text(encoding="utf-8")
    assert committed == fresh, f"data/{name}.csv differs from a fresh derivation: " + "; ".join(
        _cell_differences(committed, fresh))


# The extracts in shared/sources/extracts were made independently from the same raw
# files; our derived values must agree with every one of them.
EXTRACT_CODES = {  # extract indicator code -> ours
    "SP.POP.TOTL": "SP.POP.TOTL", "NY.GDP.MKTP.CD": "NY.GDP.MKTP.CD",
    "NY.GDP.PCAP.CD": "NY.GDP.PCAP.CD", "NY.GDP.PCAP.KD": "NY.GDP.PCAP.KD",
    "BX.TRF.PWKR.DT.GD.ZS": "BX.TRF.PWKR.DT.GD.ZS", "EG.IMP.CONS.ZS": "EG.IMP.CONS.ZS",
    "GE.EST": "GE.EST", "SM.POP.REFG": "SM.POP.REFG", "SM.POP.REFG.OR": "SM.POP.REFG.OR",
    "VC.IDP.TOCV": "VC.IDP.TOCV", "milex_constant_2023_usd": "MILEX.CONST2023USD",
    "milex_current_usd": "MILEX.CURUSD", "milex_share_of_gdp": "MILEX.GDP",
    "milex_per_capita": "MILEX.PERCAP", "milex_share_of_govt_spending": "MILEX.GOVT",
    "v2x_polyarchy": "v2x_polyarchy", "v2x_libdem": "v2x_libdem",
    "v2x_accountability": "v2x_accountability", "v2x_corr": "v2x_corr", "v2x_regime": "v2x_regime",
    "e_wbgi_gee": "e_wbgi_gee",
}


def test_government_effectiveness_has_peers_and_two_releases():
    """Chapter 8 compares Armenia with peers (only the V-Dem copy of WGI has them) and shows
    how far the two releases of the same indicator differ, so both must be derived."""
    ours = pd.read_csv(DATA_DIR / "country_indicators.csv")
    peers = ours[ours["indicator"] == "e_wbgi_gee"]
    assert set(peers["iso3"]) == {"ARM", "AZE", "GEO", "RUS", "TUR", "IRN"}
    assert peers.groupby("iso3")["year"].max().min() >= 2022
    ge = ours[ours["indicator"] == "GE.EST"].merge(peers, on=["iso3", "year"])
    assert len(ge) >= 40, "the two releases should overlap in most years for Armenia and Azerbaijan"


def test_country_indicators_agree_with_the_extracts():
    need((SOURCES / "extracts").is_dir(), f"{SOURCES}/extracts is not here")
    ours = pd.read_csv(DATA_DIR / "country_indicators.csv").set_index(["iso3", "year", "indicator"])["value"]
    checked = 0
    for f in ["t1_population_gdp_wdi.csv", "t2_military_expenditure_sipri.csv",
              "t5_remittances_energy_imports_wdi.csv", "t6_governance_vdem_wgi.csv",
              "t7_refugees_idps_wdi.csv"]:
        ex = pd.read_csv(SOURCES / "extracts" / f)
        code_col = next(c for c in ("indicator_code", "measure", "indicator") if c in ex.columns)
        ex = ex[ex[code_col].isin(EXTRACT_CODES) & (ex["year"] >= 1990)]
        for row in ex.itertuples(index=False):
            key = (row.iso3, int(row.year), EXTRACT_CODES[getattr(row, code_col)])
            assert key in ours.index, f"{f}: {key} is in the extract but not in data/country_indicators.csv"
            assert ours[key] == pytest.approx(row.value, rel=1e-9), f"{f}: {key} differs"
            checked += 1
    assert checked > 2000


def test_battle_deaths_agree_with_the_extract():
    need((SOURCES / "extracts").is_dir(), f"{SOURCES}/extracts is not here")
    ex = pd.read_csv(SOURCES / "extracts" / "t3_ucdp_battle_deaths_by_location.csv")
    ours = pd.read_csv(DATA_DIR / "ucdp_battle_deaths.csv")
    merged = ex.merge(ours, on=["iso3", "year"], suffixes=("_ex", ""))
    assert len(merged) == len(ex) == len(ours)
    for col in ("low", "best", "high"):
        assert (merged[col] == merged[f"{col}_ex"]).all(), f"UCDP {col} differs from the extract"


def test_no_raw_source_file_is_committed_verbatim():
    need(SOURCES.is_dir(), f"{SOURCES} is not here")
    raw = {sha256(p) for p in SOURCES.rglob("*") if p.is_file() and p.stat().st_size}
    for rel in tracked_files():
        path = REPO / rel
        if path.is_file() and path.stat().st_size:
            assert sha256(path) not in raw, f"{rel} is a verbatim copy of a file in {SOURCES}"
