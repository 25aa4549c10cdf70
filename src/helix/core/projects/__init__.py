"""Projects: the kinds of project the seeds name (types as data), a project's lifecycle and what each
move requires, its consortium and the rules it keeps, the composer that says what a draft consortium
misses and who would complete it, and the budget (lines, funding sources, milestones, deliverables).

Plain values and ids in, coded problems and reasons out; the Django edge maps its rows to these types
and translates the codes (docs/decisions/0006-projects-calls-funds.md)."""

from .budget import (
    Budget,
    BudgetLine,
    BudgetTotals,
    CostCategory,
    Deliverable,
    FundingRates,
    FundingSource,
    Milestone,
    RateCategory,
    SourceKind,
    budget_problems,
    budget_totals,
    partner_rates,
)
from .composer import Affinity, Composition, Gap, ProjectNeeds, Suggestion, Weights, compose
from .consortium import (
    ConsortiumCheck,
    Member,
    Organisation,
    OrganisationKind,
    Role,
    Rule,
    RuleOutcome,
    Severity,
    check_consortium,
)
from .lifecycle import (
    LIFECYCLES,
    PROJECT_WORKFLOW,
    HistoryEntry,
    ProjectFacts,
    ProjectMoveRefused,
    available_moves,
    check_project_move,
    move_project,
    replay,
)
from .problems import OrganisationId, Problem, Reason
from .types import ProjectType, UnknownProjectType, project_type, project_types

__all__ = [
    "LIFECYCLES",
    "PROJECT_WORKFLOW",
    "Affinity",
    "Budget",
    "BudgetLine",
    "BudgetTotals",
    "Composition",
    "ConsortiumCheck",
    "CostCategory",
    "Deliverable",
    "FundingRates",
    "FundingSource",
    "Gap",
    "HistoryEntry",
    "Member",
    "Milestone",
    "Organisation",
    "OrganisationId",
    "OrganisationKind",
    "Problem",
    "ProjectFacts",
    "ProjectMoveRefused",
    "ProjectNeeds",
    "ProjectType",
    "RateCategory",
    "Reason",
    "Role",
    "Rule",
    "RuleOutcome",
    "Severity",
    "SourceKind",
    "Suggestion",
    "UnknownProjectType",
    "Weights",
    "available_moves",
    "budget_problems",
    "budget_totals",
    "check_consortium",
    "check_project_move",
    "compose",
    "move_project",
    "partner_rates",
    "project_type",
    "project_types",
    "replay",
]
