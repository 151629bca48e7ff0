"""The data catalogue: every table in the data package, described from its descriptor."""
from __future__ import annotations

import json
import re

import pandas as pd

from .data import REPO, load, package
from .figures import catalogue_anchor
from .markup import Markup, render


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


def catalogue_html() -> Markup:
    entries = []
    for res in package()["resources"]:
        name = res["name"]
        entries.append({
            "name": name, "anchor": catalogue_anchor(name), "title": res["title"],
            "description": res["description"], "path": res["path"], "bytes": res["bytes"],
            "coverage": coverage(load(name)), "fields": [f["name"] for f in res["schema"]["fields"]],
            "sources": [{"title": src["title"], "path": src.get("path")} for src in res.get("sources", [])],
            "licences": [lic.get("title") or lic["name"] for lic in res.get("licenses", [])],
            "derivation": res.get("derivation", ""), "used": chapters_using(name)})
    return render("catalogue.html", entries=entries)
