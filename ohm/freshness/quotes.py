"""Are a claim's quoted words still in the file it cites? The comparison behind `quote-gone`.

A quote is plain text, the exact words of its source with whitespace collapsed
(catalogue schema 3), so the file's text is compared with whitespace collapsed
too, case-sensitively. A Markdown file is also compared as the text a reader
sees: rendered by cmark-gfm (GitHub's Markdown reader) and its markup dropped,
so a quote of "the median DSC" is found in "the **median** DSC". Raw HTML in the
Markdown is read as markup too (never shown anywhere: only its text is kept).
"""

from __future__ import annotations

import html.parser
from functools import lru_cache

import cmarkgfm
from cmarkgfm.cmark import Options

MARKDOWN_ENDINGS = (".md", ".markdown", ".mdx")

# Elements that end a run of words: their text is not joined to the next element's.
_BLOCKS = frozenset(
    {
        *("address", "article", "aside", "blockquote", "br", "dd", "details", "div", "dl", "dt"),
        *("figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li"),
        *("main", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th"),
        *("thead", "tr", "ul"),
    }
)
_UNSEEN = frozenset({"script", "style", "template"})


def collapse(text: str) -> str:
    return " ".join(text.split())


def quote_found(quote: str, text: str, file_name: str) -> bool:
    """Whether `quote` is in `text` (the file `file_name`), whitespace collapsed, case counting."""
    wanted = collapse(quote)
    if wanted in collapse(text):
        return True
    return file_name.lower().endswith(MARKDOWN_ENDINGS) and wanted in _reader_text(text)


@lru_cache(maxsize=32)  # a file cited by several claims is rendered once
def _reader_text(markdown: str) -> str:
    rendered = cmarkgfm.github_flavored_markdown_to_html(markdown, options=Options.CMARK_OPT_UNSAFE)
    reader = _Text()
    reader.feed(rendered)
    reader.close()
    return collapse("".join(reader.parts))


class _Text(html.parser.HTMLParser):
    """The text of an HTML document, a space where a block ends, nothing of scripts or styles."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._unseen = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _UNSEEN:
            self._unseen += 1
        elif tag in _BLOCKS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _UNSEEN:
            self._unseen = max(0, self._unseen - 1)
        elif tag in _BLOCKS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._unseen:
            self.parts.append(data)
