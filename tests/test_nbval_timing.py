"""The nbval plugin's memory sampler (tests/nbval_timing.py): it must see a peak inside a cell.

The plugin reads a kernel's anonymous memory (RssAnon) every few milliseconds while a cell runs,
because Linux keeps no peak of it: reading it only between cells would miss a large temporary
array freed before the cell ends. These tests run a child process that holds such an array for
a moment and check that the sampler saw it, and that it sees nothing while it watches nothing.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
import nbval_timing

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/status").exists(), reason="reads /proc (Linux)"
)

# Allocates and touches 200 MB, holds it for 0.3 s, frees it, says so and waits to be told to end.
_SPIKE = textwrap.dedent(
    """
    import sys, time
    block = bytearray(200 * 1024 * 1024)
    for i in range(0, len(block), 4096):
        block[i] = 1
    time.sleep(0.3)
    del block
    print("freed", flush=True)
    sys.stdin.readline()
    """
)


def _watch_child(sampler, path: str | None) -> tuple[float, float]:
    """Run the spiking child while the sampler watches it: its RssAnon after the spike, and max."""
    child = subprocess.Popen(
        [sys.executable, "-c", _SPIKE], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        sampler.watch(path, child.pid)
        assert child.stdout.readline().strip() == "freed"
        time.sleep(0.1)
        after = nbval_timing._rss_anon_mb(child.pid)
        child.communicate("\n", timeout=30)
    finally:
        sampler.watch(None, None)
        child.kill()
    return after or 0.0, nbval_timing._anon_mb.get("spike", 0.0)


def test_the_sampler_sees_a_peak_that_is_gone_when_the_cell_ends():
    sampler = nbval_timing._AnonSampler()
    sampler.start()
    try:
        nbval_timing._anon_mb.pop("spike", None)
        after, seen = _watch_child(sampler, "spike")
    finally:
        sampler.stopped.set()
    assert after < 100, after  # reading after the "cell" would miss the 200 MB
    assert seen > 190, seen


def test_the_sampler_records_nothing_for_a_process_it_does_not_watch():
    sampler = nbval_timing._AnonSampler()
    sampler.start()
    try:
        nbval_timing._anon_mb.pop("spike", None)
        _watch_child(sampler, None)
    finally:
        sampler.stopped.set()
    assert nbval_timing._anon_mb.get("spike", 0.0) == 0.0


def test_rss_anon_of_a_missing_process_is_unknown():
    assert nbval_timing._rss_anon_mb(0) is None
    assert nbval_timing._rss_anon_mb(2**22 + 7) is None
