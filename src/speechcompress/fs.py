"""The one home of scc's filesystem mechanics: atomic writes, locks and the cache folder.

Everything that replaces a file, locks one or keeps derived data calls this module:

- :func:`atomic_write` / :func:`replacing`: temp file beside the target, fsync, rename;
  the temp file is removed on any failure, and one of scc's own naming left by a killed
  process is removed by the next write of the same file.
- :func:`locked`: an advisory lock on the catalog file itself, so every writer of the
  same file takes the same lock whatever its cache folder, user or container.
- :func:`cache_dir`, :func:`cache_folder`, :func:`read_private`, :func:`open_private`:
  scc's cache, whose files are opened without following symlinks, and
  :func:`clear_cache`, which deletes only what scc made.

The core never prints; failures that are the user's to fix raise :class:`FileProblem`.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import time
from collections.abc import Iterator, Mapping
from pathlib import Path

from speechcompress.errors import FileProblem

ENV_CACHE = "SCC_CACHE_DIR"

#: The folders scc keeps under its cache directory; nothing else is ever deleted there.
#: (``locks`` holds the catalog locks of older versions: scc now locks the catalog file
#: itself, see :func:`locked`, but ``scc cache clear`` still empties it.)
CACHE_FOLDERS = ("catalogs", "arxiv", "links", "locks", "completion", "sources")
#: A marker file that says "this folder is scc's cache".
_CACHE_TAG = "CACHEDIR.TAG"
_CACHE_TAG_TEXT = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file marks scc's cache folder (https://bford.info/cachedir/).\n"
)
#: Temp files are named ``.<target name>.scc-<random>.tmp``: ours and nobody else's.
_TMP_INFIX = ".scc-"
_TMP_SUFFIX = ".tmp"
#: A cache temp file older than this belongs to a process that died.
_STALE_SECONDS = 3600.0

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


# --- atomic replacement -----------------------------------------------------------------


def real_target(path: Path) -> Path:
    """The file a write to ``path`` must replace: a symlink's target, resolved.

    Writing through keeps the link (and its target's other names) intact, instead of
    turning the link into a regular file.
    """
    path = Path(path)
    if path.is_symlink():
        return path.resolve()
    return path


def _temp_name(target: Path) -> str:
    return f".{target.name}{_TMP_INFIX}"


@contextlib.contextmanager
def replacing(
    path: Path, *, mode: int | None = None, sweep_age: float = 0.0, private: bool = False
) -> Iterator[Path]:
    """Yield a fresh temp path beside ``path``; rename it over ``path`` when the block ends.

    A user's file (the default) is written through a symlink to its target and keeps
    its permission bits; a hard-linked one is refused. A ``private`` file (scc's cache)
    is the name itself: a symlink or hard link planted there is replaced, never written
    through, and the file gets ``mode``.

    The caller fills the temp path (and fsyncs it, if the data matters). On any failure,
    Ctrl-C included, the temp file is removed and ``path`` is left as it was. Temp files
    of this naming older than ``sweep_age`` seconds (0: all; callers that hold the file's
    lock know no other writer is busy) are left by killed processes and removed first.
    """
    import tempfile

    target = Path(path) if private else real_target(path)
    folder = target.parent
    sweep_temps(target, older_than=sweep_age)
    if private:
        keep = 0o600 if mode is None else mode  # nothing of what is there now carries over
    else:
        keep = _mode_to_keep(target, path, 0o644 if mode is None else mode)
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=_temp_name(target), suffix=_TMP_SUFFIX)
        os.close(fd)
    except OSError as exc:
        raise FileProblem(f"cannot write to {folder}: {exc.strerror or exc}") from None
    try:
        yield Path(tmp)
        os.chmod(tmp, keep)
        os.replace(tmp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise FileProblem(f"cannot write {path}: {exc.strerror or exc}") from None
        raise


def _mode_to_keep(target: Path, path: Path, new: int) -> int:
    """The permission bits a replacement of the user's file ``target`` must carry (``new``
    when there is no file yet); a hard-linked or irregular file is refused."""
    try:
        st = target.stat()
    except FileNotFoundError:
        return new
    except OSError as exc:
        raise FileProblem(f"cannot write {path}: {exc.strerror or exc}") from None
    if st.st_nlink > 1:
        # A rename would leave the other names with the old text.
        raise FileProblem(
            f"cannot write {path}: it has {st.st_nlink} hard links, and a safe "
            "write replaces the file, which would split them",
            hint="link to it with a symlink (ln -s) instead; scc writes through those",
        )
    if not stat.S_ISREG(st.st_mode):
        raise FileProblem(f"cannot write {path}: not a regular file")
    return stat.S_IMODE(st.st_mode)


def atomic_write(
    path: Path, data: str | bytes, *, mode: int | None = None, sweep_age: float = 60.0
) -> None:
    """Replace ``path`` with ``data`` in one step (text is written as UTF-8, newlines as given).

    The data is fsynced before the rename, so a crash leaves the old file or the new one,
    never a mix; a symlink is written through; the file keeps its permission bits. A
    caller holding the file's lock passes ``sweep_age=0``: no other temp file is live.
    """
    body = data.encode("utf-8") if isinstance(data, str) else data
    with replacing(path, mode=mode, sweep_age=sweep_age) as tmp, open(tmp, "wb") as fh:
        fh.write(body)
        fh.flush()
        os.fsync(fh.fileno())


def sweep_temps(target: Path, *, older_than: float = 0.0) -> int:
    """Remove temp files of scc's naming left beside ``target``; returns how many."""
    folder = target.parent
    prefix = _temp_name(target)
    removed = 0
    now = time.time()
    try:
        names = [n for n in os.listdir(folder) if n.startswith(prefix) and n.endswith(_TMP_SUFFIX)]
    except OSError:
        return 0
    for name in names:
        file = folder / name
        with contextlib.suppress(OSError):
            st = file.lstat()
            if stat.S_ISREG(st.st_mode) and now - st.st_mtime >= older_than:
                file.unlink()
                removed += 1
    return removed


def check_writable(path: Path) -> None:
    """Refuse a file the user cannot write, or whose owner may not (0444 says "do not
    touch", and root, who could write anyway, is told so too)."""
    target = real_target(path)
    try:
        mode = target.stat().st_mode
    except OSError:
        return  # missing: it will be created; unreadable: the read says why
    if not mode & stat.S_IWUSR or not os.access(target, os.W_OK):
        raise FileProblem(
            f"cannot write {path}: it is read-only",
            hint=f"make it writable first (chmod u+w {path}) if you mean to change it",
        )


# --- locks ------------------------------------------------------------------------------


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold an exclusive advisory lock on the file ``path`` (POSIX; elsewhere a no-op).

    The lock is taken on the file itself (a symlink's target), so two writers of one
    catalog block each other whatever their cache folders. A writer replaces the file by
    rename, so a waiter that wakes up holding the lock of a file no longer at ``path``
    lets go and locks the new one. A file that does not exist yet needs no lock.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    target = real_target(path)
    while True:
        try:
            fd = os.open(target, os.O_RDONLY | _CLOEXEC)
        except FileNotFoundError:
            # Not made yet: creators of one file serialise on its folder instead.
            folder = target.parent
            try:
                fd = os.open(folder, os.O_RDONLY | _CLOEXEC)
            except OSError as exc:
                raise FileProblem(f"cannot lock {path}: {exc.strerror or exc}") from None
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
                if not target.exists():
                    yield
                    return
            finally:
                os.close(fd)
            continue  # made while we waited: lock the file itself
        except OSError as exc:
            raise FileProblem(f"cannot lock {path}: {exc.strerror or exc}") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                now = os.stat(target)
            except FileNotFoundError:
                now = None
            held = os.fstat(fd)
            if now is not None and (now.st_ino, now.st_dev) == (held.st_ino, held.st_dev):
                break
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)  # replaced while we waited: lock the file that is there now
    try:
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


@contextlib.contextmanager
def cache_lock(path: Path) -> Iterator[int | None]:
    """An exclusive lock on the cache file ``path``, yielding its descriptor (or None).

    The file is opened without following a symlink, so a link planted in the cache
    cannot redirect the write; any failure yields None (pacing is then per process).
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield None
        return
    try:
        fd = open_private(path, os.O_RDWR | os.O_CREAT)
    except OSError:
        yield None
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield fd
    finally:
        os.close(fd)


# --- the cache folder -------------------------------------------------------------------


def cache_dir(environ: Mapping[str, str] | None = None) -> Path:
    """The per-user cache directory for scc (``$SCC_CACHE_DIR`` overrides it)."""
    environ = os.environ if environ is None else environ
    if environ.get(ENV_CACHE):
        return Path(environ[ENV_CACHE])
    if environ is not os.environ and sys.platform.startswith("linux"):
        # platformdirs reads os.environ only; answer for an explicit mapping by its rule.
        home = Path(environ["HOME"]) if environ.get("HOME") else Path.home()
        return Path(environ.get("XDG_CACHE_HOME") or home / ".cache") / "scc"
    import platformdirs

    return Path(platformdirs.user_cache_dir("scc", appauthor=False))


def cache_folder(name: str, environ: Mapping[str, str] | None = None) -> Path:
    """``cache_dir()/name``, created (owner-only) if needed; a symlink there is refused.

    Raises ``OSError`` when it cannot be made; callers treat a missing cache as no cache.
    """
    if name not in CACHE_FOLDERS:
        raise ValueError(f"not one of scc's cache folders: {name!r}")
    root = cache_dir(environ)
    folder = root / name
    root.mkdir(parents=True, exist_ok=True, mode=0o700)
    tag = root / _CACHE_TAG
    if not tag.exists() and not tag.is_symlink():
        with contextlib.suppress(OSError):
            fd = open_private(tag, os.O_WRONLY | os.O_CREAT | os.O_EXCL)
            with os.fdopen(fd, "w", encoding="ascii") as fh:
                fh.write(_CACHE_TAG_TEXT)
    with contextlib.suppress(FileExistsError):
        folder.mkdir(mode=0o700)
    if folder.is_symlink() or not folder.is_dir():
        raise OSError(f"{folder} is not a plain folder")
    return folder


def open_private(path: Path, flags: int = os.O_RDONLY, mode: int = 0o600) -> int:
    """``os.open`` that never follows a symlink at ``path`` (raises ``OSError`` instead)."""
    if not _NOFOLLOW and Path(path).is_symlink():  # pragma: no cover - no O_NOFOLLOW
        raise OSError(f"{path} is a symlink")
    return os.open(path, flags | _NOFOLLOW | _CLOEXEC, mode)


def read_private(path: Path) -> bytes | None:
    """The bytes of the cache file ``path``, or None if missing, unreadable or a symlink."""
    try:
        fd = open_private(path)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as fh:
        try:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                return None
            return fh.read()
        except OSError:
            return None


def write_private(path: Path, data: str | bytes) -> bool:
    """Atomically write a cache file; False (never an error) when it cannot be written.

    The temp file is created exclusively and the rename replaces a symlink at ``path``
    rather than writing through it. Temp files a killed process left are swept after an
    hour.
    """
    body = data.encode("utf-8") if isinstance(data, str) else data
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        with (
            replacing(path, mode=0o600, sweep_age=_STALE_SECONDS, private=True) as tmp,
            open(tmp, "wb") as fh,
        ):
            fh.write(body)
    except (OSError, FileProblem):
        return False
    return True


def clear_cache(environ: Mapping[str, str] | None = None) -> int:
    """Delete the files scc made in its cache folder; returns how many were removed.

    Only scc's own subfolders are emptied, and nothing is followed through a symlink.
    A cache folder that holds anything else at its top level (``SCC_CACHE_DIR`` pointed
    at a checkout, say) is refused whole: nothing in it is deleted. The catalog files
    themselves are never touched.
    """
    root = cache_dir(environ)
    if root.is_symlink():
        raise FileProblem(
            f"refusing to clear {root}: it is a symlink",
            hint="point SCC_CACHE_DIR at the real folder",
        )
    if not root.is_dir():
        return 0
    foreign = sorted(name for name in os.listdir(root) if name not in (*CACHE_FOLDERS, _CACHE_TAG))
    if foreign:
        shown = ", ".join(foreign[:3]) + (", ..." if len(foreign) > 3 else "")
        raise FileProblem(
            f"refusing to clear {root}: it holds files scc did not make ({shown})",
            hint="SCC_CACHE_DIR must name a folder used only by scc",
        )
    removed = 0
    for name in CACHE_FOLDERS:
        removed += _empty(root / name)
    return removed


def _empty(folder: Path) -> int:
    """Remove regular files and empty folders under ``folder``, never through a symlink."""
    try:
        st = folder.lstat()
    except OSError:
        return 0
    if not stat.S_ISDIR(st.st_mode):
        return 0
    removed = 0
    for dirpath, dirnames, filenames in os.walk(folder, topdown=False, followlinks=False):
        here = Path(dirpath)
        for name in filenames:
            file = here / name
            with contextlib.suppress(OSError):
                if stat.S_ISREG(file.lstat().st_mode) or file.is_symlink():
                    file.unlink()  # a symlink itself is removed, never what it names
                    removed += 1
        for name in dirnames:
            with contextlib.suppress(OSError):
                sub = here / name
                if sub.is_symlink():
                    sub.unlink()
                    removed += 1
                else:
                    sub.rmdir()
    return removed
