"""The data package: valid, documented, every row sourced, and bad input rejected clearly."""
from __future__ import annotations

import shutil

import pandas as pd
import pytest

import kbook
from conftest import REPO
from kbook.data import DATA_DIR, DataError, load, sha256

RESOURCES = [r["name"] for r in kbook.package()["resources"]]
# Tables that describe the book itself or its reference codes, sourced at resource level.
EDITORIAL = {
    "chapters", "countries", "indicators", "essay_meta", "principles_to_articles",
    "verdicts", "essay_sentences",
    "objectives", "sessions", "delegations",
}
# Tables whose rows point at sourced rows elsewhere in the package (tested to resolve).
REFERENCED = {
    "claims": "evidence",
    "state_periods": "start_event",
    "counter_readings": "bibkey",
    "predictions": "claim_id",
    "argument_links": "from_claim",
    "essay_omissions": "evidence",
    "questions": "cites",
    "positions": "cites",
    "documents": "cites",
    "reading_list": "reading_id",
    "claim_tests": "output_id",  # resolved in test_evidence.py
}


def test_frictionless_validates_the_package():
    from frictionless import validate

    report = validate(str(DATA_DIR / "datapackage.json"))
    problems = report.flatten(["resourceName", "rowNumber", "fieldName", "type", "note"])
    assert report.valid, f"frictionless found problems: {problems[:10]}"


def test_hashes_and_sizes_are_current():
    for res in kbook.package()["resources"]:
        path = DATA_DIR / res["path"]
        assert res["hash"] == "sha256:" + sha256(path), f"{path}: hash in datapackage.json is stale"
        assert res["bytes"] == path.stat().st_size, f"{path}: size in datapackage.json is stale"


def test_every_csv_in_data_is_a_resource():
    described = {r["path"] for r in kbook.package()["resources"]}
    on_disk = {p.name for p in DATA_DIR.glob("*.csv")}
    assert on_disk == described, f"undescribed: {on_disk - described}; missing: {described - on_disk}"


@pytest.mark.parametrize("name", RESOURCES)
def test_resource_is_documented_and_sourced(name):
    res = kbook.resource(name)
    for key in ("title", "description", "sources", "licenses", "derivation", "schema"):
        assert res.get(key), f"{name}: no {key} in datapackage.json"
    for src in res["sources"]:
        assert src.get("title") and src.get("accessed"), f"{name}: a source without title or date read"
    assert res["schema"].get("primaryKey"), f"{name}: no primary key"
    fields = {f["name"]: f for f in res["schema"]["fields"]}
    derived = res["derivation"].startswith("scripts/derive_data.py")
    url_field = next((f for f in ("source_url", "source_1_url", "url") if f in fields), None)
    row_sourced = url_field is not None
    assert derived or row_sourced or name in EDITORIAL or name in REFERENCED, (
        f"{name}: neither derived from the raw sources nor sourced row by row")
    if name in REFERENCED:
        ref = fields[REFERENCED[name]]
        assert ref.get("constraints", {}).get("required"), f"{name}: references are not required"
    if row_sourced and name not in REFERENCED:
        url = fields[url_field]
        assert url.get("constraints", {}).get("required"), f"{name}: row sources are not required"
    df = load(name)
    assert len(df) > 0


def test_country_indicators_have_metadata():
    values = load("country_indicators")
    meta = load("indicators")
    assert set(values["indicator"]) == set(meta["indicator"]), "indicators.csv and the values disagree"
    assert meta["source_url"].str.startswith("https://").all()


def test_unverified_rows_carry_a_note():
    for name in RESOURCES:
        df = load(name)
        if "verification" in df.columns:
            weak = df[df["verification"] != "verified"]
            assert weak["note"].notna().all(), f"{name}: a partly verified or unverified row has no note"


def test_every_source_link_has_its_own_publisher():
    """Where a row lists several sources ("a | b"), each link is labelled with its own publisher:
    a reprint must never be shown under the name of the ministry whose text it reprints."""
    for name in RESOURCES:
        df = load(name)
        if not {"source_publisher", "source_url"} <= set(df.columns):
            continue
        for key, row in df.iterrows():
            pubs = [p.strip() for p in str(row["source_publisher"]).split("|")]
            urls = [u.strip() for u in str(row["source_url"]).split("|")]
            assert len(pubs) == len(urls) and all(pubs), (
                f"{name}.csv row {key}: {len(urls)} source links but {len(pubs)} publishers")


# ---- bad input: each corruption gives a clear error naming the file and the problem ----

@pytest.fixture
def data_copy(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def _rewrite(path, fn):
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(fn(lines)), encoding="utf-8")


def _expect(data_dir, name, *fragments):
    with pytest.raises(DataError) as err:
        load(name, data_dir=data_dir)
    msg = str(err.value)
    for fragment in fragments:
        assert fragment in msg, f"message {msg!r} lacks {fragment!r}"
    return msg


def test_missing_file(data_copy):
    (data_copy / "chronology.csv").unlink()
    _expect(data_copy, "chronology", "chronology.csv", "file not found")


def test_malformed_csv(data_copy):
    _rewrite(data_copy / "countries.csv", lambda ls: ls + ['XYZ,"Nowhere,1,oops\n'])
    _expect(data_copy, "countries", "countries.csv", "malformed CSV")


def test_row_with_an_extra_field(data_copy):
    path = data_copy / "claims.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[1] += ",an extra field"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"claims\.csv: malformed CSV: a row has more fields"):
        load("claims", data_copy)


def test_wrong_type(data_copy):
    _rewrite(data_copy / "country_indicators.csv",
             lambda ls: [ls[0], ls[1].replace(",", ",nineteen-ninety,", 1).replace(",1995,", ",", 1)] + ls[2:])
    _expect(data_copy, "country_indicators", "country_indicators.csv", "row 2", "'year'",
            "not a valid integer")


def test_value_out_of_range(data_copy):
    _rewrite(data_copy / "ucdp_battle_deaths.csv", lambda ls: [ls[0], ls[1].replace(",0,0,0", ",0,-5,0", 1)] + ls[2:])
    _expect(data_copy, "ucdp_battle_deaths", "ucdp_battle_deaths.csv", "'best'", "out of range")


def test_value_not_allowed(data_copy):
    _rewrite(data_copy / "chronology.csv", lambda ls: [ls[0], ls[1].replace(",imperial,", ",gossip,", 1)] + ls[2:])
    _expect(data_copy, "chronology", "chronology.csv", "'category'", "'gossip' is not one of")


def test_duplicate_key(data_copy):
    _rewrite(data_copy / "five_principles.csv", lambda ls: ls + [ls[1]])
    _expect(data_copy, "five_principles", "five_principles.csv", "duplicate primary key", "principle=1")


def test_missing_source(data_copy):
    df = pd.read_csv(data_copy / "chronology.csv", dtype=str, keep_default_na=False)
    df.loc[3, "source_1_url"] = ""
    df.to_csv(data_copy / "chronology.csv", index=False)
    _expect(data_copy, "chronology", "chronology.csv", "row 5", "missing source")


def test_wrong_columns(data_copy):
    _rewrite(data_copy / "countries.csv", lambda ls: [ls[0].replace("gw_code", "gw")] + ls[1:])
    _expect(data_copy, "countries", "countries.csv", "columns do not match", "'gw_code'")


def test_empty_file(data_copy):
    (data_copy / "countries.csv").write_text("", encoding="utf-8")
    _expect(data_copy, "countries", "countries.csv", "empty")


def test_malformed_descriptor(data_copy):
    (data_copy / "datapackage.json").write_text("{not json", encoding="utf-8")
    _expect(data_copy, "countries", "datapackage.json", "not valid JSON")


def test_unknown_table():
    with pytest.raises(DataError, match="no table called 'nonsense'.*chronology"):
        load("nonsense")


def test_state_periods_resolve_to_chronology_events():
    periods = kbook.state_periods()
    assert periods["start"].notna().all() and periods["end"].notna().all()
    assert (periods["years"] > 0).all()


def test_counter_readings_are_in_the_bibliography_and_cited_in_their_chapter():
    import re

    import nbformat

    bib = (REPO / "book" / "references.bib").read_text(encoding="utf-8")
    keys = set(re.findall(r"^@\w+\{([^,]+),", bib, re.M))
    readings = load("counter_readings")
    missing = set(readings["bibkey"]) - keys
    assert not missing, f"bibkeys not in book/references.bib: {missing}"
    chapters = load("chapters")
    for file, para in zip(chapters["file"], chapters["paragraphs"]):
        md = "\n".join(c.source for c in nbformat.read(REPO / f"{file}.ipynb", 4).cells
                       if c.cell_type == "markdown")
        cited = {k for group in re.findall(r"\{cite:p\}`([^`]+)`", md) for k in group.split(",")}
        expected = set(readings[readings["paragraph"] == para]["bibkey"])
        assert cited == expected, f"{file}: cites {sorted(cited)}, the readings table has {sorted(expected)}"
