"""Evaluation metrics (numpy, per example then averaged by the caller)."""

from gansig.metrics.core import (
    distortion_db,
    kbps,
    log_spectral_distance,
    lsd,
    mse,
    rmse,
    snr_db,
    snr_improvement_db,
)
from gansig.metrics.distribution import frechet_distance, inception_score, kernel_inception_distance
from gansig.metrics.perceptual import DNSMOS_METRICS, dnsmos, pesq, stoi, visqol

__all__ = ["mse", "rmse", "snr_db", "snr_improvement_db", "distortion_db", "lsd", "kbps", "pesq", "stoi", "dnsmos",
           "DNSMOS_METRICS", "log_spectral_distance", "visqol", "frechet_distance", "kernel_inception_distance",
           "inception_score"]
