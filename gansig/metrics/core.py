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


def log_spectral_distance(reference: np.ndarray, estimate: np.ndarray, rate: int, *, form: str = "log10",
                          n_fft: int = 2048, hop: int = 512, band: tuple[float, float] | None = None) -> float:
    """Log-spectral distance between two waveforms: per frame the root mean square over
    frequency of the difference of log power spectra, then the mean over frames.

    Args:
        reference: the reference waveform.
        estimate: the waveform scored (cut or zero-padded to the reference's length).
        rate: their sample rate.
        form: ``"log10"``, the bandwidth-extension standard (AERO, AP-BWE: log10 of the
            power, floor 1e-8), or ``"db"``, ten times that with floor 1e-10 (the dB form the
            film thesis's figures fit).
        n_fft: STFT size (Hann window, centred frames).
        hop: STFT hop.
        band: ``(low, high)`` Hz to score only those bins (e.g. below and above a cut-off),
            or None for all.

    Returns:
        The distance (log10 units or dB).
    """
    import librosa

    if form not in ("log10", "db"):
        raise ValueError(f"form must be 'log10' or 'db', got {form!r}")
    ref = np.asarray(reference, np.float64)
    est = np.zeros_like(ref)
    est[: min(len(ref), len(estimate))] = np.asarray(estimate, np.float64)[: len(ref)]
    powers = [np.abs(librosa.stft(v, n_fft=n_fft, hop_length=hop, window="hann")) ** 2 for v in (ref, est)]
    if band is not None:
        freqs = np.fft.rfftfreq(n_fft, 1.0 / rate)
        keep = (freqs >= band[0]) & (freqs <= band[1])
        powers = [p[keep] for p in powers]
    floor, scale = (1e-8, 1.0) if form == "log10" else (1e-10, 10.0)
    diff = scale * (np.log10(np.maximum(powers[0], floor)) - np.log10(np.maximum(powers[1], floor)))
    return float(np.mean(np.sqrt(np.mean(diff**2, axis=0))))
