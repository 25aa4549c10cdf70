"""The lifecycles of a call and of an application, declared as workflow tables, and deadlines in time zones.

A **call**: draft -> open -> closed -> reviewing -> decided -> archived. Staff open, close (or reopen
when a deadline is extended), start the review, record the decision and archive; the ``clock`` closes
a call whose deadline has passed.

An **application**: draft -> submitted -> eligible / ineligible -> in review -> selected / rejected ->
funded; the applicant may withdraw it until it is funded or turned down. The ``applicant`` (the lead
applicant's people) submits and withdraws; a ``co_applicant`` edits the draft but does not submit;
``staff`` judge eligibility (with :func:`helix.core.calls.eligibility.evaluate`), send it to review,
and record the decision and the funding; ``staff`` may also reopen a submitted application as a draft
before the deadline (say, to add a missing attachment), and invite a selected concept note to the next
stage (a draft again, at the call's next stage). Whether a submission is in time is the
deadline's business (:meth:`Deadline.in_time`), asked by the service before it moves the application.

A :class:`Deadline` is a local date and time in an IANA time zone (the Luxembourg call: 30 April 2024,
23:59, Europe/Luxembourg). "In time" compares instants: a submission at or before the deadline's instant
is in time, one second later is late. So 22:30 UTC on 30 April 2024 is 00:30 on 1 May in Luxembourg
(summer time, UTC+2): late. A local time that does not exist (skipped when clocks go forward) is
refused; one that happens twice (clocks go back) means the later of the two, to the applicant's benefit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from helix.core.specs import SpecError, SpecProblem, SpecReader
from helix.core.workflow import Transition, Workflow

STAFF = "staff"
APPLICANT = "applicant"
CO_APPLICANT = "co_applicant"
CLOCK = "clock"


class CallStatus(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    REVIEWING = "reviewing"
    DECIDED = "decided"
    ARCHIVED = "archived"


class ApplicationStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    ELIGIBLE = "eligible"
    INELIGIBLE = "ineligible"
    IN_REVIEW = "in_review"
    SELECTED = "selected"
    REJECTED = "rejected"
    FUNDED = "funded"
    WITHDRAWN = "withdrawn"


_C = CallStatus
CALL_WORKFLOW = Workflow(
    name="call",
    states=tuple(s.value for s in CallStatus),
    initial=_C.DRAFT,
    transitions=(
        Transition(_C.DRAFT, _C.OPEN, frozenset({STAFF}), "Open the call"),
        Transition(_C.OPEN, _C.CLOSED, frozenset({STAFF, CLOCK}), "Close the call"),
        Transition(_C.CLOSED, _C.OPEN, frozenset({STAFF}), "Reopen (deadline extended)"),
        Transition(_C.CLOSED, _C.REVIEWING, frozenset({STAFF}), "Start the review"),
        Transition(_C.REVIEWING, _C.DECIDED, frozenset({STAFF}), "Record the decision"),
        Transition(_C.DECIDED, _C.ARCHIVED, frozenset({STAFF}), "Archive"),
    ),
)

_A = ApplicationStatus
APPLICATION_WORKFLOW = Workflow(
    name="application",
    states=tuple(s.value for s in ApplicationStatus),
    initial=_A.DRAFT,
    transitions=(
        Transition(_A.DRAFT, _A.SUBMITTED, frozenset({APPLICANT}), "Submit"),
        Transition(_A.SUBMITTED, _A.DRAFT, frozenset({STAFF}), "Reopen as a draft"),
        Transition(_A.SUBMITTED, _A.ELIGIBLE, frozenset({STAFF}), "Declare eligible"),
        Transition(_A.SUBMITTED, _A.INELIGIBLE, frozenset({STAFF}), "Declare ineligible"),
        Transition(_A.ELIGIBLE, _A.IN_REVIEW, frozenset({STAFF}), "Send to review"),
        Transition(_A.IN_REVIEW, _A.SELECTED, frozenset({STAFF}), "Select"),
        Transition(_A.IN_REVIEW, _A.REJECTED, frozenset({STAFF}), "Reject"),
        Transition(_A.SELECTED, _A.FUNDED, frozenset({STAFF}), "Record the funding"),
        # a concept note selected: its applicants write the next stage (the service checks there is one)
        Transition(_A.SELECTED, _A.DRAFT, frozenset({STAFF}), "Invite to the next stage"),
        *(
            Transition(source, _A.WITHDRAWN, frozenset({APPLICANT}), "Withdraw")
            for source in (_A.DRAFT, _A.SUBMITTED, _A.ELIGIBLE, _A.IN_REVIEW, _A.SELECTED)
        ),
    ),
)

# Who may change the answers of an application in each state (the edge asks before saving).
EDITABLE_BY: dict[ApplicationStatus, frozenset[str]] = {_A.DRAFT: frozenset({APPLICANT, CO_APPLICANT})}


@dataclass(frozen=True)
class DeadlineProblem:
    code: str
    params: dict[str, object] = field(default_factory=dict)
    text: str = ""


class DeadlineError(ValueError):
    def __init__(self, problem: DeadlineProblem) -> None:
        self.problem = problem
        super().__init__(problem.text)


@dataclass(frozen=True)
class Deadline:
    local: dt.datetime  # wall-clock time in ``zone``, without tzinfo
    zone: str  # IANA name, "Europe/Luxembourg"

    def __post_init__(self) -> None:
        if self.local.tzinfo is not None:
            raise DeadlineError(
                DeadlineProblem(
                    "deadline.not_local",
                    {"local": self.local.isoformat()},
                    "A deadline is a local time: no offset",
                )
            )
        try:
            zone = ZoneInfo(self.zone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise DeadlineError(
                DeadlineProblem("deadline.unknown_zone", {"zone": self.zone}, f"No time zone {self.zone!r}")
            ) from exc
        aware = self.local.replace(tzinfo=zone)
        back = aware.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None)
        if back != self.local:
            raise DeadlineError(
                DeadlineProblem(
                    "deadline.nonexistent_time",
                    {"local": self.local.isoformat(), "zone": self.zone},
                    f"{self.local.isoformat()} does not exist in {self.zone} (the clocks skip it)",
                )
            )

    @property
    def instant(self) -> dt.datetime:
        """The deadline in UTC; of a local time that happens twice, the later."""
        zone = ZoneInfo(self.zone)
        first = self.local.replace(tzinfo=zone, fold=0).astimezone(dt.UTC)
        second = self.local.replace(tzinfo=zone, fold=1).astimezone(dt.UTC)
        return max(first, second)

    def in_time(self, submitted_at: dt.datetime) -> bool:
        """Whether a submission at the instant ``submitted_at`` (with its offset) is in time."""
        if submitted_at.tzinfo is None or submitted_at.utcoffset() is None:
            raise ValueError("a submission time needs its offset (an instant), not a wall-clock time")
        return submitted_at <= self.instant

    def local_time_of(self, at: dt.datetime) -> dt.datetime:
        """``at`` as the clock in the deadline's zone reads it (for a receipt)."""
        return at.astimezone(ZoneInfo(self.zone))

    def remaining(self, now: dt.datetime) -> dt.timedelta:
        """Time left until the deadline (negative once passed)."""
        return self.instant - now


def read_deadline(r: SpecReader) -> Deadline | None:
    """A deadline from its spec: {"local": "2024-04-30T23:59", "zone": "Europe/Luxembourg"}."""
    local_text = r.text("local")
    zone = r.text("zone")
    r.done()
    if not (local_text and zone):
        return None
    try:
        local = dt.datetime.fromisoformat(local_text)
    except ValueError:
        r.problem(
            "spec.wrong_type",
            "local",
            "must be a local date and time (YYYY-MM-DDTHH:MM)",
            expected="datetime",
        )
        return None
    try:
        return Deadline(local, zone)
    except DeadlineError as exc:
        r.problem(
            exc.problem.code,
            "zone" if exc.problem.code == "deadline.unknown_zone" else "local",
            exc.problem.text,
            **{k: v for k, v in exc.problem.params.items() if k in ("local", "zone")},
        )
        return None


def load_deadline(data: object, path: str = "deadline") -> Deadline:
    problems: list[SpecProblem] = []
    deadline = read_deadline(SpecReader(data, path, problems))
    if problems or deadline is None:
        raise SpecError(problems)
    return deadline
