"""Layers for training on little data: spectral normalisation of a discriminator's weights
(Miyato et al. 2018), differentiable augmentation of what a discriminator sees (DiffAugment,
Zhao et al. 2020) and SpecAugment's masks for a classifier (Park et al. 2019), for
spectrogram images ``[batch, frequency, time, channels]`` (or time first: ``time_axis=1``)."""

from __future__ import annotations

import keras
from keras import layers, ops


def spectral_norm(layer: layers.Layer, power_iterations: int = 1) -> layers.Layer:
    """``layer`` (a Dense or a convolution) with its kernel divided by its largest singular
    value, estimated by ``power_iterations`` steps of power iteration per training call (Keras's
    ``SpectralNormalization``: the kernel is normalised in place before it is used, so the
    layer's Lipschitz constant stays near 1)."""
    return layers.SpectralNormalization(layer, power_iterations=power_iterations, name=f"{layer.name}_sn")


@keras.saving.register_keras_serializable(package="gansig")
class ClassBatchNorm(layers.Layer):
    """Class-conditional batch normalisation (de Vries et al. 2017; BigGAN's generator): batch
    norm without its own scale and offset, then a scale ``1 + gamma[class]`` and an offset
    ``beta[class]`` learned per class (both start at zero: plain batch norm at first).
    Called on ``[features, labels]`` (integer class indices ``[batch]``).

    Args:
        n_classes: how many classes.
        momentum: the moving statistics' momentum.
    """

    def __init__(self, n_classes: int, momentum: float = 0.99, **kwargs):
        super().__init__(**kwargs)
        self.n_classes, self.momentum = n_classes, momentum
        self.norm = layers.BatchNormalization(momentum=momentum, center=False, scale=False)

    def build(self, input_shape):
        channels = input_shape[0][-1]
        self.norm.build(input_shape[0])
        self.gamma = self.add_weight(shape=(self.n_classes, channels), initializer="zeros", name="gamma")
        self.beta = self.add_weight(shape=(self.n_classes, channels), initializer="zeros", name="beta")

    def call(self, inputs, training=None):
        x, labels = inputs
        labels = ops.cast(labels, "int32")
        shape = (-1,) + (1,) * (len(x.shape) - 2) + (x.shape[-1],)
        gamma = ops.reshape(ops.take(self.gamma, labels, axis=0), shape)
        beta = ops.reshape(ops.take(self.beta, labels, axis=0), shape)
        return self.norm(x, training=training) * (1.0 + gamma) + beta

    def compute_output_shape(self, input_shape):
        return input_shape[0]

    def get_config(self) -> dict:
        return {**super().get_config(), "n_classes": self.n_classes, "momentum": self.momentum}


@keras.saving.register_keras_serializable(package="gansig")
class DiffAugment(layers.Layer):
    """Differentiable augmentation of spectrogram images, drawn anew for every example of
    every training call (identity otherwise). Put it in front of a discriminator, so real and
    generated images are augmented alike and the discriminator cannot memorise a few hundred
    clips; gradients flow through it to the generator.

    Args:
        max_shift: the largest circular shift along time, as a fraction of the frames (a
            uniform integer shift in ``[-max_shift, max_shift]`` times the width).
        cutout: the side of the cut-out rectangle as a fraction of each axis (0: none); the
            rectangle, centred anywhere, is set to ``fill``.
        max_gain: the largest level change, added to every value of an example (the images
            are log magnitudes, so this is a gain), uniform in ``[-max_gain, max_gain]``.
        fill: the value cut-out areas take (the images' silence).
        seed: seed of the draws.
        time_axis: 2 for ``[batch, frequency, time, channels]``, 1 for time first.
    """

    def __init__(self, max_shift: float = 0.125, cutout: float = 0.25, max_gain: float = 0.0, fill: float = 0.0,
                 seed: int | None = None, time_axis: int = 2, **kwargs):
        super().__init__(**kwargs)
        if time_axis not in (1, 2):
            raise ValueError(f"time_axis must be 1 or 2, got {time_axis}")
        self.time_axis = time_axis
        for name, value, hi in (("max_shift", max_shift, 0.5), ("cutout", cutout, 1.0)):
            if not 0.0 <= value <= hi:
                raise ValueError(f"{name} must be between 0 and {hi}, got {value}")
        if max_gain < 0:
            raise ValueError(f"max_gain must be at least 0, got {max_gain}")
        self.max_shift, self.cutout, self.max_gain, self.fill, self.seed = max_shift, cutout, max_gain, fill, seed
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, images, training=None):
        if not training:
            return images
        batch = ops.shape(images)[0]
        height, width = images.shape[1], images.shape[2]
        x = images
        frames = images.shape[self.time_axis]
        shift_max = int(self.max_shift * frames)
        if shift_max:
            shift = keras.random.randint((batch, 1), -shift_max, shift_max + 1, seed=self.seed_generator)
            index = ops.mod(ops.arange(frames)[None, :] - shift, frames)                   # [batch, frames]
            index = index[:, None, :, None] if self.time_axis == 2 else index[:, :, None, None]
            x = ops.take_along_axis(x, ops.cast(ops.broadcast_to(index, ops.shape(x)), "int32"), axis=self.time_axis)
        if self.cutout:
            keep = ops.cast(self._keep_mask(batch, height, width), x.dtype)
            x = x * keep + self.fill * (1.0 - keep)
        if self.max_gain:
            gain = keras.random.uniform((batch, 1, 1, 1), -self.max_gain, self.max_gain, seed=self.seed_generator)
            x = x + ops.cast(gain, x.dtype)
        return x

    def _keep_mask(self, batch, height: int, width: int):
        """``[batch, height, width, 1]``: 0 inside each example's cut-out rectangle, 1 outside."""
        inside = []
        for size in (height, width):
            half = max(1, round(self.cutout * size)) / 2
            centre = keras.random.uniform((batch, 1), 0.0, float(size), seed=self.seed_generator)
            inside.append(ops.cast(ops.abs(ops.arange(size, dtype="float32")[None, :] + 0.5 - centre) <= half,
                                   "float32"))
        return 1.0 - inside[0][:, :, None, None] * inside[1][:, None, :, None]

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        return {**super().get_config(), "max_shift": self.max_shift, "cutout": self.cutout,
                "max_gain": self.max_gain, "fill": self.fill, "seed": self.seed, "time_axis": self.time_axis}


@keras.saving.register_keras_serializable(package="gansig")
class SpecAugment(layers.Layer):
    """SpecAugment's masks for training a classifier on spectrogram images: ``masks`` stripes
    across all frequencies and ``masks`` across all times per example, each of a uniform width
    up to ``max_width`` of its axis, set to ``fill`` (identity outside training).

    Args:
        masks: stripes per axis and example.
        max_width: the widest stripe, as a fraction of its axis.
        fill: the value masked areas take (the images' silence).
        seed: seed of the draws.
    """

    def __init__(self, masks: int = 2, max_width: float = 0.15, fill: float = 0.0, seed: int | None = None,
                 **kwargs):
        super().__init__(**kwargs)
        if masks < 0 or not 0.0 <= max_width <= 1.0:
            raise ValueError(f"masks must be >= 0 and max_width in [0, 1], got {masks} and {max_width}")
        self.masks, self.max_width, self.fill, self.seed = masks, max_width, fill, seed
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, images, training=None):
        if not training or not self.masks:
            return images
        batch = ops.shape(images)[0]
        keep = []
        for axis in (1, 2):
            size = images.shape[axis]
            position = ops.arange(size, dtype="float32")[None, None, :]
            width = keras.random.uniform((batch, self.masks, 1), 0.0, self.max_width * size, seed=self.seed_generator)
            start = keras.random.uniform((batch, self.masks, 1), 0.0, 1.0, seed=self.seed_generator) * (size - width)
            inside = ops.logical_and(position >= start, position < start + width)         # [batch, masks, size]
            keep.append(1.0 - ops.max(ops.cast(inside, "float32"), axis=1))                # [batch, size]
        mask = ops.cast(keep[0][:, :, None, None] * keep[1][:, None, :, None], images.dtype)
        return images * mask + self.fill * (1.0 - mask)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        return {**super().get_config(), "masks": self.masks, "max_width": self.max_width, "fill": self.fill,
                "seed": self.seed}
