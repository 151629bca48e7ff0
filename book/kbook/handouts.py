"""Printable one-chapter handouts: the essay text, the chapter's key table and its questions.

Written by the book's Sphinx extension to `_build/html/handouts/<chapter>.html`
at build time, from the data and the committed notebook outputs; a print
stylesheet lays each one out for A4 or Letter paper.
"""
from __future__ import annotations

import re

import nbformat

from .data import REPO, load
from . import teaching
from .essay import essay_html, meta
from .markup import Markup, render, trusted


def _key_table(nb) -> str:
    """The first sourced table of the chapter's Evidence section, as committed."""
    in_evidence = False
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            if re.search(r"^## Evidence", cell.source, re.M):
                in_evidence = True
            elif re.search(r"^## ", cell.source, re.M) and in_evidence:
                break
            continue
        if in_evidence:
            for out in cell.get("outputs", []):
                page = out.get("data", {}).get("text/html", "")
                if 'class="table-figure"' in page:
                    return page
    return ""


def handout_html(chapter_id: str) -> Markup:
    chapters = load("chapters").set_index("chapter_id")
    row = chapters.loc[chapter_id]
    nb = nbformat.read(REPO / f"{row['file']}.ipynb", 4)
    return render("handout.html", title=row["title"], position=int(row["position"]),
                  file=row["file"].split("/")[-1], objectives=teaching.objectives_html(chapter_id),
                  essay=essay_html(chapter_id), key_table=trusted(_key_table(nb)),
                  questions=teaching.questions_html(chapter_id, answer_space=True), m=meta()) + "\n"


def brief_html(delegation: str, scenario: str) -> Markup:
    """A printable brief for one delegation at one scenario date, every point with its rows."""
    d = load("delegations").set_index("delegation").loc[delegation]
    seat = ("You have a seat at the table." if d["seat"] == "yes" else
            "You have no seat at the table: you may address the room only when the facilitator "
            "invites you, as Karabakh Armenians could only be heard, not sign, in the real talks.")
    return render("brief.html", name=d["name"], when=teaching.SCENARIOS[scenario], represents=d["represents"],
                  seat=seat, positions=teaching.positions_html(delegation, scenario,
                                                               catalogue="../book/data-catalogue.html")) + "\n"


def write_handouts(outdir) -> list[str]:
    from pathlib import Path

    target = Path(outdir) / "handouts"
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for chapter_id, file in zip(load("chapters")["chapter_id"], load("chapters")["file"]):
        path = target / f"{file.split('/')[-1]}.html"
        path.write_text(handout_html(chapter_id), encoding="utf-8")
        written.append(path.name)
    for delegation in load("delegations")["delegation"]:
        for scenario in teaching.SCENARIOS:
            path = target / f"brief-{delegation}-{scenario}.html"
            path.write_text(brief_html(delegation, scenario), encoding="utf-8")
            written.append(path.name)
    return written
