"""The ``course-utils`` command: student notebooks, grading, exports (chapter 7, for instructors).

The instructor's workflow, one subcommand each; this module parses the command line and calls
the modules that do the work:

1. ``course-utils student SRC... --out DIR [--graded]`` writes the student versions of the
   full chapter notebooks: :func:`course_utils.student.write_student_notebooks` (``--graded``:
   with the model answers and last hints switched off). ``make student`` writes them
   to ``dist/student``.
2. ``course-utils manifest ch07 [--json]`` prints a chapter's questions and points:
   :mod:`course_utils.manifest`.
3. ``course-utils grade DIR --out grades.csv [--chapter ch07] [--roster roster.csv]
   [--feedback FOLDER] [--canvas CSV] [--moodle CSV] [--dask-scheduler ADDRESS]`` grades the
   notebooks that students hand back (``DIR/<id>.ipynb`` and ``DIR/<id>/<name>.ipynb``)
   against the chapter's manifest, each run in a fresh kernel in a scratch folder of its own
   (here, or as Dask tasks: :mod:`course_utils.dask_backend`), and writes one CSV row per
   student (:mod:`course_utils.grading`), then the feedback files and the Canvas and Moodle
   gradebooks (:mod:`course_utils.gradebook`).
4. ``course-utils gradescope ch07 --out DIR`` writes a Gradescope autograder for the chapter:
   :mod:`course_utils.gradescope`.

The public names of :mod:`course_utils.grading` and :mod:`course_utils.student` can still be
imported from here, as before the engine moved out (``from course_utils.cli import
grade_submission``), through the module's ``__getattr__``.

This module imports :mod:`course_utils.dask_backend` (its error when Dask is missing),
:mod:`course_utils.gradebook`, :mod:`course_utils.gradescope`,
:mod:`course_utils.grading`, :mod:`course_utils.manifest`, :mod:`course_utils.runner` (the
sandbox's options) and :mod:`course_utils.student` (no TensorFlow); nothing imports it.

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
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Final

from course_utils import grading, student
from course_utils.dask_backend import DaskUnavailable
from course_utils.gradebook import (
    apply_roster,
    read_roster,
    write_feedback,
    write_gradebook,
)
from course_utils.gradescope import write_bundle
from course_utils.grading import (
    DEFAULT_TIMEOUT,
    GradeResult,
    UsageError,
    _child_main,
    assignment_manifest,
    find_submissions,
    format_summary,
    grade_submissions,
    write_grades_csv,
)
from course_utils.manifest import Manifest, format_manifest, load_manifest
from course_utils.runner import DEFAULT_MEMORY_MB, ISOLATIONS
from course_utils.student import write_student_notebooks

__all__ = ["build_parser", "main"]

_PROG: Final[str] = "course-utils"
# ``course-utils _run ...`` runs one notebook, as ``python -m course_utils.runner ...`` does (the
# grader itself starts the latter; the former is kept for anything that still calls it).
_CHILD_COMMAND: Final[str] = "_run"


def __getattr__(name: str) -> object:
    """The names of :mod:`course_utils.grading` and :mod:`course_utils.student`, as before.

    ``from course_utils.cli import grade_submission`` still works: a public name of either
    module is looked up there.

    Args:
        name: The attribute asked for.

    Returns:
        The object of that name in :mod:`course_utils.grading` or :mod:`course_utils.student`.

    Raises:
        AttributeError: If neither module has it among its public names.

    Introduced in: notebooks/07_keras_exercises.ipynb
    """
    for module in (grading, student):
        if name in module.__all__:
            return getattr(module, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
notebooks, print a chapter's questions and points, grade the notebooks students hand back
with the grader's own checks (with feedback files and gradebooks for Canvas and Moodle), or
write a Gradescope autograder. Run `course-utils COMMAND --help` for each."""

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
  course-utils student notebooks/04_lstm.ipynb notebooks/05_gru.ipynb --out handout
  course-utils student notebooks/07_keras_exercises.ipynb --graded --out handout"""

_MANIFEST_DESCRIPTION = """\
Print the manifest of a chapter: its questions (label and the name the notebook imports),
their points, and whether each is graded or written (answered in prose, never graded). It is
read from the chapter's course_utils.checks module; grading takes its questions from here."""

_GRADE_DESCRIPTION = """\
Grade the submitted notebooks DIR/<id>.ipynb and DIR/<id>/<name>.ipynb (one notebook per
student folder); the student id is the file's stem or the folder's name. Each notebook runs
from top to bottom in a fresh kernel, in a process of its own, inside a scratch folder (the
submitted files are never modified); then a grader cell exports its answers, which the
chapter's checks judge in a fresh process (function questions on hidden test cases drawn from
a secret seed; --seed N makes them reproducible). The results log of its qN.check() cells is
not used. A run that stops before its end exports nothing. The questions and
their points come from the manifest of the chapter (see `course-utils manifest`): --chapter,
or else the one chapter whose checks the submissions import. The CSV has one row per student:
`student`, `name` (with --roster), `submission`, `run` (completed, error: ..., timeout after
S s, kernel died, no submission), one column per question of the chapter (passed, failed, not
attempted, error, or not run when the run stopped before it), `points` and `max_points`.
--roster (a CSV with the columns id, name, email) names the students and adds a row for each
student without a submission. --feedback writes one Markdown file per student; --canvas and
--moodle write gradebooks to import. Each run has a memory limit (--memory) and a sandbox
(--isolation, see course_utils.runner). The exit code is 0 whenever grading itself worked,
and 2 on a usage error."""

_GRADE_EPILOG = """\
example:
  course-utils grade submissions --chapter ch07 --out grades.csv --timeout 300 --jobs 2
  course-utils grade submissions --chapter 7 --roster roster.csv --out out/grades.csv \\
      --feedback out/feedback --canvas out/canvas.csv --moodle out/moodle.csv
  course-utils grade /shared/submissions --chapter 7 --out grades.csv \\
      --dask-scheduler tcp://10.0.0.5:8786"""

_GRADESCOPE_DESCRIPTION = """\
Write a Gradescope autograder for a chapter: OUT/gradescope-chNN.zip holds setup.sh (installs
Python, the course's pinned requirements and this package when Gradescope builds the image)
and run_autograder (grades the submitted notebook against the chapter's manifest and writes
/autograder/results/results.json, one test per question). Upload it as the autograder of a
programming assignment."""


def _positive(kind: type[int] | type[float], expected: str) -> Callable[[str], float]:
    """An argparse type: a positive, finite number of the given kind."""

    def parse(text: str) -> float:
        try:
            value = kind(text)
        except ValueError:
            value = math.nan
        if not (math.isfinite(value) and value > 0):
            raise argparse.ArgumentTypeError(f"must be a positive {expected}, not {text!r}")
        return value

    return parse


def _memory(text: str) -> int | None:
    """argparse type of ``--memory``: a whole number of MB; 0 means no limit (None)."""
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(
            f"must be a whole number of MB (0: no limit), not {text!r}"
        )
    return value or None


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``course-utils`` and its commands.

    Returns:
        The parser; ``parse_args`` gives a namespace with ``command`` and its options.

    Introduced in: notebooks/07_keras_exercises.ipynb
    """
    formatter = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(
        prog=_PROG, description=_DESCRIPTION, formatter_class=formatter
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, help_text: str, description: str, epilog: str | None = None):
        return commands.add_parser(
            name, help=help_text, description=description, epilog=epilog, formatter_class=formatter
        )

    seconds = _positive(float, "number of seconds")
    timeout_help = f"wall-clock limit per notebook, in seconds (default {DEFAULT_TIMEOUT:g})"
    student_parser = command(
        "student",
        "write student notebooks (solutions removed, outputs cleared)",
        _STUDENT_DESCRIPTION,
        _STUDENT_EPILOG,
    )
    student_parser.add_argument(
        "sources", nargs="+", metavar="SRC", help="a full notebook, or a folder of them"
    )
    student_parser.add_argument(
        "--out", required=True, type=Path, metavar="OUT", help="folder for the student notebooks"
    )
    student_parser.add_argument(
        "--graded",
        action="store_true",
        help="for a graded assignment: qN.solution() and the last hints are switched off",
    )
    manifest = command("manifest", "print a chapter's questions and points", _MANIFEST_DESCRIPTION)
    manifest.add_argument("chapter", metavar="CHAPTER", help="the chapter: ch07, 07 or 7")
    manifest.add_argument("--json", action="store_true", help="print JSON instead of a table")
    grade = command(
        "grade",
        "run submitted notebooks and tabulate their points",
        _GRADE_DESCRIPTION,
        _GRADE_EPILOG,
    )
    grade.add_argument("directory", type=Path, metavar="DIR", help="folder of submissions")
    grade.add_argument(
        "--out", required=True, type=Path, metavar="CSV", help="the grades table to write"
    )
    grade.add_argument(
        "--chapter", metavar="CHAPTER", help="the chapter graded (default: the one imported)"
    )
    grade.add_argument("--roster", type=Path, metavar="CSV", help="class list: id, name, email")
    grade.add_argument(
        "--feedback", type=Path, metavar="FOLDER", help="write one feedback file per student"
    )
    grade.add_argument("--canvas", type=Path, metavar="CSV", help="write a Canvas gradebook")
    grade.add_argument("--moodle", type=Path, metavar="CSV", help="write a Moodle gradebook")
    grade.add_argument(
        "--assignment",
        metavar="TITLE",
        help="the assignment's column in the gradebooks (default: Chapter N (chNN))",
    )
    grade.add_argument(
        "--timeout", type=seconds, default=DEFAULT_TIMEOUT, metavar="S", help=timeout_help
    )
    grade.add_argument(
        "--jobs",
        type=_positive(int, "whole number"),
        default=1,
        metavar="N",
        help="how many notebooks run at the same time (default 1)",
    )
    grade.add_argument(
        "--memory",
        type=_memory,
        default=DEFAULT_MEMORY_MB,
        metavar="MB",
        help=f"memory limit per notebook in MB, 0 for none (default {DEFAULT_MEMORY_MB})",
    )
    grade.add_argument(
        "--seed",
        type=int,
        default=None,
        metavar="N",
        help="seed of the hidden test cases, for grades you can reproduce; keep it secret "
        "(default: a new secret one per run)",
    )
    grade.add_argument(
        "--isolation",
        choices=ISOLATIONS,
        default="auto",
        help="the sandbox of each run (default auto: bwrap, else unshare, else none)",
    )
    grade.add_argument(
        "--dask-scheduler",
        metavar="ADDRESS",
        help="run each notebook as a task on this Dask scheduler's workers (tcp://HOST:8786; "
        "needs requirements-grading.txt, the course on every worker, and the submissions at "
        "the same path there); --jobs is then ignored",
    )
    gradescope = command(
        "gradescope", "write a Gradescope autograder for a chapter", _GRADESCOPE_DESCRIPTION
    )
    gradescope.add_argument("chapter", metavar="CHAPTER", help="the chapter: ch07, 07 or 7")
    gradescope.add_argument(
        "--out", required=True, type=Path, metavar="DIR", help="folder for the zip"
    )
    gradescope.add_argument(
        "--timeout", type=seconds, default=DEFAULT_TIMEOUT, metavar="S", help=timeout_help
    )
    return parser


def _command_student(args: argparse.Namespace) -> int:
    """``course-utils student``."""
    written = write_student_notebooks(args.sources, args.out, graded=args.graded)
    for path, removed in written:
        noun = "cell" if removed == 1 else "cells"
        print(f"wrote {path} ({removed} solution {noun} removed)")
    return 0


def _chapter(text: str) -> Manifest:
    """The manifest of a chapter named on the command line, or a usage error."""
    try:
        return load_manifest(text)
    except (TypeError, ValueError) as exc:
        raise UsageError(str(exc)) from exc


def _command_manifest(args: argparse.Namespace) -> int:
    """``course-utils manifest``."""
    print(format_manifest(_chapter(args.chapter), as_json=args.json))
    return 0


def _command_gradescope(args: argparse.Namespace) -> int:
    """``course-utils gradescope``."""
    manifest = _chapter(args.chapter)
    if args.out.exists() and not args.out.is_dir():
        raise UsageError(f"--out {args.out} is a file; give a folder for the zip")
    path = write_bundle(manifest.chapter, args.out, timeout=args.timeout)
    print(
        f"wrote {path} ({manifest.chapter}: {len(manifest.graded)} questions, "
        f"{manifest.total_points:g} points)"
    )
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


def _check_outputs(args: argparse.Namespace) -> None:
    """Refuse output paths inside the graded folder, or of the wrong kind."""
    directory: Path = args.directory
    files = {"--out": args.out, "--canvas": args.canvas, "--moodle": args.moodle}
    outputs = {**files, "--feedback": args.feedback}
    for option, path in outputs.items():
        if path is not None and _is_within(path, directory):
            raise UsageError(
                f"{option} {path} is inside the graded folder {directory}; write it elsewhere"
            )
    for option, path in files.items():
        if path is not None and path.is_dir():
            raise UsageError(f"{option} {path} is a folder; give the path of a CSV file")
    if args.feedback is not None and args.feedback.exists() and not args.feedback.is_dir():
        raise UsageError(f"--feedback {args.feedback} is a file; give a folder")


def _output_folders(args: argparse.Namespace) -> list[Path]:
    """The folders the grades, feedback and gradebooks go to: no notebook may see them.

    A folder that holds the graded folder, this Python or this package (``--out grades.csv``
    written to the current folder of a checkout) is left visible: hiding it would hide what
    the notebooks run with.
    """
    files = [p for p in (args.out, args.canvas, args.moodle) if p is not None]
    folders = [p.resolve().parent for p in files]
    if args.feedback is not None:
        folders.append(args.feedback.resolve())
    needed = [args.directory, Path(sys.prefix), Path(sys.executable), Path(__file__)]
    return sorted(f for f in set(folders) if not any(_is_within(n, f) for n in needed))


@contextlib.contextmanager
def _dask_errors(address: str | None) -> Iterator[None]:
    """A missing ``distributed``, an unreachable scheduler or a bad worker: a usage error."""
    try:
        yield
    except DaskUnavailable as exc:
        raise UsageError(f"--dask-scheduler: {exc}") from exc
    except (OSError, ValueError) as exc:
        if address is None:
            raise
        raise UsageError(f"--dask-scheduler {address}: {exc}") from exc


def _command_grade(args: argparse.Namespace) -> int:
    """``course-utils grade``."""
    directory: Path = args.directory
    submissions = find_submissions(directory)
    _check_outputs(args)
    if not submissions:
        raise UsageError(
            f"{directory}: no notebooks to grade (looked for *.ipynb in it and in its "
            "subfolders one level down)"
        )
    roster = None
    if args.roster is not None:
        try:
            roster = read_roster(args.roster)
        except ValueError as exc:
            raise UsageError(str(exc)) from exc
    manifest = assignment_manifest(submissions, args.chapter)

    def progress(done: int, total: int, result: GradeResult) -> None:
        print(
            f"[{done}/{total}] {result.submission}: {result.run}, "
            f"{result.score:g}/{result.max_points:g} points ({result.seconds:.1f} s)",
            file=sys.stderr,
            flush=True,
        )

    start = time.monotonic()
    with _terminate_as_interrupt(), _dask_errors(args.dask_scheduler):
        results = grade_submissions(
            submissions,
            manifest,
            timeout=args.timeout,
            jobs=args.jobs,
            progress=progress,
            hidden=_output_folders(args),
            memory_mb=args.memory,
            isolation=args.isolation,
            seed=args.seed,
            dask_scheduler=args.dask_scheduler,
        )
    if roster is not None:
        results, unknown = apply_roster(results, roster, manifest)
        for student_id in unknown:
            print(
                f"warning: {student_id!r} handed in a notebook but is not on the roster",
                file=sys.stderr,
            )
    write_grades_csv(results, args.out)
    written = [str(args.out)]
    if args.feedback is not None:
        write_feedback(results, manifest, args.feedback)
        written.append(f"feedback in {args.feedback}")
    for lms in ("canvas", "moodle"):
        path = getattr(args, lms)
        if path is not None:
            write_gradebook(
                results, manifest, path, lms=lms, roster=roster, assignment=args.assignment
            )
            written.append(str(path))
    elapsed = time.monotonic() - start
    where = f"{args.jobs} at a time"
    if args.dask_scheduler is not None:
        where = f"on the Dask scheduler {args.dask_scheduler}"
    noun = "submission" if len(submissions) == 1 else "submissions"
    print(
        f"graded {len(submissions)} {noun} of {manifest.chapter} ({len(manifest.graded)} "
        f"questions, {manifest.total_points:g} points) in {elapsed:.1f} s (timeout "
        f"{args.timeout:g} s, {where}); wrote {', '.join(written)}"
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
    commands = {
        "student": _command_student,
        "manifest": _command_manifest,
        "grade": _command_grade,
        "gradescope": _command_gradescope,
    }
    try:
        return commands[args.command](args)
    except UsageError as exc:
        print(f"{_PROG} {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{_PROG} {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
