"""Shared pieces of the tests of the exercise machinery (test_exercises, test_answer_checks,
test_answers).

A test module that imports ``clean_results`` gets it as an autouse fixture for its own tests
only (pytest finds fixtures among a module's names), so the import carries ``# noqa: F401``.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Collection, Iterable
from types import ModuleType

import pytest

from course_utils import exercises
from course_utils.exercises import (
    RESULTS_ENV_VAR,
    STATUSES,
    CallableCheck,
    CheckResult,
    reset_results,
)

ADDRESS = re.compile(r"0x[0-9a-fA-F]{6,}")
INTRODUCED = "Introduced in: notebooks/00_data_and_tools.ipynb"

SQUARE = CallableCheck([((2,), 4), ((3,), 9), ((0.5,), 0.25)])


@pytest.fixture(autouse=True)
def clean_results(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test starts with an empty record and no results file."""
    monkeypatch.delenv(RESULTS_ENV_VAR, raising=False)
    reset_results()


def assert_well_formed(result: object) -> CheckResult:
    """A CheckResult with a known status, a non-empty message and deterministic renderings."""
    assert isinstance(result, CheckResult)
    assert result.status in STATUSES
    assert isinstance(result.message, str) and result.message.strip()
    assert not ADDRESS.search(result.message), result.message
    assert isinstance(repr(result), str) and isinstance(result._repr_html_(), str)
    assert str(result) == repr(result)
    return result


def assert_imports_without_tensorflow(module_name: str) -> None:
    """A fresh interpreter imports ``module_name`` without importing TensorFlow or Keras."""
    code = (
        f"import sys, {module_name}; "
        "bad = [m for m in sys.modules if m.split('.')[0] in ('tensorflow', 'keras')]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert completed.returncode == 0, completed.stdout + completed.stderr


def assert_introduced_in_chapter_0(module: ModuleType, undocumented: Collection[str]) -> None:
    """``module``'s docstring, and that of each public name but ``undocumented``, say that they
    are introduced in chapter 0."""
    assert INTRODUCED in (module.__doc__ or "")
    for name in module.__all__:
        obj = getattr(module, name)
        if name not in undocumented:
            assert INTRODUCED in (obj.__doc__ or ""), name


def assert_exercises_still_exports(module: ModuleType, names: Iterable[str]) -> None:
    """``course_utils.exercises``, the old home of ``names``, exports the objects of ``module``."""
    for name in names:
        assert getattr(exercises, name) is getattr(module, name), name
        assert name in exercises.__all__, name
