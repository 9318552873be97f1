"""The exercises of chapter 1: a correct answer passes, typical mistakes get a specific reason."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest

from course_utils.checks.ch01 import q1, q2, q3, q4, q5, q6
from course_utils.exercises import ____
from course_utils.ngram import NGramLM

CORPUS = [
    s.split() for s in ["나는 엄청 배가 고프다", "나는 무지 목이 마르다", "친구는 무지 배가 고프다"]
]


def test_q1():
    assert q1.check(1 / 2).status == "passed"
    assert q1.check(0.5000000001).status == "failed"  # exact fractions: no tolerance needed
    wrong = q1.check(1 / 3)
    assert wrong.status == "failed" and "too small" in wrong.message
    assert q1.check(____).status == "not attempted"


def test_q2_add_k():
    def right(count_hw, count_h, vocab_size, k):
        return (count_hw + k) / (count_h + k * vocab_size)

    def forgot_k_in_denominator(count_hw, count_h, vocab_size, k):
        return (count_hw + k) / (count_h + vocab_size)

    assert q2.check(right).status == "passed"
    assert q2.check(forgot_k_in_denominator).status == "failed"
    assert q2.check(lambda *args: ____).status == "not attempted"
    assert q2.check(lambda a, b, c, d: a / b).status == "error"  # ZeroDivisionError on (0, 0, ...)


def test_q3_perplexity():
    def right(probs):
        if any(p == 0 for p in probs):
            return math.inf
        return math.exp(-sum(math.log(p) for p in probs) / len(probs))

    def no_zero_guard(probs):
        return math.exp(-sum(math.log(p) for p in probs) / len(probs))

    def forgot_exp(probs):
        return -sum(math.log(p) for p in probs) / len(probs) if all(probs) else math.inf

    assert q3.check(right).status == "passed"
    raised = q3.check(no_zero_guard)
    assert raised.status == "error" and "ValueError" in raised.message
    assert q3.check(forgot_exp).status == "failed"


def test_q4_smoothing_dict():
    answer = {
        name: NGramLM(2, name).fit(CORPUS).prob("엄청", ("친구는",))
        for name in ["mle", "add_k", "kneser_ney"]
    }
    assert answer["mle"] == 0 and answer["add_k"] > 0 and answer["kneser_ney"] > 0
    assert q4.check(answer).status == "passed"
    missing = q4.check({"mle": 0.0, "add_k": answer["add_k"]})
    assert missing.status == "failed" and "kneser_ney" in missing.message
    assert q4.check({"mle": ____, "add_k": ____, "kneser_ney": ____}).status == "not attempted"


def test_q5_is_a_written_exercise_with_a_model_answer():
    result = q5.check()
    assert result.status == "not attempted" and "written" in result.message
    assert "sparse" in repr(q5.solution())


def test_q6_kneser_ney_by_hand():
    corpus = [
        s.split()
        for s in [
            "나는 엄청 배가 고프다",
            "형은 엄청 배가 고프다",
            "나는 무지 배가 고프다",
            "나는 무지 목이 마르다",
        ]
    ]
    expected = NGramLM(2, "kneser_ney").fit(corpus).prob("배가", ("무지",))
    d = Fraction(3, 4)
    by_hand = (1 - d) / 2 + d * 2 / 2 * ((2 - d) / 12 + d * 9 / 12 / 10)
    assert math.isclose(float(by_hand), expected)
    assert q6.check(expected).status == "passed"
    assert q6.check(by_hand).status == "passed"  # an exact Fraction
    assert "157/640" in q6.check(by_hand).message
    assert q6.check(round(expected, 4)).status == "passed"
    no_lambda = q6.check((1 - d) / 2)  # the discounted bigram term alone
    assert no_lambda.status == "failed" and "lambda(무지)" in no_lambda.message
    counts = (1 - d) / 2 + d * 2 / 2 * Fraction(3, 20)  # unigram MLE: 배가 is 3 of 20 tokens
    used_counts = q6.check(float(counts))
    assert used_counts.status == "failed" and "continuation counts" in used_counts.message
    far = q6.check(0.9)
    assert far.status == "failed" and "too large" in far.message and "hint" in far.message
    assert q6.check("0.245").status == "failed"
    assert q6.check(True).status == "failed"
    assert q6.check(____).status == "not attempted"


@pytest.mark.parametrize("exercise", [q1, q2, q3, q4, q6], ids=["q1", "q2", "q3", "q4", "q6"])
def test_hints_and_solutions(exercise):
    assert "Hint 1/" in repr(exercise.hint(1))
    assert exercise.solution().text.strip()


def test_q1_accepts_the_fraction_the_prompt_allows():
    assert q1.check(Fraction(1, 2)).status == "passed"


def test_q4_model_answer_runs_when_pasted_over_the_stub():
    """The solution a learner is shown must not rely on names the stub defined."""
    namespace: dict[str, object] = {"NGramLM": NGramLM}
    exec(q4.solution().text, namespace)
    assert q4.check(namespace["answer_q4"]).status == "passed"


# Issue 18: exercise 1.6 reads numbers by the shared policy (as_number).
_Q6_VALUE = float(Fraction(157, 640))


@pytest.mark.parametrize(
    "answer",
    [Fraction(157, 640), _Q6_VALUE, np.float64(_Q6_VALUE), np.array(_Q6_VALUE)],
    ids=["Fraction", "float", "NumPy float", "0-d array (new)"],
)
def test_q6_accepts_every_number_form(answer):
    assert q6.check(answer).status == "passed"


@pytest.mark.parametrize(
    "answer", [True, "0.245", np.array([_Q6_VALUE])], ids=["bool", "str", "1-D"]
)
def test_q6_refuses_non_numbers(answer):
    result = q6.check(answer)
    assert result.status == "failed" and "expected a number" in result.message
