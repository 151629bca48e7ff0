"""Every HTML renderer escapes the data it shows: markup in a row arrives as text.

A copy of the data package gets a payload of markup (`<script>`, a double quote, an
ampersand, a single quote) appended to the free-text columns every renderer shows; each
renderer then runs on that copy, and its HTML must carry the payload escaped and never raw.
The templates' environment must have autoescape on: with it off, this test fails.
"""
from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest

import kbook
import kbook.catalogue
import kbook.data
import kbook.handouts
import kbook.markup
from kbook.data import DATA_DIR, refresh_hashes

PAYLOAD = " <script>alert(1)</script> \"q\" & 'a'"
RAW = "<script>alert"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
QUOTE, AMP, APOS = ("&#34;q&#34;", "&quot;q&quot;"), "&amp;", ("&#39;a&#39;", "&#x27;a&#x27;")

# table -> the free-text columns that get the payload (each must exist and take any text)
TEXT_COLUMNS = {
    "essay_paragraphs": ["text"],
    "claims": ["quote", "reasoning", "test"],
    "chronology": ["title", "description", "source_1_publisher"],
    "counter_readings": ["author", "title", "outlet", "summary"],
    "contested_terms": ["concept", "term", "source_title", "book_term", "book_reason"],
    "objectives": ["objective"],
    "questions": ["question", "model_answer", "misreading"],
    "sessions": ["point", "plan", "show_when", "misreading"],
    "reading_list": ["reason"],
    "teaching_guidance": ["title", "publisher", "advice", "used_for"],
    "delegations": ["name", "represents"],
    "positions": ["text"],
    "documents": ["title", "context"],
    "argument_links": ["reading"],
    "essay_omissions": ["topic", "what_the_essay_does", "why_it_matters"],
    "claim_tests": ["comparison", "result"],
    "forecasts": ["forecaster", "forecast", "resolution_criterion"],
    "dependence": ["partner"],
    "predictions": ["criterion", "condition", "mechanism_named", "mechanism_note"],
    "verdicts": ["definition", "evidence_required"],
    "essay_sentences": ["reason"],
    "indicators": ["name", "producer"],
    "chapters": ["title"],
}
ESSAY_META_FIELDS = ["title", "author", "publication", "rights"]


@pytest.fixture(scope="module")
def marked_data(tmp_path_factory):
    """A copy of data/ whose free-text cells, titles and descriptions end in the payload."""
    target = tmp_path_factory.mktemp("escaping") / "data"
    shutil.copytree(DATA_DIR, target)
    pkg = json.loads((target / "datapackage.json").read_text(encoding="utf-8"))
    resources = {r["name"]: r for r in pkg["resources"]}
    for res in pkg["resources"]:
        res["title"] += PAYLOAD
        res["description"] += PAYLOAD
        for src in res.get("sources", []):
            src["title"] += PAYLOAD
    for table, columns in TEXT_COLUMNS.items():
        fields = {f["name"]: f for f in resources[table]["schema"]["fields"]}
        path = target / resources[table]["path"]
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
        for col in columns:
            assert col in fields, f"{table}.{col}: not a column (update TEXT_COLUMNS)"
            cons = fields[col].get("constraints", {})
            assert not ({"enum", "pattern"} & set(cons)), f"{table}.{col}: constrained, cannot carry markup"
            df[col] = [v + PAYLOAD if v else v for v in df[col]]
        df.to_csv(path, index=False, encoding="utf-8")
    meta = pd.read_csv(target / "essay_meta.csv", dtype=str, keep_default_na=False)
    meta.loc[meta["field"].isin(ESSAY_META_FIELDS), "value"] += PAYLOAD
    meta.to_csv(target / "essay_meta.csv", index=False)
    (target / "datapackage.json").write_text(json.dumps(pkg, indent=2, ensure_ascii=False) + "\n",
                                             encoding="utf-8")
    refresh_hashes(target)
    return target


@pytest.fixture
def captured(marked_data, monkeypatch):
    """Point kbook at the marked copy and collect every HTML fragment a renderer displays."""
    import sys

    monkeypatch.setattr(kbook.data, "DATA_DIR", marked_data)
    out: list[str] = []

    def grab(obj, *args, **kwargs):
        if isinstance(getattr(obj, "data", None), str):
            out.append(obj.data)

    for name in ("figures", "claims", "readings", "teaching", "argument", "evidence"):
        monkeypatch.setattr(sys.modules[f"kbook.{name}"], "display", grab)
    return out


def _chart():
    fig = kbook.indicator_chart("GE.EST", ["ARM", "AZE"], title="Chart")
    return fig


RENDERERS = {
    "show": lambda: kbook.show(_chart(), "country_indicators", indicators=["GE.EST"],
                               finding="Finding" + PAYLOAD, note="Note" + PAYLOAD, output_id="ch01-test"),
    "show_table": lambda: kbook.show_table(pd.DataFrame({"col" + PAYLOAD: ["cell" + PAYLOAD]}), "countries",
                                           "Caption" + PAYLOAD, note="Note" + PAYLOAD, output_id="ch01-t"),
    "show_records": lambda: kbook.show_records(kbook.events("P7"), "chronology", "Caption" + PAYLOAD,
                                               {"date": "Date", "title": "Event" + PAYLOAD}),
    "show_events": lambda: kbook.show_events("P7", since="2023-09-19"),
    "source_html": lambda: kbook.figures.source_html("claims", note="Note" + PAYLOAD),
    "essay_html": lambda: kbook.essay.essay_html("ch01"),
    "show_claims": lambda: kbook.show_claims("P4"),
    "show_register": lambda: kbook.show_register(),
    "show_scorecard": lambda: kbook.show_scorecard(),
    "show_verdicts": lambda: kbook.show_verdicts(),
    "show_sentences": lambda: kbook.show_sentences(),
    "show_readings": lambda: kbook.show_readings("P4"),
    "show_terms": lambda: kbook.show_terms(),
    "show_objectives": lambda: kbook.show_objectives("ch01"),
    "show_questions": lambda: kbook.show_questions("ch01"),
    "show_guide": lambda: kbook.show_guide("ch07"),
    "show_reading_list": lambda: kbook.show_reading_list("course"),
    "show_guidance": lambda: kbook.show_guidance(),
    "show_delegations": lambda: kbook.show_delegations(),
    "show_positions": lambda: kbook.show_positions("2025"),
    "show_documents": lambda: kbook.show_documents(),
    "show_links": lambda: kbook.show_links(),
    "show_omissions": lambda: kbook.show_omissions(),
    "show_tests": lambda: kbook.show_tests("P4"),
    "show_forecasts": lambda: kbook.show_forecasts(),
    "show_dependence": lambda: kbook.show_dependence(),
    "analyses_table": lambda: kbook.show_table(kbook.analyses.meetings_by_format().assign(
        Format=lambda d: d["Format"] + PAYLOAD), "meetings", "Meetings" + PAYLOAD),
    "catalogue_html": lambda: kbook.catalogue.catalogue_html(),
    "handout_html": lambda: kbook.handouts.handout_html("ch07"),
    "brief_html": lambda: kbook.handouts.brief_html(kbook.load("delegations")["delegation"][0], "2025"),
    "explorer_note": lambda: kbook.markup.render("note.html", cls="explorer-note", text="No data" + PAYLOAD),
}


@pytest.mark.parametrize("name", RENDERERS)
def test_renderer_escapes_markup(name, captured):
    returned = RENDERERS[name]()
    page = "\n".join(captured + ([str(returned)] if returned is not None else []))
    assert page, f"{name} wrote no HTML"
    assert RAW not in page, f"{name}: raw markup from the data reached the page"
    assert ESCAPED in page, f"{name}: the payload is not on the page, escaped"
    assert any(q in page for q in QUOTE) and any(a in page for a in APOS) and AMP in page, (
        f"{name}: quotes or ampersand not escaped")


def test_templates_autoescape():
    """The one template environment escapes by default, so no renderer can forget to."""
    env = kbook.markup.ENV
    on = env.autoescape("x.html") if callable(env.autoescape) else env.autoescape
    assert on is True
    assert str(kbook.markup.render("note.html", cls="c", text="<b>&")) == '<p class="c">&lt;b&gt;&amp;</p>'


def test_no_template_marks_data_safe():
    """`|safe` would let a data value through unescaped; rendered fragments are passed as Markup instead."""
    for path in kbook.markup.TEMPLATES.glob("*.html"):
        assert "|safe" not in path.read_text(encoding="utf-8").replace(" ", ""), path.name
