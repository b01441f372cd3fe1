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
