"""The machinery of ``bench/faults.py``: run scc in a sandbox and judge what it did.

A *case* is one function that gets a :class:`Ctx` (its own temp folder, HOME and cache)
and returns the problems it saw; no problems is a pass. Every scc run goes through
:meth:`Ctx.run`, which starts a real process in its own session, kills the whole group
at the timeout, and records exit code, output, time and the child's own peak RSS.

Time limits are CPU seconds of the scc process: on a loaded machine (other builds,
other test suites) wall-clock time says little about scc. A run is killed only after
``SLACK`` times its limit in wall-clock time, which is what a hang (a FIFO, a server
that never answers) runs into. Network cases pass their own wall-clock bound.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import time
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

#: The exit codes README.md documents.
CODES = frozenset({0, 1, 2, 3, 4, 5, 6, 130})
TRACEBACK = "Traceback (most recent call last)"
#: Lines scc may write to stderr beside its one-line errors: hints, warnings, progress.
_CHATTER = re.compile(
    r"^(error|hint|warning|skipped|note|fix): |^\d+ problems$|^interrupted$"
    r"|^(added|would add|wrote|updated|checked|removed|cleared) "
)
#: Click's own usage errors (exit 2) are a block: Usage, Try, then "Error: ...".
_CLICK_USAGE = re.compile(r"^(Usage: |Try '|Error: )")
#: Variables that would let the host's setup leak into a run (or send traffic elsewhere).
_DROPPED = re.compile(
    r"^(SCC_.*|HOME|XDG_.*|LC_.*|LANG|LANGUAGE|PYTHONIOENCODING|COLUMNS|LINES|TERM"
    r"|NO_COLOR|FORCE_COLOR|.*_PROXY|SSL_CERT_.*|REQUESTS_CA_BUNDLE|CURL_CA_BUNDLE)$",
    re.IGNORECASE,
)
#: Wall-clock time a run gets, as a multiple of its CPU-time limit (``--slack``).
SLACK = 3.0
#: Where a stray arXiv request goes: a closed port on loopback (the discard port).
DEAD_API = "http://127.0.0.1:9/api/query"


@dataclass
class Run:
    """One finished scc process."""

    label: str
    rc: int
    out: bytes
    err: bytes
    seconds: float
    timeout: float
    timed_out: bool
    rss_mb: float
    cpu: float = 0.0
    wall: float = 0.0

    @property
    def text(self) -> str:
        return self.out.decode("utf-8", "replace")

    @property
    def errtext(self) -> str:
        return self.err.decode("utf-8", "replace")

    def first_error(self) -> str:
        for line in self.errtext.splitlines():
            if line.strip():
                return line.strip()
        return ""


def short(text: str, width: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 3] + "..."


def clean(run: Run, codes: frozenset[int] = CODES) -> list[str]:
    """What is wrong with ``run`` by the rules every family shares (empty: nothing).

    Within its CPU-time limit, no hang past the wall-clock one, no traceback, a documented
    exit code (or one of ``codes``), and when it failed, one-line ``error: ...`` messages.
    """
    if run.cpu > run.timeout:
        stopped = " (stopped)" if run.timed_out else ""
        return [f"{run.label}: {run.cpu:.1f} s of CPU, limit {run.timeout:g} s{stopped}"]
    if run.timed_out:
        return [f"{run.label}: still running after {run.wall:g} s (killed)"]
    err = run.errtext
    problems = []
    if TRACEBACK in err:
        last = [line for line in err.splitlines() if line.strip()][-1]
        problems.append(f"{run.label}: traceback ({short(last, 70)})")
    if problems:
        return problems  # a traceback's exit code says nothing more
    if run.rc not in CODES:
        problems.append(f"{run.label}: exit {run.rc}, not a documented code")
    elif run.rc not in codes:
        problems.append(f"{run.label}: exit {run.rc} (expected {sorted(codes)}): {short(err)}")
    if run.rc >= 2 and not problems:
        lines = [line for line in err.splitlines() if line.strip()]
        if not lines:
            problems.append(f"{run.label}: exit {run.rc} with nothing on stderr")
        elif run.rc == 2 and _CLICK_USAGE.match(lines[0]):
            pass
        elif not lines[0].startswith("error: "):
            problems.append(f"{run.label}: stderr starts {short(lines[0], 60)!r}, not 'error: '")
        else:
            stray = [line for line in lines if not _CHATTER.match(line)]
            if stray:
                problems.append(f"{run.label}: error runs over lines: {short(stray[0], 60)!r}")
    return problems


def base_env(home: Path) -> dict[str, str]:
    """The host environment without anything that could change scc's behaviour."""
    env = {k: v for k, v in os.environ.items() if not _DROPPED.match(k)}
    env.update(
        HOME=str(home / "home"),
        XDG_CACHE_HOME=str(home / "xdg"),
        SCC_CACHE_DIR=str(home / "cache"),
        LANG="C.UTF-8",
        NO_COLOR="1",
        SCC_ARXIV_API=DEAD_API,
        SCC_ARXIV_DELAY="0",
        SCC_ARXIV_RETRIES="0",
        SCC_ARXIV_TIMEOUT="5",
    )
    return env


@dataclass
class Ctx:
    """One case's sandbox: a folder of its own and the way to run scc in it."""

    scc: Sequence[str]
    root: Path
    env: dict[str, str] = field(default_factory=dict)
    runs: int = 0

    def __post_init__(self) -> None:
        for sub in ("home", "xdg", "cache", "work"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)
        self.env = base_env(self.root)

    @property
    def work(self) -> Path:
        """The current folder of every run (no ``data/papers.toml`` in it)."""
        return self.root / "work"

    @property
    def cache(self) -> Path:
        return Path(self.env["SCC_CACHE_DIR"])

    def write(self, name: str, data: str | bytes) -> Path:
        path = self.work / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, str):
            data = data.encode("utf-8")
        path.write_bytes(data)
        return path

    def start(
        self,
        args: Sequence[str | bytes | os.PathLike[str]],
        *,
        env: Mapping[str, str | None] | None = None,
        cwd: Path | None = None,
    ) -> tuple[subprocess.Popen[bytes], Path, Path]:
        """Start scc without waiting: (process, stdout file, stderr file)."""
        self.runs += 1
        full = dict(self.env)
        for key, value in (env or {}).items():
            if value is None:
                full.pop(key, None)
            else:
                full[key] = value
        out = self.root / f"run{self.runs}.out"
        err = self.root / f"run{self.runs}.err"
        with open(out, "wb") as fo, open(err, "wb") as fe:
            proc = subprocess.Popen(
                [*self.scc, *args],
                stdin=subprocess.DEVNULL,
                stdout=fo,
                stderr=fe,
                cwd=cwd or self.work,
                env=full,
                start_new_session=True,  # the timeout kills scc and anything it started
            )
        return proc, out, err

    def run(
        self,
        args: Sequence[str | bytes | os.PathLike[str]],
        *,
        timeout: float = 10.0,
        env: Mapping[str, str | None] | None = None,
        cwd: Path | None = None,
        label: str | None = None,
        wall: float | None = None,
    ) -> Run:
        """Run scc to the end: ``timeout`` CPU seconds, killed after ``wall`` seconds.

        ``wall`` defaults to ``SLACK`` times ``timeout``.
        """
        begin = time.monotonic()
        proc, out, err = self.start(args, env=env, cwd=cwd)
        wall = timeout * SLACK if wall is None else wall
        return finish(proc, out, err, begin, timeout, label or describe(args), wall=wall)


def describe(args: Sequence[str | bytes | os.PathLike[str]]) -> str:
    words = []
    for arg in args:
        text = os.fsdecode(arg) if not isinstance(arg, str) else arg
        words.append(short(text, 24))
    return "scc " + " ".join(words[:4]) + (" ..." if len(words) > 4 else "")


def finish(
    proc: subprocess.Popen[bytes],
    out: Path,
    err: Path,
    begin: float,
    timeout: float,
    label: str,
    *,
    wall: float | None = None,
) -> Run:
    """Wait for ``proc`` (os.wait4: its own CPU time and peak RSS), killing it after ``wall``."""
    wall = timeout * SLACK if wall is None else wall
    deadline = begin + wall
    pause = 0.0005
    timed_out = False
    polled = begin
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        now = time.monotonic()
        if now - polled > 0.5:  # a process spinning past its CPU limit is stopped there
            polled = now
            if cpu_seconds(proc.pid) > timeout + 1:
                deadline = now
        if now > deadline:
            timed_out = True
            kill_group(proc.pid)
            pid, status, usage = os.wait4(proc.pid, 0)
            break
        time.sleep(pause)
        pause = min(pause * 2, 0.01)
    proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.monotonic() - begin
    kill_group(proc.pid)  # anything scc left behind in its session
    return Run(
        label=label,
        rc=proc.returncode,
        out=out.read_bytes(),
        err=err.read_bytes(),
        seconds=seconds,
        timeout=timeout,
        timed_out=timed_out,
        rss_mb=usage.ru_maxrss / 1024,
        cpu=usage.ru_utime + usage.ru_stime,
        wall=wall,
    )


def cpu_seconds(pid: int) -> float:
    """CPU time a running process has used so far (0 where /proc cannot tell)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            fields = fh.read().rsplit(b")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return 0.0


def kill_group(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)


def load_toml(path: Path) -> dict[str, object] | None:
    """The file parsed by the standard library, or None if it is not valid TOML."""
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError, RecursionError):
        return None


def papers_of(path: Path) -> list[dict[str, object]] | None:
    data = load_toml(path)
    if data is None:
        return None
    papers = data.get("papers", [])
    return papers if isinstance(papers, list) else None


@dataclass(frozen=True)
class Case:
    """One fault to try. ``wait``: mostly waiting on servers or timeouts, not the CPU."""

    family: str
    name: str
    fn: Callable[[Ctx], list[str]]
    wait: bool = False


@dataclass(frozen=True)
class Config:
    """Counts and knobs of one harness run."""

    quick: bool
    seed: int
    scc: tuple[str, ...]
    tmp: Path

    def count(self, full: int, quick: int) -> int:
        return quick if self.quick else full
