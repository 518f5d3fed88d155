"""Ask, in a terminal, for the fields of a new entry that were not given as options.

Each answer is checked as it is typed against its field's part of the schema
(limits, formats, https links, plain text, dates: see `check_field`) and the
catalogue's declarations (categories, licences, ids), and asked again until it
is good, so the entry that reaches the file is complete.
Reading and printing go through two functions, so tests can answer for a person.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any

from . import fields, vocabulary
from .catalogue import most_restrictive
from .validate import value_problem

Ask = Callable[[str], str]
Say = Callable[[str], None]
Check = Callable[[str], str | None]

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
# Commercial use that needs a note, and what the note should say (as the validator requires).
NOTE_NEEDED = {
    "restricted": "say what the condition is",
    "not-allowed": "say what the condition is",
    "unclear": "say what is known",
}


def kinds() -> list[str]:
    return vocabulary.values("kind")


def modalities() -> list[str]:
    return vocabulary.values("modalities")


def slug_of(name: str) -> str:
    """`Llama 3.2` -> `llama-3-2`: a suggestion for the id."""
    return "-".join(re.findall(r"[a-z0-9]+", name.casefold()))


# --- Checks of one answer ----------------------------------------------------------------


def check_field(name: str, item: bool = False) -> Check:
    """Checks an answer against the schema of field `name` (of one item of it, for a list field)."""
    node = fields.field_spec(name).schema
    return lambda answer: value_problem(node["items"] if item else node, answer)


def check_link(kind: str) -> Check:
    node = fields.field_spec("links").schema["properties"][kind]
    return lambda answer: value_problem(node, answer)


def check_one_of(choices: list[str]) -> Check:
    return lambda answer: None if answer in choices else f"must be one of: {', '.join(choices)}"


def check_id(taken: set[str]) -> Check:
    def check(answer: str) -> str | None:
        if not SLUG.match(answer):
            return "must be lowercase letters, digits and single hyphens, like whisper-large-v3"
        if answer in taken:
            return f"{answer!r} is already in the catalogue; choose another id"
        return None

    return check


def check_date(answer: str) -> str | None:
    problem = check_field("verified")(answer)
    if problem:
        return problem
    future = datetime.date.fromisoformat(answer) > datetime.date.today()
    return "is in the future: use the day you checked the facts" if future else None


def check_each(check: Check) -> Check:
    """Check every item of a comma-separated answer."""

    def check_all(answer: str) -> str | None:
        for item in split_list(answer):
            problem = check(item)
            if problem:
                return f"{item!r}: {problem}"
        return None

    return check_all


def split_list(answer: str) -> list[str]:
    return [item.strip() for item in answer.split(",") if item.strip()]


# --- Asking ----------------------------------------------------------------------------


class Interview:
    """Asks for each missing field in turn; `entry` is filled in place."""

    def __init__(self, catalogue: dict[str, Any], ask: Ask, say: Say) -> None:
        self.catalogue = catalogue
        self.ask_line = ask
        self.say = say

    def ask(self, prompt: str, check: Check, default: str | None = None, required: bool = True) -> str:
        """One answer that passes `check`; an empty answer takes the default, or skips if optional."""
        shown = f"{prompt} [{default}]: " if default else f"{prompt}: "
        while True:
            try:
                answer = self.ask_line(shown).strip()
            except UnicodeDecodeError:
                self.say("  that was not UTF-8 text; set the terminal to UTF-8 and type it again")
                continue
            if not answer and default:
                answer = default
            if not answer and not required:
                return ""
            problem = check(answer) if answer else "an answer is required"
            if problem is None:
                return answer
            self.say(f"  {problem}")

    def ask_many(self, prompt: str, check: Check, required: bool) -> list[str]:
        """One item per answer until an empty one."""
        self.say(f"{prompt} (one per line; an empty line ends the list):")
        items: list[str] = []
        while True:
            item = self.ask(f"  {len(items) + 1}", check, required=required and not items)
            if not item:
                return items
            items.append(item)

    def fill(self, entry: dict[str, Any]) -> dict[str, Any]:
        """Asks for each field of fields.asked_fields() the entry has no value for, with `_ask_<field>`."""
        for field in fields.asked_fields():
            if not entry.get(field):
                getattr(self, f"_ask_{field}")(entry)
        return entry

    def _ask_name(self, entry: dict[str, Any]) -> None:
        entry["name"] = self.ask("Name of the model", check_field("name"))

    def _ask_id(self, entry: dict[str, Any]) -> None:
        models = [m for m in self.catalogue.get("models", []) if isinstance(m, dict)]
        taken = {m["id"] for m in models if isinstance(m.get("id"), str)}
        entry["id"] = self.ask("Id (unique, used in page addresses)", check_id(taken), slug_of(entry["name"]))

    def _ask_developer(self, entry: dict[str, Any]) -> None:
        entry["developer"] = self.ask(
            "Developer (organisation or group that publishes it)", check_field("developer")
        )

    def choose(self, prompt: str, choices: list[tuple[str, str]]) -> str:
        """One of `choices` (value, description), answered by its number or its value."""
        self.say(f"{prompt}:")
        for number, (value, description) in enumerate(choices, start=1):
            self.say(f"  {number}. {value}" + (f" ({description})" if description else ""))
        values = [value for value, _ in choices]
        by_number = {str(number): value for number, value in enumerate(values, start=1)}
        default = values[0] if len(values) == 1 else None
        answer = self.ask(
            f"{prompt} (number or name)", lambda a: check_one_of(values)(by_number.get(a, a)), default
        )
        return by_number.get(answer, answer)

    def _ask_category(self, entry: dict[str, Any]) -> None:
        categories = self.catalogue["categories"]
        entry["category"] = self.choose("Category", [(c["id"], c["title"]) for c in categories])

    def _ask_subcategory(self, entry: dict[str, Any]) -> None:
        category = next(c for c in self.catalogue["categories"] if c["id"] == entry["category"])
        choices = [(s["id"], s["title"]) for s in category["subcategories"]]
        entry["subcategory"] = self.choose(f"Subcategory of {category['id']}", choices)

    def _ask_kind(self, entry: dict[str, Any]) -> None:
        entry["kind"] = self.choose("Kind", [(c.value, c.description) for c in vocabulary.choices("kind")])

    def _ask_modalities(self, entry: dict[str, Any]) -> None:
        self.say("Modalities: " + ", ".join(modalities()))
        answer = self.ask("Modalities (comma-separated)", check_each(check_one_of(modalities())))
        entry["modalities"] = list(dict.fromkeys(split_list(answer)))

    def _ask_description(self, entry: dict[str, Any]) -> None:
        prompt = "Description (one or two sentences of plain text: what it is, what it is good at)"
        entry["description"] = self.ask(prompt, check_field("description"))

    def _ask_use_cases(self, entry: dict[str, Any]) -> None:
        entry["use_cases"] = self.ask_many("Use cases", check_field("use_cases", item=True), required=True)

    def _ask_tasks(self, entry: dict[str, Any]) -> None:
        declared = [task["id"] for task in self.catalogue.get("tasks", []) if isinstance(task, dict)]
        if not declared:
            return
        self.say("Tasks: " + ", ".join(declared))
        answer = self.ask(
            "Tasks (comma-separated; optional)", check_each(check_one_of(declared)), required=False
        )
        entry["tasks"] = list(dict.fromkeys(split_list(answer)))

    def _ask_caveats(self, entry: dict[str, Any]) -> None:
        entry["caveats"] = self.ask_many(
            "Caveats (optional)", check_field("caveats", item=True), required=False
        )

    def _ask_verified(self, entry: dict[str, Any]) -> None:
        entry["verified"] = self.ask("Facts checked on (YYYY-MM-DD)", check_date, _today())

    def _ask_links(self, entry: dict[str, Any]) -> None:
        self.say("Links (https:// only; give at least one, press Enter to skip a kind):")
        links: dict[str, str] = {}
        while not links:
            for kind, prompt in vocabulary.link_kinds().items():
                answer = self.ask(f"  {prompt}", check_link(kind), required=False)
                if answer:
                    links[kind] = answer
            if not links:
                self.say("  at least one link is required")
        entry["links"] = links

    def _ask_licenses(self, entry: dict[str, Any]) -> None:
        """The licence of each artefact; the verdict, and a note where it is not simply allowed."""
        declared = {i["id"]: i for i in self.catalogue["licenses"]}
        self.say("A licence not listed below must first be declared under licenses: (see CONTRIBUTING.md).")
        choices = [
            (i["id"], f"{i['name']}; commercial use: {i['commercial_use']}") for i in declared.values()
        ]
        choices.append((vocabulary.UNKNOWN, "the sources state no licence"))
        trained = entry["kind"] not in vocabulary.kinds_without_weights()
        licences: dict[str, dict[str, str]] = {}
        for artefact, label in vocabulary.artefacts().items():
            if artefact == "code" or (trained and artefact == "weights"):
                licences[artefact] = {"id": self.choose(f"Licence of the {label.lower()}", choices)}
        entry["licenses"] = licences
        uses = [
            declared[i["id"]]["commercial_use"] if i["id"] in declared else "unclear"
            for i in licences.values()
        ]
        use = entry.get("commercial_use") or most_restrictive(uses)
        if use in NOTE_NEEDED and not entry.get("commercial_use_note"):
            prompt = f"Commercial-use note (commercial use is {use}: {NOTE_NEEDED[use]})"
            entry["commercial_use_note"] = self.ask(prompt, check_field("commercial_use_note"))

    def _ask_access(self, entry: dict[str, Any]) -> None:
        entry["access"] = self.choose(
            "Access", [(c.value, c.description) for c in vocabulary.choices("access")]
        )

    def _ask_phi_exposure(self, entry: dict[str, Any]) -> None:
        if entry["kind"] not in vocabulary.kinds_without_weights():
            choices = [(c.value, c.description) for c in vocabulary.choices("phi_exposure")]
            entry["phi_exposure"] = self.choose("Could it have seen patient data", choices)

    def _ask_parameters(self, entry: dict[str, Any]) -> None:
        prompt = "Published sizes, comma-separated (e.g. 1B, 7B; optional)"
        entry["parameters"] = split_list(
            self.ask(prompt, check_each(check_field("parameters", item=True)), required=False)
        )

    def _ask_sources(self, entry: dict[str, Any]) -> None:
        entry["sources"] = self.ask_many(
            "Sources you read the facts from: model card, LICENSE file, paper (https://)",
            check_field("sources", item=True),
            True,
        )


def _today() -> str:
    return datetime.date.today().isoformat()
