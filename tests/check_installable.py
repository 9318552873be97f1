"""Can the lock be installed on other Pythons? A dry run of pip for each version asked.

    python tests/check_installable.py 3.12 3.13

For each version, pip resolves every pin of requirements.txt (the editable ``-e .`` line left out)
and of requirements-grading.txt (the instructor's Dask backend) against the package index as if
installing for that Python, wheels only, without downloading the packages (their metadata is
enough) and without installing anything. It fails when a pin has no wheel for that version.
Needs the package index (PyPI), so it runs in CI, not in ``make test``.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def pins() -> list[str]:
    lines = []
    for name in ("requirements.txt", "requirements-grading.txt"):
        lines += (ROOT / name).read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line and not line.startswith(("#", "-e"))]


def dry_run(version: str, requirements: Path, scratch: Path) -> tuple[bool, str]:
    report = scratch / f"report-{version}.json"
    command = [
        sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed", "--no-deps",
        "--only-binary=:all:", "--python-version", version, "--target", str(scratch / "target"),
        "--quiet", "--report", str(report), "-r", str(requirements),
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        errors = [line for line in done.stderr.splitlines() if line.startswith("ERROR")]
        return False, "; ".join(errors) or done.stderr.strip()[-500:]
    count = len(json.loads(report.read_text(encoding="utf-8"))["install"])
    return True, f"{count} wheels resolved"


def main(versions: list[str]) -> int:
    if not versions:
        print(__doc__)
        return 2
    failed = []
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        requirements = scratch / "requirements.txt"
        requirements.write_text("\n".join(pins()) + "\n", encoding="utf-8")
        for version in versions:
            start = time.perf_counter()
            ok, detail = dry_run(version, requirements, scratch)
            seconds = time.perf_counter() - start
            print(f"Python {version}: {'installable' if ok else 'NOT installable'} "
                  f"({detail}; {seconds:.0f} s)", flush=True)  # fmt: skip
            if not ok:
                failed.append(version)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
