"""Sums of three sines in white noise at -2 dB SNR, reproducibly from a seed."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gansig.data import signals
from gansig.papers.sinedenoise.config import Config


@dataclass
class Split:
    """Clean targets, noisy inputs and the component frequencies, ``[n, 256]`` each."""

    clean: np.ndarray
    noisy: np.ndarray
    frequencies: np.ndarray

    def inputs(self) -> np.ndarray:
        """Noisy signals shaped for the models, ``[n, 256, 1]``."""
        return self.noisy[..., None]

    def targets(self) -> np.ndarray:
        """Clean signals shaped for the models, ``[n, 256, 1]``."""
        return self.clean[..., None]


def make_signals(config: Config, n: int, rng: np.random.Generator) -> Split:
    """``n`` clean sine mixtures and their noisy versions."""
    freqs = rng.uniform(config.freq_min, config.freq_max, size=(n, config.n_components))
    clean = signals.sines(freqs, config.sample_rate, config.duration) / config.n_components
    noise = signals.white_noise(rng, clean.shape, config.noise_std)
    noisy = signals.mix_at_snr(clean, noise, config.snr_db, preserve_energy=config.energy_preserving_mix)
    return Split(clean, noisy, freqs)


def make_splits(config: Config, seed: int) -> tuple[Split, Split]:
    """The train and validation splits (``n_train`` and ``n_signals - n_train`` signals)."""
    data = make_signals(config, config.n_signals, np.random.default_rng(seed))
    cut = config.n_train
    train = Split(data.clean[:cut], data.noisy[:cut], data.frequencies[:cut])
    val = Split(data.clean[cut:], data.noisy[cut:], data.frequencies[cut:])
    return train, val
