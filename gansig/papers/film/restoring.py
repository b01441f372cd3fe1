"""The gansig restorer at work, without TensorFlow: the log power spectra it sees, the
mask of the missing band, the band's level, and one block restored (the kept band
denoised through its predicted gate, the missing band written at a level its SNR budget
allows, its phases from Griffin-Lim iterations with the kept bins held). The network is the
exported one the tool runs or the Keras one a reproduction trained
(:func:`gansig.runtime.network.predict`); the spectra are NumPy's (:mod:`gansig.runtime.dsp`).
The networks and their training are :mod:`gansig.papers.film.restorer_net`'s.
"""

from __future__ import annotations

import numpy as np

from gansig.papers.film.config import Config
from gansig.runtime import dsp
from gansig.runtime.network import predict

FLOOR = 1e-8    # power floor of the log spectra (the BWE-standard LSD's)
SCALE = 4.0     # log10 power / SCALE: the networks' range

def log_power(x: np.ndarray, config: Config) -> tuple[np.ndarray, np.ndarray]:
    """``(log10 power / SCALE, complex STFT)`` of a waveform, ``[frames, bins]`` each."""
    spec = dsp.stft(np.asarray(x, np.float32), config.n_fft, config.hop)[0]
    return (np.log10(np.maximum(np.abs(spec) ** 2, FLOOR)) / SCALE).astype(np.float32), spec


def first_missing_bin(config: Config, cutoff_hz: float) -> int:
    """The first bin above the cut-off (``n_fft // 2 + 1``: none missing)."""
    return int(np.searchsorted(np.fft.rfftfreq(config.n_fft, 1.0 / config.rate), cutoff_hz, side="right"))


def missing_mask(config: Config, first: int | np.ndarray, frames: int) -> np.ndarray:
    """``[..., frames, bins]`` 1 from bin ``first`` up (one mask per entry of ``first``)."""
    bins = np.arange(config.n_fft // 2 + 1)
    mask = (bins >= np.asarray(first)[..., None]).astype(np.float32)
    return np.repeat(mask[..., None, :], frames, axis=-2)


def band_magnitude(log_in: np.ndarray, log_out: np.ndarray, first: int) -> np.ndarray:
    """``[frames, missing bins]`` the restored band's magnitude at its predicted level (the
    bins from ``first`` up), no bin louder than its frame's strongest kept bin (a guard
    against outliers)."""
    ceiling = log_in[:, :first].max(axis=1, keepdims=True) if first > 0 else log_in.max()
    return np.sqrt(10 ** (SCALE * np.minimum(log_out[:, first:], ceiling)))


def band_gain(removed: float, band: float, ratio: float, budget_db: float, strength: float = 1.0) -> float:
    """The restored band's amplitude gain.

    ``band`` is the band's energy at its predicted level, so ``band / ratio`` estimates the
    true band's (``ratio``: :func:`gansig.papers.film.restorer_net.band_energy_ratio`);
    ``removed`` is the energy the denoiser took out of the kept band (noise, at least in the
    estimate). The damaged input's error is
    then at least ``removed + band / ratio`` and the restored one's ``band / ratio + g^2
    band``: ``g^2 = (rho (removed + band / ratio) - band / ratio) / band`` holds their ratio
    at ``rho = 10^(budget/10)`` (never above 1: the band is not boosted). ``strength`` 0 -> 1
    scales that gain from 0; 1 -> 2 raises it geometrically to 1 (the predicted level).
    """
    rho, band = 10 ** (budget_db / 10), max(band, 1e-30)
    g = float(np.sqrt(np.clip((rho * removed + (rho - 1.0) * band / ratio) / band, 0.0, 1.0)))
    return g * strength if strength <= 1.0 else g ** (2.0 - strength)


def restore(g, x: np.ndarray, config: Config, cutoff_hz: float, ratio: float = 1.0,
            strength: float = 1.0, seed: int = 0) -> np.ndarray:
    """Restore one block of damaged audio at the config's rate.

    Args:
        g: the trained generator, exported or Keras: ``(log_power, missing) -> restored log
            power``, each ``[1, frames, bins]``.
        x: ``[samples]``.
        config: its config.
        cutoff_hz: where the input was cut (Nyquist: nothing missing, denoising only).
        ratio: the generator's band energy ratio (:func:`gansig.papers.film.restorer_net.band_energy_ratio`).
        strength: 0 (the input unchanged) ... 1 (default: denoised, the band at the SNR
            budget's level) ... 2 (the band at its predicted level, the denoising as at 1).
        seed: seed of the restored band's first phases.

    Returns:
        ``[samples]`` float32.
    """
    if strength == 0.0:
        return np.asarray(x, np.float32).copy()
    log_in, spec = log_power(x, config)
    first = first_missing_bin(config, cutoff_hz)  # bins below it are kept, from it up missing
    log_out = np.asarray(predict(g, log_in[None], missing_mask(config, first, len(log_in))[None]))[0]
    # The kept band: the input's bins scaled by the predicted change, their phases kept.
    change = min(strength, 1.0) * SCALE * (log_out[:, :first] - log_in[:, :first])
    full = spec.copy()
    full[:, :first] = spec[:, :first] * 10 ** (change / 2)
    if first >= log_in.shape[1]:
        return dsp.inverse_stft(full, config.n_fft, config.hop, length=len(x))[0]
    magnitude = band_magnitude(log_in, log_out, first)
    removed = max(0.0, float(np.sum(np.abs(spec[:, :first]) ** 2 - np.abs(full[:, :first]) ** 2)))
    magnitude *= band_gain(removed, float(np.sum(magnitude ** 2)), ratio, config.restorer_snr_budget_db, strength)
    # Where the input still holds more than the prediction above the cut (a filter's slope,
    # a cut-off detected low) its own bins stay; the rest get the prediction's magnitude.
    given, kept = spec[:, first:], np.abs(spec[:, first:]) >= magnitude
    full[:, first:] = magnitude * np.exp(2j * np.pi * np.random.default_rng(seed).random(magnitude.shape))
    np.copyto(full[:, first:], given, where=kept)
    for _ in range(config.restorer_phase_iters):
        y = dsp.inverse_stft(full, config.n_fft, config.hop, length=len(x))[0]
        band = dsp.stft(y, config.n_fft, config.hop)[0][:, first:]
        band *= magnitude / np.maximum(np.abs(band), 1e-12)  # the prediction's magnitude, the phases found
        np.copyto(band, given, where=kept)
        full[:, first:] = band
    return dsp.inverse_stft(full, config.n_fft, config.hop, length=len(x))[0]
