"""Signals the tests share."""

import numpy as np


def speech_like(seconds: float, rate: int = 16000, seed: int = 0, level_dbfs: float | None = -26.0) -> np.ndarray:
    """A voiced, harmonic signal with a gliding pitch and irregular "syllables".

    The envelope is aperiodic (seeded), so delay alignment has one right answer, and the
    signal has enough speech-like structure for PESQ and STOI to score it.
    """
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * rate)) / rate
    phase = 2 * np.pi * np.cumsum(130 + 25 * np.sin(2 * np.pi * 0.8 * t)) / rate
    voiced = sum(np.sin(k * phase) / k for k in range(1, 25))
    n = max(1, int(np.ceil(12 * seconds)))  # about 12 syllable slots a second
    syllables = np.repeat(rng.uniform(size=n) > 0.3, int(np.ceil(len(t) / n)))[: len(t)].astype(float)
    envelope = np.convolve(syllables, np.hanning(800) / np.hanning(800).sum(), mode="same")
    x = envelope * voiced + 0.003 * rng.normal(size=t.size)
    if level_dbfs is not None:
        x = x * 10 ** (level_dbfs / 20) / np.sqrt(np.mean(x**2))
    return x.astype(np.float32)


def paper_params():
    """The registered papers as test parameters; those that read embedded corpora (built from
    Debian packages) marked ``system_deps``."""
    import pytest

    from gansig.registry import PAPERS

    return [pytest.param(name, marks=[pytest.mark.system_deps] if info.corpora else [], id=name)
            for name, info in PAPERS.items()]


def assert_same_numbers(table, golden_path, rel: float = 1e-3) -> None:
    """Every value of a golden table (``{table: {row: {metric: value}}}``) is measured in
    ``table`` within ``rel`` (None stays None, NaN stays NaN)."""
    import json
    import math
    from pathlib import Path

    import pytest

    golden = json.loads(Path(golden_path).read_text(encoding="utf-8"))
    for name, rows in golden.items():
        for row, metrics in rows.items():
            for metric, value in metrics.items():
                got = table.get(name, row, metric).measured
                if value is None or got is None:
                    assert got is value, (name, row, metric, got, value)
                elif math.isnan(value) or math.isnan(got):
                    assert math.isnan(value) and math.isnan(got), (name, row, metric, got, value)
                else:
                    assert got == pytest.approx(value, rel=rel, abs=1e-6), (name, row, metric, got, value)
