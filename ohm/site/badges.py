"""One SVG badge per model: its commercial-use verdict and its access, to embed in a README or a wiki.

The words are the model page's own (the verdict's and the access's labels), every
text is escaped for XML, and the widths come from a fixed width per character,
so the badge is the same in every build.
"""

from __future__ import annotations

from html import escape

from ohm.catalog import vocabulary
from ohm.catalog.catalogue import Model

# The verdict's colour, each with white text at a contrast of at least 4.5:1.
VERDICT_COLOURS = {
    "allowed": "#1b6e2d",
    "restricted": "#8a4b00",
    "unclear": "#5c5c5c",
    "not-allowed": "#a4161a",
}
LABEL_COLOUR = "#3d3d3d"
ACCESS_COLOUR = "#1f4e79"
CHARACTER_WIDTH = 7  # px at 11 px Verdana, wide enough for most letters
PADDING = 6
FONT = "Verdana,DejaVu Sans,sans-serif"


def badge_svg(model: Model) -> str:
    """The badge: "commercial use | <verdict> | <access>"."""
    access = vocabulary.titles("access").get(model.access, model.access)
    parts = [
        ("commercial use", LABEL_COLOUR),
        (model.commercial_use_label, VERDICT_COLOURS.get(model.commercial_use, LABEL_COLOUR)),
        (f"access: {access}", ACCESS_COLOUR),
    ]
    title = f"{model.name}: commercial use {model.commercial_use_label}; access {access}"
    shapes, texts, x = [], [], 0
    for text, colour in parts:
        width = len(text) * CHARACTER_WIDTH + 2 * PADDING
        shapes.append(f'<rect x="{x}" width="{width}" height="20" fill="{colour}"/>')
        texts.append(f'<text x="{x + width / 2:g}" y="14">{escape(text)}</text>')
        x += width
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{x}" height="20" role="img" '
        f'aria-label="{escape(title)}">\n'
        f"<title>{escape(title)}</title>\n"
        + "\n".join(shapes)
        + f'\n<g fill="#fff" text-anchor="middle" font-family="{FONT}" font-size="11">\n'
        + "\n".join(texts)
        + "\n</g>\n</svg>\n"
    )
