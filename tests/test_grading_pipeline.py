"""The instructor's pipeline on the real chapters: student versions and grading, end to end.

Every chapter notebook (the appendices have no exercises) is turned into its student version
with ``course-utils student``; each student version is graded with ``course-utils grade
--chapter chNN`` against its chapter's manifest (one chapter per grading run, two runs at a
time): it runs to the end in a fresh kernel, every graded question is "not attempted", and it
scores 0 of the chapter's points. The full versions of two quick chapters are graded too
(every question passed, full points): that every chapter's
model answers pass in their own notebook is checked by the nbval run, which executes the full
notebooks anyway and reads the same results log (``tests/nbval_timing.py``), so grading every
full notebook again would only repeat it. This executes every chapter, so it runs as its own
step of ``make test`` (``make grading``), not with the unit tests.
"""

from __future__ import annotations

import concurrent.futures
import csv
import shutil
import subprocess
from pathlib import Path

import pytest

from course_utils.manifest import load_manifest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
# Full versions graded end to end: the quickest chapter without Keras training and one with Keras
QUICK = [p for p in NOTEBOOKS if p.name.startswith(("00_", "06_"))]
EXECUTABLE = Path(shutil.which("course-utils") or ROOT / ".venv" / "bin" / "course-utils")

pytestmark = pytest.mark.pipeline


def _grade(folder: Path, out: Path, *options: str) -> list[dict[str, str]]:
    done = subprocess.run(
        [str(EXECUTABLE), "grade", str(folder), "--out", str(out), "--timeout", "600", *options],
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
    return {k: v for k, v in row.items() if k.startswith("Exercise")}


def _chapter(path: Path) -> str:
    return f"ch{path.name[:2]}"


def test_student_versions_run_and_nothing_is_attempted(tmp_path: Path) -> None:
    student = tmp_path / "student"
    done = subprocess.run(
        [str(EXECUTABLE), "student", *map(str, NOTEBOOKS), "--out", str(student)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr

    def grade_one(path: Path) -> dict[str, str]:
        folder = tmp_path / "classes" / _chapter(path)
        folder.mkdir(parents=True)
        shutil.copy(student / path.name, folder / path.name)
        out = tmp_path / "grades" / f"{_chapter(path)}.csv"
        (row,) = _grade(folder, out, "--chapter", _chapter(path))
        return row

    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        rows = list(pool.map(grade_one, NOTEBOOKS))
    for path, row in zip(NOTEBOOKS, rows, strict=True):
        manifest = load_manifest(_chapter(path))
        assert row["student"] == path.stem and row["run"] == "completed", row
        assert row["points"] == "0" and row["max_points"] == f"{manifest.total_points:g}", row
        assert _questions(row) == dict.fromkeys(manifest.labels, "not attempted"), row


def test_full_versions_grade_100_percent(tmp_path: Path) -> None:
    assert len(QUICK) == 2

    def grade_one(path: Path) -> dict[str, str]:
        folder = tmp_path / "full" / _chapter(path)
        folder.mkdir(parents=True)
        shutil.copy(path, folder / path.name)
        (row,) = _grade(folder, tmp_path / f"{_chapter(path)}.csv", "--chapter", _chapter(path))
        return row

    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        rows = list(pool.map(grade_one, QUICK))
    assert [row["submission"] for row in rows] == [p.name for p in QUICK]
    for row in rows:
        assert row["run"] == "completed", row
        assert row["points"] == row["max_points"] != "0", row
        assert set(_questions(row).values()) == {"passed"}, row
