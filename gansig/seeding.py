"""Seeds: one user seed, independent reproducible streams derived from it."""

from __future__ import annotations

import zlib

import numpy as np


def derive(seed: int, *keys: int | str) -> int:
    """A 32-bit seed derived from ``seed`` and ``keys`` (e.g. ``derive(0, "test", 50)``).

    Different keys give statistically independent streams; the same keys, the same seed,
    in every process (strings are keyed by CRC-32, not by Python's salted hash).
    """
    ints = [zlib.crc32(k.encode()) if isinstance(k, str) else int(k) for k in keys]
    return int(np.random.SeedSequence([seed, *ints]).generate_state(1)[0])
