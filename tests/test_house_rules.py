"""House rules: no remote reads, no large files outside data/, Binder-ready notebooks,
and every external link well formed and pointing at an original publisher (offline check)."""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlparse

import nbformat

from conftest import BOOK, REPO, tracked_files
from kbook.sources import COPY_HOSTS  # hosts that serve copies of other publishers' pages

MAX_BYTES = 1_000_000


def test_no_large_files_outside_data():
    big = [f for f in tracked_files() if not f.startswith("data/") and (REPO / f).is_file()
           and (REPO / f).stat().st_size > MAX_BYTES]
    assert not big, f"files over 1 MB outside data/: {big}"


def test_no_remote_reads_in_code():
    for nb_path in sorted(BOOK.glob("*.ipynb")):
        for cell in nbformat.read(nb_path, 4).cells:
            if cell.cell_type == "code":
                assert not re.search(r"https?://|urlopen|requests\.|read_csv\(\s*['\"]http", cell.source), (
                    f"{nb_path.name}: a code cell reads from the network: {cell.source[:80]!r}")
    for py in sorted((BOOK / "kbook").glob("*.py")):   # the package, its Sphinx extension included
        text = py.read_text()
        assert not re.search(r"^\s*(import|from)\s+(requests|urllib\.request|http\.client)", text, re.M), (
            f"{py}: imports a network client")


def test_notebooks_ready_for_binder():
    for nb_path in sorted(BOOK.glob("*.ipynb")):
        meta = nbformat.read(nb_path, 4).metadata
        assert meta.get("kernelspec", {}).get("name") == "python3", nb_path.name
        assert meta.get("kernelspec", {}).get("language") == "python", nb_path.name
        assert meta.get("language_info", {}).get("name") == "python", nb_path.name
    assert (REPO / "runtime.txt").read_text().strip().startswith("python-3.11")


def _external_links(root: Path):
    for page in root.rglob("*.html"):
        if page.relative_to(root).parts[0].startswith("_"):
            continue
        for url in re.findall(r'<a [^>]*href="(https?://[^"]*)"', page.read_text(encoding="utf-8")):
            yield page, url


def test_external_links_well_formed_and_original(built_html):
    from kbook.sphinx import LOCAL_LAB  # the launch menu's JupyterLab-on-this-computer link

    problems = []
    for page, url in _external_links(built_html):
        if url.startswith(LOCAL_LAB + "/"):
            continue  # tested in test_build: present on notebook pages, served by `make lab`
        parts = urlparse(url)
        host = parts.hostname or ""
        if (parts.scheme not in ("http", "https") or "." not in host or host.endswith(".")
                or re.search(r"\s", url) or not re.fullmatch(r"[a-z0-9.-]+", host)):
            problems.append(f"{page.name}: malformed {url}")
        elif COPY_HOSTS.search(host):
            problems.append(f"{page.name}: copy, not the original publisher: {url}")
    assert not problems, f"{len(problems)} bad links, e.g. " + "; ".join(sorted(set(problems))[:15])
