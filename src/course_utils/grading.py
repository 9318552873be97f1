"""Grading submitted notebooks from the outcomes of their checks (chapter 7, for instructors).

The engine behind ``course-utils grade`` (see :mod:`course_utils.cli`), in the order it works:

1. :func:`find_submissions`: the notebooks to grade, ``DIR/*.ipynb`` and
   ``DIR/<student>/*.ipynb``.
2. :func:`questions_of_notebook`: the questions of a notebook, those of every
   ``course_utils.checks.chNN`` module it imports (all of the module's exercises, whether or not
   the notebook imports each one). Written exercises (``thought=True``, answered in prose and
   compared with a model answer by the learner) are not graded: they get no column and do not
   count in ``total``.
3. :func:`run_submission` (from :mod:`course_utils.runner`, which also holds
   :func:`run_notebook`): one submission executed from top to bottom in a fresh kernel, in a
   child process of its own, inside a scratch copy of its folder, with the environment variable
   ``COURSE_UTILS_RESULTS`` naming a log file outside that copy: every ``qN.check()`` appends
   its outcome there (see :mod:`course_utils.exercises`). A hang, a crash or a dead kernel is
   recorded; the submitted files are never modified, and the scratch copy is removed
   afterwards.
4. :func:`read_results_log` (also from :mod:`course_utils.runner`): the last outcome of each
   question in that log.
5. :func:`score_outcomes`: each question's outcome (``passed``, ``failed``, ``not attempted``,
   ``error``, or ``not run`` when the run stopped before reaching it); :func:`grade_submission`
   does steps 2 to 5 for one submission and :func:`grade_submissions` for many, ``jobs`` at a
   time.
6. :func:`write_grades_csv` and :func:`format_summary`: the table, one row per submission (how
   the run ended: ``completed``, ``error: ...``, ``timeout after S s`` or ``kernel died``; each
   question's outcome; the number passed out of the total), and its summary.

Grading executes the submitted code with the instructor's permissions: the scratch copy keeps
a notebook from damaging the submissions by accident (deleting files in its working
directory, say), but it is not a sandbox against deliberate mischief, and a notebook could
also append invented outcomes to its log. Read the notebooks of a suspicious grade.

This module imports :mod:`course_utils.exercises` and :mod:`course_utils.runner`, and no other
module of the package, except the ``course_utils.checks`` modules a notebook imports, by name,
to list its questions (no TensorFlow). The child process that runs one notebook is
``python -m course_utils.runner``; ``python -m course_utils.grading`` still works too.

Introduced in: notebooks/07_keras_exercises.ipynb
"""

from __future__ import annotations

import concurrent.futures
import csv
import importlib
import math
import os
import re
import sys
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Final

from course_utils.exercises import Exercise
from course_utils.runner import (
    _SKIPPED_DIRS,
    _STOPPING,
    COMPLETED,
    DEFAULT_TIMEOUT,
    KERNEL_DIED,
    Submission,
    _child_main,
    _first_line,  # noqa: F401  (course_utils.student imports it from here)
    _stop_all_runs,
    read_notebook,
    read_results_log,
    run_notebook,
    run_submission,
)

__all__ = [
    "COMPLETED",
    "DEFAULT_TIMEOUT",
    "KERNEL_DIED",
    "NOT_ATTEMPTED",
    "NOT_RUN",
    "GradeResult",
    "Submission",
    "UsageError",
    "find_submissions",
    "format_summary",
    "grade_submission",
    "grade_submissions",
    "questions_of_notebook",
    "read_notebook",
    "read_results_log",
    "run_notebook",
    "run_submission",
    "score_outcomes",
    "write_grades_csv",
]

#: A question whose check never ran although the notebook ran to its end.
#:
#: Introduced in: notebooks/07_keras_exercises.ipynb
NOT_ATTEMPTED: Final[str] = "not attempted"

#: A question whose check never ran because the run stopped early (error, timeout, dead kernel).
#:
#: Introduced in: notebooks/07_keras_exercises.ipynb
NOT_RUN: Final[str] = "not run"

_CHECKS_MODULE: Final[re.Pattern[str]] = re.compile(
    r"^[ \t]*(?:from[ \t]+course_utils\.checks\.(ch\d+)[ \t]+import\b"
    r"|import[ \t]+course_utils\.checks\.(ch\d+)\b)",
    re.MULTILINE,
)
_CHECKS_PACKAGE: Final[re.Pattern[str]] = re.compile(
    r"^[ \t]*from[ \t]+course_utils\.checks[ \t]+import[ \t]+\(?([\w \t,]+)", re.MULTILINE
)


class UsageError(Exception):
    """A problem with the command line or its inputs; the command exits with code 2.

    Introduced in: notebooks/07_keras_exercises.ipynb
    """


# ---------------------------------------------------------------------------------------------
# Grading: finding submissions and their questions
# ---------------------------------------------------------------------------------------------


def _visible_notebooks(folder: Path) -> list[Path]:
    """The non-hidden ``*.ipynb`` files directly inside ``folder``, by name."""
    return sorted(p for p in folder.glob("*.ipynb") if p.is_file() and not p.name.startswith("."))


def find_submissions(directory: str | os.PathLike[str]) -> list[Submission]:
    """The notebooks to grade: ``DIR/*.ipynb`` and ``DIR/<student>/*.ipynb``.

    Hidden files and folders (``.ipynb_checkpoints``, ...) are skipped. A notebook at the top
    runs in a copy of ``DIR`` without the student folders; one in a student folder runs in a
    copy of that folder.

    Args:
        directory: The folder of submissions.

    Returns:
        The submissions, sorted by name.

    Raises:
        UsageError: If ``directory`` is missing or not a folder.

    Introduced in: notebooks/07_keras_exercises.ipynb
    """
    root = Path(directory)
    if not root.exists():
        raise UsageError(f"{root}: no such folder")
    if not root.is_dir():
        raise UsageError(f"{root}: not a folder (give the folder of submitted notebooks)")
    student_dirs = [
        d
        for d in sorted(root.iterdir())
        if d.is_dir() and not d.name.startswith(".") and d.name not in _SKIPPED_DIRS
    ]
    nested = {d: _visible_notebooks(d) for d in student_dirs}
    exclude = tuple(d.name for d, notebooks in nested.items() if notebooks)
    submissions = [Submission(p.name, p, root, exclude) for p in _visible_notebooks(root)]
    for folder, notebooks in nested.items():
        submissions += [Submission(f"{folder.name}/{p.name}", p, folder) for p in notebooks]
    return sorted(submissions, key=lambda s: s.name)


@cache
def _module_questions(module_name: str) -> tuple[str, ...]:
    """Labels of the exercises of ``course_utils.checks.<module_name>`` (empty if unknown)."""
    try:
        module = importlib.import_module(f"course_utils.checks.{module_name}")
    except Exception:  # no such module, or one that fails to import here: no known questions
        return ()
    names = getattr(module, "__all__", None) or [n for n in vars(module) if not n.startswith("_")]
    exercises = [obj for n in names if isinstance(obj := getattr(module, n, None), Exercise)]
    return tuple(dict.fromkeys(e.label for e in exercises if not e.thought))


def _checks_modules(source: str) -> list[str]:
    """Names (``ch04``, ...) of the ``course_utils.checks`` modules a code cell imports."""
    found = [a or b for a, b in _CHECKS_MODULE.findall(source)]
    for names in _CHECKS_PACKAGE.findall(source):
        found += [n.strip() for n in names.split(",") if re.fullmatch(r"ch\d+", n.strip())]
    return found


def questions_of_notebook(path: str | os.PathLike[str]) -> list[str]:
    """The questions of a notebook: the exercises of every checks module it imports.

    The code cells are searched for ``from course_utils.checks.chNN import ...``,
    ``import course_utils.checks.chNN`` and ``from course_utils.checks import chNN``; each
    module is imported and the labels of its :class:`~course_utils.exercises.Exercise` objects
    are collected (all of them, whether or not the notebook imports each one). A notebook that
    cannot be read, or a module that does not exist, contributes nothing.

    Args:
        path: The notebook.

    Returns:
        The labels (``"Exercise 4.1"``, ...), without repeats, in natural order.

    Introduced in: notebooks/07_keras_exercises.ipynb
    """
    try:
        nb = read_notebook(path)
        sources = [c.get("source", "") for c in nb.cells if c.get("cell_type") == "code"]
    except Exception:
        return []
    labels: set[str] = set()
    for source in sources:
        if not isinstance(source, str):
            continue
        for module in _checks_modules(source):
            labels.update(_module_questions(module))
    return sorted(labels, key=_natural_key)


def _natural_key(text: str) -> list[Any]:
    """Sort key that puts ``Exercise 4.2`` before ``Exercise 4.10``."""
    return [
        (0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"(\d+)", text)
    ]


# ---------------------------------------------------------------------------------------------
# Grading: one submission, many submissions, the table
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GradeResult:
    """The grade of one submission.

    ``run`` says how its execution ended; ``outcomes`` maps each of its questions, in natural
    order, to ``passed``, ``failed``, ``not attempted``, ``error`` or ``not run``.

    Introduced in: notebooks/07_keras_exercises.ipynb
    """

    submission: str
    run: str
    outcomes: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def passed(self) -> int:
        """How many questions passed.

        Introduced in: notebooks/07_keras_exercises.ipynb
        """
        return sum(status == "passed" for status in self.outcomes.values())

    @property
    def total(self) -> int:
        """How many questions the notebook has.

        Introduced in: notebooks/07_keras_exercises.ipynb
        """
        return len(self.outcomes)


def score_outcomes(questions: Iterable[str], logged: Mapping[str, str], run: str) -> dict[str, str]:
    """The outcome of each question of a submission, from its log and how its run ended.

    A question keeps its logged outcome; one that is not in the log is ``"not attempted"``
    when the run completed and ``"not run"`` when it stopped first. A logged question that is
    not among ``questions`` is kept too.

    Args:
        questions: The notebook's questions (see :func:`questions_of_notebook`).
        logged: The last outcome of each checked question (see :func:`read_results_log`).
        run: How the run ended (see :func:`run_notebook`).

    Returns:
        A dict from question label to outcome, in natural order (``Exercise 4.2`` before
        ``Exercise 4.10``).

    Example:
        >>> score_outcomes(["Exercise 4.1", "Exercise 4.2"], {"Exercise 4.1": "passed"}, "completed")
        {'Exercise 4.1': 'passed', 'Exercise 4.2': 'not attempted'}

    Introduced in: notebooks/07_keras_exercises.ipynb
    """  # noqa: E501
    missing = NOT_ATTEMPTED if run == COMPLETED else NOT_RUN
    labels = sorted(set(questions) | set(logged), key=_natural_key)
    return {q: logged.get(q, missing) for q in labels}


def grade_submission(submission: Submission, *, timeout: float = DEFAULT_TIMEOUT) -> GradeResult:
    """Grade one submission: its questions, its run, its log, the outcome of each question.

    Args:
        submission: What to run (see :func:`find_submissions`).
        timeout: Wall-clock limit in seconds for the run.

    Returns:
        The grade: the run's ending (see :func:`run_submission`) and, for each question (those
        of :func:`questions_of_notebook` and any other in the log), its last outcome, or
        ``"not attempted"`` (the run completed without checking it) or ``"not run"`` (the run
        stopped first), as :func:`score_outcomes` decides.

    Introduced in: notebooks/07_keras_exercises.ipynb
    """
    start = time.monotonic()
    questions = questions_of_notebook(submission.path)
    run, logged = run_submission(submission, timeout=timeout)
    outcomes = score_outcomes(questions, logged, run)
    return GradeResult(submission.name, run, outcomes, time.monotonic() - start)


def grade_submissions(
    submissions: Sequence[Submission],
    *,
    timeout: float = DEFAULT_TIMEOUT,
    jobs: int = 1,
    progress: Callable[[int, int, GradeResult], None] | None = None,
) -> list[GradeResult]:
    """Grade several submissions, ``jobs`` at a time.

    Args:
        submissions: What to grade.
        timeout: Wall-clock limit in seconds for each notebook.
        jobs: How many notebooks run at the same time.
        progress: Called as ``progress(done, total, result)`` after each submission.

    Returns:
        The grades, sorted by submission name.

    Raises:
        ValueError: If ``timeout`` is not a positive number or ``jobs`` not a positive int.

    Introduced in: notebooks/07_keras_exercises.ipynb
    """
    if not (isinstance(timeout, (int, float)) and math.isfinite(timeout) and timeout > 0):
        raise ValueError(f"timeout must be a positive number of seconds, not {timeout!r}")
    if not isinstance(jobs, int) or isinstance(jobs, bool) or jobs < 1:
        raise ValueError(f"jobs must be a positive int, not {jobs!r}")
    results: list[GradeResult] = []
    _STOPPING.clear()
    executor = concurrent.futures.ThreadPoolExecutor(max_workers=jobs)
    try:
        futures = [executor.submit(grade_submission, s, timeout=timeout) for s in submissions]
        for future in concurrent.futures.as_completed(futures):
            result = future.result()
            results.append(result)
            if progress is not None:
                progress(len(results), len(submissions), result)
    except BaseException:
        executor.shutdown(wait=False, cancel_futures=True)
        _stop_all_runs()
        raise
    finally:
        executor.shutdown(wait=True)
    return sorted(results, key=lambda r: r.submission)


def _all_questions(results: Iterable[GradeResult]) -> list[str]:
    """Every question of any result, in natural order."""
    labels = {q for r in results for q in r.outcomes}
    return sorted(labels, key=_natural_key)


def _spreadsheet_text(cell: object) -> object:
    """A text cell that no spreadsheet reads as a formula: an apostrophe before = + - @ etc."""
    if isinstance(cell, str) and cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + cell
    return cell


def write_grades_csv(results: Sequence[GradeResult], out: str | os.PathLike[str]) -> Path:
    """Write the grades table: one row per submission, sorted by submission.

    Columns: ``submission``, ``run``, one per question (the union over all submissions, in
    natural order; empty where a submission does not have that question), ``passed`` and
    ``total``. The file is UTF-8 with a byte-order mark (so that Excel reads Korean names) and
    ``\\n`` line endings, and is replaced atomically. A text cell that a spreadsheet would read
    as a formula (one starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return, such
    as a question label forged in a submission) gets an apostrophe in front.

    Args:
        results: The grades (see :func:`grade_submissions`).
        out: The CSV file; its folder is created if missing.

    Returns:
        The path written.

    Introduced in: notebooks/07_keras_exercises.ipynb
    """
    path = Path(out)
    questions = _all_questions(results)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    with open(partial, "w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        header = ["submission", "run", *questions, "passed", "total"]
        writer.writerow([_spreadsheet_text(cell) for cell in header])
        for r in sorted(results, key=lambda r: r.submission):
            cells = [r.outcomes.get(q, "") for q in questions]
            row = [r.submission, r.run, *cells, r.passed, r.total]
            writer.writerow([_spreadsheet_text(cell) for cell in row])
    os.replace(partial, path)
    return path


def format_summary(results: Sequence[GradeResult]) -> str:
    """A short plain-text summary of the grades, for the terminal.

    Two tables: per submission, passed out of total and how the run ended; per question, how
    many of the submissions that have it passed it.

    Args:
        results: The grades (see :func:`grade_submissions`).

    Returns:
        The summary, lines joined by newlines (no trailing newline).

    Introduced in: notebooks/07_keras_exercises.ipynb
    """
    ordered = sorted(results, key=lambda r: r.submission)
    width = max([len("submission"), *(len(r.submission) for r in ordered)])
    lines = [f"{'submission':<{width}}  passed  run"]
    for r in ordered:
        lines.append(f"{r.submission:<{width}}  {f'{r.passed}/{r.total}':>6}  {r.run}")
    questions = _all_questions(ordered)
    if questions:
        qwidth = max(len("question"), *(len(q) for q in questions))
        lines += ["", f"{'question':<{qwidth}}  passed"]
        for q in questions:
            having = [r for r in ordered if q in r.outcomes]
            passed = sum(r.outcomes[q] == "passed" for r in having)
            lines.append(f"{q:<{qwidth}}  {f'{passed}/{len(having)}':>6}")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(_child_main(sys.argv[1:]))
