"""The contested-terms policy and the balance of readings, checked against data and prose.

The rule (book/kbook/readings.py): in the book's own prose, a term whose usage row in
data/contested_terms.csv has a `forbidden_in_book_voice` pattern may appear only
- inside quotation marks (“…”, "…", ‘…’ on one line, or <q>…</q>), or
- attributed: an attribution cue ("calls", "called", "terms", "describes", "according to",
  "says", …) ends at most 60 characters before the term, in the same sentence.
The book's own prose is every markdown cell of every notebook and every book/*.md page, minus
code (fenced blocks and inline), block quotes, link targets and HTML; the essay itself is shown
by code cells (kb.show_essay) and so is never checked. The pages where terms are discussed as
terms (naming, glossary) are exempt.
"""
from __future__ import annotations

import re

import nbformat
import pandas as pd
import pytest

from kbook import load, resource
from kbook.readings import (PERSPECTIVE_GROUPS, book_voice, forbidden_patterns, missing_sides,
                            voice_violations)

from conftest import REPO

EXEMPT = {"naming.ipynb", "glossary.md"}


def prose_pages() -> dict[str, str]:
    pages = {}
    for nb in sorted((REPO / "book").glob("*.ipynb")):
        if nb.name not in EXEMPT:
            cells = nbformat.read(nb, 4).cells
            pages[nb.name] = "\n\n".join(c.source for c in cells if c.cell_type == "markdown")
    for md in sorted((REPO / "book").glob("*.md")):
        if md.name not in EXEMPT:
            pages[md.name] = md.read_text(encoding="utf-8")
    return pages


@pytest.fixture(scope="module")
def terms() -> pd.DataFrame:
    return load("contested_terms")


def test_each_term_has_one_policy_and_several_users(terms):
    for term_id, group in terms.groupby("term_id"):
        for col in ("concept", "book_term", "book_reason"):
            assert group[col].nunique() == 1, f"{term_id}: {col} differs between its rows"
        assert group["used_by"].nunique() >= 2, f"{term_id}: only one user's usage is recorded"


def test_patterns_compile_and_match_their_own_term(terms):
    for _, row in terms.iterrows():
        pattern = row["forbidden_in_book_voice"]
        if isinstance(pattern, str) and pattern:
            rx = re.compile(pattern, re.I)
            assert rx.search(row["term"]) or row["usage_id"] in {"T01c", "T02b"}, (
                f"{row['usage_id']}: pattern {pattern!r} does not match its own term {row['term']!r}")


def test_required_terms_are_covered(terms):
    text = " ".join(terms["term"]).lower()
    for needed in ("blockade", "eco-activists", "ethnic cleansing", "exodus", "liberated",
                   "occup", "artsakh", "karabakh economic region", "western zangezur", "syunik",
                   "zangezur corridor", "tripp", "crossroads of peace", "44 days war",
                   "second karabakh war", "patriotic war", "khankendi", "stepanakert",
                   "anti-terrorist", "refugees", "idps", "displacement", "departure"):
        assert needed in text, f"contested_terms.csv has no usage of {needed!r}"


def test_every_chapter_has_azerbaijani_armenian_and_international_readings():
    assert not missing_sides(), missing_sides()


def test_every_perspective_is_grouped_or_deliberately_other():
    enum = set(next(f for f in resource("counter_readings")["schema"]["fields"]
                    if f["name"] == "perspective")["constraints"]["enum"])
    grouped = set().union(*PERSPECTIVE_GROUPS.values())
    assert enum - grouped == {"russian", "turkish", "iranian"}


def test_book_voice_follows_the_terms_policy(terms):
    patterns = forbidden_patterns(terms)
    problems = [f"{page}: {uid}: …{passage}…"
                for page, text in prose_pages().items()
                for uid, passage in voice_violations(text, patterns)]
    assert not problems, "unattributed contested terms in the book's voice:\n" + "\n".join(problems)


# --- each check can fail -------------------------------------------------------------------

PATTERNS = {"T01a": r"\bblockad(e|es|ed|ing)\b", "T03a": r"\bliberat(e|ed|es|ing|ion)\b"}


@pytest.mark.parametrize("text", [
    "The blockade of the Lachin road lasted nine months.",
    "See [the blockade page](https://example.org/).",
    "Azerbaijan liberated the districts in 2020.",
    "## The blockade\n\nSome text.",
    "Armenia protested. The blockade went on.",  # the cue is in the previous sentence
])
def test_the_voice_check_flags_unattributed_terms(text):
    assert voice_violations(text, PATTERNS)


@pytest.mark.parametrize("text", [
    "What Armenia's foreign ministry calls a blockade lasted nine months.",
    "The road was closed (a “blockade” in Yerevan's words).",
    'Baku called the districts "liberated" in 2020.',
    "According to Crisis Group, the blockade hindered talks.",
    "```python\nblockade = 1\n```",
    "> The blockade went on, the statement said.",
    "See [the page](https://example.org/blockade).",
    "The essay speaks of the `blockade`.",
])
def test_the_voice_check_accepts_quoted_attributed_and_code(text):
    assert not voice_violations(text, PATTERNS), book_voice(text)


def test_the_balance_check_flags_a_missing_side():
    readings = load("counter_readings")
    without = readings[~((readings["paragraph"] == "P8")
                         & readings["perspective"].isin(PERSPECTIVE_GROUPS["Azerbaijani side"]))]
    assert missing_sides(without) == ["P8: no Azerbaijani side reading"]
    assert "P5: no International reading" in missing_sides(
        readings[~((readings["paragraph"] == "P5") & (readings["perspective"] == "international"))])


# --- both names at first use (naming policy, rule 1; contested term T08) ---------------------

NAME_PAIRS = [("Khankendi", "Stepanakert"), ("Shusha", "Shushi"), ("Aghdam", "Agdam"),
              ("Lachin", "Berdzor"), ("Kalbajar", "Karvachar")]
# Names of things rather than places: the essay's road ("Agdam-Khankendi Road", quoted as the
# essay writes it, also in titles) and the corridor named in the 2020 trilateral statement.
NAMES_OF_THINGS = re.compile(r"\bA?gh?dam[-–]Khankendi [Rr]oad\b|\bLachin [Cc]orridor\b")


def first_use_problems(text: str) -> list[str]:
    prose = NAMES_OF_THINGS.sub(" ", book_voice(text))
    problems = []
    for az, hy in NAME_PAIRS:
        m = re.search(rf"\b({az}|{hy})\b", prose)
        if m and not prose.startswith(f"{az}/{hy}", m.start()):
            problems.append(f"first mention of {m.group(0)} is not '{az}/{hy}': "
                            f"…{prose[max(0, m.start() - 40):m.end() + 20]}…".replace("\n", " "))
    return problems


def test_places_have_both_names_at_first_use():
    problems = [f"{page}: {p}" for page, text in prose_pages().items()
                for p in first_use_problems(text)]
    assert not problems, "\n".join(problems)


def test_the_first_use_check_can_fail():
    assert first_use_problems("Residents of Stepanakert left. Later, Khankendi/Stepanakert.")
    assert not first_use_problems("From Khankendi/Stepanakert to Khankendi. The Lachin corridor.")
