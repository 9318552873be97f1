"""The Korean edition: a second build of the same sources with ``language: ko`` (issue 19).

As a Sphinx extension (loaded by both builds through ``_config.yml``) it

- puts a language switcher at the top of every page: the English page links to the same page
  under ``ko/``, the Korean page back to the English one (relative links, no network);
- translates the part captions of ``_toc.yml`` in the Korean build: sphinx-external-toc inserts
  its toctrees (transform priority 100) after Sphinx's Locale transform (priority 20), so the
  captions are extracted into ``book/intro.po`` but would never be applied;
- writes, in the Korean build, every chapter's notebook with its markdown cells translated from
  the catalogs and its code cells unchanged to ``_notebooks/`` and offers it on the chapter page.

As a script (``python book/_ext/korean_edition.py extract|html|counts``) it runs the two builds the
Makefile's ``ko-extract`` and ``ko-book`` targets name, with the configuration overrides they need.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import sys
from pathlib import Path

from sphinx import addnodes
from sphinx.transforms import SphinxTransform

ROOT = Path(__file__).resolve().parents[2]
LOCALE_DIR = "locales"
LANGUAGE = "ko"
KO_SUBDIR = "ko"  # the Korean site sits in this folder of the English one
NOTEBOOK_DIR = "_notebooks"  # the Korean notebooks, in the Korean site's output folder
SWITCH_LABEL = {"en": "한국어", "ko": "English"}
SWITCH_TITLE = {"en": "이 페이지의 한국어판", "ko": "This page in English"}
DOWNLOAD_LABEL = "이 장의 노트북 내려받기 (한국어, .ipynb)"


def is_korean(config) -> bool:
    return (config.language or "en").split("_")[0] == LANGUAGE


# --- part captions -------------------------------------------------------------------------------


class TranslateTocCaptions(SphinxTransform):
    """Translate the ``caption`` of the toctrees sphinx-external-toc inserted."""

    default_priority = 110  # after sphinx_external_toc.events.InsertToctrees (100)

    def apply(self, **kwargs) -> None:
        if not is_korean(self.config):
            return
        from sphinx import locale
        from sphinx.util.i18n import docname_to_domain

        domain = docname_to_domain(self.env.docname, self.config.gettext_compact)
        dirs = [str(Path(self.env.srcdir, d)) for d in self.config.locale_dirs]
        catalog, _ = locale.init(dirs, self.config.language, domain)
        for toctree in self.document.findall(addnodes.toctree):
            caption = toctree.get("caption")
            if caption:
                translated = catalog.gettext(caption)
                toctree["caption"] = translated
                toctree["rawcaption"] = translated


# --- the theme's words ---------------------------------------------------------------------------

THEME_DOMAIN = "booktheme"  # sphinx-book-theme's catalog; pydata-sphinx-theme's is "sphinx"
SEARCH_BAR_TEXT = "이 책에서 검색..."


def _korean_theme(app, config) -> None:
    """Korean words the catalogs cannot give in the Korean build.

    - ``booktheme.po`` is put *before* sphinx-book-theme's own Korean catalog (Sphinx would only
      add it as a fallback, and the theme's catalog renders "By" as "으로");
    - the site title is the root page's translated title;
    - the search box text is a theme option, and myst-nb's fold buttons are configuration values.
    """
    if not is_korean(config):
        return
    import gettext

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    from sphinx import locale

    locales = Path(app.srcdir, LOCALE_DIR)
    po_file = locales / LANGUAGE / "LC_MESSAGES" / f"{THEME_DOMAIN}.po"
    mo_file = po_file.with_suffix(".mo")
    if not mo_file.is_file() or mo_file.stat().st_mtime < po_file.stat().st_mtime:
        with po_file.open("rb") as source, mo_file.open("wb") as target:
            write_mo(target, read_po(source))
    ours = gettext.translation(THEME_DOMAIN, str(locales), [LANGUAGE])
    key = ("general", THEME_DOMAIN)
    if locale.translators.get(key) is not None:
        ours.add_fallback(locale.translators[key])
    locale.translators[key] = ours

    root_catalog = locales / LANGUAGE / "LC_MESSAGES" / f"{config.root_doc}.po"
    if root_catalog.is_file() and config.html_title:
        config.html_title = read_catalog(root_catalog).get(config.html_title, config.html_title)
    config.html_theme_options = {**config.html_theme_options, "search_bar_text": SEARCH_BAR_TEXT}
    config.nb_code_prompt_show = "코드 셀 펼치기"
    config.nb_code_prompt_hide = "코드 셀 접기"


# --- footnote references in translated paragraphs -------------------------------------------------

_FOOTNOTE_REF = re.compile(r"\[\^([^\]\s]+)\](?!:)")


def _patch_footnotes() -> None:
    """Let a translated paragraph keep its MyST footnote reference ``[^label]``.

    Sphinx parses each translation on its own, and markdown-it reads ``[^label]`` as a footnote
    reference only when the same text defines ``[^label]:``; otherwise the translation loses the
    reference and Sphinx warns "inconsistent footnote references". A stand-in definition is
    appended to the text parsed (Sphinx keeps only its first node, the paragraph), so the
    reference survives and is linked to the page's real footnote.
    """
    from sphinx.transforms import i18n

    original = i18n.publish_msgstr
    if getattr(original, "korean_edition", False):
        return

    def publish_msgstr(app, source, source_path, source_line, config, settings):
        labels = dict.fromkeys(_FOOTNOTE_REF.findall(source))
        if labels and not source_path.endswith(".rst"):
            source += "".join(f"\n\n[^{label}]: -" for label in labels)
        return original(app, source, source_path, source_line, config, settings)

    publish_msgstr.korean_edition = True
    i18n.publish_msgstr = publish_msgstr


# --- Korean notebooks ----------------------------------------------------------------------------


def read_catalog(po_file: Path) -> dict[str, str]:
    """The translated, non-fuzzy messages of one ``.po`` file: {msgid: msgstr}."""
    from babel.messages.pofile import read_po

    with po_file.open("rb") as handle:
        catalog = read_po(handle)
    return {
        message.id: message.string
        for message in catalog
        if message.id and isinstance(message.id, str) and message.string and not message.fuzzy
    }


# A message is a whole block of markdown, or the part of a line that Sphinx extracts on its own:
# it starts a line (after a heading, list, quote, footnote or table prefix, a directive's opening
# fence and name, as in ```{admonition} A model answer or :::{dropdown} Hint, or a `:caption:`
# option), or follows a table cell's bar; it ends at a line end or a table cell's bar.
_BLOCK_START = (
    r"(?:(?<=\n)|(?<=\A)|(?<=\|))"
    r"([ \t]*(?:#{1,6}[ \t]+|[-*+][ \t]+|\d+[.)][ \t]+|>[ \t]*|\[\^[^\]]+\]:[ \t]*"
    r"|(?:`{3,}|~{3,}|:{3,})\{[\w:.-]+\}[ \t]+|:caption:[ \t]+)?)"
)
_BLOCK_END = r"(?=[ \t]*(?:\n|\Z|\|))"


def translate_markdown(source: str, messages: dict[str, str]) -> str:
    """Replace every message of ``messages`` that forms a whole block of ``source``."""
    for msgid in sorted(messages, key=len, reverse=True):
        words = msgid.split()
        if not words:
            continue
        pattern = _BLOCK_START + r"\s+".join(re.escape(word) for word in words) + _BLOCK_END
        msgstr = messages[msgid]
        source = re.sub(pattern, lambda match, s=msgstr: match.group(1) + s, source)
    return source


def translate_notebook(notebook_file: Path, po_file: Path):
    """The notebook with its markdown cells translated from ``po_file``; code cells untouched."""
    import nbformat

    notebook = nbformat.read(notebook_file, as_version=4)
    messages = read_catalog(po_file) if po_file.is_file() else {}
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            cell.source = translate_markdown(cell.source, messages)
    notebook.metadata["korean_edition"] = {"translated_from": notebook_file.name}
    return notebook


def _notebook_docnames(app) -> list[str]:
    return sorted(
        docname for docname in app.env.found_docs if app.env.doc2path(docname).endswith(".ipynb")
    )


def _write_notebooks(app, exception) -> None:
    if exception is not None or app.builder.format != "html" or not is_korean(app.config):
        return
    import nbformat

    out = Path(app.outdir, NOTEBOOK_DIR)
    out.mkdir(parents=True, exist_ok=True)
    for docname in _notebook_docnames(app):
        po_file = Path(app.srcdir, LOCALE_DIR, LANGUAGE, "LC_MESSAGES", docname + ".po")
        notebook = translate_notebook(Path(app.env.doc2path(docname)), po_file)
        nbformat.write(notebook, out / (Path(docname).name + ".ipynb"))


# --- language switcher ---------------------------------------------------------------------------


def switch_href(pagename: str, korean: bool) -> str:
    """Relative link from ``pagename`` to the same page in the other edition."""
    depth = pagename.count("/")
    if korean:  # .../ko/<pagename>.html -> .../<pagename>.html
        return "../" * (depth + 1) + pagename + ".html"
    return "../" * depth + f"{KO_SUBDIR}/" + pagename + ".html"


def _add_switcher(app, pagename, templatename, context, doctree) -> None:
    if app.builder.format != "html":
        return
    korean = is_korean(app.config)
    lang = "ko" if korean else "en"
    other = "en" if korean else "ko"
    links = [
        f'<a class="language-switch" hreflang="{other}" lang="{other}" '
        f'href="{html.escape(switch_href(pagename, korean))}" '
        f'title="{SWITCH_TITLE[lang]}">{SWITCH_LABEL[lang]}</a>'
    ]
    if korean and pagename in {d for d in _notebook_docnames(app)}:
        href = "../" * pagename.count("/") + f"{NOTEBOOK_DIR}/{Path(pagename).name}.ipynb"
        links.append(
            f'<a class="korean-notebook" href="{html.escape(href)}" download>{DOWNLOAD_LABEL}</a>'
        )
    bar = '<nav class="language-switcher" aria-label="Language">' + " · ".join(links) + "</nav>"
    if "body" in context:
        context["body"] = bar + context["body"]
    context.setdefault("metatags", "")
    context["metatags"] += (
        f'\n<link rel="alternate" hreflang="{other}" '
        f'href="{html.escape(switch_href(pagename, korean))}" />'
    )


def setup(app):
    _patch_footnotes()
    app.connect("config-inited", _korean_theme, priority=950)  # after the toc sets root_doc
    app.add_transform(TranslateTocCaptions)
    app.connect("html-page-context", _add_switcher)
    app.connect("build-finished", _write_notebooks)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1.0"}


# --- the two builds ------------------------------------------------------------------------------


def _build(builder: str, outdir: Path, doctreedir: Path, overrides: dict) -> int:
    from jupyter_book.sphinx import build_sphinx

    confoverrides = {"latex_individualpages": False, "nitpicky": True, **overrides}
    result = build_sphinx(
        str(ROOT),
        str(outdir),
        noconfig=True,
        path_config=str(ROOT / "_config.yml"),
        confoverrides=confoverrides,
        doctreedir=str(doctreedir),
        builder=builder,
        warningiserror=True,
        keep_going=True,
    )
    return result if isinstance(result, int) else 1


def extract() -> int:
    """Message templates (.pot) from the stripped sources, execution off, own folders."""
    out = Path(os.environ.get("KO_POT_DIR", ROOT / "_build" / "gettext-ko"))
    return _build(
        "gettext",
        out,
        out / ".doctrees",
        {
            "nb_execution_mode": "off",
            "gettext_compact": False,
            "project": "n-grams to GRUs",
        },
    )


def build_html() -> int:
    """The Korean site in _build/html/ko, reusing the English build's execution cache."""
    return _build(
        "html",
        ROOT / "_build" / "html" / KO_SUBDIR,
        ROOT / "_build" / ".doctrees-ko",
        {
            "language": LANGUAGE,
            "gettext_compact": False,
            "nb_execution_cache_path": str(ROOT / "_build" / ".jupyter_cache"),
        },
    )


def counts(po_dir: Path) -> list[dict]:
    """Messages and English words per catalog (and how many of each are translated)."""
    from babel.messages.pofile import read_po

    rows = []
    for po_file in sorted(po_dir.rglob("*.po")):
        if po_file.name in {"sphinx.po", f"{THEME_DOMAIN}.po"}:
            continue
        with po_file.open("rb") as handle:
            catalog = read_po(handle)
        messages = [m for m in catalog if m.id]
        done = [m for m in messages if m.string and not m.fuzzy]
        rows.append(
            {
                "catalog": po_file.relative_to(po_dir).as_posix(),
                "messages": len(messages),
                "words": sum(len(str(m.id).split()) for m in messages),
                "translated": len(done),
                "translated_words": sum(len(str(m.id).split()) for m in done),
            }
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["extract", "html", "counts"])
    args = parser.parse_args(argv)
    if args.command == "extract":
        return extract()
    if args.command == "html":
        return build_html()
    rows = counts(ROOT / LOCALE_DIR / LANGUAGE / "LC_MESSAGES")
    width = max(len(row["catalog"]) for row in rows)
    print(f"{'catalog':<{width}}  messages  words  translated  words")
    for row in rows:
        print(
            f"{row['catalog']:<{width}}  {row['messages']:>8}  {row['words']:>5}  "
            f"{row['translated']:>10}  {row['translated_words']:>5}"
        )
    total = {key: sum(row[key] for row in rows) for key in rows[0] if key != "catalog"}
    print(json.dumps(total))
    return 0


if __name__ == "__main__":
    sys.exit(main())
