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
5. Launch menu on every chapter notebook: JupyterLab on the reader's computer (`make lab`), and
   Binder (mybinder.org, JupyterLab) when the build knows the book's public repository (see
   `repository_url`); without one there are no repository, issues or Binder buttons.
6. The theme's <head> without Font Awesome's script (`without_fontawesome`, used by
   book/_templates/layout.html). (The sidebar's navigation landmark needs no code: it is the
   template book/_templates/kbook-sidebar.html, set by `html_sidebars` in _config.yml.)
"""
from __future__ import annotations

import html
import os
import re
import shutil
from pathlib import Path

from docutils import nodes
from markupsafe import Markup
from sphinx.errors import ExtensionError

from . import assets

PLOTLY_MIME = "application/vnd.plotly.v1+json"
FIGURE_CONFIG = {"displaylogo": False, "responsive": True}
DATA_DIR = Path(__file__).resolve().parents[2] / "data"


class PlotlyMimeRenderer:
    """A myst-nb mime-render plugin for plotly's JSON output.

    Registered in pyproject.toml under myst-nb's entry point group `myst_nb.mime_renderers`.
    """

    # render the plotly JSON in preference to any other output of the cell
    mime_priority_overrides = [("html", PLOTLY_MIME, 1), ("dirhtml", PLOTLY_MIME, 1)]

    @staticmethod
    def handle_mime(renderer, data, inline):
        if inline or data.mime_type != PLOTLY_MIME:
            return None
        docname = renderer.renderer.document.settings.env.docname
        slug = re.sub(r"[^A-Za-z0-9]+", "-", docname).strip("-")
        div_id = f"fig-{slug}-c{data.cell_index}-o{data.output_index}"
        fig_html = assets.figure_html(data.content, div_id, FIGURE_CONFIG)
        title = ((data.content.get("layout") or {}).get("title") or {}).get("text") or "Chart"
        label = html.escape(re.sub(r"<[^>]+>", " ", title), quote=True)
        meta = (data.content.get("layout") or {}).get("meta")
        out_id = meta.get("output_id") if isinstance(meta, dict) else None
        id_attr = f' data-output-id="{html.escape(out_id, quote=True)}"' if out_id else ""
        fig_html = (f'<div class="plotly-figure-inner" role="figure" aria-label="{label}"{id_attr}>'
                    f'{fig_html}</div>')
        return [nodes.raw("", fig_html, format="html", classes=["output", "plotly-figure"])]


def _copy_assets(app) -> None:
    if app.builder.format != "html":
        return
    out = Path(app.outdir)
    try:
        assets.copy_assets(out)
    except assets.AssetError as err:
        raise ExtensionError(str(err)) from None
    data_out = out / "data"
    data_out.mkdir(exist_ok=True)
    for f in sorted(DATA_DIR.glob("*.csv")) + [DATA_DIR / "datapackage.json"]:
        shutil.copyfile(f, data_out / f.name)


def _write_handouts(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    from .handouts import write_handouts

    write_handouts(app.outdir)


# The theme's page template loads Font Awesome's JavaScript (1.5 MB), which only redraws the
# icons as SVG: its stylesheet already draws every icon the book uses from a web font. The book's
# layout.html (book/_templates) passes the theme's <head> block through this filter.
FONTAWESOME_JS = re.compile(r'\s*<script defer src="[^"]*_static/scripts/fontawesome\.js\?digest=[0-9a-f]+"></script>')


def without_fontawesome(head: str) -> Markup:
    """The theme's <head> assets without the Font Awesome script; fails the build if the theme
    no longer writes that script the way this filter expects (a theme update to look at)."""
    fixed, found = FONTAWESOME_JS.subn("", str(head))
    if found != 1:
        raise ExtensionError(
            f"kbook: expected the theme's <head> to load _static/scripts/fontawesome.js once, found "
            f"{found}; the theme's templates changed: update book/_templates/layout.html and "
            "kbook.sphinx.FONTAWESOME_JS")
    return Markup(fixed)


def _template_filters(app) -> None:
    if app.builder.format == "html":
        app.builder.templates.environment.filters["kbook_without_fontawesome"] = without_fontawesome


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
        app.add_js_file(assets.LOADER, priority=100, **assets.loader_attrs())
    # docutils marks bibliography entries with the deprecated ARIA role doc-biblioentry inside a
    # role="list" container that also holds back-link anchors, which screen readers (and axe)
    # reject. The entries read fine as plain blocks, so drop both roles.
    if 'role="doc-biblioentry"' in body:
        context["body"] = (body.replace(' role="doc-biblioentry"', "")
                           .replace('<div role="list" class="citation-list">', '<div class="citation-list">'))


REPO_URL = re.compile(r"https://github\.com/[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")
LOCAL_LAB = "http://localhost:8888/lab/tree"   # where `make lab` serves the repository


PUBLIC_TAG = "kbook_public"   # Sphinx tag set when the build knows the public repository


def repository_url(configured: str = "", environ=os.environ) -> tuple[str | None, str]:
    """The public repository the launch and repository buttons open, and where it came from.

    In order: KBOOK_REPOSITORY_URL (given explicitly: a fork, a mirror, or the book's own address
    once it is published), the repository a GitHub Actions build runs in
    (GITHUB_SERVER_URL/GITHUB_REPOSITORY), else `repository.url` in _config.yml, which the book
    leaves empty until it has a public address. Without any, the address is None and the build
    shows no repository, issues or Binder buttons. An address that is given but is not a GitHub
    repository address stops the build.
    """
    if environ.get("KBOOK_REPOSITORY_URL", "").strip():
        url, origin = environ["KBOOK_REPOSITORY_URL"].strip(), "KBOOK_REPOSITORY_URL"
    elif environ.get("GITHUB_ACTIONS") == "true" and environ.get("GITHUB_REPOSITORY"):
        url = f"{environ.get('GITHUB_SERVER_URL', 'https://github.com')}/{environ['GITHUB_REPOSITORY']}"
        origin = "GITHUB_REPOSITORY"
    elif (configured or "").strip():
        url, origin = configured.strip(), "_config.yml (repository.url)"
    else:
        return None, "no public repository address (KBOOK_REPOSITORY_URL, GITHUB_REPOSITORY, repository.url)"
    url = url.rstrip("/").removesuffix(".git")
    if not REPO_URL.fullmatch(url):
        raise ExtensionError(
            f"{origin}: {url!r} is not a GitHub repository address of the form "
            "https://github.com/<owner>/<repository>; the Binder launch buttons need one.")
    return url, origin


def publication_options(opts: dict, url: str | None) -> dict:
    """The theme options for a build with (url) or without (None) a public repository address.

    With one: the repository and issues buttons, and Binder in the launch menu (binderhub_url
    from _config.yml). Without: none of the three, so no button leads to a page that does not
    exist; the launch menu keeps JupyterLab on this computer (see `_local_lab_button`).
    """
    opts = dict(opts or {})
    opts["use_repository_button"] = opts["use_issues_button"] = url is not None
    launch = dict(opts.get("launch_buttons") or {})
    if url is None:
        opts.pop("repository_url", None)
        launch.pop("binderhub_url", None)
    else:
        opts["repository_url"] = url
    opts["launch_buttons"] = launch
    return opts


def _launch_buttons(app, config) -> None:
    """Apply `publication_options` for the address `repository_url` chooses (and the branch
    KBOOK_REPOSITORY_BRANCH, if set); tag the build `kbook_public` when there is an address, so
    pages can say what the published book offers ({only} directive)."""
    url, _ = repository_url((config.html_theme_options or {}).get("repository_url", ""))
    opts = publication_options(config.html_theme_options, url)
    if url and os.environ.get("KBOOK_REPOSITORY_BRANCH"):
        opts["repository_branch"] = os.environ["KBOOK_REPOSITORY_BRANCH"]
    config.html_theme_options = opts
    if url:
        app.tags.add(PUBLIC_TAG)


def _is_notebook_page(app, pagename: str) -> bool:
    return pagename in app.env.all_docs and app.env.doc2path(pagename, base=False).endswith(".ipynb")


def _local_lab_button(app, pagename, templatename, context, doctree) -> None:
    # Runs after the theme has built its launch group (priority 501): add JupyterLab on this
    # computer, which works with no network once `make lab` is running. Without a public address
    # the theme builds no launch group, so the menu holds this entry alone.
    if "header_buttons" not in context or not _is_notebook_page(app, pagename):
        return
    groups = [g for g in context["header_buttons"] if g.get("label") == "launch-buttons"]
    if groups:
        group = groups[0]
    else:
        group = {"type": "group", "tooltip": "Launch interactive content", "icon": "fas fa-rocket",
                 "buttons": [], "label": "launch-buttons"}
        context["header_buttons"].append(group)
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
    app.connect("config-inited", _reproducible)
    app.connect("config-inited", _launch_buttons)
    app.connect("html-page-context", _local_lab_button, priority=502)
    app.connect("builder-inited", _copy_assets)
    app.connect("builder-inited", _template_filters)
    app.connect("html-page-context", _page_scripts)
    app.connect("build-finished", _write_handouts)
    app.connect("build-finished", lambda app, exc: exc is None and app.builder.format == "html"
                and assets.postprocess(app.outdir))
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
