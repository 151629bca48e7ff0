"""Reader and teaching material: a valid CITATION.cff and one printable handout per chapter."""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import jsonschema
import yaml

import kbook
from conftest import REPO
from kbook.essay import plain_text


def test_citation_cff_is_valid():
    schema = json.loads((REPO / "tests" / "cff-schema-1.2.0.json").read_text())
    data = json.loads(json.dumps(yaml.safe_load((REPO / "CITATION.cff").read_text()), default=str))
    errors = sorted(e.message for e in jsonschema.Draft7Validator(schema).iter_errors(data))
    assert not errors, f"CITATION.cff: {errors}"
    assert data["version"] == kbook.package()["version"], "CITATION.cff and datapackage.json versions differ"
    config = yaml.safe_load((REPO / "_config.yml").read_text())
    # the same public address in both, or (until the book has one) none in either
    assert data.get("repository-code", "") == (config["repository"].get("url") or ""), (
        "CITATION.cff and _config.yml name different repositories")


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.chunks = []

    def handle_data(self, data):
        self.chunks.append(data)


def test_every_chapter_has_a_printable_handout(built_html):
    teaching = (built_html / "book" / "teaching.html").read_text(encoding="utf-8")
    paragraphs = kbook.load("essay_paragraphs").set_index("paragraph_id")["text"]
    for cid, file, paras in kbook.load("chapters")[["chapter_id", "file", "paragraphs"]].itertuples(index=False):
        name = file.split("/")[-1]
        page = built_html / "handouts" / f"{name}.html"
        assert page.exists(), f"no handout for {cid}"
        html = page.read_text(encoding="utf-8")
        parser = _Text()
        parser.feed(html)
        text = "".join(parser.chunks)
        for pid in paras.split(";"):
            assert plain_text(paragraphs[pid]) in text, f"{page.name}: essay {pid} missing or altered"
        assert "<table" in html, f"{page.name}: no key table"
        assert len(re.findall(r"<li>", html)) >= 3, f"{page.name}: questions or objectives missing"
        assert "@media print" in html, f"{page.name}: no print layout"
        assert f'href="../handouts/{name}.html"' in teaching, f"teaching page does not link {page.name}"
