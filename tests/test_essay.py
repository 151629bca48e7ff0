"""The essay: stored once in data/, each paragraph in exactly one chapter, rendered verbatim."""
from __future__ import annotations

import re
from html.parser import HTMLParser

import nbformat
import yaml

import kbook
from conftest import BOOK, REPO, SHARED, need
from kbook.essay import plain_text

ESSAY_TXT = SHARED / "essay" / "essay.txt"


def test_essay_data_equals_source_text():
    need(ESSAY_TXT.exists(), f"{ESSAY_TXT} is not here, so the stored essay cannot be compared")
    import derive_data

    fresh = derive_data.essay_paragraphs()
    stored = kbook.load("essay_paragraphs")
    assert list(stored["paragraph_id"]) == [f"P{i}" for i in range(1, 10)]
    for pid, a, b in zip(stored["paragraph_id"], stored["text"], fresh["text"]):
        assert a == b, f"data/essay_paragraphs.csv {pid} differs from {ESSAY_TXT}"


def test_essay_citation_matches_source():
    need(ESSAY_TXT.exists(), f"{ESSAY_TXT} is not here")
    import derive_data

    front = derive_data.essay_front_matter()
    meta = kbook.essay_meta()
    for key in ("title", "author", "affiliation"):
        assert meta[key] == front[key], f"data/essay_meta.csv {key} differs from the essay's front matter"


def test_every_paragraph_in_exactly_one_chapter_in_essay_order():
    chapters = kbook.load("chapters").sort_values("position")
    sequence = [p for ps in chapters["paragraphs"] for p in ps.split(";")]
    assert sequence == list(kbook.load("essay_paragraphs")["paragraph_id"]), (
        "data/chapters.csv must list P1..P9 once each, in essay order")
    toc = yaml.safe_load((REPO / "_toc.yml").read_text())
    toc_files = [c["file"] for part in toc["parts"] for c in part["chapters"]]
    positions = [toc_files.index(f) for f in chapters["file"]]
    assert positions == sorted(positions), "_toc.yml must list the chapters in essay order"
    for f in chapters["file"]:
        assert (REPO / f"{f}.ipynb").exists(), f"{f}.ipynb is missing"


def test_each_chapter_notebook_shows_only_its_own_paragraphs():
    chapters = kbook.load("chapters")
    shown = {}
    for nb_path in sorted(BOOK.glob("*.ipynb")):
        code = "\n".join(c.source for c in nbformat.read(nb_path, 4).cells if c.cell_type == "code")
        for chapter_id in re.findall(r"show_essay\(\"(ch\d\d)\"\)", code):
            shown.setdefault(chapter_id, []).append(nb_path.stem)
    for chapter_id, file in zip(chapters["chapter_id"], chapters["file"]):
        assert shown.get(chapter_id) == [file.split("/")[-1]], (
            f"{chapter_id} must be shown once, in {file}.ipynb; found in {shown.get(chapter_id)}")


class _EssayParser(HTMLParser):
    """Collects the text of each .essay-paragraph, and all page text outside essay blocks."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.paragraphs: dict[str, str] = {}
        self.outside: list[str] = []
        self._stack: list[tuple[str, bool, str | None]] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        in_block = (any(b for _, b, _ in self._stack)
                    or "essay-block" in classes or "essay-quote" in classes)
        pid = a.get("data-paragraph") if "essay-paragraph" in classes else None
        if tag not in ("br", "img", "meta", "link", "input", "hr"):
            self._stack.append((tag, in_block, pid))
        if pid:
            self.paragraphs.setdefault(pid, "")

    def handle_endtag(self, tag):
        while self._stack:
            if self._stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        pid = next((p for _, _, p in reversed(self._stack) if p), None)
        if pid:
            self.paragraphs[pid] += data
        elif not any(b for _, b, _ in self._stack) and not any(t in ("script", "style") for t, _, _ in self._stack):
            self.outside.append(data)


def _parse(path):
    parser = _EssayParser()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_rendered_essay_equals_source(built_html):
    chapters = kbook.load("chapters")
    source = kbook.load("essay_paragraphs").set_index("paragraph_id")["text"]
    seen: dict[str, str] = {}
    for page in sorted(built_html.rglob("*.html")):
        if page.relative_to(built_html).parts[0] in ("handouts",) or \
                page.relative_to(built_html).parts[0].startswith("_"):
            continue  # handouts repeat their chapter's paragraphs on paper (tested in test_teaching)
        for pid, text in _parse(page).paragraphs.items():
            assert pid not in seen, f"{pid} appears on {seen[pid]} and on {page}"
            seen[pid] = str(page.relative_to(built_html))
            assert text == plain_text(source[pid]), f"{page}: rendered {pid} differs from the essay"
    for chapter_file, paras in zip(chapters["file"], chapters["paragraphs"]):
        for pid in paras.split(";"):
            assert seen.get(pid) == f"{chapter_file}.html", f"{pid} is not rendered on {chapter_file}.html"


def test_essay_not_quoted_outside_essay_blocks(built_html):
    """Every other sentence is the book's own: no sentence of the essay outside an essay block."""
    source = " ".join(plain_text(t) for t in kbook.load("essay_paragraphs")["text"])
    sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+", source) if len(s.split()) >= 8]
    for page in sorted(built_html.rglob("*.html")):
        if page.relative_to(built_html).parts[0].startswith("_"):
            continue
        outside = re.sub(r"\s+", " ", " ".join(_parse(page).outside))
        for sentence in sentences:
            assert sentence not in outside, f"{page}: essay sentence outside an essay block: {sentence!r}"
