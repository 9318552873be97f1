"""Fabricated notebooks for the tests of the instructor's tools (student versions, grading).

The submissions import ``course_utils.checks.ch04`` (NumPy only, no TensorFlow), so each run
takes a few seconds.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import inspect
import io
import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from course_utils.cli import main

ROOT = Path(__file__).resolve().parent.parent
INTRODUCED = "Introduced in: notebooks/07_keras_exercises.ipynb"
EXECUTABLE = Path(sys.executable).with_name("course-utils")
TIMEOUT = 20  # seconds per fabricated notebook; a normal one runs in 2-3 s

CH04 = [f"Exercise 4.{i}" for i in range(1, 6)]
CH01 = [f"Exercise 1.{i}" for i in (1, 2, 3, 4, 6)]  # 1.5 is written: not graded
IMPORTS = (
    "import numpy as np\n\n"
    "from course_utils.checks.ch04 import q1, q2, q3, q4, q5\n"
    "from course_utils.exercises import ____"
)
STUBS = [
    "def remembering_units(forget, fillers, threshold=0.9):\n    return ____",
    "def lstm_step(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias):\n    return ____",
    "def keep(c_prev, g):\n    return ____",
    "def forget_block(kernel, units):\n    return ____",
    "answer_q5 = [____, ____, ____]",
]
SOLUTIONS = [
    "def remembering_units(forget, fillers, threshold=0.9):\n"
    "    return np.flatnonzero((np.asarray(forget)[fillers] > threshold).all(axis=0))",
    "def lstm_step(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias):\n"
    "    z = x_t @ kernel + h_prev @ recurrent_kernel + bias\n"
    "    i, f, g, o = np.split(z, 4, axis=-1)\n"
    "    i, f, o = (1 / (1 + np.exp(-v)) for v in (i, f, o))\n"
    "    c_t = f * c_prev + i * np.tanh(g)\n"
    "    return o * np.tanh(c_t), c_t",
    "def keep(c_prev, g):\n    return c_prev",
    "def forget_block(kernel, units):\n    return kernel[:, units : 2 * units]",
    "answer_q5 = [(8, 5, 16), (8, 16), (8, 16)]",
]
CHECKS = [f"# NBVAL_CHECK_OUTPUT\nq{i}.check()" for i in range(1, 6)]


# ---------------------------------------------------------------------------------------------


def assert_documented(module: object) -> None:
    """``module`` and every public function and class of it say where they are introduced, and
    every function that takes arguments has Args."""
    assert INTRODUCED in (inspect.getdoc(module) or "")
    assert_names_documented(module)


def assert_names_documented(module: object) -> None:
    """Every public function and class of ``module`` says where it is introduced, with Args."""
    for name in module.__all__:
        obj = getattr(module, name)
        if inspect.isfunction(obj) or inspect.isclass(obj):
            doc = inspect.getdoc(obj) or ""
            assert doc.rstrip().endswith(INTRODUCED), name
        if inspect.isfunction(obj) and inspect.signature(obj).parameters:
            assert "Args:" in (inspect.getdoc(obj) or ""), name


def notebook(*sources: str) -> nbformat.NotebookNode:
    """A notebook of code cells with the course's kernelspec."""
    nb = new_notebook(cells=[new_code_cell(s) for s in sources])
    nb.metadata["kernelspec"] = {
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
        "name": "python3",
    }
    return nb


def full_notebook() -> nbformat.NotebookNode:
    """An instructor's notebook: prose, setup, then five exercises (stub, solution, check)."""
    nb = new_notebook()
    nb.metadata.update(
        kernelspec={
            "display_name": "Python 3 (ipykernel)",
            "language": "python",
            "name": "python3",
        },
        language_info={"name": "python"},
        course={"chapter": 4},
    )
    setup = new_code_cell(IMPORTS, metadata={"tags": ["hide-cell"], "custom": {"k": [1, 2]}})
    setup.outputs = [new_output("stream", name="stdout", text="stale output\n")]
    setup.execution_count = 7
    cells = [new_markdown_cell("# Exercises\n\nSome prose.", metadata={"tags": ["intro"]}), setup]
    for i, (stub, solution, check) in enumerate(zip(STUBS, SOLUTIONS, CHECKS, strict=True), 1):
        cells.append(new_markdown_cell(f"**Exercise 4.{i}.** Do it."))
        cells.append(new_code_cell(stub))
        sol = new_code_cell(solution, metadata={"tags": ["solution", "hide-cell"]})
        sol.outputs = [new_output("execute_result", data={"text/plain": "1"}, execution_count=3)]
        cells.append(sol)
        cells.append(new_code_cell(check))
    cells.append(new_markdown_cell("## Summary"))
    nb.cells = cells
    return nb


def answers(*, wrong_q3: bool = False, stop_after_q1: str | None = None) -> list[str]:
    """Code cells of a submission: imports, then each answer followed by its check."""
    sources = [IMPORTS]
    for i, (solution, check) in enumerate(zip(SOLUTIONS, CHECKS, strict=True), 1):
        if i == 3 and wrong_q3:
            solution = "def keep(c_prev, g):\n    return g"
        sources += [solution, check]
        if i == 1 and stop_after_q1 is not None:
            sources.append(stop_after_q1)
    return sources


def write(nb: nbformat.NotebookNode, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


def hashes(folder: Path) -> dict[str, str]:
    """Relative path -> SHA-256 of every file under ``folder``."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def run_main(*args: str) -> tuple[int, str, str]:
    """Call ``main`` and capture what it prints."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in args])
    return code, out.getvalue(), err.getvalue()


def read_csv(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as stream:
        return list(csv.reader(stream))
