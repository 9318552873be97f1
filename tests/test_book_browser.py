"""Browser test of the built HTML book: every page loads offline, cleanly, with maths rendered.

Drives Debian's Chromium (never a browser downloaded by ``playwright install``) through Python
Playwright over the pages of an already built book: ``make book`` (or ``make book-check``) first.

Environment:
    BOOK_HTML  folder of the built book (default: ``_build/html`` under the repository root)
    BOOK_TOC   the book's table of contents (default: ``_toc.yml`` at the repository root)
    CHROMIUM   the Chromium executable (default: ``/usr/bin/chromium``)
    CI         when ``true``, a missing browser or book is a failure, not a skip

Run with ``pytest tests/test_book_browser.py -m browser``.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit
from urllib.request import url2pathname

import pytest

try:
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
except ImportError:  # the browser fixture then skips (or fails under CI) with a clear reason
    PlaywrightTimeoutError = TimeoutError

pytestmark = pytest.mark.browser

REPO_ROOT = Path(__file__).resolve().parent.parent
BOOK_DIR = Path(os.environ.get("BOOK_HTML", REPO_ROOT / "_build" / "html"))
BOOK_DIR = (BOOK_DIR if BOOK_DIR.is_absolute() else REPO_ROOT / BOOK_DIR).resolve()
TOC_FILE = Path(os.environ.get("BOOK_TOC", REPO_ROOT / "_toc.yml"))
TOC_FILE = (TOC_FILE if TOC_FILE.is_absolute() else REPO_ROOT / TOC_FILE).resolve()
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
IN_CI = os.environ.get("CI", "").strip().lower() == "true"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

# Top-level folders where Sphinx puts assets, not pages. Every other ``*.html`` is a page,
# including genindex.html and search.html: the theme links to both and both load cleanly.
ASSET_DIRS = {"_static", "_sources", "_images", "_sphinx_design_static", "_panels_static"}
SOURCE_SUFFIXES = {".md", ".ipynb", ".rst", ".myst", ".txt"}

ALLOWED_SCHEMES = {"file", "data", "blob", "about"}
MATHJAX_TIMEOUT_MS = 15_000

# Known, explained noise: (regular expression, why it is harmless). It filters both console
# messages of type "error" and uncaught page errors. Add an entry only for noise actually
# observed, and only when the book's configuration cannot remove it.
KNOWN_NOISE: list[tuple[str, str]] = [
    (
        r"^(SyntaxError: )?Identifier 'THEBE_JS_URL' has already been declared$",
        # Sphinx 7.4.7 (pinned by jupyter-book 1.0.4) writes an inline script twice when an
        # extension registers it after the builder started: the builder first stores it with
        # filename None, then prepare_writing() re-adds the registry's copy with filename "",
        # and its duplicate check sees two different scripts. sphinx-thebe 0.3.1 registers
        # `const THEBE_JS_URL = ...; const thebe_selector = ...` that way (on every page), so
        # the second copy does not parse. The first copy already defined the same constants,
        # and thebe itself is only fetched if a reader clicks a live-code button: no effect.
        "duplicate sphinx-thebe config script (Sphinx 7.4 inline-script dedup bug)",
    ),
]

# MyST (dollarmath, amsmath, {math}) writes every formula as an element with the CSS class
# "math": <span class="math notranslate nohighlight">\(...\)</span> inline, <div class="math
# notranslate nohighlight">\[...\]</div> or <div class="amsmath math ..."> for display maths,
# and myst-nb does the same for text/latex outputs. The page's MathJax configuration
# (processHtmlClass "...|math|...") typesets exactly those elements, also inside the
# "tex2jax_ignore mathjax_ignore" sections MyST wraps pages in. So: page has maths = has ".math".
MATH_CLASS = re.compile(r"""class=["'](?:[^"']*\s)?math(?:\s[^"']*)?["']""")
MATH_SELECTOR = "span.math, div.math"
META_REFRESH = re.compile(
    r"""<meta\s+http-equiv=["']refresh["']\s+content=["']\s*\d+\s*;\s*url=([^"']+)["']""",
    re.IGNORECASE,
)

# The primary (left) sidebar: pydata-sphinx-theme, under sphinx-book-theme, renders the table of
# contents as <nav class="bd-links bd-docs-nav" aria-label="Main"> inside #pst-primary-sidebar.
SIDEBAR_LINKS = "nav.bd-docs-nav a[href]"

# JavaScript run in the page: the .math elements MathJax has not rendered yet. An element is
# done when it holds an <mjx-container> and none of its own text still shows TeX delimiters.
PENDING_MATH_JS = r"""
(selector) => Array.from(document.querySelectorAll(selector)).filter((el) => {
    const ownText = Array.from(el.childNodes)
        .filter((node) => node.nodeType === Node.TEXT_NODE)
        .map((node) => node.textContent).join("");
    return !el.querySelector("mjx-container") || /\\\(|\\\[|\$\$/.test(ownText);
}).map((el) => el.textContent.trim().slice(0, 80))
"""
MATHJAX_STARTED_JS = "() => Boolean(window.MathJax && window.MathJax.startup)"
# TeX that MathJax rendered but could not understand: a syntax error becomes <mjx-merror>; an
# undefined macro (MathJax's default "noundefined" package) becomes red text that starts with a
# backslash, visible in the hidden MathML copy MathJax adds for screen readers.
MATHJAX_ERRORS_JS = r"""
() => [
    ...Array.from(document.querySelectorAll("mjx-merror")).map(
        (el) => "TeX error: " + (el.getAttribute("data-mjx-error") || el.textContent)),
    ...Array.from(document.querySelectorAll('mjx-assistive-mml mtext[mathcolor="red"]'))
        .map((el) => el.textContent).filter((text) => text.startsWith("\\"))
        .map((text) => "undefined macro: " + text),
]
"""


def _unavailable(reason: str) -> None:
    """Skip, or fail under CI=true, where the browser test must run."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: the browser test may not be skipped)", pytrace=False)
    pytest.skip(reason)


def _book_pages() -> list[str]:
    """Relative paths of the book's HTML pages, collected at import time."""
    if not (BOOK_DIR / "index.html").is_file():
        return []
    pages = []
    for path in BOOK_DIR.rglob("*.html"):
        relative = path.relative_to(BOOK_DIR)
        if relative.parts[0] not in ASSET_DIRS:
            pages.append(relative.as_posix())
    return sorted(pages)


PAGES = _book_pages()
PAGE_PARAMS = PAGES or [pytest.param(None, id="book-missing")]
BOOK_MISSING = (
    f"no built book at {BOOK_DIR} (index.html missing): build it first (`make book`), "
    "or point BOOK_HTML at a built book"
)


def _toc_pages() -> set[str]:
    """Book-relative HTML paths of the root and of every top-level entry of the toc."""
    import yaml

    toc = yaml.safe_load(TOC_FILE.read_text(encoding="utf-8"))
    entries: list = [{"file": toc["root"]}]
    for part in toc.get("parts") or [toc]:
        entries.extend(part.get("chapters") or part.get("sections") or [])
    pages = set()
    for entry in entries:
        if isinstance(entry, dict) and "file" in entry:
            name = PurePosixPath(entry["file"])
            if name.suffix in SOURCE_SUFFIXES:
                name = name.with_suffix("")
            pages.add(f"{name}.html")
    return pages


def _file_url_to_path(url: str) -> Path:
    return Path(url2pathname(unquote(urlsplit(url).path)))


def _book_relative(path: Path) -> str | None:
    try:
        return path.resolve().relative_to(BOOK_DIR).as_posix()
    except ValueError:
        return None


def _missing_prerequisite() -> str | None:
    """Why the browser test cannot run here, or None when it can."""
    if not PAGES:
        return BOOK_MISSING
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        return (
            f"no Chromium executable at {CHROMIUM}: install Debian's `chromium` with apt-get "
            "or set CHROMIUM to its path (never `playwright install`)"
        )
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Python playwright is not installed (it is pinned in requirements.txt)"
    return None


@pytest.fixture(scope="module")
def browser():
    """One headless Debian Chromium for the whole module, or why there is none.

    A missing book or browser is reported from inside each test (see ``visit``), so that under
    CI=true it is a test *failure* with its reason, not a setup error.
    """
    reason = _missing_prerequisite()
    if reason is not None:
        yield reason
        return
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class PageVisit:
    """A page opened in a fresh browser context, with everything it logged and requested."""

    def __init__(self, browser, relative: str):
        self.relative = relative
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        self.requests: list[str] = []
        self.failed_files: list[str] = []
        self.context = browser.new_context()
        # The machine may be offline: answer any web request at once instead of waiting for DNS
        # (the request is still recorded, and reported as the failure).
        self.context.route(re.compile(r"^(https?|wss?)://"), lambda route: route.abort())
        self.page = self.context.new_page()
        self.page.on("console", self._on_console)
        self.page.on("pageerror", self._on_page_error)
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("requestfailed", self._on_request_failed)

    @staticmethod
    def _is_known_noise(text: str) -> bool:
        return any(re.search(pattern, text) for pattern, _reason in KNOWN_NOISE)

    def _on_console(self, message) -> None:
        if message.type != "error" or self._is_known_noise(message.text):
            return
        where = (message.location or {}).get("url", "")
        self.console_errors.append(f"{message.text} (at {where})" if where else message.text)

    def _on_page_error(self, error) -> None:
        text = str(error)
        if not self._is_known_noise(text):
            self.page_errors.append(text)

    def _on_request_failed(self, request) -> None:
        if urlsplit(request.url).scheme == "file":
            self.failed_files.append(f"{request.url} ({request.failure})")

    def open(self) -> None:
        """Load the page; follow a ``<meta http-equiv="refresh">`` redirect stub (index.html)."""
        path = BOOK_DIR / self.relative
        self.page.goto(path.as_uri(), wait_until="load")
        redirect = META_REFRESH.search(path.read_text(encoding="utf-8", errors="replace"))
        if redirect:
            target = urljoin(path.as_uri(), redirect.group(1).strip()).split("#")[0]
            target_file = _file_url_to_path(target)
            assert target_file.is_file(), f"{self.relative} redirects to a missing {target_file}"
            self.page.wait_for_url(f"{target}*", wait_until="load")

    @property
    def landed(self) -> Path:
        """The file shown after any redirect."""
        return _file_url_to_path(self.page.url)

    @property
    def label(self) -> str:
        landed = _book_relative(self.landed)
        return self.relative if landed == self.relative else f"{self.relative} (-> {landed})"

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(browser):
    visits: list[PageVisit] = []

    def _open(relative: str) -> PageVisit:
        if isinstance(browser, str):
            _unavailable(browser)
        page_visit = PageVisit(browser, relative)
        visits.append(page_visit)
        page_visit.open()
        return page_visit

    yield _open
    for page_visit in visits:
        page_visit.close()


def _check_mathjax(page_visit: PageVisit) -> None:
    """If the page has maths, MathJax (loaded locally) has rendered all of it without errors."""
    page = page_visit.page
    source = page_visit.landed.read_text(encoding="utf-8", errors="replace")
    if not MATH_CLASS.search(source):
        return
    seconds = MATHJAX_TIMEOUT_MS / 1000
    deadline = time.monotonic() + seconds
    problem = None
    try:
        page.wait_for_function(MATHJAX_STARTED_JS, timeout=MATHJAX_TIMEOUT_MS)
        remaining_ms = max(1.0, (deadline - time.monotonic()) * 1000)
        page.wait_for_function(
            f"(selector) => ({PENDING_MATH_JS})(selector).length === 0",
            arg=MATH_SELECTOR,
            timeout=remaining_ms,
            polling=100,
        )
    except PlaywrightTimeoutError:
        if not page.evaluate(MATHJAX_STARTED_JS):
            problem = (
                f"{page_visit.label} has maths but MathJax did not start within {seconds:.0f} s: "
                "is its script vendored in the book (sphinx-mathjax-offline) and present?"
            )
        else:
            pending = page.evaluate(PENDING_MATH_JS, MATH_SELECTOR)
            problem = (
                f"MathJax left {len(pending)} formula(s) as raw TeX after {seconds:.0f} s on "
                f"{page_visit.label}: {pending[:3]}"
            )
    if problem:
        pytest.fail(problem, pytrace=False)
    assert page.locator("mjx-container").count() > 0
    errors = page.evaluate(MATHJAX_ERRORS_JS)
    assert not errors, f"MathJax could not typeset TeX on {page_visit.label}: {errors[:5]}"


def _sidebar_links(page_visit: PageVisit) -> list[tuple[str, str]]:
    """(href as written, absolute URL) of every link in the left sidebar."""
    return page_visit.page.eval_on_selector_all(
        SIDEBAR_LINKS, "(links) => links.map((a) => [a.getAttribute('href'), a.href])"
    )


@pytest.mark.parametrize("relative", PAGE_PARAMS)
def test_page_loads_offline_cleanly(relative, visit):
    page_visit = visit(relative)
    label = page_visit.label

    assert page_visit.page.title().strip(), f"{label} has an empty <title>"

    external = sorted(
        {url for url in page_visit.requests if urlsplit(url).scheme not in ALLOWED_SCHEMES}
    )
    assert not external, (
        f"{label} requested {len(external)} resource(s) from the web; the book must work "
        f"offline, so vendor them: {external}"
    )
    assert not page_visit.failed_files, f"{label} could not load: {page_visit.failed_files}"

    _check_mathjax(page_visit)

    broken = []
    for href, absolute in _sidebar_links(page_visit):
        if urlsplit(href).scheme or href.startswith("//"):
            continue  # an external link (a toc `url:` entry) is not part of the offline book
        target = _file_url_to_path(absolute)
        if not (target.is_file() and _book_relative(target) is not None):
            broken.append(f"{href} -> {target}")
    assert not broken, f"sidebar links of {label} that lead nowhere: {broken}"

    assert not page_visit.page_errors, (
        f"uncaught JavaScript errors on {label}: {page_visit.page_errors}"
    )
    assert not page_visit.console_errors, f"console errors on {label}: {page_visit.console_errors}"


def test_landing_page_sidebar_links_every_top_level_page(visit):
    page_visit = visit("index.html")
    if not TOC_FILE.is_file():
        _unavailable(f"no table of contents at {TOC_FILE}: set BOOK_TOC to the book's _toc.yml")
    links = _sidebar_links(page_visit)
    assert links, "the left sidebar of the landing page has no links"
    landed = _book_relative(page_visit.landed)
    linked = {
        _book_relative(_file_url_to_path(absolute))
        for _href, absolute in links
        if urlsplit(absolute).scheme == "file"
    }
    expected = _toc_pages()
    assert landed in expected, f"index.html shows {landed}, which is not the toc's root"
    missing = sorted(expected - linked - {landed})
    assert not missing, f"top-level toc pages missing from the landing page's sidebar: {missing}"


@pytest.mark.parametrize("relative", PAGE_PARAMS)
def test_page_text_has_no_test_markers(relative, visit):
    """Readers never see the nbval marker (the `nbval_marker` extension removes it)."""
    page_visit = visit(relative)
    text = page_visit.page.locator("body").inner_text()
    assert "NBVAL_CHECK_OUTPUT" not in text, f"{page_visit.label} shows the nbval marker"
    # A raw "<s>" in Markdown becomes a strikethrough element that swallows the rest of the page.
    struck = page_visit.page.locator("s, del, strike").count()
    assert struck == 0, (
        f"{page_visit.label} has {struck} struck-through element(s): raw <s> in text?"
    )
