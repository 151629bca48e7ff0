"""Live explorers for Binder and seminars (ipywidgets), each with a static twin for the web book.

Each explorer is an object: `.widget` is what a notebook displays, `.controls`
holds the ipywidgets, and after every change `.figure` (a plotly figure) and
`.table` (a DataFrame) hold what is shown, so a test can drive it by setting a
control's `.value` and reading the result. Choices come from the data, so an
invalid choice cannot be made; an empty selection is explained, not drawn.

In the HTML book there is no kernel: the cells that create explorers are
tagged `remove-output`, and the page shows the plotly-native twin instead
(`indicator_dropdown_chart`), whose menus work without Python.
"""
from __future__ import annotations


import ipywidgets as W
import pandas as pd
import plotly.graph_objects as go
from IPython.display import HTML, display

from .claims import claims, claims_table_html
from .markup import render
from .data import load, resource
from .essay import meta as essay_meta
from .figures import (COUNTRY_COLOURS, THEMES, country_names, events, indicator_chart,
                      indicator_frame, records_html, timeline_chart)


class _Explorer:
    """Shared plumbing: controls, an output area, and the latest figure and table."""

    def __init__(self, controls: dict):
        self.controls = controls
        self.out = W.Output()
        self.message = W.HTML()
        self.figure: go.Figure | None = None
        self.table: pd.DataFrame = pd.DataFrame()
        for c in controls.values():
            c.observe(lambda _change: self.update(), names="value")
        box = W.HBox(list(controls.values()), layout=W.Layout(flex_flow="row wrap"))
        self.widget = W.VBox([box, self.message, self.out])

    def _show(self, fig, table_html: str) -> None:
        self.out.clear_output(wait=True)
        with self.out:
            if fig is not None:
                display(fig)
            display(HTML(table_html))

    def _explain(self, text: str) -> None:
        self.figure, self.table = None, pd.DataFrame()
        self.message.value = render("note.html", cls="explorer-note", text=text)
        self.out.clear_output()

    def _ipython_display_(self):
        display(self.widget)


class IndicatorExplorer(_Explorer):
    """Country × indicator × year range → a line chart and a year-by-country table."""

    def __init__(self, indicator: str = "MILEX.CONST2023USD", countries=("ARM", "AZE")):
        meta = load("indicators")
        names = country_names()
        self.indicator_names = dict(zip(meta["indicator"], meta["name"]))
        ind = W.Dropdown(options=[(n, c) for c, n in self.indicator_names.items()], value=indicator,
                         description="Indicator", layout=W.Layout(width="420px"))
        cty = W.SelectMultiple(options=[(n, c) for c, n in sorted(names.items(), key=lambda kv: kv[1])],
                               value=tuple(countries), description="Countries", rows=6)
        years = W.IntRangeSlider(description="Years", continuous_update=False)
        self._set_year_bounds(years, indicator)
        super().__init__({"indicator": ind, "countries": cty, "years": years})
        ind.observe(lambda ch: self._set_year_bounds(years, ch["new"]), names="value")
        self.update()

    @staticmethod
    def _set_year_bounds(slider: W.IntRangeSlider, indicator: str) -> None:
        years = indicator_frame(indicator)["year"]
        lo, hi = int(years.min()), int(years.max())
        # widen first so that the new bounds never cross the old value
        slider.min, slider.max = min(lo, slider.min), max(hi, slider.max)
        slider.value = (lo, hi)
        slider.min, slider.max = lo, hi

    def update(self) -> None:
        c = self.controls
        code, countries = c["indicator"].value, list(c["countries"].value)
        start, end = c["years"].value
        if not countries:
            self._explain("Choose at least one country (hold Ctrl or Cmd to choose several).")
            return
        df = indicator_frame(code, countries, start, end)
        if df.empty:
            self._explain(f"No data for {self.indicator_names[code]} for the chosen countries and years.")
            return
        missing = sorted(set(country_names()[k] for k in countries) - set(df["country"]))
        self.message.value = ("" if not missing else
                              render("note.html", cls="explorer-note", text=f'No data for: {", ".join(missing)}.'))
        self.figure = indicator_chart(code, countries, start, end, mark_essay=False)
        self.table = df.pivot(index="year", columns="country", values="value")
        self._show(self.figure, self.table.to_html(float_format=lambda v: f"{v:,.4g}", border=0, na_rep="–",
                                                    classes="data-table"))


class TimelineExplorer(_Explorer):
    """Categories and period → the filtered timeline and its events with sources."""

    def __init__(self, themes=("Negotiations and treaty",), years=(2020, 2026)):
        ev = events()
        lo, hi = int(ev["date"].dt.year.min()), int(ev["date"].dt.year.max())
        theme = W.SelectMultiple(options=list(THEMES), value=tuple(themes), description="Themes", rows=8)
        period = W.IntRangeSlider(min=lo, max=hi, value=years, description="Years",
                                  continuous_update=False, layout=W.Layout(width="420px"))
        super().__init__({"themes": theme, "years": period})
        self.update()

    def update(self) -> None:
        chosen = list(self.controls["themes"].value)
        start, end = self.controls["years"].value
        if not chosen:
            self._explain("Choose at least one theme.")
            return
        cats = [c for t in chosen for c in THEMES[t]]
        ev = events()
        ev = ev[ev["category"].isin(cats) & ev["date"].dt.year.between(start, end)]
        if ev.empty:
            self._explain("No events in the chronology for these themes and years.")
            return
        self.message.value = ""
        self.table = ev.reset_index(drop=True)
        self.figure = timeline_chart(ev, essay_meta()["date"], title=f"Chronology, {start}–{end}")
        self._show(self.figure, records_html(self.table, {"date": "Date", "title": "Event",
                                                          "description": "What happened"}))


class ClaimsBrowser(_Explorer):
    """Paragraph, kind and verdict → the matching claims with their evidence links."""

    def __init__(self, paragraph: str = "All", kind: str = "All", verdict: str = "All"):
        all_claims = claims()
        fields = {f["name"]: f for f in resource("claims")["schema"]["fields"]}
        par = W.Dropdown(options=["All"] + sorted(all_claims["paragraph"].unique()), value=paragraph,
                         description="Paragraph")
        knd = W.Dropdown(options=["All"] + fields["kind"]["constraints"]["enum"], value=kind,
                         description="Kind")
        ver = W.Dropdown(options=["All"] + fields["verdict"]["constraints"]["enum"], value=verdict,
                         description="Verdict")
        super().__init__({"paragraph": par, "kind": knd, "verdict": ver})
        self.update()

    def update(self) -> None:
        pick = {k: (None if c.value == "All" else c.value) for k, c in self.controls.items()}
        df = claims(**pick)
        if df.empty:
            self._explain("No claim matches this combination; widen one of the choices.")
            return
        self.message.value = render("note.html", cls="explorer-note", text=f"{len(df)} claim(s).")
        self.table = df
        self.figure = None
        self._show(None, claims_table_html(df, ["claim_id", "paragraph", "quote", "kind", "verdict",
                                               "reasoning", "evidence"], "claims-browser"))


MENU_LINE = 26   # characters per line of a menu label: the open menu then fits a 360 px chart


def menu_label(name: str, width: int = MENU_LINE) -> str:
    """A menu label that fits a phone: the indicator's full name; a long one is broken before its
    parenthesis and wrapped at `width` characters (plotly draws <br> as a line break)."""
    import textwrap

    if len(name) <= width:
        return name
    head, paren, tail = name.rpartition(" (")
    parts = [head, "(" + tail] if paren else [name]
    return "<br>".join(line for part in parts for line in textwrap.wrap(part, width, break_long_words=False))


def indicator_dropdown_chart(indicators, countries=("ARM", "AZE", "GEO", "IRN", "RUS", "TUR"),
                             title: str = "Explore the indicators") -> go.Figure:
    """The static twin of IndicatorExplorer: one chart, a menu of indicators, no kernel needed."""
    names = country_names()
    meta = load("indicators").set_index("indicator")
    fig = go.Figure()
    visible_sets = []
    for i, code in enumerate(indicators):
        df = indicator_frame(code, countries)
        start = len(fig.data)
        for iso3, part in df.groupby("iso3"):
            fig.add_trace(go.Scatter(x=part["year"], y=part["value"], mode="lines+markers",
                                     name=names[iso3], line=dict(color=COUNTRY_COLOURS[iso3]),
                                     visible=(i == 0), legendgroup=iso3))
        visible_sets.append((code, start, len(fig.data)))
    buttons = []
    for code, a, b in visible_sets:
        vis = [a <= k < b for k in range(len(fig.data))]
        buttons.append(dict(label=menu_label(meta.at[code, "name"]), method="update",
                            args=[{"visible": vis}, {"yaxis.title.text": meta.at[code, "unit"]}]))
    first = indicators[0]
    # the menu sits just above the plot, the title above the menu (a label may take two lines)
    fig.update_layout(title=dict(text=title, y=0.98, yanchor="top"), xaxis_title="Year",
                      yaxis_title=meta.at[first, "unit"],
                      updatemenus=[dict(type="dropdown", x=0, xanchor="left", y=1.02, yanchor="bottom",
                                        buttons=buttons, showactive=True)],
                      margin=dict(t=120))
    return fig
