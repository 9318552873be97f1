"""Run every notebook with Colab's TensorFlow and Keras and report what differs from the book.

Executed by the Python of the Colab-versions environment that `make colab` builds
(``tests/colab_versions.txt`` pins TensorFlow and Keras as Colab ships them; pip resolves the rest
from those pins and course_utils's own dependencies). Each notebook runs top to bottom in a fresh
kernel. A notebook that raises fails the run; the outputs of the ``# NBVAL_CHECK_OUTPUT`` cells are
compared with the references recorded on the pinned versions (``tests/nbval_reference``) after the
same sanitising nbval applies, and every difference is reported, not failed: training results may
legitimately move between Keras versions, and the report says by how much.

    _build/colab-venv/bin/python tests/colab_run.py --out _build/colab notebooks/*.ipynb
"""

from __future__ import annotations

import argparse
import configparser
import json
import platform
import re
import sys
import time
from importlib import metadata
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parent.parent
REFERENCE_DIR = ROOT / "tests" / "nbval_reference"
MARKER = "# NBVAL_CHECK_OUTPUT"
NUMBER = re.compile(r"-?\d+\.\d+|-?\d+")


def sanitisers() -> list[tuple[re.Pattern[str], str]]:
    """The regex replacements of tests/nbval_sanitize.cfg, in file order."""
    config = configparser.ConfigParser()
    config.read(ROOT / "tests" / "nbval_sanitize.cfg", encoding="utf-8")
    return [(re.compile(config[s]["regex"]), config[s]["replace"]) for s in config.sections()]


def output_text(outputs: list[dict], rules: list[tuple[re.Pattern[str], str]]) -> str:
    """What a reader sees of a cell's outputs (stdout and text/plain), sanitised like nbval."""
    parts = []
    for out in outputs:
        if out.get("output_type") == "stream" and out.get("name") == "stdout":
            parts.append(out.get("text", ""))
        elif "data" in out and "text/plain" in out["data"]:
            parts.append(str(out["data"]["text/plain"]) + "\n")
    text = "".join(parts)
    for pattern, replacement in rules:
        text = pattern.sub(replacement, text)
    return text


def numbers_that_differ(old: str, new: str) -> int | None:
    """How many numbers differ between two texts that differ only in numbers (else None)."""
    if NUMBER.sub("#", old) != NUMBER.sub("#", new):
        return None
    pairs = zip(NUMBER.findall(old), NUMBER.findall(new), strict=True)
    return sum(float(a) != float(b) for a, b in pairs)


def compare(nb: nbformat.NotebookNode, notebook: Path, rules) -> dict:
    """Marked cells identical to the book's references, and a description of each difference."""
    ref_file = REFERENCE_DIR / f"{notebook.stem}.json"
    refs = json.loads(ref_file.read_text(encoding="utf-8"))["cells"] if ref_file.exists() else []
    marked = [c for c in nb.cells if c.cell_type == "code" and MARKER in c.source]
    same, differences = 0, []
    for number, (cell, ref) in enumerate(zip(marked, refs, strict=False), start=1):
        old = output_text(ref["outputs"], rules)
        new = output_text(cell.get("outputs", []), rules)
        if old == new:
            same += 1
            continue
        old_lines, new_lines = old.splitlines(), new.splitlines()
        changed = [(a, b) for a, b in zip(old_lines, new_lines, strict=False) if a != b]
        if len(old_lines) != len(new_lines):
            changed.append((f"{len(old_lines)} lines", f"{len(new_lines)} lines"))
        differences.append(
            {
                "cell": number,
                "numbers_that_differ": numbers_that_differ(old, new),
                "lines": [{"book": a, "colab": b} for a, b in changed],
            }
        )
    return {"marked": len(marked), "same": same, "differences": differences}


def stderr_lines(nb: nbformat.NotebookNode) -> list[str]:
    """Lines the notebook wrote to stderr (warnings a Colab learner would see)."""
    lines = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream" and out.get("name") == "stderr":
                lines += [line for line in out.get("text", "").splitlines() if line.strip()]
    return lines


def run(notebook: Path, timeout: int, rules) -> dict:
    nb = nbformat.read(notebook, as_version=4)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(notebook.parent)}},
    )
    start = time.perf_counter()
    error = None
    try:
        client.execute()
    except CellExecutionError as exc:
        error = str(exc).strip().splitlines()[-1][:300]
    result = {"notebook": notebook.name, "seconds": round(time.perf_counter() - start, 1)}
    result["error"] = error
    result.update(compare(nb, notebook, rules))
    result["stderr"] = stderr_lines(nb)
    return result


def versions() -> dict[str, str]:
    found = {"python": platform.python_version()}
    for name in ("tensorflow", "keras", "numpy", "scipy", "gensim", "matplotlib"):
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "missing"
    return found


def report(results: list[dict], found: dict[str, str]) -> str:
    lines = ["Colab-versions run: " + ", ".join(f"{k} {v}" for k, v in found.items()), ""]
    lines.append(f"{'notebook':<34} {'result':<7} {'time':>7} {'marked cells as in the book':>28}")
    for r in results:
        status = "error" if r["error"] else "ran"
        lines.append(
            f"{r['notebook']:<34} {status:<7} {r['seconds']:>6.1f}s "
            f"{r['same']:>14} of {r['marked']:<3}"
        )
    for r in results:
        if r["error"]:
            lines.append(f"\n{r['notebook']} raised: {r['error']}")
        for d in r["differences"]:
            count = d["numbers_that_differ"]
            how = f"{count} numbers differ" if count is not None else "text differs"
            lines.append(f"\n{r['notebook']} marked cell {d['cell']}: {how}")
            for pair in d["lines"][:6]:
                lines.append(f"  book : {pair['book'][:110]}")
                lines.append(f"  colab: {pair['colab'][:110]}")
            if len(d["lines"]) > 6:
                lines.append(f"  ... {len(d['lines']) - 6} more lines differ")
        if r["stderr"]:
            lines.append(f"\n{r['notebook']} wrote {len(r['stderr'])} stderr lines, first:")
            lines.append(f"  {r['stderr'][0][:120]}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--timeout", type=int, default=600, help="seconds per cell")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    rules = sanitisers()
    found = versions()
    results = []
    for notebook in args.notebooks:
        results.append(run(notebook, args.timeout, rules))
        r = results[-1]
        print(f"colab: {notebook.name} {'raised' if r['error'] else 'ran'} in {r['seconds']} s")
    text = report(results, found)
    (args.out / "report.txt").write_text(text, encoding="utf-8")
    (args.out / "results.json").write_text(
        json.dumps({"versions": found, "results": results}, ensure_ascii=False, indent=1),
        encoding="utf-8",
    )
    print(text)
    failed = [r["notebook"] for r in results if r["error"]]
    if failed:
        print("colab: notebooks that raised with Colab's versions: " + ", ".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
