"""Load the book's curated tables, checked against data/datapackage.json.

    >>> from kbook import load
    >>> milex = load("country_indicators")

Every table is described in the data package (a Frictionless descriptor):
its file, its schema (column names, types, constraints, primary key) and its
provenance. `load` reads the CSV, checks it against that schema and returns
a typed DataFrame, or raises `DataError` with a message that names the file
and the problem. Nothing is dropped or repaired silently.
"""
from __future__ import annotations

import hashlib
import json
import warnings
from functools import lru_cache
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[2]
DATA_DIR = REPO / "data"
PACKAGE_FILE = "datapackage.json"


class DataError(ValueError):
    """A data file is missing, malformed or does not match its schema."""


@lru_cache(maxsize=4)
def _read_package(path: Path, mtime: float) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise DataError(f"{path}: not valid JSON ({exc})") from None


def package(data_dir: Path | str | None = None) -> dict:
    """The data package descriptor (datapackage.json) as a dict."""
    path = Path(data_dir or DATA_DIR) / PACKAGE_FILE
    if not path.exists():
        raise DataError(f"{path}: data package descriptor not found")
    return _read_package(path, path.stat().st_mtime)


def resource(name: str, data_dir: Path | str | None = None) -> dict:
    """The descriptor of one table: path, schema, sources, licence."""
    for res in package(data_dir)["resources"]:
        if res["name"] == name:
            return res
    names = ", ".join(r["name"] for r in package(data_dir)["resources"])
    raise DataError(f"no table called {name!r} in the data package; the tables are: {names}")


def _fail(path: Path, msg: str) -> None:
    raise DataError(f"{path}: {msg}")


def _convert(path: Path, col: pd.Series, field: dict) -> pd.Series:
    """Convert one column of strings to the field's type, failing on the first bad value."""
    name, ftype = field["name"], field.get("type", "string")
    present = col != ""
    if ftype == "string":
        return col.astype("object").where(present, None)
    if ftype in ("integer", "number"):
        numeric = pd.to_numeric(col.where(present, None), errors="coerce")
        bad = present & numeric.isna()
        if ftype == "integer":
            bad |= present & numeric.notna() & (numeric % 1 != 0)
        if bad.any():
            i = bad.idxmax()
            _fail(path, f"row {i + 2}, column {name!r}: {col[i]!r} is not a valid {ftype}")
        if ftype == "integer":
            return numeric.astype("int64" if present.all() else "Int64")
        return numeric.astype("float64")
    if ftype == "date":
        parsed = pd.to_datetime(col.where(present, None), format="%Y-%m-%d", errors="coerce")
        bad = present & parsed.isna()
        if bad.any():
            i = bad.idxmax()
            _fail(path, f"row {i + 2}, column {name!r}: {col[i]!r} is not a date (YYYY-MM-DD)")
        return parsed
    if ftype == "boolean":
        mapping = {"true": True, "false": False}
        bad = present & ~col.isin(list(mapping))
        if bad.any():
            i = bad.idxmax()
            _fail(path, f"row {i + 2}, column {name!r}: {col[i]!r} is not true/false")
        return col.map(mapping).astype("boolean")
    _fail(path, f"schema of column {name!r} has unsupported type {ftype!r}")


def _check_constraints(path: Path, raw: pd.Series, typed: pd.Series, field: dict) -> None:
    name = field["name"]
    cons = field.get("constraints", {})
    present = raw != ""
    if cons.get("required") and not present.all():
        i = (~present).idxmax()
        what = "missing source" if name.startswith("source") else "missing value"
        _fail(path, f"row {i + 2}, column {name!r}: {what} (the column is required)")
    if "enum" in cons:
        allowed = set(map(str, cons["enum"]))
        bad = present & ~raw.isin(allowed)
        if bad.any():
            i = bad.idxmax()
            _fail(path, f"row {i + 2}, column {name!r}: {raw[i]!r} is not one of {sorted(allowed)}")
    for key, op in (("minimum", lambda s, v: s < v), ("maximum", lambda s, v: s > v)):
        if key in cons:
            limit = cons[key]
            if field.get("type") == "date":
                limit = pd.Timestamp(limit)
            bad = present & op(typed, limit).fillna(False).astype(bool)
            if bad.any():
                i = bad.idxmax()
                word = "below the minimum" if key == "minimum" else "above the maximum"
                _fail(path, f"row {i + 2}, column {name!r}: {raw[i]!r} is out of range "
                            f"({word} {cons[key]})")
    if "pattern" in cons:
        bad = present & ~raw.str.fullmatch(cons["pattern"])
        if bad.any():
            i = bad.idxmax()
            _fail(path, f"row {i + 2}, column {name!r}: {raw[i]!r} does not match "
                        f"the pattern {cons['pattern']!r}")


def load(name: str, data_dir: Path | str | None = None) -> pd.DataFrame:
    """Read table `name`, check it against its schema and return it typed.

    Raises DataError naming the file and the problem: file missing, CSV
    malformed, columns not as the schema says, a value of the wrong type or out
    of range, a duplicate primary key, or a row without its source.
    """
    data_dir = Path(data_dir or DATA_DIR)
    res = resource(name, data_dir)
    path = data_dir / res["path"]
    if not path.exists():
        _fail(path, f"file not found (table {name!r} in {PACKAGE_FILE})")
    try:
        with warnings.catch_warnings():
            # a row with more fields than the header would otherwise be cut (index_col=False)
            # or silently turn the first column into the index: both are errors here
            warnings.simplefilter("error", pd.errors.ParserWarning)
            raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8", index_col=False)
    except pd.errors.ParserWarning:
        _fail(path, "malformed CSV: a row has more fields than the header (an unquoted comma?)")
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        _fail(path, f"malformed CSV: {str(exc).strip()}")
    except pd.errors.EmptyDataError:
        _fail(path, "the file is empty")
    fields = res["schema"]["fields"]
    expected = [f["name"] for f in fields]
    if list(raw.columns) != expected:
        missing = [c for c in expected if c not in raw.columns]
        extra = [c for c in raw.columns if c not in expected]
        _fail(path, f"columns do not match the schema: missing {missing}, unexpected {extra}"
                    + ("" if missing or extra else ", wrong order"))
    if raw.empty:
        _fail(path, "the table has no rows")
    out = {}
    for field in fields:
        col = raw[field["name"]]
        out[field["name"]] = typed = _convert(path, col, field)
        _check_constraints(path, col, typed, field)
    df = pd.DataFrame(out)
    key = res["schema"].get("primaryKey")
    if key:
        key = [key] if isinstance(key, str) else key
        dup = df.duplicated(subset=key, keep=False)
        if dup.any():
            i = dup.idxmax()
            values = ", ".join(f"{k}={raw.at[i, k]}" for k in key)
            _fail(path, f"row {i + 2}: duplicate primary key ({values})")
    return df


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def refresh_hashes(data_dir: Path | str | None = None) -> None:
    """Rewrite the hash and bytes of every resource in datapackage.json."""
    data_dir = Path(data_dir or DATA_DIR)
    pkg_path = data_dir / PACKAGE_FILE
    pkg = json.loads(pkg_path.read_text(encoding="utf-8"))
    for res in pkg["resources"]:
        f = data_dir / res["path"]
        res["hash"] = "sha256:" + sha256(f)
        res["bytes"] = f.stat().st_size
    pkg_path.write_text(json.dumps(pkg, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
