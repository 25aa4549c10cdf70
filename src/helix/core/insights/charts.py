"""The dashboards' charts as standalone SVG (no script, no external resource): they print, embed and
compare byte for byte. Every text comes in from the caller, already in the reader's language."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from helix.core.roadmaps.svg import BAND, GRID, INK, MUTED, clip, esc, num, open_svg

from .dashboards import Network

ACCENT = "#2b6cb0"
HELIX_COLOURS = {"industry": "#2b6cb0", "research": "#2f855a", "public": "#b7791f", "intermediary": "#6b46c1"}
OTHER = "#8c9db5"


def _ticks(top: int) -> list[int]:
    """Up to five round values from 0 to at least ``top``."""
    if top <= 0:
        return [0, 1]
    step = 1
    for candidate in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000, 20000, 50000):
        step = candidate
        if top / candidate <= 5:
            break
    ticks = list(range(0, top + step, step))
    return ticks if ticks[-1] >= top else [*ticks, ticks[-1] + step]


def line_svg(series: Sequence[tuple[date, int]], label: str, *, width: int = 640, height: int = 240) -> str:
    """Members over time: a line with the first and last dates and a value scale."""
    left, right, top, bottom = 44, 16, 14, 30
    parts = [open_svg(width, height, label), f"<title>{esc(label)}</title>"]
    if not series:
        return "".join([*parts, "</svg>"])
    ticks = _ticks(max(v for _, v in series))
    high = ticks[-1] or 1
    first, last = series[0][0], series[-1][0]
    span = max(1, (last - first).days)
    plot_w, plot_h = width - left - right, height - top - bottom

    def xy(day: date, value: int) -> tuple[float, float]:
        return left + plot_w * (day - first).days / span, top + plot_h * (1 - value / high)

    for t in ticks:
        _, y = xy(first, t)
        parts.append(f'<line x1="{left}" y1="{num(y)}" x2="{width - right}" y2="{num(y)}" stroke="{GRID}"/>')
        parts.append(f'<text x="{left - 6}" y="{num(y + 4)}" text-anchor="end" fill="{MUTED}">{t}</text>')
    points = " ".join(f"{num(x)},{num(y)}" for x, y in (xy(d, v) for d, v in series))
    parts.append(f'<polyline points="{points}" fill="none" stroke="{ACCENT}" stroke-width="2.5"/>')
    for d, v in (series[0], series[-1]):
        x, y = xy(d, v)
        parts.append(
            f'<circle cx="{num(x)}" cy="{num(y)}" r="3.5" fill="{ACCENT}">'
            f"<title>{d.isoformat()}: {v}</title></circle>"
        )
    parts.append(f'<text x="{left}" y="{height - 8}" fill="{MUTED}">{first.isoformat()}</text>')
    parts.append(
        f'<text x="{width - right}" y="{height - 8}" text-anchor="end" fill="{MUTED}">'
        f"{last.isoformat()}</text>"
    )
    parts.append("</svg>")
    return "".join(parts)


def bars_svg(
    rows: Sequence[tuple[str, int, str]], label: str, *, width: int = 640, bar: int = 26, gap: int = 10
) -> str:
    """Horizontal bars, one per row (label, value, note written after the bar: a conversion, a share)."""
    label_w = 170
    height = 16 + len(rows) * (bar + gap)
    top = max([v for _, v, _ in rows] + [1])
    room = width - label_w - 120
    parts = [open_svg(width, height, label), f"<title>{esc(label)}</title>"]
    y = 8
    for name, value, note in rows:
        w = room * value / top
        parts.append(f'<rect x="0" y="{y}" width="{width}" height="{bar}" fill="{BAND}"/>')
        parts.append(
            f'<text x="8" y="{num(y + bar / 2 + 4)}">{esc(clip(name, 26))}<title>{esc(name)}</title></text>'
        )
        parts.append(
            f'<rect x="{label_w}" y="{y + 3}" width="{num(max(w, 1 if value else 0))}" '
            f'height="{bar - 6}" fill="{ACCENT}"/>'
        )
        text = f"{value}" + (f" · {note}" if note else "")
        parts.append(
            f'<text x="{num(label_w + w + 6)}" y="{num(y + bar / 2 + 4)}" fill="{INK}">{esc(text)}</text>'
        )
        y += bar + gap
    parts.append("</svg>")
    return "".join(parts)


def network_svg(net: Network, label: str, helix_names: dict[str, str], *, size: int = 640) -> str:
    """The organisations as dots coloured by helix (larger: more ties; ringed: a broker), their ties as
    lines (thicker: weightier), with a legend of the helices."""
    legend_h = 28
    parts = [open_svg(size, size + legend_h, label), f"<title>{esc(label)}</title>"]
    if not net.nodes:
        return "".join([*parts, "</svg>"])
    xs = [n.x for n in net.nodes]
    ys = [n.y for n in net.nodes]
    lo_x, hi_x, lo_y, hi_y = min(xs), max(xs), min(ys), max(ys)
    margin = 24

    def at(x: float, y: float) -> tuple[float, float]:
        sx = (x - lo_x) / (hi_x - lo_x) if hi_x > lo_x else 0.5
        sy = (y - lo_y) / (hi_y - lo_y) if hi_y > lo_y else 0.5
        return margin + sx * (size - 2 * margin), margin + sy * (size - 2 * margin)

    where = {n.id: at(n.x, n.y) for n in net.nodes}
    brokers = {n.id for n in net.brokers[:10]}
    top_weight = max((w for _, _, w in net.edges), default=1.0)
    for a, b, w in net.edges:
        (x1, y1), (x2, y2) = where[a], where[b]
        parts.append(
            f'<line x1="{num(x1)}" y1="{num(y1)}" x2="{num(x2)}" y2="{num(y2)}" stroke="{GRID}" '
            f'stroke-width="{num(0.8 + 2.5 * w / top_weight)}"/>'
        )
    top_degree = max(n.degree for n in net.nodes) or 1
    for n in sorted(net.nodes, key=lambda n: n.degree):
        x, y = where[n.id]
        r = 3 + 7 * n.degree / top_degree
        ring = f' stroke="{INK}" stroke-width="2"' if n.id in brokers else ' stroke="#fff" stroke-width="1"'
        parts.append(
            f'<circle cx="{num(x)}" cy="{num(y)}" r="{num(r)}" '
            f'fill="{HELIX_COLOURS.get(n.helix, OTHER)}"{ring}>'
            f"<title>{esc(n.name)} ({n.degree})</title></circle>"
        )
    x = 8
    for key, name in helix_names.items():
        parts.append(f'<circle cx="{x + 6}" cy="{size + 14}" r="6" fill="{HELIX_COLOURS.get(key, OTHER)}"/>')
        parts.append(f'<text x="{x + 16}" y="{size + 18}">{esc(name)}</text>')
        x += 24 + int(len(name) * 6.5)
    parts.append("</svg>")
    return "".join(parts)
