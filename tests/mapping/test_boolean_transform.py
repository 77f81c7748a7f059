"""The ``boolean`` transform: yes/no flags in the forms CRMs and spreadsheets write them."""

from __future__ import annotations

import pytest

from canonical import InvalidValueError
from mapping.context import TransformContext
from mapping.transforms import get_transform

BOOLEAN = get_transform("boolean")
CTX = TransformContext()


@pytest.mark.parametrize("raw", [True, 1, "true", "TRUE", "yes", "Y", "1", "是", "√", "ｔｒｕｅ"])
def test_true_forms(raw: object) -> None:
    assert BOOLEAN.forward(raw, CTX) is True  # type: ignore[arg-type]


@pytest.mark.parametrize("raw", [False, 0, "false", "no", "N", "0", "否", "off"])
def test_false_forms(raw: object) -> None:
    assert BOOLEAN.forward(raw, CTX) is False  # type: ignore[arg-type]


@pytest.mark.parametrize("raw", ["maybe", 2, "", "真的"])
def test_other_values_are_refused_with_the_forms_named(raw: object) -> None:
    with pytest.raises(InvalidValueError, match="not a yes/no value"):
        BOOLEAN.forward(raw, CTX)  # type: ignore[arg-type]


def test_written_back_as_json_booleans() -> None:
    assert BOOLEAN.reverse is not None
    assert BOOLEAN.reverse(True, CTX) is True
    assert BOOLEAN.reverse(False, CTX) is False
