"""Structure of the notebooks: what every chapter promises, checked without executing it.

Execution itself is tested by nbval (`make nbval`); these tests keep the conventions of
COURSE_PLAN.md section 7 honest: stripped outputs, the Colab setup cell, exercises with a stub,
a hidden solution and a check, seeds, and a table of contents that lists every notebook.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest
import yaml
from nbval_golden import MARKER, reference_path
from notebook_conventions import (
    FOLDS_OUTPUT,
    figure_alt,
    figures_shown,
    folded_answer_cells,
    tags,
)
from notebook_setup_cell import expected_source, first_code_cell

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
IDS = [p.name for p in NOTEBOOKS]
# Chapters are numbered (00_..., 07_...) and end with graded exercises; appendices
# (appendix_*.ipynb) are reference pages without exercises.
CHAPTERS = [p for p in NOTEBOOKS if re.match(r"\d\d_", p.name)]


def _read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def _toc_files(node) -> list[str]:
    files = []
    if isinstance(node, dict):
        if "file" in node:
            files.append(node["file"])
        if "root" in node:
            files.append(node["root"])
        for value in node.values():
            files += _toc_files(value)
    elif isinstance(node, list):
        for item in node:
            files += _toc_files(item)
    return files


def test_there_are_notebooks():
    assert NOTEBOOKS, "no notebooks found in notebooks/"


def test_toc_lists_every_notebook_and_every_entry_exists():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = _toc_files(toc)
    for entry in files:
        candidates = [ROOT / f"{entry}{ext}" for ext in ("", ".md", ".ipynb")]
        assert any(c.is_file() for c in candidates), f"_toc.yml names {entry!r}, which is missing"
    for path in NOTEBOOKS:
        assert f"notebooks/{path.stem}" in files, f"{path.name} is not in _toc.yml"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_is_valid_and_stripped(path):
    nb = _read(path)
    nbformat.validate(nb)
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3"
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            assert not cell.outputs, f"cell {i} has stored outputs: run nbstripout"
            assert cell.execution_count is None, f"cell {i} has an execution count"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_first_code_cell_is_the_colab_setup_cell(path):
    cell = first_code_cell(_read(path))
    assert cell is not None
    assert cell.source == expected_source(), (
        f"{path.name}: the first code cell must be the shared setup cell built from the repository "
        "URL in _config.yml; run `python tests/notebook_setup_cell.py --fix`"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_opens_with_title_and_goals(path):
    nb = _read(path)
    first = nb.cells[0]
    assert first.cell_type == "markdown" and first.source.startswith("# "), "first cell: # Title"
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown").lower()
    for needed in ("learning goals", "summary", "exercises", "references"):
        assert needed in text, f"{path.name}: no section mentioning {needed!r}"


def test_every_notebook_is_a_chapter_or_an_appendix():
    others = [p.name for p in NOTEBOOKS if p not in CHAPTERS and not p.name.startswith("appendix_")]
    assert not others, f"name notebooks NN_title.ipynb (chapter) or appendix_title.ipynb: {others}"
    for path in NOTEBOOKS:
        if path not in CHAPTERS:
            assert "course_utils.checks" not in path.read_text(encoding="utf-8"), (
                f"{path.name}: an appendix has no graded exercises; number it as a chapter"
            )


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.name for p in CHAPTERS])
def test_exercises_have_stub_solution_and_check(path):
    cells = _read(path).cells
    solutions = [i for i, c in enumerate(cells) if "solution" in c.metadata.get("tags", [])]
    assert solutions, f"{path.name} has no exercise solutions"
    for i in solutions:
        tags = cells[i].metadata["tags"]
        assert "hide-cell" in tags, (
            f"cell {i}: a solution is folded in the book with its output (tag hide-cell)"
        )
        stub = cells[i - 1]
        assert stub.cell_type == "code" and "____" in stub.source, (
            f"cell {i}: a solution follows a stub cell that uses the ____ placeholder"
        )
        check = cells[i + 1] if i + 1 < len(cells) else None
        assert check is not None and re.search(r"\bq\w*\.check\(\)", check.source), (
            f"cell {i}: a solution is followed by its check cell"
        )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_key_results_are_compared_by_nbval(path):
    nb = _read(path)
    marked = [c for c in nb.cells if c.cell_type == "code" and MARKER in c.source]
    assert marked, f"{path.name}: no cell marked {MARKER!r}"
    ref = reference_path(path)
    assert ref.is_file(), f"no reference outputs for {path.name}: run `make nbval-update`"
    refs = json.loads(ref.read_text(encoding="utf-8"))["cells"]
    assert [c.source for c in marked] == [r["source"] for r in refs], (
        "references out of date: run `make nbval-update` and review the diff"
    )
    assert all(r["outputs"] for r in refs), "a marked cell has an empty reference output"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_seeds_are_fixed_where_keras_is_used(path):
    source = "\n".join(c.source for c in _read(path).cells if c.cell_type == "code")
    if "keras" in source:
        assert "keras.utils.set_random_seed(" in source, f"{path.name}: fix the seeds"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_markdown_has_no_raw_special_tokens(path):
    """`<s>` outside a code span is an HTML strikethrough tag: it breaks the rendered page."""
    for i, cell in enumerate(_read(path).cells):
        if cell.cell_type != "markdown":
            continue
        prose = re.sub(r"`[^`]*`", "", cell.source)
        prose = re.sub(r"\$\$.*?\$\$|\$[^$]*\$", "", prose, flags=re.S)
        raw = re.findall(r"</?(?:s|unk|pad)>", prose)
        assert not raw, f"cell {i}: write {raw[0]} in backticks (`{raw[0]}`), not as raw HTML"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_every_figure_has_alt_text(path):
    """Each figure cell draws one figure and says what it shows, for screen readers and for
    the page when an image fails; the browser test finds each image by this text."""
    for i, cell in enumerate(_read(path).cells):
        shows, alt = figures_shown(cell), figure_alt(cell)
        if not shows:
            assert alt is None, f"cell {i}: alt text on a cell that draws no figure"
            continue
        assert shows == 1, f"cell {i}: one figure per cell ({shows} plt.show() calls)"
        assert isinstance(alt, str) and len(alt.split()) >= 8, (
            f"cell {i}: set cell metadata mystnb.image.alt to a sentence that says what the "
            "figure shows (at least eight words)"
        )
        assert "\n" not in alt and '"' not in alt, f"cell {i}: alt text on one line, no quotes"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_answers_stay_folded(path):
    """The book shows no answer unasked: a solution's output, the check message right after it
    and a written exercise's model answer (``qN.solution()``) are folded like the code."""
    nb = _read(path)
    for i, what in folded_answer_cells(nb).items():
        cell = nb.cells[i]
        if what == "cell":
            assert "hide-cell" in tags(cell), (
                f"cell {i}: a solution folds its code and output together (tag hide-cell)"
            )
        else:
            assert tags(cell) & FOLDS_OUTPUT, (
                f"cell {i}: its output reports on, or prints, a model answer: fold it "
                "(tag hide-output)"
            )


MAX_CELL_LINES = 25


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_code_cells_are_short(path):
    for i, cell in enumerate(_read(path).cells):
        if cell.cell_type == "code":
            lines = len(cell.source.splitlines())
            assert lines <= MAX_CELL_LINES, (
                f"cell {i} has {lines} lines (at most {MAX_CELL_LINES}): split it"
            )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_no_cell_shows_a_traceback(path):
    """An error the chapter demonstrates is caught and printed in one line, never as a
    traceback with the machine's paths (the book renders whatever the cell raised)."""
    for i, cell in enumerate(_read(path).cells):
        assert "raises-exception" not in tags(cell), (
            f"cell {i}: catch the exception and print one line instead of raises-exception"
        )
