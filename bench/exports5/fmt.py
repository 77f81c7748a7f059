"""How people and systems write a value: phone formats, name forms, company forms, typos."""

from __future__ import annotations

import random

from bench.exports5 import pools
from bench.exports5.world import Company, Person, pinyin

_FW = str.maketrans("0123456789()-+@. ", "０１２３４５６７８９（）－＋＠．　")
_FW_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")


def fullwidth(s: str) -> str:
    return s.translate(_FW)


def typo_digit(rng: random.Random, s: str) -> str:
    """One wrong, dropped or swapped digit, as typed by hand."""
    idx = [i for i, c in enumerate(s) if c.isdigit()]
    if len(idx) < 4:
        return s
    i = rng.choice(idx[2:])
    r = rng.random()
    if r < 0.5:
        return s[:i] + str((int(s[i]) + rng.randrange(1, 10)) % 10) + s[i + 1 :]
    if r < 0.75:
        return s[:i] + s[i + 1 :]
    j = idx[idx.index(i) - 1]
    return s[:j] + s[i] + s[j + 1 : i] + s[j] + s[i + 1 :]


MOBILE_FORMS = (
    "plain",
    "spaced",
    "dashed",
    "+86 ",
    "+86",
    "+86-",
    "0086 ",
    "86-",
    "(+86)",
    "fullwidth",
    "excel",
)


def fmt_mobile(rng: random.Random, m: str, weights: tuple[int, ...]) -> str:
    form = rng.choices(MOBILE_FORMS, weights)[0]
    if form == "plain":
        return m
    if form == "spaced":
        return f"{m[:3]} {m[3:7]} {m[7:]}"
    if form == "dashed":
        return f"{m[:3]}-{m[3:7]}-{m[7:]}"
    if form == "fullwidth":
        return m.translate(_FW_DIGITS)
    if form == "excel":
        return f"{int(m) / 10**10:.5f}E+10".replace("0E", "E").rstrip()
    if form == "+86 " and rng.random() < 0.5:
        return f"+86 {m[:3]} {m[3:7]} {m[7:]}"
    return form + m


def fmt_landline(
    rng: random.Random, area: str, local: str, ext: str, weights: tuple[int, ...], ext_rate: float
) -> str:
    """A fixed line: area code written 7 ways (or left off), an extension 5 ways (or dropped)."""
    form = rng.choices(range(7), weights)[0]
    a = area[1:]
    text = (
        f"{area}-{local}",
        f"({area}){local}",
        f"{area}{local}",
        local,
        f"+86-{a}-{local}",
        f"{area} {local[:4]} {local[4:]}",
        f"+86 {a} {local}",
    )[form]
    if ext and rng.random() < ext_rate:
        text += rng.choice(("-", "转", " ext.", "#", "（分机", " 分机")) + ext
        if text.endswith(ext) and "（分机" in text:
            text += "）"
    return text


def name_form(rng: random.Random, p: Person, rates: dict[str, float], title: int) -> str:
    """One of the ways a person's name gets written; `rates` maps form -> probability."""
    if p.latin:
        r = rng.random()
        first, last = p.latin.split(" ")
        if r < 0.15:
            return f"{last.upper()} {first}"
        if r < 0.25:
            return f"{first} {last.upper()}"
        if r < 0.3:
            return f"{last}先生" if rng.random() < 0.5 else p.latin.lower()
        return p.latin
    name = p.surname + p.given
    r = rng.random()
    for form, rate in rates.items():
        if r >= rate:
            r -= rate
            continue
        return _apply(rng, form, p, name, title)
    return name


def _apply(rng: random.Random, form: str, p: Person, name: str, title: int) -> str:
    s, g = p.surname, p.given
    if form == "typo":
        idx = [i for i, c in enumerate(g) if c in pools.HOMOPHONES]
        if idx:
            i = rng.choice(idx)
            return s + g[:i] + pools.HOMOPHONES[g[i]] + g[i + 1 :]
        return name
    if form == "ocr":
        idx = [i for i, c in enumerate(name) if c in pools.LOOKALIKES]
        if idx:
            i = rng.choice(idx)
            return name[:i] + pools.LOOKALIKES[name[i]] + name[i + 1 :]
        return name
    if form == "traditional":
        return "".join(pools.TRADITIONAL.get(c, c) for c in name)
    if form == "pinyin":
        sp, gp = pinyin(s), pinyin(g)
        return rng.choice(
            (
                f"{sp.title()} {gp.title()}",
                f"{gp.title()} {sp.title()}",
                f"{sp.upper()} {gp.title()}",
                f"{sp}{gp}",
                f"{gp.title()} {sp.upper()}",
            )
        )
    if form == "english":
        if not p.en:
            return name
        return rng.choice(
            (
                f"{p.en} {pinyin(s).title()}",
                f"{name} {p.en}",
                f"{p.en} {name}",
                f"{name}({p.en})",
                f"{name}（{p.en}）",
                p.en,
                f"{p.en}{s}",
            )
        )
    if form == "titled":
        long_t, short_t, _ = pools.TITLES[title]
        choices = [f"{name}({long_t})", f"{name}（{long_t}）", f"{name} {long_t}"]
        if short_t:
            choices += [f"{s}{short_t}", f"{s}{short_t}", f"{name}{short_t}"]
        choices.append(f"{s}{'女士' if p.female else '先生'}")
        return rng.choice(choices)
    if form == "spaced":
        if len(name) == 2:
            return name[0] + rng.choice(("　", " ", "  ")) + name[1]
        return f"{s} {g}"
    if form == "truncated":
        if len(g) == 2 and rng.random() < 0.6:
            return s + g[0]
        return s + rng.choice(("", "*", "某")) if rng.random() < 0.5 else g
    if form == "padded":
        return rng.choice((f" {name}", f"{name} ", f"{name}\u200b", f"{name}."))
    if form == "nickname":  # how colleagues and reps call people: 小王, 老张, 阿强, 晓明哥
        kin = f"{g}姐" if p.female else f"{g}哥"
        return rng.choice((f"小{s}", f"老{s}", f"阿{g[-1]}", kin))
    return name


def company_name(rng: random.Random, co: Company, city: int, weights: tuple[int, ...]) -> str:
    """legal / short / brand+industry / English / branch form / no-city / full-width brackets."""
    form = rng.choices(range(7), weights)[0]
    ind, ind_en = pools.INDUSTRIES[co.industry]
    cname, _, _, cpy, _ = pools.CITIES[co.city]
    bcity = pools.CITIES[city][0]
    prefix = (
        ""
        if co.cityless
        else cname + ("市" if len(cname) == 2 and cname not in "北京上海天津重庆" else "")
    )
    legal = f"{prefix}{co.brand}{ind}{co.suffix}"
    if form == 0:
        return legal
    if form == 1:
        return co.brand
    if form == 2:
        return co.brand + ind
    if form == 3:
        en = f"{'' if co.cityless else cpy + ' '}{co.brand_py.title()} {ind_en}"
        return en + rng.choice((" Co., Ltd.", " Co.,Ltd", " Ltd.", " Group", " Co. Ltd"))
    if form == 4:
        if co.size == "big" and city != co.city:
            return rng.choice(
                (
                    f"{co.brand}{ind}{co.suffix}{bcity}分公司",
                    f"{co.brand}{ind}（{bcity}）有限公司",
                    f"{co.brand}{ind}({bcity})有限公司",
                    f"{bcity}{co.brand}{ind}有限公司",
                    f"{co.brand}集团{bcity}分公司",
                )
            )
        return legal
    if form == 5:
        return f"{co.brand}{ind}{co.suffix}"
    return legal.replace("(", "（").replace(")", "）") if "(" in legal else f"{co.brand}{ind}"


def email_form(rng: random.Random, e: str, typo_rate: float, upper_rate: float) -> str:
    if not e:
        return e
    r = rng.random()
    if r < typo_rate:
        local, dom = e.split("@")
        dom = rng.choice(
            (
                dom.replace(".com", ".con"),
                dom.replace(".", ",", 1),
                dom + ".",
                dom.replace("o", "0", 1),
            )
        )
        return f"{local}@{dom}" if rng.random() < 0.7 else f"{local}{dom}"
    if r < typo_rate + upper_rate:
        return e.upper() if rng.random() < 0.3 else e[0].upper() + e[1:]
    if r < typo_rate + upper_rate + 0.01:
        return e.replace("@", "＠")
    return e
