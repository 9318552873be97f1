"""The memory Keras keeps after a model is gone, and how to free it (the appendix, A.5).

A notebook that trains many small models one after another (a table of timings, a sweep over a
setting) grows by tens of megabytes per model on the TensorFlow backend, even after ``del model``,
``gc.collect()`` and ``keras.backend.clear_session()``. The cause is a TensorFlow bug, reported
as tensorflow/tensorflow#80895 and #97697:

1. When Keras 3 traces a training step, its optimizer sums the gradients over the replicas
   (``tf.distribute``'s ``ReplicaContext.all_reduce``), even when there is a single device.
2. For dense gradients, ``all_reduce`` wraps that sum in ``tf.custom_gradient``. In graph mode,
   ``tf.custom_gradient`` registers a gradient function under a new name,
   ``CustomGradient-<number>``, in TensorFlow's global registry of gradient functions, and nothing
   ever removes it.
3. That function's closure holds tensors of the traced step, and a tensor holds its graph: the
   whole traced training step stays alive for as long as the kernel runs.

Models whose gradients are all sparse (an ``Embedding`` lookup as the only trainable layer gives
``IndexedSlices``) take another branch of ``all_reduce`` and are not affected.

:func:`free_unused_graphs` removes those registry entries, and only those: the gradient *of* the
summed gradients, which they register, is never asked for when Keras trains a model, because the
sum runs after the gradients have been computed. A model that is still in use keeps training
normally; the graphs of the models that are gone become garbage, which ``gc.collect`` frees.

Introduced in: notebooks/appendix_keras_reference.ipynb
"""

from __future__ import annotations

import gc
from collections.abc import Callable, MutableMapping
from typing import Any

__all__ = ["free_unused_graphs"]

#: The prefix of the names under which graph-mode ``tf.custom_gradient`` registers a function.
_PREFIX = "CustomGradient-"
#: Where the gradient function that ``all_reduce`` passes to ``tf.custom_gradient`` is defined.
_ALL_REDUCE_MODULE = "tensorflow.python.distribute.distribute_lib"
_ALL_REDUCE_QUALNAME = "ReplicaContextBase.all_reduce."


def _gradient_registry() -> MutableMapping[str, Any] | None:
    """TensorFlow's registry of gradient functions, or None if this TensorFlow has none."""
    try:
        from tensorflow.python.framework import ops
    except ImportError:  # pragma: no cover - TensorFlow is a dependency of the package
        return None
    registry = getattr(getattr(ops, "_gradient_registry", None), "_registry", None)
    return registry if isinstance(registry, MutableMapping) else None


def _closure_functions(function: Callable[..., Any], depth: int) -> list[Callable[..., Any]]:
    """The functions held, directly or through other functions, by ``function``'s closure."""
    found: list[Callable[..., Any]] = []
    for cell in getattr(function, "__closure__", None) or ():
        try:
            value = cell.cell_contents
        except ValueError:  # an empty cell
            continue
        if callable(value) and hasattr(value, "__code__"):
            found.append(value)
            if depth > 1:
                found.extend(_closure_functions(value, depth - 1))
    return found


def _is_all_reduce_entry(entry: object) -> bool:
    """Whether a registry entry is the gradient that ``all_reduce`` registered."""
    function = entry.get("type") if isinstance(entry, dict) else None
    if not callable(function):
        return False
    return any(
        getattr(inner, "__module__", "") == _ALL_REDUCE_MODULE
        and getattr(inner, "__qualname__", "").startswith(_ALL_REDUCE_QUALNAME)
        for inner in _closure_functions(function, depth=3)
    )


def free_unused_graphs() -> int:
    """Let Python free the traced training steps of Keras models that are no longer used.

    Removes from TensorFlow's gradient registry the entries that the optimizer's gradient sum
    (``all_reduce``) registered each time Keras traced a training step (see the module's
    docstring for the TensorFlow bug), then runs ``gc.collect()``. The memory of every model
    that nothing refers to any more is then returned to the allocator, where the next models
    reuse it. Models still in use are unaffected: their steps are already traced, and a step
    traced later registers a new entry. Other ``tf.custom_gradient`` functions are kept.

    Call it after ``del`` of the models a section no longer needs, or before building each new
    model in a loop that trains many.

    Returns:
        The number of registry entries removed (0 when there were none, or when this
        TensorFlow keeps no such registry).

    Example:
        >>> import keras, numpy as np
        >>> x, y = np.ones((8, 3), "float32"), np.ones((8, 1), "float32")
        >>> for _ in range(3):
        ...     model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
        ...     model.compile(optimizer="adam", loss="mse")
        ...     _ = model.train_on_batch(x, y)
        >>> del model
        >>> free_unused_graphs() >= 3  # one entry per traced training step
        True
        >>> free_unused_graphs()  # nothing left to remove
        0

    Introduced in: notebooks/appendix_keras_reference.ipynb
    """
    registry = _gradient_registry()
    removed = 0
    if registry is not None:
        stale = [
            name
            for name, entry in list(registry.items())
            if isinstance(name, str) and name.startswith(_PREFIX) and _is_all_reduce_entry(entry)
        ]
        for name in stale:
            registry.pop(name, None)
        removed = len(stale)
    gc.collect()
    return removed
