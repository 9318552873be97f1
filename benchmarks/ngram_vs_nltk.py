"""Our NGramLM against nltk.lm on Shakespeare: same perplexities, much faster.

For training sets of about 10k and 100k tokens (the first lines of the corpus, in file order,
lower-cased ``[a-z']+`` words) and a held-out set of about 2k tokens (the lines that follow the
largest training set), fit trigram MLE, Laplace (add-one) and interpolated Kneser-Ney
(discount 0.75) with ``course_utils.ngram.NGramLM(..., nltk_compat=True)`` and with
``nltk.lm`` (``padded_everygram_pipeline``), and print one row per model: perplexities, their
absolute difference, fit times, scoring time per trigram and the scoring speed ratio.

Conventions, identical for both libraries:

* Both use a vocabulary cut-off of 2 (``min_count=2``, nltk's ``Vocabulary(unk_cutoff=2)``):
  training words seen once become the unknown token, so it has counts. Held-out words outside
  the vocabulary are mapped to the unknown token (``"<unk>"`` for us, ``"<UNK>"`` for nltk)
  before scoring. Without a cut-off nltk's Kneser-Ney gives the unknown token probability 0
  (its lowest order is the pure continuation distribution) and every perplexity is infinite.
* The scored trigrams are those of ``<s> <s> w1 ... wm </s>``: every word and one end marker
  per sentence; perplexity = ``exp(-mean(ln P))`` over them, from our ``prob`` and nltk's
  ``score``.
* MLE gives unseen trigrams probability 0, so its perplexity is ``inf`` for both; the
  "mle (seen)" row restricts both to the held-out trigrams seen in training.
* nltk's Kneser-Ney rescans its count tables on every call (tens of milliseconds per trigram at
  100k tokens), so both Kneser-Ney perplexities are computed on the same sample of
  ``KN_SAMPLE`` held-out trigrams (every k-th one), and nltk's scoring is timed on it.

Two extra rows show our Kneser-Ney with its default conventions (the unigram level interpolated
with the uniform distribution; no BOS in the vocabulary) and modified Kneser-Ney; nltk has no
counterpart, and they are evaluated on the same trigrams as the other Kneser-Ney rows.

Run with ``python benchmarks/ngram_vs_nltk.py`` (about half a minute).
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable, Sequence

from nltk.lm import MLE, KneserNeyInterpolated, Laplace, Vocabulary
from nltk.lm.preprocessing import padded_everygram_pipeline

from course_utils.data import shakespeare_lines
from course_utils.ngram import NGramLM
from course_utils.text import BOS, EOS, UNK

ORDER = 3
SIZES = (10_000, 100_000)
HELD_OUT_TOKENS = 2_000
MIN_COUNT = 2
KN_SAMPLE = 200
WORD = re.compile(r"[a-z']+")

Trigram = tuple[str, tuple[str, ...]]


def tokenised_lines() -> list[list[str]]:
    """Every line of Shakespeare as lower-case words, empty lines dropped, in file order."""
    words = (WORD.findall(line.lower()) for line in shakespeare_lines())
    return [sentence for sentence in words if sentence]


def take_tokens(lines: Sequence[list[str]], start: int, n_tokens: int) -> tuple[list, int]:
    """Lines from ``start`` until at least ``n_tokens`` tokens; returns them and the next index."""
    taken: list[list[str]] = []
    count = 0
    i = start
    while count < n_tokens:
        taken.append(lines[i])
        count += len(lines[i])
        i += 1
    return taken, i


def trigrams(sentences: Sequence[Sequence[str]], vocabulary: set[str]) -> list[Trigram]:
    """The (word, context) pairs that score the sentences; unknown words become UNK."""
    result: list[Trigram] = []
    for sentence in sentences:
        padded = [BOS] * (ORDER - 1) + [w if w in vocabulary else UNK for w in sentence] + [EOS]
        result += [(padded[i], tuple(padded[i - ORDER + 1 : i])) for i in range(2, len(padded))]
    return result


def to_nltk(token: str) -> str:
    return "<UNK>" if token == UNK else token


def timed_probs(score: Callable[[str, tuple[str, ...]], float], grams: list[Trigram]) -> tuple:
    """Probabilities of the trigrams and the seconds per trigram."""
    start = time.perf_counter()
    probs = [score(word, context) for word, context in grams]
    return probs, (time.perf_counter() - start) / len(grams)


def perplexity(probs: Sequence[float]) -> float:
    if min(probs) <= 0.0:
        return math.inf
    return math.exp(-math.fsum(math.log(p) for p in probs) / len(probs))


def fit_nltk(kind: str, train: list[list[str]]) -> tuple[object, float]:
    start = time.perf_counter()
    vocabulary = Vocabulary(unk_cutoff=MIN_COUNT)
    if kind == "kneser_ney":
        model = KneserNeyInterpolated(ORDER, discount=0.75, vocabulary=vocabulary)
    else:
        model = {"mle": MLE, "laplace": Laplace}[kind](ORDER, vocabulary=vocabulary)
    ngrams, vocab_text = padded_everygram_pipeline(ORDER, train)
    model.fit(ngrams, vocab_text)
    return model, time.perf_counter() - start


def fit_ours(train: list[list[str]], **kwargs: object) -> tuple[NGramLM, float]:
    start = time.perf_counter()
    lm = NGramLM(ORDER, min_count=MIN_COUNT, **kwargs).fit(train)  # type: ignore[arg-type]
    return lm, time.perf_counter() - start


def fmt(value: float, spec: str) -> str:
    return "inf" if math.isinf(value) else format(value, spec)


HEADER = (
    f"{'train':>7} {'model':<22} {'trigrams':>8} {'ppl ours':>10} {'ppl nltk':>10} "
    f"{'|diff|':>9} {'fit ours':>9} {'fit nltk':>9} {'us/tri ours':>11} "
    f"{'us/tri nltk':>11} {'speed-up':>9}"
)


def row(size: int, name: str, n: int, ours: tuple, theirs: tuple | None) -> str:
    """ours/theirs = (perplexity, fit seconds, seconds per trigram)."""
    ppl, fit_s, per = ours
    if theirs is None:
        rest = f"{'-':>10} {'-':>9} {fit_s:9.3f} {'-':>9} {per * 1e6:11.2f} {'-':>11} {'-':>9}"
    else:
        t_ppl, t_fit, t_per = theirs
        diff = "-" if math.isinf(ppl) or math.isinf(t_ppl) else f"{abs(ppl - t_ppl):9.1e}"
        rest = (
            f"{fmt(t_ppl, '10.4f'):>10} {diff:>9} {fit_s:9.3f} {t_fit:9.3f} "
            f"{per * 1e6:11.2f} {t_per * 1e6:11.1f} {t_per / per:8.0f}x"
        )
    return f"{size:>7,} {name:<22} {n:>8,} {fmt(ppl, '10.4f'):>10} {rest}"


def main() -> None:
    lines = tokenised_lines()
    subsets = {}
    for size in SIZES:
        subsets[size], end = take_tokens(lines, 0, size)
    held_out, _ = take_tokens(lines, end, HELD_OUT_TOKENS)
    print(
        f"Shakespeare, lower-case words; trigram models; min_count = unk_cutoff = {MIN_COUNT}; "
        f"held-out: {len(held_out):,} lines, {sum(map(len, held_out)):,} tokens "
        f"(+ one </s> each)"
    )
    print(HEADER)
    print("-" * len(HEADER))
    for size in SIZES:
        train = subsets[size]
        size_tokens = sum(map(len, train))
        for kind, ours_kwargs in (
            ("mle", {"smoothing": "mle"}),
            ("laplace", {"smoothing": "add_k", "k": 1.0}),
            ("kneser_ney", {"smoothing": "kneser_ney", "discount": 0.75}),
        ):
            lm, our_fit = fit_ours(train, nltk_compat=True, **ours_kwargs)
            model, nltk_fit = fit_nltk(kind, train)
            grams = trigrams(held_out, set(lm.vocabulary))
            if kind == "kneser_ney":
                grams = grams[:: max(1, len(grams) // KN_SAMPLE)][:KN_SAMPLE]
            ours_p, ours_per = timed_probs(lm.prob, grams)
            nltk_p, nltk_per = timed_probs(
                lambda w, c: model.score(to_nltk(w), tuple(map(to_nltk, c))),  # noqa: B023
                grams,
            )
            name = {"mle": "mle", "laplace": "laplace (add-1)", "kneser_ney": "kneser-ney"}[kind]
            print(
                row(
                    size_tokens,
                    name,
                    len(grams),
                    (perplexity(ours_p), our_fit, ours_per),
                    (perplexity(nltk_p), nltk_fit, nltk_per),
                )
            )
            if kind == "mle":
                seen = [i for i, p in enumerate(ours_p) if p > 0]
                assert seen == [i for i, p in enumerate(nltk_p) if p > 0]
                print(
                    row(
                        size_tokens,
                        "mle (seen)",
                        len(seen),
                        (perplexity([ours_p[i] for i in seen]), our_fit, ours_per),
                        (perplexity([nltk_p[i] for i in seen]), nltk_fit, nltk_per),
                    )
                )
            if kind == "kneser_ney":
                for label, kwargs in (
                    ("kneser-ney (default)", {"smoothing": "kneser_ney"}),
                    ("modified kneser-ney", {"smoothing": "kneser_ney", "modified": True}),
                ):
                    other, fit_s = fit_ours(train, **kwargs)
                    probs, per = timed_probs(other.prob, grams)
                    print(
                        row(size_tokens, label, len(grams), (perplexity(probs), fit_s, per), None)
                    )


if __name__ == "__main__":
    main()
