"""The verdict method's rules, checked against the data (tests/test_method.py runs `audit`).

Each rule returns plain-language problems naming the file and the row, so a failing test says what
to fix. The rules:

- a claim's verdict must be one its kind may receive (data/verdicts.csv, allowed_kinds);
- a verdict that does not rate the claim (an interpretation or a position) says who holds it;
- every predictive claim has a row in data/predictions.csv, and only predictive claims do;
- no two claims quote the same words, and no claim's reasoning or test is only a pointer
  ("See claim C12", "As C12"): such a claim is a duplicate;
- premise_of names existing claims other than itself, and a premise is not itself unrated;
- every sentence of the essay's split is in data/essay_sentences.csv with the same opening words,
  with claims or a reason, and names only existing claims; every claim is listed by a sentence
  that contains its quote.
"""
from __future__ import annotations

import re

import pandas as pd

from .claims import _text
from .data import load
from .essay import sentences

POINTER = re.compile(r"^\s*(see(\s+claim)?|as(\s+claim)?|same\s+as)\s+C\d{2}\s*\.?\s*$", re.I)


def _ids(cell) -> list[str]:
    return [x for x in _text(cell).split(";") if x]


def audit(data_dir=None) -> list[str]:
    """All violations of the method's rules in the data package at data_dir (default: data/)."""
    problems: list[str] = []
    claims = load("claims", data_dir)
    verdicts = load("verdicts", data_dir).set_index("verdict")
    preds = load("predictions", data_dir)
    known = set(claims["claim_id"])

    for c in claims.itertuples():
        where = f"claims.csv {c.claim_id}"
        if c.verdict not in verdicts.index:
            problems.append(f"{where}: verdict {c.verdict!r} is not defined in verdicts.csv")
            continue
        allowed = verdicts.at[c.verdict, "allowed_kinds"].split(";")
        if c.kind not in allowed:
            article = "an" if c.kind[0] in "aeiou" else "a"
            problems.append(f"{where}: {article} {c.kind} claim may not be rated {c.verdict!r} "
                            f"(verdicts.csv allows it for {', '.join(allowed)})")
        if verdicts.at[c.verdict, "rated"] == "no" and not _text(c.held_by):
            problems.append(f"{where}: verdict {c.verdict!r} needs held_by (who holds it)")
        for col in ("reasoning", "test"):
            if POINTER.match(_text(getattr(c, col))):
                problems.append(f"{where}: {col} is only a pointer to another claim "
                                f"({getattr(c, col)!r}); a duplicate claim")
        for parent in _ids(c.premise_of):
            if parent not in known:
                problems.append(f"{where}: premise_of names {parent}, which is not a claim")
            elif parent == c.claim_id:
                problems.append(f"{where}: premise_of names the claim itself")
        if _ids(c.premise_of) and verdicts.at[c.verdict, "rated"] == "no":
            problems.append(f"{where}: a premise must be tested, not {c.verdict!r}")

    dup = claims[claims.duplicated("quote", keep=False)]
    for quote, group in dup.groupby("quote"):
        problems.append(f"claims.csv {', '.join(group['claim_id'])}: duplicate claims quote the same "
                        f"words {quote!r}")

    predictive = set(claims.loc[claims["kind"] == "predictive", "claim_id"])
    have = set(preds["claim_id"])
    for cid in sorted(predictive - have):
        problems.append(f"claims.csv {cid}: a prediction without a row (criterion) in predictions.csv")
    for cid in sorted(have - predictive):
        problems.append(f"predictions.csv {cid}: not a predictive claim of claims.csv")
    for p in preds.itertuples():
        if bool(_text(p.earlier_criterion)) != (not pd.isna(p.earlier_criterion_written)):
            problems.append(f"predictions.csv {p.claim_id}: an earlier criterion needs its date, and only it")

    split = sentences(data_dir).set_index("sentence_id")
    table = load("essay_sentences", data_dir).set_index("sentence_id")
    for sid in split.index.difference(table.index):
        problems.append(f"essay_sentences.csv: sentence {sid} of the essay is not accounted for")
    for sid in table.index.difference(split.index):
        problems.append(f"essay_sentences.csv {sid}: no such sentence in the essay's split")
    listed: dict[str, list[str]] = {}
    for sid, r in table.iterrows():
        if sid not in split.index:
            continue
        if r["opening"] != split.at[sid, "opening"] or r["paragraph"] != split.at[sid, "paragraph"]:
            problems.append(f"essay_sentences.csv {sid}: opening {r['opening']!r} does not match the split "
                            f"({split.at[sid, 'opening']!r}); the text or the sentence rule changed")
        ids = _ids(r["claims"])
        if not ids and not _text(r["reason"]):
            problems.append(f"essay_sentences.csv {sid}: neither claims nor a reason")
        for cid in ids:
            if cid not in known:
                problems.append(f"essay_sentences.csv {sid}: names {cid}, which is not a claim")
            listed.setdefault(cid, []).append(split.at[sid, "text"])
    for c in claims.itertuples():
        if not any(c.quote in text for text in listed.get(c.claim_id, [])):
            problems.append(f"claims.csv {c.claim_id}: no sentence of essay_sentences.csv that lists it "
                            f"contains its quote")
    return problems


OUTCOMES = ["held", "held in part", "failed", "open", "overtaken", "untestable", "not rated"]


def outcomes() -> pd.DataFrame:
    """The register with each claim's outcome group (data/verdicts.csv, column outcome)."""
    claims = load("claims")
    groups = load("verdicts").set_index("verdict")["outcome"]
    claims["outcome"] = claims["verdict"].map(groups)
    return claims


def outcome_table(by: str) -> pd.DataFrame:
    """Claims counted by `by` (kind or paragraph) and outcome, in the outcomes' order, with totals."""
    df = outcomes()
    table = pd.crosstab(df[by], df["outcome"])
    table = table.reindex(columns=[o for o in OUTCOMES if o in table.columns], fill_value=0)
    table["all"] = table.sum(axis=1)
    return table.reset_index()


def ids_of(outcome: str, kind: str | None = None) -> str:
    """The ids of the claims in one outcome group (optionally of one kind), as readable text."""
    df = outcomes()
    df = df[df["outcome"] == outcome]
    if kind:
        df = df[df["kind"] == kind]
    ids = list(df["claim_id"])
    return ", ".join(ids) if ids else "none"


def outcome_colours() -> dict[str, str]:
    """Chart colour of each outcome: the colour of its first verdict in data/verdicts.csv."""
    v = load("verdicts").sort_values("order")
    return dict(v.drop_duplicates("outcome").set_index("outcome")["colour"])
