"""What a page makes a reader download and wait for, read from the built HTML (issue #15).

Deterministic: bytes and attributes of the built files, never a timing (speed is measured
by `make bench`, not asserted here).

- No render-blocking script over 20 kB on any page: an external script in <head> without
  defer/async/type="module", or an inline script in <head>.
- JavaScript budget of a chapter page (uncompressed bytes of every script it loads, the
  plotly.js bundle its loader fetches on demand included): CHAPTER_JS_BUDGET_KB.
- plotly.js is never in a <script> tag: only the loader fetches it, and only on pages with a
  figure; every trace type a page draws is registered in the bundle its loader fetches.
- No web font makes text wait: every @font-face in the built stylesheets uses
  font-display:swap, and the icon fonts are declared outside the render-blocking theme CSS,
  in a stylesheet every theme page adds after its first paint (the theme ships Font Awesome
  with `block`; the build moves the rules and fails if they are not found).
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import HTML
from kbook import assets

BLOCKING_LIMIT = 20_000            # bytes, any page
# A chapter page: theme and book scripts (~160 kB) plus the plotly.js basic bundle (1,192 kB,
# fetched only when a chart nears the viewport); about 420 kB gzipped in all.
CHAPTER_JS_BUDGET_KB = 1_400
CHAPTER_JS_WITHOUT_PLOTLY_KB = 200

SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.S)


def pages() -> list[Path]:
    return sorted(p for p in HTML.rglob("*.html") if not p.relative_to(HTML).parts[0].startswith("_"))


def chapters() -> list[Path]:
    return sorted(HTML.glob("book/[0-9][0-9]-*.html"))


def scripts(page: Path, part: str | None = None) -> list[dict]:
    """Every <script> of the page (or of its <head>): src, attributes, bytes."""
    text = page.read_text(encoding="utf-8")
    if part == "head":
        text = text[:text.find("</head>")]
    out = []
    for m in SCRIPT.finditer(text):
        attrs, body = m.group(1), m.group(2)
        src = re.search(r'\bsrc="([^"]+)"', attrs)
        kind = re.search(r'\btype="([^"]+)"', attrs)
        if kind and kind.group(1) not in ("text/javascript", "module"):
            continue   # data (figure JSON, thebe config), not code
        entry = {"attrs": attrs, "src": None, "bytes": len(body.encode())}
        if src:
            path = (page.parent / src.group(1).split("?")[0]).resolve()
            assert path.exists(), f"{page}: script {src.group(1)} is not in the build"
            entry.update(src=src.group(1), bytes=path.stat().st_size, path=path)
        out.append(entry)
    return out


def blocking(entry: dict) -> bool:
    if entry["src"] is None:
        return True
    return not re.search(r'\b(defer|async)\b|type="module"', entry["attrs"])


def test_no_render_blocking_script_over_20_kb(built_html):
    too_big = [(p.relative_to(HTML).as_posix(), s["src"] or "inline", s["bytes"])
               for p in pages() for s in scripts(p, "head") if blocking(s) and s["bytes"] > BLOCKING_LIMIT]
    assert not too_big, f"render-blocking scripts over {BLOCKING_LIMIT:,} bytes: {too_big}"


def test_search_index_only_on_the_search_page(built_html):
    for page in pages():
        srcs = [s["src"] for s in scripts(page) if s["src"]]
        has_index = any(s.split("?")[0].endswith("searchindex.js") for s in srcs)
        assert has_index == (page == HTML / "search.html"), f"{page}: {srcs}"


def _loader(page: Path) -> dict | None:
    for s in scripts(page):
        if s["src"] and s["src"].split("?")[0].endswith(assets.LOADER):
            return s
    return None


def _bundle_of(page: Path) -> Path | None:
    loader = _loader(page)
    if loader is None:
        return None
    name = re.search(r'data-plotly="([^"]+)"', loader["attrs"]).group(1)
    return loader["path"].parent / name


@pytest.mark.parametrize("page", chapters(), ids=lambda p: p.stem)
def test_chapter_javascript_within_budget(page, built_html):
    own = sum(s["bytes"] for s in scripts(page))
    bundle = _bundle_of(page)
    total = own + (bundle.stat().st_size if bundle else 0)
    assert own <= CHAPTER_JS_WITHOUT_PLOTLY_KB * 1000, f"{page.stem}: {own:,} bytes of JavaScript before plotly.js"
    assert total <= CHAPTER_JS_BUDGET_KB * 1000, f"{page.stem}: {total:,} bytes of JavaScript with plotly.js"


def test_plotly_only_fetched_on_demand(built_html):
    for page in pages():
        srcs = [s["src"] for s in scripts(page) if s["src"]]
        assert not [s for s in srcs if "plotly" in s.lower()], f"{page}: plotly.js in a <script> tag: {srcs}"
        loader = _loader(page)
        has_figures = bool(assets.figure_specs(page.read_text(encoding="utf-8")))
        assert (loader is not None) == has_figures, f"{page}: loader {'missing' if has_figures else 'on a page without figures'}"
        if loader:
            assert "defer" in loader["attrs"], f"{page}: the figure loader must be deferred"


def test_every_trace_type_is_in_the_bundle_its_page_loads(built_html):
    used_anywhere = set()
    for page in pages():
        specs = assets.figure_specs(page.read_text(encoding="utf-8"))
        if not specs:
            continue
        bundle = _bundle_of(page)
        assert bundle is not None and bundle.exists(), f"{page}: no plotly bundle next to the loader"
        registered = assets.bundle_trace_types(bundle)
        used = {trace.get("type", "scatter") for spec in specs.values() for trace in spec["data"]}
        used_anywhere |= used
        assert used <= registered, f"{page}: traces {sorted(used - registered)} are not in {bundle.name}"
    assert used_anywhere, "no figure found in the built book"


def test_bundle_is_the_plotly_js_that_plotly_ships():
    """The pinned npm bundle (package-lock.json) is the plotly.js version of the installed plotly."""
    assert assets.check_bundle_version()
    assert {"scatter", "bar"} <= assets.bundle_trace_types()


FONT_FACE = re.compile(r"@font-face\s*\{([^}]*)\}")


def test_no_font_blocks_text(built_html):
    faces = []
    for css in sorted((HTML / "_static").rglob("*.css")):
        for m in FONT_FACE.finditer(css.read_text(encoding="utf-8")):
            display = re.search(r"font-display\s*:\s*([a-z]+)", m.group(1))
            faces.append((css.relative_to(HTML).as_posix(), m.group(1)[:80], display.group(1) if display else "auto"))
    icons = [f for f in faces if "Font Awesome" in f[1]]
    assert len(icons) == assets.ICON_FONT_FACES, f"the theme's icon fonts: {icons}"
    assert {f[0] for f in icons} == {f"_static/{assets.ICON_CSS}"}, icons
    blocking = [f for f in faces if f[2] not in ("swap", "optional", "fallback")]
    assert not blocking, f"@font-face rules that hide text while the font loads: {blocking}"


def test_icon_fonts_added_after_first_paint_on_every_theme_page(built_html):
    for page in pages():
        text = page.read_text(encoding="utf-8")
        if "pydata-sphinx-theme.css" not in text:
            continue
        head = text[:text.find("</head>")]
        assert re.search(r'<script defer src="[^"]*_static/kbook/kbook-icons\.js"></script>', head), page
        assert f'{assets.ICON_CSS}"></noscript>' in head, page
        assert not re.search(r'<link[^>]*icon-fonts\.css', head.replace("<noscript><link", "")), page


def test_icon_font_rewrite_fails_loudly_when_its_pattern_is_missing(tmp_path, built_html):
    source = assets.theme_css_source()
    css = tmp_path / assets.THEME_CSS
    css.parent.mkdir(parents=True)
    (tmp_path / "_static" / assets.STATIC_DIR).mkdir()
    css.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    assert assets.swap_icon_fonts(tmp_path) == assets.ICON_FONT_FACES
    assert "Font Awesome" not in "".join(FONT_FACE.findall(css.read_text(encoding="utf-8")))
    assert css.read_text(encoding="utf-8") == (HTML / assets.THEME_CSS).read_text(encoding="utf-8")
    moved = (tmp_path / "_static" / assets.ICON_CSS).read_text(encoding="utf-8")
    assert moved == (HTML / "_static" / assets.ICON_CSS).read_text(encoding="utf-8")
    assert moved.count("font-display:swap") == assets.ICON_FONT_FACES
    changed = tmp_path / "changed-theme.css"       # a theme release that no longer says `block`
    changed.write_text(source.read_text(encoding="utf-8").replace("font-display:block", "font-display:auto"),
                       encoding="utf-8")
    with pytest.raises(assets.AssetError, match="found 0"):
        assets.swap_icon_fonts(tmp_path, source=changed)
    css.unlink()
    with pytest.raises(assets.AssetError, match="missing"):
        assets.swap_icon_fonts(tmp_path)


def test_no_script_preloaded_ahead_of_first_paint(built_html):
    """A preloaded script is fetched at high priority beside the stylesheets the first paint needs."""
    for page in pages():
        head = page.read_text(encoding="utf-8").split("</head>")[0]
        assert not re.search(r'<link[^>]*rel="preload"[^>]*as="script"', head), page
