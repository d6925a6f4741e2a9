"""Figures for /metrics, in Prometheus' text format (version 0.0.4), without a client library.

Counters and the latency histogram are kept in memory per instance (Prometheus adds them up
across instances); the inbox's depth and age and the open deliveries are read from the
database when scraped, so every instance reports the same, current values.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable

# Processing time of one update, from its claim to its row marked done.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)

Labels = tuple[tuple[str, str], ...]


def _labels(labels: Labels) -> str:
    if not labels:
        return ""
    inner = ",".join(f'{name}="{_escape(value)}"' for name, value in labels)
    return "{" + inner + "}"


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _number(value: float) -> str:
    if value == float("inf"):
        return "+Inf"
    return repr(float(value)) if not float(value).is_integer() else str(int(value))


class Histogram:
    def __init__(self, buckets: Iterable[float] = LATENCY_BUCKETS) -> None:
        self.bounds = tuple(sorted(buckets))
        self.counts = [0] * len(self.bounds)
        self.total = 0
        self.sum = 0.0

    def observe(self, value: float) -> None:
        index = bisect.bisect_left(self.bounds, value)
        if index < len(self.counts):
            self.counts[index] += 1
        self.total += 1
        self.sum += value


class Metrics:
    def __init__(self) -> None:
        self.counters: dict[str, dict[Labels, float]] = defaultdict(lambda: defaultdict(float))
        self.histograms: dict[str, dict[Labels, Histogram]] = defaultdict(dict)
        self.help: dict[str, tuple[str, str]] = {}  # name → (type, help)

    def describe(self, name: str, kind: str, text: str) -> None:
        self.help[name] = (kind, text)

    def count(self, name: str, amount: float = 1, **labels: str) -> None:
        self.counters[name][tuple(sorted(labels.items()))] += amount

    def observe(self, name: str, value: float, **labels: str) -> None:
        key = tuple(sorted(labels.items()))
        histogram = self.histograms[name].get(key)
        if histogram is None:
            histogram = self.histograms[name][key] = Histogram()
        histogram.observe(value)

    def value(self, name: str, **labels: str) -> float:
        return self.counters[name].get(tuple(sorted(labels.items())), 0.0)

    def render(self, gauges: dict[str, dict[Labels, float]] | None = None) -> str:
        """Every figure as Prometheus text; `gauges` are values read at scrape time."""
        lines: list[str] = []

        def header(name: str, default_kind: str) -> None:
            kind, text = self.help.get(name, (default_kind, name))
            lines.append(f"# HELP {name} {text}")
            lines.append(f"# TYPE {name} {kind}")

        for name in sorted(self.counters):
            header(name, "counter")
            for labels, value in sorted(self.counters[name].items()):
                lines.append(f"{name}{_labels(labels)} {_number(value)}")
        for name in sorted(self.histograms):
            header(name, "histogram")
            for labels, histogram in sorted(self.histograms[name].items()):
                running = 0
                for bound, count in zip(histogram.bounds, histogram.counts):
                    running += count
                    lines.append(f"{name}_bucket{_labels(labels + (('le', _number(bound)),))} {running}")
                lines.append(f"{name}_bucket{_labels(labels + (('le', '+Inf'),))} {histogram.total}")
                lines.append(f"{name}_sum{_labels(labels)} {_number(histogram.sum)}")
                lines.append(f"{name}_count{_labels(labels)} {histogram.total}")
        for name in sorted(gauges or {}):
            header(name, "gauge")
            for labels, value in sorted((gauges or {})[name].items()):
                lines.append(f"{name}{_labels(labels)} {_number(value)}")
        return "\n".join(lines) + "\n"


def new_metrics() -> Metrics:
    metrics = Metrics()
    metrics.describe("kanoon_updates_received_total", "counter", "Updates received (webhook or getUpdates), new ones only.")
    metrics.describe("kanoon_updates_redelivered_total", "counter", "Updates received again and ignored (already in the inbox).")
    metrics.describe("kanoon_updates_processed_total", "counter", "Updates handled and marked done by this instance.")
    metrics.describe("kanoon_updates_failed_total", "counter",
                     "Updates whose handler raised (the user got an apology) or that were given up after retries.")
    metrics.describe("kanoon_update_processing_seconds", "histogram", "From an update's claim to its row marked done.")
    metrics.describe("kanoon_sends_total", "counter", "Messages sent or edited, by outcome (ok, retry_after, forbidden, bad_request, error).")
    metrics.describe("kanoon_retry_after_total", "counter", "429 answers (flood control) from the platform.")
    metrics.describe("kanoon_inbox_depth", "gauge", "Inbox rows waiting or being handled (all instances).")
    metrics.describe("kanoon_inbox_oldest_age_seconds", "gauge", "Age of the oldest open inbox row.")
    metrics.describe("kanoon_deliveries_open", "gauge", "Deliveries still to send (pending) or being sent (sending).")
    metrics.describe("kanoon_scheduler_leader", "gauge", "1 on the instance that runs the scheduler, else 0.")
    metrics.describe("kanoon_updates_in_flight", "gauge", "Updates this instance is handling right now.")
    return metrics
