"""Integration: a page's POST shows a refusal as a message, and "a number was expected" only for a
number that is not one; any other ValueError is a bug and is raised."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.exceptions import ValidationError
from django.http import HttpResponse

from helix.actions import act
from helix.core.registry.identifiers import InvalidIdentifier
from helix.core.workflow import TransitionNotAllowed
from helix.params import whole_number

pytestmark = pytest.mark.integration


@pytest.fixture
def post(rf):  # type: ignore[no-untyped-def]
    request = rf.post("/somewhere/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def shown(request) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(m) for m in get_messages(request)]


def fail(exc: Exception):  # type: ignore[no-untyped-def]
    def call() -> None:
        raise exc

    return call


def test_a_parameter_that_is_not_a_number_says_so(post):
    then = HttpResponse("back")
    assert act(post, lambda: whole_number("high"), then) is then
    assert shown(post) == ["A number was expected."]


def test_a_number_out_of_its_range_names_the_range(post):
    act(post, lambda: whole_number("7", low=1, high=3), HttpResponse())
    assert shown(post) == ["A number from 1 to 3 was expected."]


def test_a_workflow_move_not_allowed_is_shown_as_such(post):
    act(post, fail(TransitionNotAllowed("draft -> fulfilled")), HttpResponse())
    assert shown(post) == ["This change is not possible from the present state."]


def test_a_rule_shows_its_own_message(post):
    act(post, fail(ValidationError({"priority": "Priority is 1 (normal) to 3 (high)."})), HttpResponse())
    assert shown(post) == ["Priority is 1 (normal) to 3 (high)."]


def test_any_other_value_error_is_raised_not_called_a_bad_number(post):
    with pytest.raises(ValueError, match="unexpected state"):
        act(post, fail(ValueError("unexpected state")), HttpResponse(), done="Done.")
    assert shown(post) == []


def test_a_value_error_subclass_that_is_not_a_number_propagates(post):
    """A domain ValueError (a malformed legal identifier) is the service's bug to report, not a bad number."""
    with pytest.raises(InvalidIdentifier, match="check digits"):
        act(post, fail(InvalidIdentifier("check digits do not match")), HttpResponse(), done="Done.")
    assert shown(post) == []
