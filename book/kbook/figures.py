"""Charts and tables with their sources underneath, in one house style.

Every chart is a plain plotly figure. `show()` refuses a figure without a
title or axis titles, then displays it followed by a source line built from
the data package, so a chart cannot reach the book unsourced.
"""
from __future__ import annotations

import re

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
import plotly.io as pio
from IPython.display import HTML, display

from .data import load, resource
from .markup import Markup, render, trusted
from .palette import COLOURWAY, COUNTRY_COLOURS, colours


# A slim template of our own: plotly's default one adds about 7 kB to every figure.
pio.templates["kbook"] = go.layout.Template(layout=dict(
    font=dict(family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", size=13, color="#222"),
    colorway=COLOURWAY,
    paper_bgcolor="#ffffff",
    plot_bgcolor="#ffffff",
    xaxis=dict(showgrid=False, linecolor="#444", ticks="outside", zeroline=False),
    yaxis=dict(gridcolor="#e3e3e3", linecolor="#444", zeroline=False),
    margin=dict(l=60, r=20, t=60, b=50),
    hovermode="x unified",
    legend=dict(orientation="h", y=-0.18, x=0),
    title=dict(x=0, xanchor="left"),
))
pio.templates.default = "kbook"


def essay_date() -> pd.Timestamp:
    """The essay's publication date, from data/essay_meta.csv (its one definition)."""
    from .essay import meta

    return pd.Timestamp(meta()["date"])


def country_names() -> dict[str, str]:
    df = load("countries")
    return dict(zip(df["iso3"], df["name"]))


def indicator_meta(code: str) -> dict:
    df = load("indicators").set_index("indicator")
    if code not in df.index:
        raise KeyError(f"data/indicators.csv: no indicator {code!r}; known: {', '.join(df.index)}")
    return df.loc[code].to_dict()


def indicator_frame(code: str, countries=None, start=None, end=None) -> pd.DataFrame:
    """Rows of data/country_indicators.csv for one indicator, with country names."""
    df = load("country_indicators")
    df = df[df["indicator"] == code]
    if countries is not None:
        df = df[df["iso3"].isin(countries)]
    if start is not None:
        df = df[df["year"] >= start]
    if end is not None:
        df = df[df["year"] <= end]
    names = country_names()
    return df.assign(country=df["iso3"].map(names)).reset_index(drop=True)


def indicator_chart(code: str, countries=None, start=None, end=None, title=None,
                    mark_essay=True) -> go.Figure:
    """A line chart of one indicator for some countries over a range of years."""
    meta = indicator_meta(code)
    df = indicator_frame(code, countries, start, end)
    names = country_names()
    fig = px.line(df, x="year", y="value", color="country", markers=True,
                  color_discrete_map={names[k]: v for k, v in COUNTRY_COLOURS.items()},
                  labels={"year": "Year", "value": meta["unit"], "country": "Country"})
    fig.update_layout(title=title or meta["name"])
    fig.update_traces(hovertemplate="%{y:,.4~g}")
    year = essay_date().year
    if mark_essay and not df.empty and df["year"].max() >= year:
        fig.add_vline(x=year, line_dash="dot", line_color="#666",
                      annotation_text=f"essay ({year})", annotation_position="top left")
    return fig


def _source_parts(table: str, indicators=None) -> list[dict]:
    """The sources a source line names: each indicator's, or the table's from the data package."""
    if indicators:
        parts = []
        for code in indicators:
            m = indicator_meta(code)
            parts.append({"indicator": code, "producer": m["producer"], "url": m["source_url"],
                          "name": m["name"], "version": m["version"],
                          "accessed": f'{pd.Timestamp(m["accessed"]):%Y-%m-%d}'})
        return parts
    return [{"indicator": None, "title": src["title"], "path": src.get("path"),
             "accessed": src.get("accessed")} for src in resource(table).get("sources", [])]


def catalogue_anchor(table: str) -> str:
    """The id of a table's entry in the data catalogue."""
    return table.replace("_", "-")


def source_html(table: str, indicators=None, note: str | None = None, also=()) -> Markup:
    """The source line under an output. It declares what the output reads: `data-table` names the
    table, `data-tables` the others (`also`, and the indicators' metadata when a chart shows indicators)."""
    res = resource(table)
    for other in also:
        resource(other)  # raises DataError for an unknown table
    also = list(also) + (["indicators", "countries"] if indicators else [])
    return render("source_line.html", table=table, sources=_source_parts(table, indicators), also=also,
                  note=note, path=res["path"], anchor=catalogue_anchor(table))


def check_figure(fig: go.Figure) -> None:
    """House style: every chart has a title and both axes have titles."""
    lay = fig.layout
    if not (lay.title and lay.title.text):
        raise ValueError("chart has no title: set fig.update_layout(title=...)")
    if len(lay.title.text) > 80:
        raise ValueError(f"chart title is longer than 80 characters and would be cut off: "
                         f"{lay.title.text!r}")
    if not any(t.type in ("scattergeo", "choropleth", "table") for t in fig.data):
        for ax in ("xaxis", "yaxis"):
            if not (lay[ax].title and lay[ax].title.text):
                raise ValueError(f"chart {lay.title.text!r} has no {ax} title")


def _axis_title(fig: go.Figure, axis: str) -> str:
    ax = fig.layout[axis]
    return ax.title.text if ax.title and ax.title.text else axis[0]


def chart_data(fig: go.Figure) -> pd.DataFrame:
    """The data drawn in a chart as a long table: one row per point of every data series.

    Filled outlines (map shapes) and traces without hover are left out: they are
    drawing, not data.
    """
    frames = []
    x_name, y_name = _axis_title(fig, "xaxis"), _axis_title(fig, "yaxis")
    for tr in fig.data:
        if getattr(tr, "fill", None) == "toself" or getattr(tr, "hoverinfo", None) == "skip":
            continue
        x, y = getattr(tr, "x", None), getattr(tr, "y", None)
        if x is None or y is None:
            continue
        part = pd.DataFrame({"series": tr.name or "", x_name: list(x), y_name: list(y)})
        text = getattr(tr, "hovertext", None)
        if text is None:
            text = getattr(tr, "text", None)
        if text is not None and not isinstance(text, str) and len(text) == len(part):
            part.insert(1, "label", list(text))
        custom = getattr(tr, "customdata", None)
        if custom is not None and "label" not in part and len(custom) == len(part):
            part.insert(1, "label", [c[0] if hasattr(c, "__len__") and not isinstance(c, str) else c
                                     for c in custom])
        frames.append(part)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def _check_id(output_id: str | None) -> str | None:
    """An output's id (`<chapter_id>-<slug>`), checked; templates write it as data-output-id."""
    if output_id is not None and not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)+", output_id):
        raise ValueError(f"output id {output_id!r}: use `<chapter_id>-<slug>`, lower case and hyphens")
    return output_id


def show(fig: go.Figure, table: str, indicators=None, note: str | None = None,
         finding: str | None = None, output_id: str | None = None) -> None:
    """Display a chart, then its text alternative: the finding, the data (folded) and the source.

    `finding` is one or two sentences saying what the chart shows, built from the
    data; screen-reader users and readers who cannot see the colours get the same
    information from it and from the folded data table. `output_id` names the chart
    (`<chapter_id>-<slug>`) for the claim-test matrix; it is written on the chart's
    text and, through the figure's layout meta, on the drawn figure's wrapper.
    """
    check_figure(fig)
    if not finding:
        raise ValueError(f"chart {fig.layout.title.text!r}: give its finding in words (finding=...)")
    _check_id(output_id)
    # a chart-making function may declare the tables it drew from in the layout's meta
    meta = dict(fig.layout.meta or {})
    drawn_from = [t for t in meta.get("tables", []) if t != table]
    if output_id is not None:
        meta["output_id"] = output_id
        fig.update_layout(meta=meta)
    display(fig)
    data = chart_data(fig)
    body = data.to_html(index=False, border=0, classes="data-table", na_rep="–",
                        float_format=lambda v: f"{v:,.4g}")
    display(HTML(render("figure_text.html", output_id=output_id, finding=finding, n_points=len(data),
                        body=trusted(body), source=source_html(table, indicators, note, also=drawn_from))))


def show_table(df: pd.DataFrame, table: str, caption: str, indicators=None,
               note: str | None = None, float_format: str = "{:,.1f}", index: bool = False,
               output_id: str | None = None) -> None:
    """Display a table with a caption and, under it, its sources (`output_id`: see `show`)."""
    if not index:
        # a pivoted frame keeps its columns' name ("country"); without the index pandas would
        # print it above the first column and leave an empty header cell in every row
        df = df.rename_axis(columns=None)
    body = df.to_html(index=index, border=0, classes="data-table", na_rep="–",
                      float_format=float_format.format, escape=True)
    display(HTML(table_figure(trusted(body), source_html(table, indicators, note), caption,
                              output_id=_check_id(output_id))))


def table_figure(body: Markup, source: Markup, caption: str | None = None, output_id: str | None = None,
                 extra_class: str = "", after: Markup = Markup(""), paragraph: str | None = None) -> Markup:
    """A table in its figure: caption, the scrolling table, then its source line."""
    return render("table_figure.html", body=body, source=source, caption=caption, output_id=output_id,
                  extra_class=extra_class, after=after, paragraph=paragraph)


KIND_LABELS = {"partisan-armenian": "Armenian partisan source", "partisan-azerbaijani":
               "Azerbaijani partisan source", "russian-state-media": "Russian state media",
               "reference": "reference work"}


def _row_sources(row) -> list[tuple[str, str, str]]:
    """(publisher, url, kind) for each source of a row, in either column layout."""
    if "source_1_url" in row:
        out = []
        for n in (1, 2):
            url = row.get(f"source_{n}_url")
            if isinstance(url, str) and url:
                out.append((row[f"source_{n}_publisher"], url, row.get(f"source_{n}_kind") or ""))
        return out
    pubs = [p.strip() for p in str(row["source_publisher"]).split("|")]
    urls = [u.strip() for u in str(row["source_url"]).split("|")]
    if len(pubs) != len(urls):
        raise ValueError(f"{len(urls)} source links but {len(pubs)} publishers in {dict(row)!r}: "
                         "each link needs its own publisher")
    return list(zip(pubs, urls, [""] * len(urls)))


def _source_links(row) -> Markup:
    """A row's own sources as links, the date they were read and its verification flag."""
    read = row.get("accessed")
    has_read = read is not None and not (isinstance(read, float) and pd.isna(read))
    return render("source_links.html",
                  sources=[{"name": name, "url": url, "kind": KIND_LABELS.get(kind)}
                           for name, url, kind in _row_sources(row)],
                  read=f"{pd.Timestamp(read):%Y-%m-%d}" if has_read else None,
                  says=str(row.get("source_says") or ""), status=row.get("verification", "verified"),
                  note=str(row.get("note") or ""))


MISSING = "not stated"   # what a reader is told about an empty cell (NaN, NaT, None, <NA>)


def is_missing(val) -> bool:
    """True for every pandas/numpy empty value (None, NaN, NaT, pd.NA), False for lists etc."""
    return val is None or (pd.api.types.is_scalar(val) and bool(pd.isna(val)))


def missing_html(reason: str = MISSING) -> Markup:
    """An empty cell as a reader sees it: a dash, with the reason for screen readers and on hover."""
    return render("missing.html", reason=reason)


def records_html(df: pd.DataFrame, columns: dict[str, str], missing: dict[str, str] | None = None) -> str:
    """An HTML table of selected columns (name -> header) plus each row's linked sources.

    An empty cell reads as a dash with its reason: `missing` maps a column to that reason
    (e.g. {"date": "no date yet"}); otherwise "not stated".
    """
    missing = missing or {}
    rows = []
    for _, row in df.iterrows():
        cells = []
        for col in columns:
            val = row[col]
            if is_missing(val):
                cells.append({"missing": missing.get(col, MISSING)})
                continue
            if isinstance(val, pd.Timestamp):
                val = val.strftime("%Y-%m-%d")
            elif isinstance(val, float) and val.is_integer():
                val = f"{val:,.0f}"
            elif isinstance(val, int):
                val = f"{val:,}" if val >= 10000 else str(val)
            cells.append({"text": str(val), "missing": None})
        rows.append({"cells": cells, "sources": _source_links(row)})
    return render("records.html", headers=list(columns.values()), rows=rows)


def show_records(df: pd.DataFrame, table: str, caption: str, columns: dict[str, str],
                 note: str | None = None, output_id: str | None = None,
                 missing: dict[str, str] | None = None) -> None:
    """Display rows of a hand-curated table with each row's own sources and verification."""
    display(HTML(table_figure(records_html(df, columns, missing), source_html(table, None, note), caption,
                              output_id=_check_id(output_id))))


def events(paragraph: str | None = None, after_essay: bool | None = None,
           since=None) -> pd.DataFrame:
    """Rows of the chronology: all, or those bearing on one paragraph, after the essay or since a date."""
    ev = load("chronology")
    if paragraph is not None:
        ev = ev[ev["essay_paragraphs"].str.split(";").map(lambda ps: paragraph in ps)]
    if after_essay is not None:
        ev = ev[ev["after_essay"] == after_essay]
    if since is not None:
        ev = ev[ev["date"] >= pd.Timestamp(since)]
    return ev.sort_values(["date", "event_id"]).reset_index(drop=True)


def show_events(paragraph: str, since=None) -> None:
    """A sourced table of the chronology's events that bear on one essay paragraph.

    By default: events after the essay's publication. `since` starts the table at
    another date (for example the start of the September 2023 operation, which the
    essay's text predates).
    """
    if since is None:
        ev, when = events(paragraph, after_essay=True), "after the essay's publication"
    else:
        ev = events(paragraph, since=since)
        when = f"since {pd.Timestamp(since):%Y-%m-%d}"
    caption = f"Events {when} that bear on paragraph {paragraph[1:]}"
    if ev.empty:
        display(HTML(render("note.html", cls="no-events", text=f"{caption}: the chronology has none.")))
        return
    show_records(ev, "chronology", caption,
                 {"date": "Date", "title": "Event", "description": "What happened"},
                 note="Dates with month or year precision are shown as the first day of the period.")


# Broad themes for the timeline's colours; each chronology category belongs to one.
THEMES = {
    "History to 1991": ["imperial", "soviet", "independence"],
    "Wars and violence": ["first-war", "war-2016", "war-2020", "offensive-2023", "border"],
    "Ceasefires and the UN": ["ceasefire", "un-security-council"],
    "Negotiations and treaty": ["mediation", "post-war-negotiations", "peace-treaty", "transit"],
    "Outside powers": ["russia", "turkiye", "eu", "us"],
    "Lachin road and displacement": ["lachin-road", "displacement"],
    "Domestic politics": ["domestic-armenia", "domestic-azerbaijan"],
    "The essay": ["essay"],
}
THEME_COLOURS = dict(zip(THEMES, colours("grey", "vermillion", "yellow", "blue", "reddish purple",
                                         "orange", "bluish green", "black")))


def timeline_chart(ev: pd.DataFrame, essay_date: str, title: str) -> go.Figure:
    """Chronology as a dot per event: category on the y axis, colour by theme.

    Works without a kernel: hover shows the event and its first source, the legend
    and a menu filter themes, and a menu zooms to a period.
    """
    order = [cat for cats in THEMES.values() for cat in cats if cat in set(ev["category"])]
    fig = go.Figure()
    for theme, cats in THEMES.items():
        part = ev[ev["category"].isin(cats)]
        if part.empty:
            continue
        flag = part["verification"].map({"verified": "", "partly": " (partly verified)",
                                         "unverified": " (unverified)"})
        fig.add_trace(go.Scatter(
            x=part["date"], y=part["category"], mode="markers", name=theme,
            marker=dict(size=10, color=THEME_COLOURS[theme], line=dict(width=1, color="#222")),
            customdata=list(zip(part["title"], part["source_1_publisher"], flag)),
            hovertemplate="%{x|%Y-%m-%d}<br><b>%{customdata[0]}</b><br>"
                          "Source: %{customdata[1]}%{customdata[2]}<extra></extra>"))
    fig.add_vline(x=pd.Timestamp(essay_date), line_dash="dot", line_color="#444")
    fig.add_annotation(x=pd.Timestamp(essay_date), y=1, yref="paper", text="essay",
                       showarrow=False, xanchor="right", yanchor="bottom")
    periods = [("All years", None), ("Since 1988", "1988-01-01"), ("Since 2020", "2020-01-01"),
               ("Since the essay", essay_date)]
    themes = [t.name for t in fig.data]
    theme_buttons = [dict(label="All themes", method="restyle", args=[{"visible": [True] * len(themes)}])]
    theme_buttons += [dict(label=t, method="restyle",
                           args=[{"visible": [u == t for u in themes]}]) for t in themes]
    end = (ev["date"].max() + pd.Timedelta(days=60)).strftime("%Y-%m-%d")
    buttons = [dict(label=label, method="relayout",
                    args=[{"xaxis.autorange": True}] if start is None else
                    [{"xaxis.range": [start, end]}]) for label, start in periods]
    fig.update_layout(
        title=dict(text=title, y=0.98, yanchor="top"), height=800, hovermode="closest",
        margin=dict(l=170, r=20, t=120, b=150),
        xaxis=dict(title="Date", type="date"),
        yaxis=dict(title="Category", categoryorder="array", categoryarray=order[::-1]),
        legend=dict(orientation="h", x=0, y=-0.12, yanchor="top", title=dict(text="Theme")),
        # Two menus stacked at the right edge of the plot, under the modebar: side by side they
        # overlapped on a phone ("Since 2020" hid behind "All themes"), and anchored at the
        # left they started after the 170 px category margin and ran off a 360 px screen.
        updatemenus=[dict(type="dropdown", direction="down", x=1, xanchor="right", y=1.0,
                          yanchor="bottom", pad=dict(t=4, b=4), buttons=buttons, showactive=True),
                     dict(type="dropdown", direction="down", x=1, xanchor="right", y=1.075,
                          yanchor="bottom", pad=dict(t=4, b=4), buttons=theme_buttons, showactive=True)])
    return fig


def glue(name: str, value) -> None:
    """Store a value for the prose ({glue:text}`name`), as a plain Python number or string.

    numpy scalars are converted first, so that the format spec in the text
    (for example {glue:text}`name:,.0f`) applies to a plain number.
    """
    from myst_nb import glue as _glue

    if hasattr(value, "item"):
        value = value.item()
    _glue(name, value, display=False)
