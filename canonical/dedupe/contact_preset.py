"""The Contact preset: Chinese-aware person matching.

Names compare by simplified characters, then toneless pinyin in either order (张伟 = 張偉 =
"Wei ZHANG"; homophone typos 张玮 too), then Jaro-Winkler on pinyin, then surname only (an
English first name: "David Zhang"). Company and switchboard number form one comparison
("org"), because colleagues share both: counted as two independent pieces of evidence they
would outweigh different names. Term frequencies weaken common names and big companies.
"""

from __future__ import annotations

from typing import Final

from canonical.dedupe.contact_table import build_contact_table
from canonical.dedupe.presets import Preset
from canonical.dedupe.spec import (
    BlockingRule,
    Column,
    Comparison,
    ConflictRule,
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
        Column("name_block", "name"),  # the pinyin in either order, for blocking
        Column("family_pinyin", "name"),
        Column("family_key", "name"),
        Column("given_key", "name"),
        Column("given_pinyin", "name"),
        Column("given_kind", "name"),
        Column("email", "email"),
        Column("email_local", "email"),
        Column("email_stem", "email"),
        Column("email_name", "email"),
        Column("email_domain", "email"),
        Column("email_kind", "email"),
        Column("mobile", "mobile"),
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
                    ("name_pinyin", "name_pinyin_alt"),
                    tf_column=("family_pinyin", "given_pinyin"),
                ),
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
                Level("exact", _E, ("email",)),
                Level("local", _E, ("email_local",)),
                Level("digits_differ", _E, ("email_stem",)),
                Level("jw_high", LevelKind.JARO_WINKLER, ("email",), 0.90),
                Level("same_name", _E, ("email_name",)),
                # Two addresses at one domain: a colleague (one person has one work address).
                Level("same_domain", _E, ("email_domain",)),
                # A work and a personal address: one person often has both.
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
                Level("exact", _E, ("mobile",)),
                Level("typo", LevelKind.DAMERAU_LEVENSHTEIN, ("mobile",), 1.0),
                # Two records each with its own one-digit typo sit two edits apart: still one
                # number mistyped, not a different phone (which would be a strong conflict).
                Level("near", LevelKind.DAMERAU_LEVENSHTEIN, ("mobile",), 2.0),
                _ELSE,
            ),
            null_columns=("mobile",),
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
    ),
    blocking=(
        BlockingRule("m", ("mobile",)),
        BlockingRule("e", ("email",)),
        BlockingRule("pc", ("name_pinyin", "company"), sort_column="email"),
        BlockingRule("pt", ("name_pinyin", "city"), sort_column="company"),
        BlockingRule("pl", ("name_pinyin", "landline"), sort_column="email"),
        BlockingRule("fx", ("family_pinyin", "landline_ext")),
        # The brand survives every way of writing a company (legal form, city, in English),
        # where the company key does not: 广州盛新科技股份有限公司 / Guangzhou Shengxin ... Ltd.
        # Its name key is order-free: "Peng Lu" (given name first) and 卢鹏 share one block.
        BlockingRule("pb", ("name_block", "brand"), sort_column="email"),
    ),
    conflicts=(ConflictRule(("mobile",)), ConflictRule(("name", "email"))),
    conflict_weight=None,
)


CONTACT_PRESET: Final = Preset(CONTACT_SPEC, build_contact_table, Contact)
