"""What makes a link acceptable in the catalogue: the URL rules, in one place.

A link must be an https:// address of a public host, because the site shows it
to every visitor and the link check requests it from CI. So it may not carry
a user name or password, and its host may not be an IP address in any
spelling (`127.0.0.1`, `0x7f.0.0.1`, `2130706433`, `[::1]`) nor a name that
only means something inside a network (`localhost`, `metadata.google.internal`,
`printer.local`). Host names must be written in ASCII (punycode for
international names), which also keeps look-alike letters out of them.

`allowed_hosts` names hosts that are accepted although they are internal, for
checking the link checker itself against a server on this machine.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from urllib.parse import urlsplit

_HOST_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_UNSAFE_URL_CHARS = re.compile(r"[\s<>\"'`{}|\\^\x00-\x1f\x7f]")
_NUMBER = re.compile(r"^([0-9]+|0x[0-9a-f]*)$")
# Top-level names that are never public: reserved for local networks (RFC 6761, RFC 6762,
# RFC 8375), for cloud providers' internal names, or commonly used inside companies.
INTERNAL_NAMES = frozenset(
    {"localhost", "local", "internal", "localdomain", "lan", "home", "corp", "intranet", "private", "arpa"}
)
DISALLOWED_SCHEMES = frozenset({"javascript", "data", "vbscript", "file"})


def url_problem(url: str, allowed_hosts: Collection[str] = ()) -> str | None:
    """Why `url` is not an acceptable catalogue link, or None if it is."""
    scheme = url.split(":", 1)[0].strip().lower() if ":" in url else ""
    if scheme in DISALLOWED_SCHEMES:
        return f"{scheme}: links are not allowed; use an https:// address"
    if scheme == "http":
        return "must start with https:// (plain http:// is not accepted)"
    if not url.startswith("https://"):
        return "must start with https://"
    if _UNSAFE_URL_CHARS.search(url):
        return "must not contain spaces, quotes or angle brackets; percent-encode them"
    if not url.isprintable():
        return "must not contain control characters or invisible characters"
    try:
        parts = urlsplit(url)
    except ValueError:
        return "is not a well-formed address"
    if "@" in parts.netloc:
        return "must not contain a user name or password"
    host = parts.hostname or ""
    if host in allowed_hosts:
        return None
    if parts.netloc.startswith("[") or _ends_in_a_number(host):
        return f"must name a public host, not an IP address ({host})"
    if host.rstrip(".").rsplit(".", 1)[-1] in INTERNAL_NAMES:
        return f"must name a public host: {host} is a local or internal name"
    labels = host.split(".")
    if len(labels) < 2 or not all(_HOST_LABEL.match(label) for label in labels):
        return f"is not a well-formed address: {host or 'no'} host name"
    try:
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        return "is not a well-formed address: bad port number"
    return None


def _ends_in_a_number(host: str) -> bool:
    """Whether browsers read `host` as an IPv4 address (WHATWG URL: "ends in a number")."""
    labels = host.split(".")
    if labels and labels[-1] == "" and len(labels) > 1:
        labels.pop()
    return bool(labels) and bool(_NUMBER.match(labels[-1]))
