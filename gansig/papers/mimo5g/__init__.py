"""Paper 1: a 64x64 mel-spectrogram denoising GAN versus a convolutional autoencoder
(Diasakos et al., "Distinguishing Signal from Noise in 5G MIMO Systems Using GANs")."""

from gansig.papers import lazy_reproduce
from gansig.papers.mimo5g.config import PROFILES, Config

lazy_reproduce(__name__)  # reproduce() (and TensorFlow) imported on first use

__all__ = ["Config", "PROFILES", "reproduce"]
