"""The fact strip under a model page's title: each fact of a governance review in a few words.

Each fact here is read from the entry's own fields; the sections lower on the page give the
whole of it. The template `templates/model-facts.md.j2` lays them out.
"""

from __future__ import annotations

import re

from ohm.catalog.catalogue import Model

# The end of a sentence: a full stop, question or exclamation mark before a space and a capital.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


def first_sentence(text: str) -> str:
    return _SENTENCE_END.split(" ".join(text.split()), maxsplit=1)[0]


def commercial_use_reason(model: Model) -> str:
    """What decides the verdict, in one line: the artefacts or variants whose licence makes it,
    or, where the entry overrides the licences, the first sentence of its note."""
    decided_by = model.commercial_use_decided_by
    if decided_by == ("override",) or not decided_by:
        return first_sentence(model.commercial_use_note) if model.commercial_use_note else "set by the entry"
    variants = [part.removeprefix("variant ") for part in decided_by if part.startswith("variant ")]
    artefacts = [part for part in decided_by if not part.startswith("variant ")]
    names = artefacts + ([f"variant {variants[0]}"] if len(variants) == 1 else [])
    if len(variants) > 1:
        names.append(f"{len(variants)} variants")
    licences = "licence" if len(names) == 1 and len(variants) <= 1 else "licences"
    return f"decided by the {licences} of the " + _and(names)


def evidence_summary(model: Model) -> str:
    """How many results the entry reports, and who reported them: "3 results, all self-reported"."""
    results = model.evaluations or ()
    if not results:
        return "no reported results"
    count = f"{len(results)} result{'s' if len(results) != 1 else ''}"
    by_developer = sum(1 for result in results if result.self_reported)
    if by_developer == len(results):
        return f"{count}, {'all ' if len(results) > 1 else ''}self-reported"
    if by_developer == 0:
        return f"{count}, {'all ' if len(results) > 1 else ''}independent"
    return f"{count}: {len(results) - by_developer} independent, {by_developer} self-reported"


def regulatory_summary(model: Model) -> str:
    if not model.regulatory:
        return "no clearance known"
    return "; ".join(f"{clearance.jurisdiction}: {clearance.status}" for clearance in model.regulatory)


def hardware_summary(model: Model) -> str:
    """Runs on CPU alone, or the least GPU memory it needs."""
    deployment = model.deployment
    cpu = {True: "runs on CPU", False: "needs a GPU", "unknown": "CPU: unknown"}[deployment.cpu_only]
    memory = deployment.min_gpu_memory_gb
    gpu = "GPU memory: unknown" if memory == "unknown" else f"min. GPU memory {memory:g} GB"
    return f"{cpu}; {gpu}"


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
