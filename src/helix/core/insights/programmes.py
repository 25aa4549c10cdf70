"""Programme cycles (seed 003, Smart Energy Cities): a programme runs cycles of four phases, and each
new cycle chooses its work domains from the needs of the moment.

A cycle moves planned -> needs inventory -> deepening and matchmaking -> innovation trajectories and
working tables -> dissemination -> closed (:data:`CYCLE_WORKFLOW`), by the cluster's staff. Each phase
declares what it links (:data:`PHASES`): the needs it inventoried, the workshops and matchmaking events
it held, the trajectories and working tables it ran, the outputs it produced. A phase is left only when
it has what it exists for (:func:`move_refusals`, one coded reason per gap, translated at the edge).

Work domains for a new cycle are proposed from the open needs (:func:`propose_work_domains`): per domain,
the distinct organisations asking, local governments first (the programme exists for them), recent
needs weighing more. A working table's outputs are reusable by other cities with the same problem
(:func:`reusable_outputs`): ranked for a need by shared domains and shared terms in any of the four
languages, an output the need's owner helped make left out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from helix.core.matching.language import detect_language
from helix.core.matching.lexical import tokenize
from helix.core.workflow import Transition, Workflow

# ---- phases and the cycle's lifecycle ----------------------------------------------------------------

PLANNED = "planned"
NEEDS_INVENTORY = "needs_inventory"
DEEPENING = "deepening"
TRAJECTORIES = "trajectories"
DISSEMINATION = "dissemination"
CLOSED = "closed"
STAFF = "staff"

# What a phase links.
NEED = "need"
EVENT = "event"
PROJECT = "project"
OUTPUT = "output"
LINK_KINDS = (NEED, EVENT, PROJECT, OUTPUT)


@dataclass(frozen=True)
class Phase:
    """A phase of a cycle: what it links and what it must hold before the cycle leaves it."""

    code: str
    links: frozenset[str]
    requires: tuple[str, ...]  # requirement codes, checked by :func:`move_refusals`


PHASES: tuple[Phase, ...] = (
    # Phase 1: the local governments' projects, needs, obstacles and questions; the work domains follow.
    Phase(NEEDS_INVENTORY, frozenset({NEED, EVENT}), ("needs_linked", "work_domains_chosen")),
    # Phase 2: per work domain, deeper needs in workshops; matchmaking (speed dating) or individual tracks.
    Phase(DEEPENING, frozenset({NEED, EVENT, PROJECT}), ("event_or_track_held",)),
    # Phase 3: innovation trajectories and working tables with concrete outputs.
    Phase(TRAJECTORIES, frozenset({PROJECT, OUTPUT, EVENT}), ("trajectory_or_table_run",)),
    # Phase 4: the aggregated results spread to the wider platform of companies and cities.
    Phase(DISSEMINATION, frozenset({OUTPUT, EVENT}), ("output_published",)),
)
PHASE_BY_CODE: Mapping[str, Phase] = {p.code: p for p in PHASES}
PHASE_CODES = tuple(p.code for p in PHASES)
STATES = (PLANNED, *PHASE_CODES, CLOSED)

CYCLE_WORKFLOW = Workflow(
    name="programme_cycle",
    states=STATES,
    initial=PLANNED,
    transitions=(
        Transition(PLANNED, NEEDS_INVENTORY, frozenset({STAFF}), "Start the needs inventory"),
        Transition(NEEDS_INVENTORY, DEEPENING, frozenset({STAFF}), "Deepen the needs and matchmake"),
        Transition(DEEPENING, TRAJECTORIES, frozenset({STAFF}), "Start trajectories and working tables"),
        Transition(TRAJECTORIES, DISSEMINATION, frozenset({STAFF}), "Disseminate the results"),
        Transition(DISSEMINATION, CLOSED, frozenset({STAFF}), "Close the cycle"),
    ),
)

# Project kinds (helix.core.projects types) that count as a phase's trajectories and working tables.
TRAJECTORY_KINDS = frozenset({"innovation_trajectory", "working_table", "living_lab"})


@dataclass(frozen=True)
class PhaseHoldings:
    """What a phase of a cycle holds, as counts and kinds, for its exit rules."""

    needs: int = 0
    events: int = 0
    projects: int = 0
    project_kinds: frozenset[str] = frozenset()
    outputs: int = 0
    public_outputs: int = 0


@dataclass(frozen=True)
class Refusal:
    """Why a move cannot be made: a code the edge translates, and the phase it is about."""

    code: str
    phase: str = ""


def next_state(state: str) -> str | None:
    """The state after ``state`` in the cycle (None once closed)."""
    at = STATES.index(state)
    return STATES[at + 1] if at + 1 < len(STATES) else None


def may_link(phase: str, kind: str) -> bool:
    """May a record of ``kind`` (need, event, project, output) be linked to ``phase``?"""
    declared = PHASE_BY_CODE.get(phase)
    return declared is not None and kind in declared.links


def move_refusals(
    state: str,
    target: str,
    holdings: PhaseHoldings,
    work_domains: int,
    roles: Iterable[str],
) -> list[Refusal]:
    """Why ``state -> target`` cannot be made now (empty when it can): the workflow's table (only the
    next state, only by staff), then the requirements of the phase being left."""
    held = set(roles)
    transition = next(
        (t for t in CYCLE_WORKFLOW.transitions if t.source == state and t.target == target), None
    )
    if transition is None:
        return [Refusal("cycle_move_unknown")]
    if not transition.roles & held:
        return [Refusal("cycle_move_not_yours")]
    phase = PHASE_BY_CODE.get(state)
    if phase is None:
        return []
    refusals = []
    for need in phase.requires:
        if need == "needs_linked" and holdings.needs == 0:
            refusals.append(Refusal("cycle_needs_missing", state))
        elif need == "work_domains_chosen" and work_domains == 0:
            refusals.append(Refusal("cycle_domains_missing", state))
        elif need == "event_or_track_held" and holdings.events == 0 and holdings.projects == 0:
            refusals.append(Refusal("cycle_event_missing", state))
        elif need == "trajectory_or_table_run" and not holdings.project_kinds & TRAJECTORY_KINDS:
            refusals.append(Refusal("cycle_trajectory_missing", state))
        elif need == "output_published" and holdings.public_outputs == 0:
            refusals.append(Refusal("cycle_output_missing", state))
    return refusals


def link_refusal(state: str, phase: str, kind: str) -> Refusal | None:
    """Why a record of ``kind`` cannot be linked to ``phase`` of a cycle in ``state`` (None when it
    can): a phase links only what it declares, and only while the cycle is in it or past it."""
    if phase not in PHASE_BY_CODE:
        return Refusal("cycle_phase_unknown")
    if not may_link(phase, kind):
        return Refusal("cycle_link_kind", phase)
    if state == PLANNED or (state != CLOSED and STATES.index(state) < STATES.index(phase)):
        return Refusal("cycle_phase_not_started", phase)
    if state == CLOSED:
        return Refusal("cycle_closed", phase)
    return None


# ---- work domains from the needs of the moment ----------------------------------------------------


@dataclass(frozen=True)
class NeedSignal:
    """An open need: who asks (and whether a local government), when it was published, its domains."""

    id: int
    organisation: int
    public_body: bool
    published_on: date
    domains: frozenset[int]


@dataclass(frozen=True)
class DomainProposal:
    domain: int
    score: float
    needs: tuple[int, ...]
    organisations: int
    public_bodies: int
    previous: bool  # a work domain of the cycle before


# A local government asking counts this many times an other organisation (the programme serves cities).
PUBLIC_BODY_WEIGHT = 2.0
# A need's weight halves every this many days since it was published.
HALF_LIFE_DAYS = 365.0


def propose_work_domains(
    needs: Iterable[NeedSignal],
    domains: Iterable[int],
    today: date,
    previous: Iterable[int] = (),
    count: int = 4,
) -> list[DomainProposal]:
    """The ``count`` domains with the most demand now, best first. A domain's score sums, over the
    distinct organisations with an open need in it, the weight of their most recent need (halving every
    :data:`HALF_LIFE_DAYS`), a local government counting :data:`PUBLIC_BODY_WEIGHT` times. Domains
    nobody asks for now are not proposed; ties go to the lower domain id so the order is stable."""
    known = set(domains)
    before = set(previous)
    latest: dict[tuple[int, int], float] = {}
    public: dict[int, bool] = {}
    per_domain_needs: dict[int, list[int]] = {}
    for need in needs:
        age = max(0, (today - need.published_on).days)
        weight = 0.5 ** (age / HALF_LIFE_DAYS) * (PUBLIC_BODY_WEIGHT if need.public_body else 1.0)
        public[need.organisation] = need.public_body
        for domain in need.domains & known:
            key = (domain, need.organisation)
            latest[key] = max(latest.get(key, 0.0), weight)
            per_domain_needs.setdefault(domain, []).append(need.id)
    scores: dict[int, float] = {}
    orgs: dict[int, set[int]] = {}
    for (domain, org), weight in latest.items():
        scores[domain] = scores.get(domain, 0.0) + weight
        orgs.setdefault(domain, set()).add(org)
    ranked = sorted(scores, key=lambda d: (-scores[d], d))[: max(0, count)]
    return [
        DomainProposal(
            domain=d,
            score=round(scores[d], 4),
            needs=tuple(sorted(per_domain_needs[d])),
            organisations=len(orgs[d]),
            public_bodies=sum(1 for o in orgs[d] if public[o]),
            previous=d in before,
        )
        for d in ranked
    ]


# ---- a working table's outputs, reused by other cities -------------------------------------------


@dataclass(frozen=True)
class OutputRecord:
    id: int
    text: str  # title and summary
    domains: frozenset[int]
    makers: frozenset[int]  # organisations of the working table (or trajectory) that produced it


@dataclass(frozen=True)
class NeedRecord:
    id: int
    text: str
    domains: frozenset[int]
    organisation: int


@dataclass(frozen=True)
class Reuse:
    output: int
    need: int
    score: float
    shared_domains: tuple[int, ...]
    shared_terms: tuple[str, ...]


# A shared domain is worth this much beside the share of the need's terms the output carries (0..1).
DOMAIN_WEIGHT = 0.5
MIN_SCORE = 0.2


# Stems are cut to this many letters before they are compared: the four languages' stemmers leave
# cognates apart ("renoveer", "renov"; "collectief", "collect"), their first letters meet.
PREFIX = 5


def _terms(text: str) -> frozenset[str]:
    """The content terms of ``text``: stems of at least :data:`PREFIX` letters (shorter ones are mostly
    the function words the stemmers' lists miss: "elke", "haar", "wil"), cut to that length."""
    return frozenset(
        t[:PREFIX] for t in tokenize(text, detect_language(text)) if len(t) >= PREFIX and not t.isdigit()
    )


def _reuse(
    need: NeedRecord, need_terms: frozenset[str], output: OutputRecord, terms: frozenset[str]
) -> Reuse | None:
    if need.organisation in output.makers:
        return None
    shared_domains = tuple(sorted(need.domains & output.domains))
    shared = need_terms & terms
    overlap = len(shared) / len(need_terms) if need_terms else 0.0
    score = (DOMAIN_WEIGHT if shared_domains else 0.0) + overlap
    if score < MIN_SCORE:
        return None
    return Reuse(output.id, need.id, round(score, 4), shared_domains, tuple(sorted(shared)))


def reusable_outputs(need: NeedRecord, outputs: Sequence[OutputRecord], limit: int = 10) -> list[Reuse]:
    """Outputs that answer ``need``, best first: :data:`DOMAIN_WEIGHT` if they share a domain, plus the
    share of the need's terms they carry (stems cut to :data:`PREFIX` letters, so Dutch "renovatie"
    meets French "rénovation"). Outputs the need's own organisation helped make, and those scoring under
    :data:`MIN_SCORE`, are left out; equal scores go to the lower id."""
    need_terms = _terms(need.text)
    found = [r for o in outputs if (r := _reuse(need, need_terms, o, _terms(o.text))) is not None]
    found.sort(key=lambda r: (-r.score, r.output))
    return found[: max(0, limit)]


def needs_for_output(output: OutputRecord, needs: Sequence[NeedRecord], limit: int = 10) -> list[Reuse]:
    """The other way round: the needs ``output`` answers (the cities with the same problem), best first,
    scored as :func:`reusable_outputs` scores them; equal scores go to the lower need id."""
    terms = _terms(output.text)
    found = [r for n in needs if (r := _reuse(n, _terms(n.text), output, terms)) is not None]
    found.sort(key=lambda r: (-r.score, r.need))
    return found[: max(0, limit)]
