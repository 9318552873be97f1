"""The exercises of chapter 5: a correct answer passes, typical mistakes get a specific reason."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from course_utils import rnn_numpy
from course_utils.checks.ch05 import q1, q2, q3, q4, q5
from course_utils.exercises import ____


def _sigmoid(v):
    return 1 / (1 + np.exp(-v))


def test_q1_counts_match_keras():
    counts = []
    for reset_after in (True, False):
        layer = keras.layers.GRU(32, reset_after=reset_after)
        layer.build((None, None, 10))
        counts.append(layer.count_params())
    assert q1.check(tuple(counts)).status == "passed"
    assert q1.check(list(counts)).status == "passed"
    swapped = q1.check(tuple(reversed(counts)))
    assert swapped.status == "failed" and "swapped" in swapped.message
    lstm_like = q1.check((4 * 32 * 42, counts[1]))
    assert lstm_like.status == "failed" and "too large" in lstm_like.message
    assert q1.check(counts[0]).status == "failed"
    assert q1.check((1.5, "x")).status == "failed"
    assert q1.check(____).status == "not attempted"


def _keras_step(x_t, h_prev, kernel, recurrent_kernel, bias):
    run = rnn_numpy.gru_forward(x_t[:, None, :], kernel, recurrent_kernel, bias, [h_prev])
    return run


def test_q2_gru_step():
    def right(x_t, h_prev, kernel, recurrent_kernel, bias):
        x_z, x_r, x_h = np.split(x_t @ kernel + bias[0], 3, axis=-1)
        h_z, h_r, h_h = np.split(h_prev @ recurrent_kernel + bias[1], 3, axis=-1)
        z, r = _sigmoid(x_z + h_z), _sigmoid(x_r + h_r)
        return z * h_prev + (1 - z) * np.tanh(x_h + r * h_h)

    def reset_before(x_t, h_prev, kernel, recurrent_kernel, bias):
        units = h_prev.shape[-1]
        x_z, x_r, x_h = np.split(x_t @ kernel + bias[0], 3, axis=-1)
        h_z, h_r, _ = np.split(h_prev @ recurrent_kernel + bias[1], 3, axis=-1)
        z, r = _sigmoid(x_z + h_z), _sigmoid(x_r + h_r)
        candidate = np.tanh(
            x_h + (r * h_prev) @ recurrent_kernel[:, 2 * units :] + bias[1][2 * units :]
        )
        return z * h_prev + (1 - z) * candidate

    def swapped(x_t, h_prev, kernel, recurrent_kernel, bias):
        x_z, x_r, x_h = np.split(x_t @ kernel + bias[0], 3, axis=-1)
        h_z, h_r, h_h = np.split(h_prev @ recurrent_kernel + bias[1], 3, axis=-1)
        z, r = _sigmoid(x_z + h_z), _sigmoid(x_r + h_r)
        return (1 - z) * h_prev + z * np.tanh(x_h + r * h_h)

    assert q2.check(right).status == "passed"
    assert q2.check(_keras_step).status == "passed"  # the library's own GRU agrees
    assert q2.check(reset_before).status == "failed"
    assert q2.check(swapped).status == "failed"
    assert q2.check(lambda *args: ____).status == "not attempted"
    assert q2.check(lambda *args: 1 / 0).status == "error"


def test_q3_keras_convention():
    assert q3.check(lambda h, c, z: z * h + (1 - z) * c).status == "passed"
    swapped = q3.check(lambda h, c, z: (1 - z) * h + z * c)
    assert swapped.status == "failed" and "swapped convention" in swapped.message
    assert q3.check(lambda h, c, z: h).status == "failed"
    assert q3.check("z * h").status == "failed"
    assert q3.check(lambda h, c, z: ____).status == "not attempted"


@pytest.mark.parametrize(
    ("answer", "status", "fragment"),
    [
        ({"a", "c"}, "passed", "a is true"),
        (["A", "c "], "passed", "c is true"),
        ({"a"}, "failed", "1 true statement(s) missing"),
        ({"a", "b", "c"}, "failed", "b is false"),
        ({"a", "c", "d"}, "failed", "d is false"),
        ({"a", "z"}, "failed", "no statement z"),
        ("ac", "failed", "set of letters"),
    ],
)
def test_q4_reset_gate_statements(answer, status, fragment):
    outcome = q4.check(answer)
    assert outcome.status == status and fragment in outcome.message


def test_q4_and_q5_placeholder():
    assert q4.check(____).status == "not attempted"
    assert q5.check({____}).status == "not attempted"


@pytest.mark.parametrize(
    ("answer", "status", "fragment"),
    [
        ({"a", "d"}, "passed", "d can"),
        ({"a"}, "failed", "1 eligible layer(s) missing"),
        ({"a", "b", "d"}, "failed", "reset_after=True"),
        ({"a", "c", "d"}, "failed", "recurrent_dropout"),
        ({"a", "d", "e"}, "failed", "tanh"),
        (3, "failed", "set of letters"),
    ],
)
def test_q5_cudnn_layers(answer, status, fragment):
    outcome = q5.check(answer)
    assert outcome.status == status and fragment in outcome.message


@pytest.mark.parametrize("exercise", [q1, q2, q3, q4, q5], ids=["q1", "q2", "q3", "q4", "q5"])
def test_hints_and_solutions(exercise):
    assert "Hint 1/" in repr(exercise.hint(1))
    assert exercise.solution().text.strip()
