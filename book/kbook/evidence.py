"""The claim → test → result matrix: which output tests which claim, and what came out.

Rows live in data/claim_tests.csv. An output id is either the id of a chart or
table in the claim's chapter (`<chapter_id>-<slug>`, written on the page as a
`data-output-id` attribute by `kb.show`, `kb.show_table` and `kb.show_records`)
or a reference to a row of the data package (`chronology:E070`).
"""
from __future__ import annotations

import html
import re

import pandas as pd
from IPython.display import HTML, display

from .data import load

RESULT_LABELS = {"confirms": "confirms", "disconfirms": "disconfirms", "mixed": "mixed",
                 "no test possible": "no test possible"}
OUTPUT_ID = re.compile(r"ch\d{2}(-[a-z0-9]+)+")


def claim_tests(paragraph: str | None = None) -> pd.DataFrame:
    """The rows of claim_tests.csv with each claim's paragraph and quote; one paragraph or all."""
    tests = load("claim_tests")
    claims = load("claims")[["claim_id", "paragraph", "quote", "kind"]]
    df = tests.merge(claims, on="claim_id", how="left", validate="many_to_one")
    if paragraph is not None:
        df = df[df["paragraph"] == paragraph]
    return df.sort_values(["claim_id", "output_id"]).reset_index(drop=True)


def _evidence_label(output_id: str, events: pd.DataFrame) -> str:
    """What a reader sees for an output id: the output's id, or the event's date and title."""
    if OUTPUT_ID.fullmatch(output_id):
        return (f'<span class="output-ref">chart or table <code>{html.escape(output_id)}</code> '
                f'(above)</span>')
    table, _, key = output_id.partition(":")
    if table == "chronology" and key in events.index:
        ev = events.loc[key]
        return (f'event {html.escape(key)}: {ev["date"]:%Y-%m-%d}, {html.escape(ev["title"])} '
                f'(<a href="timeline.html">timeline</a>)')
    return f"{html.escape(table)}, row {html.escape(key)}"


def show_tests(paragraph: str) -> None:
    """The matrix for one paragraph: each claim, the evidence, the comparison and the result.

    Claims of the paragraph with no row are listed as untested, so a gap shows.
    """
    df = claim_tests(paragraph)
    events = load("chronology").set_index("event_id")
    claims = load("claims")
    claims = claims[claims["paragraph"] == paragraph]
    rows = []
    for _, row in df.iterrows():
        kind = row["result_kind"]
        rows.append(
            f'<tr><td>{html.escape(row["claim_id"])}</td>'
            f'<td><q class="essay-quote" cite="#essay-{row["paragraph"]}">'
            f'{html.escape(row["quote"])}</q></td>'
            f'<td>{_evidence_label(row["output_id"], events)}</td>'
            f'<td>{html.escape(row["comparison"])}</td>'
            f'<td>{html.escape(row["result"])}</td>'
            f'<td><span class="result-kind result-{kind.replace(" ", "-")}">'
            f'{RESULT_LABELS[kind]}</span></td></tr>')
    untested = sorted(set(claims["claim_id"]) - set(df["claim_id"]))
    gap = (f'<p class="tests-gap">Claims of this paragraph with no test recorded: '
           f'{html.escape(", ".join(untested))}.</p>' if untested else "")
    counts = df.drop_duplicates("claim_id")["claim_id"].size
    head = "".join(f"<th>{h}</th>" for h in ("Claim", "The essay says", "Evidence",
                                              "What is compared", "What came out", "Result"))
    display(HTML(
        f'<figure class="table-figure claim-tests" data-paragraph="{html.escape(paragraph)}">'
        f'<figcaption>Claims of paragraph {html.escape(paragraph[1:])} and the evidence that tests '
        f'them ({counts} claims, {len(df)} tests)</figcaption>'
        f'<div class="table-scroll"><table class="data-table records"><thead><tr>{head}</tr></thead>'
        f'<tbody>{"".join(rows)}</tbody></table></div>{gap}'
        f'<p class="figure-source" data-table="claim_tests"><strong>Source:</strong> this book\'s '
        f'analysis; data: <a href="../data/claim_tests.csv" download>claim_tests.csv</a> '
        f'(<a href="data-catalogue.html#claim-tests">catalogue</a>). "No test possible" means that '
        f'nothing in the book can confirm or refute the claim; the verdicts are in the '
        f'<a href="claims-register.html">claims register</a>.</p></figure>'))
