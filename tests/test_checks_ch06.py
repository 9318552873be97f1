"""The exercises of chapter 6: a correct answer passes, typical mistakes get a specific reason."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

from course_utils.checks.ch06 import q1, q2, q3, q4, q5, q6
from course_utils.exercises import ____


def test_q1_gru_return_state_shapes():
    assert q1.check([(8, 5, 16), (8, 16)]).status == "passed"
    outputs = layers.GRU(16, return_sequences=True, return_state=True)(np.zeros((8, 5, 3)))
    assert q1.check([t.shape for t in outputs]).status == "passed"  # TensorShape-like tuples
    lstm_like = q1.check([(8, 5, 16), (8, 16), (8, 16)])
    assert lstm_like.status == "failed" and "single state" in lstm_like.message
    no_sequences = q1.check([(8, 16), (8, 16)])
    assert no_sequences.status == "failed" and "return_sequences" in no_sequences.message
    no_state = q1.check([(8, 5, 16)])
    assert no_state.status == "failed" and "two tensors" in no_state.message
    assert q1.check("(8, 5, 16)").status == "failed"
    assert q1.check([____]).status == "not attempted"


def test_q2_bidirectional_parameter_count():
    assert q2.check(2 * 4 * 32 * (10 + 32 + 1)).status == "passed"
    built = layers.Bidirectional(layers.LSTM(32))
    built.build((None, None, 10))
    assert q2.check(built).status == "passed"
    one_direction = q2.check(4 * 32 * (10 + 32 + 1))
    assert one_direction.status == "failed" and "two" in one_direction.message
    no_bias = q2.check(2 * 4 * 32 * (10 + 32))
    assert no_bias.status == "failed" and "bias" in no_bias.message
    other = q2.check(12345)
    assert other.status == "failed" and "too large" in other.message
    assert "11,008" not in other.message  # the answer is not given away
    assert q2.check(____).status == "not attempted"


def test_q3_gru_reset_after_false_parameter_count():
    assert q3.check(3 * 20 * (12 + 20 + 1)).status == "passed"
    gru = layers.GRU(20, reset_after=False)
    gru.build((None, None, 12))
    assert q3.check(gru).status == "passed"
    default_gru = q3.check(3 * 20 * (12 + 20 + 2))
    assert default_gru.status == "failed" and "reset_after=True" in default_gru.message
    lstm = q3.check(4 * 20 * (12 + 20 + 1))
    assert lstm.status == "failed" and "LSTM" in lstm.message
    assert q3.check("1980").status == "failed"
    assert q3.check(____).status == "not attempted"


def test_q4_cudnn_eligible_configurations():
    assert q4.check({"a", "c", "f"}).status == "passed"
    assert q4.check(frozenset("acf")).status == "passed"
    with_recurrent_dropout = q4.check({"a", "b", "c", "f"})
    assert with_recurrent_dropout.status == "failed"
    assert "recurrent_dropout" in with_recurrent_dropout.message
    without_dropout = q4.check({"a", "f"})
    assert without_dropout.status == "failed" and "dropout" in without_dropout.message
    wrapped_cell = q4.check({"a", "c", "f", "g"})
    assert wrapped_cell.status == "failed" and "RNN" in wrapped_cell.message
    as_string = q4.check("acf")
    assert as_string.status == "failed" and "set of labels" in as_string.message
    assert q4.check({"a", "z"}).status == "failed"
    assert q4.check(____).status == "not attempted"


def test_q5_stateful_batch_shape():
    assert q5.check((6, 20, 3)).status == "passed"
    assert q5.check((6, None, 3)).status == "passed"
    assert q5.check([6, 20, 3]).status == "passed"
    dynamic = q5.check((None, 20, 3))
    assert dynamic.status == "failed" and "fixed batch size" in dynamic.message
    time_major = q5.check((20, 6, 3))
    assert time_major.status == "failed" and "batch axis comes first" in time_major.message
    two_axes = q5.check((20, 3))
    assert two_axes.status == "failed" and "three axes" in two_axes.message
    assert q5.check((6, 20, 1)).status == "failed"
    assert q5.check(____).status == "not attempted"


def _encoder(mask_zero):
    def make_encoder():
        ids = keras.Input((None,), dtype="int32")
        vectors = layers.Embedding(50, 8, mask_zero=mask_zero)(ids)
        return keras.Model(ids, layers.GRU(16)(vectors))

    return make_encoder


def test_q6_encoder_ignores_padding():
    keras.utils.set_random_seed(0)
    assert q6.check(_encoder(mask_zero=True)).status == "passed"
    unmasked = q6.check(_encoder(mask_zero=False))
    assert unmasked.status == "failed" and "mask_zero=True" in unmasked.message

    def wrong_size():
        ids = keras.Input((None,), dtype="int32")
        vectors = layers.Embedding(50, 8, mask_zero=True)(ids)
        return keras.Model(ids, layers.GRU(8)(vectors))

    wrong = q6.check(wrong_size)
    assert wrong.status == "failed" and "(batch, 16)" in wrong.message

    def forgot_return():
        layers.GRU(16)

    assert "return" in q6.check(forgot_return).message
    assert q6.check(lambda: ____).status == "not attempted"
    assert q6.check(lambda: 1 / 0).status == "error"


def _encoder_with(embedding, recurrent):
    def make_encoder():
        ids = keras.Input((None,), dtype="int32")
        return keras.Model(ids, recurrent()(embedding()(ids)))

    return make_encoder


@pytest.mark.parametrize(
    ("build", "fragment"),
    [
        (
            _encoder_with(lambda: layers.Embedding(50, 8, mask_zero=True), lambda: layers.LSTM(16)),
            "exactly one GRU layer (recurrent layers found: LSTM)",
        ),
        (
            _encoder_with(
                lambda: layers.Embedding(50, 8, mask_zero=True),
                lambda: layers.Bidirectional(layers.GRU(8)),
            ),
            "remove the Bidirectional",
        ),
        (
            _encoder_with(lambda: layers.Embedding(10, 8, mask_zero=True), lambda: layers.GRU(16)),
            "yours is Embedding(10, 8)",
        ),
    ],
    ids=["lstm", "bidirectional", "small-vocabulary"],
)
def test_q6_refuses_models_the_prompt_does_not_ask_for(build, fragment):
    result = q6.check(build)
    assert result.status == "failed" and fragment in result.message, result.message


def test_q6_explains_a_model_given_instead_of_the_function():
    model = _encoder(mask_zero=True)()
    result = q6.check(model)
    assert result.status == "failed" and "not the function" in result.message, result.message


@pytest.mark.parametrize(
    "exercise", [q1, q2, q3, q4, q5, q6], ids=["q1", "q2", "q3", "q4", "q5", "q6"]
)
def test_hints_and_solutions(exercise):
    assert "Hint 1/" in repr(exercise.hint(1))
    assert exercise.solution().text.strip()


# ---------------------------------------------------------------------------------------------
# Issue 18: one coercion policy. Every valid form of a right answer passes; wrong answers are
# refused with a reason. Cases marked "new" failed (or errored) before the policy.
# ---------------------------------------------------------------------------------------------

_GRU_OUTPUTS = layers.GRU(16, return_sequences=True, return_state=True)(
    np.zeros((8, 5, 3), dtype="float32")
)
_Q2_COUNT = 2 * 4 * 32 * (10 + 32 + 1)
_Q3_COUNT = 3 * 20 * (12 + 20 + 1)


def _built(layer, features):
    layer.build((None, None, features))
    return layer


VALID = [
    (q1, [(8, 5, 16), (8, 16)], "tuples"),
    (q1, [[8, 5, 16], [8, 16]], "lists"),
    (q1, [t.shape for t in _GRU_OUTPUTS], "TensorShapes"),
    (q1, [np.array([8, 5, 16]), np.array([8, 16])], "int arrays (new)"),
    (q1, [tf.shape(t) for t in _GRU_OUTPUTS], "tf.shape tensors (new)"),
    (q1, list(_GRU_OUTPUTS), "the tensors themselves (new)"),
    (q2, _Q2_COUNT, "int"),
    (q2, float(_Q2_COUNT), "float"),
    (q2, np.float32(_Q2_COUNT), "NumPy float"),
    (q2, Fraction(_Q2_COUNT), "Fraction (new)"),
    (q2, np.array(_Q2_COUNT), "0-d array (new)"),
    (q2, tf.constant(_Q2_COUNT), "0-d tensor (new)"),
    (q2, _built(layers.Bidirectional(layers.LSTM(32)), 10), "built layer"),
    (q3, np.int64(_Q3_COUNT), "NumPy int"),
    (q3, Fraction(_Q3_COUNT), "Fraction (new)"),
    (q3, tf.constant(float(_Q3_COUNT)), "0-d float tensor (new)"),
    (q4, {"a", "c", "f"}, "set"),
    (q4, frozenset("acf"), "frozenset"),
    (q4, ["a", "c", "f"], "list (new)"),
    (q4, ("A", "c ", "f"), "tuple, upper case and spaces (new)"),
    (q5, (6, 20, 3), "tuple"),
    (q5, [6, None, 3], "list with None steps"),
    (q5, tf.TensorShape([6, 20, 3]), "TensorShape"),
    (q5, np.array([6, 20, 3]), "int array (new)"),
    (q5, tf.constant([6, 20, 3]), "int tensor (new)"),
    (q5, (6.0, 20.0, 3.0), "whole floats (new)"),
]


@pytest.mark.parametrize(
    ("exercise", "answer"),
    [(e, a) for e, a, _ in VALID],
    ids=[f"{e.label[-3:]}-{why}" for e, _, why in VALID],
)
def test_valid_variants_are_accepted(exercise, answer):
    result = exercise.check(answer)
    assert result.status == "passed", result


WRONG = [
    (q1, [(8, 5, 16), (8, 16), (8, 16)], "failed", "single state"),
    (q1, (8, 5, 16), "failed", "list of shape tuples"),
    (q2, True, "failed", "expected a number"),
    (q2, _Q2_COUNT + 0.5, "failed", "whole number"),
    (q2, layers.Bidirectional(layers.LSTM(32)), "failed", "not built yet (new: was error)"),
    (q3, layers.GRU(20, reset_after=False), "failed", "not built yet (new: was error)"),
    (q3, "1980", "failed", "expected a number"),
    (q4, "acf", "failed", "set of labels"),
    (q4, ["a", "c"], "failed", "f is eligible too"),
    (q5, (None, 20, 3), "failed", "fixed batch size"),
    (q5, np.array([6.5, 20, 3]), "failed", "expected a tuple"),
]


@pytest.mark.parametrize(
    ("exercise", "answer", "status", "fragment"),
    [(e, a, s, f.split(" (new")[0]) for e, a, s, f in WRONG],
    ids=[f"{e.label[-3:]}-{f}" for e, _, _, f in WRONG],
)
def test_wrong_answers_are_refused_with_a_reason(exercise, answer, status, fragment):
    result = exercise.check(answer)
    assert result.status == status and fragment in result.message, result


# --- The grader's hidden test cases (issue 17) ---------------------------------------------------


def _make_encoder(mask=True):
    def make_encoder():
        ids = keras.Input((None,), dtype="int32")
        vectors = layers.Embedding(50, 8, mask_zero=mask)(ids)
        return keras.Model(ids, layers.GRU(16)(vectors))

    return make_encoder


def test_q6_graded_ids_are_drawn_from_the_seed():
    first, again, other = (q6._check.for_grading(seed) for seed in (1, 1, 2))
    assert np.array_equal(first._unpadded, again._unpadded)
    assert first._unpadded.shape != other._unpadded.shape or not np.array_equal(
        first._unpadded, other._unpadded
    )
    for where, ids in first._variants.items():
        assert np.array_equal(ids, again._variants[where])
        assert ids.shape[1] > first._unpadded.shape[1] and (ids == 0).any()
    assert np.array_equal(q6._check._unpadded, [[4, 9, 2], [7, 1, 3]])  # visible: untouched


@pytest.mark.slow
def test_q6_the_model_answer_passes_the_graded_ids_and_no_mask_fails_them():
    namespace = {"keras": keras, "layers": layers}
    exec(q6._solution, namespace)
    for seed in (1, 2, 3):
        graded = q6._check.for_grading(seed)
        assert graded(namespace["make_encoder"]).status == "passed"
        unmasked = graded(_make_encoder(mask=False))
        assert unmasked.status == "failed" and "mask_zero=True" in unmasked.message
