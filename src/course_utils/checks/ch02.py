"""Exercises of chapter 2, "Word embeddings solve sparsity".

Introduced in: notebooks/02_word_embeddings.ipynb
"""

from __future__ import annotations

import math

import numpy as np

from course_utils.exercises import (
    CallableCheck,
    Check,
    EqualityCheck,
    Exercise,
    PredicateCheck,
    Status,
)

__all__ = ["q1", "q2", "q3", "q4"]


def _cosine(u, v):
    return float(np.dot(u, v) / (np.linalg.norm(u) * np.linalg.norm(v)))


_RNG = np.random.default_rng(20)
_VECTORS = [
    (np.array([1.0, 0.0]), np.array([0.0, 1.0])),
    (np.array([1.0, 2.0, 3.0]), np.array([2.0, 4.0, 6.0])),
    (np.array([1.0, 2.0, 3.0]), np.array([-1.0, -2.0, -3.0])),
    (np.array([3.0, 4.0]), np.array([4.0, 3.0])),
    *[(_RNG.normal(size=16), _RNG.normal(size=16)) for _ in range(3)],
]

q1 = Exercise(
    "Exercise 2.1",
    var="cosine",
    check=CallableCheck(list(_VECTORS), reference=_cosine, rtol=1e-9, atol=1e-12),
    hints=(
        "The cosine is the dot product divided by the product of the two lengths.",
        "`np.dot(u, v)` is the dot product and `np.linalg.norm(u)` the length of u.",
    ),
    solution="""\
def cosine(u, v):
    return float(np.dot(u, v) / (np.linalg.norm(u) * np.linalg.norm(v)))""",
)

_WORDS = "나는 무지 배가 고프다".split()
_PAIRS = [
    (_WORDS[i], _WORDS[j])
    for i in range(len(_WORDS))
    for j in (i - 1, i + 1)
    if 0 <= j < len(_WORDS)
]


def _check_pairs(value):
    if not isinstance(value, (list, tuple)):
        return False, f"expected a list of (centre, context) tuples, got {type(value).__name__}"
    try:
        got = [tuple(p) for p in value]
    except TypeError:
        return False, "every item must be a (centre, context) pair"
    if any(len(p) != 2 for p in got):
        return False, "every item must be a pair of two words: (centre, context)"
    if any(p[0] == p[1] for p in got):
        return False, "a word is never its own context"
    missing = [p for p in _PAIRS if p not in got]
    extra = [p for p in got if p not in _PAIRS]
    if extra:
        far = [p for p in extra if p[0] in _WORDS and p[1] in _WORDS]
        if far:
            return False, f"{far[0]} is not within a window of 1 word"
        return False, f"{extra[0]} is not a pair of words of the sentence"
    if missing:
        return False, f"{len(missing)} pair(s) missing, for example {missing[0]}"
    if len(got) != len(_PAIRS):
        return False, "some pairs are listed more than once"
    if got != _PAIRS:
        return False, "the right pairs, but not in the order asked for (by centre, then context)"
    return True, f"all {len(_PAIRS)} pairs, in order"


q2 = Exercise(
    "Exercise 2.2",
    var="answer_q2",
    check=PredicateCheck(_check_pairs, description="the skip-gram pairs of the sentence"),
    hints=(
        "With a window of 1, each word is paired with the word before it and the word after it, "
        "when they exist.",
        "The first word has only a right neighbour and the last only a left one: 4 words give "
        "1 + 2 + 2 + 1 = 6 pairs.",
    ),
    solution="""\
words_q2 = "나는 무지 배가 고프다".split()
answer_q2 = [
    (words_q2[i], words_q2[j])
    for i in range(len(words_q2))
    for j in (i - 1, i + 1)
    if 0 <= j < len(words_q2)
]""",
)


def _keep_gensim(count, total, sample=1e-3):
    """gensim's keep probability (``Word2Vec.prepare_vocab``): min(1, (sqrt(f/t) + 1) t/f)."""
    f = count / total
    return min(1.0, (math.sqrt(f / sample) + 1.0) * sample / f)


# (count, total, sample): frequent words, words just above and below the cap, NumPy integers
_KEEP_CASES = [
    (50_000, 1_000_000, 1e-3),
    (5_000, 1_000_000, 1e-3),
    (2_000, 1_000_000, 1e-3),
    (800, 1_000_000, 1e-3),
    (np.int64(30_000), np.int64(650_000), 1e-4),
    (np.int64(7), np.int64(650_000), 1e-4),
]

# Plausible wrong functions, each with the mistake it reveals.
_KEEP_MISTAKES = (
    (
        lambda c, n, t: min(1.0, math.sqrt(t * n / c)),
        "that is the paper's rule, sqrt(t/f); gensim (like the word2vec C code) keeps an "
        "occurrence with probability sqrt(t/f) + t/f, capped at 1",
    ),
    (
        lambda c, n, t: 1.0 - _keep_gensim(c, n, t),
        "that is the probability of discarding an occurrence; the question asks for the "
        "probability of keeping it",
    ),
    (
        lambda c, n, t: (math.sqrt(c / (t * n)) + 1.0) * t * n / c,
        "rare words get a value above 1: a probability is capped at 1, min(1, ...)",
    ),
)


def _drawn_keep_cases(rng: np.random.Generator) -> list[tuple]:
    """Six (count, total, sample) cases drawn like ``_KEEP_CASES``: f/t far above the cap of
    2.618 (two), just above it, just below it and far below it, then one more in NumPy ints."""
    cases = []
    ratios = [
        rng.uniform(20, 80),
        rng.uniform(4, 10),
        rng.uniform(2.8, 3.6),
        rng.uniform(1.2, 2.4),
        rng.uniform(0.01, 0.5),
        rng.uniform(30, 300),
    ]
    for i, ratio in enumerate(ratios):
        sample = float(rng.choice([1e-3, 1e-4, 1e-5]))
        total = int(rng.integers(200_000, 5_000_000))
        count = max(1, round(ratio * sample * total))
        if i >= 4:  # NumPy integers, as a Counter over an array gives them
            cases.append((np.int64(count), np.int64(total), sample))
        else:
            cases.append((count, total, sample))
    return [cases[i] for i in rng.permutation(len(cases))]


class _KeepProbabilityCheck(Check):
    """Runs ``keep_probability`` on the cases; a wrong function is matched to a typical mistake."""

    def __init__(self, cases: list[tuple] | None = None) -> None:
        self._args = list(_KEEP_CASES if cases is None else cases)
        self._cases = CallableCheck(list(self._args), reference=_keep_gensim, rtol=1e-9)

    def for_grading(self, seed: int) -> Check:
        """The same check on six cases drawn from the grader's seed (see _drawn_keep_cases)."""
        return _KeepProbabilityCheck(
            _drawn_keep_cases(np.random.default_rng([int(seed) % 2**63, 23]))
        )

    def _evaluate(self, value: object) -> tuple[Status, str]:
        result = self._cases(value)
        if result.status != "failed":
            return result.status, result.message
        for wrong, message in _KEEP_MISTAKES:
            try:
                if all(
                    math.isclose(float(value(*args)), wrong(*args), rel_tol=1e-9)  # type: ignore[operator]
                    for args in self._args
                ):
                    return "failed", message
            except Exception:
                break
        return "failed", result.message

    def describe(self) -> str:
        return "calls keep_probability(count, total, sample) on several cases"


q3 = Exercise(
    "Exercise 2.3",
    var="keep_probability",
    check=_KeepProbabilityCheck(),
    hints=(
        "Start from the relative frequency f = count / total; `sample` is the threshold t.",
        "gensim keeps an occurrence with probability (sqrt(f / t) + 1) * t / f, and never more "
        "than 1: rare words are always kept.",
    ),
    solution="""\
def keep_probability(count, total, sample=1e-3):
    f = count / total
    return min(1.0, (np.sqrt(f / sample) + 1) * sample / f)""",
)

_W = np.array([1000, 100, 10]) ** 0.75

q4 = Exercise(
    "Exercise 2.4",
    var="answer_q4",
    check=EqualityCheck(float(_W[2] / _W.sum()), rtol=1e-6, reveal=False),
    hints=(
        "Raise every count to the power 0.75, then normalise so the three values sum to 1.",
        "The rarest word's share is 10**0.75 / (1000**0.75 + 100**0.75 + 10**0.75).",
    ),
    solution="""\
weights = np.array([1000, 100, 10]) ** 0.75
answer_q4 = float(weights[2] / weights.sum())""",
)
