"""Learners' LSTM and GRU steps for the tests of chapters 4 and 5: right, and with the usual slips.

Each helper returns a step written as a learner would write it, reading the column blocks of
Keras's kernel, recurrent kernel and bias as the gates named in ``order``: the right order
(``"ifco"`` for the LSTM, ``"zrh"`` for the GRU) gives the right step, another order a swap.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np


def sigmoid(v: np.ndarray) -> np.ndarray:
    """The logistic function, element-wise."""
    return 1 / (1 + np.exp(-v))


def lstm_reading(order: str) -> Callable[..., tuple[np.ndarray, np.ndarray]]:
    """``lstm_step(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias)`` reading the four column
    blocks as the gates named in ``order`` (Keras's order is ``"ifco"``)."""

    def lstm_step(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias):
        z = x_t @ kernel + h_prev @ recurrent_kernel + bias
        gate = dict(zip(order, np.split(z, 4, axis=-1), strict=True))
        c_t = sigmoid(gate["f"]) * c_prev + sigmoid(gate["i"]) * np.tanh(gate["c"])
        return sigmoid(gate["o"]) * np.tanh(c_t), c_t

    return lstm_step


def gru_reading(
    order: str, *, swapped: bool = False, reset_before: bool = False
) -> Callable[..., np.ndarray]:
    """``gru_step(x_t, h_prev, kernel, recurrent_kernel, bias)`` reading the three column blocks
    as the gates named in ``order`` (Keras's order is ``"zrh"``; ``bias`` has two rows).

    ``swapped=True`` mixes with the convention of other texts, ``(1 - z) * h_prev + z * h~``;
    ``reset_before=True`` applies ``r`` before the recurrent product, ``(r * h_prev) @ U_h``.
    """

    def gru_step(x_t, h_prev, kernel, recurrent_kernel, bias):
        xs = dict(zip(order, np.split(x_t @ kernel + bias[0], 3, axis=-1), strict=True))
        hs = dict(
            zip(order, np.split(h_prev @ recurrent_kernel + bias[1], 3, axis=-1), strict=True)
        )
        z, r = sigmoid(xs["z"] + hs["z"]), sigmoid(xs["r"] + hs["r"])
        if reset_before:
            column = 2 * h_prev.shape[-1]  # U_h and the recurrent bias of h: the last block
            candidate = np.tanh(
                xs["h"] + (r * h_prev) @ recurrent_kernel[:, column:] + bias[1][column:]
            )
        else:
            candidate = np.tanh(xs["h"] + r * hs["h"])
        return (1 - z) * h_prev + z * candidate if swapped else z * h_prev + (1 - z) * candidate

    return gru_step
