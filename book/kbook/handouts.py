"""Printable one-chapter handouts: the essay text, the chapter's key table and its questions.

The key table is the output the chapter declares in data/chapters.csv (`key_output`, a
data-output-id), taken as committed in the chapter's notebook.

Written by the book's Sphinx extension to `_build/html/handouts/<chapter>.html`
at build time, from the data and the committed notebook outputs; a print
stylesheet lays each one out for A4 or Letter paper.
"""
from __future__ import annotations

import nbformat

from .data import REPO, DataError, load
from . import teaching
from .essay import CHAPTER_SECTIONS, essay_html, meta
from .markup import Markup, render, trusted


KEY_SECTION = CHAPTER_SECTIONS[1]  # "Evidence": a chapter's key output is one of this section's


def key_output(nb, output_id: str, where: str = "the notebook") -> str:
    """The committed HTML output of the chapter's Evidence section that declares `data-output-id`."""
    for html in output_html(nb, KEY_SECTION):
        if f'data-output-id="{output_id}"' in html:
            return html
    raise DataError(f"data/chapters.csv: key_output {output_id!r} is not among the committed outputs "
                    f"of the {KEY_SECTION!r} section of {where}; re-execute it or name another output")


def output_html(nb, section: str | None = None) -> list[str]:
    """The text/html outputs of a notebook (nbformat node), in order; only one H2 section's if given."""
    out, current = [], None
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            current = next((line[3:].strip() for line in reversed(cell.source.splitlines())
                            if line.startswith("## ")), current)
            continue
        if section is None or current == section:
            out += [o["data"]["text/html"] for o in cell.get("outputs", []) if "text/html" in o.get("data", {})]
    return out


def handout_html(chapter_id: str) -> Markup:
    chapters = load("chapters").set_index("chapter_id")
    row = chapters.loc[chapter_id]
    nb = nbformat.read(REPO / f"{row['file']}.ipynb", 4)
    return render("handout.html", title=row["title"], position=int(row["position"]),
                  file=row["file"].split("/")[-1], objectives=teaching.objectives_html(chapter_id),
                  essay=essay_html(chapter_id), key_table=trusted(key_output(nb, row["key_output"], f"{row['file']}.ipynb")),
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
