"""Stage 3: render the catalogue into Markdown pages through Jinja templates.

Escaping is the default, not a filter to remember: every `{{ value }}` in a
template is escaped for Markdown (see `markdown_text`) unless it is already
`Markup`, which only the `url` filter and `Markup`-returning helpers produce.
So a description containing `<script>`, `|` or `**` shows up as those
characters, never as markup, and cannot break a table.

Pages come back as {path inside docs: Markdown}; `write_pages` puts them on
disk all at once or not at all.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path
from urllib.parse import quote

import jinja2
from markupsafe import Markup

from .catalogue import Catalogue

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "templates"

# Characters with a meaning inside a line of Markdown (with the extensions
# mkdocs.yml enables); each is backslash-escaped. `& < >` become entities.
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]{}#|])")
# What only means something at the start of a line: headings, lists, quotes,
# setext underlines, definition lists.
_LINE_START_SPECIAL = re.compile(r"^([-+*=>:#]|\d+(?=[.)]))")


def markdown_text(value: object) -> str:
    """`value` as one paragraph of literal text in Markdown."""
    text = " ".join(str(value).split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _INLINE_SPECIAL.sub(r"\\\1", text)
    match = _LINE_START_SPECIAL.match(text)
    if match and match.group(1).isdigit():  # "1. text" would start a list
        text = text[: match.end()] + "\\" + text[match.end() :]
    elif match:
        text = "\\" + text
    return text


def markdown_url(url: str) -> Markup:
    """A URL safe to put inside `[label](...)`: brackets, spaces and quotes encoded."""
    return Markup(quote(str(url), safe=":/?#[]@!$&*+,;=%-._~"))


def _escape_output(value: object) -> object:
    return value if isinstance(value, Markup) else markdown_text(value)


def make_environment(templates_dir: Path = TEMPLATES_DIR) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir),
        undefined=jinja2.StrictUndefined,
        finalize=_escape_output,
        autoescape=False,  # Markdown, not HTML: `finalize` does the escaping
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["url"] = markdown_url
    return env


def render_pages(catalogue: Catalogue, templates_dir: Path = TEMPLATES_DIR) -> dict[str, str]:
    """Every generated page, keyed by its path inside the docs folder."""
    env = make_environment(templates_dir)
    pages = {"index.md": env.get_template("index.md.j2").render(catalogue=catalogue)}
    category_template = env.get_template("category.md.j2")
    for category in catalogue.categories:
        pages[category_page(category.id)] = category_template.render(catalogue=catalogue, category=category)
    return pages


def category_page(category_id: str) -> str:
    return f"{category_id}.md"


def write_pages(pages: dict[str, str], out_dir: Path) -> None:
    """Replace `out_dir` with exactly `pages`; on any failure the old folder stays as it was."""
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-", dir=out_dir.parent))
    try:
        for relative, content in pages.items():
            target = staging / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content, encoding="utf-8", newline="\n")
        if out_dir.exists():
            retired = out_dir.with_name(f".{out_dir.name}-old-{os.getpid()}")
            out_dir.rename(retired)
            staging.rename(out_dir)
            shutil.rmtree(retired)
        else:
            staging.rename(out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
