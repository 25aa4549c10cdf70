"""A call for proposals declared as data: its instrument, caps, eligibility rules and staged forms.

A call file (JSON) holds::

    {"id", "title": {"en", "nl", ...}, "cluster"?, "programme"?, "budget_eur"?,
     "instrument": {"id", "kind", "name"?, "de_minimis"?},
     "caps": [...],        # helix.core.funding.caps.load_caps
     "rules": [...],       # helix.core.calls.eligibility.load_rules
     "stages": [{"name", "label", "deadline"?: {"local", "zone"}, "form": {...}}],
     "rubric"?: {...},     # helix.core.review.rubric_spec: the review criteria and their weights
     "project_type"?,      # the kind of project an awarded application becomes (helix.core.projects)
     "sources": [...], "assumptions": [...]}   # where each rule comes from, and what was assumed

:func:`load_call` reads one (every malformed part named by its path in one
:class:`helix.core.specs.SpecError`); :func:`seed_calls` reads the calls of the seed documents shipped in
``data/``: Flux50's feasibility study call (2017), a Factory of the Future precluster call, the
Luxembourg Business Partnership Facility (deadline 30 April 2024), the Flemish SME portfolio and the
TINA fund.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources

from helix.core.funding.caps import Cap, read_cap
from helix.core.funding.ledger import Instrument, InstrumentKind
from helix.core.projects.types import project_types
from helix.core.review.rubric_spec import RubricSpec, read_rubric
from helix.core.specs import SpecError, SpecProblem, SpecReader

from .eligibility import RuleSpec, load_rules
from .forms import StageForm, load_form
from .lifecycle import read_deadline


@dataclass(frozen=True)
class CallDefinition:
    id: str
    title: Mapping[str, str]
    instrument: Instrument
    caps: tuple[Cap, ...]
    rules: tuple[RuleSpec, ...]
    stages: tuple[StageForm, ...]
    cluster: str = ""
    programme: str = ""
    budget_eur: Decimal | None = None
    rubric: RubricSpec | None = None
    project_type: str = ""  # a key of helix.core.projects.types; "" when the call names none
    sources: tuple[str, ...] = ()
    assumptions: tuple[str, ...] = ()

    def stage(self, name: str) -> StageForm | None:
        return next((s for s in self.stages if s.name == name), None)

    def next_stage(self, name: str) -> StageForm | None:
        """The stage after ``name`` (a concept note's full proposal); None after the last."""
        names = [s.name for s in self.stages]
        position = names.index(name)
        return self.stages[position + 1] if position + 1 < len(self.stages) else None


def load_call(data: object, path: str = "call") -> CallDefinition:
    problems: list[SpecProblem] = []
    r = SpecReader(data, path, problems)
    call_id = r.text("id")
    title = r.translations("title")
    cluster = r.text("cluster", required=False)
    programme = r.text("programme", required=False)
    budget = r.number("budget_eur", required=False, minimum=Decimal(0))
    project_kind = r.choice("project_type", sorted(project_types()), required=False)
    sources = r.strings("sources", required=False)
    assumptions = r.strings("assumptions", required=False)

    instrument: Instrument | None = None
    ir = r.child("instrument")
    if ir is not None and ir.ok:
        instrument_id = ir.text("id")
        kind = ir.choice("kind", [k.value for k in InstrumentKind])
        name = ir.text("name", required=False)
        de_minimis = ir.boolean("de_minimis")
        ir.done()
        if instrument_id and kind:
            instrument = Instrument(instrument_id, InstrumentKind(kind), name, de_minimis)

    caps: list[Cap] = []
    for i, item in enumerate(r.objects("caps", required=False)):
        cap = read_cap(SpecReader(item, f"{path}.caps[{i}]", problems, {"index": i}))
        if cap is not None:
            caps.append(cap)

    rules: tuple[RuleSpec, ...] = ()
    r.read.add("rules")
    try:
        rules = load_rules(r.data.get("rules", []), f"{path}.rules")
    except SpecError as exc:
        problems.extend(exc.problems)

    stages: list[StageForm] = []
    for i, item in enumerate(r.objects("stages")):
        s = SpecReader(item, f"{path}.stages[{i}]", problems, {"stage": i})
        if not s.ok:
            continue
        stage_name = s.text("name")
        label = s.translations("label")
        deadline_reader = s.child("deadline", required=False)
        deadline = (
            read_deadline(deadline_reader) if deadline_reader is not None and deadline_reader.ok else None
        )
        s.read.add("form")
        try:
            form = load_form(s.data.get("form"), f"{s.path}.form")
        except SpecError as exc:
            problems.extend(exc.problems)
            continue
        finally:
            s.done()
        stages.append(StageForm(stage_name, label, form, deadline))
    rubric: RubricSpec | None = None
    rubric_reader = r.child("rubric", required=False)
    if rubric_reader is not None and rubric_reader.ok:
        rubric = read_rubric(rubric_reader)
    if not stages and not problems:
        r.problem("spec.missing_field", "stages", "a call needs a stage")
    r.done()
    if problems or instrument is None:
        raise SpecError(problems)
    return CallDefinition(
        id=call_id,
        title=title,
        instrument=instrument,
        caps=tuple(caps),
        rules=rules,
        stages=tuple(stages),
        cluster=cluster,
        programme=programme,
        budget_eur=budget,
        rubric=rubric,
        project_type=project_kind,
        sources=sources,
        assumptions=assumptions,
    )


SEED_FILES = (
    "flux50_feasibility_2017.json",
    "factory_of_the_future_precluster.json",
    "luxembourg_bpf_2024.json",
    "sme_portfolio.json",
    "tina_fund.json",
)


def seed_calls() -> dict[str, CallDefinition]:
    """The seed documents' calls and instruments, by id, read from ``data/``."""
    folder = resources.files("helix.core.calls") / "data"
    calls = {}
    for name in SEED_FILES:
        call = load_call(json.loads((folder / name).read_text(encoding="utf-8")), name)
        calls[call.id] = call
    return calls
