"""What a page loads, and when (issue #15: fast on a student's phone).

Called by the Sphinx extension (kbook.sphinx):

1. `figure_html` writes a plotly figure as an empty <div> plus its JSON in a
   <script type="application/json">: nothing runs while the page is parsed.
2. `copy_assets` puts the loader (kbook/static/kbook-figures.js) and the smallest official
   plotly.js partial bundle that draws the book's traces into `_static/kbook/`. The bundle
   comes from node_modules (pinned in package.json / package-lock.json, installed by
   `npm ci`, which `make book` runs); it is never committed. Its version must be the one
   the installed plotly package ships, so figures draw as they do in JupyterLab.
3. `LOADER` / `LOADER_ATTRS`: the loader is added, deferred, only to pages with a figure;
   it fetches the bundle when a figure nears the viewport (see the JS file).
4. `postprocess_page` (on every written page): theme scripts in <head> are deferred, and
   the search index (134 kB) and its two helpers load only on the search page.
5. `label_cells`: text tables get per-cell column labels for the phone card layout.
6. `swap_icon_fonts` / `ICONS`: the theme's stylesheet declares its Font Awesome web fonts
   (275 kB) with `font-display: block` in its render-blocking CSS. The build moves those
   three @font-face rules, set to `swap`, into `_static/kbook/icon-fonts.css`, which a small
   deferred script (kbook/static/kbook-icons.js) adds after the first paint (a <noscript>
   link without JavaScript). The build fails if the rules are not found.
"""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BUNDLE_PACKAGE = "plotly.js-basic-dist-min"          # scatter, bar, pie
BUNDLE_FILE = "plotly-basic.min.js"
NODE_MODULES = REPO / "node_modules"
LOADER_SOURCE = Path(__file__).parent / "static" / "kbook-figures.js"
STATIC_DIR = "kbook"                                    # under the build's _static/
LOADER = f"{STATIC_DIR}/kbook-figures.js"
ICONS_SOURCE = Path(__file__).parent / "static" / "kbook-icons.js"
ICONS = f"{STATIC_DIR}/kbook-icons.js"
ICON_CSS = f"{STATIC_DIR}/icon-fonts.css"
DEFAULT_HEIGHT = 450                                    # plotly's default figure height (px)
# Scripts that only the search page uses (the theme puts them on every page).
SEARCH_ONLY = ("_static/searchtools.js", "_static/language_data.js", "searchindex.js")
# Kept parser-blocking: 319 bytes, and the inline scripts after it set DOCUMENTATION_OPTIONS.
KEEP_BLOCKING = ("_static/documentation_options.js",)


class AssetError(RuntimeError):
    pass


def bundle_path() -> Path:
    return NODE_MODULES / BUNDLE_PACKAGE / BUNDLE_FILE


def bundle_version() -> str:
    pkg = NODE_MODULES / BUNDLE_PACKAGE / "package.json"
    if not pkg.exists():
        raise AssetError(f"{pkg} is missing: run `npm ci` in the repository (`make book` does it)")
    return json.loads(pkg.read_text(encoding="utf-8"))["version"]


def bundle_static_name() -> str:
    return f"{STATIC_DIR}/plotly-basic-{bundle_version()}.min.js"


def check_bundle_version() -> str:
    """The bundle's plotly.js must be the version the installed plotly package ships."""
    from plotly.offline import get_plotlyjs_version

    ours, shipped = bundle_version(), get_plotlyjs_version()
    if ours != shipped:
        raise AssetError(f"{BUNDLE_PACKAGE} is {ours} but plotly ships plotly.js {shipped}: "
                         f"pin {BUNDLE_PACKAGE}@{shipped} in package.json and run `npm ci`")
    return ours


def bundle_trace_types(path: Path | None = None) -> set[str]:
    """Trace types the bundle registers (each trace module declares moduleType:"trace")."""
    text = (path or bundle_path()).read_text(encoding="utf-8")
    return set(re.findall(r'moduleType:"trace",name:"([a-z0-9_]+)"', text))


def loader_attrs() -> dict[str, str]:
    """Attributes of the loader's <script>: deferred, and where the bundle is (relative to it)."""
    return {"loading_method": "defer", "data-plotly": Path(bundle_static_name()).name}


def copy_assets(outdir) -> None:
    check_bundle_version()
    static = Path(outdir) / "_static"
    for src, name in ((bundle_path(), bundle_static_name()), (LOADER_SOURCE, LOADER), (ICONS_SOURCE, ICONS)):
        dst = static / name
        dst.parent.mkdir(parents=True, exist_ok=True)
        if not dst.exists() or dst.read_bytes() != src.read_bytes():
            shutil.copyfile(src, dst)


def _json(value) -> str:
    from plotly.io.json import to_json_plotly

    # "</" would end the <script> element early; "<\/" is the same JSON string
    return to_json_plotly(value).replace("</", "<\\/")


def figure_html(content: dict, div_id: str, config: dict) -> str:
    """An empty, sized <div> for the figure and its JSON; the loader draws it when needed.

    The div has the height the figure will have, so nothing below it moves when it draws.
    """
    layout = content.get("layout") or {}
    template_layout = ((layout.get("template") or {}).get("layout") or {})
    height = layout.get("height") or template_layout.get("height") or DEFAULT_HEIGHT
    spec = '{"data":%s,"layout":%s,"config":%s}' % (
        _json(content.get("data") or []), _json(layout), _json(config))
    return (f'<div id="{div_id}" class="plotly-graph-div" data-kbook-figure '
            f'style="height:{int(height)}px; width:100%;"></div>'
            f'<script type="application/json" id="{div_id}-json">{spec}</script>')


def figure_specs(html: str) -> dict[str, dict]:
    """The figures of a built page: {div id: {"data", "layout", "config"}}."""
    return {m.group(1): json.loads(m.group(2)) for m in re.finditer(
        r'<script type="application/json" id="(fig-[^"]+)-json">(.*?)</script>', html, re.S)}


HEAD_SCRIPT = re.compile(r'\n?[ \t]*<script\b([^>]*?)\bsrc="([^"]+)"([^>]*)></script>')


# The theme preloads its two deferred scripts (bootstrap.js, pydata-sphinx-theme.js), which
# fetches them at high priority ahead of the first paint; their <script defer> at the end of
# the body fetches them anyway, after the stylesheets.
PRELOAD_SCRIPT = re.compile(r'\n?[ \t]*<link rel="preload" as="script" href="[^"]+" />')


def postprocess_page(text: str, search_page: bool) -> str:
    """Defer the theme's scripts in <head>, drop its script preloads; keep the search scripts to
    the search page."""
    end = text.find("</head>")
    if end < 0:
        return text
    head = text[:end]

    def fix(m: re.Match) -> str:
        attrs, path = m.group(1) + m.group(3), m.group(2).split("?")[0]
        if path.endswith(SEARCH_ONLY) and not search_page:
            return ""
        if re.search(r'\b(defer|async)\b|type="module"', attrs) or path.endswith(KEEP_BLOCKING):
            return m.group(0)
        return m.group(0).replace("<script", "<script defer", 1)

    return PRELOAD_SCRIPT.sub("", HEAD_SCRIPT.sub(fix, head)) + text[end:]


# Text tables (a record per row) turn into stacked cards on a phone (see kbook.css); each
# cell then shows its column's header, which the build copies into data-label.
CARD_TABLE = re.compile(r'(<table class="data-table (?:records|claims-table)"[^>]*>)(.*?)</table>', re.S)
NUMBER = re.compile(r"[−\-+]?\d[\d,.]*\s*%?|–")


def _text(fragment: str) -> str:
    import html as html_lib

    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def label_cells(text: str) -> str:
    """Give every body cell of a text table its column header (data-label) and explicit table
    roles, so the stacked phone layout keeps its meaning for screen readers; mark numeric
    cells of other data tables (class="num") so only numbers are right-aligned."""
    import html as html_lib

    def cards(m: re.Match) -> str:
        head, body = m.group(1), m.group(2)
        headers = [_text(h) for h in re.findall(r"<th[^>]*>(.*?)</th>", body.split("</thead>")[0], re.S)]

        def row(r: re.Match) -> str:
            cells = iter(headers)
            return re.sub(r"<td(?=[ >])", lambda c: f'<td data-label="{html_lib.escape(next(cells, ""))}"',
                          r.group(0))

        body = re.sub(r"<tr\b.*?</tr>", row, body, flags=re.S)
        body = (body.replace("<thead>", '<thead role="rowgroup">').replace("<tbody>", '<tbody role="rowgroup">')
            .replace("<th>", '<th role="columnheader">').replace("<td ", '<td role="cell" '))
        return head.replace("<table", '<table role="table"', 1) + re.sub(r"<tr(?=[ >])", '<tr role="row"', body) + "</table>"

    text = CARD_TABLE.sub(cards, text)

    def numeric(m: re.Match) -> str:
        return re.sub(r"<td>(.*?)</td>", lambda c: f'<td class="num">{c.group(1)}</td>'
                      if NUMBER.fullmatch(_text(c.group(1))) else c.group(0), m.group(0), flags=re.S)

    return re.sub(r'<table class="dataframe data-table">.*?</table>', numeric, text, flags=re.S)


# The theme's stylesheet and the rules moved out of it: one @font-face per Font Awesome font.
# The rewrite always starts from the theme's own file (Sphinx copies it into the build only
# when it has pages to write, so the built copy may already be rewritten).
THEME_CSS = "_static/styles/pydata-sphinx-theme.css"
ICON_FONT_FACE = re.compile(r"@font-face\{font-display:block;(font-family:Font Awesome\\ 6 [^}]*)\}")
ICON_FONT_FACES = 3                                      # solid, regular, brands


def theme_css_source() -> Path:
    import pydata_sphinx_theme

    return (Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme"
            / "static" / "styles" / "pydata-sphinx-theme.css")


def swap_icon_fonts(outdir, source: Path | None = None) -> int:
    """Write the theme's CSS into the build without its Font Awesome @font-face rules, and
    those rules (font-display:swap) into ICON_CSS, loaded after the first paint.

    Both files sit one level under _static/, so the fonts' relative URLs stay right.
    Raises AssetError unless exactly ICON_FONT_FACES rules are found in the theme's file (no
    silent no-op if the theme changes its stylesheet)."""
    source = source or theme_css_source()
    css = Path(outdir) / THEME_CSS
    if not source.exists() or not css.exists():
        raise AssetError(f"{source if not source.exists() else css} is missing: "
                         "cannot move the icon fonts out of the first paint")
    text = source.read_text(encoding="utf-8")
    faces = ["@font-face{font-display:swap;%s}" % m.group(1) for m in ICON_FONT_FACE.finditer(text)]
    if len(faces) != ICON_FONT_FACES:
        raise AssetError(f"{source}: expected {ICON_FONT_FACES} Font Awesome @font-face rules with "
                         f"font-display:block, found {len(faces)}; update ICON_FONT_FACE in {__file__}")
    for path, body in ((css, ICON_FONT_FACE.sub("", text)),
                       (Path(outdir) / "_static" / ICON_CSS,
                        "/* Font Awesome's @font-face rules, moved out of the theme's stylesheet by "
                        "kbook/assets.py */\n" + "\n".join(faces) + "\n")):
        if not path.exists() or path.read_text(encoding="utf-8") != body:
            path.write_text(body, encoding="utf-8")
    return len(faces)


DOC_OPTIONS = re.compile(r'<script src="([^"]*)_static/documentation_options\.js[^"]*"></script>')


def add_icon_fonts(text: str) -> str:
    """Every page: the deferred script that adds ICON_CSS after the first paint."""
    if "</head>" not in text or ICONS in text or "pydata-sphinx-theme.css" not in text:
        return text   # not a theme page (redirect, handout), or done already
    m = DOC_OPTIONS.search(text)
    if not m:
        raise AssetError("a page without documentation_options.js: cannot place the icon fonts")
    root = m.group(1)
    tags = (f'<script defer src="{root}_static/{ICONS}"></script>'
            f'<noscript><link rel="stylesheet" href="{root}_static/{ICON_CSS}"></noscript>\n')
    return text.replace("</head>", tags + "</head>", 1)


def postprocess(outdir) -> None:
    out = Path(outdir)
    swap_icon_fonts(out)
    for page in out.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        fixed = label_cells(postprocess_page(text, search_page=page == out / "search.html"))
        fixed = add_icon_fonts(fixed)
        if fixed != text:
            page.write_text(fixed, encoding="utf-8")
