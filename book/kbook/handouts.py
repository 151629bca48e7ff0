"""Printable one-chapter handouts: the essay text, the chapter's key table and its questions.

Written by the book's Sphinx extension to `_build/html/handouts/<chapter>.html`
at build time, from the data and the committed notebook outputs; a print
stylesheet lays each one out for A4 or Letter paper.
"""
from __future__ import annotations

import html
import re

import nbformat

from .data import REPO, load
from . import teaching
from .essay import essay_html, meta


CSS = """
body { font-family: Georgia, 'Times New Roman', serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem;
       color: #111; line-height: 1.45; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { font-size: 1.15rem; margin-top: 1.4rem; }
.meta { color: #444; font-size: .9rem; }
figure.essay-block { margin: 1rem 0; padding: .6rem .9rem; border-left: 4px solid #0072B2; background: #f4f6f9; }
figure.essay-block blockquote { margin: 0; }
.essay-label { font-size: .8rem; text-transform: uppercase; letter-spacing: .04em; color: #333; }
figcaption { font-size: .85rem; color: #333; }
table { border-collapse: collapse; font-size: .85rem; width: 100%; }
th, td { border-bottom: 1px solid #bbb; padding: .2rem .4rem; text-align: left; vertical-align: top; }
.figure-source { font-size: .8rem; color: #333; }
.status-unverified { background: #fff3cd; padding: 0 .2em; }
.answer-space { border-bottom: 1px solid #999; height: 2.2rem; }
@media print { body { margin: 0; max-width: none; } a { color: inherit; text-decoration: none; }
               h2 { break-after: avoid; } table, figure { break-inside: avoid; } }
"""


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


def handout_html(chapter_id: str) -> str:
    chapters = load("chapters").set_index("chapter_id")
    row = chapters.loc[chapter_id]
    nb = nbformat.read(REPO / f"{row['file']}.ipynb", 4)
    questions_html = re.sub(r"</li>", '<div class="answer-space"></div></li>', teaching.questions_html(chapter_id))
    objectives = teaching.objectives_html(chapter_id)
    m = meta()
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="../_static/favicon.svg">
<title>Handout: {html.escape(row['title'])}</title><style>{CSS}</style></head>
<body><main>
<h1>{html.escape(row['title'])}</h1>
<p class="meta">Seminar handout, chapter {int(row['position'])} of <em>Reading Valiyev on Karabakh</em>.
The full chapter, with charts and sources, is at <code>book/{html.escape(row['file'].split('/')[-1])}.html</code>.</p>
<h2>Learning objectives</h2>{objectives}
<h2>The essay</h2>{essay_html(chapter_id)}
<h2>Key table</h2>{_key_table(nb)}
<h2>Questions for discussion</h2>{questions_html}
<p class="meta">Essay: {html.escape(m['author'])}, “{html.escape(m['title'])}”, {html.escape(m['publication'])},
{html.escape(m['date_display'])}; quoted for annotation and teaching. Book text: CC BY 4.0.</p>
</main></body></html>
"""


def brief_html(delegation: str, scenario: str) -> str:
    """A printable brief for one delegation at one scenario date, every point with its rows."""
    d = load("delegations").set_index("delegation").loc[delegation]
    when = teaching.SCENARIOS[scenario]
    seat = ("You have a seat at the table." if d["seat"] == "yes" else
            "You have no seat at the table: you may address the room only when the facilitator "
            "invites you, as Karabakh Armenians could only be heard, not sign, in the real talks.")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="../_static/favicon.svg">
<title>Brief: {html.escape(d['name'])}, {html.escape(when)}</title><style>{CSS}</style></head>
<body><main>
<h1>Delegation brief: {html.escape(d['name'])}</h1>
<p class="meta">Negotiation simulation of <em>Reading Valiyev on Karabakh</em>. Scenario: {html.escape(when)}.
{html.escape(d['represents'])} {seat}</p>
<h2>Your documented positions</h2>
<p>Argue from these positions only; each rests on the rows of the book's data named beside it. Where
the book holds no sourced position, say so in the room rather than invent one.</p>
{teaching.positions_html(delegation, scenario).replace('href="data-catalogue.html', 'href="../book/data-catalogue.html')}
<h2>Your preparation</h2>
<ol><li>Which of your positions could you trade, and for what?<div class="answer-space"></div></li>
<li>Which stated condition would you keep whatever the cost, and why?<div class="answer-space"></div></li>
<li>What does each other delegation need from you?<div class="answer-space"></div></li></ol>
<p class="meta">Book text: CC BY 4.0. Sources: data/positions.csv and the rows it cites.</p>
</main></body></html>
"""


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
