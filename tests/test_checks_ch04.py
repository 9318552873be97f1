"""The exercises of chapter 4: a correct answer passes, typical mistakes get a specific reason."""

from __future__ import annotations

import keras
import numpy as np
import pytest
import tensorflow as tf
from gate_helpers import lstm_reading

from course_utils.checks.ch04 import q1, q2, q3, q4, q5
from course_utils.exercises import ____


def _remembering(forget, fillers, threshold=0.9):
    return np.flatnonzero((np.asarray(forget)[fillers] > threshold).all(axis=0))


@pytest.mark.parametrize(
    "convert",
    [list, tuple, np.asarray, lambda units: units.astype(float), lambda units: units[::-1]],
    ids=["list", "tuple", "array", "float array", "reversed"],
)
def test_q1_right_answers_in_any_container(convert):
    result = q1.check(
        lambda forget, fillers, threshold=0.9: convert(_remembering(forget, fillers, threshold))
    )
    assert result.status == "passed", result.message


def test_q1_cases_are_not_trivial():
    for forget, fillers, *_rest in q1._check._cases:
        assert forget.shape[0] > fillers[-1] + 1 and fillers[0] >= 2
    assert any(_remembering(*args).size for args in q1._check._cases)
    assert any(not _remembering(*args).size for args in q1._check._cases)


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (lambda f, p, t=0.9: _remembering(f, [i + 1 for i in p], t), "one step later"),
        (lambda f, p, t=0.9: _remembering(f, [i - 1 for i in p], t), "one step earlier"),
        (lambda f, p, t=0.9: np.flatnonzero((f[p] >= t).all(axis=0)), "use >, not >="),
        (lambda f, p, t=0.9: np.flatnonzero((f[p] > t).any(axis=0)), ".all, not .any"),
        (lambda f, p, t=0.9: np.flatnonzero((f > t).all(axis=0)), "every time step"),
        (lambda f, p, t=0.9: _remembering(f[p[0] : p[-1]], range(p[-1] - p[0])), "slice"),
        (lambda f, p, t=0.9: _remembering(f, p), "threshold argument"),
        (lambda f, p, t=0.9: (f[p] > t).all(axis=0), "returned a mask"),
        (lambda f, p, t=0.9: (f[p] > t).all(axis=0).astype(int), "0/1 mask"),
        (lambda f, p, t=0.9: f[p] > t, "returned a mask"),
        (lambda f, p, t=0.9: None, "return statement"),
        (lambda f, p, t=0.9: {0, 1}, "1-D list, tuple or array of ints"),
        (lambda f, p, t=0.9: [0], "expected units"),
    ],
    ids=[
        "later",
        "earlier",
        ">=",
        "any",
        "all rows",
        "slice",
        "fixed 0.9",
        "bool mask",
        "int mask",
        "2-D mask",
        "None",
        "set",
        "wrong",
    ],
)
def test_q1_typical_mistakes_get_a_reason(answer, words):
    result = q1.check(answer)
    assert result.status == "failed"
    assert words in result.message, result.message


def test_q1_errors_and_stub():
    def raises(forget, fillers, threshold=0.9):
        raise ValueError("boom")

    result = q1.check(raises)
    assert result.status == "error" and "ValueError: boom" in result.message
    assert q1.check(lambda forget, fillers, threshold=0.9: ____).status == "not attempted"
    assert q1.check(____).status == "not attempted"
    assert q1.check(3).status == "failed"


def test_q1_does_not_change_the_cases():
    def in_place(forget, fillers, threshold=0.9):
        units = _remembering(forget, fillers, threshold)
        forget[:] = 0
        fillers.clear()
        return units

    assert q1.check(in_place).status == "passed"
    assert q1.check(in_place).status == "passed"


def test_q2_lstm_step():
    right = lstm_reading("ifco")
    swapped_i_f = lstm_reading("fico")

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


# ---------------------------------------------------------------------------------------------
# Issue 18: valid variants accepted, wrong answers refused with a short reason that names the
# usual mistake. Cases marked "new" failed (or gave a long array dump) before.
# ---------------------------------------------------------------------------------------------


_RIGHT_STEP = lstm_reading("ifco")

Q2_VALID = {
    "tuple": _RIGHT_STEP,
    "list": lambda *args: list(_RIGHT_STEP(*args)),
    "tensors": lambda *args: tuple(tf.constant(part) for part in _RIGHT_STEP(*args)),
}


@pytest.mark.parametrize("name", list(Q2_VALID))
def test_q2_valid_variants(name):
    result = q2.check(Q2_VALID[name])
    assert result.status == "passed", result


Q2_WRONG = {
    "i/f swapped (new)": (lstm_reading("fico"), "your input and forget gates look swapped"),
    "f/c swapped (new)": (lstm_reading("icfo"), "your forget gate and candidate look swapped"),
    "c/o swapped (new)": (lstm_reading("ifoc"), "your candidate and output gate look swapped"),
    "other order (new)": (lstm_reading("oicf"), "reads them as o, i, c, f"),
    "(c_t, h_t) (new)": (lambda *args: _RIGHT_STEP(*args)[::-1], "you return (c_t, h_t)"),
    "h_t only (new)": (lambda *args: _RIGHT_STEP(*args)[0], "return the tuple (h_t, c_t)"),
    "no tanh on c_t (new)": (
        lambda *args: (
            _RIGHT_STEP(*args)[0] / np.tanh(_RIGHT_STEP(*args)[1]) * _RIGHT_STEP(*args)[1],
            _RIGHT_STEP(*args)[1],
        ),
        "goes through tanh",
    ),
    "slightly off (new)": (
        lambda *args: (_RIGHT_STEP(*args)[0] * 1.01, _RIGHT_STEP(*args)[1]),
        "h_t:",
    ),
}


@pytest.mark.parametrize("name", list(Q2_WRONG))
def test_q2_wrong_answers_get_a_short_reason(name):
    answer, fragment = Q2_WRONG[name]
    result = q2.check(answer)
    assert result.status == "failed" and fragment in result.message, result
    assert len(result.message) < 260, result.message  # no array dump
    assert "array(" not in result.message and not result.message.startswith("at [0]")


_LSTM_OUTPUTS = keras.layers.LSTM(16, return_sequences=True, return_state=True)(
    np.zeros((8, 5, 3), dtype="float32")
)

Q5_VALID = {
    "tuples": [(8, 5, 16), (8, 16), (8, 16)],
    "lists": [[8, 5, 16], [8, 16], [8, 16]],
    "tuple of tuples": ((8, 5, 16), (8, 16), (8, 16)),
    "TensorShapes": [t.shape for t in _LSTM_OUTPUTS],
    "tf.shape tensors": [tf.shape(t) for t in _LSTM_OUTPUTS],
    "int arrays": [np.array(t.shape) for t in _LSTM_OUTPUTS],
    "the tensors themselves (new)": list(_LSTM_OUTPUTS),
}


@pytest.mark.parametrize("name", list(Q5_VALID))
def test_q5_valid_variants(name):
    result = q5.check(Q5_VALID[name])
    assert result.status == "passed", result


@pytest.mark.parametrize(
    ("answer", "fragment"),
    [
        ([(8, 16), (8, 16), (8, 16)], "shape 0 of 3: expected (8, 5, 16), got (8, 16)"),
        ([(8, 5, 16), (8, 16)], "expected 3 shapes, got 2"),
        ((8, 5, 16), "expected a list of 3 shapes"),
        ([(None, 5, 16), (8, 16), (8, 16)], "give every size for this batch"),
        (["(8, 5, 16)", (8, 16), (8, 16)], "expected a shape"),
    ],
    ids=["no return_sequences", "two shapes", "one shape (new)", "None batch (new)", "str (new)"],
)
def test_q5_wrong_answers(answer, fragment):
    result = q5.check(answer)
    assert result.status == "failed" and fragment in result.message, result
