"""The LM ladder: budgets are validated, a tiny run has the promised structure, the stored full
run is the current FULL budget and meets the targets the book states."""

from __future__ import annotations

import importlib.util
import json
import math
import sys
from dataclasses import asdict, replace
from pathlib import Path

import pytest

from course_utils import ladder
from course_utils.data import HungryGrammar
from course_utils.text import Vocabulary

ROOT = Path(__file__).resolve().parent.parent

TINY = ladder.LadderConfig(
    name="tiny",
    hungry_units=8,
    hungry_dim=4,
    hungry_epochs=1,
    hungry_orders=(2, 3),
    char_train_lines=150,
    char_eval_lines=40,
    char_units=8,
    char_dim=4,
    char_epochs=1,
    char_orders=(2, 3),
    char_context=3,
)


@pytest.fixture(scope="module")
def tiny_results():
    return ladder.run_ladder(TINY)


@pytest.fixture(scope="module")
def stored():
    return ladder.stored_ladder()


def _rung(results, part, prefix):
    matches = [r for r in results[part]["rungs"] if r["model"].startswith(prefix)]
    assert len(matches) == 1, f"expected one {prefix!r} rung in {part}"
    return matches[0]


@pytest.mark.parametrize(
    ("change", "error", "fragment"),
    [
        ({"hungry_units": 0}, ValueError, "hungry_units must be an integer >= 1"),
        ({"char_epochs": 1.5}, TypeError, "char_epochs must be an integer"),
        ({"char_train_lines": -1}, ValueError, "char_train_lines"),
        ({"hungry_orders": [2, 3]}, TypeError, "hungry_orders must be a non-empty tuple"),
        ({"char_orders": ()}, TypeError, "char_orders must be a non-empty tuple"),
        ({"char_orders": (0,)}, ValueError, "each of char_orders"),
        ({"learning_rate": 0}, ValueError, "learning_rate must be a positive finite number"),
        ({"learning_rate": True}, TypeError, "learning_rate must be a positive number; got True"),
        ({"char_units": 7}, ValueError, "char_units must be a multiple of 2"),
    ],
)
def test_bad_budgets_are_refused(change, error, fragment):
    with pytest.raises(error, match=fragment):
        replace(TINY, **change)


@pytest.mark.parametrize(
    ("args", "error", "fragment"),
    [
        (({"name": "x"},), TypeError, "config must be a LadderConfig"),
        ((TINY, "hungry"), TypeError, "parts must be a list"),
        ((TINY, []), ValueError, "at least one corpus"),
        ((TINY, ["wikipedia"]), ValueError, "unknown corpus 'wikipedia'"),
    ],
)
def test_bad_run_arguments_are_refused(args, error, fragment):
    with pytest.raises(error, match=fragment):
        ladder.run_ladder(*args)


def test_tiny_run_has_every_rung_and_consistent_units(tiny_results):
    expected = ["unigram", "Kneser-Ney", "neural LM", "SimpleRNN", "LSTM", "GRU", "self-attention"]
    for part in ("hungry", "shakespeare-chars"):
        models = [r["model"] for r in tiny_results[part]["rungs"]]
        assert [m.split(" ")[0] for m in models] == [e.split(" ")[0] for e in expected]
        for rung in tiny_results[part]["rungs"]:
            assert math.isfinite(rung["cross_entropy"]) and rung["cross_entropy"] > 0
            assert rung["seconds"] >= 0
    hungry = tiny_results["hungry"]
    grammar = HungryGrammar()
    test = grammar.splits()["test"]
    limit = -sum(grammar.logprob(s) for s in test) / sum(len(s) + 1 for s in test)
    assert hungry["limit"] == pytest.approx(limit, rel=1e-12)
    for rung in hungry["rungs"]:
        assert rung["ratio_to_limit"] == pytest.approx(rung["cross_entropy"] / limit)
        assert rung["ratio_to_limit"] > 1  # no model beats the true grammar on 1,000 sentences
    for rung in tiny_results["shakespeare-chars"]["rungs"]:
        assert rung["bits_per_char"] == pytest.approx(rung["cross_entropy"] / math.log(2))
    kn = _rung(tiny_results, "hungry", "Kneser-Ney")
    assert kn["model"] in {"Kneser-Ney 2-gram", "Kneser-Ney 3-gram"}
    assert "best order on validation" in kn["detail"]
    gru = _rung(tiny_results, "hungry", "GRU")
    size = len(Vocabulary.build(grammar.splits()["train"]))
    assert gru["params"] == size * 4 + 3 * 8 * (4 + 8 + 2) + 8 * size + size
    assert gru["epochs"] == 1
    assert tiny_results["config"] == asdict(TINY)
    assert tiny_results["wall_seconds"] > 0


def test_parts_can_be_run_alone():
    results = ladder.run_ladder(replace(TINY, char_train_lines=0), ["hungry", "shakespeare-chars"])
    assert "hungry" in results and "shakespeare-chars" not in results


def test_format_ladder(tiny_results):
    table = ladder.format_ladder(tiny_results)
    assert "limit (true grammar) 1.4796 (se 0.0122)" in table
    # The table is printed in chapter 5: every line fits the book's 78-column code column.
    assert max(map(len, table.splitlines())) <= 78
    assert "bits per character" in table and "x limit" in table
    for part in ("hungry", "shakespeare-chars"):
        for rung in tiny_results[part]["rungs"]:
            assert rung["model"] in table
    assert table.splitlines()[-1].startswith("wall time")


@pytest.mark.parametrize(
    ("value", "error", "fragment"),
    [
        ([1, 2], TypeError, "results must be the dict"),
        ({}, ValueError, "no corpus entry"),
        ({"hungry": {"rungs": []}}, ValueError, "missing 'limit'"),
        ({"hungry": {"limit": 1.0, "rungs": [{"model": "x"}]}}, ValueError, "not a ladder entry"),
    ],
)
def test_format_ladder_refuses_other_dicts(value, error, fragment):
    with pytest.raises(error, match=fragment):
        ladder.format_ladder(value)


def test_stored_full_run_is_the_current_full_budget(stored):
    assert stored["config"] == json.loads(json.dumps(asdict(ladder.FULL))), (
        "src/course_utils/results/lm_ladder.json was made with another budget than "
        "ladder.FULL: run `python benchmarks/lm_ladder.py --save`"
    )
    assert {"date", "commit", "environment", "wall_seconds"} <= set(stored)
    ladder.format_ladder(stored)  # well formed


def test_stored_full_run_meets_the_targets_of_chapter_5(stored):
    for cell in ("LSTM", "GRU"):
        ratio = _rung(stored, "hungry", cell)["ratio_to_limit"]
        assert ratio < 1.03, f"{cell} is {ratio:.4f} x the limit; chapter 5 says within 3%"
    ngram = _rung(stored, "shakespeare-chars", "Kneser-Ney")["bits_per_char"]
    for cell in ("LSTM", "GRU"):
        bits = _rung(stored, "shakespeare-chars", cell)["bits_per_char"]
        assert bits < ngram, f"{cell}: {bits:.3f} bits/char, best n-gram {ngram:.3f}"
    rungs = stored["hungry"]["rungs"]
    assert rungs[0]["ratio_to_limit"] > max(r["ratio_to_limit"] for r in rungs[1:])


def test_benchmark_script_refuses_saving_a_quick_run(capsys):
    spec = importlib.util.spec_from_file_location("lm_ladder", ROOT / "benchmarks/lm_ladder.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with pytest.raises(SystemExit):
        module.main(["--quick", "--save"])
    assert "--save stores the full run only" in capsys.readouterr().err
    assert sys.modules.get("lm_ladder") is None


def test_stored_full_run_was_made_by_the_current_code(stored):
    assert stored.get("code_hash") == ladder.code_hash(), (
        "src/course_utils/results/lm_ladder.json was made by code that has changed since "
        f"(stored fingerprint {stored.get('code_hash')}, current {ladder.code_hash()}): run "
        "`python benchmarks/lm_ladder.py --save` and commit the new results"
    )


def test_code_hash_ignores_docstrings_but_not_code():
    def fingerprint(source: str) -> str:
        import ast

        return ast.dump(ladder._without_docstrings(ast.parse(source)))

    base = 'def f(x):\n    """Add one."""\n    return x + 1\n'
    assert fingerprint(base) == fingerprint(base.replace("Add one.", "Adds one (edited)."))
    assert fingerprint(base) == fingerprint(base.replace("return", "# a comment\n    return"))
    assert fingerprint(base) != fingerprint(base.replace("x + 1", "x + 2"))
    assert len(ladder.code_hash()) == 12 and ladder.code_hash() == ladder.code_hash()


def test_hungry_rungs_carry_the_gap_and_its_standard_error(tiny_results):
    hungry = tiny_results["hungry"]
    assert 0 < hungry["limit_se"] < 0.05
    for rung in hungry["rungs"]:
        assert rung["gap"] == pytest.approx(rung["cross_entropy"] - hungry["limit"], abs=1e-6)
        assert 0 < rung["gap_se"] < 0.05
    assert "gap ± se" in ladder.format_ladder(tiny_results)
    assert tiny_results["code_hash"] == ladder.code_hash()


def test_the_attention_rung_is_chapter_8s_model_at_the_common_width(tiny_results):
    for part in ("hungry", "shakespeare-chars"):
        rung = _rung(tiny_results, part, "self-attention")
        assert rung["detail"] == "width 8, 2 heads" and rung["epochs"] == 1
    hungry = _rung(tiny_results, "hungry", "self-attention")
    size = len(Vocabulary.build(HungryGrammar().splits()["train"]))
    longest = 1 + max(len(s) for part in HungryGrammar().splits().values() for s in part)
    d = 8  # embedding + positions + attention (4 projections) + 2 layer norms + FF + logits
    block = 4 * (d * d + d) + 2 * 2 * d + (d * 4 * d + 4 * d) + (4 * d * d + d)
    assert hungry["params"] == size * d + longest * d + block + d * size + size


def test_the_fingerprint_covers_the_attention_lm_but_not_the_numpy_attention():
    covered = dict(ladder._fingerprinted())
    assert {"lm", "models", "ngram"} <= set(covered)
    names = {node.name for node in covered["attention"].body}
    assert names == {"PositionEmbedding", "causal_lm", "SequenceLM"}
