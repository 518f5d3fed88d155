"""Stage 3: render the catalogue into Markdown pages through Jinja templates.

Escaping is the default, not a filter to remember: every `{{ value }}` in a
template is escaped for Markdown (see `markdown_text`) unless it is already
`Markup`, which only the `url` filter and `Markup`-returning helpers produce.
So a description containing `<script>`, `|` or `**` shows up as those
characters, never as markup, and cannot break a table.

The comparison table is HTML inside Markdown (see markdown_captions.py):
its cells use the `html` filter, which escapes for HTML instead.

Pages come back as {path inside docs: Markdown}; `write_pages` puts them on
disk all at once or not at all. What a page says about itself (its title, its
description, that the home page hides the navigation) is not written into the
Markdown as text, which a field value could break: `page_meta` gives it as
data, the site's assembly (assemble.py) escapes it for HTML, and each engine's
adapter hands it over (the MkDocs plugin sets it on the page; the Zensical
writer dumps it with YAML as front matter).
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urljoin

import jinja2
from babel import Locale
from markupsafe import Markup

from ohm.catalog import evidence, vocabulary
from ohm.catalog.catalogue import Catalogue, Model
from ohm.files import check_output_folder, replace_folder
from ohm.site import table

from . import facts
from .citation import citation, entry_citation
from .pages import (
    ABOUT_PAGE,
    ALL_MODELS_PAGE,
    CATALOGUE_DATA,
    CATALOGUE_FEED,
    CHANGES_PAGE,
    CITE_PAGE,
    COMPARE_PAGE,
    COMPLETE_LIST_ROWS,
    INDEX_PAGE,
    MODEL_NAMES,
    TABLE_INDEX,
    TABLE_TEXT,
    TASKS_PAGE,
    address,
    all_models_page,
    all_models_parts,
    category_feed,
    category_page,
    cyclonedx_file,
    governance_pack,
    model_badge,
    model_data,
    model_feed,
    model_page,
    model_page_url,
    task_page,
)

if TYPE_CHECKING:
    from ohm.freshness.site import SiteFreshness

    from .history import CatalogueHistory

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "templates"

# Characters with a meaning inside a line of Markdown (with the extensions
# mkdocs.yml enables); each is backslash-escaped. `& < >` become entities.
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]{}#|])")
# What only means something at the start of a line: headings, lists, quotes,
# admonitions (`!!! danger`), setext underlines, definition lists.
_LINE_START_SPECIAL = re.compile(r"^([-+*=>:#!]|\d+(?=[.)]))")
# Python-Markdown takes a backslash before these as an escape; before `=` and `:` it would
# show, so those become character references instead.
_BACKSLASH_ESCAPABLE = set("-+*>#!")


def markdown_text(value: object) -> str:
    """`value` as one paragraph of literal text in Markdown."""
    text = " ".join(str(value).split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _INLINE_SPECIAL.sub(r"\\\1", text)
    match = _LINE_START_SPECIAL.match(text)
    if match and match.group(1).isdigit():  # "1. text" would start a list
        text = text[: match.end()] + "\\" + text[match.end() :]
    elif match and match.group(1) in _BACKSLASH_ESCAPABLE:
        text = "\\" + text
    elif match:
        text = f"&#{ord(text[0])};{text[1:]}"
    return text


# The parts of a pinned URL that name the revision: `blob/<sha>`, `resolve/<sha>`, a raw file's `<sha>`.
_REVISION_PART = re.compile(r"/(?:(?:blob|tree|raw|resolve)/)?[0-9a-f]{40}(?=/|$)")
SOURCE_LABEL_LENGTH = 60


def source_label(url: str) -> str:
    """A short name for a pinned source: host, owner/repository, file name, and the revision's 7
    characters ("github.com/bowang-lab/MedSAM/README.md @ 1a2b3c4"); other URLs shortened."""
    revision = evidence.pinned_revision(url)
    rest = url.removeprefix("https://")
    if revision:
        repository, path = _REVISION_PART.split(rest, maxsplit=1)
        file_name = path.strip("/").rsplit("/", 1)[-1]
        short = f"{repository}/{file_name}" if file_name else repository
        return f"{short} @ {revision[:7]}"
    return rest if len(rest) <= SOURCE_LABEL_LENGTH else rest[: SOURCE_LABEL_LENGTH - 1] + "…"


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
    env.filters["root_from"] = root_from
    env.filters["answer"] = vocabulary.answer
    env.filters["code_block"] = code_block
    env.globals.update(
        commercial_use_meaning=_meaning(
            {c.value: c.description for c in vocabulary.commercial_use_choices()}
        ),
        access_meaning=_meaning({c.value: c.description for c in vocabulary.choices("access")}),
        phi_label=_meaning(vocabulary.titles("phi_exposure")),
        evidence_label=_meaning(vocabulary.evidence_level_titles()),
        kinds_without_weights=vocabulary.kinds_without_weights(),
        commercial_use_choices=vocabulary.commercial_use_choices(),
        access_choices=vocabulary.choices("access"),
        lineage=lineage,
        licence_link=licence_link,
        category_page=category_page,
        model_page=model_page,
        task_page=task_page,
        index_page=INDEX_PAGE,
        tasks_page=TASKS_PAGE,
        all_models_page=ALL_MODELS_PAGE,
        all_models_part=all_models_page,
        complete_list_rows=COMPLETE_LIST_ROWS,
        compare_page=COMPARE_PAGE,
        changes_page=CHANGES_PAGE,
        catalogue_feed=CATALOGUE_FEED,
        category_feed=category_feed,
        model_feed=model_feed,
        model_badge=model_badge,
        governance_pack=governance_pack,
        cyclonedx_file=cyclonedx_file,
        catalogue_data=CATALOGUE_DATA,
        model_names=MODEL_NAMES,
        model_data=model_data,
        compare_table=table.compare_table,
        table_limit=table.ROWS,
        row_values=table.row_values,
        row_cells=table.row_cells,
        table_columns=table.COLUMNS,
        verdict_reason=table.verdict_reason,
        table_index=TABLE_INDEX,
        model_page_url=model_page_url,
        table_text=TABLE_TEXT,
        search_keywords=search_keywords,
        citation=citation,
        source_label=source_label,
        commercial_use_reason=facts.commercial_use_reason,
        evidence_summary=facts.evidence_summary,
        regulatory_summary=facts.regulatory_summary,
        hardware_summary=facts.hardware_summary,
        about_page=ABOUT_PAGE,
        cite_page=CITE_PAGE,
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
    catalogue: Catalogue,
    templates_dir: Path = TEMPLATES_DIR,
    repository: Repository | None = None,
    freshness: SiteFreshness | None = None,
    history: CatalogueHistory | None = None,
    site_url: str | None = None,
    release: str | None = None,
) -> dict[str, str]:
    """Every generated page, keyed by its path inside the docs folder.

    With `freshness`, model pages warn about what the freshness check found upstream. `history`
    (ohm/site/history.py) fills the model pages' History sections and the changes page; without
    it they say the history is unavailable. `site_url` makes the addresses that other sites and
    citations name absolute; `release` is the catalogue's release that citations name.
    """
    if history is None:
        from .history import CatalogueHistory

        history = CatalogueHistory(unavailable="the site was built without the catalogue's history")
    env = make_environment(templates_dir)
    env.globals["badge_embed"] = lambda model: badge_embed(model, site_url)
    env.globals["entry_citation"] = lambda model: entry_citation(
        model, catalogue.title, absolute(site_url, model_page_url(model.id)), release
    )

    def render(template: str, page: str, **context: object) -> None:
        pages[page] = env.get_template(template).render(
            catalogue=catalogue,
            repository=repository,
            freshness=freshness,
            history=history,
            page=page,
            **context,
        )

    pages: dict[str, str] = {}
    render("index.md.j2", INDEX_PAGE)
    parts = all_models_parts(len(catalogue.models))
    for part in range(1, parts + 1):
        render("all-models.md.j2", all_models_page(part), part=part, parts=parts)
    render("compare.md.j2", COMPARE_PAGE)
    render("changes.md.j2", CHANGES_PAGE, months=changes_by_month(history))
    for category in catalogue.categories:
        render("category.md.j2", category_page(category.id), category=category)
    for model in catalogue.models:
        render("model.md.j2", model_page(model.id), model=model, category=catalogue.category(model.category))
    if catalogue.tasks:
        render("tasks.md.j2", TASKS_PAGE)
    for task in catalogue.tasks:
        # In the catalogue's order, like every table: the rows a task's table draws from the complete list.
        models = tuple(model for model in catalogue.models if task in model.tasks)
        render("task.md.j2", task_page(task.id), task=task, models=models)
    return pages


def absolute(site_url: str | None, address: str) -> str:
    """An address in the site as a document outside it names it: absolute with the site's address."""
    return site_url.rstrip("/") + "/" + address if site_url else address


def badge_embed(model: Model, site_url: str | None) -> str:
    """The Markdown and the HTML that show a model's badge, linked to its page, from another site."""
    base = site_url.rstrip("/") + "/" if site_url else "https://SITE/"
    badge, page = base + model_badge(model.id), base + address(model_page(model.id))
    alt = f"Open Health Models: commercial use and access of {model.id}"
    return f'[![{alt}]({badge})]({page})\n\n<a href="{page}"><img src="{badge}" alt="{alt}"></a>'


def changes_by_month(history: CatalogueHistory) -> list[tuple[str, list[Any]]]:
    """The history's events from the catalogue's git history, newest month first, newest first in each."""
    months: dict[str, list[Any]] = {}
    for event in reversed(history.events):
        if event.commit:
            months.setdefault(event.date[:7], []).append(event)
    return list(months.items())


def page_meta(catalogue: Catalogue) -> dict[str, dict[str, Any]]:
    """Metadata of the generated pages, by page; catalogue text is plain: escape it where it lands."""
    meta: dict[str, dict[str, Any]] = {INDEX_PAGE: {"hide": ["navigation", "toc"]}}
    for category in catalogue.categories:
        meta[category_page(category.id)] = {"title": category.title}
    for model in catalogue.models:
        # A model's own page ranks first for its name, and is found by its tasks and modalities.
        meta[model_page(model.id)] = {
            "title": model.name,
            "description": model.description,
            "tags": search_keywords(catalogue, model),
            "search": {"boost": _search_boost(model, catalogue)},
            # Facts the site's search narrows by (Pagefind filters), rather than words it matches.
            "filters": [["Commercial use", model.commercial_use_label], ["Access", model.access_label]],
            "strong_tags": list(COMMERCIAL_WORDS) if model.commercial_use == "allowed" else [],
            # The tags are for the search only: Zensical would also list them under the page.
            "hide": ["tags"],
        }
    meta[CHANGES_PAGE] = {"title": "Changes"}
    if catalogue.tasks:
        meta[TASKS_PAGE] = {"title": "Tasks"}
    for task in catalogue.tasks:
        meta[task_page(task.id)] = {"title": task.title}
    return meta


def _search_boost(model: Model, catalogue: Catalogue) -> int:
    """How much a model page outweighs other pages in the site's search.

    Material's search completes the last word typed, so "MedSAM" also finds "MedSAM2" just as
    well; a model whose name starts another model's name gets more weight, to come first for it.
    """
    name = model.name.casefold()
    prefix_of_another = any(
        other.name.casefold().startswith(name) and other is not model for other in catalogue.models
    )
    return 3 if prefix_of_another else 2


def root_from(page: str) -> str:
    """The site's root as an address relative to `page`'s own address, for scripts that load files."""
    folder = address(page)
    return "../" * folder.count("/") or "./"


def link_from(target: str, page: str) -> Markup:
    """A Markdown link target for `target` (a path in docs, maybe with #anchor) written on `page`."""
    path, hash_, anchor = target.partition("#")
    relative = posixpath.relpath(path, posixpath.dirname(page) or ".")
    return markdown_url(relative + hash_ + anchor)


def _meaning(texts: dict[str, str]):
    return lambda value: texts.get(value, "unknown")


def lineage(value: str, page: str) -> Markup:
    """A base model or successor: a link to its page when it is an entry, to its address when a URL."""
    if value.startswith("https://"):
        return Markup(f"[{markdown_text(value)}]({markdown_url(value)})")
    if value in {"none", vocabulary.UNKNOWN}:
        return Markup({"none": "none (trained from scratch)", vocabulary.UNKNOWN: "unknown"}[value])
    return Markup(f"[{markdown_text(value)}]({link_from(model_page(value), page)})")


def licence_link(licence: object) -> Markup:
    """A licence's name, linked to its text where it is a declared licence."""
    name, url = markdown_text(getattr(licence, "name", "Unknown")), getattr(licence, "url", None)
    return Markup(f"[{name}]({markdown_url(url)})" if url else name)


def code_block(text: str) -> Markup:
    """`text` as an indented Markdown code block: shown exactly as written, nothing escaped twice."""
    return Markup("\n".join("    " + line for line in str(text).splitlines()))


# Words visitors search imaging modalities by, besides the modality's own value (ohm's vocabulary).
IMAGING_WORDS = {
    "MR": ("MRI", "magnetic resonance"),
    "CT": ("computed tomography",),
    "X-ray": ("chest X-ray", "radiograph"),
    "whole-slide": ("whole-slide imaging", "WSI"),
    "PET": ("positron emission tomography",),
}
# The words a model page with a known clearance is found under, besides the clearance's own words.
CLEARED_WORDS = ("cleared", "clearance", "medical device")
# The words a model whose commercial use is allowed is found under, above every page that merely
# mentions them ("non-commercial"); the verdicts themselves are the search's filters.
COMMERCIAL_WORDS = ("commercial use",)


def search_keywords(catalogue: Catalogue, model: Model) -> list[str]:
    """The words the site's search finds a model page under, besides its text: its own name (so it
    outranks a model whose name merely starts the same), its tasks, its modalities, the keywords
    declared for it, its imaging modalities, its languages by name, and its clearances as a medical
    device where it has any.

    A keyword that names an imaging modality ("MRI" on a subcategory) is left out for a model that
    lists its imaging modalities without that one: the subcategory's words must not give an X-ray
    model the words of MR models.
    """
    words = [model.name, *(task.title for task in model.tasks), *model.modalities]
    words += [word for word in catalogue.keywords(model) if not _names_another_modality(word, model)]
    for modality in model.imaging_modalities:
        words += [modality, *IMAGING_WORDS.get(modality, ())]
    words += language_names(model.languages or ())
    if model.regulatory:
        words += CLEARED_WORDS
        for clearance in model.regulatory:
            words += [clearance.jurisdiction, clearance.status]
    return list(dict.fromkeys(words))


def _names_another_modality(word: str, model: Model) -> bool:
    if not model.imaging_modalities:
        return False  # not stated: every keyword of its subcategory may apply
    named = {
        modality
        for modality in vocabulary.values("imaging_modalities")
        if word.casefold() in (w.casefold() for w in (modality, *IMAGING_WORDS.get(modality, ())))
    }
    return bool(named) and not named & set(model.imaging_modalities)


def language_names(codes: Iterable[str]) -> list[str]:
    """English names of BCP 47 language codes, from the Unicode CLDR data that Babel ships ("de" ->
    "German", "mul" -> "Multiple languages"); a code CLDR does not name is left out."""
    names = Locale("en").languages
    return [names[code.replace("-", "_")] for code in codes if code.replace("-", "_") in names]


def write_pages(pages: dict[str, str], out_dir: Path, protected: Mapping[Path, str] | None = None) -> None:
    """Replace `out_dir` with exactly `pages`; on any failure the old folder stays as it was.

    `out_dir` must be new, empty or written by this function before (OutputFolderError if
    not), and must neither be nor hold a `protected` folder.
    """
    out_dir = check_output_folder(out_dir, protected or {})

    def fill(folder: Path) -> None:
        for relative, content in pages.items():
            target = folder / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content, encoding="utf-8", newline="\n")

    replace_folder(out_dir, fill)
