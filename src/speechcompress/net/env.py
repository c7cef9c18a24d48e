"""Numbers read from the environment, checked once: finite, in range, named when wrong."""

from __future__ import annotations

import math
import os
from collections.abc import Mapping

from speechcompress.errors import UsageError

ENV_DEADLINE = "SCC_NET_DEADLINE"
ENV_MAX_BYTES = "SCC_NET_MAX_BYTES"

#: Seconds a command may spend waiting on the network in all (retries and waits included).
DEFAULT_DEADLINE = 300.0
#: Bytes read from one answer before it is refused (an arXiv page of 100 entries is ~0.3 MB).
DEFAULT_MAX_BYTES = 20_000_000

#: A bound no sane setting reaches; it keeps ``inf``-like values out of sleeps and sockets.
_HUGE = 10.0**9


def env_number(
    environ: Mapping[str, str],
    name: str,
    kind: type[float] | type[int],
    *,
    minimum: float = 0.0,
    maximum: float = _HUGE,
) -> float | int | None:
    """``$name`` as a finite number in ``[minimum, maximum]``; None when unset or empty.

    Anything else (``nan``, ``inf``, ``1e309``, ``-1``, ``abc``) is a :class:`UsageError`
    naming the variable, before the value reaches a socket or a sleep.
    """
    value = environ.get(name)
    if value is None or value.strip() == "":
        return None
    number: float | int | None
    try:
        number = kind(value.strip())
    except (ValueError, OverflowError):
        number = None
    if number is None or not math.isfinite(number) or not minimum <= number <= maximum:
        noun = "a whole number" if kind is int else "a number"
        raise UsageError(
            f"${name} must be {noun} from {minimum:g} to {maximum:g}, not {value!r}",
            hint=f"unset {name} for the default",
        )
    return number


def net_deadline(environ: Mapping[str, str] | None = None) -> float:
    """Seconds a command may wait on the network in all (``$SCC_NET_DEADLINE``)."""
    environ = os.environ if environ is None else environ
    value = env_number(environ, ENV_DEADLINE, float, minimum=0.001)
    return DEFAULT_DEADLINE if value is None else float(value)


def max_answer_bytes(environ: Mapping[str, str] | None = None) -> int:
    """Bytes an answer may hold before it is refused (``$SCC_NET_MAX_BYTES``)."""
    environ = os.environ if environ is None else environ
    value = env_number(environ, ENV_MAX_BYTES, int, minimum=1)
    return DEFAULT_MAX_BYTES if value is None else int(value)
