"""How many submissions per minute the grader handles: --jobs 1, --jobs 2 and a Dask cluster.

Writes the student version of a chapter (chapter 0 unless a notebook is named), copies it N times
as a class of N students (DIR/s01/..., the folder layout instructors use), grades the class with
``course-utils grade --jobs 1``, ``--jobs 2`` and ``--dask-scheduler`` on a two-worker
``distributed.LocalCluster`` (one thread per worker), checks that the three CSVs are identical,
and prints submissions per minute and per core, with what a class of 300 needs at that rate.
The Dask run needs ``pip install -r requirements-grading.txt``; without it, it is left out.
The figures in book/instructors.md come from this script. Run with ``make bench`` or

    python benchmarks/grading_throughput.py [notebooks/06_keras_recurrent_layers.ipynb] [-n 8]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMMAND = [sys.executable, "-m", "course_utils.cli"]
CLASS_SIZE = 300


def make_class(notebook: Path, n: int, folder: Path) -> Path:
    """N copies of the student version of ``notebook``, one folder per student."""
    handout = folder / "handout"
    subprocess.run([*COMMAND, "student", str(notebook), "--out", str(handout)], check=True)
    student = handout / notebook.name
    submissions = folder / "submissions"
    for i in range(1, n + 1):
        (submissions / f"s{i:02d}").mkdir(parents=True)
        shutil.copy(student, submissions / f"s{i:02d}" / notebook.name)
    return submissions


def grade(submissions: Path, out: Path, *options: str) -> float:
    """Grade the class into ``out``; the wall time in seconds."""
    start = time.perf_counter()
    done = subprocess.run(
        [*COMMAND, "grade", str(submissions), "--out", str(out), "--timeout", "600", *options],
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"grading failed ({' '.join(options)}):\n{done.stderr[-2000:]}")
    return seconds


def report(name: str, n: int, seconds: float, cores: int) -> None:
    per_minute = n / (seconds / 60)
    core_minutes = CLASS_SIZE / (per_minute / cores)
    print(
        f"{name:22s} {seconds:7.1f} s {per_minute:6.1f}/min {per_minute / cores:6.1f}/min/core"
        f"   {CLASS_SIZE} students: {core_minutes:6.0f} core-minutes",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebook", nargs="?", default="notebooks/00_data_and_tools.ipynb")
    parser.add_argument("-n", type=int, default=8, help="class size to time (default 8)")
    args = parser.parse_args()
    notebook = (ROOT / args.notebook).resolve()
    print(f"{notebook.name}, {args.n} student copies; load average {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        submissions = make_class(notebook, args.n, folder)
        csvs = {}
        for name, cores, options in [
            ("--jobs 1", 1, ("--jobs", "1")),
            ("--jobs 2", 2, ("--jobs", "2")),
        ]:
            csvs[name] = folder / f"{name[-1]}.csv"
            report(name, args.n, grade(submissions, csvs[name], *options), cores)
        try:
            import distributed
        except ImportError:
            print("Dask left out: pip install -r requirements-grading.txt")
        else:
            with distributed.LocalCluster(
                n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
            ) as cluster:
                csvs["dask"] = folder / "dask.csv"
                seconds = grade(
                    submissions, csvs["dask"], "--dask-scheduler", cluster.scheduler_address
                )
                report("Dask, 2 workers", args.n, seconds, 2)
        texts = {name: path.read_bytes() for name, path in csvs.items()}
        same = len(set(texts.values())) == 1
        print(f"the {len(texts)} CSVs are {'identical' if same else 'DIFFERENT'}")
        if not same:
            raise SystemExit(1)


if __name__ == "__main__":
    main()
