"""Exercises of chapter 1, "Language models and the sparsity problem".

Introduced in: notebooks/01_ngram_language_models.ipynb
"""

from __future__ import annotations

import math
from fractions import Fraction

from course_utils.exercises import (
    CallableCheck,
    EqualityCheck,
    Exercise,
    PredicateCheck,
    as_number,
)
from course_utils.ngram import NGramLM

__all__ = ["q1", "q2", "q3", "q4", "q5", "q6"]

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


def _hidden_add_k(rng):
    """Graded cases of 1.2: counts, vocabulary sizes and k drawn from the grader's generator."""
    cases = []
    for k in (1.0, 0.5, float(f"{rng.uniform(0.01, 2):.3g}"), float(f"{rng.uniform(0.01, 2):.3g}")):
        count_h = int(rng.integers(0, 30_000))
        cases.append((int(rng.integers(0, count_h + 1)), count_h, int(rng.integers(1, 30_000)), k))
    return cases


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
        hidden=_hidden_add_k,
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
sentences_q4 = [
    "나는 엄청 배가 고프다",
    "나는 무지 목이 마르다",
    "친구는 무지 배가 고프다",
]
corpus_q4 = [s.split() for s in sentences_q4]
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

_KN_CORPUS = [
    s.split()
    for s in [
        "나는 엄청 배가 고프다",
        "형은 엄청 배가 고프다",
        "나는 무지 배가 고프다",
        "나는 무지 목이 마르다",
    ]
]
_KN = NGramLM(2, "kneser_ney").fit(_KN_CORPUS)
_Q6_TOLERANCE = 5e-4  # an answer rounded to four decimals passes


def _q6_values() -> dict[str, float]:
    """The right answer and the answers of the usual mistakes, from the model's own counts."""
    d = _KN.discounts[2][0]  # the single default discount, 0.75
    bigrams = _KN.ngram_table(2)
    c_vw, c_v = _KN.count(("무지", "배가")), _KN.context_count(("무지",))
    followers = sum(1 for h, _ in bigrams if h == "무지")  # N1+(무지 .)
    lam = d * followers / c_v
    top = (c_vw - d) / c_v
    size = len(_KN.vocabulary)
    types = len(bigrams)  # N1+(. .)
    continued = sum(1 for w in _KN.vocabulary if _KN.continuation_count(w) > 0)
    p_cont = (_KN.continuation_count("배가") - d) / types + d * continued / types / size
    tokens = _KN.context_count(())  # every predicted token, </s> included
    count = _KN.count(("배가",))
    seen = sum(1 for w in _KN.vocabulary if _KN.count((w,)) > 0)
    return {
        "right": _KN.prob("배가", ("무지",)),
        "no lambda": top,
        "counts": top + lam * ((count - d) / tokens + d * seen / tokens / size),
        "unigram MLE": top + lam * count / tokens,
        "plain continuation": top + lam * _KN.continuation_count("배가") / types,
        "no discount": c_vw / c_v + lam * p_cont,
    }


_Q6 = _q6_values()
_Q6_EXACT = Fraction(_Q6["right"]).limit_denominator(100_000)  # 157/640
_USE_CONTINUATION = (
    "the lower order uses continuation counts, not counts: N1+(. 배가) is the number of "
    "different words seen right before 배가, divided by N1+(. .), the number of different bigrams."
)
_Q6_MISTAKES = {
    "no lambda": "that is only the discounted bigram term (c(무지 배가) - D) / c(무지). Add "
    "lambda(무지) * P_cont(배가): the mass the discount freed, D * N1+(무지 .) / c(무지), "
    "passed on to the lower order.",
    "counts": _USE_CONTINUATION,
    "unigram MLE": _USE_CONTINUATION,
    "plain continuation": "close: the lowest order is discounted too. P_cont(배가) = "
    "(N1+(. 배가) - D) / N1+(. .) + lambda(empty) / |V|, with lambda(empty) = D * (the number "
    "of words with a continuation count) / N1+(. .).",
    "no discount": "the top order subtracts D from the count too: (c(무지 배가) - D) / c(무지).",
}


def _q6_check(value: object) -> tuple[bool, str]:
    number = as_number(value)
    if number is None:
        return False, f"expected a number (a float or a Fraction), got {type(value).__name__}"
    got = float(number)
    if not math.isfinite(got):
        return False, f"got {got}: a probability is a finite number between 0 and 1"
    if abs(got - _Q6["right"]) <= _Q6_TOLERANCE:
        exact = f" (exactly {_Q6_EXACT})" if number == _Q6_EXACT else ""
        return True, f"P_KN(배가 | 무지) = {_Q6['right']:.4f}{exact}, as NGramLM computes it"
    for mistake, message in _Q6_MISTAKES.items():
        if abs(got - _Q6[mistake]) <= _Q6_TOLERANCE:
            return False, message
    side = "too large" if got > _Q6["right"] else "too small"
    return False, (
        f"got {got:.4f}, which is {side}. Work through the formulas of section 1.5 term by "
        "term; q6.hint() names the usual mistakes."
    )


q6 = Exercise(
    "Exercise 1.6",
    var="answer_q6",
    check=PredicateCheck(_q6_check, description="the Kneser-Ney probability P(배가 | 무지)"),
    hints=(
        "Top order: (c(무지 배가) - D) / c(무지), plus lambda(무지) * P_cont(배가) with "
        "lambda(무지) = D * N1+(무지 .) / c(무지). Forgetting the lambda term is the most common "
        "mistake.",
        "P_cont counts *different left neighbours*, not occurrences: N1+(. 배가) is the number "
        "of different words seen right before 배가, and N1+(. .) the number of different "
        "bigrams (<s> 나는 and 고프다 </s> count too). Using how often 배가 occurs is the other "
        "usual mistake.",
        "The lowest order is discounted too: P_cont(배가) = (N1+(. 배가) - D) / N1+(. .) + "
        "lambda(empty) / |V|, with lambda(empty) = D * (the number of words with a "
        "continuation count) / N1+(. .) and |V| = 10 (eight words, </s> and <unk>).",
    ),
    solution="""\
D = Fraction(3, 4)
# top order: c(무지 배가) = 1, c(무지) = 2, N1+(무지 .) = 2 (배가, 목이)
top = (1 - D) / 2
lambda_v = D * 2 / 2
# lower order: N1+(. 배가) = 2 (엄청, 무지); N1+(. .) = 12 different
# bigrams; 9 words have a continuation count; |V| = 10
lambda_empty = D * 9 / 12
p_cont = (2 - D) / 12 + lambda_empty / 10
answer_q6 = top + lambda_v * p_cont
answer_q6""",
)
