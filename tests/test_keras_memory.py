"""Tests of course_utils.keras_memory: the traced steps of deleted Keras models are freed."""

from __future__ import annotations

import gc

import keras
import numpy as np
import pytest
import tensorflow as tf
from figure_helpers import assert_docstring_examples_pass
from tensorflow.python.framework import ops
from tensorflow.python.framework.func_graph import FuncGraph

from course_utils import keras_memory
from course_utils.keras_memory import free_unused_graphs

X = np.linspace(-1, 1, 24, dtype="float32").reshape(8, 3)
Y = X.sum(axis=1, keepdims=True)


def _step_graphs() -> int:
    """How many traced Keras training steps are alive (graphs named ``one_step_on_data``)."""
    gc.collect()
    return sum(
        1
        for o in gc.get_objects()
        if isinstance(o, FuncGraph) and o.name.startswith("one_step_on_data")
    )


def _dense_model() -> keras.Model:
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    return model


def _custom_gradient_names() -> set[str]:
    return {k for k in ops._gradient_registry._registry if k.startswith("CustomGradient-")}


def test_the_steps_of_deleted_models_outlive_them_until_freed():
    free_unused_graphs()
    before = _step_graphs()
    for _ in range(3):
        model = _dense_model()
        model.train_on_batch(X, Y)
    del model
    # The TensorFlow bug this module works around: if this fails, TensorFlow frees the steps
    # itself and free_unused_graphs is no longer needed.
    assert _step_graphs() >= before + 3
    assert free_unused_graphs() >= 3
    assert _step_graphs() == before


def test_a_model_still_in_use_keeps_training():
    model = _dense_model()
    first = float(model.train_on_batch(X, Y))
    assert free_unused_graphs() >= 1
    losses = [float(model.train_on_batch(X, Y)) for _ in range(20)]
    losses.append(float(model.train_on_batch(X[:5], Y[:5])))  # a new shape: traced again
    assert all(np.isfinite(losses))
    assert losses[-2] < first
    assert free_unused_graphs() >= 1  # the step traced after the first call


def test_other_custom_gradients_are_kept():
    @tf.custom_gradient
    def clipped_identity(x):
        return tf.identity(x), lambda dy: tf.clip_by_value(dy, -1.0, 1.0)

    @tf.function
    def gradient(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = 5.0 * clipped_identity(x)
        return tape.gradient(y, x)

    before = _custom_gradient_names()
    assert float(gradient(tf.constant(2.0))) == 1.0
    mine = _custom_gradient_names() - before
    assert len(mine) == 1
    free_unused_graphs()
    assert mine <= _custom_gradient_names()


def test_sparse_gradients_register_nothing():
    """An Embedding as the only trainable layer: all_reduce takes its IndexedSlices branch."""
    free_unused_graphs()
    model = keras.Sequential(
        [keras.Input((4,), dtype="int32"), keras.layers.Embedding(10, 2), keras.layers.Flatten()]
    )
    model.compile(optimizer="adam", loss="mse")
    model.train_on_batch(np.arange(8).reshape(2, 4) % 10, np.zeros((2, 8), "float32"))
    assert free_unused_graphs() == 0


def test_nothing_to_free_returns_zero():
    free_unused_graphs()
    assert free_unused_graphs() == 0


def test_a_registry_that_is_missing_is_not_an_error(monkeypatch):
    monkeypatch.setattr(keras_memory, "_gradient_registry", lambda: None)
    assert free_unused_graphs() == 0


@pytest.mark.parametrize("entry", [None, {}, {"type": 3}, {"type": len}, "not a dict"])
def test_entries_of_other_shapes_are_left_alone(entry):
    assert not keras_memory._is_all_reduce_entry(entry)


def test_docstring_examples():
    assert_docstring_examples_pass(keras_memory)
