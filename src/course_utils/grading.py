"""Grading submitted notebooks against the manifest of their chapter (chapter 7, for instructors).

The engine behind ``course-utils grade`` (see :mod:`course_utils.cli`), in the order it works:

1. :func:`find_submissions`: the notebooks to grade, ``DIR/<id>.ipynb`` and
   ``DIR/<id>/<any name>.ipynb`` (one notebook per student folder); :func:`student_id` gives
   each its student id (the file's stem, or the folder's name).
2. :func:`assignment_manifest`: the chapter graded, one per grading run: the one the instructor
   names (``--chapter``), else the one that the submissions' ``course_utils.checks`` imports
   name (all of them must agree); its questions and points come from
   :mod:`course_utils.manifest`, never from a submitted notebook, so a blank or unreadable
   notebook still has every question of the chapter, and a question label forged inside a
   notebook adds nothing.
3. :func:`~course_utils.runner.run_submission` (in :mod:`course_utils.runner`): one submission
   executed from top to bottom in a fresh kernel, in a sandbox of its own, then a grader cell
   that exports its answers, judged by the chapter's checks in a fresh process
   (:mod:`course_utils.judging`; function questions on test cases drawn from a secret seed).
   The results log that ``qN.check()`` appends to is the learner's feedback, not the grade.
4. :func:`score_outcomes`: each question of the manifest gets the grader's verdict (``passed``,
   ``failed``, ``not attempted``, ``error``), the error of the cell that checks it if that cell
   raised, or ``not run`` (the run stopped before the grader cell); only ``passed`` earns the
   question's points. :func:`grade_submission` does steps 3 and 4 for one submission and
   :func:`grade_submissions` for many, ``jobs`` at a time or one Dask task each
   (:mod:`course_utils.dask_backend`).
5. :func:`write_grades_csv` and :func:`format_summary`: the table, one row per submission (the
   student id, how the run ended, each question's outcome, the points out of the chapter's
   total), and its summary. :mod:`course_utils.gradebook` writes the feedback files and the
   Canvas and Moodle gradebooks from the same results.

Grading executes the submitted code: :mod:`course_utils.runner` says what its sandbox defends.
Forging the log or patching the checks in the kernel changes no grade; what is not defended
(value questions whose answers the book prints, a learner who copies the package's reference
functions) is on the instructors' page, under "Threat model".

This module imports :mod:`course_utils.manifest`, :mod:`course_utils.runner` and
:mod:`course_utils.dask_backend` (which imports Dask only when a scheduler is used), and no
other module of the package (no TensorFlow). The child process that runs one notebook is
``python -m course_utils.runner``; ``python -m course_utils.grading`` still works too.

Introduced in: notebooks/07_keras_exercises.ipynb
"""

from __future__ import annotations

import concurrent.futures
import csv
import hashlib
import math
import os
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from course_utils.dask_backend import map_on_dask
from course_utils.manifest import Manifest, chapter_name, load_manifest, natural_key
from course_utils.runner import (
    _SKIPPED_DIRS,
    _STOPPING,
    COMPLETED,
    DEFAULT_MEMORY_MB,
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
    "NO_SUBMISSION",
    "GradeResult",
    "Submission",
    "UsageError",
    "assignment_manifest",
    "chapters_of_notebook",
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
    "spreadsheet_text",
    "student_id",
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

#: The ``run`` column of a student on the roster who handed in no notebook.
#:
#: Introduced in: notebooks/07_keras_exercises.ipynb
NO_SUBMISSION: Final[str] = "no submission"

_CHECKS_MODULE: Final[re.Pattern[str]] = re.compile(
    r"^[ \t]*(?:from[ \t]+course_utils\.checks\.(ch\d+)[ \t]+import\b"
    r"|import[ \t]+course_utils\.checks\.(ch\d+)\b)",
    re.MULTILINE,
)
_CHECKS_PACKAGE: Final[re.Pattern[str]] = re.compile(
    r"^[ \t]*from[ \t]+course_utils\.checks[ \t]+import[ \t]+\(?([\w \t,]+)", re.MULTILINE
)
_FORMULA_STARTS: Final[tuple[str, ...]] = ("=", "+", "-", "@", "\t", "\r")


class UsageError(Exception):
    """A problem with the command line or its inputs; the command exits with code 2.

    Introduced in: notebooks/07_keras_exercises.ipynb
    """


# ---------------------------------------------------------------------------------------------
# Grading: finding submissions, their students and their chapter
# ---------------------------------------------------------------------------------------------


def _visible_notebooks(folder: Path) -> list[Path]:
    """The non-hidden ``*.ipynb`` files directly inside ``folder``, by name."""
    return sorted(p for p in folder.glob("*.ipynb") if p.is_file() and not p.name.startswith("."))


def student_id(submission: Submission) -> str:
    """The student id of a submission: its folder's name, or a top-level notebook's stem.

    Args:
        submission: A submission (see :func:`find_submissions`).

    Returns:
        ``"kim"`` for ``DIR/kim/07_keras_exercises.ipynb`` and for ``DIR/kim.ipynb``.

    Example:
        >>> from pathlib import Path
        >>> student_id(Submission("kim/07.ipynb", Path("subs/kim/07.ipynb"), Path("subs/kim")))
        'kim'

    Introduced in: notebooks/07_keras_exercises.ipynb
    """
    first, _, rest = submission.name.partition("/")
    return first if rest else Path(first).stem


def find_submissions(directory: str | os.PathLike[str]) -> list[Submission]:
    """The notebooks to grade: ``DIR/<id>.ipynb`` and ``DIR/<id>/<any name>.ipynb``.

    Hidden files and folders (``.ipynb_checkpoints``, ...) are skipped. A notebook at the top
    runs in a copy of ``DIR`` without the student folders; one in a student folder runs in a
    copy of that folder. Each submission's student id is its file's stem or its folder's name
    (:func:`student_id`), so a student folder holds one notebook, and no id is used twice.

    Args:
        directory: The folder of submissions.

    Returns:
        The submissions, sorted by name.

    Raises:
        UsageError: If ``directory`` is missing or not a folder, if a student folder holds
            more than one notebook, or if two submissions have the same student id
            (``kim.ipynb`` and ``kim/``).

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
    crowded = [f"{d.name}/ ({len(n)})" for d, n in nested.items() if len(n) > 1]
    if crowded:
        raise UsageError(
            f"{root}: a student folder must hold one notebook, and these hold more: "
            f"{', '.join(crowded)}; keep the one to grade"
        )
    exclude = tuple(d.name for d, notebooks in nested.items() if notebooks)
    submissions = [Submission(p.name, p, root, exclude) for p in _visible_notebooks(root)]
    for folder, notebooks in nested.items():
        submissions += [Submission(f"{folder.name}/{p.name}", p, folder) for p in notebooks]
    ids = Counter(student_id(s) for s in submissions)
    twice = sorted(i for i, n in ids.items() if n > 1)
    if twice:
        raise UsageError(
            f"{root}: two submissions for the student id {', '.join(map(repr, twice))} "
            "(a top-level notebook and a folder of the same name); keep one"
        )
    return sorted(submissions, key=lambda s: s.name)


def _checks_modules(source: str) -> list[str]:
    """Names (``ch04``, ...) of the ``course_utils.checks`` modules a code cell imports."""
    found = [a or b for a, b in _CHECKS_MODULE.findall(source)]
    for names in _CHECKS_PACKAGE.findall(source):
        found += [n.strip() for n in names.split(",") if re.fullmatch(r"ch\d+", n.strip())]
    return found


def chapters_of_notebook(path: str | os.PathLike[str]) -> list[str]:
    """The chapters whose checks a notebook imports (what :func:`assignment_manifest` reads).

    The code cells are searched for ``from course_utils.checks.chNN import ...``,
    ``import course_utils.checks.chNN`` and ``from course_utils.checks import chNN``. A
    notebook that cannot be read names no chapter.

    Args:
        path: The notebook.

    Returns:
        The module names (``"ch04"``, ...), without repeats, sorted.

    Introduced in: notebooks/07_keras_exercises.ipynb
    """
    try:
        nb = read_notebook(path)
        sources = [c.get("source", "") for c in nb.cells if c.get("cell_type") == "code"]
    except Exception:
        return []
    found = {m for source in sources if isinstance(source, str) for m in _checks_modules(source)}
    return sorted(found)


def questions_of_notebook(path: str | os.PathLike[str]) -> list[str]:
    """The graded questions of every chapter whose checks a notebook imports.

    Grading does not use this (its questions come from the assignment's chapter, see
    :func:`assignment_manifest`); the nbval run uses it to check that a full notebook's model
    answers all pass.

    Args:
        path: The notebook.

    Returns:
        The labels (``"Exercise 4.1"``, ...), in natural order; none for a notebook that cannot
        be read or imports no known chapter.

    Introduced in: notebooks/07_keras_exercises.ipynb
    """
    labels: set[str] = set()
    for name in chapters_of_notebook(path):
        try:
            labels.update(load_manifest(name).labels)
        except ValueError:
            continue
    return sorted(labels, key=natural_key)


def assignment_manifest(submissions: Iterable[Submission], chapter: object = None) -> Manifest:
    """The manifest of the chapter graded: ``chapter``, else the one the submissions import.

    One grading run grades one assignment, so one chapter. Without ``chapter``, every
    submission's checks imports (:func:`chapters_of_notebook`) are collected, and they must
    name exactly one chapter; a blank or unreadable notebook names none and is graded against
    the chapter of the others.

    Args:
        submissions: The submissions (see :func:`find_submissions`).
        chapter: The chapter (``"ch07"``, ``7``, ...), or None to read it from the submissions.

    Returns:
        The chapter's manifest (see :func:`course_utils.manifest.load_manifest`).

    Raises:
        UsageError: If ``chapter`` names no chapter, or, without it, the submissions name none
            or more than one (the message lists them and asks for ``--chapter``).

    Introduced in: notebooks/07_keras_exercises.ipynb
    """
    if chapter is not None:
        try:
            return load_manifest(chapter)
        except (TypeError, ValueError) as exc:
            raise UsageError(f"--chapter: {exc}") from exc
    counts: Counter[str] = Counter()
    for submission in submissions:
        for name in chapters_of_notebook(submission.path):
            try:
                counts[chapter_name(name)] += 1
            except ValueError:
                continue
    if len(counts) == 1:
        return load_manifest(next(iter(counts)))
    if not counts:
        raise UsageError(
            "no submission imports a course_utils.checks module, so the chapter is unknown; "
            "give it with --chapter (e.g. --chapter ch07)"
        )
    named = ", ".join(f"{c} ({n} submissions)" for c, n in sorted(counts.items()))
    raise UsageError(
        f"the submissions import the checks of more than one chapter: {named}; "
        "give the chapter of the assignment with --chapter"
    )


# ---------------------------------------------------------------------------------------------
# Grading: one submission, many submissions, the table
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GradeResult:
    """The grade of one submission.

    ``submission`` is the notebook's path in the graded folder (empty for a student on the
    roster who handed in nothing); ``student`` its student id and ``name`` the student's name
    (from a roster); ``run`` says how its execution ended; ``outcomes`` maps every graded
    question of the chapter, in natural order, to ``passed``, ``failed``, ``not attempted``,
    ``error`` (or ``error: ...``) or ``not run``; ``messages`` holds what each logged check
    said; ``score`` is the points earned out of ``max_points``, the chapter's total.

    Introduced in: notebooks/07_keras_exercises.ipynb
    """

    submission: str
    run: str
    outcomes: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0
    student: str = ""
    name: str = ""
    chapter: str = ""
    messages: dict[str, str] = field(default_factory=dict)
    score: float = 0
    max_points: float = 0

    @property
    def passed(self) -> int:
        """How many questions passed.

        Introduced in: notebooks/07_keras_exercises.ipynb
        """
        return sum(status == "passed" for status in self.outcomes.values())

    @property
    def total(self) -> int:
        """How many questions the chapter has (graded ones).

        Introduced in: notebooks/07_keras_exercises.ipynb
        """
        return len(self.outcomes)


def score_outcomes(
    questions: Iterable[str],
    logged: Mapping[str, str],
    run: str,
    *,
    completed: bool | None = None,
    cell_errors: Iterable[Any] = (),
    judged: bool = False,
) -> dict[str, str]:
    """The outcome of every question of the chapter, from the log and how the run ended.

    A question keeps its logged outcome (its check ran and gave its verdict); one whose check
    never ran because the cell that calls it raised first is that cell's error (``"error:
    NameError: name 'x' is not defined"``); one with neither is ``"not attempted"`` when the notebook ran to its
    end and ``"not run"`` when the run stopped first. A logged label that is not among
    ``questions`` (forged in the notebook, or of another chapter) is ignored.

    Args:
        questions: The chapter's graded questions (:attr:`course_utils.manifest.Manifest.labels`).
        logged: The last outcome of each checked question (see :func:`read_results_log`).
        run: How the run ended (see :func:`run_notebook`).
        completed: Whether the notebook ran to its last cell; default: ``run`` starts with
            ``"completed"``.
        cell_errors: The cells that raised (:class:`course_utils.runner.CellError`: each with
            ``questions`` and ``text``).
        judged: Whether ``logged`` holds the grader's own verdicts (a graded run, see
            :mod:`course_utils.judging`) rather than a log: then a question whose check cell
            raised is that cell's error whatever its verdict (the cell failed), and a run that
            stopped early has no verdict, so its questions are ``"not run"``.

    Returns:
        A dict from question label to outcome, for exactly ``questions``, in natural order.

    Example:
        >>> score_outcomes(["Exercise 4.1", "Exercise 4.2"], {"Exercise 4.1": "passed"}, "completed")
        {'Exercise 4.1': 'passed', 'Exercise 4.2': 'not attempted'}

    Introduced in: notebooks/07_keras_exercises.ipynb
    """  # noqa: E501
    ran_to_end = run.startswith(COMPLETED) if completed is None else completed
    missing = NOT_ATTEMPTED if ran_to_end else NOT_RUN
    raised: dict[str, str] = {}
    for error in cell_errors:
        for label in getattr(error, "questions", ()):
            raised.setdefault(label, str(getattr(error, "text", "error")))
    outcomes = {}
    for q in sorted(set(questions), key=natural_key):
        if judged:
            outcomes[q] = raised.get(q) or logged.get(q) or missing
        else:
            outcomes[q] = logged.get(q) or raised.get(q) or missing
    return outcomes


def _points(manifest: Manifest, outcomes: Mapping[str, str]) -> float:
    """The points of the questions that passed."""
    total = sum(q.points for q in manifest.graded if outcomes.get(q.label) == "passed")
    return int(total) if float(total).is_integer() else total


def _run(submission: Submission, options: Mapping[str, Any]) -> dict[str, Any]:
    """Run a submission; what :func:`score_outcomes` and the feedback need from its report.

    A graded report's verdicts (``judged``) replace its log: the log is the learner's own."""
    report = run_submission(submission, **options)
    if isinstance(report, tuple):  # a stand-in runner (tests) that returns (run, logged)
        run, logged = report
        return {"run": run, "logged": dict(logged), "messages": {}, "completed": None}
    judged = getattr(report, "judged", None)
    if judged is not None:
        # A run stopped by the time limit exported what it had reached: an answer it never
        # reached is "not run", not "not attempted".
        keep = {q for q, v in judged.items() if report.completed or v["status"] != NOT_ATTEMPTED}
        logged = {q: v["status"] for q, v in judged.items() if q in keep}
        messages = {q: v["message"] for q, v in judged.items() if q in keep}
    else:
        logged, messages = dict(report.logged), dict(report.messages)
    return {
        "run": report.run,
        "logged": logged,
        "messages": messages,
        "completed": report.completed,
        "cell_errors": tuple(report.cell_errors),
        "judged": judged is not None,
    }


def _submission_seed(seed: int | None, submission: Submission) -> int | None:
    """One submission's seed, drawn from the grader's and the submission's name (or None)."""
    if seed is None:
        return None
    digest = hashlib.sha256(f"{int(seed)}:{submission.name}".encode()).digest()
    return int.from_bytes(digest[:8], "big") >> 2


def grade_submission(
    submission: Submission,
    manifest: Manifest,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    hidden: Sequence[str | os.PathLike[str]] = (),
    memory_mb: int | None = DEFAULT_MEMORY_MB,
    isolation: str = "auto",
    seed: int | None = None,
) -> GradeResult:
    """Grade one submission against the chapter's manifest.

    Args:
        submission: What to run (see :func:`find_submissions`).
        manifest: The chapter graded (see :func:`assignment_manifest`).
        timeout: Wall-clock limit in seconds for the run.
        hidden: Folders the notebook must not see (where the grades and feedback go).
        memory_mb: Memory limit of the run in MB (None: no limit).
        isolation: The sandbox: ``"auto"``, ``"bwrap"``, ``"unshare"`` or ``"none"`` (see
            :func:`course_utils.runner.run_submission`).
        seed: The grader's seed of the hidden test cases (each submission's own seed is drawn
            from it and the submission's name), for grades that can be reproduced; None for a
            new secret seed per run.

    Returns:
        The grade: the student id, the run's ending (see :func:`run_submission`), the outcome
        of every graded question of the chapter (:func:`score_outcomes`: the grader's own
        verdicts, judged from the answers the notebook exported, see
        :mod:`course_utils.judging`), their messages and the points earned out of the
        chapter's total.

    Raises:
        TypeError: If ``manifest`` is not a :class:`~course_utils.manifest.Manifest`.

    Introduced in: notebooks/07_keras_exercises.ipynb
    """
    if not isinstance(manifest, Manifest):
        raise TypeError(f"manifest must be a Manifest (see load_manifest), not {manifest!r}")
    start = time.monotonic()
    options = {
        "timeout": timeout,
        "hidden": tuple(hidden),
        "memory_mb": memory_mb,
        "isolation": isolation,
        "chapter": manifest.chapter,
        "seed": _submission_seed(seed, submission),
    }
    report = _run(submission, options)
    outcomes = score_outcomes(
        manifest.labels,
        report["logged"],
        report["run"],
        completed=report["completed"],
        cell_errors=report.get("cell_errors", ()),
        judged=report.get("judged", False),
    )
    messages = report["messages"]
    return GradeResult(
        submission=submission.name,
        run=report["run"],
        outcomes=outcomes,
        seconds=time.monotonic() - start,
        student=student_id(submission),
        chapter=manifest.chapter,
        messages={q: m for q, m in messages.items() if q in outcomes},
        score=_points(manifest, outcomes),
        max_points=manifest.total_points,
    )


def grade_submissions(
    submissions: Sequence[Submission],
    manifest: Manifest,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    jobs: int = 1,
    progress: Callable[[int, int, GradeResult], None] | None = None,
    hidden: Sequence[str | os.PathLike[str]] = (),
    memory_mb: int | None = DEFAULT_MEMORY_MB,
    isolation: str = "auto",
    seed: int | None = None,
    dask_scheduler: str | None = None,
    client: Any = None,
) -> list[GradeResult]:
    """Grade several submissions against one chapter's manifest, ``jobs`` at a time.

    With ``dask_scheduler`` (or ``client``), each submission is one Dask task that runs
    :func:`grade_submission` on a worker (:mod:`course_utils.dask_backend`); ``jobs`` is then
    ignored (the workers' threads decide how many run at once), and the results are the same.

    Args:
        submissions: What to grade.
        manifest: The chapter graded (see :func:`assignment_manifest`).
        timeout: Wall-clock limit in seconds for each notebook.
        jobs: How many notebooks run at the same time.
        progress: Called as ``progress(done, total, result)`` after each submission.
        hidden: Folders no notebook may see (see :func:`grade_submission`).
        memory_mb: Memory limit of each run in MB (None: no limit).
        isolation: The sandbox of each run (see :func:`grade_submission`).
        seed: The grader's seed of the hidden test cases (see :func:`grade_submission`).
        dask_scheduler: The address of a Dask scheduler (``"tcp://HOST:8786"``) whose workers
            have the course installed and see the submissions at the same paths.
        client: A ``distributed.Client`` to use instead of ``dask_scheduler`` (left open).

    Returns:
        The grades, sorted by submission name.

    Raises:
        TypeError: If ``manifest`` is not a :class:`~course_utils.manifest.Manifest`.
        ValueError: If ``timeout`` is not a positive number or ``jobs`` not a positive int, if
            both ``dask_scheduler`` and ``client`` are given, or if a Dask worker lacks the
            course or cannot read a submission.
        course_utils.dask_backend.DaskUnavailable: With a scheduler, if ``distributed`` is not
            installed (an ImportError that says ``pip install -r requirements-grading.txt``).
        OSError: If no Dask scheduler answers at ``dask_scheduler``.

    Introduced in: notebooks/07_keras_exercises.ipynb
    """
    if not isinstance(manifest, Manifest):
        raise TypeError(f"manifest must be a Manifest (see load_manifest), not {manifest!r}")
    if not (isinstance(timeout, (int, float)) and math.isfinite(timeout) and timeout > 0):
        raise ValueError(f"timeout must be a positive number of seconds, not {timeout!r}")
    if not isinstance(jobs, int) or isinstance(jobs, bool) or jobs < 1:
        raise ValueError(f"jobs must be a positive int, not {jobs!r}")
    if dask_scheduler is not None or client is not None:
        if dask_scheduler is not None and client is not None:
            raise ValueError("give dask_scheduler (an address) or client, not both")
        done: list[GradeResult] = []

        def report(result: GradeResult) -> None:
            done.append(result)
            if progress is not None:
                progress(len(done), len(submissions), result)

        options = {
            "timeout": timeout,
            "hidden": tuple(hidden),
            "memory_mb": memory_mb,
            "isolation": isolation,
            "seed": seed,
        }
        graded = map_on_dask(
            grade_submission,
            list(submissions),
            kwargs={"manifest": manifest, **options},
            client=client,
            scheduler=dask_scheduler,
            paths=[s.path for s in submissions],
            on_result=report,
        )
        return sorted(graded, key=lambda r: r.submission)
    results: list[GradeResult] = []
    _STOPPING.clear()
    executor = concurrent.futures.ThreadPoolExecutor(max_workers=jobs)
    try:
        futures = [
            executor.submit(
                grade_submission,
                s,
                manifest,
                timeout=timeout,
                hidden=hidden,
                memory_mb=memory_mb,
                isolation=isolation,
                seed=seed,
            )
            for s in submissions
        ]
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
    return sorted(labels, key=natural_key)


def spreadsheet_text(cell: object) -> object:
    """A cell that no spreadsheet reads as a formula: text starting ``= + - @`` gets an apostrophe.

    Numbers are left alone (a score of ``-1`` stays a number); text starting with ``=``, ``+``,
    ``-``, ``@``, a tab or a carriage return (what Excel, LibreOffice and Google Sheets may
    evaluate) gets an apostrophe in front.

    Args:
        cell: The value of a CSV cell.

    Returns:
        The value to write.

    Example:
        >>> print(spreadsheet_text("=1+1"), spreadsheet_text(-1))
        '=1+1 -1

    Introduced in: notebooks/07_keras_exercises.ipynb
    """
    if isinstance(cell, str) and cell.startswith(_FORMULA_STARTS):
        return "'" + cell
    return cell


def write_grades_csv(results: Sequence[GradeResult], out: str | os.PathLike[str]) -> Path:
    """Write the grades table: one row per student, sorted by student id.

    Columns: ``student`` (the id), ``name`` (only when a roster named someone), ``submission``
    (the notebook's path in the graded folder), ``run``, one per graded question of the chapter
    (its outcome), ``points`` (earned) and ``max_points`` (the chapter's total). The file is
    UTF-8 with a byte-order mark (so that Excel reads Korean names) and ``\\n`` line endings,
    and is replaced atomically; no text cell starts with ``=``, ``+``, ``-`` or ``@``
    (:func:`spreadsheet_text`).

    Args:
        results: The grades (see :func:`grade_submissions`).
        out: The CSV file; its folder is created if missing.

    Returns:
        The path written.

    Introduced in: notebooks/07_keras_exercises.ipynb
    """
    path = Path(out)
    questions = _all_questions(results)
    named = any(r.name for r in results)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    with open(partial, "w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        who = ["student", "name"] if named else ["student"]
        header = [*who, "submission", "run", *questions, "points", "max_points"]
        writer.writerow([spreadsheet_text(cell) for cell in header])
        for r in sorted(results, key=lambda r: (r.student, r.submission)):
            cells = [r.outcomes.get(q, "") for q in questions]
            ids = [r.student, r.name] if named else [r.student]
            row = [*ids, r.submission, r.run, *cells, r.score, r.max_points]
            writer.writerow([spreadsheet_text(cell) for cell in row])
    os.replace(partial, path)
    return path


def format_summary(results: Sequence[GradeResult]) -> str:
    """A short plain-text summary of the grades, for the terminal.

    Two tables: per student, the points out of the chapter's total and how the run ended; per
    question, how many students passed it.

    Args:
        results: The grades (see :func:`grade_submissions`).

    Returns:
        The summary, lines joined by newlines (no trailing newline).

    Introduced in: notebooks/07_keras_exercises.ipynb
    """
    ordered = sorted(results, key=lambda r: (r.student, r.submission))
    width = max([len("student"), *(len(r.student) for r in ordered)])
    lines = [f"{'student':<{width}}  {'points':>7}  run"]
    for r in ordered:
        lines.append(f"{r.student:<{width}}  {f'{r.score:g}/{r.max_points:g}':>7}  {r.run}")
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
