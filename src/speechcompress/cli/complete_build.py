"""Writes :mod:`speechcompress.cli.complete_spec` from the Typer app.

Run ``python -m speechcompress.cli.complete_build`` after changing a command's
options; ``tests/test_completion.py`` fails until the spec matches the app again.
This module imports Typer and every command: only that test and a developer run it.
"""

from __future__ import annotations

from typing import Any, TypeAlias

Spec: TypeAlias = tuple[tuple[Any, ...], dict[str, tuple[Any, ...]]]


def _declared_values() -> dict[str, object]:
    """What each parameter's values are, by ``command.parameter`` or ``*.parameter``."""
    from speechcompress.cli.cmd_export import EXPORT_FORMATS, STYLES
    from speechcompress.cli.cmd_results import RESULT_FORMATS
    from speechcompress.cli.session import LIST_FORMATS
    from speechcompress.query import SORT_KEYS
    from speechcompress.render.markdown import GROUPINGS

    return {
        "*.venue": "venue",
        "*.method": "method",
        "*.model": "model",
        "list.fmt": LIST_FORMATS,
        "search.fmt": LIST_FORMATS,
        "list.sort": tuple(SORT_KEYS),
        "show.key": "paper",
        "show.fmt": ("text", "json", "bibtex"),
        "stats.fmt": ("table", "plain", "json"),
        "export.fmt": EXPORT_FORMATS,
        "export.group_by": GROUPINGS,
        "export.style": STYLES,
        "export.bib_style": ("natbib", "biblatex"),
        "cite.bib_style": ("natbib", "biblatex"),
        "import.fmt": ("markdown", "bibtex"),
        "refresh.keys": "paper",
        "refresh.fmt": ("table", "json"),
        "results.fmt": RESULT_FORMATS,
        "compare.papers": "paper",
        "compare.fmt": RESULT_FORMATS,
        "cache.action": ("clear", "path"),
    }


def spec_from_app() -> Spec:
    """``ROOT_OPTIONS`` and ``COMMANDS`` as :mod:`~speechcompress.cli.complete_spec`
    should hold them, read off the Typer app."""
    import typer
    import typer.main

    from speechcompress.cli.app import make_app

    declared = _declared_values()
    # Typer 0.28 carries its own copy of Click: duck typing works with either.
    group: Any = typer.main.get_command(make_app())
    root = typer.Context(group, info_name="scc", **group.context_settings)

    def describe(command: Any, ctx: Any, name: str) -> tuple[tuple[object, ...], ...]:
        options, arguments = [], []
        for p in command.get_params(ctx):
            if getattr(p, "hidden", False):
                continue
            values = declared.get(f"{name}.{p.name}", declared.get(f"*.{p.name}"))
            if p.param_type_name == "option":
                takes = not (p.is_flag or p.count)
                names = (*p.opts, *p.secondary_opts)
                # Click keeps -h/--help in a set: long names first makes the order stable.
                names = tuple(sorted(names, key=lambda n: not n.startswith("--")))
                help_text = " ".join((p.help or "").split())
                options.append((names, takes, p.multiple, help_text, values))
            else:
                arguments.append((p.name, p.nargs, values))
        return tuple(options), tuple(arguments)

    commands: dict[str, tuple[object, ...]] = {}
    for name, command in group.commands.items():
        ctx = typer.Context(command, parent=root, info_name=name, **command.context_settings)
        commands[name] = (command.get_short_help_str(limit=80), *describe(command, ctx, name))
    return describe(group, root, "")[0], commands


Vocabularies: TypeAlias = tuple[
    tuple[tuple[str, tuple[str, ...], str], ...], tuple[tuple[str, tuple[str, ...], str], ...]
]


def vocabularies() -> Vocabularies:
    """``METHODS`` and ``VENUES`` (built in) as the spec holds them: (name, aliases, help)."""
    from speechcompress.vocab import BUILTIN_VENUES, METHOD_ALIASES, METHODS

    methods = tuple(
        (m, tuple(a for a, target in METHOD_ALIASES.items() if target == m), h)
        for m, h in METHODS.items()
    )
    venues = tuple((v.name, v.aliases, v.full_name) for v in BUILTIN_VENUES)
    return methods, venues


def render_spec(spec: Spec, vocab: Vocabularies) -> str:
    """The source of :mod:`speechcompress.cli.complete_spec`."""
    root, commands = spec
    lines = [
        '"""Commands, options and their values for Tab completion, without importing Typer.',
        "",
        "Generated from the Typer app by ``python -m speechcompress.cli.complete_build``;",
        "do not edit. A test fails when this file and the app disagree.",
        "",
        "An option is (names, takes a value, repeatable, help, values); an argument is",
        "(name, nargs, values). Values are a tuple of choices, a kind that",
        "``complete.KINDS`` looks up in the catalog, or None (the shell completes file",
        "names).",
        '"""',
        "# ruff: noqa: E501 (generated: one option a line, help text and all)",
        "# fmt: off",
        "",
        "from __future__ import annotations",
        "",
        "TYPE_CHECKING = False",
        "if TYPE_CHECKING:",
        "    from speechcompress.cli.complete import Argument, Option",
        "",
        "ROOT_OPTIONS: tuple[Option, ...] = (",
        *(f"    {o!r}," for o in root),
        ")",
        "",
        "COMMANDS: dict[str, tuple[str, tuple[Option, ...], tuple[Argument, ...]]] = {",
    ]
    for name, (help_text, options, arguments) in commands.items():
        lines += [f"    {name!r}: (", f"        {help_text!r},", "        ("]
        lines += [f"            {o!r}," for o in options]
        lines += ["        ),", "        ("]
        lines += [f"            {a!r}," for a in arguments]
        lines += ["        ),", "    ),"]
    lines.append("}")
    methods, venues = vocab
    lines += [
        "",
        "#: The methods: (name, aliases, description).",
        "METHODS: tuple[tuple[str, tuple[str, ...], str], ...] = (",
    ]
    lines += [f"    {m!r}," for m in methods]
    lines += [
        ")",
        "",
        "#: The built-in venues: (name, aliases, full name).",
        "VENUES: tuple[tuple[str, tuple[str, ...], str], ...] = (",
    ]
    lines += [f"    {v!r}," for v in venues]
    lines.append(")")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    from pathlib import Path

    target = Path(__file__).with_name("complete_spec.py")
    target.write_text(render_spec(spec_from_app(), vocabularies()), encoding="utf-8")
    print(f"wrote {target}")
