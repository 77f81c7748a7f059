"""Fuzzing the normalisers: any text in, a value or an InvalidValueError with a reason out.

Strings are drawn from every Unicode category (control characters, surrogates left out as
Python text cannot hold them, full-width forms, CJK, emoji, combining marks), and from
shapes close to real values (digits with separators, addresses with one character off), so
both the broad space and the edges of each grammar are tried. ``HYPOTHESIS_PROFILE=long``
tries thousands per test.
"""

from __future__ import annotations

import string

from hypothesis import given
from hypothesis import strategies as st

from canonical.company import company_branch, company_key
from canonical.email import normalise_email
from canonical.errors import InvalidValueError
from canonical.names import (
    normalise_person_name,
    person_name_keys,
    pinyin_key,
    simplified_key,
    split_person_name,
)
from canonical.phone import normalise_phone
from canonical.text import clean_whitespace, to_halfwidth, to_simplified

ANY_TEXT = st.text(max_size=200)
PHONE_LIKE = st.text(alphabet="0123456789+-() .#*x转分机ext０１２３４５６７８９", max_size=40)
EMAIL_LIKE = st.builds(
    lambda local, at, domain: f"{local}{at}{domain}",
    st.text(alphabet=string.ascii_letters + string.digits + "._+-\"' 中", max_size=30),
    st.sampled_from(["@", "@@", "＠", "", " @ "]),
    st.text(alphabet=string.ascii_lowercase + ".-。例子中国1", max_size=30),
)
NAME_LIKE = st.text(alphabet="张伟王芳李娜欧阳司马 ·.-'ZhangWeiMüller  \t", max_size=20)
COMPANY_LIKE = st.text(
    alphabet="北京上海深圳华为技术有限公司分支行(（)）Co.,Ltd Branch ", max_size=30
)
REGIONS = st.sampled_from(["CN", "US", "HK", "TW", "GB", "cn", "ZZ"])


def _reason(error: InvalidValueError) -> None:
    assert isinstance(error.reason, str) and error.reason.strip(), "an error needs a reason"


@given(st.one_of(ANY_TEXT, PHONE_LIKE), REGIONS)
def test_phone(raw: str, region: str) -> None:
    try:
        number = normalise_phone(raw, region)
    except InvalidValueError as error:
        _reason(error)
        return
    assert number.e164.startswith("+") and number.e164[1:].isdigit()
    assert number.extension is None or number.extension.isdigit()


@given(st.one_of(ANY_TEXT, EMAIL_LIKE), st.booleans())
def test_email(raw: str, lowercase_local: bool) -> None:
    try:
        email = normalise_email(raw, lowercase_local=lowercase_local)
    except InvalidValueError as error:
        _reason(error)
        return
    local, _, domain = email.rpartition("@")
    assert local and domain and domain == domain.lower()


@given(st.one_of(ANY_TEXT, NAME_LIKE))
def test_person_names(raw: str) -> None:
    try:
        name = normalise_person_name(raw)
    except InvalidValueError as error:
        _reason(error)
        return
    assert name and name == name.strip()
    family, given_name = split_person_name(name)
    assert isinstance(family, str) and isinstance(given_name, str)
    keys = person_name_keys(raw)
    assert keys.display == name and all(isinstance(k, str) for k in keys.orders)
    assert isinstance(simplified_key(name), str) and isinstance(pinyin_key(name), str)


@given(st.one_of(ANY_TEXT, COMPANY_LIKE))
def test_company(raw: str) -> None:
    branch = company_branch(raw)
    assert branch is None or isinstance(branch, str)
    try:
        key = company_key(raw)
    except InvalidValueError as error:
        _reason(error)
        return
    assert key


@given(ANY_TEXT)
def test_text(raw: str) -> None:
    cleaned = clean_whitespace(to_halfwidth(raw))
    assert cleaned == cleaned.strip()
    assert isinstance(to_simplified(raw), str)
