"""The exercises of chapter 2: a correct answer passes, typical mistakes get a specific reason."""

from __future__ import annotations

import sys
import types

import numpy as np
import pytest

from course_utils.checks.ch02 import q1, q2, q3, q4
from course_utils.exercises import ____


def test_q1_cosine():
    def right(u, v):
        return float(np.dot(u, v) / (np.linalg.norm(u) * np.linalg.norm(v)))

    assert q1.check(right).status == "passed"
    assert q1.check(lambda u, v: float(np.dot(u, v))).status == "failed"  # forgot to normalise
    assert q1.check(lambda u, v: ____).status == "not attempted"


def test_q2_pairs():
    words = "나는 무지 배가 고프다".split()
    right = [(words[i], words[j]) for i in range(4) for j in (i - 1, i + 1) if 0 <= j < 4]
    assert q2.check(right).status == "passed"
    assert q2.check(list(reversed(right))).status == "failed"
    missing = q2.check(right[:-1])
    assert missing.status == "failed" and "missing" in missing.message
    too_far = q2.check([*right, ("나는", "배가")])
    assert too_far.status == "failed" and "window of 1" in too_far.message
    assert "own context" in q2.check([("나는", "나는")]).message
    assert q2.check("나는 무지").status == "failed"
    assert q2.check(____).status == "not attempted"


def test_q3_reads_the_vocabulary_of_the_notebook(monkeypatch):
    main = types.ModuleType("__main__")
    monkeypatch.setitem(sys.modules, "__main__", main)
    assert "run the Shakespeare section" in q3.check(100).message
    main.en_vocab = list(range(3108))
    assert q3.check(2 * 3108 * 50).status == "passed"
    one_table = q3.check(3108 * 50)
    assert one_table.status == "failed" and "one table" in one_table.message
    assert q3.check("310800").status == "failed"


def test_q4_negative_sampling_probability():
    w = np.array([1000, 100, 10]) ** 0.75
    assert q4.check(float(w[2] / w.sum())).status == "passed"
    unigram = q4.check(10 / 1110)
    assert unigram.status == "failed" and "too small" in unigram.message


@pytest.mark.parametrize("exercise", [q1, q2, q3, q4], ids=["q1", "q2", "q3", "q4"])
def test_hints_and_solutions(exercise):
    assert "Hint 1/" in repr(exercise.hint(1))
    assert exercise.solution().text.strip()
