"""Grading with Dask: ``course-utils grade --dask-scheduler`` and :mod:`course_utils.dask_backend`.

The tests that need ``distributed`` (requirements-grading.txt, installed by ``make grading``)
are marked ``pipeline``, so the unit run leaves them out; without ``distributed`` they are
skipped, except under ``CI=true``, where a missing ``distributed`` is a failure. They start a
two-worker ``distributed.LocalCluster`` (one thread per worker process) and grade a small class
of fabricated chapter 4 notebooks (NumPy only, a few seconds each). The tests of the error
without ``distributed`` hide the module, so they run everywhere.
"""

from __future__ import annotations

import importlib.metadata
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import tomllib
from grading_helpers import (
    CH04,
    CHECKS,
    IMPORTS,
    ROOT,
    SOLUTIONS,
    STUBS,
    TIMEOUT,
    answers,
    assert_documented,
    notebook,
    read_csv,
    run_main,
    write,
)

from course_utils import dask_backend
from course_utils.dask_backend import DaskUnavailable, dask_client, map_on_dask
from course_utils.grading import (
    Submission,
    assignment_manifest,
    find_submissions,
    grade_submissions,
)
from course_utils.manifest import load_manifest

IN_CI = os.environ.get("CI", "").strip().lower() == "true"
INSTALL = "pip install -r requirements-grading.txt"


def _distributed() -> Any:
    """The ``distributed`` module; skip without it, or fail under CI=true."""
    try:
        import distributed
    except ImportError:
        reason = f"distributed is not installed ({INSTALL}; `make grading` installs it)"
        if IN_CI:
            pytest.fail(f"{reason} (CI=true: the Dask tests may not be skipped)", pytrace=False)
        pytest.skip(reason)
    return distributed


# ---------------------------------------------------------------------------------------------
# Without distributed, and bad arguments (the unit run)
# ---------------------------------------------------------------------------------------------


def test_public_api_is_documented() -> None:
    assert_documented(dask_backend)


def test_missing_distributed_is_one_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # `import distributed` now fails
    manifest = load_manifest("ch04")
    with pytest.raises(DaskUnavailable, match=f"not installed: {INSTALL}"):
        grade_submissions([], manifest, dask_scheduler="tcp://127.0.0.1:8786")
    assert issubclass(DaskUnavailable, ImportError)
    write(notebook(*answers()), tmp_path / "subs" / "kim.ipynb")
    out = tmp_path / "grades.csv"
    args = ("grade", tmp_path / "subs", "--out", out, "--dask-scheduler", "tcp://127.0.0.1:8786")
    code, stdout, stderr = run_main(*args)
    assert code == 2 and stdout == ""
    assert stderr.startswith("course-utils grade: error: --dask-scheduler: grading with a Dask")
    assert INSTALL in stderr and not out.exists()


def test_bad_dask_arguments_are_refused() -> None:
    manifest = load_manifest("ch04")
    with pytest.raises(ValueError, match=r"dask_scheduler .* or client, not both"):
        grade_submissions([], manifest, dask_scheduler="tcp://a:1", client=object())
    with pytest.raises(TypeError, match="dask_scheduler must be an address string, not 8786"):
        dask_client(8786)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"dask_scheduler must be a scheduler's address"):
        dask_client("  ")
    with pytest.raises(ValueError, match=r"give either client .* or scheduler"):
        map_on_dask(abs, [1])


def test_grade_help_names_the_option() -> None:
    code, stdout, _ = run_main("grade", "--help")
    assert code == 0 and "--dask-scheduler ADDRESS" in stdout
    assert "requirements-grading.txt" in "".join(stdout.split())  # wrapped at its hyphen


# ---------------------------------------------------------------------------------------------
# A two-worker LocalCluster (make grading)
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    distributed = _distributed()
    with distributed.LocalCluster(
        n_workers=2,
        processes=True,
        threads_per_worker=1,
        dashboard_address=None,
        memory_limit=0,  # each notebook has its own limit (--memory); the workers none
    ) as local:
        yield local


@pytest.fixture(scope="module")
def client(cluster: Any) -> Iterator[Any]:
    with _distributed().Client(cluster) as connected:
        yield connected


def _small_class(root: Path) -> Path:
    """Five chapter 4 submissions: right, one wrong, stubs, a raising cell, a student folder."""
    write(notebook(*answers()), root / "correct.ipynb")
    write(notebook(*answers(wrong_q3=True)), root / "wrong.ipynb")
    write(notebook(IMPORTS, *STUBS, *CHECKS), root / "stub.ipynb")
    slip = f"{SOLUTIONS[0]}\nanswer = undefined_name\nq1.check()"
    write(notebook(IMPORTS, slip, SOLUTIONS[1], CHECKS[1]), root / "slip.ipynb")
    write(notebook(*answers()), root / "kim" / "04_lstm.ipynb")
    return root


@pytest.fixture(scope="module")
def graded(cluster: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    base = tmp_path_factory.mktemp("dask")
    subs = _small_class(base / "subs")
    done = {}
    for name, option in [
        ("jobs1", ("--jobs", "1")),
        ("jobs2", ("--jobs", "2")),
        ("dask", ("--dask-scheduler", cluster.scheduler_address)),
    ]:
        out = base / name / "grades.csv"
        common = ("grade", subs, "--out", out, "--timeout", TIMEOUT, "--chapter", "ch04")
        code, stdout, stderr = run_main(*common, *option)
        done[name] = {"code": code, "stdout": stdout, "stderr": stderr, "csv": out}
    return {"subs": subs, **done}


@pytest.mark.pipeline
def test_dask_csv_is_byte_identical_to_jobs_1_and_2(graded: dict[str, Any]) -> None:
    for name in ("jobs1", "jobs2", "dask"):
        assert graded[name]["code"] == 0, graded[name]["stderr"]
    dask = graded["dask"]["csv"].read_bytes()
    assert dask == graded["jobs1"]["csv"].read_bytes()
    assert dask == graded["jobs2"]["csv"].read_bytes()
    rows = read_csv(graded["dask"]["csv"])
    assert rows[0] == ["student", "submission", "run", *CH04, "points", "max_points"]
    points = {row[0]: row[-2] for row in rows[1:]}
    assert points == {"correct": "5", "kim": "5", "slip": "1", "stub": "0", "wrong": "4"}
    assert "on the Dask scheduler tcp://" in graded["dask"]["stdout"]
    progress = graded["dask"]["stderr"].splitlines()
    assert len(progress) == 5 and progress[-1].startswith("[5/5] ")


@pytest.mark.pipeline
def test_python_api_with_a_client_gives_the_same_grades(
    client: Any, graded: dict[str, Any]
) -> None:
    submissions = find_submissions(graded["subs"])
    manifest = assignment_manifest(submissions)
    seen: list[int] = []
    results = grade_submissions(
        submissions,
        manifest,
        timeout=TIMEOUT,
        client=client,
        progress=lambda done, total, result: seen.append(done),
    )
    local = grade_submissions(submissions, manifest, timeout=TIMEOUT, jobs=2)
    strip = [(r.submission, r.student, r.run, r.outcomes, r.score) for r in results]
    assert strip == [(r.submission, r.student, r.run, r.outcomes, r.score) for r in local]
    assert seen == [1, 2, 3, 4, 5]
    assert client.status == "running"  # a client given is left open


@pytest.mark.pipeline
def test_a_worker_that_cannot_read_a_submission_is_named(client: Any, tmp_path: Path) -> None:
    gone = tmp_path / "gone" / "04_lstm.ipynb"
    submission = Submission("gone/04_lstm.ipynb", gone, gone.parent)
    with pytest.raises(ValueError, match=f"at the same path .*: cannot read {gone}"):
        grade_submissions([submission], load_manifest("ch04"), client=client)


@pytest.mark.pipeline
def test_no_scheduler_at_the_address_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _distributed()
    monkeypatch.setattr(dask_backend, "_CONNECT_TIMEOUT", 2.0)
    write(notebook(*answers()), tmp_path / "subs" / "kim.ipynb")
    out = tmp_path / "grades.csv"
    address = "tcp://127.0.0.1:9"  # the discard port: nothing listens there
    start = time.monotonic()
    with pytest.raises(OSError, match=f"no Dask scheduler answered at {address}"):
        dask_client(address)
    code, _, stderr = run_main(
        "grade", tmp_path / "subs", "--out", out, "--dask-scheduler", address
    )
    assert code == 2 and f"--dask-scheduler {address}: no Dask scheduler answered" in stderr
    assert not out.exists() and time.monotonic() - start < 20


@pytest.mark.pipeline
def test_an_interrupt_cancels_the_unfinished_tasks(cluster: Any, client: Any) -> None:
    """Ctrl-C while grading (here: raised by the progress callback) forgets every task."""

    def interrupt(result: object) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt) as caught:
        map_on_dask(time.sleep, [0.1, 3, 3, 3], client=client, on_result=interrupt)
    # The traceback still holds the futures, so only a cancel releases their tasks.
    assert caught.traceback is not None
    deadline = time.monotonic() + 20
    while cluster.scheduler.tasks and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not cluster.scheduler.tasks, sorted(cluster.scheduler.tasks)


# ---------------------------------------------------------------------------------------------
# The extra requirements
# ---------------------------------------------------------------------------------------------


def _pins(name: str) -> dict[str, str]:
    """Package (lower case) -> exact version, from a requirements file's ``==`` lines."""
    lines = (ROOT / name).read_text(encoding="utf-8").splitlines()
    pairs = [line.split("==") for line in lines if line and not line.startswith(("#", "-"))]
    assert all(len(pair) == 2 for pair in pairs), f"{name}: every line must be NAME==VERSION"
    return {package.strip().lower(): version.strip() for package, version in pairs}


def test_dask_is_pinned_for_the_grader_and_not_for_learners() -> None:
    grading = _pins("requirements-grading.txt")
    assert {"distributed", "dask"} <= set(grading)
    assert not set(grading) & set(_pins("requirements.txt")), "pinned twice"
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    learner = [(ROOT / "requirements.in").read_text(encoding="utf-8"), *project["dependencies"]]
    for extra in project.get("optional-dependencies", {}).values():
        learner += extra
    text = "\n".join(learner).lower()
    assert "distributed" not in text and "dask" not in text


@pytest.mark.pipeline
def test_the_installed_dask_is_the_pinned_one() -> None:
    _distributed()
    pinned = _pins("requirements-grading.txt")
    installed = {name: importlib.metadata.version(name) for name in pinned}
    assert installed == pinned
