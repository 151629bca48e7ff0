"""Every HTML fragment kbook writes comes from a Jinja2 template in `templates/`, escaped by default.

    render("source_line.html", table="claims", ...)  ->  Markup

Autoescape is on for every template: a value from the data ("A & B", "<script>") arrives
as text (`A &amp; B`, `&lt;script&gt;`). A fragment that was itself rendered by a template
(or written by pandas' `to_html`, which escapes its cells) is passed on as `Markup` and is
not escaped twice; no template marks a data value `|safe`.
"""
from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

TEMPLATES = Path(__file__).resolve().parent / "templates"

ENV = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
ENV.filters["date"] = lambda value, fmt="%Y-%m-%d": "" if value is None else value.strftime(fmt)


def render(template: str, **ctx) -> Markup:
    """The template `template` rendered with `ctx`, as Markup (safe to pass into another template)."""
    return Markup(ENV.get_template(template).render(**ctx))


def trusted(html: str) -> Markup:
    """Mark HTML that an escaping writer produced (pandas' to_html with escape=True) as safe."""
    return Markup(html)


__all__ = ["ENV", "Markup", "escape", "render", "trusted"]
