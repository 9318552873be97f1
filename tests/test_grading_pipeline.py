"""The instructor's pipeline on the real chapters: student versions and grading, end to end.

Every chapter notebook (the appendices have no exercises) is turned into its student version
with ``course-utils student``; the student versions are graded with ``course-utils grade`` (each
one runs to the end in a fresh kernel, and every graded question is "not attempted"). The full
versions of two quick chapters are graded too (every question passed): that every chapter's
model answers pass in their own notebook is checked by the nbval run, which executes the full
notebooks anyway and reads the same results log (``tests/nbval_timing.py``), so grading every
full notebook again would only repeat it. This executes every chapter, so it runs as its own
step of ``make test`` (``make grading``), not with the unit tests.
"""

from __future__ import annotations

import csv
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
# Full versions graded end to end: the quickest chapter without Keras training and one with Keras
QUICK = [p for p in NOTEBOOKS if p.name.startswith(("00_", "06_"))]
EXECUTABLE = Path(shutil.which("course-utils") or ROOT / ".venv" / "bin" / "course-utils")

pytestmark = pytest.mark.pipeline


def _grade(folder: Path, out: Path) -> list[dict[str, str]]:
    done = subprocess.run(
        [
            str(EXECUTABLE),
            "grade",
            str(folder),
            "--out",
            str(out),
            "--jobs",
            "2",
            "--timeout",
            "300",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    print(done.stderr)  # one progress line per notebook, with its grading time
    print(done.stdout)
    with out.open(encoding="utf-8-sig", newline="") as stream:  # the CSV starts with a BOM
        return list(csv.DictReader(stream))


def _questions(row: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in row.items() if k.startswith("Exercise") and v}


def test_student_versions_run_and_nothing_is_attempted(tmp_path: Path) -> None:
    student = tmp_path / "student"
    done = subprocess.run(
        [str(EXECUTABLE), "student", *map(str, NOTEBOOKS), "--out", str(student)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    rows = _grade(student, tmp_path / "student.csv")
    assert [row["submission"] for row in rows] == [p.name for p in NOTEBOOKS]
    for row in rows:
        assert row["run"] == "completed", row
        assert row["passed"] == "0" and int(row["total"]) >= 3, row
        assert set(_questions(row).values()) == {"not attempted"}, row
        assert len(_questions(row)) == int(row["total"])


def test_full_versions_grade_100_percent(tmp_path: Path) -> None:
    full = tmp_path / "full"
    full.mkdir()
    assert len(QUICK) == 2
    for path in QUICK:
        shutil.copy(path, full / path.name)
    rows = _grade(full, tmp_path / "full.csv")
    assert [row["submission"] for row in rows] == [p.name for p in QUICK]
    for row in rows:
        assert row["run"] == "completed", row
        assert row["passed"] == row["total"], row
        assert set(_questions(row).values()) == {"passed"}, row
