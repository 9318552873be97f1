"""Exercises of chapter 6, "tf.keras recurrent layers in practice".

Introduced in: notebooks/06_keras_recurrent_layers.ipynb
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from course_utils.exercises import (
    Check,
    Exercise,
    PredicateCheck,
    Status,
    as_count,
    as_labels,
    as_number,
    as_shape,
    is_placeholder,
)

__all__ = ["q1", "q2", "q3", "q4", "q5", "q6"]


# --- Exercise 6.1: the shapes of GRU(16, return_sequences=True, return_state=True) -----------

_Q1 = [(8, 5, 16), (8, 16)]


def _check_q1(value: object) -> tuple[bool, str]:
    if as_shape(value) is not None:
        return False, (
            "expected a list of shape tuples, one per tensor the layer returns; got the single "
            f"shape {as_shape(value)}"
        )
    if not isinstance(value, (list, tuple)):
        return False, f"expected a list of shape tuples, got {type(value).__name__}"
    shapes = [as_shape(v) for v in value]
    if any(s is None for s in shapes):
        return False, "every item must be a shape: a tuple of ints such as (8, 16)"
    if shapes == _Q1:
        return True, "a GRU returns its output (every step's h) and one final state, h_T."
    if len(shapes) == 3:
        return False, (
            "three tensors is what an LSTM returns (output, h, c): a GRU has a single state, "
            "so return_state=True adds only h"
        )
    if len(shapes) == 1:
        return False, "return_state=True adds the final state to the output: two tensors"
    if len(shapes) == 2 and shapes[0] == (8, 16):
        return False, (
            "the first tensor is the output; with return_sequences=True it holds the state at "
            "every step: (batch, time, units)"
        )
    if len(shapes) == 2 and shapes[0] == (8, 5, 16):
        return False, "the final state has no time axis: (batch, units)"
    return False, "expected two shapes: (batch, time, units) for the output, then the state"


q1 = Exercise(
    "Exercise 6.1",
    var="answer_q1",
    check=PredicateCheck(_check_q1, description="the list of output shapes of the GRU"),
    hints=(
        "return_state=True returns [output, *final_states]; how many states does a GRU have?",
        "A GRU has one state h. The output with return_sequences=True is (batch, time, units).",
    ),
    solution="answer_q1 = [(8, 5, 16), (8, 16)]  # every step's h, then the final h",
)


# --- Parameter counts with specific feedback (6.2, 6.3) ----------------------------------------


_UNBUILT = "unbuilt"


def _count_of(value: object) -> int | str | None:
    """A count from a number (see as_count) or a Keras model/layer; ``_UNBUILT`` if unbuilt."""
    count = as_count(value)
    if count is not None or as_number(value) is not None:
        return count
    count_params = getattr(value, "count_params", None)
    if callable(count_params):
        try:
            return as_count(count_params())
        except ValueError:  # Keras: the layer has no weights yet
            return _UNBUILT
    return None


def _count_check(expected: int, mistakes: dict[int, str]) -> Callable[[object], tuple[bool, str]]:
    """A predicate for a parameter count that explains known wrong counts."""

    def check(value: object) -> tuple[bool, str]:
        count = _count_of(value)
        if count == _UNBUILT:
            return False, (
                "the layer is not built yet, so it has no weights to count: call "
                "layer.build((None, None, features)) or call it on an input, then check again"
            )
        if count is None and as_number(value) is not None:
            return False, f"a number of parameters is a whole number, got {value!r:.40}"
        if not isinstance(count, int):
            return False, (
                f"expected a number of parameters (an int) or a built Keras layer, "
                f"got {type(value).__name__}"
            )
        if count == expected:
            return True, f"{count:,} parameters."
        if count in mistakes:
            return False, f"{count:,} is not it: {mistakes[count]}"
        side = "too large" if count > expected else "too small"
        return False, f"{count:,} is {side}: count the kernel, recurrent kernel and bias again"

    return check


_Q2 = 2 * 4 * 32 * (10 + 32 + 1)

q2 = Exercise(
    "Exercise 6.2",
    var="answer_q2",
    check=PredicateCheck(
        _count_check(
            _Q2,
            {
                _Q2 // 2: "that is one LSTM; Bidirectional holds two, each with its own weights",
                2 * 4 * 32 * (10 + 32): "you left out the biases (4 * 32 per LSTM)",
                2 * 32 * (10 + 32 + 1): "an LSTM has four blocks (i, f, c, o), not one",
                2 * 4 * 32 * (20 + 32 + 1): (
                    "the backward LSTM reads the same 10 input features; it does not read the "
                    "forward LSTM's output"
                ),
            },
        ),
        description="the parameter count of Bidirectional(LSTM(32)) on 10 features",
    ),
    hints=(
        "One LSTM(32) on 10 features has 4 * 32 * (10 + 32 + 1) parameters (chapter 4).",
        "Bidirectional makes a second, independent copy for the backward direction.",
    ),
    solution="answer_q2 = 2 * 4 * 32 * (10 + 32 + 1)  # two LSTMs, four blocks each",
)

_Q3 = 3 * 20 * (12 + 20 + 1)

q3 = Exercise(
    "Exercise 6.3",
    var="answer_q3",
    check=PredicateCheck(
        _count_check(
            _Q3,
            {
                3 * 20 * (12 + 20 + 2): (
                    "that is the default reset_after=True, which has two bias vectors "
                    "(input and recurrent); reset_after=False has one"
                ),
                3 * 20 * (12 + 20): "you left out the bias (3 * 20 values)",
                4 * 20 * (12 + 20 + 1): "that is an LSTM (four blocks); a GRU has three (z, r, h)",
            },
        ),
        description="the parameter count of GRU(20, reset_after=False) on 12 features",
    ),
    hints=(
        "A GRU has three blocks (z, r, h), each with a kernel, a recurrent kernel and a bias.",
        "With reset_after=False the bias has shape (3 * units,): one bias vector, not two.",
    ),
    solution="answer_q3 = 3 * 20 * (12 + 20 + 1)  # three blocks, one bias vector",
)


# --- Exercise 6.4: which configurations are cuDNN-eligible -------------------------------------

_Q4 = {"a", "c", "f"}
_Q4_WHY = {
    "a": "the default LSTM meets every condition",
    "b": "recurrent_dropout > 0 rules cuDNN out (the mask must act inside the loop)",
    "c": "input dropout is applied before the loop, so cuDNN is still used",
    "d": "cuDNN's GRU is the reset_after=True variant",
    "e": "cuDNN needs activation tanh (and recurrent_activation sigmoid)",
    "f": "go_backwards and return_sequences do not matter",
    "g": "a cell wrapped in keras.layers.RNN never uses cuDNN: only LSTM/GRU layers try it",
    "h": "an unrolled layer is not run on cuDNN",
}


def _check_q4(value: object) -> tuple[bool, str]:
    labels = as_labels(value)
    if labels is None:
        return False, f"expected a set of labels such as {{'a', 'b'}}, got {type(value).__name__}"
    unknown = sorted(labels - set(_Q4_WHY))
    if unknown:
        return False, f"{unknown[0]!r} is not one of the labels a to h"
    if labels == _Q4:
        return True, "a, c and f. " + "; ".join(f"{k}: {_Q4_WHY[k]}" for k in sorted(_Q4))
    wrong = sorted(labels - _Q4)
    if wrong:
        return False, f"{wrong[0]} is not eligible: {_Q4_WHY[wrong[0]]}"
    missing = sorted(_Q4 - labels)
    return False, f"{missing[0]} is eligible too: {_Q4_WHY[missing[0]]}"


q4 = Exercise(
    "Exercise 6.4",
    var="answer_q4",
    check=PredicateCheck(_check_q4, description="the set of cuDNN-eligible labels"),
    hints=(
        "The conditions: tanh and sigmoid, recurrent_dropout == 0, unroll=False, use_bias=True, "
        "reset_after=True for a GRU, and an LSTM or GRU layer (not keras.layers.RNN(cell)).",
        "Input dropout, go_backwards, stateful and return_sequences do not matter.",
    ),
    solution="""\
answer_q4 = {"a", "c", "f"}
# b: recurrent dropout; d: reset_after=False; e: not tanh; g: a wrapped cell; h: unrolled""",
)


# --- Exercise 6.5: batch_shape of a stateful layer ---------------------------------------------


def _check_q5(value: object) -> tuple[bool, str]:
    shape = as_shape(value)
    if shape is None:
        return False, f"expected a tuple such as (batch, steps, features), got {value!r}"
    if len(shape) != 3:
        return False, (
            f"a recurrent layer's input has three axes (batch, steps, features); "
            f"{shape} has {len(shape)}"
        )
    batch, steps, features = shape
    if batch is None:
        return False, (
            "a stateful layer needs a fixed batch size: it keeps one state per sample, so the "
            "first entry must be the number of recordings"
        )
    if (batch, steps, features) == (20, 6, 3):
        return False, "the batch axis comes first: (recordings, steps per chunk, features)"
    if batch != 6:
        return False, (
            f"the batch size is the number of parallel streams (recordings), not {batch}: "
            "sample i of every batch continues recording i"
        )
    if features != 3:
        return False, f"the last axis holds the features per step (3), not {features}"
    if steps not in (20, None):
        return False, f"each chunk has 20 steps (or None for any length), not {steps}"
    return True, "a stateful layer needs the batch size fixed; the number of steps may be None."


q5 = Exercise(
    "Exercise 6.5",
    var="answer_q5",
    check=PredicateCheck(_check_q5, description="the batch_shape of the stateful model's input"),
    hints=(
        "batch_shape is (batch, steps, features), with the batch size included.",
        "Each recording is one sample of every batch: 6 samples, 20 steps per chunk, 3 features.",
    ),
    solution="answer_q5 = (6, 20, 3)  # (recordings, steps per chunk, features); 20 may be None",
)


# --- Exercise 6.6: an encoder that ignores padding ---------------------------------------------

_UNPADDED = [[4, 9, 2], [7, 1, 3]]
_VARIANTS = {
    "padding at the end": np.array([[4, 9, 2, 0, 0], [7, 1, 3, 0, 0]]),
    "padding at the start": np.array([[0, 0, 4, 9, 2], [0, 0, 7, 1, 3]]),
}


def _states(model: object, ids: np.ndarray) -> np.ndarray:
    out = model(ids)  # type: ignore[operator]
    if isinstance(out, (list, tuple)):
        out = out[0]
    return np.asarray(out, dtype=np.float64)


def _raised(what: str, exc: Exception) -> str:
    detail = " ".join(str(exc).split())[:200]
    return f"{what} raised {type(exc).__name__}" + (f": {detail}" if detail else "")


def _layers(model: object) -> list[object]:
    """Every layer of a model, nested models and wrappers (Bidirectional) opened."""
    found = []
    for layer in getattr(model, "layers", []):
        found.append(layer)
        if hasattr(layer, "layers"):
            found += _layers(layer)
        for inner in ("forward_layer", "backward_layer", "layer"):
            wrapped = getattr(layer, inner, None)
            if wrapped is not None and wrapped not in found:
                found.append(wrapped)
    return found


def _structure_problem(model: object) -> str:
    """What the model lacks of the prompt's Embedding(50, 8) -> GRU(16), or ""."""
    layers = _layers(model)
    kinds = [type(layer).__name__ for layer in layers]
    if "Bidirectional" in kinds:
        return "the prompt asks for one GRU(16) reading left to right; remove the Bidirectional"
    recurrent = [layer for layer in layers if type(layer).__name__ in _RECURRENT_KINDS]
    if [type(layer).__name__ for layer in recurrent] != ["GRU"]:
        named = ", ".join(type(layer).__name__ for layer in recurrent) or "none"
        return f"the model should have exactly one GRU layer (recurrent layers found: {named})"
    embeddings = [layer for layer in layers if type(layer).__name__ == "Embedding"]
    if len(embeddings) != 1:
        return f"the model should have one Embedding layer; found {len(embeddings)}"
    sizes = (getattr(embeddings[0], "input_dim", None), getattr(embeddings[0], "output_dim", None))
    if sizes != (50, 8):
        return (
            f"the Embedding should map 50 ids to vectors of dimension 8: Embedding(50, 8, ...); "
            f"yours is Embedding({sizes[0]}, {sizes[1]})"
        )
    return ""


_RECURRENT_KINDS = frozenset({"GRU", "LSTM", "SimpleRNN", "RNN", "GRUCell", "LSTMCell"})


def _padded_variants(unpadded: np.ndarray, pads: int) -> dict[str, np.ndarray]:
    """The batch with ``pads`` padding ids (0) at the end of every row, and at the start."""
    zeros = np.zeros((len(unpadded), pads), dtype=unpadded.dtype)
    return {
        "padding at the end": np.concatenate([unpadded, zeros], axis=1),
        "padding at the start": np.concatenate([zeros, unpadded], axis=1),
    }


class _PaddingCheck(Check):
    """Calls ``make_encoder()`` and compares the model's output on padded and unpadded ids."""

    def __init__(
        self, unpadded: np.ndarray | None = None, variants: dict[str, np.ndarray] | None = None
    ) -> None:
        self._unpadded = np.array(_UNPADDED) if unpadded is None else unpadded
        self._variants = _VARIANTS if variants is None else variants

    def for_grading(self, seed: int) -> Check:
        """The same check on ids drawn from the grader's seed: 2-4 rows of 2-6 ids in 1-49,
        padded with 1-4 zeros at the end and at the start."""
        rng = np.random.default_rng([int(seed) % 2**63, 66])
        shape = (int(rng.integers(2, 5)), int(rng.integers(2, 7)))
        unpadded = rng.integers(1, 50, size=shape)
        return _PaddingCheck(unpadded, _padded_variants(unpadded, int(rng.integers(1, 5))))

    def _evaluate(self, value: object) -> tuple[Status, str]:
        if not callable(value):
            return "failed", f"expected a function make_encoder(), got {type(value).__name__}"
        if hasattr(value, "layers") and hasattr(value, "count_params"):
            return "failed", (
                "make_encoder is a model, not the function that builds one: write "
                "def make_encoder(): ... return keras.Model(...), and leave make_encoder uncalled"
            )
        try:
            model = value()
        except Exception as exc:
            return "error", _raised("make_encoder()", exc)
        if is_placeholder(model):
            return "not attempted", (
                "make_encoder() still returns ____: replace ____ with your model, run the cell, "
                "then run this check again."
            )
        if model is None:
            return "failed", "make_encoder() returned None: did you forget a return statement?"
        if not callable(model):
            return "failed", (
                f"make_encoder() should return a Keras model, got {type(model).__name__}"
            )
        wrong = _structure_problem(model)
        if wrong:
            return "failed", wrong
        try:
            reference = _states(model, self._unpadded)
            padded = {where: _states(model, ids) for where, ids in self._variants.items()}
        except Exception as exc:
            return "error", _raised("calling your model on a batch of token ids", exc)
        if reference.shape != (len(self._unpadded), 16):
            return "failed", (
                f"the model should return the GRU(16)'s final state, shape (batch, 16); "
                f"got shape {reference.shape}"
            )
        scale = max(float(np.abs(reference).max()), 1e-3)
        for where, states in padded.items():
            difference = float(np.abs(states - reference).max())
            if difference > 1e-4 * scale + 1e-6:
                return "failed", (
                    f"with {where} the final state changed by up to {difference:.2g}: the "
                    "padding is read as real input. Did you set mask_zero=True on the Embedding?"
                )
        return "passed", "padding at either end leaves the final state unchanged."

    def describe(self) -> str:
        return "calls make_encoder() and compares its outputs on padded and unpadded sequences"


q6 = Exercise(
    "Exercise 6.6",
    var="make_encoder",
    check=_PaddingCheck(),
    hints=(
        "keras.Input((None,), dtype='int32') -> layers.Embedding(50, 8, ...) -> layers.GRU(16).",
        "Embedding(..., mask_zero=True) creates the mask, and the GRU skips masked steps.",
    ),
    solution="""\
def make_encoder():
    ids = keras.Input((None,), dtype="int32")
    vectors = layers.Embedding(50, 8, mask_zero=True)(ids)
    return keras.Model(ids, layers.GRU(16)(vectors))""",
)
