"""Reading rules declared as plain data (dicts and lists, as JSON gives them), with coded problems.

A loader walks a spec with :class:`SpecReader`: each read names its field, checks its type and value,
and records a :class:`SpecProblem` instead of failing at the first error; fields nobody read are
reported as unknown (a typo in a key is not silently ignored). The loader raises :class:`SpecError`
with every problem found. Each problem carries the ``path`` of the bad value (``rules[2].kinds``) and
the context its loader gives (the rule's ``index``), and the ``field``.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

LANGUAGES = ("en", "nl", "fr", "de")


@dataclass(frozen=True)
class SpecProblem:
    code: str
    params: dict[str, object] = field(default_factory=dict)
    text: str = ""  # English, for readers without a translation of ``code``


class SpecError(ValueError):
    """A spec that cannot be read; ``problems`` says every reason, each with its path."""

    def __init__(self, problems: list[SpecProblem] | tuple[SpecProblem, ...]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(f"{p.params.get('path', '')}: {p.text}" for p in self.problems))


_MISSING = object()


class SpecReader:
    """One object of a spec: read its fields by name; the problems go to the shared list."""

    def __init__(
        self,
        data: object,
        path: str,
        problems: list[SpecProblem],
        context: Mapping[str, object] | None = None,
    ) -> None:
        self.path = path
        self.problems = problems
        self.context = dict(context or {})
        self.read: set[str] = set()
        if isinstance(data, Mapping) and all(isinstance(k, str) for k in data):
            self.data: Mapping[str, object] = data
            self.ok = True
        else:
            self.data = {}
            self.ok = False
            self.problem("spec.not_an_object", "", f"{path or 'the spec'} must be an object")

    # -- recording ---------------------------------------------------------------------------------

    def field_path(self, name: str) -> str:
        return f"{self.path}.{name}" if self.path and name else (self.path or name)

    def problem(self, code: str, name: str, text: str, **params: object) -> None:
        full = {**self.context, "path": self.field_path(name), "field": name, **params}
        self.problems.append(SpecProblem(code, full, f"{self.field_path(name) or 'spec'}: {text}"))

    def _get(self, name: str, required: bool) -> object:
        self.read.add(name)
        if name not in self.data or self.data[name] is None:
            if required:
                self.problem("spec.missing_field", name, "is required")
            return _MISSING
        return self.data[name]

    def has(self, name: str) -> bool:
        return name in self.data and self.data[name] is not None

    def done(self) -> None:
        """Report every field that no read asked for."""
        for name in sorted(set(self.data) - self.read):
            self.problem("spec.unknown_field", name, "is not a field here")

    # -- typed reads -------------------------------------------------------------------------------

    def text(self, name: str, *, required: bool = True, default: str = "") -> str:
        value = self._get(name, required)
        if value is _MISSING:
            return default
        if not isinstance(value, str) or (required and not value.strip()):
            self.problem("spec.wrong_type", name, "must be a non-empty text", expected="text")
            return default
        return value

    def boolean(self, name: str, *, default: bool = False) -> bool:
        value = self._get(name, False)
        if value is _MISSING:
            return default
        if not isinstance(value, bool):
            self.problem("spec.wrong_type", name, "must be true or false", expected="boolean")
            return default
        return value

    def integer(self, name: str, *, required: bool = True, minimum: int | None = None) -> int | None:
        value = self._get(name, required)
        if value is _MISSING:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem("spec.wrong_type", name, "must be a whole number", expected="integer")
            return None
        if minimum is not None and value < minimum:
            self.problem("spec.bad_value", name, f"must be at least {minimum}", minimum=minimum, value=value)
            return None
        return value

    def number(self, name: str, *, required: bool = True, minimum: Decimal | None = None) -> Decimal | None:
        """A number (JSON number or a decimal text), read exactly as a Decimal."""
        value = self._get(name, required)
        if value is _MISSING:
            return None
        parsed = to_decimal(value)
        if parsed is None:
            self.problem("spec.wrong_type", name, "must be a number", expected="number")
            return None
        if minimum is not None and parsed < minimum:
            self.problem(
                "spec.bad_value", name, f"must be at least {minimum}", minimum=str(minimum), value=str(parsed)
            )
            return None
        return parsed

    def choice(self, name: str, allowed: Collection[str], *, required: bool = True, default: str = "") -> str:
        value = self._get(name, required)
        if value is _MISSING:
            return default
        if not isinstance(value, str) or value not in allowed:
            self.problem(
                "spec.bad_value",
                name,
                f"must be one of {sorted(allowed)}",
                allowed=sorted(allowed),
                value=_plain(value),
            )
            return default
        return value

    def strings(
        self, name: str, *, required: bool = True, allowed: Collection[str] | None = None
    ) -> tuple[str, ...]:
        value = self._get(name, required)
        if value is _MISSING:
            return ()
        if (
            not isinstance(value, list)
            or not all(isinstance(v, str) for v in value)
            or (required and not value)
        ):
            self.problem(
                "spec.wrong_type", name, "must be a non-empty list of texts", expected="list of texts"
            )
            return ()
        if allowed is not None:
            unknown = [v for v in value if v not in allowed]
            if unknown:
                self.problem(
                    "spec.bad_value",
                    name,
                    f"unknown {unknown}; known: {sorted(allowed)}",
                    allowed=sorted(allowed),
                    value=unknown,
                )
                return ()
        if len(set(value)) != len(value):
            self.problem("spec.bad_value", name, "names a value twice", value=list(value))
            return ()
        return tuple(value)

    def objects(self, name: str, *, required: bool = True) -> list[object]:
        value = self._get(name, required)
        if value is _MISSING:
            return []
        if not isinstance(value, list):
            self.problem("spec.wrong_type", name, "must be a list", expected="list")
            return []
        return value

    def child(self, name: str, *, required: bool = True) -> SpecReader | None:
        value = self._get(name, required)
        if value is _MISSING:
            return None
        return SpecReader(value, self.field_path(name), self.problems, self.context)

    def translations(self, name: str, *, required: bool = True) -> dict[str, str]:
        """A text in languages, {"en": ..., "nl": ...} (English required), or a plain text (English)."""
        value = self._get(name, required)
        if value is _MISSING:
            return {}
        if isinstance(value, str) and value.strip():
            return {"en": value}
        if not isinstance(value, Mapping) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()
        ):
            self.problem(
                "spec.wrong_type", name, "must be a text or {language: text}", expected="translations"
            )
            return {}
        unknown = sorted(set(value) - set(LANGUAGES))
        if unknown:
            self.problem(
                "spec.bad_value", name, f"unknown languages {unknown}", allowed=list(LANGUAGES), value=unknown
            )
            return {}
        if not str(value.get("en", "")).strip():
            self.problem("spec.missing_translation", name, "needs an English text", language="en")
            return {}
        return dict(value)


def _plain(value: object) -> object:
    return value if isinstance(value, str | int | float | bool) or value is None else repr(value)


def to_decimal(value: object) -> Decimal | None:
    """A finite Decimal from an int, a float, a Decimal or a decimal text; None otherwise (bool too)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        parsed = value
    elif isinstance(value, int):
        parsed = Decimal(value)
    elif isinstance(value, float | str):
        try:
            parsed = Decimal(str(value).strip())
        except InvalidOperation:
            return None
    else:
        return None
    return parsed if parsed.is_finite() else None


def translated(texts: Mapping[str, str], language: str) -> str:
    """The text in ``language``, else in English."""
    return texts.get(language) or texts.get("en", "")
