"""Legal identifiers of organisations, validated with their check digits where one exists.

Validation is delegated to python-stdnum (well kept, covers every EU VAT scheme with its check digits).
Three schemes are accepted:

- ``be``: the Belgian enterprise number (KBO/BCE), ten digits, mod-97 check (e.g. 0403.170.701);
- ``lu_rcs``: the Luxembourg trade and companies register number (a letter and digits, e.g. B123456),
  which has no check digit, so only its form is checked;
- ``eu_vat``: an EU VAT number with its country prefix (e.g. LU15027442, NL004495445B01).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from stdnum import exceptions as stdnum_exceptions
from stdnum.be import vat as be_vat
from stdnum.eu import vat as eu_vat


class IdentifierScheme(StrEnum):
    BE_ENTERPRISE = "be"
    LU_RCS = "lu_rcs"
    EU_VAT = "eu_vat"


SCHEME_LABELS = {
    IdentifierScheme.BE_ENTERPRISE: "Belgian enterprise number (KBO/BCE)",
    IdentifierScheme.LU_RCS: "Luxembourg RCS number",
    IdentifierScheme.EU_VAT: "EU VAT number",
}


class InvalidIdentifier(ValueError):
    """The identifier is malformed or its check digits do not match."""


@dataclass(frozen=True)
class LegalIdentifier:
    scheme: IdentifierScheme
    value: str  # canonical form

    def __str__(self) -> str:
        return f"{self.scheme.value}:{self.value}"


_RCS = re.compile(r"^([A-Z])\s*0*(\d{1,7})$")


def normalise_identifier(scheme: str, raw: str) -> LegalIdentifier:
    """Validate ``raw`` under ``scheme`` and return its canonical form.

    >>> normalise_identifier("be", "BE 0403.170.701").value
    '0403.170.701'
    """
    try:
        kind = IdentifierScheme(scheme.strip().lower())
    except ValueError:
        allowed = ", ".join(s.value for s in IdentifierScheme)
        raise InvalidIdentifier(f"unknown identifier scheme {scheme!r} (use one of: {allowed})") from None
    text = raw.strip()
    if not text:
        raise InvalidIdentifier("identifier is empty")
    if kind is IdentifierScheme.BE_ENTERPRISE:
        try:
            compact = be_vat.validate(text)
        except stdnum_exceptions.InvalidChecksum:
            raise InvalidIdentifier(f"{text!r}: check digits do not match (mod 97)") from None
        except stdnum_exceptions.ValidationError as exc:
            raise InvalidIdentifier(f"{text!r}: not a Belgian enterprise number ({exc})") from None
        return LegalIdentifier(kind, f"{compact[:4]}.{compact[4:7]}.{compact[7:]}")
    if kind is IdentifierScheme.LU_RCS:
        match = _RCS.match(text.upper().replace("RCS", "").replace("LUXEMBOURG", "").strip())
        if not match:
            raise InvalidIdentifier(
                f"{text!r}: not a Luxembourg RCS number (a letter then digits, e.g. B123456)"
            )
        return LegalIdentifier(kind, f"{match.group(1)}{int(match.group(2))}")
    try:
        compact = eu_vat.validate(text)
    except stdnum_exceptions.InvalidChecksum:
        raise InvalidIdentifier(f"{text!r}: check digits do not match") from None
    except stdnum_exceptions.ValidationError as exc:
        raise InvalidIdentifier(f"{text!r}: not an EU VAT number ({exc})") from None
    return LegalIdentifier(kind, compact)


def belgian_enterprise_number(serial: int) -> str:
    """Build a valid enterprise number from a 7-digit serial (for synthetic data and tests).

    An enterprise number is ten digits: eight starting with 0 or 1, then 97 minus their remainder mod 97.
    """
    if not 0 <= serial < 10**7:
        raise ValueError("serial must have at most 7 digits")
    base = 10**7 + serial
    digits = f"{base:08d}{97 - base % 97:02d}"
    return f"{digits[:4]}.{digits[4:7]}.{digits[7:]}"
