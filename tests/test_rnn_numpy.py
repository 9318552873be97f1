"""Tests of course_utils.rnn_numpy: SimpleRNN forward pass, BPTT and gradients through time.

The forward pass is checked against ``keras.layers.SimpleRNN`` itself (float32, to 1e-5). The
gradients are checked three ways:

* against ``tf.GradientTape`` on the same recurrence written with TensorFlow ops in float64
  (to ~1e-10: any difference is a bug, not rounding), including the total gradient ``dL/dh_t``
  at every intermediate state, which the tape gives directly;
* against ``tf.GradientTape`` on a real Keras ``SimpleRNN`` layer in float32, to 1e-4 (this
  checks that we read Keras's weight layout correctly, at float32 precision);
* against central finite differences in pure NumPy on a tiny case.

Every array fed to Keras is rounded to float32 first, so that NumPy and Keras see the same
numbers and only the arithmetic differs.
"""

from __future__ import annotations

import ast
import doctest
import functools
import inspect
import warnings
from collections.abc import Callable

import keras
import numpy as np
import pytest
import tensorflow as tf

from course_utils import rnn_numpy
from course_utils.rnn_numpy import (
    GRUOutput,
    LSTMOutput,
    gradient_norms_through_time,
    gru_forward,
    gru_param_count,
    lstm_forward,
    lstm_param_count,
    random_recurrent_matrix,
    simple_rnn_bptt,
    simple_rnn_forward,
    simple_rnn_param_count,
    spectral_radius,
)

INTRODUCED = "Introduced in: notebooks/03_recurrent_networks.ipynb"
# The names added by later chapters; every other public name comes from chapter 3.
INTRODUCED_LATER = {
    "LSTMOutput": "Introduced in: notebooks/04_lstm.ipynb",
    "lstm_forward": "Introduced in: notebooks/04_lstm.ipynb",
    "lstm_param_count": "Introduced in: notebooks/04_lstm.ipynb",
    "simple_rnn_param_count": "Introduced in: notebooks/04_lstm.ipynb",
    "GRUOutput": "Introduced in: notebooks/05_gru.ipynb",
    "gru_forward": "Introduced in: notebooks/05_gru.ipynb",
    "gru_param_count": "Introduced in: notebooks/05_gru.ipynb",
}
GRAD_KEYS = ("kernel", "recurrent_kernel", "bias", "h0", "x")

Case = dict[str, np.ndarray]


def make_case(
    batch: int, time: int, input_dim: int, units: int, seed: int = 0, scale: float = 0.6
) -> Case:
    """Random inputs, weights and initial state, exactly representable in float32."""
    rng = np.random.default_rng(seed)

    def draw(*shape: int, std: float = scale) -> np.ndarray:
        return rng.normal(0.0, std, shape).astype(np.float32).astype(np.float64)

    return {
        "x": draw(batch, time, input_dim, std=1.0),
        "kernel": draw(input_dim, units),
        "recurrent_kernel": draw(units, units, std=scale / np.sqrt(units) * 1.5),
        "bias": draw(units, std=0.2),
        "h0": draw(batch, units, std=0.5),
    }


def weights(case: Case) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return case["kernel"], case["recurrent_kernel"], case["bias"]


def keras_rnn(case: Case, activation: str = "tanh", **kwargs: object) -> keras.layers.SimpleRNN:
    """A built Keras SimpleRNN holding the case's weights."""
    units = case["bias"].shape[0]
    layer = keras.layers.SimpleRNN(units, activation=activation, **kwargs)
    layer.build((None, None, case["x"].shape[2]))
    layer.set_weights([w.astype(np.float32) for w in weights(case)])
    return layer


SHAPES = [(1, 1, 1, 1), (2, 5, 3, 4), (3, 12, 6, 16), (4, 30, 2, 8)]


# ---------------------------------------------------------------------------- forward pass


@pytest.mark.parametrize("return_sequences", [False, True], ids=["last", "sequences"])
@pytest.mark.parametrize("with_h0", [False, True], ids=["zero-state", "initial-state"])
@pytest.mark.parametrize("shape", SHAPES, ids=[str(s) for s in SHAPES])
def test_forward_equals_keras_simple_rnn(
    shape: tuple[int, int, int, int], with_h0: bool, return_sequences: bool
) -> None:
    case = make_case(*shape, seed=sum(shape))
    layer = keras_rnn(case, return_sequences=return_sequences)
    x32 = case["x"].astype(np.float32)
    if with_h0:
        expected = layer(x32, initial_state=[case["h0"].astype(np.float32)])
        ours = simple_rnn_forward(
            case["x"], *weights(case), case["h0"], return_sequences=return_sequences
        )
    else:
        expected = layer(x32)
        ours = simple_rnn_forward(case["x"], *weights(case), return_sequences=return_sequences)
    expected = np.asarray(expected)
    assert ours.dtype == np.float64
    assert ours.shape == expected.shape
    np.testing.assert_allclose(ours, expected, rtol=0, atol=1e-5)


@pytest.mark.parametrize("activation", ["relu", "linear"])
def test_forward_other_activations_equal_keras(activation: str) -> None:
    case = make_case(3, 8, 4, 6, seed=5)
    layer = keras_rnn(case, activation=activation, return_sequences=True)
    expected = np.asarray(layer(case["x"].astype(np.float32)))
    ours = simple_rnn_forward(
        case["x"], *weights(case), return_sequences=True, activation=activation
    )
    np.testing.assert_allclose(ours, expected, rtol=1e-6, atol=1e-5)


def test_forward_matches_keras_return_state() -> None:
    case = make_case(2, 7, 3, 5, seed=9)
    layer = keras_rnn(case, return_sequences=True, return_state=True)
    sequence, state = layer(case["x"].astype(np.float32), initial_state=[case["h0"]])
    states = simple_rnn_forward(case["x"], *weights(case), case["h0"], return_sequences=True)
    last = simple_rnn_forward(case["x"], *weights(case), case["h0"])
    np.testing.assert_allclose(states, np.asarray(sequence), atol=1e-5)
    np.testing.assert_allclose(last, np.asarray(state), atol=1e-5)
    np.testing.assert_array_equal(states[:, -1], last)


def test_forward_is_the_recurrence_written_out() -> None:
    case = make_case(2, 4, 3, 5, seed=2)
    kernel, recurrent, bias = weights(case)
    h = case["h0"]
    for t in range(4):
        h = np.tanh(case["x"][:, t] @ kernel + h @ recurrent + bias)
    np.testing.assert_allclose(simple_rnn_forward(case["x"], *weights(case), case["h0"]), h)


def test_single_sequence_is_a_batch_of_one_without_the_batch_axis() -> None:
    case = make_case(3, 6, 2, 4, seed=4)
    x, h0 = case["x"], case["h0"]
    for return_sequences in (False, True):
        batched = simple_rnn_forward(
            x[1:2], *weights(case), h0[1:2], return_sequences=return_sequences
        )
        single = simple_rnn_forward(x[1], *weights(case), h0[1], return_sequences=return_sequences)
        assert single.shape == batched.shape[1:]
        np.testing.assert_array_equal(single, batched[0])
    g = np.linspace(-1.0, 1.0, 4)
    single = simple_rnn_bptt(x[1], *weights(case), h0[1], dlast=g)
    batched = simple_rnn_bptt(x[1:2], *weights(case), h0[1:2], dlast=g[np.newaxis])
    assert single["x"].shape == (6, 2) and single["h0"].shape == (4,)
    assert single["dh"].shape == (6, 4)
    for key in ("h0", "x", "dh"):
        np.testing.assert_array_equal(single[key], batched[key][0])
    for key in ("kernel", "recurrent_kernel", "bias"):
        np.testing.assert_array_equal(single[key], batched[key])


def test_float64_everywhere_and_inputs_untouched() -> None:
    case = make_case(2, 3, 2, 3, seed=1)
    x32 = case["x"].astype(np.float32)
    copy = x32.copy()
    out = simple_rnn_forward(x32, *weights(case))
    grads = simple_rnn_bptt(x32, *weights(case), dlast=np.ones((2, 3), dtype=np.float32))
    assert out.dtype == np.float64
    assert all(g.dtype == np.float64 for g in grads.values())
    np.testing.assert_array_equal(x32, copy)
    # Lists and integer arrays are accepted too.
    ints = simple_rnn_forward([[1, 0], [0, 1]], [[1, 0], [0, 1]], [[0, 0], [0, 0]], [0, 0])
    np.testing.assert_allclose(ints, np.tanh([0.0, 1.0]))


# ---------------------------------------------------------------------------- BPTT


_TF_ACTIVATIONS: dict[str, Callable[[tf.Tensor], tf.Tensor]] = {
    "tanh": tf.tanh,
    "relu": tf.nn.relu,
    "linear": tf.identity,
}


def tf_float64_gradients(
    case: Case,
    activation: str,
    dlast: np.ndarray | None,
    dsequence: np.ndarray | None,
) -> dict[str, np.ndarray]:
    """The gradients of L = sum(h_T * dlast) + sum(H * dsequence) from tf.GradientTape."""
    variables = {key: tf.Variable(case[key], dtype=tf.float64) for key in GRAD_KEYS}
    act = _TF_ACTIVATIONS[activation]
    with tf.GradientTape(persistent=True) as tape:
        h = variables["h0"]
        states = []
        for t in range(case["x"].shape[1]):
            h = act(
                variables["x"][:, t] @ variables["kernel"]
                + h @ variables["recurrent_kernel"]
                + variables["bias"]
            )
            states.append(h)
        loss = tf.constant(0.0, dtype=tf.float64)
        if dlast is not None:
            loss += tf.reduce_sum(h * dlast)
        if dsequence is not None:
            loss += tf.reduce_sum(tf.stack(states, axis=1) * dsequence)
    found = {key: tape.gradient(loss, variables[key]).numpy() for key in GRAD_KEYS}
    # The tape also gives the total gradient dL/dh_t at each intermediate state h_t.
    found["dh"] = np.stack([tape.gradient(loss, s).numpy() for s in states], axis=1)
    del tape
    return found


LOSSES = ["last", "sequence", "both"]


@pytest.mark.parametrize("with_h0", [False, True], ids=["zero-state", "initial-state"])
@pytest.mark.parametrize("activation", ["tanh", "relu", "linear"])
@pytest.mark.parametrize("loss", LOSSES)
def test_bptt_equals_gradient_tape_in_float64(loss: str, activation: str, with_h0: bool) -> None:
    case = make_case(3, 9, 4, 5, seed=len(loss) + 7 * with_h0)
    rng = np.random.default_rng(100)
    dlast = rng.normal(size=(3, 5)) if loss in ("last", "both") else None
    dsequence = rng.normal(size=(3, 9, 5)) if loss in ("sequence", "both") else None
    if not with_h0:
        case["h0"] = np.zeros_like(case["h0"])
    expected = tf_float64_gradients(case, activation, dlast, dsequence)
    h0 = case["h0"] if with_h0 else None
    ours = simple_rnn_bptt(
        case["x"], *weights(case), h0, dlast=dlast, dsequence=dsequence, activation=activation
    )
    assert set(ours) == {*GRAD_KEYS, "dh"}
    for key, value in expected.items():
        assert ours[key].shape == value.shape, key
        np.testing.assert_allclose(ours[key], value, rtol=1e-9, atol=1e-12, err_msg=key)


@pytest.mark.parametrize("return_sequences", [False, True], ids=["last", "sequences"])
def test_bptt_equals_keras_layer_gradients_in_float32(return_sequences: bool) -> None:
    # Keras computes in float32, hence the tolerance of 1e-4.
    case = make_case(4, 10, 3, 6, seed=21)
    layer = keras_rnn(case, return_sequences=return_sequences)
    rng = np.random.default_rng(5)
    upstream = rng.normal(size=(4, 10, 6) if return_sequences else (4, 6))
    x = tf.constant(case["x"], dtype=tf.float32)
    h0 = tf.constant(case["h0"], dtype=tf.float32)
    with tf.GradientTape() as tape:
        tape.watch([x, h0])
        loss = tf.reduce_sum(layer(x, initial_state=[h0]) * tf.constant(upstream, tf.float32))
    kernel, recurrent, bias, dx, dh0 = tape.gradient(loss, [*layer.trainable_weights, x, h0])
    assert [w.path.split("/")[-1] for w in layer.trainable_weights] == [
        "kernel",
        "recurrent_kernel",
        "bias",
    ]
    ours = simple_rnn_bptt(
        case["x"],
        *weights(case),
        case["h0"],
        **({"dsequence": upstream} if return_sequences else {"dlast": upstream}),
    )
    keras_grads = {
        "kernel": kernel,
        "recurrent_kernel": recurrent,
        "bias": bias,
        "x": dx,
        "h0": dh0,
    }
    for key, value in keras_grads.items():
        np.testing.assert_allclose(ours[key], np.asarray(value), rtol=1e-4, atol=1e-4, err_msg=key)


@pytest.mark.parametrize("activation", ["tanh", "linear"])
def test_bptt_equals_finite_differences(activation: str) -> None:
    case = make_case(2, 3, 2, 3, seed=13)
    rng = np.random.default_rng(3)
    dlast, dsequence = rng.normal(size=(2, 3)), rng.normal(size=(2, 3, 3))
    args = {key: case[key].copy() for key in GRAD_KEYS}

    def loss() -> float:
        states = simple_rnn_forward(
            args["x"],
            args["kernel"],
            args["recurrent_kernel"],
            args["bias"],
            args["h0"],
            return_sequences=True,
            activation=activation,
        )
        return float(np.sum(states[:, -1] * dlast) + np.sum(states * dsequence))

    grads = simple_rnn_bptt(
        case["x"],
        *weights(case),
        case["h0"],
        dlast=dlast,
        dsequence=dsequence,
        activation=activation,
    )
    eps = 1e-6
    for key in GRAD_KEYS:
        numeric = np.zeros_like(args[key])
        for index in np.ndindex(args[key].shape):
            saved = args[key][index]
            args[key][index] = saved + eps
            up = loss()
            args[key][index] = saved - eps
            down = loss()
            args[key][index] = saved
            numeric[index] = (up - down) / (2 * eps)
        np.testing.assert_allclose(grads[key], numeric, rtol=1e-6, atol=1e-8, err_msg=key)


def test_bptt_loss_is_linear_in_the_output_gradients() -> None:
    # Giving dlast and dsequence together is the same as adding the two separate results.
    case = make_case(2, 6, 3, 4, seed=8)
    rng = np.random.default_rng(8)
    dlast, dsequence = rng.normal(size=(2, 4)), rng.normal(size=(2, 6, 4))
    both = simple_rnn_bptt(case["x"], *weights(case), dlast=dlast, dsequence=dsequence)
    last = simple_rnn_bptt(case["x"], *weights(case), dlast=dlast)
    sequence = simple_rnn_bptt(case["x"], *weights(case), dsequence=dsequence)
    for key in both:
        np.testing.assert_allclose(both[key], last[key] + sequence[key], atol=1e-12)
    # dlast is the same as a dsequence that is zero except at the last step.
    padded = np.zeros((2, 6, 4))
    padded[:, -1] = dlast
    as_sequence = simple_rnn_bptt(case["x"], *weights(case), dsequence=padded)
    for key in both:
        np.testing.assert_array_equal(as_sequence[key], last[key])


# ------------------------------------------------------------------- gradients through time


def test_zero_recurrent_kernel_cuts_the_gradient_to_earlier_states() -> None:
    case = make_case(3, 7, 2, 5, seed=6)
    dlast = np.random.default_rng(1).normal(size=(3, 5))
    grads = simple_rnn_bptt(case["x"], case["kernel"], np.zeros((5, 5)), case["bias"], dlast=dlast)
    np.testing.assert_array_equal(grads["dh"][:, -1], dlast)
    assert np.all(grads["dh"][:, :-1] == 0.0)
    assert np.all(grads["h0"] == 0.0)
    assert np.all(grads["x"][:, :-1] == 0.0)  # only the last input reaches h_T
    assert np.any(grads["x"][:, -1] != 0.0)


@pytest.mark.parametrize("radius", [0.0, 0.5, 0.9, 1.0, 1.5])
def test_linear_orthogonal_gradients_scale_exactly_by_radius_per_step(radius: float) -> None:
    norms = gradient_norms_through_time(spectral_radius=radius, time_steps=30, linear=True)
    expected = norms[0] * radius ** np.arange(30)
    np.testing.assert_allclose(norms, expected, rtol=1e-10, atol=1e-300)
    np.testing.assert_allclose(norms[0], 1.0, rtol=1e-12)  # a random unit direction
    # The same through simple_rnn_bptt directly, for each sequence of a batch.
    matrix = random_recurrent_matrix(6, radius, seed=3)
    case = make_case(4, 12, 3, 6, seed=3)
    dlast = np.random.default_rng(2).normal(size=(4, 6))
    grads = simple_rnn_bptt(
        case["x"], case["kernel"], matrix, case["bias"], dlast=dlast, activation="linear"
    )
    per_step = np.linalg.norm(grads["dh"], axis=2)[:, ::-1]  # (batch, distance)
    scale = radius ** np.arange(12)
    expected = np.linalg.norm(dlast, axis=1)[:, np.newaxis] * scale
    np.testing.assert_allclose(per_step, expected, rtol=1e-10, atol=1e-300)


@pytest.mark.parametrize("radius", [0.3, 0.5, 0.9, 1.0, 1.5])
def test_tanh_gradients_decay_at_least_as_fast_as_linear(radius: float) -> None:
    # For r * orthogonal, each step back multiplies by diag(1 - h_t**2) (entries in (0, 1])
    # and then by r * Q.T (norm r), so the tanh norm never exceeds the linear r**k.
    for kwargs in ({}, {"batch": 4, "input_scale": 1.0, "seed": 7}):
        tanh = gradient_norms_through_time(spectral_radius=radius, time_steps=40, **kwargs)
        linear = gradient_norms_through_time(
            spectral_radius=radius, time_steps=40, linear=True, **kwargs
        )
        assert tanh[0] == pytest.approx(linear[0], rel=1e-14)
        assert np.all(tanh <= linear * (1 + 1e-12))


def test_vanishing_and_exploding_regimes() -> None:
    # Small radius: vanishing (the regime the seed note wrongly calls "explosion").
    small = gradient_norms_through_time(spectral_radius=0.5, time_steps=60, units=32)
    assert small[50] / small[0] < 1e-12
    # Large radius, linear: the Jacobian product explodes like 1.5 ** k.
    large = gradient_norms_through_time(spectral_radius=1.5, time_steps=60, linear=True)
    assert large[50] / large[0] == pytest.approx(1.5**50, rel=1e-8)
    # Large radius with tanh: saturation slows it, but it still grows with the distance.
    tanh = gradient_norms_through_time(spectral_radius=1.5, time_steps=60, batch=16)
    assert 1.0 < tanh[50] / tanh[0] < 1.5**50
    # Ordering at distance 25: larger radius, larger gradient.
    ratios = [
        gradient_norms_through_time(spectral_radius=r, time_steps=60, batch=16)[25]
        for r in (0.5, 0.9, 1.0, 1.1, 1.5)
    ]
    assert ratios == sorted(ratios)


def test_gradient_norms_options() -> None:
    matrix = random_recurrent_matrix(8, 0.8, seed=4)
    given = gradient_norms_through_time(matrix, time_steps=10, seed=4)
    built = gradient_norms_through_time(spectral_radius=0.8, units=8, time_steps=10, seed=4)
    np.testing.assert_array_equal(given, built)
    assert given.shape == (10,) and given.dtype == np.float64
    # Reproducible; a different seed gives different inputs.
    again = gradient_norms_through_time(spectral_radius=0.8, units=8, time_steps=10, seed=4)
    np.testing.assert_array_equal(again, built)
    other = gradient_norms_through_time(spectral_radius=0.8, units=8, time_steps=10, seed=5)
    assert not np.array_equal(other, built)
    # direction="ones": the loss gradient has norm sqrt(units).
    ones = gradient_norms_through_time(matrix, time_steps=5, direction="ones", linear=True)
    np.testing.assert_allclose(ones, np.sqrt(8) * 0.8 ** np.arange(5), rtol=1e-12)
    # Default size 32; a Gaussian matrix works too.
    gaussian = gradient_norms_through_time(spectral_radius=0.9, time_steps=20, kind="gaussian")
    assert gaussian.shape == (20,) and np.all(np.isfinite(gaussian))
    # With input_scale=0 the states stay 0, tanh' = 1: tanh and linear agree.
    still = gradient_norms_through_time(spectral_radius=1.2, time_steps=15, input_scale=0.0)
    lin = gradient_norms_through_time(spectral_radius=1.2, time_steps=15, linear=True)
    np.testing.assert_allclose(still, lin, rtol=1e-12)


# ---------------------------------------------------------------------------- matrices


@pytest.mark.parametrize("kind", ["orthogonal", "gaussian"])
@pytest.mark.parametrize("units", [1, 2, 7, 32, 100])
@pytest.mark.parametrize("radius", [0.0, 0.5, 1.0, 1.1, 3.0])
def test_random_recurrent_matrix_has_the_requested_radius(
    kind: str, units: int, radius: float
) -> None:
    matrix = random_recurrent_matrix(units, radius, seed=units, kind=kind)  # type: ignore[arg-type]
    assert matrix.shape == (units, units) and matrix.dtype == np.float64
    assert abs(spectral_radius(matrix) - radius) < 1e-8
    assert abs(np.max(np.abs(np.linalg.eigvals(matrix))) - radius) < 1e-8


@pytest.mark.parametrize("kind", ["orthogonal", "gaussian"])
def test_random_recurrent_matrix_is_reproducible_by_seed(kind: str) -> None:
    a = random_recurrent_matrix(16, 0.9, seed=42, kind=kind)  # type: ignore[arg-type]
    b = random_recurrent_matrix(16, 0.9, seed=42, kind=kind)  # type: ignore[arg-type]
    c = random_recurrent_matrix(16, 0.9, seed=43, kind=kind)  # type: ignore[arg-type]
    d = random_recurrent_matrix(16, 1.8, seed=42, kind=kind)  # type: ignore[arg-type]
    np.testing.assert_array_equal(a, b)
    assert not np.allclose(a, c)
    np.testing.assert_allclose(d, 2 * a, rtol=1e-12)  # same draw, another scale


def test_orthogonal_kind_is_radius_times_orthogonal() -> None:
    matrix = random_recurrent_matrix(20, 1.3, seed=0)
    np.testing.assert_allclose(matrix @ matrix.T, 1.69 * np.eye(20), atol=1e-12)
    np.testing.assert_allclose(np.linalg.svd(matrix, compute_uv=False), 1.3, rtol=1e-12)
    # Gaussian matrices are not: singular values spread above the radius.
    gaussian = random_recurrent_matrix(20, 1.3, seed=0, kind="gaussian")
    assert np.linalg.norm(gaussian, 2) > 1.5


def test_spectral_radius_known_values() -> None:
    assert spectral_radius([[3.0]]) == 3.0
    assert spectral_radius(np.diag([0.5, -2.0, 1.0])) == pytest.approx(2.0, abs=1e-15)
    rotation = [[0.0, -1.5], [1.5, 0.0]]  # eigenvalues +-1.5i
    assert spectral_radius(rotation) == pytest.approx(1.5, abs=1e-14)
    nilpotent = [[0.0, 100.0], [0.0, 0.0]]  # radius 0, although the norm is 100
    assert spectral_radius(nilpotent) == 0.0
    assert isinstance(spectral_radius(np.eye(3, dtype=np.int64)), float)


# ---------------------------------------------------------------------------- bad input


def _base() -> Case:
    return make_case(2, 5, 3, 8, seed=0)


def _with(**changes: object) -> dict[str, object]:
    args: dict[str, object] = dict(_base())
    args.update(changes)
    return args


def _nan_at(key: str, index: tuple[int, ...], value: float = np.nan) -> np.ndarray:
    array = _base()[key].copy()
    array[index] = value
    return array


BAD_RNN_ARGS = {
    "kernel transposed": (
        _with(kernel=np.zeros((8, 3))),
        ValueError,
        r"kernel must have shape \(input_dim, units\) = \(3, 8\), got \(8, 3\) "
        r"\(batch = 2, time = 5, input_dim = 3 from x of shape \(2, 5, 3\); "
        r"units = 8 from recurrent_kernel of shape \(8, 8\)\)",
    ),
    "kernel 1-D": (
        _with(kernel=np.zeros(8)),
        ValueError,
        r"kernel must have shape \(input_dim, units\) = \(3, 8\), got \(8,\)",
    ),
    "kernel of a wider input": (
        _with(x=np.zeros((2, 5, 4))),
        ValueError,
        r"kernel must have shape \(input_dim, units\) = \(4, 8\), got \(3, 8\).*input_dim = 4",
    ),
    "recurrent kernel not square": (
        _with(recurrent_kernel=np.zeros((8, 3))),
        ValueError,
        r"recurrent_kernel must have shape \(units, units\), a non-empty square matrix; "
        r"got shape \(8, 3\)",
    ),
    "recurrent kernel 3-D": (
        _with(recurrent_kernel=np.zeros((8, 8, 1))),
        ValueError,
        r"recurrent_kernel must have shape \(units, units\).*got shape \(8, 8, 1\)",
    ),
    "recurrent kernel of other units": (
        _with(recurrent_kernel=np.zeros((4, 4))),
        ValueError,
        r"kernel must have shape \(input_dim, units\) = \(3, 4\), got \(3, 8\).*"
        r"units = 4 from recurrent_kernel of shape \(4, 4\)",
    ),
    "bias 2-D (a GRU bias?)": (
        _with(bias=np.zeros((2, 8))),
        ValueError,
        r"bias must have shape \(units,\) = \(8,\), got \(2, 8\)",
    ),
    "bias too short": (
        _with(bias=np.zeros(7)),
        ValueError,
        r"bias must have shape \(units,\) = \(8,\), got \(7,\)",
    ),
    "h0 without batch axis": (
        _with(h0=np.zeros(8)),
        ValueError,
        r"h0 must have shape \(batch, units\) = \(2, 8\), got \(8,\)",
    ),
    "h0 of another batch": (
        _with(h0=np.zeros((3, 8))),
        ValueError,
        r"h0 must have shape \(batch, units\) = \(2, 8\), got \(3, 8\)",
    ),
    "h0 in a list, as for Keras": (
        _with(h0=[np.zeros((2, 8))]),
        ValueError,
        r"h0 must have shape \(batch, units\) = \(2, 8\), got \(1, 2, 8\): pass the state "
        r"itself, not a list \[h0\]",
    ),
    "h0 batched for one sequence": (
        _with(x=np.zeros((5, 3)), h0=np.zeros((1, 8))),
        ValueError,
        r"h0 must have shape \(units,\) = \(8,\), got \(1, 8\) "
        r"\(x is one sequence of shape \(5, 3\): time = 5, input_dim = 3",
    ),
    "x 1-D": (
        _with(x=np.zeros(5)),
        ValueError,
        r"x must have shape \(batch, time, input_dim\), or \(time, input_dim\) for one "
        r"sequence, with every size >= 1; got shape \(5,\)",
    ),
    "x 4-D": (_with(x=np.zeros((2, 5, 3, 1))), ValueError, r"x must have shape .*\(2, 5, 3, 1\)"),
    "x without time steps": (_with(x=np.zeros((2, 0, 3))), ValueError, r"got shape \(2, 0, 3\)"),
    "x ragged": (_with(x=[[[1.0], [2.0]], [[1.0]]]), ValueError, "x must be an array"),
    "x a str": (_with(x="hello"), TypeError, "x must be an array of real numbers"),
    "x None": (_with(x=None), TypeError, "x must be an array of real numbers.*None"),
    "x bool": (_with(x=np.ones((2, 5, 3), bool)), TypeError, "x must .*dtype bool"),
    "x complex": (_with(x=np.ones((2, 5, 3), complex)), TypeError, "x must .*dtype complex"),
    "kernel a dict": (_with(kernel={"w": 1}), TypeError, "kernel must be an array"),
    "x NaN": (
        _with(x=_nan_at("x", (0, 1, 2))),
        ValueError,
        r"x must hold finite numbers only; got nan at index \(0, 1, 2\)",
    ),
    "kernel inf": (
        _with(kernel=_nan_at("kernel", (2, 0), np.inf)),
        ValueError,
        r"kernel must hold finite numbers only; got inf at index \(2, 0\)",
    ),
    "recurrent kernel -inf": (
        _with(recurrent_kernel=_nan_at("recurrent_kernel", (7, 7), -np.inf)),
        ValueError,
        r"recurrent_kernel must hold finite numbers only; got -inf at index \(7, 7\)",
    ),
    "bias NaN": (_with(bias=_nan_at("bias", (3,))), ValueError, r"bias must hold finite.*\(3,\)"),
    "h0 NaN": (_with(h0=_nan_at("h0", (1, 0))), ValueError, r"h0 must hold finite.*\(1, 0\)"),
    "unknown activation": (
        _with(activation="sigmoid"),
        ValueError,
        r"activation must be one of \['tanh', 'linear', 'relu'\]; got 'sigmoid'",
    ),
    "activation capitalised": (_with(activation="Tanh"), ValueError, "did you mean 'tanh'"),
    "activation None": (_with(activation=None), TypeError, "activation must be one of"),
}


@pytest.mark.parametrize("function", ["forward", "bptt"])
@pytest.mark.parametrize(
    ("args", "error", "match"), list(BAD_RNN_ARGS.values()), ids=list(BAD_RNN_ARGS)
)
def test_bad_rnn_arguments_raise_informative_errors(
    function: str, args: dict[str, object], error: type[Exception], match: str
) -> None:
    args = dict(args)
    x = args.pop("x")
    positional = [x, args.pop("kernel"), args.pop("recurrent_kernel"), args.pop("bias")]
    positional.append(args.pop("h0"))
    with pytest.raises(error, match=match):
        if function == "forward":
            simple_rnn_forward(*positional, **args)  # type: ignore[arg-type]
        else:
            units = 8
            single = isinstance(x, np.ndarray) and x.ndim == 2
            dlast = np.zeros(units) if single else np.zeros((2, units))
            simple_rnn_bptt(*positional, dlast=dlast, **args)  # type: ignore[arg-type]


def test_return_sequences_must_be_a_bool() -> None:
    case = _base()
    with pytest.raises(TypeError, match="return_sequences must be True or False; got 'yes'"):
        simple_rnn_forward(case["x"], *weights(case), return_sequences="yes")  # type: ignore[arg-type]


BAD_BPTT_ARGS = {
    "neither": (
        {},
        ValueError,
        r"needs the loss's gradient .* give dlast = dL/dh_T of shape \(batch, units\) and/or "
        r"dsequence = dL/dh_t of shape \(batch, time, units\) .*got neither",
    ),
    "dlast of other units": (
        {"dlast": np.zeros((2, 7))},
        ValueError,
        r"dlast must have shape \(batch, units\) = \(2, 8\), got \(2, 7\)",
    ),
    "dlast given a sequence": (
        {"dlast": np.zeros((2, 5, 8))},
        ValueError,
        r"dlast must have shape \(batch, units\) = \(2, 8\), got \(2, 5, 8\)",
    ),
    "dsequence too short": (
        {"dsequence": np.zeros((2, 4, 8))},
        ValueError,
        r"dsequence must have shape \(batch, time, units\) = \(2, 5, 8\), got \(2, 4, 8\)",
    ),
    "dsequence given the last state": (
        {"dsequence": np.zeros((2, 8))},
        ValueError,
        r"dsequence must have shape \(batch, time, units\) = \(2, 5, 8\), got \(2, 8\)",
    ),
    "dlast NaN": (
        {"dlast": np.full((2, 8), np.nan)},
        ValueError,
        r"dlast must hold finite numbers only; got nan at index \(0, 0\)",
    ),
    "dsequence inf": (
        {"dsequence": np.full((2, 5, 8), np.inf)},
        ValueError,
        r"dsequence must hold finite numbers only; got inf",
    ),
    "dlast a str": ({"dlast": "ones"}, TypeError, r"dlast must be an array of real numbers"),
}


@pytest.mark.parametrize(
    ("kwargs", "error", "match"), list(BAD_BPTT_ARGS.values()), ids=list(BAD_BPTT_ARGS)
)
def test_bad_bptt_output_gradients_raise(
    kwargs: dict[str, object], error: type[Exception], match: str
) -> None:
    case = _base()
    with pytest.raises(error, match=match):
        simple_rnn_bptt(case["x"], *weights(case), **kwargs)  # type: ignore[arg-type]


def test_bptt_single_sequence_messages_have_no_batch_axis() -> None:
    case = _base()
    with pytest.raises(ValueError, match=r"dlast = dL/dh_T of shape \(units,\) and/or dsequence"):
        simple_rnn_bptt(case["x"][0], *weights(case))
    with pytest.raises(
        ValueError, match=r"dlast must have shape \(units,\) = \(8,\), got \(1, 8\)"
    ):
        simple_rnn_bptt(case["x"][0], *weights(case), dlast=np.zeros((1, 8)))
    with pytest.raises(ValueError, match=r"shape \(time, units\) = \(5, 8\), got \(1, 5, 8\)"):
        simple_rnn_bptt(case["x"][0], *weights(case), dsequence=np.zeros((1, 5, 8)))


BAD_MATRIX_ARGS = {
    "units 0": ({"units": 0}, ValueError, "units must be an integer >= 1; got 0"),
    "units float": ({"units": 2.5}, TypeError, "units must be an integer >= 1; got 2.5"),
    "units bool": ({"units": True}, TypeError, "units must be an integer"),
    "radius negative": (
        {"spectral_radius": -1.0},
        ValueError,
        "spectral_radius must be a finite real number >= 0; got -1.0",
    ),
    "radius NaN": ({"spectral_radius": np.nan}, ValueError, "spectral_radius must be a finite"),
    "radius str": ({"spectral_radius": "1"}, TypeError, "spectral_radius must be a finite real"),
    "seed negative": ({"seed": -1}, ValueError, "seed must be an integer >= 0; got -1"),
    "kind unknown": (
        {"kind": "orthonormal"},
        ValueError,
        r"kind must be one of \['orthogonal', 'gaussian'\]; got 'orthonormal'; "
        "did you mean 'orthogonal'",
    ),
}


@pytest.mark.parametrize(
    ("changes", "error", "match"), list(BAD_MATRIX_ARGS.values()), ids=list(BAD_MATRIX_ARGS)
)
def test_bad_random_recurrent_matrix_arguments(
    changes: dict[str, object], error: type[Exception], match: str
) -> None:
    kwargs: dict[str, object] = {"units": 4, "spectral_radius": 1.0, "seed": 0} | changes
    with pytest.raises(error, match=match):
        random_recurrent_matrix(**kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("matrix", "error", "match"),
    [
        (np.zeros((2, 3)), ValueError, r"matrix must have shape \(units, units\).*\(2, 3\)"),
        (np.zeros(4), ValueError, r"matrix must have shape .*got shape \(4,\)"),
        (np.zeros((0, 0)), ValueError, r"non-empty square matrix; got shape \(0, 0\)"),
        ([[1.0, np.nan], [0.0, 1.0]], ValueError, r"matrix must hold finite.*\(0, 1\)"),
        ([["a"]], TypeError, "matrix must be an array of real numbers"),
    ],
    ids=["not square", "1-D", "empty", "NaN", "strings"],
)
def test_bad_spectral_radius_arguments(matrix: object, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        spectral_radius(matrix)  # type: ignore[arg-type]


BAD_NORMS_ARGS = {
    "neither matrix nor radius": (
        {},
        ValueError,
        r"give exactly one of recurrent_kernel .* and spectral_radius .*; got neither",
    ),
    "both matrix and radius": (
        {"recurrent_kernel": np.eye(4), "spectral_radius": 1.0},
        ValueError,
        "got both",
    ),
    "units not matching the matrix": (
        {"recurrent_kernel": np.eye(4), "units": 5},
        ValueError,
        r"units must match recurrent_kernel of shape \(4, 4\): expected 4 \(or None\), got 5",
    ),
    "matrix not square": (
        {"recurrent_kernel": np.eye(4)[:3]},
        ValueError,
        r"recurrent_kernel must have shape \(units, units\).*\(3, 4\)",
    ),
    "time steps 0": (
        {"spectral_radius": 1.0, "time_steps": 0},
        ValueError,
        "time_steps must be an integer >= 1; got 0",
    ),
    "negative radius": ({"spectral_radius": -0.5}, ValueError, "spectral_radius must be"),
    "negative input scale": (
        {"spectral_radius": 1.0, "input_scale": -0.1},
        ValueError,
        "input_scale must be a finite real number >= 0",
    ),
    "unknown direction": (
        {"spectral_radius": 1.0, "direction": "one"},
        ValueError,
        r"direction must be one of \['random', 'ones'\]; got 'one'; did you mean 'ones'",
    ),
    "linear not bool": ({"spectral_radius": 1.0, "linear": 1}, TypeError, "linear must be True"),
    "batch 0": ({"spectral_radius": 1.0, "batch": 0}, ValueError, "batch must be an integer >= 1"),
}


@pytest.mark.parametrize(
    ("kwargs", "error", "match"), list(BAD_NORMS_ARGS.values()), ids=list(BAD_NORMS_ARGS)
)
def test_bad_gradient_norms_arguments(
    kwargs: dict[str, object], error: type[Exception], match: str
) -> None:
    kwargs = {"time_steps": 5} | kwargs
    with pytest.raises(error, match=match):
        gradient_norms_through_time(**kwargs)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------- LSTM and GRU

N_BLOCKS = {"lstm": 4, "gru": 3}
GATED_SHAPES = [(1, 1, 1, 1), (2, 5, 3, 4), (3, 12, 6, 16), (4, 30, 2, 8)]
RETURN_MODES = [(False, False), (True, False), (False, True), (True, True)]
RETURN_IDS = ["last", "sequences", "last+state", "sequences+state"]


def gru_bias_shape(units: int, reset_after: bool) -> tuple[int, ...]:
    return (2, 3 * units) if reset_after else (3 * units,)


def make_gated_case(
    cell: str,
    batch: int,
    time: int,
    input_dim: int,
    units: int,
    seed: int = 0,
    reset_after: bool = True,
) -> Case:
    """Random inputs, weights (non-zero biases) and initial states, exact in float32."""
    rng = np.random.default_rng(seed)
    blocks = N_BLOCKS[cell] * units

    def draw(*shape: int, std: float) -> np.ndarray:
        return rng.normal(0.0, std, shape).astype(np.float32).astype(np.float64)

    bias_shape = (blocks,) if cell == "lstm" else gru_bias_shape(units, reset_after)
    return {
        "x": draw(batch, time, input_dim, std=1.0),
        "kernel": draw(input_dim, blocks, std=0.6),
        "recurrent_kernel": draw(units, blocks, std=0.9 / np.sqrt(units)),
        "bias": draw(*bias_shape, std=0.5),
        "h0": draw(batch, units, std=0.5),
        "c0": draw(batch, units, std=1.0),
    }


def keras_gated(cell: str, case: Case, use_bias: bool = True, **kwargs: object) -> keras.Layer:
    """A built Keras LSTM or GRU holding the case's weights (without the bias if not use_bias)."""
    units = case["recurrent_kernel"].shape[0]
    layer_class = keras.layers.LSTM if cell == "lstm" else keras.layers.GRU
    layer = layer_class(units, use_bias=use_bias, **kwargs)
    layer.build((None, None, case["x"].shape[2]))
    arrays = [case["kernel"], case["recurrent_kernel"]] + ([case["bias"]] if use_bias else [])
    layer.set_weights([a.astype(np.float32) for a in arrays])
    return layer


def gated_weights(case: Case) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return case["kernel"], case["recurrent_kernel"], case["bias"]


def as_list(result: object) -> list[np.ndarray]:
    """Keras's result (a tensor or a list of them) as a list of NumPy arrays."""
    items = result if isinstance(result, (list, tuple)) else [result]
    return [np.asarray(item) for item in items]


@pytest.mark.parametrize(("return_sequences", "return_state"), RETURN_MODES, ids=RETURN_IDS)
@pytest.mark.parametrize("with_state", [False, True], ids=["zero-state", "initial-state"])
@pytest.mark.parametrize("shape", GATED_SHAPES, ids=[str(s) for s in GATED_SHAPES])
def test_lstm_forward_equals_keras_lstm(
    shape: tuple[int, int, int, int], with_state: bool, return_sequences: bool, return_state: bool
) -> None:
    case = make_gated_case("lstm", *shape, seed=sum(shape))
    layer = keras_gated("lstm", case, return_sequences=return_sequences, return_state=return_state)
    assert [w.shape for w in layer.get_weights()] == [
        (shape[2], 4 * shape[3]),
        (shape[3], 4 * shape[3]),
        (4 * shape[3],),
    ]
    x32 = case["x"].astype(np.float32)
    state = [case["h0"], case["c0"]] if with_state else None
    if with_state:
        expected = as_list(layer(x32, initial_state=[s.astype(np.float32) for s in state]))
    else:
        expected = as_list(layer(x32))
    ours = lstm_forward(
        case["x"],
        *gated_weights(case),
        state,
        return_sequences=return_sequences,
        return_state=return_state,
    )
    if return_state:
        assert isinstance(ours, LSTMOutput) and ours.gates is None
        found = [ours.output, ours.h, ours.c]  # Keras's order: [output, h, c]
    else:
        assert isinstance(ours, np.ndarray)
        found = [ours]
    assert len(found) == len(expected)
    for mine, theirs in zip(found, expected, strict=True):
        assert mine.dtype == np.float64
        assert mine.shape == theirs.shape
        np.testing.assert_allclose(mine, theirs, rtol=0, atol=1e-5)


@pytest.mark.parametrize(("return_sequences", "return_state"), RETURN_MODES, ids=RETURN_IDS)
@pytest.mark.parametrize("with_state", [False, True], ids=["zero-state", "initial-state"])
@pytest.mark.parametrize("reset_after", [True, False], ids=["reset-after", "reset-before"])
@pytest.mark.parametrize("shape", GATED_SHAPES, ids=[str(s) for s in GATED_SHAPES])
def test_gru_forward_equals_keras_gru(
    shape: tuple[int, int, int, int],
    reset_after: bool,
    with_state: bool,
    return_sequences: bool,
    return_state: bool,
) -> None:
    case = make_gated_case("gru", *shape, seed=sum(shape) + reset_after, reset_after=reset_after)
    layer = keras_gated(
        "gru",
        case,
        reset_after=reset_after,
        return_sequences=return_sequences,
        return_state=return_state,
    )
    units = shape[3]
    assert [w.shape for w in layer.get_weights()] == [
        (shape[2], 3 * units),
        (units, 3 * units),
        gru_bias_shape(units, reset_after),
    ]
    x32 = case["x"].astype(np.float32)
    if with_state:
        expected = as_list(layer(x32, initial_state=[case["h0"].astype(np.float32)]))
    else:
        expected = as_list(layer(x32))
    ours = gru_forward(
        case["x"],
        *gated_weights(case),
        case["h0"] if with_state else None,
        reset_after=reset_after,
        return_sequences=return_sequences,
        return_state=return_state,
    )
    if return_state:
        assert isinstance(ours, GRUOutput) and ours.gates is None
        found = [ours.output, ours.h]  # Keras's order: [output, h]
    else:
        assert isinstance(ours, np.ndarray)
        found = [ours]
    assert len(found) == len(expected)
    for mine, theirs in zip(found, expected, strict=True):
        assert mine.dtype == np.float64
        assert mine.shape == theirs.shape
        np.testing.assert_allclose(mine, theirs, rtol=0, atol=1e-5)


@pytest.mark.parametrize(
    ("cell", "reset_after"),
    [("lstm", True), ("gru", True), ("gru", False)],
    ids=["lstm", "gru-reset-after", "gru-reset-before"],
)
def test_gated_without_bias_equal_keras_use_bias_false(cell: str, reset_after: bool) -> None:
    case = make_gated_case(cell, 3, 9, 4, 5, seed=31, reset_after=reset_after)
    extra = {} if cell == "lstm" else {"reset_after": reset_after}
    layer = keras_gated(cell, case, use_bias=False, return_sequences=True, **extra)
    assert len(layer.get_weights()) == 2
    expected = np.asarray(layer(case["x"].astype(np.float32)))
    forward = lstm_forward if cell == "lstm" else functools.partial(gru_forward, **extra)
    ours = forward(case["x"], case["kernel"], case["recurrent_kernel"], None, return_sequences=True)
    np.testing.assert_allclose(ours, expected, rtol=0, atol=1e-5)
    # No bias is the same as a zero bias of the right shape.
    zeros = np.zeros_like(case["bias"])
    with_zeros = forward(
        case["x"], case["kernel"], case["recurrent_kernel"], zeros, return_sequences=True
    )
    np.testing.assert_array_equal(ours, with_zeros)


def test_gru_initial_state_as_array_or_keras_list() -> None:
    case = make_gated_case("gru", 2, 6, 3, 4, seed=3)
    layer = keras_gated("gru", case)
    expected = np.asarray(layer(case["x"].astype(np.float32), initial_state=case["h0"]))
    plain = gru_forward(case["x"], *gated_weights(case), case["h0"])
    listed = gru_forward(case["x"], *gated_weights(case), [case["h0"]])
    as_tuple = gru_forward(case["x"], *gated_weights(case), (case["h0"],))
    np.testing.assert_allclose(plain, expected, atol=1e-5)
    np.testing.assert_array_equal(plain, listed)
    np.testing.assert_array_equal(plain, as_tuple)
    # A batch of one given as nested lists is read as h0 itself.
    one = gru_forward(case["x"][:1], *gated_weights(case), case["h0"][:1].tolist())
    np.testing.assert_allclose(one, plain[:1], rtol=1e-13, atol=1e-15)  # BLAS may round apart


def test_lstm_initial_state_as_list_or_tuple() -> None:
    case = make_gated_case("lstm", 2, 6, 3, 4, seed=4)
    listed = lstm_forward(case["x"], *gated_weights(case), [case["h0"], case["c0"]])
    as_tuple = lstm_forward(case["x"], *gated_weights(case), (case["h0"], case["c0"]))
    zero = lstm_forward(case["x"], *gated_weights(case))
    np.testing.assert_array_equal(listed, as_tuple)
    assert not np.allclose(listed, zero)
    zeros = np.zeros((2, 4))
    np.testing.assert_array_equal(
        lstm_forward(case["x"], *gated_weights(case), [zeros, zeros]), zero
    )


def test_gru_reset_after_modes_are_different_functions() -> None:
    # The same kernel and recurrent kernel, zero biases (so that the parameters correspond).
    case = make_gated_case("gru", 4, 10, 3, 6, seed=12)
    kernel, recurrent = case["kernel"], case["recurrent_kernel"]
    after = gru_forward(case["x"], kernel, recurrent, np.zeros((2, 18)), return_sequences=True)
    before = gru_forward(
        case["x"], kernel, recurrent, np.zeros(18), reset_after=False, return_sequences=True
    )
    # Step 1 starts from h_0 = 0, where r * (h @ U_h) = (r * h) @ U_h = 0: the modes agree.
    np.testing.assert_allclose(after[:, 0], before[:, 0], rtol=0, atol=1e-15)
    # From step 2 on, r * (h @ U_h) != (r * h) @ U_h: they are different functions.
    difference = np.abs(after[:, 1:] - before[:, 1:])
    assert difference.max() > 1e-2
    assert np.all(difference.max(axis=(0, 2)) > 1e-6)  # at every later step
    # Keras agrees on both, so this is Keras's behaviour, not ours.
    for reset_after, ours in ((True, after), (False, before)):
        layer = keras.layers.GRU(6, reset_after=reset_after, return_sequences=True)
        layer.build((None, None, 3))
        zero_bias = np.zeros(gru_bias_shape(6, reset_after))
        layer.set_weights([w.astype(np.float32) for w in (kernel, recurrent, zero_bias)])
        expected = np.asarray(layer(case["x"].astype(np.float32)))
        np.testing.assert_allclose(ours, expected, rtol=0, atol=1e-5)


@pytest.mark.parametrize("with_state", [False, True], ids=["zero-state", "initial-state"])
def test_lstm_gates_and_cell_states(with_state: bool) -> None:
    case = make_gated_case("lstm", 3, 15, 4, 6, seed=17)
    h0, c0 = (case["h0"], case["c0"]) if with_state else (np.zeros((3, 6)), np.zeros((3, 6)))
    out = lstm_forward(
        case["x"],
        *gated_weights(case),
        [h0, c0] if with_state else None,
        return_sequences=True,
        return_state=True,
        return_gates=True,
    )
    assert isinstance(out, LSTMOutput)
    assert out.gates is not None and sorted(out.gates) == ["c", "f", "g", "i", "o"]
    i, f, g, o, c = (out.gates[key] for key in ("i", "f", "g", "o", "c"))
    for gate in (i, f, g, o, c):
        assert gate.shape == (3, 15, 6) and gate.dtype == np.float64
    for gate in (i, f, o):  # sigmoids
        assert np.all((gate > 0.0) & (gate < 1.0))
    assert np.all(np.abs(g) < 1.0)  # tanh
    # c_t = f_t * c_{t-1} + i_t * g_t, with no squashing; h_t = o_t * tanh(c_t).
    previous = np.concatenate([c0[:, np.newaxis], c[:, :-1]], axis=1)
    np.testing.assert_allclose(c, f * previous + i * g, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(out.output, o * np.tanh(c), rtol=1e-12, atol=1e-14)
    np.testing.assert_array_equal(out.c, c[:, -1])
    np.testing.assert_array_equal(out.h, out.output[:, -1])
    # The gates are those of step t: recompute step 1 from the weights.
    kernel, recurrent, bias = gated_weights(case)
    pre = case["x"][:, 0] @ kernel + h0 @ recurrent + bias
    expected = [1 / (1 + np.exp(-pre[:, :6])), 1 / (1 + np.exp(-pre[:, 6:12]))]
    expected += [np.tanh(pre[:, 12:18]), 1 / (1 + np.exp(-pre[:, 18:]))]
    for gate, value in zip((i, f, g, o), expected, strict=True):
        np.testing.assert_allclose(gate[:, 0], value, rtol=1e-12)


def test_lstm_cell_state_is_not_squashed() -> None:
    # Open gates and a constant candidate: c_t adds up past 1, h_t = tanh(c_t) stays below 1.
    kernel = np.array([[0.0, 0.0, 1.0, 0.0]])
    bias = np.array([30.0, 30.0, 0.0, 30.0])
    out = lstm_forward(np.ones((1, 10, 1)), kernel, np.zeros((1, 4)), bias, return_state=True)
    assert isinstance(out, LSTMOutput) and out.c is not None
    np.testing.assert_allclose(out.c, [[10 * np.tanh(1.0)]], rtol=1e-10)
    np.testing.assert_allclose(out.output, np.tanh(out.c), rtol=1e-10)


@pytest.mark.parametrize("reset_after", [True, False], ids=["reset-after", "reset-before"])
def test_gru_gates_and_update(reset_after: bool) -> None:
    case = make_gated_case("gru", 3, 15, 4, 6, seed=23, reset_after=reset_after)
    out = gru_forward(
        case["x"],
        *gated_weights(case),
        case["h0"],
        reset_after=reset_after,
        return_sequences=True,
        return_gates=True,
    )
    assert isinstance(out, GRUOutput) and out.h is None
    assert out.gates is not None and sorted(out.gates) == ["h_tilde", "r", "z"]
    z, r, candidate = out.gates["z"], out.gates["r"], out.gates["h_tilde"]
    for gate in (z, r):
        assert gate.shape == (3, 15, 6)
        assert np.all((gate > 0.0) & (gate < 1.0))
    assert np.all(np.abs(candidate) < 1.0)
    # Keras's update: h_t = z_t * h_{t-1} + (1 - z_t) * h~_t.
    previous = np.concatenate([case["h0"][:, np.newaxis], out.output[:, :-1]], axis=1)
    np.testing.assert_allclose(
        out.output, z * previous + (1 - z) * candidate, rtol=1e-12, atol=1e-14
    )


@pytest.mark.parametrize("reset_after", [True, False], ids=["reset-after", "reset-before"])
def test_gru_update_gate_one_keeps_the_past_zero_replaces_it(reset_after: bool) -> None:
    case = make_gated_case("gru", 2, 8, 3, 4, seed=29, reset_after=reset_after)
    for z_bias, keeps in ((40.0, True), (-40.0, False)):
        bias = np.zeros(gru_bias_shape(4, reset_after))
        bias[..., :4] = z_bias  # the z block (of the input row, with reset_after=True)
        kernel = case["kernel"].copy()
        kernel[:, :4] = 0.0
        recurrent = case["recurrent_kernel"].copy()
        recurrent[:, :4] = 0.0
        if reset_after:
            bias[1] = 0.0
        out = gru_forward(
            case["x"],
            kernel,
            recurrent,
            bias,
            case["h0"],
            reset_after=reset_after,
            return_sequences=True,
            return_gates=True,
        )
        assert isinstance(out, GRUOutput) and out.gates is not None
        if keeps:  # z = 1: h_t = h_{t-1} = h_0
            np.testing.assert_allclose(out.output[:, -1], case["h0"], atol=1e-12)
        else:  # z = 0: h_t = h~_t
            np.testing.assert_allclose(out.output, out.gates["h_tilde"], atol=1e-12)


@pytest.mark.parametrize("cell", ["lstm", "gru"])
def test_gated_single_sequence_is_a_batch_of_one_without_the_batch_axis(cell: str) -> None:
    case = make_gated_case(cell, 3, 6, 2, 4, seed=5)
    x, h0, c0 = case["x"], case["h0"], case["c0"]
    if cell == "lstm":
        single_state, batch_state = [h0[1], c0[1]], [h0[1:2], c0[1:2]]
        forward: Callable[..., object] = lstm_forward
    else:
        single_state, batch_state = h0[1], h0[1:2]
        forward = gru_forward
    flags = {"return_sequences": True, "return_state": True, "return_gates": True}
    single = forward(x[1], *gated_weights(case), single_state, **flags)
    batched = forward(x[1:2], *gated_weights(case), batch_state, **flags)
    assert isinstance(single, (LSTMOutput, GRUOutput))
    assert isinstance(batched, (LSTMOutput, GRUOutput))
    assert single.output.shape == (6, 4)
    for mine, theirs in zip(single, batched, strict=True):
        if isinstance(mine, dict):
            assert sorted(mine) == sorted(theirs)
            for key in mine:
                assert mine[key].shape == (6, 4)
                np.testing.assert_array_equal(mine[key], theirs[key][0])
        else:
            assert mine.shape == theirs.shape[1:]
            np.testing.assert_array_equal(mine, theirs[0])
    last = forward(x[1], *gated_weights(case), single_state)
    assert isinstance(last, np.ndarray) and last.shape == (4,)


@pytest.mark.parametrize("cell", ["lstm", "gru"])
def test_gated_return_conventions(cell: str) -> None:
    case = make_gated_case(cell, 2, 5, 3, 4, seed=6)
    forward: Callable[..., object] = lstm_forward if cell == "lstm" else gru_forward
    output_type = LSTMOutput if cell == "lstm" else GRUOutput
    plain = forward(case["x"], *gated_weights(case))
    sequences = forward(case["x"], *gated_weights(case), return_sequences=True)
    assert isinstance(plain, np.ndarray) and plain.shape == (2, 4)
    assert isinstance(sequences, np.ndarray) and sequences.shape == (2, 5, 4)
    np.testing.assert_array_equal(sequences[:, -1], plain)
    state = forward(case["x"], *gated_weights(case), return_state=True)
    gates = forward(case["x"], *gated_weights(case), return_gates=True)
    assert isinstance(state, output_type) and isinstance(gates, output_type)
    assert state._fields == (
        ("output", "h", "c", "gates") if cell == "lstm" else ("output", "h", "gates")
    )
    assert state.gates is None and gates.h is None
    np.testing.assert_array_equal(state.output, plain)
    np.testing.assert_array_equal(state.h, plain)
    np.testing.assert_array_equal(gates.output, plain)
    assert gates.gates is not None
    assert all(v.shape == (2, 5, 4) for v in gates.gates.values())  # every step, always
    if cell == "lstm":
        output, h, c, _ = state  # Keras: output, h, c = layer(x)
        assert gates.c is None and c is not None and c.shape == (2, 4)
        np.testing.assert_array_equal(c, gates.gates["c"][:, -1])
    else:
        output, h, _ = state  # Keras: output, h = layer(x)
    np.testing.assert_array_equal(output, h)


def test_gated_inputs_float32_and_lists_accepted_and_untouched() -> None:
    case = make_gated_case("lstm", 2, 3, 2, 3, seed=1)
    x32 = case["x"].astype(np.float32)
    copy = x32.copy()
    out = lstm_forward(x32, *(w.astype(np.float32) for w in gated_weights(case)))
    assert isinstance(out, np.ndarray) and out.dtype == np.float64
    np.testing.assert_array_equal(x32, copy)
    lists = lstm_forward(case["x"].tolist(), *(w.tolist() for w in gated_weights(case)))
    np.testing.assert_array_equal(lists, lstm_forward(case["x"], *gated_weights(case)))
    ints = gru_forward([[1, 0]], [[0] * 3, [0] * 3], [[0, 0, 0]], [[0, 0, 0], [0, 0, 0]])
    np.testing.assert_allclose(ints, [0.0])  # z = 1/2, h~ = 0: h_1 = 0


def test_sigmoid_is_stable_for_large_inputs() -> None:
    # Saturated gates: no overflow warning from exp (checked explicitly), and the exact limits.
    kernel = np.array([[1.0, 1.0, 1.0, 1.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = lstm_forward(
            np.array([[[1e4], [-1e4]]]), kernel, np.zeros((1, 4)), None, return_gates=True
        )
    assert isinstance(out, LSTMOutput) and out.gates is not None
    np.testing.assert_array_equal(out.gates["i"].ravel(), [1.0, 0.0])


PARAM_SIZES = [(1, 1), (3, 4), (10, 32), (100, 128), (7, 64)]


@pytest.mark.parametrize("use_bias", [True, False], ids=["bias", "no-bias"])
@pytest.mark.parametrize(("input_dim", "units"), PARAM_SIZES, ids=[str(s) for s in PARAM_SIZES])
def test_param_counts_equal_keras(input_dim: int, units: int, use_bias: bool) -> None:
    def keras_count(layer: keras.Layer) -> int:
        layer.build((None, None, input_dim))
        return int(layer.count_params())

    assert simple_rnn_param_count(input_dim, units, use_bias=use_bias) == keras_count(
        keras.layers.SimpleRNN(units, use_bias=use_bias)
    )
    assert lstm_param_count(input_dim, units, use_bias=use_bias) == keras_count(
        keras.layers.LSTM(units, use_bias=use_bias)
    )
    for reset_after in (True, False):
        assert gru_param_count(input_dim, units, reset_after, use_bias=use_bias) == keras_count(
            keras.layers.GRU(units, reset_after=reset_after, use_bias=use_bias)
        )
    assert gru_param_count(input_dim, units, use_bias=use_bias) == gru_param_count(
        input_dim, units, True, use_bias=use_bias
    )


def test_param_count_formulas() -> None:
    assert simple_rnn_param_count(100, 128) == 128 * (100 + 128 + 1)
    assert lstm_param_count(100, 128) == 4 * simple_rnn_param_count(100, 128)
    assert gru_param_count(100, 128) - gru_param_count(100, 128, reset_after=False) == 3 * 128
    assert gru_param_count(5, 2, use_bias=False) == gru_param_count(5, 2, False, use_bias=False)
    assert isinstance(lstm_param_count(np.int64(3), np.int32(4)), int)


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: lstm_param_count(0, 4), ValueError, "input_dim must be an integer >= 1; got 0"),
        (lambda: gru_param_count(3, 0), ValueError, "units must be an integer >= 1; got 0"),
        (lambda: simple_rnn_param_count(3.0, 4), TypeError, "input_dim must be an integer"),
        (lambda: gru_param_count(3, 4, "yes"), TypeError, "reset_after must be True or False"),
        (lambda: lstm_param_count(3, 4, use_bias=1), TypeError, "use_bias must be True or"),
        (lambda: lstm_param_count(3, True), TypeError, "units must be an integer"),
    ],
    ids=["input_dim 0", "units 0", "float", "reset_after str", "use_bias int", "units bool"],
)
def test_bad_param_count_arguments(
    call: Callable[[], int], error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        call()


def _lstm_base() -> Case:
    return make_gated_case("lstm", 2, 5, 3, 8, seed=0)


def _gru_base(reset_after: bool = True) -> Case:
    return make_gated_case("gru", 2, 5, 3, 8, seed=0, reset_after=reset_after)


def _lstm_with(**changes: object) -> dict[str, object]:
    case = _lstm_base()
    args: dict[str, object] = {
        "x": case["x"],
        "kernel": case["kernel"],
        "recurrent_kernel": case["recurrent_kernel"],
        "bias": case["bias"],
        "initial_state": [case["h0"], case["c0"]],
    }
    args.update(changes)
    return args


def _gru_with(reset_after: bool = True, **changes: object) -> dict[str, object]:
    case = _gru_base(reset_after)
    args: dict[str, object] = {
        "x": case["x"],
        "kernel": case["kernel"],
        "recurrent_kernel": case["recurrent_kernel"],
        "bias": case["bias"],
        "initial_state": case["h0"],
        "reset_after": reset_after,
    }
    args.update(changes)
    return args


_LSTM_ORIGIN = (
    r"\(batch = 2, time = 5, input_dim = 3 from x of shape \(2, 5, 3\); "
    r"units = 8 from recurrent_kernel of shape \(8, 32\)\)"
)
_H0, _C0 = np.zeros((2, 8)), np.zeros((2, 8))

BAD_LSTM_ARGS = {
    "kernel of a GRU (3 blocks)": (
        _lstm_with(kernel=np.zeros((3, 24))),
        ValueError,
        r"kernel must have shape \(input_dim, 4\*units\) = \(3, 32\), got \(3, 24\) "
        + _LSTM_ORIGIN,
    ),
    "kernel of a SimpleRNN": (
        _lstm_with(kernel=np.zeros((3, 8))),
        ValueError,
        r"kernel must have shape \(input_dim, 4\*units\) = \(3, 32\), got \(3, 8\)",
    ),
    "kernel transposed": (
        _lstm_with(kernel=np.zeros((32, 3))),
        ValueError,
        r"kernel must have shape \(input_dim, 4\*units\) = \(3, 32\), got \(32, 3\)",
    ),
    "recurrent kernel of a SimpleRNN": (
        _lstm_with(recurrent_kernel=np.zeros((8, 8))),
        ValueError,
        r"recurrent_kernel must have shape \(units, 4\*units\), the LSTM's 4 blocks "
        r"\(i, f, c, o\) side by side, with units >= 1; got shape \(8, 8\)",
    ),
    "recurrent kernel transposed": (
        _lstm_with(recurrent_kernel=np.zeros((32, 8))),
        ValueError,
        r"recurrent_kernel must have shape \(units, 4\*units\).*got shape \(32, 8\)",
    ),
    "recurrent kernel 1-D": (
        _lstm_with(recurrent_kernel=np.zeros(32)),
        ValueError,
        r"recurrent_kernel must have shape \(units, 4\*units\).*got shape \(32,\)",
    ),
    "bias of one block": (
        _lstm_with(bias=np.zeros(8)),
        ValueError,
        r"bias must have shape \(4\*units,\) = \(32,\), got \(8,\) " + _LSTM_ORIGIN,
    ),
    "bias 2-D": (
        _lstm_with(bias=np.zeros((2, 32))),
        ValueError,
        r"bias must have shape \(4\*units,\) = \(32,\), got \(2, 32\)",
    ),
    "initial state one array": (
        _lstm_with(initial_state=_H0),
        TypeError,
        r"initial_state must be a list or tuple \[h0, c0\] of two arrays of shape "
        r"\(batch, units\), as for Keras's LSTM\(\.\.\.\)\(x, initial_state=\[h0, c0\]\); "
        r"got one array of shape \(2, 8\): an LSTM has two states",
    ),
    "initial state stacked": (
        _lstm_with(initial_state=np.zeros((2, 2, 8))),
        TypeError,
        r"initial_state must be a list or tuple \[h0, c0\].*one array of shape \(2, 2, 8\)",
    ),
    "initial state [h0] only": (
        _lstm_with(initial_state=[_H0]),
        ValueError,
        r"initial_state must be a list or tuple \[h0, c0\].*; got a list of 1 items",
    ),
    "initial state of three": (
        _lstm_with(initial_state=(_H0, _C0, _C0)),
        ValueError,
        r"initial_state must be .*; got a tuple of 3 items",
    ),
    "initial state a dict": (
        _lstm_with(initial_state={"h": _H0, "c": _C0}),
        TypeError,
        r"(?s)initial_state must be a list or tuple .*; got \{.* of type dict",
    ),
    "c0 of other units": (
        _lstm_with(initial_state=[_H0, np.zeros((2, 7))]),
        ValueError,
        r"c0 \(initial_state\[1\]\) must have shape \(batch, units\) = \(2, 8\), got \(2, 7\) "
        + _LSTM_ORIGIN,
    ),
    "h0 without batch axis": (
        _lstm_with(initial_state=[np.zeros(8), _C0]),
        ValueError,
        r"h0 \(initial_state\[0\]\) must have shape \(batch, units\) = \(2, 8\), got \(8,\)",
    ),
    "h0 NaN": (
        _lstm_with(initial_state=[np.full((2, 8), np.nan), _C0]),
        ValueError,
        r"h0 \(initial_state\[0\]\) must hold finite numbers only; got nan at index \(0, 0\)",
    ),
    "recurrent kernel inf": (
        _lstm_with(recurrent_kernel=np.full((8, 32), np.inf)),
        ValueError,
        r"recurrent_kernel must hold finite numbers only; got inf",
    ),
    "x 1-D": (_lstm_with(x=np.zeros(5)), ValueError, r"x must have shape .*got shape \(5,\)"),
    "x a str": (_lstm_with(x="abc"), TypeError, "x must be an array of real numbers"),
    "return_state not bool": (
        _lstm_with(return_state="yes"),
        TypeError,
        "return_state must be True or False; got 'yes'",
    ),
    "return_gates not bool": (
        _lstm_with(return_gates=1),
        TypeError,
        "return_gates must be True or False; got 1",
    ),
}


@pytest.mark.parametrize(
    ("args", "error", "match"), list(BAD_LSTM_ARGS.values()), ids=list(BAD_LSTM_ARGS)
)
def test_bad_lstm_arguments_raise_informative_errors(
    args: dict[str, object], error: type[Exception], match: str
) -> None:
    args = dict(args)
    positional = [args.pop(key) for key in ("x", "kernel", "recurrent_kernel", "bias")]
    with pytest.raises(error, match=match):
        lstm_forward(*positional, **args)  # type: ignore[arg-type]


_GRU_ORIGIN = (
    r"\(batch = 2, time = 5, input_dim = 3 from x of shape \(2, 5, 3\); "
    r"units = 8 from recurrent_kernel of shape \(8, 24\)\)"
)

BAD_GRU_ARGS = {
    "kernel of an LSTM (4 blocks)": (
        _gru_with(kernel=np.zeros((3, 32))),
        ValueError,
        r"kernel must have shape \(input_dim, 3\*units\) = \(3, 24\), got \(3, 32\) " + _GRU_ORIGIN,
    ),
    "kernel of an LSTM, reset_after=False": (
        _gru_with(False, kernel=np.zeros((3, 32))),
        ValueError,
        r"kernel must have shape \(input_dim, 3\*units\) = \(3, 24\), got \(3, 32\)",
    ),
    "recurrent kernel of an LSTM": (
        _gru_with(recurrent_kernel=np.zeros((8, 32))),
        ValueError,
        r"recurrent_kernel must have shape \(units, 3\*units\), the GRU's 3 blocks "
        r"\(z, r, h\) side by side, with units >= 1; got shape \(8, 32\)",
    ),
    "bias of reset_after=False given with True": (
        _gru_with(True, bias=np.zeros(24)),
        ValueError,
        r"bias \(with reset_after=True: row 0 the input bias, row 1 the recurrent bias\) must "
        r"have shape \(2, 3\*units\) = \(2, 24\), got \(24,\) " + _GRU_ORIGIN + r"; a bias of "
        r"shape \(24,\) is a GRU's with reset_after=False: pass reset_after=False",
    ),
    "bias of reset_after=True given with False": (
        _gru_with(False, bias=np.zeros((2, 24))),
        ValueError,
        r"bias \(with reset_after=False: a single bias, added with the input part\) must have "
        r"shape \(3\*units,\) = \(24,\), got \(2, 24\) .*; a bias of shape \(2, 24\) is a "
        r"GRU's with reset_after=True: pass reset_after=True",
    ),
    "bias of other units, reset_after=True": (
        _gru_with(True, bias=np.zeros((2, 21))),
        ValueError,
        r"bias \(with reset_after=True: .*\) must have shape \(2, 3\*units\) = \(2, 24\), "
        r"got \(2, 21\) \(batch = 2[^;]*; units = 8 from recurrent_kernel of shape \(8, 24\)\)$",
    ),
    "bias of an LSTM, reset_after=False": (
        _gru_with(False, bias=np.zeros(32)),
        ValueError,
        r"bias \(with reset_after=False: .*\) must have shape \(3\*units,\) = \(24,\), "
        r"got \(32,\)",
    ),
    "bias flattened, reset_after=True": (
        _gru_with(True, bias=np.zeros(48)),
        ValueError,
        r"bias \(with reset_after=True: .*\) must have shape \(2, 3\*units\) = \(2, 24\), "
        r"got \(48,\)",
    ),
    "bias NaN": (
        _gru_with(True, bias=np.full((2, 24), np.nan)),
        ValueError,
        r"bias \(with reset_after=True: .*\) must hold finite numbers only; got nan",
    ),
    "initial state [h0, c0] of an LSTM": (
        _gru_with(initial_state=[_H0, _C0]),
        ValueError,
        r"a GRU has one state, h: initial_state must be h0 of shape \(batch, units\) or a list "
        r"\[h0\], as for Keras's GRU\(\.\.\.\)\(x, initial_state=\[h0\]\); got a list of 2 "
        r"arrays \(an LSTM's \[h0, c0\]\?\)",
    ),
    "initial state of other units": (
        _gru_with(initial_state=np.zeros((2, 7))),
        ValueError,
        r"initial_state must have shape \(batch, units\) = \(2, 8\), got \(2, 7\) " + _GRU_ORIGIN,
    ),
    "initial state [h0] of another batch": (
        _gru_with(initial_state=[np.zeros((3, 8))]),
        ValueError,
        r"initial_state must have shape \(batch, units\) = \(2, 8\), got \(3, 8\)",
    ),
    "initial state ragged": (
        _gru_with(initial_state=[_H0, np.zeros((2, 7))]),
        ValueError,
        r"initial_state must be an array .*could not convert",
    ),
    "initial state a str": (
        _gru_with(initial_state="zeros"),
        TypeError,
        r"initial_state must be an array of real numbers",
    ),
    "reset_after not bool": (
        _gru_with(reset_after="True"),
        TypeError,
        "reset_after must be True or False; got 'True'",
    ),
    "x without time steps": (
        _gru_with(x=np.zeros((2, 0, 3))),
        ValueError,
        r"x must have shape .*got shape \(2, 0, 3\)",
    ),
}


@pytest.mark.parametrize(
    ("args", "error", "match"), list(BAD_GRU_ARGS.values()), ids=list(BAD_GRU_ARGS)
)
def test_bad_gru_arguments_raise_informative_errors(
    args: dict[str, object], error: type[Exception], match: str
) -> None:
    args = dict(args)
    positional = [args.pop(key) for key in ("x", "kernel", "recurrent_kernel", "bias")]
    with pytest.raises(error, match=match):
        gru_forward(*positional, **args)  # type: ignore[arg-type]


def test_gated_single_sequence_messages_have_no_batch_axis() -> None:
    lstm, gru = _lstm_base(), _gru_base()
    with pytest.raises(
        ValueError,
        match=r"h0 \(initial_state\[0\]\) must have shape \(units,\) = \(8,\), "
        r"got \(2, 8\) \(x is one sequence of shape \(5, 3\)",
    ):
        lstm_forward(lstm["x"][0], *gated_weights(lstm), [lstm["h0"], lstm["c0"]])
    with pytest.raises(ValueError, match=r"initial_state must have shape \(units,\) = \(8,\)"):
        gru_forward(gru["x"][0], *gated_weights(gru), np.zeros(7))
    with pytest.raises(ValueError, match=r"a GRU has one state, h: .* h0 of shape \(units,\)"):
        gru_forward(gru["x"][0], *gated_weights(gru), [np.zeros(8), np.zeros(8)])


# ---------------------------------------------------------------------------- documentation


def test_docstring_examples_are_correct() -> None:
    failures, attempted = doctest.testmod(rnn_numpy, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert attempted >= 15
    assert failures == 0


PUBLIC = [("rnn_numpy", rnn_numpy)] + [
    (name, getattr(rnn_numpy, name)) for name in rnn_numpy.__all__
]


@pytest.mark.parametrize(("name", "obj"), PUBLIC, ids=[n for n, _ in PUBLIC])
def test_every_public_name_says_where_it_is_introduced(name: str, obj: object) -> None:
    assert INTRODUCED_LATER.get(name, INTRODUCED) in (inspect.getdoc(obj) or ""), name


def test_rnn_numpy_imports_numpy_but_not_tensorflow() -> None:
    imported: set[str] = set()
    for node in ast.walk(ast.parse(inspect.getsource(rnn_numpy))):
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    assert "numpy" in imported
    assert imported.isdisjoint({"tensorflow", "keras", "torch", "scipy"}), imported
