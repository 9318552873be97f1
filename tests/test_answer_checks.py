"""Tests of :mod:`course_utils.answer_checks`: every check's messages and outcomes.

The property tests at the end feed arbitrary (and deliberately hostile) learner values to every
check type and to :meth:`Exercise.check`: nothing may escape, every outcome must be a
:class:`CheckResult` with a known status and a non-empty, deterministic message.
"""

from __future__ import annotations

import math
import os
import re
import warnings
from fractions import Fraction
from typing import Any

import numpy as np
import pytest
import tensorflow as tf
from exercise_helpers import (
    SQUARE,
    assert_exercises_still_exports,
    assert_imports_without_tensorflow,
    assert_introduced_in_chapter_0,
    assert_well_formed,
    clean_results,  # noqa: F401 (an autouse fixture)
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from course_utils import answer_checks
from course_utils.exercises import (
    CallableCheck,
    Check,
    CheckResult,
    EqualityCheck,
    Exercise,
    ParamCountCheck,
    PredicateCheck,
    ShapeCheck,
    ShapesCheck,
    ____,
    is_placeholder,
    reset_results,
)

# ---------------------------------------------------------------------------------------------
# CheckResult
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "text"),
    [
        ("passed", "✓ Exercise 0.1 — correct! well done"),
        ("failed", "✗ Exercise 0.1 — not yet: well done"),
        ("not attempted", "… Exercise 0.1 — not attempted: well done"),
        ("error", "⚠ Exercise 0.1 — well done"),
    ],
)
def test_check_result_renders_each_status(status: Any, text: str) -> None:
    result = CheckResult("Exercise 0.1", status, "well done")
    assert repr(result) == text == str(result)
    assert result.passed is (status == "passed")
    box = result._repr_html_()
    assert box.startswith('<div class="cu-feedback" style=') and "well done" in box
    assert "<script" not in box and "http" not in box
    # Readable in a dark theme too: no fixed text colour, a translucent background.
    assert "color:inherit" in box and "rgba(" in box and "#1b1b1b" not in box
    # Text symbols only: an emoji (or the emoji variation selector) needs an emoji font.
    assert not re.search("[\U0001f300-\U0001faff\ufe0f]", repr(result) + box)


def test_check_result_html_escapes_the_message() -> None:
    result = EqualityCheck("x")("<script>alert('hi')</script>")
    box = result._repr_html_()
    assert "<script>" not in box
    assert "&lt;script&gt;" in box


def test_check_result_validates_its_fields() -> None:
    with pytest.raises(ValueError, match="status"):
        CheckResult("q", "great", "m")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        CheckResult("q", "passed", 3)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        CheckResult(1, "passed", "m")  # type: ignore[arg-type]


def test_check_result_is_frozen() -> None:
    result = CheckResult("q", "passed", "m")
    with pytest.raises(AttributeError):
        result.status = "failed"  # type: ignore[misc]


# ---------------------------------------------------------------------------------------------
# EqualityCheck
# ---------------------------------------------------------------------------------------------


def failed_message(check: Check, value: object) -> str:
    """The message of a check that must fail."""
    result = assert_well_formed(check(value))
    assert result.status == "failed", result
    return result.message


@pytest.mark.parametrize(
    ("expected", "value"),
    [
        (3, 3),
        (3, 3.0),
        (3, np.int64(3)),
        (0.5, np.float32(0.5)),
        (float("nan"), float("nan")),
        (math.inf, math.inf),
        ("안녕", "안녕"),
        ([1, 2.5, "a"], (1, 2.5, "a")),
        ([1, 2, 3], np.array([1, 2, 3])),
        ({"a": [1, 2]}, {"a": [1, 2]}),
        ({1, 2}, frozenset({2, 1})),
        (np.arange(6).reshape(2, 3), [[0, 1, 2], [3, 4, 5]]),
        (np.array([1.0, np.nan]), np.array([1.0, np.nan])),
        (np.array([True, False]), np.array([True, False])),
        (np.array(["a", "b"]), ["a", "b"]),
        (True, np.True_),
        (None, None),
        (b"x", b"x"),
        (1.5, np.array(1.5)),
    ],
)
def test_equality_passes(expected: object, value: object) -> None:
    result = assert_well_formed(EqualityCheck(expected)(value, question="Exercise 0.1"))
    assert result.status == "passed", result
    assert repr(result).startswith("✓ Exercise 0.1 — correct!")


def test_equality_numbers() -> None:
    assert failed_message(EqualityCheck(0.5), 0.25) == "expected 0.5, got 0.25 (off by 0.25)"
    assert failed_message(EqualityCheck(1.0), float("nan")) == "expected 1.0, got nan"
    assert failed_message(EqualityCheck(float("nan")), 1.0) == "expected nan, got 1.0"
    assert failed_message(EqualityCheck(math.inf), -math.inf) == "expected inf, got -inf"
    assert failed_message(EqualityCheck(3), 3.0000001).startswith("expected 3, got 3.0000001")
    assert failed_message(EqualityCheck(10**400), 1.0).startswith("expected 1000")


def test_equality_accepts_a_fraction_for_a_number() -> None:
    from fractions import Fraction

    assert EqualityCheck(0.5)(Fraction(1, 2)).passed
    assert EqualityCheck(1 / 3)(Fraction(1, 3)).passed  # the same float after rounding
    assert EqualityCheck(Fraction(1, 3))(1 / 3).passed
    assert failed_message(EqualityCheck(0.5), Fraction(1, 4)).startswith("expected 0.5, got 1/4")


def test_equal_looking_numbers_are_shown_with_the_digits_that_differ() -> None:
    expected = np.array([0.5, -0.15990612])
    got = expected.astype(np.float32)  # -0.15990612 rounds to -0.159906 in both texts
    message = failed_message(EqualityCheck(expected, rtol=1e-9), got)
    assert "expected -0.15990612, got -0.1599061191" in message, message
    message = failed_message(EqualityCheck(-0.15990612), np.float32(-0.15990612))
    assert message.startswith("expected -0.15990612, got -0.1599061191"), message


def test_tensorflow_shapes_compare_like_tuples() -> None:
    import tensorflow as tf

    outputs = [tf.zeros((8, 5, 16)), tf.zeros((8, 16)), tf.zeros((8, 16))]
    check = EqualityCheck([(8, 5, 16), (8, 16), (8, 16)])
    assert check([t.shape for t in outputs]).passed
    assert EqualityCheck((None, 3))(tf.TensorShape([None, 3])).passed
    assert "expected 16, got 4" in failed_message(
        check, [tf.zeros((8, 5, 4)).shape, (8, 16), (8, 16)]
    )


def test_equality_tolerance() -> None:
    check = EqualityCheck(0.1, rtol=1e-6)
    assert check(0.1 + 1e-9).passed
    message = failed_message(check, 0.2)
    assert message == "expected 0.1, got 0.2 (off by 0.1) (tolerance: rtol=1e-06, atol=0)"
    assert EqualityCheck(1.0, atol=0.01)(1.005).passed


def test_equality_type_mismatch_is_explained() -> None:
    assert failed_message(EqualityCheck(3.0), "3.0") == "expected a float, got str '3.0'"
    assert failed_message(EqualityCheck(3), True) == "expected an int, got bool True"
    assert failed_message(EqualityCheck(True), 1) == "expected a bool (True or False), got int 1"
    assert failed_message(EqualityCheck(None), 0) == "expected None, got int 0"
    assert failed_message(EqualityCheck("a"), None) == "expected a str, got None"
    assert failed_message(EqualityCheck(b"x"), "x") == "expected bytes, got str 'x'"
    assert failed_message(EqualityCheck([1, 2]), "12") == "expected a list of 2 items, got str '12'"
    assert failed_message(EqualityCheck({"a": 1}), [1]) == "expected a dict, got list [1]"
    assert "set(...)" in failed_message(EqualityCheck({1}), [1])
    assert failed_message(EqualityCheck(np.zeros(2)), "ab").startswith(
        "expected an array of shape (2,), got str"
    )


def test_equality_strings() -> None:
    message = failed_message(EqualityCheck("Hello world"), "hello  world ")
    assert "differ only in upper/lower case or spaces" in message
    assert failed_message(EqualityCheck("abc"), "abd") == (
        "expected 'abc', got 'abd' (they first differ at character 2)"
    )
    assert "character 2" in failed_message(EqualityCheck("ab"), "abc")


def test_equality_sequences() -> None:
    assert failed_message(EqualityCheck([1, 2, 3]), [1, 2]) == (
        "expected 3 items, got 2; missing from index 2 on: 3"
    )
    assert failed_message(EqualityCheck([1, 2]), [1, 2, 7]) == (
        "expected 2 items, got 3; the extra items start at index 2: 7"
    )
    assert failed_message(EqualityCheck([1, 2, 3]), [1, 5, 3, 4]) == (
        "expected 3 items, got 4; first difference at [1]: expected 2, got 5 (off by 3)"
    )
    assert failed_message(EqualityCheck([1, 2, 3]), [1, 5, 6]) == (
        "at [1]: expected 2, got 5 (off by 3) (2 of 3 items differ)"
    )
    assert failed_message(EqualityCheck([[1, 2]]), [[1, "2"]]) == (
        "at [0][1]: expected an int, got str '2'"
    )


def test_equality_unordered() -> None:
    check = EqualityCheck([3, 1, 2, 2], ordered=False)
    assert check([2, 1, 2, 3]).passed
    assert failed_message(check, [1, 2, 3, 4]) == (
        "missing: 2; not expected: 4 (order does not matter)"
    )
    assert failed_message(check, [1, 2]).startswith("expected 4 items, got 2; missing: 3, 2")


def test_equality_dicts() -> None:
    check = EqualityCheck({"a": 1, "b": 2, "c": [1, 2]})
    assert failed_message(check, {"a": 1, "c": [1, 2], "z": 0}) == (
        "missing 1 key: 'b'; unexpected 1 key: 'z'"
    )
    assert failed_message(check, {"a": 1, "b": 2, "c": [1, 3]}) == (
        "at ['c'][1]: expected 2, got 3 (off by 1)"
    )
    assert "(2 keys differ)" in failed_message(check, {"a": 0, "b": 0, "c": [1, 2]})


def test_equality_sets() -> None:
    assert failed_message(EqualityCheck({1, 2, 3}), {2, 3, 4}) == "missing: 1; not expected: 4"


def test_equality_arrays() -> None:
    expected = np.arange(6.0).reshape(2, 3)
    assert failed_message(EqualityCheck(expected), np.zeros((3, 2))) == (
        "expected an array of shape (2, 3), got shape (3, 2)"
    )
    message = failed_message(EqualityCheck(expected), expected + np.array([[0, 0, 0.5], [0, 0, 0]]))
    assert message == (
        "1 of 6 values differ; first at index (0, 2): expected 2.0, got 2.5; "
        "largest absolute difference 0.5"
    )
    assert EqualityCheck(expected, atol=1e-3)(expected + 1e-4).passed
    assert "tolerance" in failed_message(EqualityCheck(expected, atol=1e-3), expected + 1)
    nan_message = failed_message(EqualityCheck(np.array([1.0, 2.0])), np.array([1.0, np.nan]))
    assert "first at index 1: expected 2.0, got nan" in nan_message
    assert "dtype <U1" in failed_message(EqualityCheck(np.zeros(2)), np.array(["a", "b"]))
    assert "(ValueError" in failed_message(EqualityCheck(np.zeros(2)), [[1], [1, 2]])
    assert "at [1]" in failed_message(EqualityCheck(np.array(["a", "b"])), ["a", "c"])
    assert failed_message(EqualityCheck(np.array([True, False])), [True, True]).startswith(
        "1 of 2 values differ"
    )


def test_equality_other_types_use_equality() -> None:
    assert EqualityCheck(1 + 2j)(1 + 2j).passed
    assert failed_message(EqualityCheck(1 + 2j), 1 - 2j) == "expected (1+2j), got (1-2j)"


def test_equality_placeholder_and_nested_placeholder() -> None:
    assert EqualityCheck(3)(____).status == "not attempted"
    assert EqualityCheck([1, 2])([1, ____]).status == "not attempted"


def test_equality_learner_eq_raising_is_an_error_not_a_crash() -> None:
    class Weird:
        def __eq__(self, other: object) -> bool:
            raise ValueError("no comparing me")

        __hash__ = object.__hash__

    result = assert_well_formed(EqualityCheck(1 + 2j)(Weird()))
    assert result.status == "failed"  # a type mismatch, explained without comparing
    result = assert_well_formed(EqualityCheck([1])([Weird()]))
    assert result.status == "failed"

    class WeirdComplex(complex):
        def __eq__(self, other: object) -> bool:
            raise ValueError("no comparing me")

        __hash__ = complex.__hash__

    result = assert_well_formed(EqualityCheck(1 + 2j)(WeirdComplex(1, 2)))
    assert result.status == "error"
    assert "ValueError: no comparing me" in result.message


def test_equality_messages_have_no_memory_addresses() -> None:
    def f() -> None:
        pass

    message = failed_message(EqualityCheck(3), f)
    assert "0x" not in message and "function" in message


def test_equality_validates_arguments() -> None:
    with pytest.raises(TypeError, match="rtol"):
        EqualityCheck(1, rtol="small")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="atol"):
        EqualityCheck(1, atol=-1)
    with pytest.raises(ValueError, match="atol"):
        EqualityCheck(1, atol=math.nan)
    with pytest.raises(TypeError, match="ordered"):
        EqualityCheck([1], ordered="no")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="placeholder"):
        EqualityCheck([1, ____])


def test_equality_describe_does_not_reveal_the_answer() -> None:
    text = EqualityCheck(42, rtol=0.1).describe()
    assert "42" not in text and "int" in text and "rtol=0.1" in text
    assert "42" not in repr(EqualityCheck(42))


# ---------------------------------------------------------------------------------------------
# ShapeCheck
# ---------------------------------------------------------------------------------------------


class FakeTensorShape:
    """Stands in for tf.TensorShape: iterable, with as_list()."""

    def __init__(self, dims: list[int | None] | None) -> None:
        self.dims = dims

    def as_list(self) -> list[int | None]:
        if self.dims is None:
            raise ValueError("as_list() is not defined on an unknown TensorShape.")
        return list(self.dims)


FakeTensorShape.__name__ = "TensorShape"


class FakeTensor:
    def __init__(self, shape: object) -> None:
        self.shape = shape


def test_shape_passes_with_wildcards() -> None:
    check = ShapeCheck((None, 10, 64))
    result = assert_well_formed(check(np.zeros((32, 10, 64))))
    assert result.passed
    assert result.message == "Shape (32, 10, 64) matches (None, 10, 64) (None matches any size)."
    assert check((8, 10, 64)).passed
    assert check([8, 10, 64]).passed
    assert check(FakeTensor(FakeTensorShape([None, 10, 64]))).passed
    assert check(FakeTensorShape([4, 10, 64])).passed
    assert ShapeCheck(())(np.float64(1.0)).passed
    assert ShapeCheck([3])(np.zeros(3)).passed


def test_shape_failures() -> None:
    check = ShapeCheck((None, 3))
    assert failed_message(check, np.zeros((8, 4))) == (
        "expected shape (None, 3), got (8, 4): axis 1 should be 3, not 4 (None matches any size)"
    )
    assert failed_message(check, np.zeros(8)) == (
        "expected 2 axes (shape (None, 3)), got 1 axis (shape (8,))"
    )
    assert failed_message(ShapeCheck((2, 3)), (None, 3)) == (
        "expected shape (2, 3), got (None, 3): axis 0 should be 2, not None"
    )
    assert failed_message(ShapeCheck((2, 3)), (1, 1)).endswith(
        "axis 0 should be 2, not 1; axis 1 should be 3, not 1"
    )
    assert failed_message(check, "abc").startswith("expected an array or tensor")
    assert "unknown" in failed_message(check, FakeTensor(FakeTensorShape(None)))
    assert "unknown" in failed_message(check, FakeTensor(None))
    assert "not a sequence" in failed_message(check, FakeTensor(3))
    assert "not a size" in failed_message(check, FakeTensor(("a", 3)))


def test_shape_property_raising_is_an_error() -> None:
    class Broken:
        @property
        def shape(self) -> tuple[int, ...]:
            raise RuntimeError("no shape today")

    result = assert_well_formed(ShapeCheck((1,))(Broken()))
    assert result.status == "error"
    assert "RuntimeError: no shape today" in result.message


def test_shape_validates_arguments() -> None:
    with pytest.raises(TypeError, match="tuple"):
        ShapeCheck(3)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="ints and None"):
        ShapeCheck((1.5,))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="ints and None"):
        ShapeCheck((True,))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=">= 0"):
        ShapeCheck((-1,))
    assert "3 axes" in ShapeCheck((None, 1, 2)).describe()


# ---------------------------------------------------------------------------------------------
# ParamCountCheck
# ---------------------------------------------------------------------------------------------


class FakeModel:
    def __init__(self, outcome: object) -> None:
        self.outcome = outcome

    def count_params(self) -> object:
        if isinstance(self.outcome, Exception):
            raise self.outcome
        return self.outcome


def test_param_count_messages() -> None:
    check = ParamCountCheck(1234)
    assert check(1234).message == "1,234 parameters."
    assert check(np.int64(1234)).passed and check(1234.0).passed
    assert check(FakeModel(1234)).passed
    assert failed_message(check, 1200) == "expected 1,234 parameters, got 1,200 (34 too few)"
    assert failed_message(check, 1300) == "expected 1,234 parameters, got 1,300 (66 too many)"
    assert "whole number" in failed_message(check, 12.5)
    assert "whole number" in failed_message(check, math.inf)
    assert failed_message(check, True) == "expected an int or a Keras model/layer, got bool True"
    assert failed_message(check, "1234").startswith("expected an int or a Keras model/layer")


def test_param_count_unbuilt_model_says_build_it_first() -> None:
    message = failed_message(ParamCountCheck(10), FakeModel(ValueError("layer isn't built")))
    assert message.startswith("build the model first: call it on an input or give input_shape")
    assert "layer isn't built" in message


def test_param_count_other_model_problems_are_errors() -> None:
    result = assert_well_formed(ParamCountCheck(10)(FakeModel(RuntimeError("oops"))))
    assert result.status == "error" and "RuntimeError: oops" in result.message
    result = assert_well_formed(ParamCountCheck(10)(FakeModel("ten")))
    assert result.status == "error" and "not an int" in result.message


def test_param_count_with_a_real_keras_model() -> None:
    keras = pytest.importorskip("keras")
    built = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(3)])
    assert ParamCountCheck(15)(built).passed
    assert failed_message(ParamCountCheck(16), built) == (
        "expected 16 parameters, got 15 (1 too few)"
    )
    unbuilt = keras.Sequential([keras.layers.Dense(3)])
    assert failed_message(ParamCountCheck(15), unbuilt).startswith("build the model first")


def test_param_count_validates_arguments() -> None:
    with pytest.raises(TypeError):
        ParamCountCheck(1.0)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        ParamCountCheck(True)
    with pytest.raises(ValueError):
        ParamCountCheck(-1)
    assert "1234" not in ParamCountCheck(1234).describe()


# ---------------------------------------------------------------------------------------------
# CallableCheck
# ---------------------------------------------------------------------------------------------


def test_callable_passes() -> None:
    def square(x: float) -> float:
        return x * x

    result = assert_well_formed(SQUARE(square))
    assert result.passed and result.message == "All 3 test cases give the expected result."


def test_callable_wrong_value_names_the_input() -> None:
    def square(x: float) -> float:
        return x + 2

    assert failed_message(SQUARE, square) == (
        "square(3): expected 9, got 5 (off by 4) (2 of 3 test cases fail)"
    )
    assert failed_message(SQUARE, lambda x: x + 2).startswith("your_function(3)")


def test_callable_exception_in_learner_code() -> None:
    def square(x: float) -> float:
        return x / 0

    result = assert_well_formed(SQUARE(square))
    assert result.status == "error"
    assert result.message == (
        "your code raised ZeroDivisionError: division by zero when called as square(2)"
    )
    assert repr(result).startswith("⚠ Your answer — your code raised ZeroDivisionError")


def test_callable_placeholder_return_is_not_attempted() -> None:
    def square(x: float) -> object:
        return x * ____

    result = assert_well_formed(SQUARE(square))
    assert result.status == "not attempted"
    assert "still returns ____" in result.message


def test_callable_missing_return_gets_a_hint() -> None:
    def square(x: float) -> None:
        x * x

    assert "did you forget a return statement?" in failed_message(SQUARE, square)


def test_callable_not_callable() -> None:
    assert failed_message(SQUARE, 4) == "expected a function, got int 4"


def test_callable_with_reference_and_tolerance() -> None:
    check = CallableCheck([(1.0,), (2.0,)], reference=math.sqrt, atol=1e-6)
    assert check(lambda x: x**0.5 + 1e-9).passed
    assert failed_message(check, lambda x: x / 2 + 0.5).startswith("your_function(2.0): ")


def test_callable_reference_failure_is_reported_not_raised() -> None:
    check = CallableCheck([(-1.0,)], reference=math.sqrt)
    result = assert_well_formed(check(math.sqrt))
    assert result.status == "error" and "reference solution" in result.message


def test_callable_inputs_are_copied_so_mutation_cannot_leak() -> None:
    check = CallableCheck([(([3, 1, 2],), [1, 2, 3])] * 2)

    def sort_in_place(items: list[int]) -> list[int]:
        items.append(99)
        return sorted(items)[:3]

    assert check(sort_in_place).passed


def test_callable_results_compared_like_equality() -> None:
    check = CallableCheck([(("ab",), {"a": 1, "b": 1})])
    assert failed_message(check, lambda s: {"a": 1}) == "your_function('ab'): missing 1 key: 'b'"
    arrays = CallableCheck([((2,), np.eye(2))])
    assert arrays(np.eye).passed


def test_callable_validates_arguments() -> None:
    with pytest.raises(TypeError, match="list"):
        CallableCheck("cases")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="empty"):
        CallableCheck([])
    with pytest.raises(TypeError, match="pairs"):
        CallableCheck([(1, 2, 3)])
    with pytest.raises(TypeError, match="tuple"):
        CallableCheck([(1, 2)])
    with pytest.raises(ValueError, match="placeholder"):
        CallableCheck([((1,), ____)])
    with pytest.raises(TypeError, match="callable"):
        CallableCheck([(1,)], reference=3)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="argument tuples"):
        CallableCheck([1], reference=abs)
    assert "2 test cases" in CallableCheck([((1,), 1), ((2,), 2)]).describe()


# ---------------------------------------------------------------------------------------------
# PredicateCheck
# ---------------------------------------------------------------------------------------------


POSITIVE = PredicateCheck(lambda v: (v > 0, "it must be positive"), description="positive")


def test_predicate_pass_and_fail() -> None:
    assert POSITIVE(3).passed
    assert failed_message(POSITIVE, -1) == "it must be positive"
    empty = PredicateCheck(lambda v: (v == 1, ""), description="the number one")
    assert failed_message(empty, 2) == "expected the number one"
    assert empty(1).message == "Your answer is the number one."


def test_predicate_exception_is_an_error_saying_the_check_could_not_evaluate() -> None:
    result = assert_well_formed(POSITIVE("text"))
    assert result.status == "error"
    assert result.message.startswith("the check could not evaluate your answer: TypeError")


def test_predicate_bad_return_value_is_an_error() -> None:
    result = assert_well_formed(PredicateCheck(lambda v: True, description="x")(1))
    assert result.status == "error" and "instead of (ok, message)" in result.message

    class NoBool:
        def __bool__(self) -> bool:
            raise RuntimeError("undecidable")

    result = assert_well_formed(PredicateCheck(lambda v: (NoBool(), "m"), description="x")(1))
    assert result.status == "error" and "undecidable" in result.message


def test_predicate_validates_arguments() -> None:
    with pytest.raises(TypeError):
        PredicateCheck(3, description="x")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        PredicateCheck(lambda v: (True, ""), description="  ")
    assert POSITIVE.describe() == "checks that your answer is positive"


# ---------------------------------------------------------------------------------------------
# Property tests: hostile learner values never make a check raise
# ---------------------------------------------------------------------------------------------


class Boom(Exception):
    """Raised by the hostile objects below."""


def _boom(*args: object, **kwargs: object) -> Any:
    raise Boom("boom")


HOSTILE_METHODS = (
    "__eq__",
    "__ne__",
    "__lt__",
    "__len__",
    "__iter__",
    "__array__",
    "__repr__",
    "__str__",
    "__bool__",
    "__call__",
    "__hash__",
    "__getitem__",
    "__contains__",
    "__float__",
    "__int__",
    "__index__",
    "__format__",
    "__getattr__",
    "shape",
    "count_params",
    "__class__",
)
HOSTILE_BASES: dict[str, tuple[type, object]] = {
    "object": (object, None),
    "list": (list, [1, 2]),
    "tuple": (tuple, (1, 2)),
    "dict": (dict, {"a": 1}),
    "str": (str, "abc"),
    "float": (float, 1.5),
    "int": (int, 3),
    "set": (set, {1, 2}),
}


def make_hostile(methods: frozenset[str], base_name: str) -> object:
    """An object (of a builtin subclass) whose chosen methods and properties raise."""
    base, init = HOSTILE_BASES[base_name]
    namespace: dict[str, object] = {}
    for method in methods:
        if method in {"shape", "__class__"}:
            namespace[method] = property(_boom)
        else:
            namespace[method] = _boom
    cls = type(f"Hostile{base_name.title()}", (base,), namespace)
    return cls() if init is None else cls(init)


def make_learner_function(mode: str, payload: object) -> Any:
    """A learner's function that returns a value, raises, or returns the placeholder."""

    def learner_function(*args: object) -> object:
        if mode == "raise":
            raise Boom("learner bug")
        if mode == "placeholder":
            return ____
        return payload

    return learner_function


scalars = st.one_of(
    st.integers(),
    st.integers(min_value=-(10**400), max_value=10**400),
    st.floats(allow_nan=True, allow_infinity=True),
    st.complex_numbers(),
    st.text(max_size=20),
    st.binary(max_size=10),
    st.none(),
    st.booleans(),
    st.just(____),
)
nested = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.tuples(children, children),
        st.dictionaries(st.one_of(st.text(max_size=3), st.integers()), children, max_size=3),
        st.frozensets(st.integers(), max_size=3),
    ),
    max_leaves=12,
)
arrays = hnp.arrays(
    dtype=hnp.scalar_dtypes(),
    shape=hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4),
)
hostile_specs = st.tuples(
    st.frozensets(st.sampled_from(HOSTILE_METHODS), min_size=1, max_size=6),
    st.sampled_from(sorted(HOSTILE_BASES)),
)
# A learner value is described by a spec and built inside the test, so that hypothesis never
# has to print a hostile object when it reports an example.
value_specs = st.one_of(
    nested.map(lambda v: ("plain", v)),
    arrays.map(lambda a: ("plain", a)),
    hostile_specs.map(lambda spec: ("hostile", spec)),
    st.tuples(
        st.sampled_from(["return", "raise", "placeholder"]),
        st.one_of(nested, hostile_specs.map(lambda spec: ("hostile", spec))),
    ).map(lambda spec: ("function", spec)),
)


def build_value(spec: tuple[str, Any]) -> object:
    kind, detail = spec
    if kind == "plain":
        return detail
    if kind == "hostile":
        return make_hostile(*detail)
    mode, payload = detail
    if isinstance(payload, tuple) and payload[:1] == ("hostile",):
        payload = make_hostile(*payload[1])
    return make_learner_function(mode, payload)


ALL_CHECKS: list[Check] = [
    EqualityCheck(3),
    EqualityCheck(0.5, rtol=1e-6, atol=1e-9),
    EqualityCheck(float("nan")),
    EqualityCheck(True),
    EqualityCheck(None),
    EqualityCheck("Hello"),
    EqualityCheck(b"x"),
    EqualityCheck(1 + 2j),
    EqualityCheck([1, [2.0, "a"]]),
    EqualityCheck((1, 2)),
    EqualityCheck([3, 1, 2], ordered=False),
    EqualityCheck({"a": 1, "b": [1, 2]}),
    EqualityCheck({1, 2}),
    EqualityCheck(np.arange(6.0).reshape(2, 3), atol=1e-3),
    EqualityCheck(np.array([True, False])),
    EqualityCheck(np.array(["a", "b"])),
    EqualityCheck(np.zeros(())),
    ShapeCheck((None, 3)),
    ShapeCheck(()),
    ParamCountCheck(10),
    CallableCheck([((1,), 2), ((2.5,), 3.5)], atol=1e-9),
    CallableCheck([(1,), ([1, 2],)], reference=lambda x: x),
    PredicateCheck(lambda v: (v > 0, "positive"), description="positive"),
    PredicateCheck(lambda v: (len(v) == 2, ""), description="of length 2"),
]
EXERCISES = [
    Exercise(f"Exercise 9.{i}", var="never_defined", check=check)
    for i, check in enumerate(ALL_CHECKS)
]
# Random examples on a developer's machine (they found the NaN-warning bug); the same examples
# on every CI run, so CI's verdict depends on the code, not on the draw.
PROPERTY_SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=os.environ.get("CI") == "true",
)


@PROPERTY_SETTINGS
@given(value_specs)
def test_no_learner_value_makes_a_check_raise(spec: tuple[str, Any]) -> None:
    value = build_value(spec)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for check in ALL_CHECKS:
            first = assert_well_formed(check(value, question="Exercise 9"))
            again = check(value, question="Exercise 9")
            assert (again.status, again.message) == (first.status, first.message)
    # Checks must not spray warnings into the learner's notebook either.
    assert [str(w.message) for w in caught] == []


@PROPERTY_SETTINGS
@given(value_specs)
def test_no_learner_value_makes_exercise_check_raise(spec: tuple[str, Any]) -> None:
    value = build_value(spec)
    for exercise in EXERCISES:
        result = assert_well_formed(exercise.check(value))
        assert result.question == exercise.label
    reset_results()


@PROPERTY_SETTINGS
@given(value_specs)
def test_placeholders_are_never_failed(spec: tuple[str, Any]) -> None:
    value = build_value(spec)
    if spec[0] == "plain" and is_placeholder(value):
        for check in ALL_CHECKS:
            assert check(value).status == "not attempted"


@PROPERTY_SETTINGS
@given(st.floats(allow_nan=True, allow_infinity=True), st.floats(allow_nan=True))
def test_nan_equals_only_nan(expected: float, got: float) -> None:
    result = EqualityCheck(expected)(got)
    if math.isnan(expected) or math.isnan(got):
        assert result.passed is (math.isnan(expected) and math.isnan(got))
    else:
        assert result.passed is (expected == got)


@PROPERTY_SETTINGS
@given(arrays)
def test_an_array_equals_itself(array: np.ndarray) -> None:
    assert EqualityCheck(array)(array.copy()).passed


@PROPERTY_SETTINGS
@given(
    st.lists(st.one_of(st.none(), st.integers(0, 5)), max_size=4),
    st.lists(st.integers(0, 5), max_size=4),
)
def test_shape_check_agrees_with_the_definition(
    expected: list[int | None], shape: list[int]
) -> None:
    result = ShapeCheck(tuple(expected))(np.zeros(shape))
    agrees = len(expected) == len(shape) and all(
        e is None or e == g for e, g in zip(expected, shape, strict=False)
    )
    assert result.passed is agrees


def test_equality_check_without_reveal_hides_the_expected_number():
    check = EqualityCheck(0.25, rtol=1e-9, reveal=False)
    assert check(0.25).status == "passed"
    high, low = check(0.5), check(0.125)
    assert high.status == low.status == "failed"
    assert "too large" in high.message and "too small" in low.message
    assert "0.25" not in high.message + low.message
    assert check(10**400).status == "failed"  # too big for a float: still a clean "not yet"
    assert "expected a float" in check("0.25").message  # type mismatches are still explained
    with pytest.raises(TypeError, match="reveal"):
        EqualityCheck(1, reveal="no")


# ---------------------------------------------------------------------------------------------
# Issue 18: the one coercion policy (as_number, as_count, as_shape, as_array, as_labels), the
# ShapesCheck, and CallableCheck's short messages, item names and named mistakes
# ---------------------------------------------------------------------------------------------


def test_numbers_compare_by_the_policy_everywhere() -> None:
    # EqualityCheck and ParamCountCheck read numbers with as_number / as_count.
    assert EqualityCheck(0.5)(tf.constant(0.5)).status == "passed"
    assert EqualityCheck(3)(Fraction(6, 2)).status == "passed"
    assert EqualityCheck(3)(True).status == "failed"
    for count in (np.array(10), tf.constant(10), Fraction(10), 10.0):
        assert ParamCountCheck(10)(count).status == "passed", count
    assert "whole number" in ParamCountCheck(10)(np.array(10.5)).message


def test_shapes_check() -> None:
    listed = ShapesCheck([(8, 5, 16), (8, 16)])
    assert listed([tf.TensorShape([8, 5, 16]), np.zeros((8, 16))]).status == "passed"
    assert listed(((8, 5, 16), [8, 16])).status == "passed"
    assert "shape 1 of 2: expected (8, 16), got (8, 5, 16)" in listed([(8, 5, 16)] * 2).message
    assert "expected 2 shapes, got 1" in listed([(8, 5, 16)]).message
    assert "expected a list of 2 shapes" in listed((8, 5, 16)).message
    assert "give every size" in listed([(None, 5, 16), (8, 16)]).message
    assert listed([____, (8, 16)]).status == "not attempted"
    one = ShapesCheck((None, 3))
    assert one((7, 3)).status == "passed"
    assert "expected (None, 3), got (7, 4)" in one((7, 4)).message
    named = ShapesCheck({"a": (4, 2)})
    assert named({"a": tf.zeros((4, 2))}).status == "passed"
    assert "missing 1 key" in named({}).message
    assert "unexpected 1 key" in named({"a": (4, 2), "b": (1,)}).message
    assert "expected a dict of shapes" in named([(4, 2)]).message
    assert "compares the shapes" in named.describe()


@pytest.mark.parametrize(
    ("expected", "error", "pattern"),
    [
        ("(8, 16)", TypeError, "a shape tuple, a list of shape tuples or a dict"),
        ([(8, "16")], ValueError, "tuple of sizes and None"),
        ({"a": [8, 16]}, ValueError, "tuple of sizes and None"),
    ],
)
def test_shapes_check_validates_its_expected_value(
    expected: object, error: type, pattern: str
) -> None:
    with pytest.raises(error, match=pattern):
        ShapesCheck(expected)  # type: ignore[arg-type]


def _pair(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return x * 2, x + 1


def test_callable_check_names_items_and_keeps_messages_short() -> None:
    cases = [(np.arange(6.0).reshape(2, 3),), (np.ones((3, 3)),)]
    check = CallableCheck(cases, reference=_pair, names=("double", "plus_one"))
    assert check(_pair).status == "passed"
    result = check(lambda x: (x * 2, x + 2))
    assert result.message.startswith("your_function, test case 1 of 2: plus_one: 6 of 6 values")
    assert "array(" not in result.message and "at [1]" not in result.message
    only_one = check(lambda x: x * 2)
    assert "return the tuple (double, plus_one); got a NumPy array" in only_one.message
    short = CallableCheck([((2,), 4)])(lambda x: x + 1)
    assert short.message.startswith("your_function(2): expected 4, got 3")


def test_callable_check_names_a_mistake_only_when_every_case_agrees() -> None:
    cases = [(np.arange(3.0),), (np.arange(4.0) - 2,)]
    check = CallableCheck(
        cases,
        reference=np.abs,
        mistakes=[(lambda x: x, "you forgot the absolute value"), (lambda x: -x, "negated")],
    )
    assert check(lambda x: x).message == "you forgot the absolute value"
    assert check(lambda x: -x).message == "negated"
    partly = check(lambda x: x if x.size == 3 else x + 1)  # agrees with a mistake on one case
    assert partly.status == "failed" and "values differ" in partly.message


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        ({"names": "h_t"}, "names must be a list or tuple of non-empty str"),
        ({"names": ("h_t", "")}, "names must be a list or tuple of non-empty str"),
        ({"mistakes": [(abs,)]}, "mistake 0 must be a .function, message. pair"),
        ({"mistakes": [("abs", "message")]}, "mistake 0 must be"),
        ({"mistakes": [(abs, " ")]}, "mistake 0 must be"),
    ],
)
def test_callable_check_validates_names_and_mistakes(kwargs: dict[str, Any], pattern: str) -> None:
    with pytest.raises(TypeError, match=pattern):
        CallableCheck([((1,), 1)], **kwargs)


def test_module_import_does_not_import_tensorflow() -> None:
    assert_imports_without_tensorflow("course_utils.answer_checks")


def test_public_docstrings_name_the_introducing_notebook() -> None:
    # Status and STATUSES are documented by comments and the module docstring
    assert_introduced_in_chapter_0(answer_checks, undocumented={"Status", "STATUSES"})


def test_the_old_home_still_exports_every_check() -> None:
    names = (
        "STATUSES",
        "Status",
        "Check",
        "CheckResult",
        "EqualityCheck",
        "ShapeCheck",
        "ShapesCheck",
        "ParamCountCheck",
        "CallableCheck",
        "PredicateCheck",
    )
    assert_exercises_still_exports(answer_checks, names)


def test_callable_check_diagnose_and_passed_messages():
    def diagnose(got, args):
        return "you added instead of multiplying" if got == args[0] + args[1] else None

    check = CallableCheck(
        [((2, 3), 6), ((4, 5), 20)], diagnose=diagnose, passed="Right: the product."
    )
    assert check(lambda a, b: a * b).message == "Right: the product."
    assert check(lambda a, b: a + b).message == "you added instead of multiplying"
    undiagnosed = check(lambda a, b: a * b + 1)
    assert undiagnosed.status == "failed" and undiagnosed.message.startswith("your_function(2, 3)")


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        ({"diagnose": "named"}, "diagnose must be callable or None, not str"),
        ({"passed": ""}, "passed must be a non-empty str or None"),
        ({"passed": 3}, "passed must be a non-empty str or None"),
    ],
)
def test_callable_check_validates_diagnose_and_passed(kwargs, pattern):
    with pytest.raises(TypeError, match=pattern):
        CallableCheck([((1,), 1)], **kwargs)
