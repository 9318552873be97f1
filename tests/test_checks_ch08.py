"""The exercises of chapter 8: a stub is "not attempted", the model answer passes, and each
plausible mistake fails for its own reason."""

from __future__ import annotations

import numpy as np
import pytest
import tensorflow as tf

from course_utils.checks.ch08 import q1, q2, q3, q4
from course_utils.exercises import ____

SCORES = np.array([2.0, 0.0, 1.0])


def _softmax(s):
    e = np.exp(s - s.max())
    return e / e.sum()


def test_q1_weights_by_hand():
    assert q1.check(____).status == "not attempted"
    right = _softmax(SCORES)
    for form in (right, right.tolist(), tuple(right), tf.constant(right), right.round(4)):
        assert q1.check(form).status == "passed"
    mistakes = {
        "scores q.k": SCORES,
        "did not divide": np.exp(SCORES),
        "divided the scores by their sum": SCORES / SCORES.sum(),
        "sqrt(2)": _softmax(SCORES / np.sqrt(2)),
        "sum to 1; yours": np.array([0.5, 0.5, 0.5]),
        "not the softmax": np.array([0.2, 0.3, 0.5]),
        "three weights": right[:2],
        "three numbers": "0.66 0.09 0.24",
    }
    for reason, answer in mistakes.items():
        result = q1.check(answer)
        assert result.status == "failed", reason
        assert reason in result.message, (reason, result.message)


def test_q2_causal_mask():
    def right(n):
        return np.tril(np.ones((n, n), dtype=bool))

    assert q2.check(right).status == "passed"
    assert q2.check(lambda n: right(n).astype(int)).status == "passed"
    assert q2.check(lambda n: right(n).tolist()).status == "passed"
    assert q2.check(lambda n: tf.linalg.band_part(tf.ones((n, n)), -1, 0)).status == "passed"
    assert q2.check(lambda n: ____).status == "not attempted"
    mistakes = {
        "upper triangle": lambda n: np.triu(np.ones((n, n), dtype=bool)),
        "swapped": lambda n: ~right(n),
        "diagonal must be True": lambda n: np.tril(np.ones((n, n), dtype=bool), -1),
        "array of shape (5, 5)": lambda n: right(n)[0] if n > 1 else right(n),
        "True/False (or 1/0) only": lambda n: right(n) * 0.5,
        "not the causal mask": lambda n: np.ones((n, n), dtype=bool),
    }
    for reason, fn in mistakes.items():
        result = q2.check(fn)
        assert result.status == "failed", reason
        assert reason in result.message, (reason, result.message)
    raised = q2.check(lambda n: 1 / 0)
    assert raised.status == "error" and "ZeroDivisionError" in raised.message


def test_q3_multi_head_shapes():
    right = {"output": (4, 10, 16), "scores": (4, 2, 10, 6)}
    assert q3.check(right).status == "passed"
    as_shapes = {"output": tf.TensorShape([4, 10, 16]), "scores": [4, 2, 10, 6]}
    assert q3.check(as_shapes).status == "passed"
    assert q3.check({"output": ____, "scores": ____}).status == "not attempted"
    mistakes = {
        "key_dim=8": dict(right, output=(4, 10, 8)),
        "per *query* position": dict(right, output=(4, 6, 16)),
        "heads axis": dict(right, scores=(4, 10, 6)),
        "query steps come before": dict(right, scores=(4, 2, 6, 10)),
        "no answer for 'scores'": {"output": (4, 10, 16)},
        "expected a dict": [(4, 10, 16), (4, 2, 10, 6)],
        "tuple of ints": dict(right, output="4, 10, 16"),
    }
    for reason, answer in mistakes.items():
        result = q3.check(answer)
        assert result.status == "failed", reason
        assert reason in result.message, (reason, result.message)


def _right_attend(q, k, v, mask=None):
    scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(q.shape[-1])
    if mask is not None:
        scores = np.where(mask, scores, -np.inf)
    e = np.exp(scores - scores.max(axis=-1, keepdims=True))
    weights = e / e.sum(axis=-1, keepdims=True)
    return weights @ v, weights


def test_q4_attend_right_answers():
    assert q4.check(_right_attend).status == "passed"

    def with_tf(q, k, v, mask=None):
        scores = tf.matmul(q, k, transpose_b=True) / np.sqrt(q.shape[-1])
        if mask is not None:
            scores = tf.where(mask, scores, -1e9)
        weights = tf.nn.softmax(scores, axis=-1)
        return tf.matmul(weights, v), weights

    assert q4.check(with_tf).status == "passed"
    assert q4.check(lambda q, k, v, mask=None: ____).status == "not attempted"


def test_q4_attend_mistakes_named():
    def unscaled(q, k, v, mask=None):
        return _right_attend(q * np.sqrt(q.shape[-1]), k, v, mask)

    def mask_ignored(q, k, v, mask=None):
        return _right_attend(q, k, v)

    def wrong_axis(q, k, v, mask=None):
        scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(q.shape[-1])
        e = np.exp(scores)
        weights = e / e.sum(axis=-2, keepdims=True)
        return weights @ v, weights

    def output_only(q, k, v, mask=None):
        return _right_attend(q, k, v, mask)[0]

    def weights_only_right(q, k, v, mask=None):
        _, weights = _right_attend(q, k, v, mask)
        return weights @ (2 * v), weights

    def raw_scores_returned(q, k, v, mask=None):
        out, _ = _right_attend(q, k, v, mask)
        return out, q @ np.swapaxes(k, -1, -2)

    mistakes = {
        "sqrt(d)": unscaled,
        "mask is ignored": mask_ignored,
        "axis=-1": wrong_axis,
        "return a pair": output_only,
        "output is not: it is weights @ v": weights_only_right,
        "return the weights (after the softmax)": raw_scores_returned,
    }
    for reason, fn in mistakes.items():
        result = q4.check(fn)
        assert result.status in ("failed", "error"), reason
        assert reason in result.message, (reason, result.message)


@pytest.mark.parametrize("exercise", [q1, q2, q3, q4], ids=["q1", "q2", "q3", "q4"])
def test_hints_and_solutions(exercise):
    assert "Hint 1/" in repr(exercise.hint(1))
    assert exercise.solution().text.strip()


def test_model_answers_run_and_pass():
    from tensorflow.keras import layers

    for exercise in (q1, q2, q3, q4):
        namespace = {"np": np, "layers": layers}
        exec(exercise.solution().text, namespace)
        assert exercise.check(namespace[exercise.var]).status == "passed", exercise.label
