"""Auto-checked exercises (chapter 0): :class:`Exercise`, hints, solutions, the results log.

An exercise in a notebook is four cells: a prompt (markdown), a stub the learner edits, a
solution (tagged ``solution``; removed from student notebooks) and a check::

    from course_utils.exercises import ____
    from course_utils.checks.ch00 import q1

    answer_q1 = ____          # the stub: running it unchanged is not an error
    q1.check()                # "not attempted" until ____ is replaced

``q1.hint()`` shows the next hint and ``q1.solution()`` the model answer.

An exercise hands the learner's answer to a check (:mod:`course_utils.answer_checks`), which
never raises for it: every outcome is a :class:`CheckResult` with one of four statuses
(``"passed"``, ``"failed"``, ``"not attempted"``, ``"error"``) and a message that explains what
was expected and what was found. The placeholder ``____`` and the coercion helpers come from
:mod:`course_utils.answers`. This module re-exports the public names of both, so a notebook or
a chapter's checks import everything from here.

Every :meth:`Exercise.check` outcome is recorded in memory (see :func:`results`) and, when the
environment variable ``COURSE_UTILS_RESULTS`` names a file, appended to it as one JSON line: the
instructor's grader reads that file.

This module imports neither TensorFlow nor Keras.

Introduced in: notebooks/00_data_and_tools.ipynb
"""

from __future__ import annotations

import json
import keyword
import math
import os
import re
import sys
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from numbers import Real
from typing import Any, Final

from course_utils.answer_checks import (
    _HINT_COLOUR,
    _HINT_ICON,
    STATUSES,
    CallableCheck,
    Check,
    CheckResult,
    EqualityCheck,
    ParamCountCheck,
    PredicateCheck,
    ShapeCheck,
    ShapesCheck,
    Status,
    _box,
)
from course_utils.answers import (
    Placeholder,
    ____,
    _exc_text,
    _is_int,
    _plural,
    _type_name,
    as_array,
    as_count,
    as_labels,
    as_number,
    as_shape,
    is_placeholder,
)

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
    "solutions_switched_off",
    "switch_off_solutions",
]

#: Name of the environment variable that, when set, names a file to which every
#: :meth:`Exercise.check` outcome is appended as one JSON line.
#:
#: Introduced in: notebooks/00_data_and_tools.ipynb
RESULTS_ENV_VAR: Final[str] = "COURSE_UTILS_RESULTS"

#: Name of the environment variable that, when set to a non-empty value, switches off the model
#: answers and the last hints (a graded run sets it; see :func:`switch_off_solutions`).
#:
#: Introduced in: notebooks/07_keras_exercises.ipynb
GRADED_ENV_VAR: Final[str] = "COURSE_UTILS_GRADED"

_SWITCHED_OFF: Final[str] = "switched off for this assignment"
_SWITCH: dict[str, bool] = {"off": False}


def switch_off_solutions() -> None:
    """Switch off :meth:`Exercise.solution` and the last hint of each exercise in this session.

    A graded student version calls it in its first cell (``course-utils student --graded``),
    and a graded run sets :data:`GRADED_ENV_VAR`, which does the same. It hides the answers
    from the hand-out only: the installed package still holds them, so a graded score comes
    from the grader's own checks (see :mod:`course_utils.judging`), not from this switch.

    Example:
        A graded student version's first cell::

            from course_utils.exercises import switch_off_solutions
            switch_off_solutions()

    Introduced in: notebooks/00_data_and_tools.ipynb
    """
    _SWITCH["off"] = True


def solutions_switched_off() -> bool:
    """Whether the model answers and last hints are switched off (see
    :func:`switch_off_solutions`).

    Returns:
        True after :func:`switch_off_solutions`, or when :data:`GRADED_ENV_VAR` is set.

    Introduced in: notebooks/00_data_and_tools.ipynb
    """
    return _SWITCH["off"] or bool(os.environ.get(GRADED_ENV_VAR))


# ---------------------------------------------------------------------------------------------
# The results log
# ---------------------------------------------------------------------------------------------


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


def _record(result: CheckResult, points: float, *, written: bool = False) -> None:
    """Append an outcome to the in-memory record and, if configured, to the results file.

    The entry of a written exercise says ``"written": true``, so that whoever reads the log
    (:func:`course_utils.runner.read_results_log`) can leave it out without importing the
    chapters' checks modules.
    """
    entry: dict[str, Any] = {
        "question": result.question,
        "status": result.status,
        "message": result.message,
        "points": points,
    }
    if written:
        entry["written"] = True
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
    answer (there is no fifth status). When the model answer is prose with formulas, it stays in
    the chapter, folded under the exercise, and the exercise says so with
    ``answer_in_text=True`` instead of a ``solution``: it is declared here only so that the
    chapter's manifest (:mod:`course_utils.manifest`) lists it.

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
        answer_in_text: bool = False,
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
        if not isinstance(answer_in_text, bool):
            raise TypeError(
                f"answer_in_text must be True or False, not {_type_name(answer_in_text)}"
            )
        if answer_in_text and not thought:
            raise ValueError("answer_in_text=True is for a written exercise (thought=True)")
        if answer_in_text and solution is not None:
            raise ValueError("give a solution or answer_in_text=True, not both")
        if thought:
            if check is not None:
                raise ValueError("a written exercise (thought=True) takes no check")
            if solution is None and not answer_in_text:
                raise ValueError(
                    "a written exercise (thought=True) needs a model solution (or "
                    "answer_in_text=True when the model answer is folded in the chapter)"
                )
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
        self.answer_in_text = answer_in_text
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
        _record(result, self.points, written=self.thought)
        return result

    def _run(self, value: object, caller_globals: Mapping[str, Any]) -> CheckResult:
        """The outcome of :meth:`check` (may raise only on bugs; :meth:`check` catches them)."""
        if self.thought:
            if self.answer_in_text:
                where = "the model answer folded under the exercise"
            else:
                where = f"{self._own_name(caller_globals)}.solution()"
            return CheckResult(
                self.label, "not attempted", f"written exercise: compare your answer with {where}"
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
        if total > 1 and number == total and solutions_switched_off():
            return Hint(self.label, number, total, f"the last hint is {_SWITCHED_OFF}.", note)
        return Hint(self.label, number, total, self.hints[number - 1], note)

    def solution(self) -> Solution:
        """Show the model answer (a fenced Python block, or prose for a written exercise).

        When the solutions are switched off (:func:`switch_off_solutions`), it says so instead.

        Introduced in: notebooks/00_data_and_tools.ipynb
        """
        if solutions_switched_off():
            return Solution(self.label, f"the model answer is {_SWITCHED_OFF}.", False)
        if self.answer_in_text:
            return Solution(
                self.label, "the model answer is folded under the exercise in the chapter.", False
            )
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
