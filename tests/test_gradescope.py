"""The Gradescope autograder of a chapter: the zip, and run_autograder on a fake /autograder.

``run_autograder`` is run as Gradescope runs it, from the extracted zip, on a fake
``/autograder`` in a temporary folder (``AUTOGRADER_ROOT``) with this environment's Python
(``AUTOGRADER_PYTHON``); ``setup.sh`` is never run (it installs from the network).
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from grading_helpers import CHECKS, IMPORTS, SOLUTIONS, assert_documented, notebook, write

from course_utils import gradescope
from course_utils.checks import ch04
from course_utils.gradescope import gradescope_results, run_autograder, write_bundle
from course_utils.grading import GradeResult
from course_utils.manifest import load_manifest

REQUIRED_TEST_KEYS = {"name", "score", "max_score", "status", "output", "visibility"}


def test_public_api_is_documented() -> None:
    assert_documented(gradescope)


def test_the_bundle_holds_what_gradescope_needs(tmp_path: Path) -> None:
    path = write_bundle("ch07", tmp_path, timeout=900)
    assert path == tmp_path / "gradescope-ch07.zip"
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        modes = {i.filename: (i.external_attr >> 16) & 0o777 for i in archive.infolist()}
        setup = archive.read("setup.sh").decode()
        run = archive.read("run_autograder").decode()
        manifest = json.loads(archive.read("manifest.json"))
        requirements = archive.read("requirements.txt").decode()
    assert {"setup.sh", "run_autograder", "requirements.txt", "manifest.json"} <= names
    assert "course_utils_package/pyproject.toml" in names
    assert "course_utils_package/src/course_utils/checks/ch07.py" in names
    assert not any("__pycache__" in n for n in names)
    assert modes["setup.sh"] == modes["run_autograder"] == 0o755
    assert setup.startswith("#!/usr/bin/env bash") and "pip install" in setup
    assert run.startswith("#!/usr/bin/env bash")
    assert "--chapter ch07 --timeout 900" in run and "AUTOGRADER_ROOT" in run
    assert manifest["total_points"] == 15 and "numpy==" in requirements
    assert write_bundle(7, tmp_path / "again", timeout=900).read_bytes() == path.read_bytes()


def test_bundle_refuses_bad_arguments(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="chapter must be one of"):
        write_bundle("ch42", tmp_path)
    with pytest.raises(ValueError, match="timeout must be a positive number"):
        write_bundle("ch07", tmp_path, timeout=0)


def test_results_follow_gradescopes_format() -> None:
    manifest = load_manifest("ch07")
    outcomes = {label: "not attempted" for label in manifest.labels}
    outcomes["Exercise 7.1"] = "passed"
    outcomes["Exercise 7.2"] = "failed"
    result = GradeResult(
        "s/07.ipynb",
        "completed",
        outcomes,
        seconds=12.34,
        messages={"Exercise 7.2": "expected 3 layers, got 2"},
        score=1,
        max_points=15,
    )
    data = gradescope_results(result, manifest)
    assert data["score"] == 1 and data["execution_time"] == 12.3
    assert data["output"].startswith("ch07: 1 of 15 points.")
    assert len(data["tests"]) == 8
    assert all(REQUIRED_TEST_KEYS <= set(t) for t in data["tests"])
    first, second = data["tests"][:2]
    assert (first["score"], first["max_score"], first["status"]) == (1, 1, "passed")
    assert (second["score"], second["status"]) == (0, "failed")
    assert "The check said: expected 3 layers, got 2" in second["output"]
    assert "A hint: " in second["output"] and "A hint" not in first["output"]
    assert sum(t["max_score"] for t in data["tests"]) == 15
    json.dumps(data)  # plain JSON


def _fake_autograder(tmp_path: Path, bundle: Path) -> Path:
    """Gradescope's layout: source/ (the zip), run_autograder, submission/, results/."""
    root = tmp_path / "autograder"
    with zipfile.ZipFile(bundle) as archive:
        archive.extractall(root / "source")
    run = root / "run_autograder"
    run.write_bytes((root / "source" / "run_autograder").read_bytes())
    run.chmod(run.stat().st_mode | stat.S_IXUSR)
    (root / "submission").mkdir()
    return root


@pytest.mark.slow
def test_run_autograder_on_a_fake_layout(tmp_path: Path) -> None:
    root = _fake_autograder(tmp_path, write_bundle("ch04", tmp_path / "zip", timeout=60))
    answer = notebook(IMPORTS, SOLUTIONS[0], CHECKS[0], "answer_q5 = [(1,), (2,), (3,)]", CHECKS[4])
    write(answer, root / "submission" / "04_lstm.ipynb")
    env = dict(os.environ, AUTOGRADER_ROOT=str(root), AUTOGRADER_PYTHON=sys.executable)
    done = subprocess.run(
        [str(root / "run_autograder")], capture_output=True, text=True, env=env, timeout=300
    )
    assert done.returncode == 0, done.stderr
    data = json.loads((root / "results" / "results.json").read_text(encoding="utf-8"))
    assert data["score"] == 1
    assert [t["status"] for t in data["tests"]] == ["passed"] + ["failed"] * 4
    assert [t["max_score"] for t in data["tests"]] == [1] * 5
    assert "Outcome: not attempted" in data["tests"][1]["output"]
    assert f"A hint: {ch04.q2.hints[0]}" in data["tests"][1]["output"]
    assert "Outcome: failed" in data["tests"][4]["output"]
    assert "The check said: " in data["tests"][4]["output"]
    assert "How the notebook ran: completed" in data["output"]


def test_run_autograder_without_a_notebook(tmp_path: Path) -> None:
    root = tmp_path / "autograder"
    (root / "submission").mkdir(parents=True)
    (root / "submission" / "answers.py").write_text("print(1)\n", encoding="utf-8")
    data = run_autograder(root, chapter="ch04")
    assert data["score"] == 0 and len(data["tests"]) == 5
    assert data["output"].endswith("no notebook (.ipynb) in the submission")
    assert json.loads((root / "results" / "results.json").read_text(encoding="utf-8")) == data
