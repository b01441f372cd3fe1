"""Paper 1: a 64x64 mel-spectrogram denoising GAN versus a convolutional autoencoder
(Diasakos et al., "Distinguishing Signal from Noise in 5G MIMO Systems Using GANs")."""

from gansig.papers.mimo5g.config import PROFILES, Config
from gansig.papers.mimo5g.reproduce import reproduce

__all__ = ["Config", "PROFILES", "reproduce"]
