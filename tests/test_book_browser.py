"""Browser test of the built HTML book: every page loads offline, cleanly, with maths rendered.

Drives Debian's Chromium (never a browser downloaded by ``playwright install``) through Python
Playwright over the pages of an already built book: ``make book`` first.

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

import nbformat
import pytest
from korean_checks import english_paragraphs, page_scope
from notebook_conventions import (
    figure_alt,
    figures_shown,
    folded_answer_cells,
    rendered_code_cells,
)

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
# The reader's windows: a laptop, and a phone (an iPhone 12-15 is 390 CSS pixels wide).
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
TABLET = {"width": 820, "height": 1180}  # an iPad Air upright: below the theme's 992 px breakpoint
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
    // \text{...} is printed literally: an escaped underscore there shows its backslash.
    ...Array.from(document.querySelectorAll('mjx-assistive-mml mtext:not([mathcolor="red"])'))
        .map((el) => el.textContent).filter((text) => text.includes("\\"))
        .map((text) => "backslash shown in text inside maths: " + text),
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
        if not set(relative.parts[:2]) & ASSET_DIRS:  # also the Korean edition's ko/_static
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

    def __init__(self, browser, relative: str, viewport: dict | None = None):
        self.relative = relative
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        self.requests: list[str] = []
        self.failed_files: list[str] = []
        self.context = browser.new_context(viewport=viewport or DESKTOP)
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

    def _open(relative: str, viewport: dict | None = None) -> PageVisit:
        if isinstance(browser, str):
            _unavailable(browser)
        page_visit = PageVisit(browser, relative, viewport)
        visits.append(page_visit)
        page_visit.open()
        return page_visit

    yield _open
    for page_visit in visits:
        page_visit.close()


def _typeset(page_visit: PageVisit) -> list[str]:
    """Wait for MathJax to typeset the page's maths; what went wrong, or [] (also: no maths)."""
    page = page_visit.page
    source = page_visit.landed.read_text(encoding="utf-8", errors="replace")
    if not MATH_CLASS.search(source):
        return []
    seconds = MATHJAX_TIMEOUT_MS / 1000
    deadline = time.monotonic() + seconds
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
            return [
                f"{page_visit.label} has maths but MathJax did not start within {seconds:.0f} s: "
                "is its script vendored in the book (sphinx-mathjax-offline) and present?"
            ]
        pending = page.evaluate(PENDING_MATH_JS, MATH_SELECTOR)
        return [
            f"MathJax left {len(pending)} formula(s) as raw TeX after {seconds:.0f} s on "
            f"{page_visit.label}: {pending[:3]}"
        ]
    if page.locator("mjx-container").count() == 0:
        return [f"MathJax rendered no formula on {page_visit.label}"]
    errors = page.evaluate(MATHJAX_ERRORS_JS)
    return [f"MathJax could not typeset TeX on {page_visit.label}: {errors[:5]}"] if errors else []


def _check_mathjax(page_visit: PageVisit) -> None:
    """If the page has maths, MathJax (loaded locally) has rendered all of it without errors."""
    problems = _typeset(page_visit)
    if problems:
        pytest.fail(problems[0], pytrace=False)


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


# ---------------------------------------------------------------------------------------------
# What a reader sees on the chapter pages. Expectations come from the source notebooks (which
# cells draw a figure, which hold answers), never from a hand-kept count.
# ---------------------------------------------------------------------------------------------

NOTEBOOK_DIR = REPO_ROOT / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
# The Korean edition (issue 19) sits in ko/ of the same site; its chapters show the same cells,
# figures and folded answers as the English ones.
KO_DIR = "ko"
HAS_KOREAN = (BOOK_DIR / KO_DIR / "index.html").is_file()
CHAPTER_PARAMS = [
    pytest.param(f"{prefix}notebooks/{path.stem}.html", path, id=f"{prefix}{path.stem}")
    for prefix in ["", f"{KO_DIR}/"][: 2 if HAS_KOREAN else 1]
    for path in NOTEBOOKS
]
# A figure is non-blank when at least this share of its pixels differs from its background.
MIN_INK = 0.01
MIN_FIGURE_WIDTH_PX = 200
# A figure wider than the column is scaled down, and its text with it: at 110 dpi a 10-point tick
# label is 15 px, so below this scale it drops under 9 px. Draw such figures narrower or taller.
MIN_FIGURE_SCALE = 0.6


def _page_cells(page_visit: PageVisit, notebook: Path):
    """(index in the notebook, notebook cell, locator of its rendered cell), in page order.

    myst-nb renders each code cell as one ``div.cell`` (markdown cells become plain content), so
    the n-th ``div.cell`` of the page is the n-th rendered code cell of the notebook.
    """
    nb = nbformat.read(notebook, as_version=4)
    expected = rendered_code_cells(nb)
    rendered = page_visit.page.locator("div.cell")
    assert rendered.count() == len(expected), (
        f"{page_visit.label} shows {rendered.count()} code cells, {notebook.name} has "
        f"{len(expected)}: is the page built from this notebook?"
    )
    return nb, [(index, cell, rendered.nth(n)) for n, (index, cell) in enumerate(expected)]


def _ink(image_file: Path) -> float:
    """Share of an image's pixels that differ visibly from its most common colour."""
    import matplotlib.image
    import numpy as np

    pixels = matplotlib.image.imread(image_file)
    pixels = pixels[..., :3].reshape(-1, 3) if pixels.ndim == 3 else pixels.reshape(-1, 1)
    colours, counts = np.unique(np.round(pixels, 2), axis=0, return_counts=True)
    background = colours[counts.argmax()]
    return float((np.abs(pixels - background).max(axis=1) > 0.1).mean())


IMAGE_INFO_JS = """(el) => ({alt: el.getAttribute("alt"), src: el.src, loaded: el.complete &&
    el.naturalWidth > 0, width: el.getBoundingClientRect().width, natural: el.naturalWidth})"""


@pytest.mark.parametrize(("relative", "notebook"), CHAPTER_PARAMS)
def test_every_figure_is_on_the_page(relative, notebook, visit):
    """Each cell that draws a figure shows one visible, non-blank image with its alt text."""
    page_visit = visit(relative)
    _nb, cells = _page_cells(page_visit, notebook)
    problems = []
    for index, cell, element in cells:
        images = element.locator(".cell_output img")
        expected, found = figures_shown(cell), images.count()
        if found != expected:
            problems.append(f"cell {index}: draws {expected} figure(s), the page shows {found}")
            continue
        for k in range(found):
            image = images.nth(k)
            info = image.evaluate(IMAGE_INFO_JS)
            where = f"cell {index} ({info['src'].rsplit('/', 1)[-1]})"
            if info["alt"] != figure_alt(cell):
                problems.append(f"{where}: alt text {info['alt']!r}, not the cell's")
            if not (info["loaded"] and image.is_visible()):
                problems.append(f"{where}: the image does not load or is not visible")
            elif info["width"] < MIN_FIGURE_WIDTH_PX:
                problems.append(f"{where}: shown only {info['width']:.0f} px wide")
            elif (scale := info["width"] / info["natural"]) < MIN_FIGURE_SCALE:
                problems.append(
                    f"{where}: {info['natural']} px wide, shrunk to {scale:.0%} in the column: "
                    "its text is too small to read"
                )
            elif (ink := _ink(_file_url_to_path(info["src"]))) < MIN_INK:
                problems.append(f"{where}: blank ({ink:.2%} of pixels drawn)")
    assert not problems, f"figures on {page_visit.label}:\n" + "\n".join(problems)


def _visible(locator) -> bool:
    return any(locator.nth(k).is_visible() for k in range(locator.count()))


@pytest.mark.parametrize(("relative", "notebook"), CHAPTER_PARAMS)
def test_answers_are_folded(relative, notebook, visit):
    """Solutions (code and output), the check right after each and printed model answers stay
    folded until the reader opens them; opening shows them; dropdown answers start closed."""
    page_visit = visit(relative)
    nb, cells = _page_cells(page_visit, notebook)
    folded = folded_answer_cells(nb)
    problems = []
    for index, _cell, element in cells:
        what = folded.get(index)
        if what is None:
            continue
        parts = [element.locator(".cell_output")]
        if what == "cell":
            parts.append(element.locator(".cell_input"))
        elif not _visible(element.locator(".cell_input")):
            problems.append(f"cell {index}: the check's code should stay visible")
        if any(_visible(part) for part in parts):
            problems.append(
                f"cell {index}: its {'code or output' if what == 'cell' else 'output'}"
                " is visible without a click"
            )
            continue
        summaries = element.locator("summary")
        for k in range(summaries.count()):
            summaries.nth(k).click()
        shown = [part for part in parts if part.count()]
        if not all(_visible(part) for part in shown):
            problems.append(f"cell {index}: opening the fold does not show it")
    dropdowns = page_visit.page.locator(".admonition.dropdown")
    for k in range(dropdowns.count()):
        body = dropdowns.nth(k).locator(":scope > :not(.admonition-title)")
        if _visible(body):
            title = dropdowns.nth(k).locator(".admonition-title").first.inner_text()
            problems.append(f"the dropdown {title!r} is open without a click")
    assert not problems, f"answers shown on {page_visit.label}:\n" + "\n".join(problems)


# Text a reader must never see: TeX that was not typeset (outside code and rendered maths).
RAW_TEX = re.compile(r"\\[A-Za-z]{2,}|\\[()\[\]_{}]|\$\$")
PROSE_TEXT_JS = """() => {
    const main = document.querySelector("main, [role=main]").cloneNode(true);
    main.querySelectorAll("pre, code, script, style, mjx-container, .cell, .math")
        .forEach((el) => el.remove());
    return main.innerText;
}"""
OUTPUTS_JS = """() => Array.from(document.querySelectorAll(".cell_output"))
    .map((el) => el.textContent)"""
MAX_TRACEBACK_LINES = 3


def _machine_paths() -> list[str]:
    """Paths that give away the machine that built the book."""
    paths = {str(REPO_ROOT), str(Path.home()), "/tmp/", "site-packages", ".venv/"}
    return sorted(p for p in paths if len(p) > 4)


@pytest.mark.parametrize("relative", PAGE_PARAMS)
def test_page_shows_no_raw_tex_or_machine_noise(relative, visit):
    """No untypeset TeX in the prose; outputs without warnings, long tracebacks or paths."""
    page_visit = visit(relative)
    problems = _typeset(page_visit)
    prose = page_visit.page.evaluate(PROSE_TEXT_JS)
    raw = sorted({m.group(0) for m in RAW_TEX.finditer(prose)})
    if raw:
        problems.append(f"raw TeX in the text: {raw[:8]}")
    for number, text in enumerate(page_visit.page.evaluate(OUTPUTS_JS), start=1):
        if "WARNING:tensorflow" in text or "WARNING:absl" in text:
            problems.append(f"output {number} prints a TensorFlow warning")
        frames = len(re.findall(r'^\s*File "|^\S+\.py:\d+|^\s*-*> \d+ ', text, re.M))
        if "Traceback" in text or frames > MAX_TRACEBACK_LINES:
            problems.append(f"output {number} shows a traceback ({frames} frame lines)")
        for path in _machine_paths():
            if path in text:
                problems.append(f"output {number} shows the machine path {path!r}")
    assert not problems, f"what a reader should not see on {page_visit.label}:\n" + "\n".join(
        problems
    )


# Code blocks that may scroll sideways at 1280 px, each with why: (page, start of the block).
WIDE_OK: dict[tuple[str, str], str] = {
    ("book/instructors.html", "student,name,submission,run,Exercise"): (
        "the example grades.csv, shown byte for byte as the grader writes it: a column per "
        "question, so it is as wide as a spreadsheet"
    ),
}
OPEN_ALL_FOLDS_JS = "() => document.querySelectorAll('details').forEach((d) => { d.open = true; })"
OVERFLOWING_PRE_JS = """() => Array.from(document.querySelectorAll("article pre"))
    .filter((pre) => pre.scrollWidth > pre.clientWidth + 1)
    .map((pre) => [pre.textContent.trim().slice(0, 60), pre.scrollWidth - pre.clientWidth])"""


@pytest.mark.parametrize("relative", PAGE_PARAMS)
def test_code_fits_the_column(relative, visit):
    """At 1280 px no code cell, output or code block needs sideways scrolling (folds opened)."""
    page_visit = visit(relative)
    page_visit.page.evaluate(OPEN_ALL_FOLDS_JS)
    landed = _book_relative(page_visit.landed)
    wide = [
        f"{start!r}... ({extra} px too wide)"
        for start, extra in page_visit.page.evaluate(OVERFLOWING_PRE_JS)
        if not any(
            page in {landed, landed.removeprefix(f"{KO_DIR}/")} and start.startswith(s)
            for page, s in WIDE_OK
        )
    ]
    assert not wide, f"code wider than the column on {page_visit.label}: {wide}"


def _visible_button(page, selector: str):
    buttons = page.locator(selector)
    visible = [buttons.nth(k) for k in range(buttons.count()) if buttons.nth(k).is_visible()]
    assert visible, f"no visible {selector} button"
    return visible[0]


@pytest.mark.parametrize("viewport", [PHONE, TABLET], ids=["phone", "tablet"])
def test_phone_menu_opens_the_navigation_and_its_links_work(viewport, visit):
    page_visit = visit("notebooks/01_ngram_language_models.html", viewport=viewport)
    page = page_visit.page
    assert not page.locator("nav.bd-docs-nav a").first.is_visible(), (
        f"at {viewport['width']} px the navigation should start hidden behind the menu button"
    )
    _visible_button(page, ".primary-toggle").click()
    dialog = page.locator("#pst-primary-sidebar-modal")
    dialog.locator("nav.bd-docs-nav a").first.wait_for(state="visible", timeout=5_000)
    link = dialog.locator("nav.bd-docs-nav a", has_text="GRU").first
    target = link.get_attribute("href")
    link.click()
    page.wait_for_url(f"**/{PurePosixPath(target).name}*", timeout=5_000)
    assert page.title(), "the linked page did not load"

    _visible_button(page, ".secondary-toggle").click()
    toc = page.locator("#pst-secondary-sidebar-modal a.nav-link")
    toc.first.wait_for(state="visible", timeout=5_000)
    assert toc.count() >= 3, "the 'On this page' panel opened without section links"


# The primary sidebar takes room on the page (sphinx-book-theme collapses it with a negative
# margin and visibility: hidden).
SIDEBAR_SHOWN_JS = """() => {
    const sidebar = document.querySelector("#pst-primary-sidebar");
    const style = getComputedStyle(sidebar);
    return style.display !== "none" && style.visibility !== "hidden"
        && sidebar.getBoundingClientRect().right > 100;
}"""


def test_desktop_toggle_collapses_and_restores_the_sidebar(visit):
    page = visit("notebooks/01_ngram_language_models.html").page
    sidebar = page.locator("#pst-primary-sidebar")
    assert sidebar.is_visible(), "the sidebar should be open at 1280 px"
    toggle = _visible_button(page, ".primary-toggle")
    toggle.click()
    page.wait_for_function(f"() => !({SIDEBAR_SHOWN_JS})()", timeout=5_000)
    assert not page.locator("#pst-primary-sidebar-modal[open]").count(), (
        "at 1280 px the toggle should collapse the sidebar, not open a dialog"
    )
    toggle.click()
    page.wait_for_function(SIDEBAR_SHOWN_JS, timeout=5_000)


@pytest.fixture
def served_book():
    """The built book over HTTP on 127.0.0.1 (Sphinx's search fetches pages for its snippets,
    which a browser refuses over file://); yields the base URL."""
    import functools
    import http.server
    import threading

    if not PAGES:
        _unavailable(BOOK_MISSING)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(BOOK_DIR))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    thread.join()


SEARCH_QUERY = "perplexity"  # a word of several chapters whose text holds formulas


def test_search_snippets_show_no_tex(browser, served_book):
    if isinstance(browser, str):
        _unavailable(browser)
    context = browser.new_context(viewport=DESKTOP)
    local = re.compile(r"^https?://127\.0\.0\.1:\d+/")
    context.route(
        re.compile(r"^(https?|wss?)://"),
        lambda route: route.continue_() if local.match(route.request.url) else route.abort(),
    )
    try:
        page = context.new_page()
        page.goto(f"{served_book}/search.html?q={SEARCH_QUERY}", wait_until="load")
        snippets = page.locator("#search-results li p.context")
        snippets.first.wait_for(state="attached", timeout=15_000)
        page.wait_for_timeout(1_000)  # the remaining snippets arrive one fetch at a time
        texts = snippets.all_inner_texts()
    finally:
        context.close()
    assert len(texts) >= 3, f"searching {SEARCH_QUERY!r} found {len(texts)} snippet(s)"
    raw = [text[:100] for text in texts if RAW_TEX.search(text)]
    assert not raw, f"search snippets show TeX: {raw}"


BROKEN_ANCHORS_JS = """() => Array.from(document.querySelectorAll("article a[href]"))
    .map((a) => [a.getAttribute("href"), a.href])
    .filter(([raw, url]) => {
        const here = new URL(url);
        return (raw.startsWith("#") || here.pathname === location.pathname) && here.hash
            && !document.getElementById(decodeURIComponent(here.hash.slice(1)));
    }).map(([raw]) => raw)"""


@pytest.mark.parametrize("relative", PAGE_PARAMS)
def test_links_within_the_page_lead_somewhere(relative, visit):
    """Jump links (the glossary's letters, a chapter's section list) find their targets."""
    page_visit = visit(relative)
    broken = page_visit.page.evaluate(BROKEN_ANCHORS_JS)
    assert not broken, f"links on {page_visit.label} to anchors that do not exist: {broken[:5]}"


def test_install_commands_name_the_configured_repository(visit):
    import yaml

    config = yaml.safe_load((REPO_ROOT / "_config.yml").read_text(encoding="utf-8"))
    url = config["repository"]["url"].rstrip("/")
    page = visit("book/how_to_use.html").page
    code = "\n".join(page.locator("article pre").all_inner_texts())
    assert f"git clone {url}" in code, f"the how-to page does not show `git clone {url}`"
    assert "<repository-" not in page.locator("article").inner_text(), "a placeholder is shown"


# The colour behind an element: the first ancestor (or itself) with an opaque background.
BACKDROP_JS = """(el) => {
    for (let node = el.parentElement; node; node = node.parentElement) {
        const colour = getComputedStyle(node).backgroundColor;
        const parts = colour.match(/[\\d.]+/g).map(Number);
        if (parts.length === 3 || parts[3] > 0.5) return parts.slice(0, 3);
    }
    return [255, 255, 255];
}"""


def test_exercise_feedback_follows_the_dark_theme(visit):
    """In the dark theme a check's feedback box sits on the dark page, not on a light panel."""
    page = visit("notebooks/00_data_and_tools.html").page
    page.evaluate("document.documentElement.dataset.theme = 'dark'")
    page.evaluate(OPEN_ALL_FOLDS_JS)
    box = page.locator(".cu-feedback").first
    red, green, blue = box.evaluate(BACKDROP_JS)
    luminance = (0.2126 * red + 0.7152 * green + 0.0722 * blue) / 255
    assert luminance < 0.3, f"the feedback box glares on a light panel (luminance {luminance:.2f})"


# --- the Korean edition ---------------------------------------------------------------------------

KO_SCOPE = page_scope()  # KO_PAGES: the pages translated so far; unset: every page (CI's form)
TOC_HTML = sorted(_toc_pages())
KO_PAGES_IN_SCOPE = [f"{name}.html" for name in KO_SCOPE] if KO_SCOPE is not None else TOC_HTML
# Rendered width of one character: a Hangul syllable drawn with a real font differs from the
# "missing glyph" box a codepoint no font has (U+10FFFD, private use) is drawn with.
GLYPH_WIDTHS_JS = r"""(el) => {
    const context = document.createElement("canvas").getContext("2d");
    context.font = getComputedStyle(el).font;
    return [context.measureText("한").width, context.measureText("\u{10FFFD}").width,
            document.fonts.check(getComputedStyle(el).font, "한")];
}"""


def _korean_edition_missing() -> None:
    if not HAS_KOREAN:
        _unavailable(f"no Korean edition at {BOOK_DIR / KO_DIR}: build it (`make book`)")


def _switch_link(page_visit: PageVisit):
    links = page_visit.page.locator("nav.language-switcher a.language-switch")
    assert links.count() == 1, f"{page_visit.label}: {links.count()} language switch links, not 1"
    return links.first


@pytest.mark.parametrize("relative", TOC_HTML)
def test_language_switcher_leads_to_the_same_page_and_back(relative, visit):
    """English page -> the same page under ko/ -> back, by relative links, on every toc page."""
    _korean_edition_missing()
    english = visit(relative)
    link = _switch_link(english)
    assert not re.match(r"^[a-z]+:", link.get_attribute("href")), "the switch link is not relative"
    link.click()
    english.page.wait_for_load_state("load")
    assert _book_relative(english.landed) == f"{KO_DIR}/{relative}", english.page.url
    assert english.page.locator("html").get_attribute("lang") == "ko"
    _switch_link(english).click()
    english.page.wait_for_load_state("load")
    assert _book_relative(english.landed) == relative, english.page.url
    assert english.page.locator("html").get_attribute("lang") == "en"


@pytest.mark.parametrize("relative", KO_PAGES_IN_SCOPE)
def test_korean_page_reads_in_korean(relative, visit):
    """Hangul drawn with a Hangul font, the theme's words in Korean, no English paragraph."""
    _korean_edition_missing()
    page_visit = visit(f"{KO_DIR}/{relative}")
    page = page_visit.page
    title = page.locator("article h1").first
    text = title.inner_text().strip()
    probe = title
    if not re.search(r"[가-힣]", text):
        # A title of a number and names ("4. LSTM", "5. GRU") reads the same in Korean; any
        # English word (a lower-case letter) means the title was not translated.
        assert re.fullmatch(r"[\d.]*\s*[A-Z0-9 ]+", text), (
            f"{page_visit.label}: title not in Korean"
        )
        probe = page.locator("article p").filter(has_text=re.compile("[가-힣]")).first
    hangul, missing, loaded = probe.evaluate(GLYPH_WIDTHS_JS)
    assert hangul != missing and loaded, (
        f"{page_visit.label}: Hangul is drawn as missing-glyph boxes (no Korean font: install "
        "fonts-nanum)"
    )
    english = english_paragraphs(page.content())
    assert not english, f"{page_visit.label}: paragraphs in English:\n" + "\n".join(english[:5])
    ui = page.evaluate(
        """() => [document.querySelector(".search-button__default-text, .search-button")
            ?.innerText.trim() || "", document.querySelector("#pst-page-toc-nav, .toc-entry")
            ? (document.querySelector(".onthispage, .page-toc .tocsection")?.innerText || "")
            : ""]"""
    )
    for text in ui:
        assert not re.search(r"\b(Search|Contents|On this page)\b", text), (
            f"{page_visit.label}: theme text still English: {text!r}"
        )


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda path: path.stem)
def test_korean_chapter_offers_its_korean_notebook(notebook, visit):
    """The chapter page links a downloadable notebook: markdown in Korean, the same code."""
    _korean_edition_missing()
    page_visit = visit(f"{KO_DIR}/notebooks/{notebook.stem}.html")
    link = page_visit.page.locator("nav.language-switcher a.korean-notebook")
    assert link.count() == 1, f"{page_visit.label}: no link to the Korean notebook"
    target = _file_url_to_path(urljoin(page_visit.page.url, link.get_attribute("href")))
    assert target.is_file(), f"{page_visit.label}: the Korean notebook {target} is missing"
    korean = nbformat.read(target, as_version=4)
    english = nbformat.read(notebook, as_version=4)
    assert [c.source for c in korean.cells if c.cell_type == "code"] == [
        c.source for c in english.cells if c.cell_type == "code"
    ], f"{target.name}: its code differs from {notebook.name}"
