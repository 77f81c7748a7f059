"""Inputs too small for EM: m from the preset's reference model, u from the input itself."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import numpy as np
import pytest

from canonical.dedupe import (
    DedupeSettings,
    ReferenceModelError,
    Resolution,
    preset_named,
    reference_m,
    resolve,
)
from canonical.dedupe.reference import reference_m_json
from canonical.models import Contact, Region, SourceRef

SETTINGS = DedupeSettings(workers=1)
BEIJING = Region(province="北京市", city="北京")
SHENZHEN = Region(province="广东省", city="深圳")


def contact(rid: str, name: str, region: Region = BEIJING, **fields: object) -> Contact:
    return Contact.model_validate(
        {
            "source": SourceRef(system="csv", object="contacts", id=rid),
            "name": name,
            "region": region,
            **fields,
        }
    )


def tiny_crm() -> list[Contact]:
    """A sample-sized CRM: one person written in English and in Chinese, two colleagues who
    list the same switchboard, and strangers."""
    return [
        contact("EN-1", "Zhang Wei", email="zhang.wei@example.com", mobile="+8613800138000",
                account_name="Beijing Acme Trading Co., Ltd.", title="Purchasing Manager"),
        contact("CN-1", "张伟", email="zhang.wei@example.com", mobile="+8613800138000",
                account_name="北京艾克美贸易有限公司", title="采购经理"),
        contact("CN-2", "李娜", SHENZHEN, email="li.na@huaxin.cn", mobile="+8613912345678",
                account_name="深圳市华信科技有限公司", phone="+8675586013388", title="销售经理"),
        contact("CN-3", "王强", SHENZHEN, email="wang.qiang@huaxin.cn", mobile="+8615912345678",
                account_name="深圳市华信科技有限公司", phone="+8675586013388", title="销售经理"),
        contact("CN-4", "欧阳娜娜", Region(province="上海市", city="上海"),
                email="ouyang.nana@example.com", mobile="+8618612345678",
                account_name="上海欧阳文化传媒有限公司", title="总经理"),
        contact("CN-5", "刘洋", SHENZHEN, email="liu.yang@example.com", mobile="+8613700137000",
                account_name="深圳示例科技有限公司", title="工程师"),
        contact("CN-6", "陈静", email="chen.jing@globex.cn", mobile="+8613600136000",
                account_name="北京环球科技有限公司", title="销售经理"),
        contact("CN-7", "赵磊", email="zhao.lei@example.cn", mobile="+8615012345678",
                account_name="北京中天信息技术有限公司", title="总经理"),
    ]  # fmt: skip


@pytest.fixture(scope="module")
def tiny() -> Resolution:
    return resolve(tiny_crm(), SETTINGS)


def together(resolution: Resolution, *members: int) -> bool:
    return any(set(members) <= set(c.members) for c in resolution.clusters)


def test_same_email_and_mobile_link_across_scripts_and_languages(tiny: Resolution) -> None:
    assert together(tiny, 0, 1)
    pair = next(p for c in tiny.clusters for p in c.pairs if {p.left, p.right} == {0, 1})
    assert pair.probability >= SETTINGS.review_threshold


def test_colleagues_sharing_a_switchboard_stay_apart(tiny: Resolution) -> None:
    assert not together(tiny, 2, 3)
    assert all(len(c.members) == 2 for c in tiny.clusters)


def test_a_shared_title_weighs_less_than_a_shared_mobile_or_email(tiny: Resolution) -> None:
    model = tiny.model
    names = [c.name for c in model.spec.comparisons]
    weights = model.level_weights()
    title = weights[names.index("title")][0]
    assert title < weights[names.index("mobile")][0]
    assert title < weights[names.index("email")][0]


def test_the_path_taken_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    records = tiny_crm()
    with caplog.at_level(logging.INFO, logger="canonical.dedupe.small_input"):
        resolve(records, SETTINGS)
    assert any("reference model of preset 'contact'" in r.getMessage() for r in caplog.records)
    caplog.clear()
    forced = DedupeSettings(workers=1, min_records_for_em=0, min_pairs_for_em=0)
    with caplog.at_level(logging.INFO, logger="canonical.dedupe.small_input"):
        resolve(records, forced)
    assert any(r.getMessage().startswith("dedupe m: EM on") for r in caplog.records)


def test_the_shipped_contact_reference_fits_the_preset() -> None:
    spec = preset_named("contact").spec
    reference = reference_m(spec)
    assert reference is not None
    for comparison, m, u in zip(spec.comparisons, reference.m, reference.u_floor, strict=True):
        assert len(m) == len(u) == len(comparison.levels)
        assert m.sum() == pytest.approx(1.0) and u.sum() == pytest.approx(1.0)
    mobile = [c.name for c in spec.comparisons].index("mobile")
    assert reference.m[mobile][0] > 0.5  # duplicates mostly share their mobile


def test_a_reference_written_for_another_spec_is_refused(tmp_path: Path) -> None:
    spec = preset_named("contact").spec
    shares = [np.full(len(c.levels), 1.0 / len(c.levels)) for c in spec.comparisons]
    path = tmp_path / "reference.json"
    path.write_text(reference_m_json(spec, shares, shares, "test"), encoding="utf-8")
    loaded = reference_m(spec, path)
    assert loaded is not None and np.allclose(loaded.m[0], shares[0])
    data = json.loads(path.read_text(encoding="utf-8"))
    data["comparisons"][0]["levels"].append("extra")
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ReferenceModelError, match="reference_model"):
        reference_m(spec, path)
    assert reference_m(spec, tmp_path / "missing.json") is None
