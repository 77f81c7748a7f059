"""The Contact preset: Chinese-aware person matching.

Names compare by simplified characters, then toneless pinyin in either order (张伟 = 張偉 =
"Wei ZHANG"; homophone typos 张玮 too), then a family name alone (王先生: honorifics and
titles are split off first), a given name cut short (李桂 / 李桂花), then Jaro-Winkler on
pinyin, then surname only (an English first name: "David Zhang"). Company and switchboard
number form one comparison ("org"), because colleagues share both: counted as two
independent pieces of evidence they would outweigh different names. Term frequencies weaken
common names and big companies.

Phones compare by what the number is, not the column it was typed in: every mobile of a
record meets every mobile of the other, a landline typed into the mobile column counts as
the record's landline. Two different mobiles are evidence against a match, weighed like any
other (people have two), not a veto; only different mobiles *and* different names are.
"""

from __future__ import annotations

from typing import Final

from canonical.dedupe.contact_table import build_contact_table
from canonical.dedupe.preset_base import Preset
from canonical.dedupe.spec import (
    NULL_LEVEL,
    BlockingRule,
    Column,
    Comparison,
    ConflictRule,
    IdentityRule,
    Level,
    LevelKind,
    LinkageSpec,
)
from canonical.models import Contact

__all__ = ["CONTACT_PRESET", "CONTACT_SPEC", "build_contact_table"]

_E = LevelKind.EXACT
_ELSE = Level("else", LevelKind.ELSE)

CONTACT_SPEC: Final = LinkageSpec(
    kind="contact",
    columns=(
        Column("name_key", "name"),
        Column("name_pinyin", "name"),
        Column("name_pinyin_alt", "name"),
        Column("name_ordered", "name"),  # a Latin name's words sorted: order-free
        Column("name_block", "name"),  # the pinyin in either order, for blocking
        Column("family_pinyin", "name"),
        Column("family_key", "name"),
        Column("family_bare", "name"),  # the family name of 王先生 / 张总 (no given name)
        Column("given_key", "name"),
        Column("given_pinyin", "name"),
        Column("given_kind", "name"),
        Column("honorific", "name"),
        Column("gender", "gender"),
        Column("email", "email"),
        Column("email_2", "email"),  # a second address (邮箱2, Secondary Email)
        Column("email_local", "email"),
        Column("email_stem", "email"),
        Column("email_name", "email"),
        Column("email_typo", "email"),
        Column("email_owner", "email"),
        Column("email_domain", "email"),
        Column("email_kind", "email"),
        # A company's mail domain says what its name says: blocks on the company (colleagues)
        # teach EM nothing about how one person's addresses differ.
        Column("work_domain", "org"),
        Column("mobile", "mobile"),
        Column("mobile_2", "mobile"),
        # A mobile a spreadsheet rounded (1.38001E+10), and the key a whole one rounds to.
        Column("mobile_rounded", "mobile"),
        Column("mobile_excel", "mobile"),
        Column("landline", "org"),
        Column("extension", "org"),
        Column("landline_ext", "org"),
        Column("company", "org"),
        Column("company_branch", "org"),
        Column("brand", "org"),
        Column("province", "region"),
        Column("city", "region"),
        Column("title", "title"),
    ),
    comparisons=(
        Comparison(
            "name",
            (
                Level("exact", _E, ("name_key",), tf_column=("family_key", "given_key")),
                Level(
                    "pinyin",
                    LevelKind.ANY_EXACT,
                    ("name_pinyin", "name_pinyin_alt", "name_ordered"),
                    tf_column=("family_pinyin", "given_pinyin"),
                ),
                # One side a family name alone (王先生, 张总): the family name is all it says.
                Level("family_only", LevelKind.CROSS, ("family_bare", "family_pinyin")),
                # A given name cut short (李桂 / 李桂花, "WEI Jian" / 魏建平).
                Level("truncated", LevelKind.PREFIX, ("name_pinyin",), 4),
                # One side an English first name (David Zhang), the other not (张伟): the
                # family name is all the two can share.
                Level("foreign_given", _E, ("family_pinyin",), differ=("given_kind",)),
                Level("jw_high", LevelKind.JARO_WINKLER, ("name_pinyin",), 0.92),
                Level("jw_mid", LevelKind.JARO_WINKLER, ("name_pinyin",), 0.80),
                Level("surname", _E, ("family_pinyin",)),
                _ELSE,
            ),
            null_columns=("name_pinyin",),
            # Colleagues share names more often than strangers do (a namesake in the same
            # company): where org agrees, u comes from non-matching colleagues.
            depends_on="org",
            depends_levels=8,
        ),
        Comparison(
            "email",
            (
                # Either address of a record against either of the other's.
                Level("exact", LevelKind.ANY_EXACT, ("email", "email_2")),
                Level("local", _E, ("email_local",)),
                # The same letters at one company domain, told apart by a digit or a dot
                # (zhangwei2@, zhang.wei@): how a mail admin tells two colleagues of one name
                # apart. (At a free-mail provider anyone picks their own.)
                Level("same_letters", _E, ("email_stem",)),
                # One address mistyped: an edit apart. (Jaro-Winkler on whole addresses found
                # colleagues at one domain alike: min.zhang@ / na.zhang@.)
                Level("typo", LevelKind.DAMERAU_LEVENSHTEIN, ("email_typo",), 1.0),
                Level("same_name", _E, ("email_name",)),
                # Two addresses at one company domain: a colleague (one person has one work
                # address), even when both spell one name (zhangwei@, wei.zhang@: two 张伟).
                Level("same_domain", _E, ("work_domain",)),
                # Both addresses spell one person's name, each in its own way, at two
                # domains (guowen223@gmail.com, gwen@acme.cn of 郭文).
                Level("same_owner", _E, ("email_owner",)),
                # A work and a personal address: one person often has both. (An address at the
                # other record's company domain as a level of its own was tried: colleagues
                # have those too, and precision fell by 0.3 points on generated exports.)
                Level("work_personal", _E, differ=("email_kind",)),
                _ELSE,
            ),
            null_columns=("email",),
            # Addresses spell names: two people of one name often have look-alike addresses.
            depends_on="name",
            depends_levels=2,
        ),
        Comparison(
            "mobile",
            (
                # Every mobile of a record (the mobile column's, a mobile in the phone column).
                Level("exact", LevelKind.ANY_EXACT, ("mobile", "mobile_2")),
                Level("typo", LevelKind.DAMERAU_LEVENSHTEIN, ("mobile",), 1.0),
                # Two records each with its own one-digit typo sit two edits apart: still one
                # number mistyped, not a different phone.
                Level("near", LevelKind.DAMERAU_LEVENSHTEIN, ("mobile",), 2.0),
                # One side's mobile rounded by a spreadsheet (1.86194E+10), the other's whole
                # number rounding to it, or rounded alike: one of 100,000 numbers, not proof.
                Level(
                    "rounded",
                    LevelKind.CROSS,
                    ("mobile_rounded", "mobile_excel"),
                    tf_column="mobile_excel",
                ),
                # Different mobiles: evidence against, weighed with the rest, not a veto
                # (people have two).
                _ELSE,
            ),
            null_columns=("mobile_excel",),
        ),
        Comparison(
            "org",
            (
                Level("other_extension", _E, ("landline",), differ=("extension",)),
                Level("same_extension", _E, ("landline_ext",)),
                Level("same_unit", _E, ("company_branch", "landline"), tf_column="company_branch"),
                Level("same_company_branch", _E, ("company_branch",), tf_column="company_branch"),
                Level("same_phone", _E, ("landline",), tf_column="landline"),
                Level("same_company", _E, ("company",), tf_column="company"),
                Level("similar", LevelKind.JARO_WINKLER, ("company",), 0.88),
                Level("same_brand", _E, ("brand",), tf_column="brand"),
                _ELSE,
            ),
            null_columns=("company", "landline"),
            null_when="all",
        ),
        Comparison(
            "region",
            (Level("city", _E, ("city",)), Level("province", _E, ("province",)), _ELSE),
            null_columns=("province", "city"),
            null_when="all",
        ),
        Comparison("title", (Level("exact", _E, ("title",)), _ELSE), null_columns=("title",)),
        # 先生 against 女士: a man and a woman.
        Comparison("gender", (Level("same", _E, ("gender",)), _ELSE), null_columns=("gender",)),
    ),
    blocking=(
        BlockingRule("m", ("mobile",), alternatives=("mobile_2",)),
        BlockingRule("e", ("email",), alternatives=("email_2",)),
        BlockingRule("pc", ("name_pinyin", "company"), sort_column="email"),
        BlockingRule("pt", ("name_pinyin", "city"), sort_column="company"),
        BlockingRule("pl", ("name_pinyin", "landline"), sort_column="email"),
        BlockingRule("fx", ("family_pinyin", "landline_ext")),
        # The brand survives every way of writing a company (legal form, city, in English),
        # where the company key does not: 广州盛新科技股份有限公司 / Guangzhou Shengxin ... Ltd.
        # Its name key is order-free: "Peng Lu" (given name first) and 卢鹏 share one block.
        BlockingRule("pb", ("name_block", "brand"), sort_column="email"),
        # A Chinese name typed given name first (明哲陈 for 陈明哲): its pinyin read the other
        # way round is the other's, at the same brand.
        BlockingRule(
            "pa", ("name_pinyin", "brand"), sort_column="email", alternatives=("name_pinyin_alt",)
        ),
        # A family name alone or a given name cut short (韦总, 欧阳佳) at any form of the
        # person's company (上海普源, 欧阳佳婷 at "Hangzhou Ruichuang Chemical").
        BlockingRule("fb", ("family_pinyin", "brand"), sort_column="name_pinyin"),
        # One person's addresses at two providers, or in two styles (zhanglin877@163.com,
        # lin.zhang@acme.cn).
        BlockingRule("eo", ("email_owner",), sort_column="company"),
        # A family name alone or a given name cut short (张总, 李桂) at the person's company.
        BlockingRule("fc", ("family_pinyin", "company"), sort_column="name_pinyin"),
    ),
    conflicts=(
        ConflictRule(("name", "mobile")),
        ConflictRule(("name", "email")),
        # Two mailboxes at one company domain and no mobile in common: two colleagues
        # (namesakes among them), whatever their names. One person has one work address
        # (a mistyped one sits at 'typo'); a shared mobile says it is one person after all.
        ConflictRule(("email", "mobile"), (("same_letters", "same_domain"), ("else", NULL_LEVEL))),
        # One address, two different names and no mobile in common: a shared mailbox (admin@,
        # a department's QQ mail) that colleagues all type in, not one person.
        ConflictRule(("name", "email", "mobile"), ((), ("exact",), ("else", NULL_LEVEL))),
        # ... or two names of one family name alone (王宇刚, 王立睿) and two different mobiles.
        ConflictRule(("name", "email", "mobile"), (("surname",), ("exact",), ())),
        # Two names with nothing in common (not a variant, not a family name alone): two
        # people, whatever number or mailbox they share (a front desk's mobile, a team's QQ
        # mail, an assistant who typed her boss's address). One person's records misspell a
        # name; they do not swap it for another.
        ConflictRule(("name",)),
        # Two names that only look alike (张虹薇 / 张虹娜) with two work addresses at one
        # company domain: colleagues, even when they share a mobile (a team's phone). One
        # person has one work address; a misspelt name keeps its pinyin or its address.
        ConflictRule(
            ("name", "email"), (("jw_high", "jw_mid", "surname"), ("same_letters", "same_domain"))
        ),
        # ... or whose addresses differ by the letter their names differ by (zenglanxiao@ /
        # zenglanjiao@, chengyx@ / chengyw@, zhangj@ / zhangjq@ of 张佳 and 张佳琴) and who
        # have no mobile in common.
        ConflictRule(
            ("name", "email", "mobile"),
            (("jw_high", "jw_mid", "surname", "truncated"), ("typo",), ("else", NULL_LEVEL)),
        ),
    ),
    # Look-alike names (张伟鹏 / 张涛伟, 刘峰宇 / 刘峰艳) whose only identifier in common is a
    # mobile: as often two colleagues on one team phone as one person with a mistyped name
    # (generator 3: 17 wrong to 29 right). They may form a cluster, for a person to decide.
    review_rules=(
        ConflictRule(
            ("name", "email", "mobile"),
            (
                ("jw_high", "jw_mid", "surname"),
                ("work_personal", "same_domain", NULL_LEVEL),
                ("exact",),
            ),
        ),
    ),
    conflict_weight=None,
    identifiers=("email", "mobile"),
    # One name on one mobile (or one personal address) is one person, whatever else the two
    # records say: a mobile is registered to its owner's name and kept through a change of
    # job, city or title, so those differences do not count against such a pair (nor a
    # second address or mobile: people have two). Role mailboxes compare as missing, and
    # two names on one number or mailbox are conflict rules above.
    identity_rules=(
        IdentityRule(
            ConflictRule(("name", "mobile"), (("exact", "pinyin"), ("exact",))),
            forgive=("email", "org", "region", "title"),
        ),
        IdentityRule(
            ConflictRule(("name", "email"), (("exact", "pinyin"), ("exact",))),
            forgive=("mobile", "org", "region", "title"),
        ),
    ),
)


CONTACT_PRESET: Final = Preset(CONTACT_SPEC, build_contact_table, Contact)
