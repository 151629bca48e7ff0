"""The claims register, the prediction scorecard and the state-period arithmetic."""
from __future__ import annotations

import pandas as pd
from IPython.display import HTML, display

from .data import DataError, load, resource
from .figures import _source_links, catalogue_anchor, source_html
from .markup import Markup, render

def _text(value) -> str:
    """A string cell, or "" where the cell is empty."""
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def verdicts() -> pd.DataFrame:
    """The verdict method (data/verdicts.csv), in its order: definitions, allowed kinds, classes, colours."""
    return load("verdicts").sort_values("order").reset_index(drop=True)


def verdict_class(verdict: str) -> str:
    """The CSS class of a verdict, from data/verdicts.csv."""
    table = verdicts().set_index("verdict")["css_class"]
    if verdict not in table.index:
        raise DataError(f"data/verdicts.csv: no verdict {verdict!r}")
    return table[verdict]


def verdict_colours() -> dict[str, str]:
    """Chart colour of each verdict, in the verdicts' order."""
    v = verdicts()
    return dict(zip(v["verdict"], v["colour"]))


def verdict_badge(verdict: str, as_of=None) -> Markup:
    return render("verdict_badge.html", verdict=verdict, css_class=verdict_class(verdict),
                  as_of=None if as_of is None else f"{as_of:%Y-%m-%d}")


def _chronology_index() -> pd.DataFrame:
    return load("chronology").set_index("event_id")


def evidence_html(refs: str) -> Markup:
    """Render a claim's evidence references as links: tables to the catalogue, events with sources."""
    chron = None
    indicators = load("indicators").set_index("indicator")["name"]
    parts = []
    for ref in (refs or "").split(";"):
        if not ref:
            continue
        table, _, key = ref.partition(":")
        resource(table)  # raises DataError for an unknown table
        anchor = catalogue_anchor(table)
        if table == "chronology" and key:
            chron = _chronology_index() if chron is None else chron
            if key not in chron.index:
                raise DataError(f"data/claims.csv: evidence {ref!r} names no chronology event")
            ev = chron.loc[key]
            parts.append({"event": key, "date": f'{ev["date"]:%Y-%m-%d}', "title": ev["title"],
                          "sources": _source_links(ev)})
        elif table == "country_indicators" and key:
            if key not in indicators.index:
                raise DataError(f"data/claims.csv: evidence {ref!r} names no indicator")
            parts.append({"event": None, "anchor": anchor, "label": indicators[key], "table": table,
                          "also": "indicators"})
        else:
            parts.append({"event": None, "anchor": anchor, "label": resource(table)["title"], "table": table,
                          "also": None})
    return render("evidence_refs.html", parts=parts)


def claims(paragraph: str | None = None, kind: str | None = None, verdict: str | None = None):
    df = load("claims")
    for col, val in (("paragraph", paragraph), ("kind", kind), ("verdict", verdict)):
        if val is not None:
            df = df[df[col] == val]
    return df.reset_index(drop=True)


def _claim_rows(df: pd.DataFrame, columns: list[str]) -> list[dict]:
    return [{"attrs": True, "claim_id": c["claim_id"], "paragraph": c["paragraph"], "quote": c["quote"],
             "kind": c["kind"], "verdict": c["verdict"], "badge": verdict_badge(c["verdict"], c["verdict_date"]),
             "held_by": _text(c["held_by"]), "reasoning": c["reasoning"],
             "premise_of": _text(c["premise_of"]).replace(";", ", "), "test": c["test"],
             "evidence": evidence_html(c["evidence"]) if "evidence" in columns else ""}
            for _, c in df.iterrows()]


HEADERS = {"claim_id": "Claim", "paragraph": "¶", "quote": "The essay's words", "kind": "Kind",
           "verdict": "Verdict", "reasoning": "Why", "test": "How it can be tested",
           "held_by": "Held by", "premise_of": "Tests a premise of", "evidence": "Evidence"}


def claims_table_html(df: pd.DataFrame, columns: list[str], table_id: str) -> Markup:
    return render("claims_table.html", table_id=table_id, columns=columns,
                  headers=[HEADERS[c] for c in columns], rows=_claim_rows(df, columns))


def show_claims(paragraph: str) -> None:
    """The register's claims for one paragraph, with kind, verdict and evidence."""
    df = claims(paragraph)
    cols = ["claim_id", "quote", "kind", "verdict", "reasoning", "evidence"]
    display(HTML(render("claims_figure.html",
                        caption=f"Claims of paragraph {paragraph[1:]} (from the claims register)",
                        table=claims_table_html(df, cols, f"claims-{paragraph}"),
                        source=source_html("claims", note="Quotes are the essay’s words; verdicts are ours."))))


def register_html(df: pd.DataFrame, columns: list[str], table_id: str,
                  source: Markup = Markup("")) -> Markup:
    """A claims table with dropdown filters that work in the browser, without a kernel."""
    fields = {f["name"]: f for f in resource("claims")["schema"]["fields"]}
    filters = [{"name": "paragraph", "label": "Paragraph", "values": sorted(df["paragraph"].unique())},
               {"name": "kind", "label": "Kind", "values": fields["kind"]["constraints"]["enum"]},
               {"name": "verdict", "label": "Verdict", "values": list(verdicts()["verdict"])}]
    return render("register.html", table_id=table_id, filters=filters,
                  table=claims_table_html(df, columns, table_id), source=source)


def show_register() -> None:
    df = claims()
    cols = ["claim_id", "paragraph", "quote", "kind", "verdict", "reasoning", "test", "evidence"]
    display(HTML(register_html(df, cols, "register",
                               source_html("claims", note="Quotes are the essay’s words; verdicts are ours."))))


def predictions() -> pd.DataFrame:
    """The predictive claims with their rows of data/predictions.csv (criterion, condition, mechanism)."""
    pred = claims(kind="predictive")
    table = load("predictions")
    missing = sorted(set(pred["claim_id"]) - set(table["claim_id"]))
    if missing:
        raise DataError(f"data/predictions.csv: no row for the predictions {', '.join(missing)}")
    return pred.merge(table, on="claim_id", how="left")


def _prediction_row(p) -> list:
    def d(x):
        return f"{x:%Y-%m-%d}"
    ctx = {k: _text(v) if not isinstance(v, pd.Timestamp) else d(v) for k, v in p.items()}
    for col in ("condition_evidence", "mechanism_evidence"):
        ctx[col] = evidence_html(ctx[col]) if ctx[col] else ""
    cell = lambda part: render("prediction_cells.html", part=part, p=ctx)  # noqa: E731
    return [p["claim_id"], f'¶{p["paragraph"][1:]}',
            render("quote.html", paragraph=p["paragraph"], text=p["quote"], after=""),
            cell("criterion"), p["outcome_known_when_written"], cell("condition"), cell("mechanism"),
            verdict_badge(p["verdict"], p["verdict_date"]), p["reasoning"]]


def predictions_table_html(table_id: str = "scorecard") -> Markup:
    df = predictions()
    headers = ("Claim", "¶", "The essay's words", "Resolves when",
               "Outcome already known when the criterion was written?", "Condition it depends on",
               "Mechanism the essay named, and did it operate?", "Verdict", "Why")
    return render("text_table.html", cls="claims-table", table_id=table_id, scroll=True, headers=headers,
                  rows=[_prediction_row(p) for _, p in df.iterrows()], row_ids=None)


def show_scorecard(table_id: str = "scorecard") -> None:
    """Each prediction with its criterion (and when it was written), condition, mechanism and verdict."""
    display(HTML(render("fragments.html", parts=[
        predictions_table_html(table_id),
        source_html("predictions", note="Criteria, conditions and mechanisms are rows of "
                    "data/predictions.csv; verdicts are rows of data/claims.csv.", also=["claims"])])))


def show_verdicts() -> None:
    """The verdict method: each verdict, what it means, which kinds may receive it, and how often it is used."""
    v = verdicts()
    counts = claims()["verdict"].value_counts()
    rows = [[verdict_badge(r["verdict"]), r["definition"], r["allowed_kinds"].replace(";", ", "),
             r["evidence_required"], r["rated"], int(counts.get(r["verdict"], 0))] for _, r in v.iterrows()]
    headers = ("Verdict", "Meaning", "Kinds of claim that may receive it", "Evidence it requires",
               "Rates the claim?", "Claims")
    display(HTML(render("fragments.html", parts=[
        render("text_table.html", cls="claims-table", table_id="verdicts", scroll=True, headers=headers,
               rows=rows, row_ids=None),
        source_html("verdicts", also=["claims"])])))


def show_sentences() -> None:
    """Every sentence of the essay by id, with the claims that cover it or the reason it has none."""
    from .essay import sentences

    split = sentences().set_index("sentence_id")
    table = load("essay_sentences")
    rows = []
    for _, r in table.iterrows():
        para = r["paragraph"]
        ids = [c for c in _text(r["claims"]).split(";") if c]
        rows.append([r["sentence_id"],
                     render("quote.html", paragraph=para, text=split.at[r["sentence_id"], "opening"], after=" …"),
                     ", ".join(ids) or "–", _text(r["reason"])])
    headers = ("Sentence", "Opens with", "Claims", "Reason or note")
    display(HTML(render("fragments.html", parts=[
        render("text_table.html", cls="claims-table", table_id="essay-sentences", scroll=True,
               headers=headers, rows=rows, row_ids=None),
        source_html("essay_sentences", note="Sentence ids follow kbook.essay.sentences(); "
                    "the opening words are the essay’s.", also=["essay_paragraphs"])])))


def state_periods(as_of: str | None = None) -> pd.DataFrame:
    """Each state period with start and end dates taken from the chronology, and its length."""
    periods = load("state_periods")
    chron = _chronology_index()

    def date_of(event_id):
        if event_id not in chron.index:
            raise DataError(f"data/state_periods.csv: no chronology event {event_id}")
        return chron.at[event_id, "date"]

    periods["start"] = periods["start_event"].map(date_of)
    periods["end"] = [date_of(e) if e else pd.Timestamp(as_of or o)
                      for e, o in zip(periods["end_event"], periods["ongoing_as_of"])]
    periods["years"] = (periods["end"] - periods["start"]).dt.days / 365.2425
    return periods
