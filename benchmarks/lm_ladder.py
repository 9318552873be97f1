"""The book's central table: unigram, Kneser-Ney, neural LM, SimpleRNN, LSTM, GRU, attention.

Every model is trained on the same data with the same budget and scored on the same held-out
test set:

* the hungry corpus (nats per token, and the ratio to the exact limit the grammar gives);
* Shakespeare read character by character (bits per character).

The models, budgets and conventions are documented in ``course_utils.ladder``.

    python benchmarks/lm_ladder.py --quick   # smoke test, about a minute
    python benchmarks/lm_ladder.py           # the full budget, about an hour on 2 cores
    python benchmarks/lm_ladder.py --save    # full run, stored in the package for the book

``--save`` writes ``src/course_utils/results/lm_ladder.json`` (with the date, the git commit
and the machine), which chapter 5 prints with ``course_utils.ladder.stored_ladder()``.
"""

from __future__ import annotations

import argparse
import datetime
import json
import subprocess
import sys
from pathlib import Path

from course_utils.ladder import FULL, QUICK, format_ladder, run_ladder

STORE = Path(__file__).resolve().parent.parent / "src" / "course_utils" / "results"


def _commit() -> str:
    try:
        done = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
            cwd=STORE.parent,
        )
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return done.stdout.strip()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the smoke-test budget (~1 min)")
    parser.add_argument("--save", action="store_true", help="store the (full) results for the book")
    parser.add_argument(
        "--part",
        choices=["hungry", "shakespeare-chars"],
        action="append",
        help="run only this corpus (repeatable; default: both)",
    )
    args = parser.parse_args(argv)
    if args.save and args.quick:
        parser.error("--save stores the full run only; drop --quick")
    config = QUICK if args.quick else FULL
    parts = args.part or ["hungry", "shakespeare-chars"]
    print(f"LM ladder, {config.name} budget, parts: {', '.join(parts)}", flush=True)
    results = run_ladder(config, parts, log=lambda line: print(line, flush=True))
    print()
    print(format_ladder(results))
    if args.save:
        results["date"] = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
        results["commit"] = _commit()
        STORE.mkdir(parents=True, exist_ok=True)
        target = STORE / "lm_ladder.json"
        target.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", "utf-8")
        print(f"saved {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
