"""The claims register, the prediction scorecard and the state-period arithmetic."""
from __future__ import annotations

import html

import pandas as pd
from IPython.display import HTML, display

from .data import DataError, load, resource
from .figures import _source_links, source_html

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


def verdict_badge(verdict: str, as_of=None) -> str:
    badge = f'<span class="verdict {verdict_class(verdict)}">{html.escape(verdict)}</span>'
    return badge if as_of is None else f'{badge}<br><small>as of {as_of:%Y-%m-%d}</small>'


def _chronology_index() -> pd.DataFrame:
    return load("chronology").set_index("event_id")


def evidence_html(refs: str) -> str:
    """Render a claim's evidence references as links: tables to the catalogue, events with sources."""
    chron = None
    indicators = load("indicators").set_index("indicator")["name"]
    parts = []
    for ref in (refs or "").split(";"):
        if not ref:
            continue
        table, _, key = ref.partition(":")
        resource(table)  # raises DataError for an unknown table
        anchor = f'data-catalogue.html#{table.replace("_", "-")}'
        if table == "chronology" and key:
            chron = _chronology_index() if chron is None else chron
            if key not in chron.index:
                raise DataError(f"data/claims.csv: evidence {ref!r} names no chronology event")
            ev = chron.loc[key]
            parts.append(f'{key} ({ev["date"]:%Y-%m-%d}, {html.escape(ev["title"])}; '
                         f'{_source_links(ev)})')
        elif table == "country_indicators" and key:
            if key not in indicators.index:
                raise DataError(f"data/claims.csv: evidence {ref!r} names no indicator")
            parts.append(f'<a href="{anchor}">{html.escape(indicators[key])}</a>')
        else:
            parts.append(f'<a href="{anchor}">{html.escape(resource(table)["title"])}</a>')
    return "<br>".join(parts)


def claims(paragraph: str | None = None, kind: str | None = None, verdict: str | None = None):
    df = load("claims")
    for col, val in (("paragraph", paragraph), ("kind", kind), ("verdict", verdict)):
        if val is not None:
            df = df[df[col] == val]
    return df.reset_index(drop=True)


def _claim_rows(df: pd.DataFrame, columns: list[str]) -> str:
    rows = []
    for _, c in df.iterrows():
        cells = {
            "claim_id": html.escape(c["claim_id"]),
            "paragraph": f'¶{c["paragraph"][1:]}',
            "quote": f'<q class="essay-quote" cite="#essay-{c["paragraph"]}">{html.escape(c["quote"])}</q>',
            "kind": html.escape(c["kind"]),
            "verdict": verdict_badge(c["verdict"], c["verdict_date"]) + (
                f'<br><small>held by: {html.escape(_text(c["held_by"]))}</small>' if _text(c["held_by"]) else ""),
            "reasoning": html.escape(c["reasoning"]) + (
                f' <small>(Tests a premise of {html.escape(_text(c["premise_of"]).replace(";", ", "))}.)</small>'
                if _text(c["premise_of"]) else ""),
            "test": html.escape(c["test"]),
            "held_by": html.escape(_text(c["held_by"]) or "–"),
            "premise_of": html.escape((_text(c["premise_of"]) or "–").replace(";", ", ")),
            "evidence": evidence_html(c["evidence"]),
        }
        attrs = (f'data-paragraph="{c["paragraph"]}" data-kind="{c["kind"]}" '
                 f'data-verdict="{c["verdict"]}"')
        rows.append(f'<tr {attrs}>' + "".join(f"<td>{cells[k]}</td>" for k in columns) + "</tr>")
    return "".join(rows)


HEADERS = {"claim_id": "Claim", "paragraph": "¶", "quote": "The essay's words", "kind": "Kind",
           "verdict": "Verdict", "reasoning": "Why", "test": "How it can be tested",
           "held_by": "Held by", "premise_of": "Tests a premise of", "evidence": "Evidence"}


def claims_table_html(df: pd.DataFrame, columns: list[str], table_id: str) -> str:
    head = "".join(f"<th>{HEADERS[c]}</th>" for c in columns)
    return (f'<div class="table-scroll"><table class="data-table claims-table" id="{table_id}">'
            f'<thead><tr>{head}</tr></thead><tbody>{_claim_rows(df, columns)}</tbody></table></div>')


def show_claims(paragraph: str) -> None:
    """The register's claims for one paragraph, with kind, verdict and evidence."""
    df = claims(paragraph)
    cols = ["claim_id", "quote", "kind", "verdict", "reasoning", "evidence"]
    display(HTML(f'<figure class="table-figure"><figcaption>Claims of paragraph {paragraph[1:]} '
                 f'(from the claims register)</figcaption>'
                 f'{claims_table_html(df, cols, f"claims-{paragraph}")}'
                 f'{source_html("claims", note="Quotes are the essay’s words; verdicts are ours.")}'
                 f'</figure>'))


_FILTER_JS = """
<script>
(function () {
  const root = document.getElementById("%(id)s-filters");
  const rows = document.querySelectorAll("#%(id)s tbody tr");
  const count = document.getElementById("%(id)s-count");
  function apply() {
    const want = {};
    root.querySelectorAll("select").forEach(s => { want[s.name] = s.value; });
    let shown = 0;
    rows.forEach(r => {
      const ok = Object.keys(want).every(k => !want[k] || r.dataset[k] === want[k]);
      r.hidden = !ok;
      if (ok) shown += 1;
    });
    count.textContent = shown + " of " + rows.length + " claims shown";
  }
  root.querySelectorAll("select").forEach(s => s.addEventListener("change", apply));
  root.hidden = false;
  apply();
})();
</script>"""


def _select(name: str, label: str, values: list[str]) -> str:
    opts = "".join(f'<option value="{html.escape(v)}">{html.escape(v)}</option>' for v in values)
    return (f'<label>{label} <select name="{name}"><option value="">all</option>{opts}</select>'
            f'</label>')


def register_html(df: pd.DataFrame, columns: list[str], table_id: str) -> str:
    """A claims table with dropdown filters that work in the browser, without a kernel."""
    fields = {f["name"]: f for f in resource("claims")["schema"]["fields"]}
    filters = (f'<form class="claim-filters" id="{table_id}-filters" hidden>'
               + _select("paragraph", "Paragraph", sorted(df["paragraph"].unique()))
               + _select("kind", "Kind", fields["kind"]["constraints"]["enum"])
               + _select("verdict", "Verdict", list(verdicts()["verdict"]))
               + f' <output id="{table_id}-count" aria-live="polite"></output></form>')
    return filters + claims_table_html(df, columns, table_id) + _FILTER_JS % {"id": table_id}


def show_register() -> None:
    df = claims()
    cols = ["claim_id", "paragraph", "quote", "kind", "verdict", "reasoning", "test", "evidence"]
    display(HTML(register_html(df, cols, "register") +
                 source_html("claims", note="Quotes are the essay’s words; verdicts are ours.")))


def predictions() -> pd.DataFrame:
    """The predictive claims with their rows of data/predictions.csv (criterion, condition, mechanism)."""
    pred = claims(kind="predictive")
    table = load("predictions")
    missing = sorted(set(pred["claim_id"]) - set(table["claim_id"]))
    if missing:
        raise DataError(f"data/predictions.csv: no row for the predictions {', '.join(missing)}")
    return pred.merge(table, on="claim_id", how="left")


def _prediction_row(p) -> str:
    def d(x):
        return f"{x:%Y-%m-%d}"
    crit = f'{html.escape(p["criterion"])}<br><small>written {d(p["criterion_written"])}</small>'
    if _text(p["earlier_criterion"]):
        crit += (f'<br><small>earlier criterion, written {d(p["earlier_criterion_written"])}: '
                 f'{html.escape(_text(p["earlier_criterion"]))}</small>')
    cond = html.escape(p["condition"])
    if p["condition_state"] != "not applicable":
        cond += (f'<br><small>state as of {d(p["condition_as_of"])}: '
                 f'{html.escape(p["condition_state"])}</small>')
        if _text(p["condition_evidence"]):
            cond += f'<br><small>{evidence_html(_text(p["condition_evidence"]))}</small>'
    mech = (f'{html.escape(p["mechanism_named"])}<br><strong>{html.escape(p["mechanism_held"])}</strong>: '
            f'{html.escape(p["mechanism_note"])}')
    if _text(p["mechanism_evidence"]):
        mech += f'<br><small>{evidence_html(_text(p["mechanism_evidence"]))}</small>'
    if _text(p["source_url"]):
        mech += (f'<br><small>Source: {html.escape(p["source_publisher"])}, '
                 f'<a href="{html.escape(_text(p["source_url"]))}">{html.escape(p["source_title"])}</a>, '
                 f'read {d(p["source_accessed"])}. {html.escape(_text(p["note"]))}</small>')
    cells = [html.escape(p["claim_id"]), f'¶{p["paragraph"][1:]}',
             f'<q class="essay-quote" cite="#essay-{p["paragraph"]}">{html.escape(p["quote"])}</q>',
             crit, html.escape(p["outcome_known_when_written"]), cond, mech,
             verdict_badge(p["verdict"], p["verdict_date"]), html.escape(p["reasoning"])]
    return "<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"


def predictions_table_html(table_id: str = "scorecard") -> str:
    df = predictions()
    head = "".join(f"<th>{h}</th>" for h in (
        "Claim", "¶", "The essay's words", "Resolves when", "Outcome already known when the criterion was written?",
        "Condition it depends on", "Mechanism the essay named, and did it operate?", "Verdict", "Why"))
    body = "".join(_prediction_row(p) for _, p in df.iterrows())
    return (f'<div class="table-scroll"><table class="data-table claims-table" id="{table_id}">'
            f'<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>')


def show_scorecard(table_id: str = "scorecard") -> None:
    """Each prediction with its criterion (and when it was written), condition, mechanism and verdict."""
    display(HTML(predictions_table_html(table_id) +
                 source_html("predictions", note="Criteria, conditions and mechanisms are rows of "
                             "data/predictions.csv; verdicts are rows of data/claims.csv.")))


def show_verdicts() -> None:
    """The verdict method: each verdict, what it means, which kinds may receive it, and how often it is used."""
    v = verdicts()
    counts = claims()["verdict"].value_counts()
    rows = "".join(
        f'<tr><td>{verdict_badge(r["verdict"])}</td><td>{html.escape(r["definition"])}</td>'
        f'<td>{html.escape(r["allowed_kinds"].replace(";", ", "))}</td>'
        f'<td>{html.escape(r["evidence_required"])}</td><td>{r["rated"]}</td>'
        f'<td>{int(counts.get(r["verdict"], 0))}</td></tr>'
        for _, r in v.iterrows())
    head = "".join(f"<th>{h}</th>" for h in ("Verdict", "Meaning", "Kinds of claim that may receive it",
                                             "Evidence it requires", "Rates the claim?", "Claims"))
    display(HTML(f'<div class="table-scroll" tabindex="0" role="region" aria-label="Verdicts and their rules">'
                 f'<table class="data-table claims-table" id="verdicts">'
                 f'<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>'
                 + source_html("verdicts")))


def show_sentences() -> None:
    """Every sentence of the essay by id, with the claims that cover it or the reason it has none."""
    from .essay import sentences

    split = sentences().set_index("sentence_id")
    table = load("essay_sentences")
    rows = []
    for _, r in table.iterrows():
        para = r["paragraph"]
        ids = [c for c in _text(r["claims"]).split(";") if c]
        rows.append(
            f'<tr><td>{html.escape(r["sentence_id"])}</td>'
            f'<td><q class="essay-quote" cite="#essay-{para}">{html.escape(split.at[r["sentence_id"], "opening"])}</q> …</td>'
            f'<td>{html.escape(", ".join(ids)) or "–"}</td><td>{html.escape(_text(r["reason"]))}</td></tr>')
    head = "".join(f"<th>{h}</th>" for h in ("Sentence", "Opens with", "Claims", "Reason or note"))
    display(HTML(f'<div class="table-scroll" tabindex="0" role="region" aria-label="Sentences of the essay">'
                 f'<table class="data-table claims-table" id="essay-sentences">'
                 f'<thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>'
                 + source_html("essay_sentences", note="Sentence ids follow kbook.essay.sentences(); "
                               "the opening words are the essay’s.")))


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
