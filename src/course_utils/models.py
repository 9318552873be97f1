"""Introduced in chapter 2: the neural language models (feed-forward and recurrent), in Keras.

:class:`NeuralLM` is a feed-forward language model in the style of Bengio et al. (2003);
:class:`RecurrentLM` (chapter 3) conditions each token on the whole history of its sentence
through a recurrent layer (``SimpleRNN``, ``LSTM`` or ``GRU``) instead of a fixed window. Both
share the book's language-model interface (:mod:`course_utils.lm`: ``logprob``,
``sentence_logprobs``, ``cross_entropy``, ``perplexity``, ``generate``) with
:class:`~course_utils.ngram.NGramLM`, so every kind of model fits in one table; each class
here adds only its Keras model, its training and its own ``prob``/``score_tokens``.

The chapter-2 embedding models (word2vec, the fastText-style skip-gram, :class:`MaskedMean`,
:func:`count_params_table`) live in :mod:`course_utils.embedding_models`; they are re-exported
here, so ``from course_utils.models import cbow_model`` keeps working.

Importing this module imports Keras 3 (``import keras``, with TensorFlow as its backend): it
takes a few seconds the first time. Every other ``course_utils`` module stays free of TensorFlow.

Introduced in: notebooks/02_word_embeddings.ipynb
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

import keras
import numpy as np
from keras import ops

from course_utils.embedding_models import (
    MaskedMean,
    cbow_model,
    count_params_table,
    fasttext_skipgram_model,
    skipgram_negative_sampling_model,
    word_vectors_from_subwords,
)
from course_utils.lm import (
    SCORING_BLOCK,
    CausalLM,
    Ngram,
    Sampler,
    TokenLM,
    as_tokens,
    check_corpus,
    check_sentence,
    check_vocabulary,
    log_softmax,
)
from course_utils.text import BOS, PAD, Vocabulary
from course_utils.validation import check_fraction, check_int, check_positive_real, describe

__all__ = [
    "MaskedMean",
    "NeuralLM",
    "RecurrentLM",
    "cbow_model",
    "count_params_table",
    "fasttext_skipgram_model",
    "fit_causal_lm",
    "skipgram_negative_sampling_model",
    "word_vectors_from_subwords",
]

#: Added to the logits of tokens a :class:`NeuralLM` never predicts (``<pad>``, ``<s>``) inside
#: the Keras model: finite (no NaN in float32 arithmetic) yet so large that their softmax is 0.
_BLOCKED_LOGIT = -1e9


# ---------------------------------------------------------------------------------------------
# Machinery shared by the neural language models (NeuralLM, RecurrentLM).
# ---------------------------------------------------------------------------------------------


@keras.saving.register_keras_serializable(package="course_utils")
class _BlockTokens(keras.layers.Layer):
    """Adds a large negative number to the logits of ``blocked_ids``: their softmax is 0.

    Element-wise, so a Keras mask (the padding of a sequence model) passes through unchanged.
    """

    def __init__(self, vocab_size: int, blocked_ids: Sequence[int], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.supports_masking = True
        self.vocab_size = int(vocab_size)
        self.blocked_ids = [int(i) for i in blocked_ids]
        offset = np.zeros(self.vocab_size, dtype="float32")
        offset[self.blocked_ids] = _BLOCKED_LOGIT
        self._offset = offset

    def call(self, logits: Any) -> Any:
        return logits + ops.convert_to_tensor(self._offset, dtype=logits.dtype)

    def compute_output_shape(self, input_shape: tuple[int | None, ...]) -> tuple:
        return tuple(input_shape)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "vocab_size": self.vocab_size,
            "blocked_ids": list(self.blocked_ids),
        }


def _check_fit_options(
    epochs: object, batch_size: object, verbose: object, learning_rate: object, callbacks: object
) -> tuple[int, int, int, float, list[keras.callbacks.Callback] | None]:
    """The checked options every language model's ``fit`` takes."""
    epochs = check_int(epochs, "epochs", 1)
    batch_size = check_int(batch_size, "batch_size", 1)
    verbose = check_int(verbose, "verbose", 0, 2)
    learning_rate = check_positive_real(learning_rate, "learning_rate")
    if callbacks is not None and (
        isinstance(callbacks, (str, bytes)) or not isinstance(callbacks, Sequence)
    ):
        raise TypeError(
            f"callbacks must be a list of Keras callbacks or None; got {describe(callbacks)}"
        )
    listed = None if callbacks is None else list(callbacks)
    return epochs, batch_size, verbose, learning_rate, listed


def _compile_and_fit(
    model: keras.Model,
    loss: Any,
    data: tuple[np.ndarray, np.ndarray, np.ndarray | None],
    validation: tuple[np.ndarray, ...] | None,
    options: tuple[int, int, int, float, list[keras.callbacks.Callback] | None],
    seed: int,
    clipnorm: float | None = None,
) -> keras.callbacks.History:
    """Seed, compile with a new Adam optimiser, and train with the checked ``options``."""
    epochs, batch_size, verbose, learning_rate, callbacks = options
    x, y, sample_weight = data
    keras.utils.set_random_seed(seed)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate, clipnorm=clipnorm), loss=loss)
    return model.fit(
        x,
        y,
        sample_weight=sample_weight,
        epochs=epochs,
        batch_size=batch_size,
        validation_data=validation,
        verbose=verbose,
        shuffle=True,
        callbacks=callbacks,
    )


# ---------------------------------------------------------------------------------------------
# A feed-forward neural language model.
# ---------------------------------------------------------------------------------------------


class NeuralLM(TokenLM):
    """A feed-forward neural language model (Bengio et al. 2003) with NGramLM's scoring API.

    Like an n-gram model of order ``n = context_size + 1`` it predicts each token from the
    ``context_size`` tokens before it, with the same padding (``context_size`` ``<s>`` on the
    left, one ``</s>`` predicted at the end); but instead of counting it embeds the context
    tokens, concatenates their vectors and passes them through a small network::

        context ids (c) -> Embedding(V, dim) -> concat (c * dim) -> Dense(hidden, tanh)
                        -> Dense(V) logits -> <pad>, <s> blocked -> softmax

    Similar words get similar vectors, so a context never seen in training (the seed's
    "나는 무지 배가 고프다") still gets a sensible probability: no sparsity problem. ``<pad>``
    and ``<s>`` are never predicted: their logits are blocked inside the model (training and
    scoring agree, so Keras's ``loss``/``val_loss`` is :meth:`cross_entropy`), and the
    predicted tokens (:attr:`vocabulary`) are every other token, ``</s>`` and ``<unk>``
    included. Words outside ``vocab`` are mapped to ``<unk>``. Parameters:
    ``V*dim + (c*dim)*hidden + hidden + hidden*V + V``.

    The Keras model (:attr:`model`) is built, with ``keras.utils.set_random_seed(seed)``, when
    the object is created: it can be scored (near-uniformly) before :meth:`fit`. Note that
    ``set_random_seed`` also reseeds Python's ``random`` and NumPy's global generator. Scoring is
    batched: one model call for all positions of all sentences (in blocks for big
    vocabularies).

    Args:
        vocab: The :class:`~course_utils.text.Vocabulary`; it must have ``<s>`` and ``</s>``
            among its specials (the default specials do); ``<unk>`` for unknown words.
        context_size: Number of previous tokens the model sees (n - 1), >= 1.
        dim: Embedding size, >= 1.
        hidden: Units of the tanh hidden layer, >= 1.
        seed: Seed (>= 0) for the initial weights and the shuffling in :meth:`fit`.

    Raises:
        TypeError: If ``vocab`` is not a Vocabulary or a size is not an integer.
        ValueError: If a size is below 1 or ``vocab`` lacks ``<s>`` or ``</s>``.

    Example:
        >>> from course_utils.text import Vocabulary
        >>> train = [["나는", "배가", "고프다"], ["나는", "목이", "마르다"]] * 20
        >>> lm = NeuralLM(Vocabulary.build(train), context_size=2, dim=4, hidden=8)
        >>> history = lm.fit(train, epochs=30, batch_size=8, learning_rate=0.05)
        >>> round(lm.prob("배가", ["<s>", "나는"]) + lm.prob("목이", ["<s>", "나는"]), 2)
        1.0

    Introduced in: notebooks/02_word_embeddings.ipynb
    """

    def __init__(
        self,
        vocab: Vocabulary,
        context_size: int = 3,
        dim: int = 16,
        hidden: int = 64,
        *,
        seed: int = 0,
    ) -> None:
        vocab = check_vocabulary(vocab)
        self._context_size = check_int(context_size, "context_size", 1)
        self._dim = check_int(dim, "dim", 1)
        self._hidden = check_int(hidden, "hidden", 1)
        self._seed = check_int(seed, "seed", 0)
        self._set_vocab(vocab)
        self._fit_calls = 0
        self._n_examples = 0
        keras.utils.set_random_seed(self._seed)
        self._model = self._build()

    def _build(self) -> keras.Model:
        """The Keras model: Embedding -> concat -> Dense(tanh) -> Dense logits -> blocking."""
        size = len(self._vocab)
        context = keras.Input(shape=(self._context_size,), dtype="int32", name="context")
        vectors = keras.layers.Embedding(size, self._dim, name="embedding")(context)
        joined = keras.layers.Flatten(name="concat")(vectors)
        hidden = keras.layers.Dense(self._hidden, activation="tanh", name="hidden")(joined)
        logits = keras.layers.Dense(size, name="logits")(hidden)
        masked = _BlockTokens(size, self._blocked, name="blocked_logits")(logits)
        return keras.Model(context, masked, name="neural_lm")

    # ------------------------------------------------------------------ properties

    @property
    def context_size(self) -> int:
        """Number of previous tokens the model conditions on (the n-gram order minus 1).

        Introduced in: notebooks/02_word_embeddings.ipynb
        """
        return self._context_size

    @property
    def order(self) -> int:
        """``context_size + 1``, the order of the n-gram model with the same contexts.

        Introduced in: notebooks/02_word_embeddings.ipynb
        """
        return self._context_size + 1

    # ------------------------------------------------------------------ data

    def _examples(
        self, corpus: Sequence[Ngram], name: str, *, single: bool = False
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(contexts ``(N, c)``, targets ``(N,)``, predicted tokens per sentence) of a corpus.

        ``name`` names the corpus in error messages (``sentences[3][1]``), or with ``single``
        the one sentence it holds (``sentence[1]``).
        """
        c = self._context_size
        padded: list[int] = []
        starts: list[int] = []
        lengths: list[int] = []
        for i, sentence in enumerate(corpus):
            starts.append(len(padded))
            ids = self._encode(sentence, name if single else f"{name}[{i}]")
            padded.extend([self._bos_id] * c)
            padded.extend(ids)
            padded.append(self._eos_id)
            lengths.append(len(ids) + 1)
        flat = np.asarray(padded, dtype=np.int32)
        is_target = np.ones(flat.size, dtype=bool)
        for start in starts:
            is_target[start : start + c] = False
        # Window j is flat[j : j + c + 1]; it predicts flat[j + c]. A window that ends on a
        # predicted token lies inside one sentence, thanks to the c <s> pads in front of it.
        windows = np.lib.stride_tricks.sliding_window_view(flat, c + 1)[is_target[c:]]
        return (
            np.ascontiguousarray(windows[:, :c]),
            np.ascontiguousarray(windows[:, c]),
            np.asarray(lengths, dtype=np.int64),
        )

    def _log_probs_of(self, contexts: np.ndarray, targets: np.ndarray | None) -> np.ndarray:
        """log P(target | context) per row, or the full log-distributions if targets is None.

        One model call per block of rows; the softmax is taken in float64 with the blocked
        tokens at exactly -inf, so each distribution sums to 1 over the predicted tokens.
        """
        size = len(self._vocab)
        rows = max(1, SCORING_BLOCK // size)
        out: list[np.ndarray] = []
        for start in range(0, contexts.shape[0], rows):
            x = contexts[start : start + rows]
            logits = np.asarray(ops.convert_to_numpy(self._model(x, training=False)), np.float64)
            y = None if targets is None else targets[start : start + rows]
            out.append(log_softmax(logits, self._blocked, y))
        if not out:
            return np.zeros((0,) if targets is not None else (0, size))
        return np.concatenate(out)

    def _context_ids(self, context: object) -> list[int]:
        """Check a context of exactly ``context_size`` tokens and map it to ids."""
        tokens = as_tokens(context, "context")
        c = self._context_size
        if len(tokens) != c:
            example = (BOS,) * (c - 1) + ("w1",)
            raise ValueError(
                f"context must have exactly context_size = {c} tokens; got {len(tokens)}: "
                f"{tokens!r}; pass the last {c} tokens, left-padded with {BOS!r} at the start "
                f"of a sentence, e.g. {example} before its second word (see score_tokens)"
            )
        return self._encode(tokens, "context")

    # ------------------------------------------------------------------ training

    def fit(
        self,
        sentences: Iterable[Sequence[str]],
        *,
        epochs: int = 10,
        batch_size: int = 128,
        validation_sentences: Iterable[Sequence[str]] | None = None,
        verbose: int = 0,
        learning_rate: float = 0.005,
        callbacks: Sequence[keras.callbacks.Callback] | None = None,
    ) -> keras.callbacks.History:
        """Train on sentences: one (context, next token) example per predicted token.

        Each sentence gives ``len(sentence) + 1`` examples (its EOS included), with the
        n-gram padding: ``context_size`` ``<s>`` in front. The model is (re)compiled with a new
        Adam optimiser and ``SparseCategoricalCrossentropy(from_logits=True)``, then trained
        with Keras's ``fit`` (examples shuffled every epoch). Calling ``fit`` again continues
        from the current weights. ``keras.utils.set_random_seed`` is called first (with
        ``seed`` plus the number of earlier ``fit`` calls), so the same calls give the same
        weights.

        Args:
            sentences: Training sentences, each a sequence of str tokens (no ``<s>``/``</s>``).
            epochs: Passes over the data, >= 1.
            batch_size: Examples per gradient step, >= 1.
            validation_sentences: Optional held-out sentences: the history then has
                ``val_loss``, equal to :meth:`cross_entropy` on them at the end of each epoch.
            verbose: Keras's verbosity (0 silent, 1 progress bar, 2 one line per epoch).
            learning_rate: Adam's learning rate (> 0).
            callbacks: Optional Keras callbacks (e.g. ``keras.callbacks.EarlyStopping``).

        Returns:
            The Keras ``History``: ``history.history["loss"]`` is the training cross-entropy
            per epoch in nats per token.

        Raises:
            TypeError: If an argument has the wrong type.
            ValueError: If there is no sentence, a sentence holds ``<s>``/``</s>``/``<pad>``, or
                a number is out of range.

        Introduced in: notebooks/02_word_embeddings.ipynb
        """
        corpus = check_corpus(sentences, "sentences")
        epochs, batch_size, verbose, learning_rate, callbacks = _check_fit_options(
            epochs, batch_size, verbose, learning_rate, callbacks
        )
        x, y, _ = self._examples(corpus, "sentences")
        validation = None
        if validation_sentences is not None:
            held_out = check_corpus(validation_sentences, "validation_sentences")
            x_val, y_val, _ = self._examples(held_out, "validation_sentences")
            validation = (x_val, y_val)
        seed = self._seed + self._fit_calls
        self._fit_calls += 1
        loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
        options = (epochs, batch_size, verbose, learning_rate, callbacks)
        history = _compile_and_fit(self._model, loss, (x, y, None), validation, options, seed)
        self._n_examples += int(y.size) * epochs
        return history

    # ------------------------------------------------------------------ scoring

    def prob(self, word: str, context: Sequence[str]) -> float:
        """P(word | context), the probability that ``word`` follows the ``context_size`` tokens.

        Args:
            word: Any str; strings outside the vocabulary are scored as ``<unk>``, ``"</s>"``
                is the end of the sentence, and ``"<s>"`` and ``"<pad>"`` get 0 (never
                predicted).
            context: Exactly ``context_size`` tokens (a sequence, or a str split on
                whitespace), left-padded with ``"<s>"`` near the start of a sentence, as for
                :meth:`NGramLM.prob <course_utils.ngram.NGramLM.prob>`.

        Raises:
            TypeError: If ``word`` is not a str or ``context`` not a sequence of str.
            ValueError: If ``context`` does not have ``context_size`` tokens.

        Introduced in: notebooks/02_word_embeddings.ipynb
        """
        word_id = self._word_id(word)
        ids = self._context_ids(context)
        if word_id in self._blocked:
            return 0.0
        x = np.asarray([ids], dtype=np.int32)
        return float(np.exp(self._log_probs_of(x, np.asarray([word_id]))[0]))

    def distribution(self, context: Sequence[str]) -> dict[str, float]:
        """P(w | context) for every predicted token (the vocabulary minus ``<pad>`` and ``<s>``).

        The values sum to 1 (within rounding); ``</s>`` and ``<unk>`` are included.

        Args:
            context: Exactly ``context_size`` tokens, as for :meth:`prob`.

        Returns:
            A new dict token -> probability, in :attr:`vocabulary` order.

        Introduced in: notebooks/02_word_embeddings.ipynb
        """
        x = np.asarray([self._context_ids(context)], dtype=np.int32)
        return self._as_distribution(self._log_probs_of(x, None)[0])

    def score_tokens(self, sentence: Sequence[str]) -> list[tuple[str, Ngram, float]]:
        """Each predicted token of a sentence with its context and probability.

        The sentence is padded as in training, so the list has ``len(sentence) + 1`` entries,
        the last one for ``</s>``. Tokens outside the vocabulary appear as ``"<unk>"``, as the
        model sees them, in the predicted tokens and in the contexts.

        Args:
            sentence: A sequence of str tokens, or a str split on whitespace (without
                ``"<s>"``/``"</s>"``).

        Returns:
            A list of ``(token, context, probability)``; ``context`` is a tuple of
            ``context_size`` tokens.

        Introduced in: notebooks/02_word_embeddings.ipynb
        """
        tokens = check_sentence(sentence, "sentence")
        contexts, targets, _ = self._examples([tokens], "sentence", single=True)
        logs = self._log_probs_of(contexts, targets)
        names = self._vocab.tokens
        return [
            (names[int(t)], tuple(names[int(i)] for i in ctx), float(math.exp(lp)))
            for ctx, t, lp in zip(contexts, targets, logs, strict=True)
        ]

    def _token_logprobs(
        self, corpus: Sequence[Ngram], name: str, *, single: bool = False
    ) -> list[np.ndarray]:
        """The log-probabilities of each sentence's predicted tokens (one batched model call)."""
        contexts, targets, lengths = self._examples(corpus, name, single=single)
        logs = self._log_probs_of(contexts, targets)
        return np.split(logs, np.cumsum(lengths)[:-1])

    def _sampler(self, context: object, allow_unk: bool, **options: Any) -> Sampler:
        """The next word's weights from the last ``context_size`` tokens (``<s>`` padded)."""
        prompt = () if context is None else check_sentence(context, "context")
        history = [self._bos_id] * self._context_size + self._encode(prompt, "context")
        excluded = self._excluded_ids(allow_unk)

        def weights_after(drawn: int | None) -> np.ndarray:
            if drawn is not None:
                history.append(drawn)
            x = np.asarray([history[-self._context_size :]], dtype=np.int32)
            probs = np.exp(self._log_probs_of(x, None)[0])
            probs[excluded] = 0.0
            return probs

        return weights_after, self._eos_id, self._vocab.tokens

    def __repr__(self) -> str:
        """Constructor arguments, then the vocabulary and parameter counts.

        Introduced in: notebooks/02_word_embeddings.ipynb
        """
        state = (
            f"trained on {self._n_examples:,} examples x epochs"
            if self._fit_calls
            else "not fitted"
        )
        return (
            f"NeuralLM(context_size={self._context_size}, dim={self._dim}, "
            f"hidden={self._hidden}, seed={self._seed}) [vocabulary {len(self._vocab):,}; "
            f"{self._model.count_params():,} parameters; {state}]"
        )


# ---------------------------------------------------------------------------------------------
# A recurrent neural language model.
# ---------------------------------------------------------------------------------------------

#: The Keras layer behind each ``cell`` name of :class:`RecurrentLM`.
_CELLS: dict[str, type[keras.layers.Layer]] = {
    "simple_rnn": keras.layers.SimpleRNN,
    "lstm": keras.layers.LSTM,
    "gru": keras.layers.GRU,
}


@keras.saving.register_keras_serializable(package="course_utils")
class _TokenCrossEntropy(keras.losses.Loss):
    """Cross-entropy over the real tokens of padded sequences, averaged per token of the data.

    ``y_true`` holds target ids ``(batch, time)`` with ``pad_id`` at padding, ``y_pred`` the
    logits ``(batch, time, V)``. Positions whose target is ``pad_id``, or that the Keras mask of
    ``y_pred`` (from ``Embedding(mask_zero=True)``) marks as padding, contribute nothing.

    With a per-row ``sample_weight`` ``w`` the batch loss is ``sum_rows(w * row loss sum) /
    rows``. :class:`RecurrentLM` passes ``w = N / T`` for a data set of ``N`` sentences and
    ``T`` predicted tokens, because Keras averages the batch losses of an epoch weighted by each
    batch's number of rows ``n_b``: with the token-loss sum ``S_b`` of batch ``b`` that gives
    ``sum_b n_b (w S_b / n_b) / N = sum_b S_b / T``, exactly the per-token cross-entropy. Keras's
    own masked mean (``S_b / T_b`` per batch) would give ``sum_b n_b S_b / T_b / N``, which is
    not the per-token mean when batches differ in tokens per sentence. Without ``sample_weight``
    the batch loss is its mean over its real tokens (Keras's masked mean).
    """

    def __init__(self, pad_id: int = 0, name: str = "token_cross_entropy", **kwargs: Any) -> None:
        super().__init__(name=name, **kwargs)
        self.pad_id = int(pad_id)

    def __call__(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> Any:
        mask = getattr(y_pred, "_keras_mask", None)  # where Keras 3 attaches a tensor's mask
        targets = ops.cast(y_true, "int32")
        losses = ops.sparse_categorical_crossentropy(
            targets, ops.cast(y_pred, self.dtype), from_logits=True
        )
        keep = ops.not_equal(targets, self.pad_id)
        if mask is not None:
            keep = ops.logical_and(keep, ops.cast(mask, "bool"))
        keep = ops.cast(keep, losses.dtype)
        row_sums = ops.sum(losses * keep, axis=1)
        if sample_weight is None:
            return ops.divide_no_nan(ops.sum(row_sums), ops.sum(keep))
        weights = ops.reshape(ops.cast(sample_weight, row_sums.dtype), (-1,))
        return ops.mean(row_sums * weights)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "pad_id": self.pad_id}


def fit_causal_lm(
    lm: CausalLM,
    sentences: Iterable[Sequence[str]],
    *,
    epochs: int = 5,
    batch_size: int = 64,
    validation_sentences: Iterable[Sequence[str]] | None = None,
    verbose: int = 0,
    learning_rate: float = 0.005,
    clipnorm: float | None = None,
    callbacks: Sequence[keras.callbacks.Callback] | None = None,
    seed: int = 0,
) -> keras.callbacks.History:
    """Train a model that predicts every next token of a sentence at once (a causal LM).

    What :meth:`RecurrentLM.fit` does, for any :class:`~course_utils.lm.CausalLM`, e.g. the
    chapter-8 self-attention model wrapped in :class:`~course_utils.attention.SequenceLM`: the
    sentences become padded rows ``[<s>, w1, ..., wm]`` -> ``[w1, ..., wm, </s>]``, the model is
    (re)compiled with a new Adam optimiser and the token-weighted cross-entropy (per-sentence
    sample weights ``N / T``, so Keras's ``loss`` is a mean per predicted token), then trained
    with Keras's ``fit`` (sentences shuffled every epoch), after
    ``keras.utils.set_random_seed(seed)``. Calling it again continues from the current weights.

    Args:
        lm: The language model whose Keras model is trained.
        sentences: Training sentences, each a sequence of str tokens (no ``<s>``/``</s>``).
        epochs: Passes over the data, >= 1.
        batch_size: Sentences per gradient step, >= 1.
        validation_sentences: Optional held-out sentences (``val_loss`` in the history).
        verbose: Keras's verbosity (0 silent, 1 progress bar, 2 one line per epoch).
        learning_rate: Adam's learning rate (> 0).
        clipnorm: If given (> 0), each weight's gradient is rescaled so that its norm is at
            most ``clipnorm`` (Keras's ``clipnorm``; gradient clipping against exploding
            gradients). None (the default) for no clipping.
        callbacks: Optional Keras callbacks (e.g. ``keras.callbacks.EarlyStopping``).
        seed: Seed (>= 0) for the shuffling (and dropout, if the model has any).

    Returns:
        The Keras ``History``: ``history.history["loss"]`` is the training cross-entropy per
        epoch in nats per token.

    Raises:
        TypeError: If ``lm`` is not a CausalLM or an argument has the wrong type.
        ValueError: If there is no sentence or a number is out of range.

    Example:
        >>> from course_utils.attention import SequenceLM, causal_lm
        >>> from course_utils.text import Vocabulary
        >>> train = [["나는", "배가", "고프다"], ["할머니께서는", "배가", "고프시다"]] * 20
        >>> vocab = Vocabulary.build(train)
        >>> lm = SequenceLM(causal_lm(len(vocab), dim=8, heads=2, max_len=8), vocab)
        >>> history = fit_causal_lm(lm, train, epochs=30, batch_size=8, learning_rate=0.02)
        >>> round(lm.prob("고프시다", ["할머니께서는", "배가"]), 1)
        1.0

    Introduced in: notebooks/03_recurrent_networks.ipynb
    """
    if not isinstance(lm, CausalLM):
        raise TypeError(
            "lm must be a causal language model (a RecurrentLM or an attention.SequenceLM); "
            f"got {describe(lm)}"
        )
    corpus = lm._check_corpus(sentences, "sentences")
    epochs, batch_size, verbose, learning_rate, callbacks = _check_fit_options(
        epochs, batch_size, verbose, learning_rate, callbacks
    )
    if clipnorm is not None:
        clipnorm = check_positive_real(clipnorm, "clipnorm")
    seed = check_int(seed, "seed", 0)
    x, y, w = lm._arrays(corpus, "sentences")
    validation = None
    if validation_sentences is not None:
        held_out = lm._check_corpus(validation_sentences, "validation_sentences")
        validation = lm._arrays(held_out, "validation_sentences")
    loss = _TokenCrossEntropy(pad_id=lm._pad_id)
    options = (epochs, batch_size, verbose, learning_rate, callbacks)
    history = _compile_and_fit(lm.model, loss, (x, y, w), validation, options, seed, clipnorm)
    lm._n_tokens += int(np.count_nonzero(y != lm._pad_id)) * len(history.epoch)
    return history


class RecurrentLM(CausalLM):
    """A recurrent neural language model with NGramLM's and NeuralLM's scoring API.

    Where an n-gram model or :class:`NeuralLM` sees a fixed window of the last ``n - 1``
    tokens, a recurrent network reads the sentence one token at a time and carries a hidden
    state, so each prediction is conditioned on the *whole* history::

        [<s>, w1, ..., wm] -> Embedding(V, dim, mask_zero=True) -> SimpleRNN | LSTM | GRU
                              (units, return_sequences=True) -> Dense(V) logits
                              -> <pad>, <s> blocked -> softmax at every position

    Training data: each sentence ``w1 ... wm`` becomes the input ``[<s>, w1, ..., wm]`` and
    the target ``[w1, ..., wm, </s>]`` (the input shifted by one), so the first word is predicted
    from ``<s>`` alone and ``</s>`` from the whole sentence. Sentences are padded on the right
    with ``<pad>`` (id 0) to the longest one (:meth:`training_arrays`). The embedding's mask
    (``mask_zero=True``) travels through the recurrent layer (which skips padded steps: the
    state is carried over unchanged), the ``Dense`` layer and the blocking to the loss, so
    padding changes neither the predictions at real positions nor the loss.

    Loss: Keras averages an epoch's batch losses weighted by each batch's number of
    *sentences*, whereas the cross-entropy is a mean per *token*; with its default masked mean
    the epoch ``loss`` would differ from :meth:`cross_entropy` whenever batches hold sentences of
    different lengths. :meth:`fit` therefore compiles a token-sum loss and passes per-sentence
    sample weights ``N / T`` (sentences per predicted token of the data set), which makes
    Keras's ``loss`` and ``val_loss`` (and ``model.evaluate`` on :meth:`training_arrays`) equal
    to :meth:`cross_entropy` (up to float32 rounding); the gradient of each batch is that of its
    token-loss sum divided by its expected number of tokens.

    Contexts: :meth:`prob`, :meth:`distribution` and :meth:`score_tokens` take or give the
    context as *all* previous tokens of the sentence, without ``<s>`` (an empty context before
    the first word), unlike :meth:`NGramLM.score_tokens
    <course_utils.ngram.NGramLM.score_tokens>`, whose context is the last ``n - 1`` tokens
    left-padded with ``<s>``. Sentence probabilities (:meth:`logprob`, :meth:`cross_entropy`)
    count the same predicted tokens as the n-gram models (``len(sentence) + 1``, ``</s>``
    included), so the numbers compare directly.

    Parameters: ``V*dim`` (embedding) + the recurrent layer + ``units*V + V`` (Dense), with the
    recurrent layer ``units*(dim + units) + units`` for ``"simple_rnn"``, four times that for
    ``"lstm"`` (gates i, f, c, o) and ``3*(units*(dim + units) + 2*units)`` for ``"gru"``
    (Keras's default ``reset_after=True`` has two bias rows).

    The recurrent layer is Keras's own with default arguments (apart from
    ``return_sequences=True`` and ``dropout``), so it keeps the cuDNN fast path on a GPU. The
    model is built with ``keras.utils.set_random_seed(seed)`` when the object is created
    (which also reseeds Python's ``random`` and NumPy's global generator). Words outside
    ``vocab`` are read and scored as ``<unk>``.

    Args:
        vocab: The :class:`~course_utils.text.Vocabulary`; it must have ``<pad>`` (id 0, the
            padding the embedding masks), ``<s>`` and ``</s>`` among its specials (the default
            specials do); ``<unk>`` for unknown words.
        cell: ``"simple_rnn"``, ``"lstm"`` or ``"gru"`` (Keras's ``SimpleRNN``, ``LSTM``,
            ``GRU``).
        units: Size of the hidden state, >= 1.
        dim: Embedding size, >= 1.
        seed: Seed (>= 0) for the initial weights, dropout and the shuffling in :meth:`fit`.
        dropout: Fraction of the recurrent layer's *inputs* dropped in training (its ``dropout``
            argument), in ``[0, 1)``; 0 by default. Scoring never drops anything.

    Raises:
        TypeError: If ``vocab`` is not a Vocabulary or an argument has the wrong type.
        ValueError: If ``cell`` is not one of the three names, a size is below 1, ``dropout``
            is outside ``[0, 1)``, or ``vocab`` lacks ``<pad>``, ``<s>`` or ``</s>``.

    Example:
        >>> from course_utils.text import Vocabulary
        >>> train = [["나는", "배가", "고프다"], ["할머니께서는", "배가", "고프시다"]] * 20
        >>> lm = RecurrentLM(Vocabulary.build(train), cell="gru", units=8, dim=4)
        >>> lm.model.get_layer("recurrent").count_params()  # 3 * (8 * (4 + 8) + 2 * 8)
        336
        >>> lm.hidden_states(["나는", "배가"]).shape  # <s>, 나는, 배가
        (3, 8)
        >>> history = lm.fit(train, epochs=40, batch_size=8, learning_rate=0.05)
        >>> after = ["할머니께서는", "배가"]  # the ending depends on the subject two words back
        >>> round(lm.prob("고프시다", after), 2), round(lm.prob("고프다", after), 2)
        (1.0, 0.0)

    Introduced in: notebooks/03_recurrent_networks.ipynb
    """

    def __init__(
        self,
        vocab: Vocabulary,
        cell: str = "simple_rnn",
        units: int = 64,
        dim: int = 16,
        *,
        seed: int = 0,
        dropout: float = 0.0,
    ) -> None:
        vocab = check_vocabulary(vocab)
        names = ", ".join(repr(name) for name in _CELLS)
        if not isinstance(cell, str):
            raise TypeError(f"cell must be one of {names}; got {describe(cell)}")
        if cell not in _CELLS:
            raise ValueError(f"cell must be one of {names}; got {cell!r}")
        self._cell = cell
        self._units = check_int(units, "units", 1)
        self._dim = check_int(dim, "dim", 1)
        self._seed = check_int(seed, "seed", 0)
        self._dropout = check_fraction(dropout, "dropout")
        if PAD not in vocab.specials:
            raise ValueError(
                f"vocab must have {PAD!r} among its specials (id 0: sentences are padded with "
                f"it and Embedding(mask_zero=True) masks it); got specials {vocab.specials!r}"
            )
        self._set_vocab(vocab)
        self._pad_id = vocab.pad_id
        self._fit_calls = 0
        self._n_tokens = 0
        keras.utils.set_random_seed(self._seed)
        self._model = self._build()
        self._states_model: keras.Model | None = None

    def _build(self) -> keras.Model:
        """Embedding (masking padding) -> recurrent layer -> Dense logits -> blocking."""
        size = len(self._vocab)
        tokens = keras.Input(shape=(None,), dtype="int32", name="tokens")
        vectors = keras.layers.Embedding(size, self._dim, mask_zero=True, name="embedding")(tokens)
        layer = _CELLS[self._cell](
            self._units, return_sequences=True, dropout=self._dropout, name="recurrent"
        )
        logits = keras.layers.Dense(size, name="logits")(layer(vectors))
        blocked = _BlockTokens(size, self._blocked, name="blocked_logits")(logits)
        return keras.Model(tokens, blocked, name=f"recurrent_lm_{self._cell}")

    # ------------------------------------------------------------------ properties

    @property
    def cell(self) -> str:
        """The cell type: ``"simple_rnn"``, ``"lstm"`` or ``"gru"``.

        Introduced in: notebooks/03_recurrent_networks.ipynb
        """
        return self._cell

    @property
    def units(self) -> int:
        """The size of the hidden state (the recurrent layer's ``units``).

        Introduced in: notebooks/03_recurrent_networks.ipynb
        """
        return self._units

    # ------------------------------------------------------------------ data

    def training_arrays(
        self, sentences: Iterable[Sequence[str]]
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The arrays :meth:`fit` gives Keras: inputs, targets and per-sentence sample weights.

        For ``N`` sentences with ``T`` predicted tokens in all (``len(sentence) + 1`` each):

        * ``x``, int32 ``(N, L)``: row i is ``[<s>, w1, ..., wm]`` as ids, right-padded with
          ``<pad>`` = 0 to the longest sentence (``L`` = its length + 1);
        * ``y``, int32 ``(N, L)``: ``[w1, ..., wm, </s>]``, i.e. ``x`` shifted left by one,
          padded the same way;
        * ``w``, float32 ``(N,)``: ``N / T`` for every sentence, the sample weight that makes
          Keras's loss the per-token cross-entropy (see the class notes).

        ``lm.model.evaluate(x, y, sample_weight=w)`` then returns :meth:`cross_entropy`
        (``sentences``), for any ``batch_size``.

        Args:
            sentences: An iterable of sentences, each a sequence of str tokens.

        Raises:
            TypeError: If ``sentences`` is not an iterable of token sequences.
            ValueError: If there is no sentence, or a sentence holds a reserved token.

        Introduced in: notebooks/03_recurrent_networks.ipynb
        """
        corpus = check_corpus(sentences, "sentences")
        x, y, w = self._arrays(corpus, "sentences")
        return x, y, w

    # ------------------------------------------------------------------ training

    def fit(
        self,
        sentences: Iterable[Sequence[str]],
        *,
        epochs: int = 5,
        batch_size: int = 64,
        validation_sentences: Iterable[Sequence[str]] | None = None,
        verbose: int = 0,
        learning_rate: float = 0.005,
        clipnorm: float | None = None,
        callbacks: Sequence[keras.callbacks.Callback] | None = None,
    ) -> keras.callbacks.History:
        """Train on sentences: every position of every sentence predicts the next token.

        The sentences become :meth:`training_arrays` (one row per sentence, padding masked),
        and :func:`fit_causal_lm` trains the model on them with the token-weighted
        cross-entropy (see the class notes) and a new Adam optimiser. Calling ``fit`` again
        continues from the current weights; the seed of each call is ``seed`` plus the number
        of earlier ``fit`` calls, so the same calls give the same weights.

        Args:
            sentences, epochs, batch_size, validation_sentences, verbose, learning_rate,
                clipnorm, callbacks: As for :func:`fit_causal_lm`; ``batch_size`` counts
                sentences, and ``val_loss`` equals :meth:`cross_entropy` on the validation
                sentences at the end of each epoch.

        Returns:
            The Keras ``History``: ``history.history["loss"]`` is the training cross-entropy
            per epoch in nats per token (averaged over the epoch while the weights change).

        Raises:
            TypeError: If an argument has the wrong type.
            ValueError: If there is no sentence, a sentence holds ``<s>``/``</s>``/``<pad>``, or
                a number is out of range.

        Introduced in: notebooks/03_recurrent_networks.ipynb
        """
        history = fit_causal_lm(
            self,
            sentences,
            epochs=epochs,
            batch_size=batch_size,
            validation_sentences=validation_sentences,
            verbose=verbose,
            learning_rate=learning_rate,
            clipnorm=clipnorm,
            callbacks=callbacks,
            seed=self._seed + self._fit_calls,
        )
        self._fit_calls += 1
        return history

    # ------------------------------------------------------------------ scoring

    def _sampler(self, context: object, allow_unk: bool, **options: Any) -> Sampler:
        """Step the recurrent cell one token at a time, carrying its state.

        The cell reads ``<s>``, the ``context`` words, then each drawn word: each step costs one
        cell update instead of re-reading the whole history.
        """
        temperature = options.get("temperature", 1.0)
        pending = self._history_ids([] if context is None else context)
        excluded = self._excluded_ids(allow_unk)
        table = self.embeddings  # looked up directly: no padding mask to hand to the cell
        cell = self._model.get_layer("recurrent").cell
        dense = self._model.get_layer("logits")
        states = cell.get_initial_state(batch_size=1)

        def weights_after(drawn: int | None) -> np.ndarray:
            nonlocal states
            output = None
            for token_id in pending if drawn is None else [drawn]:
                output, states = cell(table[[token_id]], states, training=False)
            logits = np.asarray(ops.convert_to_numpy(dense(output)), np.float64) / temperature
            return np.exp(log_softmax(logits, excluded, None)[0])

        return weights_after, self._eos_id, self._vocab.tokens

    def hidden_states(self, sentence: Sequence[str]) -> np.ndarray:
        """The recurrent layer's output at every input position of one sentence.

        The model reads ``[<s>, w1, ..., wm]``; row ``t`` of the result is the output after
        reading ``<s>, w1, ..., wt`` (row 0: after ``<s>`` alone), the vector from which the
        model predicts ``w_{t+1}`` (row ``m``: ``</s>``). For ``"lstm"`` it is the hidden state
        ``h``, not the cell state. A prefix gets the same first rows: the state at ``t`` depends
        on nothing after ``t``.

        Args:
            sentence: A sequence of str tokens, or a str split on whitespace (without
                ``"<s>"``/``"</s>"``); unknown words are read as ``<unk>``.

        Returns:
            A float32 array of shape ``(len(sentence) + 1, units)``.

        Introduced in: notebooks/03_recurrent_networks.ipynb
        """
        tokens = check_sentence(sentence, "sentence")
        x = np.asarray([[self._bos_id, *self._encode(tokens, "sentence")]], dtype=np.int32)
        if self._states_model is None:
            self._states_model = keras.Model(
                self._model.inputs[0],
                self._model.get_layer("recurrent").output,
                name=f"{self._model.name}_states",
            )
        return np.asarray(ops.convert_to_numpy(self._states_model(x, training=False)))[0]

    def input_gradient_norms(self, context: Sequence[str], word: str) -> np.ndarray:
        """How strongly each input position influences the prediction of ``word``.

        Computes the gradient of ``log P(word | context)`` with respect to the embedded input
        vector at every position the model read (``<s>`` first, then the context tokens) and
        returns its Euclidean norm per position. Chapter 4 uses it to compare how much gradient
        reaches the subject of a sentence, many fillers before the predicate, in a SimpleRNN and
        an LSTM: it is the measured counterpart of the vanishing-gradient picture of chapter 3.

        Args:
            context: The tokens before ``word`` (without ``<s>``).
            word: The token whose log-probability is differentiated; it must be a predicted
                token of the vocabulary (unknown words count as ``<unk>``).

        Returns:
            A float64 array of shape ``(len(context) + 1,)``; entry 0 is the ``<s>`` position.

        Raises:
            ValueError: If ``word`` is ``<pad>`` or ``<s>``, which the model never predicts.

        Introduced in: notebooks/04_lstm.ipynb
        """
        import tensorflow as tf

        tokens = check_sentence(context, "context")
        target = self._encode([word], "word")[0]
        if target in (self._vocab.pad_id, self._bos_id):
            raise ValueError(f"word must be a predicted token, not {word!r}")
        ids = tf.constant([[self._bos_id, *self._encode(tokens, "context")]], dtype=tf.int32)
        model = self._model
        embedded = model.get_layer("embedding")(ids)
        with tf.GradientTape() as tape:
            tape.watch(embedded)
            states = model.get_layer("recurrent")(embedded, training=False)
            logits = model.get_layer("blocked_logits")(model.get_layer("logits")(states))
            log_prob = tf.nn.log_softmax(logits[0, -1])[target]
        gradient = tape.gradient(log_prob, embedded)[0]
        return np.linalg.norm(np.asarray(gradient, dtype=np.float64), axis=-1)

    def __repr__(self) -> str:
        """Constructor arguments, then the vocabulary and parameter counts.

        Introduced in: notebooks/03_recurrent_networks.ipynb
        """
        state = (
            f"trained on {self._n_tokens:,} tokens x epochs" if self._fit_calls else "not fitted"
        )
        return (
            f"RecurrentLM(cell={self._cell!r}, units={self._units}, dim={self._dim}, "
            f"seed={self._seed}, dropout={self._dropout}) [vocabulary {len(self._vocab):,}; "
            f"{self._model.count_params():,} parameters; {state}]"
        )
