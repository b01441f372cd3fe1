"""The thesis's damaged film dataset (section 3.2), from any clean recording.

From one clean mono recording: the clean sound; white noise alone; clean + white noise
(the discriminator's "original", since an old film's hiss is part of its character); and
seven damaged versions with everything above 150, 250, 500, 1000, 1500, 2000 and 3000 Hz
removed (the generator's inputs). How the damage is made, which the thesis does not say,
is the config's (``noise_rms_dbfs``, ``noise_before_cut``, ``lowpass``, ``lowpass_order``).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from scipy import signal as sps

from gansig.data import io
from gansig.errors import OutputError
from gansig.fileio import check_output
from gansig.papers.film.config import PAPER, Config


def remove_above(x: np.ndarray, rate: int, cutoff_hz: float, kind: str = "brickwall", order: int = 8) -> np.ndarray:
    """Remove what lies above ``cutoff_hz``.

    Args:
        x: samples.
        rate: their rate.
        cutoff_hz: the cut-off.
        kind: ``"brickwall"`` (zero every FFT bin above it: no ripple, no phase shift) or
            ``"butterworth"`` (a zero-phase Butterworth of ``order``, run forwards and back).
        order: the Butterworth's order.
    """
    x = np.asarray(x, np.float64)
    if kind == "butterworth":
        return sps.sosfiltfilt(sps.butter(order, cutoff_hz, fs=rate, output="sos"), x).astype(np.float32)
    if kind != "brickwall":
        raise ValueError(f"kind must be 'brickwall' or 'butterworth', got {kind!r}")
    spectrum = np.fft.rfft(x)
    spectrum[np.fft.rfftfreq(len(x), 1.0 / rate) > cutoff_hz] = 0.0
    return np.fft.irfft(spectrum, n=len(x)).astype(np.float32)


def white_noise(n: int, config: Config, seed: int) -> np.ndarray:
    """Gaussian white noise at ``config.noise_rms_dbfs`` RMS."""
    return np.random.default_rng(seed).normal(0.0, 10 ** (config.noise_rms_dbfs / 20), size=n).astype(np.float32)


def damaged(clean: np.ndarray, noise: np.ndarray, cutoff_hz: float, config: Config) -> np.ndarray:
    """One damaged version: the cut of clean + noise (``noise_before_cut``, [T:851]) or the
    cut of the clean sound with the noise added after."""
    clean = np.asarray(clean, np.float32)
    if config.noise_before_cut:
        return remove_above(clean + noise, config.rate, cutoff_hz, config.lowpass, config.lowpass_order)
    return remove_above(clean, config.rate, cutoff_hz, config.lowpass, config.lowpass_order) + noise


def derive_film_set(clean: np.ndarray, config: Config = PAPER, *, seed: int = 0) -> dict[str, np.ndarray]:
    """Section 3.2's ten signals from one clean recording at ``config.rate``.

    Returns:
        ``{"clean", "noise", "noisy", "cut_150", ..., "cut_3000"}`` -> float32 arrays.
    """
    clean = np.asarray(clean, np.float32)
    noise = white_noise(len(clean), config, seed)
    derived = {"clean": clean, "noise": noise, "noisy": clean + noise}
    derived.update({f"cut_{c:g}": damaged(clean, noise, c, config) for c in config.cutoffs_hz})
    return derived


def set_names(config: Config = PAPER) -> list[str]:
    """The ten files' names, in the thesis's order."""
    return ["clean", "noise", "noisy", *(f"cut_{c:g}" for c in config.cutoffs_hz)]


def write_film_set(src: str | Path, out_dir: str | Path, config: Config = PAPER, *, seed: int = 0,
                   replace: bool = False) -> list[Path]:
    """Read a clean recording (any format, rate and channels; mixed to mono, resampled to the
    config's rate and brought below full scale) and write the derived set as 24-bit WAVs
    into ``out_dir``.

    Args:
        replace: replace files of the same names already in ``out_dir`` (else refused).

    Raises:
        AudioError: the recording cannot be used.
        OutputError: ``out_dir`` is not a folder, one of the ten files would replace the
            recording itself, or (without ``replace``) is already there (checked before any work).
    """
    out = Path(out_dir)
    names = set_names(config)
    for name in names:
        check_output(out / f"{name}.wav", inputs=[src])
    there = [f"{name}.wav" for name in names if (out / f"{name}.wav").exists()]
    if there and not replace:
        raise OutputError(f"{out}: already holds {', '.join(there[:3])}{' ...' if len(there) > 3 else ''}; give "
                          "another folder, or --replace to write over them")
    clean, _ = io.load(src, config.rate)
    peak = float(np.max(np.abs(clean)))
    if peak > 1.0:
        clean = clean / peak
    derived = derive_film_set(clean, config, seed=seed)
    return [io.save(out / f"{name}.wav", derived[name], config.rate, subtype="PCM_24") for name in names]
