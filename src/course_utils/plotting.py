"""One figure style for the whole book, able to draw Korean text (chapter 0).

Every plotting helper in the course calls :func:`use_book_style` first, so figures in every
chapter share one look: the same size, font sizes, light grid, a colour-blind-safe colour cycle
(Okabe & Ito) and a font that has Hangul glyphs, so that Korean titles, labels and legends such as
"나는 무지 배가 고프다" render instead of empty boxes.

The Korean font is NanumGothic, shipped as ``.ttf`` files inside the PyPI package
``koreanize-matplotlib``. We only *register* those files with Matplotlib; we never import
``koreanize_matplotlib`` itself, because importing it changes global settings as a side effect
and emits a ``DeprecationWarning``.

Introduced in: notebooks/00_data_and_tools.ipynb
"""

from __future__ import annotations

import importlib.util
import math
import warnings
from collections.abc import Mapping, Sequence
from functools import lru_cache
from numbers import Integral, Real
from pathlib import Path
from typing import Any

import matplotlib as mpl
import numpy as np
from cycler import cycler
from matplotlib import font_manager, ft2font
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator

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

#: The Okabe-Ito palette (Okabe & Ito, 2008), distinguishable with the common forms of colour
#: blindness. Yellow comes late because it is hard to see on white; black comes last.
OKABE_ITO: tuple[str, ...] = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#D55E00",  # vermillion
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#F0E442",  # yellow
    "#000000",  # black
)

# Fonts with Hangul glyphs that are commonly installed, tried in this order when the
# koreanize-matplotlib package is missing.
_HANGUL_FALLBACKS: tuple[str, ...] = (
    "NanumGothic",
    "NanumBarunGothic",
    "Noto Sans CJK KR",
    "Noto Sans KR",
    "Source Han Sans KR",
    "Malgun Gothic",
    "AppleGothic",
    "Apple SD Gothic Neo",
    "UnDotum",
    "Baekmuk Gulim",
)
_HANGUL_PROBES = (0xAC00, 0xD55C)  # "가", "한": a font without them cannot draw Korean
_LATIN_FALLBACK = "DejaVu Sans"  # ships with Matplotlib, so always present
_INSTALL_HINT = "pip install koreanize-matplotlib"

_BASE_RC: dict[str, Any] = {
    "figure.figsize": (6.4, 4.0),
    "figure.dpi": 110,
    "savefig.dpi": 150,
    "savefig.bbox": "tight",
    "font.size": 11,
    "axes.titlesize": 12,
    "axes.labelsize": 11,
    "xtick.labelsize": 10,
    "ytick.labelsize": 10,
    "legend.fontsize": 10,
    "legend.frameon": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "grid.linewidth": 0.8,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": cycler(color=list(OKABE_ITO)),
    "lines.linewidth": 1.8,
    "axes.unicode_minus": False,  # Korean fonts often lack U+2212; use the ASCII hyphen-minus
}


# --------------------------------------------------------------------------------------------
# Fonts and style
# --------------------------------------------------------------------------------------------


def _koreanize_font_dir() -> Path | None:
    """The ``fonts/`` folder of the installed koreanize-matplotlib package, or ``None``."""
    try:
        spec = importlib.util.find_spec("koreanize_matplotlib")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        folder = Path(location) / "fonts"
        if folder.is_dir() and any(folder.glob("*.ttf")):
            return folder
    return None


def _has_hangul(font_path: str) -> bool:
    """Whether the font file has glyphs for Hangul syllables."""
    try:
        charmap = ft2font.FT2Font(font_path).get_charmap()
    except (OSError, RuntimeError, ValueError):
        return False
    return all(code in charmap for code in _HANGUL_PROBES)


@lru_cache(maxsize=1)
def _find_korean_font() -> str | None:
    """Register a Korean font with Matplotlib once and return its family name."""
    registered = {entry.fname for entry in font_manager.fontManager.ttflist}
    folder = _koreanize_font_dir()
    if folder is not None:
        names = []
        for path in sorted(folder.glob("*.ttf")):
            if str(path) not in registered:
                font_manager.fontManager.addfont(str(path))
            names.append(font_manager.FontProperties(fname=str(path)).get_name())
        if "NanumGothic" in names:
            return "NanumGothic"
        if names:
            return names[0]

    by_name: dict[str, list[str]] = {}
    for entry in font_manager.fontManager.ttflist:
        by_name.setdefault(entry.name, []).append(entry.fname)
    for name in _HANGUL_FALLBACKS:
        if any(_has_hangul(path) for path in by_name.get(name, [])):
            return name

    warnings.warn(
        "No font with Korean (Hangul) glyphs was found, so Korean text in figures will show as "
        f"empty boxes. Install one with `{_INSTALL_HINT}` and restart the kernel.",
        UserWarning,
        stacklevel=3,
    )
    return None


def korean_font_name() -> str | None:
    """Return the family name of the font the book uses for Korean text.

    The font is registered with Matplotlib on the first call. It is ``"NanumGothic"`` when the
    ``koreanize-matplotlib`` package is installed; otherwise the first installed font from a short
    list of common Korean fonts (for example ``"Noto Sans CJK KR"``); ``None`` if there is none,
    in which case one ``UserWarning`` says how to install one.

    Introduced in: notebooks/00_data_and_tools.ipynb

    Examples
    --------
    >>> korean_font_name()  # doctest: +SKIP
    'NanumGothic'
    """
    return _find_korean_font()


def _book_rc() -> dict[str, Any]:
    """The full rcParams of the book style, including the font settings."""
    rc = dict(_BASE_RC)
    korean = _find_korean_font()
    defaults = [name for name in mpl.rcParamsDefault["font.sans-serif"] if name != korean]
    front = [korean] if korean else []
    rc["font.sans-serif"] = [*front, _LATIN_FALLBACK, *defaults]
    # DejaVu Sans first, then the generic family (which resolves to the Korean font): Latin text,
    # digits and maths use DejaVu Sans, and Matplotlib falls back glyph by glyph to the Korean
    # font for Hangul. The order matters for maths: mathtext's \mathdefault (log-axis tick
    # labels such as 10^-3) uses the first family and cannot fall back, and the Korean font has
    # no U+2212 minus sign.
    rc["font.family"] = [_LATIN_FALLBACK, "sans-serif"]
    return rc


def _style_in_effect(rc: Mapping[str, Any]) -> bool:
    """Whether the rcParams still hold the book style's fingerprint (the font settings)."""
    current = mpl.rcParams
    return (
        list(current["font.family"]) == list(rc["font.family"])
        and list(current["font.sans-serif"][:2]) == list(rc["font.sans-serif"][:2])
        and current["axes.unicode_minus"] is False
    )


_applied = False


def use_book_style(*, force: bool = False) -> None:
    """Apply the book's figure style to Matplotlib's global settings.

    Sets a figure size of 6.4 x 4 inches, 110 dpi inline and 150 dpi when saving, readable font
    sizes, a light grid, no top and right spines, the colour-blind-safe Okabe-Ito colour cycle
    (:data:`OKABE_ITO`), ASCII minus signs, and fonts that cover both scripts: DejaVu Sans for
    Latin text, digits and maths, with a Korean-capable font (see :func:`korean_font_name`) for
    every Hangul glyph.

    The function is idempotent and cheap after the first call: it applies the style once and
    later only re-applies it if the font settings were reset (for example by
    ``matplotlib.rcdefaults()``), so your own later tweaks of other settings are kept. Every
    plotting helper in :mod:`course_utils.plotting` calls it.

    Parameters
    ----------
    force:
        Apply every setting again, even if the style is already in effect.

    Introduced in: notebooks/00_data_and_tools.ipynb

    Examples
    --------
    >>> use_book_style()
    >>> import matplotlib
    >>> matplotlib.rcParams["axes.unicode_minus"]
    False
    """
    global _applied
    check_bool(force, "force", numpy=False, got="type")
    rc = _book_rc()
    if force or not _applied or not _style_in_effect(rc):
        mpl.rcParams.update(rc)
        _applied = True


# --------------------------------------------------------------------------------------------
# Input validation shared by the plotting helpers
# --------------------------------------------------------------------------------------------


def _check_ax(ax: Any) -> Axes:
    """Return ``ax``, or a new Axes on a new figure when it is ``None``."""
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots()
        return ax
    if not isinstance(ax, Axes):
        raise TypeError(
            f"ax must be a matplotlib Axes (e.g. from plt.subplots()) or None, "
            f"got {type(ax).__name__}"
        )
    return ax


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
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

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
        ax.add_patch(
            FancyBboxPatch(
                (x - 0.42, y - 0.3),
                0.84,
                0.6,
                boxstyle="round,pad=0.04",
                facecolor=colour,
                edgecolor="none",
                alpha=0.9,
            )
        )
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
# Gated cells: LSTM and GRU diagrams, gate heatmaps
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
        from matplotlib.patches import FancyBboxPatch

        width, height = 1.7, 0.9
        self.ax.add_patch(
            FancyBboxPatch(
                (x - width / 2, y - height / 2),
                width,
                height,
                boxstyle="round,pad=0.04",
                facecolor=colour,
                edgecolor="none",
                zorder=3,
            )
        )
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
        from matplotlib.patches import FancyBboxPatch

        height = 0.42
        self.ax.add_patch(
            FancyBboxPatch(
                (x - width / 2, y - height / 2),
                width,
                height,
                boxstyle="round,pad=0.03",
                facecolor="white",
                edgecolor=_WIRE,
                linewidth=1.3,
                zorder=3,
            )
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
