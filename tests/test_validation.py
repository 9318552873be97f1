"""course_utils.validation: one home for the argument checks, with the messages tests pin."""

from __future__ import annotations

import doctest
import inspect
import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from course_utils import data, evaluation, ladder, lm, models, ngram, text, validation
from course_utils.validation import (
    check_bool,
    check_choice,
    check_collection,
    check_fraction,
    check_int,
    check_optional_str,
    check_positive_real,
    check_real,
    check_real_array,
    check_real_between,
    check_rng,
    check_str,
    check_strings,
    describe,
    is_iterable,
    is_sequence,
)

INTRODUCED = "Introduced in: notebooks/00_data_and_tools.ipynb"


def _raised(call: Callable[[], object]) -> tuple[type[BaseException], str] | None:
    """The type and message of the exception ``call`` raises, or None."""
    try:
        call()
    except (TypeError, ValueError) as error:
        return type(error), str(error)
    return None


# ---------------------------------------------------------------------------------------------
# The module
# ---------------------------------------------------------------------------------------------


def test_docstring_examples_are_correct() -> None:
    failures, attempted = doctest.testmod(validation, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert attempted >= 15
    assert failures == 0


@pytest.mark.parametrize("name", validation.__all__)
def test_every_public_function_is_documented(name: str) -> None:
    doc = inspect.getdoc(getattr(validation, name)) or ""
    for section in ("Args:", "Returns:", "Raises:", "Example:"):
        assert section in doc, (name, section)
    assert doc.rstrip().endswith(INTRODUCED), name


def test_validation_imports_nothing_from_the_package() -> None:
    source = inspect.getsource(validation)
    assert not re.search(r"^\s*(from|import)\s+course_utils", source, re.MULTILINE)


# ---------------------------------------------------------------------------------------------
# The messages, word for word
# ---------------------------------------------------------------------------------------------

MESSAGES: list[tuple[str, Callable[[], object], type[BaseException], str]] = [
    (
        "repr cut at 60",
        lambda: check_str(["x" * 80], "s"),
        TypeError,
        "s must be a str; got ['" + "x" * 55 + "... of type list",
    ),
    (
        "int float",
        lambda: check_int(1.5, "window", 1),
        TypeError,
        "window must be an integer >= 1; got 1.5 of type float",
    ),
    (
        "int bool",
        lambda: check_int(True, "units", 1),
        TypeError,
        "units must be an integer >= 1; got True of type bool",
    ),
    (
        "int numpy bool",
        lambda: check_int(np.True_, "n", 0),
        TypeError,
        "n must be an integer >= 0; got np.True_ of type bool",
    ),
    (
        "int low",
        lambda: check_int(0, "units", 1),
        ValueError,
        "units must be an integer >= 1; got 0",
    ),
    (
        "int between",
        lambda: check_int(1000, "n_items", 3, 999),
        ValueError,
        "n_items must be an integer between 3 and 999; got 1000",
    ),
    (
        "int str",
        lambda: check_int("3", "n", 0, 9),
        TypeError,
        "n must be an integer between 0 and 9; got '3' of type str",
    ),
    (
        "int unbounded",
        lambda: check_int(None, "seed"),
        TypeError,
        "seed must be an integer; got None of type NoneType",
    ),
    (
        "int high only",
        lambda: check_int(7, "k", high=5),
        ValueError,
        "k must be an integer <= 5; got 7",
    ),
    (
        "real type",
        lambda: check_real("a", "power"),
        TypeError,
        "power must be a real number; got 'a' of type str",
    ),
    (
        "real inf",
        lambda: check_real(float("inf"), "power"),
        ValueError,
        "power must be a finite real number; got inf",
    ),
    (
        "real low type",
        lambda: check_real(True, "scale", 0.0),
        TypeError,
        "scale must be a finite real number >= 0; got True of type bool",
    ),
    (
        "real low value",
        lambda: check_real(-0.5, "scale", 0.0),
        ValueError,
        "scale must be a finite real number >= 0; got -0.5",
    ),
    (
        "real low nan",
        lambda: check_real(float("nan"), "scale", 0.0),
        ValueError,
        "scale must be a finite real number >= 0; got nan",
    ),
    (
        "positive type",
        lambda: check_positive_real("1", "lr"),
        TypeError,
        "lr must be a positive number; got '1' of type str",
    ),
    (
        "positive zero",
        lambda: check_positive_real(0, "lr"),
        ValueError,
        "lr must be a positive finite number; got 0.0",
    ),
    (
        "fraction type",
        lambda: check_fraction(None, "dropout"),
        TypeError,
        "dropout must be a number in [0, 1); got None of type NoneType",
    ),
    (
        "fraction one",
        lambda: check_fraction(1, "dropout"),
        ValueError,
        "dropout must be a number in [0, 1) (a fraction to drop); got 1.0",
    ),
    (
        "bool int",
        lambda: check_bool(1, "shuffle"),
        TypeError,
        "shuffle must be True or False; got 1 of type int",
    ),
    (
        "bool str",
        lambda: check_bool("yes", "return_sequences"),
        TypeError,
        "return_sequences must be True or False; got 'yes' of type str",
    ),
    (
        "bool numpy refused",
        lambda: check_bool(np.True_, "lowercase", numpy=False),
        TypeError,
        "lowercase must be True or False; got np.True_ of type bool",
    ),
    (
        "bool plotting form",
        lambda: check_bool(1, "density", numpy=False, got="type"),
        TypeError,
        "density must be True or False, got int",
    ),
    (
        "str bytes",
        lambda: check_str(b"ab", "s"),
        TypeError,
        "s must be a str; got b'ab' of type bytes",
    ),
    (
        "optional str",
        lambda: check_optional_str(5, "title"),
        TypeError,
        "title must be a string or None, got int",
    ),
    (
        "choice type",
        lambda: check_choice(1, "kind", ["a", "b"]),
        TypeError,
        "kind must be one of ['a', 'b'] (a str); got 1 of type int",
    ),
    (
        "choice hint",
        lambda: check_choice("Relu", "activation", ["tanh", "relu"]),
        ValueError,
        "activation must be one of ['tanh', 'relu']; got 'Relu'; did you mean 'relu'?",
    ),
    (
        "choice no hint",
        lambda: check_choice("zzz", "activation", ["tanh", "relu"]),
        ValueError,
        "activation must be one of ['tanh', 'relu']; got 'zzz'",
    ),
    (
        "rng seed",
        lambda: check_rng(0),
        TypeError,
        "rng must be a numpy.random.Generator, e.g. np.random.default_rng(0); got 0 of type int",
    ),
    (
        "collection str",
        lambda: check_collection("hello", "lines", "str"),
        TypeError,
        "lines must be a sequence (a list or tuple) of str, not a single str; "
        "wrap one item in a list, e.g. lines=['hello']",
    ),
    (
        "collection 0-d",
        lambda: check_collection(np.array(3), "rows", "label sequences"),
        TypeError,
        "rows must be a sequence of label sequences; got a 0-d array",
    ),
    (
        "collection dict",
        lambda: check_collection({"a": 1}, "lines", "str"),
        TypeError,
        "lines must be a sequence (a list or tuple) of str; got dict",
    ),
    (
        "collection set",
        lambda: check_collection({"a"}, "lines", "str"),
        TypeError,
        "lines must be a sequence (a list or tuple) of str; got set",
    ),
    (
        "strings item",
        lambda: check_strings(["1", 2], "strings"),
        TypeError,
        "strings[1] must be a str; got 2 of type int",
    ),
]


@pytest.mark.parametrize(
    ("call", "error", "message"), [m[1:] for m in MESSAGES], ids=[m[0] for m in MESSAGES]
)
def test_messages_word_for_word(
    call: Callable[[], object], error: type[BaseException], message: str
) -> None:
    assert _raised(call) == (error, message)


def test_real_array_messages() -> None:
    expected = "x must be a 2-D array of real numbers"
    error, message = _raised(lambda: check_real_array([[1.0], [1.0, 2.0]], expected))
    assert error is ValueError and message.startswith(f"{expected}; could not convert it: ")
    error, message = _raised(
        lambda: check_real_array([[1], [1, 2]], "h0", convert="it to an array")
    )
    assert error is ValueError and message.startswith("h0; could not convert it to an array: ")
    assert _raised(lambda: check_real_array(["a"], expected)) == (
        TypeError,
        f"{expected}; got dtype <U1 (list)",
    )
    assert _raised(lambda: check_real_array(np.array([True]), expected)) == (
        TypeError,
        f"{expected}; got dtype bool (ndarray)",
    )
    array = check_real_array([[1, 2]], expected)
    assert array.dtype.kind == "i" and array.shape == (1, 2)


def test_good_values_pass_and_are_converted() -> None:
    assert check_int(np.int64(3), "n", 1) == 3 and type(check_int(np.int64(3), "n", 1)) is int
    assert check_int(5, "n") == 5
    assert check_real(np.float32(0.5), "x") == 0.5
    assert check_real(0, "x", 0.0) == 0.0
    assert check_positive_real(np.int8(2), "lr") == 2.0
    assert check_fraction(0, "dropout") == 0.0
    assert check_bool(np.False_, "b") is False
    assert check_str("", "s") == ""
    assert check_optional_str(None, "title") is None and check_optional_str("t", "title") == "t"
    assert check_choice("relu", "a", ("tanh", "relu")) == "relu"
    rng = np.random.default_rng(0)
    assert check_rng(rng) is rng
    assert check_collection(np.array([[1, 2], [3, 4]]), "x", "rows")[1].tolist() == [3, 4]
    assert check_strings(("a", "b"), "s") == ["a", "b"]
    assert describe("x" * 100, limit=None) == repr("x" * 100) + " of type str"


def test_iterable_and_sequence_predicates() -> None:
    assert is_iterable([1]) and is_iterable(x for x in [1]) and is_iterable(np.zeros(2))
    assert not any(is_iterable(v) for v in ("ab", b"ab", bytearray(b"a"), {"a": 1}, 5, None))
    assert is_sequence(range(3)) and is_sequence(np.zeros(3)) and is_sequence([])
    assert not any(is_sequence(v) for v in ("ab", b"ab", np.zeros((2, 2)), {1, 2}, {"a": 1}))


# ---------------------------------------------------------------------------------------------
# The modules that had their own copies use these ones now
# ---------------------------------------------------------------------------------------------

MIGRATED = (data, evaluation, ladder, lm, models, ngram, text)
COPIES = (
    "_describe",
    "_type_name",
    "_check_int",
    "_check_bool",
    "_check_choice",
    "_check_fraction",
    "_check_positive_real",
)


@pytest.mark.parametrize("module", MIGRATED, ids=lambda m: m.__name__.split(".")[-1])
def test_migrated_modules_keep_no_copy_of_the_checks(module: Any) -> None:
    """data, evaluation, ladder, lm, models, ngram and text import their checks from here."""
    source = inspect.getsource(module)
    copies = [name for name in COPIES if re.search(rf"^def {name}\(", source, re.MULTILINE)]
    assert copies == [], f"{module.__name__} defines {copies}: use course_utils.validation"


def test_check_real_between_messages() -> None:
    assert check_real_between(np.float32(0.5), "p", 0.0, 1.0) == 0.5
    assert _raised(lambda: check_real_between(1.5, "filler_continue", 0.0, 1.0)) == (
        ValueError,
        "filler_continue must be a real number between 0.0 and 1.0; got 1.5",
    )
    assert _raised(lambda: check_real_between("x", "p", 0.0, 1.0)) == (
        TypeError,
        "p must be a real number between 0.0 and 1.0; got 'x' of type str",
    )
    assert _raised(lambda: check_real_between(float("nan"), "p", 0.0, 1.0))[0] is ValueError
