"""House style of the chapters, checked on the committed notebooks.

Every essay chapter follows one skeleton (one H1, then the required sections in
order); every chart is titled, has axis titles and a source line under it; the
commentary carries no hand-typed numbers outside quotes, years and citations;
and every claim of the register quotes the essay verbatim.
"""
from __future__ import annotations

import json
import re

import nbformat
import pytest

import kbook
from conftest import REPO
from kbook.essay import CHAPTER_SECTIONS as SECTIONS, plain_text
CHAPTERS = [REPO / f"{f}.ipynb" for f in kbook.load("chapters")["file"]]
ALL_NOTEBOOKS = sorted((REPO / "book").glob("*.ipynb"))
PLOTLY = "application/vnd.plotly.v1+json"


def _markdown(nb):
    return [c.source for c in nb.cells if c.cell_type == "markdown"]


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_skeleton(path):
    nb = nbformat.read(path, 4)
    text = "\n".join(_markdown(nb))
    h1 = re.findall(r"^# .+$", text, re.M)
    assert len(h1) == 1 and nb.cells[0].source.startswith("# "), f"{path.name}: needs exactly one H1, first"
    h2 = re.findall(r"^## (.+)$", text, re.M)
    assert h2 == SECTIONS, f"{path.name}: sections {h2}, expected {SECTIONS}"
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "show_essay(" in code and "show_claims(" in code and "show_events(" in code


def _strip_allowed(md: str) -> str:
    md = re.sub(r"```.*?```", " ", md, flags=re.S)               # code blocks
    md = re.sub(r"\{(glue|cite|term|ref|doc)[^}]*\}`[^`]*`", " ", md)  # roles: glued values, citations
    md = re.sub(r"`[^`]*`", " ", md)                              # inline code
    md = re.sub(r"\]\([^)]*\)", "]", md)                          # link targets
    md = re.sub(r"“[^”]*”|\"[^\"]*\"", " ", md)                   # quotations
    md = re.sub(r"^\s*\d+\.\s", " ", md, flags=re.M)              # numbered-list markers
    md = re.sub(r"\b(1[89]\d\d|20\d\d)s?\b", " ", md)             # years and decades
    md = re.sub(r"(?<=\d{4})[–-](?=\d{4})", " ", md)
    return md


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=lambda p: p.stem)
def test_no_hand_typed_numbers_in_commentary(path):
    for md in _markdown(nbformat.read(path, 4)):
        left = _strip_allowed(md)
        digits = re.findall(r"[^\s]*\d[^\s]*", left)
        assert not digits, f"{path.name}: hand-typed number(s) {digits} in: {md[:120]!r}"


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=lambda p: p.stem)
def test_every_chart_titled_labelled_and_sourced(path):
    nb = nbformat.read(path, 4)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        outs = cell.outputs
        for j, out in enumerate(outs):
            data = out.get("data", {})
            if PLOTLY not in data:
                continue
            fig = data[PLOTLY]
            fig = json.loads(fig) if isinstance(fig, str) else fig
            layout = fig["layout"]
            title = (layout.get("title") or {}).get("text")
            assert title, f"{path.name} cell {i}: chart without a title"
            for ax in ("xaxis", "yaxis"):
                assert ((layout.get(ax) or {}).get("title") or {}).get("text"), (
                    f"{path.name} cell {i}: chart {title!r} without a {ax} title")
            nxt = outs[j + 1].get("data", {}).get("text/html", "") if j + 1 < len(outs) else ""
            assert 'class="figure-source"' in nxt, f"{path.name} cell {i}: chart {title!r} has no source line"
            assert 'class="figure-finding"' in nxt and 'class="figure-data"' in nxt, (
                f"{path.name} cell {i}: chart {title!r} has no text alternative (finding and data)")


def test_claims_quote_the_essay_verbatim_and_cover_every_paragraph():
    claims = kbook.load("claims")
    text = kbook.load("essay_paragraphs").set_index("paragraph_id")["text"]
    for c in claims.itertuples():
        assert c.quote in plain_text(text[c.paragraph]), f"{c.claim_id}: quote not verbatim in {c.paragraph}"
    assert set(claims["paragraph"]) == set(text.index), "every paragraph must contribute claims"
    # every prediction's resolution criterion: data/predictions.csv, checked in tests/test_method.py


def test_claim_evidence_resolves():
    from kbook.claims import evidence_html

    for c in kbook.load("claims").itertuples():
        evidence_html(c.evidence)  # raises DataError on an unknown table, indicator or event


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_key_output_is_declared(path):
    """The handout's key table is the output the chapter names in chapters.csv, found by its declared id."""
    from kbook.handouts import key_output

    chapters = kbook.load("chapters").set_index("file")
    key = chapters.at[f"book/{path.stem}", "key_output"]
    html = key_output(nbformat.read(path, 4), key, path.name)  # raises DataError if it is not there
    assert f'data-output-id="{key}"' in html and 'class="figure-source"' in html


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=lambda p: p.stem)
def test_outputs_declare_their_tables(path):
    """Every output kbook writes declares the tables it shows (data-table / data-tables), so the
    catalogue's "used in" lists can be read off the committed outputs."""
    from kbook.catalogue import DECLARED

    undeclared = []
    for c, cell in enumerate(nbformat.read(path, 4).cells):
        for out in cell.get("outputs", []):
            html = out.get("data", {}).get("text/html", "")
            kbook_output = re.search(r'class="(table-figure|figure-text|essay-block|data-table (records|claims-table)'
                                     r'|discussion-questions|admonition tip learning-objectives)\b', html)
            if kbook_output and not DECLARED.search(html):
                undeclared.append(f"cell {c}: {kbook_output.group(0)}")
    assert not undeclared, f"{path.name}: outputs that do not declare their tables: {undeclared}"
