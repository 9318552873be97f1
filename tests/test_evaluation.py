"""course_utils.evaluation: the paired gap and its standard error, checked against direct sums,
a simulation and the bad input a learner might pass."""

from __future__ import annotations

import math

import numpy as np
import pytest

from course_utils import evaluation
from course_utils.data import HungryGrammar
from course_utils.ngram import NGramLM


@pytest.fixture(scope="module")
def hungry():
    grammar = HungryGrammar()
    return grammar, grammar.splits()


class _Fixed:
    """A 'model' that returns given sentence log-probabilities, by sentence."""

    def __init__(self, values):
        self.values = dict(values)

    def logprob(self, tokens):
        return self.values[" ".join(tokens)]


def test_gap_and_cross_entropies_match_direct_sums(hungry):
    grammar, splits = hungry
    test = splits["test"]
    lm = NGramLM(2, "kneser_ney").fit(splits["train"])
    estimate = evaluation.paired_gap(lm, grammar, test)
    tokens = sum(len(s) + 1 for s in test)
    assert estimate.tokens == tokens and estimate.sentences == len(test)
    assert estimate.model_ce == pytest.approx(lm.cross_entropy(test), rel=1e-12)
    truth = -sum(grammar.logprob(s) for s in test) / tokens
    assert estimate.reference_ce == pytest.approx(truth, rel=1e-12)
    assert estimate.gap == pytest.approx(estimate.model_ce - estimate.reference_ce, abs=1e-12)
    # Pairing removes most of the noise: the gap is far more precise than the limit itself.
    assert 0 < estimate.se < estimate.reference_se / 2
    assert str(estimate) == f"{estimate.gap:.4f} ± {estimate.se:.4f}"
    ce, se = evaluation.cross_entropy_with_se(grammar, test)
    assert (ce, se) == pytest.approx((estimate.reference_ce, estimate.reference_se))


def test_standard_error_formula_on_a_hand_example():
    sentences = [["a"], ["a", "b"], ["a", "b", "c"]]  # 2, 3 and 4 predicted tokens
    model = _Fixed({"a": -3.0, "a b": -5.0, "a b c": -9.0})
    reference = _Fixed({"a": -2.0, "a b": -4.5, "a b c": -6.0})
    estimate = evaluation.paired_gap(model, reference, sentences)
    d = np.array([1.0, 0.5, 3.0])
    t = np.array([2.0, 3.0, 4.0])
    gap = d.sum() / t.sum()
    se = math.sqrt(3 / 2 * np.sum((d - gap * t) ** 2)) / t.sum()
    assert estimate.gap == pytest.approx(gap) and estimate.se == pytest.approx(se)


def test_standard_error_matches_the_spread_over_resampled_test_sets(hungry):
    grammar, splits = hungry
    lm = NGramLM(2, "kneser_ney").fit(splits["train"])
    test = splits["test"]
    gaps = []
    rng = np.random.default_rng(0)
    for _ in range(200):
        picked = [test[i] for i in rng.integers(len(test), size=len(test))]
        gaps.append(evaluation.paired_gap(lm, grammar, picked).gap)
    se = evaluation.paired_gap(lm, grammar, test).se
    assert np.std(gaps) == pytest.approx(se, rel=0.25)


@pytest.mark.parametrize(
    ("model", "sentences", "error", "fragment"),
    [
        (3, [["a"], ["b"]], TypeError, "model must be a language model"),
        (_Fixed({"a": -1.0}), [["a"]], ValueError, "at least 2 sentences"),
        (_Fixed({}), "나는 배가 고프다", TypeError, "got str"),
        (_Fixed({}), ["나는 배가", "고프다"], TypeError, "split the sentence into tokens"),
        (_Fixed({}), [["나는", 3], ["a"]], TypeError, "holds a int"),
        (_Fixed({"a": -math.inf, "b": -1.0}), [["a"], ["b"]], ValueError, "probability 0"),
    ],
)
def test_bad_input_gets_a_clear_error(model, sentences, error, fragment):
    reference = _Fixed({"a": -1.0, "b": -1.0})
    with pytest.raises(error, match=fragment):
        evaluation.paired_gap(model, reference, sentences)


def test_module_says_where_it_is_introduced():
    assert "Introduced in: notebooks/01_ngram_language_models.ipynb" in evaluation.__doc__
