""" "Cite this entry": the catalogue's entry itself, and beside it the model's paper where there is one.

The entry is cited as a page of the catalogue: its title, the catalogue, its address, the day
its facts were verified and the catalogue's release.

The paper: an entry records it as a link only (an arXiv abstract, a DOI, or another page), not
its authors or title. So its citation names the model, its developer and the paper's identifier
(DOI or arXiv id) and nothing the catalogue does not hold; a reference manager completes
authors and title from the identifier.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from ohm.catalog.catalogue import Model

_ARXIV = re.compile(r"^https://(?:www\.)?arxiv\.org/(?:abs|pdf)/(\d{4}\.\d{4,5})(?:v\d+)?(?:\.pdf)?/?$")
_DOI = re.compile(r"^https://(?:dx\.)?doi\.org/(10\.\d{4,9}/\S+)$")
# What BibTeX (LaTeX) reads as markup in a field's value.
_BIBTEX_SPECIAL = re.compile(r"([{}%&$#_^~\\])")


@dataclass(frozen=True)
class Citation:
    bibtex: str  # one @misc entry, one field a line
    text: str  # one line of plain text


def citation(model: Model) -> Citation | None:
    """The citation of `model`'s paper, or None when its entry links no paper."""
    paper = next((link.url for link in model.links if link.kind == "paper"), None)
    if paper is None:
        return None
    arxiv, doi = _ARXIV.match(paper), _DOI.match(paper)
    fields = [("title", _bibtex(model.name))]
    if model.developer:
        fields.append(("author", "{" + _bibtex(model.developer) + "}"))  # an organisation: kept whole
    if doi:
        fields.append(("doi", _verbatim(doi.group(1))))
    if arxiv:
        fields += [("eprint", arxiv.group(1)), ("archiveprefix", "arXiv")]
    fields += [("url", _verbatim(paper)), ("note", f"Paper describing {_bibtex(model.name)}")]
    bibtex = "\n".join([f"@misc{{{model.id},", *(f"  {name} = {{{value}}}," for name, value in fields), "}"])

    identifier = f"doi:{doi.group(1)}" if doi else f"arXiv:{arxiv.group(1)}" if arxiv else paper
    by = f"{model.developer}. " if model.developer else ""
    text = f"{by}{model.name}. Paper: {identifier}" + (f" ({paper})" if identifier != paper else "") + "."
    return Citation(bibtex, text)


def _bibtex(value: str) -> str:
    value = " ".join(value.split())  # one line, whatever the field held
    return _BIBTEX_SPECIAL.sub(
        lambda m: "\\textbackslash{}" if m.group(1) == "\\" else "\\" + m.group(1), value
    )


def _verbatim(value: str) -> str:
    """A DOI or URL: fields BibTeX styles print verbatim, where only braces would break the entry."""
    return "".join(value.split()).replace("{", "%7B").replace("}", "%7D")


@dataclass(frozen=True)
class EntryCitation:
    """The catalogue's entry itself as a work to cite: a web page of the catalogue, dated by its check."""

    bibtex: str  # one @misc entry, one field a line
    csl_json: str  # a CSL-JSON list of one item, as reference managers import it
    text: str  # one line of plain text


def entry_citation(model: Model, catalogue_title: str, address: str, release: str | None) -> EntryCitation:
    """The citation of `model`'s entry in the catalogue called `catalogue_title`.

    `address` is its page (absolute where the site's address is known); `release` the catalogue's
    release (scripts/release.sh sets it), or None for a build that is no release. The date is the
    day the entry's facts were last verified: what a reader of the citation relies on.
    """
    title = f"{model.name} — {catalogue_title} catalogue entry"
    author = f"{catalogue_title} contributors"
    year, month, day = (int(part) for part in model.verified.split("-"))
    note = f"Facts last verified on {model.verified}"
    fields = [
        ("title", _bibtex(title).replace("—", "---")),  # LaTeX's em dash
        ("author", "{" + _bibtex(author) + "}"),  # a group: kept whole
        ("howpublished", _bibtex(catalogue_title)),
        ("year", str(year)),
        ("date", model.verified),
        *([("version", _bibtex(release))] if release else []),
        ("url", _verbatim(address)),
        ("note", note),
    ]
    bibtex = "\n".join(
        [f"@misc{{ohm-{model.id},", *(f"  {name} = {{{value}}}," for name, value in fields), "}"]
    )
    item: dict[str, object] = {
        "id": f"ohm-{model.id}",
        "type": "webpage",
        "title": title,
        "author": [{"literal": author}],
        "container-title": catalogue_title,
        "issued": {"date-parts": [[year, month, day]]},
        **({"version": release} if release else {}),
        "URL": address,
        "note": note,
    }
    # One field a line, as the BibTeX beside it: short enough to read on the page.
    lines = (f"  {json.dumps(name)}: {json.dumps(value, ensure_ascii=False)}" for name, value in item.items())
    csl_json = "[{\n" + ",\n".join(lines) + "\n}]"
    of_release = f", release {release}" if release else ""
    text = f"{author}. {title}. {catalogue_title}{of_release}; {note.lower()}. {address}"
    return EntryCitation(bibtex, csl_json, " ".join(text.split()))
