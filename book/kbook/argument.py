"""The essay's argument as the editors reconstruct it, and what the essay leaves out.

`argument_map()` draws the claims of the register as points (paragraph on the x axis) and the
links of data/argument_links.csv as lines between them: which claims the essay offers as premises
of others, which support its conclusion (claim C37, that a peace agreement will be signed) and
which it weighs against it. The links are our reading of the essay's connectives, not the
author's diagram.
"""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from IPython.display import HTML, display

from .claims import claims, evidence_html
from .data import DataError, load
from .figures import source_html, table_figure
from .markup import render
from .palette import OKABE_ITO
from .teaching import TEXT_TABLE

RELATION_STYLE = {  # relation -> (legend label, line dash, colour)
    "premise": ("is a premise of", "dot", "#555555"),
    "supports": ("supports", "solid", OKABE_ITO["blue"]),
    "qualifies": ("weighs against", "dash", OKABE_ITO["vermillion"]),
}
KIND_SYMBOL = {"factual": "circle", "causal": "diamond", "predictive": "star",
               "interpretive": "square", "normative": "triangle-up"}


def links() -> pd.DataFrame:
    """The argument links, each end checked against the claims register."""
    df = load("argument_links")
    known = set(claims()["claim_id"])
    for col in ("from_claim", "to_claim"):
        missing = sorted(set(df[col]) - known)
        if missing:
            raise DataError(f"data/argument_links.csv: column {col!r} names claims that are not in "
                            f"data/claims.csv: {', '.join(missing)}")
    return df


def _positions(reg: pd.DataFrame) -> pd.DataFrame:
    reg = reg.copy()
    reg["x"] = reg["paragraph"].str[1:].astype(int)
    reg["y"] = reg.groupby("paragraph").cumcount() + 1
    return reg.set_index("claim_id")


def argument_map(title: str = "The essay's argument, claim by claim") -> go.Figure:
    """Claims as points by paragraph; premises, support and objections as lines."""
    lk = links()
    reg = claims()
    used = set(lk["from_claim"]) | set(lk["to_claim"])
    pos = _positions(reg[reg["claim_id"].isin(used)])
    fig = go.Figure()
    for relation, (label, dash, colour) in RELATION_STYLE.items():
        part = lk[lk["relation"] == relation]
        xs, ys = [], []
        for _, row in part.iterrows():
            a, b = pos.loc[row["from_claim"]], pos.loc[row["to_claim"]]
            xs += [a["x"], b["x"], None]
            ys += [a["y"], b["y"], None]
        fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", name=label, hoverinfo="skip",
                                 line=dict(color=colour, dash=dash, width=1.5)))
    for kind, symbol in KIND_SYMBOL.items():
        part = pos[pos["kind"] == kind]
        if part.empty:
            continue
        fig.add_trace(go.Scatter(
            x=part["x"], y=part["y"], mode="markers+text", name=f"{kind} claim",
            text=list(part.index), textposition="middle right",
            marker=dict(symbol=symbol, size=13, color="#ffffff", line=dict(width=2, color="#222")),
            customdata=list(zip(part["verdict"], part["verdict_date"].dt.strftime("%Y-%m-%d"))),
            hovertemplate="<b>%{text}</b>, paragraph %{x}<br>" + kind +
                          " claim<br>Verdict: %{customdata[0]} (as of %{customdata[1]})<extra></extra>"))
    fig.update_layout(
        title=title, height=520, hovermode="closest",
        xaxis=dict(title="Essay paragraph", tickmode="linear", dtick=1, range=[0.5, 9.9]),
        yaxis=dict(title="Claims of the paragraph, in order", dtick=1, autorange="reversed"),
        legend=dict(orientation="h", y=-0.2))
    return fig


def argument_finding() -> str:
    lk = links()
    counts = lk.groupby(["to_claim", "relation"]).size()
    conclusion = "C37"
    pro = int(counts.get((conclusion, "supports"), 0))
    con = int(counts.get((conclusion, "qualifies"), 0))
    return (f"We read {len(lk)} links between {len(set(lk['from_claim']) | set(lk['to_claim']))} "
            f"claims. The conclusion ({conclusion}, that a peace agreement will be signed) rests on "
            f"{pro} claims the essay counts in its favour and is weighed against {con} challenges.")


def show_links() -> None:
    """The links as a table: from, relation, to, and our reading of the essay's connective."""
    lk = links()
    rows = [[r["from_claim"], RELATION_STYLE[r["relation"]][0], r["to_claim"], r["reading"]]
            for _, r in lk.iterrows()]
    table = render("text_table.html", cls=TEXT_TABLE, table_id=None, scroll=False, row_ids=None,
                   headers=("Claim", "Relation", "Claim", "Our reading"), rows=rows)
    display(HTML(table_figure(table, source_html("argument_links", note="Claim ids link to the claims register."),
                              "How the claims connect (our reconstruction)")))


def show_omissions() -> None:
    """What the essay leaves out, each point with the sourced events that show it."""
    df = load("essay_omissions")
    rows = [[r["topic"], r["what_the_essay_does"], r["why_it_matters"], evidence_html(r["evidence"])]
            for _, r in df.iterrows()]
    table = render("text_table.html", cls=TEXT_TABLE, table_id=None, scroll=False, row_ids=None,
                   headers=("Topic", "What the essay does", "Why it matters", "Evidence"), rows=rows)
    display(HTML(table_figure(table, source_html("essay_omissions"), "What the essay leaves out")))
