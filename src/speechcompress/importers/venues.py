"""What kind of venue a name is, and the short name a list or bibliography means by it.

One rule for every importer: an unknown venue is declared in the new catalog with the
kind its name says ("Transactions", "Journal", "Magazine", "Letters", or a well-known
journal abbreviation such as TPAMI or JMLR make a journal; "Workshop" a workshop;
anything else a conference), so BibTeX later writes ``@article{..., journal=...}`` for
a journal and ``@inproceedings`` for a conference.
"""

from __future__ import annotations

import re

#: Journals that lists and bibliographies name by abbreviation: abbreviation -> full name.
JOURNALS: dict[str, str] = {
    "TPAMI": "IEEE Transactions on Pattern Analysis and Machine Intelligence",
    "PAMI": "IEEE Transactions on Pattern Analysis and Machine Intelligence",
    "IJCV": "International Journal of Computer Vision",
    "JMLR": "Journal of Machine Learning Research",
    "TMLR": "Transactions on Machine Learning Research",
    "TNNLS": "IEEE Transactions on Neural Networks and Learning Systems",
    "TIP": "IEEE Transactions on Image Processing",
    "TCSVT": "IEEE Transactions on Circuits and Systems for Video Technology",
    "TSP": "IEEE Transactions on Signal Processing",
    "TMM": "IEEE Transactions on Multimedia",
    "TACL": "Transactions of the Association for Computational Linguistics",
    "TOMM": "ACM Transactions on Multimedia Computing, Communications, and Applications",
    "TCAD": "IEEE Transactions on Computer-Aided Design of Integrated Circuits and Systems",
    "TC": "IEEE Transactions on Computers",
    "JSAC": "IEEE Journal on Selected Areas in Communications",
    "JASA": "The Journal of the Acoustical Society of America",
    "PR": "Pattern Recognition",
    "NN": "Neural Networks",
    "NC": "Neurocomputing",
    "SPM": "IEEE Signal Processing Magazine",
    "CL": "Computational Linguistics",
    "Nature": "Nature",
    "Science": "Science",
    "PNAS": "Proceedings of the National Academy of Sciences",
    "EURASIP": "EURASIP Journal on Audio, Speech, and Music Processing",
    "Speech Communication": "Speech Communication",
    "Neurocomputing": "Neurocomputing",
    "Pattern Recognition": "Pattern Recognition",
    "Neural Networks": "Neural Networks",
}
_JOURNAL_WORDS = re.compile(
    r"\b(transactions?|journal|magazine|letters?|review|trans\.|j\.|mag\.|lett\.|mdpi|"
    r"ieee access|frontiers in|plos)",
    re.IGNORECASE,
)
# "IEEE TCSVT", "IEEE TCS.I", "ACM TOMM": a publisher and a Transactions acronym.
_TRANSACTIONS = re.compile(r"^(?:IEEE|ACM|IEEE/ACM)\s+T[A-Z][A-Z.]+(?:\s|$)")
_WORKSHOP_WORDS = re.compile(r"\bworkshops?\b", re.IGNORECASE)
_JOURNAL_KEYS = {k.casefold() for k in JOURNALS}


def guess_kind(name: str) -> str:
    """``journal``, ``workshop`` or ``conference``: what the venue's name says it is."""
    bare = re.sub(r"[\s'\u2019]*\d{2,4}$", "", name.strip())
    if bare.casefold() in _JOURNAL_KEYS or _JOURNAL_WORDS.search(bare) or _TRANSACTIONS.match(bare):
        return "journal"
    if _WORKSHOP_WORDS.search(bare) or re.search(r"\bW$|-W\b|Workshops?\b", bare):
        return "workshop"
    return "conference"


_PROCEEDINGS = re.compile(
    r"^(?:in\s+)?(?:proceedings|proc\.?)(?:\s+of)?(?:\s+the)?\s+", flags=re.IGNORECASE
)
_ORDINAL = re.compile(r"\b\d+(?:st|nd|rd|th)\b\s*", flags=re.IGNORECASE)
_YEARS = re.compile(r"(?:^|[\s,'\u2019(])(?:19|20)\d\d\b\)?|\s*\(\s*\)")


def venue_label(text: str) -> str:
    """A venue's name without "Proceedings of the", ordinals or years: what the catalog
    declares for a venue it does not know yet."""
    name = " ".join(text.split())
    name = _PROCEEDINGS.sub("", name)
    name = _ORDINAL.sub("", name)
    name = _YEARS.sub(" ", name)
    name = re.sub(r"[\s,:;.]+$", "", " ".join(name.split()))
    return name or " ".join(text.split())
