"""Recurrent networks in NumPy (chapter 3; LSTM in 4, GRU in 5): SimpleRNN and BPTT, LSTM, GRU.

The chapter on recurrent networks computes by hand what ``keras.layers.SimpleRNN`` computes,
so that every number can be printed and checked against Keras:

* **Forward pass.** :func:`simple_rnn_forward` runs a SimpleRNN on Keras's *own* weights, in
  the order of ``layer.get_weights()``: ``kernel`` of shape ``(input_dim, units)``,
  ``recurrent_kernel`` of shape ``(units, units)`` and ``bias`` of shape ``(units,)``.
* **Backpropagation through time.** :func:`simple_rnn_bptt` gives the gradients of a loss with
  respect to every weight, the initial state and the input, and the gradient ``dL/dh_t``
  arriving at every hidden state: the quantity that vanishes or explodes.
* **Vanishing and exploding gradients.** :func:`random_recurrent_matrix` builds a recurrent
  matrix with a chosen spectral radius (:func:`spectral_radius`), and
  :func:`gradient_norms_through_time` measures ``||dL/dh_{T-k}||`` against the distance ``k``
  from the loss (Bengio et al. 1994; Pascanu et al. 2013).
* **Gated cells.** :func:`lstm_forward` (chapter 4) and :func:`gru_forward` (chapter 5, both
  of Keras's ``reset_after`` modes) run ``keras.layers.LSTM`` and ``keras.layers.GRU`` on their
  own weights, whose gate blocks Keras stores side by side (LSTM ``i, f, c, o``; GRU
  ``z, r, h``), and can return every gate at every step for plotting.
  :func:`simple_rnn_param_count`, :func:`lstm_param_count` and :func:`gru_param_count` give the
  layers' parameter counts.

Conventions (Keras's): a batch of sequences ``x`` has shape ``(batch, time, input_dim)``; every
vector is a *row*, so a step multiplies from the right::

    a_t = x_t @ kernel + h_{t-1} @ recurrent_kernel + bias      (batch, units)
    h_t = activation(a_t)                                        (batch, units)

for ``t = 1 .. T``, starting from ``h_0`` (zeros unless an initial state is given, as with
``layer(x, initial_state=[h0])``). Everything is computed in float64 and returned as float64
(Keras computes in float32, so the two agree to about 1e-6).

A single sequence of shape ``(time, input_dim)`` is accepted wherever a batch is: it is treated
as a batch of one, and every array that has a batch axis (the initial state, the states, the
output gradients and the input gradient) then goes without it, e.g. ``h0`` of shape ``(units,)``.

This module imports NumPy only (no TensorFlow).

Introduced in: notebooks/03_recurrent_networks.ipynb
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Literal, NamedTuple

import numpy as np
import numpy.typing as npt

from course_utils.validation import (
    check_bool,
    check_choice,
    check_int,
    check_real,
    check_real_array,
    describe,
)

__all__ = [
    "GRUOutput",
    "LSTMOutput",
    "gradient_norms_through_time",
    "gru_forward",
    "gru_param_count",
    "lstm_forward",
    "lstm_param_count",
    "random_recurrent_matrix",
    "simple_rnn_bptt",
    "simple_rnn_forward",
    "simple_rnn_param_count",
    "spectral_radius",
]

FloatArray = npt.NDArray[np.float64]
Activation = Literal["tanh", "linear", "relu"]

_ACTIVATIONS: Final[tuple[str, ...]] = ("tanh", "linear", "relu")
_MATRIX_KINDS: Final[tuple[str, ...]] = ("orthogonal", "gaussian")
_DIRECTIONS: Final[tuple[str, ...]] = ("random", "ones")
_DEFAULT_UNITS: Final[int] = 32


# ---------------------------------------------------------------------------------------------
# Argument checking
# ---------------------------------------------------------------------------------------------


def _as_real_array(value: object, name: str, layout: str) -> FloatArray:
    """``value`` as a float64 array (any shape), or a TypeError/ValueError naming ``name``."""
    expected = f"{name} must be an array of real numbers of shape {layout}"
    if isinstance(value, (str, bytes, dict)) or value is None:
        raise TypeError(f"{expected}; got {describe(value)}")
    return check_real_array(value, expected, convert="it to an array").astype(np.float64)


def _check_finite(array: FloatArray, name: str) -> FloatArray:
    """Return ``array`` if every entry is finite, or raise naming the first bad entry."""
    bad = np.argwhere(~np.isfinite(array))
    if bad.size:
        index = tuple(int(i) for i in bad[0])
        raise ValueError(
            f"{name} must hold finite numbers only; got {float(array[index])!r} at index {index}"
        )
    return array


@dataclass(frozen=True)
class _Dims:
    """The sizes of one SimpleRNN call, and where they were read from (for error messages)."""

    batch: int
    time: int
    input_dim: int
    units: int
    batched: bool
    origin: str

    def size(self, axis: str) -> int:
        """The size of an axis named ``"units"``, ``"4*units"`` (a multiple) or ``"2"`` (fixed)."""
        if axis.isdigit():
            return int(axis)
        factor, star, name = axis.rpartition("*")
        size = int(getattr(self, name))
        return int(factor) * size if star else size

    def check(self, array: FloatArray, name: str, axes: tuple[str, ...]) -> FloatArray:
        """Check ``array``'s shape against ``axes`` (no batch axis for one sequence).

        An axis is a field's name (``"units"``), a multiple of one (``"4*units"``, the gate
        blocks of an LSTM) or a fixed size (``"2"``, the two bias rows of a GRU).
        """
        if not self.batched:
            axes = tuple(axis for axis in axes if axis != "batch")
        expected = tuple(self.size(axis) for axis in axes)
        if array.shape != expected:
            layout = "(" + ", ".join(axes) + ("," if len(axes) == 1 else "") + ")"
            raise ValueError(
                f"{name} must have shape {layout} = {expected}, got {array.shape} ({self.origin})"
            )
        return _check_finite(array, name)


def _check_x(x: object) -> tuple[FloatArray, bool]:
    """Return ``x`` as a finite (batch, time, input_dim) array and whether it was batched."""
    layout = "(batch, time, input_dim), or (time, input_dim) for one sequence"
    array = _as_real_array(x, "x", layout)
    if array.ndim not in (2, 3) or 0 in array.shape:
        raise ValueError(
            f"x must have shape {layout}, with every size >= 1; got shape {array.shape}"
        )
    _check_finite(array, "x")
    batched = array.ndim == 3
    return (array if batched else array[np.newaxis]), batched


def _check_square(matrix: object, name: str) -> FloatArray:
    """Return ``matrix`` as a finite square float64 matrix, or raise naming ``name``."""
    array = _as_real_array(matrix, name, "(units, units)")
    if array.ndim != 2 or array.shape[0] != array.shape[1] or array.shape[0] < 1:
        raise ValueError(
            f"{name} must have shape (units, units), a non-empty square matrix; "
            f"got shape {array.shape}"
        )
    return _check_finite(array, name)


def _dims_of(x3: FloatArray, batched: bool, recurrent: FloatArray) -> _Dims:
    """The sizes read from the checked input ``x3`` and the recurrent kernel (``units`` rows)."""
    batch, time, input_dim = x3.shape
    units = recurrent.shape[0]
    x_shape = x3.shape if batched else x3.shape[1:]
    if batched:
        from_x = (
            f"batch = {batch}, time = {time}, input_dim = {input_dim} from x of shape {x_shape}"
        )
    else:
        from_x = f"x is one sequence of shape {x_shape}: time = {time}, input_dim = {input_dim}"
    origin = f"{from_x}; units = {units} from recurrent_kernel of shape {recurrent.shape}"
    return _Dims(int(batch), int(time), int(input_dim), int(units), batched, origin)


def _check_weights(
    x: object, kernel: object, recurrent_kernel: object, bias: object
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray, _Dims]:
    """Check the input and the three Keras weights; return them as float64 and the sizes.

    ``input_dim`` is read from ``x`` and ``units`` from ``recurrent_kernel``; the kernel and the
    bias are then checked against both, and every message says where the sizes came from.
    """
    x3, batched = _check_x(x)
    recurrent = _check_square(recurrent_kernel, "recurrent_kernel")
    dims = _dims_of(x3, batched, recurrent)
    w = dims.check(
        _as_real_array(kernel, "kernel", "(input_dim, units)"), "kernel", ("input_dim", "units")
    )
    b = dims.check(_as_real_array(bias, "bias", "(units,)"), "bias", ("units",))
    return x3, w, recurrent, b, dims


def _check_state(h0: object, dims: _Dims) -> FloatArray:
    """The initial state as a (batch, units) array: zeros for ``None``, else checked."""
    if h0 is None:
        return np.zeros((dims.batch, dims.units))
    layout = "(batch, units)" if dims.batched else "(units,)"
    array = _as_real_array(h0, "h0", layout)
    if dims.batched and array.shape == (1, dims.batch, dims.units):
        raise ValueError(
            f"h0 must have shape (batch, units) = {(dims.batch, dims.units)}, got {array.shape}: "
            "pass the state itself, not a list [h0] as for Keras's initial_state=[h0]"
        )
    array = dims.check(array, "h0", ("batch", "units"))
    return array if dims.batched else array[np.newaxis]


def _check_activation(activation: object) -> str:
    return check_choice(activation, "activation", _ACTIVATIONS)


# ---------------------------------------------------------------------------------------------
# Forward pass
# ---------------------------------------------------------------------------------------------


def _apply(activation: str, pre: FloatArray) -> FloatArray:
    """The activation function applied to the pre-activation ``pre``."""
    if activation == "tanh":
        return np.tanh(pre)
    if activation == "relu":
        return np.maximum(pre, 0.0)
    return pre


def _derivative(activation: str, states: FloatArray) -> FloatArray:
    """``activation'(a_t)`` written with the output ``h_t = activation(a_t)`` only."""
    if activation == "tanh":
        return 1.0 - states**2
    if activation == "relu":
        return (states > 0.0).astype(np.float64)  # 0 at a_t = 0, as in TensorFlow
    return np.ones_like(states)


def _run(
    x: FloatArray,
    kernel: FloatArray,
    recurrent: FloatArray,
    bias: FloatArray,
    h0: FloatArray,
    activation: str,
) -> FloatArray:
    """All the hidden states ``h_1 .. h_T``, shape (batch, time, units)."""
    inputs = x @ kernel + bias  # the input part of every step at once: (batch, time, units)
    states = np.empty(inputs.shape)
    h = h0
    for t in range(x.shape[1]):
        h = _apply(activation, inputs[:, t] + h @ recurrent)
        states[:, t] = h
    return states


def simple_rnn_forward(
    x: npt.ArrayLike,
    kernel: npt.ArrayLike,
    recurrent_kernel: npt.ArrayLike,
    bias: npt.ArrayLike,
    h0: npt.ArrayLike | None = None,
    *,
    return_sequences: bool = False,
    activation: Activation = "tanh",
) -> FloatArray:
    """Run a Keras ``SimpleRNN`` in NumPy, on the layer's own weights.

    For ``t = 1 .. T`` (rows are examples, so the weights multiply from the right)::

        h_t = activation(x_t @ kernel + h_{t-1} @ recurrent_kernel + bias)

    which is exactly ``keras.layers.SimpleRNN(units, activation=activation)`` with
    ``layer.get_weights() == [kernel, recurrent_kernel, bias]``, called as ``layer(x)`` or
    ``layer(x, initial_state=[h0])``. The computation is done in float64.

    Args:
        x: The inputs, shape ``(batch, time, input_dim)``; or one sequence of shape
            ``(time, input_dim)``, treated as a batch of one whose batch axis is dropped again
            from the result (and must be absent from ``h0``).
        kernel: The input weights, shape ``(input_dim, units)``.
        recurrent_kernel: The recurrent weights, shape ``(units, units)``.
        bias: The bias, shape ``(units,)``.
        h0: The initial state ``h_0``, shape ``(batch, units)`` (``(units,)`` for one
            sequence); ``None`` (the default) means zeros, as in Keras.
        return_sequences: ``False`` (the default): return the last state ``h_T`` only, like
            Keras's default; ``True``: return every state ``h_1 .. h_T``.
        activation: Keras's name of the activation: ``"tanh"`` (the default), ``"relu"`` or
            ``"linear"`` (the identity, what Keras's ``activation=None`` gives).

    Returns:
        A float64 array: ``h_T`` of shape ``(batch, units)``, or with ``return_sequences=True``
        the states of shape ``(batch, time, units)`` (without the batch axis for one sequence).
        The last of the states is the last state.

    Raises:
        TypeError: If an argument has the wrong type (e.g. a str or a bool array).
        ValueError: If an array has the wrong shape (the message gives the shape expected and
            the one received), holds NaN or infinity, or ``activation`` is unknown.

    Example:
        >>> x = np.array([[[1.0], [0.0], [0.0]]])                 # batch 1, time 3, input_dim 1
        >>> kernel, recurrent, bias = np.array([[1.0]]), np.array([[0.5]]), np.zeros(1)
        >>> simple_rnn_forward(x, kernel, recurrent, bias, activation="linear")  # 1, 0.5, 0.25
        array([[0.25]])
        >>> simple_rnn_forward(x[0], kernel, recurrent, bias, return_sequences=True).round(4)
        array([[0.7616],
               [0.3634],
               [0.1797]])

    Introduced in: notebooks/03_recurrent_networks.ipynb
    """
    x3, w, u, b, dims = _check_weights(x, kernel, recurrent_kernel, bias)
    state = _check_state(h0, dims)
    name = _check_activation(activation)
    sequences = check_bool(return_sequences, "return_sequences")
    states = _run(x3, w, u, b, state, name)
    result = states if sequences else states[:, -1]
    return result if dims.batched else result[0]


# ---------------------------------------------------------------------------------------------
# Backpropagation through time
# ---------------------------------------------------------------------------------------------


def simple_rnn_bptt(
    x: npt.ArrayLike,
    kernel: npt.ArrayLike,
    recurrent_kernel: npt.ArrayLike,
    bias: npt.ArrayLike,
    h0: npt.ArrayLike | None = None,
    *,
    dlast: npt.ArrayLike | None = None,
    dsequence: npt.ArrayLike | None = None,
    activation: Activation = "tanh",
) -> dict[str, FloatArray]:
    """Backpropagation through time (BPTT) for a Keras ``SimpleRNN``, in NumPy.

    The loss ``L`` is given through its gradient with respect to the layer's outputs:
    ``dlast = dL/dh_T`` (a model that uses the last state, ``return_sequences=False``) and/or
    ``dsequence[:, t] = dL/dh_t`` for every step (``return_sequences=True``). For instance the
    loss ``L = sum(h_T * g)`` has ``dlast = g``. At least one of the two must be given; if both
    are, the loss is their sum.

    With the forward pass ``a_t = x_t @ W + h_{t-1} @ U + b`` and ``h_t = phi(a_t)`` (``W`` the
    kernel, ``U`` the recurrent kernel, rows are examples), the gradients are computed from
    ``t = T`` down to ``t = 1``::

        dh_t    = dsequence_t + [t == T] * dlast + delta_{t+1} @ U.T     (delta_{T+1} = 0)
        delta_t = dh_t * phi'(a_t)                 # = dh_t * (1 - h_t**2) for tanh
        dW  = sum_t x_t.T @ delta_t                # (input_dim, units); sums over the batch
        dU  = sum_t h_{t-1}.T @ delta_t            # (units, units)
        db  = sum_t sum_batch delta_t              # (units,)
        dx_t = delta_t @ W.T                       # (batch, input_dim)
        dh_0 = delta_1 @ U.T                       # (batch, units)

    ``dh_t`` is the *total* gradient ``dL/dh_t`` reaching state ``t``: directly from the loss
    and through all later states. Going back one step multiplies it by ``diag(phi'(a_t)) @ U.T``;
    as ``0 < 1 - h**2 <= 1``, tanh can only shrink it, so a recurrent kernel with small
    spectral radius makes gradients *vanish* with the distance, and only a large one (spectral
    radius > 1) can make them *explode* (Pascanu et al. 2013).

    Args:
        x: The inputs, shape ``(batch, time, input_dim)``, or ``(time, input_dim)`` for one
            sequence (then no array below has a batch axis).
        kernel: The input weights, shape ``(input_dim, units)`` (``layer.get_weights()[0]``).
        recurrent_kernel: The recurrent weights, shape ``(units, units)``.
        bias: The bias, shape ``(units,)``.
        h0: The initial state, shape ``(batch, units)``; ``None`` means zeros.
        dlast: ``dL/dh_T``, shape ``(batch, units)``, or ``None``.
        dsequence: ``dL/dh_t`` for ``t = 1 .. T``, shape ``(batch, time, units)``, or ``None``.
        activation: ``"tanh"`` (the default, the SimpleRNN's), ``"relu"`` or ``"linear"``.

    Returns:
        A dict of float64 arrays: ``"kernel"``, ``"recurrent_kernel"``, ``"bias"``, ``"h0"``
        (also when ``h0`` is ``None``: the gradient with respect to the zero initial state) and
        ``"x"``, each the gradient of ``L`` with the shape of that argument, and ``"dh"`` of
        shape ``(batch, time, units)``: ``dh[:, t - 1] = dL/dh_t``, the total gradient flowing
        into hidden state ``h_t``.

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If an array has the wrong shape or holds NaN or infinity, if neither
            ``dlast`` nor ``dsequence`` is given, or if ``activation`` is unknown.

    Example:
        >>> x = np.array([[1.0], [0.0], [0.0]])                  # one sequence: time 3
        >>> kernel, recurrent, bias = np.array([[1.0]]), np.array([[0.5]]), np.zeros(1)
        >>> grads = simple_rnn_bptt(x, kernel, recurrent, bias, dlast=np.ones(1),
        ...                         activation="linear")
        >>> grads["dh"].ravel()                                  # 0.5 per step back
        array([0.25, 0.5 , 1.  ])
        >>> grads["recurrent_kernel"]                            # h_1 * 0.5 + h_2 * 1
        array([[1.]])
        >>> sorted(grads)
        ['bias', 'dh', 'h0', 'kernel', 'recurrent_kernel', 'x']

    Introduced in: notebooks/03_recurrent_networks.ipynb
    """
    x3, w, u, b, dims = _check_weights(x, kernel, recurrent_kernel, bias)
    state = _check_state(h0, dims)
    name = _check_activation(activation)
    if dlast is None and dsequence is None:
        last = "(batch, units)" if dims.batched else "(units,)"
        sequence = "(batch, time, units)" if dims.batched else "(time, units)"
        raise ValueError(
            "simple_rnn_bptt needs the loss's gradient with respect to the outputs: give "
            f"dlast = dL/dh_T of shape {last} and/or dsequence = dL/dh_t of shape {sequence} "
            f"({dims.origin}); got neither"
        )
    upstream = np.zeros((dims.batch, dims.time, dims.units))
    if dsequence is not None:
        layout = "(batch, time, units)" if dims.batched else "(time, units)"
        array = _as_real_array(dsequence, "dsequence", layout)
        upstream += dims.check(array, "dsequence", ("batch", "time", "units")).reshape(
            upstream.shape
        )
    if dlast is not None:
        layout = "(batch, units)" if dims.batched else "(units,)"
        array = _as_real_array(dlast, "dlast", layout)
        upstream[:, -1] += dims.check(array, "dlast", ("batch", "units")).reshape(
            dims.batch, dims.units
        )

    states = _run(x3, w, u, b, state, name)
    slopes = _derivative(name, states)
    dh = np.empty_like(states)
    deltas = np.empty_like(states)
    carry = np.zeros((dims.batch, dims.units))  # delta_{t+1} @ U.T: what later steps send back
    for t in range(dims.time - 1, -1, -1):
        dh[:, t] = upstream[:, t] + carry
        deltas[:, t] = dh[:, t] * slopes[:, t]
        carry = deltas[:, t] @ u.T
    previous = np.concatenate([state[:, np.newaxis], states[:, :-1]], axis=1)  # h_0 .. h_{T-1}
    grads = {
        "kernel": np.einsum("bti,btu->iu", x3, deltas),
        "recurrent_kernel": np.einsum("btv,btu->vu", previous, deltas),
        "bias": deltas.sum(axis=(0, 1)),
        "h0": carry,
        "x": deltas @ w.T,
        "dh": dh,
    }
    if not dims.batched:
        for key in ("h0", "x", "dh"):
            grads[key] = grads[key][0]
    return grads


# ---------------------------------------------------------------------------------------------
# Recurrent matrices and gradient norms through time
# ---------------------------------------------------------------------------------------------


def _spectral_radius(matrix: FloatArray) -> float:
    return float(np.max(np.abs(np.linalg.eigvals(matrix))))


def spectral_radius(matrix: npt.ArrayLike) -> float:
    """The spectral radius of a square matrix: the largest modulus of its eigenvalues.

    ``max |lambda_i|`` over the (possibly complex) eigenvalues ``lambda_i``. It governs the
    long-run growth of repeated products: ``||v @ U^k||`` grows or shrinks like
    ``spectral_radius(U) ** k`` for large ``k`` (for almost every ``v``). It is at most the
    spectral *norm* (the largest singular value), with equality for instance for a multiple of
    an orthogonal matrix; for such a matrix the growth is exact at every ``k``.

    Args:
        matrix: A square real matrix, shape ``(n, n)``, e.g. a ``recurrent_kernel``.

    Returns:
        The spectral radius, a float >= 0.

    Raises:
        TypeError: If ``matrix`` is not an array of real numbers.
        ValueError: If it is not a non-empty square matrix or holds NaN or infinity.

    Example:
        >>> round(spectral_radius([[0.0, 2.0], [-2.0, 0.0]]), 12)  # eigenvalues +2i and -2i
        2.0
        >>> round(spectral_radius([[0.5, 10.0], [0.0, 0.25]]), 12)  # triangular: the diagonal
        0.5

    Introduced in: notebooks/03_recurrent_networks.ipynb
    """
    return _spectral_radius(_check_square(matrix, "matrix"))


def random_recurrent_matrix(
    units: int,
    spectral_radius: float,
    seed: int = 0,
    *,
    kind: Literal["orthogonal", "gaussian"] = "orthogonal",
) -> FloatArray:
    """A random ``(units, units)`` recurrent kernel with a given spectral radius.

    * ``kind="orthogonal"`` (the default): ``spectral_radius * Q`` with ``Q`` a random
      orthogonal matrix (uniformly distributed: the QR decomposition of a standard Gaussian
      matrix, with the signs of ``R``'s diagonal moved into ``Q``). Every eigenvalue *and every
      singular value* has modulus ``spectral_radius``, so ``||v @ M^k|| = r^k ||v||`` exactly
      for every vector ``v``: the cleanest case for the vanishing/exploding experiment. Keras's
      default ``recurrent_initializer="orthogonal"`` draws such a matrix with ``r = 1``.
    * ``kind="gaussian"``: a matrix of independent standard Gaussian entries, scaled so that
      its spectral radius is ``spectral_radius``. Its eigenvalues fill a disk (the circular
      law) and its singular values spread up to about twice the radius, so norms follow
      ``r^k`` only in the long run.

    The draws come from ``np.random.default_rng(seed)``: the same seed gives the same matrix,
    and for a given seed and kind the matrices of different radii are multiples of each other.

    Args:
        units: The size of the matrix, an integer >= 1.
        spectral_radius: The spectral radius wanted, a finite real number >= 0.
        seed: The random seed, an integer >= 0.
        kind: ``"orthogonal"`` or ``"gaussian"``.

    Returns:
        A float64 array of shape ``(units, units)`` whose spectral radius is
        ``spectral_radius`` (up to rounding, about 1e-15 relative).

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If ``units < 1``, ``spectral_radius`` is negative or not finite, ``seed``
            is negative, or ``kind`` is unknown.

    Example:
        >>> m = random_recurrent_matrix(4, 0.9, seed=1)
        >>> m.shape, round(spectral_radius(m), 12)
        ((4, 4), 0.9)
        >>> np.allclose(m @ m.T, 0.81 * np.eye(4))             # 0.9 times an orthogonal matrix
        True

    Introduced in: notebooks/03_recurrent_networks.ipynb
    """
    size = check_int(units, "units", 1)
    radius = check_real(spectral_radius, "spectral_radius", 0.0)
    generator = np.random.default_rng(check_int(seed, "seed", 0))
    which = check_choice(kind, "kind", _MATRIX_KINDS)
    gaussian = generator.standard_normal((size, size))
    if which == "orthogonal":
        q, r = np.linalg.qr(gaussian)
        signs = np.where(np.diag(r) < 0.0, -1.0, 1.0)
        return radius * (q * signs)
    return gaussian * (radius / _spectral_radius(gaussian))


def gradient_norms_through_time(
    recurrent_kernel: npt.ArrayLike | None = None,
    *,
    time_steps: int,
    spectral_radius: float | None = None,
    units: int | None = None,
    kind: Literal["orthogonal", "gaussian"] = "orthogonal",
    linear: bool = False,
    input_dim: int = 8,
    input_scale: float = 0.1,
    batch: int = 1,
    direction: Literal["random", "ones"] = "random",
    seed: int = 0,
) -> FloatArray:
    """How the gradient ``||dL/dh_{T-k}||`` changes with the distance ``k`` from the loss.

    The vanishing/exploding-gradient experiment: a SimpleRNN with the given recurrent kernel
    reads a random input sequence of ``time_steps`` steps, the loss sits on the *last* state
    only (``L = sum(h_T * d)`` for a direction ``d``, so ``dL/dh_T = d``), and BPTT
    (:func:`simple_rnn_bptt`) carries the gradient back to every earlier state. Entry ``k`` of
    the result is ``||dL/dh_{T-k}||``: ``k = 0`` is the last state, ``k = time_steps - 1`` the
    first. Plot it on a log scale against ``k`` for spectral radii 0.5, 1.0, 1.5, ...

    The recurrent kernel is either given (``recurrent_kernel``) or built, with
    ``random_recurrent_matrix(units, spectral_radius, seed, kind=kind)``; give exactly one of
    ``recurrent_kernel`` and ``spectral_radius``. The rest is drawn from
    ``np.random.default_rng([seed, 1])``, in this order: the input kernel (entries of standard
    deviation ``input_scale / sqrt(input_dim)``, so that each step's input adds about
    ``input_scale`` to each pre-activation), the inputs ``x`` (standard Gaussian, shape
    ``(batch, time_steps, input_dim)``) and, with ``direction="random"``, the directions ``d``.
    The bias and the initial state are zero. The same seed therefore gives the same inputs for
    every radius, and with a built matrix the same matrix up to scale.

    With ``linear=True`` the activation is the identity: ``dL/dh_{T-k} = d @ (U.T)^k``, the
    pure effect of the Jacobian product (exactly ``r^k ||d||`` for an orthogonal matrix times
    ``r``). With tanh (the default) every step back also multiplies by ``1 - h_t^2 <= 1``, so
    for an orthogonal matrix the tanh curve never lies above the linear one.

    Args:
        recurrent_kernel: A square recurrent matrix ``(units, units)``, or ``None`` to build one
            from ``spectral_radius``.
        time_steps: The length ``T`` of the input sequence, an integer >= 1.
        spectral_radius: The spectral radius of the matrix to build (a real number >= 0).
        units: The size of the matrix to build (default 32); with ``recurrent_kernel`` it may be
            given only if it matches.
        kind: ``"orthogonal"`` or ``"gaussian"``, the kind of matrix to build (see
            :func:`random_recurrent_matrix`); ignored with ``recurrent_kernel``.
        linear: Use the identity instead of tanh.
        input_dim: The input size, an integer >= 1.
        input_scale: The size of the inputs' contribution to each pre-activation, >= 0. Small
            values keep tanh near its linear regime; large ones saturate it.
        batch: How many random sequences to average over (the result is the mean over the
            sequences of each sequence's gradient norm), an integer >= 1.
        direction: ``"random"``: ``d`` a random unit vector per sequence; ``"ones"``: ``d`` all
            ones (``||d|| = sqrt(units)``).
        seed: The random seed, an integer >= 0.

    Returns:
        A float64 array of shape ``(time_steps,)``: entry ``k`` is ``||dL/dh_{T-k}||``. Divide
        by entry 0 to get the ratio to the gradient at the loss.

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If a value is out of range, the matrix is not square or not finite, or
            neither or both of ``recurrent_kernel`` and ``spectral_radius`` are given.

    Example:
        >>> norms = gradient_norms_through_time(spectral_radius=0.5, time_steps=4, linear=True)
        >>> (norms / norms[0]).round(6)                       # 0.5 ** k: the Jacobian product
        array([1.   , 0.5  , 0.25 , 0.125])
        >>> tanh = gradient_norms_through_time(spectral_radius=0.5, time_steps=4)
        >>> bool(np.all(tanh <= norms + 1e-12))               # tanh' <= 1 only shrinks it
        True

    Introduced in: notebooks/03_recurrent_networks.ipynb
    """
    steps = check_int(time_steps, "time_steps", 1)
    check_choice(kind, "kind", _MATRIX_KINDS)
    is_linear = check_bool(linear, "linear")
    n_inputs = check_int(input_dim, "input_dim", 1)
    scale = check_real(input_scale, "input_scale", 0.0)
    n_sequences = check_int(batch, "batch", 1)
    towards = check_choice(direction, "direction", _DIRECTIONS)
    seed = check_int(seed, "seed", 0)
    size = None if units is None else check_int(units, "units", 1)
    if (recurrent_kernel is None) == (spectral_radius is None):
        given = "both" if recurrent_kernel is not None else "neither"
        raise ValueError(
            "give exactly one of recurrent_kernel (a (units, units) matrix) and "
            f"spectral_radius (a real number >= 0, to build one); got {given}"
        )
    if recurrent_kernel is not None:
        matrix = _check_square(recurrent_kernel, "recurrent_kernel")
        if size is not None and size != matrix.shape[0]:
            raise ValueError(
                f"units must match recurrent_kernel of shape {matrix.shape}: expected "
                f"{matrix.shape[0]} (or None), got {size}"
            )
    else:
        size = _DEFAULT_UNITS if size is None else size
        radius = check_real(spectral_radius, "spectral_radius", 0.0)
        matrix = random_recurrent_matrix(size, radius, seed, kind=kind)
    size = matrix.shape[0]

    generator = np.random.default_rng([seed, 1])
    kernel = generator.normal(0.0, scale / math.sqrt(n_inputs), (n_inputs, size))
    x = generator.standard_normal((n_sequences, steps, n_inputs))
    if towards == "random":
        d = generator.standard_normal((n_sequences, size))
        d /= np.linalg.norm(d, axis=1, keepdims=True)
    else:
        d = np.ones((n_sequences, size))
    grads = simple_rnn_bptt(
        x, kernel, matrix, np.zeros(size), dlast=d, activation="linear" if is_linear else "tanh"
    )
    norms = np.linalg.norm(grads["dh"], axis=2).mean(axis=0)  # (time,): t = 1 .. T
    return norms[::-1].copy()


# ---------------------------------------------------------------------------------------------
# Gated cells: LSTM and GRU
# ---------------------------------------------------------------------------------------------

_LSTM_GATES: Final[str] = "i, f, c, o"
_GRU_GATES: Final[str] = "z, r, h"


class LSTMOutput(NamedTuple):
    """What :func:`lstm_forward` returns when ``return_state`` or ``return_gates`` is set.

    The fields come in the order of Keras's ``LSTM(..., return_state=True)``, which returns
    ``[output, h, c]``; the gates come last. A field that was not asked for is ``None``.

    Attributes:
        output: ``h_T`` of shape ``(batch, units)``, or with ``return_sequences=True`` every
            ``h_t``, shape ``(batch, time, units)``.
        h: The final hidden state ``h_T``, shape ``(batch, units)``, with ``return_state=True``
            (else ``None``).
        c: The final cell state ``c_T``, shape ``(batch, units)``, with ``return_state=True``
            (else ``None``).
        gates: With ``return_gates=True`` (else ``None``), a dict of arrays of shape
            ``(batch, time, units)``, entry ``[:, t - 1]`` for step ``t``: ``"i"`` (input gate),
            ``"f"`` (forget gate), ``"g"`` (the candidate, Keras's block ``c`` of the weights),
            ``"o"`` (output gate) and ``"c"`` (the cell states ``c_1 .. c_T``).

    For one sequence of shape ``(time, input_dim)`` every array goes without its batch axis.

    Introduced in: notebooks/04_lstm.ipynb
    """

    output: FloatArray
    h: FloatArray | None
    c: FloatArray | None
    gates: dict[str, FloatArray] | None


class GRUOutput(NamedTuple):
    """What :func:`gru_forward` returns when ``return_state`` or ``return_gates`` is set.

    The fields come in the order of Keras's ``GRU(..., return_state=True)``, which returns
    ``[output, h]``; the gates come last. A field that was not asked for is ``None``.

    Attributes:
        output: ``h_T`` of shape ``(batch, units)``, or with ``return_sequences=True`` every
            ``h_t``, shape ``(batch, time, units)``.
        h: The final state ``h_T``, shape ``(batch, units)``, with ``return_state=True``
            (else ``None``).
        gates: With ``return_gates=True`` (else ``None``), a dict of arrays of shape
            ``(batch, time, units)``, entry ``[:, t - 1]`` for step ``t``: ``"z"`` (update
            gate), ``"r"`` (reset gate) and ``"h_tilde"`` (the candidate state).

    For one sequence of shape ``(time, input_dim)`` every array goes without its batch axis.

    Introduced in: notebooks/05_gru.ipynb
    """

    output: FloatArray
    h: FloatArray | None
    gates: dict[str, FloatArray] | None


def _sigmoid(pre: FloatArray) -> FloatArray:
    """The logistic function ``1 / (1 + exp(-pre))``, without overflow for large ``|pre|``."""
    small = np.exp(-np.abs(pre))  # in (0, 1]
    return np.where(pre >= 0.0, 1.0 / (1.0 + small), small / (1.0 + small))


def _check_gated_weights(
    x: object, kernel: object, recurrent_kernel: object, n_gates: int, cell: str, order: str
) -> tuple[FloatArray, FloatArray, FloatArray, _Dims]:
    """Check the input, the kernel and the recurrent kernel of a cell with ``n_gates`` blocks.

    Keras stores the blocks of the gates side by side: ``kernel`` is ``(input_dim,
    n_gates*units)`` and ``recurrent_kernel`` is ``(units, n_gates*units)``. ``units`` is read
    from the recurrent kernel's rows, ``input_dim`` from ``x``.
    """
    x3, batched = _check_x(x)
    blocks = f"{n_gates}*units"
    recurrent = _as_real_array(recurrent_kernel, "recurrent_kernel", f"(units, {blocks})")
    if (
        recurrent.ndim != 2
        or recurrent.shape[0] < 1
        or recurrent.shape[1] != n_gates * recurrent.shape[0]
    ):
        raise ValueError(
            f"recurrent_kernel must have shape (units, {blocks}), the {cell}'s {n_gates} blocks "
            f"({order}) side by side, with units >= 1; got shape {recurrent.shape}"
        )
    _check_finite(recurrent, "recurrent_kernel")
    dims = _dims_of(x3, batched, recurrent)
    w = dims.check(
        _as_real_array(kernel, "kernel", f"(input_dim, {blocks})"), "kernel", ("input_dim", blocks)
    )
    return x3, w, recurrent, dims


def _check_state_array(value: object, name: str, dims: _Dims) -> FloatArray:
    """One state as a (batch, units) array (``(units,)`` is expected for one sequence)."""
    layout = "(batch, units)" if dims.batched else "(units,)"
    array = dims.check(_as_real_array(value, name, layout), name, ("batch", "units"))
    return array if dims.batched else array[np.newaxis]


def _check_lstm_state(initial_state: object, dims: _Dims) -> tuple[FloatArray, FloatArray]:
    """``(h0, c0)`` as two (batch, units) arrays: zeros for ``None``, else checked."""
    if initial_state is None:
        zeros = np.zeros((dims.batch, dims.units))
        return zeros, zeros.copy()
    layout = "(batch, units)" if dims.batched else "(units,)"
    expected = (
        f"initial_state must be a list or tuple [h0, c0] of two arrays of shape {layout}, "
        "as for Keras's LSTM(...)(x, initial_state=[h0, c0])"
    )
    if isinstance(initial_state, np.ndarray):
        raise TypeError(
            f"{expected}; got one array of shape {initial_state.shape}: an LSTM has two states, "
            "the hidden state h and the cell state c"
        )
    if not isinstance(initial_state, (list, tuple)):
        raise TypeError(f"{expected}; got {describe(initial_state)}")
    if len(initial_state) != 2:
        raise ValueError(
            f"{expected}; got a {type(initial_state).__name__} of {len(initial_state)} items"
        )
    h0 = _check_state_array(initial_state[0], "h0 (initial_state[0])", dims)
    c0 = _check_state_array(initial_state[1], "c0 (initial_state[1])", dims)
    return h0, c0


def _check_gru_state(initial_state: object, dims: _Dims) -> FloatArray:
    """``h0`` as a (batch, units) array: zeros for ``None``; ``h0`` itself or Keras's ``[h0]``."""
    if initial_state is None:
        return np.zeros((dims.batch, dims.units))
    layout = "(batch, units)" if dims.batched else "(units,)"
    array = _as_real_array(initial_state, "initial_state", f"{layout}, or a list [h0]")
    state_ndim = 2 if dims.batched else 1
    if isinstance(initial_state, (list, tuple)) and array.ndim == state_ndim + 1:
        if len(initial_state) != 1:
            raise ValueError(
                f"a GRU has one state, h: initial_state must be h0 of shape {layout} or a list "
                f"[h0], as for Keras's GRU(...)(x, initial_state=[h0]); got a "
                f"{type(initial_state).__name__} of {len(initial_state)} arrays "
                "(an LSTM's [h0, c0]?)"
            )
        array = array[0]
    return _check_state_array(array, "initial_state", dims)


def _check_gru_bias(bias: object, dims: _Dims, reset_after: bool) -> tuple[FloatArray, FloatArray]:
    """The input bias and the recurrent bias, each (3*units,); zeros for ``bias=None``.

    With ``reset_after=False`` Keras has a single bias, added with the input part, so the
    recurrent bias returned is zero (and is not used).
    """
    zeros = np.zeros(3 * dims.units)
    if bias is None:
        return zeros, zeros.copy()
    if reset_after:
        axes, other, other_axes = ("2", "3*units"), False, ("3*units",)
        meaning = "row 0 the input bias, row 1 the recurrent bias"
    else:
        axes, other, other_axes = ("3*units",), True, ("2", "3*units")
        meaning = "a single bias, added with the input part"
    layout = "(" + ", ".join(axes) + ("," if len(axes) == 1 else "") + ")"
    array = _as_real_array(bias, "bias", layout)
    try:
        checked = dims.check(array, f"bias (with reset_after={reset_after}: {meaning})", axes)
    except ValueError as error:
        if array.shape != tuple(dims.size(axis) for axis in other_axes):
            raise
        raise ValueError(
            f"{error}; a bias of shape {array.shape} is a GRU's with reset_after={other}: "
            f"pass reset_after={other}"
        ) from None
    if reset_after:
        return checked[0], checked[1]
    return checked, zeros


def _finish(array: FloatArray, batched: bool) -> FloatArray:
    """``array`` without its batch axis of size 1 when the input was one sequence."""
    return array if batched else array[0]


def lstm_forward(
    x: npt.ArrayLike,
    kernel: npt.ArrayLike,
    recurrent_kernel: npt.ArrayLike,
    bias: npt.ArrayLike | None,
    initial_state: Sequence[npt.ArrayLike] | None = None,
    *,
    return_sequences: bool = False,
    return_state: bool = False,
    return_gates: bool = False,
) -> FloatArray | LSTMOutput:
    """Run a Keras ``LSTM`` (Long Short-Term Memory) in NumPy, on the layer's own weights.

    Keras stores the four blocks of the LSTM side by side, in the order ``i, f, c, o`` (input
    gate, forget gate, candidate, output gate): ``kernel`` is ``(input_dim, 4*units)``,
    ``recurrent_kernel`` is ``(units, 4*units)`` and ``bias`` is ``(4*units,)``. Rows are
    examples, so the weights multiply from the right. For ``t = 1 .. T``::

        z_t = x_t @ kernel + h_{t-1} @ recurrent_kernel + bias        (batch, 4*units)
        i_t, f_t, g_t, o_t = split(z_t, 4)                            (batch, units) each
        i_t = sigmoid(i_t)      # input gate: how much of the candidate to write
        f_t = sigmoid(f_t)      # forget gate: how much of the old cell state to keep
        g_t = tanh(g_t)         # the candidate (Keras's block "c" of the weights)
        o_t = sigmoid(o_t)      # output gate: how much of the cell to show
        c_t = f_t * c_{t-1} + i_t * g_t          # no squashing: c_t can grow beyond [-1, 1]
        h_t = o_t * tanh(c_t)                    # the output passes through tanh

    (``*`` is the elementwise product), starting from ``h_0 = c_0 = 0`` unless
    ``initial_state=(h0, c0)`` is given. This is ``keras.layers.LSTM(units)`` with its
    defaults ``activation="tanh"`` and ``recurrent_activation="sigmoid"`` and
    ``layer.get_weights() == [kernel, recurrent_kernel, bias]``, called as ``layer(x)`` or
    ``layer(x, initial_state=[h0, c0])``; with ``use_bias=False`` pass ``bias=None``. (Keras
    initialises the forget gate's bias to 1, ``unit_forget_bias=True``, so that a new LSTM
    starts by remembering; Jozefowicz et al. 2015.) The computation is done in float64.

    Args:
        x: The inputs, shape ``(batch, time, input_dim)``; or one sequence of shape
            ``(time, input_dim)``, treated as a batch of one whose batch axis is dropped again
            from every array returned (and must be absent from ``h0`` and ``c0``).
        kernel: The input weights, shape ``(input_dim, 4*units)``, blocks ``i, f, c, o``.
        recurrent_kernel: The recurrent weights, shape ``(units, 4*units)``, same blocks.
        bias: The bias, shape ``(4*units,)``, same blocks; ``None`` for a layer built with
            ``use_bias=False`` (no bias).
        initial_state: ``None`` (the default: zeros, as in Keras), or a list or tuple
            ``[h0, c0]`` of the initial hidden state and cell state, each of shape
            ``(batch, units)``, in Keras's order.
        return_sequences: ``False`` (the default): the output is the last hidden state ``h_T``,
            like Keras's default; ``True``: every hidden state ``h_1 .. h_T``.
        return_state: Also return the final states ``h_T`` and ``c_T``, as Keras does with
            ``return_state=True`` (which returns ``[output, h, c]``).
        return_gates: Also return the gates and cell states of every step, for plotting.

    Returns:
        With ``return_state=False`` and ``return_gates=False`` (the defaults), the output
        alone: a float64 array, ``h_T`` of shape ``(batch, units)`` or with
        ``return_sequences=True`` every ``h_t``, shape ``(batch, time, units)``. Otherwise an
        :class:`LSTMOutput` ``(output, h, c, gates)``: ``h`` and ``c`` are the final states
        (``None`` unless ``return_state``) and ``gates`` a dict of ``(batch, time, units)``
        arrays ``"i"``, ``"f"``, ``"g"``, ``"o"`` and ``"c"`` (``None`` unless
        ``return_gates``). So ``output, h, c, _ = lstm_forward(..., return_state=True)``
        mirrors Keras's ``output, h, c = layer(x)``. For one sequence there is no batch axis.

    Raises:
        TypeError: If an argument has the wrong type (e.g. a str, a bool array, or one array
            instead of the pair ``[h0, c0]``).
        ValueError: If an array has the wrong shape (the message gives the shape expected and
            the one received, and where the sizes were read from), holds NaN or infinity, or
            ``initial_state`` does not hold exactly two states.

    Example:
        One unit whose gates are all (almost) open: the candidate ``g = tanh(1) = 0.7616`` is
        added to the cell at every step, so ``c_t`` grows past 1 while ``h_t = tanh(c_t)`` stays
        below 1.

        >>> kernel = np.array([[0.0, 0.0, 1.0, 0.0]])           # blocks i, f, c, o
        >>> recurrent, bias = np.zeros((1, 4)), np.array([20.0, 20.0, 0.0, 20.0])
        >>> out = lstm_forward(np.ones((3, 1)), kernel, recurrent, bias,
        ...                    return_sequences=True, return_gates=True)
        >>> out.gates["c"].ravel().round(4)                     # c_t = c_{t-1} + 0.7616
        array([0.7616, 1.5232, 2.2848])
        >>> out.output.ravel().round(4)                         # h_t = tanh(c_t)
        array([0.642 , 0.9093, 0.9795])
        >>> out.h is None, sorted(out.gates)
        (True, ['c', 'f', 'g', 'i', 'o'])

    Introduced in: notebooks/04_lstm.ipynb
    """
    x3, w, u, dims = _check_gated_weights(x, kernel, recurrent_kernel, 4, "LSTM", _LSTM_GATES)
    if bias is None:
        b = np.zeros(4 * dims.units)
    else:
        b = dims.check(_as_real_array(bias, "bias", "(4*units,)"), "bias", ("4*units",))
    h, c = _check_lstm_state(initial_state, dims)
    sequences = check_bool(return_sequences, "return_sequences")
    with_state = check_bool(return_state, "return_state")
    with_gates = check_bool(return_gates, "return_gates")

    n = dims.units
    inputs = x3 @ w + b  # the input part of every step at once: (batch, time, 4*units)
    shape = (dims.batch, dims.time, n)
    found = {key: np.empty(shape) for key in ("i", "f", "g", "o", "c", "h")}
    for t in range(dims.time):
        pre = inputs[:, t] + h @ u
        i = _sigmoid(pre[:, :n])
        f = _sigmoid(pre[:, n : 2 * n])
        g = np.tanh(pre[:, 2 * n : 3 * n])
        o = _sigmoid(pre[:, 3 * n :])
        c = f * c + i * g
        h = o * np.tanh(c)
        for key, value in (("i", i), ("f", f), ("g", g), ("o", o), ("c", c), ("h", h)):
            found[key][:, t] = value

    states = found.pop("h")
    output = _finish(states if sequences else h, dims.batched)
    if not (with_state or with_gates):
        return output
    return LSTMOutput(
        output=output,
        h=_finish(h, dims.batched) if with_state else None,
        c=_finish(c, dims.batched) if with_state else None,
        gates={k: _finish(v, dims.batched) for k, v in found.items()} if with_gates else None,
    )


def gru_forward(
    x: npt.ArrayLike,
    kernel: npt.ArrayLike,
    recurrent_kernel: npt.ArrayLike,
    bias: npt.ArrayLike | None,
    initial_state: npt.ArrayLike | Sequence[npt.ArrayLike] | None = None,
    *,
    reset_after: bool = True,
    return_sequences: bool = False,
    return_state: bool = False,
    return_gates: bool = False,
) -> FloatArray | GRUOutput:
    """Run a Keras ``GRU`` (gated recurrent unit) in NumPy, on the layer's own weights.

    Keras stores the three blocks of the GRU side by side, in the order ``z, r, h`` (update
    gate, reset gate, candidate): ``kernel`` is ``(input_dim, 3*units)`` and
    ``recurrent_kernel`` is ``(units, 3*units)``; ``W_z, W_r, W_h`` and ``U_z, U_r, U_h`` below
    are their blocks. Rows are examples, so the weights multiply from the right.

    ``reset_after=True`` (Keras's default, the cuDNN variant): the bias has shape
    ``(2, 3*units)``, row 0 the input bias ``b_in``, row 1 the recurrent bias ``b_rec``, and
    the reset gate multiplies the recurrent part *after* the matrix product::

        x_z, x_r, x_h = split(x_t @ kernel + b_in, 3)
        r_z, r_r, r_h = split(h_{t-1} @ recurrent_kernel + b_rec, 3)
        z_t = sigmoid(x_z + r_z)                 # update gate
        r_t = sigmoid(x_r + r_r)                 # reset gate
        h~_t = tanh(x_h + r_t * r_h)             # candidate state
        h_t = z_t * h_{t-1} + (1 - z_t) * h~_t

    ``reset_after=False`` (the original GRU, Cho et al. 2014): the bias has shape
    ``(3*units,)``, blocks ``b_z, b_r, b_h``, and the reset gate multiplies the state *before*
    the matrix product::

        z_t = sigmoid(x_t @ W_z + h_{t-1} @ U_z + b_z)
        r_t = sigmoid(x_t @ W_r + h_{t-1} @ U_r + b_r)
        h~_t = tanh(x_t @ W_h + (r_t * h_{t-1}) @ U_h + b_h)
        h_t = z_t * h_{t-1} + (1 - z_t) * h~_t

    (``*`` is the elementwise product.) In Keras's update ``z_t = 1`` *keeps* the past state
    and ``z_t = 0`` replaces it by the candidate, as in Cho et al. (2014); other texts (Chung
    et al. 2014, for one) name the gate the other way round and write
    ``(1 - z_t) * h_{t-1} + z_t * h~_t``.
    The two modes are different functions of the same weights (even with zero biases):
    ``r_t * (h_{t-1} @ U_h)`` is not ``(r_t * h_{t-1}) @ U_h``.

    This is ``keras.layers.GRU(units, reset_after=reset_after)`` with its defaults
    ``activation="tanh"`` and ``recurrent_activation="sigmoid"`` and ``layer.get_weights() ==
    [kernel, recurrent_kernel, bias]``, called as ``layer(x)`` or
    ``layer(x, initial_state=[h0])``; with ``use_bias=False`` pass ``bias=None``. The
    computation is done in float64.

    Args:
        x: The inputs, shape ``(batch, time, input_dim)``; or one sequence of shape
            ``(time, input_dim)``, treated as a batch of one whose batch axis is dropped again
            from every array returned (and must be absent from ``h0``).
        kernel: The input weights, shape ``(input_dim, 3*units)``, blocks ``z, r, h``.
        recurrent_kernel: The recurrent weights, shape ``(units, 3*units)``, same blocks.
        bias: ``(2, 3*units)`` with ``reset_after=True``, ``(3*units,)`` with
            ``reset_after=False``; ``None`` for a layer built with ``use_bias=False``.
        initial_state: ``None`` (the default: zeros, as in Keras), or the initial state
            ``h0`` of shape ``(batch, units)``, given as the array itself or, as for Keras, as
            a list ``[h0]``.
        reset_after: Which GRU: ``True`` (Keras's default) or ``False``; see above. It must
            match the layer the weights come from (the bias's shape tells them apart).
        return_sequences: ``False`` (the default): the output is the last state ``h_T``,
            like Keras's default; ``True``: every state ``h_1 .. h_T``.
        return_state: Also return the final state ``h_T``, as Keras does with
            ``return_state=True`` (which returns ``[output, h]``).
        return_gates: Also return the gates and candidates of every step, for plotting.

    Returns:
        With ``return_state=False`` and ``return_gates=False`` (the defaults), the output
        alone: a float64 array, ``h_T`` of shape ``(batch, units)`` or with
        ``return_sequences=True`` every ``h_t``, shape ``(batch, time, units)``. Otherwise a
        :class:`GRUOutput` ``(output, h, gates)``: ``h`` is the final state (``None`` unless
        ``return_state``) and ``gates`` a dict of ``(batch, time, units)`` arrays ``"z"``,
        ``"r"`` and ``"h_tilde"`` (``None`` unless ``return_gates``). So
        ``output, h, _ = gru_forward(..., return_state=True)`` mirrors Keras's
        ``output, h = layer(x)``. For one sequence there is no batch axis.

    Raises:
        TypeError: If an argument has the wrong type (e.g. a str or a bool array).
        ValueError: If an array has the wrong shape (the message gives the shape expected and
            the one received, and where the sizes were read from; for the bias it names
            ``reset_after``), holds NaN or infinity, or ``initial_state`` holds more than one
            state.

    Example:
        With the update gate closed (``z = sigmoid(30) = 1``) a GRU keeps its state whatever
        it reads; open (``z = 0``) it takes the candidate.

        >>> kernel, recurrent = np.ones((1, 3)), np.zeros((1, 3))     # blocks z, r, h
        >>> keep = np.array([[30.0, 0.0, 0.0], [0.0, 0.0, 0.0]])      # (2, 3*units)
        >>> gru_forward(np.ones((4, 1)), kernel, recurrent, keep, [0.5]).round(4)
        array([0.5])
        >>> write = np.array([-30.0, 0.0, 0.0])                       # (3*units,)
        >>> out = gru_forward(np.ones((4, 1)), kernel, recurrent, write, [0.5],
        ...                   reset_after=False, return_gates=True)
        >>> out.output.round(4), out.gates["h_tilde"].ravel().round(4)  # tanh(1) each step
        (array([0.7616]), array([0.7616, 0.7616, 0.7616, 0.7616]))

    Introduced in: notebooks/05_gru.ipynb
    """
    x3, w, u, dims = _check_gated_weights(x, kernel, recurrent_kernel, 3, "GRU", _GRU_GATES)
    after = check_bool(reset_after, "reset_after")
    b_in, b_rec = _check_gru_bias(bias, dims, after)
    h = _check_gru_state(initial_state, dims)
    sequences = check_bool(return_sequences, "return_sequences")
    with_state = check_bool(return_state, "return_state")
    with_gates = check_bool(return_gates, "return_gates")

    n = dims.units
    inputs = x3 @ w + b_in  # the input part of every step at once: (batch, time, 3*units)
    shape = (dims.batch, dims.time, n)
    found = {key: np.empty(shape) for key in ("z", "r", "h_tilde", "h")}
    for t in range(dims.time):
        x_t = inputs[:, t]
        if after:
            rec = h @ u + b_rec
            z = _sigmoid(x_t[:, :n] + rec[:, :n])
            r = _sigmoid(x_t[:, n : 2 * n] + rec[:, n : 2 * n])
            candidate = np.tanh(x_t[:, 2 * n :] + r * rec[:, 2 * n :])
        else:
            rec = h @ u[:, : 2 * n]
            z = _sigmoid(x_t[:, :n] + rec[:, :n])
            r = _sigmoid(x_t[:, n : 2 * n] + rec[:, n:])
            candidate = np.tanh(x_t[:, 2 * n :] + (r * h) @ u[:, 2 * n :])
        h = z * h + (1.0 - z) * candidate
        for key, value in (("z", z), ("r", r), ("h_tilde", candidate), ("h", h)):
            found[key][:, t] = value

    states = found.pop("h")
    output = _finish(states if sequences else h, dims.batched)
    if not (with_state or with_gates):
        return output
    return GRUOutput(
        output=output,
        h=_finish(h, dims.batched) if with_state else None,
        gates={k: _finish(v, dims.batched) for k, v in found.items()} if with_gates else None,
    )


# ---------------------------------------------------------------------------------------------
# Parameter counts
# ---------------------------------------------------------------------------------------------


def simple_rnn_param_count(input_dim: int, units: int, *, use_bias: bool = True) -> int:
    """The number of parameters of ``keras.layers.SimpleRNN(units)`` on ``input_dim`` inputs.

    ``kernel`` ``(input_dim, units)`` + ``recurrent_kernel`` ``(units, units)`` + ``bias``
    ``(units,)``::

        units * (input_dim + units + 1)        # without the 1 for use_bias=False

    Args:
        input_dim: The size of each input vector, an integer >= 1.
        units: The size of the state, an integer >= 1.
        use_bias: Whether the layer has a bias (Keras's ``use_bias``, default ``True``).

    Returns:
        The count, equal to Keras's ``layer.count_params()``.

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If ``input_dim`` or ``units`` is < 1.

    Example:
        >>> simple_rnn_param_count(100, 128)                    # 128 * (100 + 128 + 1)
        29312

    Introduced in: notebooks/04_lstm.ipynb
    """
    return _gated_param_count(input_dim, units, use_bias, gates=1, bias_rows=1)


def lstm_param_count(input_dim: int, units: int, *, use_bias: bool = True) -> int:
    """The number of parameters of ``keras.layers.LSTM(units)`` on ``input_dim`` inputs.

    Four blocks (``i, f, c, o``), each a SimpleRNN's worth of weights: ``kernel``
    ``(input_dim, 4*units)`` + ``recurrent_kernel`` ``(units, 4*units)`` + ``bias``
    ``(4*units,)``::

        4 * units * (input_dim + units + 1)    # without the 1 for use_bias=False

    Args:
        input_dim: The size of each input vector, an integer >= 1.
        units: The size of the hidden state (and of the cell state), an integer >= 1.
        use_bias: Whether the layer has a bias (Keras's ``use_bias``, default ``True``).

    Returns:
        The count, equal to Keras's ``layer.count_params()``: four times
        :func:`simple_rnn_param_count`.

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If ``input_dim`` or ``units`` is < 1.

    Example:
        >>> lstm_param_count(100, 128)                          # 4 * 128 * (100 + 128 + 1)
        117248

    Introduced in: notebooks/04_lstm.ipynb
    """
    return _gated_param_count(input_dim, units, use_bias, gates=4, bias_rows=1)


def gru_param_count(
    input_dim: int, units: int, reset_after: bool = True, *, use_bias: bool = True
) -> int:
    """The number of parameters of ``keras.layers.GRU(units, reset_after=...)``.

    Three blocks (``z, r, h``): ``kernel`` ``(input_dim, 3*units)`` + ``recurrent_kernel``
    ``(units, 3*units)`` + a bias of shape ``(2, 3*units)`` with ``reset_after=True`` (an input
    and a recurrent bias) or ``(3*units,)`` with ``reset_after=False``::

        3 * units * (input_dim + units + 2)    # reset_after=True (Keras's default)
        3 * units * (input_dim + units + 1)    # reset_after=False
        3 * units * (input_dim + units)        # use_bias=False (either mode)

    Args:
        input_dim: The size of each input vector, an integer >= 1.
        units: The size of the state, an integer >= 1.
        reset_after: Which GRU (see :func:`gru_forward`); default ``True``, as in Keras.
        use_bias: Whether the layer has a bias (Keras's ``use_bias``, default ``True``).

    Returns:
        The count, equal to Keras's ``layer.count_params()``.

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If ``input_dim`` or ``units`` is < 1.

    Example:
        >>> gru_param_count(100, 128), gru_param_count(100, 128, reset_after=False)
        (88320, 87936)

    Introduced in: notebooks/05_gru.ipynb
    """
    rows = 2 if check_bool(reset_after, "reset_after") else 1
    return _gated_param_count(input_dim, units, use_bias, gates=3, bias_rows=rows)


def _gated_param_count(
    input_dim: object, units: object, use_bias: object, gates: int, bias_rows: int
) -> int:
    """``gates * units * (input_dim + units + bias_rows)``, the bias rows only with a bias."""
    n_inputs = check_int(input_dim, "input_dim", 1)
    size = check_int(units, "units", 1)
    rows = bias_rows if check_bool(use_bias, "use_bias") else 0
    return gates * size * (n_inputs + size + rows)
