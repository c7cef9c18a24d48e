"""How well `scc discover` ranks a labelled pool of real arXiv entries, and how fast.

    python bench/discover_bench.py [--pool P] [--catalog C] [--scale]

The pool is served as Atom feeds by a stand-in arXiv API on 127.0.0.1 and read through
discover's own paging and ranking (the real code path, network aside). Printed: average
precision (AP), precision at 10, and the share of relevant papers ranked within the
top 2 x (number relevant), beside two baselines computed on the same pool:

* keyword filter (cv-arxiv-daily style): a speech term AND a compression term;
* arxiv-sanity-lite: TF-IDF word bigrams + linear SVM, catalog positive, pool negative.

``--scale`` also times the ranking of 2,000 candidates against a 10,000-paper catalog
from bench/gen_catalog.py (no network). Exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import os
import random
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape, quoteattr

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))

SHARED = ROOT.parent / "shared" / "research" / "discover"
TARGET_AP, TARGET_MARGIN, TARGET_TOP2X, TARGET_SECONDS = 0.85, 0.25, 0.90, 5.0

SPEECH_WORDS = (
    "speech audio asr speaker voice acoustic spoken sound music whisper hubert wav2vec"
).split()
COMPRESSION_WORDS = (
    "compress prun quantiz quantis distil sparse sparsi low-rank lightweight efficient"
).split()
#: Random orders averaged over for a ranking with ties (the keyword filter's flags).
TIE_ORDERS = 200


# --- the stand-in API ------------------------------------------------------------------


def atom_entry(item: dict[str, Any]) -> str:
    day = item.get("published") or item.get("listed_in_digest") or "2025-01-01"
    cats = list(item.get("categories") or [])
    primary = item.get("primary_category")
    lines = [
        "  <entry>",
        f"    <id>http://arxiv.org/abs/{item['arxiv_id']}v1</id>",
        f"    <title>{escape(item['title'])}</title>",
        f"    <updated>{day}T12:00:00Z</updated>",
        f"    <summary>{escape(item.get('abstract') or '')}</summary>",
        f"    <published>{day}T12:00:00Z</published>",
        *(f"    <author><name>{escape(a)}</name></author>" for a in item.get("authors") or []),
        *(f"    <category term={quoteattr(c)}/>" for c in cats),
    ]
    if primary:
        lines.append(f"    <arxiv:primary_category term={quoteattr(primary)}/>")
    return "\n".join([*lines, "  </entry>\n"])


def atom_feed(entries: list[str], total: int) -> bytes:
    return (
        "<?xml version='1.0' encoding='UTF-8'?>\n"
        '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom"'
        ' xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">\n'
        "  <title>arXiv Query</title>\n  <id>https://arxiv.org/api/bench</id>\n"
        f"  <opensearch:totalResults>{total}</opensearch:totalResults>\n"
        + "".join(entries)
        + "</feed>\n"
    ).encode()


class Server:
    """Answers every search with the pool, paged by ``start`` and ``max_results``."""

    def __init__(self, pool: list[dict[str, Any]]) -> None:
        self.entries = [atom_entry(p) for p in pool]
        self.requests = 0

    def __enter__(self) -> str:
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                params = parse_qs(urlsplit(self.path).query)
                start = int(params.get("start", ["0"])[0])
                size = int(params.get("max_results", ["10"])[0])
                owner.requests += 1
                body = atom_feed(owner.entries[start : start + size], len(owner.entries))
                self.send_response(200)
                self.send_header("Content-Type", "application/atom+xml")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}/api/query"

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


# --- measures ---------------------------------------------------------------------------


def measures(ranked: list[str], relevant: set[str]) -> tuple[float, float, float]:
    """(AP, precision@10, share of relevant within the top 2 x |relevant|)."""
    hits, total = 0, 0.0
    for n, key in enumerate(ranked, 1):
        if key in relevant:
            hits += 1
            total += hits / n
    ap = total / len(relevant)
    p10 = sum(k in relevant for k in ranked[:10]) / 10
    top = sum(k in relevant for k in ranked[: 2 * len(relevant)]) / len(relevant)
    return ap, p10, top


def keyword_baseline(
    pool: list[dict[str, Any]], relevant: set[str]
) -> tuple[tuple[float, float, float], int, int]:
    """The measures of "flagged first", averaged over random orders within the flagged
    and the unflagged papers (a filter does not rank); how many flagged, how many right."""
    import random

    def flagged(item: dict[str, Any]) -> bool:
        text = f"{item['title']} {item.get('abstract') or ''}".lower()
        return any(w in text for w in SPEECH_WORDS) and any(w in text for w in COMPRESSION_WORDS)

    marks = [flagged(p) for p in pool]
    yes = [p["arxiv_id"] for p, m in zip(pool, marks, strict=True) if m]
    no = [p["arxiv_id"] for p, m in zip(pool, marks, strict=True) if not m]
    rng = random.Random(0)
    total = [0.0, 0.0, 0.0]
    for _ in range(TIE_ORDERS):
        rng.shuffle(yes)
        rng.shuffle(no)
        for i, value in enumerate(measures(yes + no, relevant)):
            total[i] += value / TIE_ORDERS
    return (total[0], total[1], total[2]), len(yes), len(set(yes) & relevant)


def svm_baseline(pool: list[dict[str, Any]], catalog: Any) -> list[str]:
    """arxiv-sanity-lite's recipe: TF-IDF (1,2)-grams, LinearSVC, catalog vs pool."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC

    positives = [" ".join(x for x in (p.title, p.summary, p.abstract) if x) for p in catalog.papers]
    negatives = [f"{p['title']} {p.get('abstract') or ''}" for p in pool]
    vectorizer = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, stop_words="english")
    matrix = vectorizer.fit_transform(positives + negatives)
    labels = np.array([1] * len(positives) + [0] * len(negatives))
    svm = LinearSVC(class_weight="balanced", C=0.1, max_iter=10_000).fit(matrix, labels)
    scores = svm.decision_function(matrix[len(positives) :])
    return [pool[i]["arxiv_id"] for i in np.argsort(-scores, kind="stable")]


# --- runs -------------------------------------------------------------------------------


def rank_through_api(pool: list[dict[str, Any]], catalog_path: Path) -> tuple[list[str], float]:
    from speechcompress import load_catalog
    from speechcompress.arxiv import make_client
    from speechcompress.discover.candidates import find_candidates
    from speechcompress.discover.fetch import search
    from speechcompress.discover.query import search_query
    from speechcompress.discover.triage import load_rejections, rejected_path

    catalog = load_catalog(catalog_path, use_cache=False)
    with tempfile.TemporaryDirectory() as cache, Server(pool) as url:
        env = {"SCC_ARXIV_DELAY": "0", "SCC_CACHE_DIR": cache}
        client = make_client(api_url=url, use_cache=False, environ=env)
        entries = search(client, search_query(catalog.papers), limit=10 * len(pool) + 100)
        start = time.perf_counter()
        found = find_candidates(
            catalog, entries, rejected=load_rejections(rejected_path(catalog_path))
        )
        seconds = time.perf_counter() - start
    return [c.entry.arxiv_id for c in found], seconds


def scale_run(n_catalog: int, n_candidates: int) -> float:
    """Seconds to rank ``n_candidates`` against a generated ``n_catalog``-paper catalog."""
    from speechcompress import load_catalog
    from speechcompress.arxiv import ArxivEntry
    from speechcompress.discover.candidates import find_candidates

    spec = importlib.util.spec_from_file_location("gen_catalog", HERE / "gen_catalog.py")
    assert spec and spec.loader
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    with tempfile.TemporaryDirectory() as folder:
        big = Path(folder) / "big.toml"
        big.write_text(gen.generate(n_catalog, seed=1), encoding="utf-8")
        other = Path(folder) / "other.toml"
        other.write_text(gen.generate(n_candidates, seed=2), encoding="utf-8")
        catalog = load_catalog(big, use_cache=False)
        entries = [
            ArxivEntry(
                arxiv_id=f"2999.{i:05d}",
                version=1,
                title=p.title,
                authors=p.authors,
                published=dt.date(2026, 1, 1),
                updated=dt.date(2026, 1, 1),
                abstract=p.abstract or "",
                categories=("eess.AS",),
            )
            for i, p in enumerate(load_catalog(other, use_cache=False).papers)
        ]
    start = time.perf_counter()
    # All are ranked; the fields (venue, models) are proposed for the 30 shown, as by default.
    found = find_candidates(catalog, entries, limit=30)
    seconds = time.perf_counter() - start
    assert len(found) == 30, len(found)
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pool", type=Path, default=SHARED / "pool-dev.json")
    parser.add_argument("--catalog", type=Path, default=SHARED / "catalog-104.toml")
    parser.add_argument("--scale", action="store_true", help="also time 2,000 x 10,000")
    parser.add_argument("--scale-catalog", type=int, default=10_000)
    parser.add_argument("--scale-candidates", type=int, default=2_000)
    parser.add_argument("--json", action="store_true", help="print the ranking as JSON too")
    args = parser.parse_args()
    os.environ.pop("SCC_ARXIV_API", None)

    from speechcompress import load_catalog

    pool = json.loads(args.pool.read_text(encoding="utf-8"))
    # The file lists relevant papers first; the stand-in API must not leak that order.
    random.Random(1).shuffle(pool)
    relevant = {p["arxiv_id"] for p in pool if p["label"] == "relevant"}
    catalog = load_catalog(args.catalog, use_cache=False)
    print(f"pool {args.pool.name}: {len(pool)} papers, {len(relevant)} relevant")
    print(f"catalog {args.catalog.name}: {len(catalog.papers)} papers")

    ranked, seconds = rank_through_api(pool, args.catalog)
    missing = {p["arxiv_id"] for p in pool} - set(ranked)
    ranked += sorted(missing)  # left out as "already catalogued": ranked last
    ours = measures(ranked, relevant)
    keyword, flagged, flagged_right = keyword_baseline(pool, relevant)
    svm = measures(svm_baseline(pool, catalog), relevant)

    print(f"\n{'ranker':40} {'AP':>6} {'P@10':>6} {'top-2x':>7}")
    for name, (ap, p10, top) in (
        ("scc discover", ours),
        (f"keyword filter ({flagged} flagged, {flagged_right} right)", keyword),
        ("TF-IDF bigrams + linear SVM", svm),
    ):
        print(f"{name:40} {ap:6.3f} {p10:6.2f} {top:7.2f}")
    print(f"ranking time: {seconds:.2f} s; left out as known: {len(missing)}")
    if args.json:
        print(json.dumps(ranked))

    best_baseline = max(keyword[0], svm[0])
    failures = []
    if ours[0] < TARGET_AP:
        failures.append(f"AP {ours[0]:.3f} < {TARGET_AP}")
    if ours[0] < best_baseline + TARGET_MARGIN:
        failures.append(f"AP {ours[0]:.3f} < best baseline {best_baseline:.3f} + {TARGET_MARGIN}")
    if ours[2] < TARGET_TOP2X:
        failures.append(f"top-2x {ours[2]:.2f} < {TARGET_TOP2X}")
    if args.scale:
        took = scale_run(args.scale_catalog, args.scale_candidates)
        print(
            f"\nscale: {args.scale_candidates:,} candidates x {args.scale_catalog:,} "
            f"catalogued papers ranked in {took:.2f} s (target {TARGET_SECONDS:g} s)"
        )
        if took > TARGET_SECONDS:
            failures.append(f"scale {took:.2f} s > {TARGET_SECONDS:g} s")
    for failure in failures:
        print(f"MISSED: {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
