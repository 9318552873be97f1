"""Tests of :mod:`course_utils.check_helpers`: the helpers the chapters' own checks share."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from course_utils import check_helpers
from course_utils.exercises import ____


def test_chi2_sf_matches_scipy():
    stats = pytest.importorskip("scipy.stats")
    for df in range(1, 8):
        for x in [0.0, 0.3, 1.0, 4.5, 12.0, 40.0, 200.0]:
            got = check_helpers._chi2_sf(x, df)
            assert got == pytest.approx(stats.chi2.sf(x, df), rel=1e-9, abs=1e-300)


def test_chi2_pvalue_merges_rare_cells():
    probs = np.array([0.7, 0.299, 0.001])
    assert check_helpers.chi2_pvalue(np.array([700, 300, 0]), probs) > 0.5
    assert check_helpers.chi2_pvalue(np.array([600, 300, 100]), probs) < 1e-6


def test_call_cases_stops_at_an_exception_or_a_placeholder():
    double = check_helpers.call_cases(lambda x: 2 * x, [(1,), (2,)], "double")
    assert double == [2, 4]
    status, message = check_helpers.call_cases(lambda x: 1 / x, [(1,), (0,)], "inverse")
    assert status == "error"
    assert message == (
        "inverse() on one of the check's test cases raised ZeroDivisionError: division by zero"
    )
    status, message = check_helpers.call_cases(lambda x: ____, [(1,)], "f")
    assert status == "not attempted" and message.startswith("f() still returns ____")


def test_call_cases_copies_the_arguments():
    case = [1, 2]
    check_helpers.call_cases(lambda items: items.clear(), [(case,)], "clear")
    assert case == [1, 2]


def test_a_model_that_returns_several_tensors_is_an_interface_error():
    with pytest.raises(check_helpers.ModelInterfaceError, match="returns 2 tensors"):
        check_helpers.call_model(lambda rows: (rows, rows), np.zeros((3, 2)))
    out = check_helpers.call_model(lambda rows: rows + 1, np.zeros((300, 2), dtype=int))
    assert out.dtype == np.float64 and out.shape == (300, 2)


def test_not_a_model_and_type_text():
    assert (
        check_helpers.not_a_model(None) == "got None: did the cell that builds the model assign it?"
    )
    assert check_helpers.not_a_model("model") == "expected a Keras model, got str"
    assert check_helpers.not_a_model(len) is None
    assert check_helpers.type_text(None) == "None"


def test_raised_text_keeps_one_short_line():
    text = check_helpers.raised_text("f()", ValueError("x" * 300 + "\n y"))
    assert text.startswith("f() raised ValueError: xxx") and text.endswith("…")
    assert len(text) == len("f() raised ValueError: ") + 240
    assert check_helpers.raised_text("f()", KeyError()) == "f() raised KeyError"


def test_looks_like_probabilities():
    assert check_helpers.looks_like_probabilities(np.array([[0.2, 0.8], [1.0, 0.0]]))
    assert not check_helpers.looks_like_probabilities(np.array([[0.2, 0.7]]))
    assert not check_helpers.looks_like_probabilities(np.array([[-0.5, 1.5]]))
    assert not check_helpers.looks_like_probabilities(np.zeros((0, 2)))


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        (("f", "i", "c", "o"), "your input and forget gates look swapped: Keras's kernel"),
        (("i", "c", "f", "o"), "your forget gate and candidate look swapped"),
        (("o", "i", "c", "f"), "your step reads them as o, i, c, f; Keras's order is i, f, c, o"),
    ],
)
def test_block_order_message(order, expected):
    names = {"i": "input gate", "f": "forget gate", "c": "candidate", "o": "output gate"}
    message = check_helpers.block_order_message(order, ("i", "f", "c", "o"), names)
    assert expected in message


def test_block_order_message_needs_orders_of_one_length():
    with pytest.raises(ValueError):
        check_helpers.block_order_message(("a",), ("a", "b"), {})


def test_permuted_blocks_reorders_only_the_weights():
    step = check_helpers.permuted_blocks(lambda x, w: (x, w), (2, 0, 1), 3, slice(1, 2))
    x, w = step(np.arange(3), np.arange(6))
    assert x.tolist() == [0, 1, 2] and w.tolist() == [4, 5, 0, 1, 2, 3]


def test_helper_docstring_examples_are_correct():
    import doctest

    failures, attempted = doctest.testmod(check_helpers, optionflags=doctest.ELLIPSIS)
    assert attempted > 0 and failures == 0


class _Layer:
    def __init__(self, units=None, **attributes):
        self.units = units
        self.__dict__.update(attributes)


class Bidirectional(_Layer):
    pass


class GRU(_Layer):
    pass


class Embedding(_Layer):
    pass


class InputLayer(_Layer):
    pass


class Sequential(_Layer):
    pass


def test_model_layers_opens_nested_models_and_skips_inputs():
    inner = Sequential(layers=[GRU(32)])
    model = Sequential(layers=[InputLayer(), Embedding(input_dim=100, output_dim=16), inner])
    assert [type(layer).__name__ for layer in check_helpers.model_layers(model)] == [
        "Embedding",
        "GRU",
    ]
    assert check_helpers.model_layers(None) == []


def test_layer_text():
    assert check_helpers.layer_text(Embedding(input_dim=100, output_dim=16)) == "Embedding(100, 16)"
    assert (
        check_helpers.layer_text(Bidirectional(forward_layer=GRU(32))) == "Bidirectional(GRU(32))"
    )
    assert check_helpers.layer_text(GRU(True)) == "GRU"  # a bool is not a number of units


def test_public_docstrings_name_the_introducing_notebook():
    assert "Introduced in: notebooks/04_lstm.ipynb" in (check_helpers.__doc__ or "")
    chapter_four = {"block_order_message", "permuted_blocks"}
    for name in check_helpers.__all__:
        notebook = "04_lstm" if name in chapter_four else "07_keras_exercises"
        doc = getattr(check_helpers, name).__doc__ or ""
        assert f"Introduced in: notebooks/{notebook}.ipynb" in doc, name


def test_module_import_does_not_import_tensorflow() -> None:
    code = (
        "import sys, course_utils.check_helpers; "
        "bad = [m for m in sys.modules if m.split('.')[0] in ('tensorflow', 'keras')]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert completed.returncode == 0, completed.stdout + completed.stderr
