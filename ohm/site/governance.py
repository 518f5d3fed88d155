"""A governance pack per model: what a hospital's review board needs, prefilled from the entry.

One zip file per model (`governance_pack`), downloaded from its page, holds:

- `cyclonedx.json`: a CycloneDX 1.6 ML-BOM, one `machine-learning-model`
  component with its `modelCard`. cyclonedx-python-lib (11.x) does not model
  model cards yet, so the document is assembled here as data; the tests check
  it against the official 1.6 schema with that library's validator.
- `worksheet.md` and `worksheet.csv`: the questions a governance review asks,
  each answered from the entry's own fields with its evidence, and the
  questions only the hospital can answer left blank and named.

Nothing is invented: an answer is a field of the entry (or "unknown" where the
entry says the sources are silent), and its evidence is the link the entry
gives for it or, failing that, the sources the entry was verified against.
An SPDX 3 AI package or a CHAI model card is not made: no package ships a schema
to check them against offline, and what cannot be checked is not written.
"""

from __future__ import annotations

import csv
import io
import json
import uuid
import zipfile
from dataclasses import dataclass

from ohm.catalog import vocabulary
from ohm.catalog.catalogue import Model

from .export import spreadsheet_cell
from .history import EVENT_NAMESPACE
from .render import markdown_text

CYCLONEDX_SPEC = "1.6"
# The entry's facts that CycloneDX has no field for, as properties under this prefix.
PROPERTY_PREFIX = "open-health-models"
WORKSHEET_COLUMNS = ("section", "question", "answer", "evidence", "answered_by")
BY_CATALOGUE, BY_HOSPITAL = "the catalogue", "the hospital"
# The questions only the hospital can answer: left blank in every worksheet, by name.
HOSPITAL_QUESTIONS = (
    (
        "Local validation",
        "Has the model been validated on our own patients, data and equipment? With what result?",
    ),
    (
        "Subgroup performance",
        "How does it perform across the subgroups of our population (age, sex, ethnicity, site, device)?",
    ),
    ("Monitoring", "How will its performance and drift be monitored after deployment, how often, by whom?"),
    ("Accountability", "Who is accountable for its use, clinically and technically?"),
    ("Human oversight", "Where in the workflow does a clinician review its output before it is acted on?"),
    ("Data protection", "Has a data protection impact assessment been done for this use?"),
    ("Incidents and retirement", "How are incidents reported, and when is the model withdrawn?"),
)


@dataclass(frozen=True)
class Question:
    section: str
    question: str
    answer: str | None  # None: only the hospital can answer it
    evidence: tuple[str, ...] = ()  # where the answer was read

    @property
    def answered_by(self) -> str:
        return BY_HOSPITAL if self.answer is None else BY_CATALOGUE


def _unknown(values: tuple[str, ...] | None) -> str:
    return "; ".join(values) if values else vocabulary.UNKNOWN


def worksheet(model: Model) -> list[Question]:
    """The review's questions in the order a board reads them: the entry's answers, then the hospital's."""
    sources = model.sources
    licences = [
        Question(
            "Licence",
            f"What is the licence of the {artefact.label.lower()}?",
            artefact.name + (f" ({artefact.note})" if artefact.note else ""),
            (artefact.url,) if artefact.url else sources,
        )
        for artefact in model.licenses
    ]
    trained = model.kind not in vocabulary.kinds_without_weights()
    data = model.training_data
    questions = [
        *licences,
        Question(
            "Licence",
            "Is commercial use allowed?",
            model.commercial_use_label
            + (f": {model.commercial_use_note}" if model.commercial_use_note else ""),
            tuple(a.url for a in model.licenses if a.url) or sources,
        ),
        Question(
            "Access",
            "How are the model's files obtained?",
            model.access_label + (f": {model.access_note}" if model.access_note else ""),
            tuple(link.url for link in model.links if link.kind in ("model_card", "repository")) or sources,
        ),
        Question("Intended use", "What is it for?", "; ".join(model.use_cases), sources),
        Question("Intended use", "Who is it for?", _unknown(model.intended_users), sources),
        Question("Intended use", "What is it not for?", _unknown(model.out_of_scope), sources),
    ]
    if trained:
        questions += [
            Question(
                "Training data",
                "What was it trained on?",
                "; ".join(d.name for d in data) if data else vocabulary.UNKNOWN,
                tuple(d.url for d in data or () if d.url) or sources,
            ),
            Question(
                "Training data",
                "Could the training data include patient data?",
                vocabulary.titles("phi_exposure").get(model.phi_exposure or "", vocabulary.UNKNOWN),
                sources,
            ),
        ]
    evaluations = model.evaluations
    questions += [
        Question(
            "Evidence",
            "What evidence of performance is there?",
            vocabulary.evidence_level_titles()[model.evidence_level],
            sources,
        ),
        Question(
            "Evidence",
            "What results are reported, and by whom?",
            "; ".join(
                f"{e.benchmark}: {e.metric} {e.value} ({'the developer' if e.self_reported else 'others'})"
                for e in evaluations
            )
            if evaluations
            else (vocabulary.UNKNOWN if evaluations is None else "none reported"),
            tuple(e.source for e in evaluations or ()) or sources,
        ),
        Question(
            "Regulatory status",
            "Is it cleared anywhere as a medical device?",
            "; ".join(
                f"{c.jurisdiction}: {c.status}" + (f" ({c.reference})" if c.reference else "")
                for c in model.regulatory
            )
            or "no clearance known",
            tuple(c.url for c in model.regulatory if c.url) or sources,
        ),
        Question("Deployment", "What hardware does it need?", _hardware(model), sources),
        Question(
            "Deployment",
            "Does it run offline, on our own hardware?",
            vocabulary.answer(model.deployment.runs_offline),
            sources,
        ),
        Question("Lineage", "What is it based on?", model.base_model or vocabulary.UNKNOWN, sources),
        Question(
            "Caveats", "What do its sources warn about?", "; ".join(model.caveats) or "none stated", sources
        ),
        Question(
            "Verification",
            "When were these facts last checked against their sources?",
            model.verified + (f" (second reader: {model.second_reader})" if model.second_reader else ""),
            sources,
        ),
        *(Question(section, text, None) for section, text in HOSPITAL_QUESTIONS),
    ]
    return questions


def _hardware(model: Model) -> str:
    deployment = model.deployment
    gpu = deployment.min_gpu_memory_gb
    formats = deployment.formats
    return "; ".join(
        [
            f"minimum GPU memory: {gpu if gpu == vocabulary.UNKNOWN else f'{gpu:g} GB'}",
            f"runs on CPU alone: {vocabulary.answer(deployment.cpu_only)}",
            f"formats: {formats if isinstance(formats, str) else ', '.join(formats)}",
        ]
    )


def worksheet_markdown(model: Model, page_url: str) -> str:
    lines = [
        f"# Governance review worksheet: {markdown_text(model.name)}",
        "",
        f"Prefilled from the Open Health Models entry `{model.id}` ({page_url}), whose facts were last "
        f"verified on {model.verified}. Each answer comes from the entry, with where it was read. "
        f"The questions marked **for the hospital** are left blank: only the hospital can answer them.",
    ]
    section = None
    for question in worksheet(model):
        if question.section != section:
            section = question.section
            lines += ["", f"## {markdown_text(section)}"]
        lines += ["", f"**{markdown_text(question.question)}**", ""]
        if question.answer is None:
            lines.append("*For the hospital:* ______________________________")
        else:
            lines.append(markdown_text(question.answer))
            lines += ["", "Evidence: " + ", ".join(f"<{url}>" for url in question.evidence)]
    return "\n".join(lines) + "\n"


def worksheet_csv(model: Model) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(WORKSHEET_COLUMNS)
    for q in worksheet(model):
        row = (q.section, q.question, q.answer or "", " ".join(q.evidence), q.answered_by)
        writer.writerow([spreadsheet_cell(cell) for cell in row])
    return buffer.getvalue()


def cyclonedx_document(model: Model, page_url: str) -> dict:
    """The model as a CycloneDX 1.6 ML-BOM: one machine-learning-model component with its model card."""
    references = {
        "model_card": "model-card",
        "repository": "vcs",
        "docs": "documentation",
        "paper": "documentation",
    }
    component: dict = {
        "type": "machine-learning-model",
        "bom-ref": model.id,
        "name": model.name,
        "description": model.description,
        "licenses": [
            {"license": {"name": f"{a.label}: {a.name}", **({"url": a.url} if a.url else {})}}
            for a in model.licenses
        ],
        "externalReferences": [
            {"type": references.get(link.kind, "website"), "url": link.url, "comment": link.label}
            for link in model.links
        ]
        + [{"type": "documentation", "url": page_url, "comment": "Open Health Models entry"}],
        "modelCard": _model_card(model),
        "properties": [
            {"name": f"{PROPERTY_PREFIX}:{name}", "value": value}
            for name, value in (
                ("commercial_use", model.commercial_use),
                ("access", model.access),
                ("evidence_level", model.evidence_level),
                ("phi_exposure", model.phi_exposure or vocabulary.UNKNOWN),
                ("verified", model.verified),
            )
        ],
    }
    if model.developer:
        component["publisher"] = model.developer
    serial = uuid.uuid5(EVENT_NAMESPACE, json.dumps(component, sort_keys=True))
    return {
        "$schema": "http://cyclonedx.org/schema/bom-1.6.schema.json",
        "bomFormat": "CycloneDX",
        "specVersion": CYCLONEDX_SPEC,
        "serialNumber": f"urn:uuid:{serial}",
        "version": 1,
        "components": [component],
    }


def _model_card(model: Model) -> dict:
    card: dict = {}
    parameters: dict = {}
    if model.tasks:
        parameters["task"] = ", ".join(task.title for task in model.tasks)
    if model.training_data:
        parameters["datasets"] = [
            {
                "type": "dataset",
                "name": data.name,
                **({"description": data.note} if data.note else {}),
                **({"contents": {"url": data.url}} if data.url else {}),
            }
            for data in model.training_data
        ]
    if model.modalities:
        parameters["inputs"] = [{"format": modality} for modality in model.modalities]
    if parameters:
        card["modelParameters"] = parameters
    if model.evaluations:
        card["quantitativeAnalysis"] = {
            "performanceMetrics": [
                {"type": e.metric, "value": e.value, "slice": e.benchmark} for e in model.evaluations
            ]
        }
    considerations: dict = {"useCases": list(model.use_cases)}
    if model.intended_users:
        considerations["users"] = list(model.intended_users)
    if model.caveats or model.out_of_scope:
        considerations["technicalLimitations"] = [
            *model.caveats,
            *(f"Out of scope: {use}" for use in model.out_of_scope or ()),
        ]
    card["considerations"] = considerations
    return card


def cyclonedx_json(model: Model, page_url: str) -> str:
    return json.dumps(cyclonedx_document(model, page_url), ensure_ascii=False, indent=2) + "\n"


def governance_pack(model: Model, page_url: str) -> bytes:
    """The zip file: the ML-BOM and the worksheet in two forms, under a folder named after the entry.

    Every member has the same fixed date, so two builds of one entry give the same bytes.
    """
    members = {
        "cyclonedx.json": cyclonedx_json(model, page_url),
        "worksheet.md": worksheet_markdown(model, page_url),
        "worksheet.csv": worksheet_csv(model),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as pack:
        for name, text in members.items():
            info = zipfile.ZipInfo(f"{model.id}/{name}", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            pack.writestr(info, text.encode("utf-8"))
    return buffer.getvalue()
