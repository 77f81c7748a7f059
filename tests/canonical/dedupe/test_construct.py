"""``construct`` builds what pydantic's ``model_construct`` builds, faster."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pydantic import BaseModel, Field

from canonical.dedupe.construct import construct
from canonical.models import Account, Contact, SourceRef

REF = SourceRef(system="csv", object="contacts", id="7")


def _same(left: BaseModel, right: BaseModel) -> None:
    assert type(left) is type(right)
    assert list(left.__dict__.items()) == list(right.__dict__.items())  # same order too
    assert left.model_fields_set == right.model_fields_set
    assert left.__pydantic_extra__ == right.__pydantic_extra__
    assert left.__pydantic_private__ == right.__pydantic_private__
    assert left == right


@pytest.mark.parametrize(
    ("kind", "values"),
    [
        (Contact, {"source": REF, "name": "张伟"}),
        (
            Contact,
            {
                "source": REF,
                "id": "c-1",
                "name": "张伟",
                "mobile": "+8613800138000",
                "lineage": {"mobile": SourceRef(system="zoho", object="Contacts", id="9")},
                "raw_values": {"phone": "0571-000"},
                "modified_at": datetime(2024, 1, 2, tzinfo=UTC),
            },
        ),
        (Contact, {"source": REF}),  # a required field missing stays missing, as pydantic does
        (Account, {"source": REF, "name": "杭州示例科技有限公司", "lineage": {}}),
    ],
)
def test_construct_builds_what_model_construct_builds(
    kind: type[BaseModel], values: dict[str, object]
) -> None:
    _same(construct(kind, values), kind.model_construct(**values))


def test_defaults_from_factories_are_new_objects_each_time() -> None:
    first, second = construct(Contact, {"source": REF}), construct(Contact, {"source": REF})
    assert first.lineage == {} and first.lineage is not second.lineage


class _Aliased(BaseModel):
    name: str = Field(alias="Name")
    tags: list[str] = ["a"]  # a mutable default: pydantic copies it


def test_a_model_it_does_not_cover_is_built_by_model_construct() -> None:
    made = construct(_Aliased, {"Name": "x"})
    _same(made, _Aliased.model_construct(Name="x"))
    assert made.tags == ["a"]
