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


def _right_bptt_step(dh, h, h_prev, x, U):
    da = dh * (1 - h**2)
    return da @ U.T, x.T @ da, h_prev.T @ da, da.sum(axis=0)


def test_q2_bptt_step_right_answers():
    assert q2.check(_right_bptt_step).status == "passed"

    def as_lists(dh, h, h_prev, x, U):
        return [part.tolist() for part in _right_bptt_step(dh, h, h_prev, x, U)]

    def list_of_arrays(dh, h, h_prev, x, U):
        return list(_right_bptt_step(dh, h, h_prev, x, U))

    assert q2.check(as_lists).status == "passed"
    assert q2.check(list_of_arrays).status == "passed"
    assert q2.check(lambda dh, h, h_prev, x, U: ____).status == "not attempted"


def test_q2_bptt_step_mistakes_named():
    def u_not_transposed(dh, h, h_prev, x, U):
        da = dh * (1 - h**2)
        return da @ U, x.T @ da, h_prev.T @ da, da.sum(axis=0)

    def no_tanh_derivative(dh, h, h_prev, x, U):
        return dh @ U.T, x.T @ dh, h_prev.T @ dh, dh.sum(axis=0)

    def wrong_order(dh, h, h_prev, x, U):
        da = dh * (1 - h**2)
        return da @ U.T, da.T @ x, da.T @ h_prev, da.sum(axis=0)

    def derivative_of_h_prev(dh, h, h_prev, x, U):
        da = dh * (1 - h_prev**2)
        return da @ U.T, x.T @ da, h_prev.T @ da, da.sum(axis=0)

    result = q2.check(u_not_transposed)
    assert result.status == "failed" and "U.T" in result.message
    assert "transpose" in result.message
    result = q2.check(no_tanh_derivative)
    assert result.status == "failed" and "tanh derivative" in result.message
    result = q2.check(wrong_order)
    assert result.status == "failed" and "multiplication order" in result.message
    result = q2.check(derivative_of_h_prev)
    assert result.status == "failed" and "not h_prev" in result.message
    raised = q2.check(lambda dh, h, h_prev, x, U: (U @ dh, x, h, dh))
    assert raised.status == "error" and "da @ U.T" in raised.message


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


# Issue 18: exercise 3.1 reads shapes by the shared policy (ShapesCheck / as_shape).
def _layer_outputs():
    import keras

    x = np.zeros((32, 10, 8), dtype="float32")
    return {
        "last": keras.layers.SimpleRNN(16)(x),
        "sequences": keras.layers.SimpleRNN(16, return_sequences=True)(x),
    }


@pytest.mark.parametrize(
    "convert",
    [tuple, list, lambda t: t.shape, np.shape, lambda t: t],
    ids=["tuple", "list", "TensorShape", "np.shape", "the tensor itself (new)"],
)
def test_q1_accepts_every_shape_form(convert):
    answer = {
        key: convert(tuple(t.shape)) if convert in (tuple, list) else convert(t)
        for key, t in _layer_outputs().items()
    }
    assert q1.check(answer).status == "passed"


def test_q1_refuses_a_missing_batch_size():
    result = q1.check({"last": (None, 16), "sequences": (32, 10, 16)})
    assert result.status == "failed" and "give every size for this batch" in result.message
