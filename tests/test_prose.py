"""The book's prose keeps one English variety: British spelling (initialise, behaviour, colour,
modelling, neighbour), outside API names.

Scanned: every notebook's markdown cells and code comments, the book's pages and the README.
Code spans, code blocks, maths and URLs are left out, so `kernel_initializer`, `color=` or
`reset_after` in backticks are fine; a glossary entry or a sentence is not.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# American spellings that have a different British form. The -ize/-yze words are caught by
# their ending, except the words where British English writes -ize as well (size, prize, seize,
# capsize, citizen).
_AMERICAN = re.compile(
    r"\b(?!(?:[Ss]ize|[Pp]rize|[Ss]eiz|[Cc]apsiz|[Cc]itiz))[A-Za-z]+?"
    r"(?:iz(?:e|es|ed|er|ers|ing|ation|ations)|yz(?:e|es|ed|er|ing))\b"
    r"|\b(?:colors?|colored|behaviors?|neighbors?|neighborhoods?|modeling|modeled|labeled"
    r"|labeling|centers?|centered|favors?|favorite|gray|analog|catalog|defense|traveled"
    r"|fulfill|enroll|skeptic\w*)\b"
)


def _prose(markdown: str) -> str:
    """Markdown without code blocks (but with directive blocks such as glossaries), maths,
    inline code, URLs and role names."""
    text = re.sub(r"^(`{3,})(?!\{)[^\n]*\n.*?^\1\s*$", " ", markdown, flags=re.S | re.M)
    text = re.sub(r"\$\$.*?\$\$", " ", text, flags=re.S)
    text = re.sub(r"\$[^$\n]*\$", " ", text)
    text = re.sub(r"`[^`\n]*`", " ", text)
    text = re.sub(r"https?://\S+", " ", text)
    return re.sub(r"\{[a-z:-]+\}", " ", text)


def american_spellings(text: str) -> list[str]:
    return [match.group(0) for match in _AMERICAN.finditer(text)]


def _sources() -> list[tuple[str, str]]:
    sources = []
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        for index, cell in enumerate(cells):
            source = "".join(cell["source"])
            if cell["cell_type"] == "markdown":
                text = _prose(source)
            else:
                text = "\n".join(re.findall(r"#\s?(.*)$", source, flags=re.M))
            sources.append((f"{path.name} cell {index}", text))
    for path in [*sorted((ROOT / "book").glob("*.md")), ROOT / "README.md"]:
        sources.append((path.name, _prose(path.read_text(encoding="utf-8"))))
    return sources


def test_the_scanner_sees_american_spellings_in_prose_but_not_in_code():
    page = (
        "We initialize the weights, model the behavior of a neighbor and colour it.\n"
        "The `kernel_initializer` and $\\text{normalize}$ are code and maths.\n"
        "```python\nlayer = GRU(4, recurrent_initializer='orthogonal')\n```\n"
        "```{glossary}\northogonal initialization (직교 초기화)\n  text\n```\n"
        "The size of a prize."
    )
    assert american_spellings(_prose(page)) == [
        "initialize",
        "behavior",
        "neighbor",
        "initialization",
    ]


@pytest.mark.parametrize(("where", "text"), _sources(), ids=[where for where, _ in _sources()])
def test_prose_uses_british_spelling(where: str, text: str):
    found = american_spellings(text)
    assert not found, f"{where}: American spelling {found}; the book writes British English"
