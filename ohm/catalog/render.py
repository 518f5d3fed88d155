"""Stage 3: render the catalogue into Markdown pages through Jinja templates.

Escaping is the default, not a filter to remember: every `{{ value }}` in a
template is escaped for Markdown (see `markdown_text`) unless it is already
`Markup`, which only the `url` filter and `Markup`-returning helpers produce.
So a description containing `<script>`, `|` or `**` shows up as those
characters, never as markup, and cannot break a table.

The comparison table is HTML inside Markdown (see markdown_captions.py):
its cells use the `html` filter, which escapes for HTML instead.

Pages come back as {path inside docs: Markdown}; `write_pages` puts them on
disk all at once or not at all.
"""

from __future__ import annotations

import html
import os
import posixpath
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urljoin

import jinja2
from markupsafe import Markup

from .catalogue import COMMERCIAL_USE_ANSWERS, Catalogue, Model

INDEX_PAGE = "index.md"
TASKS_PAGE = "tasks/index.md"

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


def html_text(value: object) -> Markup:
    """`value` as text inside raw HTML (an element's content or a quoted attribute)."""
    return Markup(html.escape(str(value), quote=True))


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
    env.filters["html"] = html_text
    env.filters["link_from"] = link_from
    env.globals.update(
        category_page=category_page,
        model_page=model_page,
        task_page=task_page,
        index_page=INDEX_PAGE,
        tasks_page=TASKS_PAGE,
        filter_options=filter_options,
        search_text=search_text,
    )
    return env


@dataclass(frozen=True)
class Repository:
    """Where the catalogue file can be edited and read on the project's repository."""

    edit_url: str
    view_url: str | None = None

    @classmethod
    def from_site_config(cls, repo_url: str | None, edit_uri: str | None) -> Repository | None:
        """From MkDocs' repo_url and edit_uri (which points at the docs folder, e.g. edit/main/docs/)."""
        if not repo_url or not edit_uri:
            return None
        docs_folder = urljoin(repo_url.rstrip("/") + "/", edit_uri.rstrip("/") + "/")
        edit_url = urljoin(docs_folder, "../data/models.yaml")
        # GitHub and GitLab show a file at .../blob/<branch>/... and edit it at .../edit/<branch>/...
        view_url = edit_url.replace("/edit/", "/blob/", 1) if "/edit/" in edit_url else None
        return cls(edit_url, view_url)

    def entry_url(self, model: Model) -> str | None:
        """The line where `model`'s entry starts, if the repository can show lines."""
        if self.view_url is None or model.line is None:
            return None
        return f"{self.view_url}#L{model.line}"


def render_pages(
    catalogue: Catalogue, templates_dir: Path = TEMPLATES_DIR, repository: Repository | None = None
) -> dict[str, str]:
    """Every generated page, keyed by its path inside the docs folder."""
    env = make_environment(templates_dir)

    def render(template: str, page: str, **context: object) -> None:
        pages[page] = env.get_template(template).render(
            catalogue=catalogue, repository=repository, page=page, **context
        )

    pages: dict[str, str] = {}
    render("index.md.j2", INDEX_PAGE)
    for category in catalogue.categories:
        render("category.md.j2", category_page(category.id), category=category)
    for model in catalogue.models:
        render("model.md.j2", model_page(model.id), model=model, category=catalogue.category(model.category))
    if catalogue.tasks:
        render("tasks.md.j2", TASKS_PAGE)
    for task in catalogue.tasks:
        render("task.md.j2", task_page(task.id), task=task, models=catalogue.models_for_task(task))
    return pages


def category_page(category_id: str) -> str:
    return f"{category_id}.md"


def model_page(model_id: str) -> str:
    return f"models/{model_id}.md"


def task_page(task_id: str) -> str:
    return f"tasks/{task_id}.md"


def link_from(target: str, page: str) -> Markup:
    """A Markdown link target for `target` (a path in docs, maybe with #anchor) written on `page`."""
    path, hash_, anchor = target.partition("#")
    relative = posixpath.relpath(path, posixpath.dirname(page) or ".")
    return markdown_url(relative + hash_ + anchor)


def search_text(model: Model) -> str:
    """What the table's search box looks through, besides what the row shows."""
    words = [model.name, model.developer, model.description, *model.use_cases, model.license.id]
    return " ".join(word for word in words if word)


def filter_options(catalogue: Catalogue, models: tuple[Model, ...]) -> dict[str, list[tuple[str, str]]]:
    """(value, label) choices for each filter of a comparison table: only what occurs in `models`.

    Declared things (categories, tasks) keep the catalogue's order; the rest go alphabetically.
    """

    def alphabetical(pairs: set[tuple[str, str]]) -> list[tuple[str, str]]:
        return sorted(pairs, key=lambda pair: pair[1].casefold())

    used_tasks = {task for model in models for task in model.tasks}
    return {
        "category": [
            (c.id, c.title) for c in catalogue.categories if any(m.category == c.id for m in models)
        ],
        "use": [
            (use, answer)
            for use, answer in COMMERCIAL_USE_ANSWERS.items()
            if any(m.commercial_use == use for m in models)
        ],
        "license": alphabetical({(m.license.id, m.license.name) for m in models}),
        "kind": alphabetical({(m.kind, m.kind.capitalize()) for m in models}),
        "modality": alphabetical(
            {(modality, modality.capitalize()) for m in models for modality in m.modalities}
        ),
        "task": [(t.id, t.title) for t in catalogue.tasks if t in used_tasks],
    }


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
