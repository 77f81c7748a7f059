"""canonical.phone_rounded: a mobile a spreadsheet rounded, and the key a whole one rounds to."""

from __future__ import annotations

import pytest

from canonical.phone_rounded import rounded_key, rounded_key_of


@pytest.mark.parametrize(
    ("cell", "key"),
    [
        ("1.86194E+10", "1.86194E+10"),
        ("1.86194e+10", "1.86194E+10"),
        (" 1,86194E10 ", "1.86194E+10"),  # a decimal comma, no sign
        ("1.8619441860E+10", "1.86194E+10"),  # more digits: compared at six
        ("2.15432E+09", "2.15432E+9"),  # a landline without its leading 0
    ],
)
def test_a_rounded_cell_reads_as_its_six_digit_key(cell: str, key: str) -> None:
    assert rounded_key(cell) == key


@pytest.mark.parametrize(
    "cell",
    ["1.5E+10", "1.23456E+5", "1.234567E+3", "13800138000", "abc", "", "1.38001E+10 转 12"],
)
def test_anything_else_has_no_key(cell: str) -> None:
    """Too few digits to compare, a fraction, a plain number or no number at all."""
    assert rounded_key(cell) is None


@pytest.mark.parametrize(
    ("e164", "key"),
    [
        ("+8618619441860", "1.86194E+10"),
        ("+8613800149999", "1.38001E+10"),
        ("+8613800150000", "1.38002E+10"),  # half up, as Excel rounds (not half to even)
        ("+8613800250000", "1.38003E+10"),
        ("+8619999950000", "2.00000E+10"),
        ("+8699999950000", "1.00000E+11"),  # rounding up carries into the exponent
        ("+14155550123", "4.15555E+9"),  # another country: its national number
    ],
)
def test_a_whole_mobile_rounds_as_a_spreadsheet_shows_it(e164: str, key: str) -> None:
    assert rounded_key_of(e164) == key


def test_a_whole_number_and_its_rounded_cell_share_a_key() -> None:
    assert rounded_key_of("+8618557753139") == rounded_key("1.85578E+10")


def test_what_is_no_number_has_no_key() -> None:
    assert rounded_key_of("not a number") is None
