"""Count-based n-gram language models: MLE, add-k, Jelinek-Mercer and Kneser-Ney.

One class, :class:`NGramLM`, fitted by counting (``collections.Counter`` over tuples of
tokens) and scored with a few dictionary look-ups per order. Every smoothing method is written
in the same *interpolated* form (Chen & Goodman 1999): with ``h`` the last ``k - 1`` tokens
before the word ``w`` and ``h'`` the last ``k - 2``,

    P_k(w | h) = alpha_k(h, w) + gamma_k(h) * P_(k-1)(w | h'),     P_0(w) = base,

where ``alpha_k(h, w)`` is zero unless ``h w`` was counted, ``gamma_k(h)`` is the probability
mass handed down to the shorter context, and a context ``h`` that was never seen is skipped
(``P_k(w | h) = P_(k-1)(w | h')``). The methods differ only in what alpha, gamma and base are:

=================  ==========================================  ===========================
smoothing          alpha_k(h, w)                               gamma_k(h), base
=================  ==========================================  ===========================
``"mle"``          ``c(h w) / c(h)`` (top order only)          ``0``; base ``0``
``"add_k"``        ``c(h w) / (c(h) + k|V|)`` (top order)      ``k|V| / (c(h) + k|V|)``;
                                                               base ``1/|V|``
``"interpolated"`` ``m_k c(h w) / c(h)`` (every order), with   ``1 - m_k``; base ``1/|V|``
                   ``m_k = l_k / (l_0 + ... + l_k)``
``"kneser_ney"``   ``(c(h w) - D) / c(h)`` at the top order,   ``D N1+(h .) / c(h)`` (same
                   ``(N1+(. h w) - D) / N1+(. h .)`` below     denominators); base ``1/|V|``
=================  ==========================================  ===========================

Sentences are padded with ``order - 1`` :data:`~course_utils.text.BOS` markers on the left and
one :data:`~course_utils.text.EOS` on the right; EOS is predicted like a word, BOS never is.

Introduced in: notebooks/01_ngram_language_models.ipynb
"""

from __future__ import annotations

import math
import numbers
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from itertools import chain
from typing import Any

import numpy as np

from course_utils.lm import LanguageModel, Ngram, Sampler, as_tokens
from course_utils.text import BOS, EOS, UNK
from course_utils.validation import check_bool, check_int, describe

__all__ = ["NGramLM"]

_SMOOTHINGS: tuple[str, ...] = ("mle", "add_k", "interpolated", "kneser_ney")
#: Discounts (D1, D2, D3+) used for an order whose count-of-counts do not allow the closed-form
#: modified Kneser-Ney estimate (the defaults of KenLM's ``lmplz --discount_fallback``).
_FALLBACK_DISCOUNTS: tuple[float, float, float] = (0.5, 1.0, 1.5)


# ---------------------------------------------------------------------------------------------
# Argument checking.
# ---------------------------------------------------------------------------------------------


def _check_real(value: object, name: str, expected: str) -> float:
    """Return ``value`` as a finite float, or raise naming ``name`` and ``expected``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be {expected}; got {describe(value)}")
    result = float(value)
    if not math.isfinite(result):
        raise ValueError(f"{name} must be {expected}; got {result!r}")
    return result


def _as_corpus_sentence(value: object, name: str) -> Ngram:
    """One sentence of a corpus: a sequence of str tokens (a bare str is refused)."""
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        raise TypeError(
            f"{name} is a str ({shown!r}); each sentence must be a sequence of str tokens: "
            "split it first (e.g. line.split()), or, if you passed a single sentence, wrap it "
            "in a list"
        )
    return as_tokens(value, name)


def _check_no_markers(tokens: Ngram, name: str) -> None:
    """Refuse the boundary markers inside a sentence (the model adds them itself)."""
    if BOS in tokens or EOS in tokens:
        i = next(i for i, t in enumerate(tokens) if t in (BOS, EOS))
        raise ValueError(
            f"{name}[{i}] is the reserved boundary token {tokens[i]!r}; pass sentences without "
            f"{BOS!r}/{EOS!r}: the model pads every sentence itself"
        )


def _check_sentences(sentences: object, name: str = "sentences") -> list[Ngram]:
    """A corpus: an iterable of sentences, each a sequence of str tokens."""
    if isinstance(sentences, (str, bytes, bytearray)) or not isinstance(sentences, Iterable):
        raise TypeError(
            f"{name} must be an iterable of sentences (each a list of str tokens); "
            f"got {type(sentences).__name__}"
        )
    result: list[Ngram] = []
    for i, sentence in enumerate(sentences):
        tokens = _as_corpus_sentence(sentence, f"{name}[{i}]")
        _check_no_markers(tokens, f"{name}[{i}]")
        result.append(tokens)
    return result


# ---------------------------------------------------------------------------------------------
# Counting helpers.
# ---------------------------------------------------------------------------------------------


def _count_windows(padded: Sequence[Ngram], length: int, offset: int) -> Counter[Ngram]:
    """Count the windows of ``length`` tokens of every padded sentence, from ``offset`` on."""
    return Counter(
        chain.from_iterable(
            zip(*(seq[offset + j :] for j in range(length)), strict=False) for seq in padded
        )
    )


def _context_stats(counts: Mapping[Ngram, int]) -> dict[Ngram, list[int]]:
    """Context -> [total count, N1, N2, N3+] (numbers of followers seen once, twice, 3+ times)."""
    stats: dict[Ngram, list[int]] = {}
    for gram, c in counts.items():
        h = gram[:-1]
        s = stats.get(h)
        if s is None:
            s = stats[h] = [0, 0, 0, 0]
        s[0] += c
        s[c if c < 3 else 3] += 1
    return stats


def _modified_discounts(coc: Mapping[int, int]) -> tuple[float, float, float]:
    """Chen & Goodman's closed-form D1, D2, D3+ from count-of-counts, with a safe fallback."""
    n1, n2, n3, n4 = (coc.get(r, 0) for r in (1, 2, 3, 4))
    if n1 > 0 and n2 > 0 and n3 > 0:
        y = n1 / (n1 + 2 * n2)
        d = (1 - 2 * y * n2 / n1, 2 - 3 * y * n3 / n2, 3 - 4 * y * n4 / n3)
        if all(0.0 < di <= i for i, di in enumerate(d, start=1)):
            return d
    return _FALLBACK_DISCOUNTS


class _Level:
    """One order of the interpolated recursion: alpha per n-gram, gamma per context."""

    __slots__ = ("alpha", "followers", "gamma", "order")

    def __init__(self, order: int, alpha: dict[Ngram, float], gamma: dict[Ngram, float]) -> None:
        self.order = order
        self.alpha = alpha
        self.gamma = gamma
        self.followers: dict[Ngram, tuple[list[int], list[float]]] | None = None


# ---------------------------------------------------------------------------------------------
# The model.
# ---------------------------------------------------------------------------------------------


class NGramLM(LanguageModel):
    """An n-gram language model estimated by counting, with a choice of smoothing.

    **Padding.** Each training or test sentence ``w1 ... wm`` is scored as
    ``BOS^(order-1) w1 ... wm EOS``: the model predicts ``w1, ..., wm`` and the final
    :data:`~course_utils.text.EOS` (``"</s>"``), each from the ``order - 1`` tokens before it.
    BOS (``"<s>"``) only ever appears in contexts; it is never predicted (``prob(BOS, ...)`` is
    0 and BOS is not in :attr:`vocabulary`).

    **Vocabulary.** The training tokens seen at least ``min_count`` times, then EOS and
    :data:`~course_utils.text.UNK` (``"<unk>"``). Rarer training tokens, and at scoring time
    every string outside the vocabulary, are replaced by UNK (in words and in contexts).

    **Smoothing** (``|V|`` is the vocabulary size, ``c(.)`` a count, ``h`` the context):

    * ``"mle"``: ``c(h w) / c(h)``. Unseen n-grams get 0 (a sentence's log-probability is then
      ``-inf`` and the perplexity ``inf``); after a context never seen in training every word
      gets 0 (the distribution sums to 0, not 1).
    * ``"add_k"``: ``(c(h w) + k) / (c(h) + k |V|)``; ``k = 1`` is Laplace smoothing.
    * ``"interpolated"``: Jelinek-Mercer, a fixed mixture of the maximum-likelihood estimates of
      every order and the uniform distribution,
      ``l_n P_ML(w | h_(n-1)) + ... + l_1 P_ML(w) + l_0 / |V|``, with
      ``lambdas = (l_n, ..., l_1, l_0)``, highest order first. The default weights double with
      each order: ``l_j`` proportional to ``2**j`` (for a trigram model
      ``(8, 4, 2, 1) / 15``); tune them on held-out data for real use. When a context was
      never seen its weight goes to the shorter contexts in proportion to theirs.
    * ``"kneser_ney"``: interpolated Kneser-Ney. At the top order
      ``max(c(h w) - D, 0) / c(h) + D N1+(h .) / c(h) * P_KN(w | h')``; the lower orders use
      *continuation counts* ``N1+(. h w)`` (the number of distinct tokens seen before ``h w``)
      in place of ``c(h w)``, and the unigram level is interpolated with the uniform
      distribution ``1/|V|``, so every vocabulary word (UNK included) has a positive
      probability. ``discount`` is D (default 0.75), the same at every order. With
      ``modified=True`` (modified Kneser-Ney of Chen & Goodman 1999) each order has three
      discounts, for n-grams seen once, twice and three or more times, estimated from the
      count-of-counts ``n_r`` of the counts discounted at that order (raw counts at the top
      order, continuation counts below, as KenLM does): ``Y = n1 / (n1 + 2 n2)``,
      ``D1 = 1 - 2 Y n2/n1``, ``D2 = 2 - 3 Y n3/n2``, ``D3+ = 3 - 4 Y n4/n3``. When one of
      ``n1, n2, n3`` is 0, or a discount falls outside ``(0, r]`` (possible on tiny corpora; a
      discount of 0 would leave no mass for unseen words), that order uses KenLM's fallback
      ``(0.5, 1.0, 1.5)``. See :attr:`discounts`.

    **nltk compatibility.** ``nltk_compat=True`` reproduces the conventions of ``nltk.lm``
    (``MLE``, ``Laplace``/``Lidstone`` and ``KneserNeyInterpolated`` fitted with
    ``padded_everygram_pipeline``), for cross-checking only: sentences are padded with
    ``order - 1`` EOS on the right as well, and *every* window of the padded sentence is
    counted (so BOS is counted as a word, e.g. the bigram ``(<s>, <s>)`` of a trigram model);
    BOS belongs to the vocabulary (it can be "predicted", and add-k's ``|V|`` is one larger);
    Kneser-Ney's unigram level is the pure continuation distribution ``N1+(. w) / N1+(. .)``
    (no discount, no uniform part: UNK gets probability 0 unless it was in the training data),
    and at the lower orders the interpolation weight counts the distinct *raw* followers of the
    context, ``D N1+(h .) / N1+(. h .)``. That last rule is a quirk of nltk: for a trigram
    model the context ``(<s>, <s>)`` then gives a distribution that sums to more than 1.
    Available for ``"mle"``, ``"add_k"`` and ``"kneser_ney"`` (not modified) with
    ``order >= 2``.

    Args:
        order: n, the length of the n-grams (1 = unigram model), an integer >= 1.
        smoothing: ``"mle"``, ``"add_k"``, ``"interpolated"`` or ``"kneser_ney"``.
        k: The pseudo-count of ``"add_k"`` (> 0; ignored by the other methods).
        discount: D of ``"kneser_ney"``, strictly between 0 and 1 (default 0.75); only for
            ``"kneser_ney"`` and not with ``modified=True`` (the discounts are then estimated).
        modified: Modified Kneser-Ney with three estimated discounts per order.
        lambdas: The ``order + 1`` weights of ``"interpolated"`` (see above), non-negative,
            summing to 1; None for the default.
        min_count: Training tokens seen fewer times are replaced by UNK (an integer >= 1).
        nltk_compat: Reproduce ``nltk.lm``'s conventions (see above).

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If an argument is out of range or does not apply to ``smoothing``.

    Example:
        >>> corpus = [["나는", "엄청", "배가", "고프다"], ["나는", "매우", "배가", "고프다"]]
        >>> lm = NGramLM(2).fit(corpus)
        >>> lm.prob("엄청", ["나는"]), lm.prob("무지", ["나는"])
        (0.5, 0.0)
        >>> lm.logprob("나는 무지 배가 고프다")
        -inf
        >>> kn = NGramLM(2, "kneser_ney").fit(corpus)
        >>> round(kn.prob("무지", ["나는"]), 4)
        0.0689

    Introduced in: notebooks/01_ngram_language_models.ipynb
    """

    def __init__(
        self,
        order: int,
        smoothing: str = "mle",
        *,
        k: float = 1.0,
        discount: float | None = None,
        modified: bool = False,
        lambdas: Sequence[float] | None = None,
        min_count: int = 1,
        nltk_compat: bool = False,
    ) -> None:
        self._order = check_int(order, "order", 1)
        listed = ", ".join(repr(s) for s in _SMOOTHINGS)
        if not isinstance(smoothing, str):
            raise TypeError(
                f"smoothing must be one of {listed}; got {smoothing!r} of type "
                f"{type(smoothing).__name__}"
            )
        if smoothing not in _SMOOTHINGS:
            raise ValueError(f"smoothing must be one of {listed}; got {smoothing!r}")
        self._smoothing = smoothing
        self._k = _check_real(k, "k", "a real number > 0")
        if self._k <= 0:
            raise ValueError(f"k must be a real number > 0; got {self._k!r}")
        self._modified = check_bool(modified, "modified")
        if self._modified and smoothing != "kneser_ney":
            raise ValueError(
                f"modified=True applies only to smoothing='kneser_ney'; got smoothing={smoothing!r}"
            )
        if discount is not None:
            if smoothing != "kneser_ney":
                raise ValueError(
                    "discount applies only to smoothing='kneser_ney'; "
                    f"got smoothing={smoothing!r} (leave discount=None)"
                )
            if self._modified:
                raise ValueError(
                    "discount must be None when modified=True: modified Kneser-Ney estimates "
                    "its three discounts per order from the count-of-counts"
                )
            expected = "a real number strictly between 0 and 1"
            discount = _check_real(discount, "discount", expected)
            if not 0.0 < discount < 1.0:
                raise ValueError(f"discount must be {expected}; got {discount!r}")
        self._discount = 0.75 if discount is None else discount
        self._lambdas = self._check_lambdas(lambdas, smoothing)
        self._min_count = check_int(min_count, "min_count", 1)
        self._nltk_compat = check_bool(nltk_compat, "nltk_compat")
        if self._nltk_compat:
            if smoothing == "interpolated" or self._modified:
                raise ValueError(
                    "nltk_compat=True is available for smoothing 'mle', 'add_k' and "
                    "'kneser_ney' (not modified), the models nltk.lm has; "
                    f"got smoothing={smoothing!r}, modified={self._modified}"
                )
            if self._order < 2:
                raise ValueError(
                    "nltk_compat=True needs order >= 2 (nltk pads no sentence boundary for a "
                    f"unigram model); got order={self._order}"
                )
        self._fitted = False

    def _check_lambdas(self, lambdas: object, smoothing: str) -> tuple[float, ...]:
        """The ``order + 1`` Jelinek-Mercer weights, highest order first, normalised."""
        n = self._order
        if lambdas is None:
            raw = [2.0**j for j in range(n, -1, -1)]
            return tuple(w / math.fsum(raw) for w in raw)
        if smoothing != "interpolated":
            raise ValueError(
                "lambdas applies only to smoothing='interpolated'; "
                f"got smoothing={smoothing!r} (leave lambdas=None)"
            )
        expected = (
            f"a sequence of order + 1 = {n + 1} non-negative weights summing to 1 "
            f"(orders {n}, ..., 1, then the uniform distribution)"
        )
        if isinstance(lambdas, (str, bytes)) or not isinstance(lambdas, Iterable):
            raise TypeError(f"lambdas must be {expected}; got {type(lambdas).__name__}")
        values = [
            _check_real(v, f"lambdas[{i}]", "a real number >= 0") for i, v in enumerate(lambdas)
        ]
        if len(values) != n + 1:
            raise ValueError(f"lambdas must be {expected}; got {len(values)} weights")
        if min(values) < 0 or abs(math.fsum(values) - 1.0) > 1e-6:
            raise ValueError(f"lambdas must be {expected}; got {values}")
        total = math.fsum(values)
        return tuple(v / total for v in values)

    # ------------------------------------------------------------------ configuration

    @property
    def order(self) -> int:
        """n, the length of the n-grams.

        Introduced in: notebooks/01_ngram_language_models.ipynb
        """
        return self._order

    @property
    def smoothing(self) -> str:
        """The smoothing method: ``"mle"``, ``"add_k"``, ``"interpolated"`` or ``"kneser_ney"``.

        Introduced in: notebooks/01_ngram_language_models.ipynb
        """
        return self._smoothing

    @property
    def lambdas(self) -> tuple[float, ...]:
        """The Jelinek-Mercer weights ``(l_n, ..., l_1, l_0)``, highest order first.

        Used only by ``smoothing="interpolated"``; ``l_0`` weights the uniform distribution.

        Introduced in: notebooks/01_ngram_language_models.ipynb
        """
        return self._lambdas

    # ------------------------------------------------------------------ fitting

    def fit(self, sentences: Iterable[Sequence[str]]) -> NGramLM:
        """Count the n-grams of ``sentences`` (replacing any previous fit).

        Args:
            sentences: The training corpus, an iterable of sentences, each a list (or tuple)
                of str tokens without boundary markers. A sentence may be empty (the model
                then learns ``P(EOS | BOS ...)`` from it), but the corpus must have a token.

        Returns:
            The model itself, so that ``lm = NGramLM(3).fit(corpus)`` works.

        Raises:
            TypeError: If ``sentences`` is not an iterable of token sequences, if a sentence is
                a bare str, or if a token is not a str (the message gives the position).
            ValueError: If a sentence contains ``"<s>"`` or ``"</s>"``, or the corpus has no
                token.

        Introduced in: notebooks/01_ngram_language_models.ipynb
        """
        corpus = _check_sentences(sentences)
        n_tokens = sum(len(s) for s in corpus)
        if n_tokens == 0:
            raise ValueError(
                f"sentences must contain at least one token; got {len(corpus)} sentences "
                "with no tokens"
            )
        n = self._order
        compat = self._nltk_compat
        left = (BOS,) * (n - 1)
        right = (EOS,) * (n - 1 if compat else 1)
        padded = [left + s + right for s in corpus]

        # Vocabulary: tokens seen >= min_count times (nltk_compat: padding included).
        if compat:
            token_counts = Counter(chain.from_iterable(padded))
        else:
            token_counts = Counter(chain.from_iterable(corpus))
            token_counts[EOS] = len(corpus)
        kept = {t for t, c in token_counts.items() if c >= self._min_count}
        if not compat:
            kept.add(EOS)
        words = sorted(
            (t for t in kept if t not in (BOS, EOS, UNK)), key=lambda t: (-token_counts[t], t)
        )
        specials = [EOS, UNK, BOS] if compat else [EOS, UNK]
        vocab = tuple(words + [t for t in specials if t in kept or t == UNK])
        known = set(vocab) if compat else set(vocab) | {BOS}
        if any(t not in known for t in token_counts):
            padded = [tuple(t if t in known else UNK for t in seq) for seq in padded]

        # Raw counts of every order. Default: the windows that end on a predicted token
        # (offset n - k skips the windows made of BOS only); nltk_compat: every window.
        raw = {k: _count_windows(padded, k, 0 if compat else n - k) for k in range(1, n + 1)}
        # Continuation counts N1+(. g w): the number of distinct tokens seen before g w.
        cont = {k: Counter(gram[1:] for gram in raw[k + 1]) for k in range(1, n)}

        self._vocab = vocab
        self._vocab_set = frozenset(vocab)
        self._word_id = {w: i for i, w in enumerate(vocab)}
        self._known = frozenset(known)
        self._raw = raw
        self._cont = cont
        self._raw_stats = {k: _context_stats(raw[k]) for k in range(1, n + 1)}
        self._n_sentences = len(corpus)
        self._n_tokens = n_tokens
        self._build_levels()
        self._fitted = True
        return self

    def _build_levels(self) -> None:
        """Precompute alpha (per n-gram) and gamma (per context) of every order used."""
        n = self._order
        size = len(self._vocab)
        levels: list[_Level] = []
        self._discounts: dict[int, tuple[float, float, float]] = {}
        if self._smoothing in ("mle", "add_k"):
            stats = self._raw_stats[n]
            if self._smoothing == "mle":
                self._base = 0.0
                alpha = {g: c / stats[g[:-1]][0] for g, c in self._raw[n].items()}
                gamma = dict.fromkeys(stats, 0.0)
            else:
                kv = self._k * size
                self._base = 1.0 / size
                alpha = {g: c / (stats[g[:-1]][0] + kv) for g, c in self._raw[n].items()}
                gamma = {h: kv / (s[0] + kv) for h, s in stats.items()}
            levels.append(_Level(n, alpha, gamma))
        elif self._smoothing == "interpolated":
            self._base = 1.0 / size
            by_order = self._lambdas[::-1]  # l_0, l_1, ..., l_n
            for k in range(1, n + 1):
                below = math.fsum(by_order[: k + 1])
                lam = by_order[k] / below if below > 0 else 0.0
                stats = self._raw_stats[k]
                alpha = {g: lam * c / stats[g[:-1]][0] for g, c in self._raw[k].items()}
                levels.append(_Level(k, alpha, dict.fromkeys(stats, 1.0 - lam)))
        else:
            levels = self._kneser_ney_levels()
        self._levels = levels

    def _kneser_ney_levels(self) -> list[_Level]:
        """The levels of (modified) interpolated Kneser-Ney, lowest order first."""
        n = self._order
        compat = self._nltk_compat
        self._base = 0.0 if compat else 1.0 / len(self._vocab)
        levels: list[_Level] = []
        for k in range(1, n + 1):
            counts = self._raw[k] if k == n else self._cont[k]
            stats = self._raw_stats[k] if k == n else _context_stats(counts)
            if compat and k == 1:  # nltk: pure continuation unigram, nothing below it
                total = stats[()][0]
                levels.append(_Level(1, {g: c / total for g, c in counts.items()}, {(): 0.0}))
                continue
            if self._modified:
                d = _modified_discounts(Counter(counts.values()))
            else:
                d = (self._discount,) * 3
            self._discounts[k] = d
            by_count = (0.0, *d)
            alpha = {
                g: (c - by_count[c if c < 3 else 3]) / stats[g[:-1]][0] for g, c in counts.items()
            }
            if compat and k < n:  # nltk's quirk: distinct *raw* followers of the context
                raw_stats = self._raw_stats[k]
                gamma = {
                    h: d[0] * sum(raw_stats[h][1:]) / s[0] for h, s in stats.items() if s[0] > 0
                }
            elif self._modified:
                gamma = {
                    h: (d[0] * s[1] + d[1] * s[2] + d[2] * s[3]) / s[0] for h, s in stats.items()
                }
            else:
                gamma = {h: d[0] * (s[1] + s[2] + s[3]) / s[0] for h, s in stats.items()}
            levels.append(_Level(k, alpha, gamma))
        return levels

    # ------------------------------------------------------------------ look-ups

    def _check_fitted(self) -> None:
        if not self._fitted:
            raise RuntimeError(
                "this NGramLM is not fitted yet: call lm.fit(sentences) before scoring, "
                "sampling or inspecting counts"
            )

    def _word(self, word: str) -> str | None:
        """The vocabulary entry for ``word``: itself, UNK, or None for BOS (never predicted)."""
        if word in self._vocab_set:
            return word
        return None if word == BOS else UNK

    def _context(self, context: object, name: str = "context") -> Ngram:
        """Check a context of exactly order - 1 tokens and map unknown tokens to UNK."""
        tokens = as_tokens(context, name)
        want = self._order - 1
        if len(tokens) != want:
            if want == 0:
                hint = "a unigram model ignores context: pass () or []"
            else:
                example = (BOS,) * (want - 1) + ("w1",)
                hint = (
                    f"pass the last {want} tokens; left-pad sentence starts with {BOS!r}, e.g. "
                    f"{example} before the second word w2 of a sentence (see score_tokens)"
                )
            raise ValueError(
                f"{name} must have exactly order - 1 = {want} tokens; got {len(tokens)}: "
                f"{tokens!r}; {hint}"
            )
        known = self._known
        return tuple(t if t in known else UNK for t in tokens)

    def _prob(self, word: str | None, context: Ngram) -> float:
        """P(word | context) for a mapped word and a mapped context of order - 1 tokens."""
        if word is None:
            return 0.0
        p = self._base
        n = self._order
        for level in self._levels:
            h = context[n - level.order :]
            gamma = level.gamma.get(h)
            if gamma is not None:
                p = level.alpha.get((*h, word), 0.0) + gamma * p
        return p

    def _scored(self, sentence: object, name: str = "sentence") -> list[tuple[str, Ngram, float]]:
        """(predicted token, context, probability) for each token of the sentence and EOS."""
        return self._scored_tokens(self._check_sentence(sentence, name))

    def _scored_tokens(self, tokens: Ngram) -> list[tuple[str, Ngram, float]]:
        """:meth:`_scored` of a checked sentence."""
        known = self._known
        seq = (BOS,) * (self._order - 1) + tuple(t if t in known else UNK for t in tokens)
        seq = (*seq, EOS if EOS in known else UNK)
        n = self._order
        return [
            (seq[i], seq[i - n + 1 : i], self._prob(self._word(seq[i]), seq[i - n + 1 : i]))
            for i in range(n - 1, len(seq))
        ]

    # ------------------------------------------------------------------ the interface's hooks

    def _check_ready(self) -> None:
        self._check_fitted()

    def _check_sentence(self, sentence: object, name: str) -> Ngram:
        tokens = as_tokens(sentence, name)
        _check_no_markers(tokens, name)
        return tokens

    def _check_corpus(self, sentences: object, name: str) -> list[Ngram]:
        corpus = _check_sentences(sentences, name)
        if not corpus:
            raise ValueError(f"{name} must hold at least one sentence to evaluate; got none")
        return corpus

    def _token_logprobs(
        self, corpus: Sequence[Ngram], name: str, *, single: bool = False
    ) -> list[np.ndarray]:
        return [
            np.asarray([math.log(p) if p > 0 else -math.inf for _, _, p in self._scored_tokens(s)])
            for s in corpus
        ]

    # ------------------------------------------------------------------ scoring

    def prob(self, word: str, context: Sequence[str]) -> float:
        """P(word | context), the probability that ``word`` follows the ``order - 1`` tokens.

        Args:
            word: Any str; strings outside the vocabulary are scored as UNK, ``"</s>"`` is the
                end of the sentence, and ``"<s>"`` gets 0 (it is never predicted; with
                ``nltk_compat=True`` it gets nltk's probability).
            context: Exactly ``order - 1`` tokens (a sequence, or a str split on whitespace;
                ``()`` for a unigram model). Near the start of a sentence left-pad with
                ``"<s>"``: the first word of a sentence has context ``("<s>",) * (order - 1)``,
                the second ``("<s>",) * (order - 2) + (w1,)``, and so on.

        Raises:
            TypeError: If ``word`` is not a str or ``context`` not a sequence of str.
            ValueError: If ``context`` does not have ``order - 1`` tokens.
            RuntimeError: If the model is not fitted.

        Introduced in: notebooks/01_ngram_language_models.ipynb
        """
        self._check_fitted()
        if not isinstance(word, str):
            raise TypeError(f"word must be a str token; got {describe(word)}")
        return self._prob(self._word(word), self._context(context))

    def score_tokens(self, sentence: Sequence[str]) -> list[tuple[str, Ngram, float]]:
        """Each predicted token of a sentence with its context and probability.

        The sentence is padded as in training, so the list has ``len(sentence) + 1`` entries,
        the last one for EOS. Tokens outside the vocabulary appear as ``"<unk>"``, exactly as
        the model sees them.

        Args:
            sentence: A sequence of str tokens, or a str split on whitespace (without
                ``"<s>"``/``"</s>"``).

        Returns:
            A list of ``(token, context, probability)``; ``context`` is a tuple of
            ``order - 1`` tokens.

        Introduced in: notebooks/01_ngram_language_models.ipynb
        """
        self._check_fitted()
        return self._scored(sentence)

    # ------------------------------------------------------------------ distributions

    def _followers(self, level: _Level) -> dict[Ngram, tuple[list[int], list[float]]]:
        """Context -> (word ids, alphas) of the level's n-grams, built on first use."""
        if level.followers is None:
            groups: dict[Ngram, tuple[list[int], list[float]]] = {}
            word_id = self._word_id
            for gram, a in level.alpha.items():
                entry = groups.get(gram[:-1])
                if entry is None:
                    entry = groups[gram[:-1]] = ([], [])
                entry[0].append(word_id[gram[-1]])
                entry[1].append(a)
            level.followers = groups
        return level.followers

    def _distribution_array(self, context: Ngram) -> np.ndarray:
        """P(w | context) for every vocabulary word, in :attr:`vocabulary` order."""
        p = np.full(len(self._vocab), self._base)
        n = self._order
        for level in self._levels:
            h = context[n - level.order :]
            gamma = level.gamma.get(h)
            if gamma is None:
                continue
            p *= gamma
            followers = self._followers(level).get(h)
            if followers is not None:
                p[followers[0]] += followers[1]
        return p

    def distribution(self, context: Sequence[str]) -> dict[str, float]:
        """P(w | context) for every word of the vocabulary (EOS and UNK included).

        The values sum to 1 (within rounding) for every smoothing method except ``"mle"``,
        whose distribution after a context never seen in training is all zeros.

        Args:
            context: Exactly ``order - 1`` tokens, as for :meth:`prob`.

        Returns:
            A new dict word -> probability, in :attr:`vocabulary` order.

        Introduced in: notebooks/01_ngram_language_models.ipynb
        """
        self._check_fitted()
        probs = self._distribution_array(self._context(context))
        return dict(zip(self._vocab, probs.tolist(), strict=True))

    def _sampler(self, context: object, allow_unk: bool, **options: Any) -> Sampler:
        """The next word's weights from the last ``order - 1`` tokens (BOS padded)."""
        prompt = () if context is None else as_tokens(context, "context")
        known = self._known
        history = [BOS] * (self._order - 1) + [t if t in known else UNK for t in prompt]
        excluded = [self._word_id[t] for t in (BOS,) if t in self._word_id]
        if not allow_unk:
            excluded.append(self._word_id[UNK])
        width = self._order - 1

        def weights_after(drawn: int | None) -> np.ndarray:
            if drawn is not None:
                history.append(self._vocab[drawn])
            ctx = tuple(history[len(history) - width :]) if width else ()
            probs = self._distribution_array(ctx)
            probs[excluded] = 0.0
            if not probs.sum() > 0:
                raise ValueError(
                    f"no word has a positive probability after the context {ctx!r} (an MLE model "
                    "gives none after a context it never saw); use another context or smoothing"
                )
            return probs

        return weights_after, self._word_id[EOS], self._vocab

    # ------------------------------------------------------------------ introspection

    @property
    def vocabulary(self) -> tuple[str, ...]:
        """The words the model predicts: training words by decreasing count, then EOS and UNK.

        With ``nltk_compat=True`` BOS follows UNK (nltk counts it as a word).

        Introduced in: notebooks/01_ngram_language_models.ipynb
        """
        self._check_fitted()
        return self._vocab

    @property
    def discounts(self) -> dict[int, tuple[float, float, float]]:
        """Kneser-Ney discounts ``(D1, D2, D3+)`` of each order (a new dict; empty otherwise).

        For plain Kneser-Ney the three are equal to ``discount``; for modified Kneser-Ney they
        are estimated per order from :meth:`count_of_counts` (``continuation=True`` below the
        top order). D_r is subtracted from an n-gram seen r times (3+: at least three).

        Introduced in: notebooks/01_ngram_language_models.ipynb
        """
        self._check_fitted()
        return dict(self._discounts)

    def _ngram_arg(self, ngram: object, name: str, low: int, high: int) -> Ngram:
        tokens = as_tokens(ngram, name)
        if not low <= len(tokens) <= high:
            raise ValueError(
                f"{name} must have between {low} and {high} tokens for this order-"
                f"{self._order} model; got {len(tokens)}: {tokens!r}"
            )
        return tokens

    def _order_arg(self, order_n: object, high: int) -> int:
        value = check_int(order_n, "order_n", 1)
        if value > high:
            raise ValueError(
                f"order_n must be an integer between 1 and {high} for this order-"
                f"{self._order} model; got {value}"
            )
        return value

    def count(self, ngram: Sequence[str]) -> int:
        """How many times the n-gram was counted in training (0 if never).

        Args:
            ngram: 1 to ``order`` tokens (a sequence or a str split on whitespace): the
                context, possibly starting with ``"<s>"`` padding, then the predicted token,
                e.g. ``("<s>", "나는")``. Tokens are not mapped to UNK: an unknown word has
                count 0, and with ``min_count > 1`` rare words were counted as ``"<unk>"``.

        Introduced in: notebooks/01_ngram_language_models.ipynb
        """
        self._check_fitted()
        tokens = self._ngram_arg(ngram, "ngram", 1, self._order)
        return self._raw[len(tokens)].get(tokens, 0)

    def context_count(self, context: Sequence[str]) -> int:
        """``c(h)``: how many counted n-grams start with the context (0 to order - 1 tokens).

        ``context_count(())`` is the number of predicted tokens in training (tokens plus one
        EOS per sentence). This is the MLE denominator: ``prob = count(h + (w,)) / c(h)``.

        Introduced in: notebooks/01_ngram_language_models.ipynb
        """
        self._check_fitted()
        tokens = self._ngram_arg(context, "context", 0, self._order - 1)
        stats = self._raw_stats[len(tokens) + 1].get(tokens)
        return 0 if stats is None else stats[0]

    def continuation_count(self, ngram: str | Sequence[str]) -> int:
        """``N1+(. ngram)``: the number of distinct tokens seen just before the n-gram.

        For a single word, the number of different contexts it completes: "Francisco" is
        frequent but follows almost only "San", so its continuation count is small. Kneser-Ney
        uses these in place of counts at every order below the top.

        Args:
            ngram: 1 to ``order - 1`` tokens (a sequence, or a str split on whitespace, so a
                single word can be passed as is).

        Introduced in: notebooks/01_ngram_language_models.ipynb
        """
        self._check_fitted()
        if self._order < 2:
            raise ValueError("continuation counts need order >= 2; this is a unigram model")
        tokens = self._ngram_arg(ngram, "ngram", 1, self._order - 1)
        return self._cont[len(tokens)].get(tokens, 0)

    def ngram_table(self, order_n: int) -> dict[Ngram, int]:
        """A copy of the counts of all n-grams of length ``order_n`` (1 to ``order``).

        Introduced in: notebooks/01_ngram_language_models.ipynb
        """
        self._check_fitted()
        return dict(self._raw[self._order_arg(order_n, self._order)])

    def count_of_counts(self, order_n: int, *, continuation: bool = False) -> dict[int, int]:
        """``r -> n_r``, the number of n-grams of length ``order_n`` counted exactly r times.

        Args:
            order_n: The n-gram length (1 to ``order``; below ``order`` with
                ``continuation=True``).
            continuation: Count-of-counts of the continuation counts instead of the counts.

        Returns:
            A new dict sorted by r.

        Introduced in: notebooks/01_ngram_language_models.ipynb
        """
        self._check_fitted()
        continuation = check_bool(continuation, "continuation")
        if continuation:
            if self._order < 2:
                raise ValueError("continuation counts need order >= 2; this is a unigram model")
            table: Mapping[Ngram, int] = self._cont[self._order_arg(order_n, self._order - 1)]
        else:
            table = self._raw[self._order_arg(order_n, self._order)]
        return dict(sorted(Counter(table.values()).items()))

    def __repr__(self) -> str:
        """Constructor arguments, then a summary of the fit.

        Introduced in: notebooks/01_ngram_language_models.ipynb
        """
        args = [f"order={self._order}", f"smoothing={self._smoothing!r}"]
        if self._smoothing == "add_k":
            args.append(f"k={self._k!r}")
        if self._smoothing == "interpolated":
            args.append(f"lambdas={tuple(round(x, 6) for x in self._lambdas)!r}")
        if self._smoothing == "kneser_ney":
            args.append("modified=True" if self._modified else f"discount={self._discount!r}")
        if self._min_count != 1:
            args.append(f"min_count={self._min_count}")
        if self._nltk_compat:
            args.append("nltk_compat=True")
        if not self._fitted:
            summary = "not fitted"
        else:
            summary = (
                f"fitted on {self._n_sentences:,} sentences, {self._n_tokens:,} tokens; "
                f"vocabulary {len(self._vocab):,}; "
                f"{len(self._raw[self._order]):,} distinct {self._order}-grams"
            )
        return f"NGramLM({', '.join(args)}) [{summary}]"
