"""Auto-checked exercises: the placeholder ``____``, answer checks and :class:`Exercise`.

An exercise in a notebook is four cells: a prompt (markdown), a stub the learner edits, a
solution (tagged ``solution``; removed from student notebooks) and a check::

    from course_utils.exercises import ____
    from course_utils.checks.ch00 import q1

    answer_q1 = ____          # the stub: running it unchanged is not an error
    q1.check()                # "not attempted" until ____ is replaced

``q1.hint()`` shows the next hint and ``q1.solution()`` the model answer.

A check never raises for a learner's answer: every outcome is a :class:`CheckResult` with one of
four statuses (``"passed"``, ``"failed"``, ``"not attempted"``, ``"error"``) and a message that
explains what was expected and what was found. Messages are deterministic (no memory addresses,
ids or timestamps), so executed notebooks can be compared with their reference outputs.

Every :meth:`Exercise.check` outcome is recorded in memory (see :func:`results`) and, when the
environment variable ``COURSE_UTILS_RESULTS`` names a file, appended to it as one JSON line: the
instructor's grader reads that file.

This module imports neither TensorFlow nor Keras: Keras models are recognised by duck typing
(a ``count_params`` method), tensors by their ``shape`` and their module's name.

Introduced in: notebooks/00_data_and_tools.ipynb
"""

from __future__ import annotations

import copy
import html
import json
import keyword
import math
import os
import re
import sys
import textwrap
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from numbers import Real
from typing import Any, Final, Literal, cast

import numpy as np

__all__ = [
    "RESULTS_ENV_VAR",
    "STATUSES",
    "CallableCheck",
    "Check",
    "CheckResult",
    "EqualityCheck",
    "Exercise",
    "Hint",
    "ParamCountCheck",
    "Placeholder",
    "PredicateCheck",
    "ShapeCheck",
    "ShapesCheck",
    "Solution",
    "Status",
    "____",
    "as_array",
    "as_count",
    "as_labels",
    "as_number",
    "as_shape",
    "is_placeholder",
    "reset_results",
    "results",
]

Status = Literal["passed", "failed", "not attempted", "error"]
"""The four outcomes of a check.

Introduced in: notebooks/00_data_and_tools.ipynb
"""

#: The four statuses, in the order a report lists them.
#:
#: Introduced in: notebooks/00_data_and_tools.ipynb
STATUSES: Final[tuple[Status, ...]] = ("passed", "failed", "not attempted", "error")

#: Name of the environment variable that, when set, names a file to which every
#: :meth:`Exercise.check` outcome is appended as one JSON line.
#:
#: Introduced in: notebooks/00_data_and_tools.ipynb
RESULTS_ENV_VAR: Final[str] = "COURSE_UTILS_RESULTS"

# Bounds that keep the inspection of a learner's value cheap whatever it is.
_MAX_DEPTH: Final[int] = 8  # nesting levels searched for a placeholder
_MAX_ITEMS: Final[int] = 100_000  # items searched for a placeholder
_REPR_LIMIT: Final[int] = 80  # characters of a value shown in a message
_LIST_LIMIT: Final[int] = 5  # items of a list (missing keys, ...) shown in a message
_TENSOR_MODULES: Final[frozenset[str]] = frozenset(
    {"tensorflow", "keras", "jax", "jaxlib", "torch"}
)
_ADDRESS: Final[re.Pattern[str]] = re.compile(r"\s+at 0x[0-9a-fA-F]+")

_NOT_ATTEMPTED: Final[str] = (
    "replace ____ with your answer in the exercise cell, run that cell, then run this check again."
)


# ---------------------------------------------------------------------------------------------
# The placeholder
# ---------------------------------------------------------------------------------------------


class Placeholder:
    """The type of ``____``, the blank a learner replaces with an answer.

    There is exactly one instance: ``Placeholder()`` returns ``____`` itself, and so do
    :func:`copy.copy`, :func:`copy.deepcopy` and a pickle round trip. The placeholder absorbs
    what a stub might do with it, so that a stub runs without error and is still recognised as
    "not attempted":

    - arithmetic (``4 * ____ + 1``), comparisons (``____ < 3``), calls (``____(3)``), indexing
      (``____[0]``) and public attribute access (``____.shape``) all return ``____``;
    - ``bool(____)`` is ``False`` and ``x in ____`` is ``False``;
    - NumPy operators defer to it (``np.ones(3) + ____`` is ``____``).

    Looping over it, unpacking it, ``len(____)``, ``int(____)``, ``float(____)`` and using it as an
    index raise :class:`TypeError` with a message saying what to do: write stubs such as
    ``a, b = ____, ____`` rather than ``a, b = ____``.

    Introduced in: notebooks/00_data_and_tools.ipynb
    """

    __slots__ = ()
    _instance: Placeholder | None = None
    __array_ufunc__ = None  # NumPy operators return NotImplemented, so ours are used

    def __new__(cls) -> Placeholder:
        """Return the one placeholder.

        Introduced in: notebooks/00_data_and_tools.ipynb
        """
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        """Say what the placeholder is for.

        Introduced in: notebooks/00_data_and_tools.ipynb
        """
        return "____ (replace me with your answer)"

    def __str__(self) -> str:
        """Render as the blank itself, so that it reads naturally inside f-strings.

        Introduced in: notebooks/00_data_and_tools.ipynb
        """
        return "____"

    def __format__(self, format_spec: str) -> str:
        """Render as ``____`` whatever the format specification.

        Introduced in: notebooks/00_data_and_tools.ipynb
        """
        return "____"

    def __bool__(self) -> bool:
        """The placeholder is false, so ``if ____:`` in a stub takes the ``else`` branch.

        Introduced in: notebooks/00_data_and_tools.ipynb
        """
        return False

    def __hash__(self) -> int:
        """A fixed hash (the placeholder is a singleton), so it can sit in sets and dict keys.

        Introduced in: notebooks/00_data_and_tools.ipynb
        """
        return 0x5F5F5F5F

    def _absorb(self, *args: object, **kwargs: object) -> Placeholder:
        """Return the placeholder itself, whatever the operation and its operands."""
        return self

    # Comparisons: ``____ == x`` is the (false) placeholder, not True or False.
    __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = _absorb  # type: ignore[assignment]
    # Arithmetic, both sides, and the unary operators.
    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = _absorb
    __truediv__ = __rtruediv__ = __floordiv__ = __rfloordiv__ = __mod__ = __rmod__ = _absorb
    __pow__ = __rpow__ = __matmul__ = __rmatmul__ = __divmod__ = __rdivmod__ = _absorb
    __and__ = __rand__ = __or__ = __ror__ = __xor__ = __rxor__ = _absorb
    __lshift__ = __rlshift__ = __rshift__ = __rrshift__ = _absorb
    __neg__ = __pos__ = __abs__ = __invert__ = _absorb
    __round__ = __floor__ = __ceil__ = __trunc__ = _absorb
    # Calls and indexing.
    __call__ = __getitem__ = _absorb

    def __contains__(self, item: object) -> bool:
        """``x in ____`` is False.

        Introduced in: notebooks/00_data_and_tools.ipynb
        """
        return False

    def __getattr__(self, name: str) -> Placeholder:
        """Public attributes (``____.shape``) are the placeholder; private ones do not exist.

        Names starting with an underscore raise :class:`AttributeError`, so that protocols
        probed by Python, NumPy and IPython (``__array__``, ``_repr_html_``, ...) are absent.

        Introduced in: notebooks/00_data_and_tools.ipynb
        """
        if name.startswith("_"):
            raise AttributeError(name)
        return self

    def _refuse(self, *args: object) -> Any:
        """Raise a TypeError that tells the learner to replace the placeholder first."""
        raise TypeError(
            "____ is a placeholder: replace it with your answer before looping over it, "
            "unpacking it, taking its length or converting it to a number"
        )

    __iter__ = __len__ = __int__ = __float__ = __complex__ = __index__ = _refuse

    def __copy__(self) -> Placeholder:
        """Copying gives the placeholder itself.

        Introduced in: notebooks/00_data_and_tools.ipynb
        """
        return self

    def __deepcopy__(self, memo: dict[int, object]) -> Placeholder:
        """Deep copying gives the placeholder itself.

        Introduced in: notebooks/00_data_and_tools.ipynb
        """
        return self

    def __reduce__(self) -> str:
        """Pickle by reference to the module-level name ``____``.

        Introduced in: notebooks/00_data_and_tools.ipynb
        """
        return "____"


#: The placeholder a learner replaces with an answer (see :class:`Placeholder`).
#:
#: Introduced in: notebooks/00_data_and_tools.ipynb
____: Final[Placeholder] = Placeholder()


def is_placeholder(value: object) -> bool:
    """Tell whether ``value`` is ``____`` or a container that still holds it.

    Lists, tuples, sets, frozensets, mappings (keys and values) and NumPy object arrays are
    searched recursively, up to 8 levels deep and 100,000 items in all. Never raises: a value
    that cannot be inspected counts as not a placeholder.

    Introduced in: notebooks/00_data_and_tools.ipynb

    >>> is_placeholder(____), is_placeholder([1, (2, ____)]), is_placeholder({"a": 1})
    (True, True, False)
    """
    try:
        return _holds_placeholder(value, _MAX_DEPTH, [_MAX_ITEMS])
    except Exception:
        return False


def _holds_placeholder(value: object, depth: int, budget: list[int]) -> bool:
    """Search ``value`` for the placeholder; ``budget[0]`` counts the items still allowed."""
    if value is ____:
        return True
    if depth <= 0 or budget[0] <= 0:
        return False
    items: Iterable[object]
    if isinstance(value, (str, bytes, bytearray)):
        return False
    if isinstance(value, np.ndarray):
        if value.dtype != object:
            return False
        items = value.flat
    elif isinstance(value, Mapping):
        items = (part for pair in value.items() for part in pair)
    elif isinstance(value, (list, tuple, set, frozenset)):
        items = value
    else:
        return False
    for item in items:
        budget[0] -= 1
        if budget[0] < 0:
            return False
        if _holds_placeholder(item, depth - 1, budget):
            return True
    return False


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


_RESULTS: list[dict[str, Any]] = []


def results() -> list[dict[str, Any]]:
    """Return a copy of every :meth:`Exercise.check` outcome so far in this session.

    Each entry is a dict with the keys ``question``, ``status``, ``message`` and ``points``.

    Introduced in: notebooks/00_data_and_tools.ipynb
    """
    return [dict(entry) for entry in _RESULTS]


def reset_results() -> None:
    """Forget the outcomes recorded in memory (the results file, if any, is left alone).

    Introduced in: notebooks/00_data_and_tools.ipynb
    """
    _RESULTS.clear()


def _record(result: CheckResult, points: float) -> None:
    """Append an outcome to the in-memory record and, if configured, to the results file."""
    entry: dict[str, Any] = {
        "question": result.question,
        "status": result.status,
        "message": result.message,
        "points": points,
    }
    _RESULTS.append(entry)
    path = os.environ.get(RESULTS_ENV_VAR)
    if not path:
        return
    try:
        with open(path, "a", encoding="utf-8", errors="backslashreplace") as stream:
            stream.write(json.dumps(entry, ensure_ascii=False) + "\n")
            stream.flush()
    except (OSError, ValueError):
        # Recording must never break a learner's notebook; the grader notices missing lines.
        pass


# ---------------------------------------------------------------------------------------------
# Describing values safely
# ---------------------------------------------------------------------------------------------


def _type_name(value: object) -> str:
    """The name of ``value``'s type (``"NumPy array"`` for arrays)."""
    try:
        kind = type(value)  # not isinstance: a hostile __class__ property could raise
        if issubclass(kind, np.ndarray):
            return "NumPy array"
        name = kind.__name__
        return name if isinstance(name, str) else "object"
    except Exception:
        return "object"


def _article(name: str) -> str:
    """``"an int"``, ``"a float"``, ``"bytes"``."""
    if name in {"bytes", "bytearray"}:
        return name
    return f"an {name}" if name[:1].lower() in "aeiou" else f"a {name}"


def _short_repr(value: object, limit: int = _REPR_LIMIT) -> str:
    """A one-line, deterministic, truncated repr that never raises."""
    try:
        if value is ____:
            return "____"
        if isinstance(value, np.generic):
            text = str(value) if isinstance(value, (np.number, np.bool_)) else repr(value.item())
        elif isinstance(value, np.ndarray):
            body = np.array2string(
                value, threshold=12, edgeitems=2, precision=6, separator=", ", max_line_width=10**6
            )
            text = f"array({body})"
        else:
            text = repr(value)
        if type(text) is not str:
            raise TypeError("repr did not return a str")
    except Exception:
        text = f"<{_type_name(value)} that cannot be displayed>"
    text = " ".join(_ADDRESS.sub("", text).split())
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return text


def _got(value: object) -> str:
    """How a learner's value is named in a message: ``str '3.0'``, ``None``, ``a NumPy array``."""
    try:
        if value is None:
            return "None"
        if isinstance(value, np.ndarray):
            return f"a NumPy array of shape {_shape_text(value.shape)} and dtype {value.dtype}"
    except Exception:
        pass
    return f"{_type_name(value)} {_short_repr(value)}"


def _shape_text(shape: Iterable[object]) -> str:
    """``(None, 10)``, ``(3,)``, with plain ints."""
    parts = [str(dim) if dim is None else str(int(cast(int, dim))) for dim in shape]
    return "(" + ", ".join(parts) + ("," if len(parts) == 1 else "") + ")"


def _exc_text(exc: BaseException) -> str:
    """``ValueError: message`` for an exception, never raising and without memory addresses."""
    name = _type_name(exc)
    try:
        detail = str(exc)
        if type(detail) is not str:
            detail = ""
    except Exception:
        detail = ""
    detail = " ".join(_ADDRESS.sub("", detail).split())
    if len(detail) > 300:
        detail = detail[:299] + "…"
    return f"{name}: {detail}" if detail else name


def _items_text(items: list[object]) -> str:
    """A few items, then how many more."""
    shown = ", ".join(_short_repr(item, 40) for item in items[:_LIST_LIMIT])
    rest = len(items) - _LIST_LIMIT
    return f"{shown} and {rest} more" if rest > 0 else shown


def _plural(count: int, word: str) -> str:
    """``1 item``, ``3 items``."""
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _axes(count: int) -> str:
    """``1 axis``, ``3 axes``."""
    return "1 axis" if count == 1 else f"{count} axes"


# ---------------------------------------------------------------------------------------------
# The one comparison routine every check uses
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Tolerance:
    """How strictly :func:`_compare` compares."""

    rtol: float = 0.0
    atol: float = 0.0
    ordered: bool = True

    @property
    def exact(self) -> bool:
        """No tolerance on numbers."""
        return self.rtol == 0.0 and self.atol == 0.0

    def text(self) -> str:
        """``exactly`` or ``within rtol=..., atol=...``."""
        if self.exact:
            return "exactly"
        return f"within rtol={self.rtol:g}, atol={self.atol:g}"

    def note(self) -> str:
        """Nothing when exact, else `` (tolerance: rtol=..., atol=...)``."""
        return "" if self.exact else f" (tolerance: rtol={self.rtol:g}, atol={self.atol:g})"


def _is_int(value: object) -> bool:
    """An int or NumPy integer, not a bool."""
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


def _is_number(value: object) -> bool:
    """An int, a float, a Fraction or a NumPy integer or float; bools are not numbers here."""
    return isinstance(value, (int, float, Fraction, np.integer, np.floating)) and not isinstance(
        value, bool
    )


def _number_text(value: object) -> str:
    """A number as the learner would write it (``3``, ``0.5``, ``nan``)."""
    if isinstance(value, (np.integer, np.floating)):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _distinct_texts(expected: object, got: object) -> tuple[str, str]:
    """Two numbers as text, with enough digits to see that they differ.

    A float32 and a float64 that differ in the eighth digit print alike at NumPy's default
    precision ("expected -0.159906, got -0.159906"); then both are shown with 10 significant
    digits.
    """
    shown = _number_text(expected), _number_text(got)
    if shown[0] != shown[1]:
        return shown
    try:
        return f"{float(cast(float, expected)):.10g}", f"{float(cast(float, got)):.10g}"
    except (TypeError, ValueError, OverflowError):
        return shown


def _from_tensor(value: object) -> object:
    """Turn a TensorFlow/Keras/JAX/PyTorch tensor into a NumPy array, a TensorFlow TensorShape
    into a tuple (``None`` for an unknown size); other values pass through."""
    module = getattr(type(value), "__module__", "")
    if not isinstance(module, str) or module.partition(".")[0] not in _TENSOR_MODULES:
        return value
    as_list = getattr(value, "as_list", None)
    if callable(as_list) and type(value).__name__ == "TensorShape":
        try:
            return tuple(as_list())
        except Exception:  # an unknown rank: leave it to the comparison to explain
            return value
    if callable(value) or not hasattr(value, "shape"):
        return value
    try:
        return np.asarray(value)
    except Exception:
        return value


# ---------------------------------------------------------------------------------------------
# The coercion policy: what every check accepts as a number, a count, a shape, an array, labels
# ---------------------------------------------------------------------------------------------


def as_number(value: object) -> int | float | Fraction | None:
    """A learner's number as a plain Python number, or ``None`` when it is not a number.

    This is the course's one rule for numbers, used by every check: an ``int``, a ``float``, a
    :class:`~fractions.Fraction`, a NumPy integer or floating-point scalar, and a 0-d NumPy
    array or tensor (TensorFlow, Keras, JAX, PyTorch) of an integer or float dtype are numbers.
    A ``bool`` is not a number (``True`` is not an answer of 1), nor are strings, complex
    numbers and arrays with more than one value.

    Args:
        value: The learner's value (anything; never raises).

    Returns:
        An ``int`` for an integer kind, a ``float`` for a floating-point kind, the ``Fraction``
        itself for a fraction, or ``None``.

    Raises:
        Nothing: a value that cannot be inspected gives ``None``.

    Example:
        >>> as_number(np.float32(0.5)), as_number(np.array(3)), as_number(True)
        (0.5, 3, None)

    Introduced in: notebooks/00_data_and_tools.ipynb
    """
    try:
        value = _from_tensor(value)
        if isinstance(value, np.ndarray):
            if value.ndim != 0 or value.dtype.kind not in "iuf":
                return None
            value = value[()]
        if isinstance(value, (bool, np.bool_)):
            return None
        if isinstance(value, (int, np.integer)):
            return int(value)
        if isinstance(value, (float, np.floating)):
            return float(value)
        if isinstance(value, Fraction):
            return value
    except Exception:
        return None
    return None


def as_count(value: object) -> int | None:
    """A whole number (a count, a size, an index) as an ``int``, or ``None``.

    Anything :func:`as_number` accepts counts when its value is whole: ``11008``, ``11008.0``,
    ``np.int64(11008)``, ``Fraction(22016, 2)`` and a 0-d array or tensor holding 11008 all give
    ``11008``. A fractional or non-finite number, a ``bool`` and a non-number give ``None``.

    Args:
        value: The learner's value (anything; never raises).

    Returns:
        The count as an ``int``, or ``None``.

    Raises:
        Nothing.

    Example:
        >>> as_count(6.0), as_count(6.5), as_count(False)
        (6, None, None)

    Introduced in: notebooks/00_data_and_tools.ipynb
    """
    number = as_number(value)
    if number is None:
        return None
    if isinstance(number, float) and not (math.isfinite(number) and number.is_integer()):
        return None
    if isinstance(number, Fraction) and number.denominator != 1:
        return None
    return int(number)


def as_shape(value: object) -> tuple[int | None, ...] | None:
    """A shape a learner wrote, as a tuple of ``int`` and ``None``, or ``None`` if it is none.

    Accepted: a tuple or list of sizes (each a count as :func:`as_count` reads it, or ``None``
    for a size left open, such as the batch axis), a TensorFlow ``TensorShape``, a 1-D array or
    tensor of sizes (``np.array(x.shape)``, ``tf.shape(x)``), and an array or tensor of two or
    more axes, which stands for its own shape (``x`` for ``x.shape``; no exercise asks for the
    shape of a 1-D tensor). Negative and fractional sizes are refused.
    Whether ``None`` is right in a given place is the check's business, not this function's.

    Args:
        value: The learner's value (anything; never raises).

    Returns:
        The shape, or ``None`` when ``value`` is not a shape.

    Raises:
        Nothing.

    Example:
        >>> as_shape([8, np.int64(16)]), as_shape(np.zeros((2, 3))), as_shape((None, 4.0))
        ((8, 16), (2, 3), (None, 4))

    Introduced in: notebooks/00_data_and_tools.ipynb
    """
    try:
        if _is_tensor_shape(value):
            try:
                value = tuple(value.as_list())  # type: ignore[attr-defined]
            except ValueError:  # a TensorShape of unknown rank
                return None
        value = _from_tensor(value)
        if isinstance(value, np.ndarray):
            if value.ndim == 0:
                return None
            if value.ndim == 1:
                value = value.tolist()  # the sizes written as an array
            else:  # the tensor itself stands for its shape
                return tuple(int(size) for size in value.shape)
        elif not isinstance(value, (tuple, list)):
            shape = getattr(value, "shape", None)  # a symbolic tensor, for instance
            if shape is None or isinstance(value, (str, bytes)) or callable(value):
                return None
            value = tuple(shape.as_list()) if _is_tensor_shape(shape) else tuple(shape)
        sizes: list[int | None] = []
        for size in value:
            if size is None:
                sizes.append(None)
                continue
            count = as_count(size)
            if count is None or count < 0:
                return None
            sizes.append(count)
        return tuple(sizes)
    except Exception:
        return None


def as_array(value: object) -> np.ndarray | None:
    """A learner's array as a NumPy array, or ``None`` when it is not array-like.

    Accepted: a NumPy array, a list or tuple (of numbers, or nested), a tensor (TensorFlow,
    Keras, JAX, PyTorch) and a number (a 0-d array). The dtype is kept: comparing an int array
    with an expected float array is the check's business (every check accepts it when the values
    agree). Strings, dicts, sets, ``None`` and functions are not arrays.

    Args:
        value: The learner's value (anything; never raises).

    Returns:
        The array, or ``None``.

    Raises:
        Nothing.

    Example:
        >>> as_array([[1, 2], [3, 4]]).shape, as_array("12")
        ((2, 2), None)

    Introduced in: notebooks/00_data_and_tools.ipynb
    """
    try:
        return _as_array(_from_tensor(value))
    except Exception:
        return None


def as_labels(value: object) -> set[str] | None:
    """A learner's choice of labels (multiple choice) as a set of lower-case strings, or ``None``.

    Accepted: a set, frozenset, list or tuple of strings (or a 1-D array of strings); surrounding
    spaces and upper case are ignored, and a label listed twice counts once. A single string
    (``"ac"``) is refused: it could mean one label or several.

    Args:
        value: The learner's value (anything; never raises).

    Returns:
        The set of labels, or ``None`` when ``value`` is not a collection of strings.

    Raises:
        Nothing.

    Example:
        >>> sorted(as_labels(["A", "c "])), as_labels("ac")
        (['a', 'c'], None)

    Introduced in: notebooks/00_data_and_tools.ipynb
    """
    try:
        if isinstance(value, np.ndarray) and value.ndim == 1 and value.dtype.kind in "US":
            value = value.tolist()
        if not isinstance(value, (set, frozenset, list, tuple)):
            return None
        if not all(isinstance(item, str) for item in value):
            return None
        return {item.strip().lower() for item in value}
    except Exception:
        return None


def _numbers_equal(expected: object, got: object, tol: _Tolerance) -> bool:
    """Compare two numbers; NaN equals only NaN, infinities only themselves."""
    if _is_int(expected) and _is_int(got) and tol.exact:
        return int(cast(int, expected)) == int(cast(int, got))
    try:
        e, g = float(cast(float, expected)), float(cast(float, got))
    except OverflowError:
        return False
    if math.isnan(e) or math.isnan(g):
        return math.isnan(e) and math.isnan(g)
    if math.isinf(e) or math.isinf(g):
        return e == g
    return abs(g - e) <= tol.atol + tol.rtol * abs(e)


def _expected_kind(expected: object) -> str:
    """How the expected type is named in a message: ``a float``, ``a list of 3 items``."""
    if expected is None:
        return "None"
    if isinstance(expected, (bool, np.bool_)):
        return "a bool (True or False)"
    if _is_int(expected):
        return "an int"
    if isinstance(expected, (float, np.floating)):
        return "a float"
    if isinstance(expected, np.ndarray):
        return f"an array of shape {_shape_text(expected.shape)}"
    if isinstance(expected, (list, tuple)):
        return f"{_article(type(expected).__name__)} of {_plural(len(expected), 'item')}"
    return _article(_type_name(expected))


def _type_mismatch(expected: object, got: object, where: str) -> str:
    """``expected a float, got str '3.0'``."""
    return f"{where}expected {_expected_kind(expected)}, got {_got(got)}"


def _compare(expected: object, got: object, tol: _Tolerance, path: str = "") -> str | None:
    """Compare a learner's value with the expected one.

    Returns ``None`` when they agree, otherwise a message that explains the first difference
    (prefixed with where it is, e.g. ``at [2]['a']:``, for nested values). May raise if the
    learner's value misbehaves (its ``__eq__`` raises, ...): callers report that as an error.
    """
    where = f"at {path}: " if path else ""
    got = _from_tensor(got)
    if got is ____:
        return f"{where}this part is still ____"
    if isinstance(expected, (bool, np.bool_)):
        if not isinstance(got, (bool, np.bool_)):
            return _type_mismatch(expected, got, where)
        if bool(got) == bool(expected):
            return None
        return f"{where}expected {bool(expected)}, got {bool(got)}"
    if _is_number(expected):
        return _compare_numbers(expected, got, tol, where)
    if expected is None:
        return None if got is None else f"{where}expected None, got {_got(got)}"
    if isinstance(expected, str):
        return _compare_strings(expected, got, where)
    if isinstance(expected, np.ndarray):
        return _compare_arrays(expected, got, tol, path)
    if isinstance(expected, (list, tuple)):
        return _compare_sequences(expected, got, tol, path)
    if isinstance(expected, Mapping):
        return _compare_mappings(expected, got, tol, path)
    if isinstance(expected, (set, frozenset)):
        return _compare_sets(expected, got, where)
    if not isinstance(got, type(expected)):
        return _type_mismatch(expected, got, where)
    if bool(expected == got):
        return None
    return f"{where}expected {_short_repr(expected)}, got {_short_repr(got)}"


def _compare_numbers(expected: object, got: object, tol: _Tolerance, where: str) -> str | None:
    """Numbers: anything :func:`as_number` accepts compares by value."""
    number = as_number(got)
    if number is None:
        return _type_mismatch(expected, got, where)
    got = number
    if _numbers_equal(expected, got, tol):
        return None
    shown_expected, shown_got = _distinct_texts(expected, got)
    message = f"{where}expected {shown_expected}, got {shown_got}"
    try:
        difference = abs(float(cast(float, got)) - float(cast(float, expected)))
    except OverflowError:
        difference = math.inf
    if math.isfinite(difference):
        message += f" (off by {difference:.3g})"
    return message + tol.note()


def _compare_strings(expected: str, got: object, where: str) -> str | None:
    """Strings: exact, with a hint when only case or spacing differ."""
    if not isinstance(got, str):
        return _type_mismatch(expected, got, where)
    if str.__eq__(got, expected) is True:
        return None
    shown = f"{where}expected {_short_repr(expected)}, got {_short_repr(got)}"
    if " ".join(got.split()).casefold() == " ".join(expected.split()).casefold():
        return f"{shown}: almost! They differ only in upper/lower case or spaces"
    first = next(
        (i for i, (a, b) in enumerate(zip(expected, got, strict=False)) if a != b),
        min(len(expected), len(got)),
    )
    return f"{shown} (they first differ at character {first})"


def _as_array(got: object) -> np.ndarray | None:
    """A learner's value as an array, or None when it is not array-like."""
    if isinstance(got, np.ndarray):
        return got
    if isinstance(got, (list, tuple, int, float, np.generic)) and not isinstance(got, bool):
        return np.asarray(got)
    if hasattr(type(got), "__array__"):
        return np.asarray(got)
    return None


def _compare_arrays(expected: np.ndarray, got: object, tol: _Tolerance, path: str) -> str | None:
    """Arrays: shape first, then values (element-wise, with tolerance for numbers)."""
    where = f"at {path}: " if path else ""
    try:
        array = _as_array(got)
    except Exception as exc:
        return f"{where}expected {_expected_kind(expected)}, got {_got(got)} ({_exc_text(exc)})"
    if array is None:
        return _type_mismatch(expected, got, where)
    if array.shape != expected.shape:
        return (
            f"{where}expected an array of shape {_shape_text(expected.shape)}, "
            f"got shape {_shape_text(array.shape)}"
        )
    if expected.dtype.kind not in "biufc":
        return _compare(expected.tolist(), array.tolist(), tol, path)
    if array.dtype.kind == "O":
        try:
            array = array.astype(np.float64)
        except (TypeError, ValueError):
            pass
    if array.dtype.kind not in "biufc":
        return f"{where}expected numbers, got an array of dtype {array.dtype}"
    with np.errstate(all="ignore"):
        if expected.dtype.kind == "b" or array.dtype.kind == "b":
            bad = np.asarray(array != expected, dtype=bool)
        else:
            bad = ~np.isclose(array, expected, rtol=tol.rtol, atol=tol.atol, equal_nan=True)
        if not bad.any():
            return None
        first = tuple(int(i) for i in np.argwhere(bad)[0])
        wide = np.complex128 if "c" in (array.dtype.kind, expected.dtype.kind) else np.float64
        difference = np.abs(array.astype(wide) - expected.astype(wide))[bad]
        finite = difference[np.isfinite(difference)]
    index = first if len(first) != 1 else first[0]
    shown_expected, shown_got = _distinct_texts(expected[first], array[first])
    message = (
        f"{where}{int(bad.sum())} of {expected.size} values differ; "
        f"first at index {index}: expected {shown_expected}, got {shown_got}"
    )
    if finite.size:
        message += f"; largest absolute difference {float(finite.max()):.3g}"
    return message + tol.note()


def _compare_sequences(
    expected: list[object] | tuple[object, ...], got: object, tol: _Tolerance, path: str
) -> str | None:
    """Lists and tuples (either is accepted for the other); arrays are turned into lists."""
    where = f"at {path}: " if path else ""
    if isinstance(got, np.ndarray):
        got = got.tolist()
    if not isinstance(got, (list, tuple)):
        return _type_mismatch(expected, got, where)
    if not tol.ordered:
        return _compare_unordered(list(expected), list(got), tol, where)
    problems = [
        problem
        for i, (e, g) in enumerate(zip(expected, got, strict=False))
        if (problem := _compare(e, g, tol, f"{path}[{i}]")) is not None
    ]
    if len(expected) != len(got):
        message = f"{where}expected {_plural(len(expected), 'item')}, got {len(got)}"
        if problems:
            return f"{message}; first difference {problems[0]}"
        if len(got) > len(expected):
            extra = list(got[len(expected) :])
            start = len(expected)
            return f"{message}; the extra items start at index {start}: {_items_text(extra)}"
        missing = list(expected[len(got) :])
        return f"{message}; missing from index {len(got)} on: {_items_text(missing)}"
    if not problems:
        return None
    if len(problems) == 1:
        return problems[0]
    return f"{problems[0]} ({len(problems)} of {len(expected)} items differ)"


def _compare_unordered(
    expected: list[object], got: list[object], tol: _Tolerance, where: str
) -> str | None:
    """Lists compared as multisets (order does not matter)."""
    if len(got) > 10 * len(expected) + 100:
        return f"{where}expected {_plural(len(expected), 'item')}, got {len(got)}"
    remaining = list(got)
    missing: list[object] = []
    for item in expected:
        for j, candidate in enumerate(remaining):
            if _compare(item, candidate, tol) is None:
                del remaining[j]
                break
        else:
            missing.append(item)
    if not missing and not remaining:
        return None
    parts = []
    if len(expected) != len(got):
        parts.append(f"expected {_plural(len(expected), 'item')}, got {len(got)}")
    if missing:
        parts.append(f"missing: {_items_text(missing)}")
    if remaining:
        parts.append(f"not expected: {_items_text(remaining)}")
    return f"{where}{'; '.join(parts)} (order does not matter)"


def _compare_mappings(
    expected: Mapping[object, object], got: object, tol: _Tolerance, path: str
) -> str | None:
    """Dicts: missing keys, extra keys, then keys whose values differ."""
    where = f"at {path}: " if path else ""
    if not isinstance(got, Mapping):
        return _type_mismatch(expected, got, where)
    missing = [key for key in expected if key not in got]
    extra = [key for key in got if key not in expected]
    different = [
        problem
        for key in expected
        if key in got
        and (problem := _compare(expected[key], got[key], tol, f"{path}[{_short_repr(key, 40)}]"))
        is not None
    ]
    parts = []
    if missing:
        parts.append(f"missing {_plural(len(missing), 'key')}: {_items_text(missing)}")
    if extra:
        parts.append(f"unexpected {_plural(len(extra), 'key')}: {_items_text(extra)}")
    if different:
        count = f" ({len(different)} keys differ)" if len(different) > 1 else ""
        parts.append(f"{different[0]}{count}")
    if not parts:
        return None
    return where + "; ".join(parts)


def _compare_sets(expected: set[object] | frozenset[object], got: object, where: str) -> str | None:
    """Sets: which elements are missing and which are not expected."""
    if not isinstance(got, (set, frozenset)):
        message = _type_mismatch(expected, got, where)
        if isinstance(got, (list, tuple)):
            message += " (turn it into a set with set(...))"
        return message
    missing = [item for item in expected if item not in got]
    extra = [item for item in got if item not in expected]
    if not missing and not extra:
        return None
    parts = []
    if missing:
        parts.append(f"missing: {_items_text(_sorted_if_possible(missing))}")
    if extra:
        parts.append(f"not expected: {_items_text(_sorted_if_possible(extra))}")
    return where + "; ".join(parts)


def _sorted_if_possible(items: list[object]) -> list[object]:
    """Sort for a deterministic message when the items allow it, else sort by repr."""
    try:
        return sorted(items)  # type: ignore[type-var]
    except Exception:
        return sorted(items, key=_short_repr)


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


def _is_tensor_shape(value: object) -> bool:
    """A TensorFlow ``TensorShape`` (recognised by its ``as_list`` method, without importing TF)."""
    return type(value).__name__ == "TensorShape" and callable(getattr(value, "as_list", None))


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
    the same tolerance), its message is given instead of the first difference.

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
    ) -> None:
        """Validate and store the cases.

        Introduced in: notebooks/00_data_and_tools.ipynb
        """
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
            more = f" ({len(failures)} of {total} test cases fail)" if len(failures) > 1 else ""
            return "failed", failures[0] + more
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


# ---------------------------------------------------------------------------------------------
# Hints, solutions and exercises
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, repr=False)
class Hint:
    """A hint as shown to the learner, labelled ``Hint 2/3``.

    ``number`` is 0 when the exercise has no hints. ``note`` says when there are no more hints.

    Introduced in: notebooks/00_data_and_tools.ipynb
    """

    question: str
    number: int
    total: int
    text: str
    note: str = ""

    def _heading(self) -> str:
        if self.total == 0:
            return f"{_HINT_ICON} {self.question} —"
        return f"{_HINT_ICON} {self.question} — Hint {self.number}/{self.total}:"

    def __repr__(self) -> str:
        """``ℹ Exercise 0.1 — Hint 2/3: text`` (and the note on its own line).

        Introduced in: notebooks/00_data_and_tools.ipynb
        """
        note = f"\n({self.note})" if self.note else ""
        return f"{self._heading()} {self.text}{note}"

    __str__ = __repr__

    def _repr_html_(self) -> str:
        """A small box; text in backticks shows as code.

        Introduced in: notebooks/00_data_and_tools.ipynb
        """
        note = f"\n({self.note})" if self.note else ""
        return _box(_HINT_COLOUR, self._heading(), self.text + note)


@dataclass(frozen=True, repr=False)
class Solution:
    """A model answer: code (shown as a fenced Python block) or prose (a written exercise).

    Introduced in: notebooks/00_data_and_tools.ipynb
    """

    question: str
    text: str
    is_code: bool = True

    def __repr__(self) -> str:
        """``Solution to Exercise 0.1:`` then the text.

        Introduced in: notebooks/00_data_and_tools.ipynb
        """
        return f"Solution to {self.question}:\n{self.text}"

    __str__ = __repr__

    def _repr_markdown_(self) -> str:
        """Markdown: a heading and a fenced ``python`` block (or the prose of a written answer).

        Introduced in: notebooks/00_data_and_tools.ipynb
        """
        if not self.is_code:
            return f"**Solution to {self.question}**\n\n{self.text}\n"
        longest = max((len(run) for run in re.findall(r"`+", self.text)), default=0)
        fence = "`" * max(3, longest + 1)
        return f"**Solution to {self.question}**\n\n{fence}python\n{self.text}\n{fence}\n"


class _Missing:
    """Sentinel type for "no value given" (``None`` is a possible answer)."""

    def __repr__(self) -> str:
        return "<missing>"


_MISSING: Final[Any] = _Missing()


class Exercise:
    """One auto-checked exercise of a notebook.

    ``label`` is shown in every message (``"Exercise 0.1"``); ``var`` is the name of the
    learner's variable (or function) in the notebook; ``check`` is a :class:`Check`; ``hints``
    are shown one at a time by :meth:`hint`; ``solution`` is the model answer shown by
    :meth:`solution` (code, or prose for a written exercise); ``points`` is recorded with each
    outcome for the grader.

    A written exercise (``thought=True``) needs a ``solution`` and takes neither ``var`` nor
    ``check``: its :meth:`check` always says "not attempted" with a message pointing to the model
    answer (there is no fifth status).

    Introduced in: notebooks/00_data_and_tools.ipynb
    """

    def __init__(
        self,
        label: str,
        *,
        var: str | None = None,
        check: Check | None = None,
        hints: Sequence[str] = (),
        solution: str | None = None,
        points: float = 1,
        thought: bool = False,
    ) -> None:
        """Validate and store the exercise's parts.

        Introduced in: notebooks/00_data_and_tools.ipynb
        """
        if not isinstance(label, str) or not label.strip():
            raise ValueError("label must be a non-empty str such as 'Exercise 0.1'")
        if not isinstance(thought, bool):
            raise TypeError(f"thought must be True or False, not {_type_name(thought)}")
        if var is not None and not (
            isinstance(var, str) and var.isidentifier() and not keyword.iskeyword(var)
        ):
            raise ValueError(f"var must be a valid Python variable name, not {var!r}")
        if check is not None and not isinstance(check, Check):
            raise TypeError(
                f"check must be a Check (EqualityCheck, ShapeCheck, ...), not {_type_name(check)}"
            )
        if thought:
            if check is not None:
                raise ValueError("a written exercise (thought=True) takes no check")
            if solution is None:
                raise ValueError("a written exercise (thought=True) needs a model solution")
        else:
            if var is None:
                raise ValueError("var is required: the name of the learner's variable")
            if check is None:
                raise ValueError("check is required (or pass thought=True for a written exercise)")
        if isinstance(hints, str) or not isinstance(hints, (list, tuple)):
            raise TypeError("hints must be a list or tuple of str (one str per hint)")
        for i, text in enumerate(hints):
            if not isinstance(text, str) or not text.strip():
                raise TypeError(f"hint {i + 1} must be a non-empty str, not {_type_name(text)}")
        if solution is not None and (not isinstance(solution, str) or not solution.strip()):
            raise TypeError("solution must be a non-empty str or None")
        if not isinstance(points, Real) or isinstance(points, bool):
            raise TypeError(f"points must be a number, not {_type_name(points)}")
        if not (math.isfinite(float(points)) and float(points) >= 0):
            raise ValueError(f"points must be finite and >= 0, not {points!r}")
        self.label = label.strip()
        self.var = var
        self.thought = thought
        self.points: float = int(points) if _is_int(points) else float(points)
        self.hints: tuple[str, ...] = tuple(textwrap.dedent(text).strip() for text in hints)
        self._solution = None if solution is None else textwrap.dedent(solution).strip("\n")
        self._check = check
        self._hints_shown = 0

    def __repr__(self) -> str:
        """Label and variable name.

        Introduced in: notebooks/00_data_and_tools.ipynb
        """
        if self.thought:
            return f"Exercise({self.label!r}, thought=True)"
        return f"Exercise({self.label!r}, var={self.var!r})"

    def describe(self) -> str:
        """What the exercise checks, without giving the answer away (for the docs).

        Introduced in: notebooks/00_data_and_tools.ipynb
        """
        if self._check is None:
            return f"{self.label}: a written exercise with a model answer"
        return f"{self.label}: `{self.var}` — {self._check.describe()}"

    def check(self, value: Any = _MISSING) -> CheckResult:
        """Check the learner's answer and record the outcome; never raises.

        With no argument the answer is the variable named ``var`` in the caller's globals (the
        notebook), then in ``__main__``. A missing variable or a placeholder gives
        "not attempted". The outcome is appended to :func:`results` and, when the environment
        variable ``COURSE_UTILS_RESULTS`` names a file, to that file as one JSON line.

        Introduced in: notebooks/00_data_and_tools.ipynb
        """
        try:
            caller_globals: dict[str, Any] = sys._getframe(1).f_globals
        except Exception:
            caller_globals = {}
        try:
            result = self._run(value, caller_globals)
        except Exception as exc:
            result = CheckResult(
                self.label, "error", f"the check could not evaluate your answer: {_exc_text(exc)}"
            )
        _record(result, self.points)
        return result

    def _run(self, value: object, caller_globals: Mapping[str, Any]) -> CheckResult:
        """The outcome of :meth:`check` (may raise only on bugs; :meth:`check` catches them)."""
        if self.thought:
            name = self._own_name(caller_globals)
            return CheckResult(
                self.label,
                "not attempted",
                f"written exercise: compare your answer with {name}.solution()",
            )
        assert self._check is not None and self.var is not None
        if value is _MISSING:
            found, value = _lookup(self.var, caller_globals)
            if not found:
                return CheckResult(
                    self.label,
                    "not attempted",
                    f"there is no variable `{self.var}` yet: run the exercise cell above "
                    "(if it raised an error, fix that first), then run this check again.",
                )
        return self._check(value, question=self.label)

    def _own_name(self, caller_globals: Mapping[str, Any]) -> str:
        """The name this exercise has in the caller's globals (e.g. ``q3``), else ``q``."""
        for name, obj in list(caller_globals.items()):
            if obj is self:
                return name
        return "q"

    def hint(self, n: int | None = None) -> Hint:
        """Show the next hint (or hint ``n``, counting from 1).

        Each call without ``n`` shows the next hint; after the last one it shows the last hint
        again with a note that there are no more.

        Introduced in: notebooks/00_data_and_tools.ipynb
        """
        total = len(self.hints)
        if n is not None and (not _is_int(n)):
            raise TypeError(f"n must be an int or None, not {_type_name(n)}")
        if total == 0:
            return Hint(self.label, 0, 0, "there are no hints for this exercise.")
        note = ""
        if n is None:
            if self._hints_shown >= total:
                number = total
                note = "no more hints: this was the last one"
            else:
                self._hints_shown += 1
                number = self._hints_shown
        else:
            if not 1 <= int(n) <= total:
                raise ValueError(
                    f"{self.label} has {_plural(total, 'hint')}: ask for hint(1) to hint({total})"
                )
            number = int(n)
            self._hints_shown = max(self._hints_shown, number)
        return Hint(self.label, number, total, self.hints[number - 1], note)

    def solution(self) -> Solution:
        """Show the model answer (a fenced Python block, or prose for a written exercise).

        Introduced in: notebooks/00_data_and_tools.ipynb
        """
        if self._solution is None:
            return Solution(self.label, "no solution is available for this exercise.", False)
        return Solution(self.label, self._solution, not self.thought)


def _lookup(name: str, caller_globals: Mapping[str, Any]) -> tuple[bool, object]:
    """Find ``name`` in the caller's globals, then in ``__main__``."""
    if name in caller_globals:
        return True, caller_globals[name]
    main = sys.modules.get("__main__")
    namespace = getattr(main, "__dict__", None)
    if isinstance(namespace, dict) and name in namespace:
        return True, namespace[name]
    return False, None
