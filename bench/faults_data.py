"""Families of ``bench/faults.py`` that attack scc's files: catalogs, imports, the index."""

from __future__ import annotations

import json
import os
import random
import re
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path

from faults_core import (
    REPO,
    Case,
    Config,
    Ctx,
    Run,
    clean,
    finish,
    kill_group,
    papers_of,
    short,
)
from faults_gen import (
    arxiv_id,
    big_markdown,
    catalog_text,
    fuzzed_import,
    mutate_catalog,
    paper_ids,
    tricky_author,
    tricky_title,
)

#: How scc names its temp files beside a catalog (``.NAME.scc-*.tmp``, or any ``.NAME.*.tmp``).
_TEMP = re.compile(r"^\.papers\.toml\..*tmp$")
_FILE_LINE = re.compile(r"papers\.toml:\d+")
MINI = REPO / "tests" / "fixtures" / "mini.toml"


def rng_for(cfg: Config, family: str, index: int) -> random.Random:
    return random.Random(f"{cfg.seed}:{family}:{index}")


def one_paper_md(arxiv: str, title: str, year: int = 2024) -> str:
    return f"## {year}\n\n- [[arXiv](https://arxiv.org/abs/{arxiv})] {title}\n"


def same_result(cached: Run, fresh: Run) -> list[str]:
    """The cached run must say what the run that reads the TOML itself says."""
    if cached.rc != fresh.rc:
        return [
            f"{cached.label}: exit {cached.rc} but {fresh.rc} with --no-cache "
            f"({short(cached.first_error() or fresh.first_error(), 60)})"
        ]
    if cached.rc == 0 and cached.out != fresh.out:
        return [f"{cached.label}: output differs from the --no-cache run's"]
    return []


def file_line(run: Run) -> list[str]:
    """A syntax or schema error (exit 3) names ``papers.toml:LINE``."""
    if run.rc == 3 and not _FILE_LINE.search(run.first_error()):
        return [f"{run.label}: exit 3 without file:line: {short(run.first_error(), 70)}"]
    return []


# --- 1. fuzzed catalogs -----------------------------------------------------------------------


def fuzzed_catalogs(cfg: Config) -> list[Case]:
    n = cfg.count(1000, 40)
    bases = [catalog_text(12), MINI.read_bytes()]
    pick = random.Random(f"{cfg.seed}:huge")
    huge = set(pick.sample(range(n), k=max(1, n // 125)))

    def case(i: int) -> Callable[[Ctx], list[str]]:
        def fn(ctx: Ctx) -> list[str]:
            rng = rng_for(cfg, "catalogs", i)
            base = rng.choice(bases)
            ids = paper_ids(base)
            key = rng.choice(ids[:3])
            ops, data = mutate_catalog(rng, base, huge=i in huge)
            ctx.write("papers.toml", data)
            problems = []
            listed: Run | None = None
            for cmd in (["list"], ["show", key], ["export"]):
                codes = frozenset({0, 2, 3, 4}) if cmd[0] == "show" else frozenset({0, 3, 4})
                cached = ctx.run([*cmd, "--db", "papers.toml"])
                # An invalid file fails the same way in every command that reads it: once
                # list has shown how, the other cached runs are compared with that one.
                if listed is None or listed.rc == 0:
                    fresh = ctx.run([*cmd, "--db", "papers.toml", "--no-cache"])
                    listed = listed or fresh
                    found = clean(cached, codes) + clean(fresh, codes)
                    found = found or same_result(cached, fresh) + file_line(fresh)
                else:
                    found = clean(cached, codes) or same_result(cached, listed)
                problems += found
            check = ctx.run(["check", "--db", "papers.toml"])
            problems += clean(check, frozenset({0, 1, 3, 4})) or file_line(check)
            return [f"[{ops}] {p}" for p in problems]

        return fn

    return [Case("fuzzed-catalogs", f"catalog-{i}", case(i)) for i in range(n)]


# --- 2. fuzzed imports ------------------------------------------------------------------------


def fuzzed_imports(cfg: Config) -> list[Case]:
    n = cfg.count(300, 20)

    def case(i: int) -> Callable[[Ctx], list[str]]:
        def fn(ctx: Ctx) -> list[str]:
            rng = rng_for(cfg, "imports", i)
            suffix, kind, data = fuzzed_import(rng)
            name = "in" + suffix
            ctx.write(name, data)
            problems = []
            codes = frozenset({0, 3, 4, 6})
            for db, extra in (("new.toml", []), ("skip.toml", ["--skip-invalid"])):
                run = ctx.run(["import", name, "--db", db, *extra], timeout=15)
                found = clean(run, codes)
                if run.timed_out:  # the same file would only hang again
                    return [f"[{kind}] {found[0]}"]
                target = ctx.work / db
                if not found and run.rc == 0 and target.exists():
                    check = ctx.run(["check", "--db", db], timeout=30)
                    if check.rc not in (0, 1) or clean(check, frozenset({0, 1})):
                        found.append(
                            f"{run.label}: exit 0, but the catalog it wrote fails check "
                            f"(exit {check.rc}: {short(check.first_error(), 60)})"
                        )
                elif not found and run.rc != 0 and target.exists():
                    found.append(f"{run.label}: exit {run.rc}, yet {db} was written")
                problems += found
            dry = ctx.run(["import", name, "--db", "dry.toml", "--dry-run"], timeout=15)
            problems += clean(dry, codes)
            if (ctx.work / "dry.toml").exists():
                problems.append(f"{dry.label}: --dry-run wrote dry.toml")
            return [f"[{kind}] {p}" for p in problems]

        return fn

    return [Case("fuzzed-imports", f"import-{i}", case(i)) for i in range(n)]


# --- 3./4. the index --------------------------------------------------------------------------

_BASELINES: dict[str, dict[str, Run]] = {}
_BASELINE_LOCK = threading.Lock()


def _index_commands(key: str) -> dict[str, list[str]]:
    return {
        "list": ["list"],
        "search": ["search", "pruning"],
        "stats": ["stats"],
        "show": ["show", key],
        "export": ["export"],
    }


def baselines(cfg: Config, name: str, data: bytes, key: str) -> dict[str, Run]:
    """What each command prints from the TOML itself (``--no-cache``), computed once."""
    with _BASELINE_LOCK:
        if name not in _BASELINES:
            ctx = Ctx(cfg.scc, cfg.tmp / f"baseline-{name}")
            ctx.write("papers.toml", data)
            _BASELINES[name] = {
                cmd: ctx.run([*args, "--db", "papers.toml", "--no-cache"])
                for cmd, args in _index_commands(key).items()
            }
        return _BASELINES[name]


def index_file(ctx: Ctx) -> Path | None:
    found = sorted((ctx.cache / "catalogs").glob("*.sqlite"))
    return found[0] if len(found) == 1 else None


def _against_baseline(run: Run, expected: Run) -> list[str]:
    problems = clean(run)
    if problems:
        return problems
    if run.rc == 0 and (expected.rc != 0 or run.out != expected.out):
        return [f"{run.label}: exit 0 with output that differs from the TOML file's"]
    if run.rc != 0 and expected.rc == 0 and run.rc not in (3, 4, 5):
        return [f"{run.label}: exit {run.rc} ({short(run.first_error(), 60)})"]
    return []


def index_bitflips(cfg: Config) -> list[Case]:
    n = cfg.count(200, 15)
    data = catalog_text(40)
    key = paper_ids(data)[7]

    def case(i: int) -> Callable[[Ctx], list[str]]:
        def fn(ctx: Ctx) -> list[str]:
            rng = rng_for(cfg, "bitflips", i)
            expected = baselines(cfg, "bitflips", data, key)
            ctx.write("papers.toml", data)
            build = ctx.run(["list", "--db", "papers.toml"])
            if clean(build) or build.rc != 0:
                return [f"building the index: {clean(build) or build.rc}"]
            index = index_file(ctx)
            if index is None:
                return ["no index file under $SCC_CACHE_DIR/catalogs after scc list"]
            raw = bytearray(index.read_bytes())
            at = rng.randrange(len(raw))
            if rng.random() < 0.5:
                bit = rng.randrange(8)
                raw[at] ^= 1 << bit
                what = f"bit {bit} of byte {at}/{len(raw)}"
            else:
                raw[at] = rng.randrange(256)
                what = f"byte {at}/{len(raw)} = {raw[at]:#04x}"
            index.write_bytes(bytes(raw))
            order = list(_index_commands(key).items())
            rng.shuffle(order)
            problems = []
            for cmd, args in order:
                run = ctx.run([*args, "--db", "papers.toml"])
                problems += _against_baseline(run, expected[cmd])
            return [f"[{what}] {p}" for p in problems]

        return fn

    return [Case("index-bitflips", f"flip-{i}", case(i)) for i in range(n)]


_TAMPERS = {
    "title": "UPDATE papers SET title = 'TAMPERED title' WHERE id = :key",
    "year": "UPDATE papers SET year = 1999 WHERE id = :key",
    "abstract": "UPDATE texts SET summary = 'TAMPERED summary', abstract = 'TAMPERED abstract' "
    "WHERE pos = (SELECT pos FROM papers WHERE id = :key)",
    "delete": "DELETE FROM papers WHERE id = :key",
    # Built from the table's own columns when run (see _insert_sql): they follow the fields.
    "insert": "",
    "header": "UPDATE meta SET value = replace(value, 'Mini Catalog', 'TAMPERED catalog') "
    "WHERE key = 'header'",
}


def _insert_sql(conn: sqlite3.Connection) -> str:
    """A copy of one paper's row under a new id and title, whatever the index's columns."""
    columns = [row[1] for row in conn.execute("PRAGMA table_info(papers)")]
    new = {
        "pos": "(SELECT max(pos) + 1 FROM papers)",
        "id": "'tampered-extra'",
        "title": "'TAMPERED extra'",
    }
    values = ", ".join(new.get(c, c) for c in columns)
    return f"INSERT INTO papers ({', '.join(columns)}) SELECT {values} FROM papers WHERE id = :key"


def index_tamper(cfg: Config) -> list[Case]:
    data = MINI.read_bytes()
    key = "robustdistiller"

    def case(name: str, sql: str) -> Callable[[Ctx], list[str]]:
        def fn(ctx: Ctx) -> list[str]:
            expected = baselines(cfg, "tamper", data, key)
            ctx.write("papers.toml", data)
            build = ctx.run(["list", "--db", "papers.toml"])
            index = index_file(ctx)
            if build.rc != 0 or index is None:
                return [f"no index to tamper with (scc list exit {build.rc})"]
            conn = sqlite3.connect(index)
            with conn:
                conn.execute(sql or _insert_sql(conn), {"key": key})
            conn.close()
            problems = []
            for cmd, args in _index_commands(key).items():
                run = ctx.run([*args, "--db", "papers.toml"])
                problems += _against_baseline(run, expected[cmd])
                if b"TAMPERED" in run.out:
                    problems[-1:] = [f"{run.label}: printed the index's tampered text"]
            return problems

        return fn

    return [Case("index-tamper", name, case(name, sql)) for name, sql in _TAMPERS.items()]


# --- 5. kills during writes ---------------------------------------------------------------------

_REFERENCE: dict[str, object] = {}


def _kill_reference(cfg: Config, old: bytes, big: str) -> tuple[bytes, float]:
    """The catalog an unkilled import of big.md writes, and how long that import takes."""
    with _BASELINE_LOCK:
        if "new" not in _REFERENCE:
            ctx = Ctx(cfg.scc, cfg.tmp / "baseline-kills")
            ctx.write("papers.toml", old)
            ctx.write("big.md", big)
            run = ctx.run(["import", "big.md", "--db", "papers.toml"], timeout=120)
            if run.rc != 0:
                raise RuntimeError(f"reference import failed: exit {run.rc}: {run.errtext[:200]}")
            _REFERENCE["new"] = (ctx.work / "papers.toml").read_bytes()
            _REFERENCE["seconds"] = run.seconds
        return _REFERENCE["new"], _REFERENCE["seconds"]  # type: ignore[return-value]


def kills_during_write(cfg: Config) -> list[Case]:
    n = cfg.count(50, 5)
    old = catalog_text(12)
    big = big_markdown(random.Random(f"{cfg.seed}:big"), cfg.count(3000, 1500))

    def case(i: int) -> Callable[[Ctx], list[str]]:
        def fn(ctx: Ctx) -> list[str]:
            rng = rng_for(cfg, "kills", i)
            new, seconds = _kill_reference(cfg, old, big)
            ctx.write("papers.toml", old)
            ctx.write("big.md", big)
            proc, _, _ = ctx.start(["import", "big.md", "--db", "papers.toml"])
            begin = time.monotonic()
            if i % 2:
                # Half the kills land while the new file is being written: once a temp file
                # appears beside the catalog, within a few milliseconds.
                while proc.poll() is None and time.monotonic() - begin < seconds * 3:
                    if any(_TEMP.match(name) for name in os.listdir(ctx.work)):
                        break
                    time.sleep(0.001)
                time.sleep(rng.uniform(0.0, 0.02))
                seen = time.monotonic() - begin
                where = f"killed {seen:.2f}s in, just after a temp file appeared"
            else:
                time.sleep(rng.uniform(0.0, seconds))
                where = f"killed at {time.monotonic() - begin:.2f}s of {seconds:.2f}s"
            kill_group(proc.pid)
            proc.wait()
            now = (ctx.work / "papers.toml").read_bytes()
            if now not in (old, new):
                return [f"[{where}] the catalog is neither the old nor the new version"]
            follow = ctx.write("one.md", one_paper_md("2411.00001", "A paper written after a kill"))
            run = ctx.run(["import", follow.name, "--db", "papers.toml"], timeout=60)
            problems = clean(run, frozenset({0}))
            left = sorted(p.name for p in ctx.work.iterdir() if _TEMP.match(p.name))
            if left:
                problems.append(f"temp files remain after the next write: {left[:2]}")
            if papers_of(ctx.work / "papers.toml") is None:
                problems.append("the catalog is not valid TOML after the next write")
            return [f"[{where}] {p}" for p in problems]

        return fn

    return [Case("kills-during-write", f"kill-{i}", case(i)) for i in range(n)]


# --- 6. concurrent writers ----------------------------------------------------------------------


def concurrent_writers(cfg: Config) -> list[Case]:
    rounds = cfg.count(3, 1)

    def case(r: int, variant: str) -> Callable[[Ctx], list[str]]:
        def fn(ctx: Ctx) -> list[str]:
            rng = rng_for(cfg, f"concurrent-{variant}", r)
            ctx.write("papers.toml", MINI.read_bytes())
            same = variant == "same-paper"
            writers = 10 if same else 20
            shared = f"25{rng.randint(1, 12):02d}.{rng.randint(10000, 99999)}"
            ids = [shared] * writers if same else [f"2501.{10000 + k}" for k in range(writers)]
            procs = []
            begin = time.monotonic()
            for k, aid in enumerate(ids):
                title = f"Concurrent writer {k} compresses speech models"
                ctx.write(f"w{k}.md", one_paper_md(aid, title))
                env: dict[str, str | None] = {}
                if variant == "own-cache":
                    own = ctx.root / f"own{k}"
                    env = {
                        "SCC_CACHE_DIR": str(own / "cache"),
                        "HOME": str(own / "home"),
                        "XDG_CACHE_HOME": str(own / "xdg"),
                    }
                procs.append(ctx.start(["import", f"w{k}.md", "--db", "papers.toml"], env=env))
            runs = [
                finish(p, o, e, begin, 90.0, f"writer {k}") for k, (p, o, e) in enumerate(procs)
            ]
            codes = frozenset({0, 6}) if same else frozenset({0})
            problems = [p for run in runs for p in clean(run, codes)]
            papers = papers_of(ctx.work / "papers.toml")
            if papers is None:
                return [*problems, "the catalog is not valid TOML afterwards"]
            have = [str(p.get("arxiv")) for p in papers]
            if same:
                if have.count(shared) != 1:
                    problems.append(f"{have.count(shared)} copies of the same paper landed")
            else:
                lost = [aid for aid in ids if aid not in have]
                if lost:
                    problems.append(f"{len(lost)} of {writers} papers lost (e.g. {lost[0]})")
            if len(papers) - (1 if same else writers) != 5:
                problems.append(f"{len(papers)} papers afterwards; the 5 old ones changed")
            return problems[:3]

        return fn

    return [
        Case("concurrent-writers", f"{variant}-{r}", case(r, variant))
        for r in range(rounds)
        for variant in ("shared-cache", "own-cache", "same-paper")
    ]


# --- 13. BibTeX round trip ----------------------------------------------------------------------


def _toml_catalog(papers: list[dict[str, object]]) -> str:
    out = ['[catalog]\ntitle = "Round trip"\n']
    for p in papers:
        out.append("[[papers]]")
        out += [f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in p.items()]
        out.append("")
    return "\n".join(out)


def _norm(text: str) -> str:
    return " ".join(text.split())


def _latex_text(value: str) -> str:
    """What LaTeX prints for ``value``. Stock pylatexenc drops \\textbraceleft and
    \\textbraceright and gives U+02C6 for \\textasciicircum, where LaTeX prints
    "{", "}" and "^": it is taught those three, nothing else."""
    from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

    context = get_default_latex_context_db()
    context.add_context_category(
        "latex-text-symbols",
        prepend=True,
        macros=[
            MacroTextSpec("textasciicircum", "^"),
            MacroTextSpec("textbraceleft", "{"),
            MacroTextSpec("textbraceright", "}"),
        ],
    )
    return _norm(LatexNodes2Text(latex_context=context).latex_to_text(value))


def _third_party(text: str, papers: list[dict[str, object]]) -> list[str]:
    """Parse scc's BibTeX with pybtex and bibtexparser; compare titles and author counts."""
    problems = []
    want = sorted(_norm(str(p["title"])) for p in papers)
    try:
        import bibtexparser

        library = bibtexparser.parse_string(text)
        if library.failed_blocks:
            problems.append(f"bibtexparser: {len(library.failed_blocks)} block(s) failed")
        got = sorted(_latex_text(e["title"]) for e in library.entries)
        if got != want:
            bad = next((g, w) for g, w in zip(got, want, strict=False) if g != w)
            problems.append(f"bibtexparser reads title {bad[0]!r}, not {bad[1]!r}")
    except Exception as exc:  # a parser's own failure is what we are looking for
        problems.append(f"bibtexparser: {type(exc).__name__}: {short(str(exc), 60)}")
    try:
        from pybtex.database import parse_string
    except ImportError:
        return problems  # pybtex is optional; README says so
    try:
        data = parse_string(text, "bibtex")
        counts = sorted(len(e.persons.get("author", [])) for e in data.entries.values())
        wanted = sorted(len(p["authors"]) for p in papers)  # type: ignore[arg-type]
        if counts != wanted:
            problems.append(f"pybtex counts authors {counts}, not {wanted}")
    except Exception as exc:
        problems.append(f"pybtex: {type(exc).__name__}: {short(str(exc), 60)}")
    return problems


def bibtex_roundtrip(cfg: Config) -> list[Case]:
    n = cfg.count(200, 15)

    def case(i: int) -> Callable[[Ctx], list[str]]:
        def fn(ctx: Ctx) -> list[str]:
            rng = rng_for(cfg, "bibtex", i)
            papers: list[dict[str, object]] = []
            for k in range(rng.randint(1, 3)):
                papers.append(
                    {
                        "id": f"paper-{k}",
                        "title": tricky_title(rng),
                        "authors": [tricky_author(rng) for _ in range(rng.randint(1, 4))],
                        "year": 2023,
                        "venue": "arXiv",
                        "arxiv": arxiv_id(rng, 2023),
                        "methods": ["pruning"],
                    }
                )
            ctx.write("papers.toml", _toml_catalog(papers))
            export = ctx.run(["export", "--format", "bibtex", "--db", "papers.toml"])
            problems = clean(export, frozenset({0}))
            if problems:
                return problems
            problems += _third_party(export.text, papers)
            ctx.write("back.bib", export.out)
            back = ctx.run(["import", "back.bib", "--db", "back.toml"])
            found = clean(back, frozenset({0}))
            if not found:
                got = papers_of(ctx.work / "back.toml") or []
                pairs = sorted((_norm(str(p.get("title"))), p.get("authors")) for p in got)
                want = sorted((_norm(str(p["title"])), p["authors"]) for p in papers)
                if pairs != want:
                    diff = next(
                        ((g, w) for g, w in zip(pairs, want, strict=False) if g != w),
                        (len(pairs), len(want)),
                    )
                    found.append(
                        f"scc import reads back {short(repr(diff[0]), 70)}, "
                        f"not {short(repr(diff[1]), 70)}"
                    )
            return problems + found

        return fn

    return [Case("bibtex-roundtrip", f"roundtrip-{i}", case(i)) for i in range(n)]


# --- 14. two marker pairs ---------------------------------------------------------------------

_START, _END = "<!-- scc:start -->", "<!-- scc:end -->"
_READMES = {
    "two-pairs": f"# Mine\n\n{_START}\n{{list}}{_END}\n\nMore text.\n\n{_START}\nstale\n{_END}\n",
    "two-starts": f"# Mine\n\n{_START}\n{{list}}{_START}\nstale\n{_END}\n",
    "two-ends": f"# Mine\n\n{_START}\n{{list}}{_END}\nstale\n{_END}\n",
    "end-first": f"# Mine\n\n{_END}\nstale\n{_START}\n{{list}}{_END}\n",
}


def two_marker_pairs(cfg: Config) -> list[Case]:
    def case(name: str, layout: str) -> Callable[[Ctx], list[str]]:
        def fn(ctx: Ctx) -> list[str]:
            ctx.write("papers.toml", MINI.read_bytes())
            ctx.write("one.md", f"# Mine\n\n{_START}\n{_END}\n")
            made = ctx.run(["export", "--update", "one.md", "--db", "papers.toml"])
            text = (ctx.work / "one.md").read_text()
            if made.rc != 0 or _START not in text:
                return [f"setup: export --update of a one-pair README: exit {made.rc}"]
            body = text.split(_START + "\n", 1)[1].split(_END, 1)[0]
            before = layout.replace("{list}", body).encode()
            problems = []
            for mode in ("--update", "--check"):
                readme = ctx.write("README.md", before)
                run = ctx.run(["export", mode, "README.md", "--db", "papers.toml"])
                found = clean(run)
                refused = run.rc >= 2 or (run.rc == 1 and "marker" in run.first_error())
                if not found and not refused:
                    found.append(
                        f"{run.label}: exit {run.rc}, not refused ({short(run.errtext, 50)})"
                    )
                if readme.read_bytes() != before:
                    found.append(f"{run.label}: README.md changed")
                problems += found
            return problems

        return fn

    return [Case("two-marker-pairs", name, case(name, text)) for name, text in _READMES.items()]
