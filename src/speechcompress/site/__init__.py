"""The catalog as a static website: ``scc site -o DIR``.

:mod:`~speechcompress.site.data` computes what the page's script searches (with the
CLI's own text functions), :mod:`~speechcompress.site.page` renders the HTML, and
:mod:`~speechcompress.site.build` writes the files. Everything but ``build`` is pure.
"""

from __future__ import annotations

from speechcompress.site.build import SITE_FILES, build_site, site_files, write_site

__all__ = ["SITE_FILES", "build_site", "site_files", "write_site"]
