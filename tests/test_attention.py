"""course_utils.attention: NumPy attention against Keras's layers, masks, errors, SequenceLM."""

from __future__ import annotations

import doctest
import itertools

import numpy as np
import pytest
from tensorflow import keras

from course_utils import attention, evaluation, tasks
from course_utils.attention import (
    SequenceLM,
    additive_attention,
    causal_mask,
    multi_head_attention,
    scaled_dot_product_attention,
    softmax,
)
from course_utils.text import Vocabulary

TOL = 2e-6


def _qkv(seed=0, batch=2, tq=3, tv=5, d=4, dv=6):
    rng = np.random.default_rng(seed)
    return (
        rng.normal(size=(batch, tq, d)).astype("float32"),
        rng.normal(size=(batch, tv, d)).astype("float32"),
        rng.normal(size=(batch, tv, dv)).astype("float32"),
    )


# --------------------------------------------------------------------------------- softmax


def test_softmax_is_stable_and_sums_to_one():
    w = softmax([1000.0, 1001.0, 999.0])
    assert np.isfinite(w).all() and w.sum() == pytest.approx(1.0)
    assert np.allclose(w, softmax([0.0, 1.0, -1.0]))
    rows = softmax(np.arange(6.0).reshape(2, 3), axis=0)
    assert np.allclose(rows.sum(axis=0), 1.0)


def test_softmax_mask_gives_zero_weight():
    w = softmax([[1.0, 2.0, 3.0]], mask=[[True, True, False]])
    assert w[0, 2] == 0.0
    assert np.allclose(w[0, :2], softmax([1.0, 2.0]))
    assert np.allclose(softmax([1.0, 2.0], mask=[1, 1]), softmax([1.0, 2.0]))


def test_softmax_errors():
    with pytest.raises(TypeError, match="scores must be an array of real numbers"):
        softmax("abc")
    with pytest.raises(ValueError, match="at least one axis"):
        softmax(3.0)
    with pytest.raises(ValueError, match="finite"):
        softmax([1.0, np.nan])
    with pytest.raises(ValueError, match="axis must be between"):
        softmax([1.0, 2.0], axis=1)
    with pytest.raises(TypeError, match="axis must be an int"):
        softmax([1.0, 2.0], axis=0.5)
    with pytest.raises(ValueError, match="allows no position"):
        softmax([[1.0, 2.0]], mask=[[False, False]])
    with pytest.raises(ValueError, match="cannot broadcast"):
        softmax([[1.0, 2.0]], mask=[True, False, True])
    with pytest.raises(TypeError, match="True/False"):
        softmax([1.0, 2.0], mask=[0.5, 1.0])


# ---------------------------------------------------------------------------- causal mask


def test_causal_mask_matches_keras():
    m = causal_mask(4)
    assert m.dtype == bool and m.shape == (4, 4)
    assert (m == np.tril(np.ones((4, 4), bool))).all()
    layer = keras.layers.Attention()
    x = np.random.default_rng(0).normal(size=(1, 4, 2)).astype("float32")
    _, keras_w = layer([x, x], use_causal_mask=True, return_attention_scores=True)
    assert ((np.asarray(keras_w)[0] > 0) == m).all()


def test_causal_mask_errors():
    with pytest.raises(TypeError, match="n must be an integer"):
        causal_mask(2.0)
    with pytest.raises(TypeError, match="n must be an integer"):
        causal_mask(True)
    with pytest.raises(ValueError, match="n must be an integer >= 1; got 0"):
        causal_mask(0)


# ------------------------------------------------------------------ dot-product attention


@pytest.mark.parametrize("use_scale", [False, True])
def test_dot_product_matches_keras_attention(use_scale):
    q, k, v = _qkv()
    layer = keras.layers.Attention(use_scale=use_scale)
    layer.build([q.shape, v.shape, k.shape])
    scale = 1.0
    if use_scale:
        layer.set_weights([np.array(1.7, "float32")])
        scale = float(layer.get_weights()[0])
    out, w = layer([q, v, k], return_attention_scores=True)
    ours, our_w = scaled_dot_product_attention(q, k, v, scale=scale)
    assert ours.shape == (2, 3, 6) and our_w.shape == (2, 3, 5)
    assert np.abs(np.asarray(out) - ours).max() < TOL
    assert np.abs(np.asarray(w) - our_w).max() < TOL
    assert np.allclose(our_w.sum(-1), 1.0)


def test_dot_product_causal_matches_keras():
    q, _, _ = _qkv(tq=5)
    layer = keras.layers.Attention()
    out, w = layer([q, q], use_causal_mask=True, return_attention_scores=True)
    ours, our_w = scaled_dot_product_attention(q, q, q, scale=1.0, mask=causal_mask(5))
    assert np.abs(np.asarray(out) - ours).max() < TOL
    assert np.abs(np.asarray(w) - our_w).max() < TOL


def test_dot_product_default_scale_is_inverse_sqrt_d():
    q, k, v = _qkv(d=9)
    _, w = scaled_dot_product_attention(q, k, v)
    _, w_scaled = scaled_dot_product_attention(q / 3.0, k, v, scale=1.0)
    assert np.allclose(w, w_scaled)


def test_single_sequence_drops_batch_axis():
    q, k, v = _qkv()
    out, w = scaled_dot_product_attention(q[0], k[0], v[0])
    full, full_w = scaled_dot_product_attention(q, k, v)
    assert out.shape == (3, 6) and np.allclose(out, full[0]) and np.allclose(w, full_w[0])


def test_dot_product_errors():
    q, k, v = _qkv()
    with pytest.raises(ValueError, match="same last axis d"):
        scaled_dot_product_attention(q, k[..., :3], v)
    with pytest.raises(ValueError, match="one value per key"):
        scaled_dot_product_attention(q, k, v[:, :4])
    with pytest.raises(ValueError, match="same batch size"):
        scaled_dot_product_attention(q, k[:1], v[:1])
    with pytest.raises(ValueError, match="same number of axes"):
        scaled_dot_product_attention(q[0], k, v)
    with pytest.raises(ValueError, match=r"shape \(batch, time, features\)"):
        scaled_dot_product_attention(q[0, 0], k[0, 0], v[0, 0])
    with pytest.raises(TypeError, match="query must be an array"):
        scaled_dot_product_attention("q", k, v)
    with pytest.raises(TypeError, match="scale must be a real number"):
        scaled_dot_product_attention(q, k, v, scale="1")
    with pytest.raises(ValueError, match="cannot broadcast"):
        scaled_dot_product_attention(q, k, v, mask=causal_mask(3))


# ----------------------------------------------------------------------- additive attention


@pytest.mark.parametrize("use_scale", [True, False])
def test_additive_matches_keras(use_scale):
    q, k, v = _qkv(seed=1)
    layer = keras.layers.AdditiveAttention(use_scale=use_scale)
    out, w = layer([q, v, k], return_attention_scores=True)
    scale = layer.get_weights()[0] if use_scale else None
    ours, our_w = additive_attention(q, k, v, scale=scale)
    assert np.abs(np.asarray(out) - ours).max() < TOL
    assert np.abs(np.asarray(w) - our_w).max() < TOL


def test_additive_with_keras_mask():
    q, k, v = _qkv(seed=2)
    v_mask = np.array([[True, True, True, False, False], [True] * 5])
    layer = keras.layers.AdditiveAttention()
    out, w = layer([q, v, k], mask=[None, v_mask], return_attention_scores=True)
    ours, our_w = additive_attention(q, k, v, scale=layer.get_weights()[0], mask=v_mask[:, None, :])
    assert np.abs(np.asarray(w) - our_w).max() < TOL
    assert np.abs(np.asarray(out) - ours).max() < TOL
    assert (our_w[0, :, 3:] == 0).all()


def test_additive_errors():
    q, k, v = _qkv()
    with pytest.raises(ValueError, match=r"scale must have shape \(4,\)"):
        additive_attention(q, k, v, scale=np.ones(3))
    with pytest.raises(ValueError, match="same last axis d"):
        additive_attention(q, k[..., :2], v)
    with pytest.raises(TypeError, match="value must be an array"):
        additive_attention(q, k, None)


# --------------------------------------------------------------------- multi-head attention


@pytest.mark.parametrize(
    ("heads", "causal", "cross"),
    [(1, False, False), (1, True, False), (2, True, False), (1, False, True)],
)
def test_multi_head_matches_keras(heads, causal, cross):
    rng = np.random.default_rng(3)
    x = rng.normal(size=(2, 6, 8)).astype("float32")
    source = rng.normal(size=(2, 4, 5)).astype("float32") if cross else x
    layer = keras.layers.MultiHeadAttention(num_heads=heads, key_dim=3, value_dim=2)
    out, w = layer(x, source, use_causal_mask=causal, return_attention_scores=True)
    weights = layer.get_weights()
    # Keras initialises the biases to zero; make them random so that they are tested too
    weights = [a if a.ndim == 3 else rng.normal(size=a.shape).astype("float32") for a in weights]
    layer.set_weights(weights)
    out, w = layer(x, source, use_causal_mask=causal, return_attention_scores=True)
    fast = layer(x, source, use_causal_mask=causal)  # Keras's fused path, no scores
    ours, our_w = multi_head_attention(x, source, weights, use_causal_mask=causal)
    assert ours.shape == (2, 6, 8) and our_w.shape == (2, heads, 6, source.shape[1])
    assert np.abs(np.asarray(out) - ours).max() < 1e-5
    assert np.abs(np.asarray(fast) - ours).max() < 1e-5
    assert np.abs(np.asarray(w) - our_w).max() < TOL


def test_multi_head_attention_mask_and_single_sequence():
    rng = np.random.default_rng(4)
    x = rng.normal(size=(1, 5, 4)).astype("float32")
    layer = keras.layers.MultiHeadAttention(num_heads=1, key_dim=2)
    mask = rng.random((1, 5, 5)) < 0.6
    mask[..., 0] = True
    out, w = layer(x, x, attention_mask=mask, return_attention_scores=True)
    ours, our_w = multi_head_attention(x[0], x[0], layer.get_weights(), mask=mask[0])
    assert np.abs(np.asarray(out)[0] - ours).max() < 1e-5
    assert np.abs(np.asarray(w)[0] - our_w).max() < TOL


def test_multi_head_errors():
    x = np.zeros((1, 3, 4))
    layer = keras.layers.MultiHeadAttention(num_heads=1, key_dim=2)
    layer(x, x)
    weights = layer.get_weights()
    with pytest.raises(TypeError, match="list of eight arrays"):
        multi_head_attention(x, x, weights[0])
    with pytest.raises(ValueError, match="must hold 8 arrays"):
        multi_head_attention(x, x, weights[:4])
    with pytest.raises(ValueError, match=r"query_kernel must have shape \(5, 1, 2\)"):
        multi_head_attention(np.zeros((1, 3, 5)), np.zeros((1, 3, 5)), weights)
    with pytest.raises(TypeError, match="use_causal_mask must be True or False"):
        multi_head_attention(x, x, weights, use_causal_mask="yes")
    bad = [*weights[:7], np.zeros(3)]
    with pytest.raises(ValueError, match="output_kernel must have shape"):
        multi_head_attention(x, x, bad)


# ----------------------------------------------------------------------------- SequenceLM


def _bigram_model(vocab, table):
    """A causal Keras model whose logits at each position depend on that token only."""
    ids = keras.Input((None,), dtype="int32")
    logits = keras.layers.Embedding(len(vocab), len(vocab), weights=[table])(ids)
    return keras.Model(ids, logits)


def test_sequence_lm_scores_like_its_definition():
    sentences = [["나는", "배가", "고프다"], ["나는", "배가"]]
    vocab = Vocabulary.build(sentences)
    table = np.random.default_rng(0).normal(size=(len(vocab), len(vocab))).astype("float32")
    lm = SequenceLM(_bigram_model(vocab, table), vocab)
    x, y = lm.training_arrays(sentences)
    assert x.shape == y.shape == (2, 4) and x[1, 3] == 0 and y[1, 3] == 0
    # by hand: softmax over every token except <pad> and <s>
    allowed = [i for i in range(len(vocab)) if i not in (vocab.pad_id, vocab.bos_id)]
    expected = 0.0
    row = vocab.encode(sentences[1], add_bos=True, add_eos=True)
    for prev, nxt in itertools.pairwise(row):
        logits = table[prev, allowed].astype(float)
        expected += logits[allowed.index(nxt)] - np.log(np.exp(logits).sum())
    assert lm.logprob(sentences[1]) == pytest.approx(expected, abs=1e-5)
    both = lm.sentence_logprobs(sentences)
    assert both[1] == pytest.approx(expected, abs=1e-5)  # padding changes nothing
    assert lm.cross_entropy(sentences) == pytest.approx(-both.sum() / 7)


def test_sequence_lm_works_with_paired_gap_and_agreement():
    sentences = [["나는", "배가", "고프다"], ["할머니께서는", "배가", "고프시다"]]
    vocab = Vocabulary.build(sentences)
    table = np.zeros((len(vocab), len(vocab)), "float32")
    lm = SequenceLM(_bigram_model(vocab, table), vocab)
    gap = evaluation.paired_gap(lm, lm, sentences)
    assert gap.gap == pytest.approx(0.0)
    probes = [(["나는", "배가"], "고프다", "고프시다")]
    score = tasks.agreement_accuracy(lm, probes)
    assert score.plain == 0.0  # equal probabilities are not a preference


def test_sequence_lm_errors():
    vocab = Vocabulary.build([["a"]])
    with pytest.raises(TypeError, match="model must be a Keras model"):
        SequenceLM("model", vocab)
    with pytest.raises(TypeError, match=r"vocab must be a course_utils\.text\.Vocabulary"):
        SequenceLM(lambda x: x, {"a": 1})
    with pytest.raises(ValueError, match="among its specials"):
        SequenceLM(lambda x: x, Vocabulary.build([["a"]], specials=("<pad>", "<unk>")))
    lm = SequenceLM(lambda x, training=False: np.zeros((*x.shape, 2)), vocab)
    with pytest.raises(ValueError, match="logits of shape"):
        lm.logprob(["a"])
    with pytest.raises(TypeError, match="list of token lists"):
        lm.sentence_logprobs("a b")
    with pytest.raises(TypeError, match=r"sentences\[0\] must be a list of str tokens"):
        lm.sentence_logprobs(["a b"])
    with pytest.raises(ValueError, match="is empty"):
        lm.training_arrays([])


def _notebook_causal_lm(vocab_size, dim=32, heads=2, blocks=1, max_len=64):
    """Chapter 8's own code (notebooks/08_attention.ipynb, section 8.4), copied verbatim."""
    layers = keras.layers

    class PositionEmbedding(layers.Layer):
        def __init__(self, max_len, dim, **kwargs):
            super().__init__(**kwargs)
            self.table = layers.Embedding(max_len, dim)

        def call(self, x):
            positions = keras.ops.arange(keras.ops.shape(x)[1])
            return x + self.table(positions)[None]

    def transformer_block(x, heads, dim):
        attended = layers.MultiHeadAttention(heads, dim // heads)(x, x, use_causal_mask=True)
        x = layers.LayerNormalization()(x + attended)
        hidden = layers.Dense(4 * dim, activation="relu")(x)
        return layers.LayerNormalization()(x + layers.Dense(dim)(hidden))

    keras.utils.set_random_seed(0)
    ids = keras.Input((None,), dtype="int32")
    x = layers.Embedding(vocab_size, dim)(ids)
    x = PositionEmbedding(max_len, dim, name="positions")(x)
    for _ in range(blocks):
        x = transformer_block(x, heads, dim)
    return keras.Model(ids, layers.Dense(vocab_size)(x))


def test_causal_lm_is_the_notebooks_model():
    ids = np.random.default_rng(0).integers(0, 20, size=(3, 9)).astype("int32")
    ours, notebook = attention.causal_lm(20), _notebook_causal_lm(20)
    assert ours.count_params() == notebook.count_params() == 16_052
    for a, b in zip(ours.get_weights(), notebook.get_weights(), strict=True):
        assert np.array_equal(a, b)
    assert np.allclose(np.asarray(ours(ids)), np.asarray(notebook(ids)), atol=1e-6)


def test_causal_lm_is_causal_and_checks_its_arguments():
    model = attention.causal_lm(12, dim=8, heads=2, blocks=2, max_len=10)
    ids = np.random.default_rng(1).integers(0, 12, size=(2, 7)).astype("int32")
    changed = ids.copy()
    changed[:, 4:] = (changed[:, 4:] + 1) % 12
    before, after = np.asarray(model(ids)), np.asarray(model(changed))
    assert np.allclose(before[:, :4], after[:, :4], atol=1e-6)  # no peeking ahead
    assert not np.allclose(before[:, 4:], after[:, 4:])
    with pytest.raises(ValueError, match="dim must be a multiple of heads"):
        attention.causal_lm(12, dim=9, heads=2)
    with pytest.raises(ValueError, match="vocab_size must be an integer >= 2"):
        attention.causal_lm(1)
    with pytest.raises(TypeError, match="blocks must be an integer"):
        attention.causal_lm(12, blocks=1.5)
    with pytest.raises(ValueError, match="max_len must be an integer >= 1"):
        attention.PositionEmbedding(0, 4)
    config = attention.PositionEmbedding(5, 4, name="p").get_config()
    assert config["max_len"] == 5 and config["dim"] == 4


def test_module_exports():
    assert sorted(attention.__all__) == attention.__all__
    assert attention.__doc__.startswith("Introduced in chapter 8")


def test_docstring_examples():
    failures, attempted = doctest.testmod(attention, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert attempted > 5 and failures == 0


@pytest.mark.parametrize("name", attention.__all__)
def test_public_names_say_where_they_are_introduced(name):
    doc = getattr(attention, name).__doc__
    assert "Introduced in: notebooks/08_attention.ipynb" in doc
    for section in ("Args:", "Returns:", "Raises:", "Example:"):
        optional = name == "SequenceLM" and section == "Returns:"
        assert section in doc or optional, section
