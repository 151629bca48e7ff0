"""Sphinx extension of the book: offline plotly figures and downloadable data.

1. Plotly figures.  In a plain kernel plotly's `fig.show()` emits only the
   `application/vnd.plotly.v1+json` output, which myst-nb cannot render: the
   figure would be silently missing from the HTML. This extension renders that
   JSON at build time into a <div> with a deterministic id (page + cell +
   output), without a CDN, MathJax or require.js. The figure's JSON waits in
   the page; a small deferred loader fetches plotly.js (the official partial
   bundle at the version plotly ships) when a figure nears the viewport
   (book/kbook/assets.py). Notebooks need no renderer settings, so JupyterLab and
   Binder keep rendering the same JSON natively.
2. Reproducible pages: no build date on the pages (see `_reproducible`).
3. Seminar handouts: one printable page per chapter in `_build/html/handouts/`.
4. Data downloads.  The curated CSVs and datapackage.json are copied to
   `_build/html/data/`, so every "Data:" link under a figure works offline.
5. Launch menu on every chapter notebook: Binder (mybinder.org, JupyterLab) for the public
   repository (see `repository_url`), and JupyterLab on the reader's computer (`make lab`).
"""
from __future__ import annotations

import html
import os
import re
import shutil
from pathlib import Path

from docutils import nodes
from myst_nb.core import render as nb_render
from sphinx.errors import ExtensionError

PLOTLY_MIME = "application/vnd.plotly.v1+json"
FIGURE_CONFIG = {"displaylogo": False, "responsive": True}
DATA_DIR = Path(__file__).resolve().parents[2] / "data"


def _assets():
    """book/kbook/assets.py: what a page loads and when (plotly bundle, loader, deferral)."""
    import sys

    book = str(DATA_DIR.parent / "book")
    if book not in sys.path:
        sys.path.insert(0, book)
    from kbook import assets

    return assets


class PlotlyMimeRenderer:
    """A myst-nb mime-render plugin for plotly's JSON output."""

    # render the plotly JSON in preference to any other output of the cell
    mime_priority_overrides = [("html", PLOTLY_MIME, 1), ("dirhtml", PLOTLY_MIME, 1)]

    @staticmethod
    def handle_mime(renderer, data, inline):
        if inline or data.mime_type != PLOTLY_MIME:
            return None
        docname = renderer.renderer.document.settings.env.docname
        slug = re.sub(r"[^A-Za-z0-9]+", "-", docname).strip("-")
        div_id = f"fig-{slug}-c{data.cell_index}-o{data.output_index}"
        fig_html = _assets().figure_html(data.content, div_id, FIGURE_CONFIG)
        title = ((data.content.get("layout") or {}).get("title") or {}).get("text") or "Chart"
        label = html.escape(re.sub(r"<[^>]+>", " ", title), quote=True)
        meta = (data.content.get("layout") or {}).get("meta")
        out_id = meta.get("output_id") if isinstance(meta, dict) else None
        id_attr = f' data-output-id="{html.escape(out_id, quote=True)}"' if out_id else ""
        fig_html = (f'<div class="plotly-figure-inner" role="figure" aria-label="{label}"{id_attr}>'
                    f'{fig_html}</div>')
        return [nodes.raw("", fig_html, format="html", classes=["output", "plotly-figure"])]


def _register_plugin() -> None:
    # myst-nb finds mime renderers through the `myst_nb.mime_renderers` entry
    # point group, which needs an installed distribution. The book is not one,
    # so add the plugin to the list myst-nb's renderer reads.
    original = nb_render.load_mime_renders
    if getattr(original, "_kbook", False):
        return

    def load_mime_renders():
        return [PlotlyMimeRenderer, *original()]

    load_mime_renders._kbook = True
    nb_render.load_mime_renders = load_mime_renders


def _copy_assets(app) -> None:
    if app.builder.format != "html":
        return
    out = Path(app.outdir)
    try:
        _assets().copy_assets(out)
    except _assets().AssetError as err:
        raise ExtensionError(str(err)) from None
    data_out = out / "data"
    data_out.mkdir(exist_ok=True)
    for f in sorted(DATA_DIR.glob("*.csv")) + [DATA_DIR / "datapackage.json"]:
        shutil.copyfile(f, data_out / f.name)


def _write_handouts(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    import sys

    sys.path.insert(0, str(DATA_DIR.parent / "book"))
    from kbook.handouts import write_handouts

    write_handouts(app.outdir)


SIDEBAR = '<div id="pst-primary-sidebar" class="bd-sidebar-primary bd-sidebar">'
SIDEBAR_LANDMARK = SIDEBAR[:-1] + ' role="navigation" aria-label="Book">'
# The theme's page template loads Font Awesome's JavaScript (1.5 MB), which only redraws the
# icons as SVG: its stylesheet already draws every icon the book uses from a web font.
FONTAWESOME_JS = re.compile(r'\s*<script defer src="[^"]*_static/scripts/fontawesome\.js\?digest=[0-9a-f]+"></script>')


def _postprocess_pages(app, exception) -> None:
    """Two fixes to the theme's page template, applied to every written page.

    1. The left sidebar holds the book title link outside any landmark, so screen-reader users
       cannot jump to it (axe: "region"): the whole sidebar becomes a labelled navigation
       landmark; its table of contents stays the nested "Main" navigation.
    2. Font Awesome's script is dropped (see FONTAWESOME_JS).
    """
    if exception is not None or app.builder.format != "html":
        return
    for page in Path(app.outdir).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        fixed = FONTAWESOME_JS.sub("", text.replace(SIDEBAR, SIDEBAR_LANDMARK))
        if fixed != text:
            page.write_text(fixed, encoding="utf-8")


WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def _page_scripts(app, pagename, templatename, context, doctree) -> None:
    # Executing a notebook stores the live explorers' widget state (with random model ids) and
    # myst-nb embeds it in the page. The book shows no widgets (their cells are remove-output and
    # no widget JavaScript is loaded), so the state is dead weight and would make two builds differ.
    # (in place: Sphinx restores the list after each page, and add_js_file below appends to it)
    scripts = context.get("script_files")
    if scripts is not None:
        scripts[:] = [s for s in scripts if getattr(s, "attributes", {}).get("type") != WIDGET_STATE]
    body = context.get("body", "")
    if "plotly-graph-div" in body:
        assets = _assets()
        app.add_js_file(assets.LOADER, priority=100, **assets.loader_attrs())
    # docutils marks bibliography entries with the deprecated ARIA role doc-biblioentry inside a
    # role="list" container that also holds back-link anchors, which screen readers (and axe)
    # reject. The entries read fine as plain blocks, so drop both roles.
    if 'role="doc-biblioentry"' in body:
        context["body"] = (body.replace(' role="doc-biblioentry"', "")
                           .replace('<div role="list" class="citation-list">', '<div class="citation-list">'))


REPO_URL = re.compile(r"https://github\.com/[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")
LOCAL_LAB = "http://localhost:8888/lab/tree"   # where `make lab` serves the repository


def repository_url(configured: str, environ=os.environ) -> tuple[str, str]:
    """The public repository the launch buttons open, and where that address came from.

    In order: KBOOK_REPOSITORY_URL (a fork or a mirror), the repository a GitHub Actions build
    runs in (GITHUB_SERVER_URL/GITHUB_REPOSITORY), else `repository.url` in _config.yml.
    """
    if environ.get("KBOOK_REPOSITORY_URL", "").strip():
        url, origin = environ["KBOOK_REPOSITORY_URL"].strip(), "KBOOK_REPOSITORY_URL"
    elif environ.get("GITHUB_ACTIONS") == "true" and environ.get("GITHUB_REPOSITORY"):
        url = f"{environ.get('GITHUB_SERVER_URL', 'https://github.com')}/{environ['GITHUB_REPOSITORY']}"
        origin = "GITHUB_REPOSITORY"
    else:
        url, origin = (configured or "").strip(), "_config.yml (repository.url)"
    url = url.rstrip("/").removesuffix(".git")
    if not REPO_URL.fullmatch(url):
        raise ExtensionError(
            f"{origin}: {url!r} is not a GitHub repository address of the form "
            "https://github.com/<owner>/<repository>; the Binder launch buttons need one.")
    return url, origin


def _launch_buttons(app, config) -> None:
    """Point the launch menu (configured in _config.yml: `repository`, `launch_buttons`) at the
    repository `repository_url` chooses, and at KBOOK_REPOSITORY_BRANCH if that is set."""
    opts = dict(config.html_theme_options or {})
    opts["repository_url"], _ = repository_url(opts.get("repository_url", ""))
    if os.environ.get("KBOOK_REPOSITORY_BRANCH"):
        opts["repository_branch"] = os.environ["KBOOK_REPOSITORY_BRANCH"]
    config.html_theme_options = opts


def _local_lab_button(app, pagename, templatename, context, doctree) -> None:
    # Runs after the theme has built its launch group (priority 501): add JupyterLab on this
    # computer, which works with no network once `make lab` is running.
    for group in context.get("header_buttons", []):
        if group.get("label") == "launch-buttons":
            for button in group["buttons"]:
                if button.get("text") == "Binder":
                    button.update(text="Binder (JupyterLab)", tooltip="Open this chapter in JupyterLab on mybinder.org")
            source = app.env.doc2path(pagename, base=False)
            group["buttons"].append({
                "type": "link", "text": "JupyterLab (this computer)",
                "tooltip": "Open in JupyterLab on your computer: run `make lab` in the repository first",
                "icon": "fas fa-laptop-code", "url": f"{LOCAL_LAB}/{Path(source).as_posix()}"})


def _reproducible(app, config) -> None:
    # Jupyter Book sets html_last_updated_fmt to "", which Sphinx reads as "print the build
    # date on every page": two builds on different days would differ. The book's "as of"
    # dates live in its data instead.
    config.html_last_updated_fmt = None


def setup(app):
    _register_plugin()
    app.connect("config-inited", _reproducible)
    app.connect("config-inited", _launch_buttons)
    app.connect("html-page-context", _local_lab_button, priority=502)
    app.connect("builder-inited", _copy_assets)
    app.connect("html-page-context", _page_scripts)
    app.connect("build-finished", _write_handouts)
    app.connect("build-finished", _postprocess_pages)
    app.connect("build-finished", lambda app, exc: exc is None and app.builder.format == "html"
                and _assets().postprocess(app.outdir))
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
