"""Helpers for the chapters' checks (from chapter 4): running a learner's code, reading it.

A chapter's question often needs more than the answer checks of :mod:`course_utils.answer_checks`:
it calls the learner's function on test cases (:func:`call_cases`), runs the learner's Keras
model (:func:`call_model`, :func:`not_a_model`, :class:`ModelInterfaceError`), reads the
model's layers (:func:`model_layers`, :func:`layer_text`), tests a sampler's draws
(:func:`chi2_pvalue`) or names weights read in the wrong gate order (:func:`block_order_message`,
:func:`permuted_blocks`). The helpers live here once, so that every chapter words the same
situation the same way.

This module imports neither TensorFlow nor Keras: models are recognised by duck typing.

Introduced in: notebooks/04_lstm.ipynb
"""

from __future__ import annotations

import copy
import math
import warnings
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from course_utils.answer_checks import Status
from course_utils.answers import _is_int, is_placeholder

__all__ = [
    "ModelInterfaceError",
    "block_order_message",
    "call_cases",
    "call_model",
    "chi2_pvalue",
    "layer_text",
    "looks_like_probabilities",
    "model_layers",
    "not_a_model",
    "permuted_blocks",
    "raised_text",
    "still_placeholder",
    "type_text",
]


# ---------------------------------------------------------------------------------------------
# Helpers for the chapters' own checks: calling a learner's function or model, reading its
# output, a goodness-of-fit test for a sampler
# ---------------------------------------------------------------------------------------------


def type_text(value: object) -> str:
    """The name of ``value``'s type for a message, ``"None"`` for ``None``.

    Args:
        value: Any value.

    Returns:
        ``"None"`` or the type's name, e.g. ``"list"``.

    Raises:
        Nothing.

    Example:
        >>> type_text([1]), type_text(None)
        ('list', 'None')

    Introduced in: notebooks/07_keras_exercises.ipynb
    """
    return "None" if value is None else type(value).__name__


def raised_text(what: str, exc: BaseException) -> str:
    """``"<what> raised ValueError: detail"``, the detail on one line and at most 240 characters.

    Args:
        what: What was called, e.g. ``"your model"``.
        exc: The exception it raised.

    Returns:
        The sentence, without the detail when the exception has none.

    Raises:
        Nothing.

    Example:
        >>> raised_text("sample()", ValueError("bad  \\n temperature"))
        'sample() raised ValueError: bad temperature'

    Introduced in: notebooks/07_keras_exercises.ipynb
    """
    detail = " ".join(str(exc).split())
    if len(detail) > 240:
        detail = detail[:239] + "…"
    return f"{what} raised {type(exc).__name__}" + (f": {detail}" if detail else "")


def still_placeholder(call: str) -> str:
    """The message for a learner's function whose ``call`` still returns ``____``.

    Args:
        call: The call as the learner would write it, e.g. ``"gru_sequence()"``.

    Returns:
        The message.

    Raises:
        Nothing.

    Example:
        >>> still_placeholder("f()")[:30]
        'f() still returns ____: replac'

    Introduced in: notebooks/07_keras_exercises.ipynb
    """
    return (
        f"{call} still returns ____: replace ____ with your code, run the cell, then run this "
        "check again."
    )


def call_cases(fn: Any, cases: Sequence[tuple], name: str) -> list[Any] | tuple[Status, str]:
    """``fn`` on a deep copy of each case's arguments, or the outcome that ends the check.

    NumPy's floating-point warnings and Python's warnings are silenced while ``fn`` runs.

    Args:
        fn: The learner's function.
        cases: The argument tuples, one per case.
        name: The function's name for the messages.

    Returns:
        The results, one per case; or ``("error", message)`` when ``fn`` raised and
        ``("not attempted", message)`` when it returned ``____``.

    Raises:
        Nothing: an exception inside ``fn`` becomes the ``"error"`` outcome.

    Example:
        >>> call_cases(lambda x: 2 * x, [(1,), (2,)], "double")
        [2, 4]

    Introduced in: notebooks/07_keras_exercises.ipynb
    """
    results = []
    for args in cases:
        try:
            with np.errstate(all="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                got = fn(*copy.deepcopy(args))
        except Exception as exc:
            return "error", raised_text(f"{name}() on one of the check's test cases", exc)
        if is_placeholder(got):
            return "not attempted", still_placeholder(f"{name}()")
        results.append(got)
    return results


def not_a_model(value: object) -> str | None:
    """Why ``value`` cannot be a Keras model, or ``None`` if it may be one (it is callable).

    Args:
        value: The learner's answer.

    Returns:
        The reason, or ``None``.

    Raises:
        Nothing.

    Example:
        >>> not_a_model(3)
        'expected a Keras model, got int'

    Introduced in: notebooks/07_keras_exercises.ipynb
    """
    if value is None:
        return "got None: did the cell that builds the model assign it?"
    if not callable(value):
        return f"expected a Keras model, got {type_text(value)}"
    return None


class ModelInterfaceError(Exception):
    """A model whose output does not have the agreed form: the check says "failed", not "error".

    Introduced in: notebooks/07_keras_exercises.ipynb
    """


def call_model(model: Any, ids: np.ndarray, batch: int = 128) -> np.ndarray:
    """``model(ids)`` as a float64 array, computed ``batch`` rows at a time.

    Args:
        model: A callable (a Keras model) that takes a batch of rows.
        ids: The input rows.
        batch: Rows per call.

    Returns:
        The outputs, concatenated along the first axis.

    Raises:
        ModelInterfaceError: If the model returns several tensors.

    Example:
        >>> call_model(lambda rows: rows * 2, np.arange(3), batch=2)
        array([0., 2., 4.])

    Introduced in: notebooks/07_keras_exercises.ipynb
    """
    parts = []
    for start in range(0, len(ids), batch):
        out = model(ids[start : start + batch])
        if isinstance(out, (list, tuple)):
            raise ModelInterfaceError(
                f"your model returns {len(out)} tensors; it should return one (the output "
                "layer's), e.g. keras.Model(inputs, outputs) with a single output"
            )
        parts.append(np.asarray(out, dtype=np.float64))
    return np.concatenate(parts, axis=0)


def looks_like_probabilities(values: np.ndarray) -> bool:
    """Whether ``values`` holds non-negative rows that sum to 1 over the last axis.

    Args:
        values: A float array.

    Returns:
        ``True`` for probabilities (to 1e-6 per value and 1e-3 per row sum).

    Raises:
        Nothing.

    Example:
        >>> looks_like_probabilities(np.array([[0.5, 0.5]])), looks_like_probabilities(np.ones(2))
        (True, False)

    Introduced in: notebooks/07_keras_exercises.ipynb
    """
    if values.size == 0 or values.min() < -1e-6 or values.max() > 1 + 1e-6:
        return False
    return bool(np.allclose(values.sum(axis=-1), 1.0, atol=1e-3))


def _chi2_sf(statistic: float, df: int) -> float:
    """P(X >= statistic) for a chi-square variable with ``df`` degrees of freedom (exact)."""
    if statistic <= 0:
        return 1.0
    half = statistic / 2
    if df % 2 == 0:
        term = total = 1.0
        for i in range(1, df // 2):
            term *= half / i
            total += term
        return min(1.0, math.exp(-half) * total)
    total = math.erfc(math.sqrt(half))
    term = math.sqrt(half) / math.gamma(1.5) * math.exp(-half)
    for j in range(1, (df - 1) // 2 + 1):
        total += term
        term *= half / (j + 0.5)
    return min(1.0, total)


def chi2_pvalue(counts: np.ndarray, probs: np.ndarray) -> float:
    """The p-value of Pearson's chi-square test of ``counts`` against ``probs``.

    Cells expecting fewer than 5 draws are merged, smallest first; with fewer than two cells
    left the test cannot tell and the p-value is 1.

    Args:
        counts: How often each outcome was drawn.
        probs: The probability of each outcome.

    Returns:
        The p-value, in ``[0, 1]``.

    Raises:
        Nothing for arrays of the same length.

    Example:
        >>> round(chi2_pvalue(np.array([50, 50]), np.array([0.5, 0.5])), 3)
        1.0

    Introduced in: notebooks/07_keras_exercises.ipynb
    """
    n = counts.sum()
    expected = probs * n
    order = np.argsort(expected)
    obs_cells: list[float] = []
    exp_cells: list[float] = []
    pooled_obs = pooled_exp = 0.0
    for i in order:
        pooled_obs += counts[i]
        pooled_exp += expected[i]
        if pooled_exp >= 5:
            obs_cells.append(pooled_obs)
            exp_cells.append(pooled_exp)
            pooled_obs = pooled_exp = 0.0
    if pooled_exp > 0 or pooled_obs > 0:
        if exp_cells:
            obs_cells[-1] += pooled_obs
            exp_cells[-1] += pooled_exp
        else:
            return 1.0
    if len(exp_cells) < 2:
        return 1.0
    obs, exp = np.array(obs_cells), np.array(exp_cells)
    statistic = float(((obs - exp) ** 2 / exp).sum())
    return _chi2_sf(statistic, len(exp_cells) - 1)


# ---------------------------------------------------------------------------------------------
# Helpers for the checks of gated cells (LSTM, GRU): weights read in the wrong block order
# ---------------------------------------------------------------------------------------------


def block_order_message(
    order: tuple[str, ...], keras_order: tuple[str, ...], names: Mapping[str, str]
) -> str:
    """Why a step that reads the gate blocks of Keras's weights in ``order`` is wrong.

    Two blocks swapped are named (``"your input and forget gates look swapped"``); any other
    order is spelled out next to Keras's.

    Args:
        order: The gate each block is read as, e.g. ``("f", "i", "c", "o")``.
        keras_order: Keras's order of the same gates, e.g. ``("i", "f", "c", "o")``.
        names: Each gate's name in words, e.g. ``{"i": "input gate", ...}``.

    Returns:
        One sentence, without a full stop.

    Raises:
        ValueError: If ``order`` and ``keras_order`` differ in length.

    Example:
        >>> block_order_message(("r", "z", "h"), ("z", "r", "h"),
        ...                     {"z": "update gate", "r": "reset gate", "h": "candidate"})[:40]
        'your update and reset gates look swapped'

    Introduced in: notebooks/04_lstm.ipynb
    """
    wrong = [k for k, (a, b) in enumerate(zip(order, keras_order, strict=True)) if a != b]
    keras = ", ".join(keras_order)
    if len(wrong) == 2:
        first, second = (names[keras_order[k]] for k in wrong)
        if first.endswith(" gate") and second.endswith(" gate"):
            pair = f"{first.removesuffix(' gate')} and {second.removesuffix(' gate')} gates"
        else:
            pair = f"{first} and {second}"
        return (
            f"your {pair} look swapped: Keras's kernel, recurrent kernel and bias hold the "
            f"blocks in the order {keras}"
        )
    return (
        f"your gate blocks are in the wrong order: your step reads them as {', '.join(order)}; "
        f"Keras's order is {keras}"
    )


def permuted_blocks(
    step: Callable[..., Any], order: Sequence[int], blocks: int, weights: slice
) -> Callable[..., Any]:
    """``step`` run on weights whose column blocks are taken in ``order``: a learner's mix-up.

    Args:
        step: The right step function, e.g. ``lstm_step(x_t, h_prev, c_prev, kernel, ...)``.
        order: The block taken as block ``k``, for each ``k``.
        blocks: The number of column blocks in each weight (4 for an LSTM, 3 for a GRU).
        weights: The positions of the weight arguments among ``step``'s arguments.

    Returns:
        The mixed-up step, with ``step``'s arguments.

    Raises:
        Nothing when it is made; the mixed-up step raises what ``step`` raises.

    Example:
        >>> swap = permuted_blocks(lambda w: w, (1, 0), 2, slice(0, 1))
        >>> swap(np.array([1, 2]))
        array([2, 1])

    Introduced in: notebooks/04_lstm.ipynb
    """

    def mixed(*args: Any) -> Any:
        args_list = list(args)
        for k in range(len(args_list))[weights]:
            parts = np.split(np.asarray(args_list[k]), blocks, axis=-1)
            args_list[k] = np.concatenate([parts[j] for j in order], axis=-1)
        return step(*args_list)

    return mixed


# ---------------------------------------------------------------------------------------------
# Reading a learner's Keras model
# ---------------------------------------------------------------------------------------------


def model_layers(model: object, depth: int = 0) -> list[Any]:
    """A model's layers in order, without input layers, nested models opened (4 levels at most).

    Args:
        model: Anything; a Keras model has a ``layers`` list.
        depth: How many nested models were opened already (leave it at 0).

    Returns:
        The layers; an empty list for a value without layers.

    Raises:
        Nothing.

    Example:
        >>> model_layers(3)
        []

    Introduced in: notebooks/07_keras_exercises.ipynb
    """
    found: list[Any] = []
    for layer in list(getattr(model, "layers", None) or []):
        kind = type(layer).__name__
        if kind == "InputLayer":
            continue
        if depth < 4 and kind in ("Sequential", "Functional", "Model"):
            found += model_layers(layer, depth + 1)
        else:
            found.append(layer)
    return found


def layer_text(layer: Any) -> str:
    """A layer in a few characters: ``Embedding(100, 16)``, ``Bidirectional(GRU(32))``.

    Args:
        layer: A Keras layer (read by duck typing: ``units``, ``input_dim``, ``forward_layer``).

    Returns:
        The class name, with the units (or the embedding's sizes) when the layer has them.

    Raises:
        Nothing.

    Example:
        >>> layer_text(object())
        'object'

    Introduced in: notebooks/07_keras_exercises.ipynb
    """
    kind = type(layer).__name__
    inner = getattr(layer, "forward_layer", None) or getattr(layer, "layer", None)
    if inner is not None and kind == "Bidirectional":
        return f"{kind}({layer_text(inner)})"
    if kind == "Embedding":
        return f"{kind}({getattr(layer, 'input_dim', '?')}, {getattr(layer, 'output_dim', '?')})"
    units = getattr(layer, "units", None)
    return f"{kind}({units})" if _is_int(units) else kind
