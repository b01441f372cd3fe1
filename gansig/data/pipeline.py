"""tf.data pipelines: cached, shuffled per epoch, batched, prefetched."""

from __future__ import annotations

import numpy as np
import tensorflow as tf


def paired_dataset(inputs: np.ndarray | tf.Tensor, targets: np.ndarray | tf.Tensor, batch_size: int, *,
                   shuffle: bool = False, seed: int = 0, drop_remainder: bool = False) -> tf.data.Dataset:
    """``(input, target)`` batches from in-memory arrays.

    The arrays are cached by tf.data, reshuffled each epoch from ``seed`` when
    ``shuffle``, batched and prefetched so the accelerator never waits on Python.

    Args:
        inputs: ``[n, ...]`` model inputs (e.g. noisy spectrograms).
        targets: ``[n, ...]`` targets (e.g. clean spectrograms).
        batch_size: examples per batch.
        shuffle: reshuffle every epoch.
        seed: shuffle seed.
        drop_remainder: drop a final short batch (keeps shapes static).

    Returns:
        The dataset.
    """
    n = int(inputs.shape[0])
    if int(targets.shape[0]) != n:
        raise ValueError(f"inputs ({n}) and targets ({targets.shape[0]}) differ in length")
    ds = tf.data.Dataset.from_tensor_slices((inputs, targets)).cache()
    if shuffle:
        ds = ds.shuffle(n, seed=seed, reshuffle_each_iteration=True)
    return ds.batch(batch_size, drop_remainder=drop_remainder).prefetch(tf.data.AUTOTUNE)


def map_batched(fn, x: np.ndarray, batch_size: int = 256) -> np.ndarray:
    """Apply a batched tensor function to ``x`` in chunks; returns one numpy array.

    Used for feature extraction and inference over large arrays without holding every
    intermediate tensor at once.
    """
    ds = tf.data.Dataset.from_tensor_slices(x).batch(batch_size).map(fn).prefetch(tf.data.AUTOTUNE)
    return np.concatenate([np.asarray(b) for b in ds], axis=0)


def audio_segments(paths, rate: int, length: int, hop: int | None = None, *, pad_last: bool = False) -> np.ndarray:
    """Fixed-length windows of many audio files, ``[n, length]`` float32.

    Each file is decoded and resampled once, through the on-disk cache
    (:func:`gansig.data.cache.load_cached`); later calls and epochs reuse it.

    Args:
        paths: audio files.
        rate: target sample rate.
        length: window length in samples.
        hop: step between windows (``length``: no overlap).
        pad_last: zero-pad and keep each file's last partial window.
    """
    from gansig.data.cache import load_cached

    hop = hop or length
    windows = []
    for path in paths:
        x = load_cached(path, rate)
        if pad_last:
            n_windows = max(1, int(np.ceil((len(x) - length) / hop)) + 1)
            x = np.pad(x, (0, max(0, (n_windows - 1) * hop + length - len(x))))
        windows += [x[s:s + length] for s in range(0, len(x) - length + 1, hop)]
    return np.stack(windows).astype(np.float32) if windows else np.zeros((0, length), np.float32)


def segment_dataset(paths, rate: int, length: int, batch_size: int, *, hop: int | None = None,
                    shuffle: bool = True, seed: int = 0) -> tf.data.Dataset:
    """Batches of audio windows for training: decoded once (disk cache), held by
    ``Dataset.cache()``, reshuffled every epoch, prefetched."""
    windows = audio_segments(paths, rate, length, hop)
    ds = tf.data.Dataset.from_tensor_slices(windows).cache()
    if shuffle:
        ds = ds.shuffle(len(windows), seed=seed, reshuffle_each_iteration=True)
    return ds.batch(batch_size).prefetch(tf.data.AUTOTUNE)
