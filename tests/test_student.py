"""Student versions of the chapter notebooks: `course_utils.student`, `course-utils student`."""

from __future__ import annotations

import doctest
import json
from pathlib import Path

import nbformat
import pytest
from grading_helpers import (
    CH04,
    CHECKS,
    IMPORTS,
    ROOT,
    SOLUTIONS,
    STUBS,
    assert_documented,
    full_notebook,
    notebook,
    run_main,
    write,
)

from course_utils import student as student_module
from course_utils.student import ANSWER_REMOVED, _without_folded_answers, student_notebook


def test_public_api_is_documented() -> None:
    assert_documented(student_module)


def test_docstring_examples_are_correct() -> None:
    failures, _ = doctest.testmod(student_module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert failures == 0


def test_student_notebook_removes_solutions_and_keeps_the_rest() -> None:
    full = full_notebook()
    before = json.dumps(full, sort_keys=True)
    student, removed = student_notebook(full)
    assert json.dumps(full, sort_keys=True) == before, "the argument must not be modified"
    assert removed == 5
    expected = [c for c in full.cells if "solution" not in c.metadata.get("tags", [])]
    assert [c.id for c in student.cells] == [c.id for c in expected]
    assert [c.source for c in student.cells] == [c.source for c in expected]
    assert [c.metadata for c in student.cells] == [c.metadata for c in expected]
    assert student.metadata == full.metadata
    assert (student.nbformat, student.nbformat_minor) == (full.nbformat, full.nbformat_minor)
    for cell in student.cells:
        assert "solution" not in cell.metadata.get("tags", [])
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
    sources = [c.source for c in student.cells]
    assert all(stub in sources for stub in STUBS)
    assert all(check in sources for check in CHECKS)
    assert not any(solution in sources for solution in SOLUTIONS)
    nbformat.validate(student)


def test_student_command_writes_and_reports(tmp_path: Path) -> None:
    source = write(full_notebook(), tmp_path / "src" / "04_demo.ipynb")
    original = source.read_bytes()
    code, out, err = run_main("student", source.parent, "--out", tmp_path / "dist")
    assert code == 0, err
    written = tmp_path / "dist" / "04_demo.ipynb"
    assert out.splitlines() == [f"wrote {written} (5 solution cells removed)"]
    assert source.read_bytes() == original
    student = nbformat.read(written, as_version=4)
    assert len(student.cells) == len(full_notebook().cells) - 5


def test_student_version_runs_and_reports_not_attempted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from nbclient import NotebookClient

    student, _ = student_notebook(full_notebook())
    log = tmp_path / "results.jsonl"
    monkeypatch.setenv("COURSE_UTILS_RESULTS", str(log))
    NotebookClient(
        student,
        timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
        allow_errors=False,
    ).execute()  # raises on any error
    lines = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert [line["question"] for line in lines] == CH04
    assert {line["status"] for line in lines} == {"not attempted"}


def test_student_versions_of_the_chapter_notebooks(tmp_path: Path) -> None:
    """What `make student` does: every notebook, solutions removed, nothing else changed."""
    code, out, err = run_main("student", ROOT / "notebooks", "--out", tmp_path)
    assert code == 0, err
    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    assert len(out.splitlines()) == len(notebooks)
    for path in notebooks:
        full = nbformat.read(path, as_version=4)
        student = nbformat.read(tmp_path / path.name, as_version=4)
        kept = [c for c in full.cells if "solution" not in c.metadata.get("tags", [])]
        is_chapter = path.name[:2].isdigit()  # appendix_*.ipynb have no exercises
        assert (len(kept) < len(full.cells)) == is_chapter, path.name
        assert [_without_folded_answers(c.source) for c in kept] == [
            c.source for c in student.cells
        ]
        assert ":class: dropdown" not in "".join(c.source for c in student.cells), path.name
        assert [c.id for c in student.cells] == [c.id for c in kept]
        assert student.metadata == full.metadata
        removed = len(full.cells) - len(kept)
        assert f"{tmp_path / path.name} ({removed} solution cells removed)" in out


def _refusal(tmp_path: Path, *args: object) -> str:
    code, out, err = run_main("student", *args)
    assert code == 2, (out, err)
    assert err.startswith("course-utils student: error: ")
    return err


def test_student_refuses_bad_sources(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    assert "no such file or folder" in _refusal(tmp_path, tmp_path / "missing.ipynb", "--out", dist)
    text = tmp_path / "notes.txt"
    text.write_text("hello", encoding="utf-8")
    assert "not a notebook" in _refusal(tmp_path, text, "--out", dist)
    broken = tmp_path / "broken.ipynb"
    broken.write_text("{ not json", encoding="utf-8")
    err = _refusal(tmp_path, broken, "--out", dist)
    assert "broken.ipynb: not a valid notebook" in err
    empty = tmp_path / "empty"
    empty.mkdir()
    assert "has no notebooks" in _refusal(tmp_path, empty, "--out", dist)
    assert not dist.exists()


def test_student_refuses_an_out_that_would_overwrite_sources(tmp_path: Path) -> None:
    src = tmp_path / "src"
    notebook = write(full_notebook(), src / "04_demo.ipynb")
    original = notebook.read_bytes()
    assert "is the source" in _refusal(tmp_path, src, "--out", src)
    assert "would overwrite the source notebook" in _refusal(tmp_path, notebook, "--out", src)
    assert "exists and is not a folder" in _refusal(tmp_path, src, "--out", notebook)
    other = write(full_notebook(), tmp_path / "other" / "04_demo.ipynb")
    err = _refusal(tmp_path, notebook, other, "--out", tmp_path / "dist")
    assert "have the same file name" in err
    assert notebook.read_bytes() == original
    assert not (tmp_path / "dist").exists()


def test_student_refuses_a_solution_without_stub_or_check(tmp_path: Path) -> None:
    good = write(full_notebook(), tmp_path / "good.ipynb")
    no_check = full_notebook()
    del no_check.cells[5]  # the check of exercise 4.1
    write(no_check, tmp_path / "no_check.ipynb")
    no_stub = full_notebook()
    del no_stub.cells[3]  # the stub of exercise 4.1
    write(no_stub, tmp_path / "no_stub.ipynb")
    dist = tmp_path / "dist"
    err = _refusal(tmp_path, good, tmp_path / "no_check.ipynb", "--out", dist)
    assert "no_check.ipynb: the solution cell 5 of 22" in err
    assert "is not followed by a check cell" in err
    err = _refusal(tmp_path, tmp_path / "no_stub.ipynb", "--out", dist)
    assert "no_stub.ipynb: the solution cell 4 of 22" in err
    assert "is not preceded by a stub" in err
    assert not dist.exists(), "nothing is written when one source is refused"


def test_consecutive_solution_cells_form_one_exercise() -> None:
    nb = notebook(IMPORTS, STUBS[0], "x = 1", SOLUTIONS[0], CHECKS[0])
    for cell in nb.cells[2:4]:
        cell.metadata["tags"] = ["solution"]
    student, removed = student_notebook(nb)
    assert removed == 2
    assert [c.source for c in student.cells] == [IMPORTS, STUBS[0], CHECKS[0]]


def test_student_versions_leave_out_the_folded_model_answers() -> None:
    """Written questions' answers sit in dropdowns in the book; Jupyter would show them open."""
    markdown = (
        "**Exercise 9.9 (think).** Why?\n\n"
        "```{admonition} A model answer\n:class: dropdown\nBecause the gates say so.\n```\n\n"
        "```{admonition} Keep me\n:class: tip\nA tip stays.\n```\n"
        "~~~~{admonition} Tilde fence\n:class: note dropdown\n```python\nx = 1\n```\n~~~~\n"
    )
    text = _without_folded_answers(markdown)
    assert "Because the gates" not in text and "x = 1" not in text
    assert text.count(ANSWER_REMOVED) == 2
    assert "A tip stays." in text and text.startswith("**Exercise 9.9 (think).** Why?")
    nb = full_notebook()
    nb.cells.insert(0, nbformat.v4.new_markdown_cell(markdown))
    student, _ = student_notebook(nb)
    assert student.cells[0].source == text
    answers = 0
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        full = nbformat.read(path, as_version=4)
        answers += sum(":class: dropdown" in c.source for c in full.cells)
        student, _ = student_notebook(full)
        assert not any(":class: dropdown" in c.source for c in student.cells), path.name
    assert answers >= 3  # chapters 5, 7 and 8 each fold one model answer
