"""Tests of :mod:`course_utils.answers`: the placeholder ``____`` and the coercion policy."""

from __future__ import annotations

import copy
import math
import pickle
from fractions import Fraction
from typing import Any

import numpy as np
import pytest
import tensorflow as tf
from exercise_helpers import (
    assert_exercises_still_exports,
    assert_imports_without_tensorflow,
    assert_introduced_in_chapter_0,
)

from course_utils import answers
from course_utils.exercises import (
    Placeholder,
    ____,
    as_array,
    as_count,
    as_labels,
    as_number,
    as_shape,
    is_placeholder,
)

# ---------------------------------------------------------------------------------------------
# The placeholder
# ---------------------------------------------------------------------------------------------


def test_placeholder_is_a_singleton_with_a_helpful_repr() -> None:
    assert Placeholder() is ____
    assert repr(____) == "____ (replace me with your answer)"
    assert str(____) == "____"
    assert f"{____}" == "____" and f"{____:.3f}" == "____"
    assert not ____
    assert bool(____) is False


def test_placeholder_absorbs_what_a_stub_does_with_it() -> None:
    assert 4 * ____ + 1 is ____
    assert (____ - 2) / 3 is ____
    assert 2**____ is ____ and ____**2 is ____
    assert -____ is ____ and abs(____) is ____ and ~____ is ____
    assert round(____) is ____ and math.floor(____) is ____
    assert ____(3) is ____ and ____(1, key=2) is ____
    assert ____[0] is ____ and ____["a"]["b"] is ____
    assert ____.shape is ____ and ____.count_params() is ____
    assert (____ == 3) is ____ and (3 == ____) is ____ and (____ < 1) is ____
    assert (1 in ____) is False
    assert np.ones(3) + ____ is ____
    assert np.float64(2.0) * ____ is ____
    assert ____ @ np.eye(2) is ____


def test_placeholder_private_attributes_do_not_exist() -> None:
    assert not hasattr(____, "_repr_html_")
    assert not hasattr(____, "__array__")


@pytest.mark.parametrize(
    "action",
    [
        lambda: list(____),
        lambda: len(____),
        lambda: int(____),
        lambda: float(____),
        lambda: [1, 2][____],
    ],
)
def test_placeholder_refuses_iteration_and_conversion_with_a_clear_message(action: Any) -> None:
    with pytest.raises(TypeError, match="placeholder"):
        action()


def test_placeholder_unpacking_raises_a_clear_type_error() -> None:
    with pytest.raises(TypeError, match="replace it with your answer"):
        _first, _second = ____


def test_placeholder_survives_copy_pickle_and_hashing() -> None:
    assert copy.copy(____) is ____
    assert copy.deepcopy([____])[0] is ____
    assert pickle.loads(pickle.dumps(____)) is ____
    assert ____ in {____} and {____: 1}[____] == 1
    assert hash(____) == hash(Placeholder())


def test_placeholder_cannot_grow_attributes() -> None:
    with pytest.raises(AttributeError):
        ____.answer = 3  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "value",
    [
        ____,
        [1, ____],
        (1, (2, [____])),
        {"a": ____},
        {____: 1},
        {1, ____},
        frozenset([____]),
        np.array([1, ____], dtype=object),
        {"a": [{"b": (____,)}]},
    ],
)
def test_is_placeholder_finds_it_in_containers(value: object) -> None:
    assert is_placeholder(value)


@pytest.mark.parametrize(
    "value", [None, 0, "____", b"____", [1, 2], {"a": 1}, np.zeros(3), np.array([1], dtype=object)]
)
def test_is_placeholder_is_false_for_answers(value: object) -> None:
    assert not is_placeholder(value)


def test_is_placeholder_depth_is_bounded() -> None:
    value: object = ____
    for _ in range(20):
        value = [value]
    assert not is_placeholder(value)
    assert is_placeholder([[[____]]])


def test_is_placeholder_never_raises() -> None:
    class BadList(list):  # type: ignore[type-arg]
        def __iter__(self) -> Any:
            raise RuntimeError("boom")

    assert is_placeholder(BadList([1])) is False


# ---------------------------------------------------------------------------------------------
# The one coercion policy (issue 18): as_number, as_count, as_shape, as_array, as_labels
# ---------------------------------------------------------------------------------------------

NUMBERS = [
    (3, 3),
    (0.5, 0.5),
    (Fraction(1, 2), Fraction(1, 2)),
    (np.int64(3), 3),
    (np.float32(0.5), 0.5),
    (np.array(3), 3),
    (np.array(0.25), 0.25),
    (tf.constant(3), 3),
    (tf.constant(0.5), 0.5),
    (True, None),
    (np.bool_(True), None),
    (np.array(True), None),
    ("3", None),
    (1 + 2j, None),
    (np.array([3]), None),
    (None, None),
]


@pytest.mark.parametrize(("value", "expected"), NUMBERS, ids=[repr(v)[:30] for v, _ in NUMBERS])
def test_as_number(value: object, expected: object) -> None:
    got = as_number(value)
    assert got == expected and type(got) is type(expected)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (11008, 11008),
        (11008.0, 11008),
        (np.float32(6), 6),
        (Fraction(22016, 2), 11008),
        (np.array(7), 7),
        (tf.constant(7.0), 7),
        (6.5, None),
        (Fraction(1, 2), None),
        (math.inf, None),
        (math.nan, None),
        (False, None),
        ("6", None),
    ],
)
def test_as_count(value: object, expected: object) -> None:
    assert as_count(value) == expected


SHAPES = [
    ((8, 16), (8, 16)),
    ([8, np.int64(16)], (8, 16)),
    ((None, 16), (None, 16)),
    ((6.0, 20.0, 3.0), (6, 20, 3)),
    (tf.TensorShape([None, 5]), (None, 5)),
    (tf.constant([4, 20, 32]), (4, 20, 32)),
    (np.array([4, 20, 32]), (4, 20, 32)),
    (np.zeros((4, 20, 32)), (4, 20, 32)),
    (tf.zeros((2, 3)), (2, 3)),
    ((8, -1), None),
    ((8, 1.5), None),
    (("8", 16), None),
    (np.array(8), None),
    ("(8, 16)", None),
    ({8, 16}, None),
    (8, None),
    (tf.TensorShape(None), None),
]


@pytest.mark.parametrize(("value", "expected"), SHAPES, ids=[repr(v)[:30] for v, _ in SHAPES])
def test_as_shape(value: object, expected: object) -> None:
    assert as_shape(value) == expected


def test_as_array_and_as_labels() -> None:
    assert as_array([[1, 2], [3, 4]]).shape == (2, 2)
    assert as_array(tf.constant([1.0, 2.0])).dtype == np.float32
    assert as_array(3).ndim == 0
    for not_an_array in ("12", {"a": 1}, {1, 2}, None, len):
        assert as_array(not_an_array) is None
    assert as_labels(["A", "c ", "a"]) == {"a", "c"}
    assert as_labels(frozenset({"b"})) == {"b"}
    assert as_labels(np.array(["a", "b"])) == {"a", "b"}
    for not_labels in ("ac", [1, 2], {"a": 1}, None):
        assert as_labels(not_labels) is None


def test_module_import_does_not_import_tensorflow() -> None:
    assert_imports_without_tensorflow("course_utils.answers")


def test_public_docstrings_name_the_introducing_notebook() -> None:
    # ____ is documented by the module docstring
    assert_introduced_in_chapter_0(answers, undocumented={"____"})


def test_the_old_home_still_exports_every_name() -> None:
    assert_exercises_still_exports(answers, answers.__all__)
