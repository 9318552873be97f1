"""Introduced in chapter 1: the interface every language model of the book shares.

A language model of this book predicts each token of a sentence ``w1 ... wm`` from the tokens
before it, then ``</s>``: ``m + 1`` predicted tokens per sentence. Everything a chapter asks of
a model follows from the log-probabilities of those tokens, so :class:`LanguageModel`
implements it once:

* :meth:`~LanguageModel.logprob` and :meth:`~LanguageModel.sentence_logprobs`: the natural-log
  probability of one sentence or of many;
* :meth:`~LanguageModel.cross_entropy` (nats per predicted token) and
  :meth:`~LanguageModel.perplexity`;
* :meth:`~LanguageModel.generate`: sampling word by word until ``</s>``.

A model supplies only what is its own: how it checks its input, the log-probabilities of the
predicted tokens of checked sentences, and the distribution of the next token while it
generates. :class:`TokenLM` adds the vocabulary side shared by the neural models (token ids,
``<pad>`` and ``<s>`` never predicted), and :class:`CausalLM` everything a model needs that maps
token ids ``(batch, time)`` to next-token logits ``(batch, time, V)`` and so conditions on the
whole history (``prob``, ``distribution``, ``score_tokens``). The book's models:

* :class:`~course_utils.ngram.NGramLM` (chapter 1): a :class:`LanguageModel`;
* :class:`~course_utils.models.NeuralLM` (chapter 2): a :class:`TokenLM`;
* :class:`~course_utils.models.RecurrentLM` (chapter 3) and
  :class:`~course_utils.attention.SequenceLM` (chapter 8): :class:`CausalLM` models, both
  trained by :func:`~course_utils.models.fit_causal_lm`.

This module imports NumPy only (no TensorFlow): the n-gram models use it too.

Introduced in: notebooks/01_ngram_language_models.ipynb
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np

from course_utils.text import BOS, EOS, PAD, UNK, Vocabulary
from course_utils.validation import check_bool, check_int, check_positive_real, describe

__all__ = ["CausalLM", "LanguageModel", "TokenLM"]

Ngram = tuple[str, ...]

#: Scoring works on blocks of about this many logits (rows x vocabulary) to bound memory.
SCORING_BLOCK = 1 << 22

#: What a model's sampler returns: the weights of the next token after the last drawn id
#: (``None`` before the first), the id of ``</s>`` and the token of each id.
Sampler = tuple[Callable[[int | None], np.ndarray], int, Sequence[str]]


# ---------------------------------------------------------------------------------------------
# Helpers shared by the models.
# ---------------------------------------------------------------------------------------------


def log_softmax(
    logits: np.ndarray, blocked: Sequence[int], targets: np.ndarray | None
) -> np.ndarray:
    """Log-probabilities from rows of logits ``(n, V)``, with the ``blocked`` ids at -inf.

    ``logits`` must be a float64 array the caller owns: it is modified in place. Returns
    ``log P(targets[i])`` of each row ``(n,)``, or the full log-distributions ``(n, V)`` if
    ``targets`` is None; each distribution sums to 1 over the ids that are not blocked.
    """
    logits[:, list(blocked)] = -np.inf
    top = logits.max(axis=1, keepdims=True)
    log_z = top + np.log(np.exp(logits - top).sum(axis=1, keepdims=True))
    if targets is None:
        return logits - log_z
    return logits[np.arange(targets.size), targets] - log_z[:, 0]


def draw(probs: np.ndarray, rng: np.random.Generator) -> int:
    """One id drawn from the (unnormalised, non-negative) weights ``probs`` by inverse CDF."""
    cdf = np.cumsum(probs)
    i = int(np.searchsorted(cdf, rng.random() * cdf[-1], side="right"))
    return min(i, probs.size - 1)


def as_tokens(value: object, name: str) -> Ngram:
    """A str split on whitespace, or a sequence (list, tuple, 1-D array) of str tokens."""
    if isinstance(value, str):
        return tuple(value.split())
    if isinstance(value, np.ndarray) and value.ndim == 1:
        value = value.tolist()
    if isinstance(value, (bytes, bytearray)) or not isinstance(value, Sequence):
        raise TypeError(
            f"{name} must be a str or a sequence (list, tuple) of str tokens; got {describe(value)}"
        )
    tokens = tuple(value)
    for i, token in enumerate(tokens):
        if not isinstance(token, str):
            raise TypeError(f"{name}[{i}] must be a str token; got {describe(token)}")
    return tokens


def _total(logs: np.ndarray) -> float:
    """The sum of a sentence's token log-probabilities (``-inf`` if one of them is)."""
    values = logs.tolist()
    return -math.inf if -math.inf in values else math.fsum(values)


# ---------------------------------------------------------------------------------------------
# The interface.
# ---------------------------------------------------------------------------------------------


class LanguageModel:
    """The scoring and sampling every language model of the book shares.

    A subclass implements four hooks: ``_check_sentence`` and ``_check_corpus`` (its input
    checks, with its messages), ``_token_logprobs`` (the natural-log probabilities of the
    predicted tokens of checked sentences, ``len(sentence) + 1`` per sentence, ``</s>`` last) and
    ``_sampler`` (the next-token weights while generating); ``_check_ready`` may refuse an
    unfitted model. Everything below is then the same for every model, so the numbers of two
    models compare directly.

    Args:
        None: the class is a base; its subclasses take the arguments.

    Raises:
        NotImplementedError: If a hook is missing.

    Example:
        >>> from course_utils.ngram import NGramLM
        >>> lm = NGramLM(2, "add_k", k=1.0).fit([["a", "b"], ["a", "c"]])
        >>> isinstance(lm, LanguageModel), round(lm.perplexity([["a", "b"]]), 3)
        (True, 2.904)

    Introduced in: notebooks/01_ngram_language_models.ipynb
    """

    # ------------------------------------------------------------------ hooks

    def _check_ready(self) -> None:
        """Raise if the model cannot score yet (an n-gram model before ``fit``)."""

    def _check_sentence(self, sentence: object, name: str) -> Ngram:
        raise NotImplementedError

    def _check_corpus(self, sentences: object, name: str) -> list[Ngram]:
        raise NotImplementedError

    def _token_logprobs(
        self, corpus: Sequence[Ngram], name: str, *, single: bool = False
    ) -> list[np.ndarray]:
        raise NotImplementedError

    def _sampler(self, context: object, allow_unk: bool, **options: Any) -> Sampler:
        raise NotImplementedError

    # ------------------------------------------------------------------ scoring

    def logprob(self, sentence: Sequence[str]) -> float:
        """Natural-log probability of a whole sentence, ``</s>`` included.

        ``log P(w1 ... wm </s>) = sum_i log P(w_i | what the model sees before it)``: the
        last ``n - 1`` tokens for an n-gram or feed-forward model, every earlier token for a
        recurrent or attention model. ``-inf`` as soon as one probability is 0 (possible only
        for an unsmoothed n-gram model).

        Args:
            sentence: A sequence of str tokens, or a str split on whitespace (without
                ``"<s>"``/``"</s>"``).

        Returns:
            A float, ``<= 0``.

        Raises:
            TypeError: If ``sentence`` is not a sequence of str.
            ValueError: If it holds a marker the model adds itself.

        Example:
            >>> from course_utils.ngram import NGramLM
            >>> lm = NGramLM(1, "mle").fit([["a", "b"]])
            >>> round(lm.logprob(["a"]), 4)  # P(a) P(</s>) = 1/3 * 1/3
            -2.1972

        Introduced in: notebooks/01_ngram_language_models.ipynb
        """
        self._check_ready()
        tokens = self._check_sentence(sentence, "sentence")
        return _total(self._token_logprobs([tokens], "sentence", single=True)[0])

    def sentence_logprobs(self, sentences: Iterable[Sequence[str]]) -> np.ndarray:
        """:meth:`logprob` of many sentences at once (neural models score them in batches).

        Args:
            sentences: An iterable of sentences, each a sequence of str tokens.

        Returns:
            A float array with one natural-log probability per sentence.

        Raises:
            TypeError: If ``sentences`` is not an iterable of token sequences.
            ValueError: If there is no sentence.

        Example:
            >>> from course_utils.ngram import NGramLM
            >>> lm = NGramLM(1, "mle").fit([["a", "b"]])
            >>> lm.sentence_logprobs([["a"], ["a", "b"]]).round(4).tolist()
            [-2.1972, -3.2958]

        Introduced in: notebooks/01_ngram_language_models.ipynb
        """
        self._check_ready()
        corpus = self._check_corpus(sentences, "sentences")
        logs = self._token_logprobs(corpus, "sentences")
        return np.asarray([_total(piece) for piece in logs], dtype=np.float64)

    def cross_entropy(self, sentences: Iterable[Sequence[str]]) -> float:
        """Average negative log-probability, in nats per predicted token (``</s>`` counted).

        Every sentence contributes ``len(sentence) + 1`` predicted tokens; the result is
        ``inf`` if some token has probability 0.

        Args:
            sentences: An iterable of sentences, each a sequence of str tokens.

        Returns:
            A float, ``>= 0``.

        Raises:
            TypeError: If ``sentences`` is not an iterable of token sequences.
            ValueError: If there is no sentence.

        Example:
            >>> from course_utils.ngram import NGramLM
            >>> lm = NGramLM(1, "mle").fit([["a", "b"]])
            >>> round(lm.cross_entropy([["a", "b"]]), 4)  # ln 3
            1.0986

        Introduced in: notebooks/01_ngram_language_models.ipynb
        """
        self._check_ready()
        corpus = self._check_corpus(sentences, "sentences")
        logs = np.concatenate(self._token_logprobs(corpus, "sentences"))
        if np.isneginf(logs).any():
            return math.inf
        return -math.fsum(logs.tolist()) / logs.size

    def perplexity(self, sentences: Iterable[Sequence[str]]) -> float:
        """``exp(cross_entropy(sentences))``: the effective number of choices per token.

        Args:
            sentences: As for :meth:`cross_entropy`.

        Returns:
            A float, ``>= 1``; ``inf`` when some token has probability 0.

        Raises:
            TypeError: If ``sentences`` is not an iterable of token sequences.
            ValueError: If there is no sentence.

        Example:
            >>> from course_utils.ngram import NGramLM
            >>> lm = NGramLM(1, "mle").fit([["a", "b"]])
            >>> round(lm.perplexity([["a", "b"]]), 4)
            3.0

        Introduced in: notebooks/01_ngram_language_models.ipynb
        """
        h = self.cross_entropy(sentences)
        return math.exp(h) if h < 709.0 else math.inf

    # ------------------------------------------------------------------ sampling

    def _generate(
        self,
        n_words: object,
        seed: object,
        context: object,
        max_words: object,
        allow_unk: object,
        **options: Any,
    ) -> list[str]:
        """The sampling loop of :meth:`generate`, with a model's own ``options``."""
        self._check_ready()
        limit = check_int(max_words, "max_words", 1)
        if n_words is not None:
            limit = check_int(n_words, "n_words", 1)
        rng = np.random.default_rng(check_int(seed, "seed", 0))
        allow_unk = check_bool(allow_unk, "allow_unk")
        weights_after, eos, tokens = self._sampler(context, allow_unk, **options)
        words: list[str] = []
        drawn = None
        while len(words) < limit:
            drawn = draw(weights_after(drawn), rng)
            if drawn == eos:
                break
            words.append(tokens[drawn])
        return words

    def generate(
        self,
        n_words: int | None = None,
        *,
        seed: int = 0,
        context: Sequence[str] | None = None,
        max_words: int = 100,
        allow_unk: bool = True,
    ) -> list[str]:
        """Sample a sentence word by word from the model.

        Each word is drawn from the model's distribution of the next token given everything
        before it (what the model sees of it) until ``</s>`` is drawn (not returned) or
        ``n_words`` words (``max_words`` if ``n_words`` is None) have been produced. ``<s>`` is
        never produced; ``<unk>`` can be, unless ``allow_unk=False`` (the rest is then
        renormalised).

        Args:
            n_words: Stop after this many words (>= 1), or None to stop at ``</s>`` only.
            seed: Seed of :func:`numpy.random.default_rng` (>= 0): same seed, same words.
            context: Optional words the sentence starts with (a prompt; not returned).
            max_words: Safety limit when ``n_words`` is None (>= 1).
            allow_unk: Whether ``<unk>`` may be produced.

        Returns:
            The generated words (a new list, possibly empty if ``</s>`` comes first).

        Raises:
            TypeError: If an argument has the wrong type.
            ValueError: If a number is out of range or ``context`` holds a reserved token.

        Example:
            >>> from course_utils.ngram import NGramLM
            >>> lm = NGramLM(2, "mle").fit([["a", "b"]])
            >>> lm.generate(seed=0)
            ['a', 'b']

        Introduced in: notebooks/01_ngram_language_models.ipynb
        """
        return self._generate(n_words, seed, context, max_words, allow_unk)


# ---------------------------------------------------------------------------------------------
# The neural models' side: a Vocabulary, token ids, a Keras model.
# ---------------------------------------------------------------------------------------------


def check_vocabulary(vocab: object) -> Vocabulary:
    """Return ``vocab`` if it is a :class:`Vocabulary`, or raise a TypeError."""
    if not isinstance(vocab, Vocabulary):
        raise TypeError(
            "vocab must be a course_utils.text.Vocabulary, e.g. Vocabulary.build(train); "
            f"got {describe(vocab)}"
        )
    return vocab


def check_sentence(value: object, name: str) -> Ngram:
    """One sentence: tokens without the markers the model adds itself (``<s>``, ``</s>``, pad)."""
    tokens = as_tokens(value, name)
    for i, token in enumerate(tokens):
        if token in (BOS, EOS, PAD):
            raise ValueError(
                f"{name}[{i}] is the reserved token {token!r}; pass sentences without "
                f"{BOS!r}/{EOS!r}/{PAD!r}: the model pads every sentence itself"
            )
    return tokens


def check_corpus(sentences: object, name: str) -> list[Ngram]:
    """A non-empty corpus: an iterable of sentences, each a sequence of str tokens."""
    if isinstance(sentences, (str, bytes, bytearray)) or not isinstance(sentences, Iterable):
        raise TypeError(
            f"{name} must be an iterable of sentences, each a list of str tokens, e.g. "
            f"[['나는', '배가', '고프다'], ...]; got {describe(sentences)}"
        )
    corpus: list[Ngram] = []
    for i, sentence in enumerate(sentences):
        if isinstance(sentence, str):
            raise TypeError(
                f"{name}[{i}] is a str; each sentence must be a sequence of str tokens: split "
                "it first (e.g. line.split()), or wrap a single sentence in a list"
            )
        corpus.append(check_sentence(sentence, f"{name}[{i}]"))
    if not corpus:
        raise ValueError(f"{name} must hold at least one sentence; got none")
    return corpus


class TokenLM(LanguageModel):
    """A language model over the ids of a :class:`~course_utils.text.Vocabulary`.

    The vocabulary must have ``<s>`` and ``</s>`` among its specials; ``<pad>`` and ``<s>`` are
    never predicted (their logits are left out of every softmax), every other token is,
    ``</s>`` and ``<unk>`` included. Words outside the vocabulary are read as ``<unk>``.
    Subclasses keep their Keras model in ``_model`` and call ``_set_vocab`` when built.

    Args:
        None: the class is a base; :class:`~course_utils.models.NeuralLM` and
            :class:`CausalLM` take the arguments.

    Raises:
        ValueError: From ``_set_vocab``, if the vocabulary lacks ``<s>`` or ``</s>``.

    Example:
        >>> from course_utils.models import NeuralLM
        >>> issubclass(NeuralLM, TokenLM)
        True

    Introduced in: notebooks/02_word_embeddings.ipynb
    """

    _model: Any
    _vocab: Vocabulary
    _bos_id: int
    _eos_id: int
    _blocked: list[int]
    _predicted: tuple[str, ...]
    _predicted_ids: np.ndarray

    def _set_vocab(self, vocab: Vocabulary) -> None:
        """Check that ``vocab`` has ``<s>`` and ``</s>``; derive the blocked/predicted ids."""
        for token in (BOS, EOS):
            if token not in vocab.specials:
                raise ValueError(
                    f"vocab must have {token!r} among its specials (sentences are padded with "
                    f"{BOS!r} and end with {EOS!r}); got specials {vocab.specials!r}"
                )
        self._vocab = vocab
        self._bos_id = vocab.bos_id
        self._eos_id = vocab.eos_id
        self._blocked = sorted(vocab.token_to_id(t) for t in (PAD, BOS) if t in vocab.specials)
        blocked = set(self._blocked)
        self._predicted = tuple(t for i, t in enumerate(vocab.tokens) if i not in blocked)
        self._predicted_ids = np.array(
            [i for i in range(len(vocab)) if i not in blocked], dtype=np.int64
        )

    def _check_sentence(self, sentence: object, name: str) -> Ngram:
        return check_sentence(sentence, name)

    def _check_corpus(self, sentences: object, name: str) -> list[Ngram]:
        return check_corpus(sentences, name)

    def _encode(self, tokens: Sequence[str], name: str) -> list[int]:
        """Token ids (unknown tokens -> ``<unk>``); an error naming ``name[i]`` if no ``<unk>``."""
        vocab = self._vocab
        if UNK not in vocab.specials:
            for i, token in enumerate(tokens):
                if token not in vocab:
                    raise ValueError(
                        f"{name}[{i}] is {token!r}, which is not in the vocabulary, and the "
                        f"vocabulary has no {UNK!r} to replace it; expected known tokens, or a "
                        f"vocabulary built with {UNK!r} among its specials"
                    )
        return vocab.encode(list(tokens))

    def _word_id(self, word: object) -> int:
        """The id ``prob`` scores ``word`` as (unknown -> ``<unk>``), or an error if none."""
        if not isinstance(word, str):
            raise TypeError(f"word must be a str token; got {describe(word)}")
        if UNK not in self._vocab.specials and word not in self._vocab:
            raise ValueError(
                f"word {word!r} is not in the vocabulary, which has no {UNK!r} to stand for it; "
                "expected a known token"
            )
        return self._vocab.token_to_id(word)

    def _excluded_ids(self, allow_unk: bool) -> list[int]:
        """The ids generation never draws: the blocked ones, plus ``<unk>`` unless allowed."""
        excluded = list(self._blocked)
        if not allow_unk and UNK in self._vocab.specials:
            excluded.append(self._vocab.unk_id)
        return excluded

    def _as_distribution(self, log_probs: np.ndarray) -> dict[str, float]:
        """Token -> probability over the predicted tokens, from one row of log-probabilities."""
        probs = np.exp(log_probs[self._predicted_ids])
        return dict(zip(self._predicted, probs.tolist(), strict=True))

    @property
    def model(self) -> Any:
        """The underlying Keras model (its inputs and layers: see the class).

        Introduced in: notebooks/02_word_embeddings.ipynb
        """
        return self._model

    @property
    def vocab(self) -> Vocabulary:
        """The :class:`~course_utils.text.Vocabulary` the model was built with.

        Introduced in: notebooks/02_word_embeddings.ipynb
        """
        return self._vocab

    @property
    def vocabulary(self) -> tuple[str, ...]:
        """The tokens the model predicts, in id order: every token except ``<pad>`` and ``<s>``.

        Introduced in: notebooks/02_word_embeddings.ipynb
        """
        return self._predicted

    @property
    def embeddings(self) -> np.ndarray:
        """The embedding matrix, shape ``(len(vocab), dim)``: row i is token i's vector.

        It is the weight of the model's layer named ``"embedding"``.

        Introduced in: notebooks/02_word_embeddings.ipynb
        """
        return np.asarray(self._model.get_layer("embedding").get_weights()[0])


class CausalLM(TokenLM):
    """A language model from a Keras model that maps token ids to next-token logits.

    The model reads ``[<s>, w1, ..., wm]`` (``(batch, time)`` int ids, right-padded with
    ``<pad>`` = 0) and returns logits ``(batch, time, V)``: row ``t`` predicts the token after
    position ``t``, ``[w1, ..., wm, </s>]`` in all. It must be causal (position ``t`` sees
    positions ``<= t`` only), so padding on the right changes nothing at real positions. A
    recurrent network is causal by construction; a self-attention model is, with a causal mask.

    Contexts: :meth:`prob`, :meth:`distribution` and :meth:`score_tokens` take or give the
    context as *all* previous tokens of the sentence, without ``<s>`` (an empty context before
    the first word). Sentences are scored in padded batches of about ``SCORING_BLOCK`` logits.

    Args:
        None: the class is a base; :class:`~course_utils.models.RecurrentLM` and
            :class:`~course_utils.attention.SequenceLM` take the arguments.

    Raises:
        ValueError: When scoring, if the model's logits have the wrong shape.

    Example:
        >>> from course_utils.models import RecurrentLM
        >>> issubclass(RecurrentLM, CausalLM)
        True

    Introduced in: notebooks/03_recurrent_networks.ipynb
    """

    _pad_id: int
    _n_tokens: int = 0  # predicted tokens x epochs trained (see models.fit_causal_lm)

    def _logits(self, x: np.ndarray) -> np.ndarray:
        """The model's logits of a padded batch ``x``, as float64 ``(batch, time, V)``."""
        logits = np.asarray(self._model(x, training=False), dtype=np.float64)
        if logits.shape != (*x.shape, len(self._vocab)):
            raise ValueError(
                f"the model must return logits of shape (batch, time, {len(self._vocab)}); "
                f"got {logits.shape} for input {x.shape}"
            )
        return logits

    def _id_sequences(
        self, corpus: Sequence[Ngram], name: str, *, single: bool = False
    ) -> list[list[int]]:
        """``[<s>] + ids + [</s>]`` per sentence: inputs are ``[:-1]``, targets ``[1:]``.

        ``name`` names the corpus in error messages (``sentences[3][1]``), or with ``single``
        the one sentence it holds (``sentence[1]``).
        """
        return [
            [
                self._bos_id,
                *self._encode(sentence, name if single else f"{name}[{i}]"),
                self._eos_id,
            ]
            for i, sentence in enumerate(corpus)
        ]

    def _padded(self, rows: Sequence[Sequence[int]], width: int) -> np.ndarray:
        """The rows as an int32 array ``(len(rows), width)``, right-padded with ``<pad>``."""
        out = np.full((len(rows), width), self._pad_id, dtype=np.int32)
        for i, row in enumerate(rows):
            out[i, : len(row)] = row
        return out

    def _history_ids(self, context: object) -> list[int]:
        """``[<s>] + ids`` of a context: the previous words of a sentence, without ``<s>``."""
        tokens = as_tokens(context, "context")
        for i, token in enumerate(tokens):
            if token in (BOS, EOS, PAD):
                raise ValueError(
                    f"context[{i}] is the reserved token {token!r}; pass the previous words of "
                    f"the sentence only (an empty list before its first word): the model reads "
                    f"{BOS!r} first by itself"
                )
        return [self._bos_id, *self._encode(tokens, "context")]

    def _arrays(self, corpus: Sequence[Ngram], name: str) -> tuple[np.ndarray, ...]:
        """(inputs, targets, per-sentence weights N / T) of a checked corpus."""
        sequences = self._id_sequences(corpus, name)
        width = max(len(s) for s in sequences) - 1
        x = self._padded([s[:-1] for s in sequences], width)
        y = self._padded([s[1:] for s in sequences], width)
        n_tokens = sum(len(s) - 1 for s in sequences)
        weights = np.full(len(sequences), len(sequences) / n_tokens, dtype=np.float32)
        return x, y, weights

    def _log_probs(
        self, inputs: Sequence[Sequence[int]], targets: Sequence[Sequence[int]] | None
    ) -> list[np.ndarray]:
        """Per input sequence, ``log P(targets[i][t] | inputs[i][: t + 1])`` for every ``t``.

        With ``targets`` None, the full log-distributions ``(len(inputs[i]), V)`` instead. The
        sequences are sorted by length and cut into blocks of about ``SCORING_BLOCK`` logits;
        each block is padded to its longest sequence and scored in one model call.
        """
        size = len(self._vocab)
        lengths = np.asarray([len(s) for s in inputs], dtype=np.int64)
        order = np.argsort(lengths, kind="stable")
        out: list[np.ndarray] = [np.zeros(0)] * len(inputs)
        start = 0
        while start < order.size:
            stop = start + 1
            while (
                stop < order.size
                and (stop + 1 - start) * int(lengths[order[stop]]) * size <= SCORING_BLOCK
            ):
                stop += 1
            block = order[start:stop]
            block_lengths = lengths[block]
            width = int(block_lengths.max())
            logits = self._logits(self._padded([inputs[i] for i in block], width))
            real = logits[np.arange(width) < block_lengths[:, None]]  # (sum of lengths, V)
            y = None
            if targets is not None:
                y = np.concatenate([np.asarray(targets[i], dtype=np.int64) for i in block])
            logs = log_softmax(real, self._blocked, y)
            pieces = np.split(logs, np.cumsum(block_lengths)[:-1])
            for i, piece in zip(block.tolist(), pieces, strict=True):
                out[i] = piece
            start = stop
        return out

    def _sentence_log_probs(
        self, corpus: Sequence[Ngram], name: str, *, single: bool = False
    ) -> tuple[list[list[int]], list[np.ndarray]]:
        """The id sequences of a corpus and the log-probabilities of their predicted tokens."""
        sequences = self._id_sequences(corpus, name, single=single)
        logs = self._log_probs([s[:-1] for s in sequences], [s[1:] for s in sequences])
        return sequences, logs

    def _token_logprobs(
        self, corpus: Sequence[Ngram], name: str, *, single: bool = False
    ) -> list[np.ndarray]:
        return self._sentence_log_probs(corpus, name, single=single)[1]

    def _sampler(self, context: object, allow_unk: bool, **options: Any) -> Sampler:
        """Re-read the whole history at every step (a recurrent model overrides this)."""
        temperature = options.get("temperature", 1.0)
        history = self._history_ids([] if context is None else context)
        excluded = self._excluded_ids(allow_unk)

        def weights_after(drawn: int | None) -> np.ndarray:
            if drawn is not None:
                history.append(drawn)
            logits = self._logits(np.asarray([history], dtype=np.int32))[0, -1:] / temperature
            return np.exp(log_softmax(logits, excluded, None)[0])

        return weights_after, self._eos_id, self._vocab.tokens

    def prob(self, word: str, context: Sequence[str]) -> float:
        """P(word | context), the probability that ``word`` follows the whole ``context``.

        Args:
            word: Any str; strings outside the vocabulary are scored as ``<unk>``, ``"</s>"``
                is the end of the sentence, and ``"<s>"`` and ``"<pad>"`` get 0 (never
                predicted).
            context: All previous tokens of the sentence (a sequence, or a str split on
                whitespace), *without* ``<s>``: ``[]`` for the first word. Unlike the
                fixed-size window of :meth:`NeuralLM.prob <course_utils.models.NeuralLM.prob>`,
                any length is allowed.

        Returns:
            A probability in ``[0, 1]``.

        Raises:
            TypeError: If ``word`` is not a str or ``context`` not a sequence of str.
            ValueError: If ``context`` holds ``<s>``, ``</s>`` or ``<pad>``.

        Example:
            >>> from course_utils.models import RecurrentLM
            >>> from course_utils.text import Vocabulary
            >>> lm = RecurrentLM(Vocabulary.build([["a", "b"]]), units=2, dim=2)
            >>> lm.prob("<s>", ["a"])
            0.0

        Introduced in: notebooks/03_recurrent_networks.ipynb
        """
        history = self._history_ids(context) if isinstance(word, str) else None
        word_id = self._word_id(word)
        if history is None or word_id in self._blocked:
            return 0.0
        logs = self._log_probs([history], [[*history[1:], word_id]])[0]
        return float(np.exp(logs[-1]))

    def distribution(self, context: Sequence[str]) -> dict[str, float]:
        """P(w | context) for every predicted token (the vocabulary minus ``<pad>`` and ``<s>``).

        The values sum to 1 (within rounding); ``</s>`` and ``<unk>`` are included.

        Args:
            context: All previous tokens of the sentence, without ``<s>``, as for :meth:`prob`.

        Returns:
            A new dict token -> probability, in :attr:`vocabulary` order.

        Raises:
            TypeError: If ``context`` is not a sequence of str.
            ValueError: If ``context`` holds ``<s>``, ``</s>`` or ``<pad>``.

        Example:
            >>> from course_utils.models import RecurrentLM
            >>> from course_utils.text import Vocabulary
            >>> lm = RecurrentLM(Vocabulary.build([["a", "b"]]), units=2, dim=2)
            >>> round(sum(lm.distribution(["a"]).values()), 6)
            1.0

        Introduced in: notebooks/03_recurrent_networks.ipynb
        """
        return self._as_distribution(self._log_probs([self._history_ids(context)], None)[0][-1])

    def score_tokens(self, sentence: Sequence[str]) -> list[tuple[str, Ngram, float]]:
        """Each predicted token of a sentence with its context and probability.

        The list has ``len(sentence) + 1`` entries, the last one for ``</s>``, like
        :meth:`NGramLM.score_tokens <course_utils.ngram.NGramLM.score_tokens>`; but each
        context is the *whole* prefix of the sentence (without ``<s>``: ``()`` for the first
        word), not a window of ``n - 1`` tokens padded with ``<s>``: this is what the model
        conditions on. Tokens outside the vocabulary appear as ``"<unk>"``, as the model sees
        them, in the predicted tokens and in the contexts. One model call.

        Args:
            sentence: A sequence of str tokens, or a str split on whitespace (without
                ``"<s>"``/``"</s>"``).

        Returns:
            A list of ``(token, context, probability)``; ``prob(token, context)`` gives the
            same probability.

        Raises:
            TypeError: If ``sentence`` is not a sequence of str.
            ValueError: If it holds a reserved token.

        Example:
            >>> from course_utils.models import RecurrentLM
            >>> from course_utils.text import Vocabulary
            >>> lm = RecurrentLM(Vocabulary.build([["a", "b"]]), units=2, dim=2)
            >>> [(token, context) for token, context, _ in lm.score_tokens(["a", "b"])]
            [('a', ()), ('b', ('a',)), ('</s>', ('a', 'b'))]

        Introduced in: notebooks/03_recurrent_networks.ipynb
        """
        tokens = self._check_sentence(sentence, "sentence")
        sequences, logs = self._sentence_log_probs([tokens], "sentence", single=True)
        shown = [self._vocab.tokens[i] for i in sequences[0][1:]]
        return [
            (shown[t], tuple(shown[:t]), float(math.exp(lp)))
            for t, lp in enumerate(logs[0].tolist())
        ]

    def generate(
        self,
        n_words: int | None = None,
        *,
        seed: int = 0,
        context: Sequence[str] | None = None,
        max_words: int = 100,
        temperature: float = 1.0,
        allow_unk: bool = True,
    ) -> list[str]:
        """Sample a sentence word by word, as :meth:`LanguageModel.generate` does.

        Each word is drawn from ``softmax(logits / temperature)`` given everything before it
        until ``</s>`` is drawn (not returned) or ``n_words`` words (``max_words`` if
        ``n_words`` is None) have been produced. With ``temperature=1`` the words follow
        :meth:`distribution` of everything before them.

        Args:
            n_words: Stop after this many words (>= 1), or None to stop at ``</s>`` only.
            seed: Seed of :func:`numpy.random.default_rng` (>= 0): same seed, same words.
            context: Optional words the sentence starts with (a prompt; not returned).
            max_words: Safety limit when ``n_words`` is None (>= 1).
            temperature: Divides the logits (> 0): below 1 sharpens the distribution (towards
                the most likely word), above 1 flattens it (towards uniform).
            allow_unk: Whether ``<unk>`` may be produced (if not, the rest is renormalised).

        Returns:
            The generated words (possibly empty if ``</s>`` comes first).

        Raises:
            TypeError: If an argument has the wrong type.
            ValueError: If a number is out of range or ``context`` holds a reserved token.

        Example:
            >>> from course_utils.models import RecurrentLM
            >>> from course_utils.text import Vocabulary
            >>> lm = RecurrentLM(Vocabulary.build([["a", "b"]]), units=2, dim=2)
            >>> len(lm.generate(3, seed=0)) <= 3
            True

        Introduced in: notebooks/03_recurrent_networks.ipynb
        """
        temperature = check_positive_real(temperature, "temperature")
        return self._generate(n_words, seed, context, max_words, allow_unk, temperature=temperature)
