"""Tests of course_utils.embeddings: training examples, negative sampling, similarity, subwords.

The example generators are checked against brute-force references written with plain nested
loops; the samplers with chi-square goodness-of-fit tests at a fixed seed; similarities,
neighbours, analogies and the fastText hashes also against gensim, the book's cross-check.
"""

from __future__ import annotations

import ast
import doctest
import inspect
import math
from collections import Counter
from collections.abc import Callable, Sequence

import numpy as np
import pytest
from gensim.models import KeyedVectors
from gensim.models.fasttext import ft_ngram_hashes
from gensim.models.fasttext_inner import compute_ngrams_bytes, ft_hash_bytes
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from course_utils import embeddings
from course_utils.embeddings import (
    NegativeSampler,
    analogy,
    cbow_windows,
    cbow_windows_corpus,
    class_cosine_summary,
    cosine_similarity,
    nearest_neighbours,
    pca_2d,
    similarity_matrix,
    skipgram_pairs,
    skipgram_pairs_corpus,
    subword_hash,
    subword_ids,
    subword_ngrams,
)
from course_utils.text import to_jamo

INTRODUCED = "Introduced in: notebooks/02_word_embeddings.ipynb"
ALPHA = 0.001  # significance level of the statistical tests (fixed seeds: deterministic)

ids_lists = st.lists(st.integers(min_value=0, max_value=30), max_size=25)
windows = st.integers(min_value=1, max_value=30)  # often larger than the sentence
seeds = st.integers(min_value=0, max_value=2**32 - 1)


# ---------------------------------------------------------------------------- references


def reference_skipgram(ids: Sequence[int], radii: Sequence[int]) -> list[list[int]]:
    """Skip-gram pairs by brute force: every center, every position within its radius."""
    pairs = []
    for i in range(len(ids)):
        for j in range(len(ids)):
            if j != i and abs(j - i) <= radii[i]:
                pairs.append([ids[i], ids[j]])
    return pairs


def reference_cbow(ids: Sequence[int], window: int, pad_id: int) -> tuple[list, list]:
    """CBOW rows by brute force: left context, then right context, padded outside."""
    contexts, centers = [], []
    for c in range(len(ids)):
        row = []
        for j in [*range(c - window, c), *range(c + 1, c + window + 1)]:
            row.append(ids[j] if 0 <= j < len(ids) else pad_id)
        contexts.append(row)
        centers.append(ids[c])
    return contexts, centers


def reference_cosine(u: Sequence[float], v: Sequence[float]) -> float:
    dot = sum(x * y for x, y in zip(u, v, strict=True))
    norm_u = math.sqrt(sum(x * x for x in u))
    norm_v = math.sqrt(sum(y * y for y in v))
    return 0.0 if norm_u == 0 or norm_v == 0 else dot / (norm_u * norm_v)


def random_embeddings(n: int, d: int, seed: int) -> tuple[np.ndarray, list[str]]:
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, d)), [f"w{i:03d}" for i in range(n)]


# ---------------------------------------------------------------------------- skip-gram


@given(ids=ids_lists, window=windows)
def test_skipgram_pairs_match_the_brute_force_reference(ids: list[int], window: int) -> None:
    pairs = skipgram_pairs(ids, window)
    assert pairs.dtype == np.int64
    assert pairs.shape[1] == 2
    assert pairs.tolist() == reference_skipgram(ids, [window] * len(ids))


@pytest.mark.parametrize(
    ("ids", "window", "expected"),
    [
        ([], 3, []),
        ([7], 1, []),  # one word: no context at all
        ([7], 50, []),
        ([1, 2], 50, [[1, 2], [2, 1]]),  # window far larger than the sentence
        ([1, 2, 3], 1, [[1, 2], [2, 1], [2, 3], [3, 2]]),
        ([4, 4, 4], 2, [[4, 4]] * 6),  # repeated ids are still distinct positions
    ],
)
def test_skipgram_pairs_small_cases(ids: list[int], window: int, expected: list) -> None:
    pairs = skipgram_pairs(np.array(ids, dtype=np.int32), window)
    assert pairs.shape == (len(expected), 2)
    assert pairs.tolist() == expected


@given(ids=ids_lists, window=windows, seed=seeds)
def test_dynamic_window_pairs_match_the_reference_with_the_documented_radii(
    ids: list[int], window: int, seed: int
) -> None:
    pairs = skipgram_pairs(ids, window, rng=np.random.default_rng(seed), dynamic_window=True)
    radii = np.random.default_rng(seed).integers(1, window + 1, size=len(ids))
    assert pairs.tolist() == reference_skipgram(ids, radii.tolist())


def test_dynamic_window_keeps_every_pair_within_a_uniform_radius() -> None:
    window, n = 5, 30_000
    positions = np.arange(n)  # id == position, so a pair tells where its words are
    pairs = skipgram_pairs(positions, window, rng=np.random.default_rng(2024), dynamic_window=True)
    distance = np.abs(pairs[:, 1] - pairs[:, 0])
    assert distance.min() >= 1
    assert distance.max() <= window
    # Each center's pairs are all positions within its radius, so away from the edges the
    # radius is the largest distance and the number of pairs is twice the radius.
    radius = np.zeros(n, dtype=np.int64)
    np.maximum.at(radius, pairs[:, 0], distance)
    per_center = np.bincount(pairs[:, 0], minlength=n)
    interior = slice(window, n - window)
    assert np.array_equal(per_center[interior], 2 * radius[interior])
    observed = np.bincount(radius[interior], minlength=window + 1)[1:]
    assert observed.sum() == n - 2 * window
    assert stats.chisquare(observed).pvalue > ALPHA  # uniform on 1 .. window
    # and the pairs are exactly those of a fixed window equal to each center's radius
    reference = reference_skipgram(positions[:200].tolist(), radius[:200].tolist())
    assert pairs[pairs[:, 0] < 200 - window].tolist() == [
        p for p in reference if p[0] < 200 - window
    ]


def test_dynamic_window_weighs_near_contexts_more() -> None:
    # P(distance d kept) = (window - d + 1) / window
    window, n = 4, 20_000
    pairs = skipgram_pairs(np.arange(n), window, rng=np.random.default_rng(7), dynamic_window=True)
    counts = np.bincount(np.abs(pairs[:, 1] - pairs[:, 0]), minlength=window + 1)[1:]
    expected = np.array([window - d + 1 for d in range(1, window + 1)], dtype=float)
    expected *= counts.sum() / expected.sum()
    assert stats.chisquare(counts, expected).pvalue > ALPHA


@given(
    sentences=st.lists(ids_lists, max_size=6),
    window=st.integers(min_value=1, max_value=8),
    seed=seeds,
    dynamic=st.booleans(),
)
def test_skipgram_corpus_concatenates_sentences_without_crossing_them(
    sentences: list[list[int]], window: int, seed: int, dynamic: bool
) -> None:
    rng = np.random.default_rng(seed) if dynamic else None
    pairs = skipgram_pairs_corpus(sentences, window, rng=rng, dynamic_window=dynamic)
    twin = np.random.default_rng(seed)
    expected: list[list[int]] = []
    for sentence in sentences:  # the radii are drawn sentence after sentence from one rng
        radii = twin.integers(1, window + 1, size=len(sentence)) if dynamic else None
        expected += reference_skipgram(
            sentence, radii.tolist() if radii is not None else [window] * len(sentence)
        )
    assert pairs.shape == (len(expected), 2)
    assert pairs.tolist() == expected


def test_skipgram_corpus_never_pairs_words_of_different_sentences() -> None:
    sentences = [list(range(100 * s, 100 * s + length)) for s, length in enumerate([5, 1, 3, 7])]
    pairs = skipgram_pairs_corpus(sentences, window=10)
    assert np.array_equal(pairs[:, 0] // 100, pairs[:, 1] // 100)
    assert len(pairs) == sum(n * (n - 1) for n in (5, 1, 3, 7))
    assert skipgram_pairs_corpus([], 2).shape == (0, 2)
    assert skipgram_pairs_corpus(iter([np.array([1, 2])]), 1).tolist() == [[1, 2], [2, 1]]


# ---------------------------------------------------------------------------- CBOW


@given(ids=st.lists(st.integers(min_value=1, max_value=30), max_size=25), window=windows)
def test_cbow_windows_match_the_brute_force_reference(ids: list[int], window: int) -> None:
    contexts, centers = cbow_windows(ids, window)
    assert contexts.shape == (len(ids), 2 * window)
    assert centers.shape == (len(ids),)
    assert contexts.dtype == centers.dtype == np.int64
    expected_contexts, expected_centers = reference_cbow(ids, window, 0)
    assert contexts.tolist() == expected_contexts
    assert centers.tolist() == expected_centers


@given(ids=ids_lists, window=st.integers(min_value=1, max_value=6))
def test_cbow_windows_with_another_pad_id(ids: list[int], window: int) -> None:
    contexts, centers = cbow_windows(ids, window, pad_id=99)
    expected_contexts, expected_centers = reference_cbow(ids, window, 99)
    assert contexts.shape == (len(ids), 2 * window)
    assert contexts.tolist() == expected_contexts
    assert centers.tolist() == expected_centers


def test_cbow_window_two_is_the_seed_notes_conditional() -> None:
    # P(w_c | w_{c-2}, w_{c-1}, w_{c+1}, w_{c+2}) for "나는 엄청 배가 고프다" as ids 4 5 6 7
    contexts, centers = cbow_windows([4, 5, 6, 7], window=2)
    assert contexts.tolist() == [[0, 0, 5, 6], [0, 4, 6, 7], [4, 5, 7, 0], [5, 6, 0, 0]]
    assert centers.tolist() == [4, 5, 6, 7]
    one_word, center = cbow_windows([9], window=3)  # a length-1 sentence: all padding
    assert one_word.tolist() == [[0] * 6]
    assert center.tolist() == [9]
    empty_contexts, empty_centers = cbow_windows([], window=2)
    assert empty_contexts.shape == (0, 4)
    assert empty_centers.shape == (0,)


@given(
    sentences=st.lists(st.lists(st.integers(1, 30), max_size=10), max_size=6),
    window=st.integers(min_value=1, max_value=5),
)
def test_cbow_corpus_concatenates_sentences_without_crossing_them(
    sentences: list[list[int]], window: int
) -> None:
    contexts, centers = cbow_windows_corpus(sentences, window)
    expected_contexts: list = []
    expected_centers: list = []
    for sentence in sentences:
        rows, targets = reference_cbow(sentence, window, 0)
        expected_contexts += rows
        expected_centers += targets
    assert contexts.shape == (len(expected_centers), 2 * window)
    assert contexts.tolist() == expected_contexts
    assert centers.tolist() == expected_centers


# ---------------------------------------------------------------------------- negative sampling


def test_negative_sampler_probabilities() -> None:
    sampler = NegativeSampler([0, 1, 16, 81])
    assert sampler.probs.tolist() == pytest.approx([0, 1 / 36, 8 / 36, 27 / 36])
    assert sampler.power == 0.75
    assert len(sampler) == 4
    assert sampler.exclude == ()
    assert "power=0.75" in repr(sampler)
    with pytest.raises(ValueError, match="read-only"):
        sampler.probs[0] = 1.0


@pytest.mark.parametrize("power", [0.0, 0.5, 0.75, 1.0, 2.0, -0.5])
def test_negative_sampler_probs_sum_to_one_and_follow_the_power(power: float) -> None:
    counts = [5, 0, 3, 100, 1, 42, 7]
    sampler = NegativeSampler(counts, power=power, exclude=[2])
    probs = sampler.probs
    assert math.fsum(probs) == pytest.approx(1.0, abs=1e-12)
    weights = [0.0 if c == 0 or i == 2 else c**power for i, c in enumerate(counts)]
    assert probs.tolist() == pytest.approx([w / sum(weights) for w in weights])
    assert probs[1] == 0.0  # count 0: never drawn, whatever the power
    assert probs[2] == 0.0  # excluded


def test_power_zero_is_uniform_and_power_one_is_the_unigram_distribution() -> None:
    counts = [0, 10, 20, 30, 40]
    uniform = NegativeSampler(counts, power=0, exclude=[0])
    assert uniform.probs.tolist() == pytest.approx([0, 0.25, 0.25, 0.25, 0.25])
    unigram = NegativeSampler(counts, power=1)
    assert unigram.probs.tolist() == pytest.approx([0, 0.1, 0.2, 0.3, 0.4])


def test_negative_sampler_accepts_a_mapping_of_ids_and_large_counts() -> None:
    sampler = NegativeSampler({4: 81, 2: 16, np.int64(1): 1})
    assert len(sampler) == 5
    assert sampler.probs.tolist() == pytest.approx([0, 1 / 36, 8 / 36, 0, 27 / 36])
    huge = NegativeSampler(np.array([1e300, 1e300, 0.0]), power=3.0)  # no overflow
    assert huge.probs.tolist() == pytest.approx([0.5, 0.5, 0.0])


def test_negative_samples_follow_probs_and_never_hit_excluded_ids() -> None:
    counts = np.array([0, 0, 0, 0, *range(1, 30)]) ** 2  # ids 0-3 are the specials
    sampler = NegativeSampler(counts, exclude=[0, 1, 2, 3, 10])
    draws = sampler.sample((1_000, 200), np.random.default_rng(12345))
    assert draws.shape == (1_000, 200)
    assert draws.dtype == np.int64
    observed = np.bincount(draws.ravel(), minlength=len(sampler))
    assert observed[[0, 1, 2, 3, 10]].sum() == 0
    support = sampler.probs > 0
    expected = sampler.probs[support] * draws.size
    assert expected.min() > 5  # the chi-square approximation holds
    assert stats.chisquare(observed[support], expected).pvalue > ALPHA


def test_sample_shapes_and_reproducibility() -> None:
    sampler = NegativeSampler([3, 1, 4, 1, 5])
    assert sampler.sample(7, np.random.default_rng(0)).shape == (7,)
    assert sampler.sample(0, np.random.default_rng(0)).shape == (0,)
    assert sampler.sample((2, 0, 3), np.random.default_rng(0)).shape == (2, 0, 3)
    first = sampler.sample((4, 5), np.random.default_rng(3))
    assert np.array_equal(first, sampler.sample([4, 5], np.random.default_rng(3)))
    single = NegativeSampler([0, 0, 2, 0], exclude=[])
    assert set(single.sample(1_000, np.random.default_rng(1)).tolist()) == {2}


@pytest.mark.parametrize("shape", [(300_000, 5), 2**20 + 3, (3, 0), (7, 2)])
@pytest.mark.parametrize("dtype", [np.int64, "int32", np.uint16])
def test_sample_in_blocks_draws_the_same_ids_as_one_lookup(shape: object, dtype: object) -> None:
    # The result is filled in blocks of 2**20 draws: the ids must be those of one draw of the
    # whole shape, looked up at once (the implementation before the blocks), in any dtype.
    sampler = NegativeSampler(np.arange(1, 3_001) % 97, exclude=[0, 1])
    rng = np.random.default_rng(7)
    draws = sampler.sample(shape, rng, dtype=dtype)
    reference_rng = np.random.default_rng(7)
    dims = shape if isinstance(shape, tuple) else (shape,)
    expected = np.searchsorted(sampler._cdf, reference_rng.random(dims), side="right")
    assert draws.dtype == np.dtype(dtype)
    assert draws.shape == dims
    assert np.array_equal(draws, expected)
    assert rng.random() == reference_rng.random()  # the generator has advanced as far


# ---------------------------------------------------------------------------- similarities


def test_cosine_similarity_shapes_and_values() -> None:
    a = np.array([[1.0, 0.0], [0.0, 2.0], [3.0, 4.0]])
    b = np.array([[2.0, 0.0], [1.0, 1.0]])
    full = cosine_similarity(a, b)
    assert full.shape == (3, 2)
    for i in range(3):
        for j in range(2):
            assert full[i, j] == pytest.approx(reference_cosine(a[i], b[j]))
    assert cosine_similarity(a, b[1]).tolist() == pytest.approx(full[:, 1].tolist())
    assert cosine_similarity(a[2], b).tolist() == pytest.approx(full[2].tolist())
    single = cosine_similarity([3, 4], [4, 3])
    assert isinstance(single, float)
    assert single == pytest.approx(24 / 25)
    assert cosine_similarity([1, 1], [-2, -2]) == pytest.approx(-1.0)
    assert cosine_similarity([0, 0], [1, 2]) == 0.0  # a zero vector has no direction
    assert cosine_similarity([1e300, 1e300], [1e300, 1e300]) == pytest.approx(1.0)  # no overflow
    assert cosine_similarity(np.empty((0, 2)), b).shape == (0, 2)


def test_similarity_matrix_matches_pairwise_cosines() -> None:
    vectors, _ = random_embeddings(7, 4, seed=1)
    vectors[3] = 0.0
    matrix = similarity_matrix(vectors)
    assert matrix.shape == (7, 7)
    assert np.array_equal(matrix, matrix.T)
    for i in range(7):
        for j in range(7):
            expected = 1.0 if i == j != 3 else reference_cosine(vectors[i], vectors[j])
            assert matrix[i, j] == pytest.approx(expected, abs=1e-12)
    assert np.all(np.abs(matrix) <= 1.0)


def test_nearest_neighbours_small_example_and_tie_break() -> None:
    vectors = np.array([[1.0, 0.0], [2.0, 0.0], [0.0, 1.0], [1.0, 1.0], [3.0, 0.0]])
    tokens = ["a", "b", "c", "d", "e"]
    assert nearest_neighbours(vectors, tokens, "a", k=2) == [("b", 1.0), ("e", 1.0)]  # row order
    result = nearest_neighbours(vectors, tokens, "a", k=10, exclude_self=False)
    assert [t for t, _ in result] == ["a", "b", "e", "d", "c"]  # all 5, not 10
    assert result[3][1] == pytest.approx(math.sqrt(0.5))
    assert nearest_neighbours(vectors, tokens, "a", k=2, exclude=["b"]) == [
        ("e", 1.0),
        ("d", pytest.approx(math.sqrt(0.5))),
    ]
    assert nearest_neighbours(vectors[:1], ["a"], "a") == []


def test_nearest_neighbours_agree_with_gensim() -> None:
    vectors, tokens = random_embeddings(60, 8, seed=5)
    kv = KeyedVectors(vector_size=8)
    kv.add_vectors(tokens, vectors.astype(np.float32))
    for word in ("w000", "w017", "w059"):
        ours = nearest_neighbours(vectors, tokens, word, k=6)
        theirs = kv.most_similar(word, topn=6)
        assert [t for t, _ in ours] == [t for t, _ in theirs]
        assert [s for _, s in ours] == pytest.approx([s for _, s in theirs], abs=1e-5)


def test_analogy_finds_the_offset_and_excludes_the_query_words() -> None:
    words = ["man", "woman", "king", "queen", "apple", "pear"]
    vectors = np.array(
        [[1, 0, 0], [1, 1, 0], [1, 0, 1], [1, 1, 1], [0, 0, 1], [0.1, 0.1, 1.0]], dtype=float
    )
    best = analogy(vectors, words, "man", "woman", "king", k=3)
    assert best[0][0] == "queen"
    assert {t for t, _ in best}.isdisjoint({"man", "woman", "king"})
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    target = unit[1] - unit[0] + unit[2]
    assert best[0][1] == pytest.approx(reference_cosine(unit[3], target))
    assert analogy(vectors, words, "man", "woman", "king", exclude=["queen"])[0][0] != "queen"


def test_analogy_agrees_with_gensim_3cosadd() -> None:
    vectors, tokens = random_embeddings(80, 10, seed=9)
    kv = KeyedVectors(vector_size=10)
    kv.add_vectors(tokens, vectors.astype(np.float32))
    for a, b, c in [("w001", "w002", "w003"), ("w010", "w050", "w079")]:
        ours = analogy(vectors, tokens, a, b, c, k=5)
        theirs = kv.most_similar(positive=[b, c], negative=[a], topn=5)
        assert [t for t, _ in ours] == [t for t, _ in theirs]
        assert [s for _, s in ours] == pytest.approx([s for _, s in theirs], abs=1e-5)


def reference_class_summary(vectors: np.ndarray, tokens: list[str], classes: dict) -> dict:
    """Means of within- and across-class cosines by plain loops over word pairs."""
    row = {t: i for i, t in enumerate(tokens)}
    label = {w: name for name, words in classes.items() for w in words}
    words = list(label)
    within_all, across_all = [], []
    for i, u in enumerate(words):
        for v in words[i + 1 :]:
            cos = reference_cosine(vectors[row[u]], vectors[row[v]])
            (within_all if label[u] == label[v] else across_all).append(cos)
    per_class = {}
    for name, members in classes.items():
        within = [
            reference_cosine(vectors[row[u]], vectors[row[v]])
            for i, u in enumerate(members)
            for v in members[i + 1 :]
        ]
        across = [
            reference_cosine(vectors[row[u]], vectors[row[v]])
            for u in members
            for v in words
            if label[v] != name
        ]
        per_class[name] = {
            "within": sum(within) / len(within) if within else math.nan,
            "across": sum(across) / len(across) if across else math.nan,
            "n_words": len(members),
        }
    return {
        "per_class": per_class,
        "within": sum(within_all) / len(within_all) if within_all else math.nan,
        "across": sum(across_all) / len(across_all) if across_all else math.nan,
    }


def test_class_cosine_summary_matches_the_reference_and_shows_clusters() -> None:
    classes = {
        "intensifier": ["엄청", "매우", "무지", "아주"],
        "filler": ["오늘", "벌써", "또"],
        "state": ["배가"],
    }
    tokens = ["<pad>", "엄청", "매우", "무지", "아주", "오늘", "벌써", "또", "배가", "고프다"]
    rng = np.random.default_rng(0)
    centres = rng.normal(size=(3, 16)) * 3
    vectors = rng.normal(size=(len(tokens), 16))
    vectors[1:5] += centres[0]  # the synonyms share a direction
    vectors[5:8] += centres[1]
    summary = class_cosine_summary(vectors, tokens, classes)
    expected = reference_class_summary(vectors, tokens, classes)
    assert list(summary["per_class"]) == list(classes)
    for name, values in expected["per_class"].items():
        got = summary["per_class"][name]
        assert got["n_words"] == values["n_words"]
        for key in ("within", "across"):
            if math.isnan(values[key]):
                assert math.isnan(got[key])
            else:
                assert got[key] == pytest.approx(values[key])
    assert summary["within"] == pytest.approx(expected["within"])
    assert summary["across"] == pytest.approx(expected["across"])
    assert summary["per_class"]["intensifier"]["within"] > 0.5
    assert summary["within"] > summary["across"] + 0.4
    single = class_cosine_summary(vectors, tokens, {"only": ["엄청", "매우"]})
    assert math.isnan(single["across"])


# ---------------------------------------------------------------------------- PCA


def reference_pca(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """PCA by eigendecomposition of the covariance matrix, same sign convention."""
    centred = matrix - matrix.mean(axis=0)
    covariance = centred.T @ centred / (len(matrix) - 1)
    eigenvalues, eigenvectors = np.linalg.eigh(covariance)
    order = np.argsort(eigenvalues)[::-1]
    eigenvalues, eigenvectors = eigenvalues[order], eigenvectors[:, order]
    axes = eigenvectors[:, :2].T.copy()
    for axis in axes:
        if axis[np.argmax(np.abs(axis))] < 0:
            axis *= -1
    return centred @ axes.T, eigenvalues[:2] / eigenvalues.sum()


@pytest.mark.parametrize(("n", "d", "seed"), [(10, 3, 0), (50, 8, 1), (5, 20, 2), (200, 16, 3)])
def test_pca_2d_matches_the_covariance_eigendecomposition(n: int, d: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    matrix = rng.normal(size=(n, d)) * np.linspace(4.0, 0.5, d) + rng.normal(size=d) * 10
    coords, ratios = pca_2d(matrix, return_variance=True)
    expected_coords, expected_ratios = reference_pca(matrix)
    assert coords.shape == (n, 2)
    np.testing.assert_allclose(coords, expected_coords, atol=1e-9)
    np.testing.assert_allclose(ratios, expected_ratios, atol=1e-12)
    assert np.all((ratios >= 0) & (ratios <= 1))
    assert ratios[0] >= ratios[1]
    assert np.array_equal(pca_2d(matrix), coords)
    np.testing.assert_allclose(coords.mean(axis=0), 0.0, atol=1e-9)


def test_pca_2d_is_reproducible_whatever_the_svd_signs() -> None:
    matrix, _ = random_embeddings(30, 5, seed=4)
    coords = pca_2d(matrix)
    # Flipping the data flips the principal axes; the sign convention flips them back, so
    # the map is the mirror image, not an arbitrary one.
    np.testing.assert_allclose(pca_2d(-matrix), -coords, atol=1e-9)
    np.testing.assert_allclose(pca_2d(matrix + 100.0), coords, atol=1e-8)
    np.testing.assert_allclose(pca_2d(matrix[::-1])[::-1], coords, atol=1e-9)  # row order
    np.testing.assert_array_equal(pca_2d(matrix), coords)  # deterministic


# ---------------------------------------------------------------------------- fastText subwords


def test_subword_ngrams_of_where() -> None:
    assert subword_ngrams("where", 3, 3) == ["<where>", "<wh", "whe", "her", "ere", "re>"]
    assert subword_ngrams("where", 3, 3, include_word=False) == ["<wh", "whe", "her", "ere", "re>"]
    # the lone boundary symbols are not 1-grams (fastText skips them)
    assert subword_ngrams("ab", 1, 1, include_word=False) == ["a", "b"]
    assert subword_ngrams("ab", 1, 2, include_word=False) == ["<a", "a", "ab", "b", "b>"]
    # a short word: "<a>" is both the whole word and an n-gram, kept twice as in fastText
    assert subword_ngrams("a") == ["<a>", "<a>"]
    assert subword_ngrams("aaaa", 3, 3, include_word=False) == ["<aa", "aaa", "aaa", "aa>"]


@settings(max_examples=60)
@given(
    word=st.text(alphabet="abcé가나다먹었는", min_size=1, max_size=8),
    min_n=st.integers(min_value=1, max_value=4),
    extra=st.integers(min_value=0, max_value=4),
)
def test_subword_ngrams_and_ids_agree_with_gensim(word: str, min_n: int, extra: int) -> None:
    max_n = min_n + extra
    grams = subword_ngrams(word, min_n, max_n, include_word=False)
    assert grams == [g.decode("utf-8") for g in compute_ngrams_bytes(word, min_n, max_n)]
    ids = subword_ids(word, 1_000, min_n, max_n, include_word=False)
    assert ids.tolist() == ft_ngram_hashes(word, min_n, max_n, 1_000)
    with_word = subword_ids(word, 1_000, min_n, max_n)
    assert with_word.tolist() == [subword_hash(f"<{word}>", 1_000), *ids.tolist()]


def test_jamo_ngrams_share_the_stem_of_inflected_forms() -> None:
    past = subword_ngrams("먹었다", unit="jamo")
    present = subword_ngrams("먹는다", unit="jamo")
    assert past[0] == "<" + to_jamo("먹었다") + ">"
    assert present[0] == "<" + to_jamo("먹는다") + ">"
    assert past[0] != present[0]  # the whole-word tokens differ ...
    shared = set(past[1:]) & set(present[1:])
    assert "<" + to_jamo("머") in shared  # ... but the stem's jamo n-grams are shared
    assert to_jamo("먹") in shared
    assert len(shared) >= 3
    # On syllables, with the same n-gram lengths, the two forms share nothing at all.
    assert set(subword_ngrams("먹었다")) & set(subword_ngrams("먹는다")) == set()
    assert all(len(g) <= 6 for g in past[1:])
    ids_past = subword_ids("먹었다", 2_000_000, unit="jamo")
    ids_present = subword_ids("먹는다", 2_000_000, unit="jamo")
    assert len(set(ids_past.tolist()) & set(ids_present.tolist())) >= len(shared)


def test_fnv1a_hash_values_by_hand() -> None:
    basis, prime = 2166136261, 16777619
    assert subword_hash("", 2**32) == basis  # no byte: the offset basis
    # "a" is the byte 0x61: h = (basis XOR 0x61) * prime mod 2**32
    by_hand = ((basis ^ 0x61) * prime) % 2**32
    assert by_hand == 0xE40C292C  # the published FNV-1a test vector for "a"
    assert subword_hash("a", 2**32) == by_hand
    assert subword_hash("foobar", 2**32) == 0xBF9CF968  # published test vector
    # "é" is the bytes C3 A9, both >= 0x80: fastText sign-extends them (int8_t) first
    h = ((basis ^ 0xFFFFFFC3) * prime) % 2**32
    h = ((h ^ 0xFFFFFFA9) * prime) % 2**32
    assert subword_hash("é", 2**32) == h
    textbook = ((((basis ^ 0xC3) * prime) % 2**32 ^ 0xA9) * prime) % 2**32
    assert h != textbook  # the fastText variant is not textbook FNV-1a on non-ASCII bytes
    for s in ("", "a", "foobar", "é", "<먹", "먹었다>", "naïve"):
        assert subword_hash(s, 2**32) == ft_hash_bytes(s.encode("utf-8"))
    assert subword_hash("foobar", 1000) == 0xBF9CF968 % 1000
    assert subword_hash("foobar", 1) == 0


def test_subword_ids_are_the_hashes_of_the_ngrams() -> None:
    for unit in ("char", "jamo"):
        grams = subword_ngrams("고프시다", 2, 4, unit=unit)
        ids = subword_ids("고프시다", 97, 2, 4, unit=unit)
        assert ids.dtype == np.int64
        assert ids.tolist() == [subword_hash(g, 97) for g in grams]
        assert np.all((ids >= 0) & (ids < 97))


# ---------------------------------------------------------------------------- bad input

E3 = np.eye(3)
T3 = ["가", "나", "다"]
GOOD_RNG = np.random.default_rng(0)

BAD_CALLS: list[tuple[str, Callable[[], object], type[Exception], str]] = [
    ("window 0", lambda: skipgram_pairs([1, 2], 0), ValueError, r"window must be .* >= 1; got 0"),
    ("window float", lambda: skipgram_pairs([1], 1.5), TypeError, "window must be an integer"),
    ("window bool", lambda: cbow_windows([1], True), TypeError, "window must be an integer"),
    ("ids str", lambda: skipgram_pairs("abc", 1), TypeError, "ids must be a 1-D sequence"),
    ("ids float", lambda: skipgram_pairs([1, 2.0], 1), TypeError, r"ids\[1\] must be an integer"),
    ("ids negative", lambda: skipgram_pairs([1, -2], 1), ValueError, r"ids\[1\] must be a non-"),
    ("ids 2-D", lambda: skipgram_pairs(np.ones((2, 2), int), 1), ValueError, r"shape \(2, 2\)"),
    ("ids float array", lambda: cbow_windows(np.ones(3), 1), TypeError, "dtype float64"),
    (
        "dynamic without rng",
        lambda: skipgram_pairs([1, 2], 2, dynamic_window=True),
        ValueError,
        "rng is required with dynamic_window=True",
    ),
    (
        "rng without dynamic",
        lambda: skipgram_pairs([1, 2], 2, rng=GOOD_RNG),
        ValueError,
        "rng is only used with dynamic_window=True",
    ),
    (
        "legacy rng",
        lambda: skipgram_pairs([1], 2, rng=np.random.RandomState(0), dynamic_window=True),
        TypeError,
        "rng must be a numpy.random.Generator",
    ),
    (
        "corpus of str",
        lambda: skipgram_pairs_corpus("1 2 3", 1),
        TypeError,
        "sentences_ids must be an iterable of sentences",
    ),
    (
        "corpus bad sentence",
        lambda: cbow_windows_corpus([[1], [2, "x"]], 1),
        TypeError,
        r"sentences_ids\[1\]\[1\] must be an integer id",
    ),
    ("pad in ids", lambda: cbow_windows([3, 0, 4], 1), ValueError, r"ids\[1\] is 0, the pad_id"),
    (
        "pad in corpus",
        lambda: cbow_windows_corpus([[1], [2, 7]], 1, pad_id=7),
        ValueError,
        r"sentences_ids\[1\]\[1\] is 7, the pad_id",
    ),
    ("pad negative", lambda: cbow_windows([1], 1, pad_id=-1), ValueError, "pad_id must be"),
    ("counts empty", lambda: NegativeSampler([]), ValueError, "counts is empty"),
    ("counts mapping empty", lambda: NegativeSampler({}), ValueError, "counts is empty"),
    ("counts negative", lambda: NegativeSampler([1, -1]), ValueError, r"counts\[1\] must be"),
    ("counts nan", lambda: NegativeSampler([1, math.nan]), ValueError, r"counts\[1\] must be"),
    ("counts text", lambda: NegativeSampler("abc"), TypeError, "counts must be a sequence"),
    ("counts str keys", lambda: NegativeSampler({"a": 1}), TypeError, "vocab.counts"),
    ("counts bad key", lambda: NegativeSampler({-1: 1}), ValueError, "key of counts"),
    ("counts 2-D", lambda: NegativeSampler(np.ones((2, 2))), ValueError, "counts must be 1-D"),
    ("all zero", lambda: NegativeSampler([0, 0]), ValueError, "no id is left to sample"),
    ("all excluded", lambda: NegativeSampler([1, 2], exclude=[0, 1]), ValueError, "no id is left"),
    ("exclude out", lambda: NegativeSampler([1, 2], exclude=[2]), ValueError, r"exclude\[0\] is 2"),
    ("exclude int", lambda: NegativeSampler([1, 2], exclude=1), TypeError, "exclude must be"),
    ("power nan", lambda: NegativeSampler([1], power=math.nan), ValueError, "power must be"),
    ("power str", lambda: NegativeSampler([1], power="0.75"), TypeError, "power must be"),
    ("sample rng", lambda: NegativeSampler([1]).sample(3, 0), TypeError, "rng must be"),
    ("sample shape", lambda: NegativeSampler([1]).sample(-1, GOOD_RNG), ValueError, "shape must"),
    ("sample dims", lambda: NegativeSampler([1]).sample((2, 1.5), GOOD_RNG), TypeError, "shape"),
    (
        "sample dtype float",
        lambda: NegativeSampler([1]).sample(3, GOOD_RNG, dtype="float32"),
        TypeError,
        "dtype must be an integer NumPy type",
    ),
    (
        "sample dtype text",
        lambda: NegativeSampler([1]).sample(3, GOOD_RNG, dtype="ints"),
        TypeError,
        "dtype must be an integer NumPy type",
    ),
    (
        "sample dtype narrow",
        lambda: NegativeSampler([1] * 300).sample(3, GOOD_RNG, dtype="uint8"),
        ValueError,
        "dtype uint8 cannot hold the largest id 299",
    ),
    ("cosine dims", lambda: cosine_similarity([1, 2], [1, 2, 3]), ValueError, "same dimension"),
    ("cosine 3-D", lambda: cosine_similarity(np.ones((1, 1, 2)), [1, 1]), ValueError, "1-D or 2-D"),
    ("cosine nan", lambda: cosine_similarity([1, math.nan], [1, 1]), ValueError, "finite"),
    ("cosine text", lambda: cosine_similarity(["a", "b"], [1, 1]), TypeError, "real numbers"),
    ("matrix 1-D", lambda: similarity_matrix([1.0, 2.0]), ValueError, "2-D array"),
    ("matrix empty", lambda: similarity_matrix(np.ones((0, 3))), ValueError, "at least 1 row"),
    (
        "unknown word",
        lambda: nearest_neighbours(E3, ["cat", "dog", "cow"], "cats"),
        ValueError,
        r"word='cats' is not in vocab_tokens .*did you mean \['cat'\]",
    ),
    ("word not str", lambda: nearest_neighbours(E3, T3, 1), TypeError, "word must be a str"),
    ("k zero", lambda: nearest_neighbours(E3, T3, "가", k=0), ValueError, "k must be"),
    ("rows", lambda: nearest_neighbours(E3, T3[:2], "가"), ValueError, "3 rows but vocab_tokens"),
    ("empty vocab", lambda: nearest_neighbours(E3, [], "가"), ValueError, "vocab_tokens is empty"),
    ("vocab str", lambda: nearest_neighbours(E3, "가나다", "가"), TypeError, "vocab_tokens must"),
    (
        "vocab repeat",
        lambda: nearest_neighbours(E3, ["가", "나", "가"], "가"),
        ValueError,
        r"vocab_tokens\[2\] is '가', a repeat",
    ),
    (
        "exclude unknown",
        lambda: nearest_neighbours(E3, T3, "가", exclude=["라"]),
        ValueError,
        r"exclude\[0\]='라' is not in vocab_tokens",
    ),
    ("self flag", lambda: nearest_neighbours(E3, T3, "가", exclude_self=1), TypeError, "True or"),
    ("analogy c", lambda: analogy(E3, T3, "가", "나", "마"), ValueError, "c='마' is not in"),
    ("analogy k", lambda: analogy(E3, T3, "가", "나", "다", k=-1), ValueError, "k must be"),
    (
        "classes missing",
        lambda: class_cosine_summary(E3, T3, {"x": ["가", "라"], "y": ["마", "다"]}),
        ValueError,
        r"2 word\(s\) of classes are not in vocab_tokens: '라', '마'",
    ),
    (
        "classes overlap",
        lambda: class_cosine_summary(E3, T3, {"x": ["가", "나"], "y": ["나"]}),
        ValueError,
        "also in 'x'",
    ),
    (
        "classes repeat",
        lambda: class_cosine_summary(E3, T3, {"x": ["가", "가"]}),
        ValueError,
        "twice",
    ),
    ("classes empty", lambda: class_cosine_summary(E3, T3, {}), ValueError, "classes is empty"),
    ("class empty", lambda: class_cosine_summary(E3, T3, {"x": []}), ValueError, "is empty"),
    (
        "class str",
        lambda: class_cosine_summary(E3, T3, {"x": "가나"}),
        TypeError,
        "sequence of str",
    ),
    ("classes list", lambda: class_cosine_summary(E3, T3, [["가"]]), TypeError, "classes must be"),
    ("pca one row", lambda: pca_2d(np.ones((1, 3))), ValueError, "at least 2 row"),
    ("pca one column", lambda: pca_2d(np.ones((4, 1))), ValueError, "at least 2 columns"),
    ("pca constant", lambda: pca_2d(np.ones((4, 3))), ValueError, "no variance"),
    ("pca flag", lambda: pca_2d(E3, return_variance="yes"), TypeError, "return_variance must"),
    ("word empty", lambda: subword_ngrams(""), ValueError, "word must be a non-empty str"),
    ("word bytes", lambda: subword_ngrams(b"where"), TypeError, "word must be a str"),
    ("min_n 0", lambda: subword_ngrams("ab", 0, 3), ValueError, "min_n must be an integer >= 1"),
    ("max_n < min_n", lambda: subword_ngrams("ab", 4, 3), ValueError, "max_n must be >= min_n"),
    ("unit", lambda: subword_ngrams("ab", unit="syllable"), ValueError, "unit must be 'char' or"),
    ("buckets 0", lambda: subword_hash("ab", 0), ValueError, "buckets must be an integer >= 1"),
    ("hash bytes", lambda: subword_hash(b"ab", 10), TypeError, "s must be a str"),
    ("ids buckets", lambda: subword_ids("ab", 0), ValueError, "buckets must be"),
]


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [case[1:] for case in BAD_CALLS],
    ids=[case[0] for case in BAD_CALLS],
)
def test_bad_input_is_refused_with_a_clear_message(
    call: Callable[[], object], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        call()


def test_unknown_word_without_close_match() -> None:
    with pytest.raises(ValueError, match="no close match"):
        analogy(E3, T3, "zebra", "나", "다")


# ---------------------------------------------------------------------------- documentation


def test_docstring_examples_are_correct() -> None:
    failures, attempted = doctest.testmod(embeddings, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert attempted > 15
    assert failures == 0


def _public_members() -> list[tuple[str, object]]:
    found: list[tuple[str, object]] = [("embeddings", embeddings)]
    for name in embeddings.__all__:
        obj = getattr(embeddings, name)
        found.append((name, obj))
        if inspect.isclass(obj):
            for attr, member in vars(obj).items():
                if attr.startswith("_") and attr not in ("__len__", "__repr__"):
                    continue
                found.append((f"{name}.{attr}", getattr(member, "fget", member)))
    return found


PUBLIC = _public_members()


@pytest.mark.parametrize(("name", "obj"), PUBLIC, ids=[n for n, _ in PUBLIC])
def test_every_public_name_says_where_it_is_introduced(name: str, obj: object) -> None:
    assert INTRODUCED in (inspect.getdoc(obj) or ""), name


def test_embeddings_imports_numpy_but_not_tensorflow() -> None:
    imported: set[str] = set()
    for node in ast.walk(ast.parse(inspect.getsource(embeddings))):
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    assert "numpy" in imported
    assert imported.isdisjoint({"tensorflow", "keras", "torch", "gensim", "scipy"}), imported


def test_counter_of_skipgram_pairs_is_symmetric() -> None:
    # With a fixed window, (u, v) is a pair exactly as often as (v, u): the relation is symmetric.
    rng = np.random.default_rng(11)
    sentences = [rng.integers(1, 12, size=rng.integers(0, 15)) for _ in range(40)]
    pairs = skipgram_pairs_corpus(sentences, 3)
    counts = Counter(map(tuple, pairs.tolist()))
    assert all(counts[(u, v)] == counts[(v, u)] for u, v in counts)
