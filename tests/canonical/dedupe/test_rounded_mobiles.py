"""A mobile a spreadsheet rounded (1.86194E+10) compares with the whole number it came from:
evidence for a match, never for two whole numbers of one company plan."""

from __future__ import annotations

from canonical.dedupe import resolve
from canonical.dedupe.contact_table import build_contact_table
from canonical.models import Contact, SourceRef


def _contact(number: int, name: str, mobile: str | None, raw: str | None = None) -> Contact:
    return Contact(
        source=SourceRef(system="csv", object="contacts", id=str(number)),
        name=name,
        account_name="佛山科瑞医疗器械有限公司",
        mobile=mobile,
        raw_values={"mobile": raw} if raw else {},
    )


def test_columns_hold_the_rounded_key_and_the_key_of_each_whole_mobile() -> None:
    table = build_contact_table(
        [
            _contact(1, "刘秀英", None, "1.86194E+10"),
            _contact(2, "刘秀英", "+8618619441860"),
            _contact(3, "王芳", "+8613812345678", "not read"),  # its unread cell is another
            _contact(4, "李娜", None, "call me"),
        ]
    )
    rounded = table.values("mobile_rounded").tolist()
    excel = table.values("mobile_excel").tolist()
    assert rounded == ["1.86194E+10", None, None, None]
    assert excel == ["1.86194E+10", "1.86194E+10", "1.38123E+10", None]


def test_a_rounded_mobile_joins_the_person_whose_mobile_rounds_to_it() -> None:
    records = [
        _contact(1, "刘秀英", None, "1.86194E+10"),
        _contact(2, "刘秀英", "+8618619441860"),
        _contact(3, "刘秀英", "+8618619441860"),
    ]
    resolution = resolve(records)
    assert [sorted(c.members) for c in resolution.clusters] == [[0, 1, 2]]
    mobile = next(p for c in resolution.clusters for p in c.pairs if {p.left, p.right} == {0, 1})
    assert {c.comparison: c.level for c in mobile.contributions}["mobile"] == "rounded"


def test_two_whole_mobiles_of_one_block_are_two_numbers() -> None:
    """Colleagues' mobiles from one company plan round alike; whole numbers compare whole."""
    records = [_contact(1, "刘秀英", "+8618619441860"), _contact(2, "刘秀英", "+8618619412345")]
    resolution = resolve(records)
    for cluster in resolution.clusters:
        for pair in cluster.pairs:
            levels = {c.comparison: c.level for c in pair.contributions}
            assert levels["mobile"] != "rounded"
