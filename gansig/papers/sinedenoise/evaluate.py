"""Scores on the validation set: MSE, SNR improvement, distortion, and residual noise in
and out of the sines' band, for the noisy input, the low-pass filter and the denoiser."""

from __future__ import annotations

import numpy as np

from gansig import baselines, metrics
from gansig.papers.sinedenoise.config import Config


def lowpass(config: Config, noisy: np.ndarray) -> np.ndarray:
    """The public code's Butterworth low-pass (minimum order for the spec, zero phase)."""
    return baselines.butterworth_lowpass(noisy, config.sample_rate, config.lowpass_pass_hz, config.lowpass_stop_hz,
                                         pass_ripple_db=config.lowpass_ripple_db,
                                         stop_atten_db=config.lowpass_attenuation_db)


def band_residual_db(clean: np.ndarray, estimate: np.ndarray, rate: float, band: tuple[float, float]) -> float:
    """Energy of ``estimate - clean`` inside ``band`` (Hz), dB relative to the clean energy.

    Averaged over the set before taking dB; lower is better.
    """
    residual = np.fft.rfft(np.asarray(estimate, np.float64) - clean, axis=-1)
    freqs = np.fft.rfftfreq(clean.shape[-1], 1.0 / rate)
    inside = (freqs >= band[0]) & (freqs <= band[1])
    band_energy = np.sum(np.abs(residual[..., inside]) ** 2)
    clean_energy = np.sum(np.abs(np.fft.rfft(clean, axis=-1)) ** 2)
    return float(10 * np.log10(band_energy / clean_energy))


def per_signal(clean: np.ndarray, noisy: np.ndarray, estimate: np.ndarray) -> dict[str, np.ndarray]:
    """The metrics :func:`scores` averages, one value per signal (for their bootstrap
    intervals; the residual-noise ratios are over the whole set, not averages)."""
    return {"MSE": np.asarray(metrics.mse(clean, estimate)),
            "SNR improvement (dB)": np.asarray(metrics.snr_improvement_db(clean, noisy, estimate)),
            "Distortion (dB)": np.asarray(metrics.distortion_db(clean, estimate))}


def scores(config: Config, clean: np.ndarray, noisy: np.ndarray, estimate: np.ndarray) -> dict[str, float]:
    """Every metric of the table for one method (per-example values averaged over the set).

    MSE, SNR improvement and distortion follow the public code: computed per signal and
    averaged; distortion is ``-10 log10(MSE / P_signal)``.
    """
    lo, hi = config.in_band_hz
    return {
        **{name: float(np.mean(values)) for name, values in per_signal(clean, noisy, estimate).items()},
        f"Residual noise {lo:g}-{hi:g} Hz (dB re signal)": band_residual_db(clean, estimate, config.sample_rate,
                                                                              config.in_band_hz),
        "Residual noise {:g}-{:g} Hz (dB re signal)".format(*config.out_band_hz): band_residual_db(
            clean, estimate, config.sample_rate, config.out_band_hz),
    }
