"""The way back from features to signals, beside :mod:`gansig.data.features` (as librosa
keeps ``feature/inverse.py``): framing into patches and joining them again, log scaling
and its inverse, a fitted per-bin standardiser, MFCC -> mel (TensorFlow, imported when
used); mel -> linear and Griffin-Lim on long signals in blocks of bounded memory are
:mod:`gansig.runtime.dsp`'s, re-exported. Importing this module imports no TensorFlow.

Conventions as in :mod:`gansig.data.features`: spectrograms are time-major
``[batch, frames, bins]`` (or ``[frames, bins]`` where noted); the tests check each
operation against librosa's where librosa has one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from gansig.runtime.dsp import block_griffin_lim, mel_to_linear  # noqa: F401 - one implementation (NumPy)

if TYPE_CHECKING:
    import tensorflow as tf

# ---- framing -------------------------------------------------------------------------


def frame(x: np.ndarray, width: int, hop: int | None = None, *, pad: bool = True) -> np.ndarray:
    """Cut ``x`` along its first axis (time) into windows of ``width``, one every ``hop``.

    Args:
        x: ``[frames, ...]``.
        width: window length.
        hop: step between windows (default ``width``: no overlap).
        pad: zero-pad the end so the last frames fill a whole window; without it the
            frames after the last whole window are dropped.

    Returns:
        ``[n, width, ...]``, a copy.
    """
    x = np.asarray(x)
    hop = hop or width
    if pad:
        n = max(1, -(-(len(x) - width) // hop) + 1)
        x = np.pad(x, [(0, max(0, (n - 1) * hop + width - len(x)))] + [(0, 0)] * (x.ndim - 1))
    n = max(0, (len(x) - width) // hop + 1)
    if hop == width:
        return x[: n * width].reshape(n, width, *x.shape[1:]).copy()
    return np.stack([x[i * hop:i * hop + width] for i in range(n)]) if n else np.zeros((0, width, *x.shape[1:]),
                                                                                           x.dtype)


def overlap_add(windows: np.ndarray, hop: int | None = None, window: np.ndarray | None = None) -> np.ndarray:
    """Inverse of :func:`frame`: windows ``[n, width, ...]`` back to ``[frames, ...]``.

    Where windows overlap (``hop < width``) each frame is the weighted mean of the windows
    covering it (weights ``window``, default flat), so a framed signal comes back exactly.
    With ``hop == width`` the windows are simply joined.
    """
    windows = np.asarray(windows)
    n, width = windows.shape[:2]
    hop = hop or width
    if hop == width and window is None:
        return windows.reshape(n * width, *windows.shape[2:])
    w = np.ones(width, np.float64) if window is None else np.asarray(window, np.float64)
    w = w.reshape(width, *([1] * (windows.ndim - 2)))
    total = np.zeros(((n - 1) * hop + width, *windows.shape[2:]), np.float64)
    weight = np.zeros(((n - 1) * hop + width,) + (1,) * (windows.ndim - 2), np.float64)
    for i in range(n):
        total[i * hop:i * hop + width] += windows[i] * w
        weight[i * hop:i * hop + width] += w
    return (total / np.maximum(weight, 1e-12)).astype(windows.dtype)


# ---- log scaling -----------------------------------------------------------------------


def log_compress(x: np.ndarray, floor: float = -10.0, ref: float = 1.0) -> np.ndarray:
    """``ln(x / ref)`` clipped below at ``floor`` and mapped from ``[floor, 0]`` onto
    ``[-1, 1]`` (BPGAN's front end: ``floor = -10``, ``ref`` the maximum).

    Values above ``ref`` map above 1; :func:`log_expand` inverts every value at or above
    ``ref * exp(floor)`` exactly.
    """
    scaled = np.maximum(np.log(np.maximum(x / ref, 1e-30)), floor) / -floor + 1.0
    return 2.0 * scaled - 1.0


def log_expand(y: np.ndarray, floor: float = -10.0, ref: float = 1.0) -> np.ndarray:
    """Inverse of :func:`log_compress`."""
    scaled = (y + 1.0) / 2.0
    return np.exp((scaled - 1.0) * -floor) * ref


# ---- fitted standardiser ----------------------------------------------------------------


@dataclass(frozen=True)
class Standardiser:
    """A per-bin z-score with the dataset's moments, divided by ``scale`` and clipped to
    ``±clip`` (the canonical SpecGAN: moments of the training set's log magnitudes, ``/3``,
    clipped to [-1, 1]).

    Attributes:
        mean: ``[bins]`` per-bin mean.
        std: ``[bins]`` per-bin standard deviation.
        scale: the z-score is divided by this.
        clip: outputs are clipped to ``[-clip, clip]`` (None: not clipped).
    """

    mean: np.ndarray
    std: np.ndarray
    scale: float = 1.0
    clip: float | None = None

    @classmethod
    def fit(cls, x: np.ndarray, *, scale: float = 1.0, clip: float | None = None,
            min_std: float = 1e-6) -> Standardiser:
        """The moments of ``x`` ``[..., bins]`` over every axis but the last (a floor on the
        standard deviation keeps constant bins finite)."""
        x = np.asarray(x, np.float64).reshape(-1, np.shape(x)[-1])
        return cls(x.mean(axis=0).astype(np.float32), np.maximum(x.std(axis=0), min_std).astype(np.float32),
                   scale, clip)

    def __call__(self, x: np.ndarray) -> np.ndarray:
        """``clip((x - mean) / std / scale)``."""
        z = (np.asarray(x, np.float32) - self.mean) / self.std / self.scale
        return z if self.clip is None else np.clip(z, -self.clip, self.clip)

    def inverse(self, y: np.ndarray) -> np.ndarray:
        """``y * scale * std + mean`` (exact for values that were not clipped)."""
        return np.asarray(y, np.float32) * self.scale * self.std + self.mean

    def to_dict(self) -> dict:
        """JSON-ready fields (saved beside a model)."""
        return {"mean": self.mean.tolist(), "std": self.std.tolist(), "scale": self.scale, "clip": self.clip}

    @classmethod
    def from_dict(cls, d: dict) -> Standardiser:
        return cls(np.asarray(d["mean"], np.float32), np.asarray(d["std"], np.float32), float(d["scale"]),
                   None if d["clip"] is None else float(d["clip"]))


# ---- mel and MFCC inversion ---------------------------------------------------------------


def mfcc_to_mel(mfcc: tf.Tensor | np.ndarray, n_mels: int, *, ref: float = 1.0) -> tf.Tensor:
    """MFCCs ``[batch, frames, n_mfcc]`` (:func:`gansig.data.features.mfcc`) back to a power
    mel spectrogram ``[batch, frames, n_mels]``: the dropped coefficients taken as zero, the
    orthonormal DCT inverted into dB, dB into power (librosa's ``mfcc_to_mel``)."""
    import tensorflow as tf

    from gansig.data import features

    mfcc = tf.convert_to_tensor(mfcc, tf.float32)
    padding = [[0, 0]] * (mfcc.shape.rank - 1) + [[0, n_mels - mfcc.shape[-1]]]
    db = tf.signal.idct(tf.pad(mfcc, padding), type=2, norm="ortho")
    return features.db_to_power(db, ref=ref)
