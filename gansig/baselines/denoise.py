"""Classical denoisers the papers compare with (or promised to): filters, Wiener, wavelets,
spectral subtraction and spectral gating. All take ``[n, samples]`` (or ``[samples]``)
waveforms and return the same shape, float32.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from scipy import signal as sps

NOISE_ESTIMATES = ("white", "per_bin")


def _rows(x: np.ndarray, fn: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
    x = np.asarray(x, dtype=np.float64)
    if x.ndim == 1:
        return fn(x).astype(np.float32)
    return np.stack([fn(row) for row in x]).astype(np.float32)


def butterworth_lowpass(x: np.ndarray, fs: float, pass_hz: float, stop_hz: float, *,
                        pass_ripple_db: float = 0.05, stop_atten_db: float = 60.0) -> np.ndarray:
    """Zero-phase Butterworth low-pass of the smallest order meeting the specification.

    ``scipy.signal.buttord`` picks the order from the pass/stop edges, ripple and
    attenuation; ``butter`` designs it (second-order sections); ``filtfilt`` applies it
    forwards and backwards (no phase shift, squared magnitude response).
    """
    nyquist = fs / 2
    order, wn = sps.buttord(pass_hz / nyquist, stop_hz / nyquist, pass_ripple_db, stop_atten_db)
    sos = sps.butter(order, wn, btype="low", output="sos")
    return _rows(x, lambda row: sps.sosfiltfilt(sos, row))


def _stft(x: np.ndarray, fs: float, n_fft: int, hop: int) -> np.ndarray:
    return sps.stft(x, fs, window="hann", nperseg=n_fft, noverlap=n_fft - hop, boundary="even")[2]


def _istft(spec: np.ndarray, fs: float, n_fft: int, hop: int, length: int) -> np.ndarray:
    y = sps.istft(spec, fs, window="hann", nperseg=n_fft, noverlap=n_fft - hop, boundary=True)[1]
    return np.pad(y[:length], (0, max(0, length - len(y))))


def noise_psd(power: np.ndarray, method: str = "white", quantile: float = 0.5) -> np.ndarray:
    """Estimate the noise power per frequency bin from a noisy power spectrogram ``[bins, frames]``.

    Args:
        power: ``|STFT|^2``.
        method: ``"white"``: one level for every bin, the median over all time-frequency
            bins (robust when the signal occupies few bins, as sines do); ``"per_bin"``:
            each bin's ``quantile`` over time (for signals that come and go, like speech).
        quantile: the quantile for ``"per_bin"``.

    Returns:
        ``[bins, 1]`` noise power. The median of a chi-square(2) periodogram is ``ln 2``
        times its mean, corrected here.
    """
    if method not in NOISE_ESTIMATES:
        raise ValueError(f"method must be one of {NOISE_ESTIMATES}, got {method!r}")
    if method == "white":
        level = np.median(power) / np.log(2)
        return np.full((power.shape[0], 1), level)
    return np.quantile(power, quantile, axis=1, keepdims=True) / -np.log(1 - quantile)


def spectral_subtraction(x: np.ndarray, fs: float, *, n_fft: int = 512, hop: int = 128,
                         over_subtraction: float = 2.0, floor: float = 0.01,
                         noise_estimate: str = "white") -> np.ndarray:
    """Power spectral subtraction (Berouti et al.): ``max(|Y|^2 - a N, b |Y|^2)``, noisy phase."""
    def one(row):
        spec = _stft(row, fs, n_fft, hop)
        power = np.abs(spec) ** 2
        clean = np.maximum(power - over_subtraction * noise_psd(power, noise_estimate), floor * power)
        return _istft(spec * np.sqrt(clean / np.maximum(power, 1e-20)), fs, n_fft, hop, len(row))

    return _rows(x, one)


def wiener(x: np.ndarray, fs: float, *, n_fft: int = 512, hop: int = 128,
           noise_estimate: str = "white") -> np.ndarray:
    """STFT-domain Wiener filter: gain ``xi / (1 + xi)`` with the a-priori SNR
    ``xi = max(|Y|^2 / N - 1, 0)`` (maximum-likelihood estimate)."""
    def one(row):
        spec = _stft(row, fs, n_fft, hop)
        power = np.abs(spec) ** 2
        xi = np.maximum(power / np.maximum(noise_psd(power, noise_estimate), 1e-20) - 1.0, 0.0)
        return _istft(spec * xi / (1.0 + xi), fs, n_fft, hop, len(row))

    return _rows(x, one)


def wavelet_threshold(x: np.ndarray, *, wavelet: str = "db8", level: int | None = None,
                      rule: str = "bayes", mode: str = "soft") -> np.ndarray:
    """Wavelet shrinkage of the detail coefficients.

    The noise level sigma comes from the finest detail band (median absolute value /
    0.6745). ``rule="bayes"`` (BayesShrink, Chang et al. 2000; scikit-image's default)
    thresholds each band at ``sigma^2 / sigma_x`` with that band's signal deviation
    ``sigma_x``, so bands that carry the signal are barely touched; ``rule="visu"``
    (VisuShrink, Donoho-Johnstone) uses one universal threshold ``sigma sqrt(2 ln n)``.
    """
    import pywt

    if rule not in ("bayes", "visu"):
        raise ValueError(f"rule must be 'bayes' or 'visu', got {rule!r}")

    def threshold_for(band: np.ndarray, sigma: float, n: int) -> float:
        if rule == "visu":
            return sigma * np.sqrt(2 * np.log(n))
        signal_std = np.sqrt(max(np.var(band) - sigma**2, 0.0))
        return np.max(np.abs(band)) if signal_std == 0 else sigma**2 / signal_std

    def one(row):
        coeffs = pywt.wavedec(row, wavelet, level=level)
        sigma = np.median(np.abs(coeffs[-1])) / 0.6745
        kept = [coeffs[0]] + [pywt.threshold(c, threshold_for(c, sigma, len(row)), mode=mode) for c in coeffs[1:]]
        return pywt.waverec(kept, wavelet)[: len(row)]

    return _rows(x, one)


def spectral_gating(x: np.ndarray, fs: float, *, stationary: bool = True, noise: np.ndarray | None = None,
                    freq_smooth_hz: float | None = None) -> np.ndarray:
    """Spectral gating with ``noisereduce``.

    Args:
        x: noisy waveforms.
        fs: sample rate.
        stationary: noisereduce's stationary mode (one noise threshold per frequency).
        noise: a noise-only recording to take the noise statistics from. Without it they
            come from ``x`` itself, which treats any steady tone as noise and gates it out.
        freq_smooth_hz: smoothing of the gate mask across frequency. None turns it off:
            noisereduce's default (500 Hz) averages a narrow tone's mask with its empty
            neighbours and so attenuates the tone itself.
    """
    import noisereduce

    kwargs = {"freq_mask_smooth_hz": freq_smooth_hz}
    if noise is not None:
        kwargs["y_noise"] = np.asarray(noise, np.float64)
    return _rows(x, lambda row: noisereduce.reduce_noise(y=row, sr=int(fs), stationary=stationary, **kwargs))
