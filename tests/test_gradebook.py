"""After grading: the roster, the feedback files and the Canvas and Moodle gradebooks."""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest
from grading_helpers import CH04, assert_documented, read_csv

from course_utils import gradebook
from course_utils.checks import ch04
from course_utils.gradebook import (
    Student,
    apply_roster,
    feedback_text,
    read_roster,
    write_feedback,
    write_gradebook,
)
from course_utils.grading import GradeResult
from course_utils.manifest import load_manifest

MANIFEST = load_manifest("ch04")
ROSTER_TEXT = "ID , Name,Email,section\nkim,김민지,minji@example.invalid,A\n\nlee,이서준,,B\n"


def _result(student: str, outcomes: list[str], **extra: object) -> GradeResult:
    done = dict(zip(CH04, outcomes, strict=True))
    score = sum(o == "passed" for o in outcomes)
    return GradeResult(
        f"{student}/04_lstm.ipynb",
        str(extra.pop("run", "completed")),
        done,
        student=student,
        chapter="ch04",
        score=score,
        max_points=5,
        **extra,  # type: ignore[arg-type]
    )


def test_public_api_is_documented() -> None:
    assert_documented(gradebook)


def test_docstring_examples_are_correct() -> None:
    failures, _ = doctest.testmod(gradebook, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert failures == 0


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp949"])
def test_roster_in_utf8_with_or_without_bom_and_in_cp949(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "roster.csv"
    path.write_bytes(ROSTER_TEXT.encode(encoding))
    assert read_roster(path) == {
        "kim": Student("kim", "김민지", "minji@example.invalid"),
        "lee": Student("lee", "이서준", ""),
    }


def test_roster_of_ids_only(tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_text("id\nkim\n", encoding="utf-8")
    assert read_roster(path) == {"kim": Student("kim")}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("name,email\nKim,k@x\n", "no id column"),
        ("id,name\n,Kim\n", "line 2: the id is empty"),
        ("id,name\nkim,Kim\nkim,Kim again\n", "line 3: the id 'kim' is listed twice"),
    ],
)
def test_roster_errors_name_the_problem(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "roster.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        read_roster(path)


def test_roster_that_is_neither_utf8_nor_cp949(tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_bytes(b"id\n\xff\xff\xff\n")
    with pytest.raises(ValueError, match="neither UTF-8 nor CP949"):
        read_roster(path)
    with pytest.raises(ValueError, match="cannot be read"):
        read_roster(tmp_path / "missing.csv")


def test_apply_roster_names_students_and_adds_the_absent() -> None:
    roster = {"kim": Student("kim", "김민지"), "absent": Student("absent", "박지우")}
    results = [_result("kim", ["passed"] * 5), _result("guest", ["failed"] * 5)]
    named, unknown = apply_roster(results, roster, MANIFEST)
    assert unknown == ["guest"]
    assert [(r.student, r.name, r.run, r.score, r.max_points) for r in named] == [
        ("absent", "박지우", "no submission", 0, 5),
        ("guest", "", "completed", 0, 5),
        ("kim", "김민지", "completed", 5, 5),
    ]
    assert list(named[0].outcomes.values()) == ["not attempted"] * 5


def test_feedback_has_outcomes_messages_points_and_first_hints() -> None:
    result = _result(
        "kim",
        [
            "passed",
            "failed",
            "error: NameError: name 'np' is not defined",
            "not attempted",
            "passed",
        ],
        name="김민지",
        messages={"Exercise 4.2": "h_t has shape (4, 8); expected (4, 16)"},
    )
    text = feedback_text(result, MANIFEST)
    assert text.startswith("# Feedback on ch04\n\nStudent: ` kim (김민지) `\n\nPoints: 2 of 5.\n")
    assert "## Exercise 4.1 (q1): passed, 1 of 1 point\n" in text
    assert "## Exercise 4.2 (q2): failed, 0 of 1 point\n" in text
    assert "~~~text\nh_t has shape (4, 8); expected (4, 16)\n~~~" in text
    assert "## Exercise 4.3 (q3): error, 0 of 1 point" in text
    assert "~~~text\nerror: NameError: name 'np' is not defined\n~~~" in text
    for q, shown in ((ch04.q1, False), (ch04.q2, True), (ch04.q4, True), (ch04.q5, False)):
        assert (f"> {q.hints[0].splitlines()[0]}" in text) == shown, q.label
    assert text.count("A hint:") == 3


def test_feedback_shows_submitted_text_literally() -> None:
    """A message forged by the notebook cannot add Markdown, HTML or a closing fence."""
    forged = "~~~\n# Full marks\n<img src=x onerror=alert(1)>\n```"
    result = _result("kim", ["failed"] * 5, messages={"Exercise 4.1": forged})
    text = feedback_text(result, MANIFEST)
    assert "\n~~~~text\n" + forged + "\n~~~~\n" in text
    assert "\n# Full marks" not in text.replace("\n~~~~text\n" + forged, "")


def test_write_feedback_one_file_per_student(tmp_path: Path) -> None:
    results = [
        _result("kim", ["passed"] * 5),
        _result("../evil", ["failed"] * 5),
        _result("김민지", ["failed"] * 5),
    ]
    written = write_feedback(results, MANIFEST, tmp_path / "feedback")
    assert [p.name for p in written] == ["kim.md", "evil.md", "김민지.md"]
    assert all(p.parent == tmp_path / "feedback" for p in written)
    assert "Points: 5 of 5." in written[0].read_text(encoding="utf-8")


def test_canvas_and_moodle_gradebooks(tmp_path: Path) -> None:
    roster = {
        "kim": Student("kim", "김민지", "minji@example.invalid"),
        "=cmd": Student("=cmd", "@evil", ""),
    }
    results, _ = apply_roster(
        [_result("kim", ["passed", "passed", "failed", "failed", "passed"])], roster, MANIFEST
    )
    canvas = write_gradebook(
        results, MANIFEST, tmp_path / "canvas.csv", lms="canvas", roster=roster
    )
    moodle = write_gradebook(
        results,
        MANIFEST,
        tmp_path / "moodle.csv",
        lms="moodle",
        roster=roster,
        assignment="LSTM lab (1234)",
    )
    assert canvas.read_bytes().startswith(b"\xef\xbb\xbfStudent,ID,SIS User ID,")
    assert read_csv(canvas) == [
        ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Chapter 4 (ch04)"],
        ["'@evil", "", "'=cmd", "", "", "0"],
        ["김민지", "", "kim", "minji@example.invalid", "", "3"],
    ]
    assert moodle.read_bytes().startswith(b"\xef\xbb\xbfID number,Email address,")
    assert read_csv(moodle) == [
        ["ID number", "Email address", "Full name", "LSTM lab (1234)"],
        ["'=cmd", "", "'@evil", "0"],
        ["kim", "minji@example.invalid", "김민지", "3"],
    ]
    with pytest.raises(ValueError, match="assignment must be a non-empty str"):
        write_gradebook(results, MANIFEST, tmp_path / "m.csv", lms="moodle", assignment=" ")
    with pytest.raises(ValueError, match="lms must be one of canvas, moodle, not 'blackboard'"):
        write_gradebook(results, MANIFEST, tmp_path / "b.csv", lms="blackboard")
