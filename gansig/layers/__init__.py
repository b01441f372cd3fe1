"""Keras layers shared by the papers' models."""

from gansig.layers.conv import NORMS, UPSAMPLE_MODES, ConvBlock, UpsampleConv

__all__ = ["ConvBlock", "UpsampleConv", "NORMS", "UPSAMPLE_MODES"]
