"""Synthetic signals, generated reproducibly from a numpy ``Generator``."""

from __future__ import annotations

import numpy as np


def time_axis(fs: float, duration: float) -> np.ndarray:
    """Sample times ``0, 1/fs, ...`` covering ``duration`` seconds (``round(fs*duration)`` samples)."""
    return np.arange(int(round(fs * duration))) / fs


def sines(frequencies: np.ndarray, fs: float, duration: float, amplitude: float = 1.0,
          phases: np.ndarray | None = None) -> np.ndarray:
    """One sine per row of ``frequencies``, summed over its last axis.

    Args:
        frequencies: ``[n]`` (one sine each) or ``[n, k]`` (a sum of k sines each), in Hz.
        fs: sample rate in Hz.
        duration: seconds.
        amplitude: peak amplitude of every component.
        phases: radians, same shape as ``frequencies``; zero when None.

    Returns:
        ``[n, samples]`` float32 signals.
    """
    freqs = np.asarray(frequencies, dtype=np.float64)
    if freqs.ndim == 1:
        freqs = freqs[:, None]
    ph = np.zeros_like(freqs) if phases is None else np.asarray(phases, dtype=np.float64).reshape(freqs.shape)
    t = time_axis(fs, duration)
    waves = amplitude * np.sin(2 * np.pi * freqs[..., None] * t + ph[..., None])
    return waves.sum(axis=1).astype(np.float32)


def rms(x: np.ndarray) -> float:
    """Root-mean-square level of a signal."""
    return float(np.sqrt(np.mean(np.square(x, dtype=np.float64))))


def set_level(x: np.ndarray, dbfs: float) -> np.ndarray:
    """``x`` scaled to an RMS level of ``dbfs`` dB re full scale (silence stays silence)."""
    return (np.asarray(x) * (10 ** (dbfs / 20) / max(rms(x), 1e-9))).astype(np.float32)


def white_noise(rng: np.random.Generator, shape: tuple[int, ...], std: float) -> np.ndarray:
    """Gaussian white noise N(0, std^2), float32."""
    return rng.normal(0.0, std, size=shape).astype(np.float32)


def noise_gain_for_snr(signal: np.ndarray, noise: np.ndarray, snr_db: float) -> np.ndarray:
    """Per-row gain g such that ``signal + g * noise`` has the requested SNR (dB)."""
    p_signal = np.mean(np.square(signal, dtype=np.float64), axis=-1, keepdims=True)
    p_noise = np.mean(np.square(noise, dtype=np.float64), axis=-1, keepdims=True)
    return np.sqrt(10.0 ** (-snr_db / 10.0) * p_signal / p_noise)


def mix_at_snr(signal: np.ndarray, noise: np.ndarray, snr_db: float, *,
               preserve_energy: bool = False) -> np.ndarray:
    """Mix ``noise`` into ``signal`` at ``snr_db``, row by row.

    Args:
        signal: ``[..., samples]`` clean signals.
        noise: same shape.
        snr_db: the signal-to-noise ratio of the mixture.
        preserve_energy: return ``a*s + b*n`` with ``a = 1/sqrt(1+g^2)``, ``b = g/sqrt(1+g^2)``
            (``a^2 + b^2 = 1``), the "energy preserving" mix of the sine denoiser's public
            code, instead of ``s + g*n``. The SNR is the same; the clean signal itself is
            not rescaled, so it stays the training target as generated.

    Returns:
        float32 mixtures, same shape.
    """
    g = noise_gain_for_snr(signal, noise, snr_db)
    if preserve_energy:
        norm = np.sqrt(1.0 + g**2)
        return (signal / norm + noise * (g / norm)).astype(np.float32)
    return (signal + g * noise).astype(np.float32)
