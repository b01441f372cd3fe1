"""Decode-and-resample once: a cache of float32 arrays keyed by file content and parameters.

The cache lives under ``GANSIG_DATA_DIR/cache`` (default ``~/.cache/gansig``). A changed
file gets a new key, so stale entries are never served; entries are written atomically.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import numpy as np

from gansig.data import io
from gansig.fileio import atomic_path


def data_dir() -> Path:
    """``$GANSIG_DATA_DIR``, or ``~/.cache/gansig`` when unset."""
    return Path(os.environ.get("GANSIG_DATA_DIR") or Path.home() / ".cache" / "gansig")


def file_digest(path: str | os.PathLike, chunk: int = 1 << 20) -> str:
    """SHA-256 of a file's bytes, hex."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(chunk), b""):
            h.update(block)
    return h.hexdigest()


def load_cached(path: str | os.PathLike, rate: int, *, cache_dir: Path | None = None) -> np.ndarray:
    """The mono float32 samples of ``path`` at ``rate``, decoded and resampled at most once.

    Args:
        path: any audio file :func:`gansig.data.io.load` reads.
        rate: target sample rate.
        cache_dir: where entries live (default ``data_dir() / "cache"``).

    Returns:
        ``[samples]`` float32.

    Raises:
        AudioError: the file cannot be used (see :func:`gansig.data.io.load`).
    """
    root = cache_dir or data_dir() / "cache"
    key = hashlib.sha256(f"{file_digest(path)}|{rate}|mono|v1".encode()).hexdigest()
    entry = root / key[:2] / f"{key}.npy"
    if entry.is_file():
        return np.load(entry)
    x, _ = io.load(path, rate)
    with atomic_path(entry) as tmp:
        np.save(tmp, x)
    return x
