"""Commands, options and their values for Tab completion, without importing Typer.

Generated from the Typer app by ``python -m speechcompress.cli.complete_build``;
do not edit. A test fails when this file and the app disagree.

An option is (names, takes a value, repeatable, help, values); an argument is
(name, nargs, values). Values are a tuple of choices, a kind that
``complete.KINDS`` looks up in the catalog, or None (the shell completes file
names).
"""
# ruff: noqa: E501 (generated: one option a line, help text and all)
# fmt: off

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from speechcompress.cli.complete import Argument, Option

ROOT_OPTIONS: tuple[Option, ...] = (
    (('--version', '-V'), False, False, "Print scc's version and exit.", None),
    (('--install-completion',), False, False, 'Install completion for the current shell.', None),
    (('--show-completion',), False, False, 'Show completion for the current shell, to copy it or customize the installation.', None),
    (('--help', '-h'), False, False, 'Show this message and exit.', None),
)

COMMANDS: dict[str, tuple[str, tuple[Option, ...], tuple[Argument, ...]]] = {
    'list': (
        'List papers, newest first.',
        (
            (('--year', '-y'), True, True, 'Year or range: 2022, 2021..2023, 2022.., ..2022.', None),
            (('--venue',), True, True, 'Venue, e.g. INTERSPEECH, ICASSP, arXiv.', 'venue'),
            (('--method', '-m'), True, True, 'pruning, distillation, quantization, low-rank, architecture-search, dynamic-inference, parameter-sharing or other (aliases like kd work).', 'method'),
            (('--model',), True, True, 'Model compressed or teacher, e.g. HuBERT, WavLM.', 'model'),
            (('--author', '-a'), True, True, "Part of an author's name (accents optional).", None),
            (('--has-code',), False, False, 'Only papers with a code link.', None),
            (('--sort', '-s'), True, False, 'year, title or venue.', ('year', 'title', 'venue')),
            (('--reverse', '-r'), False, False, 'Reverse the order.', None),
            (('--limit', '-n'), True, False, 'Show at most N papers.', None),
            (('--format', '-f'), True, False, 'table, plain, json or csv. Default: table on a terminal, else plain.', ('table', 'plain', 'json', 'csv')),
            (('--db',), True, False, 'Catalog file. Default: $SCC_DB, else ./data/papers.toml, else the bundled catalog.', None),
            (('--no-cache',), False, False, 'Read the TOML file itself, ignoring cached data.', None),
            (('--help', '-h'), False, False, 'Show this message and exit.', None),
        ),
        (
        ),
    ),
    'search': (
        'Search titles, authors, summaries, abstracts, venues, methods and models.',
        (
            (('--limit', '-n'), True, False, 'Show at most N papers.', None),
            (('--format', '-f'), True, False, 'table, plain, json or csv. Default: table on a terminal, else plain.', ('table', 'plain', 'json', 'csv')),
            (('--db',), True, False, 'Catalog file. Default: $SCC_DB, else ./data/papers.toml, else the bundled catalog.', None),
            (('--no-cache',), False, False, 'Read the TOML file itself, ignoring cached data.', None),
            (('--help', '-h'), False, False, 'Show this message and exit.', None),
        ),
        (
            ('query', -1, None),
        ),
    ),
    'show': (
        "Show one paper's full record and its links.",
        (
            (('--format', '-f'), True, False, 'text, json or bibtex (as scc cite gives it).', ('text', 'json', 'bibtex')),
            (('--db',), True, False, 'Catalog file. Default: $SCC_DB, else ./data/papers.toml, else the bundled catalog.', None),
            (('--no-cache',), False, False, 'Read the TOML file itself, ignoring cached data.', None),
            (('--help', '-h'), False, False, 'Show this message and exit.', None),
        ),
        (
            ('key', 1, 'paper'),
        ),
    ),
    'stats': (
        'Count papers per year, venue, method and model, with bars.',
        (
            (('--year', '-y'), True, True, 'Year or range: 2022, 2021..2023, 2022.., ..2022.', None),
            (('--venue',), True, True, 'Venue, e.g. INTERSPEECH, ICASSP, arXiv.', 'venue'),
            (('--method', '-m'), True, True, 'pruning, distillation, quantization, low-rank, architecture-search, dynamic-inference, parameter-sharing or other (aliases like kd work).', 'method'),
            (('--format', '-f'), True, False, 'table, plain or json.', ('table', 'plain', 'json')),
            (('--db',), True, False, 'Catalog file. Default: $SCC_DB, else ./data/papers.toml, else the bundled catalog.', None),
            (('--no-cache',), False, False, 'Read the TOML file itself, ignoring cached data.', None),
            (('--help', '-h'), False, False, 'Show this message and exit.', None),
        ),
        (
        ),
    ),
    'info': (
        'Say which catalog file is used, why, and how many papers it holds.',
        (
            (('--db',), True, False, 'Catalog file. Default: $SCC_DB, else ./data/papers.toml, else the bundled catalog.', None),
            (('--no-cache',), False, False, 'Read the TOML file itself, ignoring cached data.', None),
            (('--help', '-h'), False, False, 'Show this message and exit.', None),
        ),
        (
        ),
    ),
    'export': (
        'Export the catalog: the awesome-list README by default.',
        (
            (('--year', '-y'), True, True, 'Year or range: 2022, 2021..2023, 2022.., ..2022.', None),
            (('--venue',), True, True, 'Venue, e.g. INTERSPEECH, ICASSP, arXiv.', 'venue'),
            (('--method', '-m'), True, True, 'pruning, distillation, quantization, low-rank, architecture-search, dynamic-inference, parameter-sharing or other (aliases like kd work).', 'method'),
            (('--model',), True, True, 'Model compressed or teacher, e.g. HuBERT, WavLM.', 'model'),
            (('--author', '-a'), True, True, "Part of an author's name (accents optional).", None),
            (('--has-code',), False, False, 'Only papers with a code link.', None),
            (('--format', '-f'), True, False, 'markdown, bibtex, json, csv, atom (a feed, newest additions first), csljson (Zotero, Pandoc) or ris (EndNote, Mendeley).', ('markdown', 'bibtex', 'json', 'csv', 'atom', 'csljson', 'ris')),
            (('--style',), True, False, "Markdown: default (the seed's list) or awesome (passes awesome-lint).", ('default', 'awesome')),
            (('--results',), False, False, 'Markdown: add the compression results (results.toml beside the catalog) as tables per benchmark and task.', None),
            (('--site-url',), True, False, "atom and awesome: the published site's address, for permalinks.", None),
            (('--group-by',), True, False, 'year, venue or method. With method, a paper with two methods is listed under both.', ('year', 'venue', 'method')),
            (('--toc',), False, False, 'Add a table of contents.', None),
            (('--counts',), False, False, 'Paper counts in the headings.', None),
            (('--chart',), False, False, 'A Mermaid chart of papers per year.', None),
            (('--bib-style',), True, False, 'natbib or biblatex eprint fields.', ('natbib', 'biblatex')),
            (('--ascii',), False, False, 'BibTeX: LaTeX accents instead of UTF-8.', None),
            (('--output', '-o'), True, False, 'Write to FILE (atomically) instead of stdout.', None),
            (('--update',), True, False, 'Replace only the list between <!-- scc:start --> and <!-- scc:end --> in FILE.', None),
            (('--check',), True, False, 'Exit 1 with a diff if FILE is out of date (between the markers, if it has them).', None),
            (('--db',), True, False, 'Catalog file. Default: $SCC_DB, else ./data/papers.toml, else the bundled catalog.', None),
            (('--no-cache',), False, False, 'Read the TOML file itself, ignoring cached data.', None),
            (('--help', '-h'), False, False, 'Show this message and exit.', None),
        ),
        (
        ),
    ),
    'site': (
        'Write the catalog as a static website: search, filters, charts and a feed.',
        (
            (('--output', '-o'), True, False, 'The folder to write the site into (made if missing).', None),
            (('--url',), True, False, "Where the site will be published, for the feed's links (e.g. https://you.github.io/papers/).", None),
            (('--force',), False, False, 'Write even if DIR holds files scc did not write.', None),
            (('--db',), True, False, 'Catalog file. Default: $SCC_DB, else ./data/papers.toml, else the bundled catalog.', None),
            (('--no-cache',), False, False, 'Read the TOML file itself, ignoring cached data.', None),
            (('--help', '-h'), False, False, 'Show this message and exit.', None),
        ),
        (
        ),
    ),
    'import': (
        'Import papers from a Markdown list or BibTeX file.',
        (
            (('--db',), True, False, 'Catalog file. Default: $SCC_DB, else ./data/papers.toml, else the bundled catalog.', None),
            (('--format', '-f'), True, False, "markdown or bibtex. Default: from FILE's suffix.", ('markdown', 'bibtex')),
            (('--dry-run',), False, False, 'Print the TOML that would be added; change nothing.', None),
            (('--skip-invalid',), False, False, 'Import the readable papers even if some lines are not.', None),
            (('--help', '-h'), False, False, 'Show this message and exit.', None),
        ),
        (
            ('source', 1, None),
        ),
    ),
    'cite': (
        'Print BibTeX entries for the papers named.',
        (
            (('--bib-style',), True, False, 'natbib or biblatex.', ('natbib', 'biblatex')),
            (('--ascii',), False, False, 'LaTeX accents instead of UTF-8.', None),
            (('--db',), True, False, 'Catalog file. Default: $SCC_DB, else ./data/papers.toml, else the bundled catalog.', None),
            (('--no-cache',), False, False, 'Read the TOML file itself, ignoring cached data.', None),
            (('--help', '-h'), False, False, 'Show this message and exit.', None),
        ),
        (
            ('keys', -1, None),
        ),
    ),
    'tag': (
        'Add (or --remove) methods, models and tags on many papers at once.',
        (
            (('--method', '-m'), True, True, 'A method (repeatable).', 'method'),
            (('--model',), True, True, 'A model (repeatable).', 'model'),
            (('--tag', '-t'), True, True, 'A tag (repeatable).', None),
            (('--remove',), False, False, 'Remove the values instead of adding them.', None),
            (('--dry-run',), False, False, 'Show what would change; write nothing.', None),
            (('--db',), True, False, 'Catalog file. Default: $SCC_DB, else ./data/papers.toml, else the bundled catalog.', None),
            (('--help', '-h'), False, False, 'Show this message and exit.', None),
        ),
        (
            ('query', -1, None),
        ),
    ),
    'init': (
        'Start a new list: data/papers.toml, a README.md with the list markers, and...',
        (
            (('--title',), True, False, "The list's title.", None),
            (('--description',), True, False, 'A line under the title.', None),
            (('--help', '-h'), False, False, 'Show this message and exit.', None),
        ),
        (
            ('folder', 1, None),
        ),
    ),
    'add': (
        'Add papers to the catalog from their arXiv entries or their DOIs.',
        (
            (('--venue',), True, False, "Venue, instead of the one inferred from arXiv's journal ref or comment.", 'venue'),
            (('--venue-url',), True, False, "The paper's page at the venue (one paper only).", None),
            (('--method', '-m'), True, True, 'Compression method (repeatable), instead of those proposed from keywords.', 'method'),
            (('--model',), True, True, 'Model compressed or teacher (repeatable).', 'model'),
            (('--code',), True, False, 'URL of the code (one paper only).', None),
            (('--id',), True, False, "The paper's id, instead of one made from its title (one paper only).", None),
            (('--yes',), False, False, 'Write without asking.', None),
            (('--dry-run',), False, False, 'Print the TOML that would be added; change nothing.', None),
            (('--api-url',), True, False, 'arXiv API endpoint (a mirror, or a test server). Default: $SCC_ARXIV_API, else https://export.arxiv.org/api/query.', None),
            (('--no-cache',), False, False, 'Ask arXiv again instead of using answers cached in the last 24 h.', None),
            (('--db',), True, False, 'Catalog file. Default: $SCC_DB, else ./data/papers.toml, else the bundled catalog.', None),
            (('--help', '-h'), False, False, 'Show this message and exit.', None),
        ),
        (
            ('arxiv_ids', -1, None),
        ),
    ),
    'refresh': (
        "Re-read papers' arXiv entries and published records; report what changed.",
        (
            (('--format', '-f'), True, False, 'table or json.', ('table', 'json')),
            (('--write',), False, False, 'Apply the safe updates (venue, its year, DOI, venue page) to the catalog.', None),
            (('--check',), False, False, 'Exit 1 when safe updates are pending (for CI).', None),
            (('--source',), True, False, 'Sources to ask, comma-separated: arxiv, dblp, crossref, openalex, semanticscholar. Default: $SCC_SOURCES, else all.', None),
            (('--overwrite',), False, False, "With --write, also replace values that differ (marked '~').", None),
            (('--api-url',), True, False, 'arXiv API endpoint (a mirror, or a test server). Default: $SCC_ARXIV_API, else https://export.arxiv.org/api/query.', None),
            (('--no-cache',), False, False, 'Ask arXiv again instead of using answers cached in the last 24 h.', None),
            (('--db',), True, False, 'Catalog file. Default: $SCC_DB, else ./data/papers.toml, else the bundled catalog.', None),
            (('--help', '-h'), False, False, 'Show this message and exit.', None),
        ),
        (
            ('keys', -1, 'paper'),
        ),
    ),
    'check': (
        "Check the catalog's health; exit 1 when something is wrong.",
        (
            (('--links',), False, False, 'Check every URL over the network instead of the offline checks.', None),
            (('--format', '-f'), True, False, "text (default), json or github (annotations on a pull request's diff). With --links: table (default), json, markdown or github.", None),
            (('--strict',), False, False, 'Exit 1 on warnings too, not only on errors.', None),
            (('--db',), True, False, 'Catalog file. Default: $SCC_DB, else ./data/papers.toml, else the bundled catalog.', None),
            (('--timeout',), True, False, 'With --links: seconds one request may take in all (each redirect hop). The whole check stops at $SCC_NET_DEADLINE (300).', None),
            (('--retries',), True, False, 'With --links: further tries after a timeout, a refused connection, 429 or 5xx.', None),
            (('--backoff',), True, False, 'With --links: wait before the first retry, doubled each time (Retry-After wins).', None),
            (('--per-host',), True, False, 'With --links: requests in flight to one host (and the burst that may start at once).', None),
            (('--concurrency',), True, False, 'With --links: requests in flight overall.', None),
            (('--interval',), True, False, 'With --links: seconds between the starts of two requests to one host, on average after a burst of --per-host.', None),
            (('--max-age',), True, False, 'With --links: reuse cached results younger than this: 30m, 12h, 1d, 2w; 0 re-checks all.', None),
            (('--no-cache',), False, False, 'With --links: neither read nor write cached results.', None),
            (('--exclude',), True, True, 'With --links: skip URLs matching this regular expression (repeatable).', None),
            (('--allow-private',), False, False, 'With --links: also check loopback and private addresses (skipped by default).', None),
            (('--fail-on',), True, False, 'With --links: comma-separated kinds that exit 1: dead, error, blocked, redirected; or none.', None),
            (('--all',), False, False, 'With --links: list ok and skipped links too.', None),
            (('--no-progress',), False, False, 'With --links: no progress bar (it shows only when stderr is a terminal).', None),
            (('--help', '-h'), False, False, 'Show this message and exit.', None),
        ),
        (
        ),
    ),
    'results': (
        'List reported results, best first for each metric, each with its paper and...',
        (
            (('--benchmark', '-b'), True, True, 'Benchmark, e.g. SUPERB, LibriSpeech.', None),
            (('--task', '-t'), True, True, 'Task or test set, e.g. ASR, test-other.', None),
            (('--metric',), True, True, 'Metric, e.g. WER, EER, Acc.', None),
            (('--max-params',), True, False, 'Only models of at most M million parameters.', None),
            (('--year', '-y'), True, True, 'Year or range: 2022, 2021..2023, 2022.., ..2022.', None),
            (('--venue',), True, True, 'Venue, e.g. INTERSPEECH, ICASSP, arXiv.', 'venue'),
            (('--method', '-m'), True, True, 'pruning, distillation, quantization, low-rank, architecture-search, dynamic-inference, parameter-sharing or other (aliases like kd work).', 'method'),
            (('--model',), True, True, 'Model compressed or teacher, e.g. HuBERT, WavLM.', 'model'),
            (('--plot',), True, False, "Write parameters against the metric (.svg or .png), with the Pareto frontier, instead of printing. Needs: pip install 'speechcompress[plot]'.", None),
            (('--format', '-f'), True, False, 'table, plain, json, csv or markdown. Default: table on a terminal, else plain.', ('table', 'plain', 'json', 'csv', 'markdown')),
            (('--results',), True, False, "Results file. Default: results.toml in the catalog file's folder (for the bundled catalog, the bundled results).", None),
            (('--db',), True, False, 'Catalog file. Default: $SCC_DB, else ./data/papers.toml, else the bundled catalog.', None),
            (('--no-cache',), False, False, 'Read the TOML file itself, ignoring cached data.', None),
            (('--help', '-h'), False, False, 'Show this message and exit.', None),
        ),
        (
        ),
    ),
    'compare': (
        "Put the papers' compressed models side by side, one line per task and metric.",
        (
            (('--benchmark', '-b'), True, True, 'Benchmark, e.g. SUPERB, LibriSpeech.', None),
            (('--task', '-t'), True, True, 'Task or test set, e.g. ASR, test-other.', None),
            (('--metric',), True, True, 'Metric, e.g. WER, EER, Acc.', None),
            (('--format', '-f'), True, False, 'table, plain, json, csv or markdown. Default: table on a terminal, else plain.', ('table', 'plain', 'json', 'csv', 'markdown')),
            (('--results',), True, False, "Results file. Default: results.toml in the catalog file's folder (for the bundled catalog, the bundled results).", None),
            (('--db',), True, False, 'Catalog file. Default: $SCC_DB, else ./data/papers.toml, else the bundled catalog.', None),
            (('--no-cache',), False, False, 'Read the TOML file itself, ignoring cached data.', None),
            (('--help', '-h'), False, False, 'Show this message and exit.', None),
        ),
        (
            ('papers', -1, 'paper'),
        ),
    ),
    'cache': (
        "Manage scc's cache of derived data (the TOML file is never touched).",
        (
            (('--help', '-h'), False, False, 'Show this message and exit.', None),
        ),
        (
            ('action', 1, ('clear', 'path')),
        ),
    ),
    'discover': (
        'Find arXiv papers the catalog lacks, ranked by relevance to it.',
        (
            (('--since',), True, False, 'First submission date to search.', None),
            (('--until',), True, False, 'Last submission date to search.', None),
            (('--max',), True, False, 'Show at most N candidates.', None),
            (('--results',), True, False, 'How many search results to rank (newest first, 100 per request).', None),
            (('--format', '-f'), True, False, 'table, json or markdown.', None),
            (('--accept',), True, True, 'Add this arXiv paper to the catalog (repeatable).', None),
            (('--reject',), True, True, 'Never propose this arXiv paper again (repeatable; needs --reason).', None),
            (('--reason',), True, False, 'Why the --reject papers are out of scope.', None),
            (('--api-url',), True, False, 'arXiv API endpoint (a mirror, or a test server). Default: $SCC_ARXIV_API, else https://export.arxiv.org/api/query.', None),
            (('--no-cache',), False, False, 'Ask arXiv again instead of using answers cached in the last 24 h.', None),
            (('--db',), True, False, 'Catalog file. Default: $SCC_DB, else ./data/papers.toml, else the bundled catalog.', None),
            (('--help', '-h'), False, False, 'Show this message and exit.', None),
        ),
        (
        ),
    ),
}

#: The methods: (name, aliases, description).
METHODS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ('pruning', ('prune', 'sparsity', 'sparse'), 'Removing weights, heads, channels or layers (structured or not).'),
    ('distillation', ('kd', 'distill', 'knowledge-distillation'), 'Training a smaller student to mimic a teacher (knowledge distillation).'),
    ('quantization', ('quant', 'quantisation', 'quantize', 'ptq', 'qat'), 'Fewer bits per weight or activation.'),
    ('low-rank', ('lowrank', 'low-rank-approximation', 'svd'), 'Low-rank factorisation or approximation of weight matrices.'),
    ('architecture-search', ('nas',), 'Searching for a smaller architecture (NAS, supernets).'),
    ('dynamic-inference', ('early-exit', 'dynamic'), 'Compute chosen per input at run time (early exit, layer skipping).'),
    ('parameter-sharing', ('weight-sharing', 'sharing'), 'Reusing the same weights in several places.'),
    ('other', (), 'Any other way of making a speech model cheaper.'),
)

#: The built-in venues: (name, aliases, full name).
VENUES: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ('INTERSPEECH', ('isca interspeech',), 'Annual Conference of the International Speech Communication Association'),
    ('ICASSP', (), 'IEEE International Conference on Acoustics, Speech and Signal Processing'),
    ('SLT', (), 'IEEE Spoken Language Technology Workshop'),
    ('ASRU', (), 'IEEE Automatic Speech Recognition and Understanding Workshop'),
    ('NeurIPS', ('nips',), 'Advances in Neural Information Processing Systems'),
    ('ICLR', (), 'International Conference on Learning Representations'),
    ('ICML', (), 'International Conference on Machine Learning'),
    ('ACL', (), 'Annual Meeting of the Association for Computational Linguistics'),
    ('EMNLP', (), 'Conference on Empirical Methods in Natural Language Processing'),
    ('NAACL', (), 'Conference of the North American Chapter of the Association for Computational Linguistics'),
    ('EACL', (), 'Conference of the European Chapter of the Association for Computational Linguistics'),
    ('AAAI', (), 'AAAI Conference on Artificial Intelligence'),
    ('IJCAI', (), 'International Joint Conference on Artificial Intelligence'),
    ('IWSLT', (), 'International Conference on Spoken Language Translation'),
    ('EUSIPCO', (), 'European Signal Processing Conference'),
    ('APSIPA', (), 'Asia-Pacific Signal and Information Processing Association Annual Summit and Conference'),
    ('ICME', (), 'IEEE International Conference on Multimedia and Expo'),
    ('Odyssey', (), 'The Speaker and Language Recognition Workshop'),
    ('TASLP', ('ieee/acm taslp',), 'IEEE/ACM Transactions on Audio, Speech, and Language Processing'),
    ('SPL', (), 'IEEE Signal Processing Letters'),
    ('JSTSP', (), 'IEEE Journal of Selected Topics in Signal Processing'),
    ('CSL', (), 'Computer Speech & Language'),
    ('arXiv', ('preprint', 'arxiv preprint', 'corr'), 'arXiv preprint'),
)
