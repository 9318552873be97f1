"""The exercises of chapter 3: a correct answer passes, typical mistakes get a specific reason."""

from __future__ import annotations

import numpy as np
import pytest

from course_utils.checks.ch03 import q1, q2, q3, q4
from course_utils.exercises import ____

RIGHT_Q4 = {
    "image captioning": "one-to-many",
    "sentiment of a movie review": "many-to-one",
    "translating Korean to English": "encoder-decoder",
    "part-of-speech tag for every word": "synchronous",
    "Korean spacing restoration": "synchronous",
}


def test_q1_shapes():
    assert q1.check({"last": (32, 16), "sequences": (32, 10, 16)}).status == "passed"
    swapped = q1.check({"last": (32, 10, 16), "sequences": (32, 16)})
    assert swapped.status == "failed"
    assert q1.check({"last": ____, "sequences": ____}).status == "not attempted"


def test_q2_parameter_count():
    assert q2.check(1568).status == "passed"
    forgot_recurrent = q2.check(16 * 32 + 32)
    assert forgot_recurrent.status == "failed" and "too small" in forgot_recurrent.message


def test_q3_rnn_step():
    def right(x_t, h_prev, kernel, recurrent_kernel, bias):
        return np.tanh(x_t @ kernel + h_prev @ recurrent_kernel + bias)

    def transposed(x_t, h_prev, kernel, recurrent_kernel, bias):
        return np.tanh(x_t @ kernel + h_prev @ recurrent_kernel.T + bias)

    def no_tanh(x_t, h_prev, kernel, recurrent_kernel, bias):
        return x_t @ kernel + h_prev @ recurrent_kernel + bias

    def wrong_order(x_t, h_prev, kernel, recurrent_kernel, bias):
        return np.tanh(kernel @ x_t + h_prev @ recurrent_kernel + bias)

    assert q3.check(right).status == "passed"
    assert q3.check(transposed).status == "failed"
    assert q3.check(no_tanh).status == "failed"
    raised = q3.check(wrong_order)
    assert raised.status == "error" and "ValueError" in raised.message


def test_q4_task_shapes():
    assert q4.check(RIGHT_Q4).status == "passed"
    wrong = dict(RIGHT_Q4, **{"translating Korean to English": "synchronous"})
    result = q4.check(wrong)
    assert result.status == "failed" and "translating" in result.message
    typo = q4.check(dict(RIGHT_Q4, **{"image captioning": "one to many"}))
    assert typo.status == "failed" and "not one of" in typo.message
    assert q4.check({k: ____ for k in RIGHT_Q4}).status == "not attempted"
    assert q4.check(["one-to-many"]).status == "failed"


@pytest.mark.parametrize("exercise", [q1, q2, q3, q4], ids=["q1", "q2", "q3", "q4"])
def test_hints_and_solutions(exercise):
    assert "Hint 1/" in repr(exercise.hint(1))
    assert exercise.solution().text.strip()
