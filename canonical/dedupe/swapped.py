"""Name and company typed into each other's columns (姓名 = 广州市航卓新材料有限公司, 公司 =
周鑫兵): a spreadsheet row pasted one cell off, or a form whose two boxes sit side by side.
Such a record compares as a person named like a company, so it meets none of its duplicates
and its name conflicts with all of them. Comparing it the right way round finds them; the
record itself is left as written (the golden record and the outputs show what the source
says)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

from canonical.regions_cn import PREFECTURE_CITIES, PROVINCE_LEVEL

__all__ = ["unswapped"]

# Words only a company name holds (a legal form, a kind of business): no person is named so.
_COMPANY_WORDS: Final = re.compile(
    r"公司|有限|集团|集團|股份|商行|经营部|經營部|工作室|事务所|研究院|厂$|廠$|"
    r"\b(?:co|ltd|inc|corp|llc|gmbh|company|limited|group)\b",
    re.IGNORECASE,
)
# What a company's short name says of its trade (澳金通信, 捷正物流, 凯鼎贸易): words a
# person's two to four character name does not hold at four characters or more.
_TRADE_WORDS: Final = re.compile(
    r"科技|技术|贸易|物流|通信|电子|电气|软件|实业|投资|咨询|医药|医疗|机械|设备|材料|工程|"
    r"建筑|信息|网络|传媒|化工|食品|纺织|服饰|汽车|能源|环保|制造|制品|国际|工业|仪器|"
    r"照明|塑胶|塑料|包装|印刷|物业|商贸|电器|精密|自动化|新能源|供应链|生物"
)
# A company's short name led by its city or province (成都骏金, 广东盛新): no person's name
# starts with one.
_PLACES: Final = tuple(
    sorted(
        {p for p in PREFECTURE_CITIES if len(p) >= 2}
        | {form for pair in PROVINCE_LEVEL for form in pair if len(form) >= 2},
        key=len,
        reverse=True,
    )
)
# A person's name as a company column would hold it by mistake: two to four Chinese
# characters (an honorific such as 先生 or 总 included), or two or three Latin words.
_PERSON: Final = re.compile(r"[\u3400-\u9fff]{2,4}|[A-Za-z]+(?: [A-Za-z]+){1,2}")


def unswapped(
    names: Sequence[str | None], companies: Sequence[str | None]
) -> tuple[list[str | None], list[str | None]]:
    """The name and company columns with each record whose name reads as a company and whose
    company reads as a person put the right way round; other records as they are."""
    fixed_names, fixed_companies = list(names), list(companies)
    for index, (name, company) in enumerate(zip(names, companies, strict=True)):
        if (
            name
            and company
            and _reads_as_company(name.strip())
            and _PERSON.fullmatch(company.strip()) is not None
            and not _reads_as_company(company.strip())
        ):
            fixed_names[index], fixed_companies[index] = company, name
    return fixed_names, fixed_companies


def _reads_as_company(text: str) -> bool:
    """A legal form or a kind of business anywhere, or (four characters or more) a trade
    word or a leading place name."""
    if _COMPANY_WORDS.search(text) is not None:
        return True
    return len(text) >= 4 and (_TRADE_WORDS.search(text) is not None or text.startswith(_PLACES))
