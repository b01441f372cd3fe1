"""Scoring denoisers on the normalised-spectrogram scale of Algorithm 3."""

from __future__ import annotations

import time
from collections.abc import Callable

import keras
import numpy as np
import tensorflow as tf

from gansig import baselines
from gansig.data import features, signals
from gansig.papers.mimo5g import data
from gansig.papers.mimo5g.config import Config
from gansig.papers.mimo5g.data import SignalSet

ImageDenoiser = Callable[[SignalSet], np.ndarray]


def model_denoiser(model: keras.Model, batch_size: int = 256) -> ImageDenoiser:
    """Denoise the set's noisy images with a Keras model, in batches of one shape (the last
    padded), so the model is traced once for every set size, not once per size."""
    def denoise(s: SignalSet) -> np.ndarray:
        x = np.asarray(s.noisy_images)
        padded = np.concatenate([x, np.zeros((-len(x) % batch_size, *x.shape[1:]), x.dtype)])
        return np.asarray(model.predict(padded, batch_size=batch_size, verbose=0))[:len(x)]

    return denoise


def classical(config: Config, name: str, seed: int = 0) -> Callable[[np.ndarray], np.ndarray]:
    """A classical waveform denoiser, ``[n, samples] -> [n, samples]``.

    Spectral gating takes its noise statistics from a pure-noise recording made by
    Algorithm 1's noise generator (the paper also generates pure-noise examples); the
    others estimate the noise from the noisy signal itself.

    Args:
        config: the run's config (sample rate, noise estimate).
        name: ``"Wiener"``, ``"Wavelet"``, ``"Spectral subtraction"`` or ``"Spectral gating"``.
        seed: seed of the pure-noise reference.
    """
    fs, est = config.sample_rate, config.baseline_noise_estimate
    n_samples = len(signals.time_axis(fs, config.duration))
    noise = signals.white_noise(np.random.default_rng(seed), (n_samples,), config.noise_std)
    methods = {
        "Wiener": lambda x: baselines.wiener(x, fs, noise_estimate=est),
        "Wavelet": lambda x: baselines.wavelet_threshold(x),
        "Spectral subtraction": lambda x: baselines.spectral_subtraction(x, fs, noise_estimate=est),
        "Spectral gating": lambda x: baselines.spectral_gating(x, fs, noise=noise),
    }
    return methods[name]


def waveform_denoiser(config: Config, name: str, seed: int = 0) -> ImageDenoiser:
    """Denoise the set's noisy waveforms with a :func:`classical` method, then take Algorithms 2-3."""
    method = classical(config, name, seed)
    return lambda s: data.images(method(s.noisy), config)


def image_audio(images: np.ndarray, noisy: np.ndarray, config: Config) -> np.ndarray:
    """Listenable waveforms of denoised images, as a user of an image denoiser would make them:
    the image, un-normalised to the ``top_db`` range below its noisy input's peak (the range
    a clean image spans; the clean signal's own range is unknown to the user) and resized back
    to the mel frames, divided by the noisy mel spectrogram gives a gain per mel band and
    frame (at most 1); each linear bin takes the filterbank-weighted mean of its bands' gains,
    and the gains scale the noisy STFT (a mel-domain mask: the 64 bands cannot say which bins
    within a band hold the signal, so the noise in the signal's band stays).

    Args:
        images: ``[n, 64, 64, 1]`` normalised images in [0, 1].
        noisy: ``[n, samples]`` the noisy waveforms they were made from.
        config: the run's config.

    Returns:
        ``[n, samples]`` float32 waveforms.
    """
    noisy_mel = features.mel_spectrogram(noisy, config.sample_rate, config.n_fft, config.hop, config.n_mels)
    peak = tf.reduce_max(features.power_to_db(noisy_mel, top_db=config.top_db), axis=[1, 2], keepdims=True)
    images = tf.convert_to_tensor(images, tf.float32)
    db = features.minmax_denormalise(images, peak[..., None] - config.top_db, peak[..., None])
    estimate = features.db_to_power(features.from_image(db, frames=noisy_mel.shape[1], bins=config.n_mels,
                                                        method=config.resize_method))
    gain = tf.minimum(1.0, tf.sqrt(estimate / tf.maximum(noisy_mel, 1e-10)))
    weights = features.mel_filterbank(config.sample_rate, config.n_fft, config.n_mels)  # [bins, mels]
    spread = tf.tensordot(gain, (weights / np.maximum(weights.sum(axis=1, keepdims=True), 1e-12)).T, axes=1)
    spec = features.stft(noisy, config.n_fft, config.hop)
    y = features.inverse_stft(spec * tf.complex(spread, 0.0), config.n_fft, config.hop, length=noisy.shape[-1])
    return y.numpy()


BASELINES = ("Wiener", "Wavelet", "Spectral subtraction", "Spectral gating")


def scores(clean_images: np.ndarray, estimates: np.ndarray) -> dict[str, float]:
    """Table II's metrics over a set: MSE (mean) and RMSE (root of that mean)."""
    err = float(np.mean(image_errors(clean_images, estimates)))
    return {"RMSE": float(np.sqrt(err)), "MSE": err}


def image_errors(clean_images: np.ndarray, estimates: np.ndarray) -> np.ndarray:
    """Each image's mean squared error (their mean is the set's MSE: the images are alike in size)."""
    diff = np.asarray(estimates, np.float64) - np.asarray(clean_images, np.float64)
    return np.mean(np.square(diff).reshape(len(diff), -1), axis=1)


def inference_ms(model: keras.Model, example: np.ndarray, repeats: int) -> float:
    """Median wall time of one forward pass on a single spectrogram, in milliseconds."""
    forward = tf.function(lambda x: model(x, training=False))
    x = tf.convert_to_tensor(example[None])
    forward(x)  # trace and warm up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        forward(x).numpy()
        times.append(time.perf_counter() - start)
    return 1000.0 * float(np.median(times))
