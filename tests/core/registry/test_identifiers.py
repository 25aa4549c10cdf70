"""Unit: legal identifiers are validated with their check digits."""

import pytest

from helix.core.registry.identifiers import (
    IdentifierScheme,
    InvalidIdentifier,
    LegalIdentifier,
    belgian_enterprise_number,
    normalise_identifier,
)

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("raw", ["0403.170.701", "BE0403170701", "be 0403 170 701", "403170701"])
def test_belgian_enterprise_number_is_normalised_to_dotted_form(raw):
    assert normalise_identifier("be", raw) == LegalIdentifier(IdentifierScheme.BE_ENTERPRISE, "0403.170.701")


def test_belgian_enterprise_number_with_wrong_check_digits_is_refused():
    with pytest.raises(InvalidIdentifier, match="check digits do not match"):
        normalise_identifier("be", "0403.170.702")


def test_luxembourg_rcs_number_keeps_letter_and_drops_leading_zeros():
    assert normalise_identifier("lu_rcs", "RCS Luxembourg B 012345").value == "B12345"


def test_luxembourg_rcs_number_without_letter_is_refused():
    with pytest.raises(InvalidIdentifier, match="not a Luxembourg RCS number"):
        normalise_identifier("lu_rcs", "123456")


def test_eu_vat_number_checks_digits():
    assert normalise_identifier("eu_vat", "LU 1502 7442").value == "LU15027442"
    with pytest.raises(InvalidIdentifier, match="check digits"):
        normalise_identifier("eu_vat", "LU15027443")


def test_unknown_scheme_names_the_allowed_ones():
    with pytest.raises(InvalidIdentifier, match="use one of: be, lu_rcs, eu_vat"):
        normalise_identifier("kvk", "12345678")


def test_generated_enterprise_numbers_are_valid_and_distinct():
    numbers = {belgian_enterprise_number(n) for n in range(0, 2000, 7)}
    assert len(numbers) == len(range(0, 2000, 7))
    for number in numbers:
        assert normalise_identifier("be", number).value == number
