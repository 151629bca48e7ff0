"""The essay's text, shown in chapters from data/essay_paragraphs.csv (never retyped)."""
from __future__ import annotations

import html
import re

from IPython.display import HTML

from .data import DataError, load

_SUP = re.compile(r"&lt;sup&gt;(\w+)&lt;/sup&gt;")
_EM = re.compile(r"\*([^*]+)\*")


def meta() -> dict:
    """Title, author, publication, date, URL and rights of the essay."""
    df = load("essay_meta")
    return dict(zip(df["field"], df["value"]))


def plain_text(source: str) -> str:
    """The paragraph as a reader sees it: source markup (<sup>, *emphasis*) removed."""
    return _EM.sub(r"\1", re.sub(r"</?sup>", "", source))


def paragraph_html(source: str) -> str:
    """Render the source markup of one paragraph as HTML, escaping everything else."""
    return _EM.sub(r"<em>\1</em>", _SUP.sub(r"<sup>\1</sup>", html.escape(source, quote=False)))


def paragraphs_for(chapter: str) -> list[str]:
    """The paragraph ids that `chapter` (a row of data/chapters.csv) presents."""
    chapters = load("chapters")
    row = chapters[chapters["chapter_id"] == chapter]
    if row.empty:
        raise DataError(f"data/chapters.csv: no chapter {chapter!r}; "
                        f"known: {', '.join(chapters['chapter_id'])}")
    return row.iloc[0]["paragraphs"].split(";")


def essay_html(chapter: str) -> str:
    m = meta()
    paras = load("essay_paragraphs").set_index("paragraph_id")
    ids = paragraphs_for(chapter)
    body = "\n".join(
        f'<p class="essay-paragraph" id="essay-{pid}" data-paragraph="{pid}">'
        f'{paragraph_html(paras.at[pid, "text"])}</p>'
        for pid in ids)
    label = ", ".join(f"¶{pid[1:]}" for pid in ids)
    return (
        f'<figure class="essay-block" data-paragraphs="{";".join(ids)}">\n'
        f'<div class="essay-label" aria-hidden="true">The essay, {label}</div>\n'
        f'<blockquote cite="{m["url"]}" lang="en">\n{body}\n</blockquote>\n'
        f'<figcaption class="essay-attribution">{html.escape(m["author"])}, '
        f'“<a href="{m["url"]}">{html.escape(m["title"])}</a>”, '
        f'<cite>{html.escape(m["publication"])}</cite> ({html.escape(m["publisher"])}), '
        f'{html.escape(m["date_display"])}, {label}. Quoted verbatim for annotation and teaching; '
        f'{html.escape(m["rights"])}</figcaption>\n</figure>')


def show_essay(chapter: str) -> HTML:
    """Display the essay paragraph(s) of a chapter in a marked, attributed essay block."""
    return HTML(essay_html(chapter))


# A sentence ends at ".", "!" or "?" (optionally followed by a closing quotation mark) when
# whitespace follows; it does not end after one of these abbreviations. The essay has none of
# them today; the list keeps the split stable if a correction ever adds one.
ABBREVIATIONS = ("e.g.", "i.e.", "etc.", "Mr.", "Mrs.", "Dr.", "St.", "No.", "vs.", "U.S.")
_BOUNDARY = re.compile(r"(?<=[.!?])([”’\"']?)\s+")


def split_sentences(text: str) -> list[str]:
    """Split one paragraph (plain text) into sentences by the rule above."""
    out, start = [], 0
    for m in _BOUNDARY.finditer(text):
        end = m.start() + len(m.group(1))
        candidate = text[start:end]
        if candidate.endswith(ABBREVIATIONS):
            continue
        out.append(candidate)
        start = m.end()
    if text[start:].strip():
        out.append(text[start:].strip())
    return out


def sentences(data_dir=None) -> "pd.DataFrame":
    """Every sentence of P1–P9 with an id (P1.S1, P1.S2, …), split from data/essay_paragraphs.csv.

    `opening` is the sentence's first four words: data/essay_sentences.csv repeats it, so that a
    change in the text or in the rule that moves a sentence boundary is caught by the tests."""
    import pandas as pd

    rows = []
    for p in load("essay_paragraphs", data_dir).sort_values("position").itertuples():
        for i, s in enumerate(split_sentences(plain_text(p.text)), start=1):
            rows.append({"sentence_id": f"{p.paragraph_id}.S{i}", "paragraph": p.paragraph_id,
                         "text": s, "opening": " ".join(s.split()[:4])})
    return pd.DataFrame(rows)
