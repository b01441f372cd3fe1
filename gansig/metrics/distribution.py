"""Distances between sets of samples, on any embedding: the Frechet distance, the unbiased
kernel inception distance and the inception score (of a classifier's class probabilities).

Every distance compares two sets of the same size N (FD is biased by N; KID is not, but its
variance depends on N): state N beside the number.
"""

from __future__ import annotations

import numpy as np
from scipy import linalg


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
