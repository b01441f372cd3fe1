"""The thesis's three front ends (section 3.3) and their inverses, on the shared
``gansig.data.features`` and ``gansig.data.inverse``.

Images are ``[batch, frequency, time, channels]`` (the thesis's ``(2, 1025, 47)`` is
``(1025, 47, 2)`` here):

- ``"stft"`` (Exp 1-6): the complex STFT's real and imaginary parts, times ``input_scale``
  (1: the thesis's unnormalised values); inverted exactly by the iSTFT.
- ``"logstft"`` (Exp 7-9): the magnitude scaled by ``log1p`` with the phase kept, as
  ``(log1p|X| cos φ, log1p|X| sin φ)``; inverted with ``expm1`` and the output's own phase.
- ``"logmfcc"`` (Exp 10-11): MFCCs, sign-preserving ``log1p``; inverted through the mel
  spectrogram (:func:`gansig.data.inverse.mfcc_to_mel`), the mel pseudo-inverse and seeded
  Griffin-Lim (one channel).
"""

from __future__ import annotations

import numpy as np
import tensorflow as tf

from gansig.data import features, inverse
from gansig.papers.film.config import Config


def segment_samples(config: Config) -> int:
    """Samples in one segment."""
    return int(round(config.segment_s * config.rate))


def frames(config: Config) -> int:
    """STFT frames of one segment (centred frames: 47 for 0.5 s, 188 for 2 s at 48 kHz)."""
    return 1 + segment_samples(config) // config.hop


def shape(config: Config) -> tuple[int, int, int]:
    """``(height, width, channels)`` of one segment's image."""
    if config.front_end == "logmfcc":
        return config.n_mfcc, frames(config), 1
    return config.n_fft // 2 + 1, frames(config), 2


def analyse(x: np.ndarray, config: Config) -> np.ndarray:
    """Segments ``[n, samples]`` -> images ``[n, height, width, channels]`` (float32)."""
    x = tf.convert_to_tensor(np.asarray(x, np.float32))
    if config.front_end == "logmfcc":
        c = features.mfcc(x, config.rate, config.n_fft, config.hop, config.n_mels, config.n_mfcc)
        images = (tf.sign(c) * tf.math.log1p(tf.abs(c)))[..., None]
    else:
        spec = features.stft(x, config.n_fft, config.hop)
        if config.front_end == "logstft":
            spec = tf.complex(tf.math.log1p(tf.abs(spec)), 0.0) * _unit_phase(spec)
        images = tf.stack([tf.math.real(spec), tf.math.imag(spec)], axis=-1) * config.input_scale
    return tf.transpose(images, [0, 2, 1, 3]).numpy().astype(np.float32)


def synthesise(images: np.ndarray, config: Config, seed: int = 0) -> np.ndarray:
    """Inverse of :func:`analyse`: images ``[n, height, width, channels]`` -> segments
    ``[n, samples]``."""
    length = segment_samples(config)
    images = tf.transpose(tf.convert_to_tensor(np.asarray(images, np.float32)), [0, 2, 1, 3])  # [n, frames, h, c]
    if config.front_end == "logmfcc":
        c = images[..., 0]
        mel = inverse.mfcc_to_mel(tf.sign(c) * tf.math.expm1(tf.abs(c)), config.n_mels)
        magnitude = np.sqrt(inverse.mel_to_linear(np.asarray(mel), config.rate, config.n_fft))
        return features.griffin_lim(magnitude, config.n_fft, config.hop, n_iter=config.griffin_lim_iters, seed=seed,
                                    length=length)
    spec = tf.complex(images[..., 0], images[..., 1]) / config.input_scale
    if config.front_end == "logstft":
        spec = tf.complex(tf.math.expm1(tf.abs(spec)), 0.0) * _unit_phase(spec)
    return features.inverse_stft(spec, config.n_fft, config.hop, length=length).numpy()


def _unit_phase(spec: tf.Tensor) -> tf.Tensor:
    return spec / tf.cast(tf.maximum(tf.abs(spec), 1e-12), spec.dtype)


def cut(x: np.ndarray, config: Config) -> np.ndarray:
    """A signal -> its contiguous segments ``[n, samples]`` (the last zero-padded)."""
    return inverse.frame(np.asarray(x, np.float32), segment_samples(config))


def join(segments: np.ndarray, length: int) -> np.ndarray:
    """Segments back into one signal of ``length`` samples."""
    return inverse.overlap_add(np.asarray(segments, np.float32))[:length]
