"""mapping/files/csv_wecom_contacts.yaml on a WeCom (企业微信) customer export: 客户名称 is
the WeChat nickname there, the person is in the rep's remark name, mobile and company."""

from __future__ import annotations

from pathlib import Path

from canonical import Contact
from flows.csv_source import CsvSource
from mapping import TransformContext

MAPPING = Path(__file__).resolve().parents[2] / "mapping" / "files" / "csv_wecom_contacts.yaml"
HEADER = (
    "客户ID,客户名称,客户类型,性别,备注名,备注手机号,备注企业,描述,标签,添加人,添加时间,添加渠道"
)


def _read(tmp_path: Path, *rows: str) -> list[Contact]:
    path = tmp_path / "wecom.csv"
    path.write_text("\n".join((HEADER, *rows)) + "\n", encoding="utf-8")
    source = CsvSource(path, MAPPING, TransformContext())
    records: list[Contact] = []
    for batch in source.batches():
        assert not batch.rejects, batch.rejects
        records.extend(r for r in batch.records if isinstance(r, Contact))
    return records


def test_the_remark_is_the_person_not_the_nickname(tmp_path: Path) -> None:
    [record] = _read(
        tmp_path,
        "wmA1,一路向北2024,微信,女,银河-李雨玲,13067033674,北京银河,邮箱:1498185946@qq.com 周三回电,VIP,张敏,2021-08-26 03:56,名片分享",
    )
    assert record.source.id == "wmA1"
    assert record.name == "银河-李雨玲"
    assert record.mobile == "+8613067033674"
    assert record.account_name == "北京银河"
    assert record.email == "1498185946@qq.com"


def test_the_nickname_is_the_name_without_a_remark(tmp_path: Path) -> None:
    [record] = _read(tmp_path, "wmB2,刘洋,企业微信,男,,,,,,吴娟,2021-02-16 00:05,搜索手机号")
    assert record.name == "刘洋"
    assert record.account_name is None
