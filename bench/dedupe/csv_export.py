"""Export a generated set as a CSV file that mapping/files/csv_contacts.yaml reads.

Phones are written the way people type them (+86 138 0013 8000, 138-0013-8000, 0086...,
(010) 6552-9988 转 801) and some emails in mixed case: reading the file back through the
mapping must give the generated records' values again. The entity labels go to a separate
file (id, system, entity) so the contacts file holds nothing a real export would not.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path
from typing import Final

from bench.dedupe.generator import GeneratedSet

__all__ = [
    "CSV_HEADER",
    "LABELS_HEADER",
    "ONE_PHONE_HEADER",
    "TRUTH_HEADER",
    "labels_path",
    "truth_path",
    "write_csv",
    "write_truth",
]

# Header names from csv_contacts.yaml's aliases, as a Chinese CRM export would have them.
CSV_HEADER: Final = ("编号", "姓名", "手机", "电话", "邮箱", "公司", "职位", "部门", "省份",
                     "城市", "客户级别", "阶段", "负责人", "负责人邮箱", "创建时间",
                     "修改时间")  # fmt: skip
LABELS_HEADER: Final = ("id", "system", "entity")
# The layout of a lean export: one phone column (a mobile, else the landline), no title,
# department or province.
ONE_PHONE_HEADER: Final = ("编号", "姓名", "手机", "邮箱", "公司", "城市")
# The truth file any labelled CSV comes with for bench/dedupe_quality.py --csv/--truth.
TRUTH_HEADER: Final = ("row_id", "entity_id")


def labels_path(path: Path) -> Path:
    """Where ``write_csv`` puts the labels of ``path``: contacts.csv -> contacts.labels.csv."""
    return path.with_name(f"{path.stem}.labels{path.suffix}")


def truth_path(path: Path) -> Path:
    """Where ``write_truth`` puts the truth of ``path``: contacts.csv -> contacts.truth.csv."""
    return path.with_name(f"{path.stem}.truth{path.suffix}")


def write_truth(generated: GeneratedSet, path: Path) -> None:
    """``row_id,entity_id`` per record: the truth format bench/dedupe_quality.py reads."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(TRUTH_HEADER)
        writer.writerows(
            (record.source.id, label)
            for record, label in zip(generated.records, generated.labels, strict=True)
        )


def write_csv(generated: GeneratedSet, path: Path, *, one_phone: bool = False) -> Path:
    """Write the contacts to ``path`` and the labels beside it; return the labels' path.

    Record ids are the generated source ids, unique across systems, so a labels row names one
    contacts row. Formatting choices are drawn from the set's seed: the same set writes the
    same bytes. ``one_phone`` writes the lean layout of ONE_PHONE_HEADER.
    """
    rng = random.Random(f"csv-{generated.seed}")
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(ONE_PHONE_HEADER if one_phone else CSV_HEADER)
        for record in generated.records:
            phone = _phone_text(rng, record.phone, record.phone_ext) if record.phone else ""
            mobile = _phone_text(rng, record.mobile, None) if record.mobile else ""
            region = record.region
            if one_phone:
                writer.writerow(
                    (
                        record.source.id,
                        record.name,
                        mobile or phone,
                        _email_text(rng, record.email) if record.email else "",
                        record.account_name or "",
                        (region.city or "") if region else "",
                    )
                )
                continue
            owner = record.owner
            writer.writerow(
                (
                    record.source.id,
                    record.name,
                    mobile,
                    phone,
                    _email_text(rng, record.email) if record.email else "",
                    record.account_name or "",
                    record.title or "",
                    record.department or "",
                    (region.province or "") if region else "",
                    (region.city or "") if region else "",
                    record.tier.label_zh if record.tier else "",
                    record.stage.label_zh if record.stage else "",
                    (owner.name or "") if owner else "",
                    (owner.email or "") if owner else "",
                    record.created_at.isoformat() if record.created_at else "",
                    record.modified_at.isoformat() if record.modified_at else "",
                )
            )
    labels = labels_path(path)
    with labels.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(LABELS_HEADER)
        writer.writerows(
            (record.source.id, record.source.system, label)
            for record, label in zip(generated.records, generated.labels, strict=True)
        )
    return labels


def _phone_text(rng: random.Random, e164: str, extension: str | None) -> str:
    """A number as typed: mobiles and landlines each in their own styles, whichever column
    they are in (a landline in the mobile column, a mobile in the phone column)."""
    if len(e164) == 14 and e164.startswith("+861"):
        return _mobile_text(rng, e164)
    return _landline_text(rng, e164, extension)


def _mobile_text(rng: random.Random, e164: str) -> str:
    digits = e164[3:]  # +86 and 11 digits
    style = int(rng.random() * 6)
    if style == 0:
        return f"+86 {digits[:3]} {digits[3:7]} {digits[7:]}"
    if style == 1:
        return f"{digits[:3]}-{digits[3:7]}-{digits[7:]}"
    if style == 2:
        return f"0086{digits}"
    if style == 3:
        return f"{digits[:3]} {digits[3:7]} {digits[7:]}"
    if style == 4:
        return f"+86-{digits}"
    return digits


def _landline_text(rng: random.Random, e164: str, extension: str | None) -> str:
    national = e164[3:]
    # Two- or three-digit area codes: 10, 2x are two digits, the rest (755, 571, 512) three.
    split = 2 if national[0] in "12" else 3
    area, local = national[:split], national[split:]
    style = int(rng.random() * 3)
    if style == 0:
        text = f"(0{area}) {local[:4]}-{local[4:]}"
    elif style == 1:
        text = f"0{area}-{local}"
    else:
        text = f"+86 {area} {local}"
    if extension:
        text += f" 转{extension}" if rng.random() < 0.5 else f" ext. {extension}"
    return text


def _email_text(rng: random.Random, email: str) -> str:
    roll = rng.random()
    if roll < 0.05:
        return email.upper()
    if roll < 0.15:
        local, _, domain = email.partition("@")
        return f"{local.capitalize()}@{domain.capitalize()}"
    return email
