"""The site in headless Chromium: it lists what ``scc search`` and ``scc list`` list.

Each page is opened from ``file://``. Every test fails on a console error, an uncaught
exception or a request for anything outside the site's folder.

Chromium is the system's own build (Debian's ``chromium``), driven by Playwright. Where
Chromium or Playwright is missing the tests skip with the reason; under CI=true a skip
would hide a broken install, so they fail instead.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from conftest import run
from speechcompress import load_catalog
from speechcompress.site import build_site

REPO = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"browser tests cannot run under CI: {reason}")
    pytest.skip(reason)


# Module scope, not session: Playwright's sync API keeps an asyncio loop running while it
# is open, and later modules (the link checker's tests) run asyncio loops of their own.
@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = _chromium()
    if executable is None:
        _unavailable("no Chromium on this machine (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright for Python is not installed (pip install '.[test]')")
    with sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


ARTIFACTS = REPO / "tests" / "artifacts"


@pytest.fixture(scope="module")
def catalog_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("catalog")
    shutil.copy(REPO / "data" / "papers.toml", folder / "papers.toml")
    return folder / "papers.toml"


@pytest.fixture(scope="module")
def site(catalog_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("site")
    build_site(load_catalog(catalog_file, use_cache=False), folder)
    return folder


class Page:
    """A Playwright page that records what would make a test fail."""

    def __init__(self, page: Any, folder: Path) -> None:
        self.page = page
        self.folder_url = folder.as_uri() + "/"
        self.problems: list[str] = []
        page.on("console", lambda m: m.type == "error" and self.problems.append(m.text))
        page.on("pageerror", lambda e: self.problems.append(f"uncaught: {e}"))
        page.on("request", self._request)

    def _request(self, request: Any) -> None:
        if not request.url.startswith(self.folder_url):
            self.problems.append(f"request outside the site's folder: {request.url}")

    def open(self, query: str = "", fragment: str = "") -> Any:
        url = self.folder_url + "index.html" + (f"?{query}" if query else "")
        self.page.goto(url + (f"#{fragment}" if fragment else ""))
        self.page.wait_for_selector("html[data-ready]", state="attached", timeout=20_000)
        self.settle()
        return self.page

    def settle(self) -> None:
        # Updates are synchronous; this only lets a pending frame pass.
        self.page.evaluate("new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)))")

    def drawn(self) -> list[str]:
        return self.page.evaluate(
            """[...document.querySelectorAll('[data-paper-id]')]
                .filter(e => e.isConnected && !e.closest('[hidden]'))
                .map(e => e.dataset.paperId)"""
        )

    def shown(self) -> list[str]:
        """Every paper listed: the first ones are drawn, the rest on "Show more"."""
        self.page.evaluate(
            """() => {
                const more = document.querySelector('p.more');
                while (!more.hidden) more.querySelector('button').click();
            }"""
        )
        return self.drawn()

    def query_string(self) -> str:
        return self.page.evaluate("location.search")


@pytest.fixture
def page(browser: Any, site: Path) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    wrapped = Page(context.new_page(), site)
    yield wrapped
    context.close()
    assert not wrapped.problems, wrapped.problems


def cli_ids(*args: str) -> list[str]:
    result = run(*args, "--format", "json")
    # A search that finds nothing exits 1, as grep does; the page then shows no paper.
    assert result.exit_code in (0, 1), result.output
    return [p["id"] for p in json.loads(result.stdout or "[]")]


SEARCHES = [
    "pruning",
    "pruning hubert",
    "prunning",  # a typo
    "Guimaraes",  # accents optional
    "author:guimarães",
    "self-supervised",
    "selfsupervised",
    "self supervised",
    '"knowledge distillation"',
    '"knowledge distillation" year:2023..',
    "method:kd whisper",
    "venue:icassp distil",
    "model:wav2vec",
    "title:hubert year:2021..2022",
    "Whisper's",
    "quantisation",
    "DPHuBERT",
]


@pytest.mark.parametrize("query", SEARCHES)
def test_the_search_box_lists_what_scc_search_lists(
    page: Page, catalog_file: Path, query: str
) -> None:
    expected = cli_ids(
        "search", *query.split(" ") if '"' not in query else [query], "--db", str(catalog_file)
    )
    page.open(urlencode({"q": query}))
    assert page.shown() == expected  # the same papers, in the same (ranked) order


LISTS = [
    {"method": ["quantization"], "year": ["2022"]},
    {"year": ["2021..2023"]},
    {"year": ["2024.."], "code": ["1"]},
    {"venue": ["INTERSPEECH", "ICASSP"]},
    {"venue": ["interspeech"], "method": ["pruning", "kd"]},
    {"model": ["HuBERT"], "method": ["pruning"]},
    {"model": ["wav2vec"]},
    {"author": ["watanabe"]},
    {"code": ["1"]},
]


@pytest.mark.parametrize("filters", LISTS, ids=lambda f: urlencode(f, doseq=True))
def test_filters_in_the_url_list_what_scc_list_lists(
    page: Page, catalog_file: Path, filters: dict[str, list[str]]
) -> None:
    args = ["list", "--db", str(catalog_file)]
    for key, values in filters.items():
        for value in values:
            args += ["--has-code"] if key == "code" else [f"--{key}", value]
    expected = cli_ids(*args)
    page.open(urlencode(filters, doseq=True))
    assert page.shown() == expected


def catalog_size(catalog_file: Path) -> int:
    return len(load_catalog(catalog_file, use_cache=False).papers)


def test_typing_updates_the_results_and_the_url(page: Page, catalog_file: Path) -> None:
    total = catalog_size(catalog_file)
    p = page.open()
    assert len(page.shown()) == total
    p.click("#UI-q")
    p.keyboard.type("distillation wavlm")
    page.settle()
    assert page.shown() == cli_ids("search", "distillation", "wavlm", "--db", str(catalog_file))
    assert page.query_string() == "?q=distillation+wavlm"
    assert p.inner_text("#UI-count") == f"{len(page.shown())} of {total} papers"
    p.keyboard.press("Escape")
    page.settle()
    assert len(page.shown()) == total and page.query_string() == ""


def test_each_facet_filters_counts_and_writes_the_url(page: Page, catalog_file: Path) -> None:
    p = page.open()
    db = ["--db", str(catalog_file)]
    p.check('input[name="year"][value="2023"]')
    p.check('input[name="year"][value="2022"]')  # the same key ORs
    assert page.query_string() == "?year=2023&year=2022"
    assert page.shown() == cli_ids("list", "--year", "2023", "--year", "2022", *db)
    p.check('input[name="method"][value="pruning"]')  # another key ANDs
    p.check('input[name="venue"][value="INTERSPEECH"]')
    p.check('input[name="model"][value="HuBERT"]')
    p.check('input[name="code"]')
    expected = cli_ids(
        "list",
        "--year",
        "2023",
        "--year",
        "2022",
        "--method",
        "pruning",
        "--venue",
        "INTERSPEECH",
        "--model",
        "HuBERT",
        "--has-code",
        *db,
    )
    assert page.shown() == expected
    assert page.query_string() == (
        "?year=2023&year=2022&venue=INTERSPEECH&method=pruning&model=HuBERT&code=1"
    )
    # A facet's counts are what checking that value would add under the other filters.
    p.uncheck('input[name="code"]')
    count = p.inner_text('input[name="code"] ~ .n')
    assert int(count) == len(expected)
    p.uncheck('input[name="year"][value="2023"]')
    p.uncheck('input[name="year"][value="2022"]')
    shown_2021 = p.inner_text('label:has(input[name="year"][value="2021"]) .n')
    assert int(shown_2021) == len(
        cli_ids(
            "list",
            "--year",
            "2021",
            "--method",
            "pruning",
            "--venue",
            "INTERSPEECH",
            "--model",
            "HuBERT",
            *db,
        )
    )


def test_the_url_state_survives_back_and_sort(page: Page, catalog_file: Path) -> None:
    p = page.open("method=quantization")
    p.select_option("#UI-sort", "title")
    page.settle()
    assert page.query_string() == "?method=quantization&sort=title"
    expected = cli_ids(
        "list", "--method", "quantization", "--sort", "title", "--db", str(catalog_file)
    )
    assert page.shown() == expected
    p.check('input[name="year"][value="2023"]')
    p.go_back()
    page.settle()
    assert not p.is_checked('input[name="year"][value="2023"]')
    assert page.shown() == expected


def test_a_year_range_shows_as_a_removable_filter(page: Page, catalog_file: Path) -> None:
    p = page.open("year=2021..2023")
    chip = p.locator("#UI-active .chip", has_text="year: 2021..2023")
    assert chip.count() == 1
    chip.click()
    page.settle()
    assert len(page.shown()) == catalog_size(catalog_file) and page.query_string() == ""


def test_bad_values_are_reported_not_fatal(page: Page) -> None:
    p = page.open(urlencode({"q": 'method:prunin "open', "venue": "nowhere"}))
    message = p.inner_text("#UI-q-error")
    assert "unknown method" in message and "unknown venue" in message
    assert "unbalanced quotes" in message


def test_permalinks_scroll_to_and_mark_the_paper(page: Page) -> None:
    p = page.open(fragment="hubert-distillation-speaker")
    paper = p.locator("#hubert-distillation-speaker")
    if paper.count() == 0:  # that id may not exist: take the oldest paper instead
        last = page.shown()[-1]
        p = page.open(fragment=last)
        paper = p.locator(f"#{last}")
    assert "is-target" in (paper.get_attribute("class") or "")
    box = paper.bounding_box()
    assert box is not None and 0 <= box["y"] < 900
    # Filtered out by the URL's filters: the page says so and offers to show it.
    target = page.shown()[-1]
    p = page.open("q=whisper", fragment=target)
    if target not in page.shown():
        notice = p.locator("#UI-target-notice")
        assert notice.is_visible() and target in notice.inner_text()
        notice.get_by_role("button").click()
        page.settle()
        assert target in page.shown()


def _copied(p: Any, click: str) -> str:
    p.evaluate(
        "window.__copied = null; document.addEventListener('scc:copied',"
        " e => { window.__copied = e.detail.text }, {once: true})"
    )
    p.click(click)
    p.wait_for_function("window.__copied !== null")
    return str(p.evaluate("window.__copied"))


def test_copy_bibtex_copies_what_scc_export_writes(
    browser: Any, site: Path, catalog_file: Path
) -> None:
    context = browser.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = Page(context.new_page(), site)
    p = page.open("q=dphubert")
    exported = run("export", "--format", "bibtex", "--db", str(catalog_file)).stdout
    first = page.shown()[0]
    one = _copied(p, f'[data-paper-id="{first}"] button.bib')
    assert one.startswith("@") and one in exported
    assert p.evaluate("navigator.clipboard.readText()") == one
    p = page.open("method=quantization")
    everything = _copied(p, "#UI-copy-all")
    assert everything.count("\n@") + 1 == len(page.shown())
    for entry in everything.split("\n@"):
        assert entry.lstrip("@") in exported
    context.close()
    assert not page.problems, page.problems


def test_keyboard_use_and_visible_focus(page: Page) -> None:
    p = page.open()
    p.keyboard.press("/")
    assert p.evaluate("document.activeElement.id") == "UI-q"
    p.keyboard.press("Tab")
    assert p.evaluate("document.activeElement.id") == "UI-sort"
    outline = p.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    # Every form control has a label.
    unlabelled = p.evaluate(
        """[...document.querySelectorAll('input, select, button')]
            .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')
                         && !e.textContent.trim()).length"""
    )
    assert unlabelled == 0


def test_dark_mode_follows_the_system(browser: Any, site: Path) -> None:
    colours = {}
    for scheme in ("light", "dark"):
        context = browser.new_context(color_scheme=scheme)
        page = Page(context.new_page(), site)
        p = page.open()
        colours[scheme] = p.evaluate("getComputedStyle(document.body).backgroundColor")
        if scheme == "dark":
            ARTIFACTS.mkdir(exist_ok=True)
            p.screenshot(path=str(ARTIFACTS / "site-dark.png"))
        context.close()
        assert not page.problems
    assert colours == {"light": "rgb(255, 255, 255)", "dark": "rgb(15, 20, 25)"}


def test_hostile_titles_are_text(browser: Any, tmp_path: Path) -> None:
    from test_site import HOSTILE, hostile_catalog

    folder = tmp_path / "site"
    build_site(load_catalog(hostile_catalog(tmp_path), use_cache=False), folder)
    context = browser.new_context()
    page = Page(context.new_page(), folder)
    p = page.open()
    assert p.evaluate("window.pwned") is None
    assert p.inner_text("#dphubert h3") == "DPHuBERT " + HOSTILE
    assert p.inner_text("h1") == "Mini " + HOSTILE
    context.close()
    # The <img src=x> must never have been requested either.
    assert not page.problems, page.problems


def test_a_screenshot_of_the_site(page: Page) -> None:
    p = page.open("q=pruning&year=2023..")
    ARTIFACTS.mkdir(exist_ok=True)
    p.screenshot(path=str(ARTIFACTS / "site.png"))
    p.set_viewport_size({"width": 390, "height": 844})
    p.screenshot(path=str(ARTIFACTS / "site-phone.png"))


def test_a_keystroke_on_10000_papers_takes_under_100_ms(browser: Any, tmp_path: Path) -> None:
    big = tmp_path / "papers-10k.toml"
    subprocess.run(
        [sys.executable, str(REPO / "bench" / "gen_catalog.py"), "10000", str(big)], check=True
    )
    folder = tmp_path / "site"
    build_site(load_catalog(big, use_cache=False), folder)
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = Page(context.new_page(), folder)
    p = page.open()
    assert p.inner_text("#UI-count") == "10000 papers" and len(page.drawn()) == 100
    # Three typing sessions; the machine may be shared (CI runs on a developer's cores),
    # so the best session stands for what the page costs and all of them are recorded.
    sessions = [
        p.evaluate(
            """async (text) => {
                const box = document.getElementById('UI-q');
                const frame = () => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
                box.value = '';
                box.dispatchEvent(new Event('input', {bubbles: true}));
                await frame();
                const out = [];
                for (let i = 1; i <= text.length; i++) {
                    const start = performance.now();
                    box.value = text.slice(0, i);
                    box.dispatchEvent(new Event('input', {bubbles: true}));
                    await frame();  // the results are on screen
                    const [match, draw] = document.documentElement.dataset.timing
                        .split(" ").map(Number);
                    out.push([performance.now() - start, match + draw]);
                }
                return out;
            }""",
            text,
        )
        for text in ("distilation hubert", "self-supervised pruning", "distilation hubert")
    ]
    context.close()
    assert not page.problems, page.problems
    # Per session: keystroke to the next painted frame, and the page's own matching+drawing.
    to_screen = [[t[0] for t in run] for run in sessions]
    script = [[t[1] for t in run] for run in sessions]
    best = min(range(len(sessions)), key=lambda i: max(to_screen[i]))
    every = [t for run in to_screen for t in run]
    record = {
        "papers": 10_000,
        "keystrokes": len(every),
        "to_screen_median_ms": round(statistics.median(every), 1),
        "to_screen_max_ms_per_session": [round(max(run), 1) for run in to_screen],
        "script_median_ms": round(statistics.median(t for run in script for t in run), 1),
        "script_max_ms_per_session": [round(max(run), 1) for run in script],
        "to_screen_ms": [[round(t, 1) for t in run] for run in to_screen],
    }
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "keystroke-10k.json").write_text(json.dumps(record, indent=2) + "\n")
    print(f"\n10,000 papers: {record}")
    assert statistics.median(every) < 100, record
    assert max(to_screen[best]) < 100, record
