"""The report's own scores: its pixel RMSE (with the memorisation and mode checks) and the features
of its FID, ImageNet InceptionV3, when the user has the weights; and per-class scores of a
class-conditional generator (fit, quality, diversity, novelty). (The distribution scores, FD,
KID and the inception score, are the shared ``gansig.metrics``.)"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from gansig import metrics
from gansig.errors import ConfigError


def pixel_rmse(a: np.ndarray, b: np.ndarray, rng: np.random.Generator) -> float:
    """The report's RMSE: the mean over images of the RMSE between each image of ``a`` and a
    randomly paired image of ``b`` (unconditional samples have no counterpart)."""
    pairs = rng.choice(len(b), len(a), replace=len(a) > len(b))
    diff = np.asarray(a, np.float64) - np.asarray(b, np.float64)[pairs]
    return float(np.mean(np.sqrt(np.mean(diff.reshape(len(a), -1) ** 2, axis=1))))


def diversity_rmse(images: np.ndarray, rng: np.random.Generator) -> float:
    """The mean RMSE between each image and another of the same set (a mode check: a
    generator that makes one image whatever its input scores 0)."""
    order = rng.permutation(len(images))
    diff = np.asarray(images, np.float64)[order] - np.asarray(images, np.float64)[np.roll(order, 1)]
    return float(np.mean(np.sqrt(np.mean(diff.reshape(len(images), -1) ** 2, axis=1))))


def nearest_rmse(a: np.ndarray, reference: np.ndarray, batch: int = 256) -> float:
    """The mean over ``a`` of the RMSE to its nearest image in ``reference`` (a memorisation
    check: a generator copying its training images scores near 0)."""
    ref = np.asarray(reference, np.float64).reshape(len(reference), -1)
    ref_sq = np.sum(ref**2, axis=1)
    best = []
    for start in range(0, len(a), batch):
        x = np.asarray(a[start:start + batch], np.float64).reshape(-1, ref.shape[1])
        squared = np.sum(x**2, axis=1, keepdims=True) - 2 * x @ ref.T + ref_sq
        best.append(np.sqrt(np.maximum(squared.min(axis=1), 0) / ref.shape[1]))
    return float(np.mean(np.concatenate(best)))


def inception_features(images: np.ndarray, weights: str | Path, batch: int = 32) -> np.ndarray:
    """ImageNet InceptionV3's pooled 2048-d features of grey [-1, 1] images (resized to
    299 x 299, the grey copied to three channels): the report's FID feature extractor.

    Raises:
        ConfigError: the weights file is missing or does not fit InceptionV3 without its top.
    """
    import keras
    import tensorflow as tf

    path = Path(weights)
    if not path.is_file():
        raise ConfigError(f"{path}: no such InceptionV3 weights file (the ImageNet 'notop' .h5 Keras uses)")
    try:
        model = keras.applications.InceptionV3(include_top=False, weights=str(path), pooling="avg",
                                               input_shape=(299, 299, 3))
    except (ValueError, OSError) as exc:
        raise ConfigError(f"{path}: cannot load as InceptionV3 weights without the top ({exc})") from None
    out = []
    for start in range(0, len(images), batch):
        x = tf.image.resize(np.asarray(images[start:start + batch], np.float32), (299, 299), method="bilinear")
        out.append(model(tf.tile(tf.clip_by_value(x, -1, 1), [1, 1, 1, 3]), training=False).numpy())
    return np.concatenate(out)


# ---- per-class scores of a class-conditional generator (the DCASE 2023 Foley task's three criteria) ----


@dataclass(frozen=True)
class ClassScores:
    """One class's scores, all in the classifier's embedding space.

    Attributes:
        fit: share of the generated windows the classifier assigns to the class asked for.
        fd: Frechet distance of the generated windows to the class's real training windows.
        floor: the same for the class's real test windows (different recordings of the class).
        diversity: mean pairwise distance of the generated windows over that of real test
            windows (1: as varied as real clips; 0: one sound).
        novelty: mean distance from each generated window to its nearest real training window,
            over the same for real test windows (near 0: copies of training clips).
    """

    fit: float
    fd: float
    floor: float
    diversity: float
    novelty: float

    @property
    def fd_ratio(self) -> float:
        """FD over its floor (1: as close to the training clips as unseen real clips are)."""
        return self.fd / max(self.floor, 1e-12)


def mean_pairwise_distance(x: np.ndarray) -> float:
    """The mean Euclidean distance between two different rows of ``x``."""
    x = np.asarray(x, np.float64)
    squared = np.sum(x**2, axis=1)
    d = np.sqrt(np.maximum(squared[:, None] + squared[None, :] - 2 * x @ x.T, 0.0))
    return float(d.sum() / max(len(x) * (len(x) - 1), 1))


def nearest_distance(x: np.ndarray, reference: np.ndarray) -> float:
    """The mean over the rows of ``x`` of the Euclidean distance to the nearest row of ``reference``."""
    x, reference = np.asarray(x, np.float64), np.asarray(reference, np.float64)
    squared = np.sum(x**2, axis=1)[:, None] - 2 * x @ reference.T + np.sum(reference**2, axis=1)[None, :]
    return float(np.mean(np.sqrt(np.maximum(squared.min(axis=1), 0.0))))


def class_scores(generated: np.ndarray, generated_probabilities: np.ndarray, index: int, real_train: np.ndarray,
                 real_test: np.ndarray) -> ClassScores:
    """A class's scores from classifier embeddings ``[n, d]`` of its generated windows, their
    class probabilities, and embeddings of its real training and test windows.

    Raises:
        ValueError: fewer windows in a set than the embedding has dimensions (the Frechet
            distance's covariance would be singular).
    """
    dimensions = np.shape(real_train)[1]
    if min(len(generated), len(real_train), len(real_test)) <= dimensions:
        raise ValueError(f"every set needs more than {dimensions} windows (the embedding's dimensions)")
    return ClassScores(
        fit=float(np.mean(np.argmax(generated_probabilities, axis=1) == index)),
        fd=metrics.frechet_distance(generated, real_train),
        floor=metrics.frechet_distance(real_test, real_train),
        diversity=mean_pairwise_distance(generated) / max(mean_pairwise_distance(real_test), 1e-12),
        novelty=nearest_distance(generated, real_train) / max(nearest_distance(real_test, real_train), 1e-12))
