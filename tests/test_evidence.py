"""Every chart and table in an essay chapter tests a claim, and the claim-test matrix resolves.

Read on the committed notebook outputs (nbval keeps them equal to a fresh run): each output of
kb.show / kb.show_table / kb.show_records carries a `data-output-id` attribute. The test checks

- every chart and table of a chapter's Evidence section carries an id of the form
  `<chapter_id>-<slug>`, unique in the book;
- every such output is cited by at least one row of data/claim_tests.csv whose claim belongs to
  one of the chapter's paragraphs;
- every output_id of claim_tests exists in its claim's chapter (or, for a package reference
  such as chronology:E070, the table and row exist);
- every claim_id of claim_tests exists in data/claims.csv;
- each chapter shows its matrix as the first cell of "What the evidence says".
"""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

import kbook
from conftest import REPO

ID_ATTR = re.compile(r'data-output-id="([^"]+)"')
SHOW_CLASSES = ('class="figure-text"', 'class="table-figure"')
PLOTLY = "application/vnd.plotly.v1+json"


def _source(cell) -> str:
    src = cell["source"]
    return "".join(src) if isinstance(src, list) else src


def _html_outputs(cell):
    for out in cell.get("outputs", []):
        html = out.get("data", {}).get("text/html", "")
        yield "".join(html) if isinstance(html, list) else html


def notebook_outputs(path: Path) -> dict:
    """For one chapter notebook: its output ids, outputs without an id, and the matrix cell's place."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    section, ids, unlabelled, first_after_heading = None, [], [], None
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "markdown":
            heads = re.findall(r"^## (.+)$", _source(cell), re.M)
            if heads:
                section = heads[-1]
                if heads[-1] == "What the evidence says":
                    first_after_heading = i + 1
            continue
        for html in _html_outputs(cell):
            if not any(c in html for c in SHOW_CLASSES) or "claim-tests" in html:
                continue
            found = ID_ATTR.findall(html)
            if found:
                ids += found
            elif section == "Evidence":
                unlabelled.append(f"cell {i}: {re.sub(r'<[^>]+>', ' ', html)[:80]!r}")
        for out in cell.get("outputs", []):
            fig = out.get("data", {}).get(PLOTLY)
            if fig is not None and section == "Evidence":
                fig = json.loads(fig) if isinstance(fig, str) else fig
                meta = (fig.get("layout") or {}).get("meta") or {}
                if not (isinstance(meta, dict) and meta.get("output_id")):
                    unlabelled.append(f"cell {i}: chart without layout.meta.output_id")
    matrix_cell = nb["cells"][first_after_heading] if first_after_heading is not None else None
    matrix_first = bool(matrix_cell and matrix_cell["cell_type"] == "code"
                        and "show_tests(" in _source(matrix_cell))
    return {"ids": ids, "unlabelled": unlabelled, "matrix_first": matrix_first}


def check_matrix(book_dir: Path, data_dir: Path | None = None) -> list[str]:
    """All problems of the claim-test matrix against the chapters' outputs (empty: none)."""
    load = kbook.load if data_dir is None else (lambda name: kbook.data.load(name, data_dir))
    chapters = load("chapters")
    tests = load("claim_tests")
    claims = load("claims").set_index("claim_id")
    package = {r["name"]: r for r in json.loads(
        ((data_dir or kbook.data.DATA_DIR) / "datapackage.json").read_text(encoding="utf-8"))["resources"]}
    problems = []
    outputs, seen = {}, {}
    for ch in chapters.itertuples():
        found = notebook_outputs(book_dir / f"{Path(ch.file).name}.ipynb")
        problems += [f"{ch.chapter_id}: output without an id, {u}" for u in found["unlabelled"]]
        if not found["matrix_first"]:
            problems.append(f"{ch.chapter_id}: kb.show_tests is not the first cell of 'What the evidence says'")
        for oid in found["ids"]:
            if not oid.startswith(f"{ch.chapter_id}-"):
                problems.append(f"{ch.chapter_id}: output id {oid!r} does not start with {ch.chapter_id}-")
            if oid in seen and seen[oid] != ch.chapter_id:
                problems.append(f"output id {oid!r} is used in {seen[oid]} and {ch.chapter_id}")
            seen[oid] = ch.chapter_id
        outputs[ch.chapter_id] = set(found["ids"])
    chapter_of = {p: ch.chapter_id for ch in chapters.itertuples() for p in ch.paragraphs.split(";")}
    for row in tests.itertuples():
        if row.claim_id not in claims.index:
            problems.append(f"claim_tests: {row.claim_id} is not in claims.csv")
            continue
        chapter = chapter_of[claims.at[row.claim_id, "paragraph"]]
        if ":" in row.output_id:
            table, key = row.output_id.split(":", 1)
            if table not in package:
                problems.append(f"claim_tests: {row.claim_id} cites {row.output_id}: no table {table!r}")
                continue
            pk = package[table]["schema"].get("primaryKey", [])
            if len(pk) == 1 and key not in set(load(table)[pk[0]].astype(str)):
                problems.append(f"claim_tests: {row.claim_id} cites {row.output_id}: no row {key!r} in {table}")
        elif row.output_id not in outputs.get(chapter, set()):
            problems.append(f"claim_tests: {row.claim_id} cites {row.output_id!r}, which is not an "
                            f"output of its chapter {chapter}")
    cited = {(chapter_of[claims.at[r.claim_id, "paragraph"]], r.output_id)
             for r in tests.itertuples() if r.claim_id in claims.index}
    for chapter, ids in outputs.items():
        for oid in sorted(ids - {o for c, o in cited if c == chapter}):
            problems.append(f"{chapter}: output {oid!r} is cited by no claim of the chapter "
                            "(add a claim_tests row, or move it to book/context.ipynb)")
    return problems


def test_every_output_tests_a_claim_and_every_test_resolves():
    problems = check_matrix(REPO / "book")
    assert not problems, "\n".join(problems)


def test_every_claim_has_at_least_one_test():
    claims = set(kbook.load("claims")["claim_id"])
    tested = set(kbook.load("claim_tests")["claim_id"])
    # C40 and later are new claims of the method revision; C28 is being merged into C12
    expected = {c for c in claims if int(c[1:]) < 40 and c != "C28"}
    assert expected <= tested, f"claims with no row in claim_tests: {sorted(expected - tested)}"


def test_the_check_can_fail(tmp_path):
    """An uncited chart, a test citing a missing output and an unknown claim are all caught."""
    book = tmp_path / "book"
    shutil.copytree(REPO / "book", book, ignore=shutil.ignore_patterns("_build", "*.md", "_ext", "_static"))
    data = tmp_path / "data"
    shutil.copytree(kbook.data.DATA_DIR, data)
    # 1. a chapter output that no claim cites
    path = book / "05-paper-leviathan.ipynb"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "ch05-remittances-table", "ch05-uncited-table"), encoding="utf-8")
    # 2. a test whose output does not exist, 3. a test of an unknown claim
    tests = data / "claim_tests.csv"
    tests.write_text(tests.read_text(encoding="utf-8")
                     + "C31,ch07-no-such-chart,x,y,mixed\nC99,chronology:E070,x,y,mixed\n",
                     encoding="utf-8")
    from kbook.data import refresh_hashes

    refresh_hashes(data)
    problems = "\n".join(check_matrix(book, data))
    assert "'ch05-uncited-table' is cited by no claim" in problems
    assert "'ch05-remittances-table', which is not an output of its chapter ch05" in problems
    assert "ch07-no-such-chart" in problems
    assert "C99 is not in claims.csv" in problems


def test_an_unlabelled_chart_is_caught(tmp_path):
    book = tmp_path / "book"
    shutil.copytree(REPO / "book", book, ignore=shutil.ignore_patterns("_build", "*.md", "_ext", "_static"))
    path = book / "01-status-quo.ipynb"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(' data-output-id=\\"ch01-milex-chart\\"', ""), encoding="utf-8")
    problems = "\n".join(check_matrix(book))
    assert "ch01: output without an id" in problems


def test_forecasts_resolve_and_are_scored_like_the_essay():
    """Each forecast names an essay claim that exists, events that exist, and a criterion dated
    with whether the outcome was known; a verdict other than pending needs evidence."""
    fc = kbook.load("forecasts")
    claims = set(kbook.load("claims")["claim_id"])
    events = set(kbook.load("chronology")["event_id"])
    for row in fc.itertuples():
        assert row.essay_claim in claims, f"{row.forecast_id}: unknown claim {row.essay_claim}"
        refs = [r for r in row.evidence.split(";") if r]
        for ref in refs:
            table, _, key = ref.partition(":")
            assert table == "chronology" and key in events, f"{row.forecast_id}: {ref} does not resolve"
        assert row.verdict == "pending" or refs, f"{row.forecast_id}: a verdict without evidence"
        assert row.criterion_written >= row.published, f"{row.forecast_id}: criterion before the forecast"
        assert row.verdict_as_of >= row.criterion_written


def test_built_pages_carry_the_ids_and_every_drawn_chart_is_cited(built_html):
    """On the built chapter pages every drawn plotly figure carries a data-output-id, and every id
    on the page is cited by a claim test of that chapter."""
    chapters = kbook.load("chapters")
    claims = kbook.load("claims").set_index("claim_id")
    tests = kbook.load("claim_tests")
    chapter_of = {p: ch.chapter_id for ch in chapters.itertuples() for p in ch.paragraphs.split(";")}
    cited = {(chapter_of[claims.at[r.claim_id, "paragraph"]], r.output_id)
             for r in tests.itertuples() if r.claim_id in claims.index}
    for ch in chapters.itertuples():
        page = (built_html / f"{ch.file}.html").read_text(encoding="utf-8")
        figures = re.findall(r'<div class="plotly-figure-inner"[^>]*>', page)
        unlabelled = [f for f in figures if "data-output-id" not in f]
        # the live explorers' plotly-native stand-ins sit outside the Evidence section and carry none
        evidence = page.split('id="what-the-evidence-says"')[0]
        unlabelled = [f for f in unlabelled if f in evidence]
        assert not unlabelled, f"{ch.file}: drawn figures without an output id: {unlabelled}"
        for oid in set(ID_ATTR.findall(page)):
            assert (ch.chapter_id, oid) in cited, f"{ch.file}: {oid} is cited by no claim test"
