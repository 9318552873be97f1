"""Tests of course_utils.embedding_models: the word2vec and fastText-style Keras builders.

Everything is tiny (vocabularies of tens of words, a handful of dimensions, a few epochs). Every
training test fixes Keras's seeds with ``keras.utils.set_random_seed``.
"""

from __future__ import annotations

import doctest
import inspect

import keras
import numpy as np
import pytest

from course_utils import embedding_models, models
from course_utils.embedding_models import (
    MaskedMean,
    cbow_model,
    count_params_table,
    fasttext_skipgram_model,
    skipgram_negative_sampling_model,
    word_vectors_from_subwords,
)
from course_utils.models import NeuralLM
from course_utils.text import Vocabulary

INTRODUCED = "Introduced in: notebooks/02_word_embeddings.ipynb"


def _weights(model: keras.Model, layer: str) -> np.ndarray:
    return np.asarray(model.get_layer(layer).get_weights()[0])


def _sub_output(model: keras.Model, layer: str, inputs: object) -> np.ndarray:
    """The output of an inner layer of a functional model for the given inputs."""
    inputs_ = model.inputs if len(model.inputs) > 1 else model.inputs[0]
    probe = keras.Model(inputs_, model.get_layer(layer).output)
    return np.asarray(probe(inputs, training=False))


# ---------------------------------------------------------------------------- skip-gram


def test_skipgram_shapes_parameters_and_logits_are_dot_products() -> None:
    keras.utils.set_random_seed(0)
    vocab_size, dim, n_neg = 30, 5, 3
    model = skipgram_negative_sampling_model(vocab_size, dim)
    assert model.count_params() == 2 * vocab_size * dim
    assert [t.name for t in model.inputs] == ["center", "contexts"]
    center = np.array([1, 7, 29, 0])
    contexts = np.array([[2, 5, 6, 7], [3, 1, 1, 0], [28, 4, 9, 10], [0, 0, 1, 2]])
    logits = np.asarray(model([center, contexts]))
    assert logits.shape == (4, 1 + n_neg)
    target = _weights(model, "target_embedding")
    context = _weights(model, "context_embedding")
    assert target.shape == context.shape == (vocab_size, dim)
    expected = np.einsum("bd,bkd->bk", target[center], context[contexts])
    np.testing.assert_allclose(logits, expected, rtol=1e-5, atol=1e-7)
    # A dict of named inputs works too, and any number of negatives.
    more = np.asarray(model({"center": center, "contexts": np.tile(contexts, 2)}))
    assert more.shape == (4, 2 * (1 + n_neg))


def _skipgram_batch(
    rng: np.random.Generator, vocab_size: int, n: int, n_neg: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Synthetic skip-gram data: word i's true contexts are i - 1 and i + 1 (mod V, ids >= 1)."""
    center = rng.integers(1, vocab_size, size=n)
    step = rng.choice([-1, 1], size=n)
    true = (center - 1 + step) % (vocab_size - 1) + 1
    negatives = rng.integers(1, vocab_size, size=(n, n_neg))
    contexts = np.concatenate([true[:, None], negatives], axis=1)
    labels = np.zeros(contexts.shape, dtype="float32")
    labels[:, 0] = 1.0
    return center, contexts, labels


def test_skipgram_training_reduces_the_loss() -> None:
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    center, contexts, labels = _skipgram_batch(rng, 20, 2000, 4)
    model = skipgram_negative_sampling_model(20, 8, learning_rate=0.02)
    history = model.fit([center, contexts], labels, epochs=4, batch_size=128, verbose=0)
    loss = history.history["loss"]
    assert loss[-1] < 0.8 * loss[0]
    # Neighbours on the ring score higher than a far-away word for a trained model.
    logits = np.asarray(model([np.array([5]), np.array([[4, 6, 15]])]))[0]
    assert min(logits[0], logits[1]) > logits[2]


# ---------------------------------------------------------------------------- CBOW


def test_cbow_shapes_and_parameters() -> None:
    vocab_size, dim, window = 40, 6, 2
    model = cbow_model(vocab_size, dim, window)
    assert model.count_params() == vocab_size * dim + dim * vocab_size + vocab_size
    assert tuple(model.inputs[0].shape) == (None, 2 * window)
    logits = np.asarray(model(np.array([[1, 2, 3, 4], [0, 0, 5, 0]])))
    assert logits.shape == (2, vocab_size)
    assert _weights(model, "target_embedding").shape == (vocab_size, dim)


def test_cbow_padding_does_not_contribute_to_the_mean() -> None:
    keras.utils.set_random_seed(1)
    vocab_size, dim = 15, 4
    wide = cbow_model(vocab_size, dim, window=2)
    narrow = cbow_model(vocab_size, dim, window=1)  # same weight shapes
    narrow.set_weights(wide.get_weights())
    emb = _weights(wide, "target_embedding")
    kernel, bias = wide.get_layer("logits").get_weights()
    # The pad row of the table is far from zero, so any leak would show.
    assert np.abs(emb[0]).sum() > 0
    padded = np.array([[0, 7, 0, 9], [7, 9, 0, 0], [0, 0, 9, 7]])
    manual_mean = (emb[7] + emb[9]) / 2
    means = _sub_output(wide, "context_mean", padded)
    np.testing.assert_allclose(means, np.tile(manual_mean, (3, 1)), rtol=1e-6, atol=1e-7)
    logits_padded = np.asarray(wide(padded))
    logits_absent = np.asarray(narrow(np.array([[7, 9]])))
    np.testing.assert_allclose(logits_padded, np.tile(logits_absent, (3, 1)), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(logits_absent[0], manual_mean @ kernel + bias, rtol=1e-5, atol=1e-6)
    # A row of padding only has a zero mean: the logits are the bias.
    np.testing.assert_allclose(
        np.asarray(wide(np.zeros((1, 4), dtype="int32")))[0], bias, atol=1e-7
    )


def test_cbow_with_another_pad_id_masks_that_id() -> None:
    keras.utils.set_random_seed(2)
    model = cbow_model(12, 3, window=1, pad_id=11)
    emb = _weights(model, "target_embedding")
    means = _sub_output(model, "context_mean", np.array([[4, 11], [11, 0]]))
    np.testing.assert_allclose(means, np.stack([emb[4], emb[0]]), rtol=1e-6)


def test_cbow_training_reduces_the_loss() -> None:
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(1)
    vocab_size = 12
    center = rng.integers(1, vocab_size, size=1500)
    # Context: the two ring neighbours on each side, some positions padded.
    offsets = np.array([-2, -1, 1, 2])
    context = (center[:, None] - 1 + offsets) % (vocab_size - 1) + 1
    context[rng.random(context.shape) < 0.2] = 0
    model = cbow_model(vocab_size, 8, window=2, learning_rate=0.03)
    history = model.fit(context, center, epochs=5, batch_size=64, verbose=0)
    loss = history.history["loss"]
    assert loss[-1] < 0.5 * loss[0]


# ---------------------------------------------------------------------------- fastText


def test_fasttext_shapes_and_parameters() -> None:
    model = fasttext_skipgram_model(50, 4, max_subwords=5)
    assert model.count_params() == 2 * 50 * 4
    smaller = fasttext_skipgram_model(50, 4, max_subwords=5, n_context_words=10)
    assert smaller.count_params() == (50 + 10) * 4
    assert [t.name for t in smaller.inputs] == ["center_subwords", "contexts"]
    logits = np.asarray(smaller([np.array([[3, 4, 0, 0, 0]]), np.array([[1, 2, 3]])]))
    assert logits.shape == (1, 3)


def test_fasttext_center_vector_is_the_masked_mean_and_matches_the_numpy_helper() -> None:
    keras.utils.set_random_seed(3)
    model = fasttext_skipgram_model(30, 4, max_subwords=4, n_context_words=8)
    table = _weights(model, "subword_embedding")
    subwords = np.array([[5, 9, 0, 0], [5, 9, 13, 21], [0, 0, 0, 2]])
    centers = _sub_output(model, "center_vector", [subwords, np.ones((3, 2), dtype="int32")])
    helper = word_vectors_from_subwords(model, subwords)
    np.testing.assert_allclose(centers, helper, rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(helper[0], (table[5] + table[9]) / 2, rtol=1e-6)
    # Lists of any length (longer than max_subwords too) and the raw table give the same.
    ragged = word_vectors_from_subwords(table, [[5, 9], [5, 9, 13, 21], [2], [1, 2, 3, 4, 5, 6]])
    np.testing.assert_allclose(ragged[:3], helper, rtol=1e-6)
    np.testing.assert_allclose(ragged[3], table[1:7].mean(axis=0), rtol=1e-6)
    # The logits are dot products of that vector with the context vectors.
    contexts = np.array([[1, 2], [3, 4], [5, 6]])
    logits = np.asarray(model([subwords, contexts]))
    context_table = _weights(model, "context_embedding")
    np.testing.assert_allclose(
        logits, np.einsum("bd,bkd->bk", helper, context_table[contexts]), rtol=1e-5, atol=1e-7
    )
    assert word_vectors_from_subwords(table, []).shape == (0, 4)


def test_fasttext_training_reduces_the_loss_and_builds_unseen_words() -> None:
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(2)
    n_words, n_subwords, max_subwords = 10, 40, 3
    # Word w (1..9) has the subwords w + 10 and w + 20 (its "n-grams") and the word id itself.
    pieces = {w: [w, w + 10, w + 20] for w in range(1, n_words)}
    center, contexts, labels = _skipgram_batch(rng, n_words, 1500, 3)
    subwords = np.array([pieces[int(w)] for w in center])
    model = fasttext_skipgram_model(
        n_subwords, 6, max_subwords=max_subwords, n_context_words=n_words, learning_rate=0.02
    )
    history = model.fit([subwords, contexts], labels, epochs=4, batch_size=128, verbose=0)
    loss = history.history["loss"]
    assert loss[-1] < 0.8 * loss[0]
    # An "unseen word" made of word 3's two n-grams (without the word id) gets a vector close
    # to word 3's.
    vectors = word_vectors_from_subwords(model, [[13, 23], pieces[3], pieces[7]])
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    assert unit[0] @ unit[1] > unit[0] @ unit[2]


def test_word_vectors_from_subwords_rejects_bad_input() -> None:
    table = np.arange(12, dtype=float).reshape(6, 2)
    with pytest.raises(ValueError, match=r"subword_id_lists\[1\] holds the id 6"):
        word_vectors_from_subwords(table, [[1], [2, 6]])
    with pytest.raises(ValueError, match=r"subword_id_lists\[0\] has no subword id other"):
        word_vectors_from_subwords(table, [[0, 0]])
    with pytest.raises(ValueError, match=r"subword_id_lists\[0\] has no subword id other"):
        word_vectors_from_subwords(table, [[]])
    with pytest.raises(TypeError, match=r"subword_id_lists\[0\] must be a 1-D sequence"):
        word_vectors_from_subwords(table, [[1.5]])
    with pytest.raises(TypeError, match=r"subword_id_lists\[0\] must be a sequence"):
        word_vectors_from_subwords(table, ["abc"])
    with pytest.raises(TypeError, match="subword_id_lists must be an iterable"):
        word_vectors_from_subwords(table, 3)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="model must be a Keras model"):
        word_vectors_from_subwords([[1.0]], [[1]])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="subword_embedding"):
        word_vectors_from_subwords(cbow_model(5, 2, 1), [[1]])


# ---------------------------------------------------------------------------- shared pieces


def test_masked_mean_layer() -> None:
    ids = np.array([[3, 0, 4], [0, 0, 0]])
    vectors = np.arange(18, dtype="float32").reshape(2, 3, 3)
    out = np.asarray(MaskedMean(0)([ids, vectors]))
    np.testing.assert_allclose(out, [(vectors[0, 0] + vectors[0, 2]) / 2, np.zeros(3)])
    assert MaskedMean(pad_id=5).get_config()["pad_id"] == 5
    with pytest.raises(ValueError, match="pad_id must be an integer >= 0"):
        MaskedMean(-1)


@pytest.mark.parametrize(
    "builder",
    [
        lambda: skipgram_negative_sampling_model(20, 3),
        lambda: cbow_model(20, 3, 2),
        lambda: fasttext_skipgram_model(20, 3, 4),
        lambda: NeuralLM(Vocabulary(["a", "b"]), context_size=2, dim=3, hidden=4).model,
    ],
)
def test_count_params_table_adds_up(builder: object) -> None:
    model = builder()  # type: ignore[operator]
    table = count_params_table(model)
    assert sum(p for _, _, p in table) == model.count_params()
    assert [name for name, _, _ in table] == [layer.name for layer in model.layers]
    assert all(isinstance(shape, str) and shape.startswith("(") for _, shape, _ in table)


def test_count_params_table_rows() -> None:
    rows = count_params_table(cbow_model(50, 8, window=2))
    assert rows == [
        ("context", "(None, 4)", 0),
        ("target_embedding", "(None, 4, 8)", 400),
        ("context_mean", "(None, 8)", 0),
        ("logits", "(None, 50)", 450),
    ]
    with pytest.raises(TypeError, match="model must be a Keras model"):
        count_params_table("cbow")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: skipgram_negative_sampling_model(0, 4), ValueError, "vocab_size must be"),
        (lambda: skipgram_negative_sampling_model(10, "4"), TypeError, "dim must be an integer"),
        (lambda: skipgram_negative_sampling_model(10, True), TypeError, "dim must be"),
        (lambda: skipgram_negative_sampling_model(10, 4, name=""), TypeError, "name must be"),
        (lambda: cbow_model(10, 4, 0), ValueError, "window must be an integer >= 1"),
        (lambda: cbow_model(10, 4, 2, pad_id=10), ValueError, "pad_id must be an integer betw"),
        (lambda: cbow_model(10, 4, 2, learning_rate=0), ValueError, "learning_rate must be"),
        (lambda: cbow_model(10.0, 4, 2), TypeError, "vocab_size must be an integer"),
        (lambda: fasttext_skipgram_model(1, 4, 3), ValueError, "n_buckets_plus_words must be"),
        (lambda: fasttext_skipgram_model(9, 4, 0), ValueError, "max_subwords must be"),
        (
            lambda: fasttext_skipgram_model(9, 4, 3, n_context_words=0),
            ValueError,
            "n_context_words must be",
        ),
    ],
)
def test_builders_reject_bad_arguments(call: object, error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        call()  # type: ignore[operator]


# Keras's own saving code warns about an unbuilt optimizer and NumPy 2's copy keyword.
@pytest.mark.filterwarnings("ignore:Skipping variable loading for optimizer")
@pytest.mark.filterwarnings("ignore:__array__ implementation doesn't accept a copy keyword")
def test_models_with_custom_layers_save_and_load(tmp_path: object) -> None:
    keras.utils.set_random_seed(0)
    lm = NeuralLM(Vocabulary(["a", "b"]), context_size=2, dim=3, hidden=4)
    x = np.array([[2, 2], [2, 4], [5, 4]])
    for model, inputs in [(cbow_model(9, 3, 2, pad_id=1), np.array([[1, 2, 3, 1]])), (lm.model, x)]:
        path = f"{tmp_path}/{model.name}.keras"
        model.save(path)
        loaded = keras.models.load_model(path)
        np.testing.assert_allclose(np.asarray(loaded(inputs)), np.asarray(model(inputs)), rtol=1e-6)


# ---------------------------------------------------------------------------- the module


def test_docstring_examples_are_correct() -> None:
    failures, attempted = doctest.testmod(
        embedding_models, optionflags=doctest.NORMALIZE_WHITESPACE
    )
    assert attempted >= 4 and failures == 0


@pytest.mark.parametrize("name", embedding_models.__all__)
def test_every_public_name_says_where_it_is_introduced(name: str) -> None:
    assert INTRODUCED in (inspect.getdoc(getattr(embedding_models, name)) or ""), name


@pytest.mark.parametrize("name", embedding_models.__all__)
def test_models_still_exports_every_name(name: str) -> None:
    """``from course_utils.models import cbow_model`` keeps working (chapter 2 imports it)."""
    assert getattr(models, name) is getattr(embedding_models, name)
    assert name in models.__all__
