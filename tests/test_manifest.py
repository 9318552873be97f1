"""The manifest of a chapter: questions, points, graded or written, from the checks modules."""

from __future__ import annotations

import doctest
import inspect
import json
import re
from pathlib import Path

import pytest

from course_utils import manifest as manifest_module
from course_utils.checks import ch01, ch07
from course_utils.exercises import Exercise
from course_utils.manifest import (
    Manifest,
    Question,
    available_chapters,
    chapter_name,
    format_manifest,
    load_manifest,
)

INTRODUCED = "Introduced in: notebooks/07_keras_exercises.ipynb"


def test_public_api_is_documented() -> None:
    assert INTRODUCED in (inspect.getdoc(manifest_module) or "")
    for name in manifest_module.__all__:
        obj = getattr(manifest_module, name)
        doc = inspect.getdoc(obj) or ""
        assert doc.rstrip().endswith(INTRODUCED), name
        if inspect.isfunction(obj) and inspect.signature(obj).parameters:
            assert "Args:" in doc, name


def test_docstring_examples_are_correct() -> None:
    failures, _ = doctest.testmod(manifest_module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert failures == 0


def test_chapter_7_has_eight_questions_worth_15_points() -> None:
    manifest = load_manifest("ch07")
    exercises = [v for v in vars(ch07).values() if isinstance(v, Exercise)]
    assert manifest.labels == [f"Exercise 7.{i}" for i in range(1, 9)]
    assert [q.name for q in manifest.graded] == [f"q{i}" for i in range(1, 9)]
    assert manifest.total_points == 15 == sum(e.points for e in exercises)
    assert manifest.graded[0].hint == ch07.q1.hints[0]


def test_written_questions_are_listed_but_not_graded() -> None:
    manifest = load_manifest(1)
    assert [q.label for q in manifest.questions] == [f"Exercise 1.{i}" for i in range(1, 7)]
    assert manifest.question("Exercise 1.5") is None
    assert [q.written for q in manifest.questions] == [False] * 4 + [True, False]
    assert ch01.q5.thought and manifest.total_points == 5


NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
# An exercise's heading in a chapter: "**Exercise 5.6 (think, not graded).**".
HEADING = re.compile(r"\*\*(Exercise \d+\.\d+) \(([^*]*)\)\.\*\*")


def _exercise_headings(chapter: str) -> dict[str, bool]:
    """The exercises a chapter's notebook announces: label -> whether it is written."""
    notebook = next(NOTEBOOKS.glob(f"{chapter[2:]}_*.ipynb"))
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    return {
        label: "not graded" in kind or "written" in kind for label, kind in HEADING.findall(text)
    }


@pytest.mark.parametrize("chapter", available_chapters())
def test_the_manifest_lists_every_exercise_the_chapter_announces(chapter: str) -> None:
    announced = _exercise_headings(chapter)
    questions = load_manifest(chapter).questions
    assert announced, chapter
    assert {q.label: q.written for q in questions} == announced


def test_a_written_exercise_answered_in_the_text_points_there() -> None:
    exercise = Exercise("Exercise 9.1", thought=True, answer_in_text=True, points=0)
    assert exercise.check().message.endswith("the model answer folded under the exercise")
    assert "folded under the exercise" in str(exercise.solution())
    with pytest.raises(ValueError, match="written exercise"):
        Exercise("Exercise 9.1", var="x", check=None, answer_in_text=True)
    with pytest.raises(ValueError, match="not both"):
        Exercise("Exercise 9.1", thought=True, answer_in_text=True, solution="x")
    with pytest.raises(TypeError, match="answer_in_text must be True or False"):
        Exercise("Exercise 9.1", thought=True, answer_in_text="yes")


def test_every_chapter_has_a_manifest() -> None:
    chapters = available_chapters()
    assert chapters[:2] == ["ch00", "ch01"] and "ch08" in chapters
    for chapter in chapters:
        manifest = load_manifest(chapter)
        assert manifest.chapter == chapter and len(manifest.graded) >= 3, chapter
        assert manifest.total_points == sum(q.points for q in manifest.graded)


def test_chapter_names_and_their_errors() -> None:
    assert {chapter_name(x) for x in ("ch07", "7", "07", "CH7", 7, " ch07 ")} == {"ch07"}
    with pytest.raises(ValueError, match=r"chapter must be one of ch00, ch01, .*not 'ch99'"):
        chapter_name("ch99")
    with pytest.raises(ValueError, match="chapter must be one of"):
        load_manifest("lstm")
    with pytest.raises(TypeError, match="chapter must be a str"):
        chapter_name(7.0)
    with pytest.raises(TypeError, match="chapter must be a str"):
        chapter_name(True)


def test_format_as_a_table_and_as_json() -> None:
    manifest = load_manifest("ch01")
    lines = format_manifest(manifest).splitlines()
    assert lines[0].split() == ["question", "name", "points", "graded"]
    assert lines[5].split() == ["Exercise", "1.5", "q5", "1", "no", "(written)"]
    assert lines[-1] == "ch01: 5 graded questions, 5 points in all"
    data = json.loads(format_manifest(manifest, as_json=True))
    assert data["chapter"] == "ch01" and data["total_points"] == 5
    written = {"label": "Exercise 1.5", "name": "q5", "points": 1, "graded": False}
    assert data["questions"][4] == written
    with pytest.raises(TypeError, match="manifest must be a Manifest"):
        format_manifest({"chapter": "ch01"})  # type: ignore[arg-type]


def test_a_manifest_of_fractional_points() -> None:
    manifest = Manifest("ch99", (Question("Q 1", "q1", 0.5), Question("Q 2", "q2", 1)))
    assert manifest.total_points == 1.5
    last = format_manifest(manifest).splitlines()[-1]
    assert last == "ch99: 2 graded questions, 1.5 points in all"
