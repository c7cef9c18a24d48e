"""Scale benchmark: scc on a synthetic catalog of N papers, against a bare tomli parse.

    python bench/scale.py            # 10,000 papers, 5 runs each
    python bench/scale.py --n 100000 --runs 3

Every figure is measured in this one run, side by side with its references on the same
machine: `python -c pass` and a bare `tomli.load` of the same file (each in a fresh
process, as scc runs). Medians of repeated runs; peak memory is the child's max RSS.
Targets (issue 6, 2-core machine): at 10k, warm search/list/show <= 0.3x the bare parse
and export <= 1 s, cold (first run after the file changed) <= 2.5x the bare parse; at
100k, warm search <= 0.5 s and <= 150 MB, cold <= 2.5x the parse's time and 1.5x its
peak memory.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def run(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, peak RSS in MB) of one run of ``cmd``."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(
            f"{' '.join(cmd)} failed: {proc.stderr.read().decode() if proc.stderr else ''}"
        )
    return elapsed, usage.ru_maxrss / 1024


def measure(cmd: list[str], env: dict[str, str], runs: int, before=None) -> tuple[float, float]:
    if before is None:
        run(cmd, env)  # warm: the previous run may have been another command's
    times, peaks = [], []
    for _ in range(runs):
        if before:
            before()
        t, m = run(cmd, env)
        times.append(t)
        peaks.append(m)
    return statistics.median(times), max(peaks)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="scc-scale-"))
    catalog = work / "papers.toml"
    # Generated in its own process: a child inherits its parent's peak RSS on Linux, so
    # this process stays small for the memory figures to mean something.
    generator = Path(__file__).with_name("gen_catalog.py")
    subprocess.run([sys.executable, str(generator), str(args.n), str(catalog)], check=True)
    env = {**os.environ, "SCC_CACHE_DIR": str(work / "cache")}
    # pip byte-compiles an installed package; a checkout may not be (PYTHONDONTWRITEBYTECODE),
    # and compiling scc's sources on every run is not what a user's start-up costs.
    import compileall

    import speechcompress

    compileall.compile_dir(Path(speechcompress.__file__).parent, quiet=1)
    py = sys.executable
    scc = [py, "-m", "speechcompress"]
    db = ["--db", str(catalog)]
    size = catalog.stat().st_size / 1e6
    print(f"{args.n} papers, {size:.0f} MB of TOML, medians of {args.runs} runs\n")

    def touch() -> None:
        stamp = time.time_ns()
        os.utime(catalog, ns=(stamp, stamp))

    base, _ = measure([py, "-c", "pass"], env, args.runs)
    parse, parse_mb = measure(
        [py, "-c", f"import tomli; tomli.load(open({str(catalog)!r}, 'rb'))"], env, args.runs
    )
    rows = [("python -c pass", base, 0.0, ""), ("bare tomli.load", parse, parse_mb, "")]
    cold, cold_mb = measure([*scc, "list", "--year", "2022", *db], env, args.runs, touch)
    rows.append(
        (
            "cold: scc list --year 2022",
            cold,
            cold_mb,
            f"<= 2.5x parse, 1.5x its memory: {cold / parse:.2f}x, {cold_mb / parse_mb:.2f}x",
        )
    )
    run([*scc, "info", *db], env)  # leave a current index behind
    warm_target = 0.3 if args.n <= 10_000 else None
    for name, cmd in [
        ("warm: scc search pruning", [*scc, "search", "pruning", *db]),
        (
            "warm: scc list --year 2022 --method distillation",
            [*scc, "list", "--year", "2022", "--method", "distillation", *db],
        ),
        (f"warm: scc show paper-{args.n // 2}", [*scc, "show", f"paper-{args.n // 2}", *db]),
        ("warm: scc export", [*scc, "export", *db]),
    ]:
        t, mb = measure(cmd, env, args.runs)
        if "export" in name:
            note = f"<= 1 s: {t:.2f} s"
        elif warm_target:
            note = f"<= {warm_target}x parse: {t / parse:.2f}x"
        else:
            note = f"<= 0.5 s and 150 MB: {t:.2f} s, {mb:.0f} MB" if "search" in name else ""
        rows.append((name, t, mb, note))

    print(f"{'command':50} {'seconds':>8} {'peak MB':>8}  target: measured")
    for name, t, mb, note in rows:
        print(f"{name:50} {t:8.3f} {mb:8.0f}  {note}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
