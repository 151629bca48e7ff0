"""Teaching material from the data: objectives, questions with model answers, the instructor's
guide, reading lists, the negotiation simulation's briefs and the document reader.

Every fact an answer, a brief or a context note relies on is a row of the data package, named in
a `cites` column as `table` or `table:key` (the key is the row's primary key; for
country_indicators, the indicator code). `refs()` checks that each named row exists, so a brief
cannot cite a fact the package does not hold.
"""
from __future__ import annotations

import re

import pandas as pd
from IPython.display import HTML, display

from .data import DataError, load, resource
from .figures import _source_links, catalogue_anchor, source_html, table_figure
from .markup import Markup, render

OBJECTIVE_KINDS = {"disciplinary": "What a student of politics learns",
                   "technical": "Skills with data"}
_CODE = re.compile(r"`([^`]+)`")
TEXT_TABLE = "records"  # a table of text, a record per row: stacked as cards on a phone (kbook.css)


def _text(s: str) -> Markup:
    """Plain text, escaped; `code` spans become <code>."""
    parts = _CODE.split(s)  # text, code, text, code, ...
    return render("teaching.html", part="prose", segs=[(i % 2 == 1, t) for i, t in enumerate(parts) if t])


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


def refs_html(cites: str, where: str = "a cites column", catalogue: str = "data-catalogue.html") -> Markup:
    """Each cited row as a link to its table in the catalogue, with the row's own sources."""
    parts = []
    for table, key in refs(cites, where):
        part = {"anchor": catalogue_anchor(table), "table": table, "label": resource(table)["title"], "what": None,
                "sources": None, "also": None}
        if key and table == "country_indicators":
            part.update(label=load("indicators").set_index("indicator").at[key, "name"], also="indicators")
        elif key:
            row = load(table).astype({_key_column(table): str}).set_index(_key_column(table)).loc[key]
            if table == "chronology":
                what = f'{row["date"]:%Y-%m-%d}, {row["title"]}'
            elif table == "claims":
                what = f'claim {key}, paragraph {row["paragraph"][1:]}'
            else:
                what = f'{part["label"]}, {key}'
            has_sources = any(c in row.index for c in ("source_url", "source_1_url"))
            part.update(label=key, what=what, sources=_source_links(row.to_dict()) if has_sources else None)
        parts.append(part)
    return render("teaching.html", part="refs", refs=parts, catalogue=catalogue)


# --- chapters -------------------------------------------------------------------------------

def objectives(chapter: str) -> pd.DataFrame:
    df = load("objectives")
    df = df[df["chapter_id"] == chapter].sort_values("position")
    if df.empty:
        raise DataError(f"data/objectives.csv: no objectives for chapter {chapter!r}")
    return df


def objectives_html(chapter: str) -> Markup:
    df = objectives(chapter)
    kinds = [{"label": label, "items": [_text(t) for t in df[df["kind"] == kind]["objective"]]}
             for kind, label in OBJECTIVE_KINDS.items()]
    return render("teaching.html", part="objectives", kinds=[k for k in kinds if k["items"]])


def show_objectives(chapter: str) -> None:
    """The chapter's learning objectives, disciplinary first, from data/objectives.csv."""
    display(HTML(render("teaching.html", part="objectives_box", body=objectives_html(chapter))))


def questions(chapter: str, kind: str | None = None) -> pd.DataFrame:
    df = load("questions")
    df = df[df["chapter_id"] == chapter]
    if kind:
        df = df[df["kind"] == kind]
    if df.empty:
        raise DataError(f"data/questions.csv: no {kind or ''} questions for chapter {chapter!r}")
    return df


def questions_html(chapter: str, answer_space: bool = False) -> Markup:
    """The discussion questions as a list; `answer_space` leaves room to write under each (handouts)."""
    items = [_text(q) for q in questions(chapter, "discussion")["question"]]
    return render("teaching.html", part="questions", items=items, answer_space=answer_space)


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
        exercise = q["kind"] == "exercise"
        qa.append({"label": "Exercise" if exercise else f'Question {q["question_id"].split("-q")[-1]}',
                   "question": _text(q["question"]), "answer_label": "Marking note" if exercise else "Model answer",
                   "answer": _text(q["model_answer"]), "misreading": _text(q["misreading"]),
                   "refs": refs_html(q["cites"], f"data/questions.csv, {q.question_id}")})
    display(HTML(render(
        "teaching.html", part="guide", file=file, title=title, point=_text(row["point"]),
        plan=_text(row["plan"]), show_when=_text(row["show_when"]), misreading=_text(row["misreading"]),
        objectives=objectives_html(chapter), qa=qa,
        source=source_html("questions", note="Sessions: sessions.csv; objectives: objectives.csv.",
                           also=["sessions", "objectives", "chapters"]))))


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
    from .readings import work_html

    rows = []
    for _, r in lst.iterrows():
        w = readings.loc[r["reading_id"]]
        rows.append([str(w["perspective"]).replace("_", " "), work_html(w, " (", ")", ", ", ", ", ""),
                     _text(r["reason"])])
    table = render("text_table.html", cls=TEXT_TABLE, table_id=None, scroll=False, row_ids=None,
                   headers=("Perspective", "Work", "Why read it"), rows=rows)
    display(HTML(table_figure(table, source_html("reading_list",
                                                 note="Works and perspectives: counter_readings.csv.",
                                                 also=["counter_readings"]))))


def show_guidance() -> None:
    """The published teaching guidance the protocol for a divided room draws on."""
    df = load("teaching_guidance")
    rows = [[render("teaching.html", part="guidance", r={**r, "accessed": f'{r["accessed"]:%Y-%m-%d}'}),
             _text(r["advice"]), _text(r["used_for"])] for _, r in df.iterrows()]
    table = render("text_table.html", cls=TEXT_TABLE, table_id=None, scroll=False, row_ids=None,
                   headers=("Guidance", "What it advises, in our words", "Used for"), rows=rows)
    display(HTML(table_figure(table, source_html("teaching_guidance"),
                              "Published guidance this protocol draws on")))


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


def positions_html(delegation: str, scenario: str, catalogue: str = "data-catalogue.html") -> Markup:
    rows = [[p["kind"], _text(p["text"]), refs_html(p["cites"], f"data/positions.csv, {p.position_id}", catalogue)]
            for _, p in positions(delegation, scenario).iterrows()]
    if not rows:
        return render("teaching.html", part="no_positions")
    return render("text_table.html", cls=TEXT_TABLE, table_id=None, scroll=True, row_ids=None,
                  headers=("Kind", "Documented position, in our words", "Rows it rests on"), rows=rows)


def show_delegations() -> None:
    d = load("delegations")
    rows = [[r["name"], "at the table" if r["seat"] == "yes" else "voice without a seat", _text(r["represents"]),
             render("teaching.html", part="briefs", delegation=r["delegation"])] for _, r in d.iterrows()]
    table = render("text_table.html", cls=TEXT_TABLE, table_id=None, scroll=False, row_ids=None,
                   headers=("Delegation", "Seat", "Represents", "Brief"), rows=rows)
    display(HTML(table_figure(table, source_html("delegations"), "Delegations and their printable briefs")))


def show_positions(scenario: str) -> None:
    """Every delegation's documented positions at one scenario date, each with its rows."""
    delegations = [{"name": d["name"], "table": positions_html(d["delegation"], scenario)}
                   for _, d in load("delegations").iterrows()]
    display(HTML(render("teaching.html", part="positions", delegations=delegations,
                        source=source_html("positions", note="Each point rests on the rows named beside it.",
                                              also=["delegations"]))))


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
        parts.append({"id": d["doc_id"].lower(), "title": d["title"], "date": f'{d["date"]:%Y-%m-%d}',
                      "kind": d["kind"], "context": _text(d["context"]),
                      "table": resource(d["table"])["title"] if d["table"] else None,
                      "anchor": catalogue_anchor(d["table"]) if d["table"] else None, "table_name": d["table"],
                      "claims": d["bears_on"].split(";"),
                      "refs": refs_html(d["cites"], f"data/documents.csv, {d.doc_id}")})
    display(HTML(render("teaching.html", part="documents", docs=parts, source=source_html("documents", also=["claims"]))))
