"""Encoder, generator and multi-scale discriminator of BPGAN (after the original code's
pix2pixHD-style networks), on 128x128 mel patches."""

from __future__ import annotations

import keras
import numpy as np
from keras import layers, ops

from gansig.layers import ConvBlock, ResidualBlock
from gansig.papers.bpgan.config import Config
from gansig.papers.bpgan.frontend import N_MELS, PATCH

DOWNSAMPLINGS = 4  # 128 -> 8


def _channels(config: Config, level: int) -> int:
    return min(config.base_channels * 2**level, config.max_channels)


def encoder(config: Config) -> keras.Model:
    """Conv 7x7, four stride-2 convs (channels doubling, capped), then a 1x1 projection to
    ``latent_channels`` with a sigmoid: a 128x128 patch -> an 8x8x8 latent in (0, 1)."""
    x = inputs = keras.Input((N_MELS, PATCH, 1), name="patch")
    x = ConvBlock(_channels(config, 0), 7, norm=config.norm, slope=0.0, name="stem")(x)
    for i in range(1, DOWNSAMPLINGS + 1):
        x = ConvBlock(_channels(config, i), 3, 2, norm=config.norm, slope=0.0, name=f"down{i}")(x)
    x = layers.Conv2D(config.latent_channels, 1, activation="sigmoid", name="latent")(x)
    return keras.Model(inputs, x, name="encoder")


def generator(config: Config) -> keras.Model:
    """Conv 3x3, ``res_blocks`` ResNet blocks, four stride-2 transposed convs (channels
    halving), conv 7x7 and tanh: an 8x8x8 latent -> a 128x128 patch in [-1, 1]."""
    side = PATCH // 2**DOWNSAMPLINGS
    x = inputs = keras.Input((side, side, config.latent_channels), name="latent")
    width = _channels(config, DOWNSAMPLINGS)
    x = ConvBlock(width, 3, norm=config.norm, slope=0.0, name="stem")(x)
    for i in range(config.res_blocks):
        x = ResidualBlock(width, 3, norm=config.norm, name=f"res{i + 1}")(x)
    for i in range(DOWNSAMPLINGS - 1, -1, -1):
        x = ConvBlock(_channels(config, i), 3, 2, transpose=True, norm=config.norm, slope=0.0, name=f"up{4 - i}")(x)
    x = layers.Conv2D(1, 7, padding="same", activation="tanh", name="patch")(x)
    return keras.Model(inputs, x, name="generator")


def discriminator(config: Config) -> keras.Model:
    """``d_scales`` PatchGANs on the patch downsampled by 1, 2, 4, ...: each three stride-2
    4x4 convs (LeakyReLU 0.2) and two stride-1 ones, the last giving a score map. Returns
    ``{"scores": [...], "features": [...]}`` for the least-squares loss and feature matching."""
    inputs = keras.Input((N_MELS, PATCH, 1), name="patch")
    scores, features = [], []
    x = inputs
    for scale in range(config.d_scales):
        if scale:
            x = layers.AveragePooling2D(3, 2, padding="same", name=f"downsample{scale}")(x)
        h = x
        for i, (filters, stride) in enumerate(((1, 2), (2, 2), (4, 2), (8, 1))):
            norm = "none" if i == 0 else config.norm
            h = ConvBlock(config.d_base_channels * filters, 4, stride, norm=norm, slope=0.2,
                          name=f"s{scale}_conv{i + 1}")(h)
            features.append(h)
        scores.append(layers.Conv2D(1, 4, padding="same", name=f"s{scale}_score")(h))
    return keras.Model(inputs, {"scores": scores, "features": features}, name="discriminator")


@keras.saving.register_keras_serializable(package="gansig")
class SoftToHardQuantizer(keras.layers.Layer):
    """Soft quantisation ``softmax(-T d^2) @ centres`` while ``hard`` is 0, nearest centre
    with a straight-through gradient once ``hard`` is 1; the identity while ``active`` is 0
    (before the centres are known). ``centres``, ``temperature``, ``hard`` and ``active``
    are variables, so a callback can set and anneal them (the original ramps T 1 -> 101).
    """

    def __init__(self, centres, temperature: float = 1.0, **kwargs):
        super().__init__(**kwargs)
        self._centres_init = [float(c) for c in np.asarray(centres).ravel()]
        self.centres = self.add_weight(shape=(len(self._centres_init),), trainable=False, name="centres",
                                       initializer=keras.initializers.Constant(self._centres_init))
        self.temperature = self.add_weight(shape=(), trainable=False, name="temperature",
                                           initializer=keras.initializers.Constant(temperature))
        self.hard = self.add_weight(shape=(), trainable=False, name="hard", initializer="zeros")
        self.active = self.add_weight(shape=(), trainable=False, name="active", initializer="ones")

    def call(self, z):
        distance = ops.square(ops.expand_dims(z, -1) - self.centres)
        soft = ops.sum(ops.softmax(-self.temperature * distance, axis=-1) * self.centres, axis=-1)
        nearest = ops.take(self.centres, ops.argmin(distance, axis=-1))
        hard = soft + ops.stop_gradient(nearest - soft)
        quantised = self.hard * hard + (1.0 - self.hard) * soft
        return self.active * quantised + (1.0 - self.active) * z

    def get_config(self):
        return {**super().get_config(), "centres": self._centres_init,
                "temperature": float(keras.ops.convert_to_numpy(self.temperature))}
