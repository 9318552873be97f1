"""One run of a submitted notebook, for the grader (chapter 7, for instructors).

:mod:`course_utils.grading` finds the submissions and scores them; this module runs one:

1. :func:`run_submission`: one submission executed from top to bottom in a fresh kernel, in a
   sandbox of its own: a scratch folder holding only its notebook (and, for a notebook in a
   student folder ``DIR/<student>/``, the other files of that folder), a fresh ``HOME`` (with
   ``IPYTHONDIR``, the Jupyter and Matplotlib folders and ``XDG_*`` inside it) and ``TMPDIR``,
   and the environment variable ``COURSE_UTILS_RESULTS`` naming a log file in the scratch
   folder: every ``qN.check()`` appends its outcome there (see :mod:`course_utils.exercises`).
   A cell that raises is recorded and the run goes on (as nbgrader and otter do); a timeout,
   a dead kernel or a memory hog stops it. The submitted files are never modified, every
   process the run started is killed at its end, and the scratch folder is removed.
2. The isolation: with Debian's ``bwrap`` (package ``bubblewrap``) the run sees the whole file
   system read-only, except its scratch folder; the submissions, the other runs' scratch
   folders, the instructor's home, ``/tmp`` and the folders the caller names are replaced by
   empty ones, and the run has a PID namespace of its own (when it ends, all its processes
   die). Without ``bwrap``, ``unshare`` (util-linux, as root) does the same with mount and PID
   namespaces. Without either, the run has only its scratch folder, its own ``HOME`` and the
   killing of its processes; one warning line on stderr says so.
3. The limits: wall-clock time (``timeout``) and memory (``memory_mb``, the resident memory of
   all the run's processes, summed by a watchdog: TensorFlow reserves far more address space
   than it uses, so a limit on address space would break it).
4. Grading (``chapter`` given): the child appends a grader cell that exports the answers
   (:func:`course_utils.judging.export_answers`; the chapter and the secret seed reach the
   child through its stdin, and the kernel only in that cell), and :func:`_judge` judges the
   export with the chapter's checks in a fresh process, sandboxed in a scratch folder of its
   own: the report's ``judged``. A graded run also sets ``COURSE_UTILS_GRADED``, which switches
   off ``qN.solution()`` and the last hints in the kernel.
5. :func:`read_results_log`: the last outcome of each question in the log (the learner's
   feedback; a graded score ignores it).

What this does not defend against: a notebook can write how its run ended (the child's status
file is in its scratch folder), read any file the instructor can read outside the hidden
folders (the course's full notebooks, say), use the network, and, in its kernel, read the
installed package (its reference functions and expected values, see
:mod:`course_utils.judging`). Without a sandbox it can also
write wherever the instructor can and kill the grader's child process to leave orphans behind.

This module imports :mod:`course_utils.exercises` and no other module of the package, except
the ``course_utils.checks`` modules a failing cell imports, by name, to know which question it
checks (only chapter 8's imports TensorFlow); ``python -m course_utils.runner`` is the child
process that runs one notebook.

Introduced in: notebooks/07_keras_exercises.ipynb
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import importlib
import json
import math
import os
import re
import secrets
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Final

import nbformat

from course_utils.exercises import GRADED_ENV_VAR, RESULTS_ENV_VAR, STATUSES, Exercise

__all__ = [
    "COMPLETED",
    "DEFAULT_MEMORY_MB",
    "DEFAULT_TIMEOUT",
    "ISOLATIONS",
    "KERNEL_DIED",
    "CellError",
    "RunReport",
    "Submission",
    "isolation_available",
    "read_notebook",
    "read_results_log",
    "run_notebook",
    "run_submission",
]

#: Default wall-clock limit, in seconds, for executing one submitted notebook.
#:
#: Introduced in: notebooks/07_keras_exercises.ipynb
DEFAULT_TIMEOUT: Final[float] = 600.0

#: Default limit, in MB, on the resident memory of all the processes of one run (a chapter
#: needs about 1 GB).
#:
#: Introduced in: notebooks/07_keras_exercises.ipynb
DEFAULT_MEMORY_MB: Final[int] = 3072

#: The ``run`` column of a notebook that executed from top to bottom without a cell error.
#:
#: Introduced in: notebooks/07_keras_exercises.ipynb
COMPLETED: Final[str] = "completed"

#: The ``run`` column of a notebook whose kernel died (``os._exit``, a crash, out of memory).
#:
#: Introduced in: notebooks/07_keras_exercises.ipynb
KERNEL_DIED: Final[str] = "kernel died"

#: The ways a run can be isolated: ``auto`` takes the first available of the others.
#:
#: Introduced in: notebooks/07_keras_exercises.ipynb
ISOLATIONS: Final[tuple[str, ...]] = ("auto", "bwrap", "unshare", "none")

_KERNEL_NAME: Final[str] = "python3"
# A kernel that dies before answering its first request failed to start (nbclient's words), and
# how many times a run starts one before it reports that failure.
_KERNEL_START_FAILED: Final[str] = "Kernel died before replying to kernel_info"
_KERNEL_START_ATTEMPTS: Final[int] = 3
_SKIPPED_DIRS: Final[frozenset[str]] = frozenset({".ipynb_checkpoints", "__pycache__"})
_ERROR_TEXT_LIMIT: Final[int] = 200  # characters of an exception message kept in the CSV
_WATCH_INTERVAL: Final[float] = 0.2  # seconds between two looks at a run's memory
_PR_SET_CHILD_SUBREAPER: Final[int] = 36
_CHECK_CALL: Final[re.Pattern[str]] = re.compile(r"(?:\b(\w+)\s*\.\s*)?\b(\w+)\s*\.\s*check\s*\(")
_FROM_CHECKS: Final[re.Pattern[str]] = re.compile(
    r"^[ \t]*from[ \t]+course_utils\.checks\.(ch\d+)[ \t]+import[ \t]+(\([^)]*\)|[^\n]*)",
    re.MULTILINE,
)
_IMPORT_CHECKS: Final[re.Pattern[str]] = re.compile(
    r"^[ \t]*import[ \t]+course_utils\.checks\.(ch\d+)[ \t]+as[ \t]+(\w+)", re.MULTILINE
)
_FROM_PACKAGE: Final[re.Pattern[str]] = re.compile(
    r"^[ \t]*from[ \t]+course_utils\.checks[ \t]+import[ \t]+(\([^)]*\)|[^\n]*)", re.MULTILINE
)

# Child processes running a notebook now, with their kernel's process-group file, so that an
# interrupted grading (Ctrl-C) can stop them all.
_ACTIVE: dict[subprocess.Popen[bytes], Path] = {}
_ACTIVE_LOCK = threading.Lock()
_STOPPING = threading.Event()
_WARNED: set[str] = set()
_WARNED_LOCK = threading.Lock()


@dataclass(frozen=True)
class Submission:
    """One submitted notebook and the folder it comes from.

    ``name`` is the notebook's path relative to the graded folder (``alice/04_lstm.ipynb``).
    A notebook in a student folder runs with a copy of ``folder`` (its data files); one at the
    top of the graded folder runs alone (``exclude``, the student folders beside it, is kept
    for older callers).

    Introduced in: notebooks/07_keras_exercises.ipynb
    """

    name: str
    path: Path
    folder: Path
    exclude: tuple[str, ...] = ()


@dataclass(frozen=True)
class CellError:
    """A code cell that raised; the run went on after it.

    ``cell`` is the cell's 1-based position among all the cells of the notebook; ``questions``
    are the labels of the exercises its source checks (``q1.check()`` after ``from
    course_utils.checks.ch04 import q1`` gives ``Exercise 4.1``), empty when it checks none.

    Introduced in: notebooks/07_keras_exercises.ipynb
    """

    cell: int
    ename: str
    first_line: str
    questions: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """``error: NameError: name 'x' is not defined``, as the grades table shows it.

        Introduced in: notebooks/07_keras_exercises.ipynb
        """
        return _error_text(self.ename, self.first_line)


@dataclass(frozen=True)
class RunReport:
    """How one run of a submission ended and what it logged.

    ``run`` is ``completed``, ``completed with N cell error(s)``, ``timeout after S s``,
    ``kernel died``, ``memory limit (N MB) exceeded`` or ``error: ...`` (the grader could not
    run it); ``completed`` is true when the notebook ran to its last cell, cell errors or not.
    ``logged`` maps each checked question to its last status and ``messages`` to that entry's
    message; ``isolation`` says how the run was isolated (``bwrap``, ``unshare`` or ``none``).
    ``judged`` is None for an ungraded run; for a graded one (a ``chapter`` given to
    :func:`run_submission`) it maps every graded question of the chapter to the grader's own
    verdict, ``{"status": ..., "message": ...}``, judged in a fresh process from the answers
    the notebook exported (see :mod:`course_utils.judging`): graded scores use it, never the log.
    For older callers, ``run, logged = report`` still works.

    Introduced in: notebooks/07_keras_exercises.ipynb
    """

    run: str
    logged: dict[str, str] = field(default_factory=dict)
    messages: dict[str, str] = field(default_factory=dict)
    cell_errors: tuple[CellError, ...] = ()
    completed: bool = False
    isolation: str = "none"
    judged: dict[str, dict[str, str]] | None = None

    def __iter__(self) -> Iterator[Any]:
        """``run`` then ``logged``, as the tuple :func:`run_submission` used to return."""
        return iter((self.run, self.logged))


def read_notebook(path: str | os.PathLike[str]) -> nbformat.NotebookNode:
    """Read a submitted notebook whatever encoding the student's editor saved it in.

    Jupyter writes UTF-8; editors on Windows may add a byte-order mark, and Korean Windows may
    save CP949. The file is decoded as UTF-8 (a byte-order mark is dropped), then as CP949.

    Args:
        path: The notebook file.

    Returns:
        The notebook, as :func:`nbformat.reads` returns it (version 4).

    Raises:
        ValueError: If the file is neither UTF-8 nor CP949, or is not a notebook.

    Introduced in: notebooks/07_keras_exercises.ipynb
    """
    raw = Path(path).read_bytes()
    for encoding in ("utf-8-sig", "cp949"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        return nbformat.reads(text, as_version=4)
    raise ValueError(f"{Path(path).name} is neither UTF-8 nor CP949 text")


def read_results_log(path: str | os.PathLike[str]) -> dict[str, str]:
    """The last outcome of each question in a results log.

    The log is the file named by ``COURSE_UTILS_RESULTS`` while a notebook ran: one JSON object
    per line with (at least) ``"question"`` and ``"status"``, as written by
    :meth:`course_utils.exercises.Exercise.check`. A question checked several times keeps its
    last outcome. Lines that are not such objects (a line cut short by a killed kernel, say),
    or whose status is not one of :data:`~course_utils.exercises.STATUSES`, are skipped, and so
    are the entries of written exercises (``"written": true``: never graded).

    Args:
        path: The log file; a missing file means no check ran.

    Returns:
        A dict from question label to status, in order of first appearance.

    Introduced in: notebooks/07_keras_exercises.ipynb
    """
    return _read_log(path)[0]


def _read_log(path: str | os.PathLike[str]) -> tuple[dict[str, str], dict[str, str]]:
    """The last status and the message of that same entry, of each question in a log."""
    outcomes: dict[str, str] = {}
    messages: dict[str, str] = {}
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return outcomes, messages
    for line in text.splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if not isinstance(entry, dict):
            continue
        question, status = entry.get("question"), entry.get("status")
        if isinstance(question, str) and question.strip() and status in STATUSES:
            if entry.get("written") is not True:
                outcomes[question.strip()] = status
                message = entry.get("message")
                messages[question.strip()] = message if isinstance(message, str) else ""
    return outcomes, messages


@cache
def _checks_module(name: str) -> Any:
    """``course_utils.checks.<name>``, or None if it cannot be imported."""
    try:
        return importlib.import_module(f"course_utils.checks.{name}")
    except Exception:
        return None


def _imported_names(text: str) -> list[tuple[str, str]]:
    """``(name, alias)`` pairs of an import list such as ``(q1, q2 as second)``."""
    pairs = []
    for part in re.sub(r"#[^\n]*", "", text).strip().strip("()").split(","):
        words = part.split()
        if len(words) == 1:
            pairs.append((words[0], words[0]))
        elif len(words) == 3 and words[1] == "as":
            pairs.append((words[0], words[2]))
    return pairs


def _checked_questions(sources: Sequence[str], index: int) -> tuple[str, ...]:
    """Labels of the graded exercises that code cell ``index`` checks (``q1.check()``, ...).

    ``qN`` and ``chNN`` are resolved through the checks imports of the cells up to ``index``.
    """
    names: dict[str, tuple[str, str]] = {}  # q1 -> (ch04, q1)
    modules: dict[str, str] = {}  # ch04, c4 -> ch04
    for source in sources[: index + 1]:
        for module, imported in _FROM_CHECKS.findall(source):
            names.update({alias: (module, name) for name, alias in _imported_names(imported)})
        for module, alias in _IMPORT_CHECKS.findall(source):
            modules[alias] = module
        for imported in _FROM_PACKAGE.findall(source):
            pairs = _imported_names(imported)
            modules.update({a: n for n, a in pairs if re.fullmatch(r"ch\d+", n)})
    labels = []
    for prefix, name in _CHECK_CALL.findall(sources[index]):
        if prefix and prefix in modules:
            module, attribute = modules[prefix], name
        elif not prefix and name in names:
            module, attribute = names[name]
        else:
            continue
        exercise = getattr(_checks_module(module), attribute, None)
        if isinstance(exercise, Exercise) and not exercise.thought:
            labels.append(exercise.label)
    return tuple(dict.fromkeys(labels))


# ---------------------------------------------------------------------------------------------
# Running one notebook
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


def _cell_errors_text(count: int) -> str:
    """``completed with 1 cell error``, ``completed with 2 cell errors``."""
    return f"{COMPLETED} with {count} cell error{'' if count == 1 else 's'}"


def _memory_text(megabytes: int) -> str:
    """``memory limit (3072 MB) exceeded``."""
    return f"memory limit ({megabytes} MB) exceeded"


_SKIP_TAG: Final[str] = "course-utils-past-the-time-limit"
_TIMEOUT_ENAME: Final[str] = "CourseUtilsTimeLimit"


def _grader_reserve(timeout: float) -> float:
    """Seconds the grader cell may take on top of the run's limit (a quarter, 10 to 120)."""
    return min(120.0, max(10.0, timeout / 4))


def _grader_cell(grading: dict[str, Any]) -> nbformat.NotebookNode:
    """The cell appended at grading time: it exports the answers (see :mod:`~.judging`)."""
    source = (
        "import course_utils.judging as _course_utils_judging\n"
        f"_course_utils_judging.export_answers({str(grading['chapter'])!r}, "
        f"{int(grading['seed'])}, {str(grading['export'])!r})"
    )
    return nbformat.v4.new_code_cell(source)


def _execute(
    notebook: Path,
    workdir: Path,
    timeout: float,
    pgid_file: Path,
    grading: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Execute a notebook in a fresh kernel (in this process): how the run ended, cell errors.

    With ``grading`` (``{"chapter", "seed", "export"}``), a grader cell is appended that exports
    the answers; its error, if any, is ``"export_error"``, not a cell error of the notebook, and
    ``"exported"`` says whether it ran to its end. The notebook's own cells then share
    ``timeout`` seconds: a cell still running at the limit is interrupted, the cells after it
    are skipped, and the grader cell gets :func:`_grader_reserve` seconds of its own, so that a
    notebook stopped by the time limit still has the answers it reached judged.

    Returns ``{"run": ..., "completed": bool, "cell_errors": [[cell, ename, first line], ...]}``.
    """
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    try:
        nb = read_notebook(notebook)
    except Exception as exc:
        run = _error_text("the notebook could not be read", str(exc))
        return {"run": run, "completed": False, "cell_errors": []}

    learner_cells = len(nb.cells)
    if grading is not None:
        nb.cells.append(_grader_cell(grading))
    client: Any = None

    def record_kernel(**_: object) -> None:
        # The kernel runs in a process group of its own: the parent kills it on a timeout.
        pgid = getattr(getattr(client.km, "provisioner", None), "pgid", None)
        if isinstance(pgid, int) and pgid > 1:
            pgid_file.write_text(str(pgid), encoding="utf-8")

    start = time.monotonic()
    state = {"timed_out": False, "exported": False}

    def cell_timeout(cell: Any) -> int:
        if cell is nb.cells[-1]:
            return int(_grader_reserve(timeout))
        return max(1, math.ceil(start + timeout - time.monotonic()))

    def skip_after_the_limit(cell: Any, cell_index: int, **_: object) -> None:
        if cell_index < learner_cells and time.monotonic() >= start + timeout:
            state["timed_out"] = True
            cell.metadata.setdefault("tags", []).append(_SKIP_TAG)

    def note_reply(cell_index: int, execute_reply: Any = None, **_: object) -> None:
        content = (execute_reply or {}).get("content", {})
        if content.get("ename") == _TIMEOUT_ENAME:
            state["timed_out"] = True
        elif cell_index == learner_cells and content.get("status") == "ok":
            state["exported"] = True

    options: dict[str, Any] = {}
    if grading is not None:
        options = {
            "timeout_func": cell_timeout,
            "interrupt_on_timeout": True,
            "error_on_timeout": {"ename": _TIMEOUT_ENAME, "evalue": "past the time limit"},
            "skip_cells_with_tag": _SKIP_TAG,
            "on_cell_start": skip_after_the_limit,
            "on_cell_executed": note_reply,
        }
    completed = False
    for attempt in range(1, _KERNEL_START_ATTEMPTS + 1):
        client = NotebookClient(
            nb,
            timeout=timeout,
            kernel_name=_KERNEL_NAME,
            resources={"metadata": {"path": str(workdir)}},
            allow_errors=True,
            on_notebook_start=record_kernel,
            **options,
        )
        try:
            client.execute()
            completed = not state["timed_out"]
            run = COMPLETED if completed else _timeout_text(timeout)
        except CellTimeoutError:
            run = _timeout_text(timeout)
        except DeadKernelError:
            run = KERNEL_DIED
        except CellExecutionError as exc:
            run = _error_text(exc.ename or type(exc).__name__, exc.evalue or "")
        except Exception as exc:
            # A kernel that dies before its first reply never ran a cell: it failed to start
            # (two kernels started at once can pick the same free port), so start another.
            if _KERNEL_START_FAILED in str(exc) and attempt < _KERNEL_START_ATTEMPTS:
                start = time.monotonic()
                continue
            run = _error_text(type(exc).__name__, str(exc))
        break
    errors = [
        [index, str(output.get("ename") or "Exception"), _first_line(str(output.get("evalue", "")))]
        for index, cell in enumerate(nb.cells, 1)
        if cell.get("cell_type") == "code"
        for output in cell.get("outputs", [])
        if output.get("output_type") == "error"
    ]
    status: dict[str, Any] = {"run": run, "completed": completed}
    if grading is not None:
        status["exported"] = state["exported"]
        export_errors = [e for e in errors if e[0] > learner_cells]
        errors = [e for e in errors if e[0] <= learner_cells and e[1] != "KeyboardInterrupt"]
        if export_errors:
            status["export_error"] = _error_text(export_errors[0][1], export_errors[0][2])
    if completed and errors:
        status["run"] = _cell_errors_text(len(errors))
    status["cell_errors"] = errors
    return status


def _child_main(argv: Sequence[str]) -> int:
    """Entry point of the child process that executes one notebook (``python -m ...runner``)."""
    parser = argparse.ArgumentParser(prog="python -m course_utils.runner", add_help=False)
    parser.add_argument("notebook", type=Path)
    parser.add_argument("workdir", type=Path)
    parser.add_argument("--timeout", type=float, required=True)
    parser.add_argument("--status", type=Path, required=True)
    parser.add_argument("--kernel-pgid", type=Path, required=True)
    parser.add_argument("--graded", action="store_true")
    args = parser.parse_args(list(argv))
    # The grader's request (chapter, secret seed, export folder) comes through stdin, so that
    # it is in no file, argument or environment variable that the notebook could read.
    grading = json.loads(sys.stdin.readline()) if args.graded else None
    _become_subreaper()
    try:
        status = _execute(args.notebook, args.workdir, args.timeout, args.kernel_pgid, grading)
        args.status.write_text(json.dumps(status), encoding="utf-8")
    finally:
        _kill_tree(os.getpid())  # whatever the kernel left running (adopted as a subreaper)
    return 0


# ---------------------------------------------------------------------------------------------
# The processes of a run: finding, measuring and killing them
# ---------------------------------------------------------------------------------------------


def _become_subreaper() -> None:
    """Adopt the orphans of this process's descendants (Linux), so that none escapes the tree."""
    with contextlib.suppress(Exception):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


def _process_table() -> dict[int, tuple[int, int]]:
    """pid -> (parent pid, resident bytes) of every live process (empty without /proc)."""
    table: dict[int, tuple[int, int]] = {}
    page = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
    try:
        entries = os.listdir("/proc")
    except OSError:
        return table
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as stream:
                fields = stream.read().rsplit(")", 1)[1].split()
            if fields[0] in ("Z", "X"):
                continue
            table[int(entry)] = (int(fields[1]), int(fields[21]) * page)
        except (OSError, IndexError, ValueError):
            continue
    return table


def _descendants(pid: int, table: dict[int, tuple[int, int]] | None = None) -> list[int]:
    """The live descendants of a process."""
    table = _process_table() if table is None else table
    children: dict[int, list[int]] = {}
    for child, (parent, _) in table.items():
        children.setdefault(parent, []).append(child)
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _tree_bytes(pid: int) -> int:
    """Resident memory of a process and its descendants, in bytes."""
    table = _process_table()
    return sum(table.get(p, (0, 0))[1] for p in [pid, *_descendants(pid, table)])


def _kill_tree(pid: int) -> None:
    """SIGKILL every descendant of a process (not the process), until none is left."""
    for _ in range(50):
        descendants = _descendants(pid)
        if not descendants:
            return
        for child in descendants:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(child, signal.SIGKILL)
        time.sleep(0.01)


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
    # The file is in the scratch folder, which the notebook can write, and in a sandbox it
    # holds a number of the sandbox's own PID namespace: kill that group only if its leader
    # is one of the run's processes as this process sees them.
    ours = proc.poll() is None and kernel_pgid in _descendants(proc.pid)
    if proc.poll() is None:
        _kill_tree(proc.pid)  # first the descendants: the child adopts their orphans
    if ours:
        _kill_group(kernel_pgid)
    if proc.poll() is None:
        _kill_group(proc.pid)  # the child leads its own session (start_new_session=True)
        with contextlib.suppress(ProcessLookupError):
            proc.kill()


# ---------------------------------------------------------------------------------------------
# The sandbox
# ---------------------------------------------------------------------------------------------

# Run with ``unshare --mount --pid ...`` as root: every mount read-only, the hidden folders
# replaced by empty ones, the scratch folder (opened first as descriptor 3) bound back
# writable; then the command, without capabilities.
_UNSHARE_SCRIPT: Final[str] = r"""
set -e
scratch=$1
shift
exec 3<"$scratch"
for mountpoint in $(awk '{print $5}' /proc/self/mountinfo); do
    case "$mountpoint" in /proc|/proc/*) continue ;; esac
    mount -o remount,bind,ro "$mountpoint" 2>/dev/null || true
done
while [ "$1" != "--" ]; do
    mount -t tmpfs -o mode=0755 tmpfs "$1"
    shift
done
shift
mkdir -p "$scratch" 2>/dev/null || true
mount --no-canonicalize --bind /proc/self/fd/3 "$scratch"
mount -o remount,bind,rw "$scratch"
exec 3<&-
cd "$scratch"
exec setpriv --inh-caps=-all --ambient-caps=-all --bounding-set=-all --no-new-privs -- "$@"
"""


@cache
def isolation_available(kind: str) -> bool:
    """Whether runs can be isolated this way on this machine (tried once, then remembered).

    Args:
        kind: ``"bwrap"`` (Debian's bubblewrap), ``"unshare"`` (util-linux, as root, with
            ``setpriv``) or ``"none"`` (always available).

    Returns:
        True if a trial sandbox of that kind ran a command.

    Raises:
        ValueError: If ``kind`` is not one of those.

    Example:
        >>> isolation_available("none")
        True

    Introduced in: notebooks/07_keras_exercises.ipynb
    """
    if kind not in ISOLATIONS[1:]:
        raise ValueError(f"kind must be one of {', '.join(ISOLATIONS[1:])}, not {kind!r}")
    if kind == "none":
        return True
    if not sys.platform.startswith("linux"):
        return False
    with tempfile.TemporaryDirectory(prefix="course-utils-probe-") as folder:
        command = _sandbox_command(kind, ["true"], Path(folder), ())
        if shutil.which(command[0]) is None or (kind == "unshare" and not shutil.which("setpriv")):
            return False
        try:
            done = subprocess.run(command, capture_output=True, timeout=30, check=False)
        except (OSError, subprocess.SubprocessError):
            return False
    return done.returncode == 0


def _warn_once(text: str) -> None:
    """Print a warning line on stderr once per grading process."""
    with _WARNED_LOCK:
        if text in _WARNED:
            return
        _WARNED.add(text)
    print(f"course-utils grade: warning: {text}", file=sys.stderr, flush=True)


def _choose_isolation(requested: str) -> str:
    """The isolation to use for ``requested`` (``auto`` picks bwrap, then unshare, then none)."""
    if requested not in ISOLATIONS:
        raise ValueError(f"isolation must be one of {', '.join(ISOLATIONS)}, not {requested!r}")
    if requested != "auto":
        if not isolation_available(requested):
            raise ValueError(f"isolation {requested!r} is not available on this machine")
        return requested
    for kind in ("bwrap", "unshare"):
        if isolation_available(kind):
            return kind
    _warn_once(
        "no sandbox (install bubblewrap, or run as root for unshare): each submission sees "
        "your files, other submissions and the output folder, and may write wherever you may "
        "(it has only its own scratch folder, HOME and process tree)"
    )
    return "none"


def _contains_the_grader(folder: Path) -> bool:
    """Whether hiding ``folder`` would hide the Python or the package the run needs."""
    needed = [Path(sys.prefix), Path(sys.executable), Path(__file__).parent]
    for path in needed:
        with contextlib.suppress(OSError, ValueError):
            path.resolve().relative_to(folder)
            return True
    return False


def _hidden_folders(scratch: Path, hidden: Sequence[Path]) -> list[Path]:
    """The existing folders to replace by empty ones, outermost first, none hiding the grader."""
    home = Path(os.path.expanduser("~"))
    candidates = [Path("/tmp"), Path("/var/tmp"), Path("/dev/shm"), home, scratch.parent]
    folders: list[Path] = []
    for folder in [*candidates, *hidden]:
        with contextlib.suppress(OSError):
            folder = folder.resolve()
            if folder.is_dir() and folder != Path("/") and not _contains_the_grader(folder):
                folders.append(folder)
    folders = sorted(set(folders), key=lambda p: (len(p.parts), str(p)))
    return [f for f in folders if not any(o != f and o in f.parents for o in folders)]


def _sandbox_command(
    kind: str, command: Sequence[str], scratch: Path, hidden: Sequence[Path]
) -> list[str]:
    """``command`` wrapped in a sandbox of the given kind."""
    scratch = scratch.resolve()
    folders = _hidden_folders(scratch, hidden)
    if kind == "bwrap":
        wrapper = ["bwrap", "--die-with-parent", "--unshare-pid", "--unshare-ipc"]
        wrapper += ["--new-session", "--cap-drop", "ALL", "--ro-bind", "/", "/"]
        wrapper += ["--dev", "/dev", "--proc", "/proc"]
        for folder in folders:
            wrapper += ["--tmpfs", str(folder)]
        wrapper += ["--bind", str(scratch), str(scratch), "--chdir", str(scratch), "--"]
        return [*wrapper, *command]
    if kind == "unshare":
        wrapper = ["unshare", "--mount", "--pid", "--ipc", "--fork", "--kill-child"]
        wrapper += ["--mount-proc", "--propagation", "private", "sh", "-c", _UNSHARE_SCRIPT]
        return [*wrapper, "sh", str(scratch), *map(str, folders), "--", *command]
    return list(command)


def _sandbox_env(scratch: Path, results: Path) -> dict[str, str]:
    """The run's environment: the grader's, with a fresh HOME and temporary folder inside
    ``scratch`` (IPython, Jupyter and Matplotlib folders and the XDG ones included)."""
    home = scratch / "home"
    temp = scratch / "tmp"
    folders = {
        "HOME": home,
        "IPYTHONDIR": home / ".ipython",
        "JUPYTER_CONFIG_DIR": home / ".jupyter",
        "JUPYTER_DATA_DIR": home / ".local" / "share" / "jupyter",
        "JUPYTER_RUNTIME_DIR": home / ".local" / "share" / "jupyter" / "runtime",
        "MPLCONFIGDIR": home / ".config" / "matplotlib",
        "XDG_CONFIG_HOME": home / ".config",
        "XDG_CACHE_HOME": home / ".cache",
        "XDG_DATA_HOME": home / ".local" / "share",
        "XDG_STATE_HOME": home / ".local" / "state",
        "XDG_RUNTIME_DIR": home / ".run",
        "TMPDIR": temp,
        "TEMP": temp,
        "TMP": temp,
    }
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    _copy_font_cache(folders["MPLCONFIGDIR"])
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER_", "IPYTHON"))}
    env.pop("PYTHONSTARTUP", None)
    env.update({name: str(folder.resolve()) for name, folder in folders.items()})
    env["PYTHONNOUSERSITE"] = "1"
    env[RESULTS_ENV_VAR] = str(results.resolve())
    env[GRADED_ENV_VAR] = "1"  # no model answers, no last hints in a graded run
    return env


def _copy_font_cache(folder: Path) -> None:
    """Copy Matplotlib's font list of the grader, so that each run does not rebuild it."""
    places = [os.environ.get("MPLCONFIGDIR"), "~/.cache/matplotlib", "~/.matplotlib"]
    for place in places:
        if not place:
            continue
        for cache_file in Path(os.path.expanduser(place)).glob("fontlist-*.json"):
            with contextlib.suppress(OSError):
                shutil.copyfile(cache_file, folder / cache_file.name)


def _run_child(
    notebook: Path,
    workdir: Path,
    *,
    timeout: float,
    results: Path,
    scratch: Path,
    memory_mb: int | None,
    isolation: str,
    hidden: Sequence[Path] = (),
    grading: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Run ``python -m course_utils.runner`` on a notebook, sandboxed: the status it wrote.

    With ``grading`` (``{"chapter", "seed", "export"}``), the child appends the grader cell; the
    request goes through the child's stdin."""
    status_file = scratch / "status.json"
    pgid_file = scratch / "kernel.pgid"
    command = [
        sys.executable,
        "-m",
        "course_utils.runner",
        str(notebook.resolve()),
        str(workdir.resolve()),
        "--timeout",
        repr(float(timeout)),
        "--status",
        str(status_file.resolve()),
        "--kernel-pgid",
        str(pgid_file.resolve()),
    ]
    if grading is not None:
        command.append("--graded")
    env = _sandbox_env(scratch, results)
    command = _sandbox_command(isolation, command, scratch, hidden)
    timed_out = False
    over_memory = threading.Event()
    finished = threading.Event()
    with open(scratch / "runner.log", "wb") as log:
        # cwd is the scratch folder, not workdir: a submitted file named like a module
        # (nbclient.py, ...) must not shadow the grader's own imports.
        proc = subprocess.Popen(
            command,
            cwd=scratch,
            env=env,
            stdin=subprocess.DEVNULL if grading is None else subprocess.PIPE,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        with _ACTIVE_LOCK:
            _ACTIVE[proc] = pgid_file
        if proc.stdin is not None:
            with contextlib.suppress(OSError):
                proc.stdin.write((json.dumps(grading) + "\n").encode("utf-8"))
            with contextlib.suppress(OSError):
                proc.stdin.close()

        def watch_memory() -> None:
            limit = (memory_mb or 0) * 2**20
            while not finished.wait(_WATCH_INTERVAL):
                if _tree_bytes(proc.pid) > limit:
                    over_memory.set()
                    _kill_run(proc, pgid_file)
                    return

        watchdog = threading.Thread(target=watch_memory, daemon=True)
        if memory_mb:
            watchdog.start()
        try:
            if _STOPPING.is_set():  # grading was interrupted while this run was starting
                raise KeyboardInterrupt
            # A graded run's grader cell has a reserve of its own after the notebook's limit.
            extra = _grader_reserve(timeout) + 15 if grading is not None else 0
            proc.wait(timeout=timeout + extra)
        except subprocess.TimeoutExpired:
            timed_out = True
            _kill_run(proc, pgid_file)
        finally:
            finished.set()
            if proc.poll() is None and not timed_out:  # interrupted (KeyboardInterrupt)
                _kill_run(proc, pgid_file)
            proc.wait()
            if watchdog.is_alive():
                watchdog.join()
            with _ACTIVE_LOCK:
                _ACTIVE.pop(proc, None)
    if over_memory.is_set():
        return {"run": _memory_text(int(memory_mb or 0)), "completed": False, "cell_errors": []}
    if timed_out:
        return {"run": _timeout_text(timeout), "completed": False, "cell_errors": []}
    try:
        status = json.loads(status_file.read_text(encoding="utf-8"))
        if isinstance(status.get("run"), str) and status["run"]:
            return status
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        pass
    # The child died without saying how the run ended (killed, out of memory, ...).
    try:
        output = (scratch / "runner.log").read_text(encoding="utf-8", errors="replace")
    except OSError:
        output = ""
    last = next((s.strip() for s in reversed(output.splitlines()) if s.strip()), "")
    detail = f": {_first_line(last)}" if last else ""
    run = f"error: the grading process stopped (exit code {proc.returncode}){detail}"
    return {"run": run, "completed": False, "cell_errors": []}


def run_notebook(
    notebook: str | os.PathLike[str],
    workdir: str | os.PathLike[str],
    *,
    timeout: float = DEFAULT_TIMEOUT,
    results: str | os.PathLike[str],
    scratch: str | os.PathLike[str],
) -> str:
    """Execute a notebook from top to bottom in a fresh kernel, in a child process.

    The child process (``python -m course_utils.runner ...``) runs nbclient with the kernel's
    working directory ``workdir``, ``COURSE_UTILS_RESULTS=results`` and a fresh ``HOME`` in
    ``scratch``. A cell that raises is recorded and the run goes on. If the child has not
    finished after ``timeout`` seconds of wall time, it and every process it started are
    killed. This runs without a sandbox; :func:`run_submission` adds one.

    Args:
        notebook: The notebook, usually inside ``workdir``.
        workdir: The kernel's working directory.
        timeout: Wall-clock limit in seconds for the whole run, kernel start included.
        results: The results log the checks append to.
        scratch: A folder for the run's bookkeeping files (status, kernel process group, the
            child's output in ``runner.log``), its ``HOME`` and, as ``TMPDIR``, its temporary
            files; not ``workdir``, which the notebook may empty.

    Returns:
        How the run ended: ``"completed"``, ``"completed with N cell error(s)"``, ``"error:
        <exception>: <first line>"`` (the run itself failed), ``"timeout after <timeout> s"``
        or ``"kernel died"``.

    Introduced in: notebooks/07_keras_exercises.ipynb
    """
    status = _run_child(
        Path(notebook),
        Path(workdir),
        timeout=timeout,
        results=Path(results),
        scratch=Path(scratch),
        memory_mb=None,
        isolation="none",
    )
    return str(status["run"])


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


def _copy_submission(submission: Submission, workdir: Path) -> None:
    """The notebook alone (top level) or its student folder (``DIR/<student>/``) into workdir."""
    if "/" not in submission.name.replace("\\", "/"):
        workdir.mkdir()
        shutil.copyfile(submission.path, workdir / submission.path.name)
        return

    def ignore(_: str, names: list[str]) -> set[str]:
        return {n for n in names if n in _SKIPPED_DIRS}

    # Symbolic links are copied as the files they point to: the originals stay out of reach.
    shutil.copytree(submission.folder, workdir, ignore=ignore, ignore_dangling_symlinks=True)


def _submissions_root(submission: Submission) -> Path:
    """The graded folder: the submission's folder, or its parent for ``DIR/<student>/``."""
    nested = "/" in submission.name.replace("\\", "/")
    return submission.folder.parent if nested else submission.folder


def _report(
    status: dict[str, Any],
    notebook: Path,
    log: Path,
    isolation: str,
    judged: dict[str, dict[str, str]] | None = None,
) -> RunReport:
    """The :class:`RunReport` of a run, from the child's status, the log and the verdicts."""
    logged, messages = _read_log(log)
    try:
        nb = read_notebook(notebook)
        sources = [c.get("source", "") if c.get("cell_type") == "code" else "" for c in nb.cells]
        sources = [s if isinstance(s, str) else "" for s in sources]
    except Exception:
        sources = []
    errors = []
    for item in status.get("cell_errors") or []:
        try:
            cell, ename, first = int(item[0]), str(item[1]), str(item[2])
        except (TypeError, ValueError, IndexError):
            continue
        questions = _checked_questions(sources, cell - 1) if 0 < cell <= len(sources) else ()
        errors.append(CellError(cell, ename, _first_line(first), questions))
    return RunReport(
        run=str(status["run"]),
        logged=logged,
        messages=messages,
        cell_errors=tuple(errors),
        completed=bool(status.get("completed")),
        isolation=isolation,
        judged=judged,
    )


_EXPORT_LIMIT: Final[int] = 300 * 2**20  # bytes of an export the judge accepts


def _copy_export(source: Path, target: Path) -> None:
    """Copy the regular files at the top of an export folder (no links, no folders, bounded)."""
    target.mkdir()
    total = 0
    if not source.is_dir() or source.is_symlink():
        return
    for entry in sorted(os.scandir(source), key=lambda e: e.name):
        if not entry.is_file(follow_symlinks=False):
            continue
        total += entry.stat(follow_symlinks=False).st_size
        if total > _EXPORT_LIMIT:
            raise OSError("the export is larger than the grader accepts")
        shutil.copyfile(entry.path, target / entry.name, follow_symlinks=False)


def _judge(
    grading: dict[str, Any],
    kind: str,
    hidden: Sequence[Path],
    timeout: float,
    export_error: object = None,
) -> dict[str, dict[str, str]]:
    """The grader's verdicts on an export: ``python -m course_utils.judging``, in a fresh
    process, in a scratch folder of its own, sandboxed like the run."""
    scratch = Path(tempfile.mkdtemp(prefix="course-utils-judge-"))
    try:
        export = scratch / "export"
        problem = ""
        try:
            _copy_export(Path(grading["export"]), export)
        except (OSError, shutil.Error) as exc:
            problem = f"the export of your answers could not be copied: {_first_line(exc)}"
        request = {"chapter": grading["chapter"], "seed": grading["seed"], "export": str(export)}
        command = [sys.executable, "-m", "course_utils.judging"]
        env = _sandbox_env(scratch, scratch / "unused.jsonl")
        env.pop(RESULTS_ENV_VAR, None)
        output = ""
        if not problem:
            try:
                done = subprocess.run(
                    _sandbox_command(kind, command, scratch, hidden),
                    cwd=scratch,
                    env=env,
                    input=json.dumps(request).encode("utf-8"),
                    capture_output=True,
                    timeout=max(float(timeout), 60.0),
                    check=False,
                )
                output = done.stdout.decode("utf-8", errors="replace")
                if done.returncode != 0:
                    detail = done.stderr.decode("utf-8", errors="replace").strip().splitlines()
                    last_line = _first_line(detail[-1] if detail else "")
                    problem = f"the grader's judge failed: {last_line}"
            except subprocess.TimeoutExpired:
                problem = "the grader's judge ran out of time"
        verdicts: dict[str, dict[str, str]] = {}
        if not problem:
            try:
                last = [line for line in output.splitlines() if line.strip()][-1]
                raw = json.loads(last)
                verdicts = {
                    str(q): {"status": str(v["status"]), "message": str(v["message"])}
                    for q, v in raw.items()
                    if v.get("status") in STATUSES
                }
            except (ValueError, IndexError, KeyError, TypeError, AttributeError):
                problem = "the grader's judge gave no verdict"
        if problem:
            module = _checks_module(str(grading["chapter"]))
            return {
                obj.label: {"status": "error", "message": problem}
                for obj in vars(module).values()
                if isinstance(obj, Exercise) and not obj.thought
            }
        if export_error:
            for verdict in verdicts.values():
                if verdict["status"] == "error":
                    verdict["message"] += f" (the grader cell raised {export_error})"
        return verdicts
    finally:
        _remove_tree(scratch)


def run_submission(
    submission: Submission,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    memory_mb: int | None = DEFAULT_MEMORY_MB,
    hidden: Sequence[str | os.PathLike[str]] = (),
    isolation: str = "auto",
    chapter: str | None = None,
    seed: int | None = None,
) -> RunReport:
    """Run one submission in a sandbox of its own and read the outcomes it logged.

    With ``chapter`` the run is graded: after the notebook's last cell a grader cell exports
    the answers to the chapter's graded questions, and a fresh process, sandboxed like the run,
    judges them with the chapter's checks (test cases of function questions drawn from
    ``seed``, by default a new secret one); the report's ``judged`` holds the verdicts (see
    :mod:`course_utils.judging`).

    A new scratch folder gets a copy of the notebook (with, for a notebook in a student folder,
    the other files of that folder: symbolic links are copied as the files they point to), a
    fresh ``HOME`` and temporary folder, and the results log. The notebook runs there in a
    fresh kernel, sandboxed as ``isolation`` says (see the module's docstring), under the time
    and memory limits; a cell that raises is recorded and the run goes on. At the end every
    process of the run is killed, the log is read (see :func:`read_results_log`) and the
    scratch folder is deleted.

    Args:
        submission: What to run (see :func:`course_utils.grading.find_submissions`).
        timeout: Wall-clock limit in seconds for the run.
        memory_mb: Limit in MB on the resident memory of all the run's processes, or None for
            no limit.
        hidden: More folders the run must not see (the output folder of the grades, say); the
            graded folder, the instructor's home, ``/tmp`` and the other runs' scratch folders
            are hidden anyway.
        isolation: ``"auto"`` (``bwrap``, else ``unshare``, else none with one warning line on
            stderr), or one of ``"bwrap"``, ``"unshare"``, ``"none"``.
        chapter: The checks module of the graded chapter (``"ch04"``), or None for a run that
            is not graded (the log only).
        seed: The seed of the hidden test cases (None: a fresh secret one).

    Returns:
        The :class:`RunReport`: how the run ended, the last status and message of each question
        it checked, the cells that raised. ``run, logged = run_submission(...)`` still works.

    Raises:
        ValueError: If ``isolation`` is unknown or not available here, or ``memory_mb`` is
            not a positive int or None.

    Introduced in: notebooks/07_keras_exercises.ipynb
    """
    if memory_mb is not None and (
        not isinstance(memory_mb, int) or isinstance(memory_mb, bool) or memory_mb < 1
    ):
        raise ValueError(f"memory_mb must be a positive int (MB) or None, not {memory_mb!r}")
    if chapter is not None and not (isinstance(chapter, str) and re.fullmatch(r"ch\d+", chapter)):
        raise ValueError(f"chapter must be a checks module name such as 'ch04', not {chapter!r}")
    if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool)):
        raise ValueError(f"seed must be an int or None, not {seed!r}")
    kind = _choose_isolation(isolation)
    folders = [_submissions_root(submission), *(Path(h) for h in hidden)]
    scratch = Path(tempfile.mkdtemp(prefix="course-utils-grade-"))
    try:
        workdir = scratch / "work"
        results = scratch / "results.jsonl"
        grading = None
        if chapter is not None:
            secret = secrets.randbits(62) if seed is None else seed
            grading = {"chapter": chapter, "seed": secret, "export": str(scratch / "export")}
        try:
            _copy_submission(submission, workdir)
        except (OSError, shutil.Error) as exc:
            status: dict[str, Any] = {
                "run": _error_text("the submission could not be copied", str(exc)),
                "completed": False,
            }
        else:
            status = _run_child(
                workdir / submission.path.name,
                workdir,
                timeout=timeout,
                results=results,
                scratch=scratch,
                memory_mb=memory_mb,
                isolation=kind,
                hidden=folders,
                grading=grading,
            )
        judged = None
        if grading is not None and status.get("exported"):
            judged = _judge(grading, kind, folders, timeout, status.get("export_error"))
        elif grading is not None:
            judged = {}  # the grader cell did not run to its end: nothing to judge
        return _report(status, submission.path, results, kind, judged)
    finally:
        _remove_tree(scratch)


if __name__ == "__main__":
    sys.exit(_child_main(sys.argv[1:]))
