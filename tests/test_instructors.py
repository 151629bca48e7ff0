"""The instructor's material is tied to the data: objectives, questions with model answers, the
simulation's briefs and the document reader cite rows that exist; every chapter shows its
objectives and questions from the data; the briefs print."""
from __future__ import annotations

import re

import nbformat
import pytest

import kbook
from conftest import REPO
from kbook import teaching
from kbook.data import DataError

CHAPTERS = kbook.load("chapters")[["chapter_id", "file"]].itertuples(index=False)
CHAPTERS = list(CHAPTERS)


def test_every_chapter_has_two_disciplinary_objectives():
    obj = kbook.load("objectives")
    for cid, _ in CHAPTERS:
        kinds = obj[obj["chapter_id"] == cid]["kind"].value_counts()
        assert kinds.get("disciplinary", 0) >= 2, f"{cid}: fewer than two disciplinary objectives"
        assert kinds.get("technical", 0) >= 1, f"{cid}: no technical objective"


@pytest.mark.parametrize("cid,file", CHAPTERS)
def test_chapter_shows_objectives_and_questions_from_the_data(cid, file):
    nb = nbformat.read(REPO / f"{file}.ipynb", 4)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert f'kb.show_objectives("{cid}")' in code and f'kb.show_questions("{cid}")' in code
    assert "Learning objectives" not in text, f"{file}: objectives typed in the notebook, not from data"
    section = text.split("## Questions for discussion", 1)[1].split("###", 1)[0]
    assert not re.search(r"^\d+\. ", section, re.M), f"{file}: questions typed in the notebook"
    # the exercise prompt lives in the chapter; its marking note must be for the same prompt
    exercise = re.search(r"### Exercise with the data\n\n(.*?)\n\nThe solution", text, re.S)
    ex = kbook.load("questions").set_index("question_id").at[f"{cid}-ex", "question"]
    assert exercise and exercise.group(1).strip() == ex.strip(), f"{file}: exercise differs from questions.csv"


def test_every_question_has_an_answer_resting_on_rows():
    q = kbook.load("questions")
    for cid, _ in CHAPTERS:
        part = q[q["chapter_id"] == cid]
        assert (part["kind"] == "discussion").sum() >= 3 and (part["kind"] == "exercise").sum() == 1, cid
    for _, row in q.iterrows():
        assert len(row["model_answer"].split()) >= 20, f"{row.question_id}: model answer too thin"
        assert teaching.refs(row["cites"], row["question_id"]), f"{row.question_id}: cites nothing"


def test_briefs_and_documents_cite_rows_that_exist():
    pos = kbook.load("positions")
    for _, p in pos.iterrows():
        assert teaching.refs(p["cites"], p["position_id"])
    delegations = set(kbook.load("delegations")["delegation"])
    for scenario in teaching.SCENARIOS:
        have = set(pos[pos["scenario"] == scenario]["delegation"])
        assert have == delegations, f"scenario {scenario}: no brief points for {sorted(delegations - have)}"
    claims = set(kbook.load("claims")["claim_id"])
    for _, d in kbook.load("documents").iterrows():
        teaching.refs(d["cites"], d["doc_id"])
        assert set(d["bears_on"].split(";")) <= claims, d["doc_id"]


def test_reading_lists_hear_every_side():
    lst = kbook.load("reading_list")
    persp = kbook.load("counter_readings").set_index("reading_id")["perspective"]
    assert set(lst["reading_id"]) <= set(persp.index), "reading list names readings that do not exist"
    course = {persp[r].split("_")[0] for r in lst[lst["scope"] == "course"]["reading_id"]}
    assert {"armenian", "azerbaijani", "international"} <= course, f"course list perspectives: {course}"
    for cid, _ in CHAPTERS:
        assert (lst["scope"] == cid).sum() >= 2, f"{cid}: fewer than two readings"


def test_a_cite_to_a_missing_row_is_rejected():
    with pytest.raises(DataError, match="names no row of data/chronology.csv"):
        teaching.refs("chronology:E999", "test")
    with pytest.raises(DataError, match="no table called"):
        teaching.refs("no_such_table", "test")


def test_briefs_print(built_html):
    for _, d in kbook.load("delegations").iterrows():
        for scenario in teaching.SCENARIOS:
            page = built_html / "handouts" / f"brief-{d['delegation']}-{scenario}.html"
            assert page.exists(), f"no brief for {d['delegation']} ({scenario})"
            html = page.read_text(encoding="utf-8")
            assert "@media print" in html and d["name"] in html
            n = (kbook.load("positions").query("delegation == @d.delegation and scenario == @scenario")).shape[0]
            rows = re.findall(r"<tr\b", html)
            assert len(rows) == n + 1, f"{page.name}: {n} positions expected, {len(rows) - 1} shown"
