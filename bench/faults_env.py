"""Families of ``bench/faults.py`` about scc's surroundings: servers, paths, env, cache."""

from __future__ import annotations

import json
import os
import sqlite3
import zlib
from collections.abc import Callable
from pathlib import Path

from faults_core import Case, Config, Ctx, Run, clean
from faults_data import MINI, one_paper_md
from faults_gen import catalog_text
from faults_net import Server, arxiv_feed, dripping, dripping_head, entry, huge, ok

#: A network command must end within this many seconds, whatever the server does.
BOUND = 30.0
#: ... and hold at most this much memory (scc itself needs ~60 MB).
RSS_MB = 150.0
ADD_ID = "2305.17651"
_ESC_C1 = [chr(0x1B), *(chr(c) for c in range(0x80, 0xA0))]


def link_catalog(urls: list[str]) -> str:
    """A valid catalog whose only links are ``urls`` (no arXiv ids, no DOIs: nothing else)."""
    out = ['[catalog]\ntitle = "Links"\n']
    for k, url in enumerate(urls):
        out.append(
            f'[[papers]]\nid = "paper-{k}"\ntitle = "Paper number {k} on pruning"\n'
            f'authors = ["Ada Example"]\nyear = 2023\nvenue = "ICASSP"\n'
            f'venue_url = {json.dumps(url)}\nmethods = ["pruning"]\n'
        )
    return "\n".join(out)


def bounded(run: Run, codes: frozenset[int] | None = None) -> list[str]:
    problems = clean(run, codes) if codes else clean(run)
    if not run.timed_out and run.seconds > BOUND:
        problems.append(f"{run.label}: took {run.seconds:.0f} s (bound {BOUND:g} s)")
    if run.rss_mb > RSS_MB:
        problems.append(f"{run.label}: peak memory {run.rss_mb:.0f} MB (bound {RSS_MB:g} MB)")
    return problems


def _add(ctx: Ctx, api: str, *extra: str, env: dict[str, str | None] | None = None) -> Run:
    if not (ctx.work / "papers.toml").exists():
        ctx.write("papers.toml", MINI.read_bytes().replace(b'"2305.17651"', b'"2305.99999"'))
    return ctx.run(
        ["add", ADD_ID, "--yes", "--db", "papers.toml", *extra],
        env={"SCC_ARXIV_API": api, **(env or {})},
        timeout=BOUND,
        wall=BOUND + 10,
    )


def _links(ctx: Ctx, urls: list[str], *extra: str, env: dict[str, str | None] | None = None) -> Run:
    ctx.write("links.toml", link_catalog(urls))
    args = ["check", "--links", "--no-cache", "--no-progress", "--db", "links.toml", *extra]
    return ctx.run(args, env=env, timeout=BOUND, wall=BOUND + 10)


# --- 7. dripping and huge servers -------------------------------------------------------------

_SIZE = 200 * 1024 * 1024
_FEED_HEAD = b"<?xml version='1.0'?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n"


def dripping_servers(cfg: Config) -> list[Case]:
    links = ["--timeout", "3", "--retries", "0", "--allow-private"]
    scenarios: dict[str, Callable[[Ctx], list[str]]] = {}

    def on(route: Callable[..., object], what: str) -> None:
        def links_case(ctx: Ctx) -> list[str]:
            with Server(route) as server:  # type: ignore[arg-type]
                run = _links(ctx, [server.url("/a"), server.url("/b")], *links)
            return bounded(run)

        def add_case(ctx: Ctx) -> list[str]:
            with Server(route) as server:  # type: ignore[arg-type]
                run = _add(ctx, server.url("/api/query"))
            return bounded(run, frozenset({5}))

        scenarios[f"links-{what}"] = links_case
        scenarios[f"add-{what}"] = add_case

    on(dripping(), "drip-body")
    on(dripping(head=False), "drip-body-get")
    on(dripping_head(), "drip-head")
    on(huge(_SIZE), "huge")
    on(huge(_SIZE, length=False), "huge-no-length")
    on(huge(_SIZE, prefix=_FEED_HEAD, ctype="application/atom+xml"), "huge-feed")
    del scenarios["links-huge-feed"], scenarios["add-drip-body-get"]
    return [Case("dripping-servers", name, fn, wait=True) for name, fn in scenarios.items()]


# --- 8. FIFOs and odd paths -------------------------------------------------------------------


def fifo_and_paths(cfg: Config) -> list[Case]:
    one = one_paper_md("2412.00001", "A paper added through an odd path")

    def fifo(ctx: Ctx) -> list[str]:
        os.mkfifo(ctx.work / "papers.toml")
        ctx.write("one.md", one)
        problems = []
        for args in (["list"], ["check"], ["import", "one.md"], ["export", "-o", "x.md"]):
            run = ctx.run([*args, "--db", "papers.toml"], timeout=10, wall=10)
            problems += clean(run, frozenset({3, 4}))
        return problems

    def folder(ctx: Ctx) -> list[str]:
        (ctx.work / "papers.toml").mkdir()
        ctx.write("one.md", one)
        problems = []
        for args in (["list"], ["check"], ["import", "one.md"]):
            problems += clean(ctx.run([*args, "--db", "papers.toml"]), frozenset({3, 4}))
        return problems

    def non_utf8(ctx: Ctx) -> list[str]:
        name = os.fsencode(ctx.work) + b"/caf\xe9-\xff.toml"
        Path(os.fsdecode(name)).write_bytes(MINI.read_bytes())
        ctx.write("plain.toml", MINI.read_bytes())
        ctx.write("one.md", one)
        problems = []
        want = ctx.run(["list", "--db", "plain.toml"])
        got = ctx.run(["list", "--db", name], label="scc list --db <non-UTF-8 name>")
        problems += clean(got, frozenset({0}))
        if not problems and got.out != want.out:
            problems.append("list through a non-UTF-8 name prints something else")
        added = ctx.run(["import", "one.md", "--db", name], label="scc import --db <non-UTF-8>")
        problems += clean(added, frozenset({0}))
        if b"2412.00001" not in Path(os.fsdecode(name)).read_bytes():
            problems.append("import through a non-UTF-8 name did not write the paper")
        Path(os.fsdecode(name)).write_bytes(b"[catalog\n")
        broken = ctx.run(["list", "--db", name], label="scc list --db <broken non-UTF-8>")
        problems += clean(broken, frozenset({3}))
        missing = ctx.run(["list", "--db", name + b".nope"], label="scc list --db <missing>")
        problems += clean(missing, frozenset({4}))
        return problems

    def symlink(ctx: Ctx) -> list[str]:
        real = ctx.write("real/papers.toml", MINI.read_bytes())
        link = ctx.work / "link.toml"
        link.symlink_to("real/papers.toml")
        ctx.write("one.md", one)
        run = ctx.run(["import", "one.md", "--db", "link.toml"])
        problems = clean(run, frozenset({0}))
        if not link.is_symlink() or os.readlink(link) != "real/papers.toml":
            problems.append("the symlink was replaced (it is no longer a link to the catalog)")
        elif b"2412.00001" not in real.read_bytes():
            problems.append("the write did not reach the link's target")
        return problems

    def read_only(ctx: Ctx) -> list[str]:
        path = ctx.write("papers.toml", MINI.read_bytes())
        path.chmod(0o444)
        ctx.write("one.md", one)
        run = ctx.run(["import", "one.md", "--db", "papers.toml"])
        problems = clean(run, frozenset({4}))
        if path.read_bytes() != MINI.read_bytes():
            problems.append("a 0444 catalog was changed")
        if path.stat().st_mode & 0o777 != 0o444:
            problems.append(f"a 0444 catalog is now {path.stat().st_mode & 0o777:o}")
        return problems

    def export_over(spelling: str, fmt: str = "markdown") -> Callable[[Ctx], list[str]]:
        def fn(ctx: Ctx) -> list[str]:
            path = ctx.write("papers.toml", MINI.read_bytes())
            (ctx.work / "alias.toml").symlink_to("papers.toml")
            target = {
                "same": "papers.toml",
                "dotted": "./sub/../papers.toml",
                "absolute": str(path),
                "symlink": "alias.toml",
            }[spelling]
            (ctx.work / "sub").mkdir()
            run = ctx.run(["export", "--format", fmt, "-o", target, "--db", "papers.toml"])
            problems = clean(run)
            if not problems and run.rc == 0:
                problems.append(f"{run.label}: exit 0, the catalog was not protected")
            if path.read_bytes() != MINI.read_bytes():
                problems.append(f"export -o {target} overwrote the catalog")
            return problems

        return fn

    cases = {
        "fifo": fifo,
        "folder": folder,
        "non-utf8-name": non_utf8,
        "symlink": symlink,
        "read-only": read_only,
        "export-o-same": export_over("same"),
        "export-o-dotted": export_over("dotted"),
        "export-o-absolute": export_over("absolute"),
        "export-o-symlink": export_over("symlink"),
        "export-o-bibtex": export_over("same", "bibtex"),
    }
    return [Case("fifo-and-paths", name, fn, wait=name == "fifo") for name, fn in cases.items()]


# --- 9. environment and locale ----------------------------------------------------------------


def env_and_locale(cfg: Config) -> list[Case]:
    feed = arxiv_feed({ADD_ID: entry(ADD_ID, "DPHuBERT again, from a fake arXiv")})

    def add_with(env: dict[str, str | None], *extra: str, twice: bool = False) -> Callable:
        def fn(ctx: Ctx) -> list[str]:
            with Server(feed) as server:
                run = _add(ctx, server.url("/api/query"), *extra, env=env)
                problems = bounded(run)
                if twice:  # the second request is the one that waits its turn
                    (ctx.work / "papers.toml").unlink()
                    problems += bounded(_add(ctx, server.url("/api/query"), *extra, env=env))
            return problems

        return fn

    def links_with(env: dict[str, str | None]) -> Callable[[Ctx], list[str]]:
        def fn(ctx: Ctx) -> list[str]:
            with Server(ok) as server:
                return bounded(_links(ctx, [server.url("/x")], "--allow-private", env=env))

        return fn

    def local(args: list[str], env: dict[str, str | None] | None = None) -> Callable:
        def fn(ctx: Ctx) -> list[str]:
            ctx.write("papers.toml", catalog_text(120))
            return clean(ctx.run([*args, "--db", "papers.toml"], env=env, timeout=20))

        return fn

    ascii_env: dict[str, str | None] = {"LC_ALL": "C", "LANG": None, "PYTHONIOENCODING": "ascii"}
    long_word = "pruning" * 143
    cases: dict[str, Callable[[Ctx], list[str]]] = {
        "timeout-nan": add_with({"SCC_ARXIV_TIMEOUT": "nan"}),
        "timeout-inf": add_with({"SCC_ARXIV_TIMEOUT": "inf"}),
        "timeout-negative": add_with({"SCC_ARXIV_TIMEOUT": "-1"}),
        "delay-1e309": add_with({"SCC_ARXIV_DELAY": "1e309"}, "--no-cache", twice=True),
        "retries-huge": add_with({"SCC_ARXIV_RETRIES": "1e9"}),
        "cache-hours-nan": add_with({"SCC_ARXIV_CACHE_HOURS": "nan"}, twice=True),
        "api-url-bad-port": lambda ctx: bounded(_add(ctx, "http://127.0.0.1:abc/x")),
        "api-url-flag-bad-port": add_with({}, "--api-url", "http://127.0.0.1:abc/x"),
        "http-proxy-garbage": add_with({"HTTP_PROXY": "::x::", "http_proxy": "::x::"}),
        "all-proxy-socks": add_with({"ALL_PROXY": "socks5://127.0.0.1:1"}),
        "ssl-cert-missing": add_with({"SSL_CERT_FILE": "/nonexistent"}),
        "links-http-proxy-garbage": links_with({"HTTP_PROXY": "::x::"}),
        "links-all-proxy-socks": links_with({"ALL_PROXY": "socks5://127.0.0.1:1"}),
        "links-ssl-cert-missing": links_with({"SSL_CERT_FILE": "/nonexistent"}),
        "ascii-show": local(["show", "robustdistiller"], ascii_env),
        "ascii-export-bibtex": local(["export", "--format", "bibtex"], ascii_env),
        "ascii-list": local(["list"], ascii_env),
        "ascii-search-accents": local(["search", "guimarães"], ascii_env),
        "search-1000-letters": local(["search", long_word[:1000]]),
        "search-2000-words": local(["search", *(["pruning", "hubert"] * 1000)]),
        "search-2000-words-one-arg": local(["search", " ".join(["distil"] * 2000)]),
    }
    return [Case("env-and-locale", name, fn, wait=True) for name, fn in cases.items()]


# --- 10. cache safety -------------------------------------------------------------------------


def cache_safety(cfg: Config) -> list[Case]:
    feed = arxiv_feed({ADD_ID: entry(ADD_ID, "DPHuBERT again, from a fake arXiv")})
    precious = b"precious: not scc's\n"

    def clear_in(layout: str) -> Callable[[Ctx], list[str]]:
        def fn(ctx: Ctx) -> list[str]:
            folder = ctx.root / "checkout"
            files = [folder / "data" / "papers.toml", folder / "notes.txt"]
            if layout == "with-scc-folders":
                files.append(folder / "catalogs" / "keep.sqlite")
            for file in files:
                file.parent.mkdir(parents=True, exist_ok=True)
                file.write_bytes(precious)
            run = ctx.run(["cache", "clear"], env={"SCC_CACHE_DIR": str(folder)})
            problems = clean(run, frozenset({0, 4}))
            gone = [str(f.relative_to(folder)) for f in files if not f.exists()]
            if gone:
                problems.append(f"scc cache clear deleted {gone}")
            return problems

        return fn

    def planted(where: str) -> Callable[[Ctx], list[str]]:
        def fn(ctx: Ctx) -> list[str]:
            victim = ctx.root / "victim.txt"
            victim.write_bytes(precious)
            link = ctx.cache / where
            link.parent.mkdir(parents=True, exist_ok=True)
            link.symlink_to(victim)
            with Server(feed) as server:
                run = _add(ctx, server.url("/api/query"))
            problems = clean(run, frozenset({0}))
            if victim.read_bytes() != precious:
                problems.append(f"the file a symlink at $CACHE/{where} names was written")
            return problems

        return fn

    def foreign_index(ctx: Ctx) -> list[str]:
        other = ctx.root / "other-program"
        other.mkdir()
        files = []
        for name in ("data.sqlite", "00000000.sqlite"):
            conn = sqlite3.connect(other / name)
            conn.execute("CREATE TABLE t (x)")
            conn.commit()
            conn.close()
            files.append(other / name)
        ctx.cache.mkdir(parents=True, exist_ok=True)
        (ctx.cache / "catalogs").symlink_to(other)
        ctx.write("papers.toml", MINI.read_bytes())
        problems = clean(ctx.run(["list", "--db", "papers.toml"]), frozenset({0}))
        problems += clean(ctx.run(["cache", "clear"]), frozenset({0, 4}))
        gone = [f.name for f in files if not f.exists()]
        if gone:
            problems.append(f"another program's {gone} deleted through a symlinked catalogs/")
        return problems

    def index_name_link(ctx: Ctx) -> list[str]:
        path = ctx.write("papers.toml", MINI.read_bytes())
        victim = ctx.root / "victim.txt"
        victim.write_bytes(precious)
        name = f"{zlib.crc32(str(path.resolve()).encode()):08x}.sqlite"
        (ctx.cache / "catalogs").mkdir(parents=True)
        (ctx.cache / "catalogs" / name).symlink_to(victim)
        problems = clean(ctx.run(["list", "--db", "papers.toml"]), frozenset({0}))
        problems += clean(ctx.run(["search", "pruning", "--db", "papers.toml"]), frozenset({0}))
        if victim.read_bytes() != precious:
            problems.append("the file a symlink in place of the index names was written")
        return problems

    cases: dict[str, Callable[[Ctx], list[str]]] = {
        "clear-checkout": clear_in("checkout"),
        "clear-checkout-with-scc-folders": clear_in("with-scc-folders"),
        "symlink-api-lock": planted("arxiv/api.lock"),
        "symlink-cachedir-tag": planted("CACHEDIR.TAG"),
        "symlink-catalogs-folder": foreign_index,
        "symlink-index-file": index_name_link,
    }
    return [Case("cache-safety", name, fn, wait=True) for name, fn in cases.items()]


# --- 11. the private-address guard ------------------------------------------------------------

_PRIVATE_FORMS = {
    "127.1": "http://127.1:{port}/",
    "decimal": "http://2130706433:{port}/",
    "hex": "http://0x7f000001:{port}/",
    "octal": "http://0177.0.0.1:{port}/",
    "zero": "http://0:{port}/",
    "zeros": "http://0.0.0.0:{port}/",
    "localhost": "http://localhost:{port}/",
    "localhost-dot": "http://localhost.:{port}/",
    "LOCALHOST": "http://LOCALHOST:{port}/",
    "ipv4-mapped": "http://[::ffff:127.0.0.1]:{port}/",
    "plain": "http://127.0.0.1:{port}/",
}


def private_guard(cfg: Config) -> list[Case]:
    def case(form: str, allow: bool) -> Callable[[Ctx], list[str]]:
        def fn(ctx: Ctx) -> list[str]:
            with Server(ok) as server:
                url = form.format(port=server.port)
                run = _links(ctx, [url], *(["--allow-private"] if allow else []))
                hits = len(server.hits)
            problems = bounded(run)
            if allow and not hits:
                problems.append("sanity: with --allow-private the local server got no request")
            if not allow and hits:
                problems.append(f"{url} reached the local server ({hits} requests)")
            return problems

        return fn

    cases = [
        Case("private-guard", name, case(form, False), wait=True)
        for name, form in _PRIVATE_FORMS.items()
    ]
    cases.append(
        Case(
            "private-guard", "sanity-allow-private", case(_PRIVATE_FORMS["plain"], True), wait=True
        )
    )
    return cases


# --- 12. terminal escapes ---------------------------------------------------------------------

_EVIL = {
    "title-c1": ("title", "Evil \u009b31m title about pruning"),
    "abstract-osc52": ("abstract", "\u001b]52;c;SGVsbG8=\u0007 pruning abstract"),
    "summary-csi": ("summary", "Clears the screen \u001b[2J\u001b[H pruning"),
    "author-esc": ("authors", ["Ada \u001b[31mExample"]),
    "title-nel": ("title", "Next line \u0085 pruning title"),
}


def terminal_escapes(cfg: Config) -> list[Case]:
    base = MINI.read_text()

    def case(name: str) -> Callable[[Ctx], list[str]]:
        field, value = _EVIL[name]

        def fn(ctx: Ctx) -> list[str]:
            evil = (
                '[[papers]]\nid = "evil"\ntitle = "Plain title on pruning"\n'
                'authors = ["Ada Example"]\nyear = 2024\nvenue = "arXiv"\n'
                'arxiv = "2401.06666"\nmethods = ["pruning"]\n'
            )
            evil = (
                "\n".join(line for line in evil.splitlines() if not line.startswith(f"{field} ="))
                + f"\n{field} = {json.dumps(value)}\n"
            )
            ctx.write("papers.toml", base + "\n" + evil)
            problems = []
            check = ctx.run(["check", "--db", "papers.toml"])
            problems += clean(check, frozenset({1, 3}))
            runs = [check]
            for args in (
                ["show", "evil"],
                ["list"],
                ["search", "pruning"],
                ["export"],
                ["export", "--format", "bibtex"],
                ["show", "evil", "--no-cache"],
            ):
                run = ctx.run([*args, "--db", "papers.toml"])
                problems += clean(run)
                runs.append(run)
            for run in runs:
                text = run.text + run.errtext
                raw = sorted({f"U+{ord(c):04X}" for c in text if c in _ESC_C1})
                if raw:
                    problems.append(f"{run.label}: prints raw {', '.join(raw)}")
            return problems

        return fn

    return [Case("terminal-escapes", name, case(name)) for name in _EVIL]
