"""The benchmark's own arithmetic (bench/broadcast.py)."""

from __future__ import annotations

import math

from bench.broadcast import percentile


def test_p95_is_the_nearest_rank() -> None:
    assert percentile(list(range(1, 21)), 95) == 19  # 20 values: the 19th
    assert percentile(list(range(1, 11)), 95) == 10  # 10 values: 9.5 rounds up to the 10th, the largest
    assert percentile(list(range(1, 176)), 95) == 167  # 175 probes (the 10,000 run): ceil(166.25)
    assert percentile([0.5], 95) == 0.5
    assert math.isnan(percentile([], 95))
