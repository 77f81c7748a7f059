from __future__ import annotations

import random

import pytest

from canonical.errors import InvalidValueError
from canonical.phone import PhoneNumber, _normalise_fully, normalise_phone
from canonical.phone_china import china_mobile as _china_mobile

MOBILE = PhoneNumber("+8613800138000", None, "mobile")
BEIJING = "+861065529988"


@pytest.mark.parametrize(
    "raw",
    [
        "+86 138-0013-8000",
        "0086 13800138000",
        "138 0013 8000",
        "13800138000",
        "１３８００１３８０００",
        "86-13800138000",
        "8613800138000",
        "+8613800138000",
        "＋８６ １３８－００１３－８０００",
        "138—0013—8000",
        " 138\u00a00013\u30008000 ",
        "tel:+86-138-0013-8000",
    ],
)
def test_chinese_mobile_formats(raw: str) -> None:
    assert normalise_phone(raw) == MOBILE


@pytest.mark.parametrize(
    "raw", ["(010) 6552-9988", "010-65529988", "+86 10 6552 9988", "01065529988"]
)
def test_chinese_fixed_line_formats(raw: str) -> None:
    assert normalise_phone(raw) == PhoneNumber(BEIJING, None, "fixed_line")


@pytest.mark.parametrize(
    ("raw", "extension"),
    [
        ("010-65529988 ext. 123", "123"),
        ("010-65529988 ext 123", "123"),
        ("010-65529988 EXT.123", "123"),
        ("010-65529988 extension 7", "7"),
        ("010-65529988转123", "123"),
        ("010-65529988 转 123", "123"),
        ("010-65529988分机123", "123"),
        ("010-65529988 分机：123", "123"),
        ("010-65529988 x123", "123"),
        ("010-65529988x123", "123"),
        ("010-65529988 #123", "123"),
        ("+86 10 6552 9988;ext=12", "12"),
        ("010-65529988-8001", "8001"),
        ("010 65529988 8001", "8001"),
    ],
)
def test_extensions(raw: str, extension: str) -> None:
    assert normalise_phone(raw) == PhoneNumber(BEIJING, extension, "fixed_line")


def test_other_countries_with_country_code() -> None:
    # US numbers cannot be told apart as fixed or mobile: kind "other".
    assert normalise_phone("+1 (415) 555-2671") == PhoneNumber("+14155552671", None, "other")
    assert normalise_phone("+44 20 7946 0958").e164 == "+442079460958"
    assert normalise_phone("+852 2123 4567").e164 == "+85221234567"
    assert normalise_phone("0044 20 7946 0958").e164 == "+442079460958"


def test_different_default_region() -> None:
    assert normalise_phone("(415) 555-2671", "US") == PhoneNumber("+14155552671", None, "other")
    assert normalise_phone("415-555-2671 ext. 9", "us").extension == "9"
    assert normalise_phone("020 7946 0958", "GB").e164 == "+442079460958"
    # An explicit country code wins over the default region.
    assert normalise_phone("+86 138 0013 8000", "US") == MOBILE


def test_400_and_800_numbers_are_service_numbers() -> None:
    assert normalise_phone("400-820-8820") == PhoneNumber("+864008208820", None, "service")
    assert normalise_phone("800-820-8820").kind == "service"


@pytest.mark.parametrize("raw", ["14912345678", "149 1234 5678", "＋８６ １４９１２３４５６７８"])
def test_a_plausible_mobile_in_an_unlisted_range_is_kept_and_flagged(raw: str) -> None:
    # 149 is a real carrier prefix that libphonenumber's metadata does not list.
    assert normalise_phone(raw) == PhoneNumber("+8614912345678", None, "mobile", assigned=False)


def test_a_short_service_code_is_possible_but_unassigned() -> None:
    assert normalise_phone("95588") == PhoneNumber("+8695588", None, "service", assigned=False)


@pytest.mark.parametrize(
    ("raw", "extension"),
    [
        ("0755-86000000-800", "800"),
        ("0755-86000000转800", "800"),
        ("(0755)86000000 ext. 12", "12"),
        ("+86 (0)755 8600 0000", None),
        ("0086 755 86000000", None),
        ("０７５５－８６００００００", None),
    ],
)
def test_shenzhen_switchboards_in_every_form(raw: str, extension: str | None) -> None:
    assert normalise_phone(raw) == PhoneNumber("+8675586000000", extension, "fixed_line")


def test_the_kind_comes_from_the_number_not_the_field() -> None:
    # A landline typed where a mobile belongs is a landline, and the other way round.
    assert normalise_phone("010-65529988").kind == "fixed_line"
    assert normalise_phone("13800138000").kind == "mobile"


def test_foreign_numbers_are_told_apart() -> None:
    assert normalise_phone("+44 20 7946 0958").is_foreign("CN")
    assert not normalise_phone("13800138000").is_foreign("CN")
    assert normalise_phone("+1 999 555 1234") == PhoneNumber(
        "+19995551234", None, "other", assigned=False
    )


def _reason(raw: str, region: str = "CN") -> str:
    with pytest.raises(InvalidValueError) as caught:
        normalise_phone(raw, region)
    assert caught.value.value in (raw, region)
    return caught.value.reason


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (
            "138001380",
            "not a valid phone number for region CN: too few digits (9); "
            "expected 11-digit mobile or area code + number",
        ),
        (
            "1380013800",
            "not a valid phone number for region CN: too few digits (10); "
            "expected 11-digit mobile or area code + number",
        ),
        (
            "138001380001",
            "not a valid phone number for region CN: too many digits (12); "
            "expected 11-digit mobile or area code + number",
        ),
        (
            "12045678901",
            "not a valid phone number for region CN: 120 is not an assigned mobile prefix; "
            "expected 11-digit mobile or area code + number",
        ),
        (
            "010-123",
            "not a valid phone number for region CN: too few digits (6); "
            "expected 11-digit mobile or area code + number",
        ),
        (
            "0755-123456789012",
            "not a valid phone number for region CN: too many digits (16); "
            "expected 11-digit mobile or area code + number",
        ),
        (
            "65529988",
            "not a valid phone number for region CN: 65529988 looks like a local number "
            "without an area code; add the area code, e.g. 010, 021 or 0755",
        ),
        (
            "12345678901234567890",
            "not a valid phone number for region CN: too many digits (20); "
            "expected 11-digit mobile or area code + number",
        ),
    ],
)
def test_invalid_chinese_numbers_say_why(raw: str, reason: str) -> None:
    assert _reason(raw) == reason


def test_invalid_inputs_say_why() -> None:
    assert _reason("") == "phone number is empty"
    assert _reason(" \u3000 ") == "phone number is empty"
    assert "contains letters 'abc'" in _reason("abc")
    assert "contains letters 'flowers'" in _reason("1-800-FLOWERS")
    assert "contains letters" in _reason("138a0013800")
    assert _reason("13800138000/13900139000") == (
        "contains 2 phone numbers; give one number per field"
    )
    assert _reason("13800138000；13900139000").startswith("contains 2 phone numbers")
    assert _reason("x123") == "not a phone number: only an extension, no number before it"
    assert _reason("+") == "not a phone number: it contains no digits"
    assert _reason("1") == "not a valid phone number for region CN: too few digits (1)"
    assert "unknown country calling code" in _reason("+999 123456")
    assert "after the international prefix" in _reason("0086")
    assert _reason("+1 234") == (
        "not a valid phone number for region US: too few digits (3); expected 10 digits"
    )
    # A trailing group only counts as an extension after a fixed line, not after a mobile.
    assert "too many digits (15)" in _reason("13800138000-8001")


def test_unknown_default_region() -> None:
    assert _reason("13800138000", "XX").startswith("unknown default region 'XX'")


def test_normalise_phone_is_idempotent() -> None:
    rng = random.Random(11)
    samples = ["+1 415 555 2671", "+44 20 7946 0958", "010-65529988 ext. 12", "400-820-8820"]
    samples += [f"1{rng.choice('3456789')}{rng.randint(0, 10**9 - 1):09d}" for _ in range(300)]
    checked = 0
    for raw in samples:
        try:
            phone = normalise_phone(raw)
        except InvalidValueError:
            continue
        again = normalise_phone(phone.e164)
        assert again.e164 == phone.e164
        assert again.kind == phone.kind
        checked += 1
    assert checked > 200


def test_mobile_fast_path_agrees_with_full_parse() -> None:
    rng = random.Random(3)
    for prefix in range(100, 200):
        for _ in range(3):
            digits = f"{prefix}{rng.randint(0, 10**8 - 1):08d}"
            for text in (digits, f"+86 {digits[:3]}-{digits[3:7]}-{digits[7:]}", f"0086{digits}"):
                fast = _china_mobile(text)
                try:
                    full: PhoneNumber | None = _normalise_fully(text, text, "CN")
                except InvalidValueError:
                    full = None
                if fast is not None:
                    assert fast == full
                else:
                    assert full is None or full.kind != "mobile" or not full.assigned


def test_mobile_blocks_are_decided_by_five_digits() -> None:
    # The fast path asks libphonenumber once per 5-digit block; check that no completion of
    # any block disagrees with the block's verdict.
    import phonenumbers

    from canonical.phone_china import is_china_mobile_block as _is_china_mobile_block

    rng = random.Random(11)
    for block in range(10000, 20000):
        verdict = _is_china_mobile_block(str(block))
        for _ in range(2):
            nsn = int(f"{block}{rng.randint(0, 999_999):06d}")
            number = phonenumbers.PhoneNumber(country_code=86, national_number=nsn)
            is_mobile = phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE
            assert is_mobile == verdict, nsn


def test_fixed_line_fast_path_agrees_with_full_parse() -> None:
    from canonical.phone_china import china_fixed_line as _china_fixed_line

    rng = random.Random(5)
    checked = 0
    for _ in range(3000):
        area = str(rng.choice([10, 20, 21, 22, 23, 24, 25, 27, 28, 29, rng.randint(300, 999)]))
        local = f"{rng.randint(1, 9)}{rng.randint(0, 10**7 - 1):07d}"[: rng.choice([7, 8])]
        for text in (f"(0{area}) {local}", f"0{area}-{local[:-4]}-{local[-4:]}",
                     f"+86 {area} {local}", f"0086 {area}-{local}"):  # fmt: skip
            fast = _china_fixed_line(text)
            try:
                full: PhoneNumber | None = _normalise_fully(text, text, "CN")
            except InvalidValueError:
                full = None
            if fast is not None:
                checked += 1
                assert fast == full, text
            else:
                assert full is None or full.kind != "fixed_line" or not full.assigned, text
    assert checked > 1000


def test_fixed_line_with_an_extension_agrees_with_full_parse() -> None:
    from canonical.phone import _normalise

    rng = random.Random(6)
    with_extension = 0
    for _ in range(2000):
        area = str(rng.choice([10, 20, 21, 28, rng.randint(300, 999)]))
        local = f"{rng.randint(1, 9)}{rng.randint(0, 10**7 - 1):07d}"[: rng.choice([7, 8])]
        main = rng.choice([f"(0{area}) {local}", f"0{area}-{local}", f"+86 {area} {local}",
                           f"{area}-{local}", f"1{rng.randint(3, 9)}{local}000"[:11]])  # fmt: skip
        extension = str(rng.randint(1, 10 ** rng.randint(1, 6)))
        text = main + rng.choice([" 转", "转", " ext. ", "x", " #", " 分机", ",", "-"]) + extension
        try:
            full: PhoneNumber | str = _normalise_fully(text, text, "CN")
        except InvalidValueError as exc:
            full = exc.reason
        try:
            got: PhoneNumber | str = _normalise.__wrapped__(text, "CN")
        except InvalidValueError as exc:
            got = exc.reason
        assert got == full, text
        with_extension += isinstance(got, PhoneNumber) and got.extension == extension
    assert with_extension > 1000
