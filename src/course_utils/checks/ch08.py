"""Exercises of chapter 8, "What comes next: attention".

Introduced in: notebooks/08_attention.ipynb
"""

from __future__ import annotations

import copy
from typing import Any

import numpy as np

from course_utils.attention import causal_mask, scaled_dot_product_attention
from course_utils.exercises import (
    CallableCheck,
    Check,
    Exercise,
    PredicateCheck,
    Status,
    is_placeholder,
)

__all__ = ["q1", "q2", "q3", "q4", "q5"]


def _numbers(value: object) -> np.ndarray | None:
    """``value`` as a float64 array (lists, tuples, arrays, tensors), or None."""
    if hasattr(value, "numpy") and callable(value.numpy):
        value = value.numpy()
    if isinstance(value, (str, bytes, dict, set)) or value is None:
        return None
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    return array


def _close(got: object, expected: np.ndarray, tol: float = 1e-6) -> bool:
    array = _numbers(got)
    if array is None or array.shape != expected.shape:
        return False
    with np.errstate(all="ignore"):
        return bool(np.allclose(array, expected, rtol=tol, atol=tol))


# ------------------------------------------------------------------- 8.1 weights by hand

Q1_QUERY = np.array([1.0, 0.0])
Q1_KEYS = np.array([[2.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
_Q1_SCORES = Q1_KEYS @ Q1_QUERY
_Q1_WEIGHTS = np.exp(_Q1_SCORES) / np.exp(_Q1_SCORES).sum()


def _check_q1(value: Any) -> tuple[bool, str]:
    got = _numbers(value)
    if got is None:
        return False, f"expected three numbers (a list or an array), got {type(value).__name__}"
    if got.shape != (3,):
        return False, f"expected three weights, one per key, got shape {got.shape}"
    if _close(got, _Q1_WEIGHTS, 1e-3):
        return True, (
            "Right: scores q.k = [2, 0, 1], and their softmax gives most of the attention to the "
            "first key, the one that points the same way as the query."
        )
    if _close(got, _Q1_SCORES, 1e-3):
        return False, "these are the scores q.k; the weights are their softmax"
    if _close(got, np.exp(_Q1_SCORES), 1e-3):
        return False, "you took exp of the scores but did not divide by their sum"
    if _close(got, _Q1_SCORES / _Q1_SCORES.sum(), 1e-3):
        return (
            False,
            "you divided the scores by their sum; the softmax divides exp(score) by the sum of exp",
        )
    scaled = np.exp(_Q1_SCORES / np.sqrt(2))
    if _close(got, scaled / scaled.sum(), 1e-3):
        return False, (
            "you divided the scores by sqrt(2): keras.layers.Attention() does not scale them "
            "(use_scale=False), so the weights are the softmax of q.k itself"
        )
    if abs(got.sum() - 1) > 1e-3:
        return False, f"attention weights sum to 1; yours sum to {got.sum():.4g}"
    return False, "the weights sum to 1 but are not the softmax of the dot products q.k"


q1 = Exercise(
    "Exercise 8.1",
    var="answer_q1",
    check=PredicateCheck(_check_q1, description="the attention weights of one query"),
    hints=(
        "First the scores: the dot product of the query with each key, q @ keys.T.",
        "Then the softmax: np.exp(scores) / np.exp(scores).sum(). Keras's Attention() does not "
        "scale the scores.",
    ),
    solution="""\
query_q1 = np.array([1.0, 0.0])
keys_q1 = np.array([[2.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
scores = keys_q1 @ query_q1  # [2, 0, 1]
answer_q1 = np.exp(scores) / np.exp(scores).sum()""",
)


# -------------------------------------------------------------------- 8.2 a causal mask


def _mask_diagnosis(got: object, n: int) -> str | None:
    right = causal_mask(n)
    array = _numbers(got)
    if array is None or array.shape != right.shape:
        return None
    if n > 1 and np.array_equal(array != 0, right.T):
        return (
            "this is the upper triangle: row i is query i and column j key j, and query i may "
            "look back (j <= i), not ahead; use np.tril"
        )
    if n > 1 and np.array_equal(array != 0, ~right):
        return (
            "True and False are swapped: in Keras True means 'may attend', so the allowed keys "
            "are True"
        )
    if np.array_equal(array != 0, np.tril(np.ones((n, n), bool), -1)):
        return "the diagonal must be True too: each position may attend to itself (j <= i)"
    return None


class _CausalMaskCheck(CallableCheck):
    """make_causal_mask(n) for several n; names the usual mistakes."""

    def __init__(self) -> None:
        super().__init__([(1,), (3,), (5,)], reference=causal_mask)

    def for_grading(self, seed: int) -> Check:
        """The same check on sizes drawn from the grader's seed (1 and three between 2 and 12)."""
        sizes = np.random.default_rng([int(seed) % 2**63, 8]).choice(np.arange(2, 13), 3, False)
        graded = copy.copy(self)
        graded._args = tuple((int(n),) for n in sorted([1, *sizes.tolist()]))
        graded._expected = None
        return graded

    def _evaluate(self, value: object) -> tuple[Status, str]:
        if not callable(value):
            return super()._evaluate(value)
        for (n,) in reversed(self._args):  # the largest n tells the mistakes apart
            try:
                got = value(n)
            except Exception:
                return super()._evaluate(value)
            if is_placeholder(got):
                return super()._evaluate(value)
            array = _numbers(got)
            if array is None or array.shape != (n, n):
                shape = None if array is None else array.shape
                return "failed", (
                    f"make_causal_mask({n}) must return a True/False array of shape ({n}, {n}); "
                    f"got "
                    f"{type(got).__name__}" + (f" of shape {shape}" if shape is not None else "")
                )
            if not np.isin(array, (0, 1)).all():
                return "failed", f"make_causal_mask({n}) must hold True/False (or 1/0) only"
            diagnosis = _mask_diagnosis(got, n)
            if diagnosis:
                return "failed", diagnosis
            if not np.array_equal(array != 0, causal_mask(n)):
                return "failed", (
                    f"make_causal_mask({n}) is not the causal mask: entry (i, j) is True exactly "
                    "when j <= i"
                )
        return "passed", (
            "Right: a lower-triangular mask, the one MultiHeadAttention(use_causal_mask=True) "
            "builds."
        )


q2 = Exercise(
    "Exercise 8.2",
    var="make_causal_mask",
    check=_CausalMaskCheck(),
    hints=(
        "Row i is the query at position i, column j the key at position j. Which keys may a "
        "language model look at when it predicts the word after position i?",
        "np.tril(np.ones((n, n), dtype=bool)) is True on and below the diagonal.",
    ),
    solution="""\
def make_causal_mask(n):
    return np.tril(np.ones((n, n), dtype=bool))  # True where j <= i""",
)


# ----------------------------------------------------------- 8.3 MultiHeadAttention shapes

_Q3 = {"output": (4, 10, 16), "scores": (4, 2, 10, 6)}


def _shape(value: object) -> tuple[int, ...] | None:
    if hasattr(value, "as_list") and callable(value.as_list):  # a TensorShape
        value = value.as_list()
    if hasattr(value, "shape") and not isinstance(value, (tuple, list)):
        value = tuple(value.shape)
    if not isinstance(value, (tuple, list)):
        return None
    try:
        return tuple(int(v) for v in value)
    except (TypeError, ValueError):
        return None


def _check_q3(value: Any) -> tuple[bool, str]:
    if not isinstance(value, dict):
        return (
            False,
            f'expected a dict {{"output": ..., "scores": ...}}, got {type(value).__name__}',
        )
    for key in _Q3:
        if key not in value:
            return False, f"no answer for {key!r}"
        if is_placeholder(value[key]):
            return False, f"{key!r} is still ____"
    out, scores = _shape(value["output"]), _shape(value["scores"])
    if out is None or scores is None:
        return False, "give each shape as a tuple of ints, e.g. (4, 10, 16)"
    if out != _Q3["output"]:
        if out == (4, 10, 8):
            return False, (
                "key_dim=8 is the size of each head's queries and keys; the output layer projects "
                "back to the query's feature size"
            )
        if out[:2] == (4, 6):
            return False, "the output has one row per *query* position (10), not per key"
        return False, f"'output' is not {out}: it has the batch, the query's steps and its features"
    if scores != _Q3["scores"]:
        if scores == (4, 10, 6):
            return False, "the scores have a heads axis too: (batch, heads, query steps, key steps)"
        if scores == (4, 2, 6, 10):
            return False, "query steps come before key steps: row i holds query i's weights"
        return False, f"'scores' is not {scores}: (batch, heads, query steps, key steps)"
    return True, (
        "Right: the output has the query's shape; return_attention_scores=True adds the weights, "
        "one (10, 6) matrix per head and example."
    )


q3 = Exercise(
    "Exercise 8.3",
    var="answer_q3",
    check=PredicateCheck(_check_q3, description="the shapes MultiHeadAttention returns"),
    hints=(
        "The output has one row per query position, with the query's number of features "
        "(the layer's last Dense projects back to it).",
        "The scores are (batch, heads, query steps, key steps). Check by running the layer "
        "with return_attention_scores=True.",
    ),
    solution="""\
mha = layers.MultiHeadAttention(num_heads=2, key_dim=8)
out, scores = mha(
    np.zeros((4, 10, 16)), np.zeros((4, 6, 16)), return_attention_scores=True
)
answer_q3 = {"output": tuple(out.shape), "scores": tuple(scores.shape)}""",
)


# --------------------------------------------------- 8.4 scaled dot-product attention


def _reference(q, k, v, mask=None):
    return scaled_dot_product_attention(q, k, v, mask=mask)


def _cases() -> list[tuple]:
    rng = np.random.default_rng(8)
    cases: list[tuple] = []
    for batch, tq, tv, d, dv in [(None, 3, 4, 2, 3), (2, 5, 5, 4, 2), (3, 4, 4, 8, 5)]:
        lead = () if batch is None else (batch,)
        q = rng.normal(size=(*lead, tq, d))
        k = rng.normal(size=(*lead, tv, d))
        v = rng.normal(size=(*lead, tv, dv))
        cases.append((q, k, v, causal_mask(tq) if tq == tv else None))
    return cases


def _attend_diagnosis(got: object, args: tuple) -> str | None:
    q, k, v, mask = args
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        return "return a pair (output, weights)"
    out, weights = got
    right_out, right_w = _reference(q, k, v, mask)
    unscaled = scaled_dot_product_attention(q, k, v, mask=mask, scale=1.0)
    if _close(weights, unscaled[1]):
        return "divide the scores by sqrt(d), d = q.shape[-1]: that is the 'scaled' in the name"
    if mask is not None and _close(weights, _reference(q, k, v)[1]):
        return (
            "the mask is ignored: where mask is False the weight must be 0 (set those scores "
            "to -inf)"
        )
    if _close(out, right_out) and not _close(weights, right_w):
        return "the output is right; return the weights (after the softmax) as the second item"
    weights_array = _numbers(weights)
    if weights_array is not None and weights_array.shape == right_w.shape:
        if not np.allclose(weights_array.sum(axis=-1), 1.0, atol=1e-6):
            return "each query's weights must sum to 1: take the softmax over the keys, axis=-1"
    if _close(weights, right_w) and _close(out, right_w @ v):
        return None
    if _close(weights, right_w):
        return "the weights are right but the output is not: it is weights @ v"
    return None


q4 = Exercise(
    "Exercise 8.4",
    var="attend",
    check=CallableCheck(
        _cases(),
        reference=_reference,
        rtol=1e-7,
        atol=1e-9,
        diagnose=_attend_diagnosis,
        passed="Right: softmax(q k^T / sqrt(d)) with the masked scores at -inf, then the "
        "weighted sum of the values; the same as Keras's MultiHeadAttention inside.",
    ),
    hints=(
        "scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(q.shape[-1]) works for one sequence and "
        "for a batch.",
        "Where mask is False set the score to -np.inf (np.where), subtract the row maximum, "
        "take exp and divide by the sum over the last axis; the output is weights @ v.",
    ),
    solution="""\
def attend(q, k, v, mask=None):
    scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(q.shape[-1])
    if mask is not None:
        scores = np.where(mask, scores, -np.inf)
    e = np.exp(scores - scores.max(axis=-1, keepdims=True))
    weights = e / e.sum(axis=-1, keepdims=True)
    return weights @ v, weights""",
)

q5 = Exercise("Exercise 8.5", thought=True, answer_in_text=True, points=0)
