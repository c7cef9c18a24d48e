"""The TOML file is the one source of truth: a damaged or altered index is never served.

The guarantee: a command answers from an index only if (1) the CRC-32 of the index file's
bytes equals the stamp written into it when scc built it, and (2) the index was built
from the catalog file's exact bytes (CRC-32, size, mtime, ctime, inode and path) by this
scc version. Anything else is answered from the file, and the index is built anew.
"""

from __future__ import annotations

import random
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import run
from speechcompress import index_codec
from speechcompress.index_query import CatalogIndex
from speechcompress.source import open_source

COMMANDS = [
    ("list", "--format", "plain"),
    ("search", "hubert", "--format", "plain"),
    ("show", "lighthubert"),
    ("export", "--format", "json"),
    ("stats",),
]


def _outputs(db: Path, *extra: str) -> list[tuple[int, str]]:
    return [
        (r.exit_code, r.stdout) for r in (run(*cmd, "--db", str(db), *extra) for cmd in COMMANDS)
    ]


def _index_of(db: Path) -> Path:
    file = index_codec.index_file(db)
    assert file is not None
    return file


def test_fifty_bit_flips_never_serve_wrong_data(mini: Path) -> None:
    expected = _outputs(mini, "--no-cache")
    assert all(code == 0 for code, _ in expected)
    _outputs(mini)  # builds the index and fills its word table
    index = _index_of(mini)
    pristine = index.read_bytes()
    rng = random.Random(20261130)
    for _ in range(50):
        data = bytearray(pristine)
        at = rng.randrange(len(data))
        data[at] ^= 1 << rng.randrange(8)
        index.write_bytes(bytes(data))
        assert not index_codec.verify(index)
        got = _outputs(mini)
        assert got == expected, f"flip at byte {at}"


def test_an_index_edited_by_hand_is_not_served(mini: Path) -> None:
    run("list", "--db", str(mini))
    index = _index_of(mini)
    with sqlite3.connect(index) as conn:  # the identity key is left as it was
        conn.execute("UPDATE papers SET title = 'Forged title' WHERE id = 'lighthubert'")
    conn.close()
    shown = run("show", "lighthubert", "--db", str(mini))
    assert shown.exit_code == 0
    assert "Forged title" not in shown.stdout
    assert "LightHuBERT" in shown.stdout
    assert "Forged title" not in run("list", "--db", str(mini)).stdout


def test_a_catalog_changed_behind_an_unchanged_stat_is_read_again(mini: Path) -> None:
    import os

    run("list", "--db", str(mini))
    st = mini.stat()
    text = mini.read_text(encoding="utf-8")
    changed = text.replace("LightHuBERT", "LightHuBERX", 1)
    assert len(changed) == len(text)
    mini.write_text(changed, encoding="utf-8")
    os.utime(mini, ns=(st.st_atime_ns, st.st_mtime_ns))  # same size, same mtime
    assert "LightHuBERX" in run("show", "lighthubert", "--db", str(mini)).stdout


def test_a_stale_journal_beside_the_index_does_not_stop_it_being_used(mini: Path) -> None:
    """A kill during a write of an older scc left a hot journal: SQLite then refused to
    open the index read-only, and every later command parsed the file again."""
    run("list", "--db", str(mini))
    index = _index_of(mini)
    pristine = index.read_bytes()
    # A real hot journal: a write transaction's journal, captured before its commit.
    scratch = index.with_name("scratch.sqlite")
    shutil.copy(index, scratch)
    conn = sqlite3.connect(scratch, isolation_level=None)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute("BEGIN EXCLUSIVE")
    conn.execute("UPDATE papers SET title = title || '!'")
    conn.execute("PRAGMA cache_spill = ON")
    conn.execute("PRAGMA cache_size = 1")
    conn.execute("UPDATE texts SET abstract = abstract || '!'")
    journal = Path(f"{scratch}-journal")
    assert journal.exists()
    shutil.copy(journal, f"{index}-journal")
    conn.execute("ROLLBACK")
    conn.close()
    scratch.unlink()
    assert index.read_bytes() == pristine

    source = open_source(mini)
    assert isinstance(source, CatalogIndex)
    assert source._parsed is None  # served from the index, not parsed again
    expected = [p.title for p in open_source(mini, use_cache=False).papers()]
    assert [p.title for p in source.papers()] == expected
    assert run("search", "hubert", "--db", str(mini)).exit_code == 0  # fills the words
    assert not Path(f"{index}-journal").exists()
    again = open_source(mini)
    assert isinstance(again, CatalogIndex) and again._parsed is None
    assert again._meta("words") == "1"


def test_a_search_killed_while_filling_the_word_table_leaves_a_usable_index(
    mini: Path, tmp_path: Path
) -> None:
    run("list", "--db", str(mini))
    index = _index_of(mini)
    before = index.read_bytes()
    code = (
        "import os, sys\n"
        "from speechcompress import index_build\n"
        "def die(*a, **k):\n"
        "    os._exit(9)\n"
        "index_build._fill_words = die\n"
        "from speechcompress.cli import run\n"
        "sys.argv = ['scc', 'search', 'hubert', '--db', sys.argv[1]]\n"
        "run()\n"
    )
    proc = subprocess.run([sys.executable, "-c", code, str(mini)], capture_output=True)
    assert proc.returncode == 9
    assert index.read_bytes() == before  # never written in place
    source = open_source(mini)
    assert isinstance(source, CatalogIndex) and source._parsed is None


@pytest.mark.parametrize("flip_at", [0, 16, 60, 100, -1])
def test_the_stamp_covers_every_byte(mini: Path, flip_at: int) -> None:
    run("list", "--db", str(mini))
    index = _index_of(mini)
    assert index_codec.verify(index)
    data = bytearray(index.read_bytes())
    data[flip_at] ^= 0x10
    index.write_bytes(bytes(data))
    assert not index_codec.verify(index)
