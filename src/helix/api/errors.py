"""How the API answers when a request does not succeed, shared by every router.

The schemas of the error answers (``Message``, ``MoveRefusal``, ``ValidationErrors``), the answers each
operation declares besides its success (``READ_ERRORS``, ``ITEM_ERRORS``, ``WRITE_ERRORS``), and the
builders of 422 entries in ninja's own shape for rules checked after the schema.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from ninja import Field, Schema
from ninja.errors import ValidationError


class Message(Schema):
    detail: str


class MoveRefusal(Schema):
    """409: the lifecycle has no such move from the object's present state (listings, events, requests,
    schedules)."""

    detail: str
    code: str = Field(description="not_from_state")


class FieldError(Schema):
    type: str = Field(description="What kind of error, e.g. missing, finite_number, value_error")
    loc: list[str | int] = Field(description="Where: body, query or path, then the field (and list index)")
    msg: str


class ValidationErrors(Schema):
    """422: every problem with the request, each naming its field."""

    detail: list[FieldError]


# Answers an operation may give besides its success, declared in the schema. READ_ERRORS: a token that is
# wrong or revoked gets 401 even on reads; bad query or path parameters get 422. WRITE_ERRORS: a body that
# is not JSON gets 400.
READ_ERRORS: dict[int, Any] = {401: Message, 422: ValidationErrors}
ITEM_ERRORS: dict[int, Any] = {**READ_ERRORS, 404: Message}
WRITE_ERRORS: dict[int, Any] = {400: Message, 401: Message, 403: Message, 404: Message, 422: ValidationErrors}


# --- 422 entries for rules checked after the schema ---------------------------------------------------


def invalid(field: str, message: str, *, at: tuple[Any, ...] = ()) -> dict[str, Any]:
    """One 422 error in ninja's own shape, for rules checked after the schema."""
    return {"type": "value_error", "loc": ["body", "payload", field, *at], "msg": message}


def refuse_missing(*references: tuple[str, Any, str]) -> None:
    """422 naming each reference of the body that resolved to nothing: (field, what was found or None,
    the message); one entry per missing reference, in the order given. Nothing when all were found."""
    errors = [invalid(field, message) for field, found, message in references if found is None]
    if errors:
        raise ValidationError(errors)


def invalid_from(exc: DjangoValidationError) -> ValidationError:
    """A service's ValidationError as a 422 naming each field (``detail`` when it names none)."""
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
    return ValidationError([invalid(field, " ".join(msgs)) for field, msgs in errors.items()])


def service_errors(exc: DjangoValidationError) -> list[dict[str, Any]]:
    """A service's field-keyed ValidationError as 422 entries, one per message."""
    if not hasattr(exc, "error_dict"):
        return [{"type": "value_error", "loc": ["body", "payload"], "msg": m} for m in exc.messages]
    errors = []
    for field, messages in exc.message_dict.items():
        for message in messages:
            if field == NON_FIELD_ERRORS:
                errors.append({"type": "value_error", "loc": ["body", "payload"], "msg": message})
            else:
                errors.append(invalid(field, message))
    return errors


def query_error(parameter: str, message: str) -> dict[str, Any]:
    """A 422 entry for a query parameter, located as ninja locates its own errors on a single value."""
    return {"type": "value_error", "loc": ["query", parameter], "msg": message}
