"""Section III's generator and discriminator, and the convolutional autoencoder baseline."""

from __future__ import annotations

import keras
from keras import layers

from gansig.layers import ConvBlock
from gansig.papers.mimo5g.config import Config


def generator(config: Config, name: str = "generator") -> keras.Model:
    """Conv 128 and 64 (3x3, stride 2, LeakyReLU 0.2, then BatchNorm), transposed conv 64
    and 32 (3x3, stride 2, LeakyReLU), transposed conv 1 (3x3) with tanh.

    With ``output_mapping="affine"`` a fixed ``(t + 1) / 2`` maps tanh's [-1, 1] onto the
    [0, 1] scale of Algorithm 3, so outputs and targets share a scale.
    """
    s = config.image_size
    x = inputs = keras.Input((s, s, 1), name="noisy")
    x = ConvBlock(128, 3, 2, slope=0.2, norm="batch", order="act_norm", name="down1")(x)
    x = ConvBlock(64, 3, 2, slope=0.2, norm="batch", order="act_norm", name="down2")(x)
    x = ConvBlock(64, 3, 2, transpose=True, slope=0.2, norm="none", name="up1")(x)
    x = ConvBlock(32, 3, 2, transpose=True, slope=0.2, norm="none", name="up2")(x)
    x = layers.Conv2DTranspose(1, 3, padding="same", activation="tanh", name="out")(x)
    if config.output_mapping == "affine":
        x = layers.Rescaling(0.5, offset=0.5, name="to_unit")(x)
    elif config.output_mapping != "none":
        raise ValueError(f"output_mapping must be 'affine' or 'none', got {config.output_mapping!r}")
    return keras.Model(inputs, x, name=name)


def discriminator(config: Config) -> keras.Model:
    """Conv 64/128/256 (3x3, stride 2, LeakyReLU 0.2) with dropout 0.3/0.3/0.4, dense 128
    with LeakyReLU, dropout 0.2, one sigmoid unit."""
    s = config.image_size
    x = inputs = keras.Input((s, s, 1), name="spectrogram")
    for i, (filters, rate) in enumerate(((64, 0.3), (128, 0.3), (256, 0.4)), start=1):
        x = ConvBlock(filters, 3, 2, slope=0.2, norm="none", dropout=rate, name=f"conv{i}")(x)
    x = layers.Flatten()(x)
    x = layers.Dense(128, name="dense")(x)
    x = layers.LeakyReLU(0.2)(x)
    x = layers.Dropout(0.2)(x)
    x = layers.Dense(1, activation="sigmoid", name="real_probability")(x)
    return keras.Model(inputs, x, name="discriminator")


def autoencoder(config: Config) -> keras.Model:
    """Convolutional denoising autoencoder with a sigmoid output for binary cross-entropy.

    The paper gives no layers; this is the canonical Keras denoising autoencoder (two
    conv 32 + max-pool stages, two stride-2 transposed convs 32, conv 1 sigmoid).
    """
    s = config.image_size
    x = inputs = keras.Input((s, s, 1), name="noisy")
    for i in (1, 2):
        x = layers.Conv2D(32, 3, padding="same", activation="relu", name=f"enc{i}")(x)
        x = layers.MaxPooling2D(2, padding="same")(x)
    for i in (1, 2):
        x = layers.Conv2DTranspose(32, 3, strides=2, padding="same", activation="relu", name=f"dec{i}")(x)
    x = layers.Conv2D(1, 3, padding="same", activation="sigmoid", name="out")(x)
    return keras.Model(inputs, x, name="autoencoder")
