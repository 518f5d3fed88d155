""" "Cite this entry": a model's paper as BibTeX and as plain text, where the entry links one.

An entry records its paper as a link only (an arXiv abstract, a DOI, or another
page), not its authors or title. So the citation names the model, its developer
and the paper's identifier (DOI or arXiv id) and nothing the catalogue does not
hold; a reference manager completes authors and title from the identifier.
"""

from __future__ import annotations

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
