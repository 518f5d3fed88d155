"""Markdown extension: let `<caption>` stand on its own inside `<table markdown>`.

The comparison table is HTML (for `<caption>`, `scope` and data attributes)
whose name cells are Markdown links, so MkDocs resolves and checks them like
any other link. `md_in_html` only keeps elements it knows as block-level apart
from the text around them, and `caption` is not on its list: without this the
caption ends up wrapped in a `<p>`, which is invalid inside a table.

mkdocs.yml names it under `markdown_extensions` as `ohm.site.markdown_captions`.
"""

from __future__ import annotations

from markdown import Markdown
from markdown.extensions import Extension


class TableCaptionExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        if "caption" not in md.block_level_elements:
            md.block_level_elements.append("caption")


def makeExtension(**kwargs: object) -> TableCaptionExtension:
    return TableCaptionExtension(**kwargs)
