"""course_utils.lm: one interface for every language model of the book."""

from __future__ import annotations

import doctest
import inspect
import math

import numpy as np
import pytest

from course_utils import lm
from course_utils.attention import SequenceLM, causal_lm
from course_utils.models import NeuralLM, RecurrentLM
from course_utils.ngram import NGramLM
from course_utils.text import Vocabulary

TRAIN = [
    ["나는", "배가", "고프다"],
    ["할머니께서는", "배가", "고프시다"],
    ["나는", "목이", "마르다"],
]
TEST = [["나는", "배가", "고프다"], ["할머니께서는", "목이", "마르시다"]]


def _models() -> dict[str, lm.LanguageModel]:
    vocab = Vocabulary.build(TRAIN)
    return {
        "ngram": NGramLM(2, "add_k", k=1.0).fit(TRAIN),
        "neural": NeuralLM(vocab, context_size=2, dim=4, hidden=8),
        "recurrent": RecurrentLM(vocab, cell="gru", units=4, dim=4),
        "attention": SequenceLM(causal_lm(len(vocab), dim=8, heads=2, max_len=8), vocab),
    }


MODELS = _models()


def test_docstring_examples_are_correct() -> None:
    failures, attempted = doctest.testmod(lm, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert attempted >= 10 and failures == 0


@pytest.mark.parametrize("name", lm.__all__)
def test_public_classes_are_documented(name: str) -> None:
    doc = inspect.getdoc(getattr(lm, name)) or ""
    for section in ("Args:", "Raises:", "Example:", "Introduced in: notebooks/"):
        assert section in doc, (name, section)


def test_lm_imports_no_tensorflow() -> None:
    source = inspect.getsource(lm)
    assert "import keras" not in source and "tensorflow" not in source


@pytest.mark.parametrize("name", MODELS)
def test_every_model_shares_the_interface(name: str) -> None:
    """One implementation: the numbers of every model agree with each other by definition."""
    model = MODELS[name]
    assert isinstance(model, lm.LanguageModel)
    for method in ("logprob", "sentence_logprobs", "cross_entropy", "perplexity", "generate"):
        assert getattr(type(model), method).__qualname__.startswith(
            ("LanguageModel.", "CausalLM.")
        ), method
    logs = model.sentence_logprobs(TEST)
    assert logs.shape == (2,)
    assert logs[1] == pytest.approx(model.logprob(TEST[1]), abs=1e-5)
    tokens = sum(len(s) + 1 for s in TEST)
    assert model.cross_entropy(TEST) == pytest.approx(-logs.sum() / tokens)
    assert model.perplexity(TEST) == pytest.approx(math.exp(model.cross_entropy(TEST)))
    words = model.generate(3, seed=1)
    assert len(words) <= 3 and words == model.generate(3, seed=1)


@pytest.mark.parametrize("name", ["recurrent", "attention"])
def test_causal_models_score_tokens_like_prob(name: str) -> None:
    model = MODELS[name]
    scored = model.score_tokens(TEST[0])
    assert [t for t, _, _ in scored] == [*TEST[0], "</s>"]
    for token, context, p in scored:
        assert model.prob(token, list(context)) == pytest.approx(p, rel=1e-5)
    assert sum(model.distribution(["나는"]).values()) == pytest.approx(1.0)
    assert model.prob("<s>", []) == 0.0


def test_sequence_lm_generates_like_the_recurrent_sampler() -> None:
    """The attention model re-reads its history; the recurrent one steps its cell: same words."""
    model = MODELS["recurrent"]
    stepped = model.generate(4, seed=3, context=["나는"])
    reread = lm.CausalLM._sampler(model, ["나는"], True)
    rng = np.random.default_rng(3)
    words, drawn = [], None
    while len(words) < 4:
        drawn = lm.draw(reread[0](drawn), rng)
        if drawn == reread[1]:
            break
        words.append(reread[2][drawn])
    assert words == stepped


def test_a_model_without_the_hooks_says_so() -> None:
    with pytest.raises(NotImplementedError):
        lm.LanguageModel().logprob(["a"])


def test_zero_probabilities_give_minus_infinity() -> None:
    mle = NGramLM(2, "mle").fit(TRAIN)
    unseen = [["배가", "나는"]]
    assert mle.sentence_logprobs(unseen)[0] == -math.inf
    assert mle.cross_entropy(unseen) == math.inf and mle.perplexity(unseen) == math.inf
