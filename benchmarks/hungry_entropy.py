"""Monte-Carlo estimates of the hungry grammar's entropy against the exact value.

Prints, for growing sample sizes, the sample mean of -log p(sentence), its standard error, the
distance to the exact entropy in standard errors, and the time to sample and score. It shows how
large a test split must be before a model's measured cross-entropy is trustworthy to a given
number of digits. Run with `make bench` or `python benchmarks/hungry_entropy.py`.
"""

from __future__ import annotations

import math
import time

import numpy as np

from course_utils.data import HungryGrammar


def main() -> None:
    grammar = HungryGrammar()
    exact = grammar.entropy()
    print(f"exact entropy: {exact:.6f} nats per sentence ({grammar!r})")
    print(
        f"{'n':>8} {'mean -log p':>12} {'std. error':>11} {'z':>7} {'sample s':>9} {'score s':>8}"
    )
    for n in (100, 1_000, 10_000, 100_000):
        start = time.perf_counter()
        sentences = grammar.sample(n, seed=n)
        sampled = time.perf_counter()
        surprise = -np.array([grammar.logprob(s) for s in sentences])
        scored = time.perf_counter()
        mean = float(surprise.mean())
        se = float(surprise.std(ddof=1)) / math.sqrt(n)
        print(
            f"{n:8d} {mean:12.4f} {se:11.4f} {(mean - exact) / se:+7.2f} "
            f"{sampled - start:9.3f} {scored - sampled:8.3f}"
        )


if __name__ == "__main__":
    main()
