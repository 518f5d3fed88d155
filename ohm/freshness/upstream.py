"""What the Hugging Face Hub and GitHub say about a model today.

    Hub     GET /api/models/{repo}                     card licence, gated, lastModified, sha
            GET /api/models/{repo}/revision/{rev}      is the pinned revision one of this card's?
    GitHub  GET /repos/{owner}/{repo}                  license.spdx_id, archived, pushed_at
            GET /repos/{owner}/{repo}/releases/latest  published_at (404: no release yet)

Each answer goes through one typed parser (`_keep_*`) before anything reads or
caches it: the fields read must have their documented types (a string where a
string is due, true or false where a boolean is; `"false"` is not false), and
every string is cleaned (text.clean_text). An answer that does not fit raises
Unusable naming the field, so that question is "not checked", never a finding.
"""

from __future__ import annotations

import datetime
import urllib.parse
from dataclasses import dataclass
from typing import Any

from .client import Api, NotFound, Unusable
from .text import clean_text

HUB_HOST = "huggingface.co"
GITHUB_HOST = "github.com"

# First path segments of huggingface.co and github.com that are not an owner of models or code.
_HUB_NOT_MODELS = {"collections", "datasets", "spaces", "docs", "blog", "papers", "models", "organizations"}
_GITHUB_NOT_REPOS = {
    "orgs",
    "topics",
    "collections",
    "features",
    "marketplace",
    "sponsors",
    "apps",
    "settings",
}


@dataclass(frozen=True)
class HubModel:
    repo: str
    licences: tuple[str, ...]  # the card's `license` (one id or several), else its license:* tags
    licence_name: str | None  # `license_name`, which names the licence when `license` is `other`
    gated: bool | str  # False, "auto" or "manual"
    last_modified: str | None  # YYYY-MM-DD
    sha: str | None

    @property
    def licence_text(self) -> str:
        """The card's licence as a maintainer would look it up."""
        text = ", ".join(self.licences) or "none stated"
        return f"{text} ({self.licence_name})" if self.licence_name and "other" in self.licences else text


@dataclass(frozen=True)
class GitHubRepo:
    repo: str
    spdx_id: str | None  # None when GitHub finds no licence file
    archived: bool
    pushed_at: str | None  # YYYY-MM-DD
    latest_release: str | None  # YYYY-MM-DD, None without releases


def hub_repo(url: str) -> str | None:
    """`owner/name` of a Hugging Face model page (`https://huggingface.co/owner/name[/...]`), else None."""
    segments = _segments(url, HUB_HOST)
    if len(segments) >= 2 and segments[0] not in _HUB_NOT_MODELS:
        return f"{segments[0]}/{segments[1]}"
    return None


def github_repo(url: str) -> str | None:
    """`owner/name` of a GitHub repository page (`https://github.com/owner/name[/...]`), else None."""
    segments = _segments(url, GITHUB_HOST)
    if len(segments) >= 2 and segments[0].lower() not in _GITHUB_NOT_REPOS:
        name = segments[1].removesuffix(".git")
        return f"{segments[0]}/{name}" if name else None
    return None


def _segments(url: str, host: str) -> list[str]:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme != "https" or (parts.hostname or "").lower() not in (host, f"www.{host}"):
        return []
    return [segment for segment in parts.path.split("/") if segment]


def _path(repo: str) -> str:
    return "/".join(urllib.parse.quote(segment, safe="") for segment in repo.split("/"))


async def fetch_hub_model(api: Api, repo: str) -> HubModel:
    data = await api.get(f"/api/models/{_path(repo)}", keep=_keep_hub_model)
    card = data["cardData"]
    licence = card.get("license")
    if isinstance(licence, str):
        licences: tuple[str, ...] = (licence,)
    elif isinstance(licence, list):
        licences = tuple(licence)
    else:
        licences = tuple(tag.removeprefix("license:") for tag in data["tags"])
    return HubModel(
        repo=repo,
        licences=licences,
        licence_name=card.get("license_name"),
        gated=data["gated"],
        last_modified=_date(data["lastModified"]),
        sha=data["sha"].lower() if data["sha"] else None,
    )


async def hub_has_revision(api: Api, repo: str, revision: str) -> bool:
    """Whether `revision` is a commit of this Hugging Face repository (else it was read elsewhere)."""
    try:
        await api.get(
            f"/api/models/{_path(repo)}/revision/{urllib.parse.quote(revision, safe='')}",
            keep=lambda data: {"sha": _text(_object(data, "answer"), "sha")},
            immutable=True,  # whether a commit belongs to a repository does not change
        )
    except NotFound:
        return False
    return True


async def fetch_github_repo(api: Api, repo: str) -> GitHubRepo:
    data = await api.get(f"/repos/{_path(repo)}", keep=_keep_github_repo)
    try:
        release = await api.get(f"/repos/{_path(repo)}/releases/latest", keep=_keep_release)
    except NotFound:
        release = {"published_at": None}
    return GitHubRepo(
        repo=repo,
        spdx_id=(data["license"] or {}).get("spdx_id") or None,
        archived=data["archived"],
        pushed_at=_date(data["pushed_at"]),
        latest_release=_date(release["published_at"]),
    )


# --- The typed parsers: each returns the plain, cleaned dict that is cached, or raises Unusable -------


def _keep_hub_model(data: Any) -> dict[str, Any]:
    data = _object(data, "answer")
    card = data.get("cardData")
    card = {} if card is None else _object(card, "cardData")
    kept_card: dict[str, Any] = {}
    licence = card.get("license")
    if isinstance(licence, list):
        kept_card["license"] = [_string(item, "cardData.license[]") for item in licence]
    elif licence is not None:
        kept_card["license"] = _string(licence, "cardData.license")
    for name in ("license_name", "license_link"):
        if card.get(name) is not None:
            kept_card[name] = _string(card[name], f"cardData.{name}")
    tags = data.get("tags")
    tags = [] if tags is None else tags
    if not isinstance(tags, list):
        raise Unusable(f"unexpected answer: `tags` is {_kind(tags)}, expected a list")
    gated = data.get("gated", False)
    if not (gated is False or gated is True or gated in ("auto", "manual")):
        raise Unusable(f'unexpected answer: `gated` is {_kind(gated)}, expected false, "auto" or "manual"')
    return {
        "id": _text(data, "id", required=True),
        "sha": _text(data, "sha"),
        "lastModified": _timestamp(data, "lastModified"),
        "gated": gated,
        "tags": [clean_text(tag) for tag in tags if isinstance(tag, str) and tag.startswith("license:")],
        "cardData": kept_card,
    }


def _keep_github_repo(data: Any) -> dict[str, Any]:
    data = _object(data, "answer")
    archived = data.get("archived")
    if not isinstance(archived, bool):
        raise Unusable(f"unexpected answer: `archived` is {_kind(archived)}, expected true or false")
    licence = data.get("license")
    if licence is not None:
        licence = {"spdx_id": _text(_object(licence, "license"), "spdx_id", where="license.spdx_id")}
    return {
        "full_name": _text(data, "full_name", required=True),
        "archived": archived,
        "pushed_at": _timestamp(data, "pushed_at"),
        "license": licence,
    }


def _keep_release(data: Any) -> dict[str, Any]:
    data = _object(data, "answer")
    published = _timestamp(data, "published_at")
    return {"published_at": published or _timestamp(data, "created_at")}


def _object(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise Unusable(f"unexpected answer: `{where}` is {_kind(value)}, expected an object")
    return value


def _string(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise Unusable(f"unexpected answer: `{where}` is {_kind(value)}, expected text")
    return clean_text(value)


def _text(data: dict[str, Any], name: str, *, required: bool = False, where: str | None = None) -> str | None:
    value = data.get(name)
    if value is None and not required:
        return None
    return _string(value, where or name)


def _timestamp(data: dict[str, Any], name: str) -> str | None:
    """An ISO 8601 timestamp, kept as written (cleaned); Unusable if it is no date."""
    value = _text(data, name)
    if value is not None and _date(value) is None:
        raise Unusable(f"unexpected answer: `{name}` is not a date")
    return value


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, str):
        return "text"  # never quoted: upstream text stays out of the reasons
    return {int: "a number", float: "a number", list: "a list", dict: "an object"}.get(type(value), "odd")


def _date(value: Any) -> str | None:
    """The day of an ISO 8601 timestamp (`2025-03-04T10:00:00.000Z` -> `2025-03-04`), else None."""
    try:
        return datetime.date.fromisoformat(value[:10]).isoformat() if isinstance(value, str) else None
    except ValueError:
        return None
