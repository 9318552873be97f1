"""Introduced in chapter 2: the Keras models that learn word embeddings.

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

:func:`count_params_table` lists a model's layers with their parameter counts. The language
models of chapters 2-5 are in :mod:`course_utils.models`, which re-exports every name of this
module (``from course_utils.models import cbow_model`` keeps working).

Importing this module imports Keras 3 (``import keras``, with TensorFlow as its backend).

Introduced in: notebooks/02_word_embeddings.ipynb
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import keras
import numpy as np
from keras import ops

from course_utils.validation import check_int, check_positive_real, describe

__all__ = [
    "MaskedMean",
    "cbow_model",
    "count_params_table",
    "fasttext_skipgram_model",
    "skipgram_negative_sampling_model",
    "word_vectors_from_subwords",
]


def _check_name(value: object, name: str) -> str:
    """Return ``value`` if it is a non-empty str (a Keras model name), or raise."""
    if not isinstance(value, str) or not value:
        raise TypeError(f"{name} must be a non-empty str; got {describe(value)}")
    return value


def _compiled(model: keras.Model, learning_rate: float, loss: Any) -> keras.Model:
    """``model`` compiled with Adam at ``learning_rate`` and ``loss``."""
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss=loss)
    return model


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
        self.pad_id = check_int(pad_id, "pad_id", 0)

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
    vocab_size = check_int(vocab_size, "vocab_size", 1)
    dim = check_int(dim, "dim", 1)
    name = _check_name(name, "name")
    learning_rate = check_positive_real(learning_rate, "learning_rate")
    center = keras.Input(shape=(), dtype="int32", name="center")
    contexts = keras.Input(shape=(None,), dtype="int32", name="contexts")
    target_vectors = keras.layers.Embedding(vocab_size, dim, name="target_embedding")(center)
    context_vectors = keras.layers.Embedding(vocab_size, dim, name="context_embedding")(contexts)
    logits = keras.layers.Dot(axes=(2, 1), name="logits")([context_vectors, target_vectors])
    model = keras.Model([center, contexts], logits, name=name)
    return _compiled(model, learning_rate, keras.losses.BinaryCrossentropy(from_logits=True))


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
    vocab_size = check_int(vocab_size, "vocab_size", 1)
    dim = check_int(dim, "dim", 1)
    window = check_int(window, "window", 1)
    pad_id = check_int(pad_id, "pad_id", 0, vocab_size - 1)
    name = _check_name(name, "name")
    learning_rate = check_positive_real(learning_rate, "learning_rate")
    context = keras.Input(shape=(2 * window,), dtype="int32", name="context")
    vectors = keras.layers.Embedding(vocab_size, dim, name="target_embedding")(context)
    mean = MaskedMean(pad_id, name="context_mean")([context, vectors])
    logits = keras.layers.Dense(vocab_size, name="logits")(mean)
    model = keras.Model(context, logits, name=name)
    loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    return _compiled(model, learning_rate, loss)


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
    n_subwords = check_int(n_buckets_plus_words, "n_buckets_plus_words", 2)
    dim = check_int(dim, "dim", 1)
    max_subwords = check_int(max_subwords, "max_subwords", 1)
    n_words = n_subwords
    if n_context_words is not None:
        n_words = check_int(n_context_words, "n_context_words", 1)
    name = _check_name(name, "name")
    learning_rate = check_positive_real(learning_rate, "learning_rate")
    subwords = keras.Input(shape=(max_subwords,), dtype="int32", name="center_subwords")
    contexts = keras.Input(shape=(None,), dtype="int32", name="contexts")
    pieces = keras.layers.Embedding(n_subwords, dim, name="subword_embedding")(subwords)
    center_vector = MaskedMean(0, name="center_vector")([subwords, pieces])
    context_vectors = keras.layers.Embedding(n_words, dim, name="context_embedding")(contexts)
    logits = keras.layers.Dot(axes=(2, 1), name="logits")([context_vectors, center_vector])
    model = keras.Model([subwords, contexts], logits, name=name)
    return _compiled(model, learning_rate, keras.losses.BinaryCrossentropy(from_logits=True))


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
            f"(the subword table); got {describe(model)}"
        )
    if isinstance(subword_id_lists, (str, bytes, bytearray)) or not isinstance(
        subword_id_lists, Iterable
    ):
        raise TypeError(
            "subword_id_lists must be an iterable of sequences of integer subword ids, e.g. "
            f"[[12, 40, 7], [3, 9]]; got {describe(subword_id_lists)}"
        )
    n_rows = table.shape[0]
    vectors: list[np.ndarray] = []
    for i, ids in enumerate(subword_id_lists):
        name = f"subword_id_lists[{i}]"
        if isinstance(ids, (str, bytes, bytearray)):
            raise TypeError(f"{name} must be a sequence of integer ids; got {describe(ids)}")
        array = np.asarray(ids)
        if array.ndim != 1 or (array.size and array.dtype.kind not in "iu"):
            raise TypeError(f"{name} must be a 1-D sequence of integer ids; got {describe(ids)}")
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
        raise TypeError(f"model must be a Keras model; got {describe(model)}")
    rows: list[tuple[str, str, int]] = []
    for layer in model.layers:
        try:
            shape = str(keras.tree.map_structure(lambda t: tuple(t.shape), layer.output))
        except (AttributeError, ValueError):
            shape = "?"
        rows.append((layer.name, shape, int(layer.count_params())))
    return rows
