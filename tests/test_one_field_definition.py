"""A new optional field is one edit: one line in paper.py reaches everything derived.

The test copies the package, adds one field to ``Paper`` in the copy, and checks (in a
fresh interpreter) that validation, the length limit, the index's columns, a warm read
back from the index, JSON, CSV and the TOML writer all know it, with no other edit.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import speechcompress
from conftest import FIXTURES

NEW_FIELD = (
    "    venue_note: str | None = spec(\n"
    '        "text", "A note on the venue.", default=None, max_length=40, heavy=False\n'
    "    )\n"
)

SCRIPT = textwrap.dedent(
    """
    import csv, io, json, sqlite3, sys
    from pathlib import Path

    from pydantic import ValidationError

    from speechcompress.index_build import build_index
    from speechcompress.index_codec import index_file
    from speechcompress.models import validate_paper
    from speechcompress.paper import PAPER_FIELDS, Catalog
    from speechcompress.render.data import render_csv, render_json
    from speechcompress.source import load_catalog, open_source
    from speechcompress.vocab import Vocabulary
    from speechcompress.writer import add_papers

    assert PAPER_FIELDS[-1] == "venue_note", PAPER_FIELDS
    raw = {"id": "x", "title": "T", "year": 2022, "venue": "SLT", "venue_note": "oral"}
    paper = validate_paper(raw, Vocabulary())
    assert paper.venue_note == "oral"
    try:
        validate_paper({**raw, "venue_note": "n" * 41}, Vocabulary())
    except ValidationError as exc:
        assert "at most 40 characters" in str(exc)
    else:
        raise AssertionError("the limit was not applied")
    try:
        validate_paper({**raw, "venue_note": "a\\x1bb"}, Vocabulary())
    except ValidationError as exc:
        assert "U+001B" in str(exc)
    else:
        raise AssertionError("control characters were not refused")

    db = Path(sys.argv[1])
    add_papers(db, [paper])  # the TOML writer writes it
    assert 'venue_note = "oral"' in db.read_text(encoding="utf-8")
    cold = load_catalog(db)  # parsed, validated and indexed
    file = index_file(db)
    columns = [r[1] for r in sqlite3.connect(file).execute("PRAGMA table_info(papers)")]
    assert "venue_note" in columns, columns
    warm = open_source(db)
    assert warm._parsed is None  # read back from the index
    assert warm.find("x").venue_note == "oral"
    assert [p.venue_note for p in warm.papers(full=False)] == [p.venue_note for p in cold.papers]

    record = json.loads(render_json([paper]))[0]
    assert record["venue_note"] == "oral"
    rows = list(csv.reader(io.StringIO(render_csv([paper]))))
    assert rows[0][-1] == "venue_note" and rows[1][-1] == "oral"
    print("ok")
    """
)


def test_a_new_optional_field_is_one_line_in_paper_py(tmp_path: Path) -> None:
    package = Path(speechcompress.__file__).parent
    copy = tmp_path / "src" / "speechcompress"
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__"))
    paper_py = copy / "paper.py"
    source = paper_py.read_text(encoding="utf-8")
    anchor = "    #: 1-based line of the paper's ``[[papers]]`` header"
    assert source.count(anchor) == 1
    paper_py.write_text(source.replace(anchor, NEW_FIELD + anchor), encoding="utf-8")
    db = tmp_path / "c.toml"
    shutil.copy(FIXTURES / "mini.toml", db)
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(db)],
        capture_output=True,
        text=True,
        env={**_env(), "PYTHONPATH": str(copy.parent)},
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def _env() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
