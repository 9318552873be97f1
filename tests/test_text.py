"""Tests of course_utils.text: tokenisers, Hangul jamo, n-grams and the Vocabulary."""

from __future__ import annotations

import doctest
import inspect
import json
import random
import re
import subprocess
import sys
import unicodedata
from collections import Counter
from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from course_utils import text
from course_utils.text import (
    BOS,
    EOS,
    PAD,
    TOKENIZERS,
    UNK,
    Vocabulary,
    characters,
    english_words,
    eojeol,
    from_jamo,
    is_hangul_syllable,
    jamo,
    ngrams,
    syllables,
    to_jamo,
)

INTRODUCED = "Introduced in: notebooks/01_ngram_language_models.ipynb"
HUNGRY = "나는 무지 배가 고프다"

# The small corpus of the Vocabulary tests. Counts: the 2, cat 2, sat 2, a 1, dog 1, so the
# ordinary tokens are ranked cat, sat, the (count 2, alphabetical), then a, dog (count 1).
CORPUS = [["the", "cat", "sat"], ["the", "dog", "sat"], ["a", "cat"]]
VOCAB = Vocabulary.build(CORPUS)
BARE = Vocabulary.build(CORPUS, specials=())  # no specials at all: no <unk>, no <pad>


# ---------------------------------------------------------------------------- constants


def test_special_tokens_keep_their_names_and_values() -> None:
    assert (BOS, EOS, UNK, PAD) == ("<s>", "</s>", "<unk>", "<pad>")
    assert text.DEFAULT_SPECIALS == (PAD, UNK, BOS, EOS)


# ---------------------------------------------------------------------------- English words


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "To be, or not to be,--that is the question:--",
            ["to", "be", "or", "not", "to", "be", "that", "is", "the", "question"],
        ),
        ("'Tis sad-tun'd o'er th' sea", ["tis", "sad-tun'd", "o'er", "th", "sea"]),
        ("A ne'er-do-well, i' faith!", ["a", "ne'er-do-well", "i", "faith"]),
        ("Enter HAMLET.", ["enter", "hamlet"]),
        ("Act 3, Scene 1: the 2nd", ["act", "scene", "the", "nd"]),
        ("rock--and--roll", ["rock", "and", "roll"]),  # a dash, not a hyphen
        ("well—said – quoth he", ["well", "said", "quoth", "he"]),  # typographic dashes
        ("a - b -c d- e", ["a", "b", "c", "d", "e"]),  # a hyphen needs letters on both sides
        ("'Item, two lips'", ["item", "two", "lips"]),  # quotation marks are dropped
        ("Don’t", ["don't"]),  # the typographic apostrophe counts as '
        ("to‐morrow", ["to-morrow"]),  # U+2010 HYPHEN counts as -
        ("fiance\u0301e", ["fiancée"]),  # NFC composes e + accent into one letter
        ("snake_case x2y", ["snake", "case", "x", "y"]),  # "_" and digits separate words
        ("", []),
        (" \n\t ", []),
    ],
)
def test_english_words_rule(raw: str, expected: list[str]) -> None:
    assert english_words(raw) == expected


def test_english_words_can_keep_case() -> None:
    assert english_words("O'er THE Sea", lowercase=False) == ["O'er", "THE", "Sea"]


WORD_SHAPE = re.compile(r"[^\W\d_]+(?:['-][^\W\d_]+)*")


@given(st.text(alphabet=st.sampled_from("abcXYZ '-‐’,.:;!?0129_\n—é")))
def test_english_words_are_well_formed_and_stable(raw: str) -> None:
    words = english_words(raw)
    for word in words:
        assert WORD_SHAPE.fullmatch(word), word
        assert word == word.lower()
    # Tokenising the words again, joined by spaces, changes nothing.
    assert english_words(" ".join(words)) == words


# ---------------------------------------------------------------------------- characters


def test_characters_keep_or_drop_whitespace() -> None:
    assert characters("a b\n") == ["a", " ", "b", "\n"]
    assert characters("a b\n", keep_whitespace=False) == ["a", "b"]
    assert characters("") == []


def test_characters_are_nfc_code_points() -> None:
    assert characters("e\u0301") == ["é"]
    assert characters(to_jamo("한글")) == ["한", "글"]


# ---------------------------------------------------------------------------- Korean


def test_the_hungry_sentence_in_eojeol_syllables_and_jamo() -> None:
    assert eojeol(HUNGRY) == ["나는", "무지", "배가", "고프다"]
    assert syllables(HUNGRY) == ["나", "는", "무", "지", "배", "가", "고", "프", "다"]
    # Only 는 has a final consonant: 2 + 3 + 2 * 7 = 19 jamo.
    assert [len(to_jamo(s)) for s in syllables(HUNGRY)] == [2, 3, 2, 2, 2, 2, 2, 2, 2]
    tokens = jamo(HUNGRY)
    assert len(tokens) == 19
    assert tokens[:5] == ["\u1102", "\u1161", "\u1102", "\u1173", "\u11ab"]  # ᄂ ᅡ ᄂ ᅳ ᆫ
    assert all(0x1100 <= ord(t) <= 0x11FF for t in tokens)  # conjoining jamo only
    assert tokens[0] != tokens[4]  # initial ᄂ and final ᆫ are different tokens


def test_word_boundaries_are_one_token_between_eojeol() -> None:
    assert syllables(HUNGRY, keep_spaces=True) == list("나는 무지 배가 고프다")
    marked = syllables("  나는\t\n 무지  ", keep_spaces=True, space_token="▁")
    assert marked == ["나", "는", "▁", "무", "지"]
    spaced = jamo(HUNGRY, keep_spaces=True)
    assert len(spaced) == 19 + 3
    assert from_jamo("".join(spaced)) == HUNGRY
    assert jamo("가 나", keep_spaces=True, space_token="<sp>") == [
        "\u1100",
        "\u1161",
        "<sp>",
        "\u1102",
        "\u1161",
    ]


def test_syllables_of_mixed_text_are_its_characters() -> None:
    assert syllables("AI는 좋다") == ["A", "I", "는", "좋", "다"]
    assert syllables(to_jamo(HUNGRY)) == syllables(HUNGRY)  # NFC first


@given(st.text(alphabet=st.sampled_from("가나다한글 ab\t\n")))
def test_syllables_with_spaces_rebuild_the_normalised_text(raw: str) -> None:
    assert "".join(syllables(raw, keep_spaces=True)) == " ".join(eojeol(raw))
    assert syllables(raw) == [c for c in raw if not c.isspace()]


def test_to_jamo_spells_out_a_syllable() -> None:
    spelled = to_jamo("한")
    assert len(spelled) == 3
    assert [unicodedata.name(c) for c in spelled] == [
        "HANGUL CHOSEONG HIEUH",
        "HANGUL JUNGSEONG A",
        "HANGUL JONGSEONG NIEUN",
    ]
    assert from_jamo(spelled) == "한"


def test_to_jamo_leaves_compatibility_jamo_latin_digits_and_spaces_alone() -> None:
    for unchanged in ("ㅎㅏㄴ", "abc XYZ 0123", "", "ㅋㅋㅋ"):
        assert to_jamo(unchanged) == unchanged
        assert from_jamo(unchanged) == unchanged


def test_every_hangul_syllable_has_two_or_three_jamo_and_comes_back() -> None:
    lengths: Counter[int] = Counter()
    for code in range(0xAC00, 0xD7A4):
        ch = chr(code)
        assert is_hangul_syllable(ch)
        spelled = to_jamo(ch)
        lengths[len(spelled)] += 1
        assert from_jamo(spelled) == ch
    # 19 initials x 21 vowels, with no final (1 way) or one of 27 finals.
    assert lengths == {2: 19 * 21, 3: 19 * 21 * 27}


KOREAN_AND_LATIN = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3),  # Hangul syllables
        st.characters(min_codepoint=0x3131, max_codepoint=0x318E),  # compatibility jamo
        st.sampled_from("abcXYZ0123456789 \n.,'?"),
    )
)


@given(KOREAN_AND_LATIN)
def test_jamo_round_trip_is_lossless_on_korean_and_latin(raw: str) -> None:
    assert from_jamo(to_jamo(raw)) == raw
    assert from_jamo("".join(jamo(raw, keep_spaces=True))) == " ".join(raw.split())


@given(st.text())
def test_jamo_round_trip_gives_the_nfc_form_of_any_text(raw: str) -> None:
    assert from_jamo(to_jamo(raw)) == unicodedata.normalize("NFC", raw)


@pytest.mark.parametrize(
    ("ch", "expected"),
    [
        ("가", True),  # U+AC00, the first syllable
        ("힣", True),  # U+D7A3, the last
        ("\uabff", False),
        ("\ud7a4", False),
        ("ㄱ", False),  # compatibility jamo
        ("\u1100", False),  # conjoining jamo
        ("a", False),
        (" ", False),
        ("漢", False),
    ],
)
def test_is_hangul_syllable(ch: str, expected: bool) -> None:
    assert is_hangul_syllable(ch) is expected


# ---------------------------------------------------------------------------- tokenisers by name


def test_tokenizers_registry() -> None:
    assert list(TOKENIZERS) == ["english_words", "characters", "eojeol", "syllables", "jamo"]
    sizes = {name: len(tokenize(HUNGRY)) for name, tokenize in TOKENIZERS.items()}
    assert sizes == {
        "english_words": 4,
        "characters": 12,
        "eojeol": 4,
        "syllables": 9,
        "jamo": 19,
    }
    with pytest.raises(TypeError):
        TOKENIZERS["bytes"] = list  # type: ignore[index]


# ---------------------------------------------------------------------------- n-grams


ABC = ["a", "b", "c"]


@pytest.mark.parametrize(
    ("n", "pad", "expected"),
    [
        (1, False, [("a",), ("b",), ("c",)]),
        (2, False, [("a", "b"), ("b", "c")]),
        (3, False, [("a", "b", "c")]),
        (4, False, []),
        (1, True, [("a",), ("b",), ("c",), (EOS,)]),
        (2, True, [(BOS, "a"), ("a", "b"), ("b", "c"), ("c", EOS)]),
        (3, True, [(BOS, BOS, "a"), (BOS, "a", "b"), ("a", "b", "c"), ("b", "c", EOS)]),
        (
            5,
            True,
            [
                (BOS, BOS, BOS, BOS, "a"),
                (BOS, BOS, BOS, "a", "b"),
                (BOS, BOS, "a", "b", "c"),
                (BOS, "a", "b", "c", EOS),
            ],
        ),
    ],
)
def test_ngrams_exact(n: int, pad: bool, expected: list[tuple[str, ...]]) -> None:
    assert ngrams(ABC, n, pad=pad) == expected
    assert ngrams(tuple(ABC), n, pad=pad) == expected


def test_ngrams_of_the_empty_sentence() -> None:
    assert ngrams([], 2) == []
    assert ngrams([], 2, pad=True) == [(BOS, EOS)]
    assert ngrams([], 1, pad=True) == [(EOS,)]


@given(st.lists(st.sampled_from("xyz"), max_size=12), st.integers(1, 5))
def test_ngram_counts_and_padding_convention(tokens: list[str], n: int) -> None:
    plain = ngrams(tokens, n)
    assert len(plain) == max(0, len(tokens) - n + 1)
    padded = ngrams(tokens, n, pad=True)
    assert len(padded) == len(tokens) + 1  # each token and the end predicted once
    assert all(len(g) == n for g in padded)
    assert [g[-1] for g in padded] == [*tokens, EOS]  # the predicted tokens, in order
    assert padded[0][:-1] == (BOS,) * (n - 1)
    assert all(EOS not in g[:-1] for g in padded)


# ---------------------------------------------------------------------------- Vocabulary


def test_vocabulary_ids_specials_first_then_by_count_then_alphabetical() -> None:
    assert VOCAB.tokens == (PAD, UNK, BOS, EOS, "cat", "sat", "the", "a", "dog")
    assert (VOCAB.pad_id, VOCAB.unk_id, VOCAB.bos_id, VOCAB.eos_id) == (0, 1, 2, 3)
    assert VOCAB.specials == (PAD, UNK, BOS, EOS)
    assert len(VOCAB) == 9
    assert list(VOCAB) == list(VOCAB.tokens)
    assert [VOCAB.token_to_id(t) for t in VOCAB] == list(range(9))
    assert [VOCAB.id_to_token(i) for i in range(9)] == list(VOCAB.tokens)
    assert dict(VOCAB.counts) == {
        PAD: 0,
        UNK: 0,
        BOS: 0,
        EOS: 0,
        "cat": 2,
        "sat": 2,
        "the": 2,
        "a": 1,
        "dog": 1,
    }


@given(st.permutations(CORPUS))
def test_vocabulary_does_not_depend_on_sentence_order(shuffled: list[list[str]]) -> None:
    assert Vocabulary.build(shuffled) == VOCAB
    assert Vocabulary.build(iter(shuffled)) == VOCAB  # any iterable, e.g. a generator


def test_min_count_leaves_rare_tokens_to_unk() -> None:
    vocab = Vocabulary.build(CORPUS, min_count=2)
    assert vocab.tokens == (PAD, UNK, BOS, EOS, "cat", "sat", "the")
    assert vocab.counts[UNK] == 2  # "a" and "dog"
    assert sum(vocab.counts.values()) == 8  # every training token is counted once
    assert Vocabulary.build(CORPUS, min_count=3).tokens == text.DEFAULT_SPECIALS


def test_max_size_counts_ordinary_tokens_and_cuts_ties_alphabetically() -> None:
    vocab = Vocabulary.build(CORPUS, max_size=2)
    assert vocab.tokens == (PAD, UNK, BOS, EOS, "cat", "sat")  # "the" loses the tie
    assert len(vocab) == 4 + 2
    assert vocab.counts[UNK] == 4
    assert Vocabulary.build(CORPUS, max_size=100) == VOCAB
    both = Vocabulary.build(CORPUS, min_count=2, max_size=10)
    assert both.tokens[4:] == ("cat", "sat", "the")


def test_custom_and_absent_specials() -> None:
    assert BARE.tokens == ("cat", "sat", "the", "a", "dog")
    assert BARE.token_to_id("cat") == 0
    custom = Vocabulary.build(CORPUS, specials=(PAD, UNK, "<mask>"))
    assert custom.tokens[:4] == (PAD, UNK, "<mask>", "cat")
    assert custom.encode(["<mask>", "cat"]) == [2, 3]
    with pytest.raises(ValueError, match="no start-of-sentence token '<s>'"):
        _ = custom.bos_id
    unk_only = Vocabulary.build(CORPUS, specials=(UNK,))
    assert unk_only.unk_id == 0
    with pytest.raises(ValueError, match="no padding token '<pad>'"):
        _ = unk_only.pad_id


def test_specials_in_the_training_data_are_counted_under_the_special() -> None:
    vocab = Vocabulary.build([[BOS, "a", EOS], [BOS, "b", EOS]])
    assert vocab.tokens == (PAD, UNK, BOS, EOS, "a", "b")
    assert (vocab.counts[BOS], vocab.counts[EOS]) == (2, 2)


def test_encode_and_decode() -> None:
    ids = VOCAB.encode(["the", "cat", "sat"])
    assert ids == [6, 4, 5]
    assert VOCAB.decode(ids) == ["the", "cat", "sat"]
    assert VOCAB.encode(["the", "bird", "sat"], add_bos=True, add_eos=True) == [2, 6, 1, 5, 3]
    assert VOCAB.encode([]) == []
    assert VOCAB.encode([], add_bos=True, add_eos=True) == [2, 3]
    assert VOCAB.token_to_id("bird") == VOCAB.unk_id
    padded = [2, 6, 1, 5, 3, 0, 0]
    assert VOCAB.decode(padded) == [BOS, "the", UNK, "sat", EOS, PAD, PAD]
    assert VOCAB.decode(padded, strip_specials=True) == ["the", UNK, "sat"]
    assert VOCAB.decode(np.array(padded)) == VOCAB.decode(padded)  # a model's output
    assert VOCAB.decode(range(4)) == list(text.DEFAULT_SPECIALS)
    assert BARE.encode(["dog", "cat"]) == [4, 0]


def test_membership() -> None:
    assert "cat" in VOCAB
    assert PAD in VOCAB
    assert "bird" not in VOCAB
    assert 4 not in VOCAB


def test_unk_rate() -> None:
    assert VOCAB.unk_rate(CORPUS) == 0.0
    assert VOCAB.unk_rate([["the", "bird"], ["a", "fish", "cat", "dog"]]) == pytest.approx(2 / 6)
    assert VOCAB.unk_rate([[UNK, "cat"]]) == 0.5  # a literal <unk> is unknown too
    assert BARE.unk_rate([["cat", "bird"]]) == 0.5
    assert Vocabulary.build(CORPUS, min_count=2).unk_rate(CORPUS) == pytest.approx(2 / 8)


def test_counts_are_read_only() -> None:
    with pytest.raises(TypeError):
        VOCAB.counts["cat"] = 10  # type: ignore[index]
    assert VOCAB.counts["cat"] == 2


def test_repr() -> None:
    assert repr(VOCAB) == (
        "Vocabulary(size=9, specials=('<pad>', '<unk>', '<s>', '</s>'), "
        "tokens=['cat', 'sat', 'the', 'a', 'dog'])"
    )
    big = Vocabulary([f"w{i:02d}" for i in range(20)], specials=())
    assert repr(big) == (
        "Vocabulary(size=20, specials=(), tokens=['w00', 'w01', 'w02', 'w03', 'w04', 'w05', "
        "'w06', 'w07', ... (12 more)])"
    )


def test_equality_and_hashing() -> None:
    assert VOCAB == Vocabulary.build(CORPUS)
    assert VOCAB != BARE
    assert VOCAB != Vocabulary(VOCAB.tokens[4:])  # same tokens, no counts
    assert VOCAB != VOCAB.tokens
    with pytest.raises(TypeError):
        hash(VOCAB)


def test_constructor_takes_tokens_in_id_order() -> None:
    vocab = Vocabulary(["나는", "배가"], counts={"나는": 3})
    assert vocab.tokens == (PAD, UNK, BOS, EOS, "나는", "배가")
    assert vocab.counts["나는"] == 3
    assert vocab.counts["배가"] == 0


@pytest.mark.parametrize("vocab", [VOCAB, BARE, Vocabulary.build([eojeol(HUNGRY)], max_size=2)])
def test_to_dict_and_from_dict_round_trip_through_json(vocab: Vocabulary) -> None:
    saved = json.dumps(vocab.to_dict(), ensure_ascii=False)
    loaded = Vocabulary.from_dict(json.loads(saved))
    assert loaded == vocab
    assert loaded.tokens == vocab.tokens
    assert dict(loaded.counts) == dict(vocab.counts)


def test_to_dict_layout() -> None:
    assert VOCAB.to_dict() == {
        "specials": [PAD, UNK, BOS, EOS],
        "tokens": ["cat", "sat", "the", "a", "dog"],
        "counts": dict(VOCAB.counts),
    }


SENTENCES = st.lists(st.lists(st.sampled_from("abcdefgh"), max_size=8), min_size=1, max_size=8)


@given(SENTENCES, st.data())
def test_encode_then_decode_is_the_identity_on_vocabulary_tokens(
    sentences: list[list[str]], data: st.DataObject
) -> None:
    vocab = Vocabulary.build(sentences)
    tokens = data.draw(st.lists(st.sampled_from(vocab.tokens), max_size=20))
    ids = vocab.encode(tokens)
    assert all(0 <= i < len(vocab) for i in ids)
    assert vocab.decode(ids) == tokens
    # Any other token comes back as <unk>.
    other = data.draw(st.lists(st.sampled_from("abcdefghij"), max_size=20))
    assert vocab.decode(vocab.encode(other)) == [t if t in vocab else UNK for t in other]


@given(SENTENCES, st.integers(1, 3), st.one_of(st.none(), st.integers(1, 5)))
def test_build_invariants(sentences: list[list[str]], min_count: int, max_size: int | None) -> None:
    vocab = Vocabulary.build(sentences, min_count=min_count, max_size=max_size)
    counts = Counter(t for s in sentences for t in s)
    ordinary = vocab.tokens[4:]
    assert all(counts[t] >= min_count for t in ordinary)
    assert max_size is None or len(ordinary) <= max_size
    ranked = [(-counts[t], t) for t in ordinary]
    assert ranked == sorted(ranked)
    left_out = [(-c, t) for t, c in counts.items() if t not in vocab and c >= min_count]
    assert not ranked or not left_out or max(ranked) <= min(left_out)  # the best are kept
    total = sum(counts.values())
    assert sum(vocab.counts.values()) == total
    if total:
        assert vocab.unk_rate(sentences) == pytest.approx(vocab.counts[UNK] / total)


# ---------------------------------------------------------------------------- bad input


def _bad_specials_dict() -> None:
    Vocabulary.from_dict({"specials": "<pad>", "tokens": [], "counts": {}})


BAD_INPUT: list[tuple[str, Callable[[], object], type[Exception], str]] = [
    ("text bytes", lambda: english_words(b"abc"), TypeError, r"text must be a str; got bytes"),
    ("text None", lambda: english_words(None), TypeError, r"text must be a str; got None"),
    ("lowercase", lambda: english_words("a", lowercase="yes"), TypeError, "lowercase must be"),
    ("characters int", lambda: characters(5), TypeError, "text must be a str; got 5 of type int"),
    ("keep_whitespace", lambda: characters("a", keep_whitespace=1), TypeError, "keep_whitespace"),
    ("eojeol list", lambda: eojeol(["나는"]), TypeError, r"text must be a str; got \['나는'\]"),
    (
        "space_token without keep_spaces",
        lambda: syllables("가", space_token="▁"),
        ValueError,
        r"space_token='▁' is only used with keep_spaces=True",
    ),
    (
        "empty space_token",
        lambda: syllables("가", keep_spaces=True, space_token=""),
        ValueError,
        "space_token must be a non-empty str",
    ),
    (
        "space_token int",
        lambda: jamo("가", keep_spaces=True, space_token=1),
        TypeError,
        "space_token must be a non-empty str or None; got 1 of type int",
    ),
    ("keep_spaces", lambda: jamo("가", keep_spaces="no"), TypeError, "keep_spaces must be True"),
    ("to_jamo int", lambda: to_jamo(1), TypeError, "text must be a str"),
    ("from_jamo None", lambda: from_jamo(None), TypeError, "text must be a str"),
    ("ch empty", lambda: is_hangul_syllable(""), ValueError, "ch must be a single character"),
    ("ch long", lambda: is_hangul_syllable("가나"), ValueError, "got '가나' of length 2"),
    ("ch int", lambda: is_hangul_syllable(0xAC00), TypeError, "ch must be a str"),
    ("ngrams str", lambda: ngrams("abc", 2), TypeError, r"tokens must be .* not a str"),
    (
        "ngrams token",
        lambda: ngrams(["a", 1], 2),
        TypeError,
        r"tokens\[1\] must be a str token; got 1 of type int",
    ),
    ("ngrams n 0", lambda: ngrams(["a"], 0), ValueError, "n must be an integer >= 1; got 0"),
    ("ngrams n float", lambda: ngrams(["a"], 2.0), TypeError, "n must be an integer >= 1; got 2.0"),
    ("ngrams n bool", lambda: ngrams(["a"], True), TypeError, "n must be an integer >= 1"),
    ("ngrams pad", lambda: ngrams(["a"], 2, pad=None), TypeError, "pad must be True or False"),
    ("ngrams int", lambda: ngrams(5, 2), TypeError, "tokens must be a sequence of str tokens"),
    (
        "build str",
        lambda: Vocabulary.build("the cat"),
        TypeError,
        "sentences must be an iterable of sentences",
    ),
    (
        "build str sentence",
        lambda: Vocabulary.build(["the cat"]),
        TypeError,
        r"sentences\[0\] must be a sequence of str tokens .* not a str",
    ),
    (
        "build int token",
        lambda: Vocabulary.build([["a"], ["b"], ["c"], ["d", "e", 5]]),
        TypeError,
        r"sentences\[3\]\[2\] must be a str token; got 5 of type int",
    ),
    (
        "min_count 0",
        lambda: Vocabulary.build(CORPUS, min_count=0),
        ValueError,
        "min_count must be an integer >= 1; got 0",
    ),
    ("min_count float", lambda: Vocabulary.build(CORPUS, min_count=1.5), TypeError, "min_count"),
    (
        "max_size 0",
        lambda: Vocabulary.build(CORPUS, max_size=0),
        ValueError,
        "max_size must be an integer >= 1; got 0",
    ),
    ("max_size str", lambda: Vocabulary.build(CORPUS, max_size="9"), TypeError, "max_size must"),
    (
        "specials str",
        lambda: Vocabulary.build(CORPUS, specials=UNK),
        TypeError,
        r"specials must be a sequence of str .* not the str '<unk>'",
    ),
    (
        "specials repeat",
        lambda: Vocabulary.build(CORPUS, specials=(UNK, UNK)),
        ValueError,
        r"specials\[1\] is '<unk>', a repeat",
    ),
    (
        "pad not first",
        lambda: Vocabulary.build(CORPUS, specials=(UNK, PAD)),
        ValueError,
        "specials must start with '<pad>'",
    ),
    (
        "empty special",
        lambda: Vocabulary.build(CORPUS, specials=("",)),
        ValueError,
        r"specials\[0\] is the empty string",
    ),
    (
        "special int",
        lambda: Vocabulary.build(CORPUS, specials=(UNK, 3)),
        TypeError,
        r"specials\[1\] must be a str token",
    ),
    (
        "repeated token",
        lambda: Vocabulary(["a", "a"]),
        ValueError,
        r"tokens\[1\] is 'a', a repeat",
    ),
    ("special as token", lambda: Vocabulary([BOS]), ValueError, "already a special token"),
    (
        "count of a stranger",
        lambda: Vocabulary(["a"], counts={"b": 1}),
        ValueError,
        "counts has a count for 'b', which is not in the vocabulary",
    ),
    (
        "negative count",
        lambda: Vocabulary(["a"], counts={"a": -1}),
        ValueError,
        r"counts\['a'\] must be an integer >= 0; got -1",
    ),
    ("counts list", lambda: Vocabulary(["a"], counts=[1]), TypeError, "counts must be a mapping"),
    ("encode str", lambda: VOCAB.encode("the cat"), TypeError, r"tokens must be .* not a str"),
    ("add_bos", lambda: VOCAB.encode(["the"], add_bos=1), TypeError, "add_bos must be True"),
    ("add_eos", lambda: VOCAB.encode(["the"], add_eos="y"), TypeError, "add_eos must be True"),
    (
        "unknown without unk",
        lambda: BARE.encode(["cat", "bird"]),
        ValueError,
        r"tokens\[1\] is 'bird', which is not in the vocabulary, and the vocabulary has no '<unk>'",
    ),
    (
        "add_bos without bos",
        lambda: BARE.encode(["cat"], add_bos=True),
        ValueError,
        "no start-of-sentence token '<s>'",
    ),
    (
        "id too large",
        lambda: VOCAB.decode([0, 99]),
        ValueError,
        r"ids\[1\] must be an integer id between 0 and 8; got 99",
    ),
    ("id negative", lambda: VOCAB.decode([-1]), ValueError, r"ids\[0\] must be an integer id"),
    (
        "id float",
        lambda: VOCAB.decode([1.0]),
        TypeError,
        r"ids\[0\] must be an integer id between 0 and 8; got 1.0 of type float",
    ),
    ("id bool", lambda: VOCAB.decode([True]), TypeError, r"ids\[0\] must be an integer id"),
    ("ids str", lambda: VOCAB.decode("12"), TypeError, "ids must be an iterable of integer ids"),
    (
        "ids int",
        lambda: VOCAB.decode(5),
        TypeError,
        "ids must be an iterable of integer ids; got int",
    ),
    ("strip", lambda: VOCAB.decode([1], strip_specials="y"), TypeError, "strip_specials must"),
    (
        "id_to_token range",
        lambda: VOCAB.id_to_token(9),
        ValueError,
        "token_id must be an integer id between 0 and 8; got 9",
    ),
    ("token_to_id int", lambda: VOCAB.token_to_id(3), TypeError, "token must be a str"),
    (
        "token_to_id unknown",
        lambda: BARE.token_to_id("bird"),
        ValueError,
        "token 'bird' is not in the vocabulary",
    ),
    ("unk_rate empty", lambda: VOCAB.unk_rate([]), ValueError, "at least one token"),
    ("unk_rate empty sentence", lambda: VOCAB.unk_rate([[]]), ValueError, "at least one token"),
    (
        "unk_rate int",
        lambda: VOCAB.unk_rate([[1]]),
        TypeError,
        r"sentences\[0\]\[0\] must be a str token",
    ),
    ("from_dict list", lambda: Vocabulary.from_dict([1]), TypeError, "data must be a mapping"),
    (
        "from_dict keys",
        lambda: Vocabulary.from_dict({"tokens": [], "extra": 1}),
        ValueError,
        r"missing \['counts', 'specials'\], unexpected \['extra'\]",
    ),
    (
        "from_dict counts",
        lambda: Vocabulary.from_dict({"specials": [], "tokens": [], "counts": []}),
        TypeError,
        r"data\['counts'\] must be a mapping",
    ),
    (
        "from_dict specials",
        _bad_specials_dict,
        TypeError,
        r"data\['specials'\] must be a sequence of str tokens",
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
    failures, attempted = doctest.testmod(text, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert attempted > 10
    assert failures == 0


def _public_callables() -> list[tuple[str, object]]:
    found: list[tuple[str, object]] = []
    for name in text.__all__:
        obj = getattr(text, name)
        if inspect.isclass(obj):
            found.append((name, obj))
            for attr, member in vars(obj).items():
                if attr.startswith("_") and not (attr.startswith("__") and attr != "__init__"):
                    continue
                target = member.fget if isinstance(member, property) else member
                if isinstance(target, (classmethod, staticmethod)):
                    target = target.__func__
                if callable(target):
                    found.append((f"{name}.{attr}", target))
        elif callable(obj):
            found.append((name, obj))
    return found


PUBLIC_CALLABLES = _public_callables()


@pytest.mark.parametrize(("name", "obj"), PUBLIC_CALLABLES, ids=[n for n, _ in PUBLIC_CALLABLES])
def test_every_public_callable_says_where_it_is_introduced(name: str, obj: object) -> None:
    assert INTRODUCED in (inspect.getdoc(obj) or ""), name


def test_module_docstring_and_constants_are_documented() -> None:
    assert INTRODUCED in (text.__doc__ or "")
    lines = inspect.getsource(text).splitlines()
    for constant in ("BOS", "EOS", "UNK", "PAD", "DEFAULT_SPECIALS", "TOKENIZERS"):
        start = next(i for i, line in enumerate(lines) if re.match(rf"{constant}\b.*=", line))
        comment: list[str] = []
        while lines[start - 1 - len(comment)].startswith("#:"):
            comment.append(lines[start - 1 - len(comment)])
        assert f"#: {INTRODUCED}" in comment, constant


def test_importing_text_loads_no_tensorflow() -> None:
    code = (
        "import sys, course_utils.text; "
        "bad = [m for m in sys.modules if m.split('.')[0] in ('tensorflow', 'keras')]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_tokenisers_are_deterministic_on_real_looking_text() -> None:
    rng = random.Random(0)
    words = ["나는", "무지", "배가", "고프다", "O'er", "sad-tun'd", "--", "1599", "’tis"]
    raw = " ".join(rng.choice(words) for _ in range(200))
    for tokenize in TOKENIZERS.values():
        first = tokenize(raw)
        assert first == tokenize(raw)
        assert all(isinstance(t, str) and t for t in first)


def test_display_width_counts_wide_characters_twice():
    from course_utils.text import display_width, ljust_display, to_jamo

    assert display_width("") == 0
    assert display_width("abc") == 3
    assert display_width("나는 배가") == 9
    assert display_width(to_jamo("한")) == 2  # a decomposed syllable still fills two columns
    rows = [ljust_display(w, 12) + "|" for w in ["나는", "할머니께서는", "love"]]
    assert len({display_width(r) for r in rows}) == 1
    with pytest.raises(TypeError, match="text must be a str"):
        display_width(3)
    with pytest.raises(ValueError, match="width"):
        ljust_display("a", -1)
