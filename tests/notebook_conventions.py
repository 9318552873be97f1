"""What a notebook cell promises the book, read from the source notebook (no execution).

Shared by the notebook-structure tests (``test_notebooks.py``) and the browser test of the built
book (``test_book_browser.py``): the first checks that the conventions are followed, the second
that the built pages deliver them.
"""

from __future__ import annotations

import re

import nbformat

#: Tags that fold a cell's output in the book (myst-nb renders them as closed <details>).
FOLDS_OUTPUT = frozenset({"hide-output", "hide-cell"})
#: Tags that remove a cell from the book altogether (myst-nb renders nothing for it).
REMOVES_CELL = frozenset({"remove-cell"})


def tags(cell: nbformat.NotebookNode) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []))


def figures_shown(cell: nbformat.NotebookNode) -> int:
    """How many figures a code cell shows: each ``plt.show()`` call is one."""
    if cell.cell_type != "code":
        return 0
    return len(re.findall(r"\bplt\.show\(\)", cell.source))


def figure_alt(cell: nbformat.NotebookNode) -> str | None:
    """The alt text a figure cell gives its image (cell metadata ``mystnb.image.alt``)."""
    return ((cell.get("metadata", {}).get("mystnb") or {}).get("image") or {}).get("alt")


def shows_model_answer(cell: nbformat.NotebookNode) -> bool:
    """A code cell that prints an exercise's model answer (``qN.solution()``)."""
    return cell.cell_type == "code" and bool(re.search(r"\bq\w*\.solution\(\)", cell.source))


def rendered_code_cells(nb: nbformat.NotebookNode) -> list[tuple[int, nbformat.NotebookNode]]:
    """(index in the notebook, cell) of the code cells the book renders, in page order."""
    return [
        (i, cell)
        for i, cell in enumerate(nb.cells)
        if cell.cell_type == "code" and not tags(cell) & REMOVES_CELL
    ]


def folded_answer_cells(nb: nbformat.NotebookNode) -> dict[int, str]:
    """Index -> what must be folded: ``"cell"`` for a solution (code and output), ``"output"``
    for the check right after a solution and for a cell that prints a model answer."""
    folded: dict[int, str] = {}
    for i, cell in enumerate(nb.cells):
        if "solution" in tags(cell):
            folded[i] = "cell"
            if i + 1 < len(nb.cells) and nb.cells[i + 1].cell_type == "code":
                folded.setdefault(i + 1, "output")
        elif shows_model_answer(cell):
            folded.setdefault(i, "output")
    return folded
