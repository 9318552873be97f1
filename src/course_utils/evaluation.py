"""How far a language model is from a reference, with the uncertainty of a finite test set.

Introduced in: notebooks/01_ngram_language_models.ipynb

On the hungry corpus the grammar gives every test sentence its exact probability, so a model's
cross-entropy can be compared with the grammar's own. That "limit" is a floor only in
expectation: on a finite test split the grammar's cross-entropy is itself a sample mean, with a
standard error of about 0.01 nats/token on the 1,000 test sentences, the size of the gaps the
chapters report. The gap between a model and the grammar *on the same sentences* is much more
precise, because both score the same draws and most of the sampling noise cancels: its standard
error is computed here from the per-sentence differences (a paired comparison).

With sentences :math:`s_1..s_m` of :math:`T_i` predicted tokens each (the words and ``</s>``),
model log-probabilities :math:`\\log q(s_i)` and reference log-probabilities
:math:`\\log p(s_i)`, the gap is the ratio of two sums,

.. math:: g = \\frac{\\sum_i d_i}{\\sum_i T_i}, \\qquad d_i = \\log p(s_i) - \\log q(s_i),

and its standard error is the usual one for a ratio estimator (the delta method, with sentences
as the independent units, because the tokens of one sentence are not independent):

.. math:: \\mathrm{se}(g) = \\frac{1}{\\sum_i T_i}
    \\sqrt{\\frac{m}{m-1} \\sum_i (d_i - g\\,T_i)^2}.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["GapEstimate", "cross_entropy_with_se", "paired_gap", "sentence_logprobs"]


def _check_sentences(sentences: object) -> list[list[str]]:
    if isinstance(sentences, str) or not isinstance(sentences, Iterable):
        raise TypeError(
            "sentences must be a list of tokenised sentences (lists of str); "
            f"got {type(sentences).__name__}"
        )
    rows = []
    for i, sentence in enumerate(sentences):
        if isinstance(sentence, str) or not isinstance(sentence, Sequence):
            raise TypeError(
                f"sentences[{i}] must be a list of str tokens; got {type(sentence).__name__}"
                + (" (split the sentence into tokens first)" if isinstance(sentence, str) else "")
            )
        for token in sentence:
            if not isinstance(token, str):
                raise TypeError(
                    f"sentences[{i}] holds a {type(token).__name__}, not a str token: {token!r}"
                )
        rows.append(list(sentence))
    if len(rows) < 2:
        raise ValueError(f"need at least 2 sentences to estimate a standard error; got {len(rows)}")
    return rows


def sentence_logprobs(model: object, sentences: Iterable[Sequence[str]]) -> np.ndarray:
    """The natural-log probability of each whole sentence (``</s>`` included) under ``model``.

    Args:
        model: Anything with ``logprob(tokens)`` (every language model of the book and
            :class:`~course_utils.data.HungryGrammar`); a ``sentence_logprobs(sentences)``
            method, which every model sharing :class:`course_utils.lm.LanguageModel` has, is
            used when present because a neural model scores a whole batch at once.
        sentences: Tokenised sentences (lists of str), without ``<s>``/``</s>`` markers.

    Returns:
        A float array with one log-probability per sentence.

    Raises:
        TypeError: If ``model`` cannot score sentences or ``sentences`` is not a list of token
            lists.
        ValueError: If there are fewer than 2 sentences.
    """
    rows = _check_sentences(sentences)
    batch = getattr(model, "sentence_logprobs", None)
    if callable(batch):
        values = np.asarray(batch(rows), dtype=float)
    elif callable(getattr(model, "logprob", None)):
        values = np.array([model.logprob(row) for row in rows], dtype=float)  # type: ignore[attr-defined]
    else:
        raise TypeError(
            f"model must be a language model with a logprob(tokens) method; got "
            f"{type(model).__name__}"
        )
    if values.shape != (len(rows),):
        raise ValueError(
            f"model returned {values.shape} log-probabilities for {len(rows)} sentences"
        )
    return values


def _tokens(rows: list[list[str]]) -> np.ndarray:
    return np.array([len(row) + 1 for row in rows], dtype=float)


def _ratio_se(values: np.ndarray, tokens: np.ndarray) -> float:
    """Standard error of sum(values) / sum(tokens), sentences as independent units."""
    m = len(values)
    mean = values.sum() / tokens.sum()
    residuals = values - mean * tokens
    return float(math.sqrt(m / (m - 1) * float(np.sum(residuals**2))) / tokens.sum())


def cross_entropy_with_se(model: object, sentences: Iterable[Sequence[str]]) -> tuple[float, float]:
    """A model's cross-entropy (nats per token) on ``sentences`` and its standard error.

    The standard error says how much the number would move on another test split of the same
    size drawn from the same source.

    Raises:
        TypeError, ValueError: As :func:`sentence_logprobs`.
    """
    rows = _check_sentences(sentences)
    logprobs = sentence_logprobs(model, rows)
    tokens = _tokens(rows)
    return float(-logprobs.sum() / tokens.sum()), _ratio_se(-logprobs, tokens)


@dataclass(frozen=True)
class GapEstimate:
    """A model's cross-entropy gap to a reference on one test set, with its standard errors.

    Attributes:
        model_ce: The model's cross-entropy, nats per token.
        reference_ce: The reference's cross-entropy on the same sentences.
        gap: ``model_ce - reference_ce``.
        se: The paired standard error of ``gap`` (sentence by sentence differences).
        reference_se: The standard error of ``reference_ce`` alone: how far the "limit" itself
            would move on another test split of the same size.
        sentences: The number of test sentences.
        tokens: The number of predicted tokens (words and ``</s>``).
    """

    model_ce: float
    reference_ce: float
    gap: float
    se: float
    reference_se: float
    sentences: int
    tokens: int

    def __str__(self) -> str:
        return f"{self.gap:.4f} ± {self.se:.4f}"


def paired_gap(model: object, reference: object, sentences: Iterable[Sequence[str]]) -> GapEstimate:
    """The cross-entropy gap between ``model`` and ``reference`` on the same test sentences.

    Args:
        model: A language model with ``logprob(tokens)`` (see :func:`sentence_logprobs`).
        reference: What the model is compared with, usually the true grammar
            (:class:`~course_utils.data.HungryGrammar`), or another model.
        sentences: The test sentences, tokenised, without markers. Every sentence must have a
            finite log-probability under the reference.

    Returns:
        A :class:`GapEstimate`; ``str()`` of it reads ``gap ± se``.

    Raises:
        TypeError: If either model cannot score sentences, or ``sentences`` is not a list of
            token lists.
        ValueError: If there are fewer than 2 sentences, or a sentence has probability 0 under
            either model.

    Example:
        >>> from course_utils import data, evaluation
        >>> from course_utils.ngram import NGramLM
        >>> grammar = data.HungryGrammar()
        >>> splits = grammar.splits()
        >>> lm = NGramLM(2, "kneser_ney").fit(splits["train"])
        >>> estimate = evaluation.paired_gap(lm, grammar, splits["test"])
        >>> estimate.gap > 3 * estimate.se
        True
    """
    rows = _check_sentences(sentences)
    q = sentence_logprobs(model, rows)
    p = sentence_logprobs(reference, rows)
    for name, values in (("model", q), ("reference", p)):
        bad = np.flatnonzero(~np.isfinite(values))
        if bad.size:
            raise ValueError(
                f"the {name} gives sentence {int(bad[0])} ({' '.join(rows[bad[0]])!r}) "
                "probability 0, so its cross-entropy is infinite"
            )
    tokens = _tokens(rows)
    differences = p - q
    return GapEstimate(
        model_ce=float(-q.sum() / tokens.sum()),
        reference_ce=float(-p.sum() / tokens.sum()),
        gap=float(differences.sum() / tokens.sum()),
        se=_ratio_se(differences, tokens),
        reference_se=_ratio_se(-p, tokens),
        sentences=len(rows),
        tokens=int(tokens.sum()),
    )
