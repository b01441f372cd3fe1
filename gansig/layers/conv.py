"""Convolution blocks the papers share, as serialisable Keras layers."""

from __future__ import annotations

import keras
from keras import layers

NORMS = ("batch", "layer", "instance", "none")
ORDERS = ("norm_act", "act_norm")
UPSAMPLE_MODES = ("zeros", "nn", "linear", "cubic")
_RESIZE_INTERPOLATION = {"nn": "nearest", "linear": "bilinear", "cubic": "bicubic"}


def _conv_class(rank: int, transpose: bool) -> type[layers.Layer]:
    if rank not in (1, 2):
        raise ValueError(f"rank must be 1 or 2, got {rank}")
    if transpose:
        return layers.Conv1DTranspose if rank == 1 else layers.Conv2DTranspose
    return layers.Conv1D if rank == 1 else layers.Conv2D


def batch_norm(momentum: float = 0.99, epsilon: float = 1e-3, name: str | None = None) -> layers.BatchNormalization:
    """Keras's ``BatchNormalization``, on the statistics of the global batch when built under
    a ``tf.distribute`` strategy of several replicas (each replica would otherwise normalise
    by its own share, and several replicas would not train as one does).

    Args:
        momentum: moving-statistics momentum (PyTorch's 0.1 is Keras's 0.9).
        epsilon: added to the variance.
        name: the layer's name.

    Returns:
        The layer.
    """
    synchronized = False
    if keras.backend.backend() == "tensorflow":  # the benchmarks build these models under JAX too
        import tensorflow as tf

        synchronized = tf.distribute.get_strategy().num_replicas_in_sync > 1
    return layers.BatchNormalization(momentum=momentum, epsilon=epsilon, synchronized=synchronized, name=name)


def _norm_layer(norm: str, rank: int, momentum: float, epsilon: float) -> layers.Layer | None:
    if norm not in NORMS:
        raise ValueError(f"norm must be one of {NORMS}, got {norm!r}")
    if norm == "batch":
        return batch_norm(momentum, epsilon)
    if norm == "layer":
        # Over every non-batch axis, like torch.nn.LayerNorm([C, *spatial]).
        return layers.LayerNormalization(axis=list(range(1, rank + 2)), epsilon=epsilon)
    if norm == "instance":
        # One group per channel: each channel normalised over its own positions.
        return layers.GroupNormalization(groups=-1, epsilon=epsilon)
    return None


@keras.saving.register_keras_serializable(package="gansig")
class ConvBlock(layers.Layer):
    """Convolution (or transposed convolution), normalisation, LeakyReLU, dropout.

    Args:
        filters: output channels.
        kernel_size: kernel width (an int: square kernels for rank 2).
        strides: stride.
        rank: 1 for signals ``[batch, time, ch]``, 2 for images ``[batch, h, w, ch]``.
        transpose: a transposed convolution (upsampling by ``strides``).
        norm: ``"batch"``, ``"layer"``, ``"instance"`` or ``"none"``.
        slope: LeakyReLU negative slope; 0 is ReLU; None means no activation.
        order: ``"norm_act"`` (conv → norm → act) or ``"act_norm"`` (conv → act → norm,
            the order the 5G paper describes).
        dropout: dropout rate after the block (0 for none).
        padding: ``"same"`` or ``"valid"``.
        use_bias: add a bias to the convolution.
        norm_momentum: BatchNorm moving-average momentum (Keras' 0.99 by default; PyTorch's
            default corresponds to 0.9).
        norm_epsilon: normalisation epsilon (Keras' 1e-3; PyTorch uses 1e-5).
    """

    def __init__(self, filters: int, kernel_size: int, strides: int = 1, *, rank: int = 2,
                 transpose: bool = False, norm: str = "batch", slope: float | None = 0.2,
                 order: str = "norm_act", dropout: float = 0.0, padding: str = "same",
                 use_bias: bool = True, norm_momentum: float = 0.99, norm_epsilon: float = 1e-3, **kwargs):
        super().__init__(**kwargs)
        if order not in ORDERS:
            raise ValueError(f"order must be one of {ORDERS}, got {order!r}")
        self.filters, self.kernel_size, self.strides = filters, kernel_size, strides
        self.rank, self.transpose, self.norm, self.slope = rank, transpose, norm, slope
        self.order, self.dropout, self.padding, self.use_bias = order, dropout, padding, use_bias
        self.norm_momentum, self.norm_epsilon = norm_momentum, norm_epsilon
        self.conv = _conv_class(rank, transpose)(filters, kernel_size, strides=strides, padding=padding,
                                                 use_bias=use_bias)
        self.norm_layer = _norm_layer(norm, rank, norm_momentum, norm_epsilon)
        self.act = None if slope is None else layers.LeakyReLU(negative_slope=slope)
        self.drop = layers.Dropout(dropout) if dropout else None

    def build(self, input_shape):
        self.conv.build(input_shape)
        shape = self.conv.compute_output_shape(input_shape)
        if self.norm_layer is not None:
            self.norm_layer.build(shape)
        super().build(input_shape)

    def call(self, x, training=None):
        x = self.conv(x)
        steps = [self.norm_layer, self.act] if self.order == "norm_act" else [self.act, self.norm_layer]
        for step in steps:
            if step is self.norm_layer and step is not None:
                x = step(x, training=training)
            elif step is not None:
                x = step(x)
        if self.drop is not None:
            x = self.drop(x, training=training)
        return x

    def compute_output_shape(self, input_shape):
        return self.conv.compute_output_shape(input_shape)

    def get_config(self):
        return {**super().get_config(), "filters": self.filters, "kernel_size": self.kernel_size,
                "strides": self.strides, "rank": self.rank, "transpose": self.transpose, "norm": self.norm,
                "slope": self.slope, "order": self.order, "dropout": self.dropout, "padding": self.padding,
                "use_bias": self.use_bias, "norm_momentum": self.norm_momentum, "norm_epsilon": self.norm_epsilon}


@keras.saving.register_keras_serializable(package="gansig")
class UpsampleConv(layers.Layer):
    """Upsample by ``stride``: a transposed conv (``"zeros"``) or resize-then-conv.

    ``"nn"``, ``"linear"`` and ``"cubic"`` resize by the stride with that interpolation and
    then apply a stride-1 convolution, which avoids the checkerboard artefacts of
    transposed convolutions (the upsample modes of WaveGAN/SpecGAN).

    Args:
        filters: output channels.
        kernel_size: kernel size.
        stride: upsampling factor.
        upsample: ``"zeros"``, ``"nn"``, ``"linear"`` or ``"cubic"``.
        rank: 1 or 2 (``"cubic"`` needs rank 2).
        activation: Keras activation of the convolution.
    """

    def __init__(self, filters: int, kernel_size: int, stride: int = 2, *, upsample: str = "zeros",
                 rank: int = 2, activation: str | None = None, **kwargs):
        super().__init__(**kwargs)
        if upsample not in UPSAMPLE_MODES:
            raise ValueError(f"upsample must be one of {UPSAMPLE_MODES}, got {upsample!r}")
        if rank == 1 and upsample == "cubic":
            raise ValueError("cubic upsampling needs rank 2")
        self.filters, self.kernel_size, self.stride = filters, kernel_size, stride
        self.upsample, self.rank, self.activation = upsample, rank, activation
        if upsample == "zeros":
            self.resize = None
            self.conv = _conv_class(rank, True)(filters, kernel_size, strides=stride, padding="same",
                                                activation=activation)
        else:
            interpolation = _RESIZE_INTERPOLATION[upsample]
            if rank == 1:
                # 1-D signals are resized as images of height 1: [b, t, c] -> [b, 1, t, c].
                self.resize = layers.UpSampling2D((1, stride), interpolation=interpolation)
            else:
                self.resize = layers.UpSampling2D(stride, interpolation=interpolation)
            self.conv = _conv_class(rank, False)(filters, kernel_size, strides=1, padding="same",
                                                 activation=activation)

    def build(self, input_shape):
        if self.resize is None:
            self.conv.build(input_shape)
        else:
            spatial = [None if d is None else d * self.stride for d in input_shape[1:-1]]
            self.conv.build((input_shape[0], *spatial, input_shape[-1]))
        super().build(input_shape)

    def call(self, x):
        if self.resize is not None:
            x = keras.ops.squeeze(self.resize(keras.ops.expand_dims(x, 1)), 1) if self.rank == 1 else self.resize(x)
        return self.conv(x)

    def compute_output_shape(self, input_shape):
        spatial = [None if d is None else d * self.stride for d in input_shape[1:-1]]
        return (input_shape[0], *spatial, self.filters)

    def get_config(self):
        return {**super().get_config(), "filters": self.filters, "kernel_size": self.kernel_size,
                "stride": self.stride, "upsample": self.upsample, "rank": self.rank,
                "activation": self.activation}


@keras.saving.register_keras_serializable(package="gansig")
class ResidualBlock(layers.Layer):
    """``x + norm(conv(relu(norm(conv(x)))))`` with "same" padding (ResNet generators).

    Args:
        filters: channels (the input must have as many).
        kernel_size: kernel size.
        rank: 1 or 2.
        norm: as :class:`ConvBlock`.
    """

    def __init__(self, filters: int, kernel_size: int = 3, *, rank: int = 2, norm: str = "instance", **kwargs):
        super().__init__(**kwargs)
        self.filters, self.kernel_size, self.rank, self.norm = filters, kernel_size, rank, norm
        self.first = ConvBlock(filters, kernel_size, rank=rank, norm=norm, slope=0.0)
        self.second = ConvBlock(filters, kernel_size, rank=rank, norm=norm, slope=None)

    def build(self, input_shape):
        self.first.build(input_shape)
        self.second.build(input_shape)
        super().build(input_shape)

    def call(self, x, training=None):
        return x + self.second(self.first(x, training=training), training=training)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "filters": self.filters, "kernel_size": self.kernel_size,
                "rank": self.rank, "norm": self.norm}
