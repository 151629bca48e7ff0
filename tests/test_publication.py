"""Publication settings that tell the truth: a small book built twice with the book's own
configuration, extension and teaching page, once without a public repository address (as a local
`make book`) and once with one (as GitHub Actions or KBOOK_REPOSITORY_URL gives it). The
repository, issues and Binder buttons, and the teaching page's Binder paragraph, follow the address."""
from __future__ import annotations

import html as html_lib
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml

from conftest import BOOK, REPO

pytestmark = pytest.mark.slow   # test tier: two small Sphinx builds

# a syntactically valid address used only by this test (nothing is fetched from it)
EXAMPLE = "https://github.com/example-owner/example-book"
ADDRESS_VARS = ("KBOOK_REPOSITORY_URL", "KBOOK_REPOSITORY_BRANCH", "GITHUB_ACTIONS", "GITHUB_REPOSITORY")


def _mini_book(root: Path) -> None:
    """The book's _config.yml with its paths made absolute, no execution, and three pages: a
    root page, one notebook and the real teaching page."""
    cfg = yaml.safe_load((REPO / "_config.yml").read_text())
    cfg["execute"]["execute_notebooks"] = "off"
    cfg["html"]["favicon"] = str(REPO / cfg["html"]["favicon"])
    cfg["bibtex_bibfiles"] = [str(REPO / f) for f in cfg["bibtex_bibfiles"]]
    sphinx = cfg["sphinx"]["config"]
    sphinx["templates_path"] = [str(REPO / p) for p in sphinx["templates_path"]]
    sphinx["html_static_path"] = [str(REPO / p) for p in sphinx["html_static_path"]]
    (root / "book").mkdir(parents=True)
    (root / "_config.yml").write_text(yaml.safe_dump(cfg, sort_keys=False))
    (root / "_toc.yml").write_text(yaml.safe_dump({
        "format": "jb-book", "root": "book/index",
        "parts": [{"caption": "Pages", "chapters": [{"file": "book/chapter"}, {"file": "book/teaching"}]}]}))
    (root / "book" / "index.md").write_text("# A small book\n\nThe publication settings, tested.\n")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# A chapter\n\nA notebook page.")])
    nb.metadata.update(kernelspec={"name": "python3", "display_name": "Python 3", "language": "python"},
                       language_info={"name": "python"})
    nbformat.write(nb, root / "book" / "chapter.ipynb")
    (root / "book" / "teaching.md").write_text((BOOK / "teaching.md").read_text(encoding="utf-8"), encoding="utf-8")


def _build(root: Path, **env_extra) -> Path:
    env = {k: v for k, v in os.environ.items() if k not in ADDRESS_VARS}
    env.update(env_extra)
    jb = Path(sys.executable).parent / "jupyter-book"
    run = subprocess.run([str(jb), "build", str(root), "--keep-going"], capture_output=True, text=True, env=env)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    return root / "_build" / "html" / "book"


def _only_blocks() -> dict[str, str]:
    """The teaching page's {only} blocks, by their expression, as the words a reader sees."""
    source = (BOOK / "teaching.md").read_text(encoding="utf-8")
    blocks = dict(re.findall(r"```\{only\} ([^\n]+)\n(.*?)\n```", source, re.S))
    assert set(blocks) == {"kbook_public", "not kbook_public"}, blocks.keys()
    return {k: _words(re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", v)) for k, v in blocks.items()}


def _words(text: str) -> str:
    """The words of a text or page, without markup, punctuation or typographic quotes."""
    return " ".join(re.findall(r"[A-Za-z0-9]+", html_lib.unescape(re.sub(r"<[^>]+>", " ", text))))


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    out = {}
    for label, extra in (("local", {}), ("public", {"KBOOK_REPOSITORY_URL": EXAMPLE})):
        root = tmp_path_factory.mktemp(label)
        _mini_book(root)
        out[label] = _build(root, **extra)
    return out


def test_without_an_address_no_repository_issues_or_binder_buttons(builds):
    from kbook.sphinx import LOCAL_LAB

    chapter = html_lib.unescape((builds["local"] / "chapter.html").read_text(encoding="utf-8"))
    for page in builds["local"].glob("*.html"):
        text = page.read_text(encoding="utf-8")
        for sign in ('href="https://mybinder.org', "source-repository-button", "/issues/new", "github.com/"):
            assert sign not in text, f"{page.name}: {sign} in a build without a public address"
    assert "dropdown-launch-buttons" in chapter, "the launch menu keeps the local JupyterLab entry"
    assert f'href="{LOCAL_LAB}/book/chapter.ipynb"' in chapter
    teaching = _words((builds["local"] / "teaching.html").read_text(encoding="utf-8"))
    blocks = _only_blocks()
    assert blocks["not kbook_public"] in teaching and blocks["kbook_public"] not in teaching


def test_with_an_address_the_buttons_appear(builds):
    from kbook.sphinx import LOCAL_LAB

    cfg = yaml.safe_load((REPO / "_config.yml").read_text())
    owner, name = EXAMPLE.split("/")[-2:]
    chapter = html_lib.unescape((builds["public"] / "chapter.html").read_text(encoding="utf-8"))
    binder = (f"{cfg['launch_buttons']['binderhub_url']}/v2/gh/{owner}/{name}/{cfg['repository']['branch']}"
              "?urlpath=lab/tree/book/chapter.ipynb")
    assert f'href="{binder}"' in chapter, "no Binder entry opening the chapter in JupyterLab"
    assert f'href="{LOCAL_LAB}/book/chapter.ipynb"' in chapter
    assert f'href="{EXAMPLE}"' in chapter and "source-repository-button" in chapter
    assert f'href="{EXAMPLE}/issues/new' in chapter
    teaching = _words((builds["public"] / "teaching.html").read_text(encoding="utf-8"))
    blocks = _only_blocks()
    assert blocks["kbook_public"] in teaching and blocks["not kbook_public"] not in teaching
