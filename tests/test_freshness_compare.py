"""The parts of the freshness check one by one: reading entries of either schema, licence ids, comparing."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest

from ohm.catalog.catalogue import Model, build_catalogue
from ohm.freshness.check import check_entries
from ohm.freshness.client import Api, ClientSettings, ResponseCache, _rate_limit, _safe_for_token
from ohm.freshness.entries import Card, Licence, entry_facts
from ohm.freshness.findings import Thresholds
from ohm.freshness.licences import Verdict, github_verdict, hub_verdict
from ohm.freshness.report import FreshnessReport, Unanswered, report_markdown
from ohm.freshness.upstream import github_repo, hub_repo

from .fake_upstream import FakeApi

TODAY = "2026-11-25"


def card_at(revision: str, repo: str = "example/medical-lm") -> str:
    """The card's file at a revision: the pinned source that says which revision was read."""
    return f"https://huggingface.co/{repo}/blob/{revision}/README.md"


def schema2_entry(**fields) -> dict:
    """An entry with per-artefact licences, access and variants, its card read at revision b..."""
    entry = {
        "id": "medical-lm",
        "name": "Medical LM",
        "links": {
            "model_card": "https://huggingface.co/example/medical-lm",
            "repository": "https://github.com/example/medical-lm",
        },
        "licenses": {
            "weights": {"id": "LicenseRef-Gemma-Terms-of-Use"},
            "code": {"id": "Apache-2.0"},
            "training_data": {"id": "unknown"},
        },
        "access": "gated",
        "verified": "2026-11-01",
        "sources": [card_at("b" * 40)],
    }
    entry.update(fields)
    return entry


def typed(entry: dict) -> Model:
    """The entry as the typed model the check reads, the fields it does not read filled in."""
    filler = {
        "category": "llm", "subcategory": "general", "kind": "pretrained model", "modalities": ["text"],
        "description": "A model.", "use_cases": ["Notes"], "intended_users": "unknown",
        "out_of_scope": "unknown", "evaluations": "unknown",
        "regulatory": "none-known",
        "deployment": {"min_gpu_memory_gb": "unknown", "cpu_only": "unknown", "runs_offline": "unknown",
                       "formats": "unknown"},
    }  # fmt: skip
    # A variant that names no licence of its own is typed with an empty one.
    variants = [{"license": "", **variant} for variant in entry.get("variants", [])]
    data = {
        "catalogue": {"title": "T", "summary": "S"},
        "licenses": [],
        "categories": [
            {"id": "llm", "title": "L", "intro": "I", "subcategories": [{"id": "general", "title": "G"}]}
        ],
        "models": [{**filler, **entry, **({"variants": variants} if variants else {})}],
    }
    return build_catalogue(data).models[0]


# --- Reading entries ------------------------------------------------------------------


def test_schema_2_licences_are_read_per_artefact():
    entry = entry_facts(typed(schema2_entry()))
    assert entry.card == Card(
        "links.model_card",
        "https://huggingface.co/example/medical-lm",
        Licence("licenses.weights", "LicenseRef-Gemma-Terms-of-Use"),
    )
    assert entry.code_licence == Licence("licenses.code", "Apache-2.0")
    assert (entry.access, entry.card_revision) == ("gated", "b" * 40)


def test_the_card_revision_is_the_one_pinned_in_a_source_of_the_cards_repository():
    other_repository = card_at("a" * 40, repo="example/other")
    unpinned = "https://huggingface.co/example/medical-lm"
    entry = schema2_entry(sources=[unpinned, other_repository, card_at("b" * 40), card_at("c" * 40)])
    assert entry_facts(typed(entry)).card_revision == "b" * 40, (
        "the first pinned file of the card's repository"
    )
    assert entry_facts(typed(schema2_entry(sources=[unpinned, other_repository]))).card_revision is None


def test_variants_have_their_own_licence_or_the_entrys_weights_licence():
    entry = entry_facts(
        typed(schema2_entry(
            variants=[
                {"name": "medical-lm-4b", "license": "CC-BY-NC-4.0",
                 "model_card": "https://huggingface.co/example/medical-lm-4b"},
                {"name": "medical-lm-27b", "model_card": "https://huggingface.co/example/medical-lm-27b"},
                {"name": "medical-lm-gguf"},
            ]
        ))
    )  # fmt: skip
    assert [(card.field, card.licence) for card in entry.variant_cards] == [
        ("variants[medical-lm-4b].model_card", Licence("variants[medical-lm-4b].license", "CC-BY-NC-4.0")),
        ("variants[medical-lm-27b].model_card", Licence("licenses.weights", "LicenseRef-Gemma-Terms-of-Use")),
    ]


@pytest.mark.parametrize(
    ("url", "repo"),
    [
        ("https://huggingface.co/google/medgemma-4b-it", "google/medgemma-4b-it"),
        ("https://huggingface.co/Qwen/Qwen2.5-3B-Instruct/blob/main/LICENSE", "Qwen/Qwen2.5-3B-Instruct"),
        ("https://huggingface.co/collections/Qwen/qwen25-66e81a666513e518adb90d9e", None),
        ("https://huggingface.co/datasets/example/data", None),
        ("https://github.com/example/model", None),
        ("http://huggingface.co/example/model", None),
    ],
)
def test_only_hugging_face_model_pages_are_asked_about(url, repo):
    assert hub_repo(url) == repo


@pytest.mark.parametrize(
    ("url", "repo"),
    [
        ("https://github.com/MIC-DKFZ/nnUNet", "MIC-DKFZ/nnUNet"),
        ("https://github.com/facebookresearch/dinov2/blob/main/MODEL_CARD.md", "facebookresearch/dinov2"),
        ("https://github.com/example/tool.git", "example/tool"),
        ("https://github.com/openlifescience-ai", None),
        ("https://github.com/orgs/example/repositories", None),
        ("https://gitlab.com/example/tool", None),
    ],
)
def test_only_github_repositories_are_asked_about(url, repo):
    assert github_repo(url) == repo


# --- Licence ids ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("licences", "name", "catalogue", "verdict"),
    [
        (("apache-2.0",), None, "Apache-2.0", Verdict.AGREES),
        (("apache-2.0",), None, "MIT", Verdict.DIFFERS),
        (("llama3.2",), None, "LicenseRef-Llama-3.2-Community-License", Verdict.AGREES),
        (("gpl-3.0",), None, "GPL-3.0-or-later", Verdict.AGREES),
        (("cc",), None, "CC-BY-NC-4.0", Verdict.AGREES),
        (("other",), None, "LicenseRef-Anything", Verdict.CANNOT_COMPARE),
        (("other",), "health-ai-developer-foundations", "LicenseRef-Health-AI-Developer-Foundations-Terms",
         Verdict.AGREES),
        (("other",), "qwen-research", "Apache-2.0", Verdict.DIFFERS),
        (("unknown",), None, "MIT", Verdict.CANNOT_COMPARE),
        (("a-licence-nobody-mapped",), None, "MIT", Verdict.DIFFERS),
        (("apache-2.0", "mit"), None, "MIT", Verdict.AGREES),
        ((), None, "LicenseRef-none-stated", Verdict.AGREES),
        ((), None, "MIT", Verdict.CANNOT_COMPARE),
        (("mit",), None, "LicenseRef-none-stated", Verdict.DIFFERS),
    ],
)  # fmt: skip
def test_hub_licence_ids_are_translated_explicitly(licences, name, catalogue, verdict):
    assert hub_verdict(licences, name, catalogue) is verdict


@pytest.mark.parametrize(
    ("spdx_id", "catalogue", "verdict"),
    [
        ("Apache-2.0", "Apache-2.0", Verdict.AGREES),
        ("MIT", "mit", Verdict.AGREES),
        ("MIT", "Apache-2.0", Verdict.DIFFERS),
        ("AGPL-3.0", "AGPL-3.0-only", Verdict.AGREES),
        ("NOASSERTION", "BSD-3-Clause", Verdict.CANNOT_COMPARE),
        (None, "unknown", Verdict.AGREES),
        (None, "MIT", Verdict.CANNOT_COMPARE),
    ],
)
def test_github_spdx_ids_are_compared_with_the_catalogues(spdx_id, catalogue, verdict):
    assert github_verdict(spdx_id, catalogue) is verdict


# --- Schema 2 entries against the fakes -------------------------------------------------


@pytest.fixture
def apis() -> Iterator[tuple[Api, Api, FakeApi, FakeApi]]:
    with FakeApi() as hub, FakeApi() as github:
        cache, settings = ResponseCache(), ClientSettings(timeout=1, retries=0, backoff_seconds=0)
        yield (
            Api("Hugging Face", hub.url, None, cache, settings),
            Api("GitHub", github.url, None, cache, settings),
            hub,
            github,
        )


def kinds(entry: dict, apis, today: str = TODAY) -> list[tuple[str, str, str | None, str | None]]:
    hub_api, github_api, _hub, _github = apis
    [result] = check_entries([entry_facts(typed(entry))], hub_api, github_api, Thresholds(), today)
    assert result.not_checked == []
    return [(f.kind, f.field, f.catalogue, f.upstream) for f in result.findings]


def test_a_schema_2_entry_that_matches_upstream_has_no_findings(apis):
    _, _, hub, github = apis
    hub.hub_model("example/medical-lm", "gemma", gated="manual", sha="b" * 40)
    github.github_repo("example/medical-lm", "Apache-2.0")
    assert kinds(schema2_entry(), apis) == []


def test_weights_are_compared_with_the_card_and_code_with_the_repository(apis):
    _, _, hub, github = apis
    hub.hub_model("example/medical-lm", "apache-2.0", gated="manual", sha="b" * 40)
    github.github_repo("example/medical-lm", "MIT")
    assert kinds(schema2_entry(), apis) == [
        ("licence-changed", "licenses.weights", "LicenseRef-Gemma-Terms-of-Use", "apache-2.0"),
        ("licence-changed", "licenses.code", "Apache-2.0", "MIT"),
    ]


def test_a_gate_that_appears_or_goes_is_an_access_change(apis):
    _, _, hub, github = apis
    github.github_repo("example/medical-lm", "Apache-2.0")
    hub.hub_model("example/medical-lm", "gemma", gated=False, sha="b" * 40)
    assert kinds(schema2_entry(), apis) == [("gated-changed", "access", "gated", "open")]
    hub.hub_model("example/medical-lm", "gemma", gated="auto", sha="b" * 40)
    assert kinds(schema2_entry(access="open"), apis) == [
        ("gated-changed", "access", "open", "gated (auto approval)")
    ]
    assert kinds(schema2_entry(access="credentialed"), apis) == [], "granted elsewhere: not compared"


def test_a_card_past_its_pinned_revision_has_changed(apis):
    _, _, hub, github = apis
    github.github_repo("example/medical-lm", "Apache-2.0")
    hub.hub_model("example/medical-lm", "gemma", gated="manual", sha="c" * 40, revisions=("b" * 40,))
    assert kinds(schema2_entry(), apis) == [("card-changed", "sources", "b" * 40, "c" * 40)]
    hub.clear_log()
    assert kinds(schema2_entry(sources=[card_at("c" * 40)]), apis) == [], "read at the card's revision"
    assert not [path for path in hub.paths() if "/revision/" in path]


def test_a_pinned_revision_read_elsewhere_is_not_the_cards(apis):
    _, _, hub, github = apis
    github.github_repo("example/medical-lm", "Apache-2.0")
    hub.hub_model(
        "example/medical-lm", "gemma", gated="manual", sha="c" * 40
    )  # b... is not one of its revisions
    assert kinds(schema2_entry(), apis) == []
    assert "/api/models/example/medical-lm/revision/" + "b" * 40 in hub.paths()


def test_each_variant_card_is_compared_with_its_own_licence(apis):
    _, _, hub, github = apis
    github.github_repo("example/medical-lm", "Apache-2.0")
    hub.hub_model("example/medical-lm", "gemma", gated="manual", sha="b" * 40)
    hub.hub_model("example/medical-lm-4b", "cc-by-nc-4.0")
    hub.hub_model("example/medical-lm-27b", "apache-2.0")
    entry = schema2_entry(
        variants=[
            {"name": "medical-lm-4b", "license": "CC-BY-NC-4.0",
             "model_card": "https://huggingface.co/example/medical-lm-4b"},
            {"name": "medical-lm-27b", "model_card": "https://huggingface.co/example/medical-lm-27b"},
        ]
    )  # fmt: skip
    assert kinds(entry, apis) == [
        ("licence-changed", "licenses.weights", "LicenseRef-Gemma-Terms-of-Use", "apache-2.0"),
    ]


def test_inactivity_counts_every_source_and_is_not_claimed_when_one_failed(apis):
    hub_api, github_api, hub, github = apis
    hub.hub_model(
        "example/medical-lm", "gemma", gated="manual", sha="b" * 40, last_modified="2025-01-02T00:00:00Z"
    )
    github.github_repo("example/medical-lm", "Apache-2.0", pushed_at="2024-03-01T00:00:00Z")
    assert kinds(schema2_entry(), apis) == [("inactive", "links.model_card", None, "2025-01-02")]
    assert kinds(schema2_entry(), apis, today="2025-12-01") == [], "11 months is not inactive"
    del github.answers["/repos/example/medical-lm"]
    [result] = check_entries([entry_facts(typed(schema2_entry()))], hub_api, github_api, Thresholds(), TODAY)
    assert result.findings == [] and result.not_checked == [("links.repository", "GitHub: 404 Not Found")]


# --- The client ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("base", "safe"),
    [
        ("https://api.github.com", True),
        ("http://127.0.0.1:8080", True),
        ("http://localhost:8080", True),
        ("http://example.org", False),
    ],
)
def test_tokens_are_sent_only_over_https_or_to_this_machine(base, safe):
    assert _safe_for_token(base) is safe


def test_both_styles_of_rate_limit_header_are_read():
    import email.message

    github = email.message.Message()
    github["X-RateLimit-Remaining"] = "0"
    github["X-RateLimit-Reset"] = "1900000000"
    assert _rate_limit(github) == (0, 1900000000.0)
    hub = email.message.Message()
    hub["RateLimit"] = '"api";r=42;t=120'
    remaining, reset_at = _rate_limit(hub)
    assert remaining == 42 and reset_at is not None


# --- The report ---------------------------------------------------------------------------


def test_a_clean_report_does_not_claim_what_was_not_checked():
    clean = FreshnessReport(TODAY, Thresholds(), entries={}, not_checked={})
    assert "Every entry matches what upstream says." in report_markdown(clean)
    partly = replace(clean, not_checked={"x": [Unanswered("links.repository", "GitHub: timed out")]})
    text = report_markdown(partly)
    assert (
        "Every entry that could be checked matches" in text
        and "- `x`, `links.repository`: GitHub: timed out" in text
    )
