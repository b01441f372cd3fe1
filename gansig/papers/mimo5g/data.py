"""Algorithms 1-3 of the paper: noisy sines, 64x64 dB mel spectrograms, min-max scaling."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import tensorflow as tf

from gansig.data import features, signals
from gansig.data.pipeline import map_batched
from gansig.papers.mimo5g.config import Config


@dataclass
class SignalSet:
    """Clean and noisy waveforms with their normalised spectrogram images.

    Attributes:
        clean: ``[n, samples]`` sines.
        noisy: ``[n, samples]`` sines plus Gaussian noise.
        frequencies: ``[n]`` sine frequencies, Hz.
        clean_images: ``[n, 64, 64, 1]`` in [0, 1].
        noisy_images: ``[n, 64, 64, 1]`` in [0, 1].
    """

    clean: np.ndarray
    noisy: np.ndarray
    frequencies: np.ndarray
    clean_images: np.ndarray
    noisy_images: np.ndarray

    def __len__(self) -> int:
        return len(self.clean)


def generate_signals(config: Config, n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Algorithm 1 for ``n`` signals: a sine of random frequency plus N(0, noise_std^2).

    Returns:
        ``(clean, noisy, frequencies)``.
    """
    freqs = rng.uniform(config.freq_min, config.freq_max, size=n)
    clean = signals.sines(freqs, config.sample_rate, config.duration, config.amplitude)
    noisy = clean + signals.white_noise(rng, clean.shape, config.noise_std)
    return clean, noisy, freqs


def db_mel_images(x: tf.Tensor, config: Config) -> tf.Tensor:
    """Algorithm 2: dB mel spectrograms resized to ``image_size`` squared, ``[b, 64, 64, 1]``."""
    mel = features.mel_spectrogram(x, config.sample_rate, config.n_fft, config.hop, config.n_mels)
    db = features.power_to_db(mel, top_db=config.top_db)
    size = (config.image_size, config.image_size)
    return features.to_image(db, size, method=config.resize_method)


def normalised_images(x: tf.Tensor, config: Config) -> tf.Tensor:
    """Algorithms 2 and 3: each spectrogram scaled to [0, 1] by its own min and max."""
    return features.minmax_normalise(db_mel_images(x, config))[0]


def images(waveforms: np.ndarray, config: Config, batch_size: int = 256) -> np.ndarray:
    """Normalised spectrogram images of many waveforms, batched in-graph."""
    return map_batched(lambda x: normalised_images(x, config), waveforms, batch_size)


def make_set(config: Config, n: int, seed: int) -> SignalSet:
    """A reproducible set of ``n`` examples from ``seed``."""
    clean, noisy, freqs = generate_signals(config, n, np.random.default_rng(seed))
    return SignalSet(clean, noisy, freqs, images(clean, config), images(noisy, config))
