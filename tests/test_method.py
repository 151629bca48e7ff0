"""The verdict method: every claim's verdict fits its kind, every prediction has a criterion, no
duplicate claims, premises resolve, every sentence of the essay is accounted for. Each rule is also
shown to fail on a bad row written into a temporary copy of the data."""
from __future__ import annotations

import csv
import re
import shutil

import pytest

import kbook
from conftest import BOOK
from kbook.claims import evidence_html, verdict_class
from kbook.data import DATA_DIR, refresh_hashes
from kbook.essay import split_sentences
from kbook.method import audit


def test_the_data_follow_the_method():
    assert audit() == []


def test_verdict_names_order_and_classes_come_from_verdicts_csv():
    v = kbook.verdicts()
    assert list(v["order"]) == list(range(1, len(v) + 1)), "verdict order must be 1..n"
    enum = next(f for f in kbook.resource("claims")["schema"]["fields"] if f["name"] == "verdict")
    assert enum["constraints"]["enum"] == list(v["verdict"]), (
        "the claims schema's verdict enum must list verdicts.csv's verdicts in their order")
    css = (BOOK / "_static" / "kbook.css").read_text(encoding="utf-8")
    for r in v.itertuples():
        assert re.search(rf"\.{re.escape(r.css_class)}\s*\{{", css), f"kbook.css has no .{r.css_class}"
        assert verdict_class(r.verdict) == r.css_class
    assert v["css_class"].is_unique and v["colour"].is_unique
    assert kbook.verdict_colours() == dict(zip(v["verdict"], v["colour"]))


def test_prediction_evidence_resolves():
    for p in kbook.load("predictions").itertuples():
        for refs in (p.condition_evidence, p.mechanism_evidence):
            if isinstance(refs, str) and refs:
                evidence_html(refs)


def test_sentence_split_rule():
    assert split_sentences("One. Two? “Three.” Four") == ["One.", "Two?", "“Three.”", "Four"]
    assert split_sentences("See e.g. this. Next.") == ["See e.g. this.", "Next."]
    s = kbook.load("essay_sentences")
    assert len(s) == len(set(s["sentence_id"])) > 0


# ---- each rule fails on a bad row ----

@pytest.fixture
def data_copy(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def _edit(data_dir, name, fn):
    """Rewrite data/<name>.csv in the copy through fn(rows) and refresh the copy's hashes."""
    path = data_dir / f"{name}.csv"
    with path.open(encoding="utf-8") as f:
        reader = csv.DictReader(f)
        cols, rows = reader.fieldnames, list(reader)
    rows = fn(rows)
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=cols, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    refresh_hashes(data_dir)


def _set(claim_id, **values):
    def fn(rows):
        for r in rows:
            if r.get("claim_id") == claim_id:
                r.update(values)
        return rows
    return fn


def _expect(data_dir, *fragments):
    problems = "\n".join(audit(data_dir))
    for fragment in fragments:
        assert fragment in problems, f"audit did not report {fragment!r}: {problems!r}"


# One claim edited in a copy of the data, and the problem the audit must report.
CLAIM_EDITS = [
    ("C33", {"verdict": "supported"}, "C33: a normative claim may not be rated 'supported'"),
    ("C02", {"verdict": "contested"}, "C02: an interpretive claim may not be rated 'contested'"),
    ("C39", {"held_by": ""}, "C39: verdict 'position (not rated)' needs held_by"),
    ("C04", {"kind": "factual"}, "predictions.csv C04: not a predictive claim"),
    ("C23", {"reasoning": "See claim C14."}, "C23: reasoning is only a pointer to another claim"),
    ("C45", {"premise_of": "C02;C99"}, "C45: premise_of names C99, which is not a claim"),
]


@pytest.mark.parametrize("claim_id,changes,problem", CLAIM_EDITS, ids=[c[2].split(":")[1].strip() for c in CLAIM_EDITS])
def test_rejects_a_bad_claim_row(data_copy, claim_id, changes, problem):
    _edit(data_copy, "claims", _set(claim_id, **changes))
    _expect(data_copy, problem)


def test_rejects_a_prediction_without_criterion_row(data_copy):
    _edit(data_copy, "predictions", lambda rows: [r for r in rows if r["claim_id"] != "C37"])
    _expect(data_copy, "C37: a prediction without a row (criterion)")


def test_rejects_a_duplicate_quote(data_copy):
    quote = kbook.load("claims").set_index("claim_id").at["C12", "quote"]
    _edit(data_copy, "claims", _set("C13", quote=quote, paragraph="P3"))
    _expect(data_copy, "C12, C13: duplicate claims quote the same words")


def test_rejects_a_sentence_not_accounted_for(data_copy):
    _edit(data_copy, "essay_sentences", lambda rows: [r for r in rows if r["sentence_id"] != "P7.S1"])
    _expect(data_copy, "sentence P7.S1 of the essay is not accounted for")


def test_rejects_a_sentence_without_claims_or_reason(data_copy):
    def fn(rows):
        for r in rows:
            if r["sentence_id"] == "P1.S5":
                r["reason"] = ""
        return rows
    _edit(data_copy, "essay_sentences", fn)
    _expect(data_copy, "P1.S5: neither claims nor a reason")


def test_rejects_an_unknown_claim_in_a_sentence(data_copy):
    def fn(rows):
        for r in rows:
            if r["sentence_id"] == "P1.S1":
                r["claims"] = "C01;C28"
        return rows
    _edit(data_copy, "essay_sentences", fn)
    _expect(data_copy, "P1.S1: names C28, which is not a claim")


def test_rejects_drift_in_the_split(data_copy):
    def fn(rows):
        for r in rows:
            if r["paragraph_id"] == "P7":
                r["text"] = r["text"].replace("Therefore, the challenges", "Therefore. The challenges")
        return rows
    _edit(data_copy, "essay_paragraphs", fn)
    _expect(data_copy, "P7.S1: opening", "sentence P7.S6 of the essay is not accounted for")
