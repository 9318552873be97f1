"""Tests of course_utils.diagrams: the unrolled RNN and the LSTM and GRU cell diagrams."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest
from figure_helpers import (
    assert_docstring_examples_pass,
    assert_draw_applies_book_style,
    axes_texts,
    glyph_problems,
    isolated_rcparams,  # noqa: F401 (an autouse fixture)
)
from matplotlib.axes import Axes

from course_utils import diagrams, plotting
from course_utils.plotting import (
    OKABE_ITO,
)


def test_draw_unrolled_rnn_labels_every_step():
    import warnings

    import matplotlib.pyplot as plt

    from course_utils.diagrams import draw_unrolled_rnn

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

from course_utils.diagrams import draw_gru_cell, draw_lstm_cell  # noqa: E402


def _text_by_gid(ax, gid: str) -> str:
    found = [t.get_text() for t in ax.texts if t.get_gid() == gid]
    assert len(found) == 1, f"expected one text with gid {gid!r}, found {found}"
    return found[0]


def test_draw_lstm_cell_labels_gates_and_states_without_missing_glyphs(caplog):
    ax = draw_lstm_cell(title="LSTM 셀 (Long Short-Term Memory)")
    assert isinstance(ax, Axes)
    assert glyph_problems(ax.figure, caplog) == []
    texts = axes_texts(ax)
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
    equations = next(t for t in axes_texts(ax) if "c_t = f_t" in t)
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
    assert glyph_problems(ax.figure, caplog) == []
    assert _text_by_gid(ax, "gru-branch-past") == past
    assert _text_by_gid(ax, "gru-branch-candidate") == candidate
    assert _text_by_gid(ax, "gru-equation").startswith(equation)
    texts = axes_texts(ax)
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


@pytest.mark.parametrize("draw", [draw_lstm_cell, draw_gru_cell], ids=["lstm", "gru"])
def test_cell_diagrams_apply_the_book_style(draw):
    assert_draw_applies_book_style(draw)


def test_public_names_say_where_they_are_introduced_and_plotting_re_exports_them():
    for name, chapter in (
        ("draw_unrolled_rnn", "notebooks/03_recurrent_networks.ipynb"),
        ("draw_lstm_cell", "notebooks/04_lstm.ipynb"),
        ("draw_gru_cell", "notebooks/05_gru.ipynb"),
    ):
        assert name in diagrams.__all__ and name in plotting.__all__
        assert getattr(plotting, name) is getattr(diagrams, name)
        assert f"Introduced in: {chapter}" in getattr(diagrams, name).__doc__
    assert "Introduced in: notebooks/03_recurrent_networks.ipynb" in diagrams.__doc__


def test_diagrams_docstring_examples_are_correct():
    assert_docstring_examples_pass(diagrams)
