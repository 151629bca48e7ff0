"""The claims register, the prediction scorecard and the state-period arithmetic."""
from __future__ import annotations

import html

import pandas as pd
from IPython.display import HTML, display

from .data import DataError, load, resource
from .figures import _source_links, source_html

VERDICT_CLASS = {
    "supported": "v-supported", "partly supported": "v-partly", "contested": "v-contested",
    "not borne out": "v-not", "pending": "v-pending", "overtaken": "v-overtaken",
    "not testable": "v-untestable",
}


def _chronology_index() -> pd.DataFrame:
    return load("chronology").set_index("event_id")


def evidence_html(refs: str) -> str:
    """Render a claim's evidence references as links: tables to the catalogue, events with sources."""
    chron = None
    indicators = load("indicators").set_index("indicator")["name"]
    parts = []
    for ref in refs.split(";"):
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
            "verdict": (f'<span class="verdict {VERDICT_CLASS[c["verdict"]]}">{html.escape(c["verdict"])}'
                        f'</span><br><small>as of {c["verdict_date"]:%Y-%m-%d}</small>'),
            "reasoning": html.escape(c["reasoning"]),
            "test": html.escape(c["test"]),
            "resolution_criterion": html.escape(c["resolution_criterion"] or "–"),
            "evidence": evidence_html(c["evidence"]),
        }
        attrs = (f'data-paragraph="{c["paragraph"]}" data-kind="{c["kind"]}" '
                 f'data-verdict="{c["verdict"]}"')
        rows.append(f'<tr {attrs}>' + "".join(f"<td>{cells[k]}</td>" for k in columns) + "</tr>")
    return "".join(rows)


HEADERS = {"claim_id": "Claim", "paragraph": "¶", "quote": "The essay's words", "kind": "Kind",
           "verdict": "Verdict", "reasoning": "Why", "test": "How it can be tested",
           "resolution_criterion": "Resolves when", "evidence": "Evidence"}


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
               + _select("verdict", "Verdict", fields["verdict"]["constraints"]["enum"])
               + f' <output id="{table_id}-count" aria-live="polite"></output></form>')
    return filters + claims_table_html(df, columns, table_id) + _FILTER_JS % {"id": table_id}


def show_register() -> None:
    df = claims()
    cols = ["claim_id", "paragraph", "quote", "kind", "verdict", "reasoning", "test", "evidence"]
    display(HTML(register_html(df, cols, "register") +
                 source_html("claims", note="Quotes are the essay’s words; verdicts are ours.")))


def show_scorecard() -> None:
    df = claims(kind="predictive")
    cols = ["claim_id", "paragraph", "quote", "resolution_criterion", "verdict", "reasoning", "evidence"]
    display(HTML(claims_table_html(df, cols, "scorecard") +
                 source_html("claims", note="Statuses are rows of data/claims.csv.")))


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
