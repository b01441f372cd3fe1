"""The non-uniform 16-level scalar quantiser: centres from k-means on encoder outputs,
soft-to-hard quantisation while training, nearest centre when coding."""

from __future__ import annotations

import keras
import numpy as np
from keras import ops


def kmeans_centres(values: np.ndarray, k: int = 16, iterations: int = 100) -> np.ndarray:
    """Sorted 1-D k-means centres (Lloyd's algorithm started from the quantiles).

    Deterministic: the same values give the same centres.
    """
    v = np.sort(np.asarray(values, np.float64).ravel())
    if v.size < k:
        raise ValueError(f"k-means needs at least {k} values, got {v.size}")
    centres = np.quantile(v, (np.arange(k) + 0.5) / k)
    for _ in range(iterations):
        edges = (centres[1:] + centres[:-1]) / 2
        groups = np.split(v, np.searchsorted(v, edges))
        updated = np.array([g.mean() if g.size else c for g, c in zip(groups, centres, strict=True)])
        if np.allclose(updated, centres, atol=1e-10):
            break
        centres = updated
    return np.sort(centres).astype(np.float32)


def quantise(z: np.ndarray, centres: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Nearest centre of every value: ``(symbols, quantised values)``."""
    symbols = np.argmin(np.abs(np.asarray(z)[..., None] - centres), axis=-1).astype(np.int32)
    return symbols, centres[symbols]


@keras.saving.register_keras_serializable(package="gansig")
class SoftToHardQuantizer(keras.layers.Layer):
    """Soft quantisation ``softmax(-T d^2) @ centres`` while ``hard`` is 0, nearest centre
    with a straight-through gradient once ``hard`` is 1; the identity while ``active`` is 0
    (before the centres are known). ``centres``, ``temperature``, ``hard`` and ``active``
    are variables, so a callback can set and anneal them (the original ramps T 1 -> 101).
    """

    def __init__(self, centres, temperature: float = 1.0, **kwargs):
        super().__init__(**kwargs)
        self._centres_init = [float(c) for c in np.asarray(centres).ravel()]
        self.centres = self.add_weight(shape=(len(self._centres_init),), trainable=False, name="centres",
                                       initializer=keras.initializers.Constant(self._centres_init))
        self.temperature = self.add_weight(shape=(), trainable=False, name="temperature",
                                           initializer=keras.initializers.Constant(temperature))
        self.hard = self.add_weight(shape=(), trainable=False, name="hard", initializer="zeros")
        self.active = self.add_weight(shape=(), trainable=False, name="active", initializer="ones")

    def call(self, z):
        distance = ops.square(ops.expand_dims(z, -1) - self.centres)
        soft = ops.sum(ops.softmax(-self.temperature * distance, axis=-1) * self.centres, axis=-1)
        nearest = ops.take(self.centres, ops.argmin(distance, axis=-1))
        hard = soft + ops.stop_gradient(nearest - soft)
        quantised = self.hard * hard + (1.0 - self.hard) * soft
        return self.active * quantised + (1.0 - self.active) * z

    def get_config(self):
        return {**super().get_config(), "centres": self._centres_init,
                "temperature": float(keras.ops.convert_to_numpy(self.temperature))}
