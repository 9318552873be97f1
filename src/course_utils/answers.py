"""A learner's answer (chapter 0): the placeholder ``____``, and how a check reads an answer.

The exercises of every chapter read answers through this module: the placeholder a stub leaves
in place (:data:`____`, recognised by :func:`is_placeholder`), the coercion policy that says what
counts as a number, a count, a shape, an array or a set of labels (:func:`as_number`,
:func:`as_count`, :func:`as_shape`, :func:`as_array`, :func:`as_labels`), and the private
helpers the checks share: describing a value safely in a message and the one comparison routine
with its tolerance. :mod:`course_utils.answer_checks` builds the checks on it and
:mod:`course_utils.exercises` the exercises.

This module imports neither TensorFlow nor Keras: tensors are recognised by their ``shape`` and
their module's name.

Introduced in: notebooks/00_data_and_tools.ipynb
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Final, cast

import numpy as np

__all__ = [
    "Placeholder",
    "____",
    "as_array",
    "as_count",
    "as_labels",
    "as_number",
    "as_shape",
    "is_placeholder",
]


# Bounds that keep the inspection of a learner's value cheap whatever it is.
_MAX_DEPTH: Final[int] = 8  # nesting levels searched for a placeholder
_MAX_ITEMS: Final[int] = 100_000  # items searched for a placeholder
_REPR_LIMIT: Final[int] = 80  # characters of a value shown in a message
_LIST_LIMIT: Final[int] = 5  # items of a list (missing keys, ...) shown in a message
_TENSOR_MODULES: Final[frozenset[str]] = frozenset(
    {"tensorflow", "keras", "jax", "jaxlib", "torch"}
)
_ADDRESS: Final[re.Pattern[str]] = re.compile(r"\s+at 0x[0-9a-fA-F]+")


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


def _is_tensor_shape(value: object) -> bool:
    """A TensorFlow ``TensorShape`` (recognised by its ``as_list`` method, without importing TF)."""
    return type(value).__name__ == "TensorShape" and callable(getattr(value, "as_list", None))
