"""Exercises of chapter 0, "The data and the tools".

Introduced in: notebooks/00_data_and_tools.ipynb
"""

from __future__ import annotations

from course_utils.data import HungryGrammar
from course_utils.exercises import (
    CallableCheck,
    EqualityCheck,
    Exercise,
    ParamCountCheck,
)

__all__ = ["q1", "q2", "q3"]

_GRAMMAR = HungryGrammar()
_Q1_SENTENCE = "할머니께서는 오늘 무지 목이 마르셨다"

q1 = Exercise(
    "Exercise 0.1",
    var="answer_q1",
    check=EqualityCheck(_GRAMMAR.prob(_Q1_SENTENCE), rtol=1e-9, reveal=False),
    hints=(
        "A sentence's probability is the product of the probabilities of its independent "
        "choices: subject, number of fillers, which fillers, intensifier, state, tense.",
        "With K = 1 filler the filler factor is `filler_count_probs[1]` times the chance of "
        "picking 오늘 among `len(grammar.fillers)` equally likely fillers.",
        "The predicate 마르셨다 adds no factor: it is fixed once the subject (honorific), the "
        "state (목이) and the tense (past) are chosen.",
    ),
    solution="""\
answer_q1 = (
    grammar.subjects["할머니께서는"]
    * grammar.filler_count_probs[1]
    * (1 / len(grammar.fillers))
    * grammar.intensifiers["무지"]
    * grammar.states["목이"]
    * grammar.tenses["past"]
)""",
)


def _mean_length(sentences):
    if not sentences:
        return 0.0
    return sum(len(s) for s in sentences) / len(sentences)


q2 = Exercise(
    "Exercise 0.2",
    var="mean_length",
    check=CallableCheck(
        [
            ([["나는", "엄청", "배가", "고프다"]],),
            ([["a"], ["a", "b"], ["a", "b", "c", "d"]],),
            ([],),
            ([[], ["x", "y"]],),
            (_GRAMMAR.sample(200, seed=11),),
        ],
        reference=_mean_length,
        rtol=1e-12,
        hidden=lambda rng: [
            *(
                (_GRAMMAR.sample(int(rng.integers(1, 60)), seed=int(rng.integers(10**6))),)
                for _ in range(3)
            ),
            ([],),
            ([[], ["x"] * int(rng.integers(1, 9))],),
        ],
    ),
    hints=(
        "The mean is the total number of tokens divided by the number of sentences.",
        "`len(s)` is the number of tokens of one sentence; `sum(len(s) for s in sentences)` "
        "adds them up. Handle the empty list before dividing.",
    ),
    solution="""\
def mean_length(sentences):
    if not sentences:
        return 0.0
    return sum(len(s) for s in sentences) / len(sentences)""",
)

q3 = Exercise(
    "Exercise 0.3",
    var="answer_q3",
    check=ParamCountCheck((len(_GRAMMAR.vocabulary) + 2) * 8),
    hints=(
        "`input_dim` is the number of distinct ids: the vocabulary plus the two extra ids.",
        "An Embedding has no bias: its only weight is a matrix of shape (input_dim, output_dim). "
        "Build it with `layer.build((None,))` before counting.",
    ),
    solution="""\
answer_q3 = keras.layers.Embedding(input_dim=len(grammar.vocabulary) + 2, output_dim=8)
answer_q3.build((None,))""",
)
