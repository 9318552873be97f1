"""The exercises of chapter 7: correct answers pass, typical mistakes get a specific reason.

Nothing here trains a model: the two training exercises are tested with hand-made "models"
(callables that know the answers, or deliberately bad ones) and tiny untrained Keras models.
"""

from __future__ import annotations

import math
import time
from pathlib import Path

import keras
import nbformat
import numpy as np
import pytest
import tensorflow as tf
from keras import layers

from course_utils import data, tasks, text
from course_utils.checks import _ch07_sampling as sampling
from course_utils.checks import ch07
from course_utils.checks.ch07 import q1, q2, q3, q4, q5, q6, q7, q8
from course_utils.exercises import ____

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "07_keras_exercises.ipynb"
EXERCISES = [q1, q2, q3, q4, q5, q6, q7, q8]


def _solution(exercise):
    """The object the model answer defines (for the exercises that train nothing)."""
    namespace = {"np": np, "keras": keras, "layers": layers, "tasks": tasks, "time": time}
    exec(exercise.solution().text, namespace)
    return namespace[exercise.var]


def _status(result, status, fragment=""):
    assert result.status == status, result
    assert fragment in result.message, result
    return result


# --- 7.1 ------------------------------------------------------------------------------------

Q1_RIGHT = {
    "a": (4, 20, 32),
    "b": (4, 12),
    "seq": (4, 20, 10),
    "h_T": (4, 10),
    "c_T": (4, 10),
    "d": (4, 20, 3),
}


def test_q1_matches_keras():
    x = np.zeros((4, 20, 8), dtype="float32")
    a = layers.Bidirectional(layers.LSTM(16, return_sequences=True))(x)
    b = layers.Bidirectional(layers.GRU(12), merge_mode="sum")(a)
    seq, h_t, c_t = layers.LSTM(10, return_sequences=True, return_state=True)(a)
    d = layers.Dense(3)(seq)
    shapes = {"a": a, "b": b, "seq": seq, "h_T": h_t, "c_T": c_t, "d": d}
    assert {key: tuple(value.shape) for key, value in shapes.items()} == Q1_RIGHT
    _status(q1.check(shapes), "passed")  # the tensors themselves have the right .shape
    _status(q1.check(_solution(q1)), "passed")
    _status(q1.check({key: list(value) for key, value in Q1_RIGHT.items()}), "passed")


@pytest.mark.parametrize(
    ("key", "shape", "fragment"),
    [
        ("a", (4, 20, 16), "merge_mode='concat'"),
        ("a", (4, 32), "time axis stays"),
        ("b", (4, 24), "merge_mode='sum'"),
        ("b", (4, 20, 12), "last step"),
        ("seq", (4, 10), "every step"),
        ("h_T", (4, 20, 10), "no time axis"),
        ("d", (4, 3), "last axis only"),
        ("d", (4, 20, 7), "Dense transforms the last axis"),
        ("b", (None, 12), "first axis is 4"),
        ("c_T", "4, 10", "should be a shape"),
    ],
)
def test_q1_mistakes(key, shape, fragment):
    _status(q1.check({**Q1_RIGHT, key: shape}), "failed", fragment)


def test_q1_form():
    _status(q1.check([(4, 20, 32)]), "failed", "dict of shapes")
    _status(q1.check({"a": (4, 20, 32)}), "failed", "missing the key(s)")
    _status(q1.check({**Q1_RIGHT, "e": (1,)}), "failed", "unexpected key")
    wrong_two = {**Q1_RIGHT, "a": (4, 20, 16), "b": (4, 24)}
    _status(q1.check(wrong_two), "failed", "2 of 6 shapes are wrong")
    _status(q1.check({**Q1_RIGHT, "a": ____}), "not attempted")


# --- 7.2 ------------------------------------------------------------------------------------


def _classifier(units=40, last=None, **gru):
    return keras.Sequential(
        [
            keras.Input(shape=(None,), dtype="int32"),
            layers.Embedding(50, 8),
            layers.GRU(units, **gru),
            last or layers.Dense(4, activation="softmax"),
        ]
    )


class _Raising:
    def count_params(self):
        return 6564

    def __call__(self, ids):
        raise RuntimeError("boom")


def test_q2():
    _status(q2.check(_solution(q2)), "passed", "6,564 parameters")
    _status(q2.check(_classifier(reset_after=False)), "failed", "reset_after=False")
    _status(q2.check(_classifier(41)), "failed", "GRU(41); you need fewer units")
    _status(q2.check(_classifier(32)), "failed", "you need more units")
    _status(q2.check(_classifier(return_sequences=True)), "failed", "one answer per step")
    _status(q2.check(_classifier(last=layers.Dense(4))), "failed", "softmax")
    _status(q2.check(_classifier(last=layers.Dense(3, activation="softmax"))), "failed", "(3, 4)")
    unbuilt = keras.Sequential([layers.Embedding(50, 8), layers.GRU(40), layers.Dense(4)])
    _status(q2.check(unbuilt), "failed", "not built")
    _status(q2.check(_Raising()), "error", "RuntimeError: boom")
    _status(q2.check(None), "failed", "None")
    _status(q2.check(6564), "failed", "Keras model")
    _status(q2.check(____), "not attempted")


# --- 7.3 ------------------------------------------------------------------------------------


def _tagger(mask=True, first=True, second=True, bidirectional=True, activation="softmax"):
    def build():
        ids = keras.Input(shape=(None,), dtype="int32")
        x = layers.Embedding(100, 16, mask_zero=mask)(ids)
        gru = layers.GRU(32, return_sequences=first)
        x = (layers.Bidirectional(gru) if bidirectional else gru)(x)
        x = layers.GRU(32, return_sequences=second)(x)
        return keras.Model(ids, layers.Dense(5, activation=activation)(x))

    return build


def test_q3():
    _status(q3.check(_solution(q3)), "passed", "both sides")
    _status(q3.check(_tagger(mask=False, first=False, second=False)), "error", "ValueError")
    _status(q3.check(_tagger(mask=False, second=False)), "failed", "return_sequences=True too")
    _status(q3.check(_tagger(mask=False)), "failed", "mask_zero=True")
    _status(q3.check(_tagger(bidirectional=False)), "failed", "both sides")
    _status(q3.check(_tagger(activation=None)), "failed", "softmax")
    _status(q3.check(lambda: None), "failed", "return statement")
    _status(q3.check(lambda: ____), "not attempted", "build_tagger() still returns ____")
    _status(q3.check(_tagger()()), "failed", "the function build_tagger")


# --- 7.4 ------------------------------------------------------------------------------------


def _gru_variant(**kwargs):
    def fn(x, h0, kernel, recurrent_kernel, bias):
        return ch07._gru_variant(x, h0, kernel, recurrent_kernel, bias, **kwargs)

    return fn


def test_q4_reference_is_keras():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(3, 6, 5)).astype("float32")
    h0 = rng.normal(size=(3, 4)).astype("float32")
    layer = layers.GRU(4, reset_after=False, return_sequences=True)
    expected = layer(x, initial_state=[h0]).numpy()
    ours = _solution(q4)(x.astype("float64"), h0.astype("float64"), *layer.get_weights())
    np.testing.assert_allclose(ours, expected, atol=1e-5)


def test_q4():
    reference = ch07._gru_sequence
    _status(q4.check(_solution(q4)), "passed", "reset_after=False")
    _status(q4.check(_gru_variant()), "passed")
    _status(q4.check(_gru_variant(after=True)), "failed", "that is reset_after=True")
    _status(q4.check(_gru_variant(swapped=True)), "failed", "swapped convention")
    _status(q4.check(lambda *args: reference(*args)[:, -1]), "failed", "last state only")
    _status(q4.check(lambda *args: reference(*args).transpose(1, 0, 2)), "failed", "axis 1")

    def with_h0(x, h0, *weights):
        return np.concatenate([h0[:, None], reference(x, h0, *weights)], axis=1)

    _status(q4.check(with_h0), "failed", "h0 itself")
    _status(q4.check(lambda *args: reference(*args) + 0.1), "failed", "values differ")
    _status(q4.check(lambda *args: 1 / 0), "error", "ZeroDivisionError")
    _status(q4.check(lambda *args: ____), "not attempted", "gru_sequence() still returns ____")
    _status(q4.check("gru"), "failed", "expected a function")


# --- 7.5 ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def spacing_test():
    """The test chunks, rebuilt from the public recipe: (ids, labels)."""
    law = data.korean_law_split(seed=0)
    chars, labels = tasks.spacing_examples(law["test"], max_len=64)
    vocab = ch07.spacing_data()["vocab"]
    return tasks.encode_padded(chars, vocab, max_len=64), labels


class _SpacingOracle:
    """Knows the label of every test chunk; answers in one of the accepted forms."""

    def __init__(self, test, form="probabilities", labels=None):
        ids, true_labels = test
        rows = tasks.pad_labels(labels or true_labels, max_len=64)
        self.table = {row.tobytes(): label for row, label in zip(ids, rows, strict=True)}
        self.form = form

    def __call__(self, ids):
        labels = np.stack([self.table[row.tobytes()] for row in np.asarray(ids)]).astype(float)
        if self.form == "logits":
            return 8 * labels - 4
        if self.form == "two":
            return np.stack([1 - labels, labels], axis=-1)
        if self.form == "flat":
            return labels
        return labels[..., None]


def test_q5_passes_with_every_accepted_output(spacing_test):
    for form in ["probabilities", "logits", "two", "flat"]:
        _status(q5.check(_SpacingOracle(spacing_test, form)), "passed", "0.889")
    scores = ch07._spacing_scores(_SpacingOracle(spacing_test), "test")
    assert scores["f1"] > 0.999  # identical chunks with different labels cost a few spaces


def test_q5_fails_below_the_threshold(spacing_test):
    ids, labels = spacing_test
    vocab = ch07.spacing_data()["vocab"]
    chars = [[vocab.tokens[i] for i in row if i] for row in ids]
    baseline = tasks.spacing_baseline_fit(*tasks.spacing_examples(data.korean_law_split()["train"]))
    rule = _SpacingOracle(spacing_test, labels=baseline.predict(chars))
    _status(q5.check(rule), "failed", "syllable-by-syllable baseline")
    never = lambda ids: np.zeros((len(ids), 64, 1))  # noqa: E731
    _status(q5.check(never), "failed", "never predicts a space")
    half_wrong = [[1 - v if j % 9 == 0 else v for j, v in enumerate(row)] for row in labels]
    _status(q5.check(_SpacingOracle(spacing_test, labels=half_wrong)), "failed", "longer")


def test_q5_names_the_missing_right_context(monkeypatch):
    """A one-directional GRU reaches F1 0.787: the cause is the missing right-hand context."""
    scores = {"f1": 0.787, "precision": 0.8, "recall": 0.77, "predicted_spaces": 900}
    monkeypatch.setattr(ch07, "_spacing_scores", lambda model, split: scores)
    n_vocab = len(ch07.spacing_data()["vocab"])

    def tagger(recurrent):
        return keras.Sequential(
            [
                keras.Input(shape=(None,), dtype="int32"),
                layers.Embedding(n_vocab, 4, mask_zero=True),
                recurrent,
                layers.Dense(1, activation="sigmoid"),
            ]
        )

    one_way = q5.check(tagger(layers.GRU(4, return_sequences=True)))
    _status(one_way, "failed", "layers.Bidirectional")
    both = q5.check(tagger(layers.Bidirectional(layers.GRU(4, return_sequences=True))))
    _status(both, "failed", "Train a little longer")


def test_q5_interface_problems():
    _status(q5.check(lambda ids: np.zeros(len(ids))), "failed", "should be (248, 64, 1)")
    _status(q5.check(lambda ids: np.zeros((len(ids), 1))), "failed", "return_sequences")
    _status(q5.check(lambda ids: np.full((len(ids), 64, 1), np.nan)), "failed", "NaN")
    _status(q5.check(lambda ids: np.ones((len(ids), 64, 2))), "failed", "not probabilities")
    _status(q5.check(lambda ids: [ids, ids]), "failed", "returns 2 tensors")
    _status(q5.check(lambda ids: 1 / 0), "error", "ZeroDivisionError")
    _status(q5.check(None), "failed", "None")
    _status(q5.check(____), "not attempted")
    tiny = keras.Sequential(
        [
            keras.Input(shape=(None,), dtype="int32"),
            layers.Embedding(len(ch07.spacing_data()["vocab"]), 4, mask_zero=True),
            layers.Bidirectional(layers.GRU(4, return_sequences=True)),
            layers.Dense(1, activation="sigmoid"),
        ]
    )
    assert q5.check(tiny).status == "failed"  # untrained


def test_spacing_data_and_scores():
    spacing = ch07.spacing_data()
    assert len(spacing["vocab"]) == 545 and spacing["vocab"].pad_id == 0
    assert spacing["x_train"].shape == (1965, 64) and spacing["y_train"].shape == (1965, 64, 1)
    assert spacing["x_valid"].shape == (247, 64) and len(spacing["chars_valid"]) == 247
    assert spacing["y_train"][spacing["x_train"] == 0].sum() == 0  # padding is labelled 0
    spacing["x_train"][:] = 0  # a copy: the next call is unaffected
    assert ch07.spacing_data()["x_train"].any()
    with pytest.raises(ValueError, match='"valid" or "test"'):
        ch07.spacing_scores(lambda ids: ids, "train")
    with pytest.raises(ValueError, match="one value per syllable"):
        ch07.spacing_scores(lambda ids: np.zeros((len(ids), 3)))


# --- 7.6 ------------------------------------------------------------------------------------


def test_q6():
    def encode(lines, vocab, width, **kwargs):
        return tasks.encode_padded(lines, vocab, max_len=width, **kwargs)

    _status(q6.check(_solution(q6)), "passed", "shifted by one")
    same = lambda lines, vocab, width: (encode(lines, vocab, width, add_bos=True),) * 2  # noqa: E731
    _status(q6.check(same), "failed", "same array")

    def swapped(lines, vocab, width):
        return encode(lines, vocab, width, add_eos=True), encode(lines, vocab, width, add_bos=True)

    def no_bos(lines, vocab, width):
        return encode(lines, vocab, width), encode(lines, vocab, width, add_eos=True)

    def no_eos(lines, vocab, width):
        return encode(lines, vocab, width, add_bos=True), encode(lines, vocab, width)

    def unpadded(lines, vocab, width):
        return encode(lines, vocab, None, add_bos=True), encode(lines, vocab, None, add_eos=True)

    _status(q6.check(swapped), "failed", "swapped")
    _status(q6.check(no_bos), "failed", "should start with <s>")
    _status(q6.check(no_eos), "failed", "should end with </s>")
    _status(q6.check(unpadded), "failed", "padded with <pad> (0) to width")
    _status(q6.check(lambda lines, vocab, width: encode(lines, vocab, width)), "failed", "pair")
    _status(q6.check(lambda *args: (____, ____)), "not attempted", "lm_arrays() still returns")
    _status(q6.check(lambda *args: 1 / 0), "error", "ZeroDivisionError")


# --- 7.7 ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def char_valid():
    """The validation arrays, rebuilt from the public data: (x, y, vocabulary size)."""
    shakespeare = ch07.char_lm_data()
    vocab, width = shakespeare["vocab"], shakespeare["width"]
    x = tasks.encode_padded(shakespeare["valid_lines"], vocab, max_len=width, add_bos=True)
    y = tasks.encode_padded(shakespeare["valid_lines"], vocab, max_len=width, add_eos=True)
    return x, y, len(vocab)


class _CausalOracle:
    """Knows the next character after every validation prefix; reads only the past."""

    def __init__(self, valid, probabilities=False, confidence=8.0):
        x, y, self.size = valid
        self.table = {}
        for row_x, row_y in zip(x, y, strict=True):
            for t in range(len(row_x)):
                self.table[row_x[: t + 1].tobytes()] = row_y[t]
        self.probabilities, self.confidence = probabilities, confidence

    def __call__(self, ids):
        ids = np.asarray(ids)
        out = np.zeros((*ids.shape, self.size))
        for i, row in enumerate(ids):
            for t in range(ids.shape[1]):
                target = self.table.get(row[: t + 1].tobytes())
                if target is not None:
                    out[i, t, target] = self.confidence
        if self.probabilities:
            out = np.exp(out) / np.exp(out).sum(axis=-1, keepdims=True)
        return out


def test_q7_passes_with_logits_and_probabilities(char_valid):
    logits, probs = _CausalOracle(char_valid), _CausalOracle(char_valid, probabilities=True)
    _status(q7.check(logits), "passed", "at most 2.0 nats")
    _status(q7.check(probs), "passed")
    # Lines share prefixes (every line starts with <s>), so even the oracle is not perfect.
    loss = ch07.char_lm_cross_entropy(logits)
    assert 0 < loss < 1
    assert ch07.char_lm_cross_entropy(probs) == pytest.approx(loss, rel=1e-9)


def test_q7_uniform_and_weak_models(char_valid):
    size = char_valid[2]
    uniform = lambda ids: np.zeros((*np.shape(ids), size))  # noqa: E731
    assert ch07.char_lm_cross_entropy(uniform) == pytest.approx(math.log(size))
    _status(q7.check(uniform), "failed", "no better than a uniform guess")
    weak = _CausalOracle(char_valid, confidence=2.0)  # right, but not confident enough
    _status(q7.check(weak), "failed", "more epochs")


def test_q7_rejects_a_model_that_sees_the_future(char_valid):
    size = char_valid[2]
    oracle = _CausalOracle(char_valid)

    def peeking(ids):
        ids = np.asarray(ids)
        out = np.zeros((*ids.shape, size))
        following = np.concatenate([ids[:, 1:], np.zeros((len(ids), 1), int)], axis=1)
        np.put_along_axis(out, following[..., None], 8.0, axis=-1)
        return out

    _status(q7.check(peeking), "failed", "sees the future")
    assert ch07.char_lm_cross_entropy(oracle) < ch07.CHAR_LM_MAX_LOSS
    tiny = keras.Sequential(
        [
            keras.Input(shape=(None,), dtype="int32"),
            layers.Embedding(size, 4, mask_zero=True),
            layers.Bidirectional(layers.GRU(4, return_sequences=True)),
            layers.Dense(size),
        ]
    )
    _status(q7.check(tiny), "failed", "sees the future")


def test_q7_interface_problems(char_valid):
    size = char_valid[2]
    _status(q7.check(lambda ids: np.zeros((len(ids), size))), "failed", "return_sequences")
    wrong_size = lambda ids: np.zeros((*np.shape(ids), size + 1))  # noqa: E731
    _status(q7.check(wrong_size), "failed", "Dense(len(char_vocab))")
    _status(q7.check(lambda ids: np.full((*np.shape(ids), size), np.nan)), "failed", "NaN")
    _status(q7.check(lambda ids: 1 / 0), "error", "ZeroDivisionError")
    _status(q7.check(None), "failed", "None")
    _status(q7.check("model"), "failed", "Keras model")
    _status(q7.check(____), "not attempted")
    tiny = keras.Sequential(
        [
            keras.Input(shape=(None,), dtype="int32"),
            layers.Embedding(size, 4, mask_zero=True),
            layers.GRU(8, return_sequences=True),
            layers.Dense(size),
        ]
    )
    _status(q7.check(tiny), "failed", "uniform guess")  # untrained
    with pytest.raises(ValueError, match="return_sequences"):
        ch07.char_lm_cross_entropy(lambda ids: np.zeros((len(ids), size)))


def test_char_lm_data():
    shakespeare = ch07.char_lm_data()
    assert len(shakespeare["train_lines"]) == 5000 and len(shakespeare["valid_lines"]) == 300
    assert shakespeare["width"] == 65
    lines = shakespeare["train_lines"] + shakespeare["valid_lines"]
    assert max(len(line) for line in lines) <= 64
    vocab = shakespeare["vocab"]
    assert len(vocab) == 77 and vocab.specials == text.DEFAULT_SPECIALS
    shakespeare["train_lines"].clear()  # a copy: the next call is unaffected
    assert len(ch07.char_lm_data()["train_lines"]) == 5000


# --- 7.8 ------------------------------------------------------------------------------------


def _softmax_sampler(transform, draw="choice", stable=True):
    def sample(logits, temperature, rng):
        scaled = transform(np.asarray(logits, dtype=float), temperature)
        probs = np.exp(scaled - scaled.max()) if stable else np.exp(scaled)
        probs = probs / probs.sum()
        if draw == "choice":
            return int(rng.choice(len(probs), p=probs))
        if draw == "cdf":
            return int(np.searchsorted(np.cumsum(probs), rng.random(), side="right"))
        return int(np.random.choice(len(probs), p=probs))  # noqa: NPY002 (the global generator)

    return sample


def _divide(logits, temperature):
    return logits / temperature


def test_q8_correct_samplers_pass():
    _status(q8.check(_solution(q8)), "passed", "chi-square")
    _status(q8.check(_softmax_sampler(_divide, draw="cdf")), "passed")

    def gumbel(logits, temperature, rng):
        return int(np.argmax(np.asarray(logits) / temperature + rng.gumbel(size=len(logits))))

    _status(q8.check(gumbel), "passed")


@pytest.mark.parametrize(
    ("sampler", "status", "fragment"),
    [
        (_softmax_sampler(lambda z, t: z), "failed", "the temperature is ignored"),
        (_softmax_sampler(lambda z, t: z * t), "failed", "do not multiply"),
        (_softmax_sampler(lambda z, t: 0 * z), "failed", "equally often"),
        (_softmax_sampler(_divide, stable=False), "error", "subtract logits.max()"),
        (_softmax_sampler(_divide, draw="global"), "failed", "use the rng you are given"),
        (lambda logits, t, rng: int(np.argmax(logits)), "failed", "the same index every time"),
        (lambda logits, t, rng: float(np.argmax(logits)), "failed", "an int"),
        (lambda logits, t, rng: rng.choice(len(logits), size=1), "failed", "an int"),
        (lambda logits, t, rng: len(logits), "failed", "not an index between 0 and 4"),
        (lambda logits, t, rng: 1 / 0, "error", "ZeroDivisionError"),
        (lambda logits, t, rng: ____, "not attempted", "sample() still returns ____"),
        ("rng.choice", "failed", "expected a function"),
    ],
)
def test_q8_mistakes(sampler, status, fragment):
    _status(q8.check(sampler), status, fragment)


def test_q8_tiny_temperature_is_argmax():
    def floored(logits, temperature, rng):  # right down to 0.5, but no sharper than that
        return _softmax_sampler(_divide)(logits, max(temperature, 0.5), rng)

    _status(q8.check(floored), "failed", "at temperature 0.01 the largest logit should win")


# --- every exercise --------------------------------------------------------------------------


@pytest.mark.parametrize("exercise", EXERCISES, ids=[f"q{i}" for i in range(1, 9)])
def test_hints_and_solutions(exercise):
    assert "Hint 1/" in repr(exercise.hint(1))
    assert exercise.solution().text.strip()
    assert exercise.label == f"Exercise 7.{EXERCISES.index(exercise) + 1}"


def test_notebook_states_the_thresholds():
    prose = "\n".join(
        cell.source
        for cell in nbformat.read(NOTEBOOK, as_version=4).cells
        if cell.cell_type == "markdown"
    )
    assert f"F1 ≥ {ch07.SPACING_MIN_F1:.2f}" in prose
    assert f"at most {ch07.CHAR_LM_MAX_LOSS:.1f} nats per character" in prose
    assert f"ln {len(ch07.char_lm_data()['vocab'])}" in prose


class _Hostile:
    """An object that raises on everything a check might try."""

    def __getattr__(self, name):
        raise RuntimeError(f"no {name}")

    def __call__(self, *args, **kwargs):
        raise RuntimeError("no call")

    def __repr__(self):
        raise RuntimeError("no repr")


ODD_ANSWERS = [
    None,
    0,
    -1.5,
    "text",
    b"bytes",
    [],
    {},
    (1, 2),
    {"a": None},
    np.zeros((2, 3)),
    np.array("x"),
    _Hostile(),
    lambda *args, **kwargs: None,
    lambda *args, **kwargs: "a string",
    lambda *args, **kwargs: {"a": 1},
    lambda *args, **kwargs: 3.0,
    lambda *args, **kwargs: np.full((2, 2, 2), np.inf),
    lambda *args, **kwargs: _Hostile(),
    lambda *args: (_ for _ in ()).throw(MemoryError("too big")),
]


@pytest.mark.parametrize("exercise", EXERCISES, ids=[f"q{i}" for i in range(1, 9)])
def test_checks_never_raise(exercise):
    for answer in ODD_ANSWERS:
        result = exercise.check(answer)
        assert result.status in ("failed", "error", "not attempted"), (answer, result)
        assert result.message


# ---------------------------------------------------------------------------------------------
# Issue 18: one coercion policy; 7.2 and 7.3 check the layers the prompt fixes; 7.4 shows
# numbers that differ; the 7.3 explanation stays folded. Cases marked "new" failed before.
# ---------------------------------------------------------------------------------------------

Q1_VALID = {
    "tuples": Q1_RIGHT,
    "lists": {key: list(shape) for key, shape in Q1_RIGHT.items()},
    "TensorShapes": {key: tf.TensorShape(shape) for key, shape in Q1_RIGHT.items()},
    "int arrays": {key: np.array(shape) for key, shape in Q1_RIGHT.items()},
    "tensors themselves": {key: np.zeros(shape) for key, shape in Q1_RIGHT.items()},
    "tf.shape tensors (new)": {key: tf.constant(shape) for key, shape in Q1_RIGHT.items()},
}


@pytest.mark.parametrize("name", list(Q1_VALID))
def test_q1_valid_variants(name):
    _status(q1.check(Q1_VALID[name]), "passed")


def _sequential(*middle, embedding=(50, 8)):
    return keras.Sequential(
        [
            keras.Input(shape=(None,), dtype="int32"),
            layers.Embedding(*embedding),
            *middle,
            layers.Dense(4, activation="softmax"),
        ]
    )


def _functional_classifier():
    ids = keras.Input(shape=(None,), dtype="int32")
    states = layers.GRU(40)(layers.Embedding(50, 8)(ids))
    return keras.Model(ids, layers.Dense(4, activation="softmax")(states))


def test_q2_valid_variants():
    _status(q2.check(_sequential(layers.GRU(40))), "passed")
    _status(q2.check(_functional_classifier()), "passed")


@pytest.mark.parametrize(
    ("build", "fragment"),
    [
        (
            lambda: _sequential(
                layers.GRU(40, return_sequences=True), layers.GlobalAveragePooling1D()
            ),
            "three layers, Embedding, GRU and Dense",
        ),
        (lambda: _sequential(layers.GRU(40, activation="relu")), "activation='relu'"),
        (lambda: _sequential(layers.GRU(40, go_backwards=True)), "go_backwards=True"),
        (lambda: _sequential(layers.GRU(40), layers.Dropout(0.1)), "yours are"),
    ],
    ids=["pooling (new)", "relu (new)", "go_backwards (new)", "extra dropout (new)"],
)
def test_q2_refuses_layers_the_prompt_does_not_ask_for(build, fragment):
    _status(q2.check(build()), "failed", fragment)


def _tagger_with(first, second, mask=True):
    def build_tagger():
        ids = keras.Input(shape=(None,), dtype="int32")
        x = layers.Embedding(100, 16, mask_zero=mask)(ids)
        x = first()(x)
        if second is not None:
            x = second()(x)
        return keras.Model(ids, layers.Dense(5, activation="softmax")(x))

    return build_tagger


def _sequential_tagger():
    return keras.Sequential(
        [
            keras.Input(shape=(None,), dtype="int32"),
            layers.Embedding(100, 16, mask_zero=True),
            layers.Bidirectional(layers.GRU(32, return_sequences=True)),
            layers.GRU(32, return_sequences=True),
            layers.Dense(5, activation="softmax"),
        ]
    )


def test_q3_valid_variants():
    _status(q3.check(_solution(q3)), "passed")
    _status(q3.check(_sequential_tagger), "passed")


@pytest.mark.parametrize(
    ("build", "fragment"),
    [
        (
            _tagger_with(
                lambda: layers.Bidirectional(layers.LSTM(32, return_sequences=True)),
                lambda: layers.LSTM(32, return_sequences=True),
            ),
            "yours are Embedding(100, 16), Bidirectional(LSTM(32)), LSTM(32), Dense(5)",
        ),
        (
            _tagger_with(lambda: layers.Bidirectional(layers.GRU(32, return_sequences=True)), None),
            "yours are Embedding(100, 16), Bidirectional(GRU(32)), Dense(5)",
        ),
        (
            _tagger_with(
                lambda: layers.Bidirectional(layers.GRU(64, return_sequences=True)),
                lambda: layers.GRU(32, return_sequences=True),
            ),
            "Bidirectional(GRU(64))",
        ),
    ],
    ids=["LSTMs (new)", "second GRU dropped (new)", "other size (new)"],
)
def test_q3_keeps_the_layers_of_the_broken_tagger(build, fragment):
    _status(q3.check(build), "failed", fragment)


def test_q4_shows_numbers_that_differ():
    reference = ch07._gru_sequence
    result = q4.check(lambda *args: reference(*args) * (1 + 5e-7))
    _status(result, "failed", "relative error")
    shown = result.message.split("expected ")[-1]
    expected_text, got_text = shown.split(", got ")
    assert expected_text != got_text.split(" ")[0], result.message


def test_q8_accepts_integer_forms_and_refuses_floats():
    def sampler(convert):
        def sample(logits, temperature, rng):
            scaled = np.asarray(logits, dtype="float64") / temperature
            probs = np.exp(scaled - scaled.max())
            return convert(rng.choice(len(probs), p=probs / probs.sum()))

        return sample

    _status(q8.check(sampler(np.int64)), "passed")
    _status(q8.check(sampler(np.array)), "passed")
    _status(q8.check(sampler(float)), "failed", "an int")


def test_q3_explanation_waits_until_the_learner_asks():
    # The student hand-out used to spell out the three fixes right after the check.
    nb = nbformat.read(NOTEBOOK, as_version=4)
    index = next(i for i, cell in enumerate(nb.cells) if cell.source.strip().endswith("q3.check()"))
    pointer, hint_cell = nb.cells[index + 1], nb.cells[index + 2]
    assert pointer.cell_type == "markdown" and "mask_zero" not in pointer.source
    assert hint_cell.source.strip() == "q3.hint(3)"
    assert "hide-output" in hint_cell.metadata.get("tags", [])
    assert "Only a test of the behaviour finds that bug" in q3.hints[2]


# --- The grader's hidden test cases (issue 17) ---------------------------------------------------
# For each function question, the graded check draws new inputs from the grader's seed: the model
# answer passes them, the same seed gives the same inputs, and a function that memorised the
# visible cases (or, for 7.8, their probabilities) passes the visible check but not the graded
# one. Before for_grading, the graded check was the visible one and every memoriser passed it.


def _same(a, b):
    """Deep equality of test cases (arrays, lists, tuples, vocabularies)."""
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return np.array_equal(a, b)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, text.Vocabulary):
        return a.tokens == b.tokens
    return a == b


@pytest.mark.parametrize(
    ("exercise", "cases"),
    [(q4, "_cases"), (q6, "_cases"), (q8, "_logits"), (q3, "_ids")],
    ids=["q4", "q6", "q8", "q3"],
)
def test_graded_cases_depend_on_the_seed_and_only_on_it(exercise, cases):
    first, again, other = (getattr(exercise._check.for_grading(s), cases) for s in (1, 1, 2))
    assert _same(first, again)
    assert not _same(first, other)
    assert not _same(first, getattr(exercise._check, cases))


def test_the_visible_cases_are_untouched():
    assert _same(q4._check._cases, ch07._q4_cases())
    assert _same(q6._check._cases, ch07._q6_cases())
    assert np.array_equal(q8._check._logits, [2.0, 1.0, 0.5, 0.0, -1.0])
    assert q8._check._seeds == (0, 11, 101, 102, 103, 7, 8)
    assert np.array_equal(q3._check._ids, ch07._Q3_IDS) and q3._check._pads == 2


@pytest.mark.parametrize("exercise", [q4, q6, q8], ids=["q4", "q6", "q8"])
def test_the_model_answer_passes_the_graded_cases(exercise):
    for seed in (1, 2, 3):
        _status(exercise._check.for_grading(seed)(_solution(exercise)), "passed")


def _gru_memoriser():
    table = {args[0].tobytes(): ch07._gru_sequence(*args) for args in ch07._q4_cases()}

    def gru_sequence(x, h0, kernel, recurrent_kernel, bias):
        return table.get(x.tobytes(), np.zeros((*x.shape[:2], h0.shape[-1])))

    return gru_sequence


def _lm_memoriser():
    table = {tuple(c[0]): ch07._lm_arrays(*c) for c in ch07._q6_cases()}

    def lm_arrays(lines, vocab, width):
        zeros = np.zeros((len(lines), width), dtype=np.int32)
        return table.get(tuple(lines), (zeros, zeros))

    return lm_arrays


def _sample_memoriser():
    """The visible logits and temperatures with their softmax written out; uniform otherwise."""
    probs = {
        (logits.tobytes(), t): sampling._softmax(logits / t)
        for logits, temps in (
            (sampling._Q8_LOGITS, (1.0, 0.5, 2.0)),
            (sampling._Q8_SHARP, (0.01,)),
            (sampling._Q8_LARGE, (1.0,)),
        )
        for t in temps
    }

    def sample(logits, temperature, rng):
        p = probs.get((np.asarray(logits).tobytes(), temperature), np.full(len(logits), 0.2))
        return int(rng.choice(len(logits), p=p / p.sum()))

    return sample


@pytest.mark.parametrize(
    ("exercise", "memoriser"),
    [(q4, _gru_memoriser), (q6, _lm_memoriser), (q8, _sample_memoriser)],
    ids=["q4", "q6", "q8"],
)
def test_a_memoriser_passes_the_visible_check_and_fails_the_graded_one(exercise, memoriser):
    _status(exercise.check(memoriser()), "passed")
    for seed in (1, 2, 3):
        _status(exercise._check.for_grading(seed)(memoriser()), "failed")


def test_the_graded_cases_still_name_the_mistakes():
    graded = q4._check.for_grading(5)
    _status(graded(_gru_variant(after=True)), "failed", "reset gate after")
    right = _solution(q4)
    _status(graded(lambda *a: right(*a)[:, -1]), "failed", "last state only")
    graded = q6._check.for_grading(5)
    right = _solution(q6)
    _status(graded(lambda *a: right(*a)[::-1]), "failed", "swapped")
    graded = q8._check.for_grading(5)
    ignores = _softmax_sampler(lambda logits, t: logits)
    _status(graded(ignores), "failed", "the temperature is ignored")
    _status(graded(_softmax_sampler(_divide, stable=False)), "error", "overflows")


@pytest.mark.slow
def test_q3_the_model_answer_passes_the_graded_batches_and_a_missing_mask_fails():
    for seed in (1, 2, 3):
        graded = q3._check.for_grading(seed)
        _status(graded(_solution(q3)), "passed")
        _status(graded(_tagger(mask=False)), "failed", "mask_zero=True")
