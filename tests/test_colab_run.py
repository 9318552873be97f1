"""The Colab-versions report: what it counts as the same output and what as a difference."""

from __future__ import annotations

import json

import colab_run
import nbformat
import pytest


@pytest.fixture
def rules():
    return colab_run.sanitisers()


def stream(text: str) -> dict:
    return {"output_type": "stream", "name": "stdout", "text": text}


def test_output_text_keeps_stdout_and_results_drops_stderr_and_sanitises_timing(rules):
    outputs = [
        stream("loss 0.25\n"),
        {"output_type": "stream", "name": "stderr", "text": "a warning\n"},
        {"output_type": "execute_result", "data": {"text/plain": "42"}, "metadata": {}},
        stream("1/1 - 3ms/step\n"),
    ]
    assert colab_run.output_text(outputs, rules) == "loss 0.25\n42\n1/1 - T/step\n"


def test_numbers_that_differ_counts_changed_numbers_only_when_the_words_agree():
    assert colab_run.numbers_that_differ("a 0.97 b 12", "a 0.98 b 12") == 1
    assert colab_run.numbers_that_differ("Keras 3.15.1", "Keras 3.13.2") == 2
    assert colab_run.numbers_that_differ("gap 0.1", "gap 0.1 (new)") is None


def test_compare_reports_each_changed_line_of_a_marked_cell(tmp_path, monkeypatch, rules):
    marked = "# NBVAL_CHECK_OUTPUT\nprint(1)"
    refs = {
        "notebook": "x.ipynb",
        "cells": [
            {"source": marked, "outputs": [stream("acc 0.97\nsame line\n")]},
            {"source": marked, "outputs": [stream("unchanged\n")]},
        ],
    }
    (tmp_path / "x.json").write_text(json.dumps(refs), encoding="utf-8")
    monkeypatch.setattr(colab_run, "REFERENCE_DIR", tmp_path)
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(marked) for _ in range(2)]
    nb.cells[0].outputs = [nbformat.from_dict(stream("acc 0.98\nsame line\n"))]
    nb.cells[1].outputs = [nbformat.from_dict(stream("unchanged\n"))]
    found = colab_run.compare(nb, tmp_path / "x.ipynb", rules)
    assert (found["marked"], found["same"]) == (2, 1)
    [difference] = found["differences"]
    assert difference["cell"] == 1 and difference["numbers_that_differ"] == 1
    assert difference["lines"] == [{"book": "acc 0.97", "colab": "acc 0.98"}]
    report = colab_run.report(
        [{"notebook": "x.ipynb", "seconds": 1.0, "error": None, "stderr": [], **found}],
        {"keras": "3.13.2"},
    )
    assert "x.ipynb marked cell 1: 1 numbers differ" in report
    assert "  colab: acc 0.98" in report
