"""Signal and spectrogram error metrics, computed per example over all but the first axis."""

from __future__ import annotations

import numpy as np


def kbps(n_bytes: int, seconds: float) -> float:
    """Bitrate in kbit/s of ``n_bytes`` (every byte of the coded file, headers included)
    carrying ``seconds`` of audio: the rate gansig reports for every codec."""
    return 8 * n_bytes / seconds / 1000


def _per_example(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float64)
    return x.reshape(x.shape[0], -1) if x.ndim > 1 else x.reshape(1, -1)


def mse(reference: np.ndarray, estimate: np.ndarray) -> np.ndarray:
    """Mean squared error of each example (rows of ``[n, ...]``; a 1-D input is one example)."""
    return np.mean(np.square(_per_example(reference) - _per_example(estimate)), axis=1)


def rmse(reference: np.ndarray, estimate: np.ndarray) -> np.ndarray:
    """Root mean squared error of each example."""
    return np.sqrt(mse(reference, estimate))


def snr_db(reference: np.ndarray, estimate: np.ndarray, eps: float = 1e-20) -> np.ndarray:
    """SNR of ``estimate`` against ``reference``: ``10 log10(sum ref^2 / sum (ref - est)^2)``."""
    ref, est = _per_example(reference), _per_example(estimate)
    return 10 * np.log10((np.sum(ref**2, axis=1) + eps) / (np.sum((ref - est) ** 2, axis=1) + eps))


def snr_improvement_db(reference: np.ndarray, noisy: np.ndarray, estimate: np.ndarray) -> np.ndarray:
    """SNR gained by the estimate over the noisy input, in dB."""
    return snr_db(reference, estimate) - snr_db(reference, noisy)


def distortion_db(reference: np.ndarray, estimate: np.ndarray, eps: float = 1e-20) -> np.ndarray:
    """``-10 log10(MSE / P_signal)``: the error's level below the signal's power, dB.

    For one example this equals :func:`snr_db`; it differs when averaged (the sine
    denoiser's public code averages MSE and power over the set first).
    """
    ref = _per_example(reference)
    return -10 * np.log10((mse(reference, estimate) + eps) / (np.mean(ref**2, axis=1) + eps))


def lsd(reference_power: np.ndarray, estimate_power: np.ndarray, eps: float = 1e-10) -> np.ndarray:
    """Log-spectral distance, dB: per frame RMS of the dB difference, averaged over frames.

    Args:
        reference_power: ``[n, frames, bins]`` (or ``[frames, bins]``) power spectrograms.
        estimate_power: same shape.

    Returns:
        ``[n]`` distances.
    """
    ref = np.asarray(reference_power, dtype=np.float64)
    est = np.asarray(estimate_power, dtype=np.float64)
    if ref.ndim == 2:
        ref, est = ref[None], est[None]
    diff = 10 * np.log10(ref + eps) - 10 * np.log10(est + eps)
    return np.mean(np.sqrt(np.mean(diff**2, axis=-1)), axis=-1)
