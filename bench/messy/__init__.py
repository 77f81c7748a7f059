"""A seeded, messy Fxiaoke (纷享销客) tenant, to prove a Fxiaoke → Zoho migration loses nothing.

``generate_tenant(seed, accounts=400, contacts_per_account=3.0, followups_per_account=1.0,
tag_records=False)`` returns a `Tenant`: ``fxiaoke_seed`` (the Fxiaoke sandbox's
``--seed-file`` format), ``zoho_seed`` (the Zoho sandbox's ``--seed-file`` format: what a user
typed into Zoho by hand before migrating), ``labels`` ((object, id) → operator names, every
record present), ``edits`` and ``deletes`` (changes to make in Fxiaoke while a run goes on) and
``ghosts`` (ids records point at that are not in the tenant). ``write_tenant(tenant, dir)``
writes fxiaoke_seed.json, zoho_seed.json, labels.json and edits.json;
``python -m bench.messy --seed 7 --accounts 400 --out DIR [--tag-records]`` does both.

Clean records look like a Chinese B2B tenant after years of use: company names from city,
字号, trade and legal form; switchboards with the city's area code; contacts with census-
weighted surnames, titles, mobiles, corporate or QQ/163 mail; follow-ups (ActiveRecordObj)
logged after the visit. Owners are the Fxiaoke sandbox's two users. Times are Beijing ms
epochs, 2016 to mid-2025. ``tag_records=True`` starts every account/contact ``remark`` and
follow-up ``active_record_content`` with ``[src:<_id>]``.

Operators. Each takes exactly round(n × rate) records of its object (at least one; pair
operators an even number, both records labelled), picked by the seeded RNG. Operators that
write the same field share a slot and never meet on one record. Rates:

AccountObj
  junk_switchboard        10 %   tel: 8888, 见官网, 0710-1234, 无, -, 13800000000 (前台), 转人工…
  phone_extension          3 %   tel: 0755-86000000-800, …转800, (0755)86000000 ext. 12,
                                 +86 (0)755 8600 0000, 0086 755 86000000, 分机, #, comma
  mobile_in_tel            2 %   tel: 13912345678
  hotline_400              2 %   tel: 400-820-1234, 4008-123-456, 800-830-5678
  fullwidth_digits         1 %   tel: ０７５５－８６００１２３４
  multiple_numbers         1 %   tel: 0755-86001234 / 0755-86001235, or landline，mobile
  traditional_chinese      2 %   name and address in 繁体 (opencc s2t)
  emoji_name               1 %   name: 🔥华信达电子科技有限公司
  zero_width_name          1 %   name: U+200B/200C/200D/2060 inside, or a leading U+FEFF
  control_chars_name     0.5 %   name: one of \x00-\x1f (not \t \n \r) or \x7f inside
  overlong_name          0.5 %   name: 210-420 characters (a pasted paragraph)
  duplicate_account_name 0.5 %   pairs of accounts with one identical name
  name_in_target      1 or 2     a Zoho Account with the same name exists (2 from 50 accounts)
  multiline_remark         3 %   remark with \n, \r\n and \t, to survive unchanged
  emoji_remark             1 %   remark: …👍
  control_chars_remark     1 %   remark with a control character inside
  unknown_picklist         2 %   account_level 4 / m3Xq9LpZ2 or industry_level1 6 / 7 /
                                 Hw8kP2xQa: options deleted from the picklist after use
  timestamp_year_10000   0.5 %   create_time 253402300800000
  timestamp_negative     0.5 %   create_time -28800000, -2209017600000, -2209190400000
  timestamp_zero         0.5 %   create_time 0
  timestamp_seconds      0.5 %   create_time in seconds (1623816000)
  edited_during_run        1 %   Edit: remark appended, tel or account_level changed
ContactObj
  junk_mobile              2 %   mobile1: the junk values above
  unassigned_prefix        2 %   mobile1: 149, 162, 165, 167, 192, 197, 190, 196 + 8 digits
  landline_in_mobile     1.5 %   mobile1: 0755-86001234
  mobile_formatting        3 %   mobile1: +86 139 1234 5678, 139-1234-5678, (+86)13912345678
  fullwidth_digits         1 %   mobile1: １３９１２３４５６７８
  multiple_numbers         1 %   mobile1: 13912345678/13812345678
  phone_extension          3 %   tel1: the extension forms above
  mobile_in_tel          1.5 %   tel1: a mobile (half the time the contact's own mobile1)
  email_upper              2 %   email: WEI.ZHANG@HUAXINDA.COM.CN, Wei.Zhang@Huaxinda.com.cn
  fullwidth_email          1 %   email: zhangwei８８＠huaxinda.com.cn, wei.zhang1＠qq.com
  email_with_spaces        1 %   email: ' wei.zhang@x.com ', 'zhang wei@x.com', 'a@ x.com'
  email_two_at           0.5 %   email: wei.zhang@@x.com, wei@zhang@x.com, wei@x.com@
  shared_email             1 %   pairs of contacts with one email
  email_in_target   max(3, 0.5 %) a Zoho Contact with this email (sometimes another case)
                                 exists; plus one contact of each name_in_target account
  traditional_chinese      2 %   name, job_title, department, remark in 繁体: 陳偉 / 採購經理
  surname_title_name       2 %   name: 王总, 李经理, 张工, 小王
  latin_single_name      1.5 %   name: Müller, Smith, Tanaka, Nguyễn…
  emoji_name               1 %   name: 王芳🌸
  zero_width_name          1 %   name: 张\u200b伟, \ufeff李娜
  control_chars_name     0.5 %   name: 刘洋\x08
  overlong_name          0.5 %   name: 200-320 characters
  multiline_remark         3 %   remark with \n, \r\n and \t
  emoji_remark             1 %   remark: 决策人👍🏻
  control_chars_remark     1 %   remark with a control character inside
  no_account               1 %   account_id absent (70 %) or '' (30 %)
  dangling_account         1 %   account_id of an account deleted before the export
  timestamp_year_10000   0.5 %   create_time as for accounts
  timestamp_negative     0.5 %
  timestamp_zero         0.5 %
  timestamp_seconds      0.5 %
  birthday_before_1970     1 %   birthday 1950-1969: a valid negative ms epoch
  edited_during_run        1 %   Edit: job_title, remark appended, or mobile1
  deleted_during_run     0.5 %   Delete (never a contact a follow-up points at)
ActiveRecordObj
  no_contact               3 %   account_id only, related_api_names [AccountObj]
  deleted_contact          2 %   contact_id of a contact deleted before the export
  multiline_content        3 %   active_record_content with \n, \r\n and \t
  emoji_content            1 %   active_record_content: …🎉
  control_chars_content    1 %   active_record_content with a control character inside
  traditional_chinese      1 %   active_record_content in 繁体
  unknown_picklist         1 %   active_record_type 5 / qT4nV7cRe (deleted options)
  timestamp_year_10000   0.5 %   follow_time (user-entered) instead of create_time
  timestamp_negative     0.5 %
  timestamp_zero         0.5 %
  timestamp_seconds      0.5 %
  edited_during_run        1 %   Edit: active_record_content appended
  deleted_during_run     0.5 %   Delete
Zoho (zoho_seed)
  preexisting_same_name          Accounts named like a Fxiaoke account (unique in Zoho)
  preexisting_same_email         Contacts with a Fxiaoke contact's email (unique in Zoho)
  preexisting_unrelated          one test contact (test@example.com) that must survive

With every operator a few per cent, about 70 % of accounts, 65 % of contacts and 85 % of
follow-ups carry no operator at all (400 accounts; a tiny tenant is mostly dirty, since each
operator takes at least one record). Generating 10,000 accounts, 30,000 contacts and 10,000
follow-ups takes a few seconds.
"""

from bench.messy.operators import OPERATORS, Operator
from bench.messy.tenant import (
    ADMIN_USER,
    SALES_USER,
    Delete,
    Edit,
    Tenant,
    generate_tenant,
    tag_token,
    write_tenant,
)

__all__ = [
    "ADMIN_USER",
    "OPERATORS",
    "SALES_USER",
    "Delete",
    "Edit",
    "Operator",
    "Tenant",
    "generate_tenant",
    "tag_token",
    "write_tenant",
]
