"""Give each paper without an ``added`` date the day it first appeared in the catalog's
git history (the date of the first commit whose ``data/papers.toml`` holds its id).

Run once from the repository root:  python tools/backfill_added.py [--dry-run]

Papers that already have a date keep it; the write is locked, validated and atomic like
every scc write, and changes only the lines it adds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import subprocess
from pathlib import Path

CATALOG = Path("data/papers.toml")
_ID = re.compile(r'^\s*id\s*=\s*"([^"]+)"', re.MULTILINE)


def first_seen(path: Path) -> dict[str, dt.date]:
    """Each paper id and the author date of the oldest commit whose file holds it."""
    log = subprocess.run(
        ["git", "log", "--reverse", "--format=%H %aI", "--", str(path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\n")
    seen: dict[str, dt.date] = {}
    for line in filter(None, log):
        commit, stamp = line.split(" ", 1)
        text = subprocess.run(
            ["git", "show", f"{commit}:{path}"], capture_output=True, text=True, check=True
        ).stdout
        day = dt.datetime.fromisoformat(stamp).date()
        for pid in _ID.findall(text):
            seen.setdefault(pid, day)
    return seen


def main() -> int:
    from speechcompress.catalog import parse_catalog
    from speechcompress.fileio import read_user_text
    from speechcompress.fs import atomic_write, locked
    from speechcompress.writer import set_paper_fields

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dry-run", action="store_true")
    args = parser.parse_args()
    seen = first_seen(CATALOG)
    with locked(CATALOG):
        text = read_user_text(CATALOG, "catalog", keep_newlines=True)
        catalog = parse_catalog(text, CATALOG)
        dated = 0
        for paper in catalog.papers:
            if paper.added is None and paper.id in seen:
                text = set_paper_fields(text, paper.id, {"added": seen[paper.id]})
                dated += 1
        new = parse_catalog(text, CATALOG)  # validated before anything is written
        assert [p.id for p in new.papers] == [p.id for p in catalog.papers]
        if not args.dry_run:
            atomic_write(CATALOG, text, sweep_age=0)
    missing = [p.id for p in catalog.papers if p.added is None and p.id not in seen]
    print(f"dated {dated} papers" + (" (dry run)" if args.dry_run else ""))
    if missing:
        print(f"not in the history yet (commit them first): {', '.join(missing)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
