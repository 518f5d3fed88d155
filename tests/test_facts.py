"""The fact strip's short texts, each read from the entry's own fields."""

from __future__ import annotations

import dataclasses

import pytest

from ohm.catalog.catalogue import Deployment, Evaluation, build_catalogue
from ohm.catalog.load import load_catalogue
from ohm.site import facts

from .conftest import SMALL_CATALOGUE


@pytest.fixture(scope="module")
def zeta():
    loaded = load_catalogue(SMALL_CATALOGUE)
    return next(m for m in build_catalogue(loaded.data).models if m.id == "zeta-lm")


@pytest.mark.parametrize(
    ("decided_by", "reason"),
    [
        (("weights",), "decided by the licence of the weights"),
        (("weights", "code"), "decided by the licences of the weights and code"),
        (("variant Qwen2.5-3B",), "decided by the licence of the variant Qwen2.5-3B"),
        (("weights", "variant a", "variant b"), "decided by the licences of the weights and 2 variants"),
    ],
)
def test_the_commercial_use_reason_names_what_decides_it(zeta, decided_by, reason):
    assert (
        facts.commercial_use_reason(dataclasses.replace(zeta, commercial_use_decided_by=decided_by)) == reason
    )


def test_an_override_is_explained_by_the_first_sentence_of_its_note(zeta):
    model = dataclasses.replace(
        zeta,
        commercial_use_decided_by=("override",),
        commercial_use_note="The card forbids clinical use, e.g. diagnosis. Ask the developer first.",
    )
    assert facts.commercial_use_reason(model) == "The card forbids clinical use, e.g. diagnosis."


def result(self_reported: bool) -> Evaluation:
    return Evaluation("B", "m", "1", "https://example.org/r", self_reported, "benchmark")


@pytest.mark.parametrize(
    ("reported", "summary"),
    [
        ((), "no reported results"),
        ((True,), "1 result, self-reported"),
        ((True, True, True), "3 results, all self-reported"),
        ((False, False), "2 results, all independent"),
        ((False, True, False), "3 results: 2 independent, 1 self-reported"),
    ],
)
def test_evidence_counts_results_and_who_reported_them(zeta, reported, summary):
    model = dataclasses.replace(zeta, evaluations=tuple(result(r) for r in reported) or None)
    assert facts.evidence_summary(model) == summary


@pytest.mark.parametrize(
    ("cpu", "gpu", "summary"),
    [
        (True, "unknown", "runs on CPU; GPU memory: unknown"),
        (False, 16, "needs a GPU; min. GPU memory 16 GB"),
        ("unknown", 0.5, "CPU: unknown; min. GPU memory 0.5 GB"),
    ],
)
def test_hardware_says_cpu_and_gpu_memory(zeta, cpu, gpu, summary):
    model = dataclasses.replace(zeta, deployment=Deployment(gpu, cpu, "unknown", "unknown"))
    assert facts.hardware_summary(model) == summary
