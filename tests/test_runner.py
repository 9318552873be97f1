"""Tests of :mod:`course_utils.runner`: one run of a submission, going on after a cell error.

The runs execute tiny fabricated notebooks that import ``course_utils.checks.ch04`` (NumPy
only, no TensorFlow), so that each takes a few seconds. The attacks on the sandbox are in
``tests/test_sandbox.py``.
"""

from __future__ import annotations

import doctest
from pathlib import Path

import nbformat
import pytest
from grading_helpers import CH04, IMPORTS, SOLUTIONS, assert_names_documented, notebook

from course_utils import runner
from course_utils.runner import CellError, RunReport, Submission, run_submission

TIMEOUT = 60  # seconds per fabricated notebook; one runs in 2-4 s
CHECKS = [f"q{i}.check()" for i in range(1, 6)]


def submission(nb: nbformat.NotebookNode, root: Path, name: str) -> Submission:
    """Write ``nb`` as ``root/name`` and describe it as find_submissions would."""
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return Submission(name, path, path.parent)


def answers(replace_first: str | None = None) -> list[str]:
    """The cells of a correct submission; ``replace_first`` replaces the 4.1 answer cell."""
    sources = [IMPORTS]
    for i, (solution, check) in enumerate(zip(SOLUTIONS, CHECKS, strict=True)):
        sources += [replace_first if i == 0 and replace_first is not None else solution, check]
    return sources


@pytest.mark.slow
def test_a_name_error_in_the_41_cell_leaves_42_to_45_graded(tmp_path: Path) -> None:
    """Issue 17, item 3: the 4.1 cell raises a NameError, 4.2-4.5 are right and count."""
    sources = answers(replace_first="remembering_units = helper_that_was_never_defined")
    sub = submission(notebook(*sources), tmp_path / "subs", "nameerror.ipynb")
    run, logged = run_submission(sub, timeout=TIMEOUT)  # the form older callers use
    assert {q: logged.get(q) for q in CH04[1:]} == dict.fromkeys(CH04[1:], "passed")
    assert logged.get("Exercise 4.1") != "passed"
    assert run == "completed with 1 cell error"


@pytest.mark.slow
def test_the_report_names_the_cells_that_raised_and_what_they_check(tmp_path: Path) -> None:
    raising_check = "from course_utils.checks import ch04 as chapter\nnope()\nchapter.q2.check()"
    sources = [IMPORTS, "1 / 0", SOLUTIONS[0], CHECKS[0], raising_check, "q5.check(); nope"]
    sub = submission(notebook(*sources), tmp_path / "subs", "alice/work.ipynb")
    report = run_submission(sub, timeout=TIMEOUT)
    assert isinstance(report, RunReport) and report.completed
    assert report.run == "completed with 3 cell errors"
    assert report.cell_errors == (
        CellError(2, "ZeroDivisionError", "division by zero", ()),
        CellError(5, "NameError", "name 'nope' is not defined", ("Exercise 4.2",)),
        CellError(6, "NameError", "name 'nope' is not defined", ("Exercise 4.5",)),
    )
    assert report.cell_errors[1].text == "error: NameError: name 'nope' is not defined"
    assert report.logged == {"Exercise 4.1": "passed", "Exercise 4.5": "not attempted"}
    assert set(report.messages) == set(report.logged)
    assert all(isinstance(m, str) and m for m in report.messages.values())
    assert report.isolation in ("bwrap", "unshare", "none")


@pytest.mark.slow
def test_a_dead_kernel_still_stops_the_run(tmp_path: Path) -> None:
    sources = [IMPORTS, SOLUTIONS[0], CHECKS[0], "import os\nos._exit(1)", "1 / 0", CHECKS[1]]
    sub = submission(notebook(*sources), tmp_path / "subs", "dies.ipynb")
    report = run_submission(sub, timeout=TIMEOUT)
    assert (report.run, report.completed, report.cell_errors) == ("kernel died", False, ())
    assert report.logged == {"Exercise 4.1": "passed"}


def test_checked_questions_follow_the_imports() -> None:
    sources = [
        "from course_utils.checks.ch04 import (\n    q1,\n    q2 as second,  # renamed\n)",
        "import course_utils.checks.ch01 as c1\nfrom course_utils.checks import ch03",
        "q1.check()\nsecond.check()\nq3.check()\nc1.q1.check()\nch03.q2.check()\nx.q1.check()",
        "c1.q5.check()  # a written exercise: never graded",
    ]
    assert runner._checked_questions(sources, 2) == (
        "Exercise 4.1",
        "Exercise 4.2",
        "Exercise 1.1",
        "Exercise 3.2",
    )
    assert runner._checked_questions(sources, 3) == ()
    assert runner._checked_questions(sources, 0) == ()
    assert runner._checked_questions(["q1.check()"], 0) == ()  # nothing imported


def test_the_report_unpacks_as_the_old_pair() -> None:
    report = RunReport("completed", {"Exercise 4.1": "passed"}, completed=True)
    run, logged = report
    assert (run, logged) == ("completed", {"Exercise 4.1": "passed"})


def test_bad_arguments_are_refused(tmp_path: Path) -> None:
    sub = submission(notebook("1"), tmp_path, "a.ipynb")
    for bad in (0, -1, 2.5, True, "3 GB"):
        with pytest.raises(ValueError, match="memory_mb must be a positive int"):
            run_submission(sub, memory_mb=bad)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="isolation must be one of auto, bwrap, unshare, none"):
        run_submission(sub, isolation="docker")
    with pytest.raises(ValueError, match="kind must be one of bwrap, unshare, none"):
        runner.isolation_available("auto")
    assert not list(tmp_path.glob("course-utils-grade-*"))


def test_no_sandbox_is_said_once_on_stderr(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(runner, "isolation_available", lambda kind: kind == "none")
    monkeypatch.setattr(runner, "_WARNED", set())
    assert runner._choose_isolation("auto") == "none"
    assert runner._choose_isolation("auto") == "none"
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("course-utils grade: warning: no sandbox")
    with pytest.raises(ValueError, match="isolation 'bwrap' is not available on this machine"):
        runner._choose_isolation("bwrap")


def test_public_names_are_documented() -> None:
    assert_names_documented(runner)
    failures, _ = doctest.testmod(runner, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert failures == 0


def test_a_kernel_that_fails_to_start_is_started_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two kernels started at once can pick the same port; the loser dies before its first
    reply. That is the grader's failure, not the notebook's: the run starts another kernel."""
    import nbclient

    real_execute = nbclient.NotebookClient.execute
    calls: list[int] = []

    def flaky_execute(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("Kernel died before replying to kernel_info")
        return real_execute(self, *args, **kwargs)

    monkeypatch.setattr(nbclient.NotebookClient, "execute", flaky_execute)
    path = tmp_path / "work.ipynb"
    nbformat.write(notebook("x = 1 + 1", "print(x)"), path)
    status = runner._execute(path, tmp_path, 60.0, tmp_path / "kernel.pgid")
    assert (status["run"], status["completed"], len(calls)) == ("completed", True, 2)


def test_a_kernel_that_never_starts_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import nbclient

    def dead_execute(self, *args, **kwargs):
        raise RuntimeError("Kernel died before replying to kernel_info")

    monkeypatch.setattr(nbclient.NotebookClient, "execute", dead_execute)
    path = tmp_path / "work.ipynb"
    nbformat.write(notebook("x = 1"), path)
    status = runner._execute(path, tmp_path, 60.0, tmp_path / "kernel.pgid")
    assert status["run"] == "error: RuntimeError: Kernel died before replying to kernel_info"
    assert not status["completed"]
