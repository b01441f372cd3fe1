"""Batched, in-graph audio features with ``tf.signal``, and the STFT's inverse. The mel
filters and Griffin-Lim are :mod:`gansig.runtime.dsp`'s (NumPy: inference needs no
TensorFlow), re-exported here.

The way back from the other features (mel, MFCC, log scaling, patches) is in
:mod:`gansig.data.inverse`.

Conventions: waveforms are ``[batch, samples]``; spectrograms are time-major,
``[batch, frames, bins]`` (the transpose of librosa's ``[bins, frames]``). Defaults follow
librosa (centred frames with zero padding, periodic Hann window, Slaney mel scale and
normalisation, dB with ``amin=1e-10`` and ``top_db=80``) and the tests check the outputs
against librosa. Images for the models are ``[batch, height=freq, width=time, 1]``
(:func:`to_image`), as spectrograms are usually drawn.
"""

from __future__ import annotations

import numpy as np
import tensorflow as tf

from gansig.runtime.dsp import griffin_lim, hz_to_mel, mel_filterbank, mel_to_hz  # noqa: F401 - one implementation

# ---- STFT --------------------------------------------------------------------------


def _as_batch(x: tf.Tensor | np.ndarray) -> tf.Tensor:
    x = tf.convert_to_tensor(x, dtype=tf.float32)
    return x[tf.newaxis] if x.shape.rank == 1 else x


def stft(x: tf.Tensor | np.ndarray, n_fft: int, hop: int, *, center: bool = True) -> tf.Tensor:
    """Complex STFT, ``[batch, frames, n_fft//2+1]``, periodic Hann window.

    Args:
        x: ``[batch, samples]`` (or ``[samples]``) waveforms.
        n_fft: frame and FFT length.
        hop: frame step.
        center: pad ``n_fft//2`` zeros on both sides first, like librosa.

    Returns:
        complex64 tensor.
    """
    x = _as_batch(x)
    if center:
        x = tf.pad(x, [[0, 0], [n_fft // 2, n_fft // 2]])
    return tf.signal.stft(x, frame_length=n_fft, frame_step=hop, fft_length=n_fft,
                          window_fn=tf.signal.hann_window, pad_end=False)


def magnitude(x: tf.Tensor | np.ndarray, n_fft: int, hop: int, *, power: float = 1.0,
              center: bool = True) -> tf.Tensor:
    """``|STFT|**power``, ``[batch, frames, bins]``."""
    mag = tf.abs(stft(x, n_fft, hop, center=center))
    return mag if power == 1.0 else tf.pow(mag, power)


def inverse_stft(spec: tf.Tensor, n_fft: int, hop: int, *, center: bool = True,
                 length: int | None = None) -> tf.Tensor:
    """Inverse of :func:`stft`: windowed overlap-add divided by the summed squared window.

    Dividing by the actual window envelope (as librosa does) keeps the first and last
    frames exact, where the constant-overlap shortcut of ``tf.signal.inverse_stft`` is not.

    Returns:
        ``[batch, samples]`` waveforms.
    """
    spec = tf.convert_to_tensor(spec)
    window = tf.signal.hann_window(n_fft)
    frames = tf.signal.irfft(spec, fft_length=[n_fft]) * window
    y = tf.signal.overlap_and_add(frames, hop)
    n_frames = tf.shape(spec)[-2]
    envelope = tf.signal.overlap_and_add(tf.tile(tf.square(window)[tf.newaxis], [n_frames, 1]), hop)
    y = y / tf.where(envelope > 1e-8, envelope, tf.ones_like(envelope))
    if center:
        y = y[:, n_fft // 2:]
    if length is not None:
        have = tf.shape(y)[1]
        y = tf.pad(y[:, :length], [[0, 0], [0, tf.maximum(0, length - have)]])
    return y


# ---- mel ---------------------------------------------------------------------------


def mel_spectrogram(x: tf.Tensor | np.ndarray, sr: int, n_fft: int, hop: int, n_mels: int, *,
                    power: float = 2.0, fmin: float = 0.0, fmax: float | None = None,
                    center: bool = True) -> tf.Tensor:
    """Mel spectrogram ``[batch, frames, n_mels]`` of ``|STFT|**power`` (librosa's default power 2)."""
    spec = magnitude(x, n_fft, hop, power=power, center=center)
    return tf.tensordot(spec, mel_filterbank(sr, n_fft, n_mels, fmin, fmax), axes=1)


# ---- dB, MFCC ----------------------------------------------------------------------


def power_to_db(s: tf.Tensor, *, ref: float = 1.0, amin: float = 1e-10,
                top_db: float | None = 80.0) -> tf.Tensor:
    """``10 log10(max(amin, S) / ref)``, floored at each example's max minus ``top_db``."""
    s = tf.convert_to_tensor(s, tf.float32)
    log10 = tf.math.log(10.0)
    db = 10.0 * tf.math.log(tf.maximum(amin, s)) / log10 - 10.0 * np.log10(max(amin, ref))
    if top_db is not None:
        axes = list(range(1, db.shape.rank))
        db = tf.maximum(db, tf.reduce_max(db, axis=axes, keepdims=True) - top_db)
    return db


def amplitude_to_db(s: tf.Tensor, *, ref: float = 1.0, amin: float = 1e-5,
                    top_db: float | None = 80.0) -> tf.Tensor:
    """dB of a magnitude spectrogram (``20 log10``), as librosa's ``amplitude_to_db``."""
    s = tf.convert_to_tensor(s, tf.float32)
    return power_to_db(tf.square(s), ref=ref**2, amin=amin**2, top_db=top_db)


def db_to_power(db: tf.Tensor, *, ref: float = 1.0) -> tf.Tensor:
    """Inverse of :func:`power_to_db` (without the ``top_db`` floor)."""
    return ref * tf.pow(10.0, tf.convert_to_tensor(db, tf.float32) / 10.0)


def mfcc(x: tf.Tensor | np.ndarray, sr: int, n_fft: int, hop: int, n_mels: int, n_mfcc: int,
         **mel_kwargs) -> tf.Tensor:
    """MFCCs ``[batch, frames, n_mfcc]``: orthonormal DCT-II of the dB mel spectrogram."""
    db = power_to_db(mel_spectrogram(x, sr, n_fft, hop, n_mels, **mel_kwargs))
    return tf.signal.dct(db, type=2, norm="ortho")[..., :n_mfcc]


# ---- images ------------------------------------------------------------------------


def minmax_normalise(x: tf.Tensor, eps: float = 1e-12) -> tuple[tf.Tensor, tf.Tensor, tf.Tensor]:
    """Scale each example to [0, 1] by its own min and max.

    Returns:
        ``(normalised, minimum, maximum)``, the last two shaped to broadcast back.
    """
    x = tf.convert_to_tensor(x, tf.float32)
    axes = list(range(1, x.shape.rank))
    lo = tf.reduce_min(x, axis=axes, keepdims=True)
    hi = tf.reduce_max(x, axis=axes, keepdims=True)
    return (x - lo) / tf.maximum(hi - lo, eps), lo, hi


def minmax_denormalise(y: tf.Tensor, lo: tf.Tensor, hi: tf.Tensor) -> tf.Tensor:
    """Inverse of :func:`minmax_normalise`."""
    return y * (hi - lo) + lo


def to_image(spec: tf.Tensor, size: tuple[int, int] | None = None, method: str = "bilinear") -> tf.Tensor:
    """``[batch, frames, bins]`` -> ``[batch, bins, frames, 1]`` (frequency up), resized if asked."""
    img = tf.transpose(tf.convert_to_tensor(spec, tf.float32), [0, 2, 1])[..., tf.newaxis]
    return img if size is None else tf.image.resize(img, size, method=method)


def from_image(img: tf.Tensor, frames: int | None = None, bins: int | None = None,
               method: str = "bilinear") -> tf.Tensor:
    """Inverse of :func:`to_image`: ``[batch, bins, frames, 1]`` -> ``[batch, frames, bins]``."""
    img = tf.convert_to_tensor(img, tf.float32)
    if frames is not None and bins is not None:
        img = tf.image.resize(img, (bins, frames), method=method)
    return tf.transpose(img[..., 0], [0, 2, 1])
