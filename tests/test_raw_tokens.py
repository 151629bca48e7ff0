"""Nothing raw reaches a reader (issue #15): every built page's reader-facing text is free of
missing-value tokens, working notes and Python reprs.

Reader-facing text: the page's text and its title/aria-label attributes, without <script> and
<style> (the figures' JSON is a script) and without the code of code cells (where `None` is
Python). Outputs of code cells are reader-facing and are scanned.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import HTML

# The one list of phrases that belong in notes for maintainers, never on a page.
WORKING_NOTE_PHRASES = [
    "see NOTES", "headline not seen", "title not seen", "available to me", "not seen;",
    "TODO", "FIXME", "XXX", "TBD", "check this", "placeholder", "lorem ipsum",
]
# Empty values as pandas, numpy and Python print them (whole words, case-sensitive); the
# English "None of ..." (a lower-case word follows) is prose, not a value.
MISSING_TOKENS = re.compile(r"(?<![\w-])(NaT|NaN|nan|None(?!\s+[a-z])|<NA>)(?![\w-])")
# Python reprs of tuples/lists and pandas' truncation of long cells ("cumulative, fo...").
RAW_REPRS = re.compile(r"\(\d[\d.]*, \d[\d.]*\)|\[\d{3,4},\s*\d{3,4}|\w\.\.\.(?=\s|$)|\.\.\.\]|…\]")
SKIP_TAGS = {"script", "style", "template"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class ReaderText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []   # (tag, skipped)
        self.parts: list[str] = []

    @property
    def skipping(self) -> bool:
        return any(skip for _, skip in self.stack)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        skip = tag in SKIP_TAGS or "cell_input" in (a.get("class") or "").split()
        if not self.skipping and not skip:
            self.parts += [a[k] for k in ("title", "aria-label", "alt") if a.get(k)]
        if tag not in VOID:
            self.stack.append((tag, skip))

    def handle_startendtag(self, tag, attrs):
        if not self.skipping:
            self.parts += [v for k, v in attrs if k in ("title", "aria-label", "alt") and v]

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def reader_text(html: str) -> str:
    parser = ReaderText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def findings(text: str) -> list[str]:
    out = []
    context = lambda m: text[max(0, m.start() - 60):m.end() + 40]
    for m in MISSING_TOKENS.finditer(text):
        out.append(f"missing-value token {m.group(0)!r}: …{context(m)}…")
    for m in RAW_REPRS.finditer(text):
        out.append(f"raw repr {m.group(0)!r}: …{context(m)}…")
    lower = text.lower()
    for phrase in WORKING_NOTE_PHRASES:
        at = lower.find(phrase.lower()) if not phrase.isupper() else text.find(phrase)
        if at >= 0 and (not phrase.isupper() or re.search(rf"\b{phrase}\b", text)):
            out.append(f"working note {phrase!r}: …{text[max(0, at - 60):at + 60]}…")
    return out


def pages() -> list[str]:
    if not HTML.exists():
        return ["index.html"]
    return sorted(p.relative_to(HTML).as_posix() for p in HTML.rglob("*.html")
                  if not p.relative_to(HTML).parts[0].startswith("_"))


@pytest.mark.parametrize("page", pages())
def test_nothing_raw_on_the_page(page, built_html):
    html = (built_html / page).read_text(encoding="utf-8")
    text = reader_text(html)
    assert text or 'http-equiv="Refresh"' in html, f"{page}: no text"
    problems = findings(text)
    assert not problems, f"{page}:\n  " + "\n  ".join(problems[:20])


def test_the_scan_finds_what_it_should():
    html = ('<p>Date: NaT</p><div class="cell_input"><pre>x = None</pre></div>'
            '<pre>(1310, 0.7173316358309889)</pre><p title="headline not seen">ok</p>'
            '<script>var a = NaN;</script><td>arrivals (cumulative, fo...</td>')
    found = findings(reader_text(html))
    assert len(found) == 4, found
    assert not findings(reader_text('<p>None of these figures could be checked.</p>'))
