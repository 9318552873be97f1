"""Tests of :mod:`course_utils.exercises`: :class:`Exercise`, hints, solutions, the results log."""

from __future__ import annotations

import json
import sys
from typing import Any

import pytest
from exercise_helpers import (
    SQUARE,
    assert_imports_without_tensorflow,
    assert_introduced_in_chapter_0,
    assert_well_formed,
    clean_results,  # noqa: F401 (an autouse fixture)
)

from course_utils import exercises
from course_utils.exercises import (
    RESULTS_ENV_VAR,
    Check,
    CheckResult,
    EqualityCheck,
    Exercise,
    Hint,
    Solution,
    ____,
    reset_results,
    results,
)

# ---------------------------------------------------------------------------------------------
# Exercise
# ---------------------------------------------------------------------------------------------


def make_exercise(**kwargs: Any) -> Exercise:
    options: dict[str, Any] = {
        "var": "answer_t1",
        "check": EqualityCheck(3),
        "hints": ("Count them.", "There are `three`.", "It is 3."),
        "solution": "answer_t1 = 3",
    }
    options.update(kwargs)
    return Exercise("Exercise 0.1", **options)


def test_exercise_looks_up_the_variable_in_the_callers_globals(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    q = make_exercise()
    monkeypatch.setitem(globals(), "answer_t1", 3)
    assert q.check().passed
    monkeypatch.setitem(globals(), "answer_t1", 4)
    result = q.check()
    assert repr(result) == "✗ Exercise 0.1 — not yet: expected 3, got 4 (off by 1)"
    monkeypatch.setitem(globals(), "answer_t1", ____)
    result = q.check()
    assert result.status == "not attempted"
    assert repr(result).startswith("… Exercise 0.1 — not attempted: replace ____")


def test_exercise_missing_variable_is_not_attempted() -> None:
    q = make_exercise(var="answer_that_does_not_exist")
    result = assert_well_formed(q.check())
    assert result.status == "not attempted"
    assert "`answer_that_does_not_exist`" in result.message
    assert "run the exercise cell above" in result.message and "fix that first" in result.message


def test_exercise_falls_back_to_main(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys.modules["__main__"], "answer_in_main_only", 3, raising=False)
    assert make_exercise(var="answer_in_main_only").check().passed


def test_exercise_explicit_value_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(globals(), "answer_t1", 4)
    assert make_exercise().check(3).passed
    assert make_exercise(check=EqualityCheck(None)).check(None).passed


def test_exercise_check_never_raises_even_if_the_check_is_broken() -> None:
    class BrokenCheck(Check):
        def __call__(self, value: object, *, question: str = "Your answer") -> CheckResult:
            raise RuntimeError("bug in the check")

        def describe(self) -> str:
            return "broken"

    result = assert_well_formed(make_exercise(check=BrokenCheck()).check(1))
    assert result.status == "error" and "RuntimeError: bug in the check" in result.message


def test_exercise_with_a_function(monkeypatch: pytest.MonkeyPatch) -> None:
    q = make_exercise(var="my_square", check=SQUARE)

    def my_square(x: float) -> object:
        return ____

    monkeypatch.setitem(globals(), "my_square", my_square)
    assert q.check().status == "not attempted"
    monkeypatch.setitem(globals(), "my_square", lambda x: x * x)
    assert q.check().passed


def test_thought_exercise(monkeypatch: pytest.MonkeyPatch) -> None:
    q3 = Exercise("Exercise 0.3", thought=True, solution="Because *counts* are sparse.")
    monkeypatch.setitem(globals(), "q3", q3)
    result = q3.check()
    assert result.status == "not attempted"
    assert result.message == "written exercise: compare your answer with q3.solution()"
    assert repr(q3) == "Exercise('Exercise 0.3', thought=True)"
    assert q3.solution()._repr_markdown_() == (
        "**Solution to Exercise 0.3**\n\nBecause *counts* are sparse.\n"
    )
    assert Exercise("E", thought=True, solution="x").check().message.endswith("q.solution()")


def test_results_are_recorded_in_memory() -> None:
    q = make_exercise(points=2)
    q.check(3)
    q.check(4)
    record = results()
    assert [entry["status"] for entry in record] == ["passed", "failed"]
    assert record[0] == {
        "question": "Exercise 0.1",
        "status": "passed",
        "message": "Your answer matches the expected value.",
        "points": 2,
    }
    record.clear()
    assert len(results()) == 2  # a copy
    reset_results()
    assert results() == []


def test_results_are_appended_to_the_json_lines_file(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "results.jsonl"
    monkeypatch.setenv(RESULTS_ENV_VAR, str(path))
    q = make_exercise(check=EqualityCheck("나는 배가 고프다"))
    q.check("나는 배가 고프다")
    q.check("나는 배가 고파")
    q.check(____)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert "'나는 배가 고파'" in lines[1]  # ensure_ascii=False
    entries = [json.loads(line) for line in lines]
    assert [entry["status"] for entry in entries] == ["passed", "failed", "not attempted"]
    assert entries[2]["question"] == "Exercise 0.1" and entries[2]["points"] == 1
    assert entries == results()


def test_unwritable_results_file_does_not_break_the_check(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(RESULTS_ENV_VAR, str(tmp_path / "missing-dir" / "results.jsonl"))
    assert make_exercise().check(3).passed
    assert len(results()) == 1


def test_hints_escalate_and_stop_at_the_last() -> None:
    q = make_exercise()
    shown = [q.hint() for _ in range(4)]
    assert [hint.number for hint in shown] == [1, 2, 3, 3]
    assert repr(shown[0]) == "ℹ Exercise 0.1 — Hint 1/3: Count them."
    assert shown[2].note == "" and "no more hints" in repr(shown[3])
    assert isinstance(shown[0], Hint)
    assert "<code>three</code>" in shown[1]._repr_html_()
    assert repr(q.hint(1)) == "ℹ Exercise 0.1 — Hint 1/3: Count them."


def test_hint_n_moves_the_sequence_forward() -> None:
    q = make_exercise()
    assert q.hint(2).number == 2
    assert q.hint().number == 3


def test_hint_argument_errors_and_no_hints() -> None:
    q = make_exercise()
    with pytest.raises(ValueError, match=r"hint\(1\) to hint\(3\)"):
        q.hint(4)
    with pytest.raises(TypeError):
        q.hint("1")  # type: ignore[arg-type]
    bare = make_exercise(hints=())
    assert repr(bare.hint()) == "ℹ Exercise 0.1 — there are no hints for this exercise."


def test_hint_html_escapes() -> None:
    q = make_exercise(hints=["use <b>bold</b> & `x < y`"])
    box = q.hint()._repr_html_()
    assert "<b>" not in box and "&lt;b&gt;" in box and "<code>x &lt; y</code>" in box


def test_solution_display() -> None:
    q = make_exercise(
        solution="""
        def f(x):
            return x * 2
        """
    )
    solution = q.solution()
    assert isinstance(solution, Solution)
    assert repr(solution) == "Solution to Exercise 0.1:\ndef f(x):\n    return x * 2"
    assert solution._repr_markdown_() == (
        "**Solution to Exercise 0.1**\n\n```python\ndef f(x):\n    return x * 2\n```\n"
    )
    fenced = make_exercise(solution='text = """```python\nx\n```"""').solution()
    assert "````python\n" in fenced._repr_markdown_()
    none = make_exercise(solution=None).solution()
    assert "no solution" in repr(none)


def test_exercise_repr_and_describe() -> None:
    q = make_exercise()
    assert repr(q) == "Exercise('Exercise 0.1', var='answer_t1')"
    assert q.describe() == (
        "Exercise 0.1: `answer_t1` — compares your answer with the expected int (exactly)"
    )


@pytest.mark.parametrize(
    ("kwargs", "error", "pattern"),
    [
        ({"var": "1abc"}, ValueError, "valid Python variable name"),
        ({"var": "class"}, ValueError, "valid Python variable name"),
        ({"var": None}, ValueError, "var is required"),
        ({"check": None}, ValueError, "check is required"),
        ({"check": lambda v: True}, TypeError, "must be a Check"),
        ({"hints": "one hint"}, TypeError, "one str per hint"),
        ({"hints": ["ok", 3]}, TypeError, "hint 2"),
        ({"solution": 3}, TypeError, "solution"),
        ({"points": -1}, ValueError, "points"),
        ({"points": True}, TypeError, "points"),
        ({"thought": "yes"}, TypeError, "thought"),
        ({"thought": True}, ValueError, "takes no check"),
        ({"thought": True, "check": None, "solution": None}, ValueError, "needs a model"),
    ],
)
def test_exercise_validates_arguments(kwargs: dict[str, Any], error: type, pattern: str) -> None:
    with pytest.raises(error, match=pattern):
        make_exercise(**kwargs)


def test_exercise_label_must_be_text() -> None:
    with pytest.raises(ValueError, match="label"):
        Exercise("  ", var="x", check=EqualityCheck(1))


def test_module_import_does_not_import_tensorflow() -> None:
    assert_imports_without_tensorflow("course_utils.exercises")


def test_public_docstrings_name_the_introducing_notebook() -> None:
    # documented by comments and the module docstring
    undocumented = {"Status", "STATUSES", "RESULTS_ENV_VAR", "____"}
    assert_introduced_in_chapter_0(exercises, undocumented=undocumented)
