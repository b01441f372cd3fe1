"""The report's generator and discriminator (B2.3, B2.4), Donahue's SpecGAN (with an
optional class label), and the in-domain classifier.

At ``width`` 1 and 256 x 256 images the report's networks have exactly the trainable
parameters the layer tables give (G 63,679,361, D 1,160,961; tests assert them). The
canonical SpecGAN at ``dim`` 64 is Donahue's: G 19,065,345, D 17,427,969.
"""

from __future__ import annotations

import keras
from keras import layers

from gansig.layers import ClassBatchNorm, DiffAugment, SpecAugment, spectral_norm
from gansig.layers.conv import UpsampleConv, batch_norm
from gansig.papers.specgan.config import Config

REPORT_STAGES = ((512, 7, "linear"), (256, 5, "linear"), (128, 5, "cubic"), (64, 3, "cubic"))  # B2.3


def _channels(n: int, width: float) -> int:
    return max(1, round(n * width))


def report_generator(config: Config) -> keras.Model:
    """z (128, normal) -> Dense(S/16 x S/16 x 1024, relu) -> four resize-convolutions with
    batch norm and ReLU (linear, linear, cubic, cubic upsampling) -> 1x1 conv, tanh."""
    side = config.image_size // 16
    z = keras.Input((config.report_latent,), name="z")
    x = layers.Dense(side * side * _channels(1024, config.width), activation="relu")(z)
    x = layers.Reshape((side, side, _channels(1024, config.width)))(x)
    for filters, kernel, mode in REPORT_STAGES:
        x = UpsampleConv(_channels(filters, config.width), kernel, 2, upsample=mode)(x)
        x = layers.ReLU()(batch_norm()(x))
    x = UpsampleConv(1, 1, 1, upsample="nn", activation="tanh")(x)
    return keras.Model(z, x, name="report_generator")


def report_discriminator(config: Config) -> keras.Model:
    """Conv(64, 7, s2) LReLU(0.2) dropout; Conv(128, 5, s2) BN LReLU(0.2) dropout; Conv(256,
    3, s2) BN LReLU(0.1) dropout; Conv(512, 1) BN LReLU(0.1); dense sigmoid."""
    c = lambda n: _channels(n, config.width)  # noqa: E731
    image = keras.Input((config.image_size, config.image_size, 1), name="image")
    x = layers.Dropout(0.3)(layers.LeakyReLU(0.2)(layers.Conv2D(c(64), 7, 2, padding="same")(image)))
    for filters, kernel, stride, slope, dropout in ((128, 5, 2, 0.2, True), (256, 3, 2, 0.1, True),
                                                    (512, 1, 1, 0.1, False)):
        x = layers.Conv2D(c(filters), kernel, stride, padding="same")(x)
        x = layers.LeakyReLU(slope)(batch_norm()(x))
        if dropout:
            x = layers.Dropout(0.3)(x)
    score = layers.Dense(1, activation="sigmoid")(layers.Flatten()(x))
    return keras.Model(image, score, name="report_discriminator")


def specgan_generator(config: Config, n_classes: int = 0) -> keras.Model:
    """z (100, uniform) [+ one-hot class] -> Dense(4 x 4 x 16d, relu) -> four upsampling
    convolutions k5 (8d, 4d, 2d, d; relu) -> one to a single channel, tanh: 128 x 128."""
    d = config.specgan_dim
    z = keras.Input((config.specgan_latent,), name="z")
    inputs, x = [z], z
    if n_classes:
        label = keras.Input((), dtype="int32", name="label")
        inputs.append(label)
        x = layers.Concatenate()([z, layers.CategoryEncoding(n_classes, output_mode="one_hot")(label)])
    x = layers.Reshape((4, 4, 16 * d))(layers.Dense(4 * 4 * 16 * d, activation="relu")(x))
    for m in (8, 4, 2, 1):
        x = UpsampleConv(m * d, 5, 2, upsample=config.specgan_upsample, activation="relu")(x)
    x = UpsampleConv(1, 5, 2, upsample=config.specgan_upsample, activation="tanh")(x)
    return keras.Model(inputs if n_classes else z, x, name="specgan_generator")


def specgan_discriminator(config: Config, n_classes: int = 0) -> keras.Model:
    """Five convolutions k5 s2 (d ... 16d, LeakyReLU 0.2), a linear score; with classes a
    projection term (the class embedding dotted with the features, Miyato & Koyama 2018)."""
    d = config.specgan_dim
    image = keras.Input((128, 128, 1), name="image")
    x = image
    for m in (1, 2, 4, 8, 16):
        x = layers.LeakyReLU(0.2)(layers.Conv2D(m * d, 5, 2, padding="same")(x))
    features = layers.Flatten()(x)
    score = layers.Dense(1)(features)
    if not n_classes:
        return keras.Model(image, score, name="specgan_discriminator")
    label = keras.Input((), dtype="int32", name="label")
    embedded = layers.Embedding(n_classes, features.shape[-1])(label)
    projection = layers.Dot(axes=-1)([embedded, features])
    return keras.Model([image, label], layers.Add()([score, projection]), name="specgan_discriminator")


def gansig_generator(config: Config, n_classes: int) -> keras.Model:
    """z (normal) and a class -> z beside the class's learned embedding -> Dense(mels/16 x
    frames/16 x C) -> four nearest-neighbour upsamplings, each a 3x3 convolution (C/2, C/4,
    C/8, C/16), class-conditional batch norm and ReLU -> a 3x3 convolution to one channel,
    tanh: a log-mel image (frequency up)."""
    c, side = config.gansig_channels, (config.gansig_mels // 16, config.gansig_frames // 16)
    z = keras.Input((config.gansig_latent,), name="z")
    label = keras.Input((), dtype="int32", name="label")
    x = layers.Concatenate()([z, layers.Embedding(n_classes, config.gansig_latent, name="class_embedding")(label)])
    x = layers.Reshape((*side, c))(layers.Dense(side[0] * side[1] * c)(x))
    x = layers.ReLU()(ClassBatchNorm(n_classes)([x, label]))
    for m in (2, 4, 8, 16):
        x = UpsampleConv(c // m, 3, 2, upsample="nn")(x)
        x = layers.ReLU()(ClassBatchNorm(n_classes)([x, label]))
    x = UpsampleConv(1, 3, 1, upsample="nn", activation="tanh")(x)
    return keras.Model([z, label], x, name="gansig_generator")


def gansig_discriminator(config: Config, n_classes: int) -> keras.Model:
    """DiffAugment (time shift, cut-out, gain; in training, on real and generated images alike)
    -> four spectrally normalised 4x4 stride-2 convolutions (C/16 ... C/2, LeakyReLU 0.2) and a
    3x3 one (C) -> the sum over positions -> a linear score plus the projection of a class
    embedding on the features (Miyato & Koyama 2018). For the hinge loss."""
    c = config.gansig_channels
    image = keras.Input((config.gansig_mels, config.gansig_frames, 1), name="image")
    label = keras.Input((), dtype="int32", name="label")
    x = DiffAugment(config.gansig_shift, config.gansig_cutout, config.gansig_gain, fill=-1.0,
                    name="diff_augment")(image)
    for m in (16, 8, 4, 2):
        x = layers.LeakyReLU(0.2)(spectral_norm(layers.Conv2D(c // m, 4, 2, padding="same"))(x))
    x = layers.LeakyReLU(0.2)(spectral_norm(layers.Conv2D(c, 3, padding="same"))(x))
    positions = x.shape[1] * x.shape[2]
    features = layers.Rescaling(float(positions), name="sum_pool")(layers.GlobalAveragePooling2D()(x))
    score = spectral_norm(layers.Dense(1))(features)
    projection = layers.Dot(axes=-1)([layers.Embedding(n_classes, c, name="class_projection")(label), features])
    return keras.Model([image, label], layers.Add()([score, projection]), name="gansig_discriminator")


def classifier(config: Config, input_shape: tuple[int, int, int], n_classes: int) -> keras.Model:
    """Donahue's inception classifier's shape: four blocks of 5x5 convolution, ReLU, 2x2 max
    pooling and batch norm, then the mean over positions (the embedding the Frechet
    distance and KID use) and a dense softmax over the classes. In training only, the log-mel
    images (time first) are first shifted circularly in time and masked SpecAugment-style
    (``classifier_shift``, ``classifier_masks``; silence is -1)."""
    image = keras.Input(input_shape, name="log_mel")
    x = image
    if config.classifier_shift:
        x = DiffAugment(max_shift=config.classifier_shift, cutout=0.0, time_axis=1, name="time_shift")(x)
    if config.classifier_masks:
        x = SpecAugment(config.classifier_masks, 0.15, fill=-1.0, name="spec_augment")(x)
    for _ in range(4):
        x = layers.Conv2D(config.classifier_channels, 5, padding="same", activation="relu")(x)
        x = batch_norm()(layers.MaxPooling2D(2)(x))
    embedding = layers.GlobalAveragePooling2D(name="embedding")(x)
    probabilities = layers.Dense(n_classes, activation="softmax", name="probabilities")(layers.Dropout(0.3)(embedding))
    return keras.Model(image, probabilities, name="classifier")


def count_parameters(model: keras.Model) -> int:
    """Trainable parameters (what the report's layer tables count)."""
    return int(sum(keras.ops.size(v) for v in model.trainable_weights))
