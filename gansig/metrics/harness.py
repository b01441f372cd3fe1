"""Several methods over the same signals, scored the same way and averaged: the harness of
BPGAN's Table 3 and ``evaluate`` (codecs), and of the film paper's restorations.

A method maps an input signal to its output, aligned with the input (the reference codecs
align their decoded audio themselves, :func:`gansig.baselines.codecs.align`), and the size
of what it transmitted where that means something (a codec's file, in bytes). A scorer
maps ``(reference, output)`` to named scores; where it cannot score a pair (e.g. PESQ
finds no speech) it raises :class:`gansig.errors.AudioError` and the pair is left out of
the means, counted.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from tqdm import tqdm

from gansig.errors import AudioError
from gansig.metrics.core import kbps

Method = Callable[[np.ndarray], tuple[np.ndarray, int | None]]
Scorer = Callable[[np.ndarray, np.ndarray], Mapping[str, float]]

KBPS = "bitrate (kbps, from the bytes)"
SCORED = "scored"


@dataclass
class Outcome:
    """One method on one signal.

    Attributes:
        seconds: the input's duration.
        n_bytes: what the method transmitted (None for methods that transmit nothing).
        output: the method's output, aligned with the input.
        scores: metric -> value, or None where the scorer could not score the pair.
    """

    seconds: float
    n_bytes: int | None
    output: np.ndarray
    scores: Mapping[str, float] | None


def run_methods(signals: Sequence[np.ndarray], methods: Mapping[str, Method], score: Scorer, rate: int, *,
                references: Sequence[np.ndarray] | None = None, label: str = "") -> dict[str, list[Outcome]]:
    """Every method on every signal, each output scored.

    Args:
        signals: the inputs.
        methods: name -> method.
        score: ``(reference, output) -> {metric: value}``.
        rate: the signals' sample rate (for durations).
        references: what each output is scored against (default the input itself, as for
            a codec; a restoration is scored against the clean original).
        label: the progress bar's label.

    Returns:
        Method -> one :class:`Outcome` per signal.
    """
    references = signals if references is None else references
    results: dict[str, list[Outcome]] = {}
    for name, method in tqdm(methods.items(), desc=label or "methods", unit="method", leave=False):
        results[name] = []
        for x, reference in zip(signals, references, strict=True):
            output, n_bytes = method(x)
            try:
                scores = dict(score(reference, output))
            except AudioError:
                scores = None
            results[name].append(Outcome(len(x) / rate, n_bytes, output, scores))
    return results


def means(outcomes: Sequence[Outcome], metrics: Sequence[str]) -> dict[str, float]:
    """One method's averages: the bitrate from all bytes over all seconds (when it
    transmits), each metric's mean over the scored signals (NaN where none was), and how
    many were scored (``"scored"``)."""
    scored = [o.scores for o in outcomes if o.scores is not None]
    out: dict[str, float] = {}
    if outcomes and all(o.n_bytes is not None for o in outcomes):
        out[KBPS] = kbps(sum(o.n_bytes for o in outcomes), sum(o.seconds for o in outcomes))
    values = np.mean([[s[m] for m in metrics] for s in scored], axis=0) if scored else [np.nan] * len(metrics)
    out.update(zip(metrics, (float(v) for v in values), strict=True))
    out[SCORED] = len(scored)
    return out


def items(outcomes: Sequence[Outcome], metric: str) -> list[float]:
    """One metric's value on each scored signal (what :func:`means` averages), for its
    bootstrap interval over the signals."""
    return [o.scores[metric] for o in outcomes if o.scores is not None]


def means_table(averages: Mapping[str, Mapping[str, float]], metrics: Sequence[str]) -> str:
    """Methods' :func:`means` as a markdown table, lowest bitrate first: the bitrate (where
    measured), the metrics, and how many signals were scored."""
    header = [KBPS] * any(KBPS in m for m in averages.values()) + list(metrics)
    rows = sorted(averages.items(), key=lambda item: item[1].get(KBPS, 0.0))
    lines = ["| method | " + " | ".join(header) + " | scored |", "|---|" + "---|" * (len(header) + 1)]
    for name, m in rows:
        cells = [_cell(m.get(k, float("nan"))) for k in header]
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {m[SCORED]} |")
    return "\n".join(lines)


def _cell(value: float) -> str:
    return f"{value:.3f}" if abs(value) < 1 else f"{value:.2f}"
