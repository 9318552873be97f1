"""The Korean edition stays complete (issue 19): ``make ko-check``.

(a) the committed catalogs hold exactly the messages extracted from the current English sources;
(b) every message of the pages in scope is translated and none is fuzzy;
(c) the built Korean pages in scope show no paragraph in English;
(d) wherever a message's English names a glossary term, its Korean uses the term's Korean form;
plus the Korean notebooks: code identical, markdown translated, and one of them executes with the
English reference outputs of its ``# NBVAL_CHECK_OUTPUT`` cells.

KO_PAGES (comma-separated docnames, e.g. ``book/intro``) limits (b) and (c) to the pages translated
so far; without it every page is checked, which is CI's form.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from korean_checks import (
    KO_HTML,
    LOCALE_DIR,
    ROOT,
    catalog_messages,
    english_paragraphs,
    glossary_terms,
    glossary_violations,
    incomplete_messages,
    obsolete_messages,
    page_catalogs,
    page_scope,
    toc_captions,
    unescaped_numbered_headings,
)

sys.path.insert(0, str(ROOT / "book" / "_ext"))
import korean_edition

pytestmark = pytest.mark.korean
IN_CI = os.environ.get("CI", "").strip().lower() == "true"
SCOPE = page_scope()


def _unavailable(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: this check may not be skipped)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> Path:
    """Templates extracted from the current English sources, as ``make ko-extract`` does."""
    out = tmp_path_factory.mktemp("gettext-ko")
    env = {**os.environ, "KO_POT_DIR": str(out)}
    result = subprocess.run(
        [sys.executable, str(ROOT / "book" / "_ext" / "korean_edition.py"), "extract"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return out


def test_a_catalogs_match_the_english_sources(extracted):
    templates = {p.relative_to(extracted).with_suffix(".po") for p in extracted.rglob("*.pot")}
    committed = {p.relative_to(LOCALE_DIR) for p in page_catalogs()}
    assert templates == committed, (
        f"pages without a catalog: {sorted(map(str, templates - committed))}; catalogs without a "
        f"page: {sorted(map(str, committed - templates))}. Run `make ko-update`."
    )
    stale = []
    for relative in sorted(templates):
        current = catalog_messages(extracted / relative.with_suffix(".pot"))
        held = catalog_messages(LOCALE_DIR / relative)
        for _context, msgid in sorted(current - held, key=str)[:3]:
            stale.append(f"{relative}: English message missing from the catalog: {msgid[:80]!r}")
        for _context, msgid in sorted(held - current, key=str)[:3]:
            stale.append(f"{relative}: catalog message no longer in the English: {msgid[:80]!r}")
        for msgid in obsolete_messages(LOCALE_DIR / relative)[:3]:
            stale.append(f"{relative}: obsolete (#~) entry left in the catalog: {msgid[:80]!r}")
    assert not stale, (
        "the catalogs do not match the English sources (run `make ko-update`, then translate "
        "the new and fuzzy entries):\n" + "\n".join(stale)
    )


@pytest.mark.parametrize(
    "catalog", page_catalogs(SCOPE), ids=lambda p: p.relative_to(LOCALE_DIR).as_posix()
)
def test_b_every_message_is_translated(catalog):
    problems = incomplete_messages(catalog)
    assert not problems, f"{len(problems)} entries without a usable translation, e.g.:\n" + (
        "\n".join(f"{reason}: {msgid[:90]!r}" for reason, msgid in problems[:8])
    )


def _pages_in_scope() -> list[str]:
    if SCOPE is not None:
        return list(SCOPE)
    return [p.relative_to(LOCALE_DIR).with_suffix("").as_posix() for p in page_catalogs()]


@pytest.mark.parametrize("docname", _pages_in_scope())
def test_c_no_english_paragraph_in_the_korean_page(docname):
    page = KO_HTML / f"{docname}.html"
    if not page.is_file():
        _unavailable(f"no Korean page {page}: build it first (`make book` or `make ko-book`)")
    found = english_paragraphs(page.read_text(encoding="utf-8"))
    assert not found, f"{len(found)} paragraphs still in English on {docname}, e.g.:\n" + (
        "\n".join(found[:8])
    )


def test_c_toc_part_captions_are_korean():
    """_toc.yml's part captions live in the root page's catalog; a transform applies them."""
    if SCOPE is not None and "book/intro" not in SCOPE:
        pytest.skip("the root page's catalog (which holds the captions) is not in KO_PAGES")
    page = KO_HTML / "book" / "intro.html"
    if not page.is_file():
        _unavailable(f"no Korean page {page}: build it first (`make book` or `make ko-book`)")
    captions = toc_captions(page.read_text(encoding="utf-8"))
    assert captions, "no part captions found in the sidebar: has the theme changed?"
    english = [caption for caption in captions if not re.search(r"[가-힣]", caption)]
    assert not english, f"part captions still in English in the Korean sidebar: {english}"


def test_d_glossary_terms_have_their_korean_form():
    terms = glossary_terms()
    assert len(terms) > 100, "book/glossary.md parsed to too few terms: has its format changed?"
    problems = [
        f"{catalog.relative_to(LOCALE_DIR)}: {english!r} needs {korean!r} in the Korean of "
        f"{msgid[:70]!r}"
        for catalog in page_catalogs()
        for english, korean, msgid in glossary_violations(catalog, terms)
    ]
    assert not problems, "\n".join(problems[:20])


def test_numbered_headings_are_escaped():
    problems = [
        f"{catalog.relative_to(LOCALE_DIR)}: {msgstr[:60]!r} must start with its number and "
        f"'\\.' (e.g. '5\\. GRU'), or the heading stays English"
        for catalog in page_catalogs()
        for _msgid, msgstr in unescaped_numbered_headings(catalog)
    ]
    assert not problems, "\n".join(problems)


def test_switch_links_are_relative_and_mirror_each_other():
    assert korean_edition.switch_href("book/intro", korean=False) == "../ko/book/intro.html"
    assert korean_edition.switch_href("book/intro", korean=True) == "../../book/intro.html"
    assert korean_edition.switch_href("search", korean=False) == "ko/search.html"
    assert korean_edition.switch_href("search", korean=True) == "../search.html"


# --- the Korean notebooks ------------------------------------------------------------------------

NOTEBOOK = ROOT / "notebooks" / "00_data_and_tools.ipynb"  # the quickest chapter to execute


def test_korean_notebook_keeps_the_code_and_translates_the_markdown(tmp_path):
    po_file = tmp_path / "page.po"
    english = nbformat.read(NOTEBOOK, as_version=4)
    first_markdown = next(c for c in english.cells if c.cell_type == "markdown")
    heading = first_markdown.source.splitlines()[0].lstrip("# ").strip()
    po_file.write_text(
        f'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        f'msgid "{heading}"\nmsgstr "번역된 제목"\n\n'
        f'msgid "tf.keras"\nmsgstr "이 짧은 메시지는 블록이 아니므로 바뀌지 않는다"\n',
        encoding="utf-8",
    )
    korean = korean_edition.translate_notebook(NOTEBOOK, po_file)
    assert [c.source for c in korean.cells if c.cell_type == "code"] == [
        c.source for c in english.cells if c.cell_type == "code"
    ]
    korean_markdown = next(c for c in korean.cells if c.cell_type == "markdown")
    assert korean_markdown.source.splitlines()[0].endswith("번역된 제목")
    assert "이 짧은 메시지는" not in "".join(c.source for c in korean.cells)


def _chapter_catalogs() -> list[Path]:
    """The catalogs of the pages that are notebooks (each gets a Korean notebook)."""
    return [
        catalog
        for catalog in page_catalogs()
        if (ROOT / catalog.relative_to(LOCALE_DIR).with_suffix(".ipynb")).is_file()
    ]


def _catalog_id(catalog: Path) -> str:
    return catalog.relative_to(LOCALE_DIR).with_suffix("").as_posix()


@pytest.mark.parametrize("catalog", _chapter_catalogs(), ids=_catalog_id)
def test_every_message_has_its_place_in_the_korean_notebook(catalog, tmp_path):
    """Every message of the chapter, translated yet or not, is found where the notebook has it.

    Each message gets a unique stand-in translation, so a Korean text that happens to occur
    elsewhere in the notebook cannot hide a message the translator does not place (a directive's
    title such as ```{admonition} A model answer, a table cell, a list item).
    """
    from babel.messages.pofile import read_po, write_po

    with catalog.open("rb") as handle:
        messages = read_po(handle)
    markers = {}
    for number, message in enumerate(m for m in messages if m.id and isinstance(m.id, str)):
        message.string = f"번역{number}번"
        message.flags.discard("fuzzy")
        markers[message.id] = message.string
    stand_in = tmp_path / "stand_in.po"
    with stand_in.open("wb") as handle:
        write_po(handle, messages)
    notebook = ROOT / f"{_catalog_id(catalog)}.ipynb"
    korean = korean_edition.translate_notebook(notebook, stand_in)
    placed = set(re.findall(r"번역\d+번", " ".join(c.source for c in korean.cells)))
    missing = [msgid for msgid, marker in markers.items() if marker not in placed]
    assert not missing, "messages the Korean notebook cannot place:\n" + "\n".join(
        repr(msgid[:80]) for msgid in missing[:10]
    )


@pytest.mark.parametrize("catalog", _chapter_catalogs(), ids=_catalog_id)
def test_every_translated_message_reaches_the_korean_notebook(catalog):
    """A translated message of a chapter that the notebook translator cannot place is lost."""
    notebook = ROOT / f"{_catalog_id(catalog)}.ipynb"
    korean = korean_edition.translate_notebook(notebook, catalog)
    text = " ".join(" ".join(c.source.split()) for c in korean.cells)
    missing = [
        msgid
        for msgid, msgstr in korean_edition.read_catalog(catalog).items()
        if " ".join(msgstr.split()) not in text
    ]
    assert not missing, "translations not placed in the Korean notebook:\n" + "\n".join(
        repr(msgid[:80]) for msgid in missing[:10]
    )


@pytest.mark.slow
def test_korean_notebook_executes_like_the_english_one(tmp_path):
    catalog = LOCALE_DIR / "notebooks" / f"{NOTEBOOK.stem}.po"
    source = tmp_path / "ko" / NOTEBOOK.name
    source.parent.mkdir()
    nbformat.write(korean_edition.translate_notebook(NOTEBOOK, catalog), source)
    prepared = tmp_path / "nbval"
    subprocess.run(
        [sys.executable, "tests/nbval_golden.py", "prepare", "--out", str(prepared), str(source)],
        cwd=ROOT,
        check=True,
    )
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--nbval-lax",
            "--nbval-current-env",
            "--nbval-sanitize-with",
            "tests/nbval_sanitize.cfg",
            "-p",
            "no:cacheprovider",
            "-q",
            str(prepared / NOTEBOOK.name),
        ],
        cwd=ROOT,
        # the kernel keeps ipykernel's inline backend, as in the book (see the Makefile's unit)
        env={key: value for key, value in os.environ.items() if key != "MPLBACKEND"},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-4000:]
