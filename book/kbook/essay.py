"""The essay's text, shown in chapters from data/essay_paragraphs.csv (never retyped)."""
from __future__ import annotations

import re

from IPython.display import HTML

from .data import DataError, load
from .markup import Markup, render

_MARKUP = re.compile(r"<sup>(\w+)</sup>|\*([^*]+)\*")
_EM = re.compile(r"\*([^*]+)\*")

# The sections every essay chapter has, in order (its H2 headings); the house-style test and
# the handouts read them from here.
CHAPTER_SECTIONS = ["The claims", "Evidence", "What the evidence says", "What happened next",
                    "How others read it", "Questions for discussion"]


def meta() -> dict:
    """Title, author, publication, date, URL and rights of the essay."""
    df = load("essay_meta")
    return dict(zip(df["field"], df["value"]))


def plain_text(source: str) -> str:
    """The paragraph as a reader sees it: source markup (<sup>, *emphasis*) removed."""
    return _EM.sub(r"\1", re.sub(r"</?sup>", "", source))


def segments(source: str) -> list[tuple[str, str]]:
    """One paragraph's source markup as (kind, text) pieces: "text", "sup" or "em"."""
    out, pos = [], 0
    for m in _MARKUP.finditer(source):
        if m.start() > pos:
            out.append(("text", source[pos:m.start()]))
        out.append(("sup", m.group(1)) if m.group(1) is not None else ("em", m.group(2)))
        pos = m.end()
    if pos < len(source):
        out.append(("text", source[pos:]))
    return out


def paragraph_html(source: str) -> Markup:
    """Render the source markup of one paragraph as HTML, escaping everything else."""
    return render("paragraph.html", segments=segments(source))


def paragraphs_for(chapter: str) -> list[str]:
    """The paragraph ids that `chapter` (a row of data/chapters.csv) presents."""
    chapters = load("chapters")
    row = chapters[chapters["chapter_id"] == chapter]
    if row.empty:
        raise DataError(f"data/chapters.csv: no chapter {chapter!r}; "
                        f"known: {', '.join(chapters['chapter_id'])}")
    return row.iloc[0]["paragraphs"].split(";")


def essay_html(chapter: str) -> Markup:
    paras = load("essay_paragraphs").set_index("paragraph_id")
    ids = paragraphs_for(chapter)
    return render("essay_block.html", m=meta(), ids=ids, label=", ".join(f"¶{pid[1:]}" for pid in ids),
                  paragraphs=[{"id": pid, "segments": segments(paras.at[pid, "text"])} for pid in ids])


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
