"""The book's figure style: one look for every figure, able to draw Korean text (chapter 0).

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
import warnings
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import matplotlib as mpl
from cycler import cycler
from matplotlib import font_manager, ft2font
from matplotlib.axes import Axes

from course_utils.validation import check_bool

__all__ = [
    "OKABE_ITO",
    "korean_font_name",
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
    plotting helper in :mod:`course_utils.plotting` and :mod:`course_utils.diagrams` calls it.

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
