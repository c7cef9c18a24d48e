"""Write the site's files into a folder, refusing to mix them with files scc didn't write.

The folder keeps a manifest (``.scc-site``) of the files scc wrote there; any other
file (a ``.git`` folder aside, for a Pages checkout) makes :func:`write_site` refuse
unless ``force``, so ``scc site -o .`` in a catalog's folder cannot clobber anything.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from importlib.resources import files
from pathlib import Path

from speechcompress.errors import FileProblem
from speechcompress.paper import Catalog
from speechcompress.site.page import PageSection

MANIFEST = ".scc-site"
#: The files a site holds (``feed.xml`` is the Atom feed of the newest additions).
SITE_FILES = ("index.html", "app.js", "style.css", "feed.xml")
#: How many of the newest papers the site's feed lists.
FEED_LIMIT = 50
_IGNORED = {MANIFEST, ".git"}


def _asset(name: str) -> str:
    return (files("speechcompress.site") / "assets" / name).read_text(encoding="utf-8")


def site_files(
    catalog: Catalog,
    *,
    site_url: str | None = None,
    sections: Sequence[PageSection] = (),
) -> dict[str, str]:
    """Every file of the site, by name: pure, the same catalog gives the same bytes."""
    from speechcompress.render.atom import render_atom
    from speechcompress.site.data import script_json, site_data
    from speechcompress.site.page import render_page

    script, style = _asset("app.js"), _asset("style.css")
    version = hashlib.sha256((script + style).encode()).hexdigest()[:10]
    page = render_page(
        catalog,
        _asset("index.html"),
        script_json(site_data(catalog)),
        asset_version=version,
        sections=sections,
    )
    feed = render_atom(catalog.papers, catalog, site_url=site_url, limit=FEED_LIMIT)
    return {"index.html": page, "app.js": script, "style.css": style, "feed.xml": feed}


def _manifest(folder: Path) -> set[str]:
    try:
        text = (folder / MANIFEST).read_text(encoding="utf-8")
    except FileNotFoundError:
        return set()
    except OSError as exc:
        raise FileProblem(f"cannot read {folder / MANIFEST}: {exc.strerror or exc}") from None
    # Only plain names: a tampered manifest must not make scc remove files elsewhere.
    return {
        line
        for line in text.splitlines()
        if line
        and not line.startswith("#")
        and line not in (".", "..")
        and "/" not in line
        and "\\" not in line
    }


def write_site(contents: Mapping[str, str], folder: Path, *, force: bool = False) -> list[Path]:
    """Write ``contents`` (name -> text) into ``folder``, each file atomically.

    Raises :class:`FileProblem` when ``folder`` is a file, cannot be made, or holds files
    that an earlier ``scc site`` did not write (unless ``force``). Files an earlier run
    wrote that this one does not are removed. Returns the paths written.
    """
    from speechcompress.fs import atomic_write

    if folder.exists() and not folder.is_dir():
        raise FileProblem(f"{folder} is not a folder", hint="give -o a folder to write the site in")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        present = {entry.name for entry in folder.iterdir()}
    except OSError as exc:
        raise FileProblem(f"cannot use the folder {folder}: {exc.strerror or exc}") from None
    ours = _manifest(folder)
    foreign = sorted(present - ours - _IGNORED)
    if foreign and not force:
        shown = ", ".join(foreign[:5]) + (", ..." if len(foreign) > 5 else "")
        raise FileProblem(
            f"refusing to write the site into {folder}: it holds files scc did not write ({shown})",
            hint="choose an empty or new folder, or pass --force to write beside them",
        )
    # The manifest first: files a crash leaves half-written are still known to be ours.
    names = sorted(contents)
    header = "# Files written by `scc site`; it may replace or remove them.\n"
    atomic_write(folder / MANIFEST, header + "".join(f"{n}\n" for n in sorted(ours | set(names))))
    written = []
    for name in names:
        atomic_write(folder / name, contents[name])
        written.append(folder / name)
    for stale in sorted(ours - set(names)):
        (folder / stale).unlink(missing_ok=True)
    atomic_write(folder / MANIFEST, header + "".join(f"{n}\n" for n in names))
    return written


def build_site(
    catalog: Catalog,
    folder: Path,
    *,
    site_url: str | None = None,
    force: bool = False,
    sections: Sequence[PageSection] = (),
) -> list[Path]:
    """Render the catalog's site and write it into ``folder`` (see :func:`write_site`)."""
    return write_site(
        site_files(catalog, site_url=site_url, sections=sections), folder, force=force
    )
