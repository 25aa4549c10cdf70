"""What the schemas of every app build on: the base of request bodies and query filters, and checked
field types.

Input schemas check everything that needs no database: types, lengths, choices, ranges, NACE codes. Every
request body and query filter derives from ``Input``, so no float takes NaN or Infinity and no string
holds a NUL; a plain string path or query parameter is ``PlainText`` and a plain float one ``finite()``.
"""

from __future__ import annotations

from typing import Annotated, Any

from ninja import Schema
from pydantic import AfterValidator, BaseModel, ConfigDict, field_validator
from pydantic import Field as Constraints

from helix.core.registry.nace import normalise_nace_codes


def nace_codes(value: list[str]) -> list[str]:
    """A schema field's NACE codes, normalised and without repeats; ValueError names the first bad one."""
    codes, unknown = normalise_nace_codes(value)
    if unknown:
        raise ValueError(f"{unknown[0]!r} is not a NACE Rev. 2.1 code")
    return codes


# --- numbers ------------------------------------------------------------------------------------------
# A float that an input schema accepts is finite: Python's json reads the NaN and Infinity tokens, and
# pydantic reads strings such as "nan" or "-inf" as floats, so each would otherwise reach the database and
# every estimate computed from it. Out of range or not finite -> 422 naming the field.


def finite(
    *, ge: float | None = None, gt: float | None = None, le: float | None = None, lt: float | None = None
) -> Any:
    """A finite float, within the bounds given."""
    return Annotated[float, Constraints(allow_inf_nan=False, ge=ge, gt=gt, le=le, lt=lt)]


FiniteFloat = finite()


# --- text ---------------------------------------------------------------------------------------------
# PostgreSQL refuses the NUL character in text (a 500 where SQLite stored it): no input string has one.


def has_nul(value: Any) -> bool:
    """Whether a string anywhere in ``value`` (lists, dict keys and values, nested schemas) has a NUL."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(has_nul(k) or has_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple | set | frozenset):
        return any(has_nul(v) for v in value)
    if isinstance(value, BaseModel):
        return any(has_nul(v) for v in vars(value).values())
    return False


def refuse_nul(value: Any) -> Any:
    if has_nul(value):
        raise ValueError("may not contain the NUL character (\\u0000)")
    return value


# A path or query parameter given as a plain string (input schemas check all their strings themselves).
PlainText = Annotated[str, AfterValidator(refuse_nul)]


class Input(Schema):
    """Base of every request body and query filter: no float field, however declared, takes NaN or
    Infinity (nested ones included, e.g. the values of a dict of numbers), and no string has a NUL."""

    model_config = ConfigDict(allow_inf_nan=False)

    @field_validator("*")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        return refuse_nul(value)


# --- outputs ------------------------------------------------------------------------------------------


class ClassifiedOut(Schema):
    """Base of an output with ``sectors`` (SectorRef) and ``keywords`` (their names) read from the object's
    many-to-many relations: an organisation, a listing. It declares no field, so each schema keeps its own
    fields in its own order."""

    @staticmethod
    def resolve_sectors(obj: Any) -> list[Any]:
        return list(obj.sectors.all())

    @staticmethod
    def resolve_keywords(obj: Any) -> list[str]:
        return [k.name for k in obj.keywords.all()]
