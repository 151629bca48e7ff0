"""The data catalogue: every table in the data package, described from its descriptor."""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .data import REPO, load, package
from .figures import catalogue_anchor
from .markup import Markup, render


# An output declares the tables it shows: its source line carries data-table="<table>", and an
# output without a source line (the essay block, objectives, questions) carries data-tables="a b".
DECLARED = re.compile(r'\bdata-tables?="([^"]+)"')


@lru_cache(maxsize=64)
def _declared(path: Path, mtime: float) -> frozenset[str]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    tables = set()
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            html = out.get("data", {}).get("text/html", "")
            tables.update(t for m in DECLARED.finditer("".join(html)) for t in m.group(1).split())
    return frozenset(tables)


def declared_tables(path: Path) -> frozenset[str]:
    """The tables the committed outputs of a notebook declare."""
    return _declared(path, path.stat().st_mtime)


def chapters_using(name: str) -> list[str]:
    """Notebooks whose committed outputs declare that they show table `name`."""
    return [nb.stem for nb in sorted((REPO / "book").glob("*.ipynb"))
            if nb.stem != "data-catalogue" and name in declared_tables(nb)]


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
