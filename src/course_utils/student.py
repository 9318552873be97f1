"""Student versions of the chapter notebooks (chapter 7, for instructors).

The engine behind ``course-utils student`` (see :mod:`course_utils.cli`): it turns the full
chapter notebooks (the ones in ``notebooks/``, which execute their model answers) into student
versions. Every cell tagged ``solution`` is removed, and so is every model answer folded in a
dropdown admonition (Jupyter would show it unfolded); the stubs with the ``____`` placeholder and
the ``qN.check()`` cells stay, outputs and execution counts are cleared, and every other cell and
all metadata (tags, cell ids, the kernelspec) are kept. A student notebook executes from top to
bottom without error; its checks then report "not attempted". ``make student`` writes them to
``dist/student``; :mod:`course_utils.grading` grades what the students hand back.

A graded student version (``graded=True``, ``course-utils student --graded``) also gets a first
code cell, :data:`GRADED_CELL`, that switches off ``qN.solution()`` and the last hint of each
exercise (:func:`course_utils.exercises.switch_off_solutions`). That keeps the model answers
out of the hand-out, not out of reach: the installed package and the open book still hold them,
so a graded score comes from the grader's own checks and hidden test cases
(:mod:`course_utils.judging`), and a graded run switches them off in any case.

This module imports :mod:`course_utils.grading` (for :class:`~course_utils.grading.UsageError`)
and nothing else of the package.

Introduced in: notebooks/07_keras_exercises.ipynb
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Final

import nbformat

from course_utils.grading import UsageError, _first_line

__all__ = [
    "ANSWER_REMOVED",
    "GRADED_CELL",
    "SOLUTION_TAG",
    "find_notebooks",
    "student_notebook",
    "write_student_notebooks",
]

#: The cell tag that marks a model answer; :func:`student_notebook` removes such cells.
#:
#: Introduced in: notebooks/07_keras_exercises.ipynb
SOLUTION_TAG: Final[str] = "solution"

_PLACEHOLDER: Final[str] = "____"
# A MyST admonition fenced with backticks or tildes; group "body" holds its options and text.
_ADMONITION: Final[re.Pattern[str]] = re.compile(
    r"^(?P<fence>`{3,}|~{3,})\{admonition\}[^\n]*\n(?P<body>(?:.*\n)*?)(?P=fence)[ \t]*(?:\n|$)",
    re.MULTILINE,
)
#: What replaces a folded model answer in a student version.
#:
#: Introduced in: notebooks/07_keras_exercises.ipynb
ANSWER_REMOVED: Final[str] = "*The model answer is not part of this version.*\n"
_CHECK_CALL: Final[re.Pattern[str]] = re.compile(r"\b[A-Za-z_]\w*\.check\(")
#: The first code cell of a graded student version: it switches off the model answers.
#:
#: Introduced in: notebooks/07_keras_exercises.ipynb
GRADED_CELL: Final[str] = (
    "# A graded assignment: the model answers and the last hints are switched off.\n"
    "from course_utils.exercises import switch_off_solutions\n"
    "\n"
    "switch_off_solutions()"
)


def _tags(cell: Mapping[str, Any]) -> list[str]:
    """The cell's tags (an empty list when it has none or they are malformed)."""
    tags = cell.get("metadata", {}).get("tags", [])
    return [t for t in tags if isinstance(t, str)] if isinstance(tags, list) else []


def _describe_cell(cells: Sequence[Mapping[str, Any]], index: int) -> str:
    """``cell 33 of 45 (id 'abc')``: the 1-based position, as Jupyter users count."""
    cell_id = cells[index].get("id")
    suffix = f" (id {cell_id!r})" if cell_id else ""
    return f"cell {index + 1} of {len(cells)}{suffix}"


def _exercise_problems(cells: Sequence[Mapping[str, Any]]) -> list[str]:
    """Solution cells that do not sit between a stub and a check, one message each."""
    problems: list[str] = []
    index = 0
    while index < len(cells):
        if SOLUTION_TAG not in _tags(cells[index]):
            index += 1
            continue
        first = index
        while index < len(cells) and SOLUTION_TAG in _tags(cells[index]):
            index += 1
        last = index - 1
        what = "solution " + _describe_cell(cells, first)
        before = cells[first - 1] if first > 0 else None
        if not (
            before is not None
            and before.get("cell_type") == "code"
            and _PLACEHOLDER in before.get("source", "")
        ):
            problems.append(
                f"the {what} is not preceded by a stub (a code cell with the {_PLACEHOLDER} "
                "placeholder), so the student version would have nowhere to answer"
            )
        after = cells[last + 1] if last + 1 < len(cells) else None
        if not (
            after is not None
            and after.get("cell_type") == "code"
            and _CHECK_CALL.search(after.get("source", ""))
        ):
            problems.append(
                f"the {what} is not followed by a check cell (a code cell calling qN.check()); "
                "every exercise is a stub, its solution and its check, in that order"
            )
    return problems


def _without_folded_answers(markdown: str) -> str:
    """A markdown cell's text with every dropdown admonition (a folded answer) replaced.

    In the book an answer that would give an exercise away sits in a dropdown admonition,
    folded until the reader opens it; Jupyter shows the same text unfolded, so a student
    version must not contain it.
    """

    def replace(match: re.Match[str]) -> str:
        options = re.findall(r"^:class:(.*)$", match["body"], flags=re.MULTILINE)
        folded = any("dropdown" in option.split() for option in options)
        return ANSWER_REMOVED if folded else match[0]

    return _ADMONITION.sub(replace, markdown)


def student_notebook(
    nb: nbformat.NotebookNode, *, graded: bool = False
) -> tuple[nbformat.NotebookNode, int]:
    """Make the student version of a full notebook.

    Cells tagged ``solution`` are removed; every other cell is kept with its source, metadata
    (tags included) and id, except that a dropdown admonition in a markdown cell (the book's
    folded model answers of written questions) is replaced by :data:`ANSWER_REMOVED`; code
    cells lose their outputs and execution counts; the notebook's metadata is kept. The argument
    is not modified. With ``graded``, :data:`GRADED_CELL` is inserted before the first code
    cell.

    Args:
        nb: A full notebook, as read by :func:`nbformat.read` with ``as_version=4``.
        graded: Whether the version is for a graded assignment.

    Returns:
        The student notebook and the number of cells removed.

    Raises:
        ValueError: If a solution cell (or a run of consecutive ones) is not preceded by a stub
            cell using the ``____`` placeholder or not followed by a check cell calling
            ``qN.check()``; the message lists every such cell.

    Introduced in: notebooks/07_keras_exercises.ipynb
    """
    problems = _exercise_problems(nb.cells)
    if problems:
        raise ValueError("; ".join(problems))
    student = nbformat.from_dict(json.loads(json.dumps(nb)))  # a deep copy of plain data
    kept = [cell for cell in student.cells if SOLUTION_TAG not in _tags(cell)]
    removed = len(student.cells) - len(kept)
    for cell in kept:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        elif cell.cell_type == "markdown" and isinstance(cell.source, str):
            cell.source = _without_folded_answers(cell.source)
    if graded:
        first = next((i for i, c in enumerate(kept) if c.cell_type == "code"), len(kept))
        cell = nbformat.v4.new_code_cell(GRADED_CELL)
        cell.metadata["tags"] = ["graded-assignment"]
        kept.insert(first, cell)
    student.cells = kept
    return student, removed


def find_notebooks(sources: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """The notebooks named by ``sources``: ``.ipynb`` files, and the ``*.ipynb`` in folders.

    A folder contributes the notebooks directly inside it (not in subfolders), in name order;
    hidden files are skipped. A notebook named twice is listed once.

    Args:
        sources: Paths of notebooks and of folders holding notebooks.

    Returns:
        The notebooks, in the order given (each folder's sorted by name).

    Raises:
        UsageError: If a source does not exist, is a file that is not a ``.ipynb`` notebook,
            or is a folder without notebooks, or if no source is given.

    Introduced in: notebooks/07_keras_exercises.ipynb
    """
    found: list[Path] = []
    seen: set[Path] = set()
    count = 0
    for source in sources:
        count += 1
        path = Path(source)
        if path.is_dir():
            inside = sorted(
                p for p in path.glob("*.ipynb") if p.is_file() and not p.name.startswith(".")
            )
            if not inside:
                raise UsageError(f"{path}: this folder has no notebooks (*.ipynb)")
        elif path.is_file():
            if path.suffix != ".ipynb":
                raise UsageError(f"{path}: not a notebook (expected a .ipynb file or a folder)")
            inside = [path]
        elif path.exists():
            raise UsageError(f"{path}: neither a notebook nor a folder")
        else:
            raise UsageError(f"{path}: no such file or folder")
        for notebook in inside:
            key = notebook.resolve()
            if key not in seen:
                seen.add(key)
                found.append(notebook)
    if count == 0:
        raise UsageError("no source notebooks given")
    return found


def _read_notebook(path: Path) -> nbformat.NotebookNode:
    """Read and validate a notebook, or raise :class:`UsageError` saying why it cannot be."""
    try:
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
    except Exception as exc:
        raise UsageError(f"{path}: not a valid notebook ({_first_line(exc)})") from exc
    return nb


def write_student_notebooks(
    sources: Iterable[str | os.PathLike[str]], out: str | os.PathLike[str], *, graded: bool = False
) -> list[tuple[Path, int]]:
    """Write the student version of every source notebook into the folder ``out``.

    Every source is read and checked before anything is written, so a refusal leaves ``out``
    untouched. Each student notebook keeps its source's file name.

    Args:
        sources: Notebooks and folders of notebooks (see :func:`find_notebooks`).
        out: The output folder; created if missing.
        graded: Whether the versions are for a graded assignment (see :func:`student_notebook`).

    Returns:
        One ``(written path, number of cells removed)`` pair per notebook.

    Raises:
        UsageError: If a source is missing or not a notebook, if ``out`` is a file, is one of
            the source folders or would overwrite a source notebook, if two sources share a
            file name, or if a notebook's exercises are not stub, solution and check.

    Introduced in: notebooks/07_keras_exercises.ipynb
    """
    source_args = [Path(s) for s in sources]
    notebooks = find_notebooks(source_args)
    out_dir = Path(out)
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"--out {out_dir}: exists and is not a folder")
    for source in source_args:
        if out_dir.resolve() == source.resolve():
            raise UsageError(
                f"--out {out_dir} is the source {source}: the student versions would replace "
                "the full notebooks; choose another folder (e.g. dist/student)"
            )
    names: dict[str, Path] = {}
    sources_resolved = {nb.resolve() for nb in notebooks}
    for notebook in notebooks:
        if notebook.name in names:
            raise UsageError(
                f"{names[notebook.name]} and {notebook} have the same file name; "
                f"both would be written to {out_dir / notebook.name}"
            )
        names[notebook.name] = notebook
        if (out_dir / notebook.name).resolve() in sources_resolved:
            raise UsageError(
                f"--out {out_dir} would overwrite the source notebook {notebook}; "
                "choose another folder (e.g. dist/student)"
            )
    students: list[tuple[Path, nbformat.NotebookNode, int]] = []
    problems: list[str] = []
    for notebook in notebooks:
        nb = _read_notebook(notebook)
        try:
            student, removed = student_notebook(nb, graded=graded)
        except ValueError as exc:
            problems.append(f"{notebook}: {exc}")
            continue
        students.append((out_dir / notebook.name, student, removed))
    if problems:
        raise UsageError("\n".join(problems))
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[tuple[Path, int]] = []
    for target, student, removed in students:
        nbformat.write(student, target)
        written.append((target, removed))
    return written
