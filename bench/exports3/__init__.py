"""Generator 3: labelled Chinese B2B contact exports with known duplicates.

An independent third source of test data for deduplication: written from what CRM exports,
hand-typed Excel sheets, badge lists and card scans look like, not from the engine's code.

Usage
-----
    python -m bench.exports3 --people N --seed S --layout L --out DIR [--encoding gbk]

writes DIR/contacts.csv (UTF-8 with BOM by default, as Excel saves it; ``--encoding gbk`` for a
sheet saved as ANSI on a Chinese Windows, characters GBK lacks become "?"; ``utf-8`` without BOM)
and DIR/truth.csv with ``row_id,entity_id,labels``: row_id is the sheet's first column, entity_id
the true person (P0000042), labels what was done to that record, ``;``-separated. The same seed
gives the same bytes, whatever PYTHONHASHSEED; the same seed gives the same people in every
layout. About 1.6 records per person: 150,000 records take ``--people 94000``, ~10 s of CPU.

Layouts (first column: the record id)
-------------------------------------
plain      编号 姓名 手机 邮箱 公司 城市 — typed by hand in Excel: one phone column, so an office
           line lands where the mobile goes; 1.2 % of rows have two cells swapped.
zoho       Zoho CRM Contacts export: Record Id (zcrm_ + 19 digits, growing with Created Time),
           Contact Owner, Lead Source, First Name, Last Name, Account Name, Email, Secondary
           Email, Title, Department, Phone, Mobile, Home Phone, Fax, Assistant, Asst Phone, Date
           of Birth, Mailing Street/City/State/Zip/Country, Description, Email Opt Out, Created
           By, Created Time, Modified By, Modified Time, Last Activity Time, Tag. Chinese names
           are split surname → Last Name; 30 % of reps type the whole name into Last Name.
fxiaoke    纷享销客 联系人 export: 唯一性ID (24 hex, ObjectId-like), 姓名 客户名称 性别 手机1 手机2
           电话1 邮箱 职务 部门 生日 微信 QQ 省 市 区 详细地址 负责人 负责人主属部门 创建人 创建时间
           最后修改时间 生命状态 备注. Validated phone fields: mobiles mostly bare 11 digits.
tradeshow  badge scans, bilingual headers: 序号, 姓名 Name, 公司 Company, 职位 Position,
           手机 Mobile, 电话 Tel, 邮箱 Email, 国家 Country, 省份 Province, 城市 City,
           地址 Address, 展会 Exhibition, 展位 Booth, 扫描时间 Scan Time,
           感兴趣产品 Interests, 备注 Remark. Pinyin and English names ×3, English company
           names 35 %, +86 numbers, 30 % of extra records are the same badge scanned again
           (label rescan), 5 % OCR slips.
cardscan   business cards and WeChat cards read by a scanner app: 名片ID (MP + date + sequence),
           姓名 英文名 职位 部门 公司 手机 电话 传真 邮箱 地址 网址 微信 备注 扫描时间; 22 % of
           records carry an OCR slip (0/O, 1/l, 5/S, 8/B, 己/已, 王/玉).
merged     sheets of five offices pasted together: 序号 来源 原编号 姓名 英文名 手机 座机 邮箱
           公司名称 职位 部门 省份 城市 地址 录入人 录入日期 备注. Each office keeps its habits:
           北京办事处 (dashes, 2023/5/6, Excel numbers), 上海分公司 (pinyin and English names),
           广州办事处 (traditional characters ×4, dates as Excel serials, heavy Excel damage),
           2024展会 (badge data, 2024年5月6日), 旧CRM导出 (clean, ISO times). 原编号 restarts per
           office, so it collides across offices.

The world
---------
People work for companies named like real registrations: region prefix + 字号 + trade + form
(深圳市恒信电子科技有限公司, 恒信电子科技（深圳）有限公司, 恒信（中国）有限公司, workshops 厂/商行
without a mail domain), each with a switchboard (extensions), maybe a fax and a 400/800 line, a
domain and a mailbox convention (zhangwei, wei.zhang, zhangw, zxm, david.zhang; namesakes get
zhangwei2). 6 % of companies are branches (…有限公司上海分公司, same domain, own switchboard);
3 % reuse another firm's 字号 and trade in another city. Surnames by rough frequency incl.
compound ones (欧阳, 司马, 诸葛…), one- and two-character given names (20 % one character, 3 %
reduplicated 娜娜), 28 % with an English name. Mobiles use real prefixes incl. 14x/16x/17x/19x
and are unique per person unless reissued. Personal mail: numeric QQ boxes, pinyin+year at
163/126/sina, phone@139.com, English at gmail/hotmail.

Look-alikes that are NOT duplicates (labels on the look-alike's records, share of people):
namesake 2 % (same name, half in the same city), namesake_colleague 0.4 % (same name, same
company: zhangwei2@), similar_name_colleague 0.7 % (王伟/王玮, 李娜/李娜娜 at one company),
family_shared_contact 1 % (same company, 70 % same surname with a shared generation character,
60 % one family QQ box, 30 % of records give the relative's mobile), recycled_mobile 0.5 % (an
operator reissued someone's old number), shared_mailbox (4 % of staff use info@/sales@),
assistant_contact (a boss's records give the assistant's mobile 50 % / mail 40 %; Zoho puts half
of those in Assistant / Asst Phone instead; 40 % of assistants serve two bosses). Colleagues
always share the switchboard, and common names (王伟, 李娜, 张敏) also collide by chance,
unlabelled.

Duplicates and labels
---------------------
35 % of people get 1-4 extra records (weights 55/25/13/7). Every record is labelled original
(the first of its person) or duplicate; an extra record is an exact_copy 8 % of the time, else
it is built afresh with life events: job_change 10 % (new company, 60 % in the same city, new
title and mailbox, same mobile), title_changed 7 %, mobile_changed 10 % (70 % when the number
was reissued), email_alias 4 %. Rates below are original / duplicate, times the source's
multiplier (typo, latin, trad: 1.0 unless said above).

name      pinyin (Zhang Wei, Wei Zhang, ZHANG Wei, zhangwei, Xiao Ming) or English (David Zhang,
          David alone) 3 % / 10 % ×latin; honorific (张总, 王工, 李女士) 0.8 / 3.5 %; homophone
          (张→章, 伟→玮) 0.4 / 6 %; look-alike or missing character 0.3 / 3 %; traditional
          0.6 / 3.5 %; 张伟 David / 张伟（David）5 / 12 % of people with English names;
          张 伟 / 张　伟 2.5 / 5 % (two-character names); Zoho: surname/given swapped 1.5 / 5 %,
          compound surname split after its first character 50 %.
phone     mobile missing 5 / 16 % (one-phone sheets: half get the switchboard, switchboard_only,
          or a direct line instead); landline shown 55 / 45 %; digit typo 0.3 / 3 %; second
          handset 30 % of the 12 % who have one; 400/800 line 8 %; two numbers in one cell 4 %;
          formats per source (138 1234 5678, +86 …, (0755)…, 转801, ext.801, area code dropped).
          Excel (×excel): 1.38123E+10 5 %, 13812345678.0 1 %, landline zero lost 50 % of bare
          landlines, zip 030000 → 30000.
email     missing 9 / 22 %; personal box instead of work 7 / 20 %; case 1 / 5 %; typo (qq.con,
          gmial.com, letters) 0.4 / 3 %; ＠ or 。 0.4 / 1.5 %; mailto:/Email: 1 %; two boxes in
          one cell 0.8 / 2 %; Secondary Email carries the other box 25 %.
company   missing 2 / 7 %; English name by source (2-35 %, ×1.5 for duplicates); short name
          (恒信电子, 恒信, 深圳恒信) 10 / 22 %; region prefix dropped 6 / 15 %; legal form
          rewritten (有限责任公司, 公司, 集团) 2 / 7 %; 字号 homophone 0.3 / 4 %; traditional
          0.3 / 2 %; a branch's staff under the parent's name 25 % of duplicates; ASCII brackets.
other     title missing 10 / 20 %; city missing 4 / 10 %, another form (深圳市, 广东深圳, Shenzhen)
          5 / 12 %; address missing 15 / 30 %; stray spaces 2 / 5 %; full-width ASCII 0.6 / 2 %.

A label is filed under the field it changed and kept only when that field is a column of the
layout and its cell is not blank (except the *_missing labels), so a label always names
something visible in the sheet.
"""

from bench.exports3.export import LAYOUTS, Export, Layout, generate, write

__all__ = ["LAYOUTS", "Export", "Layout", "generate", "write"]
