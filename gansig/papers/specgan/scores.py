"""Scores of generated sets: the report's pixel RMSE (with its floors), Frechet distance,
unbiased KID and the inception score on a classifier's outputs, and the report's FID with
ImageNet InceptionV3 when the user has its weights.

Every distance compares two sets of the same size N (FD is biased by N; KID is not, but
its variance depends on N); the caller states N.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from scipy import linalg

from gansig.errors import ConfigError


def frechet_distance(a: np.ndarray, b: np.ndarray) -> float:
    """``|mu_a - mu_b|^2 + tr(S_a + S_b - 2 (S_a S_b)^(1/2))`` of two embedding sets ``[n, d]``."""
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    mu_a, mu_b = a.mean(axis=0), b.mean(axis=0)
    s_a, s_b = np.atleast_2d(np.cov(a, rowvar=False)), np.atleast_2d(np.cov(b, rowvar=False))
    root, _ = linalg.sqrtm(s_a @ s_b, disp=False)
    if not np.all(np.isfinite(root)):  # a singular product: nudge both covariances (as TF-GAN does)
        nudge = 1e-6 * np.eye(len(s_a))
        root = linalg.sqrtm((s_a + nudge) @ (s_b + nudge))
    return float(np.sum((mu_a - mu_b) ** 2) + np.trace(s_a + s_b - 2 * np.real(root)))


def kernel_inception_distance(a: np.ndarray, b: np.ndarray, rng: np.random.Generator, *, subsets: int = 20,
                              subset_size: int = 512) -> float:
    """Unbiased squared MMD with the cubic polynomial kernel ``(x.y / d + 1)^3`` (Binkowski
    et al. 2018), the mean over ``subsets`` random subsets of ``subset_size`` from each set."""
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    m = min(subset_size, len(a), len(b))
    d = a.shape[1]
    values = []
    for _ in range(subsets):
        x, y = a[rng.choice(len(a), m, replace=False)], b[rng.choice(len(b), m, replace=False)]
        kxx, kyy, kxy = ((x @ x.T) / d + 1) ** 3, ((y @ y.T) / d + 1) ** 3, ((x @ y.T) / d + 1) ** 3
        values.append((kxx.sum() - np.trace(kxx)) / (m * (m - 1)) + (kyy.sum() - np.trace(kyy)) / (m * (m - 1))
                      - 2 * kxy.mean())
    return float(np.mean(values))


def inception_score(probabilities: np.ndarray, splits: int = 10) -> float:
    """``exp(E_x KL(p(y|x) || p(y)))``, the mean over ``splits`` equal parts (Salimans et al.;
    Donahue scores 50,000 samples in 10 splits)."""
    p = np.asarray(probabilities, np.float64)
    scores = []
    for part in np.array_split(p, min(splits, len(p))):
        marginal = part.mean(axis=0, keepdims=True)
        kl = np.sum(part * (np.log(part + 1e-12) - np.log(marginal + 1e-12)), axis=1)
        scores.append(np.exp(kl.mean()))
    return float(np.mean(scores))


def pixel_rmse(a: np.ndarray, b: np.ndarray, rng: np.random.Generator) -> float:
    """The report's RMSE: the mean over images of the RMSE between each image of ``a`` and a
    randomly paired image of ``b`` (unconditional samples have no counterpart)."""
    pairs = rng.choice(len(b), len(a), replace=len(a) > len(b))
    diff = np.asarray(a, np.float64) - np.asarray(b, np.float64)[pairs]
    return float(np.mean(np.sqrt(np.mean(diff.reshape(len(a), -1) ** 2, axis=1))))


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
