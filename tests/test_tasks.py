"""Tests of course_utils.tasks: the data of the three sequence-task shapes of chapter 3."""

from __future__ import annotations

import doctest
import inspect
import math
import re
import subprocess
import sys
from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_utils import data, tasks
from course_utils.tasks import (
    KOREAN_NUMBER_MAX,
    SOURCE_CLASS_NAMES,
    SpacingBaseline,
    bag_of_characters,
    char_vocabulary,
    decode_ids,
    encode_padded,
    korean_number,
    number_reading_dataset,
    pad_labels,
    parse_korean_number,
    restore_spacing,
    source_classification_dataset,
    spacing_baseline_fit,
    spacing_examples,
    spacing_f1,
)
from course_utils.text import BOS, DEFAULT_SPECIALS, EOS, PAD, UNK, Vocabulary

INTRODUCED = "Introduced in: notebooks/03_recurrent_networks.ipynb"
HUNGRY = "나는 무지 배가 고프다"
SPLITS = ("train", "valid", "test")


@pytest.fixture(scope="module")
def law_lines() -> list[str]:
    return data.korean_law_lines("all")


@pytest.fixture(scope="module")
def classification() -> dict[str, object]:
    return source_classification_dataset()


# ---------------------------------------------------------------------------- Korean numbers


@pytest.mark.parametrize(
    ("n", "reading"),
    [
        (0, "영"),
        (1, "일"),
        (10, "십"),
        (11, "십일"),
        (15, "십오"),
        (20, "이십"),
        (100, "백"),
        (101, "백일"),
        (110, "백십"),
        (321, "삼백이십일"),
        (1000, "천"),
        (1001, "천일"),
        (2024, "이천이십사"),
        (10000, "만"),
        (10001, "만일"),
        (12345, "만이천삼백사십오"),
        (99_999_999, "구천구백구십구만구천구백구십구"),
        (100_000, "십만"),
        (110_000, "십일만"),
        (1_000_001, "백만일"),
        (10_000_000, "천만"),
        (20_030_400, "이천삼만사백"),
        (11_111_111, "천백십일만천백십일"),
    ],
)
def test_korean_number_exact_readings(n: int, reading: str) -> None:
    assert korean_number(n) == reading
    assert parse_korean_number(reading) == n


def test_korean_number_accepts_numpy_integers_and_the_maximum() -> None:
    assert korean_number(np.int64(321)) == "삼백이십일"
    assert KOREAN_NUMBER_MAX == 99_999_999
    assert korean_number(KOREAN_NUMBER_MAX) == "구천구백구십구만구천구백구십구"


def test_readings_use_fourteen_characters_and_no_space() -> None:
    alphabet = {ch for n in range(0, 100_000, 7) for ch in korean_number(n)}
    assert alphabet == set("영일이삼사오육칠팔구십백천만")


def test_round_trip_is_exact_on_the_first_eleven_thousand_integers() -> None:
    readings = [korean_number(n) for n in range(11_000)]
    assert len(set(readings)) == len(readings)  # no two integers share a reading
    assert [parse_korean_number(r) for r in readings] == list(range(11_000))


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=99_999_999))
def test_round_trip_property(n: int) -> None:
    assert parse_korean_number(korean_number(n)) == n


@pytest.mark.parametrize(
    ("reading", "n"),
    [
        ("일만", 10_000),
        ("일천일백일십일", 1111),
        ("만 일", 10_001),
        ("만 이천삼백사십오", 12_345),
        ("삼만 오", 30_005),
        ("일만일천", 11_000),
    ],
)
def test_parse_accepts_the_explicit_il_and_a_space_after_man(reading: str, n: int) -> None:
    assert parse_korean_number(reading) == n


@pytest.mark.parametrize(
    ("reading", "message"),
    [
        ("", r"s must be a Korean number reading such as '삼백이십일'; got ''"),
        ("영일", r"영 \(zero\) is only read alone"),
        ("십영", r"영 \(zero\) is only read alone"),
        ("이삼", r"two digits follow each other \(이삼\)"),
        ("삼백이삼", r"two digits follow each other"),
        ("십백", r"the unit '백' is repeated or out of order"),
        ("십십", r"the unit '십' is repeated or out of order"),
        ("백천", r"the unit '천' is repeated or out of order"),
        ("만만", r"with 만 2 times: expected it at most once"),
        ("일만이만", r"with 만 2 times"),
        ("만 ", r"ends in a space"),
        ("만  일", r"contains ' '"),
        (" 일", r"contains ' '"),
        ("일 ", r"contains ' '"),
        ("이 천", r"contains ' '"),
        ("삼백x", r"contains 'x': expected only the digits 일이삼사오육칠팔구"),
        ("321", r"contains '3'"),
        ("억", r"contains '억'"),
    ],
)
def test_parse_rejects_malformed_readings(reading: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_korean_number(reading)


# ---------------------------------------------------------------------------- number reading data


def test_number_reading_dataset_sizes_for_every_number_below_a_thousand() -> None:
    splits = number_reading_dataset(999)
    assert {name: len(splits[name]) for name in SPLITS} == {
        "train": 799,
        "valid": 100,
        "test": 100,
    }
    values = sorted(int(digits) for name in SPLITS for digits, _ in splits[name])
    assert values == list(range(1, 1000))
    for name in SPLITS:
        for digits, reading in splits[name]:
            assert reading == korean_number(int(digits))
            assert digits == str(int(digits))
        assert [int(d) for d, _ in splits[name]] == sorted(int(d) for d, _ in splits[name])


def test_number_reading_dataset_is_deterministic_and_disjoint() -> None:
    first = number_reading_dataset(300, max_value=5000, seed=3)
    again = number_reading_dataset(300, max_value=5000, seed=3)
    other = number_reading_dataset(300, max_value=5000, seed=4)
    assert first == again
    assert first != other
    assert [len(first[name]) for name in SPLITS] == [240, 30, 30]
    sets = [{d for d, _ in first[name]} for name in SPLITS]
    assert not (sets[0] & sets[1] or sets[0] & sets[2] or sets[1] & sets[2])
    assert sum(len(s) for s in sets) == 300  # distinct integers
    assert all(1 <= int(d) <= 5000 for s in sets for d in s)


def test_number_reading_dataset_fractions_and_large_range() -> None:
    splits = number_reading_dataset(100, max_value=KOREAN_NUMBER_MAX, fractions=(0.5, 0.25, 0.25))
    assert [len(splits[name]) for name in SPLITS] == [50, 25, 25]
    for name in SPLITS:
        for digits, reading in splits[name]:
            assert parse_korean_number(reading) == int(digits)


# ---------------------------------------------------------------------------- encoding


def test_char_vocabulary_reuses_vocabulary_build() -> None:
    strings = ["321", "삼백이십일", "만일"]
    vocab = char_vocabulary(strings)
    assert vocab == Vocabulary.build([list(s) for s in strings], specials=(PAD, BOS, EOS))
    assert vocab.specials == (PAD, BOS, EOS)
    assert vocab.pad_id == 0
    assert UNK not in vocab.specials
    with_unk = char_vocabulary(strings, specials=DEFAULT_SPECIALS, min_count=2)
    assert with_unk.tokens == (PAD, UNK, BOS, EOS, "일")  # the only character seen twice


def test_encode_padded_shapes_padding_and_markers() -> None:
    vocab = char_vocabulary(["12", "345"])
    ids = encode_padded(["12", "345", ""], vocab, add_bos=True, add_eos=True)
    assert ids.dtype == np.int32
    assert ids.shape == (3, 5)
    one, two = vocab.token_to_id("1"), vocab.token_to_id("2")
    assert ids[0].tolist() == [vocab.bos_id, one, two, vocab.eos_id, 0]
    assert ids[2].tolist() == [vocab.bos_id, vocab.eos_id, 0, 0, 0]
    wide = encode_padded(["12"], vocab, max_len=6)
    assert wide.tolist() == [[one, two, 0, 0, 0, 0]]
    cut = encode_padded(["345", "12"], vocab, max_len=2, truncate=True, add_eos=True)
    assert cut.tolist() == [vocab.encode(["3", "4"]), [one, two]]
    empty = encode_padded([], vocab, max_len=4)
    assert empty.shape == (0, 4)
    assert empty.dtype == np.int32


def test_encode_padded_takes_token_lists_and_maps_unknowns_to_unk() -> None:
    vocab = char_vocabulary(["나는", "배가"], specials=DEFAULT_SPECIALS)
    from_lists = encode_padded([["나", "는"], list("배가")], vocab)
    from_strings = encode_padded(["나는", "배가"], vocab)
    np.testing.assert_array_equal(from_lists, from_strings)
    unknown = encode_padded(["나라"], vocab)
    assert unknown.tolist() == [[vocab.token_to_id("나"), vocab.unk_id]]


def test_encode_decode_round_trip_on_the_number_data() -> None:
    splits = number_reading_dataset(999)
    pairs = [pair for name in SPLITS for pair in splits[name]]
    sources = [d for d, _ in pairs]
    targets = [r for _, r in pairs]
    src_vocab = char_vocabulary(sources)
    tgt_vocab = char_vocabulary(targets)
    assert len(src_vocab) == 3 + 10
    assert set(tgt_vocab.tokens[3:]) == set("일이삼사오육칠팔구십백")  # no 영, 천 or 만
    src = encode_padded(sources, src_vocab)
    tgt = encode_padded(targets, tgt_vocab, add_bos=True, add_eos=True)
    assert src.shape == (999, 3)
    assert tgt.shape == (999, 7)  # <s> + at most five characters + </s>
    assert [decode_ids(row, src_vocab) for row in src] == sources
    assert [decode_ids(row, tgt_vocab) for row in tgt] == targets
    assert [decode_ids(row.tolist(), tgt_vocab) for row in tgt[:, 1:]] == targets


def test_decode_ids_stops_at_eos_and_drops_pad_and_bos() -> None:
    vocab = char_vocabulary(["가나"])
    ga, na = vocab.token_to_id("가"), vocab.token_to_id("나")
    assert decode_ids([vocab.bos_id, ga, 0, na, vocab.eos_id, ga, na], vocab) == "가나"
    assert decode_ids(np.array([ga, ga], dtype=np.int64), vocab) == "가가"
    assert decode_ids([], vocab) == ""
    no_eos = Vocabulary(["가"], specials=(PAD,))
    assert decode_ids([1, 0, 1], no_eos) == "가가"
    with_unk = char_vocabulary(["가"], specials=DEFAULT_SPECIALS)
    assert decode_ids([with_unk.unk_id, with_unk.token_to_id("가")], with_unk) == "<unk>가"


def test_pad_labels() -> None:
    padded = pad_labels([[0, 1, 0], [1], np.array([0, 0])])
    assert padded.dtype == np.int32
    assert padded.tolist() == [[0, 1, 0], [1, 0, 0], [0, 0, 0]]
    assert pad_labels([[1, 1, 1]], max_len=2, truncate=True).tolist() == [[1, 1]]
    assert pad_labels([[True, False]], max_len=3).tolist() == [[1, 0, 0]]


# ---------------------------------------------------------------------------- spacing


def test_spacing_examples_on_the_hungry_sentence() -> None:
    chars, labels = spacing_examples([HUNGRY])
    assert chars == [list("나는무지배가고프다")]
    assert len(chars[0]) == 9
    assert labels == [[0, 1, 0, 1, 0, 1, 0, 0, 0]]
    assert restore_spacing(chars[0], labels[0]) == HUNGRY
    assert restore_spacing("".join(chars[0]), np.array(labels[0])) == HUNGRY


def test_spacing_examples_whitespace_runs_and_short_lines() -> None:
    chars, labels = spacing_examples(["  나는\t\t무지  배가\n고프다 ", "가", " 가 ", "", "가나"])
    assert ["".join(c) for c in chars] == ["나는무지배가고프다", "가나"]
    assert labels == [[0, 1, 0, 1, 0, 1, 0, 0, 0], [0, 0]]
    assert spacing_examples(["가 나"]) == ([["가", "나"]], [[1, 0]])
    assert spacing_examples(("가",)) == ([], [])


@pytest.mark.parametrize("max_len", [1, 2, 3, 4, 5, 9, 10])
def test_chunking_keeps_labels_aligned(max_len: int) -> None:
    whole_chars, whole_labels = spacing_examples([HUNGRY])
    chars, labels = spacing_examples([HUNGRY], max_len=max_len)
    assert all(1 <= len(c) <= max_len for c in chars)
    assert [len(c) for c in chars] == [len(lab) for lab in labels]
    assert [ch for c in chars for ch in c] == whole_chars[0]
    assert [x for lab in labels for x in lab] == whole_labels[0]
    assert "".join(restore_spacing(c, lab) for c, lab in zip(chars, labels, strict=True)) == HUNGRY


def test_spacing_on_korean_law_measured_sizes_and_inverse(law_lines: list[str]) -> None:
    chars, labels = spacing_examples(law_lines)
    assert len(law_lines) == 2480
    assert len(chars) == len(labels) == 2402
    n_chars = sum(len(c) for c in chars)
    n_spaces = sum(sum(lab) for lab in labels)
    assert n_chars == 45_661
    assert round(n_spaces / n_chars, 3) == 0.242
    kept = [line for line in law_lines if len("".join(line.split())) >= 2]
    restored = [restore_spacing(c, lab) for c, lab in zip(chars, labels, strict=True)]
    assert restored == [" ".join(line.split()) for line in kept]
    assert all(" " not in ch and len(ch) == 1 for c in chars for ch in c)
    assert all(lab[-1] == 0 for lab in labels)


def test_chunking_the_korean_law(law_lines: list[str]) -> None:
    chars, labels = spacing_examples(law_lines, max_len=64)
    whole_chars, _ = spacing_examples(law_lines)
    assert len(chars) == 2460
    assert max(len(c) for c in chars) == 64
    assert sum(len(c) for c in chars) == sum(len(c) for c in whole_chars)
    assert [len(c) for c in chars] == [len(lab) for lab in labels]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="가나다 \t", max_size=30), st.integers(min_value=1, max_value=6))
def test_spacing_round_trip_property(line: str, max_len: int) -> None:
    normalised = " ".join(line.split())
    chars, labels = spacing_examples([line], max_len=max_len)
    if len(normalised.replace(" ", "")) < 2:
        assert chars == labels == []
        return
    joined = "".join(restore_spacing(c, lab) for c, lab in zip(chars, labels, strict=True))
    assert joined == normalised


def test_spacing_f1_hand_made_cases() -> None:
    truth = [[0, 1, 0, 1, 0, 0], [1, 0]]
    perfect = spacing_f1(truth, truth)
    assert (perfect["precision"], perfect["recall"], perfect["f1"]) == (1.0, 1.0, 1.0)
    assert perfect["accuracy"] == 1.0
    assert (perfect["positions"], perfect["true_spaces"], perfect["predicted_spaces"]) == (8, 3, 3)

    silent = spacing_f1(truth, [[0] * 6, [0, 0]])
    assert (silent["precision"], silent["recall"], silent["f1"]) == (0.0, 0.0, 0.0)
    assert silent["accuracy"] == pytest.approx(5 / 8)
    assert silent["predicted_spaces"] == 0

    nothing = spacing_f1([[0, 0, 0]], [[0, 0, 0]])  # 0/0 everywhere is 0
    assert (nothing["precision"], nothing["recall"], nothing["f1"]) == (0.0, 0.0, 0.0)
    assert nothing["accuracy"] == 1.0

    # tp = 1 (position 1), fp = 2 (positions 2 and 5), fn = 2 (position 3, and [1][0]).
    mixed = spacing_f1(truth, [np.array([0, 1, 1, 0, 0, 1]), [False, False]])
    assert mixed["precision"] == pytest.approx(1 / 3)
    assert mixed["recall"] == pytest.approx(1 / 3)
    assert mixed["f1"] == pytest.approx(1 / 3)
    assert mixed["accuracy"] == pytest.approx(4 / 8)

    everywhere = spacing_f1(truth, [[1] * 6, [1, 1]])
    assert everywhere["precision"] == pytest.approx(3 / 8)
    assert everywhere["recall"] == 1.0
    assert everywhere["f1"] == pytest.approx(2 * (3 / 8) / (3 / 8 + 1))


def test_baseline_on_a_toy_corpus() -> None:
    lines = ["나는 배가 고프다", "너는 목이 마르다", "그는 배가 아프다", "나는가 는다"]
    chars, labels = spacing_examples(lines)
    rule = spacing_baseline_fit(chars, labels)
    assert isinstance(rule, SpacingBaseline)
    # 는: followed by a space 3 times out of 5 (나는가 and 는다 are not) -> 0.6 > 0.5.
    assert rule.space_probability("는") == pytest.approx(3 / 5)
    # 가: 3 of 3 (배가 twice, and 나는가 ends its word too).
    assert rule.space_probability("가") == 1.0
    assert rule.space_probability("이") == 1.0
    assert rule.space_probability("다") == 0.0
    assert rule.space_probability("밥") == 0.0  # never seen
    assert rule.spacers == frozenset({"는", "가", "이"})
    assert rule.predict(["그는밥을", list("배가"), "X"]) == [[0, 1, 0, 0], [0, 1], [0]]
    assert rule(["배가"]) == [[0, 1]]
    assert repr(rule) == "SpacingBaseline(characters=14, spacers=3, threshold=0.5)"


def test_baseline_threshold_is_strict() -> None:
    rule = spacing_baseline_fit(["가나", "가나"], [[1, 0], [0, 0]])
    assert rule.space_probability("가") == 0.5
    assert rule.predict(["가"]) == [[0]]  # 0.5 is not > 0.5
    lenient = spacing_baseline_fit(["가나", "가나"], [[1, 0], [0, 0]], threshold=0.4)
    assert lenient.predict(["가"]) == [[1]]
    assert lenient.threshold == 0.4


def test_baseline_on_korean_law_beats_predicting_no_space(law_lines: list[str]) -> None:
    split = data.train_valid_test_split(law_lines, seed=0)
    train_chars, train_labels = spacing_examples(split["train"])
    test_chars, test_labels = spacing_examples(split["test"])
    rule = spacing_baseline_fit(train_chars, train_labels)
    scores = spacing_f1(test_labels, rule.predict(test_chars))
    assert 0.5 < scores["f1"] < 0.8
    assert scores["accuracy"] > 1 - scores["true_spaces"] / scores["positions"]


# ---------------------------------------------------------------------------- classification


def test_classification_dataset_documented_counts(classification: dict[str, object]) -> None:
    assert classification["class_names"] == SOURCE_CLASS_NAMES == ("constitution", "bill")
    assert classification["counts"] == {"train": (261, 869), "valid": (33, 109), "test": (33, 108)}
    for name in SPLITS:
        split = classification[name]
        assert isinstance(split, list)
        assert len(split) == sum(classification["counts"][name])  # type: ignore[index]
        labels = [label for _, label in split]
        assert set(labels) == {0, 1}
        assert labels != sorted(labels)  # shuffled: the classes are interleaved


def test_classification_texts_are_clean_and_correctly_labelled(
    classification: dict[str, object],
) -> None:
    constitution = set(data.korean_law_lines("constitution"))
    bills = set(data.korean_law_lines("bills"))
    seen: set[str] = set()
    for name in SPLITS:
        texts = [t for t, _ in classification[name]]  # type: ignore[attr-defined]
        assert len(set(texts)) == len(texts)
        assert not seen & set(texts)  # no text in two splits
        seen |= set(texts)
        for text, label in classification[name]:  # type: ignore[attr-defined]
            assert len(text) >= 10
            assert text in (constitution if label == 0 else bills)
            assert text not in (bills if label == 0 else constitution)


def test_classification_is_deterministic_and_can_be_balanced(
    classification: dict[str, object],
) -> None:
    assert source_classification_dataset() == classification
    other = source_classification_dataset(seed=1)
    assert other["counts"] == classification["counts"]
    assert other["train"] != classification["train"]
    balanced = source_classification_dataset(balance=True)
    assert balanced["counts"] == {"train": (261, 261), "valid": (33, 33), "test": (33, 33)}
    assert balanced == source_classification_dataset(balance=True)
    capped = source_classification_dataset(max_items_per_class=50)
    assert capped["counts"] == {"train": (40, 40), "valid": (5, 5), "test": (5, 5)}
    both = source_classification_dataset(max_items_per_class=500, balance=True)
    assert both["counts"] == balanced["counts"]
    loose = source_classification_dataset(min_chars=1)
    assert sum(loose["counts"]["train"]) > sum(classification["counts"]["train"])  # type: ignore[index]


def test_bag_of_characters(classification: dict[str, object]) -> None:
    train_texts = [t for t, _ in classification["train"]]  # type: ignore[attr-defined]
    test_texts = [t for t, _ in classification["test"]]  # type: ignore[attr-defined]
    vocab = char_vocabulary(train_texts, specials=DEFAULT_SPECIALS)
    counts = bag_of_characters(test_texts, vocab)
    assert counts.shape == (len(test_texts), len(vocab))
    assert counts.dtype == np.float32
    np.testing.assert_array_equal(counts.sum(axis=1), [len(t) for t in test_texts])
    assert not counts[:, vocab.pad_id].any()
    small = char_vocabulary(["가나나"], specials=(PAD, UNK))
    np.testing.assert_array_equal(
        bag_of_characters(["나가나", "다다"], small), [[0, 0, 2, 1], [0, 2, 0, 0]]
    )
    assert bag_of_characters([], small).shape == (0, 4)


# ---------------------------------------------------------------------------- bad input

BARE = char_vocabulary(["가나"])  # <pad> <s> </s> 나 가: no <unk>

BAD_INPUT: list[tuple[str, Callable[[], object], type[Exception], str]] = [
    ("n float", lambda: korean_number(3.0), TypeError, r"n must be an integer between 0 and"),
    ("n bool", lambda: korean_number(True), TypeError, r"n must be an integer .* got True"),
    ("n str", lambda: korean_number("3"), TypeError, r"n must be an integer"),
    ("n negative", lambda: korean_number(-1), ValueError, r"n must be an integer between 0 and"),
    ("n too big", lambda: korean_number(100_000_000), ValueError, r"99999999; got 100000000"),
    ("parse int", lambda: parse_korean_number(321), TypeError, r"s must be a str; got 321"),
    (
        "n_items too many",
        lambda: number_reading_dataset(1000, max_value=999),
        ValueError,
        r"n_items must be an integer between 3 and 999; got 1000",
    ),
    ("n_items 2", lambda: number_reading_dataset(2), ValueError, r"n_items must be .* got 2"),
    (
        "n_items too few for the split",
        lambda: number_reading_dataset(3),
        ValueError,
        r"n_items=3 is too few to give every split at least one pair",
    ),
    ("n_items float", lambda: number_reading_dataset(10.0), TypeError, r"n_items must be"),
    ("max_value", lambda: number_reading_dataset(5, max_value=10**9), ValueError, "max_value"),
    ("seed", lambda: number_reading_dataset(5, seed=-1), ValueError, r"seed must be .*>= 0"),
    (
        "fractions",
        lambda: number_reading_dataset(10, fractions=(0.5, 0.5)),
        ValueError,
        r"fractions must be three positive numbers",
    ),
    (
        "strings str",
        lambda: char_vocabulary("321"),
        TypeError,
        r"strings must be a sequence .* not a single str",
    ),
    ("strings item", lambda: char_vocabulary(["1", 2]), TypeError, r"strings\[1\] must be a str"),
    ("min_count", lambda: char_vocabulary(["1"], min_count=0), ValueError, r"min_count must be"),
    ("specials", lambda: char_vocabulary(["1"], specials=(BOS, PAD)), ValueError, r"specials"),
    (
        "vocab type",
        lambda: encode_padded(["1"], {"1": 1}),
        TypeError,
        r"vocab must be a course_utils.text.Vocabulary",
    ),
    (
        "vocab without pad",
        lambda: encode_padded(["가"], Vocabulary(["가"], specials=())),
        ValueError,
        r"vocab must have '<pad>' as a special token",
    ),
    (
        "unknown character",
        lambda: encode_padded(["가", "가다"], BARE),
        ValueError,
        r"strings\[1\] cannot be encoded: tokens\[1\] is '다'",
    ),
    (
        "row too long",
        lambda: encode_padded(["가나가"], BARE, max_len=2),
        ValueError,
        r"strings\[0\] encodes to 3 ids, more than max_len=2",
    ),
    ("max_len 0", lambda: encode_padded(["가"], BARE, max_len=0), ValueError, r"max_len must be"),
    (
        "truncate without max_len",
        lambda: encode_padded(["가"], BARE, truncate=True),
        ValueError,
        r"truncate=True needs max_len",
    ),
    ("add_eos", lambda: encode_padded(["가"], BARE, add_eos=1), TypeError, r"add_eos must be"),
    ("empty strings", lambda: encode_padded([], BARE), ValueError, r"strings is empty"),
    (
        "token not str",
        lambda: encode_padded([["가", 1]], BARE),
        TypeError,
        r"strings\[0\]\[1\] must be a str token",
    ),
    (
        "ids 2-D",
        lambda: decode_ids(np.zeros((2, 3), dtype=int), BARE),
        ValueError,
        r"ids must be one row of ids \(a 1-D array\); got shape \(2, 3\)",
    ),
    ("ids str", lambda: decode_ids("가나", BARE), TypeError, r"ids must be an iterable"),
    (
        "id out of range",
        lambda: decode_ids([3, 4, 5], BARE),
        ValueError,
        r"ids\[2\] must be an integer between 0 and 4; got 5",
    ),
    ("id float", lambda: decode_ids([1.0], BARE), TypeError, r"ids\[0\] must be an integer"),
    ("label 2", lambda: pad_labels([[0, 2]]), ValueError, r"labels\[0\]\[1\] must be a 0/1 label"),
    ("labels flat", lambda: pad_labels([0, 1]), TypeError, r"labels\[0\] must be a sequence"),
    ("lines str", lambda: spacing_examples(HUNGRY), TypeError, r"lines must be a sequence"),
    ("lines item", lambda: spacing_examples([None]), TypeError, r"lines\[0\] must be a str"),
    ("spacing max_len", lambda: spacing_examples([HUNGRY], max_len=0), ValueError, "max_len"),
    (
        "restore lengths",
        lambda: restore_spacing("가나", [0]),
        ValueError,
        r"chars and labels must have the same length .* got 2 and 1",
    ),
    (
        "restore probability",
        lambda: restore_spacing("가나", [0.2, 0.9]),
        TypeError,
        r"labels\[0\] must be a 0/1 label .* \(probs > 0.5\)",
    ),
    ("restore label 3", lambda: restore_spacing("가", [3]), ValueError, r"labels\[0\] must be"),
    ("restore chars", lambda: restore_spacing(5, [0]), TypeError, r"chars must be a str or"),
    ("restore chars item", lambda: restore_spacing(["가", 1], [0, 0]), TypeError, r"chars\[1\]"),
    (
        "f1 outer lengths",
        lambda: spacing_f1([[0, 1]], [[0, 1], [0]]),
        ValueError,
        r"same number of sequences; got 1 and 2",
    ),
    (
        "f1 inner lengths",
        lambda: spacing_f1([[0, 1], [1, 0]], [[0, 1], [1]]),
        ValueError,
        r"true_labels\[1\] and predicted_labels\[1\] must have the same length; got 2 and 1",
    ),
    ("f1 empty", lambda: spacing_f1([], []), ValueError, r"at least one label"),
    (
        "f1 flat",
        lambda: spacing_f1([0, 1], [0, 1]),
        TypeError,
        r"true_labels\[0\] must be a sequence of 0/1 labels",
    ),
    (
        "baseline misaligned",
        lambda: spacing_baseline_fit([list("가나")], [[0]]),
        ValueError,
        r"chars_train\[0\] and labels_train\[0\] must have the same length",
    ),
    (
        "baseline counts",
        lambda: spacing_baseline_fit([list("가나")], [[0, 0], [1]]),
        ValueError,
        r"same number of sequences; got 1 and 2",
    ),
    (
        "baseline threshold",
        lambda: spacing_baseline_fit(["가"], [[0]], threshold=2),
        ValueError,
        r"threshold must be a number between 0 and 1",
    ),
    (
        "baseline space count",
        lambda: SpacingBaseline({"가": 3}, {"가": 2}),
        ValueError,
        r"space_counts\['가'\] must be an integer between 0 and 2",
    ),
    (
        "predict str",
        lambda: spacing_baseline_fit(["가"], [[0]]).predict("가나"),
        TypeError,
        r"chars must be a sequence .* not a single str",
    ),
    ("class seed", lambda: source_classification_dataset(seed=-2), ValueError, r"seed must be"),
    (
        "class cap",
        lambda: source_classification_dataset(max_items_per_class=2),
        ValueError,
        r"max_items_per_class must be an integer >= 3",
    ),
    ("class balance", lambda: source_classification_dataset(balance=1), TypeError, "balance"),
    ("class min_chars", lambda: source_classification_dataset(min_chars=0), ValueError, "min_c"),
    ("bag str", lambda: bag_of_characters("가나", BARE), TypeError, r"texts must be a sequence"),
    (
        "bag unknown",
        lambda: bag_of_characters(["가다"], BARE),
        ValueError,
        r"texts\[0\] cannot be encoded",
    ),
]


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [case[1:] for case in BAD_INPUT],
    ids=[case[0] for case in BAD_INPUT],
)
def test_bad_input_is_explained(
    call: Callable[[], object], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        call()


# ---------------------------------------------------------------------------- documentation


def test_docstring_examples_are_correct() -> None:
    failures, attempted = doctest.testmod(tasks, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert attempted > 20
    assert failures == 0


def _public_callables() -> list[tuple[str, object]]:
    found: list[tuple[str, object]] = []
    for name in tasks.__all__:
        obj = getattr(tasks, name)
        if inspect.isclass(obj):
            found.append((name, obj))
            for attr, member in vars(obj).items():
                if attr.startswith("_") and not (attr.startswith("__") and attr != "__init__"):
                    continue
                target = member.fget if isinstance(member, property) else member
                if callable(target) and getattr(target, "__module__", None) == tasks.__name__:
                    found.append((f"{name}.{attr}", target))
        elif callable(obj):
            found.append((name, obj))
    return found


PUBLIC_CALLABLES = _public_callables()


@pytest.mark.parametrize(("name", "obj"), PUBLIC_CALLABLES, ids=[n for n, _ in PUBLIC_CALLABLES])
def test_every_public_callable_says_where_it_is_introduced(name: str, obj: object) -> None:
    chapter_4 = {
        "long_agreement_sentences",
        "agreement_probes",
        "agreement_accuracy",
        "AgreementScore",
    }
    expected = "Introduced in: notebooks/04_lstm.ipynb" if name in chapter_4 else INTRODUCED
    assert expected in (inspect.getdoc(obj) or ""), name


def test_module_docstring_and_constants_are_documented() -> None:
    assert INTRODUCED in (tasks.__doc__ or "")
    assert len(PUBLIC_CALLABLES) > 15
    lines = inspect.getsource(tasks).splitlines()
    for constant in ("KOREAN_NUMBER_MAX", "SOURCE_CLASS_NAMES"):
        start = next(i for i, line in enumerate(lines) if re.match(rf"{constant}\b.*=", line))
        comment: list[str] = []
        while lines[start - 1 - len(comment)].startswith("#:"):
            comment.append(lines[start - 1 - len(comment)])
        assert f"#: {INTRODUCED}" in comment, constant


def test_importing_tasks_does_not_load_tensorflow() -> None:
    code = (
        "import sys, course_utils.tasks; "
        "bad = [m for m in sys.modules if m.split('.')[0] in ('tensorflow', 'keras')]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_long_agreement_sentences_agree_and_respect_the_filler_count():
    from course_utils.data import HungryGrammar

    grammar = HungryGrammar()
    sentences = tasks.long_agreement_sentences(300, 25, seed=2)
    assert sentences == tasks.long_agreement_sentences(300, 25, seed=2)
    for s in sentences:
        honorific = s[0] in grammar.honorific_subjects
        assert (s[-1] in tasks.HONORIFIC_TWINS.values()) == honorific
        assert s[-2] in ("배가", "목이") and (s[-2] == "배가") == s[-1].startswith("고프")
        assert 0 <= len(s) - 4 <= 25 and all(w in grammar.fillers for w in s[1:-3])
    assert max(len(s) - 4 for s in sentences) > 12  # beyond what the grammar allows
    fixed = tasks.long_agreement_sentences(20, 7, seed=0, fixed=True)
    assert {len(s) - 4 for s in fixed} == {7}
    with pytest.raises(ValueError, match="max_fillers"):
        tasks.long_agreement_sentences(3, -1)
    with pytest.raises(TypeError, match="fixed"):
        tasks.long_agreement_sentences(3, 2, fixed="yes")


def test_agreement_probes_alternate_honorific_and_plain_subjects():
    from course_utils.data import HungryGrammar

    honorific = HungryGrammar().honorific_subjects
    probes = tasks.agreement_probes(51, 9, seed=1)
    assert len(probes) == 51 and probes == tasks.agreement_probes(51, 9, seed=1)
    for i, (prefix, correct, wrong) in enumerate(probes):
        assert len(prefix) == 9 + 3
        assert (prefix[0] in honorific) == (i % 2 == 0)
        if prefix[0] in honorific:
            assert tasks.HONORIFIC_TWINS[wrong] == correct
        else:
            assert tasks.HONORIFIC_TWINS[correct] == wrong
    only = tasks.agreement_probes(20, 0, subjects="honorific")
    assert all(p[0] in honorific for p, _, _ in only)
    plain = tasks.agreement_probes(20, 0, subjects="plain")
    assert not any(p[0] in honorific for p, _, _ in plain)
    with pytest.raises(ValueError, match="n must be"):
        tasks.agreement_probes(0, 3)
    with pytest.raises(ValueError, match="subjects must be one of"):
        tasks.agreement_probes(3, 3, subjects="polite")


class _AlwaysPlain:
    """A subject-blind model: always prefers the plain verb."""

    def logprob(self, tokens):
        return -1.0 if tokens[-1] in tasks.HONORIFIC_TWINS else -2.0


class _Agreeing:
    """A model that reads the subject."""

    def sentence_logprobs(self, sentences):
        from course_utils.data import HungryGrammar

        honorific = HungryGrammar().honorific_subjects
        polite = set(tasks.HONORIFIC_TWINS.values())
        return [0.0 if (s[0] in honorific) == (s[-1] in polite) else -5.0 for s in sentences]


def test_agreement_accuracy_is_balanced_so_a_blind_model_scores_chance():
    probes = tasks.agreement_probes(40, 2, seed=3)
    blind = tasks.agreement_accuracy(_AlwaysPlain(), probes)
    assert (blind.honorific, blind.plain, blind.balanced) == (0.0, 1.0, 0.5)
    assert tasks.agreement_accuracy(_Agreeing(), probes) == (1.0, 1.0, 1.0)
    one_group = tasks.agreement_accuracy(_AlwaysPlain(), probes[1::2])
    assert math.isnan(one_group.honorific) and one_group.balanced == 1.0


@pytest.mark.parametrize(
    ("lm", "probes", "error", "fragment"),
    [
        (_AlwaysPlain(), [], ValueError, "probes is empty"),
        (_AlwaysPlain(), [(["나는"], "고프다")], TypeError, "must be a .prefix, correct, wrong"),
        (_AlwaysPlain(), [(["나는"], "먹다", "고프다")], ValueError, "agreement verbs"),
        (object(), [(["나는"], "고프다", "고프시다")], TypeError, "lm must be a language model"),
        (_AlwaysPlain(), "나는 배가", TypeError, "not a single str"),
    ],
)
def test_agreement_accuracy_refuses_bad_input(lm, probes, error, fragment):
    with pytest.raises(error, match=fragment):
        tasks.agreement_accuracy(lm, probes)
