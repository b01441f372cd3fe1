"""The thesis's generators and discriminators (its layer tables, A4; the experiments without
a table reconstructed as A5.13 says), with PyTorch's defaults where Keras's differ.

All convolutions have (3, 5) kernels, no bias, stride 1 and "same" padding in the generators
(transposed convolutions, as the thesis's) and stride 2 in the discriminators. PyTorch
defaults reproduced: LeakyReLU slope 0.01, BatchNorm momentum 0.1 (Keras 0.9) and epsilon
1e-5, Kaiming-uniform initialisation with ``a = sqrt(5)`` (``VarianceScaling(1/3, fan_in,
uniform)``; a Linear's bias uniform in ±1/sqrt(fan_in)). LayerNorm (Exp 11) normalises each
sample over frequency, time and channels with a per-channel scale and shift.
"""

from __future__ import annotations

import math

import keras
from keras import layers

from gansig.layers.conv import batch_norm
from gansig.papers.film.config import Config

_INIT = keras.initializers.VarianceScaling(1 / 3, "fan_in", "uniform")
_GENERATORS = {  # channels of each hidden layer, and their activations
    "g1": ((256, 512, 256, 128), ("relu",) * 4, False),
    "g3": ((128, 256, 256), ("leaky",) * 3, False),
    "g5": ((128, 256, 256), ("leaky", "elu", "elu"), True),
    "g7": ((128, 256, 256), ("leaky",) * 3, True),
}
_DISCRIMINATORS = {"d1": (32, 64, 128), "d3": (64, 128, 128), "d5": (64, 128, 128)}


def _channels(c: int, width: float) -> int:
    return max(1, round(c * width))


def _norm(config: Config, name: str) -> layers.Layer:
    if config.norm == "layer":
        return layers.GroupNormalization(groups=1, epsilon=1e-5, name=name)
    return batch_norm(momentum=0.9, epsilon=1e-5, name=name)


def _activation(kind: str, slope: float, name: str) -> layers.Layer:
    if kind == "relu":
        return layers.ReLU(name=name)
    if kind == "elu":
        return layers.ELU(name=name)
    return layers.LeakyReLU(negative_slope=slope, name=name)


def generator(config: Config, shape: tuple[int, int, int]) -> keras.Model:
    """The experiment's generator: damaged image -> restored image in [-1, 1] (tanh)."""
    widths, activations, dropout = _GENERATORS[config.generator]
    x = inputs = keras.Input(shape, name="damaged")
    for i, (c, kind) in enumerate(zip(widths, activations, strict=True), start=1):
        x = layers.Conv2DTranspose(_channels(c, config.width), config.kernel, padding="same", use_bias=False,
                                   kernel_initializer=_INIT, name=f"conv{i}")(x)
        x = _norm(config, f"norm{i}")(x)
        x = _activation(kind, config.g_slope, f"act{i}")(x)
        if dropout and config.g_dropout:
            x = layers.Dropout(config.g_dropout, name=f"dropout{i}")(x)
    x = layers.Conv2DTranspose(shape[-1], config.kernel, padding="same", use_bias=False, kernel_initializer=_INIT,
                               name="out")(x)
    return keras.Model(inputs, layers.Activation("tanh", name="tanh")(x), name=f"generator_{config.generator}")


def discriminator(config: Config, shape: tuple[int, int, int]) -> keras.Model:
    """The experiment's discriminator: image -> one logit (through a Sigmoid first with
    ``d_sigmoid``, as Exp 1-2's table has it)."""
    x = inputs = keras.Input(shape, name="spectrogram")
    for i, c in enumerate(_DISCRIMINATORS[config.discriminator], start=1):
        x = layers.Conv2D(_channels(c, config.width), config.kernel, strides=2, padding="same", use_bias=False,
                          kernel_initializer=_INIT, name=f"conv{i}")(x)
        if config.discriminator == "d5":
            x = _norm(config, f"norm{i}")(x)
        x = layers.LeakyReLU(negative_slope=config.d_slope, name=f"act{i}")(x)
        if config.d_dropout and config.discriminator != "d1":
            x = layers.Dropout(config.d_dropout, name=f"dropout{i}")(x)
    x = layers.Flatten()(x)
    bound = 1 / math.sqrt(x.shape[-1])
    x = layers.Dense(1, kernel_initializer=_INIT, bias_initializer=keras.initializers.RandomUniform(-bound, bound),
                     name="logit")(x)
    if config.d_sigmoid:
        x = layers.Activation("sigmoid", name="sigmoid")(x)
    return keras.Model(inputs, x, name=f"discriminator_{config.discriminator}")


def trainable_parameters(model: keras.Model) -> int:
    """Trainable parameters (PyTorch's count; Keras's summary adds BatchNorm statistics)."""
    return int(sum(keras.ops.size(w) for w in model.trainable_weights))
