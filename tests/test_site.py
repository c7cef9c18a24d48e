"""``scc site``: the files it writes, what they hold, and where it refuses to write.

The page's behaviour in a browser is tested in ``tests/browser/``.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES, run
from speechcompress import load_catalog
from speechcompress.errors import FileProblem
from speechcompress.search import _Field, field_texts
from speechcompress.site import SITE_FILES, build_site, site_files
from speechcompress.site.build import MANIFEST
from speechcompress.site.data import FIELDS, site_data
from speechcompress.site.page import PageSection

REPO = Path(__file__).resolve().parents[1]
CATALOG = REPO / "data" / "papers.toml"
HOSTILE = '<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2"> & "q"'


def embedded_data(page: str) -> dict:  # type: ignore[type-arg]
    found = re.search(r'<script type="application/json" id="UI-data">(.*?)</script>', page, re.S)
    assert found
    return json.loads(found.group(1))  # type: ignore[no-any-return]


def hostile_catalog(tmp_path: Path) -> Path:
    text = (FIXTURES / "mini.toml").read_text(encoding="utf-8")
    text = text.replace('title = "Mini Catalog"', f"title = {json.dumps('Mini ' + HOSTILE)}")
    text = text.replace(
        'title = "DPHuBERT: Joint Distillation and Pruning of Self-Supervised Speech Models"',
        f"title = {json.dumps('DPHuBERT ' + HOSTILE)}",
    )
    path = tmp_path / "hostile.toml"
    path.write_text(text, encoding="utf-8")
    return path


#: The catalog as it stood at 104 papers, the size the page-weight budget was set for.
CATALOG_104 = (
    Path(__file__).resolve().parents[2] / "shared" / "research" / "discover" / "catalog-104.toml"
)


def test_the_site_of_a_104_paper_catalog_weighs_under_200_kb() -> None:
    files = site_files(load_catalog(CATALOG_104, use_cache=False))
    page_and_assets = sum(len(files[n].encode()) for n in ("index.html", "app.js", "style.css"))
    assert page_and_assets <= 200_000, page_and_assets


def test_the_page_loads_nothing_from_another_host() -> None:
    files = site_files(load_catalog(CATALOG, use_cache=False))
    page = files["index.html"]
    for attr in re.findall(r'(?:src|href)="([^"]*)"', page):
        # Links the reader follows are fine; what the page itself loads must be local.
        assert not attr.startswith(("//",)), attr
    loaded = re.findall(r'<(?:script|link)[^>]*(?:src|href)="([^"]*)"', page)
    assert loaded and all(not re.match(r"^[a-z]+:", url) for url in loaded), loaded
    assert "@import" not in files["style.css"] and "url(" not in files["style.css"]
    assert "fetch(" not in files["app.js"] and "XMLHttpRequest" not in files["app.js"]


def test_catalog_text_is_escaped_in_the_page_and_the_data(tmp_path: Path) -> None:
    catalog = load_catalog(hostile_catalog(tmp_path), use_cache=False)
    page = site_files(catalog)["index.html"]
    assert "<script>window" not in page and "<img src=x" not in page
    assert "&lt;script&gt;window.pwned" in page  # the title in <title> and <h1>
    data = embedded_data(page)
    assert any(p["ti"] == "DPHuBERT " + HOSTILE for p in data["papers"])
    # The JSON cannot end its script element early.
    script = re.search(r'id="UI-data">(.*?)</script>', page, re.S)
    assert script and "<" not in script.group(1)


def test_a_title_holding_a_placeholder_stays_text(tmp_path: Path) -> None:
    text = (FIXTURES / "mini.toml").read_text(encoding="utf-8")
    text = text.replace('title = "Mini Catalog"', 'title = "Mini {{DATA}} {{FACETS}}"')
    (tmp_path / "c.toml").write_text(text, encoding="utf-8")
    page = site_files(load_catalog(tmp_path / "c.toml", use_cache=False))["index.html"]
    assert "<title>Mini {{DATA}} {{FACETS}}</title>" in page


def test_non_ascii_fields_carry_the_words_scc_search_uses() -> None:
    catalog = load_catalog(CATALOG, use_cache=False)
    data = site_data(catalog)
    by_id = {p["id"]: p for p in data["papers"]}
    checked = 0
    for paper in catalog.papers:
        texts = field_texts(paper)
        for i, name in enumerate(FIELDS):
            # What search.py's matcher sees for this field.
            expected = _Field.of(texts[name]).words
            if texts[name].isascii():
                # The script lower-cases and splits on non-alphanumerics itself.
                assert expected == re.sub(r"[^a-z0-9]+", " ", texts[name].lower()).split()
            else:
                assert by_id[paper.id]["w"][str(i)].split() == expected
                checked += 1
    assert checked, "the catalog has accented names: some fields must carry their words"


def test_each_paper_carries_its_bibtex_entry_as_scc_export_writes_it(tmp_path: Path) -> None:
    shutil.copy(CATALOG, tmp_path / "papers.toml")
    exported = run("export", "--format", "bibtex", "--db", str(tmp_path / "papers.toml")).stdout
    data = site_data(load_catalog(CATALOG, use_cache=False))
    entries = [p["b"] for p in data["papers"]]
    assert "\n".join(entries) == exported


def test_scc_site_writes_the_site_and_a_manifest(tmp_path: Path, mini: Path) -> None:
    out = tmp_path / "site"
    result = run("site", "-o", str(out), "--db", str(mini), "--url", "https://x.example/papers/")
    assert result.exit_code == 0, result.output
    assert "wrote 5 papers" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted([*SITE_FILES, MANIFEST])
    assert "https://x.example/papers/#dphubert" in (out / "feed.xml").read_text(encoding="utf-8")
    # Running again replaces its own files without complaint.
    assert run("site", "-o", str(out), "--db", str(mini)).exit_code == 0


def test_scc_site_refuses_a_folder_with_other_files(tmp_path: Path, mini: Path) -> None:
    # The catalog's own folder: papers.toml is not scc's to overwrite or mix with.
    result = run("site", "-o", str(mini.parent), "--db", str(mini))
    assert result.exit_code == 4
    assert "refusing to write the site" in result.stderr and "mini.toml" in result.stderr
    assert "--force" in result.stderr
    assert not (mini.parent / "index.html").exists()
    forced = run("site", "-o", str(mini.parent), "--db", str(mini), "--force")
    assert forced.exit_code == 0
    assert (mini.parent / "index.html").is_file() and mini.is_file()


def test_a_site_file_scc_no_longer_writes_is_removed_but_nothing_else(tmp_path: Path) -> None:
    catalog = load_catalog(FIXTURES / "mini.toml", use_cache=False)
    build_site(catalog, tmp_path)
    (tmp_path / MANIFEST).write_text("old.js\n../outside.txt\n" + "\n".join(SITE_FILES) + "\n")
    (tmp_path / "old.js").write_text("")
    (tmp_path.parent / "outside.txt").write_text("keep me")
    build_site(catalog, tmp_path, force=True)
    assert not (tmp_path / "old.js").exists()
    assert (tmp_path.parent / "outside.txt").read_text() == "keep me"


def test_the_output_must_be_a_folder(tmp_path: Path) -> None:
    catalog = load_catalog(FIXTURES / "mini.toml", use_cache=False)
    (tmp_path / "file").write_text("x")
    with pytest.raises(FileProblem, match="is not a folder"):
        build_site(catalog, tmp_path / "file")


def test_a_results_section_can_be_added_to_the_page() -> None:
    catalog = load_catalog(FIXTURES / "mini.toml", use_cache=False)
    section = PageSection("Results", "Compression results", "<table><tr><td>1</td></tr></table>")
    page = site_files(catalog, sections=[section])["index.html"]
    assert '<section id="Results"' in page and '<h2 id="Results-h">Compression results</h2>' in page


def test_the_site_is_the_same_bytes_for_the_same_catalog() -> None:
    catalog = load_catalog(FIXTURES / "mini.toml", use_cache=False)
    assert site_files(catalog) == site_files(catalog)


def test_the_assets_ship_in_the_package() -> None:
    from importlib.resources import files

    assets = files("speechcompress.site") / "assets"
    for name in ("index.html", "app.js", "style.css"):
        assert (assets / name).is_file(), name
