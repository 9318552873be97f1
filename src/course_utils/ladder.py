"""The book's central table, "the ladder": every language model of the book on the same data.

Two corpora, each with a held-out test set that no model sees in training:

* **hungry**: the hungry-corpus splits of :meth:`HungryGrammar.splits
  <course_utils.data.HungryGrammar.splits>` (5,000 training, 500 validation and 1,000 test
  sentences). The grammar gives the exact probability of every test sentence, so each model's
  cross-entropy (nats per token, ``</s>`` counted as a token) is also reported as a ratio to
  the limit, the true cross-entropy of the test sentences under the grammar.
* **shakespeare-chars**: lines of Shakespeare read character by character
  (:func:`~course_utils.data.shakespeare_split`, seed 0: the first ``char_train_lines`` training
  lines, the first ``char_eval_lines`` validation and test lines; the split keeps the works in
  alphabetical order, so all three come from the same first plays). The end of a line counts
  as one character (it stands for the newline), and results are reported in bits per
  character.

The rungs, bottom to top: a unigram model (add-one), the best Kneser-Ney n-gram model (modified
Kneser-Ney, the order chosen on the validation set), the feed-forward neural LM of chapter 2,
the SimpleRNN, LSTM and GRU language models of chapters 3-5
(:class:`~course_utils.models.RecurrentLM`) and the causal self-attention language model of
chapter 8 (:func:`~course_utils.attention.causal_lm`: one block of two heads, in
:class:`~course_utils.attention.SequenceLM`, trained by
:func:`~course_utils.models.fit_causal_lm` exactly as the recurrent models are). The neural
models share the width (the recurrent state, the feed-forward LM's hidden layer and the
attention model's vectors, at most 128 wide: see ``_ATTENTION_MAX_WIDTH``), the embedding
size (the attention model's vectors are its embeddings, so it has the width instead) and the
training budget. All the rungs go through the
language-model interface of :mod:`course_utils.lm` only. Neural models are trained with Adam;
when the validation cross-entropy gains less than 0.003 nats in an epoch the learning rate is
multiplied by 0.3, and training stops early when it has not improved for ``patience`` epochs
(the best epoch's weights are kept), so the maximum number of epochs is a budget, not a
promise.

:func:`run_ladder` runs one :class:`LadderConfig` (:data:`QUICK` for a smoke test of about a
minute, :data:`FULL` for the numbers the book prints), :func:`format_ladder` prints the table,
and :func:`stored_ladder` returns the last full run, saved with the package by
``python benchmarks/lm_ladder.py --save`` (the script records the date, the machine and the wall
time next to the numbers).

Introduced in: notebooks/05_gru.ipynb
"""

from __future__ import annotations

import ast
import hashlib
import json
import math
import os
import platform
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from importlib import resources
from typing import Any

from course_utils.validation import check_int, check_positive_real

__all__ = [
    "FULL",
    "QUICK",
    "LadderConfig",
    "code_hash",
    "format_ladder",
    "run_ladder",
    "stored_ladder",
]

_PARTS = ("hungry", "shakespeare-chars")
_RECURRENT = (("SimpleRNN", "simple_rnn"), ("LSTM", "lstm"), ("GRU", "gru"))
_STORED = "lm_ladder.json"
# The modules whose code decides the ladder's numbers (see code_hash).
_SOURCES = ("data", "evaluation", "ladder", "lm", "models", "ngram", "text")
# Of attention.py only the language model counts (not the NumPy attention of chapter 8).
_ATTENTION_LM = ("PositionEmbedding", "causal_lm", "SequenceLM")
_LR_FACTOR = 0.3  # ReduceLROnPlateau: new rate = 0.3 x old rate
_LR_MIN_DELTA = 0.003  # nats: a smaller gain on validation counts as a stall
# The attention rung: chapter 8's causal self-attention model (one block, two heads).
_ATTENTION_HEADS = 2
_ATTENTION_BLOCKS = 1
# Its width is the corpus's units, at most this. Its feed-forward layer is four times as wide
# and its cost grows with the square of the width: at the 256 units of the full character run an
# epoch would take about four times as long as at 128, with 2.7 times the LSTM's parameters
# (and after one epoch at the common learning rate it had learnt far less); at 128 it has about
# as many as the GRU.
_ATTENTION_MAX_WIDTH = 128


@dataclass(frozen=True)
class LadderConfig:
    """The budget of one ladder run; every neural model of a corpus gets the same budget.

    Attributes:
        name: A label printed with the results (``"quick"``, ``"full"``).
        hungry_units: Hidden size of the recurrent models, of the neural LM's hidden layer and
            of the attention model's vectors on the hungry corpus (even: two heads split it).
        hungry_dim: Embedding size on the hungry corpus.
        hungry_epochs: Maximum epochs on the hungry corpus (early stopping may end sooner).
        hungry_orders: The n-gram orders tried on the hungry corpus (best on validation wins).
        char_train_lines: Training lines of Shakespeare (0 skips the Shakespeare part).
        char_eval_lines: Validation lines and test lines of Shakespeare.
        char_units: Hidden size of the character models (even; the attention width, at most 128).
        char_dim: Embedding size of the character models.
        char_epochs: Maximum epochs of the character models.
        char_orders: The n-gram orders tried on characters.
        char_context: Characters the feed-forward neural LM sees.
        patience: Early stopping patience in epochs.
        learning_rate: Adam's learning rate for every neural model.
    """

    name: str
    hungry_units: int = 64
    hungry_dim: int = 16
    hungry_epochs: int = 5
    hungry_orders: tuple[int, ...] = (2, 3, 4, 5)
    char_train_lines: int = 2000
    char_eval_lines: int = 500
    char_units: int = 64
    char_dim: int = 16
    char_epochs: int = 1
    char_orders: tuple[int, ...] = (3, 5, 7)
    char_context: int = 8
    patience: int = 2
    learning_rate: float = 0.005

    def __post_init__(self) -> None:
        for key in ("hungry_units", "hungry_dim", "hungry_epochs", "char_units", "char_dim"):
            check_int(getattr(self, key), key, 1)
        for key in ("char_epochs", "char_context", "patience", "char_eval_lines"):
            check_int(getattr(self, key), key, 1)
        check_int(self.char_train_lines, "char_train_lines", 0)
        for key in ("hungry_units", "char_units"):
            if getattr(self, key) % _ATTENTION_HEADS:
                raise ValueError(
                    f"{key} must be a multiple of {_ATTENTION_HEADS} (the attention model's "
                    f"heads share its width); got {getattr(self, key)}"
                )
        for key in ("hungry_orders", "char_orders"):
            orders = getattr(self, key)
            if not isinstance(orders, tuple) or not orders:
                raise TypeError(f"{key} must be a non-empty tuple of orders; got {orders!r}")
            for order in orders:
                check_int(order, f"each of {key}", 1)
        check_positive_real(self.learning_rate, "learning_rate")


#: A smoke test: small models, one or a few epochs, 2,000 lines of Shakespeare (about a minute).
QUICK = LadderConfig(name="quick")

#: The budget of the numbers printed in the book (about an hour on a 2-core laptop CPU).
FULL = LadderConfig(
    name="full",
    hungry_units=128,
    hungry_dim=32,
    hungry_epochs=30,
    hungry_orders=(2, 3, 4, 5, 6),
    char_train_lines=20_000,
    char_eval_lines=2_000,
    char_units=256,
    char_dim=32,
    char_epochs=16,
    char_orders=(3, 4, 5, 6, 7, 8, 9),
    char_context=10,
    patience=2,
    learning_rate=0.01,
)


@dataclass
class _Rung:
    """One row of the table."""

    corpus: str
    model: str
    cross_entropy: float
    seconds: float
    params: int | None = None
    epochs: int | None = None
    detail: str = ""
    extra: dict[str, float] = field(default_factory=dict)


@dataclass
class _Data:
    """One corpus of the ladder: its splits and, for the hungry corpus, the true grammar."""

    corpus: str
    train: Sequence[Sequence[str]]
    valid: Sequence[Sequence[str]]
    test: Sequence[Sequence[str]]
    reference: Any = None

    def longest(self) -> int:
        """The longest input a causal model reads: ``<s>`` and the longest sentence."""
        return 1 + max(len(s) for part in (self.train, self.valid, self.test) for s in part)


def _gap(model: Any, data: _Data) -> dict[str, float]:
    """The gap to the reference and its paired standard error, or nothing without a reference."""
    if data.reference is None:
        return {}
    from course_utils.evaluation import paired_gap

    estimate = paired_gap(model, data.reference, data.test)
    return {"gap": estimate.gap, "gap_se": estimate.se}


def _callbacks(patience: int) -> list[Any]:
    """Divide the learning rate by ~3 when validation stalls; stop after ``patience`` more."""
    import keras

    return [
        keras.callbacks.ReduceLROnPlateau(
            monitor="val_loss", factor=_LR_FACTOR, patience=0, min_delta=_LR_MIN_DELTA
        ),
        keras.callbacks.EarlyStopping(
            monitor="val_loss", patience=patience, restore_best_weights=True
        ),
    ]


def _train(lm: Any, data: _Data, epochs: int, config: LadderConfig) -> Any:
    """Train one neural rung on the training set, watching the validation set."""
    from course_utils.attention import SequenceLM
    from course_utils.models import fit_causal_lm

    options = {
        "epochs": epochs,
        "validation_sentences": data.valid,
        "learning_rate": config.learning_rate,
        "callbacks": _callbacks(config.patience),
    }
    if isinstance(lm, SequenceLM):  # a Keras model in an adapter: trained like RecurrentLM
        return fit_causal_lm(lm, data.train, seed=0, **options)
    return lm.fit(data.train, **options)


def _neural_rungs(data: _Data, config: LadderConfig, log: Callable[[str], None]) -> list[_Rung]:
    """The neural LM, the three recurrent LMs and the attention LM, same width and budget."""
    from course_utils.attention import SequenceLM, causal_lm
    from course_utils.models import NeuralLM, RecurrentLM
    from course_utils.text import Vocabulary

    chars = data.corpus != "hungry"
    units = config.char_units if chars else config.hungry_units
    dim = config.char_dim if chars else config.hungry_dim
    epochs = config.char_epochs if chars else config.hungry_epochs
    context = config.char_context if chars else 3
    vocab = Vocabulary.build(data.train)
    builders: list[tuple[str, Callable[[], Any], str]] = [
        (
            f"neural LM ({context} tokens)",
            lambda: NeuralLM(vocab, context_size=context, dim=dim, hidden=units, seed=0),
            f"hidden {units}",
        )
    ]
    for label, cell in _RECURRENT:
        builders.append(
            (
                label,
                lambda cell=cell: RecurrentLM(vocab, cell=cell, units=units, dim=dim, seed=0),
                f"units {units}",
            )
        )
    width = min(units, _ATTENTION_MAX_WIDTH)
    builders.append(
        (
            "self-attention",
            lambda: SequenceLM(
                causal_lm(
                    len(vocab),
                    dim=width,
                    heads=_ATTENTION_HEADS,
                    blocks=_ATTENTION_BLOCKS,
                    max_len=data.longest(),
                    seed=0,
                ),
                vocab,
            ),
            f"width {width}, {_ATTENTION_HEADS} heads",
        )
    )
    rungs = []
    for label, build, detail in builders:
        lm = build()
        start = time.perf_counter()
        history = _train(lm, data, epochs, config)
        seconds = time.perf_counter() - start
        ran = len(history.history["loss"])
        rung = _Rung(
            data.corpus,
            label,
            lm.cross_entropy(data.test),
            seconds,
            params=int(lm.model.count_params()),
            epochs=ran,
            detail=detail,
            extra={"seconds_per_epoch": seconds / ran, **_gap(lm, data)},
        )
        log(f"  {data.corpus}: {label}: {rung.cross_entropy:.4f} nats/token in {seconds:.0f} s")
        rungs.append(rung)
    return rungs


def _count_rungs(data: _Data, orders: Sequence[int], log: Callable[[str], None]) -> list[_Rung]:
    """The add-one unigram model and the Kneser-Ney model of the best order on validation."""
    from course_utils.ngram import NGramLM

    start = time.perf_counter()
    unigram = NGramLM(1, "add_k", k=1.0).fit(data.train)
    rungs = [
        _Rung(
            data.corpus,
            "unigram (add-one)",
            unigram.cross_entropy(data.test),
            time.perf_counter() - start,
            extra=_gap(unigram, data),
        )
    ]
    start = time.perf_counter()
    scored = {}
    for order in orders:
        model = NGramLM(order, "kneser_ney", modified=True).fit(data.train)
        scored[order] = (model.cross_entropy(data.valid), model)
    best = min(scored, key=lambda order: scored[order][0])
    tried = ", ".join(f"{order}: {ce:.4f}" for order, (ce, _) in scored.items())
    rungs.append(
        _Rung(
            data.corpus,
            f"Kneser-Ney {best}-gram",
            scored[best][1].cross_entropy(data.test),
            time.perf_counter() - start,
            detail=f"best order on validation ({tried})",
            extra=_gap(scored[best][1], data),
        )
    )
    log(f"  {data.corpus}: n-grams done, best order {best}")
    return rungs


def _hungry(config: LadderConfig, log: Callable[[str], None]) -> dict[str, Any]:
    from course_utils.data import HungryGrammar
    from course_utils.evaluation import cross_entropy_with_se

    grammar = HungryGrammar()
    data = _Data("hungry", **grammar.splits(), reference=grammar)
    limit, limit_se = cross_entropy_with_se(grammar, data.test)
    rungs = _count_rungs(data, config.hungry_orders, log) + _neural_rungs(data, config, log)
    for rung in rungs:
        rung.extra["ratio_to_limit"] = rung.cross_entropy / limit
    return {"limit": limit, "limit_se": limit_se, "rungs": rungs}


def _shakespeare(config: LadderConfig, log: Callable[[str], None]) -> dict[str, Any]:
    from course_utils.data import shakespeare_split

    lines = shakespeare_split(seed=0)
    n_eval = config.char_eval_lines
    data = _Data(
        "shakespeare-chars",
        train=[list(line) for line in lines["train"][: config.char_train_lines]],
        valid=[list(line) for line in lines["valid"][:n_eval]],
        test=[list(line) for line in lines["test"][:n_eval]],
    )
    rungs = _count_rungs(data, config.char_orders, log) + _neural_rungs(data, config, log)
    for rung in rungs:
        rung.extra["bits_per_char"] = rung.cross_entropy / math.log(2)
    return {
        "train_characters": sum(len(line) + 1 for line in data.train),
        "test_characters": sum(len(line) + 1 for line in data.test),
        "rungs": rungs,
    }


def _without_docstrings(tree: ast.AST) -> ast.AST:
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (
            isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
            and body
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
            and isinstance(body[0].value.value, str)
        ):
            node.body = body[1:] or [ast.Pass()]
    return tree


def _fingerprinted() -> list[tuple[str, ast.AST]]:
    """(module, syntax tree without docstrings) of the code :func:`code_hash` covers."""
    package = resources.files("course_utils")
    trees = []
    for name in (*_SOURCES, "attention"):
        source = package.joinpath(f"{name}.py").read_text(encoding="utf-8")
        tree = _without_docstrings(ast.parse(source))
        if name == "attention":
            kept = [
                node
                for node in tree.body
                if isinstance(node, ast.ClassDef | ast.FunctionDef) and node.name in _ATTENTION_LM
            ]
            tree = ast.Module(body=kept, type_ignores=[])
        trees.append((name, tree))
    return trees


def code_hash() -> str:
    """A fingerprint of the code that produces the ladder's numbers.

    It hashes the syntax trees of the modules the ladder runs (``data``, ``evaluation``,
    ``ladder``, ``lm``, ``models``, ``ngram`` and ``text``, and of ``attention`` the language
    model only: ``PositionEmbedding``, ``causal_lm`` and ``SequenceLM``) with their docstrings
    and comments left out, so editing documentation keeps it, while any change to the code
    changes it. :func:`run_ladder` stores it with the results; when the stored ladder's
    fingerprint differs from this one, the stored numbers were made by code that has changed
    since and must be run again (``python benchmarks/lm_ladder.py --save``).

    Introduced in: notebooks/05_gru.ipynb
    """
    digest = hashlib.sha256()
    for name, tree in _fingerprinted():
        digest.update(name.encode() + b"\0" + ast.dump(tree).encode() + b"\0")
    return digest.hexdigest()[:12]


def run_ladder(
    config: LadderConfig = QUICK,
    parts: Sequence[str] = _PARTS,
    *,
    log: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Train and evaluate every rung of the ladder under one budget.

    Args:
        config: The budget, :data:`QUICK` (the default), :data:`FULL` or your own
            :class:`LadderConfig`.
        parts: Which corpora: any of ``"hungry"`` and ``"shakespeare-chars"`` (both by default).
        log: Called with one line of progress after each model (``print`` to watch a long run);
            silent by default.

    Returns:
        A JSON-ready dict: ``"config"`` (the budget as a dict), ``"code_hash"`` (see
        :func:`code_hash`), ``"environment"`` (Python, Keras and TensorFlow versions, processor
        count), ``"wall_seconds"``, and one entry per corpus with its ``"rungs"`` (one dict per
        model: ``model``, ``cross_entropy`` in nats per token, ``seconds`` of training,
        ``params``, ``epochs``, ``detail``, and ``ratio_to_limit`` or ``bits_per_char``). The
        hungry entry also has the ``"limit"`` and its standard error ``"limit_se"``, and each of
        its rungs the ``gap`` to the limit with its paired standard error ``gap_se`` (see
        :func:`course_utils.evaluation.paired_gap`).

    Raises:
        TypeError: If ``config`` is not a LadderConfig or ``parts`` not a sequence of str.
        ValueError: If ``parts`` is empty or names an unknown corpus.

    Introduced in: notebooks/05_gru.ipynb
    """
    if not isinstance(config, LadderConfig):
        raise TypeError(f"config must be a LadderConfig (QUICK, FULL or your own); got {config!r}")
    if isinstance(parts, str) or not isinstance(parts, Sequence):
        raise TypeError(f"parts must be a list of corpus names from {_PARTS}; got {parts!r}")
    if not parts:
        raise ValueError(f"parts must name at least one corpus from {_PARTS}")
    for part in parts:
        if part not in _PARTS:
            raise ValueError(f"unknown corpus {part!r} in parts; choose from {_PARTS}")
    if "shakespeare-chars" in parts and config.char_train_lines == 0:
        parts = [part for part in parts if part != "shakespeare-chars"]
    say = log if log is not None else (lambda line: None)
    import keras
    import tensorflow as tf

    start = time.perf_counter()
    results: dict[str, Any] = {
        "config": asdict(config),
        "code_hash": code_hash(),
        "environment": {
            "python": platform.python_version(),
            "keras": keras.__version__,
            "tensorflow": tf.__version__,
            "processors": os.cpu_count(),
            "machine": platform.machine(),
        },
    }
    if "hungry" in parts:
        results["hungry"] = _hungry(config, say)
    if "shakespeare-chars" in parts:
        results["shakespeare-chars"] = _shakespeare(config, say)
    results["wall_seconds"] = time.perf_counter() - start
    for part in _PARTS:
        if part in results:
            results[part]["rungs"] = [_rung_dict(rung) for rung in results[part]["rungs"]]
    return results


def _rung_dict(rung: _Rung) -> dict[str, Any]:
    row = asdict(rung)
    row.update(row.pop("extra"))
    return row


def format_ladder(results: dict[str, Any]) -> str:
    """The ladder as a plain-text table (what ``benchmarks/lm_ladder.py`` prints).

    Args:
        results: What :func:`run_ladder` or :func:`stored_ladder` returns.

    Raises:
        TypeError: If ``results`` is not a dict.
        ValueError: If it has no corpus entry or a rung lacks a field.

    Introduced in: notebooks/05_gru.ipynb
    """
    if not isinstance(results, dict):
        raise TypeError(f"results must be the dict run_ladder returns; got {type(results)}")
    present = [part for part in _PARTS if part in results]
    if not present:
        raise ValueError(f"results has no corpus entry (expected one of {_PARTS})")
    lines = []
    for part in present:
        entry = results[part]
        try:
            rungs = entry["rungs"]
            hungry = part == "hungry"
            if hungry:
                unit, key = "nats", "ratio_to_limit"
                limit_se = f" (se {entry['limit_se']:.4f})" if "limit_se" in entry else ""
                lines.append("hungry corpus: test cross-entropy in nats per token")
                lines.append(f"limit (true grammar) {entry['limit']:.4f}{limit_se}")
            else:
                unit, key = "bits", "bits_per_char"
                lines.append(
                    f"Shakespeare, bits per character ({entry['train_characters']:,} training, "
                    f"{entry['test_characters']:,} test characters)"
                )
            with_gap = hungry and all("gap_se" in rung for rung in rungs)
            lines.append(
                f"  {'model':21s} {unit:>8s} {'x limit' if hungry else '':>7s} "
                f"{'gap ± se' if with_gap else '':^13s} {'params':>8s} {'epochs':>6s} "
                f"{'train s':>7s}"
            )
            for rung in rungs:
                value = rung["cross_entropy"] if hungry else rung[key]
                ratio = f"{rung[key]:7.4f}" if hungry else " " * 7
                gap = f"{rung['gap']:.3f} ± {rung['gap_se']:.3f}" if with_gap else ""
                params = f"{rung['params']:8,d}" if rung["params"] is not None else " " * 8
                epochs = f"{rung['epochs']:6d}" if rung["epochs"] is not None else " " * 6
                lines.append(
                    f"  {rung['model']:21s} {value:8.4f} {ratio} {gap:>13s} {params} "
                    f"{epochs} {rung['seconds']:7.1f}"
                )
        except (KeyError, TypeError) as error:
            raise ValueError(f"results[{part!r}] is not a ladder entry: missing {error}") from None
        lines.append("")
    if "wall_seconds" in results:
        lines.append(f"wall time {results['wall_seconds']:.0f} s")
    return "\n".join(lines).rstrip("\n")


def stored_ladder() -> dict[str, Any]:
    """The full ladder as last run with ``python benchmarks/lm_ladder.py --save``.

    The file ships inside the package (``course_utils/results/lm_ladder.json``), so the book
    can print the full run's numbers without spending an hour of training on every
    build; it also records when, on which machine and from which commit they were produced.

    Raises:
        FileNotFoundError: If the package was installed without its results file.

    Introduced in: notebooks/05_gru.ipynb
    """
    source = resources.files("course_utils").joinpath("results", _STORED)
    if not source.is_file():
        raise FileNotFoundError(
            f"course_utils/results/{_STORED} is missing; run `python benchmarks/lm_ladder.py "
            "--save` to create it"
        )
    return json.loads(source.read_text(encoding="utf-8"))
