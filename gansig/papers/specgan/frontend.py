"""The two models' spectrogram images and their way back to audio, and the in-domain
classifier's features.

The report's (B1): 22.05 kHz, 64-band mel power of n_fft 1024 / hop 512 over 4.008 s
(64 x 173), dB against each clip's maximum floored at -80, bilinearly resized to 256 x 256,
scaled to [-1, 1]; optionally its 8-bit per-image min-max PNG step. Back: un-resize, dB to
power, mel pseudo-inverse, seeded Griffin-Lim.

The canonical SpecGAN's (Donahue): 16 kHz, 16384 samples, STFT 256 / 128 with the end
padded (128 frames x 129 bins, the Nyquist bin dropped), log(|X| + 1e-6), per-bin z-score
with the training set's moments, / 3, clipped to [-1, 1]. Back: undo that, Griffin-Lim with
16 iterations.

The classifier's: 16 kHz windows of 16384 samples as a log-mel image, in dB against each
window's maximum (so a generated clip's arbitrary level does not matter).

The way back to audio is NumPy (:mod:`gansig.runtime.dsp`): ``generate`` imports no
TensorFlow; the images' features are TensorFlow's, imported where they are made.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from gansig.data import io
from gansig.data.inverse import Standardiser
from gansig.papers.specgan.config import Config
from gansig.runtime import dsp

if TYPE_CHECKING:
    import tensorflow as tf

LOG_EPS = 1e-6  # donahue: log(|X| + 1e-6)


# ---- the report's images -------------------------------------------------------------------------


def fit_length(x: np.ndarray, n: int) -> np.ndarray:
    """``[batch, samples]`` padded with zeros or truncated to ``n`` samples."""
    x = np.asarray(x, np.float32)[:, :n]
    return np.pad(x, [(0, 0), (0, n - x.shape[1])])


def fit_length_list(clips: Sequence[np.ndarray], n: int) -> np.ndarray:
    """``[batch, n]`` from 1-D clips of any lengths, each padded with zeros or truncated."""
    return np.stack([fit_length(np.asarray(c, np.float32)[None], n)[0] for c in clips])


def time_shift(x: np.ndarray, limit: float, rng: np.random.Generator) -> np.ndarray:
    """Each clip rolled (wrapping around) by a random share of its length up to ``limit``
    (Doshi's augmentation, applied once as the report's preprocessing does)."""
    return np.stack([np.roll(clip, int(rng.random() * limit * len(clip))) for clip in x])


def report_images(clips: np.ndarray, config: Config, rng: np.random.Generator | None = None) -> np.ndarray:
    """The report's images ``[batch, S, S, 1]`` in [-1, 1] of 22.05 kHz clips (time-shifted
    first when ``rng`` is given)."""
    import tensorflow as tf

    from gansig.data import features

    x = fit_length(clips, config.clip_samples)
    if rng is not None and config.time_shift:
        x = time_shift(x, config.time_shift, rng)
    mel = features.mel_spectrogram(x, config.rate, config.n_fft, config.hop, config.n_mels)
    db = features.power_to_db(mel, ref=1.0, top_db=config.top_db)
    db = db - tf.reduce_max(db, axis=[1, 2], keepdims=True)  # dB against the clip's maximum: [-top_db, 0]
    img = features.to_image(db / (config.top_db / 2) + 1.0, (config.image_size, config.image_size))
    if config.png_quantise:  # the report's save_img(scale=True): each image min-max to 0..255
        scaled, _, _ = features.minmax_normalise(img)
        img = tf.round(scaled * 255.0) / 127.5 - 1.0
    return np.clip(img.numpy(), -1.0, 1.0)


def report_mel_power(images: np.ndarray, config: Config) -> tf.Tensor:
    """``[batch, frames, n_mels]`` mel power (re the clip's maximum) of report images:
    un-resized to 64 x 173, [-1, 1] back to dB."""
    from gansig.data import features

    img = np.clip(np.asarray(images, np.float32), -1, 1)
    db = (features.from_image(img, config.frames, config.n_mels) - 1.0) * (config.top_db / 2)
    return features.db_to_power(db)


def report_audio(images: np.ndarray, config: Config, seed: int = 0, batch: int = 64) -> np.ndarray:
    """22.05 kHz clips from report images: un-resize, dB to power, mel pseudo-inverse (or
    NNLS), seeded Griffin-Lim; each clip peak-normalised to -1 dBFS."""
    out = [_invert_mel(report_mel_power(images[start:start + batch], config), config, seed + start,
                       config.clip_samples) for start in range(0, len(images), batch)]
    return peak_normalise(np.concatenate(out))


def report_windows(images: np.ndarray, config: Config, rng: np.random.Generator, seed: int = 0,
                   batch: int = 256) -> np.ndarray:
    """One window of ``specgan_samples`` at 16 kHz from each report image, at a random
    position: only the frames around it are inverted (a quarter of the cost of whole clips)."""
    span = config.specgan_samples * config.rate // config.specgan_rate  # the window at 22.05 kHz
    frames = -(-span // config.hop) + 3
    out = []
    for start in range(0, len(images), batch):
        mel = np.asarray(report_mel_power(images[start:start + batch], config))
        first = rng.integers(0, max(1, mel.shape[1] - frames + 1), size=len(mel))
        part = np.stack([m[f:f + frames] for m, f in zip(mel, first, strict=True)])
        audio = _invert_mel(part, config, seed + start, (frames - 1) * config.hop)
        middle = (audio.shape[1] - span) // 2
        out.append(resample_clips(audio[:, middle:middle + span], config.rate, config.specgan_rate))
    return peak_normalise(fit_length(np.concatenate(out), config.specgan_samples))


def _invert_mel(mel_power: tf.Tensor | np.ndarray, config: Config, seed: int, length: int) -> np.ndarray:
    power = dsp.mel_to_linear(np.asarray(mel_power), config.rate, config.n_fft, method=config.mel_inversion)
    return dsp.griffin_lim(np.sqrt(power), config.n_fft, config.hop, n_iter=config.griffin_lim_iters, seed=seed,
                           length=length)


def peak_normalise(x: np.ndarray, dbfs: float = -1.0) -> np.ndarray:
    """Each clip scaled to a peak of ``dbfs`` (a silent clip stays silent)."""
    peak = np.max(np.abs(x), axis=1, keepdims=True)
    return (x * (10 ** (dbfs / 20)) / np.maximum(peak, 1e-9)).astype(np.float32)


# ---- the canonical SpecGAN's images --------------------------------------------------------------


def log_magnitude(windows: np.ndarray, config: Config) -> np.ndarray:
    """``log(|STFT| + 1e-6)`` of 16384-sample windows: ``[batch, 128, 128]`` (time, frequency)."""
    x = np.pad(fit_length(windows, config.specgan_samples), [(0, 0), (0, config.specgan_hop)])  # pad_end
    mag = dsp.magnitude(x, config.specgan_n_fft, config.specgan_hop, center=False)
    return np.log(mag[:, :config.specgan_samples // config.specgan_hop, :-1] + LOG_EPS)


def fit_moments(windows: np.ndarray, config: Config) -> Standardiser:
    """Donahue's per-frequency-bin moments of the training windows (z-score / 3, clipped)."""
    return Standardiser.fit(log_magnitude(windows, config), scale=config.specgan_clip, clip=1.0)


def specgan_images(windows: np.ndarray, config: Config, moments: Standardiser) -> np.ndarray:
    """The canonical model's images ``[batch, 128, 128, 1]`` in [-1, 1]."""
    return moments(log_magnitude(windows, config))[..., np.newaxis]


def specgan_audio(images: np.ndarray, config: Config, moments: Standardiser, seed: int = 0,
                  batch: int = 256) -> np.ndarray:
    """16 kHz windows from canonical images: undo the normalisation and the log, put back a
    zero Nyquist bin, Griffin-Lim (16 iterations); each peak-normalised to -1 dBFS."""
    out = []
    for start in range(0, len(images), batch):
        log_mag = moments.inverse(np.asarray(images[start:start + batch], np.float32)[..., 0])
        mag = np.maximum(np.exp(log_mag) - LOG_EPS, 0.0)
        mag = np.pad(mag, [(0, 0), (0, 0), (0, 1)])  # the Nyquist bin back, at zero
        # Uncentred frame k (Donahue's) is centred frame k + 1 (n_fft = 2 hops): run Griffin-Lim on
        # centred frames, the first a copy, so the window envelope never nears zero at the start
        # (dividing by it there would blow the first samples up).
        mag = np.concatenate([mag[:, :1], mag], axis=1)
        audio = dsp.griffin_lim(mag, config.specgan_n_fft, config.specgan_hop, center=True,
                                n_iter=config.specgan_griffin_lim_iters, seed=seed + start,
                                length=config.specgan_samples)
        out.append(audio)
    return peak_normalise(np.concatenate(out))


# ---- the gansig model's images -------------------------------------------------------------------


def gansig_images(windows: np.ndarray, config: Config, batch: int = 256) -> np.ndarray:
    """The gansig model's images ``[batch, mels, frames, 1]`` in [-1, 1] of 16 kHz windows:
    :func:`log_mel_scaled` with n_fft ``gansig_n_fft`` and the canonical hop, frequency up."""
    from gansig.data import features

    out = []
    for start in range(0, len(windows), batch):
        x = fit_length(windows[start:start + batch], config.specgan_samples)
        scaled = log_mel_scaled(x, config.specgan_rate, config.gansig_n_fft, config.specgan_hop, config.gansig_mels,
                                config.gansig_frames)
        out.append(features.to_image(scaled).numpy())
    return np.clip(np.concatenate(out), -1.0, 1.0)


def gansig_audio(images: np.ndarray, config: Config, seed: int = 0, batch: int = 256) -> np.ndarray:
    """16 kHz windows from gansig images: dB to power, the mel pseudo-inverse, seeded
    Griffin-Lim (``gansig_griffin_lim_iters``); each peak-normalised to -1 dBFS."""
    out = []
    for start in range(0, len(images), batch):
        img = np.clip(np.asarray(images[start:start + batch], np.float32), -1, 1)[..., 0].transpose(0, 2, 1)
        power = 10.0 ** ((img - 1.0) * 4.0)  # [-1, 1] back to dB (x 40), dB to power
        power = np.concatenate([power, power[:, -1:]], axis=1)  # the centred frames' last one
        linear = dsp.mel_to_linear(power, config.specgan_rate, config.gansig_n_fft)
        out.append(dsp.griffin_lim(np.sqrt(linear), config.gansig_n_fft, config.specgan_hop,
                                   n_iter=config.gansig_griffin_lim_iters, seed=seed + start,
                                   length=config.specgan_samples))
    return peak_normalise(np.concatenate(out))


# ---- windows and the classifier's features -------------------------------------------------------


def resample_clips(clips: np.ndarray, rate_in: int, rate_out: int) -> np.ndarray:
    """``[batch, samples]`` clips at another rate."""
    return np.stack([io.resample(clip, rate_in, rate_out) for clip in clips])


def windows(clips: Sequence[np.ndarray], size: int, rng: np.random.Generator, n: int) -> np.ndarray:
    """``n`` windows of ``size`` samples at random positions of ``clips`` (1-D, any lengths;
    a shorter one is padded with zeros), the clips drawn in turn (every clip used once
    before any twice)."""
    order = np.concatenate([rng.permutation(len(clips)) for _ in range(-(-n // len(clips)))])[:n]
    out = np.zeros((n, size), np.float32)
    for row, k in enumerate(order):
        clip = np.asarray(clips[k], np.float32)
        start = int(rng.integers(0, max(1, len(clip) - size + 1)))
        piece = clip[start:start + size]
        out[row, :len(piece)] = piece
    return out


def log_mel_scaled(x: np.ndarray, rate: int, n_fft: int, hop: int, n_mels: int,
                   frames: int | None = None) -> tf.Tensor:
    """``[batch, frames, mels]`` log-mel of ``[batch, samples]`` (its first ``frames`` when
    given), in dB against each example's maximum (floored at -80), / 40 + 1: [-1, 1], whatever
    the level (a generated clip's is arbitrary)."""
    import tensorflow as tf

    from gansig.data import features

    mel = features.mel_spectrogram(np.asarray(x, np.float32), rate, n_fft, hop, n_mels)[:, :frames]
    db = features.power_to_db(mel, top_db=80.0)
    return (db - tf.reduce_max(db, axis=[1, 2], keepdims=True)) / 40.0 + 1.0


def classifier_features(windows_16k: np.ndarray, config: Config, batch: int = 256) -> np.ndarray:
    """``[batch, frames, mels, 1]`` log-mel images of 16 kHz windows (:func:`log_mel_scaled`)."""
    out = [log_mel_scaled(windows_16k[start:start + batch], config.classifier_rate, config.classifier_n_fft,
                          config.classifier_hop, config.classifier_mels).numpy()[..., np.newaxis]
           for start in range(0, len(windows_16k), batch)]
    return np.concatenate(out)
