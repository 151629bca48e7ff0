"""axe-core, run inside headless Chromium on every built page, in the light and the dark theme.

No violation of any impact (critical, serious, moderate or minor) may remain; every finding
is also written to _build/axe-report.json for review.
"""
from __future__ import annotations

import json

import pytest

from conftest import HTML, REPO, draw_figures, expected_figures, need, open_page

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
REPORT = REPO / "_build" / "axe-report.json"
FINDINGS: dict[str, list] = {}


def pages() -> list[str]:
    if not HTML.exists():
        return ["index.html"]
    return sorted(p.relative_to(HTML).as_posix() for p in HTML.rglob("*.html")
                  if not p.relative_to(HTML).parts[0].startswith("_"))


@pytest.fixture(scope="module", autouse=True)
def write_report():
    yield
    if FINDINGS:
        REPORT.write_text(json.dumps(FINDINGS, indent=2))


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("page", pages())
def test_no_accessibility_violations(page, theme, server, browser):
    need(AXE.exists(), f"{AXE} missing: run `npm ci` (make test does)")
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    ctx.route("**/*", lambda r: r.continue_() if r.request.url.startswith(server) else r.abort())
    # the theme stores the reader's choice in localStorage; set it before the page loads
    ctx.add_init_script(f"localStorage.setItem('theme', '{theme}'); localStorage.setItem('mode', '{theme}');")
    tab = ctx.new_page()
    open_page(tab, f"{server}/{page}")
    if not page.startswith("handouts/"):  # handouts are plain print pages without a theme switch
        assert tab.evaluate("document.documentElement.dataset.theme") == theme
    assert tab.evaluate("document.documentElement.lang") == "en"
    draw_figures(tab, expected_figures(HTML / page))   # charts draw lazily: check them drawn
    tab.add_script_tag(path=str(AXE))
    result = tab.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}));
    }""")
    ctx.close()
    FINDINGS[f"{page} [{theme}]"] = result
    assert not result, f"{page} [{theme}]: " + "; ".join(
        f'{v["id"]} ({v["impact"]}): {v["help"]} at {v["nodes"]}' for v in result)


def test_register_filters_reachable_by_keyboard(server, browser):
    """The register's menus can be reached with Tab and operated with the keyboard."""
    tab = browser.new_page()
    tab.route("**/*", lambda r: r.continue_() if r.request.url.startswith(server) else r.abort())
    open_page(tab, f"{server}/book/claims-register.html")
    tab.wait_for_function("() => !document.getElementById('register-filters').hidden")
    reached = set()
    for _ in range(300):
        tab.keyboard.press("Tab")
        name = tab.evaluate("document.activeElement && document.activeElement.tagName === 'SELECT'"
                            " ? document.activeElement.name : null")
        if name:
            reached.add(name)
            if name == "verdict":
                before = tab.locator("#register tbody tr:not([hidden])").count()
                tab.keyboard.press("ArrowDown")  # choose the first verdict with the keyboard
                after = tab.locator("#register tbody tr:not([hidden])").count()
                assert after < before, "changing the verdict menu from the keyboard filtered nothing"
        if reached == {"paragraph", "kind", "verdict"}:
            break
    tab.close()
    assert reached == {"paragraph", "kind", "verdict"}, f"reached by Tab: {sorted(reached)}"
