"""Argument checking for every module of the package (chapter 0 onwards, behind the scenes).

Each public function of ``course_utils`` checks its arguments before it computes anything and
raises a :class:`TypeError` (wrong kind of value) or :class:`ValueError` (right kind, wrong
value) that names the argument, says what was expected and shows what came instead::

    window must be an integer >= 1; got 1.5 of type float

The checks that used to be written again in each module live here, once, with the messages
the tests pin. Where two modules worded a message differently, a keyword argument keeps each
wording (``got="type"`` for the plotting helpers' ``, got int``; ``low=`` for the two forms of
:func:`check_real`), so that moving a module here changes none of its messages.

Conventions, as in scikit-learn's ``utils/validation.py`` (``check_scalar``): every ``check_*``
function returns the value, converted where that helps (a NumPy integer becomes an ``int``),
and raises otherwise; ``is_*`` functions only answer yes or no. Bools are never integers or
real numbers here: ``True`` passed as a count is a mistake, not ``1``.

This module imports NumPy only and nothing from ``course_utils``: every other module may
import it.

Introduced in: notebooks/00_data_and_tools.ipynb
"""

from __future__ import annotations

import difflib
import math
import numbers
import operator
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final, Literal

import numpy as np

__all__ = [
    "check_bool",
    "check_choice",
    "check_collection",
    "check_fraction",
    "check_int",
    "check_optional_str",
    "check_positive_real",
    "check_real",
    "check_real_array",
    "check_rng",
    "check_str",
    "check_strings",
    "describe",
    "is_iterable",
    "is_sequence",
]

_REPR_LIMIT: Final[int] = 60  # characters of a repr shown by describe()

Got = Literal["value", "type"]


def describe(value: object, *, limit: int | None = _REPR_LIMIT) -> str:
    """``5 of type int``: a short description of an offending value, for an error message.

    Args:
        value: Any object.
        limit: The longest repr shown; a longer one is cut to ``limit - 3`` characters and
            ``...``. ``None`` shows the whole repr.

    Returns:
        ``"<repr> of type <type name>"``.

    Raises:
        Nothing: any object can be described.

    Example:
        >>> describe(2.5)
        '2.5 of type float'
        >>> describe("x" * 100)[-20:]
        'xxxxx... of type str'

    Introduced in: notebooks/00_data_and_tools.ipynb
    """
    shown = repr(value)
    if limit is not None and len(shown) > limit:
        shown = shown[: limit - 3] + "..."
    return f"{shown} of type {type(value).__name__}"


def _got(value: object, got: Got) -> str:
    """The end of a message: ``; got 5 of type int`` or (plotting's form) ``, got int``."""
    if got == "type":
        return f", got {type(value).__name__}"
    return f"; got {describe(value)}"


def _is_bool(value: object) -> bool:
    return isinstance(value, (bool, np.bool_))


def check_int(value: object, name: str, low: int | None = None, high: int | None = None) -> int:
    """Return ``value`` as an ``int`` in ``[low, high]``, or raise naming ``name``.

    Python and NumPy integers (anything :func:`operator.index` accepts) pass; bools, floats
    and strings do not, even ``3.0``.

    Args:
        value: The argument to check.
        name: Its name, for the message.
        low: The smallest value allowed, or ``None`` for no lower bound.
        high: The largest value allowed, or ``None`` for no upper bound.

    Returns:
        ``value`` as a Python ``int``.

    Raises:
        TypeError: If ``value`` is not an integer (a bool is not): ``n must be an integer >= 1;
            got 1.5 of type float``.
        ValueError: If it lies outside the bounds: ``n must be an integer between 0 and 9;
            got 12``.

    Example:
        >>> check_int(np.int64(3), "window", 1)
        3
        >>> check_int(0, "window", 1)
        Traceback (most recent call last):
        ...
        ValueError: window must be an integer >= 1; got 0

    Introduced in: notebooks/00_data_and_tools.ipynb
    """
    if low is not None and high is not None:
        expected = f"an integer between {low} and {high}"
    elif low is not None:
        expected = f"an integer >= {low}"
    elif high is not None:
        expected = f"an integer <= {high}"
    else:
        expected = "an integer"
    if _is_bool(value):
        raise TypeError(f"{name} must be {expected}{_got(value, 'value')}")
    try:
        result = operator.index(value)  # int and NumPy integers, not floats
    except TypeError:
        raise TypeError(f"{name} must be {expected}{_got(value, 'value')}") from None
    if (low is not None and result < low) or (high is not None and result > high):
        raise ValueError(f"{name} must be {expected}; got {result}")
    return result


def _as_real(value: object, name: str, expected: str) -> float:
    """``value`` as a float if it is a real number (not a bool), or a TypeError."""
    if _is_bool(value) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be {expected}{_got(value, 'value')}")
    return float(value)


def check_real(value: object, name: str, low: float | None = None) -> float:
    """Return ``value`` as a finite ``float`` (``>= low`` if given), or raise naming ``name``.

    The two forms word their messages differently: without ``low``, ``x must be a real
    number; got 'a' of type str`` and ``x must be a finite real number; got inf``; with
    ``low``, both errors say ``x must be a finite real number >= 0; got ...``.

    Args:
        value: The argument to check.
        name: Its name, for the message.
        low: The smallest value allowed, or ``None`` for any finite number.

    Returns:
        ``value`` as a Python ``float``.

    Raises:
        TypeError: If ``value`` is not a real number (a bool is not).
        ValueError: If it is NaN, infinite or below ``low``.

    Example:
        >>> check_real(np.float32(0.5), "scale", 0.0)
        0.5
        >>> check_real(-1, "scale", 0.0)
        Traceback (most recent call last):
        ...
        ValueError: scale must be a finite real number >= 0; got -1.0

    Introduced in: notebooks/00_data_and_tools.ipynb
    """
    if low is None:
        result = _as_real(value, name, "a real number")
        if not math.isfinite(result):
            raise ValueError(f"{name} must be a finite real number; got {result!r}")
        return result
    expected = f"a finite real number >= {low:g}"
    result = _as_real(value, name, expected)
    if not math.isfinite(result) or result < low:
        raise ValueError(f"{name} must be {expected}; got {result!r}")
    return result


def check_real_array(value: object, expected: str, *, convert: str = "it") -> np.ndarray:
    """Return ``value`` as a NumPy array of real numbers (any shape), or raise.

    Callers word what they expect (the shape, the layout) and check the shape themselves;
    this is the part they share: the conversion and the dtype. Bool arrays are refused.

    Args:
        value: The argument to check: an array or nested lists of numbers.
        expected: The start of the message, e.g. ``"x must be a 2-D array of real numbers"``.
        convert: How the message on a failed conversion goes on: ``could not convert
            <convert>: <reason>`` (``"it"``, or ``"it to an array"``).

    Returns:
        ``np.asarray(value)``, of an integer or float dtype (not converted to float).

    Raises:
        ValueError: If NumPy cannot make an array of it (ragged nested lists).
        TypeError: If its dtype is not an integer or float one: ``...; got dtype <U1 (list)``.

    Example:
        >>> check_real_array([[1, 2], [3, 4]], "x must be a 2-D array of real numbers").shape
        (2, 2)
        >>> check_real_array([True], "mask must be an array of real numbers")
        Traceback (most recent call last):
        ...
        TypeError: mask must be an array of real numbers; got dtype bool (list)

    Introduced in: notebooks/00_data_and_tools.ipynb
    """
    try:
        array = np.asarray(value)
    except (TypeError, ValueError) as error:  # ragged nested lists
        raise ValueError(f"{expected}; could not convert {convert}: {error}") from None
    if array.dtype == np.bool_ or array.dtype.kind not in "iuf":
        raise TypeError(f"{expected}; got dtype {array.dtype} ({type(value).__name__})")
    return array


def check_positive_real(value: object, name: str) -> float:
    """Return ``value`` as a finite ``float > 0`` (a learning rate, a temperature), or raise.

    Args:
        value: The argument to check.
        name: Its name, for the message.

    Returns:
        ``value`` as a Python ``float``.

    Raises:
        TypeError: If ``value`` is not a real number (a bool is not).
        ValueError: If it is not finite or not above 0.

    Example:
        >>> check_positive_real(2, "temperature")
        2.0

    Introduced in: notebooks/00_data_and_tools.ipynb
    """
    result = _as_real(value, name, "a positive number")
    if not (math.isfinite(result) and result > 0):
        raise ValueError(f"{name} must be a positive finite number; got {result!r}")
    return result


def check_fraction(value: object, name: str) -> float:
    """Return ``value`` as a ``float`` in ``[0, 1)`` (a dropout rate), or raise naming ``name``.

    Args:
        value: The argument to check.
        name: Its name, for the message.

    Returns:
        ``value`` as a Python ``float``.

    Raises:
        TypeError: If ``value`` is not a real number (a bool is not).
        ValueError: If it lies outside ``[0, 1)``.

    Example:
        >>> check_fraction(0.25, "dropout")
        0.25

    Introduced in: notebooks/00_data_and_tools.ipynb
    """
    result = _as_real(value, name, "a number in [0, 1)")
    if not 0.0 <= result < 1.0:
        raise ValueError(f"{name} must be a number in [0, 1) (a fraction to drop); got {result!r}")
    return result


def check_bool(value: object, name: str, *, numpy: bool = True, got: Got = "value") -> bool:
    """Return ``value`` as a ``bool``, or raise a TypeError naming ``name``.

    Args:
        value: The argument to check.
        name: Its name, for the message.
        numpy: Whether a NumPy bool (``np.True_``) passes too.
        got: How the message shows the offending value: ``"value"`` (``; got 1 of type
            int``) or ``"type"`` (``, got int``, the plotting helpers' form).

    Returns:
        ``value`` as a Python ``bool``.

    Raises:
        TypeError: If ``value`` is not a bool (``1`` is not).

    Example:
        >>> check_bool(np.True_, "shuffle")
        True
        >>> check_bool(1, "density", got="type")
        Traceback (most recent call last):
        ...
        TypeError: density must be True or False, got int

    Introduced in: notebooks/00_data_and_tools.ipynb
    """
    allowed = (bool, np.bool_) if numpy else bool
    if not isinstance(value, allowed):
        raise TypeError(f"{name} must be True or False{_got(value, got)}")
    return bool(value)


def check_str(value: object, name: str) -> str:
    """Return ``value`` if it is a ``str``, or raise a TypeError naming ``name``.

    Args:
        value: The argument to check.
        name: Its name, for the message.

    Returns:
        ``value``.

    Raises:
        TypeError: If ``value`` is not a str (bytes are not).

    Example:
        >>> check_str(b"where", "word")
        Traceback (most recent call last):
        ...
        TypeError: word must be a str; got b'where' of type bytes

    Introduced in: notebooks/00_data_and_tools.ipynb
    """
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str{_got(value, 'value')}")
    return value


def check_optional_str(value: object, name: str) -> str | None:
    """Return ``value`` if it is a ``str`` or ``None`` (a figure title), or raise.

    Args:
        value: The argument to check.
        name: Its name, for the message.

    Returns:
        ``value``.

    Raises:
        TypeError: If ``value`` is neither a str nor ``None``: ``title must be a string or
            None, got int``.

    Example:
        >>> check_optional_str(None, "title") is None
        True

    Introduced in: notebooks/00_data_and_tools.ipynb
    """
    if value is not None and not isinstance(value, str):
        raise TypeError(f"{name} must be a string or None, got {type(value).__name__}")
    return value


def check_choice(value: object, name: str, choices: Sequence[str]) -> str:
    """Return ``value`` if it is one of ``choices``, or raise naming ``name`` (with a hint).

    Args:
        value: The argument to check.
        name: Its name, for the message.
        choices: The allowed strings.

    Returns:
        ``value``.

    Raises:
        TypeError: If ``value`` is not a str.
        ValueError: If it is not one of ``choices``; a close match is suggested.

    Example:
        >>> check_choice("Tanh", "activation", ["tanh", "relu"])
        Traceback (most recent call last):
        ...
        ValueError: activation must be one of ['tanh', 'relu']; got 'Tanh'; did you mean 'tanh'?

    Introduced in: notebooks/00_data_and_tools.ipynb
    """
    if not isinstance(value, str):
        raise TypeError(f"{name} must be one of {list(choices)} (a str){_got(value, 'value')}")
    if value not in choices:
        close = difflib.get_close_matches(value.lower(), list(choices), n=1, cutoff=0.5)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise ValueError(f"{name} must be one of {list(choices)}; got {value!r}{hint}")
    return value


def check_rng(rng: object, name: str = "rng") -> np.random.Generator:
    """Return ``rng`` if it is a NumPy ``Generator``, or raise a TypeError naming ``name``.

    Args:
        rng: The argument to check.
        name: Its name, for the message.

    Returns:
        ``rng``.

    Raises:
        TypeError: If ``rng`` is not a :class:`numpy.random.Generator` (a seed is not).

    Example:
        >>> isinstance(check_rng(np.random.default_rng(0)), np.random.Generator)
        True

    Introduced in: notebooks/00_data_and_tools.ipynb
    """
    if not isinstance(rng, np.random.Generator):
        raise TypeError(
            f"{name} must be a numpy.random.Generator, e.g. np.random.default_rng(0); "
            f"got {describe(rng)}"
        )
    return rng


def is_iterable(value: object) -> bool:
    """Whether ``value`` is an iterable of items: not a str, bytes or a mapping.

    A str iterates over its characters and a dict over its keys; a function that wants a
    sequence of tokens or sentences refuses them rather than guess.

    Args:
        value: Any object.

    Returns:
        ``True`` for lists, tuples, arrays, generators and the like.

    Raises:
        Nothing.

    Example:
        >>> is_iterable(["a", "b"]), is_iterable("ab"), is_iterable({"a": 1})
        (True, False, False)

    Introduced in: notebooks/00_data_and_tools.ipynb
    """
    return isinstance(value, Iterable) and not isinstance(value, (str, bytes, bytearray, Mapping))


def is_sequence(value: object) -> bool:
    """Whether ``value`` is a list, tuple, range or 1-D NumPy array (not a str or bytes).

    Args:
        value: Any object.

    Returns:
        ``True`` for a sequence of items that can be indexed and measured.

    Raises:
        Nothing.

    Example:
        >>> is_sequence(np.zeros(3)), is_sequence(np.zeros((2, 2))), is_sequence("abc")
        (True, False, False)

    Introduced in: notebooks/00_data_and_tools.ipynb
    """
    if isinstance(value, np.ndarray):
        return value.ndim == 1
    return isinstance(value, Sequence) and not isinstance(value, (str, bytes))


def check_collection(value: object, name: str, what: str) -> list[Any]:
    """Return ``value`` as a list if it is a sequence (or an array), never a single str.

    Args:
        value: The argument to check.
        name: Its name, for the message.
        what: What its items should be, for the message (``"str"``, ``"label sequences"``).

    Returns:
        The items of ``value`` in a new list (the rows of an array).

    Raises:
        TypeError: If ``value`` is a str (with a hint to wrap it in a list), a 0-d array, bytes,
            a mapping or not a sequence.

    Example:
        >>> check_collection(("a", "b"), "lines", "str")
        ['a', 'b']
        >>> check_collection("ab", "lines", "str")
        Traceback (most recent call last):
        ...
        TypeError: lines must be a sequence (a list or tuple) of str, not a single str; wrap one item in a list, e.g. lines=['ab']

    Introduced in: notebooks/00_data_and_tools.ipynb
    """  # noqa: E501
    if isinstance(value, str):
        raise TypeError(
            f"{name} must be a sequence (a list or tuple) of {what}, not a single str; "
            f"wrap one item in a list, e.g. {name}=[{value[:20]!r}]"
        )
    if isinstance(value, np.ndarray):
        if value.ndim == 0:
            raise TypeError(f"{name} must be a sequence of {what}; got a 0-d array")
        return list(value)
    if isinstance(value, (bytes, bytearray, Mapping)) or not isinstance(value, Sequence):
        raise TypeError(
            f"{name} must be a sequence (a list or tuple) of {what}; got {type(value).__name__}"
        )
    return list(value)


def check_strings(strings: object, name: str) -> list[str]:
    """Return ``strings`` as a list of str, naming the position of a bad item.

    Args:
        strings: The argument to check: a sequence of str.
        name: Its name, for the message.

    Returns:
        The strings in a new list.

    Raises:
        TypeError: If ``strings`` is not a sequence (see :func:`check_collection`) or an item
            is not a str: ``lines[1] must be a str; got 2 of type int``.

    Example:
        >>> check_strings(["가", "나"], "lines")
        ['가', '나']

    Introduced in: notebooks/00_data_and_tools.ipynb
    """
    items = check_collection(strings, name, "str")
    for i, item in enumerate(items):
        if not isinstance(item, str):
            raise TypeError(f"{name}[{i}] must be a str; got {describe(item)}")
    return items


def check_real_between(value: object, name: str, low: float, high: float) -> float:
    """Return ``value`` as a finite ``float`` in ``[low, high]`` (a probability), or raise.

    Added for :mod:`course_utils.data` (the grammar's ``filler_continue``); its messages are the
    ones that module's tests pin.

    Args:
        value: The argument to check.
        name: Its name, for the message.
        low: The smallest value allowed.
        high: The largest value allowed.

    Returns:
        ``value`` as a Python ``float``.

    Raises:
        TypeError: If ``value`` is not a real number (a bool is not).
        ValueError: If it is NaN, infinite or outside ``[low, high]``.

    Example:
        >>> check_real_between(1.5, "filler_continue", 0.0, 1.0)
        Traceback (most recent call last):
        ...
        ValueError: filler_continue must be a real number between 0.0 and 1.0; got 1.5

    Introduced in: notebooks/00_data_and_tools.ipynb
    """
    expected = f"a real number between {low} and {high}"
    result = _as_real(value, name, expected)
    if not (math.isfinite(result) and low <= result <= high):
        raise ValueError(f"{name} must be {expected}; got {result!r}")
    return result
