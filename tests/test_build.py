"""The built book and the repository: pinned, complete, offline, deterministic figure ids."""
from __future__ import annotations

import re
import subprocess
import sys

import nbformat
import yaml

from conftest import BOOK, REPO, tracked_files


def _toc_files():
    toc = yaml.safe_load((REPO / "_toc.yml").read_text())
    return [toc["root"]] + [c["file"] for part in toc["parts"] for c in part["chapters"]]


def test_requirements_pinned_and_jupyter_book_1():
    lines = [l.strip() for l in (REPO / "requirements.txt").read_text().splitlines()
             if l.strip() and not l.startswith("#")]
    for line in lines:
        assert re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[0-9][A-Za-z0-9.\-+]*", line), f"not pinned exactly: {line}"
    jb = next(l for l in lines if l.startswith("jupyter-book=="))
    assert jb.split("==")[1].startswith("1."), "Jupyter Book must stay on 1.x"


def test_pip_check_clean():
    out = subprocess.run([sys.executable, "-m", "pip", "check"], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


def test_every_toc_page_is_built(built_html):
    for f in _toc_files():
        assert (built_html / f"{f}.html").exists(), f"{f}.html was not built"


def test_notebooks_executed_with_outputs_and_no_skips():
    for nb_path in sorted(BOOK.glob("*.ipynb")):
        nb = nbformat.read(nb_path, 4)
        assert nb.metadata["kernelspec"]["name"] == "python3", f"{nb_path.name}: kernelspec"
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            assert cell.execution_count is not None, f"{nb_path.name}: a code cell was not executed"
            tags = cell.metadata.get("tags", [])
            assert not any(t.startswith("nbval-skip") or t == "raises-exception" for t in tags), (
                f"{nb_path.name}: cell tagged {tags}; nbval must check every cell")
            for out in cell.outputs:
                assert out.output_type != "error", f"{nb_path.name}: committed error output"
                assert out.get("name") != "stderr", f"{nb_path.name}: committed stderr output"


REMOTE = re.compile(r"""<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)=["'](?:https?:)?//""", re.I)


def test_no_remote_assets_in_built_pages(built_html):
    for page in built_html.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        # sphinx-thebe (part of Jupyter Book 1) declares where it would fetch thebe from if a
        # reader pressed a live-code button; the book has no such button, and the browser test
        # proves nothing is fetched. Only that declaration is exempt.
        html = re.sub(r'const THEBE_JS_URL = "https://unpkg\.com/thebe@[0-9.]+/lib/index\.js"', "", html)
        assert not REMOTE.search(html), f"{page}: loads a remote asset: {REMOTE.search(html).group(0)}"
        for host in ("cdn.plot.ly", "cdn.jsdelivr.net", "unpkg.com", "cdnjs.cloudflare.com",
                     "mathjax"):
            assert host not in html.lower(), f"{page}: mentions {host}"


def test_plotly_loaded_locally_once_on_figure_pages_only(built_html):
    ids = set()
    for page in built_html.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        scripts = re.findall(r'<script[^>]+src="([^"]*plotly[^"]*)"', html)
        figures = re.findall(r'<div id="(fig-[^"]+)" class="plotly-graph-div"', html)
        loader = re.findall(r'<script data-plotly="([^"]+)" defer="defer" src="([^"]*_static/kbook/kbook-figures\.js)[^"]*"', html)
        if figures:
            # no plotly.js in the page: the deferred loader fetches the bundle next to it
            assert not scripts and len(loader) == 1, f"{page}: {scripts} {loader}"
            js = (page.parent / loader[0][1]).resolve()
            assert js.exists() and (js.parent / loader[0][0]).exists(), f"{page}: {loader}"
        else:
            assert not scripts and not loader, f"{page}: plotly.js loaded on a page without figures"
        for fid in figures:
            assert re.fullmatch(r"fig-[a-z0-9-]+-c\d+-o\d+", fid), f"{page}: non-deterministic id {fid}"
            assert fid not in ids, f"duplicate figure id {fid}"
            ids.add(fid)
    assert len(ids) >= 10


def test_data_downloads_present(built_html):
    for csv in (REPO / "data").glob("*.csv"):
        copy = built_html / "data" / csv.name
        assert copy.exists() and copy.read_bytes() == csv.read_bytes(), f"{copy} missing or stale"


def test_repository_address_for_the_launch_buttons():
    """_config.yml names the repository; a GitHub Actions build or KBOOK_REPOSITORY_URL overrides it."""
    import pytest
    from sphinx.errors import ExtensionError

    import kbook_sphinx as ext
    configured = yaml.safe_load((REPO / "_config.yml").read_text())["repository"]["url"]
    assert ext.repository_url(configured, {}) == (configured.rstrip("/"), "_config.yml (repository.url)")
    actions = {"GITHUB_ACTIONS": "true", "GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "fork/book"}
    assert ext.repository_url(configured, actions)[0] == "https://github.com/fork/book"
    override = {**actions, "KBOOK_REPOSITORY_URL": "https://github.com/mirror/book.git/"}
    assert ext.repository_url(configured, override) == ("https://github.com/mirror/book", "KBOOK_REPOSITORY_URL")
    for bad in ("", "github.com/owner/repo", "https://example.org/owner/repo", "https://github.com/owner"):
        with pytest.raises(ExtensionError, match="KBOOK_REPOSITORY_URL.*https://github.com/<owner>/<repository>"):
            ext.repository_url(configured, {"KBOOK_REPOSITORY_URL": bad or " x "})
    with pytest.raises(ExtensionError, match=r"_config.yml \(repository.url\)"):
        ext.repository_url("", {})


def test_every_chapter_notebook_has_launch_buttons(built_html):
    """Binder (JupyterLab on mybinder.org) and local JupyterLab on every notebook page, none elsewhere."""
    import os
    import html as html_lib

    import kbook_sphinx as ext
    cfg = yaml.safe_load((REPO / "_config.yml").read_text())
    repo_url, _ = ext.repository_url(cfg["repository"]["url"], os.environ)
    owner, name = repo_url.split("/")[-2:]
    branch = os.environ.get("KBOOK_REPOSITORY_BRANCH") or cfg["repository"]["branch"]
    tracked = set(tracked_files())
    notebooks = 0
    for f in _toc_files():
        page = html_lib.unescape((built_html / f"{f}.html").read_text(encoding="utf-8"))
        if not (REPO / f"{f}.ipynb").exists():
            assert "dropdown-launch-buttons" not in page, f"{f}: launch menu on a page with no notebook"
            continue
        notebooks += 1
        assert f"{f}.ipynb" in tracked, f"{f}.ipynb is not in the repository, so Binder could not open it"
        binder = f"https://mybinder.org/v2/gh/{owner}/{name}/{branch}?urlpath=lab/tree/{f}.ipynb"
        assert f'href="{binder}"' in page, f"{f}: no Binder button opening {binder}"
        assert f'href="{ext.LOCAL_LAB}/{f}.ipynb"' in page, f"{f}: no JupyterLab (this computer) button"
    assert notebooks >= 10, notebooks


def test_make_lab_serves_where_the_local_buttons_point():
    """`make lab` starts JupyterLab at the repository root, on the port the buttons use, and fails
    rather than moving to another port (where the buttons would not find it)."""
    from urllib.parse import urlparse

    from kbook_sphinx import LOCAL_LAB

    lab = urlparse(LOCAL_LAB)
    cmd = subprocess.run(["make", "-n", "lab"], cwd=REPO, capture_output=True, text=True, check=True).stdout
    line = next(l for l in cmd.splitlines() if "jupyter lab" in l)
    assert f"--ServerApp.port={lab.port}" in line and "--ServerApp.port_retries=0" in line, line
    assert f"--ServerApp.root_dir={REPO}" in line, line
    assert lab.path == "/lab/tree"


def test_publishing_workflow_builds_with_the_readme_command():
    """The GitHub Pages workflow builds with `make book` and publishes the directory it writes."""
    flow = yaml.safe_load((REPO / ".github" / "workflows" / "book.yml").read_text())
    steps = flow["jobs"]["deploy"]["steps"]
    assert any(s.get("run") == "make book" for s in steps)
    upload = next(s for s in steps if str(s.get("uses", "")).startswith("actions/upload-pages-artifact"))
    makefile = (REPO / "Makefile").read_text()
    assert "_build/html/index.html" in makefile and upload["with"]["path"] == "_build/html"
    python = next(s for s in steps if str(s.get("uses", "")).startswith("actions/setup-python"))
    assert python["with"]["python-version"] == (REPO / "runtime.txt").read_text().strip().removeprefix("python-")
