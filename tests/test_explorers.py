"""Drive each live explorer in a real Jupyter kernel: set widget values, check what changed."""
from __future__ import annotations

import json
import textwrap

import pytest
from jupyter_client.manager import start_new_kernel

from conftest import BOOK

pytestmark = pytest.mark.slow   # test tier: left out of `make test-fast`


@pytest.fixture(scope="module")
def kernel():
    km, kc = start_new_kernel(kernel_name="python3", cwd=str(BOOK))
    yield kc
    kc.stop_channels()
    km.shutdown_kernel(now=True)


def run(kc, code: str) -> dict:
    """Run code in the kernel; it must print one JSON line, returned as a dict."""
    reply = kc.execute_interactive(textwrap.dedent(code), timeout=120,
                                   output_hook=lambda msg: _collect(msg))
    assert reply["content"]["status"] == "ok", reply["content"]
    return json.loads(_collect.lines.pop())


def _collect(msg):
    if msg["msg_type"] == "stream" and msg["content"]["name"] == "stdout":
        _collect.lines.extend(l for l in msg["content"]["text"].splitlines() if l.startswith("{"))
    if msg["msg_type"] == "error":
        raise AssertionError("\n".join(msg["content"]["traceback"]))


_collect.lines = []


def test_indicator_explorer(kernel):
    out = run(kernel, """
        import json, kbook as kb
        ex = kb.IndicatorExplorer("MILEX.CONST2023USD", ["ARM", "AZE"])
        before = dict(traces=sorted(t.name for t in ex.figure.data), cols=list(ex.table.columns),
                      title=ex.figure.layout.title.text)
        ex.controls["countries"].value = ("ARM", "AZE", "RUS")
        more = sorted(t.name for t in ex.figure.data)
        ex.controls["indicator"].value = "BX.TRF.PWKR.DT.GD.ZS"
        after = dict(title=ex.figure.layout.title.text, years=list(ex.controls["years"].value),
                     first_year=int(ex.table.index.min()))
        ex.controls["years"].value = (2010, 2015)
        span = [int(ex.table.index.min()), int(ex.table.index.max())]
        ex.controls["countries"].value = ()
        empty = dict(fig=ex.figure is None, note=ex.message.value)
        print(json.dumps(dict(before=before, more=more, after=after, span=span, empty=empty)))
    """)
    assert out["before"]["traces"] == ["Armenia", "Azerbaijan"]
    assert "Military expenditure" in out["before"]["title"]
    assert out["more"] == ["Armenia", "Azerbaijan", "Russia"]
    assert "Remittances" in out["after"]["title"] or "remittances" in out["after"]["title"]
    import kbook

    # the slider's bounds follow the indicator: its first year in the data, not a typed-in year
    ind = kbook.load("country_indicators")
    first = int(ind.loc[ind["indicator"] == "BX.TRF.PWKR.DT.GD.ZS", "year"].min())
    assert out["after"]["years"][0] == out["after"]["first_year"] == first
    assert out["span"] == [2010, 2015]
    assert out["empty"]["fig"] and "at least one country" in out["empty"]["note"]


def test_timeline_explorer(kernel):
    out = run(kernel, """
        import json, kbook as kb
        ex = kb.TimelineExplorer(themes=("Negotiations and treaty",), years=(2020, 2026))
        a = len(ex.table)
        cats_a = sorted(set(ex.table["category"]))
        ex.controls["themes"].value = ("Wars and violence",)
        b = len(ex.table); cats_b = sorted(set(ex.table["category"]))
        ex.controls["years"].value = (1813, 1830)
        c = len(ex.table) if ex.figure is not None else 0
        note = ex.message.value
        print(json.dumps(dict(a=a, b=b, cats_a=cats_a, cats_b=cats_b, c=c, note=note)))
    """)
    import kbook

    ev = kbook.events()
    neg = ev[ev["category"].isin(["mediation", "post-war-negotiations", "peace-treaty", "transit"])
             & ev["date"].dt.year.between(2020, 2026)]
    assert out["a"] == len(neg) and set(out["cats_a"]) <= {"mediation", "post-war-negotiations", "peace-treaty", "transit"}
    assert out["b"] != out["a"] and set(out["cats_b"]) <= {"first-war", "war-2016", "war-2020", "offensive-2023", "border"}
    assert out["c"] == 0 and "No events" in out["note"]


def test_claims_browser(kernel):
    out = run(kernel, """
        import json, kbook as kb
        ex = kb.ClaimsBrowser()
        total = len(ex.table)
        ex.controls["paragraph"].value = "P9"
        p9 = sorted(ex.table["claim_id"])
        ex.controls["kind"].value = "predictive"
        p9_pred = sorted(ex.table["claim_id"])
        ex.controls["verdict"].value = "not borne out"
        none = dict(empty=ex.table.empty, note=ex.message.value)
        print(json.dumps(dict(total=total, p9=p9, p9_pred=p9_pred, none=none,
                              options=list(ex.controls["verdict"].options))))
    """)
    import kbook

    claims = kbook.load("claims")
    assert out["total"] == len(claims)
    assert out["p9"] == sorted(claims[claims["paragraph"] == "P9"]["claim_id"])
    assert out["p9_pred"] == sorted(claims[(claims["paragraph"] == "P9") & (claims["kind"] == "predictive")]["claim_id"])
    assert out["none"]["empty"] and "No claim matches" in out["none"]["note"]
    assert "pending" in out["options"]  # choices come from the schema, so nothing invalid can be picked
