"""Start-up benchmark: `scc list --year 2022 | cat` against `python -c pass`.

Run:  python bench/startup.py [--runs 30]

Budgets (issue: foundation): warm (catalog unchanged since the previous run) at most
10x the wall time of `python -c pass`; cold (first run after the catalog changed) at
most 20x. Each figure is the median of repeated runs, measured side by side in one
run on the same machine. The cold case runs on a copy of the bundled catalog whose
mtime is bumped before every run, so its cached index never matches.
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


def timed(cmd: list[str], env: dict[str, str], cwd: str, before=None) -> float:
    if before:
        before()
    start = time.perf_counter()
    subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, check=True)
    return time.perf_counter() - start


def median_ms(cmd: list[str], runs: int, env: dict[str, str], cwd: str, before=None) -> float:
    timed(cmd, env, cwd, before)  # warm the OS file cache (and scc's index)
    return statistics.median(timed(cmd, env, cwd, before) for _ in range(runs)) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()

    from speechcompress.locate import bundled_catalog

    work = tempfile.mkdtemp(prefix="scc-bench-")
    env = {**os.environ, "SCC_CACHE_DIR": str(Path(work) / "cache")}
    env.pop("SCC_DB", None)
    copy = Path(work) / "papers.toml"
    shutil.copy(bundled_catalog(), copy)

    def touch() -> None:
        stamp = time.time_ns()
        os.utime(copy, ns=(stamp, stamp))

    # pip byte-compiles an installed package; a checkout may not be (PYTHONDONTWRITEBYTECODE),
    # and compiling scc's sources on every run is not what a user's start-up costs.
    import compileall

    import speechcompress

    compileall.compile_dir(Path(speechcompress.__file__).parent, quiet=1)
    scc = [sys.executable, "-m", "speechcompress"]
    rows = [
        ("python -c pass", [sys.executable, "-c", "pass"], None, None),
        ("scc list --year 2022 (warm)", [*scc, "list", "--year", "2022"], None, 10),
        (
            "scc list --year 2022 (cold)",
            [*scc, "list", "--year", "2022", "--db", str(copy)],
            touch,
            20,
        ),
        ("scc --help", [*scc, "--help"], None, None),
    ]
    base = None
    print(f"{'command':32} {'median ms':>10} {'x pass':>8} {'budget':>8}")
    for name, cmd, before, budget in rows:
        ms = median_ms(cmd, args.runs, env, work, before)
        base = base or ms
        ratio = ms / base
        verdict = "" if budget is None else f"{budget:>6}x {'ok' if ratio <= budget else 'OVER'}"
        print(f"{name:32} {ms:10.1f} {ratio:8.2f} {verdict}")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
