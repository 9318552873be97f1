"""Exercises of chapter 1, "Language models and the sparsity problem".

Introduced in: notebooks/01_ngram_language_models.ipynb
"""

from __future__ import annotations

import math

from course_utils.exercises import CallableCheck, EqualityCheck, Exercise
from course_utils.ngram import NGramLM

__all__ = ["q1", "q2", "q3", "q4", "q5"]

_CORPUS = [
    s.split() for s in ["나는 엄청 배가 고프다", "나는 무지 목이 마르다", "친구는 무지 배가 고프다"]
]

q1 = Exercise(
    "Exercise 1.1",
    var="answer_q1",
    check=EqualityCheck(NGramLM(2, "mle").fit(_CORPUS).prob("배가", ("무지",)), reveal=False),
    hints=(
        "MLE: P(배가 | 무지) = c(무지 배가) / c(무지). Count both in the three sentences.",
        "무지 appears in two sentences. What follows it in each?",
    ),
    solution="answer_q1 = 1 / 2  # 무지 is followed once by 목이 and once by 배가",
)


def _add_k(count_hw, count_h, vocab_size, k):
    return (count_hw + k) / (count_h + k * vocab_size)


q2 = Exercise(
    "Exercise 1.2",
    var="add_k",
    check=CallableCheck(
        [
            (0, 0, 10, 1.0),
            (3, 10, 100, 1.0),
            (3, 10, 100, 0.5),
            (0, 27_000, 25_000, 1.0),
            (5, 5, 1, 0.01),
            (2, 7, 39, 0.1),
        ],
        reference=_add_k,
        rtol=1e-12,
    ),
    hints=(
        "Every one of the |V| possible words gets k extra (pseudo-)counts after the history h.",
        "Numerator: c(h w) + k. Denominator: the history's count plus all the pseudo-counts, "
        "c(h) + k * |V|.",
    ),
    solution="""\
def add_k(count_hw, count_h, vocab_size, k):
    return (count_hw + k) / (count_h + k * vocab_size)""",
)


def _perplexity(probs):
    if any(p == 0 for p in probs):
        return math.inf
    return math.exp(-sum(math.log(p) for p in probs) / len(probs))


q3 = Exercise(
    "Exercise 1.3",
    var="perplexity",
    check=CallableCheck(
        [
            ([0.5, 0.5],),
            ([0.25] * 4,),
            ([0.1, 0.2, 0.3, 0.4],),
            ([1.0],),
            ([0.5, 0.0, 0.5],),
            ([1e-3, 0.9, 0.05],),
        ],
        reference=_perplexity,
        rtol=1e-9,
    ),
    hints=(
        "Perplexity is exp of the cross-entropy, and the cross-entropy is the mean of -ln p.",
        "Sanity check: a model that gives every token probability 1/4 has perplexity 4.",
        "Return math.inf before taking logarithms if any probability is 0 (log(0) raises).",
    ),
    solution="""\
def perplexity(probs):
    if any(p == 0 for p in probs):
        return math.inf
    return math.exp(-sum(math.log(p) for p in probs) / len(probs))""",
)

q4 = Exercise(
    "Exercise 1.4",
    var="answer_q4",
    check=EqualityCheck(
        {
            name: NGramLM(2, name).fit(_CORPUS).prob("엄청", ("친구는",))
            for name in ("mle", "add_k", "kneser_ney")
        },
        rtol=1e-9,
    ),
    hints=(
        "`NGramLM(2, name).fit(corpus_q4)` trains a model; `.prob(word, context)` takes the "
        'context as a tuple of order - 1 = 1 token: `("친구는",)`.',
        "MLE gives exactly 0. Add-1 gives (0 + 1) / (c(친구는) + |V|), where the model's "
        "vocabulary also contains </s> and <unk>. Kneser-Ney gives the discounted mass of "
        "친구는 times the continuation probability of 엄청.",
    ),
    solution="""\
answer_q4 = {
    name: NGramLM(2, name).fit(corpus_q4).prob("엄청", ("친구는",))
    for name in ["mle", "add_k", "kneser_ney"]
}""",
)

q5 = Exercise(
    "Exercise 1.5",
    thought=True,
    solution=(
        "With n = 12 every context is almost the whole sentence so far, and most such contexts "
        "(a subject, a particular sequence of fillers, an intensifier and a noun) occur rarely or "
        "never in 5,000 training sentences: the counts are too sparse to estimate anything, and "
        "smoothing backs off to the short contexts that do not contain the subject. The model "
        "would need to count the subject *and* skip the fillers in between, i.e. to learn that "
        "the fillers do not matter: a counting model cannot share statistics between contexts "
        "that differ only in irrelevant words. Recurrent networks learn such a summary in their "
        "state."
    ),
)
