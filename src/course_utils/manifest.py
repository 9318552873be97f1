"""The manifest of a chapter: its questions, their points, graded or written (for instructors).

Grading takes the questions of an assignment from here, never from the submitted notebook: the
manifest of chapter ``chNN`` is read from the exercises (:class:`~course_utils.exercises.Exercise`)
of the module ``course_utils.checks.chNN``, in the grader's own installation. Each question has
its label (``"Exercise 7.1"``), the name the notebook imports (``q1``), its points, whether it
is written (``thought=True``: answered in prose and compared with a model answer by the learner,
so never graded) and its first hint, which the feedback of a question that did not pass shows.
``course-utils manifest ch07`` prints it (see :mod:`course_utils.cli`).

This module imports :mod:`course_utils.exercises`; it imports the ``course_utils.checks``
modules by name, when a manifest is asked for (they import no TensorFlow).

Introduced in: notebooks/07_keras_exercises.ipynb
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import re
from dataclasses import dataclass
from functools import cache
from typing import Any, Final

from course_utils.exercises import Exercise

__all__ = [
    "Manifest",
    "Question",
    "available_chapters",
    "chapter_name",
    "format_manifest",
    "load_manifest",
    "natural_key",
]

_CHAPTER: Final[re.Pattern[str]] = re.compile(r"(?:ch)?(\d{1,2})", re.IGNORECASE)


def natural_key(text: str) -> list[Any]:
    """Sort key that puts ``Exercise 4.2`` before ``Exercise 4.10``.

    Args:
        text: A label.

    Returns:
        A list to compare: numbers compare as numbers, the rest as text.

    Example:
        >>> sorted(["Exercise 4.10", "Exercise 4.2"], key=natural_key)
        ['Exercise 4.2', 'Exercise 4.10']

    Introduced in: notebooks/07_keras_exercises.ipynb
    """
    return [
        (0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"(\d+)", text)
    ]


def _points_text(points: float) -> str:
    """``1`` or ``2.5``: points without a useless ``.0``."""
    return f"{points:g}"


@dataclass(frozen=True)
class Question:
    """One question of a chapter, as the grader knows it.

    ``label`` is what every message and column shows (``"Exercise 7.1"``); ``name`` is the
    exercise's name in its checks module (``"q1"``); ``written`` is true for a written exercise
    (never graded); ``hint`` is its first hint (empty when it has none).

    Introduced in: notebooks/07_keras_exercises.ipynb
    """

    label: str
    name: str
    points: float
    written: bool = False
    hint: str = ""


@dataclass(frozen=True)
class Manifest:
    """The questions of one chapter, in natural order.

    Introduced in: notebooks/07_keras_exercises.ipynb
    """

    chapter: str
    questions: tuple[Question, ...]

    @property
    def graded(self) -> tuple[Question, ...]:
        """The questions that are graded (not written), in order.

        Introduced in: notebooks/07_keras_exercises.ipynb
        """
        return tuple(q for q in self.questions if not q.written)

    @property
    def labels(self) -> list[str]:
        """The labels of the graded questions: the columns of the grades table.

        Introduced in: notebooks/07_keras_exercises.ipynb
        """
        return [q.label for q in self.graded]

    @property
    def total_points(self) -> float:
        """The points of the graded questions added up (15 for chapter 7).

        Introduced in: notebooks/07_keras_exercises.ipynb
        """
        total = sum(q.points for q in self.graded)
        return int(total) if float(total).is_integer() else total

    def question(self, label: str) -> Question | None:
        """The graded question with this label, or None (a label the chapter does not have).

        Args:
            label: A label such as ``"Exercise 7.1"``.

        Returns:
            The question, or None.

        Introduced in: notebooks/07_keras_exercises.ipynb
        """
        return next((q for q in self.graded if q.label == label), None)

    def to_dict(self) -> dict[str, Any]:
        """The manifest as plain data (what ``course-utils manifest chNN --json`` prints).

        Returns:
            ``{"chapter": ..., "total_points": ..., "questions": [{label, name, points,
            graded}, ...]}``; the hints stay out (they belong to the feedback).

        Introduced in: notebooks/07_keras_exercises.ipynb
        """
        return {
            "chapter": self.chapter,
            "total_points": self.total_points,
            "questions": [
                {"label": q.label, "name": q.name, "points": q.points, "graded": not q.written}
                for q in self.questions
            ],
        }


def available_chapters() -> list[str]:
    """The chapters that have a checks module: ``["ch00", "ch01", ...]``.

    Returns:
        The module names, sorted.

    Introduced in: notebooks/07_keras_exercises.ipynb
    """
    package = importlib.import_module("course_utils.checks")
    names = [info.name for info in pkgutil.iter_modules(package.__path__)]
    return sorted(n for n in names if re.fullmatch(r"ch\d\d", n))


def chapter_name(chapter: object) -> str:
    """The module name of a chapter given as ``ch07``, ``7``, ``07`` or ``CH7``.

    Args:
        chapter: The chapter, as text or an int.

    Returns:
        ``"chNN"`` with two digits.

    Raises:
        TypeError: If ``chapter`` is neither a str nor an int.
        ValueError: If it does not name a chapter with a checks module.

    Example:
        >>> chapter_name("7"), chapter_name("ch07")
        ('ch07', 'ch07')

    Introduced in: notebooks/07_keras_exercises.ipynb
    """
    if isinstance(chapter, bool) or not isinstance(chapter, (str, int)):
        raise TypeError(f"chapter must be a str such as 'ch07' or an int, not {chapter!r}")
    match = _CHAPTER.fullmatch(str(chapter).strip())
    name = f"ch{int(match.group(1)):02d}" if match else ""
    known = available_chapters()
    if name not in known:
        raise ValueError(
            f"chapter must be one of {', '.join(known)} (or its number), not {chapter!r}"
        )
    return name


@cache
def _manifest(name: str) -> Manifest:
    """The manifest of the checks module ``name`` (cached: the modules do not change)."""
    module = importlib.import_module(f"course_utils.checks.{name}")
    names = getattr(module, "__all__", None) or [n for n in vars(module) if not n.startswith("_")]
    found: dict[str, Question] = {}
    for attribute in names:
        exercise = getattr(module, attribute, None)
        if isinstance(exercise, Exercise) and exercise.label not in found:
            found[exercise.label] = Question(
                label=exercise.label,
                name=attribute,
                points=exercise.points,
                written=exercise.thought,
                hint=exercise.hints[0] if exercise.hints else "",
            )
    ordered = sorted(found.values(), key=lambda q: natural_key(q.label))
    return Manifest(name, tuple(ordered))


def load_manifest(chapter: object) -> Manifest:
    """The manifest of a chapter, read from its ``course_utils.checks`` module.

    Args:
        chapter: The chapter (see :func:`chapter_name`).

    Returns:
        Its questions, in natural order, written ones included (see :attr:`Manifest.graded`).

    Raises:
        TypeError: If ``chapter`` is neither a str nor an int.
        ValueError: If there is no such chapter.

    Example:
        >>> manifest = load_manifest("ch07")
        >>> len(manifest.graded), manifest.total_points
        (8, 15)

    Introduced in: notebooks/07_keras_exercises.ipynb
    """
    return _manifest(chapter_name(chapter))


def format_manifest(manifest: Manifest, *, as_json: bool = False) -> str:
    """The manifest as a plain-text table, or as JSON.

    Args:
        manifest: The manifest (see :func:`load_manifest`).
        as_json: JSON (:meth:`Manifest.to_dict`, indented) instead of the table.

    Returns:
        The text, without a trailing newline.

    Raises:
        TypeError: If ``manifest`` is not a :class:`Manifest`.

    Introduced in: notebooks/07_keras_exercises.ipynb
    """
    if not isinstance(manifest, Manifest):
        raise TypeError(f"manifest must be a Manifest, not {type(manifest).__name__}")
    if as_json:
        return json.dumps(manifest.to_dict(), indent=2, ensure_ascii=False)
    width = max([len("question"), *(len(q.label) for q in manifest.questions)])
    lines = [f"{'question':<{width}}  name  points  graded"]
    for q in manifest.questions:
        graded = "no (written)" if q.written else "yes"
        lines.append(f"{q.label:<{width}}  {q.name:<4}  {_points_text(q.points):>6}  {graded}")
    count = len(manifest.graded)
    noun = "question" if count == 1 else "questions"
    lines.append(
        f"{manifest.chapter}: {count} graded {noun}, "
        f"{_points_text(manifest.total_points)} points in all"
    )
    return "\n".join(lines)
