"""The data catalogue: every table in the data package, described from its descriptor."""
from __future__ import annotations

import html
import json
import re

import pandas as pd

from .data import REPO, load, package


# Tables that kbook's helpers read on a notebook's behalf.
FUNCTION_TABLES = {
    "show_essay": ["essay_paragraphs", "essay_meta", "chapters"],
    "essay_meta": ["essay_meta"],
    "show_claims": ["claims", "chronology", "indicators"],
    "show_register": ["claims", "chronology", "indicators"],
    "show_scorecard": ["claims", "chronology", "indicators"],
    "claims": ["claims"],
    "show_readings": ["counter_readings"],
    "show_events": ["chronology"],
    "events": ["chronology"],
    "timeline_chart": ["chronology"],
    "state_periods": ["state_periods", "chronology"],
    "region_map": ["map_outlines", "places", "routes", "countries"],
    "indicator_chart": ["country_indicators", "indicators", "countries"],
    "indicator_frame": ["country_indicators", "indicators", "countries"],
    "show_objectives": ["objectives"],
    "show_questions": ["questions"],
    "show_guide": ["sessions", "questions", "objectives", "chapters"],
    "show_reading_list": ["reading_list", "counter_readings"],
    "show_guidance": ["teaching_guidance"],
    "show_delegations": ["delegations"],
    "show_positions": ["positions", "delegations", "outside_statements"],
    "show_documents": ["documents", "claims"],
}


def chapters_using(name: str) -> list[str]:
    """Notebooks whose code reads table `name`, directly or through a kbook helper."""
    pattern = re.compile(rf"[\"']{re.escape(name)}[\"']")
    helpers = [f for f, tables in FUNCTION_TABLES.items() if name in tables]
    calls = re.compile(rf"\bkb\.({'|'.join(helpers)})\(") if helpers else None
    users = []
    for nb in sorted((REPO / "book").glob("*.ipynb")):
        cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
        code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
        if nb.stem != "data-catalogue" and (pattern.search(code) or (calls and calls.search(code))):
            users.append(nb.stem)
    return users


def coverage(df: pd.DataFrame) -> str:
    for col in ("year", "date", "report_date", "as_of", "published", "census_year"):
        if col in df.columns:
            s = df[col].dropna()
            if s.empty:
                continue
            lo, hi = s.min(), s.max()
            fmt = (lambda v: v.strftime("%Y-%m-%d")) if isinstance(lo, pd.Timestamp) else str
            return f"{len(df):,} rows; {col} {fmt(lo)} to {fmt(hi)}"
    return f"{len(df):,} rows"


def catalogue_html() -> str:
    parts = []
    for res in package()["resources"]:
        name = res["name"]
        df = load(name)
        srcs = "; ".join(
            html.escape(s["title"]) + (f' (<a href="{html.escape(s["path"])}">{html.escape(s["path"])}</a>)'
                                       if s.get("path") else "")
            for s in res.get("sources", []))
        lic = "; ".join(html.escape(l.get("title") or l["name"]) for l in res.get("licenses", []))
        users = chapters_using(name)
        used = ", ".join(f'<a href="{u}.html">{u}</a>' for u in users) or "reference only"
        fields = ", ".join(f'<code>{f["name"]}</code>' for f in res["schema"]["fields"])
        parts.append(
            f'<section class="catalogue-entry" id="{name.replace("_", "-")}">'
            f'<h2>{html.escape(res["title"])}</h2>'
            f'<p>{html.escape(res["description"])}</p><dl>'
            f'<dt>Table</dt><dd><code>{name}</code> — <a href="../data/{res["path"]}" download>'
            f'download {res["path"]}</a> ({res["bytes"]:,} bytes)</dd>'
            f'<dt>Coverage</dt><dd>{coverage(df)}</dd>'
            f'<dt>Columns</dt><dd>{fields}</dd>'
            f'<dt>Sources</dt><dd>{srcs}</dd>'
            f'<dt>Licence</dt><dd>{lic}</dd>'
            f'<dt>How it was made</dt><dd>{html.escape(res.get("derivation", ""))}</dd>'
            f'<dt>Used in</dt><dd>{used}</dd></dl></section>')
    return "\n".join(parts)
