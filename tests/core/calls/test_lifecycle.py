"""Unit: the call and application lifecycles (every move allowed to its roles and refused to the
others) and deadlines in IANA time zones (helix.core.calls.lifecycle)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from helix.core.calls.lifecycle import (
    APPLICANT,
    APPLICATION_WORKFLOW,
    CALL_WORKFLOW,
    CLOCK,
    CO_APPLICANT,
    EDITABLE_BY,
    STAFF,
    ApplicationStatus,
    CallStatus,
    Deadline,
    DeadlineError,
    DeadlineProblem,
    load_deadline,
)
from helix.core.specs import SpecError
from helix.core.workflow import TransitionNotAllowed

pytestmark = pytest.mark.unit

ROLES = {STAFF, APPLICANT, CO_APPLICANT, CLOCK}
C, A = CallStatus, ApplicationStatus

CALL_MOVES = {
    (C.DRAFT, C.OPEN): {STAFF},
    (C.OPEN, C.CLOSED): {STAFF, CLOCK},
    (C.CLOSED, C.OPEN): {STAFF},
    (C.CLOSED, C.REVIEWING): {STAFF},
    (C.REVIEWING, C.DECIDED): {STAFF},
    (C.DECIDED, C.ARCHIVED): {STAFF},
}
APPLICATION_MOVES = {
    (A.DRAFT, A.SUBMITTED): {APPLICANT},
    (A.SUBMITTED, A.DRAFT): {STAFF},
    (A.SUBMITTED, A.ELIGIBLE): {STAFF},
    (A.SUBMITTED, A.INELIGIBLE): {STAFF},
    (A.ELIGIBLE, A.IN_REVIEW): {STAFF},
    (A.IN_REVIEW, A.SELECTED): {STAFF},
    (A.IN_REVIEW, A.REJECTED): {STAFF},
    (A.SELECTED, A.FUNDED): {STAFF},
    (A.SELECTED, A.DRAFT): {STAFF},  # a concept note invited to the next stage
    **{(s, A.WITHDRAWN): {APPLICANT} for s in (A.DRAFT, A.SUBMITTED, A.ELIGIBLE, A.IN_REVIEW, A.SELECTED)},
}


@pytest.mark.parametrize(
    ("workflow", "moves"), [(CALL_WORKFLOW, CALL_MOVES), (APPLICATION_WORKFLOW, APPLICATION_MOVES)]
)
def test_the_tables_hold_exactly_these_moves(workflow, moves):
    assert {(t.source, t.target): set(t.roles) for t in workflow.transitions} == moves
    assert workflow.initial == "draft"


@pytest.mark.parametrize(
    ("workflow", "source", "target", "role"),
    [(CALL_WORKFLOW, s, t, r) for (s, t), roles in CALL_MOVES.items() for r in sorted(ROLES)]
    + [(APPLICATION_WORKFLOW, s, t, r) for (s, t), roles in APPLICATION_MOVES.items() for r in sorted(ROLES)],
)
def test_each_move_is_allowed_to_its_roles_only(workflow, source, target, role):
    moves = CALL_MOVES if workflow is CALL_WORKFLOW else APPLICATION_MOVES
    if role in moves[(source, target)]:
        assert workflow.check(source, target, [role]).target == target
    else:
        with pytest.raises(TransitionNotAllowed, match="needs one of the roles"):
            workflow.check(source, target, [role])


@pytest.mark.parametrize(
    ("workflow", "source", "target"),
    [
        (CALL_WORKFLOW, C.DRAFT, C.CLOSED),
        (CALL_WORKFLOW, C.ARCHIVED, C.OPEN),
        (APPLICATION_WORKFLOW, A.DRAFT, A.ELIGIBLE),
        (APPLICATION_WORKFLOW, A.INELIGIBLE, A.IN_REVIEW),
        (APPLICATION_WORKFLOW, A.FUNDED, A.WITHDRAWN),
        (APPLICATION_WORKFLOW, A.REJECTED, A.SELECTED),
        (APPLICATION_WORKFLOW, A.WITHDRAWN, A.DRAFT),
    ],
)
def test_moves_not_in_the_table_are_refused_to_everyone(workflow, source, target):
    with pytest.raises(TransitionNotAllowed, match="no transition"):
        workflow.check(source, target, ROLES)


def test_only_a_draft_is_edited_by_applicants_and_co_applicants():
    assert {A.DRAFT: frozenset({APPLICANT, CO_APPLICANT})} == EDITABLE_BY
    assert [t.target for t in APPLICATION_WORKFLOW.available(A.DRAFT, [CO_APPLICANT])] == []


LUXEMBOURG = Deadline(dt.datetime(2024, 4, 30, 23, 59), "Europe/Luxembourg")


def utc(*args):
    return dt.datetime(*args, tzinfo=dt.UTC)


def test_the_luxembourg_deadline_is_2159_utc_in_summer_time():
    assert LUXEMBOURG.instant == utc(2024, 4, 30, 21, 59)
    # 22:30 UTC on 30 April is 00:30 on 1 May in Luxembourg (CEST, UTC+2): late.
    assert not LUXEMBOURG.in_time(utc(2024, 4, 30, 22, 30))
    assert LUXEMBOURG.local_time_of(utc(2024, 4, 30, 22, 30)).replace(tzinfo=None) == dt.datetime(
        2024, 5, 1, 0, 30
    )
    assert LUXEMBOURG.in_time(utc(2024, 4, 30, 21, 59))
    assert not LUXEMBOURG.in_time(utc(2024, 4, 30, 21, 59, 1))
    # The same instant given in another zone.
    assert LUXEMBOURG.in_time(dt.datetime(2024, 4, 30, 17, 59, tzinfo=ZoneInfo("America/New_York")))
    assert LUXEMBOURG.in_time(dt.datetime(2024, 5, 1, 6, 30, tzinfo=ZoneInfo("Asia/Tokyo")))  # 21:30 UTC
    assert not LUXEMBOURG.in_time(dt.datetime(2024, 5, 1, 7, 30, tzinfo=ZoneInfo("Asia/Tokyo")))
    assert LUXEMBOURG.remaining(utc(2024, 4, 30, 20, 59)) == dt.timedelta(hours=1)


def test_a_winter_deadline_is_one_hour_from_utc():
    assert Deadline(dt.datetime(2024, 1, 31, 17, 0), "Europe/Brussels").instant == utc(2024, 1, 31, 16, 0)


def test_a_submission_time_must_be_an_instant():
    with pytest.raises(ValueError, match="needs its offset"):
        LUXEMBOURG.in_time(dt.datetime(2024, 4, 30, 22, 0))


def test_a_local_time_the_clocks_skip_is_refused_and_a_repeated_one_means_the_later():
    with pytest.raises(DeadlineError) as caught:
        Deadline(dt.datetime(2024, 3, 31, 2, 30), "Europe/Luxembourg")
    assert caught.value.problem == DeadlineProblem(
        "deadline.nonexistent_time",
        {"local": "2024-03-31T02:30:00", "zone": "Europe/Luxembourg"},
        "2024-03-31T02:30:00 does not exist in Europe/Luxembourg (the clocks skip it)",
    )
    # 02:30 on 27 October 2024 happens at 00:30 UTC (summer time) and again at 01:30 UTC.
    assert Deadline(dt.datetime(2024, 10, 27, 2, 30), "Europe/Luxembourg").instant == utc(2024, 10, 27, 1, 30)


def test_a_deadline_needs_a_known_zone_and_a_local_time():
    with pytest.raises(DeadlineError) as caught:
        Deadline(dt.datetime(2024, 4, 30, 23, 59), "Europe/Atlantis")
    assert caught.value.problem.code == "deadline.unknown_zone"
    with pytest.raises(DeadlineError) as aware:
        Deadline(dt.datetime(2024, 4, 30, 23, 59, tzinfo=dt.UTC), "Europe/Luxembourg")
    assert aware.value.problem.code == "deadline.not_local"


def test_deadlines_load_from_data_with_coded_problems():
    assert load_deadline({"local": "2024-04-30T23:59", "zone": "Europe/Luxembourg"}) == LUXEMBOURG
    for spec, expected in [
        ({"local": "30 April", "zone": "Europe/Luxembourg"}, [("spec.wrong_type", "deadline.local")]),
        ({"local": "2024-04-30T23:59", "zone": "Mars/Olympus"}, [("deadline.unknown_zone", "deadline.zone")]),
        (
            {"local": "2024-03-31T02:30", "zone": "Europe/Luxembourg"},
            [("deadline.nonexistent_time", "deadline.local")],
        ),
        ({"local": "2024-04-30T23:59"}, [("spec.missing_field", "deadline.zone")]),
        ({"local": "2024-04-30T23:59", "zone": "UTC", "tz": "x"}, [("spec.unknown_field", "deadline.tz")]),
    ]:
        with pytest.raises(SpecError) as caught:
            load_deadline(spec)
        assert [(p.code, p.params["path"]) for p in caught.value.problems] == expected
