"""A polite client for the arXiv export API, and a parser for the Atom feeds it serves.

* One request at a time, at least ``min_interval`` seconds apart (arXiv's terms of use ask
  for 3 s), across every scc process sharing the cache folder.
* Retries with exponential backoff on 429, 5xx and connection errors, honouring
  ``Retry-After``; then a :class:`~speechcompress.errors.NetworkError`.
* Answers are cached on disk (arXiv updates once a day, and asks clients to cache).
* Feeds are parsed with defusedxml: no entity-expansion or external-entity attacks.

The core never prints. httpx and defusedxml are imported only when a request or a parse
happens, so commands that never talk to arXiv do not pay for them.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import re
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from speechcompress import __version__
from speechcompress.errors import NetworkError, UsageError
from speechcompress.ids import DOI, normalize_arxiv_id

if TYPE_CHECKING:
    import httpx

DEFAULT_API_URL = "https://export.arxiv.org/api/query"
USER_AGENT = f"scc/{__version__} (speechcompress paper catalog; arXiv API client)"

ENV_API = "SCC_ARXIV_API"
ENV_DELAY = "SCC_ARXIV_DELAY"
ENV_BACKOFF = "SCC_ARXIV_BACKOFF"
ENV_RETRIES = "SCC_ARXIV_RETRIES"
ENV_TIMEOUT = "SCC_ARXIV_TIMEOUT"
ENV_CACHE_HOURS = "SCC_ARXIV_CACHE_HOURS"

#: The id forms ``scc add`` accepts, for hints.
ACCEPTED_FORMS = (
    "2305.17651, 2305.17651v2, arXiv:2305.17651, https://arxiv.org/abs/2305.17651, "
    "https://arxiv.org/pdf/2305.17651 or cs/0112017"
)

#: Ids per request; keeps the URL short and the answer well under arXiv's page cap.
BATCH_SIZE = 100
#: Statuses worth another try: arXiv answers 429 and 503 when busy.
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})

_ENTRY_ID = re.compile(r"/abs/(?P<id>.+?)(?:v(?P<version>\d+))?$")
_WITHDRAWN_COMMENT = re.compile(r"\bwithdrawn\b", re.IGNORECASE)
_WITHDRAWN_ABSTRACT = re.compile(
    r"^\s*(?:this (?:paper|article|submission|manuscript|version) (?:has been|was|is) )?"
    r"withdrawn\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class ArxivEntry:
    """One paper as the arXiv API describes it (text with whitespace collapsed)."""

    arxiv_id: str
    version: int
    title: str
    authors: tuple[str, ...]
    #: Date of the first version.
    published: dt.date
    #: Date of the version returned (the latest one unless a version was asked for).
    updated: dt.date
    abstract: str = ""
    primary_category: str | None = None
    categories: tuple[str, ...] = ()
    doi: str | None = None
    journal_ref: str | None = None
    comment: str | None = None

    @property
    def year(self) -> int:
        """The year of the first version."""
        return self.published.year

    @property
    def url(self) -> str:
        return f"https://arxiv.org/abs/{self.arxiv_id}"

    @property
    def withdrawn(self) -> bool:
        """Whether the authors withdrew the paper (arXiv keeps the record, marked so)."""
        return bool(
            (self.comment and _WITHDRAWN_COMMENT.search(self.comment))
            or _WITHDRAWN_ABSTRACT.match(self.abstract)
        )


# --- parsing -------------------------------------------------------------------------


def _local(tag: str) -> str:
    # Match on local names: the API has declared its namespaces on <feed> in one era and on
    # each element in another; ElementTree resolves both to the same URIs, and a mirror
    # that drops them still parses.
    return tag.rsplit("}", 1)[-1]


def _children(element: Any, name: str) -> list[Any]:
    return [child for child in element if _local(child.tag) == name]


def _text(element: Any, name: str) -> str | None:
    for child in _children(element, name):
        value = " ".join((child.text or "").split())
        if value:
            return value
    return None


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _first_doi(value: str | None) -> str | None:
    # arXiv's doi field occasionally lists several, separated by spaces or semicolons;
    # 10.48550 is arXiv's own DOI prefix, not a sign of publication.
    for token in re.split(r"[\s;,]+", value or ""):
        if DOI.match(token) and not token.startswith("10.48550/"):
            return token
    return None


def _looks_like_html(data: bytes) -> bool:
    head = data[:512].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<html" in head[:200]


def parse_feed(data: bytes | str, *, source: str = "the arXiv API") -> list[ArxivEntry]:
    """The entries of an arXiv API Atom feed, in feed order.

    Entries without a title or first-version date (how the API has answered for ids it
    does not know) are left out. Raises :class:`UsageError` for the API's error feed and
    :class:`NetworkError` for an HTML page, malformed XML or XML that declares entities.
    """
    # defusedxml ships no type hints (types-defusedxml is not a dependency).
    import defusedxml  # type: ignore[import-untyped]
    from defusedxml import ElementTree

    raw = data.encode("utf-8") if isinstance(data, str) else data
    if not raw.strip():
        raise NetworkError(f"{source} sent an empty answer instead of an Atom feed")
    if _looks_like_html(raw):
        raise NetworkError(
            f"{source} sent an HTML page instead of an Atom feed",
            hint=f"check the API URL (--api-url or ${ENV_API}); a proxy or captive portal "
            "may be answering instead of arXiv",
        )
    try:
        root = ElementTree.fromstring(raw)
    except defusedxml.DefusedXmlException as exc:
        raise NetworkError(
            f"{source} sent XML that declares entities or external references; refused to "
            f"read it ({type(exc).__name__})"
        ) from None
    except ElementTree.ParseError as exc:
        raise NetworkError(f"{source} sent malformed XML ({exc})") from None
    if _local(root.tag) != "feed":
        raise NetworkError(f"{source} sent <{_local(root.tag)}>, not an Atom <feed>")

    entries: list[ArxivEntry] = []
    for element in _children(root, "entry"):
        entry_id = _text(element, "id") or ""
        title = _text(element, "title")
        if title == "Error" and ("/api/errors" in entry_id or not _text(element, "published")):
            message = _text(element, "summary") or "unspecified error"
            raise UsageError(
                f"the arXiv API refused the request: {message}",
                hint=f"arXiv ids look like {ACCEPTED_FORMS}",
            )
        match = _ENTRY_ID.search(entry_id)
        published = _date(_text(element, "published"))
        arxiv_id = normalize_arxiv_id(match["id"]) if match else None
        if not (arxiv_id and title and published):
            continue
        primary = next(
            (c.get("term") for c in _children(element, "primary_category") if c.get("term")),
            None,
        )
        entries.append(
            ArxivEntry(
                arxiv_id=arxiv_id,
                version=int(match["version"]) if match and match["version"] else 1,
                title=title,
                authors=tuple(
                    name for a in _children(element, "author") if (name := _text(a, "name"))
                ),
                published=published,
                updated=_date(_text(element, "updated")) or published,
                abstract=_text(element, "summary") or "",
                primary_category=primary,
                categories=tuple(
                    term for c in _children(element, "category") if (term := c.get("term"))
                ),
                doi=_first_doi(_text(element, "doi")),
                journal_ref=_text(element, "journal_ref"),
                comment=_text(element, "comment"),
            )
        )
    return entries


# --- settings --------------------------------------------------------------------------


def _env_number(environ: Mapping[str, str], name: str, kind: type[float] | type[int]) -> Any:
    value = environ.get(name)
    if value is None or value.strip() == "":
        return None
    try:
        number = kind(value)
    except ValueError:
        number = -1
    if number < 0:
        raise UsageError(f"${name} must be a non-negative {kind.__name__}, not {value!r}")
    return number


def check_api_url(url: str) -> str:
    """``url`` if it is an http(s) URL, else a :class:`UsageError`."""
    if not re.match(r"^https?://[^\s/]+", url, re.IGNORECASE):
        raise UsageError(
            f"the arXiv API URL {url!r} is not an http:// or https:// URL",
            hint=f"the default is {DEFAULT_API_URL}",
        )
    return url


@dataclass(frozen=True)
class ArxivSettings:
    """How to talk to the arXiv API. The defaults follow arXiv's terms of use."""

    api_url: str = DEFAULT_API_URL
    #: Seconds between the starts of two requests.
    min_interval: float = 3.0
    #: Further attempts after a 429, a 5xx or a connection error.
    retries: int = 3
    #: First backoff wait in seconds; it doubles at each retry (Retry-After wins if longer).
    backoff: float = 3.0
    #: Seconds to wait for a connection or an answer.
    timeout: float = 15.0
    #: Seconds a cached answer stays fresh.
    max_age: float = 24 * 3600.0
    #: A Retry-After longer than this ends the retries at once.
    max_retry_after: float = 600.0

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> ArxivSettings:
        """Defaults, then ``$SCC_ARXIV_*`` variables, then ``overrides`` that are not None.

        ``$SCC_ARXIV_DELAY`` also sets the backoff unless ``$SCC_ARXIV_BACKOFF`` is given,
        so ``SCC_ARXIV_DELAY=0`` makes a test suite fast.
        """
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        if environ.get(ENV_API):
            values["api_url"] = environ[ENV_API]
        delay = _env_number(environ, ENV_DELAY, float)
        if delay is not None:
            values["min_interval"] = values["backoff"] = delay
        for name, key, kind in (
            (ENV_BACKOFF, "backoff", float),
            (ENV_RETRIES, "retries", int),
            (ENV_TIMEOUT, "timeout", float),
        ):
            number = _env_number(environ, name, kind)
            if number is not None:
                values[key] = number
        hours = _env_number(environ, ENV_CACHE_HOURS, float)
        if hours is not None:
            values["max_age"] = hours * 3600.0
        values.update({k: v for k, v in overrides.items() if v is not None})
        settings = replace(cls(), **values)
        check_api_url(settings.api_url)
        return settings


# --- the client -------------------------------------------------------------------------


@contextlib.contextmanager
def _exclusive(path: Path | None) -> Iterator[int | None]:
    """An exclusive lock on ``path`` (an fd to read and write it), or None if impossible."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: pacing stays per process
        yield None
        return
    fd = None
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError:
            fd = None
    if fd is None:
        yield None
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield fd
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


@dataclass
class _Answer:
    status: int
    content_type: str
    body: bytes


@dataclass
class ArxivClient:
    """Fetch arXiv entries by id, politely.

    ``http`` is an ``httpx.Client`` to use (tests pass one built on ``httpx.MockTransport``);
    without one, a client is created on the first request and closed by :meth:`close`.
    ``sleep`` and ``clock`` (wall-clock seconds) are injectable so tests never wait.
    ``cache_dir`` holds cached answers and the lock that paces scc processes; None
    disables both. ``use_cache=False`` ignores cached answers (fresh ones are still stored).
    """

    settings: ArxivSettings = field(default_factory=ArxivSettings)
    http: httpx.Client | None = None
    cache_dir: Path | None = None
    use_cache: bool = True
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.time
    #: How many HTTP requests this client has sent (retries included).
    requests_sent: int = field(default=0, init=False)
    _own_http: bool = field(default=False, init=False, repr=False)
    _last_request: float | None = field(default=None, init=False, repr=False)

    def __enter__(self) -> ArxivClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._own_http and self.http is not None:
            self.http.close()
            self.http = None
            self._own_http = False

    def fetch(self, ids: Sequence[str]) -> dict[str, ArxivEntry]:
        """The entries for ``ids`` (bare arXiv ids), keyed by id; unknown ids are absent.

        Ids go ``BATCH_SIZE`` at a time in one ``id_list`` request each.
        """
        wanted = list(dict.fromkeys(ids))
        found: dict[str, ArxivEntry] = {}
        for start in range(0, len(wanted), BATCH_SIZE):
            chunk = wanted[start : start + BATCH_SIZE]
            for entry in self._query(chunk):
                if entry.arxiv_id in chunk:
                    found[entry.arxiv_id] = entry
        return found

    # -- one request ---------------------------------------------------------------------

    def _params(self, ids: Sequence[str]) -> dict[str, str]:
        return {"id_list": ",".join(ids), "max_results": str(len(ids))}

    def _cache_file(self, ids: Sequence[str]) -> Path | None:
        if self.cache_dir is None:
            return None
        key = (
            self.settings.api_url
            + "?"
            + "&".join(f"{k}={v}" for k, v in sorted(self._params(ids).items()))
        )
        return self.cache_dir / f"{hashlib.sha256(key.encode()).hexdigest()[:32]}.xml"

    def _read_cache(self, path: Path | None) -> bytes | None:
        if path is None or not self.use_cache:
            return None
        try:
            age = self.clock() - path.stat().st_mtime
            # A little slack below zero: file times and our clock may disagree slightly.
            if not -60 <= age <= self.settings.max_age:
                return None
            return path.read_bytes()
        except OSError:
            return None

    def _write_cache(self, path: Path | None, body: bytes) -> None:
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".xml")
            with os.fdopen(fd, "wb") as fh:
                fh.write(body)
            os.replace(tmp, path)
        except OSError:
            return  # failing to cache is not an error

    def _query(self, ids: Sequence[str]) -> list[ArxivEntry]:
        cache_file = self._cache_file(ids)
        cached = self._read_cache(cache_file)
        if cached is not None:
            try:
                return parse_feed(cached)
            except (NetworkError, UsageError):
                pass  # a damaged cache file is refetched
        answer = self._get(self._params(ids))
        source = f"the arXiv API at {self.settings.api_url}"
        if "html" in answer.content_type.lower() or _looks_like_html(answer.body):
            raise NetworkError(
                f"{source} sent an HTML page (HTTP {answer.status}) instead of an Atom feed",
                hint=f"check the API URL (--api-url or ${ENV_API})",
            )
        if answer.status != 200:
            # The API reports bad requests as an error feed with HTTP 400.
            with contextlib.suppress(NetworkError):
                parse_feed(answer.body, source=source)
            raise NetworkError(
                f"{source} answered HTTP {answer.status}",
                hint=f"check the API URL (--api-url or ${ENV_API})",
            )
        entries = parse_feed(answer.body, source=source)
        self._write_cache(cache_file, answer.body)
        return entries

    def _client(self) -> httpx.Client:
        if self.http is None:
            import httpx

            self.http = httpx.Client(
                timeout=self.settings.timeout,
                follow_redirects=True,
                headers={"User-Agent": USER_AGENT},
            )
            self._own_http = True
        return self.http

    @contextlib.contextmanager
    def _turn(self) -> Iterator[None]:
        """Wait for our turn: one request at a time, ``min_interval`` apart, across processes."""
        lock = self.cache_dir / "api.lock" if self.cache_dir is not None else None
        with _exclusive(lock) as fd:
            last = self._last_request
            if fd is not None:
                with contextlib.suppress(OSError, ValueError):
                    stamp = os.pread(fd, 64, 0).decode().strip()
                    if stamp:
                        last = max(last or 0.0, float(stamp))
            if last is not None:
                # A stamp from the future (clock change) never makes us wait longer than this.
                wait = min(
                    self.settings.min_interval, last + self.settings.min_interval - self.clock()
                )
                if wait > 0:
                    self.sleep(wait)
            try:
                yield
            finally:
                self._last_request = self.clock()
                if fd is not None:
                    with contextlib.suppress(OSError):
                        os.ftruncate(fd, 0)
                        os.pwrite(fd, repr(self._last_request).encode(), 0)

    def _get(self, params: Mapping[str, str]) -> _Answer:
        """GET the API, retrying busy answers and connection errors with backoff."""
        import httpx

        from speechcompress.links import parse_retry_after

        # Hand-written rather than tenacity: the wait must honour Retry-After and share
        # the pacing lock above, and scc declares no retry library.
        url = self.settings.api_url
        attempts = self.settings.retries + 1
        problem = ""
        client = self._client()
        for attempt in range(attempts):
            retry_after: float | None = None
            with self._turn():
                self.requests_sent += 1
                try:
                    response = client.get(url, params=params, headers={"User-Agent": USER_AGENT})
                except httpx.TimeoutException:
                    problem = f"no answer within {self.settings.timeout:g} s"
                except httpx.TransportError as exc:
                    problem = f"cannot connect ({exc or type(exc).__name__})"
                else:
                    if response.status_code not in RETRY_STATUSES:
                        return _Answer(
                            response.status_code,
                            response.headers.get("content-type", ""),
                            response.content,
                        )
                    problem = f"HTTP {response.status_code}"
                    retry_after = parse_retry_after(
                        response.headers.get("retry-after"), self.clock()
                    )
            if attempt + 1 == attempts:
                break
            if retry_after is not None and retry_after > self.settings.max_retry_after:
                raise NetworkError(
                    f"the arXiv API at {url} is busy ({problem}) and asks to wait "
                    f"{retry_after:.0f} s",
                    hint="try again later",
                )
            wait = max(retry_after or 0.0, self.settings.backoff * 2**attempt)
            if wait > 0:
                self.sleep(wait)
        tries = f"{attempts} attempt{'s' if attempts != 1 else ''}"
        raise NetworkError(
            f"the arXiv API at {url} failed: {problem} after {tries}",
            hint="arXiv may be busy or down; try again in a few minutes",
        )


def make_client(
    *,
    api_url: str | None = None,
    use_cache: bool = True,
    environ: Mapping[str, str] | None = None,
    http: httpx.Client | None = None,
) -> ArxivClient:
    """A client configured from the environment, caching under scc's cache folder."""
    from speechcompress.fs import cache_dir

    settings = ArxivSettings.from_env(environ, api_url=api_url)
    return ArxivClient(
        settings=settings, http=http, cache_dir=cache_dir(environ) / "arxiv", use_cache=use_cache
    )
