"""Small, deterministic data sets for the three shapes of sequence tasks (chapter 3).

The recurrent-networks chapter trains one small Keras model per task shape, each in seconds on
a laptop CPU. This module makes their data (pure Python and NumPy; TensorFlow is not imported):

* **Many-to-many, not synchronised (sequence to sequence)**: reading numbers aloud in Korean,
  ``"321" -> "삼백이십일"``. :func:`korean_number` writes the Sino-Korean reading of an
  integer and :func:`parse_korean_number` reads it back; :func:`number_reading_dataset` makes
  train/valid/test splits of (digits, reading) pairs with no integer in two splits.
* **Many-to-many, synchronised (one output per input step)**: restoring Korean word spacing
  (띄어쓰기). :func:`spacing_examples` turns lines of text into characters with a label per
  character (1: a space follows it); :func:`restore_spacing` inverts it; :func:`spacing_f1`
  scores predicted spaces; :func:`spacing_baseline_fit` is the character-unigram baseline.
* **Many-to-one (sequence classification)**: which document does a line of Korean legal text
  come from, the constitution or a bill? :func:`source_classification_dataset` makes the
  splits; :func:`bag_of_characters` gives the counts for an order-blind baseline.

Shared plumbing for Keras: :func:`char_vocabulary` (a :class:`course_utils.text.Vocabulary`
of characters), :func:`encode_padded` (a padded ``int32`` id matrix, ``<pad>`` = 0 so that
``Embedding(mask_zero=True)`` works), :func:`pad_labels` and :func:`decode_ids`.

Example:
    >>> korean_number(2024), parse_korean_number("이천이십사")
    ('이천이십사', 2024)
    >>> chars, labels = spacing_examples(["나는 무지 배가 고프다"])
    >>> "".join(chars[0]), labels[0]
    ('나는무지배가고프다', [0, 1, 0, 1, 0, 1, 0, 0, 0])

Introduced in: notebooks/03_recurrent_networks.ipynb
"""

from __future__ import annotations

import math
import operator
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final, NamedTuple

import numpy as np
import numpy.typing as npt

from course_utils import data
from course_utils.text import BOS, EOS, PAD, Vocabulary
from course_utils.validation import (
    check_bool,
    check_collection,
    check_int,
    check_str,
    check_strings,
    describe,
    is_iterable,
)

__all__ = [
    "HONORIFIC_TWINS",
    "KOREAN_NUMBER_MAX",
    "SOURCE_CLASS_NAMES",
    "AgreementScore",
    "SpacingBaseline",
    "agreement_accuracy",
    "agreement_probes",
    "bag_of_characters",
    "char_vocabulary",
    "decode_ids",
    "encode_padded",
    "korean_number",
    "long_agreement_sentences",
    "number_reading_dataset",
    "pad_labels",
    "parse_korean_number",
    "restore_spacing",
    "source_classification_dataset",
    "spacing_baseline_fit",
    "spacing_examples",
    "spacing_f1",
]

#: The largest integer :func:`korean_number` reads: 99,999,999 (구천구백구십구만구천구백구십구),
#: the last number below 억 (10^8).
#:
#: Introduced in: notebooks/03_recurrent_networks.ipynb
KOREAN_NUMBER_MAX: Final[int] = 99_999_999

#: Names of the two classes of :func:`source_classification_dataset`, indexed by label:
#: 0 = a line of the constitution, 1 = a line of a bill.
#:
#: Introduced in: notebooks/03_recurrent_networks.ipynb
SOURCE_CLASS_NAMES: Final[tuple[str, str]] = ("constitution", "bill")

_DIGITS: Final[str] = "영일이삼사오육칠팔구"  # index = value; 영 (0) is only read alone
_DIGIT_VALUE: Final[dict[str, int]] = {ch: i for i, ch in enumerate(_DIGITS) if i > 0}
# The units inside a four-digit group, from the highest: 천 (1000), 백 (100), 십 (10).
_UNITS: Final[tuple[tuple[str, int], ...]] = (("천", 3), ("백", 2), ("십", 1))
_UNIT_POWER: Final[dict[str, int]] = dict(_UNITS)
_MAN: Final[str] = "만"  # 10^4: the unit of the upper four-digit group
_NUMBER_SPECIALS: Final[tuple[str, ...]] = (PAD, BOS, EOS)
_SPLITS: Final[tuple[str, str, str]] = ("train", "valid", "test")

IntMatrix = npt.NDArray[np.int32]
FloatMatrix = npt.NDArray[np.float32]


# ---------------------------------------------------------------------------------------------
# Argument checking
# ---------------------------------------------------------------------------------------------


def _check_token_rows(rows: object, name: str) -> list[list[str]]:
    """Each row a str (split into characters) or a sequence of str tokens."""
    items = check_collection(rows, name, "str (or sequences of str tokens)")
    result: list[list[str]] = []
    for i, row in enumerate(items):
        if isinstance(row, str):
            result.append(list(row))
            continue
        if isinstance(row, np.ndarray):
            row = row.tolist()
        if isinstance(row, (bytes, bytearray, Mapping)) or not isinstance(row, Sequence):
            raise TypeError(
                f"{name}[{i}] must be a str or a sequence of str tokens; got {describe(row)}"
            )
        for j, token in enumerate(row):
            if not isinstance(token, str):
                raise TypeError(f"{name}[{i}][{j}] must be a str token; got {describe(token)}")
        result.append(list(row))
    return result


def _check_label_row(row: object, name: str) -> list[int]:
    """A sequence of 0/1 labels (ints, NumPy integers or bools), returned as a list of int."""
    if isinstance(row, np.ndarray):
        if row.ndim != 1:
            raise ValueError(f"{name} must be a 1-D sequence of 0/1 labels; got shape {row.shape}")
        row = row.tolist()
    if isinstance(row, (str, bytes, bytearray, Mapping)) or not isinstance(row, Sequence):
        raise TypeError(f"{name} must be a sequence of 0/1 labels; got {describe(row)}")
    labels: list[int] = []
    for j, value in enumerate(row):
        if isinstance(value, (bool, np.bool_)):
            labels.append(int(value))
            continue
        try:
            label = operator.index(value)
        except TypeError:
            raise TypeError(
                f"{name}[{j}] must be a 0/1 label (an int or bool); got {describe(value)}; "
                "threshold probabilities first, e.g. (probs > 0.5).astype(int)"
            ) from None
        if label not in (0, 1):
            raise ValueError(f"{name}[{j}] must be a 0/1 label; got {label}")
        labels.append(label)
    return labels


def _check_label_rows(rows: object, name: str) -> list[list[int]]:
    """A sequence of label sequences, each checked by :func:`_check_label_row`."""
    items = check_collection(rows, name, "label sequences")
    return [_check_label_row(row, f"{name}[{i}]") for i, row in enumerate(items)]


def _check_aligned(
    chars: list[list[str]], labels: list[list[int]], chars_name: str, labels_name: str
) -> None:
    """Raise a ValueError unless ``chars`` and ``labels`` have the same shape (row by row)."""
    if len(chars) != len(labels):
        raise ValueError(
            f"{chars_name} and {labels_name} must hold the same number of sequences; "
            f"got {len(chars)} and {len(labels)}"
        )
    for i, (c, lab) in enumerate(zip(chars, labels, strict=True)):
        if len(c) != len(lab):
            raise ValueError(
                f"{chars_name}[{i}] and {labels_name}[{i}] must have the same length (one label "
                f"per character); got {len(c)} and {len(lab)}"
            )


def _check_vocab(vocab: object, name: str = "vocab") -> Vocabulary:
    """Return ``vocab`` if it is a :class:`Vocabulary`, or raise a TypeError."""
    if not isinstance(vocab, Vocabulary):
        raise TypeError(
            f"{name} must be a course_utils.text.Vocabulary (e.g. from char_vocabulary); "
            f"got {describe(vocab)}"
        )
    return vocab


# ---------------------------------------------------------------------------------------------
# Reading numbers in Korean (seq2seq)
# ---------------------------------------------------------------------------------------------


def _read_group(n: int) -> str:
    """The reading of ``1 <= n <= 9999``: 일 dropped before 천, 백 and 십."""
    parts: list[str] = []
    for unit, power in _UNITS:
        digit = n // 10**power % 10
        if digit:
            parts.append(unit if digit == 1 else _DIGITS[digit] + unit)
    if n % 10:
        parts.append(_DIGITS[n % 10])
    return "".join(parts)


def korean_number(n: int) -> str:
    """The Sino-Korean reading of an integer from 0 to 99,999,999, written in Hangul.

    The convention (the usual spoken and written one, with no spaces):

    * 0 is 영; otherwise zero digits are not read at all (101 is 백일, "hundred one").
    * Digits: 일 이 삼 사 오 육 칠 팔 구 (1-9). Units within a group of four digits:
      십 (10), 백 (100), 천 (1000); the upper group is followed by 만 (10,000).
    * 일 (1) is dropped before 십, 백 and 천 (10 is 십, 100 is 백, 1000 is 천) and before
      만 when the upper group is exactly 1 (10,000 is 만, but 110,000 is 십일만).
    * **No spaces**: careful writing often puts one after 만 (만 이천삼백사십오); this function
      never does, so that the output alphabet is 영, nine digits and four units (14
      characters), simplest for a character model. :func:`parse_korean_number` accepts both.

    Args:
        n: An integer between 0 and :data:`KOREAN_NUMBER_MAX` (NumPy integers too).

    Returns:
        The reading.

    Raises:
        TypeError: If ``n`` is not an integer (bools and floats are refused).
        ValueError: If ``n`` is negative or above 99,999,999.

    Example:
        >>> [korean_number(n) for n in (0, 1, 10, 15, 20, 100, 101, 110, 321)]
        ['영', '일', '십', '십오', '이십', '백', '백일', '백십', '삼백이십일']
        >>> [korean_number(n) for n in (1000, 1001, 2024, 10000, 10001, 12345)]
        ['천', '천일', '이천이십사', '만', '만일', '만이천삼백사십오']
        >>> korean_number(110_000), korean_number(99_999_999)
        ('십일만', '구천구백구십구만구천구백구십구')

    Introduced in: notebooks/03_recurrent_networks.ipynb
    """
    n = check_int(n, "n", 0, KOREAN_NUMBER_MAX)
    if n == 0:
        return _DIGITS[0]
    upper, lower = divmod(n, 10_000)
    reading = ""
    if upper:
        reading = _MAN if upper == 1 else _read_group(upper) + _MAN
    if lower:
        reading += _read_group(lower)
    return reading


def _parse_group(part: str, s: str) -> int:
    """The value of one group of :func:`parse_korean_number` (digits and 천/백/십 only)."""
    value = 0
    pending: int | None = None  # a digit waiting for its unit
    last_power = 4  # units must come in decreasing order, each at most once
    for ch in part:
        if ch in _DIGIT_VALUE:
            if pending is not None:
                raise ValueError(
                    f"s must be a Korean number reading; got {s!r}, where two digits follow "
                    f"each other ({_DIGITS[pending]}{ch}): each digit but the last needs a unit "
                    "(십, 백, 천)"
                )
            pending = _DIGIT_VALUE[ch]
        elif ch in _UNIT_POWER:
            power = _UNIT_POWER[ch]
            if power >= last_power:
                raise ValueError(
                    f"s must be a Korean number reading; got {s!r}, where the unit {ch!r} is "
                    "repeated or out of order: expected units in the order 천, 백, 십, "
                    "each at most once per group"
                )
            value += (1 if pending is None else pending) * 10**power
            pending = None
            last_power = power
        elif ch == _DIGITS[0]:
            raise ValueError(
                f"s must be a Korean number reading; got {s!r}: 영 (zero) is only read alone, "
                "as the whole number 0; zero digits inside a number are not read"
            )
        else:
            raise ValueError(
                f"s must be a Korean number reading; got {s!r}, which contains {ch!r}: "
                f"expected only the digits {_DIGITS[1:]}, the units 십 백 천 만, "
                "and at most one space after 만"
            )
    if pending is not None:
        value += pending
    return value


def parse_korean_number(s: str) -> int:
    """The integer of a Sino-Korean number reading: the inverse of :func:`korean_number`.

    Accepts every output of :func:`korean_number`, and also two common variants of it: an
    explicit 일 before a unit (일만, 일천, 일백, 일십) and a single space after 만
    (만 이천삼백사십오). Nothing else: the digits and units must form a valid reading.

    Args:
        s: The reading, a str.

    Returns:
        The integer, between 0 and :data:`KOREAN_NUMBER_MAX`.

    Raises:
        TypeError: If ``s`` is not a str.
        ValueError: If ``s`` is not a valid reading: empty, an unknown character, 영 inside a
            number, two digits in a row (이삼), units repeated or out of order (십백), 만
            twice, or stray spaces. The message names the problem.

    Example:
        >>> parse_korean_number("삼백이십일"), parse_korean_number("만 이천삼백사십오")
        (321, 12345)
        >>> parse_korean_number("일만일천"), parse_korean_number("영")
        (11000, 0)
        >>> parse_korean_number("십백")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        ValueError: s must be a Korean number reading; got '십백', where the unit '백' is ...

    Introduced in: notebooks/03_recurrent_networks.ipynb
    """
    s = check_str(s, "s")
    if not s:
        raise ValueError("s must be a Korean number reading such as '삼백이십일'; got ''")
    if s == _DIGITS[0]:
        return 0
    if s.count(_MAN) > 1:
        raise ValueError(
            f"s must be a Korean number reading; got {s!r}, with 만 {s.count(_MAN)} times: "
            f"expected it at most once (numbers up to {KOREAN_NUMBER_MAX:,})"
        )
    if _MAN in s:
        upper_part, lower_part = s.split(_MAN)
        if lower_part.startswith(" "):
            lower_part = lower_part[1:]
            if not lower_part:
                raise ValueError(
                    f"s must be a Korean number reading; got {s!r}, which ends in a space"
                )
        upper = 1 if not upper_part else _parse_group(upper_part, s)
    else:
        lower_part, upper = s, 0
    return upper * 10_000 + _parse_group(lower_part, s)


def number_reading_dataset(
    n_items: int,
    *,
    max_value: int = 999,
    seed: int = 0,
    fractions: Sequence[float] = (0.8, 0.1, 0.1),
) -> dict[str, list[tuple[str, str]]]:
    """Train/valid/test pairs (digits, Korean reading) of distinct random integers.

    1. Draw ``n_items`` distinct integers from ``1 .. max_value`` with
       ``numpy.random.default_rng(seed)`` (all of them when ``n_items == max_value``).
    2. Sort them and split with :func:`course_utils.data.train_valid_test_split` (same
       ``seed``): every integer lands in exactly one split, so the test numbers are unseen.
    3. Pair each with its reading: ``("321", "삼백이십일")`` (:func:`korean_number`).

    Each split is sorted by value; shuffle for training (Keras's ``fit`` does by default).
    With ``max_value=999`` and ``n_items=999`` (every number) the splits hold 799, 100 and 100
    pairs; inputs are at most 3 characters long and readings at most 5 (칠백칠십칠).

    Args:
        n_items: Number of pairs, between 3 (one per split) and ``max_value``.
        max_value: Largest integer, between 3 and :data:`KOREAN_NUMBER_MAX`.
        seed: Seed of the draw and of the split (>= 0).
        fractions: Shares of (train, valid, test), three positive numbers summing to 1.

    Returns:
        ``{"train": [(digits, reading), ...], "valid": [...], "test": [...]}``.

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If ``n_items`` exceeds ``max_value``, or a split would be empty.

    Example:
        >>> splits = number_reading_dataset(20, max_value=999, seed=0)
        >>> [len(splits[name]) for name in ("train", "valid", "test")]
        [16, 2, 2]
        >>> splits["test"]
        [('41', '사십일'), ('805', '팔백오')]

    Introduced in: notebooks/03_recurrent_networks.ipynb
    """
    max_value = check_int(max_value, "max_value", 3, KOREAN_NUMBER_MAX)
    n_items = check_int(n_items, "n_items", 3, max_value)
    seed = check_int(seed, "seed", 0)
    rng = np.random.default_rng(seed)
    drawn = rng.choice(max_value, size=n_items, replace=False) + 1
    values = sorted(int(v) for v in drawn)
    pairs = [(str(v), korean_number(v)) for v in values]
    try:
        return data.train_valid_test_split(pairs, fractions, seed)
    except ValueError as error:
        if "too few" not in str(error):
            raise
        raise ValueError(
            f"n_items={n_items} is too few to give every split at least one pair with "
            f"fractions={tuple(fractions)}; expected a larger n_items ({error})"
        ) from None


# ---------------------------------------------------------------------------------------------
# Characters to padded id matrices, and back
# ---------------------------------------------------------------------------------------------


def char_vocabulary(
    strings: Sequence[str],
    specials: Sequence[str] = _NUMBER_SPECIALS,
    *,
    min_count: int = 1,
) -> Vocabulary:
    """A vocabulary of the characters of ``strings``: ``Vocabulary.build`` on character lists.

    It is exactly ``Vocabulary.build([list(s) for s in strings], specials=specials,
    min_count=min_count)``: characters are Unicode code points (``list(s)``, no
    normalisation; a space is a character like any other), the specials come first
    (``<pad>`` = 0), then the characters by decreasing count, ties in code-point order.

    The default specials ``(<pad>, <s>, </s>)`` have no ``<unk>``: right for a closed alphabet
    such as the digits and Korean numerals of :func:`number_reading_dataset`, where an unknown
    character is a bug. For real text (spacing, classification), pass
    ``specials=course_utils.text.DEFAULT_SPECIALS`` so that characters unseen in training map
    to ``<unk>``.

    Args:
        strings: The training strings (a list or tuple of str, not a single str).
        specials: The special tokens, ``<pad>`` first (see :class:`Vocabulary`).
        min_count: Smallest count of a kept character (>= 1); needs ``<unk>`` among the
            specials to encode the rarer ones.

    Returns:
        The vocabulary.

    Raises:
        TypeError: If ``strings`` is not a sequence of str.
        ValueError: If ``specials`` or ``min_count`` is invalid.

    Example:
        >>> vocab = char_vocabulary(["321", "삼백이십일"])
        >>> vocab.tokens
        ('<pad>', '<s>', '</s>', '1', '2', '3', '백', '삼', '십', '이', '일')

    Introduced in: notebooks/03_recurrent_networks.ipynb
    """
    items = check_strings(strings, "strings")
    min_count = check_int(min_count, "min_count", 1)
    return Vocabulary.build([list(s) for s in items], specials=specials, min_count=min_count)


def _pad_rows(rows: list[list[int]], max_len: int | None, truncate: bool, name: str) -> IntMatrix:
    """Stack integer rows into an ``int32`` matrix padded with 0 on the right."""
    if max_len is None:
        if not rows:
            raise ValueError(
                f"{name} is empty, so the padded length is unknown; pass max_len to get an "
                "array of shape (0, max_len)"
            )
        width = max(len(row) for row in rows)
    else:
        width = max_len
        if not truncate:
            for i, row in enumerate(rows):
                if len(row) > width:
                    raise ValueError(
                        f"{name}[{i}] encodes to {len(row)} ids, more than max_len={width}; "
                        "expected max_len >= the longest sequence, or truncate=True to cut "
                        "the ends off"
                    )
    out = np.zeros((len(rows), width), dtype=np.int32)
    for i, row in enumerate(rows):
        kept = row[:width]
        out[i, : len(kept)] = kept
    return out


def encode_padded(
    strings: Sequence[str] | Sequence[Sequence[str]],
    vocab: Vocabulary,
    *,
    max_len: int | None = None,
    add_bos: bool = False,
    add_eos: bool = False,
    truncate: bool = False,
) -> IntMatrix:
    """Encode strings as a padded ``int32`` id matrix for a Keras ``Embedding``.

    Each string is split into characters (``list(s)``, as in :func:`char_vocabulary`); an item
    may also be a sequence of str tokens already (e.g. a character list of
    :func:`spacing_examples`). Row ``i`` holds ``vocab.encode(tokens, add_bos=..., add_eos=...)``
    followed by ``<pad>`` ids (0) up to the width: ``max_len``, or the longest row.

    Args:
        strings: A sequence of str (or of token sequences); not a single str.
        vocab: The vocabulary; it must contain ``<pad>`` as id 0.
        max_len: Width of the matrix (>= 1), or None for the longest encoded row.
        add_bos: Start each row with ``<s>`` (the decoder input of a seq2seq model).
        add_eos: End each row with ``</s>`` (the decoder target).
        truncate: With ``max_len``, cut longer rows to ``max_len`` ids (keeping the start;
            a cut row loses its ``</s>``). Without it, a longer row is an error.

    Returns:
        An array of shape ``(len(strings), width)`` and dtype ``int32``.

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If ``vocab`` has no ``<pad>`` at id 0, a character is unknown and ``vocab``
            has no ``<unk>``, a row is longer than ``max_len`` (without ``truncate``), or
            ``strings`` is empty and ``max_len`` is None.

    Example:
        >>> vocab = char_vocabulary(["321", "삼백이십일"])
        >>> encode_padded(["321", "12"], vocab, add_eos=True)
        array([[5, 4, 3, 2],
               [3, 4, 2, 0]], dtype=int32)
        >>> decode_ids([5, 4, 3, 2, 0], vocab)
        '321'

    Introduced in: notebooks/03_recurrent_networks.ipynb
    """
    vocab = _check_vocab(vocab)
    if PAD not in vocab.specials:
        raise ValueError(
            f"vocab must have {PAD!r} as a special token (id 0) to pad with; its specials are "
            f"{vocab.specials!r}"
        )
    if max_len is not None:
        max_len = check_int(max_len, "max_len", 1)
    add_bos = check_bool(add_bos, "add_bos")
    add_eos = check_bool(add_eos, "add_eos")
    truncate = check_bool(truncate, "truncate")
    if truncate and max_len is None:
        raise ValueError("truncate=True needs max_len, the length to cut to; got max_len=None")
    rows = _check_token_rows(strings, "strings")
    encoded: list[list[int]] = []
    for i, tokens in enumerate(rows):
        try:
            encoded.append(vocab.encode(tokens, add_bos=add_bos, add_eos=add_eos))
        except ValueError as error:
            raise ValueError(f"strings[{i}] cannot be encoded: {error}") from None
    return _pad_rows(encoded, max_len, truncate, "strings")


def pad_labels(
    labels: Sequence[Sequence[int]], *, max_len: int | None = None, truncate: bool = False
) -> IntMatrix:
    """Pad label sequences with 0 on the right into an ``int32`` matrix.

    The per-character targets of :func:`spacing_examples`, shaped to match
    ``encode_padded(chars, vocab, max_len=...)``. A padded position has label 0; with
    ``Embedding(mask_zero=True)`` on the inputs, Keras leaves it out of the loss and metrics.

    Args:
        labels: A sequence of 0/1 label sequences.
        max_len: Width (>= 1), or None for the longest sequence.
        truncate: With ``max_len``, cut longer sequences; without it they are an error.

    Returns:
        An array of shape ``(len(labels), width)`` and dtype ``int32``.

    Raises:
        TypeError: If ``labels`` is not a sequence of sequences of 0/1 integers.
        ValueError: If a label is not 0 or 1, a sequence is longer than ``max_len`` (without
            ``truncate``), or ``labels`` is empty and ``max_len`` is None.

    Example:
        >>> pad_labels([[0, 1, 0], [1, 0]])
        array([[0, 1, 0],
               [1, 0, 0]], dtype=int32)

    Introduced in: notebooks/03_recurrent_networks.ipynb
    """
    if max_len is not None:
        max_len = check_int(max_len, "max_len", 1)
    truncate = check_bool(truncate, "truncate")
    if truncate and max_len is None:
        raise ValueError("truncate=True needs max_len, the length to cut to; got max_len=None")
    rows = _check_label_rows(labels, "labels")
    return _pad_rows(rows, max_len, truncate, "labels")


def decode_ids(ids: Iterable[int], vocab: Vocabulary) -> str:
    """Turn one row of ids back into a string: stop at ``</s>``, drop ``<pad>`` and ``<s>``.

    The inverse of one row of :func:`encode_padded` (for a model's output, take the arg-max
    first: ``decode_ids(probs[i].argmax(-1), vocab)``). The tokens are joined without a
    separator; an ``<unk>`` id gives the text ``<unk>``.

    Args:
        ids: Integer ids: a list, or a 1-D NumPy array.
        vocab: The vocabulary used to encode them.

    Returns:
        The string.

    Raises:
        TypeError: If ``ids`` is not a 1-D sequence of integers or ``vocab`` not a Vocabulary.
        ValueError: If ``ids`` is a NumPy array that is not 1-D, or an id is out of range (the
            message gives its position).

    Example:
        >>> vocab = char_vocabulary(["만일"])
        >>> decode_ids([1, 3, 4, 2, 3, 0], vocab)  # <s> 만 일 </s> (ignored after </s>)
        '만일'

    Introduced in: notebooks/03_recurrent_networks.ipynb
    """
    vocab = _check_vocab(vocab)
    if isinstance(ids, np.ndarray):
        if ids.ndim != 1:
            raise ValueError(
                f"ids must be one row of ids (a 1-D array); got shape {ids.shape}: decode "
                "a matrix row by row, e.g. [decode_ids(row, vocab) for row in matrix]"
            )
    elif not is_iterable(ids):
        raise TypeError(f"ids must be an iterable of integer ids; got {describe(ids)}")
    specials = vocab.specials
    eos = vocab.eos_id if EOS in specials else None
    skipped = {vocab.token_to_id(t) for t in (PAD, BOS) if t in specials}
    tokens = vocab.tokens
    size = len(tokens)
    out: list[str] = []
    for i, value in enumerate(ids):
        token_id = check_int(value, f"ids[{i}]", 0, size - 1)
        if token_id == eos:
            break
        if token_id not in skipped:
            out.append(tokens[token_id])
    return "".join(out)


# ---------------------------------------------------------------------------------------------
# Korean spacing restoration (synchronised many-to-many)
# ---------------------------------------------------------------------------------------------


def _line_labels(line: str) -> tuple[list[str], list[int]]:
    """Characters without spaces, and 1 after each word but the last."""
    chars: list[str] = []
    labels: list[int] = []
    for word in line.split():
        chars.extend(word)
        labels.extend([0] * (len(word) - 1))
        labels.append(1)
    if labels:
        labels[-1] = 0
    return chars, labels


def spacing_examples(
    lines: Sequence[str], *, max_len: int | None = None
) -> tuple[list[list[str]], list[list[int]]]:
    """Characters and space labels for Korean spacing restoration (띄어쓰기).

    For each line: the characters with every space removed, and one label per character, 1 if
    a space follows it in the line, else 0. Runs of whitespace (spaces, tabs, ...) count as one
    space; whitespace at the ends of a line is ignored, so the last character's label is 0.
    Lines with fewer than 2 characters (spaces not counted) are skipped.

    With ``max_len``, a longer line is cut into consecutive chunks of at most ``max_len``
    characters, each with its own labels: a chunk's last label stays the true one (1 if a space
    followed that character in the line), so ``"".join(restore_spacing(c, l) for ...)`` over a
    line's chunks gives the line back. Chunks are kept whatever their length.

    Measured on ``course_utils.data.korean_law_lines("all")`` (konlpy 0.6.0): 2,480 lines give
    2,402 examples (78 lines have fewer than 2 characters), 45,661 characters, 24.2% of them
    followed by a space; predicting "no space" everywhere is thus 75.8% accurate. The bills
    are hard-wrapped, so the end of a line is not always the end of a word.

    Args:
        lines: Lines of text (a list or tuple of str, not a single str).
        max_len: Largest example length (>= 1), or None to keep whole lines.

    Returns:
        ``(chars, labels)``: two lists of the same length, ``chars[i]`` a list of one-character
        str and ``labels[i]`` a list of 0/1 int of the same length.

    Raises:
        TypeError: If ``lines`` is not a sequence of str, or ``max_len`` not an integer.
        ValueError: If ``max_len`` is below 1.

    Example:
        >>> chars, labels = spacing_examples(["나는 무지 배가 고프다", "가", "국가는  국민을"])
        >>> ["".join(c) for c in chars], labels
        (['나는무지배가고프다', '국가는국민을'], [[0, 1, 0, 1, 0, 1, 0, 0, 0], [0, 0, 1, 0, 0, 0]])
        >>> chunks, chunk_labels = spacing_examples(["나는 무지 배가 고프다"], max_len=4)
        >>> ["".join(c) for c in chunks], chunk_labels
        (['나는무지', '배가고프', '다'], [[0, 1, 0, 1], [0, 1, 0, 0], [0]])

    Introduced in: notebooks/03_recurrent_networks.ipynb
    """
    items = check_strings(lines, "lines")
    if max_len is not None:
        max_len = check_int(max_len, "max_len", 1)
    all_chars: list[list[str]] = []
    all_labels: list[list[int]] = []
    for line in items:
        chars, labels = _line_labels(line)
        if len(chars) < 2:
            continue
        step = len(chars) if max_len is None else max_len
        for start in range(0, len(chars), step):
            all_chars.append(chars[start : start + step])
            all_labels.append(labels[start : start + step])
    return all_chars, all_labels


def restore_spacing(chars: Sequence[str] | str, labels: Sequence[int]) -> str:
    """Put a space after every character labelled 1: the inverse of :func:`spacing_examples`.

    Args:
        chars: The characters, a str or a sequence of str.
        labels: One 0/1 label per character (ints, bools or a 1-D NumPy array). A model's
            padded output must be cut to the length first: ``labels[: len(chars)]``.

    Returns:
        The spaced text (a trailing space only if the last label is 1).

    Raises:
        TypeError: If ``chars`` is not a str or a sequence of str, or a label is not an
            integer or bool (e.g. a probability).
        ValueError: If a label is not 0 or 1, or the lengths differ.

    Example:
        >>> restore_spacing("나는무지배가고프다", [0, 1, 0, 1, 0, 1, 0, 0, 0])
        '나는 무지 배가 고프다'

    Introduced in: notebooks/03_recurrent_networks.ipynb
    """
    if isinstance(chars, str):
        tokens = list(chars)
    else:
        if isinstance(chars, np.ndarray):
            chars = chars.tolist()
        if isinstance(chars, (bytes, bytearray, Mapping)) or not isinstance(chars, Sequence):
            raise TypeError(f"chars must be a str or a sequence of str; got {describe(chars)}")
        tokens = list(chars)
        for j, token in enumerate(tokens):
            if not isinstance(token, str):
                raise TypeError(f"chars[{j}] must be a str; got {describe(token)}")
    flags = _check_label_row(labels, "labels")
    if len(tokens) != len(flags):
        raise ValueError(
            f"chars and labels must have the same length (one label per character); got "
            f"{len(tokens)} and {len(flags)}"
        )
    return "".join(ch + " " if flag else ch for ch, flag in zip(tokens, flags, strict=True))


def spacing_f1(
    true_labels: Sequence[Sequence[int]], predicted_labels: Sequence[Sequence[int]]
) -> dict[str, float]:
    """Precision, recall and F1 of the predicted spaces (label 1), over all positions.

    The label sequences are flattened: every character of every sequence is one position. With
    ``tp`` the positions where both say 1, ``fp`` the predicted spaces that are not there and
    ``fn`` the missed ones: precision = tp / (tp + fp), recall = tp / (tp + fn),
    F1 = 2 precision recall / (precision + recall), each defined as 0 when its denominator is
    0 (nothing predicted, nothing to find). Accuracy is reported too: since most positions
    are not followed by a space, predicting no space at all scores a high accuracy and an F1
    of 0 -- the reason F1 is the measure here.

    Args:
        true_labels: The true labels, a sequence of 0/1 sequences (as from
            :func:`spacing_examples`).
        predicted_labels: The predicted labels, the same shape (cut padded predictions to each
            sequence's length first).

    Returns:
        ``{"precision", "recall", "f1", "accuracy"}`` as floats, and the counts
        ``"positions"``, ``"true_spaces"`` (tp + fn) and ``"predicted_spaces"`` (tp + fp).

    Raises:
        TypeError: If an argument is not a sequence of 0/1 sequences.
        ValueError: If a label is not 0 or 1, the shapes differ (the message gives the first
            sequence whose lengths differ), or there is no position at all.

    Example:
        >>> scores = spacing_f1([[0, 1, 0, 0], [1, 0]], [[0, 1, 1, 0], [0, 0]])
        >>> scores["precision"], scores["recall"], scores["f1"], round(scores["accuracy"], 3)
        (0.5, 0.5, 0.5, 0.667)

    Introduced in: notebooks/03_recurrent_networks.ipynb
    """
    truth = _check_label_rows(true_labels, "true_labels")
    predicted = _check_label_rows(predicted_labels, "predicted_labels")
    if len(truth) != len(predicted):
        raise ValueError(
            "true_labels and predicted_labels must hold the same number of sequences; got "
            f"{len(truth)} and {len(predicted)}"
        )
    tp = fp = fn = positions = 0
    for i, (t_row, p_row) in enumerate(zip(truth, predicted, strict=True)):
        if len(t_row) != len(p_row):
            raise ValueError(
                f"true_labels[{i}] and predicted_labels[{i}] must have the same length; got "
                f"{len(t_row)} and {len(p_row)}"
            )
        positions += len(t_row)
        for t, p in zip(t_row, p_row, strict=True):
            tp += t & p
            fp += p & (1 - t)
            fn += t & (1 - p)
    if positions == 0:
        raise ValueError("true_labels must hold at least one label; got no position at all")
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "accuracy": (positions - fp - fn) / positions,
        "positions": positions,
        "true_spaces": tp + fn,
        "predicted_spaces": tp + fp,
    }


class SpacingBaseline:
    """The character-unigram spacing rule: a space after ``c`` if P(space | c) > threshold.

    Made by :func:`spacing_baseline_fit`. It looks at one character at a time, so it can learn
    that 는, 를 and 은 usually end a word but nothing about context: the bar an RNN must clear.

    Args:
        space_counts: For each training character, how often a space followed it.
        char_counts: For each training character, how often it occurred.
        threshold: The probability above which a space is predicted, between 0 and 1.

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If a count is negative or a space count exceeds its character count.

    Example:
        >>> chars, labels = [list("나는배가"), list("너는목이")], [[0, 1, 0, 0], [0, 1, 0, 0]]
        >>> rule = spacing_baseline_fit(chars, labels)
        >>> rule.predict([list("그는밥을"), "나는"])
        [[0, 1, 0, 0], [0, 1]]
        >>> rule.space_probability("는"), rule.space_probability("밥")
        (1.0, 0.0)

    Introduced in: notebooks/03_recurrent_networks.ipynb
    """

    def __init__(
        self,
        space_counts: Mapping[str, int],
        char_counts: Mapping[str, int],
        *,
        threshold: float = 0.5,
    ) -> None:
        if not isinstance(space_counts, Mapping):
            raise TypeError(
                f"space_counts must be a mapping character -> count; got {describe(space_counts)}"
            )
        if not isinstance(char_counts, Mapping):
            raise TypeError(
                f"char_counts must be a mapping character -> count; got {describe(char_counts)}"
            )
        if isinstance(threshold, (bool, np.bool_)) or not isinstance(
            threshold, (int, float, np.integer, np.floating)
        ):
            raise TypeError(
                f"threshold must be a number between 0 and 1; got {describe(threshold)}"
            )
        if not 0.0 <= float(threshold) <= 1.0:
            raise ValueError(f"threshold must be a number between 0 and 1; got {threshold!r}")
        self._threshold = float(threshold)
        self._char_counts: dict[str, int] = {}
        for ch, count in char_counts.items():
            check_str(ch, "a key of char_counts")
            self._char_counts[ch] = check_int(count, f"char_counts[{ch!r}]", 0)
        self._space_counts: dict[str, int] = {}
        for ch, count in space_counts.items():
            check_str(ch, "a key of space_counts")
            total = self._char_counts.get(ch, 0)
            self._space_counts[ch] = check_int(count, f"space_counts[{ch!r}]", 0, total)

    @property
    def threshold(self) -> float:
        """The probability above which a space is predicted.

        Introduced in: notebooks/03_recurrent_networks.ipynb
        """
        return self._threshold

    @property
    def spacers(self) -> frozenset[str]:
        """The characters after which the rule puts a space.

        Introduced in: notebooks/03_recurrent_networks.ipynb
        """
        return frozenset(
            ch for ch in self._char_counts if self.space_probability(ch) > self._threshold
        )

    def space_probability(self, char: str) -> float:
        """P(space | char) estimated on the training data; 0.0 for a character never seen.

        Introduced in: notebooks/03_recurrent_networks.ipynb
        """
        char = check_str(char, "char")
        total = self._char_counts.get(char, 0)
        return self._space_counts.get(char, 0) / total if total else 0.0

    def predict(self, chars: Sequence[Sequence[str] | str]) -> list[list[int]]:
        """Predicted labels, one per character, for a batch of character sequences.

        Args:
            chars: A sequence of sequences: each a list of characters or a str (without spaces).

        Returns:
            A list of 0/1 label lists, one per input sequence, of the same lengths.

        Raises:
            TypeError: If ``chars`` is a single str or not a sequence of character sequences.

        Introduced in: notebooks/03_recurrent_networks.ipynb
        """
        rows = _check_token_rows(chars, "chars")
        spacers = self.spacers
        return [[1 if ch in spacers else 0 for ch in row] for row in rows]

    def __call__(self, chars: Sequence[Sequence[str] | str]) -> list[list[int]]:
        """The same as :meth:`predict`.

        Introduced in: notebooks/03_recurrent_networks.ipynb
        """
        return self.predict(chars)

    def __repr__(self) -> str:
        """``SpacingBaseline(characters=..., spacers=..., threshold=...)``.

        Introduced in: notebooks/03_recurrent_networks.ipynb
        """
        return (
            f"SpacingBaseline(characters={len(self._char_counts)}, "
            f"spacers={len(self.spacers)}, threshold={self._threshold})"
        )


def spacing_baseline_fit(
    chars_train: Sequence[Sequence[str]],
    labels_train: Sequence[Sequence[int]],
    *,
    threshold: float = 0.5,
) -> SpacingBaseline:
    """Fit the character-unigram spacing baseline on training examples.

    For every character ``c`` of the training data, P(space | c) is the share of its
    occurrences followed by a space (label 1), over all positions, the last of each example
    included. The fitted rule predicts a space after ``c`` when that share is strictly above
    ``threshold`` (0.5: the majority label); a character never seen in training gets no space.

    Args:
        chars_train: Character sequences (lists of str, or str), as from
            :func:`spacing_examples`.
        labels_train: Their 0/1 labels, aligned one to one.
        threshold: Between 0 and 1.

    Returns:
        A :class:`SpacingBaseline`; call ``.predict(chars)`` (or the object itself).

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If the sequences and labels are not aligned, or a label is not 0 or 1.

    Example:
        >>> chars, labels = spacing_examples(["나는 배가 고프다", "너는 목이 마르다"])
        >>> rule = spacing_baseline_fit(chars, labels)
        >>> sorted(rule.spacers)
        ['가', '는', '이']
        >>> restore_spacing("그는배가", rule.predict(["그는배가"])[0])
        '그는 배가 '

    Introduced in: notebooks/03_recurrent_networks.ipynb
    """
    chars = _check_token_rows(chars_train, "chars_train")
    labels = _check_label_rows(labels_train, "labels_train")
    _check_aligned(chars, labels, "chars_train", "labels_train")
    char_counts: Counter[str] = Counter()
    space_counts: Counter[str] = Counter()
    for row, flags in zip(chars, labels, strict=True):
        char_counts.update(row)
        space_counts.update(ch for ch, flag in zip(row, flags, strict=True) if flag)
    return SpacingBaseline(space_counts, char_counts, threshold=threshold)


# ---------------------------------------------------------------------------------------------
# Which document is this line from? (many-to-one)
# ---------------------------------------------------------------------------------------------


def source_classification_dataset(
    *,
    seed: int = 0,
    max_items_per_class: int | None = None,
    balance: bool = False,
    min_chars: int = 10,
    fractions: Sequence[float] = (0.8, 0.1, 0.1),
) -> dict[str, Any]:
    """Lines of Korean law labelled by their source: 0 = the constitution, 1 = a bill.

    1. Take :func:`course_utils.data.korean_law_lines` of ``"constitution"`` (label 0) and of
       ``"bills"`` (label 1); drop the lines shorter than ``min_chars`` characters (spaces
       counted), such as the titles 제1장 총강 and the bills' 번 호.
    2. De-duplicate: a line that occurs several times in one class is kept once; a line that
       occurs in both classes would be dropped from both (none does with konlpy 0.6.0). No text
       can then be in two splits.
    3. Down-sample (a random subset, text order kept, ``numpy.random.default_rng(seed)``):
       with ``balance=True`` the larger class to the size of the smaller; with
       ``max_items_per_class`` every class to at most that many lines.
    4. Split each class with :func:`course_utils.data.train_valid_test_split` (stratified:
       every split has both classes in the proportions of the whole), then shuffle each split
       with ``seed`` so that the classes are interleaved.

    Measured (konlpy 0.6.0, defaults): 327 constitution and 1,086 bill lines, split
    (train, valid, test) as 261/33/33 and 869/109/108 lines; with ``balance=True`` both classes
    have 327 lines, 261/33/33 each. The bills are hard-wrapped, so many of their lines are
    fragments; the line shape is itself a clue, which a bag of characters partly sees.

    Args:
        seed: Seed of the down-sampling, the split and the shuffle (>= 0).
        max_items_per_class: Largest number of lines per class (>= 3), or None.
        balance: Down-sample the larger class to the size of the smaller.
        min_chars: Shortest line kept, in characters (>= 1).
        fractions: Shares of (train, valid, test), three positive numbers summing to 1.

    Returns:
        ``{"train": [(text, label), ...], "valid": [...], "test": [...],
        "class_names": ("constitution", "bill"), "counts": {"train": (n0, n1), ...}}`` where
        ``counts`` gives the number of lines of each class in each split.

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If an argument is out of range.
        course_utils.data.MissingDataPackageError: If konlpy is not installed.

    Introduced in: notebooks/03_recurrent_networks.ipynb
    """
    seed = check_int(seed, "seed", 0)
    if max_items_per_class is not None:
        max_items_per_class = check_int(max_items_per_class, "max_items_per_class", 3)
    balance = check_bool(balance, "balance")
    min_chars = check_int(min_chars, "min_chars", 1)
    sources = ("constitution", "bills")
    classes: list[list[str]] = []
    for source in sources:
        kept = (line for line in data.korean_law_lines(source) if len(line) >= min_chars)
        classes.append(list(dict.fromkeys(kept)))  # de-duplicated, first occurrences in order
    shared = set(classes[0]) & set(classes[1])
    classes = [[line for line in lines if line not in shared] for lines in classes]
    cap = max_items_per_class
    if balance:
        smallest = min(len(lines) for lines in classes)
        cap = smallest if cap is None else min(cap, smallest)
    rng = np.random.default_rng(seed)
    if cap is not None:
        sampled: list[list[str]] = []
        for lines in classes:
            if len(lines) > cap:
                chosen = np.sort(rng.choice(len(lines), size=cap, replace=False))
                lines = [lines[int(i)] for i in chosen]
            sampled.append(lines)
        classes = sampled
    merged: dict[str, list[tuple[str, int]]] = {name: [] for name in _SPLITS}
    counts: dict[str, tuple[int, ...]] = {}
    per_class = [data.train_valid_test_split(lines, fractions, seed) for lines in classes]
    for name in _SPLITS:
        for label, split in enumerate(per_class):
            merged[name].extend((line, label) for line in split[name])
        order = rng.permutation(len(merged[name]))
        merged[name] = [merged[name][int(i)] for i in order]
        counts[name] = tuple(len(split[name]) for split in per_class)
    return {**merged, "class_names": SOURCE_CLASS_NAMES, "counts": counts}


def bag_of_characters(texts: Sequence[str], vocab: Vocabulary) -> FloatMatrix:
    """Character counts per text: the input of an order-blind (bag-of-characters) baseline.

    Entry ``[i, j]`` is how often the character with id ``j`` occurs in ``texts[i]``
    (characters as in :func:`char_vocabulary`; unknown ones count under ``<unk>``). The dtype is
    ``float32`` so that a Keras ``Dense`` layer takes the matrix directly.

    Args:
        texts: A sequence of str (not a single str).
        vocab: The character vocabulary.

    Returns:
        An array of shape ``(len(texts), len(vocab))`` and dtype ``float32``.

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If a character is unknown and ``vocab`` has no ``<unk>``.

    Example:
        >>> vocab = char_vocabulary(["법률 법"], specials=("<pad>", "<unk>"))
        >>> vocab.tokens
        ('<pad>', '<unk>', '법', ' ', '률')
        >>> bag_of_characters(["법률", "국법"], vocab)
        array([[0., 0., 1., 0., 1.],
               [0., 1., 1., 0., 0.]], dtype=float32)

    Introduced in: notebooks/03_recurrent_networks.ipynb
    """
    items = check_strings(texts, "texts")
    vocab = _check_vocab(vocab)
    out = np.zeros((len(items), len(vocab)), dtype=np.float32)
    for i, item in enumerate(items):
        try:
            ids = vocab.encode(list(item))
        except ValueError as error:
            raise ValueError(f"texts[{i}] cannot be encoded: {error}") from None
        np.add.at(out[i], ids, 1.0)
    return out


# --------------------------------------------------------------------------------------------
# Honorific agreement across long filler runs (chapters 4 and 5)
# --------------------------------------------------------------------------------------------

#: Plain predicate -> honorific twin for the present-tense forms used by the agreement probes.
#:
#: Introduced in: notebooks/04_lstm.ipynb
HONORIFIC_TWINS: dict[str, str] = {"고프다": "고프시다", "마르다": "마르시다"}


def _agreement_parts(grammar: Any) -> tuple[list[str], np.ndarray, frozenset, list[str], list[str]]:
    subjects = list(grammar.subjects)
    weights = np.array([grammar.subjects[s] for s in subjects])
    return (
        subjects,
        weights,
        grammar.honorific_subjects,
        list(grammar.fillers),
        list(grammar.intensifiers),
    )


def long_agreement_sentences(
    n: int, max_fillers: int, *, seed: int = 0, fixed: bool = False
) -> list[list[str]]:
    """Hungry-corpus sentences with long runs of fillers, for testing long-range memory.

    Each sentence is ``subject filler_1 .. filler_K intensifier state predicate`` in the present
    tense, where the predicate agrees with the subject's honorific level (고프다 / 고프시다,
    마르다 / 마르시다). Unlike :class:`course_utils.data.HungryGrammar`, fillers are drawn *with*
    replacement, so K can exceed the 12 distinct fillers; K is uniform on ``0..max_fillers``, or
    exactly ``max_fillers`` when ``fixed`` is true. Subjects keep the grammar's weights;
    intensifier, filler and state are uniform. This is a probe task, not the grammar: its
    sentences are not scored with ``HungryGrammar.logprob``.

    Introduced in: notebooks/04_lstm.ipynb
    """
    from course_utils.data import HungryGrammar

    n = check_int(n, "n", 1)
    max_fillers = check_int(max_fillers, "max_fillers", 0)
    fixed = check_bool(fixed, "fixed")
    subjects, weights, honorific, fillers, intensifiers = _agreement_parts(HungryGrammar())
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        k = max_fillers if fixed else int(rng.integers(0, max_fillers + 1))
        subject = subjects[rng.choice(len(subjects), p=weights)]
        state, plain = [("배가", "고프다"), ("목이", "마르다")][rng.integers(2)]
        predicate = HONORIFIC_TWINS[plain] if subject in honorific else plain
        middle = [fillers[j] for j in rng.integers(len(fillers), size=k)]
        out.append(
            [subject, *middle, intensifiers[rng.integers(len(intensifiers))], state, predicate]
        )
    return out


_PROBE_SUBJECTS: Final[tuple[str, ...]] = ("both", "honorific", "plain")


def agreement_probes(
    n: int, fillers: int, *, seed: int = 0, subjects: str = "both"
) -> list[tuple[list[str], str, str]]:
    """Prefixes with a subject and exactly ``fillers`` fillers, and the two verbs to choose from.

    Returns ``(prefix, correct, wrong)`` triples: the prefix runs from the subject to the state
    noun; ``correct`` is the predicate that agrees with the subject (고프시다 after an honorific
    subject, 고프다 after a plain one) and ``wrong`` its twin of the other level. A language
    model gets a probe right when it gives ``correct`` the higher probability after ``prefix``.

    With ``subjects="both"`` (the default) the probes alternate between an honorific and a plain
    subject, starting with an honorific one, so half of them (rounded up) are honorific. A model
    blind to the subject then gets one group right and the other wrong: use
    :func:`agreement_accuracy`, whose balanced accuracy puts such a model at 50 %, the chance
    line. ``"honorific"`` or ``"plain"`` draws every subject from one group.

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If ``n`` < 1, ``fillers`` < 0 or ``subjects`` is not one of
            ``"both"``, ``"honorific"``, ``"plain"``.

    Introduced in: notebooks/04_lstm.ipynb
    """
    from course_utils.data import HungryGrammar

    n = check_int(n, "n", 1)
    fillers = check_int(fillers, "fillers", 0)
    subjects = check_str(subjects, "subjects")
    if subjects not in _PROBE_SUBJECTS:
        raise ValueError(f"subjects must be one of {_PROBE_SUBJECTS}; got {subjects!r}")
    all_subjects, _, honorific, filler_words, intensifiers = _agreement_parts(HungryGrammar())
    groups = {
        True: sorted(honorific),
        False: sorted(s for s in all_subjects if s not in honorific),
    }
    rng = np.random.default_rng(seed)
    probes = []
    for i in range(n):
        is_honorific = subjects == "honorific" or (subjects == "both" and i % 2 == 0)
        group = groups[is_honorific]
        state, plain = [("배가", "고프다"), ("목이", "마르다")][rng.integers(2)]
        prefix = [
            group[rng.integers(len(group))],
            *[filler_words[j] for j in rng.integers(len(filler_words), size=fillers)],
            intensifiers[rng.integers(len(intensifiers))],
            state,
        ]
        polite = HONORIFIC_TWINS[plain]
        probes.append((prefix, polite, plain) if is_honorific else (prefix, plain, polite))
    return probes


class AgreementScore(NamedTuple):
    """Agreement accuracy on probes, per subject group and balanced.

    ``honorific`` and ``plain`` are the shares of probes of each group the model got right
    (``nan`` for a group with no probes); ``balanced`` is their mean (or the one group's share
    when only one is present), so a model that always picks the same verb form scores 0.5.

    Introduced in: notebooks/04_lstm.ipynb
    """

    honorific: float
    plain: float
    balanced: float


def agreement_accuracy(lm: Any, probes: Sequence[tuple[Sequence[str], str, str]]) -> AgreementScore:
    """How often ``lm`` prefers the agreeing verb on :func:`agreement_probes` probes.

    Each probe is scored twice, as ``prefix + [correct]`` and ``prefix + [wrong]`` (each a whole
    sentence, ``</s>`` included); the probe counts as right when the first is more probable.
    Only the last two tokens differ, so this compares the verbs in context.

    Args:
        lm: A language model with ``sentence_logprobs(sentences)`` or ``logprob(tokens)``.
        probes: ``(prefix, correct, wrong)`` triples from :func:`agreement_probes`.

    Returns:
        An :class:`AgreementScore` (honorific, plain, balanced).

    Raises:
        TypeError: If ``lm`` cannot score sentences or a probe is not a triple.
        ValueError: If ``probes`` is empty or a verb is not one of the agreement pairs.

    Introduced in: notebooks/04_lstm.ipynb
    """
    rows = check_collection(probes, "probes", "(prefix, correct, wrong) triples")
    if not rows:
        raise ValueError("probes is empty; make some with tasks.agreement_probes(n, fillers)")
    honorific_forms = set(HONORIFIC_TWINS.values())
    verbs = set(HONORIFIC_TWINS) | honorific_forms
    for i, probe in enumerate(rows):
        if not (isinstance(probe, tuple | list) and len(probe) == 3):
            raise TypeError(f"probes[{i}] must be a (prefix, correct, wrong) triple; got {probe!r}")
        if probe[1] not in verbs or probe[2] not in verbs:
            raise ValueError(
                f"probes[{i}] compares {probe[1]!r} with {probe[2]!r}; both must be "
                f"agreement verbs ({', '.join(sorted(verbs))})"
            )
    score = getattr(lm, "sentence_logprobs", None)
    if not callable(score):
        if not callable(getattr(lm, "logprob", None)):
            raise TypeError(f"lm must be a language model with logprob(); got {type(lm).__name__}")

        def score(sentences: list[list[str]]) -> np.ndarray:
            return np.array([lm.logprob(s) for s in sentences])

    right = np.asarray(score([[*p, c] for p, c, _ in rows])) > np.asarray(
        score([[*p, w] for p, _, w in rows])
    )
    is_honorific = np.array([c in honorific_forms for _, c, _ in rows])
    shares = [
        float(right[mask].mean()) if mask.any() else math.nan
        for mask in (is_honorific, ~is_honorific)
    ]
    present = [share for share in shares if not math.isnan(share)]
    return AgreementScore(shares[0], shares[1], float(np.mean(present)))
