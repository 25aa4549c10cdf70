"""Two roadmap charts as standalone SVG strings: the TRL ladder and the participants' interplay graph.

- :func:`trl_ladder_svg`: the technology readiness levels 1 to 9 across, the phases of the pathway over
  them (concept to recycling, :data:`~helix.core.roadmaps.model.PHASE_TRL`), the valley of death as a
  band (TRL 4-7, :data:`~helix.core.roadmaps.model.VALLEY_OF_DEATH`), and each item as a bar over its TRL
  range, coloured by whether it has an owner and funding: an item in the valley without both is where a
  roadmap usually breaks.
- :func:`interplay_svg`: who depends on whom. Participant A depends on B when an item A owns depends on
  an item B owns; the edge's weight is the number of such links. Nodes sit on a circle in the order given
  (deterministic, no physics), sized by the number of items they take part in and coloured by their place
  in the triple helix; an edge's thickness grows with its weight.

Both take plain rows (:func:`trl_rows` and :func:`interplay` derive them from a roadmap), every word
through their labels (the Django edge translates them), and escape all text. Like the Gantt chart they
print well, carry role="img", an aria-label and a ``<title>`` per mark, and are deterministic.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from helix.core.roadmaps.model import PHASE_TRL, TRL_MAX, TRL_MIN, VALLEY_OF_DEATH, Phase, Roadmap
from helix.core.roadmaps.svg import (
    CRITICAL,
    GRID,
    INK,
    MUTED,
    PHASE_COLOURS,
    clip,
    esc,
    num,
    open_svg,
    text_width,
)

# ---- the TRL ladder ----

READY = "#2e7d32"  # owner and funding
NO_FUNDING = "#e39d0b"  # an owner, no funding
NO_OWNER = "#7e57c2"  # funding, no owner
NEITHER = CRITICAL  # neither
VALLEY = "#fdecea"


@dataclass(frozen=True)
class TrlRow:
    """An item on the ladder: its TRL range and whether it has an owner and its funding secured."""

    key: str
    label: str
    trl_from: int
    trl_to: int
    has_owner: bool
    funded: bool
    phase: str | None = None


@dataclass(frozen=True)
class TrlLabels:
    title: str = ""
    chart: str = "TRL ladder"
    level: str = "TRL %(level)d"
    valley: str = "Valley of death"
    phases: Mapping[str, str] = field(default_factory=lambda: {p.value: p.value.title() for p in Phase})
    ready: str = "Owner and funding"
    no_funding: str = "Owner, no funding"
    no_owner: str = "Funding, no owner"
    neither: str = "No owner, no funding"
    item_title: str = "%(label)s: TRL %(low)d–%(high)d, %(status)s"


def trl_status(row: TrlRow) -> str:
    """``ready``, ``no_funding``, ``no_owner`` or ``neither``."""
    if row.has_owner and row.funded:
        return "ready"
    if row.has_owner:
        return "no_funding"
    return "no_owner" if row.funded else "neither"


_STATUS_COLOURS = {"ready": READY, "no_funding": NO_FUNDING, "no_owner": NO_OWNER, "neither": NEITHER}


def in_valley(low: int, high: int) -> bool:
    """Whether the range ``low..high`` meets the valley of death."""
    return low <= VALLEY_OF_DEATH[1] and high >= VALLEY_OF_DEATH[0]


def trl_rows(roadmap: Roadmap) -> list[TrlRow]:
    """The items that state a TRL range (or a phase) as ladder rows. An item is funded when its secured
    funding covers its budget (or, without a budget, when any funding is secured)."""
    rows = []
    for item in roadmap.items:
        trl = item.trl_range
        if trl is None:
            continue
        low, high = sorted(trl)
        funded = item.funding_secured >= item.budget if item.budget > 0 else item.funding_secured > 0
        rows.append(
            TrlRow(
                key=item.key,
                label=item.title or item.key,
                trl_from=max(TRL_MIN, low),
                trl_to=min(TRL_MAX, high),
                has_owner=item.owner is not None,
                funded=funded,
                phase=item.phase.value if item.phase else None,
            )
        )
    return rows


def trl_ladder_svg(
    rows: Sequence[TrlRow], *, labels: TrlLabels | None = None, width: int = 960, label_width: int = 240
) -> str:
    """The TRL ladder with ``rows`` placed at their ranges, as an SVG document."""
    labels = labels or TrlLabels()
    margin, row_h, bar_h = 8.0, 20.0, 12.0
    x0 = margin + label_width
    col = (width - x0 - margin) / (TRL_MAX - TRL_MIN + 1)

    def x(level: float) -> float:
        return x0 + (level - TRL_MIN) * col

    top = margin + (30.0 if labels.title else 0.0)
    phase_top, levels_top = top, top + 2 * 20.0
    body_top = levels_top + 22.0
    body_bottom = body_top + max(1, len(rows)) * row_h
    legend_y = body_bottom + 12
    height = legend_y + 22 + margin
    aria = labels.title or labels.chart
    out = [
        open_svg(width, height, aria),
        f"<title>{esc(aria)}</title>",
        f'<rect width="{num(width)}" height="{num(height)}" fill="#fff"/>',
    ]
    if labels.title:
        out.append(
            f'<text x="{num(margin)}" y="{num(margin + 18)}" font-size="16" font-weight="bold">'
            f"{esc(labels.title)}</text>"
        )
    # The valley of death behind everything below the phases.
    va, vb = x(VALLEY_OF_DEATH[0] - 0.5), x(VALLEY_OF_DEATH[1] + 0.5)
    out.append(
        f'<g class="valley"><title>{esc(labels.valley)}</title><rect x="{num(va)}" y="{num(levels_top)}" '
        f'width="{num(vb - va)}" height="{num(body_bottom - levels_top)}" fill="{VALLEY}"/>'
        f'<text x="{num((va + vb) / 2)}" y="{num(body_bottom - 6)}" text-anchor="middle" font-size="10" '
        f'fill="{CRITICAL}" font-style="italic">{esc(labels.valley)}</text></g>'
    )
    # The phases, in two alternating rows (their ranges overlap at the ends).
    out.append('<g class="phases" font-size="10">')
    for index, phase in enumerate(Phase):
        low, high = PHASE_TRL[phase]
        pa, pb = x(low - 0.5) + 1, x(high + 0.5) - 1
        py = phase_top + (index % 2) * 20.0
        name = labels.phases.get(phase.value, phase.value)
        out.append(
            f'<g class="phase"><title>{esc(name)}: TRL {low}–{high}</title>'
            f'<rect x="{num(pa)}" y="{num(py + 2)}" width="{num(pb - pa)}" height="16" rx="3" '
            f'fill="{PHASE_COLOURS[phase.value]}"/><text x="{num((pa + pb) / 2)}" y="{num(py + 14)}" '
            f'text-anchor="middle">{esc(clip(name, int((pb - pa) / 5.8)))}</text></g>'
        )
    out.append("</g>")
    out.append(f'<g class="levels" font-size="10" fill="{MUTED}">')
    for level in range(TRL_MIN, TRL_MAX + 1):
        out.append(
            f'<text x="{num(x(level))}" y="{num(levels_top + 15)}" text-anchor="middle" font-weight="bold">'
            f"{esc(labels.level % {'level': level})}</text>"
            f'<line x1="{num(x(level - 0.5))}" y1="{num(levels_top)}" x2="{num(x(level - 0.5))}" '
            f'y2="{num(body_bottom)}" stroke="{GRID}" stroke-width="0.5"/>'
        )
    out.append("</g>")
    status_text = {
        "ready": labels.ready,
        "no_funding": labels.no_funding,
        "no_owner": labels.no_owner,
        "neither": labels.neither,
    }
    chars = int((label_width - 8) / (11 * 0.58))
    out.append('<g class="rows">')
    for i, row in enumerate(rows):
        low, high = sorted((row.trl_from, row.trl_to))
        y = body_top + i * row_h
        status = trl_status(row)
        title = labels.item_title % {
            "label": row.label,
            "low": low,
            "high": high,
            "status": status_text[status],
        }
        at_risk = status != "ready" and in_valley(low, high)
        stroke = f' stroke="{INK}" stroke-width="1.5"' if at_risk else ""
        cls = "trl-item at-risk" if at_risk else "trl-item"
        out.append(
            f'<g class="{cls}"><title>{esc(title)}</title>'
            f'<text x="{num(margin)}" y="{num(y + 14)}">{esc(clip(row.label, chars))}</text>'
            f'<rect class="trl-bar {status}" x="{num(x(low - 0.5) + 3)}" y="{num(y + (row_h - bar_h) / 2)}" '
            f'width="{num(x(high + 0.5) - x(low - 0.5) - 6)}" height="{num(bar_h)}" rx="3" '
            f'fill="{_STATUS_COLOURS[status]}"{stroke}/></g>'
        )
    out.append("</g>")
    out.append('<g class="legend" font-size="10">')
    lx = margin
    for status in ("ready", "no_funding", "no_owner", "neither"):
        text = status_text[status]
        out.append(
            f'<rect x="{num(lx)}" y="{num(legend_y + 5)}" width="18" height="{num(bar_h)}" rx="3" '
            f'fill="{_STATUS_COLOURS[status]}"/><text x="{num(lx + 24)}" y="{num(legend_y + 15)}">'
            f"{esc(text)}</text>"
        )
        lx += 24 + text_width(text, 10) + 16
    out.append(
        f'<rect x="{num(lx)}" y="{num(legend_y + 3)}" width="18" height="16" fill="{VALLEY}"/>'
        f'<text x="{num(lx + 24)}" y="{num(legend_y + 15)}">{esc(labels.valley)}</text>'
    )
    out.append("</g></svg>")
    return "".join(out)


# ---- the interplay graph ----

HELIX_COLOURS: dict[str, str] = {
    "company": "#1f77b4",
    "knowledge": "#2ca02c",
    "government": "#ff7f0e",
    "other": "#7f7f7f",
}
UNKNOWN_HELIX = "#bdbdbd"


@dataclass(frozen=True)
class InterplayNode:
    key: str
    label: str
    helix: str = ""  # company, knowledge, government, other; "" = unknown
    items: int = 0  # the items it takes part in


@dataclass(frozen=True)
class InterplayEdge:
    """``source`` depends on ``target`` through ``weight`` dependency links."""

    source: str
    target: str
    weight: int = 1


@dataclass(frozen=True)
class InterplayLabels:
    title: str = ""
    chart: str = "Who depends on whom"
    helix: Mapping[str, str] = field(
        default_factory=lambda: {
            "company": "Company",
            "knowledge": "Knowledge",
            "government": "Government",
            "other": "Other",
        }
    )
    unknown_helix: str = "Unknown"
    node_title: str = "%(label)s: %(items)d items"
    edge_title: str = "%(source)s depends on %(target)s (%(weight)d links)"


def interplay(roadmap: Roadmap) -> tuple[list[InterplayNode], list[InterplayEdge]]:
    """The roadmap's participants (those listed, then owners and contributors not listed) and who depends
    on whom: for each dependency whose successor's owner differs from its predecessor's owner, the
    successor's owner depends on the predecessor's owner. Edges are sorted (by node order)."""
    by_key = {it.key: it for it in roadmap.items}
    nodes: dict[str, InterplayNode] = {}
    for p in roadmap.participants:
        nodes.setdefault(str(p.id), InterplayNode(str(p.id), p.name or str(p.id), p.helix))
    counts: dict[str, int] = {}
    for item in roadmap.items:
        for pid in item.participants:
            key = str(pid)
            nodes.setdefault(key, InterplayNode(key, key))
            counts[key] = counts.get(key, 0) + 1
    order = {key: i for i, key in enumerate(nodes)}
    weights: dict[tuple[str, str], int] = {}
    for dep in roadmap.dependencies:
        pred, succ = by_key.get(dep.predecessor), by_key.get(dep.successor)
        if pred is None or succ is None or pred.owner is None or succ.owner is None:
            continue
        a, b = str(succ.owner), str(pred.owner)
        if a != b:
            weights[(a, b)] = weights.get((a, b), 0) + 1
    node_list = [InterplayNode(n.key, n.label, n.helix, counts.get(n.key, 0)) for n in nodes.values()]
    edges = [
        InterplayEdge(a, b, w)
        for (a, b), w in sorted(weights.items(), key=lambda e: (order[e[0][0]], order[e[0][1]]))
    ]
    return node_list, edges


def interplay_svg(
    nodes: Sequence[InterplayNode],
    edges: Sequence[InterplayEdge],
    *,
    labels: InterplayLabels | None = None,
    size: int = 720,
    id_prefix: str = "interplay",
) -> str:
    """The interplay graph as an SVG document: nodes on a circle in the given order, an arrow from each
    participant to the one it depends on. Edges naming an unknown node are skipped."""
    labels = labels or InterplayLabels()
    margin = 8.0
    top = margin + (30.0 if labels.title else 0.0)
    legend_h = 26.0
    height = top + size + legend_h + margin
    width = float(size) + 2 * margin
    cx, cy = margin + size / 2, top + size / 2
    ring = size / 2 - 130.0 if len(nodes) > 1 else 0.0
    biggest = max((n.items for n in nodes), default=0)

    def radius(node: InterplayNode) -> float:
        return 7.0 + (21.0 * math.sqrt(node.items / biggest) if biggest else 0.0)

    place: dict[str, tuple[float, float, float, float]] = {}  # key -> x, y, r, angle
    for i, node in enumerate(nodes):
        angle = -math.pi / 2 + 2 * math.pi * i / max(1, len(nodes))
        place[node.key] = (cx + ring * math.cos(angle), cy + ring * math.sin(angle), radius(node), angle)
    names = {n.key: n.label for n in nodes}
    heaviest = max((e.weight for e in edges), default=1)
    prefix = esc(id_prefix)
    aria = labels.title or labels.chart
    out = [
        open_svg(width, height, aria),
        f"<title>{esc(aria)}</title>",
        f'<defs><marker id="{prefix}-arrow" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="6" '
        f'markerHeight="6" markerUnits="userSpaceOnUse" orient="auto"><path d="M0 0L8 4L0 8z" '
        f'fill="{MUTED}"/></marker></defs>',
        f'<rect width="{num(width)}" height="{num(height)}" fill="#fff"/>',
    ]
    if labels.title:
        out.append(
            f'<text x="{num(margin)}" y="{num(margin + 18)}" font-size="16" font-weight="bold">'
            f"{esc(labels.title)}</text>"
        )
    out.append(f'<g class="edges" fill="none" stroke="{MUTED}" stroke-opacity="0.75">')
    for edge in edges:
        if edge.source not in place or edge.target not in place or edge.source == edge.target:
            continue
        x1, y1, r1, _ = place[edge.source]
        x2, y2, r2, _ = place[edge.target]
        dx, dy = x2 - x1, y2 - y1
        length = math.hypot(dx, dy) or 1.0
        # A curve bent to its left: A->B and B->A do not overlap.
        bend = 0.18 * length
        qx, qy = (x1 + x2) / 2 - dy / length * bend, (y1 + y2) / 2 + dx / length * bend
        sx, sy = _toward(x1, y1, qx, qy, r1 + 1)
        ex, ey = _toward(x2, y2, qx, qy, r2 + 3)
        stroke = 1.0 + 5.0 * (edge.weight - 1) / max(1, heaviest - 1) if heaviest > 1 else 1.5
        title = labels.edge_title % {
            "source": names[edge.source],
            "target": names[edge.target],
            "weight": edge.weight,
        }
        out.append(
            f'<path class="edge" d="M{num(sx)} {num(sy)}Q{num(qx)} {num(qy)} {num(ex)} {num(ey)}" '
            f'stroke-width="{num(stroke)}" marker-end="url(#{prefix}-arrow)">'
            f"<title>{esc(title)}</title></path>"
        )
    out.append("</g>")
    out.append('<g class="nodes">')
    for node in nodes:
        x, y, r, angle = place[node.key]
        colour = HELIX_COLOURS.get(node.helix, UNKNOWN_HELIX)
        title = labels.node_title % {"label": node.label, "items": node.items}
        lx, ly = x + (r + 6) * math.cos(angle), y + (r + 6) * math.sin(angle)
        cos = math.cos(angle)
        anchor = "middle" if abs(cos) < 0.3 or len(nodes) == 1 else ("start" if cos > 0 else "end")
        if len(nodes) == 1:
            ly = y + r + 14
        elif abs(cos) < 0.3:
            ly += 10 if math.sin(angle) > 0 else -4
        else:
            ly += 4
        out.append(
            f'<g class="node"><title>{esc(title)}</title><circle cx="{num(x)}" cy="{num(y)}" r="{num(r)}" '
            f'fill="{colour}" stroke="#fff" stroke-width="1.5"/><text x="{num(lx)}" y="{num(ly)}" '
            f'text-anchor="{anchor}">{esc(clip(node.label, 28))}</text></g>'
        )
    out.append("</g>")
    out.append('<g class="legend" font-size="10">')
    lx = margin
    ly = top + size + 8
    present = {n.helix if n.helix in HELIX_COLOURS else "" for n in nodes}
    for helix in [*HELIX_COLOURS, ""]:
        if helix not in present:
            continue
        text = labels.helix.get(helix, helix) if helix else labels.unknown_helix
        colour = HELIX_COLOURS.get(helix, UNKNOWN_HELIX)
        out.append(
            f'<circle cx="{num(lx + 6)}" cy="{num(ly + 6)}" r="6" fill="{colour}"/>'
            f'<text x="{num(lx + 16)}" y="{num(ly + 10)}">{esc(text)}</text>'
        )
        lx += 16 + text_width(text, 10) + 16
    out.append("</g></svg>")
    return "".join(out)


def _toward(x: float, y: float, tx: float, ty: float, distance: float) -> tuple[float, float]:
    """The point ``distance`` from (x, y) toward (tx, ty)."""
    dx, dy = tx - x, ty - y
    length = math.hypot(dx, dy) or 1.0
    return x + dx / length * distance, y + dy / length * distance
