"""Start-up of `scc results` and `scc compare` (warm) against `python -c pass` and `scc list`,
and the time `scc results --plot` takes to write its SVG.

Run:  python bench/results_startup.py [--runs 20]

Budgets: warm at most 10x `python -c pass`, like the other local commands; the plot
within 2 s. Medians of repeated runs, side by side on one machine, on the bundled
catalog and results.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def median_ms(cmd: list[str], runs: int, env: dict[str, str]) -> float:
    subprocess.run(cmd, env=env, capture_output=True, check=True)  # warm caches and index
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, env=env, capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="scc-bench-")
    env = {**os.environ, "SCC_CACHE_DIR": str(Path(work) / "cache")}
    env.pop("SCC_DB", None)
    scc = shutil.which("scc") or "scc"
    try:
        base = median_ms([sys.executable, "-c", "pass"], args.runs, env)
        cases = {
            "scc list --year 2022": [scc, "list", "--year", "2022"],
            "scc results -b SUPERB -t ASR": [scc, "results", "-b", "SUPERB", "-t", "ASR"],
            "scc compare dphubert distilhubert fithubert": [
                scc,
                "compare",
                "dphubert",
                "distilhubert",
                "fithubert",
            ],
        }
        plot = [scc, "results", "-b", "SUPERB", "-t", "ASR", "--metric", "WER"]
        plot += ["--plot", str(Path(work) / "asr.svg")]
        print(f"python -c pass: {base:.1f} ms")
        for name, cmd in cases.items():
            ms = median_ms(cmd, args.runs, env)
            print(f"{name}: {ms:.1f} ms = {ms / base:.1f}x")
        ms = median_ms(plot, max(3, args.runs // 4), env)
        print(f"scc results --plot asr.svg: {ms:.0f} ms ({'ok' if ms <= 2000 else 'MISSED'}: 2 s)")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
