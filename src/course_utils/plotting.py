"""Plots of data (chapter 0): training curves, corpus statistics, embeddings, gate heatmaps.

Every helper here applies the book's figure style first (:func:`use_book_style`, from
:mod:`course_utils.figure_style`), so Korean titles, labels and legends render. The module also
re-exports the style's public names and the diagrams of :mod:`course_utils.diagrams`, so that
``from course_utils.plotting import ...`` keeps working for all of them.

Introduced in: notebooks/00_data_and_tools.ipynb
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from numbers import Integral, Real
from typing import Any

import matplotlib as mpl
import numpy as np
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator

from course_utils.diagrams import draw_gru_cell, draw_lstm_cell, draw_unrolled_rnn
from course_utils.figure_style import OKABE_ITO, _check_ax, korean_font_name, use_book_style
from course_utils.validation import check_bool, check_optional_str, is_sequence

__all__ = [
    "OKABE_ITO",
    "draw_gru_cell",
    "draw_lstm_cell",
    "draw_unrolled_rnn",
    "korean_font_name",
    "plot_embedding_map",
    "plot_gate_heatmap",
    "plot_history",
    "plot_length_histograms",
    "plot_rank_frequency",
    "use_book_style",
]


# --------------------------------------------------------------------------------------------
# Input validation shared by the plotting helpers
# --------------------------------------------------------------------------------------------


def _sequence_items(
    values: Any, what: str, kind: type, noun: str, *, nonnegative: bool = False
) -> list[Any]:
    """The items of a 1-D sequence, each a ``kind`` (never a bool), or raise naming ``what``."""
    if not is_sequence(values):
        raise TypeError(
            f"{what} must be a list or 1-D array of {noun}, got {type(values).__name__}"
        )
    items = list(values)
    for item in items:
        if isinstance(item, bool) or not isinstance(item, kind):
            raise TypeError(f"{what} must contain only {noun}, found {item!r}")
        if nonnegative and item < 0:
            raise ValueError(f"{what} must not contain negative numbers, found {item}")
    return items


def _as_numbers(values: Any, what: str) -> np.ndarray:
    """Validate a 1-D sequence of real numbers and return it as a float array."""
    return np.asarray(_sequence_items(values, what, Real, "numbers"), dtype=float)


def _as_counts(values: Any, what: str) -> np.ndarray:
    """Validate a 1-D sequence of non-negative integers and return it as an int array."""
    items = _sequence_items(values, what, Integral, "integers", nonnegative=True)
    return np.asarray(items, dtype=np.int64)


def _check_named_mapping(value: Any, what: str, example: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise TypeError(
            f"{what} must be a mapping from corpus name to data, e.g. {example}, "
            f"got {type(value).__name__}"
        )
    if not value:
        raise ValueError(f"{what} is empty: give at least one corpus, e.g. {example}")
    for name in value:
        if not isinstance(name, str):
            raise TypeError(f"corpus names in {what} must be strings, got {name!r}")
    return value


# --------------------------------------------------------------------------------------------
# Training curves
# --------------------------------------------------------------------------------------------


def _history_dict(history: Any) -> Mapping[str, Any]:
    """The ``{metric: values}`` mapping of a Keras ``History`` or of a plain mapping."""
    if isinstance(history, Mapping):
        logs = history
    elif isinstance(getattr(history, "history", None), Mapping):
        logs = history.history
    else:
        raise TypeError(
            "history must be a Keras History (the result of model.fit) or a dict such as "
            f"{{'loss': [...], 'val_loss': [...]}}, got {type(history).__name__}"
        )
    if not logs:
        raise ValueError(
            "history is empty: it has no metrics. Did model.fit run for at least one epoch?"
        )
    return logs


def plot_history(
    history: Any,
    metrics: str | Sequence[str] = ("loss",),
    *,
    ax: Axes | None = None,
    title: str | None = None,
) -> Axes:
    """Plot training curves: each metric per epoch, and its validation curve when present.

    For every metric ``m`` the training values ``history["m"]`` are drawn as a solid line and,
    if the history has ``"val_m"``, the validation values as a dashed line of the same colour.
    Epochs are numbered from 1, as Keras prints them.

    Parameters
    ----------
    history:
        The ``History`` returned by ``model.fit`` (anything with a ``.history`` dict) or a plain
        dict of lists, e.g. ``{"loss": [2.1, 1.7], "val_loss": [2.0, 1.8]}``.
    metrics:
        One metric name or several, as keys of the history (``"loss"``, ``"accuracy"``, ...).
    ax:
        Axes to draw on; a new figure is made when ``None``.
    title:
        Optional title.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes with the curves, labelled axes and a legend.

    Raises
    ------
    TypeError
        If ``history`` is neither a ``History`` nor a mapping, or an argument has the wrong type.
    ValueError
        If the history is empty, a metric is unknown (the message lists the available ones) or
        has no values.

    Introduced in: notebooks/00_data_and_tools.ipynb

    Examples
    --------
    >>> ax = plot_history({"loss": [2.0, 1.5, 1.2], "val_loss": [2.1, 1.7, 1.6]})
    >>> [line.get_label() for line in ax.get_lines()]
    ['loss (train)', 'loss (validation)']
    """
    use_book_style()
    logs = _history_dict(history)
    if isinstance(metrics, str):
        metrics = (metrics,)
    if not is_sequence(metrics):
        raise TypeError(
            f"metrics must be a metric name or a list of names, got {type(metrics).__name__}"
        )
    metrics = list(metrics)
    if not metrics:
        raise ValueError("metrics is empty: name at least one metric, e.g. ('loss',)")
    available = ", ".join(repr(key) for key in sorted(logs))
    for metric in metrics:
        if not isinstance(metric, str):
            raise TypeError(f"metric names must be strings, got {metric!r}")
        if metric not in logs:
            raise ValueError(f"unknown metric {metric!r}; this history has: {available}")
    title = check_optional_str(title, "title")
    ax = _check_ax(ax)

    colours = [entry["color"] for entry in mpl.rcParams["axes.prop_cycle"]]
    for index, metric in enumerate(metrics):
        colour = colours[index % len(colours)]
        curves = [(metric, "train", "-")]
        if f"val_{metric}" in logs:
            curves.append((f"val_{metric}", "validation", "--"))
        for key, split, style in curves:
            values = _as_numbers(logs[key], f"history[{key!r}]")
            if values.size == 0:
                raise ValueError(f"history[{key!r}] has no values: nothing to plot")
            epochs = np.arange(1, values.size + 1)
            marker = "o" if values.size <= 30 else None
            ax.plot(
                epochs,
                values,
                linestyle=style,
                marker=marker,
                markersize=3.5,
                color=colour,
                label=f"{metric} ({split})",
            )

    ax.set_xlabel("epoch")
    ax.set_ylabel(metrics[0] if len(metrics) == 1 else "value")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    if title is not None:
        ax.set_title(title)
    ax.legend()
    return ax


# --------------------------------------------------------------------------------------------
# Corpus statistics
# --------------------------------------------------------------------------------------------


def _integer_bin_edges(low: int, high: int, max_bins: int = 60) -> np.ndarray:
    """Bin edges at half-integers so that each bin holds whole lengths, at most ``max_bins``."""
    width = max(1, math.ceil((high - low + 1) / max_bins))
    return np.arange(low - 0.5, high + width + 0.5, width, dtype=float)


def plot_length_histograms(
    lengths: Mapping[str, Sequence[int]],
    *,
    ax: Axes | None = None,
    unit: str = "tokens",
    bins: int | Sequence[float] | None = None,
    density: bool = False,
    title: str | None = None,
) -> Axes:
    """Overlay the sentence-length distributions of several corpora as step histograms.

    All corpora share the same bins so their shapes can be compared directly. By default the
    bins are aligned to whole numbers (each bin holds complete lengths), at most 60 of them.

    Parameters
    ----------
    lengths:
        Corpus name to the length of each of its sentences, e.g.
        ``{"hungry": [4, 5, 4], "헌법 (kolaw)": [12, 30], "Shakespeare": [9, 11]}``.
        Korean names render correctly.
    ax:
        Axes to draw on; a new figure is made when ``None``.
    unit:
        What a length counts, shown in the x label: ``"tokens"``, ``"characters"``, ...
    bins:
        ``None`` for whole-number bins, a number of equal-width bins, or the bin edges.
    density:
        If True, each corpus's bar heights are the share of *its* sentences in the bin (they sum
        to 1 per corpus), so corpora of very different sizes can be compared; otherwise counts.
    title:
        Optional title.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes with one step outline (patch) per corpus, labelled axes and a legend.

    Raises
    ------
    TypeError
        If ``lengths`` is not a mapping of names to integer sequences, or an argument has the
        wrong type.
    ValueError
        If there is no corpus, a corpus has no sentences, a length is negative, or ``bins``
        is invalid.

    Introduced in: notebooks/00_data_and_tools.ipynb

    Examples
    --------
    >>> ax = plot_length_histograms({"hungry": [4, 5, 5, 6], "Shakespeare": [3, 8, 12]})
    >>> len(ax.patches)
    2
    """
    use_book_style()
    example = "{'hungry': [4, 5, 4], 'Shakespeare': [9, 11]}"
    lengths = _check_named_mapping(lengths, "lengths", example)
    if not isinstance(unit, str) or not unit.strip():
        raise TypeError(f"unit must be a non-empty string such as 'tokens', got {unit!r}")
    check_bool(density, "density", numpy=False, got="type")
    title = check_optional_str(title, "title")

    data: dict[str, np.ndarray] = {}
    for name, values in lengths.items():
        array = _as_counts(values, f"lengths[{name!r}]")
        if array.size == 0:
            raise ValueError(f"lengths[{name!r}] is empty: a corpus needs at least one sentence")
        data[name] = array
    everything = np.concatenate(list(data.values()))

    if bins is None:
        edges = _integer_bin_edges(int(everything.min()), int(everything.max()))
    elif isinstance(bins, bool):
        raise TypeError("bins must be None, a number of bins or a list of bin edges, got a bool")
    elif isinstance(bins, Integral):
        if bins < 1:
            raise ValueError(f"bins must be at least 1, got {bins}")
        edges = np.histogram_bin_edges(everything, bins=int(bins))
    elif is_sequence(bins):
        edges = _as_numbers(bins, "bins")
        if edges.size < 2 or np.any(np.diff(edges) <= 0):
            raise ValueError("bin edges must be at least two strictly increasing numbers")
    else:
        raise TypeError(
            f"bins must be None, a number of bins or a list of bin edges, got {type(bins).__name__}"
        )

    ax = _check_ax(ax)
    for name, array in data.items():
        weights = np.full(array.size, 1.0 / array.size) if density else None
        ax.hist(
            array,
            bins=edges,
            weights=weights,
            histtype="step",
            linewidth=1.8,
            label=f"{name} (n={array.size:,})",
        )
    ax.set_xlabel(f"sentence length ({unit})")
    ax.set_ylabel("share of sentences" if density else "number of sentences")
    if title is not None:
        ax.set_title(title)
    ax.legend()
    return ax


def _frequencies(counts: Any, name: str) -> np.ndarray:
    """Counts of one corpus, positive ones only, sorted from most to least frequent."""
    if isinstance(counts, Mapping):
        for token in counts:
            if not isinstance(token, str):
                raise TypeError(f"counts[{name!r}] must map tokens (strings) to counts")
        values = _as_counts(list(counts.values()), f"counts[{name!r}]")
    elif is_sequence(counts):
        values = _as_counts(counts, f"counts[{name!r}]")
    else:
        raise TypeError(
            f"counts[{name!r}] must be a mapping token -> count (e.g. a Counter) or a list of "
            f"counts, got {type(counts).__name__}"
        )
    values = np.sort(values[values > 0])[::-1]
    if values.size == 0:
        raise ValueError(f"counts[{name!r}] has no positive counts: nothing to plot")
    return values


def plot_rank_frequency(
    counts: Mapping[str, Mapping[str, int]] | Mapping[str, Sequence[int]],
    *,
    ax: Axes | None = None,
    relative: bool = False,
    zipf_line: bool = False,
    title: str | None = None,
) -> Axes:
    """Plot Zipf rank-frequency curves on log-log axes, one line per corpus.

    Each corpus's token counts are sorted from the most frequent (rank 1) down; Zipf's law says
    frequency is roughly proportional to 1 / rank, a straight line of slope -1 here.

    Parameters
    ----------
    counts:
        Corpus name to its counts: either a mapping token -> count (a ``collections.Counter``
        works) or a plain list of counts in any order. Zero counts are ignored.
    ax:
        Axes to draw on; a new figure is made when ``None``.
    relative:
        If True, divide each corpus's counts by its number of tokens, so that corpora of
        different sizes line up.
    zipf_line:
        If True, add a grey dashed reference line ``f(1) / rank`` through the first corpus's
        most frequent token.
    title:
        Optional title.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes with one line per corpus (plus the reference line if asked), log-scaled,
        labelled axes and a legend.

    Raises
    ------
    TypeError
        If ``counts`` is not a mapping of names to counts (a single ``Counter`` must be
        wrapped: ``{"name": counter}``), or an argument has the wrong type.
    ValueError
        If there is no corpus, or a corpus has no positive counts or a negative one.

    Introduced in: notebooks/00_data_and_tools.ipynb

    Examples
    --------
    >>> from collections import Counter
    >>> ax = plot_rank_frequency({"hungry": Counter("나는 매우 배가 고프다 나는".split())})
    >>> ax.get_xscale(), ax.get_yscale()
    ('log', 'log')
    """
    use_book_style()
    example = "{'Shakespeare': Counter(tokens)}"
    if (
        isinstance(counts, Mapping)
        and counts
        and all(isinstance(value, Integral) for value in counts.values())
    ):
        raise TypeError(
            "counts looks like the counts of a single corpus; wrap it with a name, "
            "e.g. plot_rank_frequency({'my corpus': counts})"
        )
    counts = _check_named_mapping(counts, "counts", example)
    for flag, flag_name in ((relative, "relative"), (zipf_line, "zipf_line")):
        check_bool(flag, flag_name, numpy=False, got="type")
    title = check_optional_str(title, "title")

    series = {name: _frequencies(values, name) for name, values in counts.items()}
    ax = _check_ax(ax)
    for name, values in series.items():
        heights = values / values.sum() if relative else values
        ranks = np.arange(1, values.size + 1)
        ax.plot(ranks, heights, label=f"{name} ({values.size:,} types)")
    if zipf_line:
        first = next(iter(series.values()))
        top = first[0] / first.sum() if relative else first[0]
        longest = max(values.size for values in series.values())
        ranks = np.geomspace(1, max(longest, 2), 50)
        ax.plot(ranks, top / ranks, linestyle="--", color="0.5", label="Zipf: f ∝ 1 / rank")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("rank (1 = most frequent)")
    ax.set_ylabel("relative frequency" if relative else "frequency (count)")
    if title is not None:
        ax.set_title(title)
    ax.legend()
    return ax


def _spatial_clusters(points: np.ndarray, radius: float) -> list[list[int]]:
    """Single-linkage groups of points closer than ``radius`` (a few dozen points at most)."""
    n = len(points)
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(n):
        for j in range(i + 1, n):
            if np.hypot(*(points[i] - points[j])) < radius:
                parent[find(i)] = find(j)
    groups: dict[int, list[int]] = {}
    for i in range(n):
        groups.setdefault(find(i), []).append(i)
    return sorted(groups.values(), key=lambda g: min(g))


def plot_embedding_map(
    coords: Any,
    words: Sequence[str],
    classes: Mapping[str, Sequence[str]],
    *,
    ax: Axes | None = None,
    title: str | None = None,
    words_per_line: int = 4,
) -> Axes:
    """Scatter 2-D word vectors coloured by class, with readable labels for tight clusters.

    Words that lie close together (as synonyms do, which is the point of the figure) would print
    their labels on top of each other. Instead, nearby points are grouped, and each group gets
    one label block beside it: one line per class, in the class's colour, listing the words.
    Words in no class are drawn in grey under "other".

    Args:
        coords: array of shape (n, 2), e.g. from :func:`course_utils.embeddings.pca_2d`.
        words: the n words, in the order of the rows of ``coords``.
        classes: class name -> words of that class (words absent from ``words`` are ignored).
        ax: an Axes to draw on, or None for a new figure.
        title: optional title.
        words_per_line: how many words a label line holds before wrapping.

    Returns:
        The Axes.

    Introduced in: notebooks/02_word_embeddings.ipynb
    """
    use_book_style()
    points = np.asarray(coords, dtype=float)
    if points.ndim != 2 or points.shape[1] != 2:
        raise ValueError(f"coords must have shape (n, 2), got {points.shape}")
    if isinstance(words, str) or not is_sequence(words) or len(words) != len(points):
        raise ValueError(
            f"words must be a sequence of {len(points)} strings (one per row of coords)"
        )
    if not all(isinstance(w, str) for w in words):
        raise TypeError("words must contain only strings")
    if not isinstance(classes, Mapping) or not classes:
        raise TypeError("classes must be a non-empty mapping: class name -> list of words")
    if not isinstance(words_per_line, int) or words_per_line < 1:
        raise ValueError(f"words_per_line must be a positive int, got {words_per_line!r}")
    ax = _check_ax(ax)
    class_of = {w: name for name, members in classes.items() for w in members}
    names = list(classes) + (["other"] if any(w not in class_of for w in words) else [])
    palette = list(OKABE_ITO[:7]) + ["#999999"] * max(0, len(names) - 7)
    colour = dict(zip(names, palette, strict=False))
    colour["other"] = "#999999"
    labels = [class_of.get(w, "other") for w in words]
    for name in names:
        idx = [i for i, c in enumerate(labels) if c == name]
        if idx:
            ax.scatter(points[idx, 0], points[idx, 1], s=28, color=colour[name], label=name)
    span = float(np.ptp(points, axis=0).max()) or 1.0
    centre = points.mean(axis=0)
    radius = 0.1 * span
    # Group nearby words of the same class, then give groups of different classes that sit on
    # top of each other one shared label block (one line per class).
    units = []
    for name in names:
        idx = [i for i, c in enumerate(labels) if c == name]
        for sub in _spatial_clusters(points[idx], radius):
            members = [idx[k] for k in sub]
            units.append((points[members].mean(axis=0), name, members))
    blocks: list[list[tuple[np.ndarray, str, list[int]]]] = []
    for unit in units:
        for block in blocks:
            if np.hypot(*(block[0][0] - unit[0])) < radius:
                block.append(unit)
                break
        else:
            blocks.append([unit])
    for block in blocks:
        middle = np.mean([u[0] for u in block], axis=0)
        lines: list[tuple[str, str]] = []
        for _, name, members in block:
            names_here = [words[i] for i in members]
            for start in range(0, len(names_here), words_per_line):
                lines.append((" ".join(names_here[start : start + words_per_line]), colour[name]))
        right = middle[0] >= centre[0]
        step = 11.0
        top = step * (len(lines) - 1) / 2
        for k, (line, col) in enumerate(lines):
            ax.annotate(
                line,
                xy=tuple(middle),
                xytext=(14 if right else -14, top - k * step),
                textcoords="offset points",
                ha="left" if right else "right",
                va="center",
                fontsize=8,
                color=col if col != OKABE_ITO[6] else "#8a7d00",  # darker yellow for text
                arrowprops={"arrowstyle": "-", "color": "#bbbbbb", "lw": 0.6} if k == 0 else None,
            )
    ax.margins(x=0.35, y=0.12)
    ax.set_xlabel("first principal component")
    ax.set_ylabel("second principal component")
    if title is not None:
        ax.set_title(check_optional_str(title, "title"))
    ax.legend(fontsize=8, loc="best")
    return ax


# --------------------------------------------------------------------------------------------
# Gate heatmaps
# --------------------------------------------------------------------------------------------


def _check_gate_values(values: Any) -> np.ndarray:
    """Validate a (time, units) array of numbers and return it as floats."""
    if isinstance(values, (str, bytes)) or isinstance(values, Mapping):
        raise TypeError(
            f"values must be a 2-D array of gate activations, shape (time, units), "
            f"got {type(values).__name__}"
        )
    try:
        array = np.asarray(values)
    except ValueError as error:  # ragged nested lists
        raise ValueError(
            f"values must be a rectangular 2-D array, shape (time, units): {error}"
        ) from None
    if array.dtype == bool or array.dtype.kind not in "iuf":
        raise TypeError(
            f"values must contain only real numbers (gate activations), got dtype {array.dtype}"
        )
    if array.ndim == 3 and array.shape[0] == 1:
        raise ValueError(
            f"values has shape {array.shape}, with a batch axis: pass one sequence, "
            "values[0], of shape (time, units)"
        )
    if array.ndim != 2:
        raise ValueError(
            f"values must be 2-D with shape (time, units), got {array.ndim}-D shape {array.shape}"
        )
    if array.shape[0] == 0 or array.shape[1] == 0:
        raise ValueError(f"values is empty (shape {array.shape}): need at least one step and unit")
    array = array.astype(float)
    if not np.all(np.isfinite(array)):
        raise ValueError("values must be finite: found NaN or infinity")
    return array


def _check_unit_order(unit_order: Any, units: int) -> np.ndarray:
    """Validate a permutation of range(units) and return it as an int array."""
    if isinstance(unit_order, np.ndarray) and unit_order.ndim != 1:
        raise TypeError(f"unit_order must be 1-D, got an array of shape {unit_order.shape}")
    if not is_sequence(unit_order):
        raise TypeError(
            "unit_order must be None or a list/1-D array of unit indices, e.g. "
            f"np.argsort(values.mean(axis=0)), got {type(unit_order).__name__}"
        )
    order = list(unit_order)
    for item in order:
        if isinstance(item, (bool, np.bool_)) or not isinstance(item, Integral):
            raise TypeError(f"unit_order must contain only integers (unit indices), found {item!r}")
    if sorted(int(i) for i in order) != list(range(units)):
        shown = ", ".join(str(int(i)) for i in order[:10]) + (", ..." if len(order) > 10 else "")
        raise ValueError(
            f"unit_order must be a permutation of 0..{units - 1} (each of the {units} units "
            f"exactly once), got {len(order)} indices: [{shown}]"
        )
    return np.asarray(order, dtype=np.int64)


def _label_width(labels: Sequence[str]) -> float:
    """Rough width in inches of the widest tick label (Hangul and other wide glyphs count 1 em)."""
    import unicodedata

    points = font_manager.FontProperties(size=mpl.rcParams["xtick.labelsize"]).get_size_in_points()
    ems = [
        sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.6 for ch in label)
        for label in labels
    ]
    return max(ems, default=0.0) * points / 72


def plot_gate_heatmap(
    values: Any,
    tokens: Sequence[str],
    *,
    ax: Axes | None = None,
    title: str | None = None,
    vmin: float = 0.0,
    vmax: float = 1.0,
    cmap: Any = "viridis",
    unit_order: Sequence[int] | None = None,
    colorbar: bool = True,
) -> Axes:
    """Show the activations of one gate over a sentence: units as rows, time steps as columns.

    ``values`` has the layout that the NumPy LSTM and GRU of :mod:`course_utils.rnn_numpy` and
    Keras return for one sequence: **(time, units)**, one row per token. The picture shows it
    transposed, so that time runs from left to right under the tokens: row ``u`` is unit ``u``
    (its index is the tick label on the left), column ``t`` is the step that read
    ``tokens[t]``. Sigmoid gates lie in 0..1, the default colour range; use ``vmin=-1`` for
    the tanh candidate or ``h_t``. Korean tokens render; the token labels are rotated when
    there are many or long ones.

    Args:
        values: gate activations, shape ``(time, units)``, e.g. ``gates["f"][0]`` for the
            first sequence of a batch. An array of shape ``(units, time)`` must be transposed
            first (``values.T``).
        tokens: the ``time`` tokens (strings) that were read, one per row of ``values``.
        ax: an Axes to draw on, or None for a new figure sized to the data.
        title: optional title.
        vmin, vmax: the activations mapped to the two ends of the colour map
            (``vmin < vmax``); values outside are clipped to the end colours.
        cmap: a Matplotlib colour-map name or ``Colormap``; the default ``"viridis"`` is
            perceptually uniform and readable in grey scale and with colour blindness.
        unit_order: optional permutation of the unit indices: row ``k`` shows unit
            ``unit_order[k]``. For example ``np.argsort(values.mean(axis=0))`` sorts units from
            the least to the most open gate on average. The tick labels keep the units' own
            indices.
        colorbar: add a colour bar labelled "activation".

    Returns:
        The Axes. ``ax.images[0]`` holds the ``(units, time)`` image (rows in ``unit_order``);
        the colour bar, when drawn, is ``ax.images[0].colorbar``.

    Raises:
        TypeError: if an argument has the wrong type (e.g. values that are not numbers, a
            token that is not a string, an unknown kind of ``cmap``).
        ValueError: if ``values`` is not 2-D, empty or not finite; if the number of tokens
            is not the number of time steps (rows of ``values``); if ``vmin >= vmax``; if
            ``unit_order`` is not a permutation of the units; if ``cmap`` is an unknown name.

    Introduced in: notebooks/04_lstm.ipynb

    Examples:
        >>> import numpy as np
        >>> gate = np.array([[0.9, 0.1, 0.5], [0.8, 0.2, 0.4]])  # 2 steps, 3 units
        >>> ax = plot_gate_heatmap(gate, ["나는", "배가"])
        >>> ax.images[0].get_array().shape
        (3, 2)
        >>> [label.get_text() for label in ax.get_xticklabels()]
        ['나는', '배가']
    """
    from matplotlib import colormaps
    from matplotlib.colors import Colormap

    use_book_style()
    array = _check_gate_values(values)
    steps, units = array.shape
    if isinstance(tokens, str) or not is_sequence(tokens):
        raise TypeError(
            f"tokens must be a list of {steps} strings (one per time step), "
            f"got {type(tokens).__name__}"
        )
    tokens = list(tokens)
    for token in tokens:
        if not isinstance(token, str):
            raise TypeError(f"tokens must contain only strings, found {token!r}")
    if len(tokens) != steps:
        hint = ""
        if len(tokens) == units:
            hint = (
                f"; values looks like (units, time) = {array.shape}: pass values.T, "
                "of shape (time, units)"
            )
        raise ValueError(
            f"got {len(tokens)} tokens for {steps} time steps: values must have shape "
            f"(time, units) with one row per token, got {array.shape}{hint}"
        )
    for bound, name in ((vmin, "vmin"), (vmax, "vmax")):
        if isinstance(bound, bool) or not isinstance(bound, Real):
            raise TypeError(f"{name} must be a number, got {type(bound).__name__}")
        if not math.isfinite(bound):
            raise ValueError(f"{name} must be finite, got {bound}")
    if not vmin < vmax:
        raise ValueError(f"vmin must be smaller than vmax, got vmin={vmin}, vmax={vmax}")
    if isinstance(cmap, str):
        if cmap not in colormaps:
            raise ValueError(
                f"unknown colour map {cmap!r}; use a Matplotlib name such as 'viridis', "
                "'magma' or 'cividis'"
            )
        colour_map = colormaps[cmap]
    elif isinstance(cmap, Colormap):
        colour_map = cmap
    else:
        raise TypeError(
            f"cmap must be a colour-map name or a matplotlib Colormap, got {type(cmap).__name__}"
        )
    order = np.arange(units) if unit_order is None else _check_unit_order(unit_order, units)
    check_bool(colorbar, "colorbar", numpy=False, got="type")
    title = check_optional_str(title, "title")
    if ax is None:
        import matplotlib.pyplot as plt

        width = min(16.0, max(5.0, 1.6 + 0.5 * steps))
        height = min(8.0, max(2.6, 1.5 + 0.18 * units))
        _, ax = plt.subplots(figsize=(width, height))
    ax = _check_ax(ax)

    image = ax.imshow(
        array.T[order],
        aspect="auto",
        cmap=colour_map,
        vmin=vmin,
        vmax=vmax,
        interpolation="nearest",
    )
    ax.grid(False)
    rows = range(units) if units <= 32 else range(0, units, math.ceil(units / 16))
    ax.set_yticks(list(rows))
    ax.set_yticklabels([str(int(order[row])) for row in rows])
    ax.set_xlabel("time step (token read)")
    ax.set_ylabel("unit" if unit_order is None else "unit (reordered)")
    if colorbar:
        ax.figure.colorbar(image, ax=ax, label="activation", fraction=0.05, pad=0.02)
    # Rotate the token labels when the widest one does not fit in its column.
    ax.set_xticks(range(steps))
    column = ax.get_position().width * ax.figure.get_figwidth() / steps  # inches
    if _label_width(tokens) <= 0.9 * column:
        ax.set_xticklabels(tokens)
    elif steps > 30:
        ax.set_xticklabels(tokens, rotation=90)
    else:
        ax.set_xticklabels(tokens, rotation=45, ha="right", rotation_mode="anchor")
    if title is not None:
        ax.set_title(title)
    return ax
