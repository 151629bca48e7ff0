"""Teaching material from the data: objectives, questions with model answers, the instructor's
guide, reading lists, the negotiation simulation's briefs and the document reader.

Every fact an answer, a brief or a context note relies on is a row of the data package, named in
a `cites` column as `table` or `table:key` (the key is the row's primary key; for
country_indicators, the indicator code). `refs()` checks that each named row exists, so a brief
cannot cite a fact the package does not hold.
"""
from __future__ import annotations

import html
import re

import pandas as pd
from IPython.display import HTML, display

from .data import DataError, load, resource
from .figures import _source_links, source_html

OBJECTIVE_KINDS = {"disciplinary": "What a student of politics learns",
                   "technical": "Skills with data"}
_CODE = re.compile(r"`([^`]+)`")


def _text(s: str) -> str:
    """Escape plain text; `code` spans become <code>."""
    return _CODE.sub(r"<code>\1</code>", html.escape(s))


def _key_column(table: str) -> str | None:
    if table == "country_indicators":
        return None
    key = resource(table)["schema"].get("primaryKey")
    key = [key] if isinstance(key, str) else (key or [])
    return key[0] if len(key) == 1 else None


def refs(cites: str, where: str = "a cites column") -> list[tuple[str, str]]:
    """Parse 'table;table:key;…' and check that every table and row exists."""
    out = []
    for ref in filter(None, (r.strip() for r in cites.split(";"))):
        table, _, key = ref.partition(":")
        resource(table)  # raises DataError naming the unknown table
        if key:
            if table == "country_indicators":
                known = set(load("indicators")["indicator"])
            else:
                col = _key_column(table)
                if col is None:
                    raise DataError(f"{where}: {ref!r} names a row of {table}, whose key has several columns")
                known = set(load(table)[col].astype(str))
            if key not in known:
                raise DataError(f"{where}: {ref!r} names no row of data/{resource(table)['path']}")
        out.append((table, key))
    return out


def refs_html(cites: str, where: str = "a cites column") -> str:
    """Each cited row as a link to its table in the catalogue, with the row's own sources."""
    parts = []
    for table, key in refs(cites, where):
        anchor = f'data-catalogue.html#{table.replace("_", "-")}'
        label = html.escape(resource(table)["title"])
        if not key:
            parts.append(f'<a href="{anchor}">{label}</a>')
            continue
        if table == "country_indicators":
            name = load("indicators").set_index("indicator").at[key, "name"]
            parts.append(f'<a href="{anchor}">{html.escape(name)}</a>')
            continue
        row = load(table).astype({_key_column(table): str}).set_index(_key_column(table)).loc[key]
        if table == "chronology":
            what = f'{row["date"]:%Y-%m-%d}, {html.escape(row["title"])}'
        elif table == "claims":
            what = f'claim {html.escape(key)}, paragraph {html.escape(row["paragraph"][1:])}'
        else:
            what = f'{label}, {html.escape(key)}'
        has_sources = any(c in row.index for c in ("source_url", "source_1_url"))
        src = f"; {_source_links(row.to_dict())}" if has_sources else ""
        parts.append(f'<a href="{anchor}">{key}</a> ({what}{src})')
    return "<br>".join(parts)


# --- chapters -------------------------------------------------------------------------------

def objectives(chapter: str) -> pd.DataFrame:
    df = load("objectives")
    df = df[df["chapter_id"] == chapter].sort_values("position")
    if df.empty:
        raise DataError(f"data/objectives.csv: no objectives for chapter {chapter!r}")
    return df


def objectives_html(chapter: str) -> str:
    df = objectives(chapter)
    parts = []
    for kind, label in OBJECTIVE_KINDS.items():
        items = df[df["kind"] == kind]["objective"]
        if len(items):
            lis = "".join(f"<li>{_text(t)}</li>" for t in items)
            parts.append(f'<p class="objectives-kind">{label}</p><ul>{lis}</ul>')
    return "".join(parts)


def show_objectives(chapter: str) -> None:
    """The chapter's learning objectives, disciplinary first, from data/objectives.csv."""
    display(HTML(f'<aside class="admonition tip learning-objectives" aria-label="Learning objectives">'
                 f'<p class="admonition-title">Learning objectives</p>{objectives_html(chapter)}</aside>'))


def questions(chapter: str, kind: str | None = None) -> pd.DataFrame:
    df = load("questions")
    df = df[df["chapter_id"] == chapter]
    if kind:
        df = df[df["kind"] == kind]
    if df.empty:
        raise DataError(f"data/questions.csv: no {kind or ''} questions for chapter {chapter!r}")
    return df


def questions_html(chapter: str) -> str:
    items = "".join(f"<li>{_text(q)}</li>" for q in questions(chapter, "discussion")["question"])
    return f'<ol class="discussion-questions">{items}</ol>'


def show_questions(chapter: str) -> None:
    """The chapter's discussion questions (model answers are in the instructor's guide)."""
    display(HTML(questions_html(chapter)))


# --- instructor's guide ---------------------------------------------------------------------

def show_guide(chapter: str) -> None:
    """One chapter's session: its point, plan, data to show, misreadings, model answers."""
    s = load("sessions").set_index("chapter_id")
    if chapter not in s.index:
        raise DataError(f"data/sessions.csv: no session for chapter {chapter!r}")
    row = s.loc[chapter]
    title = load("chapters").set_index("chapter_id").at[chapter, "title"]
    file = load("chapters").set_index("chapter_id").at[chapter, "file"].split("/")[-1]
    qa = []
    for _, q in questions(chapter).iterrows():
        label = "Exercise" if q["kind"] == "exercise" else f'Question {q["question_id"].split("-q")[-1]}'
        qa.append(
            f'<div class="model-answer"><p class="qa-question"><strong>{label}.</strong> {_text(q["question"])}</p>'
            f'<p><strong>{"Marking note" if q["kind"] == "exercise" else "Model answer"}:</strong> '
            f'{_text(q["model_answer"])}</p>'
            f'<p><strong>Common misreading:</strong> {_text(q["misreading"])}</p>'
            f'<details><summary>Rows this answer relies on</summary><p>'
            f'{refs_html(q["cites"], f"data/questions.csv, {q.question_id}")}</p></details></div>')
    display(HTML(
        f'<div class="table-figure guide-session"><p><strong>Chapter:</strong> '
        f'<a href="{file}.html">{html.escape(title)}</a></p>'
        f'<p><strong>The point of the session.</strong> {_text(row["point"])}</p>'
        f'<p><strong>Plan for ninety minutes.</strong> {_text(row["plan"])}</p>'
        f'<p><strong>What to show when.</strong> {_text(row["show_when"])}</p>'
        f'<p><strong>Be ready for.</strong> {_text(row["misreading"])}</p>'
        f'<p><strong>Objectives.</strong></p>{objectives_html(chapter)}'
        f'{"".join(qa)}{source_html("questions", note="Sessions: sessions.csv; objectives: objectives.csv.")}</div>'))


PERSPECTIVE_GROUPS = {"armenian": "Armenian", "azerbaijani": "Azerbaijani"}


def show_reading_list(scope: str) -> None:
    """Readings for a chapter (or 'course'), with perspective, where to find them and why."""
    lst = load("reading_list")
    lst = lst[lst["scope"] == scope]
    if lst.empty:
        raise DataError(f"data/reading_list.csv: no readings for {scope!r}")
    readings = load("counter_readings").set_index("reading_id")
    missing = sorted(set(lst["reading_id"]) - set(readings.index))
    if missing:
        raise DataError(f"data/reading_list.csv: readings {', '.join(missing)} are not in counter_readings.csv")
    rows = []
    for _, r in lst.iterrows():
        w = readings.loc[r["reading_id"]]
        year = "" if pd.isna(w["year"]) else f" ({int(w['year'])})"
        title = (f'<a href="{html.escape(w["url"])}">{html.escape(w["title"])}</a>' if w["url"]
                 else f'<cite>{html.escape(w["title"])}</cite>')
        flag = "" if w["verification"] == "verified" else ' <span class="status-unverified">partly verified</span>'
        rows.append(f'<tr><td>{html.escape(str(w["perspective"]).replace("_", " "))}</td>'
                    f'<td>{html.escape(w["author"])}{year}, {title}, {html.escape(w["outlet"])}{flag}</td>'
                    f'<td>{_text(r["reason"])}</td></tr>')
    display(HTML(
        '<figure class="table-figure"><div class="table-scroll"><table class="data-table text-table">'
        '<thead><tr><th>Perspective</th><th>Work</th><th>Why read it</th></tr></thead>'
        f'<tbody>{"".join(rows)}</tbody></table></div>'
        f'{source_html("reading_list", note="Works and perspectives: counter_readings.csv.")}</figure>'))


def show_guidance() -> None:
    """The published teaching guidance the protocol for a divided room draws on."""
    df = load("teaching_guidance")
    rows = "".join(
        f'<tr><td><a href="{html.escape(r["source_url"])}">{html.escape(r["title"])}</a>, '
        f'{html.escape(r["publisher"])} (read {r["accessed"]:%Y-%m-%d})</td><td>{_text(r["advice"])}</td>'
        f'<td>{_text(r["used_for"])}</td></tr>' for _, r in df.iterrows())
    display(HTML(
        '<figure class="table-figure"><figcaption>Published guidance this protocol draws on</figcaption>'
        '<div class="table-scroll"><table class="data-table text-table"><thead><tr><th>Guidance</th>'
        '<th>What it advises, in our words</th><th>Used for</th></tr></thead>'
        f'<tbody>{rows}</tbody></table></div>{source_html("teaching_guidance")}</figure>'))


# --- negotiation simulation -----------------------------------------------------------------

SCENARIOS = {"2023": "mid-2023, before the September operation",
             "2025": "late 2025, after the text was initialled"}


def positions(delegation: str | None = None, scenario: str | None = None) -> pd.DataFrame:
    df = load("positions")
    known = set(load("delegations")["delegation"])
    unknown = sorted(set(df["delegation"]) - known)
    if unknown:
        raise DataError(f"data/positions.csv: delegations {', '.join(unknown)} are not in delegations.csv")
    if delegation is not None:
        if delegation not in known:
            raise DataError(f"no delegation {delegation!r}; the delegations are: {', '.join(sorted(known))}")
        df = df[df["delegation"] == delegation]
    if scenario is not None:
        if scenario not in SCENARIOS:
            raise DataError(f"no scenario {scenario!r}; the scenarios are: {', '.join(SCENARIOS)}")
        df = df[df["scenario"] == scenario]
    return df


def positions_html(delegation: str, scenario: str) -> str:
    rows = "".join(
        f'<tr><td>{html.escape(p["kind"])}</td><td>{_text(p["text"])}</td>'
        f'<td>{refs_html(p["cites"], f"data/positions.csv, {p.position_id}")}</td></tr>'
        for _, p in positions(delegation, scenario).iterrows())
    if not rows:
        return '<p>The book holds no sourced position of this delegation at this date.</p>'
    return ('<div class="table-scroll"><table class="data-table text-table"><thead><tr><th>Kind</th>'
            '<th>Documented position, in our words</th><th>Rows it rests on</th></tr></thead>'
            f'<tbody>{rows}</tbody></table></div>')


def show_delegations() -> None:
    d = load("delegations")
    rows = "".join(
        f'<tr><td>{html.escape(r["name"])}</td><td>{"at the table" if r["seat"] == "yes" else "voice without a seat"}</td>'
        f'<td>{_text(r["represents"])}</td><td><a href="../handouts/brief-{r["delegation"]}-2023.html">2023</a>, '
        f'<a href="../handouts/brief-{r["delegation"]}-2025.html">2025</a></td></tr>' for _, r in d.iterrows())
    display(HTML(
        '<figure class="table-figure"><figcaption>Delegations and their printable briefs</figcaption>'
        '<div class="table-scroll"><table class="data-table text-table"><thead><tr><th>Delegation</th>'
        '<th>Seat</th><th>Represents</th><th>Brief</th></tr></thead>'
        f'<tbody>{rows}</tbody></table></div>{source_html("delegations")}</figure>'))


def show_positions(scenario: str) -> None:
    """Every delegation's documented positions at one scenario date, each with its rows."""
    parts = []
    for _, d in load("delegations").iterrows():
        parts.append(f'<h4 class="delegation-name">{html.escape(d["name"])}</h4>'
                     f'{positions_html(d["delegation"], scenario)}')
    display(HTML(f'<div class="table-figure positions">{"".join(parts)}'
                 f'{source_html("positions", note="Each point rests on the rows named beside it.")}</div>'))


# --- documents ------------------------------------------------------------------------------

def show_documents() -> None:
    """The primary-document reader: each text with context, claims it bears on and its rows."""
    docs = load("documents")
    claims = set(load("claims")["claim_id"])
    parts = []
    for _, d in docs.iterrows():
        bad = [c for c in d["bears_on"].split(";") if c not in claims]
        if bad:
            raise DataError(f"data/documents.csv, {d['doc_id']}: claims {', '.join(bad)} are not in claims.csv")
        table = ""
        if d["table"]:
            res = resource(d["table"])
            table = (f'<p><strong>Its content in the book:</strong> <a href="data-catalogue.html#'
                     f'{d["table"].replace("_", "-")}">{html.escape(res["title"])}</a>.</p>')
        claim_links = ", ".join(f'<a href="claims-register.html">{c}</a>' for c in d["bears_on"].split(";"))
        parts.append(
            f'<section class="document-entry" id="doc-{d["doc_id"].lower()}">'
            f'<h3>{html.escape(d["title"])} ({d["date"]:%Y-%m-%d})</h3>'
            f'<p><em>{html.escape(d["kind"])}</em>. {_text(d["context"])}</p>{table}'
            f'<p><strong>Bears on the essay\'s claims:</strong> {claim_links}.</p>'
            f'<p><strong>Sources:</strong><br>{refs_html(d["cites"], f"data/documents.csv, {d.doc_id}")}</p>'
            f'</section>')
    display(HTML(f'<div class="table-figure document-reader">{"".join(parts)}'
                 f'{source_html("documents")}</div>'))
