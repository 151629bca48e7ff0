"""A real client: JupyterLab from the project's environment, on 127.0.0.1, driven in Chromium.

A chapter is run in full, then the live explorer at its end must respond to a changed dropdown.
"""
from __future__ import annotations

import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import REPO, copy_tracked

pytestmark = pytest.mark.slow   # test tier: left out of `make test-fast`

CHAPTER = "book/05-paper-leviathan.ipynb"
SHOT = REPO / "_build" / "screenshots" / "jupyterlab-explorer.png"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    # JupyterLab autosaves notebooks: run it on a copy of the repository, never on the checkout
    root = copy_tracked(tmp_path_factory.mktemp("lab"))
    port, token = _free_port(), secrets.token_hex(16)
    jupyter = Path(sys.executable).parent / "jupyter"
    proc = subprocess.Popen(
        [str(jupyter), "lab", "--no-browser", f"--ServerApp.port={port}", "--ServerApp.ip=127.0.0.1",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
         "--allow-root", "--LabApp.news_url=", "--LabApp.extension_manager=readonly",
         "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
        cwd=root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=1)
            break
        except Exception:
            if proc.poll() is not None:
                pytest.fail(f"JupyterLab exited: {proc.stdout.read()[-2000:]}")
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail("JupyterLab did not start within 60 s")
    yield url, token
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


def test_chapter_runs_and_explorer_responds_in_jupyterlab(lab, browser, built_html):
    url, token = lab
    # open the chapter where the web book's "JupyterLab (this computer)" button points
    chapter_page = (built_html / CHAPTER).with_suffix(".html").read_text(encoding="utf-8")
    link = re.search(r'href="http://localhost:8888(/lab/tree/[^"?]+)"', chapter_page)
    assert link and link.group(1) == f"/lab/tree/{CHAPTER}", "chapter page has no local JupyterLab button"
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = ctx.new_page()
    page.goto(f"{url}{link.group(1)}?token={token}", wait_until="domcontentloaded")
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)
    # the kernel must be up before the cells are queued
    page.wait_for_selector(".jp-StatusBar-Widget :text-matches('Idle')", timeout=120_000)
    page.click(".lm-MenuBar-itemLabel:text-is('Run')")
    page.click(".lm-Menu-itemLabel:text-is('Run All Cells')")
    dropdown = page.locator(".widget-dropdown select").first
    try:
        dropdown.wait_for(timeout=240_000)
    except Exception:
        SHOT.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOT.with_name("jupyterlab-failure.png")))
        raise
    output = page.locator(".widget-output").last
    page.wait_for_function("() => document.querySelectorAll('.widget-output table').length > 0",
                           timeout=120_000)
    before = output.inner_text()
    assert not page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").count(), (
        "a cell wrote an error in JupyterLab")
    dropdown.select_option(label="Military expenditure (% of GDP)")
    page.wait_for_function(
        "(old) => { const o = [...document.querySelectorAll('.widget-output')].pop();"
        " return o && o.innerText !== old && o.querySelector('table'); }", arg=before, timeout=60_000)
    after = output.inner_text()
    assert after != before
    output.scroll_into_view_if_needed()
    SHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOT))
    ctx.close()
