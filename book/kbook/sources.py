"""Rules for row-level evidence in the curated tables, kept in one place.

A table that records its evidence has a `source_says` column (our short paraphrase
of what the cited source says in support of the row) and an `accessed` column (the
date the source was read). `verification_problems` lists every row that breaks the
rules below; tests/test_verification.py runs it on every such table.

- Reference works and copies (Wikipedia and its mirrors, document-sharing sites) are
  leads, never a row's only source: a row whose every source URL is on one of
  REFERENCE_DOMAINS must be marked `unverified`.
- Notes and paraphrases are shown to readers, so working notes
  (WORKING_NOTE_PHRASES) must not appear in them.
"""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from urllib.parse import urlparse

import pandas as pd

from .data import DATA_DIR, package

# Domains that host reference works or copies of other publishers' material.
REFERENCE_DOMAINS = (
    "wikipedia.org", "wikimedia.org", "wikiwand.com", "wikimili.com", "wikiclassic.com",
    "zxc.wiki", "worddisk.com", "dbpedia.org", "wikizero.com", "everybodywiki.com",
    "infogalactic.com", "justapedia.org", "scribd.com", "documents.pub", "vdocuments.mx",
    "vdocument.in", "docslib.org", "pdfslide.us", "pdfslide.net", "yaznanie.ru",
)
# Phrases that betray a working note rather than text written for a reader: the one list, used
# on the data (tests/test_verification.py) and on every built page (tests/test_raw_tokens.py).
WORKING_NOTE_PHRASES = (
    "see NOTES", "headline not seen", "title not seen", "available to me", "not seen;",
    "TODO", "FIXME", "XXX", "TBD", "check this", "placeholder", "lorem ipsum",
)
# Hosts that serve copies of other publishers' material (mirrors, clones, content farms,
# syndication sites): a link must go to the original publisher instead. Extend it when a new
# kind of copy is found; tests/test_house_rules.py checks every link of the built book.
COPY_HOSTS = re.compile(r"""(
    \.cloudfront\.net$ | merlincdn\.net$ | \.hostingersite\.com$ | rssing\.com$ | pangea-cms\.com$
  | vecto\.digital$ | wikivividly | wiki\.x\.io$ | explained\.today$ | stringtranslate | mdict\.net$
  | (^|\.)calendarz\.com$ | vdocuments\. | docslib\.org$ | menafn\.com$ | nasdaq\.com$ | jellypages
  | redlib\. | rbtfl\.xyz$ | particle\.news$ | gtool\.pro$ | ^\d+\.\d+\.\d+\.\d+$
  | armenian-genocide\.org$ | hyetert\.org$ | conflictandwarreport | asian-news\.net$
  | daytondailynews | journal-news\.com$ | arkansasonline | standardmedia\.co\.ke$
  | timeslive\.co\.za$ | metroradio\.com\.hk$ | tbsnews\.net$ | devdiscourse | lbcgroup\.tv$
  | readthinkknow | aysor\.am$ | kafkassam | owlorg\.com$ | webangah
)""", re.X)
# Columns shown to readers that must be free of working notes.
READER_COLUMNS = ("note", "source_says", "finding")
EVIDENCE_COLUMNS = ("source_says", "accessed")


def is_reference_url(url: str) -> bool:
    """True if the URL's host is a reference work or a mirror (see REFERENCE_DOMAINS)."""
    host = (urlparse(url.strip()).hostname or "").lower()
    return any(host == d or host.endswith("." + d) for d in REFERENCE_DOMAINS)


def row_urls(row: pd.Series) -> list[str]:
    """Every source URL of a row: all columns named *url, split on ' | '."""
    urls = []
    for col, val in row.items():
        if str(col).endswith("url") and isinstance(val, str) and val.strip():
            urls += [u.strip() for u in val.split(" | ") if u.strip()]
    return urls


def evidence_tables(data_dir: Path | str | None = None) -> list[dict]:
    """Resources whose schema has a `source_says` column."""
    return [r for r in package(data_dir)["resources"]
            if any(f["name"] == "source_says" for f in r["schema"]["fields"])]


def verification_problems(data_dir: Path | str | None = None, today: date | None = None) -> list[str]:
    """Every breach of the evidence rules in every table that has a `source_says` column."""
    data_dir = Path(data_dir or DATA_DIR)
    today = today or date.today()
    problems = []
    phrase_re = re.compile("|".join(re.escape(p) for p in WORKING_NOTE_PHRASES), re.IGNORECASE)
    for res in evidence_tables(data_dir):
        df = pd.read_csv(data_dir / res["path"], dtype=str, keep_default_na=False)
        key = res["schema"].get("primaryKey", [df.columns[0]])
        key = key[0] if isinstance(key, list) else key
        for col in EVIDENCE_COLUMNS:
            if col not in df.columns:
                problems.append(f"{res['name']}: no column {col!r}")
        for _, row in df.iterrows():
            rid = f"{res['name']} {row.get(key, '?')}"
            if "source_says" in df.columns and not row["source_says"].strip():
                problems.append(f"{rid}: empty source_says")
            if "accessed" in df.columns:
                try:
                    read = date.fromisoformat(row["accessed"].strip())
                    if read > today:
                        problems.append(f"{rid}: accessed {read} is in the future")
                except ValueError:
                    problems.append(f"{rid}: accessed {row['accessed']!r} is not a date")
            urls = row_urls(row)
            if urls and all(is_reference_url(u) for u in urls) and row.get("verification") != "unverified":
                problems.append(f"{rid}: rests only on reference works or copies but is marked "
                                f"{row.get('verification')!r}, not 'unverified'")
            for col in READER_COLUMNS:
                if col in df.columns and (m := phrase_re.search(row[col])):
                    problems.append(f"{rid}: {col} contains the working note {m.group(0)!r}")
    return problems
