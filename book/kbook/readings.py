"""How others read the essay, and the words the book uses for contested things.

- `show_readings("P4")`: the counter-readings of one paragraph, labelled by perspective.
- `show_terms()`: the contested-terms table (who uses which word, with sources, and the book's
  own word).
- `voice_violations(text, patterns)`: the check behind the terms policy. It finds a forbidden
  term in the book's own prose unless the term is quoted or attributed (see `is_attributed`).
"""
from __future__ import annotations

import re

import pandas as pd
from IPython.display import HTML, display

from .data import load
from .figures import _source_links, source_html, table_figure
from .markup import render

PERSPECTIVES = {
    "azerbaijani": "Azerbaijani (official or state-affiliated)",
    "azerbaijani_independent": "Azerbaijani (independent)",
    "armenian": "Armenian (official or state-affiliated)",
    "armenian_independent": "Armenian (independent)",
    "karabakh_armenian": "Karabakh Armenian",
    "international": "International",
    "russian": "Russian",
    "turkish": "Turkish",
    "iranian": "Iranian",
}

# Which side a perspective speaks for. Every chapter needs one reading from each of these three.
PERSPECTIVE_GROUPS = {
    "Azerbaijani side": {"azerbaijani", "azerbaijani_independent"},
    "Armenian side": {"armenian", "armenian_independent", "karabakh_armenian"},
    "International": {"international"},
}


def show_readings(paragraph: str) -> None:
    """Counter-readings of one paragraph: who, from which perspective, and what they argue."""
    df = load("counter_readings")
    df = df[df["paragraph"] == paragraph]
    rows = [[PERSPECTIVES[r["perspective"]], work_html(r, ", ", "", ": ", " (", ")", with_note=True),
             r["relation_to_essay"], r["summary"]] for _, r in df.iterrows()]
    table = render("text_table.html", cls="claims-table", table_id=None, scroll=False, row_ids=None,
                   headers=("Perspective", "Who and where", "Relation to the essay",
                            "Their argument, in our words"), rows=rows)
    display(HTML(table_figure(table, source_html("counter_readings"),
                              f"Other readings of paragraph {paragraph[1:]}")))


def work_html(r, year_sep: str, year_end: str, after_author: str, before_outlet: str, after_outlet: str,
              with_note: bool = False):
    """One work of counter_readings.csv: author, year, linked title, outlet and its verification."""
    work = {k: r[k] for k in ("author", "url", "title", "outlet", "verification", "note")}
    work["year"] = "" if pd.isna(r["year"]) else int(r["year"])
    return render("reading_cells.html", part="work", r=work, year_sep=year_sep, year_end=year_end,
                  after_author=after_author, before_outlet=before_outlet, after_outlet=after_outlet,
                  with_note=with_note)


def readings_by_group(readings: pd.DataFrame | None = None) -> pd.DataFrame:
    """Readings per paragraph and side (Azerbaijani side, Armenian side, International)."""
    df = load("counter_readings") if readings is None else readings
    group_of = {p: g for g, members in PERSPECTIVE_GROUPS.items() for p in members}
    sides = df["perspective"].map(group_of).fillna("Other")
    table = pd.crosstab(df["paragraph"], sides)
    for g in list(PERSPECTIVE_GROUPS) + ["Other"]:
        if g not in table:
            table[g] = 0
    table = table[list(PERSPECTIVE_GROUPS) + ["Other"]]
    return table.rename_axis(index="Paragraph", columns=None)


def missing_sides(readings: pd.DataFrame | None = None,
                  paragraphs=tuple(f"P{i}" for i in range(1, 10))) -> list[str]:
    """Paragraphs that lack a reading from one of the three sides, as readable messages."""
    table = readings_by_group(readings).reindex(list(paragraphs), fill_value=0)
    return [f"{p}: no {g} reading" for p in table.index for g in PERSPECTIVE_GROUPS
            if table.at[p, g] < 1]


USED_BY = {
    "azerbaijani_government": "Azerbaijani government", "azerbaijani_media": "Azerbaijani media",
    "armenian_government": "Armenian government", "karabakh_armenian": "Karabakh Armenian authorities",
    "iranian_government": "Iranian government", "international_body": "International body",
    "international_media": "International media", "scholars": "Scholars", "essay": "The essay",
}


def show_terms(terms: pd.DataFrame | None = None) -> None:
    """The contested-terms table: for each thing, who calls it what (sourced) and the book's word."""
    df = load("contested_terms") if terms is None else terms
    rows, ids = [], []
    for term_id, group in df.groupby("term_id", sort=True):
        first = group.iloc[0]
        usages = [{"term": u["term"], "used_by": USED_BY[u["used_by"]], "source_title": u["source_title"],
                   "source_date": u["source_date"], "sources": _source_links(u)} for _, u in group.iterrows()]
        ids.append(f"term-{term_id}")
        rows.append([term_id, first["concept"], render("reading_cells.html", part="usages", usages=usages),
                     render("reading_cells.html", part="book_term", term=first["book_term"],
                            reason=first["book_reason"])])
    table = render("text_table.html", cls="claims-table", table_id=None, scroll=False, row_ids=ids,
                   headers=("Id", "What is named", "Who calls it what (their own publications)",
                            "The book's own word, and why"), rows=rows)
    display(HTML(table_figure(table, source_html("contested_terms"),
                              "Contested terms: who uses which word, and the word the book uses in its own voice")))


# --- The terms policy as a check -------------------------------------------------------------

# A forbidden term may appear in the book's voice only if it is quoted or attributed.
# Quoted: inside “…”, "…" or ‘…’ on the same line, or inside <q>…</q>.
# Attributed: an attribution cue ends at most ATTRIBUTION_WINDOW characters before the term,
# in the same sentence (no ". " in between).
ATTRIBUTION_WINDOW = 60
ATTRIBUTION_CUES = re.compile(
    r"\b(calls?|called|calling|terms?|termed|describes?|described|names?|named|labels?|labell?ed|"
    r"dubs?|dubbed|brands?|branded|refers? to|referred to|speaks? of|spoke of|according to|"
    r"in the words of|says?|said|argues?|argued|known (in \w+ )?as|(its|their|his|her) words?)\b",
    re.I)
QUOTED = re.compile(r"“[^”\n]*”|\"[^\"\n]*\"|‘[^’\n]*’|<q[ >][^<]*</q>")


def book_voice(markdown: str) -> str:
    """The book's own prose in a markdown text: code, quotes and markup removed.

    Removed: fenced code blocks (``` and ~~~, except MyST directives whose body is prose, such
    as admonitions), block quotes (lines starting with >), inline code, link targets, HTML tags
    other than <q>, MyST glue roles and comments (lines starting with %).
    """
    out, fence = [], None
    for line in markdown.splitlines():
        stripped = line.strip()
        if fence:
            if stripped.startswith(fence):
                fence = None
            continue
        m = re.match(r"(`{3,}|~{3,})(.*)", stripped)
        if m:
            info = m.group(2).strip()
            prose_directive = info.startswith("{") and not re.match(r"\{(code|code-cell|code-block)", info)
            if not prose_directive:
                fence = m.group(1)
            continue
        if stripped.startswith(">") or stripped.startswith("%") or re.match(r":\w+:", stripped):
            continue
        out.append(line)
    text = "\n".join(out)
    text = re.sub(r"\{glue:\w+\}`[^`]*`", " ", text)
    text = re.sub(r"\{(term|ref|doc|numref)\}`([^`<]*)(<[^>]*>)?`", r"\2", text)
    text = re.sub(r"\{cite:\w+\}`[^`]*`", " ", text)
    text = re.sub(r"`[^`]*`", " ", text)
    text = re.sub(r"\]\([^)]*\)", "]", text)
    text = re.sub(r"<(?!/?q[ >])[^>]+>", " ", text)
    return text


def is_attributed(text: str, start: int, end: int) -> bool:
    """Whether the span text[start:end] is quoted or attributed (see the rule above)."""
    for q in QUOTED.finditer(text):
        if q.start() <= start and end <= q.end():
            return True
    before = text[max(0, start - ATTRIBUTION_WINDOW):start]
    before = re.split(r"[.!?]\s|\n\s*\n", before)[-1]
    return bool(ATTRIBUTION_CUES.search(before))


def forbidden_patterns(terms: pd.DataFrame | None = None) -> dict[str, str]:
    """usage_id -> regular expression the book's voice must not use unattributed."""
    df = load("contested_terms") if terms is None else terms
    df = df[df["forbidden_in_book_voice"].notna() & (df["forbidden_in_book_voice"] != "")]
    return dict(zip(df["usage_id"], df["forbidden_in_book_voice"]))


def voice_violations(text: str, patterns: dict[str, str]) -> list[tuple[str, str]]:
    """(usage_id, the offending passage) for each unquoted, unattributed forbidden term."""
    prose = book_voice(text)
    found = []
    for usage_id, pattern in patterns.items():
        for m in re.finditer(pattern, prose, re.I):
            if not is_attributed(prose, m.start(), m.end()):
                found.append((usage_id, prose[max(0, m.start() - 40):m.end() + 40].replace("\n", " ")))
    return found
