"""Paper 5: a lightweight 1-D denoising autoencoder-GAN for sine mixtures in white noise,
versus a low-pass filter (russell-rozenbaum/GAN-Denoiser)."""

from gansig import import_tensorflow_quietly

import_tensorflow_quietly()  # before the imports below pull TensorFlow in

from gansig.papers.sinedenoise.config import PROFILES, Config  # noqa: E402
from gansig.papers.sinedenoise.reproduce import reproduce  # noqa: E402

__all__ = ["Config", "PROFILES", "reproduce"]
