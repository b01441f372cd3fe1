"""The thesis's damaged film dataset (section 3.2), from any clean recording.

From one clean mono recording: the clean sound; white noise alone; clean + white noise
(the discriminator's "original", since an old film's hiss is part of its character); and
seven damaged versions with everything above 150, 250, 500, 1000, 1500, 2000 and 3000 Hz
removed (the generator's inputs). How the damage is made, which the thesis does not say,
is the config's (``noise_rms_dbfs``, ``noise_before_cut``, ``lowpass``, ``lowpass_order``).
"""

from __future__ import annotations

from dataclasses import dataclass
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


@dataclass(frozen=True)
class Damage:
    """One way a recording was damaged (the restorer's training draws one per example).

    Attributes:
        cutoff_hz: where the low-pass cuts.
        lowpass: ``"brickwall"`` or ``"butterworth"``.
        order: the Butterworth's order.
        noise_dbfs: white-noise RMS level, dB re full scale (None: no noise).
        noise_before_cut: the noise is cut with the sound (else added after the cut).
    """

    cutoff_hz: float
    lowpass: str = "brickwall"
    order: int = 8
    noise_dbfs: float | None = -30.0
    noise_before_cut: bool = True

    @classmethod
    def of(cls, config: Config, cutoff_hz: float) -> Damage:
        """The config's damage (the thesis's, as interpreted) at ``cutoff_hz``."""
        return cls(cutoff_hz, config.lowpass, config.lowpass_order, config.noise_rms_dbfs, config.noise_before_cut)

    def onto(self, clean: np.ndarray, noise: np.ndarray, rate: int) -> np.ndarray:
        """The damaged version of ``clean`` with the given ``noise`` samples: the cut of
        clean + noise (``noise_before_cut``, [T:851]) or the cut of clean with the noise added
        after."""
        clean = np.asarray(clean, np.float32)
        if self.noise_before_cut:
            return remove_above(clean + noise, rate, self.cutoff_hz, self.lowpass, self.order)
        return remove_above(clean, rate, self.cutoff_hz, self.lowpass, self.order) + noise

    def apply(self, clean: np.ndarray, rate: int, rng: np.random.Generator) -> np.ndarray:
        """The damaged version of ``clean``, its noise (at ``noise_dbfs``) drawn from ``rng``."""
        clean = np.asarray(clean, np.float32)
        noise = (np.zeros_like(clean) if self.noise_dbfs is None
                 else rng.normal(0.0, 10 ** (self.noise_dbfs / 20), size=clean.shape).astype(np.float32))
        return self.onto(clean, noise, rate)

    def describe(self) -> str:
        """E.g. ``"2000 Hz brickwall, noise -30 dBFS before the cut"``."""
        cut = "brickwall" if self.lowpass == "brickwall" else f"order-{self.order} Butterworth"
        noise = ("no noise" if self.noise_dbfs is None else
                 f"noise {self.noise_dbfs:.0f} dBFS {'before' if self.noise_before_cut else 'after'} the cut")
        return f"{self.cutoff_hz:.0f} Hz {cut}, {noise}"


def random_damage(config: Config, rng: np.random.Generator) -> Damage:
    """A damage drawn from the config's ranges: cut-off log-uniform in
    ``restorer_cutoff_range_hz``; a brick-wall with probability ``restorer_brickwall_share``,
    else a Butterworth of one of ``restorer_orders``; no noise with probability
    ``restorer_noise_free_share``, else a level uniform in ``restorer_noise_range_dbfs``,
    before or after the cut with even odds."""
    lo, hi = config.restorer_cutoff_range_hz
    cutoff = float(np.exp(rng.uniform(np.log(lo), np.log(hi))))
    brickwall = rng.random() < config.restorer_brickwall_share
    order = int(config.restorer_orders[int(rng.integers(len(config.restorer_orders)))])
    quiet = rng.random() < config.restorer_noise_free_share
    noise = float(rng.uniform(*config.restorer_noise_range_dbfs))
    return Damage(cutoff, "brickwall" if brickwall else "butterworth", order, None if quiet else noise,
                  bool(rng.random() < 0.5))


def derive_film_set(clean: np.ndarray, config: Config = PAPER, *, seed: int = 0) -> dict[str, np.ndarray]:
    """Section 3.2's ten signals from one clean recording at ``config.rate``.

    Returns:
        ``{"clean", "noise", "noisy", "cut_150", ..., "cut_3000"}`` -> float32 arrays.
    """
    clean = np.asarray(clean, np.float32)
    noise = white_noise(len(clean), config, seed)
    derived = {"clean": clean, "noise": noise, "noisy": clean + noise}
    derived.update({f"cut_{c:g}": Damage.of(config, c).onto(clean, noise, config.rate) for c in config.cutoffs_hz})
    return derived


def set_names(config: Config = PAPER) -> list[str]:
    """The ten files' names, in the thesis's order."""
    return ["clean", "noise", "noisy", *(f"cut_{c:g}" for c in config.cutoffs_hz)]


def write_film_set(src: str | Path, out_dir: str | Path, config: Config = PAPER, *, seed: int = 0,
                   force: bool = False) -> list[Path]:
    """Read a clean recording (any format, rate and channels; mixed to mono, resampled to the
    config's rate and brought below full scale) and write the derived set as 24-bit WAVs
    into ``out_dir``.

    Args:
        force: write over files of the same names already in ``out_dir`` (else refused).

    Raises:
        AudioError: the recording cannot be used.
        OutputError: ``out_dir`` is not a folder, one of the ten files would replace the
            recording itself, or (without ``force``) is already there (checked before any work).
    """
    out = Path(out_dir)
    names = set_names(config)
    for name in names:
        check_output(out / f"{name}.wav", inputs=[src], force=True)
    there = [f"{name}.wav" for name in names if (out / f"{name}.wav").exists()]
    if there and not force:
        raise OutputError(f"{out}: already holds {', '.join(there[:3])}{' ...' if len(there) > 3 else ''}; give "
                          "another folder, or --force to write over them")
    clean, _ = io.load(src, config.rate)
    io.check_length(len(clean), config.rate, src, config.shortest_input_s, "make the damaged set of")
    peak = float(np.max(np.abs(clean)))
    if peak > 1.0:
        clean = clean / peak
    derived = derive_film_set(clean, config, seed=seed)
    return [io.save(out / f"{name}.wav", derived[name], config.rate, subtype="PCM_24") for name in names]
