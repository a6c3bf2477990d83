"""Tracking numbers carry a check digit; query codes are unguessable and never stored."""

from __future__ import annotations

from complaints import numbers
from complaints.models import Complaint


def test_the_check_digit_catches_every_single_digit_mistake():
    digits = "2026000123"
    good = numbers.check_digit(digits)
    for i in range(len(digits)):
        for d in "0123456789":
            if d != digits[i]:
                typo = digits[:i] + d + digits[i + 1 :]
                assert numbers.check_digit(typo) != good, typo


def test_the_check_digit_catches_swapped_neighbours():
    digits = "2026004567"
    good = numbers.check_digit(digits)
    for i in range(len(digits) - 1):
        if digits[i] != digits[i + 1]:
            swapped = digits[:i] + digits[i + 1] + digits[i] + digits[i + 2 :]
            assert numbers.check_digit(swapped) != good, swapped


def test_a_tracking_number_is_readable_and_validates(new_complaint):
    no = new_complaint.tracking_no
    prefix, year, serial, check = no.split("-")
    assert prefix == "XN" and len(year) == 4 and len(serial) == 6 and len(check) == 1
    assert numbers.is_valid_tracking_no(no)
    assert numbers.is_valid_tracking_no(no.lower())
    assert not numbers.is_valid_tracking_no(f"{prefix}-{year}-{serial}-{(int(check) + 1) % 10}")


def test_the_query_code_has_80_bits_and_only_its_salted_hash_is_stored(agency_a, attitude, centre):
    from tests.complaints.conftest import submit

    result = submit(agency=agency_a, category=attitude, submission_key=None)
    code = result.query_code
    assert len(code.replace("-", "")) == numbers.QUERY_CODE_CHARS  # 16 × 5 bits = 80 bits
    stored = Complaint.objects.get(pk=result.complaint.pk).query_code_hash
    assert code not in stored and code.replace("-", "") not in stored
    assert stored.startswith("sha256$")
    assert numbers.query_code_matches(code.lower().replace("-", ""), stored)
    assert not numbers.query_code_matches("AAAA-AAAA-AAAA-AAAA", stored)
    other = submit(agency=agency_a, category=attitude, submission_key=None)
    assert other.query_code != code


def test_tracking_numbers_come_from_the_sequence_one_after_another_with_their_check_digit(
    agency_a, attitude, centre
):
    from tests.complaints.conftest import submit

    first, second = (submit(agency=agency_a, category=attitude).complaint for _ in range(2))
    _prefix, year, serial, _check = first.tracking_no.split("-")
    assert second.tracking_no == numbers.format_tracking_no(year=int(year), serial=int(serial) + 1)
    assert numbers.is_valid_tracking_no(first.tracking_no)
    assert numbers.is_valid_tracking_no(second.tracking_no)


def test_a_serial_past_six_digits_keeps_every_digit_and_validates():
    no = numbers.format_tracking_no(year=2026, serial=12345678)
    assert no.startswith("XN-2026-12345678-") and numbers.is_valid_tracking_no(no)
