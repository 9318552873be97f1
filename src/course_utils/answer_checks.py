"""Answer checks (chapter 0): each compares an answer with what is expected and says why.

A check is called on a learner's value and returns a :class:`CheckResult`; it never raises for an
answer. The outcome has one of four statuses (:data:`STATUSES`) and a message that says what was
expected and what was found. :class:`EqualityCheck`, :class:`ShapeCheck`, :class:`ShapesCheck`,
:class:`ParamCountCheck`, :class:`CallableCheck` and :class:`PredicateCheck` serve most
questions; a chapter's own check subclasses :class:`Check` or uses the helpers of
:mod:`course_utils.check_helpers`.

Messages are deterministic (no memory addresses, ids or timestamps), so executed notebooks can
be compared with their reference outputs. This module imports neither TensorFlow nor Keras:
Keras models are recognised by duck typing (a ``count_params`` method).

Introduced in: notebooks/00_data_and_tools.ipynb
"""

from __future__ import annotations

import copy
import html
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from numbers import Real
from typing import Any, Final, Literal, cast

import numpy as np

from course_utils.answers import (
    _axes,
    _compare,
    _exc_text,
    _from_tensor,
    _got,
    _is_int,
    _is_number,
    _is_tensor_shape,
    _items_text,
    _number_text,
    _plural,
    _shape_text,
    _short_repr,
    _Tolerance,
    _type_name,
    as_count,
    as_number,
    as_shape,
    is_placeholder,
)

__all__ = [
    "STATUSES",
    "CallableCheck",
    "Check",
    "CheckResult",
    "EqualityCheck",
    "ParamCountCheck",
    "PredicateCheck",
    "ShapeCheck",
    "ShapesCheck",
    "Status",
]


Status = Literal["passed", "failed", "not attempted", "error"]
"""The four outcomes of a check.

Introduced in: notebooks/00_data_and_tools.ipynb
"""

#: The four statuses, in the order a report lists them.
#:
#: Introduced in: notebooks/00_data_and_tools.ipynb
STATUSES: Final[tuple[Status, ...]] = ("passed", "failed", "not attempted", "error")

_NOT_ATTEMPTED: Final[str] = (
    "replace ____ with your answer in the exercise cell, run that cell, then run this check again."
)


# ---------------------------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------------------------

# Text symbols, not emoji: every common text font has them (DejaVu Sans, Noto Sans, Segoe UI,
# NanumGothic), they take the box's colour, and they never glare in a dark theme.
_ICONS: Final[dict[str, str]] = {
    "passed": "✓",
    "failed": "✗",
    "not attempted": "…",
    "error": "⚠",
}
_HINT_ICON: Final[str] = "ℹ"
_LEADS: Final[dict[str, str]] = {
    "passed": "correct! ",
    "failed": "not yet: ",
    "not attempted": "not attempted: ",
    "error": "",
}
# Colour of each status: the box's left border and heading, and (at 12 % opacity) its
# background. The text keeps the page's own colour, so the box reads in light and dark themes
# (Jupyter, Colab and the book) without a stylesheet.
_COLOURS: Final[dict[str, str]] = {
    "passed": "46,125,50",
    "failed": "198,40,40",
    "not attempted": "117,117,117",
    "error": "239,108,0",
}
_HINT_COLOUR: Final[str] = "21,101,192"


def _box(rgb: str, heading: str, body: str) -> str:
    """A small coloured box with inline styles only; ``heading`` and ``body`` are raw text."""
    return (
        f'<div class="cu-feedback" style="border-left:4px solid rgb({rgb});'
        f"background:rgba({rgb},0.12);color:inherit;padding:6px 10px;margin:4px 0;"
        'border-radius:4px;white-space:pre-wrap;font-family:system-ui,sans-serif;line-height:1.4">'
        f'<strong style="color:rgb({rgb})">{html.escape(heading)}</strong> '
        f"{_inline_code(body)}</div>"
    )


def _inline_code(text: str) -> str:
    """Escape ``text`` for HTML and show spans in backticks as ``<code>``."""
    escaped = html.escape(text)
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", escaped)


@dataclass(frozen=True, repr=False)
class CheckResult:
    """The outcome of checking one answer.

    ``status`` is one of :data:`STATUSES`; ``message`` explains the outcome in a sentence or two.
    The text form is one friendly line such as ``✗ Exercise 0.1 — not yet: expected 3, got 4``;
    in Jupyter the result shows as a small coloured box. Both are deterministic.

    Introduced in: notebooks/00_data_and_tools.ipynb
    """

    question: str
    status: Status
    message: str

    def __post_init__(self) -> None:
        """Validate the fields.

        Introduced in: notebooks/00_data_and_tools.ipynb
        """
        if not isinstance(self.question, str):
            raise TypeError(f"question must be a str, not {_type_name(self.question)}")
        if self.status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}, not {self.status!r}")
        if not isinstance(self.message, str):
            raise TypeError(f"message must be a str, not {_type_name(self.message)}")

    @property
    def passed(self) -> bool:
        """True when the answer is correct.

        Introduced in: notebooks/00_data_and_tools.ipynb
        """
        return self.status == "passed"

    def _heading(self) -> str:
        """Icon, question and the status's lead-in, e.g. ``✗ Exercise 0.1 — not yet:``."""
        return f"{_ICONS[self.status]} {self.question} — {_LEADS[self.status]}".rstrip()

    def __repr__(self) -> str:
        """One friendly line (or a few, for long messages).

        Introduced in: notebooks/00_data_and_tools.ipynb
        """
        return f"{self._heading()} {self.message}"

    __str__ = __repr__

    def _repr_html_(self) -> str:
        """A small coloured box with inline styles (no scripts, no external resources).

        Introduced in: notebooks/00_data_and_tools.ipynb
        """
        return _box(_COLOURS[self.status], self._heading(), self.message)


# ---------------------------------------------------------------------------------------------
# Checks
# ---------------------------------------------------------------------------------------------


def _check_tolerance(rtol: object, atol: object) -> _Tolerance:
    """Validate ``rtol`` and ``atol``."""
    for name, value in (("rtol", rtol), ("atol", atol)):
        if not isinstance(value, Real) or isinstance(value, bool):
            raise TypeError(f"{name} must be a number, not {_type_name(value)}")
        if not (math.isfinite(float(value)) and float(value) >= 0):
            raise ValueError(f"{name} must be finite and >= 0, not {value!r}")
    return _Tolerance(float(cast(float, rtol)), float(cast(float, atol)))


def _check_expected(expected: object, what: str) -> None:
    """An expected value must not contain the placeholder."""
    if is_placeholder(expected):
        raise ValueError(f"{what} contains the placeholder ____: give the real expected value")


def _safe_copy(value: object) -> object:
    """A deep copy when possible (so a learner's function cannot mutate test inputs)."""
    try:
        return copy.deepcopy(value)
    except Exception:
        return value


class Check:
    """Base class of the answer checks: ``check(value)`` returns a :class:`CheckResult`.

    A check never raises for any value: a placeholder gives "not attempted" and anything that
    goes wrong while inspecting the value gives "error". Subclasses implement ``_evaluate``
    (returning a status and a message) and :meth:`describe`.

    Introduced in: notebooks/00_data_and_tools.ipynb
    """

    def __call__(self, value: object, *, question: str = "Your answer") -> CheckResult:
        """Check ``value``; ``question`` labels the result (e.g. ``"Exercise 0.1"``).

        Introduced in: notebooks/00_data_and_tools.ipynb
        """
        if is_placeholder(value):
            return CheckResult(question, "not attempted", _NOT_ATTEMPTED)
        try:
            status, message = self._evaluate(value)
        except Exception as exc:
            return CheckResult(
                question,
                "error",
                f"the check could not evaluate your answer: inspecting it raised {_exc_text(exc)}",
            )
        return CheckResult(
            question, status, message or f"(no details; the check {self.describe()})"
        )

    def _evaluate(self, value: object) -> tuple[Status, str]:
        """Return the status and message for a value that is not a placeholder."""
        raise NotImplementedError

    def for_grading(self, seed: int) -> Check:
        """The check a graded run uses: the same one, or one with test cases drawn from ``seed``.

        A check that calls the learner's function may return a copy whose test cases are new
        ones drawn from ``seed`` (the grader's secret, see :mod:`course_utils.judging`), so that
        a function that memorised the visible cases fails. The copy must be the same for the
        same seed, in any process. A check of a value returns itself (the default).

        Args:
            seed: The grader's seed for this run.

        Returns:
            The check to use for grading.

        Introduced in: notebooks/07_keras_exercises.ipynb
        """
        del seed
        return self

    def describe(self) -> str:
        """What the check tests, in words, without giving the expected answer away.

        Introduced in: notebooks/00_data_and_tools.ipynb
        """
        raise NotImplementedError

    def __repr__(self) -> str:
        """Class name and description (the expected answer is not shown).

        Introduced in: notebooks/00_data_and_tools.ipynb
        """
        return f"<{type(self).__name__}: {self.describe()}>"


class EqualityCheck(Check):
    """Check that an answer equals an expected value.

    Numbers (ints and floats compare by value; bools are not numbers) use
    ``|got - expected| <= atol + rtol * |expected|``; NaN matches only NaN. Strings are exact,
    with a hint when only case or spaces differ. Lists and tuples compare item by item (or as
    multisets with ``ordered=False``), dicts key by key, sets element by element, NumPy arrays
    shape first and then values (lists and tensors are accepted as arrays). Messages name the
    first difference and, for a wrong type, what was expected and what was found.

    With ``reveal=False`` a wrong number is not shown next to the expected one: the message says
    only whether the answer is too large or too small (for exercises whose answer is the number
    itself, where showing it would give the answer away). Type mismatches are always explained.

    Introduced in: notebooks/00_data_and_tools.ipynb

    >>> EqualityCheck(0.5)("0.5").message
    "expected a float, got str '0.5'"
    >>> EqualityCheck(0.5, reveal=False)(0.7).message
    'got 0.7, which is too large: not the expected value'
    """

    def __init__(
        self,
        expected: object,
        *,
        rtol: float = 0.0,
        atol: float = 0.0,
        ordered: bool = True,
        reveal: bool = True,
    ) -> None:
        """Store the expected value and the tolerances.

        Introduced in: notebooks/00_data_and_tools.ipynb
        """
        tol = _check_tolerance(rtol, atol)
        if not isinstance(ordered, bool):
            raise TypeError(f"ordered must be True or False, not {_type_name(ordered)}")
        if not isinstance(reveal, bool):
            raise TypeError(f"reveal must be True or False, not {_type_name(reveal)}")
        _check_expected(expected, "expected")
        self.expected = _safe_copy(_from_tensor(expected))
        self._tol = _Tolerance(tol.rtol, tol.atol, ordered)
        self._reveal = reveal

    def _evaluate(self, value: object) -> tuple[Status, str]:
        problem = _compare(self.expected, value, self._tol)
        if problem is None:
            return "passed", "Your answer matches the expected value."
        number = as_number(value)
        if not self._reveal and _is_number(self.expected) and number is not None:
            try:
                expected, got = float(cast(float, self.expected)), float(number)
            except OverflowError:
                expected = got = math.nan
            side = "too large" if got > expected else "too small" if got < expected else "off"
            return "failed", (
                f"got {_number_text(value if _is_number(value) else number)}, which is {side}: "
                "not the expected value" + self._tol.note()
            )
        return "failed", problem

    def describe(self) -> str:
        """What the check tests, without giving the expected value away.

        Introduced in: notebooks/00_data_and_tools.ipynb
        """
        order = "" if self._tol.ordered else ", in any order"
        kind = _kind_word(self.expected)
        return f"compares your answer with the expected {kind} ({self._tol.text()}{order})"


def _kind_word(expected: object) -> str:
    """``int``, ``list``, ``NumPy array`` (for :meth:`EqualityCheck.describe`)."""
    if _is_int(expected):
        return "int"
    if isinstance(expected, (float, np.floating)):
        return "float"
    return _type_name(expected) if expected is not None else "value (None)"


class ShapeCheck(Check):
    """Check the shape of an array or tensor (or a shape given directly as ints).

    ``expected_shape`` is a tuple of ints and ``None``; ``None`` matches any size (typically the
    batch axis). The answer may be anything with a ``shape`` (NumPy array, TensorFlow tensor,
    Keras symbolic tensor) or a tuple/list of ints.

    Introduced in: notebooks/00_data_and_tools.ipynb

    >>> ShapeCheck((None, 3))(np.zeros((8, 4))).message
    'expected shape (None, 3), got (8, 4): axis 1 should be 3, not 4 (None matches any size)'
    """

    def __init__(self, expected_shape: tuple[int | None, ...]) -> None:
        """Validate and store the expected shape.

        Introduced in: notebooks/00_data_and_tools.ipynb
        """
        if not isinstance(expected_shape, (tuple, list)):
            raise TypeError(
                f"expected_shape must be a tuple of ints and None, not {_type_name(expected_shape)}"
            )
        dims: list[int | None] = []
        for dim in expected_shape:
            if dim is None:
                dims.append(None)
            elif _is_int(dim):
                if int(dim) < 0:
                    raise ValueError(f"expected_shape sizes must be >= 0, not {int(dim)}")
                dims.append(int(dim))
            else:
                raise TypeError(
                    f"expected_shape must contain ints and None, not {_type_name(dim)} {dim!r}"
                )
        self.expected_shape: tuple[int | None, ...] = tuple(dims)

    def _evaluate(self, value: object) -> tuple[Status, str]:
        shape, problem = _shape_of(value)
        if problem is not None:
            return "failed", problem
        assert shape is not None
        expected = self.expected_shape
        wildcard = " (None matches any size)" if None in expected else ""
        if len(shape) != len(expected):
            return "failed", (
                f"expected {_axes(len(expected))} (shape {_shape_text(expected)}), "
                f"got {_axes(len(shape))} (shape {_shape_text(shape)})"
            )
        wrong = [
            f"axis {axis} should be {e}, not {g}"
            for axis, (e, g) in enumerate(zip(expected, shape, strict=True))
            if e is not None and e != g
        ]
        if wrong:
            return "failed", (
                f"expected shape {_shape_text(expected)}, got {_shape_text(shape)}: "
                f"{'; '.join(wrong)}{wildcard}"
            )
        return "passed", f"Shape {_shape_text(shape)} matches {_shape_text(expected)}{wildcard}."

    def describe(self) -> str:
        """What the check tests (the number of axes; sizes are not given away).

        Introduced in: notebooks/00_data_and_tools.ipynb
        """
        return (
            f"checks the shape of your answer ({_axes(len(self.expected_shape))}; "
            "None matches any size)"
        )


def _shape_of(value: object) -> tuple[tuple[int | None, ...] | None, str | None]:
    """The shape of ``value`` as a tuple of ints/None, or a message saying why there is none."""
    raw: object
    if isinstance(value, (tuple, list)) and all(v is None or _is_int(v) for v in value):
        raw = value
    elif _is_tensor_shape(value):
        raw = value
    else:
        try:
            raw = value.shape  # type: ignore[attr-defined]
        except AttributeError:
            return None, (
                "expected an array or tensor (something with a .shape) or a tuple of ints, "
                f"got {_got(value)}"
            )
    if _is_tensor_shape(raw):
        try:
            raw = raw.as_list()  # type: ignore[attr-defined]
        except ValueError:
            return None, "the number of axes of your tensor is unknown (its rank is None)"
    if raw is None:
        return None, "the shape of your answer is unknown (None)"
    try:
        dims = tuple(cast(Iterable[object], raw))
    except TypeError:
        return None, f"the .shape of your answer is not a sequence of sizes: {_got(raw)}"
    shape: list[int | None] = []
    for dim in dims:
        if dim is None or _is_int(dim):
            shape.append(None if dim is None else int(cast(int, dim)))
        else:
            return None, f"the .shape of your answer contains {_got(dim)}, not a size"
    return tuple(shape), None


class ShapesCheck(Check):
    """Check shapes a learner wrote: one shape, a list of shapes, or a dict of named shapes.

    Every shape of the answer is read by :func:`as_shape` (a tuple or list of sizes, a
    ``TensorShape``, ``tf.shape(x)``, or the array or tensor itself). ``None`` in an expected
    shape matches any size; a ``None`` in the answer where the expected shape has a size is
    refused (the prompt gives the batch size). A list of shapes may be a list or a tuple.

    Introduced in: notebooks/00_data_and_tools.ipynb

    >>> ShapesCheck([(8, 5, 16), (8, 16)])([(8, 5, 16), (8, 5, 16)]).message
    'shape 1 of 2: expected (8, 16), got (8, 5, 16)'
    """

    def __init__(
        self,
        expected: tuple[int | None, ...]
        | list[tuple[int | None, ...]]
        | Mapping[str, tuple[int | None, ...]],
    ) -> None:
        """Validate and store the expected shape(s).

        Introduced in: notebooks/00_data_and_tools.ipynb
        """
        self._kind: str
        if isinstance(expected, Mapping):
            self._kind = "dict"
            items = list(expected.values())
        elif isinstance(expected, list):
            self._kind = "list"
            items = list(expected)
        elif isinstance(expected, tuple):
            self._kind = "one"
            items = [expected]
        else:
            raise TypeError(
                "expected must be a shape tuple, a list of shape tuples or a dict of them, "
                f"not {_type_name(expected)}"
            )
        for item in items:
            if not isinstance(item, tuple) or not all(
                size is None or (_is_int(size) and int(size) >= 0) for size in item
            ):
                raise ValueError(
                    f"every expected shape must be a tuple of sizes and None: {item!r}"
                )
        self.expected = copy.deepcopy(expected)

    @staticmethod
    def _one(expected: tuple[int | None, ...], value: object, where: str) -> str | None:
        shape = as_shape(value)
        if shape is None:
            return f"{where}expected a shape, a tuple of ints such as (8, 16), got {_got(value)}"
        if len(shape) == len(expected) and all(
            e is None or e == g for e, g in zip(expected, shape, strict=True)
        ):
            return None
        if len(shape) == len(expected) and any(
            g is None and e is not None for e, g in zip(expected, shape, strict=True)
        ):
            return f"{where}give every size for this batch, not None: got {_shape_text(shape)}"
        return f"{where}expected {_shape_text(expected)}, got {_shape_text(shape)}"

    def _evaluate(self, value: object) -> tuple[Status, str]:
        problems: list[str] = []
        if self._kind == "one":
            problem = self._one(cast(tuple, self.expected), value, "")
            problems += [problem] if problem else []
        elif self._kind == "list":
            expected = cast(list, self.expected)
            if not isinstance(value, (list, tuple)) or as_shape(value) is not None:
                return "failed", (
                    f"expected a list of {_plural(len(expected), 'shape')}, such as "
                    f"[(8, 16), ...], got {_got(value)}"
                )
            if len(value) != len(expected):
                return "failed", (f"expected {_plural(len(expected), 'shape')}, got {len(value)}")
            for i, (want, got) in enumerate(zip(expected, value, strict=True)):
                problem = self._one(want, got, f"shape {i} of {len(expected)}: ")
                problems += [problem] if problem else []
        else:
            expected_map = cast(Mapping, self.expected)
            if not isinstance(value, Mapping):
                return "failed", f"expected a dict of shapes, got {_got(value)}"
            missing = [key for key in expected_map if key not in value]
            extra = [key for key in value if key not in expected_map]
            if missing or extra:
                parts = []
                if missing:
                    parts.append(f"missing {_plural(len(missing), 'key')}: {_items_text(missing)}")
                if extra:
                    parts.append(f"unexpected {_plural(len(extra), 'key')}: {_items_text(extra)}")
                return "failed", "; ".join(parts)
            for key, want in expected_map.items():
                problem = self._one(want, value[key], f"{_short_repr(key, 40)}: ")
                problems += [problem] if problem else []
        if not problems:
            return "passed", "Your answer matches the expected value."
        more = f" ({len(problems)} shapes differ)" if len(problems) > 1 else ""
        return "failed", problems[0] + more

    def describe(self) -> str:
        """What the check tests, without giving the shapes away.

        Introduced in: notebooks/00_data_and_tools.ipynb
        """
        return "compares the shapes you wrote with the expected ones (tuples, lists, TensorShape)"


class ParamCountCheck(Check):
    """Check a number of parameters: an int, or a Keras model/layer (``count_params()``).

    An unbuilt Keras model (whose ``count_params()`` raises ``ValueError``) gets the advice to
    build it first.

    Introduced in: notebooks/00_data_and_tools.ipynb

    >>> ParamCountCheck(10)(12).message
    'expected 10 parameters, got 12 (2 too many)'
    """

    def __init__(self, expected: int) -> None:
        """Validate and store the expected count.

        Introduced in: notebooks/00_data_and_tools.ipynb
        """
        if not _is_int(expected):
            raise TypeError(f"expected must be an int, not {_type_name(expected)}")
        if int(expected) < 0:
            raise ValueError(f"expected must be >= 0, not {int(expected)}")
        self.expected = int(expected)

    def _evaluate(self, value: object) -> tuple[Status, str]:
        count: int
        if as_number(value) is not None:
            whole = as_count(value)
            if whole is None:
                return "failed", f"a number of parameters is a whole number, got {_got(value)}"
            count = whole
        elif callable(getattr(value, "count_params", None)):
            try:
                raw = value.count_params()  # type: ignore[attr-defined]
            except ValueError as exc:
                return "failed", (
                    "build the model first: call it on an input or give input_shape "
                    "(e.g. start with keras.Input(shape=...)), then check again. "
                    f"Keras said: {_exc_text(exc)}"
                )
            except Exception as exc:
                return "error", f"count_params() on your model raised {_exc_text(exc)}"
            if not _is_int(raw):
                return "error", f"count_params() returned {_got(raw)}, not an int"
            count = int(raw)
        else:
            return "failed", f"expected an int or a Keras model/layer, got {_got(value)}"
        if count == self.expected:
            return "passed", f"{count:,} parameters."
        difference = count - self.expected
        side = "too many" if difference > 0 else "too few"
        return "failed", (
            f"expected {self.expected:,} parameters, got {count:,} ({abs(difference):,} {side})"
        )

    def describe(self) -> str:
        """What the check tests, without giving the count away.

        Introduced in: notebooks/00_data_and_tools.ipynb
        """
        return "checks the number of parameters (an int, or a built Keras model or layer)"


def _callable_name(fn: object) -> str:
    """The function's name if it is an identifier, else ``your_function``."""
    name = getattr(fn, "__name__", None)
    return name if isinstance(name, str) and name.isidentifier() else "your_function"


def _call_text(name: str, args: tuple[object, ...], number: int, total: int) -> str:
    """``f(3, 'a')`` for short arguments; ``f, test case 2 of 3`` when an argument is an array
    (or the call would be long), so that messages do not open with an array dump."""
    shown = ", ".join(_short_repr(arg, 40) for arg in args)
    if len(shown) <= 60 and not any(
        (isinstance(arg, np.ndarray) and arg.size > 1)
        or (isinstance(arg, (list, tuple)) and len(arg) > 4)
        for arg in args
    ):
        return f"{name}({shown})"
    return f"{name}, test case {number} of {total}"


def _perturbed(arg: object, rng: np.random.Generator) -> object:
    """``arg`` with each float multiplied by a random factor in [0.5, 1.5] (other values kept)."""
    if isinstance(arg, np.ndarray) and arg.dtype.kind == "f":
        return arg * rng.uniform(0.5, 1.5, size=arg.shape).astype(arg.dtype)
    if isinstance(arg, float):  # three significant digits, so that messages stay short
        return float(f"{arg * float(rng.uniform(0.5, 1.5)):.3g}")
    if isinstance(arg, (list, tuple)) and any(isinstance(v, (float, np.ndarray)) for v in arg):
        return type(arg)(_perturbed(v, rng) for v in arg)
    return arg


class CallableCheck(Check):
    """Check a learner's function on test cases.

    ``cases`` is a list of ``(args, expected)`` pairs, ``args`` a tuple of positional arguments.
    With ``reference=`` (a correct implementation), ``cases`` is a list of ``args`` tuples and the
    expected values come from calling ``reference`` (once, on the first check). Each call gets a
    deep copy of its arguments. Results are compared like :class:`EqualityCheck`. An exception in
    the learner's function is an ``"error"`` naming the exception and the input; a ``____``
    returned is ``"not attempted"``. A call whose arguments are short is shown as written
    (``f(3)``); one with arrays is named by its test case (``f, test case 2 of 3``), so that a
    message is not an array dump.

    ``names`` names the items of a tuple result (``("h_t", "c_t")``): a message then says which
    item differs. ``mistakes`` is a list of ``(function, message)`` pairs, implementations of
    usual mistakes: when the learner's results agree with one of them on every test case (within
    the same tolerance), its message is given instead of the first difference. ``diagnose`` names
    a mistake that no single function captures: on a wrong answer it is called as
    ``diagnose(result, args)`` for each test case in turn, and the first message it returns
    (a non-empty str) is given. ``passed`` replaces the message of a right answer. ``hidden``
    (with ``reference=``) draws the graded test cases, a list of argument tuples, from a NumPy
    generator seeded by the grader (see :meth:`for_grading`).

    Introduced in: notebooks/00_data_and_tools.ipynb

    >>> CallableCheck([((2,), 4), ((3,), 9)])(lambda x: x + 2).message
    'your_function(3): expected 9, got 5 (off by 4)'
    """

    def __init__(
        self,
        cases: list[Any],
        *,
        rtol: float = 0.0,
        atol: float = 0.0,
        reference: Callable[..., object] | None = None,
        names: Sequence[str] | None = None,
        mistakes: Sequence[tuple[Callable[..., object], str]] = (),
        diagnose: Callable[[Any, tuple[Any, ...]], str | None] | None = None,
        passed: str | None = None,
        hidden: Callable[[np.random.Generator], Sequence[tuple[Any, ...]]] | None = None,
    ) -> None:
        """Validate and store the cases.

        Introduced in: notebooks/00_data_and_tools.ipynb
        """
        if diagnose is not None and not callable(diagnose):
            raise TypeError(f"diagnose must be callable or None, not {_type_name(diagnose)}")
        if passed is not None and (not isinstance(passed, str) or not passed.strip()):
            raise TypeError(f"passed must be a non-empty str or None, not {_got(passed)}")
        if hidden is not None and (not callable(hidden) or reference is None):
            raise TypeError("hidden must be a function of a NumPy Generator, with reference=")
        self._hidden = hidden
        self._diagnose = diagnose
        self._passed = passed
        self._tol = _check_tolerance(rtol, atol)
        if names is not None and (
            isinstance(names, str) or not all(isinstance(n, str) and n for n in names)
        ):
            raise TypeError("names must be a list or tuple of non-empty str")
        self._names = None if names is None else tuple(names)
        for i, mistake in enumerate(mistakes):
            if not (
                isinstance(mistake, tuple)
                and len(mistake) == 2
                and callable(mistake[0])
                and isinstance(mistake[1], str)
                and mistake[1].strip()
            ):
                raise TypeError(f"mistake {i} must be a (function, message) pair")
        self._mistakes = tuple(mistakes)
        self._mistake_values: dict[int, tuple[object, ...]] = {}
        if reference is not None and not callable(reference):
            raise TypeError(f"reference must be callable, not {_type_name(reference)}")
        if not isinstance(cases, (list, tuple)):
            raise TypeError(f"cases must be a list, not {_type_name(cases)}")
        if not cases:
            raise ValueError("cases must not be empty")
        self._reference = reference
        self._args: tuple[tuple[object, ...], ...]
        self._expected: tuple[object, ...] | None
        if reference is not None:
            for i, args in enumerate(cases):
                if not isinstance(args, tuple):
                    raise TypeError(
                        f"with reference=, cases must be a list of argument tuples; case {i} is "
                        f"{_type_name(args)} (write a single argument as (x,))"
                    )
                _check_expected(args, f"case {i}")
            self._args = tuple(cases)
            self._expected = None
        else:
            args_list: list[tuple[object, ...]] = []
            expected_list: list[object] = []
            for i, case in enumerate(cases):
                if not (isinstance(case, (tuple, list)) and len(case) == 2):
                    raise TypeError(
                        f"cases must be a list of (args_tuple, expected) pairs; case {i} is "
                        f"{_type_name(case)}"
                    )
                args, expected = case
                if not isinstance(args, tuple):
                    raise TypeError(
                        f"case {i}: the arguments must be a tuple, not {_type_name(args)} "
                        "(write a single argument as (x,))"
                    )
                _check_expected(case, f"case {i}")
                args_list.append(args)
                expected_list.append(_from_tensor(expected))
            self._args = tuple(args_list)
            self._expected = tuple(expected_list)

    def for_grading(self, seed: int) -> Check:
        """The graded check: new test cases with a ``reference``, else the check itself.

        With a ``reference``, a copy whose test cases are drawn by ``hidden`` if given, else
        the visible ones with every float (in an array or alone; a float alone then rounded to
        three significant digits) multiplied by a random factor in [0.5, 1.5] drawn from
        ``seed``; in a shuffled order. Without one, the check itself: there is no way to know
        the expected values of new cases.

        Args:
            seed: The grader's seed for this run.

        Returns:
            The check to use for grading.

        Introduced in: notebooks/07_keras_exercises.ipynb
        """
        if self._reference is None:
            return self
        rng = np.random.default_rng([int(seed) % 2**63, 17])
        if self._hidden is not None:
            cases = [tuple(args) for args in self._hidden(rng)]
        else:
            cases = [tuple(_perturbed(arg, rng) for arg in args) for args in self._args]
        order = rng.permutation(len(cases))
        graded = copy.copy(self)
        graded._args = tuple(cases[i] for i in order)
        graded._expected = None
        graded._mistake_values = {}
        return graded

    def _expected_values(self) -> tuple[object, ...]:
        """Expected results, computed from the reference on first use."""
        if self._expected is None:
            assert self._reference is not None
            self._expected = tuple(
                _from_tensor(self._reference(*cast(tuple[object, ...], _safe_copy(args))))
                for args in self._args
            )
        return self._expected

    def _evaluate(self, value: object) -> tuple[Status, str]:
        if not callable(value):
            return "failed", f"expected a function, got {_got(value)}"
        try:
            expected_values = self._expected_values()
        except Exception as exc:
            return "error", (
                "the check could not evaluate your answer: the reference solution raised "
                f"{_exc_text(exc)} (a bug in the course: please report it)"
            )
        name = _callable_name(value)
        failures: list[str] = []
        results: list[object] = []
        total = len(self._args)
        for number, (args, expected) in enumerate(
            zip(self._args, expected_values, strict=True), start=1
        ):
            call = _call_text(name, args, number, total)
            try:
                got = value(*cast(tuple[object, ...], _safe_copy(args)))
            except Exception as exc:
                return "error", f"your code raised {_exc_text(exc)} when called as {call}"
            if is_placeholder(got):
                return "not attempted", (
                    f"your function still returns ____ (for {call}): replace ____ with your "
                    "code, run the cell, then run this check again."
                )
            results.append(got)
            problem = self._problem(expected, got)
            if problem is not None:
                if got is None and expected is not None:
                    problem += " (did you forget a return statement?)"
                failures.append(f"{call}: {problem}")
        if failures:
            for index, (_, message) in enumerate(self._mistakes):
                if self._matches_mistake(index, results):
                    return "failed", message
            if self._diagnose is not None:
                for args, got in zip(self._args, results, strict=True):
                    diagnosis = self._diagnose(got, args)
                    if diagnosis:
                        return "failed", diagnosis
            more = f" ({len(failures)} of {total} test cases fail)" if len(failures) > 1 else ""
            return "failed", failures[0] + more
        if self._passed is not None:
            return "passed", self._passed
        return "passed", f"All {_plural(len(self._args), 'test case')} give the expected result."

    def _problem(self, expected: object, got: object) -> str | None:
        """The first difference, naming the item of a tuple result when ``names`` are given."""
        names = self._names
        if (
            names is not None
            and isinstance(expected, (tuple, list))
            and isinstance(got, (tuple, list))
            and len(expected) == len(got) == len(names)
        ):
            for item_name, item_expected, item_got in zip(names, expected, got, strict=True):
                problem = _compare(item_expected, item_got, self._tol)
                if problem is not None:
                    return f"{item_name}: {problem}"
            return None
        problem = _compare(expected, got, self._tol)
        if problem is not None and names is not None and isinstance(expected, (tuple, list)):
            if not isinstance(got, (tuple, list)):
                return f"return the tuple ({', '.join(names)}); got {_got(got)}"
            return f"return the tuple ({', '.join(names)}); {problem}"
        return problem

    def _matches_mistake(self, index: int, results: list[object]) -> bool:
        """Whether the learner's results agree with mistake ``index`` on every test case."""
        if len(results) != len(self._args):
            return False
        try:
            if index not in self._mistake_values:
                fn = self._mistakes[index][0]
                with np.errstate(all="ignore"):
                    self._mistake_values[index] = tuple(
                        _from_tensor(fn(*cast(tuple[object, ...], _safe_copy(args))))
                        for args in self._args
                    )
            values = self._mistake_values[index]
            with np.errstate(all="ignore"):
                return all(
                    _compare(value, got, self._tol) is None
                    for value, got in zip(values, results, strict=True)
                )
        except Exception:
            return False

    def describe(self) -> str:
        """What the check tests, without giving the cases away.

        Introduced in: notebooks/00_data_and_tools.ipynb
        """
        return (
            f"calls your function on {_plural(len(self._args), 'test case')} and compares "
            f"the results ({self._tol.text()})"
        )


class PredicateCheck(Check):
    """A custom check: ``fn(value)`` returns ``(ok, message)``.

    Use it for what the other checks do not cover, e.g. "a Keras model whose output shape is
    (None, 10)". An exception inside ``fn`` (for instance when it calls the learner's model) is
    reported as ``"error"``: the check could not evaluate the answer, and why. An empty message
    is replaced by one built from ``description``.

    Introduced in: notebooks/00_data_and_tools.ipynb

    >>> PredicateCheck(lambda v: (v > 0, "must be positive"), description="a positive number")(-1)
    ✗ Your answer — not yet: must be positive
    """

    def __init__(self, fn: Callable[[Any], tuple[bool, str]], *, description: str) -> None:
        """Validate and store the predicate and its description.

        Introduced in: notebooks/00_data_and_tools.ipynb
        """
        if not callable(fn):
            raise TypeError(f"fn must be callable, not {_type_name(fn)}")
        if not isinstance(description, str) or not description.strip():
            raise ValueError("description must be a non-empty str saying what the check wants")
        self._fn = fn
        self.description = description.strip()

    def _evaluate(self, value: object) -> tuple[Status, str]:
        # NumPy's floating-point warnings (a NaN compared, an overflow in the learner's array) are
        # the check's business, not noise for the learner's notebook.
        try:
            with np.errstate(all="ignore"):
                outcome = self._fn(value)
        except Exception as exc:
            return "error", f"the check could not evaluate your answer: {_exc_text(exc)}"
        if not (isinstance(outcome, tuple) and len(outcome) == 2 and isinstance(outcome[1], str)):
            return "error", (
                "the check could not evaluate your answer: its function returned "
                f"{_got(outcome)} instead of (ok, message)"
            )
        ok_raw, message = outcome
        try:
            with np.errstate(all="ignore"):
                ok = bool(ok_raw)
        except Exception as exc:
            return "error", f"the check could not evaluate your answer: {_exc_text(exc)}"
        message = message.strip()
        if ok:
            return "passed", message or f"Your answer is {self.description}."
        return "failed", message or f"expected {self.description}"

    def describe(self) -> str:
        """The description given to the constructor.

        Introduced in: notebooks/00_data_and_tools.ipynb
        """
        return f"checks that your answer is {self.description}"
