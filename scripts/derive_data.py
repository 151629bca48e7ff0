"""Derive the curated tables in data/ from the raw material in ../shared.

Run from the repository root:  .venv/bin/python scripts/derive_data.py
(or `make data`). It needs ../shared (or KBOOK_SHARED pointing at it).

Every function below returns a DataFrame built only by selecting and
reshaping raw values: no value is computed, estimated or filled in.
tests/test_derivation.py calls the same functions and compares the result,
value by value, with the committed CSV files.
"""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"
SHARED = Path(os.environ.get("KBOOK_SHARED", REPO.parent / "shared"))
RAW = SHARED / "sources" / "raw"
ESSAY_TXT = SHARED / "essay" / "essay.txt"

# The six states the book compares; ISO3 -> (name used in the book, name in SIPRI, GW code)
COUNTRIES = {
    "ARM": ("Armenia", "Armenia", 371),
    "AZE": ("Azerbaijan", "Azerbaijan", 373),
    "GEO": ("Georgia", "Georgia", 372),
    "RUS": ("Russia", "Russia", 365),
    "TUR": ("Türkiye", "Türkiye", 640),
    "IRN": ("Iran", "Iran", 630),
}
FIRST_YEAR = 1990  # the post-Soviet period the essay discusses

SIPRI_FILES = {
    "MILEX.CONST2023USD": "Constant_2023_US.json",
    "MILEX.CURUSD": "Current_US.json",
    "MILEX.GDP": "Share_of_GDP.json",
    "MILEX.PERCAP": "Per_capita.json",
    "MILEX.GOVT": "Share_of_Govt_spending.json",
}
WDI_EXCERPTS = {
    "NY.GDP.PCAP.CD": "ny_gdp_pcap_cd",
    "NY.GDP.PCAP.KD": "ny_gdp_pcap_kd",
    "BX.TRF.PWKR.DT.GD.ZS": "bx_trf_pwkr_dt_gd_zs",
    "EG.IMP.CONS.ZS": "eg_imp_cons_zs",
    "GE.EST": "ge_est",
    "SM.POP.REFG": "sm_pop_refg",
    "SM.POP.REFG.OR": "sm_pop_refg_or",
    "VC.IDP.TOCV": "vc_idp_tocv",
}
VDEM = ["v2x_polyarchy", "v2x_libdem", "v2x_accountability", "v2x_corr", "v2x_regime",
        "e_wbgi_gee"]  # WGI government effectiveness as V-Dem carries it: the only copy with peers


def _require(path: Path) -> Path:
    if not path.exists():
        raise FileNotFoundError(f"{path}: raw source file not found (is ../shared beside the repo?)")
    return path


def _read_rda(path: Path) -> pd.DataFrame:
    import pyreadr  # only needed to derive, not to read the book

    frames = pyreadr.read_r(str(_require(path)))
    if len(frames) != 1:
        raise ValueError(f"{path}: expected one R object, found {list(frames)}")
    return next(iter(frames.values()))


def _tidy(df: pd.DataFrame) -> pd.DataFrame:
    df = df.dropna(subset=["value"])
    df = df[df["year"] >= FIRST_YEAR]
    df = df.astype({"year": "int64", "value": "float64"})
    return df.sort_values(["indicator", "iso3", "year"]).reset_index(drop=True)[
        ["iso3", "year", "indicator", "value"]
    ]


def wdi_full_files() -> pd.DataFrame:
    """Population (SP.POP.TOTL) and GDP (NY.GDP.MKTP.CD) from the datasets/* CSVs."""
    out = []
    for code, rel in [("SP.POP.TOTL", "datasets-population/population.csv"),
                      ("NY.GDP.MKTP.CD", "datasets-gdp/gdp.csv")]:
        raw = pd.read_csv(_require(RAW / rel))
        raw = raw[raw["Country Code"].isin(COUNTRIES)]
        out.append(pd.DataFrame({"iso3": raw["Country Code"], "year": raw["Year"],
                                 "indicator": code, "value": raw["Value"]}))
    return pd.concat(out)


def wdi_excerpts() -> pd.DataFrame:
    out = []
    folder = _require(RAW / "wdi-excerpts")
    for code, stem in WDI_EXCERPTS.items():
        matches = sorted(folder.glob(f"ddf--datapoints--{stem}--by--geo--time.csv.EXCERPT_*.txt"))
        if len(matches) != 1:
            raise FileNotFoundError(f"{folder}: expected one excerpt for {code}, found {matches}")
        raw = pd.read_csv(matches[0])
        raw["iso3"] = raw["geo"].str.upper()
        raw = raw[raw["iso3"].isin(COUNTRIES)]
        out.append(pd.DataFrame({"iso3": raw["iso3"], "year": raw["time"],
                                 "indicator": code, "value": raw[stem]}))
    return pd.concat(out)


def sipri() -> pd.DataFrame:
    out = []
    by_name = {v[1]: k for k, v in COUNTRIES.items()}
    for code, fname in SIPRI_FILES.items():
        rows = json.loads(_require(RAW / "sipri-milex" / fname).read_text(encoding="utf-8"))
        for row in rows:
            iso3 = by_name.get(row.get("country"))
            if iso3 is None:
                continue
            for key, val in row.items():
                if re.fullmatch(r"\d{4}", key) and val is not None:
                    out.append({"iso3": iso3, "year": int(key), "indicator": code, "value": val})
    return pd.DataFrame(out)


def vdem() -> pd.DataFrame:
    sw = _read_rda(RAW / "poldat" / "static_world.rda")
    gw = {v[2]: k for k, v in COUNTRIES.items()}
    sw = sw[sw["gwcode"].isin(gw)]
    long = sw.melt(id_vars=["gwcode", "year"], value_vars=VDEM, var_name="indicator")
    long["iso3"] = long["gwcode"].astype(int).map(gw)
    return long[["iso3", "year", "indicator", "value"]]


def country_indicators() -> pd.DataFrame:
    """One long table: iso3, year, indicator, value (units and sources in indicators.csv)."""
    return _tidy(pd.concat([wdi_full_files(), wdi_excerpts(), sipri(), vdem()]))


def ucdp_battle_deaths() -> pd.DataFrame:
    """UCDP GED battle-related deaths aggregated by location (Armenia, Azerbaijan)."""
    raw = _read_rda(RAW / "poldat" / "ucdpbrds.rda")
    gw = {371: "ARM", 373: "AZE"}
    raw = raw[raw["gwcode"].isin(gw)].copy()
    raw["iso3"] = raw["gwcode"].astype(int).map(gw)
    df = raw[["iso3", "year", "low", "best", "high"]].astype(
        {"year": "int64", "low": "int64", "best": "int64", "high": "int64"})
    return df.sort_values(["iso3", "year"]).reset_index(drop=True)


def ucdp_conflict_years() -> pd.DataFrame:
    """UCDP/PRIO Armed Conflict Dataset conflict-years with Armenia or Azerbaijan as a primary party.

    Gleditsch-Ward codes are kept as text ("" where the raw value is missing);
    the secondary-party columns show outside states supporting a side.
    """
    raw = _read_rda(RAW / "peacesciencer" / "ucdp_acd.rda")
    df = raw[raw["gwno_a"].isin([371, 373]) | raw["gwno_b"].isin([371, 373])]

    def gw(col: pd.Series) -> pd.Series:
        return col.map(lambda v: "" if pd.isna(v) else str(int(v)))

    out = pd.DataFrame({
        "conflict_id": df["conflict_id"].astype("int64"),
        "year": df["year"].astype("int64"),
        "side_a_gw": gw(df["gwno_a"]),
        "side_a_2nd_gw": gw(df["gwno_a_2nd"]),
        "side_b_gw": gw(df["gwno_b"]),
        "side_b_2nd_gw": gw(df["gwno_b_2nd"]),
        "incompatibility": df["incompatibility"].astype(str),
        "intensity_level": df["intensity_level"].astype("int64"),
        "type_of_conflict": df["type_of_conflict"].astype(str),
        "episode_end_date": df["ep_end_date"].map(lambda v: "" if v is None or pd.isna(v) else str(v)),
    })
    return out.sort_values(["conflict_id", "year"]).reset_index(drop=True)


def essay_paragraphs() -> pd.DataFrame:
    """The essay's nine paragraphs, with the two page-broken ones joined (see shared/essay/README.md)."""
    text = _require(ESSAY_TXT).read_text(encoding="utf-8")
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text) if b.strip()]
    # front matter: title, author, e-mail, rules and the affiliation footnote
    body = [b for b in blocks if not (b.startswith(("#", "**", "*", "---")))]
    joined: list[str] = []
    for block in body:
        # a paragraph broken by a page starts with a lower-case letter
        if joined and block[0].islower():
            joined[-1] = joined[-1] + " " + block
        else:
            joined.append(block)
    if len(joined) != 9:
        raise ValueError(f"{ESSAY_TXT}: expected 9 paragraphs after joining, found {len(joined)}")
    return pd.DataFrame({
        "paragraph_id": [f"P{i}" for i in range(1, 10)],
        "position": range(1, 10),
        "text": joined,
    })


def essay_front_matter() -> dict:
    text = _require(ESSAY_TXT).read_text(encoding="utf-8")
    title = re.search(r"^# (.+)$", text, re.M).group(1).strip()
    author = re.search(r"^\*\*(.+)\*\*$", text, re.M).group(1).strip()
    affiliation = re.search(r"^\*\\\* (.+)\*$", text, re.M).group(1).strip()
    return {"title": title, "author": author, "affiliation": affiliation}


# The map's frame: the South Caucasus, from the Black Sea coast of Georgia to Baku.
MAP_BBOX = (40.0, 38.2, 50.8, 43.7)  # lon_min, lat_min, lon_max, lat_max
MAP_MIN_STEP = 0.03  # degrees: drop a vertex closer than this to the last kept one


def _clip_ring(ring, bbox):
    """Sutherland-Hodgman clipping of one polygon ring to a rectangle."""
    x0, y0, x1, y1 = bbox
    edges = [(lambda p: p[0] >= x0, lambda a, b: _cut_x(a, b, x0)),
             (lambda p: p[0] <= x1, lambda a, b: _cut_x(a, b, x1)),
             (lambda p: p[1] >= y0, lambda a, b: _cut_y(a, b, y0)),
             (lambda p: p[1] <= y1, lambda a, b: _cut_y(a, b, y1))]
    pts = list(ring)
    for inside, cut in edges:
        if not pts:
            break
        out = []
        prev = pts[-1]
        for cur in pts:
            if inside(cur):
                if not inside(prev):
                    out.append(cut(prev, cur))
                out.append(cur)
            elif inside(prev):
                out.append(cut(prev, cur))
            prev = cur
        pts = out
    return pts


def _cut_x(a, b, x):
    t = (x - a[0]) / (b[0] - a[0])
    return (x, a[1] + t * (b[1] - a[1]))


def _cut_y(a, b, y):
    t = (y - a[1]) / (b[1] - a[1])
    return (a[0] + t * (b[0] - a[0]), y)


def map_outlines() -> pd.DataFrame:
    """Country outlines clipped to the map's frame and thinned, from the Natural Earth extract."""
    path = _require(SHARED / "sources" / "extracts" / "t8_south_caucasus_countries_ne10m.geojson")
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    by_name = {v[0]: k for k, v in COUNTRIES.items()} | {"Turkey": "TUR"}  # Natural Earth's name
    rows = []
    for feat in features:
        iso3 = by_name.get(feat["properties"]["name"])
        if iso3 is None:
            raise ValueError(f"{path}: unexpected country {feat['properties']['name']!r}")
        geom = feat["geometry"]
        polygons = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        ring_no = 0
        for polygon in polygons:
            clipped = _clip_ring([tuple(p) for p in polygon[0]], MAP_BBOX)  # outer ring only
            kept = []
            for lon, lat in clipped:
                if not kept or max(abs(lon - kept[-1][0]), abs(lat - kept[-1][1])) >= MAP_MIN_STEP:
                    kept.append((round(lon, 3), round(lat, 3)))
            if len(kept) < 4:
                continue
            ring_no += 1
            rows += [{"iso3": iso3, "ring": ring_no, "seq": i + 1, "lon": lon, "lat": lat}
                     for i, (lon, lat) in enumerate(kept)]
    return pd.DataFrame(rows).sort_values(["iso3", "ring", "seq"]).reset_index(drop=True)


DERIVED = {
    "country_indicators": country_indicators,
    "ucdp_battle_deaths": ucdp_battle_deaths,
    "ucdp_conflict_years": ucdp_conflict_years,
    "essay_paragraphs": essay_paragraphs,
    "map_outlines": map_outlines,
}


def write_csv(df: pd.DataFrame, path: Path) -> None:
    df.to_csv(path, index=False, lineterminator="\n")


def main() -> int:
    for name, fn in DERIVED.items():
        df = fn()
        write_csv(df, DATA / f"{name}.csv")
        print(f"data/{name}.csv: {len(df)} rows")
    from kbook.data import refresh_hashes

    refresh_hashes()
    print("data/datapackage.json: hashes refreshed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
