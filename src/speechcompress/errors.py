"""One error hierarchy; the CLI turns each into one line on stderr and an exit code.

Exit codes (documented in the README):

====  =======================================================================
0     success
1     a check found problems (``scc check``, ``export --check``, dead links); a search found nothing
2     usage error: unknown option, bad or unknown filter value
3     the catalog is invalid (TOML syntax or schema)
4     a file could not be found, read or written
5     a network or remote-service error (arXiv API, link checks)
6     refused: the paper is already in the catalog
130   interrupted (Ctrl-C)
====  =======================================================================
"""

from __future__ import annotations


class SccError(Exception):
    """A mistake or condition the user can act on; never shown as a traceback."""

    exit_code = 1

    def __init__(self, message: str, *, where: str | None = None, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.where = where
        self.hint = hint

    def lines(self) -> list[str]:
        """The text shown to the user: ``error: <where>: <what>`` then an optional hint."""
        head = f"error: {self.where}: {self.message}" if self.where else f"error: {self.message}"
        return [head] + ([f"hint: {self.hint}"] if self.hint else [])


class UsageError(SccError):
    """A bad command-line value, e.g. an unknown method or a malformed year range."""

    exit_code = 2


class CatalogError(SccError):
    """The catalog file is not valid TOML or not a valid catalog."""

    exit_code = 3

    def __init__(self, problems: list[SccError]) -> None:
        first = problems[0]
        super().__init__(first.message, where=first.where, hint=first.hint)
        self.problems = problems

    def lines(self) -> list[str]:
        out: list[str] = []
        for problem in self.problems:
            out.extend(problem.lines())
        if len(self.problems) > 1:
            out.append(f"{len(self.problems)} problems")
        return out


class FileProblem(SccError):
    """A file that is missing, unreadable or unwritable."""

    exit_code = 4


class NetworkError(SccError):
    """The network or a remote service (arXiv, a linked site) failed us."""

    exit_code = 5


class DuplicateError(SccError):
    """The paper is already in the catalog."""

    exit_code = 6
