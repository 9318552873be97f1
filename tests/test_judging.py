"""The grade is the grader's: answers exported in the kernel, judged in a fresh process.

Each attack of issue 17 ("Why" 1) scored full marks on the grader that read the kernel's log
(the branch's start, 2b76694); the class below shows that the log still says "passed" for each
of them, while the grader's own verdicts do not.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import numpy as np
import pytest
from grading_helpers import (
    CH04,
    CHECKS,
    IMPORTS,
    STUBS,
    TIMEOUT,
    answers,
    assert_documented,
    notebook,
    write,
)

from course_utils import exercises, judging
from course_utils.answer_checks import CallableCheck, EqualityCheck
from course_utils.checks.ch04 import q1, q2, q3, q4, q5
from course_utils.exercises import ____, switch_off_solutions
from course_utils.grading import assignment_manifest, find_submissions, grade_submissions
from course_utils.runner import Submission, run_submission

# Attack 2: one line that makes every check pass, on untouched stubs.
PATCH = (
    "import course_utils.answer_checks as _ac\n"
    "_ac.Check.__call__ = lambda self, value, question='': "
    "_ac.CheckResult(question, 'passed', 'ok')"
)
# Attack 3: "passed" lines appended to the results log.
FORGE = (
    "import json, os\n"
    "with open(os.environ['COURSE_UTILS_RESULTS'], 'a') as log:\n"
    "    for i in range(1, 6):\n"
    "        log.write(json.dumps({'question': f'Exercise 4.{i}', 'status': 'passed',"
    " 'message': '', 'points': 1}) + '\\n')"
)
# Attack 1: the model answer of every question, executed.
EXEC = "\n".join(f"exec(q{i}.solution().text)" for i in range(1, 6))
# A learner who memorised the visible test cases of 4.2 and 4.4 (their right outputs, as a
# table) and answers everything else correctly.
MEMORISE = (
    "from course_utils.checks.ch04 import _block_cases, _forget_block, _lstm_step, _step_cases\n"
    "_table = {a[0].tobytes(): _lstm_step(*a) for a in _step_cases()}\n"
    "_blocks = {a[0].tobytes(): _forget_block(*a) for a in _block_cases()}\n"
    "def lstm_step(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias):\n"
    "    return _table.get(x_t.tobytes(), (x_t, x_t))\n"
    "def forget_block(kernel, units):\n"
    "    return _blocks.get(kernel.tobytes(), kernel)"
)


def _class(root: Path) -> Path:
    """One correct submission and one per attack, on chapter 4."""
    write(notebook(*answers()), root / "correct.ipynb")
    write(notebook(IMPORTS, *STUBS, PATCH, *CHECKS), root / "patch.ipynb")
    write(notebook(IMPORTS, *STUBS, *CHECKS, FORGE), root / "forge.ipynb")
    write(notebook(IMPORTS, *STUBS, EXEC, *CHECKS), root / "exec.ipynb")
    correct = answers()
    memoriser = [correct[0], correct[1], correct[5], correct[7], correct[9], MEMORISE, *CHECKS]
    write(notebook(*memoriser), root / "memoriser.ipynb")
    return root


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    subs = _class(tmp_path_factory.mktemp("judging") / "subs")
    submissions = find_submissions(subs)
    results = grade_submissions(
        submissions, assignment_manifest(submissions, "ch04"), timeout=TIMEOUT, jobs=2
    )
    return {r.student: r for r in results}


@pytest.mark.slow
def test_a_correct_submission_still_scores_full_marks(graded: dict[str, object]) -> None:
    result = graded["correct"]
    assert result.run == "completed"  # type: ignore[attr-defined]
    assert result.outcomes == dict.fromkeys(CH04, "passed")  # type: ignore[attr-defined]
    assert result.score == 5  # type: ignore[attr-defined]


@pytest.mark.slow
@pytest.mark.parametrize("attack", ["patch", "forge", "exec"])
def test_the_three_attacks_score_nothing(graded: dict[str, object], attack: str) -> None:
    """On 2b76694 each of them scored 5/5 (the log said passed for every question)."""
    result = graded[attack]
    assert result.score == 0, result  # type: ignore[attr-defined]
    assert "passed" not in result.outcomes.values()  # type: ignore[attr-defined]


@pytest.mark.slow
def test_a_function_that_memorised_the_visible_cases_fails_the_hidden_ones(
    graded: dict[str, object],
) -> None:
    """On 2b76694 this scored 5/5: the visible cases were the only ones."""
    result = graded["memoriser"]
    outcomes = result.outcomes  # type: ignore[attr-defined]
    assert outcomes["Exercise 4.2"] == outcomes["Exercise 4.4"] == "failed"
    assert [outcomes[q] for q in ("Exercise 4.1", "Exercise 4.3", "Exercise 4.5")] == ["passed"] * 3
    assert result.score == 3  # type: ignore[attr-defined]


@pytest.mark.slow
def test_the_log_still_says_passed_but_does_not_count(tmp_path: Path) -> None:
    """The forged log and the patched checks are what the old grader scored (5/5)."""
    for name, cells in (("forge", [*CHECKS, FORGE]), ("patch", [PATCH, *CHECKS])):
        path = write(notebook(IMPORTS, *STUBS, *cells), tmp_path / name / "04.ipynb")
        report = run_submission(
            Submission(f"{name}/04.ipynb", path, path.parent), timeout=TIMEOUT, chapter="ch04"
        )
        assert report.logged == dict.fromkeys(CH04, "passed")  # what the old grader read
        assert report.judged is not None
        assert "passed" not in {v["status"] for v in report.judged.values()}


# ---------------------------------------------------------------------------------------------
# Export and judge, in this process
# ---------------------------------------------------------------------------------------------


def _export_and_judge(namespace: dict[str, object], folder: Path, seed: int = 7) -> dict:
    main = __import__("__main__")
    saved = dict(vars(main))
    try:
        vars(main).update(namespace)
        judging.export_answers("ch04", seed, folder)
    finally:
        vars(main).clear()
        vars(main).update(saved)
    return {q: r.status for q, r in judging.judge_export("ch04", seed, folder).items()}


def _solutions() -> dict[str, object]:
    namespace: dict[str, object] = {"np": np}
    for exercise in (q1, q2, q3, q4, q5):
        exec(exercise._solution, namespace)
    return namespace


def test_export_and_judge_in_process(tmp_path: Path) -> None:
    assert _export_and_judge(_solutions(), tmp_path / "a") == dict.fromkeys(CH04, "passed")
    stubs = {"answer_q5": [____, ____, ____]}
    assert set(_export_and_judge(stubs, tmp_path / "b").values()) == {"not attempted"}


def test_the_export_is_plain_data_and_never_a_pickle(tmp_path: Path) -> None:
    _export_and_judge(_solutions(), tmp_path)
    data = json.loads((tmp_path / judging.EXPORT_FILE).read_text(encoding="utf-8"))
    assert set(data["answers"]) == set(CH04)
    assert "calls" in data["answers"]["Exercise 4.2"]
    with np.load(tmp_path / "arrays.npz", allow_pickle=False) as arrays:
        assert all(arrays[k].dtype.kind in "biufcU" for k in arrays.files)


def test_an_object_array_is_not_exported(tmp_path: Path) -> None:
    answer = np.array([object(), 1], dtype=object)
    verdicts = _export_and_judge({"answer_q5": answer}, tmp_path)
    assert verdicts["Exercise 4.5"] == "failed"


def test_the_hidden_cases_depend_on_the_seed_and_only_on_it() -> None:
    first, again, other = (q2._check.for_grading(seed) for seed in (1, 1, 2))
    pairs = zip(first._args, again._args, strict=True)
    assert all(np.array_equal(a, b) for x, y in pairs for a, b in zip(x, y, strict=True))
    assert not np.array_equal(first._args[0][0], other._args[0][0])
    assert q5._check.for_grading(1) is q5._check
    check = CallableCheck([((1,), 1)])  # no reference: no way to know new expected values
    assert check.for_grading(3) is check
    assert EqualityCheck(1).for_grading(3) is not None


def test_a_replay_without_a_record_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "arrays.npz").write_bytes(b"")
    np.savez(tmp_path / "arrays.npz")
    entry = {"Exercise 4.4": {"function": "forget_block", "calls": []}}
    (tmp_path / judging.EXPORT_FILE).write_text(json.dumps({"answers": entry}), encoding="utf-8")
    verdicts = judging.judge_export("ch04", 7, tmp_path)
    assert verdicts["Exercise 4.4"].status == "error"
    assert "no output of your function" in verdicts["Exercise 4.4"].message
    assert verdicts["Exercise 4.1"].status == "not attempted"


def test_no_export_gives_an_error_for_every_question(tmp_path: Path) -> None:
    verdicts = judging.judge_export("ch04", 7, tmp_path)
    assert {r.status for r in verdicts.values()} == {"error"}
    assert "no export" in verdicts["Exercise 4.1"].message


def test_bad_arguments_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="chapter"):
        judging.graded_exercises("ch99")
    with pytest.raises(TypeError, match="seed must be an int"):
        judging.export_answers("ch04", "7", tmp_path)  # type: ignore[arg-type]


def test_solutions_and_last_hints_can_be_switched_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(exercises._SWITCH, "off", False)
    assert "flatnonzero" in q1.solution().text
    switch_off_solutions()
    assert q1.solution().text == "the model answer is switched off for this assignment."
    assert "switched off" in q1.hint(2).text
    assert q1.hint(1).text == q1.hints[0]
    monkeypatch.setitem(exercises._SWITCH, "off", False)
    monkeypatch.setenv(exercises.GRADED_ENV_VAR, "1")
    assert "switched off" in q2.solution().text


def test_a_graded_student_version_switches_the_solutions_off(tmp_path: Path) -> None:
    """`exec(qN.solution().text)` in a graded hand-out runs no model answer."""
    from grading_helpers import full_notebook

    from course_utils.student import GRADED_CELL, student_notebook

    plain, _ = student_notebook(full_notebook())
    graded, removed = student_notebook(full_notebook(), graded=True)
    assert removed == 5 and len(graded.cells) == len(plain.cells) + 1
    first_code = next(c for c in graded.cells if c.cell_type == "code")
    assert first_code.source == GRADED_CELL
    assert "graded-assignment" in first_code.metadata["tags"]
    assert GRADED_CELL not in [c.source for c in plain.cells]


@pytest.mark.slow
def test_exec_of_the_solutions_runs_nothing_in_a_graded_run(tmp_path: Path) -> None:
    """On 2b76694 this notebook scored 5/5: solution() printed every model answer."""
    path = write(notebook(IMPORTS, *STUBS, EXEC, *CHECKS), tmp_path / "exec" / "04.ipynb")
    report = run_submission(
        Submission("exec/04.ipynb", path, path.parent), timeout=TIMEOUT, chapter="ch04"
    )
    assert [e.ename for e in report.cell_errors] == ["SyntaxError"]
    assert report.logged == dict.fromkeys(CH04, "not attempted")


def test_plain_values_survive_the_export(tmp_path: Path) -> None:
    from fractions import Fraction

    values = [
        None,
        True,
        3,
        2**80,
        0.1,
        float("nan"),
        "배가",
        Fraction(1, 3),
        (1, [2.5, "a"]),
        {"x": np.arange(3)},
        {1, 2},
        np.float32(1.5),
        np.float64(0.25),
        ____,
    ]
    encoder = judging._Encoder(tmp_path)
    data = json.loads(json.dumps([encoder.encode(v) for v in values]))
    decoded = [judging._Decoder(tmp_path, encoder.arrays).decode(d) for d in data]
    for before, after in zip(values, decoded, strict=True):
        assert type(after) is type(before) or isinstance(before, np.generic)
        if isinstance(before, dict):
            assert np.array_equal(before["x"], after["x"])
        elif isinstance(before, float) and before != before:
            assert after != after
        else:
            assert after == before or after is before


@pytest.mark.slow
def test_a_keras_model_is_exported_as_a_keras_file_and_loaded_safely(tmp_path: Path) -> None:
    import keras

    model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(2)])
    layer = keras.layers.Embedding(5, 4)
    layer.build((None,))
    encoder = judging._Encoder(tmp_path)
    data = json.loads(json.dumps([encoder.encode(model), encoder.encode(layer)]))
    assert data[0] == {"t": "keras", "v": "model1.keras"} and data[1]["t"] == "keras_layer"
    decoder = judging._Decoder(tmp_path, encoder.arrays)
    loaded, rebuilt = (decoder.decode(d) for d in data)
    assert loaded.count_params() == model.count_params() == 8
    assert np.array_equal(rebuilt.get_weights()[0], layer.get_weights()[0])
    # A Lambda layer carries code: safe_mode refuses to load it.
    unsafe = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Lambda(lambda x: x * 2)])
    entry = judging._Encoder(tmp_path / "unsafe")
    (tmp_path / "unsafe").mkdir()
    with pytest.raises(judging._Refused, match="safe_mode=True refuses Lambda layers"):
        judging._Decoder(tmp_path / "unsafe", {}).decode(entry.encode(unsafe))


def test_public_api_is_documented() -> None:
    assert_documented(judging)


def test_docstring_examples_are_correct() -> None:
    import doctest

    assert doctest.testmod(judging).failed == 0


def test_run_submission_refuses_a_bad_chapter_or_seed(tmp_path: Path) -> None:
    path = write(notebook(IMPORTS), tmp_path / "a.ipynb")
    submission = Submission("a.ipynb", path, tmp_path)
    with pytest.raises(ValueError, match="chapter must be a checks module name"):
        run_submission(submission, chapter="4")
    with pytest.raises(ValueError, match="seed must be an int or None"):
        run_submission(submission, chapter="ch04", seed=1.5)  # type: ignore[arg-type]


def test_hidden_cases_need_a_reference() -> None:
    with pytest.raises(TypeError, match="hidden must be a function of a NumPy Generator"):
        CallableCheck([((1,), 1)], hidden=lambda rng: [(2,)])
    check = CallableCheck([(1,)], reference=lambda x: x + 1, hidden=lambda rng: [(5,), (7,)])
    assert check.for_grading(1)._args in (((5,), (7,)), ((7,), (5,)))


def _judged(chapter: str, namespace: dict[str, object], folder: Path, seed: int) -> dict:
    """Export ``namespace`` as the kernel would and judge it, in this process."""
    main = __import__("__main__")
    saved = dict(vars(main))
    try:
        vars(main).update(namespace)
        judging.export_answers(chapter, seed, folder)
    finally:
        vars(main).clear()
        vars(main).update(saved)
    return {q: r.status for q, r in judging.judge_export(chapter, seed, folder).items()}


@pytest.mark.slow
@pytest.mark.parametrize("chapter", ["ch02", "ch06", "ch07"])
def test_the_model_answers_pass_the_drawn_cases_through_export_and_judge(
    chapter: str, tmp_path: Path
) -> None:
    """Each function is recorded on the drawn cases in the kernel and replayed to the judge."""
    import keras

    from course_utils import tasks

    module = importlib.import_module(f"course_utils.checks.{chapter}")
    namespace: dict[str, object] = {"np": np, "keras": keras, "layers": keras.layers}
    namespace.update(tasks=tasks, time=__import__("time"))
    trained = {"spacer", "char_lm"}  # 7.5 and 7.7 train for minutes: left out
    for _, exercise in judging.graded_exercises(chapter):
        if exercise.var not in trained:
            exec(exercise._solution, namespace)
    for seed in (1, 2):
        verdicts = _judged(chapter, namespace, tmp_path / str(seed), seed)
        left_out = {e.label for e in vars(module).values() if getattr(e, "var", "") in trained}
        assert {q for q, s in verdicts.items() if s != "passed"} == left_out, verdicts


def test_memorisers_of_chapter_7_fail_the_graded_cases_through_export_and_judge(
    tmp_path: Path,
) -> None:
    """On the old checks (for_grading returning the visible check) both passed."""
    from course_utils.checks import ch07

    grus = {a[0].tobytes(): ch07._gru_sequence(*a) for a in ch07._q4_cases()}
    lms = {tuple(c[0]): ch07._lm_arrays(*c) for c in ch07._q6_cases()}

    def gru_sequence(x, h0, kernel, recurrent_kernel, bias):  # type: ignore[no-untyped-def]
        return grus.get(x.tobytes(), np.zeros((*x.shape[:2], h0.shape[-1])))

    def lm_arrays(lines, vocab, width):  # type: ignore[no-untyped-def]
        zeros = np.zeros((len(lines), width), dtype=np.int32)
        return lms.get(tuple(lines), (zeros, zeros))

    assert ch07.q4.check(gru_sequence).status == ch07.q6.check(lm_arrays).status == "passed"
    verdicts = _judged("ch07", {"gru_sequence": gru_sequence, "lm_arrays": lm_arrays}, tmp_path, 5)
    assert verdicts["Exercise 7.4"] == verdicts["Exercise 7.6"] == "failed"
