"""Scale benchmark: scc on a synthetic catalog of N papers, against a bare tomli parse.

    python bench/scale.py            # 10,000 papers, 5 runs each
    python bench/scale.py --n 100000 --runs 3

Every figure is measured in this one run, side by side with its references on the same
machine: `python -c pass` and a bare `tomli.load` of the same file (each in a fresh
process, as scc runs). Medians of repeated runs; peak memory is the child's max RSS.
Targets (issue 6, 2-core machine): at 10k, warm search/list/show <= 0.3x the bare parse
and export <= 1 s, cold (first run after the file changed) <= 2.5x the bare parse; at
100k, warm search <= 0.5 s and <= 150 MB, cold <= 2.5x the parse's time and 1.5x its
peak memory. `scc check` (issue "Fast everywhere"): <= 1.5x the parse at 10k and
<= 2.5x and 1.5x its memory at 100k, both the first check after an edit (cold: it parses
and validates every paper; timed in turns with the parse) and a check with the index
current (warm).
Other sizes are reported without targets; a missed target exits 1.
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


#: The spread (min-max seconds) of each measured command's runs, in the order measured.
SPREAD: list[tuple[float, float]] = []


def measure(
    cmd: list[str], env: dict[str, str], runs: int, before=None, reference=None
) -> tuple[float, float]:
    """``cmd``'s median seconds and peak MB over ``runs`` runs (``before`` each one). With
    a ``reference`` command, the two run in turns and the reference's median is kept in
    ``REFERENCE``: a ratio of two medians from the same spells of a busy machine."""
    if before is None:
        run(cmd, env)  # warm: the previous run may have been another command's
    times, peaks, references = [], [], []
    for _ in range(runs):
        if reference:
            references.append(run(reference, env)[0])
        if before:
            before()
        t, m = run(cmd, env)
        times.append(t)
        peaks.append(m)
    SPREAD.append((min(times), max(times)))
    if references:
        REFERENCE.append(statistics.median(references))
    return statistics.median(times), max(peaks)


#: The reference's median of each measurement made in turns with one.
REFERENCE: list[float] = []


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
    parse_cmd = [py, "-c", f"import tomli; tomli.load(open({str(catalog)!r}, 'rb'))"]
    parse, parse_mb = measure(parse_cmd, env, args.runs)
    # The targets are set for 10,000 and 100,000 papers; other sizes only report.
    size = {10_000: "10k", 100_000: "100k"}.get(args.n)
    #: (command, seconds, peak MB, target and figure, met: None where there is no target)
    rows: list[tuple[str, float, float, str, bool | None]] = [
        ("python -c pass", base, 0.0, "", None),
        ("bare tomli.load", parse, parse_mb, "", None),
    ]

    def against_parse(
        ratio: float, mb: float, at_10k: float, how: str = ""
    ) -> tuple[str, bool | None]:
        """(target and figure, met) of a command taking ``ratio`` times the parse: at 10k
        ``at_10k``, at 100k 2.5x and 1.5x its memory, no target at other sizes."""
        if size == "10k":
            return f"<= {at_10k}x parse{how}: {ratio:.2f}x", ratio <= at_10k
        if size == "100k":
            note = f"<= 2.5x parse, 1.5x its memory: {ratio:.2f}x, {mb / parse_mb:.2f}x"
            return note, ratio <= 2.5 and mb <= 1.5 * parse_mb
        return f"{ratio:.2f}x parse{how}", None

    def cold(name: str, cmd: list[str]) -> None:
        t, mb = measure(cmd, env, args.runs, touch)
        rows.append((name, t, mb, *against_parse(t / parse, mb, 2.5)))

    # The first command after an edit: parse, validate and index. A first search also
    # fills the index's word table, so it is measured on its own.
    cold("cold: scc list --year 2022", [*scc, "list", "--year", "2022", *db])
    cold("cold: scc search pruning", [*scc, "search", "pruning", *db])
    # `scc check` exits 1 on errors; a synthetic catalog has only warnings (exit 0).
    check = [*scc, "check", *db]
    # A first check after an edit (or on a fresh clone) parses and validates every paper;
    # it writes no index. Timed in turns with the bare parse, for a ratio from one spell
    # of a shared machine: the target is 1.5x at 10k.
    t, mb = measure(check, env, args.runs, touch, reference=parse_cmd)
    judged = against_parse(t / REFERENCE[-1], mb, 1.5, " (in turns)")
    rows.append(("cold: scc check", t, mb, *judged))
    run([*scc, "search", "pruning", *db], env)  # leave a current, searchable index behind
    # With the index current, scc validated these exact bytes: the schema pass is skipped.
    t, mb = measure(check, env, args.runs)
    rows.append(("warm: scc check", t, mb, *against_parse(t / parse, mb, 1.5)))
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
        note, ok = f"{t / parse:.2f}x parse", None
        if size == "10k" and "export" in name:
            note, ok = f"<= 1 s: {t:.2f} s", t <= 1.0
        elif size == "10k":
            note, ok = f"<= 0.3x parse: {t / parse:.2f}x", t <= 0.3 * parse
        elif size == "100k" and "search" in name:
            note, ok = f"<= 0.5 s and 150 MB: {t:.2f} s, {mb:.0f} MB", t <= 0.5 and mb <= 150
        rows.append((name, t, mb, note, ok))

    print(f"{'command':50} {'seconds':>8} {'min-max':>13} {'peak MB':>8}  target: measured")
    spreads = iter(SPREAD)  # rows are listed in the order they were measured
    for name, t, mb, note, ok in rows:
        mark = "" if ok is None else "  ok" if ok else "  MISSED"
        low, high = next(spreads)
        print(f"{name:50} {t:8.3f} {f'{low:.3f}-{high:.3f}':>13} {mb:8.0f}  {note}{mark}")
    return 1 if any(ok is False for *_, ok in rows) else 0


if __name__ == "__main__":
    raise SystemExit(main())
