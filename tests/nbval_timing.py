"""pytest plugin for the nbval run: ignore stderr, time each notebook, enforce the budget.

Loaded by ``make nbval`` with ``-p nbval_timing``.

- stderr is never compared: TensorFlow prints CUDA-probe and oneDNN lines on any machine, at
  whichever cell first touches it, so they cannot be part of a reference output.
- Prints one line per notebook and fails the session when a notebook takes longer than
  ``NB_BUDGET_S`` seconds (default 120), or when its kernel's peak resident memory (``VmHWM`` of
  the kernel process, read after every cell; Linux only) exceeds ``NB_MEMORY_MB`` (default
  1600; figures drawn inline, as in the book and on Binder). It also reports the kernel's CPU
  time (user + system, all threads): about what the notebook takes on one CPU, as on Binder,
  and unlike the wall time, hardly changed by other work on the machine; the session fails when
  it exceeds ``NB_CPU_S`` seconds (default: no limit). A thread samples the kernel's anonymous
  memory (``RssAnon``, its own arrays, models and objects, without the pages of the libraries it
  maps) every 20 ms while a cell runs; the session fails when its largest value exceeds
  ``NB_ANON_MB`` (default: no limit). ``make nbval`` pins the kernels to one CPU, as Binder does.
- When ``NB_RESULTS`` names the results log the kernels wrote (the Makefile sets
  ``COURSE_UTILS_RESULTS`` to the same file), every exercise of every notebook that ran must have
  passed with its model answer: the notebooks are the full versions, so a check that refuses its
  own solution in the notebook (not only in the unit tests) fails the run.
- When ``NB_BOOK_CACHE`` names the book's execution cache (jupyter-cache, as ``make book`` uses
  it) and ``NB_SOURCE_DIR`` the folder of the source notebooks, every notebook whose cells all
  passed is stored there with the outputs this run produced: the source notebook, unchanged but
  for its outputs and execution counts, so it hashes like the one the book reads. The book build
  that follows finds it and renders these outputs instead of executing the notebook again. They
  come from the same code, in the same environment, in a fresh kernel: what the book's own
  execution would produce (run-to-run timings aside).
"""

from __future__ import annotations

import json
import os
import threading
from collections import defaultdict
from pathlib import Path

_seconds: dict[str, float] = defaultdict(float)
# notebook path -> {code cell number: outputs}, for cells that ran and passed
_outputs: dict[str, dict[int, list]] = defaultdict(dict)
_failed: set[str] = set()
# notebook path -> the kernel's peak resident memory so far, in MB
_peak_mb: dict[str, float] = defaultdict(float)
# notebook path -> the kernel's CPU seconds (user + system) so far
_cpu_s: dict[str, float] = {}
# notebook path -> the largest anonymous resident memory of its kernel seen so far, in MB
_anon_mb: dict[str, float] = defaultdict(float)
_SAMPLE_S = 0.02  # how often the sampler reads the running kernel's RssAnon


class _AnonSampler(threading.Thread):
    """Reads the running kernel's RssAnon every few milliseconds, during each cell.

    VmHWM, the kernel's true peak, counts the pages of shared libraries it has read (about
    380 MB of TensorFlow's), which the system can drop and reload and which kernels share;
    RssAnon is the memory that is the kernel's own (arrays, models, Python objects): what a
    memory limit such as Binder's cannot reclaim. Linux keeps no peak of it, hence sampling.
    """

    def __init__(self) -> None:
        super().__init__(name="nbval-anon-sampler", daemon=True)
        self.lock = threading.Lock()
        self.target: tuple[str, int] | None = None
        self.stopped = threading.Event()

    def watch(self, path: str | None, pid: int | None) -> None:
        with self.lock:
            self.target = (path, pid) if path and pid else None

    def run(self) -> None:
        while not self.stopped.wait(_SAMPLE_S):
            with self.lock:
                target = self.target
            if target is not None:
                anon = _rss_anon_mb(target[1])
                if anon is not None:
                    with self.lock:
                        _anon_mb[target[0]] = max(_anon_mb[target[0]], anon)


_sampler: _AnonSampler | None = None


def _kernel_pid(item) -> int | None:
    kernel = getattr(item.parent, "kernel", None)
    return getattr(getattr(getattr(kernel, "km", None), "provisioner", None), "pid", None)


def _kernel_cpu_s(item) -> float | None:
    """CPU seconds the item's kernel process has used (utime + stime of /proc/PID/stat)."""
    try:
        stat = Path(f"/proc/{_kernel_pid(item)}/stat").read_text(encoding="ascii")
    except (OSError, TypeError):
        return None
    fields = stat.rsplit(")", 1)[1].split()  # after the command name, which may hold spaces
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _rss_anon_mb(pid: int) -> float | None:
    """The anonymous resident memory (RssAnon) of a process, in MB, or None if unknown."""
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("RssAnon:"):
            return int(line.split()[1]) / 1024
    return None


def _kernel_peak_mb(item) -> float | None:
    """The peak resident memory of the item's kernel process (VmHWM), or None if unknown."""
    try:
        status = Path(f"/proc/{_kernel_pid(item)}/status").read_text(encoding="ascii")
    except (OSError, TypeError):
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024  # kB -> MB
    return None


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
    global _sampler
    if _sampler is None and Path("/proc/self/status").exists():
        _sampler = _AnonSampler()
        _sampler.start()


def pytest_runtest_call(item):
    if _sampler is not None:
        _sampler.watch(item.nodeid.split("::", 1)[0], _kernel_pid(item))


def pytest_runtest_logreport(report):
    path = report.nodeid.split("::", 1)[0]
    if path.endswith(".ipynb"):
        _seconds[path] += report.duration
        if report.failed or report.skipped:
            _failed.add(path)


def pytest_runtest_teardown(item):
    path = item.nodeid.split("::", 1)[0]
    if _sampler is not None:
        _sampler.watch(None, None)
        anon = _rss_anon_mb(_kernel_pid(item) or 0)
        if anon is not None:
            with _sampler.lock:
                _anon_mb[path] = max(_anon_mb[path], anon)
    peak = _kernel_peak_mb(item)
    if peak is not None:
        _peak_mb[path] = max(_peak_mb[path], peak)
    cpu = _kernel_cpu_s(item)
    if cpu is not None:
        _cpu_s[path] = max(_cpu_s.get(path, 0.0), cpu)
    outputs = getattr(item, "test_outputs", None)
    if outputs is not None and hasattr(item, "cell_num"):
        _outputs[item.nodeid.split("::", 1)[0]][item.cell_num] = [dict(o) for o in outputs]


def _cache_executed(cache_dir: Path, source_dir: Path) -> list[str]:
    """Store each fully passed notebook, with this run's outputs, in the book's cache."""
    import nbformat
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    cache = get_cache(cache_dir)
    stored = []
    for path, by_cell in sorted(_outputs.items()):
        source = source_dir / Path(path).name
        if path in _failed or not source.is_file():
            continue
        nb = nbformat.read(source, as_version=4)
        code = [cell for cell in nb.cells if cell.cell_type == "code"]
        if sorted(by_cell) != list(range(len(code))):
            continue  # not every cell ran: nothing to store
        for number, cell in enumerate(code):
            cell.execution_count = number + 1
            cell.outputs = [nbformat.from_dict(o) for o in by_cell[number]]
            for output in cell.outputs:
                if output.get("output_type") == "execute_result":
                    output["execution_count"] = number + 1
        bundle = CacheBundleIn(
            nb, str(source), data={"execution_seconds": _seconds[path], "executed_by": "nbval"}
        )
        cache.cache_notebook_bundle(bundle, check_validity=True, overwrite=True)
        stored.append(source.name)
    return stored


def _exercises_not_passed(log: Path, source_dir: Path | None) -> list[str]:
    """The exercises of the notebooks that ran whose last logged outcome is not "passed"."""
    from course_utils import grading

    logged = grading.read_results_log(log)
    missing = []
    for path in sorted(_seconds):
        source = (source_dir / Path(path).name) if source_dir else Path(path)
        for question in grading.questions_of_notebook(source if source.is_file() else path):
            if logged.get(question) != "passed":
                status = logged.get(question, "never checked")
                missing.append(f"{Path(path).name}: {question} {status}")
    return missing


def pytest_sessionfinish(session, exitstatus):
    if not _seconds:
        return
    budget = float(os.environ.get("NB_BUDGET_S", "120"))
    memory_budget = float(os.environ.get("NB_MEMORY_MB", "1600"))
    anon_budget = float(os.environ.get("NB_ANON_MB", "inf"))
    cpu_budget = float(os.environ.get("NB_CPU_S", "inf"))
    lines = [
        "",
        "notebook execution time, kernel CPU time, peak memory (VmHWM) and the largest anonymous"
        " memory seen (RssAnon, the kernel's own; nbval, fresh kernel):",
    ]
    over = []
    for path, seconds in sorted(_seconds.items()):
        peak = _peak_mb.get(path)
        flags = []
        if seconds > budget:
            flags.append("OVER TIME BUDGET")
        if peak is not None and peak > memory_budget:
            flags.append("OVER MEMORY BUDGET")
        anon = _anon_mb.get(path)
        if anon is not None and anon > anon_budget:
            flags.append("OVER ANONYMOUS MEMORY BUDGET")
        if _cpu_s.get(path, 0.0) > cpu_budget:
            flags.append("OVER CPU BUDGET")
        memory = f"{peak:6.0f} MB" if peak is not None else "     ? MB"
        memory += f" {anon:6.0f} MB own" if anon is not None else "      ? MB own"
        cpu = f"{_cpu_s[path]:6.1f} s CPU" if path in _cpu_s else "     ? s CPU"
        name = Path(path).name
        lines.append(f"  {seconds:7.1f} s {cpu} {memory}  {name}  {' '.join(flags)}".rstrip())
        if flags:
            over.append(path)
    lines.append(
        f"  {sum(_seconds.values()):7.1f} s total; budgets {budget:.0f} s, "
        f"{cpu_budget:.0f} s CPU, {memory_budget:.0f} MB peak and {anon_budget:.0f} MB own "
        "(anonymous) memory per notebook"
    )
    print("\n".join(lines))
    out = os.environ.get("NB_TIMINGS")
    if out:
        table = {
            path: {
                "seconds": seconds,
                "cpu_s": _cpu_s.get(path),
                "peak_mb": _peak_mb.get(path),
                "anon_peak_mb": _anon_mb.get(path),
            }
            for path, seconds in _seconds.items()
        }
        Path(out).write_text(json.dumps(table, indent=1) + "\n", encoding="utf-8")
    cache_dir, source_dir = os.environ.get("NB_BOOK_CACHE"), os.environ.get("NB_SOURCE_DIR")
    if cache_dir and source_dir and session.exitstatus == 0:
        stored = _cache_executed(Path(cache_dir), Path(source_dir))
        print(f"stored {len(stored)} executed notebook(s) in the book's cache {cache_dir}")
    results = os.environ.get("NB_RESULTS")
    if results and session.exitstatus == 0:
        missing = _exercises_not_passed(Path(results), Path(source_dir) if source_dir else None)
        if missing:
            print("FAILED: exercises whose model answer did not pass in the notebook:")
            print("\n".join(f"  {line}" for line in missing))
            session.exitstatus = 1
        else:
            print(f"every exercise of the {len(_seconds)} notebook(s) passed with its model answer")
    if over and session.exitstatus == 0:
        print(f"FAILED: {len(over)} notebook(s) over the time, CPU or memory budget")
        session.exitstatus = 1
