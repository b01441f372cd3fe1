"""The way back from features to signals, beside :mod:`gansig.data.features` (as librosa
keeps ``feature/inverse.py``): framing into patches and joining them again, log scaling
and its inverse, a fitted per-bin standardiser, mel -> linear (pseudo-inverse or
non-negative least squares), MFCC -> mel, and Griffin-Lim on long signals in blocks of
bounded memory.

Conventions as in :mod:`gansig.data.features`: spectrograms are time-major
``[batch, frames, bins]`` (or ``[frames, bins]`` where noted); the tests check each
operation against librosa's where librosa has one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import tensorflow as tf

from gansig.data import features
from gansig.data.signals import fade_in

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


def mel_to_linear(mel: tf.Tensor | np.ndarray, sr: int, n_fft: int, *, method: str = "pinv", fmin: float = 0.0,
                  fmax: float | None = None) -> tf.Tensor:
    """Approximate inverse of the mel projection, a non-negative linear-frequency spectrogram.

    Args:
        mel: ``[batch, frames, n_mels]`` mel spectrogram (any power).
        sr: sample rate.
        n_fft: FFT length.
        method: ``"pinv"`` (the filterbank's pseudo-inverse, clipped at zero: fast) or
            ``"nnls"`` (non-negative least squares, as librosa's ``mel_to_stft``: closer,
            slower).
        fmin: lowest band edge of the filterbank, Hz.
        fmax: highest band edge, Hz (``sr / 2`` when None).

    Returns:
        ``[batch, frames, n_fft//2+1]``, in the power of ``mel``.
    """
    basis = features.mel_filterbank(sr, n_fft, int(np.shape(mel)[-1]), fmin, fmax)
    if method == "pinv":
        inverse = np.linalg.pinv(basis).astype(np.float32)
        return tf.nn.relu(tf.tensordot(tf.convert_to_tensor(mel, tf.float32), inverse, axes=1))
    if method != "nnls":
        raise ValueError(f"method must be 'pinv' or 'nnls', got {method!r}")
    mel = np.asarray(mel, np.float64)
    flat = mel.reshape(-1, mel.shape[-1])
    return tf.constant(_nnls(basis.astype(np.float64), flat).reshape(*mel.shape[:-1], basis.shape[0]), tf.float32)


def _nnls(basis: np.ndarray, mel: np.ndarray) -> np.ndarray:
    """``argmin_{S >= 0} ||S @ basis - mel||^2`` for every row of ``mel`` at once (L-BFGS-B,
    started from the clipped pseudo-inverse)."""
    from scipy.optimize import minimize

    start = np.maximum(mel @ np.linalg.pinv(basis), 0.0)

    def objective(s):
        s = s.reshape(start.shape)
        residual = s @ basis - mel
        return 0.5 * np.sum(residual**2), (residual @ basis.T).ravel()

    found = minimize(objective, start.ravel(), jac=True, method="L-BFGS-B", bounds=[(0, None)] * start.size,
                     options={"maxiter": 500, "ftol": 1e-12, "gtol": 1e-10})
    return found.x.reshape(start.shape)


def mfcc_to_mel(mfcc: tf.Tensor | np.ndarray, n_mels: int, *, ref: float = 1.0) -> tf.Tensor:
    """MFCCs ``[batch, frames, n_mfcc]`` (:func:`gansig.data.features.mfcc`) back to a power
    mel spectrogram ``[batch, frames, n_mels]``: the dropped coefficients taken as zero, the
    orthonormal DCT inverted into dB, dB into power (librosa's ``mfcc_to_mel``)."""
    mfcc = tf.convert_to_tensor(mfcc, tf.float32)
    padding = [[0, 0]] * (mfcc.shape.rank - 1) + [[0, n_mels - mfcc.shape[-1]]]
    db = tf.signal.idct(tf.pad(mfcc, padding), type=2, norm="ortho")
    return features.db_to_power(db, ref=ref)


# ---- Griffin-Lim on long signals in blocks -------------------------------------------------


def block_griffin_lim(magnitude: np.ndarray | Callable[[int, int], tf.Tensor], frames: int, n_fft: int, hop: int, *,
                      n_iter: int = 100, seed: int = 0, block_frames: int = 4096, context_frames: int = 32,
                      fade: int = 1024) -> np.ndarray:
    """Seeded fast Griffin-Lim of a long signal, block by block, in memory bounded by the
    block, not the length.

    Each block of ``block_frames`` frames is rebuilt with ``context_frames`` more on both
    sides, starts from the phases the block before found where they overlap, and
    cross-fades into it over ``fade`` samples centred on the join.

    Args:
        magnitude: ``[frames, bins]`` STFT magnitudes, or a function ``(lo, hi) -> [1,
            hi - lo, bins]`` giving those of frames ``lo:hi`` (e.g. a mel inversion done
            block by block).
        frames: number of frames.
        n_fft: FFT length.
        hop: frame step.
        n_iter: iterations per block.
        seed: seed of the random initial phases.
        block_frames: frames rebuilt at a time; a signal no longer than one block is
            rebuilt whole, exactly as :func:`gansig.data.features.griffin_lim` would.
        context_frames: frames of context beyond each join.
        fade: cross-fade length in samples.

    Returns:
        ``[(frames - 1) * hop]`` float32 samples (centred frames).
    """
    if not callable(magnitude):
        spectrogram = np.asarray(magnitude, np.float32)
        magnitude = lambda lo, hi: spectrogram[None, lo:hi]  # noqa: E731
    y = np.zeros((frames - 1) * hop, np.float32)
    previous = None  # (first frame, waveform) of the block before
    for start in range(0, frames, block_frames):
        stop = min(start + block_frames, frames)
        lo, hi = max(0, start - context_frames), min(frames, stop + context_frames)
        # Start the frames shared with the block before from the phases it found there.
        shared = None if previous is None else features.stft(previous[1], n_fft, hop)[:, lo - previous[0]:]
        part = features.griffin_lim(magnitude(lo, hi), n_fft, hop, n_iter=n_iter, seed=seed,
                                    length=(hi - lo - 1) * hop, first_angles=shared).numpy()[0]
        previous = (lo, part)
        t = lo * hop + np.arange(len(part))  # the samples `part` covers
        weight = np.ones(len(part), np.float32)
        if start > 0:
            weight *= fade_in(t - start * hop, fade)
        if stop < frames:
            weight *= 1.0 - fade_in(t - stop * hop, fade)
        y[t[0]: t[-1] + 1] += weight * part
    return y
