"""Keras layers shared by the papers' models."""

from gansig.layers.conv import NORMS, UPSAMPLE_MODES, ConvBlock, ResidualBlock, UpsampleConv, batch_norm

__all__ = ["ConvBlock", "ResidualBlock", "UpsampleConv", "NORMS", "UPSAMPLE_MODES", "batch_norm"]
