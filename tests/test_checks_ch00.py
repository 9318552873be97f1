"""The exercises of chapter 0: a correct answer passes, typical mistakes get a specific reason."""

from __future__ import annotations

import pytest

from course_utils.checks.ch00 import q1, q2, q3
from course_utils.data import HungryGrammar
from course_utils.exercises import ____

GRAMMAR = HungryGrammar()


def _q1_answer(n_fillers_factor: bool = True, choice_factor: bool = True) -> float:
    p = (
        GRAMMAR.subjects["할머니께서는"]
        * GRAMMAR.intensifiers["무지"]
        * GRAMMAR.states["목이"]
        * GRAMMAR.tenses["past"]
    )
    if n_fillers_factor:
        p *= GRAMMAR.filler_count_probs[1]
    if choice_factor:
        p /= len(GRAMMAR.fillers)
    return p


def test_q1_right_answer_and_grammar_agree():
    assert q1.check(_q1_answer()).status == "passed"
    assert q1.check(GRAMMAR.prob("할머니께서는 오늘 무지 목이 마르셨다")).status == "passed"


def test_q1_forgetting_the_filler_choice_is_too_large_and_does_not_reveal_the_answer():
    result = q1.check(_q1_answer(choice_factor=False))
    assert result.status == "failed"
    assert "too large" in result.message
    assert f"{_q1_answer():.6g}" not in result.message


@pytest.mark.parametrize(
    ("value", "status"),
    [(____, "not attempted"), ("0.01", "failed"), (None, "failed"), ([0.1], "failed")],
)
def test_q1_other_answers(value, status):
    assert q1.check(value).status == status


def test_q2_accepts_a_correct_function_and_explains_mistakes():
    def correct(sentences):
        return sum(map(len, sentences)) / len(sentences) if sentences else 0.0

    def crashes_on_empty(sentences):
        return sum(map(len, sentences)) / len(sentences)

    def integer_division(sentences):
        return sum(map(len, sentences)) // len(sentences) if sentences else 0

    def placeholder(sentences):
        return ____

    assert q2.check(correct).status == "passed"
    raised = q2.check(crashes_on_empty)
    assert raised.status == "error" and "ZeroDivisionError" in raised.message
    assert q2.check(integer_division).status == "failed"
    assert q2.check(placeholder).status == "not attempted"
    assert q2.check(3.5).status == "failed"


def test_q3_parameter_count():
    keras = pytest.importorskip("keras")
    layer = keras.layers.Embedding(input_dim=len(GRAMMAR.vocabulary) + 2, output_dim=8)
    unbuilt = q3.check(layer)
    assert unbuilt.status == "failed" and "build the model first" in unbuilt.message
    layer.build((None,))
    assert q3.check(layer).status == "passed"
    wrong = keras.layers.Embedding(input_dim=len(GRAMMAR.vocabulary), output_dim=8)
    wrong.build((None,))
    result = q3.check(wrong)
    assert result.status == "failed" and "too few" in result.message
    assert q3.check(____).status == "not attempted"


@pytest.mark.parametrize("exercise", [q1, q2, q3], ids=["q1", "q2", "q3"])
def test_every_exercise_has_hints_and_a_solution(exercise):
    assert "Hint 1/" in repr(exercise.hint(1))
    assert "answer" in repr(exercise.solution()) or "def " in repr(exercise.solution())
