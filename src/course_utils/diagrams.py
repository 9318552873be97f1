"""Diagrams of recurrent networks: an unrolled RNN, the LSTM and GRU cells (chapter 3).

The diagrams are drawn, not plotted from data: boxes for the layers with weights, circles for
element-wise operations and wires between them, in the book's figure style
(:mod:`course_utils.figure_style`). :func:`draw_unrolled_rnn` is introduced in chapter 3,
:func:`draw_lstm_cell` in chapter 4 and :func:`draw_gru_cell` in chapter 5.

Introduced in: notebooks/03_recurrent_networks.ipynb
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from matplotlib.axes import Axes

from course_utils.figure_style import OKABE_ITO, _check_ax, use_book_style
from course_utils.validation import check_optional_str, is_sequence

__all__ = [
    "draw_gru_cell",
    "draw_lstm_cell",
    "draw_unrolled_rnn",
]


def _rounded_box(
    ax: Axes, x: float, y: float, width: float, height: float, pad: float, **style: Any
) -> None:
    """A box with rounded corners centred on ``(x, y)``; ``style`` goes to the patch."""
    from matplotlib.patches import FancyBboxPatch

    ax.add_patch(
        FancyBboxPatch(
            (x - width / 2, y - height / 2), width, height, boxstyle=f"round,pad={pad}", **style
        )
    )


def draw_unrolled_rnn(
    inputs: Sequence[str] = ("나는", "무지", "배가", "고프다"),
    outputs: Sequence[str] | None = None,
    *,
    ax: Axes | None = None,
    title: str | None = None,
    show_folded: bool = True,
) -> Axes:
    """Draw a recurrent network folded (one cell with a loop) and unrolled over the inputs.

    Each unrolled step shows the input token x_t entering the cell from below, the hidden state
    h_t leaving to the right (into the next step) and up (to the output y_t). All steps are the
    *same* cell with the same weights; the drawing makes that explicit by labelling every box
    with the same weight names.

    Args:
        inputs: the tokens x_1..x_T written under the steps (at least one).
        outputs: labels above the steps (default: "y_1".."y_T"); use "" to leave one empty.
        ax: an Axes to draw on, or None for a new figure.
        title: optional title.
        show_folded: also draw the folded network (a cell with a self-loop) on the left.

    Returns:
        The Axes.

    Introduced in: notebooks/03_recurrent_networks.ipynb
    """
    from matplotlib.patches import FancyArrowPatch

    use_book_style()
    if isinstance(inputs, str) or not is_sequence(inputs) or len(inputs) == 0:
        raise ValueError("inputs must be a non-empty list of token strings")
    if not all(isinstance(t, str) for t in inputs):
        raise TypeError("inputs must contain only strings")
    n = len(inputs)
    if outputs is None:
        outputs = [f"$y_{{{t + 1}}}$" for t in range(n)]
    if isinstance(outputs, str) or not is_sequence(outputs) or len(outputs) != n:
        raise ValueError(f"outputs must be a list of {n} strings, one per input")
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(1.9 * n + (2.6 if show_folded else 0.4), 3.4))
    ax = _check_ax(ax)
    blue, orange, grey = OKABE_ITO[0], OKABE_ITO[1], "#555555"

    def box(x: float, y: float, text: str, colour: str) -> None:
        _rounded_box(ax, x, y, 0.84, 0.6, 0.04, facecolor=colour, edgecolor="none", alpha=0.9)
        ax.text(x, y, text, ha="center", va="center", color="white", fontsize=10)

    def arrow(start: tuple[float, float], end: tuple[float, float], **kw: Any) -> None:
        style = {"arrowstyle": "-|>", "mutation_scale": 12, "color": grey, "lw": 1.2}
        style.update(kw)
        ax.add_patch(FancyArrowPatch(start, end, **style))

    x0 = 0.0
    if show_folded:
        box(0.0, 1.5, "RNN\n$W, U, b$", blue)
        arrow((0.0, 0.35), (0.0, 1.18))
        arrow((0.0, 1.82), (0.0, 2.65))
        arrow((0.44, 1.72), (0.44, 1.28), connectionstyle="arc3,rad=-1.6")
        ax.text(0.0, 0.15, "$x_t$", ha="center", va="center", fontsize=11)
        ax.text(0.0, 2.85, "$y_t$", ha="center", va="center", fontsize=11)
        ax.text(1.0, 2.0, "$h_{t-1}$", ha="center", va="center", fontsize=9, color=grey)
        ax.text(1.25, 1.5, "=", ha="center", va="center", fontsize=18)
        x0 = 2.6
    for t in range(n):
        x = x0 + 1.8 * t
        box(
            x,
            1.5,
            f"$h_{{{t + 1}}}$ = tanh($x_{{{t + 1}}}W + h_{{{t}}}U + b$)"
            if n <= 2
            else f"$h_{{{t + 1}}}$",
            blue,
        )
        ax.text(x, 0.15, inputs[t], ha="center", va="center", fontsize=11)
        ax.text(x, -0.2, f"$x_{{{t + 1}}}$", ha="center", va="center", fontsize=9, color=grey)
        arrow((x, 0.35), (x, 1.18))
        if outputs[t]:
            box(x, 3.0, outputs[t], orange)
            arrow((x, 1.82), (x, 2.68))
        start = (x - 1.8 + 0.42, 1.5) if t else (x - 0.95, 1.5)
        arrow(start, (x - 0.44, 1.5))
        if t == 0:
            ax.text(x - 0.95, 1.62, "$h_0$", ha="center", va="bottom", fontsize=9, color=grey)
    ax.set_xlim(-0.8 if show_folded else x0 - 1.4, x0 + 1.8 * (n - 1) + 0.8)
    ax.set_ylim(-0.45, 3.5)
    ax.set_aspect("equal")
    ax.axis("off")
    if title is not None:
        ax.set_title(check_optional_str(title, "title"))
    return ax


# --------------------------------------------------------------------------------------------

# --------------------------------------------------------------------------------------------
# Gated cells: the LSTM and GRU diagrams
# --------------------------------------------------------------------------------------------
_WIRE = "#555555"  # the grey of the wires, as in draw_unrolled_rnn
_CELL_FILL = "#f3f3f3"  # the light background of the cell's rounded rectangle
_GAP = 0.2  # half the gap in a wire that passes under another one


class _Schematic:
    """A tiny drawing kit for the cell diagrams: layers, element-wise operations and wires.

    Coordinates are data units on an Axes with an equal aspect ratio. Wires are drawn under
    the boxes and circles, so they may start and end at the centres of shapes, except where an
    arrowhead must stay visible: there they end at the shape's edge.
    """

    def __init__(self, ax: Axes) -> None:
        self.ax = ax

    def cell(self, x0: float, y0: float, x1: float, y1: float) -> None:
        from matplotlib.patches import FancyBboxPatch

        self.ax.add_patch(
            FancyBboxPatch(
                (x0, y0),
                x1 - x0,
                y1 - y0,
                boxstyle="round,pad=0.1,rounding_size=0.4",
                facecolor=_CELL_FILL,
                edgecolor="#bbbbbb",
                linewidth=1.0,
                zorder=0,
            )
        )

    def layer(self, x: float, y: float, symbol: str, label: str, colour: str) -> None:
        """A learned layer (weights + activation): a filled box, its activation and its name."""
        _rounded_box(self.ax, x, y, 1.7, 0.9, 0.04, facecolor=colour, edgecolor="none", zorder=3)
        self.text(x, y + 0.17, symbol, color="white", fontsize=12)
        self.text(x, y - 0.21, label, color="white", fontsize=8.5)

    def op(self, x: float, y: float, symbol: str, radius: float = 0.28) -> None:
        """An element-wise operation without weights: a white circle with its symbol."""
        from matplotlib.patches import Circle

        self.ax.add_patch(
            Circle((x, y), radius, facecolor="white", edgecolor=_WIRE, linewidth=1.3, zorder=3)
        )
        self.text(x, y, symbol, fontsize=12, color="#222222")

    def op_box(self, x: float, y: float, text: str, width: float = 0.8) -> None:
        """An element-wise function without weights (tanh, 1 - z): a small white box."""
        _rounded_box(
            self.ax,
            x,
            y,
            width,
            0.42,
            0.03,
            facecolor="white",
            edgecolor=_WIRE,
            linewidth=1.3,
            zorder=3,
        )
        self.text(x, y, text, fontsize=9.5, color="#222222")

    def wire(
        self,
        *points: tuple[float, float],
        arrow: bool = True,
        colour: str = _WIRE,
        linewidth: float = 1.3,
        zorder: float = 2,
    ) -> None:
        """A polyline through ``points``, with an arrowhead at the last point if ``arrow``."""
        from matplotlib.patches import FancyArrowPatch
        from matplotlib.path import Path as MplPath

        self.ax.add_patch(
            FancyArrowPatch(
                path=MplPath(list(points)),
                arrowstyle="-|>" if arrow else "-",
                mutation_scale=11 + 2 * linewidth,
                color=colour,
                linewidth=linewidth,
                joinstyle="miter",
                capstyle="butt",
                zorder=zorder,
            )
        )

    def dot(self, x: float, y: float, colour: str = _WIRE) -> None:
        """A junction: one wire splits into two."""
        from matplotlib.patches import Circle

        self.ax.add_patch(Circle((x, y), 0.08, facecolor=colour, edgecolor="none", zorder=3))

    def text(self, x: float, y: float, text: str, **kw: Any) -> Any:
        style = {"ha": "center", "va": "center", "fontsize": 11, "zorder": 5}
        style.update(kw)
        return self.ax.text(x, y, text, **style)

    def state_line(
        self,
        y: float,
        times_x: float,
        plus_x: float,
        radius: float,
        ends: tuple[str, str],
        colour: str,
    ) -> None:
        """The state's thick line, left to right through a ⊗ then a ⊕, with its two labels."""
        line = {"colour": colour, "linewidth": 2.6}
        self.wire((-0.9, y), (times_x - radius, y), arrow=False, **line)
        self.wire((times_x + radius, y), (plus_x - radius, y), arrow=False, **line)
        self.wire((plus_x + radius, y), (12.4, y), **line)
        self.op(times_x, y, r"$\times$")
        self.op(plus_x, y, "$+$")
        self.text(-1.05, y, ends[0], ha="right", fontsize=13)
        self.text(12.55, y, ends[1], ha="left", fontsize=13)


def _diagram_axes(ax: Any, title: str | None, figsize: tuple[float, float]) -> Axes:
    """Validate ``ax`` and ``title`` (in that order) and return the Axes to draw on."""
    if ax is not None:
        ax = _check_ax(ax)
    title = check_optional_str(title, "title")
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=figsize)
    return ax


def _finish_diagram(
    ax: Axes, title: str | None, xlim: tuple[float, float], ylim: tuple[float, float]
) -> Axes:
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_aspect("equal")
    ax.axis("off")
    if title is not None:
        ax.set_title(title)
    return ax


def draw_lstm_cell(*, ax: Axes | None = None, title: str | None = None) -> Axes:
    r"""Draw one LSTM (Long Short-Term Memory) cell: its gates, cell state and output.

    The inputs ``x_t`` (from below) and ``h_{t-1}`` (from the left) are fed, together, into four
    layers: the forget gate ``f``, the input gate ``i`` and the output gate ``o`` (sigmoids,
    values in 0..1) and the candidate ``g`` (tanh, values in -1..1). The cell state runs
    straight across the top from ``c_{t-1}`` to ``c_t`` and meets only two element-wise
    operations: ``⊗ f_t`` (forget part of the old memory) and ``⊕ i_t ⊙ g_t`` (write part of
    the candidate). There is no squashing function on that line:
    ``c_t = f_t ⊙ c_{t-1} + i_t ⊙ g_t``. The output does pass through tanh:
    ``h_t = o_t ⊙ tanh(c_t)``, which leaves the cell to the right (to the next step) and
    upward (to the next layer or the output). Coloured boxes are layers with weights; white
    circles and boxes are element-wise operations without weights. The two equations are
    written under the drawing.

    Args:
        ax: an Axes to draw on, or None for a new figure (about 10 x 7 inches).
        title: optional title.

    Returns:
        The Axes. Its texts include the gate labels ``"f (forget)"``, ``"i (input)"``,
        ``"g (candidate)"``, ``"o (output)"`` and the mathtext labels ``"$x_t$"``,
        ``"$h_{t-1}$"``, ``"$h_t$"``, ``"$c_{t-1}$"`` and ``"$c_t$"``.

    Raises:
        TypeError: if ``ax`` is not a Matplotlib Axes or ``title`` is not a string.

    Introduced in: notebooks/04_lstm.ipynb

    Examples:
        >>> ax = draw_lstm_cell(title="LSTM cell")
        >>> "f (forget)" in [t.get_text() for t in ax.texts]
        True
    """
    use_book_style()
    ax = _diagram_axes(ax, title, (10.0, 6.6))
    kit = _Schematic(ax)
    ink = OKABE_ITO[7]
    f_col, i_col, g_col, o_col = OKABE_ITO[3], OKABE_ITO[2], OKABE_ITO[0], OKABE_ITO[4]
    r = 0.28  # radius of the element-wise circles
    top, bus, gates = 6.0, 1.0, 2.6  # heights of the cell-state line, the input bus, the gates
    half = 0.45  # half the height of a gate box
    fx, ix, gx, ox = 2.0, 4.0, 6.0, 8.0  # the gates, left to right
    mix_x, mix_y = 5.0, 4.3  # i ⊙ g
    out_x, out_y = 9.6, 3.6  # o ⊙ tanh(c)
    split_x = 10.6  # where h_t splits: right (next step) and up (next layer)

    kit.cell(0.2, 0.3, 11.3, 6.9)

    # The cell state: one straight line, only ⊗ (forget) and ⊕ (write) on it.
    kit.state_line(top, fx, mix_x, r, ("$c_{t-1}$", "$c_t$"), ink)
    kit.text(7.3, top + 0.2, "cell state: no squashing", fontsize=8.5, color="#444444", va="bottom")

    # The inputs: h_{t-1} from the left and x_t from below share one bus into the four gates.
    kit.wire((-0.9, bus), (ox, bus), arrow=False)
    kit.wire((1.0, -0.45), (1.0, bus), arrow=False)
    kit.dot(1.0, bus)
    kit.text(-1.05, bus, "$h_{t-1}$", ha="right", fontsize=13)
    kit.text(1.0, -0.7, "$x_t$", fontsize=13)
    kit.text(1.2, bus - 0.12, "$[h_{t-1}, x_t]$", ha="left", va="top", fontsize=9, color=_WIRE)
    for x in (fx, ix, gx, ox):
        kit.wire((x, bus), (x, gates - half))
        if x != ox:
            kit.dot(x, bus)

    # The four layers.
    kit.layer(fx, gates, r"$\sigma$", "f (forget)", f_col)
    kit.layer(ix, gates, r"$\sigma$", "i (input)", i_col)
    kit.layer(gx, gates, r"$\tanh$", "g (candidate)", g_col)
    kit.layer(ox, gates, r"$\sigma$", "o (output)", o_col)

    # Forget: f_t multiplies the old cell state.
    kit.wire((fx, gates + half), (fx, top - r), colour=f_col)
    kit.text(fx - 0.12, 4.3, "$f_t$", ha="right", color=f_col)
    # Write: i_t ⊙ g_t is added to it.
    kit.wire((ix, gates + half), (ix, mix_y), (mix_x - r, mix_y), colour=i_col)
    kit.wire((gx, gates + half), (gx, mix_y), (mix_x + r, mix_y), colour=g_col)
    kit.op(mix_x, mix_y, r"$\times$")
    kit.wire((mix_x, mix_y + r), (mix_x, top - r))
    kit.text(ix - 0.12, 3.55, "$i_t$", ha="right", color=i_col)
    kit.text(gx + 0.12, 3.55, "$g_t$", ha="left", color=g_col)
    kit.text(mix_x + 0.12, 5.15, r"$i_t \odot g_t$", ha="left", fontsize=10)
    # Output: h_t = o_t ⊙ tanh(c_t).
    kit.dot(out_x, top, colour=ink)
    kit.wire((out_x, top), (out_x, 4.85 + 0.21), colour=ink, linewidth=1.6)
    kit.op_box(out_x, 4.85, "tanh")
    kit.wire((out_x, 4.85 - 0.21), (out_x, out_y + r))
    kit.wire((ox, gates + half), (ox, out_y), (out_x - r, out_y), colour=o_col)
    kit.text(ox - 0.12, 3.35, "$o_t$", ha="right", color=o_col)
    kit.op(out_x, out_y, r"$\times$")
    kit.text(out_x + 0.15, 5.45, "$c_t$", ha="left", fontsize=10)
    kit.wire((out_x + r, out_y), (split_x, out_y), arrow=False)
    kit.dot(split_x, out_y)
    # Up, to the next layer or the output, passing under the cell state (a gap marks that).
    kit.wire((split_x, out_y), (split_x, top - _GAP), arrow=False)
    kit.wire((split_x, top + _GAP), (split_x, 7.65))
    kit.wire((split_x, out_y), (split_x, bus), (12.4, bus))  # right: to the next time step
    kit.text(split_x, 7.9, "$h_t$", fontsize=13)
    kit.text(12.55, bus, "$h_t$", ha="left", fontsize=13)

    # The equations, exactly as drawn.
    kit.text(
        5.7,
        -1.45,
        r"$c_t = f_t \odot c_{t-1} + i_t \odot g_t$"
        "   (no squashing)          "
        r"$h_t = o_t \odot \tanh(c_t)$",
        fontsize=11,
    )
    kit.text(
        5.7,
        -2.05,
        r"coloured boxes: layers with weights, $\sigma(x_t W + h_{t-1} U + b)$ or "
        r"$\tanh(\ldots)$;  white: element-wise operations",
        fontsize=8.5,
        color="#444444",
    )
    return _finish_diagram(ax, title, (-2.0, 13.4), (-2.4, 8.3))


_GRU_CONVENTIONS = ("keras", "swapped")


def draw_gru_cell(
    *, ax: Axes | None = None, title: str | None = None, convention: str = "keras"
) -> Axes:
    r"""Draw one GRU (gated recurrent unit) cell: reset gate, update gate, candidate, mix.

    The hidden state runs across the top from ``h_{t-1}`` to ``h_t``. Below it, ``h_{t-1}``
    and ``x_t`` feed the reset gate ``r`` and the update gate ``z`` (sigmoids, values in 0..1).
    The reset gate scales the old state before it enters the candidate,
    ``h~_t = tanh(x_t W + (r_t ⊙ h_{t-1}) U + b)``, and the update gate mixes old and new::

        convention="keras"    h_t = z_t ⊙ h_{t-1} + (1 - z_t) ⊙ h~_t    (z = 1 keeps the past)
        convention="swapped"  h_t = (1 - z_t) ⊙ h_{t-1} + z_t ⊙ h~_t    (z = 1 takes the new)

    Keras (``keras.layers.GRU``) uses the first; some other texts, for example Chung et al.
    (2014), use the second. The two are the same model with ``z`` renamed ``1 - z``; the
    diagram changes only where the ``1 -`` box sits and how the two branches are labelled,
    so the chapter can show both. The drawing shows the reset gate applied *before* the
    recurrent weights, as in Cho et al. (2014) and Keras's ``reset_after=False``; Keras's
    default ``reset_after=True`` applies it after them, ``r_t ⊙ (h_{t-1} U + b_U)``, which
    changes the inside of the candidate box, not the picture. The equations are written under
    the drawing. Coloured boxes are layers with weights; white circles and boxes are
    element-wise operations without weights.

    Args:
        ax: an Axes to draw on, or None for a new figure (about 10 x 7 inches).
        title: optional title.
        convention: ``"keras"`` (the default) or ``"swapped"``, see above.

    Returns:
        The Axes. Its texts include the gate labels ``"r (reset)"``, ``"z (update)"``,
        ``"$\tilde{h}$ (candidate)"`` and the labels ``"$x_t$"``, ``"$h_{t-1}$"``, ``"$h_t$"``.
        The two branch labels have the gids ``"gru-branch-past"`` (the weight of
        ``h_{t-1}``) and ``"gru-branch-candidate"`` (the weight of ``h~_t``): ``"$z_t$"`` and
        ``"$1 - z_t$"`` in the Keras convention, the other way round when swapped.

    Raises:
        TypeError: if ``ax`` is not a Matplotlib Axes, or ``title`` or ``convention`` is not a
            string.
        ValueError: if ``convention`` is neither ``"keras"`` nor ``"swapped"``.

    Introduced in: notebooks/05_gru.ipynb

    Examples:
        >>> ax = draw_gru_cell(convention="swapped")
        >>> [t.get_text() for t in ax.texts if t.get_gid() == "gru-branch-past"]
        ['$1 - z_t$']
    """
    use_book_style()
    if not isinstance(convention, str):
        raise TypeError(
            f"convention must be the string 'keras' or 'swapped', got {type(convention).__name__}"
        )
    if convention not in _GRU_CONVENTIONS:
        raise ValueError(
            f"convention must be 'keras' (h_t = z*h_{{t-1}} + (1-z)*h~_t, as keras.layers.GRU) "
            f"or 'swapped' (h_t = (1-z)*h_{{t-1}} + z*h~_t), got {convention!r}"
        )
    ax = _diagram_axes(ax, title, (10.0, 6.6))
    kit = _Schematic(ax)
    ink = OKABE_ITO[7]
    r_col, z_col, h_col = OKABE_ITO[3], OKABE_ITO[2], OKABE_ITO[0]
    rad = 0.28  # radius of the element-wise circles
    top, bus, x_line, gates = 6.75, 1.25, 0.75, 2.6  # heights of the main lines and the gates
    half = 0.45  # half the height of a gate box
    h_down = 0.7  # where h_{t-1} comes down to the gates
    rx, zx, hx = 2.6, 4.8, 9.0  # reset gate, update gate, candidate
    reset_y = 4.1  # r ⊙ h_{t-1}
    fork_y = 4.95  # where the update gate's signal splits
    turn_x = 7.55  # where r ⊙ h_{t-1} turns down to the candidate
    split_x = 10.6  # where h_t splits: right (next step) and up (next layer)
    keras = convention == "keras"

    kit.cell(0.2, 0.3, 11.3, 7.55)

    # The hidden state: h_{t-1} -> ⊗ (keep part of the past) -> ⊕ (add part of the new) -> h_t.
    kit.state_line(top, zx, hx, rad, ("$h_{t-1}$", "$h_t$"), ink)
    kit.dot(split_x, top, colour=ink)
    kit.wire((split_x, top), (split_x, 8.3))
    kit.text(split_x, 8.55, "$h_t$", fontsize=13)

    # The inputs: h_{t-1} comes down and joins x_t on the bus into the two gates; x_t alone
    # also runs along the bottom into the candidate.
    kit.dot(h_down, top, colour=ink)
    kit.wire((h_down, top), (h_down, bus), (zx, bus), arrow=False)
    kit.wire((1.3, -0.45), (1.3, bus), arrow=False)
    kit.dot(1.3, bus)
    kit.dot(1.3, x_line)
    kit.wire((1.3, x_line), (hx, x_line), (hx, gates - half))
    kit.text(1.3, -0.7, "$x_t$", fontsize=13)
    kit.text(
        rx + 0.15, bus + 0.1, "$[h_{t-1}, x_t]$", ha="left", va="bottom", fontsize=9, color=_WIRE
    )
    kit.text(6.4, x_line + 0.1, "$x_t$", va="bottom", fontsize=10, color=_WIRE)
    for x in (rx, zx):
        kit.wire((x, bus), (x, gates - half))
    kit.dot(rx, bus)

    kit.layer(rx, gates, r"$\sigma$", "r (reset)", r_col)
    kit.layer(zx, gates, r"$\sigma$", "z (update)", z_col)
    kit.layer(hx, gates, r"$\tanh$", r"$\tilde{h}$ (candidate)", h_col)

    # Reset: r_t ⊙ h_{t-1} enters the candidate (passing under the update gate's wire).
    kit.dot(h_down, reset_y)
    kit.wire((h_down, reset_y), (rx - rad, reset_y))
    kit.wire((rx, gates + half), (rx, reset_y - rad), colour=r_col)
    kit.text(rx - 0.12, 3.5, "$r_t$", ha="right", color=r_col)
    kit.op(rx, reset_y, r"$\times$")
    kit.wire((rx + rad, reset_y), (turn_x, reset_y), (turn_x, gates), (hx - 0.85 - 0.06, gates))
    kit.text(
        (zx + turn_x) / 2 + 0.1,
        reset_y + 0.1,
        r"$r_t \odot h_{t-1}$",
        va="bottom",
        fontsize=10,
    )

    # Update: z_t goes up to the past's ⊗ and across to the candidate's ⊗; "1 -" sits on the
    # branch that carries 1 - z_t.
    kit.wire((zx, gates + half), (zx, reset_y - _GAP), arrow=False, colour=z_col)
    kit.wire((zx, reset_y + _GAP), (zx, fork_y), arrow=False, colour=z_col)
    kit.dot(zx, fork_y, colour=z_col)
    kit.wire((zx, fork_y), (zx, top - rad), colour=z_col)
    kit.wire((zx, fork_y), (hx - rad, fork_y), colour=z_col)
    kit.text(zx - 0.12, 3.5, "$z_t$", ha="right", color=z_col)
    if keras:
        kit.op_box((zx + hx) / 2, fork_y, "$1 -$", width=0.7)
    else:
        kit.op_box(zx, (fork_y + top - rad) / 2, "$1 -$", width=0.7)
    past, candidate = ("$z_t$", "$1 - z_t$") if keras else ("$1 - z_t$", "$z_t$")
    kit.text(zx + 0.15, top - rad - 0.3, past, ha="left", color=z_col, gid="gru-branch-past")
    kit.text(
        hx - 0.4,
        fork_y + 0.1,
        candidate,
        ha="right",
        va="bottom",
        color=z_col,
        gid="gru-branch-candidate",
    )

    # The candidate, weighted, is added to the weighted past.
    kit.op(hx, fork_y, r"$\times$")
    kit.wire((hx, gates + half), (hx, fork_y - rad), colour=h_col)
    kit.text(hx + 0.12, 3.85, r"$\tilde{h}_t$", ha="left", color=h_col)
    kit.wire((hx, fork_y + rad), (hx, top - rad))

    if keras:
        mix = r"$h_t = z_t \odot h_{t-1} + (1 - z_t) \odot \tilde{h}_t$"
        note = "Keras: $z = 1$ keeps the past"
    else:
        mix = r"$h_t = (1 - z_t) \odot h_{t-1} + z_t \odot \tilde{h}_t$"
        note = "swapped (other texts): $z = 1$ takes the candidate"
    candidate_eq = r"$\tilde{h}_t = \tanh(x_t W + (r_t \odot h_{t-1})\,U + b)$"
    kit.text(5.7, -1.45, f"{mix}   ({note})", fontsize=11, gid="gru-equation")
    kit.text(
        5.7,
        -2.05,
        f"{candidate_eq};  coloured boxes: layers with weights;  white: element-wise operations",
        fontsize=8.5,
        color="#444444",
    )
    return _finish_diagram(ax, title, (-2.0, 13.4), (-2.4, 8.95))
