"""The filesystem module: what a user's files and scc's cache look like after each write."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import run
from speechcompress.errors import FileProblem
from speechcompress.fs import (
    atomic_write,
    cache_dir,
    cache_folder,
    cache_lock,
    clear_cache,
    read_private,
    write_private,
)

PAPER_MD = """# A list

## 2022
- [[ICASSP]()] {title}
"""


def test_a_write_through_a_symlink_keeps_the_link_and_changes_its_target(tmp_path: Path) -> None:
    target = tmp_path / "real.toml"
    target.write_text("old\n")
    link = tmp_path / "link.toml"
    link.symlink_to(target)
    atomic_write(link, "new\n")
    assert link.is_symlink()
    assert target.read_text() == "new\n"


def test_a_write_keeps_the_files_permission_bits(tmp_path: Path) -> None:
    file = tmp_path / "cat.toml"
    file.write_text("old\n")
    file.chmod(0o640)
    atomic_write(file, "new\n")
    assert stat.S_IMODE(file.stat().st_mode) == 0o640


def test_a_hard_linked_file_is_refused_rather_than_split(tmp_path: Path) -> None:
    file = tmp_path / "cat.toml"
    file.write_text("old\n")
    os.link(file, tmp_path / "other-name.toml")
    with pytest.raises(FileProblem, match="hard links") as info:
        atomic_write(file, "new\n")
    assert info.value.hint and "ln -s" in info.value.hint
    assert (tmp_path / "other-name.toml").read_text() == "old\n"


def test_a_failed_write_leaves_the_old_file_and_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    file = tmp_path / "cat.toml"
    file.write_text("old\n")

    def boom(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(FileProblem, match="No space left"):
        atomic_write(file, "new\n")
    assert file.read_text() == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cat.toml"]


def test_the_next_write_sweeps_temp_files_a_killed_writer_left(tmp_path: Path) -> None:
    file = tmp_path / "cat.toml"
    file.write_text("old\n")
    left = tmp_path / ".cat.toml.scc-abc123.tmp"
    left.write_text("half a catalog")
    someone_elses = tmp_path / ".cat.toml.swp"
    someone_elses.write_text("an editor's")
    atomic_write(file, "new\n", sweep_age=0)
    assert not left.exists()
    assert someone_elses.exists()


def test_a_read_only_catalog_is_refused_and_left_alone(mini: Path) -> None:
    before = mini.read_bytes()
    mini.chmod(0o444)
    md = mini.parent / "one.md"
    md.write_text(PAPER_MD.format(title="A Paper Nobody Has Seen Before"), encoding="utf-8")
    result = run("import", str(md), "--db", str(mini))
    assert result.exit_code == 4
    assert "read-only" in result.stderr
    assert mini.read_bytes() == before


def test_an_import_through_a_symlinked_catalog_writes_the_target(mini: Path) -> None:
    link = mini.parent / "link.toml"
    link.symlink_to(mini)
    md = mini.parent / "one.md"
    md.write_text(PAPER_MD.format(title="A Paper Nobody Has Seen Before"), encoding="utf-8")
    result = run("import", str(md), "--db", str(link))
    assert result.exit_code == 0, result.stderr
    assert link.is_symlink()
    assert "A Paper Nobody Has Seen Before" in mini.read_text(encoding="utf-8")


def test_writers_with_their_own_cache_folders_lose_nothing(mini: Path, tmp_path: Path) -> None:
    """Each process has its own HOME and cache (a CI job, a person, a container): the
    lock is on the catalog, so every paper lands."""
    procs = []
    for n in range(8):
        md = tmp_path / f"list-{n}.md"
        md.write_text(PAPER_MD.format(title=f"Parallel Writer Number {n} Was Here"), "utf-8")
        home = tmp_path / f"home-{n}"
        env = {
            **os.environ,
            "HOME": str(home),
            "XDG_CACHE_HOME": str(home / ".cache"),
            "SCC_CACHE_DIR": str(home / "scc"),
        }
        procs.append(
            subprocess.Popen(
                [sys.executable, "-m", "speechcompress", "import", str(md), "--db", str(mini)],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
        )
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err.decode()
    text = mini.read_text(encoding="utf-8")
    assert all(f"Parallel Writer Number {n} Was Here" in text for n in range(8))


# --- the cache ---------------------------------------------------------------------------------


def test_cache_clear_refuses_a_folder_holding_files_scc_did_not_make(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    checkout = tmp_path / "checkout"
    (checkout / "data").mkdir(parents=True)
    (checkout / "data" / "papers.toml").write_text("precious\n")
    (checkout / "catalogs").mkdir()
    (checkout / "catalogs" / "x.sqlite").write_text("")
    monkeypatch.setenv("SCC_CACHE_DIR", str(checkout))
    result = run("cache", "clear")
    assert result.exit_code == 4
    assert "did not make" in result.stderr and "data" in result.stderr
    assert (checkout / "data" / "papers.toml").read_text() == "precious\n"
    assert (checkout / "catalogs" / "x.sqlite").exists()


def test_cache_clear_empties_scc_folders_without_following_symlinks(tmp_path: Path) -> None:
    elsewhere = tmp_path / "another-program"
    elsewhere.mkdir()
    (elsewhere / "its.sqlite").write_text("theirs")
    links = cache_folder("links")
    (links / "results.json").write_text("{}")
    (cache_folder("arxiv") / "elsewhere").symlink_to(elsewhere)
    (cache_folder("catalogs") / "victim.sqlite").symlink_to(elsewhere / "its.sqlite")
    removed = clear_cache()
    assert removed == 3  # the JSON file and the two links themselves
    assert (elsewhere / "its.sqlite").read_text() == "theirs"
    assert not (links / "results.json").exists()


def test_a_symlinked_cache_subfolder_is_refused(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    cache_dir().mkdir(parents=True, exist_ok=True)
    (cache_dir() / "links").symlink_to(elsewhere)
    with pytest.raises(OSError):
        cache_folder("links")


def test_a_symlink_planted_at_a_cache_lock_does_not_redirect_the_write(tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_text("keep me")
    lock = cache_folder("arxiv") / "api.lock"
    lock.symlink_to(victim)
    with cache_lock(lock) as fd:
        assert fd is None  # refused, so pacing is per process this time
    assert victim.read_text() == "keep me"


def test_cache_files_are_never_read_or_written_through_a_symlink(tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_text("keep me")
    entry = cache_folder("links") / "results.json"
    entry.symlink_to(victim)
    assert read_private(entry) is None
    assert write_private(entry, "{}")
    assert victim.read_text() == "keep me"
    assert not entry.is_symlink() and entry.read_text() == "{}"


def test_cache_temp_files_of_dead_processes_are_swept_after_an_hour() -> None:
    folder = cache_folder("links")
    old = folder / ".results.json.scc-dead.tmp"
    young = folder / ".results.json.scc-busy.tmp"
    old.write_text("")
    young.write_text("")
    an_hour_ago = time.time() - 3700
    os.utime(old, (an_hour_ago, an_hour_ago))
    write_private(folder / "results.json", "{}")
    assert not old.exists()
    assert young.exists()


def test_a_symlink_planted_in_place_of_an_index_is_replaced_not_written_through(
    mini: Path, tmp_path: Path
) -> None:
    """The index is the cache's: a link at its name must not make scc write elsewhere."""
    assert run("list", "--db", str(mini)).exit_code == 0
    (index,) = (cache_dir() / "catalogs").glob("*.sqlite")
    victim = tmp_path / "another-programs.sqlite"
    victim.write_bytes(b"theirs")
    index.unlink()
    index.symlink_to(victim)
    mini.write_text(mini.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # rebuild
    assert run("list", "--db", str(mini)).exit_code == 0
    assert victim.read_bytes() == b"theirs"
    assert not index.is_symlink()
