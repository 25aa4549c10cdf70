"""Review of proposals: reviewer assignment (optimised, with conflicts of interest and loads), scoring
against rubrics with spread, outliers and reviewer-severity correction, and the funding selection."""

from .assignment import (
    FIT_RESOLUTION,
    AssignmentOutcome,
    Conflict,
    Participation,
    ReviewAssignment,
    assign_reviewers,
    balanced_cap,
    expertise_fit,
    find_conflicts,
    greedy_assign,
)
from .problems import ReviewProblem
from .scoring import (
    Criterion,
    ProposalScore,
    Review,
    ReviewTotal,
    Rubric,
    Scoring,
    review_total,
    rubric_problems,
    score_proposals,
    severity_offsets,
)
from .selection import Candidate, Rules, Selection, candidates, select_by_rank, select_optimal

__all__ = [
    "FIT_RESOLUTION",
    "AssignmentOutcome",
    "Candidate",
    "Conflict",
    "Criterion",
    "Participation",
    "ProposalScore",
    "Review",
    "ReviewAssignment",
    "ReviewProblem",
    "ReviewTotal",
    "Rubric",
    "Rules",
    "Scoring",
    "Selection",
    "assign_reviewers",
    "balanced_cap",
    "candidates",
    "expertise_fit",
    "find_conflicts",
    "greedy_assign",
    "review_total",
    "rubric_problems",
    "score_proposals",
    "select_by_rank",
    "select_optimal",
    "severity_offsets",
]
