"""The package's floors: no module imports one on its own floor or above.

The floors are the table in ``src/course_utils/README.md``; this test reads it, so the map and
the check cannot drift apart.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "course_utils"
ROW = re.compile(r"^\| `([\w.]+)` \| (\d+) \| (\w+) \| (.+) \|$")


def _floors(readme: str) -> dict[str, int]:
    """Module name (``text``, ``checks.chNN``) -> floor, from the README's table."""
    return {m.group(1): int(m.group(2)) for m in map(ROW.match, readme.splitlines()) if m}


def _modules() -> dict[str, Path]:
    """Dotted name inside the package (``cli``, ``checks.ch04``, ``__init__``) -> file."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        if parts[-1] == "__init__" and len(parts) > 1:
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def _imports(path: Path) -> set[str]:
    """The package modules a file imports (anywhere in it, functions included)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "course_utils":  # from course_utils import data, text
                targets = [f"course_utils.{alias.name}" for alias in node.names]
            else:
                targets = [node.module]
        else:
            continue
        for target in targets:
            if target.startswith("course_utils."):
                names.add(target.removeprefix("course_utils."))
    return names


def _floor_of(module: str, floors: dict[str, int]) -> int | None:
    if module in floors:
        return floors[module]
    if re.fullmatch(r"checks\.ch\d+", module):
        return floors.get("checks.chNN")
    return None


def _problems(floors: dict[str, int], modules: dict[str, Path]) -> list[str]:
    problems = []
    for module, path in modules.items():
        floor = _floor_of(module, floors)
        if floor is None:
            problems.append(f"{module} is not in the table of src/course_utils/README.md")
            continue
        for imported in sorted(_imports(path)):
            if imported not in modules:
                continue  # a name imported from a module (course_utils.text.BOS is not a file)
            target = _floor_of(imported, floors)
            earlier_checks = (
                module.startswith("checks.ch")
                and imported.startswith("checks.ch")
                and imported < module
            )
            if target is not None and target >= floor and not earlier_checks:
                problems.append(
                    f"{module} (floor {floor}) imports {imported} (floor {target}): "
                    "a module may import lower floors only"
                )
    return problems


def test_every_module_is_on_the_map_and_imports_downward_only() -> None:
    floors = _floors((PACKAGE / "README.md").read_text(encoding="utf-8"))
    assert {"validation", "cli", "grading", "student"} <= set(floors)
    assert _problems(floors, _modules()) == []


def test_validation_is_the_ground_floor() -> None:
    floors = _floors((PACKAGE / "README.md").read_text(encoding="utf-8"))
    assert floors["validation"] == 0
    assert _imports(PACKAGE / "validation.py") == set()


@pytest.mark.parametrize(
    ("module", "imports", "expected"),
    [
        ("validation", {"text"}, "validation (floor 0) imports text (floor 1)"),
        ("text", {"data"}, "text (floor 1) imports data (floor 1)"),
        ("grading", {"cli"}, "grading (floor 5) imports cli (floor 7)"),
        ("checks.ch04", {"checks.ch05"}, "checks.ch04 (floor 4) imports checks.ch05 (floor 4)"),
        ("answers", {"exercises"}, "answers (floor 0) imports exercises (floor 2)"),
        ("answer_checks", {"check_helpers"}, "answer_checks (floor 1) imports check_helpers"),
        ("figure_style", {"plotting"}, "figure_style (floor 1) imports plotting (floor 3)"),
    ],
)
def test_an_upward_or_sideways_import_is_reported(
    module: str, imports: set[str], expected: str, tmp_path: Path
) -> None:
    floors = _floors((PACKAGE / "README.md").read_text(encoding="utf-8"))
    fake = tmp_path / "fake.py"
    fake.write_text("".join(f"from course_utils.{name} import x\n" for name in imports))
    modules = {name: tmp_path / "empty.py" for name in _modules()}
    (tmp_path / "empty.py").write_text("")
    modules[module] = fake
    problems = _problems(floors, modules)
    assert len(problems) == 1 and problems[0].startswith(expected), problems


def test_an_earlier_chapters_checks_may_be_imported(tmp_path: Path) -> None:
    floors = _floors((PACKAGE / "README.md").read_text(encoding="utf-8"))
    (tmp_path / "empty.py").write_text("")
    modules = {name: tmp_path / "empty.py" for name in _modules()}
    fake = tmp_path / "ch05.py"
    fake.write_text("from course_utils.checks.ch04 import _sigmoid\nimport course_utils.text\n")
    modules["checks.ch05"] = fake
    assert _problems(floors, modules) == []
