"""Shared fixtures: paths, the built book served on 127.0.0.1, a headless Chromium."""
from __future__ import annotations

import functools
import http.server
import importlib.util
import os
import shutil
import subprocess
import sys
import re
import threading
from urllib.parse import urljoin, urlparse
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
BOOK = REPO / "book"
HTML = REPO / "_build" / "html"
SHARED = Path(os.environ.get("KBOOK_SHARED", REPO.parent / "shared"))
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

# kbook (and its Sphinx extension, kbook.sphinx) is the installed package (`-e .` in the
# requirements). The scripts are not a package: the tests that reuse scripts/derive_data.py import
# it by name, as the module loaded here from its file.
def _load_script(name: str):
    spec = importlib.util.spec_from_file_location(name, REPO / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


_load_script("derive_data")


def tracked_files() -> list[str]:
    """The files git tracks: what a fresh clone of the repository contains."""
    out = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True)
    return [f for f in out.stdout.decode().split("\0") if f]


def copy_tracked(dst: Path) -> Path:
    """Copy the tracked files to dst, as a stand-in for a fresh clone."""
    for rel in tracked_files():
        (dst / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / rel, dst / rel)
    return dst


def need(condition: bool, why: str) -> None:
    """Skip when a prerequisite is missing locally; in CI a missing prerequisite is a failure."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"CI=true and {why}")
    pytest.skip(why)


def open_page(tab, url: str) -> None:
    """Open url and return once the page says it is complete.

    `networkidle` is not such a signal: while a large synchronous script (plotly.js) runs, the
    parser is blocked and no request is in flight, so "no request for 500 ms" can arrive before
    the rest of the body has been parsed (a test then counted 0 of 39 register rows, or 1 of 2
    figures). The `load` event fires only after the whole document is parsed, every parser-
    blocking and deferred script has run and every subresource has arrived.
    """
    # Jupyter Book's root index.html is only a meta-refresh to book/index.html (the built file
    # says so): then the page to wait for is the one it names.
    built = HTML / urlparse(url).path.lstrip("/")
    target = re.search(r'http-equiv="Refresh" content="0; url=([^"]+)"',
                       built.read_text(encoding="utf-8") if built.is_file() else "", re.I)
    if target:
        with tab.expect_navigation(url=urljoin(url, target.group(1)), wait_until="load"):
            tab.goto(url, wait_until="commit")
    else:
        tab.goto(url, wait_until="load")


def expected_figures(html_file: Path) -> list[str]:
    """The ids of the plotly figures the built page holds, read from the file, not the DOM."""
    import re

    return re.findall(r'<div id="([^"]+)" class="plotly-graph-div"', html_file.read_text(encoding="utf-8"))


def draw_figures(tab, ids: list[str], timeout: int = 15_000) -> None:
    """Bring each figure near the viewport, as a reader scrolling does, and wait until the
    loader (book/kbook/static/kbook-figures.js) says it is drawn: it sets data-kbook-drawn
    once Plotly.newPlot has resolved. No sleeps: the page signals the condition."""
    if ids:   # the loader watches the viewport once the page has loaded and painted
        tab.wait_for_function("document.documentElement.dataset.kbookWatching === 'true'", timeout=timeout)
    for fid in ids:
        tab.locator(f"#{fid}").scroll_into_view_if_needed()
    if ids:
        tab.wait_for_function(
            "ids => ids.every(id => document.getElementById(id)?.dataset.kbookDrawn === 'true'"
            " && document.getElementById(id).querySelector('svg.main-svg'))", arg=ids, timeout=timeout)
    tab.evaluate("window.scrollTo(0, 0)")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output readable
        pass


@pytest.fixture(scope="session")
def built_html() -> Path:
    need((HTML / "index.html").exists(), f"the book is not built ({HTML}); run `make book` first")
    return HTML


@pytest.fixture(scope="session")
def server(built_html):
    handler = functools.partial(_QuietHandler, directory=str(built_html))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="session")
def browser():
    need(Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is not None,
         f"no Chromium at {CHROMIUM} (Debian: apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def pytest_collection_modifyitems(items):
    """Test tiers: a test that reads the built book (the `built_html` fixture, and through it the
    server and the browser) is `slow`, like the modules marked so at their top (builds, kernels,
    JupyterLab, a fresh environment). `make test-fast` runs `-m "not slow"` and builds nothing."""
    for item in items:
        if "built_html" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)
