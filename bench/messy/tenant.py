"""`generate_tenant`: one seeded, messy Fxiaoke tenant and what the Zoho target holds already.

Everything comes from one `random.Random(seed)` drawn in a fixed order over tuples and lists
(never sets or hash order), so a seed gives byte-identical files in any process. Times are
Beijing time (UTC+08:00) ms epochs as Fxiaoke stores them, between 2016 and mid-2025, and
never depend on the clock of the machine that generates them.
"""

from __future__ import annotations

import copy
import gc
import hashlib
import json
import random
import unicodedata
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from itertools import accumulate
from pathlib import Path
from typing import Any

import opencc

from bench.messy import pools
from bench.messy.operators import (
    ACCOUNT,
    CONTACT,
    FOLLOWUP,
    ZOHO_ACCOUNTS,
    ZOHO_CONTACTS,
    operators_for,
    quota,
)

__all__ = [
    "ADMIN_USER",
    "SALES_USER",
    "Delete",
    "Edit",
    "Tenant",
    "generate_tenant",
    "tag_token",
    "write_tenant",
]

BJ = timezone(timedelta(hours=8))


def _bj_ms(*parts: int) -> int:
    return int(datetime(*parts, tzinfo=BJ).timestamp()) * 1000  # type: ignore[misc]


START_MS = _bj_ms(2016, 1, 4)
END_MS = _bj_ms(2025, 5, 30)
NOW_MS = _bj_ms(2025, 6, 30, 18)
MINUTE_MS = 60_000
HOUR_MS = 3_600_000
DAY_MS = 86_400_000

# The Fxiaoke sandbox's two users (connectors/fxiaoke/sandbox/config.py, SandboxCredentials).
ADMIN_USER = "FSUID_FFEEDDCCBBAA99887766554433221100"
SALES_USER = "FSUID_0123456789ABCDEF0123456789ABCDEF"

# Option values once offered and later deleted from the picklist: records keep them, the
# describe no longer lists them. Short codes are system-style, 9-character ones the codes
# Fxiaoke gives tenant-added options.
GONE_ACCOUNT_LEVELS = ("4", "m3Xq9LpZ2")  # 战略客户, 流失客户
GONE_INDUSTRIES = ("6", "7", "Hw8kP2xQa")  # 教育, 政府/公共事业, 物流
GONE_RECORD_TYPES = ("5", "qT4nV7cRe")  # 上门演示, 展会交流

TS_YEAR_10000 = 253_402_300_800_000
TS_NEGATIVE = (-28_800_000, -2_209_017_600_000, -2_209_190_400_000)

_FULLWIDTH = str.maketrans("0123456789@-", "０１２３４５６７８９＠－")
_FULLWIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")
_TEXT_FIELD = {ACCOUNT: "remark", CONTACT: "remark", FOLLOWUP: "active_record_content"}
_EMAIL_PATTERNS = (
    ("{g}.{s}", 25),
    ("{s}{g}", 25),
    ("{s}.{g}", 15),
    ("{s}_{g}", 5),
    ("{i}{s}", 10),
    ("{s}{i}", 10),
    ("{g}{s}", 10),
)
_WXID_CHARS = "abcdefghijkmnpqrstuvwxyz0123456789"
_ZOHO_FIRST_ID = 5_725_767_000_000_300_001  # below the ids the Zoho sandbox hands out


def tag_token(record_id: str) -> str:
    """The token `tag_records=True` puts at the start of a record's free-text field."""
    return f"[src:{record_id}]"


@dataclass(frozen=True)
class Edit:
    """A change a user makes in Fxiaoke while the migration runs.

    `at` is how far into the run (0..1 of the source records read) to make it.
    """

    object: str
    id: str
    fields: dict[str, Any]
    at: float = 0.5

    def to_json(self) -> dict[str, Any]:
        return {"object": self.object, "id": self.id, "fields": self.fields, "at": self.at}


@dataclass(frozen=True)
class Delete:
    """A record invalidated and deleted in Fxiaoke while the migration runs."""

    object: str
    id: str
    at: float = 0.5

    def to_json(self) -> dict[str, Any]:
        return {"object": self.object, "id": self.id, "at": self.at}


@dataclass
class Tenant:
    seed: int
    fxiaoke_seed: dict[str, Any]
    zoho_seed: dict[str, list[dict[str, Any]]]
    labels: dict[tuple[str, str], list[str]]
    edits: list[Edit]
    deletes: list[Delete] = field(default_factory=list)
    # Ids that records point at but that are not in the tenant (deleted before the export).
    ghosts: dict[str, list[str]] = field(default_factory=dict)
    tagged: bool = False

    def records(self, obj: str) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = self.fxiaoke_seed["records"][obj]
        return rows

    def ids_with(self, obj: str, operator: str) -> list[str]:
        return [rid for (o, rid), ops in self.labels.items() if o == obj and operator in ops]

    def operator_counts(self) -> dict[str, dict[str, int]]:
        counts: dict[str, dict[str, int]] = {}
        for (obj, _), ops in self.labels.items():
            per = counts.setdefault(obj, {})
            for name in ops:
                per[name] = per.get(name, 0) + 1
        return {obj: dict(sorted(per.items())) for obj, per in counts.items()}

    def fingerprint(self) -> str:
        """A SHA-256 of everything generated: equal fingerprints, equal tenants."""
        document = {
            "fxiaoke": self.fxiaoke_seed,
            "zoho": self.zoho_seed,
            "labels": [[obj, rid, ops] for (obj, rid), ops in self.labels.items()],
            "edits": [e.to_json() for e in self.edits],
            "deletes": [d.to_json() for d in self.deletes],
            "ghosts": self.ghosts,
            "tagged": self.tagged,
        }
        text = json.dumps(document, ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def after_run(self) -> dict[str, list[dict[str, Any]]]:
        """The Fxiaoke records once every edit and delete is made (what the target should hold
        at the end of a run that picks up changes made during it)."""
        gone = {(d.object, d.id) for d in self.deletes}
        out: dict[str, list[dict[str, Any]]] = {}
        for obj, rows in self.fxiaoke_seed["records"].items():
            kept = [copy.deepcopy(r) for r in rows if (obj, r["_id"]) not in gone]
            by_id = {r["_id"]: r for r in kept}
            for edit in self.edits:
                if edit.object == obj and edit.id in by_id:
                    by_id[edit.id].update(edit.fields)
            out[obj] = kept
        return out


def generate_tenant(
    seed: int,
    accounts: int = 400,
    contacts_per_account: float = 3.0,
    followups_per_account: float = 1.0,
    *,
    tag_records: bool = False,
) -> Tenant:
    """A messy tenant: `accounts` accounts, about `contacts_per_account` contacts and
    `followups_per_account` follow-ups per account, corrupted as `bench.messy` documents."""
    if accounts < 0 or contacts_per_account < 0 or followups_per_account < 0:
        raise ValueError("sizes must not be negative")
    collecting = gc.isenabled()
    gc.disable()  # tens of thousands of new dicts: the cyclic collector only slows this down
    try:
        return _Builder(seed).build(
            accounts,
            round(accounts * contacts_per_account),
            round(accounts * followups_per_account),
            tag_records,
        )
    finally:
        if collecting:
            gc.enable()


def write_tenant(tenant: Tenant, out_dir: Path | str) -> dict[str, Path]:
    """Write fxiaoke_seed.json, zoho_seed.json, labels.json and edits.json; returns the paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    labels: dict[str, dict[str, list[str]]] = {}
    for (obj, rid), ops in tenant.labels.items():
        labels.setdefault(obj, {})[rid] = ops
    documents: dict[str, Any] = {
        "fxiaoke_seed.json": tenant.fxiaoke_seed,
        "zoho_seed.json": tenant.zoho_seed,
        "labels.json": {
            "seed": tenant.seed,
            "tagged": tenant.tagged,
            "sizes": {obj: len(rows) for obj, rows in tenant.fxiaoke_seed["records"].items()}
            | {obj: len(rows) for obj, rows in tenant.zoho_seed.items()},
            "operators": tenant.operator_counts(),
            "ghosts": tenant.ghosts,
            "labels": labels,
        },
        "edits.json": {
            "edits": [e.to_json() for e in tenant.edits],
            "deletes": [d.to_json() for d in tenant.deletes],
        },
    }
    paths = {}
    for name, document in documents.items():
        path = out / name
        path.write_text(_dump(document), encoding="utf-8")
        paths[name] = path
    return paths


def _dump(document: Any) -> str:
    """JSON with one record a line under each list: diffable and still quick to write."""
    if (
        isinstance(document, dict)
        and document
        and all(isinstance(v, list | dict) for v in document.values())
    ):
        parts = []
        for key, value in document.items():
            head = json.dumps(key, ensure_ascii=False)
            if isinstance(value, list):
                rows = ",\n  ".join(json.dumps(r, ensure_ascii=False) for r in value)
                parts.append(f" {head}: [\n  {rows}\n ]" if value else f" {head}: []")
            elif key == "records":
                parts.append(f" {head}: " + _dump(value).replace("\n", "\n "))
            else:
                parts.append(f" {head}: {json.dumps(value, ensure_ascii=False)}")
        return "{\n" + ",\n".join(parts) + "\n}\n"
    return json.dumps(document, ensure_ascii=False) + "\n"


# -- the builder -----------------------------------------------------------------------------


@dataclass
class _AccountMeta:
    province: str
    city: str
    district: str
    area: str
    digits: int
    city_py: str
    domain: str
    industry: str
    clean_name: str
    created: int


@dataclass
class _ContactMeta:
    account: int | None
    surname: str
    surname_py: str
    given_py: str
    clean_name: str
    created: int
    female: bool


class _Ids:
    """24-hex ids shaped like Mongo ObjectIds (Fxiaoke's `_id`): creation second, a process
    part, a counter."""

    def __init__(self, rng: random.Random) -> None:
        self._process = rng.getrandbits(40)
        self._counter = rng.getrandbits(22)

    def new(self, created_ms: int) -> str:
        self._counter += 1
        second = (created_ms // 1000) & 0xFFFFFFFF
        return f"{second:08x}{self._process:010x}{self._counter & 0xFFFFFF:06x}"


_CUMULATIVE: dict[tuple[tuple[Any, int], ...], tuple[list[Any], list[int]]] = {}


def _weighted(rng: random.Random, items: tuple[tuple[Any, int], ...]) -> Any:
    """One item, drawn by weight (cumulative weights cached per table)."""
    table = _CUMULATIVE.get(items)
    if table is None:
        table = _CUMULATIVE[items] = ([i for i, _ in items], list(accumulate(w for _, w in items)))
    values, cum = table
    return values[bisect_right(cum, rng.random() * cum[-1])]


def _insert(rng: random.Random, text: str, piece: str) -> str:
    if len(text) < 2:
        return text + piece
    at = rng.randint(1, len(text) - 1)
    return text[:at] + piece + text[at:]


def _ascii(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name.replace("ß", "ss").replace("Ł", "L"))
    return "".join(c for c in decomposed if c.isascii() and c.isalnum()).lower()


class _Builder:
    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.rng = random.Random(seed)
        self.ids = _Ids(self.rng)
        self.s2t = opencc.OpenCC("s2t")
        self.names: set[str] = set()  # membership only, never iterated
        self.emails: set[str] = set()
        self.mobiles: set[str] = set()
        self.domains: set[str] = set()
        self.cycles: dict[str, int] = {}
        self.labels: dict[tuple[str, str], list[str]] = {}
        self.ghosts: dict[str, list[str]] = {ACCOUNT: [], CONTACT: []}
        self.surname_cum = list(accumulate(w for _, _, w in pools.SURNAMES))
        city_weights = [3 if i < 6 else 1 for i in range(len(pools.CITIES))]
        self.city_cum = list(accumulate(city_weights))

    # -- entry -------------------------------------------------------------------------------

    def build(self, n_accounts: int, n_contacts: int, n_followups: int, tag: bool) -> Tenant:
        accounts, a_meta, a_ops = self._accounts(n_accounts)
        weights = [min(self.rng.paretovariate(1.3), 25.0) for _ in range(n_accounts)]
        contacts, c_meta, c_ops = self._contacts(n_contacts, accounts, a_meta, weights)
        followups, f_ops = self._followups(n_followups, accounts, a_meta, contacts, c_meta, c_ops)
        self._account_followed_times(accounts, followups)
        if tag:
            for obj, rows in ((ACCOUNT, accounts), (CONTACT, contacts), (FOLLOWUP, followups)):
                name = _TEXT_FIELD[obj]
                for row in rows:
                    text = row.get(name) or ""
                    row[name] = tag_token(row["_id"]) + (" " + text if text else "")
        edits, deletes = self._run_changes(
            (ACCOUNT, accounts, a_ops), (CONTACT, contacts, c_ops), (FOLLOWUP, followups, f_ops)
        )
        zoho = self._zoho(accounts, a_meta, a_ops, contacts, c_meta, c_ops)
        for obj, rows, ops in (
            (ACCOUNT, accounts, a_ops),
            (CONTACT, contacts, c_ops),
            (FOLLOWUP, followups, f_ops),
        ):
            for row, chosen in zip(rows, ops, strict=True):
                self.labels[(obj, row["_id"])] = list(chosen.values())
        seed_doc = {"records": {ACCOUNT: accounts, CONTACT: contacts, FOLLOWUP: followups}}
        return Tenant(
            seed=self.seed,
            fxiaoke_seed=seed_doc,
            zoho_seed=zoho,
            labels=self.labels,
            edits=edits,
            deletes=deletes,
            ghosts=self.ghosts,
            tagged=tag,
        )

    # -- shared helpers ----------------------------------------------------------------------

    def _assign(self, obj: str, n: int) -> tuple[list[dict[str, str]], dict[str, list[int]]]:
        """Per record, slot -> operator; and per operator, its records in pick order."""
        chosen: list[dict[str, str]] = [{} for _ in range(n)]
        picks: dict[str, list[int]] = {}
        slots: dict[str, list[Any]] = {}
        for op in operators_for(obj):
            slots.setdefault(op.slot, []).append(op)
        for slot, ops in slots.items():
            wanted = min(n, sum(quota(op, n) for op in ops))
            order = self.rng.sample(range(n), wanted)
            pos = 0
            for op in ops:
                k = min(quota(op, n), wanted - pos)
                if op.pairs:
                    k -= k % 2
                taken = order[pos : pos + k]
                pos += k
                picks[op.name] = taken
                for i in taken:
                    chosen[i][slot] = op.name
        return chosen, picks

    def _cycle(self, key: str, values: Sequence[str], first: int) -> str:
        """The first `first` values in order (so each shows up), then random ones."""
        n = self.cycles.get(key, 0)
        self.cycles[key] = n + 1
        return values[n] if n < first else self.rng.choice(values)

    def _work_time(self, t: int, low: int, high: int) -> int:
        """`t` moved to a random moment of office hours on its day, kept in [low, high]."""
        day = (t + 8 * HOUR_MS) // DAY_MS
        if self.rng.random() < 0.12:  # some work happens late in the evening
            tod = self.rng.randrange(19 * HOUR_MS, 23 * HOUR_MS)
        else:
            tod = self.rng.randrange(8 * HOUR_MS + 30 * MINUTE_MS, 19 * HOUR_MS)
        return max(low, min(high, day * DAY_MS - 8 * HOUR_MS + tod))

    def _modified(self, created: int) -> int:
        if self.rng.random() < 0.35:
            return created
        span = max(NOW_MS - created, MINUTE_MS)
        return created + int(span * self.rng.random() ** 2) + self.rng.randrange(1000)

    def _owner(self) -> list[str]:
        return [SALES_USER if self.rng.random() < 0.6 else ADMIN_USER]

    def _local(self, digits: int) -> str:
        rest = digits - 1
        return f"{self.rng.randint(2, 8)}{self.rng.randrange(10**rest):0{rest}d}"

    def _mobile(self, prefixes: Sequence[str] = pools.MOBILE_PREFIXES) -> str:
        while True:
            number = self.rng.choice(prefixes) + f"{self.rng.randrange(10**8):08d}"
            if number not in self.mobiles:
                self.mobiles.add(number)
                return number

    def _landline(self, meta: _AccountMeta) -> str:
        return f"{meta.area}-{self._local(meta.digits)}"

    def _traditional(self, text: str) -> str:
        return str(self.s2t.convert(text))

    def _unique_email(self, local: str, domain: str) -> str:
        email = f"{local}@{domain}"
        n = 1
        while email in self.emails:
            n += 1
            email = f"{local}{n}@{domain}"
        self.emails.add(email)
        return email

    def _paragraph(self, head: str, at_least: int) -> str:
        text = head
        parts = list(pools.PASTED_PARAGRAPH)
        self.rng.shuffle(parts)
        i = 0
        while len(text) < at_least:
            text += parts[i % len(parts)]
            i += 1
        return text

    # -- accounts ----------------------------------------------------------------------------

    def _accounts(
        self, n: int
    ) -> tuple[list[dict[str, Any]], list[_AccountMeta], list[dict[str, str]]]:
        rng = self.rng
        span = END_MS - START_MS
        times = sorted(
            self._work_time(START_MS + int(span * rng.random() ** 0.7), START_MS, END_MS)
            for _ in range(n)
        )
        rows: list[dict[str, Any]] = []
        metas: list[_AccountMeta] = []
        heads: list[int] = []  # accounts that are not branches
        for created in times:
            row, meta = self._account(created, rows, metas, heads)
            rows.append(row)
            metas.append(meta)
        ops, picks = self._assign(ACCOUNT, n)
        for i, (row, meta) in enumerate(zip(rows, metas, strict=True)):
            for name in ops[i].values():
                self._account_op(name, row, meta)
        pairs = picks.get("duplicate_account_name", [])
        for a, b in zip(pairs[::2], pairs[1::2], strict=True):
            rows[b]["name"] = rows[a]["name"]
        return rows, metas, ops

    def _account(
        self,
        created: int,
        rows: list[dict[str, Any]],
        metas: list[_AccountMeta],
        heads: list[int],
    ) -> tuple[dict[str, Any], _AccountMeta]:
        rng = self.rng
        city = pools.CITIES[bisect_right(self.city_cum, rng.random() * self.city_cum[-1])]
        province, city_name, districts, area, digits, city_py = city
        district = rng.choice(districts)
        parent: int | None = None
        name = ""
        if len(heads) >= 5 and rng.random() < 0.02:
            parent = rng.choice(heads)
            name = metas[parent].clean_name + city_name.removesuffix("市") + "分公司"
            if name in self.names:
                parent, name = None, ""
        if parent is not None:
            industry, domain = metas[parent].industry, metas[parent].domain
        else:
            industry = _weighted(rng, (("1", 30), ("2", 25), ("3", 10), ("4", 20), ("5", 15)))
            name, brand_py = self._company_name(city_name, industry)
            domain = self._domain(brand_py, city_py)
        self.names.add(name)
        meta = _AccountMeta(
            province, city_name, district, area, digits, city_py, domain, industry, name, created
        )
        local = self._local(digits)
        style = rng.random()
        if style < 0.8:
            tel = f"{area}-{local}"
        elif style < 0.9:
            tel = area + local
        elif style < 0.95:
            tel = f"{area} {local[:4]} {local[4:]}"
        else:
            tel = f"({area}){local}"
        row: dict[str, Any] = {"_id": self.ids.new(created), "name": name}
        if rng.random() < 0.5:
            year = datetime.fromtimestamp(created / 1000, BJ).year
            row["account_no"] = f"KH{year}{len(rows) + 1:05d}"
        if rng.random() < 0.9:
            row["account_level"] = _weighted(rng, (("1", 20), ("2", 45), ("3", 35)))
        if rng.random() < 0.95:
            row["account_type"] = _weighted(rng, (("1", 60), ("2", 20), ("3", 12), ("other", 8)))
        if rng.random() < 0.8:
            row["account_source"] = _weighted(
                rng, (("1", 25), ("2", 20), ("3", 25), ("4", 25), ("other", 5))
            )
        row["deal_status"] = _weighted(rng, (("1", 45), ("2", 40), ("3", 15)))
        row["industry_level1"] = industry
        row["tel"] = tel
        if rng.random() < 0.25:
            row["email"] = f"{rng.choice(('info', 'sales', 'service', 'hr', 'admin'))}@{domain}"
        if rng.random() < 0.7:
            row["url"] = rng.choice(("https://www.", "http://www.", "www.", "https://")) + domain
        row["country"] = "中国"
        row["province"] = province
        row["city"] = city_name
        row["district"] = district
        building = rng.choice(pools.BUILDINGS) if rng.random() < 0.5 else ""
        room = f"{rng.randint(1, 28)}{rng.randint(1, 20):02d}室" if building else ""
        row["address"] = (
            f"{city_name}{district}{rng.choice(pools.ROADS)}{rng.randint(1, 999)}号{building}{room}"
        )
        if rng.random() < 0.6:
            row["uniform_social_credit_code"] = self._credit_code()
        if parent is not None:
            row["parent_account_id"] = rows[parent]["_id"]
        if rng.random() < 0.4:
            row["remark"] = rng.choice(pools.ACCOUNT_REMARKS)
        row["owner"] = self._owner()
        row["create_time"] = created
        row["last_modified_time"] = self._modified(created)
        if parent is None:
            heads.append(len(rows))
        return row, meta

    def _company_name(self, city: str, industry: str) -> tuple[str, str]:
        rng = self.rng
        for attempt in range(50):
            brand, brand_py = rng.choice(pools.BRANDS)
            word = rng.choice(pools.INDUSTRY_WORDS[industry])
            form = _weighted(rng, pools.ORG_FORMS)
            if form == "科技有限公司" and ("科技" in word or industry in ("3", "4")):
                form = "有限公司"
            place = rng.random()
            prefix = city if place < 0.6 else (city.removesuffix("市") if place < 0.85 else "")
            name = f"{prefix}{brand}{word}{form}"
            if attempt > 30:
                name = f"{prefix}{brand}{rng.choice(pools.BRANDS)[0]}{word}{form}"
            if name not in self.names:
                return name, brand_py
        raise RuntimeError("ran out of company names")  # pragma: no cover - 300k+ combinations

    def _domain(self, brand_py: str, city_py: str) -> str:
        rng = self.rng
        suffix = _weighted(rng, pools.DOMAIN_SUFFIXES)
        for candidate in (
            brand_py + suffix,
            f"{city_py}{brand_py}{suffix}",
            f"{brand_py}-{city_py}{suffix}",
        ):
            if candidate not in self.domains:
                self.domains.add(candidate)
                return candidate
        while True:
            candidate = f"{brand_py}{rng.randint(1, 9999)}{suffix}"
            if candidate not in self.domains:
                self.domains.add(candidate)
                return candidate

    def _credit_code(self) -> str:
        alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
        area = f"{self.rng.randint(110000, 659000):06d}"
        return "91" + area + "".join(self.rng.choices(alphabet, k=10))

    def _ext_forms(self, area: str, local: str) -> list[str]:
        ext = str(self.rng.choice((self.rng.randint(800, 899), self.rng.randint(10, 99))))
        bare = area.lstrip("0")
        return [
            f"{area}-{local}-{ext}",
            f"{area}-{local}转{ext}",
            f"({area}){local} ext. {ext}",
            f"+86 (0){bare} {local[:4]} {local[4:]}",
            f"0086 {bare} {local}",
            f"{area}-{local} 分机{ext}",
            f"{area}-{local}#{ext}",
            f"{area}{local},{ext}",
        ]

    def _account_op(self, name: str, row: dict[str, Any], meta: _AccountMeta) -> None:
        rng = self.rng
        if name == "junk_switchboard":
            row["tel"] = self._cycle("tel-junk", pools.JUNK_PHONES, 7)
        elif name == "phone_extension":
            forms = self._ext_forms(meta.area, self._local(meta.digits))
            row["tel"] = self._cycle("tel-ext", forms, 5)
        elif name == "mobile_in_tel":
            row["tel"] = self._mobile()
        elif name == "hotline_400":
            kind = rng.random()
            digits = f"{rng.randrange(10**7):07d}"
            if kind < 0.6:
                row["tel"] = f"400-{digits[:3]}-{digits[3:]}"
            elif kind < 0.85:
                row["tel"] = f"400{digits[0]}-{digits[1:4]}-{digits[4:]}"
            else:
                row["tel"] = f"800-{digits[:3]}-{digits[3:]}"
        elif name == "fullwidth_digits":
            table = _FULLWIDTH if rng.random() < 0.5 else _FULLWIDTH_DIGITS
            row["tel"] = self._landline(meta).translate(table)
        elif name == "multiple_numbers":
            first = self._landline(meta)
            if rng.random() < 0.5:
                row["tel"] = f"{first} / {self._landline(meta)}"
            else:
                row["tel"] = f"{first}，{self._mobile()}"
        elif name == "traditional_chinese":
            row["name"] = self._traditional(row["name"])
            row["address"] = self._traditional(row["address"])
            if row["name"] == meta.clean_name:  # nothing to convert: a Taiwan branch then
                row["name"] = "臺灣" + row["name"]
        elif name == "emoji_name":
            emoji = rng.choice(pools.EMOJI)
            row["name"] = emoji + row["name"] if rng.random() < 0.5 else row["name"] + emoji
        elif name == "zero_width_name":
            char = rng.choice(pools.ZERO_WIDTH)
            row["name"] = (
                char + row["name"] if char == "\ufeff" else _insert(rng, row["name"], char)
            )
        elif name == "control_chars_name":
            row["name"] = _insert(rng, row["name"], rng.choice(pools.CONTROL_CHARS))
        elif name == "overlong_name":
            row["name"] = self._paragraph(row["name"], rng.randint(210, 420))
        elif name == "multiline_remark":
            row["remark"] = rng.choice(pools.MULTILINE_REMARKS)
        elif name == "emoji_remark":
            row["remark"] = (row.get("remark") or rng.choice(pools.ACCOUNT_REMARKS)) + rng.choice(
                pools.EMOJI
            )
        elif name == "control_chars_remark":
            text = row.get("remark") or rng.choice(pools.ACCOUNT_REMARKS)
            row["remark"] = _insert(rng, text, rng.choice(pools.CONTROL_CHARS))
        elif name == "unknown_picklist":
            if rng.random() < 0.5:
                row["account_level"] = rng.choice(GONE_ACCOUNT_LEVELS)
            else:
                row["industry_level1"] = rng.choice(GONE_INDUSTRIES)
        elif name.startswith("timestamp_"):
            row["create_time"] = self._bad_time(name, row["create_time"])
        # duplicate_account_name, name_in_target and edited_during_run act elsewhere

    def _bad_time(self, name: str, good: int) -> int:
        if name == "timestamp_year_10000":
            return TS_YEAR_10000
        if name == "timestamp_negative":
            return int(self._cycle("ts-negative", [str(t) for t in TS_NEGATIVE], 3))
        if name == "timestamp_zero":
            return 0
        return good // 1000  # timestamp_seconds

    # -- contacts ----------------------------------------------------------------------------

    def _contacts(
        self,
        n: int,
        accounts: list[dict[str, Any]],
        a_meta: list[_AccountMeta],
        weights: list[float],
    ) -> tuple[list[dict[str, Any]], list[_ContactMeta], list[dict[str, str]]]:
        rng = self.rng
        if not accounts:
            owners: list[int | None] = [None] * n
        else:
            cum = list(accumulate(weights))
            owners = list(rng.choices(range(len(accounts)), cum_weights=cum, k=n))
        plans = []
        for a in owners:
            low = a_meta[a].created + MINUTE_MS if a is not None else START_MS
            high = max(NOW_MS - DAY_MS, low)
            t = low + int((high - low) * rng.random() ** 2.5)
            plans.append((self._work_time(t, low, high), a))
        plans.sort(key=lambda p: p[0])
        rows: list[dict[str, Any]] = []
        metas: list[_ContactMeta] = []
        for created, a in plans:
            row, meta = self._contact(created, a, accounts, a_meta)
            rows.append(row)
            metas.append(meta)
        ops, picks = self._assign(CONTACT, n)
        for i, (row, meta) in enumerate(zip(rows, metas, strict=True)):
            for name in ops[i].values():
                self._contact_op(name, row, meta, a_meta)
        pairs = picks.get("shared_email", [])
        for a, b in zip(pairs[::2], pairs[1::2], strict=True):
            rows[b]["email"] = rows[a]["email"]
        for i in picks.get("email_in_target", []):
            if not rows[i].get("email"):
                rows[i]["email"] = self._unique_email(self._email_local(metas[i]), "163.com")
        return rows, metas, ops

    def _person(self) -> tuple[str, str, str, str, bool]:
        """surname, given name, their pinyin, mostly-female."""
        rng = self.rng
        surname, surname_py, _ = pools.SURNAMES[
            bisect_right(self.surname_cum, rng.random() * self.surname_cum[-1])
        ]
        count = 2 if rng.random() < 0.7 else 1
        chars = [rng.choice(pools.GIVEN_CHARS) for _ in range(count)]
        given = "".join(c for c, _, _ in chars)
        given_py = "".join(p for _, p, _ in chars)
        female = any(f for _, _, f in chars)
        return surname, given, surname_py, given_py, female

    def _email_local(self, meta: _ContactMeta) -> str:
        pattern = _weighted(self.rng, _EMAIL_PATTERNS)
        g = meta.given_py
        return str(pattern.format(s=meta.surname_py, g=g, i=g[0]))

    def _contact(
        self,
        created: int,
        a: int | None,
        accounts: list[dict[str, Any]],
        a_meta: list[_AccountMeta],
    ) -> tuple[dict[str, Any], _ContactMeta]:
        rng = self.rng
        surname, given, surname_py, given_py, female = self._person()
        name = surname + given
        meta = _ContactMeta(a, surname, surname_py, given_py, name, created, female)
        row: dict[str, Any] = {"_id": self.ids.new(created), "name": name}
        if a is not None:
            row["account_id"] = accounts[a]["_id"]
        department, titles = rng.choice(pools.DEPARTMENTS)
        if rng.random() < 0.85:
            row["job_title"] = rng.choice(titles)
        if rng.random() < 0.7:
            row["department"] = department
        if rng.random() < 0.85:
            row["gender"] = "2" if female else "1"
        if rng.random() < 0.9:
            row["mobile1"] = self._mobile()
        if rng.random() < 0.05:
            row["mobile2"] = self._mobile()
        if a is not None and rng.random() < 0.4:
            row["tel1"] = self._landline(a_meta[a])
        style = rng.random()
        if a is not None and style < 0.6:
            row["email"] = self._unique_email(self._email_local(meta), a_meta[a].domain)
        elif style < 0.88:
            mail = _weighted(rng, pools.PUBLIC_MAIL)
            if mail == "qq.com" and rng.random() < 0.7:
                local = str(rng.randint(10_000, 3_999_999_999))
            else:
                local = self._email_local(meta) + str(rng.choice(("", rng.randint(60, 99))))
            row["email"] = self._unique_email(local, mail)
        if rng.random() < 0.25:
            kind = rng.random()
            if kind < 0.4:
                row["wechat"] = "wxid_" + "".join(rng.choices(_WXID_CHARS, k=14))
            elif kind < 0.7 and row.get("mobile1"):
                row["wechat"] = row["mobile1"]
            else:
                row["wechat"] = f"{surname_py}{given_py}{rng.randint(1, 9999)}"
        if rng.random() < 0.15:
            day = rng.randrange((_bj_ms(2001, 1, 1) - _bj_ms(1970, 1, 2)) // DAY_MS)
            row["birthday"] = _bj_ms(1970, 1, 2) + day * DAY_MS
        if rng.random() < 0.2:
            row["primary_contact"] = True
        if rng.random() < 0.3:
            row["remark"] = rng.choice(pools.CONTACT_REMARKS)
        owner = accounts[a]["owner"] if a is not None and rng.random() < 0.85 else self._owner()
        row["owner"] = list(owner)
        row["create_time"] = created
        row["last_modified_time"] = self._modified(created)
        return row, meta

    def _contact_op(
        self, name: str, row: dict[str, Any], meta: _ContactMeta, a_meta: list[_AccountMeta]
    ) -> None:
        rng = self.rng
        home = a_meta[meta.account] if meta.account is not None else None
        if name == "junk_mobile":
            row["mobile1"] = self._cycle("mobile-junk", pools.JUNK_PHONES, 7)
        elif name == "unassigned_prefix":
            row["mobile1"] = self._mobile(pools.UNASSIGNED_PREFIXES)
        elif name == "landline_in_mobile":
            row["mobile1"] = self._some_landline(home)
        elif name == "mobile_formatting":
            m = row.get("mobile1") or self._mobile()
            row["mobile1"] = rng.choice(
                (
                    f"+86 {m[:3]} {m[3:7]} {m[7:]}",
                    f"{m[:3]}-{m[3:7]}-{m[7:]}",
                    f"{m[:3]} {m[3:7]} {m[7:]}",
                    f"+86{m}",
                    f"86-{m}",
                    f"(+86){m}",
                )
            )
        elif name == "fullwidth_digits":
            row["mobile1"] = (row.get("mobile1") or self._mobile()).translate(_FULLWIDTH_DIGITS)
        elif name == "multiple_numbers":
            first = row.get("mobile1") or self._mobile()
            row["mobile1"] = first + rng.choice(("/", "，", " ", "、")) + self._mobile()
        elif name == "phone_extension":
            area, digits = (home.area, home.digits) if home else _fallback_area(rng)
            forms = self._ext_forms(area, self._local(digits))
            row["tel1"] = self._cycle("tel1-ext", forms, 5)
        elif name == "mobile_in_tel":
            mobile = row.get("mobile1")
            own = mobile in self.mobiles  # a clean mobile1, typed into both fields
            row["tel1"] = mobile if own and rng.random() < 0.5 else self._mobile()
        elif name in {"email_upper", "fullwidth_email", "email_with_spaces", "email_two_at"}:
            email = row.get("email") or self._unique_email(self._email_local(meta), "163.com")
            row["email"] = self._dirty_email(name, email, meta)
        elif name in {"shared_email", "email_in_target"} and not row.get("email"):
            row["email"] = self._unique_email(self._email_local(meta), "126.com")
        elif name == "traditional_chinese":
            self._traditional_contact(row, meta)
        elif name == "surname_title_name":
            if rng.random() < 0.8:
                row["name"] = meta.surname + rng.choice(pools.ADDRESS_FORMS)
            else:
                row["name"] = rng.choice(pools.NICKNAME_PREFIXES) + meta.surname
        elif name == "latin_single_name":
            row["name"] = self._cycle("latin", pools.LATIN_NAMES, 2)
            if row.get("email") in self.emails and rng.random() < 0.5:  # a clean one
                domain = row["email"].split("@", 1)[1]
                row["email"] = self._unique_email(_ascii(row["name"]), domain)
        elif name == "emoji_name":
            row["name"] += rng.choice(pools.EMOJI)
        elif name == "zero_width_name":
            char = rng.choice(pools.ZERO_WIDTH)
            row["name"] = (
                char + row["name"] if char == "\ufeff" else _insert(rng, row["name"], char)
            )
        elif name == "control_chars_name":
            char = rng.choice(pools.CONTROL_CHARS)
            row["name"] = (
                row["name"] + char if rng.random() < 0.5 else _insert(rng, row["name"], char)
            )
        elif name == "overlong_name":
            head = f"{row['name']} {row.get('job_title', '采购经理')}，"
            row["name"] = self._paragraph(head, rng.randint(200, 320))
        elif name == "multiline_remark":
            row["remark"] = rng.choice(pools.MULTILINE_REMARKS)
        elif name == "emoji_remark":
            row["remark"] = (row.get("remark") or rng.choice(pools.CONTACT_REMARKS)) + rng.choice(
                pools.EMOJI
            )
        elif name == "control_chars_remark":
            text = row.get("remark") or rng.choice(pools.CONTACT_REMARKS)
            row["remark"] = _insert(rng, text, rng.choice(pools.CONTROL_CHARS))
        elif name == "no_account":
            if rng.random() < 0.7:
                row.pop("account_id", None)
            else:
                row["account_id"] = ""
        elif name == "dangling_account":
            row["account_id"] = self._ghost(ACCOUNT, meta.created)
        elif name.startswith("timestamp_"):
            row["create_time"] = self._bad_time(name, row["create_time"])
        elif name == "birthday_before_1970":
            day = rng.randrange((_bj_ms(1970, 1, 1) - _bj_ms(1950, 1, 1)) // DAY_MS)
            row["birthday"] = _bj_ms(1950, 1, 1) + day * DAY_MS

    def _some_landline(self, home: _AccountMeta | None) -> str:
        if home is not None:
            return self._landline(home)
        area, digits = _fallback_area(self.rng)
        return f"{area}-{self._local(digits)}"

    def _dirty_email(self, name: str, email: str, meta: _ContactMeta) -> str:
        rng = self.rng
        local, domain = email.split("@", 1)
        if name == "email_upper":
            if rng.random() < 0.5:
                return email.upper()
            return (
                ".".join(p[:1].upper() + p[1:] for p in local.split("."))
                + "@"
                + (domain[:1].upper() + domain[1:])
            )
        if name == "fullwidth_email":
            if not any(c.isdigit() for c in local):
                local += str(rng.randint(1, 99))
            if rng.random() < 0.3:  # only the at sign
                return f"{local}＠{domain}"
            return f"{local.translate(_FULLWIDTH_DIGITS)}＠{domain}"
        if name == "email_with_spaces":
            return rng.choice(
                (
                    f" {email} ",
                    f"{email} ",
                    f"{meta.surname_py} {meta.given_py}@{domain}",
                    f"{local}@ {domain}",
                    f"{local} @{domain}",
                )
            )
        # email_two_at
        return rng.choice(
            (f"{local}@@{domain}", f"{meta.given_py}@{meta.surname_py}@{domain}", f"{email}@")
        )

    def _traditional_contact(self, row: dict[str, Any], meta: _ContactMeta) -> None:
        converted = self._traditional(row["name"])
        for _ in range(20):
            if converted != row["name"]:
                break
            surname, given, *_ = self._person()
            row["name"] = surname + given
            converted = self._traditional(row["name"])
        row["name"] = converted
        for key in ("job_title", "department", "remark"):
            if row.get(key):
                row[key] = self._traditional(row[key])

    def _ghost(self, obj: str, before: int) -> str:
        """The id of a record deleted before the export, created before `before`."""
        pool = self.ghosts[obj]
        if pool and self.rng.random() < 0.3:
            return self.rng.choice(pool)
        created = START_MS + int((max(before, START_MS + DAY_MS) - START_MS) * self.rng.random())
        ghost = self.ids.new(created)
        pool.append(ghost)
        return ghost

    # -- follow-ups --------------------------------------------------------------------------

    def _followups(
        self,
        n: int,
        accounts: list[dict[str, Any]],
        a_meta: list[_AccountMeta],
        contacts: list[dict[str, Any]],
        c_meta: list[_ContactMeta],
        c_ops: list[dict[str, str]],
    ) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
        rng = self.rng
        if not accounts:
            return [], []
        ops, _ = self._assign(FOLLOWUP, n)
        linkable: dict[int, list[int]] = {}
        for i, meta in enumerate(c_meta):
            if meta.account is not None and not {"account", "run"} & c_ops[i].keys():
                linkable.setdefault(meta.account, []).append(i)
        with_contacts = sorted(linkable)
        plans = []
        for chosen in ops:
            link = chosen.get("link")
            contact: int | None = None
            if link is None and with_contacts:
                a = rng.choice(with_contacts)
                contact = rng.choice(linkable[a])
            else:
                a = rng.randrange(len(accounts))
                if link is None:  # no contact anywhere to link to
                    chosen["link"] = "no_contact"
            low = a_meta[a].created
            if contact is not None:
                low = max(low, c_meta[contact].created)
            t = low + int((NOW_MS - low) * rng.random() ** 0.8)
            follow = self._work_time(t, low, NOW_MS - HOUR_MS)
            plans.append((follow, a, contact, chosen))
        plans.sort(key=lambda p: p[0])
        rows = []
        ordered_ops = []
        for follow, a, contact, chosen in plans:
            logged = min(follow + int(2 * DAY_MS * rng.random() ** 3), NOW_MS)
            row: dict[str, Any] = {"_id": self.ids.new(logged)}
            row["active_record_type"] = _weighted(
                rng, (("1", 40), ("2", 25), ("3", 10), ("4", 20), ("other", 5))
            )
            text = rng.choice(pools.FOLLOWUP_TEXTS) + rng.choice(pools.FOLLOWUP_TAILS)
            if contact is not None and rng.random() < 0.5:
                text += f"（{c_meta[contact].clean_name}）"
            row["active_record_content"] = text
            row["account_id"] = accounts[a]["_id"]
            link = chosen.get("link")
            if contact is not None:
                row["contact_id"] = contacts[contact]["_id"]
            elif link == "deleted_contact":
                row["contact_id"] = self._ghost(CONTACT, follow)
            if "contact_id" in row:
                both = rng.random() < 0.5
                row["related_api_names"] = ["AccountObj", "ContactObj"] if both else ["ContactObj"]
            else:
                row["related_api_names"] = ["AccountObj"]
            row["follow_time"] = follow
            owner = accounts[a]["owner"] if rng.random() < 0.85 else self._owner()
            row["owner"] = list(owner)
            row["create_time"] = logged
            row["last_modified_time"] = logged if rng.random() < 0.8 else self._modified(logged)
            for name in chosen.values():
                self._followup_op(name, row)
            rows.append(row)
            ordered_ops.append(chosen)
        return rows, ordered_ops

    def _followup_op(self, name: str, row: dict[str, Any]) -> None:
        rng = self.rng
        text = row["active_record_content"]
        if name == "multiline_content":
            row["active_record_content"] = text + "\n" + rng.choice(pools.MULTILINE_REMARKS)
        elif name == "emoji_content":
            row["active_record_content"] = text + rng.choice(pools.EMOJI)
        elif name == "control_chars_content":
            row["active_record_content"] = _insert(rng, text, rng.choice(pools.CONTROL_CHARS))
        elif name == "traditional_chinese":
            row["active_record_content"] = self._traditional(text)
        elif name == "unknown_picklist":
            row["active_record_type"] = rng.choice(GONE_RECORD_TYPES)
        elif name.startswith("timestamp_"):
            row["follow_time"] = self._bad_time(name, row["follow_time"])

    def _account_followed_times(
        self, accounts: list[dict[str, Any]], followups: list[dict[str, Any]]
    ) -> None:
        latest: dict[str, int] = {}
        for row in followups:
            t = row["create_time"]  # the logging time: follow_time may be corrupt
            latest[row["account_id"]] = max(latest.get(row["account_id"], 0), t)
        for row in accounts:
            if row["_id"] in latest:
                row["last_followed_time"] = latest[row["_id"]]

    # -- changes during the run --------------------------------------------------------------

    def _run_changes(
        self, *objects: tuple[str, list[dict[str, Any]], list[dict[str, str]]]
    ) -> tuple[list[Edit], list[Delete]]:
        rng = self.rng
        edits: list[Edit] = []
        deletes: list[Delete] = []
        for obj, rows, ops in objects:
            for row, chosen in zip(rows, ops, strict=True):
                change = chosen.get("run")
                at = round(rng.uniform(0.1, 0.9), 2)
                if change == "deleted_during_run":
                    deletes.append(Delete(obj, row["_id"], at))
                elif change == "edited_during_run":
                    edits.append(Edit(obj, row["_id"], self._edit_fields(obj, row), at))
        return edits, deletes

    def _edit_fields(self, obj: str, row: dict[str, Any]) -> dict[str, Any]:
        rng = self.rng
        kind = rng.random()
        text_field = _TEXT_FIELD[obj]
        appended = "2025-07 更新：" + rng.choice(
            ("客户已回复，约下周见面", "对接人换成了采购总监", "总机号码已更换", "已寄出合同")
        )
        old_text = row.get(text_field) or ""
        new_text = old_text + ("\n" if old_text else "") + appended
        if obj == ACCOUNT:
            if kind < 0.4:
                return {"remark": new_text}
            if kind < 0.7:
                digits = 8 if rng.random() < 0.8 else 7
                return {"tel": f"0{rng.randint(10, 999)}-{self._local(digits)}"}
            level = row.get("account_level")
            return {"account_level": rng.choice([v for v in ("1", "2", "3") if v != level])}
        if obj == CONTACT:
            if kind < 0.5:
                _, titles = rng.choice(pools.DEPARTMENTS)
                choices = [t for t in titles if t != row.get("job_title")]
                return {"job_title": rng.choice(choices)}
            if kind < 0.8:
                return {"remark": new_text}
            return {"mobile1": self._mobile()}
        return {"active_record_content": new_text}

    # -- the target's records before the run -------------------------------------------------

    def _zoho(
        self,
        accounts: list[dict[str, Any]],
        a_meta: list[_AccountMeta],
        a_ops: list[dict[str, str]],
        contacts: list[dict[str, Any]],
        c_meta: list[_ContactMeta],
        c_ops: list[dict[str, str]],
    ) -> dict[str, list[dict[str, Any]]]:
        rng = self.rng
        next_id = iter(range(_ZOHO_FIRST_ID, _ZOHO_FIRST_ID + 10**6))

        def stamp() -> str:
            day = rng.randint(1, 27)
            return f"2025-06-{day:02d}T{rng.randint(9, 18):02d}:{rng.randint(0, 59):02d}:00+08:00"

        zoho_accounts: list[dict[str, Any]] = []
        by_fx_account: dict[int, dict[str, Any]] = {}
        for i, chosen in enumerate(a_ops):
            if chosen.get("name") != "name_in_target":
                continue
            row, meta = accounts[i], a_meta[i]
            record: dict[str, Any] = {
                "id": str(next(next_id)),
                "Account_Name": row["name"],
                "Phone": row["tel"],
                "Billing_City": meta.city,
                "Billing_State": meta.province,
                "Description": "迁移前在Zoho手工创建",
                "Created_Time": stamp(),
            }
            if "url" in row:
                record["Website"] = row["url"]
            zoho_accounts.append(record)
            by_fx_account[i] = record
            self.labels[(ZOHO_ACCOUNTS, record["id"])] = ["preexisting_same_name"]
        zoho_contacts: list[dict[str, Any]] = []
        for i, chosen in enumerate(c_ops):
            if chosen.get("email") != "email_in_target":
                continue
            row, meta = contacts[i], c_meta[i]
            email = row["email"]
            if rng.random() < 0.35:  # typed by hand: another case
                email = email[:1].upper() + email[1:]
            pinyin = rng.random() < 0.4
            record = {
                "id": str(next(next_id)),
                "First_Name": meta.given_py.capitalize()
                if pinyin
                else meta.clean_name[len(meta.surname) :],
                "Last_Name": meta.surname_py.capitalize() if pinyin else meta.surname,
                "Email": email,
                "Description": "展会名片，迁移前手工录入",
                "Created_Time": stamp(),
            }
            if row.get("mobile1") and rng.random() < 0.6:
                record["Mobile"] = row["mobile1"]
            if row.get("job_title"):
                record["Title"] = row["job_title"]
            target = by_fx_account.get(meta.account) if meta.account is not None else None
            if target is not None:
                record["Account_Name"] = {"name": target["Account_Name"], "id": target["id"]}
            zoho_contacts.append(record)
            self.labels[(ZOHO_CONTACTS, record["id"])] = ["preexisting_same_email"]
        # Pick one hand-made account's contact for the account too, when it has one.
        for i, target in by_fx_account.items():
            for j, meta in enumerate(c_meta):
                if meta.account == i and c_ops[j].get("email") is None and contacts[j].get("email"):
                    record = {
                        "id": str(next(next_id)),
                        "Last_Name": meta.clean_name,
                        "Email": contacts[j]["email"],
                        "Account_Name": {"name": target["Account_Name"], "id": target["id"]},
                        "Created_Time": stamp(),
                    }
                    zoho_contacts.append(record)
                    self.labels[(ZOHO_CONTACTS, record["id"])] = ["preexisting_same_email"]
                    c_ops[j]["email"] = "email_in_target"
                    break
        if contacts or accounts:
            record = {
                "id": str(next(next_id)),
                "First_Name": "测试",
                "Last_Name": "联系人",
                "Email": "test@example.com",
                "Description": "Zoho试用时建的测试数据，请勿删除",
                "Created_Time": stamp(),
            }
            zoho_contacts.append(record)
            self.labels[(ZOHO_CONTACTS, record["id"])] = ["preexisting_unrelated"]
        return {ZOHO_ACCOUNTS: zoho_accounts, ZOHO_CONTACTS: zoho_contacts}


def _fallback_area(rng: random.Random) -> tuple[str, int]:
    """An area code and local length for a contact with no account."""
    city = rng.choice(pools.CITIES)
    return city[3], city[4]
