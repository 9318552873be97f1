"""The ``course-utils`` command: student notebooks and grading (chapter 7, for instructors).

The instructor's workflow has two steps, one subcommand each; this module parses the command
line and calls the modules that do the work:

1. ``course-utils student SRC... --out DIR`` writes the student versions of the full chapter
   notebooks: :func:`course_utils.student.write_student_notebooks`. ``make student`` writes them
   to ``dist/student``.
2. ``course-utils grade DIR --out grades.csv`` grades the notebooks that students hand back
   (``DIR/*.ipynb`` and ``DIR/<student>/*.ipynb``), each run in a fresh kernel inside a scratch
   copy of its folder, and writes one CSV row per submission:
   :func:`course_utils.grading.grade_submissions` and
   :func:`course_utils.grading.write_grades_csv`.

The names of both modules that this module's ``__all__`` lists can still be imported from here,
as before the engine moved out (``from course_utils.cli import grade_submission``).

This module imports :mod:`course_utils.grading` and :mod:`course_utils.student` (no
TensorFlow); nothing imports it.

Introduced in: notebooks/07_keras_exercises.ipynb
"""

from __future__ import annotations

import argparse
import contextlib
import math
import signal
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Final

from course_utils.grading import (
    COMPLETED,
    DEFAULT_TIMEOUT,
    KERNEL_DIED,
    NOT_ATTEMPTED,
    NOT_RUN,
    GradeResult,
    Submission,
    UsageError,
    _child_main,
    find_submissions,
    format_summary,
    grade_submission,
    grade_submissions,
    questions_of_notebook,
    read_results_log,
    run_notebook,
    write_grades_csv,
)
from course_utils.student import (
    SOLUTION_TAG,
    find_notebooks,
    student_notebook,
    write_student_notebooks,
)

__all__ = [
    "COMPLETED",
    "DEFAULT_TIMEOUT",
    "KERNEL_DIED",
    "NOT_ATTEMPTED",
    "NOT_RUN",
    "SOLUTION_TAG",
    "GradeResult",
    "Submission",
    "UsageError",
    "build_parser",
    "find_notebooks",
    "find_submissions",
    "format_summary",
    "grade_submission",
    "grade_submissions",
    "main",
    "questions_of_notebook",
    "read_results_log",
    "run_notebook",
    "student_notebook",
    "write_grades_csv",
    "write_student_notebooks",
]

_PROG: Final[str] = "course-utils"
# ``course-utils _run ...`` runs one notebook, as ``python -m course_utils.grading ...`` does (the
# grader itself now starts the latter; the former is kept for anything that still calls it).
_CHILD_COMMAND: Final[str] = "_run"


def _is_within(path: Path, folder: Path) -> bool:
    """Whether the resolved ``path`` is ``folder`` or inside it."""
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


# ---------------------------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------------------------

_DESCRIPTION = """\
Instructor tools of the course "n-grams to GRUs": make the student versions of the chapter
notebooks, then grade the notebooks students hand back from the outcomes of their
qN.check() cells. Run `course-utils COMMAND --help` for each command."""

_STUDENT_DESCRIPTION = """\
Write the student version of each notebook into the folder OUT: the cells tagged `solution`
are removed, the stubs (with the ____ placeholder) and the qN.check() cells are kept, outputs
and execution counts are cleared, and all other cells and metadata (tags, cell ids, the
kernelspec) are kept. A student notebook executes from top to bottom without error, and its
checks report "not attempted" until the student answers. Every source is checked before
anything is written: the command refuses (exit code 2) a missing source, a file that is not
a notebook, an OUT that is a source or would overwrite one, two sources with the same name,
and a solution cell that is not preceded by a stub or not followed by a check."""

_STUDENT_EPILOG = """\
example:
  course-utils student notebooks --out dist/student
  course-utils student notebooks/04_lstm.ipynb notebooks/05_gru.ipynb --out handout"""

_GRADE_DESCRIPTION = """\
Grade the submitted notebooks DIR/*.ipynb and DIR/<student>/*.ipynb. Each one runs from top
to bottom in a fresh kernel, in a process of its own, inside a scratch copy of its folder (the
submitted files are never modified; the copies are deleted afterwards); every qN.check() it
runs is recorded through COURSE_UTILS_RESULTS. The CSV has one row per submission, sorted:
`submission`, `run` (completed, error: ..., timeout after S s, kernel died), one column per
question with its last outcome (passed, failed, not attempted, error, or not run when the run
stopped before it; empty when the notebook does not have that question), `passed` and
`total`. A notebook's questions are all the exercises of the course_utils.checks modules it
imports. A failing, hanging or crashing submission is recorded and grading goes on; the exit
code is 0 whenever grading itself worked, and 2 on a usage error."""

_GRADE_EPILOG = """\
example:
  course-utils grade submissions --out grades.csv --timeout 300 --jobs 2"""


def _positive_seconds(text: str) -> float:
    """argparse type of ``--timeout``: a positive, finite number of seconds."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds, not {text!r}")
    return value


def _positive_int(text: str) -> int:
    """argparse type of ``--jobs``: a positive int."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a positive whole number, not {text!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``course-utils`` and its ``student`` and ``grade`` commands.

    Returns:
        The parser; ``parse_args`` gives a namespace with ``command`` and its options.

    Introduced in: notebooks/07_keras_exercises.ipynb
    """
    formatter = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(
        prog=_PROG, description=_DESCRIPTION, formatter_class=formatter
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    student = commands.add_parser(
        "student",
        help="write student notebooks (solutions removed, outputs cleared)",
        description=_STUDENT_DESCRIPTION,
        epilog=_STUDENT_EPILOG,
        formatter_class=formatter,
    )
    student.add_argument(
        "sources", nargs="+", metavar="SRC", help="a full notebook, or a folder of them"
    )
    student.add_argument(
        "--out", required=True, type=Path, metavar="OUT", help="folder for the student notebooks"
    )
    grade = commands.add_parser(
        "grade",
        help="run submitted notebooks and tabulate their check outcomes",
        description=_GRADE_DESCRIPTION,
        epilog=_GRADE_EPILOG,
        formatter_class=formatter,
    )
    grade.add_argument("directory", type=Path, metavar="DIR", help="folder of submissions")
    grade.add_argument(
        "--out", required=True, type=Path, metavar="CSV", help="the grades table to write"
    )
    grade.add_argument(
        "--timeout",
        type=_positive_seconds,
        default=DEFAULT_TIMEOUT,
        metavar="S",
        help=f"wall-clock limit per notebook, in seconds (default {DEFAULT_TIMEOUT:g})",
    )
    grade.add_argument(
        "--jobs",
        type=_positive_int,
        default=1,
        metavar="N",
        help="how many notebooks run at the same time (default 1)",
    )
    return parser


def _command_student(args: argparse.Namespace) -> int:
    """``course-utils student``."""
    written = write_student_notebooks(args.sources, args.out)
    for path, removed in written:
        noun = "cell" if removed == 1 else "cells"
        print(f"wrote {path} ({removed} solution {noun} removed)")
    return 0


@contextlib.contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """Treat SIGTERM like Ctrl-C, so that ``kill`` also stops the runs and removes the copies."""

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _command_grade(args: argparse.Namespace) -> int:
    """``course-utils grade``."""
    directory: Path = args.directory
    out: Path = args.out
    submissions = find_submissions(directory)
    if _is_within(out, directory):
        raise UsageError(
            f"--out {out} is inside the graded folder {directory}; write the grades elsewhere"
        )
    if out.is_dir():
        raise UsageError(f"--out {out} is a folder; give the path of a CSV file")
    if not submissions:
        raise UsageError(
            f"{directory}: no notebooks to grade (looked for *.ipynb in it and in its "
            "subfolders one level down)"
        )

    def progress(done: int, total: int, result: GradeResult) -> None:
        print(
            f"[{done}/{total}] {result.submission}: {result.run}, "
            f"{result.passed}/{result.total} passed ({result.seconds:.1f} s)",
            file=sys.stderr,
            flush=True,
        )

    start = time.monotonic()
    with _terminate_as_interrupt():
        results = grade_submissions(
            submissions, timeout=args.timeout, jobs=args.jobs, progress=progress
        )
    write_grades_csv(results, out)
    elapsed = time.monotonic() - start
    noun = "submission" if len(results) == 1 else "submissions"
    print(
        f"graded {len(results)} {noun} in {elapsed:.1f} s (timeout {args.timeout:g} s, "
        f"{args.jobs} at a time); grades written to {out}"
    )
    print()
    print(format_summary(results))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``course-utils`` command.

    Args:
        argv: The arguments after the program name (``sys.argv[1:]`` when None).

    Returns:
        The exit code: 0 on success, 2 on a usage error (bad arguments, a missing or invalid
        source, an unsafe ``--out``, no notebooks to grade), 130 when interrupted.

    Introduced in: notebooks/07_keras_exercises.ipynb
    """
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == [_CHILD_COMMAND]:
        return _child_main(arguments[1:])
    parser = build_parser()
    try:
        args = parser.parse_args(arguments)
    except SystemExit as exc:  # --help (0) or a usage error (2)
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    try:
        if args.command == "student":
            return _command_student(args)
        return _command_grade(args)
    except UsageError as exc:
        print(f"{_PROG} {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{_PROG} {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
