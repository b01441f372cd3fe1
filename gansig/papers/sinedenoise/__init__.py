"""Paper 5: a lightweight 1-D denoising autoencoder-GAN for sine mixtures in white noise,
versus a low-pass filter (russell-rozenbaum/GAN-Denoiser)."""

from gansig.papers import lazy_reproduce
from gansig.papers.sinedenoise.config import PROFILES, Config

lazy_reproduce(__name__)  # reproduce() (and TensorFlow) imported on first use

__all__ = ["Config", "PROFILES", "reproduce"]
