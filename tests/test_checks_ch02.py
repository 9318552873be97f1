"""The exercises of chapter 2: a correct answer passes, typical mistakes get a specific reason."""

from __future__ import annotations

import math

import numpy as np
import pytest

from course_utils.checks.ch02 import _KEEP_CASES, _keep_gensim, q1, q2, q3, q4
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


def test_q3_keep_probability_accepts_float_int_and_numpy_variants():
    def right(count, total, sample=1e-3):
        f = count / total
        return min(1.0, (math.sqrt(f / sample) + 1) * sample / f)

    def right_numpy(count, total, sample=1e-3):  # np.float64 results
        f = np.float64(count) / total
        return np.minimum(1.0, np.sqrt(sample / f) + sample / f)

    def right_int_cap(count, total, sample=1e-3):  # returns the int 1 for rare words
        f = count / total
        keep = (f / sample) ** 0.5 * sample / f + sample / f
        return 1 if keep >= 1 else keep

    for function in (right, right_numpy, right_int_cap):
        assert q3.check(function).status == "passed", function.__name__


def test_q3_names_the_likely_mistake():
    def paper(count, total, sample=1e-3):
        return min(1.0, math.sqrt(sample * total / count))

    def discard(count, total, sample=1e-3):
        f = count / total
        return 1 - min(1.0, (math.sqrt(f / sample) + 1) * sample / f)

    def uncapped(count, total, sample=1e-3):
        f = count / total
        return (math.sqrt(f / sample) + 1) * sample / f

    result = q3.check(paper)
    assert result.status == "failed" and "paper's rule" in result.message
    result = q3.check(discard)
    assert result.status == "failed" and "discarding" in result.message
    result = q3.check(uncapped)
    assert result.status == "failed" and "capped at 1" in result.message
    other = q3.check(lambda count, total, sample=1e-3: count / total)
    assert other.status == "failed" and "expected" in other.message


def test_q3_stub_errors_and_non_functions():
    assert q3.check(lambda count, total, sample=1e-3: ____).status == "not attempted"
    assert q3.check(____).status == "not attempted"
    assert q3.check(lambda count: count).status == "error"
    assert q3.check(0.16).status in {"failed", "error"}


def test_q4_negative_sampling_probability():
    w = np.array([1000, 100, 10]) ** 0.75
    assert q4.check(float(w[2] / w.sum())).status == "passed"
    unigram = q4.check(10 / 1110)
    assert unigram.status == "failed" and "too small" in unigram.message


@pytest.mark.parametrize("exercise", [q1, q2, q3, q4], ids=["q1", "q2", "q3", "q4"])
def test_hints_and_solutions(exercise):
    assert "Hint 1/" in repr(exercise.hint(1))
    assert exercise.solution().text.strip()


# --- The grader's hidden test cases (issue 17) ---------------------------------------------------


def _keep_solution():
    namespace = {"np": np}
    exec(q3._solution, namespace)
    return namespace["keep_probability"]


def test_q3_graded_cases_are_drawn_from_the_seed():
    first, again, other = (q3._check.for_grading(seed) for seed in (1, 1, 2))
    assert first._args == again._args != other._args
    assert q3._check._args == list(_KEEP_CASES)  # the visible cases are untouched
    for seed in (1, 2, 3):
        assert q3._check.for_grading(seed)(_keep_solution()).status == "passed"


def test_q3_a_memoriser_passes_the_visible_cases_only():
    """Without for_grading the graded check was the visible one, and this passed it."""
    table = {tuple(float(v) for v in args): _keep_gensim(*args) for args in _KEEP_CASES}

    def keep_probability(count, total, sample=1e-3):
        return table.get((float(count), float(total), float(sample)), 0.5)

    assert q3.check(keep_probability).status == "passed"
    for seed in (1, 2, 3):
        assert q3._check.for_grading(seed)(keep_probability).status == "failed"


def test_q3_graded_cases_still_name_the_mistakes():
    paper = q3._check.for_grading(4)(lambda c, n, t=1e-3: min(1.0, math.sqrt(t * n / c)))
    assert paper.status == "failed" and "paper's rule" in paper.message
    uncapped = q3._check.for_grading(5)(
        lambda c, n, t=1e-3: (math.sqrt(c / (t * n)) + 1.0) * t * n / c
    )
    assert uncapped.status == "failed" and "capped at 1" in uncapped.message
