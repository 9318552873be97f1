"""The check of exercise 7.8 (sampling with a temperature), kept apart from ``ch07``.

The check calls the learner's ``sample(logits, temperature, rng)`` thousands of times with
generators of fixed seeds and runs chi-square tests on the draws; its graded copy
(:meth:`_SampleCheck.for_grading`) draws the logits, temperatures and seeds from the grader's
seed. :mod:`course_utils.checks.ch07` builds the exercise ``q8`` from it.

Introduced in: notebooks/07_keras_exercises.ipynb
"""

from __future__ import annotations

import warnings
from typing import Any, Final

import numpy as np

from course_utils.check_helpers import chi2_pvalue, raised_text, still_placeholder, type_text
from course_utils.exercises import Check, Status, as_number, is_placeholder

__all__: list[str] = []

_Q8_LOGITS: Final[np.ndarray] = np.array([2.0, 1.0, 0.5, 0.0, -1.0])
_Q8_DRAWS: Final[int] = 2000
_Q8_ALPHA: Final[float] = 1e-6  # a correct sampler fails with probability 1e-6 per test
_Q8_SHARP: Final[np.ndarray] = np.array([0.5, 2.0, 1.5, -1.0])  # temperature 0.01: index 1
_Q8_LARGE: Final[np.ndarray] = np.array([1000.0, 999.0, 990.0])  # np.exp overflows


def _softmax(logits: np.ndarray) -> np.ndarray:
    shifted = np.exp(logits - logits.max())
    return shifted / shifted.sum()


class _SampleCheck(Check):
    """Calls ``sample(logits, temperature, rng)`` thousands of times with fixed seeds."""

    def __init__(
        self,
        logits: np.ndarray = _Q8_LOGITS,
        temperatures: tuple[float, float, float] = (1.0, 0.5, 2.0),
        sharp: np.ndarray = _Q8_SHARP,
        large: np.ndarray = _Q8_LARGE,
        seeds: tuple[int, ...] = (0, 11, 101, 102, 103, 7, 8),
    ) -> None:
        self._logits, self._temperatures = logits, temperatures
        self._sharp, self._large, self._seeds = sharp, large, seeds

    def for_grading(self, seed: int) -> Check:
        """The same check on logits, temperatures and generator seeds drawn from the grader's
        seed: five logits spanning 3 (as the visible ones), temperatures 1, 0.5-0.7 and 1.5-2.5,
        four sharp logits whose largest leads by at least 0.5, and three logits near 750-1500."""
        rng = np.random.default_rng([int(seed) % 2**63, 78])
        raw = rng.uniform(0, 1, 5)
        logits = np.round(-1 + 3 * (raw - raw.min()) / (raw.max() - raw.min()), 2)
        low, high = (float(np.round(rng.uniform(*span), 2)) for span in ((0.5, 0.7), (1.5, 2.5)))
        sharp = np.round(rng.uniform(-1, 1.5, 4), 2)
        top = int(rng.integers(4))
        sharp[top] = np.round(np.delete(sharp, top).max() + rng.uniform(0.5, 1.0), 2)
        base = float(np.round(rng.uniform(750, 1500), 1))
        offsets = [0.0, -float(np.round(rng.uniform(0.5, 1.5), 2)), -float(rng.integers(8, 13))]
        large = base + np.array([offsets[i] for i in rng.permutation(3)])
        seeds = tuple(int(v) for v in rng.choice(10**6, 7, replace=False))
        return _SampleCheck(logits, (1.0, low, high), sharp, large, seeds)

    def _evaluate(self, value: object) -> tuple[Status, str]:
        if not callable(value):
            return (
                "failed",
                f"expected a function sample(logits, temperature, rng), got {type_text(value)}",
            )
        logits, seeds = self._logits, self._seeds
        first = self._draw(value, logits, 1.0, np.random.default_rng(seeds[0]))
        if isinstance(first, tuple):
            return first
        runs = [self._draws(value, logits, 1.0, 30, seed=seeds[1]) for _ in range(2)]
        for run in runs:
            if isinstance(run, tuple):
                return run
        if not np.array_equal(runs[0], runs[1]):
            return "failed", (
                "two runs with generators of the same seed gave different draws: use the rng you "
                "are given (rng.choice, rng.random, ...), not np.random.* or random.*"
            )
        for seed, temperature in zip(seeds[2:5], self._temperatures, strict=True):
            draws = self._draws(value, logits, temperature, _Q8_DRAWS, seed=seed)
            if isinstance(draws, tuple):
                return draws
            counts = np.bincount(draws, minlength=logits.size)
            target = _softmax(logits / temperature)
            if chi2_pvalue(counts, target) < _Q8_ALPHA:
                return "failed", self._explain(counts, temperature, logits)
        sharp = self._sharp
        draws = self._draws(value, sharp, 0.01, 100, seed=seeds[5])
        if isinstance(draws, tuple):
            return draws
        if not np.all(draws == int(np.argmax(sharp))):
            return "failed", (
                "at temperature 0.01 the largest logit should win (almost) every time, but other "
                "indices came up: divide the logits by the temperature before the softmax"
            )
        large = self._large
        draws = self._draws(value, large, 1.0, 1000, seed=seeds[6], large=True)
        if isinstance(draws, tuple):
            return draws
        counts = np.bincount(draws, minlength=large.size)
        if chi2_pvalue(counts, _softmax(large)) < _Q8_ALPHA:
            return "failed", (
                "with logits around 1000 the draws do not follow the softmax: subtract "
                "logits.max() before np.exp so that nothing overflows"
            )
        low, high = sorted(self._temperatures[1:])
        return "passed", (
            f"the draws follow softmax(logits / temperature) at temperatures {low:g}, 1 and "
            f"{high:g} (chi-square tests), give the arg-max at temperature 0.01, stay exact for "
            "logits around 1000 and depend only on rng."
        )

    @staticmethod
    def _draw(fn: Any, logits: np.ndarray, temperature: float, rng: Any, large: bool = False):
        """One index, or a (status, message) pair explaining why there is none."""
        shown = ", ".join(f"{v:g}" for v in logits)
        call = f"sample(np.array([{shown}]), {temperature:g}, rng)"
        try:
            with np.errstate(all="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                got = fn(logits.copy(), temperature, rng)
        except Exception as exc:
            message = raised_text(call, exc)
            if large:
                message += " (np.exp of large logits overflows to inf: subtract logits.max() first)"
            return "error", message
        if is_placeholder(got):
            return "not attempted", still_placeholder("sample()")
        index = as_number(got)  # an int, NumPy integer or 0-d integer array or tensor
        if not isinstance(index, int):  # a float cannot index the vocabulary's tokens
            return "failed", (
                f"{call} returned {type_text(got)} {got!r:.60}; it should return one index, an int "
                "(rng.choice(n, p=probs) and np.argmax both give one)"
            )
        if not 0 <= index < logits.size:
            message = f"{call} returned {index}, not an index between 0 and {logits.size - 1}"
            if large:
                message += " (np.exp of large logits overflows: subtract logits.max() first)"
            return "failed", message
        return index

    def _draws(self, fn, logits, temperature, n, *, seed, large=False):
        rng = np.random.default_rng(seed)
        out = np.empty(n, dtype=np.int64)
        for i in range(n):
            got = self._draw(fn, logits, temperature, rng, large)
            if isinstance(got, tuple):
                return got
            out[i] = got
        return out

    @staticmethod
    def _explain(counts: np.ndarray, temperature: float, logits: np.ndarray = _Q8_LOGITS) -> str:
        base = (
            f"at temperature {temperature:g} the draws do not follow softmax(logits / "
            f"{temperature:g}) (chi-square test, p < {_Q8_ALPHA:g})"
        )
        n = logits.size
        alternatives = (
            (_softmax(logits), "they follow softmax(logits): the temperature is ignored"),
            (
                _softmax(logits * temperature),
                "they follow softmax(logits * T): divide by the temperature, do not multiply",
            ),
            (np.full(n, 1 / n), "every index comes up equally often: use the probabilities"),
        )
        if counts.max() == counts.sum():
            return f"{base}: the same index every time; sample from the distribution"
        for probs, why in alternatives:
            if chi2_pvalue(counts, probs) >= _Q8_ALPHA:
                return f"{base}: {why}"
        return f"{base}: draw index i with probability softmax(logits / T)[i]"

    def describe(self) -> str:
        return "draws thousands of samples with fixed seeds and runs chi-square tests"
