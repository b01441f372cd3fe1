"""The thesis's damaged film dataset (section 3.2), from any clean recording.

From one clean mono recording: the clean sound; white noise alone; clean + white noise
(the discriminator's "original", since an old film's hiss is part of its character); and
seven damaged versions of the noisy sound with everything above 150, 250, 500, 1000,
1500, 2000 and 3000 Hz removed (the generator's inputs).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from gansig.data import io
from gansig.fileio import check_output

CUTOFFS_HZ = (150, 250, 500, 1000, 1500, 2000, 3000)
RATE = 48_000


def remove_above(x: np.ndarray, rate: int, cutoff_hz: float) -> np.ndarray:
    """Remove every component above ``cutoff_hz`` (an ideal brick-wall low-pass by FFT).

    The thesis says the frequencies above each limit were "cut"; zeroing them in the
    spectrum does exactly that, with no pass-band ripple or phase shift.
    """
    spectrum = np.fft.rfft(np.asarray(x, np.float64))
    spectrum[np.fft.rfftfreq(len(x), 1.0 / rate) > cutoff_hz] = 0.0
    return np.fft.irfft(spectrum, n=len(x)).astype(np.float32)


def derive_film_set(clean: np.ndarray, rate: int = RATE, *, noise_rms_dbfs: float = -30.0, seed: int = 0,
                    cutoffs_hz: tuple[float, ...] = CUTOFFS_HZ) -> dict[str, np.ndarray]:
    """Section 3.2's ten signals from one clean recording.

    Args:
        clean: mono samples in [-1, 1].
        rate: their sample rate.
        noise_rms_dbfs: the white noise's RMS level in dB re full scale. The thesis's "30
            RMS white noise" does not say on which scale; we read it as -30 dBFS RMS (a
            clearly audible hiss). Its other plausible reading, 30 on a 16-bit integer
            scale, is -60.8 dBFS.
        seed: seed of the noise.
        cutoffs_hz: the damaged versions' cut-off frequencies.

    Returns:
        ``{"clean", "noise", "noisy", "cut_150", ..., "cut_3000"}`` -> float32 arrays.
    """
    clean = np.asarray(clean, np.float32)
    noise = np.random.default_rng(seed).normal(0.0, 10 ** (noise_rms_dbfs / 20), size=clean.shape)
    noise = noise.astype(np.float32)
    noisy = clean + noise
    derived = {"clean": clean, "noise": noise, "noisy": noisy}
    derived.update({f"cut_{c:g}": remove_above(noisy, rate, c) for c in cutoffs_hz})
    return derived


def write_film_set(src: str | Path, out_dir: str | Path, *, noise_rms_dbfs: float = -30.0,
                   seed: int = 0) -> list[Path]:
    """Read a clean recording (any format/rate; resampled to 48 kHz mono) and write the
    derived set as 24-bit WAVs into ``out_dir``.

    Raises:
        AudioError: the recording cannot be used.
        OutputError: ``out_dir`` is not a folder, or one of the ten files would replace the
            recording itself (checked before any work).
    """
    out = Path(out_dir)
    names = ["clean", "noise", "noisy", *(f"cut_{c:g}" for c in CUTOFFS_HZ)]
    for name in names:
        check_output(out / f"{name}.wav", inputs=[src])
    clean, _ = io.load(src, RATE)
    peak = float(np.max(np.abs(clean)))
    if peak > 1.0:
        clean = clean / peak
    derived = derive_film_set(clean, RATE, noise_rms_dbfs=noise_rms_dbfs, seed=seed)
    return [io.save(out / f"{name}.wav", derived[name], RATE, subtype="PCM_24") for name in names]
