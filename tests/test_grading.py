"""The grading engine: submissions and their ids, the chapter's manifest, scores, the table.

The executed tests grade a small hostile class of chapter 4 (NumPy only): a blank notebook,
one that is not a notebook, a forged question label that is a spreadsheet formula, an answer
whose checks import the scan cannot see, a student folder named like a formula, a Korean id.
"""

from __future__ import annotations

import doctest
import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from grading_helpers import (
    CH04,
    CHECKS,
    IMPORTS,
    SOLUTIONS,
    TIMEOUT,
    assert_documented,
    notebook,
    read_csv,
    write,
)
from nbformat.v4 import new_markdown_cell

from course_utils import grading
from course_utils.grading import (
    GradeResult,
    Submission,
    UsageError,
    assignment_manifest,
    chapters_of_notebook,
    find_submissions,
    format_summary,
    grade_submission,
    grade_submissions,
    read_results_log,
    score_outcomes,
    spreadsheet_text,
    student_id,
    write_grades_csv,
)
from course_utils.manifest import load_manifest

FORMULA = '=HYPERLINK("http://example.invalid","x")'


def test_public_api_is_documented() -> None:
    assert_documented(grading)


def test_docstring_examples_are_correct() -> None:
    failures, _ = doctest.testmod(grading, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert failures == 0


# ---------------------------------------------------------------------------------------------
# The parts that do not execute notebooks
# ---------------------------------------------------------------------------------------------


def test_score_outcomes_gives_every_question_of_the_chapter_and_nothing_else() -> None:
    questions = ["Exercise 4.10", "Exercise 4.2"]
    logged = {"Exercise 4.2": "failed", "Exercise 1.1": "passed", FORMULA: "passed"}
    assert score_outcomes(questions, logged, "completed") == {
        "Exercise 4.2": "failed",
        "Exercise 4.10": "not attempted",
    }
    assert score_outcomes(questions, {}, "timeout after 5 s") == {
        "Exercise 4.2": "not run",
        "Exercise 4.10": "not run",
    }


def _fake_run(monkeypatch: pytest.MonkeyPatch, run: str, logged: dict[str, str]) -> None:
    monkeypatch.setattr(grading, "run_submission", lambda submission, **options: (run, logged))


def test_one_answer_of_eight_scores_its_points_of_15(monkeypatch: pytest.MonkeyPatch) -> None:
    """Chapter 7 tells learners "points: X of 15"; the grade counts the same points."""
    manifest = load_manifest("ch07")
    _fake_run(monkeypatch, "completed", {"Exercise 7.1": "passed", FORMULA: "passed"})
    submission = Submission("kim/07.ipynb", Path("kim/07.ipynb"), Path("kim"))
    result = grade_submission(submission, manifest)
    assert (result.student, result.score, result.max_points) == ("kim", 1, 15)
    assert list(result.outcomes) == [f"Exercise 7.{i}" for i in range(1, 9)]
    assert list(result.outcomes.values()) == ["passed"] + ["not attempted"] * 7
    _fake_run(monkeypatch, "completed", {"Exercise 7.5": "passed", "Exercise 7.7": "passed"})
    assert grade_submission(submission, manifest).score == 6  # 3 + 3 points
    with pytest.raises(TypeError, match="manifest must be a Manifest"):
        grade_submission(submission, "ch07")  # type: ignore[arg-type]


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


def test_chapters_of_a_notebook_come_from_its_checks_imports(tmp_path: Path) -> None:
    path = write(
        notebook(
            "from course_utils.checks.ch04 import q1",
            "if True:\n    import course_utils.checks.ch05 as c5",
            "from course_utils.checks import ch01, ch99",
            "import course_utils.checks.ch00x",  # not a module name
        ),
        tmp_path / "nb.ipynb",
    )
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(new_markdown_cell("from course_utils.checks.ch02 import q1"))
    nbformat.write(nb, path)
    assert chapters_of_notebook(path) == ["ch01", "ch04", "ch05", "ch99"]
    ch01 = [f"Exercise 1.{i}" for i in (1, 2, 3, 4, 6)]  # 1.5 is written: not graded
    ch05 = load_manifest("ch05").labels
    assert grading.questions_of_notebook(path) == ch01 + CH04 + ch05
    (tmp_path / "broken.ipynb").write_text("{ not json", encoding="utf-8")
    assert chapters_of_notebook(tmp_path / "broken.ipynb") == []


def test_the_chapter_is_the_assignments_not_each_notebooks(tmp_path: Path) -> None:
    ch04 = write(notebook("from course_utils.checks.ch04 import q1"), tmp_path / "a.ipynb")
    ch01 = write(notebook("from course_utils.checks.ch01 import q1"), tmp_path / "b.ipynb")
    blank = write(notebook(), tmp_path / "c.ipynb")
    subs = {p.stem: Submission(p.name, p, tmp_path) for p in (ch04, ch01, blank)}
    assert assignment_manifest([subs["a"], subs["c"]]).chapter == "ch04"
    assert assignment_manifest([subs["a"], subs["b"]], chapter="7").chapter == "ch07"
    with pytest.raises(UsageError, match=r"ch01 \(1 submissions\), ch04 \(1 submissions\)"):
        assignment_manifest([subs["a"], subs["b"]])
    with pytest.raises(UsageError, match="chapter is unknown; give it with --chapter"):
        assignment_manifest([subs["c"]])
    with pytest.raises(UsageError, match="--chapter: chapter must be one of"):
        assignment_manifest([subs["a"]], chapter="ch99")


def test_find_submissions_and_their_student_ids(tmp_path: Path) -> None:
    write(notebook("1"), tmp_path / "김민지.ipynb")
    write(notebook("1"), tmp_path / "lee" / "07_keras_exercises.ipynb")
    write(notebook("1"), tmp_path / "lee" / ".ipynb_checkpoints" / "x-checkpoint.ipynb")
    write(notebook("1"), tmp_path / ".hidden" / "x.ipynb")
    (tmp_path / "empty").mkdir()
    found = find_submissions(tmp_path)
    assert [(s.name, student_id(s)) for s in found] == [
        ("lee/07_keras_exercises.ipynb", "lee"),
        ("김민지.ipynb", "김민지"),
    ]
    assert found[1].exclude == ("lee",) and found[0].folder == tmp_path / "lee"
    write(notebook("1"), tmp_path / "lee.ipynb")
    with pytest.raises(UsageError, match="two submissions for the student id 'lee'"):
        find_submissions(tmp_path)
    (tmp_path / "lee.ipynb").unlink()
    write(notebook("1"), tmp_path / "lee" / "second.ipynb")
    with pytest.raises(UsageError, match=r"must hold one notebook, .*: lee/ \(2\)"):
        find_submissions(tmp_path)


def test_summary_in_points() -> None:
    results = [
        GradeResult("b.ipynb", "completed", {"Exercise 4.2": "passed"}, student="b", max_points=2),
        GradeResult(
            "a.ipynb",
            "kernel died",
            {"Exercise 4.2": "failed", "Exercise 4.10": "not run"},
            student="a",
            score=0,
            max_points=2,
        ),
    ]
    assert format_summary(results).splitlines() == [
        "student   points  run",
        "a            0/2  kernel died",
        "b            0/2  completed",
        "",
        "question       passed",
        "Exercise 4.2      1/2",
        "Exercise 4.10     0/1",
    ]


def test_grades_csv_opens_in_excel_and_runs_no_formula(tmp_path: Path) -> None:
    """A byte-order mark for Excel; no text cell starts like a formula, numbers stay numbers."""
    results = [
        GradeResult("김민지.ipynb", "completed", {"Exercise 1.1": "passed"}, student="김민지"),
        GradeResult(
            "-2/x.ipynb",
            "error: ValueError: =cmd|' /C calc'!A0",
            {"Exercise 1.1": "failed"},
            student="-2",
            name="@admin",
            score=-1,
            max_points=1,
        ),
    ]
    path = write_grades_csv(results, tmp_path / "grades.csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and "김민지".encode() in raw
    header, first, second = read_csv(path)
    assert header == [
        "student",
        "name",
        "submission",
        "run",
        "Exercise 1.1",
        "points",
        "max_points",
    ]
    assert first[:4] == ["'-2", "'@admin", "'-2/x.ipynb", "error: ValueError: =cmd|' /C calc'!A0"]
    assert first[-2:] == ["-1", "1"] and second[:2] == ["김민지", ""]
    assert spreadsheet_text("+1") == "'+1" and spreadsheet_text(3) == 3


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
        assert chapters_of_notebook(tmp_path / name) == ["ch00"]
    with pytest.raises(ValueError, match="neither UTF-8 nor CP949"):
        grading.read_notebook(tmp_path / "latin.ipynb")


def test_grade_submissions_refuses_bad_arguments() -> None:
    manifest = load_manifest("ch04")
    with pytest.raises(TypeError, match="manifest must be a Manifest"):
        grade_submissions([], None)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="timeout must be a positive number"):
        grade_submissions([], manifest, timeout=0)
    with pytest.raises(ValueError, match="jobs must be a positive int"):
        grade_submissions([], manifest, jobs=0)


# ---------------------------------------------------------------------------------------------
# A hostile class, executed
# ---------------------------------------------------------------------------------------------


def hostile_class(root: Path) -> Path:
    """Submissions to chapter 4 that each broke the old grader's table in one way."""
    # Answers 4.1 only, importing its exercise where the import scan does not look.
    hidden_import = "q1 = __import__('course_utils.checks.ch04', fromlist=['q1']).q1"
    write(
        notebook(hidden_import, "import numpy as np", SOLUTIONS[0], CHECKS[0]), root / "one.ipynb"
    )
    write(notebook(), root / "blank" / "04_lstm.ipynb")
    (root / "garbled").mkdir()
    (root / "garbled" / "04_lstm.ipynb").write_bytes(b"\x00\xffnot a notebook")
    forge = (
        "from course_utils.exercises import EqualityCheck, Exercise\n"
        f"Exercise({FORMULA!r}, var='z', check=EqualityCheck(1)).check(1)\n"
        "Exercise('Exercise 4.9', var='z', check=EqualityCheck(1)).check(1)"
    )
    write(notebook(IMPORTS, forge, SOLUTIONS[0], CHECKS[0]), root / "forger" / "04_lstm.ipynb")
    write(notebook(IMPORTS, SOLUTIONS[0], CHECKS[0]), root / "=1+1" / "04_lstm.ipynb")
    write(notebook(IMPORTS, *SOLUTIONS[:2], *CHECKS[:2]), root / "김민지.ipynb")
    # A cell that answers and checks 4.1 raises before its check; 4.2 after it still counts.
    slip = f"{SOLUTIONS[0]}\nanswer = undefined_name\nq1.check()"
    write(notebook(IMPORTS, slip, SOLUTIONS[1], CHECKS[1]), root / "slip" / "04_lstm.ipynb")
    return root


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    subs = hostile_class(tmp_path_factory.mktemp("hostile") / "subs")
    submissions = find_submissions(subs)
    manifest = assignment_manifest(submissions)
    results = grade_submissions(submissions, manifest, timeout=TIMEOUT, jobs=2)
    out = write_grades_csv(results, subs.parent / "grades.csv")
    return {"manifest": manifest, "results": results, "rows": read_csv(out)}


EXPECTED_HOSTILE = [
    ["student", "submission", "run", *CH04, "points", "max_points"],
    ["'=1+1", "'=1+1/04_lstm.ipynb", "completed", "passed", *["not attempted"] * 4, "1", "5"],
    ["blank", "blank/04_lstm.ipynb", "completed", *["not attempted"] * 5, "0", "5"],
    ["forger", "forger/04_lstm.ipynb", "completed", "passed", *["not attempted"] * 4, "1", "5"],
    [
        "garbled",
        "garbled/04_lstm.ipynb",
        "error: the notebook could not be read: 04_lstm.ipynb is neither UTF-8 nor CP949 text",
        *["not run"] * 5,
        "0",
        "5",
    ],
    ["one", "one.ipynb", "completed", "passed", *["not attempted"] * 4, "1", "5"],
    [
        "slip",
        "slip/04_lstm.ipynb",
        "completed with 1 cell error",
        "error: NameError: name 'undefined_name' is not defined",
        "passed",
        *["not attempted"] * 3,
        "1",
        "5",
    ],
    ["김민지", "김민지.ipynb", "completed", "passed", "passed", *["not attempted"] * 3, "2", "5"],
]


@pytest.mark.slow
def test_the_hostile_class_table_is_exactly_as_specified(hostile: dict[str, object]) -> None:
    """On the old engine: 0/0 for the blank and unreadable notebooks, 1/1 for `one`, 3/7 and
    two forged columns (one a formula) for `forger`."""
    assert hostile["rows"] == EXPECTED_HOSTILE


@pytest.mark.slow
def test_a_forged_label_adds_no_column(hostile: dict[str, object]) -> None:
    rows = hostile["rows"]
    assert isinstance(rows, list)
    assert rows[0][2:-2] == ["run", *CH04]
    assert not any("HYPERLINK" in cell or "4.9" in cell for row in rows for cell in row)


@pytest.mark.slow
def test_blank_and_unreadable_notebooks_score_0_of_the_total(hostile: dict[str, object]) -> None:
    results = {r.student: r for r in hostile["results"]}  # type: ignore[attr-defined]
    for name, missing in (("blank", "not attempted"), ("garbled", "not run")):
        assert (results[name].score, results[name].max_points) == (0, 5)
        assert list(results[name].outcomes.values()) == [missing] * 5


@pytest.mark.slow
def test_no_cell_starts_like_a_formula(hostile: dict[str, object]) -> None:
    rows = hostile["rows"]
    assert isinstance(rows, list)
    cells = [cell for row in rows for cell in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "@") or (c[:1] == "-" and c != "-")]


_LOG_READER = """
import os, sys
from course_utils.exercises import EqualityCheck, Exercise
os.environ["COURSE_UTILS_RESULTS"] = sys.argv[1]
Exercise("Exercise 8.5", thought=True, answer_in_text=True, points=0).check()
Exercise("Exercise 9.1", var="x", check=EqualityCheck(1)).check(1)
from course_utils.runner import read_results_log
print(read_results_log(sys.argv[1]), "tensorflow" in sys.modules)
"""


def test_a_written_entry_is_skipped_without_importing_the_chapters(tmp_path: Path) -> None:
    # The log marks a written exercise's entry; the reader used to import every checks module
    # (chapter 8's imports TensorFlow, which printed its start-up lines in the grader).
    log = tmp_path / "results.jsonl"
    done = subprocess.run(
        [sys.executable, "-c", _LOG_READER, str(log)], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "{'Exercise 9.1': 'passed'} False"
    assert json.loads(log.read_text(encoding="utf-8").splitlines()[0])["written"] is True
