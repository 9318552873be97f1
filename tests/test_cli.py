"""The ``course-utils`` command and the modules it calls: student notebooks and grading.

The grading tests execute small fabricated notebooks that import ``course_utils.checks.ch04``
(NumPy only, no TensorFlow), so each run takes a few seconds; one test runs the real chapter 0
notebook end to end.
"""

from __future__ import annotations

import ast
import contextlib
import csv
import doctest
import hashlib
import inspect
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from course_utils import cli, grading
from course_utils import student as student_module
from course_utils.checks import ch04
from course_utils.cli import main
from course_utils.grading import (
    GradeResult,
    Submission,
    find_submissions,
    format_summary,
    questions_of_notebook,
    read_results_log,
    score_outcomes,
)
from course_utils.student import ANSWER_REMOVED, _without_folded_answers, student_notebook

ROOT = Path(__file__).resolve().parent.parent
INTRODUCED = "Introduced in: notebooks/07_keras_exercises.ipynb"
EXECUTABLE = Path(sys.executable).with_name("course-utils")
TIMEOUT = 20  # seconds per fabricated notebook; a normal one runs in 2-3 s

CH04 = [f"Exercise 4.{i}" for i in range(1, 6)]
CH01 = [f"Exercise 1.{i}" for i in (1, 2, 3, 4, 6)]  # 1.5 is written: not graded
IMPORTS = (
    "import numpy as np\n\n"
    "from course_utils.checks.ch04 import q1, q2, q3, q4, q5\n"
    "from course_utils.exercises import ____"
)
STUBS = [
    "def remembering_units(forget, fillers, threshold=0.9):\n    return ____",
    "def lstm_step(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias):\n    return ____",
    "def keep(c_prev, g):\n    return ____",
    "def forget_block(kernel, units):\n    return ____",
    "answer_q5 = [____, ____, ____]",
]
SOLUTIONS = [
    "def remembering_units(forget, fillers, threshold=0.9):\n"
    "    return np.flatnonzero((np.asarray(forget)[fillers] > threshold).all(axis=0))",
    "def lstm_step(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias):\n"
    "    z = x_t @ kernel + h_prev @ recurrent_kernel + bias\n"
    "    i, f, g, o = np.split(z, 4, axis=-1)\n"
    "    i, f, o = (1 / (1 + np.exp(-v)) for v in (i, f, o))\n"
    "    c_t = f * c_prev + i * np.tanh(g)\n"
    "    return o * np.tanh(c_t), c_t",
    "def keep(c_prev, g):\n    return c_prev",
    "def forget_block(kernel, units):\n    return kernel[:, units : 2 * units]",
    "answer_q5 = [(8, 5, 16), (8, 16), (8, 16)]",
]
CHECKS = [f"# NBVAL_CHECK_OUTPUT\nq{i}.check()" for i in range(1, 6)]


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def _notebook(*sources: str) -> nbformat.NotebookNode:
    """A notebook of code cells with the course's kernelspec."""
    nb = new_notebook(cells=[new_code_cell(s) for s in sources])
    nb.metadata["kernelspec"] = {
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
        "name": "python3",
    }
    return nb


def _full_notebook() -> nbformat.NotebookNode:
    """An instructor's notebook: prose, setup, then five exercises (stub, solution, check)."""
    nb = new_notebook()
    nb.metadata.update(
        kernelspec={
            "display_name": "Python 3 (ipykernel)",
            "language": "python",
            "name": "python3",
        },
        language_info={"name": "python"},
        course={"chapter": 4},
    )
    setup = new_code_cell(IMPORTS, metadata={"tags": ["hide-cell"], "custom": {"k": [1, 2]}})
    setup.outputs = [new_output("stream", name="stdout", text="stale output\n")]
    setup.execution_count = 7
    cells = [new_markdown_cell("# Exercises\n\nSome prose.", metadata={"tags": ["intro"]}), setup]
    for i, (stub, solution, check) in enumerate(zip(STUBS, SOLUTIONS, CHECKS, strict=True), 1):
        cells.append(new_markdown_cell(f"**Exercise 4.{i}.** Do it."))
        cells.append(new_code_cell(stub))
        sol = new_code_cell(solution, metadata={"tags": ["solution", "hide-cell"]})
        sol.outputs = [new_output("execute_result", data={"text/plain": "1"}, execution_count=3)]
        cells.append(sol)
        cells.append(new_code_cell(check))
    cells.append(new_markdown_cell("## Summary"))
    nb.cells = cells
    return nb


def _answers(*, wrong_q3: bool = False, stop_after_q1: str | None = None) -> list[str]:
    """Code cells of a submission: imports, then each answer followed by its check."""
    sources = [IMPORTS]
    for i, (solution, check) in enumerate(zip(SOLUTIONS, CHECKS, strict=True), 1):
        if i == 3 and wrong_q3:
            solution = "def keep(c_prev, g):\n    return g"
        sources += [solution, check]
        if i == 1 and stop_after_q1 is not None:
            sources.append(stop_after_q1)
    return sources


def _write(nb: nbformat.NotebookNode, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


def _hashes(folder: Path) -> dict[str, str]:
    """Relative path -> SHA-256 of every file under ``folder``."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _alive(pid: int) -> bool:
    """Whether a process exists and is not a zombie."""
    stat_file = Path(f"/proc/{pid}/stat")
    if Path("/proc").is_dir():
        try:
            state = stat_file.read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            return False
        return state not in {"Z", "X"}
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _run_main(*args: str) -> tuple[int, str, str]:
    """Call ``main`` and capture what it prints."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in args])
    return code, out.getvalue(), err.getvalue()


def _read_csv(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as stream:
        return list(csv.reader(stream))


# ---------------------------------------------------------------------------------------------
# The module
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("module", [cli, grading, student_module], ids=lambda m: m.__name__)
def test_public_api_is_documented(module: object) -> None:
    assert INTRODUCED in (inspect.getdoc(module) or "")
    for name in module.__all__:
        obj = getattr(module, name)
        if inspect.isfunction(obj) or inspect.isclass(obj):
            doc = inspect.getdoc(obj) or ""
            assert doc.rstrip().endswith(INTRODUCED), name
        if inspect.isfunction(obj) and inspect.signature(obj).parameters:
            assert "Args:" in (inspect.getdoc(obj) or ""), name


def test_the_engine_can_still_be_imported_from_cli() -> None:
    """The grading engine and the student writer moved out of cli; the old imports still work."""
    for name in cli.__all__:
        if name in ("build_parser", "main"):
            assert getattr(cli, name).__module__ == cli.__name__
            continue
        home = grading if name in grading.__all__ else student_module
        assert name in home.__all__, name
        assert getattr(cli, name) is getattr(home, name), name


def test_docstring_examples_are_correct() -> None:
    for module in (grading, student_module):
        failures, _ = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
        assert failures == 0, module.__name__


def test_score_outcomes_tells_not_attempted_from_not_run() -> None:
    questions = ["Exercise 4.10", "Exercise 4.2"]
    logged = {"Exercise 4.2": "failed", "Exercise 1.1": "passed"}  # 1.1: logged, not imported
    assert score_outcomes(questions, logged, "completed") == {
        "Exercise 1.1": "passed",
        "Exercise 4.2": "failed",
        "Exercise 4.10": "not attempted",
    }
    assert score_outcomes(questions, {}, "timeout after 5 s") == {
        "Exercise 4.2": "not run",
        "Exercise 4.10": "not run",
    }


@pytest.mark.parametrize("module", [cli, grading, student_module], ids=lambda m: m.__name__)
def test_cli_never_imports_tensorflow(module: object) -> None:
    imported: set[str] = set()
    for node in ast.walk(ast.parse(inspect.getsource(module))):
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    assert imported.isdisjoint({"tensorflow", "keras"}), imported


def test_help_of_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    assert "student" in capsys.readouterr().out
    assert main(["student", "--help"]) == 0
    text = capsys.readouterr().out
    assert "usage: course-utils student" in text and "solution" in text
    assert main(["grade", "--help"]) == 0
    text = capsys.readouterr().out
    assert "usage: course-utils grade" in text and "--timeout" in text and "--jobs" in text
    assert main([]) == 2
    assert main(["frobnicate"]) == 2


def test_console_script_is_installed() -> None:
    assert EXECUTABLE.is_file(), "run `pip install -e .` so that .venv/bin/course-utils exists"
    done = subprocess.run(
        [str(EXECUTABLE), "grade", "--help"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0 and "usage: course-utils grade" in done.stdout


@pytest.mark.parametrize("how", ["course-utils _run", "python -m course_utils.grading"])
def test_both_child_commands_run_one_notebook(tmp_path: Path, how: str) -> None:
    """The grader starts ``python -m course_utils.grading``; ``course-utils _run`` still works."""
    notebook = _write(_notebook("print('hello')"), tmp_path / "work" / "one.ipynb")
    status = tmp_path / "status.json"
    args = [
        str(notebook),
        str(notebook.parent),
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
    assert json.loads(status.read_text(encoding="utf-8")) == {"run": "completed"}


# ---------------------------------------------------------------------------------------------
# student
# ---------------------------------------------------------------------------------------------


def test_student_notebook_removes_solutions_and_keeps_the_rest() -> None:
    full = _full_notebook()
    before = json.dumps(full, sort_keys=True)
    student, removed = student_notebook(full)
    assert json.dumps(full, sort_keys=True) == before, "the argument must not be modified"
    assert removed == 5
    expected = [c for c in full.cells if "solution" not in c.metadata.get("tags", [])]
    assert [c.id for c in student.cells] == [c.id for c in expected]
    assert [c.source for c in student.cells] == [c.source for c in expected]
    assert [c.metadata for c in student.cells] == [c.metadata for c in expected]
    assert student.metadata == full.metadata
    assert (student.nbformat, student.nbformat_minor) == (full.nbformat, full.nbformat_minor)
    for cell in student.cells:
        assert "solution" not in cell.metadata.get("tags", [])
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
    sources = [c.source for c in student.cells]
    assert all(stub in sources for stub in STUBS)
    assert all(check in sources for check in CHECKS)
    assert not any(solution in sources for solution in SOLUTIONS)
    nbformat.validate(student)


def test_student_command_writes_and_reports(tmp_path: Path) -> None:
    source = _write(_full_notebook(), tmp_path / "src" / "04_demo.ipynb")
    original = source.read_bytes()
    code, out, err = _run_main("student", source.parent, "--out", tmp_path / "dist")
    assert code == 0, err
    written = tmp_path / "dist" / "04_demo.ipynb"
    assert out.splitlines() == [f"wrote {written} (5 solution cells removed)"]
    assert source.read_bytes() == original
    student = nbformat.read(written, as_version=4)
    assert len(student.cells) == len(_full_notebook().cells) - 5


def test_student_version_runs_and_reports_not_attempted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from nbclient import NotebookClient

    student, _ = student_notebook(_full_notebook())
    log = tmp_path / "results.jsonl"
    monkeypatch.setenv("COURSE_UTILS_RESULTS", str(log))
    NotebookClient(
        student,
        timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
        allow_errors=False,
    ).execute()  # raises on any error
    lines = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert [line["question"] for line in lines] == CH04
    assert {line["status"] for line in lines} == {"not attempted"}


def test_student_versions_of_the_chapter_notebooks(tmp_path: Path) -> None:
    """What `make student` does: every notebook, solutions removed, nothing else changed."""
    code, out, err = _run_main("student", ROOT / "notebooks", "--out", tmp_path)
    assert code == 0, err
    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    assert len(out.splitlines()) == len(notebooks)
    for path in notebooks:
        full = nbformat.read(path, as_version=4)
        student = nbformat.read(tmp_path / path.name, as_version=4)
        kept = [c for c in full.cells if "solution" not in c.metadata.get("tags", [])]
        is_chapter = path.name[:2].isdigit()  # appendix_*.ipynb have no exercises
        assert (len(kept) < len(full.cells)) == is_chapter, path.name
        assert [_without_folded_answers(c.source) for c in kept] == [
            c.source for c in student.cells
        ]
        assert ":class: dropdown" not in "".join(c.source for c in student.cells), path.name
        assert [c.id for c in student.cells] == [c.id for c in kept]
        assert student.metadata == full.metadata
        removed = len(full.cells) - len(kept)
        assert f"{tmp_path / path.name} ({removed} solution cells removed)" in out


def _refusal(tmp_path: Path, *args: object) -> str:
    code, out, err = _run_main("student", *args)
    assert code == 2, (out, err)
    assert err.startswith("course-utils student: error: ")
    return err


def test_student_refuses_bad_sources(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    assert "no such file or folder" in _refusal(tmp_path, tmp_path / "missing.ipynb", "--out", dist)
    text = tmp_path / "notes.txt"
    text.write_text("hello", encoding="utf-8")
    assert "not a notebook" in _refusal(tmp_path, text, "--out", dist)
    broken = tmp_path / "broken.ipynb"
    broken.write_text("{ not json", encoding="utf-8")
    err = _refusal(tmp_path, broken, "--out", dist)
    assert "broken.ipynb: not a valid notebook" in err
    empty = tmp_path / "empty"
    empty.mkdir()
    assert "has no notebooks" in _refusal(tmp_path, empty, "--out", dist)
    assert not dist.exists()


def test_student_refuses_an_out_that_would_overwrite_sources(tmp_path: Path) -> None:
    src = tmp_path / "src"
    notebook = _write(_full_notebook(), src / "04_demo.ipynb")
    original = notebook.read_bytes()
    assert "is the source" in _refusal(tmp_path, src, "--out", src)
    assert "would overwrite the source notebook" in _refusal(tmp_path, notebook, "--out", src)
    assert "exists and is not a folder" in _refusal(tmp_path, src, "--out", notebook)
    other = _write(_full_notebook(), tmp_path / "other" / "04_demo.ipynb")
    err = _refusal(tmp_path, notebook, other, "--out", tmp_path / "dist")
    assert "have the same file name" in err
    assert notebook.read_bytes() == original
    assert not (tmp_path / "dist").exists()


def test_student_refuses_a_solution_without_stub_or_check(tmp_path: Path) -> None:
    good = _write(_full_notebook(), tmp_path / "good.ipynb")
    no_check = _full_notebook()
    del no_check.cells[5]  # the check of exercise 4.1
    _write(no_check, tmp_path / "no_check.ipynb")
    no_stub = _full_notebook()
    del no_stub.cells[3]  # the stub of exercise 4.1
    _write(no_stub, tmp_path / "no_stub.ipynb")
    dist = tmp_path / "dist"
    err = _refusal(tmp_path, good, tmp_path / "no_check.ipynb", "--out", dist)
    assert "no_check.ipynb: the solution cell 5 of 22" in err
    assert "is not followed by a check cell" in err
    err = _refusal(tmp_path, tmp_path / "no_stub.ipynb", "--out", dist)
    assert "no_stub.ipynb: the solution cell 4 of 22" in err
    assert "is not preceded by a stub" in err
    assert not dist.exists(), "nothing is written when one source is refused"


def test_consecutive_solution_cells_form_one_exercise() -> None:
    nb = _notebook(IMPORTS, STUBS[0], "x = 1", SOLUTIONS[0], CHECKS[0])
    for cell in nb.cells[2:4]:
        cell.metadata["tags"] = ["solution"]
    student, removed = student_notebook(nb)
    assert removed == 2
    assert [c.source for c in student.cells] == [IMPORTS, STUBS[0], CHECKS[0]]


# ---------------------------------------------------------------------------------------------
# grade: the parts that do not execute notebooks
# ---------------------------------------------------------------------------------------------


def test_read_results_log_keeps_the_last_outcome(tmp_path: Path) -> None:
    log = tmp_path / "log.jsonl"
    lines = [
        {"question": "Exercise 4.1", "status": "failed", "message": "m", "points": 1},
        {"question": "Exercise 4.2", "status": "error", "message": "m", "points": 1},
        {"question": "Exercise 4.1", "status": "passed", "message": "m", "points": 1},
        {"question": "Exercise 4.3", "status": "great", "message": "m", "points": 1},
        ["not", "a", "dict"],
    ]
    text = "\n".join(json.dumps(line) for line in lines) + '\n{"question": "Exercise 4.4", "sta'
    log.write_text(text, encoding="utf-8")
    assert read_results_log(log) == {"Exercise 4.1": "passed", "Exercise 4.2": "error"}
    assert read_results_log(tmp_path / "missing.jsonl") == {}


def test_questions_of_a_notebook_come_from_its_checks_imports(tmp_path: Path) -> None:
    path = _write(
        _notebook(
            "from course_utils.checks.ch04 import q1  # one imported, all five count",
            "if True:\n    import course_utils.checks.ch05 as c5",
            "from course_utils.checks import ch01, ch99",
            "import course_utils.checks.ch00x",  # not a module name
        ),
        tmp_path / "nb.ipynb",
    )
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(new_markdown_cell("from course_utils.checks.ch02 import q1"))
    nbformat.write(nb, path)
    expected = CH01 + CH04 + [f"Exercise 5.{i}" for i in range(1, 6)]
    assert questions_of_notebook(path) == expected
    assert [q.label for q in (ch04.q1, ch04.q2, ch04.q3, ch04.q4, ch04.q5)] == CH04
    broken = tmp_path / "broken.ipynb"
    broken.write_text("nope", encoding="utf-8")
    assert questions_of_notebook(broken) == []


def test_find_submissions(tmp_path: Path) -> None:
    for name in ["b.ipynb", "a.ipynb", "alice/x.ipynb", "alice/deep/y.ipynb", ".hidden.ipynb"]:
        _write(_notebook("1"), tmp_path / name)
    _write(_notebook("1"), tmp_path / ".ipynb_checkpoints" / "a-checkpoint.ipynb")
    _write(_notebook("1"), tmp_path / "alice" / ".ipynb_checkpoints" / "x-checkpoint.ipynb")
    (tmp_path / "data").mkdir()
    found = find_submissions(tmp_path)
    assert [s.name for s in found] == ["a.ipynb", "alice/x.ipynb", "b.ipynb"]
    top = found[0]
    assert top.folder == tmp_path and top.exclude == ("alice",)
    assert found[1] == Submission(
        "alice/x.ipynb", tmp_path / "alice" / "x.ipynb", tmp_path / "alice"
    )


def test_natural_order_and_summary() -> None:
    results = [
        GradeResult("b.ipynb", "completed", {"Exercise 4.2": "failed", "Exercise 4.10": "passed"}),
        GradeResult(
            "a.ipynb", "kernel died", {"Exercise 4.2": "passed", "Exercise 4.10": "not run"}
        ),
    ]
    summary = format_summary(results)
    assert summary.splitlines() == [
        "submission  passed  run",
        "a.ipynb        1/2  kernel died",
        "b.ipynb        1/2  completed",
        "",
        "question       passed",
        "Exercise 4.2      1/2",
        "Exercise 4.10     1/2",
    ]


def test_grade_refuses_usage_errors(tmp_path: Path) -> None:
    subs = tmp_path / "subs"
    out = tmp_path / "grades.csv"

    def refused(*args: object) -> str:
        code, stdout, err = _run_main("grade", *args)
        assert code == 2, (stdout, err)
        return err

    assert "no such folder" in refused(subs, "--out", out)
    subs.mkdir()
    (subs / "notes.txt").write_text("x", encoding="utf-8")
    assert "not a folder" in refused(subs / "notes.txt", "--out", out)
    assert "no notebooks to grade" in refused(subs, "--out", out)
    _write(_notebook("1"), subs / "a.ipynb")
    assert "inside the graded folder" in refused(subs, "--out", subs / "grades.csv")
    assert "is a folder" in refused(subs, "--out", tmp_path)
    for bad in ["0", "-5", "abc", "nan", "inf"]:
        assert "must be a positive number of seconds" in refused(
            subs, "--out", out, "--timeout", bad
        )
    assert "must be a positive whole number" in refused(subs, "--out", out, "--jobs", "0")
    assert "required: --out" in refused(subs)
    assert not out.exists()


# ---------------------------------------------------------------------------------------------
# grade: fabricated submissions, executed
# ---------------------------------------------------------------------------------------------

EXPECTED_HEADER = ["submission", "run", *CH01, *CH04, "passed", "total"]


def _row(name: str, run: str, ch01: list[str], ch04: list[str], passed: int, total: int):
    return [name, run, *ch01, *ch04, str(passed), str(total)]


def _expected_rows(timeout: int) -> list[list[str]]:
    none = [""] * len(CH01)
    not_run = ["not run"] * 4
    return [
        EXPECTED_HEADER,
        _row(
            "alice/work.ipynb",
            "completed",
            ["not attempted"] * len(CH01),
            ["passed"] + ["not attempted"] * 4,
            1,
            len(CH01) + 5,
        ),
        _row("correct.ipynb", "completed", none, ["passed"] * 5, 5, 5),
        _row("dies.ipynb", "kernel died", none, ["passed", *not_run], 1, 5),
        _row("hang.ipynb", f"timeout after {timeout} s", none, ["passed", *not_run], 1, 5),
        _row("raises.ipynb", "error: ValueError: boom", none, ["passed", *not_run], 1, 5),
        _row("stub.ipynb", "completed", none, ["not attempted"] * 5, 0, 5),
        _row(
            "wrong.ipynb",
            "completed",
            none,
            ["passed", "passed", "failed", "passed", "passed"],
            4,
            5,
        ),
    ]


@pytest.fixture(scope="module")
def submissions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A folder of fabricated submissions, plus where the hanging one records its pids."""
    base = tmp_path_factory.mktemp("grading")
    subs = base / "submissions"
    pids = base / "hang-pids.txt"
    correct = _answers()
    # failed first, passed later: the last counts
    correct[1:1] = [
        "def remembering_units(forget, fillers, threshold=0.9):\n    return []",
        CHECKS[0],
    ]
    # A notebook at the top runs in a copy of the folder without the student folders.
    correct.insert(
        0, "import os\nassert os.path.isfile('wrong.ipynb') and not os.path.exists('alice')"
    )
    _write(_notebook(*correct), subs / "correct.ipynb")
    _write(_notebook(*_answers(wrong_q3=True)), subs / "wrong.ipynb")
    hang = (
        "import os, subprocess, time\n"
        "child = subprocess.Popen(['sleep', '1000'])\n"
        f"with open({str(pids)!r}, 'a') as f:\n"
        "    f.write(f'{os.getpid()} {child.pid}\\n')\n"
        "time.sleep(1000)"
    )
    _write(_notebook(*_answers(stop_after_q1=hang)), subs / "hang.ipynb")
    _write(_notebook(*_answers(stop_after_q1="import os\nos._exit(1)")), subs / "dies.ipynb")
    raises = "raise ValueError('boom\\nsecond line')"
    _write(_notebook(*_answers(stop_after_q1=raises)), subs / "raises.ipynb")
    # The student version of the instructor's notebook, handed back untouched.
    full = _write(_full_notebook(), base / "full" / "stub.ipynb")
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
    # It also imports a second chapter and runs the check of its written exercise (1.5), which
    # is never graded: chapter 1 adds five columns (1.1-1.4 and 1.6), not six.
    second = "from course_utils.checks.ch01 import q5\nq5.check()"
    _write(_notebook(wreck, IMPORTS, SOLUTIONS[0], CHECKS[0], second), alice / "work.ipynb")
    checkpoint = _notebook("raise SystemExit('never graded')")
    _write(checkpoint, alice / ".ipynb_checkpoints" / "work-checkpoint.ipynb")
    return {"base": base, "subs": subs, "pids": pids}


@pytest.fixture(scope="module")
def graded_in_process(submissions: dict[str, Path]) -> dict[str, object]:
    """`main(["grade", ...])` with one job, temporary folders in a folder of our own."""
    base, subs = submissions["base"], submissions["subs"]
    before = _hashes(subs)
    scratch = base / "tmp-in-process"
    scratch.mkdir()
    out = base / "out" / "grades-1.csv"
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(tempfile, "tempdir", str(scratch))
        start = time.monotonic()
        code, stdout, stderr = _run_main("grade", subs, "--out", out, "--timeout", str(TIMEOUT))
        seconds = time.monotonic() - start
    return {
        "code": code,
        "stdout": stdout,
        "stderr": stderr,
        "csv": out,
        "before": before,
        "after": _hashes(subs),
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
    out = base / "out" / "grades-2.csv"
    env = dict(os.environ, TMPDIR=str(scratch))
    command = [str(EXECUTABLE), "grade", str(subs), "--out", str(out), "--jobs", "2"]
    done = subprocess.run(
        [*command, "--timeout", str(TIMEOUT)], capture_output=True, text=True, env=env, timeout=300
    )
    return {
        "code": done.returncode,
        "stdout": done.stdout,
        "stderr": done.stderr,
        "csv": out,
        "after": _hashes(subs),
        "scratch_left": list(scratch.iterdir()),
    }


@pytest.mark.slow
def test_grade_csv_is_exactly_as_specified(graded_in_process: dict[str, object]) -> None:
    assert graded_in_process["code"] == 0, graded_in_process["stderr"]
    assert _read_csv(graded_in_process["csv"]) == _expected_rows(TIMEOUT)


@pytest.mark.slow
def test_grade_prints_progress_and_a_summary(graded_in_process: dict[str, object]) -> None:
    stdout = str(graded_in_process["stdout"])
    lines = [" ".join(line.split()) for line in stdout.splitlines()]
    assert lines[0].startswith("graded 7 submissions in") and "grades written to" in lines[0]
    assert lines[2] == "submission passed run"
    assert "correct.ipynb 5/5 completed" in lines
    assert f"hang.ipynb 1/5 timeout after {TIMEOUT} s" in lines
    assert "dies.ipynb 1/5 kernel died" in lines
    assert "question passed" in lines
    assert "Exercise 4.1 6/7" in lines  # all but the untouched student notebook
    assert "Exercise 4.3 1/7" in lines
    assert "Exercise 1.4 0/1" in lines
    assert not any(line.startswith("Exercise 1.5") for line in lines)
    progress = str(graded_in_process["stderr"]).splitlines()
    assert len(progress) == 7 and progress[-1].startswith("[7/7] ")


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
def test_a_timed_out_notebook_leaves_no_process(
    submissions: dict[str, Path], graded_by_executable: dict[str, object]
) -> None:
    lines = submissions["pids"].read_text(encoding="utf-8").split("\n")
    pids = [int(p) for line in lines if line for p in line.split()]
    assert len(pids) == 4, "the hanging notebook ran once per grading"
    deadline = time.monotonic() + 10
    while any(_alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not [p for p in pids if _alive(p)], "a kernel or its child outlived the timeout"


@pytest.mark.slow
def test_two_jobs_give_the_same_csv_through_the_executable(
    graded_in_process: dict[str, object], graded_by_executable: dict[str, object]
) -> None:
    assert graded_by_executable["code"] == 0, graded_by_executable["stderr"]
    assert "2 at a time" in str(graded_by_executable["stdout"])
    one = Path(str(graded_in_process["csv"])).read_bytes()
    two = Path(str(graded_by_executable["csv"])).read_bytes()
    assert one == two


# ---------------------------------------------------------------------------------------------
# The real chapter 0 notebook, full and student versions
# ---------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_real_chapter_notebook_full_and_student(tmp_path: Path) -> None:
    name = "00_data_and_tools.ipynb"
    subs = tmp_path / "subs"
    (subs / "full").mkdir(parents=True)
    shutil.copy(ROOT / "notebooks" / name, subs / "full" / name)
    code, _, err = _run_main("student", ROOT / "notebooks" / name, "--out", subs / "student")
    assert code == 0, err
    out = tmp_path / "grades.csv"
    code, stdout, err = _run_main("grade", subs, "--out", out, "--jobs", "2", "--timeout", "300")
    assert code == 0, err
    questions = ["Exercise 0.1", "Exercise 0.2", "Exercise 0.3"]
    assert _read_csv(out) == [
        ["submission", "run", *questions, "passed", "total"],
        [f"full/{name}", "completed", "passed", "passed", "passed", "3", "3"],
        [f"student/{name}", "completed", *["not attempted"] * 3, "0", "3"],
    ]
    assert f"full/{name}        3/3  completed" in stdout


@pytest.mark.slow
def test_the_instructors_page_shows_real_output(graded_in_process: dict[str, object]) -> None:
    """book/grades_example.csv, included in book/instructors.md, is what `grade` wrote."""
    shown = _read_csv(ROOT / "book" / "grades_example.csv")
    assert shown == _read_csv(graded_in_process["csv"]), (
        "book/grades_example.csv differs from the grades of the fabricated submissions; "
        "copy the CSV that `course-utils grade` writes in this test"
    )


def test_student_versions_leave_out_the_folded_model_answers() -> None:
    """Written questions' answers sit in dropdowns in the book; Jupyter would show them open."""
    markdown = (
        "**Exercise 9.9 (think).** Why?\n\n"
        "```{admonition} A model answer\n:class: dropdown\nBecause the gates say so.\n```\n\n"
        "```{admonition} Keep me\n:class: tip\nA tip stays.\n```\n"
        "~~~~{admonition} Tilde fence\n:class: note dropdown\n```python\nx = 1\n```\n~~~~\n"
    )
    text = _without_folded_answers(markdown)
    assert "Because the gates" not in text and "x = 1" not in text
    assert text.count(ANSWER_REMOVED) == 2
    assert "A tip stays." in text and text.startswith("**Exercise 9.9 (think).** Why?")
    nb = _full_notebook()
    nb.cells.insert(0, nbformat.v4.new_markdown_cell(markdown))
    student, _ = student_notebook(nb)
    assert student.cells[0].source == text
    answers = 0
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        full = nbformat.read(path, as_version=4)
        answers += sum(":class: dropdown" in c.source for c in full.cells)
        student, _ = student_notebook(full)
        assert not any(":class: dropdown" in c.source for c in student.cells), path.name
    assert answers >= 3  # chapters 5, 7 and 8 each fold one model answer


def test_grades_csv_opens_in_excel_and_runs_no_formula(tmp_path: Path) -> None:
    """A byte-order mark for Excel; a forged formula label or name is text, not a formula."""
    forged = '=HYPERLINK("http://example.invalid","x")'
    results = [
        grading.GradeResult(
            "김민지.ipynb", "completed", {"Exercise 1.1": "passed", forged: "passed"}
        ),
        grading.GradeResult("-2.ipynb", "completed", {"Exercise 1.1": "failed"}),
    ]
    path = grading.write_grades_csv(results, tmp_path / "grades.csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and "김민지".encode() in raw
    header, first, second = _read_csv(path)
    assert "'" + forged in header and forged not in header
    assert first[:2] == ["'-2.ipynb", "completed"] and second[0] == "김민지.ipynb"
    assert header[-2:] == ["passed", "total"] and first[-2:] == ["0", "1"]


def test_submissions_saved_with_a_bom_or_in_cp949_are_read(tmp_path: Path) -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("한국어 설명"),
        nbformat.v4.new_code_cell("from course_utils.checks.ch00 import q1"),
    ]
    text = nbformat.writes(nb)
    (tmp_path / "bom.ipynb").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    (tmp_path / "cp949.ipynb").write_bytes(text.encode("cp949"))
    (tmp_path / "latin.ipynb").write_bytes(b"\xff\xfe\x00{")
    for name in ("bom.ipynb", "cp949.ipynb"):
        assert grading.read_notebook(tmp_path / name).cells[0].source == "한국어 설명"
        assert grading.questions_of_notebook(tmp_path / name)[0] == "Exercise 0.1"
    with pytest.raises(ValueError, match="neither UTF-8 nor CP949"):
        grading.read_notebook(tmp_path / "latin.ipynb")
