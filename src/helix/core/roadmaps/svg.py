"""Small pieces every roadmap SVG shares: escaping text, writing numbers, the font and the colours.

The charts are standalone SVG strings built by joining parts (no DOM, no script, no external resource),
so they print, embed in a page (``<img>`` or inline) and diff byte for byte: the same input gives the
same output. All text is escaped here; characters XML 1.0 cannot hold are dropped.
"""

from __future__ import annotations

import re

SVG_NS = "http://www.w3.org/2000/svg"
FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"

# Control characters (other than tab, LF, CR), lone surrogates and U+FFFE/U+FFFF are not XML 1.0.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

PHASE_COLOURS: dict[str, str] = {
    "concept": "#9ecae1",
    "research": "#6baed6",
    "development": "#4292c6",
    "demonstration": "#41ab5d",
    "market": "#fd8d3c",
    "recycling": "#a1d99b",
}
DEFAULT_FILL = "#8c9db5"
CRITICAL = "#c0392b"
INK = "#1f2933"
MUTED = "#616e7c"
GRID = "#d9dee4"
BAND = "#f0f2f5"


def esc(text: object) -> str:
    """``text`` as XML character data or attribute value: & < > " ' escaped, non-XML characters dropped."""
    value = _NOT_XML.sub("", str(text))
    return (
        value.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&apos;")
    )


def xml_text(text: object) -> str:
    """``text`` without the characters XML 1.0 cannot hold (for writers that escape on their own)."""
    return _NOT_XML.sub("", str(text))


def num(value: float) -> str:
    """A coordinate with at most one decimal, without a trailing ``.0`` (stable, compact output)."""
    text = f"{value:.1f}"
    if text.endswith(".0"):
        text = text[:-2]
    return "0" if text == "-0" else text


def clip(text: str, chars: int) -> str:
    """``text`` cut to ``chars`` characters with an ellipsis (the full text goes in a ``<title>``)."""
    if chars <= 1:
        return "…" if text else ""
    return text if len(text) <= chars else text[: chars - 1].rstrip() + "…"


def text_width(text: str, size: float) -> float:
    """A rough width of ``text`` at font ``size`` in a sans-serif font (for layout only)."""
    return len(text) * size * 0.58


def open_svg(width: float, height: float, label: str, *, font_size: int = 11) -> str:
    """The root element: a viewBox (scales to its container and to paper), role="img" and its label."""
    return (
        f'<svg xmlns="{SVG_NS}" version="1.1" viewBox="0 0 {num(width)} {num(height)}" '
        f'width="{num(width)}" height="{num(height)}" role="img" aria-label="{esc(label)}" '
        f'font-family="{esc(FONT_FAMILY)}" font-size="{font_size}" fill="{INK}">'
    )
