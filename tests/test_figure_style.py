"""Tests of course_utils.figure_style: the book style and Korean text in figures."""

from __future__ import annotations

import subprocess
import sys
import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest
from figure_helpers import (
    HONORIFIC,
    HUNGRY,
    assert_docstring_examples_pass,
    draw_and_collect,
    isolated_rcparams,  # noqa: F401 (an autouse fixture)
)
from matplotlib import font_manager

from course_utils import figure_style
from course_utils.figure_style import (
    OKABE_ITO,
    korean_font_name,
    use_book_style,
)


@pytest.fixture
def fresh_font_cache(monkeypatch):
    """Forget which Korean font was found, before and after the test (which may monkeypatch)."""
    korean_font_name()  # make sure NanumGothic is registered with Matplotlib
    figure_style._find_korean_font.cache_clear()
    yield monkeypatch
    figure_style._find_korean_font.cache_clear()


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
    assert draw_and_collect(fig) == []
    assert list(matplotlib.rcParams["font.family"]) == ["DejaVu Sans", "sans-serif"]


def test_log_axis_minus_signs_render(caplog):
    """Log-scale tick labels are mathtext (10^-3): their minus sign must have a glyph."""
    use_book_style()
    fig, ax = plt.subplots()
    ax.semilogy([1, 2, 3], [1e-5, 1e-2, 1e2])
    ax.set_title("기울기 소실과 폭발")
    with caplog.at_level("WARNING", logger="matplotlib"):
        assert draw_and_collect(fig) == []
    assert not [r for r in caplog.records if "does not have a glyph" in r.getMessage()]


def test_the_glyph_check_would_catch_a_font_without_hangul():
    """Sanity check of the test above: with a Latin-only font the warning does appear."""
    with matplotlib.rc_context({"font.family": ["DejaVu Sans"]}):
        fig, ax = plt.subplots()
        ax.set_title(HUNGRY)
        assert draw_and_collect(fig) != []


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
    fresh_font_cache.setattr(figure_style, "_koreanize_font_dir", lambda: None)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        name = korean_font_name()
    assert name in figure_style._HANGUL_FALLBACKS
    paths = [e.fname for e in font_manager.fontManager.ttflist if e.name == name]
    assert any(figure_style._has_hangul(p) for p in paths)


def test_no_hangul_font_warns_once_with_install_hint(fresh_font_cache):
    fresh_font_cache.setattr(figure_style, "_koreanize_font_dir", lambda: None)
    fresh_font_cache.setattr(figure_style, "_HANGUL_FALLBACKS", ("No Such Font For Tests",))
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


def test_public_names_say_where_they_are_introduced_and_plotting_re_exports_them():
    from course_utils import plotting

    for name in figure_style.__all__:
        assert getattr(plotting, name) is getattr(figure_style, name), name
        assert name in plotting.__all__, name
        if name != "OKABE_ITO":  # documented by its comment
            doc = getattr(figure_style, name).__doc__
            assert "Introduced in: notebooks/00_data_and_tools.ipynb" in doc, name


def test_figure_style_docstring_examples_are_correct():
    assert_docstring_examples_pass(figure_style)
