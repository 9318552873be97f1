"""The exercises of chapter 4: a correct answer passes, typical mistakes get a specific reason."""

from __future__ import annotations

import numpy as np
import pytest

from course_utils.checks.ch04 import q1, q2, q3, q4, q5
from course_utils.exercises import ____


def _sigmoid(v):
    return 1 / (1 + np.exp(-v))


def test_q1_parameter_count():
    assert q1.check(4 * (32 * 42 + 32)).status == "passed"
    simple_rnn = q1.check(32 * 42 + 32)
    assert simple_rnn.status == "failed" and "too small" in simple_rnn.message
    assert q1.check(____).status == "not attempted"


def test_q2_lstm_step():
    def right(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias):
        z = x_t @ kernel + h_prev @ recurrent_kernel + bias
        i, f, g, o = np.split(z, 4, axis=-1)
        c_t = _sigmoid(f) * c_prev + _sigmoid(i) * np.tanh(g)
        return _sigmoid(o) * np.tanh(c_t), c_t

    def swapped_i_f(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias):
        z = x_t @ kernel + h_prev @ recurrent_kernel + bias
        f, i, g, o = np.split(z, 4, axis=-1)
        c_t = _sigmoid(f) * c_prev + _sigmoid(i) * np.tanh(g)
        return _sigmoid(o) * np.tanh(c_t), c_t

    def squashed_cell(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias):
        h, c = right(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias)
        return h, np.tanh(c)

    assert q2.check(right).status == "passed"
    assert q2.check(swapped_i_f).status == "failed"
    assert q2.check(squashed_cell).status == "failed"
    assert q2.check(lambda *args: ____).status == "not attempted"


def test_q3_and_q4():
    assert q3.check(lambda c_prev, g: c_prev).status == "passed"
    assert q3.check(lambda c_prev, g: c_prev + g).status == "failed"
    assert q4.check(lambda kernel, units: kernel[:, units : 2 * units]).status == "passed"
    assert q4.check(lambda kernel, units: kernel[:, :units]).status == "failed"


def test_q5_return_state_shapes():
    assert q5.check([(8, 5, 16), (8, 16), (8, 16)]).status == "passed"
    assert q5.check([(8, 16), (8, 16), (8, 16)]).status == "failed"  # forgot return_sequences
    assert q5.check([____, ____, ____]).status == "not attempted"


@pytest.mark.parametrize("exercise", [q1, q2, q3, q4, q5], ids=["q1", "q2", "q3", "q4", "q5"])
def test_hints_and_solutions(exercise):
    assert "Hint 1/" in repr(exercise.hint(1))
    assert exercise.solution().text.strip()
