"""What the Hugging Face Hub and GitHub say about a model today.

    Hub     GET /api/models/{repo}                     card licence, gated, lastModified, sha; the card's
                                                       base_model, datasets, language; its files' formats
            GET /api/models/{repo}/revision/{rev}      is the pinned revision one of this card's?
            GET /{repo}/resolve/main/{path}            a cited file at the head (the file itself)
    GitHub  GET /repos/{owner}/{repo}                  license.spdx_id, archived, pushed_at
            GET /repos/{owner}/{repo}/releases/latest  published_at (404: no release yet)
            GET /repos/{owner}/{repo}/contents/{path}  a cited file at the head (base64 in JSON)

Each answer goes through one typed parser (`_keep_*`) before anything reads or
caches it: the fields read must have their documented types (a string where a
string is due, true or false where a boolean is; `"false"` is not false), and
every string is cleaned (text.clean_text). An answer that does not fit raises
Unusable naming the field, so that question is "not checked", never a finding.
A cited file must be text: UTF-8, no NUL byte, not an HTML page in place of
another kind of file, within the body cap.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import re
import urllib.parse
from dataclasses import dataclass
from typing import Any

from ohm.catalog.evidence import HUB_HEAD

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
    base_models: tuple[str, ...] = ()  # the card's `base_model`
    datasets: tuple[str, ...] = ()  # the card's `datasets`
    languages: tuple[str, ...] = ()  # the card's `language`
    formats: tuple[str, ...] = ()  # of WEIGHT_FORMATS, those the repository has files of

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


# Weight formats told by a file's name: the catalogue's word for each, and the ending.
WEIGHT_FORMATS = {"safetensors": ".safetensors", "gguf": ".gguf"}
CARD_LISTS = ("base_model", "datasets", "language")  # card fields of one id or a list of them


@dataclass(frozen=True)
class HeadFile:
    """A cited file at its repository's head, and the request that reads it."""

    url: str  # the file at the head, as a person opens it (evidence.head_url)
    api: str  # "hub" or "github": which API reads it
    path: str  # the request, under that API's address


@dataclass(frozen=True)
class FileText:
    url: str
    text: str | None  # None: the file is gone (404)


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
        base_models=tuple(card.get("base_model", ())),
        datasets=tuple(card.get("datasets", ())),
        languages=tuple(card.get("language", ())),
        formats=tuple(
            name
            for name, ending in WEIGHT_FORMATS.items()
            if any(sibling["rfilename"].endswith(ending) for sibling in data["siblings"])
        ),
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


_GITHUB_HEAD = re.compile(r"^https://raw\.githubusercontent\.com/([^/]+/[^/]+)/HEAD/(.+)$")
_HUB_HEAD = re.compile(rf"^https://huggingface\.co/(.+/resolve/{HUB_HEAD}/.+)$")


def head_file(url: str) -> HeadFile | None:
    """How to read a file at its head (an address from evidence.head_url), or None if neither API can."""
    if match := _GITHUB_HEAD.match(url):
        return HeadFile(url, "github", f"/repos/{match[1]}/contents/{match[2]}")
    if match := _HUB_HEAD.match(url):
        return HeadFile(url, "hub", f"/{match[1]}")
    return None


async def fetch_file(api: Api, file: HeadFile) -> FileText:
    """The text of a cited file at its head; its text is None when it is gone (404)."""
    name = file.url.rsplit("/", 1)[-1]
    try:
        if file.api == "github":
            text = await api.get(file.path, keep=lambda data: _keep_github_file(data, name))
        else:
            text = await api.get(file.path, keep=lambda data: _keep_file(data, name), file=True)
    except NotFound:
        return FileText(file.url, None)
    return FileText(file.url, text)


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
    for name in CARD_LISTS:
        value = card.get(name)
        if isinstance(value, str):
            kept_card[name] = [clean_text(value)]
        elif isinstance(value, list):  # items of another kind name nothing: left out
            kept_card[name] = [clean_text(item) for item in value if isinstance(item, str)]
        elif value is not None:
            raise Unusable(f"unexpected answer: `cardData.{name}` is {_kind(value)}, expected text or a list")
    gated = data.get("gated", False)
    if not (gated is False or gated is True or gated in ("auto", "manual")):
        raise Unusable(f'unexpected answer: `gated` is {_kind(gated)}, expected false, "auto" or "manual"')
    siblings = data.get("siblings")
    siblings = [] if siblings is None else siblings
    if not isinstance(siblings, list):
        raise Unusable(f"unexpected answer: `siblings` is {_kind(siblings)}, expected a list")
    names = [s.get("rfilename") for s in siblings if isinstance(s, dict)]
    # One file of each weight format is all the check reads (and all the cache keeps).
    formats = {
        ending: clean_text(name)
        for name in reversed(names)
        if isinstance(name, str)
        for ending in WEIGHT_FORMATS.values()
        if name.endswith(ending)
    }
    return {
        "id": _text(data, "id", required=True),
        "sha": _text(data, "sha"),
        "lastModified": _timestamp(data, "lastModified"),
        "gated": gated,
        "tags": [clean_text(tag) for tag in tags if isinstance(tag, str) and tag.startswith("license:")],
        "cardData": kept_card,
        "siblings": [{"rfilename": name} for name in formats.values()],
    }


def _keep_github_file(data: Any, name: str) -> str:
    """The text of a file from GitHub's contents API (`content` in base64), or the text kept from it."""
    if isinstance(data, str):
        return _keep_file(data, name)
    data = _object(data, "answer")
    if data.get("type") != "file" or data.get("encoding") != "base64":
        raise Unusable("unexpected answer: not a file GitHub sends whole (a folder, a link or over 1 MB)")
    content = data.get("content")
    if not isinstance(content, str):
        raise Unusable(f"unexpected answer: `content` is {_kind(content)}, expected text")
    try:
        return _keep_file(base64.b64decode("".join(content.split()), validate=True), name)
    except (binascii.Error, ValueError):
        raise Unusable("unexpected answer: `content` is not base64") from None


_HTML_START = re.compile(rb"\s*(<!doctype\s+html|<html[\s>])", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def _keep_file(data: Any, name: str) -> str:
    """A cited file's text: its bytes decoded, or the text kept from them before (from the cache).

    Not text (a NUL byte, not UTF-8) or an HTML page where the file is not one (a login or error
    page) is Unusable. Control characters other than tabs and line ends are replaced.
    """
    if isinstance(data, bytes):
        if b"\0" in data:
            raise Unusable("unexpected answer: binary, not a text file")
        if _HTML_START.match(data[:1024]) and not name.lower().endswith((".html", ".htm")):
            raise Unusable("unexpected answer: an HTML page in place of the file")
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise Unusable("unexpected answer: not UTF-8 text") from None
    if not isinstance(data, str):
        raise Unusable(f"unexpected answer: the file is {_kind(data)}, expected text")
    return _CONTROL.sub("\ufffd", data)


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
