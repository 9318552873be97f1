"""Reference outputs for nbval, kept outside the notebooks.

Notebooks are committed without outputs (nbstripout), but nbval compares the cells marked
``# NBVAL_CHECK_OUTPUT`` with outputs stored in the notebook. This tool keeps those reference
outputs in ``tests/nbval_reference/<notebook>.json`` (reviewable in diffs: a changed key number
shows up there) and injects them into scratch copies that nbval runs. References are matched to
the marked cells in order, and each stores its cell's source: inserting unmarked cells is harmless,
while editing a marked cell asks for a new recording.

    python tests/nbval_golden.py update notebooks/*.ipynb          # execute, record references
    python tests/nbval_golden.py prepare --out DIR notebooks/*.ipynb  # copies with references

``prepare`` fails when a marked cell has no reference or a reference belongs to no marked cell,
or a marked cell's source differs from the recorded one, so a check can never silently compare
nothing or compare against the output of other code.
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
import time
from pathlib import Path

import nbformat

MARKER = "# NBVAL_CHECK_OUTPUT"
ROOT = Path(__file__).resolve().parent.parent
REFERENCE_DIR = ROOT / "tests" / "nbval_reference"


def marked_cells(nb: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    """Code cells whose source contains the nbval check marker."""
    return [c for c in nb.cells if c.cell_type == "code" and MARKER in c.source]


def reference_path(notebook: Path) -> Path:
    return REFERENCE_DIR / f"{notebook.stem}.json"


def _clean_output(output: dict) -> dict:
    out = copy.deepcopy(dict(output))
    out.pop("execution_count", None)
    out.pop("metadata", None)
    if "data" in out:
        out["data"] = dict(out["data"])
    return out


def update(notebooks: list[Path]) -> None:
    from nbclient import NotebookClient

    REFERENCE_DIR.mkdir(parents=True, exist_ok=True)
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        start = time.perf_counter()
        client = NotebookClient(
            nb,
            timeout=600,
            kernel_name="python3",
            resources={"metadata": {"path": str(path.parent)}},
        )
        client.execute()
        seconds = time.perf_counter() - start
        refs = [
            {
                "source": cell.source,
                "outputs": [
                    _clean_output(o)
                    for o in cell.get("outputs", [])
                    if not (o.get("output_type") == "stream" and o.get("name") == "stderr")
                ],
            }
            for cell in marked_cells(nb)
        ]
        data = {"notebook": path.name, "cells": refs}
        reference_path(path).write_text(
            json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8"
        )
        print(f"{path}: {len(refs)} reference cells recorded, executed in {seconds:.1f} s")


def prepare(notebooks: list[Path], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.glob("*.ipynb"):
        stale.unlink()
    problems = []
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        ref_file = reference_path(path)
        refs = (
            json.loads(ref_file.read_text(encoding="utf-8"))["cells"] if ref_file.exists() else []
        )
        marked = marked_cells(nb)
        if len(refs) != len(marked):
            problems.append(
                f"{path}: {len(marked)} marked cells but {len(refs)} recorded reference outputs"
            )
        for number, (cell, ref) in enumerate(zip(marked, refs, strict=False), start=1):
            if cell.source != ref["source"]:
                second = (cell.source.splitlines()[1:2] or [""])[0][:50]
                problems.append(
                    f"{path}: marked cell {number} ({second!r}...) changed since its "
                    "reference output was recorded"
                )
                continue
            cell.outputs = [nbformat.from_dict(o) for o in ref["outputs"]]
            cell.execution_count = 1  # nbval treats a cell without a count as never run
            for o in cell.outputs:
                if o.output_type == "execute_result":
                    o.execution_count = None
                    o.metadata = {}
                elif o.output_type == "display_data":
                    o.metadata = {}
        nbformat.write(nb, out / path.name)
    if problems:
        sys.exit("\n".join(problems) + "\nRun `make nbval-update` and review the diff.")
    print(f"prepared {len(notebooks)} notebooks in {out}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_update = sub.add_parser("update", help="execute notebooks and record reference outputs")
    p_update.add_argument("notebooks", nargs="+", type=Path)
    p_prepare = sub.add_parser("prepare", help="write copies with reference outputs for nbval")
    p_prepare.add_argument("notebooks", nargs="+", type=Path)
    p_prepare.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    if args.command == "update":
        update(args.notebooks)
    else:
        prepare(args.notebooks, args.out)


if __name__ == "__main__":
    main()
