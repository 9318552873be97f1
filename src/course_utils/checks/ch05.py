"""Exercises of chapter 5, "GRU".

Introduced in: notebooks/05_gru.ipynb
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import permutations
from typing import Any

import numpy as np

from course_utils.check_helpers import block_order_message, permuted_blocks
from course_utils.exercises import (
    CallableCheck,
    Exercise,
    PredicateCheck,
    as_array,
    as_count,
    as_labels,
)

__all__ = ["q1", "q2", "q3", "q4", "q5", "q6"]

_AFTER = 3 * (32 * (10 + 32) + 2 * 32)
_BEFORE = 3 * (32 * (10 + 32) + 32)


def _q1_check(value: object) -> tuple[bool, str]:
    if isinstance(value, (tuple, list)):
        pair: list[object] | None = list(value)
    else:
        array = as_array(value)  # a 1-D array or tensor of two counts is a pair too
        pair = list(array) if array is not None and array.ndim == 1 else None
    if pair is None or len(pair) != 2:
        return False, (
            "answer with a pair (count with reset_after=True, count with reset_after=False), "
            f"e.g. (1000, 900); got {value!r:.80}"
        )
    counts = []
    for name, got in zip(("the first number", "the second number"), pair, strict=True):
        count = as_count(got)
        if count is None:
            return False, f"{name} must be a whole number of parameters; got {got!r:.60}"
        counts.append(count)
    after, before = counts
    if (after, before) == (_BEFORE, _AFTER):
        return False, "the two counts are swapped: which mode has the extra bias row?"
    if after == _AFTER and before == _BEFORE:
        return True, "Both counts are right: reset_after=True costs one extra bias per gate."
    wrong = []
    for name, got, want in (
        ("reset_after=True", after, _AFTER),
        ("reset_after=False", before, _BEFORE),
    ):
        if got != want:
            side = "too large" if got > want else "too small"
            wrong.append(f"the count for {name} is {side}")
    if int(after) - int(before) != 3 * 32:
        wrong.append("the two modes should differ by exactly one bias vector per gate")
    return False, "; ".join(wrong)


q1 = Exercise(
    "Exercise 5.1",
    var="answer_q1",
    check=PredicateCheck(_q1_check, description="the two GRU parameter counts"),
    hints=(
        "Three blocks (z, r, h), each with a kernel (10 x 32) and a recurrent kernel (32 x 32).",
        "reset_after=False has one bias of 32 per block; reset_after=True has two (an input "
        "bias and a recurrent bias): 3 * (32 * 42 + 2 * 32) and 3 * (32 * 42 + 32).",
    ),
    solution="answer_q1 = (3 * (32 * (10 + 32) + 2 * 32), 3 * (32 * (10 + 32) + 32))",
)


def _sigmoid(v: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-v))


def _gru_step_as(*, swapped: bool = False, reset_before: bool = False) -> Callable[..., Any]:
    """Keras's GRU step (``reset_after=True``), or one of the two usual formula slips.

    ``swapped``: the convention of other texts, ``(1 - z) * h_prev + z * candidate``.
    ``reset_before``: ``r`` applied before the recurrent product, ``(r * h_prev) @ U_h``.
    """

    def step(x_t, h_prev, kernel, recurrent_kernel, bias):
        x_z, x_r, x_h = np.split(x_t @ kernel + bias[0], 3, axis=-1)
        h_z, h_r, h_h = np.split(h_prev @ recurrent_kernel + bias[1], 3, axis=-1)
        z = _sigmoid(x_z + h_z)
        r = _sigmoid(x_r + h_r)
        if reset_before:
            units = h_prev.shape[-1]
            u_h, b_h = recurrent_kernel[:, 2 * units :], bias[1][2 * units :]
            candidate = np.tanh(x_h + (r * h_prev) @ u_h + b_h)
        else:
            candidate = np.tanh(x_h + r * h_h)
        if swapped:
            return (1 - z) * h_prev + z * candidate
        return z * h_prev + (1 - z) * candidate

    return step


_gru_step = _gru_step_as()


_GATES = ("z", "r", "h")
_GATE_NAMES = {"z": "update gate", "r": "reset gate", "h": "candidate"}


def _gru_mistakes() -> list[tuple]:
    """Steps that read the z, r, h blocks in another order, and the two usual formula slips."""
    mistakes = []
    for order in permutations(range(3)):
        if order != (0, 1, 2):
            read_as = tuple(_GATES[j] for j in np.argsort(order))
            message = block_order_message(read_as, _GATES, _GATE_NAMES)
            mistakes.append((permuted_blocks(_gru_step, order, 3, slice(2, 5)), message))

    mistakes.append(
        (
            _gru_step_as(swapped=True),
            "this is the swapped convention of other texts, (1 - z) * h_prev + z * candidate; "
            "Keras multiplies the previous state by z",
        )
    )
    mistakes.append(
        (
            _gru_step_as(reset_before=True),
            "you applied r before the recurrent product, (r * h_prev) @ U_h, which is "
            "reset_after=False; with reset_after=True r scales h_prev @ U_h + bias[1]'s h block",
        )
    )
    return mistakes


def _step_cases() -> list[tuple]:
    rng = np.random.default_rng(5)
    cases = []
    for batch, features, units in [(1, 2, 3), (3, 4, 2), (2, 5, 4)]:
        cases.append(
            (
                rng.normal(size=(batch, features)),
                rng.normal(size=(batch, units)),
                rng.normal(size=(features, 3 * units)),
                rng.normal(size=(units, 3 * units)),
                rng.normal(size=(2, 3 * units)),
            )
        )
    return cases


q2 = Exercise(
    "Exercise 5.2",
    var="gru_step",
    check=CallableCheck(
        _step_cases(),
        reference=_gru_step,
        rtol=1e-9,
        atol=1e-12,
        names=("h_t",),
        mistakes=_gru_mistakes(),
    ),
    hints=(
        "Two products: x_t @ kernel + bias[0] and h_prev @ recurrent_kernel + bias[1]. Split "
        "each into three blocks of `units` columns, in the order z, r, h.",
        "z and r are sigmoids of the sums of their blocks; the candidate is tanh(x_h + r * h_h) "
        "(reset after the product); h_t = z * h_prev + (1 - z) * candidate.",
    ),
    solution="""\
def gru_step(x_t, h_prev, kernel, recurrent_kernel, bias):
    x_z, x_r, x_h = np.split(x_t @ kernel + bias[0], 3, axis=-1)
    h_z, h_r, h_h = np.split(h_prev @ recurrent_kernel + bias[1], 3, axis=-1)
    z = 1 / (1 + np.exp(-(x_z + h_z)))
    r = 1 / (1 + np.exp(-(x_r + h_r)))
    candidate = np.tanh(x_h + r * h_h)  # reset_after=True: r scales h_prev @ U_h + b
    return z * h_prev + (1 - z) * candidate""",
)


def _mix_cases() -> list[tuple]:
    rng = np.random.default_rng(6)
    h_prev, h_tilde = np.array([0.5, -1.0]), np.array([0.9, 0.3])
    cases = [(h_prev, h_tilde, np.ones(2)), (h_prev, h_tilde, np.zeros(2))]
    for size in (3, 5):
        cases.append((rng.normal(size=size), rng.normal(size=size), rng.uniform(size=size)))
    return cases


def _mix(h_prev, h_tilde, z):
    return z * h_prev + (1 - z) * h_tilde


q3 = Exercise(
    "Exercise 5.3",
    var="mix",
    check=CallableCheck(
        _mix_cases(),
        reference=_mix,
        rtol=1e-12,
        atol=1e-12,
        mistakes=[
            (
                lambda h, c, z: (1 - z) * h + z * c,
                "this is the swapped convention of other texts, (1 - z) * h_prev + z * h_tilde; "
                "Keras multiplies the *previous* state by z",
            )
        ],
        passed="Right: z = 1 copies h_prev, z = 0 takes the candidate (Keras's way).",
    ),
    hints=(
        "In Keras, z = 1 must return h_prev unchanged and z = 0 must return h_tilde.",
        "h_t = z * h_prev + (1 - z) * h_tilde, elementwise.",
    ),
    solution="""\
def mix(h_prev, h_tilde, z):
    return z * h_prev + (1 - z) * h_tilde  # Keras: z = 1 keeps the past""",
)

_Q4_TRUE = {"a", "c"}
_Q4_REASONS = {
    "a": "a is true: with r = 0 the recurrent term r * (h_prev @ U_h + b) vanishes, so the "
    "candidate depends on x_t alone",
    "b": "b is false: h_t = z * h_prev + (1 - z) * h_tilde still keeps z * h_prev; the reset "
    "gate only acts inside the candidate",
    "c": "c is true: z = 1 copies h_prev whatever the candidate is",
    "d": "d is false: z and r are computed from h_prev through their own recurrent weights; "
    "r = 0 does not touch them",
}


def _letters_check(
    right: set[str], reasons: dict[str, str], item: str, missing: str
) -> Callable[[object], tuple[bool, str]]:
    """A multiple-choice check: the answer is the set of letters in ``right``.

    ``reasons`` explains every letter; a wrong choice gets its reason, missing right letters
    are counted (as "``missing``(s)"), and ``item`` names a choice in error messages.
    """
    letters = ", ".join(sorted(reasons))

    def check(value: object) -> tuple[bool, str]:
        chosen = as_labels(value)
        if chosen is None:
            return False, f'answer with a set of letters, e.g. {{"a", "b"}}; got {value!r:.80}'
        unknown = sorted(chosen - set(reasons))
        if unknown:
            return False, f"there is no {item} {', '.join(unknown)}; choose among {letters}"
        if chosen == right:
            return True, "Right: " + "; ".join(reasons[k] for k in sorted(right)) + "."
        notes = [reasons[k] for k in sorted(chosen - right)]
        if right - chosen:
            notes.append(f"{len(right - chosen)} {missing}(s) missing from your set")
        return False, "; ".join(notes)

    return check


q4 = Exercise(
    "Exercise 5.4",
    var="answer_q4",
    check=PredicateCheck(
        _letters_check(_Q4_TRUE, _Q4_REASONS, "statement", "true statement"),
        description="the true statements about r = 0",
    ),
    hints=(
        "Write out h~_t = tanh(x_t W_h + b_in + r_t * (h_{t-1} U_h + b_rec)) with r_t = 0.",
        "The reset gate appears only inside the candidate; the update gate decides how much of "
        "h_{t-1} survives.",
    ),
    solution='answer_q4 = {"a", "c"}',
)

_Q5_CUDNN = {"a", "d"}
_Q5_REASONS = {
    "a": "a (all defaults) can use cuDNN",
    "b": "b cannot: cuDNN's GRU applies the reset gate after the recurrent product, which is "
    "reset_after=True",
    "c": "c cannot: recurrent_dropout > 0 masks the state inside every step, which the fused "
    "kernel does not do",
    "d": "d can: dropout on the inputs is applied before the recurrent loop",
    "e": "e cannot: cuDNN implements tanh for the candidate only",
}


q5 = Exercise(
    "Exercise 5.5",
    var="answer_q5",
    check=PredicateCheck(
        _letters_check(_Q5_CUDNN, _Q5_REASONS, "layer", "eligible layer"),
        description="the layers that can run on cuDNN",
    ),
    hints=(
        "Read the requirements in `keras.layers.GRU.__doc__` (printed in section 5.3).",
        "Dropout on the inputs is fine; dropout on the recurrent connections, another "
        "activation or the reset-before form is not.",
    ),
    solution='answer_q5 = {"a", "d"}',
)

q6 = Exercise("Exercise 5.6", thought=True, answer_in_text=True, points=0)
