"""The catalog as an awesome list: ``scc export --style awesome``.

The default export keeps the seed list's ``[[VENUE](url)]`` groups, which awesome-lint
rejects (a link must lead each item; a venue without a URL gives an empty ``()`` link).
This one follows awesome-lint's rules: the Awesome badge beside the only top-level
heading, a Contents list that links every section, and items of the form::

    - [Title](main link) - 2023, INTERSPEECH, [arXiv](...), [code](...). Summary.

The main link is the venue page, else arXiv, DOI or code (each used once as a main
link); a paper with no link at all is plain text, never an empty link. The description
starts with the year, which satisfies the rule on its first word's casing.
"""

from __future__ import annotations

from collections.abc import Sequence

from speechcompress.paper import Catalog, Paper
from speechcompress.render.markdown import anchor, escape_text, escape_url, group_papers

BADGE = "[![Awesome](https://awesome.re/badge.svg)](https://awesome.re)"
_END = (".", "!", "?", "…")


def awesome_item(paper: Paper, used: set[str]) -> str:
    """One list item; ``used`` holds main links already taken (awesome-lint's double-link
    rule forbids repeating one) and is updated."""
    links = paper.links()
    main = next((url for _, url in links if url not in used), None)
    details = [str(paper.year), escape_text(paper.venue)]
    details += [f"[{escape_text(label)}]({escape_url(url)})" for label, url in links if url != main]
    description = ", ".join(details) + "."
    summary = " ".join((paper.summary or "").split())
    if summary:
        description += " " + escape_text(summary if summary.endswith(_END) else summary + ".")
    title = escape_text(paper.title)
    if main is None:
        return f"- {title} - {description}"
    used.add(main)
    return f"- [{title}]({escape_url(main)}) - {description}"


def render_awesome(
    papers: Sequence[Paper], catalog: Catalog, *, site_url: str | None = None
) -> str:
    """The whole list, grouped by year (newest first), ending in one newline."""
    sections = group_papers(papers, "year")
    blocks = [f"# {escape_text(catalog.title.strip())} {BADGE}"]
    if catalog.description.strip():
        blocks.append("> " + escape_text(catalog.description.strip()))
    if site_url:
        blocks.append(f"Search and filter the list on [its website]({escape_url(site_url)}).")
    if sections:
        blocks.append(
            "## Contents\n\n"
            + "\n".join(f"- [{escape_text(name)}](#{anchor(name)})" for name, _ in sections)
        )
    used: set[str] = set()
    for name, items in sections:
        body = "\n".join(awesome_item(p, used) for p in items)
        blocks.append(f"## {escape_text(name)}\n\n{body}")
    if catalog.footer.strip():
        blocks.append(catalog.footer.strip())
    return "\n\n".join(blocks) + "\n"
