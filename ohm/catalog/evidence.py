"""Evidence: which words in which pinned source support each governance fact of an entry.

An entry in catalogue schema 3 carries an `evidence:` map keyed by field path. A known value
cites one or more `{source, quote}`; a value the sources are silent on (`unknown`, or
`none-known` for regulatory status) says what was read: `{checked: [sources]}`. Evaluations
carry their own `source` and `quote`. This module holds the shape and the rules that need no
catalogue around them: which paths need evidence, what a pinned source looks like, and the
evidence level that follows from the evaluations.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from . import vocabulary

# The fact paths an entry with evidence must cover wherever the entry states the field, in the
# order a governance review asks. (The schema and its checks decide which fields an entry states.)
LICENCE_PATHS = ("licenses.weights", "licenses.code", "licenses.training_data")
FACT_PATHS = (
    *LICENCE_PATHS,
    "commercial_use",
    "access",
    "training_data",
    "phi_exposure",
    "intended_users",
    "out_of_scope",
    "evaluations",
    "regulatory",
    "deployment.min_gpu_memory_gb",
    "deployment.cpu_only",
    "deployment.runs_offline",
    "deployment.formats",
    "base_model",
    "superseded_by",
)
VARIANT_PREFIX = "variants."

# Values that mean "the sources read are silent": they take `checked`, never a citation.
SILENT_VALUES = frozenset({"unknown", "none-known"})

# From weakest to strongest: the evidence level of an entry is the strongest kind of its
# evaluations, and "none" when it records none.
# (Defined with their titles in the schema: $defs/evaluation_kind and $defs/no_evaluation.)
EVALUATION_KINDS = tuple(choice.value for choice in vocabulary.evaluation_kinds())
NO_EVIDENCE = vocabulary.evidence_levels()[0].value

QUOTE_MAX_LENGTH = 400

_SHA = r"[0-9a-f]{40}"
_NAME = r"[A-Za-z0-9_.-]+"
PINNED_FORMS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "github.com",
        re.compile(rf"^https://github\.com/{_NAME}/{_NAME}/(blob|tree|raw)/{_SHA}(/\S*)?$"),
    ),
    (
        "raw.githubusercontent.com",
        re.compile(rf"^https://raw\.githubusercontent\.com/{_NAME}/{_NAME}/{_SHA}/\S+$"),
    ),
    (
        "huggingface.co",
        re.compile(
            rf"^https://huggingface\.co/((datasets|spaces)/)?{_NAME}/{_NAME}/(blob|resolve|raw|tree)/{_SHA}(/\S*)?$"
        ),
    ),
    (
        "arxiv.org",
        re.compile(r"^https://arxiv\.org/(abs|pdf)/(\d{4}\.\d{4,5}|[a-z-]+(\.[A-Z]{2})?/\d{7})v\d+(\.pdf)?$"),
    ),
)
# A licence id that says a file was looked for and is absent: the proof is the repository tree.
NONE_STATED_LICENCE = "LicenseRef-none-stated"
_GITHUB_TREE = re.compile(rf"^https://github\.com/{_NAME}/{_NAME}/tree/{_SHA}(/\S*)?$")

# A Hugging Face tree page at a revision lists that revision's files, but its header shows the
# repository's licence tag and card as they are today, whatever revision its address names: it
# backs only what the file list shows.
_HUB_TREE = re.compile(rf"^https://huggingface\.co/((datasets|spaces)/)?{_NAME}/{_NAME}/tree/{_SHA}(/\S*)?$")
FILE_LIST_FACTS = frozenset({"deployment.formats"})


def hub_tree_problem(path: str, url: str) -> str | None:
    """Why a Hugging Face tree page cannot back the fact at `path`, or None."""
    if path in FILE_LIST_FACTS or not _HUB_TREE.match(url):
        return None
    return (
        "a Hugging Face tree page shows the repository's licence and card as they are now, not at "
        "its revision: cite the file at the revision (https://huggingface.co/OWNER/REPO/blob/SHA/README.md)"
    )


# Hosts whose pinned URLs name a commit (an arXiv version is not one).
_REVISION_HOSTS = frozenset({"github.com", "raw.githubusercontent.com", "huggingface.co"})

PINNED_HINT = {
    "github.com": "a GitHub blob or tree at a 40-hex commit (https://github.com/OWNER/REPO/blob/SHA/PATH)",
    "raw.githubusercontent.com": "a raw GitHub file at a 40-hex commit",
    "huggingface.co": "a Hugging Face file at a 40-hex revision (https://huggingface.co/OWNER/REPO/blob/SHA/PATH)",
    "arxiv.org": "an arXiv version (https://arxiv.org/abs/ID vN)",
}


@dataclass(frozen=True)
class Citation:
    """Words in a pinned source that support a fact."""

    source: str
    quote: str


@dataclass(frozen=True)
class Evidence:
    """What backs one fact: citations for a known value, or the sources read and found silent."""

    path: str
    citations: tuple[Citation, ...] = ()
    checked: tuple[str, ...] = ()

    @property
    def silent(self) -> bool:
        return not self.citations

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(c.source for c in self.citations) or self.checked


def host_of(url: str) -> str:
    return url.split("/", 3)[2].lower() if url.startswith("https://") and url.count("/") >= 2 else ""


def pinning_problem(url: str) -> str | None:
    """Why a source does not name a fixed revision, or None when it does (or its host has no revisions)."""
    host = host_of(url)
    for form_host, pattern in PINNED_FORMS:
        if host == form_host or host == "www." + form_host:
            return None if pattern.match(url) else f"must be pinned: {PINNED_HINT[form_host]}"
    return None


# A pinned file (not a tree) on GitHub or the Hugging Face Hub: what `head_url` can follow to its head.
_GITHUB_FILE = re.compile(
    rf"^https://(?:github\.com/(?P<gh>{_NAME}/{_NAME})/(?:blob|raw)|raw\.githubusercontent\.com/(?P<raw>{_NAME}/{_NAME}))"
    rf"/{_SHA}/(?P<path>[^?#\s]+)$"
)
_HUB_FILE = re.compile(
    rf"^https://huggingface\.co/(?P<repo>((datasets|spaces)/)?{_NAME}/{_NAME})/(?:blob|resolve|raw)/{_SHA}"
    rf"/(?P<path>[^?#\s]+)$"
)
HUB_HEAD = "main"  # the branch a Hugging Face repository serves as its head


def head_url(pinned_url: str) -> str | None:
    """The same file at the repository's current head, for a GitHub or Hugging Face file pinned at a sha.

    GitHub: the raw file at HEAD (https://raw.githubusercontent.com/OWNER/REPO/HEAD/PATH); Hugging Face:
    the file at main (https://huggingface.co/OWNER/REPO/resolve/main/PATH). None for anything else: a
    tree, another host, an unpinned address, a path with `.` or `..` segments.
    """
    if match := _GITHUB_FILE.match(pinned_url):
        head = f"https://raw.githubusercontent.com/{match['gh'] or match['raw']}/HEAD"
    elif match := _HUB_FILE.match(pinned_url):
        head = f"https://huggingface.co/{match['repo']}/resolve/{HUB_HEAD}"
    else:
        return None
    if any(segment in ("", ".", "..") for segment in match["path"].split("/")):
        return None
    return f"{head}/{match['path']}"


def parse(raw: Mapping[str, Any] | None) -> dict[str, Evidence]:
    """The `evidence:` map of a valid entry as typed objects, keyed by path."""
    out: dict[str, Evidence] = {}
    for path, value in (raw or {}).items():
        if isinstance(value, Mapping):
            out[path] = Evidence(path, checked=tuple(value["checked"]))
        else:
            out[path] = Evidence(path, citations=tuple(Citation(c["source"], c["quote"]) for c in value))
    return out


def required_paths(entry: Mapping[str, Any]) -> Iterator[str]:
    """The paths this entry's evidence must cover, from the fields it states."""
    trained = entry.get("kind") not in vocabulary.kinds_without_weights()
    for path in FACT_PATHS:
        if value_at(entry, path) is None:
            continue
        if path == "base_model" and not trained:
            continue  # software trained on your own data is based on nothing by definition
        if path == "evaluations" and entry.get("evaluations") != "unknown":
            continue  # each evaluation carries its own source and quote
        yield path
    for variant in entry.get("variants") or ():
        yield VARIANT_PREFIX + variant["name"]


def value_at(entry: Mapping[str, Any], path: str) -> Any:
    """The entry's value at a fact path, or None where the entry does not state it."""
    if path.startswith(VARIANT_PREFIX):
        name = path[len(VARIANT_PREFIX) :]
        for variant in entry.get("variants") or ():
            if variant.get("name") == name:
                return variant.get("license")
        return None
    value: Any = entry
    for part in path.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    if path.startswith("licenses."):
        return value.get("id") if isinstance(value, Mapping) else value
    return value


def is_repository_tree(url: str) -> bool:
    """Is `url` a GitHub repository tree at a commit (what shows that a file is absent)?"""
    return bool(_GITHUB_TREE.match(url))


def takes_checked(value: Any) -> bool:
    """May the evidence of `value` be a list of sources read and found silent?"""
    return is_silent(value) or value == NONE_STATED_LICENCE


def takes_citations(value: Any) -> bool:
    return not is_silent(value)


def pinned_revision(url: str) -> str | None:
    """The 40-hex revision a pinned GitHub or Hugging Face URL names, or None."""
    if host_of(url) not in _REVISION_HOSTS or pinning_problem(url) is not None:
        return None
    found = re.search(rf"/({_SHA})(/|$)", url)
    return found.group(1) if found else None


def is_silent(value: Any) -> bool:
    return isinstance(value, str) and value in SILENT_VALUES


def evidence_level(evaluations: Any) -> str:
    """The strongest kind among the recorded evaluations, or none when there are none."""
    if not isinstance(evaluations, list) or not evaluations:
        return NO_EVIDENCE
    kinds = [item.get("kind", EVALUATION_KINDS[0]) for item in evaluations]
    return max(kinds, key=EVALUATION_KINDS.index)
