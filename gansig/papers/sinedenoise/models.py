"""Generator (a 1-D convolutional autoencoder) and discriminator, layer by layer as the
public code builds them: 282,177 and 10,577 trainable parameters."""

from __future__ import annotations

import keras
from keras import layers

from gansig.layers import ConvBlock
from gansig.papers.sinedenoise.config import SIGNAL_LENGTH

# PyTorch's BatchNorm1d defaults (momentum 0.1 on the new batch = Keras momentum 0.9, eps 1e-5).
TORCH_BATCH_NORM = dict(norm_momentum=0.9, norm_epsilon=1e-5)


def generator() -> keras.Model:
    """Kernel 64, stride 2, BatchNorm then LeakyReLU(0.1); no output activation.

    Encoder: conv 1→16, then 3 x conv 16→16 (256 → 128 → 64 → 32 → 16 samples).
    Decoder: transposed conv 16→32, then 3 x transposed conv 32→32 (16 → ... → 256),
    and a final conv 32→1 with kernel 64 ("same" padding replaces PyTorch's pad-and-crop,
    shifting the output by one sample).
    """
    x = inputs = keras.Input((SIGNAL_LENGTH, 1), name="noisy")
    block = dict(rank=1, strides=2, norm="batch", slope=0.1, order="norm_act", **TORCH_BATCH_NORM)
    x = ConvBlock(16, 64, name="enc1", **block)(x)
    for i in range(2, 5):
        x = ConvBlock(16, 64, name=f"enc{i}", **block)(x)
    x = ConvBlock(32, 64, transpose=True, name="dec1", **block)(x)
    for i in range(2, 5):
        x = ConvBlock(32, 64, transpose=True, name=f"dec{i}", **block)(x)
    x = layers.Conv1D(1, 64, padding="same", name="out")(x)
    return keras.Model(inputs, x, name="generator")


def discriminator() -> keras.Model:
    """Kernel 32, stride 2, BatchNorm then LeakyReLU(0.01): conv 1→8, conv 8→8; flatten
    (64 x 8) → dense 16 ReLU → dense 1 sigmoid."""
    x = inputs = keras.Input((SIGNAL_LENGTH, 1), name="signal")
    block = dict(rank=1, strides=2, norm="batch", slope=0.01, order="norm_act", **TORCH_BATCH_NORM)
    x = ConvBlock(8, 32, name="conv1", **block)(x)
    x = ConvBlock(8, 32, name="conv2", **block)(x)
    x = layers.Flatten()(x)
    x = layers.Dense(16, activation="relu", name="dense")(x)
    x = layers.Dense(1, activation="sigmoid", name="real_probability")(x)
    return keras.Model(inputs, x, name="discriminator")


def trainable_parameters(model: keras.Model) -> int:
    """Trainable parameters (PyTorch's count; Keras's ``summary`` adds BatchNorm statistics)."""
    return int(sum(keras.ops.size(w) for w in model.trainable_weights))
