"""The regional map, drawn from the book's own outlines and coordinates (no online base map)."""
from __future__ import annotations

import plotly.graph_objects as go

from .data import load
from .palette import OKABE_ITO

LAND = {"ARM": "#f3d9c6", "AZE": "#cfe0ef", "GEO": "#e3eedf"}  # neighbours: outline only
LABELLED = {"yerevan", "baku", "khankendi", "shusha", "aghdam", "lachin", "goris", "nakhchivan",
            "meghri", "ganja", "kalbajar"}
CLOSE_UP = ((45.9, 47.5), (39.3, 40.3))  # lon, lat ranges of the Karabakh close-up


def _break_frame_edges(lons, lats, frame):
    """Insert gaps where an outline runs along the map's frame (an artefact of clipping)."""
    (x0, x1), (y0, y1) = frame

    def on_frame(x, y):
        return x in (x0, x1) or y in (y0, y1)

    xs, ys = [], []
    for x, y in zip(lons, lats):
        if xs and xs[-1] is not None and on_frame(x, y) and on_frame(xs[-1], ys[-1]):
            xs.append(None)
            ys.append(None)
        xs.append(x)
        ys.append(y)
    return xs, ys
ROUTE_STYLE = {
    "lachin_road_pre_aug_2022": ("Lachin road (to August 2022)", OKABE_ITO["vermillion"], "dot"),
    "lachin_road_2022_2023": ("Lachin road (from August 2022)", OKABE_ITO["vermillion"], "solid"),
    "aghdam_khankendi_road": ("Aghdam–Khankendi road", OKABE_ITO["blue"], "solid"),
    "syunik_rail_route_tripp": ("Planned rail route along the Aras, via Meghri", OKABE_ITO["bluish green"], "dash"),
}


def route_points(route: str):
    """The route's sourced waypoints that have coordinates, in order, and those that do not."""
    places = load("places").set_index("place_id")
    steps = load("routes")
    steps = steps[steps["route"] == route].sort_values("seq")
    with_xy, without = [], []
    for pid in steps["place_id"]:
        row = places.loc[pid] if pid in places.index else None
        if row is not None and row["lat"] == row["lat"] and row["lon"] == row["lon"]:
            with_xy.append((pid, row["lon"], row["lat"]))
        else:
            without.append(pid)
    return with_xy, without


def region_map(title: str, routes=tuple(ROUTE_STYLE)) -> go.Figure:
    """Country outlines, the places in places.csv inside the frame, and routes as waypoints."""
    outlines = load("map_outlines")
    names = dict(zip(load("countries")["iso3"], load("countries")["name"]))
    lon0, lat0 = outlines["lon"].min(), outlines["lat"].min()
    lon1, lat1 = outlines["lon"].max(), outlines["lat"].max()
    fig = go.Figure()
    for (iso3, ring), pts in outlines.groupby(["iso3", "ring"], sort=True):
        if iso3 in LAND:
            fig.add_trace(go.Scatter(
                x=pts["lon"], y=pts["lat"], mode="lines", fill="toself", fillcolor=LAND[iso3],
                line=dict(color="#7a7a7a", width=0.8), hoverinfo="text", text=names[iso3],
                name=names[iso3], showlegend=False))
        else:
            xs, ys = _break_frame_edges(list(pts["lon"]), list(pts["lat"]),
                                        ((lon0, lon1), (lat0, lat1)))
            fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", line=dict(color="#9a9a9a", width=0.8),
                                     hoverinfo="skip", name=names[iso3], showlegend=False))
    for route in routes:
        label, colour, dash = ROUTE_STYLE[route]
        pts, _missing = route_points(route)
        if len(pts) < 2:
            continue
        fig.add_trace(go.Scatter(
            x=[p[1] for p in pts], y=[p[2] for p in pts], mode="lines",
            line=dict(color=colour, width=3, dash=dash), name=label,
            hovertemplate=f"{label}: sourced waypoints joined by straight lines<extra></extra>"))
    places = load("places")
    inside = places[places["lon"].between(lon0, lon1) & places["lat"].between(lat0, lat1)]
    essay = inside["in_essay"] == "yes"
    for subset, label, symbol in ((inside[essay], "Named in the essay", "star"),
                                  (inside[~essay], "Other places in the book", "circle")):
        labels = [n if (pid in LABELLED or e == "yes") else ""
                  for pid, n, e in zip(subset["place_id"], subset["name_en"], subset["in_essay"])]
        fig.add_trace(go.Scatter(
            x=subset["lon"], y=subset["lat"], mode="markers+text", name=label,
            text=labels, textposition="top center",
            # a place whose coordinates rest only on a reference work says so on hover
            hovertext=[n + (" (unverified)" if v == "unverified" else "")
                       for n, v in zip(subset["name_en"], subset["verification"])],
            textfont=dict(size=10),
            marker=dict(symbol=symbol, size=11 if symbol == "star" else 7, color="#222"),
            customdata=subset[["name_az", "name_hy_latn"]].fillna("–").values,
            hovertemplate="<b>%{hovertext}</b><br>Azerbaijani: %{customdata[0]}<br>"
                          "Armenian (Latin): %{customdata[1]}<br>%{y:.3f} N, %{x:.3f} E<extra></extra>"))
    fig.update_layout(
        title=title, height=640, hovermode="closest",
        xaxis=dict(title="Longitude (degrees east)", range=[lon0, lon1], showgrid=False,
                   zeroline=False, constrain="domain"),
        yaxis=dict(title="Latitude (degrees north)", range=[lat0, lat1], showgrid=False,
                   zeroline=False, scaleanchor="x", scaleratio=1.3),
        legend=dict(orientation="h", y=-0.12),
        updatemenus=[dict(type="buttons", direction="right", x=0, y=1.0, yanchor="bottom",
                          buttons=[dict(label="Region", method="relayout",
                                        args=[{"xaxis.range": [lon0, lon1], "yaxis.range": [lat0, lat1]}]),
                                   dict(label="Karabakh close-up", method="relayout",
                                        args=[{"xaxis.range": list(CLOSE_UP[0]),
                                               "yaxis.range": list(CLOSE_UP[1])}])])],
        # the tables the map is drawn from: kbook.show declares them on the chart's source line
        meta={"tables": ["map_outlines", "countries", "places"] + (["routes"] if routes else [])})
    return fig
