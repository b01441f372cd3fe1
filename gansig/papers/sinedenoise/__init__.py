"""Paper 5: a lightweight 1-D denoising autoencoder-GAN for sine mixtures in white noise,
versus a low-pass filter (russell-rozenbaum/GAN-Denoiser)."""

from gansig.papers.sinedenoise.config import PROFILES, Config
from gansig.papers.sinedenoise.reproduce import reproduce

__all__ = ["Config", "PROFILES", "reproduce"]
