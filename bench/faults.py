"""Fault injection: run scc as a real process against broken input and a hostile setup.

    python bench/faults.py --quick                 # every family, small counts (1-2 min)
    python bench/faults.py                          # full counts (~15 min on 2 cores)
    python bench/faults.py --family index-bitflips  # one family
    python bench/faults.py --family fuzzed-catalogs --case catalog-17 --keep -v

Each case runs scc in its own temp folder with its own HOME, XDG_CACHE_HOME and
SCC_CACHE_DIR, with a timeout. A case passes when every run ended in time with a
documented exit code, without a traceback, with one-line ``error: ...`` messages, and
the family's own oracle held (see bench/README.md). Generators are seeded (``--seed``):
the same seed tries the same cases. Network traffic stays on 127.0.0.1, with servers this
script starts and that stop themselves. Prints a table per family; exits 1 if a case failed.
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import faults_core
import faults_data
import faults_env
from faults_core import Case, Config, Ctx, short

FAMILIES: dict[str, Callable[[Config], list[Case]]] = {
    "fuzzed-catalogs": faults_data.fuzzed_catalogs,
    "fuzzed-imports": faults_data.fuzzed_imports,
    "index-bitflips": faults_data.index_bitflips,
    "index-tamper": faults_data.index_tamper,
    "kills-during-write": faults_data.kills_during_write,
    "concurrent-writers": faults_data.concurrent_writers,
    "dripping-servers": faults_env.dripping_servers,
    "fifo-and-paths": faults_env.fifo_and_paths,
    "env-and-locale": faults_env.env_and_locale,
    "cache-safety": faults_env.cache_safety,
    "private-guard": faults_env.private_guard,
    "terminal-escapes": faults_env.terminal_escapes,
    "bibtex-roundtrip": faults_data.bibtex_roundtrip,
    "two-marker-pairs": faults_data.two_marker_pairs,
}


@dataclass
class Tally:
    tried: int = 0
    failed: list[tuple[str, list[str]]] = field(default_factory=list)
    seconds: float = 0.0


def run_case(case: Case, cfg: Config, keep: bool) -> tuple[list[str], float]:
    root = cfg.tmp / case.family / case.name
    begin = time.monotonic()
    try:
        return case.fn(Ctx(cfg.scc, root)), time.monotonic() - begin
    except Exception:
        # A bug in this script, not in scc: say so, loudly, so it is never counted as scc's.
        error = traceback.format_exc().strip().splitlines()[-1]
        return [f"HARNESS ERROR: {error}"], time.monotonic() - begin
    finally:
        if not keep:
            shutil.rmtree(root, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="small counts (about 1-2 min)")
    parser.add_argument(
        "--family",
        action="append",
        choices=sorted(FAMILIES),
        metavar="NAME",
        help="run only this family (repeatable); one of: " + ", ".join(FAMILIES),
    )
    parser.add_argument(
        "--case",
        action="append",
        metavar="NAME",
        help="run only the case(s) with this name (as the failure list shows)",
    )
    parser.add_argument("--seed", type=int, default=1, help="seed of every generator (1)")
    parser.add_argument("--jobs", type=int, default=2, help="CPU-bound cases at once (2)")
    parser.add_argument(
        "--scc",
        default=None,
        metavar="CMD",
        help="how to run scc, e.g. 'scc' (default: this python -m speechcompress)",
    )
    parser.add_argument(
        "--slack",
        type=float,
        default=3.0,
        help="wall-clock time a run gets, as a multiple of its CPU-time limit (3)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temp folders of cases")
    parser.add_argument(
        "-v",
        "--verbose",
        action="count",
        default=0,
        help="list failing cases (-vv: every problem of each)",
    )
    args = parser.parse_args(argv)

    faults_core.SLACK = args.slack
    scc = tuple(args.scc.split()) if args.scc else (sys.executable, "-m", "speechcompress")
    tmp = Path(tempfile.mkdtemp(prefix="scc-faults-"))
    cfg = Config(quick=args.quick, seed=args.seed, scc=scc, tmp=tmp)
    names = args.family or list(FAMILIES)
    cases = [c for name in names for c in FAMILIES[name](cfg)]
    if args.case:
        cases = [c for c in cases if c.name in args.case]
    tallies = {name: Tally() for name in names}
    mode = "quick" if args.quick else "full"
    print(f"{len(cases)} cases ({mode}, seed {args.seed}, {args.jobs} jobs), scc = {' '.join(scc)}")
    print(f"temp folder: {tmp}{' (kept)' if args.keep else ''}", flush=True)
    if "bibtex-roundtrip" in names and importlib.util.find_spec("pybtex") is None:
        print("note: pybtex is not installed, bibtex-roundtrip skips its pybtex check")

    start = time.monotonic()
    # Cases that mostly wait (on servers, timeouts) get a wide pool of their own, so a
    # 30-second drip does not hold one of the CPU slots.
    with ThreadPoolExecutor(args.jobs) as cpu, ThreadPoolExecutor(8) as waiting:
        futures: list[tuple[Case, Future[tuple[list[str], float]], float]] = []
        for case in sorted(cases, key=lambda c: not c.wait):
            pool = waiting if case.wait else cpu
            futures.append((case, pool.submit(run_case, case, cfg, args.keep), time.monotonic()))
        for done, (case, future, _) in enumerate(futures, 1):
            problems, seconds = future.result()
            tally = tallies[case.family]
            tally.tried += 1
            tally.seconds += seconds
            if problems:
                tally.failed.append((case.name, problems))
            if sys.stderr.isatty():
                sys.stderr.write(f"\r{done}/{len(cases)} cases, {time.monotonic() - start:.0f} s")
    if sys.stderr.isatty():
        sys.stderr.write("\n")
    elapsed = time.monotonic() - start
    if not args.keep:
        shutil.rmtree(tmp, ignore_errors=True)

    print_table(tallies)
    print(f"\n{sum(t.tried for t in tallies.values())} cases in {elapsed:.0f} s")
    for name, tally in tallies.items():
        if tally.failed and args.verbose == 1:
            print(f"\n{name}: {len(tally.failed)} failed; the kinds of problem seen:")
            kinds: dict[str, list[str]] = {}
            for case_name, problems in tally.failed:
                for problem in problems:
                    kinds.setdefault(signature(problem), []).append(case_name)
            for kind, where in sorted(kinds.items(), key=lambda kv: -len(kv[1])):
                print(f"  {len(where):4d} x {kind}  (e.g. {where[0]})")
        elif tally.failed and args.verbose > 1:
            print(f"\n{name}: {len(tally.failed)} failed")
            for case_name, problems in tally.failed:
                for problem in problems:
                    print(f"  {case_name}: {problem}")
    if any(t.failed for t in tallies.values()):
        print("\nrerun one case: python bench/faults.py [--quick] --family NAME --case CASE -vv")
        return 1
    return 0


def signature(problem: str) -> str:
    """A problem without its particulars (edits made, numbers), to count alike ones."""
    problem = re.sub(r"^\[[^\]]*\] ", "", problem)
    problem = re.sub(r"(?<![\w+-])\d+", "N", problem)
    problem = re.sub(r"'[^']*'|\"[^\"]*\"", "'...'", problem)
    problem = re.sub(r"\[[^\]]*\]", "[...]", problem)
    return short(problem, 110)


def print_table(tallies: dict[str, Tally]) -> None:
    rows = [("family", "tried", "passed", "failed", "case-s", "example failure (first one)")]
    for name, t in tallies.items():
        example = f"{t.failed[0][0]}: {short(t.failed[0][1][0], 80)}" if t.failed else ""
        passed = str(t.tried - len(t.failed))
        rows.append((name, str(t.tried), passed, str(len(t.failed)), f"{t.seconds:.0f}", example))
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    print()
    for k, row in enumerate(rows):
        cells = [row[0].ljust(widths[0])] + [row[i].rjust(widths[i]) for i in (1, 2, 3, 4)]
        print(" | ".join([*cells, row[5]]).rstrip())
        if k == 0:
            print("-+-".join("-" * w for w in widths) + "-+-" + "-" * 28)


if __name__ == "__main__":
    raise SystemExit(main())
