"""What the accelerator benchmarks share (``bench_*_accelerator.py``): their command line
(``export`` here, ``time`` on the GPU machine under Keras's JAX backend), the line naming
the software and device, and the timing of a jitted step."""

from __future__ import annotations

import argparse
import time
from pathlib import Path


def parser(doc: str, exported: str, rounds: int, steps: int, profile: bool = True) -> argparse.ArgumentParser:
    """``MODE DIR [--profile P] [--rounds R] [--steps S]``; a benchmark adds its own options.

    Args:
        doc: the benchmark's docstring (its ``--help``).
        exported: what ``export`` writes into DIR (``"models"``, ``"classes"``, ...).
        rounds: default timed rounds.
        steps: default steps per round.
        profile: take ``--profile`` (default paper).

    Returns:
        The parser.
    """
    made = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    made.add_argument("mode", choices=("export", "time"))
    made.add_argument("dir", type=Path, help=f"where the exported {exported} are written / read")
    if profile:
        made.add_argument("--profile", default="paper", help="the profile to export (default paper)")
    made.add_argument("--rounds", type=int, default=rounds, help="timed rounds (the median is reported)")
    made.add_argument("--steps", type=int, default=steps, help="steps per timed round")
    return made


def describe_device() -> str:
    """Keras, its backend, JAX and the device the timings run on."""
    import jax
    import keras

    return (f"keras {keras.__version__} ({keras.backend.backend()}), jax {jax.__version__}, "
            f"{jax.devices()[0].device_kind}")


def median_ms(fn, state, batches, rounds: int, steps: int) -> float:
    """Median over ``rounds`` of the mean time of ``steps`` calls ``state = fn(state, batch)``,
    rotating the batches, after three calls to compile and warm up."""
    import jax
    import numpy as np

    for i in range(3):
        state = fn(state, batches[i % len(batches)])
    jax.block_until_ready(state)
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        for i in range(steps):
            state = fn(state, batches[i % len(batches)])
        jax.block_until_ready(state)
        times.append((time.perf_counter() - start) / steps * 1000)
    return float(np.median(times))
