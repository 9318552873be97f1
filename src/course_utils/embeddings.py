"""Word embeddings in NumPy (chapter 2): examples, negative sampling, similarity and subwords.

Everything a word-embedding chapter needs *around* the Keras models (which live in
:mod:`course_utils.models`), written in plain NumPy so that each step can be printed and checked:

* **Training examples.** :func:`skipgram_pairs` turns a sentence of ids into the (center,
  context) pairs of the skip-gram model, optionally with word2vec's *dynamic window*;
  :func:`cbow_windows` turns it into the (context window, center) examples of CBOW, the seed
  note's P(w_c | w_{c-2}, w_{c-1}, w_{c+1}, w_{c+2}). The ``*_corpus`` variants concatenate the
  examples of many sentences and never let a window cross a sentence boundary.
* **Negative sampling.** :class:`NegativeSampler` draws "noise" words from the unigram
  distribution raised to the power 3/4 (Mikolov et al. 2013).
* **Inspecting embeddings.** :func:`cosine_similarity`, :func:`similarity_matrix`,
  :func:`nearest_neighbours`, :func:`analogy` (3CosAdd), :func:`class_cosine_summary` (do the
  words of a class, e.g. the synonyms 엄청/매우/무지, cluster?) and :func:`pca_2d` (a
  reproducible 2-D map).
* **fastText subwords.** :func:`subword_ngrams` gives the character n-grams of ``<word>``
  (Bojanowski et al. 2017), on characters or on Korean jamo; :func:`subword_hash` is fastText's
  FNV-1a bucket hash and :func:`subword_ids` combines the two.

Conventions shared by the functions:

* Ids are non-negative integers; a "sentence" is a 1-D sequence of ids (a list or a NumPy
  array) holding no padding. Padding exists only in the *output* of :func:`cbow_windows`.
* An embedding matrix has one row per token: row ``i`` is the vector of ``vocab_tokens[i]``
  (for a :class:`~course_utils.text.Vocabulary`, ``vocab_tokens=vocab.tokens``, specials
  included, and ``embeddings=layer.get_weights()[0]`` of a Keras ``Embedding``).
* The cosine similarity of a zero vector with anything is defined as 0.

This module imports NumPy only (no TensorFlow).

Introduced in: notebooks/02_word_embeddings.ipynb
"""

from __future__ import annotations

import difflib
import math
import operator
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, Final, Literal, overload

import numpy as np
import numpy.typing as npt

from course_utils.text import to_jamo
from course_utils.validation import (
    check_bool,
    check_int,
    check_real,
    check_real_array,
    check_rng,
    check_str,
    describe,
    is_iterable,
)

__all__ = [
    "NegativeSampler",
    "analogy",
    "cbow_windows",
    "cbow_windows_corpus",
    "class_cosine_summary",
    "cosine_similarity",
    "nearest_neighbours",
    "pca_2d",
    "similarity_matrix",
    "skipgram_pairs",
    "skipgram_pairs_corpus",
    "subword_hash",
    "subword_ids",
    "subword_ngrams",
]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

# FNV-1a, 32 bits (Fowler, Noll and Vo): the offset basis and the prime used by fastText.
_FNV_OFFSET_BASIS: Final[int] = 2166136261
_FNV_PRIME: Final[int] = 16777619
_UINT32_MASK: Final[int] = 0xFFFFFFFF

_UNITS: Final[tuple[str, ...]] = ("char", "jamo")

# NegativeSampler.sample draws and looks up its uniform numbers in blocks of this many.
_SAMPLE_BLOCK: Final[int] = 2**20


# ---------------------------------------------------------------------------------------------
# Argument checking
# ---------------------------------------------------------------------------------------------


def _check_ids(ids: object, name: str = "ids") -> IntArray:
    """Return ``ids`` as a 1-D int64 array of non-negative ids, or raise naming ``name``."""
    expected = f"{name} must be a 1-D sequence of non-negative integer ids (a list or an array)"
    if isinstance(ids, (str, bytes, bytearray, Mapping)):
        raise TypeError(f"{expected}; got {type(ids).__name__}")
    if isinstance(ids, np.ndarray):
        if ids.ndim != 1:
            raise ValueError(f"{expected}; got an array of shape {ids.shape}")
        if ids.size and (ids.dtype == np.bool_ or ids.dtype.kind not in "iu"):
            raise TypeError(f"{expected}; got an array of dtype {ids.dtype}")
        array = ids.astype(np.int64)
    else:
        if not isinstance(ids, Iterable):
            raise TypeError(f"{expected}; got {describe(ids)}")
        items = list(ids)
        for i, value in enumerate(items):
            if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
                raise TypeError(f"{name}[{i}] must be an integer id; got {describe(value)}")
        array = np.array(items, dtype=np.int64)
    negative = np.flatnonzero(array < 0)
    if negative.size:
        i = int(negative[0])
        raise ValueError(f"{name}[{i}] must be a non-negative id; got {int(array[i])}")
    return array


def _iter_sentences_ids(sentences_ids: object, name: str = "sentences_ids") -> Iterator[IntArray]:
    """Yield each sentence of ``sentences_ids`` as a checked 1-D int64 array."""
    if not is_iterable(sentences_ids):
        raise TypeError(
            f"{name} must be an iterable of sentences, each a 1-D sequence of integer ids, "
            f"e.g. [[4, 9, 5], [4, 7]]; got {type(sentences_ids).__name__}"
        )
    for i, sentence in enumerate(sentences_ids):
        yield _check_ids(sentence, f"{name}[{i}]")


def _check_matrix(
    value: object, name: str, *, ndims: tuple[int, ...] = (2,), min_rows: int = 1
) -> FloatArray:
    """Return ``value`` as a finite float64 array with ``ndim`` in ``ndims``, or raise."""
    dims = " or ".join(f"{d}-D" for d in ndims)
    expected = f"{name} must be a {dims} array of real numbers"
    array = check_real_array(value, expected)
    if array.ndim not in ndims:
        raise ValueError(f"{expected}; got shape {array.shape}")
    if array.shape[-1] < 1:
        raise ValueError(f"{expected} with at least one column (dimension); got {array.shape}")
    if array.ndim == 2 and array.shape[0] < min_rows:
        raise ValueError(f"{expected} with at least {min_rows} row(s); got shape {array.shape}")
    array = array.astype(np.float64)
    if not np.isfinite(array).all():
        raise ValueError(f"{name} must hold finite numbers only; got NaN or infinity")
    return array


def _check_vocab_tokens(vocab_tokens: object, n_rows: int) -> tuple[list[str], dict[str, int]]:
    """Check ``vocab_tokens`` against an embedding matrix with ``n_rows`` rows."""
    if not is_iterable(vocab_tokens):
        raise TypeError(
            "vocab_tokens must be a sequence of str tokens in row order (e.g. vocab.tokens); "
            f"got {type(vocab_tokens).__name__}"
        )
    tokens = list(vocab_tokens)
    if not tokens:
        raise ValueError(
            "vocab_tokens is empty; expected one token per row of the embedding matrix"
        )
    index: dict[str, int] = {}
    for i, token in enumerate(tokens):
        if not isinstance(token, str):
            raise TypeError(f"vocab_tokens[{i}] must be a str; got {describe(token)}")
        if token in index:
            raise ValueError(
                f"vocab_tokens[{i}] is {token!r}, a repeat of vocab_tokens[{index[token]}]; "
                "expected unique tokens"
            )
        index[token] = i
    if len(tokens) != n_rows:
        raise ValueError(
            f"embeddings has {n_rows} rows but vocab_tokens has {len(tokens)} tokens; "
            "expected one row per token (row i is the vector of vocab_tokens[i])"
        )
    return tokens, index


def _unknown_word_message(word: str, index: Mapping[str, int], name: str) -> str:
    """The message for a word outside the vocabulary, with close matches from difflib."""
    close = difflib.get_close_matches(word, list(index), n=3, cutoff=0.5)
    hint = f"; did you mean {close}?" if close else "; no close match either"
    return f"{name}={word!r} is not in vocab_tokens ({len(index)} tokens){hint}"


def _lookup(word: object, index: Mapping[str, int], name: str) -> int:
    """The row of ``word``, or a TypeError/ValueError naming ``name`` with close matches."""
    word = check_str(word, name)
    if word not in index:
        raise ValueError(_unknown_word_message(word, index, name))
    return index[word]


def _check_exclude_tokens(exclude: object, index: Mapping[str, int]) -> list[int]:
    """The rows of the tokens in ``exclude`` (an iterable of str), each checked."""
    if not is_iterable(exclude):
        raise TypeError(
            "exclude must be an iterable of str tokens, e.g. vocab.specials; "
            f"got {type(exclude).__name__}"
        )
    return [_lookup(token, index, f"exclude[{i}]") for i, token in enumerate(exclude)]


def _unit_rows(matrix: FloatArray) -> FloatArray:
    """Scale every vector along the last axis to length 1; zero vectors stay zero."""
    scale = np.max(np.abs(matrix), axis=-1, keepdims=True)  # avoids overflow in the norm
    scaled = np.divide(matrix, scale, out=np.zeros_like(matrix), where=scale > 0)
    norms = np.linalg.norm(scaled, axis=-1, keepdims=True)
    return np.divide(scaled, norms, out=np.zeros_like(scaled), where=norms > 0)


def _check_window(window: object) -> int:
    return check_int(window, "window", 1)


# ---------------------------------------------------------------------------------------------
# Training examples: skip-gram pairs and CBOW windows
# ---------------------------------------------------------------------------------------------


def skipgram_pairs(
    ids: Sequence[int] | npt.NDArray[np.integer[Any]],
    window: int,
    *,
    rng: np.random.Generator | None = None,
    dynamic_window: bool = False,
) -> IntArray:
    """The (center, context) id pairs of the skip-gram model for one sentence.

    For every position ``i`` of the sentence (the *center*), every position ``j`` with
    ``1 <= |i - j| <= r_i`` inside the sentence is a *context*, where the radius ``r_i`` is
    ``window``. Pairs are listed center by center (in sentence order), and for each center
    from the leftmost context to the rightmost. A sentence of length ``L`` has
    ``sum_i (min(i, r_i) + min(L - 1 - i, r_i))`` pairs: ``2 * window`` per center far from
    the edges, fewer near them, none at all for ``L <= 1``.

    With ``dynamic_window=True`` (word2vec's trick, Mikolov et al. 2013) every center draws
    its own radius ``r_i`` uniformly from ``1 .. window``, so that a context at distance ``d``
    is kept with probability ``(window - d + 1) / window``: near words weigh more. The radii
    are drawn in one call, ``rng.integers(1, window + 1, size=len(ids))``, one per position in
    order, so a generator seeded the same way reproduces them.

    Args:
        ids: The sentence as token ids (a list or a 1-D integer array), without padding.
        window: The (largest) radius, an integer >= 1; it may exceed the sentence's length.
        rng: A ``numpy.random.Generator``; required with ``dynamic_window=True``, and only
            allowed then.
        dynamic_window: Draw each center's radius uniformly in ``1 .. window``.

    Returns:
        An int64 array of shape ``(n_pairs, 2)``: column 0 the center ids, column 1 the
        context ids.

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If ``window < 1``, an id is negative, or ``rng`` is missing with
            ``dynamic_window=True`` or given without it.

    Example:
        >>> skipgram_pairs([10, 11, 12], window=1).tolist()
        [[10, 11], [11, 10], [11, 12], [12, 11]]
        >>> skipgram_pairs([10, 11, 12], window=5).shape  # every other word is a context
        (6, 2)
        >>> rng = np.random.default_rng(0)
        >>> skipgram_pairs([10, 11, 12, 13], 2, rng=rng, dynamic_window=True).shape
        (9, 2)

    Introduced in: notebooks/02_word_embeddings.ipynb
    """
    array = _check_ids(ids)
    window = _check_window(window)
    generator = _check_rng_use(rng, check_bool(dynamic_window, "dynamic_window"))
    return _skipgram_pairs(array, window, _radii(array.size, window, generator))


def _check_rng_use(rng: object, dynamic_window: bool) -> np.random.Generator | None:
    """Check that ``rng`` is given exactly when ``dynamic_window`` is True."""
    if dynamic_window:
        if rng is None:
            raise ValueError(
                "rng is required with dynamic_window=True (the radii are random); "
                "pass e.g. rng=np.random.default_rng(0)"
            )
        return check_rng(rng)
    if rng is not None:
        raise ValueError(
            "rng is only used with dynamic_window=True; pass dynamic_window=True to draw "
            "random radii, or leave rng out"
        )
    return None


def _radii(n: int, window: int, rng: np.random.Generator | None) -> IntArray:
    """The radius of each of ``n`` centers: drawn uniformly in ``1 .. window`` if ``rng``."""
    if rng is None:
        return np.full(n, window, dtype=np.int64)
    return rng.integers(1, window + 1, size=n, dtype=np.int64)


def _skipgram_pairs(array: IntArray, window: int, radii: IntArray) -> IntArray:
    """Body of :func:`skipgram_pairs` for checked arguments: vectorised over positions."""
    n = array.size
    reach = min(window, max(n - 1, 0))  # offsets beyond the sentence never give a pair
    if reach == 0:
        return np.empty((0, 2), dtype=np.int64)
    offsets = np.concatenate([np.arange(-reach, 0), np.arange(1, reach + 1)])
    positions = np.arange(n)[:, None] + offsets[None, :]  # (n, 2 * reach), row-major order
    keep = (positions >= 0) & (positions < n) & (np.abs(offsets)[None, :] <= radii[:, None])
    centers = np.broadcast_to(array[:, None], positions.shape)[keep]
    contexts = array[positions[keep]]
    return np.stack([centers, contexts], axis=1).astype(np.int64, copy=False)


def skipgram_pairs_corpus(
    sentences_ids: Iterable[Sequence[int] | npt.NDArray[np.integer[Any]]],
    window: int,
    *,
    rng: np.random.Generator | None = None,
    dynamic_window: bool = False,
) -> IntArray:
    """The skip-gram pairs of many sentences, concatenated; no window crosses a sentence.

    Equal to ``np.concatenate([skipgram_pairs(s, window, ...) for s in sentences_ids])``:
    each sentence is treated on its own, so the last word of one sentence is never a context
    of the first word of the next. With ``dynamic_window=True`` the radii are drawn from the
    one ``rng`` sentence after sentence, exactly as successive :func:`skipgram_pairs` calls
    would draw them.

    Args:
        sentences_ids: Sentences, each a 1-D sequence of ids without padding.
        window: The (largest) radius, an integer >= 1.
        rng: A ``numpy.random.Generator``; required with ``dynamic_window=True`` only.
        dynamic_window: Draw each center's radius uniformly in ``1 .. window``.

    Returns:
        An int64 array of shape ``(n_pairs, 2)`` of (center, context) ids.

    Raises:
        TypeError: If an argument has the wrong type (the message names the sentence).
        ValueError: As :func:`skipgram_pairs`.

    Example:
        >>> skipgram_pairs_corpus([[1, 2], [3, 4]], window=2).tolist()
        [[1, 2], [2, 1], [3, 4], [4, 3]]

    Introduced in: notebooks/02_word_embeddings.ipynb
    """
    window = _check_window(window)
    generator = _check_rng_use(rng, check_bool(dynamic_window, "dynamic_window"))
    chunks = [
        _skipgram_pairs(array, window, _radii(array.size, window, generator))
        for array in _iter_sentences_ids(sentences_ids)
    ]
    if not chunks:
        return np.empty((0, 2), dtype=np.int64)
    return np.concatenate(chunks, axis=0)


def cbow_windows(
    ids: Sequence[int] | npt.NDArray[np.integer[Any]], window: int, *, pad_id: int = 0
) -> tuple[IntArray, IntArray]:
    """The (context window, center) examples of CBOW for one sentence, padded at the edges.

    For every position ``c`` of the sentence, the context is the ``2 * window`` ids at
    positions ``c - window, ..., c - 1`` then ``c + 1, ..., c + window`` (left to right, the
    center left out), and the target is the id at ``c``. Positions outside the sentence give
    ``pad_id``. With ``window=2`` a row is the seed note's conditional
    P(w_c | w_{c-2}, w_{c-1}, w_{c+1}, w_{c+2}). Every position is a center, even one whose
    context is all padding (a sentence of one word): a model should ignore the padding, e.g.
    with ``Embedding(mask_zero=True)`` and a masked average.

    Args:
        ids: The sentence as token ids (a list or a 1-D integer array), without padding.
        window: The number of context words on each side, an integer >= 1.
        pad_id: The id written beyond the sentence's edges, an integer >= 0 that the sentence
            must not contain (``0``, the ``<pad>`` id of :class:`~course_utils.text.Vocabulary`).

    Returns:
        ``(contexts, centers)``: int64 arrays of shapes ``(len(ids), 2 * window)`` and
        ``(len(ids),)``.

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If ``window < 1``, an id is negative, or the sentence contains ``pad_id``.

    Example:
        >>> contexts, centers = cbow_windows([5, 6, 7, 8], window=2)
        >>> contexts.tolist()
        [[0, 0, 6, 7], [0, 5, 7, 8], [5, 6, 8, 0], [6, 7, 0, 0]]
        >>> centers.tolist()
        [5, 6, 7, 8]

    Introduced in: notebooks/02_word_embeddings.ipynb
    """
    array = _check_ids(ids)
    window = _check_window(window)
    pad_id = check_int(pad_id, "pad_id", 0)
    return _cbow_windows(array, window, pad_id, "ids")


def _cbow_windows(
    array: IntArray, window: int, pad_id: int, name: str
) -> tuple[IntArray, IntArray]:
    """Body of :func:`cbow_windows` for checked arguments: vectorised over positions."""
    clash = np.flatnonzero(array == pad_id)
    if clash.size:
        raise ValueError(
            f"{name}[{int(clash[0])}] is {pad_id}, the pad_id; expected a sentence without "
            "padding (strip it first), or pass a pad_id that no real token uses"
        )
    n = array.size
    if n == 0:
        return np.empty((0, 2 * window), dtype=np.int64), np.empty(0, dtype=np.int64)
    offsets = np.concatenate([np.arange(-window, 0), np.arange(1, window + 1)])
    positions = np.arange(n)[:, None] + offsets[None, :]
    inside = (positions >= 0) & (positions < n)
    contexts = np.where(inside, array[np.clip(positions, 0, n - 1)], pad_id)
    return contexts.astype(np.int64, copy=False), array.copy()


def cbow_windows_corpus(
    sentences_ids: Iterable[Sequence[int] | npt.NDArray[np.integer[Any]]],
    window: int,
    *,
    pad_id: int = 0,
) -> tuple[IntArray, IntArray]:
    """The CBOW examples of many sentences, concatenated; no window crosses a sentence.

    Equal to concatenating :func:`cbow_windows` over the sentences: the context of a word
    near the end of one sentence is padded with ``pad_id``, never filled with the next
    sentence's words.

    Args:
        sentences_ids: Sentences, each a 1-D sequence of ids without padding.
        window: The number of context words on each side, an integer >= 1.
        pad_id: The id written beyond the sentences' edges (an integer >= 0 no sentence holds).

    Returns:
        ``(contexts, centers)``: int64 arrays of shapes ``(n_tokens, 2 * window)`` and
        ``(n_tokens,)``, ``n_tokens`` the total length of the sentences.

    Raises:
        TypeError: If an argument has the wrong type (the message names the sentence).
        ValueError: As :func:`cbow_windows`.

    Example:
        >>> contexts, centers = cbow_windows_corpus([[5, 6], [7]], window=1)
        >>> contexts.tolist(), centers.tolist()
        ([[0, 6], [5, 0], [0, 0]], [5, 6, 7])

    Introduced in: notebooks/02_word_embeddings.ipynb
    """
    window = _check_window(window)
    pad_id = check_int(pad_id, "pad_id", 0)
    contexts: list[IntArray] = [np.empty((0, 2 * window), dtype=np.int64)]
    centers: list[IntArray] = [np.empty(0, dtype=np.int64)]
    for i, array in enumerate(_iter_sentences_ids(sentences_ids)):
        context, center = _cbow_windows(array, window, pad_id, f"sentences_ids[{i}]")
        contexts.append(context)
        centers.append(center)
    return np.concatenate(contexts, axis=0), np.concatenate(centers)


# ---------------------------------------------------------------------------------------------
# Negative sampling
# ---------------------------------------------------------------------------------------------


class NegativeSampler:
    """Draw negative ("noise") word ids from the unigram distribution raised to a power.

    Word2vec's negative sampling (Mikolov et al. 2013) contrasts each true (center, context)
    pair with a few random words drawn from

        P(w) = c(w) ** power / sum_v c(v) ** power,

    where ``c(w)`` is the training count of ``w``. ``power=1`` is the unigram distribution,
    ``power=0`` the uniform one, and the paper's ``power=0.75`` sits in between: frequent words
    are drawn less often than their frequency, rare words more often. Ids with count 0 and ids
    in ``exclude`` (padding, ``<s>``, ...) have probability exactly 0 and are never drawn.

    As in word2vec, a negative may happen to equal the true context; the sampler does not
    reject it.

    Args:
        counts: The count of each id: a sequence indexed by id (``counts[i]`` is the count of id
            ``i``), or a mapping ``id -> count`` (ids missing from it count 0; the vocabulary
            size is then the largest id + 1). Counts are non-negative real numbers. For a
            :class:`~course_utils.text.Vocabulary`: ``[vocab.counts[t] for t in vocab.tokens]``.
        power: The exponent, a finite real number (0.75 in word2vec).
        exclude: Ids that must never be drawn, e.g. ``[vocab.pad_id, vocab.bos_id]``.

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If ``counts`` is empty or has a negative or non-finite count, an excluded
            id is out of range, or no id is left with a positive probability.

    Example:
        >>> sampler = NegativeSampler([0, 1, 16, 81], power=0.75)
        >>> (sampler.probs * 36).round(6).tolist()  # 0, 1, 16**0.75 = 8, 81**0.75 = 27
        [0.0, 1.0, 8.0, 27.0]
        >>> sampler.sample((2, 3), np.random.default_rng(0)).shape
        (2, 3)

    Introduced in: notebooks/02_word_embeddings.ipynb
    """

    def __init__(
        self,
        counts: Sequence[float] | Mapping[int, float] | npt.NDArray[Any],
        *,
        power: float = 0.75,
        exclude: Iterable[int] = (),
    ) -> None:
        weights = self._check_counts(counts)
        self._power = check_real(power, "power")
        self._exclude = self._check_exclude(exclude, weights.size)
        keep = weights > 0
        keep[list(self._exclude)] = False
        if not keep.any():
            raise ValueError(
                "no id is left to sample: every id has count 0 or is excluded; expected at "
                "least one id with a positive count outside exclude"
            )
        # c ** power computed as exp(power * log c - max), which cannot overflow.
        log_weights = self._power * np.log(weights[keep])
        scaled = np.exp(log_weights - log_weights.max())
        probs = np.zeros(weights.size, dtype=np.float64)
        probs[keep] = scaled / scaled.sum()
        probs.flags.writeable = False
        self._probs = probs
        # Cumulative table for inverse-CDF sampling. The entries from the last id with a
        # positive probability on are set to exactly 1.0, so that every u in [0, 1) maps to an
        # id with positive probability despite rounding in the cumulative sum.
        cdf = np.cumsum(probs)
        cdf[int(np.flatnonzero(keep)[-1]) :] = 1.0
        self._cdf = cdf

    @staticmethod
    def _check_counts(counts: object) -> FloatArray:
        """Return the counts as a float64 array indexed by id, or raise naming ``counts``."""
        if isinstance(counts, Mapping):
            items = list(counts.items())
            if not items:
                raise ValueError("counts is empty; expected the count of at least one id")
            for key, _ in items:
                if isinstance(key, str):
                    raise TypeError(
                        f"counts must map integer ids to counts; got the str key {key!r}. "
                        "For a Vocabulary pass [vocab.counts[t] for t in vocab.tokens]"
                    )
                check_int(key, "each key of counts (an id)", 0)
            size = max(operator.index(key) for key, _ in items) + 1
            values: list[object] = [0] * size
            for key, value in items:
                values[operator.index(key)] = value
            names = {operator.index(key): f"counts[{key!r}]" for key, _ in items}
        elif isinstance(counts, (str, bytes, bytearray)) or not isinstance(
            counts, (Sequence, np.ndarray)
        ):
            raise TypeError(
                "counts must be a sequence of counts indexed by id, or a mapping id -> count; "
                f"got {type(counts).__name__}"
            )
        else:
            if isinstance(counts, np.ndarray) and counts.ndim != 1:
                raise ValueError(f"counts must be 1-D; got an array of shape {counts.shape}")
            values = list(counts)
            if not values:
                raise ValueError("counts is empty; expected the count of at least one id")
            names = {i: f"counts[{i}]" for i in range(len(values))}
        weights = np.empty(len(values), dtype=np.float64)
        for i, value in enumerate(values):
            name = names.get(i, f"counts[{i}]")
            weights[i] = check_real(value, name)
            if weights[i] < 0:
                raise ValueError(f"{name} must be a count >= 0; got {value!r}")
        return weights

    @staticmethod
    def _check_exclude(exclude: object, size: int) -> tuple[int, ...]:
        """Return the excluded ids, sorted and unique, each checked to be in range."""
        if not is_iterable(exclude):
            raise TypeError(
                f"exclude must be an iterable of integer ids; got {type(exclude).__name__}"
            )
        result: set[int] = set()
        for i, value in enumerate(exclude):
            token_id = check_int(value, f"exclude[{i}]", 0)
            if token_id >= size:
                raise ValueError(
                    f"exclude[{i}] is {token_id}, outside the {size} ids of counts "
                    f"(expected 0 .. {size - 1})"
                )
            result.add(token_id)
        return tuple(sorted(result))

    @property
    def probs(self) -> FloatArray:
        """The sampling probability of each id (read-only, sums to 1, 0 for excluded ids).

        Introduced in: notebooks/02_word_embeddings.ipynb
        """
        return self._probs

    @property
    def power(self) -> float:
        """The exponent applied to the counts.

        Introduced in: notebooks/02_word_embeddings.ipynb
        """
        return self._power

    @property
    def exclude(self) -> tuple[int, ...]:
        """The excluded ids, sorted.

        Introduced in: notebooks/02_word_embeddings.ipynb
        """
        return self._exclude

    def __len__(self) -> int:
        """The number of ids (the length of :attr:`probs`), excluded ids included.

        Introduced in: notebooks/02_word_embeddings.ipynb
        """
        return int(self._probs.size)

    def __repr__(self) -> str:
        """``NegativeSampler(size=..., power=..., exclude=...)``.

        Introduced in: notebooks/02_word_embeddings.ipynb
        """
        return (
            f"NegativeSampler(size={len(self)}, power={self._power!r}, exclude={self._exclude!r})"
        )

    def sample(
        self,
        shape: int | tuple[int, ...],
        rng: np.random.Generator,
        *,
        dtype: npt.DTypeLike = np.int64,
    ) -> npt.NDArray[np.integer[Any]]:
        """Draw ids independently from :attr:`probs`.

        Vectorised inverse-CDF sampling: ``shape`` uniform numbers in [0, 1) from ``rng``,
        looked up in the cumulative table with ``np.searchsorted``.

        The uniform numbers are drawn and looked up in blocks of at most 2**20, in order, and
        written straight into the result: the same ids as one draw of ``shape`` numbers (a
        generator draws the same stream either way), without a temporary as large as the
        result. ``dtype="int32"`` halves the result's memory.

        Args:
            shape: The shape of the result: an integer >= 0 or a tuple of them, e.g.
                ``(batch_size, n_negatives)``.
            rng: A ``numpy.random.Generator``.
            dtype: The integer type of the result (default int64); it must hold every id,
                ``0 .. len(self) - 1``.

        Returns:
            An array of ids with the given shape, of type ``dtype`` (int64 by default).

        Raises:
            TypeError: If ``shape``, ``rng`` or ``dtype`` has the wrong type (``dtype`` not an
                integer type).
            ValueError: If a dimension of ``shape`` is negative, or ``dtype`` cannot hold
                the largest id.

        Example:
            >>> NegativeSampler([0, 3, 0], power=1.0).sample(4, np.random.default_rng(1)).tolist()
            [1, 1, 1, 1]
            >>> sampler = NegativeSampler([5, 3, 2])
            >>> sampler.sample((2, 3), np.random.default_rng(0), dtype="int32").dtype
            dtype('int32')

        Introduced in: notebooks/02_word_embeddings.ipynb
        """
        if isinstance(shape, (tuple, list)):
            dims = tuple(check_int(d, f"shape[{i}]", 0) for i, d in enumerate(shape))
        else:
            dims = (check_int(shape, "shape", 0),)
        generator = check_rng(rng)
        out_dtype = self._check_dtype(dtype)
        out = np.empty(dims, dtype=out_dtype)
        flat = out.reshape(-1)  # a view: a new array is contiguous
        for start in range(0, flat.size, _SAMPLE_BLOCK):
            uniform = generator.random(min(_SAMPLE_BLOCK, flat.size - start))
            ids = np.searchsorted(self._cdf, uniform, side="right")
            flat[start : start + uniform.size] = ids
        return out

    def _check_dtype(self, dtype: object) -> np.dtype[Any]:
        """Return ``dtype`` as an integer NumPy dtype that holds every id, or raise."""
        try:
            result = np.dtype(dtype)  # type: ignore[call-overload]
        except TypeError:
            result = None
        if result is None or result.kind not in "iu":
            raise TypeError(
                f"dtype must be an integer NumPy type such as 'int32' or np.int64; got {dtype!r}"
            )
        if np.iinfo(result).max < len(self) - 1:
            raise ValueError(
                f"dtype {result.name} cannot hold the largest id {len(self) - 1}; "
                "expected a wider integer type, e.g. 'int64'"
            )
        return result


# ---------------------------------------------------------------------------------------------
# Similarity, neighbours, analogies
# ---------------------------------------------------------------------------------------------


def cosine_similarity(a: npt.ArrayLike, b: npt.ArrayLike) -> float | FloatArray:
    """Cosine similarity ``a . b / (|a| |b|)`` between vectors, or between the rows of matrices.

    ==========  ==========  ======================================
    ``a``       ``b``       result
    ==========  ==========  ======================================
    ``(d,)``    ``(d,)``    a float
    ``(m, d)``  ``(d,)``    shape ``(m,)``: each row of ``a`` with ``b``
    ``(d,)``    ``(n, d)``  shape ``(n,)``
    ``(m, d)``  ``(n, d)``  shape ``(m, n)``: entry ``[i, j]`` is rows ``a[i]``, ``b[j]``
    ==========  ==========  ======================================

    Results are clipped to [-1, 1]. The cosine of a zero vector with anything is 0 (it has no
    direction), so an all-zero padding row does not raise.

    Args:
        a: A vector or a matrix whose rows are vectors.
        b: A vector or a matrix whose rows are vectors, of the same dimension ``d``.

    Returns:
        A float for two vectors, else an array as in the table.

    Raises:
        TypeError: If an argument is not numeric.
        ValueError: If an argument is not 1-D or 2-D, holds NaN or infinity, or the dimensions
            differ.

    Example:
        >>> cosine_similarity([1.0, 0.0], [1.0, 1.0])  # 45 degrees
        0.7071067811865475
        >>> cosine_similarity([[1, 0], [0, 2]], [[3, 0], [1, 1], [0, 0]]).round(3).tolist()
        [[1.0, 0.707, 0.0], [0.0, 0.707, 0.0]]

    Introduced in: notebooks/02_word_embeddings.ipynb
    """
    first = _check_matrix(a, "a", ndims=(1, 2), min_rows=0)
    second = _check_matrix(b, "b", ndims=(1, 2), min_rows=0)
    if first.shape[-1] != second.shape[-1]:
        raise ValueError(
            f"a and b must have the same dimension (last axis); got a of shape {first.shape} "
            f"and b of shape {second.shape}"
        )
    result = np.clip(_unit_rows(first) @ _unit_rows(second).T, -1.0, 1.0)
    if result.ndim == 0:
        return float(result)
    return result


def similarity_matrix(embeddings: npt.ArrayLike) -> FloatArray:
    """The cosine similarity of every pair of rows: an ``(n, n)`` symmetric matrix.

    Entry ``[i, j]`` is ``cosine_similarity(embeddings[i], embeddings[j])``. The diagonal is
    exactly 1, except for all-zero rows, whose similarities are all 0.

    Args:
        embeddings: An ``(n, d)`` matrix, one vector per row.

    Returns:
        A float64 array of shape ``(n, n)``.

    Raises:
        TypeError: If ``embeddings`` is not numeric.
        ValueError: If it is not a 2-D array with at least one row, or holds NaN or infinity.

    Example:
        >>> similarity_matrix([[1, 0], [1, 1], [0, 0]]).round(3).tolist()
        [[1.0, 0.707, 0.0], [0.707, 1.0, 0.0], [0.0, 0.0, 0.0]]

    Introduced in: notebooks/02_word_embeddings.ipynb
    """
    matrix = _check_matrix(embeddings, "embeddings")
    unit = _unit_rows(matrix)
    result = np.clip(unit @ unit.T, -1.0, 1.0)
    result = (result + result.T) / 2.0  # exactly symmetric whatever the BLAS does
    nonzero = np.flatnonzero(np.any(matrix != 0, axis=1))
    result[nonzero, nonzero] = 1.0
    return result


def _ranked(
    scores: FloatArray, tokens: Sequence[str], candidates: npt.NDArray[np.bool_], k: int
) -> list[tuple[str, float]]:
    """The ``k`` best candidates by decreasing score, ties broken by row (token) order."""
    rows = np.flatnonzero(candidates)
    order = np.lexsort((rows, -scores[rows]))  # last key is the primary key
    return [(tokens[int(rows[i])], float(scores[rows[i]])) for i in order[:k]]


def nearest_neighbours(
    embeddings: npt.ArrayLike,
    vocab_tokens: Sequence[str],
    word: str,
    k: int = 5,
    *,
    exclude_self: bool = True,
    exclude: Iterable[str] = (),
) -> list[tuple[str, float]]:
    """The ``k`` words whose vectors have the largest cosine similarity with ``word``'s.

    Ties (equal cosines) are broken by token order: the token with the smaller row comes first,
    so the result is deterministic. If fewer than ``k`` candidates exist, all are returned.

    Args:
        embeddings: An ``(n, d)`` matrix; row ``i`` is the vector of ``vocab_tokens[i]``.
        vocab_tokens: The ``n`` tokens in row order, unique (e.g. ``vocab.tokens``).
        word: The query word, one of ``vocab_tokens``.
        k: How many neighbours, an integer >= 1.
        exclude_self: Leave ``word`` itself out (its cosine with itself is 1).
        exclude: Tokens never returned, e.g. ``vocab.specials`` (``<pad>``, ``<unk>``, ...).

    Returns:
        Up to ``k`` pairs ``(token, cosine)``, most similar first.

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If the shapes disagree, tokens repeat, ``k < 1``, or ``word`` (or a token
            of ``exclude``) is not in ``vocab_tokens`` (the message suggests close matches).

    Example:
        >>> vectors = np.array([[1.0, 0.0], [0.9, 0.1], [0.0, 1.0], [1.0, 0.1]])
        >>> words = ["엄청", "매우", "배가", "무지"]
        >>> nearest_neighbours(vectors, words, "엄청", k=2)  # doctest: +ELLIPSIS
        [('무지', 0.995...), ('매우', 0.993...)]

    Introduced in: notebooks/02_word_embeddings.ipynb
    """
    matrix = _check_matrix(embeddings, "embeddings")
    tokens, index = _check_vocab_tokens(vocab_tokens, matrix.shape[0])
    row = _lookup(word, index, "word")
    k = check_int(k, "k", 1)
    exclude_self = check_bool(exclude_self, "exclude_self")
    candidates = np.ones(len(tokens), dtype=bool)
    candidates[_check_exclude_tokens(exclude, index)] = False
    if exclude_self:
        candidates[row] = False
    unit = _unit_rows(matrix)
    scores = np.clip(unit @ unit[row], -1.0, 1.0)
    return _ranked(scores, tokens, candidates, k)


def analogy(
    embeddings: npt.ArrayLike,
    vocab_tokens: Sequence[str],
    a: str,
    b: str,
    c: str,
    k: int = 1,
    *,
    exclude: Iterable[str] = (),
) -> list[tuple[str, float]]:
    """Solve the analogy ``a : b :: c : ?`` with 3CosAdd (vector offsets).

    Mikolov, Yih & Zweig (2013), *Linguistic Regularities in Continuous Space Word
    Representations*, answer "``a`` is to ``b`` as ``c`` is to ?" with the word ``d`` whose
    vector is closest, by cosine, to ``y = b - a + c`` (e.g. king - man + woman ~ queen), the
    three question words themselves excluded (Mikolov et al. 2013, *Efficient Estimation of
    Word Representations in Vector Space*). As in word2vec's own tool and in gensim's
    ``most_similar(positive=[b, c], negative=[a])``, every vector is first scaled to unit
    length, so the score is

        cos(d, y) with y = u_b - u_a + u_c, u_w = w / |w|,

    whose ranking is that of ``cos(d, b) - cos(d, a) + cos(d, c)``: the name 3CosAdd is Levy
    & Goldberg's (2014). Ties are broken by token order.

    Args:
        embeddings: An ``(n, d)`` matrix; row ``i`` is the vector of ``vocab_tokens[i]``.
        vocab_tokens: The ``n`` tokens in row order, unique (e.g. ``vocab.tokens``).
        a: The first word of the known pair.
        b: The second word of the known pair.
        c: The first word of the question pair.
        k: How many answers, an integer >= 1.
        exclude: Further tokens never returned, e.g. ``vocab.specials``.

    Returns:
        Up to ``k`` pairs ``(token, cosine with y)``, best first; never ``a``, ``b`` or ``c``.

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If the shapes disagree, tokens repeat, ``k < 1``, or a query word is not in
            ``vocab_tokens`` (the message suggests close matches).

    Example:
        >>> words = ["man", "woman", "king", "queen", "apple"]
        >>> vectors = np.array([[1, 0, 0], [1, 1, 0], [1, 0, 1], [1, 1, 1], [0, 0, 1.0]])
        >>> analogy(vectors, words, "man", "woman", "king")[0][0]
        'queen'

    Introduced in: notebooks/02_word_embeddings.ipynb
    """
    matrix = _check_matrix(embeddings, "embeddings")
    tokens, index = _check_vocab_tokens(vocab_tokens, matrix.shape[0])
    rows = [_lookup(a, index, "a"), _lookup(b, index, "b"), _lookup(c, index, "c")]
    k = check_int(k, "k", 1)
    candidates = np.ones(len(tokens), dtype=bool)
    candidates[_check_exclude_tokens(exclude, index)] = False
    candidates[rows] = False
    unit = _unit_rows(matrix)
    target = unit[rows[1]] - unit[rows[0]] + unit[rows[2]]
    scores = np.clip(unit @ _unit_rows(target), -1.0, 1.0)
    return _ranked(scores, tokens, candidates, k)


def class_cosine_summary(
    embeddings: npt.ArrayLike,
    vocab_tokens: Sequence[str],
    classes: Mapping[str, Sequence[str]],
) -> dict[str, Any]:
    """Mean cosine similarities within and across word classes: do the classes cluster?

    For each class ``C``:

    * ``within``: the mean cosine over the distinct pairs ``{u, v}`` of words of ``C``
      (``NaN`` if ``C`` has a single word);
    * ``across``: the mean cosine over the pairs ``(u, v)`` with ``u`` in ``C`` and ``v`` in
      another class (``NaN`` if there is only one class).

    and, over all classes, ``within`` is the mean over *all* same-class pairs (each unordered
    pair counted once, so larger classes weigh more) and ``across`` the mean over all pairs of
    words from different classes. Embeddings that group synonyms (the hungry grammar's
    intensifiers 엄청, 매우, 무지, ...) give a ``within`` well above ``across``.

    Args:
        embeddings: An ``(n, d)`` matrix; row ``i`` is the vector of ``vocab_tokens[i]``.
        vocab_tokens: The ``n`` tokens in row order, unique.
        classes: Class name -> the words of the class (non-empty, no word in two classes),
            e.g. ``{"intensifier": ["엄청", "매우", "무지"], "filler": ["오늘", "벌써"]}``.

    Returns:
        ``{"per_class": {name: {"within": float, "across": float, "n_words": int}, ...},
        "within": float, "across": float}``, classes in the order given.

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If the shapes disagree, ``classes`` is empty, a class is empty or repeats a
            word, a word is in two classes, or words are missing from ``vocab_tokens`` (the
            message lists them all).

    Example:
        >>> words = ["엄청", "매우", "오늘", "벌써"]
        >>> vectors = np.array([[1.0, 0.1], [1.0, 0.0], [0.0, 1.0], [0.1, 1.0]])
        >>> summary = class_cosine_summary(
        ...     vectors, words, {"intensifier": ["엄청", "매우"], "filler": ["오늘", "벌써"]}
        ... )
        >>> round(summary["within"], 3), round(summary["across"], 3)
        (0.995, 0.099)

    Introduced in: notebooks/02_word_embeddings.ipynb
    """
    matrix = _check_matrix(embeddings, "embeddings")
    _, index = _check_vocab_tokens(vocab_tokens, matrix.shape[0])
    if not isinstance(classes, Mapping):
        raise TypeError(
            "classes must be a mapping class name -> words of the class, e.g. "
            f"{{'intensifier': ['엄청', '매우']}}; got {type(classes).__name__}"
        )
    if not classes:
        raise ValueError("classes is empty; expected at least one class of words")
    names: list[str] = []
    rows: list[int] = []
    labels: list[int] = []
    owner: dict[str, str] = {}
    missing: list[str] = []
    for label, (name, words) in enumerate(classes.items()):
        name = check_str(name, "each class name (key of classes)")
        if not is_iterable(words):
            raise TypeError(
                f"classes[{name!r}] must be a sequence of str words; got {type(words).__name__}"
            )
        word_list = list(words)
        if not word_list:
            raise ValueError(f"classes[{name!r}] is empty; expected at least one word")
        for i, word in enumerate(word_list):
            word = check_str(word, f"classes[{name!r}][{i}]")
            if word in owner:
                where = "twice in it" if owner[word] == name else f"also in {owner[word]!r}"
                raise ValueError(
                    f"classes[{name!r}][{i}] is {word!r}, which is {where}; expected every "
                    "word in exactly one class"
                )
            owner[word] = name
            if word not in index:
                missing.append(word)
                continue
            rows.append(index[word])
            labels.append(label)
        names.append(name)
    if missing:
        hints = []
        for word in missing:
            close = difflib.get_close_matches(word, list(index), n=3, cutoff=0.5)
            hints.append(f"{word!r} (did you mean {close}?)" if close else repr(word))
        raise ValueError(
            f"{len(missing)} word(s) of classes are not in vocab_tokens: {', '.join(hints)}"
        )
    similarity = similarity_matrix(matrix[rows])
    label_array = np.array(labels)
    same = label_array[:, None] == label_array[None, :]
    upper = np.triu(np.ones_like(same), k=1)

    def mean(mask: npt.NDArray[np.bool_]) -> float:
        return float(similarity[mask].mean()) if mask.any() else math.nan

    per_class: dict[str, dict[str, float | int]] = {}
    for label, name in enumerate(names):
        member = label_array == label
        per_class[name] = {
            "within": mean(member[:, None] & member[None, :] & upper),
            "across": mean(member[:, None] & ~member[None, :]),
            "n_words": int(member.sum()),
        }
    return {
        "per_class": per_class,
        "within": mean(same & upper),
        "across": mean(~same & upper),
    }


# ---------------------------------------------------------------------------------------------
# 2-D projection
# ---------------------------------------------------------------------------------------------


@overload
def pca_2d(embeddings: npt.ArrayLike, *, return_variance: Literal[False] = ...) -> FloatArray: ...


@overload
def pca_2d(
    embeddings: npt.ArrayLike, *, return_variance: Literal[True]
) -> tuple[FloatArray, FloatArray]: ...


def pca_2d(
    embeddings: npt.ArrayLike, *, return_variance: bool = False
) -> FloatArray | tuple[FloatArray, FloatArray]:
    """Project the rows on the first two principal components: a reproducible 2-D map.

    The rows are centred (their mean subtracted) and projected on the top two right singular
    vectors of the centred matrix, from ``np.linalg.svd``: the directions of largest variance.
    A singular vector is only defined up to its sign, which may differ between machines or
    NumPy versions; here each axis is flipped, if needed, so that its largest-magnitude
    component (the first one if several tie) is positive. The same embeddings therefore always
    give the same picture.

    The explained variance ratio of axis ``k`` is ``s_k**2 / sum_j s_j**2`` (``s`` the
    singular values): the share of the total variance that the 2-D map shows.

    Args:
        embeddings: An ``(n, d)`` matrix with ``n >= 2`` rows and ``d >= 2`` columns.
        return_variance: Also return the explained variance ratios of the two axes.

    Returns:
        The ``(n, 2)`` coordinates, or ``(coordinates, ratios)`` with ``ratios`` of shape
        ``(2,)``, in [0, 1] and decreasing.

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If ``embeddings`` is not 2-D with at least 2 rows and 2 columns, holds NaN
            or infinity, or all its rows are equal (no variance to show).

    Example:
        >>> points = np.array([[0.0, 0.0, 0.0], [2.0, 0.0, 0.0], [0.0, 1.0, 0.0], [2.0, 1.0, 0.0]])
        >>> coords, ratios = pca_2d(points, return_variance=True)
        >>> coords.round(3).tolist()
        [[-1.0, -0.5], [1.0, -0.5], [-1.0, 0.5], [1.0, 0.5]]
        >>> ratios.round(3).tolist()
        [0.8, 0.2]

    Introduced in: notebooks/02_word_embeddings.ipynb
    """
    matrix = _check_matrix(embeddings, "embeddings", min_rows=2)
    if matrix.shape[1] < 2:
        raise ValueError(
            f"embeddings must have at least 2 columns (dimensions) for a 2-D map; "
            f"got shape {matrix.shape}"
        )
    return_variance = check_bool(return_variance, "return_variance")
    centred = matrix - matrix.mean(axis=0)
    _, singular, vt = np.linalg.svd(centred, full_matrices=False)
    total = float(np.sum(singular**2))
    if total == 0.0:
        raise ValueError("embeddings has no variance: all rows are equal; nothing to project")
    axes = vt[:2].copy()
    for axis in axes:
        if axis[int(np.argmax(np.abs(axis)))] < 0:
            axis *= -1.0
    coords = centred @ axes.T
    if return_variance:
        return coords, singular[:2] ** 2 / total
    return coords


# ---------------------------------------------------------------------------------------------
# fastText subwords
# ---------------------------------------------------------------------------------------------


def _check_ngram_args(
    word: object, min_n: object, max_n: object, unit: object, include_word: object
) -> tuple[str, int, int, str, bool]:
    """Check the arguments shared by :func:`subword_ngrams` and :func:`subword_ids`."""
    word = check_str(word, "word")
    if not word:
        raise ValueError("word must be a non-empty str; got ''")
    min_n = check_int(min_n, "min_n", 1)
    max_n = check_int(max_n, "max_n", 1)
    if max_n < min_n:
        raise ValueError(f"max_n must be >= min_n; got min_n={min_n}, max_n={max_n}")
    if not isinstance(unit, str):
        raise TypeError(f"unit must be 'char' or 'jamo'; got {describe(unit)}")
    if unit not in _UNITS:
        raise ValueError(f"unit must be 'char' or 'jamo'; got {unit!r}")
    return word, min_n, max_n, unit, check_bool(include_word, "include_word")


def subword_ngrams(
    word: str,
    min_n: int = 3,
    max_n: int = 6,
    *,
    unit: Literal["char", "jamo"] = "char",
    include_word: bool = True,
) -> list[str]:
    """The fastText subword units of a word: n-grams of ``"<" + word + ">"``.

    fastText (Bojanowski et al. 2017, *Enriching Word Vectors with Subword Information*)
    represents a word by the sum of the vectors of its character n-grams. The word is first
    wrapped in the boundary symbols ``<`` and ``>``, so that prefixes and suffixes differ from
    the same letters inside a word (``<wh`` is not ``wh``). Then, exactly as fastText's
    ``computeSubwords``:

    * for each start position, left to right, the n-grams of length ``min_n .. max_n`` starting
      there, shortest first (duplicates kept: each adds to the sum);
    * a 1-gram that is just ``<`` or ``>`` is skipped.

    With ``include_word=True`` (the default) the whole wrapped word ``<word>`` comes first, as
    its own token: fastText also gives every vocabulary word a vector of its own, added to its
    n-grams'. (When ``len(word) + 2 <= max_n``, ``<word>`` is then also among the n-grams.)
    An out-of-vocabulary word has no whole-word vector: use ``include_word=False``.

    With ``unit="jamo"`` the word is first decomposed by :func:`~course_utils.text.to_jamo`
    (Unicode NFD), so n-grams count jamo, not syllables: 먹었다 and 먹는다 then share
    ``<머``, ``먹``, ... although they share no syllable 3-gram. The n-grams are strings of
    conjoining jamo; :func:`~course_utils.text.from_jamo` recomposes what it can for display.
    With ``unit="char"`` the word is used as given, one unit per code point (as fastText
    counts UTF-8 characters), without normalisation.

    Args:
        word: The word, a non-empty str.
        min_n: The shortest n-gram, an integer >= 1 (fastText's ``-minn``, default 3).
        max_n: The longest n-gram, an integer >= ``min_n`` (fastText's ``-maxn``, default 6).
        unit: ``"char"`` (code points) or ``"jamo"`` (Korean letters).
        include_word: Put the whole wrapped word ``<word>`` first.

    Returns:
        The subword strings.

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If ``word`` is empty, ``min_n < 1``, ``max_n < min_n`` or ``unit`` is
            unknown.

    Example:
        >>> subword_ngrams("where", 3, 3)
        ['<where>', '<wh', 'whe', 'her', 'ere', 're>']
        >>> subword_ngrams("where", 3, 4, include_word=False)
        ['<wh', '<whe', 'whe', 'wher', 'her', 'here', 'ere', 'ere>', 're>']
        >>> from course_utils.text import from_jamo
        >>> [from_jamo(g) for g in subword_ngrams("먹다", 3, 3, unit="jamo")]
        ['<먹다>', '<머', '먹', 'ᅥᆨᄃ', 'ᆨ다', '다>']

    Introduced in: notebooks/02_word_embeddings.ipynb
    """
    word, min_n, max_n, unit, include_word = _check_ngram_args(
        word, min_n, max_n, unit, include_word
    )
    wrapped = "<" + (to_jamo(word) if unit == "jamo" else word) + ">"
    size = len(wrapped)
    result = [wrapped] if include_word else []
    for start in range(size):
        for n in range(min_n, min(max_n, size - start) + 1):
            end = start + n
            if n == 1 and (start == 0 or end == size):
                continue  # the boundary symbols alone are not n-grams
            result.append(wrapped[start:end])
    return result


def subword_hash(s: str, buckets: int) -> int:
    """fastText's hash of a subword, reduced to one of ``buckets`` rows: ``hash(s) % buckets``.

    The hash is FNV-1a, 32 bits, over the UTF-8 bytes of ``s``: start from the offset basis
    ``h = 2166136261``; for each byte, ``h = h XOR byte`` then ``h = h * 16777619`` modulo
    ``2**32``. fastText (``Dictionary::hash``) casts each byte to a *signed* char first,
    ``h ^ uint32_t(int8_t(byte))``, so a byte >= 0x80 is sign-extended to ``0xFFFFFF00 | byte``
    before the XOR. That is not textbook FNV-1a for non-ASCII text (every byte of a Hangul
    syllable is >= 0x80), but it is what fastText and gensim compute, and it is reproduced
    here so that bucket ids agree with theirs. For ASCII strings both variants agree, e.g. the
    published FNV-1a test vector ``hash("foobar") == 0xBF9CF968``.

    Many n-grams share a bucket when ``buckets`` is small (fastText uses 2,000,000); pass
    ``buckets=2**32`` to get the full 32-bit hash.

    Args:
        s: The subword (any str, the empty one included).
        buckets: The number of buckets, an integer >= 1.

    Returns:
        An integer in ``0 .. buckets - 1``.

    Raises:
        TypeError: If ``s`` is not a str or ``buckets`` not an integer.
        ValueError: If ``buckets < 1``.

    Example:
        >>> hex(subword_hash("foobar", 2**32))
        '0xbf9cf968'
        >>> subword_hash("<wh", 2_000_000)
        167652

    Introduced in: notebooks/02_word_embeddings.ipynb
    """
    s = check_str(s, "s")
    buckets = check_int(buckets, "buckets", 1)
    return _fasttext_hash(s) % buckets


def _fasttext_hash(s: str) -> int:
    """fastText's 32-bit FNV-1a of the UTF-8 bytes of ``s``, bytes sign-extended."""
    h = _FNV_OFFSET_BASIS
    for byte in s.encode("utf-8"):
        if byte >= 0x80:
            byte |= 0xFFFFFF00  # uint32_t(int8_t(byte)): the sign extension of fastText
        h = ((h ^ byte) * _FNV_PRIME) & _UINT32_MASK
    return h


def subword_ids(
    word: str,
    buckets: int,
    min_n: int = 3,
    max_n: int = 6,
    *,
    unit: Literal["char", "jamo"] = "char",
    include_word: bool = True,
) -> IntArray:
    """The bucket ids of a word's subwords: ``subword_hash(g, buckets)`` for each of them.

    The subwords are those of :func:`subword_ngrams` (same ``min_n``, ``max_n``, ``unit`` and
    ``include_word``), in the same order; the rows of an ``Embedding(buckets, dim)`` at these
    ids, summed or averaged, give the word's vector, also for a word never seen in training.
    Unlike fastText, which gives each vocabulary word a row of its own, the whole word
    ``<word>`` is hashed into the buckets like any n-gram: one table, no vocabulary needed.
    With ``include_word=False`` and ``unit="char"`` the ids are gensim's ``ft_ngram_hashes``.

    Args:
        word: The word, a non-empty str.
        buckets: The number of rows of the hash table, an integer >= 1.
        min_n: The shortest n-gram, an integer >= 1.
        max_n: The longest n-gram, an integer >= ``min_n``.
        unit: ``"char"`` or ``"jamo"``.
        include_word: Include the whole wrapped word ``<word>`` (first).

    Returns:
        An int64 array of ids in ``0 .. buckets - 1``, one per subword.

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: As :func:`subword_ngrams`, or if ``buckets < 1``.

    Example:
        >>> subword_ids("where", 2_000_000, 3, 3, include_word=False).tolist()
        [167652, 420941, 1473420, 1529033, 867498]

    Introduced in: notebooks/02_word_embeddings.ipynb
    """
    buckets = check_int(buckets, "buckets", 1)
    grams = subword_ngrams(word, min_n, max_n, unit=unit, include_word=include_word)
    return np.array([_fasttext_hash(g) % buckets for g in grams], dtype=np.int64)
