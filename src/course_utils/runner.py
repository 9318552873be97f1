"""One run of a submitted notebook, for the grader (chapter 7, for instructors).

:mod:`course_utils.grading` finds the submissions and scores them; this module runs one:

1. :func:`run_submission`: one submission executed from top to bottom in a fresh kernel,
   inside a scratch copy of its folder, with the environment variable ``COURSE_UTILS_RESULTS``
   naming a log file outside that copy: every ``qN.check()`` appends its outcome there (see
   :mod:`course_utils.exercises`). The submitted files are never modified, and the scratch
   copy is removed afterwards.
2. :func:`run_notebook`: the execution itself, in a child process of its own
   (``python -m course_utils.runner``), which runs nbclient; a hang, a crash or a dead kernel
   is recorded, and the kernel with whatever it started is killed.
3. :func:`read_results_log`: the last outcome of each question in that log.

Grading executes the submitted code with the instructor's permissions: the scratch copy keeps
a notebook from damaging the submissions by accident (deleting files in its working
directory, say), but it is not a sandbox against deliberate mischief, and a notebook could
also append invented outcomes to its log. Read the notebooks of a suspicious grade.

This module imports :mod:`course_utils.exercises` and no other module of the package, except
the ``course_utils.checks`` modules, by name, to know which exercises are written ones (no
TensorFlow); ``python -m course_utils.runner`` is the child process that runs one notebook.

Introduced in: notebooks/07_keras_exercises.ipynb
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import os
import pkgutil
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Final

import nbformat

from course_utils.exercises import RESULTS_ENV_VAR, STATUSES, Exercise

__all__ = [
    "COMPLETED",
    "DEFAULT_TIMEOUT",
    "KERNEL_DIED",
    "Submission",
    "read_notebook",
    "read_results_log",
    "run_notebook",
    "run_submission",
]

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


_KERNEL_NAME: Final[str] = "python3"
_SKIPPED_DIRS: Final[frozenset[str]] = frozenset({".ipynb_checkpoints", "__pycache__"})
_ERROR_TEXT_LIMIT: Final[int] = 200  # characters of an exception message kept in the CSV

# Child processes running a notebook now, with their kernel's process-group file, so that an
# interrupted grading (Ctrl-C) can stop them all.
_ACTIVE: dict[subprocess.Popen[bytes], Path] = {}
_ACTIVE_LOCK = threading.Lock()
_STOPPING = threading.Event()


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


def _execute(notebook: Path, workdir: Path, timeout: float, pgid_file: Path) -> str:
    """Execute a notebook in a fresh kernel (in this process) and say how the run ended."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    try:
        nb = read_notebook(notebook)
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
    """Entry point of the child process that executes one notebook (``python -m ...runner``)."""
    parser = argparse.ArgumentParser(prog="python -m course_utils.runner", add_help=False)
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

    The child process (``python -m course_utils.runner ...``) runs nbclient with the kernel's
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
        "course_utils.runner",
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


def run_submission(
    submission: Submission, *, timeout: float = DEFAULT_TIMEOUT
) -> tuple[str, dict[str, str]]:
    """Run one submission in a scratch copy of its folder and read the outcomes it logged.

    The submission's folder is copied into a new temporary folder (symbolic links are copied
    as the files they point to, so the notebook cannot reach the originals through them); the
    notebook runs there with :func:`run_notebook`; its log is read with
    :func:`read_results_log`; the scratch folder is then deleted.

    Args:
        submission: What to run (see :func:`find_submissions`).
        timeout: Wall-clock limit in seconds for the run.

    Returns:
        How the run ended (see :func:`run_notebook`; ``"error: the submission could not be
        copied: ..."`` if the copy failed) and the last outcome of each question it checked.

    Introduced in: notebooks/07_keras_exercises.ipynb
    """
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
    return run, logged


if __name__ == "__main__":
    sys.exit(_child_main(sys.argv[1:]))
