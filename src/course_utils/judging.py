"""The grader's own verdicts: answers exported in the kernel, judged in a fresh process (chapter 7).

Why: a graded score must not come from the learner's kernel. Before this module, the grader read
the outcomes that ``qN.check()`` logged, so a submission could append "passed" lines to its log
(``COURSE_UTILS_RESULTS``), patch the check machinery in its kernel with one line, or copy the
model answers that ``qN.solution()`` prints. Now a graded run works in two halves:

1. **Export** (in the kernel, :func:`export_answers`). After the submitted notebook has run, the
   runner appends one grader cell, present only at grading time, that exports the learner's
   answer to every graded question of the chapter's manifest as plain data, into a folder of the
   run's sandbox: numbers (fractions too), strings, lists, tuples, dicts, sets and NumPy
   arrays as JSON and one ``.npz`` file (``allow_pickle=False``); the shape of a symbolic
   tensor as its shape; a Keras model as a ``.keras`` file, a Keras layer as its config and
   weights. For an answer that is a function, the export holds the function's
   outputs (or the exceptions it raised), call by call, on the test cases the grader chooses:
   the check of the question, remade by :meth:`~course_utils.answer_checks.Check.for_grading`
   from a secret seed, calls the learner's function through a recorder. The seed reaches the
   child process through a pipe, and the kernel only in the grader cell's source, after every
   cell of the notebook has run.
2. **Judge** (in the grader, :func:`judge_export`, run as ``python -m course_utils.judging`` in
   a fresh process that never ran learner code, sandboxed like the run where a sandbox exists).
   For each graded question, the same check, remade from the same seed, is called on the
   exported value; for a function, on a stand-in that replays the recorded outputs in the order
   the check calls it, so the check's own expected values, mistakes and messages apply. A model
   is loaded with ``safe_mode=True``. Nothing exported is unpickled.

What this defeats: a forged results log (the log is the learner's own feedback and is ignored
by graded scores); a check patched in the kernel (the verdict is computed elsewhere, by
unpatched code); a function that memorises the visible test cases (the graded ones are drawn
from the seed, for :class:`~course_utils.answer_checks.CallableCheck` with a ``reference`` and
the chapters' own function checks that define :meth:`for_grading`: every question whose answer
is a function, 2.3, 4.1, 6.6, 7.3, 7.4, 7.6, 7.8 and 8.2 among them; a model-building function
gets its model run on a drawn batch).

What it cannot defeat: a value question (compute X on the course's data) has one right value,
which the open book prints, so its export can be typed in; a learner who reads the installed
package's source can call its reference functions (``q2._check._reference``) or copy an
expected value (``q1._check.expected``). A graded assignment therefore relies on the grader's
checks and hidden inputs, not on secrecy: see the threat model on the instructors' page.

This module imports :mod:`course_utils.answers` and :mod:`course_utils.exercises`, and the
``course_utils.checks`` modules by name (no TensorFlow, except to save or load a Keras model).

Introduced in: notebooks/07_keras_exercises.ipynb
"""

from __future__ import annotations

import importlib
import json
import os
import sys
from collections.abc import Mapping
from fractions import Fraction
from pathlib import Path
from typing import Any, Final

import numpy as np

from course_utils.answers import ____, _from_tensor, _type_name, is_placeholder
from course_utils.exercises import CheckResult, Exercise

__all__ = ["EXPORT_FILE", "export_answers", "graded_exercises", "judge_export"]

#: The JSON file an export writes in its folder (next to ``arrays.npz`` and any models).
#:
#: Introduced in: notebooks/07_keras_exercises.ipynb
EXPORT_FILE: Final[str] = "answers.json"

_ARRAYS_FILE: Final[str] = "arrays.npz"
_MAX_DEPTH: Final[int] = 20
_MAX_ITEMS: Final[int] = 2_000_000  # values in one export (containers count their items)
_MAX_ARRAY_BYTES: Final[int] = 200 * 2**20  # all arrays of one export
_MAX_CALLS: Final[int] = 100_000  # recorded calls of one function (7.8 makes 7,161)
_ARRAY_KINDS: Final[str] = "biufcU"  # bool, ints, floats, complex, unicode: no objects


class _TooBig(Exception):
    """The answer is larger than an export may be."""


class _Encoder:
    """Turns an answer into JSON-able data; arrays go to ``self.arrays``, models to files."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.arrays: dict[str, np.ndarray] = {}
        self.items = 0
        self.array_bytes = 0
        self.models = 0

    def encode(self, value: object, depth: int = 0) -> Any:
        self.items += 1
        if self.items > _MAX_ITEMS or depth > _MAX_DEPTH:
            raise _TooBig("the answer is too large or too deeply nested to export")
        if value is ____ or is_placeholder(value):
            return {"t": "placeholder"}
        if isinstance(value, np.generic):  # before float: np.float64 is a float
            return {"t": "scalar", "k": self._array(np.asarray(value))}
        if value is None or isinstance(value, (bool, str)):
            return {"t": "json", "v": value}
        if isinstance(value, int):
            return {"t": "int", "v": str(value)}
        if isinstance(value, float):
            return {"t": "float", "v": repr(value)}
        if isinstance(value, Fraction):
            return {"t": "fraction", "v": [str(value.numerator), str(value.denominator)]}
        if _is_keras_model(value):
            return self._model(value)
        value = _from_tensor(value)
        if isinstance(value, np.generic):
            return {"t": "scalar", "k": self._array(np.asarray(value))}
        if isinstance(value, np.ndarray):
            return {"t": "array", "k": self._array(value)}
        if isinstance(value, (list, tuple, set, frozenset)):
            kind = type(value).__name__ if type(value) in (list, tuple, set, frozenset) else None
            items = list(value)
            if isinstance(value, (set, frozenset)):
                items = sorted(items, key=repr)
            return {"t": kind or "list", "v": [self.encode(v, depth + 1) for v in items]}
        if isinstance(value, Mapping):
            pairs = [
                [self.encode(k, depth + 1), self.encode(v, depth + 1)] for k, v in value.items()
            ]
            return {"t": "dict", "v": pairs}
        shape = getattr(value, "shape", None)
        if shape is not None and not callable(value):
            try:
                dims = list(shape.as_list()) if hasattr(shape, "as_list") else list(shape)
                if all(d is None or isinstance(d, (int, np.integer)) for d in dims):
                    return {"t": "shaped", "v": [None if d is None else int(d) for d in dims]}
            except Exception:
                pass
        return {"t": "unexportable", "v": _type_name(value)}

    def _array(self, array: np.ndarray) -> str:
        if array.dtype.kind not in _ARRAY_KINDS:
            raise _TooBig(f"an array of dtype {array.dtype} cannot be exported (no objects)")
        self.array_bytes += array.nbytes
        if self.array_bytes > _MAX_ARRAY_BYTES:
            raise _TooBig("the answer's arrays are too large to export")
        key = f"a{len(self.arrays)}"
        self.arrays[key] = np.array(array, copy=True)
        return key

    def _model(self, model: Any) -> dict[str, Any]:
        if not callable(getattr(model, "save", None)):  # a layer: its config and its weights
            import keras

            config = json.loads(json.dumps(keras.saving.serialize_keras_object(model)))
            weights = [self._array(np.asarray(w)) for w in model.get_weights()]
            return {"t": "keras_layer", "v": config, "w": weights}
        self.models += 1
        name = f"model{self.models}.keras"
        model.save(str(self.folder / name))
        return {"t": "keras", "v": name}


def _is_keras_model(value: object) -> bool:
    """A Keras model or layer (duck typing: a ``count_params`` method)."""
    return callable(getattr(value, "count_params", None))


class _Refused(Exception):
    """An exported answer the judge will not load (a model that needs code to load)."""


class _Shaped:
    """What the judge sees of a symbolic tensor: its shape only."""

    def __init__(self, shape: tuple[int | None, ...]) -> None:
        self.shape = shape

    def __repr__(self) -> str:
        return f"<tensor of shape {self.shape}>"


class _Unexportable:
    """An answer the grader could not export (its type is kept for the message)."""

    def __init__(self, type_name: str) -> None:
        self.type_name = type_name

    def __repr__(self) -> str:
        return f"<{self.type_name} that the grader could not export>"


class _Decoder:
    """The inverse of :class:`_Encoder`, for the judge; never unpickles."""

    def __init__(self, folder: Path, arrays: Mapping[str, np.ndarray]) -> None:
        self.folder = folder
        self.arrays = arrays

    def decode(self, data: Any) -> Any:
        if not isinstance(data, dict):
            raise ValueError("malformed export")
        kind, value = data.get("t"), data.get("v")
        if kind == "placeholder":
            return ____
        if kind == "json":
            if value is not None and not isinstance(value, (bool, str)):
                raise ValueError("malformed export")
            return value
        if kind == "int":
            return int(str(value))
        if kind == "float":
            return float(str(value))
        if kind == "fraction":
            return Fraction(int(str(value[0])), int(str(value[1])))
        if kind == "scalar":
            return self.arrays[str(data.get("k"))][()]
        if kind == "array":
            return self.arrays[str(data.get("k"))]
        if kind in ("list", "tuple", "set", "frozenset"):
            items = [self.decode(v) for v in value]
            return {"list": list, "tuple": tuple, "set": set, "frozenset": frozenset}[kind](items)
        if kind == "dict":
            return {self.decode(k): self.decode(v) for k, v in value}
        if kind == "shaped":
            return _Shaped(tuple(None if d is None else int(d) for d in value))
        if kind == "keras":
            return _load_model(self.folder / Path(str(value)).name)
        if kind == "keras_layer":
            return _load_layer(value, [self.arrays[str(k)] for k in data.get("w", [])])
        if kind == "unexportable":
            return _Unexportable(str(value))
        raise ValueError(f"malformed export (kind {kind!r})")


def _load_model(path: Path) -> Any:
    """A Keras model saved by the export, loaded without running any code it carries."""
    import keras

    try:
        return keras.saving.load_model(str(path), safe_mode=True, compile=True)
    except Exception as exc:
        text = f"{type(exc).__name__}: {exc}"[:300]
        raise _Refused(
            "the grader could not load your model safely (safe_mode=True refuses Lambda layers "
            f"and other code saved with a model): {text}"
        ) from exc


def _load_layer(config: Any, weights: list[np.ndarray]) -> Any:
    """A Keras layer from its exported config (``safe_mode=True``) and weights."""
    import keras

    layer = keras.saving.deserialize_keras_object(config, safe_mode=True)
    if weights:
        layer.set_weights(weights)
    return layer


class _Recorder:
    """Stands for the learner's function in the kernel: calls it and records every outcome."""

    def __init__(self, fn: Any, encoder: _Encoder) -> None:
        self._fn = fn
        self._encoder = encoder
        self.calls: list[dict[str, Any]] = []
        name = getattr(fn, "__name__", None)
        self.__name__ = name if isinstance(name, str) and name.isidentifier() else "your_function"

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if len(self.calls) >= _MAX_CALLS:
            raise RuntimeError("too many calls")
        try:
            out = self._fn(*args, **kwargs)
        except Exception as exc:
            self.calls.append({"raised": [type(exc).__name__, str(exc)[:500]]})
            raise
        try:
            self.calls.append({"value": self._encoder.encode(out)})
        except _TooBig as exc:
            self.calls.append({"raised": ["ValueError", f"the grader could not export it: {exc}"]})
        return out


class _NoRecord(Exception):
    """The judge called the function more often than the kernel did."""


class _Replay:
    """Stands for the learner's function in the judge: replays the recorded outcomes in order."""

    def __init__(self, name: str, calls: list[Any], decoder: _Decoder) -> None:
        self.__name__ = name if name.isidentifier() else "your_function"
        self._calls = calls
        self._decoder = decoder
        self._next = 0

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self._next >= len(self._calls):
            raise _NoRecord(
                "the grader has no output of your function for this call (the grader cell "
                "did not call it: was the check changed in your notebook?)"
            )
        call = self._calls[self._next]
        self._next += 1
        if not isinstance(call, dict):
            raise ValueError("malformed export")
        if "raised" in call:
            ename, message = (str(part) for part in call["raised"][:2])
            name = ename if ename.isidentifier() else "Exception"
            raise type(name, (Exception,), {})(message)
        return self._decoder.decode(call.get("value"))


def graded_exercises(chapter: str) -> list[tuple[str, Exercise]]:
    """The graded exercises of a chapter's checks module, as ``(name, exercise)`` pairs.

    Args:
        chapter: The module's name (``"ch04"``).

    Returns:
        The exercises that are not written ones, in the module's order.

    Raises:
        ValueError: If ``chapter`` does not name a ``course_utils.checks`` module.

    Example:
        >>> [name for name, _ in graded_exercises("ch04")]
        ['q1', 'q2', 'q3', 'q4', 'q5']

    Introduced in: notebooks/07_keras_exercises.ipynb
    """
    if not isinstance(chapter, str) or not chapter.isidentifier():
        raise ValueError(f"chapter must be a checks module name such as 'ch04', not {chapter!r}")
    try:
        module = importlib.import_module(f"course_utils.checks.{chapter}")
    except ImportError as exc:
        raise ValueError(f"chapter: no checks module course_utils.checks.{chapter}") from exc
    return [
        (name, obj)
        for name, obj in vars(module).items()
        if isinstance(obj, Exercise) and not obj.thought
    ]


def _export_one(exercise: Exercise, namespace: Mapping[str, Any], seed: int, enc: _Encoder) -> Any:
    """The export of one answer (see the module's docstring)."""
    assert exercise.var is not None and exercise._check is not None
    if exercise.var not in namespace:
        return {"missing": True}
    value = namespace[exercise.var]
    if callable(value) and not _is_keras_model(value) and not isinstance(value, type):
        recorder = _Recorder(value, enc)
        try:
            exercise._check.for_grading(seed)(recorder, question=exercise.label)
        except Exception:  # the kernel's verdict does not count; only the calls do
            pass
        return {"function": recorder.__name__, "calls": recorder.calls}
    return {"value": enc.encode(value)}


def export_answers(chapter: str, seed: int, folder: str | os.PathLike[str]) -> Path:
    """Export the learner's answers to a chapter's graded questions (the grader cell calls it).

    Args:
        chapter: The chapter's checks module (``"ch04"``).
        seed: The grader's secret seed for the test cases of function questions.
        folder: Where to write ``answers.json``, ``arrays.npz`` and any ``.keras`` models.

    Returns:
        The path of ``answers.json``.

    Raises:
        ValueError: If ``chapter`` names no checks module.
        TypeError: If ``seed`` is not an int.

    Example:
        The grader cell that :mod:`course_utils.runner` appends at grading time::

            import course_utils.judging as _course_utils_judging
            _course_utils_judging.export_answers('ch04', 123456789, '/scratch/export')

    Introduced in: notebooks/07_keras_exercises.ipynb
    """
    if not isinstance(seed, int) or isinstance(seed, bool):
        raise TypeError(f"seed must be an int, not {_type_name(seed)}")
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    main = sys.modules.get("__main__")
    namespace = dict(getattr(main, "__dict__", {}))
    try:
        namespace.update(sys._getframe(1).f_globals)
    except Exception:
        pass
    encoder = _Encoder(out)
    answers: dict[str, Any] = {}
    for _, exercise in graded_exercises(chapter):
        try:
            answers[exercise.label] = _export_one(exercise, namespace, seed, encoder)
        except _TooBig as exc:
            answers[exercise.label] = {"unexportable": str(exc)}
        except Exception as exc:
            answers[exercise.label] = {"unexportable": f"{type(exc).__name__}: {exc}"[:300]}
    np.savez(out / _ARRAYS_FILE, **encoder.arrays)
    path = out / EXPORT_FILE
    path.write_text(json.dumps({"chapter": chapter, "answers": answers}), encoding="utf-8")
    return path


def _judge_one(exercise: Exercise, entry: Any, seed: int, decoder: _Decoder) -> CheckResult:
    """The grader's verdict on one exported answer."""
    assert exercise._check is not None
    label = exercise.label
    if not isinstance(entry, dict) or entry.get("missing"):
        return CheckResult(
            label, "not attempted", f"there is no variable `{exercise.var}` in your notebook."
        )
    if "unexportable" in entry:
        return CheckResult(
            label, "failed", f"the grader could not export your answer: {entry['unexportable']}"
        )
    check = exercise._check.for_grading(seed)
    if "function" in entry:
        calls = entry.get("calls")
        if not isinstance(calls, list):
            raise ValueError("malformed export")
        replay = _Replay(str(entry["function"]), calls, decoder)
        return check(replay, question=label)
    value = decoder.decode(entry.get("value"))
    if isinstance(value, _Unexportable):
        return CheckResult(
            label,
            "failed",
            f"your answer is a {value.type_name}, which the grader cannot export: give a "
            "number, a string, a list, a tuple, a dict, a NumPy array or a Keras model",
        )
    return check(value, question=label)


def judge_export(chapter: str, seed: int, folder: str | os.PathLike[str]) -> dict[str, CheckResult]:
    """Judge an export with the chapter's checks (run this in a fresh process).

    Args:
        chapter: The chapter's checks module (``"ch04"``).
        seed: The seed given to :func:`export_answers`.
        folder: The export's folder.

    Returns:
        The verdict on every graded question, by label. A missing or unreadable export gives
        every question ``"error"`` with a message saying so.

    Raises:
        ValueError: If ``chapter`` names no checks module.

    Example:
        >>> import tempfile
        >>> judge_export("ch04", 7, tempfile.mkdtemp())["Exercise 4.1"].status
        'error'

    Introduced in: notebooks/07_keras_exercises.ipynb
    """
    exercises = graded_exercises(chapter)
    out = Path(folder)
    try:
        data = json.loads((out / EXPORT_FILE).read_text(encoding="utf-8"))
        answers = data["answers"]
        if not isinstance(answers, dict):
            raise ValueError("malformed export")
        with np.load(out / _ARRAYS_FILE, allow_pickle=False) as stored:
            arrays = {key: stored[key] for key in stored.files}
    except Exception as exc:
        problem = "the grader found no export of your answers (did the notebook stop early?)"
        if not isinstance(exc, FileNotFoundError):
            problem = f"the export of your answers could not be read: {type(exc).__name__}"
        return {e.label: CheckResult(e.label, "error", problem) for _, e in exercises}
    decoder = _Decoder(out, arrays)
    verdicts: dict[str, CheckResult] = {}
    for _, exercise in exercises:
        try:
            with np.errstate(all="ignore"):
                verdicts[exercise.label] = _judge_one(
                    exercise, answers.get(exercise.label), seed, decoder
                )
        except _Refused as exc:
            verdicts[exercise.label] = CheckResult(exercise.label, "failed", str(exc))
        except Exception as exc:
            verdicts[exercise.label] = CheckResult(
                exercise.label,
                "error",
                f"the grader could not read your exported answer: {type(exc).__name__}",
            )
    return verdicts


def _main(argv: list[str]) -> int:
    """``python -m course_utils.judging``: a request on stdin, the verdicts on stdout (JSON).

    The request is ``{"chapter": "ch04", "seed": 123, "export": "/path"}``.
    """
    del argv
    request = json.loads(sys.stdin.read())
    verdicts = judge_export(str(request["chapter"]), int(request["seed"]), request["export"])
    result = {q: {"status": r.status, "message": r.message} for q, r in verdicts.items()}
    sys.stdout.write("\n" + json.dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
