"""What the Korean edition's checks measure (tests/test_korean.py, tests/test_book_browser.py).

- ``catalog_messages``: the messages of a ``.po`` or ``.pot`` file, to compare the committed
  catalogs with those extracted from the current English sources.
- ``incomplete_messages``: the entries a translator still owes (empty or fuzzy).
- ``glossary_terms`` and ``glossary_violations``: book/glossary.md's English terms with their one
  Korean form, and the translated messages whose English names a term but whose Korean lacks it.
- ``english_paragraphs``: the blocks of a built page that still read as English prose.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCALE_DIR = ROOT / "locales" / "ko" / "LC_MESSAGES"
KO_HTML = Path(os.environ.get("KO_HTML", ROOT / "_build" / "html" / "ko"))
# Catalogs that no page extraction produces: the Korean strings of the themes' own templates.
UI_CATALOGS = {"sphinx.po", "booktheme.po"}


def page_scope() -> list[str] | None:
    """The docnames KO_PAGES names (comma-separated), or None: every page (CI's form)."""
    value = os.environ.get("KO_PAGES", "").strip()
    return [name.strip() for name in value.split(",") if name.strip()] or None


def page_catalogs(scope: list[str] | None = None) -> list[Path]:
    """The committed page catalogs, limited to ``scope`` (docnames) when given."""
    catalogs = sorted(p for p in LOCALE_DIR.rglob("*.po") if p.name not in UI_CATALOGS)
    if scope is None:
        return catalogs
    wanted = {f"{name}.po" for name in scope}
    missing = wanted - {p.relative_to(LOCALE_DIR).as_posix() for p in catalogs}
    if missing:
        raise ValueError(f"KO_PAGES names pages without a catalog: {sorted(missing)}")
    return [p for p in catalogs if p.relative_to(LOCALE_DIR).as_posix() in wanted]


def read_catalog(path: Path):
    from babel.messages.pofile import read_po

    with path.open("rb") as handle:
        return read_po(handle)


def catalog_messages(path: Path) -> set[tuple[str | None, str]]:
    """(context, msgid) of every current message; obsolete (#~) entries are not messages."""
    return {(m.context, str(m.id)) for m in read_catalog(path) if m.id}


def obsolete_messages(path: Path) -> list[str]:
    return [str(message.id) for message in read_catalog(path).obsolete.values()]


def has_prose(msgid: str) -> bool:
    """Whether a message has words to translate (not only maths, code, numbers or Korean)."""
    return bool(_LATIN_WORD.search(_prose(msgid)))


def incomplete_messages(path: Path) -> list[tuple[str, str]]:
    """(reason, msgid) of every entry without a usable translation.

    A message without prose (a formula, a number, a Korean example) may stay empty: the page
    then shows the original, which is already right.
    """
    problems = []
    for message in read_catalog(path):
        if not message.id or (not message.string and not has_prose(str(message.id))):
            continue
        if not message.string:
            problems.append(("untranslated", str(message.id)))
        elif message.fuzzy:
            problems.append(("fuzzy", str(message.id)))
    return problems


_NUMBERED = re.compile(r"^\d+\. ")


def unescaped_numbered_headings(path: Path) -> list[tuple[str, str]]:
    """(msgid, msgstr) where the English starts "5. GRU" and the Korean does not escape the stop.

    MyST would read "5. GRU" in a translation as a numbered list, not a title, and Sphinx then
    silently keeps the English title: the Korean must be written "5\\. GRU".
    """
    return [
        (str(m.id), str(m.string))
        for m in read_catalog(path)
        if m.id and m.string and _NUMBERED.match(str(m.id)) and _NUMBERED.match(str(m.string))
    ]


# --- the glossary --------------------------------------------------------------------------------

# A glossary entry's term line: "English term (한국어 용어)", unindented, inside a {glossary} block.
_TERM_LINE = re.compile(r"^(?P<english>[^\s(][^(]*?) \((?P<korean>[^()]*[\uac00-\ud7a3][^()]*)\)$")
_HANGUL = re.compile(r"[\uac00-\ud7a3\u3131-\u318e]")


def glossary_terms(glossary: Path = ROOT / "book" / "glossary.md") -> dict[str, str]:
    """{English term: Korean term} of every glossary entry that has a Korean form."""
    terms: dict[str, str] = {}
    inside = False
    for line in glossary.read_text(encoding="utf-8").splitlines():
        if line.startswith("```{glossary}"):
            inside = True
        elif line.startswith("```"):
            inside = False
        elif inside and line and not line.startswith((" ", ":")):
            match = _TERM_LINE.match(line)
            if match:
                english = [part.strip() for part in match["english"].split(", ")]
                korean = [part.strip() for part in match["korean"].split(", ")]
                if len(english) == len(korean):  # "query, key, value (쿼리, 키, 값)"
                    terms.update(zip(english, korean, strict=True))
                else:  # "GRU (Gated Recurrent Unit, 게이트 순환 유닛)": the Korean part
                    hangul = [part for part in korean if _HANGUL.search(part)]
                    terms[english[0]] = hangul[0]
    return terms


def accepted_forms(english: str, korean: str) -> list[str]:
    """What a Korean text may write for a term: its Korean form, and for a name written as one
    word with a capital letter (GRU, LSTM, Word2Vec, fastText) also the name itself."""
    forms = [korean]
    if " " not in english and any(ch.isupper() for ch in english):
        forms.append(english)
    return forms


# Markup whose text is not prose to translate: inline code, maths, citations, and the targets of
# cross-references (a {term} target keeps its English form in the Korean text).
_NOT_PROSE = [
    re.compile(r"``?[^`]+``?"),
    re.compile(r"\$[^$]+\$"),
    re.compile(r"\{cite(?::[tp])?\}`[^`]*`"),
    re.compile(r"<[^<>`]*>(?=`)"),
    re.compile(r"\\[A-Za-z]+(?:\{[^{}]*\})?"),  # TeX of a display formula: \mathrm{KL}
]


def _prose(text: str) -> str:
    for pattern in _NOT_PROSE:
        text = pattern.sub(" ", text)
    return text


def _term_pattern(english: str) -> re.Pattern:
    # Whole words, case-insensitive, a plural -s/-es allowed: "language models", "Gates".
    words = [re.escape(word) for word in english.split()]
    return re.compile(r"(?<![\w-])" + r"[\s-]+".join(words) + r"(?:s|es)?(?![\w-])", re.I)


def glossary_violations(
    path: Path, terms: dict[str, str] | None = None
) -> list[tuple[str, str, str]]:
    """(English term, Korean term, msgid) where a translated message names the term in English
    but its Korean does not contain the term's Korean form.

    A translator comment ``# glossary-ok: <English term>`` on the entry records a deliberate
    exception (for instance when the English uses the word in its everyday sense).
    """
    terms = glossary_terms() if terms is None else terms
    patterns = {english: _term_pattern(english) for english in terms}
    problems = []
    for message in read_catalog(path):
        if not message.id or not message.string or message.fuzzy:
            continue
        english_text = _prose(str(message.id))
        korean_text = _prose(str(message.string))
        allowed = {
            comment.split(":", 1)[1].strip().lower()
            for comment in message.user_comments
            if comment.startswith("glossary-ok:")
        }
        for english, korean in terms.items():
            if english.lower() in allowed or not patterns[english].search(english_text):
                continue
            if not any(form in korean_text for form in accepted_forms(english, korean)):
                problems.append((english, korean, str(message.id)))
    return problems


# --- English paragraphs in a built page ----------------------------------------------------------

_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]")
# Blocks read as prose; their text is taken without the parts below.
PROSE_SELECTOR = "p, h1, h2, h3, h4, h5, h6, th, td, dt, figcaption, caption, li"
# Not prose to translate: code and outputs, maths, citations and the bibliography, the switcher.
EXCLUDED_SELECTOR = ", ".join(
    [
        "pre",
        "code",
        ".highlight",
        ".cell_output",
        ".output",
        ".math",
        "mjx-container",
        "a.headerlink",
        "a[href*='bibliography.html']",
        ".citation",
        ".bibliography",
        "div.docutils.container[id^='id']",
        ".language-switcher",
    ]
)
# Nested blocks are judged on their own.
NESTED_SELECTOR = "p, ul, ol, dl, table, div"


# Quoted and parenthesised English inside Korean prose is a quotation or a gloss, not untranslated
# text: "LSTM: Long term short memory" quotes the note's mistake, 퍼플렉서티(perplexity) glosses.
_QUOTED_OR_GLOSSED = re.compile(r"“[^”]*”|\"[^\"]*\"|‘[^’]*’|\([^()]*\)")


def is_english(text: str) -> bool:
    """Prose in English: at least three Latin words, not counting quotations and parentheses, and
    more of them than Korean words."""
    text = _QUOTED_OR_GLOSSED.sub(" ", text)
    latin = _LATIN_WORD.findall(text)
    korean = [token for token in text.split() if _HANGUL.search(token)]
    return len(latin) >= 3 and len(latin) > len(korean)


def toc_captions(page_html: str) -> list[str]:
    """The part captions of the page's navigation sidebar ("Getting started", ...)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(page_html, "html.parser")
    return [" ".join(el.get_text().split()) for el in soup.select("nav.bd-docs-nav .caption-text")]


def english_paragraphs(page_html: str) -> list[str]:
    """The prose blocks of a page's article that read as English (first 100 characters each)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(page_html, "html.parser")
    article = soup.select_one("article.bd-article") or soup.select_one("main") or soup
    for excluded in article.select(EXCLUDED_SELECTOR):
        excluded.decompose()
    found = []
    for block in article.select(PROSE_SELECTOR):
        if block.decomposed:
            continue
        parts = []
        for child in block.children:
            if getattr(child, "name", None) and child.select_one(NESTED_SELECTOR) is not None:
                continue
            if getattr(child, "name", None) in {"p", "ul", "ol", "dl", "table", "div"}:
                continue
            parts.append(child.get_text(" ") if getattr(child, "name", None) else str(child))
        text = " ".join(" ".join(parts).split())
        if is_english(text):
            found.append(text[:100])
    return found
