"""``scc discover``: find arXiv papers the catalog lacks, ranked by what it already holds.

- :mod:`.query` builds the arXiv search query from the catalog's own vocabulary;
- :mod:`.fetch` pages through the API's answers (the one module that knows the client);
- :mod:`.rank` scores candidates against the catalogued and rejected papers;
- :mod:`.triage` remembers rejected papers in a file beside the catalog;
- :mod:`.candidates` puts them together: leave out what is known, rank, propose fields.
"""
