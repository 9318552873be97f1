"""Tests of course_utils.plotting: the book style, Korean text and the plotting helpers."""

from __future__ import annotations

import subprocess
import sys
import warnings
from collections import Counter

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib import font_manager
from matplotlib.axes import Axes

from course_utils import plotting
from course_utils.plotting import (
    OKABE_ITO,
    korean_font_name,
    plot_history,
    plot_length_histograms,
    plot_rank_frequency,
    use_book_style,
)

HUNGRY = "나는 무지 배가 고프다"
HONORIFIC = "할머니께서는"


@pytest.fixture(autouse=True)
def _isolated_rcparams():
    """Every test starts and ends with the same global rcParams and no open figures."""
    with matplotlib.rc_context():
        yield
    plt.close("all")


@pytest.fixture
def fresh_font_cache(monkeypatch):
    """Forget which Korean font was found, before and after the test (which may monkeypatch)."""
    korean_font_name()  # make sure NanumGothic is registered with Matplotlib
    plotting._find_korean_font.cache_clear()
    yield monkeypatch
    plotting._find_korean_font.cache_clear()


def _glyph_warnings(caught: list[warnings.WarningMessage]) -> list[str]:
    messages = [str(w.message) for w in caught]
    return [m for m in messages if "missing from font" in m or ("Glyph" in m and "missing" in m)]


def _draw_and_collect(fig) -> list[str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.canvas.draw()
    return _glyph_warnings(caught)


# --------------------------------------------------------------------------------------------
# Fonts and style
# --------------------------------------------------------------------------------------------


def test_korean_font_is_nanumgothic():
    assert korean_font_name() == "NanumGothic"
    use_book_style()
    assert matplotlib.rcParams["font.sans-serif"][:2] == ["NanumGothic", "DejaVu Sans"]
    path = font_manager.findfont(font_manager.FontProperties(family=["sans-serif"]))
    assert path.endswith("NanumGothic.ttf")
    assert "koreanize_matplotlib" in path


def test_korean_text_draws_without_missing_glyph_warnings():
    use_book_style()
    fig, ax = plt.subplots()
    ax.plot([1, 2, 3], [-1, 0, 1], label=HUNGRY)
    ax.plot([1, 2, 3], [1, 0, -1], label=HONORIFIC)
    ax.set_title(f"{HUNGRY} / {HONORIFIC}")
    ax.set_xlabel("시간 (time step)")
    ax.set_ylabel("확률 −1…1 ŷ")  # Latin from DejaVu Sans, Hangul from NanumGothic
    ax.legend()
    assert _draw_and_collect(fig) == []
    assert list(matplotlib.rcParams["font.family"]) == ["DejaVu Sans", "sans-serif"]


def test_log_axis_minus_signs_render(caplog):
    """Log-scale tick labels are mathtext (10^-3): their minus sign must have a glyph."""
    use_book_style()
    fig, ax = plt.subplots()
    ax.semilogy([1, 2, 3], [1e-5, 1e-2, 1e2])
    ax.set_title("기울기 소실과 폭발")
    with caplog.at_level("WARNING", logger="matplotlib"):
        assert _draw_and_collect(fig) == []
    assert not [r for r in caplog.records if "does not have a glyph" in r.getMessage()]


def test_the_glyph_check_would_catch_a_font_without_hangul():
    """Sanity check of the test above: with a Latin-only font the warning does appear."""
    with matplotlib.rc_context({"font.family": ["DejaVu Sans"]}):
        fig, ax = plt.subplots()
        ax.set_title(HUNGRY)
        assert _draw_and_collect(fig) != []


def test_book_style_settings():
    use_book_style()
    rc = matplotlib.rcParams
    assert tuple(rc["figure.figsize"]) == (6.4, 4.0)
    assert rc["figure.dpi"] == 110
    assert rc["savefig.dpi"] == 150
    assert rc["axes.unicode_minus"] is False
    assert rc["axes.grid"] is True
    assert rc["axes.spines.top"] is False and rc["axes.spines.right"] is False
    colours = [c["color"] for c in rc["axes.prop_cycle"]]
    assert colours == list(OKABE_ITO)


def test_use_book_style_is_idempotent_and_keeps_user_tweaks():
    use_book_style()
    first = dict(matplotlib.rcParams)
    use_book_style()
    assert dict(matplotlib.rcParams) == first
    matplotlib.rcParams["figure.figsize"] = (10.0, 3.0)
    use_book_style()
    assert tuple(matplotlib.rcParams["figure.figsize"]) == (10.0, 3.0)
    use_book_style(force=True)
    assert tuple(matplotlib.rcParams["figure.figsize"]) == (6.4, 4.0)


def test_use_book_style_reapplies_after_rcdefaults():
    use_book_style()
    matplotlib.rcdefaults()
    assert matplotlib.rcParams["font.sans-serif"][0] == "DejaVu Sans"
    use_book_style()
    assert matplotlib.rcParams["font.sans-serif"][0] == "NanumGothic"
    assert matplotlib.rcParams["axes.unicode_minus"] is False


def test_use_book_style_rejects_non_bool_force():
    with pytest.raises(TypeError, match="force must be True or False"):
        use_book_style(force="yes")


def test_fallback_to_an_installed_hangul_font(fresh_font_cache):
    fresh_font_cache.setattr(plotting, "_koreanize_font_dir", lambda: None)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        name = korean_font_name()
    assert name in plotting._HANGUL_FALLBACKS
    paths = [e.fname for e in font_manager.fontManager.ttflist if e.name == name]
    assert any(plotting._has_hangul(p) for p in paths)


def test_no_hangul_font_warns_once_with_install_hint(fresh_font_cache):
    fresh_font_cache.setattr(plotting, "_koreanize_font_dir", lambda: None)
    fresh_font_cache.setattr(plotting, "_HANGUL_FALLBACKS", ("No Such Font For Tests",))
    with pytest.warns(UserWarning, match="pip install koreanize-matplotlib"):
        assert korean_font_name() is None
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # cached: no second warning
        assert korean_font_name() is None
        use_book_style(force=True)
    assert matplotlib.rcParams["font.sans-serif"][0] == "DejaVu Sans"


def test_the_koreanize_package_is_not_imported():
    code = (
        "import sys, matplotlib; matplotlib.use('Agg');"
        "from course_utils.plotting import use_book_style, korean_font_name;"
        "use_book_style(); assert korean_font_name() == 'NanumGothic';"
        "assert 'koreanize_matplotlib' not in sys.modules, 'koreanize_matplotlib was imported'"
    )
    result = subprocess.run(
        [sys.executable, "-W", "error", "-c", code], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr


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
    assert _draw_and_collect(ax.figure) == []


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
    assert _draw_and_collect(ax.figure) == []


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
    assert _draw_and_collect(ax.figure) == []


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


def test_draw_unrolled_rnn_labels_every_step():
    import warnings

    import matplotlib.pyplot as plt

    from course_utils.plotting import draw_unrolled_rnn

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ax = draw_unrolled_rnn(["나는", "무지", "배가"], title="펼친 RNN")
        ax.figure.canvas.draw()
    assert not [w for w in caught if "missing from" in str(w.message) or "Glyph" in str(w.message)]
    texts = [t.get_text() for t in ax.texts]
    assert {"나는", "무지", "배가"} <= set(texts)
    assert {"$h_{1}$", "$h_{2}$", "$h_{3}$", "$y_{3}$"} <= set(texts)
    plt.close(ax.figure)
    with pytest.raises(ValueError, match="non-empty"):
        draw_unrolled_rnn([])
    with pytest.raises(ValueError, match="one per input"):
        draw_unrolled_rnn(["a", "b"], outputs=["y"])


# --------------------------------------------------------------------------------------------
# Gated cells: draw_lstm_cell, draw_gru_cell, plot_gate_heatmap
# --------------------------------------------------------------------------------------------

from course_utils.plotting import draw_gru_cell, draw_lstm_cell, plot_gate_heatmap  # noqa: E402


def _texts(ax) -> list[str]:
    return [t.get_text() for t in ax.texts]


def _glyph_problems(fig, caplog) -> list[str]:
    """Missing-glyph warnings, and mathtext's logged "does not have a glyph" messages."""
    with caplog.at_level("WARNING", logger="matplotlib"):
        problems = _draw_and_collect(fig)
    logged = [r.getMessage() for r in caplog.records if "does not have a glyph" in r.getMessage()]
    return problems + logged


def _text_by_gid(ax, gid: str) -> str:
    found = [t.get_text() for t in ax.texts if t.get_gid() == gid]
    assert len(found) == 1, f"expected one text with gid {gid!r}, found {found}"
    return found[0]


def test_draw_lstm_cell_labels_gates_and_states_without_missing_glyphs(caplog):
    ax = draw_lstm_cell(title="LSTM 셀 (Long Short-Term Memory)")
    assert isinstance(ax, Axes)
    assert _glyph_problems(ax.figure, caplog) == []
    texts = _texts(ax)
    for gate in ("f (forget)", "i (input)", "g (candidate)", "o (output)"):
        assert texts.count(gate) == 1, gate
    for state in ("$x_t$", "$h_{t-1}$", "$c_{t-1}$", "$c_t$", "$h_t$"):
        assert state in texts, state
    assert texts.count("$h_t$") == 2  # h_t leaves to the right and upward
    assert texts.count(r"$\sigma$") == 3  # i, f, o
    assert ax.get_title() == "LSTM 셀 (Long Short-Term Memory)"
    assert not ax.axison


def test_draw_lstm_cell_state_line_has_only_a_times_and_a_plus():
    """c_t = f*c_{t-1} + i*g: nothing that squashes sits on the cell-state line."""
    ax = draw_lstm_cell()
    line_y = next(t.get_position()[1] for t in ax.texts if t.get_text() == "$c_{t-1}$")
    on_line = sorted(t.get_text() for t in ax.texts if t.get_position()[1] == pytest.approx(line_y))
    assert on_line == sorted(["$c_{t-1}$", r"$\times$", "$+$", "$c_t$"])
    # ... and the output does pass through tanh, below the line.
    tanh_boxes = [t for t in ax.texts if t.get_text() == "tanh"]
    assert len(tanh_boxes) == 1 and tanh_boxes[0].get_position()[1] < line_y
    equations = next(t for t in _texts(ax) if "c_t = f_t" in t)
    assert r"\tanh(c_t)" in equations and "no squashing" in equations


def test_draw_lstm_cell_uses_the_okabe_ito_colours_and_a_given_axes():
    _fig, ax = plt.subplots()
    returned = draw_lstm_cell(ax=ax)
    assert returned is ax
    from matplotlib.colors import to_hex

    fills = {to_hex(p.get_facecolor()) for p in ax.patches}
    for colour in (OKABE_ITO[0], OKABE_ITO[2], OKABE_ITO[3], OKABE_ITO[4]):
        assert colour.lower() in fills


@pytest.mark.parametrize(
    ("convention", "past", "candidate", "equation"),
    [
        ("keras", "$z_t$", "$1 - z_t$", r"$h_t = z_t \odot h_{t-1} + (1 - z_t) \odot"),
        ("swapped", "$1 - z_t$", "$z_t$", r"$h_t = (1 - z_t) \odot h_{t-1} + z_t \odot"),
    ],
)
def test_draw_gru_cell_branch_labels_follow_the_convention(
    convention, past, candidate, equation, caplog
):
    ax = draw_gru_cell(convention=convention, title="GRU 셀")
    assert isinstance(ax, Axes)
    assert _glyph_problems(ax.figure, caplog) == []
    assert _text_by_gid(ax, "gru-branch-past") == past
    assert _text_by_gid(ax, "gru-branch-candidate") == candidate
    assert _text_by_gid(ax, "gru-equation").startswith(equation)
    texts = _texts(ax)
    for label in ("r (reset)", "z (update)", r"$\tilde{h}$ (candidate)"):
        assert texts.count(label) == 1, label
    for state in ("$x_t$", "$h_{t-1}$", "$h_t$"):
        assert state in texts, state
    assert texts.count("$1 -$") == 1  # one "1 -" box, on the branch labelled 1 - z


def test_draw_gru_cell_default_is_keras_and_the_one_minus_box_moves():
    def one_minus_position(ax):
        return next(t.get_position() for t in ax.texts if t.get_text() == "$1 -$")

    keras = draw_gru_cell()
    assert _text_by_gid(keras, "gru-branch-past") == "$z_t$"
    assert "Keras" in _text_by_gid(keras, "gru-equation")
    swapped = draw_gru_cell(convention="swapped")
    (kx, ky), (sx, sy) = one_minus_position(keras), one_minus_position(swapped)
    assert sx < kx and sy > ky  # on the vertical branch to h_{t-1}, not the one to h~


@pytest.mark.parametrize(
    ("draw", "kwargs", "error", "match"),
    [
        (draw_lstm_cell, {"ax": "axes"}, TypeError, "ax must be a matplotlib Axes"),
        (draw_lstm_cell, {"title": 3}, TypeError, "title must be a string"),
        (draw_gru_cell, {"ax": 1}, TypeError, "ax must be a matplotlib Axes"),
        (draw_gru_cell, {"title": ["GRU"]}, TypeError, "title must be a string"),
        (draw_gru_cell, {"convention": "pytorch"}, ValueError, "'keras'.*or 'swapped'"),
        (draw_gru_cell, {"convention": "Keras"}, ValueError, "got 'Keras'"),
        (draw_gru_cell, {"convention": None}, TypeError, "convention must be the string"),
    ],
)
def test_cell_diagram_errors(draw, kwargs, error, match):
    with pytest.raises(error, match=match):
        draw(**kwargs)
    assert plt.get_fignums() == []  # nothing drawn before the check


def test_cell_diagrams_take_no_positional_arguments():
    with pytest.raises(TypeError):
        draw_lstm_cell(None)  # type: ignore[misc]
    with pytest.raises(TypeError):
        draw_gru_cell(None, None, "keras")  # type: ignore[misc]


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
    assert _glyph_problems(ax.figure, caplog) == []
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
    assert _draw_and_collect(many.figure) == []
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
    matplotlib.rcdefaults()
    draw()
    assert matplotlib.rcParams["font.sans-serif"][0] == "NanumGothic"
    assert matplotlib.rcParams["axes.unicode_minus"] is False


def test_new_public_names_are_exported_and_say_where_they_are_introduced():
    for name, chapter in (
        ("draw_lstm_cell", "notebooks/04_lstm.ipynb"),
        ("plot_gate_heatmap", "notebooks/04_lstm.ipynb"),
        ("draw_gru_cell", "notebooks/05_gru.ipynb"),
    ):
        assert name in plotting.__all__
        assert f"Introduced in: {chapter}" in getattr(plotting, name).__doc__


def test_plotting_docstring_examples_are_correct():
    import doctest

    failures, attempted = doctest.testmod(plotting, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert attempted > 0
    assert failures == 0
