"""The ``course-utils`` command: student notebooks and grading.

The instructor's workflow has two steps, one subcommand each:

1. ``course-utils student SRC... --out DIR`` turns the full chapter notebooks (the ones in
   ``notebooks/``, which execute their model answers) into student versions: every cell tagged
   ``solution`` is removed, the stubs with the ``____`` placeholder and the ``qN.check()`` cells
   stay, outputs and execution counts are cleared, and every other cell and all metadata (tags,
   cell ids, the kernelspec) are kept. A student notebook executes from top to bottom without
   error; its checks then report "not attempted". ``make student`` writes them to
   ``dist/student``.
2. ``course-utils grade DIR --out grades.csv`` grades the notebooks that students hand back
   (``DIR/*.ipynb`` and ``DIR/<student>/*.ipynb``). Each one is executed from top to bottom in
   a fresh kernel, in a child process of its own, inside a scratch copy of its folder, with the
   environment variable ``COURSE_UTILS_RESULTS`` naming a log file outside that copy: every
   ``qN.check()`` appends its outcome there (see :mod:`course_utils.exercises`). The grader
   reads the log and writes one CSV row per submission: how the run ended (``completed``,
   ``error: ...``, ``timeout after S s`` or ``kernel died``), the last outcome of each question
   (``passed``, ``failed``, ``not attempted``, ``error``, or ``not run`` when the run stopped
   before reaching it) and the number passed out of the total. A hang, a crash or a dead kernel
   is recorded and grading goes on with the next submission; the submitted files are never
   modified, and the scratch copies are removed afterwards.

The questions of a notebook are those of every ``course_utils.checks.chNN`` module it imports
(all of the module's exercises, whether or not the notebook imports each one) together with
any other question named in its log. Written exercises (``thought=True``, answered in prose
and compared with a model answer by the learner) are not graded: they get no column and do not
count in ``total``.

Grading executes the submitted code with the instructor's permissions: the scratch copy keeps
a notebook from damaging the submissions by accident (deleting files in its working
directory, say), but it is not a sandbox against deliberate mischief, and a notebook could
also append invented outcomes to its log. Read the notebooks of a suspicious grade.

Introduced in: notebooks/07_keras_exercises.ipynb
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import csv
import importlib
import json
import math
import os
import pkgutil
import re
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Final

import nbformat

from course_utils.exercises import RESULTS_ENV_VAR, STATUSES, Exercise

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

#: The cell tag that marks a model answer; :func:`student_notebook` removes such cells.
#:
#: Introduced in: notebooks/07_keras_exercises.ipynb
SOLUTION_TAG: Final[str] = "solution"

#: Default wall-clock limit, in seconds, for executing one submitted notebook.
#:
#: Introduced in: notebooks/07_keras_exercises.ipynb
DEFAULT_TIMEOUT: Final[float] = 600.0

#: The ``run`` column of a notebook that executed from top to bottom.
#:
#: Introduced in: notebooks/07_keras_exercises.ipynb
COMPLETED: Final[str] = "completed"

#: The ``run`` column of a notebook whose kernel died (``os._exit``, a crash, out of memory).
#:
#: Introduced in: notebooks/07_keras_exercises.ipynb
KERNEL_DIED: Final[str] = "kernel died"

#: A question whose check never ran although the notebook ran to its end.
#:
#: Introduced in: notebooks/07_keras_exercises.ipynb
NOT_ATTEMPTED: Final[str] = "not attempted"

#: A question whose check never ran because the run stopped early (error, timeout, dead kernel).
#:
#: Introduced in: notebooks/07_keras_exercises.ipynb
NOT_RUN: Final[str] = "not run"

_PROG: Final[str] = "course-utils"
_CHILD_COMMAND: Final[str] = "_run"
_KERNEL_NAME: Final[str] = "python3"
_PLACEHOLDER: Final[str] = "____"
_CHECK_CALL: Final[re.Pattern[str]] = re.compile(r"\b[A-Za-z_]\w*\.check\(")
_CHECKS_MODULE: Final[re.Pattern[str]] = re.compile(
    r"^[ \t]*(?:from[ \t]+course_utils\.checks\.(ch\d+)[ \t]+import\b"
    r"|import[ \t]+course_utils\.checks\.(ch\d+)\b)",
    re.MULTILINE,
)
_CHECKS_PACKAGE: Final[re.Pattern[str]] = re.compile(
    r"^[ \t]*from[ \t]+course_utils\.checks[ \t]+import[ \t]+\(?([\w \t,]+)", re.MULTILINE
)
_SKIPPED_DIRS: Final[frozenset[str]] = frozenset({".ipynb_checkpoints", "__pycache__"})
_ERROR_TEXT_LIMIT: Final[int] = 200  # characters of an exception message kept in the CSV

# Child processes running a notebook now, with their kernel's process-group file, so that an
# interrupted grading (Ctrl-C) can stop them all.
_ACTIVE: dict[subprocess.Popen[bytes], Path] = {}
_ACTIVE_LOCK = threading.Lock()
_STOPPING = threading.Event()


class UsageError(Exception):
    """A problem with the command line or its inputs; the command exits with code 2.

    Introduced in: notebooks/07_keras_exercises.ipynb
    """


# ---------------------------------------------------------------------------------------------
# Student notebooks
# ---------------------------------------------------------------------------------------------


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


def student_notebook(nb: nbformat.NotebookNode) -> tuple[nbformat.NotebookNode, int]:
    """Make the student version of a full notebook.

    Cells tagged ``solution`` are removed; every other cell is kept with its source, metadata
    (tags included) and id; code cells lose their outputs and execution counts; the notebook's
    metadata is kept. The argument is not modified.

    Args:
        nb: A full notebook, as read by :func:`nbformat.read` with ``as_version=4``.

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


def _is_within(path: Path, folder: Path) -> bool:
    """Whether the resolved ``path`` is ``folder`` or inside it."""
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def write_student_notebooks(
    sources: Iterable[str | os.PathLike[str]], out: str | os.PathLike[str]
) -> list[tuple[Path, int]]:
    """Write the student version of every source notebook into the folder ``out``.

    Every source is read and checked before anything is written, so a refusal leaves ``out``
    untouched. Each student notebook keeps its source's file name.

    Args:
        sources: Notebooks and folders of notebooks (see :func:`find_notebooks`).
        out: The output folder; created if missing.

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
            student, removed = student_notebook(nb)
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


# ---------------------------------------------------------------------------------------------
# Grading: finding submissions and their questions
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Submission:
    """One submitted notebook and the folder that is copied to run it.

    ``name`` is the notebook's path relative to the graded folder (``alice/04_lstm.ipynb``);
    ``folder`` is copied, without the subfolders in ``exclude`` (other students' folders when
    the notebook sits at the top of the graded folder).

    Introduced in: notebooks/07_keras_exercises.ipynb
    """

    name: str
    path: Path
    folder: Path
    exclude: tuple[str, ...] = ()


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


@cache
def _written_questions() -> frozenset[str]:
    """Labels of every written exercise (``thought=True``) of the course: never graded."""
    labels = set()
    for info in pkgutil.iter_modules(importlib.import_module("course_utils.checks").__path__):
        try:
            module = importlib.import_module(f"course_utils.checks.{info.name}")
        except Exception:
            continue
        labels.update(
            obj.label for obj in vars(module).values() if isinstance(obj, Exercise) and obj.thought
        )
    return frozenset(labels)


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
        nb = nbformat.read(path, as_version=4)
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


def read_results_log(path: str | os.PathLike[str]) -> dict[str, str]:
    """The last outcome of each question in a results log.

    The log is the file named by ``COURSE_UTILS_RESULTS`` while a notebook ran: one JSON object
    per line with (at least) ``"question"`` and ``"status"``, as written by
    :meth:`course_utils.exercises.Exercise.check`. A question checked several times keeps its
    last outcome. Lines that are not such objects (a line cut short by a killed kernel, say),
    or whose status is not one of :data:`~course_utils.exercises.STATUSES`, are skipped.

    Args:
        path: The log file; a missing file means no check ran.

    Returns:
        A dict from question label to status, in order of first appearance.

    Introduced in: notebooks/07_keras_exercises.ipynb
    """
    outcomes: dict[str, str] = {}
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return outcomes
    for line in text.splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if not isinstance(entry, dict):
            continue
        question, status = entry.get("question"), entry.get("status")
        if isinstance(question, str) and question.strip() and status in STATUSES:
            if question.strip() not in _written_questions():
                outcomes[question.strip()] = status
    return outcomes


# ---------------------------------------------------------------------------------------------
# Grading: running one notebook
# ---------------------------------------------------------------------------------------------


def _first_line(exc: BaseException | str) -> str:
    """The first non-empty line of an exception's message (or of a text), shortened."""
    text = exc if isinstance(exc, str) else str(exc)
    line = next((s.strip() for s in text.splitlines() if s.strip()), "")
    if len(line) > _ERROR_TEXT_LIMIT:
        line = line[: _ERROR_TEXT_LIMIT - 3] + "..."
    return line


def _timeout_text(seconds: float) -> str:
    """``timeout after 600 s``."""
    return f"timeout after {seconds:g} s"


def _error_text(name: str, message: str) -> str:
    """``error: ValueError: the first line of the message``."""
    first = _first_line(message)
    return f"error: {name}: {first}" if first else f"error: {name}"


def _execute(notebook: Path, workdir: Path, timeout: float, pgid_file: Path) -> str:
    """Execute a notebook in a fresh kernel (in this process) and say how the run ended."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    try:
        nb = nbformat.read(notebook, as_version=4)
    except Exception as exc:
        return _error_text("the notebook could not be read", str(exc))

    client: Any = None

    def record_kernel(**_: object) -> None:
        # The kernel runs in a process group of its own: the parent kills it on a timeout.
        pgid = getattr(getattr(client.km, "provisioner", None), "pgid", None)
        if isinstance(pgid, int) and pgid > 1:
            pgid_file.write_text(str(pgid), encoding="utf-8")

    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name=_KERNEL_NAME,
        resources={"metadata": {"path": str(workdir)}},
        allow_errors=False,
        on_notebook_start=record_kernel,
    )
    try:
        client.execute()
    except CellTimeoutError:
        return _timeout_text(timeout)
    except DeadKernelError:
        return KERNEL_DIED
    except CellExecutionError as exc:
        return _error_text(exc.ename or type(exc).__name__, exc.evalue or "")
    except Exception as exc:
        return _error_text(type(exc).__name__, str(exc))
    return COMPLETED


def _child_main(argv: Sequence[str]) -> int:
    """Entry point of the child process that executes one notebook (``course-utils _run``)."""
    parser = argparse.ArgumentParser(prog=f"{_PROG} {_CHILD_COMMAND}", add_help=False)
    parser.add_argument("notebook", type=Path)
    parser.add_argument("workdir", type=Path)
    parser.add_argument("--timeout", type=float, required=True)
    parser.add_argument("--status", type=Path, required=True)
    parser.add_argument("--kernel-pgid", type=Path, required=True)
    args = parser.parse_args(list(argv))
    run = _execute(args.notebook, args.workdir, args.timeout, args.kernel_pgid)
    args.status.write_text(json.dumps({"run": run}), encoding="utf-8")
    return 0


def _kill_group(pgid: int) -> None:
    """SIGKILL a process group, ignoring one that is already gone."""
    if pgid <= 1 or not hasattr(os, "killpg"):
        return
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)


def _kill_run(proc: subprocess.Popen[bytes], pgid_file: Path) -> None:
    """Kill a running child, its kernel and whatever they started (before reaping the child)."""
    try:
        kernel_pgid = int(pgid_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        kernel_pgid = 0
    _kill_group(kernel_pgid)
    if proc.poll() is None:
        _kill_group(proc.pid)  # the child leads its own session (start_new_session=True)
        with contextlib.suppress(ProcessLookupError):
            proc.kill()


def run_notebook(
    notebook: str | os.PathLike[str],
    workdir: str | os.PathLike[str],
    *,
    timeout: float = DEFAULT_TIMEOUT,
    results: str | os.PathLike[str],
    scratch: str | os.PathLike[str],
) -> str:
    """Execute a notebook from top to bottom in a fresh kernel, in a child process.

    The child process (``python -m course_utils.cli _run ...``) runs nbclient with the kernel's
    working directory ``workdir`` and ``COURSE_UTILS_RESULTS=results``. If it has not finished
    after ``timeout`` seconds of wall time, it and its kernel (with whatever the kernel started)
    are killed.

    Args:
        notebook: The notebook, usually inside ``workdir``.
        workdir: The kernel's working directory.
        timeout: Wall-clock limit in seconds for the whole run, kernel start included.
        results: The results log the checks append to.
        scratch: A folder for the run's bookkeeping files (status, kernel process group, the
            child's output in ``runner.log``) and, as ``TMPDIR``, its temporary files; not
            ``workdir``, which the notebook may empty.

    Returns:
        How the run ended: ``"completed"``, ``"error: <exception>: <first line>"``,
        ``"timeout after <timeout> s"`` or ``"kernel died"``.

    Introduced in: notebooks/07_keras_exercises.ipynb
    """
    scratch_dir = Path(scratch)
    status_file = scratch_dir / "status.json"
    pgid_file = scratch_dir / "kernel.pgid"
    command = [
        sys.executable,
        "-m",
        "course_utils.cli",
        _CHILD_COMMAND,
        str(Path(notebook).resolve()),
        str(Path(workdir).resolve()),
        "--timeout",
        repr(float(timeout)),
        "--status",
        str(status_file.resolve()),
        "--kernel-pgid",
        str(pgid_file.resolve()),
    ]
    # Temporary files of the child, the kernel and the notebook (the kernel's connection file,
    # left behind when a run is killed) go into the scratch folder, which the caller deletes.
    temp = scratch_dir / "tmp"
    temp.mkdir(exist_ok=True)
    env = dict(os.environ, TMPDIR=str(temp.resolve()), TEMP=str(temp.resolve()))
    env[RESULTS_ENV_VAR] = str(Path(results).resolve())
    timed_out = False
    with open(scratch_dir / "runner.log", "wb") as log:
        # cwd is the scratch folder, not workdir: a submitted file named like a module
        # (nbclient.py, ...) must not shadow the grader's own imports.
        proc = subprocess.Popen(
            command,
            cwd=scratch_dir,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        with _ACTIVE_LOCK:
            _ACTIVE[proc] = pgid_file
        try:
            if _STOPPING.is_set():  # grading was interrupted while this run was starting
                raise KeyboardInterrupt
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
            _kill_run(proc, pgid_file)
        finally:
            if proc.poll() is None and not timed_out:  # interrupted (KeyboardInterrupt)
                _kill_run(proc, pgid_file)
            proc.wait()
            with _ACTIVE_LOCK:
                _ACTIVE.pop(proc, None)
    if timed_out:
        return _timeout_text(timeout)
    try:
        run = json.loads(status_file.read_text(encoding="utf-8"))["run"]
        if isinstance(run, str) and run:
            return run
    except (OSError, ValueError, KeyError, TypeError):
        pass
    # The child died without saying how the run ended (killed, out of memory, ...): its kernel
    # may still be running.
    _kill_run(proc, pgid_file)
    try:
        output = (scratch_dir / "runner.log").read_text(encoding="utf-8", errors="replace")
    except OSError:
        output = ""
    last = next((s.strip() for s in reversed(output.splitlines()) if s.strip()), "")
    detail = f": {_first_line(last)}" if last else ""
    return f"error: the grading process stopped (exit code {proc.returncode}){detail}"


def _stop_all_runs() -> None:
    """Kill every child process still running a notebook (after Ctrl-C)."""
    _STOPPING.set()
    with _ACTIVE_LOCK:
        active = list(_ACTIVE.items())
    for proc, pgid_file in active:
        _kill_run(proc, pgid_file)


def _remove_tree(path: Path) -> None:
    """Delete a scratch folder, even one whose permissions the notebook changed."""

    def make_writable(function: Callable[..., Any], name: str, _: object) -> None:
        with contextlib.suppress(OSError):
            os.chmod(os.path.dirname(name), stat.S_IRWXU)
            if not os.path.islink(name):
                os.chmod(name, stat.S_IRWXU)
        with contextlib.suppress(OSError):
            function(name)

    if sys.version_info >= (3, 12):
        shutil.rmtree(path, onexc=make_writable)
    else:
        shutil.rmtree(path, onerror=make_writable)
    if path.exists():
        shutil.rmtree(path, ignore_errors=True)


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


def grade_submission(submission: Submission, *, timeout: float = DEFAULT_TIMEOUT) -> GradeResult:
    """Run one submission in a scratch copy of its folder and collect its outcomes.

    The submission's folder is copied into a new temporary folder (symbolic links are copied
    as the files they point to, so the notebook cannot reach the originals through them); the
    notebook runs there with :func:`run_notebook`; the scratch folder is then deleted.

    Args:
        submission: What to run (see :func:`find_submissions`).
        timeout: Wall-clock limit in seconds for the run.

    Returns:
        The grade: the run's ending and, for each question (those of
        :func:`questions_of_notebook` and any other in the log), its last outcome, or
        ``"not attempted"`` (the run completed without checking it) or ``"not run"`` (the run
        stopped first).

    Introduced in: notebooks/07_keras_exercises.ipynb
    """
    start = time.monotonic()
    questions = questions_of_notebook(submission.path)
    scratch = Path(tempfile.mkdtemp(prefix="course-utils-grade-"))
    try:
        workdir = scratch / "work"
        results = scratch / "results.jsonl"
        excluded = set(submission.exclude)

        def ignore(folder: str, names: list[str]) -> set[str]:
            skipped = {n for n in names if n in _SKIPPED_DIRS}
            if Path(folder) == submission.folder:
                skipped |= {n for n in names if n in excluded}
            return skipped

        try:
            shutil.copytree(
                submission.folder, workdir, ignore=ignore, ignore_dangling_symlinks=True
            )
        except (OSError, shutil.Error) as exc:
            run = _error_text("the submission could not be copied", str(exc))
        else:
            run = run_notebook(
                workdir / submission.path.name,
                workdir,
                timeout=timeout,
                results=results,
                scratch=scratch,
            )
        logged = read_results_log(results)
    finally:
        _remove_tree(scratch)
    missing = NOT_ATTEMPTED if run == COMPLETED else NOT_RUN
    labels = sorted(set(questions) | set(logged), key=_natural_key)
    outcomes = {q: logged.get(q, missing) for q in labels}
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


def write_grades_csv(results: Sequence[GradeResult], out: str | os.PathLike[str]) -> Path:
    """Write the grades table: one row per submission, sorted by submission.

    Columns: ``submission``, ``run``, one per question (the union over all submissions, in
    natural order; empty where a submission does not have that question), ``passed`` and
    ``total``. The file is UTF-8 with ``\\n`` line endings and is replaced atomically.

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
    with open(partial, "w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(["submission", "run", *questions, "passed", "total"])
        for r in sorted(results, key=lambda r: r.submission):
            cells = [r.outcomes.get(q, "") for q in questions]
            writer.writerow([r.submission, r.run, *cells, r.passed, r.total])
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
