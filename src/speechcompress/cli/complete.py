"""Shell completion, answered without building the Typer app.

The shell runs ``scc`` on every Tab with ``_SCC_COMPLETE`` set (Typer's protocol and
scripts, so an installed script keeps working). Importing Typer and building the app
would cost ~100 ms a Tab, so the console script answers here instead: commands and
options come from :mod:`speechcompress.cli.complete_spec`, generated from the real
app by :mod:`speechcompress.cli.complete_build` (a test keeps the two equal), and
values from the catalog the command line names (``--db``, else ``$SCC_DB``, ...).

Each shell gets values the way it inserts them: bash inserts them as they are, so a
value with a space is backslash-escaped unless the word opened a quote; zsh gets
``compadd -U`` (zsh quotes what it inserts, and ``-U`` keeps matches whose case
differs from what was typed); fish quotes by itself; PowerShell gets single quotes.
Values match what was typed case-insensitively, and through aliases (``kd``,
``nips``).
"""

from __future__ import annotations

import os
import sys

# A Tab costs what Python's start-up costs plus what is imported here, so this module
# imports neither typing (~8 ms with re), pathlib, dataclasses nor platformdirs at run
# time; mypy reads the names below all the same.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence
    from typing import TextIO, TypeAlias

    #: Fixed choices, a kind :data:`KINDS` looks up, or None (the shell's file names).
    Values: TypeAlias = tuple[str, ...] | str | None
    #: (names, takes a value, repeatable, help, values)
    Option: TypeAlias = tuple[tuple[str, ...], bool, bool, str, Values]
    #: (name, nargs, values)
    Argument: TypeAlias = tuple[str, int, Values]

COMPLETE_VAR = "_SCC_COMPLETE"


class Item:
    """One completion: the value to insert and what it is (zsh and fish show it)."""

    __slots__ = ("help", "value")

    def __init__(self, value: str, help: str = "") -> None:
        self.value = value
        self.help = help


class Request:
    """A completion request, whatever shell sent it."""

    __slots__ = ("after", "args", "incomplete", "quote")

    def __init__(
        self, args: list[str], incomplete: str, quote: str = "", after: tuple[str, ...] = ()
    ) -> None:
        #: The words before the one being completed, unquoted (the command name left out).
        self.args = args
        #: The word being completed, unquoted.
        self.incomplete = incomplete
        #: The quote the word opened and did not close ('' when none).
        self.quote = quote
        #: Words after the cursor (bash sends the whole line): a --db there still counts.
        self.after = after


# --- reading what the shell sent -----------------------------------------------------------


def split_words(line: str) -> list[str]:
    """Split a command line into words as typed (quotes and backslashes kept)."""
    words: list[str] = []
    word: list[str] = []
    quote = ""
    escaped = False
    started = False
    for char in line:
        if escaped:
            word.append(char)
            escaped = False
        elif char == "\\" and quote != "'":
            word.append(char)
            escaped = True
        elif quote:
            word.append(char)
            if char == quote:
                quote = ""
        elif char in "'\"":
            word.append(char)
            quote = char
            started = True
        elif char.isspace():
            if started or word:
                words.append("".join(word))
            word, started = [], False
        else:
            word.append(char)
    if word or started or (line and line[-1].isspace()):
        words.append("".join(word))
    return words


def unquote(word: str) -> tuple[str, str]:
    """The value a word typed on a command line stands for, and the quote it left open."""
    out: list[str] = []
    quote = ""
    escaped = False
    for char in word:
        if escaped:
            if quote == '"' and char not in '"\\$`':
                out.append("\\")
            out.append(char)
            escaped = False
        elif char == "\\" and quote != "'":
            escaped = True
        elif quote:
            if char == quote:
                quote = ""
            else:
                out.append(char)
        elif char in "'\"":
            quote = char
        else:
            out.append(char)
    if word[:1] == "~" and not quote and "/" in word:
        return os.path.expanduser("".join(out)), quote
    return "".join(out), quote


def _request_bash(env: Mapping[str, str]) -> Request:
    line = env.get("COMP_WORDS", "")
    # Typer's bash function joins COMP_WORDS with newlines (its IFS), so each word
    # arrives as bash split it; a line typed by hand (tests, docs) is split here.
    raw = line.split("\n") if "\n" in line else split_words(line)
    try:
        cword = int(env.get("COMP_CWORD", ""))
    except ValueError:
        cword = len(raw) - 1
    before = raw[1:cword]
    current = raw[cword] if 0 <= cword < len(raw) else ""
    after = raw[cword + 1 :]
    # bash breaks words at "=": `--db=x` arrives as `--db`, `=`, `x`.
    joined: list[str] = []
    for word in before:
        if joined and joined[-1].startswith("-") and (word == "=" or joined[-1].endswith("=")):
            joined[-1] += word
        else:
            joined.append(word)
    if joined and joined[-1].startswith("-") and joined[-1].endswith("="):
        joined[-1] = joined[-1][:-1]  # `--venue=IN`: the word being completed is its value
    if current == "=" and joined and joined[-1].startswith("-"):
        current = ""
    value, quote = unquote(current)
    return Request([unquote(w)[0] for w in joined], value, quote, tuple(after))


def _request_line(line: str, incomplete: str | None = None) -> Request:
    """zsh, fish and PowerShell send the line up to the cursor."""
    raw = split_words(line)[1:]
    if incomplete is not None:  # PowerShell names the word being completed
        if incomplete and raw:
            raw = raw[:-1]
        return Request([unquote(w)[0] for w in raw], *unquote(incomplete))
    if not raw or line[-1:].isspace():
        return Request([unquote(w)[0] for w in raw if w], "")
    value, quote = unquote(raw[-1])
    return Request([unquote(w)[0] for w in raw[:-1]], value, quote)


# --- what to offer ---------------------------------------------------------------------------


def _fold(text: str) -> str:
    return text.casefold()


def _matching(incomplete: str, entries: Sequence[tuple[str, Sequence[str], str]]) -> list[Item]:
    """Entries (value, other names, help) whose value or another name starts with
    ``incomplete``, ignoring case."""
    wanted = _fold(incomplete)
    seen: set[str] = set()
    out: list[Item] = []
    for value, names, help_text in entries:
        if value in seen:
            continue
        if any(_fold(n).startswith(wanted) for n in (value, *names)):
            seen.add(value)
            out.append(Item(value, help_text))
    return out


class CatalogValues:
    """What a catalog offers at Tab: its models, papers and venues."""

    __slots__ = ("models", "papers", "venues")

    def __init__(
        self,
        models: list[str],
        papers: list[tuple[str, str, str]],
        venues: list[tuple[str, tuple[str, ...], str]],
    ) -> None:
        self.models = models
        #: (id, arXiv id, title) of every paper, in catalog order.
        self.papers = papers
        #: (name, aliases, full name) of every venue the catalog accepts.
        self.venues = venues


#: Bumped when the layout of a values file changes.
_VALUES_FORMAT = "1"


def catalog_values(db: str | None) -> CatalogValues:
    """The values of the catalog ``db`` names (as a command would choose it).

    Kept in a small file in scc's cache beside the catalog indexes, keyed by the
    catalog's path, size and mtime: a Tab reads a few kilobytes instead of importing
    the index machinery and opening the index (whose every byte is checked first).
    """
    import zlib

    from speechcompress import __version__

    path = catalog_path(db)
    st = os.stat(path)
    key = "\t".join((_VALUES_FORMAT, __version__, path, str(st.st_size), str(st.st_mtime_ns)))
    name = f"{zlib.crc32(path.encode('utf-8', 'surrogateescape')):08x}.txt"
    data = _read_cache_file(os.path.join(cache_dir(), "completion", name))
    if data is not None:
        head, _, body = data.decode("utf-8", "replace").partition("\n")
        if head == key:
            return _parse_values(body)
    values = _values_from_source(db)
    import contextlib

    from speechcompress.fs import cache_folder, write_private

    # No cache, no harm: the next Tab asks the catalog again.
    with contextlib.suppress(OSError, ValueError):
        write_private(cache_folder("completion") / name, key + "\n" + _format_values(values))
    return values


# What locate.py and fs.py decide, without the pathlib, dataclasses and platformdirs
# they import (~15 ms a Tab); tests check that the two agree.


def catalog_path(db: str | None) -> str:
    """The absolute path of the catalog a command would use (``locate_catalog``)."""
    if db:
        return os.path.abspath(db)
    if os.environ.get("SCC_DB"):
        return os.path.abspath(os.environ["SCC_DB"])
    local = os.path.join(os.getcwd(), "data", "papers.toml")
    if os.path.isfile(local):
        return local
    package = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
    shipped = os.path.join(package, "data", "papers.toml")
    if os.path.isfile(shipped):
        return shipped
    return os.path.join(os.path.dirname(os.path.dirname(package)), "data", "papers.toml")


def cache_dir() -> str:
    """scc's cache folder (``fs.cache_dir``); platformdirs' rule inlined for Linux only."""
    if os.environ.get("SCC_CACHE_DIR"):
        return os.environ["SCC_CACHE_DIR"]
    if sys.platform.startswith("linux"):
        xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
        return os.path.join(xdg or os.path.expanduser("~/.cache"), "scc")
    from speechcompress.fs import cache_dir as platform_cache_dir

    return str(platform_cache_dir())


def _read_cache_file(path: str) -> bytes | None:
    """The bytes of a cache file, never through a symlink (``fs.read_private``)."""
    import stat

    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    with os.fdopen(fd, "rb") as fh:
        try:
            return fh.read() if stat.S_ISREG(os.fstat(fd).st_mode) else None
        except OSError:
            return None


def _values_from_source(db: str | None) -> CatalogValues:
    from speechcompress.cli.session import open_source

    source = open_source(db)
    return CatalogValues(
        source.model_names(),
        [(p.id, p.arxiv or "", p.title) for p in source.papers(full=False)],
        [(v.name, v.aliases, v.full_name) for v in source.header.vocabulary.venues],
    )


def _field(text: str) -> str:
    return " ".join(text.split())


def _format_values(values: CatalogValues) -> str:
    lines = [f"M\t{_field(m)}" for m in values.models]
    lines += [f"P\t{_field(i)}\t{_field(a)}\t{_field(t)}" for i, a, t in values.papers]
    lines += [
        f"V\t{_field(n)}\t{'|'.join(_field(a) for a in aliases)}\t{_field(f)}"
        for n, aliases, f in values.venues
    ]
    return "".join(f"{line}\n" for line in lines)


def _parse_values(body: str) -> CatalogValues:
    values = CatalogValues([], [], [])
    for line in body.splitlines():
        kind, _, rest = line.partition("\t")
        fields = rest.split("\t")
        if kind == "M":
            values.models.append(rest)
        elif kind == "P" and len(fields) == 3:
            values.papers.append((fields[0], fields[1], fields[2]))
        elif kind == "V" and len(fields) == 3:
            aliases = tuple(fields[1].split("|")) if fields[1] else ()
            values.venues.append((fields[0], aliases, fields[2]))
    return values


def _venues(db: str | None, incomplete: str) -> list[Item]:
    from speechcompress.cli.complete_spec import VENUES

    venues: Sequence[tuple[str, Sequence[str], str]]
    try:
        venues = catalog_values(db).venues
    except Exception:
        venues = VENUES  # a catalog that cannot be read still gets the built-in venues
    return _matching(incomplete, venues)


def _methods(db: str | None, incomplete: str) -> list[Item]:
    from speechcompress.cli.complete_spec import METHODS

    return _matching(incomplete, METHODS)


def _models(db: str | None, incomplete: str) -> list[Item]:
    return _matching(incomplete, [(m, (), "") for m in catalog_values(db).models])


def _papers(db: str | None, incomplete: str) -> list[Item]:
    papers = catalog_values(db).papers
    by_id = _matching(incomplete, [(i, (), t) for i, _, t in papers])
    if by_id or not incomplete[:1].isdigit():
        return by_id
    return _matching(incomplete, [(a, (), t) for _, a, t in papers if a])


#: The values a parameter's spec names by kind, looked up when Tab is pressed.
KINDS: dict[str, Callable[[str | None, str], list[Item]]] = {
    "venue": _venues,
    "method": _methods,
    "model": _models,
    "paper": _papers,
}


def _values(values: Values, db: str | None, incomplete: str) -> list[Item]:
    if isinstance(values, tuple):
        return _matching(incomplete, [(v, (), "") for v in values])
    if isinstance(values, str):
        try:
            return KINDS[values](db, incomplete)
        except Exception:  # a Tab must never print a traceback into the command line
            return []
    return []  # paths and free text: the shell's own (file) completion takes over


def _option(options: Sequence[Option], name: str) -> Option | None:
    return next((o for o in options if name in o[0]), None)


def complete(request: Request) -> tuple[list[Item], str]:
    """What to offer for ``request``, and the text to put before each value
    (``--venue=`` when the word being completed is ``--venue=IN``)."""
    from speechcompress.cli.complete_spec import COMMANDS, ROOT_OPTIONS

    command: str | None = None
    options: Sequence[Option] = ROOT_OPTIONS
    arguments: Sequence[Argument] = ()
    db: str | None = None
    expecting: Option | None = None
    used: set[tuple[str, ...]] = set()
    positional = 0
    only_arguments = False

    def given(option: Option, value: str) -> None:
        nonlocal db
        if "--db" in option[0]:
            db = value

    for word in request.args:
        if expecting is not None:
            given(expecting, word)
            expecting = None
            continue
        if word == "--" and not only_arguments:
            only_arguments = True
            continue
        if word.startswith("-") and word != "-" and not only_arguments:
            name, eq, value = word.partition("=") if word.startswith("--") else (word, "", "")
            option = _option(options, name)
            if option is None and not word.startswith("--") and len(word) > 2:
                option = _option(options, word[:2])  # -fjson: a short option and its value
                name, eq, value = word[:2], "=", word[2:]
            if option is not None:
                used.add(option[0])
                if option[1]:
                    if eq:
                        given(option, value)
                    else:
                        expecting = option
            continue
        if command is None:
            if word not in COMMANDS:
                return [], ""
            command = word
            _, options, arguments = COMMANDS[word]
            continue
        positional += 1

    if command is not None:
        # A --db after the cursor names the catalog too (bash sends the whole line).
        rest = list(request.after)
        for i, word in enumerate(rest):
            if word == "--db" and i + 1 < len(rest):
                db = db or unquote(rest[i + 1])[0]
            elif word.startswith("--db="):
                db = db or unquote(word[5:])[0]

    incomplete = request.incomplete
    if expecting is not None:
        return _values(expecting[4], db, incomplete), ""
    if incomplete.startswith("-") and not only_arguments:
        if incomplete.startswith("--") and "=" in incomplete:
            name, _, value = incomplete.partition("=")
            option = _option(options, name)
            if option is None or not option[1]:
                return [], ""
            return _values(option[4], db, value), f"{name}="
        offered = [(name, (), o[3]) for o in options if o[2] or o[0] not in used for name in o[0]]
        return [i for i in _matching("", offered) if i.value.startswith(incomplete)], ""
    if command is None:
        return _matching(incomplete, [(name, (), c[0]) for name, c in COMMANDS.items()]), ""
    if arguments:
        index = positional if positional < len(arguments) else len(arguments) - 1
        argument = arguments[index]
        if index == positional or argument[1] == -1:
            return _values(argument[2], db, incomplete), ""
    if not incomplete:
        return complete(Request(request.args, "-", request.quote, request.after))
    return [], ""


# --- answering each shell ----------------------------------------------------------------------

#: What a shell reads as itself outside quotes (shlex.quote's list).
_PLAIN = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_@%+=:,./-")


def _bash_value(value: str, quote: str) -> str:
    if quote == "'":
        return value
    special = '"\\$`' if quote == '"' else None
    return "".join(c if (c not in special if special else c in _PLAIN) else "\\" + c for c in value)


def _sh_quote(value: str) -> str:
    return "'" + value.replace("'", "'\\''") + "'"


def _zsh(items: list[Item], prefix: str) -> str:
    if not items:
        return "_files"  # as Typer's zsh answer: nothing known, so file names
    values = " ".join(_sh_quote(prefix + i.value) for i in items)
    if not any(i.help for i in items):
        return f"compadd -U -V scc -- {values}"
    width = max(len(prefix + i.value) for i in items)
    shown = " ".join(
        _sh_quote(f"{prefix + i.value:<{width}}  -- {' '.join(i.help.split())}")
        if i.help
        else _sh_quote(prefix + i.value)
        for i in items
    )
    return f"local -a _scc_shown=({shown}); compadd -U -V scc -l -d _scc_shown -- {values}"


def _powershell_value(value: str) -> str:
    if value and all(c in _PLAIN for c in value):
        return value
    return "'" + value.replace("'", "''") + "'"


def respond(env: Mapping[str, str], out: TextIO) -> int | None:
    """Answer a completion request on ``out``; the exit code, or None when ``env`` holds
    no request this module answers (``source_bash`` and the like: Typer prints scripts).
    """
    instruction, _, shell = env.get(COMPLETE_VAR, "").partition("_")
    if instruction != "complete" or shell not in ("bash", "zsh", "fish", "powershell", "pwsh"):
        return None
    if shell == "bash":
        request = _request_bash(env)
    elif shell in ("powershell", "pwsh"):
        request = _request_line(
            env.get("_TYPER_COMPLETE_ARGS", ""), env.get("_TYPER_COMPLETE_WORD_TO_COMPLETE", "")
        )
    else:
        request = _request_line(env.get("_TYPER_COMPLETE_ARGS", ""))
    items, prefix = complete(request)
    if shell == "bash":
        lines = [_bash_value(prefix + i.value, request.quote) for i in items]
    elif shell == "zsh":
        lines = [_zsh(items, prefix)]
    elif shell == "fish":
        if env.get("_TYPER_COMPLETE_FISH_ACTION") == "is-args":
            return 0 if items else 1  # 1: no values known, so fish offers file names
        lines = [f"{prefix}{i.value}\t{' '.join(i.help.split())}".rstrip("\t") for i in items]
    else:
        lines = [f"{_powershell_value(prefix + i.value)}:::{i.help or ' '}" for i in items]
    out.write("".join(f"{line}\n" for line in lines))
    return 0


def run_if_requested() -> None:
    """Answer the shell and exit, if this process is a completion request."""
    if COMPLETE_VAR in os.environ:
        code = respond(os.environ, sys.stdout)
        if code is not None:
            sys.stdout.flush()
            raise SystemExit(code)
