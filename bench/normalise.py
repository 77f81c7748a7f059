"""Benchmark: CSV -> canonical -> CSV for a generated file (default 1,000,000 rows).

Prints rows/s and peak RSS. Targets (issue #2): <= 60 s and <= 400 MB peak RSS on 2 cores.

    ./dev bench normalise              # 1,000,000 rows
    ./dev bench normalise --rows 100000
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from flows.config import load_config  # noqa: E402
from flows.runner import run_job  # noqa: E402

FAMILY = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤欧阳司马"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红建文辉力斌宇浩凯鹏婷雪琳晨欣怡"
LATIN = ["James", "Mary", "John", "Linda", "Robert", "Emma", "Olivia", "Noah", "Liam", "Sophia"]
SURNAMES = ["Smith", "Johnson", "Brown", "Garcia", "Miller", "Davis", "Wilson", "Martin"]
COMPANIES = ["深圳市{}科技有限公司", "{}（北京）网络技术有限公司", "上海{}贸易有限公司",
             "{} Co., Ltd.", "{} Inc.", "杭州{}集团"]  # fmt: skip
WORDS = ["华信", "远航", "星辰", "蓝海", "Acme", "Globex", "Initech", "鼎新", "恒通", "Umbrella"]
CITIES = [
    ("广东省", "深圳"),
    ("北京市", "北京"),
    ("上海市", "上海"),
    ("浙江省", "杭州"),
    ("四川省", "成都"),
]
# Assigned mobile prefixes and real area codes: dirty rows are made on purpose, not by chance.
MOBILE_PREFIXES = [
    "130",
    "131",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "158",
    "159",
    "166",
    "177",
    "180",
    "182",
    "186",
    "187",
    "188",
    "189",
    "198",
    "199",
]
AREA_CODES = ["010", "021", "020", "0755", "0571", "028", "025", "027", "023", "0512"]
TIERS = ["普通", "VIP", "战略", "standard", "vip", ""]
STAGES = ["潜在", "目标", "忠诚", "流失", "prospect", ""]
HEADER = ["id", "name", "mobile", "phone", "email", "company", "title", "province", "city",
          "tier", "stage", "created_at", "notes"]  # fmt: skip


def _landline(rng: random.Random) -> str:
    area = rng.choice(AREA_CODES)
    digits = 8  # these cities all have 8-digit local numbers
    number = f"{rng.randint(2, 8)}{rng.randrange(10 ** (digits - 1)):0{digits - 1}d}"
    return (
        f"({area}) {number}" if rng.random() < 0.9 else f"{area}-{number} 转{rng.randint(1, 999)}"
    )


def _mobile(rng: random.Random) -> str:
    digits = f"{rng.choice(MOBILE_PREFIXES)}{rng.randrange(10**8):08d}"
    style = rng.randrange(5)
    if style == 0:
        return f"+86 {digits[:3]}-{digits[3:7]}-{digits[7:]}"
    if style == 1:
        return f"0086 {digits}"
    if style == 2:
        return f"{digits[:3]} {digits[3:7]} {digits[7:]}"
    if style == 3 and rng.random() < 0.1:
        return digits[:7]  # a dirty, too-short number
    return digits


def generate(path: Path, rows: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for i in range(rows):
            if rng.random() < 0.7:
                name = rng.choice(FAMILY) + "".join(rng.choices(GIVEN, k=rng.randint(1, 2)))
                local = f"user{i}"
            else:
                first, last = rng.choice(LATIN), rng.choice(SURNAMES)
                name = f"{first} {last}"
                local = f"{first}.{last}{i}".lower()
            province, city = rng.choice(CITIES)
            email = f"{local}@example.com" if rng.random() > 0.02 else f"{local}@"
            phone = _landline(rng) if rng.random() < 0.3 else ""
            writer.writerow([
                f"C{i:07d}", name, _mobile(rng), phone, email,
                rng.choice(COMPANIES).format(rng.choice(WORDS)), "经理", province, city,
                rng.choice(TIERS), rng.choice(STAGES),
                f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} 10:00", "",
            ])  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, default=None, help="default: one per core")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="crmbridge-bench-") as tmp:
        work = Path(tmp)
        data = work / "customers.csv"
        started = time.perf_counter()
        generate(data, args.rows)
        print(f"generated {args.rows:,} rows ({data.stat().st_size / 2**20:.0f} MiB) "
              f"in {time.perf_counter() - started:.1f}s")  # fmt: skip
        mapping = REPO / "mapping" / "files" / "csv_contacts.yaml"
        (work / "flows.yaml").write_text(
            "version: 1\njobs:\n  - name: bench\n    kind: normalise\n    sources:\n"
            f"      - {{system: csv, object: contacts, path: customers.csv, mapping: {mapping}}}\n"
            "    targets:\n      - {system: csv, object: contacts, path: out/contacts.csv}\n"
            f"    options: {{dedupe_exact: false, workers: {args.workers or 'null'}}}\n",
            encoding="utf-8",
        )
        config = load_config(work / "flows.yaml")
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        cpu_self = resource.getrusage(resource.RUSAGE_SELF).ru_utime
        started = time.perf_counter()
        report = run_job(config, config.job("bench"))
        seconds = time.perf_counter() - started
        cpu_self = resource.getrusage(resource.RUSAGE_SELF).ru_utime - cpu_self
        cpu_workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime
        usage_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        usage_children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        counts = report.counts
        print(f"rows read {counts['read']:,}  written {counts['written']:,}  "
              f"rejected {counts['rejected']:,}")  # fmt: skip
        print(f"wall time      {seconds:.1f} s   (target <= 60 s)")
        print(f"throughput     {counts['read'] / seconds:,.0f} rows/s")
        print(f"CPU            main process {cpu_self:.1f} s, worker processes {cpu_workers:.1f} s")
        print(f"peak RSS       {max(usage_self, usage_children) / 1024:.0f} MiB   "
              f"(target <= 400 MiB; before the run {rss_before / 1024:.0f} MiB)")  # fmt: skip


if __name__ == "__main__":
    main()
