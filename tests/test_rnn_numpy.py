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
import inspect
from collections.abc import Callable

import keras
import numpy as np
import pytest
import tensorflow as tf

from course_utils import rnn_numpy
from course_utils.rnn_numpy import (
    gradient_norms_through_time,
    random_recurrent_matrix,
    simple_rnn_bptt,
    simple_rnn_forward,
    spectral_radius,
)

INTRODUCED = "Introduced in: notebooks/03_recurrent_networks.ipynb"
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
    assert INTRODUCED in (inspect.getdoc(obj) or ""), name


def test_rnn_numpy_imports_numpy_but_not_tensorflow() -> None:
    imported: set[str] = set()
    for node in ast.walk(ast.parse(inspect.getsource(rnn_numpy))):
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    assert "numpy" in imported
    assert imported.isdisjoint({"tensorflow", "keras", "torch", "scipy"}), imported
