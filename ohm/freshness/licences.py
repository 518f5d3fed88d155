"""Upstream licence ids, translated into the catalogue's own licence ids.

The catalogue names licences by SPDX id, or `LicenseRef-<Name>` for licences
outside SPDX. Hugging Face cards use the Hub's own lowercase ids
(https://huggingface.co/docs/hub/repositories-licenses), plus `license_name`
when the id is `other`; GitHub reports an SPDX id, `NOASSERTION` for a licence
it does not recognise, and nothing when it finds no licence file.

Each table says which catalogue ids an upstream id agrees with. A trailing `*`
stands for any id with that beginning: the Hub's family ids (`gpl`, `cc`, ...)
and GitHub's version-only GNU ids (`GPL-3.0`) are vaguer than an SPDX id, so
they agree with every member of their family. An upstream id missing from the
tables agrees with nothing, so a new upstream licence shows up as a finding that
names it; add it here when it turns out to be one the catalogue already knows.
"""

from __future__ import annotations

import enum


class Verdict(enum.Enum):
    AGREES = "agrees"
    DIFFERS = "differs"
    CANNOT_COMPARE = "cannot compare"  # upstream says `other`, `unknown`, NOASSERTION, or nothing at all


# Catalogue ids that mean "no licence found", which is what an upstream without a licence says.
NONE_STATED = ("LicenseRef-none-stated", "unknown")

HUB_LICENCES: dict[str, tuple[str, ...]] = {
    "apache-2.0": ("Apache-2.0",),
    "mit": ("MIT",),
    "openrail": (
        "LicenseRef-OpenRAIL*",
        "LicenseRef-BigScience-OpenRAIL*",
        "LicenseRef-CreativeML-OpenRAIL*",
    ),
    "bigscience-openrail-m": ("LicenseRef-BigScience-OpenRAIL-M",),
    "creativeml-openrail-m": ("LicenseRef-CreativeML-OpenRAIL-M",),
    "bigscience-bloom-rail-1.0": ("LicenseRef-BigScience-BLOOM-RAIL-1.0",),
    "bigcode-openrail-m": ("LicenseRef-BigCode-OpenRAIL-M",),
    "afl-3.0": ("AFL-3.0",),
    "artistic-2.0": ("Artistic-2.0",),
    "bsl-1.0": ("BSL-1.0",),
    "bsd": ("BSD-*", "0BSD"),
    "bsd-2-clause": ("BSD-2-Clause",),
    "bsd-3-clause": ("BSD-3-Clause",),
    "bsd-3-clause-clear": ("BSD-3-Clause-Clear",),
    "c-uda": ("C-UDA-1.0",),
    "cc": ("CC-*", "CC0-*"),
    "cc0-1.0": ("CC0-1.0",),
    "cc-by-2.0": ("CC-BY-2.0",),
    "cc-by-2.5": ("CC-BY-2.5",),
    "cc-by-3.0": ("CC-BY-3.0",),
    "cc-by-4.0": ("CC-BY-4.0",),
    "cc-by-sa-3.0": ("CC-BY-SA-3.0",),
    "cc-by-sa-4.0": ("CC-BY-SA-4.0",),
    "cc-by-nc-2.0": ("CC-BY-NC-2.0",),
    "cc-by-nc-3.0": ("CC-BY-NC-3.0",),
    "cc-by-nc-4.0": ("CC-BY-NC-4.0",),
    "cc-by-nd-4.0": ("CC-BY-ND-4.0",),
    "cc-by-nc-nd-3.0": ("CC-BY-NC-ND-3.0",),
    "cc-by-nc-nd-4.0": ("CC-BY-NC-ND-4.0",),
    "cc-by-nc-sa-2.0": ("CC-BY-NC-SA-2.0",),
    "cc-by-nc-sa-3.0": ("CC-BY-NC-SA-3.0",),
    "cc-by-nc-sa-4.0": ("CC-BY-NC-SA-4.0",),
    "cdla-sharing-1.0": ("CDLA-Sharing-1.0",),
    "cdla-permissive-1.0": ("CDLA-Permissive-1.0",),
    "cdla-permissive-2.0": ("CDLA-Permissive-2.0",),
    "wtfpl": ("WTFPL",),
    "ecl-2.0": ("ECL-2.0",),
    "epl-1.0": ("EPL-1.0",),
    "epl-2.0": ("EPL-2.0",),
    "etalab-2.0": ("etalab-2.0",),
    "eupl-1.1": ("EUPL-1.1",),
    "agpl-3.0": ("AGPL-3.0", "AGPL-3.0-only", "AGPL-3.0-or-later"),
    "gfdl": ("GFDL-*",),
    "gpl": ("GPL-*",),
    "gpl-2.0": ("GPL-2.0", "GPL-2.0-only", "GPL-2.0-or-later"),
    "gpl-3.0": ("GPL-3.0", "GPL-3.0-only", "GPL-3.0-or-later"),
    "lgpl": ("LGPL-*",),
    "lgpl-2.1": ("LGPL-2.1", "LGPL-2.1-only", "LGPL-2.1-or-later"),
    "lgpl-3.0": ("LGPL-3.0", "LGPL-3.0-only", "LGPL-3.0-or-later"),
    "isc": ("ISC",),
    "lppl-1.3c": ("LPPL-1.3c",),
    "ms-pl": ("MS-PL",),
    "mpl-2.0": ("MPL-2.0",),
    "odc-by": ("ODC-By-*",),
    "odbl": ("ODbL-*",),
    "osl-3.0": ("OSL-3.0",),
    "postgresql": ("PostgreSQL",),
    "ofl-1.1": ("OFL-1.1",),
    "ncsa": ("NCSA",),
    "unlicense": ("Unlicense",),
    "zlib": ("Zlib",),
    "pddl": ("PDDL-1.0",),
    "lgpl-lr": ("LGPLLR",),
    "deepfloyd-if-license": ("LicenseRef-DeepFloyd-IF-License",),
    "llama2": ("LicenseRef-Llama-2-Community-License",),
    "llama3": ("LicenseRef-Llama-3-Community-License",),
    "llama3.1": ("LicenseRef-Llama-3.1-Community-License",),
    "llama3.2": ("LicenseRef-Llama-3.2-Community-License",),
    "llama3.3": ("LicenseRef-Llama-3.3-Community-License",),
    "gemma": ("LicenseRef-Gemma-Terms-of-Use",),
}

# `license: other` on a card, with these `license_name`s.
HUB_LICENCE_NAMES: dict[str, tuple[str, ...]] = {
    "health-ai-developer-foundations": ("LicenseRef-Health-AI-Developer-Foundations-Terms",),
    "qwen": ("LicenseRef-Qwen-License",),
    "qwen-research": ("LicenseRef-Qwen-Research-License",),
    "public-domain": ("LicenseRef-NCBI-Public-Domain-Notice",),
}

HUB_NOT_COMPARABLE = ("other", "unknown")

# GitHub names GNU licences by version only; which of -only / -or-later is the LICENSE file's notice.
GITHUB_VAGUE_IDS: dict[str, tuple[str, ...]] = {
    "AGPL-3.0": ("AGPL-3.0", "AGPL-3.0-only", "AGPL-3.0-or-later"),
    "GPL-2.0": ("GPL-2.0", "GPL-2.0-only", "GPL-2.0-or-later"),
    "GPL-3.0": ("GPL-3.0", "GPL-3.0-only", "GPL-3.0-or-later"),
    "LGPL-2.1": ("LGPL-2.1", "LGPL-2.1-only", "LGPL-2.1-or-later"),
    "LGPL-3.0": ("LGPL-3.0", "LGPL-3.0-only", "LGPL-3.0-or-later"),
}

GITHUB_NOT_COMPARABLE = ("NOASSERTION",)


def hub_verdict(licences: tuple[str, ...], licence_name: str | None, catalogue_id: str) -> Verdict:
    """Does a Hugging Face card licence (its ids, and `license_name` for `other`) agree with the catalogue?"""
    if not licences:
        return _none_stated(catalogue_id)
    verdicts = [_hub_one(licence.strip().lower(), licence_name, catalogue_id) for licence in licences]
    if Verdict.AGREES in verdicts:  # a card may offer a choice of licences
        return Verdict.AGREES
    if Verdict.DIFFERS in verdicts:
        return Verdict.DIFFERS
    return Verdict.CANNOT_COMPARE


def _hub_one(licence: str, licence_name: str | None, catalogue_id: str) -> Verdict:
    if licence == "other" and licence_name and licence_name.strip().lower() in HUB_LICENCE_NAMES:
        return _matches(HUB_LICENCE_NAMES[licence_name.strip().lower()], catalogue_id)
    if licence in HUB_NOT_COMPARABLE:
        return Verdict.CANNOT_COMPARE
    return _matches(HUB_LICENCES.get(licence, ()), catalogue_id)


def hub_states(licences: tuple[str, ...], licence_name: str | None) -> bool:
    """Whether a card names a licence: an id other than `other` or `unknown`, or `other` with a name."""
    ids = {licence.strip().lower() for licence in licences}
    return bool(ids - set(HUB_NOT_COMPARABLE)) or ("other" in ids and bool(licence_name))


def github_states(spdx_id: str | None) -> bool:
    """Whether GitHub detected a licence it could name."""
    return bool(spdx_id) and spdx_id not in GITHUB_NOT_COMPARABLE


def github_verdict(spdx_id: str | None, catalogue_id: str) -> Verdict:
    """Does the licence GitHub detected in a repository agree with the catalogue?"""
    if not spdx_id:
        return _none_stated(catalogue_id)
    if spdx_id in GITHUB_NOT_COMPARABLE:
        return Verdict.CANNOT_COMPARE
    # Any other answer is an SPDX id, which is the catalogue's id for that licence.
    return _matches(GITHUB_VAGUE_IDS.get(spdx_id, (spdx_id,)), catalogue_id)


def _none_stated(catalogue_id: str) -> Verdict:
    """No licence upstream agrees with a catalogue that found none; other ids may have been read elsewhere."""
    return Verdict.AGREES if _in(NONE_STATED, catalogue_id) else Verdict.CANNOT_COMPARE


def _matches(patterns: tuple[str, ...], catalogue_id: str) -> Verdict:
    return Verdict.AGREES if _in(patterns, catalogue_id) else Verdict.DIFFERS


def _in(patterns: tuple[str, ...], catalogue_id: str) -> bool:
    wanted = catalogue_id.casefold()  # SPDX ids are case-insensitive
    for pattern in patterns:
        pattern = pattern.casefold()
        if wanted == pattern or (pattern.endswith("*") and wanted.startswith(pattern[:-1])):
            return True
    return False
