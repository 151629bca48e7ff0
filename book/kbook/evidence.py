"""The claim → test → result matrix: which output tests which claim, and what came out.

Rows live in data/claim_tests.csv. An output id is either the id of a chart or
table in the claim's chapter (`<chapter_id>-<slug>`, written on the page as a
`data-output-id` attribute by `kb.show`, `kb.show_table` and `kb.show_records`)
or a reference to a row of the data package (`chronology:E070`).
"""
from __future__ import annotations

import math
import re

import pandas as pd
from IPython.display import HTML, display

from .data import load
from .markup import render

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


def _evidence_ref(output_id: str, events: pd.DataFrame) -> dict:
    """What a reader sees for an output id: the output's id, or the event's date and title."""
    if OUTPUT_ID.fullmatch(output_id):
        return {"output": output_id}
    table, _, key = output_id.partition(":")
    if table == "chronology" and key in events.index:
        ev = events.loc[key]
        return {"output": None, "event": key, "date": f'{ev["date"]:%Y-%m-%d}', "title": ev["title"]}
    return {"output": None, "event": None, "table": table, "key": key}


def show_tests(paragraph: str) -> None:
    """The matrix for one paragraph: each claim, the evidence, the comparison and the result.

    Claims of the paragraph with no row are listed as untested, so a gap shows.
    """
    df = claim_tests(paragraph)
    events = load("chronology").set_index("event_id")
    claims = load("claims")
    claims = claims[claims["paragraph"] == paragraph]
    rows = [{"claim_id": row["claim_id"], "paragraph": row["paragraph"], "quote": row["quote"],
             **_evidence_ref(row["output_id"], events), "comparison": row["comparison"], "result": row["result"],
             "kind": row["result_kind"], "kind_label": RESULT_LABELS[row["result_kind"]]}
            for _, row in df.iterrows()]
    untested = sorted(set(claims["claim_id"]) - set(df["claim_id"]))
    display(HTML(render("claim_tests.html", paragraph=paragraph, output_id=None, rows=rows, untested=untested,
                        n_claims=df.drop_duplicates("claim_id")["claim_id"].size,
                        headers=("Claim", "The essay says", "Evidence", "What is compared",
                                 "What came out", "Result"))))


# --- State capacity with its published uncertainty (chapter 8) -------------------------------

Z90 = 1.645  # a band of 1.645 standard errors either side: 90 per cent if the error is normal


def ge_with_uncertainty(countries=("ARM", "AZE")) -> pd.DataFrame:
    """GE.EST with the World Bank's standard error and a 90 per cent band, per country and year."""
    from .figures import indicator_frame

    est = indicator_frame("GE.EST", list(countries))
    se = load("governance_uncertainty")
    se = se[se["indicator"] == "GE.STD.ERR"][["iso3", "year", "value"]].rename(columns={"value": "se"})
    df = est.merge(se, on=["iso3", "year"], how="left", validate="one_to_one")
    if df["se"].isna().any():
        missing = df.loc[df["se"].isna(), ["iso3", "year"]].to_records(index=False).tolist()
        raise ValueError(f"governance_uncertainty.csv: no standard error for {missing}")
    return df.assign(low=df["value"] - Z90 * df["se"], high=df["value"] + Z90 * df["se"])


def ge_comparison(recent_from: int = 2015) -> dict:
    """Armenia against Azerbaijan on GE.EST: long run, recent years, and where the bands overlap."""
    df = ge_with_uncertainty().set_index(["iso3", "year"])
    a, z = df.xs("ARM"), df.xs("AZE")
    above = a["value"] > z["value"]
    overlap = (a["low"] <= z["high"]) & (z["low"] <= a["high"])
    recent = a.index >= recent_from
    peers = load("country_indicators")
    old = peers[peers["indicator"] == "e_wbgi_gee"].set_index(["iso3", "year"])["value"]
    both = df["value"].to_frame().join(old.rename("old"), how="inner")
    return {
        "first_year": int(a.index.min()), "last_year": int(a.index.max()), "n_years": len(a),
        "n_above": int(above.sum()), "recent_from": recent_from, "n_recent": int(recent.sum()),
        "n_recent_above": int(above[recent].sum()),
        "last_above": int(a.index[above].max()) if above.any() else None,
        "n_overlap": int(overlap.sum()), "n_recent_overlap": int(overlap[recent].sum()),
        "se_min": float(df["se"].min()), "se_max": float(df["se"].max()),
        "gap_last": float(z["value"].iloc[-1] - a["value"].iloc[-1]),
        "revision_max": float((both["value"] - both["old"]).abs().max()),
        "band_pct": round(100 * math.erf(Z90 / math.sqrt(2))),
    }


def ge_uncertainty_chart(title: str):
    """GE.EST for Armenia and Azerbaijan with a shaded 90 per cent band from the published errors."""
    import plotly.graph_objects as go

    from .figures import COUNTRY_COLOURS

    df = ge_with_uncertainty()
    fig = go.Figure()
    for iso3, part in df.groupby("iso3"):
        colour, name = COUNTRY_COLOURS[iso3], part["country"].iloc[0]
        fig.add_trace(go.Scatter(x=part["year"], y=part["low"], mode="lines", line=dict(width=0),
                                 name=f"{name}, low end of band", showlegend=False,
                                 legendgroup=iso3, hovertemplate="%{y:.2f}"))
        fig.add_trace(go.Scatter(x=part["year"], y=part["high"], mode="lines", line=dict(width=0),
                                 fill="tonexty", fillcolor=_rgba(colour, 0.18),
                                 name=f"{name}, high end of band", showlegend=False,
                                 legendgroup=iso3, hovertemplate="%{y:.2f}"))
        fig.add_trace(go.Scatter(x=part["year"], y=part["value"], mode="lines+markers",
                                 line=dict(color=colour), name=name, legendgroup=iso3,
                                 hovertemplate="%{y:.2f}"))
    fig.add_hline(y=0, line_color="#444", line_width=1)
    fig.update_layout(title=title, xaxis_title="Year",
                      yaxis_title="Estimate (world average 0), with 90% band")
    return fig


def ge_peers_chart(title: str):
    """WGI government effectiveness (V-Dem's copy) for Armenia, Azerbaijan and four neighbours."""
    from .figures import indicator_chart

    fig = indicator_chart("e_wbgi_gee", title=title, mark_essay=False)
    fig.add_hline(y=0, line_color="#444", line_width=1)
    return fig


def ge_peer_ranks() -> pd.DataFrame:
    """Armenia's rank among the six countries on e_wbgi_gee, per year (1 = most effective)."""
    from .figures import indicator_frame

    df = indicator_frame("e_wbgi_gee").pivot(index="year", columns="iso3", values="value")
    return df.rank(axis=1, ascending=False).astype(int)


def _rgba(hex_colour: str, alpha: float) -> str:
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


# --- The essay's forecasts beside others' (chapter 9) -----------------------------------------

PERSPECTIVE_LABELS = {"armenian": "Armenian", "azerbaijani": "Azerbaijani", "karabakh-armenian":
                      "Karabakh Armenian", "russian": "Russian", "iranian": "Iranian",
                      "turkish": "Turkish", "international": "international"}


def forecasts() -> pd.DataFrame:
    """Other observers' forecasts with display columns (when, who, verdict with its date)."""
    df = load("forecasts").sort_values(["published", "forecast_id"]).reset_index(drop=True)
    when = [d.strftime("%Y-%m") + " (month)" if p == "month" else d.strftime("%Y-%m-%d")
            for d, p in zip(df["published"], df["date_precision"])]
    return df.assign(
        when=when,
        who=df["forecaster"] + ", " + df["affiliation"],
        voice=df["perspective"].map(PERSPECTIVE_LABELS),
        verdict_shown=df["verdict"] + " (as of " + df["verdict_as_of"].dt.strftime("%Y-%m-%d") + ")")


def show_forecasts(output_id: str | None = None) -> None:
    """The forecasts table, each row with its source and verification flag."""
    from .figures import show_records

    show_records(forecasts(), "forecasts",
                 "Other observers' forecasts from September to December 2023, scored",
                 {"forecast_id": "Id", "when": "Published", "who": "Forecaster", "voice": "Voice",
                  "forecast": "Forecast (our words)", "resolution_criterion": "Counts as true if",
                  "verdict_shown": "Verdict", "essay_claim": "Essay's claim"},
                 note="Criteria were written on the date of the verdicts, when every outcome was "
                      "already known.", output_id=output_id)


def forecast_summary() -> dict:
    """Counts for the prose: forecasts by verdict, and the essay's predictions by verdict."""
    fc = load("forecasts")
    claims = load("claims")
    pred = claims[claims["kind"] == "predictive"]
    return {
        "n_forecasts": len(fc), "n_borne_out": int((fc["verdict"] == "borne out").sum()),
        "n_not_borne_out": int((fc["verdict"] == "not borne out").sum()),
        "n_partly": int((fc["verdict"] == "partly borne out").sum()),
        "n_pending": int((fc["verdict"] == "pending").sum()),
        "first": fc["published"].min().strftime("%Y-%m-%d"),
        "last": fc["published"].max().strftime("%Y-%m-%d"),
        "as_of": fc["verdict_as_of"].max().strftime("%Y-%m-%d"),
        "n_voices": int(fc["perspective"].nunique()),
        "n_essay_predictions": len(pred),
        "essay_signature_verdict": claims.set_index("claim_id").at["C37", "verdict"],
        "n_on_signature": int(fc["essay_claim"].eq("C37").sum()),
        "n_on_signature_borne_out": int((fc["essay_claim"].eq("C37") & fc["verdict"].eq("borne out")).sum()),
    }


# --- Dependence measured where a source allows (chapter 5) -----------------------------------

ALIGNMENT_EVENTS = ["E057", "E081", "E088", "E111"]  # EU mission in Armenia; CSTO participation frozen


def show_dependence(output_id: str | None = None) -> None:
    """Transfers by sending country, trade partners and arms suppliers, each row sourced."""
    from .figures import show_records

    df = load("dependence").sort_values(["measure", "iso3", "period", "row_id"])
    show_records(df.assign(country=df["iso3"].map({"ARM": "Armenia", "AZE": "Azerbaijan"})),
                 "dependence", "Dependence on outside partners, where a source gives a figure",
                 {"country": "Country", "measure": "Measure", "partner": "Partner", "period": "Period",
                  "value": "Value", "unit": "Unit"},
                 note="Rows read in press reports are flagged; none of these figures measures political "
                      "influence.", output_id=output_id)


def dependence_summary() -> dict:
    """Figures for the prose, taken from the table (none typed by hand)."""
    df = load("dependence").set_index("row_id")
    return {
        "transfers_year": df.at["D01", "period"],
        "transfers_total": float(df.at["D01", "value"]),
        "transfers_russia": float(df.at["D02", "value"]),
        "transfers_russia_share": 100 * df.at["D02", "value"] / df.at["D01", "value"],
        "transfers_us": float(df.at["D03", "value"]),
        "trade_period": df.at["D09", "period"],
        "trade_russia": float(df.at["D09", "value"]),
        "trade_eu": float(df.at["D10", "value"]),
        "arms_period": df.at["D11", "period"],
        "arms_arm_russia": float(df.at["D11", "value"]),
        "arms_aze_russia": float(df.at["D12", "value"]),
    }
