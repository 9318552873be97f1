"""pytest plugin for the nbval run: ignore stderr, time each notebook, enforce the budget.

Loaded by ``make nbval`` with ``-p nbval_timing``.

- stderr is never compared: TensorFlow prints CUDA-probe and oneDNN lines on any machine, at
  whichever cell first touches it, so they cannot be part of a reference output.
- Prints one line per notebook and fails the session when a notebook takes longer than
  ``NB_BUDGET_S`` seconds (default 120).
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from pathlib import Path

_seconds: dict[str, float] = defaultdict(float)


def pytest_configure(config):
    from nbval.plugin import IPyNbFile

    original = IPyNbFile.__init__
    if getattr(original, "_ignores_stderr", False):
        return

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        self.skip_compare = (*self.skip_compare, "stderr")

    init._ignores_stderr = True
    IPyNbFile.__init__ = init


def pytest_runtest_logreport(report):
    path = report.nodeid.split("::", 1)[0]
    if path.endswith(".ipynb"):
        _seconds[path] += report.duration


def pytest_sessionfinish(session, exitstatus):
    if not _seconds:
        return
    budget = float(os.environ.get("NB_BUDGET_S", "120"))
    lines = ["", "notebook execution times (nbval, fresh kernel):"]
    over = []
    for path, seconds in sorted(_seconds.items()):
        flag = "  OVER BUDGET" if seconds > budget else ""
        lines.append(f"  {seconds:7.1f} s  {Path(path).name}{flag}")
        if seconds > budget:
            over.append(path)
    lines.append(f"  {sum(_seconds.values()):7.1f} s  total (budget {budget:.0f} s per notebook)")
    print("\n".join(lines))
    out = os.environ.get("NB_TIMINGS")
    if out:
        Path(out).write_text(json.dumps(dict(_seconds), indent=1) + "\n", encoding="utf-8")
    if over and session.exitstatus == 0:
        print(f"FAILED: {len(over)} notebook(s) over the {budget:.0f} s budget")
        session.exitstatus = 1
