"""The attacks of issue 17 (item 2) on grading, each stopped by the sandbox of one run.

Each test runs tiny fabricated notebooks (no TensorFlow) with :func:`run_submission` as the
grader does, with its scratch folders in a temporary folder of the test. Each test runs with
every sandbox available here (``bwrap``, ``unshare``) and is skipped without one; the test of
detached processes also runs without a sandbox (``none``).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import tempfile
import threading
import time
import uuid
from pathlib import Path

import pytest
from test_runner import CHECKS, IMPORTS, SOLUTIONS, TIMEOUT, answers, notebook, submission

from course_utils import runner
from course_utils.runner import Submission, run_submission

KINDS = [k for k in ("bwrap", "unshare", "none") if runner.isolation_available(k)]
# The sandboxes available here; a test run with none of them skips the tests that need one.
SANDBOXES = [k for k in KINDS if k != "none"]
FORGE_41 = (
    "import json, os\n"
    "def forge():\n"
    "    with open(os.environ['COURSE_UTILS_RESULTS'], 'a') as log:\n"
    "        log.write(json.dumps({'question': 'Exercise 4.1', 'status': 'passed',\n"
    "                              'message': 'forged', 'points': 1}) + '\\n')\n"
)

pytestmark = pytest.mark.slow


@pytest.fixture
def scratch_parent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where the runs make their scratch folders (as the grader's TMPDIR would say)."""
    folder = tmp_path / "grader-tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def _hashes(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _processes_with(token: str) -> list[int]:
    """Live processes whose command line contains ``token``."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes().decode(errors="replace")
            state = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        if token in cmdline and state not in ("Z", "X"):
            found.append(int(entry))
    return found


@pytest.mark.parametrize("kind", SANDBOXES)
def test_an_ipython_startup_file_reaches_neither_the_next_run_nor_the_instructor(
    tmp_path: Path, scratch_parent: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    """A notebook writes an IPython startup file that forges 4.1 for every later kernel."""
    home = tmp_path / "instructor"
    (home / ".ipython").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("IPYTHONDIR", raising=False)
    # After every cell of every later kernel, 4.1 is logged "passed" (the last entry counts).
    startup = FORGE_41 + "get_ipython().events.register('post_run_cell', lambda *_: forge())\n"
    evil = (
        "import os\n"
        f"startup = {startup!r}\n"
        "for ipython in [os.environ.get('IPYTHONDIR') or os.path.expanduser('~/.ipython'),\n"
        f"                {str(home / '.ipython')!r}]:\n"
        "    folder = os.path.join(ipython, 'profile_default', 'startup')\n"
        "    try:\n"
        "        os.makedirs(folder, exist_ok=True)\n"
        "        with open(os.path.join(folder, '00-evil.py'), 'w') as f:\n"
        "            f.write(startup)\n"
        "    except OSError:\n"
        "        pass"
    )
    subs = tmp_path / "subs"
    first = submission(notebook(evil), subs, "a_evil.ipynb")
    untouched = [IMPORTS, "def remembering_units(forget, fillers, threshold=0.9):\n    return ____"]
    second = submission(notebook(*untouched, CHECKS[0]), subs, "b_untouched.ipynb")
    run_submission(first, timeout=TIMEOUT, isolation=kind)
    run, logged = run_submission(second, timeout=TIMEOUT, isolation=kind)
    assert logged == {"Exercise 4.1": "not attempted"}, run
    assert not list(home.rglob("00-evil.py"))


@pytest.mark.parametrize("kind", KINDS)
def test_a_detached_process_does_not_outlive_the_run(
    tmp_path: Path, scratch_parent: Path, kind: str
) -> None:
    """setsid and a double fork: the process would rewrite grades.csv after grading ended."""
    token = f"course-utils-test-{uuid.uuid4().hex}"
    out = tmp_path / "out"
    out.mkdir()
    grades = out / "grades.csv"
    grades.write_text("submission,run\n", encoding="utf-8")
    later = f"import sys, time\ntime.sleep(3)\nopen({str(grades)!r}, 'w').write('forged')\n"
    evil = (
        "import os, subprocess, sys\n"
        f"later = {later!r}\n"
        f"subprocess.Popen(['setsid', sys.executable, '-c', later, {token!r}],\n"
        "                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
        "if os.fork() == 0:\n"
        "    os.setsid()\n"
        "    if os.fork() == 0:\n"
        f"        os.execv(sys.executable, [sys.executable, '-c', later, {token!r}])\n"
        "    os._exit(0)\n"
        "os.wait()"
    )
    sub = submission(notebook(evil, IMPORTS, SOLUTIONS[0], CHECKS[0]), tmp_path / "subs", "a.ipynb")
    try:
        run, logged = run_submission(sub, timeout=TIMEOUT, isolation=kind)
        assert (run, logged) == ("completed", {"Exercise 4.1": "passed"})
        assert _processes_with(token) == []
        time.sleep(4)
        assert grades.read_text(encoding="utf-8") == "submission,run\n"
    finally:
        for pid in _processes_with(token):  # on a failure, leave nothing behind
            os.kill(pid, 9)


@pytest.mark.parametrize("kind", SANDBOXES)
def test_concurrent_runs_cannot_delete_each_other_the_originals_or_the_old_csv(
    tmp_path: Path, scratch_parent: Path, kind: str
) -> None:
    """Under --jobs 2, one notebook wrecks what it can reach while another runs."""
    subs, out = tmp_path / "subs", tmp_path / "out"
    out.mkdir()
    old_csv = out / "grades-last-week.csv"
    old_csv.write_text("submission,run\n", encoding="utf-8")
    wrecker = (
        "import glob, os, shutil, time\n"
        "own = os.path.dirname(os.environ['COURSE_UTILS_RESULTS'])\n"
        "end = time.time() + 8\n"
        "while time.time() < end:\n"
        "    for folder in glob.glob(os.path.join(os.path.dirname(own), '*')):\n"
        "        if folder != own:\n"
        "            shutil.rmtree(folder, ignore_errors=True)\n"
        f"    for path in glob.glob({str(subs)!r} + '/**', recursive=True)"
        f" + [{str(old_csv)!r}]:\n"
        "        if os.path.isfile(path):\n"
        "            try:\n"
        "                os.remove(path)\n"
        "            except OSError:\n"
        "                pass\n"
        "    time.sleep(0.05)"
    )
    wreck = submission(notebook(wrecker), subs, "a_wrecker.ipynb")
    victim_cells = ["import time\ntime.sleep(4)", IMPORTS, SOLUTIONS[0], CHECKS[0]]
    victim = submission(notebook(*victim_cells), subs, "b_victim.ipynb")
    (subs / "carol").mkdir()
    (subs / "carol" / "data.txt").write_text("carol's data\n", encoding="utf-8")
    before = _hashes(subs)
    reports: dict[str, tuple[str, dict[str, str]]] = {}

    def grade(name: str, sub: Submission) -> None:
        run, logged = run_submission(sub, timeout=TIMEOUT, hidden=[out], isolation=kind)
        reports[name] = (run, logged)

    threads = [threading.Thread(target=grade, args=a) for a in (("w", wreck), ("v", victim))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert reports["v"] == ("completed", {"Exercise 4.1": "passed"})
    assert _hashes(subs) == before
    assert old_csv.read_text(encoding="utf-8") == "submission,run\n"
    assert list(scratch_parent.iterdir()) == []


@pytest.mark.parametrize("kind", SANDBOXES)
def test_a_top_level_submission_cannot_read_its_classmates(
    tmp_path: Path, scratch_parent: Path, kind: str
) -> None:
    subs = tmp_path / "subs"
    submission(notebook("secret = 'answers of bob'"), subs, "bob.ipynb")
    submission(notebook("secret = 'answers of carol'"), subs, "carol/work.ipynb")
    snoop = (
        FORGE_41 + "import glob\n"
        "seen = [p for p in os.listdir('.') if p != 'a_snoop.ipynb']\n"
        f"seen += glob.glob({str(subs)!r} + '/**', recursive=True)\n"
        "seen += glob.glob('../**/*.ipynb', recursive=True)\n"
        "if [p for p in seen if os.path.isfile(p) and not p.endswith('a_snoop.ipynb')]:\n"
        "    forge()"
    )
    sub = submission(notebook(snoop), subs, "a_snoop.ipynb")
    run, logged = run_submission(sub, timeout=TIMEOUT, isolation=kind)
    assert (run, logged) == ("completed", {})


def test_a_memory_hog_is_stopped_with_a_clear_status(tmp_path: Path, scratch_parent: Path) -> None:
    subs = tmp_path / "subs"
    modest = submission(notebook(IMPORTS, "x = b'1' * (20 * 2**20)"), subs, "modest.ipynb")
    hog = "import time\nx = b'1' * (900 * 2**20)\ntime.sleep(20)"
    greedy = submission(notebook(*answers()[:3], hog, CHECKS[1]), subs, "hog.ipynb")
    modest_run, _ = run_submission(modest, timeout=TIMEOUT, memory_mb=400)
    assert modest_run == "completed"
    report = run_submission(greedy, timeout=TIMEOUT, memory_mb=400)
    run, logged = report
    assert run == "memory limit (400 MB) exceeded"  # not "completed" after 20 s
    assert logged == {"Exercise 4.1": "passed"}
    assert report.completed is False


@pytest.mark.parametrize("kind", KINDS)
def test_a_forged_kernel_group_does_not_make_the_grader_kill_another_process(
    tmp_path: Path, scratch_parent: Path, kind: str
) -> None:
    """The notebook writes another process group into its kernel.pgid file, then hangs."""
    decoy = subprocess.Popen(["sleep", "120"], start_new_session=True)
    try:
        forge = (
            "import os, time\n"
            "scratch = os.path.dirname(os.environ['COURSE_UTILS_RESULTS'])\n"
            "with open(os.path.join(scratch, 'kernel.pgid'), 'w') as f:\n"
            f"    f.write('{decoy.pid}')\n"
            "time.sleep(120)"
        )
        sub = submission(notebook(forge), tmp_path / "subs", "a.ipynb")
        run, _ = run_submission(sub, timeout=15, isolation=kind)
        assert run == "timeout after 15 s"
        assert decoy.poll() is None, "the grader killed a process group the notebook named"
    finally:
        decoy.kill()
        decoy.wait()
