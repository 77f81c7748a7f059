"""The person's name out of a name cell that says more than the name.

Trade-show lists, sales sheets and WeCom remark names put a job title or the company in the
name cell: 王嘉欣（人事经理）, 陈毅健/大客户经理, 卢婷总 部门经理, 银河-李雨玲 (a rep's
"company-name" remark), 王伟 凯达 ("name company"). Kept whole, such a cell keys as a name
nobody else has and the person's other rows are missed. Only what is clearly not the name
goes: a part in brackets or after a separator that is a title, or, of two Chinese parts, the
one that does not start with a family name (of two that do: a place, or a company's
two-character short name beside a three-character full name, 陈永霞-卓天). A name split by a
space (欧阳 娜娜, 雨欣 孙) and a name in Latin script (Wang Jian-guo) are left as written.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Final

from canonical.chinese_names import simplified_key
from canonical.honorifics import is_honorific, is_job_title, split_honorific
from canonical.name_tables import COMPOUND_SURNAMES, HAN, HAN_ONLY, HAN_SURNAMES, NAME_CACHE_SIZE
from canonical.regions_cn import region_words

__all__ = ["name_in_cell", "title_in_cell"]

_BRACKETED: Final = re.compile(r"\s*[(（\[【]([^()（）\[\]【】]*)[)）\]】]\s*")
# Separators between a name and what a cell adds to it. The middle dot (Tony·王) joins names.
_HARD: Final = re.compile(r"\s*[/|｜\\\-－—–_,，;；:：]+\s*")
_SPACE: Final = re.compile(r"\s+")
# Place names: a city written beside the name (王胜荣-金华) is not the person.
_PLACES: Final = region_words()
# A phone number typed after the name (王轩13245566796): never part of it.
_DIGITS: Final = re.compile(r"[\s:：]*\+?\d[\d\s-]{4,}$")


@lru_cache(maxsize=NAME_CACHE_SIZE)
def name_in_cell(raw: str) -> str:
    """The name of a name cell without the title or company written beside it (see the
    module docstring); the cell as written when nothing is clearly not the name."""
    text = _DIGITS.sub("", raw.strip()) or raw.strip()
    text = _BRACKETED.sub(lambda m: " " if is_job_title(m.group(1)) else m.group(0), text).strip()
    hard = [part for part in _HARD.split(text) if part]
    parts = hard if len(hard) > 1 else [p for p in _SPACE.split(text) if p]
    if len(parts) < 2:
        return text
    kept = [part for part in parts if not is_job_title(part)]
    if len(kept) == 1:
        return kept[0]
    if HAN.search(text) is None:  # Wang Jian-guo; "Nali PENG Senior Engineer" loses the title
        return " ".join(kept) if kept and len(kept) < len(parts) else text
    if len(kept) != 2 or not all(HAN_ONLY.fullmatch(simplified_key(p)) for p in kept):
        return text if len(kept) == len(parts) else " ".join(kept)
    if any(_is_surname(p) for p in kept):  # 欧阳 娜娜, 雨欣 孙: one name, split
        return text
    names = [part for part in kept if _starts_as_name(part)]
    if len(names) == 1:
        return names[0]
    if len(names) == 2:
        return _person_of_two(names, separated=len(hard) > 1)
    return text


def _person_of_two(names: list[str], *, separated: bool) -> str:
    """Of two parts that could each be a name, the person's: not a place (王胜荣-金华), the
    full name beside a two-character short name of a company (陈永霞-卓天, 银河-李雨玲), else
    by the order reps write: "company-name" (银河-李雨玲), "name company" (王建国 华信)."""
    places = [simplified_key(part) in _PLACES for part in names]
    if places.count(True) == 1:
        return names[places.index(False)]
    lengths = [len(simplified_key(split_honorific(part).name)) for part in names]
    if sorted(lengths) == [2, 3]:
        return names[lengths.index(3)]
    return names[1] if separated else names[0]


@lru_cache(maxsize=NAME_CACHE_SIZE)
def title_in_cell(raw: str) -> str | None:
    """The job title written in a name cell (王嘉欣（人事经理） -> 人事经理, 陈毅健/大客户经理 ->
    大客户经理); None when it has none or only a form of address (刘雪(经理)). For the
    record's title when no column gives one."""
    text = raw.strip()
    found = [m.group(1) for m in _BRACKETED.finditer(text) if is_job_title(m.group(1))]
    rest = _BRACKETED.sub(" ", text)
    parts = [part for part in _HARD.split(rest) if part]
    if len(parts) < 2:
        parts = [part for part in _SPACE.split(rest) if part]
    if len(parts) > 1:
        found += [part for part in parts if is_job_title(part)]
    # A bare form of address (经理, 老师, 总) is how the person was addressed, not a title.
    found = [title for title in found if not is_honorific(title)]
    return " ".join(found) or None


def _is_surname(part: str) -> bool:
    simple = simplified_key(part)
    return simple in HAN_SURNAMES or simple in COMPOUND_SURNAMES


def _starts_as_name(part: str) -> bool:
    """Two to four Chinese characters starting with a family name, or a family name alone
    before a form of address (杨主任)."""
    split = split_honorific(part)
    simple = simplified_key(split.name)
    if not (1 if split.honorific else 2) <= len(simple) <= 4:
        return False
    return simple[0] in HAN_SURNAMES or simple[:2] in COMPOUND_SURNAMES
