"""The ``course-utils`` command: its subcommands, their options and refusals, end to end.

The grading tests execute small fabricated notebooks that import ``course_utils.checks.ch04``
(NumPy only, no TensorFlow), so each run takes a few seconds; one test runs the real chapter 0
notebook end to end. The modules behind the command have their own tests (test_grading.py,
test_student.py, test_manifest.py, test_gradebook.py, test_gradescope.py).
"""

from __future__ import annotations

import ast
import inspect
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import pytest
from grading_helpers import (
    CH04,
    CHECKS,
    EXECUTABLE,
    IMPORTS,
    ROOT,
    SOLUTIONS,
    TIMEOUT,
    answers,
    assert_documented,
    full_notebook,
    hashes,
    notebook,
    read_csv,
    run_main,
    write,
)

from course_utils import cli, gradebook, gradescope, grading, manifest, student
from course_utils.cli import main

MODULES = [cli, grading, student, manifest, gradebook, gradescope]
ROSTER = (
    "id,name,email\n"
    "alice,Alice Kim,alice@example.invalid\n"
    "correct,김민지,minji@example.invalid\n"
    "dies,Dana Lee,\n"
    "hang,Hana Park,\n"
    "raises,Ravi Rao,\n"
    "stub,Sam Stub,\n"
    "wrong,이서준,seojun@example.invalid\n"
    "absent,박지우,jiwoo@example.invalid\n"
)


# ---------------------------------------------------------------------------------------------
# The module and the command
# ---------------------------------------------------------------------------------------------


def test_public_api_is_documented() -> None:
    assert_documented(cli)


def test_the_engine_can_still_be_imported_from_cli() -> None:
    """The grading engine and the student writer moved out of cli; the old imports still work."""
    from course_utils.cli import grade_submission, student_notebook

    assert grade_submission is grading.grade_submission
    assert student_notebook is student.student_notebook
    for name in [*grading.__all__, *student.__all__]:
        assert getattr(cli, name) is getattr(grading if name in grading.__all__ else student, name)
    with pytest.raises(AttributeError, match="has no attribute 'frobnicate'"):
        cli.frobnicate  # noqa: B018


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_the_instructors_tools_never_import_tensorflow(module: object) -> None:
    imported: set[str] = set()
    for node in ast.walk(ast.parse(inspect.getsource(module))):
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    assert imported.isdisjoint({"tensorflow", "keras"}), imported


def test_help_of_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    text = capsys.readouterr().out
    assert all(c in text for c in ("student", "manifest", "grade", "gradescope"))
    assert main(["student", "--help"]) == 0
    text = capsys.readouterr().out
    assert "usage: course-utils student" in text and "solution" in text
    assert main(["grade", "--help"]) == 0
    text = capsys.readouterr().out
    assert "usage: course-utils grade" in text and "--timeout" in text and "--jobs" in text
    options = ["--chapter", "--roster", "--feedback", "--canvas", "--moodle", "--assignment"]
    for option in [*options, "--memory", "--isolation"]:
        assert option in text, option
    assert main(["manifest", "--help"]) == 0
    assert "--json" in capsys.readouterr().out
    assert main(["gradescope", "--help"]) == 0
    assert "run_autograder" in capsys.readouterr().out
    assert main([]) == 2
    assert main(["frobnicate"]) == 2


def test_manifest_command(tmp_path: Path) -> None:
    code, out, err = run_main("manifest", "ch07")
    assert code == 0, err
    assert out.splitlines()[-1] == "ch07: 8 graded questions, 15 points in all"
    code, out, err = run_main("manifest", "1", "--json")
    assert code == 0 and json.loads(out)["total_points"] == 5
    code, out, err = run_main("manifest", "ch42")
    assert code == 2 and err.startswith("course-utils manifest: error: chapter must be one of")


def test_the_instructors_page_shows_the_manifest_command(tmp_path: Path) -> None:
    """book/manifest_example.txt, included in book/instructors.md, is what `manifest` prints."""
    code, out, err = run_main("manifest", "ch07")
    assert code == 0, err
    assert (ROOT / "book" / "manifest_example.txt").read_text(encoding="utf-8") == out, (
        "book/manifest_example.txt differs: write it with `course-utils manifest ch07`"
    )


def test_gradescope_command(tmp_path: Path) -> None:
    code, out, err = run_main("gradescope", "7", "--out", tmp_path / "gs", "--timeout", "900")
    assert code == 0, err
    zip_path = tmp_path / "gs" / "gradescope-ch07.zip"
    assert out.strip() == f"wrote {zip_path} (ch07: 8 questions, 15 points)"
    with zipfile.ZipFile(zip_path) as archive:
        run = archive.read("run_autograder").decode()
    assert "--chapter ch07 --timeout 900" in run
    (tmp_path / "file").write_text("x", encoding="utf-8")
    code, _, err = run_main("gradescope", "7", "--out", tmp_path / "file")
    assert code == 2 and "is a file; give a folder" in err
    code, _, err = run_main("gradescope", "ch99", "--out", tmp_path / "gs")
    assert code == 2 and "chapter must be one of" in err


def test_grade_refuses_usage_errors(tmp_path: Path) -> None:
    subs = tmp_path / "subs"
    out = tmp_path / "grades.csv"

    def refused(*args: object) -> str:
        code, stdout, err = run_main("grade", *args)
        assert code == 2, (stdout, err)
        assert "course-utils grade: error: " in err
        return err

    assert "no such folder" in refused(subs, "--out", out)
    subs.mkdir()
    (subs / "notes.txt").write_text("x", encoding="utf-8")
    assert "not a folder" in refused(subs / "notes.txt", "--out", out)
    assert "no notebooks to grade" in refused(subs, "--out", out)
    write(notebook("1"), subs / "a.ipynb")
    assert "inside the graded folder" in refused(subs, "--out", subs / "grades.csv")
    for option in ("--feedback", "--canvas", "--moodle"):
        err = refused(subs, "--out", out, option, subs / "x")
        assert f"{option} {subs / 'x'} is inside the graded folder" in err
    assert "--out" in refused(subs, "--out", tmp_path) and "is a folder" in refused(
        subs, "--out", out, "--canvas", tmp_path
    )
    assert "--feedback" in refused(subs, "--out", out, "--feedback", subs / "notes.txt")
    for bad in ["0", "-5", "abc", "nan", "inf"]:
        assert "must be a positive number of seconds" in refused(
            subs, "--out", out, "--timeout", bad
        )
    assert "must be a positive whole number" in refused(subs, "--out", out, "--jobs", "0")
    assert "must be a whole number of MB" in refused(subs, "--out", out, "--memory", "-1")
    assert "invalid choice: 'docker'" in refused(subs, "--out", out, "--isolation", "docker")
    assert "required: --out" in refused(subs)
    assert "chapter is unknown; give it with --chapter" in refused(subs, "--out", out)
    assert "--chapter: chapter must be one of" in refused(subs, "--out", out, "--chapter", "x")
    roster = tmp_path / "roster.csv"
    roster.write_text("name,email\nKim,k@example.invalid\n", encoding="utf-8")
    assert "no id column" in refused(subs, "--out", out, "--roster", roster)
    assert "cannot be read" in refused(subs, "--out", out, "--roster", tmp_path / "none.csv")
    assert not out.exists()


def test_console_script_is_installed() -> None:
    assert EXECUTABLE.is_file(), "run `pip install -e .` so that .venv/bin/course-utils exists"
    done = subprocess.run(
        [str(EXECUTABLE), "grade", "--help"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0 and "usage: course-utils grade" in done.stdout


@pytest.mark.parametrize("how", ["course-utils _run", "python -m course_utils.grading"])
def test_both_child_commands_run_one_notebook(tmp_path: Path, how: str) -> None:
    """The grader starts ``python -m course_utils.grading``; ``course-utils _run`` still works."""
    path = write(notebook("print('hello')"), tmp_path / "work" / "one.ipynb")
    status = tmp_path / "status.json"
    args = [
        str(path),
        str(path.parent),
        "--timeout",
        str(TIMEOUT),
        "--status",
        str(status),
        "--kernel-pgid",
        str(tmp_path / "kernel.pgid"),
    ]
    if how == "course-utils _run":
        assert main(["_run", *args]) == 0
    else:
        done = subprocess.run(
            [sys.executable, "-m", "course_utils.grading", *args],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
    assert json.loads(status.read_text(encoding="utf-8"))["run"] == "completed"


@pytest.fixture(scope="module")
def submissions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A folder of fabricated submissions (that no process outlives a run: test_sandbox.py)."""
    base = tmp_path_factory.mktemp("grading")
    subs = base / "submissions"
    correct = answers()
    # failed first, passed later: the last counts
    correct[1:1] = [
        "def remembering_units(forget, fillers, threshold=0.9):\n    return []",
        CHECKS[0],
    ]
    # A notebook at the top runs in a copy of the folder without the student folders.
    correct.insert(0, "import os\nassert not os.path.exists('alice')")
    write(notebook(*correct), subs / "correct.ipynb")
    write(notebook(*answers(wrong_q3=True)), subs / "wrong.ipynb")
    hang = "import subprocess, time\nchild = subprocess.Popen(['sleep', '1000'])\ntime.sleep(1000)"
    write(notebook(*answers(stop_after_q1=hang)), subs / "hang.ipynb")
    write(notebook(*answers(stop_after_q1="import os\nos._exit(1)")), subs / "dies.ipynb")
    raises = "raise ValueError('boom\\nsecond line')"
    write(notebook(*answers(stop_after_q1=raises)), subs / "raises.ipynb")
    # The student version of the instructor's notebook, handed back untouched.
    full = write(full_notebook(), base / "full" / "stub.ipynb")
    assert main(["student", str(full), "--out", str(subs)]) == 0
    # A student folder with data, whose notebook empties its working directory.
    alice = subs / "alice"
    (alice / "data").mkdir(parents=True)
    (alice / "data.txt").write_text("precious data\n", encoding="utf-8")
    (alice / "data" / "nested.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    wreck = (
        "import glob, os, shutil\n"
        "assert open('data.txt').read() == 'precious data\\n'\n"
        "open('data.txt', 'w').write('overwritten')\n"
        "shutil.rmtree('data')\n"
        "for f in glob.glob('*'):\n"
        "    os.remove(f)\n"
        "assert os.listdir('.') == []"
    )
    # It also imports another chapter and runs the check of its written exercise (1.5): the
    # assignment is chapter 4, so nothing of chapter 1 gets a column.
    second = "from course_utils.checks.ch01 import q5\nq5.check()"
    write(notebook(wreck, IMPORTS, SOLUTIONS[0], CHECKS[0], second), alice / "work.ipynb")
    checkpoint = notebook("raise SystemExit('never graded')")
    write(checkpoint, alice / ".ipynb_checkpoints" / "work-checkpoint.ipynb")
    return {"base": base, "subs": subs}


# ---------------------------------------------------------------------------------------------
# grade: fabricated submissions, executed
# ---------------------------------------------------------------------------------------------


def _row(student_id: str, name: str, run: str, ch04: list[str], points: int) -> list[str]:
    submission = f"{student_id}.ipynb" if student_id != "alice" else "alice/work.ipynb"
    return [student_id, name, submission, run, *ch04, str(points), "5"]


def _expected_rows(timeout: int) -> list[list[str]]:
    not_run = ["not run"] * 4
    return [
        ["student", "name", "submission", "run", *CH04, "points", "max_points"],
        ["absent", "박지우", "", "no submission", *["not attempted"] * 5, "0", "5"],
        _row("alice", "Alice Kim", "completed", ["passed"] + ["not attempted"] * 4, 1),
        _row("correct", "김민지", "completed", ["passed"] * 5, 5),
        _row("dies", "Dana Lee", "kernel died", ["not run", *not_run], 0),
        _row("hang", "Hana Park", f"timeout after {timeout} s", ["passed", *not_run], 1),
        _row("raises", "Ravi Rao", "completed with 1 cell error", ["passed"] * 5, 5),
        _row("stub", "Sam Stub", "completed", ["not attempted"] * 5, 0),
        _row("wrong", "이서준", "completed", ["passed", "passed", "failed", "passed", "passed"], 4),
    ]


def _grade_args(subs: Path, out: Path, roster: Path) -> list[str]:
    """The grade command with every output: the CSV, feedback, Canvas and Moodle."""
    return [
        "grade",
        str(subs),
        "--chapter",
        "ch04",
        "--roster",
        str(roster),
        "--out",
        str(out / "grades.csv"),
        "--feedback",
        str(out / "feedback"),
        "--canvas",
        str(out / "canvas.csv"),
        "--moodle",
        str(out / "moodle.csv"),
        "--timeout",
        str(TIMEOUT),
        "--seed",
        "2026",
    ]


@pytest.fixture(scope="module")
def graded_in_process(submissions: dict[str, Path]) -> dict[str, object]:
    """`main(["grade", ...])` with one job, temporary folders in a folder of our own."""
    base, subs = submissions["base"], submissions["subs"]
    before = hashes(subs)
    scratch = base / "tmp-in-process"
    scratch.mkdir()
    out = base / "out-1"
    roster = base / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8-sig")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(tempfile, "tempdir", str(scratch))
        start = time.monotonic()
        code, stdout, stderr = run_main(*_grade_args(subs, out, roster))
        seconds = time.monotonic() - start
    return {
        "code": code,
        "stdout": stdout,
        "stderr": stderr,
        "out": out,
        "csv": out / "grades.csv",
        "before": before,
        "after": hashes(subs),
        "scratch_left": list(scratch.iterdir()),
        "seconds": seconds,
    }


@pytest.fixture(scope="module")
def graded_by_executable(
    submissions: dict[str, Path], graded_in_process: dict[str, object]
) -> dict[str, object]:
    """The installed `course-utils` executable with --jobs 2."""
    base, subs = submissions["base"], submissions["subs"]
    scratch = base / "tmp-executable"
    scratch.mkdir()
    out = base / "out-2"
    env = dict(os.environ, TMPDIR=str(scratch))
    command = [str(EXECUTABLE), *_grade_args(subs, out, base / "roster.csv"), "--jobs", "2"]
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)
    return {
        "code": done.returncode,
        "stdout": done.stdout,
        "stderr": done.stderr,
        "out": out,
        "csv": out / "grades.csv",
        "after": hashes(subs),
        "scratch_left": list(scratch.iterdir()),
    }


@pytest.mark.slow
def test_grade_csv_is_exactly_as_specified(graded_in_process: dict[str, object]) -> None:
    assert graded_in_process["code"] == 0, graded_in_process["stderr"]
    assert read_csv(graded_in_process["csv"]) == _expected_rows(TIMEOUT)


@pytest.mark.slow
def test_grade_prints_progress_and_a_summary(graded_in_process: dict[str, object]) -> None:
    stdout = str(graded_in_process["stdout"])
    lines = [" ".join(line.split()) for line in stdout.splitlines()]
    assert lines[0].startswith("graded 7 submissions of ch04 (5 questions, 5 points) in")
    assert "grades.csv, feedback in" in lines[0] and lines[0].endswith("moodle.csv")
    assert lines[2] == "student points run"
    assert "correct 5/5 completed" in lines
    # A run stopped by the time limit has what it reached judged; a dead kernel exports nothing.
    assert f"hang 1/5 timeout after {TIMEOUT} s" in lines
    assert "dies 0/5 kernel died" in lines and "absent 0/5 no submission" in lines
    assert "question passed" in lines
    assert "Exercise 4.1 5/8" in lines  # correct, raises, wrong, alice and hang
    assert "Exercise 4.3 2/8" in lines
    assert not any(line.startswith("Exercise 1.") for line in lines)
    progress = str(graded_in_process["stderr"]).splitlines()
    assert len(progress) == 7 and progress[-1].startswith("[7/7] ")


@pytest.mark.slow
def test_grade_writes_feedback_and_gradebooks(graded_in_process: dict[str, object]) -> None:
    out = Path(str(graded_in_process["out"]))
    feedback = sorted(p.name for p in (out / "feedback").iterdir())
    assert feedback == [f"{s}.md" for s in ROSTER_IDS]
    wrong = (out / "feedback" / "wrong.md").read_text(encoding="utf-8")
    assert "Points: 4 of 5." in wrong and "## Exercise 4.3 (q3): failed, 0 of 1 point" in wrong
    canvas = read_csv(out / "canvas.csv")
    assert canvas[0] == [
        "Student",
        "ID",
        "SIS User ID",
        "SIS Login ID",
        "Section",
        "Chapter 4 (ch04)",
    ]
    assert ["김민지", "", "correct", "minji@example.invalid", "", "5"] in canvas
    moodle = read_csv(out / "moodle.csv")
    assert moodle[0] == ["ID number", "Email address", "Full name", "Chapter 4 (ch04)"]
    assert ["absent", "jiwoo@example.invalid", "박지우", "0"] in moodle and len(moodle) == 9


ROSTER_IDS = sorted(line.split(",")[0] for line in ROSTER.splitlines()[1:])


@pytest.mark.slow
def test_grade_never_modifies_submissions_and_cleans_up(
    submissions: dict[str, Path],
    graded_in_process: dict[str, object],
    graded_by_executable: dict[str, object],
) -> None:
    before = graded_in_process["before"]
    assert "alice/data.txt" in before and "alice/data/nested.csv" in before
    assert graded_in_process["after"] == before
    assert graded_by_executable["after"] == before
    assert graded_in_process["scratch_left"] == []
    assert graded_by_executable["scratch_left"] == []


@pytest.mark.slow
def test_two_jobs_give_the_same_csv_through_the_executable(
    graded_in_process: dict[str, object], graded_by_executable: dict[str, object]
) -> None:
    assert graded_by_executable["code"] == 0, graded_by_executable["stderr"]
    assert "2 at a time" in str(graded_by_executable["stdout"])
    one, two = Path(str(graded_in_process["out"])), Path(str(graded_by_executable["out"]))
    assert hashes(one) == hashes(two)
    assert len(hashes(one)) == 3 + len(ROSTER_IDS)  # three CSVs and the feedback files


@pytest.mark.slow
def test_the_instructors_page_shows_real_output(graded_in_process: dict[str, object]) -> None:
    """book/grades_example.csv and book/feedback_example.txt, included in book/instructors.md,
    are what `grade` wrote."""
    shown = read_csv(ROOT / "book" / "grades_example.csv")
    assert shown == read_csv(graded_in_process["csv"]), (
        "book/grades_example.csv differs from the grades of the fabricated submissions; "
        "copy the CSV that `course-utils grade` writes in this test"
    )
    feedback = Path(str(graded_in_process["out"])) / "feedback" / "wrong.md"
    assert (ROOT / "book" / "feedback_example.txt").read_text(encoding="utf-8") == (
        feedback.read_text(encoding="utf-8")
    ), "book/feedback_example.txt differs: copy feedback/wrong.md that this test writes"


# ---------------------------------------------------------------------------------------------
# The real chapter 0 notebook, full and student versions
# ---------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_real_chapter_notebook_full_and_student(tmp_path: Path) -> None:
    name = "00_data_and_tools.ipynb"
    subs = tmp_path / "subs"
    (subs / "full").mkdir(parents=True)
    shutil.copy(ROOT / "notebooks" / name, subs / "full" / name)
    code, _, err = run_main("student", ROOT / "notebooks" / name, "--out", subs / "student")
    assert code == 0, err
    out = tmp_path / "grades.csv"
    code, stdout, err = run_main("grade", subs, "--out", out, "--jobs", "2", "--timeout", "300")
    assert code == 0, err
    questions = ["Exercise 0.1", "Exercise 0.2", "Exercise 0.3"]
    assert read_csv(out) == [
        ["student", "submission", "run", *questions, "points", "max_points"],
        ["full", f"full/{name}", "completed", "passed", "passed", "passed", "3", "3"],
        ["student", f"student/{name}", "completed", *["not attempted"] * 3, "0", "3"],
    ]
    assert "full         3/3  completed" in stdout
