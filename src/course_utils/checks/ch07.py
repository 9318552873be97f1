"""Exercises of chapter 7, "tf.keras exercises" (the graded capstone).

Besides the exercises ``q1`` ... ``q8``, the module holds the data of the two training exercises
and the evaluations their checks run, so that a learner can score a model exactly as the check
will before asking for a verdict:

* Korean spacing (exercise 7.5): :func:`spacing_data` gives the training and validation arrays,
  :func:`spacing_scores` the precision, recall and F1 of a model's spaces on the validation or
  the (check's) test lines.
* Character-level Shakespeare (exercises 7.6 and 7.7): :func:`char_lm_data` gives the lines and
  the character vocabulary, :func:`char_lm_cross_entropy` a model's cross-entropy on the fixed
  validation lines.

The checks never train anything: they call the learner's model on fixed inputs. This module
imports neither TensorFlow nor Keras (models are recognised by being callable).

Introduced in: notebooks/07_keras_exercises.ipynb
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any, Final

import numpy as np

from course_utils import data, rnn_numpy, tasks, text
from course_utils.check_helpers import (
    ModelInterfaceError,
    call_cases,
    call_model,
    layer_text,
    looks_like_probabilities,
    model_layers,
    not_a_model,
    raised_text,
    still_placeholder,
    type_text,
)
from course_utils.checks._ch07_sampling import _SampleCheck
from course_utils.exercises import (
    Check,
    Exercise,
    PredicateCheck,
    Status,
    as_shape,
    is_placeholder,
)

__all__ = [
    "CHAR_LM_MAX_LOSS",
    "CHAR_LM_WIDTH",
    "SPACING_MIN_F1",
    "SPACING_WIDTH",
    "char_lm_cross_entropy",
    "char_lm_data",
    "q1",
    "q2",
    "q3",
    "q4",
    "q5",
    "q6",
    "q7",
    "q8",
    "q9",
    "spacing_data",
    "spacing_scores",
]

#: Exercise 7.5 passes when the spacing model's F1 on the test lines is at least this. The
#: reference solution scores 0.925-0.931 over three seeds; chapter 3's one-directional
#: SimpleRNN scores 0.889 and the syllable baseline 0.653.
#:
#: Introduced in: notebooks/07_keras_exercises.ipynb
SPACING_MIN_F1: Final[float] = 0.90

#: Exercise 7.7 passes when the language model's cross-entropy on the validation lines is at
#: most this many nats per character. The reference solution reaches 1.74-1.77 over three seeds;
#: a uniform guess over the vocabulary scores about 4.3.
#:
#: Introduced in: notebooks/07_keras_exercises.ipynb
CHAR_LM_MAX_LOSS: Final[float] = 2.0

#: Width of the spacing arrays: lines are cut into chunks of at most 64 syllables.
#:
#: Introduced in: notebooks/07_keras_exercises.ipynb
SPACING_WIDTH: Final[int] = 64

#: Width of the language-model arrays: ``<s>`` plus a line of at most 64 characters.
#:
#: Introduced in: notebooks/07_keras_exercises.ipynb
CHAR_LM_WIDTH: Final[int] = 65

_CHAR_TRAIN_LINES: Final[int] = 5000
_CHAR_VALID_LINES: Final[int] = 300


# ---------------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------------


def _is_int(value: object) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


def _shape_text(shape: Sequence[object]) -> str:
    parts = [str(v) for v in shape]
    return "(" + ", ".join(parts) + ("," if len(parts) == 1 else "") + ")"


# ---------------------------------------------------------------------------------------------
# Exercise 7.1: shapes through a stacked, bidirectional network
# ---------------------------------------------------------------------------------------------

_Q1: Final[dict[str, tuple[int, ...]]] = {
    "a": (4, 20, 32),
    "b": (4, 12),
    "seq": (4, 20, 10),
    "h_T": (4, 10),
    "c_T": (4, 10),
    "d": (4, 20, 3),
}
_Q1_MISTAKES: Final[dict[tuple[str, tuple[int, ...]], str]] = {
    ("a", (4, 20, 16)): (
        "Bidirectional joins its two directions with merge_mode='concat' by default, so the "
        "features of the two LSTMs sit side by side"
    ),
    ("a", (4, 32)): "the LSTM inside has return_sequences=True, so the time axis stays",
    ("a", (4, 16)): "the LSTM inside has return_sequences=True, so the time axis stays",
    ("b", (4, 24)): (
        "merge_mode='sum' adds the two directions element by element instead of concatenating them"
    ),
    ("b", (4, 20, 12)): "the GRU inside has return_sequences=False: only its last step comes out",
    ("b", (4, 20, 24)): "the GRU inside has return_sequences=False: only its last step comes out",
    ("seq", (4, 10)): "with return_sequences=True the first output holds the state of every step",
    ("h_T", (4, 20, 10)): "a final state belongs to the last step only: it has no time axis",
    ("c_T", (4, 20, 10)): "a final state belongs to the last step only: it has no time axis",
    ("d", (4, 3)): "Dense acts on the last axis only; the batch and time axes pass through",
    ("d", (4, 20, 10)): "Dense(3) maps the last axis to 3 features",
}
_Q1_NUDGE: Final[dict[str, str]] = {
    "a": "how many directions are there, and how many features does each give at every step?",
    "b": "what does merge_mode='sum' do, and does the inner GRU keep the time axis?",
    "seq": "what does return_sequences=True return as the first output?",
    "h_T": "the final hidden state of the LSTM: one vector per sequence",
    "c_T": "the final cell state of the LSTM: the same shape as h_T",
    "d": "Dense transforms the last axis and keeps the others",
}


def _check_q1(value: object) -> tuple[bool, str]:
    if not isinstance(value, dict):
        return False, (
            f'answer with a dict of shapes, e.g. {{"a": (4, 5, 6), ...}}; got {type_text(value)}'
        )
    missing = [key for key in _Q1 if key not in value]
    if missing:
        return False, f"the dict is missing the key(s) {', '.join(map(repr, missing))}"
    extra = sorted(str(key) for key in value if key not in _Q1)
    if extra:
        return False, f"unexpected key(s) {', '.join(map(repr, extra))}; the keys are {list(_Q1)}"
    problems = []
    for key, want in _Q1.items():
        got = as_shape(value[key])
        if got is None:
            problems.append(
                f"{key!r} should be a shape, a tuple of ints such as (4, 5), not "
                f"{type_text(value[key])}"
            )
        elif None in got or (got and got[0] != 4):
            problems.append(f"{key!r}: give the sizes for this batch, whose first axis is 4")
        elif got != want:
            reason = _Q1_MISTAKES.get((key, got), _Q1_NUDGE[key])
            problems.append(f"{key!r}: {_shape_text(got)} is not right; {reason}")
    if not problems:
        return True, (
            "every shape is right: concat doubles the width, sum keeps it, return_sequences "
            "keeps the time axis, final states never have one, and Dense acts on the last axis."
        )
    more = f" ({len(problems)} of {len(_Q1)} shapes are wrong)" if len(problems) > 1 else ""
    return False, problems[0] + more


q1 = Exercise(
    "Exercise 7.1",
    var="answer_q1",
    check=PredicateCheck(_check_q1, description="the six shapes of the stacked network"),
    hints=(
        "Work from the input (4, 20, 8) down. A recurrent layer with return_sequences=True "
        "gives (batch, time, units), without it (batch, units); Bidirectional with "
        "merge_mode='concat' doubles the last axis.",
        "a: two LSTMs of 16 concatenated at every step. b: the two GRUs' last states added. "
        "seq, h_T, c_T: an LSTM with return_state=True returns [output, h, c].",
    ),
    solution="""\
answer_q1 = {
    "a": (4, 20, 32),  # 16 forward + 16 backward features at each of the 20 steps
    "b": (4, 12),  # last states only, the two directions added
    "seq": (4, 20, 10),  # every step's h
    "h_T": (4, 10),  # final h
    "c_T": (4, 10),  # final c
    "d": (4, 20, 3),  # Dense on the last axis
}""",
    points=1,
)


# ---------------------------------------------------------------------------------------------
# Exercise 7.2: a many-to-one GRU classifier with exactly 6,564 parameters
# ---------------------------------------------------------------------------------------------

_Q2_VOCAB, _Q2_DIM, _Q2_CLASSES, _Q2_UNITS = 50, 8, 4, 40


def _q2_count(units: int, kind: str = "gru") -> int:
    """Embedding(50, 8) -> recurrent layer -> Dense(4)."""
    layer = {
        "gru": rnn_numpy.gru_param_count(_Q2_DIM, units, reset_after=True),
        "gru_before": rnn_numpy.gru_param_count(_Q2_DIM, units, reset_after=False),
        "lstm": rnn_numpy.lstm_param_count(_Q2_DIM, units),
    }[kind]
    return _Q2_VOCAB * _Q2_DIM + layer + units * _Q2_CLASSES + _Q2_CLASSES


_Q2: Final[int] = _q2_count(_Q2_UNITS)  # 6,564
_Q2_IDS: Final[np.ndarray] = np.array(
    [[3, 14, 15, 9, 2, 6, 5], [27, 1, 8, 28, 18, 28, 4], [49, 10, 33, 7, 0, 0, 0]], dtype=np.int32
)


def _units_for(count: int, kind: str) -> int | None:
    """The number of units that gives ``count`` parameters with this layer kind, if any."""
    for units in range(1, 400):
        if _q2_count(units, kind) == count:
            return units
    return None


#: Arguments of a recurrent layer whose defaults exercise 7.2 fixes ("Keras's default arguments").
_DEFAULT_ARGS: Final[tuple[str, ...]] = (
    "activation",
    "recurrent_activation",
    "use_bias",
    "return_sequences",
    "return_state",
    "go_backwards",
    "stateful",
    "unroll",
    "reset_after",
    "dropout",
    "recurrent_dropout",
)


def _changed_defaults(layer: Any) -> list[str]:
    """``name=value`` for each argument of ``_DEFAULT_ARGS`` the layer sets to a non-default."""
    try:
        mine = layer.get_config()
        default = type(layer)(layer.units).get_config()
    except Exception:
        return []
    return [
        f"{key}={mine[key]!r}"
        for key in _DEFAULT_ARGS
        if key in mine and key in default and mine[key] != default[key]
    ]


def _classifier_structure(model: object) -> str | None:
    """What the classifier lacks of Embedding(50, 8) -> GRU with defaults -> Dense, or None."""
    layers = model_layers(model)
    kinds = [type(layer).__name__ for layer in layers]
    if kinds != ["Embedding", "GRU", "Dense"]:
        return (
            "the prompt asks for three layers, Embedding, GRU and Dense, in that order; yours "
            f"are {', '.join(layer_text(layer) for layer in layers) or 'none'}"
        )
    if layer_text(layers[0]) != f"Embedding({_Q2_VOCAB}, {_Q2_DIM})":
        return (
            f"the Embedding should be Embedding({_Q2_VOCAB}, {_Q2_DIM}); yours is "
            f"{layer_text(layers[0])}"
        )
    changed = _changed_defaults(layers[1])
    if changed:
        return f"keep Keras's default arguments for the GRU; yours sets {', '.join(changed)}"
    return None


class _ClassifierCheck(Check):
    """Builds nothing: counts the parameters and calls the model on a batch of ids."""

    def _evaluate(self, value: object) -> tuple[Status, str]:
        problem = not_a_model(value)
        if problem:
            return "failed", problem
        try:
            count = value.count_params()  # type: ignore[attr-defined]
        except ValueError:
            return "failed", (
                "the model is not built yet: start it with keras.Input(shape=(None,), "
                "dtype='int32') so that Keras knows the input and creates the weights"
            )
        except AttributeError:
            return "failed", f"expected a Keras model (with count_params()), got {type_text(value)}"
        except Exception as exc:
            return "error", raised_text("count_params() on your model", exc)
        if not _is_int(count):
            return "failed", f"count_params() returned {type_text(count)}, not an int"
        try:
            out = call_model(value, _Q2_IDS)
            changed = _Q2_IDS.copy()
            changed[:, 0] = [7, 7, 7]
            out_changed = call_model(value, changed)
        except ModelInterfaceError as exc:
            return "failed", str(exc)
        except Exception as exc:
            return "error", raised_text("calling your model on a batch of ids of shape (3, 7)", exc)
        if out.ndim == 3 and out.shape[:2] == (3, 7):
            return "failed", (
                f"the output has shape {_shape_text(out.shape)}, one answer per step; a "
                "many-to-one classifier gives one answer per sequence, so the GRU must return "
                "only its last state (leave return_sequences=False)"
            )
        if out.shape != (3, _Q2_CLASSES):
            return "failed", (
                f"for 3 sequences the output should have shape (3, {_Q2_CLASSES}), one "
                f"probability per class; got {_shape_text(out.shape)}"
            )
        if not np.all(np.isfinite(out)):
            return "failed", "the output contains NaN or infinity"
        if not looks_like_probabilities(out):
            return "failed", (
                "each row of the output should be a probability distribution (non-negative, "
                "summing to 1): give the last Dense layer activation='softmax'"
            )
        if np.abs(out - out_changed).max() <= 1e-9:
            return "failed", (
                "the output does not change when the first token changes: the classifier must "
                "read the whole sequence"
            )
        count = int(count)
        if count != _Q2:
            return "failed", self._count_message(count)
        structure = _classifier_structure(value)
        if structure:
            return "failed", structure
        return "passed", (
            f"{_Q2:,} parameters and one probability distribution over {_Q2_CLASSES} classes "
            "per sequence."
        )

    @staticmethod
    def _count_message(count: int) -> str:
        base = f"the model has {count:,} parameters, not {_Q2:,}"
        units = _units_for(count, "gru")
        if units is not None:
            side = "fewer" if units > _Q2_UNITS else "more"
            return f"{base}: that is the count with GRU({units}); you need {side} units"
        units = _units_for(count, "gru_before")
        if units == _Q2_UNITS:
            return (
                f"{base}: that is a GRU with reset_after=False (one bias row); keep Keras's "
                "default reset_after=True"
            )
        if _units_for(count, "lstm") is not None:
            return f"{base}: that count fits an LSTM; the task asks for a GRU"
        side = "too many" if count > _Q2 else "too few"
        return (
            f"{base} ({abs(count - _Q2):,} {side}): check the Embedding (50 ids, 8 dimensions), "
            f"the GRU and the Dense layer ({_Q2_CLASSES} classes)"
        )

    def describe(self) -> str:
        return "counts the parameters and calls the model on a batch of token ids"


q2 = Exercise(
    "Exercise 7.2",
    var="classifier",
    check=_ClassifierCheck(),
    hints=(
        "Count the three parts: Embedding 50 * 8; GRU(u) on 8 features "
        "3 * (u * (8 + u) + 2 * u) (Keras's default reset_after=True); Dense(4) u * 4 + 4. "
        "Set the sum equal to 6,564 and solve for u, or try u in a loop with "
        "rnn_numpy.gru_param_count.",
        "The sum is 3u² + 34u + 404 = 6,564, so u = 40.",
    ),
    solution="""\
classifier = keras.Sequential([
    keras.Input(shape=(None,), dtype="int32"),
    layers.Embedding(50, 8),
    layers.GRU(40),  # 3 * (40 * (8 + 40) + 2 * 40) = 6,000 parameters
    layers.Dense(4, activation="softmax"),
])  # 400 + 6,000 + 164 = 6,564""",
    points=1,
)


# ---------------------------------------------------------------------------------------------
# Exercise 7.3: fix a broken tagger
# ---------------------------------------------------------------------------------------------

_Q3_IDS: Final[np.ndarray] = np.array(
    [[5, 17, 3, 42, 8, 0, 0], [9, 4, 61, 23, 7, 12, 99]], dtype=np.int32
)
_Q3_TAGS: Final[int] = 5
_Q3_LAYERS: Final[tuple[str, ...]] = (
    "Embedding(100, 16)",
    "Bidirectional(GRU(32))",
    "GRU(32)",
    f"Dense({_Q3_TAGS})",
)


def _tagger_structure(model: object) -> str | None:
    """Why the layers differ from the broken tagger's (the prompt keeps them), or None."""
    found = tuple(layer_text(layer) for layer in model_layers(model))
    if found == _Q3_LAYERS:
        return None
    if "Bidirectional(GRU(32))" not in found and found.count("GRU(32)") == 2:
        return (
            "keep the Bidirectional layer: the tagger should use the context on both sides of "
            "a position"
        )
    return (
        f"keep the layers of build_broken_tagger and their sizes ({', '.join(_Q3_LAYERS)}); "
        f"yours are {', '.join(found) or 'none'}"
    )


_PADDING_IDS: Final[dict[int, str]] = {
    1: "padding id",
    2: "two padding ids",
    3: "three padding ids",
}


class _TaggerCheck(Check):
    """Calls ``build_tagger()`` and tests shapes, probabilities, padding and right context.

    ``ids`` is a batch of two rows, the first ending in ``pads`` padding ids, the second with no
    padding; ``right`` replaces the second row after its position 0.
    """

    def __init__(
        self,
        ids: np.ndarray = _Q3_IDS,
        pads: int = 2,
        right: Sequence[int] = (50, 51, 52, 53, 54, 55),
    ) -> None:
        self._ids, self._pads, self._right = ids, pads, list(right)

    def for_grading(self, seed: int) -> Check:
        """The same check on a batch drawn from the grader's seed: width 5-9, one to three
        padding ids at the end of the first row, ids 1-99, the second row's later ids redrawn."""
        rng = np.random.default_rng([int(seed) % 2**63, 73])
        width, pads = int(rng.integers(5, 10)), int(rng.integers(1, 4))
        ids = rng.integers(1, 100, size=(2, width)).astype(np.int32)
        ids[0, width - pads :] = 0
        right = rng.integers(1, 100, size=width - 1)
        right[right == ids[1, 1:]] = right[right == ids[1, 1:]] % 99 + 1  # every one changes
        return _TaggerCheck(ids, pads, right.tolist())

    def _evaluate(self, value: object) -> tuple[Status, str]:
        if not callable(value):
            return "failed", f"expected a function build_tagger(), got {type_text(value)}"
        try:
            is_model = callable(getattr(value, "count_params", None))
        except Exception:
            is_model = False
        if is_model:
            return "failed", (
                "this is a model; the exercise asks for the function build_tagger that builds "
                "it (define it with def, and do not call it in the exercise cell)"
            )
        try:
            model = value()
        except Exception as exc:
            return "error", raised_text("build_tagger()", exc)
        if is_placeholder(model):
            return "not attempted", still_placeholder("build_tagger()")
        if model is None:
            return "failed", "build_tagger() returned None: did you forget a return statement?"
        if not callable(model):
            return "failed", f"build_tagger() should return a Keras model, got {type_text(model)}"
        structure = _tagger_structure(model)
        if structure:
            return "failed", structure
        ids = self._ids
        width = ids.shape[1]
        real = width - self._pads
        unpadded = ids[:1, :real]
        right = ids.copy()
        right[1, 1:] = self._right  # everything after position 0 changes
        try:
            out = call_model(model, ids)
            out_unpadded = call_model(model, unpadded)
            out_right = call_model(model, right)
        except ModelInterfaceError as exc:
            return "failed", str(exc)
        except Exception as exc:
            return "error", raised_text(
                f"calling your model on a batch of ids of shape (2, {width})", exc
            )
        if out.shape == (2, _Q3_TAGS):
            return "failed", (
                "the output has shape (2, 5): one answer per sequence. A tagger answers at "
                "every position, so the last recurrent layer needs return_sequences=True too"
            )
        if out.shape != (2, width, _Q3_TAGS):
            return "failed", (
                f"for a batch of shape (2, {width}) the output should be (2, {width}, "
                f"{_Q3_TAGS}), a distribution over the tags at every position; got "
                f"{_shape_text(out.shape)}"
            )
        if not np.all(np.isfinite(out)) or not looks_like_probabilities(out):
            return "failed", (
                "the output at each position should be a probability distribution over the 5 "
                "tags (softmax)"
            )
        leak = float(np.abs(out[0, :real] - out_unpadded[0]).max())
        if leak > 1e-5:
            return "failed", (
                f"the {_PADDING_IDS[self._pads]} at the end of a sequence change the outputs at "
                "its real positions: the backward direction reads them. Mask the padding with "
                "mask_zero=True in the Embedding"
            )
        if float(np.abs(out[1, 0] - out_right[1, 0]).max()) <= 1e-7:
            return "failed", (
                "the output at position 0 ignores everything after it; the tagger should use the "
                "context on both sides (keep the Bidirectional layer)"
            )
        return "passed", (
            "one tag distribution per position, padding masked, and context from both sides."
        )

    def describe(self) -> str:
        return "calls build_tagger() and runs the model on padded and altered batches"


q3 = Exercise(
    "Exercise 7.3",
    var="build_tagger",
    check=_TaggerCheck(),
    hints=(
        "Read the error: a recurrent layer wants 3-D input (batch, time, features). Which layer "
        "produced a 2-D output, and why?",
        "There are three bugs. Both recurrent layers need return_sequences=True (the first to "
        "feed the second, the second to answer at every position), and the Embedding needs "
        "mask_zero=True so that the backward direction skips the padding.",
        "The first bug is the one Keras reports: without return_sequences=True the "
        "bidirectional layer gives one vector per sequence, and the next recurrent layer has no "
        "time axis to loop over. Fixing only that line builds a model whose output is (batch, 5): "
        "one tag per sequence, the second bug. The third is silent. Without mask_zero=True the "
        "padding ids are read as ordinary tokens: a forward layer reads them only after the real "
        "tokens, so its outputs at the real positions are not affected, but the backward "
        "direction of a Bidirectional layer reads them first, and every real position "
        "downstream changes. Only a test of the behaviour finds that bug.",
    ),
    solution="""\
def build_tagger():
    ids = keras.Input(shape=(None,), dtype="int32")
    x = layers.Embedding(100, 16, mask_zero=True)(ids)  # fix 3: mask the padding
    x = layers.Bidirectional(layers.GRU(32, return_sequences=True))(x)  # fix 1
    x = layers.GRU(32, return_sequences=True)(x)  # fix 2: a tag at every position
    tags = layers.Dense(5, activation="softmax")(x)
    return keras.Model(ids, tags)""",
    points=2,
)


# ---------------------------------------------------------------------------------------------
# Exercise 7.4: a whole GRU sequence in NumPy, reset_after=False
# ---------------------------------------------------------------------------------------------


def _sigmoid(v: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-v))


def _gru_sequence(x, h0, kernel, recurrent_kernel, bias):
    return rnn_numpy.gru_forward(
        x, kernel, recurrent_kernel, bias, [h0], reset_after=False, return_sequences=True
    )


def _gru_variant(x, h0, kernel, recurrent_kernel, bias, *, after=False, swapped=False):
    """The usual mistakes: reset applied after the product, z and 1 - z swapped."""
    n = h0.shape[-1]
    h, states = h0, []
    for t in range(x.shape[1]):
        x_z, x_r, x_h = np.split(x[:, t] @ kernel + bias, 3, axis=-1)
        z = _sigmoid(x_z + h @ recurrent_kernel[:, :n])
        r = _sigmoid(x_r + h @ recurrent_kernel[:, n : 2 * n])
        if after:
            candidate = np.tanh(x_h + r * (h @ recurrent_kernel[:, 2 * n :]))
        else:
            candidate = np.tanh(x_h + (r * h) @ recurrent_kernel[:, 2 * n :])
        h = (1 - z) * h + z * candidate if swapped else z * h + (1 - z) * candidate
        states.append(h)
    return np.stack(states, axis=1)


_Q4_SHAPES: Final[tuple[tuple[int, int, int, int], ...]] = (
    (2, 5, 4, 3),
    (1, 3, 2, 2),
    (3, 6, 5, 4),
)


def _q4_cases(
    seed: int | list[int] = 7, shapes: Sequence[tuple[int, int, int, int]] = _Q4_SHAPES
) -> list[tuple]:
    """(x, h0, kernel, recurrent_kernel, bias) for each (batch, time, features, units)."""
    rng = np.random.default_rng(seed)
    cases = []
    for batch, time, features, units in shapes:
        cases.append(
            (
                rng.normal(size=(batch, time, features)),
                rng.normal(size=(batch, units)),
                rng.normal(size=(features, 3 * units)) * 0.8,
                rng.normal(size=(units, 3 * units)) * 0.8,
                rng.normal(size=(3 * units,)) * 0.5,
            )
        )
    return cases


class _GRUSequenceCheck(Check):
    """The reference GRU (reset_after=False) on three cases; names the usual mistakes."""

    def __init__(self, cases: list[tuple] | None = None) -> None:
        self._cases = _q4_cases() if cases is None else cases

    def for_grading(self, seed: int) -> Check:
        """The same check on three cases drawn from the grader's seed: their sizes (batch 1-3,
        2-6 steps, 1-5 features, 1-4 units, one case with a single sequence) and values."""
        rng = np.random.default_rng([int(seed) % 2**63, 74])
        shapes = [
            (int(b), int(t), int(f), int(u))
            for b, t, f, u in zip(
                [1, *rng.integers(2, 4, 2)],
                rng.integers(2, 7, 3),
                rng.integers(1, 6, 3),
                rng.integers(1, 5, 3),
                strict=True,
            )
        ]
        order = rng.permutation(3)
        return _GRUSequenceCheck(_q4_cases([int(seed) % 2**63, 75], [shapes[i] for i in order]))

    def _evaluate(self, value: object) -> tuple[Status, str]:
        if not callable(value):
            return "failed", (
                "expected a function gru_sequence(x, h0, kernel, recurrent_kernel, bias), got "
                f"{type_text(value)}"
            )
        cases = self._cases
        outputs = call_cases(value, cases, "gru_sequence")
        if isinstance(outputs, tuple):
            return outputs
        for args, got in zip(cases, outputs, strict=True):
            expected = _gru_sequence(*args)
            batch, time, units = expected.shape
            where = f"for batch {batch}, {time} steps and {units} units"
            try:
                states = np.asarray(got, dtype=np.float64)
            except Exception:
                return "failed", (
                    f"gru_sequence should return an array of shape ({batch}, {time}, {units}); "
                    f"got {type_text(got)}"
                )
            if states.shape == expected.shape and np.allclose(
                states, expected, rtol=1e-7, atol=1e-9
            ):
                continue
            diagnosis = self._diagnose(states, args, expected)
            if diagnosis:
                return "failed", diagnosis
            if states.shape != expected.shape:
                return "failed", (
                    f"{where} the result should have shape ({batch}, {time}, {units}), every "
                    f"state; got {_shape_text(states.shape)}"
                )
            with np.errstate(all="ignore"):
                bad = ~np.isclose(states, expected, rtol=1e-7, atol=1e-9)
            b, t, u = (int(i) for i in np.argwhere(bad)[0])
            want, got_value = float(expected[b, t, u]), float(states[b, t, u])
            relative = abs(got_value - want) / max(abs(want), 1e-300)
            return "failed", (
                f"{where}, {int(bad.sum())} of {bad.size} values differ from the expected "
                f"states; the first at batch {b}, step {t}, unit {u}: expected {want:.10g}, "
                f"got {got_value:.10g} (relative error {relative:.2g}; the tolerance is 1e-07)"
            )
        return "passed", "every state of every sequence matches Keras's GRU with reset_after=False."

    @staticmethod
    def _diagnose(got: np.ndarray, args: tuple, expected: np.ndarray) -> str | None:
        x, h0, kernel, recurrent_kernel, bias = args

        def close(a: np.ndarray, b: np.ndarray) -> bool:
            with np.errstate(all="ignore"):
                return a.shape == b.shape and bool(np.allclose(a, b, rtol=1e-6, atol=1e-8))

        batch, time, units = expected.shape
        if close(got, expected[:, -1]):
            return (
                f"your function returns the last state only, shape ({batch}, {units}); return "
                f"the state after every step, shape ({batch}, {time}, {units})"
            )
        if close(got, expected.transpose(1, 0, 2)):
            return (
                "the states are right but stacked along the first axis, (time, batch, units); "
                "stack them along axis 1, e.g. np.stack(states, axis=1)"
            )
        if close(got, np.concatenate([h0[:, None], expected], axis=1)):
            return "the first entry is h0 itself; return the states h_1 ... h_T only"
        if close(got, _gru_variant(x, h0, kernel, recurrent_kernel, bias, after=True)):
            return (
                "you applied the reset gate after the recurrent product, r * (h_prev @ U_h): "
                "that is reset_after=True. Here r scales h_prev first: (r * h_prev) @ U_h"
            )
        if close(got, _gru_variant(x, h0, kernel, recurrent_kernel, bias, swapped=True)):
            return (
                "this is the swapped convention, (1 - z) * h_prev + z * h_tilde; Keras "
                "multiplies the previous state by z"
            )
        return None


q4 = Exercise(
    "Exercise 7.4",
    var="gru_sequence",
    check=_GRUSequenceCheck(),
    hints=(
        "Loop over t = 0 ... T - 1 with h = h0. The bias is one vector (3 * units,): add it to "
        "x[:, t] @ kernel and split the result into z, r and h blocks. Split the columns of "
        "recurrent_kernel into U_z, U_r and U_h the same way.",
        "z = sigmoid(x_z + h @ U_z), r = sigmoid(x_r + h @ U_r), "
        "h_tilde = tanh(x_h + (r * h) @ U_h), h = z * h + (1 - z) * h_tilde; collect every h "
        "and return np.stack(states, axis=1).",
    ),
    solution="""\
def gru_sequence(x, h0, kernel, recurrent_kernel, bias):
    units = h0.shape[-1]
    u_z, u_r, u_h = np.split(recurrent_kernel, 3, axis=-1)
    h, states = h0, []
    for t in range(x.shape[1]):
        x_z, x_r, x_h = np.split(x[:, t] @ kernel + bias, 3, axis=-1)
        z = 1 / (1 + np.exp(-(x_z + h @ u_z)))
        r = 1 / (1 + np.exp(-(x_r + h @ u_r)))
        h_tilde = np.tanh(x_h + (r * h) @ u_h)  # reset_after=False: r scales h first
        h = z * h + (1 - z) * h_tilde
        states.append(h)
    return np.stack(states, axis=1)  # (batch, time, units)""",
    points=2,
)


# ---------------------------------------------------------------------------------------------
# Exercise 7.5: Korean spacing with a bidirectional model
# ---------------------------------------------------------------------------------------------


@cache
def _spacing() -> dict[str, Any]:
    law = data.korean_law_split(seed=0)
    parts: dict[str, Any] = {}
    for split in ("train", "valid", "test"):
        parts[split] = tasks.spacing_examples(law[split], max_len=SPACING_WIDTH)
    vocab = text.Vocabulary.build(parts["train"][0])
    arrays: dict[str, Any] = {"vocab": vocab}
    for split, (chars, labels) in parts.items():
        arrays[f"chars_{split}"] = chars
        arrays[f"labels_{split}"] = labels
        arrays[f"x_{split}"] = tasks.encode_padded(chars, vocab, max_len=SPACING_WIDTH)
        arrays[f"y_{split}"] = tasks.pad_labels(labels, max_len=SPACING_WIDTH)[..., None]
    return arrays


def spacing_data() -> dict[str, Any]:
    """The data of exercise 7.5: Korean legal text without spaces, and where the spaces were.

    The lines of :func:`course_utils.data.korean_law_split` (seed 0) are cut into chunks of at
    most 64 syllables by :func:`course_utils.tasks.spacing_examples`; the vocabulary is built on
    the training chunks (``<pad>`` = 0, so ``Embedding(mask_zero=True)`` masks the padding;
    unseen syllables are ``<unk>``). The test chunks are kept for the check
    (:func:`spacing_scores`).

    Returns:
        A new dict: ``"vocab"`` (the :class:`~course_utils.text.Vocabulary`), ``"x_train"`` and
        ``"x_valid"`` (``int32`` ids, shape ``(chunks, 64)``), ``"y_train"`` and ``"y_valid"``
        (``int32`` labels, shape ``(chunks, 64, 1)``: 1 if a space follows the syllable, 0
        otherwise and at padded positions), and ``"chars_valid"`` and ``"labels_valid"`` (the
        validation chunks as lists of syllables and of labels).

    Introduced in: notebooks/07_keras_exercises.ipynb
    """
    arrays = _spacing()
    out: dict[str, Any] = {"vocab": arrays["vocab"]}
    for key in ("x_train", "y_train", "x_valid", "y_valid"):
        out[key] = arrays[key].copy()
    out["chars_valid"] = [list(row) for row in arrays["chars_valid"]]
    out["labels_valid"] = [list(row) for row in arrays["labels_valid"]]
    return out


def _space_probabilities(model: Any, x: np.ndarray) -> np.ndarray:
    """P(space) of shape (chunks, 64), or logits turned into a 0.5-threshold equivalent."""
    out = call_model(model, x)
    n, width = x.shape
    if out.ndim == 3 and out.shape[:2] == (n, width) and out.shape[2] == 2:
        if not looks_like_probabilities(out):
            raise ModelInterfaceError(
                "your model gives 2 numbers per syllable that are not probabilities; give one "
                "probability of a space per syllable: Dense(1, activation='sigmoid')"
            )
        out = out[..., 1]
    elif out.ndim == 3 and out.shape[:2] == (n, width) and out.shape[2] == 1:
        out = out[..., 0]
    if out.shape != (n, width):
        if out.ndim == 2 and out.shape[0] == n and out.shape[1] != width:
            raise ModelInterfaceError(
                f"for ids of shape ({n}, {width}) the output should have one value per syllable, "
                f"shape ({n}, {width}, 1); got {_shape_text(out.shape)} (return_sequences=True?)"
            )
        raise ModelInterfaceError(
            f"for ids of shape ({n}, {width}) the output should be ({n}, {width}, 1), the "
            f"probability of a space after each syllable; got {_shape_text(out.shape)}"
        )
    if not np.all(np.isfinite(out)):
        raise ModelInterfaceError("the model's output contains NaN or infinity")
    if out.min() < 0 or out.max() > 1:
        # logits: sigmoid(logit) > 0.5 exactly when logit > 0
        out = 1 / (1 + np.exp(-np.clip(out, -50, 50)))
    return out


def _spacing_scores(model: Any, split: str) -> dict[str, float]:
    arrays = _spacing()
    probs = _space_probabilities(model, arrays[f"x_{split}"])
    chars, labels = arrays[f"chars_{split}"], arrays[f"labels_{split}"]
    predicted = [[int(p) for p in probs[i, : len(row)] > 0.5] for i, row in enumerate(chars)]
    return tasks.spacing_f1(labels, predicted)


def spacing_scores(model: Callable[[np.ndarray], Any], split: str = "valid") -> dict[str, float]:
    """Score a spacing model as the check of exercise 7.5 does.

    The model is called on the ids of the chosen split (shape ``(chunks, 64)``, in batches of
    128 rows) and must return the probability of a space after each syllable: shape
    ``(chunks, 64, 1)`` or ``(chunks, 64)``; two softmax probabilities per syllable (no space,
    space) and logits are accepted too. A space is predicted where the probability exceeds 0.5.

    Args:
        model: The Keras model (anything callable on an ``int32`` array).
        split: ``"valid"`` (the default) or ``"test"`` (the lines the check uses).

    Returns:
        :func:`course_utils.tasks.spacing_f1` of the predictions: ``"precision"``,
        ``"recall"``, ``"f1"``, ``"accuracy"`` and the counts.

    Raises:
        ValueError: If ``split`` is not ``"valid"`` or ``"test"``, or the model's output does not
            have the form above (the message says what was expected).

    Introduced in: notebooks/07_keras_exercises.ipynb
    """
    if split not in ("valid", "test"):
        raise ValueError(f'split must be "valid" or "test"; got {split!r}')
    try:
        return _spacing_scores(model, split)
    except ModelInterfaceError as exc:
        raise ValueError(str(exc)) from None


class _SpacingCheck(Check):
    """F1 of the learner's spacing model on the test chunks, against :data:`SPACING_MIN_F1`."""

    def _evaluate(self, value: object) -> tuple[Status, str]:
        problem = not_a_model(value)
        if problem:
            return "failed", problem
        try:
            scores = _spacing_scores(value, "test")
        except ModelInterfaceError as exc:
            return "failed", str(exc)
        except Exception as exc:
            return "error", raised_text(
                "calling your model on the test ids (shape (chunks, 64), ids of spacing['vocab'])",
                exc,
            )
        f1 = scores["f1"]
        if f1 >= SPACING_MIN_F1:
            return "passed", (
                f"F1 of at least {SPACING_MIN_F1:.2f} on the test lines: with the right context "
                "in view, the model beats chapter 3's one-directional network (0.889)."
            )
        detail = (
            f"F1 {f1:.3f} on the test lines (precision {scores['precision']:.3f}, recall "
            f"{scores['recall']:.3f}); {SPACING_MIN_F1:.2f} is needed"
        )
        if scores["predicted_spaces"] == 0:
            return "failed", (
                f"{detail}. Your model never predicts a space: its output should be the "
                "probability that a space follows (label 1)"
            )
        if f1 < 0.7:
            return "failed", (
                f"{detail}. That is about what the syllable-by-syllable baseline reaches (0.653): "
                "is the model trained, on spacing['x_train'] and spacing['y_train']?"
            )
        if hasattr(value, "layers") and not _reads_backwards(value):
            return "failed", (
                f"{detail}. Your model reads only the syllables before each position, but whether "
                "a space follows depends on the next syllable too: wrap the recurrent layer in "
                "layers.Bidirectional(...) so it also reads from the right."
            )
        return "failed", f"{detail}. Train a little longer or give the model more units."

    def describe(self) -> str:
        return "computes the F1 of the model's spaces on held-out test lines"


def _reads_backwards(model: object) -> bool:
    """Whether any layer of the model reads the sequence from the right."""
    stack = list(getattr(model, "layers", []))
    while stack:
        layer = stack.pop()
        if type(layer).__name__ == "Bidirectional" or getattr(layer, "go_backwards", False):
            return True
        stack += list(getattr(layer, "layers", []))
    return False


q5 = Exercise(
    "Exercise 7.5",
    var="spacer",
    check=_SpacingCheck(),
    hints=(
        "Embedding(len(spacing['vocab']), 32, mask_zero=True) -> "
        "Bidirectional(GRU(32, return_sequences=True)) -> Dense(1, activation='sigmoid'); "
        "loss 'binary_crossentropy'.",
        "Adam with learning rate 0.01, 5 epochs, batch size 32 is enough. Check yourself with "
        "ch07.spacing_scores(spacer) before running the check.",
    ),
    solution="""\
keras.utils.set_random_seed(0)
spacer = keras.Sequential([
    keras.Input(shape=(None,), dtype="int32"),
    layers.Embedding(len(spacing["vocab"]), 32, mask_zero=True),
    layers.Bidirectional(layers.GRU(32, return_sequences=True)),
    layers.Dense(1, activation="sigmoid"),  # P(a space follows this syllable)
])
spacer.compile(keras.optimizers.Adam(0.01), "binary_crossentropy")
_ = spacer.fit(spacing["x_train"], spacing["y_train"], epochs=5, batch_size=32, verbose=0)""",
    points=3,
)


# ---------------------------------------------------------------------------------------------
# Exercise 7.6: inputs and targets of a language model
# ---------------------------------------------------------------------------------------------


def _lm_arrays(lines, vocab, width):
    x = tasks.encode_padded(lines, vocab, max_len=width, add_bos=True)
    y = tasks.encode_padded(lines, vocab, max_len=width, add_eos=True)
    return x, y


def _q6_cases() -> list[tuple]:
    vocab = tasks.char_vocabulary(["to be", "or not"], specials=text.DEFAULT_SPECIALS)
    return [
        (["to be", "or not"], vocab, 8),
        (["not to", "be", "boot"], vocab, 7),
        (["tea", "to bet!"], vocab, 9),  # 'a' and '!' are not in the vocabulary: <unk>
    ]


def _drawn_q6_cases(rng: np.random.Generator) -> list[tuple]:
    """Three cases like ``_q6_cases``, drawn: a vocabulary from two lines of words over eight
    letters; lines of one to three words that may hold other letters and '!' (read as <unk>);
    widths from the longest row (1 + its characters) to three more."""

    def line(letters: str) -> str:
        words = (
            "".join(rng.choice(list(letters), int(rng.integers(1, 5))))
            for _ in range(int(rng.integers(1, 4)))
        )
        return " ".join(words)

    known = "".join(rng.choice(list("abcdefghijklmnoprstuvwy"), 8, replace=False))
    vocab = tasks.char_vocabulary([line(known), line(known)], specials=text.DEFAULT_SPECIALS)
    cases = []
    for index in range(3):
        letters = known if index == 0 else known + "qxz!"
        lines = [line(letters) for _ in range(int(rng.integers(2, 4)))]
        width = 1 + max(len(one) for one in lines) + int(rng.integers(0, 4))
        cases.append((lines, vocab, width))
    return cases


class _LMArraysCheck(Check):
    """The (x, y) pair of :func:`_lm_arrays` on three cases; names the usual mistakes."""

    def __init__(self, cases: list[tuple] | None = None) -> None:
        self._cases = _q6_cases() if cases is None else cases

    def for_grading(self, seed: int) -> Check:
        """The same check on three cases drawn from the grader's seed (_drawn_q6_cases)."""
        return _LMArraysCheck(_drawn_q6_cases(np.random.default_rng([int(seed) % 2**63, 76])))

    def _evaluate(self, value: object) -> tuple[Status, str]:
        if not callable(value):
            return (
                "failed",
                f"expected a function lm_arrays(lines, vocab, width), got {type_text(value)}",
            )
        cases = self._cases
        outputs = call_cases(value, cases, "lm_arrays")
        if isinstance(outputs, tuple):
            return outputs
        for (lines, vocab, width), got in zip(cases, outputs, strict=True):
            if not isinstance(got, (tuple, list)) or len(got) != 2:
                return "failed", f"return a pair (x, y) of arrays, got {type_text(got)}"
            try:
                x, y = (np.asarray(part) for part in got)
            except Exception:
                return "failed", "x and y should be arrays of integer ids"
            x_ref, y_ref = _lm_arrays(lines, vocab, width)
            if x.shape == x_ref.shape and y.shape == y_ref.shape:
                if np.array_equal(x, x_ref) and np.array_equal(y, y_ref):
                    continue
            diagnosis = self._diagnose(x, y, lines, vocab, width)
            if diagnosis:
                return "failed", diagnosis
            for name, got_part, want in (("x", x, x_ref), ("y", y, y_ref)):
                if not np.array_equal(got_part, want):
                    row, column = (int(i) for i in np.argwhere(got_part != want)[0])
                    found = np.asarray(got_part[row, column]).item()
                    wanted = int(want[row, column])
                    return "failed", (
                        f"for lines={lines!r} and width={width}, {name}[{row}, {column}] is "
                        f"{found!r}; expected {wanted} ({vocab.tokens[wanted]!r})"
                    )
        return "passed", "x starts with <s>, y ends with </s>, and y is x shifted by one."

    @staticmethod
    def _diagnose(
        x: np.ndarray, y: np.ndarray, lines: list[str], vocab: text.Vocabulary, width: int
    ) -> str | None:
        x_ref, y_ref = _lm_arrays(lines, vocab, width)
        if x.shape != x_ref.shape or y.shape != y_ref.shape:
            return (
                f"x and y should both have shape ({len(lines)}, {width}): one row per line, "
                f"padded with <pad> (0) to width={width}; got {x.shape} and {y.shape}"
            )
        if np.array_equal(x, y_ref) and np.array_equal(y, x_ref):
            return "x and y are swapped: the input starts with <s>, the target ends with </s>"
        if np.array_equal(x, y):
            return (
                "x and y are the same array, so the model would learn to copy its input; the "
                "target at position t is the input at position t + 1"
            )
        plain = tasks.encode_padded(lines, vocab, max_len=width)
        if np.array_equal(x, plain):
            return (
                "x should start with <s> (vocab.bos_id): the first character is predicted from it"
            )
        if np.array_equal(y, plain):
            return "y should end with </s> (vocab.eos_id): the model must learn where lines end"
        return None


q6 = Exercise(
    "Exercise 7.6",
    var="lm_arrays",
    check=_LMArraysCheck(),
    hints=(
        "For the line 'to be': x = [<s>, t, o, ' ', b, e] and y = [t, o, ' ', b, e, </s>], "
        "as ids, then padded with 0 to `width`.",
        "tasks.encode_padded(lines, vocab, max_len=width, add_bos=True) gives x; the same with "
        "add_eos=True gives y.",
    ),
    solution="""\
def lm_arrays(lines, vocab, width):
    x = tasks.encode_padded(lines, vocab, max_len=width, add_bos=True)  # <s> c1 ... cn
    y = tasks.encode_padded(lines, vocab, max_len=width, add_eos=True)  # c1 ... cn </s>
    return x, y""",
    points=1,
)


# ---------------------------------------------------------------------------------------------
# Exercise 7.7: a character-level language model of Shakespeare
# ---------------------------------------------------------------------------------------------


@cache
def _char_lm() -> dict[str, Any]:
    lines = data.shakespeare_split(seed=0)
    limit = CHAR_LM_WIDTH - 1
    train = [line for line in lines["train"] if len(line) <= limit][:_CHAR_TRAIN_LINES]
    valid = [line for line in lines["valid"] if len(line) <= limit][:_CHAR_VALID_LINES]
    vocab = tasks.char_vocabulary(train, specials=text.DEFAULT_SPECIALS)
    x_valid, y_valid = _lm_arrays(valid, vocab, CHAR_LM_WIDTH)
    return {
        "vocab": vocab,
        "train_lines": tuple(train),
        "valid_lines": tuple(valid),
        "x_valid": x_valid,
        "y_valid": y_valid,
    }


def char_lm_data() -> dict[str, Any]:
    """The data of exercises 7.6 and 7.7: short lines of Shakespeare and their characters.

    From :func:`course_utils.data.shakespeare_split` (seed 0, split by line): the first 5,000
    training lines and the first 300 validation lines of at most 64 characters. The vocabulary
    holds the characters of the training lines after the specials (``<pad>`` = 0, ``<unk>``,
    ``<s>``, ``</s>``); a validation character never seen in training reads as ``<unk>``.

    Returns:
        A new dict: ``"vocab"`` (the :class:`~course_utils.text.Vocabulary`), ``"train_lines"``
        and ``"valid_lines"`` (lists of str) and ``"width"`` (65: ``<s>`` or ``</s>`` plus 64
        characters, the width of the arrays).

    Introduced in: notebooks/07_keras_exercises.ipynb
    """
    parts = _char_lm()
    return {
        "vocab": parts["vocab"],
        "train_lines": list(parts["train_lines"]),
        "valid_lines": list(parts["valid_lines"]),
        "width": CHAR_LM_WIDTH,
    }


def _log_probs(model: Any, x: np.ndarray, size: int) -> np.ndarray:
    """Log-probabilities (rows, width, size) from a model giving logits or probabilities."""
    out = call_model(model, x)
    n, width = x.shape
    if out.ndim == 2 and out.shape == (n, size):
        raise ModelInterfaceError(
            f"the output has shape {_shape_text(out.shape)}: one prediction per line. A language "
            "model predicts at every position: return_sequences=True on the recurrent layer"
        )
    if out.ndim != 3 or out.shape[:2] != (n, width):
        raise ModelInterfaceError(
            f"for ids of shape ({n}, {width}) the output should be ({n}, {width}, {size}), a "
            f"score for every character of the vocabulary at every position; got "
            f"{_shape_text(out.shape)}"
        )
    if out.shape[2] != size:
        raise ModelInterfaceError(
            f"the last axis has {out.shape[2]} entries, but the vocabulary has {size} "
            "characters: the output layer should be Dense(len(char_vocab))"
        )
    real = out[x != 0]
    if not np.all(np.isfinite(real)):
        raise ModelInterfaceError("the model's output contains NaN or infinity at real positions")
    if looks_like_probabilities(real):
        with np.errstate(divide="ignore"):
            return np.log(np.clip(out, 1e-30, None))
    top = out.max(axis=-1, keepdims=True)
    return out - top - np.log(np.exp(out - top).sum(axis=-1, keepdims=True))


def _char_lm_loss(model: Any) -> float:
    parts = _char_lm()
    x, y = parts["x_valid"], parts["y_valid"]
    log_probs = _log_probs(model, x, len(parts["vocab"]))
    picked = np.take_along_axis(log_probs, y[..., None].astype(np.int64), axis=-1)[..., 0]
    mask = x != 0
    return float(-picked[mask].sum() / mask.sum())


def char_lm_cross_entropy(model: Callable[[np.ndarray], Any]) -> float:
    """The cross-entropy of a character language model on the validation lines, as exercise 7.7.

    The model is called on the validation inputs (``<s>`` and the line, padded with 0 to width
    65; shape ``(300, 65)``, in batches of 128 rows) and must return, at every position, scores
    for the next character over the whole vocabulary of :func:`char_lm_data`: shape
    ``(300, 65, len(vocab))``, either logits (any real numbers, turned into probabilities by a
    softmax) or probabilities. The result is the mean of ``-ln P(next character)`` over every
    real position (each line's characters and its ``</s>``; padding excluded), in nats per
    character; divide by ``ln 2`` for bits.

    Args:
        model: The Keras model (anything callable on an ``int32`` array).

    Returns:
        The cross-entropy in nats per character.

    Raises:
        ValueError: If the model's output does not have the form above (the message says what
            was expected).

    Introduced in: notebooks/07_keras_exercises.ipynb
    """
    try:
        return _char_lm_loss(model)
    except ModelInterfaceError as exc:
        raise ValueError(str(exc)) from None


def _sees_the_future(model: Any) -> bool:
    """Whether the outputs at positions < 8 change when later characters change."""
    x = _char_lm()["x_valid"][:8].copy()
    changed = x.copy()
    later = changed[:, 8:]
    later[later != 0] = 4  # the most frequent character (after the specials)
    before = call_model(model, x)[:, :8]
    after = call_model(model, changed)[:, :8]
    scale = max(float(np.abs(before).max()), 1e-3)
    return float(np.abs(before - after).max()) > 1e-4 * scale + 1e-6


class _CharLMCheck(Check):
    """Cross-entropy on the fixed validation lines, against :data:`CHAR_LM_MAX_LOSS`."""

    def _evaluate(self, value: object) -> tuple[Status, str]:
        problem = not_a_model(value)
        if problem:
            return "failed", problem
        size = len(_char_lm()["vocab"])
        try:
            loss = _char_lm_loss(value)
            future = _sees_the_future(value)
        except ModelInterfaceError as exc:
            return "failed", str(exc)
        except Exception as exc:
            return "error", raised_text(
                "calling your model on the validation ids (shape (300, 65), ids of char_vocab)",
                exc,
            )
        if future:
            return "failed", (
                "the predictions at the start of a line change when later characters change: "
                "the model sees the future (a Bidirectional layer?). A language model may only "
                "read the characters before the one it predicts"
            )
        if loss <= CHAR_LM_MAX_LOSS:
            return "passed", (
                f"the cross-entropy on the validation lines is at most {CHAR_LM_MAX_LOSS:.1f} "
                f"nats per character ({CHAR_LM_MAX_LOSS / math.log(2):.2f} bits), far below the "
                f"{math.log(size):.1f} nats of a uniform guess."
            )
        detail = (
            f"the cross-entropy on the validation lines is {loss:.3f} nats per character; at "
            f"most {CHAR_LM_MAX_LOSS:.1f} is needed"
        )
        if loss >= math.log(size) - 0.2:
            return "failed", (
                f"{detail}. That is no better than a uniform guess ({math.log(size):.2f}): is the "
                "model trained, with y (not x) as the target?"
            )
        return "failed", f"{detail}. Train for more epochs or with more units (within the budget)."

    def describe(self) -> str:
        return "computes the model's cross-entropy on fixed validation lines"


q7 = Exercise(
    "Exercise 7.7",
    var="char_lm",
    check=_CharLMCheck(),
    hints=(
        "Embedding(len(char_vocab), 32, mask_zero=True) -> GRU(128, return_sequences=True) -> "
        "Dense(len(char_vocab)) (logits). Loss: "
        "keras.losses.SparseCategoricalCrossentropy(from_logits=True).",
        "Adam with learning rate 0.005, batch size 64, 6 epochs (the model answer prints how long "
        "it trained on your machine). "
        "ch07.char_lm_cross_entropy(char_lm) gives the number the check compares.",
    ),
    solution="""\
keras.utils.set_random_seed(0)
char_lm = keras.Sequential([
    keras.Input(shape=(None,), dtype="int32"),
    layers.Embedding(len(char_vocab), 32, mask_zero=True),
    layers.GRU(128, return_sequences=True),
    layers.Dense(len(char_vocab)),  # logits for the next character
])
char_lm.compile(
    keras.optimizers.Adam(0.005),
    keras.losses.SparseCategoricalCrossentropy(from_logits=True),
)
start = time.perf_counter()
_ = char_lm.fit(x_train, y_train, epochs=6, batch_size=64, verbose=0)
print(f"trained in {time.perf_counter() - start:.0f} s; validation cross-entropy "
      f"{ch07.char_lm_cross_entropy(char_lm):.3f} nats per character")""",
    points=3,
)


# ---------------------------------------------------------------------------------------------
# Exercise 7.8: sampling with a temperature, checked statistically
# ---------------------------------------------------------------------------------------------

# The check, its constants and its statistics are in checks/_ch07_sampling.py.


q8 = Exercise(
    "Exercise 7.8",
    var="sample",
    check=_SampleCheck(),
    hints=(
        "Divide the logits by the temperature, subtract the maximum (it changes nothing after "
        "the softmax, and np.exp can no longer overflow), exponentiate and normalise.",
        "Then draw with the generator you are given: int(rng.choice(len(probs), p=probs)).",
    ),
    solution="""\
def sample(logits, temperature, rng):
    scaled = np.asarray(logits, dtype="float64") / temperature
    probs = np.exp(scaled - scaled.max())  # the largest term is exp(0) = 1: no overflow
    probs /= probs.sum()
    return int(rng.choice(len(probs), p=probs))""",
    points=2,
)

q9 = Exercise("Exercise 7.9", thought=True, answer_in_text=True, points=0)
