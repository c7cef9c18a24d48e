"""``scc check``: catalog health for CI, offline by default, every link with ``--links``."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated

import typer

from speechcompress.cli import options as opt
from speechcompress.cli.session import emit, pick_format, warn, where
from speechcompress.errors import UsageError

if TYPE_CHECKING:
    from speechcompress.links import ArxivLookup, LinkOptions, ProgressCallback, Status

CHECK_FORMATS = ("text", "json", "github")
LINK_FORMATS = ("table", "json", "markdown", "github")
FAIL_ON_CHOICES = ("dead", "error", "blocked", "redirected")
#: Options that mean something only with --links: parameter name -> flag.
_LINK_ONLY = {
    name: "--" + name.replace("_", "-")
    for name in (
        "timeout",
        "retries",
        "backoff",
        "per_host",
        "concurrency",
        "interval",
        "max_age",
        "no_cache",
        "exclude",
        "allow_private",
        "fail_on",
        "no_progress",
    )
} | {"show_all": "--all"}


def check(
    ctx: typer.Context,
    links: Annotated[
        bool,
        typer.Option(
            "--links", help="Check every URL over the network instead of the offline checks."
        ),
    ] = False,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help="text (default), json or github (annotations on a pull request's diff). "
            "With --links: table (default), json, markdown or github.",
        ),
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit 1 on warnings too, not only on errors.")
    ] = False,
    db: opt.Db = None,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout",
            metavar="SECONDS",
            min=0.001,
            help="With --links: seconds one request may take in all (each redirect hop). "
            "The whole check stops at $SCC_NET_DEADLINE (300).",
        ),
    ] = 10.0,
    retries: Annotated[
        int,
        typer.Option(
            "--retries",
            metavar="N",
            min=0,
            help="With --links: further tries after a timeout, a refused connection, 429 or 5xx.",
        ),
    ] = 2,
    backoff: Annotated[
        float,
        typer.Option(
            "--backoff",
            metavar="SECONDS",
            min=0,
            help="With --links: wait before the first retry, doubled each time (Retry-After wins).",
        ),
    ] = 1.0,
    per_host: Annotated[
        int,
        typer.Option(
            "--per-host",
            metavar="N",
            min=1,
            help="With --links: requests in flight to one host (and the burst that may start "
            "at once).",
        ),
    ] = 10,
    concurrency: Annotated[
        int,
        typer.Option(
            "--concurrency", metavar="N", min=1, help="With --links: requests in flight overall."
        ),
    ] = 128,
    interval: Annotated[
        float,
        typer.Option(
            "--interval",
            metavar="SECONDS",
            min=0,
            help="With --links: seconds between the starts of two requests to one host, on "
            "average after a burst of --per-host.",
        ),
    ] = 0.1,
    max_age: Annotated[
        str,
        typer.Option(
            "--max-age",
            metavar="AGE",
            help="With --links: reuse cached results younger than this: 30m, 12h, 1d, 2w; "
            "0 re-checks all.",
        ),
    ] = "1d",
    no_cache: Annotated[
        bool,
        typer.Option("--no-cache", help="With --links: neither read nor write cached results."),
    ] = False,
    exclude: Annotated[
        list[str] | None,
        typer.Option(
            "--exclude",
            metavar="REGEX",
            help="With --links: skip URLs matching this regular expression (repeatable).",
        ),
    ] = None,
    allow_private: Annotated[
        bool,
        typer.Option(
            "--allow-private",
            help="With --links: also check loopback and private addresses (skipped by default).",
        ),
    ] = False,
    fail_on: Annotated[
        str,
        typer.Option(
            "--fail-on",
            metavar="KINDS",
            help="With --links: comma-separated kinds that exit 1: dead, error, blocked, "
            "redirected; or none.",
        ),
    ] = "dead",
    show_all: Annotated[
        bool, typer.Option("--all", help="With --links: list ok and skipped links too.")
    ] = False,
    no_progress: Annotated[
        bool,
        typer.Option(
            "--no-progress",
            help="With --links: no progress bar (it shows only when stderr is a terminal).",
        ),
    ] = False,
) -> None:
    """Check the catalog's health; exit 1 when something is wrong.

    Offline (fast): schema errors, duplicate papers (arXiv id with or without version,
    DOI in any case, near-identical titles, one URL on two papers), missing venue links,
    arXiv id format, a year before the arXiv id's year, unknown venues and methods, stray
    whitespace in titles, http:// links to https sites. Errors exit 1; warnings exit 0
    unless --strict.

    With --links: every URL, over the network, concurrently and politely; arXiv links in
    one batched API request. Each ends ok, redirected, dead (404, 410, unknown host),
    blocked (401, 403, 429, 999: the site refuses robots) or error (timeouts, 5xx).
    Exit 1 only when a link is dead (see --fail-on); 5 when the network is unreachable.

    Examples:

      scc check --format github

      scc check --links --format markdown > links.md
    """
    given = [
        name
        for name in _LINK_ONLY
        if getattr(ctx.get_parameter_source(name), "name", "") == "COMMANDLINE"
    ]
    if links:
        if strict:
            raise UsageError(
                "--strict applies to the offline checks, not to --links",
                hint="use --fail-on to choose which link results fail",
            )
        _check_links(
            db,
            pick_format(fmt, LINK_FORMATS) if fmt else "table",
            _link_options(
                timeout,
                retries,
                backoff,
                per_host,
                concurrency,
                interval,
                exclude or [],
                allow_private,
            ),
            max_age=_max_age(max_age),
            use_cache=not no_cache,
            fail_on=_fail_on(fail_on),
            show_all=show_all,
            progress=not no_progress and sys.stderr.isatty(),
        )
        return
    if given:
        flag = _LINK_ONLY[given[0]]
        raise UsageError(f"{flag} applies only with --links", hint=f"scc check --links {flag} ...")
    _check_offline(db, pick_format(fmt, CHECK_FORMATS) if fmt else "text", strict)


def _check_offline(db: str | None, fmt: str, strict: bool) -> None:
    from speechcompress.catalog import display_path
    from speechcompress.checks import check_path, has_errors, has_syntax_error
    from speechcompress.errors import CatalogError, SccError
    from speechcompress.render import findings as render

    path = where(db).path
    checked = check_path(path)  # not UTF-8 is reported like a TOML syntax error
    findings, papers = checked.findings, checked.papers
    if not has_errors(findings):  # a valid catalog: its ids are its papers' ids
        from speechcompress.results.checks import results_findings

        findings = [*findings, *results_findings(path, set(checked.ids))]
    unparsed = has_syntax_error(findings)
    if unparsed and fmt == "text":
        # On a terminal, the same `error: path:line:col: ...` line every command prints.
        raise CatalogError([SccError(f.message, where=f.where, hint=f.hint) for f in findings])
    if fmt == "json":
        emit(render.render_findings_json(findings, display_path(path), papers))
    elif fmt == "github":
        emit(render.render_findings_github(findings))
        warn(f"scc check: {render.summary_line(findings, papers)}")
    else:
        emit(render.render_findings_text(findings, papers))
    if unparsed:
        raise typer.Exit(CatalogError.exit_code)
    if has_errors(findings) or (strict and findings):
        raise typer.Exit(1)


def _check_links(
    db: str | None,
    fmt: str,
    options: LinkOptions,
    *,
    max_age: float,
    use_cache: bool,
    fail_on: frozenset[Status],
    show_all: bool,
    progress: bool,
) -> None:
    from speechcompress.catalog import read_text
    from speechcompress.errors import NetworkError
    from speechcompress.links import LinkCache, default_cache_path, links_in_catalog, run_link_check
    from speechcompress.render import links_report as render

    path = where(db).path
    found = links_in_catalog(read_text(path), path)
    cache = LinkCache.load(default_cache_path()) if use_cache else None
    with _progress_bar(progress) as on_progress:
        report = run_link_check(
            found,
            options=options,
            arxiv=_arxiv_lookup(use_cache),
            cache=cache,
            max_age=max_age,
            on_progress=on_progress,
        )
    if cache is not None:
        cache.save()
    if fmt == "json":
        emit(render.render_links_json(report))
    elif fmt == "markdown":
        emit(render.render_links_markdown(report))
    elif fmt == "github":
        emit(render.render_links_github(report, fail_on))
        warn(f"scc check --links: {render.summary_line(report)}")
    else:
        emit(render.render_links_table(report, show_all=show_all))
    if report.unreachable:
        raise NetworkError(
            "no link could be reached at all; the network looks down",
            hint="check the connection and the HTTP(S)_PROXY variables",
        )
    if report.failing(fail_on):
        raise typer.Exit(1)


def _link_options(
    timeout: float,
    retries: int,
    backoff: float,
    per_host: int,
    concurrency: int,
    interval: float,
    exclude: list[str],
    allow_private: bool,
) -> LinkOptions:
    import re

    from speechcompress.links import LinkOptions
    from speechcompress.net.env import net_deadline

    for pattern in exclude:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise UsageError(
                f"--exclude {pattern!r} is not a regular expression ({exc})",
                hint="e.g. --exclude 'ieeexplore\\.ieee\\.org'",
            ) from None
    return LinkOptions(
        timeout=timeout,
        retries=retries,
        backoff=backoff,
        per_host=per_host,
        concurrency=concurrency,
        host_interval=interval,
        exclude=tuple(exclude),
        allow_private=allow_private,
        deadline=net_deadline(),
    )


def _max_age(text: str) -> float:
    from speechcompress.links import parse_age

    try:
        return parse_age(text)
    except ValueError as exc:
        raise UsageError(f"--max-age: {exc}", hint="e.g. --max-age 12h") from None


def _fail_on(text: str) -> frozenset[Status]:
    from speechcompress.links import Status

    names = [n.strip().lower() for n in text.split(",") if n.strip()]
    if names == ["none"]:
        return frozenset()
    unknown = [n for n in names if n not in FAIL_ON_CHOICES]
    if unknown or not names:
        raise UsageError(
            f"--fail-on: unknown kind {(unknown or [text])[0]!r}",
            hint=f"use a comma-separated list of {', '.join(FAIL_ON_CHOICES)}, or none",
        )
    return frozenset(Status(n) for n in names)


class _ArxivIds:
    """:class:`~speechcompress.links.ArxivLookup` over scc's arXiv client (batched, cached)."""

    def __init__(self, use_cache: bool) -> None:
        self.use_cache = use_cache

    def existing_ids(self, ids: list[str]) -> set[str]:
        from speechcompress.arxiv import make_client

        with make_client(use_cache=self.use_cache) as client:
            return set(client.fetch(ids))


def _arxiv_lookup(use_cache: bool) -> ArxivLookup | None:
    """The arXiv verifier for --links (tests replace this function)."""
    return _ArxivIds(use_cache)


@contextlib.contextmanager
def _progress_bar(enabled: bool) -> Iterator[ProgressCallback | None]:
    """A progress bar on stderr, or None when stderr is not a terminal."""
    if not enabled:
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("checking links"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task("links", total=None)

        def update(done: int, total: int, _result: object) -> None:
            bar.update(task, completed=done, total=total)

        yield update
