"""Generator 2: seeded, labelled Chinese B2B contact exports with their own corruption model.

The world. People get surnames by their real frequency (王 7 %, 李 7 %, 张 6.7 % ... compound
surnames such as 欧阳 or 司马 about 1 in 2,000) and one- or two-character given names; a fifth
of given names come from a short list of popular ones (伟, 芳, 娜, 秀英, 建华 ...), so many
different people share a name (李伟, 王强, 张娜). One person in eight also has an English name
(David, Lily), one in five a second mobile. They work at companies named the way Chinese
companies register (深圳市 + 字号 + 行业 + 有限公司, 字号 + 行业 + （城市） + 有限公司, a few
well-known ones such as 华为技术有限公司), with English names, abbreviations, 分公司 branches
in other cities, a switchboard shared by colleagues (extensions, or direct lines in the same
number block), a mail domain for 70 % of them (work addresses from pinyin: lin.zhang, zhangl,
l.zhang) and personal mail (numeric qq.com, 163.com, 126.com, foxmail, a mobile number @139.com
...). Company sizes are skewed: a few large accounts, many with one or two contacts.

Look-alikes that are NOT the same person (about 7 % of people): the same name at the same
company (2.2 %), the same name at another company, half of them in the same city (2 %), a
father and son or two brothers (李建国/李建华) in a family shop sharing its landline (1.2 %
pairs), colleagues sharing a sales@ or QQ mailbox (0.6 %). Their rows are labelled
lookalike_*.

Duplicates. 38 % of people (dup_rate) have extra records: one extra for 72 % of them, two
for 17 %, three for 7 %, four for 4 %. In a merged file 3-5 source systems are mixed; a later
record comes from the same system as the first 40 % of the time; 5 % of later records are the
previous row imported again (exact_copy), 3 % show a new employer (entity_moved_company: new
company, mail and office line, same mobile).

Corruption. Each field of a record deviates from the truth with a probability that is low for
a person's first record and high for each later one (name 10 % / 42 %, phone 12 % / 48 %,
email 10 % / 42 %, company 14 % / 45 %, city 12 % / 35 %); a deviating field gets one operator,
with 18 % a second one, drawn by weight and by the source system's habits (Zoho: romanised
names and English companies; lead sheets: abbreviations and two numbers in a cell; Excel
sheets: numbers turned into 1.38001E+10):
- names: name_honorific (王先生, 李女士, 张经理, 刘总, 陈工, Xu HE总), name_spaced (王 伟),
  name_homophone (王/汪, 张/章, 林/琳, 明/鸣, 伟/玮 ...), name_traditional (張偉),
  name_romanised (Wei Jianping, JIANPING WEI, Jian-Ping Wei), name_english (David Wang,
  David, 王伟(David)), name_truncated (李桂 for 李桂花), name_fullwidth (Ｄａｖｉｄ, 王　伟);
  Zoho also splits names inconsistently (name_split_reversed, name_in_one_field).
- phones: phone_format (+86 138 0013 8000, 0086-13800138000, 138-0013-8000, landlines as
  (0755)86000000, 0755－86000000, with 转801 / ext. 12 / -800), phone_missing, phone_typo (one
  digit changed or two swapped), phone_second_mobile, phone_switchboard (the company's number
  instead of a personal one), phone_landline_in_mobile, phone_mobile_in_landline,
  phone_changed (an old mobile), phone_two_in_cell (13800138000/0755-86000000),
  phone_in_note, phone_fullwidth, phone_excel_sci, phone_extension_dropped.
- emails: email_missing, email_personal_vs_work, email_other_domain (163.com vs 126.com,
  .com vs .com.cn), email_case, email_typo (163.con, gmial.com), email_spaces,
  email_fullwidth_at (＠), email_two_in_cell, email_shared_mailbox.
- companies: company_no_suffix (without 有限公司), company_no_city, company_abbrev (华远电子,
  华远), company_english, company_branch (…上海分公司, …办事处), company_typo,
  company_brackets (（深圳） and (深圳), or the city moved into brackets), company_missing.
- cities: city_variant (北京 / 北京市 / Beijing / 京 / 北京市朝阳区 / 广东深圳), city_missing.
Besides, every layout leaves fields empty at its own rate (a lead sheet lacks e-mail on 38 %
of rows, a Zoho export lacks a mobile on 12 %). A label is kept only when its change reached
a cell. Every row's labels start with layout:<system> and original or duplicate.
"""

from __future__ import annotations

import csv
import random
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bench.exports import data
from bench.exports.layouts import (
    LAYOUT_NAMES,
    LAYOUTS,
    MERGED,
    MERGED_HEADER,
    IdMaker,
    harmonise,
    retime,
)
from bench.exports.people import LOOKALIKE_KINDS, make_people, pinyin_of
from bench.exports.records import COMPANY_OPS, EMAIL_OPS, NAME_OPS, PHONE_OPS, RecordMaker

__all__ = [
    "DEFAULT_DUP_RATE",
    "HONORIFICS",
    "LAYOUT_NAMES",
    "LOOKALIKE_KINDS",
    "MERGED",
    "OPERATORS",
    "Export",
    "generate",
]

HONORIFICS = data.HONORIFICS
DEFAULT_DUP_RATE = 0.38
# How many extra records a duplicated person has: mostly one, a few up to four.
EXTRA_RECORDS = ((1, 0.72), (2, 0.17), (3, 0.07), (4, 0.04))
# How much of a merged file each system contributes (among the 3-5 systems in it).
SYSTEM_WEIGHTS = {
    "fxiaoke_export": 5.0,
    "zoho_export": 3.0,
    "cn_basic": 2.0,
    "cn_one_phone": 1.5,
    "tradeshow": 2.0,
}
SAME_SYSTEM_P = 0.4  # a later record of a person comes from the same system as the first
EXACT_COPY_P = 0.05  # a later record is the previous row imported again
OPERATORS: tuple[str, ...] = (
    *NAME_OPS,
    "name_in_one_field",
    "name_split_reversed",
    *PHONE_OPS,
    "phone_extension_dropped",
    "phone_landline_chosen",
    *EMAIL_OPS,
    *COMPANY_OPS,
    "city_variant",
    "city_missing",
    "title_variant",
    "entity_moved_company",
    "exact_copy",
)


@dataclass
class Export:
    """One generated file: `rows[i]` is the record of entity `truth[i]`, made by `labels[i]`."""

    header: list[str]
    rows: list[list[str]]
    truth: list[str]
    labels: list[list[str]]
    layout: str
    seed: int
    n_people: int = 0
    systems: list[str] = field(default_factory=list)  # source layouts, in file order

    @property
    def ids(self) -> list[str]:
        return [row[0] for row in self.rows]

    def label_counts(self) -> Counter[str]:
        counts: Counter[str] = Counter()
        for labels in self.labels:
            counts.update(labels)
        return counts

    def write(self, out_dir: str | Path, encoding: str = "utf-8-sig") -> tuple[Path, Path]:
        """contacts.csv as Excel saves it (UTF-8 with BOM, or GBK) and truth.csv (UTF-8)."""
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        contacts = out / "contacts.csv"
        # Excel writes "?" for a character its code page lacks; so do we.
        errors = "replace" if encoding.lower() in ("gbk", "gb2312", "gb18030") else "strict"
        with contacts.open("w", encoding=encoding, errors=errors, newline="") as f:
            writer = csv.writer(f)
            writer.writerow(self.header)
            writer.writerows(self.rows)
        truth = out / "truth.csv"
        with truth.open("w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(["row_id", "entity_id", "labels"])
            for row, entity, labels in zip(self.rows, self.truth, self.labels, strict=True):
                writer.writerow([row[0], entity, ";".join(labels)])
        return contacts, truth


def _weighted(rng: random.Random, names: list[str], weights: list[float]) -> str:
    return rng.choices(names, weights)[0]


def generate(
    n_people: int,
    seed: int,
    *,
    layout: str | None = None,
    dup_rate: float = DEFAULT_DUP_RATE,
) -> Export:
    """An export of `n_people` people, `dup_rate` of whom have 1-4 extra records.

    `layout` is one of LAYOUT_NAMES; None (or "merged") mixes 3-5 source systems, each
    record in its system's style, under one harmonised header (MERGED_HEADER).
    """
    if layout is not None and layout != MERGED and layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}; choose one of {', '.join(LAYOUT_NAMES)}")
    if n_people < 1:
        raise ValueError("n_people must be at least 1")
    if not 0.0 <= dup_rate <= 1.0:
        raise ValueError("dup_rate must be between 0 and 1")
    rng = random.Random(seed)
    maker = make_people(rng, n_people)
    merged = layout in (None, MERGED)
    if merged:
        pool = list(LAYOUT_NAMES)
        systems: list[str] = []
        for _ in range(rng.randint(3, 5)):
            name = _weighted(rng, pool, [SYSTEM_WEIGHTS[s] for s in pool])
            systems.append(name)
            pool.remove(name)
    else:
        assert layout is not None
        systems = [layout]
    sys_weights = [SYSTEM_WEIGHTS[s] for s in systems]
    owners: dict[str, list[str]] = {}
    for name in LAYOUT_NAMES:
        chosen = rng.sample(data.OWNER_NAMES, rng.randint(4, 9))
        if name == "zoho_export":
            chosen = [
                n
                if rng.random() < 0.4
                else " ".join(
                    s.capitalize() for s in ("".join(pinyin_of(n[0])), "".join(pinyin_of(n[1:])))
                )
                for n in chosen
            ]
        owners[name] = chosen
    records = RecordMaker(rng, maker, owners)
    extra_counts = [k for k, _ in EXTRA_RECORDS]
    extra_weights = [w for _, w in EXTRA_RECORDS]
    buckets: dict[str, list[tuple[int, int, str, list[str], list[str]]]] = {s: [] for s in systems}
    seq = 0
    for person in maker.people:
        extra = 0
        if rng.random() < dup_rate:
            extra = rng.choices(extra_counts, extra_weights)[0]
        first = systems[0] if len(systems) == 1 else _weighted(rng, systems, sys_weights)
        plan = [(first, False, person.created)]
        for _ in range(extra):
            source = first
            if len(systems) > 1 and rng.random() >= SAME_SYSTEM_P:
                source = _weighted(rng, systems, sys_weights)
            if rng.random() < 0.08:
                offset = rng.randrange(3600)  # imported twice, or typed in again the same day
            else:
                offset = rng.randrange(86400, 3 * 365 * 86400)
            plan.append((source, True, person.created + offset))
        previous: tuple[str, list[str], list[str]] | None = None
        for source, dup, created in plan:
            if dup and previous is not None and rng.random() < EXACT_COPY_P:
                # the same row imported twice: only the system's own timestamps differ
                source, old_values, old_labels = previous
                values = retime(LAYOUTS[source], old_values, created, rng)
                dropped = ("original", "duplicate", "no_change", "exact_copy")
                kept = [x for x in old_labels if x not in dropped]
                labels = [kept[0], "duplicate", *kept[1:], "exact_copy"]
            else:
                view = records.view(person, source, dup, created)
                values = LAYOUTS[source].render(view, rng)
                labels = view.labels
            buckets[source].append((created, seq, person.eid, labels, values))
            previous = (source, values, labels)
            seq += 1
    rows: list[list[str]] = []
    truth: list[str] = []
    labels: list[list[str]] = []
    ids = IdMaker(rng)
    for source in systems:
        bucket = sorted(buckets[source], key=lambda r: (r[0], r[1]))
        for i, (created, _, entity, labs, values) in enumerate(bucket):
            source_id = ids.make(source, i, created)
            if merged:
                row = harmonise(LAYOUTS[source], source_id, values)
                row[0] = str(len(rows) + 1)
            else:
                row = [source_id, *values]
            rows.append(row)
            truth.append(entity)
            labels.append(labs)
    header = list(MERGED_HEADER) if merged else list(LAYOUTS[systems[0]].header)
    return Export(
        header=header,
        rows=rows,
        truth=truth,
        labels=labels,
        layout=MERGED if merged else systems[0],
        seed=seed,
        n_people=n_people,
        systems=systems,
    )
