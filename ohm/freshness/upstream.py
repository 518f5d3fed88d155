"""What the Hugging Face Hub and GitHub say about a model today.

    Hub     GET /api/models/{repo}                     card licence, gated, lastModified, sha
            GET /api/models/{repo}/revision/{rev}      is `verified_revision` a revision of this card?
    GitHub  GET /repos/{owner}/{repo}                  license.spdx_id, archived, pushed_at
            GET /repos/{owner}/{repo}/releases/latest  published_at (404: no release yet)

Each answer is cut down to the fields read here before it is cached.
"""

from __future__ import annotations

import datetime
import urllib.parse
from dataclasses import dataclass
from typing import Any

from .client import Api, NotFound

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


def fetch_hub_model(api: Api, repo: str) -> HubModel:
    data = api.get(f"/api/models/{_path(repo)}", keep=_keep_hub_model)
    card = data.get("cardData") or {}
    licence = card.get("license")
    if isinstance(licence, str):
        licences: tuple[str, ...] = (licence,)
    elif isinstance(licence, list):
        licences = tuple(str(item) for item in licence)
    else:
        licences = tuple(tag.removeprefix("license:") for tag in data.get("tags", []))
    gated = data.get("gated", False)
    return HubModel(
        repo=repo,
        licences=licences,
        licence_name=card.get("license_name") if isinstance(card.get("license_name"), str) else None,
        gated=gated if isinstance(gated, str) else bool(gated),
        last_modified=_date(data.get("lastModified")),
        sha=data["sha"].lower() if isinstance(data.get("sha"), str) else None,
    )


def _keep_hub_model(data: dict[str, Any]) -> dict[str, Any]:
    card = data.get("cardData") or {}
    return {
        "id": data["id"],
        "sha": data.get("sha"),
        "lastModified": data.get("lastModified"),
        "gated": data.get("gated", False),
        "tags": [tag for tag in data.get("tags", []) if isinstance(tag, str) and tag.startswith("license:")],
        "cardData": {key: card[key] for key in ("license", "license_name", "license_link") if key in card},
    }


def hub_has_revision(api: Api, repo: str, revision: str) -> bool:
    """Whether `revision` is a commit of this Hugging Face repository (else it was read elsewhere)."""
    try:
        api.get(
            f"/api/models/{_path(repo)}/revision/{urllib.parse.quote(revision, safe='')}",
            keep=lambda data: {"sha": data.get("sha")},
        )
    except NotFound:
        return False
    return True


def fetch_github_repo(api: Api, repo: str) -> GitHubRepo:
    data = api.get(f"/repos/{_path(repo)}", keep=_keep_github_repo)
    try:
        release = api.get(
            f"/repos/{_path(repo)}/releases/latest",
            keep=lambda data: {"published_at": data.get("published_at") or data.get("created_at")},
        )
    except NotFound:
        release = {}
    licence = data.get("license") or {}
    return GitHubRepo(
        repo=repo,
        spdx_id=licence.get("spdx_id") or None,
        archived=bool(data.get("archived")),
        pushed_at=_date(data.get("pushed_at")),
        latest_release=_date(release.get("published_at")),
    )


def _keep_github_repo(data: dict[str, Any]) -> dict[str, Any]:
    licence = data.get("license") or {}
    return {
        "full_name": data["full_name"],
        "archived": bool(data.get("archived")),
        "pushed_at": data.get("pushed_at"),
        "license": {"spdx_id": licence.get("spdx_id")} if licence else None,
    }


def _date(value: Any) -> str | None:
    """The day of an ISO 8601 timestamp (`2025-03-04T10:00:00.000Z` -> `2025-03-04`), else None."""
    try:
        return datetime.date.fromisoformat(value[:10]).isoformat() if isinstance(value, str) else None
    except ValueError:
        return None
