"""Exercises of chapter 3, "Recurrent networks".

Introduced in: notebooks/03_recurrent_networks.ipynb
"""

from __future__ import annotations

import numpy as np

from course_utils.exercises import CallableCheck, EqualityCheck, Exercise, PredicateCheck

__all__ = ["q1", "q2", "q3", "q4"]

q1 = Exercise(
    "Exercise 3.1",
    var="answer_q1",
    check=EqualityCheck({"last": (32, 16), "sequences": (32, 10, 16)}),
    hints=(
        "Without return_sequences a recurrent layer returns only its last state: (batch, units).",
        "With return_sequences=True it returns the state at every step: (batch, time, units).",
    ),
    solution="""\
answer_q1 = {"last": (32, 16), "sequences": (32, 10, 16)}""",
)

q2 = Exercise(
    "Exercise 3.2",
    var="answer_q2",
    check=EqualityCheck(16 * 32 + 32 * 32 + 32, reveal=False),
    hints=(
        "Three weights: kernel (features x units), recurrent_kernel (units x units), bias (units).",
        "16 * 32 + 32 * 32 + 32.",
    ),
    solution="answer_q2 = 16 * 32 + 32 * 32 + 32  # kernel + recurrent kernel + bias",
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
