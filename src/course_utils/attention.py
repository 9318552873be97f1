"""Introduced in chapter 8: attention in NumPy, checked against Keras, and a sentence scorer.

Chapter 8 computes by hand what Keras's attention layers compute, so that every weight can be
printed and checked:

* :func:`softmax`: a numerically stable softmax with an optional mask (``True`` = may attend).
* :func:`additive_attention`: Bahdanau-style scores ``sum_d scale_d * tanh(q_d + k_d)``, as
  ``keras.layers.AdditiveAttention`` computes them (Bahdanau et al. 2015).
* :func:`scaled_dot_product_attention`: scores ``scale * q . k``; with ``scale=None`` the
  ``1 / sqrt(d)`` of Vaswani et al. (2017), with ``scale=1.0`` Keras's ``Attention()`` and with
  the layer's learnt scalar Keras's ``Attention(use_scale=True)``.
* :func:`causal_mask`: the lower-triangular mask of a language model (no peeking ahead).
* :func:`multi_head_attention`: ``keras.layers.MultiHeadAttention`` on its own eight weight
  arrays (projections of query, key and value, attention per head, output projection).
* :func:`causal_lm` (with the layer :class:`PositionEmbedding`): the small causal self-attention
  language model of chapter 8 (token and position embeddings, Transformer blocks of
  ``MultiHeadAttention(use_causal_mask=True)``, feed-forward layer, residuals, layer norm).
* :class:`SequenceLM`: wraps a Keras model that maps token ids to next-token logits, so that it
  scores sentences like the book's other language models (``logprob``, ``sentence_logprobs``,
  ``cross_entropy``) and works with ``evaluation.paired_gap`` and ``tasks.agreement_accuracy``.

Conventions (Keras's): a batch of sequences has shape ``(batch, time, features)``; one
sequence ``(time, features)`` is accepted too. Every function returns the outputs *and* the
attention weights, ``(..., Tq, Tv)``: row ``i`` is how query ``i`` shares its attention among
the ``Tv`` keys, and sums to 1. Everything is computed in float64.

Introduced in: notebooks/08_attention.ipynb
"""

from __future__ import annotations

import math
import operator
from collections.abc import Iterable, Sequence
from typing import Any

import keras
import numpy as np
import numpy.typing as npt

from course_utils.lm import CausalLM
from course_utils.text import BOS, EOS, PAD, Vocabulary

__all__ = [
    "PositionEmbedding",
    "SequenceLM",
    "additive_attention",
    "causal_lm",
    "causal_mask",
    "multi_head_attention",
    "scaled_dot_product_attention",
    "softmax",
]

FloatArray = npt.NDArray[np.float64]


# ---------------------------------------------------------------------------------------------
# Argument checking
# ---------------------------------------------------------------------------------------------


def _describe(value: object) -> str:
    """``'abc' of type str``: a short description of an offending value."""
    shown = repr(value)
    if len(shown) > 60:
        shown = shown[:57] + "..."
    return f"{shown} of type {type(value).__name__}"


def _as_float(value: object, name: str, layout: str) -> FloatArray:
    """``value`` as a finite float64 array, or a TypeError/ValueError naming ``name``."""
    expected = f"{name} must be an array of real numbers of shape {layout}"
    if isinstance(value, (str, bytes, dict, set)) or value is None:
        raise TypeError(f"{expected}; got {_describe(value)}")
    if hasattr(value, "numpy") and callable(value.numpy):  # a TensorFlow tensor
        value = value.numpy()
    try:
        array = np.asarray(value)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{expected}; could not convert it to an array: {error}") from None
    if array.dtype == np.bool_ or array.dtype.kind not in "iuf":
        raise TypeError(f"{expected}; got dtype {array.dtype} ({type(value).__name__})")
    array = array.astype(np.float64)
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must hold finite numbers only (no NaN or infinity)")
    return array


def _as_mask(mask: object, name: str = "mask") -> npt.NDArray[np.bool_]:
    """``mask`` as a bool array (True = may attend), or a TypeError naming ``name``."""
    if hasattr(mask, "numpy") and callable(mask.numpy):
        mask = mask.numpy()
    if isinstance(mask, (str, bytes, dict, set)):
        raise TypeError(
            f"{name} must be an array of True/False (True = may attend); got {_describe(mask)}"
        )
    array = np.asarray(mask)
    if array.dtype == np.bool_:
        return array
    if array.dtype.kind in "iu" and np.isin(array, (0, 1)).all():
        return array.astype(bool)
    raise TypeError(
        f"{name} must be an array of True/False (or 0/1), True where a query may attend to a "
        f"key; got dtype {array.dtype}"
    )


def _check_int(value: object, name: str, low: int) -> int:
    """``value`` as an int >= ``low``; bools are refused."""
    expected = f"an integer >= {low}"
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be {expected}; got {_describe(value)}")
    try:
        result = operator.index(value)
    except TypeError:
        raise TypeError(f"{name} must be {expected}; got {_describe(value)}") from None
    if result < low:
        raise ValueError(f"{name} must be {expected}; got {result}")
    return result


_LAYOUT = "(batch, time, features), or (time, features) for one sequence"


def _qkv(query: object, key: object, value: object) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Check query, key and value: same rank (2 or 3), same batch, keys and values aligned."""
    q = _as_float(query, "query", _LAYOUT)
    k = _as_float(key, "key", _LAYOUT)
    v = _as_float(value, "value", _LAYOUT)
    for name, array in (("query", q), ("key", k), ("value", v)):
        if array.ndim not in (2, 3) or 0 in array.shape:
            raise ValueError(
                f"{name} must have shape {_LAYOUT}, with no empty axis; got shape {array.shape}"
            )
    if not q.ndim == k.ndim == v.ndim:
        raise ValueError(
            f"query, key and value must have the same number of axes; got shapes {q.shape}, "
            f"{k.shape} and {v.shape}"
        )
    if q.ndim == 3 and not q.shape[0] == k.shape[0] == v.shape[0]:
        raise ValueError(
            f"query, key and value must have the same batch size; got shapes {q.shape}, "
            f"{k.shape} and {v.shape}"
        )
    if k.shape[-2] != v.shape[-2]:
        raise ValueError(
            f"key and value must have the same number of time steps (one value per key); got "
            f"shapes {k.shape} and {v.shape}"
        )
    return q, k, v


# ---------------------------------------------------------------------------------------------
# Softmax and masks
# ---------------------------------------------------------------------------------------------


def softmax(
    scores: npt.ArrayLike, *, axis: int = -1, mask: npt.ArrayLike | None = None
) -> FloatArray:
    """A numerically stable softmax along ``axis``, optionally over the allowed positions only.

    ``exp(s - max(s)) / sum(exp(s - max(s)))``: subtracting the largest score changes nothing
    mathematically but keeps ``exp`` from overflowing (scores of 1000 are fine). With a mask,
    the positions where ``mask`` is False get weight exactly 0 and the others share 1, as in
    Keras's attention layers.

    Args:
        scores: An array of real numbers (any shape, at least one axis).
        axis: The axis along which the weights sum to 1 (default: the last).
        mask: Optional bool array (or 0/1 ints) broadcastable to ``scores``; True where a
            position may receive weight.

    Returns:
        A float64 array of the shape of ``scores``, non-negative, summing to 1 along ``axis``.

    Raises:
        TypeError: If ``scores`` is not numeric, ``axis`` is not an int or ``mask`` is not
            boolean.
        ValueError: If ``scores`` holds NaN/infinity or has no axis, ``axis`` is out of range,
            ``mask`` cannot broadcast to ``scores``, or some row has no allowed position.

    Example:
        >>> softmax([0.0, np.log(3.0)]).round(3)
        array([0.25, 0.75])
        >>> softmax([1000.0, 1000.0, 5.0], mask=[True, False, True]).round(3)
        array([1., 0., 0.])

    Introduced in: notebooks/08_attention.ipynb
    """
    s = _as_float(scores, "scores", "(..., n)")
    if s.ndim == 0:
        raise ValueError("scores must have at least one axis; got a single number")
    if isinstance(axis, (bool, np.bool_)) or not isinstance(axis, (int, np.integer)):
        raise TypeError(f"axis must be an int; got {_describe(axis)}")
    if not -s.ndim <= axis < s.ndim:
        raise ValueError(f"axis must be between {-s.ndim} and {s.ndim - 1}; got {axis}")
    if mask is None:
        shifted = s - s.max(axis=axis, keepdims=True)
        e = np.exp(shifted)
        return e / e.sum(axis=axis, keepdims=True)
    m = _as_mask(mask)
    try:
        m = np.broadcast_to(m, s.shape)
    except ValueError:
        raise ValueError(
            f"mask of shape {m.shape} cannot broadcast to the scores' shape {s.shape}"
        ) from None
    if not m.any(axis=axis).all():
        raise ValueError(
            "mask allows no position in some row: every query must be allowed to attend to at "
            "least one key"
        )
    masked = np.where(m, s, -np.inf)
    e = np.where(m, np.exp(masked - masked.max(axis=axis, keepdims=True)), 0.0)
    return e / e.sum(axis=axis, keepdims=True)


def causal_mask(n: int) -> npt.NDArray[np.bool_]:
    """The causal mask of ``n`` positions: position ``i`` may attend to ``j <= i`` only.

    A lower-triangular bool matrix, True on and below the diagonal; the mask that
    ``MultiHeadAttention(..., use_causal_mask=True)`` and ``Attention(...,
    use_causal_mask=True)`` build. In a language model it keeps each position from seeing the
    words it must predict.

    Args:
        n: The number of positions, >= 1.

    Returns:
        A bool array of shape ``(n, n)``.

    Raises:
        TypeError: If ``n`` is not an integer.
        ValueError: If ``n < 1``.

    Example:
        >>> causal_mask(3).astype(int)
        array([[1, 0, 0],
               [1, 1, 0],
               [1, 1, 1]])

    Introduced in: notebooks/08_attention.ipynb
    """
    size = _check_int(n, "n", 1)
    return np.tril(np.ones((size, size), dtype=bool))


def _attend(
    scores: FloatArray, v: FloatArray, mask: npt.ArrayLike | None
) -> tuple[FloatArray, FloatArray]:
    """Softmax of the scores (masked) and the weighted sum of the values."""
    if mask is not None:
        m = _as_mask(mask)
        try:
            np.broadcast_to(m, scores.shape)
        except ValueError:
            raise ValueError(
                f"mask of shape {m.shape} cannot broadcast to the attention weights' shape "
                f"{scores.shape} (..., Tq, Tv)"
            ) from None
    weights = softmax(scores, mask=mask)
    return weights @ v, weights


# ---------------------------------------------------------------------------------------------
# Attention functions
# ---------------------------------------------------------------------------------------------


def scaled_dot_product_attention(
    query: npt.ArrayLike,
    key: npt.ArrayLike,
    value: npt.ArrayLike,
    *,
    mask: npt.ArrayLike | None = None,
    scale: float | None = None,
) -> tuple[FloatArray, FloatArray]:
    """Dot-product attention: ``softmax(scale * Q K^T) V``, with the weights.

    The score of query ``i`` and key ``j`` is ``scale * q_i . k_j``. With ``scale=None`` it is
    ``1 / sqrt(d)`` (``d`` the query size), the scaled dot product of Vaswani et al. (2017), which
    ``MultiHeadAttention`` uses. Keras's ``Attention`` layer defines ``use_scale`` differently: it
    learns *one scalar* ``scale``, initialised to 1, and multiplies the scores by it; with
    ``use_scale=False`` (its default) the scores are not scaled at all. So ``Attention()`` is
    ``scale=1.0`` and ``Attention(use_scale=True)`` is ``scale=float(layer.scale)``.

    Args:
        query: ``(batch, Tq, d)`` or ``(Tq, d)``.
        key: ``(batch, Tv, d)`` or ``(Tv, d)``: same size ``d`` as the queries.
        value: ``(batch, Tv, dv)`` or ``(Tv, dv)``: one value per key.
        mask: Optional bool array broadcastable to ``(batch, Tq, Tv)``, True where query ``i``
            may attend to key ``j`` (e.g. :func:`causal_mask`).
        scale: A finite real number, or None for ``1 / sqrt(d)``.

    Returns:
        ``(output, weights)``: ``(batch, Tq, dv)`` and ``(batch, Tq, Tv)`` (no batch axis for
        one sequence); each row of ``weights`` sums to 1.

    Raises:
        TypeError: If an array is not numeric, ``scale`` is not a number or ``mask`` is not
            boolean.
        ValueError: If the shapes do not fit together (the message gives them), an array holds
            NaN/infinity, or a row of ``mask`` allows nothing.

    Example:
        >>> q = np.array([[1.0, 0.0]])
        >>> k = np.array([[1.0, 0.0], [0.0, 1.0]])
        >>> out, w = scaled_dot_product_attention(q, k, np.array([[10.0], [20.0]]), scale=1.0)
        >>> w.round(3), out.round(2)
        (array([[0.731, 0.269]]), array([[12.69]]))

    Introduced in: notebooks/08_attention.ipynb
    """
    q, k, v = _qkv(query, key, value)
    if q.shape[-1] != k.shape[-1]:
        raise ValueError(
            f"query and key must have the same last axis d (their dot product is the score); "
            f"got shapes {q.shape} and {k.shape}"
        )
    if scale is None:
        factor = 1.0 / math.sqrt(q.shape[-1])
    else:
        if isinstance(scale, (bool, np.bool_)) or not isinstance(scale, (int, float, np.number)):
            raise TypeError(f"scale must be a real number or None; got {_describe(scale)}")
        factor = float(scale)
        if not math.isfinite(factor):
            raise ValueError(f"scale must be finite; got {factor}")
    scores = factor * (q @ np.swapaxes(k, -1, -2))
    return _attend(scores, v, mask)


def additive_attention(
    query: npt.ArrayLike,
    key: npt.ArrayLike,
    value: npt.ArrayLike,
    *,
    scale: npt.ArrayLike | None = None,
    mask: npt.ArrayLike | None = None,
) -> tuple[FloatArray, FloatArray]:
    """Additive (Bahdanau-style) attention, exactly as ``keras.layers.AdditiveAttention``.

    The score of query ``i`` and key ``j`` is ``sum_d scale_d * tanh(q_id + k_jd)``: a one-layer
    network of the pair instead of a dot product. Bahdanau et al. (2015) write
    ``v^T tanh(W s_i + U h_j)``; Keras leaves the projections ``W`` and ``U`` to the layers
    that make the query and the key (e.g. ``Dense``), and its ``scale`` (of shape ``(d,)``,
    learnt when ``use_scale=True``, the default) is their ``v``. With ``use_scale=False``,
    ``scale`` is all ones (pass None).

    Args:
        query: ``(batch, Tq, d)`` or ``(Tq, d)``.
        key: ``(batch, Tv, d)`` or ``(Tv, d)``.
        value: ``(batch, Tv, dv)`` or ``(Tv, dv)``.
        scale: The vector ``v`` of shape ``(d,)`` (``layer.get_weights()[0]``), or None for ones.
        mask: Optional bool array broadcastable to ``(batch, Tq, Tv)``, True = may attend.

    Returns:
        ``(output, weights)``: ``(batch, Tq, dv)`` and ``(batch, Tq, Tv)``.

    Raises:
        TypeError: If an array is not numeric or ``mask`` is not boolean.
        ValueError: If the shapes do not fit together, or a row of ``mask`` allows nothing.

    Example:
        >>> q = np.zeros((1, 2))
        >>> k = np.array([[3.0, 3.0], [-3.0, -3.0]])
        >>> out, w = additive_attention(q, k, np.array([[1.0], [0.0]]))
        >>> w.round(3)
        array([[0.982, 0.018]])

    Introduced in: notebooks/08_attention.ipynb
    """
    q, k, v = _qkv(query, key, value)
    d = q.shape[-1]
    if k.shape[-1] != d:
        raise ValueError(
            f"query and key must have the same last axis d (they are added); got shapes "
            f"{q.shape} and {k.shape}"
        )
    s = np.ones(d) if scale is None else _as_float(scale, "scale", f"({d},)")
    if s.shape != (d,):
        raise ValueError(f"scale must have shape ({d},), one weight per feature; got {s.shape}")
    pairs = np.tanh(q[..., :, None, :] + k[..., None, :, :])  # (..., Tq, Tv, d)
    return _attend(pairs @ s, v, mask)


_MHA_NAMES = (
    "query_kernel",
    "query_bias",
    "key_kernel",
    "key_bias",
    "value_kernel",
    "value_bias",
    "output_kernel",
    "output_bias",
)


def multi_head_attention(
    query: npt.ArrayLike,
    value: npt.ArrayLike,
    weights: Sequence[npt.ArrayLike],
    *,
    key: npt.ArrayLike | None = None,
    mask: npt.ArrayLike | None = None,
    use_causal_mask: bool = False,
) -> tuple[FloatArray, FloatArray]:
    """``keras.layers.MultiHeadAttention`` in NumPy, on the layer's own weights.

    With ``h`` heads of size ``k`` (``key_dim``) and ``dv`` (``value_dim``), for each head::

        Q = query @ Wq + bq        (batch, Tq, k)
        K = key @ Wk + bk          (batch, Tv, k)
        V = value @ Wv + bv        (batch, Tv, dv)
        head = softmax(Q K^T / sqrt(k), masked) V

    and the output is ``sum over heads of head @ Wo[head] + bo``. The weights are
    ``layer.get_weights()`` in Keras's order: query kernel ``(D, h, k)``, query bias ``(h, k)``,
    key kernel ``(Dk, h, k)`` and bias, value kernel ``(Dv, h, dv)`` and bias, output kernel
    ``(h, dv, Dout)``, output bias ``(Dout,)`` (a layer made with ``use_bias=True``, the
    default). Key defaults to value, as in Keras.

    Args:
        query: ``(batch, Tq, D)`` or ``(Tq, D)``.
        value: ``(batch, Tv, Dv)`` or ``(Tv, Dv)``.
        weights: The eight arrays of ``layer.get_weights()``.
        key: Optional ``(batch, Tv, Dk)``; None means ``value``.
        mask: Optional bool array broadcastable to ``(batch, Tq, Tv)`` (Keras's
            ``attention_mask``), True = may attend.
        use_causal_mask: Also apply :func:`causal_mask` (Keras's ``use_causal_mask=True``).

    Returns:
        ``(output, weights)``: ``(batch, Tq, Dout)`` and ``(batch, h, Tq, Tv)`` (what Keras
        returns with ``return_attention_scores=True``), without the batch axis for one sequence.

    Raises:
        TypeError: If ``weights`` is not a list of eight arrays, an array is not numeric, or
            ``use_causal_mask`` is not a bool.
        ValueError: If a weight or input has the wrong shape (the message names it).

    Example:
        >>> rng = np.random.default_rng(0)
        >>> ws = [rng.normal(size=s) for s in [(4, 1, 2), (1, 2), (4, 1, 2), (1, 2),
        ...                                    (4, 1, 3), (1, 3), (1, 3, 4), (4,)]]
        >>> out, w = multi_head_attention(rng.normal(size=(5, 4)), rng.normal(size=(5, 4)), ws,
        ...                               use_causal_mask=True)
        >>> out.shape, w.shape, float(w[0, 0, 1])  # query 0 cannot see key 1
        ((5, 4), (1, 5, 5), 0.0)

    Introduced in: notebooks/08_attention.ipynb
    """
    if isinstance(weights, (str, bytes, dict, np.ndarray)) or not isinstance(
        weights, (list, tuple)
    ):
        raise TypeError(
            "weights must be the list of eight arrays of layer.get_weights() (query, key, value "
            f"and output kernels and biases); got {_describe(weights)}"
        )
    if len(weights) != 8:
        raise ValueError(
            f"weights must hold 8 arrays ({', '.join(_MHA_NAMES)}); got {len(weights)} (a layer "
            "made with use_bias=False has 4: this function expects the default use_bias=True)"
        )
    w = {
        name: _as_float(a, name, "(see the docstring)")
        for name, a in zip(_MHA_NAMES, weights, strict=True)
    }
    if not isinstance(use_causal_mask, (bool, np.bool_)):
        raise TypeError(f"use_causal_mask must be True or False; got {_describe(use_causal_mask)}")
    q_in, k_in, v_in = _qkv(query, value if key is None else key, value)
    if w["query_kernel"].ndim != 3:
        raise ValueError(
            f"query_kernel must have shape (features, heads, key_dim); got "
            f"{w['query_kernel'].shape}"
        )
    _, heads, key_dim = w["query_kernel"].shape
    value_dim = w["value_kernel"].shape[-1] if w["value_kernel"].ndim == 3 else -1
    out_dim = w["output_bias"].shape[0] if w["output_bias"].ndim == 1 else -1
    expected = {
        "query_kernel": (q_in.shape[-1], heads, key_dim),
        "query_bias": (heads, key_dim),
        "key_kernel": (k_in.shape[-1], heads, key_dim),
        "key_bias": (heads, key_dim),
        "value_kernel": (v_in.shape[-1], heads, value_dim),
        "value_bias": (heads, value_dim),
        "output_kernel": (heads, value_dim, out_dim),
        "output_bias": (out_dim,),
    }
    for name, shape in expected.items():
        if w[name].shape != shape:
            raise ValueError(
                f"{name} must have shape {shape} for these inputs and query_kernel "
                f"{w['query_kernel'].shape}; got {w[name].shape}"
            )
    # (..., T, D) @ (D, h, k) -> (..., h, T, k)
    q = np.einsum("...td,dhk->...htk", q_in, w["query_kernel"]) + w["query_bias"][:, None, :]
    k = np.einsum("...td,dhk->...htk", k_in, w["key_kernel"]) + w["key_bias"][:, None, :]
    v = np.einsum("...td,dhk->...htk", v_in, w["value_kernel"]) + w["value_bias"][:, None, :]
    full = None
    if mask is not None:
        m = _as_mask(mask)
        full = m[..., None, :, :] if m.ndim >= 2 else m  # add the heads axis
    if use_causal_mask:
        causal = np.arange(q.shape[-2])[:, None] >= np.arange(k.shape[-2])[None, :]
        full = causal if full is None else full & causal
    heads_out, attn = _attend((q @ np.swapaxes(k, -1, -2)) / math.sqrt(key_dim), v, full)
    output = np.einsum("...htv,hvo->...to", heads_out, w["output_kernel"]) + w["output_bias"]
    return output, attn


# ---------------------------------------------------------------------------------------------
# A small causal self-attention language model
# ---------------------------------------------------------------------------------------------


@keras.saving.register_keras_serializable(package="course_utils")
class PositionEmbedding(keras.layers.Layer):
    """Adds a learnt vector for position 0, 1, 2, ... to each input vector.

    Input ``(batch, time, dim)``, output the same shape: ``x[:, t] + table[t]``. Positions
    from ``max_len`` on have no vector; a longer input is an error in TensorFlow's lookup.

    Args:
        max_len: Number of positions with a vector, >= 1.
        dim: Size of the vectors (the input's last axis), >= 1.

    Returns:
        A Keras layer.

    Raises:
        TypeError: If a size is not an integer.
        ValueError: If a size is below 1.

    Example:
        >>> layer = PositionEmbedding(8, 4)
        >>> tuple(layer(np.zeros((2, 5, 4), "float32")).shape)
        (2, 5, 4)

    Introduced in: notebooks/08_attention.ipynb
    """

    def __init__(self, max_len: int, dim: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.max_len = _check_int(max_len, "max_len", 1)
        self.dim = _check_int(dim, "dim", 1)
        self.table = keras.layers.Embedding(self.max_len, self.dim)

    def call(self, x: Any) -> Any:
        positions = keras.ops.arange(keras.ops.shape(x)[1])
        return x + self.table(positions)[None]

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "max_len": self.max_len, "dim": self.dim}


def causal_lm(
    vocab_size: int,
    *,
    dim: int = 32,
    heads: int = 2,
    blocks: int = 1,
    max_len: int = 64,
    seed: int = 0,
) -> keras.Model:
    """The causal self-attention language model of chapter 8, as a Keras model.

    ::

        ids (batch, time) -> Embedding(vocab_size, dim) -> + PositionEmbedding(max_len, dim)
          -> blocks x [x = LayerNorm(x + MultiHeadAttention(heads, dim // heads)(x, x,
                                                                 use_causal_mask=True))
                       x = LayerNorm(x + Dense(dim)(Dense(4 * dim, relu)(x)))]
          -> Dense(vocab_size) logits (batch, time, vocab_size)

    Post-norm blocks as in Vaswani et al. (2017), with learnt positions. The weights are
    drawn after ``keras.utils.set_random_seed(seed)``, so the same call gives the same model as
    the notebook's own code. Wrap it in :class:`SequenceLM` to train and score it.

    Args:
        vocab_size: Number of token ids, >= 2.
        dim: Size of the token vectors, >= 1 and divisible by ``heads``.
        heads: Number of attention heads, >= 1.
        blocks: Number of Transformer blocks, >= 1.
        max_len: Longest input the position table covers, >= 1.
        seed: Seed for the initial weights, >= 0.

    Returns:
        An uncompiled ``keras.Model``.

    Raises:
        TypeError: If an argument is not an integer.
        ValueError: If an argument is out of range or ``dim`` is not a multiple of ``heads``.

    Example:
        >>> model = causal_lm(10, dim=8, heads=2)
        >>> tuple(model(np.zeros((3, 5), "int32")).shape)
        (3, 5, 10)

    Introduced in: notebooks/08_attention.ipynb
    """
    vocab_size = _check_int(vocab_size, "vocab_size", 2)
    dim = _check_int(dim, "dim", 1)
    heads = _check_int(heads, "heads", 1)
    blocks = _check_int(blocks, "blocks", 1)
    max_len = _check_int(max_len, "max_len", 1)
    seed = _check_int(seed, "seed", 0)
    if dim % heads:
        raise ValueError(
            f"dim must be a multiple of heads (each head gets dim // heads); got "
            f"dim={dim}, heads={heads}"
        )
    layers = keras.layers
    keras.utils.set_random_seed(seed)
    ids = keras.Input((None,), dtype="int32")
    x = layers.Embedding(vocab_size, dim)(ids)
    x = PositionEmbedding(max_len, dim, name="positions")(x)
    for _ in range(blocks):
        attended = layers.MultiHeadAttention(heads, dim // heads)(x, x, use_causal_mask=True)
        x = layers.LayerNormalization()(x + attended)
        hidden = layers.Dense(4 * dim, activation="relu")(x)
        x = layers.LayerNormalization()(x + layers.Dense(dim)(hidden))
    return keras.Model(ids, layers.Dense(vocab_size)(x))


# ---------------------------------------------------------------------------------------------
# A Keras next-token model as a language model of the book
# ---------------------------------------------------------------------------------------------


class SequenceLM(CausalLM):
    """Score sentences with any Keras model that maps token ids to next-token logits.

    The book's language models (``NGramLM``, ``NeuralLM``, ``RecurrentLM``) share one
    interface (:mod:`course_utils.lm`); ``RecurrentLM`` builds its own recurrent model and
    cannot take another one. This small adapter gives a model of shape ``(batch, time) ids ->
    (batch, time, V) logits`` (e.g. the causal self-attention model of chapter 8) the same
    interface (:class:`~course_utils.lm.CausalLM`: ``logprob``, ``sentence_logprobs``,
    ``cross_entropy``, ``perplexity``, ``prob``, ``distribution``, ``score_tokens``,
    ``generate``), so that ``evaluation.paired_gap``, ``tasks.agreement_accuracy`` and the
    ladder work on it.

    A sentence ``w1 ... wm`` is read as ``[<s>, w1, ..., wm]`` and the model must predict
    ``[w1, ..., wm, </s>]``: ``m + 1`` predicted tokens, as for the other models. Rows are
    padded on the right with ``<pad>`` (id 0); a causal model never looks right, so padding
    changes nothing at real positions. Probabilities are normalised over the tokens a model
    may predict: the logits of ``<pad>`` and ``<s>`` are left out of the softmax.

    Args:
        model: A Keras model; input int ids ``(batch, time)``, output logits
            ``(batch, time, len(vocab))``. It must be causal (position t sees positions <= t).
        vocab: The :class:`~course_utils.text.Vocabulary` with ``<pad>`` (id 0), ``<s>``,
            ``</s>`` (and ``<unk>`` for unknown words).

    Raises:
        TypeError: If ``model`` is not callable or ``vocab`` is not a Vocabulary.
        ValueError: If ``vocab`` lacks ``<pad>`` at id 0, ``<s>`` or ``</s>``.

    Example:
        >>> from tensorflow import keras
        >>> from course_utils.text import Vocabulary
        >>> vocab = Vocabulary.build([["나는", "배가", "고프다"]])
        >>> ids = keras.Input((None,), dtype="int32")
        >>> logits = keras.layers.Dense(len(vocab))(keras.layers.Embedding(len(vocab), 4)(ids))
        >>> lm = SequenceLM(keras.Model(ids, logits), vocab)
        >>> x, y = lm.training_arrays([["나는", "배가"]])
        >>> x.tolist(), y.tolist()  # <s> = 2, </s> = 3 in this vocabulary
        ([[2, 5, 6]], [[5, 6, 3]])

    Introduced in: notebooks/08_attention.ipynb
    """

    def __init__(self, model: Any, vocab: Any) -> None:
        if not callable(model):
            raise TypeError(f"model must be a Keras model (callable); got {_describe(model)}")
        if not isinstance(vocab, Vocabulary):
            raise TypeError(f"vocab must be a course_utils.text.Vocabulary; got {_describe(vocab)}")
        missing = [t for t in (PAD, BOS, EOS) if t not in vocab.specials]
        if missing or vocab.pad_id != 0:
            raise ValueError(
                f"vocab must have {PAD!r} (id 0), {BOS!r} and {EOS!r} among its specials; "
                f"got specials {vocab.specials!r}"
            )
        self._model = model
        self._set_vocab(vocab)
        self._pad_id = vocab.pad_id

    def _check_sentence(self, sentence: object, name: str) -> tuple[str, ...]:
        if isinstance(sentence, str) or not isinstance(sentence, Sequence):
            raise TypeError(f"{name} must be a list of str tokens; got {_describe(sentence)}")
        return tuple(sentence)

    def _check_corpus(self, sentences: object, name: str) -> list[tuple[str, ...]]:
        if isinstance(sentences, (str, bytes)) or not isinstance(sentences, Iterable):
            raise TypeError(f"{name} must be a list of token lists; got {_describe(sentences)}")
        corpus = [self._check_sentence(s, f"{name}[{i}]") for i, s in enumerate(sentences)]
        if not corpus:
            raise ValueError(f"{name} is empty; expected at least one sentence")
        return corpus

    def training_arrays(
        self, sentences: Iterable[Sequence[str]]
    ) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.int32]]:
        """Inputs ``[<s>, w1..wm]`` and targets ``[w1..wm, </s>]``, right-padded with 0.

        Train with a loss that ignores id 0, e.g. ``SparseCategoricalCrossentropy(
        from_logits=True, ignore_class=0)``.

        Args:
            sentences: Token lists (no ``<s>``/``</s>``).

        Returns:
            ``(x, y)``, int32 arrays of shape ``(N, L)``.

        Raises:
            TypeError: If ``sentences`` is not a list of token lists.
            ValueError: If it is empty.

        Introduced in: notebooks/08_attention.ipynb
        """
        rows = self._id_sequences(self._check_corpus(sentences, "sentences"), "sentences")
        width = max(len(r) for r in rows) - 1
        return self._padded([r[:-1] for r in rows], width), self._padded(
            [r[1:] for r in rows], width
        )
