"""The non-uniform 16-level scalar quantiser: centres from k-means on encoder outputs, the
nearest centre when coding (NumPy: the codec's tools need no TensorFlow). Its soft-to-hard
training form is a Keras layer, :class:`gansig.papers.bpgan.models.SoftToHardQuantizer`."""

from __future__ import annotations

import numpy as np


def kmeans_centres(values: np.ndarray, k: int = 16, iterations: int = 100) -> np.ndarray:
    """Sorted 1-D k-means centres (Lloyd's algorithm started from the quantiles).

    Deterministic: the same values give the same centres.
    """
    v = np.sort(np.asarray(values, np.float64).ravel())
    if v.size < k:
        raise ValueError(f"k-means needs at least {k} values, got {v.size}")
    centres = np.quantile(v, (np.arange(k) + 0.5) / k)
    for _ in range(iterations):
        edges = (centres[1:] + centres[:-1]) / 2
        groups = np.split(v, np.searchsorted(v, edges))
        updated = np.array([g.mean() if g.size else c for g, c in zip(groups, centres, strict=True)])
        if np.allclose(updated, centres, atol=1e-10):
            break
        centres = updated
    return np.sort(centres).astype(np.float32)


def quantise(z: np.ndarray, centres: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Nearest centre of every value: ``(symbols, quantised values)``."""
    symbols = np.argmin(np.abs(np.asarray(z)[..., None] - centres), axis=-1).astype(np.int32)
    return symbols, centres[symbols]
