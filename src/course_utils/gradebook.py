"""After grading: the class roster, feedback for each student and gradebooks for Canvas and Moodle.

:mod:`course_utils.grading` gives one :class:`~course_utils.grading.GradeResult` per submission;
this module turns them into what an instructor hands on (see :mod:`course_utils.cli`):

1. :func:`read_roster`: the class list (``id``, ``name``, ``email``), and :func:`apply_roster`,
   which names each graded student and adds a row for every student without a submission.
2. :func:`feedback_text` and :func:`write_feedback`: one Markdown file per student, each
   question's outcome, the check's message, its points and, for a question that did not pass,
   its first hint. It is written after the run, into a folder the notebook never sees.
3. :func:`write_gradebook`: the points of each student in the column layout that Canvas or
   Moodle imports, UTF-8 with a byte-order mark (Excel reads Korean names).

Text that comes from a submission (a check's message, an exception) is shown in the feedback as
a literal block, never as Markdown, and no CSV cell starts with ``=``, ``+``, ``-`` or ``@``.

This module imports :mod:`course_utils.grading` and :mod:`course_utils.manifest`.

Introduced in: notebooks/07_keras_exercises.ipynb
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Final

from course_utils.grading import NO_SUBMISSION, NOT_ATTEMPTED, GradeResult, spreadsheet_text
from course_utils.manifest import Manifest

__all__ = [
    "LMS_FORMATS",
    "Student",
    "apply_roster",
    "feedback_text",
    "read_roster",
    "write_feedback",
    "write_gradebook",
]

_ROSTER_ENCODINGS: Final[tuple[str, ...]] = ("utf-8-sig", "cp949")
_ROSTER_COLUMNS: Final[tuple[str, ...]] = ("id", "name", "email")
_UNSAFE_FILE_CHARACTERS: Final[re.Pattern[str]] = re.compile(r"[^\w.-]+")


@dataclass(frozen=True)
class Student:
    """One row of the roster: the student's id, full name and e-mail address (may be empty).

    Introduced in: notebooks/07_keras_exercises.ipynb
    """

    id: str
    name: str = ""
    email: str = ""


def read_roster(path: str | os.PathLike[str]) -> dict[str, Student]:
    """Read the class roster: a CSV file with the columns ``id``, ``name`` and ``email``.

    ``id`` is required and matches the submissions' ids (the student folder's name, or a
    top-level notebook's file name without ``.ipynb``); ``name`` and ``email`` are optional
    columns, other columns are ignored, and header names are matched without regard to case or
    surrounding spaces. The file may be UTF-8, with or without a byte-order mark (as Excel
    saves it), or CP949 (Korean Windows).

    Args:
        path: The roster file.

    Returns:
        The students by id, in the order of the file.

    Raises:
        ValueError: If the file cannot be read or decoded, has no ``id`` column, has a row
            without an id, or lists an id twice; the message names the line.

    Example:
        >>> import tempfile, pathlib
        >>> roster = pathlib.Path(tempfile.mkdtemp()) / "roster.csv"
        >>> _ = roster.write_text("id,name\\nkim,김민지\\n", encoding="utf-8-sig")
        >>> read_roster(roster)["kim"].name
        '김민지'

    Introduced in: notebooks/07_keras_exercises.ipynb
    """
    file = Path(path)
    try:
        raw = file.read_bytes()
    except OSError as exc:
        raise ValueError(f"roster {file}: cannot be read ({exc.strerror or exc})") from exc
    for encoding in _ROSTER_ENCODINGS:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        break
    else:
        raise ValueError(f"roster {file}: neither UTF-8 nor CP949 text")
    rows = list(csv.reader(text.splitlines()))
    if not rows:
        raise ValueError(f"roster {file}: empty (expected a header row with an id column)")
    header = [cell.strip().lower() for cell in rows[0]]
    if "id" not in header:
        raise ValueError(
            f"roster {file}: no id column in the header row {rows[0]!r} "
            f"(expected the columns {', '.join(_ROSTER_COLUMNS)})"
        )
    where = {column: header.index(column) for column in _ROSTER_COLUMNS if column in header}
    students: dict[str, Student] = {}
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = {c: row[i].strip() if i < len(row) else "" for c, i in where.items()}
        student_id = cells["id"]
        if not student_id:
            raise ValueError(f"roster {file}, line {line}: the id is empty")
        if student_id in students:
            raise ValueError(f"roster {file}, line {line}: the id {student_id!r} is listed twice")
        students[student_id] = Student(student_id, cells.get("name", ""), cells.get("email", ""))
    return students


def apply_roster(
    results: Sequence[GradeResult], roster: Mapping[str, Student], manifest: Manifest
) -> tuple[list[GradeResult], list[str]]:
    """Name the graded students from the roster and add the students who submitted nothing.

    A student of the roster without a submission gets a row whose run is ``"no submission"``,
    every question ``"not attempted"`` and 0 points out of the chapter's total.

    Args:
        results: The grades (see :func:`course_utils.grading.grade_submissions`).
        roster: The students by id (see :func:`read_roster`).
        manifest: The chapter graded (see :func:`course_utils.manifest.load_manifest`).

    Returns:
        The grades, sorted by student id, and the ids of submissions that are not on the
        roster (kept, without a name: the instructor decides).

    Introduced in: notebooks/07_keras_exercises.ipynb
    """
    named = [replace(r, name=roster[r.student].name) if r.student in roster else r for r in results]
    graded = {r.student for r in results}
    missing = [
        GradeResult(
            submission="",
            run=NO_SUBMISSION,
            outcomes=dict.fromkeys(manifest.labels, NOT_ATTEMPTED),
            student=student.id,
            name=student.name,
            chapter=manifest.chapter,
            max_points=manifest.total_points,
        )
        for student in roster.values()
        if student.id not in graded
    ]
    unknown = sorted({r.student for r in results if r.student not in roster})
    return sorted([*named, *missing], key=lambda r: (r.student, r.submission)), unknown


def _literal(text: str) -> str:
    """``text`` as a fenced block that Markdown shows verbatim, whatever the text holds."""
    longest = max((len(run) for run in re.findall(r"`+|~+", text)), default=0)
    fence = "~" * max(3, longest + 1)
    return f"{fence}text\n{text.rstrip()}\n{fence}"


def _points(value: float) -> str:
    """``1 point``, ``2.5 points``."""
    return f"{value:g} point" + ("" if value == 1 else "s")


def feedback_text(result: GradeResult, manifest: Manifest) -> str:
    """The feedback of one student, in Markdown.

    A title with the student's id (and name), the points out of the chapter's total and how the
    run ended; then one section per graded question of the chapter: its outcome and points,
    the message its check gave (from the results log), and the question's first hint when it
    did not pass. The message and the run's ending come from the submission, so they are shown
    as literal blocks (nothing in them is read as Markdown or HTML).

    Args:
        result: One student's grade.
        manifest: The chapter graded.

    Returns:
        The Markdown text, ending with a newline.

    Introduced in: notebooks/07_keras_exercises.ipynb
    """
    who = result.student + (f" ({result.name})" if result.name else "")
    lines = [
        f"# Feedback on {manifest.chapter}",
        "",
        f"Student: {_literal_inline(who)}",
        "",
        f"Points: {result.score:g} of {manifest.total_points:g}.",
        "",
        "How the notebook ran:",
        "",
        _literal(result.run),
        "",
    ]
    for question in manifest.graded:
        outcome = result.outcomes.get(question.label, NOT_ATTEMPTED)
        kind = outcome.split(":", 1)[0]
        earned = question.points if outcome == "passed" else 0
        lines += [
            f"## {question.label} ({question.name}): {kind}, "
            f"{earned:g} of {_points(question.points)}",
            "",
        ]
        if outcome != kind:
            lines += [_literal(outcome), ""]
        message = result.messages.get(question.label, "")
        if message:
            lines += ["The check said:", "", _literal(message), ""]
        if outcome != "passed" and question.hint:
            lines += ["A hint:", "", *(f"> {line}" for line in question.hint.splitlines()), ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def _literal_inline(text: str) -> str:
    """``text`` as inline code that Markdown shows verbatim (one line)."""
    flat = " ".join(text.split())
    longest = max((len(run) for run in re.findall(r"`+", flat)), default=0)
    ticks = "`" * (longest + 1)
    return f"{ticks} {flat} {ticks}"


def _file_stem(student: str) -> str:
    """A file name for a student id: letters (Korean included), digits, ``.``, ``-``, ``_``."""
    stem = _UNSAFE_FILE_CHARACTERS.sub("_", student).strip("._") or "student"
    return stem[:100]


def write_feedback(
    results: Iterable[GradeResult], manifest: Manifest, folder: str | os.PathLike[str]
) -> list[Path]:
    """Write one feedback file per student, ``<folder>/<id>.md`` (UTF-8).

    Students with two submissions, or ids that map to the same file name, get ``<id>-2.md``
    and so on, so that no feedback overwrites another.

    Args:
        results: The grades (see :func:`course_utils.grading.grade_submissions`).
        manifest: The chapter graded.
        folder: The output folder; created if missing. Give one outside the submissions.

    Returns:
        The files written, in the order of ``results``.

    Introduced in: notebooks/07_keras_exercises.ipynb
    """
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    used: set[str] = set()
    for result in results:
        stem = _file_stem(result.student)
        name, count = f"{stem}.md", 1
        while name.lower() in used:
            count += 1
            name = f"{stem}-{count}.md"
        used.add(name.lower())
        path = out / name
        path.write_text(feedback_text(result, manifest), encoding="utf-8")
        written.append(path)
    return written


def _write_rows(path: Path, rows: Iterable[Sequence[object]]) -> Path:
    """Write a CSV, UTF-8 with a byte-order mark, replacing the file atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    with open(partial, "w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\r\n")
        for row in rows:
            writer.writerow([spreadsheet_text(cell) for cell in row])
    os.replace(partial, path)
    return path


def _assignment_title(manifest: Manifest, assignment: str | None) -> str:
    """The assignment column's header: the given title, or ``Chapter N (chNN)``."""
    if assignment is not None:
        if not isinstance(assignment, str) or not assignment.strip():
            raise ValueError(f"assignment must be a non-empty str, not {assignment!r}")
        return assignment.strip()
    return f"Chapter {int(manifest.chapter[2:])} ({manifest.chapter})"


def _one_per_student(results: Iterable[GradeResult]) -> list[GradeResult]:
    """One grade per student id (the first by submission name), sorted by id."""
    chosen: dict[str, GradeResult] = {}
    for result in sorted(results, key=lambda r: (r.student, r.submission)):
        chosen.setdefault(result.student, result)
    return list(chosen.values())


#: The learning management systems :func:`write_gradebook` writes for.
#:
#: Introduced in: notebooks/07_keras_exercises.ipynb
LMS_FORMATS: Final[tuple[str, ...]] = ("canvas", "moodle")


def write_gradebook(
    results: Iterable[GradeResult],
    manifest: Manifest,
    out: str | os.PathLike[str],
    *,
    lms: str,
    roster: Mapping[str, Student] | None = None,
    assignment: str | None = None,
) -> Path:
    """Write a gradebook CSV that Canvas or Moodle imports: one row per student, the points.

    ``lms="canvas"`` (Grades, Import) writes the columns of the gradebook Canvas exports:
    ``Student`` (the name, or the id without a roster), ``ID`` (Canvas's own number: left
    empty), ``SIS User ID`` (the student id, which Canvas matches), ``SIS Login ID`` (the
    e-mail address when the roster has one) and ``Section`` (empty). Canvas creates the
    assignment when its title is new; to fill an existing one, give the title Canvas shows in
    its own export (``Chapter 7 (1234)``).

    ``lms="moodle"`` (CSV grade import) writes ``ID number`` and ``Email address``, the two
    identifiers the import can map to a user ("useridnumber", "useremail"), and ``Full name``
    for the instructor's eyes. In both, the last column holds the points earned, which the
    import maps to the assignment, and the file is UTF-8 with a byte-order mark.

    Args:
        results: The grades (see :func:`apply_roster`); one row per student id.
        manifest: The chapter graded.
        out: The CSV file; its folder is created if missing.
        lms: ``"canvas"`` or ``"moodle"``.
        roster: The students by id, for the e-mail addresses.
        assignment: The assignment column's title; default ``Chapter N (chNN)``.

    Returns:
        The path written.

    Raises:
        ValueError: If ``lms`` is not one of :data:`LMS_FORMATS`, or ``assignment`` is given
            and is not a non-empty str.

    Introduced in: notebooks/07_keras_exercises.ipynb
    """
    if lms not in LMS_FORMATS:
        raise ValueError(f"lms must be one of {', '.join(LMS_FORMATS)}, not {lms!r}")
    title = _assignment_title(manifest, assignment)
    roster = roster or {}
    if lms == "canvas":
        rows: list[Sequence[object]] = [
            ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", title]
        ]
    else:
        rows = [["ID number", "Email address", "Full name", title]]
    for r in _one_per_student(results):
        email = roster[r.student].email if r.student in roster else ""
        if lms == "canvas":
            rows.append([r.name or r.student, "", r.student, email, "", r.score])
        else:
            rows.append([r.student, email, r.name, r.score])
    return _write_rows(Path(out), rows)
