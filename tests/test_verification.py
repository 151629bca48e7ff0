"""Every curated row records what its source says and when it was read (issue #10, point 3).

Generic: any table in the data package with a `source_says` column is checked by
kbook.sources.verification_problems. Each rule is shown to fail on a broken copy.
"""
from __future__ import annotations

import shutil

import pandas as pd
import pytest

from kbook.data import DATA_DIR, load
from kbook.sources import (REFERENCE_DOMAINS, evidence_tables, is_reference_url,
                           verification_problems)

CHRONOLOGY_COLUMNS = {"event_id", "date", "title", "source_1_url", "source_2_url",
                      "verification", "note", "source_says", "accessed"}


@pytest.fixture
def data_copy(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def _edit(data_dir, path, row, **values):
    df = pd.read_csv(data_dir / path, dtype=str, keep_default_na=False)
    for col, val in values.items():
        df.loc[row, col] = val
    df.to_csv(data_dir / path, index=False)


def test_the_chronology_records_its_evidence():
    assert CHRONOLOGY_COLUMNS <= set(load("chronology").columns)
    assert "chronology" in {r["name"] for r in evidence_tables()}


def test_every_evidence_table_passes():
    problems = verification_problems()
    assert not problems, "\n".join(problems[:20])


def test_reference_domains_are_recognised():
    assert "wikipedia.org" in REFERENCE_DOMAINS
    assert is_reference_url("https://en.wikipedia.org/wiki/Treaty_of_Gulistan")
    assert is_reference_url("https://wikimili.com/en/Lachin_corridor")
    assert not is_reference_url("https://www.hrw.org/reports/1994/WR94/Helsinki-03.htm")
    assert not is_reference_url("https://notwikipedia.org.example.com/x")


def test_empty_source_says_fails(data_copy):
    _edit(data_copy, "chronology.csv", 0, source_says="  ")
    assert any("empty source_says" in p for p in verification_problems(data_copy))


@pytest.mark.parametrize("bad", ["", "28 Nov 2026", "2026-13-01", "2999-01-01"])
def test_bad_accessed_date_fails(data_copy, bad):
    _edit(data_copy, "chronology.csv", 0, accessed=bad)
    assert any("accessed" in p for p in verification_problems(data_copy))


def test_row_resting_on_wikipedia_must_be_unverified(data_copy):
    _edit(data_copy, "chronology.csv", 0, source_1_url="https://en.wikipedia.org/wiki/X",
          source_2_url="https://wikimili.com/en/X", verification="verified")
    assert any("reference works" in p for p in verification_problems(data_copy))
    _edit(data_copy, "chronology.csv", 0, verification="unverified")
    assert not any("reference works" in p for p in verification_problems(data_copy))


@pytest.mark.parametrize("phrase", ["see NOTES", "headline not seen", "available to me", "TODO", "TBD"])
def test_working_notes_fail(data_copy, phrase):
    _edit(data_copy, "chronology.csv", 1, note=f"Checked. {phrase.lower()} later.")
    assert any("working note" in p for p in verification_problems(data_copy))


def test_missing_evidence_column_fails(data_copy):
    df = pd.read_csv(data_copy / "chronology.csv", dtype=str, keep_default_na=False)
    df.drop(columns=["accessed"]).to_csv(data_copy / "chronology.csv", index=False)
    assert any("no column 'accessed'" in p for p in verification_problems(data_copy))
