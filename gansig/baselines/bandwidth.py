"""Classical bandwidth extension: what a low-pass-cut recording's missing band can be given
without learning — spectral band replication (as SBR and its classical predecessors do),
the yardstick of the film paper's restorations."""

from __future__ import annotations

import numpy as np

from gansig.baselines.denoise import _istft, _stft


def detect_cutoff(x: np.ndarray, fs: float, *, n_fft: int = 2048, drop_db: float = 50.0) -> float:
    """The frequency above which a recording holds (almost) nothing, or Nyquist for a
    full-band one: below where its long-term spectrum has gathered all but ``10 **
    (-drop_db / 10)`` of its energy, the bin after which the spectrum falls most steeply (the
    window's leakage smears a cut's edge upwards; its steepest fall marks the cut)."""
    power = np.mean(np.abs(_stft(np.asarray(x, np.float64), fs, n_fft, n_fft // 4)) ** 2, axis=1)
    share = np.cumsum(power) / max(float(power.sum()), 1e-30)
    k = min(int(np.searchsorted(share, 1.0 - 10 ** (-drop_db / 10))), len(power) - 1)
    if k >= len(power) - 2:
        return fs / 2
    db = 10 * np.log10(np.maximum(power[: k + 2], 1e-30))
    smooth = np.convolve(db, np.ones(5) / 5, mode="same")  # harmonics' ripple is not a cut
    lo = k // 2
    return float((lo + int(np.argmin(np.diff(smooth[lo:])))) * fs / n_fft)


def band_replication(x: np.ndarray, fs: float, cutoff_hz: float | None = None, *, n_fft: int = 2048,
                     hop: int = 512) -> np.ndarray:
    """Spectral band replication: the top octave below the cut-off copied upwards, again and
    again up to Nyquist, each copied bin keeping its source's phase and frame-by-frame
    envelope, and scaled to continue the spectral tilt of the kept band's upper two octaves
    (a straight line of long-term log power against log frequency). The kept band is
    unchanged.

    Args:
        x: ``[samples]`` audio.
        fs: its rate.
        cutoff_hz: where the recording was cut (detected with :func:`detect_cutoff` when None).
        n_fft: STFT size.
        hop: STFT hop.

    Returns:
        ``[samples]`` float32, the same length.
    """
    x = np.asarray(x, np.float64)
    cutoff_hz = detect_cutoff(x, fs, n_fft=n_fft) if cutoff_hz is None else cutoff_hz
    spec = _stft(x, fs, n_fft, hop)
    bins = spec.shape[0]
    top = int(np.floor(cutoff_hz * n_fft / fs))  # the first bin above the cut
    if top >= bins - 1 or top < 4:
        return x.astype(np.float32)
    source = np.arange(top // 2, top)
    freqs = np.arange(bins) * fs / n_fft
    fit = np.arange(max(1, top // 4), top)
    power = np.mean(np.abs(spec[fit]) ** 2, axis=1)
    slope = np.polyfit(np.log10(freqs[fit]), np.log10(np.maximum(power, 1e-30)), 1)[0]  # log power per decade
    out = spec.copy()
    for k in range(top, bins):
        j = source[(k - top) % len(source)]
        out[k] = spec[j] * (freqs[k] / freqs[j]) ** (slope / 2)
    return _istft(out, fs, n_fft, hop, len(x)).astype(np.float32)
