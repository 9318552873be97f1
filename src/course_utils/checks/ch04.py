"""Exercises of chapter 4, "LSTM".

Introduced in: notebooks/04_lstm.ipynb
"""

from __future__ import annotations

from itertools import permutations

import numpy as np

from course_utils.check_helpers import block_order_message, permuted_blocks
from course_utils.exercises import (
    CallableCheck,
    Check,
    Exercise,
    ShapesCheck,
    Status,
    is_placeholder,
)

__all__ = ["q1", "q2", "q3", "q4", "q5"]


def _remembering_units(forget, fillers, threshold=0.9):
    forget = np.asarray(forget)
    return np.flatnonzero((forget[list(fillers)] > threshold).all(axis=0))


def _forget_cases(seed: int | list[int] = 14) -> list[tuple]:
    """(forget, fillers[, threshold]) cases shaped like a probe: <s>, subject, fillers, end.

    Each unit of a case plays a role, so that every typical mistake gives its own wrong answer:
    a unit above the threshold at the fillers only, one above everywhere, one above one step
    after (or before) each filler, one that touches the threshold exactly at one filler, one
    above at the last filler only, one above at all fillers but the last, one between the
    threshold and 0.9, and two that are never above.
    """
    rng = np.random.default_rng(seed)
    cases: list[tuple] = []
    for steps, fillers, threshold in [
        (7, [2, 3, 4], None),
        (9, [2, 3, 4, 5, 6], 0.5),
        (8, [2, 4, 5], 0.75),
    ]:
        level = 0.9 if threshold is None else threshold
        roles = ["fillers", "always", "later", "earlier", "touch", "last", "not_last", "low", "low"]
        if threshold is not None:
            roles.append("between")
        forget = rng.uniform(0.0, level - 0.1, size=(steps, len(roles)))

        def high(rows: list[int], unit: int, forget=forget, level=level) -> None:
            forget[rows, unit] = rng.uniform(max(level, 0.91), 1.0, size=len(rows))

        for unit, role in enumerate(roles):
            if role in ("fillers", "touch"):
                high(fillers, unit)
            elif role == "always":
                high(list(range(steps)), unit)
            elif role in ("later", "earlier"):
                high([p + (1 if role == "later" else -1) for p in fillers], unit)
            elif role == "last":
                high(fillers[-1:], unit)
            elif role == "not_last":
                high(fillers[:-1], unit)
            elif role == "between":
                forget[fillers, unit] = rng.uniform(level + 0.02, 0.88, size=len(fillers))
            if role == "touch":
                forget[fillers[0], unit] = level  # on the threshold: not strictly above it
        forget = forget[:, rng.permutation(len(roles))]
        cases.append((forget, fillers) if threshold is None else (forget, fillers, threshold))
    nobody = np.full((6, 5), 0.4)
    nobody[:, 1] = 0.95
    nobody[3, 1] = 0.2  # the only candidate drops once: no unit remembers
    cases.append((nobody, [2, 3, 4]))
    return cases


def _index_list(value: object) -> list[int] | None:
    """The answer as a list of ints, or None if it is not a 1-D collection of integers."""
    if isinstance(value, (set, frozenset, dict, str, bytes)):
        return None
    try:
        array = np.asarray(value)
    except Exception:
        return None
    if array.ndim != 1:
        return None
    if array.size == 0:
        return []
    if array.dtype == bool or not np.issubdtype(array.dtype, np.integer):
        if array.dtype.kind == "f" and np.all(array == np.round(array)):
            return [int(v) for v in array]
        return None
    return [int(v) for v in array]


def _with(args: tuple, **changes: object) -> tuple:
    forget, fillers, *rest = args
    threshold = rest[0] if rest else 0.9
    values = {"forget": forget, "fillers": fillers, "threshold": threshold, **changes}
    return values["forget"], values["fillers"], values["threshold"]


def _mistakes(args: tuple) -> list[tuple[list[int], str]]:
    """Answers of typical mistakes on one case, each with the reason to give."""
    forget, fillers, threshold = _with(args)
    forget = np.asarray(forget)
    rows = len(forget)
    found = []
    for shift, word in ((1, "one step later"), (-1, "one step earlier")):
        moved = [p + shift for p in fillers]
        if all(0 <= p < rows for p in moved):
            found.append(
                (
                    _remembering_units(forget, moved, threshold),
                    f"your answer matches the filler positions read {word}: row t of forget is "
                    "the gate at position t, so use forget[fillers] as given (no +1 or -1)",
                )
            )
    found += [
        (
            np.flatnonzero((forget[list(fillers)] >= threshold).all(axis=0)),
            "your answer includes a unit whose forget gate equals the threshold at one filler: "
            "'above' means strictly greater (use >, not >=)",
        ),
        (
            np.flatnonzero((forget[list(fillers)] > threshold).any(axis=0)),
            "your answer includes units that are above the threshold at only some fillers: a "
            "unit remembers only if it stays above at every filler position (.all, not .any)",
        ),
        (
            np.flatnonzero((forget > threshold).all(axis=0)),
            "your answer looks at every time step: keep only the filler rows, forget[fillers]",
        ),
        (
            np.flatnonzero((forget[fillers[0] : fillers[-1]] > threshold).all(axis=0)),
            "your answer leaves out the last filler position (a slice stops before its end): "
            "index with the list of positions itself, forget[fillers]",
        ),
        (
            _remembering_units(forget, fillers, 0.9),
            "your answer uses 0.9 where the call passed another threshold: compare with the "
            "threshold argument",
        ),
    ]
    return [(sorted(int(u) for u in units), reason) for units, reason in found]


class _RememberingUnitsCheck(Check):
    """Calls ``remembering_units`` on synthetic forget-gate maps and names typical mistakes."""

    def __init__(self, seed: int | list[int] = 14) -> None:
        self._cases = _forget_cases(seed)

    def for_grading(self, seed: int) -> Check:
        """The same check on forget-gate maps drawn from the grader's seed."""
        return _RememberingUnitsCheck([int(seed) % 2**63, 41])

    def _evaluate(self, value: object) -> tuple[Status, str]:
        if not callable(value):
            return "failed", f"expected a function remembering_units, got {type(value).__name__}"
        for args in self._cases:
            forget, fillers, *rest = args
            call = (
                f"remembering_units(<{forget.shape[0]} x {forget.shape[1]} array>, {fillers}"
                + (f", threshold={rest[0]}" if rest else "")
                + ")"
            )
            try:
                got = value(forget.copy(), list(fillers), *rest)
            except Exception as exc:
                detail = " ".join(str(exc).split())[:160]
                return "error", (
                    f"your code raised {type(exc).__name__}"
                    + (f": {detail}" if detail else "")
                    + f" when called as {call}"
                )
            if is_placeholder(got):
                return "not attempted", (
                    "remembering_units still returns ____: replace ____ with your code, run the "
                    "cell, then run this check again."
                )
            if got is None:
                return "failed", f"{call} returned None: did you forget a return statement?"
            expected = sorted(int(u) for u in _remembering_units(*args))
            array = np.asarray(got) if isinstance(got, (list, tuple, np.ndarray)) else None
            if array is not None and array.dtype == bool:
                return "failed", (
                    f"{call} returned a mask, one True/False per "
                    f"{'unit' if array.shape == (forget.shape[1],) else 'entry'}; return the "
                    "indices of the units instead, e.g. np.flatnonzero(mask)"
                )
            if (
                array is not None
                and array.shape == (forget.shape[1],)
                and set(np.unique(array).tolist()) <= {0, 1}
                and sorted(np.flatnonzero(array).tolist()) == expected
            ):
                return "failed", (
                    f"{call} returned a 0/1 mask, one value per unit; return the indices of "
                    "the units whose value is 1 instead, e.g. np.flatnonzero(mask)"
                )
            units = _index_list(got)
            if units is None:
                return "failed", (
                    f"{call} should return the unit indices as a 1-D list, tuple or array of "
                    f"ints; got {type(got).__name__}"
                    + (f" of shape {array.shape}" if array is not None else "")
                )
            if sorted(units) == expected:
                continue
            for wrong, reason in _mistakes(args):
                if wrong != expected and sorted(units) == wrong:
                    return "failed", f"{call}: {reason}"
            return "failed", f"{call}: expected units {expected}, got {sorted(units)}"
        return "passed", f"All {len(self._cases)} test cases give the expected units."

    def describe(self) -> str:
        return (
            f"calls your function on {len(self._cases)} synthetic forget-gate maps and compares "
            "the unit indices it returns"
        )


q1 = Exercise(
    "Exercise 4.1",
    var="remembering_units",
    check=_RememberingUnitsCheck(),
    hints=(
        "forget[fillers] keeps the rows of the filler positions: shape (len(fillers), units). "
        "Compare it with the threshold.",
        "(forget[fillers] > threshold).all(axis=0) is True for a unit above the threshold at "
        "every filler; np.flatnonzero turns that mask into indices.",
    ),
    solution="""\
def remembering_units(forget, fillers, threshold=0.9):
    above = np.asarray(forget)[fillers] > threshold  # (fillers, units)
    return np.flatnonzero(above.all(axis=0))  # units above at every filler""",
)


def _sigmoid(v):
    return 1 / (1 + np.exp(-v))


def _lstm_step(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias):
    z = x_t @ kernel + h_prev @ recurrent_kernel + bias
    i, f, g, o = np.split(z, 4, axis=-1)
    c_t = _sigmoid(f) * c_prev + _sigmoid(i) * np.tanh(g)
    return _sigmoid(o) * np.tanh(c_t), c_t


_GATES = ("i", "f", "c", "o")
_GATE_NAMES = {"i": "input gate", "f": "forget gate", "c": "candidate", "o": "output gate"}


def _lstm_mistakes() -> list[tuple]:
    """Steps that read the i, f, c, o blocks in another order, and two other usual slips."""
    mistakes = []
    for order in permutations(range(4)):
        if order != (0, 1, 2, 3):
            read_as = tuple(_GATES[j] for j in np.argsort(order))
            message = block_order_message(read_as, _GATES, _GATE_NAMES)
            mistakes.append((permuted_blocks(_lstm_step, order, 4, slice(3, 6)), message))

    def swapped_result(*args):
        h_t, c_t = _lstm_step(*args)
        return c_t, h_t

    def no_tanh(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias):
        z = x_t @ kernel + h_prev @ recurrent_kernel + bias
        i, f, g, o = np.split(z, 4, axis=-1)
        c_t = _sigmoid(f) * c_prev + _sigmoid(i) * np.tanh(g)
        return _sigmoid(o) * c_t, c_t

    mistakes.append((swapped_result, "you return (c_t, h_t); return the tuple (h_t, c_t)"))
    mistakes.append((no_tanh, "h_t = o * tanh(c_t): the new cell state goes through tanh first"))
    return mistakes


def _step_cases() -> list[tuple]:
    rng = np.random.default_rng(4)
    cases = []
    for batch, features, units in [(1, 2, 3), (3, 4, 2), (2, 5, 4)]:
        cases.append(
            (
                rng.normal(size=(batch, features)),
                rng.normal(size=(batch, units)),
                rng.normal(size=(batch, units)),
                rng.normal(size=(features, 4 * units)),
                rng.normal(size=(units, 4 * units)),
                rng.normal(size=(4 * units,)),
            )
        )
    return cases


q2 = Exercise(
    "Exercise 4.2",
    var="lstm_step",
    check=CallableCheck(
        _step_cases(),
        reference=_lstm_step,
        rtol=1e-9,
        atol=1e-12,
        names=("h_t", "c_t"),
        mistakes=_lstm_mistakes(),
    ),
    hints=(
        "Compute z = x_t @ kernel + h_prev @ recurrent_kernel + bias once, then split it into "
        "four blocks of `units` columns: i, f, g (the candidate), o.",
        "c_t = f * c_prev + i * tanh(g) with sigmoid on i, f and o; h_t = o * tanh(c_t). "
        "Return the tuple (h_t, c_t).",
    ),
    solution="""\
def lstm_step(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias):
    z = x_t @ kernel + h_prev @ recurrent_kernel + bias
    i, f, g, o = np.split(z, 4, axis=-1)
    i, f, o = (1 / (1 + np.exp(-v)) for v in (i, f, o))
    c_t = f * c_prev + i * np.tanh(g)
    return o * np.tanh(c_t), c_t""",
)

q3 = Exercise(
    "Exercise 4.3",
    var="keep",
    check=CallableCheck(
        [(0.5, 0.9), (-2.0, 0.1), (3.0, -1.0), (0.0, 1.0)], reference=lambda c_prev, g: c_prev
    ),
    hints=(
        "c_t = f * c_prev + i * g. Put f = 1 and i = 0.",
        "The candidate does not matter when the input gate is closed.",
    ),
    solution="""\
def keep(c_prev, g):
    return c_prev  # f = 1 keeps everything, i = 0 adds nothing""",
)


def _forget_block(kernel, units):
    return kernel[:, units : 2 * units]


def _block_cases() -> list[tuple]:
    rng = np.random.default_rng(5)
    return [(rng.normal(size=(rows, 4 * u)), u) for rows, u in [(3, 2), (5, 4), (4, 1)]]


q4 = Exercise(
    "Exercise 4.4",
    var="forget_block",
    check=CallableCheck(_block_cases(), reference=_forget_block),
    hints=(
        "The columns are four blocks of `units` columns each, in the order i, f, c, o.",
        "The forget gate is the second block: columns units .. 2 * units.",
    ),
    solution="""\
def forget_block(kernel, units):
    return kernel[:, units:2 * units]  # order i, f, c, o: the second block""",
)

q5 = Exercise(
    "Exercise 4.5",
    var="answer_q5",
    check=ShapesCheck([(8, 5, 16), (8, 16), (8, 16)]),
    hints=(
        "With return_state=True an LSTM returns [output, h, c]; with return_sequences=True the "
        "output holds every step's h.",
        "output: (batch, time, units); the final h and c: (batch, units) each.",
    ),
    solution="""\
answer_q5 = [(8, 5, 16), (8, 16), (8, 16)]  # all states, last h, last c""",
)
