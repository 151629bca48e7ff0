"""Phones and tablets (issue #15): at 360, 768 and 1280 px the page never scrolls sideways and
no two controls of a chart overlap (updatemenu buttons and dropdowns, the modebar), compared
by their bounding boxes once the chart has drawn. Every chapter is screenshotted at 390 px
(_build/screenshots/<chapter>-390.png, beside the desktop screenshots of test_browser.py).
"""
from __future__ import annotations

import pytest

from conftest import HTML, REPO, draw_figures, expected_figures, open_page

WIDTHS = [360, 768, 1280]
SCREENSHOTS = REPO / "_build" / "screenshots"
CONTROLS = """ids => ids.map(id => {
    const div = document.getElementById(id);
    const box = el => { const r = el.getBoundingClientRect();
        return {x: r.left, y: r.top, w: r.width, h: r.height}; };
    const shown = el => { const r = el.getBoundingClientRect(); const st = getComputedStyle(el);
        return r.width > 0 && r.height > 0 && st.display !== 'none' && st.visibility !== 'hidden'; };
    const out = [];
    const fig = box(div);
    div.querySelectorAll('g.updatemenu-container').forEach((menu, m) => {
        menu.querySelectorAll('g.updatemenu-header-group').forEach(h => shown(h) && out.push({name: `menu ${m} (dropdown ${h.textContent.trim()})`, ...box(h)}));
        // buttons of a `buttons` menu are always shown; a dropdown's only while open (closed here)
        menu.querySelectorAll('g.updatemenu-button-group g.updatemenu-button').forEach((b, i) =>
            shown(b) && out.push({name: `menu ${m} button ${i} (${b.textContent.trim()})`, ...box(b)}));
    });
    div.querySelectorAll('.modebar').forEach(mb => shown(mb) && out.push({name: 'modebar', ...box(mb)}));
    return {id, controls: out, figure: fig};
})"""


def pages() -> list[str]:
    if not HTML.exists():
        return ["book/index.html"]
    return sorted(p.relative_to(HTML).as_posix() for p in HTML.glob("book/*.html"))


def overlaps(a: dict, b: dict, tol: float = 1.0) -> bool:
    return (a["x"] + tol < b["x"] + b["w"] and b["x"] + tol < a["x"] + a["w"]
            and a["y"] + tol < b["y"] + b["h"] and b["y"] + tol < a["y"] + a["h"])


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("page", pages())
def test_no_sideways_scroll_and_no_overlapping_chart_controls(page, width, server, browser):
    ctx = browser.new_context(viewport={"width": width, "height": 800})
    ctx.route("**/*", lambda r: r.continue_() if r.request.url.startswith(server) else r.abort())
    tab = ctx.new_page()
    open_page(tab, f"{server}/{page}")
    ids = expected_figures(HTML / page)
    draw_figures(tab, ids)
    tab.hover("body", position={"x": 1, "y": 1})
    wide = tab.evaluate("""() => ({page: document.documentElement.scrollWidth, view: window.innerWidth,
        culprits: [...document.querySelectorAll('.bd-article *')].filter(e => {
            const r = e.getBoundingClientRect(); return r.right > window.innerWidth + 1 && r.width > 0
                && !e.closest('.table-scroll, .highlight, pre, .plotly-figure-inner, .MathJax');
        }).slice(0, 5).map(e => e.tagName + '.' + e.className)})""")
    charts = tab.evaluate(CONTROLS, ids)
    ctx.close()
    assert wide["page"] <= wide["view"], f"{page} at {width}px: the page is {wide['page']}px wide ({wide['culprits']})"
    bad = []
    for chart in charts:
        c = chart["controls"]
        for i in range(len(c)):
            for j in range(i + 1, len(c)):
                if overlaps(c[i], c[j]):
                    bad.append(f"{chart['id']}: {c[i]['name']} overlaps {c[j]['name']}")
    assert not bad, f"{page} at {width}px: " + "; ".join(bad)


@pytest.mark.parametrize("page", sorted(p.relative_to(HTML).as_posix() for p in HTML.glob("book/[0-9][0-9]-*.html"))
                         if HTML.exists() else ["book/01-status-quo.html"])
def test_chapter_screenshots_at_390px(page, server, browser):
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=1)
    ctx.route("**/*", lambda r: r.continue_() if r.request.url.startswith(server) else r.abort())
    tab = ctx.new_page()
    open_page(tab, f"{server}/{page}")
    draw_figures(tab, expected_figures(HTML / page))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shot = SCREENSHOTS / f"{page.split('/')[-1][:-5]}-390.png"
    tab.screenshot(path=str(shot), full_page=True)
    ctx.close()
    assert shot.stat().st_size > 10_000
