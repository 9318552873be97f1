"""Exercises of chapter 3, "Recurrent networks".

Introduced in: notebooks/03_recurrent_networks.ipynb
"""

from __future__ import annotations

import numpy as np

from course_utils.exercises import (
    CallableCheck,
    Exercise,
    PredicateCheck,
    ShapesCheck,
    Status,
)

__all__ = ["q1", "q2", "q3", "q4"]

q1 = Exercise(
    "Exercise 3.1",
    var="answer_q1",
    check=ShapesCheck({"last": (32, 16), "sequences": (32, 10, 16)}),
    hints=(
        "Without return_sequences a recurrent layer returns only its last state: (batch, units).",
        "With return_sequences=True it returns the state at every step: (batch, time, units).",
    ),
    solution="""\
answer_q1 = {"last": (32, 16), "sequences": (32, 10, 16)}""",
)


def _bptt_step(dh, h, h_prev, x, recurrent_kernel):
    da = dh * (1 - h**2)  # back through tanh
    return da @ recurrent_kernel.T, x.T @ da, h_prev.T @ da, da.sum(axis=0)


def _bptt_cases() -> list[tuple]:
    """(dh, h, h_prev, x, U) with h = tanh(x W + h_prev U + b), as in a forward pass."""
    rng = np.random.default_rng(4)
    cases = []
    for batch, features, units in [(1, 3, 2), (4, 5, 3), (2, 1, 6), (3, 2, 3)]:
        x = rng.normal(size=(batch, features))
        h_prev = np.tanh(rng.normal(size=(batch, units)))
        kernel = rng.normal(size=(features, units))
        recurrent_kernel = rng.normal(size=(units, units))
        h = np.tanh(x @ kernel + h_prev @ recurrent_kernel + rng.normal(size=units))
        cases.append((rng.normal(size=(batch, units)), h, h_prev, x, recurrent_kernel))
    return cases


def _close(got: object, expected: np.ndarray) -> bool:
    try:
        array = np.asarray(got, dtype=np.float64)
    except Exception:
        return False
    with np.errstate(all="ignore"):
        return array.shape == expected.shape and bool(
            np.allclose(array, expected, rtol=1e-7, atol=1e-10)
        )


def _bptt_diagnosis(got: object, args: tuple) -> str | None:
    """Name the usual mistake in one result of bptt_step, or None."""
    dh, h, h_prev, x, u = args
    if not isinstance(got, (tuple, list)) or len(got) != 4:
        return None
    dh_prev, dw, du, db = got
    da = dh * (1 - h**2)
    if any(
        _close(part, ref)
        for part, ref in zip(got, _bptt_step(dh, 0 * h, h_prev, x, u), strict=True)
    ):
        return (
            "you forgot the tanh derivative: first go back through tanh, "
            "da = dh * (1 - h**2), and build every result from da, not from dh"
        )
    if any(
        _close(part, ref)
        for part, ref in zip(got, _bptt_step(dh, h_prev, h_prev, x, u), strict=True)
    ):
        return (
            "the tanh derivative belongs to the state this step produced: 1 - h**2 with h = "
            "h_t, not h_prev"
        )
    if _close(dh_prev, da @ u) and not _close(dh_prev, da @ u.T):
        return (
            "dh_prev uses U where it needs its transpose: the step computed h_prev @ U, so the "
            "gradient goes back as da @ U.T"
        )
    if _close(dh_prev, (da @ u.T).T) or _close(dh_prev, u @ da.T):
        return (
            "dh_prev is transposed, (units, batch): with rows as examples it is da @ U.T, "
            "of shape (batch, units)"
        )
    if _close(dw, da.T @ x) or _close(du, da.T @ h_prev):
        return (
            "wrong multiplication order: dW = x.T @ da and dU = h_prev.T @ da have the shapes "
            "of the kernel and the recurrent kernel; da.T @ x gives their transposes"
        )
    if _close(du, h.T @ da):
        return "dU pairs da with the state that entered the step: h_prev.T @ da, not h.T @ da"
    if _close(db, da):
        return "db must add up the batch: da.sum(axis=0), of shape (units,)"
    return None


class _BPTTStepCheck(CallableCheck):
    """One step of BPTT on four cases; names the usual mistakes."""

    def __init__(self) -> None:
        super().__init__(
            _bptt_cases(),
            reference=_bptt_step,
            rtol=1e-7,
            atol=1e-10,
            diagnose=_bptt_diagnosis,
            passed="Right: through tanh (da = dh * (1 - h**2)), then da @ U.T back to h_prev and "
            "this step's shares of dW, dU and db.",
        )

    def _evaluate(self, value: object) -> tuple[Status, str]:
        status, message = super()._evaluate(value)
        if status == "error" and "ValueError" in message:
            return status, (
                f"{message}. With rows as examples the products are da @ U.T, x.T @ da and "
                "h_prev.T @ da"
            )
        return status, message


q2 = Exercise(
    "Exercise 3.2",
    var="bptt_step",
    check=_BPTTStepCheck(),
    hints=(
        "Go back through tanh first: da = dh * (1 - h**2), h being the state this step "
        "produced. The four results are products of da.",
        "Rows are examples: dh_prev = da @ U.T, dW = x.T @ da, dU = h_prev.T @ da, "
        "db = da.sum(axis=0).",
    ),
    solution="""\
def bptt_step(dh, h, h_prev, x, U):
    da = dh * (1 - h**2)  # back through tanh: diag(1 - h_t^2)
    return da @ U.T, x.T @ da, h_prev.T @ da, da.sum(axis=0)""",
)


def _rnn_step(x_t, h_prev, kernel, recurrent_kernel, bias):
    return np.tanh(x_t @ kernel + h_prev @ recurrent_kernel + bias)


def _cases() -> list[tuple]:
    rng = np.random.default_rng(3)
    cases = []
    for batch, features, units in [(1, 3, 2), (4, 5, 3), (2, 1, 6)]:
        cases.append(
            (
                rng.normal(size=(batch, features)),
                rng.normal(size=(batch, units)),
                rng.normal(size=(features, units)),
                rng.normal(size=(units, units)),
                rng.normal(size=(units,)),
            )
        )
    return cases


q3 = Exercise(
    "Exercise 3.3",
    var="rnn_step",
    check=CallableCheck(_cases(), reference=_rnn_step, rtol=1e-9, atol=1e-12),
    hints=(
        "h_t = tanh(x_t W + h_(t-1) U + b), with W = kernel and U = recurrent_kernel.",
        "With Keras's shapes the products are x_t @ kernel and h_prev @ recurrent_kernel "
        "(not kernel @ x_t); the bias broadcasts over the batch.",
    ),
    solution="""\
def rnn_step(x_t, h_prev, kernel, recurrent_kernel, bias):
    return np.tanh(x_t @ kernel + h_prev @ recurrent_kernel + bias)""",
)

_SHAPES = {
    "image captioning": "one-to-many",
    "sentiment of a movie review": "many-to-one",
    "translating Korean to English": "encoder-decoder",
    "part-of-speech tag for every word": "synchronous",
    "Korean spacing restoration": "synchronous",
}
_WHY = {
    "image captioning": "one vector (the image) becomes a sequence (the caption)",
    "sentiment of a movie review": "a whole sequence becomes one label",
    "translating Korean to English": "the output has its own length and word order, so the "
    "whole input is read before writing",
    "part-of-speech tag for every word": "one tag per input word, in step",
    "Korean spacing restoration": "one decision (space or not) per input syllable",
}


def _check_shapes(value):
    if not isinstance(value, dict):
        return False, f"expected a dict application -> shape, got {type(value).__name__}"
    allowed = {"one-to-many", "many-to-one", "encoder-decoder", "synchronous"}
    for app, shape in value.items():
        if shape not in allowed:
            return False, f"{app!r}: {shape!r} is not one of {sorted(allowed)}"
    missing = [a for a in _SHAPES if a not in value]
    if missing:
        return False, f"no answer for {missing[0]!r}"
    wrong = [a for a in _SHAPES if value[a] != _SHAPES[a]]
    if wrong:
        a = wrong[0]
        return False, f"{a!r} is not {value[a]!r}: think about what goes in and what comes out"
    return True, "; ".join(f"{a}: {_WHY[a]}" for a in _SHAPES)


q4 = Exercise(
    "Exercise 3.4",
    var="answer_q4",
    check=PredicateCheck(_check_shapes, description="the task shape of each application"),
    hints=(
        "Ask two questions: is the input one vector or a sequence? Is there one output, one "
        "output per input, or an output sequence of its own length?",
        "Translation changes length and order: encoder-decoder. Tagging and spacing give one "
        "output per input: synchronous.",
    ),
    solution="""\
answer_q4 = {
    "image captioning": "one-to-many",
    "sentiment of a movie review": "many-to-one",
    "translating Korean to English": "encoder-decoder",
    "part-of-speech tag for every word": "synchronous",
    "Korean spacing restoration": "synchronous",
}""",
)
