"""The exercises of chapter 5: a correct answer passes, typical mistakes get a specific reason."""

from __future__ import annotations

from fractions import Fraction

import keras
import numpy as np
import pytest
import tensorflow as tf
from gate_helpers import gru_reading

from course_utils import rnn_numpy
from course_utils.checks.ch05 import q1, q2, q3, q4, q5
from course_utils.exercises import ____


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
    right = gru_reading("zrh")
    reset_before = gru_reading("zrh", reset_before=True)
    swapped = gru_reading("zrh", swapped=True)

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


# ---------------------------------------------------------------------------------------------
# Issue 18: one coercion policy and messages that name the usual mistake. Cases marked "new"
# were refused (or explained with an array dump) before.
# ---------------------------------------------------------------------------------------------

_COUNTS = (3 * (32 * 42 + 64), 3 * (32 * 42 + 32))

Q1_VALID = {
    "ints": _COUNTS,
    "list": list(_COUNTS),
    "NumPy ints": tuple(np.int64(c) for c in _COUNTS),
    "floats (new)": tuple(float(c) for c in _COUNTS),
    "Fractions (new)": tuple(Fraction(c) for c in _COUNTS),
    "0-d arrays (new)": tuple(np.array(c) for c in _COUNTS),
    "0-d tensors (new)": tuple(tf.constant(c) for c in _COUNTS),
    "1-D array (new)": np.array(_COUNTS),
}


@pytest.mark.parametrize("name", list(Q1_VALID))
def test_q1_valid_variants(name):
    result = q1.check(Q1_VALID[name])
    assert result.status == "passed", result


@pytest.mark.parametrize(
    ("answer", "fragment"),
    [
        (_COUNTS[::-1], "swapped"),
        ((True, False), "whole number of parameters"),
        ((_COUNTS[0] + 0.5, _COUNTS[1]), "whole number of parameters"),
        ("4224, 4128", "answer with a pair"),
        (np.array(_COUNTS[0]), "answer with a pair"),
    ],
    ids=["swapped", "bools", "fractional", "str", "0-d array"],
)
def test_q1_wrong_answers(answer, fragment):
    result = q1.check(answer)
    assert result.status == "failed" and fragment in result.message, result


Q2_WRONG = {
    "z/r swapped (new)": (gru_reading("rzh"), "your update and reset gates look swapped"),
    "r/h swapped (new)": (gru_reading("zhr"), "your reset gate and candidate look swapped"),
    "z/h swapped (new)": (gru_reading("hrz"), "your update gate and candidate look swapped"),
    "other order (new)": (gru_reading("rhz"), "reads them as"),
    "1 - z convention (new)": (gru_reading("zrh", swapped=True), "swapped convention"),
    "slightly off (new)": (lambda *args: gru_reading("zrh")(*args) + 1e-6, "values differ"),
}


@pytest.mark.parametrize("name", list(Q2_WRONG))
def test_q2_wrong_answers_get_a_short_reason(name):
    answer, fragment = Q2_WRONG[name]
    result = q2.check(answer)
    assert result.status == "failed" and fragment in result.message, result
    assert len(result.message) < 260, result.message  # no array dump
    assert "array(" not in result.message and "at [0]" not in result.message


def test_q2_reset_before_is_named():
    result = q2.check(gru_reading("zrh", reset_before=True))
    assert result.status == "failed" and "reset_after=False" in result.message, result


def test_q2_accepts_a_tensor_result():
    result = q2.check(lambda *args: tf.constant(gru_reading("zrh")(*args)))
    assert result.status == "passed", result


@pytest.mark.parametrize(
    ("exercise", "answer"),
    [
        (q4, ("a", "c")),
        (q4, np.array(["a", "c"])),
        (q4, frozenset({"C", "a"})),
        (q5, ["a", "d"]),
        (q5, ("d", "a", "a")),
    ],
    ids=["4-tuple", "4-array (new)", "4-frozenset", "5-list", "5-tuple with repeat"],
)
def test_letter_answers_in_any_collection(exercise, answer):
    result = exercise.check(answer)
    assert result.status == "passed", result
