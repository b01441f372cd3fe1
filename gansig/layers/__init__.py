"""Keras layers shared by the papers' models."""

from gansig.layers.conv import NORMS, UPSAMPLE_MODES, ConvBlock, ResidualBlock, UpsampleConv, batch_norm
from gansig.layers.gan import ClassBatchNorm, DiffAugment, SpecAugment, spectral_norm

__all__ = ["ClassBatchNorm", "ConvBlock", "DiffAugment", "ResidualBlock", "SpecAugment", "UpsampleConv", "NORMS",
           "UPSAMPLE_MODES", "batch_norm", "spectral_norm"]
