"""Keras models the chapters share: word2vec, a fastText-style skip-gram and a neural LM.

Builders (each returns a compiled :class:`keras.Model`, ready for ``model.fit``):

* :func:`skipgram_negative_sampling_model`: word2vec skip-gram with negative sampling
  (Mikolov et al. 2013): two embedding tables, "target" and "context", and one dot product per
  (center, context) pair, trained as binary classification (true context vs sampled noise).
* :func:`cbow_model`: word2vec CBOW with a full softmax, the chapter-1 conditional
  ``P(w_c | w_{c-2}, w_{c-1}, w_{c+1}, w_{c+2})``: the mean of the context embeddings, padding
  excluded (:class:`MaskedMean`), then one ``Dense`` layer of logits over the vocabulary.
* :func:`fasttext_skipgram_model`: skip-gram whose center word is the mean of its subword
  embeddings (Bojanowski et al. 2017), so :func:`word_vectors_from_subwords` can build vectors
  for words never seen in training from their pieces.

:class:`NeuralLM` is a feed-forward language model in the style of Bengio et al. (2003) whose
scoring methods (``prob``, ``distribution``, ``logprob``, ``score_tokens``, ``cross_entropy``,
``perplexity``, ``generate``) mirror :class:`course_utils.ngram.NGramLM`, so both kinds of model
fit in one table. :class:`RecurrentLM` (chapter 3) has the same scoring API, but conditions each
token on the whole history of its sentence through a recurrent layer (``SimpleRNN``, ``LSTM`` or
``GRU``) instead of a fixed window. :func:`count_params_table` lists a model's layers with their
parameter counts.

Importing this module imports Keras 3 (``import keras``, with TensorFlow as its backend): it
takes a few seconds the first time. Every other ``course_utils`` module stays free of TensorFlow.

Introduced in: notebooks/02_word_embeddings.ipynb
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Sequence
from typing import Any

import keras
import numpy as np
from keras import ops

from course_utils.text import BOS, EOS, PAD, UNK, Vocabulary

__all__ = [
    "MaskedMean",
    "NeuralLM",
    "RecurrentLM",
    "cbow_model",
    "count_params_table",
    "fasttext_skipgram_model",
    "skipgram_negative_sampling_model",
    "word_vectors_from_subwords",
]

Ngram = tuple[str, ...]

#: Added to the logits of tokens a :class:`NeuralLM` never predicts (``<pad>``, ``<s>``) inside
#: the Keras model: finite (no NaN in float32 arithmetic) yet so large that their softmax is 0.
_BLOCKED_LOGIT = -1e9
#: Scoring works on blocks of about this many logits (rows x vocabulary) to bound memory.
_SCORING_BLOCK = 1 << 22


# ---------------------------------------------------------------------------------------------
# Argument checking.
# ---------------------------------------------------------------------------------------------


def _describe(value: object) -> str:
    """``5 of type int``: a short description of an offending value for an error message."""
    shown = repr(value)
    if len(shown) > 60:
        shown = shown[:57] + "..."
    return f"{shown} of type {type(value).__name__}"


def _check_int(value: object, name: str, low: int, high: int | None = None) -> int:
    """Return ``value`` as an int in ``[low, high]``, or raise naming ``name``; bools refused."""
    expected = f"an integer >= {low}" if high is None else f"an integer between {low} and {high}"
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be {expected}; got {_describe(value)}")
    result = int(value)
    if result < low or (high is not None and result > high):
        raise ValueError(f"{name} must be {expected}; got {result}")
    return result


def _check_positive_real(value: object, name: str) -> float:
    """Return ``value`` as a finite float > 0, or raise naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a positive number; got {_describe(value)}")
    result = float(value)
    if not (math.isfinite(result) and result > 0):
        raise ValueError(f"{name} must be a positive finite number; got {result!r}")
    return result


def _check_fraction(value: object, name: str) -> float:
    """Return ``value`` as a float in ``[0, 1)`` (a dropout rate), or raise naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number in [0, 1); got {_describe(value)}")
    result = float(value)
    if not 0.0 <= result < 1.0:
        raise ValueError(f"{name} must be a number in [0, 1) (a fraction to drop); got {result!r}")
    return result


def _check_bool(value: object, name: str) -> bool:
    """Return ``value`` if it is a bool, or raise a TypeError naming ``name``."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False; got {_describe(value)}")
    return bool(value)


def _check_name(value: object, name: str) -> str:
    """Return ``value`` if it is a non-empty str (a Keras model name), or raise."""
    if not isinstance(value, str) or not value:
        raise TypeError(f"{name} must be a non-empty str; got {_describe(value)}")
    return value


def _as_tokens(value: object, name: str) -> Ngram:
    """A str split on whitespace, or a sequence (list, tuple, 1-D array) of str tokens."""
    if isinstance(value, str):
        return tuple(value.split())
    if isinstance(value, np.ndarray) and value.ndim == 1:
        value = value.tolist()
    if isinstance(value, (bytes, bytearray)) or not isinstance(value, Sequence):
        raise TypeError(
            f"{name} must be a str or a sequence (list, tuple) of str tokens; "
            f"got {_describe(value)}"
        )
    tokens = tuple(value)
    for i, token in enumerate(tokens):
        if not isinstance(token, str):
            raise TypeError(f"{name}[{i}] must be a str token; got {_describe(token)}")
    return tokens


def _check_sentence(value: object, name: str) -> Ngram:
    """One sentence: tokens without the markers the model adds itself (``<s>``, ``</s>``, pad)."""
    tokens = _as_tokens(value, name)
    for i, token in enumerate(tokens):
        if token in (BOS, EOS, PAD):
            raise ValueError(
                f"{name}[{i}] is the reserved token {token!r}; pass sentences without "
                f"{BOS!r}/{EOS!r}/{PAD!r}: the model pads every sentence itself"
            )
    return tokens


def _check_corpus(sentences: object, name: str) -> list[Ngram]:
    """A non-empty corpus: an iterable of sentences, each a sequence of str tokens."""
    if isinstance(sentences, (str, bytes, bytearray)) or not isinstance(sentences, Iterable):
        raise TypeError(
            f"{name} must be an iterable of sentences, each a list of str tokens, e.g. "
            f"[['나는', '배가', '고프다'], ...]; got {_describe(sentences)}"
        )
    corpus: list[Ngram] = []
    for i, sentence in enumerate(sentences):
        if isinstance(sentence, str):
            raise TypeError(
                f"{name}[{i}] is a str; each sentence must be a sequence of str tokens: split "
                "it first (e.g. line.split()), or wrap a single sentence in a list"
            )
        corpus.append(_check_sentence(sentence, f"{name}[{i}]"))
    if not corpus:
        raise ValueError(f"{name} must hold at least one sentence; got none")
    return corpus


# ---------------------------------------------------------------------------------------------
# Layers.
# ---------------------------------------------------------------------------------------------


@keras.saving.register_keras_serializable(package="course_utils")
class MaskedMean(keras.layers.Layer):
    """Mean of the vectors of a padded id sequence, padding positions left out.

    Called on ``[ids, vectors]`` with ``ids`` of shape ``(batch, length)`` and ``vectors`` (their
    embeddings) of shape ``(batch, length, dim)``, it returns, per row,

        sum of vectors[t] over the positions t with ids[t] != pad_id
        ------------------------------------------------------------
              number of positions t with ids[t] != pad_id

    of shape ``(batch, dim)``. A row made only of padding gives the zero vector. This is the
    explicit form of what ``Embedding(mask_zero=True)`` plus a mask-aware average does, and
    it works for any padding id.

    Args:
        pad_id: The id that marks padding (an integer >= 0).
        **kwargs: Passed to :class:`keras.layers.Layer` (e.g. ``name``).

    Example:
        >>> import numpy as np
        >>> ids = np.array([[5, 7, 0, 0]])
        >>> vectors = np.array([[[1.0, 2.0], [3.0, 4.0], [9.0, 9.0], [9.0, 9.0]]])
        >>> MaskedMean(pad_id=0)([ids, vectors]).numpy().tolist()
        [[2.0, 3.0]]

    Introduced in: notebooks/02_word_embeddings.ipynb
    """

    def __init__(self, pad_id: int = 0, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.pad_id = _check_int(pad_id, "pad_id", 0)

    def call(self, inputs: Sequence[Any]) -> Any:
        """The masked mean of ``inputs = [ids, vectors]``.

        Introduced in: notebooks/02_word_embeddings.ipynb
        """
        ids, vectors = inputs
        keep = ops.cast(ops.not_equal(ids, self.pad_id), vectors.dtype)
        total = ops.sum(vectors * ops.expand_dims(keep, -1), axis=1)
        count = ops.maximum(ops.sum(keep, axis=1, keepdims=True), 1.0)
        return total / count

    def compute_output_shape(self, input_shape: Sequence[tuple[int | None, ...]]) -> tuple:
        """``(batch, dim)`` from the shapes of ``[ids, vectors]``.

        Introduced in: notebooks/02_word_embeddings.ipynb
        """
        vectors_shape = tuple(input_shape[1])
        return (vectors_shape[0], vectors_shape[-1])

    def get_config(self) -> dict[str, Any]:
        """The layer's configuration (for saving), ``pad_id`` included.

        Introduced in: notebooks/02_word_embeddings.ipynb
        """
        return {**super().get_config(), "pad_id": self.pad_id}


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


# ---------------------------------------------------------------------------------------------
# word2vec and fastText builders.
# ---------------------------------------------------------------------------------------------


def skipgram_negative_sampling_model(
    vocab_size: int,
    dim: int,
    *,
    name: str = "skipgram_negative_sampling",
    learning_rate: float = 0.01,
) -> keras.Model:
    """Word2vec skip-gram with negative sampling, compiled with Adam and binary cross-entropy.

    Inputs (pass a list ``[center, contexts]`` or a dict with these names):

    * ``"center"``: shape ``(batch,)``, the center word ids;
    * ``"contexts"``: shape ``(batch, 1 + n_neg)``: the true context word first, then the
      ``n_neg`` sampled negative words (any ``n_neg``, even 0).

    Output ``"logits"``, shape ``(batch, 1 + n_neg)``: the dot products
    ``target[center] . context[c]``, trained with ``BinaryCrossentropy(from_logits=True)``
    against the labels ``[1, 0, ..., 0]`` of every row (``labels[:, 0] = 1``), i.e. as
    ``sigmoid(dot)`` = "is this a real context?". As in word2vec, a word has two vectors: one as
    center word (layer ``"target_embedding"``) and one as context (``"context_embedding"``);
    the word vectors are the target ones:
    ``model.get_layer("target_embedding").get_weights()[0]``, shape ``(vocab_size, dim)``.
    Parameters: ``2 * vocab_size * dim``.

    Args:
        vocab_size: Number of word ids (ids are ``0 .. vocab_size - 1``), >= 1.
        dim: Embedding size, >= 1.
        name: The Keras model name.
        learning_rate: Adam's learning rate (> 0).

    Returns:
        The compiled model.

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If a size is below 1 or ``learning_rate`` is not positive.

    Example:
        >>> model = skipgram_negative_sampling_model(50, 8)
        >>> model.count_params()  # 2 * 50 * 8
        800

    Introduced in: notebooks/02_word_embeddings.ipynb
    """
    vocab_size = _check_int(vocab_size, "vocab_size", 1)
    dim = _check_int(dim, "dim", 1)
    name = _check_name(name, "name")
    learning_rate = _check_positive_real(learning_rate, "learning_rate")
    center = keras.Input(shape=(), dtype="int32", name="center")
    contexts = keras.Input(shape=(None,), dtype="int32", name="contexts")
    target_vectors = keras.layers.Embedding(vocab_size, dim, name="target_embedding")(center)
    context_vectors = keras.layers.Embedding(vocab_size, dim, name="context_embedding")(contexts)
    logits = keras.layers.Dot(axes=(2, 1), name="logits")([context_vectors, target_vectors])
    model = keras.Model([center, contexts], logits, name=name)
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate),
        loss=keras.losses.BinaryCrossentropy(from_logits=True),
    )
    return model


def cbow_model(
    vocab_size: int,
    dim: int,
    window: int,
    *,
    pad_id: int = 0,
    name: str = "cbow",
    learning_rate: float = 0.01,
) -> keras.Model:
    """Word2vec CBOW with a full softmax: predict the center word from its context window.

    Input ``"context"``, shape ``(batch, 2 * window)``: the ids of the ``window`` words on each
    side of the center word (order does not matter to the model), padded with ``pad_id`` near
    sentence boundaries. The context vectors (layer ``"target_embedding"``) are averaged over
    the non-padding positions only (layer ``"context_mean"``, a :class:`MaskedMean`: padding
    never contributes), and one ``Dense(vocab_size)`` layer (``"logits"``) turns the mean into
    logits over the whole vocabulary, trained with ``SparseCategoricalCrossentropy(from_logits=
    True)`` against the center word's id. With ``window=2`` this is the conditional
    ``P(w_c | w_{c-2}, w_{c-1}, w_{c+1}, w_{c+2})`` of chapter 1.

    Parameters: ``vocab_size * dim`` (embedding) + ``dim * vocab_size + vocab_size`` (Dense).

    Args:
        vocab_size: Number of word ids, >= 1 (a full softmax: fine for small vocabularies).
        dim: Embedding size, >= 1.
        window: Context words on each side of the center, >= 1.
        pad_id: The padding id, between 0 and ``vocab_size - 1`` (0 for :class:`Vocabulary`).
        name: The Keras model name.
        learning_rate: Adam's learning rate (> 0).

    Returns:
        The compiled model.

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If an argument is out of range.

    Example:
        >>> cbow_model(50, 8, window=2).count_params()  # 50*8 + 8*50 + 50
        850

    Introduced in: notebooks/02_word_embeddings.ipynb
    """
    vocab_size = _check_int(vocab_size, "vocab_size", 1)
    dim = _check_int(dim, "dim", 1)
    window = _check_int(window, "window", 1)
    pad_id = _check_int(pad_id, "pad_id", 0, vocab_size - 1)
    name = _check_name(name, "name")
    learning_rate = _check_positive_real(learning_rate, "learning_rate")
    context = keras.Input(shape=(2 * window,), dtype="int32", name="context")
    vectors = keras.layers.Embedding(vocab_size, dim, name="target_embedding")(context)
    mean = MaskedMean(pad_id, name="context_mean")([context, vectors])
    logits = keras.layers.Dense(vocab_size, name="logits")(mean)
    model = keras.Model(context, logits, name=name)
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    )
    return model


def fasttext_skipgram_model(
    n_buckets_plus_words: int,
    dim: int,
    max_subwords: int,
    *,
    n_context_words: int | None = None,
    name: str = "fasttext_skipgram",
    learning_rate: float = 0.01,
) -> keras.Model:
    """FastText-style skip-gram with negative sampling: a word is the mean of its subwords.

    Like :func:`skipgram_negative_sampling_model`, except that the center word is given by its
    subword ids (the word itself, its character n-grams, ... as computed by the caller), and
    its vector is the mean of their embeddings. Inputs:

    * ``"center_subwords"``: shape ``(batch, max_subwords)``, each row the subword ids of one
      center word, padded with 0 (id 0 is padding and never contributes to the mean);
    * ``"contexts"``: shape ``(batch, 1 + n_neg)``, the true context *word* id first, then
      ``n_neg`` negative word ids.

    Output ``"logits"`` ``(batch, 1 + n_neg)``, trained with ``BinaryCrossentropy(from_logits=
    True)`` against labels ``[1, 0, ..., 0]``. Layers: ``"subword_embedding"`` (the subword
    table, ``n_buckets_plus_words x dim``), ``"center_vector"`` (the masked mean),
    ``"context_embedding"`` (``n_context_words x dim``). After training,
    :func:`word_vectors_from_subwords` builds the vector of any word, seen or not, from its
    subword ids. Parameters: ``(n_buckets_plus_words + n_context_words) * dim``.

    Args:
        n_buckets_plus_words: Size of the subword id space, padding id 0 included (>= 2).
        dim: Embedding size, >= 1.
        max_subwords: Length of the padded ``"center_subwords"`` rows, >= 1.
        n_context_words: Size of the context-word table; None (the default) for
            ``n_buckets_plus_words`` (word ids then share the id space with the subwords).
        name: The Keras model name.
        learning_rate: Adam's learning rate (> 0).

    Returns:
        The compiled model.

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If an argument is out of range.

    Example:
        >>> fasttext_skipgram_model(100, 8, max_subwords=6, n_context_words=20).count_params()
        960

    Introduced in: notebooks/02_word_embeddings.ipynb
    """
    n_subwords = _check_int(n_buckets_plus_words, "n_buckets_plus_words", 2)
    dim = _check_int(dim, "dim", 1)
    max_subwords = _check_int(max_subwords, "max_subwords", 1)
    n_words = n_subwords
    if n_context_words is not None:
        n_words = _check_int(n_context_words, "n_context_words", 1)
    name = _check_name(name, "name")
    learning_rate = _check_positive_real(learning_rate, "learning_rate")
    subwords = keras.Input(shape=(max_subwords,), dtype="int32", name="center_subwords")
    contexts = keras.Input(shape=(None,), dtype="int32", name="contexts")
    pieces = keras.layers.Embedding(n_subwords, dim, name="subword_embedding")(subwords)
    center_vector = MaskedMean(0, name="center_vector")([subwords, pieces])
    context_vectors = keras.layers.Embedding(n_words, dim, name="context_embedding")(contexts)
    logits = keras.layers.Dot(axes=(2, 1), name="logits")([context_vectors, center_vector])
    model = keras.Model([subwords, contexts], logits, name=name)
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate),
        loss=keras.losses.BinaryCrossentropy(from_logits=True),
    )
    return model


def word_vectors_from_subwords(
    model: keras.Model | np.ndarray, subword_id_lists: Iterable[Sequence[int]]
) -> np.ndarray:
    """Word vectors as the mean of their subword embeddings, for any words, seen or unseen.

    Computes in NumPy exactly what the ``"center_vector"`` layer of
    :func:`fasttext_skipgram_model` computes: for each list of subword ids, the mean of the rows
    of the subword table, padding id 0 left out. A word that never occurred in training still
    gets a vector as long as some of its pieces (character n-grams) did.

    Args:
        model: A model from :func:`fasttext_skipgram_model` (its ``"subword_embedding"`` layer is
            read), or the subword table itself as a 2-D array ``(n_buckets_plus_words, dim)``.
        subword_id_lists: One sequence of integer subword ids per word (lists of any lengths,
            or the rows of a padded 2-D array); zeros are padding.

    Returns:
        A float array of shape ``(number of words, dim)``.

    Raises:
        TypeError: If ``model`` is neither a Keras model with a ``"subword_embedding"`` layer nor
            a 2-D array, or a list holds something other than integers.
        ValueError: If an id is out of range, or a list has no id other than padding.

    Example:
        >>> table = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [5.0, 5.0]])
        >>> word_vectors_from_subwords(table, [[1, 2, 0], [3]]).tolist()
        [[0.5, 0.5], [5.0, 5.0]]

    Introduced in: notebooks/02_word_embeddings.ipynb
    """
    if isinstance(model, keras.Model):
        try:
            layer = model.get_layer("subword_embedding")
        except ValueError:
            raise TypeError(
                f"model must come from fasttext_skipgram_model (a Keras model with a "
                f"'subword_embedding' layer); model {model.name!r} has none"
            ) from None
        table = np.asarray(layer.get_weights()[0])
    elif isinstance(model, np.ndarray) and model.ndim == 2:
        table = model
    else:
        raise TypeError(
            "model must be a Keras model from fasttext_skipgram_model or a 2-D NumPy array "
            f"(the subword table); got {_describe(model)}"
        )
    if isinstance(subword_id_lists, (str, bytes, bytearray)) or not isinstance(
        subword_id_lists, Iterable
    ):
        raise TypeError(
            "subword_id_lists must be an iterable of sequences of integer subword ids, e.g. "
            f"[[12, 40, 7], [3, 9]]; got {_describe(subword_id_lists)}"
        )
    n_rows = table.shape[0]
    vectors: list[np.ndarray] = []
    for i, ids in enumerate(subword_id_lists):
        name = f"subword_id_lists[{i}]"
        if isinstance(ids, (str, bytes, bytearray)):
            raise TypeError(f"{name} must be a sequence of integer ids; got {_describe(ids)}")
        array = np.asarray(ids)
        if array.ndim != 1 or (array.size and array.dtype.kind not in "iu"):
            raise TypeError(f"{name} must be a 1-D sequence of integer ids; got {_describe(ids)}")
        array = array.astype(np.int64)
        if array.size and (array.min() < 0 or array.max() >= n_rows):
            bad = int(array[(array < 0) | (array >= n_rows)][0])
            raise ValueError(
                f"{name} holds the id {bad}; expected subword ids between 0 and {n_rows - 1}"
            )
        kept = array[array != 0]
        if kept.size == 0:
            raise ValueError(
                f"{name} has no subword id other than the padding id 0; expected at least one"
            )
        vectors.append(table[kept].mean(axis=0))
    if not vectors:
        return np.zeros((0, table.shape[1]), dtype=table.dtype)
    return np.stack(vectors)


def count_params_table(model: keras.Model) -> list[tuple[str, str, int]]:
    """One row per layer: (layer name, output shape as text, number of parameters).

    The parameter counts add up to ``model.count_params()``; ``None`` in a shape is the batch
    (or a free sequence) dimension.

    Args:
        model: A built Keras model (e.g. from one of this module's builders).

    Returns:
        A list of ``(name, shape, params)`` tuples in layer order.

    Raises:
        TypeError: If ``model`` is not a Keras model.

    Example:
        >>> for row in count_params_table(cbow_model(50, 8, window=2)):
        ...     print(row)
        ('context', '(None, 4)', 0)
        ('target_embedding', '(None, 4, 8)', 400)
        ('context_mean', '(None, 8)', 0)
        ('logits', '(None, 50)', 450)

    Introduced in: notebooks/02_word_embeddings.ipynb
    """
    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a Keras model; got {_describe(model)}")
    rows: list[tuple[str, str, int]] = []
    for layer in model.layers:
        try:
            shape = str(keras.tree.map_structure(lambda t: tuple(t.shape), layer.output))
        except (AttributeError, ValueError):
            shape = "?"
        rows.append((layer.name, shape, int(layer.count_params())))
    return rows


# ---------------------------------------------------------------------------------------------
# Machinery shared by the neural language models (NeuralLM, RecurrentLM).
# ---------------------------------------------------------------------------------------------


def _check_vocabulary(vocab: object) -> Vocabulary:
    """Return ``vocab`` if it is a :class:`Vocabulary`, or raise a TypeError."""
    if not isinstance(vocab, Vocabulary):
        raise TypeError(
            "vocab must be a course_utils.text.Vocabulary, e.g. Vocabulary.build(train); "
            f"got {_describe(vocab)}"
        )
    return vocab


def _check_fit_options(
    epochs: object, batch_size: object, verbose: object, learning_rate: object, callbacks: object
) -> tuple[int, int, int, float, list[keras.callbacks.Callback] | None]:
    """The checked options every language model's ``fit`` takes."""
    epochs = _check_int(epochs, "epochs", 1)
    batch_size = _check_int(batch_size, "batch_size", 1)
    verbose = _check_int(verbose, "verbose", 0, 2)
    learning_rate = _check_positive_real(learning_rate, "learning_rate")
    if callbacks is not None and (
        isinstance(callbacks, (str, bytes)) or not isinstance(callbacks, Sequence)
    ):
        raise TypeError(
            f"callbacks must be a list of Keras callbacks or None; got {_describe(callbacks)}"
        )
    listed = None if callbacks is None else list(callbacks)
    return epochs, batch_size, verbose, learning_rate, listed


def _log_softmax(
    logits: np.ndarray, blocked: Sequence[int], targets: np.ndarray | None
) -> np.ndarray:
    """Log-probabilities from rows of logits ``(n, V)``, with the ``blocked`` ids at -inf.

    ``logits`` must be a float64 array the caller owns: it is modified in place. Returns
    ``log P(targets[i])`` of each row ``(n,)``, or the full log-distributions ``(n, V)`` if
    ``targets`` is None; each distribution sums to 1 over the ids that are not blocked.
    """
    logits[:, list(blocked)] = -np.inf
    top = logits.max(axis=1, keepdims=True)
    log_z = top + np.log(np.exp(logits - top).sum(axis=1, keepdims=True))
    if targets is None:
        return logits - log_z
    return logits[np.arange(targets.size), targets] - log_z[:, 0]


def _draw(probs: np.ndarray, rng: np.random.Generator) -> int:
    """One id drawn from the (unnormalised, non-negative) weights ``probs`` by inverse CDF."""
    cdf = np.cumsum(probs)
    i = int(np.searchsorted(cdf, rng.random() * cdf[-1], side="right"))
    return min(i, probs.size - 1)


class _TokenLM:
    """The vocabulary side shared by the neural LMs: specials, predicted tokens, encoding."""

    _vocab: Vocabulary
    _bos_id: int
    _eos_id: int
    _blocked: list[int]
    _predicted: tuple[str, ...]
    _predicted_ids: np.ndarray

    def _set_vocab(self, vocab: Vocabulary) -> None:
        """Check that ``vocab`` has ``<s>`` and ``</s>``; derive the blocked/predicted ids."""
        for token in (BOS, EOS):
            if token not in vocab.specials:
                raise ValueError(
                    f"vocab must have {token!r} among its specials (sentences are padded with "
                    f"{BOS!r} and end with {EOS!r}); got specials {vocab.specials!r}"
                )
        self._vocab = vocab
        self._bos_id = vocab.bos_id
        self._eos_id = vocab.eos_id
        self._blocked = sorted(vocab.token_to_id(t) for t in (PAD, BOS) if t in vocab.specials)
        blocked = set(self._blocked)
        self._predicted = tuple(t for i, t in enumerate(vocab.tokens) if i not in blocked)
        self._predicted_ids = np.array(
            [i for i in range(len(vocab)) if i not in blocked], dtype=np.int64
        )

    def _encode(self, tokens: Sequence[str], name: str) -> list[int]:
        """Token ids (unknown tokens -> ``<unk>``); an error naming ``name[i]`` if no ``<unk>``."""
        vocab = self._vocab
        if UNK not in vocab.specials:
            for i, token in enumerate(tokens):
                if token not in vocab:
                    raise ValueError(
                        f"{name}[{i}] is {token!r}, which is not in the vocabulary, and the "
                        f"vocabulary has no {UNK!r} to replace it; expected known tokens, or a "
                        f"vocabulary built with {UNK!r} among its specials"
                    )
        return vocab.encode(list(tokens))

    def _word_id(self, word: str) -> int:
        """The id ``prob`` scores ``word`` as (unknown -> ``<unk>``), or a ValueError if none."""
        if UNK not in self._vocab.specials and word not in self._vocab:
            raise ValueError(
                f"word {word!r} is not in the vocabulary, which has no {UNK!r} to stand for it; "
                "expected a known token"
            )
        return self._vocab.token_to_id(word)

    def _excluded_ids(self, allow_unk: bool) -> list[int]:
        """The ids generation never draws: the blocked ones, plus ``<unk>`` unless allowed."""
        excluded = list(self._blocked)
        if not allow_unk and UNK in self._vocab.specials:
            excluded.append(self._vocab.unk_id)
        return excluded

    @staticmethod
    def _mean_nll(logs: np.ndarray) -> float:
        """Cross-entropy in nats per token from the log-probabilities of the tokens."""
        return -math.fsum(logs.tolist()) / logs.size

    @staticmethod
    def _perplexity_of(cross_entropy: float) -> float:
        """``exp(cross_entropy)``, inf where it would overflow."""
        return math.exp(cross_entropy) if cross_entropy < 709.0 else math.inf

    @staticmethod
    def _sums_by_sentence(logs: np.ndarray, lengths: np.ndarray) -> np.ndarray:
        """Per-sentence sums of consecutive runs of ``lengths`` token log-probabilities."""
        ends = np.cumsum(lengths)
        return np.asarray(
            [math.fsum(logs[e - n : e].tolist()) for e, n in zip(ends, lengths, strict=True)]
        )


# ---------------------------------------------------------------------------------------------
# A feed-forward neural language model.
# ---------------------------------------------------------------------------------------------


class NeuralLM(_TokenLM):
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
        vocab = _check_vocabulary(vocab)
        self._context_size = _check_int(context_size, "context_size", 1)
        self._dim = _check_int(dim, "dim", 1)
        self._hidden = _check_int(hidden, "hidden", 1)
        self._seed = _check_int(seed, "seed", 0)
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
    def model(self) -> keras.Model:
        """The underlying Keras model: input ``(batch, context_size)`` ids, output logits.

        Introduced in: notebooks/02_word_embeddings.ipynb
        """
        return self._model

    @property
    def embeddings(self) -> np.ndarray:
        """The embedding matrix, shape ``(len(vocab), dim)``: row i is token i's vector.

        Introduced in: notebooks/02_word_embeddings.ipynb
        """
        return np.asarray(self._model.get_layer("embedding").get_weights()[0])

    @property
    def vocab(self) -> Vocabulary:
        """The :class:`~course_utils.text.Vocabulary` the model was built with.

        Introduced in: notebooks/02_word_embeddings.ipynb
        """
        return self._vocab

    @property
    def vocabulary(self) -> tuple[str, ...]:
        """The tokens the model predicts, in id order: every token except ``<pad>`` and ``<s>``.

        Introduced in: notebooks/02_word_embeddings.ipynb
        """
        return self._predicted

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
        rows = max(1, _SCORING_BLOCK // size)
        out: list[np.ndarray] = []
        for start in range(0, contexts.shape[0], rows):
            x = contexts[start : start + rows]
            logits = np.asarray(ops.convert_to_numpy(self._model(x, training=False)), np.float64)
            y = None if targets is None else targets[start : start + rows]
            out.append(_log_softmax(logits, self._blocked, y))
        if not out:
            return np.zeros((0,) if targets is not None else (0, size))
        return np.concatenate(out)

    def _context_ids(self, context: object) -> list[int]:
        """Check a context of exactly ``context_size`` tokens and map it to ids."""
        tokens = _as_tokens(context, "context")
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
        corpus = _check_corpus(sentences, "sentences")
        epochs, batch_size, verbose, learning_rate, callbacks = _check_fit_options(
            epochs, batch_size, verbose, learning_rate, callbacks
        )
        x, y, _ = self._examples(corpus, "sentences")
        validation = None
        if validation_sentences is not None:
            held_out = _check_corpus(validation_sentences, "validation_sentences")
            x_val, y_val, _ = self._examples(held_out, "validation_sentences")
            validation = (x_val, y_val)
        keras.utils.set_random_seed(self._seed + self._fit_calls)
        self._fit_calls += 1
        self._model.compile(
            optimizer=keras.optimizers.Adam(learning_rate),
            loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        )
        history = self._model.fit(
            x,
            y,
            epochs=epochs,
            batch_size=batch_size,
            validation_data=validation,
            verbose=verbose,
            shuffle=True,
            callbacks=callbacks,
        )
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
        if not isinstance(word, str):
            raise TypeError(f"word must be a str token; got {_describe(word)}")
        ids = self._context_ids(context)
        word_id = self._word_id(word)
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
        probs = np.exp(self._log_probs_of(x, None)[0][self._predicted_ids])
        return dict(zip(self._predicted, probs.tolist(), strict=True))

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
        tokens = _check_sentence(sentence, "sentence")
        contexts, targets, _ = self._examples([tokens], "sentence", single=True)
        logs = self._log_probs_of(contexts, targets)
        names = self._vocab.tokens
        return [
            (names[int(t)], tuple(names[int(i)] for i in ctx), float(math.exp(lp)))
            for ctx, t, lp in zip(contexts, targets, logs, strict=True)
        ]

    def logprob(self, sentence: Sequence[str]) -> float:
        """Natural-log probability of a whole sentence, ``</s>`` included.

        ``log P(w1 ... wm </s>) = sum_i log P(w_i | previous context_size tokens)``, with
        ``<s>`` padding; always finite (a softmax never gives exactly 0).

        Args:
            sentence: A sequence of str tokens, or a str split on whitespace.

        Introduced in: notebooks/02_word_embeddings.ipynb
        """
        tokens = _check_sentence(sentence, "sentence")
        contexts, targets, _ = self._examples([tokens], "sentence", single=True)
        return math.fsum(self._log_probs_of(contexts, targets).tolist())

    def cross_entropy(self, sentences: Iterable[Sequence[str]]) -> float:
        """Average negative log-probability, in nats per predicted token (``</s>`` counted).

        Every sentence contributes ``len(sentence) + 1`` predicted tokens. All positions of all
        sentences are scored in one batched model call.

        Args:
            sentences: An iterable of sentences, each a sequence of str tokens.

        Raises:
            TypeError: If ``sentences`` is not an iterable of token sequences.
            ValueError: If there is no sentence.

        Introduced in: notebooks/02_word_embeddings.ipynb
        """
        corpus = _check_corpus(sentences, "sentences")
        contexts, targets, _ = self._examples(corpus, "sentences")
        return self._mean_nll(self._log_probs_of(contexts, targets))

    def perplexity(self, sentences: Iterable[Sequence[str]]) -> float:
        """``exp(cross_entropy(sentences))``: the effective number of choices per token.

        Introduced in: notebooks/02_word_embeddings.ipynb
        """
        return self._perplexity_of(self.cross_entropy(sentences))

    def sentence_logprobs(self, sentences: Iterable[Sequence[str]]) -> np.ndarray:
        """:meth:`logprob` of many sentences at once (one batched model call).

        Returns:
            A float array with one natural-log probability per sentence.

        Raises:
            ValueError: If there is no sentence.

        Introduced in: notebooks/02_word_embeddings.ipynb
        """
        corpus = _check_corpus(sentences, "sentences")
        contexts, targets, lengths = self._examples(corpus, "sentences")
        return self._sums_by_sentence(self._log_probs_of(contexts, targets), lengths)

    def generate(
        self,
        n_words: int | None = None,
        *,
        seed: int = 0,
        context: Sequence[str] | None = None,
        max_words: int = 100,
        allow_unk: bool = True,
    ) -> list[str]:
        """Sample a sentence word by word from the model, as :meth:`NGramLM.generate` does.

        Each word is drawn from :meth:`distribution` of the last ``context_size`` tokens
        (``<s>`` padding at the start) until ``</s>`` is drawn (not returned) or ``n_words``
        words (``max_words`` if ``n_words`` is None) have been produced.

        Args:
            n_words: Stop after this many words (>= 1), or None to stop at ``</s>`` only.
            seed: Seed of :func:`numpy.random.default_rng` (>= 0): same seed, same words.
            context: Optional words the sentence starts with (a prompt; not returned).
            max_words: Safety limit when ``n_words`` is None (>= 1).
            allow_unk: Whether ``<unk>`` may be produced (if not, the rest is renormalised).

        Returns:
            The generated words (possibly empty if ``</s>`` comes first).

        Introduced in: notebooks/02_word_embeddings.ipynb
        """
        limit = _check_int(max_words, "max_words", 1)
        if n_words is not None:
            limit = _check_int(n_words, "n_words", 1)
        rng = np.random.default_rng(_check_int(seed, "seed", 0))
        allow_unk = _check_bool(allow_unk, "allow_unk")
        prompt = () if context is None else _check_sentence(context, "context")
        history = [self._bos_id] * self._context_size + self._encode(prompt, "context")
        excluded = self._excluded_ids(allow_unk)
        words: list[str] = []
        while len(words) < limit:
            x = np.asarray([history[-self._context_size :]], dtype=np.int32)
            probs = np.exp(self._log_probs_of(x, None)[0])
            probs[excluded] = 0.0
            i = _draw(probs, rng)
            if i == self._eos_id:
                break
            words.append(self._vocab.tokens[i])
            history.append(i)
        return words

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


class RecurrentLM(_TokenLM):
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
        vocab = _check_vocabulary(vocab)
        names = ", ".join(repr(name) for name in _CELLS)
        if not isinstance(cell, str):
            raise TypeError(f"cell must be one of {names}; got {_describe(cell)}")
        if cell not in _CELLS:
            raise ValueError(f"cell must be one of {names}; got {cell!r}")
        self._cell = cell
        self._units = _check_int(units, "units", 1)
        self._dim = _check_int(dim, "dim", 1)
        self._seed = _check_int(seed, "seed", 0)
        self._dropout = _check_fraction(dropout, "dropout")
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
    def model(self) -> keras.Model:
        """The Keras model: input ``(batch, time)`` token ids, output ``(batch, time, V)`` logits.

        Layers ``"embedding"``, ``"recurrent"`` (the ``SimpleRNN``/``LSTM``/``GRU``),
        ``"logits"`` and ``"blocked_logits"``; id 0 (``<pad>``) is masked.

        Introduced in: notebooks/03_recurrent_networks.ipynb
        """
        return self._model

    @property
    def vocab(self) -> Vocabulary:
        """The :class:`~course_utils.text.Vocabulary` the model was built with.

        Introduced in: notebooks/03_recurrent_networks.ipynb
        """
        return self._vocab

    @property
    def vocabulary(self) -> tuple[str, ...]:
        """The tokens the model predicts, in id order: every token except ``<pad>`` and ``<s>``.

        Introduced in: notebooks/03_recurrent_networks.ipynb
        """
        return self._predicted

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

    @property
    def embeddings(self) -> np.ndarray:
        """The embedding matrix, shape ``(len(vocab), dim)``: row i is token i's vector.

        Introduced in: notebooks/03_recurrent_networks.ipynb
        """
        return np.asarray(self._model.get_layer("embedding").get_weights()[0])

    # ------------------------------------------------------------------ data

    def _id_sequences(
        self, corpus: Sequence[Ngram], name: str, *, single: bool = False
    ) -> list[list[int]]:
        """``[<s>] + ids + [</s>]`` per sentence: inputs are ``[:-1]``, targets ``[1:]``.

        ``name`` names the corpus in error messages (``sentences[3][1]``), or with ``single``
        the one sentence it holds (``sentence[1]``).
        """
        return [
            [
                self._bos_id,
                *self._encode(sentence, name if single else f"{name}[{i}]"),
                self._eos_id,
            ]
            for i, sentence in enumerate(corpus)
        ]

    def _padded(self, rows: Sequence[Sequence[int]], width: int) -> np.ndarray:
        """The rows as an int32 array ``(len(rows), width)``, right-padded with ``<pad>``."""
        out = np.full((len(rows), width), self._pad_id, dtype=np.int32)
        for i, row in enumerate(rows):
            out[i, : len(row)] = row
        return out

    def _history_ids(self, context: object) -> list[int]:
        """``[<s>] + ids`` of a context: the previous words of a sentence, without ``<s>``."""
        tokens = _as_tokens(context, "context")
        for i, token in enumerate(tokens):
            if token in (BOS, EOS, PAD):
                raise ValueError(
                    f"context[{i}] is the reserved token {token!r}; pass the previous words of "
                    f"the sentence only (an empty list before its first word): the model reads "
                    f"{BOS!r} first by itself"
                )
        return [self._bos_id, *self._encode(tokens, "context")]

    def _arrays(self, corpus: Sequence[Ngram], name: str) -> tuple[np.ndarray, ...]:
        """(inputs, targets, per-sentence weights N / T) of a checked corpus."""
        sequences = self._id_sequences(corpus, name)
        width = max(len(s) for s in sequences) - 1
        x = self._padded([s[:-1] for s in sequences], width)
        y = self._padded([s[1:] for s in sequences], width)
        n_tokens = sum(len(s) - 1 for s in sequences)
        weights = np.full(len(sequences), len(sequences) / n_tokens, dtype=np.float32)
        return x, y, weights

    def _log_probs(
        self, inputs: Sequence[Sequence[int]], targets: Sequence[Sequence[int]] | None
    ) -> list[np.ndarray]:
        """Per input sequence, ``log P(targets[i][t] | inputs[i][: t + 1])`` for every ``t``.

        With ``targets`` None, the full log-distributions ``(len(inputs[i]), V)`` instead. The
        sequences are sorted by length and cut into blocks of about ``_SCORING_BLOCK`` logits;
        each block is padded to its longest sequence and scored in one model call.
        """
        size = len(self._vocab)
        lengths = np.asarray([len(s) for s in inputs], dtype=np.int64)
        order = np.argsort(lengths, kind="stable")
        out: list[np.ndarray] = [np.zeros(0)] * len(inputs)
        start = 0
        while start < order.size:
            stop = start + 1
            while (
                stop < order.size
                and (stop + 1 - start) * int(lengths[order[stop]]) * size <= _SCORING_BLOCK
            ):
                stop += 1
            block = order[start:stop]
            block_lengths = lengths[block]
            width = int(block_lengths.max())
            x = self._padded([inputs[i] for i in block], width)
            logits = np.asarray(ops.convert_to_numpy(self._model(x, training=False)), np.float64)
            real = logits[np.arange(width) < block_lengths[:, None]]  # (sum of lengths, V)
            y = None
            if targets is not None:
                y = np.concatenate([np.asarray(targets[i], dtype=np.int64) for i in block])
            logs = _log_softmax(real, self._blocked, y)
            pieces = np.split(logs, np.cumsum(block_lengths)[:-1])
            for i, piece in zip(block.tolist(), pieces, strict=True):
                out[i] = piece
            start = stop
        return out

    def _sentence_log_probs(
        self, corpus: Sequence[Ngram], name: str, *, single: bool = False
    ) -> tuple[list[list[int]], list[np.ndarray]]:
        """The id sequences of a corpus and the log-probabilities of their predicted tokens."""
        sequences = self._id_sequences(corpus, name, single=single)
        logs = self._log_probs([s[:-1] for s in sequences], [s[1:] for s in sequences])
        return sequences, logs

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
        corpus = _check_corpus(sentences, "sentences")
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

        The sentences become :meth:`training_arrays` (one row per sentence, padding masked).
        The model is (re)compiled with a new Adam optimiser (with ``clipnorm``) and the
        token-weighted cross-entropy, then trained with Keras's ``fit`` (sentences shuffled every
        epoch). Calling ``fit`` again continues from the current weights.
        ``keras.utils.set_random_seed`` is called first (with ``seed`` plus the number of earlier
        ``fit`` calls), so the same calls give the same weights.

        Args:
            sentences: Training sentences, each a sequence of str tokens (no ``<s>``/``</s>``).
            epochs: Passes over the data, >= 1.
            batch_size: Sentences per gradient step, >= 1.
            validation_sentences: Optional held-out sentences: the history then has
                ``val_loss``, equal to :meth:`cross_entropy` on them at the end of each epoch.
            verbose: Keras's verbosity (0 silent, 1 progress bar, 2 one line per epoch).
            learning_rate: Adam's learning rate (> 0).
            clipnorm: If given (> 0), each weight's gradient is rescaled so that its norm is at
                most ``clipnorm`` (Keras's ``clipnorm``; gradient clipping against exploding
                gradients). None (the default) for no clipping.
            callbacks: Optional Keras callbacks (e.g. ``keras.callbacks.EarlyStopping``).

        Returns:
            The Keras ``History``: ``history.history["loss"]`` is the training cross-entropy
            per epoch in nats per token (averaged over the epoch while the weights change).

        Raises:
            TypeError: If an argument has the wrong type.
            ValueError: If there is no sentence, a sentence holds ``<s>``/``</s>``/``<pad>``, or
                a number is out of range.

        Introduced in: notebooks/03_recurrent_networks.ipynb
        """
        corpus = _check_corpus(sentences, "sentences")
        epochs, batch_size, verbose, learning_rate, callbacks = _check_fit_options(
            epochs, batch_size, verbose, learning_rate, callbacks
        )
        if clipnorm is not None:
            clipnorm = _check_positive_real(clipnorm, "clipnorm")
        x, y, w = self._arrays(corpus, "sentences")
        validation = None
        if validation_sentences is not None:
            held_out = _check_corpus(validation_sentences, "validation_sentences")
            validation = self._arrays(held_out, "validation_sentences")
        keras.utils.set_random_seed(self._seed + self._fit_calls)
        self._fit_calls += 1
        self._model.compile(
            optimizer=keras.optimizers.Adam(learning_rate, clipnorm=clipnorm),
            loss=_TokenCrossEntropy(pad_id=self._pad_id),
        )
        history = self._model.fit(
            x,
            y,
            sample_weight=w,
            epochs=epochs,
            batch_size=batch_size,
            validation_data=validation,
            verbose=verbose,
            shuffle=True,
            callbacks=callbacks,
        )
        self._n_tokens += int(np.count_nonzero(y != self._pad_id)) * len(history.epoch)
        return history

    # ------------------------------------------------------------------ scoring

    def prob(self, word: str, context: Sequence[str]) -> float:
        """P(word | context), the probability that ``word`` follows the whole ``context``.

        Args:
            word: Any str; strings outside the vocabulary are scored as ``<unk>``, ``"</s>"``
                is the end of the sentence, and ``"<s>"`` and ``"<pad>"`` get 0 (never
                predicted).
            context: All previous tokens of the sentence (a sequence, or a str split on
                whitespace), *without* ``"<s>"``: ``[]`` for the first word. Unlike the
                fixed-size window of :meth:`NeuralLM.prob`, any length is allowed.

        Raises:
            TypeError: If ``word`` is not a str or ``context`` not a sequence of str.
            ValueError: If ``context`` holds ``<s>``, ``</s>`` or ``<pad>``.

        Introduced in: notebooks/03_recurrent_networks.ipynb
        """
        if not isinstance(word, str):
            raise TypeError(f"word must be a str token; got {_describe(word)}")
        history = self._history_ids(context)
        word_id = self._word_id(word)
        if word_id in self._blocked:
            return 0.0
        logs = self._log_probs([history], [[*history[1:], word_id]])[0]
        return float(np.exp(logs[-1]))

    def distribution(self, context: Sequence[str]) -> dict[str, float]:
        """P(w | context) for every predicted token (the vocabulary minus ``<pad>`` and ``<s>``).

        The values sum to 1 (within rounding); ``</s>`` and ``<unk>`` are included.

        Args:
            context: All previous tokens of the sentence, without ``<s>``, as for :meth:`prob`.

        Returns:
            A new dict token -> probability, in :attr:`vocabulary` order.

        Introduced in: notebooks/03_recurrent_networks.ipynb
        """
        logs = self._log_probs([self._history_ids(context)], None)[0][-1]
        probs = np.exp(logs[self._predicted_ids])
        return dict(zip(self._predicted, probs.tolist(), strict=True))

    def score_tokens(self, sentence: Sequence[str]) -> list[tuple[str, Ngram, float]]:
        """Each predicted token of a sentence with its context and probability.

        The list has ``len(sentence) + 1`` entries, the last one for ``</s>``, like
        :meth:`NGramLM.score_tokens <course_utils.ngram.NGramLM.score_tokens>`; but each
        context is the *whole* prefix of the sentence (without ``<s>``: ``()`` for the first
        word), not a window of ``n - 1`` tokens padded with ``<s>``: this is what the
        recurrent model conditions on. Tokens outside the vocabulary appear as ``"<unk>"``, as
        the model sees them, in the predicted tokens and in the contexts. One model call.

        Args:
            sentence: A sequence of str tokens, or a str split on whitespace (without
                ``"<s>"``/``"</s>"``).

        Returns:
            A list of ``(token, context, probability)``; ``prob(token, context)`` gives the
            same probability.

        Introduced in: notebooks/03_recurrent_networks.ipynb
        """
        tokens = _check_sentence(sentence, "sentence")
        sequences, logs = self._sentence_log_probs([tokens], "sentence", single=True)
        shown = [self._vocab.tokens[i] for i in sequences[0][1:]]
        return [
            (shown[t], tuple(shown[:t]), float(math.exp(lp)))
            for t, lp in enumerate(logs[0].tolist())
        ]

    def logprob(self, sentence: Sequence[str]) -> float:
        """Natural-log probability of a whole sentence, ``</s>`` included.

        ``log P(w1 ... wm </s>) = sum_i log P(w_i | w1 ... w_{i-1})``, every token conditioned
        on all the tokens before it; always finite (a softmax never gives exactly 0).

        Args:
            sentence: A sequence of str tokens, or a str split on whitespace.

        Introduced in: notebooks/03_recurrent_networks.ipynb
        """
        tokens = _check_sentence(sentence, "sentence")
        _, logs = self._sentence_log_probs([tokens], "sentence", single=True)
        return math.fsum(logs[0].tolist())

    def cross_entropy(self, sentences: Iterable[Sequence[str]]) -> float:
        """Average negative log-probability, in nats per predicted token (``</s>`` counted).

        Every sentence contributes ``len(sentence) + 1`` predicted tokens. The sentences are
        scored in padded batches (a few model calls in all, not one per token).

        Args:
            sentences: An iterable of sentences, each a sequence of str tokens.

        Raises:
            TypeError: If ``sentences`` is not an iterable of token sequences.
            ValueError: If there is no sentence.

        Introduced in: notebooks/03_recurrent_networks.ipynb
        """
        corpus = _check_corpus(sentences, "sentences")
        _, logs = self._sentence_log_probs(corpus, "sentences")
        return self._mean_nll(np.concatenate(logs))

    def perplexity(self, sentences: Iterable[Sequence[str]]) -> float:
        """``exp(cross_entropy(sentences))``: the effective number of choices per token.

        Introduced in: notebooks/03_recurrent_networks.ipynb
        """
        return self._perplexity_of(self.cross_entropy(sentences))

    def sentence_logprobs(self, sentences: Iterable[Sequence[str]]) -> np.ndarray:
        """:meth:`logprob` of many sentences at once (padded batches, not one call per token).

        Returns:
            A float array with one natural-log probability per sentence.

        Raises:
            ValueError: If there is no sentence.

        Introduced in: notebooks/03_recurrent_networks.ipynb
        """
        corpus = _check_corpus(sentences, "sentences")
        _, logs = self._sentence_log_probs(corpus, "sentences")
        lengths = np.asarray([piece.size for piece in logs], dtype=np.int64)
        return self._sums_by_sentence(np.concatenate(logs), lengths)

    def generate(
        self,
        n_words: int | None = None,
        *,
        seed: int = 0,
        context: Sequence[str] | None = None,
        max_words: int = 100,
        temperature: float = 1.0,
        allow_unk: bool = True,
    ) -> list[str]:
        """Sample a sentence word by word, as :meth:`NGramLM.generate` does.

        The recurrent cell is stepped one token at a time (``<s>``, the ``context`` words, then
        each drawn word), carrying its state, so each step costs one cell update; each word is
        drawn from ``softmax(logits / temperature)`` until ``</s>`` is drawn (not returned) or
        ``n_words`` words (``max_words`` if ``n_words`` is None) have been produced. With
        ``temperature=1`` the words follow :meth:`distribution` of everything before them.

        Args:
            n_words: Stop after this many words (>= 1), or None to stop at ``</s>`` only.
            seed: Seed of :func:`numpy.random.default_rng` (>= 0): same seed, same words.
            context: Optional words the sentence starts with (a prompt; not returned).
            max_words: Safety limit when ``n_words`` is None (>= 1).
            temperature: Divides the logits (> 0): below 1 sharpens the distribution (towards
                the most likely word), above 1 flattens it (towards uniform).
            allow_unk: Whether ``<unk>`` may be produced (if not, the rest is renormalised).

        Returns:
            The generated words (possibly empty if ``</s>`` comes first).

        Raises:
            TypeError: If an argument has the wrong type.
            ValueError: If a number is out of range or ``context`` holds a reserved token.

        Introduced in: notebooks/03_recurrent_networks.ipynb
        """
        limit = _check_int(max_words, "max_words", 1)
        if n_words is not None:
            limit = _check_int(n_words, "n_words", 1)
        rng = np.random.default_rng(_check_int(seed, "seed", 0))
        temperature = _check_positive_real(temperature, "temperature")
        allow_unk = _check_bool(allow_unk, "allow_unk")
        pending = self._history_ids([] if context is None else context)
        excluded = self._excluded_ids(allow_unk)
        table = self.embeddings  # looked up directly: no padding mask to hand to the cell
        cell = self._model.get_layer("recurrent").cell
        dense = self._model.get_layer("logits")
        states = cell.get_initial_state(batch_size=1)
        words: list[str] = []
        while len(words) < limit:
            for token_id in pending:
                output, states = cell(table[[token_id]], states, training=False)
            logits = np.asarray(ops.convert_to_numpy(dense(output)), np.float64) / temperature
            i = _draw(np.exp(_log_softmax(logits, excluded, None)[0]), rng)
            if i == self._eos_id:
                break
            words.append(self._vocab.tokens[i])
            pending = [i]
        return words

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
        tokens = _check_sentence(sentence, "sentence")
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

        tokens = _check_sentence(context, "context")
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
