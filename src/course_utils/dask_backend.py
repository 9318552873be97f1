"""Grading past one machine: one Dask task per submission (``course-utils grade --dask-scheduler``).

:func:`course_utils.grading.grade_submissions` hands its submissions here when it is given a
Dask scheduler's address or a ``distributed.Client``: :func:`map_on_dask` submits one task per
submission, each calling the grading function on a Dask worker, and gives back the results as
they complete. Every worker needs the course installed (the same ``requirements.txt``, this
package and ``requirements-grading.txt``) and the submissions folder at the same path as on the
grader (a shared file system); :func:`map_on_dask` checks both on every worker before it submits
anything. Interrupting the grader (Ctrl-C) cancels the tasks that have not finished.

Dask is not a learner's dependency: ``distributed`` is imported only when a scheduler is used,
and its absence is one clear error (:class:`DaskUnavailable`). This module imports nothing else
from the package.

Introduced in: notebooks/07_keras_exercises.ipynb
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Final

__all__ = ["INSTALL_HINT", "DaskUnavailable", "dask_client", "map_on_dask"]

#: What to run when ``distributed`` is missing.
#:
#: Introduced in: notebooks/07_keras_exercises.ipynb
INSTALL_HINT: Final[str] = "pip install -r requirements-grading.txt"

_CONNECT_TIMEOUT: float = 30.0  # seconds; the tests shorten it


class DaskUnavailable(ImportError):
    """``distributed`` is not installed where grading with Dask needs it.

    Introduced in: notebooks/07_keras_exercises.ipynb
    """


def _distributed() -> Any:
    """The ``distributed`` module, or :class:`DaskUnavailable` with the command to install it."""
    try:
        return importlib.import_module("distributed")
    except ImportError as exc:
        raise DaskUnavailable(
            "grading with a Dask scheduler needs the package distributed, which is not "
            f"installed: {INSTALL_HINT} (in a checkout of the course, on the grader and on "
            "every worker)"
        ) from exc


def dask_client(address: str, *, timeout: float | None = None) -> Any:
    """Connect to a running Dask scheduler.

    Args:
        address: The scheduler's address, e.g. ``"tcp://10.0.0.5:8786"``.
        timeout: Seconds to wait for the connection (default 30).

    Returns:
        A ``distributed.Client`` (close it when done).

    Raises:
        DaskUnavailable: If ``distributed`` is not installed.
        TypeError: If ``address`` is not a string.
        ValueError: If ``address`` is empty.
        OSError: If no scheduler answers at ``address`` within ``timeout`` seconds.

    Example:
        >>> client = dask_client("tcp://127.0.0.1:8786")  # doctest: +SKIP

    Introduced in: notebooks/07_keras_exercises.ipynb
    """
    if not isinstance(address, str):
        raise TypeError(f"dask_scheduler must be an address string, not {address!r}")
    if not address.strip():
        raise ValueError("dask_scheduler must be a scheduler's address (tcp://HOST:8786), not ''")
    distributed = _distributed()
    try:
        wait = _CONNECT_TIMEOUT if timeout is None else timeout
        return distributed.Client(address, timeout=wait, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise OSError(f"no Dask scheduler answered at {address} ({exc})") from exc


def _worker_sees(paths: Sequence[str]) -> str:
    """Run on a worker: "" if it can read every path, else what it cannot."""
    try:
        importlib.import_module("course_utils.grading")
    except ImportError as exc:  # pragma: no cover - the function itself comes from the package
        return f"cannot import course_utils.grading ({exc})"
    missing = [p for p in paths if not os.access(p, os.R_OK)]
    if missing:
        more = f" and {len(missing) - 1} more" if len(missing) > 1 else ""
        return f"cannot read {missing[0]}{more}"
    return ""


def _check_workers(client: Any, paths: Sequence[str]) -> None:
    """Every worker has the package and sees the submissions, or a ValueError naming it."""
    try:
        seen = client.run(_worker_sees, list(paths))
    except ImportError as exc:
        raise ValueError(
            f"a Dask worker cannot run the grader ({exc}): install the course on every worker "
            f"(requirements.txt, the course package and {INSTALL_HINT})"
        ) from exc
    if not seen:
        raise ValueError("the Dask scheduler has no workers; start some with `dask worker ADDRESS`")
    problems = [f"{worker}: {what}" for worker, what in sorted(seen.items()) if what]
    if problems:
        raise ValueError(
            "every Dask worker must see the submissions at the same path as the grader (a shared "
            f"file system) and have the course installed; {'; '.join(problems)}"
        )


def map_on_dask(
    function: Callable[..., Any],
    items: Sequence[Any],
    *,
    kwargs: Mapping[str, Any] | None = None,
    client: Any = None,
    scheduler: str | None = None,
    paths: Iterable[str | os.PathLike[str]] = (),
    on_result: Callable[[Any], None] | None = None,
) -> list[Any]:
    """Call ``function(item, **kwargs)`` for every item, one Dask task each, on the workers.

    Args:
        function: A function importable on the workers (e.g.
            :func:`course_utils.grading.grade_submission`).
        items: The first argument of each call (each call is one task).
        kwargs: The other arguments, the same for every call.
        client: A ``distributed.Client`` to use (left open); or None to use ``scheduler``.
        scheduler: A scheduler's address, connected to and closed again here.
        paths: Files every worker must be able to read (the submissions).
        on_result: Called with each result as soon as its task completes.

    Returns:
        The results, in the order the tasks completed.

    Raises:
        DaskUnavailable: If ``distributed`` is not installed.
        ValueError: If neither or both of ``client`` and ``scheduler`` are given, or a worker
            lacks the course or cannot read one of ``paths``.
        OSError: If no scheduler answers at ``scheduler``.
        KeyboardInterrupt: After Ctrl-C; the unfinished tasks are cancelled first.

    Example:
        >>> map_on_dask(abs, [-1, 2], scheduler="tcp://127.0.0.1:8786")  # doctest: +SKIP
        [1, 2]

    Introduced in: notebooks/07_keras_exercises.ipynb
    """
    if (client is None) == (scheduler is None):
        raise ValueError("give either client (a distributed.Client) or scheduler (an address)")
    distributed = _distributed()
    own = client is None
    if own:
        client = dask_client(scheduler)  # type: ignore[arg-type]
    futures: list[Any] = []
    try:
        _check_workers(client, [os.fspath(p) for p in paths])
        futures = [
            client.submit(function, item, pure=False, **dict(kwargs or {})) for item in items
        ]
        results = []
        for future in distributed.as_completed(futures, loop=client.loop):
            result = future.result()
            results.append(result)
            if on_result is not None:
                on_result(result)
        return results
    except BaseException:
        if futures:
            client.cancel(futures)
        raise
    finally:
        if own:
            client.close()
