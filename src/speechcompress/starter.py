"""The files of a new paper list kept with scc (``scc init``): pure, nothing written here."""

from __future__ import annotations

CATALOG = "data/papers.toml"
README = "README.md"
WORKFLOW = ".github/workflows/catalog.yml"

_HEADER = """\
# The paper catalog read by scc: one [[papers]] table per paper, newest year first.
# `scc add ARXIV_ID` drafts a paper from arXiv; `scc import list.md` or `refs.bib` brings
# in a list you already keep; `scc export --update README.md` rewrites the list in README.
#
# A paper, field by field (only id, title, year and venue are required):
#
#   [[papers]]
#   id = "dphubert"                  # a stable slug
#   title = "DPHuBERT: Joint Distillation and Pruning of Self-Supervised Speech Models"
#   authors = ["Yifan Peng", "Shinji Watanabe"]
#   year = 2023
#   venue = "INTERSPEECH"            # a built-in venue, one declared below, or "arXiv"
#   arxiv = "2305.17651"             # no version suffix
#   code = "https://github.com/pyf98/DPHuBERT"
#   methods = ["distillation", "pruning"]
#   models = ["HuBERT", "WavLM"]
#   key = "peng2023dphubert"         # the BibTeX key, kept by every export

"""


def starter_files(title: str, description: str = "") -> dict[str, str]:
    """Relative path -> text of a new list: the catalog, a README with the list markers,
    and the GitHub workflow that keeps both honest."""
    from importlib.resources import files

    from speechcompress.render.markdown import (
        END_MARKER,
        START_MARKER,
        normal_form,
        replace_between_markers,
    )
    from speechcompress.writer import new_catalog_text

    catalog = new_catalog_text(title, description)
    # tomlkit writes its own one-line comment first: the longer header replaces it.
    body = catalog.split("\n", 1)[1].lstrip("\n")
    blocks = [f"# {title}", description, START_MARKER, END_MARKER]
    readme = normal_form("\n\n".join(b for b in blocks if b))
    readme = replace_between_markers(readme, "") or readme
    workflow = files("speechcompress.render").joinpath("templates/catalog.yml").read_text("utf-8")
    return {CATALOG: _HEADER + body, README: readme, WORKFLOW: workflow}
