"""Open every page of the built book in headless Chromium, offline.

For each page: every plotly figure draws once scrolled near the viewport (an svg.main-svg
inside each .plotly-graph-div, and the loader's data-kbook-drawn signal), no console error outside a short allowlist, no
request leaves 127.0.0.1 (each one is aborted and counted), and no local file
the page asks for is missing (no 4xx/5xx answer, the favicon included). Chapter and handout
pages are screenshotted to _build/screenshots/.
"""
from __future__ import annotations

import json
import re

import pytest

from conftest import HTML, REPO, draw_figures, expected_figures, open_page

pytestmark = pytest.mark.slow   # test tier: left out of `make test-fast`

# Console errors that come from the theme stack itself, on every page (see
# shared/guide/TOOLCHAIN-NOTES.md), not from this book's code or content.
CONSOLE_ALLOWLIST = [
    re.compile(r"Identifier 'THEBE_JS_URL' has already been declared"),
    re.compile(r"Got invalid theme mode"),
]
SCREENSHOTS = REPO / "_build" / "screenshots"
REPORT = REPO / "_build" / "browser-report.json"
RESULTS: dict[str, dict] = {}


def pages() -> list[str]:
    if not HTML.exists():
        return ["index.html"]  # the fixture then reports the missing build
    found = [p.relative_to(HTML).as_posix() for p in HTML.rglob("*.html")
             if not p.relative_to(HTML).parts[0].startswith("_")]
    return sorted(found)


@pytest.fixture(scope="module", autouse=True)
def write_report():
    yield
    if RESULTS:
        REPORT.write_text(json.dumps({
            "pages": len(RESULTS),
            "figures_drawn": sum(r["drawn"] for r in RESULTS.values()),
            "figures": sum(r["figures"] for r in RESULTS.values()),
            "external_requests": sum(len(r["external"]) for r in RESULTS.values()),
            "per_page": RESULTS}, indent=2))


@pytest.mark.parametrize("page", pages())
def test_page_offline_and_drawn(page, server, browser):
    external: list[str] = []
    errors: list[str] = []
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})

    def route(r):
        if r.request.url.startswith(server + "/") or r.request.url.startswith("data:"):
            r.continue_()
        else:
            external.append(r.request.url)
            r.abort()

    ctx.route("**/*", route)
    tab = ctx.new_page()
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: errors.append(f"uncaught: {e}"))
    missing: list[str] = []
    tab.on("response", lambda r: missing.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    open_page(tab, f"{server}/{page}")
    # what the page must draw is what the built file holds, not what the DOM shows at one moment
    ids = expected_figures(HTML / page)
    figures = len(ids)
    # figures draw lazily, when they come near the viewport: scroll each one there and wait
    # for the loader's data-kbook-drawn signal
    draw_figures(tab, ids)
    drawn = tab.evaluate("ids => ids.filter(id => document.getElementById(id)?.querySelector('svg.main-svg')).length", ids)
    if page.startswith(("book/", "handouts/")) and page != "book/index.html":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        prefix = "handout-" if page.startswith("handouts/") else ""
        tab.screenshot(path=str(SCREENSHOTS / (prefix + page.split("/")[-1][:-5] + ".png")), full_page=True)
    ctx.close()

    unexpected = [e for e in errors if not any(p.search(e) for p in CONSOLE_ALLOWLIST)]
    RESULTS[page] = {"figures": figures, "drawn": drawn, "external": external, "errors": unexpected,
                     "missing": missing}
    assert external == [], f"{page}: requests left 127.0.0.1: {external}"
    assert missing == [], f"{page}: local files the page asked for are missing: {missing}"
    assert drawn == figures, f"{page}: {figures - drawn} of {figures} plotly figures did not draw"
    assert unexpected == [], f"{page}: console errors: {unexpected}"


def test_chapters_have_figures(built_html):
    """Each essay chapter page carries every figure and every table its notebook's committed
    outputs hold (counted in the notebook, not assumed), and at least one of each."""
    import kbook
    import nbformat

    from kbook.sphinx import PLOTLY_MIME

    for file in kbook.load("chapters")["file"]:
        nb = nbformat.read(REPO / f"{file}.ipynb", 4)
        outputs = [o.get("data", {}) for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
        figures = sum(PLOTLY_MIME in d for d in outputs)
        tables = sum(str(d.get("text/html", "")).count("<table") for d in outputs)
        assert figures >= 1 and tables >= 1, f"{file}: the notebook shows {figures} figures, {tables} tables"
        html = (built_html / f"{file}.html").read_text(encoding="utf-8")
        assert len(expected_figures(built_html / f"{file}.html")) == figures, f"{file}: figures lost in the build"
        assert html.count("<table") >= tables, f"{file}: tables lost in the build"
        assert 'class="essay-block"' in html, f"{file}: no essay block in the built page"


def test_claims_register_filters_without_kernel(server, browser):
    """The register's menus filter rows in the browser; counts match the data."""
    import kbook

    claims = kbook.load("claims")
    tab = browser.new_page()
    tab.route("**/*", lambda r: r.continue_() if r.request.url.startswith(server) else r.abort())
    open_page(tab, f"{server}/book/claims-register.html")
    # the filter script shows its form and writes the count once it has run
    tab.wait_for_function("() => !document.getElementById('register-filters').hidden"
                          " && document.getElementById('register-count').textContent !== ''")
    rows = tab.locator("#register tbody tr")
    assert rows.count() == len(claims)
    for verdict in sorted(claims["verdict"].unique()):
        tab.select_option("#register-filters select[name=verdict]", verdict)
        visible = tab.locator("#register tbody tr:not([hidden])").count()
        assert visible == int((claims["verdict"] == verdict).sum()), verdict
    tab.select_option("#register-filters select[name=verdict]", "")
    tab.select_option("#register-filters select[name=paragraph]", "P7")
    assert tab.locator("#register tbody tr:not([hidden])").count() == int((claims["paragraph"] == "P7").sum())
    tab.close()


def test_launch_menu_opens_with_local_jupyterlab(server, browser):
    """The rocket menu of a chapter opens (mouse and keyboard) and offers the ways to run it:
    JupyterLab on this computer always, Binder first when the build knew a public repository
    (the default local build does not; test_publication.py checks a build with an address)."""
    import os

    import yaml
    import kbook.sphinx as ext

    configured = (yaml.safe_load((REPO / "_config.yml").read_text())["repository"] or {}).get("url", "")
    public, _ = ext.repository_url(configured, os.environ)
    tab = browser.new_page()
    tab.route("**/*", lambda r: r.continue_() if r.request.url.startswith(server) else r.abort())
    open_page(tab, f"{server}/book/05-paper-leviathan.html")
    toggle = tab.locator(".dropdown-launch-buttons button.dropdown-toggle")
    menu = tab.locator(".dropdown-launch-buttons .dropdown-menu")
    assert not menu.is_visible()
    toggle.focus()
    tab.keyboard.press("Enter")
    menu.wait_for(state="visible", timeout=5_000)
    items = menu.locator("a.dropdown-item")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(SCREENSHOTS / "launch-menu.png"))
    texts = [t.strip() for t in items.all_inner_texts()]
    hrefs = [items.nth(i).get_attribute("href") for i in range(items.count())]
    if public:
        assert texts == ["Binder (JupyterLab)", "JupyterLab (this computer)"], texts
        assert hrefs[0].startswith("https://mybinder.org/v2/gh/") and hrefs[0].endswith("lab/tree/book/05-paper-leviathan.ipynb")
    else:
        assert texts == ["JupyterLab (this computer)"], texts
    assert hrefs[-1] == f"{ext.LOCAL_LAB}/book/05-paper-leviathan.ipynb"
    # icons come from Font Awesome's web font (its 1.5 MB script is not loaded); its @font-face
    # rules are added after the first paint (kbook-icons.js): the rocket must be drawn with
    # that font, and the font must have loaded (the page signals the rules are in, then the
    # browser's FontFace for the solid icons reports "loaded")
    tab.wait_for_function("""() => document.documentElement.dataset.kbookIcons === 'loaded'
        && [...document.fonts].some(f => f.family.includes('Font Awesome 6 Free') && f.weight === '900'
                                    && f.status === 'loaded')""", timeout=10_000)
    icon = tab.evaluate("""() => {
        const i = document.querySelector('.dropdown-launch-buttons .fa-rocket');
        const st = getComputedStyle(i, '::before');
        return {font: st.fontFamily, content: st.content, width: i.getBoundingClientRect().width,
                loaded: document.fonts.check('900 16px "Font Awesome 6 Free"')};
    }""")
    assert "Font Awesome" in icon["font"] and icon["content"] not in ("none", "normal", '""'), icon
    assert icon["width"] > 0 and icon["loaded"], icon
    scripts = tab.evaluate("[...document.scripts].map(s => s.src)")
    assert not [s for s in scripts if "fontawesome" in s], scripts
    tab.close()
