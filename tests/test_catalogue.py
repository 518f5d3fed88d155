"""The commercial-use verdict: computed from what a team runs, the most restrictive licence winning."""

from __future__ import annotations

import pytest

from ohm.catalog.catalogue import commercial_use_of, computed_commercial_use

DECLARED = {"MIT": "allowed", "Llama": "restricted", "NC": "not-allowed", "None-stated": "unclear"}


def entry(weights=None, code="MIT", training_data="NC", variants=(), **more):
    licences = {"code": {"id": code}, "training_data": {"id": training_data}}
    if weights:
        licences["weights"] = {"id": weights}
    return {"licenses": licences, "variants": [{"name": v, "license": v} for v in variants], **more}


@pytest.mark.parametrize(
    ("given", "verdict"),
    [
        (entry(weights="MIT"), "allowed"),  # training data under NC terms does not decide it
        (entry(weights="Llama"), "restricted"),
        (entry(weights="MIT", code="unknown"), "unclear"),  # an unknown licence is not a yes
        (entry(weights="MIT", code="Undeclared"), "unclear"),
        (entry(weights="Llama", variants=["NC"]), "not-allowed"),  # one variant under NC terms
        (entry(weights="NC", code="None-stated"), "not-allowed"),  # no is stricter than unclear
        (entry(), "allowed"),  # a framework: the code alone
    ],
)
def test_the_most_restrictive_licence_wins(given, verdict):
    assert computed_commercial_use(given, DECLARED) == verdict


def test_an_override_replaces_the_computed_verdict():
    overridden = entry(weights="MIT", code="unknown", commercial_use="allowed")
    assert computed_commercial_use(overridden, DECLARED) == "unclear"
    assert commercial_use_of(overridden, DECLARED) == "allowed"
