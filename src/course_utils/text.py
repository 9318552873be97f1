"""Tokenisers and vocabularies: from raw text to the integer ids a model reads.

Tokenisers (deterministic, pure Python: :mod:`re` and :mod:`unicodedata` only):

* :func:`english_words`: lower-cased English words that keep their internal apostrophes and
  hyphens (``o'er``, ``sad-tun'd``), for Shakespeare.
* :func:`characters`: one token per Unicode code point of the NFC-normalised text.
* :func:`eojeol`: Korean space-separated units (어절), e.g. ``나는 | 무지 | 배가 | 고프다``.
* :func:`syllables`: Korean syllable blocks (음절) ``나 | 는 | 무 | 지 | ...``, with an optional
  token that marks the word boundaries.
* :func:`jamo`: Korean letters (자모) ``ᄂ | ᅡ | ᄂ | ᅳ | ᆫ | ...``, built on :func:`to_jamo`
  (Unicode NFD) and inverted by :func:`from_jamo` (Unicode NFC).

:data:`TOKENIZERS` maps each tokeniser's name to the function, so that a notebook can compare
them in one loop. :func:`ngrams` cuts a token sequence into n-grams, padded with :data:`BOS` and
:data:`EOS` the way the n-gram language model expects, and :class:`Vocabulary` maps tokens to
integer ids and back (``<pad>`` = 0, so that Keras's ``mask_zero=True`` works).

This module imports no TensorFlow; its argument checks come from :mod:`course_utils.validation`
(which imports NumPy).

Introduced in: notebooks/01_ngram_language_models.ipynb
"""

from __future__ import annotations

import operator
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from types import MappingProxyType
from typing import Any, Final

from course_utils.validation import check_bool, check_int, describe

__all__ = [
    "BOS",
    "DEFAULT_SPECIALS",
    "EOS",
    "PAD",
    "TOKENIZERS",
    "UNK",
    "Vocabulary",
    "characters",
    "display_width",
    "english_words",
    "eojeol",
    "from_jamo",
    "is_hangul_syllable",
    "jamo",
    "ljust_display",
    "ngrams",
    "syllables",
    "to_jamo",
]

#: Start-of-sentence marker (padding on the left of n-gram contexts).
#:
#: Introduced in: notebooks/01_ngram_language_models.ipynb
BOS = "<s>"
#: End-of-sentence marker: a language model predicts it like any other token.
#:
#: Introduced in: notebooks/01_ngram_language_models.ipynb
EOS = "</s>"
#: The token that replaces every word outside the vocabulary.
#:
#: Introduced in: notebooks/01_ngram_language_models.ipynb
UNK = "<unk>"
#: Padding id 0 for batches of sequences of different lengths (Keras masking).
#:
#: Introduced in: notebooks/01_ngram_language_models.ipynb
PAD = "<pad>"

#: The special tokens of a :class:`Vocabulary` unless told otherwise, in id order:
#: ``<pad>`` = 0, ``<unk>`` = 1, ``<s>`` = 2, ``</s>`` = 3.
#:
#: Introduced in: notebooks/01_ngram_language_models.ipynb
DEFAULT_SPECIALS: Final[tuple[str, ...]] = (PAD, UNK, BOS, EOS)

# The first and last Hangul syllable blocks: U+AC00 가 .. U+D7A3 힣 (11,172 = 19 * 21 * 28).
_HANGUL_FIRST: Final[int] = 0xAC00
_HANGUL_LAST: Final[int] = 0xD7A3

# A word: letters, optionally joined by single apostrophes or hyphens that have a letter on both
# sides. ``[^\W\d_]`` is "a Unicode letter": a word character that is neither a digit nor "_".
_LETTERS: Final[str] = r"[^\W\d_]+"
_ENGLISH_WORD: Final[re.Pattern[str]] = re.compile(rf"{_LETTERS}(?:['-]{_LETTERS})*")
# Typographic apostrophes and hyphens that mean the same as the ASCII ones inside a word.
_APOSTROPHES_AND_HYPHENS: Final[dict[int, str]] = {
    0x2018: "'",  # LEFT SINGLE QUOTATION MARK
    0x2019: "'",  # RIGHT SINGLE QUOTATION MARK, the usual typographic apostrophe
    0x02BC: "'",  # MODIFIER LETTER APOSTROPHE
    0x2010: "-",  # HYPHEN
    0x2011: "-",  # NON-BREAKING HYPHEN
}

_REPR_TOKENS: Final[int] = 8  # tokens shown by Vocabulary.__repr__


# ---------------------------------------------------------------------------------------------
# Argument checking
# ---------------------------------------------------------------------------------------------


def _check_text(text: object, name: str = "text") -> str:
    """Return ``text`` if it is a str, or raise a TypeError naming ``name``."""
    if isinstance(text, str):
        return text
    if isinstance(text, (bytes, bytearray)):
        raise TypeError(
            f"{name} must be a str; got {type(text).__name__}: decode it first, "
            f"e.g. {name}.decode('utf-8')"
        )
    raise TypeError(f"{name} must be a str; got {describe(text)}")


def _check_tokens(tokens: object, name: str = "tokens") -> list[str]:
    """Return ``tokens`` as a list of str, or raise naming ``name`` and the offending item."""
    if isinstance(tokens, str):
        raise TypeError(
            f"{name} must be a sequence of str tokens (a list or tuple), not a str; "
            f"tokenise the text first, e.g. {name}=eojeol(text) or {name}=english_words(text)"
        )
    if isinstance(tokens, (bytes, bytearray, Mapping)) or not isinstance(tokens, Iterable):
        raise TypeError(
            f"{name} must be a sequence of str tokens (a list or tuple); "
            f"got {type(tokens).__name__}"
        )
    result = list(tokens)
    for i, token in enumerate(result):
        if not isinstance(token, str):
            raise TypeError(f"{name}[{i}] must be a str token; got {describe(token)}")
    return result


def _iter_sentences(sentences: object, name: str = "sentences") -> Iterator[list[str]]:
    """Yield each sentence of ``sentences`` as a list of str, checking types on the way."""
    if isinstance(sentences, (str, bytes, bytearray, Mapping)) or not isinstance(
        sentences, Iterable
    ):
        raise TypeError(
            f"{name} must be an iterable of sentences, each a sequence of str tokens, "
            f"e.g. [['나는', '배가', '고프다'], ...]; got {type(sentences).__name__}"
        )
    for i, sentence in enumerate(sentences):
        yield _check_tokens(sentence, f"{name}[{i}]")


def _boundary_tokens(
    text: str, split: Callable[[str], list[str]], keep_spaces: bool, space_token: str | None
) -> list[str]:
    """Shared body of :func:`syllables` and :func:`jamo`: tokens per eojeol, joined or not."""
    keep_spaces = check_bool(keep_spaces, "keep_spaces", numpy=False)
    if space_token is not None:
        if not isinstance(space_token, str):
            raise TypeError(
                f"space_token must be a non-empty str or None; got {describe(space_token)}"
            )
        if not space_token:
            raise ValueError("space_token must be a non-empty str or None; got ''")
        if not keep_spaces:
            raise ValueError(
                f"space_token={space_token!r} is only used with keep_spaces=True; "
                "pass keep_spaces=True to mark word boundaries, or leave space_token out"
            )
    boundary = " " if space_token is None else space_token
    tokens: list[str] = []
    for i, unit in enumerate(eojeol(text)):
        if keep_spaces and i > 0:
            tokens.append(boundary)
        tokens.extend(split(unit))
    return tokens


# ---------------------------------------------------------------------------------------------
# Tokenisers
# ---------------------------------------------------------------------------------------------


def english_words(text: str, *, lowercase: bool = True) -> list[str]:
    """Split English text into words, keeping internal apostrophes and hyphens.

    The rule, applied to the NFC-normalised (and, by default, lower-cased) text:

    * A word is a run of letters, optionally joined to further runs of letters by a single
      apostrophe ``'`` or hyphen ``-`` with a letter on *both* sides:
      ``[^\\W\\d_]+(?:['-][^\\W\\d_]+)*``, where ``[^\\W\\d_]`` is any Unicode letter.
      So ``o'er``, ``sad-tun'd``, ``ne'er-do-well`` and ``don't`` are one word each.
    * Everything else separates words and is dropped: spaces, punctuation, digits, ``_``, the
      Shakespearean dash ``--`` (``be,--that`` gives ``be``, ``that``) and any apostrophe
      without a letter on both sides.
    * Leading and trailing apostrophes are therefore dropped: in the texts they are as often
      quotation marks (``'Item, two lips'``) as elisions, so ``'tis`` becomes ``tis`` and
      ``th'`` becomes ``th``. The price: ``i'`` ("in") merges with ``i`` ("I").
    * Typographic apostrophes (U+2019 ``’``, U+2018 ``‘``, U+02BC ``ʼ``) count as ``'`` and
      the Unicode hyphens U+2010 and U+2011 as ``-``; dashes (``–``, ``—``) separate words.

    Args:
        text: The text to split.
        lowercase: Lower-case the text first (the default), so that ``The`` and ``the`` are one
            word type.

    Returns:
        The words in order of appearance.

    Raises:
        TypeError: If ``text`` is not a str or ``lowercase`` is not a bool.

    Example:
        >>> english_words("To be, or not to be,--that is the question:--")
        ['to', 'be', 'or', 'not', 'to', 'be', 'that', 'is', 'the', 'question']
        >>> english_words("'Tis sad-tun'd o'er th' sea, 1599.")
        ['tis', "sad-tun'd", "o'er", 'th', 'sea']
        >>> english_words("Don’t STOP", lowercase=False)
        ["Don't", 'STOP']

    Introduced in: notebooks/01_ngram_language_models.ipynb
    """
    text = unicodedata.normalize("NFC", _check_text(text))
    if check_bool(lowercase, "lowercase", numpy=False):
        text = text.lower()
    return _ENGLISH_WORD.findall(text.translate(_APOSTROPHES_AND_HYPHENS))


def characters(text: str, *, keep_whitespace: bool = True) -> list[str]:
    """Split text into Unicode code points, after NFC normalisation.

    NFC composes what can be composed, so ``"e\\u0301"`` (e + combining acute accent) is the
    single token ``"é"`` and a Hangul syllable written as jamo is one syllable token. Every
    whitespace character (space, tab, newline, ...) is a token of its own unless
    ``keep_whitespace=False``. For Korean with word-boundary markers, see :func:`syllables`.

    Args:
        text: The text to split.
        keep_whitespace: Keep whitespace characters as tokens (the default) or drop them.

    Returns:
        One str of length 1 per code point.

    Raises:
        TypeError: If ``text`` is not a str or ``keep_whitespace`` is not a bool.

    Example:
        >>> characters("to be")
        ['t', 'o', ' ', 'b', 'e']
        >>> characters("to be", keep_whitespace=False)
        ['t', 'o', 'b', 'e']

    Introduced in: notebooks/01_ngram_language_models.ipynb
    """
    text = unicodedata.normalize("NFC", _check_text(text))
    if check_bool(keep_whitespace, "keep_whitespace", numpy=False):
        return list(text)
    return [ch for ch in text if not ch.isspace()]


def eojeol(text: str) -> list[str]:
    """Split Korean text into eojeol (어절), its whitespace-separated units.

    An eojeol is a content word with its attached particles or endings (``나는`` = 나 "I" + 는
    topic particle), so Korean has many more eojeol types than English has word types. The text
    is NFC-normalised and split on runs of whitespace, like :meth:`str.split`.

    Args:
        text: The text to split.

    Returns:
        The eojeol in order (no empty strings).

    Raises:
        TypeError: If ``text`` is not a str.

    Example:
        >>> eojeol("나는 무지 배가 고프다")
        ['나는', '무지', '배가', '고프다']

    Introduced in: notebooks/01_ngram_language_models.ipynb
    """
    return unicodedata.normalize("NFC", _check_text(text)).split()


def syllables(text: str, *, keep_spaces: bool = False, space_token: str | None = None) -> list[str]:
    """Split Korean text into syllable blocks (음절): the characters of its eojeol.

    The text is NFC-normalised and split into eojeol (:func:`eojeol`); each eojeol gives one
    token per code point: one per Hangul syllable block (``고프다`` is ``고``, ``프``, ``다``),
    and one per character for anything else (``AI는`` is ``A``, ``I``, ``는``).

    With ``keep_spaces=False`` (the default) the word boundaries are lost. With
    ``keep_spaces=True`` one boundary token is put between consecutive eojeol: ``space_token``
    if given (``"▁"``, U+2581, is a common choice because it is visible), else ``" "``. However
    much whitespace separates two eojeol, one boundary token is emitted, and none at the start
    or end. A character-level model trained on these tokens can then learn where words end, and
    ``"".join(tokens)`` with ``space_token=None`` gives back the text with single spaces.

    Args:
        text: The text to split.
        keep_spaces: Put a boundary token between eojeol.
        space_token: The boundary token (a non-empty str); only allowed with ``keep_spaces=True``.

    Returns:
        The syllable tokens, with boundary tokens if asked for.

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If ``space_token`` is empty, or given with ``keep_spaces=False``.

    Example:
        >>> syllables("나는 무지 배가 고프다")
        ['나', '는', '무', '지', '배', '가', '고', '프', '다']
        >>> syllables("나는  무지", keep_spaces=True, space_token="▁")
        ['나', '는', '▁', '무', '지']

    Introduced in: notebooks/01_ngram_language_models.ipynb
    """
    return _boundary_tokens(text, list, keep_spaces, space_token)


def is_hangul_syllable(ch: str) -> bool:
    """Whether ``ch`` is one of the 11,172 precomposed Hangul syllables U+AC00 가 .. U+D7A3 힣.

    Compatibility jamo (``ㄱ``, ``ㅏ``: what a keyboard types alone) and conjoining jamo
    (from :func:`to_jamo`) are letters, not syllables, so they give ``False``.

    Args:
        ch: A str of exactly one character.

    Returns:
        True for a Hangul syllable block, else False.

    Raises:
        TypeError: If ``ch`` is not a str.
        ValueError: If ``ch`` is not exactly one character long.

    Example:
        >>> is_hangul_syllable("한"), is_hangul_syllable("ㅎ"), is_hangul_syllable("a")
        (True, False, False)

    Introduced in: notebooks/01_ngram_language_models.ipynb
    """
    ch = _check_text(ch, "ch")
    if len(ch) != 1:
        raise ValueError(f"ch must be a single character; got {ch!r} of length {len(ch)}")
    return _HANGUL_FIRST <= ord(ch) <= _HANGUL_LAST


def to_jamo(text: str) -> str:
    """Decompose Hangul syllables into conjoining jamo (Unicode NFD).

    Every Hangul syllable block is two or three letters: a leading consonant (초성, U+1100..),
    a vowel (중성, U+1161..) and an optional trailing consonant (종성, U+11A8..). Unicode's
    canonical decomposition (NFD) spells the block out as those *conjoining* jamo code points:
    ``한`` becomes ``ᄒ`` + ``ᅡ`` + ``ᆫ``. They look like the compatibility jamo a keyboard
    types (``ㅎ``, ``ㅏ``, ``ㄴ``, U+3131..) but are different code points, and the
    compatibility jamo are left unchanged, as are Latin letters without accents, digits and
    spaces. Being NFD, it also decomposes accented letters (``é`` becomes ``e`` + U+0301).

    :func:`from_jamo` is the inverse: ``from_jamo(to_jamo(s)) == unicodedata.normalize("NFC",
    s)`` for every str ``s``, hence ``== s`` whenever ``s`` is already NFC-normalised, which is
    the case of ordinary Korean text, ASCII and compatibility jamo.

    Args:
        text: Any text.

    Returns:
        The NFD form of ``text``.

    Raises:
        TypeError: If ``text`` is not a str.

    Example:
        >>> len(to_jamo("한"))
        3
        >>> [unicodedata.name(c) for c in to_jamo("한")]
        ['HANGUL CHOSEONG HIEUH', 'HANGUL JUNGSEONG A', 'HANGUL JONGSEONG NIEUN']
        >>> from_jamo(to_jamo("나는 배가 고프다")) == "나는 배가 고프다"
        True

    Introduced in: notebooks/01_ngram_language_models.ipynb
    """
    return unicodedata.normalize("NFD", _check_text(text))


def from_jamo(text: str) -> str:
    """Compose conjoining jamo back into Hangul syllables (Unicode NFC).

    The inverse of :func:`to_jamo`: a leading consonant, a vowel and an optional trailing
    consonant become one syllable block. Jamo that cannot form a syllable (a lone vowel, a
    compatibility jamo such as ``ㅎ``) are left as they are. ``from_jamo("".join(jamo(s)))``
    rebuilds the syllables of ``s`` from its jamo tokens.

    Args:
        text: Any text, typically the output of :func:`to_jamo` or a model's jamo output.

    Returns:
        The NFC form of ``text``.

    Raises:
        TypeError: If ``text`` is not a str.

    Example:
        >>> from_jamo("\\u1112\\u1161\\u11ab")
        '한'

    Introduced in: notebooks/01_ngram_language_models.ipynb
    """
    return unicodedata.normalize("NFC", _check_text(text))


def jamo(text: str, *, keep_spaces: bool = False, space_token: str | None = None) -> list[str]:
    """Split Korean text into jamo (자모): one token per conjoining jamo code point.

    Each eojeol (:func:`eojeol`) is decomposed with :func:`to_jamo` and split into code points;
    a syllable gives two or three tokens (``나`` is ``ᄂ``, ``ᅡ``; ``는`` is ``ᄂ``, ``ᅳ``,
    ``ᆫ``). Leading and trailing consonants are different code points, so ``ᄂ`` (initial) and
    ``ᆫ`` (final) are different tokens, as in Korean spelling. ``keep_spaces`` and
    ``space_token`` mark word boundaries exactly as in :func:`syllables`.

    Args:
        text: The text to split.
        keep_spaces: Put a boundary token between eojeol.
        space_token: The boundary token (a non-empty str); only allowed with ``keep_spaces=True``.

    Returns:
        The jamo tokens, with boundary tokens if asked for.

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If ``space_token`` is empty, or given with ``keep_spaces=False``.

    Example:
        >>> len(jamo("나는 무지 배가 고프다"))
        19
        >>> from_jamo("".join(jamo("나는 무지", keep_spaces=True)))
        '나는 무지'

    Introduced in: notebooks/01_ngram_language_models.ipynb
    """
    return _boundary_tokens(text, lambda unit: list(to_jamo(unit)), keep_spaces, space_token)


#: The tokenisers by name, each called with its default options: ``TOKENIZERS[name](text)``
#: returns a list of str tokens. Read-only.
#:
#: Introduced in: notebooks/01_ngram_language_models.ipynb
TOKENIZERS: Final[Mapping[str, Callable[[str], list[str]]]] = MappingProxyType(
    {
        "english_words": english_words,
        "characters": characters,
        "eojeol": eojeol,
        "syllables": syllables,
        "jamo": jamo,
    }
)


# ---------------------------------------------------------------------------------------------
# n-grams
# ---------------------------------------------------------------------------------------------


def ngrams(tokens: Sequence[str], n: int, *, pad: bool = False) -> list[tuple[str, ...]]:
    """The n-grams of a token sequence, in order, optionally padded for a language model.

    Without padding, a sequence of ``L`` tokens has ``max(0, L - n + 1)`` n-grams: the windows
    of ``n`` consecutive tokens.

    With ``pad=True`` the sequence is first extended to ``[BOS] * (n - 1) + tokens + [EOS]``:
    ``n - 1`` start markers ``<s>`` on the left and exactly one end marker ``</s>`` on the right.
    This is the convention of the n-gram language model: every token *and* the end of the
    sentence is predicted once, from the ``n - 1`` tokens before it, with ``<s>`` filling in
    the context before the sentence starts. A padded sequence of ``L`` tokens therefore has
    exactly ``L + 1`` n-grams (also for ``L = 0``: the empty sentence is ``(<s>, ..., </s>)``),
    the last n-gram ends with ``</s>``, and no n-gram starts after ``</s>``. For ``n = 1``
    there is no ``<s>``, only the final ``</s>``.

    Args:
        tokens: The tokens (a list or tuple of str, not a str).
        n: The order, an integer >= 1 (1: unigrams, 2: bigrams, ...).
        pad: Add ``n - 1`` :data:`BOS` on the left and one :data:`EOS` on the right.

    Returns:
        A list of tuples of length ``n``.

    Raises:
        TypeError: If ``tokens`` is not a sequence of str, ``n`` not an int or ``pad`` not a bool.
        ValueError: If ``n < 1``.

    Example:
        >>> ngrams(["a", "b", "c"], 2)
        [('a', 'b'), ('b', 'c')]
        >>> ngrams(["a", "b", "c"], 3, pad=True)
        [('<s>', '<s>', 'a'), ('<s>', 'a', 'b'), ('a', 'b', 'c'), ('b', 'c', '</s>')]

    Introduced in: notebooks/01_ngram_language_models.ipynb
    """
    items = _check_tokens(tokens)
    n = check_int(n, "n", 1)
    if check_bool(pad, "pad", numpy=False):
        items = [BOS] * (n - 1) + items + [EOS]
    return [tuple(items[i : i + n]) for i in range(len(items) - n + 1)]


# ---------------------------------------------------------------------------------------------
# Vocabulary
# ---------------------------------------------------------------------------------------------


class Vocabulary:
    """A fixed mapping between tokens and integer ids, with special tokens first.

    Ids are assigned in this order:

    1. the ``specials``, in the order given: by default :data:`DEFAULT_SPECIALS`, i.e.
       ``<pad>`` = 0, ``<unk>`` = 1, ``<s>`` = 2, ``</s>`` = 3. ``<pad>``, when present, must
       come first, so that padding is id 0 as Keras's ``Embedding(mask_zero=True)`` expects;
    2. the ordinary tokens, in the order given (by :meth:`build`: most frequent first).

    A token outside the vocabulary is encoded as ``<unk>`` when ``<unk>`` is among the specials;
    otherwise encoding it is an error. Build one from training sentences with :meth:`build`,
    save it with :meth:`to_dict` and load it with :meth:`from_dict`.

    Args:
        tokens: The ordinary tokens in id order: unique str, none of them a special.
        specials: The special tokens, unique str, ids ``0 .. len(specials) - 1``.
        counts: Training count of each token (missing tokens count 0), as in :attr:`counts`.

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If tokens repeat, clash with a special, or ``<pad>`` is not the first special.

    Example:
        >>> vocab = Vocabulary.build([["나는", "배가", "고프다"], ["나는", "목이", "마르다"]])
        >>> vocab  # doctest: +NORMALIZE_WHITESPACE
        Vocabulary(size=9, specials=('<pad>', '<unk>', '<s>', '</s>'),
                   tokens=['나는', '고프다', '마르다', '목이', '배가'])
        >>> vocab.encode(["나는", "무지", "배가", "고프다"], add_bos=True, add_eos=True)
        [2, 4, 1, 8, 5, 3]
        >>> vocab.decode([2, 4, 1, 8, 5, 3, 0, 0], strip_specials=True)
        ['나는', '<unk>', '배가', '고프다']

    Introduced in: notebooks/01_ngram_language_models.ipynb
    """

    __hash__ = None  # type: ignore[assignment]  # mutable-looking value object: not hashable

    def __init__(
        self,
        tokens: Iterable[str],
        *,
        specials: Sequence[str] = DEFAULT_SPECIALS,
        counts: Mapping[str, int] | None = None,
    ) -> None:
        specials_list = self._check_specials(specials)
        ordinary = _check_tokens(tokens)
        special_set = set(specials_list)
        seen: set[str] = set()
        for i, token in enumerate(ordinary):
            if token in special_set:
                raise ValueError(
                    f"tokens[{i}] is {token!r}, which is already a special token; "
                    "expected ordinary tokens only (specials get their ids first)"
                )
            if token in seen:
                raise ValueError(f"tokens[{i}] is {token!r}, a repeat; expected unique tokens")
            seen.add(token)
        self._specials: tuple[str, ...] = tuple(specials_list)
        self._id_to_token: tuple[str, ...] = self._specials + tuple(ordinary)
        self._token_to_id: dict[str, int] = {t: i for i, t in enumerate(self._id_to_token)}
        self._counts: dict[str, int] = dict.fromkeys(self._id_to_token, 0)
        if counts is not None:
            if not isinstance(counts, Mapping):
                raise TypeError(
                    f"counts must be a mapping token -> count or None; got {describe(counts)}"
                )
            for token, count in counts.items():
                if token not in self._token_to_id:
                    raise ValueError(
                        f"counts has a count for {token!r}, which is not in the vocabulary; "
                        "expected counts of vocabulary tokens only"
                    )
                self._counts[token] = check_int(count, f"counts[{token!r}]", 0)

    @staticmethod
    def _check_specials(specials: object) -> list[str]:
        """Check ``specials``: unique non-empty str, with ``<pad>`` first if present."""
        if isinstance(specials, str):
            raise TypeError(
                f"specials must be a sequence of str (e.g. a tuple), not the str {specials!r}; "
                f"write specials=({specials!r},) for a single special token"
            )
        result = _check_tokens(specials, "specials")
        for i, token in enumerate(result):
            if not token:
                raise ValueError(f"specials[{i}] is the empty string; expected a non-empty str")
            if token in result[:i]:
                raise ValueError(f"specials[{i}] is {token!r}, a repeat; expected unique specials")
        if PAD in result and result[0] != PAD:
            raise ValueError(
                f"specials must start with {PAD!r} when they include it (padding must be id 0 "
                f"for Keras masking); got {tuple(result)!r}"
            )
        return result

    @classmethod
    def build(
        cls,
        sentences: Iterable[Sequence[str]],
        *,
        min_count: int = 1,
        max_size: int | None = None,
        specials: Sequence[str] = DEFAULT_SPECIALS,
    ) -> Vocabulary:
        """Build a vocabulary from training sentences by counting their tokens.

        1. Count every token of every sentence.
        2. Keep the ordinary tokens (those that are not specials) seen at least ``min_count``
           times.
        3. Sort them by decreasing count, ties broken by code-point order of the token
           (``sorted`` order of str), so the ids do not depend on the order of the sentences.
        4. Keep the first ``max_size`` of them if ``max_size`` is given: ``max_size`` counts
           ordinary tokens only, so ``len(vocab) <= len(specials) + max_size``.
        5. Give ids to the specials first, then to the kept tokens.

        :attr:`counts` then holds each kept token's training count; when ``<unk>`` is a special,
        its count is the number of training tokens left out by steps 2 and 4 (those it will
        replace), so the counts add up to the number of training tokens. A special token that
        occurs in the sentences (say a literal ``<s>``) is counted under that special.

        Args:
            sentences: The training sentences, each a sequence of str tokens (not a str).
            min_count: Smallest count of a kept token, an integer >= 1.
            max_size: Largest number of ordinary tokens, an integer >= 1, or None for no limit.
            specials: The special tokens, as in :class:`Vocabulary`.

        Returns:
            The vocabulary.

        Raises:
            TypeError: If an argument has the wrong type, e.g. a sentence is a str or holds a
                non-str token (the message gives its position, ``sentences[3][2]``).
            ValueError: If ``min_count`` or ``max_size`` is below 1, or ``specials`` are bad.

        Example:
            >>> data = [["a", "b", "b"], ["c", "b", "a", "d"]]
            >>> Vocabulary.build(data, specials=()).tokens
            ('b', 'a', 'c', 'd')
            >>> v = Vocabulary.build(data, min_count=2)
            >>> v.tokens
            ('<pad>', '<unk>', '<s>', '</s>', 'b', 'a')
            >>> dict(v.counts)  # '<unk>' stands for the two left-out tokens, 'c' and 'd'
            {'<pad>': 0, '<unk>': 2, '<s>': 0, '</s>': 0, 'b': 3, 'a': 2}

        Introduced in: notebooks/01_ngram_language_models.ipynb
        """
        min_count = check_int(min_count, "min_count", 1)
        if max_size is not None:
            max_size = check_int(max_size, "max_size", 1)
        specials_list = cls._check_specials(specials)
        counter: Counter[str] = Counter()
        for sentence in _iter_sentences(sentences):
            counter.update(sentence)
        special_set = set(specials_list)
        ranked = sorted(
            (item for item in counter.items() if item[0] not in special_set),
            key=lambda item: (-item[1], item[0]),
        )
        kept = [token for token, count in ranked if count >= min_count]
        if max_size is not None:
            kept = kept[:max_size]
        counts = {token: counter[token] for token in (*specials_list, *kept)}
        if UNK in special_set:
            counts[UNK] += sum(counter.values()) - sum(counts.values())
        return cls(kept, specials=specials_list, counts=counts)

    # ------------------------------------------------------------------ container protocol

    def __len__(self) -> int:
        """The number of tokens, specials included (the size of an ``Embedding`` input).

        Introduced in: notebooks/01_ngram_language_models.ipynb
        """
        return len(self._id_to_token)

    def __contains__(self, token: object) -> bool:
        """Whether ``token`` has an id of its own (specials included).

        Introduced in: notebooks/01_ngram_language_models.ipynb
        """
        return isinstance(token, str) and token in self._token_to_id

    def __iter__(self) -> Iterator[str]:
        """The tokens in id order, specials first.

        Introduced in: notebooks/01_ngram_language_models.ipynb
        """
        return iter(self._id_to_token)

    def __eq__(self, other: object) -> bool:
        """Two vocabularies are equal when their specials, tokens and counts are.

        Introduced in: notebooks/01_ngram_language_models.ipynb
        """
        if not isinstance(other, Vocabulary):
            return NotImplemented
        return (
            self._specials == other._specials
            and self._id_to_token == other._id_to_token
            and self._counts == other._counts
        )

    def __repr__(self) -> str:
        """``Vocabulary(size=..., specials=..., tokens=[...])``, the first ordinary tokens.

        Introduced in: notebooks/01_ngram_language_models.ipynb
        """
        ordinary = list(self._id_to_token[len(self._specials) :])
        shown = ", ".join(repr(t) for t in ordinary[:_REPR_TOKENS])
        if len(ordinary) > _REPR_TOKENS:
            shown += f", ... ({len(ordinary) - _REPR_TOKENS} more)"
        return f"Vocabulary(size={len(self)}, specials={self._specials!r}, tokens=[{shown}])"

    # ------------------------------------------------------------------ attributes

    @property
    def tokens(self) -> tuple[str, ...]:
        """All tokens in id order, specials first: ``vocab.tokens[i]`` has id ``i``.

        Introduced in: notebooks/01_ngram_language_models.ipynb
        """
        return self._id_to_token

    @property
    def specials(self) -> tuple[str, ...]:
        """The special tokens, in id order (ids ``0 .. len(specials) - 1``).

        Introduced in: notebooks/01_ngram_language_models.ipynb
        """
        return self._specials

    @property
    def counts(self) -> Mapping[str, int]:
        """Read-only mapping token -> training count, in id order, for every token.

        See :meth:`build` for the count of ``<unk>``. Specials that do not occur in the training
        sentences (``<pad>``, ``<s>``, ``</s>``) count 0.

        Introduced in: notebooks/01_ngram_language_models.ipynb
        """
        return MappingProxyType(self._counts)

    def _special_id(self, token: str, role: str) -> int:
        """The id of a special token, or a ValueError saying it is not a special here."""
        if token not in self._specials:
            raise ValueError(
                f"this vocabulary has no {role} token {token!r}; its specials are "
                f"{self._specials!r}: build it with specials that include {token!r}"
            )
        return self._token_to_id[token]

    @property
    def pad_id(self) -> int:
        """The id of ``<pad>`` (0); a ValueError if ``<pad>`` is not a special.

        Introduced in: notebooks/01_ngram_language_models.ipynb
        """
        return self._special_id(PAD, "padding")

    @property
    def unk_id(self) -> int:
        """The id of ``<unk>``; a ValueError if ``<unk>`` is not a special.

        Introduced in: notebooks/01_ngram_language_models.ipynb
        """
        return self._special_id(UNK, "unknown-word")

    @property
    def bos_id(self) -> int:
        """The id of ``<s>``; a ValueError if ``<s>`` is not a special.

        Introduced in: notebooks/01_ngram_language_models.ipynb
        """
        return self._special_id(BOS, "start-of-sentence")

    @property
    def eos_id(self) -> int:
        """The id of ``</s>``; a ValueError if ``</s>`` is not a special.

        Introduced in: notebooks/01_ngram_language_models.ipynb
        """
        return self._special_id(EOS, "end-of-sentence")

    # ------------------------------------------------------------------ lookups

    def token_to_id(self, token: str) -> int:
        """The id of one token; ``<unk>``'s id for a token outside the vocabulary.

        Args:
            token: A str.

        Returns:
            Its id.

        Raises:
            TypeError: If ``token`` is not a str.
            ValueError: If ``token`` is unknown and ``<unk>`` is not a special.

        Introduced in: notebooks/01_ngram_language_models.ipynb
        """
        token = _check_text(token, "token")
        found = self._token_to_id.get(token)
        if found is not None:
            return found
        if UNK in self._specials:
            return self._token_to_id[UNK]
        raise ValueError(
            f"token {token!r} is not in the vocabulary, which has no {UNK!r} to replace it; "
            f"expected one of its {len(self)} tokens, or build it with {UNK!r} among the specials"
        )

    def id_to_token(self, token_id: int) -> str:
        """The token of one id.

        Args:
            token_id: An integer between 0 and ``len(self) - 1``.

        Returns:
            Its token.

        Raises:
            TypeError: If ``token_id`` is not an integer.
            ValueError: If it is out of range.

        Introduced in: notebooks/01_ngram_language_models.ipynb
        """
        return self._id_to_token[self._check_id(token_id, "token_id")]

    def _check_id(self, value: object, name: str) -> int:
        """Return ``value`` as a valid id, or raise naming ``name`` and the valid range."""
        expected = f"an integer id between 0 and {len(self) - 1}"
        if isinstance(value, bool):
            raise TypeError(f"{name} must be {expected}; got {describe(value)}")
        try:
            result = operator.index(value)
        except TypeError:
            raise TypeError(f"{name} must be {expected}; got {describe(value)}") from None
        if not 0 <= result < len(self):
            raise ValueError(f"{name} must be {expected}; got {result}")
        return result

    def encode(
        self, tokens: Sequence[str], *, add_bos: bool = False, add_eos: bool = False
    ) -> list[int]:
        """Map tokens to ids; tokens outside the vocabulary become ``<unk>``'s id.

        Args:
            tokens: A sequence of str tokens (not a str: tokenise first).
            add_bos: Put ``<s>``'s id in front.
            add_eos: Put ``</s>``'s id at the end.

        Returns:
            The ids.

        Raises:
            TypeError: If ``tokens`` is not a sequence of str, or a flag is not a bool.
            ValueError: If a token is unknown and ``<unk>`` is not a special (the message names
                the token and its position), or ``<s>``/``</s>`` is asked for but not a special.

        Introduced in: notebooks/01_ngram_language_models.ipynb
        """
        items = _check_tokens(tokens)
        add_bos = check_bool(add_bos, "add_bos", numpy=False)
        add_eos = check_bool(add_eos, "add_eos", numpy=False)
        lookup = self._token_to_id
        unk = lookup.get(UNK) if UNK in self._specials else None
        ids: list[int] = [self.bos_id] if add_bos else []
        for i, token in enumerate(items):
            found = lookup.get(token, unk)
            if found is None:
                raise ValueError(
                    f"tokens[{i}] is {token!r}, which is not in the vocabulary, and the "
                    f"vocabulary has no {UNK!r} to replace it; expected one of its {len(self)} "
                    f"tokens, or build it with {UNK!r} among the specials"
                )
            ids.append(found)
        if add_eos:
            ids.append(self.eos_id)
        return ids

    def decode(self, ids: Iterable[int], *, strip_specials: bool = False) -> list[str]:
        """Map ids back to tokens.

        Args:
            ids: Integer ids (a list, or a 1-D NumPy array such as a model's output).
            strip_specials: Drop every special token except ``<unk>`` (padding, ``<s>``,
                ``</s>``, ...): they are markup, whereas ``<unk>`` stands for a real word.

        Returns:
            The tokens.

        Raises:
            TypeError: If ``ids`` is not an iterable of integers.
            ValueError: If an id is out of range (the message gives its position).

        Introduced in: notebooks/01_ngram_language_models.ipynb
        """
        if isinstance(ids, (str, bytes, bytearray, Mapping)) or not isinstance(ids, Iterable):
            raise TypeError(f"ids must be an iterable of integer ids; got {type(ids).__name__}")
        strip_specials = check_bool(strip_specials, "strip_specials", numpy=False)
        drop = {s for s in self._specials if s != UNK} if strip_specials else set()
        tokens = [self._id_to_token[self._check_id(v, f"ids[{i}]")] for i, v in enumerate(ids)]
        return [t for t in tokens if t not in drop] if drop else tokens

    def unk_rate(self, sentences: Iterable[Sequence[str]]) -> float:
        """The share of tokens of ``sentences`` that are outside the vocabulary.

        These are the tokens :meth:`encode` maps to ``<unk>`` (a literal ``<unk>`` token
        included): on held-out text, the out-of-vocabulary rate. Without ``<unk>`` among the
        specials it is the share of tokens that :meth:`encode` would refuse.

        Args:
            sentences: Sentences, each a sequence of str tokens.

        Returns:
            A number between 0 and 1.

        Raises:
            TypeError: If ``sentences`` is not an iterable of sequences of str.
            ValueError: If the sentences hold no token at all.

        Example:
            >>> vocab = Vocabulary.build([["a", "b"]])
            >>> vocab.unk_rate([["a", "c"], ["b", "d", "e", "a"]])
            0.5

        Introduced in: notebooks/01_ngram_language_models.ipynb
        """
        total = unknown = 0
        lookup = self._token_to_id
        for sentence in _iter_sentences(sentences):
            total += len(sentence)
            unknown += sum(1 for t in sentence if t == UNK or t not in lookup)
        if total == 0:
            raise ValueError("sentences must hold at least one token; got no tokens at all")
        return unknown / total

    # ------------------------------------------------------------------ saving

    def to_dict(self) -> dict[str, Any]:
        """A JSON-friendly description: ``{"specials": [...], "tokens": [...], "counts": {...}}``.

        ``tokens`` lists the ordinary tokens in id order (after the specials); ``counts`` maps
        every token to its count. ``json.dump(vocab.to_dict(), f, ensure_ascii=False)`` saves
        it and :meth:`from_dict` loads it back: ``Vocabulary.from_dict(v.to_dict()) == v``.

        Introduced in: notebooks/01_ngram_language_models.ipynb
        """
        return {
            "specials": list(self._specials),
            "tokens": list(self._id_to_token[len(self._specials) :]),
            "counts": dict(self._counts),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Vocabulary:
        """Rebuild a vocabulary from the output of :meth:`to_dict` (or of its JSON file).

        Args:
            data: A mapping with the keys ``"specials"``, ``"tokens"`` and ``"counts"``.

        Returns:
            The vocabulary.

        Raises:
            TypeError: If ``data`` or one of its values has the wrong type.
            ValueError: If a key is missing or unexpected, or the content is inconsistent.

        Introduced in: notebooks/01_ngram_language_models.ipynb
        """
        if not isinstance(data, Mapping):
            raise TypeError(
                f"data must be a mapping as returned by Vocabulary.to_dict(); got {describe(data)}"
            )
        expected = {"specials", "tokens", "counts"}
        if set(data) != expected:
            missing = sorted(expected - set(data))
            extra = sorted(set(data) - expected, key=str)
            raise ValueError(
                f"data must have exactly the keys 'counts', 'specials' and 'tokens'; "
                f"missing {missing}, unexpected {extra}"
            )
        counts = data["counts"]
        if not isinstance(counts, Mapping):
            raise TypeError(
                f"data['counts'] must be a mapping token -> count; got {describe(counts)}"
            )
        return cls(
            _check_tokens(data["tokens"], "data['tokens']"),
            specials=_check_tokens(data["specials"], "data['specials']"),
            counts=counts,
        )


def display_width(text: str) -> int:
    """Number of terminal columns ``text`` occupies: wide (East Asian) characters count two.

    Hangul syllables, CJK ideographs and full-width forms take two columns in a monospaced font,
    so padding Korean text with ``str.ljust`` misaligns tables; this counts columns instead.
    Combining marks (such as the vowel and final jamo of a decomposed syllable) count zero.

    Introduced in: notebooks/01_ngram_language_models.ipynb

    >>> display_width("나는 배가"), display_width("abc")
    (9, 3)
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    width = 0
    for ch in text:
        if unicodedata.combining(ch) or unicodedata.category(ch) == "Mn":
            continue
        if "\u1160" <= ch <= "\u11ff":  # medial vowels and final consonants of conjoining jamo
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def ljust_display(text: str, width: int) -> str:
    """Pad ``text`` with spaces on the right to ``width`` display columns (see `display_width`).

    Introduced in: notebooks/01_ngram_language_models.ipynb

    >>> ljust_display("나는", 6) + "|"
    '나는  |'
    """
    if not isinstance(width, int) or isinstance(width, bool) or width < 0:
        raise ValueError(f"width must be a non-negative int, got {width!r}")
    return text + " " * max(0, width - display_width(text))
