"""Stage 3b: the catalogue as data for other tools, and as a plain list for the repository page.

Three exports, all from the validated Catalogue like the pages:

- `models.json`: every field of every entry, in a documented shape with a
  `schema_version` that changes only when a field is renamed or removed;
- `models.csv`: one row per model, columns in a fixed order, lists joined
  with "; " (the JSON is the lossless one); a cell that a spreadsheet would
  read as a formula gets a leading `'` (see `spreadsheet_cell`);
- `MODELS.md`: a Markdown list by category, like the list the catalogue
  started from, for people who read the repository rather than the site.

The site publishes the first two at its root; the third is committed at the
root of the repository and a test keeps it up to date.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

from ohm.catalog import fields, vocabulary
from ohm.catalog.catalogue import LINK_LABELS, Catalogue, Model, Variant
from ohm.catalog.evidence import Evidence
from ohm.files import replace_file

from .field_reference import field_reference_markdown
from .pages import CATALOGUE_DATA, MODEL_NAMES, model_data, model_page_url
from .render import TEMPLATES_DIR, make_environment

# Bump only when a field is renamed, removed or changes meaning; adding a field keeps it.
# 2: catalogue schema 2 (per-artefact licences, access, training data, evidence, deployment...).
# 3: catalogue schema 3 (evidence for each governance fact; verified_revision gone, the evidence
#    level derived from the kind of each evaluation).
SCHEMA_VERSION = 3

LIST_SEPARATOR = "; "

# Fields of a mapping that models.csv writes as one column per part.
CSV_FLATTENED = {
    "licenses": [f"{artefact}_license" for artefact in vocabulary.artefacts()],
    "deployment": list(vocabulary.deployment_fields()),
    "links": list(LINK_LABELS),
    # The evidence as the distinct URLs it cites or read (the JSON has the quotes).
    "evidence": ["evidence_sources"],
}

# models.csv: one column per field, nested fields flattened, in this fixed order.
CSV_COLUMNS = [
    "id",
    "name",
    "developer",
    "category",
    "subcategory",
    "kind",
    "modalities",
    "tasks",
    *CSV_FLATTENED["licenses"],
    "commercial_use",
    "commercial_use_note",
    "access",
    "access_note",
    "parameters",
    "variants",
    "training_data",
    "phi_exposure",
    "intended_users",
    "out_of_scope",
    "evidence_level",
    "evaluations",
    "regulatory",
    *CSV_FLATTENED["deployment"],
    "base_model",
    "superseded_by",
    "languages",
    "imaging_modalities",
    "anatomy",
    "verified",
    "second_reader",
    "evidence_status",
    *CSV_FLATTENED["evidence"],
    *CSV_FLATTENED["links"],
    "description",
    "use_cases",
    "caveats",
    "sources",
    "page",
]


# What makes a spreadsheet read a cell as a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _by_id(catalogue: Catalogue) -> list[Model]:
    return sorted(catalogue.models, key=lambda model: model.id)


def _licence(licence: Any) -> dict[str, Any] | None:
    """{id, name, url} of a declared licence, or of unknown / mixed (url null)."""
    if licence is None:
        return None
    return {"id": licence.id, "name": licence.name, "url": licence.url}


def _formats(model: Model) -> tuple[str, ...] | None:
    formats = model.deployment.formats
    return None if formats == vocabulary.UNKNOWN else tuple(formats)


def _artefact_licence(model: Model, artefact: str) -> dict[str, Any] | None:
    """{id, name, url, note} of one artefact's licence; null where the entry has none (no weights)."""
    given = next((a for a in model.licenses if a.artefact == artefact), None)
    licence = _licence(given)
    return {**licence, "note": given.note} if given and licence else None


def _or_unknown(items: tuple[Any, ...] | None, record: Any = None) -> list[Any] | str:
    """A list field as a list (of records), or "unknown" where the sources are silent, as in the YAML."""
    if items is None:
        return vocabulary.UNKNOWN
    return [record(item) if record else item for item in items]


def _variant_record(variant: Variant) -> dict[str, Any]:
    return {
        "name": variant.name,
        "parameters": variant.parameters,
        "license": _licence(variant.license) or {"id": variant.license_id, "name": "Unknown", "url": None},
        "model_card": variant.model_card,
        "note": variant.note,
    }


# How a record writes a field that is not simply the model's value (tuples become lists).
RECORDED_AS: dict[str, Callable[[Model], Any]] = {
    "tasks": lambda model: [task.id for task in model.tasks],
    "intended_users": lambda model: _or_unknown(model.intended_users),
    "out_of_scope": lambda model: _or_unknown(model.out_of_scope),
    "links": lambda model: {link.kind: link.url for link in model.links},
    "licenses": lambda model: {
        artefact: _artefact_licence(model, artefact) for artefact in vocabulary.artefacts()
    },
    "variants": lambda model: [_variant_record(variant) for variant in model.variants],
    "training_data": lambda model: (
        _or_unknown(model.training_data, asdict)
        if model.kind not in vocabulary.kinds_without_weights()
        else None
    ),
    "evaluations": lambda model: _or_unknown(model.evaluations, asdict),
    "regulatory": lambda model: [asdict(item) for item in model.regulatory] or "none-known",
    "deployment": lambda model: {**asdict(model.deployment), "formats": _or_unknown(_formats(model))},
    "languages": lambda model: _or_unknown(model.languages),
    "evidence": lambda model: {path: _evidence_record(item) for path, item in model.evidence.items()} or None,
}

# Values a record carries that the entry does not write but follow from it, each after a field.
DERIVED_AFTER: dict[str, dict[str, Callable[[Model], Any]]] = {
    "commercial_use": {"commercial_use_decided_by": lambda model: list(model.commercial_use_decided_by)},
    "evaluations": {"evidence_level": lambda model: model.evidence_level},
    "evidence": {"evidence_status": lambda model: model.evidence_status},
}


def _evidence_record(item: Evidence) -> list[dict[str, str]] | dict[str, list[str]]:
    """As the YAML writes it: a list of {source, quote}, or {checked: [...]}."""
    if item.silent:
        return {"checked": list(item.checked)}
    return [{"source": citation.source, "quote": citation.quote} for citation in item.citations]


def _as_is(name: str) -> Callable[[Model], Any]:
    def value(model: Model) -> Any:
        given = getattr(model, name)
        return list(given) if isinstance(given, tuple) else given

    return value


def model_record(model: Model) -> dict[str, Any]:
    """Every field of the model (fields.exported_fields), then the address of its page."""
    record: dict[str, Any] = {}
    for name in fields.exported_fields():
        record[name] = RECORDED_AS.get(name, _as_is(name))(model)
        record.update({derived: value(model) for derived, value in DERIVED_AFTER.get(name, {}).items()})
    return {**record, "page": model_page_url(model.id)}


def catalogue_head(catalogue: Catalogue) -> dict[str, Any]:
    """models.json without its models: the catalogue's vocabulary, which the models' records name by id."""
    return {
        "schema_version": SCHEMA_VERSION,
        "title": catalogue.title,
        "summary": catalogue.summary,
        "last_updated": catalogue.last_updated,
        "categories": [
            {
                "id": category.id,
                "title": category.title,
                "subcategories": [{"id": sub.id, "title": sub.title} for sub in category.subcategories],
            }
            for category in catalogue.categories
        ],
        "tasks": [{"id": task.id, "title": task.title} for task in catalogue.tasks],
        "licenses": [
            {"id": lic.id, "name": lic.name, "url": lic.url, "commercial_use": lic.commercial_use}
            for lic in sorted(catalogue.licenses, key=lambda lic: lic.id)
        ],
    }


def catalogue_json(catalogue: Catalogue) -> str:
    document = {**catalogue_head(catalogue), "models": [model_record(model) for model in _by_id(catalogue)]}
    return json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def _compact(document: Any) -> str:
    # Read by the site's scripts, not by people: no indentation, which would be a third of the bytes.
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"), allow_nan=False) + "\n"


def entry_files(catalogue: Catalogue) -> dict[str, str]:
    """What a page that shows a few models reads instead of models.json, by path in the site.

    Each model's record (the same as in models.json), the catalogue's vocabulary, and every
    model's id and name by name (for choosing one), so the comparison of two models loads two
    records, not the catalogue.
    """
    files = {model_data(model.id): _compact(model_record(model)) for model in catalogue.models}
    files[CATALOGUE_DATA] = _compact(catalogue_head(catalogue))
    names = sorted(catalogue.models, key=lambda model: (model.name.casefold(), model.id))
    files[MODEL_NAMES] = _compact([[model.id, model.name] for model in names])
    return files


def catalogue_csv(catalogue: Catalogue) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for model in _by_id(catalogue):
        writer.writerow(_csv_row(model_record(model)))
    return buffer.getvalue()


def _csv_row(record: dict[str, Any]) -> dict[str, str]:
    """The JSON record flattened: nested fields in their own columns, lists joined with "; "."""
    row = {
        **record,
        **{f"{a}_license": (lic or {}).get("id", "") for a, lic in record["licenses"].items()},
        **record["deployment"],
        **{kind: record["links"].get(kind, "") for kind in LINK_LABELS},
        "variants": [_variant_cell(variant) for variant in record["variants"]],
        "training_data": _names(record["training_data"], "name"),
        "evaluations": _names(
            record["evaluations"], lambda e: f"{e['benchmark']} {e['metric']} {e['value']}"
        ),
        "regulatory": _names(record["regulatory"], lambda r: f"{r['jurisdiction']}: {r['status']}"),
        "evidence_sources": _evidence_sources(record["evidence"]),
    }
    return {column: spreadsheet_cell(_cell(row[column])) for column in CSV_COLUMNS}


def _evidence_sources(evidence: dict[str, Any] | None) -> list[str]:
    """Every URL cited or read for the entry's facts, once each, in the order first given."""
    urls: dict[str, None] = {}
    for item in (evidence or {}).values():
        given = item["checked"] if isinstance(item, dict) else [citation["source"] for citation in item]
        urls.update(dict.fromkeys(given))
    return list(urls)


def _variant_cell(variant: dict[str, Any]) -> str:
    size = f" ({variant['parameters']})" if variant["parameters"] else ""
    return f"{variant['name']}{size}: {variant['license']['id']}"


def _names(items: Any, name: Any) -> Any:
    """A list of records as a list of short strings (the JSON keeps every field)."""
    if not isinstance(items, list):
        return items
    return [item[name] if isinstance(name, str) else name(item) for item in items]


def _cell(value: Any) -> str:
    if isinstance(value, list):
        return LIST_SEPARATOR.join(str(item) for item in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _one_kind_of_line_break(text: str) -> str:
    # The csv module quotes a cell with "\n" (our line terminator) but not one with a lone "\r".
    return text.replace("\r\n", "\n").replace("\r", "\n")


def spreadsheet_cell(text: str) -> str:
    """`text`, with a `'` in front if a spreadsheet would run it as a formula (`=HYPERLINK(...)`)."""
    cell = f"'{text}" if text.startswith(FORMULA_STARTS) else text
    return _one_kind_of_line_break(cell)


def models_markdown(catalogue: Catalogue, templates_dir: Path = TEMPLATES_DIR) -> str:
    text = make_environment(templates_dir).get_template("models-list.md.j2").render(catalogue=catalogue)
    return text.rstrip("\n") + "\n"


EXPORTS: dict[str, Callable[[Catalogue], str]] = {
    "json": catalogue_json,
    "csv": catalogue_csv,
    "markdown": models_markdown,
    # The field reference of CONTRIBUTING.md: the same for every catalogue, from the schema.
    "fields": lambda _catalogue: field_reference_markdown(),
}

# The exports the site publishes, by their file name at the root of the site.
SITE_FILES = {"models.json": catalogue_json, "models.csv": catalogue_csv}


def write_file(content: str, path: Path) -> None:
    """Write `content` to `path` all at once: a failure leaves the old file as it was."""
    replace_file(path, content.encode("utf-8"))
