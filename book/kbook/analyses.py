"""Analyses the essay's claims call for (issue #11): territory, displacement, diplomacy.

Each function reads the sourced tables of the data package and returns a frame
or a plotly figure; the chapters only call them and show the result.

    territory_map()         who controlled which unit, on the offline regional map (ch. 1)
    control_snapshot(date)  the controller of each unit on a given day
    displacement_chart()    each wave of displacement against the population it came from (ch. 7)
    meetings_chart()        leader-level meetings by format and year (ch. 4)
    meetings_by_format()    what each format produced
"""
from __future__ import annotations

import textwrap

import pandas as pd
import plotly.graph_objects as go

from .data import load
from .maps import CLOSE_UP, region_map
from .palette import COUNTRY_COLOURS, OKABE_ITO, colours

# ---------------------------------------------------------------- territory ---

# The three pictures of the period selector: a label and the day the picture shows.
PERIODS = [
    ("1994–2020", "1994-06-01"),
    ("After November 2020", "2020-12-15"),
    ("After September 2023", "2023-10-01"),
]
# lon, lat: the map's close-up (maps.CLOSE_UP), extended west and south to take in Zangilan
TERRITORY_FRAME = ((45.8, CLOSE_UP[0][1]), (38.95, CLOSE_UP[1][1]))
CONTROLLER_STYLE = {  # each controller in the colour of the country it belongs to (palette.py)
    "Armenian and Karabakh-Armenian forces": COUNTRY_COLOURS["ARM"],
    "Karabakh-Armenian authorities, Russian peacekeeping zone": COUNTRY_COLOURS["RUS"],
    "Azerbaijani government": COUNTRY_COLOURS["AZE"],
}


def _start_day(value: str) -> pd.Timestamp:
    """The first day a date of year, month or day precision can mean."""
    return pd.Timestamp(value if len(value) == 10 else (value + "-01" if len(value) == 7 else value + "-01-01"))


def territory_periods() -> pd.DataFrame:
    """territory_control.csv joined to the units' names and centres, with start and end as days."""
    units = load("territory_units")
    ctrl = load("territory_control")
    ctrl = ctrl.assign(start_day=ctrl["start"].map(_start_day),
                       end_day=ctrl["end"].map(lambda v: _start_day(v) if isinstance(v, str) and v else pd.NaT))
    return ctrl.merge(units[["unit_id", "name_en", "kind", "lat", "lon"]], on="unit_id", how="left")


def control_snapshot(day) -> pd.DataFrame:
    """The row of territory_control in force on `day` for every unit (one row per unit)."""
    day = pd.Timestamp(day)
    per = territory_periods()
    live = per[(per["start_day"] <= day) & (per["end_day"].isna() | (per["end_day"] > day))]
    missing = set(load("territory_units")["unit_id"]) - set(live["unit_id"])
    if missing:
        raise ValueError(f"territory_control.csv: no controller on {day:%Y-%m-%d} for {sorted(missing)}")
    if live["unit_id"].duplicated().any():
        raise ValueError(f"territory_control.csv: overlapping periods on {day:%Y-%m-%d}")
    return live.reset_index(drop=True)


def control_table() -> pd.DataFrame:
    """One row per unit, one column per period of the selector: who held it."""
    order = list(load("territory_units")["unit_id"])
    out = None
    for label, day in PERIODS:
        snap = control_snapshot(day).set_index("unit_id")[["name_en", "controller"]]
        snap = snap.rename(columns={"controller": label})
        out = snap if out is None else out.join(snap[[label]])
    return out.loc[order].reset_index(drop=True).rename(columns={"name_en": "Unit"})


# Units whose centre the regional map does not label already; their squares carry the label.
UNIT_LABELS = {"nkao": "former oblast (NKAO)", "qubadli": "Qubadli / Kashunik", "jabrayil": "Jabrayil / Jrakan",
               "zangilan": "Zangilan / Kovsakan", "fuzuli": "Fuzuli"}


def territory_map(title: str = "Who controlled the former oblast and the seven districts") -> go.Figure:
    """The regional map with one square per unit, coloured by controller, and a period selector.

    Every period has its own traces (one per controller), named '<period>: <controller>';
    the buttons show one period at a time. Outlines and places come from region_map; the
    squares are drawn between the outlines and the places, so place labels stay readable.
    """
    base = region_map(title, routes=())
    outlines = [t for t in base.data if t.name not in ("Named in the essay", "Other places in the book")]
    places = [t for t in base.data if t not in outlines]
    periods = []
    for label, day in PERIODS:
        snap = control_snapshot(day)
        for controller, colour in CONTROLLER_STYLE.items():
            part = snap[snap["controller"] == controller]
            if part.empty:
                continue
            since = [f"since {s}" for s in part["start"]]
            periods.append(go.Scatter(
                x=part["lon"], y=part["lat"], mode="markers+text", name=f"{label}: {controller}",
                visible=label == PERIODS[0][0],
                marker=dict(size=18, color=colour, symbol="square", opacity=0.8,
                            line=dict(color="#222", width=1)),
                text=[UNIT_LABELS.get(u, "") for u in part["unit_id"]],
                textposition=["middle right" if u == "nkao" else "bottom center" for u in part["unit_id"]],
                textfont=dict(size=10, color="#222"),
                hovertext=part["name_en"],
                customdata=list(zip(part["extent"], since, part["change"])),
                hovertemplate=("<b>%{hovertext}</b><br>" + controller + " (%{customdata[0]})<br>"
                               "%{customdata[1]} (%{customdata[2]})<extra></extra>")))
    fig = go.Figure(data=outlines + periods + places, layout=base.layout)
    n_before, n_after = len(outlines), len(places)
    labels = [t.name.split(":")[0] for t in periods]
    buttons = [dict(label=label, method="restyle",
                    args=[{"visible": [True] * n_before + [lab == label for lab in labels] + [True] * n_after}])
               for label, _ in PERIODS]
    menus = list(fig.layout.updatemenus)
    # a dropdown, not a row of buttons: three long labels side by side run past a phone's chart
    menus.append(dict(type="dropdown", direction="down", x=1, xanchor="right", y=1.09, yanchor="bottom",
                      buttons=buttons, showactive=True, active=0))
    fig.update_layout(meta={"tables": list(base.layout.meta["tables"]) + ["territory_units", "territory_control"]})
    fig.update_layout(updatemenus=menus, xaxis_range=list(TERRITORY_FRAME[0]),
                      yaxis_range=list(TERRITORY_FRAME[1]), height=760, margin=dict(t=130))
    fig.update_layout(title=dict(y=0.98, yanchor="top"))
    return fig


def territory_counts() -> pd.DataFrame:
    """How many of the units each controller held in each period of the selector."""
    rows = []
    for label, day in PERIODS:
        snap = control_snapshot(day)
        for controller in CONTROLLER_STYLE:
            rows.append({"period": label, "controller": controller,
                         "units": int((snap["controller"] == controller).sum())})
    return pd.DataFrame(rows)


# ------------------------------------------------------------- displacement ---

# Waves without a base read in a citable source: the chart says so instead of drawing a bar.
BASE_NOT_FOUND = {
    "W3": "the census count of Armenians in the Azerbaijan SSR was not found in a citable source "
          "(searched 2026-12-02)",
}


def waves() -> pd.DataFrame:
    """One row per wave: its primary count and base, with reporters, and the share where the base is full."""
    df = load("displacement_waves")
    out = []
    for wid, part in df.groupby("wave_id", sort=True):
        count = part[(part["role"] == "count") & (part["primary"] == "yes")].iloc[0]
        base = part[(part["role"] == "base") & (part["primary"] == "yes")]
        base = base.iloc[0] if len(base) else None
        partial = base is not None and "partial base" in str(base["note"]).lower()
        out.append({
            "wave_id": wid, "wave": count["wave"],
            "count": int(count["value"]), "count_reporter": count["reporter"], "count_as_of": count["as_of"],
            "count_measure": count["measure"],
            "base": None if base is None else int(base["value"]),
            "base_measure": None if base is None else base["measure"],
            "base_reporter": None if base is None else base["reporter"],
            "base_scope": "missing" if base is None else ("partial" if partial else "full"),
            "share": (count["value"] / base["value"]) if base is not None and not partial else None,
        })
    return pd.DataFrame(out)


def displacement_chart(title: str = "Each wave of displacement against the population it came from"
                       ) -> go.Figure:
    """Grouped bars: the reported count and the base population of every wave."""
    w = waves()
    labels = [f"{r.wave}" for r in w.itertuples()]
    ticks = ["<br>".join(textwrap.wrap(lab, 24)) for lab in labels]
    fig = go.Figure()
    fig.add_trace(go.Bar(
        x=labels, y=w["count"], name="People reported displaced", marker_color=OKABE_ITO["vermillion"],
        customdata=list(zip(w["count_reporter"], w["count_as_of"], w["count_measure"])),
        hovertemplate="%{y:,} — %{customdata[2]}<br>reported by %{customdata[0]} (%{customdata[1]})<extra></extra>"))
    base_y = [b if b is not None and b == b else None for b in w["base"]]
    fig.add_trace(go.Bar(
        x=labels, y=base_y, name="Population it came from (base)", marker_color=OKABE_ITO["blue"],
        marker_pattern_shape=["/" if s == "partial" else "" for s in w["base_scope"]],
        customdata=list(zip(w["base_reporter"].fillna("–"), w["base_measure"].fillna("–"), w["base_scope"])),
        hovertemplate="%{y:,} — %{customdata[1]}<br>%{customdata[0]}; base: %{customdata[2]}<extra></extra>"))
    for r in w.itertuples():
        if r.base_scope == "missing":
            fig.add_annotation(x=r.wave, y=r.count, yshift=18, text="base not found", showarrow=False,
                               font=dict(size=11, color=OKABE_ITO["blue"]))
        elif r.base_scope == "partial":
            fig.add_annotation(x=r.wave, y=r.base, yshift=18, text="partial base", showarrow=False,
                               font=dict(size=11, color=OKABE_ITO["blue"]))
    fig.update_layout(title=title, barmode="group", hovermode="closest", height=600,
                      margin=dict(l=90, b=190), legend=dict(orientation="h", y=-0.42, x=0),
                      xaxis=dict(title="Wave of displacement", tickangle=0,
                                 tickvals=labels, ticktext=ticks),
                      yaxis=dict(title=dict(text="People", standoff=12), tickformat=","))
    return fig


def returns_table() -> pd.DataFrame:
    """Returns (Azerbaijan) and resettlement (Armenia) rows of displacement_waves.csv, in date order."""
    df = load("displacement_waves")
    return df[df["role"].isin(["return", "resettlement"])].sort_values(["wave_id", "as_of"]).reset_index(drop=True)


# ---------------------------------------------------------------- diplomacy ---

FORMAT_LABELS = {
    "bilateral": "Bilateral (no mediator)",
    "trilateral-Russia": "Hosted by Russia",
    "EU": "Hosted by the EU (European Council President)",
    "US": "Hosted by the US",
    "EPC": "European Political Community summit",
    "Munich": "Munich Security Conference",
    "other-host": "Another host state",
    "other-multilateral": "Other multilateral summit",
}
FORMAT_COLOURS = dict(zip(FORMAT_LABELS, colours("black", "reddish purple", "blue", "sky blue", "bluish green",
                                                 "orange", "yellow", "grey")))
PRODUCED_ORDER = ["signed-document", "joint-statement", "host-statement", "readouts", "none-reported", "unknown"]


def meetings(level: str | None = "leader", both_present: bool | None = True) -> pd.DataFrame:
    """Rows of meetings.csv with a year and a readable format label; by default leader-level meetings
    that both sides attended."""
    df = load("meetings")
    if level is not None:
        df = df[df["level"] == level]
    if both_present is not None:
        df = df[df["both_present"] == ("yes" if both_present else "no")]
    return df.assign(year=df["date"].dt.year, platform=df["format"].map(FORMAT_LABELS)
                     ).sort_values("date").reset_index(drop=True)


def meetings_chart(title: str = "Leader-level Armenia–Azerbaijan meetings by format and year") -> go.Figure:
    """Stacked bars: leader-level meetings both sides attended, per year, by format."""
    m = meetings()
    years = list(range(int(m["year"].min()), int(m["year"].max()) + 1))
    fig = go.Figure()
    for fmt, label in FORMAT_LABELS.items():
        part = m[m["format"] == fmt]
        if part.empty:
            continue
        counts = part.groupby("year").size().reindex(years, fill_value=0)
        fig.add_trace(go.Bar(x=years, y=counts.values, name=label, marker_color=FORMAT_COLOURS[fmt],
                             hovertemplate=f"{label}: %{{y}} in %{{x}}<extra></extra>"))
    fig.update_layout(title=title, barmode="stack", hovermode="closest",
                      xaxis=dict(title="Year", tickmode="array", tickvals=years),
                      yaxis=dict(title="Meetings (both leaders present)", dtick=1),
                      legend=dict(orientation="h", y=-0.2))
    return fig


def meetings_by_format() -> pd.DataFrame:
    """Per format: leader-level meetings both sides attended, and how many produced each kind of outcome."""
    m = meetings()
    table = pd.crosstab(m["platform"], m["produced"]).reindex(columns=PRODUCED_ORDER, fill_value=0)
    table.insert(0, "meetings", table.sum(axis=1))
    table = table.sort_values("meetings", ascending=False)
    table.columns = ["Meetings", "Signed or initialled document", "Joint statement", "Host's statement only",
                     "Separate readouts", "Nothing reported", "Not checked"]
    return table.rename_axis("Format").reset_index()
