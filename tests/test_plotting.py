"""Tests of course_utils.plotting: the plots of data (curves, corpus statistics, maps, heatmaps)."""

from __future__ import annotations

from collections import Counter

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from figure_helpers import (
    HONORIFIC,
    HUNGRY,
    assert_docstring_examples_pass,
    assert_draw_applies_book_style,
    draw_and_collect,
    glyph_problems,
    isolated_rcparams,  # noqa: F401 (an autouse fixture)
)
from matplotlib.axes import Axes

from course_utils import plotting
from course_utils.plotting import (
    plot_history,
    plot_length_histograms,
    plot_rank_frequency,
)

# --------------------------------------------------------------------------------------------
# plot_history
# --------------------------------------------------------------------------------------------


class FakeHistory:
    """What the helper needs of keras.callbacks.History: a ``.history`` dict."""

    def __init__(self, history):
        self.history = history


LOGS = {
    "loss": [2.0, 1.5, 1.2, 1.1],
    "val_loss": [2.1, 1.7, 1.6, 1.6],
    "accuracy": [0.2, 0.4, 0.5, 0.55],
}


def test_plot_history_from_a_keras_like_history():
    ax = plot_history(FakeHistory(LOGS), title=HUNGRY)
    assert isinstance(ax, Axes)
    lines = ax.get_lines()
    assert [line.get_label() for line in lines] == ["loss (train)", "loss (validation)"]
    assert list(lines[0].get_xdata()) == [1, 2, 3, 4]
    assert list(lines[1].get_ydata()) == LOGS["val_loss"]
    assert lines[1].get_linestyle() == "--"
    assert lines[0].get_color() == lines[1].get_color()
    assert ax.get_xlabel() == "epoch"
    assert ax.get_ylabel() == "loss"
    assert ax.get_title() == HUNGRY
    assert ax.get_legend() is not None
    assert draw_and_collect(ax.figure) == []


def test_plot_history_several_metrics_from_a_dict_on_a_given_axes():
    _fig, ax = plt.subplots()
    returned = plot_history(LOGS, ["loss", "accuracy"], ax=ax)
    assert returned is ax
    assert len(ax.get_lines()) == 3  # loss, val_loss, accuracy (no val_accuracy)
    assert ax.get_ylabel() == "value"
    assert len(ax.get_legend().get_texts()) == 3


def test_plot_history_accepts_a_single_metric_name():
    ax = plot_history({"accuracy": [0.1, 0.2]}, "accuracy")
    assert len(ax.get_lines()) == 1
    assert ax.get_ylabel() == "accuracy"


@pytest.mark.parametrize(
    ("history", "metrics", "kwargs", "error", "match"),
    [
        ([1.0, 0.5], ("loss",), {}, TypeError, "Keras History"),
        (FakeHistory([1, 2]), ("loss",), {}, TypeError, "Keras History"),
        ({}, ("loss",), {}, ValueError, "history is empty"),
        (FakeHistory({}), ("loss",), {}, ValueError, "history is empty"),
        (LOGS, ("acc",), {}, ValueError, r"unknown metric 'acc'.*'accuracy', 'loss', 'val_loss'"),
        (LOGS, (), {}, ValueError, "metrics is empty"),
        (LOGS, 3, {}, TypeError, "metrics must be"),
        (LOGS, ("loss", 1), {}, TypeError, "metric names must be strings"),
        ({"loss": []}, ("loss",), {}, ValueError, "has no values"),
        ({"loss": ["a", "b"]}, ("loss",), {}, TypeError, "only numbers"),
        ({"loss": 1.0}, ("loss",), {}, TypeError, "list or 1-D array"),
        (LOGS, ("loss",), {"ax": "axes"}, TypeError, "ax must be a matplotlib Axes"),
        (LOGS, ("loss",), {"title": 5}, TypeError, "title must be a string"),
    ],
)
def test_plot_history_errors(history, metrics, kwargs, error, match):
    with pytest.raises(error, match=match):
        plot_history(history, metrics, **kwargs)


# --------------------------------------------------------------------------------------------
# plot_length_histograms
# --------------------------------------------------------------------------------------------

LENGTHS = {
    "배고픈 말뭉치 (hungry)": [4, 5, 5, 6, 4, 7],
    "헌법 (kolaw)": np.array([12, 30, 18, 22]),
    "Shakespeare": [9, 11, 3, 25, 14],
}


def test_plot_length_histograms_one_step_outline_per_corpus():
    ax = plot_length_histograms(LENGTHS, title=HONORIFIC)
    assert isinstance(ax, Axes)
    assert len(ax.patches) == 3
    assert ax.get_xlabel() == "sentence length (tokens)"
    assert ax.get_ylabel() == "number of sentences"
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["배고픈 말뭉치 (hungry) (n=6)", "헌법 (kolaw) (n=4)", "Shakespeare (n=5)"]
    assert draw_and_collect(ax.figure) == []


def test_plot_length_histograms_whole_number_bins_and_density():
    ax = plot_length_histograms({"a": [1, 1, 2, 2]}, density=True, unit="syllables")
    vertices = ax.patches[0].get_xy()
    assert vertices[:, 0].min() == pytest.approx(0.5)  # bins are centred on whole lengths
    assert vertices[:, 0].max() == pytest.approx(2.5)
    assert vertices[:, 1].max() == pytest.approx(0.5)  # each length is half of the sentences
    assert ax.get_ylabel() == "share of sentences"
    assert ax.get_xlabel() == "sentence length (syllables)"


def test_plot_length_histograms_caps_the_number_of_whole_number_bins():
    ax = plot_length_histograms({"long": list(range(0, 1000))})
    steps = ax.patches[0].get_xy()
    assert len(steps) <= 2 * 60 + 3


def test_plot_length_histograms_custom_bins():
    ax = plot_length_histograms({"a": [1, 2, 3, 10]}, bins=3)
    assert len(ax.patches) == 1
    ax = plot_length_histograms({"a": [1, 2, 3, 10]}, bins=[0, 5, 10, 15])
    assert ax.patches[0].get_xy()[:, 0].max() == pytest.approx(15)


@pytest.mark.parametrize(
    ("lengths", "kwargs", "error", "match"),
    [
        ([[1, 2]], {}, TypeError, "mapping from corpus name"),
        ({}, {}, ValueError, "lengths is empty"),
        ({1: [1, 2]}, {}, TypeError, "corpus names in lengths must be strings"),
        ({"a": []}, {}, ValueError, r"lengths\['a'\] is empty"),
        ({"a": [1.5, 2]}, {}, TypeError, "only integers"),
        ({"a": [True, 2]}, {}, TypeError, "only integers"),
        ({"a": [3, -1]}, {}, ValueError, "negative"),
        ({"a": "abc"}, {}, TypeError, "list or 1-D array of integers"),
        ({"a": [1, 2]}, {"bins": 0}, ValueError, "bins must be at least 1"),
        ({"a": [1, 2]}, {"bins": [3, 2, 1]}, ValueError, "strictly increasing"),
        ({"a": [1, 2]}, {"bins": "auto"}, TypeError, "bins must be None"),
        ({"a": [1, 2]}, {"bins": True}, TypeError, "bins must be None"),
        ({"a": [1, 2]}, {"unit": ""}, TypeError, "unit must be a non-empty string"),
        ({"a": [1, 2]}, {"density": 1}, TypeError, "density must be True or False"),
        ({"a": [1, 2]}, {"ax": 1}, TypeError, "ax must be a matplotlib Axes"),
    ],
)
def test_plot_length_histograms_errors(lengths, kwargs, error, match):
    with pytest.raises(error, match=match):
        plot_length_histograms(lengths, **kwargs)


# --------------------------------------------------------------------------------------------
# plot_rank_frequency
# --------------------------------------------------------------------------------------------

TOKENS = (HUNGRY + " 나는 매우 배가 고프다 " + HONORIFIC + " 매우 배가 고프시다").split()


def test_plot_rank_frequency_log_log_one_line_per_corpus():
    counts = {"배고픈 말뭉치": Counter(TOKENS), "toy": [5, 0, 1, 3]}
    ax = plot_rank_frequency(counts, title="지프의 법칙 (Zipf)")
    assert isinstance(ax, Axes)
    assert (ax.get_xscale(), ax.get_yscale()) == ("log", "log")
    lines = ax.get_lines()
    assert len(lines) == 2
    assert list(lines[1].get_ydata()) == [5, 3, 1]  # sorted, zero dropped
    assert list(lines[1].get_xdata()) == [1, 2, 3]
    assert sorted(lines[0].get_ydata(), reverse=True) == list(lines[0].get_ydata())
    assert ax.get_xlabel().startswith("rank")
    assert ax.get_ylabel() == "frequency (count)"
    assert lines[0].get_label() == f"배고픈 말뭉치 ({len(set(TOKENS))} types)"
    assert draw_and_collect(ax.figure) == []


def test_plot_rank_frequency_relative_and_reference_line():
    ax = plot_rank_frequency({"a": [8, 4, 2, 2], "b": [1, 1]}, relative=True, zipf_line=True)
    lines = ax.get_lines()
    assert len(lines) == 3
    assert sum(lines[0].get_ydata()) == pytest.approx(1.0)
    assert lines[2].get_linestyle() == "--"
    reference = lines[2]
    assert reference.get_ydata()[0] == pytest.approx(0.5)  # f(1) / 1 of corpus "a"
    assert ax.get_ylabel() == "relative frequency"


@pytest.mark.parametrize(
    ("counts", "kwargs", "error", "match"),
    [
        (Counter(TOKENS), {}, TypeError, "wrap it with a name"),
        ([3, 2, 1], {}, TypeError, "mapping from corpus name"),
        ({}, {}, ValueError, "counts is empty"),
        ({"a": [0, 0]}, {}, ValueError, "no positive counts"),
        ({"a": [3, -2]}, {}, ValueError, "negative"),
        ({"a": "the cat"}, {}, TypeError, "mapping token -> count"),
        ({"a": {1: 3}}, {}, TypeError, r"must map tokens \(strings\)"),
        ({"a": {"x": 2.5}}, {}, TypeError, "only integers"),
        ({"a": [1]}, {"relative": "yes"}, TypeError, "relative must be True or False"),
        ({"a": [1]}, {"zipf_line": None}, TypeError, "zipf_line must be True or False"),
        ({"a": [1]}, {"ax": plt}, TypeError, "ax must be a matplotlib Axes"),
    ],
)
def test_plot_rank_frequency_errors(counts, kwargs, error, match):
    with pytest.raises(error, match=match):
        plot_rank_frequency(counts, **kwargs)


# --------------------------------------------------------------------------------------------
# Every helper applies the book style
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "draw",
    [
        lambda: plot_history({"loss": [1.0, 0.5]}),
        lambda: plot_length_histograms({"a": [1, 2]}),
        lambda: plot_rank_frequency({"a": [3, 1]}),
    ],
    ids=["plot_history", "plot_length_histograms", "plot_rank_frequency"],
)
def test_every_helper_applies_the_book_style(draw):
    matplotlib.rcdefaults()
    ax = draw()
    assert matplotlib.rcParams["font.sans-serif"][0] == "NanumGothic"
    assert ax.spines["top"].get_visible() is False


def test_plot_embedding_map_labels_clusters_without_missing_glyphs():
    import warnings

    import matplotlib.pyplot as plt

    from course_utils.plotting import plot_embedding_map

    rng = np.random.default_rng(0)
    words = ["엄청", "매우", "무지", "나는", "할머니께서는", "고프다", "extra"]
    classes = {"intensifier": words[:3], "plain": ["나는"], "honorific": ["할머니께서는"]}
    classes["predicate"] = ["고프다"]
    spots = [(3.0, 3.0)] * 3 + [(-3.0, 0.0)] * 2 + [(0.0, -3.0), (3.0, -3.0)]
    coords = np.array(spots) + rng.normal(scale=0.05, size=(7, 2))
    fig, ax = plt.subplots()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = plot_embedding_map(coords, words, classes, ax=ax, title="단어 임베딩 지도")
        fig.canvas.draw()
    assert out is ax
    assert not [w for w in caught if "missing from" in str(w.message) or "Glyph" in str(w.message)]
    texts = [t.get_text() for t in ax.texts]
    assert "엄청 매우 무지" in texts  # one block for the tight synonym cluster
    assert "나는" in texts and "할머니께서는" in texts  # same place, two classes: two lines
    assert "extra" in texts  # a word in no class is labelled as "other"
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["intensifier", "plain", "honorific", "predicate", "other"]
    plt.close(fig)


@pytest.mark.parametrize(
    ("coords", "words", "classes", "error", "match"),
    [
        (np.zeros((3, 3)), ["a", "b", "c"], {"x": ["a"]}, ValueError, "shape"),
        (np.zeros((3, 2)), ["a", "b"], {"x": ["a"]}, ValueError, "3 strings"),
        (np.zeros((2, 2)), ["a", 1], {"x": ["a"]}, TypeError, "only strings"),
        (np.zeros((2, 2)), ["a", "b"], {}, TypeError, "non-empty mapping"),
    ],
)
def test_plot_embedding_map_bad_input(coords, words, classes, error, match):
    from course_utils.plotting import plot_embedding_map

    with pytest.raises(error, match=match):
        plot_embedding_map(coords, words, classes)


# --------------------------------------------------------------------------------------------
# plot_gate_heatmap
# --------------------------------------------------------------------------------------------

from course_utils.plotting import draw_gru_cell, draw_lstm_cell, plot_gate_heatmap  # noqa: E402

GATE = np.array(  # 3 time steps, 4 units
    [
        [0.9, 0.1, 0.5, 0.2],
        [0.8, 0.2, 0.4, 0.3],
        [0.7, 0.3, 0.6, 0.1],
    ]
)
GATE_TOKENS = ["할머니께서는", "배가", "고프시다"]


def test_plot_gate_heatmap_units_as_rows_tokens_as_columns(caplog):
    ax = plot_gate_heatmap(GATE, GATE_TOKENS, title="망각 게이트 f")
    assert isinstance(ax, Axes)
    assert glyph_problems(ax.figure, caplog) == []
    image = ax.images[0]
    assert image.get_array().shape == (4, 3)  # (units, time)
    np.testing.assert_allclose(image.get_array(), GATE.T)
    assert [label.get_text() for label in ax.get_xticklabels()] == GATE_TOKENS
    assert [label.get_text() for label in ax.get_yticklabels()] == ["0", "1", "2", "3"]
    assert image.get_clim() == (0.0, 1.0)
    assert image.get_cmap().name == "viridis"
    assert image.colorbar is not None
    assert image.colorbar.ax.get_ylabel() == "activation"
    assert ax.get_title() == "망각 게이트 f"
    assert ax.get_ylabel() == "unit"


def test_plot_gate_heatmap_unit_order_and_options():
    order = np.argsort(GATE.mean(axis=0))  # [3, 1, 2, 0]
    _fig, ax = plt.subplots()
    returned = plot_gate_heatmap(
        GATE.tolist(),
        tuple(GATE_TOKENS),
        ax=ax,
        unit_order=order,
        vmin=-1,
        vmax=1,
        cmap="magma",
        colorbar=False,
    )
    assert returned is ax
    image = ax.images[0]
    np.testing.assert_allclose(image.get_array(), GATE.T[order])
    assert [label.get_text() for label in ax.get_yticklabels()] == [str(i) for i in order]
    assert image.get_clim() == (-1.0, 1.0)
    assert image.get_cmap().name == "magma"
    assert image.colorbar is None
    assert ax.get_ylabel() == "unit (reordered)"
    plot_gate_heatmap(
        GATE, GATE_TOKENS, unit_order=[0, 1, 2, 3], cmap=matplotlib.colormaps["cividis"]
    )


def test_plot_gate_heatmap_rotates_many_or_long_token_labels():
    rng = np.random.default_rng(0)
    few = plot_gate_heatmap(rng.uniform(size=(3, 2)), ["나", "는", "a"])
    assert all(label.get_rotation() == 0 for label in few.get_xticklabels())
    tokens = [f"토큰{i}" for i in range(40)]
    many = plot_gate_heatmap(rng.uniform(size=(40, 50)), tokens)
    assert all(label.get_rotation() == 90 for label in many.get_xticklabels())
    assert [label.get_text() for label in many.get_xticklabels()] == tokens
    assert len(many.get_yticklabels()) < 50  # not every one of 50 units is labelled
    assert draw_and_collect(many.figure) == []
    long = plot_gate_heatmap(rng.uniform(size=(6, 3)), ["할머니께서는"] * 6)
    assert all(label.get_rotation() == 45 for label in long.get_xticklabels())


@pytest.mark.parametrize(
    ("values", "tokens", "kwargs", "error", "match"),
    [
        (GATE, GATE_TOKENS[:2], {}, ValueError, "got 2 tokens for 3 time steps"),
        (GATE.T, GATE_TOKENS, {}, ValueError, r"looks like \(units, time\).*values\.T"),
        (GATE[None], GATE_TOKENS, {}, ValueError, r"batch axis.*values\[0\]"),
        (GATE[0], GATE_TOKENS, {}, ValueError, r"2-D with shape \(time, units\)"),
        (np.zeros((0, 3)), [], {}, ValueError, "values is empty"),
        ([[0.1, 0.2], [0.3]], ["a", "b"], {}, ValueError, "rectangular"),
        ([["a", "b"]], ["x"], {}, TypeError, "only real numbers"),
        (np.array([[True, False]]), ["x"], {}, TypeError, "only real numbers"),
        ("0.5", ["x"], {}, TypeError, "2-D array of gate activations"),
        ([[0.1, np.nan]], ["x"], {}, ValueError, "finite"),
        (GATE, "할머니께서는 배가 고프시다", {}, TypeError, "tokens must be a list of 3 strings"),
        (GATE, ["a", 2, "c"], {}, TypeError, "tokens must contain only strings"),
        (GATE, GATE_TOKENS, {"vmin": 1.0, "vmax": 0.0}, ValueError, "vmin must be smaller"),
        (GATE, GATE_TOKENS, {"vmin": "0"}, TypeError, "vmin must be a number"),
        (GATE, GATE_TOKENS, {"vmax": True}, TypeError, "vmax must be a number"),
        (GATE, GATE_TOKENS, {"vmax": float("inf")}, ValueError, "vmax must be finite"),
        (GATE, GATE_TOKENS, {"cmap": "viridiss"}, ValueError, "unknown colour map 'viridiss'"),
        (GATE, GATE_TOKENS, {"cmap": 3}, TypeError, "cmap must be a colour-map name"),
        (GATE, GATE_TOKENS, {"unit_order": [0, 1, 2]}, ValueError, "permutation of 0..3"),
        (GATE, GATE_TOKENS, {"unit_order": [0, 1, 1, 2]}, ValueError, "permutation"),
        (GATE, GATE_TOKENS, {"unit_order": [0.0, 1, 2, 3]}, TypeError, "only integers"),
        (GATE, GATE_TOKENS, {"unit_order": np.eye(4, dtype=int)}, TypeError, "must be 1-D"),
        (GATE, GATE_TOKENS, {"unit_order": "0123"}, TypeError, "unit_order must be None"),
        (GATE, GATE_TOKENS, {"colorbar": "yes"}, TypeError, "colorbar must be True or False"),
        (GATE, GATE_TOKENS, {"ax": "axes"}, TypeError, "ax must be a matplotlib Axes"),
        (GATE, GATE_TOKENS, {"title": 1}, TypeError, "title must be a string"),
    ],
)
def test_plot_gate_heatmap_errors(values, tokens, kwargs, error, match):
    with pytest.raises(error, match=match):
        plot_gate_heatmap(values, tokens, **kwargs)


@pytest.mark.parametrize(
    "draw",
    [
        lambda: draw_lstm_cell(),
        lambda: draw_gru_cell(),
        lambda: plot_gate_heatmap(GATE, GATE_TOKENS),
    ],
    ids=["draw_lstm_cell", "draw_gru_cell", "plot_gate_heatmap"],
)
def test_gated_cell_helpers_apply_the_book_style(draw):
    assert_draw_applies_book_style(draw)


def test_new_public_names_are_exported_and_say_where_they_are_introduced():
    for name, chapter in (
        ("draw_lstm_cell", "notebooks/04_lstm.ipynb"),
        ("plot_gate_heatmap", "notebooks/04_lstm.ipynb"),
        ("draw_gru_cell", "notebooks/05_gru.ipynb"),
    ):
        assert name in plotting.__all__
        assert f"Introduced in: {chapter}" in getattr(plotting, name).__doc__


def test_plotting_docstring_examples_are_correct():
    assert_docstring_examples_pass(plotting)
