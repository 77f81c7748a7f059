"""Benchmark: wall time of `crmbridge run` of the default job, no Prefect server configured.

Target (issue #2): <= 3 s. Runs the real console script in a copy of the repository's
flows.yaml, samples and mappings, five times, and prints each time and the median.

    ./dev bench cli_run
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RUNS = 5


def main() -> None:
    crmbridge = Path(sys.executable).with_name("crmbridge")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    with tempfile.TemporaryDirectory(prefix="crmbridge-cli-") as tmp:
        work = Path(tmp)
        shutil.copy(REPO / "flows.yaml", work / "flows.yaml")
        shutil.copytree(REPO / "flows" / "samples", work / "flows" / "samples")
        shutil.copytree(REPO / "mapping" / "files", work / "mapping" / "files")
        times = []
        for attempt in range(1, RUNS + 1):
            started = time.perf_counter()
            result = subprocess.run(
                [str(crmbridge), "run"], cwd=work, env=env, capture_output=True, check=False
            )
            seconds = time.perf_counter() - started
            times.append(seconds)
            print(f"run {attempt}: {seconds:.2f} s (exit code {result.returncode})")
        print(f"median wall time {statistics.median(times):.2f} s   (target <= 3 s)")
        print("the first run creates the state store; later runs find it at its current version")


if __name__ == "__main__":
    main()
