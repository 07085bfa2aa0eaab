"""Figures kept across the benchmark session (one module, whichever way it is imported)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Results:
    medians: dict[tuple[str, str], float] = field(default_factory=dict)
    targets: dict[str, tuple[float, float | None]] = field(default_factory=dict)
    extra: dict[str, str] = field(default_factory=dict)
    """A word on a figure (how many rows it found, which plan it took)."""
    meta: dict[str, Any] = field(default_factory=dict)


RESULTS = Results()


def keep(group: str, impl: str, benchmark: Any, *, target_ms: float, max_ratio: float | None = None) -> None:
    """Remember a benchmark's median for the summary (and its target)."""
    RESULTS.medians[(group, impl)] = benchmark.stats.stats.median * 1000
    RESULTS.targets[group] = (target_ms, max_ratio)


def note(group: str, text: str) -> None:
    RESULTS.extra[group] = text
