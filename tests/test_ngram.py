"""Tests of course_utils.ngram: hand-computed values, probability axioms, nltk.lm as an oracle.

How our models relate to ``nltk.lm`` (nltk 3.10.4, read from its source)
========================================================================

Both are fitted on the same sentences; nltk through
``padded_everygram_pipeline(order, sentences)``. The definitions differ in five ways:

1. **Right padding.** nltk's ``pad_both_ends`` adds ``order - 1`` ``"</s>"`` on the right; we
   add one EOS (a sentence ends once). nltk therefore also counts n-grams such as
   ``("고프다", "</s>", "</s>")`` and ``("</s>", "</s>")``: they matter only after a context
   that contains ``"</s>"``, and in nltk's Kneser-Ney unigram level (point 4).
2. **Every window is counted.** ``everygrams`` counts all windows of length 1..order of the
   padded sentence, including those made of padding only: for a trigram model the unigram
   ``("<s>",)`` and the bigram ``("<s>", "<s>")``. We count only the windows that end on a
   predicted token, so our lower-order counts never contain BOS as the predicted word.
3. **Vocabulary.** nltk's ``Vocabulary`` holds every padded token, so ``"<s>"`` is a word
   nltk can "predict", plus its unknown label ``"<UNK>"`` (ours: ``"<unk>"``). Hence
   ``len(nltk_vocab) == len(our_vocab) + 1`` and the Laplace/Lidstone denominator
   ``c(h) + k |V|`` differs by ``k``.
4. **Kneser-Ney's lowest order.** In this nltk version ``KneserNey.unigram_score`` is the pure
   continuation probability ``N1+(. w) / N1+(. .)`` over nltk's bigram types (older nltk
   releases used a uniform ``1 / |V|``): no discount and no uniform part, so ``"<UNK>"`` gets
   probability 0 (and an OOV word makes the perplexity infinite) unless the training data
   contained it, while ``"<s>"`` gets a positive one. Our default interpolates the discounted
   continuation unigram with the uniform ``1 / |V|`` (Chen & Goodman 1999), as KenLM does.
5. **A quirk of nltk's Kneser-Ney (arguably a bug).** Below the top order nltk's interpolation
   weight is ``D * N1+(h .) / N1+(. h .)`` with ``N1+(h .)`` counted on the *raw* n-grams. The
   raw and the continuation followers differ only for the all-``<s>`` context of length
   ``order - 2``, whose raw followers include ``"<s>"`` itself (the window ``<s> <s>``) while no
   word precedes that window. So for ``order >= 3`` nltk's ``P(. | <s>, <s>)`` sums to more
   than 1 (``1 + gamma(<s> <s>) * D / F`` with F distinct first words; 1.1875 in
   :func:`test_nltk_kneser_ney_quirk_at_the_sentence_start_is_documented`).

How the tests reconcile them:

* ``NGramLM(..., nltk_compat=True)`` reproduces points 1-5 exactly (nltk's padding and
  windows, BOS in the vocabulary, nltk's unigram level and its raw-follower weight). With it
  *every* probability agrees with nltk (MLE, Laplace, Lidstone, Kneser-Ney; orders 2 and 3;
  every context nltk counted, including those with ``"</s>"``, plus unseen contexts and
  contexts with unknown words; every word of nltk's vocabulary, ``"<s>"`` and ``"<UNK>"``
  included, plus an unknown word), to 1e-12. The only translation left is the unknown label
  ``"<UNK>"`` <-> ``"<unk>"`` (:func:`_to_nltk`).
* With our default conventions the tests compare where the definitions coincide:
  MLE on every context without ``"</s>"`` (point 1 is then irrelevant and points 2-3 do not
  change a top-order count), and add-k after mapping our ``|V|`` to nltk's ``|V| + 1``
  (:func:`_add_k_as_nltk`). Default Kneser-Ney differs from nltk at every probability
  (point 4 changes the base of the recursion), so it is checked against hand computations,
  the axioms (distributions sum to 1) and the compat mode instead.
"""

from __future__ import annotations

import ast
import doctest
import inspect
import math
import re
import time
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from course_utils import ngram
from course_utils.data import HungryGrammar, shakespeare_lines
from course_utils.ngram import NGramLM
from course_utils.text import BOS, EOS, UNK

nltk_lm = pytest.importorskip("nltk.lm")
nltk_preprocessing = pytest.importorskip("nltk.lm.preprocessing")

INTRODUCED = "Introduced in: notebooks/01_ngram_language_models.ipynb"
SEED_CORPUS = [["나는", "엄청", "배가", "고프다"], ["나는", "매우", "배가", "고프다"]]
ENGLISH = [
    "the cat sat on the mat",
    "the dog sat on the log",
    "a cat and a dog met on the mat",
    "the mat was red",
    "dogs and cats",
]


@pytest.fixture(scope="module")
def oracle_corpus() -> list[list[str]]:
    return HungryGrammar().sample(30, seed=11) + [s.split() for s in ENGLISH]


def _to_nltk(token: str) -> str:
    return "<UNK>" if token == UNK else token


def _from_nltk(token: str) -> str:
    return UNK if token == "<UNK>" else token


def _nltk_model(kind: str, order: int, corpus: list[list[str]], unk_cutoff: int = 1) -> object:
    vocabulary = nltk_lm.Vocabulary(unk_cutoff=unk_cutoff)
    model = {
        "mle": lambda: nltk_lm.MLE(order, vocabulary=vocabulary),
        "laplace": lambda: nltk_lm.Laplace(order, vocabulary=vocabulary),
        "lidstone": lambda: nltk_lm.Lidstone(0.5, order, vocabulary=vocabulary),
        "kn": lambda: nltk_lm.KneserNeyInterpolated(order, discount=0.75, vocabulary=vocabulary),
    }[kind]()
    train, vocab_text = nltk_preprocessing.padded_everygram_pipeline(order, corpus)
    model.fit(train, vocab_text)
    return model


OURS_FOR_NLTK = {
    "mle": {"smoothing": "mle"},
    "laplace": {"smoothing": "add_k", "k": 1.0},
    "lidstone": {"smoothing": "add_k", "k": 0.5},
    "kn": {"smoothing": "kneser_ney", "discount": 0.75},
}


def _queries(model: object, order: int) -> tuple[list[tuple[str, ...]], list[str]]:
    """nltk's counted contexts + unseen ones; nltk's vocabulary + an unknown word."""
    contexts = sorted(model.counts[order].keys())  # type: ignore[attr-defined]
    words = sorted(w for w in model.vocab if w not in ("<s>", "</s>", "<UNK>"))  # type: ignore[attr-defined]
    unseen = [tuple(words[i : i + order - 1]) for i in range(0, 30, 3)]
    unseen += [("zzz",) * (order - 1), (*(("<s>",) * (order - 2)), "zzz"), ("</s>",) * (order - 1)]
    vocab = [*sorted(model.vocab), "zzz"]  # type: ignore[attr-defined]
    return contexts + [c for c in unseen if c not in contexts], vocab


# ---------------------------------------------------------------------------- by hand


def test_mle_by_hand_on_the_seed_corpus() -> None:
    lm = NGramLM(2).fit(SEED_CORPUS)
    assert lm.prob("엄청", ["나는"]) == 0.5
    assert lm.prob("매우", ("나는",)) == 0.5
    assert lm.prob("무지", ["나는"]) == 0.0
    assert lm.prob(EOS, ["고프다"]) == 1.0
    assert lm.prob("나는", [BOS]) == 1.0
    assert lm.prob(BOS, ["고프다"]) == 0.0  # BOS is never predicted
    assert lm.logprob("나는 무지 배가 고프다") == -math.inf
    assert lm.logprob(["나는", "엄청", "배가", "고프다"]) == pytest.approx(math.log(0.5))
    assert lm.perplexity([["나는", "무지", "배가", "고프다"]]) == math.inf
    assert lm.cross_entropy(SEED_CORPUS) == pytest.approx(2 * math.log(2) / 10)
    assert lm.perplexity(SEED_CORPUS) == pytest.approx(2 ** (1 / 5))
    # 5 predicted tokens: 나는, 엄청, 배가, 고프다 and EOS.
    scored = lm.score_tokens("나는 엄청 배가 고프다")
    assert [t for t, _, _ in scored] == ["나는", "엄청", "배가", "고프다", EOS]
    assert [c for _, c, _ in scored] == [(BOS,), ("나는",), ("엄청",), ("배가",), ("고프다",)]
    assert [p for _, _, p in scored] == [1.0, 0.5, 1.0, 1.0, 1.0]
    # Unseen words are scored as UNK; with MLE an unseen context gives 0 for every word.
    assert lm.score_tokens("나는 무지")[1][0] == UNK
    assert sum(lm.distribution(["무지"]).values()) == 0.0


def test_trigram_contexts_are_padded_with_bos() -> None:
    lm = NGramLM(3).fit(SEED_CORPUS)
    assert lm.prob("나는", [BOS, BOS]) == 1.0
    assert lm.prob("엄청", [BOS, "나는"]) == 0.5
    assert lm.prob(EOS, ["배가", "고프다"]) == 1.0
    assert lm.count((BOS, BOS, "나는")) == 2
    assert lm.context_count((BOS, "나는")) == 2
    assert lm.context_count(()) == 10  # 8 tokens + 2 EOS


def test_add_k_interpolated_and_kneser_ney_by_hand() -> None:
    # |V| = 5 words + EOS + UNK = 7; c(나는) = 2.
    add1 = NGramLM(2, "add_k").fit(SEED_CORPUS)
    assert len(add1.vocabulary) == 7
    assert add1.prob("엄청", ["나는"]) == pytest.approx(2 / 9)
    assert add1.prob("무지", ["나는"]) == pytest.approx(1 / 9)
    assert add1.prob("엄청", ["무지"]) == pytest.approx(1 / 7)  # unseen context: uniform
    half = NGramLM(2, "add_k", k=0.5).fit(SEED_CORPUS)
    assert half.prob("엄청", ["나는"]) == pytest.approx(1.5 / 5.5)
    # Jelinek-Mercer, default weights (4, 2, 1) / 7 for (bigram, unigram, uniform):
    # P_ML(엄청 | 나는) = 1/2, P_ML(엄청) = 1/10 (10 predicted tokens), uniform 1/7.
    jm = NGramLM(2, "interpolated").fit(SEED_CORPUS)
    assert jm.lambdas == pytest.approx((4 / 7, 2 / 7, 1 / 7))
    assert jm.prob("엄청", ["나는"]) == pytest.approx(4 / 7 * 0.5 + 2 / 7 * 0.1 + 1 / 7 / 7)
    # Unseen context: its weight goes to the unigram and uniform parts in proportion 2 : 1.
    assert jm.prob("엄청", ["무지"]) == pytest.approx(2 / 3 * 0.1 + 1 / 3 / 7)
    custom = NGramLM(2, "interpolated", lambdas=[0.5, 0.5, 0.0]).fit(SEED_CORPUS)
    assert custom.prob("엄청", ["나는"]) == pytest.approx(0.5 * 0.5 + 0.5 * 0.1)
    # Kneser-Ney: 7 bigram types; N1+(. 배가) = 2 (엄청, 매우); 6 words have N1+ > 0.
    kn = NGramLM(2, "kneser_ney").fit(SEED_CORPUS)
    p_uni_unk = 0.75 * 6 / 7 / 7  # discounted mass of the unigram level, spread uniformly
    p_uni_baega = (2 - 0.75) / 7 + p_uni_unk
    gamma_naneun = 0.75 * 2 / 2  # two distinct followers of 나는, c(나는) = 2
    assert kn.prob("무지", ["나는"]) == pytest.approx(gamma_naneun * p_uni_unk)
    assert kn.prob("엄청", ["나는"]) == pytest.approx(
        (1 - 0.75) / 2 + gamma_naneun * ((1 - 0.75) / 7 + p_uni_unk)
    )
    assert kn.prob("배가", ["무지"]) == pytest.approx(p_uni_baega)  # unseen context
    assert kn.continuation_count("배가") == 2
    assert kn.continuation_count(["나는"]) == 1


def test_counts_and_introspection() -> None:
    lm = NGramLM(2, min_count=2).fit(SEED_CORPUS)
    # 엄청 and 매우 are seen once: below min_count, they become UNK.
    assert lm.vocabulary == ("고프다", "나는", "배가", EOS, UNK)
    assert lm.count(("나는", UNK)) == 2
    assert lm.count(("나는", "엄청")) == 0
    assert lm.prob("엄청", ["나는"]) == 1.0  # scored as UNK
    assert lm.prob("anything", ["나는"]) == 1.0
    table = lm.ngram_table(2)
    assert table[(UNK, "배가")] == 2
    table[(UNK, "배가")] = 99  # a copy
    assert lm.count((UNK, "배가")) == 2
    assert lm.ngram_table(1) == {("나는",): 2, (UNK,): 2, ("배가",): 2, ("고프다",): 2, (EOS,): 2}
    assert lm.count_of_counts(2) == {2: 5}  # every bigram is seen twice
    assert lm.count_of_counts(1, continuation=True) == {1: 5}
    assert lm.discounts == {}
    kn = NGramLM(3, "kneser_ney", discount=0.5).fit(SEED_CORPUS)
    assert kn.discounts == {1: (0.5, 0.5, 0.5), 2: (0.5, 0.5, 0.5), 3: (0.5, 0.5, 0.5)}
    assert kn.order == 3
    assert kn.smoothing == "kneser_ney"
    assert repr(kn) == (
        "NGramLM(order=3, smoothing='kneser_ney', discount=0.5) [fitted on 2 sentences, "
        "8 tokens; vocabulary 7; 8 distinct 3-grams]"
    )
    assert repr(NGramLM(2, "add_k", k=0.5, min_count=2)) == (
        "NGramLM(order=2, smoothing='add_k', k=0.5, min_count=2) [not fitted]"
    )


def test_the_vocabulary_puts_frequent_words_first_and_handles_unk_in_training() -> None:
    lm = NGramLM(1).fit([["b", "a", "b", UNK], ["c"]])
    assert lm.vocabulary == ("b", "a", "c", EOS, UNK)
    assert lm.prob(UNK, ()) == pytest.approx(1 / 7)
    assert lm.prob("zzz", ()) == pytest.approx(1 / 7)
    assert lm.prob(EOS, []) == pytest.approx(2 / 7)


def test_a_fit_replaces_the_previous_one() -> None:
    lm = NGramLM(2).fit(SEED_CORPUS)
    lm.fit([["x", "y"]])
    assert lm.vocabulary == ("x", "y", EOS, UNK)
    assert lm.prob("엄청", ["나는"]) == 0.0
    assert lm.fit(iter([["x"]])) is lm  # any iterable; returns self


# ---------------------------------------------------------------------------- axioms

ALPHABET = ["a", "b", "c", "d"]
_corpora = st.lists(st.lists(st.sampled_from(ALPHABET), max_size=6), min_size=1, max_size=6).filter(
    lambda corpus: any(corpus)
)
_context_token = st.sampled_from([*ALPHABET, BOS, EOS, UNK, "zz"])


def _smoothed_model(method: str, order: int, min_count: int, data: st.DataObject) -> NGramLM:
    if method == "add_k":
        k = data.draw(st.sampled_from([1.0, 0.5, 0.01, 3.0]), label="k")
        return NGramLM(order, "add_k", k=k, min_count=min_count)
    if method == "interpolated":
        weights = data.draw(
            st.lists(st.integers(0, 5), min_size=order + 1, max_size=order + 1).filter(any),
            label="weights",
        )
        lambdas = [w / sum(weights) for w in weights]
        return NGramLM(order, "interpolated", lambdas=lambdas, min_count=min_count)
    if method == "kneser_ney":
        discount = data.draw(st.sampled_from([0.75, 0.1, 0.5, 0.95]), label="discount")
        return NGramLM(order, "kneser_ney", discount=discount, min_count=min_count)
    return NGramLM(order, "kneser_ney", modified=True, min_count=min_count)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    corpus=_corpora,
    order=st.integers(1, 4),
    method=st.sampled_from(["add_k", "interpolated", "kneser_ney", "modified_kneser_ney"]),
    min_count=st.integers(1, 2),
    data=st.data(),
)
def test_smoothed_distributions_sum_to_one_after_any_context(
    corpus: list[list[str]], order: int, method: str, min_count: int, data: st.DataObject
) -> None:
    lm = _smoothed_model(method, order, min_count, data).fit(corpus)
    contexts = [(BOS,) * (order - 1)]
    contexts += [
        tuple(data.draw(st.lists(_context_token, min_size=order - 1, max_size=order - 1)))
        for _ in range(3)
    ]
    for context in contexts:
        dist = lm.distribution(context)
        assert list(dist) == list(lm.vocabulary)
        assert abs(math.fsum(dist.values()) - 1.0) <= 1e-9, (context, lm)
        assert min(dist.values()) >= 0.0
        if method != "interpolated":  # JM may give the uniform part weight 0
            assert dist[UNK] > 0.0
        word = data.draw(st.sampled_from(lm.vocabulary), label="word")
        assert lm.prob(word, context) == dist[word]


@settings(max_examples=100, deadline=None)
@given(corpus=_corpora, order=st.integers(1, 4))
def test_mle_distributions_sum_to_one_after_every_seen_context(
    corpus: list[list[str]], order: int
) -> None:
    lm = NGramLM(order).fit(corpus)
    for context in {gram[:-1] for gram in lm.ngram_table(order)}:
        assert abs(math.fsum(lm.distribution(context).values()) - 1.0) <= 1e-12


@pytest.mark.parametrize("order", [1, 2, 3])
@pytest.mark.parametrize(
    "kwargs",
    [
        {"smoothing": "mle"},
        {"smoothing": "add_k", "k": 0.3},
        {"smoothing": "interpolated"},
        {"smoothing": "kneser_ney"},
        {"smoothing": "kneser_ney", "modified": True},
    ],
)
def test_distribution_prob_logprob_and_cross_entropy_agree(
    order: int, kwargs: dict[str, object]
) -> None:
    grammar = HungryGrammar()
    lm = NGramLM(order, **kwargs).fit(grammar.sample(300, seed=1))  # type: ignore[arg-type]
    test = grammar.sample(20, seed=2)
    total, count = 0.0, 0
    for sentence in test:
        scored = lm.score_tokens(sentence)
        assert len(scored) == len(sentence) + 1
        for token, context, p in scored:
            assert p == lm.prob(token, context)
            assert p == lm.distribution(context)[token]
        logs = [math.log(p) if p > 0 else -math.inf for _, _, p in scored]
        assert lm.logprob(sentence) == pytest.approx(sum(logs))
        total += sum(logs)
        count += len(scored)
    if math.isfinite(total):
        assert lm.cross_entropy(test) == pytest.approx(-total / count)
        assert lm.perplexity(test) == pytest.approx(math.exp(-total / count))
    else:
        assert lm.cross_entropy(test) == math.inf
        assert lm.perplexity(test) == math.inf


def test_kneser_ney_beats_add_one_on_held_out_hungry_sentences() -> None:
    grammar = HungryGrammar()
    train, test = grammar.sample(2000, seed=3), grammar.sample(300, seed=4)
    ppl = {
        name: NGramLM(3, name).fit(train).perplexity(test)
        for name in ("add_k", "interpolated", "kneser_ney")
    }
    modified = NGramLM(3, "kneser_ney", modified=True).fit(train).perplexity(test)
    assert ppl["kneser_ney"] < ppl["interpolated"] < ppl["add_k"]
    assert modified < ppl["add_k"]


# ---------------------------------------------------------------------------- modified KN


def test_modified_kneser_ney_discounts_by_hand() -> None:
    # Unigram model of one sentence: counts a b c d: 1, e f: 2, g: 3, h: 4, </s>: 1, so
    # n1 = 5, n2 = 2, n3 = 1, n4 = 1; Y = 5 / (5 + 2*2) = 5/9,
    # D1 = 1 - 2 Y n2/n1 = 5/9, D2 = 2 - 3 Y n3/n2 = 7/6, D3+ = 3 - 4 Y n4/n3 = 7/9.
    sentence = "a b c d e e f f g g g h h h h".split()
    lm = NGramLM(1, "kneser_ney", modified=True).fit([sentence])
    assert lm.count_of_counts(1) == {1: 5, 2: 2, 3: 1, 4: 1}
    assert lm.discounts[1] == pytest.approx((5 / 9, 7 / 6, 7 / 9))
    # P(h) = (4 - D3+) / 16 + gamma / |V| with gamma = (5 D1 + 2 D2 + 2 D3+) / 16, |V| = 10.
    gamma = (5 * 5 / 9 + 2 * 7 / 6 + 2 * 7 / 9) / 16
    assert lm.prob("h", ()) == pytest.approx((4 - 7 / 9) / 16 + gamma / 10)
    assert lm.prob("zzz", ()) == pytest.approx(gamma / 10)
    assert math.fsum(lm.distribution(()).values()) == pytest.approx(1.0, abs=1e-12)

    # Bigram model of the same sentence: of its 13 distinct bigrams all are seen once except
    # g g (2) and h h (3), so n1 = 11, n2 = 1, n3 = 1, n4 = 0: Y = 11/13 and
    # D2 = 2 - 3 (11/13) (1/1) < 0, out of range. The
    # continuation counts N1+(. w) are 1 for a b c d </s> and 2 for e f g h: n3 = 0. Both
    # orders therefore use the fallback (0.5, 1.0, 1.5).
    lm2 = NGramLM(2, "kneser_ney", modified=True).fit([sentence])
    assert lm2.count_of_counts(2) == {1: 11, 2: 1, 3: 1}
    assert lm2.count_of_counts(1, continuation=True) == {1: 5, 2: 4}
    assert lm2.discounts == {1: (0.5, 1.0, 1.5), 2: (0.5, 1.0, 1.5)}
    assert math.fsum(lm2.distribution(["h"]).values()) == pytest.approx(1.0, abs=1e-12)


def test_modified_kneser_ney_discounts_follow_the_count_of_counts_on_a_real_sample() -> None:
    lm = NGramLM(3, "kneser_ney", modified=True).fit(HungryGrammar().sample(3000, seed=5))
    used_formula = []
    for k in (1, 2, 3):
        coc = lm.count_of_counts(k, continuation=k < 3)  # continuation counts below the top
        n1, n2, n3, n4 = (coc.get(r, 0) for r in (1, 2, 3, 4))
        expected = (0.5, 1.0, 1.5)  # the fallback
        if n1 and n2 and n3:
            y = n1 / (n1 + 2 * n2)
            closed_form = (1 - 2 * y * n2 / n1, 2 - 3 * y * n3 / n2, 3 - 4 * y * n4 / n3)
            if all(0 <= d <= r for r, d in enumerate(closed_form, start=1)):
                expected = closed_form
                used_formula.append(k)
        assert lm.discounts[k] == pytest.approx(expected)
    # Trigrams: the closed form. The grammar's uniformly drawn fillers make almost every
    # lower-order continuation count 1 or large, so D2 < 0 there and orders 1-2 fall back.
    assert used_formula == [3]
    assert math.fsum(lm.distribution((BOS, "나는")).values()) == pytest.approx(1.0, abs=1e-12)


# ---------------------------------------------------------------------------- nltk oracle


@pytest.mark.parametrize("order", [2, 3])
@pytest.mark.parametrize("kind", ["mle", "laplace", "lidstone", "kn"])
def test_nltk_compat_reproduces_nltk_everywhere(
    oracle_corpus: list[list[str]], order: int, kind: str
) -> None:
    model = _nltk_model(kind, order, oracle_corpus)
    lm = NGramLM(order, nltk_compat=True, **OURS_FOR_NLTK[kind]).fit(oracle_corpus)  # type: ignore[arg-type]
    assert sorted(map(_to_nltk, lm.vocabulary)) == sorted(model.vocab)  # type: ignore[attr-defined]
    contexts, words = _queries(model, order)
    assert len(contexts) > 40
    worst = 0.0
    for context in contexts:
        ours_context = tuple(map(_from_nltk, context))
        for word in words:
            theirs = model.score(word, context)  # type: ignore[attr-defined]
            worst = max(worst, abs(lm.prob(_from_nltk(word), ours_context) - theirs))
    assert worst <= 1e-12


@pytest.mark.parametrize("kind", ["laplace", "kn"])
def test_nltk_compat_with_an_unknown_cutoff(oracle_corpus: list[list[str]], kind: str) -> None:
    # nltk's Vocabulary(unk_cutoff=2) maps training tokens seen once to "<UNK>": min_count=2.
    model = _nltk_model(kind, 3, oracle_corpus, unk_cutoff=2)
    lm = NGramLM(3, nltk_compat=True, min_count=2, **OURS_FOR_NLTK[kind]).fit(oracle_corpus)  # type: ignore[arg-type]
    assert sorted(map(_to_nltk, lm.vocabulary)) == sorted(model.vocab)  # type: ignore[attr-defined]
    assert lm.count((UNK,)) > 0
    contexts, words = _queries(model, 3)
    for context in contexts[::3]:
        for word in words:
            theirs = model.score(word, context)  # type: ignore[attr-defined]
            ours = lm.prob(_from_nltk(word), tuple(map(_from_nltk, context)))
            assert ours == pytest.approx(theirs, abs=1e-12)


@pytest.mark.parametrize("order", [2, 3])
def test_default_mle_equals_nltk_where_no_context_holds_eos(
    oracle_corpus: list[list[str]], order: int
) -> None:
    model = _nltk_model("mle", order, oracle_corpus)
    lm = NGramLM(order).fit(oracle_corpus)
    contexts, words = _queries(model, order)
    contexts = [c for c in contexts if "</s>" not in c]
    for context in contexts:
        ours_context = tuple(map(_from_nltk, context))
        for word in words:
            ours = lm.prob(_from_nltk(word), ours_context)
            assert ours == model.score(word, context)  # type: ignore[attr-defined]


def _add_k_as_nltk(lm: NGramLM, word: str, context: tuple[str, ...], k: float) -> float:
    """Our add-k probability with nltk's |V| (ours + 1 for "<s>") in the denominator."""
    size = len(lm.vocabulary)
    ours = lm.prob(word, context)
    return (
        ours * (lm.context_count(context) + k * size) / (lm.context_count(context) + k * (size + 1))
    )


@pytest.mark.parametrize("order", [2, 3])
@pytest.mark.parametrize(("kind", "k"), [("laplace", 1.0), ("lidstone", 0.5)])
def test_default_add_k_equals_nltk_after_mapping_the_vocabulary_size(
    oracle_corpus: list[list[str]], order: int, kind: str, k: float
) -> None:
    model = _nltk_model(kind, order, oracle_corpus)
    lm = NGramLM(order, "add_k", k=k).fit(oracle_corpus)
    assert len(model.vocab) == len(lm.vocabulary) + 1  # type: ignore[attr-defined]
    contexts, words = _queries(model, order)
    for context in (c for c in contexts if "</s>" not in c):
        ours_context = tuple(map(_from_nltk, context))
        for word in (w for w in words if w != "<s>"):  # we never predict BOS
            ours = _add_k_as_nltk(lm, _from_nltk(word), ours_context, k)
            assert ours == pytest.approx(model.score(word, context), abs=1e-12)  # type: ignore[attr-defined]
            # and nltk's formula, term by term, from our counts:
            count = lm.count((*ours_context, _from_nltk(word))) if _from_nltk(word) != "zzz" else 0
            expected = (count + k) / (lm.context_count(ours_context) + k * len(model.vocab))  # type: ignore[attr-defined]
            assert ours == pytest.approx(expected, abs=1e-12)


def test_nltk_kneser_ney_quirk_at_the_sentence_start_is_documented() -> None:
    corpus = [["a", "b", "c"], ["a", "c", "b", "c"], ["b", "b"]]
    model = _nltk_model("kn", 3, corpus)
    theirs = math.fsum(model.score(w, ("<s>", "<s>")) for w in model.vocab)  # type: ignore[attr-defined]
    # gamma(<s> <s>) = 0.75 * 2 distinct first words / 3 sentences = 0.5; the bigram level
    # after <s> sums to 1 + D / F = 1 + 0.75 / 2; so 1 + 0.5 * 0.375 = 1.1875.
    assert theirs == pytest.approx(1.1875)
    compat = NGramLM(3, "kneser_ney", nltk_compat=True).fit(corpus)
    assert math.fsum(compat.distribution((BOS, BOS)).values()) == pytest.approx(1.1875)
    assert math.fsum(model.score(w, ("a", "b")) for w in model.vocab) == pytest.approx(1.0)  # type: ignore[attr-defined]
    ours = NGramLM(3, "kneser_ney").fit(corpus)
    assert math.fsum(ours.distribution((BOS, BOS)).values()) == pytest.approx(1.0, abs=1e-12)
    # nltk gives the unknown word 0 and BOS a positive probability; we do the opposite.
    assert model.score("<UNK>", ("a", "b")) == 0.0  # type: ignore[attr-defined]
    assert model.score("<s>", ("a", "b")) > 0.0  # type: ignore[attr-defined]
    assert ours.prob(UNK, ("a", "b")) > 0.0
    assert ours.prob(BOS, ("a", "b")) == 0.0
    assert ours.prob("c", ("a", "b")) != pytest.approx(model.score("c", ("a", "b")))  # type: ignore[attr-defined]


# ---------------------------------------------------------------------------- generation


def test_generation_is_deterministic_by_seed_and_never_emits_bos() -> None:
    corpus = HungryGrammar().sample(200, seed=6)
    for lm in (
        NGramLM(3, "kneser_ney").fit(corpus),
        NGramLM(3, "kneser_ney", nltk_compat=True).fit(corpus),  # BOS is in its vocabulary
        NGramLM(2, "add_k").fit(corpus),
    ):
        samples = [lm.generate(seed=seed) for seed in range(30)]
        assert samples == [lm.generate(seed=seed) for seed in range(30)]
        assert len({tuple(s) for s in samples}) > 10
        assert all(BOS not in s and EOS not in s for s in samples)
        assert all(len(s) <= 100 for s in samples)
    lm = NGramLM(3, "mle").fit(corpus)
    sentence = lm.generate(seed=1)
    assert lm.logprob(sentence) > -math.inf  # MLE only produces seen trigrams
    assert 3 <= len(sentence)


def test_generation_limits_prompt_and_unknown_words() -> None:
    lm = NGramLM(1, "add_k", k=100.0).fit([["a", "b"]])  # nearly uniform over a b </s> <unk>
    assert len(lm.generate(2, seed=0)) <= 2
    long = [lm.generate(seed=s, max_words=3) for s in range(40)]
    assert max(map(len, long)) == 3
    assert any(UNK in s for s in long)
    assert not any(UNK in lm.generate(seed=s, allow_unk=False) for s in range(40))
    mle = NGramLM(3).fit(SEED_CORPUS)
    assert mle.generate(seed=0, context=["나는", "매우"]) == ["배가", "고프다"]
    with pytest.raises(ValueError, match="no word has a positive probability"):
        mle.generate(seed=0, context=["무지"])


def test_a_unigram_model_of_one_repeated_sentence_generates_only_its_words() -> None:
    sentence = ["the", "cat", "sat"]
    for lm in (
        NGramLM(1).fit([sentence] * 5),
        NGramLM(1, "kneser_ney").fit([sentence] * 5),
    ):
        for seed in range(50):
            assert set(lm.generate(seed=seed, allow_unk=False)) <= set(sentence)


# ---------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: NGramLM(0), ValueError, r"order must be an integer >= 1; got 0"),
        (lambda: NGramLM(2.0), TypeError, r"order must be an integer >= 1; got 2.0 of type float"),  # type: ignore[arg-type]
        (lambda: NGramLM(True), TypeError, r"order must be an integer"),  # type: ignore[arg-type]
        (
            lambda: NGramLM(2, "laplace"),
            ValueError,
            r"smoothing must be one of 'mle', 'add_k', 'interpolated', 'kneser_ney'; got 'laplace'",
        ),
        (lambda: NGramLM(2, None), TypeError, r"smoothing must be one of .* of type NoneType"),  # type: ignore[arg-type]
        (lambda: NGramLM(2, "add_k", k=0), ValueError, r"k must be a real number > 0; got 0.0"),
        (lambda: NGramLM(2, "add_k", k=-1.0), ValueError, r"k must be a real number > 0"),
        (
            lambda: NGramLM(2, "add_k", k="1"),
            TypeError,
            r"k must be a real number > 0; got '1' of type str",
        ),  # type: ignore[arg-type]
        (
            lambda: NGramLM(2, "add_k", k=math.inf),
            ValueError,
            r"k must be a real number > 0; got inf",
        ),
        (
            lambda: NGramLM(2, "kneser_ney", discount=1.0),
            ValueError,
            r"discount must be a real number strictly between 0 and 1; got 1.0",
        ),
        (
            lambda: NGramLM(2, "kneser_ney", discount=0),
            ValueError,
            r"discount must be a real number strictly between 0 and 1; got 0.0",
        ),
        (lambda: NGramLM(2, "kneser_ney", discount=-0.5), ValueError, r"strictly between 0 and 1"),
        (
            lambda: NGramLM(2, "mle", discount=0.5),
            ValueError,
            r"discount applies only to smoothing='kneser_ney'; got smoothing='mle'",
        ),
        (
            lambda: NGramLM(2, "kneser_ney", modified=True, discount=0.5),
            ValueError,
            r"discount must be None when modified=True",
        ),
        (
            lambda: NGramLM(2, "add_k", modified=True),
            ValueError,
            r"modified=True applies only to smoothing='kneser_ney'",
        ),
        (
            lambda: NGramLM(2, "kneser_ney", modified=1),
            TypeError,
            r"modified must be True or False",
        ),  # type: ignore[arg-type]
        (
            lambda: NGramLM(2, "interpolated", lambdas=[0.5, 0.5]),
            ValueError,
            r"lambdas must be a sequence of order \+ 1 = 3 non-negative weights .*; got 2 weights",
        ),
        (
            lambda: NGramLM(2, "interpolated", lambdas=[0.5, 0.6, -0.1]),
            ValueError,
            r"lambdas must be .*summing to 1",
        ),
        (
            lambda: NGramLM(2, "interpolated", lambdas=[0.5, 0.5, 0.5]),
            ValueError,
            r"lambdas must be .*summing to 1",
        ),
        (
            lambda: NGramLM(2, "interpolated", lambdas=[0.5, "x", 0.5]),
            TypeError,
            r"lambdas\[1\] must be a real number >= 0; got 'x'",
        ),
        (
            lambda: NGramLM(2, "mle", lambdas=[0.5, 0.5, 0.0]),
            ValueError,
            r"lambdas applies only to smoothing='interpolated'",
        ),
        (lambda: NGramLM(2, min_count=0), ValueError, r"min_count must be an integer >= 1; got 0"),
        (
            lambda: NGramLM(2, "interpolated", nltk_compat=True),
            ValueError,
            r"nltk_compat=True is available for smoothing 'mle', 'add_k' and 'kneser_ney'",
        ),
        (lambda: NGramLM(1, nltk_compat=True), ValueError, r"nltk_compat=True needs order >= 2"),
        (
            lambda: NGramLM(2).fit([]),
            ValueError,
            r"sentences must contain at least one token; got 0 sentences",
        ),
        (
            lambda: NGramLM(2).fit([[], []]),
            ValueError,
            r"at least one token; got 2 sentences with no tokens",
        ),
        (
            lambda: NGramLM(2).fit("a b c"),
            TypeError,
            r"sentences must be an iterable of sentences .*; got str",
        ),
        (lambda: NGramLM(2).fit(5), TypeError, r"sentences must be an iterable of sentences"),  # type: ignore[arg-type]
        (
            lambda: NGramLM(2).fit(["a b", "c"]),
            TypeError,
            r"sentences\[0\] is a str \('a b'\); each sentence must be a sequence of str tokens",
        ),
        (
            lambda: NGramLM(2).fit([["a"], ["b", 3, "c"]]),
            TypeError,
            r"sentences\[1\]\[1\] must be a str token; got 3 of type int",
        ),
        (
            lambda: NGramLM(2).fit([["a", None]]),
            TypeError,
            r"sentences\[0\]\[1\] must be a str token; got None",
        ),
        (
            lambda: NGramLM(2).fit([["a", "</s>", "b"]]),
            ValueError,
            r"sentences\[0\]\[1\] is the reserved boundary token '</s>'",
        ),
        (
            lambda: NGramLM(2).fit([[BOS, "a"]]),
            ValueError,
            r"sentences\[0\]\[0\] is the reserved boundary token '<s>'",
        ),
        (
            lambda: NGramLM(2).prob("a", ["b"]),
            RuntimeError,
            r"not fitted yet: call lm.fit\(sentences\)",
        ),
        (lambda: NGramLM(2).perplexity([["a"]]), RuntimeError, r"not fitted yet"),
        (lambda: NGramLM(2).vocabulary, RuntimeError, r"not fitted yet"),
    ],
)
def test_bad_arguments_are_refused_with_a_helpful_message(
    call: Callable[[], object], error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        call()


@pytest.fixture(scope="module")
def fitted() -> NGramLM:
    return NGramLM(3, "kneser_ney").fit(SEED_CORPUS)


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (
            lambda lm: lm.prob("배가", ["엄청"]),
            ValueError,
            r"context must have exactly order - 1 = 2 tokens; got 1: \('엄청',\); "
            r"pass the last 2 tokens; left-pad sentence starts with '<s>'",
        ),
        (
            lambda lm: lm.prob("배가", "나는 엄청 배가"),
            ValueError,
            r"exactly order - 1 = 2 tokens; got 3",
        ),
        (
            lambda lm: lm.prob("배가", [BOS, 3]),
            TypeError,
            r"context\[1\] must be a str token; got 3 of type int",
        ),
        (
            lambda lm: lm.prob("배가", 5),
            TypeError,
            r"context must be a str or a sequence .* of str tokens; got 5 of type int",
        ),
        (
            lambda lm: lm.prob(5, [BOS, BOS]),
            TypeError,
            r"word must be a str token; got 5 of type int",
        ),
        (
            lambda lm: lm.distribution([BOS]),
            ValueError,
            r"context must have exactly order - 1 = 2 tokens",
        ),
        (lambda lm: lm.logprob(["나는", 1]), TypeError, r"sentence\[1\] must be a str token"),
        (
            lambda lm: lm.logprob(["나는", "</s>"]),
            ValueError,
            r"sentence\[1\] is the reserved boundary token '</s>'",
        ),
        (lambda lm: lm.perplexity([]), ValueError, r"sentences must hold at least one sentence"),
        (
            lambda lm: lm.perplexity(["나는 엄청"]),
            TypeError,
            r"sentences\[0\] is a str .* wrap it in a list",
        ),
        (
            lambda lm: lm.cross_entropy("나는 엄청"),
            TypeError,
            r"sentences must be an iterable of sentences",
        ),
        (lambda lm: lm.generate(0), ValueError, r"n_words must be an integer >= 1; got 0"),
        (lambda lm: lm.generate(seed=-1), ValueError, r"seed must be an integer >= 0; got -1"),
        (lambda lm: lm.generate(max_words=0), ValueError, r"max_words must be an integer >= 1"),
        (lambda lm: lm.generate(allow_unk="no"), TypeError, r"allow_unk must be True or False"),
        (lambda lm: lm.count(()), ValueError, r"ngram must have between 1 and 3 tokens .*; got 0"),
        (
            lambda lm: lm.count(["a", "b", "c", "d"]),
            ValueError,
            r"ngram must have between 1 and 3 tokens",
        ),
        (
            lambda lm: lm.context_count(["a", "b", "c"]),
            ValueError,
            r"context must have between 0 and 2 tokens",
        ),
        (
            lambda lm: lm.continuation_count(["a", "b", "c"]),
            ValueError,
            r"ngram must have between 1 and 2 tokens",
        ),
        (
            lambda lm: lm.ngram_table(4),
            ValueError,
            r"order_n must be an integer between 1 and 3 .*; got 4",
        ),
        (lambda lm: lm.ngram_table("2"), TypeError, r"order_n must be an integer >= 1; got '2'"),
        (
            lambda lm: lm.count_of_counts(3, continuation=True),
            ValueError,
            r"order_n must be an integer between 1 and 2",
        ),
    ],
)
def test_bad_calls_on_a_fitted_model_are_refused(
    fitted: NGramLM, call: Callable[[NGramLM], object], error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        call(fitted)


def test_unigram_models_take_an_empty_context_and_have_no_continuation_counts() -> None:
    lm = NGramLM(1, "kneser_ney").fit(SEED_CORPUS)
    assert lm.prob("나는", ()) == lm.prob("나는", []) == lm.prob("나는", "")
    with pytest.raises(ValueError, match=r"order - 1 = 0 tokens; got 1.*pass \(\) or \[\]"):
        lm.prob("나는", ["나는"])
    with pytest.raises(ValueError, match="continuation counts need order >= 2"):
        lm.continuation_count("나는")


# ---------------------------------------------------------------------------- speed


def test_fitting_all_of_shakespeare_is_fast_and_scoring_is_cheap() -> None:
    sentences = [re.findall(r"[a-z']+", line.lower()) for line in shakespeare_lines()]
    sentences = [s for s in sentences if s]
    assert sum(map(len, sentences)) > 900_000
    start = time.perf_counter()
    lm = NGramLM(3, "kneser_ney").fit(sentences)
    fit_seconds = time.perf_counter() - start
    assert fit_seconds < 20, fit_seconds
    trigrams: list[tuple[str, tuple[str, ...]]] = []
    for sentence in sentences[::7]:
        padded = [BOS, BOS, *sentence, EOS]
        trigrams += [(padded[i], tuple(padded[i - 2 : i])) for i in range(2, len(padded))]
        if len(trigrams) >= 10_000:
            break
    start = time.perf_counter()
    probs = [lm.prob(word, context) for word, context in trigrams[:10_000]]
    assert time.perf_counter() - start < 1.0
    assert all(0 < p < 1 for p in probs)
    total = math.fsum(lm.prob(word, ("to", "be")) for word in lm.vocabulary)
    assert total == pytest.approx(1.0, abs=1e-9)


# ---------------------------------------------------------------------------- documentation


def test_docstring_examples_are_correct() -> None:
    failures, attempted = doctest.testmod(ngram, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert attempted > 0
    assert failures == 0


def _public_members() -> list[tuple[str, object]]:
    found: list[tuple[str, object]] = [("ngram", ngram)]
    for name in ngram.__all__:
        obj = getattr(ngram, name)
        found.append((name, obj))
        for attr, member in vars(obj).items():
            if attr.startswith("_") and attr != "__repr__":
                continue
            target = member.fget if isinstance(member, property) else member
            found.append((f"{name}.{attr}", target))
    return found


@pytest.mark.parametrize(("name", "obj"), _public_members(), ids=lambda x: str(x)[:40])
def test_every_public_name_says_where_it_is_introduced(name: str, obj: object) -> None:
    assert INTRODUCED in (inspect.getdoc(obj) or ""), name


def test_ngram_never_imports_nltk_or_tensorflow() -> None:
    imported: set[str] = set()
    for node in ast.walk(ast.parse(inspect.getsource(ngram))):
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    assert imported.isdisjoint({"nltk", "tensorflow", "keras"}), imported


def test_a_zero_modified_discount_falls_back_so_unseen_words_keep_mass():
    # n1 = 1, n2 = 1, n3 = 2 gives D2 = 2 - 3 * (1/3) * 2 / 1 = 0 exactly: with it, a context
    # whose followers all occur twice would give the lower orders (and <unk>) nothing.
    from course_utils.ngram import _FALLBACK_DISCOUNTS, _modified_discounts

    assert _modified_discounts({1: 1, 2: 1, 3: 2}) == _FALLBACK_DISCOUNTS
    assert _modified_discounts({1: 10, 2: 4, 3: 2, 4: 1}) != _FALLBACK_DISCOUNTS
