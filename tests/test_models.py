"""Tests of course_utils.models: the feed-forward and recurrent language models.

Everything is tiny (vocabularies of tens of words, a handful of dimensions, a few epochs) so
that the whole file runs in well under a minute on two CPU cores. Every training test fixes
Keras's seeds with ``keras.utils.set_random_seed``.
"""

from __future__ import annotations

import doctest
import inspect
import math
import time

import keras
import numpy as np
import pytest

from course_utils import models
from course_utils.data import HungryGrammar
from course_utils.models import NeuralLM, RecurrentLM
from course_utils.ngram import NGramLM
from course_utils.text import BOS, EOS, PAD, UNK, Vocabulary

INTRODUCED = "Introduced in: notebooks/02_word_embeddings.ipynb"
INTRODUCED_RNN = "Introduced in: notebooks/03_recurrent_networks.ipynb"


# ---------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def hungry() -> dict[str, list[list[str]]]:
    """200 training and 100 test sentences of the known-answer grammar."""
    splits = HungryGrammar().splits(n_train=200, n_valid=50, n_test=100, seed=3)
    return splits


@pytest.fixture(scope="module")
def trained_lm(hungry: dict[str, list[list[str]]]) -> tuple[NeuralLM, keras.callbacks.History]:
    lm = NeuralLM(Vocabulary.build(hungry["train"]), context_size=2, dim=8, hidden=16, seed=1)
    history = lm.fit(
        hungry["train"],
        epochs=6,
        batch_size=64,
        learning_rate=0.02,
        validation_sentences=hungry["valid"],
    )
    return lm, history


# ---------------------------------------------------------------------------- NeuralLM


def test_neural_lm_architecture_and_parameter_count() -> None:
    vocab = Vocabulary(["a", "b", "c"])  # 4 specials + 3 tokens
    size, c, d, h = 7, 3, 5, 6
    lm = NeuralLM(vocab, context_size=c, dim=d, hidden=h)
    assert lm.model.count_params() == size * d + (c * d) * h + h + h * size + size
    assert tuple(lm.model.inputs[0].shape) == (None, c)
    assert tuple(lm.model.outputs[0].shape) == (None, size)
    assert lm.embeddings.shape == (size, d)
    assert lm.vocabulary == (UNK, EOS, "a", "b", "c")
    assert lm.order == 4 and lm.context_size == 3 and lm.vocab is vocab
    assert "not fitted" in repr(lm)


def test_neural_lm_distribution_sums_to_one_and_never_predicts_pad_or_bos(
    trained_lm: tuple[NeuralLM, keras.callbacks.History],
) -> None:
    lm, _ = trained_lm
    for context in [(BOS, BOS), (BOS, "나는"), ("배가", "고프다"), ("모르는말", "<unk>")]:
        dist = lm.distribution(context)
        assert math.isclose(math.fsum(dist.values()), 1.0, abs_tol=1e-5)
        assert PAD not in dist and BOS not in dist
        assert EOS in dist and UNK in dist
        assert tuple(dist) == lm.vocabulary
        assert all(p > 0 for p in dist.values())
        assert lm.prob(PAD, context) == 0.0
        assert lm.prob(BOS, context) == 0.0
        assert math.isclose(lm.prob("고프다", context), dist["고프다"], rel_tol=1e-9)


def test_neural_lm_logprob_score_tokens_and_cross_entropy_agree(
    trained_lm: tuple[NeuralLM, keras.callbacks.History],
    hungry: dict[str, list[list[str]]],
) -> None:
    lm, _ = trained_lm
    sentence = hungry["test"][0]
    scored = lm.score_tokens(sentence)
    assert len(scored) == len(sentence) + 1
    assert [t for t, _, _ in scored] == [*sentence, EOS]
    assert scored[0][1] == (BOS, BOS)
    assert math.isclose(
        lm.logprob(sentence), math.fsum(math.log(p) for _, _, p in scored), rel_tol=1e-9
    )
    for token, context, p in scored:
        assert math.isclose(lm.prob(token, context), p, rel_tol=1e-6)
    test = hungry["test"]
    n_tokens = sum(len(s) + 1 for s in test)
    by_sentence = [lm.logprob(s) for s in test]
    assert math.isclose(lm.cross_entropy(test), -math.fsum(by_sentence) / n_tokens, rel_tol=1e-9)
    np.testing.assert_allclose(lm.sentence_logprobs(test), by_sentence, rtol=1e-9)
    assert math.isclose(lm.perplexity(test), math.exp(lm.cross_entropy(test)), rel_tol=1e-12)
    # A str sentence is split on whitespace, as in NGramLM.
    assert lm.logprob(" ".join(sentence)) == lm.logprob(sentence)


def test_neural_lm_uses_the_ngram_padding_convention(
    hungry: dict[str, list[list[str]]],
) -> None:
    lm = NeuralLM(Vocabulary.build(hungry["train"]), context_size=3, dim=2, hidden=2)
    ngram = NGramLM(4, smoothing="add_k").fit(hungry["train"])
    for sentence in hungry["train"][:5]:
        ours = [(t, ctx) for t, ctx, _ in lm.score_tokens(sentence)]
        theirs = [(t, ctx) for t, ctx, _ in ngram.score_tokens(sentence)]
        assert ours == theirs


def test_neural_lm_maps_unknown_words_to_unk(
    trained_lm: tuple[NeuralLM, keras.callbacks.History],
) -> None:
    lm, _ = trained_lm
    assert "쿼카는" not in lm.vocab
    scored = lm.score_tokens(["쿼카는", "엄청", "배가", "고프다"])
    assert scored[0][0] == UNK
    assert scored[1][1] == (BOS, UNK)
    context = (BOS, "나는")
    assert lm.prob("쿼카는", context) == lm.prob(UNK, context)
    assert lm.distribution(("쿼카는", "엄청")) == lm.distribution((UNK, "엄청"))


def test_neural_lm_training_beats_uniform_and_val_loss_is_cross_entropy(
    trained_lm: tuple[NeuralLM, keras.callbacks.History],
    hungry: dict[str, list[list[str]]],
) -> None:
    lm, history = trained_lm
    uniform = math.log(len(lm.vocabulary))
    test_ce = lm.cross_entropy(hungry["test"])
    assert test_ce < uniform - 1.0
    losses = history.history["loss"]
    assert losses[-1] < losses[0]
    assert math.isclose(
        history.history["val_loss"][-1], lm.cross_entropy(hungry["valid"]), rel_tol=1e-4
    )
    # The seed's unseen sentence gets a sensible, finite probability.
    assert math.isfinite(lm.logprob("나는 무지 배가 고프다"))
    assert "trained on" in repr(lm)
    words = lm.generate(seed=1, max_words=20)
    assert words == lm.generate(seed=1, max_words=20)
    assert all(w in lm.vocab and w not in (BOS, PAD, EOS) for w in words)
    assert len(lm.generate(3, seed=2)) <= 3
    assert UNK not in lm.generate(seed=4, allow_unk=False, max_words=30)


def test_neural_lm_is_reproducible_with_the_same_seed(
    hungry: dict[str, list[list[str]]],
) -> None:
    vocab = Vocabulary.build(hungry["train"])
    train = hungry["train"][:100]

    def trained(seed: int) -> NeuralLM:
        lm = NeuralLM(vocab, context_size=2, dim=4, hidden=8, seed=seed)
        lm.fit(train, epochs=2, batch_size=32)
        return lm

    first, second, other = trained(5), trained(5), trained(6)
    for a, b in zip(first.model.get_weights(), second.model.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
    assert first.cross_entropy(hungry["test"]) == second.cross_entropy(hungry["test"])
    assert not np.array_equal(first.embeddings, other.embeddings)


def test_neural_lm_scoring_is_batched_and_fast(
    trained_lm: tuple[NeuralLM, keras.callbacks.History],
) -> None:
    lm, _ = trained_lm
    sentences = HungryGrammar().sample(1000, seed=11)
    lm.cross_entropy(sentences[:10])  # warm-up
    start = time.perf_counter()
    lm.cross_entropy(sentences)
    assert time.perf_counter() - start < 1.0


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda v: NeuralLM(v, context_size=0), ValueError, "context_size must be an integer"),
        (lambda v: NeuralLM(v, context_size=2.0), TypeError, "context_size must be an integer"),
        (lambda v: NeuralLM(v, dim=0), ValueError, "dim must be"),
        (lambda v: NeuralLM(v, hidden=-1), ValueError, "hidden must be"),
        (lambda v: NeuralLM(v, seed=-1), ValueError, "seed must be"),
        (lambda v: NeuralLM(["a", "b"]), TypeError, "vocab must be a course_utils.text.Vocab"),
        (
            lambda v: NeuralLM(Vocabulary(["a"], specials=(PAD, UNK))),
            ValueError,
            "vocab must have '<s>' among its specials",
        ),
        (lambda v: NeuralLM(v).fit([]), ValueError, "sentences must hold at least one sentence"),
        (lambda v: NeuralLM(v).fit("a b"), TypeError, "sentences must be an iterable"),
        (lambda v: NeuralLM(v).fit(["a b"]), TypeError, r"sentences\[0\] is a str"),
        (lambda v: NeuralLM(v).fit([["a", 3]]), TypeError, r"sentences\[0\]\[1\] must be a str"),
        (lambda v: NeuralLM(v).fit([["a", EOS]]), ValueError, r"sentences\[0\]\[1\] is the res"),
        (lambda v: NeuralLM(v).fit([["a"]], epochs=0), ValueError, "epochs must be"),
        (lambda v: NeuralLM(v).fit([["a"]], batch_size=1.5), TypeError, "batch_size must be"),
        (lambda v: NeuralLM(v).fit([["a"]], learning_rate=-1), ValueError, "learning_rate"),
        (
            lambda v: NeuralLM(v).fit([["a"]], validation_sentences=[]),
            ValueError,
            "validation_sentences must hold at least one sentence",
        ),
        (lambda v: NeuralLM(v).cross_entropy([]), ValueError, "at least one sentence"),
        (lambda v: NeuralLM(v).prob("a", ["a"]), ValueError, "context must have exactly"),
        (lambda v: NeuralLM(v).prob(3, ["a"] * 3), TypeError, "word must be a str"),
        (lambda v: NeuralLM(v).distribution([1, 2, 3]), TypeError, r"context\[0\] must be a str"),
        (lambda v: NeuralLM(v).logprob([BOS, "a"]), ValueError, r"sentence\[0\] is the reserved"),
        (lambda v: NeuralLM(v).generate(0), ValueError, "n_words must be an integer >= 1"),
    ],
)
def test_neural_lm_rejects_bad_input(call: object, error: type, message: str) -> None:
    vocab = Vocabulary(["a", "b"])
    with pytest.raises(error, match=message):
        call(vocab)  # type: ignore[operator]


def test_neural_lm_without_unk_refuses_unknown_words() -> None:
    vocab = Vocabulary(["a"], specials=(PAD, BOS, EOS))
    lm = NeuralLM(vocab, context_size=1, dim=2, hidden=2)
    assert lm.vocabulary == (EOS, "a")
    with pytest.raises(ValueError, match=r"sentence\[1\] is 'zz', which is not in the vocab"):
        lm.logprob(["a", "zz"])
    with pytest.raises(ValueError, match=r"sentences\[1\]\[0\] is 'zz'"):
        lm.cross_entropy([["a"], ["zz"]])
    with pytest.raises(ValueError, match=r"context\[0\] is 'zz'"):
        lm.distribution(["zz"])
    with pytest.raises(ValueError, match="word 'zz' is not in the vocabulary"):
        lm.prob("zz", ["a"])


# ---------------------------------------------------------------------------- RecurrentLM


@pytest.fixture(scope="module")
def hungry_300() -> list[list[str]]:
    """300 sentences of the known-answer grammar: the recurrent models' training set."""
    return HungryGrammar().sample(300, seed=1)


@pytest.fixture(scope="module")
def trained_rnn(
    hungry_300: list[list[str]], hungry: dict[str, list[list[str]]]
) -> tuple[RecurrentLM, keras.callbacks.History]:
    lm = RecurrentLM(Vocabulary.build(hungry_300), cell="gru", units=16, dim=8, seed=1)
    history = lm.fit(
        hungry_300,
        epochs=2,
        batch_size=32,
        learning_rate=0.02,
        validation_sentences=hungry["valid"],
    )
    return lm, history


def _in_vocab(lm: RecurrentLM, sentences: list[list[str]], min_length: int) -> list[list[str]]:
    """The sentences of at least ``min_length`` tokens whose words are all in the vocabulary."""
    return [s for s in sentences if len(s) >= min_length and all(t in lm.vocab for t in s)]


@pytest.mark.parametrize(
    ("cell", "layer_type", "recurrent_params"),
    [
        ("simple_rnn", keras.layers.SimpleRNN, lambda u, d: u * (d + u) + u),
        ("lstm", keras.layers.LSTM, lambda u, d: 4 * (u * (d + u) + u)),
        ("gru", keras.layers.GRU, lambda u, d: 3 * (u * (d + u) + 2 * u)),
    ],
)
def test_recurrent_lm_architecture_and_parameter_counts(
    cell: str, layer_type: type, recurrent_params: object
) -> None:
    vocab = Vocabulary(["a", "b", "c"])  # 4 specials + 3 tokens
    size, units, dim = 7, 12, 5
    lm = RecurrentLM(vocab, cell, units=units, dim=dim)
    layer = lm.model.get_layer("recurrent")
    expected = recurrent_params(units, dim)  # type: ignore[operator]
    assert isinstance(layer, layer_type)
    assert layer.count_params() == expected
    assert lm.model.count_params() == size * dim + expected + units * size + size
    # Keras's defaults are kept (the cuDNN-compatible ones), apart from return_sequences.
    assert layer.return_sequences and not layer.return_state
    assert layer.dropout == 0.0 and layer.recurrent_dropout == 0.0
    assert getattr(layer, "use_cudnn", "auto") == "auto"
    assert getattr(layer, "reset_after", True)
    assert lm.model.get_layer("embedding").mask_zero
    assert tuple(lm.model.inputs[0].shape) == (None, None)
    assert tuple(lm.model.outputs[0].shape) == (None, None, size)
    assert lm.embeddings.shape == (size, dim)
    assert lm.vocabulary == (UNK, EOS, "a", "b", "c")
    assert lm.cell == cell and lm.units == units and lm.vocab is vocab
    assert repr(lm).startswith(f"RecurrentLM(cell={cell!r}, units=12, dim=5, seed=0")
    assert "not fitted" in repr(lm)
    assert lm.hidden_states(["a", "b"]).shape == (3, units)
    assert lm.hidden_states([]).shape == (1, units)


def test_recurrent_lm_training_arrays_and_the_mask_reaching_the_output(
    trained_rnn: tuple[RecurrentLM, keras.callbacks.History],
    hungry: dict[str, list[list[str]]],
) -> None:
    lm, _ = trained_rnn
    sentences = hungry["test"][:6]
    x, y, w = lm.training_arrays(sentences)
    lengths = [len(s) + 1 for s in sentences]
    assert x.shape == y.shape == (6, max(lengths)) and x.dtype == y.dtype == np.int32
    for i, (sentence, n) in enumerate(zip(sentences, lengths, strict=True)):
        ids = lm.vocab.encode(sentence)
        assert x[i].tolist() == [lm.vocab.bos_id, *ids] + [0] * (x.shape[1] - n)
        assert y[i].tolist() == [*ids, lm.vocab.eos_id] + [0] * (x.shape[1] - n)
    np.testing.assert_allclose(w, 6 / sum(lengths), rtol=1e-6)
    # Embedding(mask_zero=True)'s mask goes through the RNN, Dense and blocking layers.
    output = lm.model(x)
    np.testing.assert_array_equal(np.asarray(output._keras_mask), x != 0)


def test_recurrent_lm_distribution_sums_to_one_and_never_predicts_pad_or_bos(
    trained_rnn: tuple[RecurrentLM, keras.callbacks.History],
) -> None:
    lm, _ = trained_rnn
    contexts: list[object] = [
        [],
        ["나는"],
        ["할머니께서는", "정말", "배가"],
        ["모르는말"],
        "나는 엄청",
    ]
    for context in contexts:
        dist = lm.distribution(context)  # type: ignore[arg-type]
        assert math.isclose(math.fsum(dist.values()), 1.0, abs_tol=1e-5)
        assert PAD not in dist and BOS not in dist
        assert EOS in dist and UNK in dist
        assert tuple(dist) == lm.vocabulary
        assert all(p > 0 for p in dist.values())
        assert lm.prob(PAD, context) == 0.0  # type: ignore[arg-type]
        assert lm.prob(BOS, context) == 0.0  # type: ignore[arg-type]
        p = lm.prob("고프다", context)  # type: ignore[arg-type]
        assert math.isclose(p, dist["고프다"], rel_tol=1e-9)


def test_recurrent_lm_logprob_score_tokens_and_cross_entropy_agree(
    trained_rnn: tuple[RecurrentLM, keras.callbacks.History],
    hungry: dict[str, list[list[str]]],
) -> None:
    lm, _ = trained_rnn
    sentence = _in_vocab(lm, hungry["test"], 6)[0]
    scored = lm.score_tokens(sentence)
    assert len(scored) == len(sentence) + 1
    assert [t for t, _, _ in scored] == [*sentence, EOS]
    # The context is the whole prefix (no <s>), not an n-gram window.
    assert [c for _, c, _ in scored] == [tuple(sentence[:i]) for i in range(len(sentence) + 1)]
    assert math.isclose(
        lm.logprob(sentence), math.fsum(math.log(p) for _, _, p in scored), rel_tol=1e-9
    )
    for token, context, p in scored:
        assert math.isclose(lm.prob(token, context), p, rel_tol=1e-5)
    test = hungry["test"]
    n_tokens = sum(len(s) + 1 for s in test)
    by_sentence = [lm.logprob(s) for s in test]
    cross_entropy = lm.cross_entropy(test)
    assert math.isclose(cross_entropy, -math.fsum(by_sentence) / n_tokens, rel_tol=1e-6)
    np.testing.assert_allclose(lm.sentence_logprobs(test), by_sentence, rtol=1e-5)
    assert math.isclose(lm.perplexity(test), math.exp(cross_entropy), rel_tol=1e-12)
    assert lm.logprob(" ".join(sentence)) == lm.logprob(sentence)
    # An empty sentence predicts </s> from <s> alone.
    ((token, context, p),) = lm.score_tokens([])
    assert (token, context) == (EOS, ()) and math.isclose(p, lm.prob(EOS, []), rel_tol=1e-9)


def test_recurrent_lm_keras_loss_equals_cross_entropy_on_padded_batches(
    trained_rnn: tuple[RecurrentLM, keras.callbacks.History],
    hungry: dict[str, list[list[str]]],
) -> None:
    lm, history = trained_rnn
    valid = hungry["valid"]
    cross_entropy = lm.cross_entropy(valid)
    assert math.isclose(history.history["val_loss"][-1], cross_entropy, rel_tol=1e-4)
    x, y, w = lm.training_arrays(valid)
    assert len(set((x != 0).sum(axis=1).tolist())) >= 3  # sentences of different lengths
    for batch_size in (7, 16, len(valid)):
        loss = lm.model.evaluate(x, y, sample_weight=w, batch_size=batch_size, verbose=0)
        assert math.isclose(loss, cross_entropy, rel_tol=1e-4), batch_size
    # Padding contributes nothing: five more columns of <pad> leave the loss unchanged.
    x_more, y_more = np.pad(x, ((0, 0), (0, 5))), np.pad(y, ((0, 0), (0, 5)))
    loss = lm.model.evaluate(x_more, y_more, sample_weight=w, batch_size=7, verbose=0)
    assert math.isclose(loss, cross_entropy, rel_tol=1e-4)
    # A subset padded to a different width agrees too.
    short = [s for s in valid if len(s) <= 5]
    x_short, y_short, w_short = lm.training_arrays(short)
    assert x_short.shape[1] < x.shape[1]
    loss = lm.model.evaluate(x_short, y_short, sample_weight=w_short, batch_size=9, verbose=0)
    assert math.isclose(loss, lm.cross_entropy(short), rel_tol=1e-4)
    # Without the weights, Keras averages each batch's token mean weighted by its sentences,
    # which is not the per-token mean: this is why fit passes the weights.
    sums = -lm.sentence_logprobs(valid)
    counts = np.asarray([len(s) + 1 for s in valid], dtype=float)
    starts = range(0, len(valid), 7)
    naive = sum(
        min(7, len(valid) - i) * sums[i : i + 7].sum() / counts[i : i + 7].sum() for i in starts
    ) / len(valid)
    unweighted = lm.model.evaluate(x, y, batch_size=7, verbose=0)
    assert math.isclose(unweighted, naive, rel_tol=1e-4)
    assert not math.isclose(naive, cross_entropy, rel_tol=1e-3)
    # In one batch, the unweighted loss is the per-token mean as well.
    whole = lm.model.evaluate(x, y, batch_size=len(valid), verbose=0)
    assert math.isclose(whole, cross_entropy, rel_tol=1e-4)


def test_recurrent_lm_scores_are_padding_invariant(
    trained_rnn: tuple[RecurrentLM, keras.callbacks.History],
    hungry_300: list[list[str]],
) -> None:
    lm, _ = trained_rnn
    short = ["나는", "배가", "고프다"]
    longer = _in_vocab(lm, hungry_300, 8)[:2]
    alone = lm.logprob(short)
    together = lm.sentence_logprobs([longer[0], short, longer[1]])
    assert math.isclose(together[1], alone, rel_tol=1e-6)
    # The logits at the real positions do not change with the padding after them.
    x_alone, _, _ = lm.training_arrays([short])
    x_batch, _, _ = lm.training_arrays([short, *longer])
    assert x_batch.shape[1] > x_alone.shape[1]
    logits_alone = np.asarray(lm.model(x_alone))[0]
    logits_batch = np.asarray(lm.model(x_batch))[0, : x_alone.shape[1]]
    np.testing.assert_allclose(logits_batch, logits_alone, rtol=1e-5, atol=1e-5)
    # The state at position t depends on the prefix only.
    states = lm.hidden_states(longer[0])
    assert states.shape == (len(longer[0]) + 1, lm.units)
    np.testing.assert_allclose(lm.hidden_states(longer[0][:3]), states[:4], atol=1e-6)


def test_recurrent_lm_maps_unknown_words_to_unk(
    trained_rnn: tuple[RecurrentLM, keras.callbacks.History],
) -> None:
    lm, _ = trained_rnn
    assert "쿼카는" not in lm.vocab
    scored = lm.score_tokens(["쿼카는", "엄청", "배가", "고프다"])
    assert scored[0][0] == UNK
    assert scored[1][1] == (UNK,)
    assert scored[2][1] == (UNK, "엄청")
    assert lm.prob("쿼카는", []) == lm.prob(UNK, [])
    assert lm.distribution(["쿼카는", "엄청"]) == lm.distribution([UNK, "엄청"])
    np.testing.assert_array_equal(lm.hidden_states(["쿼카는"]), lm.hidden_states([UNK]))


def test_recurrent_lm_training_beats_uniform(
    trained_rnn: tuple[RecurrentLM, keras.callbacks.History],
    hungry: dict[str, list[list[str]]],
) -> None:
    lm, history = trained_rnn
    uniform = math.log(len(lm.vocabulary))
    assert lm.cross_entropy(hungry["test"]) < uniform - 1.0
    losses = history.history["loss"]
    assert len(losses) == 2 and losses[-1] < losses[0]
    assert math.isfinite(lm.logprob("나는 무지 배가 고프다"))
    assert "trained on" in repr(lm)


def test_recurrent_lm_is_reproducible_with_the_same_seed(hungry_300: list[list[str]]) -> None:
    vocab = Vocabulary.build(hungry_300)

    def trained(seed: int) -> RecurrentLM:
        lm = RecurrentLM(vocab, "lstm", units=8, dim=4, seed=seed)
        lm.fit(hungry_300, epochs=2, batch_size=64, clipnorm=1.0)
        return lm

    first, second, other = trained(5), trained(5), trained(6)
    for a, b in zip(first.model.get_weights(), second.model.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
    assert first.cross_entropy(hungry_300) == second.cross_entropy(hungry_300)
    assert not np.array_equal(first.embeddings, other.embeddings)
    assert first.model.optimizer.clipnorm == 1.0


def _replay(lm: RecurrentLM, seed: int, prompt: list[str], max_words: int) -> list[str]:
    """Sampling as generate does it, but from distribution() of the whole prefix each step."""
    rng = np.random.default_rng(seed)
    words: list[str] = []
    while len(words) < max_words:
        probs = np.asarray(list(lm.distribution([*prompt, *words]).values()))
        cdf = np.cumsum(probs)
        i = int(np.searchsorted(cdf, rng.random() * cdf[-1], side="right"))
        token = lm.vocabulary[min(i, probs.size - 1)]
        if token == EOS:
            break
        words.append(token)
    return words


def test_recurrent_lm_generate(trained_rnn: tuple[RecurrentLM, keras.callbacks.History]) -> None:
    lm, _ = trained_rnn
    words = lm.generate(seed=1, max_words=20)
    assert words == lm.generate(seed=1, max_words=20)
    samples = [lm.generate(seed=s, max_words=20) for s in range(8)]
    assert len({tuple(s) for s in samples}) > 1
    assert all(w in lm.vocab and w not in (BOS, PAD, EOS) for s in samples for w in s)
    assert len(lm.generate(3, seed=2)) <= 3
    assert all(UNK not in lm.generate(seed=s, allow_unk=False, max_words=30) for s in range(5))
    # Stepping the cell state by state samples from the same distributions as the full model.
    for seed in range(3):
        assert lm.generate(seed=seed, max_words=15) == _replay(lm, seed, [], 15)
    prompt = ["할머니께서는", "엄청"]
    assert lm.generate(seed=4, context=prompt, max_words=15) == _replay(lm, 4, prompt, 15)
    # A tiny temperature is (nearly) greedy: every seed gives the same words.
    greedy = {tuple(lm.generate(seed=s, temperature=1e-3, max_words=15)) for s in range(4)}
    assert len(greedy) == 1


def test_recurrent_lm_dropout_is_the_recurrent_layers_input_dropout(
    hungry_300: list[list[str]],
) -> None:
    lm = RecurrentLM(Vocabulary.build(hungry_300), "simple_rnn", units=8, dim=4, dropout=0.25)
    layer = lm.model.get_layer("recurrent")
    assert layer.dropout == 0.25 and layer.recurrent_dropout == 0.0
    lm.fit(hungry_300[:64], epochs=1, batch_size=32)
    assert lm.distribution(["나는"]) == lm.distribution(["나는"])  # no dropout when scoring
    assert "dropout=0.25" in repr(lm)


# Keras's own saving of the optimizer variables trips a NumPy 2 DeprecationWarning (not ours).
@pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning")
def test_recurrent_lm_model_saves_and_loads_with_its_loss(
    trained_rnn: tuple[RecurrentLM, keras.callbacks.History],
    hungry: dict[str, list[list[str]]],
    tmp_path: object,
) -> None:
    lm, _ = trained_rnn
    path = tmp_path / "recurrent_lm.keras"  # type: ignore[operator]
    lm.model.save(path)
    loaded = keras.models.load_model(path)
    x, y, w = lm.training_arrays(hungry["test"][:20])
    np.testing.assert_allclose(np.asarray(loaded(x)), np.asarray(lm.model(x)), rtol=1e-6)
    loss = loaded.evaluate(x, y, sample_weight=w, batch_size=8, verbose=0)
    assert math.isclose(loss, lm.cross_entropy(hungry["test"][:20]), rel_tol=1e-4)


def test_recurrent_lm_scoring_is_batched_and_fast(
    trained_rnn: tuple[RecurrentLM, keras.callbacks.History],
) -> None:
    lm, _ = trained_rnn
    sentences = HungryGrammar().sample(1000, seed=11)
    lm.cross_entropy(sentences[:10])  # warm-up
    start = time.perf_counter()
    lm.cross_entropy(sentences)
    assert time.perf_counter() - start < 1.0


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda v: RecurrentLM(v, cell="rnn"), ValueError, "cell must be one of 'simple_rnn', "),
        (lambda v: RecurrentLM(v, cell="LSTM"), ValueError, "cell must be one of"),
        (lambda v: RecurrentLM(v, cell=None), TypeError, "cell must be one of"),
        (lambda v: RecurrentLM(v, units=0), ValueError, "units must be an integer >= 1"),
        (lambda v: RecurrentLM(v, units=8.0), TypeError, "units must be an integer"),
        (lambda v: RecurrentLM(v, dim=0), ValueError, "dim must be"),
        (lambda v: RecurrentLM(v, seed=-1), ValueError, "seed must be"),
        (
            lambda v: RecurrentLM(v, dropout=1.0),
            ValueError,
            r"dropout must be a number in \[0, 1\)",
        ),
        (lambda v: RecurrentLM(v, dropout="0.1"), TypeError, "dropout must be a number"),
        (lambda v: RecurrentLM(["a"]), TypeError, "vocab must be a course_utils.text.Vocabulary"),
        (
            lambda v: RecurrentLM(Vocabulary(["a"], specials=(UNK, BOS, EOS))),
            ValueError,
            "vocab must have '<pad>' among its specials",
        ),
        (
            lambda v: RecurrentLM(Vocabulary(["a"], specials=(PAD, UNK))),
            ValueError,
            "vocab must have '<s>' among its specials",
        ),
        (lambda v: RecurrentLM(v).fit([]), ValueError, "sentences must hold at least one"),
        (lambda v: RecurrentLM(v).fit("a b"), TypeError, "sentences must be an iterable"),
        (lambda v: RecurrentLM(v).fit([["a", PAD]]), ValueError, r"sentences\[0\]\[1\] is the"),
        (lambda v: RecurrentLM(v).fit([["a"]], epochs=0), ValueError, "epochs must be"),
        (lambda v: RecurrentLM(v).fit([["a"]], clipnorm=0), ValueError, "clipnorm must be a pos"),
        (lambda v: RecurrentLM(v).fit([["a"]], clipnorm="1"), TypeError, "clipnorm must be a pos"),
        (lambda v: RecurrentLM(v).fit([["a"]], learning_rate=0), ValueError, "learning_rate"),
        (lambda v: RecurrentLM(v).fit([["a"]], callbacks="x"), TypeError, "callbacks must be"),
        (
            lambda v: RecurrentLM(v).fit([["a"]], validation_sentences=[]),
            ValueError,
            "validation_sentences must hold at least one sentence",
        ),
        (lambda v: RecurrentLM(v).cross_entropy([]), ValueError, "at least one sentence"),
        (lambda v: RecurrentLM(v).sentence_logprobs([]), ValueError, "at least one sentence"),
        (lambda v: RecurrentLM(v).training_arrays([]), ValueError, "at least one sentence"),
        (lambda v: RecurrentLM(v).prob(3, []), TypeError, "word must be a str"),
        (lambda v: RecurrentLM(v).prob("a", [BOS, "a"]), ValueError, r"context\[0\] is the res"),
        (lambda v: RecurrentLM(v).distribution([1]), TypeError, r"context\[0\] must be a str"),
        (lambda v: RecurrentLM(v).distribution(None), TypeError, "context must be a str or"),
        (lambda v: RecurrentLM(v).logprob([EOS]), ValueError, r"sentence\[0\] is the reserved"),
        (lambda v: RecurrentLM(v).hidden_states(5), TypeError, "sentence must be a str or"),
        (lambda v: RecurrentLM(v).generate(0), ValueError, "n_words must be an integer >= 1"),
        (lambda v: RecurrentLM(v).generate(temperature=0), ValueError, "temperature must be"),
        (lambda v: RecurrentLM(v).generate(temperature=-1.0), ValueError, "temperature must"),
        (lambda v: RecurrentLM(v).generate(temperature="hot"), TypeError, "temperature must"),
        (lambda v: RecurrentLM(v).generate(context=[EOS]), ValueError, r"context\[0\] is the"),
        (lambda v: RecurrentLM(v).generate(allow_unk=1), TypeError, "allow_unk must be True"),
    ],
)
def test_recurrent_lm_rejects_bad_input(call: object, error: type, message: str) -> None:
    vocab = Vocabulary(["a", "b"])
    with pytest.raises(error, match=message):
        call(vocab)  # type: ignore[operator]


def test_recurrent_lm_without_unk_refuses_unknown_words() -> None:
    vocab = Vocabulary(["a"], specials=(PAD, BOS, EOS))
    lm = RecurrentLM(vocab, units=2, dim=2)
    assert lm.vocabulary == (EOS, "a")
    with pytest.raises(ValueError, match=r"sentence\[1\] is 'zz', which is not in the vocab"):
        lm.logprob(["a", "zz"])
    with pytest.raises(ValueError, match=r"sentences\[1\]\[0\] is 'zz'"):
        lm.cross_entropy([["a"], ["zz"]])
    with pytest.raises(ValueError, match=r"context\[0\] is 'zz'"):
        lm.distribution(["zz"])
    with pytest.raises(ValueError, match="word 'zz' is not in the vocabulary"):
        lm.prob("zz", ["a"])
    assert set(lm.generate(seed=0, max_words=5, allow_unk=False)) <= {"a"}


# ---------------------------------------------------------------------------- documentation


def test_docstring_examples_are_correct() -> None:
    failures, attempted = doctest.testmod(models, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert attempted > 5
    assert failures == 0


def _public_members() -> list[tuple[str, object]]:
    found: list[tuple[str, object]] = [("models", models)]
    for name in models.__all__:
        obj = getattr(models, name)
        found.append((name, obj))
        if inspect.isclass(obj):
            for attr, member in vars(obj).items():
                if attr.startswith("_") and attr != "__repr__":
                    continue
                if callable(member) or isinstance(member, property):
                    found.append((f"{name}.{attr}", member))
    return found


@pytest.mark.parametrize(("name", "obj"), _public_members(), ids=lambda x: str(x)[:40])
def test_every_public_name_says_where_it_is_introduced(name: str, obj: object) -> None:
    expected = INTRODUCED_RNN if name.startswith(("RecurrentLM", "fit_causal_lm")) else INTRODUCED
    if name == "RecurrentLM.input_gradient_norms":
        expected = "Introduced in: notebooks/04_lstm.ipynb"
    assert expected in (inspect.getdoc(obj) or ""), name


def test_recurrent_lm_input_gradient_norms():
    from course_utils.data import HungryGrammar
    from course_utils.models import RecurrentLM
    from course_utils.text import Vocabulary

    sentences = HungryGrammar().sample(200, seed=3)
    lm = RecurrentLM(Vocabulary.build(sentences), cell="lstm", units=8, dim=4, seed=0)
    lm.fit(sentences, epochs=1)
    context = sentences[0][:-1]
    norms = lm.input_gradient_norms(context, sentences[0][-1])
    assert norms.shape == (len(context) + 1,)
    assert np.all(np.isfinite(norms)) and np.all(norms >= 0) and norms[-1] > 0
    # Changing only the target changes the gradient, and <s> can never be a target.
    other = lm.input_gradient_norms(context, "</s>")
    assert not np.allclose(norms, other)
    with pytest.raises(ValueError, match="predicted token"):
        lm.input_gradient_norms(context, "<s>")
