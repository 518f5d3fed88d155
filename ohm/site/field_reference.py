"""The field reference of CONTRIBUTING.md, generated from the vocabulary (never kept by hand).

`ohm export fields --out CONTRIBUTING.md` replaces the region between the two
markers below; a test fails when the committed reference is out of date.
"""

from __future__ import annotations

from ohm.catalog import fields, vocabulary

# Field of an entry -> the option of `ohm new` that fills it.
FIELD_OPTIONS = fields.field_options()


def _required(field: vocabulary.Field) -> str:
    if field.required:
        return "yes"
    if field.required_for_trained:
        return "for pretrained models and model families"
    return "no"


def _choices(name: str) -> str:
    try:
        choices = vocabulary.choices(name)
    except KeyError:
        return ""
    described = [
        f"`{c.value}` ({c.description.rstrip('.')})" if c.description else f"`{c.value}`" for c in choices
    ]
    return " Values: " + "; ".join(described) + "."


def _option(name: str) -> str:
    """The option of `ohm new` that fills a field, or what `new` writes there instead."""
    if name == "licenses":
        return ", ".join(f"`{FIELD_OPTIONS[f'licenses.{a}']}`" for a in vocabulary.artefacts())
    if name in FIELD_OPTIONS:
        return f"`{FIELD_OPTIONS[name]}`"
    return "`new` writes `unknown` (or `none-known`) where it applies; edit the file"


def field_reference_markdown() -> str:
    rows = [
        "| field | required | what to write | option of `ohm new` |",
        "| --- | --- | --- | --- |",
    ]
    for field in vocabulary.model_fields():
        text = (field.description + _choices(field.name)).replace("|", "\\|")
        rows.append(f"| `{field.name}` | {_required(field)} | {text} | {_option(field.name)} |")
    return "\n".join(rows) + "\n"
