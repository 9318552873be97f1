"""Exercises of chapter 4, "LSTM".

Introduced in: notebooks/04_lstm.ipynb
"""

from __future__ import annotations

import numpy as np

from course_utils.exercises import CallableCheck, EqualityCheck, Exercise

__all__ = ["q1", "q2", "q3", "q4", "q5"]

q1 = Exercise(
    "Exercise 4.1",
    var="answer_q1",
    check=EqualityCheck(4 * (32 * (10 + 32) + 32), reveal=False),
    hints=(
        "Four gates, each with a kernel (10 x 32), a recurrent kernel (32 x 32) and a bias (32).",
        "4 * (32 * (10 + 32) + 32).",
    ),
    solution="answer_q1 = 4 * (32 * (10 + 32) + 32)",
)


def _sigmoid(v):
    return 1 / (1 + np.exp(-v))


def _lstm_step(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias):
    z = x_t @ kernel + h_prev @ recurrent_kernel + bias
    i, f, g, o = np.split(z, 4, axis=-1)
    c_t = _sigmoid(f) * c_prev + _sigmoid(i) * np.tanh(g)
    return _sigmoid(o) * np.tanh(c_t), c_t


def _step_cases() -> list[tuple]:
    rng = np.random.default_rng(4)
    cases = []
    for batch, features, units in [(1, 2, 3), (3, 4, 2), (2, 5, 4)]:
        cases.append(
            (
                rng.normal(size=(batch, features)),
                rng.normal(size=(batch, units)),
                rng.normal(size=(batch, units)),
                rng.normal(size=(features, 4 * units)),
                rng.normal(size=(units, 4 * units)),
                rng.normal(size=(4 * units,)),
            )
        )
    return cases


q2 = Exercise(
    "Exercise 4.2",
    var="lstm_step",
    check=CallableCheck(_step_cases(), reference=_lstm_step, rtol=1e-9, atol=1e-12),
    hints=(
        "Compute z = x_t @ kernel + h_prev @ recurrent_kernel + bias once, then split it into "
        "four blocks of `units` columns: i, f, g (the candidate), o.",
        "c_t = f * c_prev + i * tanh(g) with sigmoid on i, f and o; h_t = o * tanh(c_t). "
        "Return the tuple (h_t, c_t).",
    ),
    solution="""\
def lstm_step(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias):
    z = x_t @ kernel + h_prev @ recurrent_kernel + bias
    i, f, g, o = np.split(z, 4, axis=-1)
    i, f, o = (1 / (1 + np.exp(-v)) for v in (i, f, o))
    c_t = f * c_prev + i * np.tanh(g)
    return o * np.tanh(c_t), c_t""",
)

q3 = Exercise(
    "Exercise 4.3",
    var="keep",
    check=CallableCheck(
        [((0.5, 0.9), 0.5), ((-2.0, 0.1), -2.0), ((3.0, -1.0), 3.0), ((0.0, 1.0), 0.0)]
    ),
    hints=(
        "c_t = f * c_prev + i * g. Put f = 1 and i = 0.",
        "The candidate does not matter when the input gate is closed.",
    ),
    solution="""\
def keep(c_prev, g):
    return c_prev  # f = 1 keeps everything, i = 0 adds nothing""",
)


def _forget_block(kernel, units):
    return kernel[:, units : 2 * units]


def _block_cases() -> list[tuple]:
    rng = np.random.default_rng(5)
    return [(rng.normal(size=(rows, 4 * u)), u) for rows, u in [(3, 2), (5, 4), (4, 1)]]


q4 = Exercise(
    "Exercise 4.4",
    var="forget_block",
    check=CallableCheck(_block_cases(), reference=_forget_block),
    hints=(
        "The columns are four blocks of `units` columns each, in the order i, f, c, o.",
        "The forget gate is the second block: columns units .. 2 * units.",
    ),
    solution="""\
def forget_block(kernel, units):
    return kernel[:, units:2 * units]  # order i, f, c, o: the second block""",
)

q5 = Exercise(
    "Exercise 4.5",
    var="answer_q5",
    check=EqualityCheck([(8, 5, 16), (8, 16), (8, 16)]),
    hints=(
        "With return_state=True an LSTM returns [output, h, c]; with return_sequences=True the "
        "output holds every step's h.",
        "output: (batch, time, units); the final h and c: (batch, units) each.",
    ),
    solution="""\
answer_q5 = [(8, 5, 16), (8, 16), (8, 16)]  # all states, last h, last c""",
)
