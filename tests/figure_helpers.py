"""Shared pieces of the figure tests (test_diagrams, test_plotting, test_figure_style).

A test module that imports ``isolated_rcparams`` gets it as an autouse fixture for its own tests
only (pytest finds fixtures among a module's names), so the import carries ``# noqa: F401``.
"""

from __future__ import annotations

import doctest
import warnings
from collections.abc import Callable, Iterator
from types import ModuleType

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest

HUNGRY = "나는 무지 배가 고프다"
HONORIFIC = "할머니께서는"


@pytest.fixture(autouse=True)
def isolated_rcparams() -> Iterator[None]:
    """Every test starts and ends with the same global rcParams and no open figures."""
    with matplotlib.rc_context():
        yield
    plt.close("all")


def glyph_warnings(caught: list[warnings.WarningMessage]) -> list[str]:
    """The messages of ``caught`` that say a glyph is missing from a font."""
    messages = [str(w.message) for w in caught]
    return [m for m in messages if "missing from font" in m or ("Glyph" in m and "missing" in m)]


def draw_and_collect(fig) -> list[str]:
    """Draw ``fig`` and return the missing-glyph warnings the drawing raised."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.canvas.draw()
    return glyph_warnings(caught)


def glyph_problems(fig, caplog: pytest.LogCaptureFixture) -> list[str]:
    """Missing-glyph warnings, and mathtext's logged "does not have a glyph" messages."""
    with caplog.at_level("WARNING", logger="matplotlib"):
        problems = draw_and_collect(fig)
    logged = [r.getMessage() for r in caplog.records if "does not have a glyph" in r.getMessage()]
    return problems + logged


def axes_texts(ax) -> list[str]:
    """The strings of the text artists on ``ax``."""
    return [t.get_text() for t in ax.texts]


def assert_docstring_examples_pass(module: ModuleType) -> None:
    """``module`` has docstring examples, and all of them give what they show."""
    failures, attempted = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert attempted > 0
    assert failures == 0


def assert_draw_applies_book_style(draw: Callable[[], object]) -> None:
    """``draw()`` after ``matplotlib.rcdefaults()`` puts the book style back on."""
    matplotlib.rcdefaults()
    draw()
    assert matplotlib.rcParams["font.sans-serif"][0] == "NanumGothic"
    assert matplotlib.rcParams["axes.unicode_minus"] is False
