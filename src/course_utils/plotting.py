"""One figure style for the whole book, able to draw Korean text.

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

__all__ = [
    "OKABE_ITO",
    "draw_unrolled_rnn",
    "korean_font_name",
    "plot_embedding_map",
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
    if not isinstance(force, bool):
        raise TypeError(f"force must be True or False, got {type(force).__name__}")
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


def _check_optional_str(value: Any, name: str) -> str | None:
    if value is not None and not isinstance(value, str):
        raise TypeError(f"{name} must be a string or None, got {type(value).__name__}")
    return value


def _is_sequence(value: Any) -> bool:
    """A list, tuple, range or 1-D NumPy array, but not a string."""
    if isinstance(value, np.ndarray):
        return value.ndim == 1
    return isinstance(value, Sequence) and not isinstance(value, (str, bytes))


def _as_numbers(values: Any, what: str) -> np.ndarray:
    """Validate a 1-D sequence of real numbers and return it as a float array."""
    if not _is_sequence(values):
        raise TypeError(
            f"{what} must be a list or 1-D array of numbers, got {type(values).__name__}"
        )
    items = list(values)
    for item in items:
        if isinstance(item, bool) or not isinstance(item, Real):
            raise TypeError(f"{what} must contain only numbers, found {item!r}")
    return np.asarray(items, dtype=float)


def _as_counts(values: Any, what: str) -> np.ndarray:
    """Validate a 1-D sequence of non-negative integers and return it as an int array."""
    if not _is_sequence(values):
        raise TypeError(
            f"{what} must be a list or 1-D array of integers, got {type(values).__name__}"
        )
    items = list(values)
    for item in items:
        if isinstance(item, bool) or not isinstance(item, Integral):
            raise TypeError(f"{what} must contain only integers, found {item!r}")
        if item < 0:
            raise ValueError(f"{what} must not contain negative numbers, found {item}")
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
    if not _is_sequence(metrics):
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
    title = _check_optional_str(title, "title")
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
    if not isinstance(density, bool):
        raise TypeError(f"density must be True or False, got {type(density).__name__}")
    title = _check_optional_str(title, "title")

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
    elif _is_sequence(bins):
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
    elif _is_sequence(counts):
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
        if not isinstance(flag, bool):
            raise TypeError(f"{flag_name} must be True or False, got {type(flag).__name__}")
    title = _check_optional_str(title, "title")

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
    if isinstance(words, str) or not _is_sequence(words) or len(words) != len(points):
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
        ax.set_title(_check_optional_str(title, "title"))
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
    if isinstance(inputs, str) or not _is_sequence(inputs) or len(inputs) == 0:
        raise ValueError("inputs must be a non-empty list of token strings")
    if not all(isinstance(t, str) for t in inputs):
        raise TypeError("inputs must contain only strings")
    n = len(inputs)
    if outputs is None:
        outputs = [f"$y_{{{t + 1}}}$" for t in range(n)]
    if isinstance(outputs, str) or not _is_sequence(outputs) or len(outputs) != n:
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
        ax.set_title(_check_optional_str(title, "title"))
    return ax
