"""Paper 1: a 64x64 mel-spectrogram denoising GAN versus a convolutional autoencoder
(Diasakos et al., "Distinguishing Signal from Noise in 5G MIMO Systems Using GANs")."""

from gansig import import_tensorflow_quietly

import_tensorflow_quietly()  # before the imports below pull TensorFlow in

from gansig.papers.mimo5g.config import PROFILES, Config  # noqa: E402
from gansig.papers.mimo5g.reproduce import reproduce  # noqa: E402

__all__ = ["Config", "PROFILES", "reproduce"]
